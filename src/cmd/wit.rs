//! `witness wit PATH [--features F,..] [--all-features]`: resolve the WIT
//! at PATH (a `.wit` file, or a directory with `deps/`) and print it the
//! way `wasm-tools component wit` does. `--wasm -o OUT` will write the
//! WIT-package binary once the encoder lands.

use super::bad_input;
use std::path::PathBuf;
use std::process::ExitCode;
use witness_spec::wit::{self, Resolve};

#[derive(clap::Args)]
pub struct Args {
    /// A `.wit` file or a directory of them (with an optional `deps/`).
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// Enable these `@unstable` features (comma-separated).
    #[arg(long, value_name = "F,..", value_delimiter = ',')]
    features: Vec<String>,
    /// Enable every `@unstable` feature.
    #[arg(long)]
    all_features: bool,
    /// Write the WIT-package binary instead of text.
    #[arg(long)]
    wasm: bool,
    /// Where to write the output (default: stdout).
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// Runs the command: 0 with the WIT on stdout (or in OUT), 2 on an invalid
/// input (the error with file, line, column and caret on stderr).
pub fn main(args: Args) -> ExitCode {
    let mut resolve = Resolve::new();
    resolve
        .features
        .extend(args.features.iter().filter(|f| !f.is_empty()).cloned());
    resolve.all_features = args.all_features;
    let pkg = match wit::push_path(&mut resolve, &args.path) {
        Ok(pkg) => pkg,
        Err(e) => {
            eprintln!("{}", e.render(&resolve.sources));
            return ExitCode::from(2);
        }
    };
    if args.wasm {
        return bad_input("--wasm: the WIT-package encoder is not implemented yet");
    }
    let text = wit::print(&resolve, pkg, &[]);
    match &args.output {
        Some(out) => match std::fs::write(out, text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => bad_input(format!("cannot write {}: {e}", out.display())),
        },
        None => {
            print!("{text}");
            ExitCode::SUCCESS
        }
    }
}
