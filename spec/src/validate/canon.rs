//! Canonical Definitions (Explainer.md "Canonical Definitions";
//! CanonicalABI.md "`canonopt` Validation", "`canon lift`", "`canon
//! lower`" and the "validation specifies" rules of every built-in), with
//! `flatten_functype` (CanonicalABI.md "Flattening") for the core types.

use alloc::format;
use alloc::vec;
use alloc::vec::Vec;

use wasmparser::ValType as Core;

use super::Validator;
use super::scope::get;
use crate::ast::{Canon, CanonOpt};
use crate::error::{Error, Result};
use crate::types::{CoreFuncType, DefinedType, FuncType, PrimValType, ValType};

/// `MAX_FLAT_PARAMS`.
pub const MAX_FLAT_PARAMS: usize = 16;
/// `MAX_FLAT_ASYNC_PARAMS`.
pub const MAX_FLAT_ASYNC_PARAMS: usize = 4;
/// `MAX_FLAT_RESULTS`.
pub const MAX_FLAT_RESULTS: usize = 1;

/// Flattening stops after this many core values: validation only needs to
/// know whether a limit (at most 16) is exceeded.
const FLAT_CAP: usize = MAX_FLAT_PARAMS + 1;

/// The canonical options of one definition, after the "at most once" rules.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `string-encoding`, if given.
    pub string_encoding: Option<CanonOpt>,
    /// `(memory m)` with its address type.
    pub memory: Option<(u32, Core)>,
    /// `(realloc f)`.
    pub realloc: Option<u32>,
    /// `(post-return f)`.
    pub post_return: Option<u32>,
    /// 🔀 `async`.
    pub async_: bool,
    /// 🔀 `(callback f)`.
    pub callback: Option<u32>,
    /// `gc` / `core-type`.
    pub gc: bool,
}

impl Options {
    fn ptr(&self) -> Core {
        self.memory.map_or(Core::I32, |(_, t)| t)
    }
}

fn encoding_name(o: CanonOpt) -> &'static str {
    match o {
        CanonOpt::StringEncodingUtf16 => "utf16",
        CanonOpt::StringEncodingLatin1Utf16 => "latin1-utf16",
        _ => "utf8",
    }
}

fn join(a: Core, b: Core) -> Core {
    if a == b {
        a
    } else if matches!((a, b), (Core::I32, Core::F32) | (Core::F32, Core::I32)) {
        Core::I32
    } else {
        Core::I64
    }
}

fn ft(params: Vec<Core>, results: Vec<Core>) -> CoreFuncType {
    CoreFuncType::new(params, results)
}

impl Validator {
    /// `flatten_type(t)`, capped at [`FLAT_CAP`] values.
    fn flatten(&self, t: ValType, ptr: Core, out: &mut Vec<Core>) {
        if out.len() >= FLAT_CAP {
            return;
        }
        let d = match t {
            ValType::Primitive(p) => DefinedType::Primitive(p),
            ValType::Defined(id) => match self.types.defined(id) {
                Some(d) => d.clone(),
                None => return,
            },
        };
        match d {
            DefinedType::Primitive(p) => match p {
                PrimValType::S64 | PrimValType::U64 => out.push(Core::I64),
                PrimValType::F32 => out.push(Core::F32),
                PrimValType::F64 => out.push(Core::F64),
                PrimValType::String => out.extend([ptr, ptr]),
                _ => out.push(Core::I32),
            },
            DefinedType::List(_) | DefinedType::Map(..) => out.extend([ptr, ptr]),
            DefinedType::FixedLengthList(e, n) => {
                for _ in 0..n {
                    if out.len() >= FLAT_CAP {
                        break;
                    }
                    self.flatten(e, ptr, out);
                }
            }
            DefinedType::Record(fs) => fs.iter().for_each(|(_, t)| self.flatten(*t, ptr, out)),
            DefinedType::Tuple(ts) => ts.iter().for_each(|t| self.flatten(*t, ptr, out)),
            DefinedType::Variant(cs) => {
                self.flatten_variant(cs.iter().map(|(_, t)| *t).collect(), ptr, out)
            }
            DefinedType::Enum(ls) => {
                self.flatten_variant(vec![None; ls.len().min(1 << 17)], ptr, out)
            }
            DefinedType::Option(t) => self.flatten_variant(vec![None, Some(t)], ptr, out),
            DefinedType::Result { ok, err } => self.flatten_variant(vec![ok, err], ptr, out),
            DefinedType::Flags(_)
            | DefinedType::Own(_)
            | DefinedType::Borrow(_)
            | DefinedType::Stream(_)
            | DefinedType::Future(_) => out.push(Core::I32),
        }
    }

    fn flatten_variant(&self, cases: Vec<Option<ValType>>, ptr: Core, out: &mut Vec<Core>) {
        let mut flat: Vec<Core> = Vec::new();
        for c in cases.iter().flatten() {
            let mut f = Vec::new();
            self.flatten(*c, ptr, &mut f);
            for (i, t) in f.into_iter().enumerate() {
                match flat.get_mut(i) {
                    Some(x) => *x = join(*x, t),
                    None => flat.push(t),
                }
            }
        }
        // The discriminant is at most 32 bits.
        out.push(Core::I32);
        out.extend(flat);
    }

    fn flatten_types(&self, ts: &[ValType], ptr: Core) -> Vec<Core> {
        let mut out = Vec::new();
        for t in ts {
            self.flatten(*t, ptr, &mut out);
        }
        out
    }

    /// `flatten_functype(opts, ft, context)`.
    fn flatten_functype(&self, o: &Options, f: &FuncType, lift: bool) -> CoreFuncType {
        let ptr = o.ptr();
        let params: Vec<ValType> = f.params.iter().map(|(_, t)| *t).collect();
        let mut fp = self.flatten_types(&params, ptr);
        let mut fr = self.flatten_types(&f.result.into_iter().collect::<Vec<_>>(), ptr);
        if !o.async_ {
            if fp.len() > MAX_FLAT_PARAMS {
                fp = vec![ptr];
            }
            if fr.len() > MAX_FLAT_RESULTS {
                if lift {
                    fr = vec![ptr];
                } else {
                    fp.push(ptr);
                    fr = vec![];
                }
            }
        } else if lift {
            if fp.len() > MAX_FLAT_PARAMS {
                fp = vec![ptr];
            }
            fr = if o.callback.is_some() {
                vec![Core::I32]
            } else {
                vec![]
            };
        } else {
            if fp.len() > MAX_FLAT_ASYNC_PARAMS {
                fp = vec![ptr];
            }
            if !fr.is_empty() {
                fp.push(ptr);
            }
            fr = vec![Core::I32];
        }
        ft(fp, fr)
    }

    /// Whether `t` contains a `list` or `string` (what makes `lift`/`lower`
    /// need memory, CanonicalABI.md "`canonopt` Validation").
    fn needs_memory(&self, t: ValType) -> bool {
        match t {
            ValType::Primitive(p) => p == PrimValType::String,
            ValType::Defined(_) => self.types.any_val(t, &mut |d| {
                matches!(
                    d,
                    DefinedType::List(_)
                        | DefinedType::Map(..)
                        | DefinedType::Primitive(PrimValType::String)
                )
            }),
        }
    }

    /// `canonopt` validation: each option at most once, and each option's
    /// own rule.
    fn options(&self, opts: &[CanonOpt], offset: usize) -> Result<Options> {
        let mut o = Options::default();
        let twice = |name: &str| {
            Error::invalid(
                offset,
                format!("canonical option `{name}` is specified more than once"),
            )
        };
        for opt in opts {
            match *opt {
                CanonOpt::StringEncodingUtf8
                | CanonOpt::StringEncodingUtf16
                | CanonOpt::StringEncodingLatin1Utf16 => {
                    if let Some(prev) = o.string_encoding {
                        return Err(Error::invalid(
                            offset,
                            format!(
                                "canonical encoding option `{}` conflicts with option `{}`",
                                encoding_name(prev),
                                encoding_name(*opt)
                            ),
                        ));
                    }
                    o.string_encoding = Some(*opt);
                }
                CanonOpt::Memory(m) => {
                    if o.memory.is_some() {
                        return Err(twice("memory"));
                    }
                    let mt = get(&self.scope().core_memories, m, "memory", offset)?;
                    let ptr = if mt.memory64 {
                        self.gate(
                            self.features.component_model_memory64,
                            offset,
                            "64-bit memories",
                            "component-model-memory64",
                        )?;
                        Core::I64
                    } else {
                        Core::I32
                    };
                    o.memory = Some((m, ptr));
                }
                CanonOpt::Realloc(f) => {
                    if o.realloc.is_some() {
                        return Err(twice("realloc"));
                    }
                    o.realloc = Some(f);
                }
                CanonOpt::PostReturn(f) => {
                    if o.post_return.is_some() {
                        return Err(twice("post-return"));
                    }
                    o.post_return = Some(f);
                }
                CanonOpt::Async => {
                    if o.async_ {
                        return Err(twice("async"));
                    }
                    self.gate(
                        self.features.component_model_async,
                        offset,
                        "the `async` option",
                        "component-model-async",
                    )?;
                    o.async_ = true;
                }
                CanonOpt::Callback(f) => {
                    if o.callback.is_some() {
                        return Err(twice("callback"));
                    }
                    o.callback = Some(f);
                }
                CanonOpt::CoreType(_) | CanonOpt::Gc => o.gc = true,
            }
        }
        if let Some(f) = o.realloc {
            if o.memory.is_none() {
                return Err(Error::invalid(
                    offset,
                    "canonical option `realloc` requires `memory` to also be specified",
                ));
            }
            let p = o.ptr();
            let t = get(&self.scope().core_funcs, f, "func", offset)?;
            if *t != ft(vec![p, p, p, p], vec![p]) {
                return Err(Error::invalid(
                    offset,
                    "canonical option `realloc` uses a core function with an incorrect signature",
                ));
            }
        }
        if let Some(f) = o.callback {
            if !o.async_ {
                return Err(Error::invalid(
                    offset,
                    "canonical option `callback` requires `async`",
                ));
            }
            let t = get(&self.scope().core_funcs, f, "func", offset)?;
            if *t != ft(vec![Core::I32, Core::I32, Core::I32], vec![Core::I32]) {
                return Err(Error::invalid(
                    offset,
                    "canonical option `callback` uses a core function with an incorrect signature",
                ));
            }
        }
        if o.async_ && o.post_return.is_some() {
            return Err(Error::invalid(
                offset,
                "cannot specify `post-return` with `async`",
            ));
        }
        Ok(o)
    }

    fn require_memory(o: &Options, offset: usize) -> Result<()> {
        if o.memory.is_none() {
            return Err(Error::invalid(
                offset,
                "canonical option `memory` is required",
            ));
        }
        Ok(())
    }

    fn require_realloc(o: &Options, offset: usize) -> Result<()> {
        Self::require_memory(o, offset)?;
        if o.realloc.is_none() {
            return Err(Error::invalid(
                offset,
                "canonical option `realloc` is required",
            ));
        }
        Ok(())
    }

    /// Only `memory`, `realloc`, `string-encoding` (and 🚝 `async` where
    /// allowed) may appear on the built-ins that take options.
    fn only_data_options(
        &self,
        o: &Options,
        allow_async: bool,
        name: &str,
        offset: usize,
    ) -> Result<()> {
        if o.post_return.is_some() {
            return Err(Error::invalid(
                offset,
                format!("cannot specify `post-return` on `{name}`"),
            ));
        }
        if o.callback.is_some() {
            return Err(Error::invalid(
                offset,
                format!("cannot specify `callback` on `{name}`"),
            ));
        }
        if o.async_ && !allow_async {
            return Err(Error::invalid(
                offset,
                format!("cannot specify `async` on `{name}`"),
            ));
        }
        Ok(())
    }

    fn func_type_at(&self, index: u32, offset: usize) -> Result<FuncType> {
        let t = *get(&self.scope().types, index, "type", offset)?;
        self.types.func(t).cloned().ok_or_else(|| {
            Error::invalid(offset, format!("type index {index} is not a function type"))
        })
    }

    /// The payload of a `stream`/`future` type index.
    fn async_payload(&self, index: u32, stream: bool, offset: usize) -> Result<Option<ValType>> {
        let t = *get(&self.scope().types, index, "type", offset)?;
        match (self.types.defined(t), stream) {
            (Some(DefinedType::Stream(p)), true) | (Some(DefinedType::Future(p)), false) => Ok(*p),
            _ => Err(Error::invalid(
                offset,
                format!(
                    "type index {index} is not a {} type",
                    if stream { "stream" } else { "future" }
                ),
            )),
        }
    }

    fn local_resource(&self, index: u32, offset: usize) -> Result<Core> {
        let t = *get(&self.scope().types, index, "type", offset)?;
        let Some(r) = self.types.resource_of(t) else {
            return Err(Error::invalid(
                offset,
                format!("type index {index} is not a resource type"),
            ));
        };
        match self.types.resource(self.types.canonical(r)) {
            Some(info) if info.defined_by == Some(self.scope().id) => {
                Ok(info.rep.unwrap_or(Core::I32))
            }
            _ => Err(Error::invalid(
                offset,
                format!("type index {index} is not a local resource"),
            )),
        }
    }

    /// `canon`: validates the definition and appends the function it
    /// defines to the (core) function index space.
    pub(crate) fn canon(&mut self, c: &Canon, offset: usize) -> Result<()> {
        let f = self.features;
        let asyncf = f.component_model_async;
        let threads = f.component_model_threading;
        let gate =
            |on: bool, flag: &str| self.gate(on, offset, &format!("`canon {}`", c.name()), flag);
        let core = match c {
            Canon::Lift {
                core_func,
                opts,
                ty,
            } => {
                let o = self.options(opts, offset)?;
                let t = self.func_type_at(*ty, offset)?;
                self.lift(&o, &t, *core_func, offset)?;
                let id = *get(&self.scope().types, *ty, "type", offset)?;
                self.scope_mut().funcs.push(id);
                return Ok(());
            }
            Canon::Lower { func, opts } => {
                let o = self.options(opts, offset)?;
                let id = *get(&self.scope().funcs, *func, "func", offset)?;
                let t = self.types.func(id).cloned().unwrap_or(FuncType {
                    async_: false,
                    params: Vec::new(),
                    result: None,
                });
                self.lower(&o, &t, offset)?
            }
            Canon::ResourceNew { ty } => {
                let rep = self.local_resource(*ty, offset)?;
                ft(vec![rep], vec![Core::I32])
            }
            Canon::ResourceDrop { ty } => {
                let t = *get(&self.scope().types, *ty, "type", offset)?;
                if self.types.resource_of(t).is_none() {
                    return Err(Error::invalid(
                        offset,
                        format!("type index {ty} is not a resource type"),
                    ));
                }
                ft(vec![Core::I32], vec![])
            }
            Canon::ResourceRep { ty } => {
                let rep = self.local_resource(*ty, offset)?;
                ft(vec![Core::I32], vec![rep])
            }
            Canon::ContextGet { ty, index } | Canon::ContextSet { ty, index } => {
                gate(asyncf, "component-model-async")?;
                let ok = *ty == Core::I32 || (*ty == Core::I64 && f.component_model_memory64);
                if !ok {
                    return Err(Error::invalid(
                        offset,
                        "context slots must be of type `i32`",
                    ));
                }
                if *index >= 2 {
                    return Err(Error::invalid(
                        offset,
                        format!("invalid context index {index}"),
                    ));
                }
                if matches!(c, Canon::ContextGet { .. }) {
                    ft(vec![], vec![*ty])
                } else {
                    ft(vec![*ty], vec![])
                }
            }
            Canon::BackpressureInc | Canon::BackpressureDec | Canon::TaskCancel => {
                gate(asyncf, "component-model-async")?;
                ft(vec![], vec![])
            }
            Canon::TaskReturn { result, opts } => {
                gate(asyncf, "component-model-async")?;
                let o = self.options(opts, offset)?;
                if o.realloc.is_some()
                    || o.post_return.is_some()
                    || o.callback.is_some()
                    || o.async_
                {
                    return Err(Error::invalid(
                        offset,
                        "cannot specify options other than `memory` and `string-encoding` on `task.return`",
                    ));
                }
                let result = result.map(|r| self.val_type(r, offset)).transpose()?;
                let t = FuncType {
                    async_: false,
                    params: result
                        .map(|r| (alloc::string::String::from("v"), r))
                        .into_iter()
                        .collect(),
                    result: None,
                };
                if let Some(r) = result {
                    let flat = self.flatten_types(&[r], o.ptr());
                    if self.needs_memory(r) || flat.len() > MAX_FLAT_PARAMS {
                        Self::require_memory(&o, offset)?;
                    }
                }
                self.flatten_functype(&o, &t, false)
            }
            Canon::WaitableSetNew => {
                gate(asyncf, "component-model-async")?;
                ft(vec![], vec![Core::I32])
            }
            Canon::WaitableSetWait {
                cancellable,
                memory,
            }
            | Canon::WaitableSetPoll {
                cancellable,
                memory,
            } => {
                gate(asyncf, "component-model-async")?;
                if *cancellable {
                    gate(threads, "component-model-threading")?;
                }
                let m = get(&self.scope().core_memories, *memory, "memory", offset)?;
                let p = if m.memory64 { Core::I64 } else { Core::I32 };
                ft(vec![Core::I32, p], vec![Core::I32])
            }
            Canon::WaitableSetDrop | Canon::SubtaskDrop => {
                gate(asyncf, "component-model-async")?;
                ft(vec![Core::I32], vec![])
            }
            Canon::WaitableJoin => {
                gate(asyncf, "component-model-async")?;
                ft(vec![Core::I32, Core::I32], vec![])
            }
            Canon::SubtaskCancel { async_ } => {
                gate(asyncf, "component-model-async")?;
                if *async_ {
                    gate(
                        f.component_model_more_async_builtins,
                        "component-model-more-async-builtins",
                    )?;
                }
                ft(vec![Core::I32], vec![Core::I32])
            }
            Canon::StreamNew { ty } | Canon::FutureNew { ty } => {
                gate(asyncf, "component-model-async")?;
                self.async_payload(*ty, matches!(c, Canon::StreamNew { .. }), offset)?;
                ft(vec![], vec![Core::I64])
            }
            Canon::StreamRead { ty, opts }
            | Canon::StreamWrite { ty, opts }
            | Canon::FutureRead { ty, opts }
            | Canon::FutureWrite { ty, opts } => {
                gate(asyncf, "component-model-async")?;
                let stream = matches!(c, Canon::StreamRead { .. } | Canon::StreamWrite { .. });
                let read = matches!(c, Canon::StreamRead { .. } | Canon::FutureRead { .. });
                let payload = self.async_payload(*ty, stream, offset)?;
                let o = self.options(opts, offset)?;
                self.only_data_options(&o, true, c.name(), offset)?;
                if o.async_ {
                    gate(
                        f.component_model_more_async_builtins,
                        "component-model-more-async-builtins",
                    )?;
                }
                if let Some(p) = payload {
                    Self::require_memory(&o, offset)?;
                    if read && self.needs_memory(p) {
                        Self::require_realloc(&o, offset)?;
                    }
                }
                let ptr = o.ptr();
                if stream {
                    ft(vec![Core::I32, ptr, ptr], vec![Core::I32])
                } else {
                    ft(vec![Core::I32, ptr], vec![Core::I32])
                }
            }
            Canon::StreamCancelRead { ty, async_ }
            | Canon::StreamCancelWrite { ty, async_ }
            | Canon::FutureCancelRead { ty, async_ }
            | Canon::FutureCancelWrite { ty, async_ } => {
                gate(asyncf, "component-model-async")?;
                let stream = matches!(
                    c,
                    Canon::StreamCancelRead { .. } | Canon::StreamCancelWrite { .. }
                );
                self.async_payload(*ty, stream, offset)?;
                if *async_ {
                    gate(
                        f.component_model_more_async_builtins,
                        "component-model-more-async-builtins",
                    )?;
                }
                ft(vec![Core::I32], vec![Core::I32])
            }
            Canon::StreamDropReadable { ty }
            | Canon::StreamDropWritable { ty }
            | Canon::FutureDropReadable { ty }
            | Canon::FutureDropWritable { ty } => {
                gate(asyncf, "component-model-async")?;
                let stream = matches!(
                    c,
                    Canon::StreamDropReadable { .. } | Canon::StreamDropWritable { .. }
                );
                self.async_payload(*ty, stream, offset)?;
                ft(vec![Core::I32], vec![])
            }
            Canon::ErrorContextNew { opts } | Canon::ErrorContextDebugMessage { opts } => {
                gate(
                    f.component_model_error_context,
                    "component-model-error-context",
                )?;
                let o = self.options(opts, offset)?;
                self.only_data_options(&o, false, c.name(), offset)?;
                Self::require_memory(&o, offset)?;
                let ptr = o.ptr();
                if matches!(c, Canon::ErrorContextNew { .. }) {
                    ft(vec![ptr, ptr], vec![Core::I32])
                } else {
                    Self::require_realloc(&o, offset)?;
                    ft(vec![Core::I32, ptr], vec![])
                }
            }
            Canon::ErrorContextDrop => {
                gate(
                    f.component_model_error_context,
                    "component-model-error-context",
                )?;
                ft(vec![Core::I32], vec![])
            }
            Canon::ThreadIndex => {
                gate(threads, "component-model-threading")?;
                ft(vec![], vec![Core::I32])
            }
            Canon::ThreadNewIndirect { ty, table } => {
                gate(threads, "component-model-threading")?;
                self.thread_start_type(*ty, offset)?;
                let t = get(&self.scope().core_tables, *table, "table", offset)?;
                if t.element_type != wasmparser::RefType::FUNCREF {
                    return Err(Error::invalid(
                        offset,
                        "table is not a 32-bit table of (ref null (func))",
                    ));
                }
                let u = if t.table64 { Core::I64 } else { Core::I32 };
                ft(vec![u, Core::I32], vec![Core::I32])
            }
            Canon::ThreadResumeLater => {
                gate(threads, "component-model-threading")?;
                ft(vec![Core::I32], vec![])
            }
            Canon::ThreadSuspend { .. } => {
                gate(threads, "component-model-threading")?;
                ft(vec![], vec![Core::I32])
            }
            Canon::ThreadYield { cancellable } => {
                gate(asyncf, "component-model-async")?;
                if *cancellable {
                    gate(threads, "component-model-threading")?;
                }
                ft(vec![], vec![Core::I32])
            }
            Canon::ThreadSuspendThenResume { .. }
            | Canon::ThreadYieldThenResume { .. }
            | Canon::ThreadSuspendThenPromote { .. }
            | Canon::ThreadYieldThenPromote { .. } => {
                gate(threads, "component-model-threading")?;
                ft(vec![Core::I32], vec![Core::I32])
            }
            Canon::ThreadSpawnRef { ty } => {
                gate(
                    f.component_model_shared_everything_threads,
                    "component-model-shared-everything-threads",
                )?;
                self.thread_start_type(*ty, offset)?;
                ft(vec![Core::I32, Core::I32], vec![Core::I32])
            }
            Canon::ThreadSpawnIndirect { ty, table } => {
                gate(
                    f.component_model_shared_everything_threads,
                    "component-model-shared-everything-threads",
                )?;
                self.thread_start_type(*ty, offset)?;
                get(&self.scope().core_tables, *table, "table", offset)?;
                ft(vec![Core::I32, Core::I32], vec![Core::I32])
            }
            Canon::ThreadAvailableParallelism => {
                gate(
                    f.component_model_shared_everything_threads,
                    "component-model-shared-everything-threads",
                )?;
                ft(vec![], vec![Core::I32])
            }
        };
        self.scope_mut().core_funcs.push(core);
        Ok(())
    }

    /// `$ft` of the thread built-ins: `(func (param i32))`.
    fn thread_start_type(&self, ty: u32, offset: usize) -> Result<()> {
        match get(&self.scope().core_types, ty, "type", offset)? {
            super::CoreTypeEntry::Func { ty: f, .. } if *f == ft(vec![Core::I32], vec![]) => Ok(()),
            _ => Err(Error::invalid(
                offset,
                "start function must take a single `i32` argument",
            )),
        }
    }

    /// `canon lift`.
    fn lift(&mut self, o: &Options, t: &FuncType, core_func: u32, offset: usize) -> Result<()> {
        if o.async_ && !t.async_ {
            return Err(Error::invalid(
                offset,
                "the `async` canonical option requires an async function type",
            ));
        }
        if o.async_ && o.callback.is_none() {
            self.gate(
                self.features.component_model_async_stackful,
                offset,
                "`async` lift without `callback`",
                "component-model-async-stackful",
            )?;
        }
        let ptr = o.ptr();
        let params: Vec<ValType> = t.params.iter().map(|(_, t)| *t).collect();
        let flat_params = self.flatten_types(&params, ptr);
        let flat_results = self.flatten_types(&t.result.into_iter().collect::<Vec<_>>(), ptr);
        let max_results = if o.async_ {
            MAX_FLAT_PARAMS
        } else {
            MAX_FLAT_RESULTS
        };
        let lift_params = params.iter().any(|p| self.needs_memory(*p));
        let lower_result = t.result.is_some_and(|r| self.needs_memory(r));
        if lift_params
            || lower_result
            || flat_params.len() > MAX_FLAT_PARAMS
            || flat_results.len() > max_results
        {
            Self::require_memory(o, offset)?;
        }
        if lift_params || flat_params.len() > MAX_FLAT_PARAMS {
            Self::require_realloc(o, offset)?;
        }
        let expected = self.flatten_functype(o, t, true);
        let actual = get(&self.scope().core_funcs, core_func, "func", offset)?.clone();
        if actual.params() != expected.params() {
            return Err(Error::invalid(
                offset,
                format!(
                    "lowered parameter types `{:?}` do not match parameter types `{:?}` of core function {core_func}",
                    expected.params(),
                    actual.params()
                ),
            ));
        }
        if actual.results() != expected.results() {
            return Err(Error::invalid(
                offset,
                format!(
                    "lowered result types `{:?}` do not match result types `{:?}` of core function {core_func}",
                    expected.results(),
                    actual.results()
                ),
            ));
        }
        if let Some(pr) = o.post_return {
            let p = get(&self.scope().core_funcs, pr, "func", offset)?;
            if *p != ft(expected.results().to_vec(), vec![]) {
                return Err(Error::invalid(
                    offset,
                    "canonical option `post-return` uses a core function with an incorrect signature",
                ));
            }
        }
        Ok(())
    }

    /// `canon lower`: the core function type it defines.
    fn lower(&self, o: &Options, t: &FuncType, offset: usize) -> Result<CoreFuncType> {
        if o.post_return.is_some() {
            return Err(Error::invalid(
                offset,
                "canonical option `post-return` cannot be specified for lowerings",
            ));
        }
        if o.callback.is_some() {
            return Err(Error::invalid(
                offset,
                "canonical option `callback` cannot be specified for lowerings",
            ));
        }
        if o.async_ && !t.async_ {
            return Err(Error::invalid(
                offset,
                "the `async` canonical option requires an async function type",
            ));
        }
        let ptr = o.ptr();
        let params: Vec<ValType> = t.params.iter().map(|(_, t)| *t).collect();
        let flat_params = self.flatten_types(&params, ptr);
        let flat_results = self.flatten_types(&t.result.into_iter().collect::<Vec<_>>(), ptr);
        let (max_p, max_r) = if o.async_ {
            (MAX_FLAT_ASYNC_PARAMS, 0)
        } else {
            (MAX_FLAT_PARAMS, MAX_FLAT_RESULTS)
        };
        let lower_params = params.iter().any(|p| self.needs_memory(*p));
        let lift_result = t.result.is_some_and(|r| self.needs_memory(r));
        // CanonicalABI.md says "if `async` is specified, `memory` must be
        // present"; the reference tests of the same commit accept an async
        // lower whose flattening never passes a pointer (no result, at most
        // MAX_FLAT_ASYNC_PARAMS flat parameters: async/big-interleaving-
        // test.wast), and so does wasmparser. witness follows the tests:
        // memory is required exactly when the flat signature uses one.
        if lower_params || lift_result || flat_params.len() > max_p || flat_results.len() > max_r {
            Self::require_memory(o, offset)?;
        }
        if lift_result {
            Self::require_realloc(o, offset)?;
        }
        Ok(self.flatten_functype(o, t, false))
    }
}
