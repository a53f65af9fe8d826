//! wasmtime 48.0.8, with Cranelift (native code) or with Pulley (wasmtime's
//! portable bytecode interpreter: compiling for the `pulley64` target).
//! Core modules run through typed functions; component.wat's functions
//! through the component embedding API (`component::TypedFunc`).

use super::{ComponentTimes, Engine, Instance};
use crate::component::{self, ComponentFunc};
use crate::error::{Context, Result};
use crate::wasi::{Wasi, WasiFunc};
use std::time::Instant;
use wasmtime::{
    Caller, Config, Extern, Func, Linker, Module, Store, Val, ValType, WasmParams, WasmResults,
};

pub struct Wasmtime {
    engine: wasmtime::Engine,
}

/// An engine compiling with Cranelift, or for Pulley when `pulley`.
fn new_engine(pulley: bool) -> Result<wasmtime::Engine> {
    let mut config = Config::new();
    if pulley {
        config.target("pulley64").ctx("wasmtime: pulley64 target")?;
    }
    wasmtime::Engine::new(&config).ctx("wasmtime: engine")
}

impl Wasmtime {
    pub fn new(pulley: bool) -> Result<Wasmtime> {
        Ok(Wasmtime {
            engine: new_engine(pulley)?,
        })
    }
}

pub struct WasmtimeInstance {
    store: Store<Wasi>,
    instance: wasmtime::Instance,
}

impl Engine for Wasmtime {
    type Module = Module;
    type Instance = WasmtimeInstance;

    fn compile(&self, wasm: &[u8]) -> Result<Module> {
        Module::new(&self.engine, wasm).ctx("wasmtime: compile")
    }

    fn instantiate(&self, module: &Module, wasi: Wasi) -> Result<WasmtimeInstance> {
        let mut store = Store::new(&self.engine, wasi);
        let mut linker = Linker::<Wasi>::new(&self.engine);
        for import in module.imports() {
            let func = WasiFunc::resolve(import.module(), import.name()).ctx(&format!(
                "unknown import {}.{}",
                import.module(),
                import.name()
            ))?;
            let ty = import.ty().func().ctx("import is not a function")?.clone();
            linker
                .func_new(
                    import.module(),
                    import.name(),
                    ty,
                    move |caller, args, results| host_call(caller, func, args, results),
                )
                .ctx("wasmtime: link")?;
        }
        let instance = linker
            .instantiate(&mut store, module)
            .ctx("wasmtime: instantiate")?;
        Ok(WasmtimeInstance { store, instance })
    }
}

/// A call of the WASI shim from wasm.
fn host_call(
    mut caller: Caller<'_, Wasi>,
    func: WasiFunc,
    args: &[Val],
    results: &mut [Val],
) -> wasmtime::Result<()> {
    let args: Vec<i64> = args.iter().map(val_to_i64).collect();
    let memory = caller.get_export("memory").and_then(Extern::into_memory);
    let mut no_memory = [];
    let (mem, wasi) = match memory {
        Some(m) => m.data_and_store_mut(&mut caller),
        None => (&mut no_memory[..], caller.data_mut()),
    };
    match wasi.call(func, &args, mem) {
        Ok(Some(errno)) => results[0] = Val::I32(errno),
        Ok(None) => {}
        Err(exit) => return Err(wasmtime::Error::msg(exit.to_string())),
    }
    Ok(())
}

fn val_to_i64(v: &Val) -> i64 {
    match v {
        Val::I32(x) => *x as i64,
        Val::I64(x) => *x,
        _ => 0,
    }
}

impl WasmtimeInstance {
    fn func(&mut self, name: &str) -> Result<Func> {
        self.instance
            .get_func(&mut self.store, name)
            .ctx(&format!("no exported function {name}"))
    }

    fn memory(&mut self, name: &str) -> Result<wasmtime::Memory> {
        self.instance
            .get_memory(&mut self.store, name)
            .ctx(&format!("no exported memory {name}"))
    }

    /// `count` calls through the typed API.
    fn typed_loop<P: WasmParams, R: WasmResults>(
        &mut self,
        func: Func,
        count: u64,
        arg: impl Fn(u64) -> P,
        result: impl Fn(R) -> i64,
    ) -> Result<i64> {
        let typed = func.typed::<P, R>(&self.store).ctx("wasmtime: typed")?;
        let mut last = 0;
        for i in 0..count {
            last = result(typed.call(&mut self.store, arg(i)).ctx("wasmtime: call")?);
        }
        Ok(last)
    }
}

impl Instance for WasmtimeInstance {
    fn call_many(&mut self, name: &str, count: u64, arg: &dyn Fn(u64) -> i64) -> Result<i64> {
        let func = self.func(name)?;
        let ty = func.ty(&self.store);
        let params: Vec<ValType> = ty.params().collect();
        let results: Vec<ValType> = ty.results().collect();
        match (&params[..], &results[..]) {
            ([ValType::I32], [ValType::I32]) => {
                self.typed_loop(func, count, |i| arg(i) as i32, |r: i32| r as i64)
            }
            ([ValType::I32], [ValType::I64]) => {
                self.typed_loop(func, count, |i| arg(i) as i32, |r: i64| r)
            }
            ([ValType::I64], [ValType::I64]) => self.typed_loop(func, count, arg, |r: i64| r),
            _ => Err(format!("{name}: unsupported signature {ty}")),
        }
    }

    fn grow_memory(&mut self, name: &str, pages: u64) -> Result<()> {
        let memory = self.memory(name)?;
        memory.grow(&mut self.store, pages).ctx("wasmtime: grow")?;
        Ok(())
    }

    fn memory_mut(&mut self, name: &str) -> Result<&mut [u8]> {
        let memory = self.memory(name)?;
        Ok(memory.data_mut(&mut self.store))
    }

    fn run_command(&mut self, name: &str) -> Result<()> {
        let func = self.func(name)?;
        match func.call(&mut self.store, &[], &mut []) {
            Ok(()) => Ok(()),
            Err(_) if self.store.data().exit.is_some() => Ok(()),
            Err(e) => Err(format!("wasmtime: {name}: {e:?}")),
        }
    }

    fn wasi(&mut self) -> &mut Wasi {
        self.store.data_mut()
    }
}

/// Compiles and instantiates component.wat, then calls `func` `calls` times
/// through `component::TypedFunc`, checking each result.
pub fn component_calls(
    pulley: bool,
    component: &[u8],
    func: ComponentFunc,
    calls: u64,
) -> Result<ComponentTimes> {
    use wasmtime::component::{Component, Linker};
    let engine = new_engine(pulley)?;
    let t0 = Instant::now();
    let compiled = Component::new(&engine, component).ctx("wasmtime: component")?;
    let compile = t0.elapsed();
    let mut store = Store::new(&engine, ());
    let t1 = Instant::now();
    let instance = Linker::<()>::new(&engine)
        .instantiate(&mut store, &compiled)
        .ctx("wasmtime: instantiate component")?;
    let instantiate = t1.elapsed();
    let t2 = Instant::now();
    component_timed_calls(&mut store, &instance, func, calls)?;
    Ok(ComponentTimes {
        compile,
        instantiate,
        run: t2.elapsed(),
    })
}

/// The timed loop of [`component_calls`], a function of its own so that
/// `callgrind.sh` counts only it (`--toggle-collect='*timed_calls*'`).
#[inline(never)]
fn component_timed_calls(
    store: &mut Store<()>,
    instance: &wasmtime::component::Instance,
    func: ComponentFunc,
    calls: u64,
) -> Result<()> {
    let name = func.export();
    match func {
        ComponentFunc::Add => {
            let f = instance
                .get_typed_func::<(u32, u32), (u32,)>(&mut *store, name)
                .ctx(name)?;
            for i in 0..calls as u32 {
                let (r,) = f.call(&mut *store, (i, 1)).ctx(name)?;
                check(r == i.wrapping_add(1), name)?;
            }
        }
        ComponentFunc::SumList => {
            let f = instance
                .get_typed_func::<(&[u32],), (u64,)>(&mut *store, name)
                .ctx(name)?;
            let list = component::sum_list_arg();
            let expected: u64 = list.iter().map(|x| *x as u64).sum();
            for _ in 0..calls {
                let (r,) = f.call(&mut *store, (&list[..],)).ctx(name)?;
                check(r == expected, name)?;
            }
        }
        ComponentFunc::Echo => {
            let f = instance
                .get_typed_func::<(&str,), (String,)>(&mut *store, name)
                .ctx(name)?;
            let s = component::echo_arg();
            for _ in 0..calls {
                let (r,) = f.call(&mut *store, (s.as_str(),)).ctx(name)?;
                check(r == s, name)?;
            }
        }
        ComponentFunc::Fib => {
            let f = instance
                .get_typed_func::<(u64,), (u64,)>(&mut *store, name)
                .ctx(name)?;
            for _ in 0..calls {
                let (r,) = f.call(&mut *store, (component::FIB_N,)).ctx(name)?;
                check(r == component::FIB_RESULT, name)?;
            }
        }
    }
    Ok(())
}

fn check(ok: bool, name: &str) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(format!("{name}: wrong result"))
    }
}
