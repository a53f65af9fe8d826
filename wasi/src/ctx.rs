//! What a guest is given: its arguments, environment, preopened
//! directories and standard streams (wasmtime's `WasiCtxBuilder`, as
//! plain data).

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

/// The guest's world, set up by the embedder before instantiation.
#[derive(Clone, Default)]
pub struct WasiCtx {
    /// `wasi:cli/environment.get-arguments` (argv, argv[0] included).
    pub args: Vec<String>,
    /// `wasi:cli/environment.get-environment`.
    pub env: Vec<(String, String)>,
    /// `wasi:cli/environment.initial-cwd`.
    pub initial_cwd: Option<String>,
    /// `wasi:filesystem/preopens.get-directories`: a host directory and
    /// the name the guest sees it by. All access stays inside these.
    pub preopens: Vec<(PathBuf, String)>,
    pub stdin: Input,
    pub stdout: Output,
    pub stderr: Output,
    /// Seeds `wasi:random` (both the secure and the insecure source) for
    /// reproducible runs; without it the secure source is the host's
    /// `/dev/urandom`.
    pub random_seed: Option<u64>,
}

/// Where `stdin` reads from.
#[derive(Clone, Default)]
pub enum Input {
    /// The process's standard input.
    #[default]
    Inherit,
    /// These bytes, then end of stream.
    Bytes(Vec<u8>),
}

/// Where `stdout` or `stderr` writes to.
#[derive(Clone, Default)]
pub enum Output {
    /// The process's standard output (or error).
    #[default]
    Inherit,
    /// A buffer the embedder reads afterwards.
    Buffer(Rc<RefCell<Vec<u8>>>),
}
