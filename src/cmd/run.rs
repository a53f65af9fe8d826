//! `witness run FILE --invoke NAME [ARG...]`: instantiate a core module and
//! call one of its exported functions. A component goes to
//! [`super::run_component`] (a WASI command, or `--invoke 'f(WAVE ARGS)'`;
//! `-W GATE=y|n`).
//!
//! Arguments are written as the text format writes constants, read by the
//! parameter's type: integers in decimal or `0x` hex (`-1`, `4294967295`,
//! `0xff`), floats in decimal or hex with `inf`, `nan`, `nan:0x...` and `-0`;
//! a `v128` is one argument holding a `v128.const`'s immediates
//! (`"i32x4 1 2 3 4"`, any lane shape) or `0x` and up to 32 hex digits (the
//! 128-bit number, lane 0 in its low bits); a reference is `null`, or a
//! number for an `externref`. Results print one per line in the same
//! notation, a `v128` as `i32x4` with hex lanes unless `--v128-shape` names
//! another shape. `--relaxed NAME=INDEX` fixes a relaxed SIMD parameter
//! (`fmadd`, `fmin`, `fmax`, `iq15mulr`, `trunc_u`, `trunc_s`, `swizzle`,
//! `idot`, `laneselect`) to another permitted result than the deterministic
//! profile's 0. Imports can name only the `spectest` module of the core
//! test suite.

use super::bad_input;
use std::path::PathBuf;
use std::process::ExitCode;
use wast::core::V128Const;
use wast::parser::{self, ParseBuffer};
use wast::token::{F32, F64};
use witness_conformance::spectest;
use witness_interp::core_wasm::{CallError, Config, Extern, Module, Relaxed, Store, Val, ValType};

#[derive(clap::Args)]
pub struct Args {
    /// The module or component: binary (`.wasm`) or text (`.wat`).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The exported function to call: a core module's export name, or for
    /// a component a WAVE call such as `'greet("world")'`.
    #[arg(long, value_name = "NAME")]
    invoke: Option<String>,
    /// Turns a component-model feature gate on or off, e.g.
    /// `-W component-model-async=n` (components only; repeatable).
    #[arg(short = 'W', value_name = "GATE=y|n")]
    gates: Vec<String>,
    /// Instruction budget; without it, the call runs until it ends.
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,
    /// Prints each step of the Canonical ABI to stderr, indented by
    /// nesting, with values in WAVE (components only).
    #[arg(long)]
    trace: bool,
    /// How `v128` results print: i8x16, i16x8, i32x4, i64x2 (signed
    /// decimal lanes), f32x4, f64x2; the default is i32x4 with hex lanes.
    #[arg(long, value_name = "SHAPE", value_parser = ["i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2"])]
    v128_shape: Option<String>,
    /// Fixes a relaxed SIMD parameter to a permitted result, e.g.
    /// `fmadd=1` for fused multiply-add (repeatable).
    #[arg(long, value_name = "NAME=INDEX")]
    relaxed: Vec<String>,
    /// WASI: `--env`, `--dir`, `--argv0`, `-S` (components).
    #[command(flatten)]
    wasi: super::wasi_flags::Flags,
    /// The function's arguments (a core module), or the guest's arguments
    /// after `argv[0]` (a component).
    #[arg(
        value_name = "ARG",
        allow_hyphen_values = true,
        trailing_var_arg = true
    )]
    args: Vec<String>,
}

/// Runs the command: exit status 0 with the results on stdout, 1 on a trap
/// (message and backtrace on stderr), 2 on bad input.
pub fn main(args: Args) -> ExitCode {
    let bytes = match wat::parse_file(&args.file) {
        Ok(bytes) => bytes,
        Err(e) => return bad_input(wat_error(&e)),
    };
    if witness_spec::validate::is_component(&bytes) {
        let file = args.file.display().to_string();
        return super::run_component::main(
            &file,
            &bytes,
            args.invoke.as_deref(),
            &args.gates,
            super::run_component::Running {
                fuel: args.fuel,
                trace: args.trace,
            },
            &args.wasi,
            &args.args,
        );
    }
    if args.trace {
        return bad_input("--trace shows the Canonical ABI's steps: components only");
    }
    let Some(invoke) = args.invoke.clone() else {
        return bad_input("--invoke NAME: the export to call");
    };
    let module = match Module::new(&bytes) {
        Ok(module) => module,
        Err(e) => return bad_input(format!("{}: {e}", args.file.display())),
    };
    let mut store = Store::new(Config {
        fuel: args.fuel,
        ..Config::default()
    });
    for choice in &args.relaxed {
        let parsed = choice.split_once('=').and_then(|(name, index)| {
            let param = Relaxed::from_name(name)?;
            let index = index
                .parse::<usize>()
                .ok()
                .filter(|&i| i < param.options())?;
            Some((param, index))
        });
        match parsed {
            Some((param, index)) => {
                store.choices_mut().set_relaxed(param, index);
            }
            None => {
                return bad_input(format!(
                    "--relaxed {choice}: expected NAME=INDEX with NAME one of fmadd, fmin, fmax, iq15mulr, trunc_u, trunc_s, swizzle, idot, laneselect and INDEX below its number of options"
                ));
            }
        }
    }
    let mut registry = std::collections::HashMap::new();
    registry.insert("spectest".to_string(), spectest::instantiate(&mut store));
    let imports = match witness_conformance::resolve_imports(&registry, &module) {
        Ok(imports) => imports,
        Err(e) => return bad_input(format!("{e} (`witness run` provides only \"spectest\")")),
    };
    let instantiated = match store.instantiate(&module, &imports) {
        Ok(instantiated) => instantiated,
        Err(e) => return bad_input(e),
    };
    let mut host = |_: &mut Store, _, tag, args: &[Val]| spectest::call(tag, args);
    if let Some(start) = instantiated.start
        && let Err(e) = store.call(start, &[], &mut host)
    {
        return call_failed(e);
    }
    let func = match store.instance_export(instantiated.instance, &invoke) {
        Some(Extern::Func(f)) => f,
        Some(_) => return bad_input(format!("export \"{invoke}\" is not a function")),
        None => return bad_input(format!("unknown export \"{invoke}\"")),
    };
    let params = store.func_type(func).params.clone();
    if params.len() != args.args.len() {
        return bad_input(format!(
            "\"{}\" takes {} arguments ({}), got {}",
            invoke,
            params.len(),
            params
                .iter()
                .map(ValType::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            args.args.len()
        ));
    }
    let mut vals = Vec::new();
    for (i, (ty, text)) in params.iter().zip(&args.args).enumerate() {
        match parse_arg(*ty, text) {
            Some(v) => vals.push(v),
            None => return bad_input(format!("argument {i}: \"{text}\" is not a valid {ty}")),
        }
    }
    match store.call(func, &vals, &mut host) {
        Ok(results) => {
            for v in results {
                println!("{}", format_val(v, args.v128_shape.as_deref()));
            }
            ExitCode::SUCCESS
        }
        Err(e) => call_failed(e),
    }
}

/// A trap is the program's failure (status 1); a misuse is bad input.
fn call_failed(e: CallError) -> ExitCode {
    match e {
        CallError::Trap(trap) => {
            eprintln!("error: {trap}");
            ExitCode::from(1)
        }
        CallError::Misuse(m) => bad_input(m),
        // An uncaught exception, once the interpreter has them.
        #[allow(unreachable_patterns)]
        other => {
            eprintln!("error: {other}");
            ExitCode::from(1)
        }
    }
}

/// `wat`'s multi-line diagnostic as one line: `FILE:LINE:COL: MESSAGE`.
fn wat_error(e: &wat::Error) -> String {
    let text = e.to_string();
    let message = text.lines().next().unwrap_or("").trim();
    match text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
    {
        Some(location) => format!("{location}: {message}"),
        None => message.to_string(),
    }
}

/// Reads an argument of type `ty` in the text format's notation.
fn parse_arg(ty: ValType, text: &str) -> Option<Val> {
    fn constant<'a, T: wast::parser::Parse<'a>>(buf: &'a ParseBuffer<'a>) -> Option<T> {
        parser::parse::<T>(buf).ok()
    }
    if ty.is_ref() {
        return match (ty, text) {
            (ValType::FuncRef, "null") => Some(Val::FuncRef(None)),
            (ValType::ExternRef, "null") => Some(Val::ExternRef(None)),
            (ValType::ExternRef, n) => n.parse().ok().map(|n| Val::ExternRef(Some(n))),
            _ => None,
        };
    }
    let buf = ParseBuffer::new(text).ok()?;
    match ty {
        ValType::I32 => constant::<i32>(&buf).map(Val::I32),
        ValType::I64 => constant::<i64>(&buf).map(Val::I64),
        ValType::F32 => constant::<F32>(&buf).map(|f| Val::F32(f.bits)),
        ValType::F64 => constant::<F64>(&buf).map(|f| Val::F64(f.bits)),
        ValType::V128 => match text.strip_prefix("0x") {
            Some(hex) if !hex.contains(' ') => u128::from_str_radix(hex, 16).ok().map(Val::V128),
            _ => {
                constant::<V128Const>(&buf).map(|c| Val::V128(u128::from_le_bytes(c.to_le_bytes())))
            }
        },
        _ => None,
    }
}

/// A result in the notation of the arguments: `42`, `-0.0`, `inf`,
/// `nan:0x200000`, `null`, `ref.extern 1`, `ref.func`, `i32x4 0x00000001
/// 0x00000000 0x00000000 0x00000000` (a `v128` in `shape`, by default
/// `i32x4` with hex lanes).
fn format_val(v: Val, shape: Option<&str>) -> String {
    match v {
        Val::V128(bits) => format_v128(bits, shape.unwrap_or("hex")),
        Val::I32(n) => n.to_string(),
        Val::I64(n) => n.to_string(),
        Val::F32(bits) => {
            let v = f32::from_bits(bits);
            let nan =
                v.is_nan()
                    .then_some((bits >> 31 != 0, u64::from(bits & 0x7f_ffff), 0x40_0000));
            format_float(format!("{v:?}"), nan)
        }
        Val::F64(bits) => {
            let v = f64::from_bits(bits);
            let nan = v
                .is_nan()
                .then_some((bits >> 63 != 0, bits & 0xf_ffff_ffff_ffff, 1 << 51));
            format_float(format!("{v:?}"), nan)
        }
        Val::FuncRef(None) | Val::ExternRef(None) => "null".to_string(),
        Val::FuncRef(Some(_)) => "ref.func".to_string(),
        Val::ExternRef(Some(n)) => format!("ref.extern {n}"),
        // Values of types added later print as the interpreter shows them.
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// A `v128` as a `v128.const`'s immediates in `shape` (`hex`: `i32x4`
/// with hex lanes).
fn format_v128(bits: u128, shape: &str) -> String {
    let lanes = |width: usize, f: &dyn Fn(u64) -> String| {
        (0..128 / width)
            .map(|i| f((bits >> (width * i)) as u64))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (name, lanes) = match shape {
        "i8x16" => (shape, lanes(8, &|x| (x as i8).to_string())),
        "i16x8" => (shape, lanes(16, &|x| (x as i16).to_string())),
        "i32x4" => (shape, lanes(32, &|x| (x as i32).to_string())),
        "i64x2" => (shape, lanes(64, &|x| (x as i64).to_string())),
        "f32x4" => (shape, lanes(32, &|x| format_val(Val::F32(x as u32), None))),
        "f64x2" => (shape, lanes(64, &|x| format_val(Val::F64(x), None))),
        _ => ("i32x4", lanes(32, &|x| format!("0x{:08x}", x as u32))),
    };
    format!("{name} {lanes}")
}

/// A float: Rust's shortest decimal that reads back exactly (`1.5`,
/// `-0.0`, `inf`), or for a NaN (`nan = (negative, payload, canonical
/// payload)`) `nan`, `-nan` or `nan:0xPAYLOAD`.
fn format_float(decimal: String, nan: Option<(bool, u64, u64)>) -> String {
    match nan {
        None => decimal,
        Some((negative, payload, canonical)) => {
            let sign = if negative { "-" } else { "" };
            if payload == canonical {
                format!("{sign}nan")
            } else {
                format!("{sign}nan:0x{payload:x}")
            }
        }
    }
}
