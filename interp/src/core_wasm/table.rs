//! Table instances (core spec §4.2.7) and the table instructions' effects on
//! them (§4.4.7 "Table Instructions"). Elements are references in slot
//! encoding (see [`value`](super::value)).

use super::memory::range;
use super::trap::TrapKind;
use super::types::TableType;
use alloc::vec::Vec;

/// A table instance: its type (the maximum) and its elements.
#[derive(Debug)]
pub(crate) struct TableInst {
    pub ty: TableType,
    pub elems: Vec<u64>,
}

const OOB: TrapKind = TrapKind::OutOfBoundsTableAccess;

impl TableInst {
    /// `table.get`.
    pub fn get(&self, i: u64) -> Result<u64, TrapKind> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.elems.get(i))
            .copied()
            .ok_or(OOB)
    }

    /// `table.set`.
    pub fn set(&mut self, i: u64, r: u64) -> Result<(), TrapKind> {
        let e = usize::try_from(i)
            .ok()
            .and_then(|i| self.elems.get_mut(i))
            .ok_or(OOB)?;
        *e = r;
        Ok(())
    }

    /// Grows by `delta` elements set to `init` (§4.5.3.8 `growtable`),
    /// returning the old size, or `None` when the maximum or the store's
    /// `limit` forbids it.
    pub fn grow(&mut self, delta: u64, init: u64, limit: u64) -> Option<u64> {
        let old = self.elems.len() as u64;
        let new = old.checked_add(delta)?;
        if new > self.ty.limits.max.unwrap_or(u64::MAX).min(limit) {
            return None;
        }
        self.elems.resize(new as usize, init);
        Some(old)
    }

    /// `table.fill`.
    pub fn fill(&mut self, i: u64, r: u64, n: u64) -> Result<(), TrapKind> {
        let dst = range(i, n, self.elems.len()).ok_or(OOB)?;
        self.elems[dst].fill(r);
        Ok(())
    }

    /// `table.copy` within one table (overlapping ranges allowed).
    pub fn copy_within(&mut self, d: u64, s: u64, n: u64) -> Result<(), TrapKind> {
        let src = range(s, n, self.elems.len()).ok_or(OOB)?;
        range(d, n, self.elems.len()).ok_or(OOB)?;
        self.elems.copy_within(src, d as usize);
        Ok(())
    }

    /// `table.init` from an element instance, and `table.copy` from another
    /// table: copies `src[s..s + n]` to `d`.
    pub fn init(&mut self, d: u64, src: &[u64], s: u64, n: u64) -> Result<(), TrapKind> {
        let from = range(s, n, src.len()).ok_or(OOB)?;
        let to = range(d, n, self.elems.len()).ok_or(OOB)?;
        self.elems[to].copy_from_slice(&src[from]);
        Ok(())
    }
}
