//! The values of inline arguments: each checked for its form where it is
//! written, so an error points at the literal.

use crate::args::{example, value_error};
use crate::duration;
use crate::knobs::{At, Backoff};
use proc_macro2::Span;
use quote::ToTokens;
use std::time::Duration;
use syn::{Error, Expr, ExprLit, ExprPath, Ident, Lit};

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

pub(crate) fn attempts(value: &Expr) -> syn::Result<At<u32>> {
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

pub(crate) fn duration(name: &str, value: &Expr) -> syn::Result<At<Duration>> {
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

pub(crate) fn backoff(value: &Expr) -> syn::Result<At<Backoff>> {
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

pub(crate) fn factor(value: &Expr) -> syn::Result<At<f64>> {
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

pub(crate) fn jitter(value: &Expr) -> syn::Result<At<Ident>> {
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

pub(crate) fn when(value: Expr) -> syn::Result<Expr> {
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
