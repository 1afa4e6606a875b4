//! A project configured by `ward.toml` and pinned by `ward.lock`: `ward init`, `ward lock`, and
//! scans that use the configured packs, rule settings, environments and file globs — and refuse
//! packs that changed since they were locked. Each test works on its own scratch copy.

// Test code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use insta_cmd::assert_cmd_snapshot;
use support::{scratch_copy, ward_in};

/// ward.toml's packs, rule settings, environment globs and excludes all shape the scan.
#[test]
fn scan_follows_ward_toml() {
    let project = scratch_copy("projects/configured", "scan_follows_ward_toml");
    assert_cmd_snapshot!(ward_in(&project).args(["scan"]));
}

#[test]
fn lock_pins_the_packs_and_scans_refuse_a_changed_pack() {
    let project = scratch_copy("projects/configured", "lock_pins_the_packs");
    assert_cmd_snapshot!("lock", ward_in(&project).args(["lock"]));
    let text = std::fs::read_to_string(project.join("ward.lock")).unwrap();
    assert!(text.contains("name = \"replicas\"") && text.contains("source = \"packs/replicas\""), "{text}");
    assert_eq!(ward_in(&project).args(["scan"]).output().unwrap().status.code(), Some(1), "locked packs run");

    let rule = project.join("packs/replicas/rules/replicas.cel.yaml");
    let original = std::fs::read_to_string(&rule).unwrap();
    std::fs::write(&rule, original.replace("severity: high", "severity: low")).unwrap();
    assert_cmd_snapshot!("changed_rule", ward_in(&project).args(["scan"]));

    std::fs::write(&rule, &original).unwrap();
    let manifest = project.join("packs/replicas/pack.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("1.0.0", "1.0.1")).unwrap();
    assert_cmd_snapshot!("version_bump_without_relock", ward_in(&project).args(["scan"]));

    let relock = ward_in(&project).args(["lock"]).output().unwrap();
    assert_eq!(relock.status.code(), Some(0));
    assert_eq!(ward_in(&project).args(["scan"]).output().unwrap().status.code(), Some(1), "re-locked packs run again");
}

#[test]
fn a_broken_ward_toml_is_reported_at_its_line() {
    let project = scratch_copy("projects/configured", "a_broken_ward_toml");
    let config = project.join("ward.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("[rules.K8S-002]", "[rules.K8S-902]")).unwrap();
    assert_cmd_snapshot!(ward_in(&project).args(["scan"]));
}

#[test]
fn init_writes_a_starter_and_never_overwrites_it() {
    let project = scratch_copy("projects/configured/deploy", "init_writes_a_starter");
    let first = ward_in(&project).args(["init"]).output().unwrap();
    assert_eq!(first.status.code(), Some(0));
    assert!(std::fs::read_to_string(project.join("ward.toml")).unwrap().contains("[[packs]]"));
    assert_cmd_snapshot!(ward_in(&project).args(["init"]));
}

/// With `require_signatures`, a local pack runs only when signed by a trusted key.
#[test]
fn required_signatures_are_checked_against_the_trusted_keys() {
    let project = scratch_copy("projects/configured", "required_signatures");
    let config = project.join("ward.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("require_signatures = true\ntrusted_keys = [\"team.pub\"]\n{text}")).unwrap();
    let run = |args: &[&str]| ward_in(&project).args(args).output().unwrap();
    let stdout = |output: &std::process::Output| String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(run(&["pack", "keygen", "--output", "team"]).status.code(), Some(0));
    assert_eq!(run(&["pack", "keygen", "--output", "stranger"]).status.code(), Some(0));

    let unsigned = run(&["scan"]);
    assert_eq!(unsigned.status.code(), Some(2));
    assert!(
        stdout(&unsigned).contains("pack replicas@1.0.0 is not signed (no packs/replicas.sig)"),
        "{}",
        stdout(&unsigned)
    );

    assert_eq!(run(&["pack", "sign", "packs/replicas", "--key", "stranger.key"]).status.code(), Some(0));
    let untrusted = run(&["scan"]);
    assert_eq!(untrusted.status.code(), Some(2));
    assert!(
        stdout(&untrusted).contains("replicas@1.0.0") && stdout(&untrusted).contains("not trusted"),
        "{}",
        stdout(&untrusted)
    );

    assert_eq!(run(&["pack", "sign", "packs/replicas", "--key", "team.key"]).status.code(), Some(0));
    let signed = run(&["scan"]);
    assert_eq!(signed.status.code(), Some(1), "{}", stdout(&signed));
    assert!(stdout(&signed).contains("REPLICAS-001"));
}
