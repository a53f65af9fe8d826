//! Instantiation (core spec §4.5.4 "Instantiation") and allocation of a
//! module's instances (§4.5.3.10 "Modules").

use super::module::{Module, SegmentMode};
use super::store::{DataInst, Extern, FuncAddr, FuncInst, InstanceAddr, ModuleInst, Store};
use super::trap::Trap;
use super::types::{ExternType, GlobalType, Limits, TableType};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// A module instance whose start function is yet to run.
///
/// Instantiation stops before the start function (§4.5.4 step 15) so that
/// the embedder runs it like any other call, answering its host calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instantiated {
    pub instance: InstanceAddr,
    /// The start function, to be called with no arguments.
    pub start: Option<FuncAddr>,
}

/// Why instantiation failed.
#[derive(Clone, Debug, PartialEq)]
pub enum InstantiationError {
    /// The imports do not match the module's (§4.5.4 steps 3-4): "unknown
    /// import", "incompatible import type".
    Link(String),
    /// Initialising a table or memory from a segment trapped, or the store's
    /// limits refused an allocation.
    Trap(Trap),
}

impl fmt::Display for InstantiationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstantiationError::Link(m) => f.write_str(m),
            InstantiationError::Trap(t) => t.fmt(f),
        }
    }
}

impl core::error::Error for InstantiationError {}

impl From<Trap> for InstantiationError {
    fn from(t: Trap) -> Self {
        InstantiationError::Trap(t)
    }
}

/// Whether `actual` (the type of a provided external value) matches the
/// import type `expected` (§4.5.2 "Import Subtyping").
fn matches(actual: &ExternType, expected: &ExternType) -> bool {
    match (actual, expected) {
        (ExternType::Func(a), ExternType::Func(b)) => a == b,
        // Functions and tags: types are final, so subtyping is equality.
        (ExternType::Table(a), ExternType::Table(b)) => {
            a.elem == b.elem && a.table64 == b.table64 && a.limits.matches(&b.limits)
        }
        (ExternType::Memory(a), ExternType::Memory(b)) => {
            a.memory64 == b.memory64 && a.limits.matches(&b.limits)
        }
        (ExternType::Global(a), ExternType::Global(b)) if a.mutable => a == b,
        (ExternType::Global(a), ExternType::Global(b)) => {
            !b.mutable && a.content.matches(b.content)
        }
        (ExternType::Tag(a), ExternType::Tag(b)) => a == b,
        _ => false,
    }
}

impl Store {
    /// Instantiates `module` with `imports` given in the module's import
    /// order, up to (not including) running its start function.
    ///
    /// # Errors
    /// [`InstantiationError::Link`] when an import does not match,
    /// [`InstantiationError::Trap`] when a segment is out of bounds. As in
    /// the spec, segments applied before the failing one stay applied.
    pub fn instantiate(
        &mut self,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instantiated, InstantiationError> {
        if imports.len() != module.imports.len() {
            return Err(InstantiationError::Link(format!(
                "expected {} imports, got {}",
                module.imports.len(),
                imports.len()
            )));
        }
        let mut inst = ModuleInst::default();
        // §4.5.4 step 1: the module's types, canonicalised in the store.
        // A type refers to earlier ones, or to itself (`HeapType::SELF`).
        for (i, t) in module.types.iter().enumerate() {
            let t = t.map_concrete(|j| {
                inst.types
                    .get(j as usize)
                    .copied()
                    .filter(|_| j as usize != i)
                    .unwrap_or(u32::MAX)
            });
            inst.types.push(self.intern_type(&t));
        }
        let types = inst.types.clone();
        let map = move |j: u32| types.get(j as usize).copied().unwrap_or(u32::MAX);
        for (import, ext) in module.imports.iter().zip(imports) {
            let actual = self.extern_type(*ext);
            let expected = match &import.ty {
                ExternType::Func(f) => ExternType::Func(f.map_concrete(&map)),
                ExternType::Tag(f) => ExternType::Tag(f.map_concrete(&map)),
                ExternType::Table(t) => ExternType::Table(TableType {
                    elem: t.elem.map_concrete(&map),
                    ..*t
                }),
                ExternType::Global(g) => ExternType::Global(GlobalType {
                    content: g.content.map_concrete(&map),
                    ..*g
                }),
                ExternType::Memory(m) => ExternType::Memory(*m),
            };
            if !matches(&actual, &expected) {
                return Err(InstantiationError::Link(format!(
                    "incompatible import type for `{}` `{}`: expected {}, got {}",
                    import.module,
                    import.name,
                    describe(&import.ty),
                    describe(&actual)
                )));
            }
            match *ext {
                Extern::Func(f) => inst.funcs.push(f),
                Extern::Table(t) => inst.tables.push(t),
                Extern::Memory(m) => inst.mems.push(m),
                Extern::Global(g) => inst.globals.push(g),
                Extern::Tag(t) => inst.tags.push(t),
            }
        }
        let addr = InstanceAddr(self.instances.len() as u32);
        let imported_funcs = inst.funcs.len();
        for (i, code) in module.code.iter().enumerate() {
            let index = (imported_funcs + i) as u32;
            let ty = module
                .funcs
                .get(index as usize)
                .and_then(|t| inst.types.get(*t as usize))
                .copied()
                .unwrap_or(0);
            self.funcs.push(FuncInst::Wasm {
                ty,
                instance: addr,
                index,
                code: code.clone(),
            });
            inst.funcs.push(FuncAddr((self.funcs.len() - 1) as u32));
        }
        // Globals may refer to the imported ones and to earlier ones
        // (extended constant expressions).
        for (ty, init) in &module.globals {
            let v = init.eval(&inst.funcs, &inst.globals, &self.globals);
            let g = self.alloc_global_slot(
                GlobalType {
                    content: ty.content.map_concrete(&map),
                    ..*ty
                },
                v,
            );
            inst.globals.push(g);
        }
        for (ty, init) in &module.tables {
            let r = init.eval(&inst.funcs, &inst.globals, &self.globals);
            let ty = TableType {
                elem: ty.elem.map_concrete(&map),
                ..*ty
            };
            inst.tables.push(self.alloc_table_slot(ty, r as u64)?);
        }
        for ty in &module.tags {
            let ty = module
                .types
                .get(*ty as usize)
                .map(|t| t.map_concrete(&map))
                .unwrap_or_default();
            inst.tags.push(self.alloc_tag(ty));
        }
        for ty in &module.memories {
            inst.mems.push(self.alloc_memory(*ty)?);
        }
        for seg in &module.elems {
            let items: Vec<u64> = seg
                .items
                .iter()
                .map(|e| e.eval(&inst.funcs, &inst.globals, &self.globals) as u64)
                .collect();
            self.elems.push(items);
            inst.elems.push((self.elems.len() - 1) as u32);
        }
        for seg in &module.datas {
            self.datas.push(DataInst {
                bytes: seg.bytes.clone(),
                dropped: false,
            });
            inst.datas.push((self.datas.len() - 1) as u32);
        }
        for e in &module.exports {
            let ext = match e.ty {
                ExternType::Func(_) => inst.funcs.get(e.index as usize).copied().map(Extern::Func),
                ExternType::Table(_) => inst
                    .tables
                    .get(e.index as usize)
                    .copied()
                    .map(Extern::Table),
                ExternType::Memory(_) => {
                    inst.mems.get(e.index as usize).copied().map(Extern::Memory)
                }
                ExternType::Global(_) => inst
                    .globals
                    .get(e.index as usize)
                    .copied()
                    .map(Extern::Global),
                ExternType::Tag(_) => inst.tags.get(e.index as usize).copied().map(Extern::Tag),
            };
            if let Some(ext) = ext {
                inst.exports.insert(e.name.clone(), ext);
            }
        }
        inst.func_names = module.func_names.clone();
        let start = module
            .start
            .and_then(|s| inst.funcs.get(s as usize).copied());
        let elems = inst.elems.clone();
        let datas = inst.datas.clone();
        let tables = inst.tables.clone();
        let mems = inst.mems.clone();
        let globals = inst.globals.clone();
        let funcs = inst.funcs.clone();
        self.instances.push(inst);

        // §4.5.4 steps 12-13: active element segments become `table.init`
        // then `elem.drop`; declarative ones are dropped.
        for (seg, e) in module.elems.iter().zip(&elems) {
            match &seg.mode {
                SegmentMode::Passive => {}
                SegmentMode::Declarative => self.elems[*e as usize] = Vec::new(),
                SegmentMode::Active { index, offset } => {
                    let d = offset.eval(&funcs, &globals, &self.globals) as u64;
                    let items = core::mem::take(&mut self.elems[*e as usize]);
                    let n = items.len() as u64;
                    let table = &mut self.tables[tables[*index as usize].0 as usize];
                    table.init(d, &items, 0, n).map_err(Trap::new)?;
                }
            }
        }
        // Step 14: active data segments become `memory.init` then
        // `data.drop`.
        for (seg, d) in module.datas.iter().zip(&datas) {
            if let SegmentMode::Active { index, offset } = &seg.mode {
                let at = offset.eval(&funcs, &globals, &self.globals) as u64;
                let data = &mut self.datas[*d as usize];
                data.dropped = true;
                let mem = &mut self.mems[mems[*index as usize].0 as usize];
                mem.init(at, &seg.bytes, 0, seg.bytes.len() as u64)
                    .map_err(Trap::new)?;
            }
        }
        Ok(Instantiated {
            instance: addr,
            start,
        })
    }
}

/// An external type for a link error message.
fn describe(t: &ExternType) -> String {
    match t {
        ExternType::Func(f) => format!("{f}"),
        ExternType::Table(t) => format!(
            "(table{} {}) {})",
            if t.table64 { " i64" } else { "" },
            limits(&t.limits),
            t.elem
        ),
        ExternType::Memory(m) => format!(
            "(memory{} {})",
            if m.memory64 { " i64" } else { "" },
            limits(&m.limits)
        ),
        ExternType::Global(g) if g.mutable => format!("(global (mut {}))", g.content),
        ExternType::Global(g) => format!("(global {})", g.content),
        ExternType::Tag(t) => format!("(tag {t})"),
    }
}

fn limits(l: &Limits) -> String {
    match l.max {
        Some(max) => format!("{} {max}", l.min),
        None => format!("{}", l.min),
    }
}
