//! A small deterministic generator (SplitMix64) for the plain loops' inputs:
//! the same seed and iteration always give the same bytes.

/// SplitMix64: a 64-bit state advanced by a constant, output through a
/// mixing function.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// The generator for iteration `iteration` of a run seeded with `seed`.
    pub fn for_iteration(seed: u64, iteration: u64) -> Rng {
        let mut r = Rng(seed ^ 0x5851_f42d_4c95_7f2d);
        let mixed = r.next_u64() ^ iteration.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        Rng(mixed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Fills `out` with random bytes.
    pub fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}
