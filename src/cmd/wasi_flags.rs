//! The WASI options of `witness run`, as `wasmtime run` spells them:
//! `--env NAME=VAL` (or `--env NAME`, the host's value), `--dir
//! HOST::GUEST` (or `--dir PATH`, seen by the guest as `PATH`), `--argv0`,
//! and `-S OPTION[=y|n]` (comma-separated, repeatable): `cli`, `common`,
//! `preview2`, `cli-exit-with-code` (WASI is always on), `inherit-env`,
//! `inherit-stdin`/`inherit-stdout`/`inherit-stderr`, `cwd=PATH`; the
//! network options `inherit-network`, `tcp`, `udp`, `allow-ip-name-lookup`
//! only as `=n` (witness has no network).

use std::path::Path;
use witness_wasi::{Input, Output, WasiCtx};

#[derive(clap::Args, Default)]
pub struct Flags {
    /// An environment variable for the guest, `NAME=VAL`, or `NAME` for
    /// the host's value (repeatable).
    #[arg(long = "env", value_name = "NAME[=VAL]")]
    env: Vec<String>,
    /// A host directory the guest may use, `HOST::GUEST`, or `PATH` for
    /// the same name in the guest (repeatable).
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// The guest's `argv[0]`; by default the component's file name.
    #[arg(long, value_name = "NAME")]
    argv0: Option<String>,
    /// WASI options, `OPTION[=y|n]` (comma-separated, repeatable): `cli`,
    /// `inherit-env`, `inherit-stdin`, `inherit-stdout`, `inherit-stderr`,
    /// `cwd=PATH`; `tcp`, `udp`, `allow-ip-name-lookup`, `inherit-network`
    /// only `=n` (no network).
    #[arg(short = 'S', value_name = "OPTION[=VAL]")]
    wasi: Vec<String>,
}

/// What a `-S` option turns on or off.
fn switch(name: &str, value: Option<&str>) -> Result<bool, String> {
    match value {
        None | Some("y" | "yes" | "true") => Ok(true),
        Some("n" | "no" | "false") => Ok(false),
        Some(v) => Err(format!("-S {name}={v}: expected y or n")),
    }
}

impl Flags {
    /// The guest's world: `file` the component, `args` the guest's
    /// arguments after `argv[0]`.
    pub fn ctx(&self, file: &str, args: &[String]) -> Result<WasiCtx, String> {
        let argv0 = match &self.argv0 {
            Some(a) => a.clone(),
            None => Path::new(file)
                .file_name()
                .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned()),
        };
        let mut ctx = WasiCtx {
            args: std::iter::once(argv0).chain(args.iter().cloned()).collect(),
            ..WasiCtx::default()
        };
        let mut inherit_env = false;
        for opt in self.wasi.iter().flat_map(|o| o.split(',')) {
            let (name, value) = match opt.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (opt, None),
            };
            match name {
                "cli" | "common" | "preview2" | "cli-exit-with-code" => {
                    if !switch(name, value)? {
                        return Err(format!("-S {name}=n: witness always provides WASI"));
                    }
                }
                "inherit-env" => inherit_env = switch(name, value)?,
                "inherit-stdin" if !switch(name, value)? => ctx.stdin = Input::Bytes(Vec::new()),
                "inherit-stdout" if !switch(name, value)? => {
                    ctx.stdout = Output::Buffer(Default::default())
                }
                "inherit-stderr" if !switch(name, value)? => {
                    ctx.stderr = Output::Buffer(Default::default())
                }
                "inherit-stdin" | "inherit-stdout" | "inherit-stderr" => {}
                "cwd" => ctx.initial_cwd = value.map(String::from),
                "inherit-network" | "tcp" | "udp" | "allow-ip-name-lookup" => {
                    if switch(name, value)? {
                        return Err(format!("-S {name}: witness has no network"));
                    }
                }
                _ => return Err(format!("-S {opt}: not a WASI option witness knows")),
            }
        }
        if inherit_env {
            for (k, v) in std::env::vars_os() {
                let (Some(k), Some(v)) = (k.to_str(), v.to_str()) else {
                    return Err(format!("environment variable {k:?} is not UTF-8"));
                };
                ctx.env.push((k.to_string(), v.to_string()));
            }
        }
        for e in &self.env {
            match e.split_once('=') {
                Some((k, v)) => ctx.env.push((k.to_string(), v.to_string())),
                None => {
                    if let Ok(v) = std::env::var(e) {
                        ctx.env.push((e.clone(), v));
                    }
                }
            }
        }
        for d in &self.dirs {
            let (host, guest) = d.split_once("::").unwrap_or((d, d));
            let path = std::fs::canonicalize(host)
                .map_err(|e| format!("--dir {d}: cannot open directory `{host}`: {e}"))?;
            if !path.is_dir() {
                return Err(format!("--dir {d}: `{host}` is not a directory"));
            }
            ctx.preopens.push((path, guest.to_string()));
        }
        Ok(ctx)
    }
}
