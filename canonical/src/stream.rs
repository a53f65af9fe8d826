//! Stream State (CanonicalABI.md "Stream State"): `CopyResult`, the
//! abstract `ReadableStream`/`WritableStream` interfaces, the wasm-created
//! `SharedStreamImpl`, and the `CopyEnd`s that sit in `handles` tables.
//!
//! The spec's callbacks (`OnCopy`, `OnCopyDone`, `ReclaimBuffer`) are
//! closures here too; they receive the store. Shared state sits in
//! `Cell`/`RefCell` fields that are never borrowed across a callback, and
//! every method runs with the store's state unborrowed.

use crate::buffer::{PendingBuffer, ReadableBuffer, WritableBuffer};
use crate::future::{ReadableFutureEnd, WritableFutureEnd};
use crate::instance::InstanceId;
use crate::store::{State, Store, internal};
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::ValType;
use crate::waitable::{Waitable, drop_waitable};
use alloc::boxed::Box;
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};
use core::fmt;

/// `CopyResult`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyResult {
    Completed = 0,
    Dropped = 1,
    Cancelled = 2,
}

/// `ReclaimBuffer`.
pub type ReclaimBuffer = Box<dyn FnOnce()>;
/// `OnCopy`.
pub type OnCopy = Rc<dyn Fn(&Rc<Store>, ReclaimBuffer) -> Result<(), Trap>>;
/// `OnCopyDone`.
pub type OnCopyDone = Box<dyn FnOnce(&Rc<Store>, CopyResult) -> Result<(), Trap>>;

/// `SharedBase`.
pub trait SharedBase {
    /// `t`.
    fn t(&self) -> Option<&ValType>;
    /// `cancel`.
    fn cancel(self: Rc<Self>, store: &Rc<Store>) -> Result<(), Trap>;
    /// `drop`.
    fn drop(self: Rc<Self>, store: &Rc<Store>) -> Result<(), Trap>;
}

/// `ReadableStream`: implemented by wasm ([`SharedStreamImpl`]) or the host.
pub trait ReadableStream: SharedBase {
    /// `read`.
    fn read(
        self: Rc<Self>,
        store: &Rc<Store>,
        inst: Option<InstanceId>,
        dst: Rc<dyn WritableBuffer>,
        on_copy: OnCopy,
        on_copy_done: OnCopyDone,
    ) -> Result<(), Trap>;
}

/// `WritableStream`.
pub trait WritableStream: SharedBase {
    /// `write`.
    fn write(
        self: Rc<Self>,
        store: &Rc<Store>,
        inst: Option<InstanceId>,
        src: Rc<dyn ReadableBuffer>,
        on_copy: OnCopy,
        on_copy_done: OnCopyDone,
    ) -> Result<(), Trap>;
}

/// `SharedStreamImpl`.
pub struct SharedStreamImpl {
    pub t: Option<ValType>,
    pub dropped: Cell<bool>,
    pub pending_inst: Cell<Option<InstanceId>>,
    pub pending_buffer: RefCell<Option<PendingBuffer>>,
    pub pending_on_copy: RefCell<Option<OnCopy>>,
    pub pending_on_copy_done: RefCell<Option<OnCopyDone>>,
}

impl fmt::Debug for SharedStreamImpl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedStreamImpl")
            .field("t", &self.t)
            .field("dropped", &self.dropped.get())
            .field("pending_inst", &self.pending_inst.get())
            .finish()
    }
}

impl SharedStreamImpl {
    /// `SharedStreamImpl(t)`.
    pub fn new(t: Option<ValType>) -> Rc<SharedStreamImpl> {
        Rc::new(SharedStreamImpl {
            t,
            dropped: Cell::new(false),
            pending_inst: Cell::new(None),
            pending_buffer: RefCell::new(None),
            pending_on_copy: RefCell::new(None),
            pending_on_copy_done: RefCell::new(None),
        })
    }

    /// `reset_pending`.
    pub fn reset_pending(&self) {
        self.set_pending(None, None, None, None);
    }

    /// `set_pending`.
    pub fn set_pending(
        &self,
        inst: Option<InstanceId>,
        buffer: Option<PendingBuffer>,
        on_copy: Option<OnCopy>,
        on_copy_done: Option<OnCopyDone>,
    ) {
        self.pending_inst.set(inst);
        *self.pending_buffer.borrow_mut() = buffer;
        *self.pending_on_copy.borrow_mut() = on_copy;
        *self.pending_on_copy_done.borrow_mut() = on_copy_done;
    }

    /// `reset_and_notify_pending`.
    pub fn reset_and_notify_pending(
        &self,
        store: &Rc<Store>,
        result: CopyResult,
    ) -> Result<(), Trap> {
        let pending_on_copy_done = self.pending_on_copy_done.borrow_mut().take();
        self.reset_pending();
        match pending_on_copy_done {
            Some(f) => f(store, result),
            None => Err(internal("no pending copy to notify")),
        }
    }

    fn pending(&self) -> Option<PendingBuffer> {
        self.pending_buffer.borrow().clone()
    }

    /// `pending_on_copy(self.reset_pending)`.
    fn notify_pending_on_copy(self: &Rc<Self>, store: &Rc<Store>) -> Result<(), Trap> {
        let on_copy = self
            .pending_on_copy
            .borrow()
            .clone()
            .ok_or(internal("no pending on_copy"))?;
        let me = self.clone();
        on_copy(store, Box::new(move || me.reset_pending()))
    }

    /// The `# temporary` trap of `read` and `write`.
    fn check_intra_component(&self, inst: Option<InstanceId>) -> Result<(), Trap> {
        trap_if(
            inst == self.pending_inst.get() && !none_or_number_type(self.t.as_ref()),
            TrapKind::IntraComponentStream,
        )
    }
}

impl SharedBase for SharedStreamImpl {
    fn t(&self) -> Option<&ValType> {
        self.t.as_ref()
    }

    fn cancel(self: Rc<Self>, store: &Rc<Store>) -> Result<(), Trap> {
        self.reset_and_notify_pending(store, CopyResult::Cancelled)
    }

    fn drop(self: Rc<Self>, store: &Rc<Store>) -> Result<(), Trap> {
        if !self.dropped.get() {
            self.dropped.set(true);
            if self.pending().is_some() {
                self.reset_and_notify_pending(store, CopyResult::Dropped)?;
            }
        }
        Ok(())
    }
}

impl ReadableStream for SharedStreamImpl {
    fn read(
        self: Rc<Self>,
        store: &Rc<Store>,
        inst: Option<InstanceId>,
        dst_buffer: Rc<dyn WritableBuffer>,
        on_copy: OnCopy,
        on_copy_done: OnCopyDone,
    ) -> Result<(), Trap> {
        if self.dropped.get() {
            return on_copy_done(store, CopyResult::Dropped);
        }
        let Some(pending_buffer) = self.pending() else {
            self.set_pending(
                inst,
                Some(PendingBuffer::Writable(dst_buffer)),
                Some(on_copy),
                Some(on_copy_done),
            );
            return Ok(());
        };
        let PendingBuffer::Readable(src) = pending_buffer else {
            return Err(internal("two pending reads of one stream"));
        };
        self.check_intra_component(inst)?;
        if src.remain() > 0 {
            if dst_buffer.remain() > 0 {
                let n = dst_buffer.remain().min(src.remain());
                dst_buffer.write(store, src.read(store, n)?)?;
                self.notify_pending_on_copy(store)?;
            }
            on_copy_done(store, CopyResult::Completed)
        } else {
            self.reset_and_notify_pending(store, CopyResult::Completed)?;
            self.set_pending(
                inst,
                Some(PendingBuffer::Writable(dst_buffer)),
                Some(on_copy),
                Some(on_copy_done),
            );
            Ok(())
        }
    }
}

impl WritableStream for SharedStreamImpl {
    fn write(
        self: Rc<Self>,
        store: &Rc<Store>,
        inst: Option<InstanceId>,
        src_buffer: Rc<dyn ReadableBuffer>,
        on_copy: OnCopy,
        on_copy_done: OnCopyDone,
    ) -> Result<(), Trap> {
        if self.dropped.get() {
            return on_copy_done(store, CopyResult::Dropped);
        }
        let Some(pending_buffer) = self.pending() else {
            self.set_pending(
                inst,
                Some(PendingBuffer::Readable(src_buffer)),
                Some(on_copy),
                Some(on_copy_done),
            );
            return Ok(());
        };
        let PendingBuffer::Writable(dst) = pending_buffer else {
            return Err(internal("two pending writes of one stream"));
        };
        self.check_intra_component(inst)?;
        if dst.remain() > 0 {
            if src_buffer.remain() > 0 {
                let n = src_buffer.remain().min(dst.remain());
                dst.write(store, src_buffer.read(store, n)?)?;
                self.notify_pending_on_copy(store)?;
            }
            on_copy_done(store, CopyResult::Completed)
        } else if src_buffer.is_zero_length() && dst.is_zero_length() {
            on_copy_done(store, CopyResult::Completed)
        } else {
            self.reset_and_notify_pending(store, CopyResult::Completed)?;
            self.set_pending(
                inst,
                Some(PendingBuffer::Readable(src_buffer)),
                Some(on_copy),
                Some(on_copy_done),
            );
            Ok(())
        }
    }
}

/// `none_or_number_type`.
pub fn none_or_number_type(t: Option<&ValType>) -> bool {
    matches!(
        t,
        None | Some(
            ValType::U8
                | ValType::U16
                | ValType::U32
                | ValType::U64
                | ValType::S8
                | ValType::S16
                | ValType::S32
                | ValType::S64
                | ValType::F32
                | ValType::F64
        )
    )
}

/// `CopyState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyState {
    Idle = 1,
    Copying = 2,
    CancellingCopy = 3,
    Done = 4,
}

/// `ReadableStreamEnd(CopyEnd)`: its `shared`.
#[derive(Clone)]
pub struct ReadableStreamEnd {
    pub shared: Rc<dyn ReadableStream>,
}

/// `WritableStreamEnd(CopyEnd)`: its `shared`.
#[derive(Clone)]
pub struct WritableStreamEnd {
    pub shared: Rc<dyn WritableStream>,
}

impl ReadableStreamEnd {
    /// `copy`.
    pub fn copy(
        &self,
        store: &Rc<Store>,
        inst: InstanceId,
        dst: Rc<dyn WritableBuffer>,
        on_copy: OnCopy,
        on_copy_done: OnCopyDone,
    ) -> Result<(), Trap> {
        self.shared
            .clone()
            .read(store, Some(inst), dst, on_copy, on_copy_done)
    }
}

impl WritableStreamEnd {
    /// `copy`.
    pub fn copy(
        &self,
        store: &Rc<Store>,
        inst: InstanceId,
        src: Rc<dyn ReadableBuffer>,
        on_copy: OnCopy,
        on_copy_done: OnCopyDone,
    ) -> Result<(), Trap> {
        self.shared
            .clone()
            .write(store, Some(inst), src, on_copy, on_copy_done)
    }
}

/// Which of the four `CopyEnd` subclasses an end is (the spec's `EndT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndT {
    ReadableStreamEnd,
    WritableStreamEnd,
    ReadableFutureEnd,
    WritableFutureEnd,
}

/// The subclass part of a [`CopyEnd`].
#[derive(Clone)]
pub enum End {
    ReadableStream(ReadableStreamEnd),
    WritableStream(WritableStreamEnd),
    ReadableFuture(ReadableFutureEnd),
    WritableFuture(WritableFutureEnd),
}

impl End {
    pub fn end_t(&self) -> EndT {
        match self {
            End::ReadableStream(_) => EndT::ReadableStreamEnd,
            End::WritableStream(_) => EndT::WritableStreamEnd,
            End::ReadableFuture(_) => EndT::ReadableFutureEnd,
            End::WritableFuture(_) => EndT::WritableFutureEnd,
        }
    }

    /// `shared.t`.
    pub fn t(&self) -> Option<&ValType> {
        match self {
            End::ReadableStream(e) => e.shared.t(),
            End::WritableStream(e) => e.shared.t(),
            End::ReadableFuture(e) => e.shared.t(),
            End::WritableFuture(e) => e.shared.t(),
        }
    }

    /// `shared.cancel()`.
    pub fn cancel(&self, store: &Rc<Store>) -> Result<(), Trap> {
        match self {
            End::ReadableStream(e) => e.shared.clone().cancel(store),
            End::WritableStream(e) => e.shared.clone().cancel(store),
            End::ReadableFuture(e) => e.shared.clone().cancel(store),
            End::WritableFuture(e) => e.shared.clone().cancel(store),
        }
    }

    /// `shared.drop()`.
    pub fn drop_shared(&self, store: &Rc<Store>) -> Result<(), Trap> {
        match self {
            End::ReadableStream(e) => e.shared.clone().drop(store),
            End::WritableStream(e) => e.shared.clone().drop(store),
            End::ReadableFuture(e) => e.shared.clone().drop(store),
            End::WritableFuture(e) => e.shared.clone().drop(store),
        }
    }
}

/// `CopyEnd(Waitable)`.
pub struct CopyEnd {
    pub waitable: Waitable,
    pub state: CopyState,
    pub end: End,
}

impl fmt::Debug for CopyEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CopyEnd")
            .field("kind", &self.end.end_t())
            .field("state", &self.state)
            .field("waitable", &self.waitable)
            .finish()
    }
}

impl CopyEnd {
    /// `CopyEnd(shared)`.
    pub fn new(end: End) -> CopyEnd {
        CopyEnd {
            waitable: Waitable::new(),
            state: CopyState::Idle,
            end,
        }
    }

    /// `copying`.
    pub fn copying(&self) -> bool {
        match self.state {
            CopyState::Idle | CopyState::Done => false,
            CopyState::Copying | CopyState::CancellingCopy => true,
        }
    }
}

/// `CopyEnd.drop` (and `WritableFutureEnd.drop`) for the end just
/// removed from index `i` of `inst`'s table.
pub fn drop_copy_end(
    store: &Rc<Store>,
    inst: InstanceId,
    mut e: CopyEnd,
    i: u32,
) -> Result<(), Trap> {
    if let End::WritableFuture(_) = e.end {
        trap_if(
            e.state != CopyState::Done,
            TrapKind::FutureWriteEndNotWritten,
        )?;
    }
    let busy = match e.end {
        End::ReadableStream(_) => TrapKind::RemoveBusyStream,
        End::WritableStream(_) => TrapKind::DropBusyStream,
        _ => TrapKind::DropBusyFuture,
    };
    trap_if(e.copying(), busy)?;
    e.end.drop_shared(store)?;
    let mut state = store.state.borrow_mut();
    drop_waitable(&mut state, inst, &mut e.waitable, i)
}

impl State {
    /// The stream or future end at index `i` of `inst` (or a trap).
    pub fn copy_end_mut(&mut self, inst: InstanceId, i: u32) -> Result<&mut CopyEnd, Trap> {
        match self
            .instances
            .get_mut(inst)
            .ok_or(internal("unknown instance"))?
            .handles
            .get_mut(i as u64)?
        {
            crate::instance::HandleElem::CopyEnd(e) => Ok(e),
            _ => Err(TrapKind::WrongHandleType(i as u64).into()),
        }
    }
}
