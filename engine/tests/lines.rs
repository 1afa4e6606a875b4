//! The rule for lines (DESIGN §2), data-driven: `testdata/lines/cases.yaml` lists, for each
//! fixture under `testdata/lines/files/`, JSON pointers into its document and the
//! `line:column` where a finding about each belongs — the value when it is there, the nearest
//! key above it when it is missing or a block below its key — for YAML (block and flow), JSON,
//! Terraform (HCL and JSON), Dockerfiles, Compose files and workflows.

// Test code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use serde_json::Value;
use ward_engine::detect_kind;
use ward_engine::parse_text;

#[test]
fn findings_land_on_the_value_or_the_nearest_key_above_what_is_missing() {
    let dir = support::repo_root().join("testdata/lines");
    let table: Vec<Value> = serde_saphyr::from_str(&std::fs::read_to_string(dir.join("cases.yaml")).unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in &table {
        let path = entry["file"].as_str().unwrap();
        let text = std::fs::read_to_string(dir.join("files").join(path)).unwrap();
        let document = match parse_text(path, detect_kind(path), text, &Default::default()) {
            Ok(Some(document)) => document,
            other => panic!("{path}: does not parse as a document: {other:?}"),
        };
        for case in entry["cases"].as_array().unwrap() {
            let [pointer, expected, why] = [0, 1, 2].map(|i| case[i].as_str().unwrap());
            checked += 1;
            let actual = document.region_of(pointer).map_or_else(
                || "nowhere".to_owned(),
                |region| format!("{}:{}", region.start.line, region.start.column),
            );
            if actual != expected {
                failures.push(format!("{path} {pointer}: expected {expected}, got {actual} ({why})"));
            }
        }
    }
    assert!(checked > 0, "no cases in {}", dir.display());
    assert!(failures.is_empty(), "{} of {checked} cases differ:\n{}", failures.len(), failures.join("\n"));
}
