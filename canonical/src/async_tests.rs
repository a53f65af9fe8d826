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

/// A 4-element write meets reads of 2 and 5: partial copies, progress in
/// the events' high bits, `DROPPED` after the writer leaves, and the
/// trap on reading again.
#[test]
fn stream_copies_of_various_lengths_with_partial_reads() {
    let w = World::new();
    let c = w.inst();
    w.write_mem(100, &[1, 2, 3, 4]);
    let t = Some(ValType::U8);
    let callee = w.func(move |store, _| {
        let t = t.clone();
        async move {
            let o = async_opts(None);
            let ends = canon_stream_new(&store, t.clone())?[0].as_u64();
            let (r, wr) = (ends as u32, (ends >> 32) as u32);
            let blocked = i32s(&canon_stream_write(&store, t.clone(), o, wr, 100, 4).await?)[0];
            assert_eq!(blocked, BLOCKED);
            // Read 2: COMPLETED with 2 copied.
            let got = i32s(&canon_stream_read(&store, t.clone(), o, r, 200, 2).await?)[0];
            assert_eq!(got, 2 << 4);
            // Read up to 5: the rest of the pending write, 2.
            let got = i32s(&canon_stream_read(&store, t.clone(), o, r, 300, 5).await?)[0];
            assert_eq!(got, 2 << 4);
            // The writer's event: STREAM_WRITE, COMPLETED, 4 copied.
            let si = i32s(&canon_waitable_set_new(&store)?)[0];
            canon_waitable_join(&store, wr, si)?;
            let code = i32s(&canon_waitable_set_poll(&store, false, MEM, si, 400)?)[0];
            assert_eq!(code, 3);
            canon_waitable_join(&store, wr, 0)?;
            canon_stream_drop_writable(&store, t.clone(), wr)?;
            // Reading a dropped stream: DROPPED, then a trap.
            let got = i32s(&canon_stream_read(&store, t.clone(), o, r, 300, 5).await?)[0];
            assert_eq!(got, 1);
            assert_eq!(
                kind(canon_stream_read(&store, t.clone(), o, r, 300, 5).await),
                TrapKind::StreamReadAfterDropped
            );
            canon_stream_drop_readable(&store, t, r)?;
            canon_task_return(&store, None, lift_opts(), vec![])?;
            Ok(vec![])
        }
    });
    w.call_returning(callee, c);
    assert_eq!(w.read_mem(200, 2), vec![1, 2]);
    assert_eq!(w.read_mem(300, 2), vec![3, 4]);
    assert_eq!((w.mem_u32(400), w.mem_u32(404)), (2, 4 << 4));
}

/// Zero-length reads and writes: a zero-length write meeting a pending
/// zero-length read completes and leaves the read pending; cancelling a
/// blocked write returns `CANCELLED`.
#[test]
fn zero_length_copies_and_cancel_write() {
    let w = World::new();
    let c = w.inst();
    let callee = w.func(|store, _| async move {
        let t: Option<ValType> = None;
        let o = async_opts(None);
        let ends = canon_stream_new(&store, t.clone())?[0].as_u64();
        let (r, wr) = (ends as u32, (ends >> 32) as u32);
        assert_eq!(
            i32s(&canon_stream_read(&store, t.clone(), o, r, 0, 0).await?)[0],
            BLOCKED
        );
        assert_eq!(
            i32s(&canon_stream_write(&store, t.clone(), o, wr, 0, 0).await?)[0],
            0
        );
        // The read is still pending; a non-empty write notifies it.
        assert_eq!(
            i32s(&canon_stream_write(&store, t.clone(), o, wr, 0, 3).await?)[0],
            BLOCKED
        );
        let si = i32s(&canon_waitable_set_new(&store)?)[0];
        canon_waitable_join(&store, r, si)?;
        assert_eq!(
            i32s(&canon_waitable_set_poll(&store, false, MEM, si, 500)?)[0],
            2
        );
        canon_waitable_join(&store, r, 0)?;
        // Cancel the blocked write: CANCELLED, nothing copied.
        let got = i32s(&canon_stream_cancel_write(&store, t.clone(), false, wr).await?)[0];
        assert_eq!(got, 2);
        canon_stream_drop_readable(&store, t.clone(), r)?;
        // Writing after the reader dropped: DROPPED.
        assert_eq!(
            i32s(&canon_stream_write(&store, t.clone(), o, wr, 0, 1).await?)[0],
            1
        );
        canon_stream_drop_writable(&store, t, wr)?;
        canon_task_return(&store, None, lift_opts(), vec![])?;
        Ok(vec![])
    });
    w.call_returning(callee, c);
    assert_eq!((w.mem_u32(500), w.mem_u32(504)), (1, 0));
}

/// A stream passed between components: A writes, B reads the readable end
/// it received as a parameter; the synchronous read blocks B until A's
/// write arrives.
#[test]
fn a_stream_passed_to_another_component() {
    let w = World::new();
    let (a, b) = (w.inst(), w.inst());
    let st = ValType::Stream(Some(Box::new(ValType::U32)));
    let t = Some(ValType::U32);
    let tb = t.clone();
    // B: consume(s: stream<u32>) -> u32, stackful: a synchronous read of 2.
    let b_callee = w.func(move |store, args| {
        let t = tb.clone();
        async move {
            let r = args[0].as_u64() as u32;
            let got = i32s(&canon_stream_read(&store, t.clone(), sync_opts(), r, 800, 2).await?)[0];
            let sum = {
                let mut e = store.embedder.borrow_mut();
                let m = e.memory(MEM);
                let n = |p: usize| u32::from_le_bytes([m[p], m[p + 1], m[p + 2], m[p + 3]]);
                n(800) + n(804)
            };
            canon_stream_drop_readable(&store, t, r)?;
            canon_task_return(
                &store,
                Some(&ValType::U32),
                lift_opts(),
                vec![CoreValue::I32(sum + got)],
            )?;
            Ok(vec![])
        }
    });
    let consume_t = ft(&[st], Some(ValType::U32), true);
    let consume = w
        .store
        .lift(b_callee, consume_t.clone(), async_opts(None), b);
    let lowered = w.store.lower(consume, consume_t, async_opts(None));
    w.write_mem(700, &[5, 0, 0, 0, 6, 0, 0, 0]);
    let a_callee = w.func(move |store, _| {
        let (lowered, t) = (lowered.clone(), t.clone());
        async move {
            let o = async_opts(None);
            let ends = canon_stream_new(&store, t.clone())?[0].as_u64();
            let (r, wr) = (ends as u32, (ends >> 32) as u32);
            // The call: B blocks in its read.
            let res =
                i32s(&lowered(&store, vec![CoreValue::I32(r), CoreValue::I32(900)]).await?)[0];
            assert_eq!(res & 0xf, 1);
            // The end moved out of A's table: its index now names the subtask.
            assert_eq!(res >> 4, r);
            // The write meets B's pending read: COMPLETED, 2 copied.
            let got = i32s(&canon_stream_write(&store, t.clone(), o, wr, 700, 2).await?)[0];
            assert_eq!(got, 2 << 4);
            canon_stream_drop_writable(&store, t, wr)?;
            let si = i32s(&canon_waitable_set_new(&store)?)[0];
            canon_waitable_join(&store, res >> 4, si)?;
            let code = i32s(&canon_waitable_set_wait(&store, false, MEM, si, 1000).await?)[0];
            assert_eq!(code, 1);
            canon_subtask_drop(&store, res >> 4)?;
            let sum = {
                let mut e = store.embedder.borrow_mut();
                let m = e.memory(MEM);
                u32::from_le_bytes([m[900], m[901], m[902], m[903]])
            };
            canon_task_return(
                &store,
                Some(&ValType::U32),
                lift_opts(),
                vec![CoreValue::I32(sum)],
            )?;
            Ok(vec![])
        }
    });
    let run = w.store.lift(
        a_callee,
        ft(&[], Some(ValType::U32), true),
        async_opts(None),
        a,
    );
    let (result, _) = w.invoke(&run, vec![]).unwrap();
    w.run().unwrap();
    // 5 + 6 + (DROPPED | 2 << 4): B's buffer stays pending until B
    // receives its event, so A's drop replaces the partial-copy event with
    // `DROPPED`, still reporting the 2 values copied.
    assert_eq!(*result.borrow(), Some(Some(vec![Value::U32(11 + 33)])));
}

/// Futures: one value, then `DONE`; the guards on reading twice and on
/// dropping the writable end before writing.
#[test]
fn futures_copy_one_value() {
    let w = World::new();
    let c = w.inst();
    w.write_mem(100, &[7, 0, 0, 0]);
    let callee = w.func(|store, _| async move {
        let t = Some(ValType::U32);
        let o = async_opts(None);
        let ends = canon_future_new(&store, t.clone())?[0].as_u64();
        let (r, wr) = (ends as u32, (ends >> 32) as u32);
        assert_eq!(
            kind(canon_future_drop_writable(&store, t.clone(), wr)),
            TrapKind::FutureWriteEndNotWritten
        );
        let ends = canon_future_new(&store, t.clone())?[0].as_u64();
        let (r2, wr2) = (ends as u32, (ends >> 32) as u32);
        assert_eq!(
            i32s(&canon_future_write(&store, t.clone(), o, wr2, 100).await?)[0],
            BLOCKED
        );
        assert_eq!(
            i32s(&canon_future_read(&store, t.clone(), o, r2, 200).await?)[0],
            0
        );
        assert_eq!(
            kind(canon_future_read(&store, t.clone(), o, r2, 200).await),
            TrapKind::FutureReadAfterRead
        );
        let si = i32s(&canon_waitable_set_new(&store)?)[0];
        canon_waitable_join(&store, wr2, si)?;
        // FUTURE_WRITE, COMPLETED.
        assert_eq!(
            i32s(&canon_waitable_set_poll(&store, false, MEM, si, 300)?)[0],
            5
        );
        canon_waitable_join(&store, wr2, 0)?;
        canon_future_drop_writable(&store, t.clone(), wr2)?;
        canon_future_drop_readable(&store, t.clone(), r2)?;
        let _ = r;
        canon_task_return(&store, None, lift_opts(), vec![])?;
        Ok(vec![])
    });
    w.call_returning(callee, c);
    assert_eq!(w.mem_u32(200), 7);
    // The payloads: the writable end's index (3: the first future's
    // writable end 2 was freed and reused by the second's readable end).
    assert_eq!((w.mem_u32(300), w.mem_u32(304)), (3, 0));
}

/// Error contexts: the deterministic profile discards the message; a
/// replayed choice keeps it. `debug-message` stores (ptr, len); a second
/// drop traps.
#[test]
fn error_contexts_keep_or_discard_their_message() {
    for (choices, expected) in [
        (Choices::deterministic(), ""),
        (Choices::replay(vec![0]), "oops"),
    ] {
        let w = World::with_choices(choices);
        let c = w.inst();
        w.write_mem(100, b"oops");
        let callee = w.func(|store, _| async move {
            let i = i32s(&canon_error_context_new(&store, sync_opts(), 100, 4)?)[0];
            canon_error_context_debug_message(&store, sync_opts(), i, 200)?;
            canon_error_context_drop(&store, i)?;
            assert_eq!(
                kind(canon_error_context_drop(&store, i)),
                TrapKind::UnknownHandle(i as u64)
            );
            Ok(vec![])
        });
        let f = w.store.lift(callee, ft(&[], None, false), sync_opts(), c);
        let _ = w.invoke(&f, vec![]).unwrap();
        let (ptr, len) = (w.mem_u32(200) as usize, w.mem_u32(204) as usize);
        assert_eq!(w.read_mem(ptr, len), expected.as_bytes());
    }
}

/// An error context passed as a result value is the same object in the
/// caller's table.
#[test]
fn error_contexts_pass_between_components() {
    let w = World::with_choices(Choices::replay(vec![0]));
    let (a, b) = (w.inst(), w.inst());
    w.write_mem(100, b"bad");
    let t = ft(&[], Some(ValType::ErrorContext), false);
    let b_callee =
        w.func(|store, _| async move { canon_error_context_new(&store, sync_opts(), 100, 3) });
    let make = w.store.lift(b_callee, t.clone(), sync_opts(), b);
    let lowered = w.store.lower(make, t.clone(), sync_opts());
    let a_callee = w.func(move |store, _| {
        let lowered = lowered.clone();
        async move {
            let i = i32s(&lowered(&store, vec![]).await?)[0];
            canon_error_context_debug_message(&store, sync_opts(), i, 300)?;
            Ok(vec![])
        }
    });
    let run = w.store.lift(a_callee, ft(&[], None, false), sync_opts(), a);
    let _ = w.invoke(&run, vec![]).unwrap();
    let (ptr, len) = (w.mem_u32(300) as usize, w.mem_u32(304) as usize);
    assert_eq!(w.read_mem(ptr, len), b"bad");
}

/// Threads: `thread.new-indirect` makes a suspended thread; the main
/// thread switches to it, it switches back, and each has its own
/// context storage; the task ends when both threads have.
#[test]
fn threads_switch_and_keep_their_own_storage() {
    let w = World::new();
    let c = w.inst();
    let l = w.log.clone();
    let main_index = Rc::new(core::cell::Cell::new(0u32));
    let mi = main_index.clone();
    let child = w.func(move |store, args| {
        let (l, mi) = (l.clone(), mi.clone());
        async move {
            l.borrow_mut().push(alloc::format!(
                "child {} index {}",
                args[0].as_u64(),
                i32s(&canon_thread_index(&store)?)[0]
            ));
            canon_context_set(&store, CoreType::I32, 0, 99)?;
            canon_thread_yield_then_resume(&store, false, mi.get()).await?;
            l.borrow_mut().push(alloc::format!(
                "child again, storage {}",
                canon_context_get(&store, CoreType::I32, 0)?[0].as_u64()
            ));
            Ok(vec![])
        }
    });
    let l = w.log.clone();
    let main = w.func(move |store, _| {
        let (l, mi) = (l.clone(), main_index.clone());
        async move {
            let me = i32s(&canon_thread_index(&store)?)[0];
            mi.set(me);
            let ft = CoreFuncType {
                params: vec![CoreType::I32],
                results: vec![],
            };
            let table = move |i: u64| -> Result<CoreFuncRef, Trap> {
                if i == 0 {
                    Ok(CoreFuncRef {
                        t: CoreFuncType {
                            params: vec![CoreType::I32],
                            results: vec![],
                        },
                        callee: child,
                    })
                } else {
                    Err(TrapKind::Core("undefined element".into()).into())
                }
            };
            let new = i32s(&canon_thread_new_indirect(
                &store,
                &ft,
                &table,
                0,
                CoreValue::I32(7),
            )?)[0];
            assert_eq!(
                kind(canon_thread_new_indirect(
                    &store,
                    &ft,
                    &table,
                    1,
                    CoreValue::I32(7)
                )),
                TrapKind::Core("undefined element".into())
            );
            canon_context_set(&store, CoreType::I32, 0, 5)?;
            l.borrow_mut().push(alloc::format!("main {me} made {new}"));
            canon_thread_suspend_then_resume(&store, false, new).await?;
            l.borrow_mut().push(alloc::format!(
                "main again, storage {}",
                canon_context_get(&store, CoreType::I32, 0)?[0].as_u64()
            ));
            canon_task_return(&store, None, lift_opts(), vec![])?;
            canon_thread_yield(&store, false).await?;
            Ok(vec![])
        }
    });
    let f = w.store.lift(main, ft(&[], None, true), async_opts(None), c);
    let (result, _) = w.invoke(&f, vec![]).unwrap();
    w.run().unwrap();
    assert_eq!(*result.borrow(), Some(Some(vec![])));
    assert_eq!(
        w.logged(),
        vec![
            "on_start",
            "main 1 made 2",
            "child 7 index 2",
            "main again, storage 5",
            "child again, storage 99",
        ]
    );
    assert_eq!(
        w.store
            .state
            .borrow()
            .instances
            .get(c)
            .unwrap()
            .threads
            .iter()
            .count(),
        0
    );
}

/// The 🧵② built-ins: the deterministic profile's answers (no thread
/// spawned, one thread of parallelism), else "not supported".
#[test]
fn shared_everything_threads_answer_in_the_deterministic_profile_only() {
    for (choices, profile) in [
        (Choices::deterministic(), true),
        (Choices::random(1), false),
    ] {
        let w = World::with_choices(choices);
        let c = w.inst();
        let results = Rc::new(RefCell::new(Vec::new()));
        let seen = results.clone();
        let callee = w.func(move |store, _| {
            let seen = seen.clone();
            async move {
                let mut r = canon_thread_spawn_ref(&store)?;
                r.extend(canon_thread_spawn_indirect(&store)?);
                r.extend(canon_thread_available_parallelism(&store)?);
                *seen.borrow_mut() = i32s(&r);
                Ok(vec![])
            }
        });
        let f = w.store.lift(callee, ft(&[], None, false), sync_opts(), c);
        match w.invoke(&f, vec![]).map(|_| ()) {
            Ok(()) if profile => assert_eq!(*results.borrow(), vec![0, 0, 1]),
            Err(t) if !profile => assert!(matches!(t.kind, TrapKind::NotSupportedThreads(_))),
            other => panic!("{other:?}"),
        }
    }
}

/// Under seeded random choices the callback scenario still produces the
/// same result (the schedule differs, the outcome may not).
#[test]
fn random_schedules_reach_the_same_result() {
    for seed in 1..=10 {
        let w = World::with_choices(Choices::random(seed));
        let c = w.inst();
        let callee = w.func(|_, _| async { Ok(vec![CoreValue::I32(YIELD)]) });
        let callback = w.func(|store, args| async move {
            assert_eq!(i32s(&args), vec![0, 0, 0]);
            canon_task_return(
                &store,
                Some(&ValType::U32),
                lift_opts(),
                vec![CoreValue::I32(1)],
            )?;
            Ok(vec![CoreValue::I32(EXIT)])
        });
        let f = w.store.lift(
            callee,
            ft(&[], Some(ValType::U32), true),
            async_opts(Some(callback)),
            c,
        );
        let results: Vec<Result_> = (0..3).map(|_| w.invoke(&f, vec![]).unwrap().0).collect();
        w.run().unwrap();
        for r in results {
            assert_eq!(*r.borrow(), Some(Some(vec![Value::U32(1)])), "seed {seed}");
        }
    }
}

/// A cancellation requested while no thread is cancellable stays pending
/// (`PENDING_CANCEL`) and is delivered at the next cancellable point.
#[test]
fn pending_cancellation_is_delivered_at_the_next_cancellable_point() {
    let w = World::new();
    let c = w.inst();
    let l = w.log.clone();
    let callee = w.func(move |store, _| {
        let l = l.clone();
        async move {
            let first = i32s(&canon_thread_yield(&store, false).await?)[0];
            let second = i32s(&canon_thread_yield(&store, true).await?)[0];
            l.borrow_mut()
                .push(alloc::format!("yields {first} {second}"));
            canon_task_cancel(&store)?;
            Ok(vec![])
        }
    });
    let f = w
        .store
        .lift(callee, ft(&[], None, true), async_opts(None), c);
    let (result, on_cancel) = w.invoke(&f, vec![]).unwrap();
    on_cancel.call(&w.store, None).unwrap();
    assert_eq!(*result.borrow(), None, "not delivered yet");
    w.run().unwrap();
    assert_eq!(*result.borrow(), Some(None));
    assert_eq!(w.logged(), vec!["on_start", "yields 0 1"]);
}

/// `Store.tick` logs each choice among several ready threads, so a
/// replay of the log reproduces the schedule.
#[test]
fn tick_choices_are_logged_and_replayable() {
    let order = |choices: Choices| {
        let w = World::with_choices(choices);
        let c = w.inst();
        let l = w.log.clone();
        let callee = w.func(move |store, args| {
            let l = l.clone();
            async move {
                canon_thread_yield(&store, false).await?;
                l.borrow_mut().push(alloc::format!("{}", args[0].as_u64()));
                canon_task_return(&store, None, lift_opts(), vec![])?;
                Ok(vec![])
            }
        });
        let f = w
            .store
            .lift(callee, ft(&[ValType::U32], None, true), async_opts(None), c);
        for i in 0..3 {
            let _ = w.invoke(&f, vec![Value::U32(i)]).unwrap();
        }
        w.run().unwrap();
        let log = w.store.choices.borrow().log.clone();
        (w.logged(), log)
    };
    let (first, _) = order(Choices::deterministic());
    assert_eq!(
        first,
        vec!["on_start", "on_start", "on_start", "0", "1", "2"]
    );
    let (random, log) = order(Choices::random(3));
    let script = log.iter().map(|m| m.chosen).collect();
    let (replayed, _) = order(Choices::replay(script));
    assert_eq!(random, replayed);
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
    let (first, _) = w.store.invoke_host(&f, vec![Value::U32(1)]).unwrap();
    assert_eq!(w.store.take_host_result(first), None, "yielded first");
    w.store.end_host_call(first);
    // Resolved at once, in the slot the first call had.
    let (second, _) = w.store.invoke_host(&f, vec![Value::U32(2)]).unwrap();
    assert_ne!(first, second);
    // The first resolves now, for nobody.
    w.run().unwrap();
    assert_eq!(w.store.take_host_result(first), None);
    assert_eq!(w.store.take_host_result(second), Some(vec![Value::U32(2)]));
    assert_eq!(w.store.take_host_result(second), None, "taken once");
}
