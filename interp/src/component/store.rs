//! The embedding API's `Store`: a canonical store (CanonicalABI.md
//! "Embedding") whose core side is a [`CoreBridge`] over a fresh
//! interpreter store, and whose first component instance stands for the
//! host (it implements host resources).

use super::bridge::CoreBridge;
use super::engine::Engine;
use super::error::Error;
use super::host::{self, HostDtor};
use crate::core_wasm;
use alloc::boxed::Box;
use alloc::rc::Rc;
use witness_canonical::choices::Choices;
use witness_canonical::{ResourceType, Tracer};

/// Every instance, handle and task of one embedding. Dropping it ends
/// them all, even for a holder of a clone of [`Store::canonical`].
pub struct Store {
    pub(crate) inner: Rc<witness_canonical::store::Store>,
}

impl Drop for Store {
    /// Drops the canonical store's instances, threads, tasks and subtasks.
    /// The continuation of a thread that never finished holds the store
    /// (the spec's `thread.task.inst.store`) while the store holds the
    /// thread: without this, that cycle keeps both alive.
    fn drop(&mut self) {
        // Taken out under the borrow, dropped after it: the continuations
        // drop their own references to the store.
        let state = self
            .inner
            .state
            .try_borrow_mut()
            .map(|mut state| core::mem::take(&mut *state));
        drop(state);
    }
}

impl Store {
    /// A store with the engine's limits.
    pub fn new(engine: &Engine) -> Store {
        let core = core_wasm::Store::new(engine.config.clone());
        let inner = witness_canonical::store::Store::new(Box::new(CoreBridge::new(core)));
        // The host's instance: `host::HOST_INSTANCE`.
        inner.state.borrow_mut().instances.add(None);
        Store { inner }
    }

    /// The canonical store, for the definitions of witness-canonical.
    pub fn canonical(&self) -> &Rc<witness_canonical::store::Store> {
        &self.inner
    }

    /// Sets the instruction budget of core code (`None`: unlimited).
    pub fn set_fuel(&self, fuel: Option<u64>) {
        if let Ok(mut bridge) = CoreBridge::of(&self.inner) {
            bridge.core.set_fuel(fuel);
        }
    }

    /// Makes the Canonical ABI's definitions report each step to `tracer`
    /// (`None`: to nobody, the default); returns the previous tracer.
    pub fn set_tracer(&self, tracer: Option<Box<dyn Tracer>>) -> Option<Box<dyn Tracer>> {
        self.inner.set_tracer(tracer)
    }

    /// Makes every choice the Canonical ABI leaves open (which ready thread
    /// runs, whether a ready wait blocks, NaN bits, ...) through `choices`:
    /// the deterministic profile by default, seeded random, or a replay.
    pub fn set_choices(&self, choices: Choices) {
        *self.inner.choices.borrow_mut() = choices;
    }

    /// A fresh resource type implemented by the host; `dtor` runs when a
    /// component drops an owning handle of it.
    ///
    /// # Errors
    /// Only if the store is broken (no core bridge).
    pub fn resource_type(&self, name: &str, dtor: Option<HostDtor>) -> Result<ResourceType, Error> {
        host::host_resource(&self.inner, name, dtor)
    }
}
