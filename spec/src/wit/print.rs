//! Printing resolved WIT back as text, in the layout of `wasm-tools
//! component wit`: interfaces then worlds; in an interface its `use`s, its
//! types (resources with their functions) and its functions; in a world
//! imported interfaces, then types, then functions, then exports.

use super::model::*;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Prints package `pkg` (as the main package, `package ns:name;` first)
/// followed by the packages `nested` in `package ... { }` blocks.
pub fn print(resolve: &Resolve, pkg: PackageId, nested: &[PackageId]) -> String {
    let mut p = Printer::default();
    p.package(resolve, pkg, true);
    for (i, n) in nested.iter().enumerate() {
        if i > 0 {
            p.newline();
            p.newline();
        }
        p.package(resolve, *n, false);
    }
    p.out
}

/// The WIT text of an anonymous type of kind `kind` (`stream<char>`), for
/// messages.
pub(crate) fn anonymous_type_text(resolve: &Resolve, kind: &TypeDefKind) -> String {
    let mut p = Printer::default();
    p.anonymous(resolve, kind);
    p.out
}

/// Whether `name` must be written `%name`.
pub fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "use"
            | "type"
            | "func"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "s8"
            | "s16"
            | "s32"
            | "s64"
            | "f32"
            | "f64"
            | "float32"
            | "float64"
            | "char"
            | "resource"
            | "record"
            | "flags"
            | "variant"
            | "enum"
            | "bool"
            | "string"
            | "option"
            | "result"
            | "future"
            | "stream"
            | "list"
            | "own"
            | "borrow"
            | "_"
            | "as"
            | "from"
            | "static"
            | "interface"
            | "tuple"
            | "world"
            | "import"
            | "export"
            | "package"
            | "with"
            | "include"
            | "constructor"
            | "error-context"
            | "async"
            | "map"
    )
}

#[derive(Default)]
struct Printer {
    out: String,
    indent: usize,
    needs_indent: bool,
    any_items: bool,
}

impl Printer {
    fn indent_if_needed(&mut self) {
        if self.needs_indent {
            for _ in 0..self.indent {
                self.out.push_str("  ");
            }
            self.needs_indent = false;
        }
    }

    fn str(&mut self, s: &str) {
        self.indent_if_needed();
        self.out.push_str(s);
    }

    fn name(&mut self, s: &str) {
        self.indent_if_needed();
        if is_keyword(s) {
            self.out.push('%');
        }
        self.out.push_str(s);
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.needs_indent = true;
    }

    fn semicolon(&mut self) {
        self.out.push(';');
        self.newline();
    }

    fn indent_start(&mut self) {
        self.out.push_str(" {");
        self.indent += 1;
        self.newline();
    }

    fn indent_end(&mut self) {
        self.indent = self.indent.saturating_sub(1);
        self.indent_if_needed();
        self.out.push('}');
        self.newline();
    }

    fn new_item(&mut self) {
        if self.any_items {
            self.newline();
        }
        self.any_items = true;
    }

    fn docs(&mut self, docs: &Docs) {
        if let Some(c) = &docs.contents {
            for line in c.lines() {
                self.indent_if_needed();
                self.out.push_str("///");
                if !line.is_empty() {
                    self.out.push(' ');
                    self.out.push_str(line);
                }
                self.newline();
            }
        }
    }

    fn stability(&mut self, s: &Stability) {
        let deprecated = match s {
            Stability::Unknown => return,
            Stability::Stable { since, deprecated } => {
                self.str(&format!("@since(version = {since})"));
                deprecated
            }
            Stability::Unstable {
                feature,
                deprecated,
            } => {
                self.str(&format!("@unstable(feature = {feature})"));
                deprecated
            }
        };
        self.newline();
        if let Some(v) = deprecated {
            self.str(&format!("@deprecated(version = {v})"));
            self.newline();
        }
    }

    fn external_id(&mut self, id: Option<&str>) {
        let Some(id) = id else { return };
        self.str("@external-id(\"");
        for c in id.chars() {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | ' ') {
                self.out.push(c);
                continue;
            }
            match c {
                '\\' => self.out.push_str("\\\\"),
                '"' => self.out.push_str("\\\""),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                c => self.out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            }
        }
        self.out.push_str("\")");
        self.newline();
    }

    fn package(&mut self, resolve: &Resolve, id: PackageId, is_main: bool) {
        let pkg = &resolve.packages[id];
        self.docs(&pkg.docs);
        self.str("package ");
        self.name(&pkg.name.namespace);
        self.str(":");
        self.name(&pkg.name.name);
        if let Some(v) = &pkg.name.version {
            self.str(&format!("@{v}"));
        }
        if is_main {
            self.semicolon();
            self.newline();
        } else {
            self.indent_start();
        }
        for (name, iid) in pkg.interfaces.iter() {
            let iface = &resolve.interfaces[*iid];
            self.docs(&iface.docs);
            self.stability(&iface.stability);
            self.str("interface ");
            self.name(name);
            self.indent_start();
            self.interface(resolve, *iid);
            self.indent_end();
            if is_main {
                self.newline();
            }
        }
        for (name, wid) in pkg.worlds.iter() {
            let w = &resolve.worlds[*wid];
            self.docs(&w.docs);
            self.stability(&w.stability);
            self.str("world ");
            self.name(name);
            self.indent_start();
            self.world(resolve, *wid);
            self.indent_end();
        }
        if !is_main {
            self.indent_end();
        }
    }

    fn interface(&mut self, resolve: &Resolve, id: InterfaceId) {
        let prev = core::mem::replace(&mut self.any_items, false);
        let iface = &resolve.interfaces[id];
        let mut resource_funcs: BTreeMap<TypeId, Vec<&Function>> = BTreeMap::new();
        let mut freestanding = Vec::new();
        for f in iface.functions.values() {
            match f.kind.resource() {
                Some(r) => resource_funcs.entry(r).or_default().push(f),
                None => freestanding.push(f),
            }
        }
        let types: Vec<(&str, TypeId)> =
            iface.types.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        self.types(resolve, TypeOwner::Interface(id), &types, &resource_funcs);
        for f in freestanding {
            self.new_item();
            self.docs(&f.docs);
            self.stability(&f.stability);
            self.external_id(f.external_id.as_deref());
            self.name(f.item_name());
            self.str(": ");
            self.function(resolve, f);
            self.semicolon();
        }
        self.any_items = prev;
    }

    fn types(
        &mut self,
        resolve: &Resolve,
        owner: TypeOwner,
        types: &[(&str, TypeId)],
        resource_funcs: &BTreeMap<TypeId, Vec<&Function>>,
    ) {
        let mut declare = Vec::new();
        let mut imports: Vec<(TypeOwner, &TypeDef, Vec<(&str, &str)>)> = Vec::new();
        for (name, tid) in types {
            let ty = &resolve.types[*tid];
            if let TypeDefKind::Type(Type::Id(other)) = ty.kind {
                let other = &resolve.types[other];
                if other.owner != TypeOwner::None && other.owner != owner {
                    let other_name = other.name.as_deref().unwrap_or("");
                    if let Some((prev_owner, prev_ty, list)) = imports.last_mut()
                        && *prev_owner == other.owner
                        && ty.stability == prev_ty.stability
                        && ty.external_id == prev_ty.external_id
                    {
                        list.push((name, other_name));
                        continue;
                    }
                    imports.push((other.owner, ty, alloc::vec![(*name, other_name)]));
                    continue;
                }
            }
            declare.push(*tid);
        }
        let my_pkg = match owner {
            TypeOwner::Interface(i) => resolve.interfaces[i].package,
            TypeOwner::World(w) => resolve.worlds[w].package,
            TypeOwner::None => None,
        };
        for (owner, ty, names) in imports {
            self.any_items = true;
            self.stability(&ty.stability);
            self.external_id(ty.external_id.as_deref());
            self.str("use ");
            if let TypeOwner::Interface(i) = owner {
                self.path_to_interface(resolve, i, my_pkg);
            }
            self.str(".{");
            for (i, (mine, theirs)) in names.into_iter().enumerate() {
                if i > 0 {
                    self.str(", ");
                }
                if mine == theirs {
                    self.name(mine);
                } else {
                    self.name(theirs);
                    self.str(" as ");
                    self.name(mine);
                }
            }
            self.str("}");
            self.semicolon();
        }
        for tid in declare {
            self.new_item();
            let ty = &resolve.types[tid];
            self.docs(&ty.docs);
            self.stability(&ty.stability);
            self.external_id(ty.external_id.as_deref());
            match ty.kind {
                TypeDefKind::Resource => {
                    let none = Vec::new();
                    self.resource(resolve, tid, resource_funcs.get(&tid).unwrap_or(&none));
                }
                _ => self.declare_type(resolve, tid),
            }
        }
    }

    fn resource(&mut self, resolve: &Resolve, id: TypeId, funcs: &[&Function]) {
        self.str("resource ");
        self.name(resolve.types[id].name.as_deref().unwrap_or(""));
        if funcs.is_empty() {
            self.semicolon();
            return;
        }
        self.indent_start();
        for f in funcs {
            self.docs(&f.docs);
            self.stability(&f.stability);
            self.external_id(f.external_id.as_deref());
            match f.kind {
                FunctionKind::Constructor(_) => {}
                FunctionKind::Method(_) | FunctionKind::AsyncMethod(_) => {
                    self.name(f.item_name());
                    self.str(": ");
                }
                _ => {
                    self.name(f.item_name());
                    self.str(": static ");
                }
            }
            self.function(resolve, f);
            self.semicolon();
        }
        self.indent_end();
    }

    fn function(&mut self, resolve: &Resolve, f: &Function) {
        if f.kind.is_async() {
            self.str("async ");
        }
        match f.kind {
            FunctionKind::Constructor(_) => self.str("constructor("),
            _ => self.str("func("),
        }
        let skip = usize::from(matches!(
            f.kind,
            FunctionKind::Method(_) | FunctionKind::AsyncMethod(_)
        ));
        for (i, (name, ty)) in f.params.iter().skip(skip).enumerate() {
            if i > 0 {
                self.str(", ");
            }
            self.name(name);
            self.str(": ");
            self.type_name(resolve, *ty);
        }
        self.str(")");
        if let FunctionKind::Constructor(r) = f.kind
            && is_own_of(resolve, f.result, r)
        {
            return;
        }
        if let Some(t) = f.result {
            self.str(" -> ");
            self.type_name(resolve, t);
        }
    }

    fn world(&mut self, resolve: &Resolve, id: WorldId) {
        let prev = core::mem::replace(&mut self.any_items, false);
        let w = &resolve.worlds[id];
        let pkg = w.package;
        let mut types = Vec::new();
        let mut resource_funcs: BTreeMap<TypeId, Vec<&Function>> = BTreeMap::new();
        let mut funcs = Vec::new();
        for (key, item) in w.imports.iter() {
            match item {
                WorldItem::Type { id, .. } => {
                    if let WorldKey::Name(n) = key {
                        types.push((n.as_str(), *id));
                    }
                }
                WorldItem::Function(f) => match f.kind.resource() {
                    Some(r) => resource_funcs.entry(r).or_default().push(f),
                    None => funcs.push((key, item)),
                },
                WorldItem::Interface { .. } => {
                    self.world_item(resolve, key, item, pkg, "import");
                    self.any_items = true;
                }
            }
        }
        self.types(resolve, TypeOwner::World(id), &types, &resource_funcs);
        for (key, item) in funcs {
            self.world_item(resolve, key, item, pkg, "import");
            self.any_items = true;
        }
        if !w.exports.is_empty() {
            self.new_item();
        }
        for (key, item) in w.exports.iter() {
            self.world_item(resolve, key, item, pkg, "export");
        }
        self.any_items = prev;
    }

    fn world_item(
        &mut self,
        resolve: &Resolve,
        key: &WorldKey,
        item: &WorldItem,
        pkg: Option<PackageId>,
        kw: &str,
    ) {
        let docs = match item {
            WorldItem::Interface { id, docs, .. } => {
                if docs.contents.is_some() {
                    Some(docs)
                } else if matches!(key, WorldKey::Name(_)) {
                    Some(&resolve.interfaces[*id].docs)
                } else {
                    None
                }
            }
            WorldItem::Function(f) => Some(&f.docs),
            WorldItem::Type { .. } => None,
        };
        if let Some(d) = docs {
            self.docs(d);
        }
        self.stability(item.stability(resolve));
        let ext = match item {
            WorldItem::Interface { external_id, .. } => external_id.clone(),
            WorldItem::Function(f) => f.external_id.clone(),
            WorldItem::Type { id, .. } => resolve.types[*id].external_id.clone(),
        };
        self.external_id(ext.as_deref());
        self.str(kw);
        self.str(" ");
        match (key, item) {
            (WorldKey::Name(name), WorldItem::Interface { id, .. }) => {
                self.name(name);
                self.str(": ");
                if resolve.interfaces[*id].name.is_none() {
                    self.str("interface");
                    self.indent_start();
                    self.interface(resolve, *id);
                    self.indent_end();
                } else {
                    self.path_to_interface(resolve, *id, pkg);
                    self.semicolon();
                }
            }
            (WorldKey::Name(_), WorldItem::Function(f)) => {
                self.name(&f.name);
                self.str(": ");
                self.function(resolve, f);
                self.semicolon();
            }
            (WorldKey::Interface(id), _) => {
                self.path_to_interface(resolve, *id, pkg);
                self.semicolon();
            }
            _ => {}
        }
    }

    fn path_to_interface(&mut self, resolve: &Resolve, id: InterfaceId, cur: Option<PackageId>) {
        let iface = &resolve.interfaces[id];
        let name = iface.name.as_deref().unwrap_or("");
        if iface.package == cur {
            self.name(name);
        } else if let Some(p) = iface.package {
            let pn = &resolve.packages[p].name;
            self.name(&pn.namespace);
            self.str(":");
            self.name(&pn.name);
            self.str("/");
            self.name(name);
            if let Some(v) = &pn.version {
                self.str(&format!("@{v}"));
            }
        }
    }

    fn type_name(&mut self, resolve: &Resolve, ty: Type) {
        let s = match ty {
            Type::Bool => "bool",
            Type::U8 => "u8",
            Type::U16 => "u16",
            Type::U32 => "u32",
            Type::U64 => "u64",
            Type::S8 => "s8",
            Type::S16 => "s16",
            Type::S32 => "s32",
            Type::S64 => "s64",
            Type::F32 => "f32",
            Type::F64 => "f64",
            Type::Char => "char",
            Type::String => "string",
            Type::ErrorContext => "error-context",
            Type::Id(id) => {
                let def = &resolve.types[id];
                if let Some(n) = &def.name {
                    self.name(n);
                    return;
                }
                self.anonymous(resolve, &def.kind);
                return;
            }
        };
        self.str(s);
    }

    fn anonymous(&mut self, resolve: &Resolve, kind: &TypeDefKind) {
        match kind {
            TypeDefKind::Handle(Handle::Own(r)) => {
                let n = resolve.types[*r].name.clone().unwrap_or_default();
                self.name(&n);
            }
            TypeDefKind::Handle(Handle::Borrow(r)) => {
                self.str("borrow<");
                let n = resolve.types[*r].name.clone().unwrap_or_default();
                self.name(&n);
                self.str(">");
            }
            TypeDefKind::Tuple(ts) => {
                self.str("tuple<");
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        self.str(", ");
                    }
                    self.type_name(resolve, *t);
                }
                self.str(">");
            }
            TypeDefKind::Option(t) => {
                self.str("option<");
                self.type_name(resolve, *t);
                self.str(">");
            }
            TypeDefKind::Result(ok, err) => self.result(resolve, *ok, *err),
            TypeDefKind::List(t) => {
                self.str("list<");
                self.type_name(resolve, *t);
                self.str(">");
            }
            TypeDefKind::FixedList(t, n) => {
                self.str("list<");
                self.type_name(resolve, *t);
                self.str(&format!(", {n}>"));
            }
            TypeDefKind::Map(k, v) => {
                self.str("map<");
                self.type_name(resolve, *k);
                self.str(", ");
                self.type_name(resolve, *v);
                self.str(">");
            }
            TypeDefKind::Type(t) => self.type_name(resolve, *t),
            TypeDefKind::Future(t) | TypeDefKind::Stream(t) => {
                self.str(if matches!(kind, TypeDefKind::Future(_)) {
                    "future"
                } else {
                    "stream"
                });
                if let Some(t) = t {
                    self.str("<");
                    self.type_name(resolve, *t);
                    self.str(">");
                }
            }
            // Named-only shapes never appear anonymously in a valid resolve.
            _ => {}
        }
    }

    fn result(&mut self, resolve: &Resolve, ok: Option<Type>, err: Option<Type>) {
        self.str("result");
        match (ok, err) {
            (Some(ok), Some(err)) => {
                self.str("<");
                self.type_name(resolve, ok);
                self.str(", ");
                self.type_name(resolve, err);
                self.str(">");
            }
            (None, Some(err)) => {
                self.str("<_, ");
                self.type_name(resolve, err);
                self.str(">");
            }
            (Some(ok), None) => {
                self.str("<");
                self.type_name(resolve, ok);
                self.str(">");
            }
            (None, None) => {}
        }
    }

    fn declare_type(&mut self, resolve: &Resolve, id: TypeId) {
        let def = &resolve.types[id];
        let name = def.name.clone().unwrap_or_default();
        match &def.kind {
            TypeDefKind::Record(fields) => {
                self.str("record ");
                self.name(&name);
                self.indent_start();
                for f in fields {
                    self.docs(&f.docs);
                    self.name(&f.name);
                    self.str(": ");
                    self.type_name(resolve, f.ty);
                    self.str(",");
                    self.newline();
                }
                self.indent_end();
            }
            TypeDefKind::Flags(flags) | TypeDefKind::Enum(flags) => {
                self.str(if matches!(def.kind, TypeDefKind::Flags(_)) {
                    "flags "
                } else {
                    "enum "
                });
                self.name(&name);
                self.indent_start();
                for f in flags {
                    self.docs(&f.docs);
                    self.name(&f.name);
                    self.str(",");
                    self.newline();
                }
                self.indent_end();
            }
            TypeDefKind::Variant(cases) => {
                self.str("variant ");
                self.name(&name);
                self.indent_start();
                for c in cases {
                    self.docs(&c.docs);
                    self.name(&c.name);
                    if let Some(t) = c.ty {
                        self.str("(");
                        self.type_name(resolve, t);
                        self.str(")");
                    }
                    self.str(",");
                    self.newline();
                }
                self.indent_end();
            }
            TypeDefKind::Handle(h) => {
                self.str("type ");
                self.name(&name);
                self.str(" = ");
                let (kw, r) = match h {
                    Handle::Own(r) => ("own<", r),
                    Handle::Borrow(r) => ("borrow<", r),
                };
                self.str(kw);
                let n = resolve.types[*r].name.clone().unwrap_or_default();
                self.name(&n);
                self.str(">");
                self.semicolon();
            }
            TypeDefKind::Resource | TypeDefKind::Unknown => {}
            kind => {
                self.str("type ");
                self.name(&name);
                self.str(" = ");
                self.anonymous(resolve, kind);
                self.semicolon();
            }
        }
    }
}

/// Whether `result` is an owned handle of resource `r` (a constructor's
/// implicit result).
fn is_own_of(resolve: &Resolve, result: Option<Type>, r: TypeId) -> bool {
    match result {
        Some(Type::Id(id)) if id == r => true,
        Some(Type::Id(id)) => {
            matches!(resolve.types[id].kind, TypeDefKind::Handle(Handle::Own(x)) if x == r)
        }
        _ => false,
    }
}
