//! Snapshots of our rendered WIT errors, one per rule (WIT.md "Name
//! resolution", "Feature Gates", "WIT Worlds", "Lexical structure").

use witness_spec::wit::{self, Resolve};

fn error(src: &str) -> String {
    let mut resolve = Resolve::new();
    match wit::push_str(&mut resolve, "test.wit", src) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.render(&resolve.sources),
    }
}

#[test]
fn unknown_name_with_suggestion() {
    insta::assert_snapshot!(error(
        "package a:b;\ninterface i {\n  type count = u32;\n  f: func() -> cuont;\n}\n"
    ));
}

#[test]
fn type_cycle() {
    insta::assert_snapshot!(error(
        "package a:b;\ninterface i {\n  record a { b: b }\n  record b { a: a }\n}\n"
    ));
}

#[test]
fn duplicate_name() {
    insta::assert_snapshot!(error(
        "package a:b;\ninterface i {\n  type x = u8;\n  type x = u16;\n}\n"
    ));
}

#[test]
fn gate_not_enabled() {
    insta::assert_snapshot!(error(
        "package a:b;\ninterface i {\n  @unstable(feature = off)\n  type t = u8;\n  f: func(x: t);\n}\n"
    ));
}

/// A `use` in a gated-off interface or world brings in a type as a
/// definition would, so an ungated `use` there is an error too.
#[test]
fn ungated_use_in_gated_off_interface() {
    insta::assert_snapshot!(error(
        "package a:b;\ninterface i0 { record t { a: u8 } }\n@unstable(feature = off)\ninterface i1 {\n  use i0.{t};\n}\n"
    ));
}

#[test]
fn ungated_use_in_gated_off_world() {
    insta::assert_snapshot!(error(
        "package a:b;\ninterface i0 { record t { a: u8 } }\n@unstable(feature = off)\nworld w {\n  use i0.{t as u};\n}\n"
    ));
}

#[test]
fn import_export_conflict() {
    insta::assert_snapshot!(error(
        "package a:b;\nworld w {\n  import f: func();\n  import f: func(x: u8);\n}\n"
    ));
}

#[test]
fn syntax() {
    insta::assert_snapshot!(error(
        "package a:b;\ninterface i {\n  f: func(x: u32 -> u8;\n}\n"
    ));
}

#[test]
fn lexical() {
    insta::assert_snapshot!(error("package a:b;\ninterface Bad-Name {}\n"));
}

#[test]
fn no_panic_on_garbage() {
    for src in [
        "",
        "package",
        "package a:b; world w { include",
        "/* unterminated",
        "\"",
        "package a:b@1.0.0-; interface x {}",
        "%",
        "package a:b;\ninterface i { type t = list<list<list<u8, 0>>>; }",
    ] {
        let mut resolve = Resolve::new();
        let _ = wit::push_str(&mut resolve, "test.wit", src);
    }
}

/// The error `encode` gives for `src`, which resolves.
fn encode_error(src: &str) -> String {
    let mut resolve = Resolve::new();
    let pkg = wit::push_str(&mut resolve, "test.wit", src).unwrap();
    let e = wit::encode::encode(&resolve, pkg).unwrap_err();
    e.render(&resolve.sources)
}

#[test]
fn package_without_interfaces_or_worlds_has_no_binary_form() {
    insta::assert_snapshot!(encode_error(
        "package a:b;\n@unstable(feature = off)\ninterface i {\n  f: func();\n}\n"
    ));
}

#[test]
fn empty_record_has_no_binary_form() {
    insta::assert_snapshot!(encode_error(
        "package a:b;\ninterface i {\n  record r {}\n  f: func(x: r);\n}\n"
    ));
}

/// WIT accepts `stream<char>` and a `stream` or `future` of a `borrow`, but
/// component-model validation does not: `encode` refuses at the type.
#[test]
fn stream_payload_has_no_binary_form() {
    insta::assert_snapshot!(encode_error(
        "package a:b;\ninterface i {\n  type c = char;\n  type s = stream<c>;\n  f: func(x: s);\n}\n"
    ));
}

#[test]
fn future_of_borrow_has_no_binary_form() {
    insta::assert_snapshot!(encode_error(
        "package a:b;\ninterface i {\n  resource r;\n  f: func(x: option<future<borrow<r>>>);\n}\n"
    ));
}
