//! Observability (DESIGN.md "Observability"): each mirrored definition
//! reports its entry, with its arguments, and its exit, with its result or
//! its trap, to the store's [`Tracer`].
//!
//! A definition's body is wrapped in [`traced!`], which names the
//! definition and what to report, so the body itself stays the spec's:
//!
//! ```text
//! pub fn load(cx, ptr, t) -> Result<Value, Trap> {
//!     traced!(cx, "load", [Ptr(ptr), Type(t)], |v| [Value(v, t)], {
//!         ...the spec's body...
//!     })
//! }
//! ```
//!
//! Without a tracer (the default) a traced definition costs one check of
//! an `Option` before its body runs as written; the arguments are not
//! even built.

use crate::core_value::CoreValue;
use crate::options::{FuncRef, StringEncoding};
use crate::resource::ResourceType;
use crate::trap::Trap;
use crate::types::{FuncType, ValType};
use crate::value::Value;

/// One argument or result of a traced definition.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    /// A component value and its type.
    Value(&'a Value, &'a ValType),
    /// Component values and their types (a function's parameters or
    /// results).
    Values(&'a [Value], &'a [ValType]),
    /// A value type (what a load or lift is about to produce).
    Type(&'a ValType),
    /// Value types.
    Types(&'a [ValType]),
    /// A component function type.
    FuncType(&'a FuncType),
    /// A string's text.
    Text(&'a str),
    /// A string encoding (an option, or what a string was lifted from).
    Encoding(StringEncoding),
    /// Flat core values.
    Core(&'a [CoreValue]),
    /// A linear-memory address.
    Ptr(u64),
    /// A length: elements of a list, code units of a string, bytes of an
    /// allocation.
    Len(u64),
    /// Any other number, by the spec's name for it (`i` an index in
    /// `handles`, `rep` a representation, `alignment`, `max_flat` ...).
    Int(&'static str, u64),
    /// A core function, with its name when the embedder knows one.
    CoreFunc(FuncRef, Option<&'a str>),
    /// A resource type.
    Resource(&'a ResourceType),
}

/// Receives the trace of a store's definitions, in the order they run. A
/// definition's `exit` follows the `enter`s and `exit`s of the
/// definitions it calls, so the depth of nesting is the number of entries
/// not yet exited (threads of a concurrent run interleave).
pub trait Tracer {
    /// Definition `name` (the spec's) starts with `args`.
    fn enter(&mut self, name: &'static str, args: &[Arg<'_>]);
    /// Definition `name` returns `results`, or traps.
    fn exit(&mut self, name: &'static str, results: Result<&[Arg<'_>], &Trap>);
}

/// Wraps a definition's body `$body` (a block) so that `$t` (the
/// [`crate::LiftLowerContext`] `cx` or the [`crate::store::Store`])
/// reports entry with the arguments `[...]` and exit with the result,
/// shown as `|r| [...]` (omitted when the result says nothing); each
/// argument and result is an [`Arg`] variant, written without `Arg::`.
/// Without a tracer the body runs as written, as the function's own body:
/// that costs one check. With one, it runs in a closure, so that its `?`
/// and `return` end the body, not the tracing (the body is expanded twice).
macro_rules! traced {
    (@report $t:ident, $name:literal, [$($a:ident($($ae:expr),*)),*],
        |$r:pat_param| [$($b:ident($($be:expr),*)),*], $body:block, $run:expr) => {{
        if !$t.tracing() {
            return $body;
        }
        $t.trace_enter($name, &[$($crate::trace::Arg::$a($($ae),*)),*]);
        #[allow(clippy::redundant_closure_call)]
        let result: Result<_, $crate::trap::Trap> = $run;
        match &result {
            Ok($r) => $t.trace_exit($name, Ok(&[$($crate::trace::Arg::$b($($be),*)),*])),
            Err(e) => $t.trace_exit($name, Err(e)),
        }
        result
    }};
    ($t:ident, $name:literal, [$($a:ident($($ae:expr),*)),* $(,)?], $body:block) => {
        $crate::trace::traced!($t, $name, [$($a($($ae),*)),*], |_| [], $body)
    };
    ($t:ident, $name:literal, [$($a:ident($($ae:expr),*)),* $(,)?],
        |$r:pat_param| [$($b:ident($($be:expr),*)),* $(,)?], $body:block) => {
        $crate::trace::traced!(@report $t, $name, [$($a($($ae),*)),*],
            |$r| [$($b($($be),*)),*], $body, (|| $body)())
    };
}

/// [`traced!`] for a body that awaits: traced, it runs in an async block.
macro_rules! traced_async {
    ($t:ident, $name:literal, [$($a:ident($($ae:expr),*)),* $(,)?], $body:block) => {
        $crate::trace::traced_async!($t, $name, [$($a($($ae),*)),*], |_| [], $body)
    };
    ($t:ident, $name:literal, [$($a:ident($($ae:expr),*)),* $(,)?],
        |$r:pat_param| [$($b:ident($($be:expr),*)),* $(,)?], $body:block) => {
        $crate::trace::traced!(@report $t, $name, [$($a($($ae),*)),*],
            |$r| [$($b($($be),*)),*], $body, async $body.await)
    };
}
pub(crate) use {traced, traced_async};

#[cfg(test)]
pub(crate) mod tests {
    use super::{Arg, Tracer};
    use crate::context::LiftLowerContext;
    use crate::core_value::{CoreValue, CoreValueIter};
    use crate::instance::{ComponentInstance, InstanceId};
    use crate::options::StringEncoding;
    use crate::store::Store;
    use crate::tests::{Mock, opts};
    use crate::trap::{Trap, TrapKind};
    use crate::types::{FieldType, ValType};
    use crate::value::{StringValue, Value};
    use crate::values::{lift_flat_values, lower_flat_values};
    use alloc::boxed::Box;
    use alloc::format;
    use alloc::rc::Rc;
    use alloc::string::String;
    use alloc::vec;
    use alloc::vec::Vec;
    use core::cell::RefCell;

    /// Records each event as a line, indented by its depth.
    #[derive(Default)]
    pub(crate) struct Recorder {
        pub lines: Rc<RefCell<Vec<String>>>,
        depth: usize,
    }

    impl Recorder {
        /// A recorder made `store`'s tracer; its lines.
        pub fn install(store: &Store) -> Rc<RefCell<Vec<String>>> {
            let rec = Recorder::default();
            let lines = rec.lines.clone();
            store.set_tracer(Some(Box::new(rec)));
            lines
        }
    }

    fn show(args: &[Arg<'_>]) -> String {
        let shown: Vec<String> = args
            .iter()
            .map(|a| match a {
                Arg::Ptr(p) => format!("ptr={p:#x}"),
                Arg::Len(n) => format!("len={n}"),
                Arg::Int(name, n) => format!("{name}={n}"),
                Arg::Text(s) => format!("{s:?}"),
                Arg::Value(v, _) => format!("{v:?}"),
                Arg::Values(vs, _) => format!("{vs:?}"),
                Arg::Type(t) => format!("{t:?}"),
                Arg::Types(ts) => format!("{ts:?}"),
                Arg::Core(vs) => format!("{vs:?}"),
                Arg::CoreFunc(f, _) => format!("func={}", f.0),
                Arg::Encoding(e) => format!("{e:?}"),
                other => format!("{other:?}"),
            })
            .collect();
        shown.join(" ")
    }

    impl Tracer for Recorder {
        fn enter(&mut self, name: &'static str, args: &[Arg<'_>]) {
            let indent = "  ".repeat(self.depth);
            self.lines
                .borrow_mut()
                .push(format!("{indent}{name} {}", show(args)));
            self.depth += 1;
        }

        fn exit(&mut self, name: &'static str, results: Result<&[Arg<'_>], &Trap>) {
            self.depth -= 1;
            let indent = "  ".repeat(self.depth);
            self.lines.borrow_mut().push(match results {
                Ok(rs) => format!("{indent}{name} -> {}", show(rs)),
                Err(t) => format!("{indent}{name} trap {:?}", t.kind),
            });
        }
    }

    /// Runs `f` with a context of encoding `enc` over a mock core,
    /// reporting to a recorder; its lines.
    fn recorded(enc: StringEncoding, f: impl FnOnce(&mut LiftLowerContext<'_>)) -> Vec<String> {
        let (mut core, mut inst, mut rec) = (
            Mock::new(),
            ComponentInstance::new(InstanceId(0), None),
            Recorder::default(),
        );
        f(
            &mut LiftLowerContext::new(opts(enc), &mut inst, None, &mut core)
                .traced_by(Some(&mut rec)),
        );
        rec.lines.take()
    }

    #[test]
    fn lowering_a_string_reports_the_transcoding_and_the_allocation() {
        let lines = recorded(StringEncoding::Utf16, |cx| {
            let v = Value::String(StringValue::from_host("hi"));
            let flat =
                lower_flat_values(cx, 16, &[v], &[ValType::String], None, Vec::new()).unwrap();
            assert_eq!(flat, vec![CoreValue::I32(16), CoreValue::I32(2)]);
        });
        let hi = r#"String(StringValue { s: "hi", encoding: Utf8, tagged_code_units: 2 })"#;
        assert_eq!(
            lines,
            vec![
                format!("lower_flat_values max_flat=16 [{hi}]"),
                format!("  lower_flat {hi}"),
                format!(r#"    store_string_into_range "hi" Utf8 tagged_code_units=2"#),
                format!("      store_utf8_to_utf16 src_code_units=2"),
                format!("        reallocate func=0 ptr=0x0 original_size=0 alignment=2 new_size=4"),
                format!("        reallocate -> ptr=0x10"),
                format!("      store_utf8_to_utf16 -> ptr=0x10 tagged_code_units=2"),
                format!("    store_string_into_range -> ptr=0x10 tagged_code_units=2"),
                format!("  lower_flat -> [I32(16), I32(2)]"),
                format!("lower_flat_values -> [I32(16), I32(2)]"),
            ]
        );
    }

    #[test]
    fn a_trap_ends_every_definition_it_unwinds() {
        let lines = recorded(StringEncoding::Utf8, |cx| {
            let t = ValType::Record(vec![FieldType {
                label: "s".into(),
                t: ValType::String,
            }]);
            // A string of 5 bytes at the end of memory: one past it.
            let flat = [CoreValue::I32(0xfffc), CoreValue::I32(5)];
            let r = lift_flat_values(cx, 16, &mut CoreValueIter::new(&flat), &[t], Vec::new());
            assert_eq!(r.unwrap_err().kind, TrapKind::StringOutOfBounds);
        });
        let names: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert_eq!(
            names,
            [
                "lift_flat_values",
                "lift_flat",
                "lift_flat",
                "load_string_from_range",
                "load_string_from_range",
                "lift_flat",
                "lift_flat",
                "lift_flat_values"
            ]
        );
        let trap = format!("trap {:?}", TrapKind::StringOutOfBounds);
        assert!(lines[4..].iter().all(|l| l.ends_with(&trap)), "{lines:#?}");
    }
}
