//! witness: a reference interpreter for the WebAssembly Component Model.
//!
//! This crate is the `witness` command line and a thin facade over the
//! library crates: [`component`] is the embedding API (one shape per
//! concept), [`core_wasm`] the resumable core interpreter, [`spec`] what a
//! component is (decoding, types, validation, WIT), [`canonical`] the
//! Canonical ABI definitions, [`wave`] component values as WAVE text (what
//! `witness run` reads and prints), [`trace`] the Canonical ABI's steps as
//! `witness run --trace` prints them.
//!
//! ```
//! use witness::component::{Component, Engine, Linker, Store, Val};
//! let bytes = wat::parse_str(r#"(component
//!   (core module $M (func (export "add") (param i32 i32) (result i32)
//!     (i32.add (local.get 0) (local.get 1))))
//!   (core instance $m (instantiate $M))
//!   (func (export "add") (param "a" u32) (param "b" u32) (result u32)
//!     (canon lift (core func $m "add"))))"#).unwrap();
//! let engine = Engine::default();
//! let component = Component::new(&engine, &bytes).unwrap();
//! let store = Store::new(&engine);
//! let instance = Linker::new().instantiate(&store, &component).unwrap();
//! let add = instance.func("add").unwrap();
//! assert_eq!(add.call(&store, &[Val::U32(40), Val::U32(2)]), Ok(vec![Val::U32(42)]));
//! ```

/// The embedding API: [`Engine`](component::Engine),
/// [`Component`](component::Component), [`Store`](component::Store),
/// [`Linker`](component::Linker), [`Instance`](component::Instance),
/// [`Func`](component::Func) and [`Val`](component::Val).
pub mod component {
    pub use witness_interp::component::{
        CaseType, Component, Engine, Error, Export, FieldType, Func, FuncType, HostDtor, HostFunc,
        Instance, Linker, ResourceType, Store, StringValue, Trap, TrapKind, Val, ValType,
    };
}

pub mod trace;
pub mod wave;

pub use witness_canonical as canonical;
pub use witness_interp::core_wasm;
pub use witness_spec as spec;
