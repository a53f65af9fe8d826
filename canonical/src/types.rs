//! The component-level types the Canonical ABI definitions match on: the
//! Python `ValType` subclasses of CanonicalABI.md (`BoolType`, `ListType`,
//! `RecordType`, ...) and its `FuncType`, as plain data.
//!
//! witness-spec decodes and validates the binary's types; the interpreter
//! translates them into these, so that this crate reads like the spec and
//! depends on no decoder.

use crate::resource::ResourceType;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

/// A component value type (Explainer "Type Definitions").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValType {
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
    ErrorContext,
    /// `list<t>`, or the fixed-length `list<t, n>` 🔧.
    List(Box<ValType>, Option<u32>),
    Record(Vec<FieldType>),
    Tuple(Vec<ValType>),
    Variant(Vec<CaseType>),
    Enum(Vec<String>),
    Option(Box<ValType>),
    Result(Option<Box<ValType>>, Option<Box<ValType>>),
    Flags(Vec<String>),
    /// `map<k, v>` 🗺️.
    Map(Box<ValType>, Box<ValType>),
    Own(ResourceType),
    Borrow(ResourceType),
    Stream(Option<Box<ValType>>),
    Future(Option<Box<ValType>>),
}

/// A record field (`FieldType`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldType {
    pub label: String,
    pub t: ValType,
}

/// A variant case (`CaseType`); `t` is `None` for a case without payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseType {
    pub label: String,
    pub t: Option<ValType>,
}

/// A component function type (`FuncType`): named parameters and an
/// optional result.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FuncType {
    pub params: Vec<(String, ValType)>,
    pub result: Option<ValType>,
    pub async_: bool,
}

impl FuncType {
    /// `param_types()`.
    pub fn param_types(&self) -> Vec<ValType> {
        self.params.iter().map(|(_, t)| t.clone()).collect()
    }

    /// `result_type()`: the result as a list of zero or one type.
    pub fn result_type(&self) -> &[ValType] {
        self.result.as_slice()
    }
}
