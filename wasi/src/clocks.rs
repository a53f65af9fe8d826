//! `wasi:clocks`: `monotonic-clock` (nanoseconds since the host started)
//! and `wall-clock` (the host's system time).

use crate::host::{Host, Imp};
use crate::io::{Pollable, after, pollable};
use crate::vals::{Answer, Args, record, ret};
use std::time::{Duration, SystemTime};
use witness_interp::component::Val;

/// A `datetime`; `None` before 1970.
pub fn datetime(t: SystemTime) -> Option<Val> {
    let d = t.duration_since(SystemTime::UNIX_EPOCH).ok()?;
    Some(record(vec![
        ("seconds", Val::U64(d.as_secs())),
        ("nanoseconds", Val::U32(d.subsec_nanos())),
    ]))
}

fn now(h: &Host) -> u64 {
    h.start.elapsed().as_nanos() as u64
}

fn subscribe_instant(h: &Host, a: &Args) -> Answer {
    let when = a.u64(0)?;
    pollable(h, Pollable::At(h.start + Duration::from_nanos(when)))
}

fn wall_now(_: &Host, _: &Args) -> Answer {
    let t = datetime(SystemTime::now())
        .unwrap_or_else(|| record(vec![("seconds", Val::U64(0)), ("nanoseconds", Val::U32(0))]));
    ret(t)
}

const MONOTONIC: &str = "wasi:clocks/monotonic-clock";
const WALL: &str = "wasi:clocks/wall-clock";

pub const FUNCS: &[Imp] = &[
    Imp {
        iface: MONOTONIC,
        name: "now",
        f: |h, _| ret(Val::U64(now(h))),
    },
    Imp {
        iface: MONOTONIC,
        name: "resolution",
        f: |_, _| ret(Val::U64(1)),
    },
    Imp {
        iface: MONOTONIC,
        name: "subscribe-instant",
        f: subscribe_instant,
    },
    Imp {
        iface: MONOTONIC,
        name: "subscribe-duration",
        f: |h, a| pollable(h, after(a.u64(0)?)),
    },
    Imp {
        iface: WALL,
        name: "now",
        f: wall_now,
    },
    Imp {
        iface: WALL,
        name: "resolution",
        f: |_, _| {
            ret(record(vec![
                ("seconds", Val::U64(0)),
                ("nanoseconds", Val::U32(1)),
            ]))
        },
    },
];
