//! Canonical ABI Options (CanonicalABI.md "Canonical ABI Options"): the
//! `canonopt`s, and the small interface through which the Canonical ABI
//! reaches core wasm (memories and functions), so that this crate needs no
//! interpreter.

use crate::core_value::CoreValue;
use crate::inline_vec::InlineVec;
use crate::trap::Trap;
use alloc::string::String;

/// A core memory named by a `memory` option; the embedder resolves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemRef(pub u32);

/// A core function named by a `realloc`, `post-return` or `callback`
/// option, a destructor or a lifted callee; the embedder resolves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FuncRef(pub u32);

/// `MemInst`: a memory as the Canonical ABI sees it, its `bytes` and
/// `addrtype`. Definitions name a memory by [`MemRef`] and reach its bytes
/// through [`Core::memory`] and its address type through
/// [`Core::ptr_type`].
pub type MemInst = MemRef;

/// A memory's address type (`MemInst.addrtype`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PtrType {
    I32,
    I64,
}

/// `ptr_size`.
pub fn ptr_size(ptr_type: PtrType) -> u64 {
    match ptr_type {
        PtrType::I32 => 4,
        PtrType::I64 => 8,
    }
}

/// The `string-encoding` option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StringEncoding {
    #[default]
    Utf8,
    Utf16,
    /// `latin1+utf16`.
    Latin1Utf16,
}

/// What the Canonical ABI needs of core wasm. The spec's `MemInst` is a
/// memory's bytes and address type; its `Callable`s are core functions.
pub trait Core {
    /// The bytes of memory `m` (`MemInst.bytes`).
    fn memory(&mut self, m: MemRef) -> &mut [u8];
    /// The address type of memory `m` (`MemInst.addrtype`).
    fn ptr_type(&self, m: MemRef) -> PtrType;
    /// Calls core function `f` synchronously with `args`, pushing its
    /// results onto `results` (empty).
    ///
    /// # Errors
    /// The function's trap.
    fn call(
        &mut self,
        f: FuncRef,
        args: &[CoreValue],
        results: &mut CoreResults,
    ) -> Result<(), Trap>;
    /// A name for core function `f` in traces, if the embedder knows one.
    fn func_name(&self, f: FuncRef) -> Option<String> {
        let _ = f;
        None
    }
}

/// A synchronous core call's results: a `realloc`'s one result inline,
/// so that the call allocates no list for it.
pub type CoreResults = InlineVec<CoreValue, 1>;

/// `LiftOptions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LiftOptions {
    pub string_encoding: StringEncoding,
    pub memory: Option<MemRef>,
}

impl LiftOptions {
    /// `LiftOptions.equal` (used by `task.return`).
    pub fn equal(lhs: &LiftOptions, rhs: &LiftOptions) -> bool {
        lhs.string_encoding == rhs.string_encoding && lhs.memory == rhs.memory
    }
}

/// `LiftLowerOptions(LiftOptions)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LiftLowerOptions {
    pub string_encoding: StringEncoding,
    pub memory: Option<MemRef>,
    pub realloc: Option<FuncRef>,
}

impl LiftLowerOptions {
    /// The `LiftOptions` subset.
    pub fn lift_options(&self) -> LiftOptions {
        LiftOptions {
            string_encoding: self.string_encoding,
            memory: self.memory,
        }
    }
}

/// `CanonicalOptions(LiftLowerOptions)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CanonicalOptions {
    pub string_encoding: StringEncoding,
    pub memory: Option<MemRef>,
    pub realloc: Option<FuncRef>,
    pub post_return: Option<FuncRef>,
    pub async_: bool,
    pub callback: Option<FuncRef>,
}

impl CanonicalOptions {
    /// The `LiftLowerOptions` subset.
    pub fn lift_lower(&self) -> LiftLowerOptions {
        LiftLowerOptions {
            string_encoding: self.string_encoding,
            memory: self.memory,
            realloc: self.realloc,
        }
    }
}
