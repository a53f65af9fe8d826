//! `canon lift` (CanonicalABI.md "`canon lift`"): calling a core function
//! as a component function, in a new thread of a new task.

use crate::core_value::CoreValueIter;
use crate::flattening::{MAX_FLAT_PARAMS, MAX_FLAT_RESULTS};
use crate::instance::InstanceId;
use crate::options::{CanonicalOptions, FuncRef};
use crate::stack_switching::Cancelled;
use crate::store::{OnResolve, OnStart, Scope, Store, TaskId, internal};
use crate::task::{Task, TaskState, enter_implicit_thread, exit_implicit_thread, return_, start};
use crate::thread::{new_thread, ready, resume_thread};
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::FuncType;
use crate::values::{lift_flat_values, lower_flat_values};
use alloc::rc::Rc;
use alloc::vec::Vec;

/// `canon_lift`: returns the task, whose cancellation is the spec's
/// `OnCancel`.
pub fn canon_lift(
    store: &Rc<Store>,
    callee: FuncRef,
    ft: Rc<FuncType>,
    opts: CanonicalOptions,
    inst: InstanceId,
    on_start: OnStart,
    on_resolve: OnResolve,
) -> Result<TaskId, Trap> {
    trap_if(
        opts.async_,
        TrapKind::Unsupported("`async` canon lift (🔀)"),
    )?;
    let task = {
        let mut state = store.state.borrow_mut();
        let id = state.tasks.len();
        state.tasks.push(Some(Task::new(
            id,
            ft.clone(),
            opts,
            inst,
            on_start,
            on_resolve,
        )));
        TaskId(id as u32)
    };
    let (s, is_async) = (store.clone(), ft.async_);
    let thread_func = move || async move {
        let store = s;
        if !enter_implicit_thread(&store, task)? {
            return Ok(());
        }
        let args = start(&store, task)?;
        let flat_args = store.with_cx(&opts, inst, Scope::Task(task), |cx| {
            lower_flat_values(cx, MAX_FLAT_PARAMS, &args, &ft.param_types(), None)
        })?;
        let call = store
            .embedder
            .borrow_mut()
            .call_async(&store, callee, flat_args);
        let flat_results = call.await?;
        let result = store.with_cx(&opts, inst, Scope::Task(task), |cx| {
            lift_flat_values(
                cx,
                MAX_FLAT_RESULTS,
                &mut CoreValueIter::new(&flat_results),
                &ft.result_type(),
            )
        })?;
        return_(&store, task, result)?;
        if let Some(post_return) = opts.post_return {
            set_may_leave(&store, inst, false)?;
            store
                .embedder
                .borrow_mut()
                .call(post_return, &flat_results)?;
            set_may_leave(&store, inst, true)?;
        }
        exit_implicit_thread(&store, task)
    };
    let thread = new_thread(store, task, thread_func);
    resume_thread(store, thread, Cancelled::False)?;
    if !is_async {
        loop {
            if store.state.borrow().task(task)?.state == TaskState::Resolved {
                break;
            }
            let candidates: Vec<_> = {
                let state = store.state.borrow();
                let inst = state
                    .instances
                    .get(inst)
                    .ok_or(internal("unknown instance"))?;
                inst.threads.iter().map(|(_, t)| *t).collect()
            };
            // The deterministic profile's choice among ready threads: the
            // first in the instance's table.
            let next = candidates.into_iter().find(|t| ready(store, *t));
            let Some(next) = next else {
                return Err(Trap {
                    kind: TrapKind::Core(
                        "a synchronous call blocked with no thread ready to run".into(),
                    ),
                });
            };
            resume_thread(store, next, Cancelled::False)?;
        }
    }
    Ok(task)
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
