//! Choices: every point where CanonicalABI.md chooses (`random.choice`,
//! `random.randint`, `random.shuffle`, the `DETERMINISTIC_PROFILE`
//! branches) asks the one [`Choices`] object its [`Store`](crate::store::Store)
//! owns, never a hidden global.
//!
//! Modes:
//! - [`Mode::Deterministic`]: the spec's `DETERMINISTIC_PROFILE`; where a
//!   choice among candidates remains, the first candidate (candidates are
//!   always listed in a fixed order: table order, `Store.waiting` order).
//! - [`Mode::Random`]: a seeded pseudo-random generator (splitmix64), the
//!   profile off.
//! - [`Mode::Replay`]: answers from a script of earlier answers (then the
//!   first candidate), the profile off. Every choice made in any mode is
//!   appended to [`Choices::log`] with its number of candidates, so an
//!   exploring driver can enumerate schedules: run, read the log, bump the
//!   last answer that has an untried candidate, replay that prefix.

use alloc::vec::Vec;

/// Which spec point asked, for the log and for traces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    /// `Thread.wait_until`: keep running when already ready.
    WaitUntilReady,
    /// `Task.request_cancellation`: which cancellable thread to resume.
    RequestCancellation,
    /// `Store.tick`: which ready thread to resume.
    Tick,
    /// `canon_lift`: which ready thread runs while a sync task blocks.
    SyncLiftSchedule,
    /// `WaitableSet.get_pending_event`: the `random.shuffle`.
    WaitableSetShuffle,
    /// `canon_error_context_new`: keep the debug message or not.
    ErrorContextDiscard,
    /// `random_nan_bits`.
    NanBits,
}

/// One choice made: where, among how many candidates, which one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Made {
    pub site: Site,
    pub n: u32,
    pub chosen: u32,
}

/// How choices are made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Deterministic,
    Random { state: u64 },
    Replay { script: Vec<u32>, at: usize },
}

/// The store's source of choices.
#[derive(Clone, Debug)]
pub struct Choices {
    pub mode: Mode,
    /// Every choice made, in order (kept up to [`Choices::MAX_LOG`]).
    pub log: Vec<Made>,
}

impl Default for Choices {
    fn default() -> Choices {
        Choices::deterministic()
    }
}

impl Choices {
    /// The log's bound, so a long run does not grow without end.
    pub const MAX_LOG: usize = 1 << 16;

    /// The deterministic profile.
    pub fn deterministic() -> Choices {
        Choices {
            mode: Mode::Deterministic,
            log: Vec::new(),
        }
    }

    /// Seeded pseudo-random choices.
    pub fn random(seed: u64) -> Choices {
        Choices {
            mode: Mode::Random { state: seed },
            log: Vec::new(),
        }
    }

    /// Replays `script` (indices of candidates), then takes first candidates.
    pub fn replay(script: Vec<u32>) -> Choices {
        Choices {
            mode: Mode::Replay { script, at: 0 },
            log: Vec::new(),
        }
    }

    /// `DETERMINISTIC_PROFILE`.
    pub fn deterministic_profile(&self) -> bool {
        self.mode == Mode::Deterministic
    }

    /// `random.choice` among `n` candidates: the index chosen (`0` when
    /// `n` is 0 or 1, where nothing is chosen and nothing is logged).
    pub fn choice(&mut self, site: Site, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let chosen = match &mut self.mode {
            Mode::Deterministic => 0,
            Mode::Random { state } => (splitmix64(state) % n as u64) as usize,
            Mode::Replay { script, at } => {
                let c = script.get(*at).map_or(0, |c| *c as usize);
                *at += 1;
                if c < n { c } else { 0 }
            }
        };
        if self.log.len() < Self::MAX_LOG {
            self.log.push(Made {
                site,
                n: n as u32,
                chosen: chosen as u32,
            });
        }
        chosen
    }

    /// `random.randint(lo, hi)`, both ends included.
    pub fn randint(&mut self, site: Site, lo: u32, hi: u32) -> u32 {
        lo + self.choice(site, (hi - lo) as usize + 1) as u32
    }

    /// `random.shuffle`: Fisher–Yates through [`Choices::choice`], so the
    /// deterministic mode keeps the order.
    pub fn shuffle<T>(&mut self, site: Site, v: &mut [T]) {
        for i in 0..v.len().saturating_sub(1) {
            let j = i + self.choice(site, v.len() - i);
            v.swap(i, j);
        }
    }
}

/// One step of splitmix64.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_choose_as_documented() {
        let mut d = Choices::deterministic();
        assert_eq!(d.choice(Site::Tick, 5), 0);
        let mut v = [1, 2, 3];
        d.shuffle(Site::WaitableSetShuffle, &mut v);
        assert_eq!(v, [1, 2, 3]);
        let (mut a, mut b) = (Choices::random(7), Choices::random(7));
        let xs: Vec<_> = (0..20).map(|_| a.choice(Site::Tick, 3)).collect();
        let ys: Vec<_> = (0..20).map(|_| b.choice(Site::Tick, 3)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().any(|x| *x != 0) && xs.iter().all(|x| *x < 3));
        let mut r = Choices::replay(alloc::vec![2, 1, 9]);
        assert_eq!(
            [
                r.choice(Site::Tick, 3),
                r.choice(Site::Tick, 3),
                r.choice(Site::Tick, 3),
                r.choice(Site::Tick, 3)
            ],
            [2, 1, 0, 0]
        );
        assert_eq!(r.log.len(), 4);
        assert_eq!(r.choice(Site::Tick, 1), 0);
        assert_eq!(r.log.len(), 4);
    }
}
