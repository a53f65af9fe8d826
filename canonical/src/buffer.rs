//! Buffer State (CanonicalABI.md "Buffer State"): regions of memory that
//! stream and future copies read from or write into.
//!
//! The spec's `BufferGuestImpl` keeps its `cx`; here it keeps what the
//! context is made of (options and instance) and makes the context again,
//! through [`Store::with_cx`], for each `read` or `write`. Progress lives
//! in `Cell`s, since a buffer is shared by the copy that made it and the
//! stream that holds it pending.

use crate::alignment::alignment;
use crate::context::align_to;
use crate::elem_size::elem_size;
use crate::instance::InstanceId;
use crate::loading::load_list_from_valid_range;
use crate::options::CanonicalOptions;
use crate::store::{Scope, Store};
use crate::storing::store_list_into_valid_range;
use crate::trap::{Trap, TrapKind, trap_if};
use crate::types::ValType;
use crate::value::Value;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::Cell;

/// `Buffer`.
pub trait Buffer {
    /// `t`: the element type, `None` for `stream`/`future` without one.
    fn t(&self) -> Option<&ValType>;
    /// `remain`.
    fn remain(&self) -> u32;
    /// `is_zero_length`.
    fn is_zero_length(&self) -> bool;
}

/// `Buffer.MAX_LENGTH`.
pub const MAX_LENGTH: u64 = (1 << 28) - 1;

/// `ReadableBuffer`.
pub trait ReadableBuffer: Buffer {
    /// `read`: `n` values, `0 < n <= remain()`.
    fn read(&self, store: &Rc<Store>, n: u32) -> Result<Vec<Value>, Trap>;
}

/// `WritableBuffer`.
pub trait WritableBuffer: Buffer {
    /// `write`: `0 < len(vs) <= remain()` values of type `t`.
    fn write(&self, store: &Rc<Store>, vs: Vec<Value>) -> Result<(), Trap>;
}

/// `BufferGuestImpl`.
#[derive(Debug)]
pub struct BufferGuestImpl {
    /// The context's options and instance (`cx`).
    pub opts: CanonicalOptions,
    pub inst: InstanceId,
    pub t: Option<ValType>,
    pub ptr: Cell<u64>,
    pub progress: Cell<u32>,
    pub length: u32,
}

impl BufferGuestImpl {
    /// `BufferGuestImpl(t, cx, ptr, length)`: checks the range eagerly.
    pub fn new(
        store: &Store,
        opts: CanonicalOptions,
        inst: InstanceId,
        t: Option<ValType>,
        ptr: u64,
        length: u64,
    ) -> Result<BufferGuestImpl, Trap> {
        trap_if(length > MAX_LENGTH, TrapKind::BufferTooLong)?;
        if let Some(t) = &t
            && length > 0
        {
            store.with_cx(&opts, inst, Scope::None, |cx| {
                let pt = cx.ptr_type();
                trap_if(
                    ptr != align_to(ptr, alignment(t, pt)),
                    TrapKind::UnalignedPointer,
                )?;
                trap_if(
                    cx.beyond_memory(ptr, length * elem_size(t, pt)),
                    TrapKind::ListOutOfBounds,
                )
            })?;
        }
        Ok(BufferGuestImpl {
            opts,
            inst,
            t,
            ptr: Cell::new(ptr),
            progress: Cell::new(0),
            length: length as u32,
        })
    }

    pub fn remain(&self) -> u32 {
        self.length - self.progress.get()
    }

    pub fn is_zero_length(&self) -> bool {
        self.length == 0
    }
}

/// `ReadableBufferGuestImpl(BufferGuestImpl)`.
#[derive(Debug)]
pub struct ReadableBufferGuestImpl(pub BufferGuestImpl);

/// `WritableBufferGuestImpl(BufferGuestImpl)`.
#[derive(Debug)]
pub struct WritableBufferGuestImpl(pub BufferGuestImpl);

macro_rules! buffer {
    ($t:ty) => {
        impl Buffer for $t {
            fn t(&self) -> Option<&ValType> {
                self.0.t.as_ref()
            }
            fn remain(&self) -> u32 {
                self.0.remain()
            }
            fn is_zero_length(&self) -> bool {
                self.0.is_zero_length()
            }
        }
    };
}
buffer!(ReadableBufferGuestImpl);
buffer!(WritableBufferGuestImpl);

impl ReadableBuffer for ReadableBufferGuestImpl {
    fn read(&self, store: &Rc<Store>, n: u32) -> Result<Vec<Value>, Trap> {
        let b = &self.0;
        debug_assert!(n <= b.remain());
        let vs = match &b.t {
            Some(t) => store.with_cx(&b.opts, b.inst, Scope::None, |cx| {
                let vs = load_list_from_valid_range(cx, b.ptr.get(), n as u64, t)?;
                b.ptr
                    .set(b.ptr.get() + n as u64 * elem_size(t, cx.ptr_type()));
                Ok(vs)
            })?,
            None => vec![Value::Record(Vec::new()); n as usize],
        };
        b.progress.set(b.progress.get() + n);
        Ok(vs)
    }
}

impl WritableBuffer for WritableBufferGuestImpl {
    fn write(&self, store: &Rc<Store>, vs: Vec<Value>) -> Result<(), Trap> {
        let b = &self.0;
        debug_assert!(vs.len() as u32 <= b.remain());
        if let Some(t) = &b.t {
            store.with_cx(&b.opts, b.inst, Scope::None, |cx| {
                store_list_into_valid_range(cx, &vs, b.ptr.get(), t)?;
                b.ptr
                    .set(b.ptr.get() + vs.len() as u64 * elem_size(t, cx.ptr_type()));
                Ok(())
            })?;
        }
        b.progress.set(b.progress.get() + vs.len() as u32);
        Ok(())
    }
}

/// A buffer held pending by a shared stream or future: the reader's
/// writable one or the writer's readable one.
#[derive(Clone)]
pub enum PendingBuffer {
    Readable(Rc<dyn ReadableBuffer>),
    Writable(Rc<dyn WritableBuffer>),
}

impl PendingBuffer {
    pub fn remain(&self) -> u32 {
        match self {
            PendingBuffer::Readable(b) => b.remain(),
            PendingBuffer::Writable(b) => b.remain(),
        }
    }

    pub fn is_zero_length(&self) -> bool {
        match self {
            PendingBuffer::Readable(b) => b.is_zero_length(),
            PendingBuffer::Writable(b) => b.is_zero_length(),
        }
    }
}
