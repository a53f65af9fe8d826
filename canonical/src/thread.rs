//! Threads (CanonicalABI.md "Threads"): a continuation plus the thread's
//! readiness condition, task, cancellability, index and storage.
//!
//! The spec's methods become functions of the store and a [`ThreadId`];
//! those that block are `async` and await [`block`], never holding a
//! borrow of the store's state across it.

use crate::choices::Site;
use crate::stack_switching::{Cancelled, Continuation, block, cont_new, resume};
use crate::store::{Store, TaskId, ThreadId, internal};
use crate::trace::{traced, traced_async};
use crate::trap::Trap;
use alloc::rc::Rc;
use core::future::Future;

/// `ready_func`: whether a waiting thread may run.
pub type ReadyFunc = Rc<dyn Fn(&Store) -> bool>;

/// `Thread`.
pub struct Thread {
    pub cont: Option<Continuation<ThreadId>>,
    pub ready_func: Option<ReadyFunc>,
    pub task: TaskId,
    pub cancellable: bool,
    pub index: Option<u32>,
    pub storage: [u64; 2],
}

impl Thread {
    pub fn running(&self) -> bool {
        self.cont.is_none()
    }

    pub fn suspended(&self) -> bool {
        !self.running() && self.ready_func.is_none()
    }

    pub fn waiting(&self) -> bool {
        !self.running() && self.ready_func.is_some()
    }
}

/// `ready()`: waiting and its condition holds.
pub fn ready(store: &Store, t: ThreadId) -> bool {
    let f = match store.state.borrow().thread(t) {
        Ok(th) if th.waiting() => th.ready_func.clone(),
        _ => None,
    };
    f.is_some_and(|f| f(store))
}

/// `Thread(task, thread_func)`: a new, suspended thread of `task`.
pub fn new_thread<F, Fut>(store: &Rc<Store>, task: TaskId, thread_func: F) -> ThreadId
where
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = Result<(), Trap>> + 'static,
{
    let cont = thread_cont(store, thread_func);
    insert_thread(store, task, Some(cont))
}

/// `Thread(task, thread_func)` for a thread that its creator runs at once
/// and in place
/// ([`resume_in_place`](crate::stack_switching::resume_in_place)) up to its end or to where it might
/// `block`: it is running from the start, and has no continuation unless
/// it gets that far ([`continue_later`]).
pub fn new_running_thread(store: &Store, task: TaskId) -> ThreadId {
    insert_thread(store, task, None)
}

/// The rest of a thread run in place, from where it might `block`, as its
/// continuation: the next [`resume_thread`] runs it.
pub fn continue_later<F, Fut>(store: &Rc<Store>, t: ThreadId, rest: F) -> Result<(), Trap>
where
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = Result<(), Trap>> + 'static,
{
    let cont = thread_cont(store, rest);
    store.state.borrow_mut().thread_mut(t)?.cont = Some(cont);
    Ok(())
}

/// `cont_new` of a thread's computation, which switches to no thread when
/// it returns.
fn thread_cont<F, Fut>(store: &Rc<Store>, thread_func: F) -> Continuation<ThreadId>
where
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = Result<(), Trap>> + 'static,
{
    cont_new(&store.handlers, move |cancelled| async move {
        debug_assert_eq!(cancelled, Cancelled::False);
        thread_func().await?;
        Ok(None)
    })
}

#[inline]
fn insert_thread(store: &Store, task: TaskId, cont: Option<Continuation<ThreadId>>) -> ThreadId {
    ThreadId(store.state.borrow_mut().threads.insert(Thread {
        cont,
        ready_func: None,
        task,
        cancellable: false,
        index: None,
        storage: [0, 0],
    }))
}

/// `start_waiting_internal`.
pub fn start_waiting_internal(
    store: &Store,
    t: ThreadId,
    ready_func: ReadyFunc,
) -> Result<(), Trap> {
    let mut state = store.state.borrow_mut();
    state.thread_mut(t)?.ready_func = Some(ready_func);
    state.waiting.push(t);
    Ok(())
}

/// `stop_waiting_internal`.
pub fn stop_waiting_internal(store: &Store, t: ThreadId) -> Result<(), Trap> {
    let mut state = store.state.borrow_mut();
    state.thread_mut(t)?.ready_func = None;
    state.waiting.retain(|w| *w != t);
    Ok(())
}

/// `resume_later`.
pub fn resume_later(store: &Store, t: ThreadId) -> Result<(), Trap> {
    start_waiting_internal(store, t, Rc::new(|_| true))
}

/// `resume`: runs the thread, then every thread it switches to, until one
/// blocks without switching.
pub fn resume_thread(store: &Rc<Store>, t: ThreadId, mut cancelled: Cancelled) -> Result<(), Trap> {
    traced!(
        store,
        "Thread.resume",
        [
            Int("thread", u64::from(t.0)),
            Int("cancelled", cancelled as u64)
        ],
        {
            let waiting = {
                let state = store.state.borrow();
                let th = state.thread(t)?;
                if th.running() || (cancelled == Cancelled::True && !th.cancellable) {
                    return Err(internal(
                        "resuming a running thread, or cancelling one not cancellable",
                    ));
                }
                th.waiting()
            };
            if waiting {
                stop_waiting_internal(store, t)?;
            }
            let mut thread = Some(t);
            while let Some(th) = thread {
                let cont = store
                    .state
                    .borrow_mut()
                    .thread_mut(th)?
                    .cont
                    .take()
                    .ok_or_else(|| internal("resuming a running thread"))?;
                let (cont, switch_to) = resume(&store.handlers, cont, cancelled, th)?;
                let mut state = store.state.borrow_mut();
                match cont {
                    Some(cont) => state.thread_mut(th)?.cont = Some(cont),
                    // Finished: nothing refers to the thread any more (it left its
                    // task and instance in `unregister_thread`), so its slot goes.
                    None => {
                        state.threads.release(th.0);
                    }
                }
                drop(state);
                thread = switch_to;
                cancelled = Cancelled::False;
            }
            Ok(())
        }
    )
}

/// `block_internal`.
pub async fn block_internal(
    store: &Rc<Store>,
    t: ThreadId,
    cancellable: bool,
) -> Result<Cancelled, Trap> {
    store.state.borrow_mut().thread_mut(t)?.cancellable = cancellable;
    Ok(block(&store.handlers, None).await)
}

/// `switch_to_internal`.
pub async fn switch_to_internal(
    store: &Rc<Store>,
    t: ThreadId,
    cancellable: bool,
    other: ThreadId,
) -> Result<Cancelled, Trap> {
    store.state.borrow_mut().thread_mut(t)?.cancellable = cancellable;
    Ok(block(&store.handlers, Some(other)).await)
}

/// The cancellation a thread must see before blocking
/// (`task.deliver_pending_cancel`).
fn deliver_pending_cancel(store: &Store, t: ThreadId, cancellable: bool) -> Result<bool, Trap> {
    let mut state = store.state.borrow_mut();
    let task = state.thread(t)?.task;
    Ok(state.task_mut(task)?.deliver_pending_cancel(cancellable))
}

/// `suspend`.
pub async fn suspend(store: &Rc<Store>, t: ThreadId, cancellable: bool) -> Result<Cancelled, Trap> {
    traced_async!(
        store,
        "Thread.suspend",
        [
            Int("thread", u64::from(t.0)),
            Int("cancellable", u64::from(cancellable))
        ],
        |c| [Int("cancelled", *c as u64)],
        {
            if deliver_pending_cancel(store, t, cancellable)? {
                return Ok(Cancelled::True);
            }
            block_internal(store, t, cancellable).await
        }
    )
}

/// `wait_until`. In the deterministic profile a ready condition still
/// blocks, letting other threads run first; otherwise the store's
/// [`Choices`](crate::choices::Choices) decide (`random.randint(0,1)`).
pub async fn wait_until(
    store: &Rc<Store>,
    t: ThreadId,
    ready_func: ReadyFunc,
    cancellable: bool,
) -> Result<Cancelled, Trap> {
    traced_async!(
        store,
        "Thread.wait_until",
        [
            Int("thread", u64::from(t.0)),
            Int("cancellable", u64::from(cancellable))
        ],
        |c| [Int("cancelled", *c as u64)],
        {
            if deliver_pending_cancel(store, t, cancellable)? {
                return Ok(Cancelled::True);
            }
            if ready_func(store) && {
                let mut choices = store.choices.borrow_mut();
                !choices.deterministic_profile() && choices.randint(Site::WaitUntilReady, 0, 1) == 1
            } {
                return Ok(Cancelled::False);
            }
            start_waiting_internal(store, t, ready_func)?;
            block_internal(store, t, cancellable).await
        }
    )
}

/// `yield_`.
pub async fn yield_(store: &Rc<Store>, t: ThreadId, cancellable: bool) -> Result<Cancelled, Trap> {
    traced_async!(
        store,
        "Thread.yield_",
        [
            Int("thread", u64::from(t.0)),
            Int("cancellable", u64::from(cancellable))
        ],
        |c| [Int("cancelled", *c as u64)],
        { wait_until(store, t, Rc::new(|_| true), cancellable).await }
    )
}

/// `suspend_then_resume`.
pub async fn suspend_then_resume(
    store: &Rc<Store>,
    t: ThreadId,
    cancellable: bool,
    other: ThreadId,
) -> Result<Cancelled, Trap> {
    traced_async!(
        store,
        "Thread.suspend_then_resume",
        [
            Int("thread", u64::from(t.0)),
            Int("cancellable", u64::from(cancellable)),
            Int("other", u64::from(other.0))
        ],
        |c| [Int("cancelled", *c as u64)],
        {
            if deliver_pending_cancel(store, t, cancellable)? {
                return Ok(Cancelled::True);
            }
            switch_to_internal(store, t, cancellable, other).await
        }
    )
}

/// `yield_then_resume`.
pub async fn yield_then_resume(
    store: &Rc<Store>,
    t: ThreadId,
    cancellable: bool,
    other: ThreadId,
) -> Result<Cancelled, Trap> {
    traced_async!(
        store,
        "Thread.yield_then_resume",
        [
            Int("thread", u64::from(t.0)),
            Int("cancellable", u64::from(cancellable)),
            Int("other", u64::from(other.0))
        ],
        |c| [Int("cancelled", *c as u64)],
        {
            if deliver_pending_cancel(store, t, cancellable)? {
                return Ok(Cancelled::True);
            }
            start_waiting_internal(store, t, Rc::new(|_| true))?;
            switch_to_internal(store, t, cancellable, other).await
        }
    )
}

/// `suspend_then_promote`.
pub async fn suspend_then_promote(
    store: &Rc<Store>,
    t: ThreadId,
    cancellable: bool,
    other: ThreadId,
) -> Result<Cancelled, Trap> {
    traced_async!(
        store,
        "Thread.suspend_then_promote",
        [
            Int("thread", u64::from(t.0)),
            Int("cancellable", u64::from(cancellable)),
            Int("other", u64::from(other.0))
        ],
        |c| [Int("cancelled", *c as u64)],
        {
            if deliver_pending_cancel(store, t, cancellable)? {
                return Ok(Cancelled::True);
            }
            if ready(store, other) {
                stop_waiting_internal(store, other)?;
                Box::pin(suspend_then_resume(store, t, cancellable, other)).await
            } else {
                Box::pin(suspend(store, t, cancellable)).await
            }
        }
    )
}

/// `yield_then_promote`.
pub async fn yield_then_promote(
    store: &Rc<Store>,
    t: ThreadId,
    cancellable: bool,
    other: ThreadId,
) -> Result<Cancelled, Trap> {
    traced_async!(
        store,
        "Thread.yield_then_promote",
        [
            Int("thread", u64::from(t.0)),
            Int("cancellable", u64::from(cancellable)),
            Int("other", u64::from(other.0))
        ],
        |c| [Int("cancelled", *c as u64)],
        {
            if deliver_pending_cancel(store, t, cancellable)? {
                return Ok(Cancelled::True);
            }
            if ready(store, other) {
                stop_waiting_internal(store, other)?;
                Box::pin(yield_then_resume(store, t, cancellable, other)).await
            } else {
                Box::pin(yield_(store, t, cancellable)).await
            }
        }
    )
}

use alloc::boxed::Box;
