//! Vector instructions (core spec §4.4.3 "Vector Instructions", with the
//! lane operators of §4.3.5 "Vector Operations" and the relaxed operators
//! of §4.3.6 "Relaxed Operations"), lane by lane.
//!
//! A `v128` is a `u128` here, lane 0 in the least significant bits (the
//! little-endian byte order of memory). The interpreter's loop pops and
//! pushes the two slots of a `v128` and calls one function per shape of
//! instruction: [`unary`], [`binary`], [`ternary`], [`shift()`], [`splat`],
//! [`extract`], [`replace`], [`test()`], [`shuffle`], [`load`] and
//! [`relaxed()`]. The operators themselves are listed once, in the module of
//! their family, each with its semantics (mostly one line, a lane function
//! lifted by the helpers of [`lanes`]):
//!
//! | module | operators |
//! | --- | --- |
//! | [`bitwise`] | `v128.not/and/andnot/or/xor/bitselect` |
//! | [`int_arith`] | integer `abs/neg/popcnt/add/sub/mul/min/max/avgr/q15mulr`, saturating forms |
//! | [`float_arith`] | float `abs/neg/sqrt/ceil/floor/trunc/nearest/add/sub/mul/div/min/max/pmin/pmax` |
//! | [`compare`] | `eq/ne/lt/gt/le/ge` |
//! | [`shift`](mod@shift) | `shl/shr_s/shr_u` |
//! | [`test`](mod@test) | `any_true/all_true/bitmask` |
//! | [`convert`] | `trunc_sat/convert/demote/promote` |
//! | [`narrow_widen`] | `narrow/extend/extadd_pairwise/extmul/dot` |
//! | [`lane_access`] | `splat/extract_lane/replace_lane/swizzle/shuffle` |
//! | [`memory`] | `v128.load*` (the lane loads and stores are in `exec::vector`) |
//! | [`relaxed`](mod@relaxed) | the relaxed SIMD operators, whose choices go through [`super::choices::Choices`] |
//!
//! Operators are named as wasmparser names them (`I8x16AddSatS` for
//! `i8x16.add_sat_s`), which lets [`decode`] map them without a second
//! list. Float results that are NaN are the positive canonical NaN, as for
//! scalars (see [`numeric`](super::numeric)).

use super::choices::Choices;
use super::instr::Instr;
use super::translate::mem_arg;
use super::trap::TrapKind;
use wasmparser::Operator;

/// Declares an enum of operators named as wasmparser names them, each with
/// the expression that computes its result from the arguments: `apply`
/// computes it, `decode` recognizes the wasmparser operator.
macro_rules! ops {
    (
        $(#[$m:meta])*
        pub enum $name:ident ($($arg:ident: $ty:ty),*) -> $ret:ty {
            $( $op:ident => $e:expr, )*
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(clippy::enum_variant_names)] // wasmparser's names
        pub enum $name {
            $( $op, )*
        }

        impl $name {
            /// The operator's result.
            #[inline]
            pub fn apply(self, $($arg: $ty),*) -> $ret {
                match self {
                    $( Self::$op => $e, )*
                }
            }

            /// The operator `op` stands for, if it is one of these.
            pub fn decode(op: &wasmparser::Operator<'_>) -> Option<Self> {
                Some(match op {
                    $( wasmparser::Operator::$op => Self::$op, )*
                    _ => return None,
                })
            }
        }
    };
}

/// Declares an instruction shape's operators as the union of families'.
macro_rules! families {
    (
        $(#[$m:meta])*
        pub enum $name:ident ($($arg:ident: $ty:ty),*) -> $ret:ty {
            $( $fam:ident($path:ty), )*
        }
    ) => {
        families!(@ [$($arg),*] $(#[$m])* $name ($($arg: $ty),*) -> $ret { $( $fam($path), )* });
    };
    (
        @ $args:tt
        $(#[$m:meta])*
        $name:ident ($($arg:ident: $ty:ty),*) -> $ret:ty {
            $( $fam:ident($path:ty), )*
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $( $fam($path), )*
        }

        impl $name {
            /// The operator's result.
            #[inline]
            pub fn apply(self, $($arg: $ty),*) -> $ret {
                match self {
                    $( Self::$fam(op) => families!(@call op $args), )*
                }
            }

            /// The operator `op` stands for, if it is one of these.
            pub fn decode(op: &wasmparser::Operator<'_>) -> Option<Self> {
                None $( .or_else(|| <$path>::decode(op).map(Self::$fam)) )*
            }
        }
    };
    (@call $op:ident [$($a:ident),*]) => {
        $op.apply($($a),*)
    };
}

pub mod bitwise;
pub mod compare;
pub mod convert;
pub mod float_arith;
pub mod int_arith;
pub mod lane_access;
pub mod lanes;
pub mod memory;
pub mod narrow_widen;
pub mod relaxed;
pub mod shift;
pub mod test;

pub use bitwise::TernOp;
pub use lane_access::{ExtractOp, ReplaceOp, SplatOp};
pub use memory::LoadKind;
pub use relaxed::RelaxedOp;
pub use shift::ShiftOp;
pub use test::TestOp;

families! {
    /// Operators of one `v128` operand and a `v128` result.
    pub enum UnOp(a: u128) -> u128 {
        Bitwise(bitwise::UnOp),
        Int(int_arith::UnOp),
        Float(float_arith::UnOp),
        Convert(convert::UnOp),
        Widen(narrow_widen::UnOp),
    }
}

families! {
    /// Operators of two `v128` operands and a `v128` result.
    pub enum BinOp(a: u128, b: u128) -> u128 {
        Bitwise(bitwise::BinOp),
        Int(int_arith::BinOp),
        Float(float_arith::BinOp),
        Compare(compare::BinOp),
        Narrow(narrow_widen::BinOp),
        Lane(lane_access::BinOp),
    }
}

/// The result of a unary operator.
pub fn unary(op: UnOp, a: u128) -> u128 {
    op.apply(a)
}

/// The result of a binary operator.
pub fn binary(op: BinOp, a: u128, b: u128) -> u128 {
    op.apply(a, b)
}

/// The result of a ternary operator.
pub fn ternary(op: TernOp, a: u128, b: u128, c: u128) -> u128 {
    op.apply(a, b, c)
}

/// The result of a shift by `count` (taken modulo the lane width).
pub fn shift(op: ShiftOp, a: u128, count: u32) -> u128 {
    op.apply(a, count)
}

/// A scalar slot splatted to every lane.
pub fn splat(op: SplatOp, x: u64) -> u128 {
    op.apply(x)
}

/// A lane as a scalar slot.
pub fn extract(op: ExtractOp, a: u128, lane: u8) -> u64 {
    op.apply(a, lane)
}

/// `a` with one lane replaced by a scalar slot.
pub fn replace(op: ReplaceOp, a: u128, lane: u8, x: u64) -> u128 {
    op.apply(a, lane, x)
}

/// An `i32` result of a test.
pub fn test(op: TestOp, a: u128) -> u32 {
    op.apply(a)
}

/// `i8x16.shuffle`: lane `i` of the result is lane `lanes[i]` of `a ++ b`.
pub fn shuffle(a: u128, b: u128, lanes: &[u8; 16]) -> u128 {
    lane_access::shuffle(a, b, lanes)
}

/// The `v128` a load produces from memory `data` at `addr + offset`.
///
/// # Errors
/// "out of bounds memory access" when the bytes read are not all inside.
pub fn load(kind: LoadKind, data: &[u8], addr: u64, offset: u64) -> Result<u128, TrapKind> {
    kind.apply(data, addr, offset)
}

/// The result of a relaxed operator on its operands (`a` first; unused
/// ones are zero), its implementation-dependent choices made by `choices`.
pub fn relaxed(op: RelaxedOp, choices: &mut Choices, a: u128, b: u128, c: u128) -> u128 {
    op.apply(choices, a, b, c)
}

/// Translates a vector operator, or `None` if `op` is not one. Memory
/// operands go through [`super::translate::mem_arg`] (a `None`
/// from it becomes [`Instr::MemoryOutOfBounds`]); `v128.const` and
/// `i8x16.shuffle` are translated by the caller, which keeps their
/// immediates in the function's code.
pub(crate) fn decode(op: &Operator<'_>) -> Option<Instr> {
    let mem = |m: &wasmparser::MemArg, make: &dyn Fn(super::instr::MemArg) -> Instr| {
        mem_arg(m).map_or(Instr::MemoryOutOfBounds, make)
    };
    Some(match *op {
        Operator::V128Store { ref memarg } => mem(memarg, &Instr::V128Store),
        Operator::V128Load8Lane { ref memarg, lane } => {
            mem(memarg, &|m| Instr::V128LoadLane(1, lane, m))
        }
        Operator::V128Load16Lane { ref memarg, lane } => {
            mem(memarg, &|m| Instr::V128LoadLane(2, lane, m))
        }
        Operator::V128Load32Lane { ref memarg, lane } => {
            mem(memarg, &|m| Instr::V128LoadLane(4, lane, m))
        }
        Operator::V128Load64Lane { ref memarg, lane } => {
            mem(memarg, &|m| Instr::V128LoadLane(8, lane, m))
        }
        Operator::V128Store8Lane { ref memarg, lane } => {
            mem(memarg, &|m| Instr::V128StoreLane(1, lane, m))
        }
        Operator::V128Store16Lane { ref memarg, lane } => {
            mem(memarg, &|m| Instr::V128StoreLane(2, lane, m))
        }
        Operator::V128Store32Lane { ref memarg, lane } => {
            mem(memarg, &|m| Instr::V128StoreLane(4, lane, m))
        }
        Operator::V128Store64Lane { ref memarg, lane } => {
            mem(memarg, &|m| Instr::V128StoreLane(8, lane, m))
        }
        _ => {
            if let Some((kind, memarg)) = LoadKind::decode(op) {
                mem(memarg, &|m| Instr::V128Load(kind, m))
            } else if let Some((op, lane)) = ExtractOp::decode(op) {
                Instr::V128Extract(op, lane)
            } else if let Some((op, lane)) = ReplaceOp::decode(op) {
                Instr::V128Replace(op, lane)
            } else if let Some(op) = UnOp::decode(op) {
                Instr::V128Unary(op)
            } else if let Some(op) = BinOp::decode(op) {
                Instr::V128Binary(op)
            } else if let Some(op) = TernOp::decode(op) {
                Instr::V128Ternary(op)
            } else if let Some(op) = ShiftOp::decode(op) {
                Instr::V128Shift(op)
            } else if let Some(op) = SplatOp::decode(op) {
                Instr::V128Splat(op)
            } else if let Some(op) = TestOp::decode(op) {
                Instr::V128Test(op)
            } else if let Some(op) = RelaxedOp::decode(op) {
                Instr::V128Relaxed(op)
            } else {
                return None;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Choices, Config, Extern, Module, Relaxed, Store, Trap, Val};
    use alloc::vec;
    use alloc::vec::Vec;

    fn no_host(
        _: &mut Store,
        _: super::super::FuncAddr,
        _: u32,
        _: &[Val],
    ) -> Result<Vec<Val>, Trap> {
        Ok(Vec::new())
    }

    /// Calls export `name` of the module in a store with `choices`.
    fn call(choices: Choices, wat: &str, name: &str, args: &[Val]) -> Result<Vec<Val>, Trap> {
        let bytes = wat::parse_str(wat).expect("test module parses");
        let module = Module::new(&bytes).expect("test module is valid");
        let mut store = Store::new(Config::default());
        store.set_choices(choices);
        let inst = store
            .instantiate(&module, &[])
            .expect("instantiates")
            .instance;
        let Some(Extern::Func(f)) = store.instance_export(inst, name) else {
            panic!("no export {name}");
        };
        store.call(f, args, &mut no_host).map_err(|e| match e {
            super::super::CallError::Trap(t) => t,
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn relaxed_operators_ask_the_stores_choices() {
        let wat = r#"(module
          (func (export "swizzle") (param v128 v128) (result v128)
            (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
          (func (export "madd") (param v128 v128 v128) (result v128)
            (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))))"#;
        let a = Val::V128(0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100);
        let idx = Val::V128(0x11);
        let det = call(Choices::default(), wat, "swizzle", &[a, idx]);
        assert_eq!(det, Ok(vec![Val::V128(0)]));
        let mut other = Choices::default();
        other.set_relaxed(Relaxed::Swizzle, 1);
        assert_eq!(
            call(other, wat, "swizzle", &[a, idx]),
            Ok(vec![Val::V128(1)])
        );

        let x = Val::V128((1.0f32 + f32::EPSILON).to_bits() as u128);
        let y = Val::V128((1.0f32 - f32::EPSILON).to_bits() as u128);
        let z = Val::V128((-1.0f32).to_bits() as u128);
        assert_eq!(
            call(Choices::default(), wat, "madd", &[x, y, z]),
            Ok(vec![Val::V128(0)])
        );
        let mut fused = Choices::default();
        fused.set_relaxed(Relaxed::Fmadd, 1);
        let e = -(f32::EPSILON * f32::EPSILON);
        assert_eq!(
            call(fused, wat, "madd", &[x, y, z]),
            Ok(vec![Val::V128(e.to_bits() as u128)])
        );
    }

    #[test]
    fn vector_shapes_through_the_loop() {
        let wat = r#"(module (memory 1)
          (func (export "f") (param i32) (result i32 i64 v128)
            (v128.store offset=16 (i32.const 0) (i32x4.splat (local.get 0)))
            (i8x16.bitmask (i8x16.shl (v128.load8x8_s offset=16 (i32.const 0)) (i32.const 8)))
            (i64x2.extract_lane 1 (i64x2.replace_lane 1 (v128.const i64x2 0 0) (i64.const -2)))
            (v128.load32_lane offset=16 2 (i32.const 4)
              (i8x16.shuffle 16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31
                (v128.bitselect (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)
                                (v128.const i8x16 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2)
                                (v128.const i64x2 -1 0))
                (v128.const i8x16 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 7)))))"#;
        let r = call(Choices::default(), wat, "f", &[Val::I32(-1)]).expect("runs");
        // The shift count 8 is taken modulo 8: the lanes stay negative.
        assert_eq!(r[0], Val::I32(0xffff));
        assert_eq!(r[1], Val::I64(-2));
        assert_eq!(r[2], Val::V128(0x0702_0202_ffff_ffff_0101_0101_0101_0109));
        let oob = r#"(module (memory 1)
          (func (export "f") (result v128) (v128.load64_splat (i32.const 65530))))"#;
        let e = call(Choices::default(), oob, "f", &[]).expect_err("traps");
        assert_eq!(e.kind, super::TrapKind::OutOfBoundsMemoryAccess);
    }
}
