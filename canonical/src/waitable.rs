//! Waitable State (CanonicalABI.md "Waitable State"): `EventCode`, the
//! `Waitable` part shared by subtasks and stream/future ends, and
//! `WaitableSet`.
//!
//! A waitable and its set are named as core wasm names them: by their
//! indices in one component instance's `handles` table (`wi`, `si`). The
//! spec's `Waitable.wset` and `WaitableSet.elems` hold those indices. A
//! `pending_event` is, as in the spec, a closure run right before delivery;
//! it receives the store, and runs with no borrow of the store's state.

use crate::choices::Site;
use crate::instance::{HandleElem, InstanceId};
use crate::store::{State, Store, internal};
use crate::thread::{ReadyFunc, wait_until};
use crate::trap::{Trap, TrapKind, trap_if};
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::fmt;

/// `EventCode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventCode {
    None = 0,
    Subtask = 1,
    StreamRead = 2,
    StreamWrite = 3,
    FutureRead = 4,
    FutureWrite = 5,
    TaskCancelled = 6,
}

/// `EventTuple`: the code and two `i32` payloads.
pub type EventTuple = (EventCode, u32, u32);

/// A `pending_event` closure.
pub type PendingEvent = Box<dyn FnOnce(&Rc<Store>) -> Result<EventTuple, Trap>>;

/// `Waitable`.
#[derive(Default)]
pub struct Waitable {
    pub pending_event: Option<PendingEvent>,
    /// `wset`: the index of the waitable set this waitable is in.
    pub wset: Option<u32>,
    pub has_sync_waiter: bool,
}

impl fmt::Debug for Waitable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waitable")
            .field("pending_event", &self.pending_event.is_some())
            .field("wset", &self.wset)
            .field("has_sync_waiter", &self.has_sync_waiter)
            .finish()
    }
}

impl Waitable {
    /// `Waitable()`.
    pub fn new() -> Waitable {
        Waitable::default()
    }

    /// `set_pending_event`.
    pub fn set_pending_event(&mut self, pending_event: PendingEvent) {
        self.pending_event = Some(pending_event);
    }

    /// `has_pending_event`.
    pub fn has_pending_event(&self) -> bool {
        self.pending_event.is_some()
    }

    /// `in_waitable_set`.
    pub fn in_waitable_set(&self) -> bool {
        self.wset.is_some()
    }
}

impl State {
    /// The waitable at handle index `i` of `inst` (`isinstance(w, Waitable)`
    /// or a trap).
    pub fn waitable_mut(&mut self, inst: InstanceId, i: u32) -> Result<&mut Waitable, Trap> {
        let State {
            instances,
            subtasks,
            ..
        } = self;
        let ci = instances
            .get_mut(inst)
            .ok_or(internal("unknown instance"))?;
        match ci.handles.get_mut(i as u64)? {
            HandleElem::Subtask(s) => Ok(&mut crate::store::slot(subtasks, s.0)?.waitable),
            HandleElem::CopyEnd(e) => Ok(&mut e.waitable),
            _ => Err(TrapKind::WrongHandleType(i as u64).into()),
        }
    }

    /// The waitable set at handle index `si` of `inst` (or a trap).
    pub fn waitable_set_mut(
        &mut self,
        inst: InstanceId,
        si: u32,
    ) -> Result<&mut WaitableSet, Trap> {
        match self
            .instances
            .get_mut(inst)
            .ok_or(internal("unknown instance"))?
            .handles
            .get_mut(si as u64)?
        {
            HandleElem::WaitableSet(s) => Ok(s),
            _ => Err(TrapKind::WrongHandleType(si as u64).into()),
        }
    }

    /// `Waitable.join(wset)` for the waitable at `wi`; `None` leaves its set.
    pub fn join(&mut self, inst: InstanceId, wi: u32, wset: Option<u32>) -> Result<(), Trap> {
        let old = {
            let w = self.waitable_mut(inst, wi)?;
            debug_assert!(!w.has_sync_waiter);
            w.wset.take()
        };
        if let Some(old) = old {
            self.waitable_set_mut(inst, old)?.elems.retain(|e| *e != wi);
        }
        if let Some(si) = wset {
            self.waitable_set_mut(inst, si)?.elems.push(wi);
        }
        self.waitable_mut(inst, wi)?.wset = wset;
        Ok(())
    }
}

/// `Waitable.drop`, for a waitable already removed from the table at
/// `wi`: it leaves its set.
pub fn drop_waitable(
    state: &mut State,
    inst: InstanceId,
    w: &mut Waitable,
    wi: u32,
) -> Result<(), Trap> {
    debug_assert!(!w.has_pending_event() && !w.has_sync_waiter);
    if let Some(old) = w.wset.take() {
        state
            .waitable_set_mut(inst, old)?
            .elems
            .retain(|e| *e != wi);
    }
    Ok(())
}

/// `Waitable.has_pending_event`, read through the store.
pub fn has_pending_event(store: &Store, inst: InstanceId, i: u32) -> bool {
    store
        .state
        .borrow_mut()
        .waitable_mut(inst, i)
        .is_ok_and(|w| w.has_pending_event())
}

/// `Waitable.wait_for_pending_event`.
pub async fn wait_for_pending_event(
    store: &Rc<Store>,
    inst: InstanceId,
    i: u32,
) -> Result<(), Trap> {
    {
        let mut state = store.state.borrow_mut();
        let w = state.waitable_mut(inst, i)?;
        debug_assert!(!w.in_waitable_set() && !w.has_sync_waiter);
        w.has_sync_waiter = true;
    }
    let thread = store.current_thread()?;
    let ready: ReadyFunc = Rc::new(move |s: &Store| has_pending_event(s, inst, i));
    wait_until(store, thread, ready, false).await?;
    store
        .state
        .borrow_mut()
        .waitable_mut(inst, i)?
        .has_sync_waiter = false;
    Ok(())
}

/// `Waitable.get_pending_event`: takes the closure, then runs it with the
/// state unborrowed.
pub fn get_pending_event(store: &Rc<Store>, inst: InstanceId, i: u32) -> Result<EventTuple, Trap> {
    let pending_event = store
        .state
        .borrow_mut()
        .waitable_mut(inst, i)?
        .pending_event
        .take()
        .ok_or(internal("no pending event"))?;
    pending_event(store)
}

/// `WaitableSet`.
#[derive(Debug, Default)]
pub struct WaitableSet {
    /// `elems`: the handle indices of the waitables in the set.
    pub elems: Vec<u32>,
    pub num_waiting: u32,
}

impl WaitableSet {
    /// `WaitableSet()`.
    pub fn new() -> WaitableSet {
        WaitableSet::default()
    }

    /// `drop`.
    pub fn drop(&self) -> Result<(), Trap> {
        trap_if(!self.elems.is_empty(), TrapKind::WaitableSetNotEmpty)?;
        trap_if(self.num_waiting > 0, TrapKind::WaitableSetInUse)
    }
}

/// `WaitableSet.has_pending_event` for the set at `si`.
pub fn wset_has_pending_event(store: &Store, inst: InstanceId, si: u32) -> bool {
    let mut state = store.state.borrow_mut();
    let Ok(elems) = state.waitable_set_mut(inst, si).map(|s| s.elems.clone()) else {
        return false;
    };
    elems.into_iter().any(|wi| {
        state
            .waitable_mut(inst, wi)
            .is_ok_and(|w| w.has_pending_event())
    })
}

/// `WaitableSet.get_pending_event`: shuffles `elems` (through the
/// store's [`Choices`](crate::choices::Choices)), then delivers the first
/// pending event.
pub fn wset_get_pending_event(
    store: &Rc<Store>,
    inst: InstanceId,
    si: u32,
) -> Result<EventTuple, Trap> {
    let found = {
        let mut state = store.state.borrow_mut();
        let mut elems = core::mem::take(&mut state.waitable_set_mut(inst, si)?.elems);
        store
            .choices
            .borrow_mut()
            .shuffle(Site::WaitableSetShuffle, &mut elems);
        let found = elems.iter().copied().find(|wi| {
            state
                .waitable_mut(inst, *wi)
                .is_ok_and(|w| w.has_pending_event())
        });
        state.waitable_set_mut(inst, si)?.elems = elems;
        found
    };
    match found {
        Some(wi) => get_pending_event(store, inst, wi),
        None => Err(internal("no pending event in the waitable set")),
    }
}

/// `WaitableSet.wait_for_event_and`.
pub async fn wait_for_event_and(
    store: &Rc<Store>,
    inst: InstanceId,
    si: u32,
    ready_func: ReadyFunc,
    cancellable: bool,
) -> Result<EventTuple, Trap> {
    let ready_and_has_event: ReadyFunc =
        Rc::new(move |s: &Store| ready_func(s) && wset_has_pending_event(s, inst, si));
    store
        .state
        .borrow_mut()
        .waitable_set_mut(inst, si)?
        .num_waiting += 1;
    let thread = store.current_thread()?;
    let cancelled = wait_until(store, thread, ready_and_has_event, cancellable).await?;
    let event = if cancelled == crate::stack_switching::Cancelled::True {
        (EventCode::TaskCancelled, 0, 0)
    } else {
        wset_get_pending_event(store, inst, si)?
    };
    store
        .state
        .borrow_mut()
        .waitable_set_mut(inst, si)?
        .num_waiting -= 1;
    Ok(event)
}

/// `WaitableSet.wait_for_event`.
pub async fn wait_for_event(
    store: &Rc<Store>,
    inst: InstanceId,
    si: u32,
    cancellable: bool,
) -> Result<EventTuple, Trap> {
    wait_for_event_and(store, inst, si, Rc::new(|_| true), cancellable).await
}

/// `WaitableSet.poll`.
pub fn poll(
    store: &Rc<Store>,
    inst: InstanceId,
    si: u32,
    cancellable: bool,
) -> Result<EventTuple, Trap> {
    let task = store.current_task()?;
    if store
        .state
        .borrow_mut()
        .task_mut(task)?
        .deliver_pending_cancel(cancellable)
    {
        Ok((EventCode::TaskCancelled, 0, 0))
    } else if !wset_has_pending_event(store, inst, si) {
        Ok((EventCode::None, 0, 0))
    } else {
        wset_get_pending_event(store, inst, si)
    }
}
