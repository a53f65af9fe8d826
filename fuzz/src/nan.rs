//! NaN canonicalisation for the float conversions that wasm-smith's
//! `canonicalize_nans` leaves alone.
//!
//! wasm-smith canonicalises the NaNs of float arithmetic, but not those of
//! `f32.demote_f64`, `f64.promote_f32`, `f32x4.demote_f64x2_zero` and
//! `f64x2.promote_low_f32x4`. The core spec lets these return any NaN
//! (§4.3.3 "NaN propagation": a canonical NaN of either sign for a canonical
//! input, an arithmetic NaN otherwise), so witness (positive canonical NaN)
//! and wasmi (the payload carried over) may both be right and still differ.
//! [`canonicalize_conversions`] rewrites every function body so that each of
//! these instructions is followed by the same sequence wasm-smith uses:
//! `local.tee t; NaN; local.get t; local.get t; eq; select` (a bitselect for
//! vectors), with three scratch locals added at the end of each function.

use wasm_encoder::reencode::{Error, Reencode, RoundtripReencoder, utils};
use wasm_encoder::{CodeSection, Function, Instruction, ValType};
use wasmparser::{FunctionBody, Operator, Parser, Payload};

/// The module with canonicalisation after every float conversion; `None`
/// if it does not parse.
pub fn canonicalize_conversions(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut r = Rewriter {
        params: params_of_defined_funcs(bytes)?,
        next: 0,
    };
    let mut module = wasm_encoder::Module::new();
    r.parse_core_module(&mut module, Parser::new(0), bytes)
        .ok()?;
    Some(module.finish())
}

/// The parameter count of each defined function, in order.
pub(crate) fn params_of_defined_funcs(bytes: &[u8]) -> Option<Vec<u32>> {
    let mut types: Vec<u32> = Vec::new();
    let mut funcs = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.ok()? {
            Payload::TypeSection(s) => {
                for t in s.into_iter_err_on_gc_types() {
                    types.push(t.ok()?.params().len() as u32);
                }
            }
            Payload::FunctionSection(s) => {
                for f in s {
                    funcs.push(*types.get(f.ok()? as usize)?);
                }
            }
            _ => {}
        }
    }
    Some(funcs)
}

struct Rewriter {
    params: Vec<u32>,
    /// The index of the next defined function's body.
    next: usize,
}

impl Reencode for Rewriter {
    type Error = std::convert::Infallible;

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        func: FunctionBody<'_>,
    ) -> Result<(), Error<Self::Error>> {
        let params = self.params.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        let mut locals = Vec::new();
        let mut count = params;
        for pair in func.get_locals_reader()? {
            let (n, ty) = pair?;
            count += n;
            locals.push((n, RoundtripReencoder.val_type(ty)?));
        }
        let (t32, t64, t128) = (count, count + 1, count + 2);
        locals.extend([(1, ValType::F32), (1, ValType::F64), (1, ValType::V128)]);
        let mut f = Function::new(locals);
        let mut reader = func.get_operators_reader()?;
        while !reader.eof() {
            let op = reader.read()?;
            let canon = match op {
                Operator::F32DemoteF64 => Some(0),
                Operator::F64PromoteF32 => Some(1),
                Operator::F32x4DemoteF64x2Zero => Some(2),
                Operator::F64x2PromoteLowF32x4 => Some(3),
                _ => None,
            };
            f.instruction(&utils::instruction(self, op)?);
            match canon {
                Some(0) => {
                    f.instruction(&Instruction::LocalTee(t32));
                    f.instruction(&Instruction::F32Const(f32::from_bits(0x7fc0_0000).into()));
                    f.instruction(&Instruction::LocalGet(t32));
                    f.instruction(&Instruction::LocalGet(t32));
                    f.instruction(&Instruction::F32Eq);
                    f.instruction(&Instruction::Select);
                }
                Some(1) => {
                    f.instruction(&Instruction::LocalTee(t64));
                    f.instruction(&Instruction::F64Const(
                        f64::from_bits(0x7ff8_0000_0000_0000).into(),
                    ));
                    f.instruction(&Instruction::LocalGet(t64));
                    f.instruction(&Instruction::LocalGet(t64));
                    f.instruction(&Instruction::F64Eq);
                    f.instruction(&Instruction::Select);
                }
                Some(k) => {
                    // bitselect(x, nan, x == x): x's lanes where they equal
                    // themselves, the canonical NaN elsewhere.
                    let (nan, eq) = if k == 2 {
                        (
                            0x7fc0_0000_7fc0_0000_7fc0_0000_7fc0_0000u128,
                            Instruction::F32x4Eq,
                        )
                    } else {
                        (
                            0x7ff8_0000_0000_0000_7ff8_0000_0000_0000u128,
                            Instruction::F64x2Eq,
                        )
                    };
                    f.instruction(&Instruction::LocalTee(t128));
                    f.instruction(&Instruction::V128Const(nan as i128));
                    f.instruction(&Instruction::LocalGet(t128));
                    f.instruction(&Instruction::LocalGet(t128));
                    f.instruction(&eq);
                    f.instruction(&Instruction::V128Bitselect);
                }
                None => {}
            }
        }
        code.function(&f);
        Ok(())
    }
}
