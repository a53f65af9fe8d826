//! Type substitution (Explainer.md "Type Checking": "type checking performs
//! a substitution, replacing all uses of the `import` in the instantiated
//! component with the actual type supplied via `with`"; Binary.md
//! "Instance Definitions").
//!
//! A [`Subst`] maps resource types to resource types. Applying it rebuilds
//! only the types that mention a mapped resource.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::{
    ComponentType, DefinedType, ExternType, FuncType, InstanceType, ResourceId, TypeDef, TypeId,
    Types, ValType,
};

/// A substitution: resource types to resource types, and imported type
/// indices (`eq`-bound type imports) to the types supplied for them.
///
/// It remembers the image of each type it rebuilt, so that a type used in
/// several places (an exported `variant` and the function taking it) has
/// one image: type identity is what External Visibility checks.
#[derive(Debug, Clone, Default)]
pub struct Subst {
    resources: BTreeMap<ResourceId, ResourceId>,
    types: BTreeMap<TypeId, TypeId>,
    images: BTreeMap<TypeId, TypeId>,
}

impl Subst {
    /// The empty substitution.
    pub fn new() -> Self {
        Subst::default()
    }

    /// Whether it maps nothing.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.types.is_empty()
    }

    /// Maps resource `from` to `to`.
    pub fn insert(&mut self, from: ResourceId, to: ResourceId) {
        self.resources.insert(from, to);
        self.images.clear();
    }

    /// Whether resource `r` is mapped.
    pub fn contains_key(&self, r: &ResourceId) -> bool {
        self.resources.contains_key(r)
    }

    /// The resources mapped to.
    pub fn values(&self) -> impl Iterator<Item = &ResourceId> {
        self.resources.values()
    }

    /// Maps type `from` to `to`, and the type whose image `from` is (a
    /// type import whose bound mentions an earlier import is matched as its
    /// image, but its uses name the import itself).
    pub fn insert_type(&mut self, from: TypeId, to: TypeId) {
        let sources: Vec<TypeId> = self
            .images
            .iter()
            .filter(|&(_, image)| *image == from)
            .map(|(source, _)| *source)
            .collect();
        for source in sources {
            self.types.insert(source, to);
        }
        self.types.insert(from, to);
        self.images.clear();
    }
}

impl Types {
    /// Makes a fresh abstract resource for each of `rs` (the elimination of
    /// ∃ when a value of an instance or component type is introduced).
    pub fn freshen(&mut self, rs: &[ResourceId], map: &mut Subst) {
        for r in rs {
            let c = self.canonical(*r);
            if !map.contains_key(&c) {
                let fresh = self.fresh_abstract(c);
                map.insert(c, fresh);
            }
        }
    }

    /// Applies `map` to a value type.
    pub fn subst_val(&mut self, t: ValType, map: &mut Subst) -> ValType {
        match t {
            ValType::Primitive(_) => t,
            ValType::Defined(id) => match map.types.get(&id) {
                Some(to) => ValType::Defined(*to),
                None => ValType::Defined(self.subst_type(id, map)),
            },
        }
    }

    /// The image of resource `r` (or of the resource it aliases).
    fn lookup_resource(&self, map: &Subst, r: ResourceId) -> Option<ResourceId> {
        map.resources
            .get(&r)
            .or_else(|| map.resources.get(&self.canonical(r)))
            .copied()
    }

    fn subst_opt(&mut self, t: Option<ValType>, map: &mut Subst) -> Option<ValType> {
        t.map(|t| self.subst_val(t, map))
    }

    /// Applies `map` to an extern type.
    pub fn subst_extern(&mut self, e: ExternType, map: &mut Subst) -> ExternType {
        match e {
            ExternType::CoreModule(_) => e,
            ExternType::Value(v) => ExternType::Value(self.subst_val(v, map)),
            ExternType::Func(t) => ExternType::Func(self.subst_type(t, map)),
            ExternType::Type(t) => ExternType::Type(self.subst_type(t, map)),
            ExternType::Instance(t) => ExternType::Instance(self.subst_type(t, map)),
            ExternType::Component(t) => ExternType::Component(self.subst_type(t, map)),
        }
    }

    fn subst_externs(
        &mut self,
        es: &[(alloc::string::String, ExternType)],
        map: &mut Subst,
    ) -> super::Externs {
        es.iter()
            .map(|(n, e)| (n.clone(), self.subst_extern(*e, map)))
            .collect()
    }

    /// Applies `map` to a type entry; returns `id` itself when nothing changes.
    pub fn subst_type(&mut self, id: TypeId, map: &mut Subst) -> TypeId {
        if map.is_empty() {
            return id;
        }
        if let Some(to) = map.types.get(&id).or_else(|| map.images.get(&id)) {
            return *to;
        }
        let new = match self.get(id).clone() {
            TypeDef::Resource(r) => match self.lookup_resource(map, r) {
                Some(n) => TypeDef::Resource(n),
                None => return id,
            },
            TypeDef::Defined(d) => TypeDef::Defined(self.subst_defined(d, map)),
            TypeDef::Func(f) => TypeDef::Func(FuncType {
                async_: f.async_,
                params: f
                    .params
                    .iter()
                    .map(|(n, t)| (n.clone(), self.subst_val(*t, map)))
                    .collect(),
                result: self.subst_opt(f.result, map),
            }),
            TypeDef::Instance(i) => TypeDef::Instance(InstanceType {
                exports: self.subst_externs(&i.exports, map),
                defined_resources: i.defined_resources.clone(),
            }),
            TypeDef::Component(c) => TypeDef::Component(ComponentType {
                imports: self.subst_externs(&c.imports, map),
                exports: self.subst_externs(&c.exports, map),
                imported_resources: c.imported_resources.clone(),
                defined_resources: c.defined_resources.clone(),
            }),
            TypeDef::Module(_) | TypeDef::CoreInstance(_) => return id,
        };
        let image = if &new == self.get(id) {
            id
        } else {
            let image = self.push(new);
            // An image of a type made equal to `t` is equal to `t`'s image.
            if let Some(t) = self.eq_of(id) {
                let t = self.subst_type(t, map);
                self.eqs.insert(image, t);
            }
            image
        };
        map.images.insert(id, image);
        image
    }

    fn subst_defined(&mut self, d: DefinedType, map: &mut Subst) -> DefinedType {
        let r = |x: ResourceId| self.lookup_resource(map, x).unwrap_or(x);
        match d {
            DefinedType::Primitive(_) | DefinedType::Flags(_) | DefinedType::Enum(_) => d,
            DefinedType::Own(x) => DefinedType::Own(r(x)),
            DefinedType::Borrow(x) => DefinedType::Borrow(r(x)),
            DefinedType::Record(fs) => DefinedType::Record(
                fs.into_iter()
                    .map(|(n, t)| (n, self.subst_val(t, map)))
                    .collect(),
            ),
            DefinedType::Variant(cs) => DefinedType::Variant(
                cs.into_iter()
                    .map(|(n, t)| (n, self.subst_opt(t, map)))
                    .collect(),
            ),
            DefinedType::List(t) => DefinedType::List(self.subst_val(t, map)),
            DefinedType::FixedLengthList(t, n) => {
                DefinedType::FixedLengthList(self.subst_val(t, map), n)
            }
            DefinedType::Tuple(ts) => DefinedType::Tuple(
                ts.into_iter()
                    .map(|t| self.subst_val(t, map))
                    .collect::<Vec<_>>(),
            ),
            DefinedType::Option(t) => DefinedType::Option(self.subst_val(t, map)),
            DefinedType::Result { ok, err } => DefinedType::Result {
                ok: self.subst_opt(ok, map),
                err: self.subst_opt(err, map),
            },
            DefinedType::Map(k, v) => {
                DefinedType::Map(self.subst_val(k, map), self.subst_val(v, map))
            }
            DefinedType::Stream(t) => DefinedType::Stream(self.subst_opt(t, map)),
            DefinedType::Future(t) => DefinedType::Future(self.subst_opt(t, map)),
        }
    }

    /// Pairs up resources of `expected` (those in `targets`) with the
    /// resources at the same export path in `actual`, adding them to `map`.
    /// This is how `with` arguments and subtypes supply type imports and
    /// how existential resources are matched by name.
    pub fn match_resources(
        &self,
        expected: &ExternType,
        actual: &ExternType,
        targets: &[ResourceId],
        map: &mut Subst,
    ) {
        match (expected, actual) {
            (ExternType::Type(e), ExternType::Type(a)) => {
                match (self.resource_of(*e), self.resource_of(*a)) {
                    (Some(er), Some(ar)) => {
                        let er = self.canonical(er);
                        if targets.iter().any(|t| self.canonical(*t) == er)
                            && !map.contains_key(&er)
                        {
                            map.insert(er, ar);
                        }
                    }
                    (None, None)
                        if e != a
                            && self.defined(*e).is_some()
                            && self
                                .val_eq(ValType::Defined(*a), ValType::Defined(*e))
                                .is_ok() =>
                    {
                        // An `eq`-bound type import: uses of it now name
                        // the supplied type.
                        map.insert_type(*e, *a);
                    }
                    _ => {}
                }
            }
            (ExternType::Instance(e), ExternType::Instance(a)) => {
                let (Some(ei), Some(ai)) = (self.instance(*e), self.instance(*a)) else {
                    return;
                };
                for (n, et) in &ei.exports {
                    if let Some(at) = super::lookup(&ai.exports, n) {
                        self.match_resources(et, at, targets, map);
                    }
                }
            }
            _ => {}
        }
    }
}
