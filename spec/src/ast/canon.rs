//! Canonical Definitions (Explainer.md "Canonical Definitions",
//! "Canonical ABI", "Canonical Built-ins").

use alloc::vec::Vec;

use super::ValType;

/// `canonopt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CanonOpt {
    /// `string-encoding=utf8`.
    StringEncodingUtf8,
    /// `string-encoding=utf16`.
    StringEncodingUtf16,
    /// `string-encoding=latin1+utf16`.
    StringEncodingLatin1Utf16,
    /// `(memory <core:memidx>)`.
    Memory(u32),
    /// `(realloc <core:funcidx>)`.
    Realloc(u32),
    /// `(post-return <core:funcidx>)`.
    PostReturn(u32),
    /// 🔀 `async`.
    Async,
    /// 🔀 `(callback <core:funcidx>)`.
    Callback(u32),
    /// 🚝 `(core-type <core:typeidx>)` (gc).
    CoreType(u32),
    /// `gc`.
    Gc,
}

impl CanonOpt {
    /// The option's text-format name, as used in error messages.
    pub fn name(&self) -> &'static str {
        match self {
            CanonOpt::StringEncodingUtf8
            | CanonOpt::StringEncodingUtf16
            | CanonOpt::StringEncodingLatin1Utf16 => "string-encoding",
            CanonOpt::Memory(_) => "memory",
            CanonOpt::Realloc(_) => "realloc",
            CanonOpt::PostReturn(_) => "post-return",
            CanonOpt::Async => "async",
            CanonOpt::Callback(_) => "callback",
            CanonOpt::CoreType(_) => "core-type",
            CanonOpt::Gc => "gc",
        }
    }
}

/// `canon`: `lift`, `lower` and every built-in of the pinned spec. Names are
/// the spec's, with `.`/`-` folded into Rust casing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Canon {
    /// `(canon lift <core:funcidx> <canonopt>* bind-id(<externtype>))`.
    Lift {
        core_func: u32,
        opts: Vec<CanonOpt>,
        ty: u32,
    },
    /// `(canon lower <funcidx> <canonopt>* (core func <id>?))`.
    Lower { func: u32, opts: Vec<CanonOpt> },
    /// `resource.new`.
    ResourceNew { ty: u32 },
    /// `resource.drop` (🔀 `async` is a `canonopt`-free flag in the binary).
    ResourceDrop { ty: u32 },
    /// `resource.rep`.
    ResourceRep { ty: u32 },
    /// 🔀 `context.get`.
    ContextGet { ty: wasmparser::ValType, index: u32 },
    /// 🔀 `context.set`.
    ContextSet { ty: wasmparser::ValType, index: u32 },
    /// 🔀 `backpressure.inc`.
    BackpressureInc,
    /// 🔀 `backpressure.dec`.
    BackpressureDec,
    /// 🔀 `task.return`.
    TaskReturn {
        result: Option<ValType>,
        opts: Vec<CanonOpt>,
    },
    /// 🔀 `task.cancel`.
    TaskCancel,
    /// 🔀 `waitable-set.new`.
    WaitableSetNew,
    /// 🔀 `waitable-set.wait`.
    WaitableSetWait { cancellable: bool, memory: u32 },
    /// 🔀 `waitable-set.poll`.
    WaitableSetPoll { cancellable: bool, memory: u32 },
    /// 🔀 `waitable-set.drop`.
    WaitableSetDrop,
    /// 🔀 `waitable.join`.
    WaitableJoin,
    /// 🔀 `subtask.cancel`.
    SubtaskCancel { async_: bool },
    /// 🔀 `subtask.drop`.
    SubtaskDrop,
    /// 🔀 `stream.new`.
    StreamNew { ty: u32 },
    /// 🔀 `stream.read`.
    StreamRead { ty: u32, opts: Vec<CanonOpt> },
    /// 🔀 `stream.write`.
    StreamWrite { ty: u32, opts: Vec<CanonOpt> },
    /// 🔀 `stream.cancel-read`.
    StreamCancelRead { ty: u32, async_: bool },
    /// 🔀 `stream.cancel-write`.
    StreamCancelWrite { ty: u32, async_: bool },
    /// 🔀 `stream.drop-readable`.
    StreamDropReadable { ty: u32 },
    /// 🔀 `stream.drop-writable`.
    StreamDropWritable { ty: u32 },
    /// 🔀 `future.new`.
    FutureNew { ty: u32 },
    /// 🔀 `future.read`.
    FutureRead { ty: u32, opts: Vec<CanonOpt> },
    /// 🔀 `future.write`.
    FutureWrite { ty: u32, opts: Vec<CanonOpt> },
    /// 🔀 `future.cancel-read`.
    FutureCancelRead { ty: u32, async_: bool },
    /// 🔀 `future.cancel-write`.
    FutureCancelWrite { ty: u32, async_: bool },
    /// 🔀 `future.drop-readable`.
    FutureDropReadable { ty: u32 },
    /// 🔀 `future.drop-writable`.
    FutureDropWritable { ty: u32 },
    /// 📝 `error-context.new`.
    ErrorContextNew { opts: Vec<CanonOpt> },
    /// 📝 `error-context.debug-message`.
    ErrorContextDebugMessage { opts: Vec<CanonOpt> },
    /// 📝 `error-context.drop`.
    ErrorContextDrop,
    /// 🧵 `thread.index`.
    ThreadIndex,
    /// 🧵 `thread.new-indirect`.
    ThreadNewIndirect { ty: u32, table: u32 },
    /// 🧵 `thread.resume-later`.
    ThreadResumeLater,
    /// 🧵 `thread.suspend`.
    ThreadSuspend { cancellable: bool },
    /// 🔀 `thread.yield`.
    ThreadYield { cancellable: bool },
    /// 🧵 `thread.suspend-then-resume`.
    ThreadSuspendThenResume { cancellable: bool },
    /// 🧵 `thread.yield-then-resume`.
    ThreadYieldThenResume { cancellable: bool },
    /// 🧵 `thread.suspend-then-promote`.
    ThreadSuspendThenPromote { cancellable: bool },
    /// 🧵 `thread.yield-then-promote`.
    ThreadYieldThenPromote { cancellable: bool },
    /// 🧵② `thread.spawn-ref`.
    ThreadSpawnRef { ty: u32 },
    /// 🧵② `thread.spawn-indirect`.
    ThreadSpawnIndirect { ty: u32, table: u32 },
    /// 🧵② `thread.available-parallelism`.
    ThreadAvailableParallelism,
}

impl Canon {
    /// The spec's name of the definition (`lift`, `lower`, `resource.new`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Canon::Lift { .. } => "lift",
            Canon::Lower { .. } => "lower",
            Canon::ResourceNew { .. } => "resource.new",
            Canon::ResourceDrop { .. } => "resource.drop",
            Canon::ResourceRep { .. } => "resource.rep",
            Canon::ContextGet { .. } => "context.get",
            Canon::ContextSet { .. } => "context.set",
            Canon::BackpressureInc => "backpressure.inc",
            Canon::BackpressureDec => "backpressure.dec",
            Canon::TaskReturn { .. } => "task.return",
            Canon::TaskCancel => "task.cancel",
            Canon::WaitableSetNew => "waitable-set.new",
            Canon::WaitableSetWait { .. } => "waitable-set.wait",
            Canon::WaitableSetPoll { .. } => "waitable-set.poll",
            Canon::WaitableSetDrop => "waitable-set.drop",
            Canon::WaitableJoin => "waitable.join",
            Canon::SubtaskCancel { .. } => "subtask.cancel",
            Canon::SubtaskDrop => "subtask.drop",
            Canon::StreamNew { .. } => "stream.new",
            Canon::StreamRead { .. } => "stream.read",
            Canon::StreamWrite { .. } => "stream.write",
            Canon::StreamCancelRead { .. } => "stream.cancel-read",
            Canon::StreamCancelWrite { .. } => "stream.cancel-write",
            Canon::StreamDropReadable { .. } => "stream.drop-readable",
            Canon::StreamDropWritable { .. } => "stream.drop-writable",
            Canon::FutureNew { .. } => "future.new",
            Canon::FutureRead { .. } => "future.read",
            Canon::FutureWrite { .. } => "future.write",
            Canon::FutureCancelRead { .. } => "future.cancel-read",
            Canon::FutureCancelWrite { .. } => "future.cancel-write",
            Canon::FutureDropReadable { .. } => "future.drop-readable",
            Canon::FutureDropWritable { .. } => "future.drop-writable",
            Canon::ErrorContextNew { .. } => "error-context.new",
            Canon::ErrorContextDebugMessage { .. } => "error-context.debug-message",
            Canon::ErrorContextDrop => "error-context.drop",
            Canon::ThreadIndex => "thread.index",
            Canon::ThreadNewIndirect { .. } => "thread.new-indirect",
            Canon::ThreadResumeLater => "thread.resume-later",
            Canon::ThreadSuspend { .. } => "thread.suspend",
            Canon::ThreadYield { .. } => "thread.yield",
            Canon::ThreadSuspendThenResume { .. } => "thread.suspend-then-resume",
            Canon::ThreadYieldThenResume { .. } => "thread.yield-then-resume",
            Canon::ThreadSuspendThenPromote { .. } => "thread.suspend-then-promote",
            Canon::ThreadYieldThenPromote { .. } => "thread.yield-then-promote",
            Canon::ThreadSpawnRef { .. } => "thread.spawn-ref",
            Canon::ThreadSpawnIndirect { .. } => "thread.spawn-indirect",
            Canon::ThreadAvailableParallelism => "thread.available-parallelism",
        }
    }
}
