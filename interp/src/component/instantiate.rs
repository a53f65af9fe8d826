//! Instantiation (Explainer.md "Instance Definitions", "Component
//! Invariants"): runs a component's definitions in order, filling its
//! index spaces, and yields its exports.
//!
//! Each component instance is a canonical `ComponentInstance` whose parent
//! is the instance that instantiated it (for `may_enter`'s donut
//! wrapping). Core modules are instantiated in the bridge's interpreter
//! store; a core start function runs as a synchronous call into the
//! component instance (a lifted `func()`), so that the lowered imports it
//! calls have a task to be subtasks of. Nested components are instantiated
//! eagerly, in definition order, with their arguments.

use super::bridge::CoreBridge;
use super::canon;
use super::error::{Error, internal};
use super::import_check;
use super::index_spaces::{ComponentDef, CoreExports, IndexSpaces, InstanceExports, Item};
use super::types::{self, RtType};
use crate::core_wasm::{Extern, FuncAddr, InstantiationError};
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use witness_canonical::store::{FuncInst, OnStart, Store};
use witness_canonical::{
    CanonicalOptions, FuncRef, FuncType, InstanceId, ResourceType, Trap, Value,
};
use witness_spec::ast::{
    self, Alias, CoreInstance, DefinitionKind, ExternType, Instance, OuterAliasSort, Sort, Start,
    TypeBound,
};

/// The arguments of an instantiation, by import name.
pub type Args<'a> = &'a dyn Fn(&str) -> Option<Item>;

/// Instantiates `def` with `args`, as a child of `parent` (`None` for the
/// host).
///
/// # Errors
/// A missing or ill-sorted import, a core link error, or a trap of a start
/// function.
pub fn instantiate(
    store: &Rc<Store>,
    def: &ComponentDef,
    args: Args<'_>,
    parent: Option<InstanceId>,
) -> Result<Rc<InstanceExports>, Error> {
    let inst = store.state.borrow_mut().instances.add(parent);
    let mut cx = Instantiation {
        store,
        inst,
        def,
        spaces: IndexSpaces::default(),
        exports: InstanceExports::default(),
        modules: 0,
        children: 0,
    };
    for d in &def.code.definitions {
        cx.definition(&d.kind, args)?;
    }
    Ok(Rc::new(cx.exports))
}

/// The state of one component instantiation.
pub(crate) struct Instantiation<'a> {
    pub store: &'a Rc<Store>,
    pub inst: InstanceId,
    def: &'a ComponentDef,
    pub spaces: IndexSpaces,
    exports: InstanceExports,
    /// Core modules and nested components seen so far.
    modules: usize,
    children: usize,
}

impl Instantiation<'_> {
    fn definition(&mut self, d: &DefinitionKind, args: Args<'_>) -> Result<(), Error> {
        match d {
            DefinitionKind::CoreModule(_) => {
                let m = self.def.code.modules.get(self.modules).cloned();
                self.modules += 1;
                self.spaces
                    .core_modules
                    .push(m.ok_or_else(|| internal("missing core module"))?);
            }
            DefinitionKind::CoreInstance(ci) => {
                let exports = self.core_instance(ci)?;
                self.spaces.core_instances.push(Rc::new(exports));
            }
            // Core types are checked by validation; nothing runs them.
            DefinitionKind::CoreType(_) => {}
            DefinitionKind::Component(_) => {
                let code = self.def.code.children.get(self.children).cloned();
                self.children += 1;
                let code = code.ok_or_else(|| internal("missing nested component"))?;
                let outer = Some(self.spaces.outer(self.def.outer.clone()));
                self.spaces
                    .components
                    .push(Rc::new(ComponentDef { code, outer }));
            }
            DefinitionKind::Instance(i) => {
                let exports = self.instance(i)?;
                self.spaces.instances.push(exports);
            }
            DefinitionKind::Alias(a) => self.alias(a)?,
            DefinitionKind::Type(t) => {
                let t = self.def_type(t)?;
                self.spaces.types.push(t);
            }
            DefinitionKind::Canon(c) => canon::canon(self, c)?,
            DefinitionKind::Start(s) => self.start(s)?,
            DefinitionKind::Import(import) => {
                let item = match import.ty {
                    ExternType::Type(TypeBound::Eq(i)) => self.spaces.get(Sort::Type, i)?,
                    ty => {
                        let mut scopes: Vec<&[RtType]> = Vec::new();
                        let mut outer = self.def.outer.as_deref();
                        while let Some(o) = outer {
                            scopes.push(&o.types);
                            outer = o.parent.as_deref();
                        }
                        scopes.reverse();
                        scopes.push(&self.spaces.types);
                        let item = match args(&import.name.name) {
                            Some(item) => item,
                            None => match import_check::types_only(&scopes, ty) {
                                Some(types) => Item::Instance(Rc::new(types)),
                                None => {
                                    let name = &import.name.name;
                                    let what = import_check::describe(&self.spaces.types, ty);
                                    return Err(Error::Link(format!(
                                        "missing import `{name}`: {what}"
                                    )));
                                }
                            },
                        };
                        if item.sort() != ty.sort() {
                            return Err(Error::Link(format!(
                                "import `{}` expects a {}, got a {}",
                                import.name.name,
                                ty.sort().name(),
                                item.sort().name()
                            )));
                        }
                        import_check::check(&scopes, &import.name.name, ty, &item)?;
                        item
                    }
                };
                self.spaces.push(item);
            }
            DefinitionKind::Export(e) => {
                let item = self.spaces.get(e.sort, e.index)?;
                self.exports
                    .exports
                    .push((e.name.name.clone(), item.clone()));
                // An export introduces a new index (Explainer.md "Export
                // Definitions").
                self.spaces.push(item);
            }
        }
        Ok(())
    }

    /// `core:instance`.
    fn core_instance(&mut self, ci: &CoreInstance) -> Result<CoreExports, Error> {
        match ci {
            CoreInstance::Instantiate { module, args } => {
                let module = self
                    .spaces
                    .core_modules
                    .get(*module as usize)
                    .cloned()
                    .ok_or_else(|| internal("unknown core module index"))?;
                let mut imports = Vec::new();
                for import in module.imports() {
                    let arg = args
                        .iter()
                        .find(|(name, _)| *name == import.module)
                        .and_then(|(_, i)| self.spaces.core_instances.get(*i as usize));
                    let e = arg.and_then(|exports| exports.get(&import.name));
                    imports.push(e.ok_or_else(|| {
                        Error::Link(format!(
                            "unknown import \"{}\" \"{}\"",
                            import.module, import.name
                        ))
                    })?);
                }
                let instantiated = {
                    let mut bridge = CoreBridge::of(self.store)?;
                    bridge
                        .core
                        .instantiate(&module, &imports)
                        .map_err(|e| match e {
                            InstantiationError::Link(m) => Error::Link(m),
                            InstantiationError::Trap(t) => Error::Trap(Trap {
                                kind: witness_canonical::TrapKind::Core(format!("{t}")),
                            }),
                        })?
                };
                if let Some(start) = instantiated.start {
                    self.core_start(start)?;
                }
                let bridge = CoreBridge::of(self.store)?;
                Ok(CoreExports(
                    bridge
                        .core
                        .instance_exports(instantiated.instance)
                        .map(|(n, e)| (String::from(n), e))
                        .collect(),
                ))
            }
            CoreInstance::FromExports(list) => Ok(CoreExports(
                list.iter()
                    .map(|e| Ok((e.name.clone(), self.spaces.get_core(e.sort, e.index)?)))
                    .collect::<Result<_, Error>>()?,
            )),
        }
    }

    /// A core module's start function: called like a lifted `func()` of
    /// this component instance, by the host.
    fn core_start(&self, start: FuncAddr) -> Result<(), Error> {
        let f = self.store.lift(
            FuncRef(start.index()),
            FuncType::default(),
            CanonicalOptions::default(),
            self.inst,
        );
        call(self.store, &f, OnStart::Lent(&[]))?;
        Ok(())
    }

    /// 🪙 `start` (Explainer.md "Start Definitions"): the function runs
    /// when instantiation reaches the definition, called as the host calls
    /// a function. Its arguments and result would be values (🪙), which
    /// witness does not run, so only a start function without parameters
    /// and result runs.
    fn start(&self, s: &Start) -> Result<(), Error> {
        if !s.args.is_empty() || s.results != 0 {
            return Err(Error::Trap(Trap::from(
                witness_canonical::TrapKind::Unsupported("component values (🪙)"),
            )));
        }
        let f = self
            .spaces
            .funcs
            .get(s.func as usize)
            .ok_or_else(|| internal("unknown func index"))?;
        call(self.store, &f.inst, OnStart::Lent(&[]))?;
        Ok(())
    }

    /// `instance`.
    fn instance(&mut self, i: &Instance) -> Result<Rc<InstanceExports>, Error> {
        match i {
            Instance::Instantiate { component, args } => {
                let def = self
                    .spaces
                    .components
                    .get(*component as usize)
                    .cloned()
                    .ok_or_else(|| internal("unknown component index"))?;
                let args = args
                    .iter()
                    .map(|a| Ok((a.name.clone(), self.spaces.get(a.sort, a.index)?)))
                    .collect::<Result<Vec<(String, Item)>, Error>>()?;
                let lookup = |name: &str| {
                    args.iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, item)| item.clone())
                };
                instantiate(self.store, &def, &lookup, Some(self.inst))
            }
            Instance::FromExports(list) => Ok(Rc::new(InstanceExports {
                exports: list
                    .iter()
                    .map(|e| Ok((e.name.name.clone(), self.spaces.get(e.sort, e.index)?)))
                    .collect::<Result<_, Error>>()?,
            })),
        }
    }

    /// `alias`.
    fn alias(&mut self, a: &Alias) -> Result<(), Error> {
        match a {
            Alias::Export {
                instance,
                name,
                sort,
            } => {
                let inst = self
                    .spaces
                    .instances
                    .get(*instance as usize)
                    .ok_or_else(|| internal("unknown instance index"))?;
                let item = inst
                    .get(name)
                    .cloned()
                    .ok_or_else(|| Error::Link(format!("instance has no export `{name}`")))?;
                if item.sort() != *sort {
                    return Err(internal("an aliased export of another sort"));
                }
                self.spaces.push(item);
            }
            Alias::CoreExport {
                instance,
                name,
                sort,
            } => {
                let e = self
                    .spaces
                    .core_instances
                    .get(*instance as usize)
                    .and_then(|i| i.get(name))
                    .ok_or_else(|| Error::Link(format!("core instance has no export `{name}`")))?;
                self.spaces.push_core(*sort, e);
            }
            Alias::Outer { count, index, sort } => {
                if *count == 0 {
                    let item = match sort {
                        OuterAliasSort::CoreType => return Ok(()),
                        OuterAliasSort::CoreModule => self.spaces.get(Sort::CoreModule, *index)?,
                        OuterAliasSort::Type => self.spaces.get(Sort::Type, *index)?,
                        OuterAliasSort::Component => self.spaces.get(Sort::Component, *index)?,
                    };
                    self.spaces.push(item);
                    return Ok(());
                }
                let mut outer = self.def.outer.clone();
                for _ in 1..*count {
                    outer = outer.and_then(|o| o.parent.clone());
                }
                let outer = outer.ok_or_else(|| internal("an outer alias past the root"))?;
                let missing = || internal("unknown outer alias index");
                let i = *index as usize;
                let item = match sort {
                    OuterAliasSort::CoreType => return Ok(()),
                    OuterAliasSort::CoreModule => {
                        Item::CoreModule(outer.core_modules.get(i).cloned().ok_or_else(missing)?)
                    }
                    OuterAliasSort::Type => {
                        Item::Type(outer.types.get(i).cloned().ok_or_else(missing)?)
                    }
                    OuterAliasSort::Component => {
                        Item::Component(outer.components.get(i).cloned().ok_or_else(missing)?)
                    }
                };
                self.spaces.push(item);
            }
        }
        Ok(())
    }

    /// `type`: value and function types resolved; each `resource` a fresh
    /// resource type implemented by this instance.
    fn def_type(&mut self, t: &ast::DefType) -> Result<RtType, Error> {
        let types = &self.spaces.types;
        Ok(match t {
            ast::DefType::Val(d) => RtType::Val(types::def_val_type(types, d)?),
            ast::DefType::Func(f) => RtType::Func(Rc::new(types::func_type(types, f)?)),
            ast::DefType::Resource { dtor, .. } => {
                let dtor = match dtor {
                    Some(d) => match self.spaces.core_funcs.get(*d as usize) {
                        Some(Extern::Func(f)) => Some(FuncRef(f.index())),
                        _ => return Err(internal("a destructor that is not a core function")),
                    },
                    None => None,
                };
                let name = format!("resource {}", self.spaces.types.len());
                RtType::Resource(ResourceType::new(self.inst, dtor, name))
            }
            ast::DefType::Instance(decls) => RtType::Instance(Rc::new(decls.clone())),
            ast::DefType::Component(_) => RtType::Other,
        })
    }
}

/// Calls a component function from the host (`Store.invoke`), returning
/// its result. A cancelled call (the callee resolving without a result)
/// is reported as the deadlock it leaves the host in.
///
/// # Errors
/// The trap that ended the call.
#[inline]
pub fn call(store: &Rc<Store>, f: &FuncInst, args: OnStart<'_>) -> Result<Vec<Value>, Trap> {
    let (call, _on_cancel) = store.invoke_host(f, args)?;
    // An `async` callee may return before it resolves: the host runs the
    // store's other threads (`Store.tick`) until it does.
    loop {
        if let Some(v) = store.take_host_result(call) {
            return Ok(v);
        }
        let trap = match store.tick() {
            Ok(true) => continue,
            Ok(false) => store.deadlock(),
            Err(trap) => trap,
        };
        store.end_host_call(call);
        return Err(trap);
    }
}
