//! The abstract values that lifting produces and lowering consumes: the
//! Python values of CanonicalABI.md (`bool`, `int`, `float`, `str` tuples,
//! `list`, `dict`), as one Rust enum.

use crate::canon_error_context::ErrorContext;
use crate::future::ReadableFuture;
use crate::options::StringEncoding;
use crate::stream::ReadableStream;
use crate::types::ValType;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// A lifted component value. Its tag is a byte of its own (`repr(u8)`),
/// not a niche of a `String`'s capacity: telling the cases apart, which
/// every lifting, lowering, clone and drop does, is then one load.
#[derive(Clone, Debug, PartialEq)]
#[repr(u8)]
pub enum Value {
    Bool(bool),
    S8(i8),
    U8(u8),
    S16(i16),
    U16(u16),
    S32(i32),
    U32(u32),
    S64(i64),
    U64(u64),
    F32(f32),
    F64(f64),
    Char(char),
    String(StringValue),
    List(Vec<Value>),
    /// A record (or tuple, after despecialization) as the spec's `dict`:
    /// fields by label, in the type's order.
    Record(Vec<(String, Value)>),
    /// A variant (or enum, option, result) as the spec's one-entry `dict`:
    /// the case label and its payload.
    Variant(String, Option<Box<Value>>),
    /// Flags as the spec's `dict` of label to `bool`.
    Flags(Vec<(String, bool)>),
    /// An `own` or `borrow`: the abstract lifted value of a handle is the
    /// resource's representation (`h.rep`).
    Handle(u32),
    /// An `error-context`: the shared `ErrorContext`.
    ErrorContext(Rc<ErrorContext>),
    /// A `stream`: the readable end's shared state (`ReadableStream`).
    Stream(StreamValue),
    /// A `future`: the readable end's shared state (`ReadableFuture`).
    Future(FutureValue),
}

/// A lifted `stream`: a `ReadableStream`, equal only to itself.
#[derive(Clone)]
pub struct StreamValue(pub Rc<dyn ReadableStream>);

/// A lifted `future`: a `ReadableFuture`, equal only to itself.
#[derive(Clone)]
pub struct FutureValue(pub Rc<dyn ReadableFuture>);

impl PartialEq for StreamValue {
    fn eq(&self, other: &StreamValue) -> bool {
        core::ptr::addr_eq(Rc::as_ptr(&self.0), Rc::as_ptr(&other.0))
    }
}

impl PartialEq for FutureValue {
    fn eq(&self, other: &FutureValue) -> bool {
        core::ptr::addr_eq(Rc::as_ptr(&self.0), Rc::as_ptr(&other.0))
    }
}

impl fmt::Debug for StreamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stream@{:p}", Rc::as_ptr(&self.0))
    }
}

impl fmt::Debug for FutureValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "future@{:p}", Rc::as_ptr(&self.0))
    }
}

/// `String = tuple[str, str, int]`: the text, the encoding it was lifted
/// from and its length in (tagged) code units, hints for `store_string`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringValue {
    pub s: String,
    pub encoding: StringEncoding,
    pub tagged_code_units: u64,
}

impl StringValue {
    /// A string as a host makes it: UTF-8 with its byte length.
    pub fn from_host(s: impl Into<String>) -> StringValue {
        let s = s.into();
        let tagged_code_units = s.len() as u64;
        StringValue {
            s,
            encoding: StringEncoding::Utf8,
            tagged_code_units,
        }
    }
}

impl Value {
    /// Frees each list of numbers, `bool`s, `char`s or handles in `vs`,
    /// leaving it empty, without calling the drop glue of `Value` (a
    /// function call) for each element: what dropping `vs` then leaves to
    /// do is cheap.
    pub fn free_plain_lists(vs: &mut [Value]) {
        for v in vs {
            if let Value::List(elems) = v
                && elems.iter().fold(true, |plain, e| plain & e.is_plain())
            {
                core::mem::take(elems)
                    .into_iter()
                    .for_each(core::mem::forget);
            }
        }
    }

    /// [`Value::free_plain_lists`] of arguments that were lowered as
    /// `types`: lowering checked each element of a list of numbers,
    /// `bool`s or `char`s against its type, so such a list is freed
    /// without looking at its elements again.
    pub fn free_lowered_lists(vs: &mut [Value], types: &[ValType]) {
        for (v, t) in vs.iter_mut().zip(types) {
            if let (Value::List(elems), ValType::List(et, _)) = (v, t)
                && matches!(
                    **et,
                    ValType::Bool
                        | ValType::S8
                        | ValType::U8
                        | ValType::S16
                        | ValType::U16
                        | ValType::S32
                        | ValType::U32
                        | ValType::S64
                        | ValType::U64
                        | ValType::F32
                        | ValType::F64
                        | ValType::Char
                )
            {
                core::mem::take(elems)
                    .into_iter()
                    .for_each(core::mem::forget);
            }
        }
    }

    /// Whether the value owns nothing (a number, `bool`, `char` or handle).
    fn is_plain(&self) -> bool {
        matches!(
            self,
            Value::Bool(_)
                | Value::S8(_)
                | Value::U8(_)
                | Value::S16(_)
                | Value::U16(_)
                | Value::S32(_)
                | Value::U32(_)
                | Value::S64(_)
                | Value::U64(_)
                | Value::F32(_)
                | Value::F64(_)
                | Value::Char(_)
                | Value::Handle(_)
        )
    }

    /// The field `label` of a record value (`v[f.label]`).
    pub fn field(&self, label: &str) -> Option<&Value> {
        match self {
            Value::Record(fields) => fields.iter().find(|(l, _)| l == label).map(|(_, v)| v),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn free_plain_lists_leaves_what_owns_something() {
        let shared = Rc::new(ErrorContext {
            debug_message: StringValue::from_host("m"),
        });
        let plain = Value::List((0..3).map(Value::U32).collect());
        let owning = Value::List(vec![Value::U32(1), Value::ErrorContext(shared.clone())]);
        let mut vs = vec![plain, owning, Value::ErrorContext(shared.clone())];
        Value::free_plain_lists(&mut vs);
        assert!(matches!(&vs[0], Value::List(l) if l.is_empty()));
        assert_eq!(Rc::strong_count(&shared), 3, "kept until dropped");
        drop(vs);
        assert_eq!(Rc::strong_count(&shared), 1);
    }

    #[test]
    fn free_lowered_lists_frees_by_type_and_leaves_the_rest() {
        let shared = Rc::new(ErrorContext {
            debug_message: StringValue::from_host("m"),
        });
        let types = [
            ValType::List(alloc::boxed::Box::new(ValType::Char), None),
            ValType::List(alloc::boxed::Box::new(ValType::ErrorContext), None),
            ValType::U32,
        ];
        let mut vs = vec![
            Value::List(vec![Value::Char('a'), Value::Char('b')]),
            Value::List(vec![Value::ErrorContext(shared.clone())]),
            Value::U32(7),
        ];
        Value::free_lowered_lists(&mut vs, &types);
        assert!(matches!(&vs[0], Value::List(l) if l.is_empty()));
        assert!(matches!(&vs[1], Value::List(l) if l.len() == 1));
        assert!(matches!(vs[2], Value::U32(7)));
        drop(vs);
        assert_eq!(Rc::strong_count(&shared), 1);
    }
}
