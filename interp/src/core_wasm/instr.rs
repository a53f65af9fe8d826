//! The pre-decoded instruction form that [`exec`](super::exec) runs.
//!
//! One [`Instr`] for each core instruction that does something at run time,
//! with its immediates decoded and its branch targets resolved to
//! instruction indices. Structured control (`block`, `loop`, `end`, `nop`)
//! leaves no instruction behind: its effect is in the targets. Neither do the
//! `reinterpret` conversions, which change no bits of a slot. A branch
//! carries how many operands it keeps (the label's arity) and how many below
//! them it drops (the operands of the blocks it leaves), so taking it is one
//! move on the operand stack. Indices (`u32`) are the module's own, resolved
//! through the frame's module instance as the spec does.

use super::fused::{IntBin, Load, Pair, Store};
use super::simd;

/// Where a branch goes and how it reshapes the operand stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrTarget {
    /// Index of the next instruction.
    pub pc: u32,
    /// Operands to remove below the kept ones.
    pub drop: u32,
    /// Operands that the label takes along (its arity).
    pub keep: u32,
}

/// The memory and static offset of a load or store (§2.4.7 `memarg`; the
/// alignment hint has no effect on execution).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemArg {
    pub mem: u32,
    pub offset: u32,
}

macro_rules! instrs {
    ($( $(#[$doc:meta])* $name:ident $( ( $($imm:ty),* ) )? ),* $(,)?) => {
        /// A pre-decoded instruction. See the module documentation.
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub enum Instr {
            $( $(#[$doc])* $name $( ( $($imm),* ) )? ),*
        }
    };
}

instrs! {
    // §4.4.8 Control instructions
    Unreachable,
    /// Unconditional jump that keeps the stack as it is.
    Jump(u32),
    /// `br` that reshapes the stack.
    Br(BrTarget),
    /// `br_if` (or the entry of `if`, inverted) without reshaping: jump
    /// if the popped condition is non-zero.
    JumpIfNez(u32),
    /// Jump if the popped condition is zero (`if` to its `else`/`end`).
    JumpIfEqz(u32),
    /// `br_if` that reshapes the stack when taken.
    BrIf(BrTarget),
    /// `br_table`: targets are `Code::br_table[first..first + len]`, the
    /// last of them the default.
    BrTable(u32, u32),
    Return,
    /// `call funcidx`.
    Call(u32),
    /// `call_indirect typeidx tableidx`.
    CallIndirect(u32, u32),
    /// `throw tagidx`.
    Throw(u32),
    ThrowRef,
    /// `call_ref typeidx`: the type is checked statically.
    CallRef,
    /// `return_call_ref typeidx`.
    ReturnCallRef,
    /// `br_on_null`: branch if the top reference is null (and drop it).
    BrOnNull(BrTarget),
    /// `br_on_non_null`: branch with the reference if it is not null.
    BrOnNonNull(BrTarget),
    /// `return_call funcidx` (tail call).
    ReturnCall(u32),
    /// `return_call_indirect typeidx tableidx`.
    ReturnCallIndirect(u32, u32),

    // §4.4.4 Reference instructions
    RefNull,
    RefIsNull,
    RefFunc(u32),
    RefAsNonNull,

    // §4.4.5 Parametric instructions
    Drop,
    Select,

    /// `drop` of a `v128` (two slots).
    DropV128,
    /// `select` of two `v128`s.
    SelectV128,

    // §4.4.6 Variable instructions (locals by slot in the frame; the
    // `V128` forms move the two slots of a `v128`)
    LocalGet(u32),
    LocalSet(u32),
    LocalTee(u32),
    LocalGetV128(u32),
    LocalSetV128(u32),
    LocalTeeV128(u32),
    GlobalGet(u32),
    GlobalSet(u32),
    GlobalGetV128(u32),
    GlobalSetV128(u32),

    // §4.4.7 Table instructions
    TableGet(u32),
    TableSet(u32),
    TableSize(u32),
    TableGrow(u32),
    TableFill(u32),
    /// `table.copy dst src`.
    TableCopy(u32, u32),
    /// `table.init table elem`.
    TableInit(u32, u32),
    ElemDrop(u32),

    // §4.4.7 Memory instructions
    I32Load(MemArg), I64Load(MemArg), F32Load(MemArg), F64Load(MemArg),
    I32Load8S(MemArg), I32Load8U(MemArg), I32Load16S(MemArg), I32Load16U(MemArg),
    I64Load8S(MemArg), I64Load8U(MemArg), I64Load16S(MemArg), I64Load16U(MemArg),
    I64Load32S(MemArg), I64Load32U(MemArg),
    I32Store(MemArg), I64Store(MemArg), F32Store(MemArg), F64Store(MemArg),
    I32Store8(MemArg), I32Store16(MemArg), I64Store8(MemArg), I64Store16(MemArg), I64Store32(MemArg),
    /// A load or store whose static offset alone (4 GiB or more, in a
    /// 64-bit memory) puts it beyond the largest memory witness allocates:
    /// it traps "out of bounds memory access" as the access would.
    MemoryOutOfBounds,
    MemorySize(u32),
    MemoryGrow(u32),
    MemoryFill(u32),
    /// `memory.copy dst src`.
    MemoryCopy(u32, u32),
    /// `memory.init memidx dataidx`.
    MemoryInit(u32, u32),
    DataDrop(u32),

    // §4.4.3 Vector instructions (semantics in `simd`)
    /// `v128.const`: the constant is `Code::v128_consts[i]`.
    V128Const(u32),
    V128Unary(simd::UnOp),
    V128Binary(simd::BinOp),
    V128Ternary(simd::TernOp),
    V128Shift(simd::ShiftOp),
    V128Splat(simd::SplatOp),
    /// `extract_lane` with its lane index.
    V128Extract(simd::ExtractOp, u8),
    /// `replace_lane` with its lane index.
    V128Replace(simd::ReplaceOp, u8),
    V128Test(simd::TestOp),
    /// `i8x16.shuffle`: the lanes are `Code::shuffles[i]`.
    V128Shuffle(u32),
    V128Load(simd::LoadKind, MemArg),
    V128Store(MemArg),
    /// `v128.loadN_lane`: lane width in bytes (1, 2, 4, 8) and lane index.
    V128LoadLane(u8, u8, MemArg),
    /// `v128.storeN_lane`: lane width in bytes and lane index.
    V128StoreLane(u8, u8, MemArg),
    /// A relaxed SIMD operator (WebAssembly 3.0), whose choices the
    /// store's [`Choices`](super::choices::Choices) make.
    V128Relaxed(simd::RelaxedOp),

    // Fused instructions (see `fused`): L is a local's slot, C a constant,
    // S the top of the stack; `Set` stores the result in a local.
    BinLL(IntBin, u32, u32),
    BinLC(IntBin, u32, i32),
    BinSL(IntBin, u32),
    BinSC(IntBin, i32),
    /// `op(local a, local b)` into local `dst`.
    BinLLSet(IntBin, u32, u32, u32),
    /// `op(local a, constant)` into local `dst`.
    BinLCSet(IntBin, u32, i32, u32),
    /// `local.get src; local.set dst`.
    LocalCopy(u32, u32),
    /// Consecutive `drop`s: the slots they remove.
    DropN(u32),
    /// `local.get` of `n` consecutive slots from `first`.
    LocalGetRange(u32, u32),
    /// An integer operator on the stack, into a local.
    BinSet(IntBin, u32),
    /// `BinLL`, `BinLC`, `BinSC` and an operator on the stack whose result
    /// a `local.tee` also writes to local `dst` (the last immediate).
    BinLLTee(IntBin, u32, u32, u32),
    BinLCTee(IntBin, u32, i32, u32),
    BinSCTee(IntBin, i32, u32),
    BinTee(IntBin, u32),
    /// A load from memory 0 at the address in a local: the local, the
    /// offset.
    LoadL(Load, u32, u32),
    /// A `LoadL` into local `dst`: the address local, the offset, `dst`.
    LoadLSet(Load, u32, u32, u32),
    /// A `LoadL` into local `dst` that stays on the stack (`local.tee`).
    LoadLTee(Load, u32, u32, u32),
    /// A store of a constant to the address in a local: memory (at most
    /// 255), local, constant (sign-extended for `i64` stores), offset.
    StoreLC(Store, u8, u32, i32, u32),
    /// `op(local a, top of stack)`: the local was read before the value on
    /// top was pushed (see `fused::pure_push`).
    BinLS(IntBin, u32),
    /// `op(local a, top of stack)` into local `dst`.
    BinLSSet(IntBin, u32, u32),
    /// `local s + a LoadL from the address in local p` into local `s`,
    /// the add of the load's type (an accumulating load): `p`, `s`, the
    /// offset.
    LoadAddSet(Load, u32, u32, u32),
    /// The commonest `LoadAddSet`s, with the load in the instruction, so
    /// that it is not a second dispatch (see `fused::specialise`): an
    /// `i32` sum of `i32.load`s, an `i64` sum of `i64.load32_u`s.
    LoadAddSetI32(u32, u32, u32),
    LoadAddSetI64U32(u32, u32, u32),
    /// A loop of one such `LoadAddSet` whose back edge steps its address
    /// local `p` and tests it (a `StepJump` to the load; see
    /// `fused::load_add_loop`), run whole: again while the test (`!=` or
    /// `<u`) holds. The step, `p` and `s`, the bound's local, the offset.
    LoadAddLoopI32UnlessEq(i8, Pair, u32, u32),
    LoadAddLoopI32IfLtU(i8, Pair, u32, u32),
    LoadAddLoopI64U32UnlessEq(i8, Pair, u32, u32),
    LoadAddLoopI64U32IfLtU(i8, Pair, u32, u32),
    /// The same loops of the other `LoadAddSet`s, with the load.
    LoadAddLoopUnlessEq(Load, i8, Pair, u32, u32),
    LoadAddLoopIfLtU(Load, i8, Pair, u32, u32),
    /// A comparison of two locals (or a local and a constant) and the
    /// `br_if` (`JumpIf`) or `if` (`JumpUnless`) that tests it: the jump's
    /// target last.
    JumpIfLL(IntBin, u32, u32, u32),
    JumpIfLC(IntBin, u32, i32, u32),
    JumpUnlessLL(IntBin, u32, u32, u32),
    JumpUnlessLC(IntBin, u32, i32, u32),
    /// The commonest `JumpIf`/`JumpUnless`, `BinLC` and `BinLCSet`, with the
    /// operator in the instruction, so that it is not a second dispatch
    /// (see `fused::specialise`). A comparison is `==`, unsigned `<`
    /// (`i32` slots are zero-extended, so one form serves both types) or
    /// signed `<` of its type; a `C` form's constant is not negative, so
    /// that it is the same slot for both types.
    JumpIfEq(u32, u32, u32),
    JumpUnlessEq(u32, u32, u32),
    JumpIfLtU(u32, u32, u32),
    JumpUnlessLtU(u32, u32, u32),
    JumpIfLtS32(u32, u32, u32),
    JumpUnlessLtS32(u32, u32, u32),
    JumpIfLtS64(u32, u32, u32),
    JumpUnlessLtS64(u32, u32, u32),
    /// A loop's step and test: `local a += c` (`i32.add`, `c` small),
    /// then a jump on `==`, `<u` or `<s` of `local a` and `local b`.
    StepJumpIfEq(i8, u32, u32, u32),
    StepJumpUnlessEq(i8, u32, u32, u32),
    StepJumpIfLtU(i8, u32, u32, u32),
    StepJumpUnlessLtU(i8, u32, u32, u32),
    StepJumpIfLtS32(i8, u32, u32, u32),
    StepJumpUnlessLtS32(i8, u32, u32, u32),
    JumpIfEqC(u32, i32, u32),
    JumpUnlessEqC(u32, i32, u32),
    JumpIfLtUC(u32, i32, u32),
    JumpUnlessLtUC(u32, i32, u32),
    JumpIfLtS32C(u32, i32, u32),
    JumpUnlessLtS32C(u32, i32, u32),
    JumpIfLtS64C(u32, i32, u32),
    JumpUnlessLtS64C(u32, i32, u32),
    I32AddLC(u32, i32),
    I64AddLC(u32, i32),
    I32AddLCSet(u32, i32, u32),
    I64AddLCSet(u32, i32, u32),

    // §4.4.1 Numeric instructions
    I32Const(i32), I64Const(i64),
    /// By bits, so that NaN payloads are exact.
    F32Const(u32),
    F64Const(u64),

    I32Eqz, I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
    I64Eqz, I64Eq, I64Ne, I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU,
    F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge,
    F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge,

    I32Clz, I32Ctz, I32Popcnt,
    I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU,
    I32And, I32Or, I32Xor, I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr,
    I64Clz, I64Ctz, I64Popcnt,
    I64Add, I64Sub, I64Mul, I64DivS, I64DivU, I64RemS, I64RemU,
    I64And, I64Or, I64Xor, I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,

    F32Abs, F32Neg, F32Ceil, F32Floor, F32Trunc, F32Nearest, F32Sqrt,
    F32Add, F32Sub, F32Mul, F32Div, F32Min, F32Max, F32Copysign,
    F64Abs, F64Neg, F64Ceil, F64Floor, F64Trunc, F64Nearest, F64Sqrt,
    F64Add, F64Sub, F64Mul, F64Div, F64Min, F64Max, F64Copysign,

    I32WrapI64,
    I32TruncF32S, I32TruncF32U, I32TruncF64S, I32TruncF64U,
    I64ExtendI32S, I64ExtendI32U,
    I64TruncF32S, I64TruncF32U, I64TruncF64S, I64TruncF64U,
    F32ConvertI32S, F32ConvertI32U, F32ConvertI64S, F32ConvertI64U, F32DemoteF64,
    F64ConvertI32S, F64ConvertI32U, F64ConvertI64S, F64ConvertI64U, F64PromoteF32,
    I32Extend8S, I32Extend16S,
    I64Extend8S, I64Extend16S, I64Extend32S,

    I32TruncSatF32S, I32TruncSatF32U, I32TruncSatF64S, I32TruncSatF64U,
    I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S, I64TruncSatF64U,
}

#[cfg(test)]
mod tests {
    #[test]
    fn instr_is_compact() {
        assert!(core::mem::size_of::<super::Instr>() <= 16);
    }
}
