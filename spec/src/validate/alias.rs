//! Alias Definitions (Explainer.md "Alias Definitions"; Binary.md "Alias
//! Definitions"): export, core export and outer aliases, with the extra
//! restrictions on alias declarators inside types (Binary.md "Type
//! Definitions").

use alloc::format;

use super::scope::get;
use super::{ScopeKind, Validator};
use crate::ast::{Alias, OuterAliasSort, Sort};
use crate::error::{Error, Result};
use crate::types::{ExternType, lookup};

impl Validator {
    /// Validates an alias and appends the new index to its index space.
    pub(crate) fn alias(&mut self, a: &Alias, offset: usize) -> Result<()> {
        let in_type = self.scope().kind != ScopeKind::Component;
        match a {
            Alias::Export {
                instance,
                name,
                sort,
            } => {
                if in_type && !matches!(sort, Sort::Type | Sort::Instance) {
                    return Err(Error::invalid(
                        offset,
                        "alias export declarators may only refer to types or instances",
                    ));
                }
                let it = *get(&self.scope().instances, *instance, "instance", offset)?;
                let Some(inst) = self.types.instance(it) else {
                    return Err(Error::invalid(offset, "not an instance"));
                };
                let Some(e) = lookup(&inst.exports, name).copied() else {
                    return Err(Error::invalid(
                        offset,
                        format!("instance {instance} has no export named `{name}`"),
                    ));
                };
                if e.desc() != sort.name() {
                    return Err(Error::invalid(
                        offset,
                        format!(
                            "export `{name}` for instance {instance} is not a {}",
                            sort.name()
                        ),
                    ));
                }
                self.push_extern(e, false);
                Ok(())
            }
            Alias::CoreExport {
                instance,
                name,
                sort,
            } => {
                if in_type {
                    return Err(Error::invalid(
                        offset,
                        "alias export declarators may only refer to types or instances",
                    ));
                }
                let it = get(&self.scope().core_instances, *instance, "instance", offset)?;
                let Some((_, e)) = it.exports.iter().find(|(n, _)| n == name) else {
                    return Err(Error::invalid(
                        offset,
                        format!("core instance {instance} has no export named `{name}`"),
                    ));
                };
                let e = e.clone();
                let want = match sort {
                    crate::ast::CoreSort::Func | crate::ast::CoreSort::FuncExact => "func",
                    crate::ast::CoreSort::Table => "table",
                    crate::ast::CoreSort::Memory => "memory",
                    crate::ast::CoreSort::Global => "global",
                    crate::ast::CoreSort::Tag => "tag",
                };
                if e.desc() != want {
                    return Err(Error::invalid(
                        offset,
                        format!("export `{name}` for core instance {instance} is not a {want}"),
                    ));
                }
                self.push_core_item(e);
                Ok(())
            }
            Alias::Outer { count, index, sort } => self.outer_alias(*count, *index, *sort, offset),
        }
    }

    /// `(alias outer ct idx (s))`: `ct` counts enclosing scopes outward
    /// (0 is the current one); crossing a component boundary with a `type`
    /// that transitively refers to a resource is rejected (generativity).
    fn outer_alias(
        &mut self,
        count: u32,
        index: u32,
        sort: OuterAliasSort,
        offset: usize,
    ) -> Result<()> {
        let in_type = self.scope().kind != ScopeKind::Component;
        if in_type && matches!(sort, OuterAliasSort::CoreModule | OuterAliasSort::Component) {
            return Err(Error::invalid(
                offset,
                "alias outer declarators may only refer to core types and types",
            ));
        }
        let n = self.scopes.len();
        let count_us = count as usize;
        if count_us >= n {
            return Err(Error::invalid(
                offset,
                format!("invalid outer alias count of {count}"),
            ));
        }
        let target = n - 1 - count_us;
        // A component boundary is crossed when a scope left behind (the
        // current one up to, not including, the target) is a component.
        let crosses_component = self.scopes[target + 1..]
            .iter()
            .any(|s| s.kind == ScopeKind::Component);
        let t = &self.scopes[target];
        match sort {
            OuterAliasSort::CoreModule => {
                let m = *get(&t.core_modules, index, "module", offset)?;
                self.scope_mut().core_modules.push(m);
            }
            OuterAliasSort::CoreType => {
                let e = get(&t.core_types, index, "type", offset)?.clone();
                self.scope_mut().core_types.push(e);
            }
            OuterAliasSort::Component => {
                let c = *get(&t.components, index, "component", offset)?;
                self.scope_mut().components.push(c);
            }
            OuterAliasSort::Type => {
                let ty = *get(&t.types, index, "type", offset)?;
                if count > 0 && crosses_component && self.types.type_refers_to_resource(ty) {
                    return Err(Error::invalid(
                        offset,
                        format!(
                            "type index {index} transitively refers to resources not defined in the current component"
                        ),
                    ));
                }
                // Names given by imports and exports of the outer scope confer no
                // visibility here (Explainer.md "External Visibility of Types").
                self.scope_mut().types.push(ty);
            }
        }
        Ok(())
    }

    /// Appends a definition of extern type `e` to its index space; types
    /// exported by an instance become externally-visible names here.
    pub(crate) fn push_extern(&mut self, e: ExternType, _from_import: bool) {
        let s = self.scope_mut();
        match e {
            ExternType::CoreModule(t) => s.core_modules.push(t),
            ExternType::Func(t) => s.funcs.push(t),
            ExternType::Value(v) => s.values.push((v, false)),
            ExternType::Type(t) => s.types.push(t),
            ExternType::Instance(t) => s.instances.push(t),
            ExternType::Component(t) => s.components.push(t),
        }
    }
}
