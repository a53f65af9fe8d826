//! Element Size and Alignment (CanonicalABI.md "Alignment", "Element
//! Size"), for the validation rule "for every `defvaltype` `t`,
//! `elem_size(t, 'i64')` is less than 2^28" (Binary.md "Type Definitions").
//!
//! Sizes saturate instead of overflowing, and are memoized per type so that
//! deeply shared types cost linear time.

use super::{DefinedType, PrimValType, Types, ValType};

/// `MAX_LIST_BYTE_LENGTH`, the bound on `elem_size` (2^28).
pub const MAX_ELEM_SIZE: u64 = 1 << 28;

/// `ptr_size('i64')`.
const PTR_SIZE: u64 = 8;

fn align_to(ptr: u64, alignment: u64) -> u64 {
    ptr.div_ceil(alignment.max(1))
        .saturating_mul(alignment.max(1))
}

fn prim(p: PrimValType) -> (u64, u64) {
    match p {
        PrimValType::Bool | PrimValType::S8 | PrimValType::U8 => (1, 1),
        PrimValType::S16 | PrimValType::U16 => (2, 2),
        PrimValType::S32
        | PrimValType::U32
        | PrimValType::F32
        | PrimValType::Char
        | PrimValType::ErrorContext => (4, 4),
        PrimValType::S64 | PrimValType::U64 | PrimValType::F64 => (8, 8),
        PrimValType::String => (2 * PTR_SIZE, PTR_SIZE),
    }
}

/// `discriminant_type(cases)`'s size for `n` cases.
fn discriminant(n: usize) -> u64 {
    if n <= 1 << 8 {
        1
    } else if n <= 1 << 16 {
        2
    } else {
        4
    }
}

fn flags(n: usize) -> u64 {
    if n <= 8 {
        1
    } else if n <= 16 {
        2
    } else {
        4
    }
}

impl Types {
    /// `(elem_size(t, 'i64'), alignment(t, 'i64'))`.
    pub fn layout(&mut self, t: ValType) -> (u64, u64) {
        let id = match t {
            ValType::Primitive(p) => return prim(p),
            ValType::Defined(id) => id,
        };
        if let Some(l) = self.layouts.get(&id) {
            return *l;
        }
        let Some(d) = self.defined(id).cloned() else {
            return (0, 1);
        };
        let l = self.layout_defined(&d);
        self.layouts.insert(id, l);
        l
    }

    fn record(&mut self, fields: &[ValType]) -> (u64, u64) {
        let mut s = 0u64;
        let mut a = 1u64;
        for f in fields {
            let (fs, fa) = self.layout(*f);
            s = align_to(s, fa).saturating_add(fs);
            a = a.max(fa);
        }
        (align_to(s, a), a)
    }

    fn variant(&mut self, cases: &[Option<ValType>]) -> (u64, u64) {
        let d = discriminant(cases.len());
        let mut case_align = 1u64;
        let mut case_size = 0u64;
        for c in cases.iter().flatten() {
            let (cs, ca) = self.layout(*c);
            case_align = case_align.max(ca);
            case_size = case_size.max(cs);
        }
        let a = d.max(case_align);
        let s = align_to(d, case_align).saturating_add(case_size);
        (align_to(s, a), a)
    }

    fn layout_defined(&mut self, d: &DefinedType) -> (u64, u64) {
        use DefinedType as D;
        match d {
            D::Primitive(p) => prim(*p),
            D::Record(fs) => {
                self.record(&fs.iter().map(|(_, t)| *t).collect::<alloc::vec::Vec<_>>())
            }
            D::Tuple(ts) => self.record(ts),
            D::Variant(cs) => {
                self.variant(&cs.iter().map(|(_, t)| *t).collect::<alloc::vec::Vec<_>>())
            }
            D::Enum(ls) => self.variant(&alloc::vec![None; ls.len()]),
            D::Option(t) => self.variant(&[None, Some(*t)]),
            D::Result { ok, err } => self.variant(&[*ok, *err]),
            D::List(_) | D::Map(..) => (2 * PTR_SIZE, PTR_SIZE),
            D::FixedLengthList(t, n) => {
                let (s, a) = self.layout(*t);
                (s.saturating_mul(u64::from(*n)), a)
            }
            D::Flags(ls) => {
                let n = flags(ls.len());
                (n, n)
            }
            D::Own(_) | D::Borrow(_) | D::Stream(_) | D::Future(_) => (4, 4),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::TypeDef;

    #[test]
    fn fixed_lists_at_the_boundary() {
        let mut t = Types::new();
        let ok = t.push(TypeDef::Defined(DefinedType::FixedLengthList(
            ValType::Primitive(PrimValType::String),
            16_777_215,
        )));
        assert!(t.layout(ValType::Defined(ok)).0 < MAX_ELEM_SIZE);
        let bad = t.push(TypeDef::Defined(DefinedType::FixedLengthList(
            ValType::Primitive(PrimValType::U64),
            536_870_912,
        )));
        assert!(t.layout(ValType::Defined(bad)).0 >= MAX_ELEM_SIZE);
    }
}
