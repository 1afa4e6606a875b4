//! Every caller of the engine builds on its façade only: the names `ward_engine` exports at its
//! root (`Project`, `scan_buffer`, `Document`, `Finding`, …) and its public namespaces —
//! `report` (the report and its formats), `conftest` (what `ward conftest` runs) and `testing` (fake credentials, for tests only) —
//! never a path into one of its modules. The engine can then move what is behind those names
//! without touching the editor, the command line, the benchmarks or the tests.
//!
//! The language server and the command line are checked here, and with them every integration
//! test, benchmark and fuzz target of the workspace: they all read the engine as an outside
//! crate would.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};

/// The engine's public modules: namespaces of the façade rather than paths past it.
const FACADE_MODULES: &[&str] = &["conftest", "report", "testing"];

/// The façade module that only tests may use.
const TEST_ONLY_MODULE: &str = "testing";

/// Every `ward_engine::module::…` path in `code` (a module is a lower-case name followed by
/// `::`), including inside `use ward_engine::{…}` groups.
fn module_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("ward_engine::") {
        rest = &rest[at + "ward_engine::".len()..];
        let reached: Vec<&str> = match rest.strip_prefix('{') {
            Some(group) => group[..group.find('}').unwrap_or(group.len())].split(',').collect(),
            None => vec![rest.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).next().unwrap_or("")],
        };
        for item in reached {
            let item = item.trim();
            if item.contains("::") && item.starts_with(|c: char| c.is_ascii_lowercase()) {
                found.push(item.to_owned());
            }
        }
    }
    found
}

/// Why `path` (from [`module_paths`]) reaches past the façade, if it does. `in_tests`: the code
/// is a test, a benchmark or a fuzz target, which may use the `testing` module.
fn past_the_facade(path: &str, in_tests: bool) -> Option<&'static str> {
    let segments: Vec<&str> = path.split("::").collect();
    let module = segments[0];
    if !FACADE_MODULES.contains(&module) {
        return Some("a module of the engine (export the name from its lib.rs)");
    }
    if module == TEST_ONLY_MODULE && !in_tests {
        return Some("test helpers, in code that is not a test");
    }
    // A lower-case segment between the first and the last is a module inside the façade's own.
    let inner = &segments[1..segments.len() - 1];
    if inner.iter().any(|segment| segment.starts_with(|c: char| c.is_ascii_lowercase())) {
        return Some("a module inside a façade module (export the name from that module)");
    }
    None
}

/// The paths past the façade in one file's text. In a crate's sources (`in_tests` false), the
/// unit tests at the end of a file (`#[cfg(test)] mod tests`) count as tests.
fn wrong_paths(text: &str, in_tests: bool) -> Vec<String> {
    let (code, unit_tests) = text.split_once("#[cfg(test)]\nmod tests").unwrap_or((text, ""));
    let mut wrong = Vec::new();
    for (code, in_tests) in [(code, in_tests), (unit_tests, true)] {
        for path in module_paths(code) {
            if let Some(why) = past_the_facade(&path, in_tests) {
                wrong.push(format!("ward_engine::{path}: {why}"));
            }
        }
    }
    wrong
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            out.push(path);
        }
    }
}

/// The wrong paths in every Rust file under `dirs` (relative to the workspace root).
fn wrong_paths_under(dirs: &[&str], in_tests: bool) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut wrong = Vec::new();
    for dir in dirs {
        let mut files = Vec::new();
        rust_files(&root.join(dir), &mut files);
        assert!(!files.is_empty(), "{dir}: no Rust files");
        files.sort();
        // This file's own examples of wrong paths are not uses of the engine.
        files.retain(|file| !file.ends_with("lsp/tests/facade.rs"));
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let shown = file.strip_prefix(&root).unwrap().display().to_string();
            wrong.extend(wrong_paths(&text, in_tests).into_iter().map(|why| format!("{shown}: {why}")));
        }
    }
    wrong
}

#[test]
fn the_server_and_the_command_line_use_only_the_engines_facade() {
    let wrong = wrong_paths_under(&["lsp/src", "cli/src"], false);
    assert!(wrong.is_empty(), "paths past the engine's façade:\n{}", wrong.join("\n"));
}

#[test]
fn tests_benchmarks_and_fuzz_targets_use_only_the_engines_facade() {
    let wrong =
        wrong_paths_under(&["lsp/tests", "cli/tests", "engine/tests", "engine/benches", "fuzz/fuzz_targets"], true);
    assert!(wrong.is_empty(), "paths past the engine's façade:\n{}", wrong.join("\n"));
}

#[test]
fn module_paths_are_found_in_paths_and_groups() {
    let code = "use ward_engine::{Finding, policy::Pack};\nlet x = ward_engine::parse::Limits::default();\nward_engine::scan_buffer(b);";
    assert_eq!(module_paths(code), ["policy::Pack", "parse::Limits::default"]);
}

#[test]
fn the_facade_modules_are_open_to_their_callers_only() {
    let cases = [
        ("report::ReportData", false, None),
        ("report::ReportFormat::Json", false, None),
        ("report::render", false, None),
        ("report::{self", false, None),
        ("report::json::to_value", false, Some("a module inside a façade module")),
        ("testing::token", true, None),
        ("testing::token", false, Some("test helpers")),
        ("policy::Pack", true, Some("a module of the engine")),
        ("secrets::generate::token", true, Some("a module of the engine")),
    ];
    for (path, in_tests, expected) in cases {
        let why = past_the_facade(path, in_tests);
        match expected {
            None => assert_eq!(why, None, "{path}"),
            Some(start) => assert!(why.is_some_and(|why| why.starts_with(start)), "{path}: {why:?}"),
        }
    }
    let text =
        "use ward_engine::testing::token;\n#[cfg(test)]\nmod tests {\n    use ward_engine::testing::expand;\n}\n";
    assert_eq!(wrong_paths(text, false), ["ward_engine::testing::token: test helpers, in code that is not a test"]);
}
