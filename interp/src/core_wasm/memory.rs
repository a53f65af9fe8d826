//! Memory instances (core spec §4.2.8) and the memory instructions' effects
//! on them (§4.4.7 "Memory Instructions").
//!
//! Every access is bounds-checked against the current size; the checks are
//! done in `u64`, where `i32` addresses plus offsets cannot overflow.

use super::trap::TrapKind;
use super::types::MemoryType;
use alloc::vec::Vec;

/// The size of a memory page (§4.2.8).
pub const PAGE_SIZE: u64 = 65536;

/// The most pages witness gives any memory: 4 GiB, the whole 32-bit
/// address space. Keeping 64-bit memories within it too lets loads and
/// stores carry 32-bit offsets.
pub const MAX_PAGES: u64 = 65536;

/// A memory instance: its type (the maximum) and its bytes.
#[derive(Debug)]
pub(crate) struct MemInst {
    pub ty: MemoryType,
    pub data: Vec<u8>,
}

/// The range `[at, at + len)` of a buffer of `size` bytes or elements, if it
/// lies inside.
#[inline(always)]
pub(crate) fn range(at: u64, len: u64, size: usize) -> Option<core::ops::Range<usize>> {
    let end = at.checked_add(len)?;
    if end > size as u64 {
        return None;
    }
    Some(at as usize..end as usize)
}

/// The effective address `addr + offset` as an index, or `usize::MAX`
/// (beyond every memory) when it overflows: one comparison with the
/// memory's length then decides the bounds check.
#[inline(always)]
fn effective(addr: u64, offset: u64) -> usize {
    addr.checked_add(offset)
        .and_then(|ea| usize::try_from(ea).ok())
        .unwrap_or(usize::MAX)
}

/// Reads `N` bytes of memory `data` at `addr + offset` (the `t.load`
/// steps), or `None` when they are out of bounds (the trap's only cause, so
/// that the hot paths carry no trap value).
#[inline(always)]
pub(crate) fn load<const N: usize>(data: &[u8], addr: u64, offset: u64) -> Option<[u8; N]> {
    data.get(effective(addr, offset)..)?
        .first_chunk::<N>()
        .copied()
}

/// Writes `N` bytes of memory `data` at `addr + offset` (the `t.store`
/// steps), or `None` when they are out of bounds.
#[inline(always)]
pub(crate) fn store<const N: usize>(
    data: &mut [u8],
    addr: u64,
    offset: u64,
    bytes: [u8; N],
) -> Option<()> {
    *data
        .get_mut(effective(addr, offset)..)?
        .first_chunk_mut::<N>()? = bytes;
    Some(())
}

impl MemInst {
    /// The size in pages (`memory.size`).
    pub fn pages(&self) -> u64 {
        self.data.len() as u64 / PAGE_SIZE
    }

    /// Grows by `delta` pages (§4.5.3.9 `growmem`), returning the old size,
    /// or `None` when the maximum or the store's `limit` forbids it.
    pub fn grow(&mut self, delta: u64, limit: u64) -> Option<u64> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        if new
            > self
                .ty
                .limits
                .max
                .unwrap_or(u64::MAX)
                .min(limit)
                .min(MAX_PAGES)
        {
            return None;
        }
        self.data.resize((new * PAGE_SIZE) as usize, 0);
        Some(old)
    }

    /// `memory.fill`: the whole range is checked before any byte is written.
    pub fn fill(&mut self, d: u64, val: u8, n: u64) -> Result<(), TrapKind> {
        let r = range(d, n, self.data.len()).ok_or(TrapKind::OutOfBoundsMemoryAccess)?;
        self.data[r].fill(val);
        Ok(())
    }

    /// `memory.copy` within one memory (overlapping ranges allowed).
    pub fn copy_within(&mut self, d: u64, s: u64, n: u64) -> Result<(), TrapKind> {
        let len = self.data.len();
        let src = range(s, n, len).ok_or(TrapKind::OutOfBoundsMemoryAccess)?;
        range(d, n, len).ok_or(TrapKind::OutOfBoundsMemoryAccess)?;
        self.data.copy_within(src, d as usize);
        Ok(())
    }

    /// `memory.init` from a data instance, and `memory.copy` from another
    /// memory: copies `data[s..s + n]` to `d`.
    pub fn init(&mut self, d: u64, data: &[u8], s: u64, n: u64) -> Result<(), TrapKind> {
        let src = range(s, n, data.len()).ok_or(TrapKind::OutOfBoundsMemoryAccess)?;
        let dst = range(d, n, self.data.len()).ok_or(TrapKind::OutOfBoundsMemoryAccess)?;
        self.data[dst].copy_from_slice(&data[src]);
        Ok(())
    }
}
