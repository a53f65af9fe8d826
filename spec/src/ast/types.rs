//! Type Definitions (Explainer.md "Type Definitions", "Declarators").

use alloc::string::String;
use alloc::vec::Vec;

use super::{Alias, CoreType, ExternName, ExternType};

/// `type ::= (type <id>? <deftype>)`.
pub type Type = DefType;

/// `deftype ::= <defvaltype> | <resourcetype> | <functype> | <componenttype> | <instancetype>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefType {
    /// `defvaltype`.
    Val(DefValType),
    /// `resourcetype ::= (resource (rep i32|i64) (dtor <core:funcidx>)?)`.
    Resource {
        /// The core representation type.
        rep: wasmparser::ValType,
        /// The destructor, a core function index.
        dtor: Option<u32>,
    },
    /// `functype`.
    Func(FuncType),
    /// `componenttype ::= (component <componentdecl>*)`.
    Component(Vec<ComponentDecl>),
    /// `instancetype ::= (instance <instancedecl>*)`.
    Instance(Vec<InstanceDecl>),
}

/// `valtype ::= <typeidx> | <defvaltype>` (only primitives inline in binary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValType {
    /// A primitive value type written inline.
    Primitive(PrimValType),
    /// A type index (must refer to a `defvaltype`).
    Index(u32),
}

/// The primitive `defvaltype`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum PrimValType {
    Bool,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
    S64,
    U64,
    F32,
    F64,
    Char,
    String,
    /// 📝
    ErrorContext,
}

impl PrimValType {
    /// The text-format keyword.
    pub fn name(self) -> &'static str {
        match self {
            PrimValType::Bool => "bool",
            PrimValType::S8 => "s8",
            PrimValType::U8 => "u8",
            PrimValType::S16 => "s16",
            PrimValType::U16 => "u16",
            PrimValType::S32 => "s32",
            PrimValType::U32 => "u32",
            PrimValType::S64 => "s64",
            PrimValType::U64 => "u64",
            PrimValType::F32 => "f32",
            PrimValType::F64 => "f64",
            PrimValType::Char => "char",
            PrimValType::String => "string",
            PrimValType::ErrorContext => "error-context",
        }
    }
}

/// `defvaltype` (the non-primitive cases; primitives are `Primitive`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefValType {
    /// A primitive type as a type definition.
    Primitive(PrimValType),
    /// `(record (field <labellit> <valtype>)+)`.
    Record(Vec<(String, ValType)>),
    /// `(variant (case <labellit> <valtype>?)+)`.
    Variant(Vec<(String, Option<ValType>)>),
    /// `(list <valtype>)`.
    List(ValType),
    /// 🔧 `(list <valtype> <u32>)`.
    FixedLengthList(ValType, u32),
    /// `(tuple <valtype>+)`.
    Tuple(Vec<ValType>),
    /// `(flags <labellit>+)`.
    Flags(Vec<String>),
    /// `(enum <labellit>+)`.
    Enum(Vec<String>),
    /// `(option <valtype>)`.
    Option(ValType),
    /// `(result <valtype>? (error <valtype>)?)`.
    Result {
        /// The `ok` payload.
        ok: Option<ValType>,
        /// The `error` payload.
        err: Option<ValType>,
    },
    /// 🗺️ `(map <keytype> <valtype>)`.
    Map(ValType, ValType),
    /// `(own <typeidx>)`.
    Own(u32),
    /// `(borrow <typeidx>)`.
    Borrow(u32),
    /// 🔀 `(stream <valtype>?)`.
    Stream(Option<ValType>),
    /// 🔀 `(future <valtype>?)`.
    Future(Option<ValType>),
}

/// `functype ::= (func async? (param <labellit> <valtype>)* (result <valtype>)?)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuncType {
    /// 🔀 `async`.
    pub async_: bool,
    /// Named parameters.
    pub params: Vec<(String, ValType)>,
    /// The optional result.
    pub result: Option<ValType>,
}

/// `componentdecl ::= <importdecl> | <instancedecl>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComponentDecl {
    /// `importdecl ::= (import <externnamelit> bind-id(<externtype>))`.
    Import(ExternName, ExternType),
    /// An `instancedecl`.
    Instance(InstanceDecl),
}

/// `instancedecl ::= core-prefix(<core:type>) | <type> | <alias> | <exportdecl>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceDecl {
    /// `core-prefix(<core:type>)`.
    CoreType(CoreType),
    /// `type`.
    Type(DefType),
    /// `alias`.
    Alias(Alias),
    /// `exportdecl ::= (export <externnamelit> bind-id(<externtype>))`.
    Export(ExternName, ExternType),
}
