//! A list of `Copy` items kept inline up to `N` of them, on the heap
//! beyond: the spec's short lists that a call makes and drops (a task's
//! `threads`) without allocating in the common case.

use alloc::vec::Vec;
use core::ops::Deref;

/// A list of at most `N` items inline (the rest of `items` is filler),
/// or any number on the heap.
#[derive(Clone, Debug)]
pub enum InlineVec<T: Copy + Default, const N: usize> {
    Inline { len: usize, items: [T; N] },
    Heap(Vec<T>),
}

impl<T: Copy + Default, const N: usize> InlineVec<T, N> {
    pub fn new() -> Self {
        InlineVec::Inline {
            len: 0,
            items: [T::default(); N],
        }
    }

    /// Appends `v`, moving the list to the heap when it outgrows `N`.
    pub fn push(&mut self, v: T) {
        match self {
            InlineVec::Inline { len, items } => match items.get_mut(*len) {
                Some(slot) => {
                    *slot = v;
                    *len += 1;
                }
                None => {
                    let mut heap = Vec::with_capacity(N * 2);
                    heap.extend_from_slice(items);
                    heap.push(v);
                    *self = InlineVec::Heap(heap);
                }
            },
            InlineVec::Heap(vs) => vs.push(v),
        }
    }

    /// Keeps the items for which `keep` holds, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        match self {
            InlineVec::Inline { len, items } => {
                let mut kept = 0;
                for i in 0..*len {
                    if keep(&items[i]) {
                        items[kept] = items[i];
                        kept += 1;
                    }
                }
                *len = kept;
            }
            InlineVec::Heap(vs) => vs.retain(keep),
        }
    }
}

impl<T: Copy + Default, const N: usize> Default for InlineVec<T, N> {
    fn default() -> Self {
        InlineVec::new()
    }
}

impl<T: Copy + Default, const N: usize> Deref for InlineVec<T, N> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            InlineVec::Inline { len, items } => &items[..*len],
            InlineVec::Heap(vs) => vs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_inline_up_to_n_then_moves_to_the_heap_in_order() {
        let mut v: InlineVec<u32, 2> = InlineVec::new();
        assert!(v.is_empty());
        v.push(1);
        v.push(2);
        assert!(matches!(v, InlineVec::Inline { len: 2, .. }));
        v.push(3);
        assert!(matches!(v, InlineVec::Heap(_)));
        assert_eq!(&v[..], &[1, 2, 3]);
    }

    #[test]
    fn retain_keeps_order_inline_and_on_the_heap() {
        let mut v: InlineVec<u32, 4> = InlineVec::new();
        for i in 0..4 {
            v.push(i);
        }
        v.retain(|x| *x != 1);
        assert_eq!(&v[..], &[0, 2, 3]);
        v.push(4);
        v.push(5);
        v.retain(|x| x % 2 == 0);
        assert_eq!(&v[..], &[0, 2, 4]);
    }
}
