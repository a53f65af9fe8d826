//! Resumable execution: a [`Thread`] is an interpreter stack (frames and
//! operands as data, core spec §4.2.12 "Stack") that runs until it returns,
//! traps, or calls a host function. On a host call it hands the callee and
//! arguments to the embedder and waits to be resumed with the results.

use super::exception::Exception;
use super::exec::Frame;
use super::store::{FuncAddr, FuncInst, Store};
use super::trap::Trap;
use super::types::ValType;
use super::value::{Val, read_vals, vals_in, write_vals};
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// What a thread did when it stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The called function returned these results; the thread is finished.
    Return(Vec<Val>),
    /// Guest code called the host function `func` (whose embedder tag is
    /// `tag`) with `args`; resume with its results.
    Call {
        func: FuncAddr,
        tag: u32,
        args: Vec<Val>,
    },
    /// Execution trapped; the thread is finished.
    Trap(Trap),
    /// An exception was thrown and no handler caught it; the thread is
    /// finished.
    Exception(Exception),
}

/// A call that could not be made or continued as asked.
#[derive(Clone, Debug, PartialEq)]
pub enum CallError {
    /// Guest code trapped.
    Trap(Trap),
    /// Guest code threw an exception that nothing caught.
    Exception(Exception),
    /// The embedder misused the API: wrong argument count or types, or
    /// resuming a thread that is not waiting.
    Misuse(String),
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Trap(t) => t.fmt(f),
            CallError::Exception(e) => e.fmt(f),
            CallError::Misuse(m) => f.write_str(m),
        }
    }
}

impl core::error::Error for CallError {}

/// Where a thread stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// Created; `run` starts it.
    Ready,
    /// Waiting for the results of a call of this host function.
    Waiting(FuncAddr),
    /// Returned, its results the top of the stack.
    Returned,
    /// Trapped or threw.
    Finished,
}

/// An interpreter stack: the frames of wasm functions and their operand
/// slots. Wasm-to-wasm calls push frames here, never on the host stack.
/// Boxed, so that handing a thread to the embedder and back moves one
/// pointer.
#[derive(Debug)]
pub struct Thread(Box<Stacks>);

/// What a [`Thread`] holds.
#[derive(Debug)]
pub(crate) struct Stacks {
    pub(crate) stack: Vec<u64>,
    pub(crate) sp: usize,
    pub(crate) frames: Vec<Frame>,
    pub(crate) state: State,
    pub(crate) entry: FuncAddr,
}

/// Checks values against types, for arguments and host results.
fn check_vals(store: &Store, what: &str, vals: &[Val], tys: &[ValType]) -> Result<(), CallError> {
    if vals.len() != tys.len() {
        return Err(count_misuse(what, tys.len(), vals.len()));
    }
    for (i, (v, t)) in vals.iter().zip(tys).enumerate() {
        if !store.val_matches(v, *t) {
            return Err(type_misuse(what, i, *t, *v));
        }
    }
    Ok(())
}

/// The misuse of passing `got` values where `expected` are.
#[cold]
fn count_misuse(what: &str, expected: usize, got: usize) -> CallError {
    CallError::Misuse(format!("expected {expected} {what}, got {got}"))
}

/// The misuse of passing value `i` of the wrong type.
#[cold]
fn type_misuse(what: &str, i: usize, expected: ValType, got: Val) -> CallError {
    CallError::Misuse(format!("{what} {i}: expected {expected}, got {got}"))
}

impl Thread {
    /// Prepares a call of `func` with `args`; [`Thread::run`] starts it.
    ///
    /// # Errors
    /// [`CallError::Misuse`] if `func` is not in `store` or the arguments do
    /// not match its parameters.
    pub fn new(store: &Store, func: FuncAddr, args: &[Val]) -> Result<Thread, CallError> {
        let mut thread = Thread::empty(func);
        thread.prepare(store, func, args.iter().copied())?;
        Ok(thread)
    }

    /// A finished thread with no buffers yet.
    fn empty(entry: FuncAddr) -> Thread {
        Thread(Box::new(Stacks {
            sp: 0,
            stack: Vec::new(),
            frames: Vec::new(),
            state: State::Finished,
            entry,
        }))
    }

    /// Makes this thread a fresh call of `func`, keeping its buffers (so
    /// that repeated host calls allocate nothing for their stacks). Each
    /// argument is checked against its parameter as it is written.
    #[inline]
    fn prepare(
        &mut self,
        store: &Store,
        func: FuncAddr,
        args: impl ExactSizeIterator<Item = Val>,
    ) -> Result<(), CallError> {
        let Some(f) = store.funcs.get(func.0 as usize) else {
            return Err(CallError::Misuse(format!(
                "no function at address {}",
                func.0
            )));
        };
        let params = &store.types[f.ty() as usize].params;
        if args.len() != params.len() {
            return Err(count_misuse("arguments", params.len(), args.len()));
        }
        // The stack keeps its length: slots above `sp` are written before
        // they are read (arguments, zeroed locals, pushed operands). Each
        // argument is written in place, with room for two slots each (a
        // `v128`).
        let t = &mut *self.0;
        if t.stack.len() < 2 * params.len() {
            t.stack.resize(2 * params.len(), 0);
        }
        let mut sp = 0;
        for (i, (a, ty)) in args.zip(params).enumerate() {
            // A value of exactly the type matches; only references need
            // the subtyping rules.
            if a.ty() != *ty && !store.val_matches(&a, *ty) {
                return Err(type_misuse("arguments", i, *ty, a));
            }
            sp += a.write(&mut t.stack[sp..]);
        }
        t.sp = sp;
        t.frames.clear();
        t.state = State::Ready;
        t.entry = func;
        Ok(())
    }

    /// Starts the thread.
    ///
    /// # Errors
    /// [`CallError::Misuse`] if the thread was already started.
    pub fn run(&mut self, store: &mut Store) -> Result<Outcome, CallError> {
        let stopped = self.start(store)?;
        Ok(self.with_results(store, stopped))
    }

    /// Resumes a thread that stopped with [`Outcome::Call`], giving it the
    /// host function's results.
    ///
    /// # Errors
    /// [`CallError::Misuse`] if the thread is not waiting for a call or the
    /// results do not match the callee's result types.
    pub fn resume(&mut self, store: &mut Store, results: &[Val]) -> Result<Outcome, CallError> {
        let stopped = self.answer(store, results)?;
        Ok(self.with_results(store, stopped))
    }

    /// [`Thread::run`], except that a return is `None` and leaves the
    /// results on the thread ([`Thread::returned`]): no list is made for
    /// them.
    #[inline(always)]
    pub(crate) fn start(&mut self, store: &mut Store) -> Result<Option<Outcome>, CallError> {
        if self.0.state != State::Ready {
            return Err(CallError::Misuse(String::from(
                "the thread was already started",
            )));
        }
        Ok(self.0.enter(store))
    }

    /// [`Thread::resume`], except that a return is `None` and leaves the
    /// results on the thread ([`Thread::returned`]).
    pub(crate) fn answer(
        &mut self,
        store: &mut Store,
        results: &[Val],
    ) -> Result<Option<Outcome>, CallError> {
        let t = &mut *self.0;
        let State::Waiting(func) = t.state else {
            return Err(CallError::Misuse(String::from(
                "the thread is not waiting for a host call",
            )));
        };
        check_vals(store, "results", results, &store.func_type(func).results)?;
        let slots = write_vals(results);
        if t.stack.len() < t.sp + slots.len() {
            t.stack.resize(t.sp + slots.len(), 0);
        }
        t.stack[t.sp..t.sp + slots.len()].copy_from_slice(&slots);
        t.sp += slots.len();
        if t.frames.is_empty() {
            t.state = State::Returned;
            return Ok(None);
        }
        Ok(t.execute(store))
    }

    /// The result types of a thread that returned and the slots the
    /// results are in: the whole stack, as the entry call's frame started
    /// at its bottom.
    pub(crate) fn returned<'a>(&'a self, store: &'a Store) -> Option<(&'a [ValType], &'a [u64])> {
        let t = &*self.0;
        if t.state != State::Returned {
            return None;
        }
        let f = store.funcs.get(t.entry.0 as usize)?;
        Some((
            &store.types.get(f.ty() as usize)?.results,
            t.stack.get(..t.sp)?,
        ))
    }

    /// The public form of how a thread stopped: a return's results as a
    /// list (the store's given-back one, [`Store::give_results`]).
    fn with_results(&self, store: &mut Store, stopped: Option<Outcome>) -> Outcome {
        stopped.unwrap_or_else(|| {
            let mut vals = core::mem::take(&mut store.spare_results);
            if let Some((tys, slots)) = self.returned(store) {
                vals.extend(vals_in(tys, slots));
            }
            Outcome::Return(vals)
        })
    }

    /// Whether the thread has returned or trapped.
    pub fn is_finished(&self) -> bool {
        matches!(self.0.state, State::Returned | State::Finished)
    }
}

impl Stacks {
    /// Calls the entry function; `None` when it returned (see
    /// [`Thread::start`]).
    #[inline(always)]
    fn enter(&mut self, store: &mut Store) -> Option<Outcome> {
        let entry = self.entry;
        match &store.funcs[entry.0 as usize] {
            FuncInst::Host { ty, tag } => {
                let params = &store.types[*ty as usize].params;
                let args = read_vals(params, &self.stack);
                self.sp = 0;
                self.state = State::Waiting(entry);
                Some(Outcome::Call {
                    func: entry,
                    tag: *tag,
                    args,
                })
            }
            FuncInst::Wasm { .. } => self.execute(store),
        }
    }
}

impl Store {
    /// A thread prepared to call `func` with `args` ([`Thread::new`]),
    /// made from the buffers of a finished thread given back with
    /// [`Store::recycle_thread`] when there is one, so that a call
    /// allocates no stacks.
    ///
    /// # Errors
    /// As [`Thread::new`].
    pub fn new_thread(&mut self, func: FuncAddr, args: &[Val]) -> Result<Thread, CallError> {
        self.new_thread_with(func, args.iter().copied())
    }

    /// [`Store::new_thread`] with the arguments as they are made (by an
    /// embedder converting its own values), so that they need no list.
    ///
    /// # Errors
    /// As [`Thread::new`].
    #[inline]
    pub fn new_thread_with(
        &mut self,
        func: FuncAddr,
        args: impl ExactSizeIterator<Item = Val>,
    ) -> Result<Thread, CallError> {
        let mut thread = self
            .spare_thread
            .take()
            .unwrap_or_else(|| Thread::empty(func));
        match thread.prepare(self, func, args) {
            Ok(()) => Ok(thread),
            Err(e) => {
                self.spare_thread = Some(thread);
                Err(e)
            }
        }
    }

    /// Keeps a finished thread's buffers for the next [`Store::new_thread`].
    pub fn recycle_thread(&mut self, thread: Thread) {
        self.spare_thread = Some(thread);
    }

    /// Calls `func` with `args` and runs it to completion, answering its
    /// host calls with `host(store, func, tag, args)`.
    ///
    /// # Errors
    /// [`CallError::Trap`] if the guest or a host function traps,
    /// [`CallError::Misuse`] for wrong arguments or host results.
    pub fn call(
        &mut self,
        func: FuncAddr,
        args: &[Val],
        host: &mut dyn FnMut(&mut Store, FuncAddr, u32, &[Val]) -> Result<Vec<Val>, Trap>,
    ) -> Result<Vec<Val>, CallError> {
        let mut thread = self.new_thread(func, args)?;
        let result = self.drive(&mut thread, host);
        self.recycle_thread(thread);
        result
    }

    /// Runs a prepared thread to completion, answering its host calls.
    fn drive(
        &mut self,
        thread: &mut Thread,
        host: &mut dyn FnMut(&mut Store, FuncAddr, u32, &[Val]) -> Result<Vec<Val>, Trap>,
    ) -> Result<Vec<Val>, CallError> {
        let mut outcome = thread.run(self)?;
        loop {
            match outcome {
                Outcome::Return(vals) => return Ok(vals),
                Outcome::Trap(t) => return Err(CallError::Trap(t)),
                Outcome::Exception(e) => return Err(CallError::Exception(e)),
                Outcome::Call { func, tag, args } => {
                    let results = host(self, func, tag, &args).map_err(CallError::Trap)?;
                    outcome = thread.resume(self, &results)?;
                }
            }
        }
    }
}
