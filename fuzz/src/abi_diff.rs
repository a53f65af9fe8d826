//! Canonical ABI differential: values of generated component value types
//! passed across a component boundary ([`crate::abi_pair`]: lowered into
//! one memory, lifted out of the other, through every pair of string
//! encodings, flat and through memory) in witness and in wasmtime 48.0.8;
//! both must return the same values, printed in WAVE, or both trap.
//!
//! When the pair passes the values back unchanged, what comes back must
//! also be what was sent (a third opinion, the spec's: lifting inverts
//! lowering). When the inner function corrupts its result, lifting it may
//! trap, and only the runtimes are compared.

use crate::abi_pair::{Corrupt, Encoding, Pair, result_type};
use crate::stats;
use crate::values::{self, Shape};
use arbitrary::{Result, Unstructured};
use std::sync::OnceLock;
use wasmtime::component::Val as W;
use witness::component::{StringValue, Val, ValType};

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok((pair, args)) = generate(&mut u) else {
        return;
    };
    let bytes = pair.component();
    crate::plain::generated(&bytes);
    // The generator makes valid components only (by wasmparser's
    // validator, the differential oracle of `component_validate_diff`).
    let features = witness_spec::Features::default();
    if let Err(e) =
        wasmparser::Validator::new_with_features(features.wasmparser()).validate_all(&bytes)
    {
        panic!("the generated component is invalid: {e} ({pair:?})");
    }
    stats::count(match (pair.spills_params(), pair.spills_results()) {
        (true, _) => "params and result through memory",
        (false, true) => "flat params, result through memory",
        (false, false) => "flat params and result",
    });
    let r = result_type(&pair.params);
    let witness = run_witness(&bytes, &args);
    let wasmtime = run_wasmtime(&bytes, &pair.params, &args);
    let show = |o: &Outcome| match o {
        Outcome::Returned(v) => format!("returned {}", wave(v, &r)),
        Outcome::Trapped(m) => format!("trapped: {m}"),
        Outcome::Failed(m) => format!("failed: {m}"),
    };
    match (&witness, &wasmtime) {
        (Outcome::Returned(a), Outcome::Returned(b)) => {
            let (a, b) = (wave(a, &r), wave(b, &r));
            assert!(
                a == b,
                "witness and wasmtime return different values ({pair:?})\n    sent: {}\n witness: {a}\nwasmtime: {b}",
                wave(&sent(&args), &r)
            );
            if pair.corrupt.is_none() {
                let sent = wave(&sent(&args), &r);
                assert!(
                    a == sent,
                    "the values come back changed in both runtimes ({pair:?})\n    sent: {sent}\nreturned: {a}"
                );
            }
            stats::count("both returned the same");
        }
        (Outcome::Trapped(a), Outcome::Trapped(b)) => {
            assert!(
                pair.corrupt.is_some(),
                "both runtimes trap on values passed back unchanged ({pair:?})\n witness: {a}\nwasmtime: {b}"
            );
            // Traps are not told apart by the spec (a trap is a trap); the
            // message says which check fired first, which may differ
            // (FINDINGS.md, "Not bugs").
            let wasmtime_kind = b
                .strip_prefix("wasm trap: ")
                .and_then(|m| m.split(": error while executing").next())
                .unwrap_or(b);
            if a == wasmtime_kind {
                stats::count("both trapped, same message");
            } else {
                if std::env::var_os("ABI_DIFF_TRAPS").is_some() {
                    eprintln!("traps: witness: {a}\n     wasmtime: {b}");
                }
                stats::count("both trapped, messages differ");
            }
        }
        _ => panic!(
            "witness and wasmtime disagree ({pair:?})\n witness: {}\nwasmtime: {}",
            show(&witness),
            show(&wasmtime)
        ),
    }
}

/// A pair and the arguments of `run`.
fn generate(u: &mut Unstructured<'_>) -> Result<(Pair, Vec<Val>)> {
    let shape = Shape {
        valid_labels: true,
        maps: true,
        fixed_lists: true,
        async_types: false,
        max_depth: 3,
    };
    // Mostly a few parameters; sometimes many, so that they spill.
    let n = if u.ratio(1, 6)? {
        u.int_in_range(8..=20)?
    } else {
        u.int_in_range(1..=4)?
    };
    let params = (0..n)
        .map(|_| values::val_type(u, &shape, 0))
        .collect::<Result<Vec<_>>>()?;
    let inner = *u.choose(&Encoding::ALL)?;
    let outer = *u.choose(&Encoding::ALL)?;
    let corrupt = if u.ratio(1, 4)? {
        let flips = (0..u.int_in_range(1..=3)?)
            .map(|_| Ok((u.arbitrary()?, u.int_in_range(1..=255)?)))
            .collect::<Result<_>>()?;
        Some(Corrupt(flips))
    } else {
        None
    };
    let mut args: Vec<Val> = params
        .iter()
        .map(|t| values::value(u, t))
        .collect::<Result<_>>()?;
    if corrupt.is_some() {
        // A NaN's bits in memory are the runtime's choice (CanonicalABI.md
        // `maybe_scramble_nan32`), and flipping some of them may make a
        // number of it: send only the canonical NaN, whose bits both keep.
        args.iter_mut().for_each(canonical_nans);
    }
    Ok((
        Pair {
            params,
            inner,
            outer,
            corrupt,
        },
        args,
    ))
}

/// Replaces every NaN in `v` by the canonical NaN (`CANONICAL_FLOAT32_NAN`,
/// `CANONICAL_FLOAT64_NAN`).
fn canonical_nans(v: &mut Val) {
    match v {
        Val::F32(f) if f.is_nan() => *f = f32::from_bits(0x7fc0_0000),
        Val::F64(f) if f.is_nan() => *f = f64::from_bits(0x7ff8_0000_0000_0000),
        Val::List(vs) => vs.iter_mut().for_each(canonical_nans),
        Val::Record(fs) => fs.iter_mut().for_each(|(_, v)| canonical_nans(v)),
        Val::Variant(_, Some(p)) => canonical_nans(p),
        _ => {}
    }
}

/// What a call did.
enum Outcome {
    Returned(Val),
    Trapped(String),
    /// The component did not compile or instantiate, or the call was
    /// refused: a bug of the generator or a divergence.
    Failed(String),
}

/// The arguments as the value `run` returns when nothing is corrupted.
fn sent(args: &[Val]) -> Val {
    match args {
        [v] => v.clone(),
        _ => Val::Record(
            args.iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v.clone()))
                .collect(),
        ),
    }
}

fn run_witness(bytes: &[u8], args: &[Val]) -> Outcome {
    use witness::component::{Component, Engine, Error, Linker, Store};
    let engine = Engine::default();
    let component = match Component::new(&engine, bytes) {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let store = Store::new(&engine);
    store.set_fuel(Some(1 << 24));
    let instance = match Linker::new().instantiate(&store, &component) {
        Ok(i) => i,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let Some(run) = instance.func("run") else {
        return Outcome::Failed("no export `run`".into());
    };
    match run.call(&store, args) {
        Ok(mut vs) if vs.len() == 1 => Outcome::Returned(vs.remove(0)),
        Ok(vs) => Outcome::Failed(format!("{} results", vs.len())),
        Err(Error::Trap(t)) => Outcome::Trapped(t.to_string()),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

/// One wasmtime engine for every input: Cranelift without optimisations
/// (compiling is most of the time), the component model's map and
/// fixed-length lists on.
fn engine() -> &'static wasmtime::Engine {
    static ENGINE: OnceLock<wasmtime::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut config = wasmtime::Config::new();
        config
            .wasm_component_model(true)
            .wasm_component_model_map(true)
            .wasm_component_model_fixed_length_lists(true)
            .cranelift_opt_level(wasmtime::OptLevel::None);
        wasmtime::Engine::new(&config).expect("a wasmtime engine")
    })
}

fn run_wasmtime(bytes: &[u8], params: &[ValType], args: &[Val]) -> Outcome {
    use wasmtime::component::{Component, Linker};
    let engine = engine();
    let component = match Component::new(engine, bytes) {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(format!("{e:?}")),
    };
    let mut store = wasmtime::Store::new(engine, ());
    let instance = match Linker::<()>::new(engine).instantiate(&mut store, &component) {
        Ok(i) => i,
        Err(e) => return Outcome::Failed(format!("{e:?}")),
    };
    let Some(run) = instance.get_func(&mut store, "run") else {
        return Outcome::Failed("no export `run`".into());
    };
    let args: Vec<W> = args
        .iter()
        .zip(params)
        .map(|(v, t)| to_wasmtime(v, t))
        .collect();
    let mut results = [W::Bool(false)];
    match run.call(&mut store, &args, &mut results) {
        Ok(()) => match from_wasmtime(&results[0], &result_type(params)) {
            Some(v) => Outcome::Returned(v),
            None => Outcome::Failed(format!("not a value of the result type: {results:?}")),
        },
        Err(e) => match e.downcast_ref::<wasmtime::Trap>() {
            Some(t) => Outcome::Trapped(format!("{t}: {e:?}")),
            None => Outcome::Trapped(format!("{e:?}")),
        },
    }
}

/// A witness value of `t` as a wasmtime value.
fn to_wasmtime(v: &Val, t: &ValType) -> W {
    let payload = |p: &Option<Box<Val>>, t: Option<&ValType>| match (p, t) {
        (Some(p), Some(t)) => Some(Box::new(to_wasmtime(p, t))),
        _ => None,
    };
    match (t, v) {
        (ValType::Bool, Val::Bool(b)) => W::Bool(*b),
        (ValType::S8, Val::S8(i)) => W::S8(*i),
        (ValType::U8, Val::U8(i)) => W::U8(*i),
        (ValType::S16, Val::S16(i)) => W::S16(*i),
        (ValType::U16, Val::U16(i)) => W::U16(*i),
        (ValType::S32, Val::S32(i)) => W::S32(*i),
        (ValType::U32, Val::U32(i)) => W::U32(*i),
        (ValType::S64, Val::S64(i)) => W::S64(*i),
        (ValType::U64, Val::U64(i)) => W::U64(*i),
        (ValType::F32, Val::F32(f)) => W::Float32(*f),
        (ValType::F64, Val::F64(f)) => W::Float64(*f),
        (ValType::Char, Val::Char(c)) => W::Char(*c),
        (ValType::String, Val::String(s)) => W::String(s.s.clone()),
        (ValType::List(e, None), Val::List(vs)) => {
            W::List(vs.iter().map(|v| to_wasmtime(v, e)).collect())
        }
        (ValType::List(e, Some(_)), Val::List(vs)) => {
            W::FixedLengthList(vs.iter().map(|v| to_wasmtime(v, e)).collect())
        }
        (ValType::Map(k, vt), Val::List(entries)) => W::Map(
            entries
                .iter()
                .map(|e| match e {
                    Val::Record(kv) if kv.len() == 2 => {
                        (to_wasmtime(&kv[0].1, k), to_wasmtime(&kv[1].1, vt))
                    }
                    _ => unreachable!("a map entry is a (key, value) record"),
                })
                .collect(),
        ),
        (ValType::Record(fs), Val::Record(vs)) => W::Record(
            fs.iter()
                .zip(vs)
                .map(|(f, (_, v))| (f.label.clone(), to_wasmtime(v, &f.t)))
                .collect(),
        ),
        (ValType::Tuple(ts), Val::Record(vs)) => W::Tuple(
            ts.iter()
                .zip(vs)
                .map(|(t, (_, v))| to_wasmtime(v, t))
                .collect(),
        ),
        (ValType::Variant(cs), Val::Variant(l, p)) => {
            let case = cs.iter().find(|c| c.label == *l).and_then(|c| c.t.as_ref());
            W::Variant(l.clone(), payload(p, case))
        }
        (ValType::Enum(_), Val::Variant(l, _)) => W::Enum(l.clone()),
        (ValType::Option(t), Val::Variant(l, p)) => W::Option(if l == "some" {
            payload(p, Some(t))
        } else {
            None
        }),
        (ValType::Result(ok, err), Val::Variant(l, p)) => W::Result(if l == "ok" {
            Ok(payload(p, ok.as_deref()))
        } else {
            Err(payload(p, err.as_deref()))
        }),
        (ValType::Flags(_), Val::Flags(fs)) => W::Flags(
            fs.iter()
                .filter(|(_, on)| *on)
                .map(|(l, _)| l.clone())
                .collect(),
        ),
        _ => unreachable!("{v:?} is not a value of {t:?}"),
    }
}

/// A wasmtime value of `t` as a witness value; `None` if it is not one.
fn from_wasmtime(w: &W, t: &ValType) -> Option<Val> {
    let payload = |p: &Option<Box<W>>, t: Option<&ValType>| -> Option<Option<Box<Val>>> {
        match (p, t) {
            (Some(p), Some(t)) => Some(Some(Box::new(from_wasmtime(p, t)?))),
            (None, None) => Some(None),
            _ => None,
        }
    };
    Some(match (t, w) {
        (ValType::Bool, W::Bool(b)) => Val::Bool(*b),
        (ValType::S8, W::S8(i)) => Val::S8(*i),
        (ValType::U8, W::U8(i)) => Val::U8(*i),
        (ValType::S16, W::S16(i)) => Val::S16(*i),
        (ValType::U16, W::U16(i)) => Val::U16(*i),
        (ValType::S32, W::S32(i)) => Val::S32(*i),
        (ValType::U32, W::U32(i)) => Val::U32(*i),
        (ValType::S64, W::S64(i)) => Val::S64(*i),
        (ValType::U64, W::U64(i)) => Val::U64(*i),
        (ValType::F32, W::Float32(f)) => Val::F32(*f),
        (ValType::F64, W::Float64(f)) => Val::F64(*f),
        (ValType::Char, W::Char(c)) => Val::Char(*c),
        (ValType::String, W::String(s)) => Val::String(StringValue::from_host(s.clone())),
        (ValType::List(e, None), W::List(vs))
        | (ValType::List(e, Some(_)), W::FixedLengthList(vs)) => Val::List(
            vs.iter()
                .map(|v| from_wasmtime(v, e))
                .collect::<Option<_>>()?,
        ),
        (ValType::Map(k, vt), W::Map(entries)) => Val::List(
            entries
                .iter()
                .map(|(key, v)| {
                    Some(Val::Record(vec![
                        ("0".into(), from_wasmtime(key, k)?),
                        ("1".into(), from_wasmtime(v, vt)?),
                    ]))
                })
                .collect::<Option<_>>()?,
        ),
        (ValType::Record(fs), W::Record(vs)) if fs.len() == vs.len() => Val::Record(
            fs.iter()
                .zip(vs)
                .map(|(f, (l, v))| {
                    (f.label == *l).then(|| Some((l.clone(), from_wasmtime(v, &f.t)?)))?
                })
                .collect::<Option<_>>()?,
        ),
        (ValType::Tuple(ts), W::Tuple(vs)) if ts.len() == vs.len() => Val::Record(
            ts.iter()
                .zip(vs)
                .enumerate()
                .map(|(i, (t, v))| Some((i.to_string(), from_wasmtime(v, t)?)))
                .collect::<Option<_>>()?,
        ),
        (ValType::Variant(cs), W::Variant(l, p)) => {
            let case = cs.iter().find(|c| c.label == *l)?;
            Val::Variant(l.clone(), payload(p, case.t.as_ref())?)
        }
        (ValType::Enum(ls), W::Enum(l)) if ls.contains(l) => Val::Variant(l.clone(), None),
        (ValType::Option(t), W::Option(p)) => match p {
            Some(p) => Val::Variant("some".into(), Some(Box::new(from_wasmtime(p, t)?))),
            None => Val::Variant("none".into(), None),
        },
        (ValType::Result(ok, err), W::Result(r)) => match r {
            Ok(p) => Val::Variant("ok".into(), payload(p, ok.as_deref())?),
            Err(p) => Val::Variant("error".into(), payload(p, err.as_deref())?),
        },
        (ValType::Flags(ls), W::Flags(set)) => {
            Val::Flags(ls.iter().map(|l| (l.clone(), set.contains(l))).collect())
        }
        _ => return None,
    })
}

/// `v` of `t` in WAVE; a map as the list of (key, value) tuples it
/// specializes (WAVE has no maps).
fn wave(v: &Val, t: &ValType) -> String {
    let t = without_maps(t);
    witness::wave::to_wave(v, &t)
        .map_err(|e| e.to_string())
        .and_then(|w| wasm_wave::to_string(&w).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| format!("(not WAVE: {e}) {v:?}"))
}

fn without_maps(t: &ValType) -> ValType {
    use witness::component::{CaseType, FieldType};
    let b = |t: &ValType| Box::new(without_maps(t));
    match t {
        ValType::Map(k, v) => ValType::List(
            Box::new(ValType::Tuple(vec![without_maps(k), without_maps(v)])),
            None,
        ),
        ValType::List(e, n) => ValType::List(b(e), *n),
        ValType::Record(fs) => ValType::Record(
            fs.iter()
                .map(|f| FieldType {
                    label: f.label.clone(),
                    t: without_maps(&f.t),
                })
                .collect(),
        ),
        ValType::Tuple(ts) => ValType::Tuple(ts.iter().map(without_maps).collect()),
        ValType::Variant(cs) => ValType::Variant(
            cs.iter()
                .map(|c| CaseType {
                    label: c.label.clone(),
                    t: c.t.as_ref().map(without_maps),
                })
                .collect(),
        ),
        ValType::Option(t) => ValType::Option(b(t)),
        ValType::Result(ok, err) => ValType::Result(ok.as_deref().map(b), err.as_deref().map(b)),
        t => t.clone(),
    }
}
