//! The host's side of its resources: each representation (`rep`) the
//! guest's handles carry indexes an entry here. The guest's handle tables
//! (witness-canonical) hold the handles; dropping an owning handle runs
//! the resource type's destructor, which removes the entry.

use crate::filesystem::{Descriptor, DirEntries};
use crate::io::{InputStream, OutputStream, Pollable};
use crate::vals::trap;
use witness_interp::component::Trap;

/// A host resource.
pub enum Entry {
    /// `wasi:io/error.error`: what failed.
    Error(std::io::Error),
    Pollable(Pollable),
    Input(InputStream),
    Output(OutputStream),
    Descriptor(Descriptor),
    DirEntries(DirEntries),
    /// `terminal-input`, `terminal-output` and `wasi:sockets/network`:
    /// resources without state.
    Token,
}

/// Entries by representation; freed representations are reused.
#[derive(Default)]
pub struct Table {
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
}

impl Table {
    /// Adds `e`, returning its representation.
    pub fn push(&mut self, e: Entry) -> u32 {
        if let Some(rep) = self.free.pop() {
            self.entries[rep as usize] = Some(e);
            return rep;
        }
        self.entries.push(Some(e));
        (self.entries.len() - 1) as u32
    }

    /// The entry `rep`.
    ///
    /// # Errors
    /// A trap if there is none (the guest's handle tables rule that out).
    pub fn get(&mut self, rep: u32) -> Result<&mut Entry, Trap> {
        match self.entries.get_mut(rep as usize) {
            Some(Some(e)) => Ok(e),
            _ => Err(trap(format!("witness-wasi: no resource {rep}"))),
        }
    }

    /// Removes the entry `rep` (a destructor).
    pub fn remove(&mut self, rep: u32) -> Option<Entry> {
        let e = self.entries.get_mut(rep as usize)?.take();
        if e.is_some() {
            self.free.push(rep);
        }
        e
    }
}

/// Accessors for the entries of one kind: `table.input(rep)` and so on.
macro_rules! kinds {
    ($($name:ident: $variant:ident($t:ty),)*) => {
        impl Table {
            $(
                #[doc = concat!("The `", stringify!($variant), "` entry `rep`.")]
                pub fn $name(&mut self, rep: u32) -> Result<&mut $t, Trap> {
                    match self.get(rep)? {
                        Entry::$variant(x) => Ok(x),
                        _ => Err(trap(format!(
                            concat!("witness-wasi: resource {} is not a ", stringify!($name)),
                            rep
                        ))),
                    }
                }
            )*
        }
    };
}

kinds! {
    error: Error(std::io::Error),
    pollable: Pollable(Pollable),
    input: Input(InputStream),
    output: Output(OutputStream),
    descriptor: Descriptor(Descriptor),
    dir_entries: DirEntries(DirEntries),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn representations_are_reused_after_removal() {
        let mut t = Table::default();
        let a = t.push(Entry::Token);
        let b = t.push(Entry::Token);
        assert_ne!(a, b);
        assert!(t.remove(a).is_some());
        assert!(t.get(a).is_err());
        assert!(t.remove(a).is_none());
        assert_eq!(t.push(Entry::Token), a);
        assert!(t.error(b).is_err());
    }
}
