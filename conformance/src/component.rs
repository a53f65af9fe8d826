//! Component directives of `.wast` scripts: `(component ...)`,
//! `(component definition ...)`, `(component instance ...)`, `register`,
//! `invoke`/`assert_return`/`assert_trap` on component exports with
//! component values, `assert_unlinkable`, and `assert_invalid`/
//! `assert_malformed` on components. Components are decoded and validated
//! by witness-spec (with the gates the reference tests are written for)
//! and run by witness-interp's component runtime, all instances of a
//! script in one store.

use crate::component_values;
use crate::runner::{FUEL_PER_DIRECTIVE, trap_messages_agree};
use std::collections::HashMap;
use wast::{QuoteWat, WastDirective, WastExecute, WastInvoke, Wat};
use witness_interp::component::{Component, Engine, Error, Instance, Linker, Store, Val};
use witness_spec::Features;

/// How a component directive ended.
pub(crate) enum ComponentVerdict {
    /// The assertion held, or the command succeeded.
    Pass,
    /// A rejected component, rejected for a reason worded otherwise.
    PassOtherMessage,
    /// The assertion did not hold, or the command failed.
    Fail(String),
    /// Needs something witness does not run (exceptions, suspensions).
    Skip,
}

use ComponentVerdict::{Fail, Pass, PassOtherMessage, Skip};

/// The component state of one script run.
pub(crate) struct Components {
    engine: Engine,
    store: Store,
    /// Instances made available to later instantiations by `register`.
    linker: Linker,
    /// Component definitions by name (`None` if the definition failed).
    definitions: HashMap<String, Option<Component>>,
    /// The most recent definition, if it is a component's.
    last_definition: Option<Option<Component>>,
    /// Named component instances (`None` if instantiation failed).
    instances: HashMap<String, Option<Instance>>,
    /// The most recent component instance.
    current: Option<Instance>,
    /// Whether the most recent module or component is a component.
    current_is_component: bool,
}

impl Default for Components {
    fn default() -> Components {
        let engine = Engine::new(Features::REFERENCE_TESTS);
        let store = Store::new(&engine);
        Components {
            engine,
            store,
            linker: Linker::new(),
            definitions: HashMap::new(),
            last_definition: None,
            instances: HashMap::new(),
            current: None,
            current_is_component: false,
        }
    }
}

impl Components {
    /// The store all of the script's components run in.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }
}

/// Whether `q` is a component (text, quoted text or binary).
pub(crate) fn is_component(q: &QuoteWat<'_>) -> bool {
    matches!(
        q,
        QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..)
    )
}

/// Encodes and validates a component.
///
/// # Errors
///
/// The text or binary error, or the validation error.
pub fn validate_quote(mut q: QuoteWat<'_>) -> Result<(), String> {
    let bytes = q.encode().map_err(|e| format!("text: {}", e.message()))?;
    witness_spec::validate(&bytes, &Features::REFERENCE_TESTS)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

impl Components {
    /// Encodes, validates and prepares a component.
    pub(crate) fn compile(&self, mut q: QuoteWat<'_>) -> Result<Component, String> {
        let bytes = q.encode().map_err(|e| format!("text: {}", e.message()))?;
        Component::new(&self.engine, &bytes).map_err(|e| e.to_string())
    }

    /// Instantiates with the registered instances.
    fn instantiate(&self, c: &Component) -> Result<Instance, Error> {
        self.store.set_fuel(Some(FUEL_PER_DIRECTIVE));
        self.linker.instantiate(&self.store, c)
    }

    /// Makes `inst` the current instance (and `$name`'s).
    fn set_current(&mut self, name: Option<&str>, inst: Option<Instance>) {
        self.current_is_component = true;
        if let Some(name) = name {
            self.instances.insert(name.to_string(), inst.clone());
        }
        self.current = inst;
    }

    /// `(component $name ...)`, compiled to `compiled`: instantiated with
    /// the registered instances, and the current instance (and `$name`'s).
    pub(crate) fn define(
        &mut self,
        name: Option<&str>,
        compiled: &Result<Component, String>,
    ) -> ComponentVerdict {
        let (inst, verdict) = match compiled {
            Ok(c) => match self.instantiate(c) {
                Ok(i) => (Some(i), Pass),
                Err(e) => (None, Fail(e.to_string())),
            },
            Err(e) => (None, Fail(e.clone())),
        };
        self.set_current(name, inst);
        verdict
    }

    /// `(component definition $name ...)`, compiled to `compiled`: kept
    /// for `(component instance ...)`.
    pub(crate) fn keep_definition(
        &mut self,
        name: Option<&str>,
        compiled: &Result<Component, String>,
    ) -> ComponentVerdict {
        let (c, verdict) = match compiled {
            Ok(c) => (Some(c.clone()), Pass),
            Err(e) => (None, Fail(e.clone())),
        };
        if let Some(name) = name {
            self.definitions.insert(name.to_string(), c.clone());
        }
        self.last_definition = Some(c);
        verdict
    }

    /// Runs `d` if it is a component directive; otherwise hands it back.
    pub(crate) fn run<'a>(
        &mut self,
        d: WastDirective<'a>,
    ) -> Result<ComponentVerdict, WastDirective<'a>> {
        match d {
            WastDirective::Module(q) if is_component(&q) => {
                let name = q.name().map(|id| id.name().to_string());
                let compiled = self.compile(q);
                Ok(self.define(name.as_deref(), &compiled))
            }
            WastDirective::Module(q) => {
                self.current_is_component = false;
                if let Some(id) = q.name() {
                    self.instances.remove(id.name());
                }
                Err(WastDirective::Module(q))
            }
            WastDirective::ModuleDefinition(q) if is_component(&q) => {
                let name = q.name().map(|id| id.name().to_string());
                let compiled = self.compile(q);
                Ok(self.keep_definition(name.as_deref(), &compiled))
            }
            WastDirective::ModuleDefinition(q) => {
                self.last_definition = None;
                Err(WastDirective::ModuleDefinition(q))
            }
            WastDirective::ModuleInstance {
                module, instance, ..
            } if module.map_or(self.last_definition.is_some(), |id| {
                self.definitions.contains_key(id.name())
            }) =>
            {
                let def = match module {
                    Some(id) => self.definitions.get(id.name()).cloned().flatten(),
                    None => self.last_definition.clone().flatten(),
                };
                let (inst, verdict) = match def {
                    None => (None, Fail("the component definition failed".into())),
                    Some(c) => match self.instantiate(&c) {
                        Ok(i) => (Some(i), Pass),
                        Err(e) => (None, Fail(e.to_string())),
                    },
                };
                self.set_current(instance.map(|id| id.name()), inst);
                Ok(verdict)
            }
            WastDirective::ModuleInstance { .. } => {
                self.current_is_component = false;
                Err(d)
            }
            WastDirective::Invoke(ref i) if self.targets_component(i.module) => {
                Ok(match self.invoke(i) {
                    Ok((Ok(_), _)) => Pass,
                    Ok((Err(e), _)) => Fail(e.to_string()),
                    Err(e) => Fail(e),
                })
            }
            WastDirective::AssertReturn {
                exec: WastExecute::Invoke(ref i),
                ref results,
                ..
            } if self.targets_component(i.module) => Ok(match self.invoke(i) {
                Ok((Ok(actual), ty)) => check_results(&actual, results, ty.as_ref()),
                Ok((Err(e), _)) => Fail(e.to_string()),
                Err(e) => Fail(e),
            }),
            WastDirective::AssertTrap {
                exec: WastExecute::Invoke(ref i),
                message,
                ..
            } if self.targets_component(i.module) => Ok(match self.invoke(i) {
                Ok((Err(Error::Trap(t)), _)) => expect_trap(&t.to_string(), message),
                Ok((Err(e), _)) => Fail(format!("expected trap \"{message}\", got {e}")),
                Ok((Ok(_), _)) => Fail(format!("expected trap \"{message}\", call returned")),
                Err(e) => Fail(e),
            }),
            WastDirective::AssertException {
                exec: WastExecute::Invoke(ref i),
                ..
            }
            | WastDirective::AssertSuspension {
                exec: WastExecute::Invoke(ref i),
                ..
            }
            | WastDirective::AssertExhaustion { call: ref i, .. }
                if self.targets_component(i.module) =>
            {
                Ok(Skip)
            }
            WastDirective::Register { name, module, .. } if self.targets_component(module) => {
                Ok(match self.instance(module) {
                    Ok(inst) => {
                        self.linker.define_instance(name, &inst);
                        Pass
                    }
                    Err(e) => Fail(e),
                })
            }
            WastDirective::AssertUnlinkable {
                module: Wat::Component(c),
                message,
                ..
            } => Ok(match self.compile(QuoteWat::Wat(Wat::Component(c))) {
                Ok(c) => match self.instantiate(&c) {
                    Err(Error::Link(_)) => Pass,
                    Err(e) => Fail(format!("expected link error \"{message}\", {e}")),
                    Ok(_) => Fail(format!("expected link error \"{message}\", linked")),
                },
                Err(e) => Fail(e),
            }),
            WastDirective::AssertTrap {
                exec: WastExecute::Wat(Wat::Component(c)),
                message,
                ..
            } => Ok(match self.compile(QuoteWat::Wat(Wat::Component(c))) {
                Ok(c) => match self.instantiate(&c) {
                    Err(Error::Trap(t)) => expect_trap(&t.to_string(), message),
                    Err(e) => Fail(format!("expected trap \"{message}\", {e}")),
                    Ok(_) => Fail(format!("expected trap \"{message}\", instantiated")),
                },
                Err(e) => Fail(e),
            }),
            WastDirective::AssertInvalid {
                module, message, ..
            }
            | WastDirective::AssertMalformed {
                module, message, ..
            } if is_component(&module) => Ok(match validate_quote(module) {
                Ok(()) => Fail(format!("expected \"{message}\", component was accepted")),
                Err(actual) if actual.contains(message) => Pass,
                Err(_) => PassOtherMessage,
            }),
            other => Err(other),
        }
    }

    /// The component instance a directive names, or the current one.
    fn instance(&self, id: Option<wast::token::Id<'_>>) -> Result<Instance, String> {
        match id {
            None => self
                .current
                .clone()
                .ok_or_else(|| "no component instance (it failed)".to_string()),
            Some(id) => match self.instances.get(id.name()) {
                Some(Some(i)) => Ok(i.clone()),
                Some(None) => Err(format!("component ${} failed", id.name())),
                None => Err(format!("unknown component ${}", id.name())),
            },
        }
    }

    /// Calls an exported function. The outer error is a failure of the
    /// directive itself; the inner result the call's outcome, with the
    /// function's result type.
    #[allow(clippy::type_complexity)]
    fn invoke(
        &self,
        i: &WastInvoke<'_>,
    ) -> Result<
        (
            Result<Vec<Val>, Error>,
            Option<witness_interp::component::ValType>,
        ),
        String,
    > {
        let inst = self.instance(i.module)?;
        let f = inst
            .func(i.name)
            .ok_or_else(|| format!("unknown export \"{}\"", i.name))?;
        let params = &f.ty().params;
        if params.len() != i.args.len() {
            return Err(format!(
                "\"{}\" takes {} arguments, {} given",
                i.name,
                params.len(),
                i.args.len()
            ));
        }
        let args = i
            .args
            .iter()
            .zip(params)
            .map(|(a, (_, t))| component_values::arg(a, t))
            .collect::<Result<Vec<_>, _>>()?;
        self.store.set_fuel(Some(FUEL_PER_DIRECTIVE));
        Ok((f.call(&self.store, &args), f.ty().result.clone()))
    }

    /// Whether an `invoke`-like directive naming `module` (or the current
    /// one) is aimed at a component.
    fn targets_component(&self, module: Option<wast::token::Id<'_>>) -> bool {
        match module {
            Some(id) => self.instances.contains_key(id.name()),
            None => self.current_is_component,
        }
    }
}

/// Compares a call's results with the expected ones.
fn check_results(
    actual: &[Val],
    expected: &[wast::WastRet<'_>],
    ty: Option<&witness_interp::component::ValType>,
) -> ComponentVerdict {
    match (actual, expected, ty) {
        ([], [], _) => Pass,
        ([a], [e], Some(t)) => match component_values::ret(e, t) {
            Ok(e) if component_values::same(a, &e) => Pass,
            Ok(e) => Fail(format!("expected {e:?}, got {a:?}")),
            Err(m) => Fail(m),
        },
        _ => Fail(format!(
            "expected {} results, got {}",
            expected.len(),
            actual.len()
        )),
    }
}

/// Other wordings of witness's trap messages in the reference tests.
///
/// The tests were written against wasmtime, which words one spec trap
/// differently by where it happens: lowering into a guest from the host
/// or in a fused adapter, lifting to the host or to another component.
/// The spec has one `trap_if` there, and witness one message (the first
/// column, from canonical's trap table); the second is wasmtime's other
/// wording, accepted for it.
const OTHER_WORDINGS: &[(&str, &str)] = &[
    (
        "realloc return: beyond end of memory",
        "list content out-of-bounds",
    ),
    ("realloc return: result not aligned", "unaligned pointer"),
    (
        "string content out-of-bounds",
        "string pointer/length out of bounds of memory",
    ),
    // wasmtime shows Rust's `Utf8Error` for a sequence cut off at the end.
    ("invalid utf-8", "incomplete utf-8 byte sequence"),
    // A core trap, in wasmtime's words.
    (
        "trap: unreachable",
        "wasm `unreachable` instruction executed",
    ),
];

fn expect_trap(actual: &str, expected: &str) -> ComponentVerdict {
    // wasmtime's prefix for traps of guest code.
    let expected = expected.strip_prefix("wasm trap: ").unwrap_or(expected);
    let other = OTHER_WORDINGS
        .iter()
        .any(|(ours, theirs)| actual.contains(ours) && expected.contains(theirs));
    if other || trap_messages_agree(actual, expected) {
        Pass
    } else {
        Fail(format!(
            "expected trap \"{expected}\", got trap \"{actual}\""
        ))
    }
}
