//! The engines under test, behind one small interface.
//!
//! Each engine compiles a core module, instantiates it with the WASI shim as
//! its only source of imports, and calls exports in a loop. The loop lives
//! inside the engine ([`Instance::call_many`]) so that each engine calls
//! through its fastest embedding API (typed functions where it has them).

pub mod wasmi;
pub mod wasmtime;
pub mod witness;

use crate::component::ComponentFunc;
use crate::error::Result;
use crate::wasi::Wasi;
use std::time::Duration;

/// The engines, in report column order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineKind {
    Witness,
    Wasmi,
    Pulley,
    Cranelift,
}

impl EngineKind {
    pub const ALL: [EngineKind; 4] = [
        EngineKind::Witness,
        EngineKind::Wasmi,
        EngineKind::Pulley,
        EngineKind::Cranelift,
    ];

    /// The engine's name on the command line and in the JSON report.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Witness => "witness",
            EngineKind::Wasmi => "wasmi",
            EngineKind::Pulley => "wasmtime-pulley",
            EngineKind::Cranelift => "wasmtime-cranelift",
        }
    }

    /// A column heading for the table.
    pub fn title(self) -> &'static str {
        match self {
            EngineKind::Witness => "witness",
            EngineKind::Wasmi => "wasmi 2.0.0",
            EngineKind::Pulley => "wasmtime 48 Pulley",
            EngineKind::Cranelift => "wasmtime 48 Cranelift",
        }
    }

    pub fn from_name(name: &str) -> Option<EngineKind> {
        EngineKind::ALL.into_iter().find(|e| e.name() == name)
    }

    /// Calls `func` of component.wat `calls` times through the engine's
    /// component embedding API and returns the time taken, or `None` when the
    /// engine cannot run components.
    pub fn component_calls(
        self,
        component: &[u8],
        func: ComponentFunc,
        calls: u64,
    ) -> Option<Result<ComponentTimes>> {
        match self {
            EngineKind::Witness => witness::component_calls(component, func, calls),
            EngineKind::Wasmi => None,
            EngineKind::Pulley => Some(wasmtime::component_calls(true, component, func, calls)),
            EngineKind::Cranelift => Some(wasmtime::component_calls(false, component, func, calls)),
        }
    }
}

/// Times of one component measurement.
pub struct ComponentTimes {
    /// Decoding, validating and compiling the component.
    pub compile: Duration,
    /// Instantiating it.
    pub instantiate: Duration,
    /// All the calls together.
    pub run: Duration,
}

/// An engine's compiled modules and how it instantiates them.
pub trait Engine {
    type Module;
    type Instance: Instance;

    /// Decodes, validates and translates (or compiles) a binary module.
    fn compile(&self, wasm: &[u8]) -> Result<Self::Module>;

    /// Instantiates a module; its imports are answered by `wasi` (the
    /// `wasi_snapshot_preview1` and `bench` functions). The start function,
    /// if any, runs here.
    fn instantiate(&self, module: &Self::Module, wasi: Wasi) -> Result<Self::Instance>;
}

/// A module instance of some engine.
pub trait Instance {
    /// Calls the export `name` `count` times, the `i`th time with the argument
    /// `arg(i)` (converted to the parameter's type, `i32` or `i64`), and
    /// returns the last result (an `i32` result sign-extended). The export
    /// takes one integer and returns one integer.
    fn call_many(&mut self, name: &str, count: u64, arg: &dyn Fn(u64) -> i64) -> Result<i64>;

    /// Grows the exported memory `name` by `pages`.
    fn grow_memory(&mut self, name: &str, pages: u64) -> Result<()>;

    /// The bytes of the exported memory `name`.
    fn memory_mut(&mut self, name: &str) -> Result<&mut [u8]>;

    /// Calls the export `name` with no arguments and no results (a WASI
    /// `_start`); a `proc_exit` ends it early, recorded in [`Instance::wasi`].
    fn run_command(&mut self, name: &str) -> Result<()>;

    /// The WASI shim's state: captured output, exit code, measured span.
    fn wasi(&mut self) -> &mut Wasi;
}
