#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod args;
mod duration;
mod expand;
mod item;
mod knobs;
mod signature;
mod values;

use proc_macro::TokenStream;

/// Retries a function as a policy says: the body runs again after each
/// error the policy retries, with a wait between attempts.
///
/// Put it on an `fn` or `async fn` that returns a `Result`: a free
/// function, a method taking `&self` or `self`, a generic function. Use it
/// through the facade, `backon::retry`, with the `macros` feature.
///
/// # Arguments
///
/// Either `policy = <expr>` or any of the inline arguments, whose defaults
/// are those of `backon::default_policy()`:
///
/// | argument | value | default |
/// |---|---|---|
/// | `policy` | a policy, a reference to one, or a `fn` that returns one | — |
/// | `attempts` | attempts in all, the first included | `5` |
/// | `delay` | the first delay, as in `"100ms"`, `"1.5s"`, `"1m30s"` | `"100ms"` |
/// | `max_delay` | the cap on each delay | `"30s"` |
/// | `backoff` | `exponential`, `constant`, `linear` or `fibonacci` | `exponential` |
/// | `factor` | the growth of `exponential`, at least 1 | `2.0` |
/// | `jitter` | `none`, `full` or `equal` | `full` |
/// | `time_limit` | stop once this has passed since the first attempt | none |
/// | `when` | a `fn(&E) -> bool`: which errors to retry | every error |
/// | `runtime` | the clock and sleeper, as `backon::testing::VirtualTime` | the default |
///
/// Values known at compile time are checked there: zero attempts, a factor
/// below 1, a delay above `max_delay` or a string that is not a duration
/// are compile errors.
///
/// # Examples
///
/// ```
/// use backon::retry;
///
/// #[retry(attempts = 3, delay = "10ms", backoff = constant)]
/// fn read_config(path: &str) -> std::io::Result<String> {
///     std::fs::read_to_string(path)
/// }
///
/// let config = read_config("Cargo.toml")?;
/// assert!(config.contains("[package]"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[proc_macro_attribute]
pub fn retry(attr: TokenStream, item: TokenStream) -> TokenStream {
    let original = proc_macro2::TokenStream::from(item.clone());
    let parsed = syn::parse::<args::Args>(attr).and_then(|args| {
        let item = syn::parse::<item::RetryFn>(item)?;
        signature::check(&item.sig)?;
        Ok((args, item))
    });

    // On an error the function stays as written, so that its callers do
    // not add errors of their own to the one that matters.
    match parsed {
        Ok((args, item)) => expand::expand(&args, item).into(),
        Err(error) => {
            let error = error.into_compile_error();
            quote::quote!(#error #original).into()
        }
    }
}
