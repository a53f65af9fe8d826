//! The `witness` command line: subcommands only; what they do lives in the
//! library crates (`witness-interp`, `witness-conformance`).

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod cmd;

/// witness: a reference interpreter for the WebAssembly Component Model.
#[derive(Parser)]
#[command(name = "witness", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run `.wast` scripts and count their assertions.
    Wast(cmd::wast::Args),
    /// Call an export of a component or core module (`.wasm` or `.wat`).
    Run(cmd::run::Args),
    /// Resolve WIT (a file, or a directory with `deps/`) and print it.
    Wit(cmd::wit::Args),
    /// Decode and validate a component or core module (`.wasm` or `.wat`).
    Validate(cmd::validate::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Wast(args) => cmd::wast::main(args),
        Command::Run(args) => cmd::run::main(args),
        Command::Validate(args) => cmd::validate::main(args),
        Command::Wit(args) => cmd::wit::main(args),
    }
}
