//! Threads, and the choices a schedule makes among them.

use super::*;

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
