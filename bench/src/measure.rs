//! One measurement per child process.
//!
//! The parent runs `witness-bench --child ENGINE BENCH` for every engine and
//! benchmark of a round; the child measures once and prints one JSON
//! [`Sample`] line. A fresh process per measurement keeps peak memory
//! (`VmHWM`, the resident-set high-water mark) separate per engine and
//! kernel, and keeps one engine's heap from slowing another.

use crate::component::ComponentFunc;
use crate::engines::EngineKind;
use crate::engines::wasmi::Wasmi;
use crate::engines::wasmtime::Wasmtime;
use crate::engines::witness::Witness;
use crate::error::{Context, Result};
use crate::kernels::{self, Kernel};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::Command;

/// What one child measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Sample {
    pub compile_ns: u64,
    pub instantiate_ns: u64,
    pub run_ns: u64,
    /// Calls made, for the per-call component benchmarks.
    pub calls: Option<u64>,
    /// Peak resident set of the child process, in KiB.
    pub peak_rss_kib: u64,
}

/// The outcome of one measurement as the parent sees it.
#[derive(Clone, Debug)]
pub enum Outcome {
    Sample(Sample),
    /// The engine cannot run this benchmark (witness and components).
    NotApplicable,
    Failed(String),
}

/// A benchmark: a kernel or one of component.wat's functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bench {
    Kernel(Kernel),
    Component(ComponentFunc),
}

impl Bench {
    pub fn all() -> Vec<Bench> {
        let kernels = Kernel::ALL.into_iter().map(Bench::Kernel);
        let funcs = ComponentFunc::ALL.into_iter().map(Bench::Component);
        kernels.chain(funcs).collect()
    }

    /// The name on the command line (`fib_rec`, `component:add`).
    pub fn name(self) -> String {
        match self {
            Bench::Kernel(k) => k.name().to_string(),
            Bench::Component(f) => format!("component:{}", f.export()),
        }
    }

    /// The row title in the report.
    pub fn title(self) -> &'static str {
        match self {
            Bench::Kernel(k) => k.workload(),
            Bench::Component(f) => f.bench_name(),
        }
    }

    pub fn from_name(name: &str) -> Option<Bench> {
        match name.strip_prefix("component:") {
            Some(f) => ComponentFunc::from_name(f).map(Bench::Component),
            None => Kernel::from_name(name).map(Bench::Kernel),
        }
    }
}

/// Runs one measurement in a child process of this executable.
pub fn spawn(engine: EngineKind, bench: Bench, inputs: &Path, quick: bool) -> Outcome {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return Outcome::Failed(format!("current_exe: {e}")),
    };
    let mut cmd = Command::new(exe);
    cmd.arg("--child")
        .arg(engine.name())
        .arg(bench.name())
        .arg("--inputs")
        .arg(inputs);
    if quick {
        cmd.arg("--quick");
    }
    let output = match cmd.output() {
        Ok(o) => o,
        Err(e) => return Outcome::Failed(format!("spawning the child: {e}")),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    if output.status.success() {
        if stdout.trim() == "n/a" {
            return Outcome::NotApplicable;
        }
        if let Ok(sample) = serde_json::from_str(stdout.trim()) {
            return Outcome::Sample(sample);
        }
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().last().unwrap_or("").trim();
    Outcome::Failed(format!("{} ({last})", output.status))
}

/// The child's side: measures `bench` on `engine` once and prints the
/// sample as one JSON line, or `n/a`.
pub fn child(engine: EngineKind, bench: Bench, inputs: &Path, quick: bool) -> Result<()> {
    let sample = match bench {
        Bench::Kernel(kernel) => {
            let times = match engine {
                EngineKind::Witness => kernels::measure(&Witness, kernel, inputs, quick),
                EngineKind::Wasmi => kernels::measure(&Wasmi::new(), kernel, inputs, quick),
                EngineKind::Pulley => {
                    kernels::measure(&Wasmtime::new(true)?, kernel, inputs, quick)
                }
                EngineKind::Cranelift => {
                    kernels::measure(&Wasmtime::new(false)?, kernel, inputs, quick)
                }
            }?;
            Sample {
                compile_ns: times.compile.as_nanos() as u64,
                instantiate_ns: times.instantiate.as_nanos() as u64,
                run_ns: times.run.as_nanos() as u64,
                calls: None,
                peak_rss_kib: 0,
            }
        }
        Bench::Component(func) => {
            let component = kernels::load(inputs, "component.wat")?;
            let calls = func.calls(quick);
            let Some(times) = engine.component_calls(&component, func, calls) else {
                println!("n/a");
                return Ok(());
            };
            let times = times?;
            Sample {
                compile_ns: times.compile.as_nanos() as u64,
                instantiate_ns: times.instantiate.as_nanos() as u64,
                run_ns: times.run.as_nanos() as u64,
                calls: Some(calls),
                peak_rss_kib: 0,
            }
        }
    };
    let sample = Sample {
        peak_rss_kib: peak_rss_kib()?,
        ..sample
    };
    println!("{}", serde_json::to_string(&sample).ctx("json")?);
    Ok(())
}

/// This process's peak resident set (`VmHWM` in /proc/self/status), KiB.
fn peak_rss_kib() -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ctx("/proc/self/status")?;
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .ctx("no VmHWM in /proc/self/status")?;
    line.trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ctx("VmHWM")
}
