//! `witness run [OPTIONS] COMPONENT [ARGS...]` and `witness run COMPONENT
//! --invoke 'f(ARGS)' [-W gate=y|n]...`: instantiate a component with the
//! WASI 0.2 host (witness-wasi; its options in [`super::wasi_flags`]), and
//! run it as `wasmtime run` does: without `--invoke`, a command — its
//! `wasi:cli/run@0.2.x#run` called and the process exiting with the
//! guest's status (0 for `ok`, 1 for `error`, what it gave
//! `wasi:cli/exit`); with `--invoke`, one exported function.
//!
//! The call is WAVE (`wasm-wave`): a name and arguments in WAVE syntax;
//! the results print as WAVE, one value, or a tuple of them (`()` for
//! none). A bare name is an export of the component or, if it has none of
//! that name, of exactly one of its exported instances; a qualified name
//! `ns:pkg/iface.func@1.2.0` (or `iface.func`) names the function `func`
//! of the exported instance `ns:pkg/iface@1.2.0`, looked up by semver
//! compatibility. Exit status: 0 with the results on stdout; 134 on a trap
//! (message and guest backtrace on stderr), as wasmtime; 2 on any other
//! error (an invalid component, an import witness cannot satisfy), with
//! one line.

use super::bad_input;
use super::wasi_flags::Flags;
use std::process::ExitCode;
use wasm_wave::untyped::UntypedFuncCall;
use wasm_wave::wasm::DisplayFuncResults;
use witness::wave;
use witness_interp::component::{Component, Engine, Error, Export, Func, Instance, Linker, Store};
use witness_spec::Features;
use witness_wasi::Wasi;

/// How the store runs: its instruction budget (`None`: unlimited), and
/// whether it prints the Canonical ABI's trace to stderr.
pub struct Running {
    pub fuel: Option<u64>,
    pub trace: bool,
}

/// Runs the component `bytes` (read from `file`); `args` are the guest's
/// arguments after `argv[0]`.
pub fn main(
    file: &str,
    bytes: &[u8],
    invoke: Option<&str>,
    gates: &[String],
    running: Running,
    flags: &Flags,
    args: &[String],
) -> ExitCode {
    let mut features = Features::default();
    for gate in gates {
        let parsed = gate.split_once('=').and_then(|(name, on)| {
            let on = match on {
                "y" | "yes" | "true" => true,
                "n" | "no" | "false" => false,
                _ => return None,
            };
            features.set(name, on).then_some(())
        });
        if parsed.is_none() {
            return bad_input(format!(
                "-W {gate}: expected GATE=y|n with GATE a component-model feature (e.g. component-model-async)"
            ));
        }
    }
    let ctx = match flags.ctx(file, args) {
        Ok(c) => c,
        Err(e) => return bad_input(e),
    };
    let engine = Engine::new(features);
    let component = match Component::new(&engine, bytes) {
        Ok(c) => c,
        Err(e) => return bad_input(format!("{file}: {e}")),
    };
    let store = Store::new(&engine);
    store.set_fuel(running.fuel);
    if running.trace {
        let writer = witness::trace::TraceWriter::new(|line| eprintln!("{line}"));
        store.set_tracer(Some(Box::new(writer)));
    }
    let mut linker = Linker::new();
    let wasi = match Wasi::add_to_linker(ctx, &store, &mut linker) {
        Ok(w) => w,
        Err(e) => return bad_input(e),
    };
    let instance = match linker.instantiate(&store, &component) {
        Ok(i) => i,
        Err(e) => return failed(e),
    };
    let Some(invoke) = invoke else {
        return match wasi.run(&store, &instance) {
            Ok(code) => ExitCode::from(code),
            Err(e) => failed(e),
        };
    };
    let call = match UntypedFuncCall::parse(invoke) {
        Ok(c) => c,
        Err(e) => return bad_input(format!("--invoke {invoke}: {e}")),
    };
    let func = match lookup(&instance, call.name()) {
        Ok(f) => f,
        Err(e) => return bad_input(e),
    };
    let ty = func.ty().clone();
    let args = match wave::call_args(&call, &ty.params) {
        Ok(a) => a,
        Err(e) => return bad_input(format!("--invoke {invoke}: {e}")),
    };
    let results = match func.call(&store, &args) {
        Ok(r) => r,
        Err(e) => return wasi.exit_code().map_or_else(|| failed(e), ExitCode::from),
    };
    let mut shown = Vec::new();
    for (v, t) in results.iter().zip(ty.result.iter()) {
        match wave::to_wave(v, t) {
            Ok(v) => shown.push(v),
            Err(e) => return bad_input(e),
        }
    }
    println!("{}", DisplayFuncResults(&shown));
    ExitCode::SUCCESS
}

/// A trap exits with 134 (wasmtime's status), anything else with 2.
fn failed(e: Error) -> ExitCode {
    match e {
        Error::Trap(t) => {
            let message = t.to_string();
            if message.starts_with("trap: ") {
                eprintln!("error: {message}");
            } else {
                eprintln!("error: trap: {message}");
            }
            ExitCode::from(134)
        }
        other => bad_input(other),
    }
}

/// The function `name` names (see the module docs).
fn lookup(instance: &Instance, name: &str) -> Result<Func, String> {
    if let Some(f) = instance.func(name) {
        return Ok(f);
    }
    // `iface.func@ver`: the instance `iface@ver`, its function `func`.
    let (base, version) = match name.rsplit_once('@') {
        Some((b, v)) => (b, Some(v)),
        None => (name, None),
    };
    let after_slash = base.rfind('/').map_or(0, |i| i + 1);
    if let Some(dot) = base[after_slash..].rfind('.').map(|i| i + after_slash) {
        let (iface, func) = (&base[..dot], &base[dot + 1..]);
        let iface = match version {
            Some(v) => format!("{iface}@{v}"),
            None => iface.to_string(),
        };
        let inst = instance
            .instance(&iface)
            .ok_or_else(|| format!("no exported instance `{iface}`"))?;
        return inst
            .func(func)
            .ok_or_else(|| format!("instance `{iface}` exports no function `{func}`"));
    }
    let found: Vec<(String, Func)> = instance
        .exports()
        .filter_map(|(n, e)| match e {
            Export::Instance(i) => i.func(name).map(|f| (n.to_string(), f)),
            _ => None,
        })
        .collect();
    match found.as_slice() {
        [(_, f)] => Ok(f.clone()),
        [] => Err(format!("no exported function `{name}`")),
        many => Err(format!(
            "`{name}` is exported by several instances ({}): qualify it",
            many.iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
