//! One module per subcommand.
//!
//! Exit statuses: 0 success, 1 the program ran and failed (a trap, a failed
//! assertion), 2 bad input (unreadable or malformed file, wrong arguments).

pub mod run;
pub mod run_component;
pub mod validate;
pub mod wasi_flags;
pub mod wast;
pub mod wit;

use std::process::ExitCode;

/// Prints `error: MESSAGE` (one line) and returns exit status 2.
pub fn bad_input(message: impl std::fmt::Display) -> ExitCode {
    let message = message.to_string().replace('\n', " ");
    eprintln!("error: {message}");
    ExitCode::from(2)
}
