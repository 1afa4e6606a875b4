//! Data-driven graph tests over `testdata/graph/*.yaml`. Each case is a small repository written
//! inline (`files`), the resources expected in its graph (id, and where given: line,
//! environment, labels, and values at JSON pointers) and the exact set of its edges.

// Test, benchmark and example code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use serde_json::Value;
use ward_engine::{detect_kind, parse_text, Graph};

fn check_case(file: &str, case: &Value) -> Vec<String> {
    let name = case["name"].as_str().unwrap_or("unnamed");
    let context = format!("{file}: {name}");
    let mut failures = Vec::new();
    let mut documents = Vec::new();
    for (path, text) in case["files"].as_object().unwrap_or_else(|| panic!("{context}: `files` must be a mapping")) {
        let text = text.as_str().unwrap_or_else(|| panic!("{context}: {path} must be text")).to_owned();
        match parse_text(path, detect_kind(path), text, &Default::default()) {
            Ok(Some(document)) => documents.push(document),
            Ok(None) => failures.push(format!("{context}: {path} is of no kind ward reads")),
            Err(diagnostic) => failures.push(format!("{context}: {diagnostic}")),
        }
    }
    let graph = Graph::build(documents);
    let ids: Vec<&str> = graph.resources.iter().map(|r| r.id.as_str()).collect();
    for expected in case["resources"].as_array().into_iter().flatten() {
        let id = expected["id"].as_str().unwrap_or_default();
        let Some(resource) = graph.resource(id) else {
            failures.push(format!("{context}: no resource `{id}`; the graph has {ids:#?}"));
            continue;
        };
        if let Some(line) = expected.get("line").and_then(Value::as_u64) {
            if u64::from(resource.region.start.line) != line {
                failures.push(format!("{context}: `{id}` is on line {}, expected {line}", resource.region.start.line));
            }
        }
        if let Some(environment) = expected.get("environment") {
            if resource.environment.as_deref() != environment.as_str() {
                failures.push(format!(
                    "{context}: `{id}` has environment {:?}, expected {environment}",
                    resource.environment
                ));
            }
        }
        if let Some(labels) = expected.get("labels").and_then(Value::as_array) {
            let labels: Vec<&str> = labels.iter().filter_map(Value::as_str).collect();
            let actual: Vec<&str> = resource.labels.iter().map(String::as_str).collect();
            if actual != labels {
                failures.push(format!("{context}: `{id}` has labels {actual:?}, expected {labels:?}"));
            }
        }
        for (pointer, value) in expected.get("values").and_then(Value::as_object).into_iter().flatten() {
            let actual = resource.value.pointer(pointer);
            if actual != Some(value) {
                failures.push(format!("{context}: `{id}` {pointer} is {actual:?}, expected {value}"));
            }
        }
    }
    let mut actual_edges: Vec<String> =
        graph.edges.iter().map(|e| format!("{} -{}-> {}", e.from, e.relation.name(), e.to)).collect();
    let mut expected_edges: Vec<String> = case["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|edge| {
            format!(
                "{} -{}-> {}",
                edge[0].as_str().unwrap_or(""),
                edge[1].as_str().unwrap_or(""),
                edge[2].as_str().unwrap_or("")
            )
        })
        .collect();
    actual_edges.sort();
    expected_edges.sort();
    if actual_edges != expected_edges {
        failures
            .push(format!("{context}: edges differ\n  expected: {expected_edges:#?}\n  actual:   {actual_edges:#?}"));
    }
    failures
}

#[test]
fn graph_cases() {
    let dir = support::repo_root().join("testdata/graph");
    let mut failures = Vec::new();
    let mut cases = 0;
    for file in support::files_under(&dir) {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let list: Vec<Value> = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        for case in &list {
            cases += 1;
            failures.extend(check_case(&name, case));
        }
    }
    assert!(cases > 0, "no graph cases under {}", dir.display());
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n\n"));
}
