//! A resumable interpreter for core WebAssembly (the core specification's
//! "Execution" chapter).
//!
//! Conventions: `store` is the [`Store`] (§4.2.3), addresses (`FuncAddr`,
//! `MemAddr`, ...) index its lists; `inst` is a module instance (§4.2.5);
//! `sp` is the operand stack pointer and `base` the slot of a frame's first
//! local; `pc` indexes a function's pre-decoded instructions.
//!
//! Modules are decoded and validated with wasmparser and translated once into
//! [`instr::Instr`]s (branch targets resolved). Execution keeps frames and
//! operands in explicit stacks owned by a [`Thread`]; a call of a host
//! function returns [`Outcome::Call`] to the embedder, which resumes the
//! thread with the results.

mod choices;
mod config;
mod const_expr;
mod exception;
mod exec;
mod frame;
mod fused;
mod instance;
mod instr;
mod memory;
mod module;
mod numeric;
mod simd;
mod store;
mod table;
mod thread;
mod translate;
mod trap;
mod types;
mod value;

pub use choices::{Choices, Mode as ChoiceMode, Relaxed};
pub use config::Config;
pub use exception::Exception;
pub use instance::{Instantiated, InstantiationError};
pub use module::{Export, Import, Module, ModuleError, ModuleErrorKind};
pub use store::{Extern, FuncAddr, GlobalAddr, InstanceAddr, MemAddr, Store, TableAddr, TagAddr};
pub use thread::{CallError, Outcome, Thread};
pub use trap::{BacktraceFrame, Trap, TrapKind};
pub use types::{ExternType, FuncType, GlobalType, Limits, MemoryType, TableType, ValType};
pub use value::Val;

#[cfg(test)]
mod fused_tests;
#[cfg(test)]
mod tests;
