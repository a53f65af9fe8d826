//! The Canonical ABI's trace for people (`witness run --trace`): each
//! definition the store runs on one line, indented by how deeply it is
//! nested, with component values in WAVE, pointers in hex and lengths in
//! decimal.
//!
//! ```text
//! canon_lift func 1 "greet" func(name: string) -> string
//!   Thread.resume thread=0 cancelled=0
//!     Task.enter_implicit_thread task=0
//!     Task.start task=0 -> ("world") : (string)
//!     lower_flat_values max_flat=16 ("world") : (string)
//!       lower_flat "world" : string
//!         store_string_into_range "world" utf8 tagged_code_units=5
//!           store_string_copy src_code_units=5
//!             reallocate func 0 "realloc" ptr=0x0 original_size=0 alignment=1 new_size=5 -> ptr=0x1000
//!           -> ptr=0x1000 tagged_code_units=5
//! ```
//!
//! A definition that calls no other shows its result at the end of its
//! line, after `->`; one that does shows it on a line of its own,
//! `-> ...`, after its callees. A trap is shown once, where it happened.
//!
//! Threads interleave: when a thread blocks inside definitions (in
//! `Thread.wait_until`, say), the definition that resumed it returns while
//! they are still running. They are shown suspended, their line ending in
//! `...`, and when the thread is resumed and they return, each shows its
//! return on a line `... NAME -> RESULT` in the place it happens.

use crate::wave::to_wave;
use witness_canonical::{
    Arg, CoreValue, FuncType, StringEncoding, StringValue, Tracer, Trap, ValType, Value,
};

/// Writes the trace, line by line, to a sink (stderr for `witness run`).
pub struct TraceWriter {
    out: Box<dyn FnMut(&str)>,
    /// The definitions entered and not yet returned or suspended,
    /// innermost last: the depth of nesting.
    open: Vec<&'static str>,
    /// The last entry's line, held back while it may still get its
    /// result on the same line.
    pending: Option<String>,
    /// Whether the trap being unwound was shown.
    trap_shown: bool,
}

impl TraceWriter {
    /// A writer that hands each finished line to `out`.
    pub fn new(out: impl FnMut(&str) + 'static) -> TraceWriter {
        TraceWriter {
            out: Box::new(out),
            open: Vec::new(),
            pending: None,
            trap_shown: false,
        }
    }

    fn flush(&mut self) {
        if let Some(line) = self.pending.take() {
            (self.out)(&line);
        }
    }
}

impl Tracer for TraceWriter {
    fn enter(&mut self, name: &'static str, args: &[Arg<'_>]) {
        self.flush();
        self.trap_shown = false;
        let mut line = format!("{}{name}", indent(self.open.len()));
        for a in args {
            line.push(' ');
            line.push_str(&show(a));
        }
        self.pending = Some(line);
        self.open.push(name);
    }

    fn exit(&mut self, name: &'static str, results: Result<&[Arg<'_>], &Trap>) {
        let tail = match results {
            Ok([]) => None,
            Ok(rs) => Some(format!(
                "-> {}",
                rs.iter().map(show).collect::<Vec<_>>().join(" ")
            )),
            Err(_) if self.trap_shown => None,
            Err(t) => {
                self.trap_shown = true;
                Some(format!("!! trap: {t}"))
            }
        };
        let Some(at) = self.open.iter().rposition(|n| *n == name) else {
            // Entered before its thread last blocked: it returns here.
            self.flush();
            let line = format!("{}... {name}", indent(self.open.len()));
            (self.out)(&tail.map_or(line.clone(), |tail| format!("{line} {tail}")));
            return;
        };
        if at + 1 < self.open.len() {
            // The definitions above it are on a thread that blocked.
            if let Some(line) = self.pending.take() {
                (self.out)(&format!("{line} ..."));
            }
        }
        self.open.truncate(at);
        match (self.pending.take(), tail) {
            (Some(line), Some(tail)) => (self.out)(&format!("{line} {tail}")),
            (Some(line), None) => (self.out)(&line),
            (None, Some(tail)) => (self.out)(&format!("{}{tail}", indent(at))),
            (None, None) => {}
        }
    }
}

impl Drop for TraceWriter {
    fn drop(&mut self) {
        self.flush();
    }
}

/// The indentation of depth `depth`.
fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

/// One argument or result as the trace shows it.
fn show(a: &Arg<'_>) -> String {
    match *a {
        Arg::Value(v, t) => format!("{} : {}", value(v, t), type_name(t)),
        Arg::Values(vs, ts) => format!(
            "({}) : ({})",
            comma(vs.iter().zip(ts).map(|(v, t)| value(v, t))),
            comma(ts.iter().map(type_name))
        ),
        Arg::Type(t) => type_name(t),
        Arg::Types(ts) => format!("({})", comma(ts.iter().map(type_name))),
        Arg::FuncType(ft) => func_type(ft),
        Arg::Text(s) => value(&Value::String(StringValue::from_host(s)), &ValType::String),
        Arg::Encoding(e) => encoding(e).to_string(),
        Arg::Core(vs) => format!("[{}]", comma(vs.iter().map(core))),
        Arg::Ptr(p) => format!("ptr={p:#x}"),
        Arg::Len(n) => format!("len={n}"),
        // A tagged length (latin1+utf16) reads better with its tag bit.
        Arg::Int(name, n) if n >= 1 << 31 => format!("{name}={n:#x}"),
        Arg::Int(name, n) => format!("{name}={n}"),
        Arg::CoreFunc(f, Some(name)) => format!("func {} {name:?}", f.0),
        Arg::CoreFunc(f, None) => format!("func {}", f.0),
        Arg::Resource(rt) => format!("resource={}", rt.0.name),
    }
}

/// `v` in WAVE; handles and other values WAVE cannot write in witness's
/// own notation.
fn value(v: &Value, t: &ValType) -> String {
    if let Ok(w) = to_wave(v, t) {
        return wasm_wave::to_string(&w).unwrap_or_else(|e| e.to_string());
    }
    match (v, t) {
        (Value::Handle(rep), ValType::Own(rt)) => format!("own<{}>(rep={rep})", rt.0.name),
        (Value::Handle(rep), ValType::Borrow(rt)) => format!("borrow<{}>(rep={rep})", rt.0.name),
        (Value::ErrorContext(_), _) => String::from("error-context"),
        (Value::Stream(_), _) => String::from("stream"),
        (Value::Future(_), _) => String::from("future"),
        _ => format!("{v:?}"),
    }
}

/// `t` in WIT's notation (records, variants and the like spelled out,
/// since the trace has no names for them).
pub fn type_name(t: &ValType) -> String {
    let opt = |t: &Option<Box<ValType>>| t.as_deref().map_or(String::from("_"), type_name);
    match t {
        ValType::Bool => "bool".into(),
        ValType::S8 => "s8".into(),
        ValType::U8 => "u8".into(),
        ValType::S16 => "s16".into(),
        ValType::U16 => "u16".into(),
        ValType::S32 => "s32".into(),
        ValType::U32 => "u32".into(),
        ValType::S64 => "s64".into(),
        ValType::U64 => "u64".into(),
        ValType::F32 => "f32".into(),
        ValType::F64 => "f64".into(),
        ValType::Char => "char".into(),
        ValType::String => "string".into(),
        ValType::ErrorContext => "error-context".into(),
        ValType::List(t, None) => format!("list<{}>", type_name(t)),
        ValType::List(t, Some(n)) => format!("list<{}, {n}>", type_name(t)),
        ValType::Record(fs) => format!(
            "record {{ {} }}",
            comma(
                fs.iter()
                    .map(|f| format!("{}: {}", f.label, type_name(&f.t)))
            )
        ),
        ValType::Tuple(ts) => format!("tuple<{}>", comma(ts.iter().map(type_name))),
        ValType::Variant(cs) => format!(
            "variant {{ {} }}",
            comma(cs.iter().map(|c| match &c.t {
                Some(t) => format!("{}({})", c.label, type_name(t)),
                None => c.label.clone(),
            }))
        ),
        ValType::Enum(ls) => format!("enum {{ {} }}", ls.join(", ")),
        ValType::Option(t) => format!("option<{}>", type_name(t)),
        ValType::Result(None, None) => "result".into(),
        ValType::Result(ok, err) => format!("result<{}, {}>", opt(ok), opt(err)),
        ValType::Flags(ls) => format!("flags {{ {} }}", ls.join(", ")),
        ValType::Map(k, v) => format!("map<{}, {}>", type_name(k), type_name(v)),
        ValType::Own(rt) => format!("own<{}>", rt.0.name),
        ValType::Borrow(rt) => format!("borrow<{}>", rt.0.name),
        ValType::Stream(t) => t
            .as_deref()
            .map_or("stream".into(), |t| format!("stream<{}>", type_name(t))),
        ValType::Future(t) => t
            .as_deref()
            .map_or("future".into(), |t| format!("future<{}>", type_name(t))),
    }
}

/// A function type as WIT writes it: `(name: string) -> string`.
fn func_type(ft: &FuncType) -> String {
    let params = comma(
        ft.params
            .iter()
            .map(|(n, t)| format!("{n}: {}", type_name(t))),
    );
    let result = ft
        .result
        .as_ref()
        .map_or(String::new(), |t| format!(" -> {}", type_name(t)));
    let async_ = if ft.async_ { "async " } else { "" };
    format!("{async_}func({params}){result}")
}

/// Items separated by commas.
fn comma(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

fn encoding(e: StringEncoding) -> &'static str {
    match e {
        StringEncoding::Utf8 => "utf8",
        StringEncoding::Utf16 => "utf16",
        StringEncoding::Latin1Utf16 => "latin1+utf16",
    }
}

/// A core value as the text format writes its type and number.
fn core(v: &CoreValue) -> String {
    match v {
        CoreValue::I32(i) => format!("i32 {i}"),
        CoreValue::I64(i) => format!("i64 {i}"),
        CoreValue::F32(f) => format!("f32 {f}"),
        CoreValue::F64(f) => format!("f64 {f}"),
    }
}

#[cfg(test)]
mod tests {
    use super::TraceWriter;
    use crate::component::{Component, Engine, Linker, Store, Trap, TrapKind, Val, ValType};
    use std::cell::RefCell;
    use std::rc::Rc;
    use witness_canonical::{Arg, Tracer};
    use witness_interp::component::StringValue;

    /// The trace of calling `name` (an export of examples/demo.wat or of
    /// its interface) with `args` on a fresh instance.
    fn trace(name: &str, args: &[Val]) -> String {
        let bytes = wat::parse_file(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/demo.wat"))
            .expect("the example parses");
        let engine = Engine::default();
        let component = Component::new(&engine, &bytes).expect("the example is valid");
        let store = Store::new(&engine);
        let instance = Linker::new()
            .instantiate(&store, &component)
            .expect("the example instantiates");
        let text = Rc::new(RefCell::new(String::new()));
        let sink = text.clone();
        store.set_tracer(Some(Box::new(TraceWriter::new(move |line| {
            let mut t = sink.borrow_mut();
            t.push_str(line);
            t.push('\n');
        }))));
        let f = instance
            .func(name)
            .or_else(|| instance.instance("example:demo/text@0.1.0")?.func(name))
            .expect("the example exports it");
        f.call(&store, args).expect("the call returns");
        drop(store.set_tracer(None));
        text.take()
    }

    #[test]
    fn a_trap_shows_once_where_it_happened() {
        let text = Rc::new(RefCell::new(Vec::new()));
        let sink = text.clone();
        let mut w = TraceWriter::new(move |line| sink.borrow_mut().push(line.to_string()));
        let trap = Trap::from(TrapKind::StringOutOfBounds);
        w.enter("lift_flat", &[Arg::Type(&ValType::String)]);
        w.enter("load_string_from_range", &[Arg::Ptr(0xfffc), Arg::Len(5)]);
        w.exit("load_string_from_range", Err(&trap));
        w.exit("lift_flat", Err(&trap));
        assert_eq!(
            *text.borrow(),
            [
                "lift_flat string",
                &format!("  load_string_from_range ptr=0xfffc len=5 !! trap: {trap}"),
            ]
        );
    }

    #[test]
    fn definitions_of_a_blocked_thread_return_where_it_resumes() {
        let text = Rc::new(RefCell::new(Vec::new()));
        let sink = text.clone();
        let mut w = TraceWriter::new(move |line| sink.borrow_mut().push(line.to_string()));
        let yes = [Arg::Int("cancelled", 1)];
        w.enter("Thread.resume", &[Arg::Int("thread", 1)]);
        w.enter("call_and_trap_on_throw", &[]);
        w.enter("Thread.wait_until", &[Arg::Int("thread", 1)]);
        w.exit("Thread.resume", Ok(&[]));
        w.enter("Thread.resume", &[Arg::Int("thread", 1)]);
        w.exit("Thread.wait_until", Ok(&yes));
        w.exit("call_and_trap_on_throw", Ok(&[]));
        w.exit("Thread.resume", Ok(&[]));
        assert_eq!(
            *text.borrow(),
            [
                "Thread.resume thread=1",
                "  call_and_trap_on_throw",
                "    Thread.wait_until thread=1 ...",
                "Thread.resume thread=1",
                "  ... Thread.wait_until -> cancelled=1",
                "  ... call_and_trap_on_throw",
            ]
        );
    }

    #[test]
    fn greet_lowers_a_string_and_lifts_the_spilled_result() {
        let world = Val::String(StringValue::from_host("world"));
        insta::assert_snapshot!(trace("greet", &[world]));
    }

    #[test]
    fn mirror_flattens_a_record_and_loads_one() {
        let p = Val::Record(vec![("x".into(), Val::S32(1)), ("y".into(), Val::S32(-2))]);
        insta::assert_snapshot!(trace("mirror", &[p]));
    }

    #[test]
    fn count_creates_borrows_and_drops_a_resource_across_two_components() {
        insta::assert_snapshot!(trace("count", &[Val::U32(10), Val::U32(1)]));
    }

    #[test]
    fn a_list_is_stored_element_by_element() {
        let xs = Val::List(vec![Val::U32(1), Val::U32(2), Val::U32(3)]);
        insta::assert_snapshot!(trace("sum", &[xs]));
    }
}
