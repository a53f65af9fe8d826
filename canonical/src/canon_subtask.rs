//! 🔀 `canon subtask.cancel` and 🔀 `canon subtask.drop` (CanonicalABI.md,
//! the sections of those names).

use crate::canon_task::check_may_leave;
use crate::core_value::CoreValue;
use crate::instance::HandleElem;
use crate::store::{Store, SubtaskId, internal};
use crate::trap::{Trap, TrapKind, trap_if};
use crate::waitable::{drop_waitable, get_pending_event, wait_for_pending_event};
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

/// `BLOCKED`: an `async` built-in's result when it did not finish.
pub const BLOCKED: u32 = 0xffff_ffff;

/// The subtask at index `i` of the current instance (or a trap).
fn subtask_at(store: &Store, inst: crate::instance::InstanceId, i: u32) -> Result<SubtaskId, Trap> {
    let state = store.state.borrow();
    match state
        .instances
        .get(inst)
        .ok_or(internal("unknown instance"))?
        .handles
        .get(i as u64)?
    {
        HandleElem::Subtask(s) => Ok(*s),
        _ => Err(TrapKind::WrongHandleType(i as u64).into()),
    }
}

/// `canon_subtask_cancel`.
pub async fn canon_subtask_cancel(
    store: &Rc<Store>,
    async_: bool,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    let inst = check_may_leave(store)?;
    let s = subtask_at(store, inst, i)?;
    let on_cancel = {
        let mut state = store.state.borrow_mut();
        let st = state.subtask_mut(s)?;
        trap_if(st.resolve_delivered(), TrapKind::SubtaskResolveDelivered)?;
        trap_if(st.cancellation_requested, TrapKind::SubtaskCancelRequested)?;
        trap_if(
            st.waitable.in_waitable_set() && !async_,
            TrapKind::WaitableInSet,
        )?;
        if st.resolved() {
            debug_assert!(st.waitable.has_pending_event());
            None
        } else {
            st.cancellation_requested = true;
            Some(
                st.on_cancel
                    .take()
                    .ok_or(internal("subtask without on_cancel"))?,
            )
        }
    };
    if let Some(on_cancel) = on_cancel {
        on_cancel.call(store, Some(inst))?;
        if !store.state.borrow_mut().subtask_mut(s)?.resolved() {
            if !async_ {
                wait_for_pending_event(store, inst, i).await?;
            } else {
                return Ok(vec![CoreValue::I32(BLOCKED)]);
            }
        }
    }
    get_pending_event(store, inst, i)?;
    let state = store.state.borrow_mut().subtask_mut(s)?.state;
    Ok(vec![CoreValue::I32(state as u32)])
}

/// `canon_subtask_drop`.
pub fn canon_subtask_drop(store: &Store, i: u32) -> Result<Vec<CoreValue>, Trap> {
    let inst = check_may_leave(store)?;
    let mut state = store.state.borrow_mut();
    let HandleElem::Subtask(s) = state.inst_mut(inst)?.handles.remove(i as u64)? else {
        return Err(TrapKind::WrongHandleType(i as u64).into());
    };
    let mut st = state
        .subtasks
        .remove(s.0)
        .ok_or(internal("unknown subtask"))?;
    st.drop()?;
    drop_waitable(&mut state, inst, &mut st.waitable, i)?;
    Ok(vec![])
}
