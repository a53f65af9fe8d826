//! Checking what an embedder gives for an import against the import's type
//! (Explainer.md "Import and Export Definitions", "Type Checking"), so that
//! an import witness cannot satisfy is reported at instantiation, with its
//! full name and type, rather than as a trap later.
//!
//! Validation has checked everything components give each other; a host
//! definition (a [`super::Linker`]'s function, resource or instance) is
//! checked here. An instance import's type is walked declaration by
//! declaration: each exported resource is bound to the resource the host
//! gives for it, so that the functions after it are compared with the
//! host's functions as types over the same resources. Function types have
//! no subtyping: parameter and result types must be equal.
//!
//! Conventions: `scopes` are the type index spaces an `alias outer` may
//! name, innermost last (`scopes[len - 1 - count]`).

use super::error::Error;
use super::index_spaces::{InstanceExports, Item};
use super::types::{self, RtType};
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write};
use witness_canonical::{FuncType, ValType};
use witness_spec::ast::{
    Alias, DefType, ExternType, InstanceDecl, OuterAliasSort, Sort, TypeBound,
};

/// Checks `item`, given for the import `name` of type `ty`.
///
/// # Errors
/// [`Error::Link`] naming the import (and the export inside it) with the
/// type it expects.
pub fn check(scopes: &[&[RtType]], name: &str, ty: ExternType, item: &Item) -> Result<(), Error> {
    let types = scopes.last().copied().unwrap_or(&[]);
    match (ty, item) {
        (ExternType::Func(t), Item::Func(f)) => match types.get(t as usize) {
            Some(RtType::Func(want)) => check_func(name, want, &f.ty),
            _ => Ok(()),
        },
        (ExternType::Instance(t), Item::Instance(given)) => match types.get(t as usize) {
            Some(RtType::Instance(decls)) => check_instance(scopes, name, decls, given),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// A function type against the function given for it.
fn check_func(name: &str, want: &FuncType, given: &FuncType) -> Result<(), Error> {
    let same = want.params.len() == given.params.len()
        && want
            .params
            .iter()
            .zip(&given.params)
            .all(|((_, a), (_, b))| a == b)
        && want.result == given.result
        && want.async_ == given.async_;
    if same {
        return Ok(());
    }
    Err(Error::Link(format!(
        "import `{name}` has the wrong type: expected `{}`, got `{}`",
        Wit::Func(want),
        Wit::Func(given)
    )))
}

/// An instance type's declarations against the instance given for it.
fn check_instance(
    scopes: &[&[RtType]],
    name: &str,
    decls: &[InstanceDecl],
    given: &super::index_spaces::InstanceExports,
) -> Result<(), Error> {
    let mut local: Vec<RtType> = Vec::new();
    for d in decls {
        match d {
            InstanceDecl::Export(export, ty) => {
                let full = format!("{name}#{}", export.name);
                let found = given.get(&export.name);
                match ty {
                    ExternType::Type(bound) => {
                        let want = match bound {
                            TypeBound::Eq(i) => local.get(*i as usize).cloned(),
                            TypeBound::SubResource => None,
                        };
                        let got = match found {
                            Some(Item::Type(t)) => t.clone(),
                            _ => {
                                let what = match &want {
                                    Some(t) => format!("type `{}`", Wit::Rt(t)),
                                    None => String::from("resource type"),
                                };
                                return Err(Error::Link(format!(
                                    "import `{name}` has no export `{}` ({what})",
                                    export.name
                                )));
                            }
                        };
                        let fits = match (&want, &got) {
                            (None, RtType::Resource(_)) => true,
                            (None, _) => false,
                            (Some(RtType::Val(a)), RtType::Val(b)) => a == b,
                            (Some(RtType::Resource(a)), RtType::Resource(b)) => a == b,
                            (Some(_), _) => true,
                        };
                        if !fits {
                            return Err(Error::Link(format!(
                                "import `{full}` has the wrong type: expected {}, got `{}`",
                                match &want {
                                    Some(t) => format!("`{}`", Wit::Rt(t)),
                                    None => String::from("a resource type"),
                                },
                                Wit::Rt(&got)
                            )));
                        }
                        local.push(want.unwrap_or(got));
                    }
                    ExternType::Func(i) => {
                        let Some(RtType::Func(want)) = local.get(*i as usize) else {
                            continue;
                        };
                        match found {
                            Some(Item::Func(f)) => check_func(&full, want, &f.ty)?,
                            _ => {
                                return Err(Error::Link(format!(
                                    "import `{name}` has no function `{}` of type `{}`",
                                    export.name,
                                    Wit::Func(want)
                                )));
                            }
                        }
                    }
                    ExternType::Instance(i) => match (local.get(*i as usize), found) {
                        (Some(RtType::Instance(inner)), Some(Item::Instance(g))) => {
                            let inner = inner.clone();
                            let mut nested: Vec<&[RtType]> = scopes.to_vec();
                            nested.push(&local);
                            check_instance(&nested, &full, &inner, g)?;
                        }
                        (_, Some(Item::Instance(_))) => {}
                        _ => {
                            return Err(Error::Link(format!(
                                "import `{name}` has no instance `{}`",
                                export.name
                            )));
                        }
                    },
                    other => {
                        if found.is_none_or(|f| f.sort() != other.sort()) {
                            return Err(Error::Link(format!(
                                "import `{name}` has no {} `{}`",
                                other.sort().name(),
                                export.name
                            )));
                        }
                    }
                }
            }
            d => declare(scopes, &mut local, d),
        }
    }
    Ok(())
}

/// The instance an import of type `ty` stands for when nothing is given
/// for it and it needs nothing: an instance type exporting only value
/// types (`(export "point" (type (eq 0)))`, what wit-component imports for
/// an interface whose types an export uses). Its exports are those types;
/// as in wasmtime, such an import needs no definition.
pub fn types_only(scopes: &[&[RtType]], ty: ExternType) -> Option<InstanceExports> {
    let types = scopes.last().copied().unwrap_or(&[]);
    let ExternType::Instance(t) = ty else {
        return None;
    };
    let Some(RtType::Instance(decls)) = types.get(t as usize) else {
        return None;
    };
    let mut local: Vec<RtType> = Vec::new();
    let mut exports = InstanceExports::default();
    for d in decls.iter() {
        match d {
            InstanceDecl::Export(export, ExternType::Type(TypeBound::Eq(i))) => {
                let t @ RtType::Val(_) = local.get(*i as usize)?.clone() else {
                    return None;
                };
                exports
                    .exports
                    .push((export.name.clone(), Item::Type(t.clone())));
                local.push(t);
            }
            InstanceDecl::Export(..) => return None,
            d => declare(scopes, &mut local, d),
        }
    }
    Some(exports)
}

/// A declaration of an instance type other than an export: the types it
/// adds to the type's own index space `local`.
fn declare(scopes: &[&[RtType]], local: &mut Vec<RtType>, d: &InstanceDecl) {
    match d {
        InstanceDecl::Type(t) => {
            let t = def_type(local, t);
            local.push(t);
        }
        InstanceDecl::Alias(Alias::Outer {
            count,
            index,
            sort: OuterAliasSort::Type,
        }) => {
            let t = match count.checked_sub(1) {
                None => local.get(*index as usize).cloned(),
                Some(up) => scopes
                    .len()
                    .checked_sub(1 + up as usize)
                    .and_then(|s| scopes[s].get(*index as usize).cloned()),
            };
            local.push(t.unwrap_or(RtType::Other));
        }
        // An export of a nested instance declaration: not resolved here;
        // what refers to it is not checked.
        InstanceDecl::Alias(Alias::Export {
            sort: Sort::Type, ..
        }) => local.push(RtType::Other),
        InstanceDecl::CoreType(_) | InstanceDecl::Alias(_) | InstanceDecl::Export(..) => {}
    }
}

/// A type declared inside an instance type; what does not resolve (a
/// reference to something not checked) is `Other`, never an error.
fn def_type(local: &[RtType], t: &DefType) -> RtType {
    match t {
        DefType::Val(d) => types::def_val_type(local, d).map_or(RtType::Other, RtType::Val),
        DefType::Func(f) => {
            types::func_type(local, f).map_or(RtType::Other, |f| RtType::Func(Rc::new(f)))
        }
        DefType::Instance(decls) => RtType::Instance(Rc::new(decls.clone())),
        DefType::Resource { .. } | DefType::Component(_) => RtType::Other,
    }
}

/// What the import of type `ty` asks for, for the message of a missing
/// import: a function's type, an instance's export names.
pub fn describe(types: &[RtType], ty: ExternType) -> String {
    match ty {
        ExternType::Func(t) => match types.get(t as usize) {
            Some(RtType::Func(f)) => format!("a function of type `{}`", Wit::Func(f)),
            _ => String::from("a function"),
        },
        ExternType::Instance(t) => match types.get(t as usize) {
            Some(RtType::Instance(decls)) => {
                let mut local: Vec<RtType> = Vec::new();
                let mut exports: Vec<String> = Vec::new();
                for d in decls.iter() {
                    match d {
                        InstanceDecl::Export(n, ExternType::Type(bound)) => {
                            let t = match bound {
                                TypeBound::Eq(i) => local.get(*i as usize).cloned(),
                                TypeBound::SubResource => None,
                            };
                            exports.push(match &t {
                                Some(t) => format!("{}: type {}", n.name, Wit::Rt(t)),
                                None => format!("{}: resource", n.name),
                            });
                            local.push(t.unwrap_or(RtType::Other));
                        }
                        InstanceDecl::Export(n, ExternType::Func(i)) => {
                            exports.push(match local.get(*i as usize) {
                                Some(RtType::Func(f)) => format!("{}: {}", n.name, Wit::Func(f)),
                                _ => format!("{}: func", n.name),
                            });
                        }
                        InstanceDecl::Export(n, other) => {
                            exports.push(format!("{}: {}", n.name, other.sort().name()));
                        }
                        d => declare(&[types], &mut local, d),
                    }
                }
                format!("an instance exporting `{}`", exports.join("`, `"))
            }
            _ => String::from("an instance"),
        },
        other => format!("a {}", other.sort().name()),
    }
}

/// A run-time type written as WIT writes it, for messages.
enum Wit<'a> {
    Func(&'a FuncType),
    Val(&'a ValType),
    Rt(&'a RtType),
}

impl fmt::Display for Wit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Wit::Func(t) => {
                f.write_str(if t.async_ { "async func(" } else { "func(" })?;
                for (i, (n, p)) in t.params.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{n}: {}", Wit::Val(p))?;
                }
                f.write_char(')')?;
                match &t.result {
                    Some(r) => write!(f, " -> {}", Wit::Val(r)),
                    None => Ok(()),
                }
            }
            Wit::Rt(RtType::Val(v)) => Wit::Val(v).fmt(f),
            Wit::Rt(RtType::Func(t)) => Wit::Func(t).fmt(f),
            Wit::Rt(RtType::Resource(r)) => write!(f, "resource {}", r.0.name),
            Wit::Rt(RtType::Instance(_)) => f.write_str("instance"),
            Wit::Rt(RtType::Other) => f.write_str("type"),
            Wit::Val(t) => val(f, t),
        }
    }
}

fn val(f: &mut fmt::Formatter<'_>, t: &ValType) -> fmt::Result {
    let list = |f: &mut fmt::Formatter<'_>, items: &mut dyn Iterator<Item = String>| {
        let items: Vec<String> = items.collect();
        f.write_str(&items.join(", "))
    };
    let opt = |t: &Option<alloc::boxed::Box<ValType>>| match t {
        Some(t) => format!("{}", Wit::Val(t)),
        None => String::from("_"),
    };
    match t {
        ValType::Bool => f.write_str("bool"),
        ValType::S8 => f.write_str("s8"),
        ValType::U8 => f.write_str("u8"),
        ValType::S16 => f.write_str("s16"),
        ValType::U16 => f.write_str("u16"),
        ValType::S32 => f.write_str("s32"),
        ValType::U32 => f.write_str("u32"),
        ValType::S64 => f.write_str("s64"),
        ValType::U64 => f.write_str("u64"),
        ValType::F32 => f.write_str("f32"),
        ValType::F64 => f.write_str("f64"),
        ValType::Char => f.write_str("char"),
        ValType::String => f.write_str("string"),
        ValType::ErrorContext => f.write_str("error-context"),
        ValType::List(t, None) => write!(f, "list<{}>", Wit::Val(t)),
        ValType::List(t, Some(n)) => write!(f, "list<{}, {n}>", Wit::Val(t)),
        ValType::Record(fs) => {
            f.write_str("record { ")?;
            list(
                f,
                &mut fs
                    .iter()
                    .map(|x| format!("{}: {}", x.label, Wit::Val(&x.t))),
            )?;
            f.write_str(" }")
        }
        ValType::Tuple(ts) => {
            f.write_str("tuple<")?;
            list(f, &mut ts.iter().map(|t| format!("{}", Wit::Val(t))))?;
            f.write_char('>')
        }
        ValType::Variant(cs) => {
            f.write_str("variant { ")?;
            list(
                f,
                &mut cs.iter().map(|c| match &c.t {
                    Some(t) => format!("{}({})", c.label, Wit::Val(t)),
                    None => c.label.clone(),
                }),
            )?;
            f.write_str(" }")
        }
        ValType::Enum(ls) => write!(f, "enum {{ {} }}", ls.join(", ")),
        ValType::Flags(ls) => write!(f, "flags {{ {} }}", ls.join(", ")),
        ValType::Option(t) => write!(f, "option<{}>", Wit::Val(t)),
        ValType::Result(None, None) => f.write_str("result"),
        ValType::Result(ok, err) => write!(f, "result<{}, {}>", opt(ok), opt(err)),
        ValType::Map(k, v) => write!(f, "map<{}, {}>", Wit::Val(k), Wit::Val(v)),
        ValType::Own(r) => write!(f, "own<{}>", r.0.name),
        ValType::Borrow(r) => write!(f, "borrow<{}>", r.0.name),
        ValType::Stream(t) => write!(f, "stream<{}>", opt(t)),
        ValType::Future(t) => write!(f, "future<{}>", opt(t)),
    }
}
