//! Fused instructions: a representation-level optimisation.
//!
//! The translator folds a `local.get` or a constant that an integer
//! operator consumes into that operator, and the operator's result into a
//! `local.set` that follows, so one dispatch does the work of two to four.
//! Each folded instruction's effect still happens, in the spec's order:
//! the operands are read (from their locals or immediates), the operator
//! computes (§4.3.2, none of these can trap), the result is pushed or
//! stored in its local. Only operators that cannot trap are folded, but
//! for loads, which keep the load's offset for the backtrace.

use super::instr::{Instr, MemArg};
use super::memory::{load, store};

/// The integer operators that fold (§4.4.1 `ibinop` and `irelop`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntBin {
    I32Add,
    I32Sub,
    I32Mul,
    I32And,
    I32Or,
    I32Xor,
    I32Shl,
    I32ShrS,
    I32ShrU,
    I32Rotl,
    I32Rotr,
    I32Eq,
    I32Ne,
    I32LtS,
    I32LtU,
    I32GtS,
    I32GtU,
    I32LeS,
    I32LeU,
    I32GeS,
    I32GeU,
    I64Add,
    I64Sub,
    I64Mul,
    I64And,
    I64Or,
    I64Xor,
    I64Shl,
    I64ShrS,
    I64ShrU,
    I64Rotl,
    I64Rotr,
    I64Eq,
    I64Ne,
    I64LtS,
    I64LtU,
    I64GtS,
    I64GtU,
    I64LeS,
    I64LeU,
    I64GeS,
    I64GeU,
}

impl IntBin {
    /// The operator a wasm operator is, if it folds.
    pub fn of(op: &wasmparser::Operator<'_>) -> Option<IntBin> {
        use wasmparser::Operator as O;
        macro_rules! map {
            ($($name:ident)*) => {
                match op {
                    $(O::$name => Some(IntBin::$name),)*
                    _ => None,
                }
            };
        }
        map! {
            I32Add I32Sub I32Mul I32And I32Or I32Xor I32Shl I32ShrS I32ShrU I32Rotl I32Rotr
            I32Eq I32Ne I32LtS I32LtU I32GtS I32GtU I32LeS I32LeU I32GeS I32GeU
            I64Add I64Sub I64Mul I64And I64Or I64Xor I64Shl I64ShrS I64ShrU I64Rotl I64Rotr
            I64Eq I64Ne I64LtS I64LtU I64GtS I64GtU I64LeS I64LeU I64GeS I64GeU
        }
    }

    /// The unfused instruction of this operator.
    pub fn instr(self) -> Instr {
        macro_rules! map {
            ($($name:ident)*) => {
                match self {
                    $(IntBin::$name => Instr::$name,)*
                }
            };
        }
        map! {
            I32Add I32Sub I32Mul I32And I32Or I32Xor I32Shl I32ShrS I32ShrU I32Rotl I32Rotr
            I32Eq I32Ne I32LtS I32LtU I32GtS I32GtU I32LeS I32LeU I32GeS I32GeU
            I64Add I64Sub I64Mul I64And I64Or I64Xor I64Shl I64ShrS I64ShrU I64Rotl I64Rotr
            I64Eq I64Ne I64LtS I64LtU I64GtS I64GtU I64LeS I64LeU I64GeS I64GeU
        }
    }

    /// Whether the operator is on `i64`s.
    pub fn wide(self) -> bool {
        self as u8 >= IntBin::I64Add as u8
    }

    /// A folded constant operand as a slot: `i32` immediates are the
    /// constant, `i64` ones the sign-extension of a constant that fits.
    #[inline(always)]
    pub fn constant(self, c: i32) -> u64 {
        if self.wide() {
            c as i64 as u64
        } else {
            c as u32 as u64
        }
    }

    /// The operator on two slots (`i32`s zero-extended), as the unfused
    /// instruction computes it.
    #[inline(always)]
    pub fn apply(self, a: u64, b: u64) -> u64 {
        let (x, y) = (a as u32, b as u32);
        let (xs, ys) = (x as i32, y as i32);
        let (ls, rs) = (a as i64, b as i64);
        match self {
            IntBin::I32Add => x.wrapping_add(y) as u64,
            IntBin::I32Sub => x.wrapping_sub(y) as u64,
            IntBin::I32Mul => x.wrapping_mul(y) as u64,
            IntBin::I32And => (x & y) as u64,
            IntBin::I32Or => (x | y) as u64,
            IntBin::I32Xor => (x ^ y) as u64,
            IntBin::I32Shl => x.wrapping_shl(y) as u64,
            IntBin::I32ShrS => xs.wrapping_shr(y) as u32 as u64,
            IntBin::I32ShrU => x.wrapping_shr(y) as u64,
            IntBin::I32Rotl => x.rotate_left(y % 32) as u64,
            IntBin::I32Rotr => x.rotate_right(y % 32) as u64,
            IntBin::I32Eq => (x == y) as u64,
            IntBin::I32Ne => (x != y) as u64,
            IntBin::I32LtS => (xs < ys) as u64,
            IntBin::I32LtU => (x < y) as u64,
            IntBin::I32GtS => (xs > ys) as u64,
            IntBin::I32GtU => (x > y) as u64,
            IntBin::I32LeS => (xs <= ys) as u64,
            IntBin::I32LeU => (x <= y) as u64,
            IntBin::I32GeS => (xs >= ys) as u64,
            IntBin::I32GeU => (x >= y) as u64,
            IntBin::I64Add => a.wrapping_add(b),
            IntBin::I64Sub => a.wrapping_sub(b),
            IntBin::I64Mul => a.wrapping_mul(b),
            IntBin::I64And => a & b,
            IntBin::I64Or => a | b,
            IntBin::I64Xor => a ^ b,
            IntBin::I64Shl => a.wrapping_shl(b as u32),
            IntBin::I64ShrS => ls.wrapping_shr(b as u32) as u64,
            IntBin::I64ShrU => a.wrapping_shr(b as u32),
            IntBin::I64Rotl => a.rotate_left((b % 64) as u32),
            IntBin::I64Rotr => a.rotate_right((b % 64) as u32),
            IntBin::I64Eq => (a == b) as u64,
            IntBin::I64Ne => (a != b) as u64,
            IntBin::I64LtS => (ls < rs) as u64,
            IntBin::I64LtU => (a < b) as u64,
            IntBin::I64GtS => (ls > rs) as u64,
            IntBin::I64GtU => (a > b) as u64,
            IntBin::I64LeS => (ls <= rs) as u64,
            IntBin::I64LeU => (a <= b) as u64,
            IntBin::I64GeS => (ls >= rs) as u64,
            IntBin::I64GeU => (a >= b) as u64,
        }
    }
}

/// The integer operator of an unfused instruction.
pub fn int_bin_of(i: &Instr) -> Option<IntBin> {
    macro_rules! map {
        ($($name:ident)*) => {
            match i {
                $(Instr::$name => Some(IntBin::$name),)*
                _ => None,
            }
        };
    }
    map! {
        I32Add I32Sub I32Mul I32And I32Or I32Xor I32Shl I32ShrS I32ShrU I32Rotl I32Rotr
        I32Eq I32Ne I32LtS I32LtU I32GtS I32GtU I32LeS I32LeU I32GeS I32GeU
        I64Add I64Sub I64Mul I64And I64Or I64Xor I64Shl I64ShrS I64ShrU I64Rotl I64Rotr
        I64Eq I64Ne I64LtS I64LtU I64GtS I64GtU I64LeS I64LeU I64GeS I64GeU
    }
}

/// The scalar loads (§4.4.7 `t.load`, `t.loadN_sx`) a local address folds
/// into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Load {
    I32,
    I64,
    F32,
    F64,
    I32_8S,
    I32_8U,
    I32_16S,
    I32_16U,
    I64_8S,
    I64_8U,
    I64_16S,
    I64_16U,
    I64_32S,
    I64_32U,
}

impl Load {
    /// The load an instruction is, with its memory argument.
    pub fn of(i: &Instr) -> Option<(Load, MemArg)> {
        Some(match *i {
            Instr::I32Load(m) => (Load::I32, m),
            Instr::I64Load(m) => (Load::I64, m),
            Instr::F32Load(m) => (Load::F32, m),
            Instr::F64Load(m) => (Load::F64, m),
            Instr::I32Load8S(m) => (Load::I32_8S, m),
            Instr::I32Load8U(m) => (Load::I32_8U, m),
            Instr::I32Load16S(m) => (Load::I32_16S, m),
            Instr::I32Load16U(m) => (Load::I32_16U, m),
            Instr::I64Load8S(m) => (Load::I64_8S, m),
            Instr::I64Load8U(m) => (Load::I64_8U, m),
            Instr::I64Load16S(m) => (Load::I64_16S, m),
            Instr::I64Load16U(m) => (Load::I64_16U, m),
            Instr::I64Load32S(m) => (Load::I64_32S, m),
            Instr::I64Load32U(m) => (Load::I64_32U, m),
            _ => return None,
        })
    }

    /// The `add` of the loaded value's type, if it is an integer.
    pub fn add(self) -> Option<IntBin> {
        match self {
            Load::F32 | Load::F64 => None,
            Load::I32 | Load::I32_8S | Load::I32_8U | Load::I32_16S | Load::I32_16U => {
                Some(IntBin::I32Add)
            }
            _ => Some(IntBin::I64Add),
        }
    }

    /// `acc` plus the loaded value, by the `add` of the loaded value's
    /// type (each kind adds in its own arm, so that one dispatch picks
    /// both), or `None` if out of bounds.
    #[inline(always)]
    pub fn add_to(self, acc: u64, mem: &[u8], addr: u64, offset: u64) -> Option<u64> {
        let add32 = |v: u32| (acc as u32).wrapping_add(v) as u64;
        let add64 = |v: u64| acc.wrapping_add(v);
        Some(match self {
            Load::I32 | Load::F32 => add32(u32::from_le_bytes(load(mem, addr, offset)?)),
            Load::I64 | Load::F64 => add64(u64::from_le_bytes(load(mem, addr, offset)?)),
            Load::I32_8S => add32(i8::from_le_bytes(load(mem, addr, offset)?) as i32 as u32),
            Load::I32_8U => add32(u8::from_le_bytes(load(mem, addr, offset)?) as u32),
            Load::I32_16S => add32(i16::from_le_bytes(load(mem, addr, offset)?) as i32 as u32),
            Load::I32_16U => add32(u16::from_le_bytes(load(mem, addr, offset)?) as u32),
            Load::I64_8S => add64(i8::from_le_bytes(load(mem, addr, offset)?) as i64 as u64),
            Load::I64_8U => add64(u8::from_le_bytes(load(mem, addr, offset)?) as u64),
            Load::I64_16S => add64(i16::from_le_bytes(load(mem, addr, offset)?) as i64 as u64),
            Load::I64_16U => add64(u16::from_le_bytes(load(mem, addr, offset)?) as u64),
            Load::I64_32S => add64(i32::from_le_bytes(load(mem, addr, offset)?) as i64 as u64),
            Load::I64_32U => add64(u32::from_le_bytes(load(mem, addr, offset)?) as u64),
        })
    }

    /// The loaded value as a slot, or `None` if out of bounds.
    #[inline(always)]
    pub fn apply(self, mem: &[u8], addr: u64, offset: u64) -> Option<u64> {
        Some(match self {
            Load::I32 | Load::F32 => u32::from_le_bytes(load(mem, addr, offset)?) as u64,
            Load::I64 | Load::F64 => u64::from_le_bytes(load(mem, addr, offset)?),
            Load::I32_8S => i8::from_le_bytes(load(mem, addr, offset)?) as i32 as u32 as u64,
            Load::I32_8U => u8::from_le_bytes(load(mem, addr, offset)?) as u64,
            Load::I32_16S => i16::from_le_bytes(load(mem, addr, offset)?) as i32 as u32 as u64,
            Load::I32_16U => u16::from_le_bytes(load(mem, addr, offset)?) as u64,
            Load::I64_8S => i8::from_le_bytes(load(mem, addr, offset)?) as i64 as u64,
            Load::I64_8U => u8::from_le_bytes(load(mem, addr, offset)?) as u64,
            Load::I64_16S => i16::from_le_bytes(load(mem, addr, offset)?) as i64 as u64,
            Load::I64_16U => u16::from_le_bytes(load(mem, addr, offset)?) as u64,
            Load::I64_32S => i32::from_le_bytes(load(mem, addr, offset)?) as i64 as u64,
            Load::I64_32U => u32::from_le_bytes(load(mem, addr, offset)?) as u64,
        })
    }
}

/// The stores (§4.4.7 `t.store`, `t.storeN`) a local address and a
/// constant value fold into, by width in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    B1,
    B2,
    B4,
    B8,
}

impl Store {
    /// The store an instruction is, with its memory argument.
    pub fn of(i: &Instr) -> Option<(Store, MemArg)> {
        Some(match *i {
            Instr::I32Store8(m) | Instr::I64Store8(m) => (Store::B1, m),
            Instr::I32Store16(m) | Instr::I64Store16(m) => (Store::B2, m),
            Instr::I32Store(m) | Instr::I64Store32(m) => (Store::B4, m),
            Instr::I64Store(m) => (Store::B8, m),
            _ => return None,
        })
    }

    /// Writes the low bytes of `v`, or `None` if out of bounds.
    #[inline(always)]
    pub fn apply(self, mem: &mut [u8], addr: u64, offset: u64, v: u64) -> Option<()> {
        match self {
            Store::B1 => store(mem, addr, offset, (v as u8).to_le_bytes()),
            Store::B2 => store(mem, addr, offset, (v as u16).to_le_bytes()),
            Store::B4 => store(mem, addr, offset, (v as u32).to_le_bytes()),
            Store::B8 => store(mem, addr, offset, v.to_le_bytes()),
        }
    }
}

/// The specialised form of a fused instruction (the same effect, one
/// dispatch), or the instruction itself. A comparison's operands swap and
/// its jump inverts to reach `==`, `<u` or `<s`: `a > b` is `b < a`,
/// `a >= b` is not `a < b`, `a <= b` is not `b < a`, `a != b` is not
/// `a == b`; with a constant `c` (from 0 to `i32::MAX - 1`, so that it is
/// the same slot for both types) in place of a swap, `a > c` is not
/// `a < c + 1` and `a <= c` is `a < c + 1`. `x - c` is `x + -c` in two's
/// complement (all but the least constant, whose negation does not fit).
pub fn specialise(i: Instr) -> Instr {
    use IntBin as B;
    let (op, a, b, t, jump_if) = match i {
        Instr::BinLC(op, a, c) => {
            return match as_add(op, c) {
                Some((false, c)) => Instr::I32AddLC(a, c),
                Some((true, c)) => Instr::I64AddLC(a, c),
                None => i,
            };
        }
        Instr::BinLCSet(op, a, c, d) => {
            return match as_add(op, c) {
                Some((false, c)) => Instr::I32AddLCSet(a, c, d),
                Some((true, c)) => Instr::I64AddLCSet(a, c, d),
                None => i,
            };
        }
        Instr::LoadAddSet(Load::I32, p, s, offset) => return Instr::LoadAddSetI32(p, s, offset),
        Instr::LoadAddSet(Load::I64_32U, p, s, offset) => {
            return Instr::LoadAddSetI64U32(p, s, offset);
        }
        // The second operand is a local's slot, or a constant's bits.
        Instr::JumpIfLL(op, a, b, t) => (op, a, b, t, true),
        Instr::JumpUnlessLL(op, a, b, t) => (op, a, b, t, false),
        Instr::JumpIfLC(op, a, c, t) => (op, a, c as u32, t, true),
        Instr::JumpUnlessLC(op, a, c, t) => (op, a, c as u32, t, false),
        _ => return i,
    };
    let Some((rel, swap, not)) = relation(op) else {
        return i;
    };
    if let Instr::JumpIfLC(..) | Instr::JumpUnlessLC(..) = i {
        let c = b as i32;
        if !(0..i32::MAX).contains(&c) {
            return i;
        }
        let (c, not) = if swap { (c + 1, !not) } else { (c, not) };
        return jump_c(rel, jump_if != not, a, c, t).unwrap_or(i);
    }
    let (a, b) = if swap { (b, a) } else { (a, b) };
    match (rel, jump_if != not) {
        (B::I64Eq, true) => Instr::JumpIfEq(a, b, t),
        (B::I64Eq, false) => Instr::JumpUnlessEq(a, b, t),
        (B::I64LtU, true) => Instr::JumpIfLtU(a, b, t),
        (B::I64LtU, false) => Instr::JumpUnlessLtU(a, b, t),
        (B::I32LtS, true) => Instr::JumpIfLtS32(a, b, t),
        (B::I32LtS, false) => Instr::JumpUnlessLtS32(a, b, t),
        (B::I64LtS, true) => Instr::JumpIfLtS64(a, b, t),
        (B::I64LtS, false) => Instr::JumpUnlessLtS64(a, b, t),
        _ => i,
    }
}

/// A loop's step folded into the jump on `op(local a, local b)` that
/// follows it (`JumpIf` or `JumpUnless`), if the step is on `a` and the
/// relation's operands do not swap, so that `a` stays the first.
pub fn step_jump(op: IntBin, jump_if: bool, c: i8, a: u32, b: u32, t: u32) -> Option<Instr> {
    use IntBin as B;
    let (rel, false, not) = relation(op)? else {
        return None;
    };
    Some(match (rel, jump_if != not) {
        (B::I64Eq, true) => Instr::StepJumpIfEq(c, a, b, t),
        (B::I64Eq, false) => Instr::StepJumpUnlessEq(c, a, b, t),
        (B::I64LtU, true) => Instr::StepJumpIfLtU(c, a, b, t),
        (B::I64LtU, false) => Instr::StepJumpUnlessLtU(c, a, b, t),
        (B::I32LtS, true) => Instr::StepJumpIfLtS32(c, a, b, t),
        (B::I32LtS, false) => Instr::StepJumpUnlessLtS32(c, a, b, t),
        _ => return None,
    })
}

/// A loop whose body is one accumulating load (a `LoadAddSet` at index
/// `at`) and whose back edge steps the load's address local and jumps to
/// the load while a test holds (a `StepJump` to `at`), as one instruction
/// that runs the loop, on the tests of counted and pointer loops, `!=` and
/// `<u`; the sums that have their own `LoadAddSet` (see `specialise`) have
/// their own loops too. (A signed test measured slower: each form is
/// another arm in the loop that runs every instruction.) The address, sum
/// and bound are three locals, so that the loop may keep the first two at
/// hand and read the bound once; the first two must fit 16 bits (see
/// [`Pair`]).
pub fn load_add_loop(load: Instr, step: Instr, at: u32) -> Option<Instr> {
    let Instr::LoadAddSet(kind, p, s, offset) = load else {
        return None;
    };
    let (c, a, b, t) = match step {
        Instr::StepJumpUnlessEq(c, a, b, t) | Instr::StepJumpIfLtU(c, a, b, t) => (c, a, b, t),
        _ => return None,
    };
    if a != p || t != at || p == s || p == b || s == b {
        return None;
    }
    let ps = Pair::new(p, s)?;
    let ne = matches!(step, Instr::StepJumpUnlessEq(..));
    Some(match (kind, ne) {
        (Load::I32, true) => Instr::LoadAddLoopI32UnlessEq(c, ps, b, offset),
        (Load::I32, false) => Instr::LoadAddLoopI32IfLtU(c, ps, b, offset),
        (Load::I64_32U, true) => Instr::LoadAddLoopI64U32UnlessEq(c, ps, b, offset),
        (Load::I64_32U, false) => Instr::LoadAddLoopI64U32IfLtU(c, ps, b, offset),
        (_, true) => Instr::LoadAddLoopUnlessEq(kind, c, ps, b, offset),
        (_, false) => Instr::LoadAddLoopIfLtU(kind, c, ps, b, offset),
    })
}

/// Two 16-bit immediates in one `u32`. A fused instruction's fields fall
/// where the loop reads every instruction's (whole `u32`s from its fourth
/// byte on): a 16-bit field elsewhere would cost every dispatch a shift.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair(u32);

impl Pair {
    /// The pair, if both fit 16 bits.
    pub fn new(lo: u32, hi: u32) -> Option<Pair> {
        Some(Pair(
            u32::from(u16::try_from(lo).ok()?) | u32::from(u16::try_from(hi).ok()?) << 16,
        ))
    }

    #[inline(always)]
    pub fn lo(self) -> u32 {
        self.0 & 0xffff
    }

    #[inline(always)]
    pub fn hi(self) -> u32 {
        self.0 >> 16
    }
}

/// An operator with a constant as an add: whether it is `i64.add`, and
/// the constant.
fn as_add(op: IntBin, c: i32) -> Option<(bool, i32)> {
    match op {
        IntBin::I32Add | IntBin::I64Add => Some((op.wide(), c)),
        IntBin::I32Sub | IntBin::I64Sub if c != i32::MIN => Some((op.wide(), -c)),
        _ => None,
    }
}

/// A comparison as `==`, `<u` (`I64Eq`, `I64LtU`: the same on `i32`
/// slots, which are zero-extended) or `<s` of its type, whether its
/// operands swap, and whether it negates; `None` if it is no comparison.
fn relation(op: IntBin) -> Option<(IntBin, bool, bool)> {
    use IntBin as B;
    Some(match op {
        B::I32Eq | B::I64Eq => (B::I64Eq, false, false),
        B::I32Ne | B::I64Ne => (B::I64Eq, false, true),
        B::I32LtU | B::I64LtU => (B::I64LtU, false, false),
        B::I32GtU | B::I64GtU => (B::I64LtU, true, false),
        B::I32LeU | B::I64LeU => (B::I64LtU, true, true),
        B::I32GeU | B::I64GeU => (B::I64LtU, false, true),
        B::I32LtS | B::I64LtS => (op, false, false),
        B::I32GtS => (B::I32LtS, true, false),
        B::I64GtS => (B::I64LtS, true, false),
        B::I32LeS => (B::I32LtS, true, true),
        B::I64LeS => (B::I64LtS, true, true),
        B::I32GeS => (B::I32LtS, false, true),
        B::I64GeS => (B::I64LtS, false, true),
        _ => return None,
    })
}

/// The specialised jump on `rel(a, c)`: if it holds (`jump_if`) or not.
fn jump_c(rel: IntBin, jump_if: bool, a: u32, c: i32, t: u32) -> Option<Instr> {
    use IntBin as B;
    Some(match (rel, jump_if) {
        (B::I64Eq, true) => Instr::JumpIfEqC(a, c, t),
        (B::I64Eq, false) => Instr::JumpUnlessEqC(a, c, t),
        (B::I64LtU, true) => Instr::JumpIfLtUC(a, c, t),
        (B::I64LtU, false) => Instr::JumpUnlessLtUC(a, c, t),
        (B::I32LtS, true) => Instr::JumpIfLtS32C(a, c, t),
        (B::I32LtS, false) => Instr::JumpUnlessLtS32C(a, c, t),
        (B::I64LtS, true) => Instr::JumpIfLtS64C(a, c, t),
        (B::I64LtS, false) => Instr::JumpUnlessLtS64C(a, c, t),
        _ => return None,
    })
}

/// Instructions that push one value and write no local: a local read may
/// move after them (none of them observes it).
pub fn pure_push(i: &Instr) -> bool {
    matches!(
        i,
        Instr::LoadL(..)
            | Instr::BinLL(..)
            | Instr::BinLC(..)
            | Instr::I32Const(_)
            | Instr::I64Const(_)
    )
}

#[cfg(test)]
mod tests {
    use super::IntBin;

    #[test]
    fn i32_operators_see_only_the_low_bits_and_zero_extend() {
        assert_eq!(IntBin::I32Add.apply(u32::MAX as u64, 1), 0);
        assert_eq!(IntBin::I32ShrS.apply(0x8000_0000, 31), u32::MAX as u64);
        assert_eq!(IntBin::I32LtS.apply(u32::MAX as u64, 0), 1);
        assert_eq!(IntBin::I32Rotl.apply(1, 33), 2);
        assert_eq!(IntBin::I64ShrS.apply(i64::MIN as u64, 63), u64::MAX);
        assert_eq!(IntBin::I64Rotr.apply(1, 65), 1 << 63);
        assert_eq!(IntBin::I64GeU.apply(0, u64::MAX), 0);
    }
}
