//! Dependency order for WIT.md "Name resolution": names may be used before
//! they are defined, but may not depend on themselves. Among the items
//! whose dependencies are all placed, the earliest declared goes first, so
//! the order is deterministic and close to the source order.

use super::ast::Id;
use super::error::{Rule, WitError, WitResult};
use super::map::OrderedMap;
use alloc::collections::BinaryHeap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::cmp::Reverse;

/// Orders the keys of `deps` so each comes after its dependencies.
///
/// # Errors
/// A dependency that is not a key (`{kind} `x` does not exist`) or a cycle
/// (`{kind} `x` depends on itself`).
pub fn toposort(kind: &str, deps: &OrderedMap<String, Vec<Id>>) -> WitResult<Vec<String>> {
    let n = deps.len();
    let mut remaining = vec![0usize; n];
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, (_, edges)) in deps.iter().enumerate() {
        remaining[i] = edges.len();
        for e in edges {
            let Some(j) = deps.get_index_of(&e.name) else {
                return Err(WitError::new(
                    Rule::UnknownName,
                    e.span,
                    format!("{kind} `{}` does not exist", e.name),
                ));
            };
            reverse[j].push(i);
        }
    }
    let mut heap = BinaryHeap::new();
    for (i, r) in remaining.iter().enumerate() {
        if *r == 0 {
            heap.push(Reverse(i));
        }
    }
    let mut order = Vec::new();
    while let Some(Reverse(i)) = heap.pop() {
        order.push(i);
        for k in core::mem::take(&mut reverse[i]) {
            remaining[k] -= 1;
            if remaining[k] == 0 {
                heap.push(Reverse(k));
            }
        }
    }
    if order.len() == n {
        return Ok(order
            .into_iter()
            .filter_map(|i| deps.get_index(i).map(|(k, _)| k.clone()))
            .collect());
    }
    for (i, (_, edges)) in deps.iter().enumerate() {
        if remaining[i] == 0 {
            continue;
        }
        for e in edges {
            let j = deps.get_index_of(&e.name).unwrap_or(i);
            if remaining[j] != 0 {
                return Err(WitError::new(
                    Rule::Cycle,
                    e.span,
                    format!("{kind} `{}` depends on itself", e.name),
                ));
            }
        }
    }
    Err(WitError::nowhere(
        Rule::Cycle,
        format!("{kind}s depend on each other"),
    ))
}
