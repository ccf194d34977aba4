//! Inline arguments: the policy described in the attribute itself.

use crate::args::{example, value_error};
use crate::duration;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use std::time::Duration;
use syn::spanned::Spanned;
use syn::{Error, Expr, ExprLit, ExprPath, Ident, Lit};

/// The growth of the delay between attempts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Backoff {
    Exponential,
    Constant,
    Linear,
    Fibonacci,
}

/// A value and where it was written.
#[derive(Clone)]
struct At<T> {
    value: T,
    span: Span,
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
            "attempts" => self.attempts = Some(attempts(&value)?),
            "delay" => self.delay = Some(duration(&key, &value)?),
            "max_delay" => self.max_delay = Some(duration(&key, &value)?),
            "time_limit" => self.time_limit = Some(duration(&key, &value)?),
            "backoff" => self.backoff = Some(backoff(&value)?),
            "factor" => self.factor = Some(factor(&value)?),
            "jitter" => self.jitter = Some(jitter(&value)?),
            "when" => self.when = Some(when(value)?),
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

fn literal(value: &Expr) -> Option<&Lit> {
    match value {
        Expr::Lit(ExprLit { lit, .. }) => Some(lit),
        Expr::Group(group) => literal(&group.expr),
        _ => None,
    }
}

/// A single lowercase word, as in `backoff = linear`.
fn word(value: &Expr) -> Option<&Ident> {
    match value {
        Expr::Path(ExprPath {
            path, qself: None, ..
        }) => path.get_ident(),
        _ => None,
    }
}

fn attempts(value: &Expr) -> syn::Result<At<u32>> {
    let Some(Lit::Int(int)) = literal(value) else {
        let message = "`attempts` takes a whole number, as in `attempts = 5`";
        return Err(value_error(value, message));
    };

    let n: u32 = int.base10_parse().map_err(|_| {
        let message = format!("`attempts` takes a number from 1 to {}", u32::MAX);
        Error::new(int.span(), message)
    })?;
    if n == 0 {
        let message = "a call makes at least one attempt; write `attempts = 1` or more";
        return Err(Error::new(int.span(), message));
    }
    Ok(At {
        value: n,
        span: int.span(),
    })
}

fn duration(name: &str, value: &Expr) -> syn::Result<At<Duration>> {
    let Some(Lit::Str(text)) = literal(value) else {
        let message = format!(
            "`{name}` takes a duration in a string, as in `{}`",
            example(name)
        );
        return Err(value_error(value, message));
    };

    let d = duration::parse(&text.value()).map_err(|err| Error::new(text.span(), err))?;
    if name == "time_limit" && d.is_zero() {
        let message = "a zero time limit allows no attempt; give a longer one, as in \"10s\"";
        return Err(Error::new(text.span(), message));
    }
    Ok(At {
        value: d,
        span: text.span(),
    })
}

fn backoff(value: &Expr) -> syn::Result<At<Backoff>> {
    let choices = "exponential, constant, linear or fibonacci, as in `backoff = linear`";
    let Some(ident) = word(value) else {
        let message = format!("`backoff` takes one word without quotes: {choices}");
        return Err(value_error(value, message));
    };

    let backoff = match ident.to_string().as_str() {
        "exponential" => Backoff::Exponential,
        "constant" => Backoff::Constant,
        "linear" => Backoff::Linear,
        "fibonacci" => Backoff::Fibonacci,
        other => {
            let message = format!("unknown backoff `{other}`; write {choices}");
            return Err(Error::new(ident.span(), message));
        }
    };
    Ok(At {
        value: backoff,
        span: ident.span(),
    })
}

fn factor(value: &Expr) -> syn::Result<At<f64>> {
    let message = "`factor` takes a number of at least 1, as in `factor = 1.5`";
    let factor = match literal(value) {
        Some(Lit::Float(float)) => float.base10_parse::<f64>().ok(),
        Some(Lit::Int(int)) => int.base10_parse::<f64>().ok(),
        _ => None,
    };

    match factor {
        Some(f) if f.is_finite() && f >= 1.0 => Ok(At {
            value: f,
            span: first_span(value),
        }),
        _ => Err(value_error(value, message)),
    }
}

fn jitter(value: &Expr) -> syn::Result<At<Ident>> {
    let choices = "none, full or equal, as in `jitter = equal`";
    let Some(ident) = word(value) else {
        let message = format!("`jitter` takes one word without quotes: {choices}");
        return Err(value_error(value, message));
    };

    match ident.to_string().as_str() {
        "none" | "full" | "equal" => Ok(At {
            value: ident.clone(),
            span: ident.span(),
        }),
        other => {
            let message = format!("unknown jitter `{other}`; write {choices}");
            Err(Error::new(ident.span(), message))
        }
    }
}

fn when(value: Expr) -> syn::Result<Expr> {
    match value {
        Expr::Path(_) | Expr::Closure(_) => Ok(value),
        _ => {
            let message = "`when` takes the path of a function `fn(&E) -> bool` that says which \
                           errors to retry, as in `when = is_transient`";
            Err(value_error(&value, message))
        }
    }
}

fn first_span(value: &Expr) -> Span {
    value
        .to_token_stream()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |token| token.span())
}
