//! A rule that takes all the memory it can is stopped by `--rule-memory-mb`, reported against
//! itself and the resource, and the other rules still run. Its own test binary: the memory
//! ceiling is the process's, and a process of its own keeps other tests out of its way.

// Test code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use support::{ward, write_file};

#[test]
fn a_runaway_rule_is_stopped_by_its_memory_budget_and_the_others_still_run() {
    let output = ward()
        .args(["scan", "testdata/cli/runaway-rule/repo", "--policy", "testdata/cli/runaway-rule/policy"])
        .args(["--rule-memory-mb", "64", "--rule-timeout-ms", "600000", "--format", "json"])
        .output()
        .expect("ward runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(output.status.code(), Some(2), "a rule that fails makes the run untrustworthy: {report:#}");
    let errors = report["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "only the runaway rule fails: {errors:#?}");
    let message = errors[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("TEST-RUNAWAY"), "the error names the rule: {message}");
    assert!(message.contains("k8s:ConfigMap/app"), "the error names the resource: {message}");
    assert!(message.contains("used more than 64 MB"), "the error says which limit: {message}");
    let rules: Vec<&str> =
        report["findings"].as_array().expect("findings").iter().filter_map(|f| f["rule"].as_str()).collect();
    assert_eq!(rules, ["TEST-HONEST"], "the honest rule still reports");
}

/// The budget is a rule's: the graph the engines are given is the scan's input, however large.
/// (A budget taken before the graph was loaded stopped the engine's preparation, and with it
/// every rule, on a repository of 70,000 resources with the default budget.)
#[test]
fn the_graph_of_a_large_repository_is_not_counted_against_a_rules_memory_budget() {
    let repo = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("large-graph");
    if repo.exists() {
        std::fs::remove_dir_all(&repo).unwrap();
    }
    // 4,000 ConfigMaps: their graph takes some 40 MB as the engines' values, a rule here 2 MB.
    for file in 0..8 {
        let documents: Vec<String> = (0..500)
            .map(|i| {
                let n = file * 500 + i;
                format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{n}\n  labels:\n    app: app-{n}\ndata:\n  key: value-{n}\n")
            })
            .collect();
        write_file(&repo, &format!("configmaps-{file}.yaml"), documents.join("---\n").as_bytes());
    }
    let output = ward()
        .arg("scan")
        .arg(&repo)
        .args(["--policy", "testdata/cli/large-graph/policy", "--rule-memory-mb", "2", "--format", "json"])
        .output()
        .expect("ward runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["summary"]["evaluations"], 4000);
    assert_eq!(report["summary"]["findings"], 1);
    assert_eq!(output.status.code(), Some(1), "one finding");
}
