//! Validation (Explainer.md; Binary.md "Notes"; CanonicalABI.md "Canonical
//! definitions"): written by witness to mirror the spec's rules, so that it
//! is a second opinion next to wasmparser's component validator.
//!
//! Conventions: `v` is the [`Validator`]; `scope` the innermost [`Scope`]
//! (component definition or component/instance type); `t`, `id` type arena
//! ids; `r` a resource id; `offset` the byte offset of the definition being
//! validated.

pub mod alias;
pub mod canon;
pub mod core;
pub mod definitions;
pub mod imports;
pub mod instances;
pub mod names;
pub mod scope;
pub mod types;
pub mod visibility;

use alloc::vec::Vec;

pub use self::scope::{CoreTypeEntry, Scope, ScopeKind};
use crate::ast::Component;
use crate::error::{Error, Result};
use crate::features::Features;
use crate::types::{TypeId, Types};

/// The validator's state: the type arena and the stack of scopes.
#[derive(Debug)]
pub struct Validator {
    /// Which emoji-gated features are on.
    pub features: Features,
    /// Every type seen so far.
    pub types: Types,
    /// Enclosing scopes, innermost last.
    pub scopes: Vec<Scope>,
    next_scope: u32,
    fallback: Scope,
    /// Whether core function bodies are checked here.
    pub core_bodies: CoreBodies,
}

/// Whether validating a component checks its core modules' function bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoreBodies {
    /// Every body is validated, as `validate` promises.
    Check,
    /// Bodies are left to the caller, which validates each one itself before
    /// it uses the component (witness-interp does while translating them,
    /// under the same features), so that a large component's code is
    /// validated once. Everything else about a core module is checked.
    Deferred,
}

/// What validation found: the arena and the component's type in it.
#[derive(Debug)]
pub struct Validated {
    /// The type arena.
    pub types: Types,
    /// The component's `componenttype` (a [`TypeDef::Component`](crate::types::TypeDef::Component)).
    pub ty: TypeId,
}

/// Decodes and validates a component binary.
///
/// # Errors
///
/// The first decoding or validation error.
pub fn validate(bytes: &[u8], features: &Features) -> Result<Validated> {
    let component = crate::decode::decode_component(bytes, features)?;
    validate_ast(&component, features)
}

/// Whether `bytes` start with a component's preamble (rather than a core
/// module's).
pub fn is_component(bytes: &[u8]) -> bool {
    wasmparser::Parser::is_component(bytes)
}

/// Validates a core module with wasmparser's core validator (core
/// validation is wasmparser's, see DESIGN.md), with `features`' mapping.
///
/// # Errors
///
/// wasmparser's error, as an invalid-input [`Error`].
pub fn validate_core_module(bytes: &[u8], features: &Features) -> Result<()> {
    wasmparser::Validator::new_with_features(features.wasmparser())
        .validate_all(bytes)
        .map(|_| ())
        .map_err(|e| Error::from_wasmparser(&e, crate::ErrorKind::Invalid))
}

/// Validates a decoded component.
///
/// # Errors
///
/// The first validation error.
pub fn validate_ast(component: &Component, features: &Features) -> Result<Validated> {
    validate_ast_with(component, features, CoreBodies::Check)
}

/// [`validate_ast`], with core function bodies checked or left to the
/// caller (see [`CoreBodies`]).
///
/// # Errors
///
/// The first validation error.
pub fn validate_ast_with(
    component: &Component,
    features: &Features,
    core_bodies: CoreBodies,
) -> Result<Validated> {
    let mut v = Validator::new(*features);
    v.core_bodies = core_bodies;
    let ty = v.component(component)?;
    Ok(Validated { types: v.types, ty })
}

impl Validator {
    /// A validator with no scopes.
    pub fn new(features: Features) -> Self {
        Validator {
            features,
            types: Types::new(),
            scopes: Vec::new(),
            next_scope: 0,
            fallback: Scope::new(ScopeKind::Component, u32::MAX),
            core_bodies: CoreBodies::Check,
        }
    }

    /// Enters a new scope.
    pub fn push_scope(&mut self, kind: ScopeKind) {
        let id = self.next_scope;
        self.next_scope += 1;
        self.scopes.push(Scope::new(kind, id));
    }

    /// Leaves the innermost scope.
    pub fn pop_scope(&mut self) -> Scope {
        self.scopes
            .pop()
            .unwrap_or_else(|| Scope::new(ScopeKind::Component, u32::MAX))
    }

    /// The innermost scope.
    pub fn scope(&self) -> &Scope {
        // There is always a scope while definitions are validated; the
        // fallback only keeps this total.
        self.scopes.last().unwrap_or(&self.fallback)
    }

    /// The innermost scope, mutably.
    pub fn scope_mut(&mut self) -> &mut Scope {
        if self.scopes.is_empty() {
            self.push_scope(ScopeKind::Component);
        }
        let last = self.scopes.len() - 1;
        &mut self.scopes[last]
    }

    /// Fails with `message` unless the feature is on.
    pub fn gate(&self, on: bool, offset: usize, what: &str, flag: &str) -> Result<()> {
        if on {
            Ok(())
        } else {
            Err(Error::invalid(
                offset,
                alloc::format!("{what} requires the {flag} feature"),
            ))
        }
    }
}
