//! A lock-free count of events over a sliding window of time slots.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counts events per time slot over the last `len` slots.
///
/// Each slot packs the slot number it belongs to (its low 32 bits) with
/// its count, so a slot left over from an earlier lap of the ring is
/// recognised and restarted instead of cleared by a sweep.
#[derive(Debug)]
pub(super) struct Window {
    slots: Box<[AtomicU64]>,
}

impl Window {
    /// Creates a window of `len` slots, all empty.
    pub(super) fn new(len: usize) -> Self {
        Window {
            slots: (0..len).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Adds one event to slot `now`.
    pub(super) fn add(&self, now: u64) {
        let tag = now as u32;
        self.update(now, |(slot_tag, count)| {
            Some(if slot_tag == tag {
                (tag, count.saturating_add(1))
            } else {
                (tag, 1)
            })
        });
    }

    /// Takes back one event added to slot `now`, if that slot still
    /// counts it.
    pub(super) fn remove(&self, now: u64) {
        let tag = now as u32;
        self.update(now, |(slot_tag, count)| {
            (slot_tag == tag && count > 0).then(|| (tag, count - 1))
        });
    }

    /// Returns the events of the slots `now - len + 1 ..= now`.
    pub(super) fn sum(&self, now: u64) -> u64 {
        let tag = now as u32;
        let len = self.slots.len() as u32;

        self.slots
            .iter()
            .map(|slot| unpack(slot.load(Ordering::Acquire)))
            .filter(|&(slot_tag, _)| tag.wrapping_sub(slot_tag) < len)
            .map(|(_, count)| u64::from(count))
            .sum()
    }

    fn update(&self, now: u64, f: impl Fn((u32, u32)) -> Option<(u32, u32)>) {
        let slot = &self.slots[(now % self.slots.len() as u64) as usize];
        let _ = slot.fetch_update(Ordering::AcqRel, Ordering::Acquire, |packed| {
            f(unpack(packed)).map(pack)
        });
    }
}

fn pack((tag, count): (u32, u32)) -> u64 {
    (u64::from(tag) << 32) | u64::from(count)
}

fn unpack(packed: u64) -> (u32, u32) {
    ((packed >> 32) as u32, packed as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_last_slots_only() {
        let w = Window::new(3);
        w.add(0);
        w.add(1);
        w.add(1);
        w.add(2);
        assert_eq!(w.sum(2), 4);
        assert_eq!(w.sum(3), 3);
        w.add(3);
        assert_eq!(w.sum(3), 4);
        assert_eq!(w.sum(5), 1);
        assert_eq!(w.sum(9), 0);
    }

    #[test]
    fn remove_takes_back_from_the_current_slot_only() {
        let w = Window::new(2);
        w.add(4);
        w.remove(5);
        assert_eq!(w.sum(5), 1);
        w.remove(4);
        w.remove(4);
        assert_eq!(w.sum(4), 0);
    }

    #[test]
    fn a_slot_from_an_earlier_lap_restarts() {
        let w = Window::new(2);
        w.add(1);
        w.add(3);
        assert_eq!(w.sum(3), 1);
    }
}
