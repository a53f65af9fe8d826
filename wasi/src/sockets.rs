//! `wasi:sockets`, present without a network: the guest gets its
//! `network` resource, but creating a TCP or UDP socket and resolving a
//! name answer `access-denied` (wasmtime's answer when those uses are not
//! allowed, `-S tcp=n,udp=n`), so no socket or resolver stream ever
//! exists. Their methods, which need one, answer `not-supported` if their
//! result can carry an error code and trap otherwise.

use crate::host::{Host, HostFn, Imp};
use crate::table::Entry;
use crate::vals::{Answer, Args, case, err, ret, trap};
use witness_interp::component::{FuncType, Val, ValType};

fn denied(_: &Host, _: &Args) -> Answer {
    ret(err(case("access-denied")))
}

pub const FUNCS: &[Imp] = &[
    Imp {
        iface: "wasi:sockets/instance-network",
        name: "instance-network",
        f: |h, _| ret(Val::Handle(h.table.borrow_mut().push(Entry::Token))),
    },
    Imp {
        iface: "wasi:sockets/tcp-create-socket",
        name: "create-tcp-socket",
        f: denied,
    },
    Imp {
        iface: "wasi:sockets/udp-create-socket",
        name: "create-udp-socket",
        f: denied,
    },
    Imp {
        iface: "wasi:sockets/ip-name-lookup",
        name: "resolve-addresses",
        f: denied,
    },
];

/// The body of a method of a socket or resolver stream of `iface`.
pub fn no_network(iface: &str, ty: &FuncType) -> Option<HostFn> {
    if !iface.starts_with("wasi:sockets/") {
        return None;
    }
    Some(match &ty.result {
        Some(ValType::Result(_, Some(_))) => |_, _| ret(err(case("not-supported"))),
        _ => |_, _| Err(trap("witness-wasi: no socket exists")),
    })
}
