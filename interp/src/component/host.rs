//! Host functions and host resources: component functions implemented by
//! the embedder.
//!
//! A host function is a `FuncInst` (CanonicalABI.md "Embedding") written
//! directly: it takes its arguments from the caller's `on_start`, runs,
//! and hands its result to `on_resolve`. A host resource type is
//! implemented by the store's host instance, with its destructor as a core
//! host function, so that `canon resource.drop` runs it as it runs a
//! guest's.

use super::bridge::{CoreBridge, HostFn};
use super::error::Error;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;
use witness_canonical::store::{CoreCall, FuncInst, OnCancel, Store};
use witness_canonical::{CoreValue, FuncRef, InstanceId, ResourceType, Trap, TrapKind, Value};

/// The body of a host function: arguments to result (zero or one value).
pub type HostFunc = Rc<dyn Fn(&[Value]) -> Result<Vec<Value>, Trap>>;

/// A host resource's destructor, given the resource's representation.
pub type HostDtor = Rc<dyn Fn(u32) -> Result<(), Trap>>;

/// The instance that implements host resources: the first of every store
/// made by [`super::Store::new`].
pub const HOST_INSTANCE: InstanceId = InstanceId(0);

/// `f` as a component function.
pub fn host_func(f: HostFunc) -> FuncInst {
    Rc::new(move |store, on_start, on_resolve, _caller| {
        let args = on_start.call(store)?;
        let result = f(&args)?;
        on_resolve.call(store, Some(result))?;
        // A host function resolves before it returns: nothing to cancel.
        Ok(OnCancel::Func(Box::new(
            |_: &Rc<Store>, _: Option<InstanceId>| Ok(()),
        )))
    })
}

/// A fresh host resource type of `store`, with an optional destructor.
///
/// # Errors
/// A store not made with a core bridge.
pub fn host_resource(
    store: &Rc<Store>,
    name: &str,
    dtor: Option<HostDtor>,
) -> Result<ResourceType, Error> {
    let dtor = match dtor {
        None => None,
        Some(d) => {
            let host: HostFn = Rc::new(move |_, args| {
                CoreCall::Done(match args.as_slice() {
                    [CoreValue::I32(rep)] => d(*rep).map(|()| Vec::new()),
                    _ => Err(Trap::from(TrapKind::Core(
                        "internal error: a destructor's arguments".into(),
                    ))),
                })
            });
            let ty = crate::core_wasm::FuncType {
                params: vec![crate::core_wasm::ValType::I32],
                results: vec![],
            };
            let f = CoreBridge::of(store)?.add_host_fn(ty, host);
            Some(FuncRef(f.index()))
        }
    };
    Ok(ResourceType::new(HOST_INSTANCE, dtor, name))
}
