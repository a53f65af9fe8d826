//! Type Definitions (Explainer.md "Type Definitions", "Declarators";
//! Binary.md "Type Definitions" notes): `defvaltype`, `resourcetype`,
//! `functype`, `componenttype` and `instancetype`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::names;
use super::scope::get;
use super::{ScopeKind, Validator};
use crate::ast::{self, ComponentDecl, DefType, DefValType, InstanceDecl, PrimValType};
use crate::error::{Error, Result};
use crate::types::size::MAX_ELEM_SIZE;
use crate::types::{
    ComponentType, DefinedType, FuncType, InstanceType, ResourceInfo, TypeDef, TypeId, ValType,
};

/// Checks a list of labels: non-empty, kebab-case, strongly unique.
fn labels<'a>(
    names_: impl Iterator<Item = &'a str>,
    what: &str,
    prev_what: &str,
    offset: usize,
) -> Result<()> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for n in names_ {
        if n.is_empty() {
            return Err(Error::invalid(
                offset,
                format!("{what} name cannot be empty"),
            ));
        }
        if !names::is_label(n) {
            return Err(Error::invalid(
                offset,
                format!("{what} name `{n}` is not in kebab case"),
            ));
        }
        let lower = n.to_ascii_lowercase();
        if let Some((_, prev)) = seen.iter().find(|(l, _)| *l == lower) {
            return Err(Error::invalid(
                offset,
                format!("{what} name `{n}` conflicts with previous {prev_what} name `{prev}`"),
            ));
        }
        seen.push((lower, n));
    }
    Ok(())
}

impl Validator {
    /// `valtype`: a primitive, or an index that must refer to a `defvaltype`.
    pub(crate) fn val_type(&mut self, v: ast::ValType, offset: usize) -> Result<ValType> {
        match v {
            ast::ValType::Primitive(p) => {
                self.prim(p, offset)?;
                Ok(ValType::Primitive(p))
            }
            ast::ValType::Index(i) => {
                let t = *get(&self.scope().types, i, "type", offset)?;
                if self.types.defined(t).is_none() {
                    return Err(Error::invalid(
                        offset,
                        format!("type index {i} is not a defined type"),
                    ));
                }
                Ok(ValType::Defined(t))
            }
        }
    }

    fn prim(&self, p: PrimValType, offset: usize) -> Result<()> {
        if p == PrimValType::ErrorContext {
            self.gate(
                self.features.component_model_error_context,
                offset,
                "the `error-context` type",
                "component-model-error-context",
            )?;
        }
        Ok(())
    }

    fn opt_val(&mut self, v: Option<ast::ValType>, offset: usize) -> Result<Option<ValType>> {
        v.map(|v| self.val_type(v, offset)).transpose()
    }

    /// The resource behind a type index, for `own`/`borrow`.
    fn resource_index(&self, i: u32, offset: usize) -> Result<crate::types::ResourceId> {
        let t = *get(&self.scope().types, i, "type", offset)?;
        self.types
            .resource_of(t)
            .ok_or_else(|| Error::invalid(offset, format!("type index {i} is not a resource type")))
    }

    /// `defvaltype`, with the labels, emptiness, gate and size rules.
    pub(crate) fn def_val_type(&mut self, d: &DefValType, offset: usize) -> Result<DefinedType> {
        use DefValType as A;
        let f = self.features;
        Ok(match d {
            A::Primitive(p) => {
                self.prim(*p, offset)?;
                DefinedType::Primitive(*p)
            }
            A::Record(fields) => {
                if fields.is_empty() {
                    return Err(Error::invalid(
                        offset,
                        "record type must have at least one field",
                    ));
                }
                labels(
                    fields.iter().map(|(n, _)| n.as_str()),
                    "record field",
                    "field",
                    offset,
                )?;
                let mut out = Vec::new();
                for (n, t) in fields {
                    out.push((n.clone(), self.val_type(*t, offset)?));
                }
                DefinedType::Record(out)
            }
            A::Variant(cases) => {
                if cases.is_empty() {
                    return Err(Error::invalid(
                        offset,
                        "variant type must have at least one case",
                    ));
                }
                labels(
                    cases.iter().map(|(n, _)| n.as_str()),
                    "variant case",
                    "case",
                    offset,
                )?;
                let mut out = Vec::new();
                for (n, t) in cases {
                    out.push((n.clone(), self.opt_val(*t, offset)?));
                }
                DefinedType::Variant(out)
            }
            A::List(t) => DefinedType::List(self.val_type(*t, offset)?),
            A::FixedLengthList(t, n) => {
                self.gate(
                    f.component_model_fixed_length_lists,
                    offset,
                    "fixed-length lists",
                    "component-model-fixed-length-lists",
                )?;
                if *n == 0 {
                    return Err(Error::invalid(
                        offset,
                        "Fixed size lists must have more than zero elements",
                    ));
                }
                DefinedType::FixedLengthList(self.val_type(*t, offset)?, *n)
            }
            A::Tuple(ts) => {
                if ts.is_empty() {
                    return Err(Error::invalid(
                        offset,
                        "tuple type must have at least one type",
                    ));
                }
                let mut out = Vec::new();
                for t in ts {
                    out.push(self.val_type(*t, offset)?);
                }
                DefinedType::Tuple(out)
            }
            A::Flags(ls) => {
                if ls.is_empty() {
                    return Err(Error::invalid(offset, "flags must have at least one entry"));
                }
                if ls.len() > 32 {
                    return Err(Error::invalid(offset, "cannot have more than 32 flags"));
                }
                labels(ls.iter().map(String::as_str), "flag", "flag", offset)?;
                DefinedType::Flags(ls.clone())
            }
            A::Enum(ls) => {
                if ls.is_empty() {
                    return Err(Error::invalid(
                        offset,
                        "enum type must have at least one variant",
                    ));
                }
                labels(ls.iter().map(String::as_str), "enum tag", "tag", offset)?;
                DefinedType::Enum(ls.clone())
            }
            A::Option(t) => DefinedType::Option(self.val_type(*t, offset)?),
            A::Result { ok, err } => DefinedType::Result {
                ok: self.opt_val(*ok, offset)?,
                err: self.opt_val(*err, offset)?,
            },
            A::Map(k, v) => {
                self.gate(
                    f.component_model_map,
                    offset,
                    "the `map` type",
                    "component-model-map",
                )?;
                let k = self.val_type(*k, offset)?;
                let key_ok = match k {
                    ValType::Primitive(p) => !matches!(
                        p,
                        PrimValType::F32 | PrimValType::F64 | PrimValType::ErrorContext
                    ),
                    ValType::Defined(id) => matches!(
                        self.types.defined(id),
                        Some(DefinedType::Primitive(p)) if !matches!(p, PrimValType::F32 | PrimValType::F64 | PrimValType::ErrorContext)
                    ),
                };
                if !key_ok {
                    return Err(Error::invalid(
                        offset,
                        "map key type must be a primitive type other than a float",
                    ));
                }
                DefinedType::Map(k, self.val_type(*v, offset)?)
            }
            A::Own(i) => DefinedType::Own(self.resource_index(*i, offset)?),
            A::Borrow(i) => DefinedType::Borrow(self.resource_index(*i, offset)?),
            A::Stream(t) => {
                self.gate(
                    f.component_model_async,
                    offset,
                    "the `stream` type",
                    "component-model-async",
                )?;
                let t = self.opt_val(*t, offset)?;
                if let Some(t) = t {
                    if self.is_char(t) {
                        return Err(Error::invalid(
                            offset,
                            "`stream<char>` is not valid at this time",
                        ));
                    }
                    if self.types.contains_borrow(t) {
                        return Err(Error::invalid(
                            offset,
                            "stream payload cannot contain a `borrow` type",
                        ));
                    }
                }
                DefinedType::Stream(t)
            }
            A::Future(t) => {
                self.gate(
                    f.component_model_async,
                    offset,
                    "the `future` type",
                    "component-model-async",
                )?;
                let t = self.opt_val(*t, offset)?;
                if let Some(t) = t
                    && self.types.contains_borrow(t)
                {
                    return Err(Error::invalid(
                        offset,
                        "future payload cannot contain a `borrow` type",
                    ));
                }
                DefinedType::Future(t)
            }
        })
    }

    fn is_char(&self, t: ValType) -> bool {
        match t {
            ValType::Primitive(p) => p == PrimValType::Char,
            ValType::Defined(id) => matches!(
                self.types.defined(id),
                Some(DefinedType::Primitive(PrimValType::Char))
            ),
        }
    }

    /// `functype`: labelled, strongly-unique parameters; no `borrow` in the
    /// result.
    pub(crate) fn func_type(&mut self, f: &ast::FuncType, offset: usize) -> Result<FuncType> {
        if f.async_ {
            self.gate(
                self.features.component_model_async,
                offset,
                "`async` functions",
                "component-model-async",
            )?;
        }
        labels(
            f.params.iter().map(|(n, _)| n.as_str()),
            "function parameter",
            "parameter",
            offset,
        )?;
        let mut params = Vec::new();
        for (n, t) in &f.params {
            params.push((n.clone(), self.val_type(*t, offset)?));
        }
        let result = self.opt_val(f.result, offset)?;
        if let Some(r) = result
            && self.types.contains_borrow(r)
        {
            return Err(Error::invalid(
                offset,
                "function result cannot contain a `borrow` type",
            ));
        }
        Ok(FuncType {
            async_: f.async_,
            params,
            result,
        })
    }

    /// `deftype`: appends nothing; returns the new type's id.
    pub(crate) fn def_type(&mut self, t: &DefType, offset: usize) -> Result<TypeId> {
        let def = match t {
            DefType::Val(d) => {
                let d = self.def_val_type(d, offset)?;
                let id = self.types.push(TypeDef::Defined(d));
                let (size, _) = self.types.layout(ValType::Defined(id));
                if size >= MAX_ELEM_SIZE {
                    return Err(Error::invalid(
                        offset,
                        format!(
                            "type of size {size} bytes exceeds maximum byte size of {MAX_ELEM_SIZE}"
                        ),
                    ));
                }
                return Ok(id);
            }
            DefType::Resource { rep, dtor } => {
                if self.scope().kind != ScopeKind::Component {
                    return Err(Error::invalid(
                        offset,
                        "resources can only be defined within a concrete component",
                    ));
                }
                let rep_ok = match rep {
                    wasmparser::ValType::I32 => true,
                    wasmparser::ValType::I64 => self.features.component_model_memory64,
                    _ => false,
                };
                if !rep_ok {
                    return Err(Error::invalid(
                        offset,
                        "resources can only be represented by `i32`",
                    ));
                }
                if let Some(d) = dtor {
                    let f = get(&self.scope().core_funcs, *d, "func", offset)?;
                    if f.params() != [*rep] || !f.results().is_empty() {
                        return Err(Error::invalid(offset, "wrong signature for a destructor"));
                    }
                }
                let r = self.types.fresh_resource(ResourceInfo {
                    rep: Some(*rep),
                    defined_by: Some(self.scope().id),
                    alias_of: None,
                });
                TypeDef::Resource(r)
            }
            DefType::Func(f) => TypeDef::Func(self.func_type(f, offset)?),
            DefType::Component(decls) => TypeDef::Component(self.component_type(decls, offset)?),
            DefType::Instance(decls) => TypeDef::Instance(self.instance_type(decls, offset)?),
        };
        Ok(self.types.push(def))
    }

    fn instance_decl(&mut self, d: &InstanceDecl, offset: usize) -> Result<()> {
        match d {
            InstanceDecl::CoreType(t) => self.core_type(t, offset),
            InstanceDecl::Type(t) => {
                let t = self.def_type(t, offset)?;
                self.scope_mut().types.push(t);
                Ok(())
            }
            InstanceDecl::Alias(a) => self.alias(a, offset),
            InstanceDecl::Export(n, t) => self.export_decl(n, t, offset),
        }
    }

    /// `componenttype`: declarators in a fresh scope.
    fn component_type(&mut self, decls: &[ComponentDecl], offset: usize) -> Result<ComponentType> {
        self.push_scope(ScopeKind::ComponentType);
        let r = (|| {
            for d in decls {
                match d {
                    ComponentDecl::Import(n, t) => self.import(n, t, offset)?,
                    ComponentDecl::Instance(d) => self.instance_decl(d, offset)?,
                }
            }
            Ok(())
        })();
        let s = self.pop_scope();
        r?;
        Ok(ComponentType {
            imports: s.imports,
            exports: s.exports,
            imported_resources: s.imported_resources,
            defined_resources: s.defined_resources,
        })
    }

    /// `instancetype`: declarators in a fresh scope.
    fn instance_type(&mut self, decls: &[InstanceDecl], offset: usize) -> Result<InstanceType> {
        self.push_scope(ScopeKind::InstanceType);
        let r = (|| {
            for d in decls {
                self.instance_decl(d, offset)?;
            }
            Ok(())
        })();
        let s = self.pop_scope();
        r?;
        Ok(InstanceType {
            exports: s.exports,
            defined_resources: s.defined_resources,
        })
    }
}
