//! The store and its instances (core spec §4.2 "Runtime Structure").
//!
//! Addresses are indices into the store's lists, as in §4.2.2. Nothing is
//! ever removed from a store, so an address stays valid as long as its store.

use super::choices::Choices;
use super::config::Config;
use super::exception::{ExnInst, TagInst};
use super::memory::{MAX_PAGES, MemInst, PAGE_SIZE};
use super::module::Code;
use super::table::TableInst;
use super::thread::Thread;
use super::trap::{Trap, TrapKind};
use super::types::{ExternType, FuncType, GlobalType, HeapType, MemoryType, TableType, ValType};
use super::value::Val;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

macro_rules! addrs {
    ($($(#[$doc:meta])* $name:ident),*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub(crate) u32);
        impl $name {
            /// The address as an index into the store's list.
            pub fn index(self) -> u32 { self.0 }
        }
    )*};
}

addrs! {
    /// A function address (§4.2.2).
    FuncAddr,
    /// A table address.
    TableAddr,
    /// A memory address.
    MemAddr,
    /// A global address.
    GlobalAddr,
    /// A tag address.
    TagAddr,
    /// A module instance's address.
    InstanceAddr
}

/// An external value (§4.2.11): what an import takes and an export gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extern {
    Func(FuncAddr),
    Table(TableAddr),
    Memory(MemAddr),
    Global(GlobalAddr),
    Tag(TagAddr),
}

/// A function instance (§4.2.6).
#[derive(Debug)]
pub(crate) enum FuncInst {
    /// A function of a module instance, with its pre-decoded code.
    Wasm {
        ty: u32,
        instance: InstanceAddr,
        index: u32,
        code: Arc<Code>,
    },
    /// A host function; `tag` is the embedder's name for it.
    Host { ty: u32, tag: u32 },
}

impl FuncInst {
    /// The function's type, as an index into [`Store::types`].
    pub(crate) fn ty(&self) -> u32 {
        match self {
            FuncInst::Wasm { ty, .. } | FuncInst::Host { ty, .. } => *ty,
        }
    }
}

/// A global instance (§4.2.9), its value's slots as one number (see
/// [`Val::bits`]).
#[derive(Debug)]
pub(crate) struct GlobalInst {
    pub ty: GlobalType,
    pub value: u128,
}

/// A data instance (§4.2.10): the segment's bytes, shared with the module,
/// until `data.drop` empties it.
#[derive(Debug)]
pub(crate) struct DataInst {
    pub bytes: Arc<[u8]>,
    pub dropped: bool,
}

impl DataInst {
    /// The bytes as instructions see them.
    pub fn bytes(&self) -> &[u8] {
        if self.dropped { &[] } else { &self.bytes }
    }
}

/// A module instance (§4.2.5): the addresses its indices stand for.
#[derive(Debug, Default)]
pub(crate) struct ModuleInst {
    /// Type index to the store's interned type.
    pub types: Vec<u32>,
    pub funcs: Vec<FuncAddr>,
    pub tables: Vec<TableAddr>,
    pub mems: Vec<MemAddr>,
    pub globals: Vec<GlobalAddr>,
    pub tags: Vec<TagAddr>,
    /// Element instances, as indices into [`Store::elems`].
    pub elems: Vec<u32>,
    /// Data instances, as indices into [`Store::datas`].
    pub datas: Vec<u32>,
    pub exports: BTreeMap<String, Extern>,
    /// Function names from the module's `name` section, for backtraces.
    pub func_names: Arc<BTreeMap<u32, String>>,
}

/// The store (§4.2.3): every instance allocated so far, plus fuel.
#[derive(Debug)]
pub struct Store {
    pub(crate) config: Config,
    /// Function types, interned so that equal types have equal indices
    /// (what `call_indirect`'s check compares).
    pub(crate) types: Vec<FuncType>,
    pub(crate) funcs: Vec<FuncInst>,
    pub(crate) tables: Vec<TableInst>,
    pub(crate) mems: Vec<MemInst>,
    pub(crate) globals: Vec<GlobalInst>,
    pub(crate) instances: Vec<ModuleInst>,
    /// Element instances (§4.2.10): references, emptied by `elem.drop`.
    pub(crate) elems: Vec<Vec<u64>>,
    /// Data instances (§4.2.10).
    pub(crate) datas: Vec<DataInst>,
    pub(crate) tags: Vec<TagInst>,
    /// Exception instances (§4.2.14). Like every instance they live as long
    /// as the store.
    pub(crate) exns: Vec<ExnInst>,
    /// Remaining fuel; `u64::MAX` stands for "no limit".
    pub(crate) fuel: u64,
    /// A thread whose buffers the next [`Store::call`] reuses.
    pub(crate) spare_thread: Option<Thread>,
    /// A results list given back ([`Store::give_results`]) for the next
    /// return from a thread to fill, so that a call allocates none.
    pub(crate) spare_results: Vec<Val>,
    /// Every implementation-dependent choice (relaxed SIMD for now).
    pub(crate) choices: Choices,
}

impl Store {
    /// An empty store.
    pub fn new(config: Config) -> Store {
        let fuel = config.fuel.unwrap_or(u64::MAX);
        Store {
            config,
            types: Vec::new(),
            funcs: Vec::new(),
            tables: Vec::new(),
            mems: Vec::new(),
            globals: Vec::new(),
            instances: Vec::new(),
            elems: Vec::new(),
            datas: Vec::new(),
            tags: Vec::new(),
            exns: Vec::new(),
            fuel,
            spare_thread: None,
            spare_results: Vec::new(),
            choices: Choices::default(),
        }
    }

    /// Gives back the results list of an [`Outcome::Return`](super::Outcome)
    /// once read, for the next return to fill.
    pub fn give_results(&mut self, mut results: Vec<Val>) {
        results.clear();
        self.spare_results = results;
    }

    /// The store's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Remaining fuel, or `None` when fuel is not metered.
    pub fn fuel(&self) -> Option<u64> {
        (self.fuel != u64::MAX).then_some(self.fuel)
    }

    /// Sets the remaining fuel; `None` stops metering.
    pub fn set_fuel(&mut self, fuel: Option<u64>) {
        self.fuel = fuel.map_or(u64::MAX, |f| f.min(u64::MAX - 1));
    }

    /// The choices the store makes where the specifications permit
    /// several behaviours (the deterministic profile unless set).
    pub fn choices(&self) -> &Choices {
        &self.choices
    }

    /// The store's choices, to fix a relaxed parameter for example.
    pub fn choices_mut(&mut self) -> &mut Choices {
        &mut self.choices
    }

    /// Replaces the store's choices.
    pub fn set_choices(&mut self, choices: Choices) {
        self.choices = choices;
    }

    /// Interns a function type.
    pub(crate) fn intern_type(&mut self, ty: &FuncType) -> u32 {
        match self.types.iter().position(|t| t == ty) {
            Some(i) => i as u32,
            None => {
                self.types.push(ty.clone());
                (self.types.len() - 1) as u32
            }
        }
    }

    /// Allocates a host function (§4.5.3.1 `allochostfunc`). When guest code
    /// calls it, the thread returns [`Outcome::Call`](super::Outcome::Call)
    /// with this `tag`.
    pub fn alloc_host_func(&mut self, ty: FuncType, tag: u32) -> FuncAddr {
        let ty = self.intern_type(&ty);
        self.funcs.push(FuncInst::Host { ty, tag });
        FuncAddr((self.funcs.len() - 1) as u32)
    }

    /// Allocates a table filled with `init` (§4.5.3.3 `alloctable`).
    ///
    /// # Errors
    /// A trap when `init` is not of the element type or the table is larger
    /// than the configured limit.
    pub fn alloc_table(&mut self, ty: TableType, init: Val) -> Result<TableAddr, Trap> {
        if !self.val_matches(&init, ty.elem) {
            return Err(Trap::new(TrapKind::Host(alloc::format!(
                "table initializer {init} is not a {}",
                ty.elem
            ))));
        }
        self.alloc_table_slot(ty, init.bits() as u64)
    }

    pub(crate) fn alloc_table_slot(&mut self, ty: TableType, init: u64) -> Result<TableAddr, Trap> {
        if ty.limits.min > self.config.max_table_elements {
            return Err(Trap::new(TrapKind::Host(alloc::format!(
                "table of {} elements exceeds the limit of {}",
                ty.limits.min,
                self.config.max_table_elements
            ))));
        }
        self.tables.push(TableInst {
            ty,
            elems: vec![init; ty.limits.min as usize],
        });
        Ok(TableAddr((self.tables.len() - 1) as u32))
    }

    /// Allocates a zeroed memory (§4.5.3.4 `allocmem`).
    ///
    /// # Errors
    /// A trap when the memory is larger than the configured limit.
    pub fn alloc_memory(&mut self, ty: MemoryType) -> Result<MemAddr, Trap> {
        if ty.limits.min > self.config.max_memory_pages.min(MAX_PAGES) {
            return Err(Trap::new(TrapKind::Host(alloc::format!(
                "memory of {} pages exceeds the limit of {}",
                ty.limits.min,
                self.config.max_memory_pages
            ))));
        }
        self.mems.push(MemInst {
            ty,
            data: vec![0; (ty.limits.min * PAGE_SIZE) as usize],
        });
        Ok(MemAddr((self.mems.len() - 1) as u32))
    }

    /// Allocates a global (§4.5.3.5 `allocglobal`). The value is converted
    /// to the global's type's slot encoding as it is.
    pub fn alloc_global(&mut self, ty: GlobalType, v: Val) -> GlobalAddr {
        self.alloc_global_slot(ty, v.bits())
    }

    pub(crate) fn alloc_global_slot(&mut self, ty: GlobalType, value: u128) -> GlobalAddr {
        self.globals.push(GlobalInst { ty, value });
        GlobalAddr((self.globals.len() - 1) as u32)
    }

    /// Allocates a tag whose exceptions carry `ty`'s parameters (§4.5.3.6
    /// `alloctag`).
    pub fn alloc_tag(&mut self, ty: FuncType) -> TagAddr {
        let ty = self.intern_type(&ty);
        self.tags.push(TagInst { ty });
        TagAddr((self.tags.len() - 1) as u32)
    }

    /// Whether a value is of type `ty` (§4.5.1 "Value Typing"): a function
    /// reference by its function's type, null only where null is allowed.
    pub fn val_matches(&self, v: &Val, ty: ValType) -> bool {
        let Some(r) = ty.as_ref() else {
            return v.ty() == ty;
        };
        let family = match v {
            Val::FuncRef(_) => HeapType::Func,
            Val::ExternRef(_) => HeapType::Extern,
            Val::ExnRef(_) => HeapType::Exn,
            _ => return false,
        };
        if r.heap.top() != family {
            return false;
        }
        match v {
            Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) => r.nullable,
            Val::FuncRef(Some(f)) => match r.heap {
                HeapType::Func => true,
                HeapType::Concrete(t) => self.funcs.get(f.0 as usize).is_some_and(|f| f.ty() == t),
                _ => false,
            },
            _ => r.heap == family,
        }
    }

    /// The export `name` of an instance.
    pub fn instance_export(&self, inst: InstanceAddr, name: &str) -> Option<Extern> {
        self.instances
            .get(inst.0 as usize)?
            .exports
            .get(name)
            .copied()
    }

    /// All exports of an instance, by name.
    pub fn instance_exports(&self, inst: InstanceAddr) -> impl Iterator<Item = (&str, Extern)> {
        self.instances
            .get(inst.0 as usize)
            .into_iter()
            .flat_map(|i| i.exports.iter().map(|(n, e)| (n.as_str(), *e)))
    }

    /// The translated code a function runs (`None` for a host function):
    /// its [`super::Module`]'s, shared by every instance of that module.
    #[cfg(test)]
    pub(crate) fn code(&self, f: FuncAddr) -> Option<&Arc<Code>> {
        match self.funcs.get(f.0 as usize)? {
            FuncInst::Wasm { code, .. } => Some(code),
            FuncInst::Host { .. } => None,
        }
    }

    /// The type of a function.
    pub fn func_type(&self, f: FuncAddr) -> &FuncType {
        &self.types[self.funcs[f.0 as usize].ty() as usize]
    }

    /// Element `i` of a `funcref` table, as `table.get` reads it: `None`
    /// for null.
    ///
    /// # Errors
    /// An index past the table's end traps, as `table.get` does.
    pub fn table_get_func(&self, t: TableAddr, i: u64) -> Result<Option<FuncAddr>, Trap> {
        let table = self
            .tables
            .get(t.0 as usize)
            .ok_or(Trap::new(super::trap::TrapKind::OutOfBoundsTableAccess))?;
        let slot = table.get(i).map_err(Trap::new)?;
        Ok(super::value::decode_ref(slot).map(FuncAddr))
    }

    /// A wasm function's name, for traces: its name in the module's
    /// `name` section, else a name its instance exports it under.
    pub fn func_name(&self, f: FuncAddr) -> Option<String> {
        let FuncInst::Wasm {
            instance, index, ..
        } = self.funcs.get(f.0 as usize)?
        else {
            return None;
        };
        let inst = self.instances.get(instance.0 as usize)?;
        inst.func_names.get(index).cloned().or_else(|| {
            inst.exports
                .iter()
                .find(|(_, e)| **e == Extern::Func(f))
                .map(|(n, _)| n.clone())
        })
    }

    /// The embedder's tag of a host function; `None` for wasm functions.
    pub fn host_tag(&self, f: FuncAddr) -> Option<u32> {
        match self.funcs.get(f.0 as usize)? {
            FuncInst::Host { tag, .. } => Some(*tag),
            FuncInst::Wasm { .. } => None,
        }
    }

    /// The current value of a global.
    pub fn global_get(&self, g: GlobalAddr) -> Val {
        let g = &self.globals[g.0 as usize];
        Val::read(g.ty.content, &[g.value as u64, (g.value >> 64) as u64])
    }

    /// The type of an external value (§4.5.2 "External Typing").
    pub fn extern_type(&self, e: Extern) -> ExternType {
        match e {
            Extern::Func(f) => ExternType::Func(self.func_type(f).clone()),
            Extern::Table(t) => {
                let t = &self.tables[t.0 as usize];
                let mut ty = t.ty;
                ty.limits.min = t.elems.len() as u64;
                ExternType::Table(ty)
            }
            Extern::Memory(m) => {
                let m = &self.mems[m.0 as usize];
                let mut ty = m.ty;
                ty.limits.min = m.data.len() as u64 / PAGE_SIZE;
                ExternType::Memory(ty)
            }
            Extern::Global(g) => ExternType::Global(self.globals[g.0 as usize].ty),
            Extern::Tag(t) => {
                ExternType::Tag(self.types[self.tags[t.0 as usize].ty as usize].clone())
            }
        }
    }

    /// A memory's bytes, for embedders and tests.
    pub fn memory(&self, m: MemAddr) -> &[u8] {
        &self.mems[m.0 as usize].data
    }

    /// A memory's bytes, mutable.
    pub fn memory_mut(&mut self, m: MemAddr) -> &mut [u8] {
        &mut self.mems[m.0 as usize].data
    }
}

/// Two distinct elements of a list, one to write and one to read (for
/// `table.copy` and `memory.copy` between two instances); `None` when
/// `dst == src` or either is out of range.
pub(crate) fn two_mut<T>(list: &mut [T], dst: usize, src: usize) -> Option<(&mut T, &T)> {
    if dst < src {
        let (a, b) = list.split_at_mut(src);
        Some((a.get_mut(dst)?, b.first()?))
    } else if dst > src {
        let (a, b) = list.split_at_mut(dst);
        Some((b.first_mut()?, a.get(src)?))
    } else {
        None
    }
}
