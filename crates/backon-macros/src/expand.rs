//! The expansion: the body moves into a closure that the library retries.

use crate::args::{Args, Source};
use crate::item::RetryFn;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, ReturnType};

/// Rewrites the function so that its body is the operation of a retry.
///
/// ```text
/// fn f(args) -> R { body }
/// ```
///
/// becomes
///
/// ```text
/// fn f(args) -> R {
///     ::backon::BlockingRetryable::retry(|| identity::<R>({ body }), policy).call()
/// }
/// ```
///
/// and an `async fn` awaits `Retryable::retry(|| async { .. }, policy)`.
/// Naming `R` keeps `?` and `return` in the body working as they did.
pub(crate) fn expand(args: &Args, item: RetryFn) -> TokenStream {
    let RetryFn {
        attrs,
        vis,
        sig,
        stmts,
    } = item;
    let ret = match &sig.output {
        ReturnType::Type(_, ty) => quote!(#ty),
        ReturnType::Default => quote!(()),
    };

    let attempt = quote!(::core::convert::identity::<#ret>({ #(#stmts)* }));
    let (helpers, policy) = policy(&args.policy, &ret);
    let call = match (&sig.asyncness, &args.runtime) {
        (Some(_), None) => quote! {
            ::backon::Retryable::retry(|| async { #attempt }, #policy).await
        },
        (Some(_), Some(runtime)) => quote! {
            ::backon::Retry::new(|| async { #attempt }, #policy, #runtime).await
        },
        (None, None) => quote! {
            ::backon::BlockingRetryable::retry(|| #attempt, #policy).call()
        },
        (None, Some(runtime)) => quote! {
            ::backon::BlockingRetryable::retry(|| #attempt, #policy)
                .runtime(#runtime)
                .call()
        },
    };

    quote! {
        #(#attrs)*
        #vis #sig {
            #helpers
            #call
        }
    }
}

/// The expression that lends the policy, and the items it needs.
fn policy(source: &Source, ret: &TokenStream) -> (TokenStream, TokenStream) {
    match source {
        Source::Knobs(knobs) => (TokenStream::new(), knobs.policy(ret)),
        Source::Expr(expr) => {
            let helpers = lender();
            let lend = lend(expr);
            // `let x = &(expr)` keeps a temporary such as `default_policy()`
            // alive to the end of the body, and lets the wrapper below die
            // at once, so that an async fn's future stores only what the
            // retry borrows.
            let helpers = quote! {
                #helpers
                let __backon_source = &(#expr);
                let __backon_policy = #lend;
            };
            (helpers, quote!(__backon_policy))
        }
    }
}

/// Lends the policy of `policy = <expr>`, whatever `<expr>` is:
///
/// 1. a policy (a `static`, a field, a call's result): a reference to it;
/// 2. a function that returns a policy: the result of calling it;
/// 3. a smart pointer to a policy, as a `static` `LazyLock`: a reference
///    to the policy inside;
/// 4. anything else: a compile error that says what `policy` takes.
///
/// Method resolution takes the first impl that applies, in that order: the
/// receiver `&&W` matches an impl for `&W` as it is, one for `&&W` after
/// borrowing it, one for `W` after dereferencing it once, and a method
/// taking `W` by value after dereferencing it twice.
fn lend(expr: &Expr) -> TokenStream {
    quote_spanned!(expr.span()=> (&&__BackonPolicy(__backon_source)).__backon_policy())
}

fn lender() -> TokenStream {
    quote! {
        #[allow(dead_code)]
        #[derive(Clone, Copy)]
        struct __BackonPolicy<T>(T);

        #[allow(dead_code)]
        trait __BackonPolicyValue {
            type Policy;
            fn __backon_policy(&self) -> Self::Policy;
        }

        impl<'p, P> __BackonPolicyValue for &__BackonPolicy<&'p P>
        where
            P: ::backon::AsPolicy + ?::core::marker::Sized,
        {
            type Policy = &'p P;
            fn __backon_policy(&self) -> &'p P {
                self.0
            }
        }

        #[allow(dead_code)]
        trait __BackonPolicyFn {
            type Policy;
            fn __backon_policy(&self) -> Self::Policy;
        }

        impl<F, P> __BackonPolicyFn for &&__BackonPolicy<&F>
        where
            F: ::core::ops::Fn() -> P,
            P: ::backon::AsPolicy,
        {
            type Policy = P;
            fn __backon_policy(&self) -> P {
                (self.0)()
            }
        }

        #[allow(dead_code)]
        trait __BackonPolicyDeref {
            type Policy;
            fn __backon_policy(&self) -> Self::Policy;
        }

        impl<'p, D, P> __BackonPolicyDeref for __BackonPolicy<&'p D>
        where
            D: ::core::ops::Deref<Target = P> + ?::core::marker::Sized,
            P: ::backon::AsPolicy + ?::core::marker::Sized + 'p,
        {
            type Policy = &'p P;
            fn __backon_policy(&self) -> &'p P {
                ::core::ops::Deref::deref(self.0)
            }
        }

        #[diagnostic::on_unimplemented(
            message = "`policy = ...` takes a `backon::Policy`, a reference to one, or a function \
                       that returns one; `{Self}` is none of these",
            label = "not a policy",
            note = "or describe the policy inline, as in \
                    `#[retry(attempts = 3, delay = \"100ms\")]`"
        )]
        trait __BackonPolicyExpected {}

        #[allow(dead_code)]
        trait __BackonPolicyOther<X: ?::core::marker::Sized> {
            fn __backon_policy(self) -> ::backon::DefaultPolicy
            where
                X: __BackonPolicyExpected;
        }

        impl<X: ?::core::marker::Sized> __BackonPolicyOther<X> for __BackonPolicy<&X> {
            fn __backon_policy(self) -> ::backon::DefaultPolicy
            where
                X: __BackonPolicyExpected,
            {
                ::backon::default_policy()
            }
        }
    }
}
