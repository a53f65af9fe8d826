//! Type Definitions at run time (Explainer.md "Type Definitions"): the
//! entries of a component instance's type index space, with every type
//! index resolved and every resource type a concrete, generative
//! [`ResourceType`]. witness-spec has checked the types; this translates
//! them into witness-canonical's `ValType`/`FuncType`, the types the
//! Canonical ABI definitions match on.

use super::error::{Error, internal};
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use witness_canonical::{CaseType, FieldType, FuncType, ResourceType, ValType};
use witness_spec::ast;

/// An entry of the type index space.
#[derive(Clone, Debug)]
pub enum RtType {
    /// A value type (`defvaltype`).
    Val(ValType),
    /// A function type.
    Func(Rc<FuncType>),
    /// A resource type: fresh for each `resource` definition of each
    /// instance, or the one an import or alias names.
    Resource(ResourceType),
    /// An instance type's declarations, to check what the host gives for
    /// an instance import ([`super::import_check`]).
    Instance(Rc<Vec<ast::InstanceDecl>>),
    /// A component or core module type: validation used it, the run needs
    /// nothing of it.
    Other,
}

/// `valtype`: an inline primitive or an index of a value type.
pub fn val_type(types: &[RtType], t: &ast::ValType) -> Result<ValType, Error> {
    match t {
        ast::ValType::Primitive(p) => Ok(primitive(*p)),
        ast::ValType::Index(i) => match types.get(*i as usize) {
            Some(RtType::Val(v)) => Ok(v.clone()),
            _ => Err(internal("a value type index names no value type")),
        },
    }
}

/// A primitive value type.
pub fn primitive(p: ast::PrimValType) -> ValType {
    use ast::PrimValType as P;
    match p {
        P::Bool => ValType::Bool,
        P::S8 => ValType::S8,
        P::U8 => ValType::U8,
        P::S16 => ValType::S16,
        P::U16 => ValType::U16,
        P::S32 => ValType::S32,
        P::U32 => ValType::U32,
        P::S64 => ValType::S64,
        P::U64 => ValType::U64,
        P::F32 => ValType::F32,
        P::F64 => ValType::F64,
        P::Char => ValType::Char,
        P::String => ValType::String,
        P::ErrorContext => ValType::ErrorContext,
    }
}

/// A resource type named by a type index.
pub fn resource(types: &[RtType], i: u32) -> Result<ResourceType, Error> {
    match types.get(i as usize) {
        Some(RtType::Resource(r)) => Ok(r.clone()),
        _ => Err(internal("a resource type index names no resource type")),
    }
}

/// A function type named by a type index.
pub fn func(types: &[RtType], i: u32) -> Result<Rc<FuncType>, Error> {
    match types.get(i as usize) {
        Some(RtType::Func(f)) => Ok(f.clone()),
        _ => Err(internal("a function type index names no function type")),
    }
}

/// `defvaltype`.
pub fn def_val_type(types: &[RtType], d: &ast::DefValType) -> Result<ValType, Error> {
    use ast::DefValType as D;
    let v = |t: &ast::ValType| val_type(types, t);
    let opt = |t: &Option<ast::ValType>| -> Result<Option<Box<ValType>>, Error> {
        t.as_ref().map(|t| v(t).map(Box::new)).transpose()
    };
    Ok(match d {
        D::Primitive(p) => primitive(*p),
        D::Record(fields) => ValType::Record(
            fields
                .iter()
                .map(|(label, t)| {
                    Ok(FieldType {
                        label: label.clone(),
                        t: v(t)?,
                    })
                })
                .collect::<Result<_, Error>>()?,
        ),
        D::Variant(cases) => ValType::Variant(
            cases
                .iter()
                .map(|(label, t)| {
                    Ok(CaseType {
                        label: label.clone(),
                        t: t.as_ref().map(v).transpose()?,
                    })
                })
                .collect::<Result<_, Error>>()?,
        ),
        D::List(t) => ValType::List(Box::new(v(t)?), None),
        D::FixedLengthList(t, n) => ValType::List(Box::new(v(t)?), Some(*n)),
        D::Tuple(ts) => ValType::Tuple(ts.iter().map(v).collect::<Result<_, _>>()?),
        D::Flags(labels) => ValType::Flags(labels.clone()),
        D::Enum(labels) => ValType::Enum(labels.clone()),
        D::Option(t) => ValType::Option(Box::new(v(t)?)),
        D::Result { ok, err } => ValType::Result(opt(ok)?, opt(err)?),
        D::Map(k, val) => ValType::Map(Box::new(v(k)?), Box::new(v(val)?)),
        D::Own(i) => ValType::Own(resource(types, *i)?),
        D::Borrow(i) => ValType::Borrow(resource(types, *i)?),
        D::Stream(t) => ValType::Stream(opt(t)?),
        D::Future(t) => ValType::Future(opt(t)?),
    })
}

/// `functype`.
pub fn func_type(types: &[RtType], f: &ast::FuncType) -> Result<FuncType, Error> {
    Ok(FuncType {
        params: f
            .params
            .iter()
            .map(|(name, t)| Ok((name.clone(), val_type(types, t)?)))
            .collect::<Result<Vec<(String, ValType)>, Error>>()?,
        result: f.result.as_ref().map(|t| val_type(types, t)).transpose()?,
        async_: f.async_,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn indices_resolve_through_the_index_space() {
        let mut types = vec![RtType::Val(ValType::String)];
        let list = def_val_type(&types, &ast::DefValType::List(ast::ValType::Index(0))).unwrap();
        assert_eq!(list, ValType::List(Box::new(ValType::String), None));
        types.push(RtType::Val(list.clone()));
        let f = func_type(
            &types,
            &ast::FuncType {
                async_: false,
                params: vec![("xs".into(), ast::ValType::Index(1))],
                result: Some(ast::ValType::Primitive(ast::PrimValType::U32)),
            },
        )
        .unwrap();
        assert_eq!(f.params[0].1, list);
        assert_eq!(f.result, Some(ValType::U32));
        assert!(val_type(&types, &ast::ValType::Index(7)).is_err());
    }
}
