//! Future State (CanonicalABI.md "Future State"): the abstract
//! `ReadableFuture`/`WritableFuture` interfaces, the wasm-created
//! `SharedFutureImpl`, and the future ends.
//!
//! As for streams, shared state sits in cells never borrowed across a
//! callback.

use crate::buffer::{PendingBuffer, ReadableBuffer, WritableBuffer};
use crate::instance::InstanceId;
use crate::store::{Store, internal};
use crate::stream::{CopyResult, OnCopyDone, SharedBase, none_or_number_type};
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::ValType;
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};

/// `ReadableFuture`.
pub trait ReadableFuture: SharedBase {
    /// `read`: `dst_buffer.remain() == 1`.
    fn read(
        self: Rc<Self>,
        store: &Rc<Store>,
        inst: Option<InstanceId>,
        dst_buffer: Rc<dyn WritableBuffer>,
        on_copy_done: OnCopyDone,
    ) -> Result<(), Trap>;
}

/// `WritableFuture`.
pub trait WritableFuture: SharedBase {
    /// `write`: `src_buffer.remain() == 1`.
    fn write(
        self: Rc<Self>,
        store: &Rc<Store>,
        inst: Option<InstanceId>,
        src_buffer: Rc<dyn ReadableBuffer>,
        on_copy_done: OnCopyDone,
    ) -> Result<(), Trap>;
}

/// `SharedFutureImpl`.
pub struct SharedFutureImpl {
    pub t: Option<ValType>,
    pub dropped: Cell<bool>,
    pub pending_inst: Cell<Option<InstanceId>>,
    pub pending_buffer: RefCell<Option<PendingBuffer>>,
    pub pending_on_copy_done: RefCell<Option<OnCopyDone>>,
}

impl core::fmt::Debug for SharedFutureImpl {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SharedFutureImpl")
            .field("t", &self.t)
            .field("dropped", &self.dropped.get())
            .finish()
    }
}

impl SharedFutureImpl {
    /// `SharedFutureImpl(t)`.
    pub fn new(t: Option<ValType>) -> Rc<SharedFutureImpl> {
        Rc::new(SharedFutureImpl {
            t,
            dropped: Cell::new(false),
            pending_inst: Cell::new(None),
            pending_buffer: RefCell::new(None),
            pending_on_copy_done: RefCell::new(None),
        })
    }

    /// `reset_pending`.
    pub fn reset_pending(&self) {
        self.set_pending(None, None, None);
    }

    /// `set_pending`.
    pub fn set_pending(
        &self,
        inst: Option<InstanceId>,
        buffer: Option<PendingBuffer>,
        on_copy_done: Option<OnCopyDone>,
    ) {
        self.pending_inst.set(inst);
        *self.pending_buffer.borrow_mut() = buffer;
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

    /// The `# temporary` trap of `read` and `write`.
    fn check_intra_component(&self, inst: Option<InstanceId>) -> Result<(), Trap> {
        trap_if(
            inst == self.pending_inst.get() && !none_or_number_type(self.t.as_ref()),
            TrapKind::IntraComponentFuture,
        )
    }
}

impl SharedBase for SharedFutureImpl {
    fn t(&self) -> Option<&ValType> {
        self.t.as_ref()
    }

    fn cancel(self: Rc<Self>, store: &Rc<Store>) -> Result<(), Trap> {
        self.reset_and_notify_pending(store, CopyResult::Cancelled)
    }

    fn drop(self: Rc<Self>, store: &Rc<Store>) -> Result<(), Trap> {
        if !self.dropped.get() {
            self.dropped.set(true);
            if let Some(pending) = self.pending() {
                debug_assert!(matches!(pending, PendingBuffer::Writable(_)));
                self.reset_and_notify_pending(store, CopyResult::Dropped)?;
            }
        }
        Ok(())
    }
}

impl ReadableFuture for SharedFutureImpl {
    fn read(
        self: Rc<Self>,
        store: &Rc<Store>,
        inst: Option<InstanceId>,
        dst_buffer: Rc<dyn WritableBuffer>,
        on_copy_done: OnCopyDone,
    ) -> Result<(), Trap> {
        debug_assert!(!self.dropped.get() && dst_buffer.remain() == 1);
        let Some(pending) = self.pending() else {
            self.set_pending(
                inst,
                Some(PendingBuffer::Writable(dst_buffer)),
                Some(on_copy_done),
            );
            return Ok(());
        };
        let PendingBuffer::Readable(src) = pending else {
            return Err(internal("two pending reads of one future"));
        };
        self.check_intra_component(inst)?;
        dst_buffer.write(store, src.read(store, 1)?)?;
        self.reset_and_notify_pending(store, CopyResult::Completed)?;
        on_copy_done(store, CopyResult::Completed)
    }
}

impl WritableFuture for SharedFutureImpl {
    fn write(
        self: Rc<Self>,
        store: &Rc<Store>,
        inst: Option<InstanceId>,
        src_buffer: Rc<dyn ReadableBuffer>,
        on_copy_done: OnCopyDone,
    ) -> Result<(), Trap> {
        debug_assert!(src_buffer.remain() == 1);
        if self.dropped.get() {
            return on_copy_done(store, CopyResult::Dropped);
        }
        let Some(pending) = self.pending() else {
            self.set_pending(
                inst,
                Some(PendingBuffer::Readable(src_buffer)),
                Some(on_copy_done),
            );
            return Ok(());
        };
        let PendingBuffer::Writable(dst) = pending else {
            return Err(internal("two pending writes of one future"));
        };
        self.check_intra_component(inst)?;
        dst.write(store, src_buffer.read(store, 1)?)?;
        self.reset_and_notify_pending(store, CopyResult::Completed)?;
        on_copy_done(store, CopyResult::Completed)
    }
}

/// `ReadableFutureEnd(CopyEnd)`: its `shared`.
#[derive(Clone)]
pub struct ReadableFutureEnd {
    pub shared: Rc<dyn ReadableFuture>,
}

/// `WritableFutureEnd(CopyEnd)`: its `shared`. Its `drop` guard is in
/// [`crate::stream::drop_copy_end`].
#[derive(Clone)]
pub struct WritableFutureEnd {
    pub shared: Rc<dyn WritableFuture>,
}

impl ReadableFutureEnd {
    /// `copy`.
    pub fn copy(
        &self,
        store: &Rc<Store>,
        inst: InstanceId,
        dst_buffer: Rc<dyn WritableBuffer>,
        on_copy_done: OnCopyDone,
    ) -> Result<(), Trap> {
        self.shared
            .clone()
            .read(store, Some(inst), dst_buffer, on_copy_done)
    }
}

impl WritableFutureEnd {
    /// `copy`.
    pub fn copy(
        &self,
        store: &Rc<Store>,
        inst: InstanceId,
        src_buffer: Rc<dyn ReadableBuffer>,
        on_copy_done: OnCopyDone,
    ) -> Result<(), Trap> {
        self.shared
            .clone()
            .write(store, Some(inst), src_buffer, on_copy_done)
    }
}
