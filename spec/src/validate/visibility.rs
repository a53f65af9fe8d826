//! External Visibility of Types (Explainer.md "External Visibility of
//! Types"): resource, `record`, `variant`, `enum` and `flags` types used in
//! the type of an import or export need an externally-visible name, i.e. a
//! type index introduced by an import or export (or an alias of one).
//! Imports may only use names introduced by imports.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use super::Validator;
use crate::types::{DefinedType, ExternType, ResourceId, TypeDef, TypeId, ValType, children};

/// The names in scope for one check.
struct Names<'a> {
    types: &'a BTreeSet<TypeId>,
    resources: &'a BTreeSet<ResourceId>,
    extra_types: Vec<TypeId>,
    extra_resources: Vec<ResourceId>,
}

impl Names<'_> {
    fn has_type(&self, t: TypeId) -> bool {
        self.types.contains(&t) || self.extra_types.contains(&t)
    }
    fn has_resource(&self, r: ResourceId) -> bool {
        self.resources.contains(&r) || self.extra_resources.contains(&r)
    }
}

impl Validator {
    /// Records the types exported by an instance (recursively) as
    /// externally-visible names of the current scope.
    pub(crate) fn add_instance_names(&mut self, e: &ExternType, from_import: bool) {
        let mut ts = Vec::new();
        self.exported_type_ids(e, &mut ts);
        let rs: Vec<_> = ts
            .iter()
            .filter_map(|t| self.types.resource_of(*t))
            .collect();
        let s = self.scope_mut();
        for t in ts {
            s.visible.insert(t);
            if from_import {
                s.visible_imports.insert(t);
            }
        }
        for r in rs {
            s.visible_resources.insert(r);
            if from_import {
                s.visible_import_resources.insert(r);
            }
        }
    }

    /// Records a single type index as an externally-visible name.
    pub(crate) fn add_name(&mut self, t: TypeId, from_import: bool) {
        let r = self.types.resource_of(t);
        let s = self.scope_mut();
        s.visible.insert(t);
        if from_import {
            s.visible_imports.insert(t);
        }
        if let Some(r) = r {
            s.visible_resources.insert(r);
            if from_import {
                s.visible_import_resources.insert(r);
            }
        }
    }

    fn exported_type_ids(&self, e: &ExternType, out: &mut Vec<TypeId>) {
        if let ExternType::Instance(t) = e
            && let Some(i) = self.types.instance(*t)
        {
            for (_, x) in &i.exports {
                match x {
                    ExternType::Type(t) => out.push(*t),
                    ExternType::Instance(_) => self.exported_type_ids(x, out),
                    _ => {}
                }
            }
        }
    }

    /// Whether every type `e` uses has an externally-visible name in the
    /// current scope (only import names when `import`).
    pub(crate) fn externally_visible(&self, e: &ExternType, import: bool) -> bool {
        let s = self.scope();
        let names = Names {
            types: if import {
                &s.visible_imports
            } else {
                &s.visible
            },
            resources: if import {
                &s.visible_import_resources
            } else {
                &s.visible_resources
            },
            extra_types: Vec::new(),
            extra_resources: Vec::new(),
        };
        self.extern_visible(e, &names)
    }

    fn extern_visible(&self, e: &ExternType, names: &Names<'_>) -> bool {
        match e {
            ExternType::CoreModule(_) => true,
            ExternType::Value(v) => self.val_visible(*v, names),
            ExternType::Func(f) => self.type_visible(*f, names),
            ExternType::Type(t) => match self.types.get(*t) {
                TypeDef::Defined(d) => children(d).into_iter().all(|c| self.val_visible(c, names)),
                TypeDef::Resource(_) => true,
                _ => self.type_visible(*t, names),
            },
            ExternType::Instance(t) | ExternType::Component(t) => self.type_visible(*t, names),
        }
    }

    fn type_visible(&self, t: TypeId, names: &Names<'_>) -> bool {
        match self.types.get(t) {
            TypeDef::Func(f) => {
                f.params.iter().all(|(_, p)| self.val_visible(*p, names))
                    && f.result.is_none_or(|r| self.val_visible(r, names))
            }
            TypeDef::Defined(_) => self.val_visible(ValType::Defined(t), names),
            TypeDef::Instance(i) => {
                let inner = self.with_own_names(names, i.exports.iter());
                i.exports
                    .iter()
                    .all(|(_, e)| self.extern_visible(e, &inner))
            }
            TypeDef::Component(c) => {
                let inner = self.with_own_names(names, c.imports.iter().chain(c.exports.iter()));
                c.imports
                    .iter()
                    .chain(c.exports.iter())
                    .all(|(_, e)| self.extern_visible(e, &inner))
            }
            TypeDef::Resource(_) | TypeDef::Module(_) | TypeDef::CoreInstance(_) => true,
        }
    }

    /// `names` plus the types an instance or component type names itself.
    fn with_own_names<'a, 'b>(
        &self,
        names: &Names<'a>,
        externs: impl Iterator<Item = &'b (alloc::string::String, ExternType)>,
    ) -> Names<'a> {
        let mut inner = Names {
            types: names.types,
            resources: names.resources,
            extra_types: names.extra_types.clone(),
            extra_resources: names.extra_resources.clone(),
        };
        for (_, e) in externs {
            let mut ts = Vec::new();
            if let ExternType::Type(t) = e {
                ts.push(*t);
            }
            self.exported_type_ids(e, &mut ts);
            for t in ts {
                if let Some(r) = self.types.resource_of(t) {
                    inner.extra_resources.push(r);
                }
                inner.extra_types.push(t);
            }
        }
        inner
    }

    fn val_visible(&self, v: ValType, names: &Names<'_>) -> bool {
        let ValType::Defined(id) = v else {
            return true;
        };
        if names.has_type(id) {
            return true;
        }
        let Some(d) = self.types.defined(id) else {
            return true;
        };
        match d {
            DefinedType::Record(_)
            | DefinedType::Variant(_)
            | DefinedType::Enum(_)
            | DefinedType::Flags(_) => false,
            DefinedType::Own(r) | DefinedType::Borrow(r) => names.has_resource(*r),
            _ => children(d).into_iter().all(|c| self.val_visible(c, names)),
        }
    }
}
