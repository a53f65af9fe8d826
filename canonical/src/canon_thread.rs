//! 🧵 `canon thread.index`, `thread.new-indirect`, `thread.resume-later`,
//! `thread.suspend`, 🔀 `thread.yield`, 🧵 `thread.suspend-then-resume`,
//! `thread.yield-then-resume`, `thread.suspend-then-promote`,
//! `thread.yield-then-promote`, and the 🧵② `thread.spawn-ref`,
//! `thread.spawn-indirect` and `thread.available-parallelism`
//! (CanonicalABI.md, the sections of those names).
//!
//! The 🧵② built-ins (shared-everything threads) answer as the spec's
//! `DETERMINISTIC_PROFILE` branches do (no thread spawned, index `0`; one
//! thread of parallelism); outside the profile they trap with
//! [`TrapKind::NotSupportedThreads`]: witness does not run them yet.

use crate::canon_lift::call_and_trap_on_throw;
use crate::canon_task::check_may_leave;
use crate::core_value::CoreValue;
use crate::flattening::CoreFuncType;
use crate::options::FuncRef;
use crate::store::{Store, ThreadId, internal};
use crate::task::{register_thread, unregister_thread};
use crate::thread::{
    new_thread, resume_later, suspend, suspend_then_promote, suspend_then_resume, yield_,
    yield_then_promote, yield_then_resume,
};
use crate::trace::{traced, traced_async};
use crate::trap::{Trap, TrapKind, trap_if};
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::Cell;

/// `canon_thread_index`.
pub fn canon_thread_index(store: &Store) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_thread_index",
        [],
        |results| [Core(results)],
        {
            let thread = store.current_thread()?;
            check_may_leave(store)?;
            let index = store
                .state
                .borrow()
                .thread(thread)?
                .index
                .ok_or(internal("thread without index"))?;
            Ok(vec![CoreValue::I32(index)])
        }
    )
}

/// `CoreFuncRef`: a `funcref` read from a table, with its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoreFuncRef {
    pub t: CoreFuncType,
    pub callee: FuncRef,
}

/// `canon_thread_new_indirect`: `ftbl` is the table's `get` (trapping
/// out of bounds or on null, as the embedder's table does).
pub fn canon_thread_new_indirect(
    store: &Rc<Store>,
    ft: &CoreFuncType,
    ftbl: &dyn Fn(u64) -> Result<CoreFuncRef, Trap>,
    fi: u64,
    c: CoreValue,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_thread_new_indirect",
        [Int("fi", fi), Core(&[c])],
        |results| [Core(results)],
        {
            let task = store.current_task()?;
            check_may_leave(store)?;
            let f = ftbl(fi)?;
            trap_if(f.t != *ft, TrapKind::ThreadFuncTypeMismatch)?;
            let new_thread_id: Rc<Cell<Option<ThreadId>>> = Rc::new(Cell::new(None));
            let (s, me) = (store.clone(), new_thread_id.clone());
            let thread_func = move || async move {
                let store = s;
                call_and_trap_on_throw(&store, f.callee, vec![c]).await?;
                let me = me.get().ok_or(internal("thread without id"))?;
                unregister_thread(&store, task, me)
            };
            let new = new_thread(store, task, thread_func);
            new_thread_id.set(Some(new));
            register_thread(store, task, new)?;
            let index = store
                .state
                .borrow()
                .thread(new)?
                .index
                .ok_or(internal("thread without index"))?;
            Ok(vec![CoreValue::I32(index)])
        }
    )
}

/// The thread at index `i` of the current instance's `threads` table.
fn other_thread(store: &Store, i: u32) -> Result<ThreadId, Trap> {
    let inst = store.current_instance()?;
    let state = store.state.borrow();
    state
        .instances
        .get(inst)
        .ok_or(internal("unknown instance"))?
        .threads
        .get(i as u64)
        .copied()
}

fn suspended(store: &Store, t: ThreadId) -> Result<bool, Trap> {
    Ok(store.state.borrow().thread(t)?.suspended())
}

/// `canon_thread_resume_later`.
pub fn canon_thread_resume_later(store: &Store, i: u32) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_thread_resume_later",
        [Int("i", u64::from(i))],
        |results| [Core(results)],
        {
            check_may_leave(store)?;
            let other = other_thread(store, i)?;
            trap_if(!suspended(store, other)?, TrapKind::ThreadNotSuspended)?;
            resume_later(store, other)?;
            Ok(vec![])
        }
    )
}

/// `canon_thread_suspend`.
pub async fn canon_thread_suspend(
    store: &Rc<Store>,
    cancellable: bool,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_thread_suspend",
        [Int("cancellable", u64::from(cancellable))],
        |results| [Core(results)],
        {
            let thread = store.current_thread()?;
            check_may_leave(store)?;
            let cancelled = suspend(store, thread, cancellable).await?;
            Ok(vec![CoreValue::I32(cancelled as u32)])
        }
    )
}

/// `canon_thread_yield`.
pub async fn canon_thread_yield(
    store: &Rc<Store>,
    cancellable: bool,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_thread_yield",
        [Int("cancellable", u64::from(cancellable))],
        |results| [Core(results)],
        {
            let thread = store.current_thread()?;
            check_may_leave(store)?;
            let cancelled = yield_(store, thread, cancellable).await?;
            Ok(vec![CoreValue::I32(cancelled as u32)])
        }
    )
}

/// `canon_thread_suspend_then_resume`.
pub async fn canon_thread_suspend_then_resume(
    store: &Rc<Store>,
    cancellable: bool,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_thread_suspend_then_resume",
        [
            Int("cancellable", u64::from(cancellable)),
            Int("i", u64::from(i))
        ],
        |results| [Core(results)],
        {
            let thread = store.current_thread()?;
            check_may_leave(store)?;
            let other = other_thread(store, i)?;
            trap_if(!suspended(store, other)?, TrapKind::ThreadNotSuspended)?;
            let cancelled = suspend_then_resume(store, thread, cancellable, other).await?;
            Ok(vec![CoreValue::I32(cancelled as u32)])
        }
    )
}

/// `canon_thread_yield_then_resume`.
pub async fn canon_thread_yield_then_resume(
    store: &Rc<Store>,
    cancellable: bool,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_thread_yield_then_resume",
        [
            Int("cancellable", u64::from(cancellable)),
            Int("i", u64::from(i))
        ],
        |results| [Core(results)],
        {
            let thread = store.current_thread()?;
            check_may_leave(store)?;
            let other = other_thread(store, i)?;
            trap_if(!suspended(store, other)?, TrapKind::ThreadNotSuspended)?;
            let cancelled = yield_then_resume(store, thread, cancellable, other).await?;
            Ok(vec![CoreValue::I32(cancelled as u32)])
        }
    )
}

/// `canon_thread_suspend_then_promote`.
pub async fn canon_thread_suspend_then_promote(
    store: &Rc<Store>,
    cancellable: bool,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_thread_suspend_then_promote",
        [
            Int("cancellable", u64::from(cancellable)),
            Int("i", u64::from(i))
        ],
        |results| [Core(results)],
        {
            let thread = store.current_thread()?;
            check_may_leave(store)?;
            let other = other_thread(store, i)?;
            let cancelled = suspend_then_promote(store, thread, cancellable, other).await?;
            Ok(vec![CoreValue::I32(cancelled as u32)])
        }
    )
}

/// `canon_thread_yield_then_promote`.
pub async fn canon_thread_yield_then_promote(
    store: &Rc<Store>,
    cancellable: bool,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_thread_yield_then_promote",
        [
            Int("cancellable", u64::from(cancellable)),
            Int("i", u64::from(i))
        ],
        |results| [Core(results)],
        {
            let thread = store.current_thread()?;
            check_may_leave(store)?;
            let other = other_thread(store, i)?;
            let cancelled = yield_then_promote(store, thread, cancellable, other).await?;
            Ok(vec![CoreValue::I32(cancelled as u32)])
        }
    )
}

/// `canon_thread_spawn_ref` (🧵②): `[0]` in the deterministic profile.
pub fn canon_thread_spawn_ref(store: &Store) -> Result<Vec<CoreValue>, Trap> {
    check_may_leave(store)?;
    in_deterministic_profile(store, 0, "thread.spawn-ref")
}

/// `canon_thread_spawn_indirect` (🧵②): `[0]` in the deterministic profile.
pub fn canon_thread_spawn_indirect(store: &Store) -> Result<Vec<CoreValue>, Trap> {
    check_may_leave(store)?;
    in_deterministic_profile(store, 0, "thread.spawn-indirect")
}

/// `canon_thread_available_parallelism` (🧵②): `[1]` in the deterministic
/// profile.
pub fn canon_thread_available_parallelism(store: &Store) -> Result<Vec<CoreValue>, Trap> {
    in_deterministic_profile(store, 1, "thread.available-parallelism")
}

/// The `if DETERMINISTIC_PROFILE: return [value]` of a 🧵② built-in; the
/// rest (spawning shared-everything threads) is not run by witness.
fn in_deterministic_profile(
    store: &Store,
    value: u32,
    what: &'static str,
) -> Result<Vec<CoreValue>, Trap> {
    if store.choices.borrow().deterministic_profile() {
        Ok(vec![CoreValue::I32(value)])
    } else {
        Err(TrapKind::NotSupportedThreads(what).into())
    }
}
