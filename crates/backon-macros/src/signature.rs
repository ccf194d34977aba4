//! What the attribute accepts of a function's signature, and why.
//!
//! Each attempt runs the body again with the same arguments. Whatever an
//! attempt could change for the next one, a `&mut` argument or a `mut`
//! binding, is refused, and so is a return value that is not a `Result`,
//! since the error is what decides a retry.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Error, FnArg, Pat, ReturnType, Signature, Type};

const RERUN: &str = "`#[retry]` runs the body again on each attempt";

/// Checks the signature, pointing the error at the offending token.
pub(crate) fn check(sig: &Signature) -> syn::Result<()> {
    if let Some(constness) = &sig.constness {
        let message = format!("{RERUN}, with sleeps between; a `const fn` cannot do that");
        return Err(Error::new(constness.span, message));
    }

    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => check_receiver(receiver)?,
            FnArg::Typed(typed) => {
                check_pattern(&typed.pat)?;
                check_type(&typed.ty)?;
            }
        }
    }

    check_output(sig)
}

fn check_receiver(receiver: &syn::Receiver) -> syn::Result<()> {
    let mutable_reference = match &*receiver.ty {
        Type::Reference(reference) => reference.mutability,
        _ => None,
    };
    if let Some(mutability) = mutable_reference {
        let message = format!(
            "{RERUN}, so it cannot take `&mut self`: a failed attempt would leave its changes to \
             `self` for the next; take `&self` (with a `Cell` or `Mutex` for state that must \
             change), or retry inside the method with `(|| ...).retry(&policy)`, which lets you \
             decide what each attempt sees"
        );
        return Err(Error::new(mutability.span, message));
    }

    if let Some(mutability) = receiver.mutability {
        let message = format!(
            "{RERUN}, and `mut self` would carry one attempt's changes into the next; take \
             `self` and start each attempt from a copy inside the body: `let mut this = \
             self.clone();`"
        );
        return Err(Error::new(mutability.span, message));
    }
    Ok(())
}

fn check_pattern(pat: &Pat) -> syn::Result<()> {
    let Some((span, name)) = mut_binding(pat) else {
        return Ok(());
    };

    let message = format!(
        "{RERUN}, and `mut {name}` would carry one attempt's changes into the next; drop `mut` \
         here and start each attempt from the argument inside the body: `let mut {name} = \
         {name}.clone();`"
    );
    Err(Error::new(span, message))
}

/// Finds a `mut` binding anywhere in a parameter's pattern.
fn mut_binding(pat: &Pat) -> Option<(Span, String)> {
    match pat {
        Pat::Ident(ident) => match ident.mutability {
            Some(mutability) => Some((mutability.span, ident.ident.to_string())),
            None => ident.subpat.as_ref().and_then(|(_, sub)| mut_binding(sub)),
        },
        Pat::Tuple(tuple) => tuple.elems.iter().find_map(mut_binding),
        Pat::TupleStruct(tuple) => tuple.elems.iter().find_map(mut_binding),
        Pat::Struct(item) => item.fields.iter().find_map(|field| mut_binding(&field.pat)),
        Pat::Slice(slice) => slice.elems.iter().find_map(mut_binding),
        Pat::Reference(reference) => mut_binding(&reference.pat),
        Pat::Paren(paren) => mut_binding(&paren.pat),
        Pat::Type(typed) => mut_binding(&typed.pat),
        _ => None,
    }
}

fn check_type(ty: &Type) -> syn::Result<()> {
    let Type::Reference(reference) = ty else {
        return Ok(());
    };
    let Some(mutability) = reference.mutability else {
        return Ok(());
    };

    let message = format!(
        "{RERUN}, so it cannot take a `&mut` argument: a failed attempt would leave its changes \
         for the next; take `&` (with a `Cell` or `Mutex` for state that must change), or retry \
         inside the function with `(|| ...).retry(&policy)`"
    );
    Err(Error::new(mutability.span, message))
}

fn check_output(sig: &Signature) -> syn::Result<()> {
    let hint = "return `Result<T, E>`, or an alias whose name ends in `Result`, such as \
                `io::Result<T>`";
    let ty = match &sig.output {
        ReturnType::Default => {
            let message = format!(
                "`#[retry]` retries on the errors of a `Result`, and `{}` returns nothing; {hint}",
                sig.ident
            );
            return Err(Error::new(sig.ident.span(), message));
        }
        ReturnType::Type(_, ty) => ty,
    };

    if has_impl_trait(ty.to_token_stream()) {
        let message = match sig.asyncness {
            None => {
                "`#[retry]` cannot name an `impl Trait` return type; for a future, write an \
                     `async fn` that returns the `Result`"
            }
            Some(_) => {
                "`#[retry]` cannot name an `impl Trait` in the return type; return a \
                        concrete type, or a `Box<dyn ...>`"
            }
        };
        return Err(Error::new_spanned(ty, message));
    }

    if !is_result(ty) {
        let message =
            format!("`#[retry]` retries on the errors of a `Result`, and this is not one; {hint}");
        return Err(Error::new_spanned(ty, message));
    }
    Ok(())
}

/// True for a path whose last segment ends in `Result`: `Result<T, E>`,
/// `io::Result<T>`, `anyhow::Result<T>`, `FetchResult`.
fn is_result(ty: &Type) -> bool {
    match ty {
        Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident.to_string().ends_with("Result")),
        Type::Group(group) => is_result(&group.elem),
        Type::Paren(paren) => is_result(&paren.elem),
        _ => false,
    }
}

fn has_impl_trait(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Ident(ident) => ident == "impl",
        TokenTree::Group(group) => has_impl_trait(group.stream()),
        _ => false,
    })
}
