//! Byte-level mutations of a generated binary, so that the decoders see
//! inputs that are almost valid (the interesting edge of a parser).

use arbitrary::Unstructured;

/// Values that often sit on a boundary: LEB128 continuation bits, section
/// ids, sign bits.
const INTERESTING: &[u8] = &[0x00, 0x01, 0x02, 0x7f, 0x80, 0x81, 0xff, 0x0b, 0x40, 0x60];

/// Applies up to `max` random mutations to `bytes`, driven by `u`.
pub fn mutate(bytes: &mut Vec<u8>, u: &mut Unstructured<'_>, max: u32) {
    let n = u.int_in_range(0..=max).unwrap_or(0);
    for _ in 0..n {
        if bytes.is_empty() {
            bytes.push(u.arbitrary().unwrap_or(0));
            continue;
        }
        let len = bytes.len();
        let at = u.choose_index(len).unwrap_or(0);
        match u.int_in_range(0..=5u8).unwrap_or(0) {
            0 => bytes[at] ^= 1 << u.int_in_range(0..=7u8).unwrap_or(0),
            1 => bytes[at] = *u.choose(INTERESTING).unwrap_or(&0),
            2 => bytes[at] = u.arbitrary().unwrap_or(0),
            3 => {
                let k = u.int_in_range(1..=8usize).unwrap_or(1);
                for _ in 0..k {
                    let b = u.arbitrary().unwrap_or(0);
                    bytes.insert(at, b);
                }
            }
            4 => {
                let k = u.int_in_range(1..=16usize).unwrap_or(1).min(len - at);
                bytes.drain(at..at + k);
            }
            _ => {
                let k = u.int_in_range(1..=32usize).unwrap_or(1).min(len - at);
                let copy: Vec<u8> = bytes[at..at + k].to_vec();
                let to = u.choose_index(bytes.len()).unwrap_or(0);
                bytes.splice(to..to, copy);
            }
        }
    }
}
