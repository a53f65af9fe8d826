//! Core types (core spec §2.3 "Types"), in the shape the interpreter needs them.

use alloc::vec::Vec;
use core::fmt;

/// A value type (§2.3.4).
///
/// The nullable abstract reference types have their own variants, the
/// text format's abbreviations (`funcref` for `(ref null func)` ...); every
/// other reference type is a [`ValType::Ref`]. [`ValType::reference`] picks
/// the abbreviation when there is one, so equal types compare equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    V128,
    FuncRef,
    ExternRef,
    ExnRef,
    Ref(RefType),
}

/// A reference type (§2.3.3): a heap type, maybe with null.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RefType {
    pub nullable: bool,
    pub heap: HeapType,
}

/// A heap type (§2.3.3) of the function-references world (no GC types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeapType {
    Func,
    Extern,
    Exn,
    NoFunc,
    NoExtern,
    NoExn,
    /// A function type by index: the module's type index in a module, the
    /// store's interned type index in a store. [`HeapType::SELF`] is the type
    /// being defined (a type that refers to itself).
    Concrete(u32),
}

impl HeapType {
    /// The recursive reference of a type to itself, in interned types.
    pub const SELF: HeapType = HeapType::Concrete(u32::MAX);

    /// The top of this type's hierarchy: `func`, `extern` or `exn`.
    pub fn top(self) -> HeapType {
        match self {
            HeapType::Func | HeapType::NoFunc | HeapType::Concrete(_) => HeapType::Func,
            HeapType::Extern | HeapType::NoExtern => HeapType::Extern,
            HeapType::Exn | HeapType::NoExn => HeapType::Exn,
        }
    }

    /// Heap subtyping (§3.3.3 "Heap Types", without GC's declared
    /// subtypes: concrete function types are final).
    pub fn matches(self, expected: HeapType) -> bool {
        self == expected
            || match (self, expected) {
                (HeapType::Concrete(_), HeapType::Func) => true,
                (HeapType::NoFunc, HeapType::Func | HeapType::Concrete(_)) => true,
                (HeapType::NoExtern, HeapType::Extern) => true,
                (HeapType::NoExn, HeapType::Exn) => true,
                _ => false,
            }
    }
}

impl RefType {
    /// Reference subtyping (§3.3.3 "Reference Types").
    pub fn matches(self, expected: RefType) -> bool {
        (expected.nullable || !self.nullable) && self.heap.matches(expected.heap)
    }
}

impl ValType {
    /// The reference type `(ref null? heap)`, abbreviated when it can be.
    pub fn reference(nullable: bool, heap: HeapType) -> ValType {
        match (nullable, heap) {
            (true, HeapType::Func) => ValType::FuncRef,
            (true, HeapType::Extern) => ValType::ExternRef,
            (true, HeapType::Exn) => ValType::ExnRef,
            _ => ValType::Ref(RefType { nullable, heap }),
        }
    }

    /// The reference type this is, if it is one.
    pub fn as_ref(self) -> Option<RefType> {
        let (nullable, heap) = match self {
            ValType::FuncRef => (true, HeapType::Func),
            ValType::ExternRef => (true, HeapType::Extern),
            ValType::ExnRef => (true, HeapType::Exn),
            ValType::Ref(r) => return Some(r),
            _ => return None,
        };
        Some(RefType { nullable, heap })
    }

    /// The operand-stack slots a value of this type takes: two for `v128`,
    /// one for every other type (see [`value`](super::value)).
    pub fn slots(self) -> usize {
        if self == ValType::V128 { 2 } else { 1 }
    }

    /// Whether this is a reference type.
    pub fn is_ref(self) -> bool {
        self.as_ref().is_some()
    }

    /// Value subtyping (§3.3.4 "Value Types").
    pub fn matches(self, expected: ValType) -> bool {
        match (self.as_ref(), expected.as_ref()) {
            (Some(a), Some(b)) => a.matches(b),
            _ => self == expected,
        }
    }

    /// Maps the concrete type indices inside this type.
    pub(crate) fn map_concrete(self, f: impl Fn(u32) -> u32) -> ValType {
        match self {
            ValType::Ref(RefType {
                nullable,
                heap: HeapType::Concrete(i),
            }) => ValType::Ref(RefType {
                nullable,
                heap: HeapType::Concrete(f(i)),
            }),
            other => other,
        }
    }
}

impl fmt::Display for HeapType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeapType::Func => f.write_str("func"),
            HeapType::Extern => f.write_str("extern"),
            HeapType::Exn => f.write_str("exn"),
            HeapType::NoFunc => f.write_str("nofunc"),
            HeapType::NoExtern => f.write_str("noextern"),
            HeapType::NoExn => f.write_str("noexn"),
            HeapType::Concrete(i) => write!(f, "{i}"),
        }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
            ValType::ExnRef => "exnref",
            ValType::Ref(r) if r.nullable => return write!(f, "(ref null {})", r.heap),
            ValType::Ref(r) => return write!(f, "(ref {})", r.heap),
        })
    }
}

/// A function type (§2.3.6): parameters to results.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct FuncType {
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
}

impl FuncType {
    /// Maps the concrete type indices inside this type.
    pub(crate) fn map_concrete(&self, f: impl Fn(u32) -> u32) -> FuncType {
        FuncType {
            params: self.params.iter().map(|t| t.map_concrete(&f)).collect(),
            results: self.results.iter().map(|t| t.map_concrete(&f)).collect(),
        }
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(func")?;
        if !self.params.is_empty() {
            f.write_str(" (param")?;
            for p in &self.params {
                write!(f, " {p}")?;
            }
            f.write_str(")")?;
        }
        if !self.results.is_empty() {
            f.write_str(" (result")?;
            for r in &self.results {
                write!(f, " {r}")?;
            }
            f.write_str(")")?;
        }
        f.write_str(")")
    }
}

/// Limits (§2.3.7): a minimum and an optional maximum, in pages or elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub min: u64,
    pub max: Option<u64>,
}

impl Limits {
    /// Import subtyping of limits (§4.5.2 "Limits"): `self` matches `expected`
    /// when it is at least as large and at most as permissive.
    pub fn matches(&self, expected: &Limits) -> bool {
        self.min >= expected.min
            && match (self.max, expected.max) {
                (_, None) => true,
                (Some(a), Some(b)) => a <= b,
                (None, Some(_)) => false,
            }
    }
}

/// A memory type (§2.3.8): limits in pages and the address type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryType {
    pub limits: Limits,
    /// Whether addresses are `i64` (memory64) rather than `i32`.
    pub memory64: bool,
}

/// A table type (§2.3.9): limits in elements, the address type and the
/// element type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableType {
    pub limits: Limits,
    /// Whether indices are `i64` (memory64's 64-bit tables).
    pub table64: bool,
    pub elem: ValType,
}

/// A global type (§2.3.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalType {
    pub content: ValType,
    pub mutable: bool,
}

/// An external type (§2.3.11), as an import or export has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternType {
    Func(FuncType),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
    /// A tag (§2.3.12), by the type of its payload (a function type without
    /// results).
    Tag(FuncType),
}

impl ExternType {
    /// The kind's name as the text format writes it.
    pub fn kind(&self) -> &'static str {
        match self {
            ExternType::Func(_) => "func",
            ExternType::Table(_) => "table",
            ExternType::Memory(_) => "memory",
            ExternType::Global(_) => "global",
            ExternType::Tag(_) => "tag",
        }
    }
}
