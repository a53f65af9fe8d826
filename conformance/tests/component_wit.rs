//! Component → WIT over the components of `$WITNESS_SUITES/component-model`
//! (`witness wit X.wasm`), with wit-component as the oracle. For every
//! component our validator accepts:
//! - where wit-component describes it, we describe it with identical text;
//! - where wit-component refuses it (or panics), we either refuse it with an
//!   error naming the WIT.md rule it breaks or describe it (counted);
//! - at least `[wit-extract] passed` components are described identically
//!   (`floors.toml`); `WITNESS_BLESS=1` sets the floor from the run.
//!
//! `WIT_COMPONENT_DIFF=FILE` writes every component that is not described
//! identically, with both outputs, to FILE.

use std::path::PathBuf;
use witness_conformance::suite::{self, Floors};
use witness_spec::wit::{self, Resolve};
/// The valid components of one script, with the line each starts on.
fn components(text: &str) -> Vec<(usize, Vec<u8>)> {
    let Ok(buf) = wast::parser::ParseBuffer::new(text) else {
        return Vec::new();
    };
    let Ok(script) = wast::parser::parse::<wast::Wast>(&buf) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut directives = script.directives;
    while let Some(d) = directives.pop() {
        let (span, mut m) = match d {
            wast::WastDirective::Module(m) | wast::WastDirective::ModuleDefinition(m) => {
                (m.span(), m)
            }
            wast::WastDirective::Thread(t) => {
                directives.extend(t.directives);
                continue;
            }
            _ => continue,
        };
        let Ok(bytes) = m.encode() else { continue };
        if !witness_spec::validate::is_component(&bytes) {
            continue;
        }
        if witness_spec::validate(&bytes, &witness_spec::Features::REFERENCE_TESTS).is_err() {
            continue;
        }
        out.push((span.linecol_in(text).0 + 1, bytes));
    }
    out.reverse();
    out
}

/// wit-component's printed world for a component; its refusal (or panic,
/// which some components provoke) as an error.
fn wit_component_world(bytes: &[u8]) -> Result<String, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let decoded = std::panic::catch_unwind(|| wit_component::decode(bytes));
    std::panic::set_hook(hook);
    let decoded = decoded.map_err(|_| "wit-component panics".to_string())?;
    match decoded.map_err(|e| format!("{e:#}"))? {
        wit_component::DecodedWasm::Component(r, w) => {
            let mut printer = wit_component::WitPrinter::default();
            let pkg = r.worlds[w].package.ok_or("no package")?;
            printer.print(&r, pkg, &[]).map_err(|e| format!("{e:#}"))?;
            Ok(printer.output.to_string())
        }
        wit_component::DecodedWasm::WitPackage(..) => Err("a WIT package".into()),
    }
}

#[test]
fn component_wit_matches_wit_component() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some(suites) = suite::suites_dir(&manifest.join("..")) else {
        eprintln!("skipped: set {} to run this test", suite::SUITES_VAR);
        return;
    };
    let dir = suites.join("component-model");
    let files = suite::wast_files(&dir).unwrap();
    let (mut total, mut agree, mut refused_by_both, mut only_ours) = (0, 0, 0, 0);
    let mut problems = Vec::new();
    let mut diff = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let name = suite::relative_name(&dir, f);
        for (line, bytes) in components(&text) {
            total += 1;
            let mut resolve = Resolve::new();
            let ours = wit::component_world::decode_component_world(&mut resolve, &bytes)
                .map(|w| wit::print(&resolve, resolve.worlds[w].package.unwrap(), &[]));
            let theirs = wit_component_world(&bytes);
            let at = format!("{name}:{line}");
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) if a == b => {
                    agree += 1;
                    continue;
                }
                (Ok(_), Ok(_)) => problems.push(format!("{at}: printed WIT differs")),
                (Err(e), Ok(_)) => problems.push(format!("{at}: we refuse it: {}", e.message)),
                (Err(e), Err(_)) if e.message.contains("(WIT.md \"") => refused_by_both += 1,
                (Err(e), Err(_)) => {
                    problems.push(format!("{at}: the error names no rule: {}", e.message))
                }
                (Ok(_), Err(_)) => only_ours += 1,
            }
            diff.push(format!(
                "{at}\n--- ours: {}\n--- wit-component: {}",
                ours.unwrap_or_else(|e| format!("error: {}", e.message)),
                theirs.unwrap_or_else(|e| format!("error: {e}"))
            ));
        }
    }
    println!(
        "component -> WIT: {total} valid components; {agree} described as wit-component \
         describes them; {refused_by_both} refused by both; {only_ours} described only by us"
    );
    if let Some(out) = std::env::var_os("WIT_COMPONENT_DIFF") {
        std::fs::write(out, diff.join("\n\n")).unwrap();
    }
    let floors_path = manifest.join("floors.toml");
    if std::env::var_os("WITNESS_BLESS").is_some() {
        let text = std::fs::read_to_string(&floors_path).unwrap_or_default();
        std::fs::write(&floors_path, suite::set_floor(&text, "wit-extract", agree)).unwrap();
        return;
    }
    let floors: Floors = suite::load(&floors_path).unwrap();
    let floor = floors.wit_extract.map_or(0, |f| f.passed);
    if agree < floor {
        problems.push(format!(
            "{agree} components described identically, below the floor of {floor}"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
