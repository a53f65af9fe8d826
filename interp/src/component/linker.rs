//! The embedding API's `Linker`: what the host provides to a component's
//! imports, by name — host functions, host resource types, and instances
//! (host-defined, or another component's, which is runtime composition).
//! An import asking for `ns:pkg/iface@1.2.0` is served by the definition
//! of the highest compatible version ([`super::semver`]).

use super::engine::Component;
use super::error::Error;
use super::host::{HostFunc, host_func};
use super::index_spaces::{ComponentDef, Func, InstanceExports, Item};
use super::instance::Instance;
use super::instantiate::instantiate;
use super::semver;
use super::store::Store;
use super::types::RtType;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use witness_canonical::{FuncType, ResourceType, Trap, ValType, Value};

/// Definitions by name, for instantiation; a nested instance is a nested
/// `Linker`.
#[derive(Clone, Default)]
pub struct Linker {
    items: Vec<(String, Item)>,
    instances: Vec<(String, Linker)>,
}

impl Linker {
    pub fn new() -> Linker {
        Linker::default()
    }

    fn define(&mut self, name: &str, item: Item) -> &mut Self {
        self.items.retain(|(n, _)| n != name);
        self.instances.retain(|(n, _)| n != name);
        self.items.push((String::from(name), item));
        self
    }

    /// Defines host function `name` of type `ty`.
    pub fn func(
        &mut self,
        name: &str,
        ty: FuncType,
        f: impl Fn(&[Value]) -> Result<Vec<Value>, Trap> + 'static,
    ) -> &mut Self {
        let f: HostFunc = Rc::new(f);
        let item = Item::Func(Func {
            inst: host_func(f),
            ty: Rc::new(ty),
        });
        self.define(name, item)
    }

    /// Defines the resource type `name` (see [`Store::resource_type`]).
    pub fn resource(&mut self, name: &str, rt: ResourceType) -> &mut Self {
        self.define(name, Item::Type(RtType::Resource(rt)))
    }

    /// Defines the value type `name`.
    pub fn ty(&mut self, name: &str, t: ValType) -> &mut Self {
        self.define(name, Item::Type(RtType::Val(t)))
    }

    /// Defines `name` as an instantiated component's instance: runtime
    /// composition.
    pub fn define_instance(&mut self, name: &str, instance: &Instance) -> &mut Self {
        self.define(name, instance.item())
    }

    /// The nested instance `name` (an interface such as
    /// `ns:pkg/iface@1.0.0`), to define functions and resources in;
    /// created empty if there is none.
    pub fn instance(&mut self, name: &str) -> &mut Linker {
        let at = match self.instances.iter().position(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                self.items.retain(|(n, _)| n != name);
                self.instances.push((String::from(name), Linker::new()));
                self.instances.len() - 1
            }
        };
        &mut self.instances[at].1
    }

    /// These definitions as an instance's exports.
    fn exports(&self) -> InstanceExports {
        let mut exports = self.items.clone();
        for (n, l) in &self.instances {
            exports.push((n.clone(), Item::Instance(Rc::new(l.exports()))));
        }
        InstanceExports { exports }
    }

    /// The definition serving the import `name`.
    fn lookup(&self, name: &str) -> Option<Item> {
        let names = (self.items.iter().map(|(n, _)| n.as_str()))
            .chain(self.instances.iter().map(|(n, _)| n.as_str()));
        let best = semver::best(name, names)?;
        if let Some((_, item)) = self.items.iter().find(|(n, _)| n == best) {
            return Some(item.clone());
        }
        let (_, l) = self.instances.iter().find(|(n, _)| n == best)?;
        Some(Item::Instance(Rc::new(l.exports())))
    }

    /// Instantiates `component` in `store` with these definitions.
    ///
    /// # Errors
    /// [`Error::Link`] for an import without a fitting definition,
    /// [`Error::Trap`] when a start function traps.
    pub fn instantiate(&self, store: &Store, component: &Component) -> Result<Instance, Error> {
        let def = ComponentDef {
            code: component.code.clone(),
            outer: None,
        };
        let lookup = |name: &str| self.lookup(name);
        let exports: Rc<InstanceExports> = instantiate(&store.inner, &def, &lookup, None)?;
        Ok(Instance { exports })
    }
}
