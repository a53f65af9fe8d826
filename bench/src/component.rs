//! The component benchmark: component.wat's four exported functions, each
//! called many times through an engine's component embedding API.
//!
//! | function | argument per call | result checked |
//! |---|---|---|
//! | `add(u32, u32) -> u32` | `(i, 1)` | `i + 1` |
//! | `sum-list(list<u32>) -> u64` | `[0, 1, .., 999]` (1000 elements) | 499500 |
//! | `echo(string) -> string` | a 1000-byte ASCII string | the same string |
//! | `fib(u64) -> u64` | 20 | 6765 |

/// One of component.wat's exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComponentFunc {
    Add,
    SumList,
    Echo,
    Fib,
}

impl ComponentFunc {
    pub const ALL: [ComponentFunc; 4] = [
        ComponentFunc::Add,
        ComponentFunc::SumList,
        ComponentFunc::Echo,
        ComponentFunc::Fib,
    ];

    /// The export's name in component.wat.
    pub fn export(self) -> &'static str {
        match self {
            ComponentFunc::Add => "add",
            ComponentFunc::SumList => "sum-list",
            ComponentFunc::Echo => "echo",
            ComponentFunc::Fib => "fib",
        }
    }

    /// The benchmark's name, with its workload.
    pub fn bench_name(self) -> &'static str {
        match self {
            ComponentFunc::Add => "component add(u32,u32)",
            ComponentFunc::SumList => "component sum-list(1000 x u32)",
            ComponentFunc::Echo => "component echo(1000-byte string)",
            ComponentFunc::Fib => "component fib(20)",
        }
    }

    /// How many calls one measurement makes (`quick` for smoke runs).
    pub fn calls(self, quick: bool) -> u64 {
        let n = match self {
            ComponentFunc::Add => 1_000_000,
            ComponentFunc::SumList => 100_000,
            ComponentFunc::Echo => 200_000,
            ComponentFunc::Fib => 1_000,
        };
        if quick { n / 100 } else { n }
    }

    pub fn from_name(name: &str) -> Option<ComponentFunc> {
        ComponentFunc::ALL.into_iter().find(|f| f.export() == name)
    }
}

/// The list passed to `sum-list`.
pub fn sum_list_arg() -> Vec<u32> {
    (0..1000).collect()
}

/// The string passed to `echo`.
pub fn echo_arg() -> String {
    "witness!".repeat(125)
}

/// `fib`'s argument and result.
pub const FIB_N: u64 = 20;
pub const FIB_RESULT: u64 = 6765;
