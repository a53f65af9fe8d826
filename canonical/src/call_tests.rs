//! `canon lift` and `canon lower` end to end, with mock core functions
//! standing in for core wasm, as the spec's own tests do.

use crate::core_value::CoreValue;
use crate::instance::InstanceId;
use crate::options::{CanonicalOptions, Core, CoreResults, FuncRef, MemRef, PtrType};
use crate::store::{CoreCall, CoreFuture, Embedder, FuncInst, OnStart, Store};
use crate::trap::{Trap, TrapKind};
use crate::types::{FuncType, ValType};
use crate::value::{StringValue, Value};
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::RefCell;

type MockFn = Rc<dyn Fn(Rc<Store>, Vec<CoreValue>) -> CoreFuture>;

/// One memory, a bump `realloc` (function 0) and mock core functions.
struct Mock {
    mem: Vec<u8>,
    next: u64,
    funcs: Vec<MockFn>,
    log: Rc<RefCell<Vec<&'static str>>>,
}

const REALLOC: FuncRef = FuncRef(0);

impl Core for Mock {
    fn memory(&mut self, _: MemRef) -> &mut [u8] {
        &mut self.mem
    }

    fn ptr_type(&self, _: MemRef) -> PtrType {
        PtrType::I32
    }

    fn call(
        &mut self,
        f: FuncRef,
        args: &[CoreValue],
        results: &mut CoreResults,
    ) -> Result<(), Trap> {
        if f == REALLOC {
            let [_, _, align, len] = [0, 1, 2, 3].map(|i| args[i].as_u64());
            let ptr = self.next.div_ceil(align) * align;
            self.next = ptr + len;
            results.push(CoreValue::I32(ptr as u32));
            return Ok(());
        }
        self.log.borrow_mut().push("post-return");
        Ok(())
    }
}

impl Embedder for Mock {
    fn call_async(&mut self, store: &Rc<Store>, f: FuncRef, args: Vec<CoreValue>) -> CoreCall {
        // Any function past the mocks is the post-return (a core call, as
        // `call_and_trap_on_throw` makes it).
        if f.0 as usize > self.funcs.len() {
            let mut results = CoreResults::new();
            let r = self.call(f, &args, &mut results);
            return CoreCall::Done(r.map(|()| results.to_vec()));
        }
        let func = self.funcs[f.0 as usize - 1].clone();
        CoreCall::Pending(func(store.clone(), args))
    }

    fn as_any_mut(&mut self) -> &mut dyn core::any::Any {
        self
    }
}

fn func(ft: FuncType) -> Rc<FuncType> {
    Rc::new(ft)
}

fn ft(params: &[ValType], result: Option<ValType>) -> FuncType {
    FuncType {
        params: params
            .iter()
            .enumerate()
            .map(|(i, t)| (i.to_string(), t.clone()))
            .collect(),
        result,
        async_: false,
    }
}

fn opts() -> CanonicalOptions {
    CanonicalOptions {
        memory: Some(MemRef(0)),
        realloc: Some(REALLOC),
        ..CanonicalOptions::default()
    }
}

fn store_with(funcs: Vec<MockFn>) -> (Rc<Store>, Rc<RefCell<Vec<&'static str>>>) {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mock = Mock {
        mem: vec![0; 1 << 16],
        next: 1024,
        funcs,
        log: log.clone(),
    };
    (Store::new(Box::new(mock)), log)
}

/// Calls `f` from the host with `args`, returning its result.
fn invoke(store: &Rc<Store>, f: &FuncInst, args: Vec<Value>) -> Result<Vec<Value>, Trap> {
    let (call, _) = store.invoke_host(f, OnStart::Args(args))?;
    store.take_host_result(call).ok_or(Trap {
        kind: TrapKind::Core("no result".into()),
    })
}

fn add() -> MockFn {
    Rc::new(|_, args| {
        Box::pin(async move {
            Ok(vec![CoreValue::I32(
                args[0].as_u64() as u32 + args[1].as_u64() as u32,
            )])
        })
    })
}

#[test]
fn the_host_calls_a_lifted_function() {
    let (store, _) = store_with(vec![add()]);
    let inst = store.state.borrow_mut().instances.add(None);
    let f = store.lift(
        FuncRef(1),
        ft(&[ValType::U32, ValType::U32], Some(ValType::U32)),
        opts(),
        inst,
    );
    assert_eq!(
        invoke(&store, &f, vec![Value::U32(2), Value::U32(40)]),
        Ok(vec![Value::U32(42)])
    );
    // The task's thread is gone and the instance may be entered again.
    let state = store.state.borrow();
    assert_eq!(
        state
            .instances
            .get(inst)
            .map(|i| (i.may_enter, i.threads.iter().count())),
        Some((true, 0))
    );
}

#[test]
fn strings_go_through_memory_and_post_return_runs() {
    // echo(s: string) -> string: the core function returns a pointer to
    // (ptr, len), the spilled result.
    let echo: MockFn = Rc::new(|store, args| {
        Box::pin(async move {
            let mut embedder = store.embedder.borrow_mut();
            let mem = embedder.memory(MemRef(0));
            mem[8..12].copy_from_slice(&(args[0].as_u64() as u32).to_le_bytes());
            mem[12..16].copy_from_slice(&(args[1].as_u64() as u32).to_le_bytes());
            Ok(vec![CoreValue::I32(8)])
        })
    });
    let (store, log) = store_with(vec![echo]);
    let inst = store.state.borrow_mut().instances.add(None);
    let o = CanonicalOptions {
        post_return: Some(FuncRef(99)),
        ..opts()
    };
    let f = store.lift(
        FuncRef(1),
        ft(&[ValType::String], Some(ValType::String)),
        o,
        inst,
    );
    let out = invoke(
        &store,
        &f,
        vec![Value::String(StringValue::from_host("hé☃"))],
    )
    .unwrap();
    let [Value::String(s)] = &out[..] else {
        panic!("{out:?}")
    };
    assert_eq!(s.s, "hé☃");
    assert_eq!(*log.borrow(), vec!["post-return"]);
}

/// Components A and B in a store: A's lifted function (returned) has core
/// code that calls its import, B's function of core code `b_core` lifted
/// and lowered, with its two arguments, and adds 1000 to the result.
fn a_calls_b(b_core: MockFn) -> (Rc<Store>, FuncInst) {
    let lowered: Rc<RefCell<Option<Rc<dyn Fn(&Rc<Store>, Vec<CoreValue>) -> CoreFuture>>>> =
        Rc::new(RefCell::new(None));
    let l = lowered.clone();
    let a_core: MockFn = Rc::new(move |store, args| {
        let import = l.borrow().clone();
        Box::pin(async move {
            let import = import.ok_or(Trap {
                kind: TrapKind::Core("unlinked".into()),
            })?;
            let r = import(&store, args).await?;
            Ok(vec![CoreValue::I32(r[0].as_u64() as u32 + 1000)])
        })
    });
    let (store, _) = store_with(vec![a_core, b_core]);
    let (a, b) = {
        let mut s = store.state.borrow_mut();
        (s.instances.add(None), s.instances.add(None))
    };
    let t = ft(&[ValType::U32, ValType::U32], Some(ValType::U32));
    let b_add = store.lift(FuncRef(2), t.clone(), opts(), b);
    *lowered.borrow_mut() = Some(store.lower(b_add, t.clone(), opts()));
    let a_run = store.lift(FuncRef(1), t, opts(), a);
    (store, a_run)
}

/// Component A's core code calls its import, component B's lifted `add`,
/// through `canon lower`; then B tries to call back into A.
#[test]
fn components_call_each_other_and_reentrance_traps() {
    let back: Rc<RefCell<Option<FuncInst>>> = Rc::new(RefCell::new(None));
    let b2 = back.clone();
    // B's core: adds, or with a zero first argument calls A back.
    let b_core: MockFn = Rc::new(move |store, args| {
        let back = b2.borrow().clone();
        Box::pin(async move {
            if args[0].as_u64() == 0 {
                if let Some(a) = back {
                    let lower = store.lower(
                        a,
                        ft(&[ValType::U32, ValType::U32], Some(ValType::U32)),
                        opts(),
                    );
                    lower(&store, args.clone()).await?;
                }
            }
            Ok(vec![CoreValue::I32(
                args[0].as_u64() as u32 + args[1].as_u64() as u32,
            )])
        })
    });
    let (store, a_run) = a_calls_b(b_core);
    assert_eq!(
        invoke(&store, &a_run, vec![Value::U32(1), Value::U32(2)]),
        Ok(vec![Value::U32(1003)])
    );
    *back.borrow_mut() = Some(a_run.clone());
    let err = invoke(&store, &a_run, vec![Value::U32(0), Value::U32(2)]).unwrap_err();
    assert_eq!(err.kind, TrapKind::CannotEnter);
    let _ = (func(ft(&[], None)), InstanceId(0));
}

/// A resource made and dropped inside its implementation: the destructor
/// runs once with the representation; a second drop traps.
#[test]
fn resource_new_rep_drop_run_the_destructor() {
    use crate::canon_resource::{canon_resource_drop, canon_resource_new, canon_resource_rep};
    use crate::resource::ResourceType;
    let dropped = Rc::new(RefCell::new(Vec::new()));
    let d = dropped.clone();
    let dtor: MockFn = Rc::new(move |_, args| {
        d.borrow_mut().push(args[0].as_u64());
        Box::pin(async { Ok(vec![]) })
    });
    let rt_cell: Rc<RefCell<Option<ResourceType>>> = Rc::new(RefCell::new(None));
    let rc = rt_cell.clone();
    // The component's core function: new(7), rep, drop, drop again.
    let run: MockFn = Rc::new(move |store, _| {
        let rt = rc.borrow().clone().unwrap();
        Box::pin(async move {
            let h = canon_resource_new(&store, &rt, 7)?[0].as_u64() as u32;
            assert_eq!(canon_resource_rep(&store, &rt, h)?, vec![CoreValue::I32(7)]);
            canon_resource_drop(&store, &rt, h).await?;
            let again = canon_resource_drop(&store, &rt, h).await;
            assert_eq!(again.unwrap_err().kind, TrapKind::UnknownHandle(h as u64));
            Ok(vec![])
        })
    });
    let (store, _) = store_with(vec![dtor, run]);
    let inst = store.state.borrow_mut().instances.add(None);
    *rt_cell.borrow_mut() = Some(ResourceType::new(inst, Some(FuncRef(1)), "r"));
    // The destructor runs in the implementing instance, which is the one
    // running `run`: entering it from itself is staying inside, not
    // reentrance.
    let f = store.lift(FuncRef(2), ft(&[], None), opts(), inst);
    assert_eq!(invoke(&store, &f, vec![]), Ok(vec![]));
    assert_eq!(*dropped.borrow(), vec![7]);
}

#[test]
fn a_lifted_call_reports_its_steps_to_the_tracer() {
    let (store, _) = store_with(vec![add()]);
    let lines = crate::trace::tests::Recorder::install(&store);
    let inst = store.state.borrow_mut().instances.add(None);
    let f = store.lift(
        FuncRef(1),
        ft(&[ValType::U32, ValType::U32], Some(ValType::U32)),
        opts(),
        inst,
    );
    invoke(&store, &f, vec![Value::U32(2), Value::U32(40)]).unwrap();
    // The spec's order: on a new thread, enter, the arguments from the
    // caller, lowered, the core call, its results lifted, returned, exit.
    let lines = lines.borrow();
    let steps: Vec<&str> = lines
        .iter()
        .filter(|l| !l.contains(" -> "))
        .map(|l| {
            let name = l.trim_start();
            let indent = l.len() - name.len();
            &l[..indent + name.find(' ').unwrap_or(name.len())]
        })
        .collect();
    assert_eq!(
        steps,
        [
            "canon_lift",
            "  Thread.resume",
            "    Task.enter_implicit_thread",
            "    Task.start",
            "    lower_flat_values",
            "      lower_flat",
            "      lower_flat",
            "    call_and_trap_on_throw",
            "    lift_flat_values",
            "      lift_flat",
            "    Task.return_",
            "    Task.exit_implicit_thread",
        ]
    );
    assert!(lines.contains(&"    call_and_trap_on_throw -> [I32(42)]".to_string()));
    assert!(lines.contains(&"    Task.return_ task=0 [U32(42)]".to_string()));
    assert_eq!(lines.last().map(|l| l.as_str()), Some("canon_lift -> "));
}

/// Every call makes a task, a thread and (component to component) a
/// subtask; each is released when done, so the store's arenas stay as
/// large as the most objects alive at once, however many calls run.
#[test]
fn many_calls_keep_the_store_arenas_bounded() {
    let (store, a_run) = a_calls_b(add());
    for i in 0..1000 {
        assert_eq!(
            invoke(&store, &a_run, vec![Value::U32(i), Value::U32(1)]),
            Ok(vec![Value::U32(i + 1001)])
        );
    }
    let state = store.state.borrow();
    // One call in flight at a time: A's task and thread, B's task and
    // thread, the subtask between them.
    assert_eq!(
        (
            state.tasks.slots(),
            state.threads.slots(),
            state.subtasks.slots()
        ),
        (2, 2, 1)
    );
    assert!(state.tasks.get(0).is_none() && state.threads.get(0).is_none());
}
