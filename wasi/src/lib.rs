//! witness-wasi: a WASI 0.2 host on witness's embedding API, so that
//! components built by real toolchains (wasi-libc through the preview1
//! adapter, componentize-py, ...) run under witness as under `wasmtime
//! run`.
//!
//! | module | interface |
//! |---|---|
//! | [`io`] | `wasi:io` `error`, `poll`, `streams` |
//! | [`cli`] | `wasi:cli` `environment`, `exit`, `stdin`/`stdout`/`stderr`, `terminal-*` |
//! | [`clocks`] | `wasi:clocks` `monotonic-clock`, `wall-clock` |
//! | [`random`] | `wasi:random` `random`, `insecure`, `insecure-seed` |
//! | [`filesystem`], [`path`] | `wasi:filesystem` `types`, `preopens`; confinement to the preopens |
//! | [`sockets`] | `wasi:sockets`, present, without a network |
//! | [`wit`] | the interfaces' types, from the WIT in `wit/` |
//! | [`host`], [`table`], [`vals`] | the host's state, its resources, component values |
//!
//! ```
//! use witness_interp::component::{Component, Engine, Linker, Store};
//! use witness_wasi::{Wasi, WasiCtx};
//! let engine = Engine::default();
//! let store = Store::new(&engine);
//! let mut linker = Linker::new();
//! let ctx = WasiCtx { args: vec!["main.wasm".into()], ..WasiCtx::default() };
//! let wasi = Wasi::add_to_linker(ctx, &store, &mut linker).unwrap();
//! // `linker.instantiate(&store, &component)`, then `wasi.run(&store, &instance)`.
//! assert_eq!(wasi.exit_code(), None);
//! ```

pub mod cli;
pub mod clocks;
pub mod ctx;
pub mod filesystem;
pub mod host;
pub mod io;
pub mod path;
pub mod random;
pub mod sockets;
pub mod table;
pub mod vals;
pub mod wit;

pub use ctx::{Input, Output, WasiCtx};
pub use host::Wasi;
