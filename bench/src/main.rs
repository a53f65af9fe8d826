//! witness-bench: witness, wasmi and wasmtime (Cranelift and Pulley) side by
//! side on the inputs in ../shared/bench (see bench/README.md).
//!
//! ```text
//! cargo run --release --manifest-path bench/Cargo.toml -- \
//!     [--rounds N] [--filter NAME]... [--engines E,E] [--json OUT] [--inputs DIR] [--quick]
//! ```
//!
//! Each round measures every selected benchmark on every engine, engines
//! interleaved (their order rotates from round to round), each measurement in
//! a child process (`--child ENGINE BENCH`, see [`measure`]).

mod component;
mod engines;
mod error;
mod kernels;
mod measure;
mod report;
mod wasi;

use engines::EngineKind;
use error::{Context, Result};
use measure::{Bench, Outcome};
use report::{Cell, Report};
use std::path::PathBuf;

const USAGE: &str = "usage: witness-bench [--rounds N] [--filter NAME]... [--engines E,E] \
[--json OUT] [--inputs DIR] [--quick] [--list]
       witness-bench --child ENGINE BENCH [--inputs DIR] [--quick]
engines: witness, wasmi, wasmtime-pulley, wasmtime-cranelift";

/// The command line.
struct Options {
    rounds: usize,
    filters: Vec<String>,
    engines: Vec<EngineKind>,
    json: Option<PathBuf>,
    inputs: PathBuf,
    quick: bool,
    list: bool,
    /// `--child ENGINE BENCH`: measure once and print a sample.
    child: Option<(EngineKind, Bench)>,
}

fn parse_args() -> Result<Options> {
    let mut o = Options {
        rounds: 5,
        filters: Vec::new(),
        engines: EngineKind::ALL.to_vec(),
        json: None,
        inputs: default_inputs(),
        quick: false,
        list: false,
        child: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |what: &str| args.next().ctx(&format!("{arg} needs {what}"));
        match arg.as_str() {
            "--rounds" => o.rounds = value("a number")?.parse().ctx("--rounds")?,
            "--filter" => o.filters.push(value("a name")?),
            "--engines" => {
                o.engines = value("engine names")?
                    .split(',')
                    .map(|e| EngineKind::from_name(e).ctx(&format!("unknown engine {e}")))
                    .collect::<Result<_>>()?
            }
            "--json" => o.json = Some(value("a file")?.into()),
            "--inputs" => o.inputs = value("a folder")?.into(),
            "--quick" => o.quick = true,
            "--list" => o.list = true,
            "--child" => {
                let engine = value("an engine")?;
                let bench = value("a benchmark")?;
                o.child = Some((
                    EngineKind::from_name(&engine).ctx(&format!("unknown engine {engine}"))?,
                    Bench::from_name(&bench).ctx(&format!("unknown benchmark {bench}"))?,
                ));
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            _ => return Err(format!("unknown argument {arg}\n{USAGE}")),
        }
    }
    if o.rounds == 0 {
        return Err("--rounds must be at least 1".into());
    }
    Ok(o)
}

/// `../shared/bench` from the current folder (the repository root), or else
/// from this crate's folder's parent.
fn default_inputs() -> PathBuf {
    let from_cwd = PathBuf::from("../shared/bench");
    if from_cwd.is_dir() {
        return from_cwd;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench")
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let o = parse_args()?;
    if let Some((engine, bench)) = o.child {
        return measure::child(engine, bench, &o.inputs, o.quick);
    }
    let benches: Vec<Bench> = Bench::all()
        .into_iter()
        .filter(|b| o.filters.is_empty() || o.filters.iter().any(|f| b.name().contains(f.as_str())))
        .collect();
    if o.list {
        for b in &benches {
            println!("{:<24} {}", b.name(), b.title());
        }
        return Ok(());
    }
    if benches.is_empty() {
        return Err("no benchmark matches the filter (see --list)".into());
    }
    if !o.inputs.join("fibonacci.wat").is_file() {
        return Err(format!(
            "no inputs in {} (use --inputs DIR)",
            o.inputs.display()
        ));
    }
    let mut cells: Vec<Cell> = benches
        .iter()
        .flat_map(|b| {
            o.engines.iter().map(|e| Cell {
                bench: *b,
                engine: *e,
                outcomes: Vec::new(),
            })
        })
        .collect();
    for round in 0..o.rounds {
        for (bi, bench) in benches.iter().enumerate() {
            // Rotate the engine order each round, so none always runs first.
            for k in 0..o.engines.len() {
                let ei = (k + round) % o.engines.len();
                let engine = o.engines[ei];
                let cell = &mut cells[bi * o.engines.len() + ei];
                // A benchmark that failed or does not apply is not retried.
                if matches!(
                    cell.outcomes.last(),
                    Some(Outcome::Failed(_) | Outcome::NotApplicable)
                ) {
                    continue;
                }
                let outcome = measure::spawn(engine, *bench, &o.inputs, o.quick);
                eprintln!(
                    "round {}/{} {} {}: {}",
                    round + 1,
                    o.rounds,
                    bench.name(),
                    engine.name(),
                    match &outcome {
                        Outcome::Sample(s) => format!("{:.1} ms", s.run_ns as f64 / 1e6),
                        Outcome::NotApplicable => "n/a".into(),
                        Outcome::Failed(e) => format!("failed: {e}"),
                    }
                );
                cell.outcomes.push(outcome);
            }
        }
    }
    let report = Report {
        rounds: o.rounds,
        quick: o.quick,
        engines: o.engines.clone(),
        benches,
        cells,
    };
    println!("{}", report.tables());
    if let Some(path) = &o.json {
        let text = serde_json::to_string_pretty(&report.json()).ctx("json")?;
        std::fs::write(path, text + "\n").ctx(&format!("writing {}", path.display()))?;
    }
    Ok(())
}
