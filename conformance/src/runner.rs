//! The script runner: runs each directive of a `.wast` script against one
//! [`Store`], the way the reference interpreter's `script/run.ml` does, and
//! counts the assertions.
//!
//! Conventions: `inst` is a module instance, `registry` maps the names given
//! by `register` (and `spectest`) to the externs an import can name.

mod search;

use self::search::Search;
use crate::component::{ComponentVerdict, Components};
use crate::report::{FileReport, Witnessed};
use crate::spectest;
use crate::split::{self, Chunk};
use crate::values;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;
use std::path::Path;
use std::rc::Rc;
use wast::lexer::TokenKind;
use wast::parser::{self, ParseBuffer};
use wast::token::Id;
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, Wat};
use witness_interp::component::Component;
use witness_interp::core_wasm::{
    CallError, Config, Extern, FuncAddr, InstanceAddr, InstantiationError, Module, ModuleErrorKind,
    Store, Trap, TrapKind, Val,
};

/// Fuel for one directive (an invocation, or a module's start function): far
/// more than any suite test needs, little enough that none can hang.
pub const FUEL_PER_DIRECTIVE: u64 = 1_000_000_000;

/// How one directive ended.
#[derive(Clone)]
enum Verdict {
    /// The assertion held, or the command succeeded.
    Pass,
    /// A rejected module, rejected for a reason worded otherwise than expected.
    PassOtherMessage,
    /// The assertion did not hold, or the command failed.
    Fail(String),
    /// Outside witness's scope (component directives, threads).
    Skip,
}

use Verdict::{Fail, Pass, PassOtherMessage, Skip};

impl From<ComponentVerdict> for Verdict {
    fn from(v: ComponentVerdict) -> Self {
        match v {
            ComponentVerdict::Pass => Pass,
            ComponentVerdict::PassOtherMessage => PassOtherMessage,
            ComponentVerdict::Fail(m) => Fail(m),
            ComponentVerdict::Skip => Skip,
        }
    }
}

/// An instance under construction failed: how.
enum InstantiateError {
    /// The text or binary did not decode or validate, or uses a feature
    /// witness does not support (`unsupported`).
    Module { unsupported: bool, message: String },
    /// An import could not be resolved or did not match.
    Link(String),
    /// Instantiation (segment initialisation or the start function) trapped.
    Trap(Trap),
    /// Something else failed (a misuse of the interpreter API: a bug).
    Other(String),
}

impl InstantiateError {
    fn message(&self) -> String {
        match self {
            InstantiateError::Module { message, .. } | InstantiateError::Other(message) => {
                message.clone()
            }
            InstantiateError::Link(m) => format!("link error: {m}"),
            InstantiateError::Trap(t) => format!("trap during instantiation: {}", t.message()),
        }
    }
}

/// The state of one script run.
pub struct Runner {
    store: Store,
    registry: HashMap<String, HashMap<String, Extern>>,
    /// The most recent module instance (`None` if it failed).
    current: Option<InstanceAddr>,
    /// Named instances (`None` if the module failed).
    named: HashMap<String, Option<InstanceAddr>>,
    /// Modules from `(module definition ...)`, by name; `None` if it failed.
    definitions: HashMap<String, Option<Rc<Module>>>,
    /// The most recent `(module definition ...)` (`None` if it failed).
    last_definition: Option<Option<Rc<Module>>>,
    /// Component definitions seen so far.
    components: Components,
    /// How many seeds a witnessing-schedule search tries (0: none).
    search_seeds: u64,
    /// Assertions known to contradict the pinned spec (`disputed.toml`'s
    /// `"FILE:LINE"` keys, with their reasons): never searched for.
    disputed: BTreeMap<String, String>,
}

/// How many seeds [`Runner::new`] tries for an assertion the
/// deterministic profile fails.
pub const SEARCH_SEEDS: u64 = 128;

/// The lines of `disputed` (keyed `"FILE:LINE"`) whose FILE is a trailing
/// part of `path`, with their reasons.
fn disputed_lines(disputed: &BTreeMap<String, String>, path: &str) -> HashMap<usize, String> {
    disputed
        .iter()
        .filter_map(|(key, reason)| {
            let (file, line) = key.rsplit_once(':')?;
            let line = line.parse().ok()?;
            Path::new(path)
                .ends_with(file)
                .then(|| (line, reason.clone()))
        })
        .collect()
}

/// One step of a script run, in file order: a directive, or a chunk that
/// did not parse.
#[derive(Clone)]
struct Outcome {
    line: usize,
    kind: &'static str,
    verdict: Verdict,
    /// The assertions it holds.
    assertions: usize,
    /// Whether it ran on components (whose choices a schedule makes).
    component: bool,
}

impl Outcome {
    fn passed(&self) -> bool {
        matches!(self.verdict, Pass | PassOtherMessage)
    }

    /// A failed component assertion: one that another schedule the spec
    /// permits might make hold.
    fn wants_witness(&self) -> bool {
        self.component && self.kind.starts_with("assert_") && matches!(self.verdict, Fail(_))
    }
}

impl Default for Runner {
    fn default() -> Self {
        Runner::new()
    }
}

impl Runner {
    /// A runner with a fresh store holding the `spectest` instance.
    pub fn new() -> Runner {
        let mut store = Store::new(Config {
            fuel: Some(FUEL_PER_DIRECTIVE),
            ..Config::default()
        });
        let mut registry = HashMap::new();
        registry.insert("spectest".to_string(), spectest::instantiate(&mut store));
        Runner {
            store,
            registry,
            current: None,
            named: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
            components: Components::default(),
            search_seeds: SEARCH_SEEDS,
            disputed: BTreeMap::new(),
        }
    }

    /// How many seeds to try, `1..=seeds`, when a component assertion
    /// fails (0: never search; for runs under choices set by the caller).
    pub fn set_search_seeds(&mut self, seeds: u64) {
        self.search_seeds = seeds;
    }

    /// Assertions that contradict the pinned spec, as `disputed.toml` lists
    /// them (`"FILE:LINE"`, FILE a trailing part of the script's path, and
    /// the reason): when one fails, no schedule is searched for (none the
    /// spec permits makes it hold), and its failure carries the reason.
    pub fn set_disputed(&mut self, disputed: BTreeMap<String, String>) {
        self.disputed = disputed;
    }

    /// The store the script's components run in (to give it a tracer).
    pub fn component_store(&self) -> &witness_interp::component::Store {
        self.components.store()
    }

    /// Reads and runs the script at `path`. A file that cannot be read is
    /// one failure at line 0.
    pub fn run_file(&mut self, path: &Path) -> FileReport {
        let name = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => self.run_script(&name, &text),
                Err(_) => failed_file(name, "the file is not UTF-8"),
            },
            Err(e) => failed_file(name, &format!("cannot read the file: {e}")),
        }
    }

    /// Runs the script `text` (read from `path`) and reports its results.
    ///
    /// A component assertion that fails may still hold under another
    /// schedule the spec permits: the runner then looks for a witnessing
    /// schedule, re-running the script from the start under seeded-random
    /// choices (seeds `1..=search_seeds`, in order) up to that assertion.
    /// A seed witnesses it when the assertion holds and so does every
    /// earlier directive that held so far; the report then takes that run's
    /// outcomes and the script goes on in that run's state, so what it
    /// reports is one execution the spec permits (replayable by its seed).
    pub fn run_script(&mut self, path: &str, text: &str) -> FileReport {
        let seeds = self.search_seeds;
        let disputed = disputed_lines(&self.disputed, path);
        let mut record: Vec<Outcome> = Vec::new();
        let mut witnessed = Vec::new();
        let script = Script::new(text);
        let mut search = Search::new(&script, seeds);
        self.run_outcomes(&script, 0, &mut |runner, outcome| {
            let mut outcome = outcome;
            if seeds > 0 && outcome.wants_witness() && !disputed.contains_key(&outcome.line) {
                let held: Vec<bool> = record.iter().map(Outcome::passed).collect();
                if let Some((seed, run)) = search.find(&held) {
                    let mut outcomes = run.outcomes;
                    // The seed's run goes on with this one's settings: its
                    // tracer traces the rest of the script.
                    let listed = core::mem::take(&mut runner.disputed);
                    let tracer = runner.component_store().set_tracer(None);
                    *runner = run.runner;
                    runner.search_seeds = seeds;
                    runner.disputed = listed;
                    runner.component_store().set_tracer(tracer);
                    outcome = outcomes.pop().unwrap_or(outcome);
                    for (old, new) in record.iter().zip(&outcomes) {
                        if !old.passed() && new.passed() && new.assertions > 0 {
                            witnessed.push((new.line, seed));
                        }
                    }
                    witnessed.push((outcome.line, seed));
                    record = outcomes;
                }
            }
            record.push(outcome);
            ControlFlow::Continue(())
        });
        let mut report = FileReport::new(path);
        for o in record {
            match o.verdict {
                Pass if o.kind.starts_with("assert_") => report.passed += 1,
                PassOtherMessage => {
                    report.passed += 1;
                    report.message_mismatches += 1;
                }
                Pass => {}
                Fail(message) => match disputed.get(&o.line) {
                    Some(reason) => {
                        report.fail(o.line, o.kind, format!("{message} (disputed: {reason})"));
                    }
                    None => report.fail(o.line, o.kind, message),
                },
                Skip => report.skipped += o.assertions.max(1),
            }
        }
        witnessed.sort_unstable();
        report.witnessed = witnessed
            .into_iter()
            .map(|(line, seed)| Witnessed { line, seed })
            .collect();
        report
    }

    /// Runs the chunks of `script` in order from outcome `from` on (those
    /// before are not run: skipped by their known number of outcomes, or
    /// parsed to count them), handing each outcome to `visit` with the
    /// runner it ran in (which `visit` may replace); stops when `visit`
    /// breaks.
    fn run_outcomes(
        &mut self,
        script: &Script<'_>,
        from: usize,
        visit: &mut dyn FnMut(&mut Runner, Outcome) -> ControlFlow<()>,
    ) {
        let mut at = 0;
        for (i, count) in script.counts.iter().enumerate() {
            if let Some(n) = count.get()
                && at + n <= from
            {
                at += n;
                continue;
            }
            let before = at;
            if self.run_chunk(script, i, from, &mut at, visit).is_break() {
                return;
            }
            count.set(Some(at - before));
        }
    }

    /// Parses and runs the directives of chunk `i` of `script`; `at`
    /// counts outcomes. A chunk that is one component definition is
    /// compiled once for all the runs of the script (the seeds' too).
    fn run_chunk(
        &mut self,
        script: &Script<'_>,
        i: usize,
        from: usize,
        at: &mut usize,
        visit: &mut dyn FnMut(&mut Runner, Outcome) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let chunk = &script.chunks[i];
        let compiled = script.components.borrow().get(&i).cloned();
        if let Some(c) = compiled {
            *at += 1;
            if *at <= from {
                return ControlFlow::Continue(());
            }
            return self.define_component(c, visit);
        }
        let line_of = |span: wast::token::Span| chunk.line + span.linecol_in(chunk.text).0;
        let unparsed = |line, message: String| Outcome {
            line,
            kind: "parse",
            verdict: Fail(message),
            assertions: 0,
            component: false,
        };
        // A text that does not parse is one outcome; a module's that lexes
        // still replaces the current module.
        let buf = ParseBuffer::new_with_lexer(split::lexer(chunk.text));
        let parsed = buf
            .as_ref()
            .map_err(|e| (e.span(), e.message(), false))
            .and_then(|buf| {
                parser::parse::<Wast<'_>>(buf).map_err(|e| (e.span(), e.message(), true))
            });
        let wast = match parsed {
            Ok(wast) => wast,
            Err((span, message, forget)) => {
                *at += 1;
                if *at <= from {
                    return ControlFlow::Continue(());
                }
                if forget {
                    self.forget_unparsed_module(chunk.text);
                }
                return visit(self, unparsed(line_of(span), message));
            }
        };
        if let [WastDirective::Module(q) | WastDirective::ModuleDefinition(q)] =
            &wast.directives[..]
            && is_component(q)
        {
            *at += 1;
            if *at <= from {
                return ControlFlow::Continue(());
            }
            let (q, definition) = match wast.directives.into_iter().next() {
                Some(WastDirective::Module(q)) => (q, false),
                Some(WastDirective::ModuleDefinition(q)) => (q, true),
                _ => return ControlFlow::Continue(()),
            };
            let c = CompiledComponent {
                line: line_of(q.span()),
                name: q.name().map(|id| id.name().to_string()),
                definition,
                component: self.components.compile(q),
            };
            script.components.borrow_mut().insert(i, c.clone());
            return self.define_component(c, visit);
        }
        for directive in wast.directives {
            *at += 1;
            if *at <= from {
                continue;
            }
            let line = line_of(directive.span());
            let kind = directive_kind(&directive);
            let assertions = count_assertions(&directive);
            let (verdict, component) = self.run_directive(directive);
            let outcome = Outcome {
                line,
                kind,
                verdict,
                assertions,
                component,
            };
            visit(self, outcome)?;
        }
        ControlFlow::Continue(())
    }

    /// Runs a component (or component definition) directive compiled to `c`.
    fn define_component(
        &mut self,
        c: CompiledComponent,
        visit: &mut dyn FnMut(&mut Runner, Outcome) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let name = c.name.as_deref();
        let (verdict, kind) = if c.definition {
            let verdict = self.components.keep_definition(name, &c.component);
            (verdict, "module definition")
        } else {
            (self.components.define(name, &c.component), "module")
        };
        let outcome = Outcome {
            line: c.line,
            kind,
            verdict: verdict.into(),
            assertions: 0,
            component: true,
        };
        visit(self, outcome)
    }

    /// A `(module $M ...)` that did not parse still replaces the current
    /// module (and `$M`): later directives must not run against an older one.
    fn forget_unparsed_module(&mut self, text: &str) {
        let lexer = split::lexer(text);
        let mut pos = 0;
        let mut words = Vec::new();
        while let Ok(Some(token)) = lexer.parse(&mut pos) {
            match token.kind {
                TokenKind::Whitespace | TokenKind::LineComment | TokenKind::BlockComment => {}
                TokenKind::LParen if words.is_empty() => words.push("("),
                TokenKind::Keyword | TokenKind::Id => words.push(token.src(text)),
                _ => break,
            }
            if words.len() == 3 {
                break;
            }
        }
        if words.get(1) != Some(&"module") || words.get(2) == Some(&"definition") {
            return;
        }
        self.current = None;
        if let Some(id) = words.get(2).and_then(|w| w.strip_prefix('$')) {
            self.named.insert(id.to_string(), None);
        }
    }

    /// Runs one directive; tells whether it ran on components.
    fn run_directive(&mut self, directive: WastDirective<'_>) -> (Verdict, bool) {
        match self.components.run(directive) {
            Ok(verdict) => (verdict.into(), true),
            Err(directive) => (self.run_core_directive(directive), false),
        }
    }

    /// Runs one directive that is not a component's.
    fn run_core_directive(&mut self, directive: WastDirective<'_>) -> Verdict {
        match directive {
            WastDirective::Module(module) => {
                let name = module.name().map(|id| id.name().to_string());
                match self.instantiate_quote(module) {
                    None => Skip,
                    Some(result) => {
                        let (inst, verdict) = match result {
                            Ok(inst) => (Some(inst), Pass),
                            Err(e) => (None, Fail(e.message())),
                        };
                        self.current = inst;
                        if let Some(name) = name {
                            self.named.insert(name, inst);
                        }
                        verdict
                    }
                }
            }
            WastDirective::ModuleDefinition(module) => {
                let name = module.name().map(|id| id.name().to_string());
                let Some(compiled) = compile_quote(module) else {
                    return Skip;
                };
                let (module, verdict) = match compiled {
                    Ok(m) => (Some(Rc::new(m)), Pass),
                    Err(e) => (None, Fail(e.message())),
                };
                if let Some(name) = name {
                    self.definitions.insert(name, module.clone());
                }
                self.last_definition = Some(module);
                verdict
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let definition = match module {
                    Some(id) => self.definitions.get(id.name()).cloned(),
                    None => self.last_definition.clone(),
                };
                let result = match definition {
                    None => Err(InstantiateError::Other(
                        "unknown module definition".to_string(),
                    )),
                    Some(None) => Err(InstantiateError::Other(
                        "the module definition failed".to_string(),
                    )),
                    Some(Some(m)) => self.instantiate(&m),
                };
                let (inst, verdict) = match result {
                    Ok(inst) => (Some(inst), Pass),
                    Err(e) => (None, Fail(e.message())),
                };
                self.current = inst;
                if let Some(id) = instance {
                    self.named.insert(id.name().to_string(), inst);
                }
                verdict
            }
            WastDirective::Register { name, module, .. } => match self.instance(module) {
                Ok(inst) => {
                    let exports = self
                        .store
                        .instance_exports(inst)
                        .map(|(n, e)| (n.to_string(), e))
                        .collect();
                    self.registry.insert(name.to_string(), exports);
                    Pass
                }
                Err(e) => Fail(e),
            },
            WastDirective::Invoke(invoke) => match self.invoke(&invoke) {
                Ok(Ok(_)) => Pass,
                Ok(Err(e)) => Fail(e.to_string()),
                Err(e) => Fail(e),
            },
            WastDirective::AssertReturn { exec, results, .. } => {
                let actual = match exec {
                    WastExecute::Invoke(invoke) => match self.invoke(&invoke) {
                        Ok(Ok(vals)) => vals,
                        Ok(Err(e)) => return Fail(e.to_string()),
                        Err(e) => return Fail(e),
                    },
                    WastExecute::Get { module, global, .. } => match self.get(module, global) {
                        Ok(v) => vec![v],
                        Err(e) => return Fail(e),
                    },
                    WastExecute::Wat(_) => {
                        return Fail("assert_return on a module is not a core directive".into());
                    }
                };
                match values::check_results(&actual, &results) {
                    Ok(()) => Pass,
                    Err(e) => Fail(e),
                }
            }
            WastDirective::AssertTrap { exec, message, .. } => match exec {
                WastExecute::Invoke(invoke) => match self.invoke(&invoke) {
                    Ok(Err(CallError::Trap(trap))) => expect_trap_message(&trap, message),
                    Ok(Err(e)) => Fail(format!("expected trap \"{message}\", got {e}")),
                    Ok(Ok(vals)) => Fail(format!(
                        "expected trap \"{message}\", got results ({})",
                        vals.iter()
                            .map(Val::to_string)
                            .collect::<Vec<_>>()
                            .join(" ")
                    )),
                    Err(e) => Fail(e),
                },
                WastExecute::Get { .. } => Fail("assert_trap on `get` cannot trap".into()),
                WastExecute::Wat(wat) => match self.instantiate_quote(QuoteWat::Wat(wat)) {
                    None => Skip,
                    Some(Err(InstantiateError::Trap(trap))) => expect_trap_message(&trap, message),
                    Some(Err(e)) => Fail(e.message()),
                    Some(Ok(_)) => {
                        Fail(format!("expected trap \"{message}\", module instantiated"))
                    }
                },
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call) {
                Ok(Err(CallError::Trap(trap))) if trap.kind.is_exhaustion() => {
                    expect_trap_message(&trap, message)
                }
                Ok(Err(e)) => Fail(format!("expected exhaustion \"{message}\", got {e}")),
                Ok(Ok(_)) => Fail(format!("expected exhaustion \"{message}\", call returned")),
                Err(e) => Fail(e),
            },
            WastDirective::AssertInvalid {
                module, message, ..
            }
            | WastDirective::AssertMalformed {
                module, message, ..
            }
            | WastDirective::AssertInvalidCustom {
                module, message, ..
            }
            | WastDirective::AssertMalformedCustom {
                module, message, ..
            } => match compile_quote(module) {
                None => Skip,
                Some(Ok(_)) => Fail(format!("expected \"{message}\", module was accepted")),
                Some(Err(InstantiateError::Module {
                    unsupported: true,
                    message,
                })) => Fail(message),
                Some(Err(InstantiateError::Module {
                    message: actual, ..
                })) => {
                    if messages_agree(&actual, message) {
                        Pass
                    } else {
                        PassOtherMessage
                    }
                }
                Some(Err(e)) => Fail(e.message()),
            },
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => match self.instantiate_quote(QuoteWat::Wat(module)) {
                None => Skip,
                Some(Err(InstantiateError::Link(_))) => Pass,
                Some(Err(e)) => Fail(format!(
                    "expected link error \"{message}\", {}",
                    e.message()
                )),
                Some(Ok(_)) => Fail(format!("expected link error \"{message}\", module linked")),
            },
            WastDirective::AssertException { exec, .. } => match exec {
                WastExecute::Invoke(invoke) => match self.invoke(&invoke) {
                    // Any call error other than a trap or a misuse is an
                    // uncaught exception.
                    Ok(Err(CallError::Trap(t))) => Fail(format!(
                        "expected an exception, got trap \"{}\"",
                        t.message()
                    )),
                    Ok(Err(CallError::Misuse(m))) => Fail(m),
                    #[allow(unreachable_patterns)]
                    Ok(Err(_)) => Pass,
                    Ok(Ok(_)) => Fail("expected an exception, call returned".into()),
                    Err(e) => Fail(e),
                },
                _ => Fail("assert_exception applies to an invoke".into()),
            },
            WastDirective::AssertSuspension { .. } => {
                Fail("assert_suspension: stack switching is not supported yet".into())
            }
            WastDirective::Thread(_) | WastDirective::Wait { .. } => Skip,
        }
    }

    /// The instance a directive names, or the current one.
    fn instance(&self, id: Option<Id<'_>>) -> Result<InstanceAddr, String> {
        match id {
            None => self
                .current
                .ok_or_else(|| "no module instance (it failed)".to_string()),
            Some(id) => match self.named.get(id.name()) {
                Some(Some(inst)) => Ok(*inst),
                Some(None) => Err(format!("module ${} failed", id.name())),
                None => Err(format!("unknown module ${}", id.name())),
            },
        }
    }

    /// Invokes an export. The outer error is a failure of the directive
    /// itself (unknown module or export, unsupported arguments); the inner
    /// one the call's own outcome.
    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Result<Vec<Val>, CallError>, String> {
        let inst = self.instance(invoke.module)?;
        let func = match self.store.instance_export(inst, invoke.name) {
            Some(Extern::Func(f)) => f,
            Some(_) => return Err(format!("export \"{}\" is not a function", invoke.name)),
            None => return Err(format!("unknown export \"{}\"", invoke.name)),
        };
        let args = values::args(&invoke.args)?;
        Ok(self.call(func, &args))
    }

    /// Calls `func` with a fresh fuel budget.
    fn call(&mut self, func: FuncAddr, args: &[Val]) -> Result<Vec<Val>, CallError> {
        self.store.set_fuel(Some(FUEL_PER_DIRECTIVE));
        self.store
            .call(func, args, &mut |_, _, tag, args| spectest::call(tag, args))
    }

    /// Reads an exported global.
    fn get(&self, module: Option<Id<'_>>, name: &str) -> Result<Val, String> {
        let inst = self.instance(module)?;
        match self.store.instance_export(inst, name) {
            Some(Extern::Global(g)) => Ok(self.store.global_get(g)),
            Some(_) => Err(format!("export \"{name}\" is not a global")),
            None => Err(format!("unknown export \"{name}\"")),
        }
    }

    /// Encodes, compiles and instantiates a module; `None` for components.
    fn instantiate_quote(
        &mut self,
        module: QuoteWat<'_>,
    ) -> Option<Result<InstanceAddr, InstantiateError>> {
        Some(match compile_quote(module)? {
            Ok(m) => self.instantiate(&m),
            Err(e) => Err(e),
        })
    }

    /// Resolves the imports of `module` by name, instantiates it and runs its
    /// start function.
    fn instantiate(&mut self, module: &Module) -> Result<InstanceAddr, InstantiateError> {
        let imports = resolve_imports(&self.registry, module).map_err(InstantiateError::Link)?;
        self.store.set_fuel(Some(FUEL_PER_DIRECTIVE));
        let instantiated = self
            .store
            .instantiate(module, &imports)
            .map_err(|e| match e {
                InstantiationError::Link(m) => InstantiateError::Link(m),
                InstantiationError::Trap(t) => InstantiateError::Trap(t),
            })?;
        if let Some(start) = instantiated.start {
            match self.call(start, &[]) {
                Ok(_) => {}
                Err(CallError::Trap(t)) => return Err(InstantiateError::Trap(t)),
                Err(e) => return Err(InstantiateError::Other(e.to_string())),
            }
        }
        Ok(instantiated.instance)
    }
}

/// Looks up each import of `module` in `registry`, in import order.
///
/// # Errors
///
/// `unknown import "module" "name"` for the first import not found.
pub fn resolve_imports(
    registry: &HashMap<String, HashMap<String, Extern>>,
    module: &Module,
) -> Result<Vec<Extern>, String> {
    module
        .imports()
        .iter()
        .map(|import| {
            registry
                .get(&import.module)
                .and_then(|exports| exports.get(&import.name))
                .copied()
                .ok_or_else(|| format!("unknown import \"{}\" \"{}\"", import.module, import.name))
        })
        .collect()
}

/// Encodes and compiles a module; `None` for components.
fn compile_quote(mut module: QuoteWat<'_>) -> Option<Result<Module, InstantiateError>> {
    if is_component(&module) {
        return None;
    }
    let bytes = match module.encode() {
        Ok(bytes) => bytes,
        Err(e) => {
            let message = format!("text: {}", e.message());
            return Some(Err(InstantiateError::Module {
                unsupported: false,
                message,
            }));
        }
    };
    Some(Module::new(&bytes).map_err(|e| {
        let prefix = match e.kind {
            ModuleErrorKind::Malformed => "malformed",
            ModuleErrorKind::Invalid => "invalid",
            ModuleErrorKind::Unsupported => "unsupported",
        };
        let unsupported = e.kind == ModuleErrorKind::Unsupported;
        let message = if unsupported {
            e.message
        } else {
            format!("{prefix}: {}", e.message)
        };
        InstantiateError::Module {
            unsupported,
            message,
        }
    }))
}

fn is_component(module: &QuoteWat<'_>) -> bool {
    matches!(
        module,
        QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..)
    )
}

/// Whether a trap's message agrees with the expected one: the reference
/// harness compares by prefix, and the suite's texts sometimes carry more
/// (`uninitialized element 2`) or less than the reference wording.
pub(crate) fn trap_messages_agree(actual: &str, expected: &str) -> bool {
    !actual.is_empty() && (actual.contains(expected) || expected.starts_with(actual))
}

fn expect_trap_message(trap: &Trap, expected: &str) -> Verdict {
    if trap_messages_agree(trap.message(), expected) {
        Pass
    } else if let TrapKind::OutOfFuel = trap.kind {
        Fail(format!(
            "expected trap \"{expected}\", ran out of fuel ({FUEL_PER_DIRECTIVE})"
        ))
    } else {
        Fail(format!(
            "expected trap \"{expected}\", got trap \"{}\"",
            trap.message()
        ))
    }
}

/// Whether a rejection's message agrees with the expected one (only noted
/// in the report: wasmparser's wording is not the reference interpreter's).
fn messages_agree(actual: &str, expected: &str) -> bool {
    actual.contains(expected)
}

/// The directive's keyword, as the script writes it.
fn directive_kind(directive: &WastDirective<'_>) -> &'static str {
    match directive {
        WastDirective::Module(_) => "module",
        WastDirective::ModuleDefinition(_) => "module definition",
        WastDirective::ModuleInstance { .. } => "module instance",
        WastDirective::AssertMalformed { .. } => "assert_malformed",
        WastDirective::AssertInvalid { .. } => "assert_invalid",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
        WastDirective::Register { .. } => "register",
        WastDirective::Invoke(_) => "invoke",
        WastDirective::AssertTrap { .. } => "assert_trap",
        WastDirective::AssertReturn { .. } => "assert_return",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
    }
}

/// How many assertions a directive holds (a `thread` holds several).
fn count_assertions(directive: &WastDirective<'_>) -> usize {
    match directive {
        WastDirective::Thread(thread) => thread.directives.iter().map(count_assertions).sum(),
        d if directive_kind(d).starts_with("assert_") => 1,
        _ => 0,
    }
}

/// A script split into chunks once, with the number of outcomes each
/// chunk gives once it has run: a seed's run that goes on from an outcome
/// skips the chunks before it unparsed.
struct Script<'t> {
    chunks: Vec<Chunk<'t>>,
    counts: Vec<Cell<Option<usize>>>,
    /// The chunks that are one component definition, compiled.
    components: RefCell<HashMap<usize, CompiledComponent>>,
}

impl<'t> Script<'t> {
    fn new(text: &'t str) -> Script<'t> {
        let chunks = split::split(text);
        let counts = chunks.iter().map(|_| Cell::new(None)).collect();
        Script {
            chunks,
            counts,
            components: RefCell::new(HashMap::new()),
        }
    }
}

/// A `(component $name ...)` or `(component definition $name ...)`
/// directive at `line`, compiled (it compiles the same in every run:
/// compiling depends on the text alone).
#[derive(Clone)]
struct CompiledComponent {
    line: usize,
    name: Option<String>,
    definition: bool,
    component: Result<Component, String>,
}

/// A report of one failure at line 0: the file could not be run.
fn failed_file(name: String, message: &str) -> FileReport {
    let mut report = FileReport::new(name);
    report.fail(0, "file", message);
    report
}
