//! `wasi:random`: `random`, `insecure` and `insecure-seed`.
//!
//! The secure source is the host's `/dev/urandom`; the insecure one a
//! xorshift generator seeded from it. A `WasiCtx::random_seed` makes both
//! one seeded generator, for reproducible runs.

use crate::host::{Host, Imp};
use crate::vals::{Answer, Args, bytes, ret, trap, tuple};
use std::io::Read;
use witness_interp::component::Val;

/// The most bytes one call may ask for (wasmtime's default limit).
const MAX_RANDOM: u64 = 64 << 20;

/// The generators.
pub struct Rng {
    seeded: bool,
    state: u64,
}

impl Rng {
    pub fn new(seed: Option<u64>) -> Rng {
        let state = match seed {
            Some(s) => s,
            None => u64::from_le_bytes(os_bytes(8).try_into().unwrap_or([7; 8])),
        };
        Rng {
            seeded: seed.is_some(),
            // xorshift's state may not be zero.
            state: state | 1,
        }
    }

    /// xorshift64* (Vigna).
    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn fill(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            out.extend_from_slice(&self.next().to_le_bytes());
        }
        out.truncate(n);
        out
    }

    /// `n` bytes of the secure source.
    fn secure(&mut self, n: usize) -> Vec<u8> {
        if self.seeded {
            self.fill(n)
        } else {
            os_bytes(n)
        }
    }
}

/// `n` bytes of `/dev/urandom`, or of the generator's fallback.
fn os_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0; n];
    match std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut buf)) {
        Ok(()) => buf,
        Err(_) => {
            // No /dev/urandom: std's per-process hash keys are random.
            use std::hash::{BuildHasher, RandomState};
            let seed = RandomState::new().hash_one(n);
            Rng {
                seeded: true,
                state: seed | 1,
            }
            .fill(n)
        }
    }
}

fn len(a: &Args) -> Result<usize, witness_interp::component::Trap> {
    let n = a.u64(0)?;
    if n > MAX_RANDOM {
        return Err(trap(format!(
            "requested {n} random bytes, more than the limit of {MAX_RANDOM}"
        )));
    }
    Ok(n as usize)
}

fn secure_u64(h: &Host) -> u64 {
    let b = h.rng.borrow_mut().secure(8);
    u64::from_le_bytes(b.try_into().unwrap_or([0; 8]))
}

pub const FUNCS: &[Imp] = &[
    Imp {
        iface: "wasi:random/random",
        name: "get-random-bytes",
        f: |h, a| ret(bytes(&h.rng.borrow_mut().secure(len(a)?))),
    },
    Imp {
        iface: "wasi:random/random",
        name: "get-random-u64",
        f: |h, _| ret(Val::U64(secure_u64(h))),
    },
    Imp {
        iface: "wasi:random/insecure",
        name: "get-insecure-random-bytes",
        f: |h, a| ret(bytes(&h.rng.borrow_mut().fill(len(a)?))),
    },
    Imp {
        iface: "wasi:random/insecure",
        name: "get-insecure-random-u64",
        f: |h, _| ret(Val::U64(h.rng.borrow_mut().next())),
    },
    Imp {
        iface: "wasi:random/insecure-seed",
        name: "insecure-seed",
        f: insecure_seed,
    },
];

fn insecure_seed(h: &Host, _: &Args) -> Answer {
    let (a, b) = (secure_u64(h), secure_u64(h));
    ret(tuple(vec![Val::U64(a), Val::U64(b)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_makes_the_sources_reproducible() {
        let (mut a, mut b) = (Rng::new(Some(42)), Rng::new(Some(42)));
        assert_eq!(a.secure(20), b.secure(20));
        assert_eq!(a.next(), b.next());
        assert_ne!(Rng::new(Some(1)).fill(16), Rng::new(Some(2)).fill(16));
        assert_eq!(Rng::new(None).secure(5).len(), 5);
    }
}
