//! Canonical Built-ins (Explainer.md "Canonical Built-ins") at
//! instantiation: each built-in becomes a core host function of the core
//! type the Canonical ABI gives it, whose calls run witness-canonical's
//! `canon_*` definition of the same name.

use super::bridge::{CoreBridge, HostFn};
use super::canon::{add, ptr_type};
use super::error::{Error, internal};
use super::instantiate::Instantiation;
use super::types::{self, RtType};
use crate::core_wasm::{Extern, TableAddr};
use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;
use core::future::Future;
use witness_canonical::canon_context::{
    canon_backpressure_dec, canon_backpressure_inc, canon_context_get, canon_context_set,
};
use witness_canonical::canon_error_context::{
    canon_error_context_debug_message, canon_error_context_drop, canon_error_context_new,
};
use witness_canonical::canon_stream as cs;
use witness_canonical::canon_subtask::{canon_subtask_cancel, canon_subtask_drop};
use witness_canonical::canon_task::{canon_task_cancel, canon_task_return};
use witness_canonical::canon_thread as ct;
use witness_canonical::canon_thread::CoreFuncRef;
use witness_canonical::canon_waitable_set as cw;
use witness_canonical::flattening::{Context, CoreFuncType, flatten_functype};
use witness_canonical::store::{CoreCall, Store};
use witness_canonical::{
    CanonicalOptions, CoreType, CoreValue, FuncType, MemRef, Trap, TrapKind, ValType,
};
use witness_spec::ast::Canon;

use CoreType::{I32, I64};

/// A host function running a synchronous definition.
fn sync(f: impl Fn(&Rc<Store>, &[CoreValue]) -> Result<Vec<CoreValue>, Trap> + 'static) -> HostFn {
    Rc::new(move |s, args| CoreCall::Done(f(s, &args)))
}

/// A host function running a definition that may block.
fn blocking<F, Fut>(f: F) -> HostFn
where
    F: Fn(Rc<Store>, Vec<CoreValue>) -> Fut + 'static,
    Fut: Future<Output = Result<Vec<CoreValue>, Trap>> + 'static,
{
    Rc::new(move |s, args| CoreCall::Pending(Box::pin(f(s.clone(), args))))
}

/// Argument `i` as an integer (core validation fixed its type).
fn a(args: &[CoreValue], i: usize) -> Result<u64, Trap> {
    args.get(i).map(CoreValue::as_u64).ok_or_else(|| {
        Trap::from(TrapKind::Core(
            "internal error: a built-in's arguments".into(),
        ))
    })
}

/// Argument `i` as an `i32`.
fn a32(args: &[CoreValue], i: usize) -> Result<u32, Trap> {
    a(args, i).map(|v| v as u32)
}

/// The payload type of the `stream` or `future` type at index `ty`.
fn payload(cx: &Instantiation<'_>, ty: u32) -> Result<Option<ValType>, Error> {
    match cx.spaces.types.get(ty as usize) {
        Some(RtType::Val(ValType::Stream(t) | ValType::Future(t))) => {
            Ok(t.as_ref().map(|t| (**t).clone()))
        }
        _ => Err(internal("a stream or future type index names neither")),
    }
}

/// The `memory` option of a built-in that has one.
fn memory(opts: &CanonicalOptions) -> Result<MemRef, Error> {
    opts.memory
        .ok_or_else(|| internal("a built-in without its memory option"))
}

/// A built-in other than `lift`, `lower` and `resource.*`.
pub(crate) fn builtin(cx: &mut Instantiation<'_>, c: &Canon) -> Result<(), Error> {
    let (params, results, f): (Vec<CoreType>, Vec<CoreType>, HostFn) = match c {
        Canon::ContextGet { ty, index } => {
            let (t, i) = (core_of(*ty), *index);
            (
                vec![],
                vec![t],
                sync(move |s, _| canon_context_get(s, t, i)),
            )
        }
        Canon::ContextSet { ty, index } => {
            let (t, i) = (core_of(*ty), *index);
            let f = sync(move |s, args| canon_context_set(s, t, i, a(args, 0)?));
            (vec![t], vec![], f)
        }
        Canon::BackpressureInc => (vec![], vec![], sync(|s, _| canon_backpressure_inc(s))),
        Canon::BackpressureDec => (vec![], vec![], sync(|s, _| canon_backpressure_dec(s))),
        Canon::TaskReturn { result, opts } => {
            let t = result
                .as_ref()
                .map(|t| types::val_type(&cx.spaces.types, t))
                .transpose()?;
            let opts = super::canon::options(cx, opts)?;
            let ptr = ptr_type(cx, &opts)?;
            let ft = FuncType {
                params: t
                    .iter()
                    .map(|t| (alloc::string::String::new(), t.clone()))
                    .collect(),
                result: None,
                async_: false,
            };
            let flat = flatten_functype(&CanonicalOptions::default(), ptr, &ft, Context::Lower);
            let lift_opts = opts.lift_lower().lift_options();
            let f = sync(move |s, args| canon_task_return(s, t.as_ref(), lift_opts, args.to_vec()));
            (flat.params, vec![], f)
        }
        Canon::TaskCancel => (vec![], vec![], sync(|s, _| canon_task_cancel(s))),
        Canon::WaitableSetNew => (
            vec![],
            vec![I32],
            sync(|s, _| cw::canon_waitable_set_new(s)),
        ),
        Canon::WaitableSetWait {
            cancellable,
            memory: m,
        } => {
            let (c, mem) = (*cancellable, memory_ref(cx, *m)?);
            let f = blocking(move |s, args| async move {
                cw::canon_waitable_set_wait(&s, c, mem, a32(&args, 0)?, a(&args, 1)?).await
            });
            (vec![I32, I32], vec![I32], f)
        }
        Canon::WaitableSetPoll {
            cancellable,
            memory: m,
        } => {
            let (c, mem) = (*cancellable, memory_ref(cx, *m)?);
            let f = sync(move |s, args| {
                cw::canon_waitable_set_poll(s, c, mem, a32(args, 0)?, a(args, 1)?)
            });
            (vec![I32, I32], vec![I32], f)
        }
        Canon::WaitableSetDrop => {
            let f = sync(|s, args| cw::canon_waitable_set_drop(s, a32(args, 0)?));
            (vec![I32], vec![], f)
        }
        Canon::WaitableJoin => {
            let f = sync(|s, args| cw::canon_waitable_join(s, a32(args, 0)?, a32(args, 1)?));
            (vec![I32, I32], vec![], f)
        }
        Canon::SubtaskCancel { async_ } => {
            let x = *async_;
            let f = blocking(move |s, args| async move {
                canon_subtask_cancel(&s, x, a32(&args, 0)?).await
            });
            (vec![I32], vec![I32], f)
        }
        Canon::SubtaskDrop => {
            let f = sync(|s, args| canon_subtask_drop(s, a32(args, 0)?));
            (vec![I32], vec![], f)
        }
        Canon::StreamNew { ty } => {
            let t = payload(cx, *ty)?;
            (
                vec![],
                vec![I64],
                sync(move |s, _| cs::canon_stream_new(s, t.clone())),
            )
        }
        Canon::FutureNew { ty } => {
            let t = payload(cx, *ty)?;
            (
                vec![],
                vec![I64],
                sync(move |s, _| cs::canon_future_new(s, t.clone())),
            )
        }
        Canon::StreamRead { ty, opts } | Canon::StreamWrite { ty, opts } => {
            let t = payload(cx, *ty)?;
            let opts = super::canon::options(cx, opts)?;
            let p = ptr_type(cx, &opts)?;
            let read = matches!(c, Canon::StreamRead { .. });
            let f = blocking(move |s, args| {
                let t = t.clone();
                async move {
                    let (i, ptr, n) = (a32(&args, 0)?, a(&args, 1)?, a(&args, 2)?);
                    if read {
                        cs::canon_stream_read(&s, t, opts, i, ptr, n).await
                    } else {
                        cs::canon_stream_write(&s, t, opts, i, ptr, n).await
                    }
                }
            });
            (vec![I32, p, p], vec![I32], f)
        }
        Canon::FutureRead { ty, opts } | Canon::FutureWrite { ty, opts } => {
            let t = payload(cx, *ty)?;
            let opts = super::canon::options(cx, opts)?;
            let p = ptr_type(cx, &opts)?;
            let read = matches!(c, Canon::FutureRead { .. });
            let f = blocking(move |s, args| {
                let t = t.clone();
                async move {
                    let (i, ptr) = (a32(&args, 0)?, a(&args, 1)?);
                    if read {
                        cs::canon_future_read(&s, t, opts, i, ptr).await
                    } else {
                        cs::canon_future_write(&s, t, opts, i, ptr).await
                    }
                }
            });
            (vec![I32, p], vec![I32], f)
        }
        Canon::StreamCancelRead { ty, async_ }
        | Canon::StreamCancelWrite { ty, async_ }
        | Canon::FutureCancelRead { ty, async_ }
        | Canon::FutureCancelWrite { ty, async_ } => {
            let (t, x) = (payload(cx, *ty)?, *async_);
            let which = match c {
                Canon::StreamCancelRead { .. } => 0,
                Canon::StreamCancelWrite { .. } => 1,
                Canon::FutureCancelRead { .. } => 2,
                _ => 3,
            };
            let f = blocking(move |s, args| {
                let t = t.clone();
                async move {
                    let i = a32(&args, 0)?;
                    match which {
                        0 => cs::canon_stream_cancel_read(&s, t, x, i).await,
                        1 => cs::canon_stream_cancel_write(&s, t, x, i).await,
                        2 => cs::canon_future_cancel_read(&s, t, x, i).await,
                        _ => cs::canon_future_cancel_write(&s, t, x, i).await,
                    }
                }
            });
            (vec![I32], vec![I32], f)
        }
        Canon::StreamDropReadable { ty }
        | Canon::StreamDropWritable { ty }
        | Canon::FutureDropReadable { ty }
        | Canon::FutureDropWritable { ty } => {
            let t = payload(cx, *ty)?;
            let which = match c {
                Canon::StreamDropReadable { .. } => 0,
                Canon::StreamDropWritable { .. } => 1,
                Canon::FutureDropReadable { .. } => 2,
                _ => 3,
            };
            let f = sync(move |s, args| {
                let (t, i) = (t.clone(), a32(args, 0)?);
                match which {
                    0 => cs::canon_stream_drop_readable(s, t, i),
                    1 => cs::canon_stream_drop_writable(s, t, i),
                    2 => cs::canon_future_drop_readable(s, t, i),
                    _ => cs::canon_future_drop_writable(s, t, i),
                }
            });
            (vec![I32], vec![], f)
        }
        Canon::ErrorContextNew { opts } => {
            let opts = super::canon::options(cx, opts)?;
            let p = ptr_type(cx, &opts)?;
            let f = sync(move |s, args| canon_error_context_new(s, opts, a(args, 0)?, a(args, 1)?));
            (vec![p, p], vec![I32], f)
        }
        Canon::ErrorContextDebugMessage { opts } => {
            let opts = super::canon::options(cx, opts)?;
            let p = ptr_type(cx, &opts)?;
            let f = sync(move |s, args| {
                canon_error_context_debug_message(s, opts, a32(args, 0)?, a(args, 1)?)
            });
            (vec![I32, p], vec![], f)
        }
        Canon::ErrorContextDrop => {
            let f = sync(|s, args| canon_error_context_drop(s, a32(args, 0)?));
            (vec![I32], vec![], f)
        }
        Canon::ThreadIndex => (vec![], vec![I32], sync(|s, _| ct::canon_thread_index(s))),
        Canon::ThreadResumeLater => {
            let f = sync(|s, args| ct::canon_thread_resume_later(s, a32(args, 0)?));
            (vec![I32], vec![], f)
        }
        Canon::ThreadSuspend { cancellable } | Canon::ThreadYield { cancellable } => {
            let (x, yield_) = (*cancellable, matches!(c, Canon::ThreadYield { .. }));
            let f = blocking(move |s, _| async move {
                if yield_ {
                    ct::canon_thread_yield(&s, x).await
                } else {
                    ct::canon_thread_suspend(&s, x).await
                }
            });
            (vec![], vec![I32], f)
        }
        Canon::ThreadSuspendThenResume { cancellable }
        | Canon::ThreadYieldThenResume { cancellable }
        | Canon::ThreadSuspendThenPromote { cancellable }
        | Canon::ThreadYieldThenPromote { cancellable } => {
            let x = *cancellable;
            let which = match c {
                Canon::ThreadSuspendThenResume { .. } => 0,
                Canon::ThreadYieldThenResume { .. } => 1,
                Canon::ThreadSuspendThenPromote { .. } => 2,
                _ => 3,
            };
            let f = blocking(move |s, args| async move {
                let i = a32(&args, 0)?;
                match which {
                    0 => ct::canon_thread_suspend_then_resume(&s, x, i).await,
                    1 => ct::canon_thread_yield_then_resume(&s, x, i).await,
                    2 => ct::canon_thread_suspend_then_promote(&s, x, i).await,
                    _ => ct::canon_thread_yield_then_promote(&s, x, i).await,
                }
            });
            (vec![I32], vec![I32], f)
        }
        Canon::ThreadNewIndirect { table, .. } => {
            // Validation requires `$ft` to be `(func (param i32))`.
            let ft = CoreFuncType {
                params: vec![I32],
                results: vec![],
            };
            let table = match cx.spaces.core_tables.get(*table as usize) {
                Some(Extern::Table(t)) => *t,
                _ => return Err(internal("unknown core table index")),
            };
            let f = sync(move |s, args| {
                let ftbl = |fi: u64| table_func(s, table, fi);
                let c = args.get(1).copied().unwrap_or(CoreValue::I32(0));
                ct::canon_thread_new_indirect(s, &ft, &ftbl, a(args, 0)?, c)
            });
            (vec![I32, I32], vec![I32], f)
        }
        Canon::ThreadSpawnRef { .. } => (
            vec![I32],
            vec![I32],
            sync(|s, _| ct::canon_thread_spawn_ref(s)),
        ),
        Canon::ThreadSpawnIndirect { .. } => {
            let f = sync(|s, _| ct::canon_thread_spawn_indirect(s));
            (vec![I32, I32], vec![I32], f)
        }
        Canon::ThreadAvailableParallelism => {
            let f = sync(|s, _| ct::canon_thread_available_parallelism(s));
            (vec![], vec![I32], f)
        }
        Canon::Lift { .. }
        | Canon::Lower { .. }
        | Canon::ResourceNew { .. }
        | Canon::ResourceDrop { .. }
        | Canon::ResourceRep { .. } => return Err(internal("not a built-in")),
    };
    add(cx, &params, &results, f)
}

/// `ftbl.get(fi)` of `thread.new-indirect`: the function in the table, with
/// its core type; traps out of bounds and on null, as the core
/// instructions do.
fn table_func(s: &Store, table: TableAddr, fi: u64) -> Result<CoreFuncRef, Trap> {
    let bridge = CoreBridge::of(s)?;
    let core_trap = |t: crate::core_wasm::Trap| Trap::from(TrapKind::Core(format!("{t}")));
    let f = bridge.core.table_get_func(table, fi).map_err(|_| {
        core_trap(crate::core_wasm::Trap::new(
            crate::core_wasm::TrapKind::UndefinedElement,
        ))
    })?;
    let f = f.ok_or_else(|| {
        core_trap(crate::core_wasm::Trap::new(
            crate::core_wasm::TrapKind::UninitializedElement,
        ))
    })?;
    let ty = bridge.core.func_type(f);
    let flat = |ts: &[crate::core_wasm::ValType]| -> Result<Vec<CoreType>, Trap> {
        ts.iter()
            .map(|t| match t {
                crate::core_wasm::ValType::I32 => Ok(I32),
                crate::core_wasm::ValType::I64 => Ok(I64),
                crate::core_wasm::ValType::F32 => Ok(CoreType::F32),
                crate::core_wasm::ValType::F64 => Ok(CoreType::F64),
                _ => Err(Trap::from(TrapKind::ThreadFuncTypeMismatch)),
            })
            .collect()
    };
    Ok(CoreFuncRef {
        t: CoreFuncType {
            params: flat(&ty.params)?,
            results: flat(&ty.results)?,
        },
        callee: witness_canonical::FuncRef(f.index()),
    })
}

/// A `context.get`/`context.set` value type as a flat type.
fn core_of(t: wasmparser::ValType) -> CoreType {
    match t {
        wasmparser::ValType::I64 => I64,
        _ => I32,
    }
}

/// The core memory at index `m` as a canonical `MemRef`.
fn memory_ref(cx: &Instantiation<'_>, m: u32) -> Result<MemRef, Error> {
    let opts = super::canon::memory_option(cx, m)?;
    memory(&opts)
}
