//! End to end: a hand-written command component (`echo.wat`) that uses
//! `wasi:cli` (arguments, environment, stdout, exit) and `wasi:io`
//! streams, run through the embedding API with the WASI host.

use std::cell::RefCell;
use std::rc::Rc;
use witness_interp::component::{Component, Engine, Error, Linker, Store};
use witness_wasi::{Output, Wasi, WasiCtx};

/// Runs `wat` as a command: its exit status and what it printed.
fn run(wat: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(u8, String), Error> {
    let engine = Engine::default();
    let component = Component::new(&engine, &wat::parse_str(wat).unwrap())?;
    let store = Store::new(&engine);
    let stdout = Rc::new(RefCell::new(Vec::new()));
    let ctx = WasiCtx {
        args: args.iter().map(|a| a.to_string()).collect(),
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        stdout: Output::Buffer(stdout.clone()),
        ..WasiCtx::default()
    };
    let mut linker = Linker::new();
    let wasi = Wasi::add_to_linker(ctx, &store, &mut linker)?;
    let instance = linker.instantiate(&store, &component)?;
    let code = wasi.run(&store, &instance)?;
    let out = String::from_utf8(stdout.borrow().clone()).unwrap();
    Ok((code, out))
}

const ECHO: &str = include_str!("echo.wat");

#[test]
fn a_command_prints_its_arguments_and_environment() {
    assert_eq!(
        run(ECHO, &["echo.wasm"], &[("A", "1"), ("B", "two")]),
        Ok((0, "echo.wasm\nA=1\nB=two\n".to_string()))
    );
}

#[test]
fn exit_with_code_ends_the_run_with_that_status() {
    assert_eq!(
        run(ECHO, &["echo.wasm", "x", "y"], &[]),
        Ok((3, "echo.wasm\nx\ny\n".to_string()))
    );
}

#[test]
fn an_interface_the_host_lacks_is_a_link_error_naming_it() {
    let wat = r#"(component
      (import "wasi:http/types@0.2.0" (instance
        (export "fields" (type (sub resource)))))
      (import "wasi:cli/environment@0.2.0" (instance
        (export "get-arguments" (func (result (list string))))
        (export "get-umask" (func (result u32))))))"#;
    assert_eq!(
        run(wat, &[], &[]),
        Err(Error::Link(
            "missing import `wasi:http/types@0.2.0`: an instance exporting `fields: resource`"
                .into()
        ))
    );
    let wat = wat
        .replace("wasi:http/types", "wasi:io/error")
        .replace("fields", "error");
    assert_eq!(
        run(&wat, &[], &[]),
        Err(Error::Link(
            "import `wasi:cli/environment@0.2.0` has no function `get-umask` of type `func() -> u32`"
                .into()
        ))
    );
}
