//! WIT (WIT.md): the interface description language of the component
//! model, parsed, resolved and printed.
//!
//! | module | WIT.md section |
//! |---|---|
//! | [`lexer`] | "Lexical structure" |
//! | [`ast`], [`parser`] | "Top-level items" … "Handles", "Feature gate syntax" |
//! | [`resolve`] | "Name resolution", "WIT Packages and `use`", "Feature Gates" |
//! | [`world`] | "WIT Worlds", "Union of Worlds with `include`", "Transitive imports and worlds" |
//! | [`package`] | "Package declaration", "Filesystem structure" |
//! | [`model`] | the resolved packages, interfaces, worlds and types |
//! | [`print`] | the text form, as `wasm-tools component wit` prints it |
//! | [`encode`] | "Package Format": a package as the WIT-package binary |
//! | [`decode`] | "Package Format": the binary read back into a [`Resolve`] |
//! | [`package_docs`], [`json`] | the `package-docs` custom section (docs, gates) |
//! | [`component_type`] | WIT → [`crate::types`]: worlds and interfaces as component and instance types |
//! | [`component_world`] | component → WIT: a component's imports and exports as a world (Explainer.md "Import and Export Definitions") |
//!
//! Everything works on in-memory sources; `fs` (feature `std`) reads files
//! and directories (and `.wat`/`.wasm` packages, root or in `deps/`).
//!
//! Not yet here (issue 8): a `.wasm` package in `deps/` is decoded before
//! the text packages, so it cannot refer to a text dependency.
//!
//! Owned handles are not wrapped in `own` types: a resource named in a
//! value position is `Type::Id(resource)`; the encoder emits `own` there
//! and the decoder maps `own` back.
//!
//! ```
//! use witness_spec::wit::{Resolve, push_str, print};
//! let mut resolve = Resolve::new();
//! let pkg = push_str(&mut resolve, "a.wit", "package a:b;\ninterface i { f: func(); }\n").unwrap();
//! assert!(print(&resolve, pkg, &[]).contains("f: func();"));
//! ```

pub mod ast;
pub mod component_type;
pub mod component_world;
pub mod decode;
pub mod encode;
pub mod error;
#[cfg(feature = "std")]
pub mod fs;
pub mod json;
pub mod lexer;
pub mod map;
pub mod model;
pub mod package;
pub mod package_docs;
pub mod parser;
pub mod print;
pub mod resolve;
pub mod source;
mod toposort;
pub mod version;
pub mod world;

pub use error::{Rule, WitError, WitResult};
#[cfg(feature = "std")]
pub use fs::push_path;
pub use model::{PackageId, Resolve};
pub use package::push_str;
pub use print::print;
