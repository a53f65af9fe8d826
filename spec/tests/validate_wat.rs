//! Small validation cases written in the text format, one rule each.

use witness_spec::{Features, validate};

fn check(wat: &str) -> Result<(), String> {
    let bytes = wat::parse_str(wat).map_err(|e| e.to_string())?;
    validate(&bytes, &Features::REFERENCE_TESTS)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn exported_resource_may_be_ascribed_by_its_new_name() {
    let r = check(
        r#"(component
  (core module $m (func (export "f") (result i32) unreachable))
  (core instance $i (instantiate $m))
  (type $R (resource (rep i32)))
  (func $f (result (own $R)) (canon lift (core func $i "f")))
  (export $R' "r" (type $R))
  (export "f" (func $f) (func (result (own $R')))))"#,
    );
    assert_eq!(r, Ok(()));
}

#[test]
fn instance_types_are_subtyped_by_export_names() {
    assert_eq!(
        check(
            r#"(component
  (import "c" (component $C (import "i" (instance (export "a" (func))))))
  (import "j" (instance $j (export "a" (func)) (export "b" (func))))
  (instance (instantiate $C (with "i" (instance $j)))))"#
        ),
        Ok(())
    );
}

#[test]
fn resources_from_two_instances_differ() {
    let r = check(
        r#"(component
  (component $C (type $r (resource (rep i32))) (export "r" (type $r)))
  (instance $a (instantiate $C))
  (instance $b (instantiate $C))
  (alias export $a "r" (type $ra))
  (alias export $b "r" (type $rb))
  (component $D (import "x" (type $x (sub resource))) (import "y" (type (eq $x))))
  (instance (instantiate $D (with "x" (type $ra)) (with "y" (type $rb)))))"#,
    );
    assert!(r.unwrap_err().contains("resource types are not the same"));
}

#[test]
fn sub_resource_ascription_hides_identity() {
    let r = check(
        r#"(component
    (component $C
      (type $r (resource (rep i32)))
      (export "r1" (type $r))
      (export "r2" (type $r) (type (sub resource))))
    (instance $c (instantiate $C))
    (alias export $c "r1" (type $r1))
    (alias export $c "r2" (type $r2))
    (component $eq
      (import "a" (type $a (sub resource)))
      (import "b" (type (eq $a))))
    (instance (instantiate $eq (with "a" (type $r1)) (with "b" (type $r2)))))"#,
    );
    assert!(r.unwrap_err().contains("resource types are not the same"));
}

/// Found by fuzz/ (component_validate_diff): a module type's memory with
/// 1-byte pages (custom-page-sizes) may have up to 2^32 - 1 pages, as
/// wasmparser's core validator allows for a module's own memory.
#[test]
fn module_type_memory_limits_count_custom_pages() {
    assert_eq!(
        check(
            r#"(component
  (core type (module (import "m" "mem" (memory 647 1310751571 (pagesize 1))))))"#
        ),
        Ok(())
    );
    let r = check(
        r#"(component
  (core type (module (import "m" "mem" (memory 0 65537)))))"#,
    );
    assert!(r.unwrap_err().contains("memory size must be at most"));
}

/// Found by fuzz/ (component_validate_diff): the limits of a module type's
/// exported memories and tables are checked like its imports'.
#[test]
fn module_type_export_limits_are_checked() {
    let r = check(r#"(component (core type (module (export "m" (memory 108 27)))))"#);
    assert!(
        r.unwrap_err()
            .contains("size minimum must not be greater than maximum")
    );
    let r = check(r#"(component (core type (module (export "t" (table 3 2 funcref)))))"#);
    assert!(
        r.unwrap_err()
            .contains("size minimum must not be greater than maximum")
    );
}

/// Found by fuzz/ (component_validate_diff): a module type's memory may
/// have pages of 1 byte or 64 KiB only (custom-page-sizes).
#[test]
fn module_type_memory_page_size_is_one_or_64k() {
    let r = check(r#"(component (core type (module (export "m" (memory 0 1 (pagesize 0x800))))))"#);
    assert!(r.unwrap_err().contains("invalid custom page size"));
    let r =
        check(r#"(component (core type (module (export "m" (memory 0 1 (pagesize 0x10000))))))"#);
    assert_eq!(r, Ok(()));
}

/// Found by fuzz/ (component_validate_diff): a module type's shared memory
/// needs a maximum, as a module's own does.
#[test]
fn module_type_shared_memory_has_a_maximum() {
    let r = check(r#"(component (core type (module (export "m" (memory 1 shared)))))"#);
    assert!(
        r.unwrap_err()
            .contains("shared memory must have maximum size")
    );
    let r = check(r#"(component (core type (module (export "m" (memory 1 2 shared)))))"#);
    assert_eq!(r, Ok(()));
}

/// Found by fuzz/ (component_validate_diff): in a module type, as in a
/// module, a shared table holds shared references and a shared global a
/// shared value, and a reference's type index is in bounds.
#[test]
fn module_type_shared_tables_and_globals_hold_shared_values() {
    // `shared` needs 🧵②'s gate, which the reference tests leave off.
    let check = |wat: &str| check_with(wat, &Features::ALL);
    let r = check(r#"(component (core type (module (export "m" (table shared 10 funcref)))))"#);
    assert!(
        r.unwrap_err()
            .contains("shared tables must have a shared element type")
    );
    let r = check(
        r#"(component (core type (module (export "m" (table shared 10 (ref null (shared func)))))))"#,
    );
    assert_eq!(r, Ok(()));
    let r = check(
        r#"(component (core type (module
             (type (func))
             (export "m" (table shared 10 (ref null 0))))))"#,
    );
    assert!(
        r.unwrap_err()
            .contains("shared tables must have a shared element type")
    );
    let r = check(
        r#"(component (core type (module
             (type (shared (func)))
             (export "m" (table shared 10 (ref null 0)))
             (import "" "g" (global (shared (ref null 0)))))))"#,
    );
    assert_eq!(r, Ok(()));
    let r =
        check(r#"(component (core type (module (import "" "g" (global (shared externref))))))"#);
    assert!(
        r.unwrap_err()
            .contains("shared globals must have a shared value type")
    );
    let r = check(r#"(component (core type (module (import "" "g" (global (shared i64))))))"#);
    assert_eq!(r, Ok(()));
    let r = check(r#"(component (core type (module (export "t" (table 1 (ref null 3))))))"#);
    assert!(r.unwrap_err().contains("unknown type 3"));
}

#[test]
fn instantiation_substitutes_a_type_once_for_all_its_uses() {
    // wit-component's shim for an exported interface: `shape` mentions the
    // `eq`-imported `point`, and the exported function takes the exported
    // `shape`; both uses must name one substituted `shape`, or the
    // exported instance's function would use a type without a name.
    let r = check(
        r#"(component
  (type $ti (instance
    (type $p (record (field "x" u32)))
    (export "point" (type (eq $p)))
    (type $v (variant (case "a" u32) (case "r" 1)))
    (export "shape" (type (eq $v)))))
  (import "ns:p/types" (instance $types (type $ti)))
  (alias export $types "point" (type $point))
  (alias export $types "shape" (type $shape))
  (import "f" (func $f (param "p" $shape) (result u32)))
  (component $shim
    (type $r (record (field "x" u32)))
    (import "import-type-point" (type $ip (eq $r)))
    (type $v (variant (case "a" u32) (case "r" $ip)))
    (import "import-type-shape" (type $is (eq $v)))
    (import "import-type-shape0" (type $is0 (eq $is)))
    (import "import-func-area" (func $m (param "p" $is0) (result u32)))
    (export "point" (type $ip))
    (export $es "shape" (type $is))
    (export "area" (func $m) (func (param "p" $es) (result u32))))
  (instance $i (instantiate $shim
    (with "import-type-point" (type $point))
    (with "import-type-shape" (type $shape))
    (with "import-type-shape0" (type $shape))
    (with "import-func-area" (func $f))))
  (export "ns:p/shapes" (instance $i)))"#,
    );
    assert_eq!(r, Ok(()));
}

/// Found by fuzz/ (abi_diff): a type import whose bound mentions an earlier
/// type import is replaced by the type supplied for it where it is used, so
/// an export of the instance's function names the supplied (exported) types.
#[test]
fn instantiation_substitutes_type_imports_that_mention_type_imports() {
    let r = check(
        r#"(component
  (component $A
    (type $v0 (variant (case "y" u32)))
    (import "t0" (type $t0 (eq $v0)))
    (type $v1 (variant (case "z" $t0)))
    (import "t1" (type $t1 (eq $v1)))
    (import "f" (func $f (param "p" $t1)))
    (export "run" (func $f)))
  (core module $m
    (memory (export "memory") 1)
    (func (export "g") (param i32 i32 i32))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable))
  (core instance $mi (instantiate $m))
  (type $v (variant (case "y" u32)))
  (export $ve "t0" (type $v))
  (type $w (variant (case "z" $ve)))
  (export $we "t1" (type $w))
  (func $g (param "p" $we)
    (canon lift (core func $mi "g") (memory $mi "memory") (realloc (func $mi "realloc"))))
  (instance $a (instantiate $A (with "t0" (type $ve)) (with "t1" (type $we)) (with "f" (func $g))))
  (export "run" (func $a "run")))"#,
    );
    assert_eq!(r, Ok(()));
}

fn check_with(wat: &str, features: &Features) -> Result<(), String> {
    let bytes = wat::parse_str(wat).map_err(|e| e.to_string())?;
    validate(&bytes, features)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// 🧵②'s gate is also the core shared-everything-threads proposal's, as
/// wasmparser has one flag for both (fuzz component_validate_diff, seed 100
/// iteration 126878210: `thread.available_parallelism` under no gates).
#[test]
fn shared_everything_threads_gates_core_shared_types_in_module_types() {
    let shared = [
        r#"(component (core func (canon thread.available_parallelism)))"#,
        r#"(component (core type (module (export "t" (table shared 1 (ref null (shared func)))))))"#,
        r#"(component (core type (module (import "" "g" (global (shared i64))))))"#,
        r#"(component (core type (module (import "" "g" (global (ref null (shared extern)))))))"#,
        r#"(component (core type (module (type (shared (func))))))"#,
        r#"(component (core type (module (type (func (param (ref null (shared any))))))))"#,
        r#"(component (core type (shared (func))))"#,
    ];
    let mut off = Features::ALL;
    off.component_model_shared_everything_threads = false;
    for wat in shared {
        let bytes = wat::parse_str(wat).unwrap();
        let oracle =
            wasmparser::Validator::new_with_features(off.wasmparser()).validate_all(&bytes);
        assert!(oracle.is_err(), "wasmparser accepts {wat}");
        let e = check_with(wat, &off).unwrap_err();
        assert!(
            e.contains("requires the component-model-shared-everything-threads feature"),
            "{wat}: {e}"
        );
        assert_eq!(check_with(wat, &Features::ALL), Ok(()), "{wat}");
    }
}

#[test]
fn core_function_bodies_are_checked_unless_deferred() {
    use witness_spec::validate::{CoreBodies, validate_ast_with};
    let bytes = wat::parse_str(
        r#"(component
  (core module (func (result i32) (i64.const 0)))
  (core module (import "a" "b" (func)) (func (export "f") (call 0))))"#,
    )
    .unwrap();
    let features = Features::REFERENCE_TESTS;
    let err = validate(&bytes, &features).unwrap_err().to_string();
    assert!(err.contains("type mismatch"), "{err}");
    let ast = witness_spec::decode_component(&bytes, &features).unwrap();
    let v = validate_ast_with(&ast, &features, CoreBodies::Deferred);
    assert!(v.is_ok(), "{v:?}");
    // Deferred still checks everything but the bodies.
    let bad_export = wat::parse_str(
        r#"(component (core module (func (i64.const 0) drop) (export "f" (func 1))))"#,
    )
    .unwrap();
    let ast = witness_spec::decode_component(&bad_export, &features).unwrap();
    let err = validate_ast_with(&ast, &features, CoreBodies::Deferred).unwrap_err();
    assert!(err.to_string().contains("func"), "{err}");
}
