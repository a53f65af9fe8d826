//! Resource State (CanonicalABI.md "Resource State"): `ResourceHandle`, the
//! element of a component instance's `handles` table that stands for a
//! resource, and `ResourceType`, a runtime instance of a resource type.

use crate::instance::InstanceId;
use crate::options::FuncRef;
use alloc::sync::Arc;
use core::fmt;

/// A handle to a resource in a `handles` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceHandle {
    pub rt: ResourceType,
    pub rep: u32,
    /// Created from an `own` (else a `borrow`).
    pub own: bool,
    /// The task that lowered this borrowed handle as a parameter, by the
    /// index its borrow count is kept under (see [`crate::task`]).
    pub borrow_scope: Option<usize>,
    /// Live borrows lent from this handle.
    pub num_lends: u32,
}

impl ResourceHandle {
    /// `ResourceHandle(rt, rep, own, borrow_scope)`.
    pub fn new(
        rt: ResourceType,
        rep: u32,
        own: bool,
        borrow_scope: Option<usize>,
    ) -> ResourceHandle {
        ResourceHandle {
            rt,
            rep,
            own,
            borrow_scope,
            num_lends: 0,
        }
    }
}

/// What a resource type is at run time: the instance that implements it and
/// its destructor.
#[derive(Debug)]
pub struct ResourceTypeData {
    /// The implementing component instance (`impl`).
    pub impl_: InstanceId,
    /// The destructor (`dtor`), a core function of `impl`.
    pub dtor: Option<FuncRef>,
    /// A name for messages and traces.
    pub name: alloc::string::String,
}

/// A resource type. Equality is identity, as the spec's `is` comparisons:
/// each instantiation creates fresh resource types.
#[derive(Clone)]
pub struct ResourceType(pub Arc<ResourceTypeData>);

impl ResourceType {
    /// `ResourceType(impl, dtor)`.
    pub fn new(
        impl_: InstanceId,
        dtor: Option<FuncRef>,
        name: impl Into<alloc::string::String>,
    ) -> ResourceType {
        ResourceType(Arc::new(ResourceTypeData {
            impl_,
            dtor,
            name: name.into(),
        }))
    }

    pub fn impl_(&self) -> InstanceId {
        self.0.impl_
    }

    pub fn dtor(&self) -> Option<FuncRef> {
        self.0.dtor
    }
}

impl PartialEq for ResourceType {
    fn eq(&self, other: &ResourceType) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for ResourceType {}

impl fmt::Debug for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "resource {}", self.0.name)
    }
}
