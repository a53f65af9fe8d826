//! `canon resource.new`, `canon resource.drop` and `canon resource.rep`
//! (CanonicalABI.md, the sections of those names).

use crate::core_value::CoreValue;
use crate::instance::HandleElem;
use crate::options::CanonicalOptions;
use crate::resource::{ResourceHandle, ResourceType};
use crate::store::{Store, internal};
use crate::trace::{traced, traced_async};
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::{FuncType, ValType};
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// `canon_resource_new`: an owning handle to a new resource of `rt`.
pub fn canon_resource_new(
    store: &Store,
    rt: &ResourceType,
    rep: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_resource_new",
        [Resource(rt), Int("rep", u64::from(rep))],
        |results| [Core(results)],
        {
            let inst = store.current_instance()?;
            let mut state = store.state.borrow_mut();
            let inst = state
                .instances
                .get_mut(inst)
                .ok_or(internal("unknown instance"))?;
            trap_if(!inst.may_leave, TrapKind::CannotLeave)?;
            let h = ResourceHandle::new(rt.clone(), rep, true, None);
            let i = inst.handles.add(HandleElem::Resource(h))?;
            Ok(vec![CoreValue::I32(i)])
        }
    )
}

/// `canon_resource_drop`: removes the handle; dropping an owning handle
/// calls the destructor in the implementing instance, as a lifted function
/// called through a lowered one; dropping a borrow ends it.
pub async fn canon_resource_drop(
    store: &Rc<Store>,
    rt: &ResourceType,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_resource_drop",
        [Resource(rt), Int("i", u64::from(i))],
        {
            let inst = store.current_instance()?;
            let h = {
                let mut state = store.state.borrow_mut();
                let ci = state
                    .instances
                    .get_mut(inst)
                    .ok_or(internal("unknown instance"))?;
                trap_if(!ci.may_leave, TrapKind::CannotLeave)?;
                let HandleElem::Resource(h) = ci.handles.remove(i as u64)? else {
                    return Err(TrapKind::WrongHandleType(i as u64).into());
                };
                trap_if(h.rt != *rt, TrapKind::WrongHandleType(i as u64))?;
                trap_if(h.num_lends != 0, TrapKind::OwnedResourceBorrowed)?;
                h
            };
            if h.own {
                let ft = FuncType {
                    params: vec![(String::from("rep"), ValType::U32)],
                    result: None,
                    async_: false,
                };
                let opts = CanonicalOptions::default();
                match rt.dtor() {
                    Some(dtor) => {
                        let callee = store.lift(dtor, ft.clone(), opts, rt.impl_());
                        let caller = store.lower(callee, ft, opts);
                        caller(store, vec![CoreValue::I32(h.rep)]).await?;
                    }
                    // The spec's default destructor, `lambda rep: []`, still enters
                    // the implementing instance.
                    None => {
                        let may_enter = store
                            .state
                            .borrow()
                            .instances
                            .may_enter_from(rt.impl_(), Some(inst));
                        trap_if(!may_enter, TrapKind::CannotEnter)?;
                    }
                }
            } else if let Some(task) = h.borrow_scope {
                let mut state = store.state.borrow_mut();
                let task = state
                    .tasks
                    .get_mut(task as u32)
                    .ok_or(internal("unknown task"))?;
                task.num_borrows -= 1;
            }
            Ok(vec![])
        }
    )
}

/// `canon_resource_rep`.
pub fn canon_resource_rep(
    store: &Store,
    rt: &ResourceType,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_resource_rep",
        [Resource(rt), Int("i", u64::from(i))],
        |results| [Core(results)],
        {
            let inst = store.current_instance()?;
            let state = store.state.borrow();
            let HandleElem::Resource(h) = state
                .instances
                .get(inst)
                .ok_or(internal("unknown instance"))?
                .handles
                .get(i as u64)?
            else {
                return Err(TrapKind::WrongHandleType(i as u64).into());
            };
            trap_if(h.rt != *rt, TrapKind::WrongHandleType(i as u64))?;
            Ok(vec![CoreValue::I32(h.rep)])
        }
    )
}
