//! SplitMix64, the one copy that the seeded crates share.
//!
//! `backon-wait` derives the seed of each part of a composite wait with it,
//! and `backon-testing` its virtual seeds and fault draws. Both pin exact
//! values in their tests, so they must mix the same way; `backon-core` is
//! the one crate both depend on. It is no part of the API: users draw
//! random numbers with `rand`, and the function is hidden from the docs.

/// SplitMix64's increment, the golden ratio in 64 bits.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// Returns the `n`-th output of SplitMix64 started at `seed`.
///
/// Outputs count from 1, as the generator's first call returns its first;
/// `n = 0` mixes the seed itself. The function is pure and cheap: it jumps
/// to any step without running the ones before.
#[doc(hidden)]
pub fn splitmix64(seed: u64, n: u64) -> u64 {
    let mut z = seed.wrapping_add(n.wrapping_mul(GAMMA));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_generator() {
        // The reference implementation's outputs for seeds 0 and 1234567.
        assert_eq!(splitmix64(0, 1), 0xE220_A839_7B1D_CDAF);
        assert_eq!(
            [1, 2, 3].map(|n| splitmix64(1_234_567, n)),
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423
            ]
        );
    }

    #[test]
    fn a_step_is_one_gamma_further() {
        for seed in [0, 1, u64::MAX, GAMMA] {
            assert_eq!(splitmix64(seed, 2), splitmix64(seed.wrapping_add(GAMMA), 1));
            assert_eq!(splitmix64(seed, 1), splitmix64(seed.wrapping_add(GAMMA), 0));
        }
    }
}
