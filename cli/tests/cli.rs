//! Snapshot tests of the `ward` command line: what a user sees on stdout and stderr, and the
//! exit code, for the cases that matter (bad input alongside good, filters, usage errors).

// Test, benchmark and example code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use insta_cmd::assert_cmd_snapshot;
use support::{copy_dir, repo_root, ward};

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

/// A chart's rendered resources with where each value was written (`rendered.origins`: the
/// values line or the template line; `printed_by`: the template action that printed a value);
/// the templates that fail are errors at their line and column, in Helm's words, and the
/// chart's other template is still rendered.
#[test]
fn parse_shows_where_each_value_of_a_rendered_chart_was_written() {
    assert_cmd_snapshot!(ward().args(["parse", "testdata/helm/required"]));
}

#[test]
fn parse_unknown_kind_is_a_usage_error() {
    assert_cmd_snapshot!(ward().args(["parse", "--kind", "cue", "testdata/cli/mixed"]));
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

/// `--profile`: after the report, on standard error, a line per rule with its time,
/// evaluations, findings and slowest resource, then a line per stage of the run with its time
/// and the heap at its end, and the same in the JSON report — while
/// standard output stays valid JSON. Times, and with them the order and the slowest resource,
/// vary between runs: they are masked, and the lines sorted by rule, before the snapshot.
#[test]
fn scan_profile_lists_each_rule_after_the_report() {
    let output = ward()
        .args(["scan", "testdata/repos/shop", "--policy", "testdata/policy", "--format", "json", "--profile"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is the JSON report");
    let profile = report["profile"].as_array().unwrap();
    let totals: Vec<u64> = profile.iter().map(|rule| rule["total_us"].as_u64().unwrap()).collect();
    assert!(totals.windows(2).all(|pair| pair[0] >= pair[1]), "costliest first: {totals:?}");
    let evaluations: u64 = profile.iter().map(|rule| rule["evaluations"].as_u64().unwrap()).sum();
    // The secret scan's evaluations are files, not rule × input evaluations.
    let secret_files =
        profile.iter().find(|rule| rule["rule"] == "(secrets)").map_or(0, |rule| rule["evaluations"].as_u64().unwrap());
    assert_eq!(evaluations, report["summary"]["evaluations"].as_u64().unwrap() + secret_files);
    let stderr = String::from_utf8(output.stderr).unwrap();
    // The rules' table, a blank line, then the stages' table: what each stage of the run cost,
    // in the order they ran, as in the JSON report.
    let (rules_table, stages_table) = stderr.split_once("\n\n").expect("a stages table after the rules'");
    let stages: Vec<&str> = report["stages"].as_array().unwrap().iter().map(|s| s["stage"].as_str().unwrap()).collect();
    assert_eq!(
        stages,
        [
            "read and parse",
            "graph",
            "compile rules",
            "policy input",
            "rules",
            "merging findings",
            "secrets",
            "suppressions"
        ]
    );
    let shown_stages: Vec<&str> =
        stages_table.lines().skip(1).map(|line| line.split("  ").next().unwrap().trim()).collect();
    assert_eq!(shown_stages, stages, "{stages_table}");
    let mut lines: Vec<String> = rules_table.lines().map(mask_times).collect();
    let header = lines.remove(0);
    let total = lines.pop().unwrap();
    assert_eq!(lines.len(), profile.len(), "{stderr}");
    let order: Vec<&str> = lines.iter().map(|line| line.split_whitespace().next().unwrap()).collect();
    let json_order: Vec<&str> = profile.iter().map(|rule| rule["rule"].as_str().unwrap()).collect();
    let mut sorted_order = order.clone();
    sorted_order.sort_unstable();
    let mut sorted_json_order = json_order.clone();
    sorted_json_order.sort_unstable();
    assert_eq!(sorted_order, sorted_json_order, "the table and the JSON list the same rules");
    lines.sort();
    let mut json: Vec<serde_json::Value> = profile.clone();
    for rule in &mut json {
        rule["total_us"] = "[us]".into();
        if rule["slowest"].is_object() {
            let resource = rule["slowest"]["resource"].as_str().unwrap();
            assert!(resource.contains(':'), "a resource id: {resource}");
            rule["slowest"] = serde_json::json!({"resource": "[resource]", "time_us": "[us]"});
        }
    }
    json.sort_by_key(|rule| rule["rule"].as_str().unwrap().to_owned());
    let shown = format!("{header}\n{}\n{total}\n\n{}", lines.join("\n"), serde_json::to_string_pretty(&json).unwrap());
    insta::assert_snapshot!(shown);
}

/// `12.345 ms` → `[time]`, and the slowest resource (after the second time) → `[resource]`;
/// columns' widths out of the way.
fn mask_times(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut masked = Vec::new();
    let mut index = 0;
    while let Some(word) = words.get(index) {
        if words.get(index + 1) == Some(&"ms") && word.contains('.') {
            masked.push("[time]");
            index += 2;
        } else {
            masked.push(word);
            index += 1;
        }
    }
    if masked.iter().filter(|word| **word == "[time]").count() == 2 {
        masked.pop();
        masked.push("[resource]");
    }
    masked.join(" ")
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
    assert_cmd_snapshot!(ward().args(["explain", "K8S-002"]));
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
        "policies/container",
        "--policy",
        "testdata/packs/duplicate-id"
    ]));
}

/// The built-in packs pass their own tests, with every Rego line run.
#[test]
fn pack_tests_of_the_built_in_packs_pass_and_cover_every_rego_line() {
    assert_cmd_snapshot!(ward().args(["test", "--coverage"]));
}

/// A wrong expectation, a wrong related place, a missing passing fixture and a failing Rego test:
/// each named, exit 1.
#[test]
fn pack_tests_report_each_failure_and_exit_1() {
    assert_cmd_snapshot!(ward().args(["test", "testdata/packs/failing-tests", "--coverage"]));
}

/// A fresh directory under `target/` for one test, named relative to the repository root so
/// that the paths ward prints are the same on every machine.
fn pack_scratch(name: &str) -> String {
    let relative = format!("target/ward-pack-cli/{name}");
    let dir = repo_root().join(&relative);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    relative
}

/// `ward pack build` names the pack and its digest, which depends on the files only; a second
/// build is byte-identical.
#[test]
fn pack_build_writes_an_archive_and_prints_its_digest() {
    let out = pack_scratch("build");
    assert_cmd_snapshot!(ward().args(["pack", "build", "testdata/packs/tiny", "--output", &out]));
    let first = std::fs::read(repo_root().join(&out).join("tiny-1.0.0.tar.gz")).unwrap();
    let again = format!("{out}/again");
    assert!(ward()
        .args(["pack", "build", "testdata/packs/tiny", "--output", &again])
        .output()
        .unwrap()
        .status
        .success());
    let second = std::fs::read(repo_root().join(&again).join("tiny-1.0.0.tar.gz")).unwrap();
    assert_eq!(first, second, "two builds of one pack differ");
}

/// A pack whose rules do not compile is not archived: it would only fail later, elsewhere.
#[test]
fn pack_build_refuses_a_pack_whose_rules_do_not_compile() {
    let dir = pack_scratch("build-broken");
    copy_dir(&repo_root().join("testdata/packs/tiny"), &repo_root().join(&dir).join("tiny"));
    std::fs::write(repo_root().join(&dir).join("tiny/rules/broken.rego"), "package broken\ndeny contains msg if {\n")
        .unwrap();
    let output = ward().args(["pack", "build", &format!("{dir}/tiny"), "--output", &dir]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("tiny/rules/broken.rego"), "{output:?}");
    assert!(!repo_root().join(&dir).join("tiny-1.0.0.tar.gz").exists());
}

/// The secret key file is readable by its owner only, never printed, and never overwritten.
#[test]
fn pack_keygen_writes_a_private_secret_key_and_never_overwrites_it() {
    let dir = pack_scratch("keygen");
    let prefix = format!("{dir}/release");
    let output = ward().args(["pack", "keygen", "--output", &prefix]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let secret = std::fs::read_to_string(repo_root().join(format!("{prefix}.key"))).unwrap();
    let public = std::fs::read_to_string(repo_root().join(format!("{prefix}.pub"))).unwrap();
    let seed = secret.trim().strip_prefix("ward-ed25519-secret:").unwrap();
    assert_eq!(seed.len(), 64);
    assert!(public.starts_with("ward-ed25519-public:"));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("key ed25519:") && !stdout.contains(seed), "{stdout}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(repo_root().join(format!("{prefix}.key"))).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = ward().args(["pack", "keygen", "--output", &prefix]).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(repo_root().join(format!("{prefix}.key"))).unwrap(), secret);
}

/// Sign, verify (exit 0), change a rule and rebuild: the old signature no longer matches, and
/// `ward pack verify` says so with both digests, exit 2. The same for a pack directory.
#[test]
fn pack_verify_refuses_a_pack_changed_after_signing() {
    let dir = pack_scratch("verify");
    let run = |args: &[&str]| {
        let output = ward().args(args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    copy_dir(&repo_root().join("testdata/packs/tiny"), &repo_root().join(&dir).join("tiny"));
    let (key, public, pack_dir) = (format!("{dir}/key.key"), format!("{dir}/key.pub"), format!("{dir}/tiny"));
    let archive = format!("{dir}/tiny-1.0.0.tar.gz");
    run(&["pack", "keygen", "--output", &format!("{dir}/key")]);
    run(&["pack", "build", &pack_dir, "--output", &dir]);
    run(&["pack", "sign", &archive, "--key", &key]);
    run(&["pack", "sign", &pack_dir, "--key", &key]);
    assert!(repo_root().join(format!("{archive}.sig")).is_file());
    assert!(repo_root().join(format!("{dir}/tiny.sig")).is_file());
    assert!(run(&["pack", "verify", &archive, "--key", &public]).starts_with("verified tiny@1.0.0 sha256:"));
    assert!(run(&["pack", "verify", &pack_dir, "--key", &public]).starts_with("verified tiny@1.0.0 sha256:"));

    let rule = repo_root().join(&pack_dir).join("rules/user.cel.yaml");
    let text = std::fs::read_to_string(&rule).unwrap();
    std::fs::write(&rule, text.replace("severity: medium", "severity: info")).unwrap();
    run(&["pack", "build", &pack_dir, "--output", &dir]);
    assert_cmd_snapshot!(ward().args(["pack", "verify", &archive, "--key", &public]));
    let output = ward().args(["pack", "verify", &pack_dir, "--key", &public]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("digest differs"), "{output:?}");
}
