//! Doc comments print as WIT that reads back to the same docs.

use witness_spec::wit::{self, Resolve};

fn printed(src: &str) -> String {
    let mut resolve = Resolve::new();
    let pkg = wit::push_str(&mut resolve, "docs.wit", src).unwrap();
    wit::print(&resolve, pkg, &[])
}

/// Found by fuzz/ (wit_parse, seed 100 iteration 25850695): a doc line
/// that starts with a space and a `\r` (or a tab) gained a space on every
/// print-and-read round, since the whitespace counted as common was not all
/// spaces and so was not removed.
#[test]
fn docs_with_leading_control_whitespace_are_a_fixed_point() {
    for doc in ["/// \rdocs", "/// \tdocs", "///\tdocs", "///  a\n/// \tb"] {
        let src = format!("package a:b;\n{doc}\ninterface i {{}}\n");
        let once = printed(&src);
        assert_eq!(printed(&once), once, "{doc:?}");
    }
    // Spaces common to every line are removed, the rest kept.
    let once = printed("package a:b;\n///   a\n///     b\ninterface i {}\n");
    assert!(once.contains("/// a\n///   b\n"), "{once}");
}
