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
    };
    g.file()?;
    Ok(g.out)
}

struct Gen<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    out: String,
    depth: u32,
}

impl Gen<'_, '_> {
    fn name(&mut self) -> Result<&'static str> {
        self.u.choose(NAMES).copied()
    }

    fn package_name(&mut self) -> Result<String> {
        let ns = self.u.choose(NAMESPACES)?;
        let n = self.name()?;
        let v = self.u.choose(VERSIONS)?;
        Ok(format!("{ns}:{}{v}", n.trim_start_matches('%')))
    }

    fn gate(&mut self) -> Result<()> {
        match self.u.int_in_range(0..=7)? {
            0 => self.out.push_str("@since(version = 1.0.0) "),
            1 => self.out.push_str("@unstable(feature = x) "),
            2 => self.out.push_str("@deprecated(version = 0.1.0) "),
            3 => self.out.push_str("/// docs\n"),
            _ => {}
        }
        Ok(())
    }

    fn file(&mut self) -> Result<()> {
        if self.u.ratio(7, 8)? {
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
                    let k = self.u.int_in_range(0..=3)?;
                    for _ in 0..k {
                        if self.u.arbitrary()? {
                            self.interface()?;
                        } else {
                            self.world()?;
                        }
                    }
                    self.out.push_str("}\n");
                }
            }
        }
        Ok(())
    }

    fn interface(&mut self) -> Result<()> {
        self.gate()?;
        let n = self.name()?;
        writeln!(self.out, "interface {n} {{").ok();
        let k = self.u.int_in_range(0..=8)?;
        for _ in 0..k {
            self.gate()?;
            match self.u.int_in_range(0..=4)? {
                0 => self.use_()?,
                1 | 2 => self.typedef()?,
                _ => {
                    let n = self.name()?;
                    write!(self.out, "  {n}: ").ok();
                    self.func()?;
                    self.out.push_str(";\n");
                }
            }
        }
        self.out.push_str("}\n");
        Ok(())
    }

    fn path(&mut self) -> Result<String> {
        let n = self.name()?;
        Ok(if self.u.ratio(1, 3)? {
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
            if self.u.ratio(1, 4)? {
                let m = self.name()?;
                write!(self.out, " as {m}").ok();
            }
        }
        self.out.push_str("};\n");
        Ok(())
    }

    fn typedef(&mut self) -> Result<()> {
        let n = self.name()?;
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
                let n = self.name()?;
                self.out.push_str(n);
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
                let n = self.name()?;
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
        let n = self.name()?;
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
                        write!(self.out, " with {{ {a} as {b} }}").ok();
                    }
                    self.out.push_str(";\n");
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
                            let n = self.name()?;
                            write!(self.out, "  {dir} {n}: ").ok();
                            self.func()?;
                            self.out.push_str(";\n");
                        }
                        _ => {
                            let n = self.name()?;
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
        Ok(())
    }
}
