//! Instance Definitions (Explainer.md "Instance Definitions"; Binary.md
//! "Instance Definitions"): `instantiate` with argument matching and type
//! substitution, and instances made of inline exports.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::Validator;
use super::scope::get;
use crate::ast::Instance;
use crate::error::{Error, Result};
use crate::types::subst::Subst;
use crate::types::{ExternType, InstanceType, ResourceId, TypeDef};

impl Validator {
    /// `instance`: validates it and appends its type to the instance index
    /// space.
    pub(crate) fn instance(&mut self, i: &Instance, offset: usize) -> Result<()> {
        let t = match i {
            Instance::Instantiate { component, args } => {
                let c = *get(&self.scope().components, *component, "component", offset)?;
                let Some(ct) = self.types.component(c).cloned() else {
                    return Err(Error::invalid(offset, "not a component"));
                };
                let mut supplied: Vec<(&str, ExternType)> = Vec::new();
                for a in args {
                    if supplied.iter().any(|(n, _)| *n == a.name) {
                        return Err(Error::invalid(
                            offset,
                            format!(
                                "instantiation argument `{}` conflicts with previous argument `{}`",
                                a.name, a.name
                            ),
                        ));
                    }
                    let t = self.item_type(a.sort, a.index, offset)?;
                    supplied.push((a.name.as_str(), t));
                }
                // Each type import is substituted by the supplied type as
                // soon as it is matched (Binary.md "Instance Definitions").
                let mut map = Subst::new();
                for (name, expected) in &ct.imports {
                    let Some((_, actual)) = supplied.iter().find(|(n, _)| n == name) else {
                        return Err(Error::invalid(
                            offset,
                            format!("missing import named `{name}`"),
                        ));
                    };
                    let expected = self.types.subst_extern(*expected, &mut map);
                    self.types
                        .match_resources(&expected, actual, &ct.imported_resources, &mut map);
                    let expected = self.types.subst_extern(expected, &mut map);
                    self.types.extern_subtype(*actual, expected).map_err(|e| {
                        Error::invalid(offset, format!("type mismatch in import `{name}`: {e}"))
                    })?;
                }
                // ∃ elimination: each instance gets fresh exported resources.
                self.types.freshen(&ct.defined_resources, &mut map);
                let exports = ct
                    .exports
                    .iter()
                    .map(|(n, e)| (n.clone(), self.types.subst_extern(*e, &mut map)))
                    .collect();
                self.types.push(TypeDef::Instance(InstanceType {
                    exports,
                    defined_resources: Vec::new(),
                }))
            }
            Instance::FromExports(exports) => {
                let mut it = InstanceType::default();
                let mut seen: Vec<(String, String)> = Vec::new();
                // The instance's own names for resources, for the
                // `[constructor]`/`[method]`/`[static]` rules.
                let mut names: BTreeMap<ResourceId, Vec<String>> = BTreeMap::new();
                let mut labels: BTreeSet<String> = BTreeSet::new();
                for e in exports {
                    let canon = super::names::canonicalize(&e.name.name);
                    if let Some((_, prev)) = seen.iter().find(|(c, _)| *c == canon) {
                        return Err(Error::invalid(
                            offset,
                            format!(
                                "export name `{}` conflicts with previous name `{prev}`",
                                e.name.name
                            ),
                        ));
                    }
                    seen.push((canon, e.name.name.clone()));
                    let mut t = self.item_type(e.sort, e.index, offset)?;
                    if let ExternType::Type(id) = t
                        && let Some(r) = self.types.resource_of(id)
                    {
                        // Like an export, this names the resource anew.
                        let alias = self.types.alias_resource(r);
                        t = ExternType::Type(self.types.push(TypeDef::Resource(alias)));
                        if super::names::is_label(&e.name.name) {
                            names.entry(alias).or_default().push(e.name.name.clone());
                            labels.insert(e.name.name.clone());
                        }
                    }
                    self.inline_export_name(e, &t, &names, &labels, offset)?;
                    it.exports.push((e.name.name.clone(), t));
                }
                self.types.push(TypeDef::Instance(it))
            }
        };
        self.push_extern(ExternType::Instance(t), false);
        Ok(())
    }
}
