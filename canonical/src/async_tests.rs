//! The asynchronous definitions end to end, with mock core functions
//! standing in for core wasm, in the scenarios the spec's own tests
//! exercise: callbacks waiting on waitable sets, backpressure,
//! cancellation, stream and future copies, error contexts and threads.

use crate::canon_context::{
    canon_backpressure_dec, canon_backpressure_inc, canon_context_get, canon_context_set,
};
use crate::canon_error_context::{
    canon_error_context_debug_message, canon_error_context_drop, canon_error_context_new,
};
use crate::canon_stream::{
    canon_future_drop_readable, canon_future_drop_writable, canon_future_new, canon_future_read,
    canon_future_write, canon_stream_cancel_write, canon_stream_drop_readable,
    canon_stream_drop_writable, canon_stream_new, canon_stream_read, canon_stream_write,
};
use crate::canon_subtask::{BLOCKED, canon_subtask_cancel, canon_subtask_drop};
use crate::canon_task::{canon_task_cancel, canon_task_return};
use crate::canon_thread::{
    CoreFuncRef, canon_thread_available_parallelism, canon_thread_index, canon_thread_new_indirect,
    canon_thread_spawn_indirect, canon_thread_spawn_ref, canon_thread_suspend_then_resume,
    canon_thread_yield, canon_thread_yield_then_resume,
};
use crate::canon_waitable_set::{
    canon_waitable_join, canon_waitable_set_drop, canon_waitable_set_new, canon_waitable_set_poll,
    canon_waitable_set_wait,
};
use crate::choices::Choices;
use crate::core_value::{CoreType, CoreValue};
use crate::flattening::CoreFuncType;
use crate::instance::InstanceId;
use crate::options::{
    CanonicalOptions, Core, CoreResults, FuncRef, LiftOptions, MemRef, PtrType, StringEncoding,
};
use crate::store::{CoreCall, CoreFuture, Embedder, FuncInst, OnCancel, OnResolve, OnStart, Store};
use crate::trap::{Trap, TrapKind, WaitingThread};
use crate::types::{FuncType, ValType};
use crate::value::Value;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use core::cell::RefCell;

type MockFn = Rc<dyn Fn(Rc<Store>, Vec<CoreValue>) -> CoreFuture>;
type Funcs = Rc<RefCell<Vec<MockFn>>>;
type Log = Rc<RefCell<Vec<String>>>;

/// One memory, a bump `realloc` (function 0) and mock core functions
/// added after the store is made (function `n` is `funcs[n - 1]`).
struct Mock {
    mem: Vec<u8>,
    next: u64,
    funcs: Funcs,
}

const REALLOC: FuncRef = FuncRef(0);
const MEM: MemRef = MemRef(0);

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
        Ok(())
    }
}

impl Embedder for Mock {
    fn call_async(&mut self, store: &Rc<Store>, f: FuncRef, args: Vec<CoreValue>) -> CoreCall {
        let func = self.funcs.borrow().get(f.0 as usize - 1).cloned();
        match func {
            Some(func) => CoreCall::Pending(func(store.clone(), args)),
            None => CoreCall::Done(Err(TrapKind::Core("no such function".into()).into())),
        }
    }

    fn as_any_mut(&mut self) -> &mut dyn core::any::Any {
        self
    }
}

struct World {
    store: Rc<Store>,
    funcs: Funcs,
    log: Log,
}

impl World {
    fn new() -> World {
        World::with_choices(Choices::deterministic())
    }

    fn with_choices(choices: Choices) -> World {
        let funcs: Funcs = Rc::new(RefCell::new(Vec::new()));
        let mock = Mock {
            mem: vec![0; 1 << 16],
            next: 4096,
            funcs: funcs.clone(),
        };
        World {
            store: Store::with_choices(Box::new(mock), choices),
            funcs,
            log: Rc::new(RefCell::new(Vec::new())),
        }
    }

    fn inst(&self) -> InstanceId {
        self.store.state.borrow_mut().instances.add(None)
    }

    /// Adds a mock core function; returns its `FuncRef`.
    fn func<F, Fut>(&self, f: F) -> FuncRef
    where
        F: Fn(Rc<Store>, Vec<CoreValue>) -> Fut + 'static,
        Fut: core::future::Future<Output = Result<Vec<CoreValue>, Trap>> + 'static,
    {
        let f: MockFn = Rc::new(move |s, a| Box::pin(f(s, a)) as CoreFuture);
        let mut funcs = self.funcs.borrow_mut();
        funcs.push(f);
        FuncRef(funcs.len() as u32)
    }

    fn logged(&self) -> Vec<String> {
        self.log.borrow().clone()
    }

    /// The host calls `f`; the result cell is `Some(None)` if cancelled.
    fn invoke(&self, f: &FuncInst, args: Vec<Value>) -> Result<(Result_, OnCancel), Trap> {
        let result: Result_ = Rc::new(RefCell::new(None));
        let r = result.clone();
        let log = self.log.clone();
        let on_start = OnStart::Func(Box::new(move |_| {
            log.borrow_mut().push("on_start".into());
            Ok(args)
        }));
        let on_resolve = OnResolve::Func(Box::new(move |_, v| {
            *r.borrow_mut() = Some(v);
            Ok(())
        }));
        let on_cancel = self.store.invoke(f, on_start, on_resolve)?;
        Ok((result, on_cancel))
    }

    /// The host calls `callee`, lifted in `inst` as a stackful `async
    /// func()`, which returns before the call does.
    fn call_returning(&self, callee: FuncRef, inst: InstanceId) {
        let f = self
            .store
            .lift(callee, ft(&[], None, true), async_opts(None), inst);
        let (result, _) = self.invoke(&f, vec![]).unwrap();
        assert_eq!(*result.borrow(), Some(Some(vec![])));
    }

    /// `Store.tick` until no thread is ready; the number of ticks.
    fn run(&self) -> Result<usize, Trap> {
        let mut n = 0;
        while self.store.tick()? {
            n += 1;
            assert!(n < 1000, "livelock");
        }
        Ok(n)
    }

    fn mem_u32(&self, ptr: usize) -> u32 {
        let mut e = self.store.embedder.borrow_mut();
        let m = e.memory(MEM);
        u32::from_le_bytes([m[ptr], m[ptr + 1], m[ptr + 2], m[ptr + 3]])
    }

    fn write_mem(&self, ptr: usize, bytes: &[u8]) {
        let mut e = self.store.embedder.borrow_mut();
        e.memory(MEM)[ptr..ptr + bytes.len()].copy_from_slice(bytes);
    }

    fn read_mem(&self, ptr: usize, n: usize) -> Vec<u8> {
        let mut e = self.store.embedder.borrow_mut();
        e.memory(MEM)[ptr..ptr + n].to_vec()
    }
}

type Result_ = Rc<RefCell<Option<Option<Vec<Value>>>>>;

fn ft(params: &[ValType], result: Option<ValType>, async_: bool) -> FuncType {
    FuncType {
        params: params
            .iter()
            .enumerate()
            .map(|(i, t)| (i.to_string(), t.clone()))
            .collect(),
        result,
        async_,
    }
}

fn sync_opts() -> CanonicalOptions {
    CanonicalOptions {
        memory: Some(MEM),
        realloc: Some(REALLOC),
        ..CanonicalOptions::default()
    }
}

fn async_opts(callback: Option<FuncRef>) -> CanonicalOptions {
    CanonicalOptions {
        async_: true,
        callback,
        ..sync_opts()
    }
}

fn lift_opts() -> LiftOptions {
    LiftOptions {
        memory: Some(MEM),
        ..LiftOptions::default()
    }
}

fn i32s(v: &[CoreValue]) -> Vec<u32> {
    v.iter().map(|v| v.as_u64() as u32).collect()
}

fn kind<T>(r: Result<T, Trap>) -> TrapKind {
    match r {
        Ok(_) => panic!("expected a trap"),
        Err(t) => t.kind,
    }
}

const EXIT: u32 = 0;
const YIELD: u32 = 1;
const WAIT: u32 = 2;

/// B exports `slow: async func() -> u32`, lifted `async callback`: it
/// yields once, then returns 42. A exports `run: async func() -> u32`: it
/// calls `slow` through an `async` lower, waits for the subtask in a
/// waitable set from its callback, and returns the result plus one.
#[test]
fn async_callback_waits_on_a_waitable_set_for_a_subtask() {
    let w = World::new();
    let (a, b) = (w.inst(), w.inst());
    let t = ft(&[], Some(ValType::U32), true);
    let log = w.log.clone();
    let b_callee = w.func(move |_, _| async { Ok(vec![CoreValue::I32(YIELD)]) });
    let l = log.clone();
    let b_callback = w.func(move |store, args| {
        let l = l.clone();
        async move {
            l.borrow_mut()
                .push(alloc::format!("b callback {:?}", i32s(&args)));
            canon_task_return(
                &store,
                Some(&ValType::U32),
                lift_opts(),
                vec![CoreValue::I32(42)],
            )?;
            Ok(vec![CoreValue::I32(EXIT)])
        }
    });
    let slow = w
        .store
        .lift(b_callee, t.clone(), async_opts(Some(b_callback)), b);
    let lowered = w.store.lower(slow, t.clone(), async_opts(None));
    let l = log.clone();
    let a_callee = w.func(move |store, _| {
        let (lowered, l) = (lowered.clone(), l.clone());
        async move {
            // The result goes to the out-pointer 100.
            let r = i32s(&lowered(&store, vec![CoreValue::I32(100)]).await?)[0];
            let (state, subtaski) = (r & 0xf, r >> 4);
            l.borrow_mut()
                .push(alloc::format!("lowered: state {state} index {subtaski}"));
            let si = i32s(&canon_waitable_set_new(&store)?)[0];
            canon_waitable_join(&store, subtaski, si)?;
            Ok(vec![CoreValue::I32(WAIT | (si << 4))])
        }
    });
    let l = log.clone();
    let a_callback = w.func(move |store, args| {
        let l = l.clone();
        async move {
            let args = i32s(&args);
            l.borrow_mut().push(alloc::format!("a callback {args:?}"));
            // SUBTASK, index, RETURNED: the result is in memory.
            let r = {
                let mut e = store.embedder.borrow_mut();
                let m = e.memory(MEM);
                u32::from_le_bytes([m[100], m[101], m[102], m[103]])
            };
            canon_subtask_drop(&store, args[1])?;
            canon_task_return(
                &store,
                Some(&ValType::U32),
                lift_opts(),
                vec![CoreValue::I32(r + 1)],
            )?;
            Ok(vec![CoreValue::I32(EXIT)])
        }
    });
    let run = w.store.lift(a_callee, t, async_opts(Some(a_callback)), a);
    let (result, _) = w.invoke(&run, vec![]).unwrap();
    assert_eq!(*result.borrow(), None, "blocked");
    w.run().unwrap();
    assert_eq!(*result.borrow(), Some(Some(vec![Value::U32(43)])));
    assert_eq!(
        w.logged(),
        vec![
            "on_start",
            "lowered: state 1 index 1",
            "b callback [0, 0, 0]",
            "a callback [1, 1, 2]",
        ]
    );
    // Every thread finished; both instances are idle.
    assert!(w.store.waiting_threads().is_empty());
    let state = w.store.state.borrow();
    for i in [a, b] {
        let inst = state.instances.get(i).unwrap();
        assert_eq!(inst.threads.iter().count(), 0);
        assert_eq!(inst.exclusive_thread, None);
    }
}

/// `backpressure.inc` holds new `async` calls before `OnStart`; `dec`
/// lets them in (the spec's `test_backpressure`).
#[test]
fn backpressure_delays_the_start_of_async_calls() {
    let w = World::new();
    let c = w.inst();
    let t = ft(&[], None, true);
    let callee = w.func(move |store, _| async move {
        let n = canon_context_get(&store, CoreType::I32, 0)?;
        assert_eq!(i32s(&n), vec![0]);
        canon_backpressure_inc(&store)?;
        Ok(vec![CoreValue::I32(YIELD)])
    });
    let l = w.log.clone();
    let callback = w.func(move |store, _| {
        let l = l.clone();
        async move {
            l.borrow_mut().push("callback".into());
            canon_task_return(&store, None, lift_opts(), vec![])?;
            canon_backpressure_dec(&store)?;
            Ok(vec![CoreValue::I32(EXIT)])
        }
    });
    let f = w.store.lift(callee, t, async_opts(Some(callback)), c);
    let (r1, _) = w.invoke(&f, vec![]).unwrap();
    let (r2, _) = w.invoke(&f, vec![]).unwrap();
    // The second call waits on backpressure: no `OnStart` yet.
    assert_eq!(w.logged(), vec!["on_start"]);
    assert_eq!(
        w.store
            .state
            .borrow()
            .instances
            .get(c)
            .unwrap()
            .num_waiting_to_enter,
        1
    );
    w.run().unwrap();
    assert_eq!(
        w.logged(),
        vec!["on_start", "callback", "on_start", "callback"]
    );
    assert_eq!(*r1.borrow(), Some(Some(vec![])));
    assert_eq!(*r2.borrow(), Some(Some(vec![])));
    assert_eq!(
        w.store
            .state
            .borrow()
            .instances
            .get(c)
            .unwrap()
            .backpressure,
        0
    );
}

#[test]
fn backpressure_dec_below_zero_traps() {
    let w = World::new();
    let c = w.inst();
    let callee = w.func(|store, _| async move {
        canon_backpressure_dec(&store)?;
        Ok(vec![])
    });
    let f = w.store.lift(callee, ft(&[], None, false), sync_opts(), c);
    assert_eq!(kind(w.invoke(&f, vec![])), TrapKind::BackpressureUnderflow);
}

/// Cancelling a call that waits on backpressure resolves it at once,
/// without `OnStart` (`CANCELLED_BEFORE_STARTED` for a wasm caller).
#[test]
fn cancellation_before_start_skips_on_start() {
    let w = World::new();
    let c = w.inst();
    w.store
        .state
        .borrow_mut()
        .instances
        .get_mut(c)
        .unwrap()
        .backpressure = 1;
    let callee = w.func(|_, _| async { Ok(vec![CoreValue::I32(EXIT)]) });
    let callback = w.func(|_, _| async { Ok(vec![CoreValue::I32(EXIT)]) });
    let f = w
        .store
        .lift(callee, ft(&[], None, true), async_opts(Some(callback)), c);
    let (result, on_cancel) = w.invoke(&f, vec![]).unwrap();
    assert_eq!(*result.borrow(), None);
    on_cancel.call(&w.store, None).unwrap();
    assert_eq!(*result.borrow(), Some(None));
    assert!(w.logged().is_empty(), "no OnStart: {:?}", w.logged());
    assert_eq!(
        w.store
            .state
            .borrow()
            .instances
            .get(c)
            .unwrap()
            .num_waiting_to_enter,
        0
    );
}

/// A started task waiting (cancellably) in its event loop receives
/// `TASK_CANCELLED` and confirms with `task.cancel`.
#[test]
fn cancellation_after_start_is_delivered_to_the_event_loop() {
    let w = World::new();
    let c = w.inst();
    let callee = w.func(|store, _| async move {
        let si = i32s(&canon_waitable_set_new(&store)?)[0];
        Ok(vec![CoreValue::I32(WAIT | (si << 4))])
    });
    let l = w.log.clone();
    let callback = w.func(move |store, args| {
        let l = l.clone();
        async move {
            l.borrow_mut()
                .push(alloc::format!("callback {:?}", i32s(&args)));
            // task.cancel before delivery would trap; here it is delivered.
            canon_task_cancel(&store)?;
            Ok(vec![CoreValue::I32(EXIT)])
        }
    });
    let f = w.store.lift(
        callee,
        ft(&[], Some(ValType::U32), true),
        async_opts(Some(callback)),
        c,
    );
    let (result, on_cancel) = w.invoke(&f, vec![]).unwrap();
    // Nothing is ready: the host would report a deadlock.
    assert_eq!(w.run().unwrap(), 0);
    assert_eq!(w.store.waiting_threads().len(), 1);
    on_cancel.call(&w.store, None).unwrap();
    assert_eq!(*result.borrow(), Some(None));
    assert_eq!(w.logged(), vec!["on_start", "callback [6, 0, 0]"]);
}

/// `task.cancel` without a delivered cancellation traps; so does
/// `task.return` twice.
#[test]
fn task_cancel_and_return_guards() {
    let w = World::new();
    let c = w.inst();
    let callee = w.func(|store, _| async move {
        assert_eq!(
            kind(canon_task_cancel(&store)),
            TrapKind::TaskCancelNotDelivered
        );
        assert_eq!(
            kind(canon_task_return(
                &store,
                Some(&ValType::U8),
                lift_opts(),
                vec![]
            )),
            TrapKind::TaskReturnTypeMismatch
        );
        canon_task_return(&store, None, lift_opts(), vec![])?;
        assert_eq!(
            kind(canon_task_return(&store, None, lift_opts(), vec![])),
            TrapKind::TaskAlreadyResolved
        );
        Ok(vec![])
    });
    w.call_returning(callee, c);
    // From a synchronously-lifted function, task.return traps.
    let sync = w.func(|store, _| async move {
        canon_task_return(&store, None, lift_opts(), vec![])?;
        Ok(vec![])
    });
    let f = w.store.lift(sync, ft(&[], None, false), sync_opts(), c);
    assert_eq!(kind(w.invoke(&f, vec![])), TrapKind::TaskNotAsync);
}

/// `task.return` checks its options against the task's: a `memory` or
/// string encoding other than the lift's traps; no `memory` at all
/// matches (the reference tests' exception, see `canon_task_return`).
#[test]
fn task_return_options_match_the_lift() {
    let w = World::new();
    let c = w.inst();
    let callee = w.func(|store, _| async move {
        let other_memory = LiftOptions {
            memory: Some(MemRef(1)),
            ..LiftOptions::default()
        };
        let utf16 = LiftOptions {
            string_encoding: StringEncoding::Utf16,
            ..lift_opts()
        };
        for opts in [other_memory, utf16] {
            assert_eq!(
                kind(canon_task_return(&store, None, opts, vec![])),
                TrapKind::TaskReturnOptionsMismatch
            );
        }
        canon_task_return(&store, None, LiftOptions::default(), vec![])?;
        Ok(vec![])
    });
    w.call_returning(callee, c);
}

/// A synchronously-typed call that blocks while another task's thread is
/// ready elsewhere (which the call may not resume) is the deadlock, and
/// its report names the waiting threads.
#[test]
fn a_sync_call_blocked_beside_ready_threads_reports_the_deadlock() {
    let w = World::new();
    let (a, b) = (w.inst(), w.inst());
    let returns_then_yields = w.func(|store, _| async move {
        canon_task_return(&store, None, lift_opts(), vec![])?;
        Ok(vec![CoreValue::I32(YIELD)])
    });
    let yields = w.func(|_, _| async { Ok(vec![CoreValue::I32(YIELD)]) });
    let spin = w.store.lift(
        returns_then_yields,
        ft(&[], None, true),
        async_opts(Some(yields)),
        a,
    );
    let (result, _) = w.invoke(&spin, vec![]).unwrap();
    assert_eq!(*result.borrow(), Some(Some(vec![])));
    let waits = w.func(|store, _| async move {
        let si = i32s(&canon_waitable_set_new(&store)?)[0];
        canon_waitable_set_wait(&store, false, MEM, si, 0).await?;
        Ok(vec![])
    });
    let f = w.store.lift(waits, ft(&[], None, false), sync_opts(), b);
    let trap = w.invoke(&f, vec![]).map(|_| ()).unwrap_err();
    let thread = |i: InstanceId| WaitingThread {
        instance: i.0,
        index: Some(1),
    };
    assert_eq!(trap.kind, TrapKind::Deadlock(vec![thread(a), thread(b)]));
    assert_eq!(
        trap.to_string(),
        alloc::format!(
            "deadlock detected: event loop cannot make further progress \
             (waiting: instance {} thread 1, instance {} thread 1)",
            a.0,
            b.0
        )
    );
}

/// A caller cancels its subtask with `subtask.cancel`: the callee sees
/// `TASK_CANCELLED`, calls `task.cancel`, and the caller gets
/// `CANCELLED_BEFORE_RETURNED` without blocking.
#[test]
fn subtask_cancel_resolves_without_blocking() {
    let w = World::new();
    let (a, b) = (w.inst(), w.inst());
    let t = ft(&[], None, true);
    let b_callee = w.func(|store, _| async move {
        let si = i32s(&canon_waitable_set_new(&store)?)[0];
        Ok(vec![CoreValue::I32(WAIT | (si << 4))])
    });
    let b_callback = w.func(|store, args| async move {
        assert_eq!(i32s(&args), vec![6, 0, 0]);
        canon_task_cancel(&store)?;
        Ok(vec![CoreValue::I32(EXIT)])
    });
    let callee = w
        .store
        .lift(b_callee, t.clone(), async_opts(Some(b_callback)), b);
    let lowered = w.store.lower(callee, t.clone(), async_opts(None));
    let l = w.log.clone();
    let a_callee = w.func(move |store, _| {
        let (lowered, l) = (lowered.clone(), l.clone());
        async move {
            let r = i32s(&lowered(&store, vec![]).await?)[0];
            let i = r >> 4;
            l.borrow_mut().push(alloc::format!("state {}", r & 0xf));
            let s = i32s(&canon_subtask_cancel(&store, false, i).await?)[0];
            l.borrow_mut().push(alloc::format!("cancelled {s}"));
            assert_eq!(
                kind(canon_subtask_cancel(&store, false, i).await),
                TrapKind::SubtaskResolveDelivered
            );
            canon_subtask_drop(&store, i)?;
            canon_task_return(&store, None, lift_opts(), vec![])?;
            Ok(vec![])
        }
    });
    let run = w.store.lift(a_callee, t, async_opts(None), a);
    let (result, _) = w.invoke(&run, vec![]).unwrap();
    w.run().unwrap();
    assert_eq!(*result.borrow(), Some(Some(vec![])));
    // STARTED, then CANCELLED_BEFORE_RETURNED.
    assert_eq!(w.logged(), vec!["on_start", "state 1", "cancelled 4"]);
}

/// Dropping a subtask before its resolution is delivered traps.
#[test]
fn subtask_drop_before_resolution_traps() {
    let w = World::new();
    let (a, b) = (w.inst(), w.inst());
    let t = ft(&[], None, true);
    let b_callee = w.func(|_, _| async { Ok(vec![CoreValue::I32(YIELD)]) });
    let b_callback = w.func(|store, _| async move {
        canon_task_return(&store, None, lift_opts(), vec![])?;
        Ok(vec![CoreValue::I32(EXIT)])
    });
    let callee = w
        .store
        .lift(b_callee, t.clone(), async_opts(Some(b_callback)), b);
    let lowered = w.store.lower(callee, t.clone(), async_opts(None));
    let a_callee = w.func(move |store, _| {
        let lowered = lowered.clone();
        async move {
            let i = i32s(&lowered(&store, vec![]).await?)[0] >> 4;
            canon_subtask_drop(&store, i)?;
            Ok(vec![])
        }
    });
    let run = w.store.lift(a_callee, t, async_opts(None), a);
    assert_eq!(kind(w.invoke(&run, vec![])), TrapKind::SubtaskNotResolved);
}

/// A synchronously-typed function that blocks with nothing else to run
/// traps.
#[test]
fn a_sync_task_that_blocks_traps() {
    let w = World::new();
    let c = w.inst();
    let callee = w.func(|store, _| async move {
        let si = i32s(&canon_waitable_set_new(&store)?)[0];
        canon_waitable_set_wait(&store, false, MEM, si, 0).await?;
        Ok(vec![])
    });
    let f = w.store.lift(callee, ft(&[], None, false), sync_opts(), c);
    assert_eq!(kind(w.invoke(&f, vec![])), TrapKind::CannotBlockSync);
}

/// Waitable sets: poll of an empty set, drop guards, waiting from a
/// stackful task.
#[test]
fn waitable_set_poll_drop_and_join() {
    let w = World::new();
    let c = w.inst();
    let callee = w.func(|store, _| async move {
        let si = i32s(&canon_waitable_set_new(&store)?)[0];
        assert_eq!(
            i32s(&canon_waitable_set_poll(&store, false, MEM, si, 0)?),
            vec![0]
        );
        let ends = canon_stream_new(&store, Some(ValType::U8))?[0].as_u64();
        let (r, wr) = (ends as u32, (ends >> 32) as u32);
        canon_waitable_join(&store, r, si)?;
        assert_eq!(
            kind(canon_waitable_set_drop(&store, si)),
            TrapKind::WaitableSetNotEmpty
        );
        let si = i32s(&canon_waitable_set_new(&store)?)[0];
        canon_waitable_join(&store, r, si)?;
        // A synchronous read of an end in a set traps.
        let sync = sync_opts();
        assert_eq!(
            kind(canon_stream_read(&store, Some(ValType::U8), sync, r, 0, 1).await),
            TrapKind::WaitableInSet
        );
        canon_waitable_join(&store, r, 0)?;
        canon_waitable_set_drop(&store, si)?;
        canon_stream_drop_readable(&store, Some(ValType::U8), r)?;
        canon_stream_drop_writable(&store, Some(ValType::U8), wr)?;
        canon_task_return(&store, None, lift_opts(), vec![])?;
        Ok(vec![])
    });
    w.call_returning(callee, c);
}

/// The host's call of an `async` export: its result waits in the store
/// until the host takes it; a call the host ended (gave up on) drops the
/// result that comes later, even once a new call took over its slot.
#[test]
fn a_host_call_result_waits_in_the_store_and_an_ended_call_drops_it() {
    let w = World::new();
    let c = w.inst();
    // Returns its argument; yields first when it is 1.
    let callee = w.func(|store, args| async move {
        if args[0].as_u64() == 1 {
            canon_thread_yield(&store, false).await?;
        }
        canon_task_return(&store, Some(&ValType::U32), lift_opts(), args)?;
        Ok(vec![])
    });
    let t = ft(&[ValType::U32], Some(ValType::U32), true);
    let f = w.store.lift(callee, t, async_opts(None), c);
    let (first, _) = w
        .store
        .invoke_host(&f, OnStart::Args(vec![Value::U32(1)]))
        .unwrap();
    assert_eq!(w.store.take_host_result(first), None, "yielded first");
    w.store.end_host_call(first);
    // Resolved at once, in the slot the first call had.
    let (second, _) = w
        .store
        .invoke_host(&f, OnStart::Args(vec![Value::U32(2)]))
        .unwrap();
    assert_ne!(first, second);
    // The first resolves now, for nobody.
    w.run().unwrap();
    assert_eq!(w.store.take_host_result(first), None);
    assert_eq!(w.store.take_host_result(second), Some(vec![Value::U32(2)]));
    assert_eq!(w.store.take_host_result(second), None, "taken once");
}

mod copies;
mod threads;
