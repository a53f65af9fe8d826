//! Snapshots of component → WIT (`wit::component_world`): the world of
//! small components, and the errors for what a world cannot say.

use witness_spec::wit::{self, Resolve};

fn world(wat: &str) -> String {
    let bytes = wat::parse_str(wat).unwrap();
    let mut resolve = Resolve::new();
    match wit::component_world::decode_component_world(&mut resolve, &bytes) {
        Ok(w) => {
            // The interfaces of other packages printed too, nested.
            let pkg = resolve.worlds[w].package.unwrap();
            let others: Vec<_> = (0..resolve.packages.len()).filter(|p| *p != pkg).collect();
            wit::print(&resolve, pkg, &others)
        }
        Err(e) => format!("error[{}]: {}", e.rule.name(), e.message),
    }
}

/// An instance made by instantiation and exported without an ascription:
/// its types come from the validator, and the type it takes from the
/// imported interface is a `use` of it.
#[test]
fn instantiated_export_uses_imported_types() {
    insta::assert_snapshot!(world(
        r#"(component
          (import "a:b/types" (instance $t
            (type $p (record (field "x" u32)))
            (export "point" (type (eq $p)))))
          (alias export $t "point" (type $point))
          (component $c
            (import "point" (type $p (eq $point)))
            (import "f" (func $f (param "p" $p)))
            (instance $i (export "point" (type $p)) (export "f" (func $f)))
            (export "a:b/api" (instance $i)))
          (import "f" (func $f (param "p" $point)))
          (instance $i (instantiate $c (with "point" (type $point)) (with "f" (func $f))))
          (export "a:b/api" (instance $i "a:b/api")))"#
    ));
}

/// Two names for one resource: each handle names the resource by the name
/// it was written with.
#[test]
fn resource_aliases_keep_their_names() {
    insta::assert_snapshot!(world(
        r#"(component
          (import "r" (type $r (sub resource)))
          (import "s" (type $s (eq $r)))
          (import "f" (func (param "a" (own $r)) (param "b" (borrow $s)))))"#
    ));
}

#[test]
fn exported_type_has_no_world_form() {
    insta::assert_snapshot!(world(
        r#"(component
          (type $e (enum "a" "b"))
          (export "e" (type $e)))"#
    ));
}

/// Anonymous types nested deeper than WIT text is read are refused (and
/// never overflow the stack).
#[test]
fn deeply_nested_anonymous_types() {
    let mut wat = String::from("(component (type $t0 (list u8))");
    for i in 1..200 {
        wat.push_str(&format!(" (type $t{i} (list $t{}))", i - 1));
    }
    wat.push_str(" (import \"f\" (func (param \"x\" $t199))))");
    insta::assert_snapshot!(world(&wat));
}
