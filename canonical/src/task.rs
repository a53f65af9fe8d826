//! Tasks (CanonicalABI.md "Tasks"): one cross-component call, its state,
//! threads, borrows and the callbacks that deliver its arguments and
//! result.
//!
//! The spec's methods that reach other objects (the instance, threads)
//! are functions of the store and a [`TaskId`]; `enter_implicit_thread`
//! can block (backpressure) and is `async`.

use crate::choices::Site;
use crate::inline_vec::InlineVec;
use crate::instance::InstanceId;
use crate::options::CanonicalOptions;
use crate::stack_switching::Cancelled;
use crate::store::{OnResolve, OnStart, Store, TaskId, ThreadId, internal};
use crate::subtask::Subtask;
use crate::thread::{ReadyFunc, resume_thread, wait_until};
use crate::trace::{traced, traced_async};
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::{FuncType, ValType};
use crate::value::Value;
use alloc::borrow::Cow;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::fmt;

/// `Task.State`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    Initial,
    Started,
    PendingCancel,
    CancelDelivered,
    Resolved,
}

/// `Task`.
pub struct Task {
    /// The task's name in `ResourceHandle.borrow_scope`.
    pub id: usize,
    pub ft: Rc<FuncType>,
    pub opts: CanonicalOptions,
    pub inst: InstanceId,
    pub on_start: Option<OnStart<'static>>,
    pub on_resolve: Option<OnResolve>,
    pub state: TaskState,
    pub num_borrows: u32,
    pub implicit_thread: Option<ThreadId>,
    /// Inline: most tasks have their implicit thread alone.
    pub threads: InlineVec<ThreadId, 2>,
}

impl fmt::Debug for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task")
            .field("id", &self.id)
            .field("state", &self.state)
            .field("num_borrows", &self.num_borrows)
            .finish()
    }
}

impl Task {
    /// `Task(ft, opts, inst, on_start, on_resolve)`.
    pub fn new(
        id: usize,
        ft: Rc<FuncType>,
        opts: CanonicalOptions,
        inst: InstanceId,
        on_start: Option<OnStart<'static>>,
        on_resolve: OnResolve,
    ) -> Task {
        Task {
            id,
            ft,
            opts,
            inst,
            on_start,
            on_resolve: Some(on_resolve),
            state: TaskState::Initial,
            num_borrows: 0,
            implicit_thread: None,
            threads: InlineVec::new(),
        }
    }

    /// `needs_exclusive`: whether the implicit thread must hold the
    /// instance's `exclusive_thread` lock (only asked of `async` types).
    pub fn needs_exclusive(&self) -> bool {
        debug_assert!(self.ft.async_);
        !self.opts.async_ || self.opts.callback.is_some()
    }

    /// `deliver_pending_cancel`.
    pub fn deliver_pending_cancel(&mut self, cancellable: bool) -> bool {
        if cancellable && self.state == TaskState::PendingCancel {
            self.state = TaskState::CancelDelivered;
            return true;
        }
        false
    }
}

/// `enter_implicit_thread`: the current thread becomes the task's
/// implicit thread, after waiting out backpressure for `async` types.
/// Returns `false` if the task was cancelled while waiting.
pub async fn enter_implicit_thread(store: &Rc<Store>, task: TaskId) -> Result<bool, Trap> {
    traced_async!(
        store,
        "Task.enter_implicit_thread",
        [Int("task", u64::from(task.0))],
        {
            let thread = store.current_thread()?;
            let (is_async, inst) = claim_implicit_thread(store, task, thread)?;
            if is_async {
                let needs_exclusive = store.state.borrow().task(task)?.needs_exclusive();
                let has_backpressure = move |s: &Store| {
                    let state = s.state.borrow();
                    state.instances.get(inst).is_some_and(|i| {
                        i.backpressure > 0 || (needs_exclusive && i.exclusive_thread.is_some())
                    })
                };
                let waiting_to_enter = store
                    .state
                    .borrow()
                    .instances
                    .get(inst)
                    .is_some_and(|i| i.num_waiting_to_enter > 0);
                if has_backpressure(store) || waiting_to_enter {
                    store
                        .state
                        .borrow_mut()
                        .inst_mut(inst)?
                        .num_waiting_to_enter += 1;
                    let ready: ReadyFunc = Rc::new(move |s: &Store| !has_backpressure(s));
                    let cancelled = wait_until(store, thread, ready, true).await?;
                    store
                        .state
                        .borrow_mut()
                        .inst_mut(inst)?
                        .num_waiting_to_enter -= 1;
                    if cancelled == Cancelled::True {
                        cancel(store, task)?;
                        return Ok(false);
                    }
                }
                if needs_exclusive {
                    let mut state = store.state.borrow_mut();
                    let i = state.inst_mut(inst)?;
                    debug_assert!(i.exclusive_thread.is_none());
                    i.exclusive_thread = Some(thread);
                }
            }
            register_thread(store, task, thread)?;
            Ok(true)
        }
    )
}

/// `enter_implicit_thread` of a synchronously-typed task, which never
/// waits: a function, for a thread run in place.
#[inline]
pub fn enter_implicit_thread_sync(store: &Store, task: TaskId) -> Result<(), Trap> {
    traced!(
        store,
        "Task.enter_implicit_thread",
        [Int("task", u64::from(task.0))],
        {
            let thread = store.current_thread()?;
            let (is_async, _) = claim_implicit_thread(store, task, thread)?;
            if is_async {
                return Err(internal("an async task entered without waiting"));
            }
            register_thread(store, task, thread)
        }
    )
}

/// `enter_implicit_thread`'s first step: `thread` becomes the task's
/// implicit thread. Returns whether the task's type is `async`, and its
/// instance.
#[inline]
fn claim_implicit_thread(
    store: &Store,
    task: TaskId,
    thread: ThreadId,
) -> Result<(bool, InstanceId), Trap> {
    let mut state = store.state.borrow_mut();
    let t = state.task_mut(task)?;
    debug_assert_eq!(t.state, TaskState::Initial);
    t.implicit_thread = Some(thread);
    Ok((t.ft.async_, t.inst))
}

/// `register_thread`.
#[inline]
pub fn register_thread(store: &Store, task: TaskId, thread: ThreadId) -> Result<(), Trap> {
    let mut state = store.state.borrow_mut();
    let inst = {
        let t = state.task_mut(task)?;
        t.threads.push(thread);
        t.inst
    };
    let index = state
        .instances
        .get_mut(inst)
        .ok_or(internal("unknown instance"))?
        .threads
        .add(thread)?;
    state.thread_mut(thread)?.index = Some(index);
    Ok(())
}

/// `exit_implicit_thread`: also releases the `exclusive_thread` lock.
#[inline]
pub fn exit_implicit_thread(store: &Store, task: TaskId) -> Result<(), Trap> {
    traced!(
        store,
        "Task.exit_implicit_thread",
        [Int("task", u64::from(task.0))],
        {
            let (thread, releases, inst) = {
                let mut state = store.state.borrow_mut();
                let t = state.task_mut(task)?;
                // The task forgets the thread, whose slot is released when
                // it finishes and may then name another thread.
                let thread = t
                    .implicit_thread
                    .take()
                    .ok_or(internal("task without implicit thread"))?;
                (thread, t.ft.async_ && t.needs_exclusive(), t.inst)
            };
            unregister_thread(store, task, thread)?;
            if releases {
                let mut state = store.state.borrow_mut();
                let i = state.inst_mut(inst)?;
                debug_assert_eq!(i.exclusive_thread, Some(thread));
                i.exclusive_thread = None;
            }
            Ok(())
        }
    )
}

/// `unregister_thread`: the task must have resolved when its last thread
/// leaves.
#[inline]
pub fn unregister_thread(store: &Store, task: TaskId, thread: ThreadId) -> Result<(), Trap> {
    let mut state = store.state.borrow_mut();
    let (inst, last, resolved) = {
        let t = state.task_mut(task)?;
        t.threads.retain(|th| *th != thread);
        (t.inst, t.threads.is_empty(), t.state == TaskState::Resolved)
    };
    trap_if(last && !resolved, TrapKind::TaskExitedWithoutResult)?;
    let index = state
        .thread_mut(thread)?
        .index
        .take()
        .ok_or(internal("unregistered thread"))?;
    state
        .instances
        .get_mut(inst)
        .ok_or(internal("unknown instance"))?
        .threads
        .remove(index as u64)?;
    if last {
        // Resolved and no thread left: the task is done (`OnCancel` checks
        // its slot's generation), so its slot goes.
        state.tasks.release(task.0);
    }
    Ok(())
}

/// `start`: the task's arguments, from its caller. `on_start` is the
/// task's, or, for a task whose thread runs in place and so starts before
/// the call returns, the caller's as it was passed (the host's lent
/// arguments are then not copied).
#[inline]
pub fn start<'a>(
    store: &Rc<Store>,
    task: TaskId,
    on_start: Option<OnStart<'a>>,
) -> Result<Cow<'a, [Value]>, Trap> {
    traced!(
        store,
        "Task.start",
        [Int("task", u64::from(task.0))],
        |args| [Values(args, &param_types(store, task))],
        {
            let kept = {
                let mut state = store.state.borrow_mut();
                let t = state.task_mut(task)?;
                t.state = TaskState::Started;
                t.on_start.take()
            };
            match (on_start, kept) {
                (Some(on_start), None) => on_start.call(store),
                (None, Some(on_start)) => on_start.call(store),
                _ => Err(internal("a task started twice, or with two OnStarts")),
            }
        }
    )
}

/// `return_`: delivers the result to the caller.
#[inline]
pub fn return_(store: &Rc<Store>, task: TaskId, result: Vec<Value>) -> Result<(), Trap> {
    traced!(
        store,
        "Task.return_",
        [
            Int("task", u64::from(task.0)),
            Values(&result, &result_types(store, task))
        ],
        {
            let on_resolve = {
                let mut state = store.state.borrow_mut();
                let t = state.task_mut(task)?;
                trap_if(
                    t.state == TaskState::Resolved,
                    TrapKind::TaskAlreadyResolved,
                )?;
                trap_if(t.num_borrows > 0, TrapKind::BorrowsOutstanding)?;
                t.on_resolve.take().ok_or(internal("task resolved twice"))?
            };
            on_resolve.call(store, Some(result))?;
            store.state.borrow_mut().task_mut(task)?.state = TaskState::Resolved;
            Ok(())
        }
    )
}

/// `request_cancellation`: the task's `OnCancel`. A task still waiting
/// to enter is cancelled at once; otherwise one cancellable thread (chosen
/// through the store's choices) is resumed with `Cancelled.TRUE`, if the
/// instance may be entered, else the request is left pending.
pub fn request_cancellation(
    store: &Rc<Store>,
    task: TaskId,
    caller: Option<InstanceId>,
) -> Result<(), Trap> {
    traced!(
        store,
        "Task.request_cancellation",
        [Int("task", u64::from(task.0))],
        {
            let (state0, implicit, inst) = {
                let state = store.state.borrow();
                let t = state.task(task)?;
                (t.state, t.implicit_thread, t.inst)
            };
            if state0 == TaskState::Initial {
                store.state.borrow_mut().task_mut(task)?.state = TaskState::CancelDelivered;
                let implicit = implicit.ok_or(internal("task without implicit thread"))?;
                return resume_thread(store, implicit, Cancelled::True);
            }
            if state0 != TaskState::Started {
                // Resolved, or cancellation already requested: nothing to deliver.
                return Ok(());
            }
            let (candidates, may_enter) = {
                let state = store.state.borrow();
                let t = state.task(task)?;
                let mut candidates: Vec<ThreadId> = t
                    .threads
                    .iter()
                    .copied()
                    .filter(|th| state.thread(*th).is_ok_and(|th| th.cancellable))
                    .collect();
                let exclusive = state.instances.get(inst).and_then(|i| i.exclusive_thread);
                if t.ft.async_
                    && t.needs_exclusive()
                    && exclusive.is_some()
                    && exclusive != implicit
                {
                    candidates.retain(|th| Some(*th) != implicit);
                }
                (candidates, state.instances.may_enter_from(inst, caller))
            };
            if !candidates.is_empty() && may_enter {
                store.state.borrow_mut().task_mut(task)?.state = TaskState::CancelDelivered;
                store.state.borrow_mut().instances.enter_from(inst, caller);
                let chosen = candidates[store.choice(Site::RequestCancellation, candidates.len())];
                let r = resume_thread(store, chosen, Cancelled::True);
                store.state.borrow_mut().instances.leave_to(inst, caller);
                r
            } else {
                store.state.borrow_mut().task_mut(task)?.state = TaskState::PendingCancel;
                Ok(())
            }
        }
    )
}

/// `cancel`: resolves the task without a result, once cancellation was
/// delivered.
pub fn cancel(store: &Rc<Store>, task: TaskId) -> Result<(), Trap> {
    traced!(store, "Task.cancel", [Int("task", u64::from(task.0))], {
        let on_resolve = {
            let mut state = store.state.borrow_mut();
            let t = state.task_mut(task)?;
            trap_if(
                t.state != TaskState::CancelDelivered,
                TrapKind::TaskCancelNotDelivered,
            )?;
            trap_if(t.num_borrows > 0, TrapKind::BorrowsOutstanding)?;
            t.on_resolve.take().ok_or(internal("task resolved twice"))?
        };
        on_resolve.call(store, None)?;
        store.state.borrow_mut().task_mut(task)?.state = TaskState::Resolved;
        Ok(())
    })
}

/// The task's parameter types, for traces.
fn param_types(store: &Store, task: TaskId) -> Vec<ValType> {
    let state = store.state.borrow();
    state
        .task(task)
        .map(|t| t.ft.param_types())
        .unwrap_or_default()
}

/// The task's result types, for traces.
fn result_types(store: &Store, task: TaskId) -> Vec<ValType> {
    let state = store.state.borrow();
    state
        .task(task)
        .map(|t| t.ft.result_type().to_vec())
        .unwrap_or_default()
}

/// `LiftLowerContext.borrow_scope`: the task that lowers borrows or the
/// subtask that lifts them.
#[derive(Debug)]
pub enum BorrowScope<'a> {
    Task(&'a mut Task),
    Subtask(&'a mut Subtask),
}
