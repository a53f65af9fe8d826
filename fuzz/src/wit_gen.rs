//! A generator of WIT text that is mostly well-formed (WIT.md's grammar,
//! with names from a small pool so that references often resolve), and a
//! token soup of WIT's lexemes. Both reach the resolver far more often than
//! random text does.

use arbitrary::{Result, Unstructured};
use std::fmt::Write;

/// Identifiers: few, so that `use`, type references and `include`s often
/// name something that exists (and sometimes something twice).
const NAMES: &[&str] = &[
    "a", "b", "c", "foo", "bar", "x-y", "r", "t", "%type", "%own", "a1", "f",
];
const NAMESPACES: &[&str] = &["ns", "wasi", "a", "foo"];
/// Package names (no keywords: they may not be escaped there).
const PACKAGES: &[&str] = &["a", "b", "foo", "bar", "x-y", "t"];
const VERSIONS: &[&str] = &["", "@1.0.0", "@0.2.0-rc.1", "@2.1.0+build", "@0.0.1"];
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
const TOKENS: &[&str] = &[
    "package",
    "interface",
    "world",
    "use",
    "type",
    "func",
    "async",
    "resource",
    "record",
    "variant",
    "enum",
    "flags",
    "import",
    "export",
    "include",
    "with",
    "as",
    "static",
    "constructor",
    "list",
    "option",
    "result",
    "tuple",
    "future",
    "stream",
    "own",
    "borrow",
    "map",
    "u32",
    "string",
    "_",
    "{",
    "}",
    "(",
    ")",
    "<",
    ">",
    ",",
    ";",
    ":",
    ".",
    "/",
    "@",
    "->",
    "=",
    "*",
    "a",
    "b",
    "ns:pkg",
    "1.0.0",
    "%a",
    "@since(version = 1.0.0)",
    "@unstable(feature = x)",
    "@deprecated(version = 1.0.0)",
    "/// doc\n",
    "// c\n",
    "/*",
    "*/",
    "\n",
    " ",
];

/// Random WIT lexemes separated by spaces.
pub fn token_soup(u: &mut Unstructured<'_>) -> Result<String> {
    let mut s = String::new();
    let n = u.int_in_range(0..=200)?;
    for _ in 0..n {
        s.push_str(u.choose(TOKENS)?);
        s.push(' ');
    }
    Ok(s)
}

/// A WIT file: a package header, interfaces and worlds, maybe nested
/// packages.
pub fn file(u: &mut Unstructured<'_>) -> Result<String> {
    let mut g = Gen {
        u,
        out: String::new(),
        depth: 0,
        items: Vec::new(),
        types: Vec::new(),
    };
    g.file()?;
    Ok(g.out)
}

struct Gen<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    out: String,
    depth: u32,
    /// Interfaces and worlds defined so far in the package.
    items: Vec<String>,
    /// Types defined so far in the current interface or world.
    types: Vec<String>,
}

impl Gen<'_, '_> {
    fn name(&mut self) -> Result<&'static str> {
        self.u.choose(NAMES).copied()
    }

    fn package_name(&mut self) -> Result<String> {
        let ns = self.u.choose(NAMESPACES)?;
        let n = self.u.choose(PACKAGES)?;
        let v = self.u.choose(VERSIONS)?;
        Ok(format!("{ns}:{n}{v}"))
    }

    /// A name for a new item: mostly one not yet used in `used`.
    fn fresh(&mut self, used: &mut Vec<String>) -> Result<String> {
        let base = self.name()?;
        let mut name = base.to_string();
        if self.u.ratio(7, 8)? {
            let mut k = 1;
            while used.contains(&name) {
                k += 1;
                name = format!("{}{k}", base.trim_start_matches('%'));
            }
        }
        used.push(name.clone());
        Ok(name)
    }

    /// A reference to an item: mostly one of `defined`.
    fn reference(&mut self, defined: &[String]) -> Result<String> {
        if !defined.is_empty() && self.u.ratio(3, 4)? {
            Ok(self.u.choose(defined)?.clone())
        } else {
            Ok(self.name()?.to_string())
        }
    }

    fn gate(&mut self) -> Result<()> {
        match self.u.int_in_range(0..=15)? {
            0 => self.out.push_str("@since(version = 0.0.1) "),
            1 => self.out.push_str("@unstable(feature = x) "),
            2 => self
                .out
                .push_str("@since(version = 0.0.1) @deprecated(version = 0.0.1) "),
            3 | 4 => self.out.push_str("/// docs\n"),
            _ => {}
        }
        Ok(())
    }

    fn file(&mut self) -> Result<()> {
        if self.u.ratio(15, 16)? {
            let p = self.package_name()?;
            writeln!(self.out, "package {p};").ok();
        }
        let n = self.u.int_in_range(0..=6)?;
        for _ in 0..n {
            match self.u.int_in_range(0..=5)? {
                0..=2 => self.interface()?,
                3 | 4 => self.world()?,
                _ => {
                    let p = self.package_name()?;
                    writeln!(self.out, "package {p} {{").ok();
                    let outer = std::mem::take(&mut self.items);
                    let k = self.u.int_in_range(0..=3)?;
                    for _ in 0..k {
                        if self.u.arbitrary()? {
                            self.interface()?;
                        } else {
                            self.world()?;
                        }
                    }
                    self.items = outer;
                    self.out.push_str("}\n");
                }
            }
        }
        Ok(())
    }

    fn interface(&mut self) -> Result<()> {
        self.gate()?;
        // Named now, in scope after its body (a `use` of itself is a cycle).
        let mut items = std::mem::take(&mut self.items);
        let n = self.fresh(&mut items)?;
        items.pop();
        self.items = items;
        self.types.clear();
        let mut funcs = Vec::new();
        writeln!(self.out, "interface {n} {{").ok();
        let k = self.u.int_in_range(0..=8)?;
        for _ in 0..k {
            self.gate()?;
            match self.u.int_in_range(0..=4)? {
                0 => self.use_()?,
                1 | 2 => self.typedef()?,
                _ => {
                    let n = self.fresh(&mut funcs)?;
                    write!(self.out, "  {n}: ").ok();
                    self.func()?;
                    self.out.push_str(";\n");
                }
            }
        }
        self.out.push_str("}\n");
        self.items.push(n);
        Ok(())
    }

    fn path(&mut self) -> Result<String> {
        let items = self.items.clone();
        let n = self.reference(&items)?;
        Ok(if self.u.ratio(1, 8)? {
            let p = self.package_name()?;
            match p.split_once('@') {
                Some((p, v)) => format!("{p}/{n}@{v}"),
                None => format!("{p}/{n}"),
            }
        } else {
            n.to_string()
        })
    }

    fn use_(&mut self) -> Result<()> {
        let p = self.path()?;
        write!(self.out, "  use {p}.{{").ok();
        let k = self.u.int_in_range(1..=3)?;
        for i in 0..k {
            if i > 0 {
                self.out.push_str(", ");
            }
            let n = self.name()?;
            self.out.push_str(n);
            let mut types = std::mem::take(&mut self.types);
            if self.u.ratio(1, 4)? {
                let m = self.fresh(&mut types)?;
                write!(self.out, " as {m}").ok();
            } else {
                types.push(n.to_string());
            }
            self.types = types;
        }
        self.out.push_str("};\n");
        Ok(())
    }

    fn typedef(&mut self) -> Result<()> {
        let mut types = std::mem::take(&mut self.types);
        let n = self.fresh(&mut types)?;
        self.types = types;
        match self.u.int_in_range(0..=6)? {
            0 => {
                write!(self.out, "  type {n} = ").ok();
                self.ty()?;
                self.out.push_str(";\n");
            }
            1 => {
                writeln!(self.out, "  record {n} {{").ok();
                let k = self.u.int_in_range(0..=4)?;
                for _ in 0..k {
                    let f = self.name()?;
                    write!(self.out, "    {f}: ").ok();
                    self.ty()?;
                    self.out.push_str(",\n");
                }
                self.out.push_str("  }\n");
            }
            2 => {
                write!(self.out, "  variant {n} {{ ").ok();
                let k = self.u.int_in_range(0..=4)?;
                for _ in 0..k {
                    let c = self.name()?;
                    self.out.push_str(c);
                    if self.u.arbitrary()? {
                        self.out.push('(');
                        self.ty()?;
                        self.out.push(')');
                    }
                    self.out.push_str(", ");
                }
                self.out.push_str("}\n");
            }
            3 | 4 => {
                let kw = if self.u.arbitrary()? { "enum" } else { "flags" };
                write!(self.out, "  {kw} {n} {{ ").ok();
                let k = self.u.int_in_range(0..=4)?;
                for _ in 0..k {
                    let c = self.name()?;
                    write!(self.out, "{c}, ").ok();
                }
                self.out.push_str("}\n");
            }
            _ => {
                write!(self.out, "  resource {n}").ok();
                if self.u.arbitrary()? {
                    self.out.push_str(";\n");
                    return Ok(());
                }
                self.out.push_str(" {\n");
                let k = self.u.int_in_range(0..=4)?;
                for _ in 0..k {
                    self.gate()?;
                    match self.u.int_in_range(0..=2)? {
                        0 => {
                            self.out.push_str("    constructor");
                            self.params()?;
                            if self.u.ratio(1, 4)? {
                                self.out.push_str(" -> ");
                                self.ty()?;
                            }
                        }
                        1 => {
                            let m = self.name()?;
                            write!(self.out, "    {m}: static ").ok();
                            self.func()?;
                        }
                        _ => {
                            let m = self.name()?;
                            write!(self.out, "    {m}: ").ok();
                            self.func()?;
                        }
                    }
                    self.out.push_str(";\n");
                }
                self.out.push_str("  }\n");
            }
        }
        Ok(())
    }

    fn params(&mut self) -> Result<()> {
        self.out.push('(');
        let k = self.u.int_in_range(0..=3)?;
        for i in 0..k {
            if i > 0 {
                self.out.push_str(", ");
            }
            let p = self.name()?;
            write!(self.out, "{p}: ").ok();
            self.ty()?;
        }
        self.out.push(')');
        Ok(())
    }

    fn func(&mut self) -> Result<()> {
        if self.u.ratio(1, 4)? {
            self.out.push_str("async ");
        }
        self.out.push_str("func");
        self.params()?;
        if self.u.arbitrary()? {
            self.out.push_str(" -> ");
            self.ty()?;
        }
        Ok(())
    }

    fn ty(&mut self) -> Result<()> {
        self.depth += 1;
        let leaf = self.depth > 3;
        let r = self.ty_inner(leaf);
        self.depth -= 1;
        r
    }

    fn ty_inner(&mut self, leaf: bool) -> Result<()> {
        let pick = if leaf {
            self.u.int_in_range(0..=1)?
        } else {
            self.u.int_in_range(0..=12)?
        };
        match pick {
            0 => {
                let p = self.u.choose(PRIMITIVES)?;
                self.out.push_str(p);
            }
            1 => {
                let types = self.types.clone();
                let n = self.reference(&types)?;
                self.out.push_str(&n);
            }
            2 | 3 => {
                self.out.push_str("list<");
                self.ty()?;
                if self.u.ratio(1, 4)? {
                    let n = self.u.int_in_range(0..=4u32)?;
                    write!(self.out, ", {n}").ok();
                }
                self.out.push('>');
            }
            4 => {
                self.out.push_str("option<");
                self.ty()?;
                self.out.push('>');
            }
            5 => match self.u.int_in_range(0..=3)? {
                0 => self.out.push_str("result"),
                1 => {
                    self.out.push_str("result<_, ");
                    self.ty()?;
                    self.out.push('>');
                }
                2 => {
                    self.out.push_str("result<");
                    self.ty()?;
                    self.out.push('>');
                }
                _ => {
                    self.out.push_str("result<");
                    self.ty()?;
                    self.out.push_str(", ");
                    self.ty()?;
                    self.out.push('>');
                }
            },
            6 => {
                self.out.push_str("tuple<");
                let k = self.u.int_in_range(0..=3)?;
                for i in 0..k {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.ty()?;
                }
                self.out.push('>');
            }
            7 | 8 => {
                let kw = if self.u.arbitrary()? { "own" } else { "borrow" };
                let types = self.types.clone();
                let n = self.reference(&types)?;
                write!(self.out, "{kw}<{n}>").ok();
            }
            9 | 10 => {
                let kw = if self.u.arbitrary()? {
                    "future"
                } else {
                    "stream"
                };
                self.out.push_str(kw);
                if self.u.arbitrary()? {
                    self.out.push('<');
                    self.ty()?;
                    self.out.push('>');
                }
            }
            _ => {
                self.out.push_str("map<");
                self.ty()?;
                self.out.push_str(", ");
                self.ty()?;
                self.out.push('>');
            }
        }
        Ok(())
    }

    fn world(&mut self) -> Result<()> {
        self.gate()?;
        // Named now, in scope after its body (a `use` of itself is a cycle).
        let mut items = std::mem::take(&mut self.items);
        let n = self.fresh(&mut items)?;
        items.pop();
        self.items = items;
        self.types.clear();
        let mut names = Vec::new();
        writeln!(self.out, "world {n} {{").ok();
        let k = self.u.int_in_range(0..=6)?;
        for _ in 0..k {
            self.gate()?;
            match self.u.int_in_range(0..=6)? {
                0 => self.use_()?,
                1 => self.typedef()?,
                2 => {
                    let p = self.path()?;
                    write!(self.out, "  include {p}").ok();
                    if self.u.ratio(1, 4)? {
                        let a = self.name()?;
                        let b = self.name()?;
                        // `with { .. }` ends the item; no `;`.
                        writeln!(self.out, " with {{ {a} as {b} }}").ok();
                    } else {
                        self.out.push_str(";\n");
                    }
                }
                _ => {
                    let dir = if self.u.arbitrary()? {
                        "import"
                    } else {
                        "export"
                    };
                    match self.u.int_in_range(0..=2)? {
                        0 => {
                            let p = self.path()?;
                            writeln!(self.out, "  {dir} {p};").ok();
                        }
                        1 => {
                            let n = self.fresh(&mut names)?;
                            write!(self.out, "  {dir} {n}: ").ok();
                            self.func()?;
                            self.out.push_str(";\n");
                        }
                        _ => {
                            let n = self.fresh(&mut names)?;
                            writeln!(self.out, "  {dir} {n}: interface {{").ok();
                            let f = self.name()?;
                            write!(self.out, "    {f}: ").ok();
                            self.func()?;
                            self.out.push_str(";\n  }\n");
                        }
                    }
                }
            }
        }
        self.out.push_str("}\n");
        self.items.push(n);
        Ok(())
    }
}
