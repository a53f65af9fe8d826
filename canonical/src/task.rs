//! The borrow bookkeeping of `Task` and `Subtask` (CanonicalABI.md
//! "Tasks" and "Subtask State") that lifting and lowering handles use. The
//! rest of these classes (states, threads, cancellation) arrives with the
//! asynchronous definitions.

use crate::instance::{ComponentInstance, HandleElem};
use crate::trap::{Trap, TrapKind, trap_if};
use alloc::vec::Vec;

/// A `Task`'s borrow count: borrowed handles lowered into the callee that
/// it must drop before the task returns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Task {
    /// The task's name in `ResourceHandle.borrow_scope`.
    pub id: usize,
    pub num_borrows: u32,
}

/// A `Subtask`'s lenders: the caller's handles lent to the callee as
/// borrows, kept alive until the call completes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subtask {
    /// Indices into the caller instance's `handles` table.
    pub lenders: Vec<u32>,
}

impl Subtask {
    /// `add_lender`.
    pub fn add_lender(&mut self, inst: &mut ComponentInstance, i: u32) -> Result<(), Trap> {
        let HandleElem::Resource(h) = inst.handles.get_mut(i as u64)?;
        h.num_lends += 1;
        self.lenders.push(i);
        Ok(())
    }

    /// `deliver_resolve`'s release of the lenders: each lent handle may be
    /// dropped again.
    pub fn release_lenders(&mut self, inst: &mut ComponentInstance) {
        for i in self.lenders.drain(..) {
            if let Ok(HandleElem::Resource(h)) = inst.handles.get_mut(i as u64) {
                h.num_lends -= 1;
            }
        }
    }
}

impl Task {
    /// The check at the end of a synchronous task: every borrow lowered
    /// into it has been dropped.
    pub fn check_borrows_dropped(&self) -> Result<(), Trap> {
        trap_if(self.num_borrows > 0, TrapKind::BorrowsOutstanding)
    }
}

/// `LiftLowerContext.borrow_scope`: the task that lowers borrows or the
/// subtask that lifts them.
#[derive(Debug)]
pub enum BorrowScope<'a> {
    Task(&'a mut Task),
    Subtask(&'a mut Subtask),
}
