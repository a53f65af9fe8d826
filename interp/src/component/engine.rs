//! The embedding API's `Engine` (which gates are on, the core limits) and
//! `Component` (a decoded, validated and prepared component binary).

use super::code::{Code, prepare};
use super::error::Error;
use crate::core_wasm::Config;
use alloc::rc::Rc;
use alloc::string::ToString;
use witness_spec::Features;
use witness_spec::validate::CoreBodies;

/// What every store and component of an embedding share: the feature
/// gates components are validated with, and the core interpreter's limits.
#[derive(Clone, Debug)]
pub struct Engine {
    pub features: Features,
    pub config: Config,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new(Features::default())
    }
}

impl Engine {
    /// An engine with these gates and the default limits.
    pub fn new(features: Features) -> Engine {
        Engine {
            features,
            config: Config::default(),
        }
    }
}

/// A component, ready to instantiate.
#[derive(Clone, Debug)]
pub struct Component {
    pub(crate) code: Rc<Code>,
}

impl Component {
    /// Decodes and validates a component binary (witness-spec) and
    /// prepares its core modules. Core function bodies are validated once,
    /// as they are translated, not also by witness-spec.
    ///
    /// # Errors
    /// [`Error::Invalid`] with the first decoding or validation error.
    pub fn new(engine: &Engine, bytes: &[u8]) -> Result<Component, Error> {
        let ast = witness_spec::decode_component(bytes, &engine.features)
            .map_err(|e| Error::Invalid(e.to_string()))?;
        witness_spec::validate::validate_ast_with(&ast, &engine.features, CoreBodies::Deferred)
            .map_err(|e| Error::Invalid(e.to_string()))?;
        Ok(Component {
            code: Rc::new(prepare(ast)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// witness-spec leaves the bodies to translation, which must still
    /// reject one that does not type-check, with its module's offset.
    #[test]
    fn an_invalid_core_function_body_is_rejected_once_translated() {
        let wat = r#"(component
  (core module (func (result i32) (i64.const 0))))"#;
        let bytes = wat::parse_str(wat).unwrap();
        match Component::new(&Engine::default(), &bytes) {
            Err(Error::Invalid(m)) => {
                assert!(m.starts_with("core module at offset"), "{m}");
                assert!(m.contains("type mismatch"), "{m}");
            }
            other => panic!("{other:?}"),
        }
    }
}
