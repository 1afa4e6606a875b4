//! Terraform module calls judged through what they create: the fixture repository
//! `testdata/terraform/modules-repo` (a root module with three environments calling two local
//! modules, one nested, a downloaded module and a registry module) scanned with the built-in
//! packs gives exactly the findings `testdata/terraform/modules-repo-expected.yaml` lists —
//! each at the line a person edits, with its environments and the call chain — and counts the
//! module calls in the JSON report and the summary line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use serde_json::Value;
use support::{repo_root, ward};

const REPO: &str = "testdata/terraform/modules-repo";

/// `path:line` of a finding, a note or a related place.
fn place(value: &Value) -> String {
    format!("{}:{}", value["path"].as_str().unwrap_or_default(), value["line"])
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().map(|v| v.as_str().map_or_else(|| place(v), str::to_owned)).collect()
}

#[test]
fn module_calls_are_judged_through_what_they_create() {
    let output = ward().args(["scan", REPO, "--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    let schema = std::fs::read_to_string(repo_root().join("schemas/report.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&schema).unwrap()).unwrap();
    let schema_errors: Vec<String> = validator.iter_errors(&report).map(|e| e.to_string()).collect();
    assert_eq!(schema_errors, Vec::<String>::new());

    let text = std::fs::read_to_string(repo_root().join("testdata/terraform/modules-repo-expected.yaml")).unwrap();
    let expected: Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(report["summary"]["module_calls"], expected["module_calls"]);
    let notes: Vec<String> = report["notes"].as_array().unwrap().iter().map(place).collect();
    assert_eq!(notes, strings(&expected["notes"]));

    let describe = |rule: &str, at: String, environments: Vec<String>, related: Vec<String>| {
        format!("{rule} at {at} in {environments:?}, related {related:?}")
    };
    let actual: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"].as_str().is_some_and(|p| p.ends_with(".tf")))
        .map(|f| describe(f["rule"].as_str().unwrap(), place(f), strings(&f["environments"]), strings(&f["related"])))
        .collect();
    let wanted: Vec<String> = expected["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            describe(
                f["rule"].as_str().unwrap(),
                f["at"].as_str().unwrap().to_owned(),
                strings(&f["environments"]),
                strings(&f["related"]),
            )
        })
        .collect();
    assert_eq!(actual, wanted, "\nactual:\n{}\n", actual.join("\n"));

    // No finding repeats at one rule and line.
    let mut seen = std::collections::BTreeSet::new();
    for finding in report["findings"].as_array().unwrap() {
        assert!(seen.insert((finding["rule"].to_string(), place(finding))), "repeated: {finding}");
    }
}

/// The summary line says how many module calls were judged, how, and how many were not.
#[test]
fn the_summary_line_counts_module_calls() {
    let output = ward().args(["scan", REPO]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(summary.ends_with("7 module calls judged (5 local, 1 downloaded, 1 registry), 3 not judged"), "{summary}");
}

/// A module `terraform init` downloaded (`infra/.terraform/modules/…`, read for the calls that
/// reach it) is not a conftest input: a conftest policy that fails on every input reports the
/// repository's Terraform files, none of the download cache's (nor its `modules.json`).
#[test]
fn conftest_policies_do_not_see_downloaded_modules() {
    let policy = "testdata/terraform/conftest-every-input";
    let output = ward().args(["scan", REPO, "--policy", policy, "--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    let paths: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().is_some_and(|rule| rule.starts_with("conftest/")))
        .filter_map(|f| f["path"].as_str())
        .collect();
    // The repository's own files are inputs, a local module's among them …
    assert!(paths.contains("infra/main.tf"), "{paths:?}");
    assert!(paths.contains("modules/bucket/main.tf"), "{paths:?}");
    // … the download cache's are not.
    let cached: Vec<&&str> = paths.iter().filter(|path| path.contains(".terraform/")).collect();
    assert!(cached.is_empty(), "conftest judged downloaded files: {cached:?}");
    // The cache is still read for the call that reaches it: the built-in rules judge what the
    // downloaded module creates.
    let output = ward().args(["scan", REPO, "--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let through_cache = report["findings"].as_array().unwrap().iter().any(|f| {
        f["related"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|r| r["path"].as_str().is_some_and(|p| p.contains(".terraform/")))
    });
    assert!(through_cache, "the downloaded module's resources are judged through their call");
}
