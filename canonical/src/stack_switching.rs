//! Stack Switching (CanonicalABI.md "Stack Switching"): the spec's
//! monomorphised `cont.new`, `resume` and `suspend` (as `block` and
//! `current_thread`), realised without OS threads.
//!
//! The spec runs each continuation on a Python thread and hands control
//! back and forth with locks. Here a continuation is a pinned, boxed
//! future: `cont_new` makes it, `resume` polls it once, and `block` is an
//! await point that returns `Pending` once after leaving its `switch_to`
//! for the `resume` that polled it. Wakers play no part: the store, as in
//! the spec, decides which thread runs next, so a no-op waker suffices.
//!
//! The spec keeps the innermost `resume`'s handler in thread-local storage;
//! here [`Handlers`] is that dynamic scope, a stack that `resume` pushes
//! and pops around its poll.

use crate::trap::Trap;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

/// Whether a blocked thread was resumed to be cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cancelled {
    False = 0,
    True = 1,
}

/// A suspended computation: `(cont (func (param bool) (result (ref null
/// $Thread))))`. Its output is the thread to switch to when it finishes
/// (the spec's `block_arg` on return), always `None` for threads, or the
/// trap that ended it (a trap unwinds to the host, across `resume`s).
pub type Continuation<T> = Pin<Box<dyn Future<Output = Result<Option<T>, Trap>>>>;

/// A `resume`'s handler: the current thread of the computation it runs,
/// what `block` reported, and what `block` returns when resumed.
#[derive(Debug)]
struct Handler<T> {
    current_thread: T,
    block_arg: Option<T>,
    block_result: Cancelled,
}

/// The dynamic scope of handlers (the spec's `thread_local_handler`).
/// `T` names a thread.
pub struct Handlers<T>(RefCell<Vec<Handler<T>>>);

impl<T: Copy> Handlers<T> {
    pub fn new() -> Rc<Handlers<T>> {
        Rc::new(Handlers(RefCell::new(Vec::new())))
    }

    /// `current_thread()`: the innermost `resume`'s thread, if any.
    pub fn current_thread(&self) -> Option<T> {
        self.0.borrow().last().map(|h| h.current_thread)
    }

    /// The innermost handler's `block_result`, read when a continuation
    /// starts or a `block` returns.
    fn block_result(&self) -> Cancelled {
        self.0
            .borrow()
            .last()
            .map_or(Cancelled::False, |h| h.block_result)
    }
}

/// `cont_new(f)`: `f` receives the `block_result` of the first `resume`.
pub fn cont_new<T, F, Fut>(handlers: &Rc<Handlers<T>>, f: F) -> Continuation<T>
where
    T: Copy + 'static,
    F: FnOnce(Cancelled) -> Fut + 'static,
    Fut: Future<Output = Result<Option<T>, Trap>> + 'static,
{
    let handlers = handlers.clone();
    Box::pin(async move {
        let first = handlers.block_result();
        f(first).await
    })
}

/// `resume(cont, block_result, current_thread)`: runs `cont` until it
/// blocks or returns; gives back the continuation if it blocked, and the
/// thread it asked to switch to.
///
/// # Errors
/// The trap that ended the computation.
pub fn resume<T: Copy>(
    handlers: &Handlers<T>,
    mut cont: Continuation<T>,
    block_result: Cancelled,
    current_thread: T,
) -> Result<(Option<Continuation<T>>, Option<T>), Trap> {
    handlers.0.borrow_mut().push(Handler {
        current_thread,
        block_arg: None,
        block_result,
    });
    let polled = cont.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    let handler = handlers.0.borrow_mut().pop();
    match polled {
        Poll::Ready(block_arg) => Ok((None, block_arg?)),
        Poll::Pending => Ok((Some(cont), handler.and_then(|h| h.block_arg))),
    }
}

/// `block(switch_to)`: suspends to the innermost `resume`, asking it to
/// switch to `switch_to`; completes with the `block_result` of the
/// `resume` that continues it.
pub fn block<T: Copy>(handlers: &Rc<Handlers<T>>, switch_to: Option<T>) -> Block<T> {
    Block {
        handlers: handlers.clone(),
        switch_to,
        blocked: false,
    }
}

/// The future of [`block`].
pub struct Block<T> {
    handlers: Rc<Handlers<T>>,
    switch_to: Option<T>,
    blocked: bool,
}

impl<T: Copy> Future for Block<T> {
    type Output = Cancelled;

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Cancelled> {
        if self.blocked {
            return Poll::Ready(self.handlers.block_result());
        }
        self.blocked = true;
        let switch_to = self.switch_to;
        if let Some(h) = self.handlers.0.borrow_mut().last_mut() {
            h.block_arg = switch_to;
        }
        Poll::Pending
    }
}

impl<T: Copy> Unpin for Block<T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn block_suspends_to_the_innermost_resume_and_carries_results() {
        let handlers: Rc<Handlers<u32>> = Handlers::new();
        let log = Rc::new(RefCell::new(Vec::new()));
        let (h, l) = (handlers.clone(), log.clone());
        let cont = cont_new(&handlers, move |first| async move {
            l.borrow_mut().push((h.current_thread(), first));
            let r = block(&h, Some(7)).await;
            l.borrow_mut().push((h.current_thread(), r));
            Ok(None)
        });
        let (cont, switch_to) = resume(&handlers, cont, Cancelled::False, 1).unwrap();
        assert_eq!(switch_to, Some(7));
        let cont = cont.expect("blocked");
        // Resumed by another thread, cancelled: `block` returns that.
        let (done, switch_to) = resume(&handlers, cont, Cancelled::True, 2).unwrap();
        assert!(done.is_none() && switch_to.is_none());
        assert_eq!(
            *log.borrow(),
            vec![(Some(1), Cancelled::False), (Some(2), Cancelled::True)]
        );
        assert_eq!(handlers.current_thread(), None);
    }

    #[test]
    fn resumes_nest() {
        let handlers: Rc<Handlers<u32>> = Handlers::new();
        let h = handlers.clone();
        let outer = cont_new(&handlers, move |_| async move {
            let h2 = h.clone();
            let inner = cont_new(&h, move |_| async move {
                assert_eq!(h2.current_thread(), Some(20));
                block(&h2, None).await;
                Ok(None)
            });
            let (inner, _) = resume(&h, inner, Cancelled::False, 20)?;
            assert!(inner.is_some());
            assert_eq!(h.current_thread(), Some(10));
            Ok(None)
        });
        let (done, _) = resume(&handlers, outer, Cancelled::False, 10).unwrap();
        assert!(done.is_none());
    }
}
