//! WIT round trips (spec/src/wit): generated small WIT packages
//! (interfaces with `use`s, records, variants, enums, flags, resources,
//! aliases and functions, sync and async; worlds including worlds,
//! importing and exporting interfaces, inline interfaces and functions;
//! doc comments and `@since`/`@unstable` gates; nested packages whose
//! types the others `use`) resolve exactly when
//! wit-parser resolves them; what resolves prints as wit-component's
//! printer prints it (the oracle of wit_suite.rs), and resolves again and
//! prints the same (a fixed point).
//!
//! A generated package is a [`Package`] of choices; names and references
//! are indices that the rendering ([`Package::text`]) takes modulo what is
//! in scope, so every package is well-formed WIT (but for `include`s that
//! bring conflicting imports together) and shrinks to a smaller one.

use proptest::collection::vec;
use proptest::prelude::*;
use std::fmt::Write;
use witness_spec::wit::decode::decode;
use witness_spec::wit::encode::encode;
use witness_spec::wit::{PackageId, Resolve, Rule, print, push_str};

/// Labels of fields, cases and flags, and names of parameters: distinct,
/// some of them keywords (written `%name`).
const LABELS: &[&str] = &[
    "a", "type", "x-y", "list", "b2", "resource", "f32", "own", "c", "async",
];
/// Names of type definitions, some of them keywords.
const TYPE_NAMES: &[&str] = &[
    "t", "record", "my-type", "stream", "r2", "enum", "u", "borrow",
];
const PRIMITIVES: &[&str] = &[
    "u8",
    "u16",
    "u32",
    "u64",
    "s8",
    "s16",
    "s32",
    "s64",
    "f32",
    "f64",
    "bool",
    "char",
    "string",
    "error-context",
];

/// A type use.
#[derive(Clone, Debug)]
enum Ty {
    Prim(usize),
    List(Box<Ty>, Option<u32>),
    Option(Box<Ty>),
    Result(Option<Box<Ty>>, Option<Box<Ty>>),
    Tuple(Vec<Ty>),
    /// A type in scope, by index.
    Named(usize),
    /// A resource in scope, `borrow<r>` (in parameters) or else `own<r>`.
    Handle(usize, bool),
    Future(Option<Box<Ty>>),
    Stream(Option<Box<Ty>>),
}

/// A feature gate: none, `@since`, or `@unstable` of an enabled feature
/// (`On`) or of one that is not (`Off`).
#[derive(Clone, Copy, Debug)]
enum Gate {
    None,
    Since,
    On,
    Off,
}

/// What an item may have before it: a doc comment and a gate.
#[derive(Clone, Copy, Debug)]
struct Attrs {
    docs: bool,
    gate: Gate,
}

#[derive(Clone, Debug)]
struct Func {
    is_async: bool,
    params: Vec<Ty>,
    result: Option<Ty>,
}

#[derive(Clone, Debug)]
enum Method {
    Constructor(Vec<Ty>),
    Method(Func),
    Static(Func),
}

#[derive(Clone, Debug)]
enum TypeDef {
    Record(Vec<Ty>),
    Variant(Vec<Option<Ty>>),
    Enum(usize),
    Flags(usize),
    Resource(Vec<Method>),
    Alias(Ty),
}

/// A `use` of the `ty`th type of the `from`th earlier interface, renamed
/// or not.
#[derive(Clone, Debug)]
struct Use {
    from: usize,
    ty: usize,
    rename: bool,
}

#[derive(Clone, Debug)]
struct Interface {
    attrs: Attrs,
    uses: Vec<Use>,
    types: Vec<(Attrs, TypeDef)>,
    funcs: Vec<(Attrs, Func)>,
}

#[derive(Clone, Debug)]
struct World {
    attrs: Attrs,
    /// Earlier worlds, included.
    includes: Vec<usize>,
    imports: Vec<usize>,
    exports: Vec<usize>,
    uses: Vec<Use>,
    types: Vec<(Attrs, TypeDef)>,
    /// Functions, imported (`true`) or exported.
    funcs: Vec<(bool, Attrs, Func)>,
    /// Interfaces written in the world, imported (`true`) or exported.
    inline: Vec<(bool, Vec<Func>)>,
}

#[derive(Clone, Debug)]
struct Package {
    version: bool,
    /// Other packages, written nested in the file, each an interface `e`
    /// of types that the package's interfaces and worlds may use.
    foreign: Vec<Vec<(Attrs, TypeDef)>>,
    interfaces: Vec<Interface>,
    worlds: Vec<World>,
}

fn ty() -> impl Strategy<Value = Ty> {
    let leaf = prop_oneof![
        4 => (0..PRIMITIVES.len()).prop_map(Ty::Prim),
        2 => any::<usize>().prop_map(Ty::Named),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(i, b)| Ty::Handle(i, b)),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            (inner.clone(), proptest::option::of(1..5u32))
                .prop_map(|(t, n)| Ty::List(Box::new(t), n)),
            inner.clone().prop_map(|t| Ty::Option(Box::new(t))),
            (
                proptest::option::of(inner.clone()),
                proptest::option::of(inner.clone())
            )
                .prop_map(|(ok, err)| Ty::Result(ok.map(Box::new), err.map(Box::new))),
            vec(inner.clone(), 1..4).prop_map(Ty::Tuple),
            proptest::option::of(inner.clone()).prop_map(|t| Ty::Future(t.map(Box::new))),
            proptest::option::of(inner).prop_map(|t| Ty::Stream(t.map(Box::new))),
        ]
    })
}

fn func() -> impl Strategy<Value = Func> {
    (any::<bool>(), vec(ty(), 0..4), proptest::option::of(ty())).prop_map(
        |(is_async, params, result)| Func {
            is_async,
            params,
            result,
        },
    )
}

fn attrs() -> impl Strategy<Value = Attrs> {
    let gate = prop_oneof![
        8 => Just(Gate::None),
        2 => Just(Gate::Since),
        2 => Just(Gate::On),
        1 => Just(Gate::Off),
    ];
    (any::<bool>(), gate).prop_map(|(docs, gate)| Attrs { docs, gate })
}

fn type_def() -> impl Strategy<Value = TypeDef> {
    prop_oneof![
        vec(ty(), 1..4).prop_map(TypeDef::Record),
        vec(proptest::option::of(ty()), 1..4).prop_map(TypeDef::Variant),
        (1..5usize).prop_map(TypeDef::Enum),
        (1..LABELS.len()).prop_map(TypeDef::Flags),
        vec(
            prop_oneof![
                vec(ty(), 0..3).prop_map(Method::Constructor),
                func().prop_map(Method::Method),
                func().prop_map(Method::Static),
            ],
            0..4
        )
        .prop_map(TypeDef::Resource),
        ty().prop_map(TypeDef::Alias),
    ]
}

fn use_() -> impl Strategy<Value = Use> {
    (any::<usize>(), any::<usize>(), any::<bool>()).prop_map(|(from, ty, rename)| Use {
        from,
        ty,
        rename,
    })
}

fn package() -> impl Strategy<Value = Package> {
    let interface = (
        attrs(),
        vec(use_(), 0..3),
        vec((attrs(), type_def()), 0..4),
        vec((attrs(), func()), 0..3),
    )
        .prop_map(|(attrs, uses, types, funcs)| Interface {
            attrs,
            uses,
            types,
            funcs,
        });
    let world = (
        (attrs(), vec(any::<usize>(), 0..2)),
        vec(any::<usize>(), 0..3),
        vec(any::<usize>(), 0..3),
        vec(use_(), 0..2),
        vec((attrs(), type_def()), 0..2),
        vec((any::<bool>(), attrs(), func()), 0..3),
        vec((any::<bool>(), vec(func(), 0..2)), 0..2),
    )
        .prop_map(
            |((attrs, includes), imports, exports, uses, types, funcs, inline)| World {
                attrs,
                includes,
                imports,
                exports,
                uses,
                types,
                funcs,
                inline,
            },
        );
    (
        any::<bool>(),
        vec(vec((attrs(), type_def()), 1..3), 0..3),
        vec(interface, 1..4),
        vec(world, 0..3),
    )
        .prop_map(|(version, foreign, interfaces, worlds)| Package {
            version,
            foreign,
            interfaces,
            worlds,
        })
}

/// `name` as WIT writes it: `%` before every other one, so that the parser
/// sees both forms (and before keywords, which need it).
fn ident(name: &str, i: usize) -> String {
    let keyword = [
        "type", "list", "resource", "f32", "own", "async", "record", "stream", "enum", "borrow",
    ];
    if keyword.contains(&name) || i % 2 == 1 {
        format!("%{name}")
    } else {
        name.to_string()
    }
}

/// A named type in scope: its name and whether it is a resource.
#[derive(Clone)]
struct Named {
    name: String,
    resource: bool,
}

/// An interface whose types may be used: its path in a `use` (`i0`,
/// `dep:p0/e`), its index in the package if it is in the package, and the
/// types it defines.
struct Source {
    path: String,
    local: Option<usize>,
    types: Vec<Named>,
}

impl Ty {
    /// The text of the type, `scope` the types it may name; `param`
    /// whether it is (in) a parameter, where a handle may be borrowed.
    fn text(&self, scope: &[Named], param: bool) -> String {
        let resources: Vec<&Named> = scope.iter().filter(|n| n.resource).collect();
        match self {
            Ty::Prim(i) => PRIMITIVES[*i].to_string(),
            Ty::List(t, None) => format!("list<{}>", t.text(scope, param)),
            Ty::List(t, Some(n)) => format!("list<{}, {n}>", t.text(scope, param)),
            Ty::Option(t) => format!("option<{}>", t.text(scope, param)),
            Ty::Result(None, None) => "result".to_string(),
            Ty::Result(Some(ok), None) => format!("result<{}>", ok.text(scope, param)),
            Ty::Result(ok, Some(err)) => format!(
                "result<{}, {}>",
                ok.as_ref()
                    .map_or("_".to_string(), |t| t.text(scope, param)),
                err.text(scope, param)
            ),
            Ty::Tuple(ts) => format!(
                "tuple<{}>",
                ts.iter()
                    .map(|t| t.text(scope, param))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Ty::Future(None) => "future".to_string(),
            Ty::Future(Some(t)) => format!("future<{}>", t.text(scope, param)),
            Ty::Stream(None) => "stream".to_string(),
            Ty::Stream(Some(t)) => format!("stream<{}>", t.text(scope, param)),
            Ty::Named(_) if scope.is_empty() => "string".to_string(),
            Ty::Named(i) => ident(&scope[i % scope.len()].name, *i),
            Ty::Handle(_, _) if resources.is_empty() => "u32".to_string(),
            Ty::Handle(i, borrow) => {
                let r = ident(&resources[i % resources.len()].name, *i);
                match (borrow, param) {
                    (true, true) => format!("borrow<{r}>"),
                    (false, _) if i % 2 == 0 => r,
                    _ => format!("own<{r}>"),
                }
            }
        }
    }
}

/// `(a: T, ...)`, the parameters' names being labels.
fn params(ps: &[Ty], scope: &[Named]) -> String {
    let ps: Vec<String> = ps
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}: {}", ident(LABELS[i], i), t.text(scope, true)))
        .collect();
    format!("({})", ps.join(", "))
}

impl Func {
    /// `func(...) -> T;`, after `prefix` (`static `, or nothing).
    fn text(&self, prefix: &str, scope: &[Named]) -> String {
        let is_async = if self.is_async { "async " } else { "" };
        let mut s = format!("{prefix}{is_async}func{}", params(&self.params, scope));
        if let Some(r) = &self.result {
            write!(s, " -> {}", r.text(scope, false)).unwrap();
        }
        s + ";"
    }
}

impl Attrs {
    /// Appends the doc comment and gate, indented by `indent`, to `out`;
    /// `@since` only in a package with a version.
    fn text(&self, indent: &str, versioned: bool, out: &mut String) {
        if self.docs {
            writeln!(out, "{indent}/// Documented.").unwrap();
        }
        match self.gate {
            Gate::None => {}
            Gate::Since if !versioned => {}
            Gate::Since => writeln!(out, "{indent}@since(version = 1.0.0)").unwrap(),
            Gate::On => writeln!(out, "{indent}@unstable(feature = on)").unwrap(),
            Gate::Off => writeln!(out, "{indent}@unstable(feature = off)").unwrap(),
        }
    }
}

impl Ty {
    /// Whether WIT writes the type as an anonymous type definition.
    fn is_anonymous(&self) -> bool {
        !matches!(self, Ty::Prim(_) | Ty::Named(_) | Ty::Handle(..))
    }
}

impl TypeDef {
    /// The attributes the definition is written with: as generated, but
    /// away from two places where wit-parser gates anonymous types
    /// (`list<string>`, `result<t, u>`) where the spec gates items only:
    /// - it gives an anonymous type the gate of the definition it is first
    ///   written in and shares it with every later use, so a gated-off
    ///   `variant v { a(stream) }` takes a later `f: func(x: stream)` out
    ///   with it: a definition that writes an anonymous type is not gated
    ///   off;
    /// - else it gives one the first gate among the types it names, so
    ///   `result<t, u>`, `t` gated `@since` and `u` off, counts as included
    ///   and its reference to `u` as an error, even in a gated-off
    ///   function: where some definition is gated off, none is gated on.
    fn written_attrs(&self, attrs: Attrs, off_in_package: bool) -> Attrs {
        let gate = match attrs.gate {
            Gate::Off if self.writes_anonymous() => Gate::None,
            Gate::Since | Gate::On if off_in_package => Gate::None,
            gate => gate,
        };
        Attrs { gate, ..attrs }
    }

    /// Whether the definition writes an anonymous type (an alias of one
    /// counted as one).
    fn writes_anonymous(&self) -> bool {
        match self {
            TypeDef::Record(ts) => ts.iter().any(Ty::is_anonymous),
            TypeDef::Variant(cs) => cs.iter().flatten().any(Ty::is_anonymous),
            TypeDef::Alias(t) => t.is_anonymous(),
            TypeDef::Enum(_) | TypeDef::Flags(_) | TypeDef::Resource(_) => false,
        }
    }

    /// Appends the definition of type `name` to `out`; `scope` holds the
    /// types before it.
    fn text(&self, name: &str, scope: &[Named], out: &mut String) {
        let n = ident(name, 0);
        let labels = |k: usize| (0..k).map(|i| ident(LABELS[i], i)).collect::<Vec<_>>();
        match self {
            TypeDef::Record(ts) => {
                let fs: Vec<String> = ts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| format!("{}: {}", ident(LABELS[i], i), t.text(scope, false)))
                    .collect();
                writeln!(out, "  record {n} {{ {} }}", fs.join(", ")).unwrap();
            }
            TypeDef::Variant(cs) => {
                let cs: Vec<String> = cs
                    .iter()
                    .enumerate()
                    .map(|(i, t)| match t {
                        Some(t) => format!("{}({})", ident(LABELS[i], i), t.text(scope, false)),
                        None => ident(LABELS[i], i),
                    })
                    .collect();
                writeln!(out, "  variant {n} {{ {} }}", cs.join(", ")).unwrap();
            }
            TypeDef::Enum(k) => {
                writeln!(out, "  enum {n} {{ {} }}", labels(*k).join(", ")).unwrap()
            }
            TypeDef::Flags(k) => {
                writeln!(out, "  flags {n} {{ {} }}", labels(*k).join(", ")).unwrap()
            }
            TypeDef::Resource(ms) if ms.is_empty() => writeln!(out, "  resource {n};").unwrap(),
            TypeDef::Resource(ms) => {
                // Its methods may name the resource itself.
                let mut scope = scope.to_vec();
                scope.push(Named {
                    name: name.to_string(),
                    resource: true,
                });
                writeln!(out, "  resource {n} {{").unwrap();
                let mut constructed = false;
                for (i, m) in ms.iter().enumerate() {
                    let m_name = format!("m{i}");
                    match m {
                        Method::Constructor(ps) if !constructed => {
                            constructed = true;
                            writeln!(out, "    constructor{};", params(ps, &scope)).unwrap();
                        }
                        Method::Constructor(_) => {}
                        Method::Method(f) => {
                            writeln!(out, "    {m_name}: {}", f.text("", &scope)).unwrap()
                        }
                        Method::Static(f) => {
                            writeln!(out, "    {m_name}: {}", f.text("static ", &scope)).unwrap()
                        }
                    }
                }
                writeln!(out, "  }}").unwrap();
            }
            TypeDef::Alias(t) => writeln!(out, "  type {n} = {};", t.text(scope, false)).unwrap(),
        }
    }
}

/// Appends the `use`s and type definitions of an interface or world to
/// `out`, giving the types in scope after them; `defined` are the
/// interfaces before that define types; `off_in_package` whether the
/// package gates a type definition off.
fn uses_and_types(
    uses: &[Use],
    types: &[(Attrs, TypeDef)],
    defined: &[&Source],
    versioned: bool,
    off_in_package: bool,
    out: &mut String,
) -> Vec<Named> {
    let mut scope: Vec<Named> = Vec::new();
    for (k, u) in uses.iter().enumerate() {
        if defined.is_empty() {
            break;
        }
        let from = defined[u.from % defined.len()];
        let used = &from.types[u.ty % from.types.len()];
        let local = format!("used{k}");
        let clashes = scope.iter().any(|n| n.name == used.name)
            || TYPE_NAMES[..types.len()].contains(&used.name.as_str());
        let (alias, name) = if u.rename || clashes {
            (format!(" as {}", ident(&local, k)), local)
        } else {
            (String::new(), used.name.clone())
        };
        writeln!(
            out,
            "  use {}.{{{}{alias}}};",
            from.path,
            ident(&used.name, k)
        )
        .unwrap();
        scope.push(Named {
            name,
            resource: used.resource,
        });
    }
    for (k, (attrs, t)) in types.iter().enumerate() {
        let name = TYPE_NAMES[k];
        t.written_attrs(*attrs, off_in_package)
            .text("  ", versioned, out);
        t.text(name, &scope, out);
        scope.push(Named {
            name: name.to_string(),
            resource: matches!(t, TypeDef::Resource(_)),
        });
    }
    scope
}

/// The interfaces `is` (modulo `count`), each once, in order.
fn distinct(is: &[usize], count: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for i in is.iter().map(|i| i % count) {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

impl Package {
    /// The package as WIT text.
    fn text(&self) -> String {
        let mut out = String::new();
        let versioned = self.version;
        let version = if versioned { "@1.2.3" } else { "" };
        writeln!(out, "package gen:pkg{version};\n").unwrap();
        let mut sources: Vec<Source> = Vec::new();
        let mut nested = String::new();
        for (n, types) in self.foreign.iter().enumerate() {
            writeln!(nested, "package dep:p{n}@1.0.0 {{\ninterface e {{").unwrap();
            let scope = uses_and_types(&[], types, &[], true, false, &mut nested);
            writeln!(nested, "}}\n}}\n").unwrap();
            sources.push(Source {
                path: format!("dep:p{n}/e@1.0.0"),
                local: None,
                types: scope,
            });
        }
        let off = self
            .interfaces
            .iter()
            .flat_map(|i| &i.types)
            .chain(self.worlds.iter().flat_map(|w| &w.types))
            .any(|(a, t)| matches!(t.written_attrs(*a, false).gate, Gate::Off));
        // The earlier interfaces each interface uses.
        let mut deps: Vec<Vec<usize>> = Vec::new();
        for (n, i) in self.interfaces.iter().enumerate() {
            i.attrs.text("", versioned, &mut out);
            writeln!(out, "interface i{n} {{").unwrap();
            let defined = with_types(&sources);
            let scope = uses_and_types(&i.uses, &i.types, &defined, versioned, off, &mut out);
            let mut ds: Vec<usize> = Vec::new();
            for from in used_locals(&i.uses, &defined) {
                ds.push(from);
                ds.extend(deps[from].iter().copied());
            }
            for (k, (attrs, f)) in i.funcs.iter().enumerate() {
                attrs.text("  ", versioned, &mut out);
                writeln!(out, "  f{k}: {}", f.text("", &scope)).unwrap();
            }
            writeln!(out, "}}\n").unwrap();
            sources.push(Source {
                path: format!("i{n}"),
                local: Some(n),
                types: scope[scope.len() - i.types.len()..].to_vec(),
            });
            deps.push(ds);
        }
        let count = self.interfaces.len();
        for (n, w) in self.worlds.iter().enumerate() {
            w.attrs.text("", versioned, &mut out);
            writeln!(out, "world w{n} {{").unwrap();
            let defined = with_types(&sources);
            let scope = uses_and_types(&w.uses, &w.types, &defined, versioned, off, &mut out);
            // What the world imports (and so may not export): its own
            // imports, the interfaces its `use`s name, and what they use.
            let mut imported: Vec<usize> = w.imports.iter().map(|i| i % count).collect();
            imported.extend(used_locals(&w.uses, &defined));
            let mut k = 0;
            while k < imported.len() {
                imported.extend(deps[imported[k]].clone());
                k += 1;
            }
            if n > 0 {
                for j in distinct(&w.includes, n) {
                    writeln!(out, "  include w{j};").unwrap();
                }
            }
            for i in distinct(&w.imports, count) {
                writeln!(out, "  import i{i};").unwrap();
            }
            for i in distinct(&w.exports, count) {
                if !imported.contains(&i) {
                    writeln!(out, "  export i{i};").unwrap();
                }
            }
            for (k, (import, attrs, f)) in w.funcs.iter().enumerate() {
                let dir = if *import { "import" } else { "export" };
                attrs.text("  ", versioned, &mut out);
                writeln!(out, "  {dir} g{k}-w{n}: {}", f.text("", &scope)).unwrap();
            }
            for (k, (import, fs)) in w.inline.iter().enumerate() {
                let dir = if *import { "import" } else { "export" };
                writeln!(out, "  {dir} x{k}-w{n}: interface {{").unwrap();
                for (j, f) in fs.iter().enumerate() {
                    writeln!(out, "    f{j}: {}", f.text("", &[])).unwrap();
                }
                writeln!(out, "  }}").unwrap();
            }
            writeln!(out, "}}\n").unwrap();
        }
        out + &nested
    }
}

/// The interfaces that define types.
fn with_types(sources: &[Source]) -> Vec<&Source> {
    sources.iter().filter(|s| !s.types.is_empty()).collect()
}

/// The interfaces of the package (by index) that `uses` name.
fn used_locals(uses: &[Use], defined: &[&Source]) -> Vec<usize> {
    if defined.is_empty() {
        return Vec::new();
    }
    uses.iter()
        .filter_map(|u| defined[u.from % defined.len()].local)
        .collect()
}

/// Resolves `text` with feature `on` enabled.
fn ours(text: &str) -> (Resolve, Result<PackageId, String>) {
    let mut resolve = Resolve::new();
    resolve.features.insert("on".to_string());
    let pkg = push_str(&mut resolve, "gen.wit", text).map_err(|e| e.render(&resolve.sources));
    (resolve, pkg)
}

/// What wit-component prints for wit-parser's resolve of `text`, feature
/// `on` enabled, the other packages nested.
fn oracle(text: &str) -> Result<String, String> {
    let mut resolve = wit_parser::Resolve::new();
    resolve.features.insert("on".to_string());
    let pkg = resolve
        .push_str("gen.wit", text)
        .map_err(|e| format!("{e:?}"))?;
    let nested: Vec<_> = resolve
        .packages
        .iter()
        .map(|(id, _)| id)
        .filter(|&id| id != pkg)
        .collect();
    let mut printer = wit_component::WitPrinter::default();
    printer
        .print(&resolve, pkg, &nested)
        .map_err(|e| format!("{e:?}"))?;
    Ok(printer.output.to_string())
}

/// The WIT-package binary that wit-component writes for wit-parser's
/// resolve of `text`, feature `on` enabled.
fn oracle_binary(text: &str) -> Result<Vec<u8>, String> {
    let mut resolve = wit_parser::Resolve::new();
    resolve.features.insert("on".to_string());
    let pkg = resolve
        .push_str("gen.wit", text)
        .map_err(|e| format!("{e:?}"))?;
    wit_component::encode(&resolve, pkg).map_err(|e| format!("{e:?}"))
}

/// The main package `pkg` printed with every other package nested in it.
fn print_all(resolve: &Resolve, pkg: PackageId) -> String {
    let nested: Vec<PackageId> = (0..resolve.packages.len()).filter(|&p| p != pkg).collect();
    print(resolve, pkg, &nested)
}

proptest! {
    /// A generated package resolves if and only if wit-parser resolves it
    /// (the generator keeps to valid WIT but for what gates leave out and
    /// what `include`s bring together); then it prints as wit-component
    /// prints it, and what it prints resolves and prints the same.
    #[test]
    fn printing_resolved_wit_is_a_fixed_point(p in package()) {
        let text = p.text();
        let (resolve1, pkg) = ours(&text);
        let theirs = oracle(&text);
        let (pkg, theirs) = match (pkg, theirs) {
            (Ok(pkg), Ok(theirs)) => (pkg, theirs),
            (Err(_), Err(_)) => return Ok(()),
            (ours, theirs) => {
                return Err(TestCaseError::fail(format!(
                    "witness: {ours:?}\nwit-parser: {theirs:?}\n{text}"
                )));
            }
        };
        let printed = print_all(&resolve1, pkg);
        prop_assert_eq!(&printed, &theirs, "not as wit-component prints\n{}", text);
        let (resolve2, pkg2) = ours(&printed);
        let pkg2 = pkg2.map_err(|e| TestCaseError::fail(format!("printed WIT: {e}\n{printed}")))?;
        let reprinted = print_all(&resolve2, pkg2);
        prop_assert_eq!(&printed, &reprinted, "printing is not a fixed point\n{}", text);
    }

    /// A resolved package encodes as a WIT-package binary (WIT.md "Package
    /// Format") that witness and wasmparser validate, or is refused at a
    /// type that has no component-model form; the binary decodes, with
    /// witness's decoder and with wit-component's, to the package it was:
    /// the same printed WIT.
    #[test]
    fn package_binary_decodes_to_the_same_wit(p in package()) {
        let text = p.text();
        let (resolve, Ok(pkg)) = ours(&text) else {
            return Ok(());
        };
        // Every interface gated off: a package with no interfaces and no
        // worlds has no binary form (its name lives in the exports' names),
        // and `encode` says so.
        let p = &resolve.packages[pkg];
        if p.interfaces.is_empty() && p.worlds.is_empty() {
            let e = encode(&resolve, pkg).map(|_| ()).unwrap_err();
            prop_assert!(e.rule == Rule::Binary && e.span.is_none(), "{e:?}");
            return Ok(());
        }
        let printed = print(&resolve, pkg, &[]);
        let bytes = match encode(&resolve, pkg) {
            Ok(bytes) => bytes,
            // WIT accepts some types that the component model does not
            // (Explainer.md: `stream<char>`, a `stream` or `future` of a
            // `borrow`): witness refuses at the type, and the binary that
            // wit-component writes for the package does not validate.
            Err(e) if e.rule == Rule::Binary && e.span.is_some() => {
                let theirs = oracle_binary(&text)
                    .map_err(|o| TestCaseError::fail(format!("wit-component: {o}\n{text}")))?;
                prop_assert!(
                    witness_spec::validate(&theirs, &witness_spec::Features::ALL).is_err(),
                    "witness refuses a package wit-component encodes validly: {}\n{}",
                    e.render(&resolve.sources),
                    text
                );
                return Ok(());
            }
            Err(e) => {
                return Err(TestCaseError::fail(format!(
                    "{}\n{text}",
                    e.render(&resolve.sources)
                )));
            }
        };
        witness_spec::validate(&bytes, &witness_spec::Features::ALL)
            .map_err(|e| TestCaseError::fail(format!("witness: {e:?}\n{text}")))?;
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(&bytes)
            .map_err(|e| TestCaseError::fail(format!("wasmparser: {e}\n{text}")))?;
        let mut back = Resolve::new();
        back.features.insert("on".to_string());
        let pkg2 = decode(&mut back, &bytes)
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        prop_assert_eq!(&print(&back, pkg2, &[]), &printed, "decoded differently\n{}", text);
        let theirs = wit_component::decode(&bytes)
            .map_err(|e| TestCaseError::fail(format!("wit-component: {e:?}\n{text}")))?;
        let mut printer = wit_component::WitPrinter::default();
        printer
            .print(theirs.resolve(), theirs.package(), &[])
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(
            &printer.output.to_string(),
            &printed,
            "wit-component decodes differently\n{}",
            text
        );
    }
}
