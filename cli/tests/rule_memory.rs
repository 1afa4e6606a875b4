//! A rule that takes all the memory it can is stopped by `--rule-memory-mb`, reported against
//! itself and the resource, and the other rules still run. Its own test binary: the memory
//! ceiling is the process's, and a process of its own keeps other tests out of its way.

// Test code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use support::ward;

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
