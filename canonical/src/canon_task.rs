//! 🔀 `canon task.return` and 🔀 `canon task.cancel` (CanonicalABI.md, the
//! sections of those names): an `async`-lifted task's result, or its
//! confirmed cancellation.

use crate::core_value::{CoreValue, CoreValueIter};
use crate::flattening::MAX_FLAT_PARAMS;
use crate::options::{CanonicalOptions, LiftOptions};
use crate::store::{Scope, Store};
use crate::task::{cancel, return_};
use crate::trace::traced;
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::ValType;
use crate::values::lift_flat_values;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

/// Traps unless the current instance may leave (`trap_if(not inst.may_leave)`).
pub(crate) fn check_may_leave(store: &Store) -> Result<crate::instance::InstanceId, Trap> {
    let inst = store.current_instance()?;
    let may_leave = store
        .state
        .borrow()
        .instances
        .get(inst)
        .is_some_and(|i| i.may_leave);
    trap_if(!may_leave, TrapKind::CannotLeave)?;
    Ok(inst)
}

/// `canon_task_return`.
///
/// One deviation from the pinned definition, forced by the pinned reference
/// tests: when `task.return` names no `memory`, its options are compared with
/// the task's as if the task's memory were absent too. `LiftOptions.equal`
/// alone would trap there (`None is not mem`), yet `cross-abi-calls.wast`
/// (`async-17-param`: lifted with a memory, returns through a `task.return`
/// without one) and `big-interleaving-test.wast` (async exports lifted with a
/// memory, one shared memory-less `task.return`) expect those calls to
/// return; wasmtime 49 makes the same exception. It cannot change a lifted
/// value: validation requires `memory` on a `task.return` whose result type
/// needs one to lift, so without it the lift below never reads memory. A
/// `task.return` that names a memory is compared exactly, by instance.
pub fn canon_task_return(
    store: &Rc<Store>,
    result_type: Option<&ValType>,
    opts: LiftOptions,
    flat_args: Vec<CoreValue>,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_task_return",
        [Core(&flat_args)],
        |results| [Core(results)],
        {
            let task = store.current_task()?;
            check_may_leave(store)?;
            let (task_opts, ft, inst) = {
                let state = store.state.borrow();
                let t = state.task(task)?;
                (t.opts, t.ft.clone(), t.inst)
            };
            trap_if(!task_opts.async_, TrapKind::TaskNotAsync)?;
            trap_if(
                result_type != ft.result.as_ref(),
                TrapKind::TaskReturnTypeMismatch,
            )?;
            let task_lift = LiftOptions {
                string_encoding: task_opts.string_encoding,
                memory: opts.memory.and(task_opts.memory),
            };
            trap_if(
                !LiftOptions::equal(&opts, &task_lift),
                TrapKind::TaskReturnOptionsMismatch,
            )?;
            let cx_opts = CanonicalOptions {
                string_encoding: opts.string_encoding,
                memory: opts.memory,
                ..CanonicalOptions::default()
            };
            let result = store.with_cx(&cx_opts, inst, Scope::Task(task), |cx| {
                lift_flat_values(
                    cx,
                    MAX_FLAT_PARAMS,
                    &mut CoreValueIter::new(&flat_args),
                    ft.result_type(),
                    Vec::new(),
                )
            })?;
            return_(store, task, result)?;
            Ok(vec![])
        }
    )
}

/// `canon_task_cancel`.
pub fn canon_task_cancel(store: &Rc<Store>) -> Result<Vec<CoreValue>, Trap> {
    traced!(store, "canon_task_cancel", [], |results| [Core(results)], {
        let task = store.current_task()?;
        check_may_leave(store)?;
        let is_async = store.state.borrow().task(task)?.opts.async_;
        trap_if(!is_async, TrapKind::TaskNotAsync)?;
        cancel(store, task)?;
        Ok(vec![])
    })
}
