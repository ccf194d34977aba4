use backon_core::{Progress, Stop, Verdict, impl_combinators};

/// Never stops; see [`never`](crate::never).
///
/// Alone it retries until the retry condition accepts an outcome; combined
/// with `|` it leaves the decision to the other condition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Never;

impl Stop for Never {
    fn check(&self, _progress: &Progress) -> Verdict {
        Verdict::CONTINUE
    }
}

impl_combinators!(Never);
