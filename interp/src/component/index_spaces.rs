//! Index Spaces (Explainer.md "Index Spaces") at run time: one list per
//! sort of what a component instance's definitions made, and the items
//! that instances export.
//!
//! Conventions: `spaces` is a component instance's [`IndexSpaces`]; an
//! [`Item`] is what a component-level index names; a core [`Extern`] what
//! a core index names (addresses in the bridge's interpreter store).

use super::code::Code;
use super::error::{Error, internal};
use super::types::RtType;
use crate::core_wasm::{Extern, Module};
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use witness_canonical::FuncType;
use witness_canonical::store::FuncInst;
use witness_spec::ast::{CoreSort, Sort};

/// A component function: the spec's `FuncInst` and its type.
#[derive(Clone)]
pub struct Func {
    pub inst: FuncInst,
    pub ty: Rc<FuncType>,
}

impl core::fmt::Debug for Func {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "func {:?}", self.ty)
    }
}

/// What a component-level index names.
#[derive(Clone, Debug)]
pub enum Item {
    Func(Func),
    Type(RtType),
    Component(Rc<ComponentDef>),
    Instance(Rc<InstanceExports>),
    CoreModule(Rc<Module>),
}

impl Item {
    /// The item's sort.
    pub fn sort(&self) -> Sort {
        match self {
            Item::Func(_) => Sort::Func,
            Item::Type(_) => Sort::Type,
            Item::Component(_) => Sort::Component,
            Item::Instance(_) => Sort::Instance,
            Item::CoreModule(_) => Sort::CoreModule,
        }
    }
}

/// A component instance as its exports (what an `instance` index names).
#[derive(Clone, Debug, Default)]
pub struct InstanceExports {
    pub exports: Vec<(String, Item)>,
}

impl InstanceExports {
    /// The export `name`.
    pub fn get(&self, name: &str) -> Option<&Item> {
        self.exports.iter().find(|(n, _)| n == name).map(|(_, i)| i)
    }
}

/// A core instance as its exports (what a `core instance` index names).
#[derive(Clone, Debug, Default)]
pub struct CoreExports(pub Vec<(String, Extern)>);

impl CoreExports {
    /// The export `name`.
    pub fn get(&self, name: &str) -> Option<Extern> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, e)| *e)
    }
}

/// A component definition: its code and the enclosing components' index
/// spaces that its outer aliases may name (as they were where it was
/// defined).
#[derive(Debug)]
pub struct ComponentDef {
    pub code: Rc<Code>,
    pub outer: Option<Rc<Outer>>,
}

/// The sorts an `alias outer` may name, of one enclosing component.
#[derive(Debug, Default)]
pub struct Outer {
    pub core_modules: Vec<Rc<Module>>,
    pub types: Vec<RtType>,
    pub components: Vec<Rc<ComponentDef>>,
    pub parent: Option<Rc<Outer>>,
}

/// The index spaces of one component instance.
#[derive(Default)]
pub struct IndexSpaces {
    pub core_funcs: Vec<Extern>,
    pub core_tables: Vec<Extern>,
    pub core_memories: Vec<Extern>,
    pub core_globals: Vec<Extern>,
    pub core_tags: Vec<Extern>,
    pub core_modules: Vec<Rc<Module>>,
    pub core_instances: Vec<Rc<CoreExports>>,
    pub funcs: Vec<Func>,
    pub types: Vec<RtType>,
    pub components: Vec<Rc<ComponentDef>>,
    pub instances: Vec<Rc<InstanceExports>>,
}

fn at<T: Clone>(space: &[T], i: u32, what: &str) -> Result<T, Error> {
    space.get(i as usize).cloned().ok_or_else(|| internal(what))
}

impl IndexSpaces {
    /// Appends `item` to its sort's index space.
    pub fn push(&mut self, item: Item) {
        match item {
            Item::Func(f) => self.funcs.push(f),
            Item::Type(t) => self.types.push(t),
            Item::Component(c) => self.components.push(c),
            Item::Instance(i) => self.instances.push(i),
            Item::CoreModule(m) => self.core_modules.push(m),
        }
    }

    /// The item at `index` of `sort`'s index space.
    pub fn get(&self, sort: Sort, index: u32) -> Result<Item, Error> {
        Ok(match sort {
            Sort::Func => Item::Func(at(&self.funcs, index, "unknown func index")?),
            Sort::Type => Item::Type(at(&self.types, index, "unknown type index")?),
            Sort::Component => {
                Item::Component(at(&self.components, index, "unknown component index")?)
            }
            Sort::Instance => Item::Instance(at(&self.instances, index, "unknown instance index")?),
            Sort::CoreModule => {
                Item::CoreModule(at(&self.core_modules, index, "unknown module index")?)
            }
            Sort::Value => return Err(internal("values (🪙) are not run")),
        })
    }

    fn core_space(&mut self, sort: CoreSort) -> &mut Vec<Extern> {
        match sort {
            CoreSort::Func | CoreSort::FuncExact => &mut self.core_funcs,
            CoreSort::Table => &mut self.core_tables,
            CoreSort::Memory => &mut self.core_memories,
            CoreSort::Global => &mut self.core_globals,
            CoreSort::Tag => &mut self.core_tags,
        }
    }

    /// Appends a core item to its sort's index space.
    pub fn push_core(&mut self, sort: CoreSort, e: Extern) {
        self.core_space(sort).push(e);
    }

    /// The core item at `index` of `sort`'s index space.
    pub fn get_core(&mut self, sort: CoreSort, index: u32) -> Result<Extern, Error> {
        at(self.core_space(sort), index, "unknown core index")
    }

    /// What nested component definitions may alias: a snapshot of the
    /// sorts an `alias outer` can name.
    pub fn outer(&self, parent: Option<Rc<Outer>>) -> Rc<Outer> {
        Rc::new(Outer {
            core_modules: self.core_modules.clone(),
            types: self.types.clone(),
            components: self.components.clone(),
            parent,
        })
    }
}
