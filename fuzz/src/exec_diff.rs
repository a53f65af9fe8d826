//! Core execution differential: a wasm-smith module runs in witness and in
//! wasmi 2.0.0, and every observable agrees: whether instantiation (with
//! the start function) traps; then, for each exported function in export
//! order, called with the same arguments, its results or its trap (compared
//! by [`TrapClass`]); and after each step the bytes of every exported memory
//! and the value of every exported global.
//!
//! Determinism: wasm-smith's `canonicalize_nans` rewrites every float
//! result that may be NaN to one canonical NaN, and [`crate::nan`] does the
//! same for the float conversions wasm-smith leaves out (a float result is compared
//! as "both NaN" besides, as witness always produces the positive canonical
//! NaN), relaxed SIMD is off, and `ensure_termination` bounds loops and calls
//! with a fuel global of the module's own (it traps with `unreachable`). The
//! engines' fuel is only a backstop: a run that exhausts it, or the call
//! stack, on either side is inconclusive and stops there.
//!
//! wasmi 2.0.0 has bugs of its own (fuzz/FINDINGS.md): a module it cannot
//! load because its translator panics (W2) is counted and skipped, a
//! divergence that goes away when every `select` is rewritten as `if`/`else`
//! ([`crate::select`]), witness observing the same on both forms, is
//! counted as wasmi's `select` bug (W1, W3), and any other divergence is
//! wasmi's alone when wasmtime, a third opinion, observes exactly what
//! witness does (W4).
//!
//! Limits are the same on both sides: 64 KiB pages per memory up to
//! [`MAX_PAGES`], [`MAX_TABLE`] elements per table. No imports; GC,
//! exceptions and threads off (wasmi does not run them).

use crate::{smith, stats};
use arbitrary::{Result, Unstructured};
use std::sync::OnceLock;
use wasmi::{AsContextMut, CompilationMode, StoreLimits, StoreLimitsBuilder};
use witness_interp::core_wasm::{self as w, CallError, Extern, ModuleErrorKind, TrapKind, ValType};

/// Most pages of a memory, on both sides.
pub const MAX_PAGES: u64 = 64;
/// Most elements of a table, on both sides.
pub const MAX_TABLE: u64 = 10_000;
/// The engines' fuel for instantiation and for each call.
const ENGINE_FUEL: u64 = 5_000_000;
/// The module's own fuel (`ensure_termination`): loop iterations and calls.
const MODULE_FUEL: u32 = 1_000;

/// A coarse class of trap, so that the two engines' kinds can be compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrapClass {
    Unreachable,
    Memory,
    /// Table access out of bounds, including `call_indirect`'s index.
    Table,
    /// A null reference called or dereferenced.
    Null,
    DivideByZero,
    Overflow,
    Conversion,
    Signature,
    /// Resource exhaustion: call stack, fuel, a limit. Inconclusive.
    Exhausted,
    /// Anything else (a host trap, an instantiation error that is no trap).
    Other,
}

fn witness_class(k: &TrapKind) -> TrapClass {
    match k {
        TrapKind::Unreachable => TrapClass::Unreachable,
        TrapKind::OutOfBoundsMemoryAccess => TrapClass::Memory,
        TrapKind::OutOfBoundsTableAccess | TrapKind::UndefinedElement => TrapClass::Table,
        TrapKind::UninitializedElement
        | TrapKind::NullFunctionReference
        | TrapKind::NullReference
        | TrapKind::NullExceptionReference => TrapClass::Null,
        TrapKind::IntegerDivideByZero => TrapClass::DivideByZero,
        TrapKind::IntegerOverflow => TrapClass::Overflow,
        TrapKind::InvalidConversionToInteger => TrapClass::Conversion,
        TrapKind::IndirectCallTypeMismatch => TrapClass::Signature,
        TrapKind::CallStackExhausted | TrapKind::OutOfFuel => TrapClass::Exhausted,
        TrapKind::Host(_) => TrapClass::Other,
    }
}

fn wasmi_class(e: &wasmi::Error) -> TrapClass {
    use wasmi::TrapCode as C;
    match e.as_trap_code() {
        Some(C::UnreachableCodeReached) => TrapClass::Unreachable,
        Some(C::MemoryOutOfBounds) => TrapClass::Memory,
        Some(C::TableOutOfBounds) => TrapClass::Table,
        Some(C::IndirectCallToNull) => TrapClass::Null,
        Some(C::IntegerDivisionByZero) => TrapClass::DivideByZero,
        Some(C::IntegerOverflow) => TrapClass::Overflow,
        Some(C::BadConversionToInteger) => TrapClass::Conversion,
        Some(C::BadSignature) => TrapClass::Signature,
        Some(
            C::StackOverflow | C::OutOfFuel | C::GrowthOperationLimited | C::OutOfSystemMemory,
        ) => TrapClass::Exhausted,
        None => TrapClass::Other,
    }
}

fn engine() -> &'static wasmi::Engine {
    static ENGINE: OnceLock<wasmi::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut c = wasmi::Config::default();
        c.consume_fuel(true)
            .compilation_mode(CompilationMode::Eager)
            .wasm_multi_memory(true)
            .wasm_bulk_memory(true)
            .wasm_reference_types(true)
            .wasm_tail_call(true)
            .wasm_extended_const(true)
            .wasm_memory64(true)
            .wasm_wide_arithmetic(true)
            .wasm_simd(true)
            .wasm_relaxed_simd(false)
            .wasm_custom_page_sizes(false)
            .set_max_recursion_depth(100_000);
        wasmi::Engine::new(&c)
    })
}

/// A module wasmi and witness can both run, bounded and deterministic.
fn generate(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let mut c = smith::config(u)?;
    smith::no_gc(&mut c);
    c.exceptions_enabled = false;
    c.threads_enabled = false;
    c.relaxed_simd_enabled = false;
    c.custom_page_sizes_enabled = false;
    c.max_imports = 0;
    c.min_funcs = 1;
    c.max_funcs = c.max_funcs.max(1);
    c.min_exports = 1;
    c.max_exports = c.max_exports.max(1);
    c.export_everything = true;
    c.canonicalize_nans = true;
    c.allow_invalid_funcs = false;
    c.max_memories = c.max_memories.min(4);
    c.max_tables = c.max_tables.min(4);
    c.max_memory32_bytes = c.max_memory32_bytes.min(MAX_PAGES << 16);
    c.max_memory64_bytes = c.max_memory64_bytes.min(u128::from(MAX_PAGES << 16));
    c.max_table_elements = c.max_table_elements.min(MAX_TABLE);
    let mut m = wasm_smith::Module::new(c, u)?;
    m.ensure_termination(MODULE_FUEL)
        .map_err(|_| arbitrary::Error::IncorrectFormat)?;
    crate::nan::canonicalize_conversions(&m.to_bytes()).ok_or(arbitrary::Error::IncorrectFormat)
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(bytes) = generate(&mut u) else {
        return;
    };
    crate::plain::generated(&bytes);
    let module = match w::Module::new(&bytes) {
        Ok(m) => m,
        Err(e) if e.kind == ModuleErrorKind::Unsupported => {
            stats::count("witness: unsupported");
            return;
        }
        Err(e) => panic!("witness rejects a wasm-smith module: {e}"),
    };
    let Ok(plan) = Plan::new(&module, &mut u) else {
        return;
    };
    let ours = run_witness(&module, &plan);
    let theirs = match run_wasmi(&bytes, &plan) {
        Ok(obs) => obs,
        Err(why) => {
            stats::count(why);
            return;
        }
    };
    match compare(&ours, &theirs) {
        Ok(complete) => {
            stats::count(if complete { "compared" } else { EXHAUSTED });
            stats::count_n("calls compared", calls(&ours));
        }
        Err(divergence) => match select_bug(&bytes, &plan, &ours) {
            Some(bug) => stats::count(bug),
            None if wasmtime_agrees(&bytes, &plan, &ours) => {
                stats::count("wasmi alone: wasmtime agrees with witness (W4)")
            }
            None => panic!("{divergence}"),
        },
    }
}

const EXHAUSTED: &str = "inconclusive: exhausted";

/// Whether a divergence is wasmi's `select` (FINDINGS.md W1, W3): with every
/// `select` rewritten as `if`/`else`, witness observes the same as before
/// and wasmi now agrees with it.
fn select_bug(bytes: &[u8], plan: &Plan, ours: &[Obs]) -> Option<&'static str> {
    if !crate::select::has_select(bytes) {
        return None;
    }
    let rewritten = crate::select::without_select(bytes)?;
    let module = w::Module::new(&rewritten).ok()?;
    let ours2 = run_witness(&module, plan);
    compare(ours, &ours2).ok()?;
    let theirs2 = run_wasmi(&rewritten, plan).ok()?;
    compare(&ours2, &theirs2).ok()?;
    Some("known wasmi bug: select (W1, W3)")
}

/// Whether wasmtime, the third opinion, observes exactly what witness does
/// on a module where wasmi differs (FINDINGS.md W4).
fn wasmtime_agrees(bytes: &[u8], plan: &Plan, ours: &[Obs]) -> bool {
    run_wasmtime(bytes, plan).is_some_and(|theirs| compare(ours, &theirs) == Ok(true))
}

fn wasmtime_engine() -> &'static wasmtime::Engine {
    static ENGINE: OnceLock<wasmtime::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut c = wasmtime::Config::new();
        c.consume_fuel(true)
            .wasm_multi_memory(true)
            .wasm_bulk_memory(true)
            .wasm_tail_call(true)
            .wasm_extended_const(true)
            .wasm_memory64(true)
            .wasm_wide_arithmetic(true)
            .wasm_simd(true)
            .wasm_relaxed_simd(false)
            .cranelift_opt_level(wasmtime::OptLevel::None);
        wasmtime::Engine::new(&c).expect("a wasmtime engine")
    })
}

fn wasmtime_class(e: &wasmtime::Error) -> TrapClass {
    use wasmtime::Trap as T;
    match e.downcast_ref::<T>() {
        Some(T::UnreachableCodeReached) => TrapClass::Unreachable,
        Some(T::MemoryOutOfBounds) => TrapClass::Memory,
        Some(T::TableOutOfBounds) => TrapClass::Table,
        Some(T::IndirectCallToNull | T::NullReference) => TrapClass::Null,
        Some(T::IntegerDivisionByZero) => TrapClass::DivideByZero,
        Some(T::IntegerOverflow) => TrapClass::Overflow,
        Some(T::BadConversionToInteger) => TrapClass::Conversion,
        Some(T::BadSignature) => TrapClass::Signature,
        Some(T::StackOverflow | T::OutOfFuel | T::AllocationTooLarge) => TrapClass::Exhausted,
        _ => TrapClass::Other,
    }
}

fn from_wasmtime(v: &wasmtime::Val) -> Value {
    use wasmtime::Val;
    match v {
        Val::I32(x) => Value::I32(*x as u32),
        Val::I64(x) => Value::I64(*x as u64),
        Val::F32(x) => Value::F32(*x),
        Val::F64(x) => Value::F64(*x),
        Val::V128(x) => Value::V128(x.as_u128()),
        Val::FuncRef(r) => Value::Ref(r.is_none()),
        Val::ExternRef(r) => Value::Ref(r.is_none()),
        Val::AnyRef(r) => Value::Ref(r.is_none()),
        Val::ExnRef(r) => Value::Ref(r.is_none()),
        Val::ContRef(r) => Value::Ref(r.is_none()),
    }
}

fn to_wasmtime(v: &w::Val) -> wasmtime::Val {
    use wasmtime::Val;
    match *v {
        w::Val::I32(x) => Val::I32(x),
        w::Val::I64(x) => Val::I64(x),
        w::Val::F32(x) => Val::F32(x),
        w::Val::F64(x) => Val::F64(x),
        w::Val::V128(x) => Val::V128(x.into()),
        w::Val::FuncRef(None) => Val::FuncRef(None),
        w::Val::ExternRef(None) => Val::ExternRef(None),
        ref v => panic!("no wasmtime value for {v:?}"),
    }
}

/// Runs the plan in wasmtime (core, Cranelift); `None` when wasmtime cannot
/// load or instantiate the module for a reason that is not a trap.
fn run_wasmtime(bytes: &[u8], plan: &Plan) -> Option<Vec<Obs>> {
    use wasmtime::{Extern as E, Instance, Module, Store, StoreLimits, StoreLimitsBuilder};
    let module = Module::new(wasmtime_engine(), bytes).ok()?;
    let limits = StoreLimitsBuilder::new()
        .memory_size((MAX_PAGES << 16) as usize)
        .table_elements(MAX_TABLE as usize)
        .build();
    let mut store = Store::new(wasmtime_engine(), limits);
    store.limiter(|l| l);
    store.set_fuel(ENGINE_FUEL).ok()?;
    let mut obs = Vec::new();
    let inst = match Instance::new(&mut store, &module, &[]) {
        Ok(i) => i,
        Err(e) => {
            obs.push(Obs::Instantiate(Err(wasmtime_class(&e))));
            return Some(obs);
        }
    };
    obs.push(Obs::Instantiate(Ok(())));
    let state = |store: &mut Store<StoreLimits>, obs: &mut Vec<Obs>| -> Option<()> {
        for (name, _) in &plan.state {
            match inst.get_export(&mut *store, name)? {
                E::Memory(m) => {
                    let bytes = m.data(&*store);
                    obs.push(Obs::Memory(name.clone(), bytes.len(), hash(bytes)));
                }
                E::Global(g) => {
                    obs.push(Obs::Global(
                        name.clone(),
                        from_wasmtime(&g.get(&mut *store)),
                    ));
                }
                _ => return None,
            }
        }
        Some(())
    };
    state(&mut store, &mut obs)?;
    for (name, args) in &plan.calls {
        let f = inst.get_func(&mut store, name)?;
        store.set_fuel(ENGINE_FUEL).ok()?;
        let ty = f.ty(&store);
        let args: Vec<wasmtime::Val> = args.iter().map(to_wasmtime).collect();
        let mut results: Vec<wasmtime::Val> = ty
            .results()
            .map(|t| wasmtime::Val::default_for_ty(&t).unwrap_or(wasmtime::Val::I32(0)))
            .collect();
        let r = match f.call(&mut store, &args, &mut results) {
            Ok(()) => Ok(results.iter().map(from_wasmtime).collect()),
            Err(e) => Err(wasmtime_class(&e)),
        };
        let stop = matches!(r, Err(TrapClass::Exhausted));
        obs.push(Obs::Call(name.clone(), r));
        if stop {
            break;
        }
        state(&mut store, &mut obs)?;
    }
    Some(obs)
}

/// What the runs do: the calls, in export order, with their arguments, and
/// the exports whose state is compared after each step.
struct Plan {
    calls: Vec<(String, Vec<w::Val>)>,
    state: Vec<(String, bool)>,
}

impl Plan {
    fn new(module: &w::Module, u: &mut Unstructured<'_>) -> Result<Plan> {
        let mut calls = Vec::new();
        let mut state = Vec::new();
        for e in module.exports() {
            match &e.ty {
                w::ExternType::Func(f) => {
                    let args = f
                        .params
                        .iter()
                        .map(|t| arg(u, *t))
                        .collect::<Result<Vec<_>>>()?;
                    calls.push((e.name.clone(), args));
                }
                w::ExternType::Memory(_) => state.push((e.name.clone(), true)),
                w::ExternType::Global(_) => state.push((e.name.clone(), false)),
                _ => {}
            }
        }
        Ok(Plan { calls, state })
    }
}

/// A value as both engines can report it.
#[derive(Clone, Copy, Debug)]
enum Value {
    I32(u32),
    I64(u64),
    F32(u32),
    F64(u64),
    V128(u128),
    /// A reference, by whether it is null.
    Ref(bool),
}

impl Value {
    /// Integers and vectors bit for bit, floats bit for bit or both NaN
    /// (witness's NaNs are the positive canonical one).
    fn same(&self, other: &Value) -> bool {
        match (*self, *other) {
            (Value::F32(a), Value::F32(b)) => {
                a == b || (f32::from_bits(a).is_nan() && f32::from_bits(b).is_nan())
            }
            (Value::F64(a), Value::F64(b)) => {
                a == b || (f64::from_bits(a).is_nan() && f64::from_bits(b).is_nan())
            }
            (Value::I32(a), Value::I32(b)) => a == b,
            (Value::I64(a), Value::I64(b)) => a == b,
            (Value::V128(a), Value::V128(b)) => a == b,
            (Value::Ref(a), Value::Ref(b)) => a == b,
            _ => false,
        }
    }
}

/// One thing a run observed, in order.
#[derive(Clone, Debug)]
enum Obs {
    /// Instantiation with the start function: done, or its trap's class.
    Instantiate(std::result::Result<(), TrapClass>),
    /// A call of an export: its results, or its trap's class.
    Call(String, std::result::Result<Vec<Value>, TrapClass>),
    /// An exported memory after a step: its length and a hash of its bytes.
    Memory(String, usize, u64),
    /// An exported global after a step.
    Global(String, Value),
}

fn calls(obs: &[Obs]) -> u64 {
    obs.iter().filter(|o| matches!(o, Obs::Call(..))).count() as u64
}

/// FNV-1a over the bytes of a memory.
fn hash(bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for chunk in bytes.chunks(8) {
        let mut w = [0u8; 8];
        w[..chunk.len()].copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Compares two runs: `Ok(true)` when they agree to the end, `Ok(false)`
/// when they agree up to a point where one was exhausted (fuel, stack),
/// `Err` with the first difference.
fn compare(a: &[Obs], b: &[Obs]) -> std::result::Result<bool, String> {
    use TrapClass::Exhausted;
    for (x, y) in a.iter().zip(b) {
        match (x, y) {
            (Obs::Instantiate(Err(Exhausted)), _)
            | (_, Obs::Instantiate(Err(Exhausted)))
            | (Obs::Call(_, Err(Exhausted)), _)
            | (_, Obs::Call(_, Err(Exhausted))) => return Ok(false),
            (Obs::Instantiate(p), Obs::Instantiate(q)) => match (p, q) {
                (Ok(()), Ok(())) => {}
                // wasmi reports a failed segment initialisation as an
                // error that is no trap code; witness as a trap.
                (Err(p), Err(q)) if p == q || *q == TrapClass::Other => {}
                _ => return Err(format!("instantiation: witness {p:?}, wasmi {q:?}")),
            },
            (Obs::Call(n, p), Obs::Call(_, q)) => {
                let same = match (p, q) {
                    (Ok(p), Ok(q)) => p.len() == q.len() && p.iter().zip(q).all(|(a, b)| a.same(b)),
                    (Err(p), Err(q)) => p == q,
                    _ => false,
                };
                if !same {
                    return Err(format!("call of {n:?}: witness {p:?}, wasmi {q:?}"));
                }
            }
            (Obs::Memory(n, l1, h1), Obs::Memory(_, l2, h2)) => {
                if (l1, h1) != (l2, h2) {
                    return Err(format!(
                        "memory {n:?} differs (witness: {l1} bytes, hash {h1:x}; wasmi: {l2} bytes, hash {h2:x})"
                    ));
                }
            }
            (Obs::Global(n, p), Obs::Global(_, q)) => {
                if !p.same(q) {
                    return Err(format!("global {n:?}: witness {p:?}, wasmi {q:?}"));
                }
            }
            _ => return Err(format!("runs differ in shape: witness {x:?}, wasmi {y:?}")),
        }
    }
    if a.len() != b.len() {
        return Err(format!(
            "runs differ in length: witness {} steps, wasmi {}",
            a.len(),
            b.len()
        ));
    }
    Ok(true)
}

fn from_witness(v: &w::Val) -> Value {
    match *v {
        w::Val::I32(x) => Value::I32(x as u32),
        w::Val::I64(x) => Value::I64(x as u64),
        w::Val::F32(x) => Value::F32(x),
        w::Val::F64(x) => Value::F64(x),
        w::Val::V128(x) => Value::V128(x),
        w::Val::FuncRef(r) => Value::Ref(r.is_none()),
        w::Val::ExternRef(r) => Value::Ref(r.is_none()),
        w::Val::ExnRef(r) => Value::Ref(r.is_none()),
    }
}

fn from_wasmi(v: &wasmi::Val) -> Value {
    use wasmi::Val;
    match v {
        Val::I32(x) => Value::I32(*x as u32),
        Val::I64(x) => Value::I64(*x as u64),
        Val::F32(x) => Value::F32(x.to_bits()),
        Val::F64(x) => Value::F64(x.to_bits()),
        Val::V128(x) => Value::V128(x.as_u128()),
        Val::FuncRef(r) => Value::Ref(r.is_null()),
        Val::ExternRef(r) => Value::Ref(r.is_null()),
    }
}

/// Runs the plan in witness.
fn run_witness(module: &w::Module, plan: &Plan) -> Vec<Obs> {
    let mut obs = Vec::new();
    let mut store = w::Store::new(w::Config {
        fuel: Some(ENGINE_FUEL),
        max_memory_pages: MAX_PAGES,
        max_table_elements: MAX_TABLE,
        ..w::Config::default()
    });
    let inst = match store.instantiate(module, &[]) {
        Ok(i) => match i.start {
            Some(start) => store
                .call(start, &[], &mut no_host)
                .map(|_| i.instance)
                .map_err(|e| call_error_class(&e)),
            None => Ok(i.instance),
        },
        Err(w::InstantiationError::Trap(t)) => Err(witness_class(&t.kind)),
        Err(w::InstantiationError::Link(m)) => panic!("witness: link error: {m}"),
    };
    let inst = match inst {
        Ok(inst) => inst,
        Err(class) => {
            obs.push(Obs::Instantiate(Err(class)));
            return obs;
        }
    };
    obs.push(Obs::Instantiate(Ok(())));
    let state = |store: &w::Store, obs: &mut Vec<Obs>| {
        for (name, _) in &plan.state {
            match store.instance_export(inst, name) {
                Some(Extern::Memory(m)) => {
                    let bytes = store.memory(m);
                    obs.push(Obs::Memory(name.clone(), bytes.len(), hash(bytes)));
                }
                Some(Extern::Global(g)) => {
                    obs.push(Obs::Global(
                        name.clone(),
                        from_witness(&store.global_get(g)),
                    ));
                }
                _ => panic!("witness: no export {name}"),
            }
        }
    };
    state(&store, &mut obs);
    for (name, args) in &plan.calls {
        let Some(Extern::Func(f)) = store.instance_export(inst, name) else {
            panic!("witness: no function {name}");
        };
        store.set_fuel(Some(ENGINE_FUEL));
        let r = store
            .call(f, args, &mut no_host)
            .map(|vals| vals.iter().map(from_witness).collect())
            .map_err(|e| call_error_class(&e));
        let stop = matches!(r, Err(TrapClass::Exhausted));
        obs.push(Obs::Call(name.clone(), r));
        if stop {
            break;
        }
        state(&store, &mut obs);
    }
    obs
}

/// Runs the plan in wasmi; `Err` when wasmi cannot load the module (it
/// rejects it, or its translator panics: W2).
fn run_wasmi(bytes: &[u8], plan: &Plan) -> std::result::Result<Vec<Obs>, &'static str> {
    let module = match quietly(|| wasmi::Module::new(engine(), bytes)) {
        Some(Ok(m)) => m,
        Some(Err(_)) => return Err("wasmi: rejected"),
        None => return Err("known wasmi bug W2 (translator panics)"),
    };
    let mut obs = Vec::new();
    let limits = StoreLimitsBuilder::new()
        .memory_size((MAX_PAGES << 16) as usize)
        .table_elements(MAX_TABLE as usize)
        .build();
    let mut store = wasmi::Store::new(engine(), limits);
    store.limiter(|l| l);
    store.set_fuel(ENGINE_FUEL).expect("fuel is on");
    let inst = match wasmi::Linker::<StoreLimits>::new(engine())
        .instantiate_and_start(&mut store, &module)
    {
        Ok(inst) => inst,
        Err(e) => {
            obs.push(Obs::Instantiate(Err(wasmi_class(&e))));
            return Ok(obs);
        }
    };
    obs.push(Obs::Instantiate(Ok(())));
    let state = |store: &mut wasmi::Store<StoreLimits>, obs: &mut Vec<Obs>| {
        for (name, memory) in &plan.state {
            if *memory {
                let m = inst
                    .get_memory(&*store, name)
                    .unwrap_or_else(|| panic!("wasmi: no memory {name}"));
                let bytes = m.data(&*store);
                obs.push(Obs::Memory(name.clone(), bytes.len(), hash(bytes)));
            } else {
                let g = inst
                    .get_global(&*store, name)
                    .unwrap_or_else(|| panic!("wasmi: no global {name}"));
                obs.push(Obs::Global(
                    name.clone(),
                    from_wasmi(&g.get(store.as_context_mut())),
                ));
            }
        }
    };
    state(&mut store, &mut obs);
    for (name, args) in &plan.calls {
        let f = inst
            .get_func(&store, name)
            .unwrap_or_else(|| panic!("wasmi: no function {name}"));
        store.set_fuel(ENGINE_FUEL).expect("fuel is on");
        let ty = f.ty(&store);
        let wargs: Vec<wasmi::Val> = args.iter().map(to_wasmi).collect();
        let mut results: Vec<wasmi::Val> = ty
            .results()
            .iter()
            .map(|t| wasmi::Val::default_for_ty(*t))
            .collect();
        let r = match quietly(|| f.call(&mut store, &wargs, &mut results)) {
            Some(Ok(())) => Ok(results.iter().map(from_wasmi).collect()),
            Some(Err(e)) => Err(wasmi_class(&e)),
            None => return Err("wasmi: panicked in a call"),
        };
        let stop = matches!(r, Err(TrapClass::Exhausted));
        obs.push(Obs::Call(name.clone(), r));
        if stop {
            break;
        }
        state(&mut store, &mut obs);
    }
    Ok(obs)
}

/// Runs `f`, catching a panic (`None`) without reporting it: the panic hook
/// (libFuzzer's aborts, the plain loop's saves the input) is set aside
/// meanwhile.
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
    std::panic::set_hook(hook);
    r
}

/// There are no imports, so no host function is ever called.
fn no_host(
    _: &mut w::Store,
    _: w::FuncAddr,
    _: u32,
    _: &[w::Val],
) -> std::result::Result<Vec<w::Val>, w::Trap> {
    Err(w::Trap::new(TrapKind::Host("no host functions".into())))
}

fn call_error_class(e: &CallError) -> TrapClass {
    match e {
        CallError::Trap(t) => witness_class(&t.kind),
        CallError::Exception(_) | CallError::Misuse(_) => TrapClass::Other,
    }
}

/// An argument of type `t`: arbitrary bits, references null.
fn arg(u: &mut Unstructured<'_>, t: ValType) -> Result<w::Val> {
    Ok(match t {
        ValType::I32 => w::Val::I32(u.arbitrary()?),
        ValType::I64 => w::Val::I64(u.arbitrary()?),
        ValType::F32 => w::Val::F32(u.arbitrary()?),
        ValType::F64 => w::Val::F64(u.arbitrary()?),
        ValType::V128 => w::Val::V128(u.arbitrary()?),
        t => w::Val::default_of(t),
    })
}

fn to_wasmi(v: &w::Val) -> wasmi::Val {
    use wasmi::{Nullable, Val};
    match *v {
        w::Val::I32(x) => Val::I32(x),
        w::Val::I64(x) => Val::I64(x),
        w::Val::F32(x) => Val::F32(wasmi::F32::from_bits(x)),
        w::Val::F64(x) => Val::F64(wasmi::F64::from_bits(x)),
        w::Val::V128(x) => Val::V128(wasmi::V128::from(x)),
        w::Val::FuncRef(None) => Val::FuncRef(Nullable::Null),
        w::Val::ExternRef(None) => Val::ExternRef(Nullable::Null),
        ref v => panic!("no wasmi value for {v:?}"),
    }
}
