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
//!
//! Everything works on in-memory sources; `fs` (feature `std`) reads files
//! and directories.
//!
//! Not yet here (issue 8): the WIT-package binary (`encode`: each
//! interface and world as the component type Explainer.md describes, plus
//! the `package-docs` custom section for docs and gates; `decode`: back to
//! a [`Resolve`], which also lets `deps/` hold `.wat`/`.wasm` packages),
//! WIT → [`crate::types`] component types, and component → WIT. Owned
//! handles are not wrapped in `own` types: a resource named in a value
//! position is `Type::Id(resource)`, so an encoder must emit `own` there.
//!
//! ```
//! use witness_spec::wit::{Resolve, push_str, print};
//! let mut resolve = Resolve::new();
//! let pkg = push_str(&mut resolve, "a.wit", "package a:b;\ninterface i { f: func(); }\n").unwrap();
//! assert!(print(&resolve, pkg, &[]).contains("f: func();"));
//! ```

pub mod ast;
pub mod error;
#[cfg(feature = "std")]
pub mod fs;
pub mod lexer;
pub mod map;
pub mod model;
pub mod package;
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
