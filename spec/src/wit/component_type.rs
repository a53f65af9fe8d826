//! WIT → component types (WIT.md "Package Format"; Explainer.md "Type
//! Definitions", "Type Checking"): a world becomes a `componenttype` and an
//! interface an `instancetype` in the [`crate::types`] arena. The world or
//! interface is encoded as the WIT-package binary does ([`super::encode`])
//! and that component type is validated by our validator, so the type is
//! exactly the one a component implementing the world is checked against.

use super::encode::{encode_interface, encode_world};
use super::error::{Rule, WitError, WitResult};
use super::model::{InterfaceId, Resolve, WorldId};
use crate::types::{ExternType, TypeId, Types};
use alloc::format;
use wasm_encoder::{ComponentBuilder, ComponentExportKind, ComponentType};

fn err(message: impl Into<alloc::string::String>) -> WitError {
    WitError::nowhere(Rule::Binary, message)
}

/// Validates `(component (type (component ...)) (export "t" (type 0)))`
/// and returns the arena with the component type.
fn validate_component_type(ty: &ComponentType) -> WitResult<(Types, TypeId)> {
    let mut b = ComponentBuilder::default();
    let idx = b.type_component(None, ty);
    b.export("t", ComponentExportKind::Type, idx, None);
    let bytes = b.finish();
    let v = crate::validate(&bytes, &crate::Features::ALL).map_err(|e| err(format!("{e}")))?;
    let export = v
        .types
        .component(v.ty)
        .and_then(|c| crate::types::lookup(&c.exports, "t").copied());
    match export {
        Some(ExternType::Type(t)) if v.types.component(t).is_some() => Ok((v.types, t)),
        _ => Err(err("the encoded type is not a component type")),
    }
}

/// World `id` as a component type (a [`crate::types::TypeDef::Component`]).
///
/// # Errors
/// What [`encode_world`] rejects, and a failed validation (a bug).
pub fn world_type(resolve: &Resolve, id: WorldId) -> WitResult<(Types, TypeId)> {
    validate_component_type(&encode_world(resolve, id)?)
}

/// Interface `id` as an instance type (a
/// [`crate::types::TypeDef::Instance`]), with the interfaces it uses
/// imported around it as the binary form does.
///
/// # Errors
/// An interface without a package; a failed validation (a bug).
pub fn interface_type(resolve: &Resolve, id: InterfaceId) -> WitResult<(Types, TypeId)> {
    let pkg = resolve
        .interfaces
        .get(id)
        .and_then(|i| i.package)
        .ok_or_else(|| err("an interface without a package"))?;
    let (types, c) = validate_component_type(&encode_interface(resolve, pkg, id)?)?;
    let name = resolve.id_of(id).unwrap_or_default();
    let inst = types
        .component(c)
        .and_then(|c| crate::types::lookup(&c.exports, &name).copied());
    match inst {
        Some(ExternType::Instance(t)) => Ok((types, t)),
        _ => Err(err("the encoded interface exports no instance")),
    }
}
