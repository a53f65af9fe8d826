//! WIT round trips (spec/src/wit): generated small WIT packages
//! (interfaces with `use`s, records, variants, enums, flags, resources,
//! aliases and functions; worlds importing and exporting interfaces and
//! functions) resolve; what the resolve prints resolves again and prints
//! the same (a fixed point); and it is what wit-component's printer prints
//! for wit-parser's resolve of the same text (the oracle of wit_suite.rs).
//!
//! A generated package is a [`Package`] of choices; names and references
//! are indices that the rendering ([`Package::text`]) takes modulo what is
//! in scope, so every package is well-formed WIT and shrinks to a smaller
//! well-formed one.

use proptest::collection::vec;
use proptest::prelude::*;
use std::fmt::Write;
use witness_spec::wit::{Resolve, print, push_str};

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
    "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "bool", "char", "string",
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
}

#[derive(Clone, Debug)]
struct Func {
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
    docs: bool,
    uses: Vec<Use>,
    types: Vec<TypeDef>,
    funcs: Vec<Func>,
}

#[derive(Clone, Debug)]
struct World {
    imports: Vec<usize>,
    exports: Vec<usize>,
    uses: Vec<Use>,
    types: Vec<TypeDef>,
    /// Functions, imported (`true`) or exported.
    funcs: Vec<(bool, Func)>,
}

#[derive(Clone, Debug)]
struct Package {
    version: bool,
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
            vec(inner, 1..4).prop_map(Ty::Tuple),
        ]
    })
}

fn func() -> impl Strategy<Value = Func> {
    (vec(ty(), 0..4), proptest::option::of(ty()))
        .prop_map(|(params, result)| Func { params, result })
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
        any::<bool>(),
        vec(use_(), 0..3),
        vec(type_def(), 0..4),
        vec(func(), 0..3),
    )
        .prop_map(|(docs, uses, types, funcs)| Interface {
            docs,
            uses,
            types,
            funcs,
        });
    let world = (
        vec(any::<usize>(), 0..3),
        vec(any::<usize>(), 0..3),
        vec(use_(), 0..2),
        vec(type_def(), 0..2),
        vec((any::<bool>(), func()), 0..3),
    )
        .prop_map(|(imports, exports, uses, types, funcs)| World {
            imports,
            exports,
            uses,
            types,
            funcs,
        });
    (any::<bool>(), vec(interface, 1..4), vec(world, 0..3)).prop_map(
        |(version, interfaces, worlds)| Package {
            version,
            interfaces,
            worlds,
        },
    )
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

/// The types an interface defines (for `use`s of later interfaces).
type Exports = Vec<Named>;

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
        let mut s = format!("{prefix}func{}", params(&self.params, scope));
        if let Some(r) = &self.result {
            write!(s, " -> {}", r.text(scope, false)).unwrap();
        }
        s + ";"
    }
}

impl TypeDef {
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
/// `out`, giving the types in scope after them; `defined` are the types
/// of the interfaces before (non-empty ones only are used from).
fn uses_and_types(
    uses: &[Use],
    types: &[TypeDef],
    defined: &[(usize, &Exports)],
    out: &mut String,
) -> Vec<Named> {
    let mut scope: Vec<Named> = Vec::new();
    for (k, u) in uses.iter().enumerate() {
        if defined.is_empty() {
            break;
        }
        let (from, exports) = defined[u.from % defined.len()];
        let used = &exports[u.ty % exports.len()];
        let local = format!("used{k}");
        let clashes = scope.iter().any(|n| n.name == used.name)
            || TYPE_NAMES[..types.len()].contains(&used.name.as_str());
        let (alias, name) = if u.rename || clashes {
            (format!(" as {}", ident(&local, k)), local)
        } else {
            (String::new(), used.name.clone())
        };
        writeln!(out, "  use i{from}.{{{}{alias}}};", ident(&used.name, k)).unwrap();
        scope.push(Named {
            name,
            resource: used.resource,
        });
    }
    for (k, t) in types.iter().enumerate() {
        let name = TYPE_NAMES[k];
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
        let version = if self.version { "@1.2.3" } else { "" };
        writeln!(out, "package gen:pkg{version};\n").unwrap();
        let mut exports: Vec<Exports> = Vec::new();
        // The earlier interfaces each interface uses.
        let mut deps: Vec<Vec<usize>> = Vec::new();
        for (n, i) in self.interfaces.iter().enumerate() {
            if i.docs {
                writeln!(out, "/// Interface {n}.").unwrap();
            }
            writeln!(out, "interface i{n} {{").unwrap();
            let defined: Vec<(usize, &Exports)> = exports
                .iter()
                .enumerate()
                .filter(|(_, e)| !e.is_empty())
                .collect();
            let scope = uses_and_types(&i.uses, &i.types, &defined, &mut out);
            let mut ds: Vec<usize> = Vec::new();
            if !defined.is_empty() {
                for u in &i.uses {
                    let from = defined[u.from % defined.len()].0;
                    ds.push(from);
                    ds.extend(deps[from].iter().copied());
                }
            }
            for (k, f) in i.funcs.iter().enumerate() {
                writeln!(out, "  f{k}: {}", f.text("", &scope)).unwrap();
            }
            writeln!(out, "}}\n").unwrap();
            exports.push(scope[scope.len() - i.types.len()..].to_vec());
            deps.push(ds);
        }
        let count = self.interfaces.len();
        for (n, w) in self.worlds.iter().enumerate() {
            writeln!(out, "world w{n} {{").unwrap();
            let defined: Vec<(usize, &Exports)> = exports
                .iter()
                .enumerate()
                .filter(|(_, e)| !e.is_empty())
                .collect();
            let scope = uses_and_types(&w.uses, &w.types, &defined, &mut out);
            // What the world imports (and so may not export): its own
            // imports, the interfaces its `use`s name, and what they use.
            let mut imported: Vec<usize> = w.imports.iter().map(|i| i % count).collect();
            if !defined.is_empty() {
                imported.extend(w.uses.iter().map(|u| defined[u.from % defined.len()].0));
            }
            let mut k = 0;
            while k < imported.len() {
                imported.extend(deps[imported[k]].clone());
                k += 1;
            }
            imported.sort();
            imported.dedup();
            for i in distinct(&w.imports, count) {
                writeln!(out, "  import i{i};").unwrap();
            }
            for i in distinct(&w.exports, count) {
                if !imported.contains(&i) {
                    writeln!(out, "  export i{i};").unwrap();
                }
            }
            for (k, (import, f)) in w.funcs.iter().enumerate() {
                let dir = if *import { "import" } else { "export" };
                writeln!(out, "  {dir} g{k}: {}", f.text("", &scope)).unwrap();
            }
            writeln!(out, "}}\n").unwrap();
        }
        out
    }
}

/// Resolves `text`, or says why not.
fn resolve(
    text: &str,
    what: &str,
) -> Result<(Resolve, witness_spec::wit::PackageId), TestCaseError> {
    let mut resolve = Resolve::new();
    match push_str(&mut resolve, "gen.wit", text) {
        Ok(pkg) => Ok((resolve, pkg)),
        Err(e) => Err(TestCaseError::fail(format!(
            "{what} does not resolve: {}\n{text}",
            e.render(&resolve.sources)
        ))),
    }
}

/// What wit-component prints for wit-parser's resolve of `text`.
fn oracle(text: &str) -> Result<String, String> {
    let mut resolve = wit_parser::Resolve::new();
    let pkg = resolve
        .push_str("gen.wit", text)
        .map_err(|e| format!("{e:?}"))?;
    let mut printer = wit_component::WitPrinter::default();
    printer
        .print(&resolve, pkg, &[])
        .map_err(|e| format!("{e:?}"))?;
    Ok(printer.output.to_string())
}

proptest! {
    #[test]
    fn printing_resolved_wit_is_a_fixed_point(p in package()) {
        let text = p.text();
        let (resolve1, pkg) = resolve(&text, "generated WIT")?;
        let printed = print(&resolve1, pkg, &[]);
        let (resolve2, pkg2) = resolve(&printed, "printed WIT")?;
        let reprinted = print(&resolve2, pkg2, &[]);
        prop_assert_eq!(&printed, &reprinted, "printing is not a fixed point\n{}", text);
        let theirs = oracle(&text).map_err(|e| TestCaseError::fail(format!("wit-parser: {e}\n{text}")))?;
        prop_assert_eq!(&printed, &theirs, "not as wit-component prints\n{}", text);
    }
}
