//! `canon lower` (CanonicalABI.md "`canon lower`"): calling a component
//! function from core code, as a subtask of the current task.

use crate::core_value::{CoreValue, CoreValueIter};
use crate::flattening::{MAX_FLAT_PARAMS, MAX_FLAT_RESULTS};
use crate::options::CanonicalOptions;
use crate::store::{FuncInst, OnResolve, OnStart, Scope, Store, SubtaskId, internal};
use crate::subtask::{Subtask, SubtaskState};
use crate::thread::wait_until;
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::FuncType;
use crate::values::{lift_flat_values, lower_flat_values};
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;

/// `canon_lower`.
pub async fn canon_lower(
    store: Rc<Store>,
    callee: FuncInst,
    ft: Rc<FuncType>,
    opts: CanonicalOptions,
    flat_args: Vec<CoreValue>,
) -> Result<Vec<CoreValue>, Trap> {
    let thread = store.current_thread()?;
    let inst = store.current_instance()?;
    let may_leave = store
        .state
        .borrow()
        .instances
        .get(inst)
        .is_some_and(|i| i.may_leave);
    trap_if(!may_leave, TrapKind::CannotLeave)?;
    trap_if(
        opts.async_,
        TrapKind::Unsupported("`async` canon lower (🔀)"),
    )?;
    // The flat arguments: parameters for `on_start`, then the out-pointer
    // for `on_resolve`.
    let flat_args = Rc::new(RefCell::new((flat_args, 0usize)));
    let subtask = {
        let mut state = store.state.borrow_mut();
        state.subtasks.push(Some(Subtask::new()));
        SubtaskId((state.subtasks.len() - 1) as u32)
    };
    let (args, f1) = (flat_args.clone(), ft.clone());
    let on_start: OnStart = Box::new(move |store: &Rc<Store>| {
        store.state.borrow_mut().subtask_mut(subtask)?.state = SubtaskState::Started;
        store.with_cx(&opts, inst, Scope::Subtask(subtask), |cx| {
            let (values, at) = &mut *args.borrow_mut();
            let mut vi = CoreValueIter { values, i: *at };
            let r = lift_flat_values(cx, MAX_FLAT_PARAMS, &mut vi, &f1.param_types());
            *at = vi.i;
            r
        })
    });
    let (args, f2) = (flat_args.clone(), ft.clone());
    let on_resolve: OnResolve = Box::new(move |store: &Rc<Store>, result| {
        let Some(result) = result else {
            return Err(Trap {
                kind: TrapKind::Unsupported("cancellation (🔀)"),
            });
        };
        let flat_results = store.with_cx(&opts, inst, Scope::Subtask(subtask), |cx| {
            let (values, at) = &mut *args.borrow_mut();
            let mut out = CoreValueIter { values, i: *at };
            lower_flat_values(
                cx,
                MAX_FLAT_RESULTS,
                &result,
                &f2.result_type(),
                Some(&mut out),
            )
        })?;
        store
            .state
            .borrow_mut()
            .subtask_mut(subtask)?
            .resolve(SubtaskState::Returned, flat_results);
        Ok(())
    });
    let on_cancel = callee(&store, on_start, on_resolve, Some(inst))?;
    store.state.borrow_mut().subtask_mut(subtask)?.on_cancel = Some(on_cancel);
    let resolved = move |s: &Store| {
        s.state
            .borrow_mut()
            .subtask_mut(subtask)
            .is_ok_and(|st| st.resolved())
    };
    if !resolved(&store) {
        wait_until(&store, thread, Rc::new(resolved), false).await?;
    }
    let mut state = store.state.borrow_mut();
    let crate::store::State {
        instances,
        subtasks,
        ..
    } = &mut *state;
    let st = subtasks
        .get_mut(subtask.0 as usize)
        .and_then(Option::as_mut)
        .ok_or(internal("unknown subtask"))?;
    st.deliver_resolve(
        instances
            .get_mut(inst)
            .ok_or(internal("unknown instance"))?,
    );
    let flat_results = core::mem::take(&mut st.flat_results);
    drop(state);
    Ok(flat_results)
}
