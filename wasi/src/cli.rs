//! `wasi:cli`: `environment`, `exit`, `stdin`/`stdout`/`stderr` and the
//! `terminal-*` interfaces. (`run` is what a command exports.)
//!
//! An exit is a trap that ends the guest, its status kept in the host for
//! the embedder ([`crate::Wasi::run`]): `exit(ok)` is 0, `exit(err)` 1,
//! `exit-with-code(n)` n, as in wasmtime.

use crate::ctx::{Input, Output};
use crate::host::{Host, Imp};
use crate::io::{InputStream, OutputStream};
use crate::table::Entry;
use crate::vals::{Answer, Args, none, option, ret, some, string, trap, tuple};
use std::io::IsTerminal;
use witness_interp::component::Val;

fn exit(h: &Host, code: u8) -> Answer {
    h.exit.set(Some(code));
    Err(trap(format!("exit with status {code}")))
}

fn stream(h: &Host, e: Entry) -> Answer {
    ret(Val::Handle(h.table.borrow_mut().push(e)))
}

/// A `terminal-*` handle when the process's stream is a terminal.
fn terminal(h: &Host, is: bool) -> Answer {
    if !is {
        return ret(none());
    }
    ret(some(Val::Handle(h.table.borrow_mut().push(Entry::Token))))
}

fn inherited_terminal(o: &Output, is: bool) -> bool {
    matches!(o, Output::Inherit) && is
}

const ENV: &str = "wasi:cli/environment";

pub const FUNCS: &[Imp] = &[
    Imp {
        iface: ENV,
        name: "get-environment",
        f: |h, _| {
            let env = (h.ctx.env.iter())
                .map(|(k, v)| tuple(vec![string(k.as_str()), string(v.as_str())]))
                .collect();
            ret(Val::List(env))
        },
    },
    Imp {
        iface: ENV,
        name: "get-arguments",
        f: |h, _| {
            ret(Val::List(
                h.ctx.args.iter().map(|a| string(a.as_str())).collect(),
            ))
        },
    },
    Imp {
        iface: ENV,
        name: "initial-cwd",
        f: |h, _| ret(option(h.ctx.initial_cwd.as_deref().map(string))),
    },
    Imp {
        iface: "wasi:cli/exit",
        name: "exit",
        f: |h, a: &Args| exit(h, u8::from(a.variant(0)?.0 != "ok")),
    },
    Imp {
        iface: "wasi:cli/exit",
        name: "exit-with-code",
        f: |h, a| exit(h, a.u8(0)?),
    },
    Imp {
        iface: "wasi:cli/stdin",
        name: "get-stdin",
        f: |h, _| stream(h, Entry::Input(InputStream::Stdin)),
    },
    Imp {
        iface: "wasi:cli/stdout",
        name: "get-stdout",
        f: |h, _| stream(h, Entry::Output(OutputStream::Stdout)),
    },
    Imp {
        iface: "wasi:cli/stderr",
        name: "get-stderr",
        f: |h, _| stream(h, Entry::Output(OutputStream::Stderr)),
    },
    Imp {
        iface: "wasi:cli/terminal-stdin",
        name: "get-terminal-stdin",
        f: |h, _| {
            let is = matches!(h.ctx.stdin, Input::Inherit) && std::io::stdin().is_terminal();
            terminal(h, is)
        },
    },
    Imp {
        iface: "wasi:cli/terminal-stdout",
        name: "get-terminal-stdout",
        f: |h, _| {
            terminal(
                h,
                inherited_terminal(&h.ctx.stdout, std::io::stdout().is_terminal()),
            )
        },
    },
    Imp {
        iface: "wasi:cli/terminal-stderr",
        name: "get-terminal-stderr",
        f: |h, _| {
            terminal(
                h,
                inherited_terminal(&h.ctx.stderr, std::io::stderr().is_terminal()),
            )
        },
    },
];
