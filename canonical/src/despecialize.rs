//! Despecialization and Type Predicates (CanonicalABI.md
//! "Despecialization", "Type Predicates").

use crate::context::LiftLowerContext;
use crate::types::{CaseType, FieldType, FuncType, ValType};
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::ToString;
use alloc::vec;

/// `despecialize`: a specialized type's expansion into fundamental types;
/// fundamental types are returned as they are. (Inlined: most types are
/// fundamental, and every lifting and lowering step asks.)
#[inline]
pub fn despecialize(t: &ValType) -> Cow<'_, ValType> {
    match t {
        ValType::Tuple(_)
        | ValType::Enum(_)
        | ValType::Option(_)
        | ValType::Result(..)
        | ValType::Map(..) => Cow::Owned(expand(t)),
        _ => Cow::Borrowed(t),
    }
}

/// `despecialize(t)` once for a run of values of type `t` (a list's
/// elements) when nothing traces, so that each value's own `despecialize`
/// builds nothing; traced, `t` as it is, which the trace shows.
pub fn despecialize_untraced<'t>(cx: &LiftLowerContext<'_>, t: &'t ValType) -> Cow<'t, ValType> {
    match cx.tracing() {
        true => Cow::Borrowed(t),
        false => despecialize(t),
    }
}

/// The fundamental type a specialized type stands for.
fn expand(t: &ValType) -> ValType {
    let case = |label: &str, t: Option<&Box<ValType>>| CaseType {
        label: label.to_string(),
        t: t.map(|t| (**t).clone()),
    };
    match t {
        ValType::Tuple(ts) => ValType::Record(
            ts.iter()
                .enumerate()
                .map(|(i, t)| FieldType {
                    label: i.to_string(),
                    t: t.clone(),
                })
                .collect(),
        ),
        ValType::Enum(labels) => ValType::Variant(
            labels
                .iter()
                .map(|l| CaseType {
                    label: l.clone(),
                    t: None,
                })
                .collect(),
        ),
        ValType::Option(t) => ValType::Variant(vec![case("none", None), case("some", Some(t))]),
        ValType::Result(ok, err) => {
            ValType::Variant(vec![case("ok", ok.as_ref()), case("error", err.as_ref())])
        }
        ValType::Map(k, v) => {
            let entry = ValType::Tuple(vec![(**k).clone(), (**v).clone()]);
            ValType::List(Box::new(expand(&entry)), None)
        }
        _ => t.clone(),
    }
}

/// `contains_borrow`.
pub fn contains_borrow(t: &ValType) -> bool {
    contains(Some(t), &|u| matches!(u, ValType::Borrow(_)))
}

/// `contains_async_value`.
pub fn contains_async_value(t: &ValType) -> bool {
    contains(Some(t), &|u| {
        matches!(u, ValType::Stream(_) | ValType::Future(_))
    })
}

/// `contains`.
pub fn contains(t: Option<&ValType>, p: &dyn Fn(&ValType) -> bool) -> bool {
    let Some(t) = t else { return false };
    let t = despecialize(t);
    match &*t {
        ValType::List(u, _) => p(&t) || contains(Some(u), p),
        ValType::Stream(u) | ValType::Future(u) => p(&t) || contains(u.as_deref(), p),
        ValType::Record(fields) => p(&t) || fields.iter().any(|f| contains(Some(&f.t), p)),
        ValType::Variant(cases) => p(&t) || cases.iter().any(|c| contains(c.t.as_ref(), p)),
        _ => p(&t),
    }
}

/// `contains` on a function type: its parameters and result.
pub fn func_contains(ft: &FuncType, p: &dyn Fn(&ValType) -> bool) -> bool {
    ft.param_types()
        .iter()
        .chain(ft.result_type().iter())
        .any(|u| contains(Some(u), p))
}
