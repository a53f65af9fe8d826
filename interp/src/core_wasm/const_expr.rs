//! Constant expressions (core spec §3.3.10 "Constant Expressions"), with the
//! extended-constant arithmetic, evaluated at instantiation (§4.5.4).

use super::store::{FuncAddr, GlobalAddr, GlobalInst};
use super::value::encode_ref;
use alloc::vec::Vec;

/// One instruction of a constant expression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ConstOp {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    RefNull,
    RefFunc(u32),
    GlobalGet(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
}

/// A validated constant expression.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct ConstExpr(pub Vec<ConstOp>);

impl ConstExpr {
    /// Evaluates the expression, to its slots as one number (see
    /// `Val::bits`), in a module instance under construction whose
    /// functions and globals so far are given. Validation guarantees one
    /// result and in-range indices; should either fail, the result is zero
    /// rather than a panic.
    pub(crate) fn eval(
        &self,
        funcs: &[FuncAddr],
        globals: &[GlobalAddr],
        store_globals: &[GlobalInst],
    ) -> u128 {
        let mut stack: Vec<u128> = Vec::with_capacity(2);
        for op in &self.0 {
            let v = match *op {
                ConstOp::I32(v) => v as u32 as u128,
                ConstOp::I64(v) => v as u64 as u128,
                ConstOp::F32(v) => v as u128,
                ConstOp::F64(v) => v as u128,
                ConstOp::V128(v) => v,
                ConstOp::RefNull => 0,
                ConstOp::RefFunc(i) => encode_ref(funcs.get(i as usize).map(|f| f.0)) as u128,
                ConstOp::GlobalGet(i) => globals
                    .get(i as usize)
                    .and_then(|g| store_globals.get(g.0 as usize))
                    .map_or(0, |g| g.value),
                bin => {
                    let b = stack.pop().unwrap_or(0);
                    let a = stack.pop().unwrap_or(0);
                    let (a32, b32, a64, b64) = (a as u32, b as u32, a as u64, b as u64);
                    match bin {
                        ConstOp::I32Add => a32.wrapping_add(b32) as u128,
                        ConstOp::I32Sub => a32.wrapping_sub(b32) as u128,
                        ConstOp::I32Mul => a32.wrapping_mul(b32) as u128,
                        ConstOp::I64Add => a64.wrapping_add(b64) as u128,
                        ConstOp::I64Sub => a64.wrapping_sub(b64) as u128,
                        _ => a64.wrapping_mul(b64) as u128,
                    }
                }
            };
            stack.push(v);
        }
        stack.pop().unwrap_or(0)
    }
}
