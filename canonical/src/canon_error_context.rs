//! 📝 `canon error-context.new`, `error-context.debug-message` and
//! `error-context.drop` (CanonicalABI.md, the sections of those names),
//! and the `ErrorContext` they make.

use crate::canon_task::check_may_leave;
use crate::choices::Site;
use crate::core_value::CoreValue;
use crate::instance::HandleElem;
use crate::loading::load_string_from_range;
use crate::options::{CanonicalOptions, StringEncoding};
use crate::store::{Scope, Store, internal};
use crate::storing::store_string;
use crate::trace::traced;
use crate::trap::{Trap, TrapKind};
use crate::value::StringValue;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// `ErrorContext`: shared by every table it is lowered into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorContext {
    pub debug_message: StringValue,
}

/// `canon_error_context_new`: the deterministic profile (or a coin of the
/// store's choices) discards the message without lifting it;
/// `host_defined_transformation` is the identity.
pub fn canon_error_context_new(
    store: &Store,
    opts: CanonicalOptions,
    ptr: u64,
    tagged_code_units: u64,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_error_context_new",
        [Ptr(ptr), Int("tagged_code_units", tagged_code_units)],
        |results| [Core(results)],
        {
            let inst = check_may_leave(store)?;
            let discard = {
                let mut choices = store.choices.borrow_mut();
                choices.deterministic_profile()
                    || choices.randint(Site::ErrorContextDiscard, 0, 1) == 1
            };
            let s = if discard {
                StringValue {
                    s: String::new(),
                    encoding: StringEncoding::Utf8,
                    tagged_code_units: 0,
                }
            } else {
                store.with_cx(&opts, inst, Scope::None, |cx| {
                    load_string_from_range(cx, ptr, tagged_code_units)
                })?
            };
            let i =
                store
                    .state
                    .borrow_mut()
                    .inst_mut(inst)?
                    .handles
                    .add(HandleElem::ErrorContext(Rc::new(ErrorContext {
                        debug_message: s,
                    })))?;
            Ok(vec![CoreValue::I32(i)])
        }
    )
}

/// `canon_error_context_debug_message`.
pub fn canon_error_context_debug_message(
    store: &Store,
    opts: CanonicalOptions,
    i: u32,
    ptr: u64,
) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_error_context_debug_message",
        [Int("i", u64::from(i)), Ptr(ptr)],
        |results| [Core(results)],
        {
            let inst = check_may_leave(store)?;
            let errctx = match store
                .state
                .borrow()
                .instances
                .get(inst)
                .ok_or(internal("unknown instance"))?
                .handles
                .get(i as u64)?
            {
                HandleElem::ErrorContext(e) => e.clone(),
                _ => return Err(TrapKind::WrongHandleType(i as u64).into()),
            };
            store.with_cx(&opts, inst, Scope::None, |cx| {
                store_string(cx, &errctx.debug_message, ptr)
            })?;
            Ok(vec![])
        }
    )
}

/// `canon_error_context_drop`.
pub fn canon_error_context_drop(store: &Store, i: u32) -> Result<Vec<CoreValue>, Trap> {
    traced!(
        store,
        "canon_error_context_drop",
        [Int("i", u64::from(i))],
        |results| [Core(results)],
        {
            let inst = check_may_leave(store)?;
            match store
                .state
                .borrow_mut()
                .inst_mut(inst)?
                .handles
                .remove(i as u64)?
            {
                HandleElem::ErrorContext(_) => Ok(vec![]),
                _ => Err(TrapKind::WrongHandleType(i as u64).into()),
            }
        }
    )
}
