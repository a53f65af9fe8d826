//! Streams, futures and error contexts, within a component and between
//! two.

use super::*;

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
