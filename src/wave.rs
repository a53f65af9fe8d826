//! Component values in WAVE (the `wasm-wave` crate's text syntax), as
//! `wasmtime run --invoke` reads arguments and prints results: witness's
//! component types and values to and from `wasm_wave::value`.

use wasm_wave::untyped::UntypedFuncCall;
use wasm_wave::value::{Type, Value};
use wasm_wave::wasm::WasmValue;
use witness_interp::component::{StringValue, Val, ValType};

/// `t` as a WAVE type; `None` for what WAVE cannot write (handles,
/// streams, futures, error contexts).
pub fn wave_type(t: &ValType) -> Option<Type> {
    Some(match t {
        ValType::Bool => Type::BOOL,
        ValType::S8 => Type::S8,
        ValType::U8 => Type::U8,
        ValType::S16 => Type::S16,
        ValType::U16 => Type::U16,
        ValType::S32 => Type::S32,
        ValType::U32 => Type::U32,
        ValType::S64 => Type::S64,
        ValType::U64 => Type::U64,
        ValType::F32 => Type::F32,
        ValType::F64 => Type::F64,
        ValType::Char => Type::CHAR,
        ValType::String => Type::STRING,
        // A fixed-length list is written as a list (wasm-wave 0.257 reads
        // and makes no fixed-length lists); `from_wave` checks the length.
        ValType::List(t, _) => Type::list(wave_type(t)?),
        ValType::Record(fs) => Type::record(
            fs.iter()
                .map(|f| Some((f.label.as_str(), wave_type(&f.t)?)))
                .collect::<Option<Vec<_>>>()?,
        )?,
        ValType::Tuple(ts) => Type::tuple(ts.iter().map(wave_type).collect::<Option<Vec<_>>>()?)?,
        ValType::Variant(cs) => Type::variant(
            cs.iter()
                .map(|c| {
                    let t = match &c.t {
                        Some(t) => Some(wave_type(t)?),
                        None => None,
                    };
                    Some((c.label.as_str(), t))
                })
                .collect::<Option<Vec<_>>>()?,
        )?,
        ValType::Enum(ls) => Type::enum_ty(ls.iter().map(String::as_str))?,
        ValType::Option(t) => Type::option(wave_type(t)?),
        ValType::Result(ok, err) => Type::result(
            match ok {
                Some(t) => Some(wave_type(t)?),
                None => None,
            },
            match err {
                Some(t) => Some(wave_type(t)?),
                None => None,
            },
        ),
        ValType::Flags(ls) => Type::flags(ls.iter().map(String::as_str))?,
        _ => return None,
    })
}

/// The arguments of a parsed WAVE call (`f(ARGS)`, its name already
/// looked up) as component values of the parameters `params`.
pub fn call_args(
    call: &UntypedFuncCall<'_>,
    params: &[(String, ValType)],
) -> Result<Vec<Val>, String> {
    let types = params
        .iter()
        .map(|(_, t)| wave_type(t))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| format!("`{}` takes values WAVE cannot write", call.name()))?;
    let values: Vec<Value> = call
        .to_wasm_params(types.iter())
        .map_err(|e| e.to_string())?;
    values
        .iter()
        .zip(params)
        .map(|(v, (_, t))| from_wave(v, t))
        .collect()
}

/// A parsed WAVE value (of `wave_type(t)`) as a component value of `t`.
pub fn from_wave(v: &Value, t: &ValType) -> Result<Val, String> {
    let want = wave_type(t).ok_or_else(|| format!("WAVE cannot write a {t:?}"))?;
    if wasm_wave::wasm::WasmType::kind(&want) != v.kind() {
        return Err(format!("a {:?} where a {t:?} is expected", v.kind()));
    }
    let opt = |p: Option<std::borrow::Cow<'_, Value>>, t: Option<&ValType>| -> Result<_, String> {
        Ok(match (p, t) {
            (Some(p), Some(t)) => Some(Box::new(from_wave(&p, t)?)),
            _ => None,
        })
    };
    Ok(match t {
        ValType::Bool => Val::Bool(v.unwrap_bool()),
        ValType::S8 => Val::S8(v.unwrap_s8()),
        ValType::U8 => Val::U8(v.unwrap_u8()),
        ValType::S16 => Val::S16(v.unwrap_s16()),
        ValType::U16 => Val::U16(v.unwrap_u16()),
        ValType::S32 => Val::S32(v.unwrap_s32()),
        ValType::U32 => Val::U32(v.unwrap_u32()),
        ValType::S64 => Val::S64(v.unwrap_s64()),
        ValType::U64 => Val::U64(v.unwrap_u64()),
        ValType::F32 => Val::F32(v.unwrap_f32()),
        ValType::F64 => Val::F64(v.unwrap_f64()),
        ValType::Char => Val::Char(v.unwrap_char()),
        ValType::String => Val::String(StringValue::from_host(v.unwrap_string().into_owned())),
        ValType::List(t, n) => {
            let vs: Vec<Val> = v
                .unwrap_list()
                .map(|e| from_wave(&e, t))
                .collect::<Result<_, _>>()?;
            if let Some(n) = n
                && vs.len() != *n as usize
            {
                return Err(format!(
                    "a list of {} where a list of {n} is expected",
                    vs.len()
                ));
            }
            Val::List(vs)
        }
        ValType::Record(fs) => {
            let given: Vec<_> = v.unwrap_record().collect();
            let mut out = Vec::new();
            for f in fs {
                let (_, e) = given
                    .iter()
                    .find(|(l, _)| *l == f.label)
                    .ok_or_else(|| format!("missing field `{}`", f.label))?;
                out.push((f.label.clone(), from_wave(e, &f.t)?));
            }
            Val::Record(out)
        }
        ValType::Tuple(ts) => Val::Record(
            v.unwrap_tuple()
                .zip(ts)
                .enumerate()
                .map(|(i, (e, t))| Ok((i.to_string(), from_wave(&e, t)?)))
                .collect::<Result<_, String>>()?,
        ),
        ValType::Variant(cs) => {
            let (label, p) = v.unwrap_variant();
            let case = cs
                .iter()
                .find(|c| c.label == label)
                .ok_or_else(|| format!("unknown case `{label}`"))?;
            Val::Variant(label.into_owned(), opt(p, case.t.as_ref())?)
        }
        ValType::Enum(_) => Val::Variant(v.unwrap_enum().into_owned(), None),
        ValType::Option(t) => match v.unwrap_option() {
            None => Val::Variant("none".into(), None),
            Some(p) => Val::Variant("some".into(), opt(Some(p), Some(t))?),
        },
        ValType::Result(ok, err) => match v.unwrap_result() {
            Ok(p) => Val::Variant("ok".into(), opt(p, ok.as_deref())?),
            Err(p) => Val::Variant("error".into(), opt(p, err.as_deref())?),
        },
        ValType::Flags(ls) => {
            let set: Vec<_> = v.unwrap_flags().map(|f| f.into_owned()).collect();
            Val::Flags(ls.iter().map(|l| (l.clone(), set.contains(l))).collect())
        }
        _ => return Err(format!("WAVE cannot write a {t:?}")),
    })
}

/// A component value of `t` as a WAVE value.
pub fn to_wave(v: &Val, t: &ValType) -> Result<Value, String> {
    let ty = wave_type(t).ok_or_else(|| format!("WAVE cannot write a {t:?}"))?;
    let bad = || format!("{v:?} is not a value of {t:?}");
    let err = |e: wasm_wave::wasm::WasmValueError| e.to_string();
    Ok(match (t, v) {
        (ValType::Bool, Val::Bool(b)) => Value::make_bool(*b),
        (ValType::S8, Val::S8(i)) => Value::make_s8(*i),
        (ValType::U8, Val::U8(i)) => Value::make_u8(*i),
        (ValType::S16, Val::S16(i)) => Value::make_s16(*i),
        (ValType::U16, Val::U16(i)) => Value::make_u16(*i),
        (ValType::S32, Val::S32(i)) => Value::make_s32(*i),
        (ValType::U32, Val::U32(i)) => Value::make_u32(*i),
        (ValType::S64, Val::S64(i)) => Value::make_s64(*i),
        (ValType::U64, Val::U64(i)) => Value::make_u64(*i),
        (ValType::F32, Val::F32(f)) => Value::make_f32(*f),
        (ValType::F64, Val::F64(f)) => Value::make_f64(*f),
        (ValType::Char, Val::Char(c)) => Value::make_char(*c),
        (ValType::String, Val::String(s)) => Value::make_string(s.s.as_str().into()),
        (ValType::List(et, _), Val::List(vs)) => Value::make_list(
            &ty,
            vs.iter()
                .map(|e| to_wave(e, et))
                .collect::<Result<Vec<_>, _>>()?,
        )
        .map_err(err)?,
        (ValType::Record(fs), Val::Record(vs)) => {
            let mut fields = Vec::new();
            for (f, (_, e)) in fs.iter().zip(vs) {
                fields.push((f.label.as_str(), to_wave(e, &f.t)?));
            }
            Value::make_record(&ty, fields).map_err(err)?
        }
        (ValType::Tuple(ts), Val::Record(vs)) => Value::make_tuple(
            &ty,
            ts.iter()
                .zip(vs)
                .map(|(t, (_, e))| to_wave(e, t))
                .collect::<Result<Vec<_>, _>>()?,
        )
        .map_err(err)?,
        (ValType::Variant(cs), Val::Variant(l, p)) => {
            let case = cs.iter().find(|c| c.label == *l).ok_or_else(bad)?;
            let p = match (p, &case.t) {
                (Some(p), Some(t)) => Some(to_wave(p, t)?),
                _ => None,
            };
            Value::make_variant(&ty, l, p).map_err(err)?
        }
        (ValType::Enum(_), Val::Variant(l, None)) => Value::make_enum(&ty, l).map_err(err)?,
        (ValType::Option(t), Val::Variant(l, p)) => {
            let p = match (l.as_str(), p) {
                ("some", Some(p)) => Some(to_wave(p, t)?),
                ("none", None) => None,
                _ => return Err(bad()),
            };
            Value::make_option(&ty, p).map_err(err)?
        }
        (ValType::Result(ok, er), Val::Variant(l, p)) => {
            let payload = |p: &Option<Box<Val>>, t: &Option<Box<ValType>>| match (p, t) {
                (Some(p), Some(t)) => to_wave(p, t).map(Some),
                _ => Ok(None),
            };
            let r = match l.as_str() {
                "ok" => Ok(payload(p, ok)?),
                "error" => Err(payload(p, er)?),
                _ => return Err(bad()),
            };
            Value::make_result(&ty, r).map_err(err)?
        }
        (ValType::Flags(_), Val::Flags(fs)) => Value::make_flags(
            &ty,
            fs.iter().filter(|(_, on)| *on).map(|(l, _)| l.as_str()),
        )
        .map_err(err)?,
        _ => return Err(bad()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzz/ (abi_diff): a fixed-length list could be neither read
    /// nor printed (wasm-wave has no values of its fixed-length list type).
    #[test]
    fn fixed_length_lists_are_written_as_lists() {
        let t = ValType::List(Box::new(ValType::U8), Some(2));
        let read = |text: &str| {
            let v: Value = wasm_wave::from_str(&wave_type(&t).unwrap(), text).unwrap();
            from_wave(&v, &t)
        };
        let v = read("[1, 2]").unwrap();
        assert_eq!(v, Val::List(vec![Val::U8(1), Val::U8(2)]));
        assert_eq!(
            wasm_wave::to_string(&to_wave(&v, &t).unwrap()).unwrap(),
            "[1, 2]"
        );
        assert_eq!(
            read("[1, 2, 3]"),
            Err("a list of 3 where a list of 2 is expected".into())
        );
    }
}
