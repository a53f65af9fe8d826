//! Translation of a function body (core spec §2.4 "Instructions") into
//! [`Instr`]s, validating it with wasmparser's operator validator as it goes.
//!
//! Structured control becomes jumps: every branch learns its target's
//! instruction index and how to reshape the operand stack (see
//! [`BrTarget`]). Heights are in slots (a `v128` takes two): the validator
//! knows the operands' types, and the translator mirrors, for each operand,
//! the slot height above it, updating the mirror after each operator from
//! the operator's arity and the validator's types of what it pushed. Code after `unreachable`, `br`, `br_table` or `return` is dead
//! (the validator types it polymorphically); it is validated but not
//! translated.

use super::exception::{CatchClause, CatchKind, Handler};
use super::fused::{IntBin, Load, Store, specialise};
use super::instr::{BrTarget, Instr, MemArg};
use super::module::{Code, Module, ModuleError, op_name, val_type};
use super::simd;
use super::types::{FuncType, ValType};
use super::value::slot_count;
use alloc::vec::Vec;
use wasmparser::{BlockType, FuncValidator, FunctionBody, Operator, ValidatorResources};

mod folding;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Func,
    Block,
    Loop,
    If,
    Else,
    TryTable,
}

/// A place that must learn the index of a label's end.
#[derive(Clone, Copy, Debug)]
enum Fixup {
    Instr(usize),
    Table(usize),
    Catch(usize),
}

/// One entry of the control stack (§3.3.9 "Control Instructions": the
/// validation context's labels).
#[derive(Debug)]
struct Ctrl {
    kind: Kind,
    /// Whether the construct was entered in live code.
    live: bool,
    /// Operand height below the construct's parameters.
    height: u32,
    params: u32,
    results: u32,
    /// Index of a loop's first instruction.
    start: u32,
    /// Branches to the end of this construct.
    fixups: Vec<Fixup>,
    /// The `if`'s jump to its `else` branch (or end).
    else_fixup: Option<usize>,
    /// A `try_table`'s clauses in `Code::catches`: first and count.
    catches: (u32, u32),
}

/// Buffers that translating one function after another reuses, so that a
/// function's translation allocates little more than its [`Code`].
#[derive(Default)]
pub(crate) struct Scratch {
    instrs: Vec<Instr>,
    offsets: Vec<u32>,
    ctrl: Vec<Ctrl>,
    locals: Vec<(u32, bool)>,
    stack: Vec<u32>,
    fixups: Vec<Vec<Fixup>>,
}

struct Translator<'m> {
    module: &'m Module,
    code: Code,
    ctrl: Vec<Ctrl>,
    /// Whether the next operator is reachable.
    live: bool,
    /// Slots of locals (parameters included).
    nlocals: u32,
    /// The slot of each local and whether it is a `v128`.
    locals: Vec<(u32, bool)>,
    /// Whether each global (imports first) is a `v128`.
    wide_globals: &'m [bool],
    /// For each operand, the slot height up to and including it.
    stack: Vec<u32>,
    /// Emptied fixup lists of ended constructs, for new ones to reuse.
    spare: Vec<Vec<Fixup>>,
    /// The last instruction index that is a jump target: instructions
    /// before it are not fused with ones after it.
    barrier: usize,
    offset: u32,
}

/// A load's or store's memory and offset. A memory never exceeds 4 GiB
/// (see `Config`), so a 64-bit memory's offset of 4 GiB or more makes every
/// access out of bounds: `None` stands for that, and such an instruction
/// translates to [`Instr::MemoryOutOfBounds`].
pub(crate) fn mem_arg(m: &wasmparser::MemArg) -> Option<MemArg> {
    Some(MemArg {
        mem: m.memory,
        offset: u32::try_from(m.offset).ok()?,
    })
}

/// Validates and translates one function body of `module`.
pub(crate) fn translate(
    fv: &mut FuncValidator<ValidatorResources>,
    body: &FunctionBody<'_>,
    module: &Module,
    wide_globals: &[bool],
    ty: &FuncType,
    scratch: &mut Scratch,
) -> Result<Code, ModuleError> {
    use core::mem::take;
    let mut slot = 0u32;
    let mut locals = take(&mut scratch.locals);
    locals.clear();
    for t in &ty.params {
        locals.push((slot, *t == ValType::V128));
        slot += t.slots() as u32;
    }
    let params = slot;
    let mut reader = body.get_locals_reader().map_err(ModuleError::malformed)?;
    for _ in 0..reader.get_count() {
        let offset = reader.original_position();
        let (count, lty) = reader.read().map_err(ModuleError::malformed)?;
        fv.define_locals(offset, count, lty)
            .map_err(ModuleError::invalid)?;
        let lty = val_type(lty, offset)?;
        // The validator bounds the number of locals, so this stays small.
        for _ in 0..count {
            locals.push((slot, lty == ValType::V128));
            slot += lty.slots() as u32;
        }
    }
    let results = slot_count(&ty.results) as u32;
    let mut t = Translator {
        module,
        code: Code {
            instrs: take(&mut scratch.instrs),
            offsets: take(&mut scratch.offsets),
            params,
            locals: slot - params,
            results,
            ..Code::default()
        },
        ctrl: take(&mut scratch.ctrl),
        live: true,
        nlocals: slot,
        locals,
        wide_globals,
        stack: take(&mut scratch.stack),
        spare: take(&mut scratch.fixups),
        barrier: 0,
        offset: 0,
    };
    // The buffers still hold the previous function's translation.
    t.code.instrs.clear();
    t.code.offsets.clear();
    t.ctrl.clear();
    t.stack.clear();
    t.ctrl.push(Ctrl {
        kind: Kind::Func,
        live: true,
        height: 0,
        params: 0,
        results,
        start: 0,
        fixups: Vec::new(),
        else_fixup: None,
        catches: (0, 0),
    });
    let mut ops = body
        .get_operators_reader()
        .map_err(ModuleError::malformed)?;
    let mut max = 0u32;
    while !ops.eof() {
        let offset = ops.original_position();
        let op = ops.read().map_err(ModuleError::malformed)?;
        let height = fv.operand_stack_height();
        let pops = pops(&op, fv).min(height);
        fv.op(offset, &op).map_err(ModuleError::invalid)?;
        t.offset = offset as u32;
        t.op(&op, height)?;
        // Mirror what the operator did to the operand stack.
        let after = fv.operand_stack_height();
        t.stack.truncate((height - pops).min(after) as usize);
        for i in t.stack.len() as u32..after {
            let size = match fv.get_operand_type((after - 1 - i) as usize) {
                Some(Some(wasmparser::ValType::V128)) => 2,
                _ => 1,
            };
            let below = t.stack.last().copied().unwrap_or(0);
            t.stack.push(below + size);
        }
        max = max.max(t.slots(after));
    }
    ops.finish().map_err(ModuleError::invalid)?;
    t.code.max_height = t.nlocals.saturating_add(max).saturating_add(1);
    for i in &mut t.code.instrs {
        *i = specialise(*i);
    }
    // The code keeps copies of exactly its length; the buffers go back.
    let mut code = take(&mut t.code);
    let instrs = code.instrs.to_vec();
    scratch.instrs = core::mem::replace(&mut code.instrs, instrs);
    let offsets = code.offsets.to_vec();
    scratch.offsets = core::mem::replace(&mut code.offsets, offsets);
    scratch.ctrl = t.ctrl;
    scratch.locals = t.locals;
    scratch.stack = t.stack;
    scratch.fixups = t.spare;
    Ok(code)
}

/// How many operands `op` pops. The most frequent operators are answered
/// here: wasmparser's `operator_arity` clones the operator. When the arity
/// is unknown, every operand counts, so that the mirror is rebuilt.
fn pops(op: &Operator<'_>, fv: &FuncValidator<ValidatorResources>) -> u32 {
    use Operator as O;
    match op {
        O::LocalGet { .. }
        | O::GlobalGet { .. }
        | O::I32Const { .. }
        | O::I64Const { .. }
        | O::F32Const { .. }
        | O::F64Const { .. }
        | O::Block {
            blockty: BlockType::Empty,
        }
        | O::Loop {
            blockty: BlockType::Empty,
        } => 0,
        O::LocalSet { .. }
        | O::LocalTee { .. }
        | O::GlobalSet { .. }
        | O::Drop
        | O::I32Eqz
        | O::I64Eqz
        | O::If {
            blockty: BlockType::Empty,
        }
        | O::I32Load { .. }
        | O::I64Load { .. }
        | O::F32Load { .. }
        | O::F64Load { .. }
        | O::I32Load8S { .. }
        | O::I32Load8U { .. }
        | O::I32Load16S { .. }
        | O::I32Load16U { .. }
        | O::I64Load8S { .. }
        | O::I64Load8U { .. }
        | O::I64Load16S { .. }
        | O::I64Load16U { .. }
        | O::I64Load32S { .. }
        | O::I64Load32U { .. } => 1,
        O::I32Store { .. }
        | O::I64Store { .. }
        | O::F32Store { .. }
        | O::F64Store { .. }
        | O::I32Store8 { .. }
        | O::I32Store16 { .. }
        | O::I64Store8 { .. }
        | O::I64Store16 { .. }
        | O::I64Store32 { .. }
        | O::I32Add
        | O::I32Sub
        | O::I32Mul
        | O::I32And
        | O::I32Or
        | O::I32Xor
        | O::I32Shl
        | O::I32ShrS
        | O::I32ShrU
        | O::I32Eq
        | O::I32Ne
        | O::I32LtS
        | O::I32LtU
        | O::I32GtS
        | O::I32GtU
        | O::I32LeS
        | O::I32LeU
        | O::I32GeS
        | O::I32GeU => 2,
        _ => op.operator_arity(fv).map_or(u32::MAX, |(p, _)| p),
    }
}

impl Translator<'_> {
    fn emit(&mut self, i: Instr) -> usize {
        self.code.instrs.push(i);
        self.code.offsets.push(self.offset);
        self.code.instrs.len() - 1
    }

    fn pc(&self) -> u32 {
        self.code.instrs.len() as u32
    }

    /// The slot height of the bottom `h` operands.
    fn slots(&self, h: u32) -> u32 {
        match h.checked_sub(1) {
            None => 0,
            Some(i) => match self.stack.get(i as usize) {
                Some(s) => *s,
                // Operands the mirror lacks are only in dead code.
                None => self.stack.last().copied().unwrap_or(0) + (h - self.stack.len() as u32),
            },
        }
    }

    /// Whether operand `depth` (0 for the top) of the bottom `h` is a
    /// `v128`.
    fn is_v128(&self, h: u32, depth: u32) -> bool {
        let at = h.saturating_sub(depth);
        self.slots(at) - self.slots(at.saturating_sub(1)) == 2
    }

    /// Parameter and result slots of a block type.
    fn arity(&self, bt: BlockType) -> (u32, u32) {
        match bt {
            BlockType::Empty => (0, 0),
            BlockType::Type(t) => (0, if t == wasmparser::ValType::V128 { 2 } else { 1 }),
            BlockType::FuncType(i) => self.module.types.get(i as usize).map_or((0, 0), |f| {
                (slot_count(&f.params) as u32, slot_count(&f.results) as u32)
            }),
        }
    }

    fn push_ctrl(&mut self, kind: Kind, bt: BlockType, height: u32) {
        self.barrier = self.code.instrs.len();
        let (params, results) = self.arity(bt);
        self.ctrl.push(Ctrl {
            kind,
            live: self.live,
            height: height.saturating_sub(params),
            params,
            results,
            start: self.pc(),
            fixups: self.spare.pop().unwrap_or_default(),
            else_fixup: None,
            catches: (0, 0),
        });
    }

    /// Keeps an ended construct's fixup list for a new one.
    fn recycle(&mut self, mut fixups: Vec<Fixup>) {
        fixups.clear();
        self.spare.push(fixups);
    }

    /// Sets the target of a forward jump to the current position.
    fn patch(&mut self, f: Fixup) {
        let pc = self.pc();
        self.barrier = pc as usize;
        match f {
            Fixup::Table(i) => self.code.br_table[i].pc = pc,
            Fixup::Catch(i) => self.code.catches[i].pc = pc,
            Fixup::Instr(i) => match &mut self.code.instrs[i] {
                Instr::Jump(t) | Instr::JumpIfNez(t) | Instr::JumpIfEqz(t) => *t = pc,
                Instr::JumpIfLL(_, _, _, t)
                | Instr::StepJumpIfEq(_, _, _, t)
                | Instr::StepJumpUnlessEq(_, _, _, t)
                | Instr::StepJumpIfLtU(_, _, _, t)
                | Instr::StepJumpUnlessLtU(_, _, _, t)
                | Instr::StepJumpIfLtS32(_, _, _, t)
                | Instr::StepJumpUnlessLtS32(_, _, _, t)
                | Instr::JumpIfLC(_, _, _, t)
                | Instr::JumpUnlessLL(_, _, _, t)
                | Instr::JumpUnlessLC(_, _, _, t) => *t = pc,
                Instr::Br(b) | Instr::BrIf(b) | Instr::BrOnNull(b) | Instr::BrOnNonNull(b) => {
                    b.pc = pc
                }
                _ => {}
            },
        }
    }

    /// The target of a branch to label `depth` from operand height
    /// `height`, the label to patch it from (when it is forward), and
    /// whether the label is the function's own: a branch to it jumps to
    /// the function's closing `Return`, but a `br` is a `Return` itself.
    fn target(&self, depth: u32, height: u32) -> (BrTarget, Option<usize>, bool) {
        let idx = self.ctrl.len() - 1 - depth as usize;
        let c = &self.ctrl[idx];
        let keep = if c.kind == Kind::Loop {
            c.params
        } else {
            c.results
        };
        let drop = height.saturating_sub(keep).saturating_sub(c.height);
        let is_loop = c.kind == Kind::Loop;
        let bt = BrTarget {
            pc: if is_loop { c.start } else { 0 },
            drop,
            keep,
        };
        (bt, (!is_loop).then_some(idx), c.kind == Kind::Func)
    }

    /// Resolves a `try_table` catch clause. Its label is counted from the
    /// context around the `try_table`, whose own label is not yet pushed.
    fn catch_clause(&mut self, c: &wasmparser::Catch) {
        use wasmparser::Catch as C;
        let (kind, depth) = match *c {
            C::One { tag, label } => (CatchKind::Tag(tag), label),
            C::OneRef { tag, label } => (CatchKind::TagRef(tag), label),
            C::All { label } => (CatchKind::All, label),
            C::AllRef { label } => (CatchKind::AllRef, label),
        };
        let idx = self.ctrl.len() - 1 - depth as usize;
        let target = &self.ctrl[idx];
        let height = self.nlocals + target.height;
        let (pc, fix) = match target.kind {
            Kind::Loop => (target.start, false),
            Kind::Func => (u32::MAX, false),
            _ => (0, true),
        };
        let at = self.code.catches.len();
        self.code.catches.push(CatchClause { kind, pc, height });
        if fix {
            self.ctrl[idx].fixups.push(Fixup::Catch(at));
        }
    }

    fn br(&mut self, depth: u32, height: u32) {
        let (bt, fix, ret) = self.target(depth, height);
        if ret {
            self.emit(Instr::Return);
            return;
        }
        if fix.is_none() && bt.drop == 0 && self.rotate_loop(bt.pc) {
            return;
        }
        let at = self.emit(if bt.drop == 0 {
            Instr::Jump(bt.pc)
        } else {
            Instr::Br(bt)
        });
        if let Some(idx) = fix {
            self.ctrl[idx].fixups.push(Fixup::Instr(at));
        }
    }

    /// The slot of a local and whether it is a `v128`.
    fn local(&self, index: u32) -> (u32, bool) {
        self.locals
            .get(index as usize)
            .copied()
            .unwrap_or((index, false))
    }

    fn wide_global(&self, index: u32) -> bool {
        self.wide_globals
            .get(index as usize)
            .copied()
            .unwrap_or(false)
    }

    /// Emits a conditional branch that always reshapes the stack when
    /// taken.
    fn branch_with(&mut self, make: fn(BrTarget) -> Instr, bt: BrTarget, fix: Option<usize>) {
        let at = self.emit(make(bt));
        if let Some(idx) = fix {
            self.ctrl[idx].fixups.push(Fixup::Instr(at));
        }
    }

    fn br_if(&mut self, depth: u32, height: u32) {
        let (bt, fix, _) = self.target(depth, height);
        if bt.drop == 0 {
            let at = self.cond_jump(true, bt.pc);
            if let Some(idx) = fix {
                self.ctrl[idx].fixups.push(Fixup::Instr(at));
            }
        } else {
            self.branch_with(Instr::BrIf, bt, fix);
        }
    }

    /// Translates one operator; `height` is the number of operands before
    /// it.
    fn op(&mut self, op: &Operator<'_>, height: u32) -> Result<(), ModuleError> {
        use Instr as I;
        use Operator as O;
        let h = self.slots(height);
        match *op {
            O::Block { blockty } => {
                self.push_ctrl(Kind::Block, blockty, h);
                return Ok(());
            }
            O::Loop { blockty } => {
                self.push_ctrl(Kind::Loop, blockty, h);
                return Ok(());
            }
            O::If { blockty } => {
                let jump = self.live.then(|| self.cond_jump(false, 0));
                self.push_ctrl(Kind::If, blockty, h.saturating_sub(1));
                if let Some(c) = self.ctrl.last_mut() {
                    c.else_fixup = jump;
                }
                return Ok(());
            }
            O::TryTable { ref try_table } => {
                let first = self.code.catches.len() as u32;
                if self.live {
                    for c in &try_table.catches {
                        self.catch_clause(c);
                    }
                }
                let len = self.code.catches.len() as u32 - first;
                self.push_ctrl(Kind::TryTable, try_table.ty, h);
                if let Some(c) = self.ctrl.last_mut() {
                    c.catches = (first, len);
                }
                return Ok(());
            }
            O::Else => {
                if self.live {
                    let at = self.emit(I::Jump(0));
                    if let Some(c) = self.ctrl.last_mut() {
                        c.fixups.push(Fixup::Instr(at));
                    }
                }
                if let Some(f) = self.ctrl.last_mut().and_then(|c| c.else_fixup.take()) {
                    self.patch(Fixup::Instr(f));
                }
                if let Some(c) = self.ctrl.last_mut() {
                    c.kind = Kind::Else;
                    self.live = c.live;
                }
                return Ok(());
            }
            O::End => {
                let Some(c) = self.ctrl.pop() else {
                    return Ok(());
                };
                if c.kind == Kind::Func {
                    // The closing `Return`, where the conditional branches
                    // to the function's label go (a `br` is a `Return`).
                    if self.live || !c.fixups.is_empty() {
                        for &f in &c.fixups {
                            self.patch(f);
                        }
                        self.emit(I::Return);
                    }
                    self.recycle(c.fixups);
                    return Ok(());
                }
                if c.kind == Kind::TryTable && c.live {
                    let (first, len) = c.catches;
                    self.code.handlers.push(Handler {
                        start: c.start,
                        end: self.pc(),
                        first,
                        len,
                    });
                }
                let fixups = c.fixups.iter().copied();
                for f in c.else_fixup.into_iter().map(Fixup::Instr).chain(fixups) {
                    self.patch(f);
                }
                self.live = c.live;
                self.recycle(c.fixups);
                return Ok(());
            }
            _ if !self.live => return Ok(()),
            _ => {}
        }
        if let Some(bin) = IntBin::of(op) {
            self.int_bin(bin);
            return Ok(());
        }
        // `eqz` of a local is its comparison with the constant 0.
        if let (O::I32Eqz | O::I64Eqz, Some(&[I::LocalGet(a)])) = (op, self.tail(1)) {
            let eq = if matches!(op, O::I64Eqz) {
                IntBin::I64Eq
            } else {
                IntBin::I32Eq
            };
            self.fuse(1, I::BinLC(eq, a, 0));
            return Ok(());
        }
        macro_rules! same {
            ($($name:ident)*) => {
                match *op {
                    $(O::$name => { self.emit(I::$name); return Ok(()); })*
                    _ => {}
                }
            };
        }
        same! {
            RefIsNull
            I32Eqz I32Eq I32Ne I32LtS I32LtU I32GtS I32GtU I32LeS I32LeU I32GeS I32GeU
            I64Eqz I64Eq I64Ne I64LtS I64LtU I64GtS I64GtU I64LeS I64LeU I64GeS I64GeU
            F32Eq F32Ne F32Lt F32Gt F32Le F32Ge
            F64Eq F64Ne F64Lt F64Gt F64Le F64Ge
            I32Clz I32Ctz I32Popcnt
            I32Add I32Sub I32Mul I32DivS I32DivU I32RemS I32RemU
            I32And I32Or I32Xor I32Shl I32ShrS I32ShrU I32Rotl I32Rotr
            I64Clz I64Ctz I64Popcnt
            I64Add I64Sub I64Mul I64DivS I64DivU I64RemS I64RemU
            I64And I64Or I64Xor I64Shl I64ShrS I64ShrU I64Rotl I64Rotr
            F32Abs F32Neg F32Ceil F32Floor F32Trunc F32Nearest F32Sqrt
            F32Add F32Sub F32Mul F32Div F32Min F32Max F32Copysign
            F64Abs F64Neg F64Ceil F64Floor F64Trunc F64Nearest F64Sqrt
            F64Add F64Sub F64Mul F64Div F64Min F64Max F64Copysign
            I32WrapI64
            I32TruncF32S I32TruncF32U I32TruncF64S I32TruncF64U
            I64ExtendI32S I64ExtendI32U
            I64TruncF32S I64TruncF32U I64TruncF64S I64TruncF64U
            F32ConvertI32S F32ConvertI32U F32ConvertI64S F32ConvertI64U F32DemoteF64
            F64ConvertI32S F64ConvertI32U F64ConvertI64S F64ConvertI64U F64PromoteF32
            I32Extend8S I32Extend16S I64Extend8S I64Extend16S I64Extend32S
            I32TruncSatF32S I32TruncSatF32U I32TruncSatF64S I32TruncSatF64U
            I64TruncSatF32S I64TruncSatF32U I64TruncSatF64S I64TruncSatF64U
        }
        macro_rules! load_store {
            ($($name:ident)*) => {
                match *op {
                    $(O::$name { memarg } => {
                        let i = mem_arg(&memarg).map_or(I::MemoryOutOfBounds, I::$name);
                        if let (Some(&[I::LocalGet(a)]), Some((kind, m))) = (self.tail(1), Load::of(&i)) {
                            if m.mem == 0 {
                                self.fuse(1, I::LoadL(kind, a, m.offset));
                                return Ok(());
                            }
                        }
                        if let (Some(&[I::LocalGet(a), ref v]), Some((kind, m))) = (self.tail(2), Store::of(&i)) {
                            let c = match *v {
                                I::I32Const(c) => Some(c),
                                I::I64Const(c) => i32::try_from(c).ok(),
                                _ => None,
                            };
                            if let (Some(c), Ok(mem)) = (c, u8::try_from(m.mem)) {
                                self.fuse(2, I::StoreLC(kind, mem, a, c, m.offset));
                                return Ok(());
                            }
                        }
                        self.emit(i);
                        return Ok(());
                    })*
                    _ => {}
                }
            };
        }
        load_store! {
            I32Load I64Load F32Load F64Load
            I32Load8S I32Load8U I32Load16S I32Load16U
            I64Load8S I64Load8U I64Load16S I64Load16U I64Load32S I64Load32U
            I32Store I64Store F32Store F64Store
            I32Store8 I32Store16 I64Store8 I64Store16 I64Store32
        }
        let instr = match *op {
            O::Nop
            | O::I32ReinterpretF32
            | O::F32ReinterpretI32
            | O::I64ReinterpretF64
            | O::F64ReinterpretI64 => {
                return Ok(());
            }
            O::Br { relative_depth } => {
                self.br(relative_depth, h);
                self.live = false;
                return Ok(());
            }
            O::BrIf { relative_depth } => {
                self.br_if(relative_depth, h.saturating_sub(1));
                return Ok(());
            }
            O::BrTable { ref targets } => {
                let h = h.saturating_sub(1);
                let first = self.code.br_table.len() as u32;
                let depths = targets
                    .targets()
                    .chain(core::iter::once(Ok(targets.default())));
                for d in depths {
                    let d = d.map_err(ModuleError::malformed)?;
                    let (bt, fix, _) = self.target(d, h);
                    let at = self.code.br_table.len();
                    self.code.br_table.push(bt);
                    if let Some(idx) = fix {
                        self.ctrl[idx].fixups.push(Fixup::Table(at));
                    }
                }
                let len = self.code.br_table.len() as u32 - first;
                self.emit(I::BrTable(first, len));
                self.live = false;
                return Ok(());
            }
            O::Unreachable | O::Return => {
                self.emit(if matches!(op, O::Return) {
                    I::Return
                } else {
                    I::Unreachable
                });
                self.live = false;
                return Ok(());
            }
            O::ReturnCall { function_index } => {
                self.emit(I::ReturnCall(function_index));
                self.live = false;
                return Ok(());
            }
            O::ReturnCallIndirect {
                type_index,
                table_index,
            } => {
                self.emit(I::ReturnCallIndirect(type_index, table_index));
                self.live = false;
                return Ok(());
            }
            O::Throw { tag_index } => {
                self.emit(I::Throw(tag_index));
                self.live = false;
                return Ok(());
            }
            O::ThrowRef => {
                self.emit(I::ThrowRef);
                self.live = false;
                return Ok(());
            }
            O::ReturnCallRef { .. } => {
                self.emit(I::ReturnCallRef);
                self.live = false;
                return Ok(());
            }
            O::BrOnNull { relative_depth } => {
                let (bt, fix, _) = self.target(relative_depth, h.saturating_sub(1));
                self.branch_with(I::BrOnNull, bt, fix);
                return Ok(());
            }
            O::BrOnNonNull { relative_depth } => {
                let (bt, fix, _) = self.target(relative_depth, h);
                self.branch_with(I::BrOnNonNull, bt, fix);
                return Ok(());
            }
            O::CallRef { .. } => I::CallRef,
            O::RefAsNonNull => I::RefAsNonNull,
            O::Call { function_index } => I::Call(function_index),
            O::CallIndirect {
                type_index,
                table_index,
            } => I::CallIndirect(type_index, table_index),
            O::RefNull { .. } => I::RefNull,
            O::RefFunc { function_index } => I::RefFunc(function_index),
            O::Drop => {
                let slots = if self.is_v128(height, 0) { 2 } else { 1 };
                match self.tail(1) {
                    Some(&[I::DropN(n)]) => self.fuse(1, I::DropN(n + slots)),
                    Some(&[I::Drop]) => self.fuse(1, I::DropN(1 + slots)),
                    _ if slots == 2 => {
                        self.emit(I::DropV128);
                    }
                    _ => {
                        self.emit(I::Drop);
                    }
                }
                return Ok(());
            }
            O::Select | O::TypedSelect { .. } if self.is_v128(height, 1) => I::SelectV128,
            O::Select | O::TypedSelect { .. } => I::Select,
            O::LocalGet { local_index } => match self.local(local_index) {
                (slot, true) => I::LocalGetV128(slot),
                (slot, false) => {
                    self.local_get(slot);
                    return Ok(());
                }
            },
            O::LocalSet { local_index } => match self.local(local_index) {
                (slot, true) => I::LocalSetV128(slot),
                (slot, false) => {
                    self.local_set(slot);
                    return Ok(());
                }
            },
            O::LocalTee { local_index } => match self.local(local_index) {
                (slot, true) => I::LocalTeeV128(slot),
                (slot, false) => {
                    self.local_tee(slot);
                    return Ok(());
                }
            },
            O::GlobalGet { global_index } if self.wide_global(global_index) => {
                I::GlobalGetV128(global_index)
            }
            O::GlobalGet { global_index } => I::GlobalGet(global_index),
            O::GlobalSet { global_index } if self.wide_global(global_index) => {
                I::GlobalSetV128(global_index)
            }
            O::GlobalSet { global_index } => I::GlobalSet(global_index),
            O::TableGet { table } => I::TableGet(table),
            O::TableSet { table } => I::TableSet(table),
            O::TableSize { table } => I::TableSize(table),
            O::TableGrow { table } => I::TableGrow(table),
            O::TableFill { table } => I::TableFill(table),
            O::TableCopy {
                dst_table,
                src_table,
            } => I::TableCopy(dst_table, src_table),
            O::TableInit { elem_index, table } => I::TableInit(table, elem_index),
            O::ElemDrop { elem_index } => I::ElemDrop(elem_index),
            O::MemorySize { mem } => I::MemorySize(mem),
            O::MemoryGrow { mem } => I::MemoryGrow(mem),
            O::MemoryCopy { dst_mem, src_mem } => I::MemoryCopy(dst_mem, src_mem),
            O::MemoryFill { mem } => I::MemoryFill(mem),
            O::MemoryInit { data_index, mem } => I::MemoryInit(mem, data_index),
            O::DataDrop { data_index } => I::DataDrop(data_index),
            O::V128Const { value } => {
                self.code.v128_consts.push(value.i128() as u128);
                I::V128Const(self.code.v128_consts.len() as u32 - 1)
            }
            O::I8x16Shuffle { lanes } => {
                self.code.shuffles.push(lanes);
                I::V128Shuffle(self.code.shuffles.len() as u32 - 1)
            }
            O::I32Const { value } => I::I32Const(value),
            O::I64Const { value } => I::I64Const(value),
            O::F32Const { value } => I::F32Const(value.bits()),
            O::F64Const { value } => I::F64Const(value.bits()),
            ref other => match simd::decode(other) {
                Some(i) => i,
                None => {
                    let what = alloc::format!("instruction {}", op_name(other));
                    return Err(ModuleError::unsupported(self.offset as u64, &what));
                }
            },
        };
        self.emit(instr);
        Ok(())
    }
}
