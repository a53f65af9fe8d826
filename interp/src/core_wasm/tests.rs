//! Tests of the interpreter as a whole: calls, traps, limits, resumption.

use super::*;
use alloc::vec;
use alloc::vec::Vec;

pub(super) fn instantiate(store: &mut Store, wat: &str, imports: &[Extern]) -> InstanceAddr {
    let bytes = wat::parse_str(wat).expect("test module parses");
    let module = Module::new(&bytes).expect("test module is valid");
    let inst = store
        .instantiate(&module, imports)
        .expect("test module instantiates");
    assert!(inst.start.is_none());
    inst.instance
}

pub(super) fn func(store: &Store, inst: InstanceAddr, name: &str) -> FuncAddr {
    match store.instance_export(inst, name) {
        Some(Extern::Func(f)) => f,
        other => panic!("export {name}: {other:?}"),
    }
}

pub(super) fn no_host(_: &mut Store, _: FuncAddr, _: u32, _: &[Val]) -> Result<Vec<Val>, Trap> {
    Err(Trap::new(TrapKind::Host("no host functions here".into())))
}

#[test]
fn factorial_and_fibonacci() {
    let mut store = Store::new(Config::default());
    let inst = instantiate(
        &mut store,
        r#"(module
            (func (export "fac") (param i64) (result i64)
              (if (result i64) (i64.eqz (local.get 0))
                (then (i64.const 1))
                (else (i64.mul (local.get 0) (call 0 (i64.sub (local.get 0) (i64.const 1)))))))
            (func (export "fib") (param i32) (result i32) (local i32 i32)
              (local.set 2 (i32.const 1))
              (block (loop
                (br_if 1 (i32.eqz (local.get 0)))
                (local.set 2 (i32.add (local.get 1) (local.tee 1 (local.get 2))))
                (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                (br 0)))
              (local.get 1)))"#,
        &[],
    );
    let fac = func(&store, inst, "fac");
    assert_eq!(
        store.call(fac, &[Val::I64(20)], &mut no_host),
        Ok(vec![Val::I64(2432902008176640000)])
    );
    let fib = func(&store, inst, "fib");
    assert_eq!(
        store.call(fib, &[Val::I32(30)], &mut no_host),
        Ok(vec![Val::I32(832040)])
    );
}

#[test]
fn deep_recursion_is_exhaustion_not_a_crash() {
    let mut store = Store::new(Config::default());
    let inst = instantiate(
        &mut store,
        r#"(module (func (export "down") (param i32) (result i32)
              (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                (else (i32.add (i32.const 1) (call 0 (i32.sub (local.get 0) (i32.const 1))))))))"#,
        &[],
    );
    let down = func(&store, inst, "down");
    let Err(CallError::Trap(t)) = store.call(down, &[Val::I32(1_000_000)], &mut no_host) else {
        panic!("expected a trap")
    };
    assert_eq!(t.message(), "call stack exhausted");
    assert!(t.kind.is_exhaustion());
    assert!(!t.backtrace.is_empty());
    // The same store still runs calls that fit.
    assert_eq!(
        store.call(down, &[Val::I32(1000)], &mut no_host),
        Ok(vec![Val::I32(1000)])
    );
}

#[test]
fn infinite_loop_runs_out_of_fuel() {
    let mut store = Store::new(Config {
        fuel: Some(10_000),
        ..Config::default()
    });
    let inst = instantiate(
        &mut store,
        r#"(module (func (export "spin") (loop (br 0))))"#,
        &[],
    );
    let spin = func(&store, inst, "spin");
    let Err(CallError::Trap(t)) = store.call(spin, &[], &mut no_host) else {
        panic!("expected a trap")
    };
    assert_eq!(t.kind, TrapKind::OutOfFuel);
    assert_eq!(store.fuel(), Some(0));
}

#[test]
fn host_calls_suspend_and_resume() {
    let mut store = Store::new(Config::default());
    let ty = FuncType {
        params: vec![ValType::I32],
        results: vec![ValType::I32, ValType::I64],
    };
    let host = store.alloc_host_func(ty, 7);
    let inst = instantiate(
        &mut store,
        r#"(module
            (import "env" "twice" (func $twice (param i32) (result i32 i64)))
            (func (export "f") (param i32) (result i64) (local $wide i64)
              (call $twice (local.get 0))
              (local.set $wide)
              (i64.extend_i32_u)
              (local.get $wide)
              (i64.add)))"#,
        &[Extern::Func(host)],
    );
    let f = func(&store, inst, "f");
    let mut thread = Thread::new(&store, f, &[Val::I32(21)]).unwrap();
    let outcome = thread.run(&mut store).unwrap();
    assert_eq!(
        outcome,
        Outcome::Call {
            func: host,
            tag: 7,
            args: vec![Val::I32(21)]
        }
    );
    assert!(matches!(
        thread.resume(&mut store, &[Val::I32(1)]),
        Err(CallError::Misuse(_))
    ));
    let outcome = thread
        .resume(&mut store, &[Val::I32(42), Val::I64(100)])
        .unwrap();
    assert_eq!(outcome, Outcome::Return(vec![Val::I64(142)]));
    assert!(thread.is_finished());
}

#[test]
fn traps_carry_a_backtrace_with_names() {
    let mut store = Store::new(Config::default());
    let inst = instantiate(
        &mut store,
        r#"(module
            (memory 1)
            (func $inner (param i32) (result i32) (i32.load (local.get 0)))
            (func (export "outer") (result i32) (call $inner (i32.const 65535))))"#,
        &[],
    );
    let outer = func(&store, inst, "outer");
    let Err(CallError::Trap(t)) = store.call(outer, &[], &mut no_host) else {
        panic!("expected a trap")
    };
    assert_eq!(t.message(), "out of bounds memory access");
    assert_eq!(t.backtrace.len(), 2);
    assert_eq!(t.backtrace[0].func_name.as_deref(), Some("inner"));
}

#[test]
fn unsupported_features_are_errors() {
    let bytes = wat::parse_str(r#"(module (type (struct (field i32))))"#).unwrap();
    let err = Module::new(&bytes).unwrap_err();
    assert_eq!(err.kind, ModuleErrorKind::Unsupported);
    let err = Module::new(b"\0asm\x01\0\0\0\x01").unwrap_err();
    assert_eq!(err.kind, ModuleErrorKind::Malformed);
}

#[test]
fn a_million_mutual_tail_calls_run_in_constant_stack() {
    let mut store = Store::new(Config::default());
    let inst = instantiate(
        &mut store,
        r#"(module
            (func $even (export "even") (param i64) (result i32)
              (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
                (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
            (func $odd (param i64) (result i32)
              (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
                (else (return_call $even (i64.sub (local.get 0) (i64.const 1)))))))"#,
        &[],
    );
    let even = func(&store, inst, "even");
    assert_eq!(
        store.call(even, &[Val::I64(1_000_000)], &mut no_host),
        Ok(vec![Val::I32(1)])
    );
    assert_eq!(
        store.call(even, &[Val::I64(1_000_001)], &mut no_host),
        Ok(vec![Val::I32(0)])
    );
}

#[test]
fn tail_call_of_a_host_function_resumes_into_the_caller() {
    let mut store = Store::new(Config::default());
    let ty = FuncType {
        params: vec![ValType::I32],
        results: vec![ValType::I32],
    };
    let host = store.alloc_host_func(ty, 1);
    let inst = instantiate(
        &mut store,
        r#"(module
            (import "env" "h" (func $h (param i32) (result i32)))
            (func $tail (param i32) (result i32) (return_call $h (local.get 0)))
            (func (export "f") (result i32) (i32.add (call $tail (i32.const 5)) (i32.const 100))))"#,
        &[Extern::Func(host)],
    );
    let f = func(&store, inst, "f");
    let r = store.call(f, &[], &mut |_, _, _, args| match args {
        [Val::I32(x)] => Ok(vec![Val::I32(x * 2)]),
        _ => Ok(vec![]),
    });
    assert_eq!(r, Ok(vec![Val::I32(110)]));
}

#[test]
fn exceptions_unwind_frames_to_the_innermost_handler() {
    let mut store = Store::new(Config::default());
    let ty = FuncType {
        params: vec![ValType::I32],
        results: vec![ValType::I32],
    };
    let host = store.alloc_host_func(ty, 3);
    let inst = instantiate(
        &mut store,
        r#"(module
            (import "env" "h" (func $h (param i32) (result i32)))
            (tag $e (param i32))
            (tag $other)
            (func $thrower (param i32) (throw $e (i32.add (local.get 0) (i32.const 1))))
            (func (export "caught") (param i32) (result i32)
              (block $done (result i32)
                (block $no
                  (try_table (catch $other $no) (catch $e $done)
                    (call $thrower (call $h (local.get 0)))))
                (i32.const -1)))
            (func (export "rethrown") (result i32)
              (block $outer (result i32)
                (try_table (catch $e $outer)
                  (block $inner (result exnref)
                    (try_table (catch_all_ref $inner) (call $thrower (i32.const 41)))
                    (unreachable))
                  (throw_ref))
                (i32.const -1)))
            (func (export "uncaught") (call $thrower (i32.const 6))))"#,
        &[Extern::Func(host)],
    );
    let caught = func(&store, inst, "caught");
    let mut thread = Thread::new(&store, caught, &[Val::I32(10)]).unwrap();
    assert!(matches!(
        thread.run(&mut store),
        Ok(Outcome::Call { tag: 3, .. })
    ));
    let outcome = thread.resume(&mut store, &[Val::I32(20)]).unwrap();
    assert_eq!(outcome, Outcome::Return(vec![Val::I32(21)]));

    let rethrown = func(&store, inst, "rethrown");
    assert_eq!(
        store.call(rethrown, &[], &mut no_host),
        Ok(vec![Val::I32(42)])
    );

    let uncaught = func(&store, inst, "uncaught");
    match store.call(uncaught, &[], &mut no_host) {
        Err(CallError::Exception(e)) => assert_eq!(e.payload, vec![Val::I32(7)]),
        other => panic!("expected an exception, got {other:?}"),
    }
}

#[test]
fn typed_function_references() {
    let mut store = Store::new(Config::default());
    let inst = instantiate(
        &mut store,
        r#"(module
            (type $ii (func (param i32) (result i32)))
            (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
            (elem declare func $inc)
            (func (export "apply") (param $f (ref null $ii)) (param i32) (result i32)
              (block $null
                (return (call_ref $ii (local.get 1) (br_on_null $null (local.get $f)))))
              (i32.const -1))
            (func (export "inc") (result (ref $ii)) (ref.func $inc))
            (func (export "force") (param (ref null $ii)) (result (ref $ii)) (ref.as_non_null (local.get 0))))"#,
        &[],
    );
    let apply = func(&store, inst, "apply");
    let inc = store
        .call(func(&store, inst, "inc"), &[], &mut no_host)
        .unwrap();
    assert!(matches!(inc[..], [Val::FuncRef(Some(_))]));
    assert_eq!(
        store.call(apply, &[inc[0], Val::I32(41)], &mut no_host),
        Ok(vec![Val::I32(42)])
    );
    assert_eq!(
        store.call(apply, &[Val::FuncRef(None), Val::I32(41)], &mut no_host),
        Ok(vec![Val::I32(-1)])
    );
    // A function of another type is not a `(ref null $ii)`.
    let force = func(&store, inst, "force");
    assert!(matches!(
        store.call(
            apply,
            &[Val::FuncRef(Some(force)), Val::I32(0)],
            &mut no_host
        ),
        Err(CallError::Misuse(_))
    ));
    let Err(CallError::Trap(t)) = store.call(force, &[Val::FuncRef(None)], &mut no_host) else {
        panic!("expected a trap")
    };
    assert_eq!(t.message(), "null reference");
}

#[test]
fn v128_values_take_two_slots_everywhere() {
    let mut store = Store::new(Config::default());
    let ty = FuncType {
        params: vec![ValType::V128, ValType::I32],
        results: vec![ValType::V128],
    };
    let host = store.alloc_host_func(ty, 9);
    let inst = instantiate(
        &mut store,
        r#"(module
            (import "env" "h" (func $h (param v128 i32) (result v128)))
            (global $g (mut v128) (v128.const i64x2 1 2))
            (memory 1)
            (func $pick (param $a v128) (param $b v128) (param $c i32) (result v128)
              (local $t v128)
              (local.set $t (select (local.get $a) (local.get $b) (local.get $c)))
              (block (result v128) (local.get $t) (br 0)))
            (func (export "f") (param i32) (result v128 i32)
              (v128.store (i32.const 16) (global.get $g))
              (global.set $g (call $pick (v128.const i64x2 3 4) (global.get $g) (local.get 0)))
              (drop (v128.const i32x4 0 0 0 0))
              (call $h (global.get $g) (i32.const 7))
              (i32.const 5)))"#,
        &[Extern::Func(host)],
    );
    let f = func(&store, inst, "f");
    let mut seen = Vec::new();
    let mut host_fn = |_: &mut Store, _: FuncAddr, _: u32, args: &[Val]| {
        seen.extend_from_slice(args);
        Ok(vec![Val::V128(u128::MAX)])
    };
    assert_eq!(
        store.call(f, &[Val::I32(1)], &mut host_fn),
        Ok(vec![Val::V128(u128::MAX), Val::I32(5)])
    );
    assert_eq!(seen, vec![Val::V128(3 | 4 << 64), Val::I32(7)]);
    seen.clear();
    let mut host_fn = |_: &mut Store, _: FuncAddr, _: u32, args: &[Val]| {
        seen.extend_from_slice(args);
        Ok(vec![args[0]])
    };
    assert_eq!(
        store.call(f, &[Val::I32(0)], &mut host_fn),
        Ok(vec![Val::V128(3 | 4 << 64), Val::I32(5)])
    );
    assert_eq!(
        store.memory(MemAddr(0))[16..32],
        (3u128 | 4 << 64).to_le_bytes()
    );
}

/// Found by fuzz/ (exec_diff): a failed `table.grow` of a 64-bit table
/// returned -1 as an i32 (zero-extended), not as an i64.
#[test]
fn failed_table_grow_is_minus_one_of_the_index_type() {
    let mut store = Store::new(Config::default());
    let inst = instantiate(
        &mut store,
        r#"(module
            (table $t64 i64 1 2 funcref)
            (table $t32 1 2 funcref)
            (func (export "grow64") (param i64) (result i64)
              (table.grow $t64 (ref.null func) (local.get 0)))
            (func (export "grow32") (param i32) (result i32)
              (table.grow $t32 (ref.null func) (local.get 0))))"#,
        &[],
    );
    let grow64 = func(&store, inst, "grow64");
    assert_eq!(
        store.call(grow64, &[Val::I64(5)], &mut no_host),
        Ok(vec![Val::I64(-1)])
    );
    assert_eq!(
        store.call(grow64, &[Val::I64(1)], &mut no_host),
        Ok(vec![Val::I64(1)])
    );
    let grow32 = func(&store, inst, "grow32");
    assert_eq!(
        store.call(grow32, &[Val::I32(5)], &mut no_host),
        Ok(vec![Val::I32(-1)])
    );
}

#[test]
fn a_started_thread_leaves_its_results_on_its_stack() {
    let mut store = Store::new(Config::default());
    let ty = FuncType {
        params: vec![ValType::I32],
        results: vec![ValType::I32, ValType::I64],
    };
    let host = store.alloc_host_func(ty, 7);
    let inst = instantiate(
        &mut store,
        r#"(module
            (import "env" "pair" (func $pair (param i32) (result i32 i64)))
            (func (export "f") (param i32) (result i32 i64 i32)
              (call $pair (local.get 0))
              (i64.const 1)
              (i64.add)
              (i32.const 9)))"#,
        &[Extern::Func(host)],
    );
    let f = func(&store, inst, "f");
    // A wasm entry: stopped at its host call, then returned in place.
    let mut thread = store.new_thread(f, &[Val::I32(2)]).unwrap();
    assert!(matches!(
        thread.start(&mut store),
        Ok(Some(Outcome::Call { tag: 7, .. }))
    ));
    assert_eq!(thread.returned(&store), None);
    assert_eq!(
        thread.answer(&mut store, &[Val::I32(-1), Val::I64(4)]),
        Ok(None)
    );
    // The stack is the results: the host's i32, its i64 plus one, 9.
    assert_eq!(
        thread.returned(&store),
        Some((
            &[ValType::I32, ValType::I64, ValType::I32][..],
            &[0xffff_ffff, 5, 9][..]
        ))
    );
    assert!(thread.is_finished());
    store.recycle_thread(thread);
    // A host entry: the answer is the return.
    let mut thread = store.new_thread(host, &[Val::I32(1)]).unwrap();
    assert!(matches!(
        thread.start(&mut store),
        Ok(Some(Outcome::Call { func, .. })) if func == host
    ));
    assert_eq!(
        thread.answer(&mut store, &[Val::I32(-1), Val::I64(2)]),
        Ok(None)
    );
    assert_eq!(
        thread.returned(&store),
        Some((&[ValType::I32, ValType::I64][..], &[0xffff_ffff, 2][..]))
    );
}

#[test]
fn a_return_fills_the_results_list_given_back() {
    let mut store = Store::new(Config::default());
    let inst = instantiate(
        &mut store,
        r#"(module (func (export "f") (param i32) (result i32 i64)
              (local.get 0) (i64.const 5)))"#,
        &[],
    );
    let f = func(&store, inst, "f");
    let given = Vec::with_capacity(4);
    let at = given.as_ptr();
    store.give_results(given);
    let mut thread = Thread::new(&store, f, &[Val::I32(3)]).unwrap();
    match thread.run(&mut store).unwrap() {
        Outcome::Return(vals) => {
            assert_eq!(vals, vec![Val::I32(3), Val::I64(5)]);
            assert_eq!(vals.as_ptr(), at, "the list given back is filled");
        }
        other => panic!("{other:?}"),
    }
}
