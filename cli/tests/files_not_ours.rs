//! Quiet on files that are not ours: a YAML or JSON file of no kind ward checks that does not
//! parse — JSON with comments (`tsconfig.json`, `.vscode/settings.json`, `devcontainer.json`), a
//! template with `{{ }}`, a Helm chart's templates — is a note, counted in the summary as not
//! judged, and never makes the run untrustworthy; named on the command line, it is an error as
//! any other file. Files that are ours and broken (a manifest with a duplicate key, a broken
//! kustomization, Compose file or workflow) stay errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;
use support::{repo_root, ward};

const NOT_OURS: &str = "testdata/cli/not-ours";

/// The test policies, not the built-in packs: what these tests show does not depend on them.
const POLICY: [&str; 2] = ["--policy", "testdata/policy"];

/// Notes, not errors, for what is not ours; the summary says how many files were not judged;
/// exit 0 (nothing found).
#[test]
fn files_that_are_not_ours_are_noted_not_judged_and_never_errors() {
    assert_cmd_snapshot!(ward().args(["scan", NOT_OURS]).args(POLICY));
}

/// Named on the command line, a file that does not parse is an error whatever its kind: the
/// user asked for it.
#[test]
fn a_file_named_on_the_command_line_that_does_not_parse_is_an_error() {
    assert_cmd_snapshot!(ward().args(["scan", "testdata/cli/not-ours/web/tsconfig.json"]).args(POLICY));
}

/// A Kubernetes manifest with a duplicate key, a broken kustomization, Compose file and
/// workflow: each an error at its line, exit 2.
#[test]
fn files_that_are_ours_and_broken_are_errors() {
    assert_cmd_snapshot!(ward().args(["scan", "testdata/cli/broken-ours"]).args(POLICY));
}

/// The JSON report counts the files not judged, lists a note for each at its place, and
/// matches its schema.
#[test]
fn the_json_report_counts_the_files_not_judged() {
    let output = ward().args(["scan", NOT_OURS, "--format", "json"]).args(POLICY).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let schema = std::fs::read_to_string(repo_root().join("schemas/report.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&schema).unwrap()).unwrap();
    let schema_errors: Vec<String> = validator.iter_errors(&report).map(|e| e.to_string()).collect();
    assert_eq!(schema_errors, Vec::<String>::new());
    assert_eq!(report["summary"]["not_judged"], 5);
    assert_eq!(report["summary"]["errors"], 0);
    let notes: Vec<(&str, Option<u64>)> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|note| (note["path"].as_str().unwrap(), note["line"].as_u64()))
        .collect();
    assert_eq!(
        notes,
        [
            (".devcontainer/devcontainer.json", Some(4)),
            (".vscode/settings.json", Some(2)),
            ("charts/shop/templates/deployment.yaml", None),
            ("config/upstreams.yaml", Some(3)),
            ("web/tsconfig.json", Some(1)),
        ]
    );
    let markdown = ward().args(["scan", NOT_OURS, "--format", "markdown"]).args(POLICY).output().unwrap();
    let markdown = String::from_utf8(markdown.stdout).unwrap();
    assert!(
        markdown.contains("## Not judged\n\n5 files read and not judged:\n\n- `.devcontainer/devcontainer.json:4:3`"),
        "{markdown}"
    );
}
