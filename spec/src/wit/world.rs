//! WIT.md "WIT Worlds", "Union of Worlds with `include`", "De-duplication
//! of interfaces", "Name Conflicts and `with`" and "Transitive imports and
//! worlds": applying `include`s and elaborating a world so that every
//! interface its items depend on is imported (or exported) too.

use super::error::{Rule, WitError, WitResult};
use super::map::OrderedMap;
use super::model::*;
use super::resolve::include_stability;
use super::source::Span;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// `with { a as b }` renaming of a world item name, including the names of
/// resource functions (`[method]a.f` becomes `[method]b.f`).
fn rename(original: &str, names: &[(String, String)]) -> Option<String> {
    for (from, to) in names {
        if original == from {
            return Some(to.clone());
        }
        if let Some((kind, rest)) = original.split_once(']') {
            match rest.split_once('.') {
                Some((n, rest)) if n == from => return Some(format!("{kind}]{to}.{rest}")),
                _ if rest == from => return Some(format!("{kind}]{to}")),
                _ => {}
            }
        }
    }
    None
}

/// Applies the `include`s recorded on world `id` of package `pkg`, then
/// checks that names are unique regardless of case.
///
/// # Errors
/// A `with` name that names nothing, an included name that shadows an
/// existing one, gate conflicts, case-insensitive duplicates.
pub fn process_includes(resolve: &mut Resolve, id: WorldId, pkg: PackageId) -> WitResult<()> {
    let includes = core::mem::take(&mut resolve.worlds[id].includes);
    for inc in includes {
        if !include_stability(resolve, &inc.stability, pkg, inc.span)? {
            continue;
        }
        include(resolve, id, &inc)?;
    }
    let w = &resolve.worlds[id];
    for (items, desc) in [(&w.imports, "import"), (&w.exports, "export")] {
        let mut seen: BTreeMap<String, &String> = BTreeMap::new();
        for key in items.keys() {
            let WorldKey::Name(name) = key else { continue };
            let lower = name.to_lowercase();
            if let Some(prev) = seen.get(&lower)
                && *prev != name
            {
                return Err(WitError::new(
                    Rule::Duplicate,
                    w.span,
                    format!(
                        "{desc} `{name}` in world `{}` conflicts with {desc} `{prev}` (kebab-case identifiers are case-insensitive)",
                        w.name
                    ),
                ));
            }
            seen.insert(lower, name);
        }
    }
    Ok(())
}

fn include(resolve: &mut Resolve, id: WorldId, inc: &WorldInclude) -> WitResult<()> {
    let from = resolve.worlds[inc.id].clone();
    let external = resolve.worlds[id].package != from.package;
    let mut unused: Vec<&(String, String)> = inc.names.iter().collect();
    for key in from.imports.keys().chain(from.exports.keys()) {
        if let WorldKey::Name(n) = key {
            unused.retain(|pair| rename(n, core::slice::from_ref(*pair)).is_none());
        }
    }
    if let Some((name, _)) = unused.first() {
        return Err(WitError::new(
            Rule::World,
            inc.span,
            format!(
                "no import or export kebab-name `{name}`. Note that an ID does not support renaming"
            ),
        ));
    }
    let mut cloner = Cloner {
        map: BTreeMap::new(),
        from: TypeOwner::World(inc.id),
        to: TypeOwner::World(id),
    };
    for (is_import, items) in [(true, &from.imports), (false, &from.exports)] {
        let desc = if is_import { "import" } else { "export" };
        for (key, item) in items.iter() {
            match key {
                WorldKey::Name(n) => {
                    let n = rename(n, &inc.names).unwrap_or_else(|| n.clone());
                    let mut item = item.clone();
                    match &mut item {
                        WorldItem::Type { id: t, .. } => {
                            *t = cloner.type_id(resolve, *t);
                            resolve.types[*t].name = Some(n.clone());
                        }
                        WorldItem::Function(f) => {
                            cloner.function(resolve, f);
                            f.name = n.clone();
                        }
                        WorldItem::Interface { .. } => {}
                    }
                    let w = &mut resolve.worlds[id];
                    let dst = if is_import {
                        &mut w.imports
                    } else {
                        &mut w.exports
                    };
                    if dst.insert(WorldKey::Name(n.clone()), item).is_some() {
                        return Err(WitError::new(
                            Rule::World,
                            inc.span,
                            format!("{desc} of `{n}` shadows previously {desc}ed items"),
                        ));
                    }
                }
                WorldKey::Interface(_) => {
                    let w = &mut resolve.worlds[id];
                    let dst = if is_import {
                        &mut w.imports
                    } else {
                        &mut w.exports
                    };
                    if !dst.contains_key(key) {
                        dst.insert(key.clone(), item.clone());
                    }
                    if let (
                        Some(WorldItem::Interface {
                            stability: into, ..
                        }),
                        WorldItem::Interface {
                            stability: from_stab,
                            span,
                            ..
                        },
                    ) = (dst.get_mut(key), item)
                    {
                        merge_include_stability(from_stab, into, external, *span)?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn merge_include_stability(
    from: &Stability,
    into: &mut Stability,
    external: bool,
    span: Span,
) -> WitResult<()> {
    if external && matches!(from, Stability::Stable { .. }) {
        *into = Stability::Unknown;
        return Ok(());
    }
    if from == into || *from == Stability::Unknown {
        return Ok(());
    }
    if *into == Stability::Unknown {
        *into = from.clone();
        return Ok(());
    }
    Err(WitError::new(
        Rule::Gate,
        span,
        "mismatch in stability from included world and the including world",
    ))
}

/// Copies the types of one world into another, so the copies are owned by
/// the including world.
struct Cloner {
    map: BTreeMap<TypeId, TypeId>,
    from: TypeOwner,
    to: TypeOwner,
}

impl Cloner {
    fn type_id(&mut self, resolve: &mut Resolve, t: TypeId) -> TypeId {
        if let Some(&n) = self.map.get(&t) {
            return n;
        }
        let mut def = resolve.types[t].clone();
        if def.owner != TypeOwner::None {
            def.owner = self.to;
        }
        let mut kind = def.kind.clone();
        match &mut kind {
            TypeDefKind::Type(Type::Id(x)) => {
                if resolve.types[*x].owner == self.from {
                    *x = self.type_id(resolve, *x);
                } else if let Some(&n) = self.map.get(x) {
                    *x = n;
                }
            }
            TypeDefKind::Handle(Handle::Own(x) | Handle::Borrow(x)) => {
                *x = self.type_id(resolve, *x)
            }
            k => {
                let mut tys = Vec::new();
                super::resolve::kind_types(k, &mut tys);
                let mapped: Vec<Type> = tys.iter().map(|t| self.ty(resolve, *t)).collect();
                replace_types(k, &mapped);
            }
        }
        def.kind = kind;
        resolve.types.push(def);
        let n = resolve.types.len() - 1;
        self.map.insert(t, n);
        n
    }

    fn ty(&mut self, resolve: &mut Resolve, t: Type) -> Type {
        match t {
            Type::Id(id) => Type::Id(self.type_id(resolve, id)),
            t => t,
        }
    }

    fn function(&mut self, resolve: &mut Resolve, f: &mut Function) {
        f.kind = match f.kind {
            FunctionKind::Method(r) => FunctionKind::Method(self.type_id(resolve, r)),
            FunctionKind::AsyncMethod(r) => FunctionKind::AsyncMethod(self.type_id(resolve, r)),
            FunctionKind::Static(r) => FunctionKind::Static(self.type_id(resolve, r)),
            FunctionKind::AsyncStatic(r) => FunctionKind::AsyncStatic(self.type_id(resolve, r)),
            FunctionKind::Constructor(r) => FunctionKind::Constructor(self.type_id(resolve, r)),
            k => k,
        };
        for (_, t) in f.params.iter_mut() {
            *t = self.ty(resolve, *t);
        }
        if let Some(t) = f.result {
            f.result = Some(self.ty(resolve, t));
        }
    }
}

/// Replaces the types directly inside `kind`, in [`kind_types`] order.
///
/// [`kind_types`]: super::resolve::kind_types
fn replace_types(kind: &mut TypeDefKind, new: &[Type]) {
    let mut it = new.iter().copied();
    let mut next = |t: &mut Type| {
        if let Some(n) = it.next() {
            *t = n;
        }
    };
    match kind {
        TypeDefKind::Record(fields) => fields.iter_mut().for_each(|f| next(&mut f.ty)),
        TypeDefKind::Tuple(ts) => ts.iter_mut().for_each(&mut next),
        TypeDefKind::Variant(cases) => cases
            .iter_mut()
            .filter_map(|c| c.ty.as_mut())
            .for_each(&mut next),
        TypeDefKind::Option(t)
        | TypeDefKind::List(t)
        | TypeDefKind::FixedList(t, _)
        | TypeDefKind::Type(t) => next(t),
        TypeDefKind::Map(k, v) => {
            next(k);
            next(v);
        }
        TypeDefKind::Result(ok, err) => {
            if let Some(t) = ok {
                next(t);
            }
            if let Some(t) = err {
                next(t);
            }
        }
        TypeDefKind::Future(t) | TypeDefKind::Stream(t) => {
            if let Some(t) = t {
                next(t);
            }
        }
        _ => {}
    }
}

fn sort_key(resolve: &Resolve, item: &WorldItem) -> u8 {
    match item {
        WorldItem::Interface { .. } => 0,
        WorldItem::Type { id, .. } => {
            let ty = &resolve.types[*id];
            match ty.kind {
                TypeDefKind::Type(Type::Id(t)) if resolve.types[t].owner != ty.owner => 1,
                _ => 2,
            }
        }
        WorldItem::Function(f) => {
            if f.kind.resource().is_none() {
                3
            } else {
                4
            }
        }
    }
}

fn elaborate_import(
    resolve: &Resolve,
    imports: &mut OrderedMap<WorldKey, WorldItem>,
    key: WorldKey,
    id: InterfaceId,
    stability: &Stability,
    docs: &Docs,
    external_id: Option<String>,
    depth: usize,
) {
    if imports.contains_key(&key) || depth > resolve.interfaces.len() + 1 {
        return;
    }
    for dep in resolve.interface_direct_deps(id) {
        elaborate_import(
            resolve,
            imports,
            WorldKey::Interface(dep),
            dep,
            stability,
            &Docs::default(),
            None,
            depth + 1,
        );
    }
    imports.insert(
        key,
        WorldItem::Interface {
            id,
            stability: stability.clone(),
            docs: docs.clone(),
            external_id,
            span: Span::default(),
        },
    );
}

/// Elaborates world `id`: imports every interface its imports and types
/// depend on, and every interface its exports depend on that it does not
/// export itself; orders imports interfaces first, then types, then
/// functions.
///
/// # Errors
/// An exported interface that depends on an interface both imported and
/// exported.
pub fn elaborate(resolve: &mut Resolve, id: WorldId) -> WitResult<()> {
    let world = &resolve.worlds[id];
    let span = world.span;
    let mut new_imports: OrderedMap<WorldKey, WorldItem> = OrderedMap::new();
    let mut imports: Vec<(&WorldKey, &WorldItem)> = world.imports.iter().collect();
    imports.sort_by_key(|(_, item)| sort_key(resolve, item));
    for (name, item) in imports {
        match item {
            WorldItem::Interface {
                id,
                stability,
                docs,
                external_id,
                ..
            } => elaborate_import(
                resolve,
                &mut new_imports,
                name.clone(),
                *id,
                stability,
                docs,
                external_id.clone(),
                0,
            ),
            WorldItem::Function(_) => {
                new_imports.insert(name.clone(), item.clone());
            }
            WorldItem::Type { id: t, .. } => {
                if let Some(dep) = resolve.type_interface_dep(*t) {
                    elaborate_import(
                        resolve,
                        &mut new_imports,
                        WorldKey::Interface(dep),
                        dep,
                        &resolve.types[*t].stability,
                        &Docs::default(),
                        None,
                        0,
                    );
                }
                new_imports.insert(name.clone(), item.clone());
            }
        }
    }
    let mut new_exports: OrderedMap<WorldKey, WorldItem> = OrderedMap::new();
    let mut export_ifaces: OrderedMap<WorldKey, WorldItem> = OrderedMap::new();
    for (name, item) in world.exports.iter() {
        match item {
            WorldItem::Interface { .. } => {
                export_ifaces.insert(name.clone(), item.clone());
            }
            _ => {
                new_exports.insert(name.clone(), item.clone());
            }
        }
    }
    let mut required = BTreeSet::new();
    for (key, item) in export_ifaces.iter() {
        let ok = add_export(
            resolve,
            &mut new_imports,
            &mut new_exports,
            &export_ifaces,
            &mut required,
            key.clone(),
            item.clone(),
            true,
            0,
        );
        if !ok {
            let name = match key {
                WorldKey::Name(n) => n.clone(),
                WorldKey::Interface(i) => resolve.id_of(*i).unwrap_or_default(),
            };
            return Err(WitError::new(
                Rule::World,
                span,
                format!(
                    "interface `{name}` transitively depends on an interface in incompatible ways"
                ),
            ));
        }
    }
    new_imports.sort_by_key(|_, item| sort_key(resolve, item));
    let w = &mut resolve.worlds[id];
    w.imports = new_imports;
    w.exports = new_exports;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn add_export(
    resolve: &Resolve,
    imports: &mut OrderedMap<WorldKey, WorldItem>,
    exports: &mut OrderedMap<WorldKey, WorldItem>,
    export_ifaces: &OrderedMap<WorldKey, WorldItem>,
    required: &mut BTreeSet<InterfaceId>,
    key: WorldKey,
    item: WorldItem,
    add: bool,
    depth: usize,
) -> bool {
    if exports.contains_key(&key) {
        return add;
    }
    if depth > resolve.interfaces.len() + 1 {
        return false;
    }
    let WorldItem::Interface {
        id,
        stability,
        external_id,
        ..
    } = &item
    else {
        return true;
    };
    let id = *id;
    if !add && required.contains(&id) {
        return true;
    }
    for dep in resolve.interface_direct_deps(id) {
        let dep_item = WorldItem::Interface {
            id: dep,
            stability: stability.clone(),
            docs: Docs::default(),
            external_id: external_id.clone(),
            span: Span::default(),
        };
        let dkey = WorldKey::Interface(dep);
        let dadd = add && export_ifaces.contains_key(&dkey);
        if !add_export(
            resolve,
            imports,
            exports,
            export_ifaces,
            required,
            dkey,
            dep_item,
            dadd,
            depth + 1,
        ) {
            return false;
        }
    }
    if add {
        if required.contains(&id) {
            return false;
        }
        exports.insert(key, item);
    } else {
        required.insert(id);
        if !imports.contains_key(&key) {
            imports.insert(key, item);
        }
    }
    true
}

/// The name of a world key as the component model spells it.
pub fn key_name(resolve: &Resolve, key: &WorldKey) -> String {
    match key {
        WorldKey::Name(n) => n.to_string(),
        WorldKey::Interface(i) => resolve.id_of(*i).unwrap_or_default(),
    }
}
