//! The language server builds on the engine's façade only: the names `ward_engine` exports at
//! its root (`Project`, `scan_buffer`, `Document`, `Finding`, …), never a path into one of its
//! modules. The engine can then move what is behind those names without touching the editor.
//! Tests may reach further (to make fixtures), the server's code may not.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};

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

#[test]
fn the_server_uses_only_the_engines_facade() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        for path in module_paths(code) {
            wrong.push(format!("{}: ward_engine::{path}", file.strip_prefix(&src).unwrap().display()));
        }
    }
    assert!(
        wrong.is_empty(),
        "paths past the engine's façade (export the name from its lib.rs):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn module_paths_are_found_in_paths_and_groups() {
    let code = "use ward_engine::{Finding, policy::Pack};\nlet x = ward_engine::parse::Limits::default();\nward_engine::scan_buffer(b);";
    assert_eq!(module_paths(code), ["policy::Pack", "parse::Limits::default"]);
}
