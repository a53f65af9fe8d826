//! Choices: the one object through which every choice the specifications
//! leave to the implementation is made (DESIGN.md, "Concurrency,
//! literally"), so that a run can be asked for any allowed behaviour
//! instead of the one a host happens to make.
//!
//! Today it makes the choices of the core spec's relaxed operations
//! (§4.3.6 "Relaxed Operations"): each is governed by a *global parameter*
//! `R` ([`Relaxed`]) that selects one of a list of permitted results,
//! `relaxed(R)[A_0, ..., A_n] = A_R`, and that stays fixed for a whole
//! execution. The component model's random choices (`random.randint`,
//! `random.choice`, `random.shuffle` and the deterministic profile of
//! CanonicalABI.md) will go through the same object and the same
//! [`Mode`]s; an exploring mode, which enumerates choice sequences to run a
//! test under every behaviour the spec allows, is to come.
//!
//! NaN bit patterns are not chosen here yet: witness always returns the
//! positive canonical NaN, the deterministic profile's choice.

/// A global parameter of the relaxed operations (§4.3.6), named as the
/// spec names it (`R_fmadd`, ...). Its value is the index of the permitted
/// result to use; 0 is the deterministic profile's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relaxed {
    /// `R_fmadd`: `relaxed_madd`/`nmadd` unfused (0) or fused (1).
    Fmadd,
    /// `R_fmin`: `relaxed_min` on NaNs and zeroes of opposite signs:
    /// `fmin` (0) or one of three operand-based results.
    Fmin,
    /// `R_fmax`: as `R_fmin`, for `relaxed_max`.
    Fmax,
    /// `R_iq15mulr`: `relaxed_q15mulr_s` of `-2^15` by itself: saturated
    /// (0) or wrapped (1).
    Iq15mulr,
    /// `R_trunc_u`: `relaxed_trunc_*_u` of NaN or an out-of-range value:
    /// saturated (0) or another value (1; witness gives `0xffff_ffff`).
    TruncU,
    /// `R_trunc_s`: `relaxed_trunc_*_s` of NaN or an out-of-range value:
    /// saturated (0) or another value (1; witness gives `-2^31`).
    TruncS,
    /// `R_swizzle`: `relaxed_swizzle` of an index in 16..=127: 0 (0) or
    /// the lane at the index modulo 16 (1).
    Swizzle,
    /// `R_idot`: `relaxed_dot*`'s second operand read signed (0) or
    /// unsigned (1).
    Idot,
    /// `R_laneselect`: `relaxed_laneselect`'s mask used bit by bit (0) or
    /// by each lane's top bit (1).
    Laneselect,
}

impl Relaxed {
    /// Every parameter.
    pub const ALL: [Relaxed; 9] = [
        Relaxed::Fmadd,
        Relaxed::Fmin,
        Relaxed::Fmax,
        Relaxed::Iq15mulr,
        Relaxed::TruncU,
        Relaxed::TruncS,
        Relaxed::Swizzle,
        Relaxed::Idot,
        Relaxed::Laneselect,
    ];

    /// How many permitted results the parameter selects among.
    pub fn options(self) -> usize {
        match self {
            Relaxed::Fmin | Relaxed::Fmax => 4,
            _ => 2,
        }
    }

    /// The spec's name, without `R_`: `fmadd`, `fmin`, ..., `trunc_u`.
    pub fn name(self) -> &'static str {
        match self {
            Relaxed::Fmadd => "fmadd",
            Relaxed::Fmin => "fmin",
            Relaxed::Fmax => "fmax",
            Relaxed::Iq15mulr => "iq15mulr",
            Relaxed::TruncU => "trunc_u",
            Relaxed::TruncS => "trunc_s",
            Relaxed::Swizzle => "swizzle",
            Relaxed::Idot => "idot",
            Relaxed::Laneselect => "laneselect",
        }
    }

    /// The parameter of that [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Relaxed> {
        Relaxed::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// How [`Choices`] chooses what was not fixed with
/// [`set_relaxed`](Choices::set_relaxed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// The spec's deterministic profile: every relaxed parameter is 0.
    #[default]
    Deterministic,
    /// Pseudo-random from a seed (reproducible): each relaxed parameter is
    /// drawn the first time it is needed and then kept, as the spec fixes
    /// parameters for a whole execution.
    Seeded(u64),
}

/// The choices of one store (see the module documentation). The default
/// is the deterministic profile.
#[derive(Clone, Debug, Default)]
pub struct Choices {
    mode: Mode,
    /// The state of the seeded generator.
    rng: u64,
    /// The value of each relaxed parameter once fixed, by
    /// [`Relaxed::ALL`]'s order.
    relaxed: [Option<u8>; Relaxed::ALL.len()],
}

impl Choices {
    /// The deterministic profile.
    pub fn deterministic() -> Choices {
        Choices::default()
    }

    /// Reproducible pseudo-random choices.
    pub fn seeded(seed: u64) -> Choices {
        Choices {
            mode: Mode::Seeded(seed),
            rng: seed,
            ..Choices::default()
        }
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Fixes a relaxed parameter to the permitted result `index` (taken
    /// modulo the number of options), whatever the mode.
    pub fn set_relaxed(&mut self, param: Relaxed, index: usize) -> &mut Choices {
        self.relaxed[param as usize] = Some((index % param.options()) as u8);
        self
    }

    /// The value of a relaxed parameter: the index, below
    /// [`param.options()`](Relaxed::options), of the permitted result that
    /// relaxed operations governed by it return.
    pub fn relaxed(&mut self, param: Relaxed) -> usize {
        if let Some(r) = self.relaxed[param as usize] {
            return r as usize;
        }
        match self.mode {
            Mode::Deterministic => 0,
            Mode::Seeded(_) => {
                let r = (self.next_random() % param.options() as u64) as u8;
                self.relaxed[param as usize] = Some(r);
                r as usize
            }
        }
    }

    /// SplitMix64: small, and the same on every host.
    fn next_random(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_by_default_and_fixed_on_request() {
        let mut c = Choices::default();
        assert!(Relaxed::ALL.iter().all(|&r| c.relaxed(r) == 0));
        c.set_relaxed(Relaxed::Fmin, 3)
            .set_relaxed(Relaxed::Idot, 3);
        assert_eq!(c.relaxed(Relaxed::Fmin), 3);
        assert_eq!(c.relaxed(Relaxed::Idot), 1);
        assert_eq!(c.relaxed(Relaxed::Fmax), 0);
        assert_eq!(Relaxed::from_name("trunc_u"), Some(Relaxed::TruncU));
    }

    #[test]
    fn seeded_choices_are_in_range_reproducible_and_kept() {
        let mut a = Choices::seeded(7);
        let mut b = Choices::seeded(7);
        for r in Relaxed::ALL {
            let x = a.relaxed(r);
            assert!(x < r.options());
            assert_eq!(x, b.relaxed(r));
            assert_eq!(x, a.relaxed(r));
        }
        let all_zero = (0..64).all(|seed| {
            let mut c = Choices::seeded(seed);
            Relaxed::ALL.iter().all(|&r| c.relaxed(r) == 0)
        });
        assert!(!all_zero);
    }
}
