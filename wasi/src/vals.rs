//! Component values as the host reads and writes them: arguments taken
//! apart by position and type, results built in the shapes the Canonical
//! ABI lifts and lowers (a result is a variant `ok`/`error`, a tuple a
//! record labelled `0`, `1`, ...).

use witness_interp::component::{StringValue, Trap, TrapKind, Val};

/// What a host function answers: its result (zero or one value) or a trap.
pub type Answer = Result<Vec<Val>, Trap>;

/// A trap raised by the host, with its message.
pub fn trap(message: impl Into<String>) -> Trap {
    Trap::from(TrapKind::Core(message.into()))
}

/// One result value.
pub fn ret(v: Val) -> Answer {
    Ok(vec![v])
}

/// `ok`, with a payload or none.
pub fn ok(v: Option<Val>) -> Val {
    Val::Variant("ok".into(), v.map(Box::new))
}

/// `error(v)`.
pub fn err(v: Val) -> Val {
    Val::Variant("error".into(), Some(Box::new(v)))
}

/// `some(v)`.
pub fn some(v: Val) -> Val {
    Val::Variant("some".into(), Some(Box::new(v)))
}

/// `none`.
pub fn none() -> Val {
    Val::Variant("none".into(), None)
}

/// `v` as an option.
pub fn option(v: Option<Val>) -> Val {
    v.map_or_else(none, some)
}

/// An enum case (a variant case without payload).
pub fn case(label: &str) -> Val {
    Val::Variant(label.into(), None)
}

/// A `list<u8>`.
pub fn bytes(b: &[u8]) -> Val {
    Val::List(b.iter().map(|&b| Val::U8(b)).collect())
}

/// A `string`.
pub fn string(s: impl Into<String>) -> Val {
    Val::String(StringValue::from_host(s))
}

/// A record.
pub fn record(fields: Vec<(&str, Val)>) -> Val {
    Val::Record(fields.into_iter().map(|(l, v)| (l.into(), v)).collect())
}

/// A tuple.
pub fn tuple(vs: Vec<Val>) -> Val {
    Val::Record(
        vs.into_iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
    )
}

/// The arguments of one call, read by position.
pub struct Args<'a>(pub &'a [Val]);

impl Args<'_> {
    fn at(&self, i: usize) -> Result<&Val, Trap> {
        self.0
            .get(i)
            .ok_or_else(|| trap(format!("witness-wasi: no argument {i}")))
    }

    fn wrong(i: usize, what: &str) -> Trap {
        trap(format!("witness-wasi: argument {i} is not a {what}"))
    }

    pub fn u64(&self, i: usize) -> Result<u64, Trap> {
        match self.at(i)? {
            Val::U64(n) => Ok(*n),
            _ => Err(Self::wrong(i, "u64")),
        }
    }

    pub fn u32(&self, i: usize) -> Result<u32, Trap> {
        match self.at(i)? {
            Val::U32(n) => Ok(*n),
            _ => Err(Self::wrong(i, "u32")),
        }
    }

    pub fn u8(&self, i: usize) -> Result<u8, Trap> {
        match self.at(i)? {
            Val::U8(n) => Ok(*n),
            _ => Err(Self::wrong(i, "u8")),
        }
    }

    /// A handle's representation (`own` or `borrow`).
    pub fn handle(&self, i: usize) -> Result<u32, Trap> {
        match self.at(i)? {
            Val::Handle(rep) => Ok(*rep),
            _ => Err(Self::wrong(i, "handle")),
        }
    }

    pub fn string(&self, i: usize) -> Result<&str, Trap> {
        match self.at(i)? {
            Val::String(s) => Ok(&s.s),
            _ => Err(Self::wrong(i, "string")),
        }
    }

    /// The list argument `i`, each element read by `each`.
    fn list<T>(&self, i: usize, what: &str, each: fn(&Val) -> Option<T>) -> Result<Vec<T>, Trap> {
        match self.at(i)? {
            Val::List(vs) => (vs.iter())
                .map(|v| each(v).ok_or_else(|| Self::wrong(i, what)))
                .collect(),
            _ => Err(Self::wrong(i, what)),
        }
    }

    pub fn bytes(&self, i: usize) -> Result<Vec<u8>, Trap> {
        self.list(i, "list<u8>", |v| match v {
            Val::U8(b) => Some(*b),
            _ => None,
        })
    }

    /// Handles in a `list<borrow<_>>`.
    pub fn handles(&self, i: usize) -> Result<Vec<u32>, Trap> {
        self.list(i, "list of handles", |v| match v {
            Val::Handle(rep) => Some(*rep),
            _ => None,
        })
    }

    /// Whether the flags argument `i` has `label` set.
    pub fn flag(&self, i: usize, label: &str) -> Result<bool, Trap> {
        match self.at(i)? {
            Val::Flags(fs) => Ok(fs.iter().any(|(l, on)| l == label && *on)),
            _ => Err(Self::wrong(i, "flags")),
        }
    }

    /// A variant (or enum) argument: its case label and payload.
    pub fn variant(&self, i: usize) -> Result<(&str, Option<&Val>), Trap> {
        match self.at(i)? {
            Val::Variant(l, p) => Ok((l.as_str(), p.as_deref())),
            _ => Err(Self::wrong(i, "variant")),
        }
    }
}
