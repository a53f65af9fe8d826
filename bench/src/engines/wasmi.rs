//! wasmi 2.0.0, compiling eagerly (`CompilationMode::Eager`), as in the
//! anchors: translation of every function happens in `compile`.

use super::{Engine, Instance};
use crate::error::{Context, Result};
use crate::wasi::{Wasi, WasiFunc};
use wasmi::{
    Caller, CompilationMode, Config, Extern, Func, Linker, Module, Store, Val, ValType, WasmParams,
    WasmResults,
};

pub struct Wasmi {
    engine: wasmi::Engine,
}

impl Wasmi {
    pub fn new() -> Wasmi {
        let mut config = Config::default();
        config.compilation_mode(CompilationMode::Eager);
        Wasmi {
            engine: wasmi::Engine::new(&config),
        }
    }
}

pub struct WasmiInstance {
    store: Store<Wasi>,
    instance: wasmi::Instance,
}

impl Engine for Wasmi {
    type Module = Module;
    type Instance = WasmiInstance;

    fn compile(&self, wasm: &[u8]) -> Result<Module> {
        Module::new(&self.engine, wasm).ctx("wasmi: compile")
    }

    fn instantiate(&self, module: &Module, wasi: Wasi) -> Result<WasmiInstance> {
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
                .ctx("wasmi: link")?;
        }
        let instance = linker
            .instantiate_and_start(&mut store, module)
            .ctx("wasmi: instantiate")?;
        Ok(WasmiInstance { store, instance })
    }
}

/// A call of the WASI shim from wasm.
fn host_call(
    mut caller: Caller<'_, Wasi>,
    func: WasiFunc,
    args: &[Val],
    results: &mut [Val],
) -> std::result::Result<(), wasmi::Error> {
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
        Err(exit) => return Err(wasmi::Error::i32_exit(exit.0)),
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

impl WasmiInstance {
    fn func(&self, name: &str) -> Result<Func> {
        self.instance
            .get_func(&self.store, name)
            .ctx(&format!("no exported function {name}"))
    }

    fn memory(&self, name: &str) -> Result<wasmi::Memory> {
        self.instance
            .get_memory(&self.store, name)
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
        let typed = func.typed::<P, R>(&self.store).ctx("wasmi: typed")?;
        let mut last = 0;
        for i in 0..count {
            last = result(typed.call(&mut self.store, arg(i)).ctx("wasmi: call")?);
        }
        Ok(last)
    }
}

impl Instance for WasmiInstance {
    fn call_many(&mut self, name: &str, count: u64, arg: &dyn Fn(u64) -> i64) -> Result<i64> {
        let func = self.func(name)?;
        let ty = func.ty(&self.store);
        match (ty.params(), ty.results()) {
            ([ValType::I32], [ValType::I32]) => {
                self.typed_loop(func, count, |i| arg(i) as i32, |r: i32| r as i64)
            }
            ([ValType::I32], [ValType::I64]) => {
                self.typed_loop(func, count, |i| arg(i) as i32, |r: i64| r)
            }
            ([ValType::I64], [ValType::I64]) => self.typed_loop(func, count, arg, |r: i64| r),
            _ => Err(format!("{name}: unsupported signature {ty:?}")),
        }
    }

    fn grow_memory(&mut self, name: &str, pages: u64) -> Result<()> {
        let memory = self.memory(name)?;
        memory.grow(&mut self.store, pages).ctx("wasmi: grow")?;
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
            Err(e) => Err(format!("wasmi: {name}: {e}")),
        }
    }

    fn wasi(&mut self) -> &mut Wasi {
        self.store.data_mut()
    }
}
