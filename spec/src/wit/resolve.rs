//! WIT.md "Name resolution", "WIT Packages and `use`", "Feature Gates":
//! one parsed package becomes interfaces, worlds and types in a
//! [`Resolve`], its `use`s bound to local items or to packages resolved
//! before it. Items whose gate is not enabled are resolved (so their errors
//! are found) and then left out; an enabled item that refers to one is an
//! error.

use super::ast;
use super::error::{Rule, WitError, WitResult};
use super::map::OrderedMap;
use super::model::*;
use super::source::Span;
use super::toposort::toposort;
use super::world;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A package as parsed: its name and the items of each of its files.
#[derive(Debug, Clone)]
pub struct ParsedPackage {
    /// Name.
    pub name: PackageName,
    /// Span of the name in its declaration.
    pub name_span: Span,
    /// Docs of the declaration.
    pub docs: Docs,
    /// Items of each file (nested packages removed).
    pub files: Vec<Vec<ast::Item>>,
}

impl ParsedPackage {
    /// The packages this one refers to, in first-use order, with the span of
    /// the first reference.
    pub fn foreign_packages(&self) -> Vec<(PackageName, Span)> {
        let mut out: Vec<(PackageName, Span)> = Vec::new();
        for_each_path(&self.files, &mut |_, _, path, _| {
            if let ast::UsePath::Package { id, .. } = path {
                let name = package_name(id);
                if !out.iter().any(|(n, _)| *n == name) {
                    out.push((name, id.span));
                }
            }
        });
        out
    }
}

/// The model's name for a parsed package name.
pub fn package_name(id: &ast::PackageName) -> PackageName {
    PackageName {
        namespace: id.namespace.name.clone(),
        name: id.name.name.clone(),
        version: id.version.as_ref().map(|(_, v)| v.clone()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PathKind {
    World,
    Interface,
    Unknown,
}

/// Visits every `use-path` of `files` the way dependency order needs them:
/// for each world its `use`s and `include`s, then paths of imports, then of
/// exports; for each interface its `use`s; top-level `use`s. The callback
/// gets the owning interface/world name for interface `use`s and world
/// `include`s (the edges of the item order).
fn for_each_path<'a>(
    files: &'a [Vec<ast::Item>],
    f: &mut dyn FnMut(Option<&'a ast::Id>, &'a [ast::Attribute], &'a ast::UsePath, PathKind),
) {
    for items in files {
        for_each_path_in(items, f);
    }
}

fn for_each_path_in<'a>(
    items: &'a [ast::Item],
    f: &mut dyn FnMut(Option<&'a ast::Id>, &'a [ast::Attribute], &'a ast::UsePath, PathKind),
) {
    for item in items {
        match item {
            ast::Item::World(w) => {
                let mut imports = Vec::new();
                let mut exports = Vec::new();
                for it in &w.items {
                    match it {
                        ast::WorldItem::Use(u) => {
                            f(None, &u.attributes, &u.from, PathKind::Interface)
                        }
                        ast::WorldItem::Include(i) => {
                            f(Some(&w.name), &i.attributes, &i.from, PathKind::World)
                        }
                        ast::WorldItem::Type(_) => {}
                        ast::WorldItem::Import(e) => imports.push(e),
                        ast::WorldItem::Export(e) => exports.push(e),
                    }
                }
                for e in imports.into_iter().chain(exports) {
                    match &e.kind {
                        ast::ExternKind::Interface(_, items) => {
                            for it in items {
                                if let ast::InterfaceItem::Use(u) = it {
                                    f(None, &u.attributes, &u.from, PathKind::Interface);
                                }
                            }
                        }
                        ast::ExternKind::Path(p) | ast::ExternKind::NamedPath(_, p) => {
                            f(None, &e.attributes, p, PathKind::Interface)
                        }
                        ast::ExternKind::Func(..) => {}
                    }
                }
            }
            ast::Item::Interface(i) => {
                for it in &i.items {
                    if let ast::InterfaceItem::Use(u) = it {
                        f(Some(&i.name), &u.attributes, &u.from, PathKind::Interface);
                    }
                }
            }
            ast::Item::Use(u) => f(None, &u.attributes, &u.item, PathKind::Unknown),
            ast::Item::Package(p) => for_each_path_in(&p.items, f),
        }
    }
}

/// What a `use-path` names.
#[derive(Clone, Copy, Debug)]
enum ItemRef {
    LocalInterface(usize),
    LocalWorld(usize),
    ForeignInterface(usize),
    ForeignWorld(usize),
}

struct Foreign {
    package: PackageName,
    name: String,
    is_world: bool,
    stabilities: Vec<Stability>,
    package_span: Span,
    name_span: Span,
    /// Resolved id; `None` when every use of it is gated off.
    id: Option<usize>,
    /// Why it could not be found; reported where it is used, after the
    /// local checks on that use (as the reference resolver does).
    error: Option<WitError>,
}

/// A name in an interface's or world's scope.
#[derive(Clone, Copy, Debug)]
enum Entry {
    Type(TypeId),
    Function,
}

/// Docs as WIT.md's doc comments: every comment before an item, markers
/// stripped, common leading whitespace removed.
pub fn docs(d: &ast::Docs) -> Docs {
    let mut lines: Vec<&str> = Vec::new();
    for c in &d.comments {
        let c = match c.strip_prefix("/**") {
            Some(rest) => rest.strip_suffix("*/").unwrap_or(rest),
            None => c.trim_start_matches('/'),
        };
        lines.push(c.trim_end());
    }
    let min_ws = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.bytes().take_while(|b| b.is_ascii_whitespace()).count())
        .min()
        .unwrap_or(0);
    if lines.is_empty() {
        return Docs::default();
    }
    let pat = " ".repeat(min_ws);
    let mut contents = String::new();
    for l in lines {
        let l = if min_ws > 0 {
            l.strip_prefix(pat.as_str()).unwrap_or(l)
        } else {
            l
        };
        if l.is_empty() {
            contents.push('\n');
        } else {
            for line in l.lines() {
                contents.push_str(line);
                contents.push('\n');
            }
        }
    }
    while contents.ends_with('\n') {
        contents.pop();
    }
    Docs {
        contents: Some(contents),
    }
}

/// The gate written in `attrs`.
///
/// # Errors
/// A gate given twice, `@since` with `@unstable`, `@deprecated` alone.
pub fn stability(attrs: &[ast::Attribute]) -> WitResult<Stability> {
    let (mut since, mut deprecated, mut unstable) = (None, None, None);
    let (mut since_span, mut dep_span) = (Span::default(), Span::default());
    for a in attrs {
        match a {
            ast::Attribute::Since { span, version } => {
                if since.is_some() {
                    return Err(WitError::new(
                        Rule::Gate,
                        *span,
                        "cannot specify @since twice",
                    ));
                }
                since = Some(version.clone());
                since_span = *span;
            }
            ast::Attribute::Deprecated { span, version } => {
                if deprecated.is_some() {
                    return Err(WitError::new(
                        Rule::Gate,
                        *span,
                        "cannot specify @deprecated twice",
                    ));
                }
                deprecated = Some(version.clone());
                dep_span = *span;
            }
            ast::Attribute::Unstable { span, feature } => {
                if unstable.is_some() {
                    return Err(WitError::new(
                        Rule::Gate,
                        *span,
                        "cannot specify @unstable twice",
                    ));
                }
                unstable = Some(feature.name.clone());
            }
            ast::Attribute::ExternalId { .. } => {}
        }
    }
    match (since, deprecated, unstable) {
        (Some(since), deprecated, None) => Ok(Stability::Stable { since, deprecated }),
        (None, deprecated, Some(feature)) => Ok(Stability::Unstable {
            feature,
            deprecated,
        }),
        (Some(_), _, Some(_)) => Err(WitError::new(
            Rule::Gate,
            since_span,
            "cannot specify both @since and @unstable",
        )),
        (None, Some(_), None) => Err(WitError::new(
            Rule::Gate,
            dep_span,
            "cannot specify @deprecated without @since or @unstable",
        )),
        (None, None, None) => Ok(Stability::Unknown),
    }
}

fn external_id(attrs: &[ast::Attribute]) -> WitResult<Option<String>> {
    let mut out = None;
    for a in attrs {
        if let ast::Attribute::ExternalId { span, id } = a {
            if out.is_some() {
                return Err(WitError::new(
                    Rule::Syntax,
                    *span,
                    "cannot specify @external-id twice",
                ));
            }
            out = Some(id.clone());
        }
    }
    Ok(out)
}

/// Whether an item with gate `stab` in package `pkg` is included (WIT.md
/// "Rules for feature gate usage").
///
/// # Errors
/// `@since` in a package without a version, or naming a later version.
pub fn include_stability(
    resolve: &Resolve,
    stab: &Stability,
    pkg: PackageId,
    span: Span,
) -> WitResult<bool> {
    match stab {
        Stability::Unknown => Ok(true),
        Stability::Stable { since, .. } => {
            let Some(p) = resolve.packages.get(pkg) else {
                return Ok(true);
            };
            let Some(v) = &p.name.version else {
                return Err(WitError::new(
                    Rule::Gate,
                    span,
                    format!(
                        "package [{}] contains a feature gate with a version specifier, so it must have a version",
                        p.name
                    ),
                ));
            };
            if since > v {
                return Err(WitError::new(
                    Rule::Gate,
                    span,
                    format!(
                        "feature gate cannot reference unreleased version {since} of package [{}] (current version {v})",
                        p.name
                    ),
                ));
            }
            Ok(true)
        }
        Stability::Unstable { feature, .. } => Ok(resolve.feature_enabled(feature)),
    }
}

fn excluded_error(what: &str, span: Span) -> WitError {
    WitError::new(
        Rule::GateNotEnabled,
        span,
        format!(
            "found a reference to a {what} which is excluded due to its feature not being activated"
        ),
    )
}

/// Closest name to `name` among `candidates`, for "did you mean" hints.
fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = alloc::vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                let v = (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
                cur.push(v);
            }
            prev = cur;
        }
        prev[b.len()]
    }
    candidates
        .map(|c| (distance(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d > 0)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn not_found(kind: &str, id: &ast::Id, hint: Option<&String>) -> WitError {
    let mut msg = format!("{kind} `{}` does not exist", id.name);
    if let Some(h) = hint {
        msg.push_str(&format!(" (did you mean `{h}`?)"));
    }
    WitError::new(Rule::UnknownName, id.span, msg)
}

/// Resolves `pkg` into `resolve`; the packages it uses must already be
/// there.
///
/// # Errors
/// Any rule of WIT.md "Name resolution", "Feature Gates" and "WIT Worlds".
pub fn push_package(resolve: &mut Resolve, pkg: &ParsedPackage) -> WitResult<PackageId> {
    let id = resolve.packages.len();
    resolve.packages.push(Package {
        name: pkg.name.clone(),
        docs: pkg.docs.clone(),
        interfaces: OrderedMap::new(),
        worlds: OrderedMap::new(),
    });
    resolve.package_names.insert(pkg.name.clone(), id);
    let mut r = PackageResolver {
        resolve,
        pkg: id,
        foreign: Vec::new(),
        foreign_index: BTreeMap::new(),
        locals: Vec::new(),
        package_items: BTreeMap::new(),
        file_items: Vec::new(),
        local_ids: Vec::new(),
        excluded_types: BTreeSet::new(),
        excluded_ifaces: BTreeSet::new(),
        lookups: BTreeMap::new(),
        cur_file: 0,
    };
    r.run(pkg)?;
    Ok(id)
}

struct Local<'a> {
    name: &'a ast::Id,
    item: LocalItem<'a>,
    file: usize,
}

enum LocalItem<'a> {
    Interface(&'a ast::Interface),
    World(&'a ast::World),
}

struct PackageResolver<'r> {
    resolve: &'r mut Resolve,
    pkg: PackageId,
    foreign: Vec<Foreign>,
    foreign_index: BTreeMap<(PackageName, String), usize>,
    locals: Vec<Local<'r>>,
    package_items: BTreeMap<String, usize>,
    file_items: Vec<BTreeMap<String, ItemRef>>,
    /// Interface or world id of each local item, with whether it is
    /// included.
    local_ids: Vec<Option<(usize, bool)>>,
    excluded_types: BTreeSet<TypeId>,
    excluded_ifaces: BTreeSet<InterfaceId>,
    /// Names in scope of each interface (for `use`).
    lookups: BTreeMap<InterfaceId, OrderedMap<String, (Entry, Span)>>,
    cur_file: usize,
}

impl<'r> PackageResolver<'r> {
    fn enabled(&self, stab: &Stability, span: Span) -> WitResult<bool> {
        include_stability(self.resolve, stab, self.pkg, span)
    }

    fn run(&mut self, pkg: &'r ParsedPackage) -> WitResult<()> {
        self.collect_foreign(pkg)?;
        self.process_foreign()?;
        let order = self.populate_items(pkg)?;
        let mut ifaces = Vec::new();
        let mut worlds = Vec::new();
        for i in order {
            match self.locals[i].item {
                LocalItem::Interface(_) => ifaces.push(i),
                LocalItem::World(_) => worlds.push(i),
            }
        }
        // Allocate ids in dependency order, as the package lists them.
        for &i in &ifaces {
            let id = self.alloc_interface(
                Some(self.locals[i].name.name.clone()),
                self.locals[i].name.span,
            );
            self.local_ids[i] = Some((id, true));
        }
        for &i in &worlds {
            let name = self.locals[i].name;
            let id = self.resolve.worlds.len();
            self.resolve.worlds.push(World {
                name: name.name.clone(),
                imports: OrderedMap::new(),
                exports: OrderedMap::new(),
                package: Some(self.pkg),
                docs: Docs::default(),
                stability: Stability::Unknown,
                includes: Vec::new(),
                span: name.span,
            });
            self.local_ids[i] = Some((id, true));
        }
        for &i in &ifaces {
            let LocalItem::Interface(ast) = self.locals[i].item else {
                continue;
            };
            self.cur_file = self.locals[i].file;
            let (id, _) = self.local_ids[i].unwrap_or((0, false));
            let enabled =
                self.resolve_interface(id, &ast.items, &ast.docs, &ast.attributes, true)?;
            self.local_ids[i] = Some((id, enabled));
        }
        let mut world_ids = Vec::new();
        for &i in &worlds {
            let LocalItem::World(ast) = self.locals[i].item else {
                continue;
            };
            self.cur_file = self.locals[i].file;
            let (id, _) = self.local_ids[i].unwrap_or((0, false));
            let enabled = self.resolve_world(id, ast)?;
            self.local_ids[i] = Some((id, enabled));
            if enabled {
                world_ids.push(id);
            }
        }
        if let Some(e) = self.foreign.iter().find_map(|f| f.error.clone()) {
            return Err(e);
        }
        for &id in &world_ids {
            world::process_includes(self.resolve, id, self.pkg)?;
            world::elaborate(self.resolve, id)?;
        }
        for &i in &ifaces {
            if let Some((id, true)) = self.local_ids[i] {
                let name = self.locals[i].name.name.clone();
                self.resolve.packages[self.pkg].interfaces.insert(name, id);
            }
        }
        for &id in &world_ids {
            let name = self.resolve.worlds[id].name.clone();
            self.resolve.packages[self.pkg].worlds.insert(name, id);
        }
        Ok(())
    }

    fn collect_foreign(&mut self, pkg: &'r ParsedPackage) -> WitResult<()> {
        let mut err = None;
        let mut found = Vec::new();
        for_each_path(&pkg.files, &mut |_, attrs, path, kind| {
            let ast::UsePath::Package { id, name } = path else {
                return;
            };
            let stab = match stability(attrs) {
                Ok(s) => s,
                Err(e) => {
                    err.get_or_insert(e);
                    return;
                }
            };
            found.push((package_name(id), id.span, name.clone(), kind, stab));
        });
        if let Some(e) = err {
            return Err(e);
        }
        for (pname, pspan, name, kind, stab) in found {
            let key = (pname.clone(), name.name.clone());
            let idx = match self.foreign_index.get(&key) {
                Some(&i) => i,
                None => {
                    self.foreign.push(Foreign {
                        package: pname,
                        name: name.name.clone(),
                        is_world: kind == PathKind::World,
                        stabilities: Vec::new(),
                        package_span: pspan,
                        name_span: name.span,
                        id: None,
                        error: None,
                    });
                    self.foreign_index.insert(key, self.foreign.len() - 1);
                    self.foreign.len() - 1
                }
            };
            self.foreign[idx].stabilities.push(stab);
        }
        Ok(())
    }

    fn process_foreign(&mut self) -> WitResult<()> {
        for i in 0..self.foreign.len() {
            if let Err(e) = self.process_one_foreign(i) {
                self.foreign[i].error = Some(e);
            }
        }
        Ok(())
    }

    fn process_one_foreign(&mut self, i: usize) -> WitResult<()> {
        {
            let f = &self.foreign[i];
            let Some(&pkg) = self.resolve.package_names.get(&f.package) else {
                let known: Vec<String> = self
                    .resolve
                    .package_names
                    .keys()
                    .map(|n| format!("{n}"))
                    .collect();
                return Err(WitError::new(
                    Rule::Package,
                    f.package_span,
                    format!("package '{}' not found. known packages:{}", f.package, {
                        let mut s = String::new();
                        for k in known {
                            s.push_str("\n    ");
                            s.push_str(&k);
                        }
                        s
                    }),
                ));
            };
            let mut enabled = false;
            for s in &f.stabilities {
                if include_stability(self.resolve, s, self.pkg, f.name_span)? {
                    enabled = true;
                    break;
                }
            }
            if !enabled {
                return Ok(());
            }
            let p = &self.resolve.packages[pkg];
            let id = if f.is_world {
                p.worlds.get(&f.name).copied().ok_or_else(|| {
                    WitError::new(
                        Rule::UnknownName,
                        f.name_span,
                        format!("world '{}' not found in package '{}'", f.name, p.name),
                    )
                })?
            } else {
                p.interfaces.get(&f.name).copied().ok_or_else(|| {
                    WitError::new(
                        Rule::UnknownName,
                        f.name_span,
                        format!("interface '{}' not found in package '{}'", f.name, p.name),
                    )
                })?
            };
            self.foreign[i].id = Some(id);
        }
        Ok(())
    }

    /// Names of the package and of each file; returns the local items in
    /// dependency order.
    fn populate_items(&mut self, pkg: &'r ParsedPackage) -> WitResult<Vec<usize>> {
        for (fi, items) in pkg.files.iter().enumerate() {
            for item in items {
                let (name, li) = match item {
                    ast::Item::Interface(i) => (&i.name, LocalItem::Interface(i)),
                    ast::Item::World(w) => (&w.name, LocalItem::World(w)),
                    _ => continue,
                };
                if self.package_items.contains_key(&name.name) {
                    return Err(WitError::new(
                        Rule::Duplicate,
                        name.span,
                        format!("duplicate item named `{}`", name.name),
                    ));
                }
                self.package_items
                    .insert(name.name.clone(), self.locals.len());
                self.locals.push(Local {
                    name,
                    item: li,
                    file: fi,
                });
                self.local_ids.push(None);
            }
        }
        let mut deps: OrderedMap<String, Vec<ast::Id>> = OrderedMap::new();
        for l in &self.locals {
            deps.insert(l.name.name.clone(), Vec::new());
        }
        for (fi, items) in pkg.files.iter().enumerate() {
            // This file's namespace: its top-level `use`s and its items.
            let mut ns: BTreeMap<String, Option<&ast::Id>> = BTreeMap::new();
            for item in items {
                let (name, local) = match item {
                    ast::Item::Use(u) => {
                        let name = u.as_.as_ref().unwrap_or(u.item.name());
                        let local = match &u.item {
                            ast::UsePath::Id(id) => Some(id),
                            ast::UsePath::Package { .. } => None,
                        };
                        (name, local)
                    }
                    ast::Item::Interface(i) => (&i.name, Some(&i.name)),
                    ast::Item::World(w) => (&w.name, Some(&w.name)),
                    ast::Item::Package(_) => continue,
                };
                if ns.insert(name.name.clone(), local).is_some() {
                    return Err(WitError::new(
                        Rule::Duplicate,
                        name.span,
                        format!("duplicate name `{}` in this file", name.name),
                    ));
                }
            }
            let mut err = None;
            let files = core::slice::from_ref(&pkg.files[fi]);
            for_each_path(files, &mut |owner, _, path, _| {
                let (Some(owner), ast::UsePath::Id(used)) = (owner, path) else {
                    return;
                };
                let target = match ns.get(&used.name) {
                    Some(None) => return,
                    Some(Some(id)) => (*id).clone(),
                    None if self.package_items.contains_key(&used.name) => used.clone(),
                    None => {
                        err.get_or_insert_with(|| {
                            not_found(
                                "interface or world",
                                used,
                                suggest(&used.name, self.package_items.keys()),
                            )
                        });
                        return;
                    }
                };
                if let Some(d) = deps.get_mut(&owner.name) {
                    d.push(target);
                }
            });
            if let Some(e) = err {
                return Err(e);
            }
        }
        let order = toposort("interface or world", &deps)?;
        // Each file's view of names: top-level `use`s, then package items.
        for items in &pkg.files {
            let mut map = BTreeMap::new();
            for item in items {
                if let ast::Item::Use(u) = item {
                    if !u.attributes.is_empty() {
                        return Err(WitError::new(
                            Rule::Syntax,
                            u.span,
                            "attributes not allowed on top-level use",
                        ));
                    }
                    let name = u.as_.as_ref().unwrap_or(u.item.name());
                    let r = match &u.item {
                        ast::UsePath::Id(id) => match self.package_items.get(&id.name) {
                            Some(&i) => self.local_ref(i),
                            None => {
                                return Err(not_found(
                                    "interface or world",
                                    id,
                                    suggest(&id.name, self.package_items.keys()),
                                ));
                            }
                        },
                        ast::UsePath::Package { id, name } => self.foreign_ref(id, name),
                    };
                    map.insert(name.name.clone(), r);
                }
            }
            self.file_items.push(map);
        }
        Ok(order
            .iter()
            .filter_map(|n| self.package_items.get(n).copied())
            .collect())
    }

    fn local_ref(&self, i: usize) -> ItemRef {
        match self.locals[i].item {
            LocalItem::Interface(_) => ItemRef::LocalInterface(i),
            LocalItem::World(_) => ItemRef::LocalWorld(i),
        }
    }

    fn foreign_ref(&self, id: &ast::PackageName, name: &ast::Id) -> ItemRef {
        let key = (package_name(id), name.name.clone());
        let i = self.foreign_index.get(&key).copied().unwrap_or(0);
        if self.foreign.get(i).is_some_and(|f| f.is_world) {
            ItemRef::ForeignWorld(i)
        } else {
            ItemRef::ForeignInterface(i)
        }
    }

    fn resolve_path(&self, path: &ast::UsePath) -> WitResult<(ItemRef, String, Span)> {
        match path {
            ast::UsePath::Id(id) => {
                let r = match self
                    .file_items
                    .get(self.cur_file)
                    .and_then(|m| m.get(&id.name))
                {
                    Some(r) => *r,
                    None => match self.package_items.get(&id.name) {
                        Some(&i) => self.local_ref(i),
                        None => {
                            return Err(not_found(
                                "interface or world",
                                id,
                                suggest(&id.name, self.package_items.keys()),
                            ));
                        }
                    },
                };
                Ok((r, id.name.clone(), id.span))
            }
            ast::UsePath::Package { id, name } => {
                Ok((self.foreign_ref(id, name), name.name.clone(), name.span))
            }
        }
    }

    /// The interface a path names: `Some((id, included))`, or `None` for a
    /// foreign interface whose every use is gated off.
    fn path_interface(
        &self,
        path: &ast::UsePath,
    ) -> WitResult<(Option<(InterfaceId, bool)>, Span)> {
        let (r, name, span) = self.resolve_path(path)?;
        match r {
            ItemRef::LocalInterface(i) => Ok((self.local_ids[i], span)),
            ItemRef::ForeignInterface(i) => match &self.foreign[i].error {
                Some(e) => Err(e.clone()),
                None => Ok((self.foreign[i].id.map(|id| (id, true)), span)),
            },
            ItemRef::LocalWorld(_) | ItemRef::ForeignWorld(_) => Err(WitError::new(
                Rule::UnknownName,
                span,
                format!("name `{name}` is defined as a world, not an interface"),
            )),
        }
    }

    fn path_world(&self, path: &ast::UsePath) -> WitResult<(Option<(WorldId, bool)>, Span)> {
        let (r, name, span) = self.resolve_path(path)?;
        match r {
            ItemRef::LocalWorld(i) => Ok((self.local_ids[i], span)),
            ItemRef::ForeignWorld(i) => match &self.foreign[i].error {
                Some(e) => Err(e.clone()),
                None => Ok((self.foreign[i].id.map(|id| (id, true)), span)),
            },
            ItemRef::LocalInterface(_) | ItemRef::ForeignInterface(_) => Err(WitError::new(
                Rule::UnknownName,
                span,
                format!("name `{name}` is defined as an interface, not a world"),
            )),
        }
    }

    fn alloc_interface(&mut self, name: Option<String>, span: Span) -> InterfaceId {
        self.resolve.interfaces.push(Interface {
            name,
            types: OrderedMap::new(),
            functions: OrderedMap::new(),
            docs: Docs::default(),
            stability: Stability::Unknown,
            package: Some(self.pkg),
            span,
        });
        self.resolve.interfaces.len() - 1
    }

    fn alloc_type(&mut self, def: TypeDef) -> TypeId {
        self.resolve.types.push(def);
        self.resolve.types.len() - 1
    }

    /// Resolves an interface body into `id`; returns whether it is
    /// included. `outer` is whether the context (a world, for inline
    /// interfaces) is included.
    fn resolve_interface(
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
            if let Entry::Type(t) = e {
                if !self.excluded_types.contains(t) {
                    self.resolve.interfaces[id].types.insert(name.clone(), *t);
                }
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

    fn resolve_types(
        &mut self,
        owner: TypeOwner,
        items: Vec<TypeItem<'_>>,
        lookup: &mut OrderedMap<String, (Entry, Span)>,
        enabled: bool,
        owner_kind: &str,
    ) -> WitResult<()> {
        for item in &items {
            if let TypeItem::Use(u) = item {
                self.resolve_use(owner, u, lookup, enabled)?;
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
                return Err(WitError::new(
                    Rule::GateNotEnabled,
                    span,
                    format!(
                        "found a reference to a {owner_kind} which is excluded due to its feature not being activated; this type is not gated by a feature but its {owner_kind} is"
                    ),
                ));
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

    fn resolve_use(
        &mut self,
        owner: TypeOwner,
        u: &ast::Use,
        lookup: &mut OrderedMap<String, (Entry, Span)>,
        enabled: bool,
    ) -> WitResult<()> {
        let (from, from_span) = self.path_interface(&u.from)?;
        let stab = stability(&u.attributes)?;
        let ext = external_id(&u.attributes)?;
        let use_enabled = enabled && self.enabled(&stab, from_span)?;
        for (name, as_) in &u.names {
            let target = match from {
                None => None,
                Some((iface, iface_enabled)) => {
                    let found = match self.lookups.get(&iface) {
                        Some(l) => match l.get(&name.name) {
                            Some((Entry::Type(t), _)) => Some(*t),
                            Some((Entry::Function, _)) => {
                                return Err(WitError::new(
                                    Rule::UnknownName,
                                    name.span,
                                    format!("cannot import function `{}`", name.name),
                                ));
                            }
                            None => {
                                return Err(not_found("name", name, suggest(&name.name, l.keys())));
                            }
                        },
                        // A foreign interface: only its included types.
                        None => match self.resolve.interfaces[iface].types.get(&name.name) {
                            Some(t) => Some(*t),
                            None if use_enabled => {
                                return Err(WitError::new(
                                    Rule::UnknownName,
                                    name.span,
                                    format!("type `{}` not defined in interface", name.name),
                                ));
                            }
                            None => None,
                        },
                    };
                    if use_enabled && !iface_enabled {
                        return Err(excluded_error("interface", name.span));
                    }
                    found
                }
            };
            let n = as_.as_ref().unwrap_or(name);
            let kind = match target {
                Some(t) => TypeDefKind::Type(Type::Id(t)),
                None => TypeDefKind::Unknown,
            };
            let id = self.alloc_type(TypeDef {
                name: Some(n.name.clone()),
                kind,
                owner,
                docs: Docs::default(),
                stability: stab.clone(),
                external_id: ext.clone(),
                span: name.span,
            });
            if use_enabled {
                match target {
                    Some(t) if self.excluded_types.contains(&t) => {
                        return Err(excluded_error("type", name.span));
                    }
                    None => return Err(excluded_error("interface", name.span)),
                    _ => {}
                }
            } else {
                self.excluded_types.insert(id);
            }
            define(lookup, n, Entry::Type(id))?;
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
    fn visit_kind(&self, kind: &TypeDefKind, f: &mut dyn FnMut(TypeId)) {
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

    /// The checks on an included function (WIT.md "Handles", "Feature
    /// Gates").
    fn check_function(&self, f: &Function) -> WitResult<()> {
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
        if let Some(r) = f.result {
            if has_borrow(self.resolve, r) {
                return Err(WitError::new(
                    Rule::Type,
                    f.span,
                    format!(
                        "function `{}` returns a type which contains a `borrow<T>` which is not supported",
                        f.name
                    ),
                ));
            }
        }
        Ok(())
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
    fn resolve_type(
        &mut self,
        ty: &ast::Type,
        lookup: &OrderedMap<String, (Entry, Span)>,
    ) -> WitResult<Type> {
        let kind = self.resolve_type_def(ty, lookup)?;
        Ok(match kind {
            TypeDefKind::Type(t) => t,
            TypeDefKind::Handle(Handle::Own(r)) => Type::Id(r),
            kind => Type::Id(self.alloc_type(TypeDef {
                name: None,
                kind,
                owner: TypeOwner::None,
                docs: Docs::default(),
                stability: Stability::Unknown,
                external_id: None,
                span: ty.span(),
            })),
        })
    }

    fn type_name(
        &self,
        id: &ast::Id,
        lookup: &OrderedMap<String, (Entry, Span)>,
    ) -> WitResult<TypeId> {
        match lookup.get(&id.name) {
            Some((Entry::Type(t), _)) => Ok(*t),
            Some((Entry::Function, _)) => Err(WitError::new(
                Rule::UnknownName,
                id.span,
                format!("cannot use function `{}` as a type", id.name),
            )),
            None => Err(not_found("name", id, suggest(&id.name, lookup.keys()))),
        }
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

    fn resolve_resource_func(
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
    fn resolve_function(
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
            let t = self.alloc_type(TypeDef {
                name: None,
                kind: TypeDefKind::Handle(Handle::Borrow(r)),
                owner: TypeOwner::None,
                docs: Docs::default(),
                stability: Stability::Unknown,
                external_id: None,
                span: func.span,
            });
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

    /// Resolves a world; returns whether it is included.
    fn resolve_world(&mut self, id: WorldId, w: &ast::World) -> WitResult<bool> {
        self.resolve.worlds[id].docs = docs(&w.docs);
        let stab = stability(&w.attributes)?;
        let enabled = self.enabled(&stab, w.name.span)?;
        self.resolve.worlds[id].stability = stab;
        let mut lookup = OrderedMap::new();
        let types = w
            .items
            .iter()
            .filter_map(|i| match i {
                ast::WorldItem::Use(u) => Some(TypeItem::Use(u)),
                ast::WorldItem::Type(t) => Some(TypeItem::Def(t)),
                _ => None,
            })
            .collect();
        self.resolve_types(TypeOwner::World(id), types, &mut lookup, enabled, "world")?;
        for item in &w.items {
            let ast::WorldItem::Include(i) = item else {
                continue;
            };
            let istab = stability(&i.attributes)?;
            let (world, span) = self.path_world(&i.from)?;
            let inc_enabled = enabled && self.enabled(&istab, span)?;
            match world {
                Some((wid, true)) => self.resolve.worlds[id].includes.push(WorldInclude {
                    stability: istab,
                    id: wid,
                    names: i
                        .names
                        .iter()
                        .map(|(a, b)| (a.name.clone(), b.name.clone()))
                        .collect(),
                    span,
                }),
                _ if inc_enabled => return Err(excluded_error("world", span)),
                _ => {}
            }
            if !inc_enabled {
                self.resolve.worlds[id]
                    .includes
                    .pop_if(|inc| inc.span == span);
            }
        }
        let mut imports: OrderedMap<WorldKey, WorldItem> = OrderedMap::new();
        let mut exports: OrderedMap<WorldKey, WorldItem> = OrderedMap::new();
        for (name, (e, span)) in lookup.iter() {
            if let Entry::Type(t) = e {
                imports.insert(
                    WorldKey::Name(name.clone()),
                    WorldItem::Type {
                        id: *t,
                        span: *span,
                    },
                );
            }
        }
        let mut imported = BTreeSet::new();
        let mut exported = BTreeSet::new();
        for item in &w.items {
            let (ext, is_import) = match item {
                ast::WorldItem::Import(e) => (e, true),
                ast::WorldItem::Export(e) => (e, false),
                ast::WorldItem::Type(ast::TypeDef {
                    name,
                    ty: ast::Type::Resource(_, funcs),
                    ..
                }) => {
                    for f in funcs {
                        let f = self.resolve_resource_func(f, name, &lookup)?;
                        imports.insert(WorldKey::Name(f.name.clone()), WorldItem::Function(f));
                    }
                    continue;
                }
                _ => continue,
            };
            let desc = if is_import { "import" } else { "export" };
            let (key, witem) = self.resolve_world_item(ext, &lookup, enabled)?;
            let Some(witem) = witem else { continue };
            if let WorldKey::Interface(i) = key {
                let set = if is_import {
                    &mut imported
                } else {
                    &mut exported
                };
                if !set.insert(i) {
                    return Err(WitError::new(
                        Rule::Duplicate,
                        ext.kind.span(),
                        format!("interface cannot be {desc}ed more than once"),
                    ));
                }
            }
            let dst = if is_import {
                &mut imports
            } else {
                &mut exports
            };
            if let Some(prev) = dst.insert(key.clone(), witem) {
                let prev = match prev {
                    WorldItem::Interface { .. } => "interface",
                    WorldItem::Function(_) => "func",
                    WorldItem::Type { .. } => "type",
                };
                let name = match key {
                    WorldKey::Name(n) => n,
                    WorldKey::Interface(_) => String::new(),
                };
                return Err(WitError::new(
                    Rule::World,
                    ext.kind.span(),
                    format!("{desc} `{name}` conflicts with prior {prev} of same name"),
                ));
            }
        }
        if !enabled {
            return Ok(false);
        }
        // Leave out gated-off items.
        for (is_import, items) in [(true, imports), (false, exports)] {
            for (key, item) in items.into_entries() {
                let span = item.span();
                let keep = match &item {
                    WorldItem::Type { id, .. } => {
                        // As the reference resolver does, a world type whose
                        // gate is off is an error, not an omission.
                        if self.excluded_types.contains(id) {
                            return Err(excluded_error("type", span));
                        }
                        true
                    }
                    WorldItem::Interface { id, stability, .. } => {
                        let on = self.enabled(stability, span)?;
                        if on && self.excluded_ifaces.contains(id) {
                            return Err(excluded_error("interface", span));
                        }
                        on
                    }
                    WorldItem::Function(f) => {
                        let on = self.enabled(&f.stability, span)?;
                        if on {
                            self.check_function(f)?;
                        }
                        on
                    }
                };
                if keep {
                    let w = &mut self.resolve.worlds[id];
                    let dst = if is_import {
                        &mut w.imports
                    } else {
                        &mut w.exports
                    };
                    dst.insert(key, item);
                }
            }
        }
        Ok(true)
    }

    fn resolve_world_item(
        &mut self,
        ext: &ast::Extern,
        lookup: &OrderedMap<String, (Entry, Span)>,
        world_enabled: bool,
    ) -> WitResult<(WorldKey, Option<WorldItem>)> {
        match &ext.kind {
            ast::ExternKind::Interface(name, items) => {
                let id = self.alloc_interface(None, name.span);
                let enabled =
                    self.resolve_interface(id, items, &ext.docs, &ext.attributes, world_enabled)?;
                let _ = enabled;
                let stab = self.resolve.interfaces[id].stability.clone();
                let ext_id = external_id(&ext.attributes)?;
                Ok((
                    WorldKey::Name(name.name.clone()),
                    Some(WorldItem::Interface {
                        id,
                        stability: stab,
                        docs: Docs::default(),
                        external_id: ext_id,
                        span: name.span,
                    }),
                ))
            }
            ast::ExternKind::Path(path) | ast::ExternKind::NamedPath(_, path) => {
                let stab = stability(&ext.attributes)?;
                let ext_id = external_id(&ext.attributes)?;
                let (iface, span) = self.path_interface(path)?;
                let (key, span) = match &ext.kind {
                    ast::ExternKind::NamedPath(name, _) => (None, name.span),
                    _ => (Some(()), span),
                };
                let Some((iid, _)) = iface else {
                    // A foreign interface whose every use is gated off.
                    if world_enabled && self.enabled(&stab, span)? {
                        return Err(excluded_error("interface", span));
                    }
                    return Ok((WorldKey::Name(String::new()), None));
                };
                let key = match (key, &ext.kind) {
                    (None, ast::ExternKind::NamedPath(name, _)) => {
                        WorldKey::Name(name.name.clone())
                    }
                    _ => WorldKey::Interface(iid),
                };
                Ok((
                    key,
                    Some(WorldItem::Interface {
                        id: iid,
                        stability: stab,
                        docs: docs(&ext.docs),
                        external_id: ext_id,
                        span,
                    }),
                ))
            }
            ast::ExternKind::Func(name, func) => {
                let kind = if func.is_async {
                    FunctionKind::AsyncFreestanding
                } else {
                    FunctionKind::Freestanding
                };
                let f = self.resolve_function(
                    &ext.docs,
                    &ext.attributes,
                    &name.name,
                    name.span,
                    func,
                    kind,
                    lookup,
                )?;
                Ok((WorldKey::Name(f.name.clone()), Some(WorldItem::Function(f))))
            }
        }
    }
}

enum TypeItem<'a> {
    Use(&'a ast::Use),
    Def(&'a ast::TypeDef),
}

fn define(
    lookup: &mut OrderedMap<String, (Entry, Span)>,
    name: &ast::Id,
    e: Entry,
) -> WitResult<()> {
    if lookup.insert(name.name.clone(), (e, name.span)).is_some() {
        return Err(WitError::new(
            Rule::Duplicate,
            name.span,
            format!("name `{}` is defined more than once", name.name),
        ));
    }
    Ok(())
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
