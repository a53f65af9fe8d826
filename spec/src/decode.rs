//! Binary decoding (Binary.md): bytes to the [`ast`](crate::ast), through
//! wasmparser's `Parser` and component section readers.
//!
//! Nested core modules are kept as bytes (their sections are decoded and
//! validated by wasmparser's core validator during validation); nested
//! components are decoded recursively, to any depth.

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use wasmparser::{Chunk, Encoding, Parser, Payload};

use crate::ast::*;
use crate::error::{Error, ErrorKind, Result};
use crate::features::Features;

/// Decodes a component binary.
///
/// # Errors
///
/// A malformed error when the bytes are not a component binary.
pub fn decode_component(bytes: &[u8], features: &Features) -> Result<Component> {
    let mut parser = Parser::new(0);
    parser.set_features(features.wasmparser());
    let (component, _) = decode_nested(bytes, parser, 0, true)?;
    Ok(component)
}

/// A wasmparser offset as a `usize`.
pub(crate) fn off(x: u64) -> usize {
    usize::try_from(x).unwrap_or(usize::MAX)
}

fn malformed(e: &wasmparser::BinaryReaderError) -> Error {
    Error::from_wasmparser(e, ErrorKind::Malformed)
}

/// Reads a section's items with `f`, each with its offset.
fn items<'a, T: wasmparser::FromReader<'a>>(
    reader: wasmparser::SectionLimited<'a, T>,
    out: &mut Vec<Definition>,
    mut f: impl FnMut(T) -> Result<DefinitionKind>,
) -> Result<()> {
    for item in reader.into_iter_with_offsets() {
        let (offset, item) = item.map_err(|e| malformed(&e))?;
        out.push(Definition {
            offset: off(offset),
            kind: f(item)?,
        });
    }
    Ok(())
}

fn decode_nested(
    data: &[u8],
    mut parser: Parser,
    mut pos: usize,
    outermost: bool,
) -> Result<(Component, usize)> {
    let mut component = Component {
        offset: pos,
        ..Component::default()
    };
    let defs = &mut component.definitions;
    loop {
        let rest = data.get(pos..).unwrap_or(&[]);
        let (payload, consumed) = match parser.parse(rest, true).map_err(|e| malformed(&e))? {
            Chunk::Parsed { consumed, payload } => (payload, consumed),
            Chunk::NeedMoreData(_) => {
                return Err(Error::malformed(data.len(), "unexpected end-of-file"));
            }
        };
        pos += consumed;
        match payload {
            Payload::Version {
                encoding, range, ..
            } => {
                if encoding != Encoding::Component {
                    let what = if outermost {
                        "expected a component, found a core module"
                    } else {
                        "nested component is a core module"
                    };
                    return Err(Error::malformed(off(range.start), what));
                }
            }
            Payload::ModuleSection {
                unchecked_range, ..
            } => {
                let range = off(unchecked_range.start)..off(unchecked_range.end);
                let bytes = data
                    .get(range.clone())
                    .ok_or_else(|| Error::malformed(data.len(), "unexpected end-of-file"))?;
                defs.push(Definition {
                    offset: range.start,
                    kind: DefinitionKind::CoreModule(CoreModule {
                        bytes: bytes.to_vec(),
                        offset: range.start,
                    }),
                });
                pos = range.end;
            }
            Payload::ComponentSection {
                parser: nested,
                unchecked_range,
            } => {
                let range = off(unchecked_range.start)..off(unchecked_range.end);
                let inner = data
                    .get(..range.end)
                    .ok_or_else(|| Error::malformed(data.len(), "unexpected end-of-file"))?;
                let (c, _) = decode_nested(inner, nested, range.start, false)?;
                defs.push(Definition {
                    offset: range.start,
                    kind: DefinitionKind::Component(c),
                });
                pos = range.end;
            }
            Payload::InstanceSection(r) => items(r, defs, |i| {
                Ok(DefinitionKind::CoreInstance(core_instance(i)))
            })?,
            Payload::CoreTypeSection(r) => {
                items(r, defs, |t| Ok(DefinitionKind::CoreType(core_type(t))))?
            }
            Payload::ComponentInstanceSection(r) => {
                items(r, defs, |i| Ok(DefinitionKind::Instance(instance(i))))?
            }
            Payload::ComponentAliasSection(r) => {
                items(r, defs, |a| Ok(DefinitionKind::Alias(alias(a))))?
            }
            Payload::ComponentTypeSection(r) => {
                items(r, defs, |t| Ok(DefinitionKind::Type(def_type(t))))?
            }
            Payload::ComponentCanonicalSection(r) => {
                items(r, defs, |c| Ok(DefinitionKind::Canon(canon(c))))?
            }
            Payload::ComponentStartSection { start, range } => defs.push(Definition {
                offset: off(range.start),
                kind: DefinitionKind::Start(Start {
                    func: start.func_index,
                    args: start.arguments.to_vec(),
                    results: start.results,
                }),
            }),
            Payload::ComponentImportSection(r) => items(r, defs, |i| {
                Ok(DefinitionKind::Import(Import {
                    name: extern_name(&i.name),
                    ty: extern_type(i.ty),
                }))
            })?,
            Payload::ComponentExportSection(r) => items(r, defs, |e| {
                Ok(DefinitionKind::Export(Export {
                    name: extern_name(&e.name),
                    sort: sort(e.kind),
                    index: e.index,
                    ty: e.ty.map(extern_type),
                }))
            })?,
            Payload::CustomSection(c) => component.custom_sections.push(CustomSection {
                name: c.name().to_string(),
                data: c.data().to_vec(),
            }),
            Payload::UnknownSection { id, range, .. } => {
                return Err(Error::malformed(
                    off(range.start),
                    alloc::format!("malformed section id: {id}"),
                ));
            }
            Payload::End(end) => return Ok((component, off(end))),
            other => {
                let offset = other.as_section().map(|(_, r)| off(r.start)).unwrap_or(pos);
                return Err(Error::malformed(
                    offset,
                    "unexpected core module section in a component",
                ));
            }
        }
    }
}

fn s(x: &str) -> String {
    x.to_owned()
}

fn core_instance(i: wasmparser::Instance<'_>) -> CoreInstance {
    match i {
        wasmparser::Instance::Instantiate { module_index, args } => CoreInstance::Instantiate {
            module: module_index,
            args: args.iter().map(|a| (s(a.name), a.index)).collect(),
        },
        wasmparser::Instance::FromExports(exports) => CoreInstance::FromExports(
            exports
                .iter()
                .map(|e| CoreInlineExport {
                    name: s(e.name),
                    sort: e.kind,
                    index: e.index,
                })
                .collect(),
        ),
    }
}

fn core_type(t: wasmparser::CoreType<'_>) -> CoreType {
    match t {
        wasmparser::CoreType::Rec(r) => CoreType::Rec(r),
        wasmparser::CoreType::Module(decls) => CoreType::Module(
            decls
                .into_vec()
                .into_iter()
                .map(|d| match d {
                    wasmparser::ModuleTypeDeclaration::Type(r) => CoreModuleDecl::Type(r),
                    wasmparser::ModuleTypeDeclaration::Export { name, ty } => {
                        CoreModuleDecl::Export { name: s(name), ty }
                    }
                    wasmparser::ModuleTypeDeclaration::OuterAlias { count, index, .. } => {
                        CoreModuleDecl::OuterAlias { count, index }
                    }
                    wasmparser::ModuleTypeDeclaration::Import(i) => CoreModuleDecl::Import {
                        module: s(i.module),
                        name: s(i.name),
                        ty: i.ty,
                    },
                })
                .collect(),
        ),
    }
}

fn sort(k: wasmparser::ComponentExternalKind) -> Sort {
    use wasmparser::ComponentExternalKind as K;
    match k {
        K::Module => Sort::CoreModule,
        K::Func => Sort::Func,
        K::Value => Sort::Value,
        K::Type => Sort::Type,
        K::Instance => Sort::Instance,
        K::Component => Sort::Component,
    }
}

fn instance(i: wasmparser::ComponentInstance<'_>) -> Instance {
    match i {
        wasmparser::ComponentInstance::Instantiate {
            component_index,
            args,
        } => Instance::Instantiate {
            component: component_index,
            args: args
                .iter()
                .map(|a| InstantiateArg {
                    name: s(a.name),
                    sort: sort(a.kind),
                    index: a.index,
                })
                .collect(),
        },
        wasmparser::ComponentInstance::FromExports(exports) => Instance::FromExports(
            exports
                .iter()
                .map(|e| InlineExport {
                    name: extern_name(&e.name),
                    sort: sort(e.kind),
                    index: e.index,
                })
                .collect(),
        ),
    }
}

fn alias(a: wasmparser::ComponentAlias<'_>) -> Alias {
    use wasmparser::ComponentOuterAliasKind as O;
    match a {
        wasmparser::ComponentAlias::InstanceExport {
            kind,
            instance_index,
            name,
        } => Alias::Export {
            instance: instance_index,
            name: s(name),
            sort: sort(kind),
        },
        wasmparser::ComponentAlias::CoreInstanceExport {
            kind,
            instance_index,
            name,
        } => Alias::CoreExport {
            instance: instance_index,
            name: s(name),
            sort: kind,
        },
        wasmparser::ComponentAlias::Outer { kind, count, index } => Alias::Outer {
            count,
            index,
            sort: match kind {
                O::CoreModule => OuterAliasSort::CoreModule,
                O::CoreType => OuterAliasSort::CoreType,
                O::Type => OuterAliasSort::Type,
                O::Component => OuterAliasSort::Component,
            },
        },
    }
}

fn prim(p: wasmparser::PrimitiveValType) -> PrimValType {
    use wasmparser::PrimitiveValType as P;
    match p {
        P::Bool => PrimValType::Bool,
        P::S8 => PrimValType::S8,
        P::U8 => PrimValType::U8,
        P::S16 => PrimValType::S16,
        P::U16 => PrimValType::U16,
        P::S32 => PrimValType::S32,
        P::U32 => PrimValType::U32,
        P::S64 => PrimValType::S64,
        P::U64 => PrimValType::U64,
        P::F32 => PrimValType::F32,
        P::F64 => PrimValType::F64,
        P::Char => PrimValType::Char,
        P::String => PrimValType::String,
        P::ErrorContext => PrimValType::ErrorContext,
    }
}

fn val_type(v: wasmparser::ComponentValType) -> ValType {
    match v {
        wasmparser::ComponentValType::Primitive(p) => ValType::Primitive(prim(p)),
        wasmparser::ComponentValType::Type(i) => ValType::Index(i),
    }
}

fn def_val_type(d: wasmparser::ComponentDefinedType<'_>) -> DefValType {
    use wasmparser::ComponentDefinedType as D;
    match d {
        D::Primitive(p) => DefValType::Primitive(prim(p)),
        D::Record(fields) => {
            DefValType::Record(fields.iter().map(|(n, t)| (s(n), val_type(*t))).collect())
        }
        D::Variant(cases) => DefValType::Variant(
            cases
                .iter()
                .map(|c| (s(c.name), c.ty.map(val_type)))
                .collect(),
        ),
        D::List(t) => DefValType::List(val_type(t)),
        D::Map(k, v) => DefValType::Map(val_type(k), val_type(v)),
        D::FixedLengthList(t, n) => DefValType::FixedLengthList(val_type(t), n),
        D::Tuple(ts) => DefValType::Tuple(ts.iter().map(|t| val_type(*t)).collect()),
        D::Flags(ns) => DefValType::Flags(ns.iter().map(|n| s(n)).collect()),
        D::Enum(ns) => DefValType::Enum(ns.iter().map(|n| s(n)).collect()),
        D::Option(t) => DefValType::Option(val_type(t)),
        D::Result { ok, err } => DefValType::Result {
            ok: ok.map(val_type),
            err: err.map(val_type),
        },
        D::Own(i) => DefValType::Own(i),
        D::Borrow(i) => DefValType::Borrow(i),
        D::Future(t) => DefValType::Future(t.map(val_type)),
        D::Stream(t) => DefValType::Stream(t.map(val_type)),
    }
}

fn func_type(f: &wasmparser::ComponentFuncType<'_>) -> FuncType {
    FuncType {
        async_: f.async_,
        params: f.params.iter().map(|(n, t)| (s(n), val_type(*t))).collect(),
        result: f.result.map(val_type),
    }
}

fn def_type(t: wasmparser::ComponentType<'_>) -> DefType {
    use wasmparser::ComponentType as T;
    match t {
        T::Defined(d) => DefType::Val(def_val_type(d)),
        T::Func(f) => DefType::Func(func_type(&f)),
        T::Component(decls) => DefType::Component(
            decls
                .into_vec()
                .into_iter()
                .map(|d| match d {
                    wasmparser::ComponentTypeDeclaration::Import(i) => {
                        ComponentDecl::Import(extern_name(&i.name), extern_type(i.ty))
                    }
                    wasmparser::ComponentTypeDeclaration::CoreType(t) => {
                        ComponentDecl::Instance(InstanceDecl::CoreType(core_type(t)))
                    }
                    wasmparser::ComponentTypeDeclaration::Type(t) => {
                        ComponentDecl::Instance(InstanceDecl::Type(def_type(t)))
                    }
                    wasmparser::ComponentTypeDeclaration::Alias(a) => {
                        ComponentDecl::Instance(InstanceDecl::Alias(alias(a)))
                    }
                    wasmparser::ComponentTypeDeclaration::Export { name, ty } => {
                        ComponentDecl::Instance(InstanceDecl::Export(
                            extern_name(&name),
                            extern_type(ty),
                        ))
                    }
                })
                .collect(),
        ),
        T::Instance(decls) => {
            DefType::Instance(decls.into_vec().into_iter().map(instance_decl).collect())
        }
        T::Resource { rep, dtor } => DefType::Resource { rep, dtor },
    }
}

fn instance_decl(d: wasmparser::InstanceTypeDeclaration<'_>) -> InstanceDecl {
    use wasmparser::InstanceTypeDeclaration as I;
    match d {
        I::CoreType(t) => InstanceDecl::CoreType(core_type(t)),
        I::Type(t) => InstanceDecl::Type(def_type(t)),
        I::Alias(a) => InstanceDecl::Alias(alias(a)),
        I::Export { name, ty } => InstanceDecl::Export(extern_name(&name), extern_type(ty)),
    }
}

fn extern_name(n: &wasmparser::ComponentExternName<'_>) -> ExternName {
    ExternName {
        name: s(n.name),
        implements: n.implements.map(s),
        version_suffix: n.version_suffix.map(s),
        external_id: n.external_id.map(s),
    }
}

fn extern_type(t: wasmparser::ComponentTypeRef) -> ExternType {
    use wasmparser::ComponentTypeRef as R;
    match t {
        R::Module(i) => ExternType::CoreModule(i),
        R::Func(i) => ExternType::Func(i),
        R::Value(v) => ExternType::Value(val_type(v)),
        R::Type(wasmparser::TypeBounds::Eq(i)) => ExternType::Type(TypeBound::Eq(i)),
        R::Type(wasmparser::TypeBounds::SubResource) => ExternType::Type(TypeBound::SubResource),
        R::Instance(i) => ExternType::Instance(i),
        R::Component(i) => ExternType::Component(i),
    }
}

fn opts(o: &[wasmparser::CanonicalOption]) -> Vec<CanonOpt> {
    use wasmparser::CanonicalOption as O;
    o.iter()
        .map(|o| match *o {
            O::UTF8 => CanonOpt::StringEncodingUtf8,
            O::UTF16 => CanonOpt::StringEncodingUtf16,
            O::CompactUTF16 => CanonOpt::StringEncodingLatin1Utf16,
            O::Memory(i) => CanonOpt::Memory(i),
            O::Realloc(i) => CanonOpt::Realloc(i),
            O::PostReturn(i) => CanonOpt::PostReturn(i),
            O::Async => CanonOpt::Async,
            O::Callback(i) => CanonOpt::Callback(i),
            O::CoreType(i) => CanonOpt::CoreType(i),
            O::Gc => CanonOpt::Gc,
        })
        .collect()
}

fn canon(c: wasmparser::CanonicalFunction) -> Canon {
    use wasmparser::CanonicalFunction as F;
    let o = |x: Box<[wasmparser::CanonicalOption]>| opts(&x);
    match c {
        F::Lift {
            core_func_index,
            type_index,
            options,
        } => Canon::Lift {
            core_func: core_func_index,
            opts: o(options),
            ty: type_index,
        },
        F::Lower {
            func_index,
            options,
        } => Canon::Lower {
            func: func_index,
            opts: o(options),
        },
        F::ResourceNew { resource } => Canon::ResourceNew { ty: resource },
        F::ResourceDrop { resource } => Canon::ResourceDrop { ty: resource },
        F::ResourceRep { resource } => Canon::ResourceRep { ty: resource },
        F::ThreadSpawnRef { func_ty_index } => Canon::ThreadSpawnRef { ty: func_ty_index },
        F::ThreadSpawnIndirect {
            func_ty_index,
            table_index,
        } => Canon::ThreadSpawnIndirect {
            ty: func_ty_index,
            table: table_index,
        },
        F::ThreadAvailableParallelism => Canon::ThreadAvailableParallelism,
        F::BackpressureInc => Canon::BackpressureInc,
        F::BackpressureDec => Canon::BackpressureDec,
        F::TaskReturn { result, options } => Canon::TaskReturn {
            result: result.map(val_type),
            opts: o(options),
        },
        F::TaskCancel => Canon::TaskCancel,
        F::ContextGet { ty, slot } => Canon::ContextGet { ty, index: slot },
        F::ContextSet { ty, slot } => Canon::ContextSet { ty, index: slot },
        F::ThreadYield { cancellable } => Canon::ThreadYield { cancellable },
        F::SubtaskDrop => Canon::SubtaskDrop,
        F::SubtaskCancel { async_ } => Canon::SubtaskCancel { async_ },
        F::StreamNew { ty } => Canon::StreamNew { ty },
        F::StreamRead { ty, options } => Canon::StreamRead {
            ty,
            opts: o(options),
        },
        F::StreamWrite { ty, options } => Canon::StreamWrite {
            ty,
            opts: o(options),
        },
        F::StreamCancelRead { ty, async_ } => Canon::StreamCancelRead { ty, async_ },
        F::StreamCancelWrite { ty, async_ } => Canon::StreamCancelWrite { ty, async_ },
        F::StreamDropReadable { ty } => Canon::StreamDropReadable { ty },
        F::StreamDropWritable { ty } => Canon::StreamDropWritable { ty },
        F::FutureNew { ty } => Canon::FutureNew { ty },
        F::FutureRead { ty, options } => Canon::FutureRead {
            ty,
            opts: o(options),
        },
        F::FutureWrite { ty, options } => Canon::FutureWrite {
            ty,
            opts: o(options),
        },
        F::FutureCancelRead { ty, async_ } => Canon::FutureCancelRead { ty, async_ },
        F::FutureCancelWrite { ty, async_ } => Canon::FutureCancelWrite { ty, async_ },
        F::FutureDropReadable { ty } => Canon::FutureDropReadable { ty },
        F::FutureDropWritable { ty } => Canon::FutureDropWritable { ty },
        F::ErrorContextNew { options } => Canon::ErrorContextNew { opts: o(options) },
        F::ErrorContextDebugMessage { options } => {
            Canon::ErrorContextDebugMessage { opts: o(options) }
        }
        F::ErrorContextDrop => Canon::ErrorContextDrop,
        F::WaitableSetNew => Canon::WaitableSetNew,
        F::WaitableSetWait {
            cancellable,
            memory,
        } => Canon::WaitableSetWait {
            cancellable,
            memory,
        },
        F::WaitableSetPoll {
            cancellable,
            memory,
        } => Canon::WaitableSetPoll {
            cancellable,
            memory,
        },
        F::WaitableSetDrop => Canon::WaitableSetDrop,
        F::WaitableJoin => Canon::WaitableJoin,
        F::ThreadIndex => Canon::ThreadIndex,
        F::ThreadNewIndirect {
            func_ty_index,
            table_index,
        } => Canon::ThreadNewIndirect {
            ty: func_ty_index,
            table: table_index,
        },
        F::ThreadResumeLater => Canon::ThreadResumeLater,
        F::ThreadSuspend { cancellable } => Canon::ThreadSuspend { cancellable },
        F::ThreadSuspendThenResume { cancellable } => {
            Canon::ThreadSuspendThenResume { cancellable }
        }
        F::ThreadYieldThenResume { cancellable } => Canon::ThreadYieldThenResume { cancellable },
        F::ThreadSuspendThenPromote { cancellable } => {
            Canon::ThreadSuspendThenPromote { cancellable }
        }
        F::ThreadYieldThenPromote { cancellable } => Canon::ThreadYieldThenPromote { cancellable },
    }
}
