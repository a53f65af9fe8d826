//! The `package-docs` custom section of a WIT-package binary (WIT.md
//! "Package Format"; the format wit-component defines, version 1): the
//! component model binary has no place for doc comments and feature gates
//! (WIT.md "Feature Gates"), so they travel as JSON after a version byte:
//!
//! ```text
//! { "docs", "worlds": { name: world }, "interfaces": { name: interface } }
//! world     = { "docs", "stability", "interfaces" (named imports, and exports
//!               not also imported), "types", "funcs", "interface_exports",
//!               "func_exports", "interface_import_stability",
//!               "interface_export_stability", "interface_import_docs",
//!               "interface_export_docs" }
//! interface = { "docs", "stability", "funcs": { name: func }, "types": { name: type } }
//! func      = { "docs", "stability" }
//! type      = { "docs", "stability", "items": { field/case name: docs } }
//! stability = { "stable": { "since", "deprecated" } }
//!           | { "unstable": { "feature", "deprecated" } } | "unknown"
//! ```
//! Empty members are left out.

use super::error::{Rule, WitError, WitResult};
use super::json::{self, Json, object, string};
use super::model::*;
use super::version::Version;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// The custom section's name.
pub const SECTION_NAME: &str = "package-docs";

const VERSION: u8 = 1;

fn map(entries: Vec<(String, Json)>) -> Option<Json> {
    if entries.is_empty() {
        None
    } else {
        Some(Json::Object(entries))
    }
}

fn docs(d: &Docs) -> Option<Json> {
    d.contents.as_deref().map(string)
}

fn stability(s: &Stability) -> Option<Json> {
    let v = |v: &Version| string(&format!("{v}"));
    match s {
        Stability::Unknown => None,
        Stability::Stable { since, deprecated } => Some(object(alloc::vec![(
            "stable",
            Some(object(alloc::vec![
                ("since", Some(v(since))),
                ("deprecated", deprecated.as_ref().map(v)),
            ])),
        )])),
        Stability::Unstable {
            feature,
            deprecated,
        } => Some(object(alloc::vec![(
            "unstable",
            Some(object(alloc::vec![
                ("feature", Some(string(feature))),
                ("deprecated", deprecated.as_ref().map(v)),
            ])),
        )])),
    }
}

fn nonempty(j: Json) -> Option<Json> {
    match &j {
        Json::Object(m) if m.is_empty() => None,
        _ => Some(j),
    }
}

fn function(f: &Function) -> Option<Json> {
    nonempty(object(alloc::vec![
        ("docs", docs(&f.docs)),
        ("stability", stability(&f.stability)),
    ]))
}

fn items<'a>(it: impl Iterator<Item = (&'a String, &'a Docs)>) -> Option<Json> {
    map(it
        .filter_map(|(n, d)| Some((n.clone(), string(d.contents.as_deref()?))))
        .collect())
}

fn type_(resolve: &Resolve, id: TypeId) -> Option<Json> {
    let ty = &resolve.types[id];
    let items = match &ty.kind {
        TypeDefKind::Record(fs) => items(fs.iter().map(|f| (&f.name, &f.docs))),
        TypeDefKind::Flags(fs) | TypeDefKind::Enum(fs) => {
            items(fs.iter().map(|f| (&f.name, &f.docs)))
        }
        TypeDefKind::Variant(cs) => items(cs.iter().map(|c| (&c.name, &c.docs))),
        _ => None,
    };
    nonempty(object(alloc::vec![
        ("docs", docs(&ty.docs)),
        ("stability", stability(&ty.stability)),
        ("items", items),
    ]))
}

fn interface(resolve: &Resolve, id: InterfaceId) -> Option<Json> {
    let iface = &resolve.interfaces[id];
    let funcs = iface
        .functions
        .iter()
        .filter_map(|(n, f)| Some((n.clone(), function(f)?)))
        .collect();
    let types = iface
        .types
        .iter()
        .filter_map(|(n, t)| Some((n.clone(), type_(resolve, *t)?)))
        .collect();
    nonempty(object(alloc::vec![
        ("docs", docs(&iface.docs)),
        ("stability", stability(&iface.stability)),
        ("funcs", map(funcs)),
        ("types", map(types)),
    ]))
}

fn key_name(resolve: &Resolve, key: &WorldKey) -> String {
    match key {
        WorldKey::Name(n) => n.clone(),
        WorldKey::Interface(i) => resolve.id_of(*i).unwrap_or_default(),
    }
}

fn world(resolve: &Resolve, id: WorldId) -> Option<Json> {
    let w = &resolve.worlds[id];
    let mut ifaces: Vec<(String, Json)> = Vec::new();
    let mut types = Vec::new();
    let mut funcs: Vec<(String, Json)> = Vec::new();
    let mut iface_exports = Vec::new();
    let mut func_exports = Vec::new();
    let mut import_stab = Vec::new();
    let mut export_stab = Vec::new();
    let mut import_docs = Vec::new();
    let mut export_docs = Vec::new();
    let all = w
        .imports
        .iter()
        .map(|p| (p, true))
        .chain(w.exports.iter().map(|p| (p, false)));
    for ((key, item), import) in all {
        match (key, item) {
            (
                _,
                WorldItem::Interface {
                    id,
                    stability: s,
                    docs: d,
                    ..
                },
            ) if matches!(key, WorldKey::Interface(_))
                || resolve.interfaces[*id].name.is_some() =>
            {
                let name = key_name(resolve, key);
                if let Some(s) = stability(s) {
                    let m = if import {
                        &mut import_stab
                    } else {
                        &mut export_stab
                    };
                    m.push((name.clone(), s));
                }
                if let Some(d) = docs(d) {
                    let m = if import {
                        &mut import_docs
                    } else {
                        &mut export_docs
                    };
                    m.push((name, d));
                }
            }
            (WorldKey::Name(name), WorldItem::Interface { id, .. }) => {
                if let Some(data) = interface(resolve, *id) {
                    if import {
                        ifaces.push((name.clone(), data));
                    } else {
                        iface_exports.push((name.clone(), data));
                    }
                }
            }
            (WorldKey::Name(name), WorldItem::Type { id, .. }) => {
                if let Some(data) = type_(resolve, *id) {
                    types.push((name.clone(), data));
                }
            }
            (WorldKey::Name(name), WorldItem::Function(f)) => {
                if let Some(data) = function(f) {
                    if import {
                        funcs.push((name.clone(), data));
                    } else {
                        func_exports.push((name.clone(), data));
                    }
                }
            }
            _ => {}
        }
    }
    nonempty(object(alloc::vec![
        ("docs", docs(&w.docs)),
        ("stability", stability(&w.stability)),
        ("interfaces", map(ifaces)),
        ("types", map(types)),
        ("funcs", map(funcs)),
        ("interface_exports", map(iface_exports)),
        ("func_exports", map(func_exports)),
        ("interface_import_stability", map(import_stab)),
        ("interface_export_stability", map(export_stab)),
        ("interface_import_docs", map(import_docs)),
        ("interface_export_docs", map(export_docs)),
    ]))
}

/// The section's payload for package `pkg`.
pub fn encode(resolve: &Resolve, pkg: PackageId) -> Vec<u8> {
    let p = &resolve.packages[pkg];
    let worlds = p
        .worlds
        .iter()
        .filter_map(|(n, w)| Some((n.clone(), world(resolve, *w)?)))
        .collect();
    let interfaces = p
        .interfaces
        .iter()
        .filter_map(|(n, i)| Some((n.clone(), interface(resolve, *i)?)))
        .collect();
    let j = object(alloc::vec![
        ("docs", docs(&p.docs)),
        ("worlds", map(worlds)),
        ("interfaces", map(interfaces)),
    ]);
    let mut out = String::new();
    j.write(&mut out);
    let mut bytes = alloc::vec![VERSION];
    bytes.extend_from_slice(out.as_bytes());
    bytes
}

fn err(message: impl Into<String>) -> WitError {
    WitError::nowhere(Rule::Binary, message)
}

fn read_docs(j: &Json) -> Docs {
    Docs {
        contents: j.get("docs").and_then(Json::as_str).map(String::from),
    }
}

fn version(j: Option<&Json>) -> WitResult<Option<Version>> {
    match j.and_then(Json::as_str) {
        None => Ok(None),
        Some(s) => Version::parse(s)
            .map(Some)
            .map_err(|e| err(format!("package-docs: bad version `{s}`: {e}"))),
    }
}

fn read_stability(j: &Json) -> WitResult<Stability> {
    let Some(s) = j.get("stability") else {
        return Ok(Stability::Unknown);
    };
    parse_stability(s)
}

fn parse_stability(s: &Json) -> WitResult<Stability> {
    if let Some(st) = s.get("stable") {
        let since = version(st.get("since"))?
            .ok_or_else(|| err("package-docs: `stable` without `since`"))?;
        return Ok(Stability::Stable {
            since,
            deprecated: version(st.get("deprecated"))?,
        });
    }
    if let Some(un) = s.get("unstable") {
        let feature = un
            .get("feature")
            .and_then(Json::as_str)
            .ok_or_else(|| err("package-docs: `unstable` without `feature`"))?;
        return Ok(Stability::Unstable {
            feature: String::from(feature),
            deprecated: version(un.get("deprecated"))?,
        });
    }
    Ok(Stability::Unknown)
}

fn inject_function(j: &Json, f: &mut Function) -> WitResult<()> {
    // Version 0 wrote a function's docs as a bare string (or null).
    match j {
        Json::String(s) => f.docs.contents = Some(s.clone()),
        Json::Null => f.docs.contents = None,
        _ => {
            f.docs = read_docs(j);
            f.stability = read_stability(j)?;
        }
    }
    Ok(())
}

fn inject_items(j: &Json, list: &mut [(&String, &mut Docs)]) -> WitResult<()> {
    for (name, d) in j.members() {
        let Some((_, docs)) = list.iter_mut().find(|(n, _)| *n == name) else {
            return Err(err(format!("package-docs: no item `{name}`")));
        };
        docs.contents = d.as_str().map(String::from);
    }
    Ok(())
}

fn inject_type(j: &Json, resolve: &mut Resolve, id: TypeId) -> WitResult<()> {
    let ty = &mut resolve.types[id];
    if let Some(items) = j.get("items") {
        let mut list: Vec<(&String, &mut Docs)> = match &mut ty.kind {
            TypeDefKind::Record(fs) => fs.iter_mut().map(|f| (&f.name, &mut f.docs)).collect(),
            TypeDefKind::Flags(fs) | TypeDefKind::Enum(fs) => {
                fs.iter_mut().map(|f| (&f.name, &mut f.docs)).collect()
            }
            TypeDefKind::Variant(cs) => cs.iter_mut().map(|c| (&c.name, &mut c.docs)).collect(),
            _ => Vec::new(),
        };
        inject_items(items, &mut list)?;
    }
    ty.docs = read_docs(j);
    ty.stability = read_stability(j)?;
    Ok(())
}

fn inject_interface(j: &Json, resolve: &mut Resolve, id: InterfaceId) -> WitResult<()> {
    for (name, t) in j.get("types").map(Json::members).unwrap_or(&[]) {
        let Some(&tid) = resolve.interfaces[id].types.get(name) else {
            return Err(err(format!("package-docs: no type `{name}`")));
        };
        inject_type(t, resolve, tid)?;
    }
    let iface = &mut resolve.interfaces[id];
    for (name, f) in j.get("funcs").map(Json::members).unwrap_or(&[]) {
        let Some(func) = iface.functions.get_mut(name) else {
            return Err(err(format!("package-docs: no function `{name}`")));
        };
        inject_function(f, func)?;
    }
    iface.docs = read_docs(j);
    iface.stability = read_stability(j)?;
    Ok(())
}

fn inject_world(j: &Json, resolve: &mut Resolve, id: WorldId) -> WitResult<()> {
    let members = |k: &str| j.get(k).map(Json::members).unwrap_or(&[]);
    for (only_export, field) in [(false, "interfaces"), (true, "interface_exports")] {
        for (name, data) in members(field) {
            let key = WorldKey::Name(name.clone());
            let w = &mut resolve.worlds[id];
            let item = if only_export {
                w.exports.get_mut(&key)
            } else {
                match w.imports.get_mut(&key) {
                    Some(i) => Some(i),
                    None => w.exports.get_mut(&key),
                }
            };
            let Some(WorldItem::Interface {
                id: iid, stability, ..
            }) = item
            else {
                return Err(err(format!("package-docs: no interface `{name}`")));
            };
            *stability = read_stability(data)?;
            let iid = *iid;
            inject_interface(data, resolve, iid)?;
        }
    }
    for (name, data) in members("types") {
        let key = WorldKey::Name(name.clone());
        let Some(WorldItem::Type { id: tid, .. }) = resolve.worlds[id].imports.get(&key) else {
            return Err(err(format!("package-docs: no type `{name}`")));
        };
        let tid = *tid;
        inject_type(data, resolve, tid)?;
    }
    let names: Vec<(String, bool, WorldKey)> = {
        let w = &resolve.worlds[id];
        w.imports
            .iter()
            .map(|p| (p, true))
            .chain(w.exports.iter().map(|p| (p, false)))
            .filter(|((_, item), _)| matches!(item, WorldItem::Interface { .. }))
            .map(|((k, _), import)| (key_name(resolve, k), import, k.clone()))
            .collect()
    };
    let find = |name: &str, import: bool| {
        names
            .iter()
            .find(|(n, i, _)| n == name && *i == import)
            .map(|(_, _, k)| k.clone())
    };
    let w = &mut resolve.worlds[id];
    for (import, field) in [
        (true, "interface_import_stability"),
        (false, "interface_export_stability"),
    ] {
        for (name, s) in members(field) {
            let key = find(name, import)
                .ok_or_else(|| err(format!("package-docs: no interface `{name}`")))?;
            let items = if import {
                &mut w.imports
            } else {
                &mut w.exports
            };
            if let Some(WorldItem::Interface { stability, .. }) = items.get_mut(&key) {
                *stability = parse_stability(s)?;
            }
        }
    }
    for (import, field) in [
        (true, "interface_import_docs"),
        (false, "interface_export_docs"),
    ] {
        for (name, d) in members(field) {
            let key = find(name, import)
                .ok_or_else(|| err(format!("package-docs: no interface `{name}`")))?;
            let items = if import {
                &mut w.imports
            } else {
                &mut w.exports
            };
            if let Some(WorldItem::Interface { docs, .. }) = items.get_mut(&key) {
                docs.contents = d.as_str().map(String::from);
            }
        }
    }
    for (only_export, field) in [(false, "funcs"), (true, "func_exports")] {
        for (name, data) in members(field) {
            let key = WorldKey::Name(name.clone());
            let item = if only_export {
                w.exports.get_mut(&key)
            } else {
                match w.imports.get_mut(&key) {
                    Some(i) => Some(i),
                    None => w.exports.get_mut(&key),
                }
            };
            let Some(WorldItem::Function(f)) = item else {
                return Err(err(format!("package-docs: no function `{name}`")));
            };
            inject_function(data, f)?;
        }
    }
    w.docs = read_docs(j);
    w.stability = read_stability(j)?;
    Ok(())
}

/// Applies a `package-docs` payload to package `pkg` (decoded from the
/// same binary).
///
/// # Errors
/// An unknown version byte, malformed JSON, or names that the package does
/// not have.
pub fn inject(data: &[u8], resolve: &mut Resolve, pkg: PackageId) -> WitResult<()> {
    match data.first() {
        Some(0) | Some(1) => {}
        v => {
            return Err(err(format!(
                "expected package-docs version {VERSION}, got {v:?}"
            )));
        }
    }
    let text = core::str::from_utf8(&data[1..]).map_err(|_| err("package-docs: not UTF-8"))?;
    let j = json::parse(text).map_err(|e| err(format!("package-docs: {e}")))?;
    for (name, w) in j.get("worlds").map(Json::members).unwrap_or(&[]) {
        let Some(&id) = resolve.packages[pkg].worlds.get(name) else {
            return Err(err(format!("package-docs: no world `{name}`")));
        };
        inject_world(w, resolve, id)?;
    }
    for (name, i) in j.get("interfaces").map(Json::members).unwrap_or(&[]) {
        let Some(&id) = resolve.packages[pkg].interfaces.get(name) else {
            return Err(err(format!("package-docs: no interface `{name}`")));
        };
        inject_interface(i, resolve, id)?;
    }
    if let Some(d) = j.get("docs").and_then(Json::as_str) {
        resolve.packages[pkg].docs.contents = Some(String::from(d));
    }
    Ok(())
}
