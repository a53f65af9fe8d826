//! The `spectest` module that the core test suite imports from, as the
//! reference interpreter's harness (`host/spectest.ml`) defines it.
//!
//! Its functions print nothing here; they are host functions told apart by
//! their tag.

use std::collections::HashMap;
use witness_interp::core_wasm::{
    Extern, FuncType, GlobalType, Limits, MemoryType, Store, TableType, Trap, TrapKind, Val,
    ValType,
};

/// Host function tags of the `spectest` functions, in the order of
/// [`FUNCS`]; embedders that add host functions of their own use tags from
/// [`FIRST_FREE_TAG`] on.
const FUNCS: &[(&str, &[ValType])] = &[
    ("print", &[]),
    ("print_i32", &[ValType::I32]),
    ("print_i64", &[ValType::I64]),
    ("print_f32", &[ValType::F32]),
    ("print_f64", &[ValType::F64]),
    ("print_i32_f32", &[ValType::I32, ValType::F32]),
    ("print_f64_f64", &[ValType::F64, ValType::F64]),
];

/// The first host tag that `spectest` does not use.
pub const FIRST_FREE_TAG: u32 = FUNCS.len() as u32;

/// Allocates the `spectest` instance's externs in `store` and returns them
/// by name.
///
/// # Panics
///
/// Never: the table and memory are far below any sensible [`Store`] limit;
/// should a configuration forbid them, they are left out (imports of them
/// then fail to link).
pub fn instantiate(store: &mut Store) -> HashMap<String, Extern> {
    let mut exports = HashMap::new();
    for (tag, (name, params)) in FUNCS.iter().enumerate() {
        let ty = FuncType {
            params: params.to_vec(),
            results: Vec::new(),
        };
        exports.insert(
            name.to_string(),
            Extern::Func(store.alloc_host_func(ty, tag as u32)),
        );
    }
    let globals = [
        ("global_i32", Val::I32(666)),
        ("global_i64", Val::I64(666)),
        ("global_f32", Val::F32(666.6f32.to_bits())),
        ("global_f64", Val::F64(666.6f64.to_bits())),
    ];
    for (name, v) in globals {
        let ty = GlobalType {
            content: v.ty(),
            mutable: false,
        };
        exports.insert(name.to_string(), Extern::Global(store.alloc_global(ty, v)));
    }
    let tables = [("table", false), ("table64", true)];
    for (name, table64) in tables {
        let limits = Limits {
            min: 10,
            max: Some(20),
        };
        let ty = TableType {
            limits,
            table64,
            elem: ValType::FuncRef,
        };
        if let Ok(t) = store.alloc_table(ty, Val::FuncRef(None)) {
            exports.insert(name.to_string(), Extern::Table(t));
        }
    }
    let memory = MemoryType {
        limits: Limits {
            min: 1,
            max: Some(2),
        },
        memory64: false,
    };
    if let Ok(m) = store.alloc_memory(memory) {
        exports.insert("memory".to_string(), Extern::Memory(m));
    }
    exports
}

/// Runs the `spectest` host function with `tag`: the `print*` functions
/// return nothing.
///
/// # Errors
///
/// A trap for a tag that is not a `spectest` function's.
pub fn call(tag: u32, _args: &[Val]) -> Result<Vec<Val>, Trap> {
    if tag < FIRST_FREE_TAG {
        Ok(Vec::new())
    } else {
        Err(Trap::new(TrapKind::Host(format!(
            "unknown host function (tag {tag})"
        ))))
    }
}
