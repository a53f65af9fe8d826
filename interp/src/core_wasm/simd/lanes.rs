//! Lanes (core spec §4.3.1 "Representations": `lanes_{txM}` and its
//! inverse): a `v128` seen as a sequence of lanes of one shape.
//!
//! A shape is named by its lane's Rust type: `i8`/`u8` for `i8x16` (signed
//! or unsigned interpretation), `i16`/`u16`, `i32`/`u32`, `i64`/`u64`, and
//! `f32`/`f64` for the float shapes. Lane `i` of a `v128` is bits
//! `i * BITS ..` of the `u128`. Every vector operator is then a lane
//! function lifted by [`map`], [`zip`] or [`build`]:
//!
//! ```text
//! i8x16.abs        map(a, i8::wrapping_abs)
//! i16x8.add_sat_u  zip(a, b, u16::saturating_add)
//! i32x4.dot_i16x8_s  build(|i| ... lane::<i16>(a, 2 * i) ...)
//! ```
//!
//! Input and output shapes may differ in lane type (a comparison of `f32`
//! lanes yields `i32` masks) but, except for [`build`], not in lane count.

/// A lane type: a number of `BITS` bits, to and from the low bits of a
/// `u128`.
pub trait Lane: Copy {
    /// The lane width.
    const BITS: u32;
    /// The lane held by the low `BITS` bits of `v`.
    fn from_bits(v: u128) -> Self;
    /// The lane's bits, zero-extended.
    fn to_bits(self) -> u128;
}

macro_rules! int_lanes {
    ($($t:ty => $u:ty),*) => {$(
        impl Lane for $t {
            const BITS: u32 = <$t>::BITS;
            #[inline]
            fn from_bits(v: u128) -> Self {
                v as $t
            }
            #[inline]
            fn to_bits(self) -> u128 {
                self as $u as u128
            }
        }
    )*};
}

int_lanes!(i8 => u8, u8 => u8, i16 => u16, u16 => u16, i32 => u32, u32 => u32, i64 => u64, u64 => u64);

impl Lane for f32 {
    const BITS: u32 = 32;
    #[inline]
    fn from_bits(v: u128) -> Self {
        f32::from_bits(v as u32)
    }
    #[inline]
    fn to_bits(self) -> u128 {
        f32::to_bits(self) as u128
    }
}

impl Lane for f64 {
    const BITS: u32 = 64;
    #[inline]
    fn from_bits(v: u128) -> Self {
        f64::from_bits(v as u64)
    }
    #[inline]
    fn to_bits(self) -> u128 {
        f64::to_bits(self) as u128
    }
}

/// The number of lanes of shape `T`.
#[inline]
pub const fn count<T: Lane>() -> usize {
    (128 / T::BITS) as usize
}

/// Lane `i` of `v` (zero if `i` is past the last lane; validation rules
/// that out for lane immediates).
#[inline]
pub fn lane<T: Lane>(v: u128, i: usize) -> T {
    T::from_bits(shr(v, i, T::BITS))
}

/// `v` with lane `i` replaced by `x` (unchanged if `i` is past the last
/// lane).
#[inline]
pub fn set<T: Lane>(v: u128, i: usize, x: T) -> u128 {
    let mask = shl(mask::<T>(), i, T::BITS);
    (v & !mask) | (shl(x.to_bits(), i, T::BITS) & mask)
}

/// The vector whose lane `i` is `f(i)`: the spec's `lanes⁻¹`.
#[inline]
pub fn build<T: Lane>(f: impl Fn(usize) -> T) -> u128 {
    (0..count::<T>()).fold(0, |v, i| v | shl(f(i).to_bits() & mask::<T>(), i, T::BITS))
}

/// A lane function applied to every lane.
#[inline]
pub fn map<T: Lane, U: Lane>(a: u128, f: impl Fn(T) -> U) -> u128 {
    build(|i| f(lane(a, i)))
}

/// A lane function applied to the lanes of two vectors, pairwise.
#[inline]
pub fn zip<T: Lane, U: Lane>(a: u128, b: u128, f: impl Fn(T, T) -> U) -> u128 {
    build(|i| f(lane(a, i), lane(b, i)))
}

/// A lane function applied to the lanes of three vectors.
#[inline]
pub fn zip3<T: Lane, U: Lane>(a: u128, b: u128, c: u128, f: impl Fn(T, T, T) -> U) -> u128 {
    build(|i| f(lane(a, i), lane(b, i), lane(c, i)))
}

/// The splat of `x` to every lane.
#[inline]
pub fn splat<T: Lane>(x: T) -> u128 {
    build(|_| x)
}

/// A lane of all ones if `c`, else of zeros: a comparison's result.
#[inline]
pub fn bool_mask<T: Lane>(c: bool) -> T {
    T::from_bits(if c { u128::MAX } else { 0 })
}

/// The bits of one lane of shape `T`.
#[inline]
fn mask<T: Lane>() -> u128 {
    u128::MAX >> (128 - T::BITS)
}

#[inline]
fn shl(v: u128, i: usize, bits: u32) -> u128 {
    v.checked_shl((i as u32).saturating_mul(bits)).unwrap_or(0)
}

#[inline]
fn shr(v: u128, i: usize, bits: u32) -> u128 {
    v.checked_shr((i as u32).saturating_mul(bits)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_zero_is_least_significant() {
        let v = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100u128;
        assert_eq!(lane::<u8>(v, 0), 0);
        assert_eq!(lane::<u8>(v, 15), 15);
        assert_eq!(lane::<u16>(v, 1), 0x0302);
        assert_eq!(lane::<i64>(v, 1), 0x0f0e_0d0c_0b0a_0908);
        assert_eq!(lane::<u8>(v, 16), 0);
        assert_eq!(set::<u8>(v, 1, 0xff), v | 0xff00);
        assert_eq!(set::<u8>(v, 99, 0xff), v);
        assert_eq!(map(v, |x: u32| x), v);
        assert_eq!(splat(-1i16), u128::MAX);
        assert_eq!(map(v, |x: u8| bool_mask::<i8>(x == 1)), 0xff00);
    }
}
