//! The witnessing-schedule search (see [`Runner::run_script`]): a failed
//! component assertion is looked for under seeded-random schedules.

use super::{Outcome, Runner, Script};
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use witness_canonical::choices::Choices;

/// Why a seed does not witness an assertion.
enum Missed {
    /// A directive before it that held does not.
    Before,
    /// The assertion itself does not hold.
    Target,
}

/// The witnessing-schedule search of one script: seeds tried in order,
/// their runs kept from one search to the next.
pub(super) struct Search<'t> {
    script: &'t Script<'t>,
    seeds: u64,
    /// Runs stopped after the assertion they did not witness, to go on
    /// from there: each seed's script runs at most once.
    parked: HashMap<u64, SeedRun>,
    /// Seeds whose run failed a directive that held: the directives that
    /// held only grow, so such a seed fails every later search too.
    dead: HashSet<u64>,
}

impl<'t> Search<'t> {
    pub(super) fn new(script: &'t Script<'t>, seeds: u64) -> Search<'t> {
        Search {
            script,
            seeds,
            parked: HashMap::new(),
            dead: HashSet::new(),
        }
    }

    /// The first seed whose run makes the outcome after those in `held`
    /// hold, and every one `held` marks, with that run.
    pub(super) fn find(&mut self, held: &[bool]) -> Option<(u64, SeedRun)> {
        for seed in 1..=self.seeds {
            if self.dead.contains(&seed) {
                continue;
            }
            let mut run = self
                .parked
                .remove(&seed)
                .unwrap_or_else(|| SeedRun::new(seed));
            let missed = match run.extend(self.script, held) {
                Ok(()) => return Some((seed, run)),
                Err(missed) => missed,
            };
            let chose = run.chose();
            match missed {
                Missed::Before => {
                    self.dead.insert(seed);
                }
                Missed::Target => {
                    self.parked.insert(seed, run);
                }
            }
            // A run that chose nothing is every seed's run.
            if !chose {
                return None;
            }
        }
        None
    }
}

/// A run of a script under one seed's choices, stopped after its last
/// outcome.
pub(super) struct SeedRun {
    pub(super) runner: Runner,
    pub(super) outcomes: Vec<Outcome>,
}

impl SeedRun {
    /// A fresh runner whose components make the Canonical ABI's choices
    /// with seeded-random [`Choices`] (spec-permitted choices only).
    fn new(seed: u64) -> SeedRun {
        let runner = Runner::new();
        runner.component_store().set_choices(Choices::random(seed));
        SeedRun {
            runner,
            outcomes: Vec::new(),
        }
    }

    /// Runs on up to the outcome after those in `held`: whether it holds
    /// and so does every earlier one `held` marks.
    fn extend(&mut self, script: &Script<'_>, held: &[bool]) -> Result<(), Missed> {
        let SeedRun { runner, outcomes } = self;
        if outcomes
            .iter()
            .zip(held)
            .any(|(o, held)| *held && !o.passed())
        {
            return Err(Missed::Before);
        }
        let mut result = Err(Missed::Target);
        runner.run_outcomes(script, outcomes.len(), &mut |_, outcome| {
            let at = outcomes.len();
            let passed = outcome.passed();
            outcomes.push(outcome);
            if at == held.len() {
                result = if passed { Ok(()) } else { Err(Missed::Target) };
                return ControlFlow::Break(());
            }
            if held.get(at) == Some(&true) && !passed {
                result = Err(Missed::Before);
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        result
    }

    /// Whether the run made any choice.
    fn chose(&self) -> bool {
        let choices = self.runner.component_store().canonical().choices.borrow();
        !choices.log.is_empty()
    }
}
