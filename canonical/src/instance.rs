//! Component Instances (CanonicalABI.md "Component Instances"): the
//! spec-internal state of a component instance, and the `may_enter` guard
//! of component invariant #2 with its donut-wrapping exception.

use crate::canon_error_context::ErrorContext;
use crate::resource::ResourceHandle;
use crate::store::{SubtaskId, ThreadId};
use crate::stream::CopyEnd;
use crate::table::Table;
use crate::waitable::WaitableSet;
use alloc::rc::Rc;
use alloc::vec::Vec;

/// A component instance's index in its store's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstanceId(pub u32);

/// An element of the `handles` table: `ResourceHandle | Waitable |
/// WaitableSet | ErrorContext`. Of the waitables, a subtask lives in the
/// store's arena (its `canon lower` refers to it) and is named here by id;
/// a stream or future end lives here.
#[derive(Debug)]
pub enum HandleElem {
    Resource(ResourceHandle),
    Subtask(SubtaskId),
    /// `ReadableStreamEnd | WritableStreamEnd | ReadableFutureEnd |
    /// WritableFutureEnd`.
    CopyEnd(CopyEnd),
    WaitableSet(WaitableSet),
    ErrorContext(Rc<ErrorContext>),
}

/// `ComponentInstance`.
#[derive(Debug)]
pub struct ComponentInstance {
    pub id: InstanceId,
    pub parent: Option<InstanceId>,
    pub handles: Table<HandleElem>,
    /// `threads`: the threads running in this instance, by index.
    pub threads: Table<ThreadId>,
    pub may_enter: bool,
    pub may_leave: bool,
    pub backpressure: u32,
    pub num_waiting_to_enter: u32,
    pub exclusive_thread: Option<ThreadId>,
}

impl ComponentInstance {
    /// `ComponentInstance(store, parent)`.
    pub fn new(id: InstanceId, parent: Option<InstanceId>) -> ComponentInstance {
        ComponentInstance {
            id,
            parent,
            handles: Table::new(),
            threads: Table::new(),
            may_enter: true,
            may_leave: true,
            backpressure: 0,
            num_waiting_to_enter: 0,
            exclusive_thread: None,
        }
    }
}

/// The component instances of a store, by [`InstanceId`]: what
/// `may_enter_from`, `enter_from` and `leave_to` walk.
#[derive(Debug, Default)]
pub struct Instances(pub Vec<ComponentInstance>);

impl Instances {
    /// Adds an instance whose parent (if any) is already here.
    pub fn add(&mut self, parent: Option<InstanceId>) -> InstanceId {
        let id = InstanceId(self.0.len() as u32);
        self.0.push(ComponentInstance::new(id, parent));
        id
    }

    pub fn get(&self, id: InstanceId) -> Option<&ComponentInstance> {
        self.0.get(id.0 as usize)
    }

    pub fn get_mut(&mut self, id: InstanceId) -> Option<&mut ComponentInstance> {
        self.0.get_mut(id.0 as usize)
    }

    /// `self_and_ancestors`, walked rather than collected (it runs on
    /// every call). A parent is always added before its child, so every
    /// step goes to a smaller id and the walk ends.
    pub fn self_and_ancestors(&self, id: InstanceId) -> impl Iterator<Item = InstanceId> + '_ {
        core::iter::successors(Some(id), move |i| {
            self.get(*i)
                .and_then(|inst| inst.parent)
                .filter(|p| p.0 < i.0)
        })
    }

    /// `entering_set`: entering `id` from `caller` enters `id` and its
    /// ancestors, less those the caller is already inside.
    pub fn entering_set(
        &self,
        id: InstanceId,
        caller: Option<InstanceId>,
    ) -> impl Iterator<Item = InstanceId> + '_ {
        self.self_and_ancestors(id).filter(move |i| {
            caller.is_none_or(|c| self.self_and_ancestors(c).all(|inside| inside != *i))
        })
    }

    /// `may_enter_from`.
    pub fn may_enter_from(&self, id: InstanceId, caller: Option<InstanceId>) -> bool {
        self.entering_set(id, caller)
            .all(|i| self.get(i).is_some_and(|inst| inst.may_enter))
    }

    /// `enter_from`.
    pub fn enter_from(&mut self, id: InstanceId, caller: Option<InstanceId>) {
        self.set_may_enter(id, caller, false);
    }

    /// `leave_to`.
    pub fn leave_to(&mut self, id: InstanceId, caller: Option<InstanceId>) {
        self.set_may_enter(id, caller, true);
    }

    /// Sets `may_enter` of the entering set (which `enter_from` clears and
    /// `leave_to` sets again).
    fn set_may_enter(&mut self, id: InstanceId, caller: Option<InstanceId>, may_enter: bool) {
        let mut at = Some(id);
        while let Some(i) = at {
            let inside = caller.is_some_and(|c| self.self_and_ancestors(c).any(|j| j == i));
            let Some(inst) = self.get_mut(i) else { break };
            if !inside {
                debug_assert_eq!(inst.may_enter, !may_enter);
                inst.may_enter = may_enter;
            }
            at = inst.parent.filter(|p| p.0 < i.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec's example: `P` contains `C1` and `C2`; host → M1 (in P) →
    /// C1 → C2 → M2 (in P) succeeds, and M2 → C1 would trap.
    #[test]
    fn donut_wrapping_is_not_reentrance() {
        let mut s = Instances::default();
        let p = s.add(None);
        let c1 = s.add(Some(p));
        let c2 = s.add(Some(p));
        assert!(s.may_enter_from(p, None));
        s.enter_from(p, None);
        assert!(s.may_enter_from(c1, Some(p)));
        s.enter_from(c1, Some(p));
        assert!(s.may_enter_from(c2, Some(c1)));
        s.enter_from(c2, Some(c1));
        assert_eq!(s.entering_set(p, Some(c2)).count(), 0);
        assert!(s.may_enter_from(p, Some(c2)));
        assert!(!s.may_enter_from(c1, Some(p)));
        // The host calling a third child of P while P is entered traps.
        let c3 = s.add(Some(p));
        assert!(!s.may_enter_from(c3, None));
        s.leave_to(c2, Some(c1));
        s.leave_to(c1, Some(p));
        s.leave_to(p, None);
        assert!(s.0.iter().all(|i| i.may_enter));
    }
}
