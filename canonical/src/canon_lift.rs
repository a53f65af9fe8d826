//! `canon lift` (CanonicalABI.md "`canon lift`"): calling a core function
//! as a component function, in a new implicit thread of a new task;
//! synchronous, stackful `async` (🚟) and `async callback` (🔀) forms.

use crate::choices::Site;
use crate::core_value::{CoreValue, CoreValueIter};
use crate::flattening::{MAX_FLAT_PARAMS, MAX_FLAT_RESULTS};
use crate::instance::{HandleElem, InstanceId};
use crate::options::{CanonicalOptions, FuncRef};
use crate::stack_switching::{Cancelled, resume_in_place};
use crate::store::{
    CoreCall, OnCancel, OnResolve, OnStart, Scope, Store, TaskId, ThreadId, internal,
};
use crate::task::{
    Task, TaskState, enter_implicit_thread, enter_implicit_thread_sync, exit_implicit_thread,
    return_, start,
};
use crate::thread::{
    ReadyFunc, continue_later, new_running_thread, new_thread, ready, resume_thread, wait_until,
};
use crate::trace::{traced, traced_async};
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::{FuncType, ValType};
use crate::value::Value;
use crate::values::{
    all_plain, lift_flat_plain_values, lift_flat_values, lower_flat_plain_values, lower_flat_values,
};
use crate::waitable::{EventCode, EventTuple, wait_for_event_and};
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

/// `canon_lift`: returns the task's `request_cancellation` as `OnCancel`.
/// `param_types` is `ft.param_types()`, built once when the function was
/// lifted rather than at every call.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn canon_lift(
    store: &Rc<Store>,
    callee: FuncRef,
    ft: Rc<FuncType>,
    param_types: Rc<[ValType]>,
    opts: CanonicalOptions,
    inst: InstanceId,
    on_start: OnStart<'_>,
    on_resolve: OnResolve,
) -> Result<OnCancel, Trap> {
    traced!(
        store,
        "canon_lift",
        [
            CoreFunc(callee, store.func_name(callee).as_deref()),
            FuncType(&ft)
        ],
        {
            // A synchronous lift's thread runs in place when nothing
            // traces, and starts before this returns: the caller's
            // `on_start` is then used as it is, not kept by the task.
            let in_place = !ft.async_ && !opts.async_ && !store.tracing();
            let (kept, on_start) = match in_place {
                true => (None, Some(on_start)),
                false => (Some(on_start.into_owned()), None),
            };
            // The task's slot is released once it resolved and its last
            // thread left; `generation` tells this frame and `OnCancel`,
            // which may outlive it, whether the slot still holds it.
            let (task, generation) = {
                let mut state = store.state.borrow_mut();
                let id = state.tasks.next_slot();
                state.tasks.insert(Task::new(
                    id as usize,
                    ft.clone(),
                    opts,
                    inst,
                    kept,
                    on_resolve,
                ));
                (TaskId(id), state.tasks.generation(id))
            };
            let is_async = ft.async_;
            let lift = Lifted {
                callee,
                ft,
                param_types,
                opts,
                inst,
            };
            let thread = if in_place {
                sync_thread_in_place(store, task, &lift, on_start)?
            } else {
                let s = store.clone();
                Some(new_thread(store, task, move || thread_func(s, task, lift)))
            };
            if let Some(thread) = thread {
                resume_thread(store, thread, Cancelled::False)?;
            }
            if !is_async {
                while store
                    .state
                    .borrow()
                    .tasks
                    .get_live(task.0, generation)
                    .is_some_and(|t| t.state != TaskState::Resolved)
                {
                    let candidates: Vec<ThreadId> = {
                        let state = store.state.borrow();
                        let i = state
                            .instances
                            .get(inst)
                            .ok_or(internal("unknown instance"))?;
                        let exclusive = i.exclusive_thread;
                        i.threads
                            .iter()
                            .map(|(_, t)| *t)
                            .filter(|t| Some(*t) != exclusive)
                            .collect()
                    };
                    let mut candidates: Vec<ThreadId> = candidates
                        .into_iter()
                        .filter(|t| ready(store, *t))
                        .collect();
                    if candidates.is_empty() {
                        return Err(cannot_block(store, task));
                    }
                    // `random.choice` over a set: the list handed to the
                    // store's choices puts this task's own threads first
                    // (then table order), so the deterministic mode's first
                    // candidate is the work the synchronous caller waits on.
                    {
                        let state = store.state.borrow();
                        candidates
                            .sort_by_key(|t| state.thread(*t).map_or(true, |th| th.task != task));
                    }
                    let next = candidates[store.choice(Site::SyncLiftSchedule, candidates.len())];
                    resume_thread(store, next, Cancelled::False)?;
                }
            }
            Ok(OnCancel::Task { task, generation })
        }
    )
}

/// What the thread of a call of a lifted function needs of the lift.
#[derive(Clone)]
struct Lifted {
    callee: FuncRef,
    ft: Rc<FuncType>,
    param_types: Rc<[ValType]>,
    opts: CanonicalOptions,
    inst: InstanceId,
}

/// `canon_lift`'s `thread_func`.
async fn thread_func(store: Rc<Store>, task: TaskId, lift: Lifted) -> Result<(), Trap> {
    if !enter_implicit_thread(&store, task).await? {
        // Cancelled before it started: resolved, with no thread.
        store.state.borrow_mut().tasks.release(task.0);
        return Ok(());
    }
    let flat_args = lower_args(&store, task, &lift, None)?;
    if !lift.opts.async_ {
        let call = call_and_trap_on_throw(&store, lift.callee, flat_args);
        return finish_sync(store, task, lift, call).await;
    }
    let Lifted {
        callee, opts, inst, ..
    } = lift;
    let Some(callback) = opts.callback else {
        // Stackful async (🚟): one call, no core results.
        call_and_trap_on_throw(&store, callee, flat_args).await?;
        return exit_implicit_thread(&store, task);
    };
    let thread = store.current_thread()?;
    let packed = call_and_trap_on_throw(&store, callee, flat_args).await?;
    let (mut code, mut si) = unpack_callback_result(first_i32(&packed)?)?;
    while code != CallbackCode::Exit {
        store.state.borrow_mut().inst_mut(inst)?.exclusive_thread = None;
        let not_exclusive: ReadyFunc = Rc::new(move |s: &Store| {
            s.state
                .borrow()
                .instances
                .get(inst)
                .is_some_and(|i| i.exclusive_thread.is_none())
        });
        let event: EventTuple = match code {
            CallbackCode::Yield => {
                let cancelled = wait_until(&store, thread, not_exclusive, true).await?;
                if cancelled == Cancelled::True {
                    (EventCode::TaskCancelled, 0, 0)
                } else {
                    (EventCode::None, 0, 0)
                }
            }
            CallbackCode::Wait => {
                let is_set = matches!(
                    store
                        .state
                        .borrow()
                        .instances
                        .get(inst)
                        .map(|i| i.handles.get(si as u64)),
                    Some(Ok(HandleElem::WaitableSet(_)))
                );
                if !is_set {
                    // `inst.handles.get(si)` traps on a bad index, then
                    // `isinstance` on another kind.
                    store.state.borrow_mut().waitable_set_mut(inst, si)?;
                }
                wait_for_event_and(&store, inst, si, not_exclusive, true).await?
            }
            CallbackCode::Exit => return Err(internal("unreachable callback code")),
        };
        {
            let mut state = store.state.borrow_mut();
            let i = state.inst_mut(inst)?;
            debug_assert!(i.exclusive_thread.is_none());
            i.exclusive_thread = Some(thread);
        }
        let (event_code, p1, p2) = event;
        let args = vec![
            CoreValue::I32(event_code as u32),
            CoreValue::I32(p1),
            CoreValue::I32(p2),
        ];
        let packed = call_and_trap_on_throw(&store, callback, args).await?;
        (code, si) = unpack_callback_result(first_i32(&packed)?)?;
    }
    exit_implicit_thread(&store, task)
}

/// A synchronous lift's thread, run in place ([`resume_in_place`]) when
/// nothing traces: [`thread_func`]'s steps in order, on the caller's
/// stack. A core call that must await an import makes the rest of the
/// steps the thread's continuation ([`continue_later`]), for
/// `resume_thread` to run; the thread is then returned.
fn sync_thread_in_place(
    store: &Rc<Store>,
    task: TaskId,
    lift: &Lifted,
    on_start: Option<OnStart<'_>>,
) -> Result<Option<ThreadId>, Trap> {
    let thread = new_running_thread(store, task);
    let finished = resume_in_place(&store.handlers, thread, || -> Result<bool, Trap> {
        enter_implicit_thread_sync(store, task)?;
        let flat_args = lower_args(store, task, lift, on_start)?;
        let flat_results = match call_and_trap_on_throw(store, lift.callee, flat_args) {
            CoreCall::Done(r) => r?,
            call => {
                let (s, lift) = (store.clone(), lift.clone());
                continue_later(store, thread, move || finish_sync(s, task, lift, call))?;
                return Ok(false);
            }
        };
        return_results(store, task, lift, &flat_results)?;
        if let Some(post_return) = lift.opts.post_return {
            set_may_leave(store, lift.inst, false)?;
            match call_and_trap_on_throw(store, post_return, flat_results) {
                CoreCall::Done(r) => store.flat_buffers.give(r?),
                call => {
                    let (s, inst) = (store.clone(), lift.inst);
                    continue_later(store, thread, move || {
                        finish_post_return(s, task, inst, call)
                    })?;
                    return Ok(false);
                }
            }
            set_may_leave(store, lift.inst, true)?;
        } else {
            store.flat_buffers.give(flat_results);
        }
        exit_implicit_thread(store, task)?;
        Ok(true)
    })?;
    if finished {
        // Like a thread whose continuation returned: its slot goes.
        store.state.borrow_mut().threads.release(thread.0);
        return Ok(None);
    }
    Ok(Some(thread))
}

/// `task.start` (with the caller's `on_start` if the task does not keep
/// it), and `lower_flat_values` of the arguments, which are then dropped
/// if they were given.
fn lower_args(
    store: &Rc<Store>,
    task: TaskId,
    lift: &Lifted,
    on_start: Option<OnStart<'_>>,
) -> Result<Vec<CoreValue>, Trap> {
    let args = start(store, task, on_start)?;
    let ts = &lift.param_types;
    let flat_args = if !store.tracing() && all_plain(ts, MAX_FLAT_PARAMS) {
        lower_flat_plain_values(&args, ts, store.flat_buffers.take())?
    } else {
        store.with_cx(&lift.opts, lift.inst, Scope::Task(task), |cx| {
            let flat_vals = store.flat_buffers.take();
            lower_flat_values(cx, MAX_FLAT_PARAMS, &args, ts, None, flat_vals)
        })?
    };
    if let Cow::Owned(mut args) = args {
        Value::free_lowered_lists(&mut args, &lift.param_types);
        store.value_buffers.give(args);
    }
    Ok(flat_args)
}

/// A synchronous lift's thread once its callee is called: the results'
/// `lift_flat_values` and `task.return_`, `post_return`, and the exit.
async fn finish_sync(
    store: Rc<Store>,
    task: TaskId,
    lift: Lifted,
    call: CoreCall,
) -> Result<(), Trap> {
    let flat_results = call.await?;
    return_results(&store, task, &lift, &flat_results)?;
    let Some(post_return) = lift.opts.post_return else {
        store.flat_buffers.give(flat_results);
        return exit_implicit_thread(&store, task);
    };
    set_may_leave(&store, lift.inst, false)?;
    let call = call_and_trap_on_throw(&store, post_return, flat_results);
    finish_post_return(store, task, lift.inst, call).await
}

/// A synchronous lift's thread once `post_return` is called.
async fn finish_post_return(
    store: Rc<Store>,
    task: TaskId,
    inst: InstanceId,
    call: CoreCall,
) -> Result<(), Trap> {
    store.flat_buffers.give(call.await?);
    set_may_leave(&store, inst, true)?;
    exit_implicit_thread(&store, task)
}

/// `lift_flat_values` of a synchronous callee's core results, and
/// `task.return_` of the values.
fn return_results(
    store: &Rc<Store>,
    task: TaskId,
    lift: &Lifted,
    flat_results: &[CoreValue],
) -> Result<(), Trap> {
    let (ts, vi) = (lift.ft.result_type(), &mut CoreValueIter::new(flat_results));
    let result = if !store.tracing() && all_plain(ts, MAX_FLAT_RESULTS) {
        lift_flat_plain_values(vi, ts, store.value_buffers.take())?
    } else {
        store.with_cx(&lift.opts, lift.inst, Scope::Task(task), |cx| {
            lift_flat_values(cx, MAX_FLAT_RESULTS, vi, ts, store.value_buffers.take())
        })?
    };
    return_(store, task, result)
}

/// The trap of `canon_lift`'s `trap_if(not candidates)`: a
/// synchronously-typed `task` blocked and no thread of its instance may
/// run. The spec gives the trap no message; the reference tests word it
/// by what else could run: the deadlock report when threads of other tasks
/// are ready (elsewhere in the store, or excluded here) but this call may
/// resume none of them, "cannot block a synchronous task" otherwise.
fn cannot_block(store: &Rc<Store>, task: TaskId) -> Trap {
    let waiting = store.waiting_threads();
    let others_ready = waiting.iter().any(|t| {
        let other_task = store.state.borrow().thread(*t).map(|th| th.task);
        other_task.is_ok_and(|k| k != task) && ready(store, *t)
    });
    if others_ready {
        store.deadlock()
    } else {
        TrapKind::CannotBlockSync.into()
    }
}

/// `CallbackCode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallbackCode {
    Exit = 0,
    Yield = 1,
    Wait = 2,
}

impl CallbackCode {
    /// `CallbackCode.MAX`.
    pub const MAX: u32 = 2;
}

/// `unpack_callback_result`: the code and a waitable set index.
pub fn unpack_callback_result(packed: u32) -> Result<(CallbackCode, u32), Trap> {
    let code = packed & 0xf;
    trap_if(code > CallbackCode::MAX, TrapKind::UnsupportedCallbackCode)?;
    let code = match code {
        0 => CallbackCode::Exit,
        1 => CallbackCode::Yield,
        _ => CallbackCode::Wait,
    };
    Ok((code, packed >> 4))
}

/// `call_and_trap_on_throw`: the embedder's core call; an uncaught
/// exception arrives as its trap. It starts at once (every caller awaits
/// it at once). Without a tracer it is the embedder's call itself, awaited
/// with no future around it; traced, a boxed future reports it.
pub fn call_and_trap_on_throw(
    store: &Rc<Store>,
    callee: FuncRef,
    args: Vec<CoreValue>,
) -> CoreCall {
    if !store.tracing() {
        return store.embedder.borrow_mut().call_async(store, callee, args);
    }
    let store = store.clone();
    CoreCall::Pending(Box::pin(async move {
        let store = &store;
        traced_async!(
            store,
            "call_and_trap_on_throw",
            [
                CoreFunc(callee, store.func_name(callee).as_deref()),
                Core(&args)
            ],
            |results| [Core(results)],
            {
                let call = store.embedder.borrow_mut().call_async(store, callee, args);
                call.await
            }
        )
    }))
}

fn first_i32(results: &[CoreValue]) -> Result<u32, Trap> {
    match results {
        [CoreValue::I32(i)] => Ok(*i),
        _ => Err(internal("callback result is not one i32")),
    }
}

/// Sets `inst.may_leave`.
pub(crate) fn set_may_leave(store: &Store, inst: InstanceId, may_leave: bool) -> Result<(), Trap> {
    store
        .state
        .borrow_mut()
        .instances
        .get_mut(inst)
        .ok_or(internal("unknown instance"))?
        .may_leave = may_leave;
    Ok(())
}
