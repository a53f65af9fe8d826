//! 🔀 `canon context.get` and 🔀 `canon context.set` (CanonicalABI.md,
//! the sections of those names): the current thread's storage, and
//! 🔀 `canon backpressure.{inc,dec}`.

use crate::core_value::{CoreType, CoreValue};
use crate::store::Store;
use crate::trace::traced;
use crate::trap::{Trap, TrapKind, trap_if};
use alloc::vec;
use alloc::vec::Vec;

/// `canon_context_get`: slot `i` (`< 2`, checked by validation) as a `t`.
pub fn canon_context_get(store: &Store, t: CoreType, i: u32) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_context_get",
        [Int("i", u64::from(i))],
        |results| [Core(results)],
        {
            let thread = store.current_thread()?;
            let state = store.state.borrow();
            let storage = state.thread(thread)?.storage;
            let result = storage.get(i as usize).copied().unwrap_or(0);
            Ok(vec![CoreValue::int(t, result)])
        }
    )
}

/// `canon_context_set`.
pub fn canon_context_set(
    store: &Store,
    t: CoreType,
    i: u32,
    v: u64,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_context_set",
        [Int("i", u64::from(i)), Int("v", v)],
        |results| [Core(results)],
        {
            let thread = store.current_thread()?;
            let v = if t == CoreType::I32 {
                v & 0xffff_ffff
            } else {
                v
            };
            let mut state = store.state.borrow_mut();
            if let Some(slot) = state.thread_mut(thread)?.storage.get_mut(i as usize) {
                *slot = v;
            }
            Ok(vec![])
        }
    )
}

/// `canon_backpressure_inc`.
pub fn canon_backpressure_inc(store: &Store) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_backpressure_inc",
        [],
        |results| [Core(results)],
        {
            let inst = store.current_instance()?;
            let mut state = store.state.borrow_mut();
            let inst = state.inst_mut(inst)?;
            inst.backpressure += 1;
            trap_if(inst.backpressure == 1 << 16, TrapKind::BackpressureOverflow)?;
            Ok(vec![])
        }
    )
}

/// `canon_backpressure_dec`.
pub fn canon_backpressure_dec(store: &Store) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_backpressure_dec",
        [],
        |results| [Core(results)],
        {
            let inst = store.current_instance()?;
            let mut state = store.state.borrow_mut();
            let inst = state.inst_mut(inst)?;
            trap_if(inst.backpressure == 0, TrapKind::BackpressureUnderflow)?;
            inst.backpressure -= 1;
            Ok(vec![])
        }
    )
}
