//! The WASI 0.2 interfaces as the component model types the host defines:
//! the WIT in `wit/` resolved by witness-spec, each function's type and
//! each named type converted to witness-canonical's, each resource bound
//! to a host resource type of the store.
//!
//! Writing the types once, as WIT, is what makes the host's function
//! types equal to what components import (the linker compares them).

use std::collections::HashMap;
use witness_interp::component::{CaseType, FieldType, FuncType, ResourceType, ValType};
use witness_spec::wit::model::{Handle, Type, TypeDefKind, TypeId};
use witness_spec::wit::{Resolve, push_str};

/// The packages, each one file, in dependency order.
const SOURCES: [(&str, &str); 6] = [
    ("io.wit", include_str!("../wit/io.wit")),
    ("clocks.wit", include_str!("../wit/clocks.wit")),
    ("random.wit", include_str!("../wit/random.wit")),
    ("cli.wit", include_str!("../wit/cli.wit")),
    ("filesystem.wit", include_str!("../wit/filesystem.wit")),
    ("sockets.wit", include_str!("../wit/sockets.wit")),
];

/// One interface: its full name (`wasi:io/streams@0.2.12`), its named
/// types (`use`d ones included, as components import them) and functions.
pub struct Interface {
    pub name: String,
    pub types: Vec<(String, Named)>,
    pub funcs: Vec<(String, FuncType)>,
}

/// A named type of an interface.
pub enum Named {
    Resource(ResourceType),
    Val(ValType),
}

/// Every WASI interface, resources bound by `resource` (called once per
/// resource, with its name).
///
/// # Errors
/// Only if the WIT in `wit/` does not resolve (a bug, caught by the tests).
pub fn interfaces(
    resource: &mut dyn FnMut(&str) -> Result<ResourceType, String>,
) -> Result<Vec<Interface>, String> {
    let mut resolve = Resolve::new();
    for (path, text) in SOURCES {
        push_str(&mut resolve, path, text).map_err(|e| format!("{path}: {e:?}"))?;
    }
    let mut cx = Convert {
        resolve: &resolve,
        resources: HashMap::new(),
        resource,
    };
    let mut out = Vec::new();
    for (id, iface) in resolve.interfaces.iter().enumerate() {
        let name = resolve
            .id_of(id)
            .ok_or_else(|| String::from("an unnamed WASI interface"))?;
        let mut types = Vec::new();
        for (n, t) in iface.types.iter() {
            let def = resolve.resolve_alias(*t);
            let named = match resolve.types[def].kind {
                TypeDefKind::Resource => Named::Resource(cx.resource(def)?),
                _ => Named::Val(cx.val(&Type::Id(*t))?),
            };
            types.push((n.clone(), named));
        }
        let mut funcs = Vec::new();
        for (n, f) in iface.functions.iter() {
            let params = (f.params.iter())
                .map(|(p, t)| Ok((p.clone(), cx.val(t)?)))
                .collect::<Result<Vec<_>, String>>()?;
            let result = f.result.as_ref().map(|t| cx.val(t)).transpose()?;
            let ty = FuncType {
                params,
                result,
                async_: false,
            };
            funcs.push((n.clone(), ty));
        }
        out.push(Interface { name, types, funcs });
    }
    Ok(out)
}

/// WIT types to canonical types, one host resource type per WIT resource.
struct Convert<'a> {
    resolve: &'a Resolve,
    resources: HashMap<TypeId, ResourceType>,
    resource: &'a mut dyn FnMut(&str) -> Result<ResourceType, String>,
}

impl Convert<'_> {
    fn resource(&mut self, id: TypeId) -> Result<ResourceType, String> {
        let id = self.resolve.resolve_alias(id);
        if let Some(rt) = self.resources.get(&id) {
            return Ok(rt.clone());
        }
        let name = self.resolve.types[id].name.clone().unwrap_or_default();
        let rt = (self.resource)(&name)?;
        self.resources.insert(id, rt.clone());
        Ok(rt)
    }

    fn boxed(&mut self, t: &Type) -> Result<Box<ValType>, String> {
        Ok(Box::new(self.val(t)?))
    }

    fn opt(&mut self, t: &Option<Type>) -> Result<Option<Box<ValType>>, String> {
        t.as_ref().map(|t| self.boxed(t)).transpose()
    }

    fn val(&mut self, t: &Type) -> Result<ValType, String> {
        Ok(match t {
            Type::Bool => ValType::Bool,
            Type::U8 => ValType::U8,
            Type::U16 => ValType::U16,
            Type::U32 => ValType::U32,
            Type::U64 => ValType::U64,
            Type::S8 => ValType::S8,
            Type::S16 => ValType::S16,
            Type::S32 => ValType::S32,
            Type::S64 => ValType::S64,
            Type::F32 => ValType::F32,
            Type::F64 => ValType::F64,
            Type::Char => ValType::Char,
            Type::String => ValType::String,
            Type::ErrorContext => ValType::ErrorContext,
            Type::Id(id) => {
                let kind = self.resolve.types[*id].kind.clone();
                match kind {
                    TypeDefKind::Record(fields) => ValType::Record(
                        (fields.iter())
                            .map(|f| {
                                Ok(FieldType {
                                    label: f.name.clone(),
                                    t: self.val(&f.ty)?,
                                })
                            })
                            .collect::<Result<_, String>>()?,
                    ),
                    TypeDefKind::Resource => ValType::Own(self.resource(*id)?),
                    TypeDefKind::Handle(Handle::Own(r)) => ValType::Own(self.resource(r)?),
                    TypeDefKind::Handle(Handle::Borrow(r)) => ValType::Borrow(self.resource(r)?),
                    TypeDefKind::Flags(names) => {
                        ValType::Flags(names.iter().map(|n| n.name.clone()).collect())
                    }
                    TypeDefKind::Tuple(ts) => {
                        ValType::Tuple(ts.iter().map(|t| self.val(t)).collect::<Result<_, _>>()?)
                    }
                    TypeDefKind::Variant(cases) => ValType::Variant(
                        (cases.iter())
                            .map(|c| {
                                Ok(CaseType {
                                    label: c.name.clone(),
                                    t: c.ty.as_ref().map(|t| self.val(t)).transpose()?,
                                })
                            })
                            .collect::<Result<_, String>>()?,
                    ),
                    TypeDefKind::Enum(names) => {
                        ValType::Enum(names.iter().map(|n| n.name.clone()).collect())
                    }
                    TypeDefKind::Option(t) => ValType::Option(self.boxed(&t)?),
                    TypeDefKind::Result(ok, err) => {
                        ValType::Result(self.opt(&ok)?, self.opt(&err)?)
                    }
                    TypeDefKind::List(t) => ValType::List(self.boxed(&t)?, None),
                    TypeDefKind::FixedList(t, n) => ValType::List(self.boxed(&t)?, Some(n)),
                    TypeDefKind::Map(k, v) => ValType::Map(self.boxed(&k)?, self.boxed(&v)?),
                    TypeDefKind::Future(t) => ValType::Future(self.opt(&t)?),
                    TypeDefKind::Stream(t) => ValType::Stream(self.opt(&t)?),
                    TypeDefKind::Type(t) => self.val(&t)?,
                    TypeDefKind::Unknown => return Err(format!("unresolved WIT type {id}")),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use witness_interp::component::{Engine, Store};

    #[test]
    fn the_wasi_interfaces_resolve_with_their_resources_shared() {
        let store = Store::new(&Engine::default());
        let mut made = Vec::new();
        let ifaces = interfaces(&mut |n| {
            made.push(n.to_string());
            store.resource_type(n, None).map_err(|e| e.to_string())
        })
        .unwrap();
        let names: Vec<&str> = ifaces.iter().map(|i| i.name.as_str()).collect();
        assert!(names.contains(&"wasi:io/streams@0.2.12"), "{names:?}");
        assert!(names.contains(&"wasi:sockets/ip-name-lookup@0.2.12"));
        // One host resource type per WIT resource, shared by the `use`s.
        made.sort();
        let unique = made.len();
        made.dedup();
        assert_eq!(unique, made.len());
        let resource = |iface: &str, ty: &str| {
            let i = ifaces.iter().find(|i| i.name == iface).unwrap();
            match &i.types.iter().find(|(n, _)| n == ty).unwrap().1 {
                Named::Resource(r) => r.clone(),
                Named::Val(_) => panic!("{ty} is not a resource"),
            }
        };
        assert_eq!(
            resource("wasi:io/streams@0.2.12", "output-stream"),
            resource("wasi:cli/stdout@0.2.12", "output-stream")
        );
        let streams = ifaces
            .iter()
            .find(|i| i.name == "wasi:io/streams@0.2.12")
            .unwrap();
        let (_, write) = (streams.funcs.iter())
            .find(|(n, _)| n == "[method]output-stream.write")
            .unwrap();
        assert_eq!(
            write.params[1].1,
            ValType::List(Box::new(ValType::U8), None)
        );
    }
}
