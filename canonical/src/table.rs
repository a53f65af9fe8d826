//! Table State (CanonicalABI.md "Table State"): a growable array of
//! elements that core wasm names by `i32` index, with a free list; index 0
//! is reserved.

use crate::trap::{Trap, TrapKind, trap_if};
use alloc::vec;
use alloc::vec::Vec;

/// `Table`.
#[derive(Clone, Debug)]
pub struct Table<T> {
    pub array: Vec<Option<T>>,
    pub free: Vec<u32>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table::new()
    }
}

impl<T> Table<T> {
    /// `MAX_LENGTH`: the high 4 bits of an index stay free for guests.
    pub const MAX_LENGTH: u64 = (1 << 28) - 1;

    /// `Table()`: element 0 reserved and empty.
    pub fn new() -> Table<T> {
        Table {
            array: vec![None],
            free: Vec::new(),
        }
    }

    /// The live elements with their indices (`__iter__`).
    pub fn iter(&self) -> impl Iterator<Item = (u32, &T)> {
        self.array
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.as_ref().map(|e| (i as u32, e)))
    }

    /// `get`: traps on an index past the end or of a hole.
    pub fn get(&self, i: u64) -> Result<&T, Trap> {
        trap_if(i >= self.array.len() as u64, TrapKind::UnknownHandle(i))?;
        self.array[i as usize].as_ref().ok_or(Trap {
            kind: TrapKind::UnknownHandle(i),
        })
    }

    /// `get`, for changing the element in place.
    pub fn get_mut(&mut self, i: u64) -> Result<&mut T, Trap> {
        trap_if(i >= self.array.len() as u64, TrapKind::UnknownHandle(i))?;
        self.array[i as usize].as_mut().ok_or(Trap {
            kind: TrapKind::UnknownHandle(i),
        })
    }

    /// `add`: fills a hole if there is one, else grows.
    pub fn add(&mut self, e: T) -> Result<u32, Trap> {
        if let Some(i) = self.free.pop() {
            self.array[i as usize] = Some(e);
            Ok(i)
        } else {
            let i = self.array.len() as u64;
            trap_if(i > Self::MAX_LENGTH, TrapKind::TableFull)?;
            self.array.push(Some(e));
            Ok(i as u32)
        }
    }

    /// `remove`.
    pub fn remove(&mut self, i: u64) -> Result<T, Trap> {
        self.get(i)?;
        let e = self.array[i as usize].take().ok_or(Trap {
            kind: TrapKind::UnknownHandle(i),
        })?;
        self.free.push(i as u32);
        Ok(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_zero_is_reserved_and_holes_are_reused() {
        let mut t = Table::new();
        assert!(t.get(0).is_err());
        assert_eq!(t.add('a'), Ok(1));
        assert_eq!(t.add('b'), Ok(2));
        assert_eq!(t.remove(1), Ok('a'));
        assert_eq!(
            t.get(1),
            Err(Trap {
                kind: TrapKind::UnknownHandle(1)
            })
        );
        assert_eq!(t.add('c'), Ok(1));
        assert_eq!(
            t.get(7),
            Err(Trap {
                kind: TrapKind::UnknownHandle(7)
            })
        );
        assert_eq!(
            t.iter().map(|(_, e)| *e).collect::<Vec<_>>(),
            vec!['c', 'b']
        );
    }
}
