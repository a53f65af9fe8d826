//! Tests of the fused instructions (see `fused`): each computes, jumps
//! and traps as the instructions it folds would, at their offsets.

use super::tests::{func, instantiate, no_host};
use super::*;
use alloc::vec;

#[test]
fn fusion_never_swallows_a_jump_target() {
    let mut store = Store::new(Config::default());
    let inst = instantiate(
        &mut store,
        r#"(module
            (func (export "f") (param $p i32) (result i32) (local $x i32)
              (block $b (result i32)
                (i32.const 7)
                (br_if $b (local.get $p))
                (drop)
                (i32.add (local.get $p) (local.get $p)))
              ;; The branch lands here, on the `local.set`: it must not be
              ;; folded into the `i32.add` before it.
              (local.set $x)
              (local.get $x))
            (func (export "count") (param $n i64) (result i64) (local $i i64) (local $s i64)
              (loop $l
                (local.set $s (i64.add (local.get $s) (local.get $i)))
                (local.set $i (i64.add (local.get $i) (i64.const 1)))
                (br_if $l (i64.lt_u (local.get $i) (local.get $n))))
              (local.get $s)))"#,
        &[],
    );
    let f = func(&store, inst, "f");
    assert_eq!(
        store.call(f, &[Val::I32(5)], &mut no_host),
        Ok(vec![Val::I32(7)])
    );
    assert_eq!(
        store.call(f, &[Val::I32(0)], &mut no_host),
        Ok(vec![Val::I32(0)])
    );
    let count = func(&store, inst, "count");
    assert_eq!(
        store.call(count, &[Val::I64(100)], &mut no_host),
        Ok(vec![Val::I64(4950)])
    );
    // The loop's body is three fused instructions.
    let code = store.code(count).cloned().unwrap_or_default();
    assert!(
        matches!(
            code.instrs[..],
            [
                super::instr::Instr::BinLLSet(..),
                super::instr::Instr::I64AddLCSet(..),
                super::instr::Instr::JumpIfLtU(..),
                ..
            ]
        ),
        "{:?}",
        code.instrs
    );
}

#[test]
fn a_loop_with_its_exit_test_on_top_takes_one_instruction_per_back_edge() {
    use super::instr::Instr;
    let mut store = Store::new(Config::default());
    let inst = instantiate(
        &mut store,
        r#"(module
            (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
              (block $d (loop $l
                (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $s (i32.add (local.get $s) (local.get $i)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $l)))
              (local.get $s))
            ;; The test on top is an `if`; the loop carries a value.
            (func (export "halve") (param $n i32) (result i32)
              (local.get $n)
              (loop $l (param i32) (result i32)
                (if (param i32) (result i32) (i32.gt_u (local.get $n) (i32.const 1))
                  (then
                    (local.set $n (i32.shr_u (local.get $n) (i32.const 1)))
                    (i32.add (i32.const 1))
                    (br $l)))))
          )"#,
        &[],
    );
    let sum = func(&store, inst, "sum");
    for (n, s) in [(0, 0), (1, 0), (100, 4950)] {
        assert_eq!(
            store.call(sum, &[Val::I32(n)], &mut no_host),
            Ok(vec![Val::I32(s)])
        );
    }
    let halve = func(&store, inst, "halve");
    assert_eq!(
        store.call(halve, &[Val::I32(64)], &mut no_host),
        Ok(vec![Val::I32(70)])
    );
    // `br $l` became the inverted test (with the step before it),
    // jumping past the loop's own test, and a jump to that test for the
    // way out.
    let code = store.code(sum).cloned().unwrap_or_default();
    assert!(
        matches!(
            code.instrs[..],
            [
                Instr::JumpUnlessLtU(i, n, _),
                Instr::BinLLSet(..),
                Instr::StepJumpIfLtU(1, i2, n2, 1),
                Instr::Jump(0),
                ..
            ] if (i, n) == (i2, n2)
        ),
        "{:?}",
        code.instrs
    );
}

/// The byte offset in `wasm` of the first operator of function body
/// `body` that `is` picks.
fn operator_offset(wasm: &[u8], body: usize, is: fn(&wasmparser::Operator<'_>) -> bool) -> u32 {
    let bodies = wasmparser::Parser::new(0)
        .parse_all(wasm)
        .filter_map(|p| match p {
            Ok(wasmparser::Payload::CodeSectionEntry(b)) => Some(b),
            _ => None,
        });
    let b = bodies.into_iter().nth(body).expect("the body exists");
    let mut ops = b.get_operators_reader().expect("the body reads");
    while !ops.eof() {
        let (op, at) = ops.read_with_offset().expect("the operator reads");
        if is(&op) {
            return at as u32;
        }
    }
    panic!("no such operator")
}

#[test]
fn an_accumulating_load_is_one_instruction_and_traps_at_the_load() {
    use super::fused::Pair;
    use super::instr::Instr;
    let wat = r#"(module
        (memory 1)
        (data (i32.const 0) "\ff\ff\ff\ff\01\00\00\00")
        (func (export "sum64") (param $p i32) (param $end i32) (result i64) (local $s i64)
          (block $d (loop $l
            (br_if $d (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $s (i64.add (local.get $s) (i64.load32_u offset=0 (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $l)))
          (local.get $s))
        ;; An i32 sum wraps at 32 bits; the loaded bytes are sign-extended.
        (func (export "sum8") (param $p i32) (param $n i32) (result i32) (local $s i32)
          (block $d (loop $l
            (br_if $d (i32.eqz (local.get $n)))
            (local.set $s (i32.add (local.get $s) (i32.load8_s offset=1 (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $l)))
          (local.get $s))
        ;; The same operands in another order do not fold: the load first.
        (func (export "sub") (param $p i32) (param $s i32) (result i32)
          (local.set $s (i32.sub (local.get $s) (i32.load (local.get $p))))
          (local.get $s))
        ;; The i32 sum of i32 loads has its own instruction.
        (func (export "sum32") (param $p i32) (param $s i32) (result i32)
          (local.set $s (i32.add (local.get $s) (i32.load offset=4 (local.get $p))))
          (local.get $s)))"#;
    let bytes = wat::parse_str(wat).expect("test module parses");
    let mut store = Store::new(Config::default());
    let inst = instantiate(&mut store, wat, &[]);
    let sum64 = func(&store, inst, "sum64");
    assert_eq!(
        store.call(sum64, &[Val::I32(0), Val::I32(8)], &mut no_host),
        Ok(vec![Val::I64(0x1_0000_0000)])
    );
    // The whole loop body: the accumulating load with the back edge.
    let code = store.code(sum64).cloned().unwrap_or_default();
    assert!(
        code.instrs
            .iter()
            .any(|i| matches!(i, Instr::LoadAddLoopI64U32IfLtU(4, ps, 1, 0) if Some(*ps) == Pair::new(0, 2))),
        "{:?}",
        code.instrs
    );
    let sum8 = func(&store, inst, "sum8");
    assert_eq!(
        store.call(sum8, &[Val::I32(0), Val::I32(3)], &mut no_host),
        Ok(vec![Val::I32(-3)])
    );
    let sub = func(&store, inst, "sub");
    assert_eq!(
        store.call(sub, &[Val::I32(4), Val::I32(10)], &mut no_host),
        Ok(vec![Val::I32(9)])
    );
    let sum32 = func(&store, inst, "sum32");
    assert_eq!(
        store.call(sum32, &[Val::I32(0), Val::I32(i32::MAX)], &mut no_host),
        Ok(vec![Val::I32(i32::MIN)])
    );
    let code = store.code(sum32).cloned().unwrap_or_default();
    assert!(
        code.instrs
            .iter()
            .any(|i| matches!(i, Instr::LoadAddSetI32(..))),
        "{:?}",
        code.instrs
    );
    let Err(CallError::Trap(t)) = store.call(sum32, &[Val::I32(65532), Val::I32(0)], &mut no_host)
    else {
        panic!("expected a trap")
    };
    assert_eq!(t.message(), "out of bounds memory access");
    // The trap is the load's, at the load's offset.
    let Err(CallError::Trap(t)) =
        store.call(sum64, &[Val::I32(65532), Val::I32(65540)], &mut no_host)
    else {
        panic!("expected a trap")
    };
    assert_eq!(t.message(), "out of bounds memory access");
    let load = operator_offset(&bytes, 0, |op| {
        matches!(op, wasmparser::Operator::I64Load32U { .. })
    });
    assert_eq!(t.backtrace[0].offset, load);
}

/// A load whose address local is read below an operand (`BinLS`) keeps
/// its own offset for the backtrace, not the operator's.
#[test]
fn a_load_folded_below_an_operator_traps_at_the_load() {
    let wat = r#"(module
        (memory 1)
        (func (export "f") (param $p i32) (param $s i32) (result i32)
          (i32.mul (local.get $s) (i32.load (local.get $p)))))"#;
    let bytes = wat::parse_str(wat).expect("test module parses");
    let mut store = Store::new(Config::default());
    let inst = instantiate(&mut store, wat, &[]);
    let f = func(&store, inst, "f");
    let Err(CallError::Trap(t)) = store.call(f, &[Val::I32(65535), Val::I32(2)], &mut no_host)
    else {
        panic!("expected a trap")
    };
    let load = operator_offset(&bytes, 0, |op| {
        matches!(op, wasmparser::Operator::I32Load { .. })
    });
    assert_eq!(t.backtrace[0].offset, load);
}

#[test]
fn conditional_branches_to_the_function_label_return() {
    let mut store = Store::new(Config::default());
    let inst = instantiate(
        &mut store,
        r#"(module
            (func (export "br_if") (param $x i32) (result i32)
              (i32.const 1) (i32.const 2)
              (br_if 0 (i32.const 10) (local.get $x))
              (drop) (drop) (drop)
              (i32.const 20))
            (func (export "br_table") (param $x i32) (result i32)
              (block (result i32)
                (i32.const 5) (i32.const 6)
                (br_table 0 1 (local.get $x)))
              (i32.add (i32.const 100)))
            (func (export "br_on_null") (param $r funcref) (result i32)
              (i32.const 3)
              (i32.const 7)
              (br_on_null 0 (local.get $r))
              (drop) (drop) (drop)
              (i32.const 8)))"#,
        &[],
    );
    let cases: [(&str, Val, i32); 6] = [
        ("br_if", Val::I32(1), 10),
        ("br_if", Val::I32(0), 20),
        ("br_table", Val::I32(0), 106),
        ("br_table", Val::I32(1), 6),
        ("br_on_null", Val::FuncRef(None), 7),
        (
            "br_on_null",
            Val::FuncRef(Some(func(&store, inst, "br_if"))),
            8,
        ),
    ];
    for (name, arg, result) in cases {
        let f = func(&store, inst, name);
        assert_eq!(
            store.call(f, &[arg], &mut no_host),
            Ok(vec![Val::I32(result)]),
            "{name}"
        );
    }
}

/// Every integer comparison a fused jump tests, by its text name; the
/// `i32` ones first.
const COMPARISONS: [(&str, super::fused::IntBin); 20] = {
    use super::fused::IntBin;
    [
        ("i32.eq", IntBin::I32Eq),
        ("i32.ne", IntBin::I32Ne),
        ("i32.lt_s", IntBin::I32LtS),
        ("i32.lt_u", IntBin::I32LtU),
        ("i32.gt_s", IntBin::I32GtS),
        ("i32.gt_u", IntBin::I32GtU),
        ("i32.le_s", IntBin::I32LeS),
        ("i32.le_u", IntBin::I32LeU),
        ("i32.ge_s", IntBin::I32GeS),
        ("i32.ge_u", IntBin::I32GeU),
        ("i64.eq", IntBin::I64Eq),
        ("i64.ne", IntBin::I64Ne),
        ("i64.lt_s", IntBin::I64LtS),
        ("i64.lt_u", IntBin::I64LtU),
        ("i64.gt_s", IntBin::I64GtS),
        ("i64.gt_u", IntBin::I64GtU),
        ("i64.le_s", IntBin::I64LeS),
        ("i64.le_u", IntBin::I64LeU),
        ("i64.ge_s", IntBin::I64GeS),
        ("i64.ge_u", IntBin::I64GeU),
    ]
};

/// Every comparison a fused jump tests, of two locals or of a local and a
/// constant, specialised or not, jumps as the comparison's value says,
/// both as `br_if` and as `if`; and a constant subtracted is added
/// negated, but for the least one.
#[test]
fn specialised_jumps_and_adds_compute_as_the_operators() {
    let values: [i64; 7] = [0, 1, -1, 5, i32::MIN as i64, i32::MAX as i64, i64::MIN];
    let constants: [i32; 6] = [0, 1, -1, 5, i32::MAX - 1, i32::MAX];
    for (name, op) in COMPARISONS {
        let t = &name[..3];
        // The second operand: local $b, or a constant.
        let operands = core::iter::once(alloc::string::String::from("(local.get $b)"))
            .chain(constants.iter().map(|c| alloc::format!("({t}.const {c})")));
        for (k, b) in operands.enumerate() {
            let wat = alloc::format!(
                r#"(module
                    (func (export "br_if") (param $a {t}) (param $b {t}) (result i32)
                      (block $d (br_if $d ({name} (local.get $a) {b})) (return (i32.const 0)))
                      (i32.const 1))
                    (func (export "if") (param $a {t}) (param $b {t}) (result i32)
                      (if (result i32) ({name} (local.get $a) {b})
                        (then (i32.const 1)) (else (i32.const 0)))))"#
            );
            let mut store = Store::new(Config::default());
            let inst = instantiate(&mut store, &wat, &[]);
            for export in ["br_if", "if"] {
                let f = func(&store, inst, export);
                for &a in &values {
                    for &b in &values {
                        let b = match k {
                            0 => b,
                            k => constants[k - 1] as i64,
                        };
                        let (args, slots) = if op.wide() {
                            ([Val::I64(a), Val::I64(b)], (a as u64, b as u64))
                        } else {
                            let (a, b) = (a as i32, b as i32);
                            (
                                [Val::I32(a), Val::I32(b)],
                                (a as u32 as u64, b as u32 as u64),
                            )
                        };
                        let expected = op.apply(slots.0, slots.1) as i32;
                        assert_eq!(
                            store.call(f, &args, &mut no_host),
                            Ok(vec![Val::I32(expected)]),
                            "{export} {name} {a} {b}"
                        );
                    }
                }
            }
        }
    }
    let mut store = Store::new(Config::default());
    let inst = instantiate(
        &mut store,
        r#"(module
            (func (export "sub32") (param $x i32) (result i32)
              (local.set $x (i32.sub (local.get $x) (i32.const -2147483648)))
              (local.set $x (i32.sub (local.get $x) (i32.const 3)))
              (local.get $x))
            (func (export "sub64") (param $x i64) (result i64)
              (local.set $x (i64.sub (local.get $x) (i64.const -2147483648)))
              (local.set $x (i64.add (local.get $x) (i64.const -1)))
              (local.get $x))
            ;; The same, pushed.
            (func (export "sub32_push") (param $x i32) (result i32)
              (i32.sub (i32.sub (local.get $x) (i32.const -2147483648)) (i32.const 3)))
            (func (export "sub64_push") (param $x i64) (result i64)
              (i64.sub (local.get $x) (i64.const 7))))"#,
        &[],
    );
    let sub32 = func(&store, inst, "sub32");
    assert_eq!(
        store.call(sub32, &[Val::I32(1)], &mut no_host),
        Ok(vec![Val::I32(i32::MIN.wrapping_sub(2))])
    );
    let sub64 = func(&store, inst, "sub64");
    assert_eq!(
        store.call(sub64, &[Val::I64(1)], &mut no_host),
        Ok(vec![Val::I64(2147483648)])
    );
    let sub32_push = func(&store, inst, "sub32_push");
    assert_eq!(
        store.call(sub32_push, &[Val::I32(1)], &mut no_host),
        Ok(vec![Val::I32(i32::MIN.wrapping_sub(2))])
    );
    let sub64_push = func(&store, inst, "sub64_push");
    assert_eq!(
        store.call(sub64_push, &[Val::I64(3)], &mut no_host),
        Ok(vec![Val::I64(-4)])
    );
}

/// A load into a local (`local.set`, `local.tee`) is one instruction,
/// which traps at the load's offset.
#[test]
fn a_load_into_a_local_is_one_instruction_and_traps_at_the_load() {
    use super::instr::Instr;
    let wat = r#"(module
        (memory 1)
        (data (i32.const 0) "\01\02\03\04\05\06\07\80")
        (func (export "set") (param $p i32) (result i32) (local $x i32)
          (local.set $x (i32.load offset=4 (local.get $p)))
          (local.get $x))
        (func (export "tee") (param $p i32) (result i32) (local $x i32)
          (i32.add (local.tee $x (i32.load16_s offset=6 (local.get $p))) (local.get $x))))"#;
    let bytes = wat::parse_str(wat).expect("test module parses");
    let mut store = Store::new(Config::default());
    let inst = instantiate(&mut store, wat, &[]);
    for (name, expected, fused, load) in [
        (
            "set",
            0x8007_0605_u32 as i32,
            (|i: &Instr| matches!(i, Instr::LoadLSet(..))) as fn(&Instr) -> bool,
            (|op: &wasmparser::Operator<'_>| matches!(op, wasmparser::Operator::I32Load { .. }))
                as fn(&wasmparser::Operator<'_>) -> bool,
        ),
        (
            "tee",
            2 * (0x8007_u16 as i16 as i32),
            |i| matches!(i, Instr::LoadLTee(..)),
            |op| matches!(op, wasmparser::Operator::I32Load16S { .. }),
        ),
    ] {
        let f = func(&store, inst, name);
        assert_eq!(
            store.call(f, &[Val::I32(0)], &mut no_host),
            Ok(vec![Val::I32(expected)]),
            "{name}"
        );
        let code = store.code(f).cloned().unwrap_or_default();
        assert!(code.instrs.iter().any(fused), "{:?}", code.instrs);
        let Err(CallError::Trap(t)) = store.call(f, &[Val::I32(65534)], &mut no_host) else {
            panic!("expected a trap")
        };
        let body = if name == "set" { 0 } else { 1 };
        assert_eq!(t.backtrace[0].offset, operator_offset(&bytes, body, load));
    }
}

/// An integer operator's result that a `local.tee` keeps is in both the
/// local and on the stack, whichever operands the operator folded.
#[test]
fn an_operator_into_a_local_tee_is_one_instruction() {
    use super::instr::Instr;
    let mut store = Store::new(Config::default());
    let inst = instantiate(
        &mut store,
        r#"(module
            (func (export "ll") (param $a i32) (param $b i32) (result i32) (local $x i32)
              (i32.mul (local.tee $x (i32.sub (local.get $a) (local.get $b))) (local.get $x)))
            (func (export "lc") (param $a i64) (param $b i64) (result i64) (local $x i64)
              (i64.add (local.tee $x (i64.shl (local.get $a) (i64.const 3))) (local.get $x)))
            (func (export "sc") (param $a i32) (param $b i32) (result i32) (local $x i32)
              (i32.add
                (local.tee $x (i32.xor (i32.mul (local.get $a) (local.get $b)) (i32.const -1)))
                (local.get $x)))
            (func (export "s") (param $a i32) (param $b i32) (result i32) (local $x i32)
              (i32.sub
                (local.tee $x
                  (i32.shr_s (i32.mul (local.get $a) (local.get $a)) (i32.add (local.get $b) (local.get $b))))
                (i32.mul (local.get $x) (i32.const 3)))))"#,
        &[],
    );
    let cases: [(&str, [Val; 2], Val, fn(&Instr) -> bool); 4] = [
        ("ll", [Val::I32(3), Val::I32(10)], Val::I32(49), |i| {
            matches!(i, Instr::BinLLTee(..))
        }),
        ("lc", [Val::I64(-5), Val::I64(0)], Val::I64(-80), |i| {
            matches!(i, Instr::BinLCTee(..))
        }),
        ("sc", [Val::I32(6), Val::I32(7)], Val::I32(-86), |i| {
            matches!(i, Instr::BinSCTee(..))
        }),
        ("s", [Val::I32(-9), Val::I32(1)], Val::I32(-40), |i| {
            matches!(i, Instr::BinTee(..))
        }),
    ];
    for (name, args, result, fused) in cases {
        let f = func(&store, inst, name);
        assert_eq!(
            store.call(f, &args, &mut no_host),
            Ok(vec![result]),
            "{name}"
        );
        let code = store.code(f).cloned().unwrap_or_default();
        assert!(code.instrs.iter().any(fused), "{name}: {:?}", code.instrs);
    }
}

/// A loop's step (`i32.add` of a small constant to a local) folded into
/// the jump that tests it steps first, then jumps as the comparison says,
/// for every `i32` comparison, as `br_if` and as `if` (those whose
/// operands swap do not fold).
#[test]
fn a_loop_step_folded_into_its_test_steps_then_tests() {
    use super::fused::IntBin;
    use super::instr::Instr;
    for (name, op) in COMPARISONS.into_iter().take(10) {
        for c in [1, -1, 3, 127, -128] {
            let wat = alloc::format!(
                r#"(module
                    (func (export "br_if") (param $i i32) (param $n i32) (result i32 i32) (local $k i32)
                      (block $out (loop $l
                        (br_if $out (i32.eq (local.get $k) (i32.const 20)))
                        (local.set $k (i32.add (local.get $k) (i32.const 1)))
                        (local.set $i (i32.add (local.get $i) (i32.const {c})))
                        (br_if $l ({name} (local.get $i) (local.get $n)))))
                      (local.get $k) (local.get $i))
                    (func (export "if") (param $i i32) (param $n i32) (result i32 i32) (local $k i32)
                      (block $out (loop $l
                        (br_if $out (i32.eq (local.get $k) (i32.const 20)))
                        (local.set $k (i32.add (local.get $k) (i32.const 1)))
                        (local.set $i (i32.add (local.get $i) (i32.const {c})))
                        (if ({name} (local.get $i) (local.get $n)) (then (br $l)))))
                      (local.get $k) (local.get $i)))"#
            );
            let mut store = Store::new(Config::default());
            let inst = instantiate(&mut store, &wat, &[]);
            for export in ["br_if", "if"] {
                let f = func(&store, inst, export);
                for (i0, n) in [
                    (0, 10),
                    (5, 5),
                    (-3, 4),
                    (i32::MAX - 2, i32::MIN + 2),
                    (7, -1),
                ] {
                    let (mut i, mut k) = (i0, 0);
                    while k < 20 {
                        k += 1;
                        i = i.wrapping_add(c);
                        if op.apply(i as u32 as u64, n as u32 as u64) == 0 {
                            break;
                        }
                    }
                    assert_eq!(
                        store.call(f, &[Val::I32(i0), Val::I32(n)], &mut no_host),
                        Ok(vec![Val::I32(k), Val::I32(i)]),
                        "{export} {name} {c} {i0} {n}"
                    );
                }
                let code = store.code(f).cloned().unwrap_or_default();
                let swaps = matches!(
                    op,
                    IntBin::I32GtS | IntBin::I32GtU | IntBin::I32LeS | IntBin::I32LeU
                );
                assert!(
                    swaps
                        != code.instrs.iter().any(|i| matches!(
                            i,
                            Instr::StepJumpIfEq(..)
                                | Instr::StepJumpUnlessEq(..)
                                | Instr::StepJumpIfLtU(..)
                                | Instr::StepJumpUnlessLtU(..)
                                | Instr::StepJumpIfLtS32(..)
                                | Instr::StepJumpUnlessLtS32(..)
                        )),
                    "{export} {name}: {:?}",
                    code.instrs
                );
            }
        }
    }
}

#[test]
fn a_loop_of_one_accumulating_load_is_one_instruction_that_runs_it() {
    use super::fused::{Load, Pair};
    use super::instr::Instr;
    // The sums with a dedicated `LoadAddSet` and another, on each test a
    // loop continues on (the exit test on top is its negation); a signed
    // test is not folded.
    let sums = [
        ("i32", "i32.load"),
        ("i64", "i64.load32_u"),
        ("i64", "i64.load16_s"),
    ];
    let tests = [("i32.eq", 0u8), ("i32.ge_u", 1), ("i32.ge_s", 2)];
    let mut funcs = alloc::string::String::new();
    for (t, load) in sums {
        for (exit, _) in tests {
            funcs += &alloc::format!(
                r#"(func (export "{load}.{exit}") (param $p i32) (param $end i32) (result {t}) (local $s {t})
                  (block $d (loop $l
                    (br_if $d ({exit} (local.get $p) (local.get $end)))
                    (local.set $s ({t}.add (local.get $s) ({load} offset=2 (local.get $p))))
                    (local.set $p (i32.add (local.get $p) (i32.const 4)))
                    (br $l)))
                  (local.get $s))"#
            );
        }
    }
    let wat = alloc::format!(
        r#"(module (memory 1) (data (i32.const 0) "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\03\00\00\00\07") {funcs})"#
    );
    let mut store = Store::new(Config::default());
    let inst = instantiate(&mut store, &wat, &[]);
    let mut mem = [0u8; 64];
    mem[..15].copy_from_slice(b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x03\x00\x00\x00\x07");
    for (t, load) in sums {
        for (exit, kind) in tests {
            let name = alloc::format!("{load}.{exit}");
            let f = func(&store, inst, &name);
            for (p0, end) in [(0, 12), (0, 0), (4, 8), (8, 4), (0, 13)] {
                // The loop as the unfused instructions run it.
                let (mut p, mut s) = (p0 as u32, 0u64);
                let leaves = |p: u32| match kind {
                    0 => p == end as u32,
                    1 => p >= end as u32,
                    _ => p as i32 >= end,
                };
                let mut n = 0;
                while !leaves(p) && n < 8 {
                    let at = p as usize + 2;
                    let v = u32::from_le_bytes([mem[at], mem[at + 1], mem[at + 2], mem[at + 3]]);
                    s = match load {
                        "i32.load" => (s as u32).wrapping_add(v) as u64,
                        "i64.load32_u" => s.wrapping_add(v as u64),
                        _ => s.wrapping_add(v as u16 as i16 as i64 as u64),
                    };
                    p += 4;
                    n += 1;
                }
                let want = if t == "i32" {
                    Val::I32(s as u32 as i32)
                } else {
                    Val::I64(s as i64)
                };
                // `!=` never meets an end that is not a multiple of the
                // step: the loads run off the memory's end.
                let got = store.call(f, &[Val::I32(p0), Val::I32(end)], &mut no_host);
                if n < 8 {
                    assert_eq!(got, Ok(vec![want]), "{name} {p0} {end}");
                } else {
                    let Err(CallError::Trap(t)) = got else {
                        panic!("{name} {p0} {end}: expected a trap, got {got:?}")
                    };
                    assert_eq!(t.message(), "out of bounds memory access");
                }
            }
            let code = store.code(f).cloned().unwrap_or_default();
            let fused = code
                .instrs
                .iter()
                .filter(|i| {
                    matches!(
                        i,
                        Instr::LoadAddLoopI32UnlessEq(4, ps, 1, 2)
                            | Instr::LoadAddLoopI32IfLtU(4, ps, 1, 2)
                            | Instr::LoadAddLoopI64U32UnlessEq(4, ps, 1, 2)
                            | Instr::LoadAddLoopI64U32IfLtU(4, ps, 1, 2)
                            | Instr::LoadAddLoopUnlessEq(Load::I64_16S, 4, ps, 1, 2)
                            | Instr::LoadAddLoopIfLtU(Load::I64_16S, 4, ps, 1, 2)
                            if Some(*ps) == Pair::new(0, 2)
                    )
                })
                .count();
            assert_eq!(fused, usize::from(kind < 2), "{name}: {:?}", code.instrs);
        }
    }
}

#[test]
fn a_loop_run_as_one_instruction_spends_fuel_per_iteration() {
    let wat = r#"(module (memory 1)
        (func (export "sum") (param $p i32) (param $end i32) (result i32) (local $s i32)
          (block $d (loop $l
            (br_if $d (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $l)))
          (local.get $s)))"#;
    let spent = |n: i32| {
        let mut store = Store::new(Config {
            fuel: Some(1_000),
            ..Config::default()
        });
        let inst = instantiate(&mut store, wat, &[]);
        let f = func(&store, inst, "sum");
        assert_eq!(
            store.call(f, &[Val::I32(0), Val::I32(4 * n)], &mut no_host),
            Ok(vec![Val::I32(0)])
        );
        1_000 - store.fuel().unwrap_or(0)
    };
    // One unit of fuel per iteration, as one dispatch each would spend.
    assert_eq!(spent(10) - spent(2), 8);
    // Fuel runs out inside the loop.
    let mut store = Store::new(Config {
        fuel: Some(100),
        ..Config::default()
    });
    let inst = instantiate(&mut store, wat, &[]);
    let f = func(&store, inst, "sum");
    let Err(CallError::Trap(t)) = store.call(f, &[Val::I32(0), Val::I32(4000)], &mut no_host)
    else {
        panic!("expected a trap")
    };
    assert_eq!(t.kind, TrapKind::OutOfFuel);
    assert_eq!(store.fuel(), Some(0));
}
