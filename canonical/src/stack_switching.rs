//! Stack Switching (CanonicalABI.md "Stack Switching"): the spec's
//! monomorphised `cont.new`, `resume` and `suspend` (as `block` and
//! `current_thread`), realised without OS threads.
//!
//! The spec runs each continuation on a Python thread and hands control
//! back and forth with locks. Here a continuation runs on a pinned, boxed
//! future: `cont_new` makes it, `resume` polls it once, and `block` is an
//! await point that returns `Pending` once after leaving its `switch_to`
//! for the `resume` that polled it. Wakers play no part: the store, as in
//! the spec, decides which thread runs next, so a no-op waker suffices.
//!
//! The spec keeps the innermost `resume`'s handler in thread-local storage;
//! here [`Handlers`] is that dynamic scope, a stack that `resume` pushes
//! and pops around its poll.
//!
//! As a Python thread could be taken from a pool, the future outlives its
//! computation: when `f` returns, it reports the return to the handler and
//! parks, and `Handlers` keeps it for the next `cont_new` of the same `f`
//! type, which hands it the new `f` (its seed). So a run of calls boxes no
//! future.

use crate::trap::Trap;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::any::Any;
use core::cell::RefCell;
use core::convert::Infallible;
use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

/// Whether a blocked thread was resumed to be cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cancelled {
    False = 0,
    True = 1,
}

/// A suspended computation: `(cont (func (param bool) (result (ref null
/// $Thread))))`, run by a future that parks when it finishes. What the
/// computation returns is the thread to switch to (the spec's
/// `block_arg` on return), always `None` for threads, or the trap that
/// ended it (a trap unwinds to the host, across `resume`s).
pub struct Continuation<T> {
    future: Pin<Box<dyn Future<Output = Infallible>>>,
    /// Where `cont_new` puts the `f` the future runs next (a
    /// [`Seed`] of `f`'s type).
    seed: Rc<dyn Any>,
    thread: PhantomData<T>,
}

/// The `f` a continuation's future runs next, and the handlers it reports
/// to.
type Seed<T, F> = RefCell<Option<(F, Rc<Handlers<T>>)>>;

/// A `resume`'s handler: the current thread of the computation it runs,
/// what `block` reported, what `block` returns when resumed, and what the
/// computation returned if it finished.
#[derive(Debug)]
struct Handler<T> {
    current_thread: T,
    block_arg: Option<T>,
    block_result: Cancelled,
    returned: Option<Result<Option<T>, Trap>>,
}

/// The dynamic scope of handlers (the spec's `thread_local_handler`), and
/// the parked continuations. `T` names a thread.
pub struct Handlers<T> {
    scope: RefCell<Vec<Handler<T>>>,
    parked: RefCell<Vec<Continuation<T>>>,
}

impl<T: Copy> Handlers<T> {
    /// How many parked continuations are kept.
    const PARKED: usize = 4;

    pub fn new() -> Rc<Handlers<T>> {
        Rc::new(Handlers {
            scope: RefCell::new(Vec::new()),
            parked: RefCell::new(Vec::new()),
        })
    }

    /// `current_thread()`: the innermost `resume`'s thread, if any.
    pub fn current_thread(&self) -> Option<T> {
        self.scope.borrow().last().map(|h| h.current_thread)
    }

    /// The innermost handler's `block_result`, read when a continuation
    /// starts or a `block` returns.
    fn block_result(&self) -> Cancelled {
        self.scope
            .borrow()
            .last()
            .map_or(Cancelled::False, |h| h.block_result)
    }
}

/// `cont_new(f)`: `f` receives the `block_result` of the first `resume`.
/// A parked continuation of `f`'s type runs it, else a new one.
pub fn cont_new<T, F, Fut>(handlers: &Rc<Handlers<T>>, f: F) -> Continuation<T>
where
    T: Copy + 'static,
    F: FnOnce(Cancelled) -> Fut + 'static,
    Fut: Future<Output = Result<Option<T>, Trap>> + 'static,
{
    let parked = {
        let mut parked = handlers.parked.borrow_mut();
        let i = parked.iter().rposition(|c| c.seed.is::<Seed<T, F>>());
        i.map(|i| parked.swap_remove(i))
    };
    let cont = parked.unwrap_or_else(|| {
        let seed: Rc<Seed<T, F>> = Rc::new(RefCell::new(None));
        Continuation {
            future: Box::pin(run_seeds(seed.clone())),
            seed,
            thread: PhantomData,
        }
    });
    if let Some(seed) = cont.seed.downcast_ref::<Seed<T, F>>() {
        *seed.borrow_mut() = Some((f, handlers.clone()));
    }
    cont
}

/// A continuation's future: runs each `f` put in `seed`, reports what it
/// returned to the innermost handler (that of the `resume` that ran it to
/// the end), and parks until the next.
async fn run_seeds<T, F, Fut>(seed: Rc<Seed<T, F>>) -> Infallible
where
    T: Copy,
    F: FnOnce(Cancelled) -> Fut,
    Fut: Future<Output = Result<Option<T>, Trap>>,
{
    loop {
        // Without a seed (never: `cont_new` seeds what it returns) the
        // future parks again.
        let next = seed.borrow_mut().take();
        if let Some((f, handlers)) = next {
            let first = handlers.block_result();
            let returned = f(first).await;
            if let Some(h) = handlers.scope.borrow_mut().last_mut() {
                h.returned = Some(returned);
            }
        }
        Park(false).await;
    }
}

/// The future of a continuation's parking: `Pending` once.
struct Park(bool);

impl Future for Park {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        Poll::Pending
    }
}

/// `resume(cont, block_result, current_thread)`: runs `cont` until it
/// blocks or returns; gives back the continuation if it blocked (else it
/// is parked), and the thread it asked to switch to.
///
/// # Errors
/// The trap that ended the computation.
#[inline]
pub fn resume<T: Copy>(
    handlers: &Handlers<T>,
    mut cont: Continuation<T>,
    block_result: Cancelled,
    current_thread: T,
) -> Result<(Option<Continuation<T>>, Option<T>), Trap> {
    handlers.scope.borrow_mut().push(Handler {
        current_thread,
        block_arg: None,
        block_result,
        returned: None,
    });
    let polled = cont
        .future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()));
    let handler = handlers.scope.borrow_mut().pop();
    if let Poll::Ready(never) = polled {
        match never {}
    }
    match handler {
        Some(Handler {
            returned: Some(returned),
            ..
        }) => {
            let mut parked = handlers.parked.borrow_mut();
            if parked.len() < Handlers::<T>::PARKED {
                parked.push(cont);
            }
            Ok((None, returned?))
        }
        handler => Ok((Some(cont), handler.and_then(|h| h.block_arg))),
    }
}

/// `resume` of a computation that cannot `block` (`f` is not a future):
/// `f` runs on the caller's stack, as `current_thread`, with no
/// continuation to poll. A thread whose steps up to its end or its first
/// possible `block` are known runs them so, and makes its continuation
/// only if it gets that far (see `canon_lift`).
#[inline]
pub fn resume_in_place<T: Copy, R>(
    handlers: &Handlers<T>,
    current_thread: T,
    f: impl FnOnce() -> R,
) -> R {
    handlers.scope.borrow_mut().push(Handler {
        current_thread,
        block_arg: None,
        block_result: Cancelled::False,
        returned: None,
    });
    let r = f();
    handlers.scope.borrow_mut().pop();
    r
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
        if let Some(h) = self.handlers.scope.borrow_mut().last_mut() {
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
    fn a_finished_continuation_runs_the_next_f_of_its_type() {
        fn counter(handlers: &Rc<Handlers<u32>>, n: Rc<RefCell<u32>>) -> Continuation<u32> {
            cont_new(handlers, move |_| async move {
                *n.borrow_mut() += 1;
                Ok(None)
            })
        }
        let address = |c: &Continuation<u32>| core::ptr::from_ref(&*c.future).cast::<u8>();
        let handlers: Rc<Handlers<u32>> = Handlers::new();
        let n = Rc::new(RefCell::new(0));
        let first = counter(&handlers, n.clone());
        let first_box = address(&first);
        assert!(
            resume(&handlers, first, Cancelled::False, 1)
                .unwrap()
                .0
                .is_none()
        );
        // Another type of `f` cannot run on it; the same type does.
        let other = cont_new(&handlers, |_| async { Ok(Some(3)) });
        assert_ne!(address(&other), first_box);
        let second = counter(&handlers, n.clone());
        assert_eq!(address(&second), first_box);
        assert!(
            resume(&handlers, second, Cancelled::False, 1)
                .unwrap()
                .0
                .is_none()
        );
        assert_eq!(*n.borrow(), 2);
        assert_eq!(
            resume(&handlers, other, Cancelled::False, 1).unwrap().1,
            Some(3)
        );
    }

    #[test]
    fn a_computation_resumed_in_place_sees_its_thread_and_nests() {
        let handlers: Rc<Handlers<u32>> = Handlers::new();
        let seen = resume_in_place(&handlers, 5, || {
            let inner = cont_new(&handlers, |_| async { Ok(None) });
            let inner = resume(&handlers, inner, Cancelled::False, 6).map(|r| r.0.is_none());
            (handlers.current_thread(), inner)
        });
        assert_eq!(seen, (Some(5), Ok(true)));
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
