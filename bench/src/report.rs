//! The report: medians over rounds, ratios to wasmi, as tables on stdout and
//! as JSON.

use crate::engines::EngineKind;
use crate::measure::{Bench, Outcome, Sample};
use serde_json::{Value, json};

/// Everything measured for one benchmark on one engine, over the rounds.
pub struct Cell {
    pub bench: Bench,
    pub engine: EngineKind,
    pub outcomes: Vec<Outcome>,
}

/// The medians of a cell, when every round succeeded.
#[derive(Clone, Copy)]
pub struct Summary {
    pub run_ms: f64,
    pub compile_ms: f64,
    pub instantiate_ms: f64,
    /// The largest peak over the rounds.
    pub peak_rss_mib: f64,
    pub ns_per_call: Option<f64>,
}

/// A cell's state: measured, not applicable, or failed with a message.
pub enum Status {
    Ok(Summary),
    NotApplicable,
    Failed(String),
}

impl Cell {
    pub fn status(&self) -> Status {
        let mut samples: Vec<&Sample> = Vec::new();
        for o in &self.outcomes {
            match o {
                Outcome::Sample(s) => samples.push(s),
                Outcome::NotApplicable => return Status::NotApplicable,
                Outcome::Failed(e) => return Status::Failed(e.clone()),
            }
        }
        if samples.is_empty() {
            return Status::NotApplicable;
        }
        let ms =
            |f: fn(&Sample) -> u64| median(samples.iter().map(|s| f(s) as f64 / 1e6).collect());
        let run_ms = ms(|s| s.run_ns);
        Status::Ok(Summary {
            run_ms,
            compile_ms: ms(|s| s.compile_ns),
            instantiate_ms: ms(|s| s.instantiate_ns),
            peak_rss_mib: samples.iter().map(|s| s.peak_rss_kib).max().unwrap_or(0) as f64 / 1024.0,
            ns_per_call: samples[0].calls.map(|c| run_ms * 1e6 / c as f64),
        })
    }

    fn summary(&self) -> Option<Summary> {
        match self.status() {
            Status::Ok(s) => Some(s),
            _ => None,
        }
    }
}

pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// All cells of a run, with the engines and benchmarks in report order.
pub struct Report {
    pub rounds: usize,
    pub quick: bool,
    pub engines: Vec<EngineKind>,
    pub benches: Vec<Bench>,
    pub cells: Vec<Cell>,
}

impl Report {
    fn cell(&self, bench: Bench, engine: EngineKind) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.bench == bench && c.engine == engine)
    }

    /// Run time relative to wasmi's on the same benchmark.
    fn ratio(&self, bench: Bench, engine: EngineKind) -> Option<f64> {
        let own = self.cell(bench, engine)?.summary()?;
        let wasmi = self.cell(bench, EngineKind::Wasmi)?.summary()?;
        Some(own.run_ms / wasmi.run_ms)
    }

    /// The geometric mean of an engine's ratios to wasmi over the kernels
    /// that both ran, and how many those were.
    pub fn geomean(&self, engine: EngineKind) -> Option<(f64, usize)> {
        let ratios: Vec<f64> = self
            .benches
            .iter()
            .filter(|b| matches!(b, Bench::Kernel(_)))
            .filter_map(|b| self.ratio(*b, engine))
            .collect();
        if ratios.is_empty() {
            return None;
        }
        let mean = ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64;
        Some((mean.exp(), ratios.len()))
    }

    fn kernels(&self) -> Vec<Bench> {
        self.benches
            .iter()
            .copied()
            .filter(|b| matches!(b, Bench::Kernel(_)))
            .collect()
    }

    fn components(&self) -> Vec<Bench> {
        self.benches
            .iter()
            .copied()
            .filter(|b| matches!(b, Bench::Component(_)))
            .collect()
    }

    /// The tables, as Markdown.
    pub fn tables(&self) -> String {
        let mut out = String::new();
        let heads: Vec<&str> = self.engines.iter().map(|e| e.title()).collect();
        let kernels = self.kernels();
        if !kernels.is_empty() {
            out += &format!(
                "Run time, median of {} rounds (ratio to wasmi; lower is faster){}\n\n",
                self.rounds,
                if self.quick { ", QUICK workloads" } else { "" }
            );
            let mut rows = Vec::new();
            for b in &kernels {
                let cells = self.engines.iter().map(|e| {
                    self.show(*b, *e, |s| {
                        let ratio = self
                            .ratio(*b, *e)
                            .map_or(String::new(), |r| format!(" ({r:.2})"));
                        format!("{:.0} ms{ratio}", s.run_ms)
                    })
                });
                rows.push(row(b.title(), cells));
            }
            let geo = self.engines.iter().map(|e| match self.geomean(*e) {
                Some((g, n)) if n == kernels.len() => format!("{g:.2}"),
                Some((g, n)) => format!("{g:.2} (over {n})"),
                None => "-".into(),
            });
            rows.push(row("geometric mean (ratio to wasmi)", geo));
            out += &table("kernel (workload)", &heads, &rows);

            out += "\nCompile (decode + validate + translate) / instantiate, median ms\n\n";
            let rows: Vec<String> = kernels
                .iter()
                .map(|b| {
                    let cells = self.engines.iter().map(|e| {
                        self.show(*b, *e, |s| {
                            format!("{} / {}", ms(s.compile_ms), ms(s.instantiate_ms))
                        })
                    });
                    row(b.title(), cells)
                })
                .collect();
            out += &table("kernel", &heads, &rows);

            out += "\nPeak memory (max RSS of the measuring process, MiB; ratio to wasmi)\n\n";
            let rows: Vec<String> = kernels
                .iter()
                .map(|b| {
                    let wasmi = self.cell(*b, EngineKind::Wasmi).and_then(Cell::summary);
                    let cells = self.engines.iter().map(|e| {
                        self.show(*b, *e, |s| match wasmi {
                            Some(w) => format!(
                                "{:.1} ({:.2})",
                                s.peak_rss_mib,
                                s.peak_rss_mib / w.peak_rss_mib
                            ),
                            None => format!("{:.1}", s.peak_rss_mib),
                        })
                    });
                    row(b.title(), cells)
                })
                .collect();
            out += &table("kernel", &heads, &rows);
        }
        let components = self.components();
        if !components.is_empty() {
            out += "\nComponent calls through the embedding API, median ns per call \
                    (compile / instantiate ms, peak MiB)\n\n";
            let rows: Vec<String> = components
                .iter()
                .map(|b| {
                    let cells = self.engines.iter().map(|e| {
                        self.show(*b, *e, |s| {
                            format!(
                                "{:.0} ns ({} / {} ms, {:.1} MiB)",
                                s.ns_per_call.unwrap_or(0.0),
                                ms(s.compile_ms),
                                ms(s.instantiate_ms),
                                s.peak_rss_mib
                            )
                        })
                    });
                    row(b.title(), cells)
                })
                .collect();
            out += &table("function (workload)", &heads, &rows);
        }
        let failures: Vec<String> = self
            .cells
            .iter()
            .filter_map(|c| match c.status() {
                Status::Failed(e) => Some(format!(
                    "- {} on {}: {e}\n",
                    c.bench.name(),
                    c.engine.name()
                )),
                _ => None,
            })
            .collect();
        if !failures.is_empty() {
            out += "\nFailures\n\n";
            out += &failures.concat();
        }
        out
    }

    fn show(&self, bench: Bench, engine: EngineKind, f: impl Fn(&Summary) -> String) -> String {
        match self.cell(bench, engine).map(Cell::status) {
            Some(Status::Ok(s)) => f(&s),
            Some(Status::NotApplicable) | None => "n/a".into(),
            Some(Status::Failed(_)) => "error".into(),
        }
    }

    /// The report as JSON: per benchmark and engine the medians, the
    /// per-round samples, and the ratio to wasmi; per engine the geometric
    /// mean over the kernels.
    pub fn json(&self) -> Value {
        let benches: Vec<Value> = self
            .benches
            .iter()
            .map(|b| {
                let mut engines = serde_json::Map::new();
                for e in &self.engines {
                    let Some(cell) = self.cell(*b, *e) else {
                        continue;
                    };
                    let v = match cell.status() {
                        Status::Ok(s) => json!({
                            "status": "ok",
                            "run_ms": s.run_ms,
                            "ratio_to_wasmi": self.ratio(*b, *e),
                            "ns_per_call": s.ns_per_call,
                            "compile_ms": s.compile_ms,
                            "instantiate_ms": s.instantiate_ms,
                            "peak_rss_mib": s.peak_rss_mib,
                            "samples": cell.outcomes.iter().filter_map(|o| match o {
                                Outcome::Sample(s) => Some(s),
                                _ => None,
                            }).collect::<Vec<_>>(),
                        }),
                        Status::NotApplicable => json!({ "status": "n/a" }),
                        Status::Failed(e) => json!({ "status": "error", "error": e }),
                    };
                    engines.insert(e.name().to_string(), v);
                }
                json!({ "name": b.name(), "workload": b.title(), "engines": engines })
            })
            .collect();
        let geomeans: serde_json::Map<String, Value> = self
            .engines
            .iter()
            .map(|e| (e.name().to_string(), json!(self.geomean(*e).map(|g| g.0))))
            .collect();
        json!({
            "rounds": self.rounds,
            "quick": self.quick,
            "benchmarks": benches,
            "geomean_ratio_to_wasmi": geomeans,
        })
    }
}

/// Milliseconds with precision that suits small and large values.
fn ms(x: f64) -> String {
    if x < 10.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.0}")
    }
}

fn row(title: &str, cells: impl Iterator<Item = String>) -> String {
    let cells: Vec<String> = cells.collect();
    format!("| {title} | {} |", cells.join(" | "))
}

fn table(first: &str, heads: &[&str], rows: &[String]) -> String {
    let mut out = format!("| {first} | {} |\n", heads.join(" | "));
    out += &format!("|---|{}\n", "---:|".repeat(heads.len()));
    for r in rows {
        out += r;
        out += "\n";
    }
    out
}
