//! Modules (core spec §2.5 "Modules"): decoding and validation through
//! wasmparser, then translation of every function body into
//! [`Instr`](super::instr::Instr)s.
//!
//! Validation is wasmparser's (the core spec's §3 "Validation"), with the
//! standard WebAssembly 3.0 feature set. Features that the interpreter does
//! not execute yet are rejected with [`ModuleErrorKind::Unsupported`] rather
//! than being misexecuted.

use super::const_expr::{ConstExpr, ConstOp};
use super::exception::{CatchClause, Handler};
use super::instr::{BrTarget, Instr};
use super::translate::{Scratch, translate};
use super::types::{
    ExternType, FuncType, GlobalType, HeapType, Limits, MemoryType, TableType, ValType,
};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use wasmparser::{
    BinaryReaderError, CompositeInnerType, DataKind, ElementItems, ElementKind, Encoding,
    ExternalKind, FuncValidatorAllocations, KnownCustom, Name, Operator, Parser, Payload,
    TableInit, TypeRef, ValidPayload, Validator, WasmFeatures,
};

/// What kind of rejection a [`ModuleError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleErrorKind {
    /// The binary does not decode (core spec §5 "Binary Format").
    Malformed,
    /// The module decodes but does not validate (core spec §3).
    Invalid,
    /// The module is valid but uses a feature witness does not run yet.
    Unsupported,
}

/// A module that could not be loaded: what rule it breaks and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleError {
    pub kind: ModuleErrorKind,
    /// Byte offset in the binary.
    pub offset: u64,
    pub message: String,
}

impl ModuleError {
    pub(crate) fn unsupported(offset: u64, what: &str) -> ModuleError {
        ModuleError {
            kind: ModuleErrorKind::Unsupported,
            offset,
            message: format!("unsupported feature: {what}"),
        }
    }

    fn from_wasmparser(kind: ModuleErrorKind, e: BinaryReaderError) -> ModuleError {
        ModuleError {
            kind,
            offset: e.offset(),
            message: e.message().to_string(),
        }
    }

    pub(crate) fn invalid(e: BinaryReaderError) -> ModuleError {
        ModuleError::from_wasmparser(ModuleErrorKind::Invalid, e)
    }

    pub(crate) fn malformed(e: BinaryReaderError) -> ModuleError {
        ModuleError::from_wasmparser(ModuleErrorKind::Malformed, e)
    }
}

impl fmt::Display for ModuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            ModuleErrorKind::Malformed => "malformed module",
            ModuleErrorKind::Invalid => "invalid module",
            ModuleErrorKind::Unsupported => "unsupported module",
        };
        write!(
            f,
            "{kind}: {} (at offset 0x{:x})",
            self.message, self.offset
        )
    }
}

impl core::error::Error for ModuleError {}

/// An import of a module (§2.5.11).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    pub module: String,
    pub name: String,
    pub ty: ExternType,
}

/// An export of a module (§2.5.10).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub name: String,
    pub ty: ExternType,
    /// The exported item's index in its index space.
    pub(crate) index: u32,
}

/// Where a segment goes (§2.5.7, §2.5.8).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SegmentMode {
    Passive,
    /// Copied into table or memory `index` at `offset` during instantiation.
    Active {
        index: u32,
        offset: ConstExpr,
    },
    Declarative,
}

/// An element segment (§2.5.7).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ElemSegment {
    pub mode: SegmentMode,
    pub items: Vec<ConstExpr>,
}

/// A data segment (§2.5.8).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DataSegment {
    pub mode: SegmentMode,
    pub bytes: Arc<[u8]>,
}

/// A function body, translated (§2.5.3).
#[derive(Debug, Default)]
pub(crate) struct Code {
    pub instrs: Vec<Instr>,
    /// The byte offset in the binary of each instruction, for backtraces.
    pub offsets: Vec<u32>,
    /// The targets of every `br_table`, see [`Instr::BrTable`].
    pub br_table: Vec<BrTarget>,
    /// The `try_table`s, innermost first.
    pub handlers: Vec<Handler>,
    /// Their catch clauses.
    pub catches: Vec<CatchClause>,
    /// The constants of `v128.const`.
    pub v128_consts: Vec<u128>,
    /// The lane indices of `i8x16.shuffle`.
    pub shuffles: Vec<[u8; 16]>,
    pub params: u32,
    /// Declared locals, after the parameters.
    pub locals: u32,
    pub results: u32,
    /// Slots a frame needs above its base: locals plus the deepest operand
    /// stack.
    pub max_height: u32,
}

/// A decoded, validated and translated module.
#[derive(Debug, Default)]
pub struct Module {
    pub(crate) types: Vec<FuncType>,
    pub(crate) imports: Vec<Import>,
    /// The type index of every function, imported ones first.
    pub(crate) funcs: Vec<u32>,
    pub(crate) tables: Vec<(TableType, ConstExpr)>,
    pub(crate) memories: Vec<MemoryType>,
    pub(crate) globals: Vec<(GlobalType, ConstExpr)>,
    /// The type index of every defined tag.
    pub(crate) tags: Vec<u32>,
    pub(crate) exports: Vec<Export>,
    pub(crate) start: Option<u32>,
    pub(crate) elems: Vec<ElemSegment>,
    pub(crate) datas: Vec<DataSegment>,
    pub(crate) code: Vec<Arc<Code>>,
    pub(crate) func_names: Arc<BTreeMap<u32, String>>,
}

impl Module {
    /// Decodes, validates and translates a binary module.
    ///
    /// # Errors
    /// A [`ModuleError`] naming the broken rule and its offset.
    pub fn new(bytes: &[u8]) -> Result<Module, ModuleError> {
        Decoder::default().decode(bytes).map_err(|e| match e.kind {
            // A module that uses an unsupported feature may still be
            // malformed or invalid further on; that is the better answer.
            ModuleErrorKind::Unsupported => {
                match Validator::new_with_features(WasmFeatures::default()).validate_all(bytes) {
                    Ok(_) => e,
                    Err(v) => ModuleError::invalid(v),
                }
            }
            _ => e,
        })
    }

    /// The module's imports, in order.
    pub fn imports(&self) -> &[Import] {
        &self.imports
    }

    /// The module's exports, in order.
    pub fn exports(&self) -> &[Export] {
        &self.exports
    }

    /// The number of imports of a kind (`"func"`, `"table"`, ...).
    fn imported(&self, kind: &str) -> usize {
        self.imports.iter().filter(|i| i.ty.kind() == kind).count()
    }

    pub(crate) fn func_type(&self, index: u32) -> Option<&FuncType> {
        self.types.get(*self.funcs.get(index as usize)? as usize)
    }

    /// The type of item `index` of an index space, imports first.
    fn item_type(&self, kind: ExternalKind, index: u32) -> Option<ExternType> {
        let name = match kind {
            ExternalKind::Func | ExternalKind::FuncExact => "func",
            ExternalKind::Table => "table",
            ExternalKind::Memory => "memory",
            ExternalKind::Global => "global",
            ExternalKind::Tag => "tag",
        };
        let imported = self.imported(name);
        let i = index as usize;
        if i < imported {
            return self
                .imports
                .iter()
                .filter(|im| im.ty.kind() == name)
                .nth(i)
                .map(|im| im.ty.clone());
        }
        let i = i - imported;
        Some(match name {
            "func" => ExternType::Func(self.func_type(index)?.clone()),
            "table" => ExternType::Table(self.tables.get(i)?.0),
            "memory" => ExternType::Memory(*self.memories.get(i)?),
            "global" => ExternType::Global(self.globals.get(i)?.0),
            _ => ExternType::Tag(self.types.get(*self.tags.get(i)? as usize)?.clone()),
        })
    }
}

/// Converts a value type, rejecting those not run yet.
pub(crate) fn val_type(t: wasmparser::ValType, offset: u64) -> Result<ValType, ModuleError> {
    use wasmparser::ValType as W;
    Ok(match t {
        W::I32 => ValType::I32,
        W::I64 => ValType::I64,
        W::F32 => ValType::F32,
        W::F64 => ValType::F64,
        W::V128 => ValType::V128,
        W::Ref(r) => ref_type(r, offset)?,
    })
}

/// Converts a reference type of the function-references world.
fn ref_type(r: wasmparser::RefType, offset: u64) -> Result<ValType, ModuleError> {
    use wasmparser::{AbstractHeapType as A, HeapType as W, UnpackedIndex};
    let heap = match r.heap_type() {
        W::Abstract { shared: false, ty } => match ty {
            A::Func => HeapType::Func,
            A::Extern => HeapType::Extern,
            A::Exn => HeapType::Exn,
            A::NoFunc => HeapType::NoFunc,
            A::NoExtern => HeapType::NoExtern,
            A::NoExn => HeapType::NoExn,
            _ => {
                return Err(ModuleError::unsupported(
                    offset,
                    "GC (abstract heap types of GC)",
                ));
            }
        },
        W::Concrete(UnpackedIndex::Module(i)) => HeapType::Concrete(i),
        _ => {
            return Err(ModuleError::unsupported(
                offset,
                "GC (shared, exact or recursive heap types)",
            ));
        }
    };
    Ok(ValType::reference(r.is_nullable(), heap))
}

fn func_type(t: &wasmparser::FuncType, offset: u64) -> Result<FuncType, ModuleError> {
    Ok(FuncType {
        params: t
            .params()
            .iter()
            .map(|p| val_type(*p, offset))
            .collect::<Result<_, _>>()?,
        results: t
            .results()
            .iter()
            .map(|r| val_type(*r, offset))
            .collect::<Result<_, _>>()?,
    })
}

fn table_type(t: &wasmparser::TableType, offset: u64) -> Result<TableType, ModuleError> {
    if t.shared {
        return Err(ModuleError::unsupported(
            offset,
            "shared-everything threads (shared tables)",
        ));
    }
    Ok(TableType {
        limits: Limits {
            min: t.initial,
            max: t.maximum,
        },
        table64: t.table64,
        elem: val_type(wasmparser::ValType::Ref(t.element_type), offset)?,
    })
}

fn memory_type(t: &wasmparser::MemoryType, offset: u64) -> Result<MemoryType, ModuleError> {
    if t.shared {
        return Err(ModuleError::unsupported(offset, "threads (shared memory)"));
    }
    if t.page_size_log2.is_some() {
        return Err(ModuleError::unsupported(offset, "custom page sizes"));
    }
    Ok(MemoryType {
        limits: Limits {
            min: t.initial,
            max: t.maximum,
        },
        memory64: t.memory64,
    })
}

fn global_type(t: &wasmparser::GlobalType, offset: u64) -> Result<GlobalType, ModuleError> {
    if t.shared {
        return Err(ModuleError::unsupported(
            offset,
            "shared-everything threads (shared globals)",
        ));
    }
    Ok(GlobalType {
        content: val_type(t.content_type, offset)?,
        mutable: t.mutable,
    })
}

/// Translates a validated constant expression.
pub(crate) fn const_expr(e: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, ModuleError> {
    let mut reader = e.get_operators_reader();
    let mut ops = Vec::new();
    loop {
        let offset = reader.original_position();
        let op = reader.read().map_err(ModuleError::malformed)?;
        ops.push(match op {
            Operator::End => return Ok(ConstExpr(ops)),
            Operator::I32Const { value } => ConstOp::I32(value),
            Operator::I64Const { value } => ConstOp::I64(value),
            Operator::F32Const { value } => ConstOp::F32(value.bits()),
            Operator::F64Const { value } => ConstOp::F64(value.bits()),
            Operator::V128Const { value } => ConstOp::V128(value.i128() as u128),
            Operator::RefNull { .. } => ConstOp::RefNull,
            Operator::RefFunc { function_index } => ConstOp::RefFunc(function_index),
            Operator::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            Operator::I32Add => ConstOp::I32Add,
            Operator::I32Sub => ConstOp::I32Sub,
            Operator::I32Mul => ConstOp::I32Mul,
            Operator::I64Add => ConstOp::I64Add,
            Operator::I64Sub => ConstOp::I64Sub,
            Operator::I64Mul => ConstOp::I64Mul,
            other => {
                return Err(ModuleError::unsupported(
                    offset,
                    &format!("constant instruction {}", op_name(&other)),
                ));
            }
        });
    }
}

/// The name of an operator, as wasmparser spells it (for messages).
pub(crate) fn op_name(op: &Operator<'_>) -> String {
    let s = format!("{op:?}");
    s.split([' ', '{', '('])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Decoding state: the module so far and wasmparser's validator.
struct Decoder {
    module: Module,
    validator: Validator,
    allocs: FuncValidatorAllocations,
    /// The translator's buffers, reused from function to function.
    scratch: Scratch,
    /// The function index (imports first) of the next code entry, once
    /// the code section starts.
    next_func: Option<u32>,
    /// Whether each global is a `v128`, once the code section starts.
    wide_globals: Option<Vec<bool>>,
}

impl Default for Decoder {
    fn default() -> Decoder {
        Decoder {
            module: Module::default(),
            validator: Validator::new_with_features(WasmFeatures::default()),
            allocs: FuncValidatorAllocations::default(),
            scratch: Scratch::default(),
            next_func: None,
            wide_globals: None,
        }
    }
}

impl Decoder {
    fn decode(mut self, bytes: &[u8]) -> Result<Module, ModuleError> {
        let mut names = BTreeMap::new();
        for payload in Parser::new(0).parse_all(bytes) {
            let payload = payload.map_err(ModuleError::malformed)?;
            if let Payload::Version {
                encoding: Encoding::Component,
                range,
                ..
            } = &payload
            {
                return Err(ModuleError {
                    kind: ModuleErrorKind::Unsupported,
                    offset: range.start,
                    message: "this is a component, not a core module".to_string(),
                });
            }
            match self
                .validator
                .payload(&payload)
                .map_err(ModuleError::invalid)?
            {
                ValidPayload::Func(to_validate, body) => {
                    let allocs = core::mem::take(&mut self.allocs);
                    let mut fv = to_validate.into_validator(allocs);
                    let index = *self
                        .next_func
                        .get_or_insert_with(|| self.module.imported("func") as u32);
                    let no_type = FuncType::default();
                    let ty = self.module.func_type(index).unwrap_or(&no_type);
                    let wide = self.wide_globals.get_or_insert_with(|| {
                        let m = &self.module;
                        let imported = m.imports.iter().filter_map(|i| match i.ty {
                            ExternType::Global(g) => Some(g.content == ValType::V128),
                            _ => None,
                        });
                        imported
                            .chain(m.globals.iter().map(|g| g.0.content == ValType::V128))
                            .collect()
                    });
                    let code =
                        translate(&mut fv, &body, &self.module, wide, ty, &mut self.scratch)?;
                    self.allocs = fv.into_allocations();
                    self.module.code.push(Arc::new(code));
                    self.next_func = Some(index + 1);
                }
                ValidPayload::Parser(_) => {
                    return Err(ModuleError::unsupported(0, "nested modules or components"));
                }
                ValidPayload::Ok | ValidPayload::End(_) => {}
            }
            self.section(payload, &mut names)?;
        }
        self.module.func_names = Arc::new(names);
        Ok(self.module)
    }

    /// Records a validated section in the module.
    fn section(
        &mut self,
        payload: Payload<'_>,
        names: &mut BTreeMap<u32, String>,
    ) -> Result<(), ModuleError> {
        let m = &mut self.module;
        match payload {
            Payload::TypeSection(s) => {
                for group in s.into_iter_with_offsets() {
                    let (offset, group) = group.map_err(ModuleError::malformed)?;
                    if group.is_explicit_rec_group() {
                        return Err(ModuleError::unsupported(
                            offset,
                            "GC (recursive type groups)",
                        ));
                    }
                    for sub in group.into_types() {
                        if !sub.is_final || sub.supertype_idx.is_some() {
                            return Err(ModuleError::unsupported(offset, "GC (subtypes)"));
                        }
                        match &sub.composite_type.inner {
                            CompositeInnerType::Func(f) if !sub.composite_type.shared => {
                                m.types.push(func_type(f, offset)?)
                            }
                            _ => {
                                return Err(ModuleError::unsupported(
                                    offset,
                                    "GC (struct, array and other composite types)",
                                ));
                            }
                        }
                    }
                }
            }
            Payload::ImportSection(s) => {
                for import in s.into_imports() {
                    let import = import.map_err(ModuleError::malformed)?;
                    let offset = 0;
                    let ty = match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            m.funcs.push(t);
                            ExternType::Func(m.types.get(t as usize).cloned().unwrap_or_default())
                        }
                        TypeRef::Table(t) => ExternType::Table(table_type(&t, offset)?),
                        TypeRef::Memory(t) => ExternType::Memory(memory_type(&t, offset)?),
                        TypeRef::Global(t) => ExternType::Global(global_type(&t, offset)?),
                        TypeRef::Tag(t) => ExternType::Tag(
                            m.types
                                .get(t.func_type_idx as usize)
                                .cloned()
                                .unwrap_or_default(),
                        ),
                    };
                    m.imports.push(Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        ty,
                    });
                }
            }
            Payload::FunctionSection(s) => {
                for t in s {
                    m.funcs.push(t.map_err(ModuleError::malformed)?);
                }
            }
            Payload::TableSection(s) => {
                for t in s.into_iter_with_offsets() {
                    let (offset, t) = t.map_err(ModuleError::malformed)?;
                    let init = match t.init {
                        TableInit::RefNull => ConstExpr(alloc::vec![ConstOp::RefNull]),
                        TableInit::Expr(e) => const_expr(&e)?,
                    };
                    m.tables.push((table_type(&t.ty, offset)?, init));
                }
            }
            Payload::MemorySection(s) => {
                for t in s.into_iter_with_offsets() {
                    let (offset, t) = t.map_err(ModuleError::malformed)?;
                    m.memories.push(memory_type(&t, offset)?);
                }
            }
            Payload::TagSection(s) => {
                for t in s {
                    m.tags
                        .push(t.map_err(ModuleError::malformed)?.func_type_idx);
                }
            }
            Payload::GlobalSection(s) => {
                for g in s.into_iter_with_offsets() {
                    let (offset, g) = g.map_err(ModuleError::malformed)?;
                    m.globals
                        .push((global_type(&g.ty, offset)?, const_expr(&g.init_expr)?));
                }
            }
            Payload::ExportSection(s) => {
                for e in s.into_iter_with_offsets() {
                    let (offset, e) = e.map_err(ModuleError::malformed)?;
                    let Some(ty) = m.item_type(e.kind, e.index) else {
                        return Err(ModuleError::unsupported(
                            offset,
                            "export of an unknown item",
                        ));
                    };
                    m.exports.push(Export {
                        name: e.name.to_string(),
                        ty,
                        index: e.index,
                    });
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::ElementSection(s) => {
                for e in s {
                    let e = e.map_err(ModuleError::malformed)?;
                    let mode = match e.kind {
                        ElementKind::Passive => SegmentMode::Passive,
                        ElementKind::Declared => SegmentMode::Declarative,
                        ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => SegmentMode::Active {
                            index: table_index.unwrap_or(0),
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    let items = match e.items {
                        ElementItems::Functions(fs) => fs
                            .into_iter()
                            .map(|f| {
                                f.map(|f| ConstExpr(alloc::vec![ConstOp::RefFunc(f)]))
                                    .map_err(ModuleError::malformed)
                            })
                            .collect::<Result<_, _>>()?,
                        ElementItems::Expressions(rt, es) => {
                            val_type(wasmparser::ValType::Ref(rt), e.range.start)?;
                            es.into_iter()
                                .map(|x| {
                                    x.map_err(ModuleError::malformed)
                                        .and_then(|x| const_expr(&x))
                                })
                                .collect::<Result<_, _>>()?
                        }
                    };
                    m.elems.push(ElemSegment { mode, items });
                }
            }
            Payload::DataSection(s) => {
                for d in s {
                    let d = d.map_err(ModuleError::malformed)?;
                    let mode = match d.kind {
                        DataKind::Passive => SegmentMode::Passive,
                        DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => SegmentMode::Active {
                            index: memory_index,
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    m.datas.push(DataSegment {
                        mode,
                        bytes: d.data.into(),
                    });
                }
            }
            Payload::CustomSection(c) => {
                // A malformed name section does not make the module invalid
                // (§7.4.1), so its errors are ignored.
                if let KnownCustom::Name(reader) = c.as_known() {
                    for name in reader.into_iter().flatten() {
                        if let Name::Function(map) = name {
                            for naming in map.into_iter().flatten() {
                                names.insert(naming.index, naming.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}
