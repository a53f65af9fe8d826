//! WIT.md "WIT Interfaces", "Item: func", "Item: resource": interface
//! bodies, functions and the functions of resources.

use super::attributes::{docs, excluded_error, external_id, stability};
use super::names::{define, not_found};
use super::types::{TypeItem, has_borrow};
use super::{Entry, PackageResolver};
use crate::wit::ast;
use crate::wit::error::{Rule, WitError, WitResult};
use crate::wit::map::OrderedMap;
use crate::wit::model::*;
use crate::wit::source::Span;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

impl<'r> PackageResolver<'r> {
    /// Resolves an interface body into `id`; returns whether it is
    /// included. `outer` is whether the context (a world, for inline
    /// interfaces) is included.
    pub(super) fn resolve_interface(
        &mut self,
        id: InterfaceId,
        items: &[ast::InterfaceItem],
        d: &ast::Docs,
        attrs: &[ast::Attribute],
        outer: bool,
    ) -> WitResult<bool> {
        self.resolve.interfaces[id].docs = docs(d);
        let stab = stability(attrs)?;
        let span = self.resolve.interfaces[id].span;
        let enabled = outer && self.enabled(&stab, span)?;
        self.resolve.interfaces[id].stability = stab;
        if !enabled {
            self.excluded_ifaces.insert(id);
        }
        let mut lookup = OrderedMap::new();
        let uses = items.iter().filter_map(|i| match i {
            ast::InterfaceItem::Use(u) => Some(TypeItem::Use(u)),
            ast::InterfaceItem::TypeDef(t) => Some(TypeItem::Def(t)),
            ast::InterfaceItem::Func(_) => None,
        });
        self.resolve_types(
            TypeOwner::Interface(id),
            uses.collect(),
            &mut lookup,
            enabled,
            "interface",
        )?;
        for (name, (e, _)) in lookup.iter() {
            if let Entry::Type(t) = e
                && !self.excluded_types.contains(t)
            {
                self.resolve.interfaces[id].types.insert(name.clone(), *t);
            }
        }
        let mut funcs = Vec::new();
        for item in items {
            match item {
                ast::InterfaceItem::Func(f) => {
                    define(&mut lookup, &f.name, Entry::Function)?;
                    let kind = if f.func.is_async {
                        FunctionKind::AsyncFreestanding
                    } else {
                        FunctionKind::Freestanding
                    };
                    funcs.push(self.resolve_function(
                        &f.docs,
                        &f.attributes,
                        &f.name.name,
                        f.name.span,
                        &f.func,
                        kind,
                        &lookup,
                    )?);
                }
                ast::InterfaceItem::TypeDef(ast::TypeDef {
                    name,
                    ty: ast::Type::Resource(_, rf),
                    ..
                }) => {
                    for f in rf {
                        funcs.push(self.resolve_resource_func(f, name, &lookup)?);
                    }
                }
                _ => {}
            }
        }
        for f in funcs {
            if enabled && self.enabled(&f.stability, f.span)? {
                self.check_function(&f)?;
                self.resolve.interfaces[id]
                    .functions
                    .insert(f.name.clone(), f);
            }
        }
        self.lookups.insert(id, lookup);
        Ok(enabled)
    }

    /// The checks on an included function (WIT.md "Handles", "Feature
    /// Gates").
    pub(super) fn check_function(&self, f: &Function) -> WitResult<()> {
        let mut bad = false;
        let mut types: Vec<Type> = f.params.iter().map(|(_, t)| *t).collect();
        types.extend(f.result);
        if let Some(r) = f.kind.resource() {
            types.push(Type::Id(r));
        }
        for t in &types {
            if let Type::Id(id) = t {
                if self.excluded_types.contains(id) {
                    bad = true;
                }
                if self.resolve.types[*id].name.is_none() {
                    self.visit_kind(&self.resolve.types[*id].kind, &mut |x| {
                        if self.excluded_types.contains(&x) {
                            bad = true;
                        }
                    });
                }
            }
        }
        if bad {
            return Err(excluded_error("type", f.span));
        }
        if let Some(r) = f.result
            && has_borrow(self.resolve, r)
        {
            return Err(WitError::new(
                Rule::Type,
                f.span,
                format!(
                    "function `{}` returns a type which contains a `borrow<T>` which is not supported",
                    f.name
                ),
            ));
        }
        Ok(())
    }

    pub(super) fn resolve_resource_func(
        &mut self,
        f: &ast::ResourceFunc,
        resource: &ast::Id,
        lookup: &OrderedMap<String, (Entry, Span)>,
    ) -> WitResult<Function> {
        let Some((Entry::Type(rid), _)) = lookup.get(&resource.name) else {
            return Err(not_found("name", resource, None));
        };
        let rid = *rid;
        let nf = f.func();
        let is_async = nf.func.is_async;
        let (name, kind) = match f {
            ast::ResourceFunc::Method(f) => (
                format!("[method]{}.{}", resource.name, f.name.name),
                if is_async {
                    FunctionKind::AsyncMethod(rid)
                } else {
                    FunctionKind::Method(rid)
                },
            ),
            ast::ResourceFunc::Static(f) => (
                format!("[static]{}.{}", resource.name, f.name.name),
                if is_async {
                    FunctionKind::AsyncStatic(rid)
                } else {
                    FunctionKind::Static(rid)
                },
            ),
            ast::ResourceFunc::Constructor(_) => (
                format!("[constructor]{}", resource.name),
                FunctionKind::Constructor(rid),
            ),
        };
        self.resolve_function(
            &nf.docs,
            &nf.attributes,
            &name,
            nf.name.span,
            &nf.func,
            kind,
            lookup,
        )
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn resolve_function(
        &mut self,
        d: &ast::Docs,
        attrs: &[ast::Attribute],
        name: &str,
        span: Span,
        func: &ast::Func,
        kind: FunctionKind,
        lookup: &OrderedMap<String, (Entry, Span)>,
    ) -> WitResult<Function> {
        let stab = stability(attrs)?;
        let ext = external_id(attrs)?;
        let mut params: Vec<(String, Type)> = Vec::new();
        if let FunctionKind::Method(r) | FunctionKind::AsyncMethod(r) = kind {
            let borrow = TypeDefKind::Handle(Handle::Borrow(r));
            let t = self.alloc_type(TypeDef::anonymous(borrow, func.span));
            params.push((String::from("self"), Type::Id(t)));
        }
        for (pname, pty) in &func.params {
            if params.iter().any(|(n, _)| *n == pname.name) {
                return Err(WitError::new(
                    Rule::Duplicate,
                    pname.span,
                    format!("param `{}` is defined more than once", pname.name),
                ));
            }
            let t = self.resolve_type(pty, lookup)?;
            params.push((pname.name.clone(), t));
        }
        let result = match (&func.result, kind) {
            (None, FunctionKind::Constructor(r)) => Some(Type::Id(r)),
            (None, _) => None,
            (Some(t), FunctionKind::Constructor(r)) => {
                let res = self.resolve_type(t, lookup)?;
                let ok = match res {
                    Type::Id(id) => match &self.resolve.types[id].kind {
                        TypeDefKind::Result(ok, _) => Some(*ok),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(ok) = ok else {
                    return Err(WitError::new(
                        Rule::Type,
                        t.span(),
                        "if a constructor return type is declared it must be a `result`",
                    ));
                };
                if ok != Some(Type::Id(r)) {
                    let ok_span = match t {
                        ast::Type::Result(_, Some(ok), _) => ok.span(),
                        _ => t.span(),
                    };
                    return Err(WitError::new(
                        Rule::Type,
                        ok_span,
                        "the `ok` type must be the resource being constructed",
                    ));
                }
                Some(res)
            }
            (Some(t), _) => Some(self.resolve_type(t, lookup)?),
        };
        Ok(Function {
            name: name.to_string(),
            kind,
            params,
            result,
            docs: docs(d),
            stability: stab,
            external_id: ext,
            span,
        })
    }
}
