//! An insertion-ordered map: WIT keeps declaration order everywhere (the
//! printer and the binary encoding both follow it), so every name table of
//! the resolved model is one of these.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// A map that iterates in insertion order.
#[derive(Debug, Clone)]
pub struct OrderedMap<K, V> {
    entries: Vec<(K, V)>,
    index: BTreeMap<K, usize>,
}

impl<K, V> Default for OrderedMap<K, V> {
    fn default() -> Self {
        OrderedMap {
            entries: Vec::new(),
            index: BTreeMap::new(),
        }
    }
}

impl<K: Ord + Clone, V> OrderedMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Inserts `value` at `key`; an existing key keeps its position and the
    /// old value is returned.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        if let Some(&i) = self.index.get(&key) {
            return Some(core::mem::replace(&mut self.entries[i].1, value));
        }
        self.index.insert(key.clone(), self.entries.len());
        self.entries.push((key, value));
        None
    }

    /// The value at `key`.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.index.get(key).map(|&i| &self.entries[i].1)
    }

    /// The value at `key`, mutably.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        match self.index.get(key) {
            Some(&i) => Some(&mut self.entries[i].1),
            None => None,
        }
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &K) -> bool {
        self.index.contains_key(key)
    }

    /// Entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Values in insertion order, mutably.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// Values in insertion order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Keys in insertion order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry at position `i`.
    pub fn get_index(&self, i: usize) -> Option<(&K, &V)> {
        self.entries.get(i).map(|(k, v)| (k, v))
    }

    /// The position of `key`.
    pub fn get_index_of(&self, key: &K) -> Option<usize> {
        self.index.get(key).copied()
    }

    /// Keeps the entries for which `f` holds, in order.
    pub fn retain(&mut self, mut f: impl FnMut(&K, &V) -> bool) {
        let entries = core::mem::take(&mut self.entries);
        self.index.clear();
        for (k, v) in entries {
            if f(&k, &v) {
                self.insert(k, v);
            }
        }
    }

    /// Stable sort of the entries by `key`.
    pub fn sort_by_key<T: Ord>(&mut self, mut key: impl FnMut(&K, &V) -> T) {
        let mut entries = core::mem::take(&mut self.entries);
        entries.sort_by_cached_key(|(k, v)| key(k, v));
        self.index.clear();
        for (k, v) in entries {
            self.insert(k, v);
        }
    }

    /// Consumes the map into its entries, in order.
    pub fn into_entries(self) -> Vec<(K, V)> {
        self.entries
    }
}
