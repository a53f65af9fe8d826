//! witness-canonical: CanonicalABI.md, definition by definition.
//!
//! Each module mirrors one section of the pinned CanonicalABI.md, in the
//! document's order, and each item keeps the spec's name (`load_list`,
//! `lower_flat`, `Table.add` ...), so the two can be read side by side.
//! The crate reaches core wasm only through the [`Core`] trait (memories
//! and core functions), so it can be tested with mock core functions.
//!
//! Conventions, as in the spec: `cx` is the [`LiftLowerContext`], `t` a
//! type, `v` a value, `ptr` a linear-memory address, `vi` a flat-value
//! iterator, `inst` a [`ComponentInstance`], `opts` the options.
//!
//! Present: the value layer, the runtime state (instances, tables,
//! resources, waitables, buffers, streams, futures), the concurrency layers
//! (stack switching, threads, tasks, the store and its `tick`), `canon
//! lift`/`canon lower` in all their forms and every built-in. Every choice
//! the spec leaves open goes through [`choices::Choices`].
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
// The test strategies name this crate as the `witness` crate's tests do.
#[cfg(test)]
extern crate self as witness_canonical;
#[cfg(feature = "std")]
extern crate std;

// Component Instances, concurrency, options, context and runtime state.
pub mod buffer;
pub mod choices;
pub mod context;
pub mod future;
pub mod inline_vec;
pub mod instance;
pub mod options;
pub mod resource;
pub mod stack_switching;
pub mod store;
pub mod stream;
pub mod subtask;
pub mod table;
pub mod task;
pub mod thread;
pub mod trace;
pub mod waitable;
// Types and values.
pub mod core_value;
pub mod trap;
pub mod types;
pub mod value;
// The value definitions, in the document's order.
pub mod alignment;
pub mod despecialize;
pub mod elem_size;
pub mod flat_lifting;
pub mod flat_lowering;
pub mod flattening;
pub mod loading;
pub mod storing;
pub mod values;
// Canonical definitions.
pub mod canon_lift;
pub mod canon_lower;
pub mod canon_resource;
// 🔀 🚝 🧵 📝 built-ins.
pub mod canon_context;
pub mod canon_error_context;
pub mod canon_stream;
pub mod canon_subtask;
pub mod canon_task;
pub mod canon_thread;
pub mod canon_waitable_set;

pub use context::LiftLowerContext;
pub use core_value::{CoreType, CoreValue, CoreValueIter};
pub use instance::{ComponentInstance, HandleElem, InstanceId, Instances};
pub use options::{
    CanonicalOptions, Core, CoreResults, FuncRef, LiftLowerOptions, LiftOptions, MemRef, PtrType,
    StringEncoding,
};
pub use resource::{ResourceHandle, ResourceType};
pub use table::Table;
pub use trace::{Arg, Tracer};
pub use trap::{Trap, TrapKind, WaitingThread};
pub use types::{CaseType, FieldType, FuncType, ValType};
pub use value::{StringValue, Value};

#[cfg(test)]
mod async_tests;
#[cfg(test)]
mod call_tests;
#[cfg(test)]
mod round_trip_props;
#[cfg(all(test, feature = "std"))]
mod spec_names_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod value_strategies;
