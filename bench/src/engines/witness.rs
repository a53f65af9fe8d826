//! witness (this repository's interpreter, `witness-interp`).
//!
//! witness has no typed call API: every call goes through `Store::call` with
//! `Val`s, and host calls come back to the closure given to it. It has no
//! host-side `memory.grow` either, so [`Instance::grow_memory`] links a
//! two-line helper module to the memory and calls its `memory.grow`.

use super::{ComponentTimes, Engine, Instance};
use crate::component::{self, ComponentFunc};
use crate::error::{Context, Result};
use crate::wasi::{Wasi, WasiFunc};
use std::time::Instant;
use witness_interp::core_wasm::{
    CallError, Config, Extern, ExternType, FuncAddr, MemAddr, Module, Store, Trap, TrapKind, Val,
    ValType,
};

/// Grows an imported memory from wasm, for the host.
const GROW_HELPER: &str = r#"(module
  (import "kernel" "memory" (memory 0))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#;

pub struct Witness;

pub struct WitnessInstance {
    store: Store,
    instance: witness_interp::core_wasm::InstanceAddr,
    /// The shim function behind each host function, by its tag.
    imports: Vec<WasiFunc>,
    /// The instance's exported `memory`, for the shim.
    memory: Option<MemAddr>,
    wasi: Wasi,
}

impl Engine for Witness {
    type Module = Module;
    type Instance = WitnessInstance;

    fn compile(&self, wasm: &[u8]) -> Result<Module> {
        Module::new(wasm).ctx("witness: compile")
    }

    fn instantiate(&self, module: &Module, wasi: Wasi) -> Result<WitnessInstance> {
        let mut store = Store::new(Config::default());
        let mut imports = Vec::new();
        let mut externs = Vec::new();
        for import in module.imports() {
            let func = WasiFunc::resolve(&import.module, &import.name)
                .ctx(&format!("unknown import {}.{}", import.module, import.name))?;
            let ExternType::Func(ty) = &import.ty else {
                return Err(format!("import {} is not a function", import.name));
            };
            externs.push(Extern::Func(
                store.alloc_host_func(ty.clone(), imports.len() as u32),
            ));
            imports.push(func);
        }
        let inst = store
            .instantiate(module, &externs)
            .ctx("witness: instantiate")?;
        let memory = match store.instance_export(inst.instance, "memory") {
            Some(Extern::Memory(m)) => Some(m),
            _ => None,
        };
        let mut instance = WitnessInstance {
            store,
            instance: inst.instance,
            imports,
            memory,
            wasi,
        };
        if let Some(start) = inst.start {
            instance.call(start, &[]).ctx("witness: start")?;
        }
        Ok(instance)
    }
}

impl WitnessInstance {
    /// Calls `func`, answering host calls with the WASI shim.
    fn call(&mut self, func: FuncAddr, args: &[Val]) -> std::result::Result<Vec<Val>, CallError> {
        let WitnessInstance {
            store,
            imports,
            memory,
            wasi,
            ..
        } = self;
        store.call(func, args, &mut |store, _func, tag, args| {
            let func = imports[tag as usize];
            let args: Vec<i64> = args.iter().map(val_to_i64).collect();
            let mut no_memory = [];
            let mem = match memory {
                Some(m) => store.memory_mut(*m),
                None => &mut no_memory[..],
            };
            match wasi.call(func, &args, mem) {
                Ok(Some(errno)) => Ok(vec![Val::I32(errno)]),
                Ok(None) => Ok(vec![]),
                Err(exit) => Err(Trap::new(TrapKind::Host(exit.to_string()))),
            }
        })
    }

    fn func(&self, name: &str) -> Result<FuncAddr> {
        match self.store.instance_export(self.instance, name) {
            Some(Extern::Func(f)) => Ok(f),
            _ => Err(format!("no exported function {name}")),
        }
    }

    fn memory(&self, name: &str) -> Result<MemAddr> {
        match self.store.instance_export(self.instance, name) {
            Some(Extern::Memory(m)) => Ok(m),
            _ => Err(format!("no exported memory {name}")),
        }
    }
}

fn val_to_i64(v: &Val) -> i64 {
    match *v {
        Val::I32(x) => x as i64,
        Val::I64(x) => x,
        _ => 0,
    }
}

impl Instance for WitnessInstance {
    fn call_many(&mut self, name: &str, count: u64, arg: &dyn Fn(u64) -> i64) -> Result<i64> {
        let func = self.func(name)?;
        let param = self.store.func_type(func).params[0];
        let mut last = 0;
        for i in 0..count {
            let a = match param {
                ValType::I32 => Val::I32(arg(i) as i32),
                _ => Val::I64(arg(i)),
            };
            let results = self
                .call(func, &[a])
                .map_err(|e| format!("witness: {name}: {e}"))?;
            last = results.first().map_or(0, val_to_i64);
        }
        Ok(last)
    }

    fn grow_memory(&mut self, name: &str, pages: u64) -> Result<()> {
        let memory = self.memory(name)?;
        let wasm = wat::parse_str(GROW_HELPER).ctx("grow helper")?;
        let helper = Module::new(&wasm).ctx("grow helper")?;
        let inst = self
            .store
            .instantiate(&helper, &[Extern::Memory(memory)])
            .ctx("grow helper")?;
        let Some(Extern::Func(grow)) = self.store.instance_export(inst.instance, "grow") else {
            return Err("grow helper has no grow".into());
        };
        let old = self
            .store
            .call(grow, &[Val::I32(pages as i32)], &mut |_, _, _, _| {
                Ok(vec![])
            })
            .ctx("memory.grow")?;
        if old == [Val::I32(-1)] {
            return Err(format!("memory.grow({pages}) failed"));
        }
        Ok(())
    }

    fn memory_mut(&mut self, name: &str) -> Result<&mut [u8]> {
        let memory = self.memory(name)?;
        Ok(self.store.memory_mut(memory))
    }

    fn run_command(&mut self, name: &str) -> Result<()> {
        let func = self.func(name)?;
        match self.call(func, &[]) {
            Ok(_) => Ok(()),
            Err(_) if self.wasi.exit.is_some() => Ok(()),
            Err(e) => Err(format!("witness: {name}: {e}")),
        }
    }

    fn wasi(&mut self) -> &mut Wasi {
        &mut self.wasi
    }
}

/// Component calls through witness's embedding API
/// (`witness_interp::component`), timed like
/// [`super::wasmtime::component_calls`].
pub fn component_calls(
    component: &[u8],
    func: ComponentFunc,
    calls: u64,
) -> Option<Result<ComponentTimes>> {
    Some(run_component(component, func, calls))
}

fn run_component(bytes: &[u8], func: ComponentFunc, calls: u64) -> Result<ComponentTimes> {
    use witness_interp::component::{Component, Engine, Linker, Store};
    let engine = Engine::default();
    let t0 = Instant::now();
    let compiled = Component::new(&engine, bytes).ctx("witness: component")?;
    let compile = t0.elapsed();
    let store = Store::new(&engine);
    let t1 = Instant::now();
    let instance = Linker::new()
        .instantiate(&store, &compiled)
        .ctx("witness: instantiate component")?;
    let instantiate = t1.elapsed();
    let name = func.export();
    let f = instance.func(name).ctx(name)?;
    let t2 = Instant::now();
    component_timed_calls(&store, &f, func, calls)?;
    Ok(ComponentTimes {
        compile,
        instantiate,
        run: t2.elapsed(),
    })
}

/// The timed loop of [`run_component`], a function of its own so that
/// `callgrind.sh` counts only it (`--toggle-collect='*timed_calls*'`).
#[inline(never)]
fn component_timed_calls(
    store: &witness_interp::component::Store,
    f: &witness_interp::component::Func,
    func: ComponentFunc,
    calls: u64,
) -> Result<()> {
    use witness_interp::component::{StringValue, Val as Value};
    let name = func.export();
    // One list takes every call's results (`call_into`), as a host calling
    // in a loop would.
    let mut r = Vec::new();
    match func {
        ComponentFunc::Add => {
            for i in 0..calls as u32 {
                f.call_into(store, &[Value::U32(i), Value::U32(1)], &mut r)
                    .ctx(name)?;
                check(r == [Value::U32(i.wrapping_add(1))], name)?;
            }
        }
        ComponentFunc::SumList => {
            let list = component::sum_list_arg();
            let expected: u64 = list.iter().map(|x| *x as u64).sum();
            let arg = [Value::List(list.iter().map(|x| Value::U32(*x)).collect())];
            for _ in 0..calls {
                f.call_into(store, &arg, &mut r).ctx(name)?;
                check(r == [Value::U64(expected)], name)?;
            }
        }
        ComponentFunc::Echo => {
            let s = component::echo_arg();
            let arg = [Value::String(StringValue::from_host(s.clone()))];
            for _ in 0..calls {
                f.call_into(store, &arg, &mut r).ctx(name)?;
                check(matches!(&r[..], [Value::String(v)] if v.s == s), name)?;
            }
        }
        ComponentFunc::Fib => {
            for _ in 0..calls {
                f.call_into(store, &[Value::U64(component::FIB_N)], &mut r)
                    .ctx(name)?;
                check(r == [Value::U64(component::FIB_RESULT)], name)?;
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
