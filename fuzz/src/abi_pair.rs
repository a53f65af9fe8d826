//! Components that pass values across a component boundary, for the
//! Canonical ABI differential ([`crate::abi_diff`]), built with
//! wasm-encoder.
//!
//! ```text
//! host --run(ARGS)--> caller: lift --> core `run` --> lowered `f` ==(fused adapter)==> callee: lift --> core `f`
//! ```
//!
//! A root component instantiates two children side by side and exports the
//! caller's `run`. The caller imports `f` from the callee and exports `run`,
//! lifted from a core function that passes its parameters on to `f`,
//! lowered into the caller's memory, and returns what `f` returns. The
//! callee exports `f`, lifted from a core function that returns its
//! parameters: one value as it is, several as a tuple. So the host's values
//! are lowered into the caller's memory, lifted out of it, lowered into the
//! callee's memory, lifted out of it, and back the same way: each string
//! encoding on each side, and with more than `MAX_FLAT_PARAMS` flat
//! parameters or `MAX_FLAT_RESULTS` flat results, through memory. Both
//! memories grow on demand through a bump allocator (`realloc`) written
//! here. (Siblings rather than the caller around the callee: wasmtime 48
//! traps on every call from a component into its child, see FINDINGS.md.)
//!
//! When the callee's `f` gets flat parameters and must return a tuple
//! through memory, it stores the flat values in the tuple's layout itself
//! ([`store`]); with spilled parameters, their tuple in memory is already
//! the result's layout, and `f` returns the pointer it got.
//!
//! A pair may also corrupt the value on the way back ([`Corrupt`]): `f`
//! flips bits of its result (a discriminant, a `char`, a length), so that
//! lifting it may trap; then only the two runtimes are compared.

use crate::abi::{self, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS};
use wasm_encoder::{
    BlockType, CanonicalOption, CodeSection, ComponentBuilder, ComponentExportKind,
    ComponentTypeRef, ComponentValType, ConstExpr, EntityType, ExportKind, ExportSection, Function,
    FunctionSection, GlobalSection, GlobalType, ImportSection, Instruction as I, MemArg,
    MemorySection, MemoryType, Module, ModuleArg, PrimitiveValType, TypeBounds, TypeSection,
    ValType as Core,
};
use witness::component::ValType;

/// A function's string encoding (`string-encoding=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Latin1Utf16,
}

impl Encoding {
    pub const ALL: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Latin1Utf16];

    fn option(self) -> CanonicalOption {
        match self {
            Encoding::Utf8 => CanonicalOption::UTF8,
            Encoding::Utf16 => CanonicalOption::UTF16,
            Encoding::Latin1Utf16 => CanonicalOption::CompactUTF16,
        }
    }
}

/// Bit flips the inner `f` applies to its result before returning it: at
/// byte offsets into the result's memory image (taken modulo its size)
/// when it returns through memory, or to the one flat result.
#[derive(Clone, Debug)]
pub struct Corrupt(pub Vec<(u32, u8)>);

/// What the pair passes: `run` and `f` take `params` and return
/// [`result_type`] of them.
#[derive(Clone, Debug)]
pub struct Pair {
    pub params: Vec<ValType>,
    /// The inner (`f`) and the outer (`run`) component's encodings.
    pub inner: Encoding,
    pub outer: Encoding,
    pub corrupt: Option<Corrupt>,
}

/// The result of `f` and `run`: the one parameter, or a tuple of them.
pub fn result_type(params: &[ValType]) -> ValType {
    match params {
        [t] => t.clone(),
        _ => ValType::Tuple(params.to_vec()),
    }
}

/// Where the bump allocator starts (below: the static data of `f`).
const HEAP: i32 = 1024;

impl Pair {
    /// The flat parameters and results of the lifted (and lowered) `f`.
    fn flat(&self) -> (Vec<Core>, Vec<Core>) {
        let params = abi::flatten_all(&self.params);
        let results = abi::flatten(&result_type(&self.params));
        (params, results)
    }

    /// Whether the parameters go through memory.
    pub fn spills_params(&self) -> bool {
        self.flat().0.len() > MAX_FLAT_PARAMS
    }

    /// Whether the result goes through memory.
    pub fn spills_results(&self) -> bool {
        self.flat().1.len() > MAX_FLAT_RESULTS
    }

    /// The core signature of a lifted `f` or `run` (`flatten_functype`,
    /// 'lift').
    fn lifted_sig(&self) -> (Vec<Core>, Vec<Core>) {
        let (p, r) = self.flat();
        let p = if p.len() > MAX_FLAT_PARAMS {
            vec![Core::I32]
        } else {
            p
        };
        let r = if r.len() > MAX_FLAT_RESULTS {
            vec![Core::I32]
        } else {
            r
        };
        (p, r)
    }

    /// The core signature of the lowered `f` ('lower').
    fn lowered_sig(&self) -> (Vec<Core>, Vec<Core>) {
        let (mut p, r) = self.lifted_sig();
        if self.spills_results() {
            p.push(Core::I32);
            (p, vec![])
        } else {
            (p, r)
        }
    }

    /// The root component: the callee and the caller, instantiated side
    /// by side; exports the caller's `run`.
    pub fn component(&self) -> Vec<u8> {
        let mut root = ComponentBuilder::default();
        let callee = root.component(None, self.inner_component());
        let caller = root.component(None, self.outer_component());
        let callee = root.instantiate(None, callee, Vec::<(&str, ComponentExportKind, u32)>::new());
        let f = root.alias_export(callee, "f", ComponentExportKind::Func);
        // The caller's imported types, defined (and exported) here.
        let mut named = Named::new(Naming::Export);
        func_type(&mut root, &self.params, &mut named);
        let mut args: Vec<(String, ComponentExportKind, u32)> = named
            .indices
            .iter()
            .enumerate()
            .map(|(k, i)| (format!("t{k}"), ComponentExportKind::Type, *i))
            .collect();
        args.push(("f".into(), ComponentExportKind::Func, f));
        let caller = root.instantiate(None, caller, args);
        let run = root.alias_export(caller, "run", ComponentExportKind::Func);
        root.export("run", ComponentExportKind::Func, run, None);
        root.finish()
    }

    /// The caller: imports `f` (and the types it names), exports `run`.
    fn outer_component(&self) -> ComponentBuilder {
        let mut c = ComponentBuilder::default();
        let ty = func_type(&mut c, &self.params, &mut Named::new(Naming::Import));
        let f = c.import("f", ComponentTypeRef::Func(ty));
        let libc = c.core_module(None, &libc_module());
        let libc = c.core_instantiate(None, libc, []);
        let memory = c.core_alias_export(None, libc, "memory", ExportKind::Memory);
        let realloc = c.core_alias_export(None, libc, "realloc", ExportKind::Func);
        let options = [
            CanonicalOption::Memory(memory),
            CanonicalOption::Realloc(realloc),
            self.outer.option(),
        ];
        let lowered = c.lower_func(None, f, options);
        let imports = c.core_instantiate_exports(None, [("f", ExportKind::Func, lowered)]);
        let run = c.core_module(None, &self.outer_module());
        let run = c.core_instantiate(
            None,
            run,
            [
                ("libc", ModuleArg::Instance(libc)),
                ("", ModuleArg::Instance(imports)),
            ],
        );
        let run = c.core_alias_export(None, run, "run", ExportKind::Func);
        let run = c.lift_func(None, run, ty, options);
        c.export("run", ComponentExportKind::Func, run, None);
        c
    }

    /// The callee: exports `f`.
    fn inner_component(&self) -> ComponentBuilder {
        let mut c = ComponentBuilder::default();
        let m = c.core_module(None, &self.inner_module());
        let m = c.core_instantiate(None, m, []);
        let memory = c.core_alias_export(None, m, "memory", ExportKind::Memory);
        let realloc = c.core_alias_export(None, m, "realloc", ExportKind::Func);
        let f = c.core_alias_export(None, m, "f", ExportKind::Func);
        let ty = func_type(&mut c, &self.params, &mut Named::new(Naming::Export));
        let f = c.lift_func(
            None,
            f,
            ty,
            [
                CanonicalOption::Memory(memory),
                CanonicalOption::Realloc(realloc),
                self.inner.option(),
            ],
        );
        c.export("f", ComponentExportKind::Func, f, None);
        c
    }

    /// The inner core module: a memory, `realloc` and `f`.
    fn inner_module(&self) -> Module {
        let (params, results) = self.lifted_sig();
        let body = self.f_body(&params);
        memory_and_realloc(Some((params, results, body)))
    }

    /// `f`: its parameters back as its result (see the module docs), with
    /// the bits of [`Corrupt`] flipped.
    fn f_body(&self, params: &[Core]) -> Function {
        let mut b = Body::new(params);
        let r = result_type(&self.params);
        if !self.spills_results() {
            // One flat value: the parameter is the result.
            if !params.is_empty() {
                b.code.push(I::LocalGet(0));
                if let Some(c) = &self.corrupt {
                    let mask = c.0.iter().fold(0u64, |m, (at, bits)| {
                        m ^ (u64::from(*bits) << ((at % 8) * 8))
                    });
                    xor_scalar(&mut b.code, params[0], mask);
                }
            }
            return b.finish();
        }
        let ptr = if self.spills_params() {
            // The parameters' tuple in memory is the result's image.
            0
        } else {
            let ptr = b.alloc(&r);
            let vals: Vec<(u32, Core)> = (0..).zip(params.iter().copied()).collect();
            store(&mut b, &r, &vals, ptr, 0);
            ptr
        };
        if let Some(c) = &self.corrupt {
            let size = abi::elem_size(&r);
            for (at, bits) in &c.0 {
                let m = MemArg {
                    offset: u64::from(at % size),
                    align: 0,
                    memory_index: 0,
                };
                b.code.extend([
                    I::LocalGet(ptr),
                    I::LocalGet(ptr),
                    I::I32Load8U(m),
                    I::I32Const(i32::from(*bits)),
                    I::I32Xor,
                    I::I32Store8(m),
                ]);
            }
        }
        b.code.push(I::LocalGet(ptr));
        b.finish()
    }

    /// The caller's core module: imports the memory and `realloc` of `libc`
    /// and the lowered `f`; `run` calls `f` with its own parameters.
    fn outer_module(&self) -> Module {
        let (params, results) = self.lifted_sig();
        let (lowered_params, lowered_results) = self.lowered_sig();
        let mut types = TypeSection::new();
        types.ty().function(REALLOC_PARAMS, [Core::I32]);
        types.ty().function(lowered_params, lowered_results);
        types.ty().function(params.clone(), results);
        let mut imports = ImportSection::new();
        imports
            .import("libc", "memory", EntityType::Memory(memory_type()))
            .import("libc", "realloc", EntityType::Function(0))
            .import("", "f", EntityType::Function(1));
        let mut funcs = FunctionSection::new();
        funcs.function(2);
        let mut exports = ExportSection::new();
        exports.export("run", ExportKind::Func, 2);

        let mut b = Body::new(&params);
        let ret = self
            .spills_results()
            .then(|| b.alloc(&result_type(&self.params)));
        for i in 0..params.len() as u32 {
            b.code.push(I::LocalGet(i));
        }
        if let Some(ret) = ret {
            b.code
                .extend([I::LocalGet(ret), I::Call(1), I::LocalGet(ret)]);
        } else {
            b.code.push(I::Call(1));
        }
        let mut code = CodeSection::new();
        code.function(&b.finish());
        let mut m = Module::new();
        m.section(&types)
            .section(&imports)
            .section(&funcs)
            .section(&exports)
            .section(&code);
        m
    }
}

/// The caller's memory and `realloc`, instantiated before the
/// module that imports the lowered `f` (whose options name them).
fn libc_module() -> Module {
    memory_and_realloc(None)
}

/// A module exporting a memory, `realloc` (function 0) and, when given
/// its signature and body, `f` (function 1).
fn memory_and_realloc(f: Option<(Vec<Core>, Vec<Core>, Function)>) -> Module {
    let mut types = TypeSection::new();
    let mut funcs = FunctionSection::new();
    let mut exports = ExportSection::new();
    let mut code = CodeSection::new();
    types.ty().function(REALLOC_PARAMS, [Core::I32]);
    funcs.function(0);
    exports
        .export("memory", ExportKind::Memory, 0)
        .export("realloc", ExportKind::Func, 0);
    code.function(&realloc_body());
    if let Some((params, results, body)) = f {
        types.ty().function(params, results);
        funcs.function(1);
        exports.export("f", ExportKind::Func, 1);
        code.function(&body);
    }
    let mut m = Module::new();
    m.section(&types)
        .section(&funcs)
        .section(&memory_section())
        .section(&bump_global())
        .section(&exports)
        .section(&code);
    m
}

/// `realloc`'s parameters: original pointer and size, alignment, new size.
const REALLOC_PARAMS: [Core; 4] = [Core::I32; 4];

fn memory_type() -> MemoryType {
    MemoryType {
        minimum: 1,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    }
}

fn memory_section() -> MemorySection {
    let mut s = MemorySection::new();
    s.memory(memory_type());
    s
}

/// Global 0: the bump allocator's next free byte.
fn bump_global() -> GlobalSection {
    let mut s = GlobalSection::new();
    s.global(
        GlobalType {
            val_type: Core::I32,
            mutable: true,
            shared: false,
        },
        &ConstExpr::i32_const(HEAP),
    );
    s
}

/// A bump allocator: the next free byte rounded up to the alignment; the
/// memory grows when the block does not fit (a trap when it cannot); a
/// reallocation copies the old block's bytes (as many as fit).
fn realloc_body() -> Function {
    // Locals: 0 old pointer, 1 old size, 2 alignment, 3 new size;
    // 4 the block, 5 its end (i64).
    let mut f = Function::new([(1, Core::I32), (1, Core::I64)]);
    let bytes_in_memory = [
        I::MemorySize(0),
        I::I64ExtendI32U,
        I::I64Const(16),
        I::I64Shl,
    ];
    let mut code = vec![
        I::GlobalGet(0),
        I::LocalGet(2),
        I::I32Add,
        I::I32Const(1),
        I::I32Sub,
        I::I32Const(0),
        I::LocalGet(2),
        I::I32Sub,
        I::I32And,
        I::LocalTee(4),
        I::I64ExtendI32U,
        I::LocalGet(3),
        I::I64ExtendI32U,
        I::I64Add,
        I::LocalTee(5),
        I::I64Const(0xffff_ffff),
        I::I64GtU,
        I::If(BlockType::Empty),
        I::Unreachable,
        I::End,
        I::LocalGet(5),
    ];
    code.extend(bytes_in_memory.clone());
    code.extend([I::I64GtU, I::If(BlockType::Empty), I::LocalGet(5)]);
    code.extend(bytes_in_memory);
    code.extend([
        I::I64Sub,
        I::I64Const(0xffff),
        I::I64Add,
        I::I64Const(16),
        I::I64ShrU,
        I::I32WrapI64,
        I::MemoryGrow(0),
        I::I32Const(-1),
        I::I32Eq,
        I::If(BlockType::Empty),
        I::Unreachable,
        I::End,
        I::End,
        I::LocalGet(5),
        I::I32WrapI64,
        I::GlobalSet(0),
        I::LocalGet(0),
        I::If(BlockType::Empty),
        I::LocalGet(4),
        I::LocalGet(0),
        I::LocalGet(1),
        I::LocalGet(3),
        I::LocalGet(1),
        I::LocalGet(3),
        I::I32LtU,
        I::Select,
        I::MemoryCopy {
            src_mem: 0,
            dst_mem: 0,
        },
        I::End,
        I::LocalGet(4),
        I::End,
    ]);
    for i in &code {
        f.instruction(i);
    }
    f
}

/// A function body being built: its parameters, the locals it adds, its
/// instructions.
struct Body {
    params: u32,
    locals: Vec<Core>,
    code: Vec<I<'static>>,
}

impl Body {
    fn new(params: &[Core]) -> Body {
        Body {
            params: params.len() as u32,
            locals: Vec::new(),
            code: Vec::new(),
        }
    }

    /// A new local of type `t`.
    fn local(&mut self, t: Core) -> u32 {
        self.locals.push(t);
        self.params + self.locals.len() as u32 - 1
    }

    /// A new local holding a block for a value of `t`, from `realloc`
    /// (function 0).
    fn alloc(&mut self, t: &ValType) -> u32 {
        let ptr = self.local(Core::I32);
        self.code.extend([
            I::I32Const(0),
            I::I32Const(0),
            I::I32Const(abi::alignment(t) as i32),
            I::I32Const(abi::elem_size(t) as i32),
            I::Call(0),
            I::LocalSet(ptr),
        ]);
        ptr
    }

    fn finish(self) -> Function {
        let mut f = Function::new(self.locals.iter().map(|t| (1, *t)));
        for i in &self.code {
            f.instruction(i);
        }
        f.instruction(&I::End);
        f
    }
}

/// Stores the value of `t` held in the locals `vals` (of the types
/// `flatten(t)`) at `addr + offset`, in `t`'s layout: the inverse of
/// `lift_flat` followed by `store`.
fn store(b: &mut Body, t: &ValType, vals: &[(u32, Core)], addr: u32, offset: u32) {
    let m = MemArg {
        offset: u64::from(offset),
        align: 0,
        memory_index: 0,
    };
    let scalar = |b: &mut Body, store: I<'static>| {
        b.code
            .extend([I::LocalGet(addr), I::LocalGet(vals[0].0), store]);
    };
    match t {
        ValType::Bool | ValType::S8 | ValType::U8 => scalar(b, I::I32Store8(m)),
        ValType::S16 | ValType::U16 => scalar(b, I::I32Store16(m)),
        ValType::S32 | ValType::U32 | ValType::Char => scalar(b, I::I32Store(m)),
        ValType::S64 | ValType::U64 => scalar(b, I::I64Store(m)),
        ValType::F32 => scalar(b, I::F32Store(m)),
        ValType::F64 => scalar(b, I::F64Store(m)),
        ValType::Flags(ls) => match ls.len() {
            0..=8 => scalar(b, I::I32Store8(m)),
            9..=16 => scalar(b, I::I32Store16(m)),
            _ => scalar(b, I::I32Store(m)),
        },
        ValType::String | ValType::List(_, None) | ValType::Map(..) => {
            scalar(b, I::I32Store(m));
            store(b, &ValType::U32, &vals[1..], addr, offset + 4);
        }
        ValType::List(e, Some(n)) => {
            let k = abi::flatten(e).len();
            let size = abi::elem_size(e);
            for i in 0..*n as usize {
                store(
                    b,
                    e,
                    &vals[i * k..(i + 1) * k],
                    addr,
                    offset + i as u32 * size,
                );
            }
        }
        _ => {
            if let Some(fs) = abi::fields(t) {
                let offsets = abi::field_offsets(&fs);
                let mut at = 0;
                for (f, off) in fs.iter().zip(offsets) {
                    let k = abi::flatten(f).len();
                    store(b, f, &vals[at..at + k], addr, offset + off);
                    at += k;
                }
            } else if let Some(cases) = abi::cases(t) {
                let disc = vals[0].0;
                let size = abi::discriminant_size(cases.len());
                let disc_t = match size {
                    1 => ValType::U8,
                    2 => ValType::U16,
                    _ => ValType::U32,
                };
                store(b, &disc_t, &vals[..1], addr, offset);
                let payload = offset + abi::align_to(size, abi::max_case_alignment(&cases));
                for (i, c) in cases.iter().enumerate() {
                    let Some(c) = c else { continue };
                    b.code.extend([
                        I::LocalGet(disc),
                        I::I32Const(i as i32),
                        I::I32Eq,
                        I::If(BlockType::Empty),
                    ]);
                    let coerced: Vec<(u32, Core)> = abi::flatten(c)
                        .into_iter()
                        .zip(&vals[1..])
                        .map(|(want, &(have_local, have))| coerce(b, have_local, have, want))
                        .collect();
                    store(b, c, &coerced, addr, payload);
                    b.code.push(I::End);
                }
            }
        }
    }
}

/// The case's own flat value from the variant's joined one (the
/// `CoerceValueIter` of `lift_flat_variant`), in a new local if it changes.
fn coerce(b: &mut Body, local: u32, have: Core, want: Core) -> (u32, Core) {
    let conversions: &[I<'static>] = match (have, want) {
        _ if have == want => return (local, want),
        (Core::I32, Core::F32) => &[I::F32ReinterpretI32],
        (Core::I64, Core::I32) => &[I::I32WrapI64],
        (Core::I64, Core::F32) => &[I::I32WrapI64, I::F32ReinterpretI32],
        (Core::I64, Core::F64) => &[I::F64ReinterpretI64],
        _ => unreachable!("join never gives {have:?} for {want:?}"),
    };
    let out = b.local(want);
    b.code.push(I::LocalGet(local));
    b.code.extend(conversions.iter().cloned());
    b.code.push(I::LocalSet(out));
    (out, want)
}

/// Flips the bits `mask` of the core value on the stack.
fn xor_scalar(code: &mut Vec<I<'static>>, t: Core, mask: u64) {
    match t {
        Core::I32 => code.extend([I::I32Const(mask as i32), I::I32Xor]),
        Core::I64 => code.extend([I::I64Const(mask as i64), I::I64Xor]),
        Core::F32 => code.extend([
            I::I32ReinterpretF32,
            I::I32Const(mask as i32),
            I::I32Xor,
            I::F32ReinterpretI32,
        ]),
        _ => code.extend([
            I::I64ReinterpretF64,
            I::I64Const(mask as i64),
            I::I64Xor,
            I::F64ReinterpretI64,
        ]),
    }
}

/// How a component gives names to the records, variants, enums and flags
/// its function types use (a function a component imports or exports may
/// only use named types of those kinds): `tK` for the K-th such type
/// [`val_type`] meets, so that the caller's imports and the types its
/// parent gives it line up.
enum Naming {
    Export,
    Import,
}

struct Named {
    how: Naming,
    /// The named types' indices, in order.
    indices: Vec<u32>,
}

impl Named {
    fn new(how: Naming) -> Named {
        Named {
            how,
            indices: Vec::new(),
        }
    }
}

/// Defines `params -> result_type(params)` as a component function type,
/// with the value types it needs; returns its type index.
fn func_type(c: &mut ComponentBuilder, params: &[ValType], named: &mut Named) -> u32 {
    let ps: Vec<ComponentValType> = params.iter().map(|t| val_type(c, t, named)).collect();
    let r = val_type(c, &result_type(params), named);
    let names: Vec<String> = (0..ps.len()).map(|i| format!("p{i}")).collect();
    let (ty, mut enc) = c.type_function(None);
    enc.params(names.iter().map(String::as_str).zip(ps));
    enc.result(Some(r));
    ty
}

/// `t` as a component value type, defining the types it needs; records,
/// variants, enums and flags named as `named` says.
fn val_type(c: &mut ComponentBuilder, t: &ValType, named: &mut Named) -> ComponentValType {
    use PrimitiveValType as P;
    let primitive = match t {
        ValType::Bool => Some(P::Bool),
        ValType::S8 => Some(P::S8),
        ValType::U8 => Some(P::U8),
        ValType::S16 => Some(P::S16),
        ValType::U16 => Some(P::U16),
        ValType::S32 => Some(P::S32),
        ValType::U32 => Some(P::U32),
        ValType::S64 => Some(P::S64),
        ValType::U64 => Some(P::U64),
        ValType::F32 => Some(P::F32),
        ValType::F64 => Some(P::F64),
        ValType::Char => Some(P::Char),
        ValType::String => Some(P::String),
        _ => None,
    };
    if let Some(p) = primitive {
        return ComponentValType::Primitive(p);
    }
    let mut inner = |c: &mut ComponentBuilder, t: &ValType| val_type(c, t, named);
    let idx = match t {
        ValType::List(e, n) => {
            let e = inner(c, e);
            let (idx, enc) = c.type_defined(None);
            match n {
                Some(n) => enc.fixed_length_list(e, *n),
                None => enc.list(e),
            }
            idx
        }
        ValType::Map(k, v) => {
            let (k, v) = (inner(c, k), inner(c, v));
            let (idx, enc) = c.type_defined(None);
            enc.map(k, v);
            idx
        }
        ValType::Record(fs) => {
            let ts: Vec<ComponentValType> = fs.iter().map(|f| inner(c, &f.t)).collect();
            let (idx, enc) = c.type_defined(None);
            enc.record(fs.iter().map(|f| f.label.as_str()).zip(ts));
            idx
        }
        ValType::Tuple(ts) => {
            let ts: Vec<ComponentValType> = ts.iter().map(|t| inner(c, t)).collect();
            let (idx, enc) = c.type_defined(None);
            enc.tuple(ts);
            idx
        }
        ValType::Variant(cs) => {
            let ts: Vec<Option<ComponentValType>> = cs
                .iter()
                .map(|cs| cs.t.as_ref().map(|t| inner(c, t)))
                .collect();
            let (idx, enc) = c.type_defined(None);
            enc.variant(cs.iter().map(|cs| cs.label.as_str()).zip(ts));
            idx
        }
        ValType::Enum(ls) => {
            let (idx, enc) = c.type_defined(None);
            enc.enum_type(ls.iter().map(String::as_str));
            idx
        }
        ValType::Flags(ls) => {
            let (idx, enc) = c.type_defined(None);
            enc.flags(ls.iter().map(String::as_str));
            idx
        }
        ValType::Option(t) => {
            let t = inner(c, t);
            let (idx, enc) = c.type_defined(None);
            enc.option(t);
            idx
        }
        ValType::Result(ok, err) => {
            let ok = ok.as_ref().map(|t| inner(c, t));
            let err = err.as_ref().map(|t| inner(c, t));
            let (idx, enc) = c.type_defined(None);
            enc.result(ok, err);
            idx
        }
        _ => unreachable!("no values of {t:?} are made"),
    };
    let idx = match t {
        ValType::Record(_) | ValType::Variant(_) | ValType::Enum(_) | ValType::Flags(_) => {
            let name = format!("t{}", named.indices.len());
            let idx = match named.how {
                Naming::Export => c.export(name.as_str(), ComponentExportKind::Type, idx, None),
                Naming::Import => {
                    c.import(name.as_str(), ComponentTypeRef::Type(TypeBounds::Eq(idx)))
                }
            };
            named.indices.push(idx);
            idx
        }
        _ => idx,
    };
    ComponentValType::Type(idx)
}
