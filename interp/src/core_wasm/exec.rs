//! Execution of instructions (core spec §4.4 "Instructions"), one at a time,
//! on a [`Thread`](super::Thread)'s explicit stacks.
//!
//! Conventions: `base` is the current frame's first local on the operand
//! stack; in the loop `stack` is the stack from `base` on, so that local
//! `i` is `stack[i]`, and `sp` (the next free slot) counts from `base`;
//! `pc` is the next instruction,
//! `code` the current function's translation and `inst` its module
//! instance. Wasm calls push a [`Frame`]; host calls leave the loop with
//! [`Outcome::Call`]. A trap saves `pc` in the top frame for the backtrace.
//!
//! Addresses and table indices are read from their slot as `u64` whether
//! the memory or table is 32- or 64-bit: an `i32` slot always holds the
//! value zero-extended (see [`value`](super::value)).

use super::choices::Choices;
use super::config::Config;
use super::exception::{Exception, ExnInst, Unwound, unwind};
pub(crate) use super::frame::Frame;
use super::frame::{enter_parts, move_down};
use super::fused::{Load, Pair};
use super::instr::{BrTarget, Instr, MemArg};
use super::memory::{self, MemInst, range};
use super::module::Code;
use super::numeric::*;
use super::simd;
use super::store::{DataInst, FuncAddr, FuncInst, ModuleInst, Store, two_mut};
use super::table::TableInst;
use super::thread::{Outcome, Stacks, State};
use super::trap::{BacktraceFrame, Trap, TrapKind};
use super::value::{decode_ref, encode_ref, read_vals, slot_count};
use alloc::string::String;
use alloc::vec::Vec;

/// The code and module instance of a wasm function.
pub(crate) fn wasm_func<'s>(
    funcs: &'s [FuncInst],
    instances: &'s [ModuleInst],
    f: FuncAddr,
) -> Result<(&'s Code, &'s ModuleInst), TrapKind> {
    match funcs.get(f.0 as usize) {
        Some(FuncInst::Wasm { code, instance, .. }) => instances
            .get(instance.0 as usize)
            .map(|i| (&**code, i))
            .ok_or_else(|| {
                TrapKind::Host(String::from("internal error: frame of an unknown instance"))
            }),
        _ => Err(TrapKind::Host(String::from(
            "internal error: frame of a host function",
        ))),
    }
}

/// The bytes of instance `inst`'s memory 0, empty when it has none.
fn memory0<'m>(mems: &'m mut [MemInst], inst: &ModuleInst) -> &'m mut [u8] {
    match inst.mems.first().and_then(|a| mems.get_mut(a.0 as usize)) {
        Some(m) => &mut m.data,
        None => &mut [],
    }
}

impl Stacks {
    /// Runs until the thread returns (`None`, the results left on the
    /// stack), traps or calls the host.
    #[inline]
    pub(crate) fn execute(&mut self, store: &mut Store) -> Option<Outcome> {
        let outcome = if store.fuel != u64::MAX {
            self.run_loop::<true>(store)
        } else {
            self.run_loop::<false>(store)
        };
        // A return is told apart first: it moves no outcome.
        match outcome {
            Ok(None) => None,
            Ok(stopped) => stopped,
            Err(kind) => Some(self.trapped(store, kind)),
        }
    }

    /// Finishes the thread with a trap, its backtrace read from the frames.
    #[cold]
    #[inline(never)]
    fn trapped(&mut self, store: &Store, kind: TrapKind) -> Outcome {
        let backtrace = self
            .frames
            .iter()
            .rev()
            .filter_map(|fr| match store.funcs.get(fr.func.0 as usize) {
                Some(FuncInst::Wasm {
                    code,
                    instance,
                    index,
                    ..
                }) => Some(BacktraceFrame {
                    func_index: *index,
                    func_name: store
                        .instances
                        .get(instance.0 as usize)
                        .and_then(|i| i.func_names.get(index).cloned()),
                    offset: code
                        .offsets
                        .get((fr.pc as usize).saturating_sub(1))
                        .copied()
                        .unwrap_or(0),
                }),
                _ => None,
            })
            .collect();
        self.frames.clear();
        self.state = State::Finished;
        Outcome::Trap(Trap { kind, backtrace })
    }

    #[allow(clippy::too_many_lines)]
    /// The loop; `METERED` compiles fuel accounting in or out, so that
    /// unmetered runs pay nothing for it.
    fn run_loop<const METERED: bool>(
        &mut self,
        store: &mut Store,
    ) -> Result<Option<Outcome>, TrapKind> {
        let Stacks {
            stack: stack_vec,
            sp: thread_sp,
            frames,
            state,
            entry,
        } = self;
        let metered = store.fuel != u64::MAX;
        let mut fuel = store.fuel;
        let Store {
            config,
            types,
            funcs,
            tables,
            mems,
            globals,
            instances,
            elems,
            datas,
            tags,
            exns,
            fuel: store_fuel,
            choices,
            spare_thread: _,
            spare_results: _,
        } = store;
        // A thread with no frame yet makes its entry call (§4.4.10
        // "Invocation of function address"), the arguments on the stack.
        let (frame, (mut code, mut inst)) = match frames.last() {
            Some(fr) => (*fr, wasm_func(funcs, instances, fr.func)?),
            None => {
                let (code, inst) = wasm_func(funcs, instances, *entry)?;
                let base = enter_parts(
                    stack_vec,
                    thread_sp,
                    frames,
                    code,
                    *entry,
                    config.max_call_depth,
                    config.max_stack_slots,
                )?;
                let frame = Frame {
                    func: *entry,
                    pc: 0,
                    base: base as u32,
                };
                (frame, (code, inst))
            }
        };
        // The function whose `code` and `inst` these are.
        let mut cur_func = frame.func;
        let mut pc = frame.pc as usize;
        // The current frame's view of the operand stack starts at its first
        // local, `base`, so that a local is read at its own index and `sp`
        // counts from there; re-taken when the frame changes or a call may
        // have grown the vector.
        let mut base = frame.base as usize;
        let mut sp = thread_sp.saturating_sub(base);
        let mut stack: &mut [u64] = &mut stack_vec[base..];
        let mut instrs: &[Instr] = &code.instrs;
        // The current instance's memory 0, which most loads and stores use;
        // taken again when the instance changes or memories may have grown.
        let mut mem0 = memory0(mems, inst);

        // Leaves the loop (it has no loop inside), through its one exit.
        // Makes the frame whose first local is `$base` the current one,
        // keeping the operand stack's top where it is.
        macro_rules! reframe {
            ($base:expr) => {{
                let top = base + sp;
                base = $base;
                stack = &mut stack_vec[base..];
                sp = top - base;
            }};
        }
        // `local $a += $c` (`i32.add`), its new value.
        macro_rules! step {
            ($a:expr, $c:expr) => {{
                let x = i32!((stack[$a as usize] as u32).wrapping_add($c as i32 as u32));
                stack[$a as usize] = x;
                x
            }};
        }
        // A jump to `$t` if `$c` holds.
        macro_rules! jump_on {
            ($c:expr, $t:expr) => {
                if $c {
                    pc = $t as usize;
                }
            };
        }
        macro_rules! leave {
            ($r:expr) => {{
                break $r;
            }};
        }
        macro_rules! tri {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(k) => leave!(Err(unlikely(k))),
                }
            };
        }
        macro_rules! pop {
            () => {{
                sp -= 1;
                stack[sp]
            }};
        }
        macro_rules! push {
            ($v:expr) => {{
                let v: u64 = $v;
                stack[sp] = v;
                sp += 1;
            }};
        }
        // Unary and binary operators on the top slots, by operand type.
        macro_rules! un {
            ($t:ident, $a:ident => $e:expr) => {{
                let $a = slot!($t, stack[sp - 1]);
                stack[sp - 1] = $e;
            }};
        }
        macro_rules! bin {
            ($t:ident, $a:ident, $b:ident => $e:expr) => {{
                let $b = slot!($t, pop!());
                let $a = slot!($t, stack[sp - 1]);
                stack[sp - 1] = $e;
            }};
        }
        macro_rules! slot {
            (i32, $s:expr) => {
                $s as u32 as i32
            };
            (i64, $s:expr) => {
                $s as i64
            };
            (f32, $s:expr) => {
                f32::from_bits($s as u32)
            };
            (f64, $s:expr) => {
                f64::from_bits($s)
            };
        }
        // Result encodings.
        macro_rules! i32 {
            ($e:expr) => {
                ($e) as u32 as u64
            };
        }
        macro_rules! i64 {
            ($e:expr) => {
                ($e) as u64
            };
        }
        // The bytes of memory `$m` as `$d` in `$e`: memory 0's are at hand
        // in `mem0`; another's are looked up, `mem0` then taken again.
        macro_rules! with_mem {
            ($m:expr, |$d:ident| $e:expr) => {{
                let m = $m as usize;
                if m == 0 {
                    let $d: &mut [u8] = mem0;
                    $e
                } else {
                    let $d: &mut [u8] = &mut mems[inst.mems[m].0 as usize].data;
                    let r = $e;
                    mem0 = memory0(mems, inst);
                    r
                }
            }};
        }
        // The value of a load or store, `None` when out of bounds.
        macro_rules! bounded {
            ($e:expr) => {
                match $e {
                    Some(v) => v,
                    None => tri!(Err(TrapKind::OutOfBoundsMemoryAccess)),
                }
            };
        }
        macro_rules! load {
            ($m:expr, $n:literal, $conv:expr) => {{
                let m: MemArg = $m;
                let addr = stack[sp - 1];
                let bytes: [u8; $n] =
                    bounded!(with_mem!(m.mem, |d| memory::load(d, addr, m.offset as u64)));
                stack[sp - 1] = $conv(bytes);
            }};
        }
        macro_rules! store {
            ($m:expr, $conv:expr) => {{
                let m: MemArg = $m;
                let v = pop!();
                let addr = pop!();
                bounded!(with_mem!(m.mem, |d| memory::store(
                    d,
                    addr,
                    m.offset as u64,
                    $conv(v)
                )));
            }};
        }
        // `local $s += the load of kind $kind from the address in local $p`.
        macro_rules! load_add {
            ($kind:expr, $p:expr, $s:expr, $offset:expr) => {{
                let (addr, acc) = (stack[$p as usize], stack[$s as usize]);
                stack[$s as usize] = bounded!($kind.add_to(acc, mem0, addr, $offset as u64));
            }};
        }
        // §4.4.10 "Returning from a function": the results replace the frame.
        macro_rules! ret {
            () => {{
                let n = code.results as usize;
                move_down(stack, sp, n, 0);
                sp = n;
                frames.pop();
                match frames.last() {
                    None => {
                        *state = State::Returned;
                        leave!(Ok(None));
                    }
                    Some(fr) => {
                        // A recursive call returns to its own code.
                        if fr.func != cur_func {
                            (code, inst) = tri!(wasm_func(funcs, instances, fr.func));
                            instrs = &code.instrs;
                            mem0 = memory0(mems, inst);
                            cur_func = fr.func;
                        }
                        pc = fr.pc as usize;
                        reframe!(fr.base as usize);
                    }
                }
            }};
        }
        macro_rules! br {
            ($t:expr) => {{
                let t: BrTarget = $t;
                let keep = t.keep as usize;
                move_down(stack, sp, keep, sp - keep - t.drop as usize);
                sp -= t.drop as usize;
                pc = t.pc as usize;
            }};
        }
        // §4.4.10 "Invocation of function address".
        macro_rules! call {
            ($f:expr) => {{
                let f: FuncAddr = $f;
                match funcs.get(f.0 as usize) {
                    Some(FuncInst::Wasm {
                        code: c, instance, ..
                    }) => {
                        if let Some(fr) = frames.last_mut() {
                            fr.pc = pc as u32;
                        }
                        let mut top = base + sp;
                        base = tri!(enter_parts(
                            stack_vec,
                            &mut top,
                            frames,
                            c,
                            f,
                            config.max_call_depth,
                            config.max_stack_slots
                        ));
                        stack = &mut stack_vec[base..];
                        sp = top - base;
                        code = c;
                        instrs = &code.instrs;
                        inst = &instances[instance.0 as usize];
                        mem0 = memory0(mems, inst);
                        cur_func = f;
                        pc = 0;
                    }
                    Some(FuncInst::Host { ty, tag }) => {
                        let params = &types[*ty as usize].params;
                        let n = slot_count(params);
                        let args = read_vals(params, &stack[sp - n..sp]);
                        sp -= n;
                        *state = State::Waiting(f);
                        leave!(Ok(Some(Outcome::Call {
                            func: f,
                            tag: *tag,
                            args
                        })));
                    }
                    None => tri!(Err(TrapKind::Host(String::from(
                        "internal error: unknown function"
                    )))),
                }
            }};
        }

        // §4.4.8 `throw_ref`: unwind to the innermost handler, or leave the
        // thread with the exception.
        macro_rules! throw {
            ($exn:expr) => {{
                let exn: u32 = $exn;
                if let Some(fr) = frames.last_mut() {
                    fr.pc = pc as u32;
                }
                let Some(e) = exns.get(exn as usize) else {
                    tri!(Err(TrapKind::NullExceptionReference))
                };
                let mut top = base + sp;
                match unwind(stack_vec, &mut top, frames, funcs, instances, e, exn) {
                    Unwound::Uncaught => {
                        let params = &types[tags[e.tag.0 as usize].ty as usize].params;
                        let payload = read_vals(params, &e.payload);
                        base = 0;
                        sp = 0;
                        *state = State::Finished;
                        leave!(Ok(Some(Outcome::Exception(Exception {
                            tag: e.tag,
                            payload
                        }))));
                    }
                    caught => {
                        let Some(fr) = frames.last() else {
                            tri!(Err(TrapKind::NullExceptionReference))
                        };
                        (code, inst) = tri!(wasm_func(funcs, instances, fr.func));
                        instrs = &code.instrs;
                        mem0 = memory0(mems, inst);
                        cur_func = fr.func;
                        pc = fr.pc as usize;
                        base = fr.base as usize;
                        stack = &mut stack_vec[base..];
                        sp = top - base;
                        if let Unwound::Return = caught {
                            ret!();
                        }
                    }
                }
            }};
        }
        // `return_call`: the callee's arguments replace the current frame,
        // whose caller then makes the call, so the frame count stays the
        // same (§4.4.8 `return_call`).
        macro_rules! tail_call {
            ($f:expr) => {{
                let f: FuncAddr = $f;
                let n = slot_count(&types[funcs[f.0 as usize].ty() as usize].params);
                move_down(stack, sp, n, 0);
                sp = n;
                frames.pop();
                if let Some(fr) = frames.last() {
                    (code, inst) = tri!(wasm_func(funcs, instances, fr.func));
                    instrs = &code.instrs;
                    cur_func = fr.func;
                    pc = fr.pc as usize;
                    reframe!(fr.base as usize);
                }
                call!(f)
            }};
        }
        // §4.4.8 `call_indirect`: the table entry, checked.
        macro_rules! indirect {
            ($ty:expr, $table:expr) => {{
                let i = pop!();
                let table = &tables[inst.tables[$table as usize].0 as usize];
                let r = tri!(table.get(i).map_err(|_| TrapKind::UndefinedElement));
                let Some(f) = decode_ref(r) else {
                    tri!(Err(TrapKind::UninitializedElement))
                };
                let f = FuncAddr(f);
                if funcs[f.0 as usize].ty() != inst.types[$ty as usize] {
                    tri!(Err(TrapKind::IndirectCallTypeMismatch));
                }
                f
            }};
        }

        // The function a call instruction calls.
        macro_rules! callee {
            ($instr:expr) => {
                match $instr {
                    Instr::Call(idx) | Instr::ReturnCall(idx) => inst.funcs[idx as usize],
                    Instr::CallIndirect(ty, table) | Instr::ReturnCallIndirect(ty, table) => {
                        indirect!(ty, table)
                    }
                    // `call_ref` and `return_call_ref`.
                    _ => match decode_ref(pop!()) {
                        Some(f) => FuncAddr(f),
                        None => tri!(Err(TrapKind::NullFunctionReference)),
                    },
                }
            };
        }

        let outcome = loop {
            let at = pc;
            pc += 1;
            let Some(&instr) = instrs.get(at) else {
                tri!(Err(TrapKind::Host(String::from(
                    "internal error: ran off the end of a function"
                ))))
            };
            if METERED {
                if fuel == 0 {
                    leave!(Err(TrapKind::OutOfFuel));
                }
                fuel -= 1;
            }
            match instr {
                // §4.4.8 Control instructions
                Instr::Unreachable => tri!(Err(TrapKind::Unreachable)),
                Instr::Jump(t) => pc = t as usize,
                Instr::Br(t) => br!(t),
                Instr::JumpIfNez(t) => {
                    if pop!() as u32 != 0 {
                        pc = t as usize;
                    }
                }
                Instr::JumpIfEqz(t) => {
                    if pop!() as u32 == 0 {
                        pc = t as usize;
                    }
                }
                Instr::BrIf(t) => {
                    if pop!() as u32 != 0 {
                        br!(t);
                    }
                }
                Instr::BrTable(first, len) => {
                    let i = (pop!() as u32).min(len - 1);
                    br!(code.br_table[(first + i) as usize]);
                }
                Instr::Return => ret!(),
                // One arm for the calls and one for the tail calls keep one
                // copy of each in the loop.
                Instr::Call(_) | Instr::CallIndirect(..) | Instr::CallRef => call!(callee!(instr)),
                Instr::ReturnCall(_) | Instr::ReturnCallIndirect(..) | Instr::ReturnCallRef => {
                    tail_call!(callee!(instr))
                }
                Instr::BrOnNull(t) => {
                    if stack[sp - 1] == 0 {
                        sp -= 1;
                        br!(t);
                    }
                }
                Instr::BrOnNonNull(t) => {
                    if stack[sp - 1] != 0 {
                        br!(t);
                    } else {
                        sp -= 1;
                    }
                }
                Instr::Throw(t) => {
                    let tag = inst.tags[t as usize];
                    let n = slot_count(&types[tags[tag.0 as usize].ty as usize].params);
                    sp -= n;
                    exns.push(ExnInst {
                        tag,
                        payload: stack[sp..sp + n].to_vec(),
                    });
                    throw!((exns.len() - 1) as u32)
                }
                Instr::ThrowRef => match decode_ref(pop!()) {
                    Some(exn) => throw!(exn),
                    None => tri!(Err(TrapKind::NullExceptionReference)),
                },

                // §4.4.4 Reference instructions
                Instr::RefNull => push!(0),
                Instr::RefAsNonNull => {
                    if stack[sp - 1] == 0 {
                        tri!(Err(TrapKind::NullReference));
                    }
                }
                Instr::RefIsNull => un!(i64, a => (a == 0) as u64),
                Instr::RefFunc(idx) => push!(encode_ref(Some(inst.funcs[idx as usize].0))),

                // §4.4.5 Parametric instructions
                Instr::Drop => sp -= 1,
                Instr::DropV128 => sp -= 2,
                Instr::SelectV128 => {
                    let c = pop!() as u32;
                    sp -= 2;
                    if c == 0 {
                        stack.copy_within(sp..sp + 2, sp - 2);
                    }
                }
                Instr::Select => {
                    let c = pop!() as u32;
                    let b = pop!();
                    if c == 0 {
                        stack[sp - 1] = b;
                    }
                }

                // §4.4.6 Variable instructions
                Instr::LocalGet(i) => push!(stack[i as usize]),
                Instr::LocalSet(i) => stack[i as usize] = pop!(),
                Instr::LocalTee(i) => stack[i as usize] = stack[sp - 1],
                Instr::LocalGetV128(i) => {
                    let at = i as usize;
                    stack.copy_within(at..at + 2, sp);
                    sp += 2;
                }
                Instr::LocalSetV128(i) => {
                    sp -= 2;
                    stack.copy_within(sp..sp + 2, i as usize);
                }
                Instr::LocalTeeV128(i) => stack.copy_within(sp - 2..sp, i as usize),
                Instr::GlobalGet(i) => {
                    push!(globals[inst.globals[i as usize].0 as usize].value as u64)
                }
                Instr::GlobalSet(i) => {
                    globals[inst.globals[i as usize].0 as usize].value = pop!() as u128
                }
                Instr::GlobalGetV128(i) => {
                    let v = globals[inst.globals[i as usize].0 as usize].value;
                    push!(v as u64);
                    push!((v >> 64) as u64);
                }
                Instr::GlobalSetV128(i) => {
                    let hi = pop!() as u128;
                    let lo = pop!() as u128;
                    globals[inst.globals[i as usize].0 as usize].value = lo | hi << 64;
                }

                // §4.4.7 Table instructions and the memory instructions
                // other than loads and stores, out of the loop (see `bulk`).
                Instr::TableGet(_)
                | Instr::TableSet(_)
                | Instr::TableSize(_)
                | Instr::TableGrow(_)
                | Instr::TableFill(_)
                | Instr::TableCopy(..)
                | Instr::TableInit(..)
                | Instr::ElemDrop(_)
                | Instr::MemorySize(_)
                | Instr::MemoryGrow(_)
                | Instr::MemoryFill(_)
                | Instr::MemoryCopy(..)
                | Instr::MemoryInit(..)
                | Instr::DataDrop(_) => {
                    let mut ops = Operands { stack, sp };
                    let r = bulk(
                        instrs, pc, &mut ops, inst, tables, mems, elems, datas, config,
                    );
                    sp = ops.sp;
                    mem0 = memory0(mems, inst);
                    tri!(r)
                }

                // §4.4.7 Memory instructions
                Instr::I32Load(o) => load!(o, 4, |b| i32!(u32::from_le_bytes(b))),
                Instr::I64Load(o) => load!(o, 8, u64::from_le_bytes),
                Instr::F32Load(o) => load!(o, 4, |b| i32!(u32::from_le_bytes(b))),
                Instr::F64Load(o) => load!(o, 8, u64::from_le_bytes),
                Instr::I32Load8S(o) => load!(o, 1, |b| i32!(i8::from_le_bytes(b) as i32)),
                Instr::I32Load8U(o) => load!(o, 1, |b| i32!(u8::from_le_bytes(b))),
                Instr::I32Load16S(o) => load!(o, 2, |b| i32!(i16::from_le_bytes(b) as i32)),
                Instr::I32Load16U(o) => load!(o, 2, |b| i32!(u16::from_le_bytes(b))),
                Instr::I64Load8S(o) => load!(o, 1, |b| i64!(i8::from_le_bytes(b) as i64)),
                Instr::I64Load8U(o) => load!(o, 1, |b| i64!(u8::from_le_bytes(b))),
                Instr::I64Load16S(o) => load!(o, 2, |b| i64!(i16::from_le_bytes(b) as i64)),
                Instr::I64Load16U(o) => load!(o, 2, |b| i64!(u16::from_le_bytes(b))),
                Instr::I64Load32S(o) => load!(o, 4, |b| i64!(i32::from_le_bytes(b) as i64)),
                Instr::I64Load32U(o) => load!(o, 4, |b| i64!(u32::from_le_bytes(b))),
                Instr::I32Store(o) | Instr::F32Store(o) => {
                    store!(o, |v: u64| (v as u32).to_le_bytes())
                }
                Instr::I64Store(o) | Instr::F64Store(o) => store!(o, |v: u64| v.to_le_bytes()),
                Instr::I32Store8(o) | Instr::I64Store8(o) => {
                    store!(o, |v: u64| (v as u8).to_le_bytes())
                }
                Instr::I32Store16(o) | Instr::I64Store16(o) => {
                    store!(o, |v: u64| (v as u16).to_le_bytes())
                }
                Instr::I64Store32(o) => store!(o, |v: u64| (v as u32).to_le_bytes()),
                Instr::MemoryOutOfBounds => tri!(Err(TrapKind::OutOfBoundsMemoryAccess)),

                // §4.4.3 Vector instructions, out of the loop: they are rare,
                // and their code would crowd the loop's registers.
                Instr::V128Const(_)
                | Instr::V128Unary(_)
                | Instr::V128Binary(_)
                | Instr::V128Ternary(_)
                | Instr::V128Shift(_)
                | Instr::V128Splat(_)
                | Instr::V128Extract(..)
                | Instr::V128Replace(..)
                | Instr::V128Test(_)
                | Instr::V128Shuffle(_)
                | Instr::V128Load(..)
                | Instr::V128Relaxed(_)
                | Instr::V128Store(_)
                | Instr::V128LoadLane(..)
                | Instr::V128StoreLane(..) => {
                    let mut ops = Operands { stack, sp };
                    let r = vector(instrs, pc, &mut ops, code, &mut mems[..], inst, choices);
                    sp = ops.sp;
                    mem0 = memory0(mems, inst);
                    tri!(r)
                }

                // Fused instructions (see `fused`).
                Instr::BinLL(op, a, b) => {
                    push!(op.apply(stack[a as usize], stack[b as usize]))
                }
                Instr::BinLC(op, a, c) => push!(op.apply(stack[a as usize], op.constant(c))),
                Instr::BinSL(op, b) => stack[sp - 1] = op.apply(stack[sp - 1], stack[b as usize]),
                Instr::BinSC(op, c) => stack[sp - 1] = op.apply(stack[sp - 1], op.constant(c)),
                Instr::BinLLSet(op, a, b, d) => {
                    stack[d as usize] = op.apply(stack[a as usize], stack[b as usize])
                }
                Instr::BinLCSet(op, a, c, d) => {
                    stack[d as usize] = op.apply(stack[a as usize], op.constant(c))
                }
                Instr::LocalCopy(d, s) => stack[d as usize] = stack[s as usize],
                Instr::DropN(n) => sp -= n as usize,
                Instr::LocalGetRange(first, n) => {
                    let (from, n) = (first as usize, n as usize);
                    let (locals, top) = stack.split_at_mut(sp);
                    top[..n].copy_from_slice(&locals[from..from + n]);
                    sp += n;
                }
                Instr::BinLLTee(op, a, b, d) => {
                    let v = op.apply(stack[a as usize], stack[b as usize]);
                    stack[d as usize] = v;
                    push!(v)
                }
                Instr::BinLCTee(op, a, c, d) => {
                    let v = op.apply(stack[a as usize], op.constant(c));
                    stack[d as usize] = v;
                    push!(v)
                }
                Instr::BinSCTee(op, c, d) => {
                    let v = op.apply(stack[sp - 1], op.constant(c));
                    stack[sp - 1] = v;
                    stack[d as usize] = v;
                }
                Instr::BinTee(op, d) => {
                    let b = pop!();
                    let v = op.apply(stack[sp - 1], b);
                    stack[sp - 1] = v;
                    stack[d as usize] = v;
                }
                Instr::BinSet(op, d) => {
                    let b = pop!();
                    let a = pop!();
                    stack[d as usize] = op.apply(a, b);
                }
                Instr::StoreLC(kind, m, a, c, offset) => {
                    let v = c as i64 as u64;
                    let a = stack[a as usize];
                    bounded!(with_mem!(m, |d| kind.apply(d, a, offset as u64, v)))
                }
                Instr::BinLS(op, a) => stack[sp - 1] = op.apply(stack[a as usize], stack[sp - 1]),
                Instr::BinLSSet(op, a, d) => {
                    let b = pop!();
                    stack[d as usize] = op.apply(stack[a as usize], b);
                }
                Instr::LoadL(kind, a, offset) => {
                    let v = bounded!(kind.apply(mem0, stack[a as usize], offset as u64));
                    push!(v)
                }
                Instr::LoadLSet(kind, a, offset, d) => {
                    stack[d as usize] = bounded!(kind.apply(mem0, stack[a as usize], offset as u64))
                }
                Instr::LoadLTee(kind, a, offset, d) => {
                    let v = bounded!(kind.apply(mem0, stack[a as usize], offset as u64));
                    stack[d as usize] = v;
                    push!(v)
                }
                Instr::LoadAddSet(kind, p, s, offset) => load_add!(kind, p, s, offset),
                Instr::LoadAddSetI32(p, s, offset) => load_add!(Load::I32, p, s, offset),
                Instr::LoadAddSetI64U32(p, s, offset) => load_add!(Load::I64_32U, p, s, offset),
                // Out of the loop, which it runs many times over.
                Instr::LoadAddLoopI32UnlessEq(..)
                | Instr::LoadAddLoopI32IfLtU(..)
                | Instr::LoadAddLoopI64U32UnlessEq(..)
                | Instr::LoadAddLoopI64U32IfLtU(..)
                | Instr::LoadAddLoopUnlessEq(..)
                | Instr::LoadAddLoopIfLtU(..) => {
                    let end;
                    (fuel, end) = load_add_loop::<METERED>(instrs, pc, stack, mem0, fuel);
                    tri!(end)
                }
                Instr::JumpIfLL(op, a, b, t) => {
                    if op.apply(stack[a as usize], stack[b as usize]) != 0 {
                        pc = t as usize;
                    }
                }
                Instr::JumpIfLC(op, a, c, t) => {
                    if op.apply(stack[a as usize], op.constant(c)) != 0 {
                        pc = t as usize;
                    }
                }
                Instr::JumpUnlessLL(op, a, b, t) => {
                    if op.apply(stack[a as usize], stack[b as usize]) == 0 {
                        pc = t as usize;
                    }
                }
                Instr::JumpUnlessLC(op, a, c, t) => {
                    if op.apply(stack[a as usize], op.constant(c)) == 0 {
                        pc = t as usize;
                    }
                }

                // Specialised fused instructions (see `fused::specialise`).
                Instr::JumpIfEq(a, b, t) => jump_on!(stack[a as usize] == stack[b as usize], t),
                Instr::JumpUnlessEq(a, b, t) => {
                    jump_on!(stack[a as usize] != stack[b as usize], t)
                }
                Instr::JumpIfLtU(a, b, t) => jump_on!(stack[a as usize] < stack[b as usize], t),
                Instr::JumpUnlessLtU(a, b, t) => {
                    jump_on!(stack[a as usize] >= stack[b as usize], t)
                }
                Instr::JumpIfLtS32(a, b, t) => {
                    jump_on!(
                        slot!(i32, stack[a as usize]) < slot!(i32, stack[b as usize]),
                        t
                    )
                }
                Instr::JumpUnlessLtS32(a, b, t) => {
                    jump_on!(
                        slot!(i32, stack[a as usize]) >= slot!(i32, stack[b as usize]),
                        t
                    )
                }
                Instr::JumpIfLtS64(a, b, t) => {
                    jump_on!(
                        slot!(i64, stack[a as usize]) < slot!(i64, stack[b as usize]),
                        t
                    )
                }
                Instr::JumpUnlessLtS64(a, b, t) => {
                    jump_on!(
                        slot!(i64, stack[a as usize]) >= slot!(i64, stack[b as usize]),
                        t
                    )
                }
                Instr::StepJumpIfEq(c, a, b, t) => jump_on!(step!(a, c) == stack[b as usize], t),
                Instr::StepJumpUnlessEq(c, a, b, t) => {
                    jump_on!(step!(a, c) != stack[b as usize], t)
                }
                Instr::StepJumpIfLtU(c, a, b, t) => jump_on!(step!(a, c) < stack[b as usize], t),
                Instr::StepJumpUnlessLtU(c, a, b, t) => {
                    jump_on!(step!(a, c) >= stack[b as usize], t)
                }
                Instr::StepJumpIfLtS32(c, a, b, t) => {
                    jump_on!(slot!(i32, step!(a, c)) < slot!(i32, stack[b as usize]), t)
                }
                Instr::StepJumpUnlessLtS32(c, a, b, t) => {
                    jump_on!(slot!(i32, step!(a, c)) >= slot!(i32, stack[b as usize]), t)
                }
                Instr::JumpIfEqC(a, c, t) => jump_on!(stack[a as usize] == c as u64, t),
                Instr::JumpUnlessEqC(a, c, t) => jump_on!(stack[a as usize] != c as u64, t),
                Instr::JumpIfLtUC(a, c, t) => jump_on!(stack[a as usize] < c as u64, t),
                Instr::JumpUnlessLtUC(a, c, t) => jump_on!(stack[a as usize] >= c as u64, t),
                Instr::JumpIfLtS32C(a, c, t) => jump_on!(slot!(i32, stack[a as usize]) < c, t),
                Instr::JumpUnlessLtS32C(a, c, t) => {
                    jump_on!(slot!(i32, stack[a as usize]) >= c, t)
                }
                Instr::JumpIfLtS64C(a, c, t) => {
                    jump_on!(slot!(i64, stack[a as usize]) < c as i64, t)
                }
                Instr::JumpUnlessLtS64C(a, c, t) => {
                    jump_on!(slot!(i64, stack[a as usize]) >= c as i64, t)
                }
                Instr::I32AddLC(a, c) => {
                    push!(i32!((stack[a as usize] as u32).wrapping_add(c as u32)))
                }
                Instr::I64AddLC(a, c) => push!(stack[a as usize].wrapping_add(c as i64 as u64)),
                Instr::I32AddLCSet(a, c, d) => {
                    stack[d as usize] = i32!((stack[a as usize] as u32).wrapping_add(c as u32))
                }
                Instr::I64AddLCSet(a, c, d) => {
                    stack[d as usize] = stack[a as usize].wrapping_add(c as i64 as u64)
                }

                Instr::I32Const(v) => push!(i32!(v)),
                Instr::I64Const(v) => push!(i64!(v)),
                Instr::F32Const(v) => push!(v as u64),
                Instr::F64Const(v) => push!(v),

                Instr::I32Eqz => un!(i32, a => (a == 0) as u64),
                Instr::I32Eq => bin!(i32, a, b => (a == b) as u64),
                Instr::I32Ne => bin!(i32, a, b => (a != b) as u64),
                Instr::I32LtS => bin!(i32, a, b => (a < b) as u64),
                Instr::I32LtU => bin!(i32, a, b => ((a as u32) < (b as u32)) as u64),
                Instr::I32GtS => bin!(i32, a, b => (a > b) as u64),
                Instr::I32GtU => bin!(i32, a, b => ((a as u32) > (b as u32)) as u64),
                Instr::I32LeS => bin!(i32, a, b => (a <= b) as u64),
                Instr::I32LeU => bin!(i32, a, b => ((a as u32) <= (b as u32)) as u64),
                Instr::I32GeS => bin!(i32, a, b => (a >= b) as u64),
                Instr::I32GeU => bin!(i32, a, b => ((a as u32) >= (b as u32)) as u64),
                Instr::I64Eqz => un!(i64, a => (a == 0) as u64),
                Instr::I64Eq => bin!(i64, a, b => (a == b) as u64),
                Instr::I64Ne => bin!(i64, a, b => (a != b) as u64),
                Instr::I64LtS => bin!(i64, a, b => (a < b) as u64),
                Instr::I64LtU => bin!(i64, a, b => ((a as u64) < (b as u64)) as u64),
                Instr::I64GtS => bin!(i64, a, b => (a > b) as u64),
                Instr::I64GtU => bin!(i64, a, b => ((a as u64) > (b as u64)) as u64),
                Instr::I64LeS => bin!(i64, a, b => (a <= b) as u64),
                Instr::I64LeU => bin!(i64, a, b => ((a as u64) <= (b as u64)) as u64),
                Instr::I64GeS => bin!(i64, a, b => (a >= b) as u64),
                Instr::I64GeU => bin!(i64, a, b => ((a as u64) >= (b as u64)) as u64),
                Instr::F32Eq => bin!(f32, a, b => (a == b) as u64),
                Instr::F32Ne => bin!(f32, a, b => (a != b) as u64),
                Instr::F32Lt => bin!(f32, a, b => (a < b) as u64),
                Instr::F32Gt => bin!(f32, a, b => (a > b) as u64),
                Instr::F32Le => bin!(f32, a, b => (a <= b) as u64),
                Instr::F32Ge => bin!(f32, a, b => (a >= b) as u64),
                Instr::F64Eq => bin!(f64, a, b => (a == b) as u64),
                Instr::F64Ne => bin!(f64, a, b => (a != b) as u64),
                Instr::F64Lt => bin!(f64, a, b => (a < b) as u64),
                Instr::F64Gt => bin!(f64, a, b => (a > b) as u64),
                Instr::F64Le => bin!(f64, a, b => (a <= b) as u64),
                Instr::F64Ge => bin!(f64, a, b => (a >= b) as u64),

                Instr::I32Clz => un!(i32, a => a.leading_zeros() as u64),
                Instr::I32Ctz => un!(i32, a => a.trailing_zeros() as u64),
                Instr::I32Popcnt => un!(i32, a => a.count_ones() as u64),
                Instr::I32Add => bin!(i32, a, b => i32!(a.wrapping_add(b))),
                Instr::I32Sub => bin!(i32, a, b => i32!(a.wrapping_sub(b))),
                Instr::I32Mul => bin!(i32, a, b => i32!(a.wrapping_mul(b))),
                Instr::I32DivS => bin!(i32, a, b => i32!(tri!(div_s32(a, b)))),
                Instr::I32DivU => {
                    bin!(i32, a, b => i32!(tri!((a as u32).checked_div(b as u32).ok_or(TrapKind::IntegerDivideByZero))))
                }
                Instr::I32RemS => bin!(i32, a, b => i32!(tri!(rem_s32(a, b)))),
                Instr::I32RemU => {
                    bin!(i32, a, b => i32!(tri!((a as u32).checked_rem(b as u32).ok_or(TrapKind::IntegerDivideByZero))))
                }
                Instr::I32And => bin!(i32, a, b => i32!(a & b)),
                Instr::I32Or => bin!(i32, a, b => i32!(a | b)),
                Instr::I32Xor => bin!(i32, a, b => i32!(a ^ b)),
                Instr::I32Shl => bin!(i32, a, b => i32!(a.wrapping_shl(b as u32))),
                Instr::I32ShrS => bin!(i32, a, b => i32!(a.wrapping_shr(b as u32))),
                Instr::I32ShrU => bin!(i32, a, b => i32!((a as u32).wrapping_shr(b as u32))),
                Instr::I32Rotl => bin!(i32, a, b => i32!(a.rotate_left(b as u32 % 32))),
                Instr::I32Rotr => bin!(i32, a, b => i32!(a.rotate_right(b as u32 % 32))),
                Instr::I64Clz => un!(i64, a => a.leading_zeros() as u64),
                Instr::I64Ctz => un!(i64, a => a.trailing_zeros() as u64),
                Instr::I64Popcnt => un!(i64, a => a.count_ones() as u64),
                Instr::I64Add => bin!(i64, a, b => i64!(a.wrapping_add(b))),
                Instr::I64Sub => bin!(i64, a, b => i64!(a.wrapping_sub(b))),
                Instr::I64Mul => bin!(i64, a, b => i64!(a.wrapping_mul(b))),
                Instr::I64DivS => bin!(i64, a, b => i64!(tri!(div_s64(a, b)))),
                Instr::I64DivU => {
                    bin!(i64, a, b => tri!((a as u64).checked_div(b as u64).ok_or(TrapKind::IntegerDivideByZero)))
                }
                Instr::I64RemS => bin!(i64, a, b => i64!(tri!(rem_s64(a, b)))),
                Instr::I64RemU => {
                    bin!(i64, a, b => tri!((a as u64).checked_rem(b as u64).ok_or(TrapKind::IntegerDivideByZero)))
                }
                Instr::I64And => bin!(i64, a, b => i64!(a & b)),
                Instr::I64Or => bin!(i64, a, b => i64!(a | b)),
                Instr::I64Xor => bin!(i64, a, b => i64!(a ^ b)),
                Instr::I64Shl => bin!(i64, a, b => i64!(a.wrapping_shl(b as u32))),
                Instr::I64ShrS => bin!(i64, a, b => i64!(a.wrapping_shr(b as u32))),
                Instr::I64ShrU => bin!(i64, a, b => (a as u64).wrapping_shr(b as u32)),
                Instr::I64Rotl => bin!(i64, a, b => i64!(a.rotate_left((b as u64 % 64) as u32))),
                Instr::I64Rotr => bin!(i64, a, b => i64!(a.rotate_right((b as u64 % 64) as u32))),

                // Sign operations act on the bits, keeping NaN payloads.
                Instr::F32Abs => un!(i64, a => (a as u64) & 0x7fff_ffff),
                Instr::F32Neg => un!(i64, a => (a as u64) ^ 0x8000_0000),
                Instr::F32Copysign => {
                    bin!(i64, a, b => ((a as u64) & 0x7fff_ffff) | ((b as u64) & 0x8000_0000))
                }
                Instr::F32Ceil => un!(f32, a => nans32(ceil32(a))),
                Instr::F32Floor => un!(f32, a => nans32(floor32(a))),
                Instr::F32Trunc => un!(f32, a => nans32(trunc32(a))),
                Instr::F32Nearest => un!(f32, a => nans32(nearest32(a))),
                Instr::F32Sqrt => un!(f32, a => nans32(sqrt32(a))),
                Instr::F32Add => bin!(f32, a, b => nans32(a + b)),
                Instr::F32Sub => bin!(f32, a, b => nans32(a - b)),
                Instr::F32Mul => bin!(f32, a, b => nans32(a * b)),
                Instr::F32Div => bin!(f32, a, b => nans32(a / b)),
                Instr::F32Min => bin!(f32, a, b => nans32(fmin32(a, b))),
                Instr::F32Max => bin!(f32, a, b => nans32(fmax32(a, b))),
                Instr::F64Abs => un!(i64, a => (a as u64) & !(1 << 63)),
                Instr::F64Neg => un!(i64, a => (a as u64) ^ (1 << 63)),
                Instr::F64Copysign => {
                    bin!(i64, a, b => ((a as u64) & !(1 << 63)) | ((b as u64) & (1 << 63)))
                }
                Instr::F64Ceil => un!(f64, a => nans64(ceil64(a))),
                Instr::F64Floor => un!(f64, a => nans64(floor64(a))),
                Instr::F64Trunc => un!(f64, a => nans64(trunc64(a))),
                Instr::F64Nearest => un!(f64, a => nans64(nearest64(a))),
                Instr::F64Sqrt => un!(f64, a => nans64(sqrt64(a))),
                Instr::F64Add => bin!(f64, a, b => nans64(a + b)),
                Instr::F64Sub => bin!(f64, a, b => nans64(a - b)),
                Instr::F64Mul => bin!(f64, a, b => nans64(a * b)),
                Instr::F64Div => bin!(f64, a, b => nans64(a / b)),
                Instr::F64Min => bin!(f64, a, b => nans64(fmin64(a, b))),
                Instr::F64Max => bin!(f64, a, b => nans64(fmax64(a, b))),

                Instr::I32WrapI64 => un!(i64, a => i32!(a)),
                Instr::I32TruncF32S => un!(f32, a => i32!(tri!(trunc_s32(a as f64)))),
                Instr::I32TruncF32U => un!(f32, a => i32!(tri!(trunc_u32(a as f64)))),
                Instr::I32TruncF64S => un!(f64, a => i32!(tri!(trunc_s32(a)))),
                Instr::I32TruncF64U => un!(f64, a => i32!(tri!(trunc_u32(a)))),
                Instr::I64ExtendI32S => un!(i32, a => i64!(a as i64)),
                Instr::I64ExtendI32U => un!(i32, a => i64!(a as u32)),
                Instr::I64TruncF32S => un!(f32, a => i64!(tri!(trunc_s64(a as f64)))),
                Instr::I64TruncF32U => un!(f32, a => tri!(trunc_u64(a as f64))),
                Instr::I64TruncF64S => un!(f64, a => i64!(tri!(trunc_s64(a)))),
                Instr::I64TruncF64U => un!(f64, a => tri!(trunc_u64(a))),
                Instr::F32ConvertI32S => un!(i32, a => (a as f32).to_bits() as u64),
                Instr::F32ConvertI32U => un!(i32, a => (a as u32 as f32).to_bits() as u64),
                Instr::F32ConvertI64S => un!(i64, a => (a as f32).to_bits() as u64),
                Instr::F32ConvertI64U => un!(i64, a => (a as u64 as f32).to_bits() as u64),
                Instr::F32DemoteF64 => un!(f64, a => nans32(a as f32)),
                Instr::F64ConvertI32S => un!(i32, a => (a as f64).to_bits()),
                Instr::F64ConvertI32U => un!(i32, a => (a as u32 as f64).to_bits()),
                Instr::F64ConvertI64S => un!(i64, a => (a as f64).to_bits()),
                Instr::F64ConvertI64U => un!(i64, a => (a as u64 as f64).to_bits()),
                Instr::F64PromoteF32 => un!(f32, a => nans64(a as f64)),
                Instr::I32Extend8S => un!(i32, a => i32!(a as i8 as i32)),
                Instr::I32Extend16S => un!(i32, a => i32!(a as i16 as i32)),
                Instr::I64Extend8S => un!(i64, a => i64!(a as i8 as i64)),
                Instr::I64Extend16S => un!(i64, a => i64!(a as i16 as i64)),
                Instr::I64Extend32S => un!(i64, a => i64!(a as i32 as i64)),

                // §4.3.2 trunc_sat: Rust's float-to-int `as` saturates and
                // maps NaN to 0, exactly as the spec's operator does.
                Instr::I32TruncSatF32S => un!(f32, a => i32!(a as i32)),
                Instr::I32TruncSatF32U => un!(f32, a => i32!(a as u32)),
                Instr::I32TruncSatF64S => un!(f64, a => i32!(a as i32)),
                Instr::I32TruncSatF64U => un!(f64, a => i32!(a as u32)),
                Instr::I64TruncSatF32S => un!(f32, a => i64!(a as i64)),
                Instr::I64TruncSatF32U => un!(f32, a => a as u64),
                Instr::I64TruncSatF64S => un!(f64, a => i64!(a as i64)),
                Instr::I64TruncSatF64U => un!(f64, a => a as u64),
            }
        };
        // `pc` is saved for the backtrace or the resume.
        if let Some(fr) = frames.last_mut() {
            fr.pc = pc as u32;
        }
        *thread_sp = base + sp;
        if metered {
            *store_fuel = fuel;
        }
        outcome
    }
}

/// A trap's kind, through a call that tells the compiler the path that
/// leaves the loop with it is rare: the loop's registers then go to the
/// paths that run on.
#[cold]
#[inline(never)]
fn unlikely(kind: TrapKind) -> TrapKind {
    kind
}

/// The loop of a `LoadAddLoop*` (see `fused::load_add_loop`), by the index
/// of the next instruction as in `vector`: out of `run_loop`, whose other
/// paths then keep their registers, since it runs many iterations a call.
/// Each iteration loads (a trap is the instruction's, whose offset is the
/// load's), adds, steps the address by `i32.add` and tests it, in the
/// spec's order. The address and the sum stay at hand until the loop ends
/// (nothing else reads them), and each iteration after the first spends
/// fuel as the dispatch of its first did: the fuel left comes back with
/// the outcome.
#[inline(never)]
fn load_add_loop<const METERED: bool>(
    instrs: &[Instr],
    next: usize,
    stack: &mut [u64],
    mem: &[u8],
    fuel: u64,
) -> (u64, Result<(), TrapKind>) {
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn run<const METERED: bool>(
        kind: Load,
        c: i8,
        ps: Pair,
        b: u32,
        offset: u32,
        holds: impl Fn(u64, u64) -> bool,
        stack: &mut [u64],
        mem: &[u8],
        mut fuel: u64,
    ) -> (u64, Result<(), TrapKind>) {
        let (p, s) = (ps.lo() as usize, ps.hi() as usize);
        let y = stack[b as usize];
        let (mut x, mut acc) = (stack[p], stack[s]);
        let end = loop {
            // `p` steps by `i32.add`: its slot is a zero-extended `u32`,
            // which saying spares the address's overflow check.
            match kind.add_to(acc, mem, x as u32 as u64, offset as u64) {
                Some(v) => acc = v,
                None => break Err(TrapKind::OutOfBoundsMemoryAccess),
            }
            x = (x as u32).wrapping_add(c as i32 as u32) as u64;
            if !holds(x, y) {
                break Ok(());
            }
            if METERED {
                if fuel == 0 {
                    break Err(TrapKind::OutOfFuel);
                }
                fuel -= 1;
            }
        };
        stack[s] = acc;
        stack[p] = x;
        (fuel, end)
    }
    let ne = |x, y| x != y;
    let lt = |x, y| x < y;
    match instrs[next - 1] {
        Instr::LoadAddLoopI32UnlessEq(c, ps, b, o) => {
            run::<METERED>(Load::I32, c, ps, b, o, ne, stack, mem, fuel)
        }
        Instr::LoadAddLoopI32IfLtU(c, ps, b, o) => {
            run::<METERED>(Load::I32, c, ps, b, o, lt, stack, mem, fuel)
        }
        Instr::LoadAddLoopI64U32UnlessEq(c, ps, b, o) => {
            run::<METERED>(Load::I64_32U, c, ps, b, o, ne, stack, mem, fuel)
        }
        Instr::LoadAddLoopI64U32IfLtU(c, ps, b, o) => {
            run::<METERED>(Load::I64_32U, c, ps, b, o, lt, stack, mem, fuel)
        }
        Instr::LoadAddLoopUnlessEq(kind, c, ps, b, o) => {
            run::<METERED>(kind, c, ps, b, o, ne, stack, mem, fuel)
        }
        Instr::LoadAddLoopIfLtU(kind, c, ps, b, o) => {
            run::<METERED>(kind, c, ps, b, o, lt, stack, mem, fuel)
        }
        _ => (
            fuel,
            Err(TrapKind::Host(String::from(
                "internal error: not an accumulating loop",
            ))),
        ),
    }
}

/// The operand stack up to `sp`, for the instructions run outside the loop.
struct Operands<'a> {
    stack: &'a mut [u64],
    sp: usize,
}

impl Operands<'_> {
    fn pop(&mut self) -> u64 {
        self.sp -= 1;
        self.stack[self.sp]
    }

    fn push(&mut self, v: u64) {
        self.stack[self.sp] = v;
        self.sp += 1;
    }

    /// A `v128`'s two slots, low half first.
    fn pop128(&mut self) -> u128 {
        let hi = self.pop() as u128;
        let lo = self.pop() as u128;
        lo | hi << 64
    }

    fn push128(&mut self, v: u128) {
        self.push(v as u64);
        self.push((v >> 64) as u64);
    }
}

/// §4.4.3 Vector instructions (semantics in [`simd`]).
#[inline(never)]
fn vector(
    instrs: &[Instr],
    next: usize,
    ops: &mut Operands<'_>,
    code: &Code,
    mems: &mut [MemInst],
    inst: &ModuleInst,
    choices: &mut Choices,
) -> Result<(), TrapKind> {
    // By index: neither a copy of the instruction nor its address is
    // made in the loop, nor the index of the instruction itself (`pc` is
    // the next one's).
    match instrs[next - 1] {
        Instr::V128Const(i) => ops.push128(code.v128_consts[i as usize]),
        Instr::V128Unary(op) => {
            let a = ops.pop128();
            ops.push128(simd::unary(op, a))
        }
        Instr::V128Binary(op) => {
            let b = ops.pop128();
            let a = ops.pop128();
            ops.push128(simd::binary(op, a, b))
        }
        Instr::V128Ternary(op) => {
            let c = ops.pop128();
            let b = ops.pop128();
            let a = ops.pop128();
            ops.push128(simd::ternary(op, a, b, c))
        }
        Instr::V128Shift(op) => {
            let count = ops.pop() as u32;
            let a = ops.pop128();
            ops.push128(simd::shift(op, a, count))
        }
        Instr::V128Splat(op) => {
            let x = ops.pop();
            ops.push128(simd::splat(op, x))
        }
        Instr::V128Extract(op, lane) => {
            let a = ops.pop128();
            ops.push(simd::extract(op, a, lane))
        }
        Instr::V128Replace(op, lane) => {
            let x = ops.pop();
            let a = ops.pop128();
            ops.push128(simd::replace(op, a, lane, x))
        }
        Instr::V128Test(op) => {
            let a = ops.pop128();
            ops.push(simd::test(op, a) as u64)
        }
        Instr::V128Shuffle(i) => {
            let b = ops.pop128();
            let a = ops.pop128();
            ops.push128(simd::shuffle(a, b, &code.shuffles[i as usize]))
        }
        Instr::V128Load(kind, m) => {
            let addr = ops.pop();
            let data = &mems[inst.mems[m.mem as usize].0 as usize].data;
            let v = simd::load(kind, data, addr, m.offset as u64)?;
            ops.push128(v)
        }
        Instr::V128Relaxed(op) => {
            let mut v = [0u128; 3];
            for x in v[..op.arity()].iter_mut().rev() {
                *x = ops.pop128();
            }
            ops.push128(simd::relaxed(op, choices, v[0], v[1], v[2]))
        }
        Instr::V128Store(m) => {
            let v = ops.pop128();
            let addr = ops.pop();
            let mem = &mut mems[inst.mems[m.mem as usize].0 as usize];
            memory::store(&mut mem.data, addr, m.offset as u64, v.to_le_bytes())
                .ok_or(TrapKind::OutOfBoundsMemoryAccess)?
        }
        Instr::V128LoadLane(width, lane, m) => {
            let a = ops.pop128();
            let addr = ops.pop();
            let w = width as usize;
            let data = &mems[inst.mems[m.mem as usize].0 as usize].data;
            let at = addr
                .checked_add(m.offset as u64)
                .and_then(|ea| range(ea, w as u64, data.len()));
            let Some(at) = at else {
                Err(TrapKind::OutOfBoundsMemoryAccess)?
            };
            let mut bytes = a.to_le_bytes();
            let l = lane as usize * w;
            bytes[l..l + w].copy_from_slice(&data[at]);
            ops.push128(u128::from_le_bytes(bytes))
        }
        Instr::V128StoreLane(width, lane, m) => {
            let a = ops.pop128();
            let addr = ops.pop();
            let w = width as usize;
            let l = lane as usize * w;
            let bytes = a.to_le_bytes();
            let mem = &mut mems[inst.mems[m.mem as usize].0 as usize];
            let at = addr
                .checked_add(m.offset as u64)
                .and_then(|ea| range(ea, w as u64, mem.data.len()));
            let Some(at) = at else {
                Err(TrapKind::OutOfBoundsMemoryAccess)?
            };
            mem.data[at].copy_from_slice(&bytes[l..l + w]);
        }

        _ => {
            return Err(TrapKind::Host(String::from(
                "internal error: not a vector instruction",
            )));
        }
    }
    Ok(())
}

/// §4.4.7 Table instructions and the memory instructions other than loads
/// and stores: rare in hot code, so out of the loop.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn bulk(
    instrs: &[Instr],
    next: usize,
    ops: &mut Operands<'_>,
    inst: &ModuleInst,
    tables: &mut [TableInst],
    mems: &mut [MemInst],
    elems: &mut [Vec<u64>],
    datas: &mut [DataInst],
    config: &Config,
) -> Result<(), TrapKind> {
    // As in `vector`, by the index of the next instruction.
    match instrs[next - 1] {
        Instr::TableGet(t) => {
            let i = ops.stack[ops.sp - 1];
            ops.stack[ops.sp - 1] = tables[inst.tables[t as usize].0 as usize].get(i)?;
        }
        Instr::TableSet(t) => {
            let r = ops.pop();
            let i = ops.pop();
            tables[inst.tables[t as usize].0 as usize].set(i, r)?;
        }
        Instr::TableSize(t) => {
            ops.push(tables[inst.tables[t as usize].0 as usize].elems.len() as u64)
        }
        Instr::TableGrow(t) => {
            let n = ops.pop();
            let init = ops.stack[ops.sp - 1];
            let table = &mut tables[inst.tables[t as usize].0 as usize];
            // Failure is -1 of the table's index type (i64 for a
            // 64-bit table).
            let failed = if table.ty.table64 {
                u64::MAX
            } else {
                u32::MAX as u64
            };
            ops.stack[ops.sp - 1] = table
                .grow(n, init, config.max_table_elements)
                .unwrap_or(failed);
        }
        Instr::TableFill(t) => {
            let n = ops.pop();
            let r = ops.pop();
            let i = ops.pop();
            tables[inst.tables[t as usize].0 as usize].fill(i, r, n)?;
        }
        Instr::TableCopy(dst, src) => {
            let n = ops.pop();
            let s = ops.pop();
            let d = ops.pop();
            let (dst, src) = (
                inst.tables[dst as usize].0 as usize,
                inst.tables[src as usize].0 as usize,
            );
            match two_mut(tables, dst, src) {
                Some((dst, src)) => dst.init(d, &src.elems, s, n)?,
                None => tables[dst].copy_within(d, s, n)?,
            }
        }
        Instr::TableInit(t, e) => {
            let n = ops.pop();
            let s = ops.pop();
            let d = ops.pop();
            let elem = &elems[inst.elems[e as usize] as usize];
            tables[inst.tables[t as usize].0 as usize].init(d, elem, s, n)?;
        }
        Instr::ElemDrop(e) => elems[inst.elems[e as usize] as usize] = Vec::new(),

        Instr::MemorySize(m) => ops.push(mems[inst.mems[m as usize].0 as usize].pages()),
        Instr::MemoryGrow(m) => {
            let n = ops.stack[ops.sp - 1];
            let mem = &mut mems[inst.mems[m as usize].0 as usize];
            let failed = if mem.ty.memory64 {
                u64::MAX
            } else {
                u32::MAX as u64
            };
            ops.stack[ops.sp - 1] = mem.grow(n, config.max_memory_pages).unwrap_or(failed);
        }
        Instr::MemoryFill(m) => {
            let n = ops.pop();
            let val = ops.pop() as u8;
            let d = ops.pop();
            mems[inst.mems[m as usize].0 as usize].fill(d, val, n)?;
        }
        Instr::MemoryCopy(dst, src) => {
            let n = ops.pop();
            let s = ops.pop();
            let d = ops.pop();
            let (dst, src) = (
                inst.mems[dst as usize].0 as usize,
                inst.mems[src as usize].0 as usize,
            );
            match two_mut(mems, dst, src) {
                Some((dst, src)) => dst.init(d, &src.data, s, n)?,
                None => mems[dst].copy_within(d, s, n)?,
            }
        }
        Instr::MemoryInit(m, x) => {
            let n = ops.pop();
            let s = ops.pop();
            let d = ops.pop();
            let data = datas[inst.datas[x as usize] as usize].bytes();
            mems[inst.mems[m as usize].0 as usize].init(d, data, s, n)?;
        }
        Instr::DataDrop(x) => datas[inst.datas[x as usize] as usize].dropped = true,
        _ => {
            return Err(TrapKind::Host(String::from(
                "internal error: not a table or bulk memory instruction",
            )));
        }
    }
    Ok(())
}
