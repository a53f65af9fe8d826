//! 🔀 `canon waitable-set.new`, `waitable-set.wait`, `waitable-set.poll`,
//! `waitable-set.drop` and `waitable.join` (CanonicalABI.md, the sections
//! of those names).

use crate::canon_task::check_may_leave;
use crate::core_value::CoreValue;
use crate::instance::{HandleElem, InstanceId};
use crate::options::{CanonicalOptions, MemRef};
use crate::store::{Scope, Store};
use crate::storing::store_int;
use crate::trace::{traced, traced_async};
use crate::trap::{Trap, TrapKind, trap_if};
use crate::waitable::{EventTuple, WaitableSet, poll, wait_for_event};
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

/// `canon_waitable_set_new`.
pub fn canon_waitable_set_new(store: &Store) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_waitable_set_new",
        [],
        |results| [Core(results)],
        {
            let inst = check_may_leave(store)?;
            let i = store
                .state
                .borrow_mut()
                .inst_mut(inst)?
                .handles
                .add(HandleElem::WaitableSet(WaitableSet::new()))?;
            Ok(vec![CoreValue::I32(i)])
        }
    )
}

/// `canon_waitable_set_wait`.
pub async fn canon_waitable_set_wait(
    store: &Rc<Store>,
    cancellable: bool,
    mem: MemRef,
    si: u32,
    ptr: u64,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_waitable_set_wait",
        [
            Int("cancellable", u64::from(cancellable)),
            Int("si", u64::from(si)),
            Ptr(ptr)
        ],
        |results| [Core(results)],
        {
            let inst = check_may_leave(store)?;
            store.state.borrow_mut().waitable_set_mut(inst, si)?;
            let event = wait_for_event(store, inst, si, cancellable).await?;
            unpack_event(store, mem, inst, ptr, event)
        }
    )
}

/// `unpack_event`: the payloads to `ptr`, the code as the result.
pub fn unpack_event(
    store: &Store,
    mem: MemRef,
    inst: InstanceId,
    ptr: u64,
    e: EventTuple,
) -> Result<Vec<CoreValue>, Trap> {
    let (event, p1, p2) = e;
    let opts = CanonicalOptions {
        memory: Some(mem),
        ..CanonicalOptions::default()
    };
    store.with_cx(&opts, inst, Scope::None, |cx| {
        store_int(cx, p1 as u64, ptr, 4)?;
        store_int(cx, p2 as u64, ptr.wrapping_add(4), 4)
    })?;
    Ok(vec![CoreValue::I32(event as u32)])
}

/// `canon_waitable_set_poll`.
pub fn canon_waitable_set_poll(
    store: &Rc<Store>,
    cancellable: bool,
    mem: MemRef,
    si: u32,
    ptr: u64,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_waitable_set_poll",
        [
            Int("cancellable", u64::from(cancellable)),
            Int("si", u64::from(si)),
            Ptr(ptr)
        ],
        |results| [Core(results)],
        {
            let inst = check_may_leave(store)?;
            store.state.borrow_mut().waitable_set_mut(inst, si)?;
            let event = poll(store, inst, si, cancellable)?;
            unpack_event(store, mem, inst, ptr, event)
        }
    )
}

/// `canon_waitable_set_drop`.
pub fn canon_waitable_set_drop(store: &Store, i: u32) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_waitable_set_drop",
        [Int("i", u64::from(i))],
        |results| [Core(results)],
        {
            let inst = check_may_leave(store)?;
            let mut state = store.state.borrow_mut();
            let HandleElem::WaitableSet(wset) = state.inst_mut(inst)?.handles.remove(i as u64)?
            else {
                return Err(TrapKind::WrongHandleType(i as u64).into());
            };
            wset.drop()?;
            Ok(vec![])
        }
    )
}

/// `canon_waitable_join`: `si == 0` leaves the current set.
pub fn canon_waitable_join(store: &Store, wi: u32, si: u32) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_waitable_join",
        [Int("wi", u64::from(wi)), Int("si", u64::from(si))],
        |results| [Core(results)],
        {
            let inst = check_may_leave(store)?;
            let mut state = store.state.borrow_mut();
            trap_if(
                state.waitable_mut(inst, wi)?.has_sync_waiter,
                TrapKind::WaitableHasSyncWaiter,
            )?;
            if si == 0 {
                state.join(inst, wi, None)?;
            } else {
                state.waitable_set_mut(inst, si)?;
                state.join(inst, wi, Some(si))?;
            }
            Ok(vec![])
        }
    )
}
