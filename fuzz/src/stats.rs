//! Counters of outcomes that are not bugs but are worth knowing (how many
//! modules were unsupported, how many runs were inconclusive), printed by the
//! plain loops at the end.

use std::collections::BTreeMap;
use std::sync::Mutex;

static COUNTS: Mutex<BTreeMap<&'static str, u64>> = Mutex::new(BTreeMap::new());

/// Adds one to the counter `what`.
pub fn count(what: &'static str) {
    if let Ok(mut c) = COUNTS.lock() {
        *c.entry(what).or_default() += 1;
    }
}

/// Every counter, by name.
pub fn snapshot() -> BTreeMap<&'static str, u64> {
    COUNTS.lock().map(|c| c.clone()).unwrap_or_default()
}

/// Adds `n` to the counter `what`.
pub fn count_n(what: &'static str, n: u64) {
    if let Ok(mut c) = COUNTS.lock() {
        *c.entry(what).or_default() += n;
    }
}
