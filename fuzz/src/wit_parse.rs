//! Robustness of WIT: any text given to
//! [`push_str`](witness_spec::wit::push_str) (lex, parse, resolve) gives a
//! package or an error that renders, never a panic or a hang. And what
//! resolves prints as WIT that resolves again and prints the same (a fixed
//! point after one round).
//!
//! The first byte picks the text: the raw bytes (lossy UTF-8), a soup of
//! WIT's lexemes, or generated WIT ([`crate::wit_gen`]) with a few byte
//! mutations; and whether every `@unstable` feature is on.

use crate::{mutate, stats, wit_gen};
use arbitrary::Unstructured;
use witness_spec::wit::{PackageId, Resolve, print, push_str};

/// Runs one input.
pub fn run(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut u = Unstructured::new(rest);
    let text = match mode % 4 {
        0 => String::from_utf8_lossy(rest).into_owned(),
        1 => match wit_gen::token_soup(&mut u) {
            Ok(t) => t,
            Err(_) => return,
        },
        _ => {
            let Ok(text) = wit_gen::file(&mut u) else {
                return;
            };
            if mode % 4 == 3 {
                let mut bytes = text.into_bytes();
                mutate::mutate(&mut bytes, &mut u, 3);
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                text
            }
        }
    };
    let all_features = mode & 4 != 0;
    let mut resolve = Resolve::new();
    resolve.all_features = all_features;
    let pkg = match push_str(&mut resolve, "fuzz.wit", &text) {
        Ok(pkg) => pkg,
        Err(e) => {
            stats::count("rejected");
            let _ = e.render(&resolve.sources);
            return;
        }
    };
    stats::count("resolved");
    let printed = print_all(&resolve, pkg);
    let mut again = Resolve::new();
    again.all_features = all_features;
    match push_str(&mut again, "printed.wit", &printed) {
        Ok(pkg2) => {
            let reprinted = print_all(&again, pkg2);
            assert!(
                printed == reprinted,
                "printing is not a fixed point\n--- input\n{text}\n--- printed\n{printed}\n--- printed again\n{reprinted}"
            );
        }
        Err(e) => panic!(
            "printed WIT does not resolve: {}\n--- input\n{text}\n--- printed\n{printed}",
            e.render(&again.sources)
        ),
    }
}

/// The main package with every other package of the resolve nested in it.
fn print_all(resolve: &Resolve, pkg: PackageId) -> String {
    let nested: Vec<PackageId> = (0..resolve.packages.len()).filter(|&p| p != pkg).collect();
    print(resolve, pkg, &nested)
}
