//! The host: its state, shared by every host function, and how the WASI
//! interfaces are defined in a [`Linker`] — each WIT function of `wit/`
//! with the implementation of the same name, each resource a host
//! resource type whose destructor frees the host's entry.

use crate::ctx::WasiCtx;
use crate::random::Rng;
use crate::table::Table;
use crate::vals::{Answer, Args, trap};
use crate::wit::{self, Named};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Instant;
use witness_interp::component::{Error, FuncType, Instance, Linker, Store, Val};

/// The state of one guest's WASI world.
pub struct Host {
    pub ctx: WasiCtx,
    pub table: RefCell<Table>,
    /// The status `wasi:cli/exit` asked for.
    pub exit: Cell<Option<u8>>,
    /// The monotonic clock's zero.
    pub start: Instant,
    pub rng: RefCell<Rng>,
    /// How far `stdin` has read `Input::Bytes`.
    pub stdin_at: Cell<usize>,
}

impl Host {
    pub fn new(ctx: WasiCtx) -> Host {
        let rng = Rng::new(ctx.random_seed);
        Host {
            ctx,
            table: RefCell::new(Table::default()),
            exit: Cell::new(None),
            start: Instant::now(),
            rng: RefCell::new(rng),
            stdin_at: Cell::new(0),
        }
    }
}

/// A host function's body.
pub type HostFn = fn(&Host, &Args) -> Answer;

/// The implementation of function `name` of the interface `iface`
/// (`wasi:io/streams`: the name without its version).
pub struct Imp {
    pub iface: &'static str,
    pub name: &'static str,
    pub f: HostFn,
}

/// Every implementation, by module.
fn imps() -> impl Iterator<Item = &'static Imp> {
    (crate::io::FUNCS.iter())
        .chain(crate::cli::FUNCS)
        .chain(crate::clocks::FUNCS)
        .chain(crate::random::FUNCS)
        .chain(crate::filesystem::funcs())
        .chain(crate::sockets::FUNCS)
}

/// The body of `iface`'s function `name` of type `ty`.
fn body(iface: &str, name: &str, ty: &FuncType) -> Option<HostFn> {
    match imps().find(|i| i.iface == iface && i.name == name) {
        Some(imp) => Some(imp.f),
        None => crate::sockets::no_network(iface, ty),
    }
}

/// A guest's WASI host, once defined in a linker.
pub struct Wasi {
    host: Rc<Host>,
}

impl Wasi {
    /// Defines every WASI 0.2 interface (as `wasi:…@0.2.12`, serving
    /// imports of 0.2.0 and later) in `linker`, with resource types of
    /// `store`.
    ///
    /// # Errors
    /// Only if the store is broken or a WIT function has no
    /// implementation (a bug of this crate).
    pub fn add_to_linker(ctx: WasiCtx, store: &Store, linker: &mut Linker) -> Result<Wasi, Error> {
        let host = Rc::new(Host::new(ctx));
        let ifaces = wit::interfaces(&mut |name| {
            let h = host.clone();
            let dtor = Rc::new(move |rep| {
                h.table.borrow_mut().remove(rep);
                Ok(())
            });
            store
                .resource_type(name, Some(dtor))
                .map_err(|e| e.to_string())
        })
        .map_err(Error::Misuse)?;
        for iface in ifaces {
            let base = iface.name.split('@').next().unwrap_or_default();
            let inst = linker.instance(&iface.name);
            for (n, t) in iface.types {
                match t {
                    Named::Resource(r) => inst.resource(&n, r),
                    Named::Val(v) => inst.ty(&n, v),
                };
            }
            for (n, ty) in iface.funcs {
                let f = body(base, &n, &ty).ok_or_else(|| {
                    Error::Misuse(format!("witness-wasi: no implementation of {base}#{n}"))
                })?;
                let h = host.clone();
                inst.func(&n, ty, move |args: &[Val]| {
                    // Host functions run one at a time, never re-entered.
                    f(&h, &Args(args))
                });
            }
        }
        Ok(Wasi { host })
    }

    /// The status the guest exited with through `wasi:cli/exit`, if it did.
    pub fn exit_code(&self) -> Option<u8> {
        self.host.exit.get()
    }

    /// Runs a command: calls `wasi:cli/run@0.2.x#run` of `instance` and
    /// returns the exit status, as `wasmtime run` does: 0 for `ok`, 1 for
    /// `error`, or what `wasi:cli/exit` asked for.
    ///
    /// # Errors
    /// A trap (other than an exit), or an instance that is no command.
    pub fn run(&self, store: &Store, instance: &Instance) -> Result<u8, Error> {
        let run = instance
            .instance("wasi:cli/run@0.2.0")
            .and_then(|i| i.func("run"))
            .ok_or_else(|| {
                Error::Misuse("the component exports no `wasi:cli/run@0.2.x` with `run`".into())
            })?;
        match run.call(store, &[]) {
            Ok(r) => match r.as_slice() {
                [Val::Variant(case, _)] if case == "ok" => Ok(0),
                [Val::Variant(_, _)] => Ok(1),
                _ => Err(Error::Trap(trap("witness-wasi: `run` returned no result"))),
            },
            Err(e) => self.exit_code().ok_or(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use witness_interp::component::Engine;

    #[test]
    fn every_wit_function_has_an_implementation_and_every_implementation_a_function() {
        let store = Store::new(&Engine::default());
        assert!(Wasi::add_to_linker(WasiCtx::default(), &store, &mut Linker::new()).is_ok());
        let ifaces =
            wit::interfaces(&mut |n| store.resource_type(n, None).map_err(|e| e.to_string()))
                .unwrap();
        for imp in imps() {
            let found = ifaces.iter().any(|i| {
                i.name.split('@').next() == Some(imp.iface)
                    && i.funcs.iter().any(|(n, _)| n == imp.name)
            });
            assert!(found, "{}#{} is no WASI function", imp.iface, imp.name);
        }
    }
}
