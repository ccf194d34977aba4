//! The hedges of a group: a list of boxed attempts, in launch order.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use pin_project_lite::pin_project;

pin_project! {
    struct Node<Fut> {
        index: u32,
        #[pin]
        fut: Option<Fut>,
        next: Option<Pin<Box<Node<Fut>>>>,
    }
}

/// The hedges started so far, each in a box of its own.
///
/// Each box holds one attempt's future and the link to the next, so a
/// hedge costs exactly one allocation, and a group that never hedges costs
/// none. A finished attempt leaves an empty node behind until the group
/// ends.
pub(crate) struct Hedges<Fut> {
    head: Option<Pin<Box<Node<Fut>>>>,
}

impl<Fut: Future> Hedges<Fut> {
    pub(crate) const fn new() -> Self {
        Hedges { head: None }
    }

    /// Appends a started attempt.
    pub(crate) fn push(&mut self, index: u32, fut: Fut) {
        let mut slot = &mut self.head;
        while let Some(node) = slot {
            slot = node.as_mut().project().next;
        }
        *slot = Some(Box::pin(Node {
            index,
            fut: Some(fut),
            next: None,
        }));
    }

    /// Polls the running attempts with an index above `after`, in order,
    /// and returns the first outcome, whose attempt is dropped.
    pub(crate) fn poll_after(
        &mut self,
        after: u32,
        cx: &mut Context<'_>,
    ) -> Option<(u32, Fut::Output)> {
        let mut slot = &mut self.head;

        while let Some(node) = slot {
            let mut this = node.as_mut().project();
            if *this.index > after {
                if let Some(fut) = this.fut.as_mut().as_pin_mut() {
                    if let Poll::Ready(outcome) = fut.poll(cx) {
                        this.fut.set(None);
                        return Some((*this.index, outcome));
                    }
                }
            }
            slot = this.next;
        }
        None
    }

    /// Drops every attempt and returns how many were still running.
    pub(crate) fn clear(&mut self) -> u32 {
        let mut running = 0;
        let mut next = self.head.take();

        // One node at a time, so that a long list cannot overflow the stack
        // through recursive drops.
        while let Some(mut node) = next {
            let this = node.as_mut().project();
            running += u32::from(this.fut.is_some());
            next = this.next.take();
        }
        running
    }
}

impl<Fut> Drop for Hedges<Fut> {
    fn drop(&mut self) {
        let mut next = self.head.take();
        while let Some(mut node) = next {
            next = node.as_mut().project().next.take();
        }
    }
}
