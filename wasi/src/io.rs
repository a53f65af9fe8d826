//! `wasi:io`: `error`, `poll` and `streams`.
//!
//! Every stream of this host is synchronous: a read returns what the
//! source has (blocking on `stdin` as the process would), a write reaches
//! its destination before it returns. So each stream's pollable is ready
//! at once, and only clock pollables wait. The limits guests observe are
//! wasmtime's: `check-write` grants 1 MiB, the `blocking-…-and-flush`
//! calls take at most 4096 bytes (more traps), a read returns at most
//! 64 KiB.

use crate::ctx::{Input, Output};
use crate::host::{Host, Imp};
use crate::table::Entry;
use crate::vals::{Answer, Args, bytes, err, ok, ret, string, trap};
use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::fs::FileExt;
use std::rc::Rc;
use std::time::{Duration, Instant};
use witness_interp::component::Val;

/// What `check-write` grants.
pub const WRITE_BUDGET: u64 = 1 << 20;
/// The most a `blocking-write-and-flush` may write.
const BLOCKING_WRITE_MAX: usize = 4096;
/// The most one read returns.
const READ_MAX: u64 = 64 * 1024;

/// A pollable: ready now, or at a moment of the monotonic clock.
pub enum Pollable {
    Ready,
    At(Instant),
}

impl Pollable {
    fn ready(&self) -> bool {
        match self {
            Pollable::Ready => true,
            Pollable::At(t) => Instant::now() >= *t,
        }
    }

    fn deadline(&self) -> Option<Instant> {
        match self {
            Pollable::Ready => None,
            Pollable::At(t) => Some(*t),
        }
    }
}

/// Where an `input-stream` reads from.
pub enum InputStream {
    Stdin,
    /// A file, from a position on.
    File {
        file: Rc<File>,
        at: u64,
    },
}

/// Where an `output-stream` writes to.
pub enum OutputStream {
    Stdout,
    Stderr,
    /// A file at a position, or (`None`) at its end.
    File {
        file: Rc<File>,
        at: Option<u64>,
    },
}

/// A failed stream operation (`stream-error`), before it is a value.
pub enum StreamError {
    Closed,
    Failed(std::io::Error),
}

impl From<std::io::Error> for StreamError {
    fn from(e: std::io::Error) -> StreamError {
        StreamError::Failed(e)
    }
}

impl StreamError {
    /// The `stream-error` value: `closed`, or `last-operation-failed`
    /// with a fresh `error` resource.
    fn value(self, h: &Host) -> Val {
        match self {
            StreamError::Closed => Val::Variant("closed".into(), None),
            StreamError::Failed(e) => {
                let rep = h.table.borrow_mut().push(Entry::Error(e));
                Val::Variant(
                    "last-operation-failed".into(),
                    Some(Box::new(Val::Handle(rep))),
                )
            }
        }
    }
}

/// A `result<T, stream-error>`.
fn answer(h: &Host, r: Result<Option<Val>, StreamError>) -> Answer {
    ret(match r {
        Ok(v) => ok(v),
        Err(e) => err(e.value(h)),
    })
}

/// Reads up to `len` bytes of input `rep`; `closed` at its end.
pub fn read(h: &Host, rep: u32, len: u64) -> Result<Vec<u8>, StreamError> {
    let len = len.min(READ_MAX) as usize;
    if len == 0 {
        return Ok(Vec::new());
    }
    let mut table = h.table.borrow_mut();
    let mut buf = vec![0; len];
    let n = match table.input(rep).map_err(|_| StreamError::Closed)? {
        InputStream::Stdin => match &h.ctx.stdin {
            Input::Inherit => std::io::stdin().lock().read(&mut buf)?,
            Input::Bytes(b) => {
                let at = h.stdin_at.get().min(b.len());
                let n = len.min(b.len() - at);
                buf[..n].copy_from_slice(&b[at..at + n]);
                h.stdin_at.set(at + n);
                n
            }
        },
        InputStream::File { file, at } => {
            let n = file.read_at(&mut buf, *at)?;
            *at += n as u64;
            n
        }
    };
    if n == 0 {
        return Err(StreamError::Closed);
    }
    buf.truncate(n);
    Ok(buf)
}

/// Writes `data` to output `rep`, all of it, and flushes it.
pub fn write(h: &Host, rep: u32, data: &[u8]) -> Result<(), StreamError> {
    let mut table = h.table.borrow_mut();
    let out = table.output(rep).map_err(|_| StreamError::Closed)?;
    let to = |o: &Output, inherit: &mut dyn Write| -> std::io::Result<()> {
        match o {
            Output::Inherit => {
                inherit.write_all(data)?;
                inherit.flush()
            }
            Output::Buffer(b) => {
                b.borrow_mut().extend_from_slice(data);
                Ok(())
            }
        }
    };
    match out {
        OutputStream::Stdout => to(&h.ctx.stdout, &mut std::io::stdout().lock())?,
        OutputStream::Stderr => to(&h.ctx.stderr, &mut std::io::stderr().lock())?,
        OutputStream::File { file, at: Some(at) } => {
            file.write_all_at(data, *at)?;
            *at += data.len() as u64;
        }
        OutputStream::File { file, at: None } => {
            // The file was opened for appending only if the guest asked;
            // an append stream writes at the end each time.
            let end = file.metadata()?.len();
            file.write_all_at(data, end)?;
        }
    }
    Ok(())
}

/// `[method]output-stream.splice` (blocking or not: both are synchronous).
fn splice(h: &Host, a: &Args) -> Answer {
    let (dst, src, len) = (a.handle(0)?, a.handle(1)?, a.u64(2)?);
    let r = read(h, src, len.min(WRITE_BUDGET))
        .and_then(|data| write(h, dst, &data).map(|()| data.len() as u64));
    answer(h, r.map(|n| Some(Val::U64(n))))
}

fn write_checked(h: &Host, a: &Args, max: Option<usize>, what: &str) -> Answer {
    let data = a.bytes(1)?;
    if max.is_some_and(|m| data.len() > m) {
        return Err(trap(format!(
            "Buffer too large for {what} (expected at most {BLOCKING_WRITE_MAX})"
        )));
    }
    answer(h, write(h, a.handle(0)?, &data).map(|()| None))
}

fn write_zeroes(h: &Host, a: &Args, max: Option<usize>, what: &str) -> Answer {
    let len = a.u64(1)?;
    if max.is_some_and(|m| len > m as u64) {
        return Err(trap(format!(
            "Buffer too large for {what} (expected at most {BLOCKING_WRITE_MAX})"
        )));
    }
    let zeroes = vec![0; len.min(WRITE_BUDGET) as usize];
    answer(h, write(h, a.handle(0)?, &zeroes).map(|()| None))
}

/// A new pollable.
pub fn pollable(h: &Host, p: Pollable) -> Answer {
    ret(Val::Handle(h.table.borrow_mut().push(Entry::Pollable(p))))
}

/// `wasi:io/poll.poll`: the indices of the ready pollables, waiting for
/// the first deadline if none is.
fn poll(h: &Host, a: &Args) -> Answer {
    let reps = a.handles(0)?;
    if reps.is_empty() {
        return Err(trap("empty poll list"));
    }
    loop {
        let mut table = h.table.borrow_mut();
        let mut ready = Vec::new();
        let mut first: Option<Instant> = None;
        for (i, rep) in reps.iter().enumerate() {
            let p = table.pollable(*rep)?;
            if p.ready() {
                ready.push(Val::U32(i as u32));
            } else if let Some(t) = p.deadline() {
                first = Some(first.map_or(t, |f| f.min(t)));
            }
        }
        drop(table);
        if !ready.is_empty() {
            return ret(Val::List(ready));
        }
        if let Some(t) = first {
            sleep_until(t);
        }
    }
}

fn sleep_until(t: Instant) {
    let now = Instant::now();
    if t > now {
        std::thread::sleep(t - now);
    }
}

fn block(h: &Host, a: &Args) -> Answer {
    let deadline = h.table.borrow_mut().pollable(a.handle(0)?)?.deadline();
    if let Some(t) = deadline {
        sleep_until(t);
    }
    Ok(vec![])
}

fn ready(h: &Host, a: &Args) -> Answer {
    ret(Val::Bool(
        h.table.borrow_mut().pollable(a.handle(0)?)?.ready(),
    ))
}

fn to_debug_string(h: &Host, a: &Args) -> Answer {
    ret(string(format!(
        "{:?}",
        h.table.borrow_mut().error(a.handle(0)?)?
    )))
}

fn read_(h: &Host, a: &Args) -> Answer {
    let r = read(h, a.handle(0)?, a.u64(1)?);
    answer(h, r.map(|b| Some(bytes(&b))))
}

fn skip(h: &Host, a: &Args) -> Answer {
    let r = read(h, a.handle(0)?, a.u64(1)?);
    answer(h, r.map(|b| Some(Val::U64(b.len() as u64))))
}

fn subscribe(h: &Host, _: &Args) -> Answer {
    pollable(h, Pollable::Ready)
}

fn check_write(h: &Host, a: &Args) -> Answer {
    h.table.borrow_mut().output(a.handle(0)?)?;
    answer(h, Ok(Some(Val::U64(WRITE_BUDGET))))
}

fn flush(h: &Host, a: &Args) -> Answer {
    answer(h, write(h, a.handle(0)?, &[]).map(|()| None))
}

const STREAMS: &str = "wasi:io/streams";

pub const FUNCS: &[Imp] = &[
    Imp {
        iface: "wasi:io/error",
        name: "[method]error.to-debug-string",
        f: to_debug_string,
    },
    Imp {
        iface: "wasi:io/poll",
        name: "[method]pollable.ready",
        f: ready,
    },
    Imp {
        iface: "wasi:io/poll",
        name: "[method]pollable.block",
        f: block,
    },
    Imp {
        iface: "wasi:io/poll",
        name: "poll",
        f: poll,
    },
    Imp {
        iface: STREAMS,
        name: "[method]input-stream.read",
        f: read_,
    },
    Imp {
        iface: STREAMS,
        name: "[method]input-stream.blocking-read",
        f: read_,
    },
    Imp {
        iface: STREAMS,
        name: "[method]input-stream.skip",
        f: skip,
    },
    Imp {
        iface: STREAMS,
        name: "[method]input-stream.blocking-skip",
        f: skip,
    },
    Imp {
        iface: STREAMS,
        name: "[method]input-stream.subscribe",
        f: subscribe,
    },
    Imp {
        iface: STREAMS,
        name: "[method]output-stream.check-write",
        f: check_write,
    },
    Imp {
        iface: STREAMS,
        name: "[method]output-stream.write",
        f: |h, a| write_checked(h, a, None, "write"),
    },
    Imp {
        iface: STREAMS,
        name: "[method]output-stream.blocking-write-and-flush",
        f: |h, a| write_checked(h, a, Some(BLOCKING_WRITE_MAX), "blocking-write-and-flush"),
    },
    Imp {
        iface: STREAMS,
        name: "[method]output-stream.flush",
        f: flush,
    },
    Imp {
        iface: STREAMS,
        name: "[method]output-stream.blocking-flush",
        f: flush,
    },
    Imp {
        iface: STREAMS,
        name: "[method]output-stream.subscribe",
        f: subscribe,
    },
    Imp {
        iface: STREAMS,
        name: "[method]output-stream.write-zeroes",
        f: |h, a| write_zeroes(h, a, None, "write-zeroes"),
    },
    Imp {
        iface: STREAMS,
        name: "[method]output-stream.blocking-write-zeroes-and-flush",
        f: |h, a| {
            write_zeroes(
                h,
                a,
                Some(BLOCKING_WRITE_MAX),
                "blocking-write-zeroes-and-flush",
            )
        },
    },
    Imp {
        iface: STREAMS,
        name: "[method]output-stream.splice",
        f: splice,
    },
    Imp {
        iface: STREAMS,
        name: "[method]output-stream.blocking-splice",
        f: splice,
    },
];

/// The deadline `d` from now.
pub fn after(d: u64) -> Pollable {
    Pollable::At(Instant::now() + Duration::from_nanos(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::WasiCtx;
    use std::cell::RefCell;

    fn host(stdin: &[u8]) -> (Host, Rc<RefCell<Vec<u8>>>) {
        let out = Rc::new(RefCell::new(Vec::new()));
        let ctx = WasiCtx {
            stdin: Input::Bytes(stdin.to_vec()),
            stdout: Output::Buffer(out.clone()),
            ..WasiCtx::default()
        };
        (Host::new(ctx), out)
    }

    fn call(h: &Host, name: &str, args: &[Val]) -> Answer {
        let imp = FUNCS.iter().find(|i| i.name == name).unwrap();
        (imp.f)(h, &Args(args))
    }

    fn push(h: &Host, e: Entry) -> Val {
        Val::Handle(h.table.borrow_mut().push(e))
    }

    #[test]
    fn stdin_reads_in_chunks_then_is_closed() {
        let (h, _) = host(b"hello");
        let stdin = push(&h, Entry::Input(InputStream::Stdin));
        let read = |n| {
            call(
                &h,
                "[method]input-stream.read",
                &[stdin.clone(), Val::U64(n)],
            )
        };
        assert_eq!(read(3), ret(ok(Some(bytes(b"hel")))));
        assert_eq!(read(0), ret(ok(Some(bytes(b"")))));
        assert_eq!(read(10), ret(ok(Some(bytes(b"lo")))));
        assert_eq!(read(10), ret(err(Val::Variant("closed".into(), None))));
    }

    #[test]
    fn writes_reach_stdout_and_splice_moves_bytes() {
        let (h, out) = host(b"abcdef");
        let stdout = push(&h, Entry::Output(OutputStream::Stdout));
        let stdin = push(&h, Entry::Input(InputStream::Stdin));
        let w = call(
            &h,
            "[method]output-stream.write",
            &[stdout.clone(), bytes(b"x:")],
        );
        assert_eq!(w, ret(ok(None)));
        let s = call(
            &h,
            "[method]output-stream.splice",
            &[stdout.clone(), stdin, Val::U64(4)],
        );
        assert_eq!(s, ret(ok(Some(Val::U64(4)))));
        let z = "[method]output-stream.write-zeroes";
        assert_eq!(call(&h, z, &[stdout.clone(), Val::U64(2)]), ret(ok(None)));
        assert_eq!(*out.borrow(), b"x:abcd\0\0");
        let check = call(
            &h,
            "[method]output-stream.check-write",
            std::slice::from_ref(&stdout),
        );
        assert_eq!(check, ret(ok(Some(Val::U64(WRITE_BUDGET)))));
        // More than 4096 bytes in one blocking write is the guest's error.
        let big = bytes(&[1; 4097]);
        let bw = "[method]output-stream.blocking-write-and-flush";
        assert!(call(&h, bw, &[stdout, big]).is_err());
    }

    #[test]
    fn file_streams_write_at_their_position_and_read_it_back() {
        let path = std::env::temp_dir().join(format!("witness-wasi-io-{}", std::process::id()));
        let file = Rc::new(
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(&path)
                .unwrap(),
        );
        let (h, _) = host(b"");
        let at = push(
            &h,
            Entry::Output(OutputStream::File {
                file: file.clone(),
                at: Some(2),
            }),
        );
        let end = push(
            &h,
            Entry::Output(OutputStream::File {
                file: file.clone(),
                at: None,
            }),
        );
        let write = "[method]output-stream.blocking-write-and-flush";
        call(&h, write, &[at.clone(), bytes(b"ab")]).unwrap();
        call(&h, write, &[at, bytes(b"cd")]).unwrap();
        call(&h, write, &[end, bytes(b"!")]).unwrap();
        let input = push(&h, Entry::Input(InputStream::File { file, at: 1 }));
        let read = "[method]input-stream.blocking-read";
        let got = call(&h, read, &[input.clone(), Val::U64(100)]);
        assert_eq!(got, ret(ok(Some(bytes(b"\0abcd!")))));
        let skip = call(&h, "[method]input-stream.skip", &[input, Val::U64(1)]);
        assert_eq!(skip, ret(err(Val::Variant("closed".into(), None))));
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn poll_answers_the_ready_pollables_and_waits_for_a_deadline() {
        let (h, _) = host(b"");
        assert!(call(&h, "poll", &[Val::List(vec![])]).is_err());
        let later = push(&h, Entry::Pollable(after(5_000_000)));
        let now = push(&h, Entry::Pollable(Pollable::Ready));
        let both = Val::List(vec![later.clone(), now]);
        assert_eq!(call(&h, "poll", &[both]), ret(Val::List(vec![Val::U32(1)])));
        assert_eq!(
            call(&h, "[method]pollable.ready", std::slice::from_ref(&later)),
            ret(Val::Bool(false))
        );
        let only = Val::List(vec![later.clone()]);
        assert_eq!(call(&h, "poll", &[only]), ret(Val::List(vec![Val::U32(0)])));
        assert_eq!(
            call(&h, "[method]pollable.ready", &[later]),
            ret(Val::Bool(true))
        );
    }
}
