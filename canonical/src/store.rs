//! Embedding (CanonicalABI.md "Embedding"): the `Store` that holds every
//! component instance, thread, task and subtask, and its `invoke`, `lift`,
//! `lower` and `tick`.
//!
//! The spec's objects refer to each other (`thread.task.inst.store`); here
//! they live in arenas of the store's [`State`] and refer to each other by
//! id. The state sits in a `RefCell`, borrowed only between await points,
//! so that the continuations of suspended threads can hold the store.

use crate::choices::{Choices, Site};
use crate::context::LiftLowerContext;
use crate::core_value::CoreValue;
use crate::instance::{InstanceId, Instances};
use crate::options::{CanonicalOptions, Core, FuncRef};
use crate::stack_switching::Handlers;
use crate::subtask::Subtask;
use crate::task::{BorrowScope, Task};
use crate::thread::Thread;
use crate::trace::{Arg, Tracer};
use crate::trap::{Trap, TrapKind, WaitingThread, trap_if};
use crate::types::{FuncType, ValType};
use crate::value::Value;
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
    )*};
}

ids! {
    /// A thread's index in the store.
    ThreadId,
    /// A task's index in the store.
    TaskId,
    /// A subtask's index in the store.
    SubtaskId
}

/// A core function's result, computed by a future that may await
/// Canonical ABI definitions (a lowered import called by core code).
pub type CoreFuture = Pin<Box<dyn Future<Output = Result<Vec<CoreValue>, Trap>>>>;

/// A core call as [`Embedder::call_async`] starts it: finished already,
/// or the future that finishes it. Most calls finish without awaiting
/// anything (no import called, or only built-ins that do not block), and
/// then no future is made. Awaited, it is the call's result.
pub enum CoreCall {
    Done(Result<Vec<CoreValue>, Trap>),
    Pending(CoreFuture),
}

impl Future for CoreCall {
    type Output = Result<Vec<CoreValue>, Trap>;

    /// Ready at once when done (polled again, with no values).
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            CoreCall::Done(r) => Poll::Ready(core::mem::replace(r, Ok(Vec::new()))),
            CoreCall::Pending(f) => f.as_mut().poll(cx),
        }
    }
}

/// The core wasm side of a store: memories and synchronous calls (the
/// [`Core`] the value definitions use), and calls that may block.
pub trait Embedder: Core {
    /// Starts a call of core function `f` and runs it until it finishes
    /// or must await the canonical definition behind an import it calls;
    /// the pending rest awaits those definitions. The call is awaited as
    /// soon as it starts, so running its first part at once is running it
    /// when awaited.
    fn call_async(&mut self, store: &Rc<Store>, f: FuncRef, args: Vec<CoreValue>) -> CoreCall;

    /// The embedder as `Any`, so that it can reach its own state.
    fn as_any_mut(&mut self) -> &mut dyn core::any::Any;
}

/// `OnStart`: produces a task's arguments. The host's are the values it
/// passed, with no closure to box on every call: given (`Args`), or lent
/// for the call (`Lent`), so that a callee that takes them before the call
/// returns lowers them where they are, and one that keeps them for later
/// copies them ([`OnStart::into_owned`]).
pub enum OnStart<'a> {
    Args(Vec<Value>),
    Lent(&'a [Value]),
    Func(Box<dyn FnOnce(&Rc<Store>) -> Result<Vec<Value>, Trap>>),
}

impl<'a> OnStart<'a> {
    /// Calls it.
    ///
    /// # Errors
    /// The trap of lifting the arguments (a wasm caller's).
    pub fn call(self, store: &Rc<Store>) -> Result<Cow<'a, [Value]>, Trap> {
        match self {
            OnStart::Args(args) => Ok(Cow::Owned(args)),
            OnStart::Lent(args) => Ok(Cow::Borrowed(args)),
            OnStart::Func(f) => f(store).map(Cow::Owned),
        }
    }

    /// The same arguments, with lent ones copied, for a task that keeps
    /// them past the call.
    pub fn into_owned(self) -> OnStart<'static> {
        match self {
            OnStart::Args(args) => OnStart::Args(args),
            OnStart::Lent(args) => OnStart::Args(args.to_vec()),
            OnStart::Func(f) => OnStart::Func(f),
        }
    }
}

/// `OnResolve`: receives a task's result, or `None` if it was cancelled.
/// The host's keeps it in the store for the host call (`Host`, see
/// [`Store::invoke_host`]), with no closure to box on every call.
pub enum OnResolve {
    Host(HostCallId),
    Func(Box<dyn FnOnce(&Rc<Store>, Option<Vec<Value>>) -> Result<(), Trap>>),
}

impl OnResolve {
    /// Calls it.
    ///
    /// # Errors
    /// The trap of lowering the result (for a wasm caller).
    #[inline]
    pub fn call(self, store: &Rc<Store>, result: Option<Vec<Value>>) -> Result<(), Trap> {
        match self {
            OnResolve::Host(id) => {
                // A call the host gave up on (it trapped or deadlocked) has
                // no slot any more: the result has nobody to go to.
                if let Some(slot) = store
                    .state
                    .borrow_mut()
                    .host_calls
                    .get_live_mut(id.slot, id.generation)
                {
                    *slot = result;
                }
                Ok(())
            }
            OnResolve::Func(f) => f(store, result),
        }
    }
}

/// A call of the host's ([`Store::invoke_host`]): its slot in
/// [`State::host_calls`] and that slot's generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostCallId {
    slot: u32,
    generation: u32,
}
/// `OnCancel`: asks the callee to hurry up and resolve; called at most
/// once, with the caller's instance (`None` for the host). A lifted
/// callee's is its task's `request_cancellation`, named by the task's slot
/// and that slot's generation (no closure to box on every call).
pub enum OnCancel {
    Task { task: TaskId, generation: u32 },
    Func(Box<dyn FnOnce(&Rc<Store>, Option<InstanceId>) -> Result<(), Trap>>),
}

impl OnCancel {
    /// Calls it.
    ///
    /// # Errors
    /// The trap of the cancellation it delivers.
    pub fn call(self, store: &Rc<Store>, caller: Option<InstanceId>) -> Result<(), Trap> {
        match self {
            OnCancel::Task { task, generation } => {
                // A released task had resolved: nothing to cancel.
                let live = store
                    .state
                    .borrow()
                    .tasks
                    .get_live(task.0, generation)
                    .is_some();
                if live {
                    crate::task::request_cancellation(store, task, caller)
                } else {
                    Ok(())
                }
            }
            OnCancel::Func(f) => f(store, caller),
        }
    }
}
/// `FuncInst`: a component-level function, called with its caller.
pub type FuncInst =
    Rc<dyn Fn(&Rc<Store>, OnStart<'_>, OnResolve, Option<InstanceId>) -> Result<OnCancel, Trap>>;

/// The store's objects.
#[derive(Default)]
pub struct State {
    pub instances: Instances,
    pub threads: Arena<Thread>,
    pub tasks: Arena<Task>,
    pub subtasks: Arena<Subtask>,
    /// `waiting`: threads waiting on a condition.
    pub waiting: Vec<ThreadId>,
    /// The result of each call of the host's still going on, once its
    /// callee resolved (`OnResolve::Host`).
    pub host_calls: Arena<Option<Vec<Value>>>,
    pub nesting_depth: u32,
}

/// The store's objects of one kind (threads, tasks, subtasks), named by
/// their slot. The spec's objects live as long as something refers to
/// them; here an object's slot is released when it is done (a thread that
/// finished, a task resolved with no threads left, a subtask whose
/// resolution was delivered) and the next object reuses it, so a long run
/// of calls keeps as many slots as objects were ever alive at once. A
/// slot's generation counts its releases, so that a holder of a slot
/// number that may outlive the object (a task's `OnCancel`) can tell.
pub struct Arena<T> {
    slots: Vec<(u32, Option<T>)>,
    free: Vec<u32>,
}

impl<T> Default for Arena<T> {
    fn default() -> Self {
        Arena {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<T> Arena<T> {
    /// The slot the next [`Arena::insert`] fills.
    pub fn next_slot(&self) -> u32 {
        self.free.last().copied().unwrap_or(self.slots.len() as u32)
    }

    /// Stores `v` in a released slot, or a new one; returns the slot.
    /// Inlined, so that `v` is built where it goes.
    #[inline]
    pub fn insert(&mut self, v: T) -> u32 {
        match self.free.pop() {
            Some(i) => {
                // A released slot is empty: what it held was dropped when
                // it was released, and nothing is left to drop.
                let empty = self.slots[i as usize].1.replace(v);
                debug_assert!(empty.is_none());
                core::mem::forget(empty);
                i
            }
            None => {
                self.slots.push((0, Some(v)));
                (self.slots.len() - 1) as u32
            }
        }
    }

    /// Takes the object out of slot `i` and releases the slot.
    pub fn remove(&mut self, i: u32) -> Option<T> {
        let (generation, slot) = self.slots.get_mut(i as usize)?;
        let v = slot.take()?;
        *generation = generation.wrapping_add(1);
        self.free.push(i);
        Some(v)
    }

    /// Drops the object in slot `i` where it is (no move out, for a
    /// caller that does not want it) and releases the slot.
    #[inline]
    pub fn release(&mut self, i: u32) {
        if let Some((generation, slot @ Some(_))) = self.slots.get_mut(i as usize) {
            *slot = None;
            *generation = generation.wrapping_add(1);
            self.free.push(i);
        }
    }

    pub fn get(&self, i: u32) -> Option<&T> {
        self.slots.get(i as usize)?.1.as_ref()
    }

    pub fn get_mut(&mut self, i: u32) -> Option<&mut T> {
        self.slots.get_mut(i as usize)?.1.as_mut()
    }

    /// Slot `i`'s generation: how many objects it held were released.
    pub fn generation(&self, i: u32) -> u32 {
        self.slots.get(i as usize).map_or(0, |(g, _)| *g)
    }

    /// The object in slot `i` if it is the one the slot held at
    /// `generation` (not released since).
    pub fn get_live(&self, i: u32, generation: u32) -> Option<&T> {
        match self.slots.get(i as usize)? {
            (g, Some(v)) if *g == generation => Some(v),
            _ => None,
        }
    }

    /// [`Arena::get_live`], mutably.
    pub fn get_live_mut(&mut self, i: u32, generation: u32) -> Option<&mut T> {
        match self.slots.get_mut(i as usize)? {
            (g, Some(v)) if *g == generation => Some(v),
            _ => None,
        }
    }

    /// How many slots the arena holds, live or released.
    pub fn slots(&self) -> usize {
        self.slots.len()
    }
}

/// `Store`.
pub struct Store {
    pub state: RefCell<State>,
    pub handlers: Rc<Handlers<ThreadId>>,
    pub embedder: RefCell<Box<dyn Embedder>>,
    /// Every choice the spec leaves open (see [`crate::choices`]).
    pub choices: RefCell<Choices>,
    /// Where definitions report their steps (see [`crate::trace`]).
    pub tracer: RefCell<Option<Box<dyn Tracer>>>,
    /// Whether `tracer` is set: the one check a traced definition makes.
    tracing: Cell<bool>,
    /// Emptied lists of flat values, for a call's flat arguments and
    /// core results.
    pub flat_buffers: Buffers<CoreValue>,
    /// Emptied lists of values, for a call's arguments and lifted
    /// values.
    pub value_buffers: Buffers<Value>,
}

/// Emptied lists kept for the next call to fill, so that a call does not
/// allocate its short lists (arguments, flat values) anew.
pub struct Buffers<T>(RefCell<Vec<Vec<T>>>);

impl<T> Buffers<T> {
    /// How many lists are kept, and the most room one keeps.
    const KEPT: usize = 8;
    const ROOM: usize = 64;

    /// An empty list, with the room of one given back if there is one.
    #[inline]
    pub fn take(&self) -> Vec<T> {
        self.0
            .try_borrow_mut()
            .ok()
            .and_then(|mut b| b.pop())
            .unwrap_or_default()
    }

    /// Takes back a list the caller is done with (its items are dropped).
    #[inline]
    pub fn give(&self, mut list: Vec<T>) {
        if let Ok(mut kept) = self.0.try_borrow_mut()
            && kept.len() < Self::KEPT
            && (1..=Self::ROOM).contains(&list.capacity())
        {
            list.clear();
            kept.push(list);
        }
    }
}

impl<T> Default for Buffers<T> {
    fn default() -> Self {
        Buffers(RefCell::new(Vec::new()))
    }
}

/// What a [`LiftLowerContext`] borrows from the store for its `borrow_scope`.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    None,
    Task(TaskId),
    Subtask(SubtaskId),
}

impl Store {
    /// `Store()`, making choices in the deterministic profile.
    pub fn new(embedder: Box<dyn Embedder>) -> Rc<Store> {
        Store::with_choices(embedder, Choices::deterministic())
    }

    /// `Store()` with the given source of choices.
    pub fn with_choices(embedder: Box<dyn Embedder>, choices: Choices) -> Rc<Store> {
        Rc::new(Store {
            state: RefCell::new(State::default()),
            handlers: Handlers::new(),
            embedder: RefCell::new(embedder),
            choices: RefCell::new(choices),
            tracer: RefCell::new(None),
            tracing: Cell::new(false),
            flat_buffers: Buffers::default(),
            value_buffers: Buffers::default(),
        })
    }

    /// Makes definitions report to `tracer` (`None`: to nobody, the
    /// default); returns the previous tracer.
    pub fn set_tracer(&self, tracer: Option<Box<dyn Tracer>>) -> Option<Box<dyn Tracer>> {
        self.tracing.set(tracer.is_some());
        core::mem::replace(&mut *self.tracer.borrow_mut(), tracer)
    }

    /// Whether definitions report to a tracer.
    pub fn tracing(&self) -> bool {
        self.tracing.get()
    }

    /// Reports the entry of definition `name` (see [`crate::trace`]).
    pub fn trace_enter(&self, name: &'static str, args: &[Arg<'_>]) {
        if let Ok(mut t) = self.tracer.try_borrow_mut()
            && let Some(t) = t.as_deref_mut()
        {
            t.enter(name, args);
        }
    }

    /// Reports the exit of definition `name`.
    pub fn trace_exit(&self, name: &'static str, results: Result<&[Arg<'_>], &Trap>) {
        if let Ok(mut t) = self.tracer.try_borrow_mut()
            && let Some(t) = t.as_deref_mut()
        {
            t.exit(name, results);
        }
    }

    /// The embedder's name for core function `f`, for traces.
    pub fn func_name(&self, f: FuncRef) -> Option<alloc::string::String> {
        self.embedder.try_borrow().ok()?.func_name(f)
    }

    /// `random.choice` among `n` candidates, through [`Store::choices`].
    pub fn choice(&self, site: Site, n: usize) -> usize {
        self.choices.borrow_mut().choice(site, n)
    }

    /// `current_thread()`.
    ///
    /// # Errors
    /// A trap if no thread is running (a definition called outside one).
    pub fn current_thread(&self) -> Result<ThreadId, Trap> {
        self.handlers
            .current_thread()
            .ok_or(internal("no current thread"))
    }

    /// `current_task()`.
    pub fn current_task(&self) -> Result<TaskId, Trap> {
        let t = self.current_thread()?;
        self.state.borrow().thread(t).map(|th| th.task)
    }

    /// `current_instance()`.
    pub fn current_instance(&self) -> Result<InstanceId, Trap> {
        let t = self.current_task()?;
        self.state.borrow().task(t).map(|task| task.inst)
    }

    /// Runs `f` with a lifting/lowering context for instance `inst`.
    pub fn with_cx<R>(
        &self,
        opts: &CanonicalOptions,
        inst: InstanceId,
        scope: Scope,
        f: impl FnOnce(&mut LiftLowerContext<'_>) -> Result<R, Trap>,
    ) -> Result<R, Trap> {
        let mut state = self.state.borrow_mut();
        let State {
            instances,
            tasks,
            subtasks,
            ..
        } = &mut *state;
        let inst = instances
            .get_mut(inst)
            .ok_or(internal("unknown instance"))?;
        let borrow_scope = match scope {
            Scope::None => None,
            Scope::Task(t) => Some(BorrowScope::Task(slot(tasks, t.0)?)),
            Scope::Subtask(s) => Some(BorrowScope::Subtask(slot(subtasks, s.0)?)),
        };
        let mut embedder = self.embedder.borrow_mut();
        let mut tracer = match self.tracing.get() {
            true => self.tracer.try_borrow_mut().ok(),
            false => None,
        };
        let tracer = tracer.as_mut().and_then(|t| t.as_deref_mut());
        let mut choices = self.choices.try_borrow_mut().ok();
        let mut cx = LiftLowerContext::new(opts.lift_lower(), inst, borrow_scope, &mut **embedder)
            .traced_by(tracer.map(|t| t as &mut dyn Tracer))
            .choosing(choices.as_deref_mut());
        f(&mut cx)
    }

    /// `invoke`: the host calls `f`.
    #[inline]
    pub fn invoke(
        self: &Rc<Self>,
        f: &FuncInst,
        on_start: OnStart<'_>,
        on_resolve: OnResolve,
    ) -> Result<OnCancel, Trap> {
        self.state.borrow_mut().nesting_depth += 1;
        let on_cancel = f(self, on_start, on_resolve, None);
        self.state.borrow_mut().nesting_depth -= 1;
        on_cancel
    }

    /// `invoke` with the host's arguments (`Args` or `Lent`), whose result waits in
    /// the store for [`Store::take_host_result`] once the callee resolves
    /// (at once, or in a later [`Store::tick`] for an `async` callee).
    ///
    /// # Errors
    /// The trap that ended the call.
    #[inline]
    pub fn invoke_host(
        self: &Rc<Self>,
        f: &FuncInst,
        args: OnStart<'_>,
    ) -> Result<(HostCallId, OnCancel), Trap> {
        let id = {
            let mut state = self.state.borrow_mut();
            let slot = state.host_calls.insert(None);
            HostCallId {
                slot,
                generation: state.host_calls.generation(slot),
            }
        };
        match self.invoke(f, args, OnResolve::Host(id)) {
            Ok(on_cancel) => Ok((id, on_cancel)),
            Err(trap) => {
                self.end_host_call(id);
                Err(trap)
            }
        }
    }

    /// The result of host call `id`, if its callee resolved: the call is
    /// then over.
    #[inline]
    pub fn take_host_result(&self, id: HostCallId) -> Option<Vec<Value>> {
        let mut state = self.state.borrow_mut();
        let result = state
            .host_calls
            .get_live_mut(id.slot, id.generation)?
            .take()?;
        state.host_calls.release(id.slot);
        Some(result)
    }

    /// Forgets host call `id` (the host gave up on it): a result that
    /// comes later is dropped.
    pub fn end_host_call(&self, id: HostCallId) {
        let mut state = self.state.borrow_mut();
        if state.host_calls.get_live(id.slot, id.generation).is_some() {
            state.host_calls.release(id.slot);
        }
    }

    /// `lift`: a core function of `inst` as a component function.
    pub fn lift(
        self: &Rc<Self>,
        f: FuncRef,
        ft: impl Into<Rc<FuncType>>,
        opts: CanonicalOptions,
        inst: InstanceId,
    ) -> FuncInst {
        let ft: Rc<FuncType> = ft.into();
        let param_types: Rc<[ValType]> = ft.param_types().into();
        Rc::new(
            move |store: &Rc<Store>,
                  on_start: OnStart<'_>,
                  on_resolve: OnResolve,
                  caller: Option<InstanceId>| {
                let may_enter = store.state.borrow().instances.may_enter_from(inst, caller);
                trap_if(!may_enter, TrapKind::CannotEnter)?;
                store.state.borrow_mut().instances.enter_from(inst, caller);
                let on_cancel = crate::canon_lift::canon_lift(
                    store,
                    f,
                    ft.clone(),
                    param_types.clone(),
                    opts,
                    inst,
                    on_start,
                    on_resolve,
                )?;
                store.state.borrow_mut().instances.leave_to(inst, caller);
                Ok(on_cancel)
            },
        )
    }

    /// `tick`: resumes one ready waiting thread, chosen through
    /// [`Store::choices`]. Returns whether a thread ran; `false` with
    /// threads still waiting is the deadlock an embedder reports
    /// ([`Store::deadlock`]).
    ///
    /// # Errors
    /// The trap that ended the resumed thread's computation.
    pub fn tick(self: &Rc<Self>) -> Result<bool, Trap> {
        trap_if(
            self.state.borrow().nesting_depth != 0,
            internal_kind("Store.tick during Store.invoke"),
        )?;
        self.state.borrow_mut().nesting_depth += 1;
        let waiting = self.state.borrow().waiting.clone();
        let candidates: Vec<ThreadId> = waiting
            .into_iter()
            .filter(|t| crate::thread::ready(self, *t))
            .collect();
        let ran = !candidates.is_empty();
        let result = if ran {
            let thread = candidates[self.choice(Site::Tick, candidates.len())];
            let inst = {
                let state = self.state.borrow();
                state.task(state.thread(thread)?.task)?.inst
            };
            self.state.borrow_mut().instances.enter_from(inst, None);
            let r = crate::thread::resume_thread(
                self,
                thread,
                crate::stack_switching::Cancelled::False,
            );
            self.state.borrow_mut().instances.leave_to(inst, None);
            r
        } else {
            Ok(())
        };
        self.state.borrow_mut().nesting_depth -= 1;
        result.map(|()| ran)
    }

    /// The threads in `waiting`.
    pub fn waiting_threads(&self) -> Vec<ThreadId> {
        self.state.borrow().waiting.clone()
    }

    /// The deadlock trap ([`TrapKind::Deadlock`]), naming the threads in
    /// `waiting`.
    pub fn deadlock(&self) -> Trap {
        let state = self.state.borrow();
        let waiting = state
            .waiting
            .iter()
            .filter_map(|t| {
                let thread = state.thread(*t).ok()?;
                let inst = state.task(thread.task).ok()?.inst;
                Some(WaitingThread {
                    instance: inst.0,
                    index: thread.index,
                })
            })
            .collect();
        TrapKind::Deadlock(waiting).into()
    }

    /// `lower`: a component function as a core function of `inst`; the
    /// returned closure is what the embedder runs when core code calls the
    /// lowered import.
    pub fn lower(
        self: &Rc<Self>,
        f: FuncInst,
        ft: impl Into<Rc<FuncType>>,
        opts: CanonicalOptions,
    ) -> Rc<dyn Fn(&Rc<Store>, Vec<CoreValue>) -> CoreFuture> {
        let ft = ft.into();
        Rc::new(move |store: &Rc<Store>, args: Vec<CoreValue>| {
            Box::pin(crate::canon_lower::canon_lower(
                store.clone(),
                f.clone(),
                ft.clone(),
                opts,
                args,
            )) as CoreFuture
        })
    }
}

impl State {
    pub fn thread(&self, t: ThreadId) -> Result<&Thread, Trap> {
        self.threads.get(t.0).ok_or(internal("unknown thread"))
    }

    pub fn thread_mut(&mut self, t: ThreadId) -> Result<&mut Thread, Trap> {
        slot(&mut self.threads, t.0)
    }

    pub fn task(&self, t: TaskId) -> Result<&Task, Trap> {
        self.tasks.get(t.0).ok_or(internal("unknown task"))
    }

    pub fn task_mut(&mut self, t: TaskId) -> Result<&mut Task, Trap> {
        slot(&mut self.tasks, t.0)
    }

    pub fn subtask_mut(&mut self, s: SubtaskId) -> Result<&mut Subtask, Trap> {
        slot(&mut self.subtasks, s.0)
    }

    /// The component instance `i`.
    pub fn inst_mut(
        &mut self,
        i: InstanceId,
    ) -> Result<&mut crate::instance::ComponentInstance, Trap> {
        self.instances
            .get_mut(i)
            .ok_or(internal("unknown instance"))
    }
}

/// An arena's element.
pub(crate) fn slot<T>(arena: &mut Arena<T>, i: u32) -> Result<&mut T, Trap> {
    arena.get_mut(i).ok_or(internal("unknown object"))
}

/// A broken invariant of witness itself, reported as a trap, not a panic.
pub(crate) fn internal(what: &'static str) -> Trap {
    Trap {
        kind: internal_kind(what),
    }
}

pub(crate) fn internal_kind(what: &'static str) -> TrapKind {
    TrapKind::Internal(what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn a_released_slot_is_reused_at_the_next_generation() {
        let mut arena: Arena<Vec<u32>> = Arena::default();
        let a = arena.insert(vec![1]);
        let b = arena.insert(vec![2]);
        let g = arena.generation(a);
        arena.release(a);
        assert!(arena.get(a).is_none() && arena.get_live(a, g).is_none());
        arena.release(a);
        assert_eq!(arena.insert(vec![3]), a);
        assert_eq!(arena.get_live(a, g + 1), Some(&vec![3]));
        assert_eq!(arena.remove(b), Some(vec![2]));
        assert_eq!(arena.next_slot(), b);
    }
}
