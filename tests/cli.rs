//! The `witness` command line, run as a process.

use std::process::{Command, Output};

fn witness(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_witness"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run witness")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes `text` to a fresh file in the target directory's temp folder.
fn temp_file(name: &str, text: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn run_prints_the_results() {
    let o = witness(&["run", "examples/fib.wat", "--invoke", "fib", "20"]);
    assert_eq!(
        (o.status.code(), stdout(&o).as_str()),
        (Some(0), "6765\n"),
        "{}",
        stderr(&o)
    );
    let o = witness(&["run", "examples/fib.wat", "--invoke", "fac", "20"]);
    assert_eq!(stdout(&o), "2432902008176640000\n");
}

#[test]
fn run_reads_arguments_by_their_type() {
    let wat = temp_file(
        "args.wat",
        r#"(module
  (func (export "f") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    local.get 3 local.get 2 local.get 1 local.get 0))"#,
    );
    let o = witness(&["run", &wat, "--invoke", "f", "-1", "0xff", "-0", "nan:0x1"]);
    assert_eq!(stdout(&o), "nan:0x1\n-0.0\n255\n-1\n", "{}", stderr(&o));
    let o = witness(&[
        "run",
        &wat,
        "--invoke",
        "f",
        "4294967295",
        "-9",
        "inf",
        "1.5",
    ]);
    assert_eq!(stdout(&o), "1.5\ninf\n-9\n-1\n", "{}", stderr(&o));
}

#[test]
fn run_reads_and_prints_v128() {
    let wat = temp_file(
        "v128.wat",
        r#"(module
  (func (export "add") (param v128 v128) (result v128) (f32x4.add (local.get 0) (local.get 1)))
  (func (export "swizzle") (param v128 v128) (result v128)
    (i8x16.relaxed_swizzle (local.get 0) (local.get 1))))"#,
    );
    let args = ["f32x4 1 2 3 nan", "f32x4 0.5 -inf 0 1"];
    let o = witness(&["run", &wat, "--invoke", "add", args[0], args[1]]);
    assert_eq!(
        stdout(&o),
        "i32x4 0x3fc00000 0xff800000 0x40400000 0x7fc00000\n",
        "{}",
        stderr(&o)
    );
    let o = witness(&[
        "run",
        &wat,
        "--v128-shape",
        "f32x4",
        "--invoke",
        "add",
        args[0],
        args[1],
    ]);
    assert_eq!(stdout(&o), "f32x4 1.5 -inf 3.0 nan\n", "{}", stderr(&o));
    // An index of 17 gives 0 in the deterministic profile, lane 1 with
    // the other permitted choice.
    let args = [
        "0x0f0e0d0c0b0a09080706050403020100",
        "i8x16 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0 -1",
    ];
    let o = witness(&[
        "run",
        &wat,
        "--v128-shape",
        "i8x16",
        "--invoke",
        "swizzle",
        args[0],
        args[1],
    ]);
    assert_eq!(
        stdout(&o),
        "i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
        "{}",
        stderr(&o)
    );
    let o = witness(&[
        "run",
        &wat,
        "--v128-shape",
        "i16x8",
        "--relaxed",
        "swizzle=1",
        "--invoke",
        "swizzle",
        args[0],
        args[1],
    ]);
    assert_eq!(stdout(&o), "i16x8 1 0 0 0 0 0 0 0\n", "{}", stderr(&o));
    let o = witness(&[
        "run",
        &wat,
        "--relaxed",
        "swizzle=2",
        "--invoke",
        "swizzle",
        "0",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_trap_exits_with_1() {
    let o = witness(&["run", "examples/fib.wat", "--invoke", "crash", "0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: trap: unreachable\n"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_input_exits_with_2_and_one_line() {
    let malformed = temp_file("malformed.wat", "(module (func (i32.bogus)))");
    let invalid = temp_file("invalid.wat", "(module (func (result i32)))");
    let imports = temp_file("imports.wat", "(module (import \"env\" \"f\" (func)))");
    let cases: &[&[&str]] = &[
        &["run", "no-such-file.wat", "--invoke", "f"],
        &["run", &malformed, "--invoke", "f"],
        &["run", &invalid, "--invoke", "f"],
        &["run", &imports, "--invoke", "f"],
        &["run", "examples/fib.wat", "--invoke", "nope"],
        &["run", "examples/fib.wat", "--invoke", "fib"],
        &["run", "examples/fib.wat", "--invoke", "fib", "1", "2"],
        &["run", "examples/fib.wat", "--invoke", "fib", "1.5"],
        &["run", "examples/fib.wat", "--invoke", "fib", "4294967296"],
    ];
    for args in cases {
        let o = witness(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with("error: ") && err.lines().count() == 1,
            "{args:?}: {err}"
        );
        assert!(stdout(&o).is_empty(), "{args:?}");
    }
}

#[test]
fn wast_prints_per_file_and_total_lines() {
    let good = temp_file(
        "good.wast",
        "(module (func (export \"one\") (result i32) (i32.const 1)))\n\
         (assert_return (invoke \"one\") (i32.const 1))\n",
    );
    let bad = temp_file(
        "bad.wast",
        "(module (func (export \"one\") (result i32) (i32.const 1)))\n\
         (assert_return (invoke \"one\") (i32.const 2))\n\
         (assert_return (invoke \"one\") (i32.const 1))\n",
    );
    let o = witness(&["wast", &good]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        format!("{good}: 1 passed, 0 failed, 0 skipped\n1 passed, 0 failed, 0 skipped\n")
    );

    let json = temp_file("report.json", "");
    let o = witness(&["wast", "-v", "--json", &json, &good, &bad]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains(&format!("{bad}: 1 passed, 1 failed, 0 skipped\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!("  {bad}:2: assert_return: result 0: expected")),
        "{out}"
    );
    assert!(out.ends_with("\n2 passed, 1 failed, 0 skipped\n"), "{out}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["passed"], 2);
    assert_eq!(report["failed"], 1);
    assert_eq!(report["files"][1]["failures"][0]["line"], 2);
    assert_eq!(report["files"][1]["failures"][0]["kind"], "assert_return");
}

#[test]
fn validate_reports_valid_components_and_modules() {
    let c = temp_file(
        "ok-component.wat",
        r#"(component (import "f" (func (param "x" string))))"#,
    );
    let o = witness(&["validate", &c]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).ends_with("valid component\n"));
    let m = temp_file("ok-module.wat", "(module (func (result i32) i32.const 0))");
    let o = witness(&["validate", &m]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).ends_with("valid module\n"));
}

#[test]
fn validate_names_rule_offset_and_definition() {
    let c = temp_file("bad-component.wat", "(component (type (record)))");
    let o = witness(&["validate", &c]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("record type must have at least one field (at offset 0xb, in type 0)"),
        "{}",
        stderr(&o)
    );
    let gated = temp_file("gated.wat", "(component (type (map u8 u8)))");
    assert!(witness(&["validate", &gated]).status.success());
    let o = witness(&["validate", "-W", "component-model-map=n", &gated]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn run_calls_a_component_with_wave_values() {
    let cases = [
        ("greet(\"world\")", "\"Hello, world!\"\n"),
        ("example:demo/text.sum@0.1.0([1, 2, 3])", "6\n"),
        // Semver-compatible: 0.1.0 is served for 0.1.0-compatible names.
        ("example:demo/text.greet@0.1.0(\"é\")", "\"Hello, é!\"\n"),
        // A bare name found in exactly one exported instance.
        ("sum([4, 5])", "9\n"),
        ("mirror({x: 1, y: -2})", "{x: -2, y: 1}\n"),
        // Through the composition: $App uses $Lib's resource.
        ("count(10, 3)", "13\n"),
        ("dropped()", "0\n"),
    ];
    for (call, expected) in cases {
        let o = witness(&["run", "examples/demo.wat", "--invoke", call]);
        assert_eq!(
            (o.status.code(), stdout(&o).as_str()),
            (Some(0), expected),
            "{call}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn a_component_trap_exits_with_134_and_other_errors_with_2() {
    let wat = temp_file(
        "trap-component.wat",
        r#"(component
  (core module $M (func (export "boom") (param i32) (result i32) unreachable))
  (core instance $m (instantiate $M))
  (func (export "boom") (param "x" u32) (result u32) (canon lift (core func $m "boom"))))"#,
    );
    let o = witness(&["run", &wat, "--invoke", "boom(1)"]);
    assert_eq!(o.status.code(), Some(134));
    assert!(
        stderr(&o).starts_with("error: trap: unreachable"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("at func 0"), "{}", stderr(&o));
    for (call, message) in [
        ("nope()", "error: no exported function `nope`\n"),
        ("boom(\"x\")", "error: --invoke boom(\"x\"): "),
        ("boom", "error: --invoke boom: "),
    ] {
        let o = witness(&["run", &wat, "--invoke", call]);
        assert_eq!(o.status.code(), Some(2), "{call}");
        assert!(stderr(&o).starts_with(message), "{call}: {}", stderr(&o));
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    }
    let o = witness(&["run", &wat, "-W", "no-such-gate=y", "--invoke", "boom(1)"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn run_without_invoke_runs_a_wasi_command_with_its_arguments_and_status() {
    let o = witness(&["run", "--env", "A=1", "wasi/tests/echo.wat", "x", "--y"]);
    assert_eq!(stdout(&o), "echo.wat\nx\n--y\nA=1\n", "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(3));
    let o = witness(&["run", "--argv0", "prog", "wasi/tests/echo.wat"]);
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("prog\n", Some(0)));
    let o = witness(&["run", "-S", "tcp=y", "wasi/tests/echo.wat"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: -S tcp: witness has no network\n");
}

#[test]
fn an_import_witness_cannot_satisfy_is_named_before_the_run() {
    let wat = temp_file(
        "needs-http.wat",
        r#"(component (import "wasi:http/types@0.2.0" (instance (export "fields" (type (sub resource))))))"#,
    );
    let o = witness(&["run", &wat]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: link error: missing import `wasi:http/types@0.2.0`: an instance exporting `fields: resource`\n"
    );
}

#[test]
fn run_trace_prints_the_canonical_abi_steps_on_stderr() {
    let o = witness(&[
        "run",
        "examples/demo.wat",
        "--invoke",
        "greet(\"world\")",
        "--trace",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "\"Hello, world!\"\n");
    let trace = stderr(&o);
    assert!(trace.starts_with("canon_lift func "), "{trace}");
    assert!(
        trace.contains(
            "\n          load_string_from_range ptr=0x1005 tagged_code_units=13 utf8 -> \"Hello, world!\"\n"
        ),
        "{trace}"
    );
    let o = witness(&["run", "examples/fib.wat", "--trace", "--invoke", "fib", "3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("components only"), "{}", stderr(&o));
}
