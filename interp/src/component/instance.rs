//! The embedding API's `Instance` (a component instance's exports) and
//! `Func` (an exported component function, called with dynamic values).

use super::error::Error;
use super::index_spaces::{self, InstanceExports, Item};
use super::instantiate;
use super::store::Store;
use super::types::RtType;
use alloc::format;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::mem::{Discriminant, discriminant};
use witness_canonical::despecialize::despecialize;
use witness_canonical::store::OnStart;
use witness_canonical::{FuncType, ValType, Value};

/// A component instance, seen through its exports.
#[derive(Clone, Debug)]
pub struct Instance {
    pub(crate) exports: Rc<InstanceExports>,
}

/// What an instance exports under a name.
#[derive(Clone, Debug)]
pub enum Export {
    Func(Func),
    Instance(Instance),
    /// A type (a value type, function type or resource type).
    Type(RtType),
    /// A component or core module, not callable from the host.
    Other,
}

impl Instance {
    /// The exports, in order.
    pub fn exports(&self) -> impl Iterator<Item = (&str, Export)> {
        self.exports
            .exports
            .iter()
            .map(|(n, item)| (n.as_str(), Export::of(item)))
    }

    /// The export `name`.
    pub fn get(&self, name: &str) -> Option<Export> {
        self.exports.get(name).map(Export::of)
    }

    /// The exported function `name`.
    pub fn func(&self, name: &str) -> Option<Func> {
        match self.get(name)? {
            Export::Func(f) => Some(f),
            _ => None,
        }
    }

    /// The exported instance `name`, with semver-compatible lookup of a
    /// versioned interface name.
    pub fn instance(&self, name: &str) -> Option<Instance> {
        let best = super::semver::best(name, self.exports.exports.iter().map(|(n, _)| n.as_str()))?;
        match self.get(best)? {
            Export::Instance(i) => Some(i),
            _ => None,
        }
    }

    /// The instance as an item, to link into another instantiation.
    pub(crate) fn item(&self) -> Item {
        Item::Instance(self.exports.clone())
    }
}

impl Export {
    fn of(item: &Item) -> Export {
        match item {
            Item::Func(f) => Export::Func(Func { f: f.clone() }),
            Item::Instance(i) => Export::Instance(Instance { exports: i.clone() }),
            Item::Type(t) => Export::Type(t.clone()),
            Item::Component(_) | Item::CoreModule(_) => Export::Other,
        }
    }
}

/// A component function.
#[derive(Clone, Debug)]
pub struct Func {
    pub(crate) f: index_spaces::Func,
}

impl Func {
    /// The function's type.
    pub fn ty(&self) -> &FuncType {
        &self.f.ty
    }

    /// Calls the function from the host (`Store.invoke`).
    ///
    /// # Errors
    /// As [`Func::call_into`].
    pub fn call(&self, store: &Store, args: &[Value]) -> Result<Vec<Value>, Error> {
        let mut results = Vec::new();
        self.call_into(store, args, &mut results)?;
        Ok(results)
    }

    /// Calls the function from the host (`Store.invoke`), its results
    /// replacing the items of `results`. The list's room is kept for the
    /// results of a later call, so that a host calling again and again
    /// with one list allocates none for them.
    ///
    /// # Errors
    /// [`Error::Misuse`] when the arguments do not fit the parameters,
    /// [`Error::Trap`] when the call traps.
    pub fn call_into(
        &self,
        store: &Store,
        args: &[Value],
        results: &mut Vec<Value>,
    ) -> Result<(), Error> {
        let params = &self.f.ty.params;
        if args.len() != params.len() {
            return Err(Error::Misuse(format!(
                "expected {} arguments, got {}",
                params.len(),
                args.len()
            )));
        }
        if let Some(i) = args
            .iter()
            .zip(params)
            .position(|(a, (_, t))| !has_type(a, t))
        {
            return Err(Error::Misuse(format!(
                "argument {i} (`{}`) is not a value of its type",
                params[i].0
            )));
        }
        // Lent to the call: a synchronous callee lowers them where they
        // are, others take a copy.
        let mut lifted = instantiate::call(&store.inner, &self.f.inst, OnStart::Lent(args))?;
        core::mem::swap(results, &mut lifted);
        // The previous call's results, dropped without the drop glue of
        // each number in a list.
        Value::free_plain_lists(&mut lifted);
        store.inner.value_buffers.give(lifted);
        Ok(())
    }
}

/// Whether `v` is a value of type `t` (in the shape lifting produces).
pub fn has_type(v: &Value, t: &ValType) -> bool {
    has_despecialized_type(v, &despecialize(t))
}

/// [`has_type`] with `t` despecialized: a list's element type is
/// despecialized once for all its elements.
fn has_despecialized_type(v: &Value, t: &ValType) -> bool {
    match (t, v) {
        (ValType::Bool, Value::Bool(_))
        | (ValType::S8, Value::S8(_))
        | (ValType::U8, Value::U8(_))
        | (ValType::S16, Value::S16(_))
        | (ValType::U16, Value::U16(_))
        | (ValType::S32, Value::S32(_))
        | (ValType::U32, Value::U32(_))
        | (ValType::S64, Value::S64(_))
        | (ValType::U64, Value::U64(_))
        | (ValType::F32, Value::F32(_))
        | (ValType::F64, Value::F64(_))
        | (ValType::Char, Value::Char(_))
        | (ValType::String, Value::String(_))
        | (ValType::Own(_) | ValType::Borrow(_), Value::Handle(_)) => true,
        (ValType::List(t, n), Value::List(vs)) => {
            let t = despecialize(t);
            n.is_none_or(|n| n as usize == vs.len())
                && match number_case(&t) {
                    // Each element's case alone, four at a time.
                    Some(case) => {
                        let is = |v| discriminant(v) == case;
                        let (fours, rest) = vs.as_chunks::<4>();
                        fours
                            .iter()
                            .all(|[a, b, c, d]| is(a) & is(b) & is(c) & is(d))
                            && rest.iter().all(is)
                    }
                    None => vs.iter().all(|v| has_despecialized_type(v, &t)),
                }
        }
        (ValType::Record(fs), Value::Record(vs)) => {
            fs.len() == vs.len()
                && fs
                    .iter()
                    .zip(vs)
                    .all(|(f, (l, v))| f.label == *l && has_type(v, &f.t))
        }
        (ValType::Variant(cs), Value::Variant(l, p)) => cs.iter().any(|c| {
            c.label == *l
                && match (&c.t, p) {
                    (None, None) => true,
                    (Some(t), Some(p)) => has_type(p, t),
                    _ => false,
                }
        }),
        (ValType::Flags(ls), Value::Flags(vs)) => {
            ls.len() == vs.len() && ls.iter().zip(vs).all(|(l, (m, _))| l == m)
        }
        _ => false,
    }
}

/// The case of `Value` that holds a value of `t`, if `t` is a number,
/// `bool` or `char` (whose values are of that case alone).
fn number_case(t: &ValType) -> Option<Discriminant<Value>> {
    let v = match t {
        ValType::Bool => Value::Bool(false),
        ValType::S8 => Value::S8(0),
        ValType::U8 => Value::U8(0),
        ValType::S16 => Value::S16(0),
        ValType::U16 => Value::U16(0),
        ValType::S32 => Value::S32(0),
        ValType::U32 => Value::U32(0),
        ValType::S64 => Value::S64(0),
        ValType::U64 => Value::U64(0),
        ValType::F32 => Value::F32(0.0),
        ValType::F64 => Value::F64(0.0),
        ValType::Char => Value::Char('\0'),
        _ => return None,
    };
    Some(discriminant(&v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::boxed::Box;
    use alloc::vec;

    /// A list of numbers is checked by its elements' cases alone, and
    /// agrees with checking each element against the element type.
    #[test]
    fn a_number_list_has_its_type_when_every_element_does() {
        let list = |t: ValType, n: Option<u32>| ValType::List(Box::new(t), n);
        let u32s = |n: u32| (0..n).map(Value::U32).collect::<Vec<_>>();
        let mut wrong_last = u32s(5);
        wrong_last.push(Value::S32(5));
        let mut wrong_third = u32s(9);
        wrong_third[2] = Value::S32(2);
        let cases = [
            (ValType::U32, None, u32s(1000)),
            (ValType::U32, None, u32s(0)),
            (ValType::U32, Some(3), u32s(3)),
            (ValType::U32, Some(3), u32s(4)),
            (ValType::U32, None, wrong_last),
            (ValType::U32, None, wrong_third),
            (ValType::U32, None, vec![Value::U64(0), Value::U32(1)]),
            (ValType::S32, None, u32s(2)),
            (
                ValType::Char,
                None,
                vec![Value::Char('a'), Value::Char('\u{10ffff}')],
            ),
            (
                ValType::F64,
                None,
                vec![Value::F64(f64::NAN), Value::F64(-0.0)],
            ),
            (ValType::Bool, None, vec![Value::Bool(true), Value::U8(1)]),
        ];
        for (t, n, vs) in cases {
            let each =
                n.is_none_or(|n| n as usize == vs.len()) && vs.iter().all(|v| has_type(v, &t));
            assert_eq!(
                has_type(&Value::List(vs), &list(t.clone(), n)),
                each,
                "{t:?} {n:?}"
            );
        }
    }
}
