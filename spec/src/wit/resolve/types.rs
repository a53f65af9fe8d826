//! WIT.md "WIT Types", "Handles": the type definitions of an interface or
//! world in dependency order (types cannot be recursive), anonymous types,
//! and the checks on what they refer to.

use super::attributes::{docs, excluded_error, external_id, stability, ungated_in_excluded_error};
use super::names::define;
use super::{Entry, PackageResolver};
use crate::wit::ast;
use crate::wit::error::{Rule, WitError, WitResult};
use crate::wit::map::OrderedMap;
use crate::wit::model::*;
use crate::wit::source::Span;
use crate::wit::toposort::toposort;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

pub(super) enum TypeItem<'a> {
    Use(&'a ast::Use),
    Def(&'a ast::TypeDef),
}

/// Names a type definition depends on (for "types cannot be recursive").
fn collect_deps(ty: &ast::Type, deps: &mut Vec<ast::Id>) {
    use ast::Type as A;
    match ty {
        A::Name(id) | A::Own(id) | A::Borrow(id) => deps.push(id.clone()),
        A::Record(_, fields) => fields.iter().for_each(|f| collect_deps(&f.ty, deps)),
        A::Tuple(_, ts) => ts.iter().for_each(|t| collect_deps(t, deps)),
        A::Variant(_, cases) => cases
            .iter()
            .filter_map(|c| c.ty.as_ref())
            .for_each(|t| collect_deps(t, deps)),
        A::Option(_, t) | A::List(_, t) | A::FixedList(_, t, _) => collect_deps(t, deps),
        A::Map(_, k, v) => {
            collect_deps(k, deps);
            collect_deps(v, deps);
        }
        A::Result(_, ok, err) => {
            if let Some(t) = ok {
                collect_deps(t, deps);
            }
            if let Some(t) = err {
                collect_deps(t, deps);
            }
        }
        A::Future(_, t) | A::Stream(_, t) => {
            if let Some(t) = t {
                collect_deps(t, deps);
            }
        }
        _ => {}
    }
}

/// The types directly inside `kind`.
pub fn kind_types(kind: &TypeDefKind, out: &mut Vec<Type>) {
    match kind {
        TypeDefKind::Record(fields) => out.extend(fields.iter().map(|f| f.ty)),
        TypeDefKind::Tuple(ts) => out.extend(ts.iter().copied()),
        TypeDefKind::Variant(cases) => out.extend(cases.iter().filter_map(|c| c.ty)),
        TypeDefKind::Option(t)
        | TypeDefKind::List(t)
        | TypeDefKind::FixedList(t, _)
        | TypeDefKind::Type(t) => out.push(*t),
        TypeDefKind::Map(k, v) => {
            out.push(*k);
            out.push(*v);
        }
        TypeDefKind::Result(ok, err) => out.extend(ok.iter().chain(err.iter()).copied()),
        TypeDefKind::Future(t) | TypeDefKind::Stream(t) => out.extend(t.iter().copied()),
        TypeDefKind::Handle(Handle::Own(r) | Handle::Borrow(r)) => out.push(Type::Id(*r)),
        TypeDefKind::Resource
        | TypeDefKind::Flags(_)
        | TypeDefKind::Enum(_)
        | TypeDefKind::Unknown => {}
    }
}

/// Whether `ty` contains a `borrow` (not allowed in results).
pub fn has_borrow(resolve: &Resolve, ty: Type) -> bool {
    let mut stack = alloc::vec![ty];
    let mut seen = BTreeSet::new();
    while let Some(t) = stack.pop() {
        let Type::Id(id) = t else { continue };
        if !seen.insert(id) {
            continue;
        }
        match &resolve.types[id].kind {
            TypeDefKind::Handle(Handle::Borrow(_)) => return true,
            TypeDefKind::Handle(Handle::Own(_)) | TypeDefKind::Resource => {}
            k => kind_types(k, &mut stack),
        }
    }
    false
}

impl<'r> PackageResolver<'r> {
    pub(super) fn resolve_types(
        &mut self,
        owner: TypeOwner,
        items: Vec<TypeItem<'_>>,
        lookup: &mut OrderedMap<String, (Entry, Span)>,
        enabled: bool,
        owner_kind: &str,
    ) -> WitResult<()> {
        for item in &items {
            if let TypeItem::Use(u) = item {
                self.resolve_use(owner, u, lookup, enabled, owner_kind)?;
            }
        }
        let mut deps: OrderedMap<String, Vec<ast::Id>> = OrderedMap::new();
        let mut defs: BTreeMap<String, Option<&ast::TypeDef>> = BTreeMap::new();
        for item in &items {
            match item {
                TypeItem::Def(t) => {
                    if defs.insert(t.name.name.clone(), Some(t)).is_some() {
                        return Err(WitError::new(
                            Rule::Duplicate,
                            t.name.span,
                            format!("name `{}` is defined more than once", t.name.name),
                        ));
                    }
                    let mut d = Vec::new();
                    collect_deps(&t.ty, &mut d);
                    deps.insert(t.name.name.clone(), d);
                }
                TypeItem::Use(u) => {
                    for (n, as_) in &u.names {
                        let n = as_.as_ref().unwrap_or(n);
                        deps.insert(n.name.clone(), Vec::new());
                        defs.insert(n.name.clone(), None);
                    }
                }
            }
        }
        let order = toposort("type", &deps).map_err(|mut e| {
            if e.message == "type `float32` does not exist"
                || e.message == "type `float64` does not exist"
            {
                e.message
                    .push_str(" (the `float32`/`float64` types have been renamed to `f32`/`f64`)");
            }
            e
        })?;
        for name in order {
            let Some(Some(def)) = defs.remove(&name) else {
                continue;
            };
            let stab = stability(&def.attributes)?;
            let ext = external_id(&def.attributes)?;
            let kind = self.resolve_type_def(&def.ty, lookup)?;
            let span = def.name.span;
            let own_enabled = self.enabled(&stab, span)?;
            let id = self.alloc_type(TypeDef {
                name: Some(def.name.name.clone()),
                kind,
                owner,
                docs: docs(&def.docs),
                stability: stab,
                external_id: ext,
                span,
            });
            if !(enabled && own_enabled) {
                self.excluded_types.insert(id);
            }
            if !enabled && own_enabled {
                return Err(ungated_in_excluded_error(owner_kind, span));
            }
            if enabled && own_enabled {
                if let (ast::Type::Record(_, fields), TypeDefKind::Record(rf)) =
                    (&def.ty, &self.resolve.types[id].kind)
                {
                    for (af, f) in fields.iter().zip(rf.clone()) {
                        self.check_kind_refs(&TypeDefKind::Type(f.ty), af.name.span)?;
                    }
                }
                self.check_kind_refs(&self.resolve.types[id].kind.clone(), span)?;
            }
            define(lookup, &def.name, Entry::Type(id))?;
        }
        Ok(())
    }

    /// Errors if `kind` refers to an excluded type.
    fn check_kind_refs(&self, kind: &TypeDefKind, span: Span) -> WitResult<()> {
        let mut bad = false;
        self.visit_kind(kind, &mut |t| {
            if self.excluded_types.contains(&t) {
                bad = true;
            }
        });
        if bad {
            Err(excluded_error("type", span))
        } else {
            Ok(())
        }
    }

    /// Calls `f` on every type id `kind` refers to, looking through
    /// anonymous types.
    pub(super) fn visit_kind(&self, kind: &TypeDefKind, f: &mut dyn FnMut(TypeId)) {
        let mut stack: Vec<Type> = Vec::new();
        kind_types(kind, &mut stack);
        let mut steps = 0usize;
        while let Some(t) = stack.pop() {
            steps += 1;
            if steps > 100_000 {
                break;
            }
            let Type::Id(id) = t else { continue };
            f(id);
            let def = &self.resolve.types[id];
            if def.name.is_none() {
                kind_types(&def.kind, &mut stack);
            }
        }
    }

    fn resolve_type_def(
        &mut self,
        ty: &ast::Type,
        lookup: &OrderedMap<String, (Entry, Span)>,
    ) -> WitResult<TypeDefKind> {
        use ast::Type as A;
        Ok(match ty {
            A::Bool(_) => TypeDefKind::Type(Type::Bool),
            A::U8(_) => TypeDefKind::Type(Type::U8),
            A::U16(_) => TypeDefKind::Type(Type::U16),
            A::U32(_) => TypeDefKind::Type(Type::U32),
            A::U64(_) => TypeDefKind::Type(Type::U64),
            A::S8(_) => TypeDefKind::Type(Type::S8),
            A::S16(_) => TypeDefKind::Type(Type::S16),
            A::S32(_) => TypeDefKind::Type(Type::S32),
            A::S64(_) => TypeDefKind::Type(Type::S64),
            A::F32(_) => TypeDefKind::Type(Type::F32),
            A::F64(_) => TypeDefKind::Type(Type::F64),
            A::Char(_) => TypeDefKind::Type(Type::Char),
            A::String(_) => TypeDefKind::Type(Type::String),
            A::ErrorContext(_) => TypeDefKind::Type(Type::ErrorContext),
            A::Name(id) => TypeDefKind::Type(Type::Id(self.type_name(id, lookup)?)),
            A::List(_, t) => TypeDefKind::List(self.resolve_type(t, lookup)?),
            A::FixedList(_, t, n) => TypeDefKind::FixedList(self.resolve_type(t, lookup)?, *n),
            A::Map(span, k, v) => {
                let k = self.resolve_type(k, lookup)?;
                let v = self.resolve_type(v, lookup)?;
                if !matches!(
                    k,
                    Type::Bool
                        | Type::U8
                        | Type::U16
                        | Type::U32
                        | Type::U64
                        | Type::S8
                        | Type::S16
                        | Type::S32
                        | Type::S64
                        | Type::Char
                        | Type::String
                ) {
                    return Err(WitError::new(
                        Rule::Type,
                        *span,
                        "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string",
                    ));
                }
                TypeDefKind::Map(k, v)
            }
            A::Own(id) => TypeDefKind::Handle(Handle::Own(self.validate_resource(id, lookup)?)),
            A::Borrow(id) => {
                TypeDefKind::Handle(Handle::Borrow(self.validate_resource(id, lookup)?))
            }
            A::Resource(_, funcs) => {
                let mut ctors = 0;
                let mut names = BTreeSet::new();
                for f in funcs {
                    match f {
                        ast::ResourceFunc::Method(f) | ast::ResourceFunc::Static(f) => {
                            if !names.insert(f.name.name.clone()) {
                                return Err(WitError::new(
                                    Rule::Duplicate,
                                    f.name.span,
                                    format!("duplicate function name `{}`", f.name.name),
                                ));
                            }
                        }
                        ast::ResourceFunc::Constructor(f) => {
                            ctors += 1;
                            if ctors > 1 {
                                return Err(WitError::new(
                                    Rule::Duplicate,
                                    f.name.span,
                                    "duplicate constructors",
                                ));
                            }
                        }
                    }
                }
                TypeDefKind::Resource
            }
            A::Record(_, fields) => {
                let mut out = Vec::new();
                for f in fields {
                    out.push(Field {
                        name: f.name.name.clone(),
                        ty: self.resolve_type(&f.ty, lookup)?,
                        docs: docs(&f.docs),
                    });
                }
                TypeDefKind::Record(out)
            }
            A::Flags(_, flags) => TypeDefKind::Flags(
                flags
                    .iter()
                    .map(|f| Named {
                        name: f.name.name.clone(),
                        docs: docs(&f.docs),
                    })
                    .collect(),
            ),
            A::Tuple(_, types) => {
                let mut out = Vec::new();
                for t in types {
                    out.push(self.resolve_type(t, lookup)?);
                }
                TypeDefKind::Tuple(out)
            }
            A::Variant(span, cases) => {
                if cases.is_empty() {
                    return Err(WitError::new(Rule::Syntax, *span, "empty variant"));
                }
                let mut out = Vec::new();
                for c in cases {
                    out.push(Case {
                        name: c.name.name.clone(),
                        ty: match &c.ty {
                            Some(t) => Some(self.resolve_type(t, lookup)?),
                            None => None,
                        },
                        docs: docs(&c.docs),
                    });
                }
                TypeDefKind::Variant(out)
            }
            A::Enum(span, cases) => {
                if cases.is_empty() {
                    return Err(WitError::new(Rule::Syntax, *span, "empty enum"));
                }
                TypeDefKind::Enum(
                    cases
                        .iter()
                        .map(|f| Named {
                            name: f.name.name.clone(),
                            docs: docs(&f.docs),
                        })
                        .collect(),
                )
            }
            A::Option(_, t) => TypeDefKind::Option(self.resolve_type(t, lookup)?),
            A::Result(_, ok, err) => TypeDefKind::Result(
                match ok {
                    Some(t) => Some(self.resolve_type(t, lookup)?),
                    None => None,
                },
                match err {
                    Some(t) => Some(self.resolve_type(t, lookup)?),
                    None => None,
                },
            ),
            A::Future(_, t) => TypeDefKind::Future(match t {
                Some(t) => Some(self.resolve_type(t, lookup)?),
                None => None,
            }),
            A::Stream(_, t) => TypeDefKind::Stream(match t {
                Some(t) => Some(self.resolve_type(t, lookup)?),
                None => None,
            }),
        })
    }

    /// An anonymous type (a `ty` in a position other than a definition).
    pub(super) fn resolve_type(
        &mut self,
        ty: &ast::Type,
        lookup: &OrderedMap<String, (Entry, Span)>,
    ) -> WitResult<Type> {
        let kind = self.resolve_type_def(ty, lookup)?;
        Ok(match kind {
            TypeDefKind::Type(t) => t,
            TypeDefKind::Handle(Handle::Own(r)) => Type::Id(r),
            kind => Type::Id(self.alloc_type(TypeDef::anonymous(kind, ty.span()))),
        })
    }

    fn validate_resource(
        &self,
        id: &ast::Id,
        lookup: &OrderedMap<String, (Entry, Span)>,
    ) -> WitResult<TypeId> {
        let t = self.type_name(id, lookup)?;
        let r = self.resolve.resolve_alias(t);
        match self.resolve.types[r].kind {
            TypeDefKind::Resource | TypeDefKind::Unknown => Ok(t),
            _ => Err(WitError::new(
                Rule::Type,
                id.span,
                format!("type `{}` used in a handle must be a resource", id.name),
            )),
        }
    }
}
