//! The core wasm side of a component store: witness-canonical's
//! [`Embedder`], implemented with the resumable core interpreter.
//!
//! A canonical `FuncRef`/`MemRef` is a core function or memory address of
//! the interpreter's store. A core call made with `call_async` is a future
//! that runs an interpreter [`Thread`]: at every call of an imported host
//! function (a lowered component function or a canonical built-in) it
//! awaits that function's future, then resumes the interpreter with the
//! results. So a component-model thread suspended inside a built-in is
//! this future, suspended, holding its interpreter stack: no host
//! recursion, no OS thread.

use crate::core_wasm::{self, CallError, FuncAddr, MemAddr, Outcome, Thread, Val, ValType};
use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::any::Any;
use witness_canonical::flattening::MAX_FLAT_PARAMS;
use witness_canonical::store::{CoreCall, Embedder, Store};
use witness_canonical::{Core, CoreResults, CoreValue, FuncRef, MemRef, PtrType, Trap, TrapKind};

/// A host function of the core store, as the component runtime defines
/// them: a lowered component function or a canonical built-in.
pub type HostFn = Rc<dyn Fn(&Rc<Store>, Vec<CoreValue>) -> CoreCall>;

/// The interpreter's store, and the host functions its tags name.
pub struct CoreBridge {
    pub core: core_wasm::Store,
    pub host_fns: Vec<HostFn>,
}

impl CoreBridge {
    pub fn new(core: core_wasm::Store) -> CoreBridge {
        CoreBridge {
            core,
            host_fns: Vec::new(),
        }
    }

    /// Allocates a core host function of type `ty` that runs `f`.
    pub fn add_host_fn(&mut self, ty: core_wasm::FuncType, f: HostFn) -> FuncAddr {
        self.host_fns.push(f);
        self.core
            .alloc_host_func(ty, (self.host_fns.len() - 1) as u32)
    }

    /// The bridge inside a canonical store.
    ///
    /// # Errors
    /// A trap if the store's embedder is not a bridge (a store not made by
    /// this crate).
    pub fn of(store: &Store) -> Result<core::cell::RefMut<'_, CoreBridge>, Trap> {
        core::cell::RefMut::filter_map(store.embedder.borrow_mut(), |e| {
            e.as_any_mut().downcast_mut::<CoreBridge>()
        })
        .map_err(|_| {
            core_trap(String::from(
                "internal error: a component store without a core bridge",
            ))
        })
    }
}

/// A core value as the interpreter's.
pub fn to_val(v: CoreValue) -> Val {
    match v {
        CoreValue::I32(i) => Val::I32(i as i32),
        CoreValue::I64(i) => Val::I64(i as i64),
        CoreValue::F32(f) => Val::F32(f.to_bits()),
        CoreValue::F64(f) => Val::F64(f.to_bits()),
    }
}

/// Runs `f` on `args` as interpreter values, converted on the stack when
/// they are as many as a lifted function's flat parameters at most.
fn with_vals<R>(args: &[CoreValue], f: impl FnOnce(&[Val]) -> R) -> R {
    let mut buf = [Val::I32(0); MAX_FLAT_PARAMS];
    match buf.get_mut(..args.len()) {
        Some(vals) => {
            for (v, a) in vals.iter_mut().zip(args) {
                *v = to_val(*a);
            }
            f(vals)
        }
        None => f(&args.iter().map(|a| to_val(*a)).collect::<Vec<_>>()),
    }
}

/// An interpreter value as the Canonical ABI's core value; only numbers
/// cross the Canonical ABI.
pub fn from_val(v: &Val) -> Result<CoreValue, Trap> {
    Ok(match *v {
        Val::I32(i) => CoreValue::I32(i as u32),
        Val::I64(i) => CoreValue::I64(i as u64),
        Val::F32(b) => CoreValue::F32(f32::from_bits(b)),
        Val::F64(b) => CoreValue::F64(f64::from_bits(b)),
        ref other => {
            return Err(core_trap(format!(
                "a {} crossed the Canonical ABI",
                other.ty()
            )));
        }
    })
}

fn core_trap(message: String) -> Trap {
    Trap {
        kind: TrapKind::Core(message),
    }
}

impl Core for CoreBridge {
    fn memory(&mut self, m: MemRef) -> &mut [u8] {
        self.core.memory_mut(MemAddr(m.0))
    }

    /// Read from the memory's type in place (not built as an
    /// `ExternType`, which also counts its pages), as every lifting and
    /// lowering context asks it.
    fn ptr_type(&self, m: MemRef) -> PtrType {
        match self.core.mems.get(m.0 as usize) {
            Some(mem) if mem.ty.memory64 => PtrType::I64,
            _ => PtrType::I32,
        }
    }

    /// Synchronous calls are `realloc` and `post-return`, which run with
    /// `may_leave` cleared: any import they call would trap in `canon
    /// lower` ("cannot leave"), and so it traps here.
    fn call(
        &mut self,
        f: FuncRef,
        args: &[CoreValue],
        results: &mut CoreResults,
    ) -> Result<(), Trap> {
        let mut thread = self
            .core
            .new_thread_with(FuncAddr(f.0), args.iter().map(|a| to_val(*a)))
            .map_err(|e| core_trap(format!("{e}")))?;
        let result = match thread.start(&mut self.core) {
            Ok(None) => read_results(&thread, &self.core, |v| results.push(v)),
            Ok(Some(Outcome::Call { .. })) => Err(core_trap(format!(
                "{}",
                core_wasm::Trap::new(core_wasm::TrapKind::Host(String::from(
                    TrapKind::CannotLeave.message().as_ref()
                )))
            ))),
            failed => Err(failure(failed)),
        };
        self.core.recycle_thread(thread);
        result
    }

    fn func_name(&self, f: FuncRef) -> Option<String> {
        self.core.func_name(FuncAddr(f.0))
    }
}

impl Embedder for CoreBridge {
    /// Runs the core function on a thread of the interpreter until it
    /// returns, traps, or calls a host function: a built-in or lowered
    /// import is a canonical definition to await, so the rest of the call
    /// becomes a future.
    fn call_async(&mut self, store: &Rc<Store>, f: FuncRef, args: Vec<CoreValue>) -> CoreCall {
        let thread = self
            .core
            .new_thread_with(FuncAddr(f.0), args.iter().map(|a| to_val(*a)));
        let mut thread = match thread {
            Ok(t) => t,
            Err(e) => {
                store.flat_buffers.give(args);
                return CoreCall::Done(Err(core_trap(format!("{e}"))));
            }
        };
        let stopped = thread.start(&mut self.core);
        // The arguments' list, read, takes the results.
        let mut flat = args;
        flat.clear();
        match stop(store, &mut self.core, thread, stopped, flat) {
            Stop::Finished(r) => CoreCall::Done(r),
            Stop::Call(thread, call) => {
                CoreCall::Pending(Box::pin(answer_host_calls(store.clone(), thread, call)))
            }
        }
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A host call of a core thread: the callee, its tag, its arguments.
type HostCall = (FuncAddr, u32, Vec<Val>);

/// Where a core thread stopped.
enum Stop {
    /// Returned or trapped: the call's result. The thread's buffers went
    /// back to the interpreter.
    Finished(Result<Vec<CoreValue>, Trap>),
    /// Calling a host function.
    Call(Thread, HostCall),
}

/// Where the thread stopped, from [`Thread::start`] or [`Thread::answer`]
/// (`None`: returned, its results read from the thread onto `flat`, an
/// empty list of the store's).
#[inline(always)]
fn stop(
    store: &Store,
    core: &mut core_wasm::Store,
    thread: Thread,
    stopped: Result<Option<Outcome>, CallError>,
    mut flat: Vec<CoreValue>,
) -> Stop {
    let result = match stopped {
        Ok(None) => read_results(&thread, core, |v| flat.push(v)).map(|()| flat),
        Ok(Some(Outcome::Call { func, tag, args })) => {
            store.flat_buffers.give(flat);
            return Stop::Call(thread, (func, tag, args));
        }
        failed => {
            store.flat_buffers.give(flat);
            Err(failure(failed))
        }
    };
    core.recycle_thread(thread);
    Stop::Finished(result)
}

/// A thread's stop other than a return or a host call, as a trap.
#[cold]
fn failure(stopped: Result<Option<Outcome>, CallError>) -> Trap {
    core_trap(match stopped {
        Ok(Some(Outcome::Trap(t))) => format!("{t}"),
        Ok(Some(Outcome::Exception(e))) => format!("{e}"),
        Err(e) => format!("{e}"),
        Ok(_) => String::from("internal error: a thread stopped to return or call"),
    })
}

/// Gives each result of a thread that returned to `push`.
#[inline(always)]
fn read_results(
    thread: &Thread,
    core: &core_wasm::Store,
    mut push: impl FnMut(CoreValue),
) -> Result<(), Trap> {
    let Some((tys, slots)) = thread.returned(core) else {
        return Err(core_trap(String::from(
            "internal error: the thread has no results",
        )));
    };
    // One slot a value: a `v128` (two) cannot be a result here.
    for (ty, slot) in tys.iter().zip(slots) {
        push(from_val(&Val::read(*ty, core::slice::from_ref(slot)))?);
    }
    Ok(())
}

/// Answers a core thread's host calls with the host functions' results,
/// awaiting those that block, until the thread finishes.
async fn answer_host_calls(
    store: Rc<Store>,
    mut thread: Thread,
    mut call: HostCall,
) -> Result<Vec<CoreValue>, Trap> {
    loop {
        let (func, tag, args) = call;
        let host = CoreBridge::of(&store)?.host_fns.get(tag as usize).cloned();
        let host = host.ok_or_else(|| core_trap(format!("unknown host function {tag}")))?;
        let args = args.iter().map(from_val).collect::<Result<Vec<_>, _>>()?;
        let results = host(&store, args).await?;
        let mut bridge = CoreBridge::of(&store)?;
        let core = &mut bridge.core;
        let stopped = with_vals(&results, |results| {
            check_results(results, &core.func_type(func).results)?;
            Ok::<_, Trap>(thread.answer(core, results))
        })?;
        match stop(&store, core, thread, stopped, store.flat_buffers.take()) {
            Stop::Finished(r) => return r,
            Stop::Call(t, c) => (thread, call) = (t, c),
        }
    }
}

fn check_results(results: &[Val], tys: &[ValType]) -> Result<(), Trap> {
    if results.len() != tys.len() || results.iter().zip(tys).any(|(v, t)| v.ty() != *t) {
        return Err(core_trap(String::from(
            "a host function returned values of the wrong types",
        )));
    }
    Ok(())
}
