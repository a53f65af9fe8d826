//! The ten kernels of ../shared/bench/README.md and their workloads.
//!
//! Each workload is a fixed sequence of export calls (or, for the two
//! sightglass programs, whole runs of `_start`) whose results are checked.
//! Run time is the time of those calls only: setting up memory before
//! `memory_sum` and the output checks are outside it, and the sightglass
//! programs count only their `bench.start` .. `bench.end` spans.

use crate::engines::{Engine, Instance};
use crate::error::{Context, Result};
use crate::wasi::Wasi;
use std::path::Path;
use std::time::{Duration, Instant};

/// One of the ten kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    FibRec,
    FibIter,
    Sieve,
    Matmul,
    MemorySum,
    BrTable,
    NestedCalls,
    IndirectCalls,
    Bz2,
    PulldownCmark,
}

impl Kernel {
    pub const ALL: [Kernel; 10] = [
        Kernel::FibRec,
        Kernel::FibIter,
        Kernel::Sieve,
        Kernel::Matmul,
        Kernel::MemorySum,
        Kernel::BrTable,
        Kernel::NestedCalls,
        Kernel::IndirectCalls,
        Kernel::Bz2,
        Kernel::PulldownCmark,
    ];

    /// The kernel's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::FibRec => "fib_rec",
            Kernel::FibIter => "fib_iter",
            Kernel::Sieve => "sieve",
            Kernel::Matmul => "matmul",
            Kernel::MemorySum => "memory_sum",
            Kernel::BrTable => "br_table",
            Kernel::NestedCalls => "nested_calls",
            Kernel::IndirectCalls => "indirect_calls",
            Kernel::Bz2 => "bz2",
            Kernel::PulldownCmark => "pulldown-cmark",
        }
    }

    /// The workload, as the report's first column shows it.
    pub fn workload(self) -> &'static str {
        match self {
            Kernel::FibRec => "fib_rec(36), 48 M calls",
            Kernel::FibIter => "fib_iter(1e8)",
            Kernel::Sieve => "sieve(1e7) x3",
            Kernel::Matmul => "matmul 400x400 f64",
            Kernel::MemorySum => "memory_sum 160 M bytes",
            Kernel::BrTable => "br_table, 5 M host->wasm calls",
            Kernel::NestedCalls => "nested_calls, 50 M calls",
            Kernel::IndirectCalls => "indirect_calls, 40 M",
            Kernel::Bz2 => "bz2 x5",
            Kernel::PulldownCmark => "pulldown-cmark x3",
        }
    }

    /// The input file in the inputs folder.
    pub fn file(self) -> &'static str {
        match self {
            Kernel::FibRec | Kernel::FibIter => "fibonacci.wat",
            Kernel::Sieve => "sieve.wat",
            Kernel::Matmul => "matmul.wat",
            Kernel::MemorySum => "memory-sum.wat",
            Kernel::BrTable => "br_table.wat",
            Kernel::NestedCalls => "nested_calls.wat",
            Kernel::IndirectCalls => "indirect_calls.wat",
            Kernel::Bz2 => "bz2.wasm",
            Kernel::PulldownCmark => "pulldown-cmark.wasm",
        }
    }

    pub fn from_name(name: &str) -> Option<Kernel> {
        Kernel::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The sightglass program's name, for the two WASI kernels.
    fn program(self) -> Option<&'static str> {
        match self {
            Kernel::Bz2 => Some("bz2"),
            Kernel::PulldownCmark => Some("pulldown-cmark"),
            _ => None,
        }
    }

    /// The WASI shim for one run: the sightglass programs get their input
    /// folder as the preopened `.`.
    fn wasi(self, inputs: &Path) -> Wasi {
        match self.program() {
            Some(p) => Wasi::new(p, Some(inputs.join("sightglass").join(p))),
            None => Wasi::new(self.name(), None),
        }
    }
}

/// The times of one measurement.
pub struct Times {
    pub compile: Duration,
    pub instantiate: Duration,
    pub run: Duration,
}

/// Reads an input: a binary module as is, a .wat file converted to binary.
pub fn load(inputs: &Path, file: &str) -> Result<Vec<u8>> {
    let path = inputs.join(file);
    let bytes = std::fs::read(&path).ctx(&format!("reading {}", path.display()))?;
    if file.ends_with(".wat") {
        return wat::parse_bytes(&bytes)
            .map(|b| b.into_owned())
            .ctx(&format!("parsing {}", path.display()));
    }
    Ok(bytes)
}

/// Compiles, instantiates and runs `kernel` on `engine` once. `quick`
/// shrinks every workload (for smoke tests and callgrind).
pub fn measure<E: Engine>(engine: &E, kernel: Kernel, inputs: &Path, quick: bool) -> Result<Times> {
    let wasm = load(inputs, kernel.file())?;
    let t0 = Instant::now();
    let module = engine.compile(&wasm)?;
    let compile = t0.elapsed();
    let t1 = Instant::now();
    let mut instance = engine.instantiate(&module, kernel.wasi(inputs))?;
    let instantiate = t1.elapsed();
    let run = match kernel.program() {
        Some(_) => run_program(engine, &module, instance, kernel, inputs, quick)?,
        None => run_calls(&mut instance, kernel, quick)?,
    };
    Ok(Times {
        compile,
        instantiate,
        run,
    })
}

/// A repeated call: the export, how many calls, the argument of the `i`th
/// call, and the expected last result.
type Call = (&'static str, u64, Box<dyn Fn(u64) -> i64>, i64);

/// Runs a call kernel's workload, checking the results.
fn run_calls(instance: &mut impl Instance, kernel: Kernel, quick: bool) -> Result<Duration> {
    let scale = |full: u64, small: u64| if quick { small } else { full };
    let mut calls: Vec<Call> = Vec::new();
    match kernel {
        Kernel::FibRec => {
            let n = scale(36, 25);
            calls.push((
                "fibonacci_rec",
                1,
                Box::new(move |_| n as i64),
                fib(n) as i64,
            ));
        }
        Kernel::FibIter => {
            let n = scale(100_000_000, 1_000_000);
            calls.push((
                "fibonacci_iter",
                1,
                Box::new(move |_| n as i64),
                fib(n) as i64,
            ));
        }
        Kernel::Sieve => {
            let (n, times) = (scale(10_000_000, 100_000), scale(3, 1));
            calls.push(("sieve", times, Box::new(move |_| n as i64), primes_up_to(n)));
        }
        Kernel::Matmul => {
            let n = scale(400, 50);
            calls.push(("matmul", 1, Box::new(move |_| n as i64), matmul_total(n)));
        }
        Kernel::MemorySum => {
            let (len, times) = (scale(16_000_000, 1_000_000), scale(10, 1));
            let pages = len.div_ceil(65536);
            instance.grow_memory("mem", pages - 1)?;
            let mem = instance.memory_mut("mem")?;
            for (i, b) in mem[..len as usize].iter_mut().enumerate() {
                *b = (i as u64).wrapping_mul(2654435761) as u8;
            }
            let expected: u64 = mem[..len as usize].iter().map(|b| *b as u64).sum();
            calls.push((
                "sum_bytes",
                times,
                Box::new(move |_| len as i64),
                expected as i64,
            ));
        }
        Kernel::BrTable => {
            let n = scale(5_000_000, 50_000);
            let case = |i: u64| (i % 18) as i64;
            let last = case(n - 1);
            // cases 0..=14 return -10 * (case + 1); 15 and above the default, -160
            let expected = if last < 15 { -10 * (last + 1) } else { -160 };
            calls.push(("br_table", n, Box::new(case), expected));
        }
        Kernel::NestedCalls => {
            // run/N(500) makes 502 calls (itself, then f/N 501 times at
            // depths up to 502, within wasmi's default limit of 1000 frames);
            // 3 x 33,200 x 502 = 50.0 M calls.
            let times = scale(33_200, 332);
            for export in ["run/1", "run/8", "run/16"] {
                calls.push((export, times, Box::new(|_| 500), 0));
            }
        }
        Kernel::IndirectCalls => {
            // run/N(n) makes n call_indirects of an identity function.
            let n = scale(10_000_000, 100_000);
            for export in ["run/0", "run/1", "run/8", "run/16"] {
                calls.push((export, 1, Box::new(move |_| n as i64), 0));
            }
        }
        Kernel::Bz2 | Kernel::PulldownCmark => unreachable!("not a call kernel"),
    }
    let start = Instant::now();
    let results = timed_calls(instance, &calls)?;
    let elapsed = start.elapsed();
    for ((export, _, _, expected), got) in calls.iter().zip(results) {
        if got != *expected {
            return Err(format!("{export}: got {got}, expected {expected}"));
        }
    }
    Ok(elapsed)
}

/// The measured calls. Not inlined, so that `callgrind.sh` can count the
/// instructions of this function alone (`--toggle-collect`).
#[inline(never)]
fn timed_calls(instance: &mut impl Instance, calls: &[Call]) -> Result<Vec<i64>> {
    let mut results = Vec::new();
    for (export, count, arg, _) in calls {
        results.push(instance.call_many(export, *count, arg.as_ref())?);
    }
    Ok(results)
}

/// A sightglass program's run, not inlined for `callgrind.sh`.
#[inline(never)]
fn timed_command(instance: &mut impl Instance) -> Result<()> {
    instance.run_command("_start")
}

/// Runs a sightglass program 5 (bz2) or 3 (pulldown-cmark) times, each in a
/// fresh instance (the first is `instance`), summing the measured spans and
/// checking the output each time.
fn run_program<E: Engine>(
    engine: &E,
    module: &E::Module,
    first: E::Instance,
    kernel: Kernel,
    inputs: &Path,
    quick: bool,
) -> Result<Duration> {
    let program = kernel.program().expect("a program kernel");
    let runs = match (quick, kernel) {
        (true, _) => 1,
        (false, Kernel::Bz2) => 5,
        (false, _) => 3,
    };
    let dir = inputs.join("sightglass");
    let expected_stdout = std::fs::read(dir.join(format!("{program}.stdout.expected"))).ok();
    let expected_stderr = std::fs::read(dir.join(format!("{program}.stderr.expected"))).ok();
    let mut total = Duration::ZERO;
    let mut instance = Some(first);
    for _ in 0..runs {
        let mut inst = match instance.take() {
            Some(i) => i,
            None => engine.instantiate(module, kernel.wasi(inputs))?,
        };
        timed_command(&mut inst)?;
        let wasi = inst.wasi();
        if let Some(code) = wasi.exit.filter(|c| *c != 0) {
            return Err(format!("{program}: exit code {code}"));
        }
        for (what, got, expected) in [
            ("stdout", &wasi.stdout, &expected_stdout),
            ("stderr", &wasi.stderr, &expected_stderr),
        ] {
            if let Some(expected) = expected {
                if got != expected {
                    return Err(format!(
                        "{program}: {what} differs from the expected output"
                    ));
                }
            }
        }
        if wasi.measured.is_zero() {
            return Err(format!("{program}: no bench.start/bench.end span"));
        }
        total += wasi.measured;
    }
    Ok(total)
}

/// fib(n) mod 2^64, as fibonacci.wat computes it.
fn fib(n: u64) -> u64 {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}

/// The number of primes <= n.
fn primes_up_to(n: u64) -> i64 {
    let n = n as usize;
    let mut composite = vec![false; n + 1];
    let mut count = 0;
    for i in 2..=n {
        if !composite[i] {
            count += 1;
            for j in (i * i..=n).step_by(i) {
                composite[j] = true;
            }
        }
    }
    count
}

/// matmul.wat's result, computed the same way (same order of additions).
fn matmul_total(n: u64) -> i64 {
    let n = n as i64;
    let a = |i: i64, j: i64| (i - j) as f64;
    let b = |i: i64, j: i64| (i + j) as f64 * 0.5;
    let mut total = 0.0f64;
    for i in 0..n {
        for j in 0..n {
            let mut sum = 0.0f64;
            for k in 0..n {
                sum += a(i, k) * b(k, j);
            }
            total += sum;
        }
    }
    total as i64
}
