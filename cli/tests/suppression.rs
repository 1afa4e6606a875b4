//! Suppressions end to end: inline `ward:ignore` comments in each format's comment syntax, a
//! baseline made by `ward baseline create`, and waivers in ward.toml — one current, one expired.
//! Suppressed findings are counted in every output; an expired waiver is itself a finding.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;
use support::{scratch_copy, ward_in};

#[test]
fn suppressions_are_applied_counted_and_shown() {
    let dir = scratch_copy("suppression", "suppression");
    assert_cmd_snapshot!("suppressed_human", ward_in(&dir).args(["scan", "."]));
    let output = ward_in(&dir).args(["scan", ".", "--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    insta::assert_json_snapshot!("suppressed_json_summary", report["summary"]);
    let kinds: Vec<(String, String, Value)> = report["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["rule"].as_str().unwrap().to_owned(),
                s["suppression"]["kind"].as_str().unwrap().to_owned(),
                s["suppression"]["reason"].clone(),
            )
        })
        .collect();
    insta::assert_json_snapshot!("suppressed_entries", kinds);
}

/// A baseline records today's findings; a scan with it fails only on what is new, and moving
/// a finding to another line does not make it new.
#[test]
fn a_baseline_fails_only_on_new_findings() {
    let dir = scratch_copy("suppression", "baseline");
    std::fs::remove_file(dir.join("ward.toml")).unwrap();
    let created = ward_in(&dir).args(["baseline", "create", ".", "--output", "ward-baseline.json"]).output().unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let scan = |args: &[&str]| ward_in(&dir).args(["scan", ".", "--format", "json"]).args(args).output().unwrap();
    let clean = scan(&["--baseline", "ward-baseline.json"]);
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stdout));
    // Lines move: still baselined.
    let dockerfile = dir.join("Dockerfile");
    let text = std::fs::read_to_string(&dockerfile).unwrap();
    std::fs::write(&dockerfile, format!("# a comment that moves every line down\n\n{text}")).unwrap();
    assert_eq!(scan(&["--baseline", "ward-baseline.json"]).status.code(), Some(0));
    // Something new: reported.
    std::fs::write(dir.join("Dockerfile.dev"), "FROM node:latest\n").unwrap();
    let new = scan(&["--baseline", "ward-baseline.json"]);
    assert_eq!(new.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&new.stdout).unwrap();
    assert!(report["findings"].as_array().unwrap().iter().all(|f| f["path"] == "Dockerfile.dev"), "{report}");
    // A broken baseline is an error, not an empty one.
    std::fs::write(dir.join("broken.json"), "{\"version\": 1, \"findings\": [{}]}").unwrap();
    let broken = scan(&["--baseline", "broken.json"]);
    assert_eq!(broken.status.code(), Some(2));
}
