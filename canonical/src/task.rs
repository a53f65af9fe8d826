//! Tasks (CanonicalABI.md "Tasks"): one cross-component call, its state,
//! threads, borrows and the callbacks that deliver its arguments and
//! result.
//!
//! Backpressure, exclusivity and cancellation of `async` function types
//! join with the asynchronous definitions; a synchronous task follows the
//! spec's steps as written.

use crate::instance::InstanceId;
use crate::options::CanonicalOptions;
use crate::store::{OnResolve, OnStart, Store, TaskId, ThreadId, internal};
use crate::subtask::Subtask;
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::FuncType;
use crate::value::Value;
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
    pub on_start: Option<OnStart>,
    pub on_resolve: Option<OnResolve>,
    pub state: TaskState,
    pub num_borrows: u32,
    pub implicit_thread: Option<ThreadId>,
    pub threads: Vec<ThreadId>,
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
        on_start: OnStart,
        on_resolve: OnResolve,
    ) -> Task {
        Task {
            id,
            ft,
            opts,
            inst,
            on_start: Some(on_start),
            on_resolve: Some(on_resolve),
            state: TaskState::Initial,
            num_borrows: 0,
            implicit_thread: None,
            threads: Vec::new(),
        }
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

/// `enter_implicit_thread`: the current thread becomes the task's implicit
/// thread. (Backpressure applies to `async` function types only.)
pub fn enter_implicit_thread(store: &Store, task: TaskId) -> Result<bool, Trap> {
    let thread = store.current_thread()?;
    let is_async = store.state.borrow().task(task)?.ft.async_;
    trap_if(is_async, TrapKind::Unsupported("async function types (🔀)"))?;
    store.state.borrow_mut().task_mut(task)?.implicit_thread = Some(thread);
    register_thread(store, task, thread)?;
    Ok(true)
}

/// `register_thread`.
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

/// `exit_implicit_thread`.
pub fn exit_implicit_thread(store: &Store, task: TaskId) -> Result<(), Trap> {
    let thread = store
        .state
        .borrow()
        .task(task)?
        .implicit_thread
        .ok_or(internal("task without implicit thread"))?;
    unregister_thread(store, task, thread)
}

/// `unregister_thread`: the task must have resolved when its last thread
/// leaves.
pub fn unregister_thread(store: &Store, task: TaskId, thread: ThreadId) -> Result<(), Trap> {
    let mut state = store.state.borrow_mut();
    let (inst, last, resolved) = {
        let t = state.task_mut(task)?;
        t.threads.retain(|th| *th != thread);
        (t.inst, t.threads.is_empty(), t.state == TaskState::Resolved)
    };
    trap_if(
        last && !resolved,
        TrapKind::Core("the task's last thread exited before it returned a result".into()),
    )?;
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
    Ok(())
}

/// `start`: the task's arguments, from its caller.
pub fn start(store: &Rc<Store>, task: TaskId) -> Result<Vec<Value>, Trap> {
    let on_start = {
        let mut state = store.state.borrow_mut();
        let t = state.task_mut(task)?;
        t.state = TaskState::Started;
        t.on_start.take().ok_or(internal("task started twice"))?
    };
    on_start(store)
}

/// `return_`: delivers the result to the caller.
pub fn return_(store: &Rc<Store>, task: TaskId, result: Vec<Value>) -> Result<(), Trap> {
    let on_resolve = {
        let mut state = store.state.borrow_mut();
        let t = state.task_mut(task)?;
        trap_if(
            t.state == TaskState::Resolved,
            TrapKind::Core("the task already returned".into()),
        )?;
        trap_if(t.num_borrows > 0, TrapKind::BorrowsOutstanding)?;
        t.on_resolve.take().ok_or(internal("task resolved twice"))?
    };
    on_resolve(store, Some(result))?;
    store.state.borrow_mut().task_mut(task)?.state = TaskState::Resolved;
    Ok(())
}

/// `LiftLowerContext.borrow_scope`: the task that lowers borrows or the
/// subtask that lifts them.
#[derive(Debug)]
pub enum BorrowScope<'a> {
    Task(&'a mut Task),
    Subtask(&'a mut Subtask),
}
