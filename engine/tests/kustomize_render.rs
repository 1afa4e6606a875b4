//! Data-driven kustomize cases (`testdata/kustomize/features/*/case.yaml`): ward renders each
//! kustomization to the objects kubectl renders (kept beside the case, and checked against
//! kubectl by `kustomize_kubectl`), each chosen value points at the file and line it was
//! written at, and bad input gives the diagnostics expected, at the entry's line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use support::kustomize::{differences, render, repo_root};
use ward_engine::Level;
use ward_engine::LineIndex;

fn object_id(value: &serde_json::Value) -> (String, String) {
    let kind = value["kind"].as_str().unwrap_or_default();
    let name = value["metadata"]["name"].as_str().unwrap_or_default();
    let short = format!("{kind}/{name}");
    let long = match value["metadata"]["namespace"].as_str() {
        Some(namespace) => format!("{kind}/{namespace}/{name}"),
        None => short.clone(),
    };
    (short, long)
}

/// `file:line` of a span of a file under the repository root, the file relative to `case_dir`.
fn line_of(case_dir: &str, path: &str, offset: usize) -> String {
    let text = std::fs::read_to_string(repo_root().join(path)).unwrap();
    let line = LineIndex::new(&text).position(&text, offset).line;
    let relative = path.strip_prefix(&format!("{case_dir}/")).unwrap_or(path);
    format!("{relative}:{line}")
}

#[test]
fn feature_cases_render_with_their_provenance_and_diagnostics() {
    let cases = support::kustomize_cases::cases();
    assert!(cases.len() >= 8, "the feature cases: {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let at = case.render_dir();
        let (objects, diagnostics) = render(&at);
        if let Some(expected) = &case.expected_output {
            let ours: Vec<serde_json::Value> = objects.iter().map(|object| object.value.clone()).collect();
            for difference in differences(&ours, expected) {
                failures.push(format!("{at}: {difference}"));
            }
        }
        for (object, pointer, expected) in &case.provenance {
            let Some(found) = objects.iter().find(|o| {
                let (short, long) = object_id(&o.value);
                &short == object || &long == object
            }) else {
                let ids: Vec<String> = objects.iter().map(|o| object_id(&o.value).1).collect();
                failures.push(format!("{at}: no object {object} among {ids:?}"));
                continue;
            };
            match found.provenance.lookup(pointer) {
                Some((_, origin)) => {
                    let actual = line_of(&case.dir, &origin.path, origin.span.start);
                    if &actual != expected {
                        failures.push(format!("{at}: {object} {pointer} comes from {actual}, expected {expected}"));
                    }
                }
                None => failures.push(format!("{at}: {object} {pointer} has no origin")),
            }
        }
        let mut reported: Vec<(String, String, String)> = diagnostics
            .iter()
            .map(|d| {
                let level = match d.level {
                    Level::Error => "error",
                    Level::Note => "note",
                };
                let line = d.position.map_or(String::new(), |p| p.line.to_string());
                let relative = d.path.strip_prefix(&format!("{}/", case.dir)).unwrap_or(&d.path).to_owned();
                (level.to_owned(), format!("{relative}:{line}"), d.message.clone())
            })
            .collect();
        for (level, place, words) in &case.diagnostics {
            match reported.iter().position(|(l, p, m)| l == level && p == place && m.contains(words.as_str())) {
                Some(index) => {
                    reported.remove(index);
                }
                None => failures.push(format!("{at}: no {level} at {place} saying `{words}`; got {reported:?}")),
            }
        }
        for unexpected in reported {
            failures.push(format!("{at}: unexpected diagnostic {unexpected:?}"));
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}
