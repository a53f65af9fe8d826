//! `witness validate [-W FEATURE[=n]]... FILE`: decode and validate a
//! component (with witness-spec, mirroring the Explainer) or a core module
//! (with wasmparser's core validator).
//!
//! Every emoji-gated feature is on unless turned off with `-W NAME=n`; the
//! names are wasmtime's `-W` names (`component-model-async`,
//! `component-model-threading`, ...).

use super::bad_input;
use std::path::PathBuf;
use std::process::ExitCode;
use witness_spec::Features;

#[derive(clap::Args)]
pub struct Args {
    /// Turn a feature gate on (`NAME`, `NAME=y`) or off (`NAME=n`).
    #[arg(short = 'W', value_name = "FEATURE[=y|n]")]
    features: Vec<String>,
    /// The component or module: binary (`.wasm`) or text (`.wat`).
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

/// Exit status 0 and `FILE: valid component|module` when valid; 1 with the
/// error (rule, byte offset, definition) when not; 2 on bad input.
pub fn main(args: Args) -> ExitCode {
    let mut features = Features::ALL;
    for w in &args.features {
        let (name, on) = match w.split_once('=') {
            Some((n, "y" | "yes" | "true")) => (n, true),
            Some((n, "n" | "no" | "false")) => (n, false),
            Some(_) => {
                return bad_input(format!("bad -W value `{w}` (use NAME, NAME=y or NAME=n)"));
            }
            None => (w.as_str(), true),
        };
        if !features.set(name, on) {
            return bad_input(format!("unknown feature `{name}`"));
        }
    }
    let bytes = match wat::parse_file(&args.file) {
        Ok(bytes) => bytes,
        Err(e) => return bad_input(e.to_string()),
    };
    let file = args.file.display();
    let is_component = witness_spec::validate::is_component(&bytes);
    let result = if is_component {
        witness_spec::validate(&bytes, &features).map(|_| ())
    } else {
        witness_spec::validate::validate_core_module(&bytes, &features)
    };
    match result {
        Ok(()) => {
            println!(
                "{file}: valid {}",
                if is_component { "component" } else { "module" }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{file}: {e}");
            ExitCode::from(1)
        }
    }
}
