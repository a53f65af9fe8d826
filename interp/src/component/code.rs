//! A component's code, ready to instantiate: its definitions (Explainer.md
//! "Component Definitions") with every core module decoded, validated and
//! translated once, and every nested component prepared the same way.

use super::error::Error;
use crate::core_wasm::Module;
use alloc::format;
use alloc::rc::Rc;
use alloc::vec::Vec;
use witness_spec::ast::{self, DefinitionKind};

/// A prepared component definition.
#[derive(Debug, Default)]
pub struct Code {
    /// The definitions in order; nested components' are in `children`.
    pub definitions: Vec<ast::Definition>,
    /// The core modules, in the order of their definitions.
    pub modules: Vec<Rc<Module>>,
    /// The nested components, in the order of their definitions.
    pub children: Vec<Rc<Code>>,
}

/// Prepares a decoded (and validated) component.
///
/// # Errors
/// [`Error::Invalid`] when a core module does not decode or validate.
pub fn prepare(component: ast::Component) -> Result<Code, Error> {
    let mut code = Code::default();
    for mut def in component.definitions {
        match &mut def.kind {
            DefinitionKind::CoreModule(m) => {
                let module = Module::new(&m.bytes).map_err(|e| {
                    Error::Invalid(format!("core module at offset {}: {e}", m.offset))
                })?;
                code.modules.push(Rc::new(module));
                m.bytes = Vec::new();
            }
            DefinitionKind::Component(c) => {
                let child = core::mem::take(c);
                code.children.push(Rc::new(prepare(child)?));
            }
            _ => {}
        }
        code.definitions.push(def);
    }
    Ok(code)
}
