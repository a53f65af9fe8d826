//! Component directives of `.wast` scripts: `(component ...)`,
//! `(component definition ...)`, `(component instance ...)` and
//! `assert_invalid`/`assert_malformed` on components. Components are decoded
//! and validated by witness-spec (with the gates the reference tests are
//! written for); instantiating and running them is later work, so commands
//! that need a component instance are skipped.

use std::collections::HashSet;
use wast::{QuoteWat, WastDirective, WastExecute, Wat};
use witness_spec::Features;

/// How a component directive ended.
pub(crate) enum ComponentVerdict {
    /// The assertion held, or the command succeeded.
    Pass,
    /// A rejected component, rejected for a reason worded otherwise.
    PassOtherMessage,
    /// The assertion did not hold, or the command failed.
    Fail(String),
    /// Needs component instantiation, which witness does not do yet.
    Skip,
}

/// The component definitions seen so far (their names), so that
/// `(component instance $i $Def)` can be told apart from a core one.
#[derive(Default)]
pub(crate) struct Components {
    definitions: HashSet<String>,
    last_definition_is_component: bool,
    /// Names of component instances (and of `(component $c ...)`).
    instances: HashSet<String>,
    /// Whether the most recent module or component is a component.
    current_is_component: bool,
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
    /// Runs `d` if it is a component directive; otherwise hands it back.
    pub(crate) fn run<'a>(
        &mut self,
        d: WastDirective<'a>,
    ) -> Result<ComponentVerdict, WastDirective<'a>> {
        match d {
            WastDirective::Module(q) if is_component(&q) => {
                self.current_is_component = true;
                if let Some(id) = q.name() {
                    self.instances.insert(id.name().to_string());
                }
                Ok(match validate_quote(q) {
                    // Valid; running it needs component instantiation.
                    Ok(()) => ComponentVerdict::Skip,
                    Err(e) => ComponentVerdict::Fail(e),
                })
            }
            WastDirective::Module(q) => {
                self.current_is_component = false;
                if let Some(id) = q.name() {
                    self.instances.remove(id.name());
                }
                Err(WastDirective::Module(q))
            }
            WastDirective::ModuleDefinition(q) if is_component(&q) => {
                if let Some(id) = q.name() {
                    self.definitions.insert(id.name().to_string());
                }
                self.last_definition_is_component = true;
                Ok(match validate_quote(q) {
                    Ok(()) => ComponentVerdict::Pass,
                    Err(e) => ComponentVerdict::Fail(e),
                })
            }
            WastDirective::ModuleDefinition(q) => {
                self.last_definition_is_component = false;
                Err(WastDirective::ModuleDefinition(q))
            }
            WastDirective::ModuleInstance {
                module, instance, ..
            } if module.map_or(self.last_definition_is_component, |id| {
                self.definitions.contains(id.name())
            }) =>
            {
                self.current_is_component = true;
                if let Some(id) = instance {
                    self.instances.insert(id.name().to_string());
                }
                Ok(ComponentVerdict::Skip)
            }
            WastDirective::ModuleInstance { .. } => {
                self.current_is_component = false;
                Err(d)
            }
            WastDirective::Invoke(ref i) if self.targets_component(i.module) => {
                Ok(ComponentVerdict::Skip)
            }
            WastDirective::AssertReturn {
                exec: WastExecute::Invoke(ref i),
                ..
            }
            | WastDirective::AssertTrap {
                exec: WastExecute::Invoke(ref i),
                ..
            }
            | WastDirective::AssertException {
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
                Ok(ComponentVerdict::Skip)
            }
            WastDirective::Register { module, .. } if self.targets_component(module) => {
                Ok(ComponentVerdict::Skip)
            }
            WastDirective::AssertUnlinkable { ref module, .. }
                if matches!(module, Wat::Component(_)) =>
            {
                // Linking components needs instantiation; validate only.
                let WastDirective::AssertUnlinkable { module, .. } = d else {
                    return Err(d);
                };
                Ok(match validate_quote(QuoteWat::Wat(module)) {
                    Ok(()) => ComponentVerdict::Skip,
                    Err(e) => ComponentVerdict::Fail(e),
                })
            }
            WastDirective::AssertTrap {
                exec: WastExecute::Wat(Wat::Component(_)),
                ..
            } => {
                let WastDirective::AssertTrap {
                    exec: WastExecute::Wat(w),
                    ..
                } = d
                else {
                    return Err(d);
                };
                Ok(match validate_quote(QuoteWat::Wat(w)) {
                    Ok(()) => ComponentVerdict::Skip,
                    Err(e) => ComponentVerdict::Fail(e),
                })
            }
            WastDirective::AssertInvalid {
                module, message, ..
            }
            | WastDirective::AssertMalformed {
                module, message, ..
            } if is_component(&module) => Ok(match validate_quote(module) {
                Ok(()) => ComponentVerdict::Fail(format!(
                    "expected \"{message}\", component was accepted"
                )),
                Err(actual) if actual.contains(message) => ComponentVerdict::Pass,
                Err(_) => ComponentVerdict::PassOtherMessage,
            }),
            other => Err(other),
        }
    }

    /// Whether an `invoke`-like directive naming `module` (or the current
    /// one) is aimed at a component.
    fn targets_component(&self, module: Option<wast::token::Id<'_>>) -> bool {
        match module {
            Some(id) => self.instances.contains(id.name()),
            None => self.current_is_component,
        }
    }
}
