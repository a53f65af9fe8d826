//! Core modules lifted and lowered through the canonical store.

use super::bridge::{CoreBridge, HostFn};
use crate::core_wasm::{self, Config, Extern, FuncType, Module, ValType};
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;
use witness_canonical::store::{CoreCall, OnStart, Store};
use witness_canonical::{
    CanonicalOptions, FuncRef, InstanceId, MemRef, StringValue, TrapKind, Value,
};

fn instantiate(store: &Store, wat: &str, imports: &[Extern]) -> core_wasm::InstanceAddr {
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut bridge = CoreBridge::of(store).unwrap();
    bridge.core.instantiate(&module, imports).unwrap().instance
}

fn export(store: &Store, inst: core_wasm::InstanceAddr, name: &str) -> Extern {
    CoreBridge::of(store)
        .unwrap()
        .core
        .instance_export(inst, name)
        .unwrap()
}

fn func_ref(e: Extern) -> FuncRef {
    match e {
        Extern::Func(f) => FuncRef(f.index()),
        _ => panic!("not a function"),
    }
}

fn ft(
    params: &[witness_canonical::ValType],
    result: Option<witness_canonical::ValType>,
) -> witness_canonical::FuncType {
    witness_canonical::FuncType {
        params: params
            .iter()
            .enumerate()
            .map(|(i, t)| (i.to_string(), t.clone()))
            .collect(),
        result,
        async_: false,
    }
}

fn invoke(
    store: &Rc<Store>,
    f: &witness_canonical::store::FuncInst,
    args: Vec<Value>,
) -> Result<Vec<Value>, witness_canonical::Trap> {
    let (call, _) = store.invoke_host(f, OnStart::Args(args))?;
    Ok(store.take_host_result(call).unwrap_or_default())
}

const MEMORY_AND_REALLOC: &str = r#"
  (memory (export "mem") 1)
  (global $next (mut i32) (i32.const 1024))
  (func (export "realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get 2))))
    (global.set $next (i32.add (local.get $p) (local.get 3)))
    (local.get $p))
"#;

fn opts_of(store: &Store, inst: core_wasm::InstanceAddr) -> CanonicalOptions {
    let Extern::Memory(m) = export(store, inst, "mem") else {
        panic!()
    };
    CanonicalOptions {
        memory: Some(MemRef(m.index())),
        realloc: Some(func_ref(export(store, inst, "realloc"))),
        ..CanonicalOptions::default()
    }
}

#[test]
fn the_host_calls_a_lifted_core_function_with_a_string() {
    let store = Store::new(Box::new(CoreBridge::new(core_wasm::Store::new(
        Config::default(),
    ))));
    let core = instantiate(
        &store,
        &alloc::format!(
            r#"(module {MEMORY_AND_REALLOC}
              (func (export "len") (param i32 i32) (result i32) (local.get 1)))"#
        ),
        &[],
    );
    let inst = store.state.borrow_mut().instances.add(None);
    let opts = opts_of(&store, core);
    let f = store.lift(
        func_ref(export(&store, core, "len")),
        ft(
            &[witness_canonical::ValType::String],
            Some(witness_canonical::ValType::U32),
        ),
        opts,
        inst,
    );
    let r = invoke(
        &store,
        &f,
        vec![Value::String(StringValue::from_host("héllo"))],
    );
    assert_eq!(r, Ok(vec![Value::U32(6)]));
}

/// Component A's core code calls its import: component B's lifted `add`,
/// lowered into A — lower∘lift, the fused adapter. B calling A back traps.
#[test]
fn a_lowered_import_runs_another_components_lifted_export() {
    let store = Store::new(Box::new(CoreBridge::new(core_wasm::Store::new(
        Config::default(),
    ))));
    let (a, b) = {
        let mut s = store.state.borrow_mut();
        (s.instances.add(None), s.instances.add(None))
    };
    let t = ft(
        &[
            witness_canonical::ValType::U32,
            witness_canonical::ValType::U32,
        ],
        Some(witness_canonical::ValType::U32),
    );
    let b_core = instantiate(
        &store,
        r#"(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))"#,
        &[],
    );
    let b_add = store.lift(
        func_ref(export(&store, b_core, "add")),
        t.clone(),
        CanonicalOptions::default(),
        b,
    );
    let lowered = store.lower(b_add, t.clone(), CanonicalOptions::default());
    let host: HostFn = Rc::new(move |s, args| CoreCall::Pending(lowered(s, args)));
    let core_ty = FuncType {
        params: vec![ValType::I32, ValType::I32],
        results: vec![ValType::I32],
    };
    let import = CoreBridge::of(&store).unwrap().add_host_fn(core_ty, host);
    let a_core = instantiate(
        &store,
        r#"(module (import "b" "add" (func $add (param i32 i32) (result i32)))
             (func (export "run") (param i32 i32) (result i32)
               (i32.add (call $add (local.get 0) (local.get 1)) (i32.const 1000))))"#,
        &[Extern::Func(import)],
    );
    let a_run = store.lift(
        func_ref(export(&store, a_core, "run")),
        t,
        CanonicalOptions::default(),
        a,
    );
    assert_eq!(
        invoke(&store, &a_run, vec![Value::U32(20), Value::U32(22)]),
        Ok(vec![Value::U32(1042)])
    );
    // Entering A again while it runs is reentrance.
    store.state.borrow_mut().instances.enter_from(a, None);
    let err = invoke(&store, &a_run, vec![Value::U32(1), Value::U32(2)]).unwrap_err();
    assert_eq!(err.kind, TrapKind::CannotEnter);
    let _ = InstanceId(0);
}
