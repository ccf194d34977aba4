//! The attribute's arguments: `#[retry(attempts = 3, delay = "50ms")]`.

use crate::knobs::Knobs;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Error, Expr, Ident, Token};

/// Every argument name, in the order the docs list them.
const NAMES: [&str; 10] = [
    "policy",
    "attempts",
    "delay",
    "max_delay",
    "backoff",
    "factor",
    "jitter",
    "time_limit",
    "when",
    "runtime",
];

/// Names users bring from other retry libraries, and ours for them.
const ALIASES: [(&str, &str); 16] = [
    ("retries", "attempts"),
    ("max_retries", "attempts"),
    ("max_attempts", "attempts"),
    ("tries", "attempts"),
    ("times", "attempts"),
    ("initial_delay", "delay"),
    ("min_delay", "delay"),
    ("base", "delay"),
    ("cap", "max_delay"),
    ("max_backoff", "max_delay"),
    ("strategy", "backoff"),
    ("multiplier", "factor"),
    ("timeout", "time_limit"),
    ("max_elapsed", "time_limit"),
    ("retry_if", "when"),
    ("condition", "when"),
];

/// The parsed arguments of one `#[retry(...)]`.
pub(crate) struct Args {
    /// Where the policy comes from.
    pub(crate) policy: Source,
    /// The runtime to retry on, when not the default one.
    pub(crate) runtime: Option<Expr>,
}

/// Where the policy of a call comes from.
pub(crate) enum Source {
    /// `policy = <expr>`.
    Expr(Expr),
    /// Inline arguments, or none at all for the default policy.
    Knobs(Box<Knobs>),
}

/// One `name = value`, before its value is checked.
struct Arg {
    name: Ident,
    value: Expr,
}

impl Parse for Arg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if !input.peek(Ident::peek_any) {
            return Err(input.error("expected `name = value`, as in `attempts = 3`"));
        }
        let name = Ident::parse_any(input)?;
        if !input.peek(Token![=]) {
            let example = example(&name.to_string());
            let message = format!("`{name}` needs a value, as in `{example}`");
            return Err(Error::new(name.span(), message));
        }

        input.parse::<Token![=]>()?;
        let value = input.parse()?;
        Ok(Arg { name, value })
    }
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let list = Punctuated::<Arg, Token![,]>::parse_terminated(input)?;
        let mut policy: Option<(Ident, Expr)> = None;
        let mut runtime = None;
        let mut knobs = Knobs::default();
        let mut seen: Vec<String> = Vec::new();

        for Arg { name, value } in list {
            let key = name.to_string();
            if seen.contains(&key) {
                return Err(Error::new(name.span(), format!("`{key}` is given twice")));
            }
            seen.push(key.clone());

            match key.as_str() {
                "policy" => policy = Some((name, value)),
                "runtime" => runtime = Some(value),
                _ if NAMES.contains(&key.as_str()) => knobs.set(&name, value)?,
                _ => return Err(unknown(&name)),
            }
        }

        let policy = match policy {
            Some((name, expr)) => {
                if let Some(knob) = knobs.first_name() {
                    return Err(with_policy(knob, &name));
                }
                Source::Expr(expr)
            }
            None => Source::Knobs(Box::new(knobs.validate()?)),
        };
        Ok(Args { policy, runtime })
    }
}

fn unknown(name: &Ident) -> Error {
    let key = name.to_string();
    let list = NAMES.join(", ");
    let message = match ALIASES.iter().find(|(alias, _)| *alias == key) {
        Some((_, "attempts")) if key.contains("retries") => format!(
            "unknown argument `{key}`; write `attempts`, which counts the first call too: \
             3 retries is `attempts = 4`"
        ),
        Some((_, ours)) => {
            let example = example(ours);
            format!("unknown argument `{key}`; write `{example}` instead")
        }
        None => format!("unknown argument `{key}`; the arguments are {list}"),
    };
    Error::new(name.span(), message)
}

fn with_policy(knob: &Ident, policy: &Ident) -> Error {
    let message = format!(
        "`{knob}` cannot be combined with `policy`: set it on the policy you pass, or drop \
         `policy` and describe the whole policy with inline arguments"
    );
    let mut error = Error::new(knob.span(), message);
    error.combine(Error::new(policy.span(), "`policy` is given here"));
    error
}

/// An example of each argument, for the messages.
pub(crate) fn example(name: &str) -> &'static str {
    match name {
        "policy" => "policy = backon::default_policy()",
        "attempts" => "attempts = 5",
        "delay" => "delay = \"100ms\"",
        "max_delay" => "max_delay = \"30s\"",
        "backoff" => "backoff = exponential",
        "factor" => "factor = 2.0",
        "jitter" => "jitter = full",
        "time_limit" => "time_limit = \"10s\"",
        "when" => "when = is_transient",
        "runtime" => "runtime = backon::testing::VirtualTime::new()",
        _ => "attempts = 5",
    }
}

/// Spans the whole value, for errors about it.
pub(crate) fn value_error(value: &Expr, message: impl std::fmt::Display) -> Error {
    Error::new_spanned(value, message)
}
