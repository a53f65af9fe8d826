//! Resumable execution: a [`Thread`] is an interpreter stack (frames and
//! operands as data, core spec §4.2.12 "Stack") that runs until it returns,
//! traps, or calls a host function. On a host call it hands the callee and
//! arguments to the embedder and waits to be resumed with the results.

use super::exception::Exception;
use super::exec::Frame;
use super::store::{FuncAddr, FuncInst, Store};
use super::trap::Trap;
use super::types::ValType;
use super::value::{Val, read_vals, write_vals};
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
    /// Returned or trapped.
    Finished,
}

/// An interpreter stack: the frames of wasm functions and their operand
/// slots. Wasm-to-wasm calls push frames here, never on the host stack.
#[derive(Debug)]
pub struct Thread {
    pub(crate) stack: Vec<u64>,
    pub(crate) sp: usize,
    pub(crate) frames: Vec<Frame>,
    pub(crate) state: State,
    pub(crate) entry: FuncAddr,
}

/// Checks values against types, for arguments and host results.
fn check_vals(store: &Store, what: &str, vals: &[Val], tys: &[ValType]) -> Result<(), CallError> {
    if vals.len() != tys.len() {
        return Err(CallError::Misuse(format!(
            "expected {} {what}, got {}",
            tys.len(),
            vals.len()
        )));
    }
    for (i, (v, t)) in vals.iter().zip(tys).enumerate() {
        if !store.val_matches(v, *t) {
            return Err(CallError::Misuse(format!(
                "{what} {i}: expected {t}, got {v}"
            )));
        }
    }
    Ok(())
}

impl Thread {
    /// Prepares a call of `func` with `args`; [`Thread::run`] starts it.
    ///
    /// # Errors
    /// [`CallError::Misuse`] if `func` is not in `store` or the arguments do
    /// not match its parameters.
    pub fn new(store: &Store, func: FuncAddr, args: &[Val]) -> Result<Thread, CallError> {
        let mut thread = Thread {
            sp: 0,
            stack: Vec::new(),
            frames: Vec::new(),
            state: State::Finished,
            entry: func,
        };
        thread.prepare(store, func, args)?;
        Ok(thread)
    }

    /// Makes this thread a fresh call of `func`, keeping its buffers (so
    /// that repeated host calls allocate nothing for their stacks).
    fn prepare(&mut self, store: &Store, func: FuncAddr, args: &[Val]) -> Result<(), CallError> {
        let Some(f) = store.funcs.get(func.0 as usize) else {
            return Err(CallError::Misuse(format!(
                "no function at address {}",
                func.0
            )));
        };
        check_vals(
            store,
            "arguments",
            args,
            &store.types[f.ty() as usize].params,
        )?;
        // The stack keeps its length: slots above `sp` are written before
        // they are read (arguments, zeroed locals, pushed operands). Each
        // argument is written in place, with room for two slots (a `v128`).
        let mut sp = 0;
        for a in args {
            if self.stack.len() < sp + 2 {
                self.stack.resize(sp + 2, 0);
            }
            sp += a.write(&mut self.stack[sp..]);
        }
        self.sp = sp;
        self.frames.clear();
        self.state = State::Ready;
        self.entry = func;
        Ok(())
    }

    /// Starts the thread.
    ///
    /// # Errors
    /// [`CallError::Misuse`] if the thread was already started.
    pub fn run(&mut self, store: &mut Store) -> Result<Outcome, CallError> {
        if self.state != State::Ready {
            return Err(CallError::Misuse(String::from(
                "the thread was already started",
            )));
        }
        Ok(self.enter(store))
    }

    /// Resumes a thread that stopped with [`Outcome::Call`], giving it the
    /// host function's results.
    ///
    /// # Errors
    /// [`CallError::Misuse`] if the thread is not waiting for a call or the
    /// results do not match the callee's result types.
    pub fn resume(&mut self, store: &mut Store, results: &[Val]) -> Result<Outcome, CallError> {
        let State::Waiting(func) = self.state else {
            return Err(CallError::Misuse(String::from(
                "the thread is not waiting for a host call",
            )));
        };
        check_vals(store, "results", results, &store.func_type(func).results)?;
        let slots = write_vals(results);
        if self.stack.len() < self.sp + slots.len() {
            self.stack.resize(self.sp + slots.len(), 0);
        }
        self.stack[self.sp..self.sp + slots.len()].copy_from_slice(&slots);
        self.sp += slots.len();
        if self.frames.is_empty() {
            self.state = State::Finished;
            return Ok(Outcome::Return(results.to_vec()));
        }
        Ok(self.execute(store))
    }

    /// Whether the thread has returned or trapped.
    pub fn is_finished(&self) -> bool {
        self.state == State::Finished
    }

    /// Calls the entry function.
    fn enter(&mut self, store: &mut Store) -> Outcome {
        let entry = self.entry;
        match &store.funcs[entry.0 as usize] {
            FuncInst::Host { ty, tag } => {
                let params = &store.types[*ty as usize].params;
                let args = read_vals(params, &self.stack);
                self.sp = 0;
                self.state = State::Waiting(entry);
                Outcome::Call {
                    func: entry,
                    tag: *tag,
                    args,
                }
            }
            FuncInst::Wasm { .. } => match self.push_frame(store, entry) {
                Ok(()) => self.execute(store),
                Err(t) => {
                    self.state = State::Finished;
                    Outcome::Trap(t)
                }
            },
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
        match self.spare_thread.take() {
            Some(mut t) => {
                t.prepare(self, func, args)?;
                Ok(t)
            }
            None => Thread::new(self, func, args),
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
