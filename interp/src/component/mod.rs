//! Components at run time: the bridge between the Canonical ABI's store
//! (witness-canonical) and the core interpreter.

pub mod bridge;

#[cfg(test)]
mod tests;
