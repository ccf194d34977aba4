//! Inline arguments: the policy described in the attribute itself.

use crate::duration;
use crate::values;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use std::time::Duration;
use syn::spanned::Spanned;
use syn::{Error, Expr, Ident};

/// The growth of the delay between attempts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Backoff {
    Exponential,
    Constant,
    Linear,
    Fibonacci,
}

/// A value and where it was written.
pub(crate) struct At<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// The inline arguments, each one optional; [`Knobs::validate`] fills in
/// the defaults of `backon::default_policy()`.
#[derive(Default)]
pub(crate) struct Knobs {
    names: Vec<Ident>,
    attempts: Option<At<u32>>,
    delay: Option<At<Duration>>,
    max_delay: Option<At<Duration>>,
    backoff: Option<At<Backoff>>,
    factor: Option<At<f64>>,
    jitter: Option<At<Ident>>,
    time_limit: Option<At<Duration>>,
    when: Option<Expr>,
}

impl Knobs {
    /// Records one argument, checking the form of its value.
    pub(crate) fn set(&mut self, name: &Ident, value: Expr) -> syn::Result<()> {
        let key = name.to_string();
        match key.as_str() {
            "attempts" => self.attempts = Some(values::attempts(&value)?),
            "delay" => self.delay = Some(values::duration(&key, &value)?),
            "max_delay" => self.max_delay = Some(values::duration(&key, &value)?),
            "time_limit" => self.time_limit = Some(values::duration(&key, &value)?),
            "backoff" => self.backoff = Some(values::backoff(&value)?),
            "factor" => self.factor = Some(values::factor(&value)?),
            "jitter" => self.jitter = Some(values::jitter(&value)?),
            "when" => self.when = Some(values::when(value)?),
            _ => unreachable!("args.rs passes only knob names"),
        }

        self.names.push(name.clone());
        Ok(())
    }

    /// The first inline argument given, if any.
    pub(crate) fn first_name(&self) -> Option<&Ident> {
        self.names.first()
    }

    /// Checks the values against each other, as the library would when the
    /// policy is built.
    pub(crate) fn validate(self) -> syn::Result<Self> {
        if let (Some(factor), Some(backoff)) = (&self.factor, &self.backoff) {
            if backoff.value != Backoff::Exponential {
                let message = format!(
                    "`factor` applies to `backoff = exponential` only, not `{}`",
                    format!("{:?}", backoff.value).to_lowercase()
                );
                return Err(Error::new(factor.span, message));
            }
        }

        let (delay, cap) = (self.delay(), self.cap());
        if delay > cap {
            let message = format!(
                "`delay` {} is above `max_delay` {}; raise `max_delay` or lower `delay`",
                duration::show(delay),
                duration::show(cap)
            );
            let span = match (&self.delay, &self.max_delay) {
                (Some(at), _) | (None, Some(at)) => at.span,
                (None, None) => Span::call_site(),
            };
            return Err(Error::new(span, message));
        }

        Ok(self)
    }

    fn delay(&self) -> Duration {
        self.delay
            .as_ref()
            .map_or(Duration::from_millis(100), |at| at.value)
    }

    fn cap(&self) -> Duration {
        self.max_delay
            .as_ref()
            .map_or(Duration::from_secs(30), |at| at.value)
    }

    /// True when nothing was given: the policy is `default_policy()`.
    fn is_default(&self) -> bool {
        self.names.is_empty()
    }

    /// The expression that builds the policy of a function returning `ret`.
    pub(crate) fn policy(&self, ret: &TokenStream) -> TokenStream {
        if self.is_default() {
            return quote!(::backon::default_policy());
        }

        let wait = self.wait();
        let stop = self.stop();
        let policy = quote!(::backon::Policy::new(#wait, #stop));
        match &self.when {
            Some(when) => {
                let condition = condition(when, ret);
                quote!(#policy.retry_when(::backon::condition::when_err(#condition)))
            }
            None => policy,
        }
    }

    fn wait(&self) -> TokenStream {
        let delay = nanos(self.delay());
        let cap = nanos(self.cap());
        let backoff = self
            .backoff
            .as_ref()
            .map_or(Backoff::Exponential, |at| at.value);
        let factor = self.factor.as_ref().map_or(2.0, |at| at.value);

        let base = match backoff {
            Backoff::Exponential if factor == 2.0 => {
                quote!(::backon::wait::Exponential::new(#delay))
            }
            // The factor was checked above as the library checks it, so the
            // fallback is never taken; it keeps a panic out of user code.
            Backoff::Exponential => quote! {
                match ::backon::wait::Exponential::with_factor(#delay, #factor) {
                    ::core::result::Result::Ok(wait) => wait,
                    ::core::result::Result::Err(_) => ::backon::wait::Exponential::new(#delay),
                }
            },
            Backoff::Constant => quote!(::backon::wait::Constant::new(#delay)),
            Backoff::Linear => quote!(::backon::wait::Linear::new(#delay, #delay)),
            Backoff::Fibonacci => quote!(::backon::wait::Fibonacci::new(#delay)),
        };

        let jitter = match &self.jitter {
            Some(at) => {
                let variant = Ident::new(&capitalize(&at.value.to_string()), at.span);
                quote!(::backon::wait::Jitter::#variant)
            }
            None => quote!(::backon::wait::Jitter::Full),
        };
        quote!(::backon::wait::WaitExt::max(#base, #cap).jitter(#jitter))
    }

    fn stop(&self) -> TokenStream {
        let attempts = self.attempts.as_ref().map_or(5, |at| at.value);
        // Checked to be above zero; the const block makes the check the
        // compiler's too, with no trace left at run time.
        let after = quote! {
            const {
                match ::backon::stop::AfterAttempts::new(#attempts) {
                    ::core::result::Result::Ok(stop) => stop,
                    ::core::result::Result::Err(_) => ::core::panic!("zero attempts"),
                }
            }
        };

        match &self.time_limit {
            None => after,
            Some(at) => {
                let limit = nanos(at.value);
                let time = quote! {
                    const {
                        match ::backon::stop::TimeLimit::new(#limit) {
                            ::core::result::Result::Ok(stop) => stop,
                            ::core::result::Result::Err(_) => ::core::panic!("zero time limit"),
                        }
                    }
                };
                quote!(::core::ops::BitOr::bitor(#after, #time))
            }
        }
    }
}

/// Coerces `when` to a `fn(&E) -> bool`, `E` being the error type of
/// `ret`: a closure's argument type is then inferred, and a function of
/// the wrong type is one error at `when` rather than a chain of them at
/// the whole attribute.
fn condition(when: &Expr, ret: &TokenStream) -> TokenStream {
    quote_spanned! {when.span()=> {
        fn __backon_when<T, E>(
            _: ::core::marker::PhantomData<::core::result::Result<T, E>>,
            when: fn(&E) -> bool,
        ) -> fn(&E) -> bool {
            when
        }
        __backon_when(::core::marker::PhantomData::<#ret>, #when)
    }}
}

fn nanos(d: Duration) -> TokenStream {
    let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    quote!(::core::time::Duration::from_nanos(#nanos))
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
