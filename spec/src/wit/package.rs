//! WIT.md "Top-level items", "Package declaration" and "Filesystem
//! structure": files become packages (one per set of files sharing a
//! `package` declaration, plus one per nested `package ... { }` block),
//! and a root package with its dependencies is resolved in dependency
//! order.

use super::ast;
use super::error::{Rule, WitError, WitResult};
use super::model::{Docs, PackageId, PackageName, Resolve};
use super::parser;
use super::resolve::{self, ParsedPackage};
use super::source::Span;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// The packages of one root (a file or a directory of files): the main
/// package and the packages nested in its files.
#[derive(Debug, Clone)]
pub struct PackageGroup {
    /// The package the files declare.
    pub main: ParsedPackage,
    /// `package ... { }` blocks.
    pub nested: Vec<ParsedPackage>,
}

/// Parses the files `files` (indices into `resolve.sources`) of one package
/// root, in path order.
///
/// # Errors
/// Syntax errors; files declaring different packages; doc comments on more
/// than one `package` declaration; no `package` declaration.
pub fn parse_group(resolve: &Resolve, files: &[usize]) -> WitResult<PackageGroup> {
    let mut files: Vec<usize> = files.to_vec();
    files.sort_by(|a, b| {
        resolve
            .sources
            .source(*a)
            .path
            .cmp(&resolve.sources.source(*b).path)
    });
    let mut name: Option<(PackageName, Span)> = None;
    let mut docs = Docs::default();
    let mut items = Vec::new();
    let mut nested = Vec::new();
    for f in files {
        let src = resolve.sources.source(f);
        let file = parser::parse_file(&src.text, src.offset)?;
        if let Some(p) = &file.package {
            let n = resolve::package_name(p);
            if let Some((prev, _)) = &name
                && *prev != n
            {
                return Err(WitError::new(
                    Rule::Package,
                    p.span,
                    format!(
                        "package identifier `{n}` does not match previous package name of `{prev}`"
                    ),
                ));
            }
            name = Some((n, p.span));
            let d = resolve::docs(&p.docs);
            if d.contents.is_some() {
                if docs.contents.is_some() {
                    return Err(WitError::new(
                        Rule::Package,
                        p.docs.span.unwrap_or(p.span),
                        "found doc comments on multiple 'package' items",
                    ));
                }
                docs = d;
            }
        }
        let mut mine = Vec::new();
        for item in file.items {
            match item {
                ast::Item::Package(p) => nested.push(nested_package(p)?),
                other => mine.push(other),
            }
        }
        items.push(mine);
    }
    let Some((name, name_span)) = name else {
        return Err(WitError::nowhere(
            Rule::Package,
            "no `package` header was found in any WIT file for this package",
        ));
    };
    Ok(PackageGroup {
        main: ParsedPackage {
            name,
            name_span,
            docs,
            files: items,
        },
        nested,
    })
}

fn nested_package(p: ast::PackageFile) -> WitResult<ParsedPackage> {
    let Some(decl) = p.package else {
        return Err(WitError::nowhere(
            Rule::Package,
            "nested package without a name",
        ));
    };
    for item in &p.items {
        if let ast::Item::Package(inner) = item {
            let span = inner.package.as_ref().map(|p| p.span).unwrap_or(decl.span);
            return Err(WitError::new(
                Rule::Package,
                span,
                "nested packages must be placed at the top-level",
            ));
        }
    }
    Ok(ParsedPackage {
        name: resolve::package_name(&decl),
        name_span: decl.span,
        docs: resolve::docs(&decl.docs),
        files: alloc::vec![p.items],
    })
}

/// Resolves `main` and its dependencies `deps` into `resolve`, each package
/// after the packages it uses; returns the id of `main`'s main package.
///
/// # Errors
/// A package defined twice, a cycle between packages, and any error of
/// resolving a package.
pub fn push_groups(
    resolve: &mut Resolve,
    main: PackageGroup,
    deps: Vec<PackageGroup>,
) -> WitResult<PackageId> {
    let main_name = main.main.name.clone();
    let mut all: BTreeMap<PackageName, ParsedPackage> = BTreeMap::new();
    for group in core::iter::once(main).chain(deps) {
        for pkg in group.nested.into_iter().chain(core::iter::once(group.main)) {
            if let Some(prev) = all.get(&pkg.name) {
                let _ = prev;
                return Err(WitError::new(
                    Rule::Package,
                    pkg.name_span,
                    format!(
                        "package `{}` is defined in two different locations",
                        pkg.name
                    ),
                ));
            }
            all.insert(pkg.name.clone(), pkg);
        }
    }
    let mut order: Vec<PackageName> = Vec::new();
    let mut done = BTreeSet::new();
    let names: Vec<PackageName> = all.keys().cloned().collect();
    for name in names {
        let mut visiting = BTreeSet::new();
        visit(&name, &all, &mut order, &mut done, &mut visiting, 0)?;
    }
    let mut main_id = None;
    for name in order {
        let Some(pkg) = all.get(&name) else { continue };
        if resolve.package_names.contains_key(&name) {
            continue;
        }
        let id = resolve::push_package(resolve, pkg)?;
        if name == main_name {
            main_id = Some(id);
        }
    }
    main_id.ok_or_else(|| WitError::nowhere(Rule::Package, "main package was not resolved"))
}

fn visit(
    name: &PackageName,
    all: &BTreeMap<PackageName, ParsedPackage>,
    order: &mut Vec<PackageName>,
    done: &mut BTreeSet<PackageName>,
    visiting: &mut BTreeSet<PackageName>,
    depth: usize,
) -> WitResult<()> {
    if done.contains(name) || depth > all.len() + 1 {
        return Ok(());
    }
    let Some(pkg) = all.get(name) else {
        return Ok(());
    };
    for (dep, span) in pkg.foreign_packages() {
        if !visiting.insert(dep.clone()) {
            return Err(WitError::new(
                Rule::Cycle,
                span,
                format!("package `{dep}` creates a dependency cycle"),
            ));
        }
        if all.contains_key(&dep) {
            visit(&dep, all, order, done, visiting, depth + 1)?;
        }
        visiting.remove(&dep);
    }
    done.insert(name.clone());
    order.push(name.clone());
    Ok(())
}

/// Parses and resolves one file's text (a root package with its nested
/// packages, no `deps/`).
///
/// # Errors
/// Any WIT error; render it with `resolve.sources`.
pub fn push_str(resolve: &mut Resolve, path: &str, text: &str) -> WitResult<PackageId> {
    let f = resolve.sources.push(String::from(path), String::from(text));
    let group = parse_group(resolve, &[f])?;
    push_groups(resolve, group, Vec::new())
}
