//! Component Definitions (Explainer.md "Component Definitions"): validating
//! a component's definitions in order, and assigning it a `componenttype`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::{ScopeKind, Validator};
use crate::ast::{Component, DefinitionKind};
use crate::error::{Error, Result};
use crate::types::{ComponentType, ExternType, ResourceId, TypeDef, TypeId};

impl Validator {
    /// Validates a component definition; returns its `componenttype`.
    ///
    /// # Errors
    ///
    /// The first definition that breaks a rule.
    pub fn component(&mut self, c: &Component) -> Result<TypeId> {
        self.push_scope(ScopeKind::Component);
        let r = self.component_body(c);
        let scope = self.pop_scope();
        r?;
        for (i, (_, consumed)) in scope.values.iter().enumerate() {
            if !consumed {
                return Err(Error::invalid(
                    c.offset,
                    format!("value index {i} was not used"),
                ));
            }
        }
        // ∃: resources reachable from exports that the imports did not bring.
        let mut defined = Vec::new();
        for (_, e) in &scope.exports {
            self.collect_resources(e, &mut defined);
        }
        let imported: Vec<_> = scope
            .imported_resources
            .iter()
            .map(|r| self.types.canonical(*r))
            .collect();
        let mut defined: Vec<_> = defined
            .into_iter()
            .map(|r| self.types.canonical(r))
            .collect();
        defined.dedup();
        defined.retain(|r| !imported.contains(r));
        let ty = ComponentType {
            imports: scope.imports,
            exports: scope.exports,
            imported_resources: scope.imported_resources,
            defined_resources: defined,
        };
        Ok(self.types.push(TypeDef::Component(ty)))
    }

    fn component_body(&mut self, c: &Component) -> Result<()> {
        let mut counts = [0u32; 11];
        for d in &c.definitions {
            let slot = match &d.kind {
                DefinitionKind::CoreModule(_) => 0,
                DefinitionKind::CoreInstance(_) => 1,
                DefinitionKind::CoreType(_) => 2,
                DefinitionKind::Component(_) => 3,
                DefinitionKind::Instance(_) => 4,
                DefinitionKind::Alias(_) => 5,
                DefinitionKind::Type(_) => 6,
                DefinitionKind::Canon(_) => 7,
                DefinitionKind::Start(_) => 8,
                DefinitionKind::Import(_) => 9,
                DefinitionKind::Export(_) => 10,
            };
            let n = counts[slot];
            counts[slot] += 1;
            let offset = d.offset;
            let r = self.definition(&d.kind, offset);
            r.map_err(|e| {
                e.in_definition(|| match &d.kind {
                    DefinitionKind::Canon(c) => format!("canon {n} ({})", c.name()),
                    k => format!("{} {n}", k.name()),
                })
            })?;
        }
        Ok(())
    }

    /// Validates one definition.
    fn definition(&mut self, kind: &DefinitionKind, offset: usize) -> Result<()> {
        match kind {
            DefinitionKind::CoreModule(m) => self.core_module(m),
            DefinitionKind::CoreInstance(i) => self.core_instance(i, offset),
            DefinitionKind::CoreType(t) => self.core_type(t, offset),
            DefinitionKind::Component(c) => {
                let t = self.component(c)?;
                self.scope_mut().components.push(t);
                Ok(())
            }
            DefinitionKind::Instance(i) => self.instance(i, offset),
            DefinitionKind::Alias(a) => self.alias(a, offset),
            DefinitionKind::Type(t) => {
                let t = self.def_type(t, offset)?;
                self.scope_mut().types.push(t);
                Ok(())
            }
            DefinitionKind::Canon(c) => self.canon(c, offset),
            DefinitionKind::Start(s) => self.start(s, offset),
            DefinitionKind::Import(i) => self.import(&i.name, &i.ty, offset),
            DefinitionKind::Export(e) => self.export(e, offset),
        }
    }

    /// 🪙 `start`: the function's parameters match the values, and its
    /// result is appended to the value index space.
    fn start(&mut self, s: &crate::ast::Start, offset: usize) -> Result<()> {
        self.gate(
            self.features.component_model_values,
            offset,
            "`start`",
            "component-model-values",
        )?;
        let f = *super::scope::get(&self.scope().funcs, s.func, "function", offset)?;
        let Some(ft) = self.types.func(f).cloned() else {
            return Err(Error::invalid(offset, "not a function"));
        };
        if ft.params.len() != s.args.len() {
            return Err(Error::invalid(
                offset,
                "component start function requires arguments",
            ));
        }
        for ((_, pt), a) in ft.params.iter().zip(&s.args) {
            let (vt, _) = *super::scope::get(&self.scope().values, *a, "value", offset)?;
            self.types
                .val_eq(vt, *pt)
                .map_err(|e| Error::invalid(offset, e))?;
            if let Some(v) = self.scope_mut().values.get_mut(*a as usize) {
                v.1 = true;
            }
        }
        let results = u32::from(ft.result.is_some());
        if results != s.results {
            return Err(Error::invalid(
                offset,
                "component start function has a result count mismatch",
            ));
        }
        if let Some(r) = ft.result {
            self.scope_mut().values.push((r, false));
        }
        Ok(())
    }

    /// The resources that appear as type exports inside `e` (recursing into
    /// instance types), in order, without duplicates.
    pub fn collect_resources(&self, e: &ExternType, out: &mut Vec<ResourceId>) {
        match e {
            ExternType::Type(t) => {
                if let Some(r) = self.types.resource_of(*t)
                    && !out.contains(&r)
                {
                    out.push(r);
                }
            }
            ExternType::Instance(t) => {
                if let Some(i) = self.types.instance(*t) {
                    for (_, e) in &i.exports {
                        self.collect_resources(e, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// Names a definition for error messages.
    pub fn describe(kind: &str, index: u32) -> String {
        format!("{kind} {index}")
    }
}
