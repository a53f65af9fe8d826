//! 🔀 `canon {stream,future}.new`, `stream.{read,write}`,
//! `future.{read,write}`, `{stream,future}.cancel-{read,write}` and
//! `{stream,future}.drop-{readable,writable}` (CanonicalABI.md, the
//! sections of those names), with their shared `stream_copy`,
//! `future_copy`, `cancel_copy` and `drop`.
//!
//! `stream_t`/`future_t` are given as their element type `t` (`None` for
//! a `stream`/`future` without one).

use crate::buffer::{BufferGuestImpl, ReadableBufferGuestImpl, WritableBufferGuestImpl};
use crate::canon_subtask::BLOCKED;
use crate::canon_task::check_may_leave;
use crate::core_value::{CoreType, CoreValue};
use crate::future::{ReadableFutureEnd, SharedFutureImpl, WritableFutureEnd};
use crate::instance::{HandleElem, InstanceId};
use crate::options::{CanonicalOptions, PtrType};
use crate::store::{Store, internal};
use crate::stream::{
    CopyEnd, CopyResult, CopyState, End, EndT, OnCopy, OnCopyDone, ReadableStreamEnd,
    ReclaimBuffer, SharedStreamImpl, WritableStreamEnd, drop_copy_end,
};
use crate::trace::{traced, traced_async};
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::ValType;
use crate::waitable::{
    EventCode, EventTuple, get_pending_event, has_pending_event, wait_for_pending_event,
};
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

/// `canon_stream_new`: the readable end's index in the low 32 bits, the
/// writable end's in the high.
pub fn canon_stream_new(store: &Store, t: Option<ValType>) -> Result<Vec<CoreValue>, Trap> {
    traced!(store, "canon_stream_new", [], |results| [Core(results)], {
        let inst = check_may_leave(store)?;
        let shared = SharedStreamImpl::new(t);
        let mut state = store.state.borrow_mut();
        let handles = &mut state.inst_mut(inst)?.handles;
        let ri = handles.add(HandleElem::CopyEnd(CopyEnd::new(End::ReadableStream(
            ReadableStreamEnd {
                shared: shared.clone(),
            },
        ))))?;
        let wi = handles.add(HandleElem::CopyEnd(CopyEnd::new(End::WritableStream(
            WritableStreamEnd { shared },
        ))))?;
        Ok(vec![CoreValue::I64(ri as u64 | ((wi as u64) << 32))])
    })
}

/// `canon_future_new`.
pub fn canon_future_new(store: &Store, t: Option<ValType>) -> Result<Vec<CoreValue>, Trap> {
    traced!(store, "canon_future_new", [], |results| [Core(results)], {
        let inst = check_may_leave(store)?;
        let shared = SharedFutureImpl::new(t);
        let mut state = store.state.borrow_mut();
        let handles = &mut state.inst_mut(inst)?.handles;
        let ri = handles.add(HandleElem::CopyEnd(CopyEnd::new(End::ReadableFuture(
            ReadableFutureEnd {
                shared: shared.clone(),
            },
        ))))?;
        let wi = handles.add(HandleElem::CopyEnd(CopyEnd::new(End::WritableFuture(
            WritableFutureEnd { shared },
        ))))?;
        Ok(vec![CoreValue::I64(ri as u64 | ((wi as u64) << 32))])
    })
}

/// `canon_stream_read`.
pub async fn canon_stream_read(
    store: &Rc<Store>,
    t: Option<ValType>,
    opts: CanonicalOptions,
    i: u32,
    ptr: u64,
    n: u64,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_stream_read",
        [Int("i", u64::from(i)), Ptr(ptr), Len(n)],
        |results| [Core(results)],
        {
            stream_copy(
                store,
                EndT::ReadableStreamEnd,
                EventCode::StreamRead,
                t,
                opts,
                i,
                ptr,
                n,
            )
            .await
        }
    )
}

/// `canon_stream_write`.
pub async fn canon_stream_write(
    store: &Rc<Store>,
    t: Option<ValType>,
    opts: CanonicalOptions,
    i: u32,
    ptr: u64,
    n: u64,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_stream_write",
        [Int("i", u64::from(i)), Ptr(ptr), Len(n)],
        |results| [Core(results)],
        {
            stream_copy(
                store,
                EndT::WritableStreamEnd,
                EventCode::StreamWrite,
                t,
                opts,
                i,
                ptr,
                n,
            )
            .await
        }
    )
}

/// The `addrtype` of `opts.memory` (`i32` without one), as a core type.
fn addr_type(store: &Store, opts: &CanonicalOptions) -> CoreType {
    match opts.memory.map(|m| store.embedder.borrow().ptr_type(m)) {
        Some(PtrType::I64) => CoreType::I64,
        _ => CoreType::I32,
    }
}

/// The guards shared by `stream_copy` and `future_copy`: the element at
/// `i` is an `EndT` of element type `t`, idle, and not in a waitable set
/// unless the copy is `async`.
fn check_end(
    store: &Store,
    inst: InstanceId,
    end_t: EndT,
    t: &Option<ValType>,
    async_: bool,
    i: u32,
) -> Result<End, Trap> {
    let mut state = store.state.borrow_mut();
    let e = state.copy_end_mut(inst, i)?;
    trap_if(e.end.end_t() != end_t, TrapKind::WrongHandleType(i as u64))?;
    trap_if(e.end.t() != t.as_ref(), TrapKind::WrongHandleType(i as u64))?;
    if e.state != CopyState::Idle {
        return Err(match (e.state, end_t) {
            (CopyState::Done, EndT::ReadableStreamEnd) => TrapKind::StreamReadAfterDropped,
            (CopyState::Done, EndT::WritableStreamEnd) => TrapKind::StreamWriteAfterDropped,
            (CopyState::Done, EndT::ReadableFutureEnd) => TrapKind::FutureReadAfterRead,
            (CopyState::Done, EndT::WritableFutureEnd) => TrapKind::FutureWriteAfterWrite,
            _ => TrapKind::CopyNotIdle,
        }
        .into());
    }
    trap_if(
        e.waitable.in_waitable_set() && !async_,
        TrapKind::WaitableInSet,
    )?;
    Ok(e.end.clone())
}

/// Sets `e.state`.
fn set_copy_state(store: &Store, inst: InstanceId, i: u32, s: CopyState) -> Result<(), Trap> {
    store.state.borrow_mut().copy_end_mut(inst, i)?.state = s;
    Ok(())
}

/// The end of `stream_copy`, `future_copy` and `cancel_copy`: deliver the
/// pending event, waiting for it if synchronous, or return `BLOCKED`.
async fn finish_copy(
    store: &Rc<Store>,
    inst: InstanceId,
    i: u32,
    async_: bool,
    result_t: CoreType,
) -> Result<Vec<CoreValue>, Trap> {
    if !has_pending_event(store, inst, i) {
        if !async_ {
            wait_for_pending_event(store, inst, i).await?;
        } else {
            return Ok(vec![CoreValue::int(result_t, BLOCKED as u64)]);
        }
    }
    let (_code, _index, payload) = get_pending_event(store, inst, i)?;
    Ok(vec![CoreValue::int(result_t, payload as u64)])
}

/// The buffer of a copy: a `WritableBufferGuestImpl` for a read, a
/// `ReadableBufferGuestImpl` for a write.
enum GuestBuffer {
    Dst(Rc<WritableBufferGuestImpl>),
    Src(Rc<ReadableBufferGuestImpl>),
}

impl GuestBuffer {
    fn new(
        store: &Store,
        end_t: EndT,
        opts: CanonicalOptions,
        inst: InstanceId,
        t: Option<ValType>,
        ptr: u64,
        n: u64,
    ) -> Result<GuestBuffer, Trap> {
        let b = BufferGuestImpl::new(store, opts, inst, t, ptr, n)?;
        Ok(match end_t {
            EndT::ReadableStreamEnd | EndT::ReadableFutureEnd => {
                GuestBuffer::Dst(Rc::new(WritableBufferGuestImpl(b)))
            }
            EndT::WritableStreamEnd | EndT::WritableFutureEnd => {
                GuestBuffer::Src(Rc::new(ReadableBufferGuestImpl(b)))
            }
        })
    }

    /// `buffer.progress`, read later by the event.
    fn progress(&self) -> Rc<dyn Fn() -> u32> {
        match self {
            GuestBuffer::Dst(b) => {
                let b = b.clone();
                Rc::new(move || b.0.progress.get())
            }
            GuestBuffer::Src(b) => {
                let b = b.clone();
                Rc::new(move || b.0.progress.get())
            }
        }
    }
}

/// Sets the pending event of the end at `i`.
fn set_pending_event(
    store: &Store,
    inst: InstanceId,
    i: u32,
    ev: crate::waitable::PendingEvent,
) -> Result<(), Trap> {
    store
        .state
        .borrow_mut()
        .copy_end_mut(inst, i)?
        .waitable
        .set_pending_event(ev);
    Ok(())
}

/// `stream_copy`.
#[allow(clippy::too_many_arguments)]
pub async fn stream_copy(
    store: &Rc<Store>,
    end_t: EndT,
    event_code: EventCode,
    t: Option<ValType>,
    opts: CanonicalOptions,
    i: u32,
    ptr: u64,
    n: u64,
) -> Result<Vec<CoreValue>, Trap> {
    let inst = check_may_leave(store)?;
    let end = check_end(store, inst, end_t, &t, opts.async_, i)?;
    let buffer = GuestBuffer::new(store, end_t, opts, inst, t, ptr, n)?;
    let progress = buffer.progress();
    // `stream_event`, bound to its result and `reclaim_buffer`.
    let stream_event = Rc::new(move |result: CopyResult, reclaim_buffer: ReclaimBuffer| {
        let progress = progress.clone();
        Box::new(move |store: &Rc<Store>| -> Result<EventTuple, Trap> {
            reclaim_buffer();
            let mut state = store.state.borrow_mut();
            let e = state.copy_end_mut(inst, i)?;
            debug_assert!(e.copying());
            e.state = if result == CopyResult::Dropped {
                CopyState::Done
            } else {
                CopyState::Idle
            };
            let packed_result = result as u32 | (progress() << 4);
            Ok((event_code, i, packed_result))
        }) as crate::waitable::PendingEvent
    });
    let se = stream_event.clone();
    let on_copy: OnCopy = Rc::new(move |store: &Rc<Store>, reclaim_buffer| {
        set_pending_event(store, inst, i, se(CopyResult::Completed, reclaim_buffer))
    });
    let on_copy_done: OnCopyDone = Box::new(move |store: &Rc<Store>, result| {
        set_pending_event(store, inst, i, stream_event(result, Box::new(|| ())))
    });
    set_copy_state(store, inst, i, CopyState::Copying)?;
    match (end, buffer) {
        (End::ReadableStream(e), GuestBuffer::Dst(b)) => {
            e.copy(store, inst, b, on_copy, on_copy_done)?
        }
        (End::WritableStream(e), GuestBuffer::Src(b)) => {
            e.copy(store, inst, b, on_copy, on_copy_done)?
        }
        _ => return Err(internal("stream_copy of a future end")),
    }
    finish_copy(store, inst, i, opts.async_, addr_type(store, &opts)).await
}

/// `canon_future_read`.
pub async fn canon_future_read(
    store: &Rc<Store>,
    t: Option<ValType>,
    opts: CanonicalOptions,
    i: u32,
    ptr: u64,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_future_read",
        [Int("i", u64::from(i)), Ptr(ptr)],
        |results| [Core(results)],
        {
            future_copy(
                store,
                EndT::ReadableFutureEnd,
                EventCode::FutureRead,
                t,
                opts,
                i,
                ptr,
            )
            .await
        }
    )
}

/// `canon_future_write`.
pub async fn canon_future_write(
    store: &Rc<Store>,
    t: Option<ValType>,
    opts: CanonicalOptions,
    i: u32,
    ptr: u64,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_future_write",
        [Int("i", u64::from(i)), Ptr(ptr)],
        |results| [Core(results)],
        {
            future_copy(
                store,
                EndT::WritableFutureEnd,
                EventCode::FutureWrite,
                t,
                opts,
                i,
                ptr,
            )
            .await
        }
    )
}

/// `future_copy`.
pub async fn future_copy(
    store: &Rc<Store>,
    end_t: EndT,
    event_code: EventCode,
    t: Option<ValType>,
    opts: CanonicalOptions,
    i: u32,
    ptr: u64,
) -> Result<Vec<CoreValue>, Trap> {
    let inst = check_may_leave(store)?;
    let end = check_end(store, inst, end_t, &t, opts.async_, i)?;
    let buffer = GuestBuffer::new(store, end_t, opts, inst, t, ptr, 1)?;
    // `future_event`, bound to its result.
    let future_event = move |result: CopyResult| {
        Box::new(move |store: &Rc<Store>| -> Result<EventTuple, Trap> {
            let mut state = store.state.borrow_mut();
            let e = state.copy_end_mut(inst, i)?;
            debug_assert!(e.copying());
            e.state = if matches!(result, CopyResult::Dropped | CopyResult::Completed) {
                CopyState::Done
            } else {
                CopyState::Idle
            };
            Ok((event_code, i, result as u32))
        }) as crate::waitable::PendingEvent
    };
    let on_copy_done: OnCopyDone = Box::new(move |store: &Rc<Store>, result| {
        debug_assert!(result != CopyResult::Dropped || event_code == EventCode::FutureWrite);
        set_pending_event(store, inst, i, future_event(result))
    });
    set_copy_state(store, inst, i, CopyState::Copying)?;
    match (end, buffer) {
        (End::ReadableFuture(e), GuestBuffer::Dst(b)) => e.copy(store, inst, b, on_copy_done)?,
        (End::WritableFuture(e), GuestBuffer::Src(b)) => e.copy(store, inst, b, on_copy_done)?,
        _ => return Err(internal("future_copy of a stream end")),
    }
    finish_copy(store, inst, i, opts.async_, addr_type(store, &opts)).await
}

/// `canon_stream_cancel_read`.
pub async fn canon_stream_cancel_read(
    store: &Rc<Store>,
    t: Option<ValType>,
    async_: bool,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_stream_cancel_read",
        [Int("async_", u64::from(async_)), Int("i", u64::from(i))],
        |results| [Core(results)],
        { cancel_copy(store, EndT::ReadableStreamEnd, t, async_, i).await }
    )
}

/// `canon_stream_cancel_write`.
pub async fn canon_stream_cancel_write(
    store: &Rc<Store>,
    t: Option<ValType>,
    async_: bool,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_stream_cancel_write",
        [Int("async_", u64::from(async_)), Int("i", u64::from(i))],
        |results| [Core(results)],
        { cancel_copy(store, EndT::WritableStreamEnd, t, async_, i).await }
    )
}

/// `canon_future_cancel_read`.
pub async fn canon_future_cancel_read(
    store: &Rc<Store>,
    t: Option<ValType>,
    async_: bool,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_future_cancel_read",
        [Int("async_", u64::from(async_)), Int("i", u64::from(i))],
        |results| [Core(results)],
        { cancel_copy(store, EndT::ReadableFutureEnd, t, async_, i).await }
    )
}

/// `canon_future_cancel_write`.
pub async fn canon_future_cancel_write(
    store: &Rc<Store>,
    t: Option<ValType>,
    async_: bool,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced_async!(
        store,
        "canon_future_cancel_write",
        [Int("async_", u64::from(async_)), Int("i", u64::from(i))],
        |results| [Core(results)],
        { cancel_copy(store, EndT::WritableFutureEnd, t, async_, i).await }
    )
}

/// `cancel_copy`. The result is an `i32` (`(func (param i32) (result
/// i32))`).
pub async fn cancel_copy(
    store: &Rc<Store>,
    end_t: EndT,
    t: Option<ValType>,
    async_: bool,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    let inst = check_may_leave(store)?;
    let end = {
        let mut state = store.state.borrow_mut();
        let e = state.copy_end_mut(inst, i)?;
        trap_if(e.end.end_t() != end_t, TrapKind::WrongHandleType(i as u64))?;
        trap_if(e.end.t() != t.as_ref(), TrapKind::WrongHandleType(i as u64))?;
        trap_if(
            e.state != CopyState::Copying || e.waitable.has_sync_waiter,
            TrapKind::CancelNotCopying,
        )?;
        trap_if(
            e.waitable.in_waitable_set() && !async_,
            TrapKind::WaitableInSet,
        )?;
        e.state = CopyState::CancellingCopy;
        e.end.clone()
    };
    if !has_pending_event(store, inst, i) {
        end.cancel(store)?;
    }
    finish_copy(store, inst, i, async_, CoreType::I32).await
}

/// `canon_stream_drop_readable`.
pub fn canon_stream_drop_readable(
    store: &Rc<Store>,
    t: Option<ValType>,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_stream_drop_readable",
        [Int("i", u64::from(i))],
        |results| [Core(results)],
        { drop(store, EndT::ReadableStreamEnd, t, i) }
    )
}

/// `canon_stream_drop_writable`.
pub fn canon_stream_drop_writable(
    store: &Rc<Store>,
    t: Option<ValType>,
    hi: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_stream_drop_writable",
        [Int("hi", u64::from(hi))],
        |results| [Core(results)],
        { drop(store, EndT::WritableStreamEnd, t, hi) }
    )
}

/// `canon_future_drop_readable`.
pub fn canon_future_drop_readable(
    store: &Rc<Store>,
    t: Option<ValType>,
    i: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_future_drop_readable",
        [Int("i", u64::from(i))],
        |results| [Core(results)],
        { drop(store, EndT::ReadableFutureEnd, t, i) }
    )
}

/// `canon_future_drop_writable`.
pub fn canon_future_drop_writable(
    store: &Rc<Store>,
    t: Option<ValType>,
    hi: u32,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_future_drop_writable",
        [Int("hi", u64::from(hi))],
        |results| [Core(results)],
        { drop(store, EndT::WritableFutureEnd, t, hi) }
    )
}

/// `drop`.
pub fn drop(
    store: &Rc<Store>,
    end_t: EndT,
    t: Option<ValType>,
    hi: u32,
) -> Result<Vec<CoreValue>, Trap> {
    let inst = check_may_leave(store)?;
    let e = {
        let mut state = store.state.borrow_mut();
        let HandleElem::CopyEnd(e) = state.inst_mut(inst)?.handles.remove(hi as u64)? else {
            return Err(TrapKind::WrongHandleType(hi as u64).into());
        };
        e
    };
    trap_if(e.end.end_t() != end_t, TrapKind::WrongHandleType(hi as u64))?;
    trap_if(
        e.end.t() != t.as_ref(),
        TrapKind::WrongHandleType(hi as u64),
    )?;
    drop_copy_end(store, inst, e, hi)?;
    Ok(vec![])
}
