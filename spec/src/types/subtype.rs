//! Subtyping (Explainer.md "Type Checking").
//!
//! Value types and function types are compared by structural equality
//! (resource types by identity); module, instance and component types by
//! subtyping: a subtype may export more and import less, names matter and
//! order does not. Errors are worded like the reference tests' messages.

use alloc::format;
use alloc::string::String;

use super::subst::Subst;
use super::{DefinedType, ExternType, FuncType, TypeDef, TypeId, Types, ValType, lookup};

/// The result of a type check: `Err` says why it failed.
pub type Check = Result<(), String>;

impl Types {
    /// Equality of value types (Explainer.md: "type equality is defined to
    /// be AST equality"; resource types are equal only to themselves).
    ///
    /// # Errors
    ///
    /// Where the two types differ.
    pub fn val_eq(&self, a: ValType, b: ValType) -> Check {
        match (a, b) {
            (ValType::Primitive(x), ValType::Primitive(y)) if x == y => Ok(()),
            (ValType::Defined(x), ValType::Defined(y)) => {
                if x == y {
                    return Ok(());
                }
                match (self.defined(x), self.defined(y)) {
                    (Some(dx), Some(dy)) => self.defined_eq(dx, dy),
                    _ => Err(String::from("type mismatch")),
                }
            }
            (ValType::Defined(x), ValType::Primitive(p))
            | (ValType::Primitive(p), ValType::Defined(x)) => match self.defined(x) {
                Some(DefinedType::Primitive(q)) if *q == p => Ok(()),
                Some(d) => Err(mismatch(
                    if matches!(a, ValType::Primitive(_)) {
                        p.name()
                    } else {
                        d.desc()
                    },
                    if matches!(a, ValType::Primitive(_)) {
                        d.desc()
                    } else {
                        p.name()
                    },
                )),
                None => Err(String::from("type mismatch")),
            },
            (ValType::Primitive(x), ValType::Primitive(y)) => Err(mismatch(y.name(), x.name())),
        }
    }

    fn opt_eq(&self, a: Option<ValType>, b: Option<ValType>, what: &str) -> Check {
        match (a, b) {
            (None, None) => Ok(()),
            (Some(a), Some(b)) => self
                .val_eq(a, b)
                .map_err(|e| format!("type mismatch in {what}: {e}")),
            _ => Err(format!("type mismatch in {what}")),
        }
    }

    fn defined_eq(&self, a: &DefinedType, b: &DefinedType) -> Check {
        use DefinedType as D;
        match (a, b) {
            (D::Primitive(x), D::Primitive(y)) if x == y => Ok(()),
            (D::Record(x), D::Record(y)) => {
                if x.len() != y.len() {
                    return Err(String::from(
                        "expected a record with the same number of fields",
                    ));
                }
                for ((xn, xt), (yn, yt)) in x.iter().zip(y) {
                    if xn != yn {
                        return Err(format!("expected record field named `{yn}`, found `{xn}`"));
                    }
                    self.val_eq(*xt, *yt)
                        .map_err(|e| format!("type mismatch in record field `{xn}`: {e}"))?;
                }
                Ok(())
            }
            (D::Variant(x), D::Variant(y)) => {
                if x.len() != y.len() {
                    return Err(String::from(
                        "expected a variant with the same number of cases",
                    ));
                }
                for ((xn, xt), (yn, yt)) in x.iter().zip(y) {
                    if xn != yn {
                        return Err(format!("expected variant case named `{yn}`, found `{xn}`"));
                    }
                    self.opt_eq(*xt, *yt, &format!("variant case `{xn}`"))?;
                }
                Ok(())
            }
            (D::List(x), D::List(y)) | (D::Option(x), D::Option(y)) => self.val_eq(*x, *y),
            (D::FixedLengthList(x, n), D::FixedLengthList(y, m)) => {
                if n != m {
                    return Err(format!("expected list of length {m}, found {n}"));
                }
                self.val_eq(*x, *y)
            }
            (D::Tuple(x), D::Tuple(y)) => {
                if x.len() != y.len() {
                    return Err(String::from("expected a tuple of the same size"));
                }
                for (i, (xt, yt)) in x.iter().zip(y).enumerate() {
                    self.val_eq(*xt, *yt)
                        .map_err(|e| format!("type mismatch in tuple field {i}: {e}"))?;
                }
                Ok(())
            }
            (D::Flags(x), D::Flags(y)) => {
                if x == y {
                    Ok(())
                } else {
                    Err(String::from("mismatch in flags elements"))
                }
            }
            (D::Enum(x), D::Enum(y)) => {
                if x == y {
                    Ok(())
                } else {
                    Err(String::from("mismatch in enum elements"))
                }
            }
            (D::Result { ok: xo, err: xe }, D::Result { ok: yo, err: ye }) => {
                self.opt_eq(*xo, *yo, "ok variant")?;
                self.opt_eq(*xe, *ye, "err variant")
            }
            (D::Map(xk, xv), D::Map(yk, yv)) => {
                self.val_eq(*xk, *yk)?;
                self.val_eq(*xv, *yv)
            }
            (D::Own(x), D::Own(y)) | (D::Borrow(x), D::Borrow(y)) => {
                if self.canonical(*x) == self.canonical(*y) {
                    Ok(())
                } else {
                    Err(String::from("resource types are not the same"))
                }
            }
            (D::Stream(x), D::Stream(y)) => self.opt_eq(*x, *y, "stream payload"),
            (D::Future(x), D::Future(y)) => self.opt_eq(*x, *y, "future payload"),
            _ => Err(mismatch(b.desc(), a.desc())),
        }
    }

    /// Function subtyping: equality of parameter names and types, of the
    /// result and of `async`.
    ///
    /// # Errors
    ///
    /// Where the two function types differ.
    pub fn func_subtype(&self, a: &FuncType, b: &FuncType) -> Check {
        if a.async_ != b.async_ {
            return Err(String::from(if b.async_ {
                "expected async function, found sync function"
            } else {
                "expected sync function, found async function"
            }));
        }
        if a.params.len() != b.params.len() {
            return Err(format!(
                "expected {} parameters, found {}",
                b.params.len(),
                a.params.len()
            ));
        }
        for ((an, at), (bn, bt)) in a.params.iter().zip(&b.params) {
            if an != bn {
                return Err(format!("expected parameter named `{bn}`, found `{an}`"));
            }
            self.val_eq(*at, *bt)
                .map_err(|e| format!("type mismatch in function parameter `{an}`: {e}"))?;
        }
        match (a.result, b.result) {
            (None, None) => Ok(()),
            (Some(x), Some(y)) => self
                .val_eq(x, y)
                .map_err(|e| format!("type mismatch with result type: {e}")),
            _ => Err(String::from("type mismatch with result type")),
        }
    }

    /// Whether type entries `a` and `b` (from the `type` sort) are the same
    /// type: resources by identity, others structurally.
    ///
    /// # Errors
    ///
    /// Where they differ.
    pub fn type_eq(&mut self, a: TypeId, b: TypeId) -> Check {
        if a == b {
            return Ok(());
        }
        match (self.get(a).clone(), self.get(b).clone()) {
            (TypeDef::Resource(x), TypeDef::Resource(y)) => {
                if self.canonical(x) == self.canonical(y) {
                    Ok(())
                } else {
                    Err(String::from("resource types are not the same"))
                }
            }
            (TypeDef::Defined(x), TypeDef::Defined(y)) => self.defined_eq(&x, &y),
            (TypeDef::Func(x), TypeDef::Func(y)) => self.func_subtype(&x, &y),
            (TypeDef::Instance(_), TypeDef::Instance(_)) => {
                self.extern_subtype(ExternType::Instance(a), ExternType::Instance(b))?;
                self.extern_subtype(ExternType::Instance(b), ExternType::Instance(a))
            }
            (TypeDef::Component(_), TypeDef::Component(_)) => {
                self.extern_subtype(ExternType::Component(a), ExternType::Component(b))?;
                self.extern_subtype(ExternType::Component(b), ExternType::Component(a))
            }
            (x, y) => Err(mismatch(y.desc(), x.desc())),
        }
    }

    /// Extern subtyping `a <: b` (the actual `a` may be used where `b` is
    /// expected).
    ///
    /// # Errors
    ///
    /// Where `a` fails to be a subtype of `b`.
    pub fn extern_subtype(&mut self, a: ExternType, b: ExternType) -> Check {
        match (a, b) {
            (ExternType::CoreModule(x), ExternType::CoreModule(y)) => {
                match (self.module(x), self.module(y)) {
                    (Some(mx), Some(my)) => super::module_subtype(mx, my),
                    _ => Err(String::from("type mismatch")),
                }
            }
            (ExternType::Func(x), ExternType::Func(y)) => match (self.func(x), self.func(y)) {
                (Some(fx), Some(fy)) => self.func_subtype(fx, fy),
                _ => Err(String::from("type mismatch")),
            },
            (ExternType::Value(x), ExternType::Value(y)) => self.val_eq(x, y),
            (ExternType::Type(x), ExternType::Type(y)) => self.type_eq(x, y),
            (ExternType::Instance(x), ExternType::Instance(y)) => self.instance_subtype(x, y),
            (ExternType::Component(x), ExternType::Component(y)) => self.component_subtype(x, y),
            (x, y) => Err(format!("expected {}, found {}", y.desc(), x.desc())),
        }
    }

    fn instance_subtype(&mut self, a: TypeId, b: TypeId) -> Check {
        let (Some(ai), Some(bi)) = (self.instance(a).cloned(), self.instance(b).cloned()) else {
            return Err(String::from("type mismatch"));
        };
        // ∃ on the expected side: its abstract resources are whatever the
        // actual instance exports under the same names.
        let mut map = Subst::new();
        for (n, bt) in &bi.exports {
            if let Some(at) = lookup(&ai.exports, n) {
                self.match_resources(bt, at, &bi.defined_resources, &mut map);
            }
        }
        for (n, bt) in &bi.exports {
            let Some(at) = lookup(&ai.exports, n).copied() else {
                return Err(format!("missing expected export `{n}`"));
            };
            let bt = self.subst_extern(*bt, &mut map);
            self.extern_subtype(at, bt)
                .map_err(|e| format!("type mismatch in instance export `{n}`: {e}"))?;
        }
        Ok(())
    }

    fn component_subtype(&mut self, a: TypeId, b: TypeId) -> Check {
        let (Some(ac), Some(bc)) = (self.component(a).cloned(), self.component(b).cloned()) else {
            return Err(String::from("type mismatch"));
        };
        // ∀ on the actual side: its type imports become the expected
        // component's type imports of the same names.
        let mut map = Subst::new();
        for (n, at) in &ac.imports {
            if let Some(bt) = lookup(&bc.imports, n) {
                self.match_resources(at, bt, &ac.imported_resources, &mut map);
            }
        }
        for (n, at) in &ac.imports {
            let Some(bt) = lookup(&bc.imports, n).copied() else {
                return Err(format!("missing expected import `{n}`"));
            };
            let at = self.subst_extern(*at, &mut map);
            self.extern_subtype(bt, at)
                .map_err(|e| format!("type mismatch in import `{n}`: {e}"))?;
        }
        // ∃ on the expected side: matched by export names.
        let exports: alloc::vec::Vec<_> = ac
            .exports
            .iter()
            .map(|(n, t)| (n.clone(), self.subst_extern(*t, &mut map)))
            .collect();
        let mut emap = Subst::new();
        for (n, bt) in &bc.exports {
            if let Some(at) = lookup(&exports, n) {
                self.match_resources(bt, at, &bc.defined_resources, &mut emap);
            }
        }
        for (n, bt) in &bc.exports {
            let Some(at) = lookup(&exports, n).copied() else {
                return Err(format!("missing expected export `{n}`"));
            };
            let bt = self.subst_extern(*bt, &mut emap);
            self.extern_subtype(at, bt)
                .map_err(|e| format!("type mismatch in export `{n}`: {e}"))?;
        }
        Ok(())
    }
}

fn mismatch(expected: &str, found: &str) -> String {
    format!("type mismatch: expected {expected}, found {found}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{InstanceType, PrimValType, ResourceInfo};
    use alloc::string::ToString;
    use alloc::vec;

    fn resource(t: &mut Types) -> TypeId {
        let r = t.fresh_resource(ResourceInfo {
            rep: None,
            defined_by: None,
            alias_of: None,
        });
        t.push(TypeDef::Resource(r))
    }

    #[test]
    fn structural_equality_and_resource_identity() {
        let mut t = Types::new();
        let l1 = t.push(TypeDef::Defined(DefinedType::List(ValType::Primitive(
            PrimValType::String,
        ))));
        let l2 = t.push(TypeDef::Defined(DefinedType::List(ValType::Primitive(
            PrimValType::String,
        ))));
        assert!(t.type_eq(l1, l2).is_ok());
        let r1 = resource(&mut t);
        let r2 = resource(&mut t);
        assert_eq!(
            t.type_eq(r1, r2),
            Err("resource types are not the same".to_string())
        );
    }

    #[test]
    fn instance_subtype_exports_more() {
        let mut t = Types::new();
        let f = t.push(TypeDef::Func(FuncType {
            async_: false,
            params: vec![],
            result: None,
        }));
        let big = t.push(TypeDef::Instance(InstanceType {
            exports: vec![
                ("a".into(), ExternType::Func(f)),
                ("b".into(), ExternType::Func(f)),
            ],
            defined_resources: vec![],
        }));
        let small = t.push(TypeDef::Instance(InstanceType {
            exports: vec![("b".into(), ExternType::Func(f))],
            defined_resources: vec![],
        }));
        assert!(
            t.extern_subtype(ExternType::Instance(big), ExternType::Instance(small))
                .is_ok()
        );
        assert_eq!(
            t.extern_subtype(ExternType::Instance(small), ExternType::Instance(big)),
            Err("missing expected export `a`".to_string())
        );
    }
}
