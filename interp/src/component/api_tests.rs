//! The embedding API: host functions and resources through a `Linker`
//! (with semver-compatible names), runtime composition, and calls.

use super::{Component, Engine, Error, FuncType, Linker, Store, TrapKind, Val, ValType};
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use core::cell::RefCell;

fn component(engine: &Engine, wat: &str) -> Component {
    Component::new(engine, &wat::parse_str(wat).unwrap()).unwrap()
}

fn ft(params: &[ValType], result: Option<ValType>) -> FuncType {
    FuncType {
        params: params
            .iter()
            .enumerate()
            .map(|(i, t)| (alloc::format!("p{i}"), t.clone()))
            .collect(),
        result,
        async_: false,
    }
}

const DOUBLER: &str = r#"(component
  (import "host:math/ops@1.2.0" (instance $ops
    (export "double" (func (param "x" u32) (result u32)))))
  (core func $double (canon lower (func $ops "double")))
  (core module $M
    (import "ops" "double" (func $double (param i32) (result i32)))
    (func (export "run") (param i32) (result i32)
      (i32.add (call $double (local.get 0)) (i32.const 1))))
  (core instance $m (instantiate $M (with "ops" (instance (export "double" (func $double))))))
  (func (export "run") (param "x" u32) (result u32) (canon lift (core func $m "run"))))"#;

#[test]
fn a_host_function_serves_a_compatible_versioned_import() {
    let engine = Engine::default();
    let c = component(&engine, DOUBLER);
    let store = Store::new(&engine);
    let mut linker = Linker::new();
    linker.instance("host:math/ops@1.4.0").func(
        "double",
        ft(&[ValType::U32], Some(ValType::U32)),
        |args| match args {
            [Val::U32(x)] => Ok(vec![Val::U32(x * 2)]),
            _ => Ok(vec![]),
        },
    );
    let inst = linker.instantiate(&store, &c).unwrap();
    let run = inst.func("run").unwrap();
    assert_eq!(run.call(&store, &[Val::U32(20)]), Ok(vec![Val::U32(41)]));
    // Wrong arguments are a misuse, not a trap.
    assert!(matches!(
        run.call(&store, &[Val::S32(1)]),
        Err(Error::Misuse(_))
    ));
    // A host function of another type does not link.
    let mut wrong = Linker::new();
    wrong.instance("host:math/ops@1.2.0").func(
        "double",
        ft(&[ValType::String], Some(ValType::U32)),
        |_| Ok(vec![]),
    );
    assert!(matches!(wrong.instantiate(&store, &c), Err(Error::Link(_))));
    // An incompatible version does not link.
    let mut old = Linker::new();
    old.instance("host:math/ops@2.0.0");
    assert!(matches!(old.instantiate(&store, &c), Err(Error::Link(_))));
}

#[test]
fn a_host_resource_is_created_by_the_host_and_destroyed_by_the_guest() {
    let engine = Engine::default();
    let c = component(
        &engine,
        r#"(component
  (import "thing" (type $thing (sub resource)))
  (import "make" (func $make (result (own $thing))))
  (core func $make (canon lower (func $make)))
  (core func $drop (canon resource.drop $thing))
  (core module $M
    (import "" "make" (func $make (result i32)))
    (import "" "drop" (func $drop (param i32)))
    (func (export "run") (result i32)
      (local $h i32)
      (local.set $h (call $make))
      (call $drop (local.get $h))
      (local.get $h)))
  (core instance $m (instantiate $M (with "" (instance
    (export "make" (func $make)) (export "drop" (func $drop))))))
  (func (export "run") (result u32) (canon lift (core func $m "run"))))"#,
    );
    let store = Store::new(&engine);
    let dropped = Rc::new(RefCell::new(Vec::new()));
    let d = dropped.clone();
    let thing = store
        .resource_type(
            "thing",
            Some(Rc::new(move |rep| {
                d.borrow_mut().push(rep);
                Ok(())
            })),
        )
        .unwrap();
    let mut linker = Linker::new();
    linker.resource("thing", thing.clone()).func(
        "make",
        ft(&[], Some(ValType::Own(thing))),
        |_| Ok(vec![Val::Handle(7)]),
    );
    let inst = linker.instantiate(&store, &c).unwrap();
    // The guest's first handle is index 1; dropping it ran the host's dtor.
    assert_eq!(
        inst.func("run").unwrap().call(&store, &[]),
        Ok(vec![Val::U32(1)])
    );
    assert_eq!(*dropped.borrow(), vec![7]);
}

#[test]
fn one_components_instance_links_into_another_at_run_time() {
    let engine = Engine::default();
    let provider = component(
        &engine,
        r#"(component
  (core module $M
    (global $n (mut i32) (i32.const 0))
    (func (export "double") (param i32) (result i32)
      (global.set $n (i32.add (global.get $n) (i32.const 1)))
      (i32.shl (local.get 0) (i32.const 1))))
  (core instance $m (instantiate $M))
  (func $double (param "x" u32) (result u32) (canon lift (core func $m "double")))
  (instance $ops (export "double" (func $double)))
  (export "host:math/ops@1.2.3" (instance $ops)))"#,
    );
    let consumer = component(&engine, DOUBLER);
    let store = Store::new(&engine);
    let p = Linker::new().instantiate(&store, &provider).unwrap();
    let ops = p.instance("host:math/ops@1.2.0").unwrap();
    let mut linker = Linker::new();
    linker.define_instance("host:math/ops@1.2.3", &ops);
    let c = linker.instantiate(&store, &consumer).unwrap();
    assert_eq!(
        c.func("run").unwrap().call(&store, &[Val::U32(4)]),
        Ok(vec![Val::U32(9)])
    );
    let names: Vec<String> = p.exports().map(|(n, _)| n.to_string()).collect();
    assert_eq!(names, vec!["host:math/ops@1.2.3"]);
}

#[test]
fn a_trap_is_reported_and_the_instance_may_not_be_entered_again() {
    let engine = Engine::default();
    let c = component(
        &engine,
        r#"(component
  (core module $M (func (export "f") unreachable))
  (core instance $m (instantiate $M))
  (func (export "f") (canon lift (core func $m "f"))))"#,
    );
    let store = Store::new(&engine);
    let inst = Linker::new().instantiate(&store, &c).unwrap();
    let f = inst.func("f").unwrap();
    match f.call(&store, &[]) {
        Err(Error::Trap(t)) => assert!(t.to_string().contains("unreachable"), "{t}"),
        other => panic!("{other:?}"),
    }
    match f.call(&store, &[]) {
        Err(Error::Trap(t)) => assert_eq!(t.kind, TrapKind::CannotEnter),
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_components_and_missing_imports_are_errors() {
    let engine = Engine::default();
    assert!(matches!(
        Component::new(&engine, b"\0asm\x0d\0\x01\0garbage"),
        Err(Error::Invalid(_))
    ));
    let c = component(&engine, DOUBLER);
    let store = Store::new(&engine);
    match Linker::new().instantiate(&store, &c) {
        Err(Error::Link(m)) => assert!(m.contains("host:math/ops@1.2.0"), "{m}"),
        other => panic!("{other:?}"),
    }
}

const STREAMS: &str = r#"(component
  (import "host:io/streams@0.2.0" (instance $io
    (export "output-stream" (type $os (sub resource)))
    (type $err (enum "closed" "failed"))
    (export "stream-error" (type $e (eq $err)))
    (export "[method]output-stream.write" (func
      (param "self" (borrow $os)) (param "bytes" (list u8)) (result (result (error $e)))))))
  (alias export $io "output-stream" (type $os))
  (alias export $io "[method]output-stream.write" (func $write))
  (core module $Mem (memory (export "m") 1))
  (core instance $mem (instantiate $Mem))
  (alias core export $mem "m" (core memory $m))
  (core func $write (canon lower (func $write) (memory $m)))
  (core module $M (import "" "write" (func (param i32 i32 i32 i32))))
  (core instance (instantiate $M (with "" (instance (export "write" (func $write)))))))"#;

#[test]
fn an_instance_import_is_checked_export_by_export_against_the_hosts() {
    let engine = Engine::default();
    let c = component(&engine, STREAMS);
    let store = Store::new(&engine);
    let os = store.resource_type("output-stream", None).unwrap();
    let err = ValType::Enum(vec!["closed".into(), "failed".into()]);
    let write = |result: ValType| {
        ft(
            &[
                ValType::Borrow(os.clone()),
                ValType::List(alloc::boxed::Box::new(ValType::U8), None),
            ],
            Some(result),
        )
    };
    let good = ValType::Result(None, Some(alloc::boxed::Box::new(err.clone())));
    let link = |f: Option<FuncType>| {
        let mut linker = Linker::new();
        let i = linker.instance("host:io/streams@0.2.3");
        i.resource("output-stream", os.clone())
            .ty("stream-error", err.clone());
        if let Some(f) = f {
            i.func("[method]output-stream.write", f, |_| Ok(vec![]));
        }
        linker.instantiate(&store, &c).map(|_| ())
    };
    assert_eq!(link(Some(write(good))), Ok(()));
    assert_eq!(
        link(None),
        Err(Error::Link(
            "import `host:io/streams@0.2.0` has no function `[method]output-stream.write` of type \
             `func(self: borrow<output-stream>, bytes: list<u8>) -> result<_, enum { closed, failed }>`"
                .into()
        ))
    );
    assert_eq!(
        link(Some(write(ValType::U32))),
        Err(Error::Link(
            "import `host:io/streams@0.2.0#[method]output-stream.write` has the wrong type: \
             expected `func(self: borrow<output-stream>, bytes: list<u8>) -> result<_, enum { closed, failed }>`, \
             got `func(p0: borrow<output-stream>, p1: list<u8>) -> u32`"
                .into()
        ))
    );
    match Linker::new().instantiate(&store, &c) {
        Err(Error::Link(m)) => assert_eq!(
            m,
            "missing import `host:io/streams@0.2.0`: an instance exporting \
             `output-stream: resource`, `stream-error: type enum { closed, failed }`, \
             `[method]output-stream.write: func`"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_instance_import_of_value_types_alone_needs_no_definition() {
    // What wit-component imports for an interface whose types an export
    // uses: nothing in it runs, and, as in wasmtime, nothing is given for it.
    let engine = Engine::default();
    let c = component(
        &engine,
        r#"(component
  (import "ns:p/types" (instance $t
    (type $p (record (field "x" u32) (field "y" u32)))
    (export "point" (type (eq $p)))))
  (alias export $t "point" (type $point))
  (core module $M
    (func (export "sum") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
  (core instance $m (instantiate $M))
  (func (export "sum") (param "p" $point) (result u32) (canon lift (core func $m "sum"))))"#,
    );
    let store = Store::new(&engine);
    let i = Linker::new().instantiate(&store, &c).unwrap();
    let p = Val::Record(vec![("x".into(), Val::U32(2)), ("y".into(), Val::U32(3))]);
    assert_eq!(
        i.func("sum").unwrap().call(&store, &[p]),
        Ok(vec![Val::U32(5)])
    );
    // A resource type is something to give: its import stays missing.
    let r = component(
        &engine,
        r#"(component
  (import "ns:p/handles" (instance (export "h" (type (sub resource))))))"#,
    );
    match Linker::new().instantiate(&store, &r) {
        Err(Error::Link(m)) => {
            assert_eq!(
                m,
                "missing import `ns:p/handles`: an instance exporting `h: resource`"
            )
        }
        other => panic!("{other:?}"),
    }
}

const STARTS: &str = r#"(component
  (core module $M
    (global $n (mut i32) (i32.const 0))
    (func (export "bump") (global.set $n (i32.add (global.get $n) (i32.const 1))))
    (func (export "fail") unreachable)
    (func (export "get") (result i32) (global.get $n)))
  (core instance $m (instantiate $M))
  (func $bump (canon lift (core func $m "bump")))
  (func $fail (canon lift (core func $m "fail")))
  (func (export "get") (result u32) (canon lift (core func $m "get")))
  (start $bump))"#;

#[test]
fn a_start_function_runs_during_instantiation() {
    let engine = Engine::default();
    let store = Store::new(&engine);
    let inst = Linker::new()
        .instantiate(&store, &component(&engine, STARTS))
        .unwrap();
    let get = inst.func("get").unwrap();
    assert_eq!(get.call(&store, &[]), Ok(vec![Val::U32(1)]));
}

#[test]
fn a_trapping_start_function_fails_instantiation() {
    let engine = Engine::default();
    let store = Store::new(&engine);
    let wat = STARTS.replace("(start $bump)", "(start $fail)");
    let r = Linker::new().instantiate(&store, &component(&engine, &wat));
    match r {
        Err(Error::Trap(t)) => assert!(t.to_string().contains("unreachable"), "{t}"),
        other => panic!("{:?}", other.err()),
    }
}

/// An `async` export that yields before returning, and one that waits on
/// an empty waitable set: the host's call drives the store (`Store.tick`)
/// until the first resolves, and reports the second as a deadlock naming
/// the thread it waits on.
const ASYNC_EXPORTS: &str = r#"(component
  (core module $M
    (import "" "task.return" (func $return (param i32)))
    (import "" "waitable-set.new" (func $waitable-set.new (result i32)))
    (func (export "yields") (result i32) (i32.const 1 (; YIELD ;)))
    (func (export "yields-cb") (param i32 i32 i32) (result i32)
      (call $return (i32.const 42))
      (i32.const 0 (; EXIT ;)))
    (func (export "waits") (result i32)
      (i32.or (i32.const 2 (; WAIT ;)) (i32.shl (call $waitable-set.new) (i32.const 4))))
    (func (export "waits-cb") (param i32 i32 i32) (result i32) unreachable))
  (core func $return (canon task.return (result u32)))
  (core func $waitable-set.new (canon waitable-set.new))
  (core instance $m (instantiate $M (with "" (instance
    (export "task.return" (func $return))
    (export "waitable-set.new" (func $waitable-set.new))))))
  (func (export "yields") async (result u32)
    (canon lift (core func $m "yields") async (callback (core func $m "yields-cb"))))
  (func (export "waits") async (result u32)
    (canon lift (core func $m "waits") async (callback (core func $m "waits-cb")))))"#;

#[test]
fn a_host_call_of_an_async_export_drives_the_store_until_it_resolves() {
    let engine = Engine::default();
    let c = component(&engine, ASYNC_EXPORTS);
    let store = Store::new(&engine);
    let inst = Linker::new().instantiate(&store, &c).unwrap();
    let yields = inst.func("yields").unwrap();
    assert_eq!(yields.call(&store, &[]).unwrap(), vec![Val::U32(42)]);
    assert!(store.canonical().waiting_threads().is_empty());
    match inst.func("waits").unwrap().call(&store, &[]) {
        Err(Error::Trap(t)) => {
            assert!(
                matches!(&t.kind, TrapKind::Deadlock(w) if w.len() == 1),
                "{t}"
            );
            let m = t.to_string();
            assert!(
                m.starts_with(
                    "deadlock detected: event loop cannot make further progress (waiting: instance "
                ),
                "{m}"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A stackful `async` export whose core code waits on an empty waitable
/// set: its thread is left suspended inside the core call.
const WAITS_IN_CORE: &str = r#"(component
  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))
  (core func $waitable-set.new (canon waitable-set.new))
  (core func $waitable-set.wait (canon waitable-set.wait (memory (core memory $mem "mem"))))
  (core module $M
    (import "" "waitable-set.new" (func $waitable-set.new (result i32)))
    (import "" "waitable-set.wait" (func $waitable-set.wait (param i32 i32) (result i32)))
    (func (export "waits")
      (drop (call $waitable-set.wait (call $waitable-set.new) (i32.const 0)))))
  (core instance $m (instantiate $M (with "" (instance
    (export "waitable-set.new" (func $waitable-set.new))
    (export "waitable-set.wait" (func $waitable-set.wait))))))
  (func (export "waits") async (canon lift (core func $m "waits") async)))"#;

/// Dropping a store frees it and everything in it, even a thread left
/// waiting forever (in a callback's event loop, or inside a core call),
/// whose continuation refers to the store that holds it.
#[test]
fn a_dropped_store_is_freed_with_the_threads_left_in_it() {
    let engine = Engine::default();
    let cases = [
        (ASYNC_EXPORTS, "yields", true, 0),
        (ASYNC_EXPORTS, "waits", false, 1),
        (WAITS_IN_CORE, "waits", false, 1),
    ];
    for (wat, export, resolves, left_waiting) in cases {
        let c = component(&engine, wat);
        let store = Store::new(&engine);
        let inst = Linker::new().instantiate(&store, &c).unwrap();
        let r = inst.func(export).unwrap().call(&store, &[]);
        assert_eq!(r.is_ok(), resolves, "{export}: {r:?}");
        assert_eq!(store.canonical().waiting_threads().len(), left_waiting);
        let canonical = Rc::downgrade(store.canonical());
        drop(store);
        assert!(
            canonical.upgrade().is_none(),
            "{export}: the store lives on"
        );
    }
}

/// A component's core modules are translated once, when it is compiled:
/// every instance of a module, in one store or another, runs that code.
#[test]
fn instances_of_a_core_module_share_its_translated_code() {
    use crate::component::bridge::CoreBridge;
    use crate::core_wasm::FuncAddr;
    let engine = Engine::default();
    let c = component(
        &engine,
        r#"(component
  (core module $M (func (export "f")))
  (core instance $a (instantiate $M))
  (core instance $b (instantiate $M)))"#,
    );
    let stores = [Store::new(&engine), Store::new(&engine)];
    let mut codes = Vec::new();
    for store in &stores {
        Linker::new().instantiate(store, &c).unwrap();
        let bridge = CoreBridge::of(&store.inner).unwrap();
        let funcs = bridge.core.funcs.len() as u32;
        codes.extend((0..funcs).filter_map(|f| bridge.core.code(FuncAddr(f)).cloned()));
    }
    assert_eq!(codes.len(), 4);
    assert!(
        codes
            .iter()
            .all(|code| alloc::sync::Arc::ptr_eq(code, &codes[0]))
    );
}

#[test]
fn a_list_argument_is_checked_element_by_element() {
    let engine = Engine::default();
    let c = component(
        &engine,
        r#"(component
  (core module $m
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 64))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (global.get $bump)
      (global.set $bump (i32.add (global.get $bump) (local.get 3))))
    (func (export "count") (param i32 i32) (result i32) (local.get 1)))
  (core instance $i (instantiate $m))
  (func (export "count") (param "xs" (list u32)) (result u32)
    (canon lift (core func $i "count") (memory (core memory $i "memory"))
      (realloc (core func $i "realloc")))))"#,
    );
    let store = Store::new(&engine);
    let count = Linker::new()
        .instantiate(&store, &c)
        .unwrap()
        .func("count")
        .unwrap();
    let xs = |v: Vec<Val>| [Val::List(v)];
    assert_eq!(
        count.call(&store, &xs((0..5).map(Val::U32).collect())),
        Ok(vec![Val::U32(5)])
    );
    for wrong in [
        xs(vec![Val::U32(1), Val::S32(2)]),
        xs(vec![Val::U64(1)]),
        [Val::U32(1)],
    ] {
        assert!(matches!(count.call(&store, &wrong), Err(Error::Misuse(_))));
    }
}

#[test]
fn call_into_replaces_the_results_in_the_callers_list() {
    let engine = Engine::default();
    let c = component(
        &engine,
        r#"(component
  (core module $M
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "none")))
  (core instance $m (instantiate $M))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $m "add")))
  (func (export "none") (canon lift (core func $m "none"))))"#,
    );
    let store = Store::new(&engine);
    let inst = Linker::new().instantiate(&store, &c).unwrap();
    let (add, none) = (inst.func("add").unwrap(), inst.func("none").unwrap());
    let mut results = vec![Val::Bool(true), Val::U32(9)];
    for i in 0..3 {
        add.call_into(&store, &[Val::U32(i), Val::U32(2)], &mut results)
            .unwrap();
        assert_eq!(results, [Val::U32(i + 2)]);
    }
    none.call_into(&store, &[], &mut results).unwrap();
    assert_eq!(results, []);
}
