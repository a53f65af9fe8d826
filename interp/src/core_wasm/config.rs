//! Store configuration: fuel and the resource limits that keep any input from
//! hanging or exhausting the host.

/// Limits and fuel for a [`Store`](super::Store).
///
/// Running into a limit is never a host crash: memory or table growth beyond
/// it fails as the spec's `grow` failure (`-1`), deeper calls or a larger
/// operand stack trap with "call stack exhausted", and spent fuel traps with
/// "out of fuel".
#[derive(Clone, Debug)]
pub struct Config {
    /// Instruction budget; `None` runs without limit.
    pub fuel: Option<u64>,
    /// Most pages a memory may have (allocation and `memory.grow`). Values
    /// above 65536 (4 GiB) act as 65536, for 64-bit memories too.
    pub max_memory_pages: u64,
    /// Most elements a table may have (allocation and `table.grow`).
    pub max_table_elements: u64,
    /// Most nested wasm frames on one thread.
    pub max_call_depth: usize,
    /// Most operand-stack slots (locals and operands) on one thread.
    pub max_stack_slots: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            fuel: None,
            max_memory_pages: 65536,
            max_table_elements: 10_000_000,
            max_call_depth: 100_000,
            max_stack_slots: 8 << 20,
        }
    }
}
