//! The component-model reference tests (`$WITNESS_SUITES/component-model`):
//! every component is decoded and validated by witness-spec and run by
//! witness-interp's component runtime. Checks that at least
//! `[component-model] passed` assertions pass (`floors.toml`) and that the
//! assertions that fail are exactly those of `disputed.toml` (tests that
//! contradict the pinned spec). The runner's default search for a
//! witnessing schedule applies; a file run under a found seed must replay
//! under `Choices::random(seed)`. `WITNESS_BLESS=1` raises the floor to the
//! run's count.
//!
//! A second test runs the suite under `Choices::random(seed)` for seeds
//! `1..=SCHEDULE_SEEDS`, with no search: an assertion may then fail only if
//! `disputed.toml` or `schedule-dependent.toml` (assertions whose outcome a
//! spec-permitted choice decides) lists it, and each one listed in
//! `schedule-dependent.toml` must fail under some seed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use witness_canonical::choices::Choices;
use witness_conformance::suite::{self, Disputed, Floors};
use witness_conformance::{Runner, run_files};

/// The seeds the random-schedule test runs, `1..=SCHEDULE_SEEDS`: those
/// `schedule-dependent.toml` was measured with.
const SCHEDULE_SEEDS: u64 = 20;

/// The component-model suite's folder and `.wast` files, or `None` (with
/// a note) when `WITNESS_SUITES` is unset.
fn suite_files(manifest: &Path) -> Option<(PathBuf, Vec<PathBuf>)> {
    let Some(suites) = suite::suites_dir(&manifest.join("..")) else {
        eprintln!(
            "skipped: set {} to the suites folder to run the component-model suite",
            suite::SUITES_VAR
        );
        return None;
    };
    let dir = suites.join("component-model");
    let files =
        suite::wast_files(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    Some((dir, files))
}

#[test]
fn component_model_suite() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some((dir, files)) = suite_files(&manifest) else {
        return;
    };
    let report = run_files(&files);
    println!("component-model suite: {report}");
    let floors_path = manifest.join("floors.toml");
    if std::env::var_os("WITNESS_BLESS").is_some() {
        let text = std::fs::read_to_string(&floors_path).unwrap_or_default();
        let updated = suite::set_floor(&text, "component-model", report.passed);
        std::fs::write(&floors_path, updated).unwrap();
        return;
    }
    let floors: Floors = suite::load(&floors_path).unwrap();
    let floor = floors.component_model.map_or(0, |f| f.passed);
    let mut problems = Vec::new();
    if report.passed < floor {
        problems.push(format!(
            "{} assertions passed, below the floor of {floor}",
            report.passed
        ));
    }
    let disputed: Disputed = suite::load(&manifest.join("disputed.toml")).unwrap();
    let mut not_failed = disputed.component_model;
    for file in &report.files {
        let name = suite::relative_name(&dir, Path::new(&file.path));
        for f in &file.failures {
            let key = format!("{name}:{}", f.line);
            if not_failed.remove(&key).is_none() {
                problems.push(format!(
                    "{key}: {}: {} (not in disputed.toml)",
                    f.kind, f.message
                ));
            }
        }
        for w in &file.witnessed {
            println!("{name}:{}: passed under schedule seed={}", w.line, w.seed);
        }
        // A file's report is one execution: its last seed replays it.
        if let Some(w) = file.witnessed.last() {
            let mut runner = Runner::new();
            runner.set_search_seeds(0);
            runner
                .component_store()
                .set_choices(Choices::random(w.seed));
            let replay = runner.run_file(Path::new(&file.path));
            if (replay.passed, &replay.failures) != (file.passed, &file.failures) {
                problems.push(format!("{name}: seed {} does not replay: {replay}", w.seed));
            }
        }
    }
    for key in not_failed.keys() {
        problems.push(format!("{key}: listed in disputed.toml, but did not fail"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn component_model_suite_under_random_schedules() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some((dir, files)) = suite_files(&manifest) else {
        return;
    };
    let disputed: Disputed = suite::load(&manifest.join("disputed.toml")).unwrap();
    let dependent: Disputed = suite::load(&manifest.join("schedule-dependent.toml")).unwrap();
    let (disputed, dependent) = (disputed.component_model, dependent.component_model);
    let mut problems: Vec<String> = dependent
        .keys()
        .filter(|key| disputed.contains_key(*key))
        .map(|key| format!("{key}: listed in both disputed.toml and schedule-dependent.toml"))
        .collect();
    let mut failed = BTreeSet::new();
    for seed in 1..=SCHEDULE_SEEDS {
        for file in &files {
            let mut runner = Runner::new();
            runner.set_search_seeds(0);
            runner.component_store().set_choices(Choices::random(seed));
            let report = runner.run_file(file);
            let name = suite::relative_name(&dir, file);
            for f in &report.failures {
                let key = format!("{name}:{}", f.line);
                if dependent.contains_key(&key) {
                    failed.insert(key);
                } else if !disputed.contains_key(&key) {
                    problems.push(format!(
                        "seed {seed}: {key}: {}: {} (in neither disputed.toml nor schedule-dependent.toml)",
                        f.kind, f.message
                    ));
                }
            }
        }
    }
    println!(
        "component-model suite under seeds 1..={SCHEDULE_SEEDS}: {} schedule-dependent assertions failed",
        failed.len()
    );
    for key in dependent.keys().filter(|key| !failed.contains(*key)) {
        problems.push(format!(
            "{key}: listed in schedule-dependent.toml, but passed under seeds 1..={SCHEDULE_SEEDS}"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A tracer that keeps nothing but a count of the definitions that ran:
/// with one set, every canonical definition runs as written and reports.
struct Counting(std::rc::Rc<std::cell::Cell<u64>>);

impl witness_canonical::trace::Tracer for Counting {
    fn enter(&mut self, _: &'static str, _: &[witness_canonical::trace::Arg<'_>]) {
        self.0.set(self.0.get() + 1);
    }
    fn exit(
        &mut self,
        _: &'static str,
        _: Result<&[witness_canonical::trace::Arg<'_>], &witness_canonical::Trap>,
    ) {
    }
}

#[test]
fn component_model_suite_gives_the_same_results_traced() {
    // Untraced, some steps run by shorter means that report nothing (a
    // synchronous lift's thread in place, plain values without a context,
    // lists of numbers in one pass): each file must come out the same.
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some((dir, files)) = suite_files(&manifest) else {
        return;
    };
    let steps = std::rc::Rc::new(std::cell::Cell::new(0));
    let mut problems = Vec::new();
    for file in &files {
        let untraced = Runner::new().run_file(file);
        let mut runner = Runner::new();
        let tracer = Counting(steps.clone());
        runner.component_store().set_tracer(Some(Box::new(tracer)));
        let traced = runner.run_file(file);
        if (traced.passed, &traced.failures) != (untraced.passed, &untraced.failures) {
            let name = suite::relative_name(&dir, file);
            problems.push(format!("{name}: traced {traced}, untraced {untraced}"));
        }
    }
    println!(
        "component-model suite traced: {} definitions ran",
        steps.get()
    );
    assert!(steps.get() > 0, "the tracer saw nothing");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
