//! The engine's modules form layers that only point down: each module uses only modules of a
//! lower layer, so there is no import circle and the data flows one way (DESIGN §1: source →
//! parse → graph → policy/eval → suppress → report). This reads every module's source and
//! fails on a `crate::` path that points sideways or up. Comments are not code: a doc link may
//! point anywhere.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

/// The engine's top-level modules, bottom layer first. A module may use the modules of the
/// layers before its own, and no other.
const LAYERS: &[&[&str]] = &[
    // Base types: a date, a document and its source map, which environment a path names, a pack's
    // name and version.
    &["date", "document", "environment", "go_text", "pack_ref"],
    // A problem at a place; a rule's result at a place.
    &["diagnostic", "finding", "profile"],
    // A budget of memory for one rule's evaluation, over regorus's allocator.
    &["memory_budget"],
    // Turning text into documents.
    &["parse"],
    // What each kind of document is: how it is recognised, parsed and split into resources.
    &["kinds"],
    // Finding and reading files (a file's kind is told by its path).
    &["source"],
    // Checking a document against a JSON Schema (ward.toml, pack.toml, rule files).
    &["schema"],
    // ward.toml, as plain data.
    &["config"],
    // What is deployed, rendered from the sources (kustomize), with provenance.
    &["render"],
    &["graph"],
    // From paths or texts to a graph.
    &["load"],
    // Rules and packs: loading, compiling, verifying.
    &["policy"],
    // conftest's semantics: its input shapes, namespaces and exceptions, its reports.
    &["conftest"],
    // Running rules over the graph; running secret rules over texts.
    &["eval", "secrets"],
    &["suppress"],
    // Consumers of a finished evaluation, and the project a run is made for.
    &["report", "pack_tests", "project"],
    // One whole scan: the only caller of all the steps in order.
    &["pipeline"],
    // Fake credentials for the tests of ward's callers.
    &["testing"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The code of a file without its comments (line comments and doc comments; ward's sources
/// have no block comments). A `//` inside a string literal (`"https://…"`) is not a comment.
fn code_of(text: &str) -> String {
    let mut code = String::with_capacity(text.len());
    for line in text.lines() {
        let (mut in_string, mut escaped, mut previous) = (false, false, ' ');
        let mut end = line.len();
        for (at, character) in line.char_indices() {
            match character {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '/' if !in_string && previous == '/' => {
                    end = at - 1;
                    break;
                }
                _ => {}
            }
            previous = character;
        }
        code.push_str(&line[..end]);
        code.push('\n');
    }
    code
}

/// The top-level modules a file's code names through `crate::`.
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let names: Vec<&str> = match rest.strip_prefix('{') {
            Some(group) => {
                let end = group.find('}').unwrap_or(group.len());
                group[..end].split(',').map(|item| item.trim().split("::").next().unwrap_or("")).collect()
            }
            None => vec![rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("")],
        };
        used.extend(names.into_iter().filter(|name| !name.is_empty()).map(str::to_owned));
    }
    used
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
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
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut seen = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let module = relative.iter().next().unwrap().to_string_lossy().trim_end_matches(".rs").to_owned();
        if module == "lib" {
            continue;
        }
        seen.insert(module.clone());
        let Some(layer) = layer_of(&module) else {
            wrong.push(format!("{}: the module `{module}` is in no layer of this test", relative.display()));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        // A module's unit tests may use anything.
        let code = code_of(text.split("#[cfg(test)]\nmod tests").next().unwrap_or(""));
        for used in used_modules(&code) {
            if used == module {
                continue;
            }
            match layer_of(&used) {
                Some(used_layer) if used_layer < layer => {}
                Some(_) => wrong.push(format!("{}: `{module}` uses `crate::{used}`, not below it", relative.display())),
                None => {}
            }
        }
    }
    assert!(wrong.is_empty(), "layers that do not point down:\n{}", wrong.join("\n"));
    let listed: BTreeSet<String> = LAYERS.iter().flat_map(|layer| layer.iter().map(|m| (*m).to_owned())).collect();
    assert_eq!(listed, seen, "every module of the engine, and no other, is in a layer");
}

#[test]
fn the_reader_sees_through_groups_and_past_comments() {
    let code = code_of("use crate::{document::Span, finding};\n// crate::pipeline\nlet x = crate::graph::Graph::new(\"https://a\"); // crate::eval");
    assert_eq!(used_modules(&code), BTreeSet::from(["document".into(), "finding".into(), "graph".into()]));
}
