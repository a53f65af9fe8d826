//! Recursive-descent parser for WIT.md "Top-level items", "Package
//! declaration", "Item: world/include/interface/use/type", "Types",
//! "Handles" and "Feature gate syntax".

use super::ast::*;
use super::error::{Rule, WitError, WitResult};
use super::lexer::{self, Tok, Token};
use super::source::Span;
use super::version::Version;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

/// Nesting limit for types and packages, so no input overflows the stack.
pub(super) const MAX_DEPTH: usize = 100;

/// Parses one file, `text`, whose first byte is at global offset `base`.
///
/// # Errors
/// Lexical and syntax errors.
pub fn parse_file(text: &str, base: u32) -> WitResult<PackageFile> {
    let tokens = lexer::tokenize(text, base)?;
    let mut p = Parser {
        text,
        base,
        tokens: &tokens,
        pos: 0,
    };
    p.file()
}

struct Parser<'a> {
    text: &'a str,
    base: u32,
    tokens: &'a [Token],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn eof_span(&self) -> Span {
        let end = self.base + self.text.len() as u32;
        Span::new(end, end)
    }

    fn slice(&self, span: Span) -> &'a str {
        let a = (span.start - self.base) as usize;
        let b = (span.end - self.base) as usize;
        self.text.get(a..b).unwrap_or("")
    }

    /// The next non-comment token, without consuming it.
    fn peek(&self) -> Option<Token> {
        self.tokens[self.pos..]
            .iter()
            .find(|t| t.tok != Tok::Comment)
            .copied()
    }

    fn peek2(&self) -> Option<Token> {
        self.tokens[self.pos..]
            .iter()
            .filter(|t| t.tok != Tok::Comment)
            .nth(1)
            .copied()
    }

    fn next(&mut self) -> Option<Token> {
        while let Some(t) = self.tokens.get(self.pos) {
            self.pos += 1;
            if t.tok != Tok::Comment {
                return Some(*t);
            }
        }
        None
    }

    fn eat(&mut self, tok: Tok) -> bool {
        let save = self.pos;
        match self.next() {
            Some(t) if t.tok == tok => true,
            _ => {
                self.pos = save;
                false
            }
        }
    }

    fn expected(&self, what: &str, found: Option<Token>) -> WitError {
        match found {
            Some(t) => WitError::new(
                Rule::Syntax,
                t.span,
                format!("expected {what}, found {}", t.tok.describe()),
            ),
            None => WitError::new(
                Rule::Syntax,
                self.eof_span(),
                format!("expected {what}, found eof"),
            ),
        }
    }

    fn expect(&mut self, tok: Tok) -> WitResult<Span> {
        match self.next() {
            Some(t) if t.tok == tok => Ok(t.span),
            other => Err(self.expected(tok.describe(), other)),
        }
    }

    fn docs(&mut self) -> Docs {
        let mut docs = Docs::default();
        while let Some(t) = self.tokens.get(self.pos) {
            if t.tok != Tok::Comment {
                break;
            }
            docs.comments.push(self.slice(t.span).to_string());
            docs.span.get_or_insert(t.span);
            self.pos += 1;
        }
        docs
    }

    fn id(&mut self) -> WitResult<Id> {
        match self.next() {
            Some(t) if t.tok == Tok::Id => {
                let name = self.slice(t.span);
                lexer::validate_id(name).map_err(|m| WitError::new(Rule::Lexical, t.span, m))?;
                Ok(Id {
                    name: name.to_string(),
                    span: t.span,
                })
            }
            Some(t) if t.tok == Tok::ExplicitId => {
                let name = &self.slice(t.span)[1..];
                lexer::validate_id(name).map_err(|m| WitError::new(Rule::Lexical, t.span, m))?;
                Ok(Id {
                    name: name.to_string(),
                    span: t.span,
                })
            }
            other => Err(self.expected("an identifier or string", other)),
        }
    }

    fn file(&mut self) -> WitResult<PackageFile> {
        let save = self.pos;
        let docs = self.docs();
        let mut package = None;
        if self.eat(Tok::Package) {
            let name = self.package_name(docs)?;
            if self.eat(Tok::Semicolon) {
                package = Some(name);
            } else {
                self.pos = save;
            }
        } else {
            self.pos = save;
        }
        let items = self.items_until(None, 0)?;
        Ok(PackageFile { package, items })
    }

    fn items_until(&mut self, end: Option<Tok>, depth: usize) -> WitResult<Vec<Item>> {
        let mut items = Vec::new();
        loop {
            let docs = self.docs();
            match end {
                Some(end) => {
                    if self.eat(end) {
                        break;
                    }
                }
                None => {
                    if self.peek().is_none() {
                        break;
                    }
                }
            }
            items.push(self.item(docs, depth)?);
        }
        Ok(items)
    }

    fn item(&mut self, docs: Docs, depth: usize) -> WitResult<Item> {
        let attributes = self.attributes()?;
        match self.peek().map(|t| t.tok) {
            Some(Tok::Interface) => Ok(Item::Interface(self.interface(docs, attributes)?)),
            Some(Tok::World) => Ok(Item::World(self.world(docs, attributes)?)),
            Some(Tok::Use) => {
                let span = self.expect(Tok::Use)?;
                let item = self.use_path()?;
                let as_ = if self.eat(Tok::As) {
                    Some(self.id()?)
                } else {
                    None
                };
                self.expect(Tok::Semicolon)?;
                Ok(Item::Use(ToplevelUse {
                    span,
                    attributes,
                    item,
                    as_,
                }))
            }
            Some(Tok::Package) => {
                let span = self.expect(Tok::Package)?;
                if !attributes.is_empty() {
                    return Err(WitError::new(
                        Rule::Syntax,
                        span,
                        "cannot place attributes on nested packages",
                    ));
                }
                if depth >= MAX_DEPTH {
                    return Err(WitError::new(
                        Rule::Syntax,
                        span,
                        "package nesting too deep",
                    ));
                }
                let name = self.package_name(docs)?;
                self.expect(Tok::LeftBrace)?;
                let items = self.items_until(Some(Tok::RightBrace), depth + 1)?;
                Ok(Item::Package(PackageFile {
                    package: Some(name),
                    items,
                }))
            }
            _ => {
                let t = self.next();
                Err(self.expected("`world`, `interface` or `use`", t))
            }
        }
    }

    fn package_name(&mut self, docs: Docs) -> WitResult<PackageName> {
        let namespace = self.id()?;
        self.expect(Tok::Colon)?;
        let name = self.id()?;
        let version = self.opt_version()?;
        let end = version
            .as_ref()
            .map(|(s, _)| s.end)
            .unwrap_or(name.span.end);
        Ok(PackageName {
            docs,
            span: Span::new(namespace.span.start, end),
            namespace,
            name,
            version,
        })
    }

    fn opt_version(&mut self) -> WitResult<Option<(Span, Version)>> {
        if self.eat(Tok::At) {
            Ok(Some(self.version()?))
        } else {
            Ok(None)
        }
    }

    fn version(&mut self) -> WitResult<(Span, Version)> {
        let start = self.expect(Tok::Integer)?.start;
        self.expect(Tok::Period)?;
        self.expect(Tok::Integer)?;
        self.expect(Tok::Period)?;
        let mut end = self.expect(Tok::Integer)?.end;
        for prefix in [Tok::Minus, Tok::Plus] {
            if !self.eat(prefix) {
                continue;
            }
            loop {
                let save = self.pos;
                match self.next().map(|t| (t.tok, t.span)) {
                    Some((Tok::Id | Tok::Integer | Tok::Minus, s)) => end = s.end,
                    Some((Tok::Period, _)) => match self.next().map(|t| (t.tok, t.span)) {
                        Some((Tok::Id | Tok::Integer | Tok::Minus, s)) => end = s.end,
                        _ => {
                            self.pos = save;
                            break;
                        }
                    },
                    _ => {
                        self.pos = save;
                        break;
                    }
                }
            }
        }
        let span = Span::new(start, end);
        let v =
            Version::parse(self.slice(span)).map_err(|m| WitError::new(Rule::Syntax, span, m))?;
        Ok((span, v))
    }

    fn attributes(&mut self) -> WitResult<Vec<Attribute>> {
        let mut ret = Vec::new();
        while self.eat(Tok::At) {
            let id = self.id()?;
            let attr = match id.name.as_str() {
                "since" | "deprecated" => {
                    self.expect(Tok::LeftParen)?;
                    self.eat_id("version")?;
                    self.expect(Tok::Equals)?;
                    let (_, version) = self.version()?;
                    self.expect(Tok::RightParen)?;
                    if id.name == "since" {
                        Attribute::Since {
                            span: id.span,
                            version,
                        }
                    } else {
                        Attribute::Deprecated {
                            span: id.span,
                            version,
                        }
                    }
                }
                "unstable" => {
                    self.expect(Tok::LeftParen)?;
                    self.eat_id("feature")?;
                    self.expect(Tok::Equals)?;
                    let feature = self.id()?;
                    self.expect(Tok::RightParen)?;
                    Attribute::Unstable {
                        span: id.span,
                        feature,
                    }
                }
                "external-id" => {
                    self.expect(Tok::LeftParen)?;
                    let s = self.expect(Tok::StringLiteral)?;
                    self.expect(Tok::RightParen)?;
                    let text = lexer::string_literal(self.slice(s))
                        .map_err(|m| WitError::new(Rule::Lexical, s, m))?;
                    Attribute::ExternalId {
                        span: id.span,
                        id: text,
                    }
                }
                other => {
                    return Err(WitError::new(
                        Rule::Syntax,
                        id.span,
                        format!("unknown attribute `{other}`"),
                    ));
                }
            };
            ret.push(attr);
        }
        Ok(ret)
    }

    fn eat_id(&mut self, expected: &str) -> WitResult<()> {
        let id = self.id()?;
        if id.name != expected {
            return Err(WitError::new(
                Rule::Syntax,
                id.span,
                format!("expected `{expected}`, found `{}`", id.name),
            ));
        }
        Ok(())
    }

    fn use_path(&mut self) -> WitResult<UsePath> {
        let id = self.id()?;
        if self.eat(Tok::Colon) {
            let namespace = id;
            let pkg = self.id()?;
            self.expect(Tok::Slash)?;
            let name = self.id()?;
            let version = self.opt_version()?;
            Ok(UsePath::Package {
                id: PackageName {
                    docs: Docs::default(),
                    span: Span::new(namespace.span.start, pkg.span.end),
                    namespace,
                    name: pkg,
                    version,
                },
                name,
            })
        } else {
            Ok(UsePath::Id(id))
        }
    }

    fn interface(&mut self, docs: Docs, attributes: Vec<Attribute>) -> WitResult<Interface> {
        self.expect(Tok::Interface)?;
        let name = self.id()?;
        let items = self.interface_items()?;
        Ok(Interface {
            docs,
            attributes,
            name,
            items,
        })
    }

    fn interface_items(&mut self) -> WitResult<Vec<InterfaceItem>> {
        self.expect(Tok::LeftBrace)?;
        let mut items = Vec::new();
        loop {
            let docs = self.docs();
            if self.eat(Tok::RightBrace) {
                break;
            }
            let attributes = self.attributes()?;
            let item = match self.peek().map(|t| t.tok) {
                Some(
                    Tok::Type | Tok::Flags | Tok::Enum | Tok::Variant | Tok::Resource | Tok::Record,
                ) => InterfaceItem::TypeDef(self.typedef(docs, attributes)?),
                Some(Tok::Id | Tok::ExplicitId) => {
                    InterfaceItem::Func(self.named_func(docs, attributes)?)
                }
                Some(Tok::Use) => InterfaceItem::Use(self.use_item(attributes)?),
                _ => {
                    let t = self.next();
                    return Err(self.expected("`type`, `resource` or `func`", t));
                }
            };
            items.push(item);
        }
        Ok(items)
    }

    fn use_item(&mut self, attributes: Vec<Attribute>) -> WitResult<Use> {
        self.expect(Tok::Use)?;
        let from = self.use_path()?;
        self.expect(Tok::Period)?;
        self.expect(Tok::LeftBrace)?;
        let mut names = Vec::new();
        while !self.eat(Tok::RightBrace) {
            let name = self.id()?;
            let as_ = if self.eat(Tok::As) {
                Some(self.id()?)
            } else {
                None
            };
            names.push((name, as_));
            if !self.eat(Tok::Comma) {
                self.expect(Tok::RightBrace)?;
                break;
            }
        }
        self.expect(Tok::Semicolon)?;
        Ok(Use {
            attributes,
            from,
            names,
        })
    }

    fn world(&mut self, docs: Docs, attributes: Vec<Attribute>) -> WitResult<World> {
        self.expect(Tok::World)?;
        let name = self.id()?;
        self.expect(Tok::LeftBrace)?;
        let mut items = Vec::new();
        loop {
            let docs = self.docs();
            if self.eat(Tok::RightBrace) {
                break;
            }
            let attributes = self.attributes()?;
            let item = match self.peek().map(|t| t.tok) {
                Some(Tok::Import) => {
                    self.next();
                    WorldItem::Import(Extern {
                        docs,
                        attributes,
                        kind: self.extern_kind()?,
                    })
                }
                Some(Tok::Export) => {
                    self.next();
                    WorldItem::Export(Extern {
                        docs,
                        attributes,
                        kind: self.extern_kind()?,
                    })
                }
                Some(Tok::Use) => WorldItem::Use(self.use_item(attributes)?),
                Some(
                    Tok::Type | Tok::Flags | Tok::Enum | Tok::Variant | Tok::Resource | Tok::Record,
                ) => WorldItem::Type(self.typedef(docs, attributes)?),
                Some(Tok::Include) => {
                    self.next();
                    let from = self.use_path()?;
                    let mut names = Vec::new();
                    if self.eat(Tok::With) {
                        self.expect(Tok::LeftBrace)?;
                        self.list_trailer(Tok::RightBrace, |p, _| {
                            let a = p.id()?;
                            p.expect(Tok::As)?;
                            let b = p.id()?;
                            names.push((a, b));
                            Ok(())
                        })?;
                    } else {
                        self.expect(Tok::Semicolon)?;
                    }
                    WorldItem::Include(Include {
                        attributes,
                        from,
                        names,
                    })
                }
                _ => {
                    let t = self.next();
                    return Err(self.expected(
                        "`import`, `export`, `include`, `use`, or type definition",
                        t,
                    ));
                }
            };
            items.push(item);
        }
        Ok(World {
            docs,
            attributes,
            name,
            items,
        })
    }

    fn extern_kind(&mut self) -> WitResult<ExternKind> {
        let save = self.pos;
        let id = self.id()?;
        if self.eat(Tok::Colon) {
            match self.peek().map(|t| t.tok) {
                Some(Tok::Func | Tok::Async) => {
                    let f = self.func()?;
                    self.expect(Tok::Semicolon)?;
                    return Ok(ExternKind::Func(id, f));
                }
                Some(Tok::Interface) => {
                    self.next();
                    return Ok(ExternKind::Interface(id, self.interface_items()?));
                }
                _ => {}
            }
            let qualified = matches!(self.peek().map(|t| t.tok), Some(Tok::Id | Tok::ExplicitId))
                && self.peek2().map(|t| t.tok) == Some(Tok::Slash);
            if !qualified {
                let path = self.use_path()?;
                self.expect(Tok::Semicolon)?;
                return Ok(ExternKind::NamedPath(id, path));
            }
        }
        self.pos = save;
        let path = self.use_path()?;
        self.expect(Tok::Semicolon)?;
        Ok(ExternKind::Path(path))
    }

    fn list_trailer(
        &mut self,
        end: Tok,
        mut f: impl FnMut(&mut Self, Docs) -> WitResult<()>,
    ) -> WitResult<()> {
        loop {
            let docs = self.docs();
            if self.eat(end) {
                break;
            }
            f(self, docs)?;
            if !self.eat(Tok::Comma) {
                self.expect(end)?;
                break;
            }
        }
        Ok(())
    }

    fn named_func(&mut self, docs: Docs, attributes: Vec<Attribute>) -> WitResult<NamedFunc> {
        let name = self.id()?;
        self.expect(Tok::Colon)?;
        let func = self.func()?;
        self.expect(Tok::Semicolon)?;
        Ok(NamedFunc {
            docs,
            attributes,
            name,
            func,
        })
    }

    fn params(&mut self) -> WitResult<Vec<(Id, Type)>> {
        let mut params = Vec::new();
        self.list_trailer(Tok::RightParen, |p, _| {
            let name = p.id()?;
            p.expect(Tok::Colon)?;
            let ty = p.ty(0)?;
            params.push((name, ty));
            Ok(())
        })?;
        Ok(params)
    }

    fn func(&mut self) -> WitResult<Func> {
        let is_async = self.eat(Tok::Async);
        let span = self.expect(Tok::Func)?;
        self.expect(Tok::LeftParen)?;
        let params = self.params()?;
        let result = if self.eat(Tok::RArrow) {
            Some(self.ty(0)?)
        } else {
            None
        };
        Ok(Func {
            span,
            is_async,
            params,
            result,
        })
    }

    fn typedef(&mut self, docs: Docs, attributes: Vec<Attribute>) -> WitResult<TypeDef> {
        let kw = self.next().map(|t| t.tok);
        let name = self.id()?;
        let span = name.span;
        let ty = match kw {
            Some(Tok::Type) => {
                self.expect(Tok::Equals)?;
                let ty = self.ty(0)?;
                self.expect(Tok::Semicolon)?;
                ty
            }
            Some(Tok::Flags) | Some(Tok::Enum) => {
                self.expect(Tok::LeftBrace)?;
                let mut flags = Vec::new();
                self.list_trailer(Tok::RightBrace, |p, docs| {
                    let name = p.id()?;
                    flags.push(Flag { docs, name });
                    Ok(())
                })?;
                if kw == Some(Tok::Flags) {
                    Type::Flags(span, flags)
                } else {
                    Type::Enum(span, flags)
                }
            }
            Some(Tok::Record) => {
                self.expect(Tok::LeftBrace)?;
                let mut fields = Vec::new();
                self.list_trailer(Tok::RightBrace, |p, docs| {
                    let name = p.id()?;
                    p.expect(Tok::Colon)?;
                    let ty = p.ty(0)?;
                    fields.push(Field { docs, name, ty });
                    Ok(())
                })?;
                Type::Record(span, fields)
            }
            Some(Tok::Variant) => {
                self.expect(Tok::LeftBrace)?;
                let mut cases = Vec::new();
                self.list_trailer(Tok::RightBrace, |p, docs| {
                    let name = p.id()?;
                    let ty = if p.eat(Tok::LeftParen) {
                        let ty = p.ty(0)?;
                        p.expect(Tok::RightParen)?;
                        Some(ty)
                    } else {
                        None
                    };
                    cases.push(Case { docs, name, ty });
                    Ok(())
                })?;
                Type::Variant(span, cases)
            }
            _ => {
                // resource
                let mut funcs = Vec::new();
                if self.eat(Tok::LeftBrace) {
                    while !self.eat(Tok::RightBrace) {
                        let docs = self.docs();
                        let attributes = self.attributes()?;
                        funcs.push(self.resource_func(docs, attributes)?);
                    }
                } else {
                    self.expect(Tok::Semicolon)?;
                }
                Type::Resource(span, funcs)
            }
        };
        Ok(TypeDef {
            docs,
            attributes,
            name,
            ty,
        })
    }

    fn resource_func(&mut self, docs: Docs, attributes: Vec<Attribute>) -> WitResult<ResourceFunc> {
        match self.peek() {
            Some(t) if t.tok == Tok::Constructor => {
                self.next();
                self.expect(Tok::LeftParen)?;
                let params = self.params()?;
                let result = if self.eat(Tok::RArrow) {
                    Some(self.ty(0)?)
                } else {
                    None
                };
                self.expect(Tok::Semicolon)?;
                Ok(ResourceFunc::Constructor(NamedFunc {
                    docs,
                    attributes,
                    name: Id {
                        name: "constructor".to_string(),
                        span: t.span,
                    },
                    func: Func {
                        span: t.span,
                        is_async: false,
                        params,
                        result,
                    },
                }))
            }
            Some(t) if matches!(t.tok, Tok::Id | Tok::ExplicitId) => {
                let name = self.id()?;
                self.expect(Tok::Colon)?;
                let is_static = self.eat(Tok::Static);
                let func = self.func()?;
                self.expect(Tok::Semicolon)?;
                let f = NamedFunc {
                    docs,
                    attributes,
                    name,
                    func,
                };
                Ok(if is_static {
                    ResourceFunc::Static(f)
                } else {
                    ResourceFunc::Method(f)
                })
            }
            _ => {
                let t = self.next();
                Err(self.expected("`constructor` or identifier", t))
            }
        }
    }

    fn angle(&mut self, depth: usize) -> WitResult<Box<Type>> {
        self.expect(Tok::LessThan)?;
        let ty = self.ty(depth + 1)?;
        self.expect(Tok::GreaterThan)?;
        Ok(Box::new(ty))
    }

    fn ty(&mut self, depth: usize) -> WitResult<Type> {
        let t = self.next();
        if depth >= MAX_DEPTH {
            let span = t.map(|t| t.span).unwrap_or(self.eof_span());
            return Err(WitError::new(Rule::Syntax, span, "type nesting too deep"));
        }
        let Some(Token { tok, span }) = t else {
            return Err(self.expected("a type", None));
        };
        Ok(match tok {
            Tok::U8 => Type::U8(span),
            Tok::U16 => Type::U16(span),
            Tok::U32 => Type::U32(span),
            Tok::U64 => Type::U64(span),
            Tok::S8 => Type::S8(span),
            Tok::S16 => Type::S16(span),
            Tok::S32 => Type::S32(span),
            Tok::S64 => Type::S64(span),
            Tok::F32 => Type::F32(span),
            Tok::F64 => Type::F64(span),
            Tok::Char => Type::Char(span),
            Tok::Bool => Type::Bool(span),
            Tok::String => Type::String(span),
            Tok::ErrorContext => Type::ErrorContext(span),
            Tok::Tuple => {
                self.expect(Tok::LessThan)?;
                let mut types = Vec::new();
                self.list_trailer(Tok::GreaterThan, |p, _| {
                    types.push(p.ty(depth + 1)?);
                    Ok(())
                })?;
                Type::Tuple(span, types)
            }
            Tok::List => {
                self.expect(Tok::LessThan)?;
                let ty = Box::new(self.ty(depth + 1)?);
                let size = if self.eat(Tok::Comma) {
                    match self.next() {
                        Some(n) if n.tok == Tok::Integer => {
                            let size: u32 = self.slice(n.span).parse().map_err(|e| {
                                WitError::new(
                                    Rule::Syntax,
                                    n.span,
                                    format!("invalid list size: {e}"),
                                )
                            })?;
                            Some(size)
                        }
                        other => return Err(self.expected("fixed-length", other)),
                    }
                } else {
                    None
                };
                self.expect(Tok::GreaterThan)?;
                match size {
                    Some(n) => Type::FixedList(span, ty, n),
                    None => Type::List(span, ty),
                }
            }
            Tok::Map => {
                self.expect(Tok::LessThan)?;
                let k = Box::new(self.ty(depth + 1)?);
                self.expect(Tok::Comma)?;
                let v = Box::new(self.ty(depth + 1)?);
                self.expect(Tok::GreaterThan)?;
                Type::Map(span, k, v)
            }
            Tok::Option => Type::Option(span, self.angle(depth)?),
            Tok::Result => {
                let (mut ok, mut err) = (None, None);
                if self.eat(Tok::LessThan) {
                    if self.eat(Tok::Underscore) {
                        self.expect(Tok::Comma)?;
                        err = Some(Box::new(self.ty(depth + 1)?));
                    } else {
                        ok = Some(Box::new(self.ty(depth + 1)?));
                        if self.eat(Tok::Comma) {
                            err = Some(Box::new(self.ty(depth + 1)?));
                        }
                    }
                    self.expect(Tok::GreaterThan)?;
                }
                Type::Result(span, ok, err)
            }
            Tok::Future | Tok::Stream => {
                let inner = if self.peek().map(|t| t.tok) == Some(Tok::LessThan) {
                    Some(self.angle(depth)?)
                } else {
                    None
                };
                if tok == Tok::Future {
                    Type::Future(span, inner)
                } else {
                    Type::Stream(span, inner)
                }
            }
            Tok::Own | Tok::Borrow => {
                self.expect(Tok::LessThan)?;
                let id = self.id()?;
                self.expect(Tok::GreaterThan)?;
                if tok == Tok::Own {
                    Type::Own(id)
                } else {
                    Type::Borrow(id)
                }
            }
            Tok::Id | Tok::ExplicitId => {
                self.pos -= 1;
                Type::Name(self.id()?)
            }
            _ => return Err(self.expected("a type", t)),
        })
    }
}
