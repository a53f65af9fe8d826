//! `witness wast [--json REPORT] [-v] [--trace] [--schedule deterministic|random --seed N] [--search-seeds N] [--disputed LIST] FILE...`

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use witness_conformance::suite::Disputed;

#[derive(clap::Args)]
pub struct Args {
    /// Write a JSON report of all files (counts and failures) to this path.
    #[arg(long, value_name = "REPORT")]
    json: Option<PathBuf>,
    /// Print every failure as `FILE:LINE: KIND: MESSAGE`.
    #[arg(short, long)]
    verbose: bool,
    /// Print each step of the Canonical ABI in component calls to stderr,
    /// as `witness run --trace` does.
    #[arg(long)]
    trace: bool,
    /// How components make the choices the Canonical ABI leaves open:
    /// `deterministic` (the spec's deterministic profile) or `random`
    /// (seeded by `--seed`).
    #[arg(long, value_enum, default_value = "deterministic")]
    schedule: Schedule,
    /// The seed of `--schedule random`.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Under `--schedule deterministic`, a component assertion the profile
    /// fails is retried under seeded-random schedules (seeds 1..=N, each
    /// re-running the file up to it); 0 turns the search off.
    #[arg(long, value_name = "N", default_value_t = witness_conformance::SEARCH_SEEDS)]
    search_seeds: u64,
    /// A TOML list of assertions that contradict the pinned spec, as
    /// conformance/disputed.toml (`[component-model]`, `"FILE:LINE" =
    /// "reason"`): no schedule is searched for them, and their failures
    /// carry the reason.
    #[arg(long, value_name = "LIST")]
    disputed: Option<PathBuf>,
    /// The scripts to run.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Schedule {
    Deterministic,
    Random,
}

/// Runs each file, prints `FILE: N passed, M failed, K skipped` per file and
/// the totals last. Exit status 1 when any assertion or directive failed.
pub fn main(args: Args) -> ExitCode {
    let mut report = witness_conformance::Report::default();
    let disputed = match &args.disputed {
        Some(list) => match witness_conformance::suite::load::<Disputed>(list) {
            Ok(d) => d.component_model,
            Err(e) => return super::bad_input(e),
        },
        None => BTreeMap::new(),
    };
    for path in &args.files {
        let mut runner = witness_conformance::Runner::new();
        runner.set_disputed(disputed.clone());
        if args.trace {
            let writer = witness::trace::TraceWriter::new(|line| eprintln!("{line}"));
            runner.component_store().set_tracer(Some(Box::new(writer)));
        }
        match args.schedule {
            Schedule::Deterministic => runner.set_search_seeds(args.search_seeds),
            Schedule::Random => {
                let choices = witness::canonical::choices::Choices::random(args.seed);
                runner.component_store().set_choices(choices);
                runner.set_search_seeds(0);
            }
        }
        let file = runner.run_file(path);
        println!("{file}");
        if args.verbose {
            for w in &file.witnessed {
                let (path, line, seed) = (&file.path, w.line, w.seed);
                println!("  {path}:{line}: passed under schedule seed={seed}");
            }
            for f in &file.failures {
                println!("  {}:{}: {}: {}", file.path, f.line, f.kind, f.message);
            }
        }
        report.push(file);
    }
    println!("{report}");
    if let Some(json) = &args.json {
        let written = serde_json::to_string_pretty(&report)
            .map_err(|e| e.to_string())
            .and_then(|text| std::fs::write(json, text + "\n").map_err(|e| e.to_string()));
        if let Err(e) = written {
            return super::bad_input(format!("cannot write {}: {e}", json.display()));
        }
    }
    if report.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
