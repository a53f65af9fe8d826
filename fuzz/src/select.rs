//! A rewrite of `select` into `if`/`else`, the same semantics without the
//! instruction (core spec §4.4.4 "Parametric Instructions": `select`
//! returns its first operand when the condition is not zero, else the
//! second).
//!
//! [`exec_diff`](crate::exec_diff) uses it to tell a bug of wasmi's
//! `select` (FINDINGS.md W1, W3) from a divergence: when the two engines
//! disagree on a module, and agree once its `select`s are rewritten (with
//! witness giving the same answers on both forms), wasmi's `select` was the
//! odd one out.

use wasm_encoder::reencode::{Error, Reencode, RoundtripReencoder, utils};
use wasm_encoder::{BlockType, CodeSection, Function, Instruction};
use wasmparser::{
    FuncValidatorAllocations, FunctionBody, Operator, Parser, ValType, ValidPayload, Validator,
    WasmFeatures,
};

/// Whether any function uses `select`.
pub fn has_select(bytes: &[u8]) -> bool {
    use wasmparser::Payload;
    Parser::new(0).parse_all(bytes).any(|p| {
        let Ok(Payload::CodeSectionEntry(body)) = p else {
            return false;
        };
        let Ok(mut ops) = body.get_operators_reader() else {
            return false;
        };
        while !ops.eof() {
            match ops.read() {
                Ok(Operator::Select | Operator::TypedSelect { .. }) => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        false
    })
}

/// The module with every reachable `select` rewritten as
/// `local.set c; local.set b; local.set a; local.get c; if (result t)
/// local.get a else local.get b end`; `None` if it does not validate.
pub fn without_select(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut r = Rewriter {
        types: select_types(bytes)?,
        params: crate::nan::params_of_defined_funcs(bytes)?,
        next: 0,
    };
    let mut module = wasm_encoder::Module::new();
    r.parse_core_module(&mut module, Parser::new(0), bytes)
        .ok()?;
    Some(module.finish())
}

/// For each defined function, the operand type of each of its `select`s
/// (`None` where the code is unreachable and the type unknown).
fn select_types(bytes: &[u8]) -> Option<Vec<Vec<Option<ValType>>>> {
    let mut validator = Validator::new_with_features(WasmFeatures::default());
    let mut all = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.ok()?;
        if let ValidPayload::Func(func, body) = validator.payload(&payload).ok()? {
            let mut v = func.into_validator(FuncValidatorAllocations::default());
            let mut locals = body.get_locals_reader().ok()?;
            for _ in 0..locals.get_count() {
                let offset = locals.original_position();
                let (count, ty) = locals.read().ok()?;
                v.define_locals(offset, count, ty).ok()?;
            }
            let mut ops = body.get_operators_reader().ok()?;
            let mut types = Vec::new();
            while !ops.eof() {
                let (op, offset) = ops.read_with_offset().ok()?;
                match op {
                    // The validator's type of a reference is canonicalised
                    // (no longer a type index of this module): take typed
                    // selects' types from their immediates.
                    Operator::TypedSelect { ty } => types.push(Some(ty)),
                    // In unreachable code the operand at depth 1 may be
                    // below the frame (the validator's peek does not stop
                    // there): leave such a `select` as it is.
                    Operator::Select => types.push(match v.get_control_frame(0) {
                        Some(f) if !f.unreachable => v.get_operand_type(1).flatten(),
                        _ => None,
                    }),
                    _ => {}
                }
                v.op(offset, &op).ok()?;
            }
            all.push(types);
        }
    }
    Some(all)
}

struct Rewriter {
    types: Vec<Vec<Option<ValType>>>,
    /// The parameter count of each defined function.
    params: Vec<u32>,
    next: usize,
}

impl Reencode for Rewriter {
    type Error = std::convert::Infallible;

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        func: FunctionBody<'_>,
    ) -> Result<(), Error<Self::Error>> {
        let types = self.types.get(self.next).cloned().unwrap_or_default();
        let params = self.params.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        // Locals: the function's own, then per operand type two scratch
        // locals (a, b), then one i32 for the condition.
        let mut locals = Vec::new();
        let mut count = 0u32;
        for pair in func.get_locals_reader()? {
            let (n, ty) = pair?;
            count += n;
            locals.push((n, RoundtripReencoder.val_type(ty)?));
        }
        let mut scratch: Vec<ValType> = Vec::new();
        for t in types.iter().flatten() {
            if !scratch.contains(t) {
                scratch.push(*t);
            }
        }
        let base = params + count;
        for t in &scratch {
            locals.push((2, RoundtripReencoder.val_type(*t)?));
        }
        let cond = base + 2 * scratch.len() as u32;
        locals.push((1, wasm_encoder::ValType::I32));
        let mut f = Function::new(locals);
        let mut reader = func.get_operators_reader()?;
        let mut k = 0;
        while !reader.eof() {
            let op = reader.read()?;
            if matches!(op, Operator::Select | Operator::TypedSelect { .. }) {
                let t = types.get(k).copied().flatten();
                k += 1;
                if let Some(t) = t {
                    let i = scratch.iter().position(|s| *s == t).unwrap_or(0) as u32;
                    let (a, b) = (base + 2 * i, base + 2 * i + 1);
                    f.instruction(&Instruction::LocalSet(cond));
                    f.instruction(&Instruction::LocalSet(b));
                    f.instruction(&Instruction::LocalSet(a));
                    f.instruction(&Instruction::LocalGet(cond));
                    f.instruction(&Instruction::If(BlockType::Result(
                        RoundtripReencoder.val_type(t)?,
                    )));
                    f.instruction(&Instruction::LocalGet(a));
                    f.instruction(&Instruction::Else);
                    f.instruction(&Instruction::LocalGet(b));
                    f.instruction(&Instruction::End);
                    continue;
                }
            }
            f.instruction(&utils::instruction(self, op)?);
        }
        code.function(&f);
        Ok(())
    }
}
