//! Lifting and Lowering Context (CanonicalABI.md "Lifting and Lowering
//! Context"): the ambient options, component instance and borrow scope of
//! every lifting and lowering definition, the `cx` parameter.

use crate::choices::Choices;
use crate::core_value::{CoreType, CoreValue};
use crate::instance::ComponentInstance;
use crate::options::{Core, CoreResults, LiftLowerOptions, PtrType, ptr_size};
use crate::task::BorrowScope;
use crate::trace::{Arg, Tracer, traced};
use crate::trap::{Trap, TrapKind};

/// `LiftLowerContext`, plus the [`Core`] through which `opts.memory` and
/// `opts.realloc` are reached, the store's [`Tracer`], if any, and the
/// store's [`Choices`] (for the NaNs lowering may scramble; without them,
/// the deterministic profile's).
pub struct LiftLowerContext<'a> {
    pub opts: LiftLowerOptions,
    pub inst: &'a mut ComponentInstance,
    pub borrow_scope: Option<BorrowScope<'a>>,
    pub core: &'a mut dyn Core,
    pub tracer: Option<&'a mut dyn Tracer>,
    pub choices: Option<&'a mut Choices>,
    /// `opts.memory`'s pointer type, asked of the core once: a memory's
    /// type does not change.
    ptr_type: PtrType,
}

impl<'a> LiftLowerContext<'a> {
    /// `LiftLowerContext(opts, inst, borrow_scope)`.
    pub fn new(
        opts: LiftLowerOptions,
        inst: &'a mut ComponentInstance,
        borrow_scope: Option<BorrowScope<'a>>,
        core: &'a mut dyn Core,
    ) -> LiftLowerContext<'a> {
        let ptr_type = opts.memory.map_or(PtrType::I32, |m| core.ptr_type(m));
        LiftLowerContext {
            opts,
            inst,
            borrow_scope,
            core,
            tracer: None,
            choices: None,
            ptr_type,
        }
    }

    /// The context making its choices through `choices`.
    pub fn choosing(self, choices: Option<&'a mut Choices>) -> LiftLowerContext<'a> {
        LiftLowerContext { choices, ..self }
    }

    /// The context reporting to `tracer`.
    pub fn traced_by(self, tracer: Option<&'a mut dyn Tracer>) -> LiftLowerContext<'a> {
        LiftLowerContext { tracer, ..self }
    }

    /// Whether definitions report to a tracer.
    pub fn tracing(&self) -> bool {
        self.tracer.is_some()
    }

    /// Reports the entry of definition `name` (see [`crate::trace`]).
    pub fn trace_enter(&mut self, name: &'static str, args: &[Arg<'_>]) {
        if let Some(t) = self.tracer.as_deref_mut() {
            t.enter(name, args);
        }
    }

    /// Reports the exit of definition `name`.
    pub fn trace_exit(&mut self, name: &'static str, results: Result<&[Arg<'_>], &Trap>) {
        if let Some(t) = self.tracer.as_deref_mut() {
            t.exit(name, results);
        }
    }

    /// `cx.opts.memory`'s bytes. Validation requires the `memory` option
    /// wherever a definition reaches memory; without it the memory is
    /// empty, so any access traps as out of bounds.
    pub fn memory(&mut self) -> &mut [u8] {
        match self.opts.memory {
            Some(m) => self.core.memory(m),
            None => &mut [],
        }
    }

    /// `len(cx.opts.memory)`.
    pub fn memory_len(&mut self) -> u64 {
        self.memory().len() as u64
    }

    /// `cx.opts.memory.ptr_type()`.
    pub fn ptr_type(&self) -> PtrType {
        self.ptr_type
    }

    /// `cx.opts.memory.ptr_size()`.
    pub fn ptr_size(&self) -> u64 {
        ptr_size(self.ptr_type())
    }

    /// `reallocate`: calls `realloc` with `may_leave` cleared. The spec
    /// runs it as a lifted call on a new thread; as it notes, a fully
    /// synchronous call on the current one is observably the same, since
    /// every threading built-in is guarded by `may_leave`.
    pub fn reallocate(
        &mut self,
        old: u64,
        old_byte_length: u64,
        alignment: u64,
        new_byte_length: u64,
    ) -> Result<u64, Trap> {
        let Some(realloc) = self.opts.realloc else {
            return Err(Trap {
                kind: TrapKind::Core("internal error: no realloc option".into()),
            });
        };
        traced!(
            self,
            "reallocate",
            [
                CoreFunc(realloc, self.core.func_name(realloc).as_deref()),
                Ptr(old),
                Int("original_size", old_byte_length),
                Int("alignment", alignment),
                Int("new_size", new_byte_length),
            ],
            |ptr| [Ptr(*ptr)],
            {
                self.inst.may_leave = false;
                let t = CoreType::from(self.ptr_type());
                let args = [old, old_byte_length, alignment, new_byte_length]
                    .map(|v| CoreValue::int(t, v));
                let mut results = CoreResults::new();
                let result = self.core.call(realloc, &args, &mut results);
                self.inst.may_leave = true;
                result?;
                match *results {
                    [ptr] if ptr.ty() == t => Ok(ptr.as_u64()),
                    _ => Err(Trap {
                        kind: TrapKind::Core("realloc returned the wrong type".into()),
                    }),
                }
            }
        )
    }

    /// `allocate`.
    pub fn allocate(&mut self, alignment: u64, byte_length: u64) -> Result<u64, Trap> {
        self.reallocate(0, 0, alignment, byte_length)
    }

    /// Whether `[ptr, ptr + n)` reaches past the memory (the spec's
    /// `ptr + n > len(cx.opts.memory)`, without overflow).
    pub fn beyond_memory(&mut self, ptr: u64, n: u64) -> bool {
        ptr.checked_add(n).is_none_or(|end| end > self.memory_len())
    }
}

/// `align_to`.
pub fn align_to(ptr: u64, alignment: u64) -> u64 {
    ptr.div_ceil(alignment) * alignment
}
