//! Subtask State (CanonicalABI.md "Subtask State"): the caller's side of a
//! call made through `canon lower`.
//!
//! A subtask is a `Waitable` (its `waitable` field); only an `async`
//! lower adds it to the caller's `handles` table, where it delivers
//! `SUBTASK` events.

use crate::core_value::CoreValue;
use crate::instance::{ComponentInstance, HandleElem};
use crate::store::OnCancel;
use crate::trap::{Trap, TrapKind, trap_if};
use crate::waitable::Waitable;
use alloc::vec::Vec;
use core::fmt;

/// `Subtask.State`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubtaskState {
    Starting = 0,
    Started = 1,
    Returned = 2,
    CancelledBeforeStarted = 3,
    CancelledBeforeReturned = 4,
}

/// `Subtask(Waitable)`.
pub struct Subtask {
    pub waitable: Waitable,
    pub state: SubtaskState,
    /// `on_cancel`: taken when called (at most once).
    pub on_cancel: Option<OnCancel>,
    /// Handles of the caller lent to the callee, by index in the caller's
    /// `handles`; `None` once `deliver_resolve` released them.
    pub lenders: Option<Vec<u32>>,
    pub cancellation_requested: bool,
    pub flat_results: Vec<CoreValue>,
}

impl fmt::Debug for Subtask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subtask")
            .field("waitable", &self.waitable)
            .field("state", &self.state)
            .field("lenders", &self.lenders)
            .field("cancellation_requested", &self.cancellation_requested)
            .field("flat_results", &self.flat_results)
            .finish()
    }
}

impl Default for Subtask {
    fn default() -> Subtask {
        Subtask::new()
    }
}

impl Subtask {
    /// `Subtask()`.
    pub fn new() -> Subtask {
        Subtask {
            waitable: Waitable::new(),
            state: SubtaskState::Starting,
            on_cancel: None,
            lenders: Some(Vec::new()),
            cancellation_requested: false,
            flat_results: Vec::new(),
        }
    }

    /// `resolved`.
    pub fn resolved(&self) -> bool {
        !matches!(self.state, SubtaskState::Starting | SubtaskState::Started)
    }

    /// `add_lender`.
    pub fn add_lender(&mut self, inst: &mut ComponentInstance, i: u32) -> Result<(), Trap> {
        let HandleElem::Resource(h) = inst.handles.get_mut(i as u64)? else {
            return Err(TrapKind::WrongHandleType(i as u64).into());
        };
        h.num_lends += 1;
        if let Some(lenders) = &mut self.lenders {
            lenders.push(i);
        }
        Ok(())
    }

    /// `resolve`.
    pub fn resolve(&mut self, state: SubtaskState, flat_results: Vec<CoreValue>) {
        self.state = state;
        self.flat_results = flat_results;
    }

    /// `deliver_resolve`: the lent handles may be dropped again.
    pub fn deliver_resolve(&mut self, inst: &mut ComponentInstance) {
        for i in self.lenders.take().unwrap_or_default() {
            if let Ok(HandleElem::Resource(h)) = inst.handles.get_mut(i as u64) {
                h.num_lends -= 1;
            }
        }
    }

    /// `resolve_delivered`.
    pub fn resolve_delivered(&self) -> bool {
        self.lenders.is_none()
    }

    /// `drop`: the `Subtask` part; the caller then leaves the waitable set
    /// ([`crate::waitable::drop_waitable`]).
    pub fn drop(&self) -> Result<(), Trap> {
        trap_if(!self.resolve_delivered(), TrapKind::SubtaskNotResolved)
    }
}
