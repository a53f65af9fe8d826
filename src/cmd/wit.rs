//! `witness wit PATH [--features F,..] [--all-features] [--wasm] [-o OUT]`:
//! resolve the WIT at PATH (a `.wit` file, a directory with `deps/`, or a
//! `.wasm`/`.wat` WIT package) and print it the way `wasm-tools component
//! wit` does; with `--wasm`, write the WIT-package binary instead. For a
//! component (`.wasm`/`.wat` that is not a WIT package), print the WIT of
//! its imports and exports (world `root` of package `root:component`).

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
    let binary = matches!(
        args.path.extension().and_then(|e| e.to_str()),
        Some("wasm" | "wat")
    );
    let result = if binary {
        match wit::fs::read_binary(&args.path) {
            Ok(bytes) if !wit::decode::is_package_binary(&bytes) => {
                wit::component_world::decode_component_world(&mut resolve, &bytes)
                    .map(|w| resolve.worlds[w].package.unwrap_or_default())
            }
            Ok(bytes) => wit::decode::decode(&mut resolve, &bytes),
            Err(e) => Err(e),
        }
    } else {
        wit::push_path(&mut resolve, &args.path)
    };
    let pkg = match result {
        Ok(pkg) => pkg,
        Err(e) => {
            eprintln!("{}", e.render(&resolve.sources));
            return ExitCode::from(2);
        }
    };
    let out: Vec<u8> = if args.wasm {
        match wit::encode::encode(&resolve, pkg) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("{}", e.render(&resolve.sources));
                return ExitCode::from(2);
            }
        }
    } else {
        wit::print(&resolve, pkg, &[]).into_bytes()
    };
    match &args.output {
        Some(path) => match std::fs::write(path, out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => bad_input(format!("cannot write {}: {e}", path.display())),
        },
        None => {
            use std::io::Write;
            match std::io::stdout().write_all(&out) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => bad_input(format!("cannot write to stdout: {e}")),
            }
        }
    }
}
