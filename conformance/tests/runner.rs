//! The script runner on small inline scripts: every directive kind, and how
//! passes, failures and skips are counted.

use std::cell::Cell;
use std::rc::Rc;
use witness_canonical::trace::{Arg, Tracer};
use witness_canonical::trap::Trap;
use witness_conformance::{FileReport, Runner, Witnessed, run_script};

fn run(script: &str) -> FileReport {
    run_script("inline.wast", script)
}

/// `(passed, failed, skipped)`.
type Counts = (usize, usize, usize);

/// The counts and the failures as `(line, kind)` pairs.
fn summary(r: &FileReport) -> (Counts, Vec<(usize, &str)>) {
    let failures = r
        .failures
        .iter()
        .map(|f| (f.line, f.kind.as_str()))
        .collect();
    ((r.passed, r.failed, r.skipped), failures)
}

#[test]
fn every_core_directive_passes() {
    let r = run(r#"
(module $M
  (global (export "g") i32 (i32.const 42))
  (global $count (mut i32) (i32.const 0))
  (table (export "t") 2 funcref)
  (memory (export "mem") 1)
  (func $f (export "id") (param i32) (result i32) (local.get 0))
  (func (export "bump") (global.set $count (i32.add (global.get $count) (i32.const 1))))
  (func (export "count") (result i32) (global.get $count))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "nan64") (param f64) (result f64) (f64.add (local.get 0) (f64.const 1)))
  (func (export "ext") (param externref) (result externref) (local.get 0))
  (func (export "null") (result funcref) (ref.null func))
  (func (export "fref") (result funcref) (ref.func $f))
  (func $loop (export "loop") (call $loop))
)
(register "M" $M)
(invoke "bump")
(assert_return (invoke "count") (i32.const 1))
(assert_return (get "g") (i32.const 42))
(assert_return (get $M "g") (i32.const 42))
(assert_return (invoke "id" (i32.const -7)) (i32.const -7))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "nan") (f32.const nan:arithmetic))
(assert_return (invoke "nan64" (f64.const nan:0x4000000000000)) (f64.const nan:arithmetic))
(assert_return (invoke "ext" (ref.extern 3)) (ref.extern 3))
(assert_return (invoke "ext" (ref.extern 3)) (ref.extern))
(assert_return (invoke "ext" (ref.null extern)) (ref.null extern))
(assert_return (invoke "null") (ref.null func))
(assert_return (invoke "null") (ref.null))
(assert_return (invoke "fref") (ref.func))
(assert_return (invoke "id" (i32.const 2)) (either (i32.const 1) (i32.const 2)))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_trap (module (memory 1) (data (i32.const 65536) "x")) "out of bounds memory access")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_malformed (module quote "(func (i32.bogus))") "unknown operator")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_unlinkable (module (import "M" "missing" (func))) "unknown import")
(assert_unlinkable (module (import "M" "id" (func (param i64)))) "incompatible import type")
(module (import "M" "id" (func $id (param i32) (result i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (import "spectest" "global_i32" (global i32))
  (import "spectest" "memory" (memory 1))
  (import "spectest" "table" (table 10 funcref))
  (func (export "twice") (param i32) (result i32)
    (call $print (local.get 0))
    (call $id (i32.add (local.get 0) (local.get 0)))))
(assert_return (invoke "twice" (i32.const 21)) (i32.const 42))
(module definition $D (global (export "v") (mut i32) (i32.const 5)))
(module instance $I1 $D)
(module instance $I2 $D)
(assert_return (get $I1 "v") (i32.const 5))
(assert_return (get $I2 "v") (i32.const 5))
"#);
    assert_eq!(summary(&r), ((27, 0, 0), vec![]));
}

#[test]
fn failures_are_counted_with_their_lines_and_the_file_goes_on() {
    let r = run(r#"(module
  (func (export "one") (result i32) (i32.const 1))
  (func (export "trap") (unreachable)))
(assert_return (invoke "one") (i32.const 2))
(assert_trap (invoke "one") "unreachable")
(assert_trap (invoke "trap") "integer overflow")
(assert_return (invoke "missing"))
(assert_invalid (module (func)) "type mismatch")
(assert_unlinkable (module) "unknown import")
(invoke "trap")
(assert_return (invoke "one") (i32.const 1))
"#);
    let expected = vec![
        (4, "assert_return"),
        (5, "assert_trap"),
        (6, "assert_trap"),
        (7, "assert_return"),
        (8, "assert_invalid"),
        (9, "assert_unlinkable"),
        (10, "invoke"),
    ];
    assert_eq!(summary(&r), ((1, 7, 0), expected));
    assert_eq!(
        r.failures[0].message,
        "result 0: expected (i32.const 2), got 1:i32"
    );
}

#[test]
fn a_failed_module_fails_the_directives_that_use_it() {
    let r = run(r#"(module (func (export "f") (result i32) (i32.const 1)))
(module $Bad (func (result i32) (i64.const 0)))
(assert_return (invoke "f") (i32.const 1))
(assert_return (invoke $Bad "f") (i32.const 1))
(module (func (export "f") (result i32) (i32.bogus)))
(assert_return (invoke "f") (i32.const 1))
"#);
    let expected = [
        (2, "module"),
        (3, "assert_return"),
        (4, "assert_return"),
        (5, "parse"),
    ];
    // The unparsable module also replaces the current one.
    assert_eq!(summary(&r).0, (0, 5, 0));
    assert_eq!(summary(&r).1[..4], expected[..]);
    assert_eq!(
        r.failures[4],
        witness_conformance::Failure {
            line: 6,
            kind: "assert_return".to_string(),
            message: "no module instance (it failed)".to_string()
        }
    );
}

#[test]
fn unsupported_values_fail_and_components_are_validated() {
    let r = run(r#"(module (func (export "f")))
(assert_return (invoke "f" (ref.host 1)))
(assert_return (invoke "f") (ref.i31))
(component)
(assert_invalid (component (core module (func (result i32)))) "type mismatch")
"#);
    // A valid component is validated and instantiated; an invalid one is
    // rejected by witness-spec.
    assert_eq!(summary(&r).0, (1, 2, 0));
    assert_eq!(
        r.failures[0].message,
        "host references are not supported yet"
    );
}

#[test]
fn v128_values_in_every_lane_shape() {
    let r = run(r#"(module
  (func (export "id") (param v128) (result v128) (local.get 0))
  (func (export "nans") (result v128)
    (v128.const i32x4 0x7fc00000 0xffc00000 0x7fe00000 0x3f800000)))
(assert_return (invoke "id" (v128.const i8x16 -1 0 1 2 3 4 5 6 7 8 9 10 11 12 13 255))
  (v128.const i8x16 255 0 1 2 3 4 5 6 7 8 9 10 11 12 13 -1))
(assert_return (invoke "id" (v128.const i16x8 -1 2 3 4 5 6 7 8))
  (v128.const i16x8 65535 2 3 4 5 6 7 8))
(assert_return (invoke "id" (v128.const i64x2 1 -1)) (v128.const i32x4 1 0 -1 -1))
(assert_return (invoke "id" (v128.const f64x2 1.5 -0)) (v128.const f64x2 1.5 -0))
(assert_return (invoke "nans")
  (v128.const f32x4 nan:canonical nan:canonical nan:arithmetic 1))
(assert_return (invoke "nans")
  (either (v128.const i32x4 0 0 0 0) (v128.const f32x4 nan:canonical -nan nan:0x600000 1.0)))
(assert_return (invoke "nans")
  (v128.const f32x4 nan:canonical nan:canonical nan:canonical 1))
(assert_return (invoke "id" (v128.const f64x2 0 0)) (v128.const f64x2 -0 0))
"#);
    assert_eq!(
        summary(&r),
        (
            (6, 2, 0),
            vec![(15, "assert_return"), (17, "assert_return")]
        )
    );
    assert_eq!(
        r.failures[0].message,
        "result 0: expected (v128.const f32x4 nan:canonical nan:canonical nan:canonical 1.0), \
         got (v128.const f32x4 nan -nan nan:0x600000 1.0)"
    );
}

#[test]
fn rejections_with_other_wording_still_pass_and_are_noted() {
    let r = run(r#"(assert_invalid (module (func (result i32) (i64.const 0))) "the wrong words")"#);
    assert_eq!((r.passed, r.failed, r.message_mismatches), (1, 0, 1));
}

#[test]
fn a_bare_module_body_is_a_module() {
    let r = run("(func (export \"f\"))\n(memory 1)\n");
    assert_eq!(summary(&r), ((0, 0, 0), vec![]));
}

#[test]
fn components_run_with_component_values() {
    let r = run(r#"(component
  (core module $M
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $next))
      (global.set $next (i32.add (local.get $p) (local.get 3)))
      (local.get $p))
    (func (export "len") (param i32 i32) (result i32) (local.get 1))
    (func (export "sum") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "boom") unreachable))
  (core instance $m (instantiate $M))
  (type $pair (record (field "a" u32) (field "b" u32)))
  (export $pair-e "pair" (type $pair))
  (func (export "len") (param "s" string) (result u32)
    (canon lift (core func $m "len") (memory (core memory $m "mem")) (realloc (core func $m "realloc"))))
  (func (export "sum") (param "p" $pair-e) (result u32) (canon lift (core func $m "sum")))
  (func (export "boom") (canon lift (core func $m "boom")))
)
(assert_return (invoke "len" (str.const "héllo")) (u32.const 6))
(assert_return (invoke "sum" (record.const (field "a" u32.const 40) (field "b" u32.const 2))) (u32.const 42))
(assert_return (invoke "sum" (record.const (field "a" u32.const 1) (field "b" u32.const 2))) (u32.const 4))
(assert_trap (invoke "boom") "unreachable")
(assert_trap (invoke "boom") "cannot enter component instance")
"#);
    // After a trap, the instance may not be entered again.
    assert_eq!(summary(&r), ((4, 1, 0), vec![(23, "assert_return")]));
}

/// A component whose `len` reads back the debug message of a fresh
/// error-context: "hi", or "" where `canon_error_context_new` chooses to
/// drop it (the deterministic profile drops it here).
const ERROR_CONTEXT: &str = r#"
(component
  (core module $libc
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 256))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $r i32)
      (local.set $r (global.get $next))
      (global.set $next (i32.add (global.get $next) (local.get 3)))
      (local.get $r)))
  (core instance $libc (instantiate $libc))
  (core func $new (canon error-context.new (memory (core memory $libc "mem"))))
  (core func $msg (canon error-context.debug-message (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core module $m
    (import "" "mem" (memory 1))
    (import "" "new" (func $new (param i32 i32) (result i32)))
    (import "" "msg" (func $msg (param i32 i32)))
    (data (i32.const 0) "hi")
    (func (export "seven") (result i32) (i32.const 7))
    (func (export "len") (result i32)
      (call $msg (call $new (i32.const 0) (i32.const 2)) (i32.const 16))
      (i32.load (i32.const 20))))
  (core instance $i (instantiate $m (with "" (instance
    (export "mem" (memory $libc "mem"))
    (export "new" (func $new))
    (export "msg" (func $msg))))))
  (func (export "seven") (result u32) (canon lift (core func $i "seven")))
  (func (export "len") (result u32) (canon lift (core func $i "len")))
)
"#;

#[test]
fn a_failed_component_assertion_is_witnessed_by_a_seeded_schedule() {
    let script = format!(
        "{ERROR_CONTEXT}\n{}",
        r#"(assert_return (invoke "seven") (u32.const 7))
(assert_return (invoke "len") (u32.const 0))
(assert_return (invoke "len") (u32.const 2))
(assert_return (invoke "len") (u32.const 5))"#
    );
    let first = script
        .lines()
        .position(|l| l.starts_with("(assert"))
        .unwrap()
        + 1;
    let r = run(&script);
    assert_eq!(summary(&r), ((3, 1, 0), vec![(first + 3, "assert_return")]));
    // Seed 7 keeps the message at the second `len` only, so the one
    // before still holds; no seed makes a length 5.
    let seed = 7;
    assert_eq!(
        r.witnessed,
        [Witnessed {
            line: first + 2,
            seed
        }]
    );
    let mut runner = Runner::new();
    runner.set_search_seeds(0);
    let r = runner.run_script("inline.wast", &script);
    assert_eq!(
        summary(&r),
        (
            (2, 2, 0),
            vec![(first + 2, "assert_return"), (first + 3, "assert_return")]
        )
    );
    assert!(r.witnessed.is_empty());
}

#[test]
fn a_disputed_assertion_is_not_searched_and_fails_with_its_reason() {
    let script = format!(
        "{ERROR_CONTEXT}\n{}",
        r#"(assert_return (invoke "len") (u32.const 0))
(assert_return (invoke "len") (u32.const 2))"#
    );
    let first = script
        .lines()
        .position(|l| l.starts_with("(assert"))
        .unwrap()
        + 1;
    // Without the list, a seed witnesses the second assertion.
    let mut runner = Runner::new();
    assert_eq!(
        summary(&runner.run_script("dir/inline.wast", &script)).0,
        (2, 0, 0)
    );
    let line = first + 1;
    let listed = |file: &str| {
        let mut runner = Runner::new();
        let reason = "contradicts the spec".to_string();
        runner.set_disputed([(format!("{file}:{line}"), reason)].into());
        runner.run_script("suite/dir/inline.wast", &script)
    };
    let r = listed("dir/inline.wast");
    assert_eq!(summary(&r), ((1, 1, 0), vec![(line, "assert_return")]));
    assert!(r.witnessed.is_empty());
    assert!(
        r.failures[0]
            .message
            .ends_with("(disputed: contradicts the spec)"),
        "{}",
        r.failures[0].message
    );
    // A key names the file by whole trailing path components.
    assert_eq!(summary(&listed("r/inline.wast")).0, (2, 0, 0));
}

/// Counts the canonical definitions a store's tracer sees enter.
struct Entries(Rc<Cell<usize>>);

impl Tracer for Entries {
    fn enter(&mut self, _: &'static str, _: &[Arg<'_>]) {
        self.0.set(self.0.get() + 1);
    }
    fn exit(&mut self, _: &'static str, _: Result<&[Arg<'_>], &Trap>) {}
}

#[test]
fn the_tracer_follows_the_run_a_witnessing_schedule_goes_on_in() {
    // The second `len` is witnessed by a seed's run; the third runs there.
    let call = r#"(assert_return (invoke "seven") (u32.const 7))"#;
    let witnessed = r#"(assert_return (invoke "len") (u32.const 0))
(assert_return (invoke "len") (u32.const 2))"#;
    let traced = |tail: &str| {
        let count = Rc::new(Cell::new(0));
        let mut runner = Runner::new();
        let tracer = Entries(count.clone());
        runner.component_store().set_tracer(Some(Box::new(tracer)));
        let r = runner.run_script(
            "inline.wast",
            &format!("{ERROR_CONTEXT}\n{witnessed}\n{tail}"),
        );
        assert_eq!(r.witnessed.len(), 1);
        count.get()
    };
    assert!(
        traced(call) > traced(""),
        "the call after the switch is traced"
    );
}
