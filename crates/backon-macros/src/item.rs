//! The function under the attribute.

use syn::parse::{Parse, ParseStream};
use syn::{AttrStyle, Attribute, Block, Error, Signature, Stmt, Token, Visibility, braced};

/// A function with a body: free, a method, or a trait's default method.
pub(crate) struct RetryFn {
    /// Its attributes; inner ones (`#![allow(...)]`) are made outer, since
    /// the body moves into a closure.
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    pub(crate) stmts: Vec<Stmt>,
}

impl Parse for RetryFn {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut attrs = Attribute::parse_outer(input)?;
        let vis = input.parse()?;
        let sig: Signature = input.parse().map_err(|err| {
            let message = "`#[retry]` goes on a function: `fn` or `async fn`, free or a method";
            Error::new(err.span(), message)
        })?;

        if input.peek(Token![;]) {
            let message = "`#[retry]` needs the function's body; put it on the implementation \
                           rather than on the trait's declaration";
            return Err(Error::new(sig.ident.span(), message));
        }

        let content;
        braced!(content in input);
        for mut inner in Attribute::parse_inner(&content)? {
            inner.style = AttrStyle::Outer;
            attrs.push(inner);
        }
        let stmts = content.call(Block::parse_within)?;

        Ok(RetryFn {
            attrs,
            vis,
            sig,
            stmts,
        })
    }
}
