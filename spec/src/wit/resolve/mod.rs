//! WIT.md "Name resolution", "WIT Packages and `use`", "Feature Gates":
//! one parsed package becomes interfaces, worlds and types in a
//! [`Resolve`], its `use`s bound to local items or to packages resolved
//! before it. Items whose gate is not enabled are resolved (so their errors
//! are found) and then left out; an enabled item that refers to one is an
//! error.
//!
//! | module | WIT.md section |
//! |---|---|
//! | `packages` | "WIT Packages and `use`": foreign items, the order of local items |
//! | `names` | "Name resolution": paths, `use`, scopes |
//! | `attributes` | "Feature Gates", doc comments, `@external-id` |
//! | `types` | "WIT Types", "Handles" |
//! | `interfaces` | "WIT Interfaces", "Item: func", "Item: resource" |
//! | `worlds` | "WIT Worlds" |

mod attributes;
mod interfaces;
mod names;
mod packages;
mod types;
mod worlds;

pub use attributes::{docs, include_stability, stability};
pub use types::{has_borrow, kind_types};

use super::ast;
use super::error::{WitError, WitResult};
use super::map::OrderedMap;
use super::model::*;
use super::source::Span;
use super::world;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;
use packages::for_each_path;

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
}
