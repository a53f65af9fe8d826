//! `canon lower` (CanonicalABI.md "`canon lower`"): calling a component
//! function from core code, as a subtask of the current task; the
//! synchronous form waits, the `async` form (🔀) returns the subtask's
//! state packed with its index in the caller's `handles` table.

use crate::core_value::{CoreValue, CoreValueIter};
use crate::flattening::{MAX_FLAT_ASYNC_PARAMS, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS};
use crate::instance::{HandleElem, InstanceId};
use crate::options::CanonicalOptions;
use crate::store::{FuncInst, OnResolve, OnStart, Scope, State, Store, SubtaskId, internal};
use crate::subtask::{Subtask, SubtaskState};
use crate::thread::wait_until;
use crate::trace::traced_async;
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::FuncType;
use crate::values::{lift_flat_values, lower_flat_values};
use crate::waitable::{EventCode, PendingEvent};
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};

/// `canon_lower`.
pub async fn canon_lower(
    store: Rc<Store>,
    callee: FuncInst,
    ft: Rc<FuncType>,
    opts: CanonicalOptions,
    flat_args: Vec<CoreValue>,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_lower",
        [FuncType(&ft), Core(&flat_args)],
        |results| [Core(results)],
        {
            let thread = store.current_thread()?;
            let inst = store.current_instance()?;
            let may_leave = store
                .state
                .borrow()
                .instances
                .get(inst)
                .is_some_and(|i| i.may_leave);
            trap_if(!may_leave, TrapKind::CannotLeave)?;
            let (max_flat_params, max_flat_results) = if !opts.async_ {
                (MAX_FLAT_PARAMS, MAX_FLAT_RESULTS)
            } else {
                (MAX_FLAT_ASYNC_PARAMS, 0)
            };
            // The flat arguments: parameters for `on_start`, then the out-pointer
            // for `on_resolve` (the spec's one `CoreValueIter`).
            let flat_args = Rc::new(RefCell::new((flat_args, 0usize)));
            let subtask = {
                let mut state = store.state.borrow_mut();
                SubtaskId(state.subtasks.insert(Subtask::new()))
            };
            // `maybe_on_progress`: a no-op until an `async` call blocks; then it
            // sets a `SUBTASK` event for the subtask's index.
            let subtaski: Rc<Cell<Option<u32>>> = Rc::new(Cell::new(None));
            let (args, f1, idx) = (flat_args.clone(), ft.clone(), subtaski.clone());
            let on_start = OnStart::Func(Box::new(move |store: &Rc<Store>| {
                maybe_on_progress(store, inst, subtask, idx.get())?;
                store.state.borrow_mut().subtask_mut(subtask)?.state = SubtaskState::Started;
                store.with_cx(&opts, inst, Scope::Subtask(subtask), |cx| {
                    let (values, at) = &mut *args.borrow_mut();
                    let mut vi = CoreValueIter { values, i: *at };
                    let params = f1.param_types();
                    let vs = store.value_buffers.take();
                    let r = lift_flat_values(cx, max_flat_params, &mut vi, &params, vs);
                    *at = vi.i;
                    r
                })
            }));
            let (args, f2, idx) = (flat_args.clone(), ft.clone(), subtaski.clone());
            let on_resolve = OnResolve::Func(Box::new(move |store: &Rc<Store>, result| {
                maybe_on_progress(store, inst, subtask, idx.get())?;
                let Some(result) = result else {
                    let mut state = store.state.borrow_mut();
                    let st = state.subtask_mut(subtask)?;
                    debug_assert!(st.cancellation_requested);
                    let resolved = if st.state == SubtaskState::Starting {
                        SubtaskState::CancelledBeforeStarted
                    } else {
                        SubtaskState::CancelledBeforeReturned
                    };
                    st.resolve(resolved, Vec::new());
                    return Ok(());
                };
                let flat_results = store.with_cx(&opts, inst, Scope::Subtask(subtask), |cx| {
                    let (values, at) = &mut *args.borrow_mut();
                    let mut out = CoreValueIter { values, i: *at };
                    lower_flat_values(
                        cx,
                        max_flat_results,
                        &result,
                        f2.result_type(),
                        Some(&mut out),
                        Vec::new(),
                    )
                })?;
                store
                    .state
                    .borrow_mut()
                    .subtask_mut(subtask)?
                    .resolve(SubtaskState::Returned, flat_results);
                Ok(())
            }));
            let on_cancel = callee(&store, on_start, on_resolve, Some(inst))?;
            store.state.borrow_mut().subtask_mut(subtask)?.on_cancel = Some(on_cancel);
            let resolved = move |s: &Store| {
                s.state
                    .borrow_mut()
                    .subtask_mut(subtask)
                    .is_ok_and(|st| st.resolved())
            };
            if !opts.async_ {
                if !resolved(&store) {
                    wait_until(&store, thread, Rc::new(resolved), false).await?;
                }
                let mut state = store.state.borrow_mut();
                deliver_resolve(&mut state, inst, subtask)?;
                let st = state.subtasks.remove(subtask.0);
                return Ok(st.ok_or(internal("unknown subtask"))?.flat_results);
            }
            let already = resolved(&store);
            let mut state = store.state.borrow_mut();
            if already {
                deliver_resolve(&mut state, inst, subtask)?;
                state.subtasks.release(subtask.0);
                return Ok(vec![CoreValue::I32(SubtaskState::Returned as u32)]);
            }
            let i = state
                .inst_mut(inst)?
                .handles
                .add(HandleElem::Subtask(subtask))?;
            subtaski.set(Some(i));
            let st = state.subtask_mut(subtask)?.state as u32;
            Ok(vec![CoreValue::I32(st | (i << 4))])
        }
    )
}

/// `Subtask.deliver_resolve` for the subtask in the store's arena.
pub(crate) fn deliver_resolve(
    state: &mut State,
    inst: InstanceId,
    subtask: SubtaskId,
) -> Result<(), Trap> {
    let State {
        instances,
        subtasks,
        ..
    } = state;
    let st = crate::store::slot(subtasks, subtask.0)?;
    st.deliver_resolve(
        instances
            .get_mut(inst)
            .ok_or(internal("unknown instance"))?,
    );
    Ok(())
}

/// `maybe_on_progress`: once the subtask is in the table (at `subtaski`),
/// `on_progress` sets its pending `subtask_event`.
fn maybe_on_progress(
    store: &Store,
    inst: InstanceId,
    subtask: SubtaskId,
    subtaski: Option<u32>,
) -> Result<(), Trap> {
    let Some(subtaski) = subtaski else {
        return Ok(());
    };
    let subtask_event: PendingEvent = Box::new(move |store: &Rc<Store>| {
        let mut state = store.state.borrow_mut();
        let (resolved, delivered) = {
            let st = state.subtask_mut(subtask)?;
            (st.resolved(), st.resolve_delivered())
        };
        if resolved && !delivered {
            deliver_resolve(&mut state, inst, subtask)?;
        }
        let st = state.subtask_mut(subtask)?.state as u32;
        Ok((EventCode::Subtask, subtaski, st))
    });
    store
        .state
        .borrow_mut()
        .subtask_mut(subtask)?
        .waitable
        .set_pending_event(subtask_event);
    Ok(())
}
