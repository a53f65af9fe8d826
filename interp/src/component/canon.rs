//! Canonical Definitions (Explainer.md "Canonical Definitions",
//! "Canonical Built-ins") at instantiation: `canon lift` makes a
//! component function of a core function (`Store.lift`); `canon lower`
//! and the built-ins make core host functions in the bridge that run the
//! canonical definitions of witness-canonical.
//!
//! A lowered function of another component's lifted function is the fused
//! adapter: `canon_lower` lifts the core arguments, calls the callee's
//! `FuncInst`, whose `canon_lift` lowers them into the callee.

use super::bridge::{CoreBridge, HostFn};
use super::error::{Error, internal};
use super::index_spaces::Func;
use super::instantiate::Instantiation;
use super::types;
use crate::core_wasm::{self, Extern};
use alloc::boxed::Box;
use alloc::rc::Rc;
use witness_canonical::canon_resource::{
    canon_resource_drop, canon_resource_new, canon_resource_rep,
};
use witness_canonical::flattening::{Context, flatten_functype};
use witness_canonical::store::CoreCall;
use witness_canonical::{
    CanonicalOptions, Core, CoreType, CoreValue, FuncRef, MemRef, StringEncoding, Trap, TrapKind,
};
use witness_spec::ast::{Canon, CanonOpt};

/// A `canon` definition.
pub(crate) fn canon(cx: &mut Instantiation<'_>, c: &Canon) -> Result<(), Error> {
    match c {
        Canon::Lift {
            core_func,
            opts,
            ty,
        } => {
            let ft = types::func(&cx.spaces.types, *ty)?;
            let opts = options(cx, opts)?;
            let f = core_func_ref(cx, *core_func)?;
            let inst = cx.store.lift(f, ft.clone(), opts, cx.inst);
            cx.spaces.funcs.push(Func { inst, ty: ft });
        }
        Canon::Lower { func, opts } => {
            let f = cx
                .spaces
                .funcs
                .get(*func as usize)
                .cloned()
                .ok_or_else(|| internal("unknown func index"))?;
            let opts = options(cx, opts)?;
            let ptr = ptr_type(cx, &opts)?;
            let flat = flatten_functype(&opts, ptr, &f.ty, Context::Lower);
            let lowered = cx.store.lower(f.inst, f.ty.clone(), opts);
            let host: HostFn = Rc::new(move |s, args| CoreCall::Pending(lowered(s, args)));
            add(cx, &flat.params, &flat.results, host)?;
        }
        Canon::ResourceNew { ty } => {
            let rt = types::resource(&cx.spaces.types, *ty)?;
            let host: HostFn = Rc::new(move |s, args| {
                CoreCall::Done(arg(&args).and_then(|rep| canon_resource_new(s, &rt, rep)))
            });
            add(cx, &[CoreType::I32], &[CoreType::I32], host)?;
        }
        Canon::ResourceDrop { ty } => {
            let rt = types::resource(&cx.spaces.types, *ty)?;
            let host: HostFn = Rc::new(move |s, args| {
                let (s, rt) = (s.clone(), rt.clone());
                CoreCall::Pending(Box::pin(async move {
                    canon_resource_drop(&s, &rt, arg(&args)?).await
                }))
            });
            add(cx, &[CoreType::I32], &[], host)?;
        }
        Canon::ResourceRep { ty } => {
            let rt = types::resource(&cx.spaces.types, *ty)?;
            let host: HostFn = Rc::new(move |s, args| {
                CoreCall::Done(arg(&args).and_then(|i| canon_resource_rep(s, &rt, i)))
            });
            add(cx, &[CoreType::I32], &[CoreType::I32], host)?;
        }
        other => super::builtins::builtin(cx, other)?,
    }
    Ok(())
}

/// The one `i32` argument of a built-in.
fn arg(args: &[CoreValue]) -> Result<u32, Trap> {
    match args {
        [CoreValue::I32(i)] => Ok(*i),
        _ => Err(Trap {
            kind: TrapKind::Core("internal error: a built-in's arguments".into()),
        }),
    }
}

/// Allocates a core host function of the given flat type and appends it
/// to the core function index space.
pub(crate) fn add(
    cx: &mut Instantiation<'_>,
    params: &[CoreType],
    results: &[CoreType],
    host: HostFn,
) -> Result<(), Error> {
    let ty = core_wasm::FuncType {
        params: params.iter().map(|t| core_type(*t)).collect(),
        results: results.iter().map(|t| core_type(*t)).collect(),
    };
    let addr = CoreBridge::of(cx.store)?.add_host_fn(ty, host);
    cx.spaces.core_funcs.push(Extern::Func(addr));
    Ok(())
}

/// A flat type as the interpreter's.
pub(crate) fn core_type(t: CoreType) -> core_wasm::ValType {
    match t {
        CoreType::I32 => core_wasm::ValType::I32,
        CoreType::I64 => core_wasm::ValType::I64,
        CoreType::F32 => core_wasm::ValType::F32,
        CoreType::F64 => core_wasm::ValType::F64,
    }
}

/// The core function at `i` as a canonical `FuncRef`.
fn core_func_ref(cx: &mut Instantiation<'_>, i: u32) -> Result<FuncRef, Error> {
    match cx.spaces.core_funcs.get(i as usize) {
        Some(Extern::Func(f)) => Ok(FuncRef(f.index())),
        _ => Err(internal("unknown core func index")),
    }
}

/// The pointer type of the `memory` option (`i32` without one).
pub(crate) fn ptr_type(cx: &Instantiation<'_>, opts: &CanonicalOptions) -> Result<CoreType, Error> {
    Ok(match opts.memory {
        Some(m) => CoreType::from(CoreBridge::of(cx.store)?.ptr_type(m)),
        None => CoreType::I32,
    })
}

/// `canonopt*` as `CanonicalOptions`, core indices resolved.
pub(crate) fn options(
    cx: &mut Instantiation<'_>,
    opts: &[CanonOpt],
) -> Result<CanonicalOptions, Error> {
    let mut o = CanonicalOptions::default();
    for opt in opts {
        match *opt {
            CanonOpt::StringEncodingUtf8 => o.string_encoding = StringEncoding::Utf8,
            CanonOpt::StringEncodingUtf16 => o.string_encoding = StringEncoding::Utf16,
            CanonOpt::StringEncodingLatin1Utf16 => {
                o.string_encoding = StringEncoding::Latin1Utf16;
            }
            CanonOpt::Memory(m) => match cx.spaces.core_memories.get(m as usize) {
                Some(Extern::Memory(m)) => o.memory = Some(MemRef(m.index())),
                _ => return Err(internal("unknown core memory index")),
            },
            CanonOpt::Realloc(f) => o.realloc = Some(core_func_ref(cx, f)?),
            CanonOpt::PostReturn(f) => o.post_return = Some(core_func_ref(cx, f)?),
            CanonOpt::Callback(f) => o.callback = Some(core_func_ref(cx, f)?),
            CanonOpt::Async => o.async_ = true,
            CanonOpt::CoreType(_) | CanonOpt::Gc => {}
        }
    }
    Ok(o)
}

/// The options of a built-in whose only option is `(memory m)`.
pub(crate) fn memory_option(cx: &Instantiation<'_>, m: u32) -> Result<CanonicalOptions, Error> {
    match cx.spaces.core_memories.get(m as usize) {
        Some(Extern::Memory(m)) => Ok(CanonicalOptions {
            memory: Some(MemRef(m.index())),
            ..CanonicalOptions::default()
        }),
        _ => Err(internal("unknown core memory index")),
    }
}
