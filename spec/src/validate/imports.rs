//! Import and Export Definitions (Explainer.md "Import and Export
//! Definitions"; Binary.md "Import and Export Definitions"): `externtype`
//! resolution, name rules, annotated names, strong uniqueness, type
//! ascription and external visibility.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::names::{self, ExternName as Name};
use super::scope::get;
use super::{ScopeKind, Validator};
use crate::ast::{self, Export, ExternName, Sort, TypeBound};
use crate::error::{Error, Result};
use crate::types::{DefinedType, ExternType, ResourceId, ResourceInfo, TypeDef, ValType};

/// Which names `[constructor]`, `[method]` and `[static]` are checked
/// against: the imports or exports of the scope, or those of an instance
/// made of inline exports.
#[derive(Clone, Copy)]
pub(crate) enum NameCx<'a> {
    /// The scope's imports.
    Import,
    /// The scope's exports.
    Export,
    /// An instance's own exports.
    Local(&'a BTreeMap<ResourceId, Vec<String>>, &'a BTreeSet<String>),
}

impl<'a> NameCx<'a> {
    fn maps<'b>(
        self,
        s: &'b super::Scope,
    ) -> (&'b BTreeMap<ResourceId, Vec<String>>, &'b BTreeSet<String>)
    where
        'a: 'b,
    {
        match self {
            NameCx::Import => (&s.import_resource_names, &s.import_resource_labels),
            NameCx::Export => (&s.export_resource_names, &s.export_resource_labels),
            NameCx::Local(n, l) => (n, l),
        }
    }
}

/// Where an extern type is being introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Introduced {
    /// An `import` or `importdecl`.
    Import,
    /// An `exportdecl` in a component or instance type.
    ExportDecl,
    /// The ascribed type of a component's `export`.
    Ascription,
}

impl Validator {
    /// Resolves an `externtype` in the current scope. `(sub resource)` makes
    /// a fresh abstract resource and instance types get fresh copies of
    /// their abstract resources; those fresh resources are returned.
    pub(crate) fn extern_type(
        &mut self,
        t: &ast::ExternType,
        offset: usize,
    ) -> Result<(ExternType, Vec<ResourceId>)> {
        let mut fresh = Vec::new();
        let ty = |v: &Self, i: u32| get(&v.scope().types, i, "type", offset).copied();
        let e = match *t {
            ast::ExternType::CoreModule(i) => {
                match get(&self.scope().core_types, i, "type", offset)? {
                    super::CoreTypeEntry::Module(m) => ExternType::CoreModule(*m),
                    _ => {
                        return Err(Error::invalid(
                            offset,
                            format!("core type index {i} is not a module type"),
                        ));
                    }
                }
            }
            ast::ExternType::Func(i) => {
                let t = ty(self, i)?;
                if self.types.func(t).is_none() {
                    return Err(Error::invalid(
                        offset,
                        format!("type index {i} is not a function type"),
                    ));
                }
                ExternType::Func(t)
            }
            ast::ExternType::Value(v) => {
                self.gate(
                    self.features.component_model_values,
                    offset,
                    "value imports and exports",
                    "component-model-values",
                )?;
                ExternType::Value(self.val_type(v, offset)?)
            }
            ast::ExternType::Type(TypeBound::Eq(i)) => {
                let t = ty(self, i)?;
                let def = self.types.get(t).clone();
                if matches!(def, TypeDef::Module(_) | TypeDef::CoreInstance(_)) {
                    return Err(Error::invalid(
                        offset,
                        format!("type index {i} is not a defined type"),
                    ));
                }
                // A resource gets another name: the same type, a new index.
                let def = match def {
                    TypeDef::Resource(r) => TypeDef::Resource(self.types.alias_resource(r)),
                    def => def,
                };
                ExternType::Type(self.types.push_eq(t, def))
            }
            ast::ExternType::Type(TypeBound::SubResource) => {
                let r = self.types.fresh_resource(ResourceInfo {
                    rep: None,
                    defined_by: None,
                    alias_of: None,
                });
                fresh.push(r);
                ExternType::Type(self.types.push(TypeDef::Resource(r)))
            }
            ast::ExternType::Instance(i) => {
                let t = ty(self, i)?;
                let Some(it) = self.types.instance(t).cloned() else {
                    return Err(Error::invalid(
                        offset,
                        format!("type index {i} is not an instance type"),
                    ));
                };
                let mut map = crate::types::subst::Subst::new();
                self.types.freshen(&it.defined_resources, &mut map);
                fresh.extend(map.values().copied());
                let t = self.types.subst_type(t, &mut map);
                // The copy no longer binds the resources existentially.
                let t = match self.types.instance(t).cloned() {
                    Some(mut inst) if !inst.defined_resources.is_empty() => {
                        inst.defined_resources.clear();
                        self.types.push(TypeDef::Instance(inst))
                    }
                    _ => t,
                };
                ExternType::Instance(t)
            }
            ast::ExternType::Component(i) => {
                let t = ty(self, i)?;
                if self.types.component(t).is_none() {
                    return Err(Error::invalid(
                        offset,
                        format!("type index {i} is not a component type"),
                    ));
                }
                ExternType::Component(t)
            }
        };
        Ok((e, fresh))
    }

    /// Checks an `externname` with its attributes, for an item of sort
    /// `sort`; returns the parsed name.
    fn check_name<'a>(&self, n: &'a ExternName, sort: Sort, offset: usize) -> Result<Name<'a>> {
        let parsed =
            names::extern_name(&n.name, &self.features).map_err(|e| Error::invalid(offset, e))?;
        if let Some(imp) = &n.implements {
            self.gate(
                self.features.component_model_implements,
                offset,
                "`implements`",
                "component-model-implements",
            )?;
            if sort != Sort::Instance {
                return Err(Error::invalid(
                    offset,
                    "only instances can have an `implements`",
                ));
            }
            if !matches!(parsed, Name::Label(_)) {
                return Err(Error::invalid(
                    offset,
                    format!("name `{}` is not valid with `implements`", n.name),
                ));
            }
            if imp.is_empty() {
                return Err(Error::invalid(offset, "`` is not a valid name"));
            }
            match names::interface_name(imp, &self.features) {
                Ok(_) => {}
                Err(_) if !imp.contains(':') => {
                    return Err(Error::invalid(
                        offset,
                        format!("`{imp}` must be an interface name"),
                    ));
                }
                Err(e) => return Err(Error::invalid(offset, e)),
            }
        }
        if n.external_id.is_some() {
            self.gate(
                self.features.component_model_implements,
                offset,
                "`external-id`",
                "component-model-implements",
            )?;
        }
        if let Some(v) = &n.version_suffix {
            self.gate(
                self.features.component_model_canon_names,
                offset,
                "`versionsuffix`",
                "component-model-canon-names",
            )?;
            names::version_suffix(&parsed, v).map_err(|e| Error::invalid(offset, e))?;
        }
        Ok(parsed)
    }

    /// The name rules for an `inlineexport` of a component instance.
    pub(crate) fn inline_export_name(
        &self,
        e: &crate::ast::InlineExport,
        ty: &ExternType,
        names: &BTreeMap<ResourceId, Vec<String>>,
        labels: &BTreeSet<String>,
        offset: usize,
    ) -> Result<()> {
        let name = self.check_name(&e.name, e.sort, offset)?;
        self.annotated_name(
            &name,
            &e.name.name,
            ty,
            NameCx::Local(names, labels),
            offset,
        )
    }

    /// Strong uniqueness among the imports (or exports) of the scope.
    fn unique(&mut self, name: &str, import: bool, offset: usize) -> Result<()> {
        let canon = names::canonicalize(name);
        let s = self.scope_mut();
        let set = if import {
            &mut s.import_names
        } else {
            &mut s.export_names
        };
        if let Some(prev) = set.get(&canon) {
            let what = if import { "import" } else { "export" };
            return Err(Error::invalid(
                offset,
                format!("{what} name `{name}` conflicts with previous name `{prev}`"),
            ));
        }
        set.insert(canon, String::from(name));
        Ok(())
    }

    /// The resource behind `own`/`borrow` value type `t`.
    fn handle_resource(&self, t: ValType, own: bool) -> Option<ResourceId> {
        let ValType::Defined(id) = t else { return None };
        match (self.types.defined(id)?, own) {
            (DefinedType::Own(r), true) | (DefinedType::Borrow(r), false) => Some(*r),
            _ => None,
        }
    }

    /// Checks that resource `r` is named `expected` among the imports (or
    /// exports) of this scope.
    fn resource_named(
        &self,
        r: ResourceId,
        expected: &str,
        cx: NameCx<'_>,
        offset: usize,
    ) -> Result<()> {
        let (names, _) = cx.maps(self.scope());
        match names.get(&r) {
            Some(ns) if ns.iter().any(|n| n == expected) => Ok(()),
            Some(ns) => Err(Error::invalid(
                offset,
                format!(
                    "function does not match expected resource name `{}`",
                    ns.first().map(String::as_str).unwrap_or("")
                ),
            )),
            None => Err(Error::invalid(
                offset,
                "resource used in function does not have a name in this context",
            )),
        }
    }

    /// The rules for `[constructor]`, `[method]` and `[static]` names.
    fn annotated_name(
        &self,
        name: &Name<'_>,
        full: &str,
        e: &ExternType,
        cx: NameCx<'_>,
        offset: usize,
    ) -> Result<()> {
        if matches!(name, Name::Label(_) | Name::Interface { .. }) {
            return Ok(());
        }
        let ExternType::Func(f) = e else {
            return Err(Error::invalid(
                offset,
                format!("item `{full}` is not a func"),
            ));
        };
        let Some(f) = self.types.func(*f) else {
            return Err(Error::invalid(
                offset,
                format!("item `{full}` is not a func"),
            ));
        };
        match name {
            Name::Constructor(res) => {
                let Some(result) = f.result else {
                    return Err(Error::invalid(offset, "function should return one value"));
                };
                let r = self.handle_resource(result, true).or_else(|| {
                    let ValType::Defined(id) = result else {
                        return None;
                    };
                    match self.types.defined(id)? {
                        DefinedType::Result { ok: Some(ok), .. } => self.handle_resource(*ok, true),
                        _ => None,
                    }
                });
                let Some(r) = r else {
                    return Err(Error::invalid(
                        offset,
                        "function should return `(own $T)` or `(result (own $T))`",
                    ));
                };
                self.resource_named(r, res, cx, offset)
            }
            Name::Method(res, _) => {
                let Some((pname, pty)) = f.params.first() else {
                    return Err(Error::invalid(
                        offset,
                        "function should have at least one argument",
                    ));
                };
                if pname != "self" {
                    return Err(Error::invalid(
                        offset,
                        "function should have a first argument called `self`",
                    ));
                }
                let Some(r) = self.handle_resource(*pty, false) else {
                    return Err(Error::invalid(
                        offset,
                        "function should take a first argument of `(borrow $T)`",
                    ));
                };
                self.resource_named(r, res, cx, offset)
            }
            Name::Static(res, _) => {
                let (_, labels) = cx.maps(self.scope());
                if labels.contains(*res) {
                    Ok(())
                } else {
                    Err(Error::invalid(
                        offset,
                        "static resource name is not known in this context",
                    ))
                }
            }
            Name::Label(_) | Name::Interface { .. } => Ok(()),
        }
    }

    /// Records a type import/export's plain name for resources.
    fn name_resource(&mut self, name: &Name<'_>, e: &ExternType, import: bool) {
        if let (Name::Label(l), ExternType::Type(t)) = (name, e)
            && let Some(r) = self.types.resource_of(*t)
        {
            let s = self.scope_mut();
            let (names, labels) = if import {
                (&mut s.import_resource_names, &mut s.import_resource_labels)
            } else {
                (&mut s.export_resource_names, &mut s.export_resource_labels)
            };
            names.entry(r).or_default().push(String::from(*l));
            labels.insert(String::from(*l));
        }
    }

    /// `import` (in a component) and `importdecl` (in a component type).
    pub(crate) fn import(
        &mut self,
        n: &ExternName,
        t: &ast::ExternType,
        offset: usize,
    ) -> Result<()> {
        let name = self.check_name(n, t.sort(), offset)?;
        let (e, fresh) = self.extern_type(t, offset)?;
        self.unique(&n.name, true, offset)?;
        self.annotated_name(&name, &n.name, &e, NameCx::Import, offset)?;
        if !self.externally_visible(&e, true) {
            return Err(Error::invalid(
                offset,
                format!("{} not valid to be used as import", e.desc()),
            ));
        }
        if let ExternType::Type(id) = e {
            self.add_name(id, true);
        }
        self.name_resource(&name, &e, true);
        self.add_instance_names(&e, true);
        self.push_extern(e, true);
        let s = self.scope_mut();
        s.imported_resources.extend(fresh);
        s.imports.push((n.name.clone(), e));
        Ok(())
    }

    /// `exportdecl` in a component or instance type.
    pub(crate) fn export_decl(
        &mut self,
        n: &ExternName,
        t: &ast::ExternType,
        offset: usize,
    ) -> Result<()> {
        let name = self.check_name(n, t.sort(), offset)?;
        let (e, fresh) = self.extern_type(t, offset)?;
        self.unique(&n.name, false, offset)?;
        self.annotated_name(&name, &n.name, &e, NameCx::Export, offset)?;
        // Instance types defer the visibility rule until they are attached
        // to an import or export (the check then covers their exports).
        if self.scope().kind != ScopeKind::InstanceType && !self.externally_visible(&e, false) {
            return Err(Error::invalid(
                offset,
                format!("{} not valid to be used as export", e.desc()),
            ));
        }
        if let ExternType::Type(id) = e {
            self.add_name(id, false);
        }
        self.name_resource(&name, &e, false);
        self.add_instance_names(&e, false);
        self.push_extern(e, false);
        let s = self.scope_mut();
        s.defined_resources.extend(fresh);
        s.exports.push((n.name.clone(), e));
        Ok(())
    }

    /// The extern type of the definition `sort index` in the current scope.
    pub(crate) fn item_type(
        &mut self,
        sort: Sort,
        index: u32,
        offset: usize,
    ) -> Result<ExternType> {
        let s = self.scope();
        Ok(match sort {
            Sort::CoreModule => {
                ExternType::CoreModule(*get(&s.core_modules, index, "module", offset)?)
            }
            Sort::Func => ExternType::Func(*get(&s.funcs, index, "func", offset)?),
            Sort::Value => {
                let (v, consumed) = *get(&s.values, index, "value", offset)?;
                if consumed {
                    return Err(Error::invalid(
                        offset,
                        format!("cannot use value index {index} more than once"),
                    ));
                }
                if let Some(x) = self.scope_mut().values.get_mut(index as usize) {
                    x.1 = true;
                }
                ExternType::Value(v)
            }
            Sort::Type => ExternType::Type(*get(&s.types, index, "type", offset)?),
            Sort::Component => {
                ExternType::Component(*get(&s.components, index, "component", offset)?)
            }
            Sort::Instance => ExternType::Instance(*get(&s.instances, index, "instance", offset)?),
        })
    }

    /// `export` in a component: the inferred type, or the ascribed one
    /// (which must be a supertype); a new index aliasing the export.
    pub(crate) fn export(&mut self, x: &Export, offset: usize) -> Result<()> {
        debug_assert_eq!(self.scope().kind, ScopeKind::Component);
        let name = self.check_name(&x.name, x.sort, offset)?;
        let actual = self.item_type(x.sort, x.index, offset)?;
        let mut e = actual;
        if let Some(t) = &x.ty {
            if t.sort() != x.sort {
                return Err(Error::invalid(
                    offset,
                    "export type ascription has the wrong sort",
                ));
            }
            if let (ast::ExternType::Type(TypeBound::SubResource), ExternType::Type(a)) =
                (t, actual)
            {
                let Some(r) = self.types.resource_of(a) else {
                    return Err(Error::invalid(
                        offset,
                        "ascribed `(sub resource)` requires a resource type",
                    ));
                };
                // A `sub` bound hides the identity: from outside, this
                // export is a type of its own (Explainer.md "Type Checking").
                let fresh = self.types.fresh_abstract(r);
                e = ExternType::Type(self.types.push(TypeDef::Resource(fresh)));
            } else {
                let (asc, _) = self.extern_type(t, offset)?;
                self.types.extern_subtype(actual, asc).map_err(|m| {
                    Error::invalid(
                        offset,
                        format!("type mismatch in export `{}`: {m}", x.name.name),
                    )
                })?;
                e = asc;
            }
        }
        if let ExternType::Type(t) = e {
            // The export introduces a new type index with a visible name.
            let def = match self.types.get(t).clone() {
                TypeDef::Resource(r) => TypeDef::Resource(self.types.alias_resource(r)),
                def => def,
            };
            e = ExternType::Type(self.types.push_eq(t, def));
        }
        self.unique(&x.name.name, false, offset)?;
        self.annotated_name(&name, &x.name.name, &e, NameCx::Export, offset)?;
        if !self.externally_visible(&e, false) {
            return Err(Error::invalid(
                offset,
                format!("{} not valid to be used as export", e.desc()),
            ));
        }
        if let ExternType::Type(id) = e {
            self.add_name(id, false);
        }
        self.name_resource(&name, &e, false);
        self.add_instance_names(&e, false);
        self.push_extern(e, false);
        self.scope_mut().exports.push((x.name.name.clone(), e));
        Ok(())
    }
}
