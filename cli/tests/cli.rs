//! Snapshot tests of the `ward` command line: what a user sees on stdout and stderr, and the
//! exit code, for the cases that matter (bad input alongside good, filters, usage errors).

// Test, benchmark and example code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::Command;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn ward() -> Command {
    let mut command = Command::new(get_cargo_bin("ward"));
    command.current_dir(repo_root()).env("NO_COLOR", "1");
    command
}

/// A broken YAML file and a broken Terraform file next to good ones: both errors are shown with
/// file:line:col and a code frame, the good files are still printed, the binary is noted, and
/// the exit code is 2.
#[test]
fn parse_reports_each_bad_file_and_still_prints_the_good_ones() {
    assert_cmd_snapshot!(ward().args(["parse", "testdata/cli/mixed"]));
}

#[test]
fn parse_kind_filter_keeps_only_that_kind() {
    assert_cmd_snapshot!(ward().args(["parse", "testdata/cli/mixed/infra/main.tf", "--kind", "terraform"]));
}

#[test]
fn parse_unknown_kind_is_a_usage_error() {
    assert_cmd_snapshot!(ward().args(["parse", "--kind", "toml", "testdata/cli/mixed"]));
}

#[test]
fn parse_missing_path_is_an_error_with_exit_code_2() {
    assert_cmd_snapshot!(ward().args(["parse", "testdata/cli/does-not-exist"]));
}

/// A file named on the command line is never dropped silently, even when ward cannot read its kind.
#[test]
fn parse_notes_an_explicit_file_of_unknown_kind() {
    assert_cmd_snapshot!(ward().args(["parse", "testdata/cli/notes.txt", "testdata/cli/mixed/.env.staging"]));
}

#[test]
fn parse_output_is_byte_identical_across_runs() {
    let run = || ward().args(["parse", "testdata/repos/shop", "--source-map"]).output().expect("ward runs");
    let first = run();
    for _ in 0..3 {
        let again = run();
        assert_eq!(first.stdout, again.stdout, "stdout differs between runs");
        assert_eq!(first.stderr, again.stderr, "stderr differs between runs");
    }
}

#[test]
fn version_is_the_crate_version() {
    let output = ward().arg("--version").output().expect("ward runs");
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), format!("ward {}", env!("CARGO_PKG_VERSION")));
}

/// The main job: findings as code frames at their lines, a summary, exit code 1.
#[test]
fn scan_reports_findings_at_their_lines() {
    assert_cmd_snapshot!(ward().args(["scan", "testdata/repos/shop", "--policy", "testdata/policy"]));
}

#[test]
fn scan_json_report() {
    assert_cmd_snapshot!(ward().args([
        "scan",
        "testdata/repos/shop",
        "--policy",
        "testdata/policy",
        "--format",
        "json"
    ]));
}

/// Findings below the threshold are reported but do not fail the run.
#[test]
fn scan_below_threshold_exits_0() {
    let output = ward()
        .args([
            "scan",
            "testdata/repos/shop/.env.production",
            "--policy",
            "testdata/policy",
            "--severity-threshold",
            "critical",
        ])
        .output()
        .expect("ward runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    assert!(String::from_utf8_lossy(&output.stdout).contains("ENV-DEBUG-001"));
}

/// A policy that does not compile makes the run untrustworthy: exit 2, with file:line:col.
#[test]
fn scan_with_a_broken_policy_exits_2() {
    assert_cmd_snapshot!(ward().args([
        "scan",
        "testdata/cli/mixed/k8s/app.yaml",
        "--policy",
        "testdata/cli/bad-policy"
    ]));
}

/// With no `--policy`, the built-in packs run: the main job on a fresh checkout.
#[test]
fn scan_uses_the_built_in_packs_by_default() {
    assert_cmd_snapshot!(ward().args(["scan", "testdata/repos/shop", "--format", "json"]));
}

#[test]
fn rules_lists_the_built_in_rules() {
    assert_cmd_snapshot!(ward().args(["rules"]));
}

#[test]
fn rules_as_json_name_their_files() {
    assert_cmd_snapshot!(ward().args(["rules", "--format", "json", "--policy", "testdata/policy"]));
}

#[test]
fn explain_shows_a_rule_with_its_examples() {
    assert_cmd_snapshot!(ward().args(["explain", "BASICS-003"]));
}

#[test]
fn explain_of_an_unknown_rule_exits_2() {
    assert_cmd_snapshot!(ward().args(["explain", "NOPE-001"]));
}

/// A pack whose manifest breaks the schema is refused at the manifest's line and column.
#[test]
fn a_pack_with_a_bad_manifest_is_refused() {
    assert_cmd_snapshot!(ward().args(["rules", "--policy", "testdata/packs/bad-manifest"]));
}

/// Two packs that define one rule id: the second is refused by name, the first still runs.
#[test]
fn a_rule_id_defined_twice_is_an_error() {
    assert_cmd_snapshot!(ward().args([
        "rules",
        "--policy",
        "policies/basics",
        "--policy",
        "testdata/packs/duplicate-id"
    ]));
}

/// The built-in packs pass their own tests, with every Rego line run.
#[test]
fn pack_tests_of_the_built_in_packs_pass_and_cover_every_rego_line() {
    assert_cmd_snapshot!(ward().args(["test", "--coverage"]));
}

/// A wrong expectation, a missing passing fixture and a failing Rego test: each named, exit 1.
#[test]
fn pack_tests_report_each_failure_and_exit_1() {
    assert_cmd_snapshot!(ward().args(["test", "testdata/packs/failing-tests", "--coverage"]));
}
