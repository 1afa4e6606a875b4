//! The report formats end to end, on the sample repository with the built-in packs: a snapshot
//! of each format; the SARIF checked against the official SARIF 2.1.0 schema and the JUnit read
//! back by a JUnit parser; several reports from one run; `ward report` rendering a saved JSON
//! report exactly as the scan wrote each format; shell completions and the man page.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::path::PathBuf;
use std::process::Output;

use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;
use support::{repo_root, ward};

const SHOP: &str = "testdata/repos/shop";
const FORMATS: [&str; 6] = ["human", "json", "sarif", "junit", "github", "markdown"];

/// A fresh scratch directory for one test, under `target/`.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("formats").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn scan(args: &[&str]) -> Output {
    ward().arg("scan").args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn scan_human() {
    assert_cmd_snapshot!(ward().args(["scan", SHOP]));
}

#[test]
fn scan_sarif() {
    assert_cmd_snapshot!(ward().args(["scan", SHOP, "--format", "sarif"]));
}

#[test]
fn scan_junit() {
    assert_cmd_snapshot!(ward().args(["scan", SHOP, "--format", "junit"]));
}

#[test]
fn scan_github() {
    assert_cmd_snapshot!(ward().args(["scan", SHOP, "--format", "github"]));
}

#[test]
fn scan_markdown() {
    assert_cmd_snapshot!(ward().args(["scan", SHOP, "--format", "markdown"]));
}

/// The audit report of a project with inline suppressions, a current waiver and an expired one.
#[test]
fn markdown_lists_suppressions_and_expired_waivers() {
    let dir = support::scratch_copy("suppression", "formats-markdown");
    assert_cmd_snapshot!("markdown_suppressions", support::ward_in(&dir).args(["scan", ".", "--format", "markdown"]));
}

/// The official SARIF 2.1.0 schema (OASIS errata 01), validated offline: it is draft-04, whose
/// meta-schema the validator carries, and it names no other document.
fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo_root().join("testdata/sarif-schema-2.1.0.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
}

fn schema_errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator.iter_errors(instance).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

/// The JSON report — related places, masked source lines, notes, rule documentation,
/// suppressions — matches `schemas/report.schema.json`.
#[test]
fn json_report_matches_its_schema() {
    let text = std::fs::read_to_string(repo_root().join("schemas/report.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap();
    let dir = support::scratch_copy("suppression", "formats-json-schema");
    let reports = [
        scan(&[SHOP, "--format", "json"]),
        support::ward_in(&dir).args(["scan", ".", "--format", "json"]).output().unwrap(),
        scan(&[SHOP, "--format", "json", "--profile"]),
    ];
    for output in reports {
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(schema_errors(&validator, &report), Vec::<String>::new());
        assert!(report["rules"].as_array().unwrap().iter().any(|rule| rule["documentation"].is_object()));
    }
    let profiled: Value = serde_json::from_slice(&scan(&[SHOP, "--format", "json", "--profile"]).stdout).unwrap();
    assert!(profiled["profile"].as_array().is_some_and(|profile| !profile.is_empty()));
    let plain: Value = serde_json::from_slice(&scan(&[SHOP, "--format", "json"]).stdout).unwrap();
    assert!(plain.get("profile").is_none(), "a profile only when asked for");
}

/// The SARIF of the sample repository is valid SARIF 2.1.0 — suppressed findings, related
/// places and all — and the validator does catch a broken log.
#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let validator = sarif_validator();
    for target in [SHOP, "testdata/suppression"] {
        let output = scan(&[target, "--format", "sarif"]);
        let log: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(schema_errors(&validator, &log), Vec::<String>::new(), "{target}");
    }
    let log: Value = serde_json::from_slice(&scan(&[SHOP, "--format", "sarif"]).stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["relatedLocations"].is_array()), "no result has related locations");
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = Value::from(0);
    assert_eq!(schema_errors(&validator, &broken).len(), 2, "the validator let a broken log through");
}

/// The SARIF of a scan with suppressions: each suppressed finding is a result with its
/// suppression — `inSource` for a comment, `external` for a waiver — and its justification.
#[test]
fn sarif_carries_suppressions_levels_and_fingerprints() {
    let dir = support::scratch_copy("suppression", "formats-suppression");
    let output = support::ward_in(&dir).args(["scan", ".", "--format", "sarif"]).output().unwrap();
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    let validator = sarif_validator();
    assert_eq!(schema_errors(&validator, &log), Vec::<String>::new());
    let results = log["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<(&str, &str)> = results
        .iter()
        .filter_map(|r| r["suppressions"][0].as_object())
        .map(|s| (s["kind"].as_str().unwrap(), s["justification"].as_str().unwrap_or("")))
        .collect();
    assert!(
        suppressed.contains(&("inSource", "the image is rebuilt nightly from the vendor's latest")),
        "{suppressed:?}"
    );
    assert!(suppressed.iter().any(|(kind, _)| *kind == "external"), "{suppressed:?}");
    let json: Value = serde_json::from_slice(
        &support::ward_in(&dir).args(["scan", ".", "--format", "json"]).output().unwrap().stdout,
    )
    .unwrap();
    assert_eq!(suppressed.len(), json["suppressed"].as_array().unwrap().len());
    for result in results {
        let fingerprint = result["partialFingerprints"]["wardFingerprint/v1"].as_str().unwrap();
        assert_eq!(fingerprint.len(), 32, "{result}");
        let rule = &log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], result["ruleId"]);
        assert!(rule["help"]["markdown"].as_str().is_some_and(|help| help.starts_with("# ")), "{rule}");
    }
}

/// The JUnit report is read back by a JUnit parser: a failure per rule × resource, a skipped
/// case per suppressed finding, the passing rules; problems are errors, never failures.
#[test]
fn junit_output_is_read_by_a_junit_parser() {
    let output = scan(&[SHOP, "--format", "junit"]);
    let report = quick_junit::Report::deserialize_from_str(&stdout(&output)).unwrap();
    let json: Value = serde_json::from_slice(&scan(&[SHOP, "--format", "json"]).stdout).unwrap();
    let mut failed: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_owned(), f["resource"].as_str().unwrap().to_owned()))
        .collect();
    failed.sort();
    failed.dedup();
    assert_eq!(report.failures, failed.len());
    assert_eq!(report.errors, 0);
    let rules = json["rules"].as_array().unwrap().len();
    assert!(report.tests > report.failures && report.tests >= rules, "{} tests for {rules} rules", report.tests);

    let broken = scan(&["testdata/cli/mixed/k8s/app.yaml", "--policy", "testdata/cli/bad-policy", "--format", "junit"]);
    assert_eq!(broken.status.code(), Some(2));
    let report = quick_junit::Report::deserialize_from_str(&stdout(&broken)).unwrap();
    assert!(report.errors > 0, "{}", stdout(&broken));
    let ward_suite = report.test_suites.iter().find(|suite| suite.name.as_str() == "ward").unwrap();
    assert_eq!(ward_suite.errors, report.errors);
}

/// One run, several reports: each file holds what `--format X` alone prints, and the one
/// report without a file goes to standard output.
#[test]
fn several_reports_from_one_run() {
    let dir = scratch("several");
    let file = |name: &str| dir.join(name).display().to_string();
    let output = scan(&[
        SHOP,
        "--format",
        &format!("sarif:{}", file("ward.sarif")),
        "--format",
        "human",
        "--format",
        &format!("junit:{}", file("ward.xml")),
        "--format",
        &format!("markdown:{}", file("audit.md")),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(output.stdout, scan(&[SHOP]).stdout);
    for (name, format) in [("ward.sarif", "sarif"), ("ward.xml", "junit"), ("audit.md", "markdown")] {
        let written = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(written, stdout(&scan(&[SHOP, "--format", format])), "{name}");
    }
    // `--output` still names the file of a single report.
    let single = scan(&[SHOP, "--format", "github", "--output", &file("annotations.txt")]);
    assert!(single.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(dir.join("annotations.txt")).unwrap(),
        stdout(&scan(&[SHOP, "--format", "github"]))
    );
}

/// Where reports go is checked before the scan: two reports on standard output, `--output`
/// with several formats, an unknown format — each a usage error, exit 2.
#[test]
fn report_destinations_that_cannot_work_are_usage_errors() {
    assert_cmd_snapshot!("two_reports_on_stdout", ward().args(["scan", SHOP, "--format", "json", "--format", "sarif"]));
    assert_cmd_snapshot!(
        "output_with_several_formats",
        ward().args(["scan", SHOP, "--format", "json", "--format", "sarif:x.sarif", "--output", "x.json"])
    );
    assert_cmd_snapshot!("unknown_format", ward().args(["scan", SHOP, "--format", "xml:report.xml"]));
}

/// `ward report` renders a saved JSON report in every format exactly as the scan did, with the
/// same exit code — for a run with findings, and for one that cannot be trusted.
#[test]
fn ward_report_renders_a_saved_report_as_the_scan_did() {
    let dir = scratch("round-trip");
    let runs: [(&str, Vec<&str>); 2] = [
        ("shop", vec![SHOP]),
        ("broken", vec!["testdata/cli/mixed/k8s/app.yaml", "--policy", "testdata/cli/bad-policy"]),
    ];
    for (name, args) in runs {
        let saved = dir.join(format!("{name}.json"));
        let scanned = scan(&[args.clone(), vec!["--format", &format!("json:{}", saved.display())]].concat());
        for format in FORMATS {
            let direct = scan(&[args.clone(), vec!["--format", format]].concat());
            let rendered = ward().args(["report", &saved.display().to_string(), "--format", format]).output().unwrap();
            assert_eq!(stdout(&rendered), stdout(&direct), "{name}: {format}");
            assert_eq!(rendered.status.code(), direct.status.code(), "{name}: {format}");
            assert_eq!(rendered.status.code(), scanned.status.code(), "{name}: {format}");
        }
    }
    // The shop's one critical finding is CI-009, in a workflow: its manifests have none.
    let manifests = dir.join("manifests.json");
    scan(&["testdata/repos/shop/deploy", "--format", &format!("json:{}", manifests.display())]);
    for (report, expected) in [(dir.join("shop.json"), 1), (manifests, 0)] {
        let threshold = ward()
            .args(["report", &report.display().to_string(), "--severity-threshold", "critical"])
            .output()
            .unwrap();
        assert_eq!(threshold.status.code(), Some(expected), "{}", report.display());
    }
}

/// A file that is not a ward JSON report is an error at its line and column, exit 2.
#[test]
fn ward_report_refuses_what_is_not_a_report() {
    let dir = scratch("not-a-report");
    std::fs::write(dir.join("other.json"), "{\n  \"version\": 1,\n  \"summary\": []\n}\n").unwrap();
    std::fs::write(dir.join("future.json"), "{\"version\": 9}\n").unwrap();
    for (name, expected) in [("other.json", ":3:15: not a ward JSON report"), ("future.json", "of version 9")] {
        let output = support::ward_in(&dir).args(["report", name]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(name) && stderr.contains(expected), "{name}: {stderr}");
    }
}

/// The related places of a parity finding are in every format: "also at" in the human report,
/// `related` in the JSON, `relatedLocations` in SARIF, the other side in the drift report.
#[test]
fn parity_findings_name_the_other_environment_in_every_format() {
    let json: Value = serde_json::from_slice(&scan(&[SHOP, "--format", "json"]).stdout).unwrap();
    let parity: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["pack"].as_str().is_some_and(|pack| pack.starts_with("environment-parity@")))
        // ENV-007 compares code with every definition at once: it has no other side to name.
        .filter(|f| f["rule"] != "ENV-007")
        .collect();
    assert!(!parity.is_empty());
    for finding in &parity {
        assert!(finding["related"].as_array().is_some_and(|related| !related.is_empty()), "{finding}");
    }
    let first = &parity[0]["related"][0];
    let place = format!("{}:{}", first["path"].as_str().unwrap(), first["line"]);
    assert!(stdout(&scan(&[SHOP])).contains(&format!("also at {place}")), "{place}");
    assert!(stdout(&scan(&[SHOP, "--format", "markdown"])).contains(&format!("`{place}`")), "{place}");
}

#[test]
fn completions_for_each_shell_name_the_commands_and_options() {
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef ward"), ("fish", "complete -c ward")] {
        let output = ward().args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}");
        let script = stdout(&output);
        assert!(script.contains(marker), "{shell}: {marker}");
        for word in ["scan", "report", "format", "severity-threshold"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    assert_eq!(ward().args(["completions", "tcsh"]).output().unwrap().status.code(), Some(2));
}

#[test]
fn the_man_page_is_generated_from_the_command_line() {
    let output = ward().arg("man").output().unwrap();
    assert!(output.status.success());
    let page = stdout(&output);
    assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq") || page.contains(".TH ward 1"), "{page}");
    assert!(page.contains(".TH ward 1") && page.contains("report") && page.contains("completions"), "{page}");
    let dir = scratch("man");
    let written = ward().args(["man", "--dir", &dir.display().to_string()]).output().unwrap();
    assert!(written.status.success(), "{written:?}");
    let scan_page = std::fs::read_to_string(dir.join("ward-scan.1")).unwrap();
    assert!(scan_page.contains("\\-\\-format") && scan_page.contains("FORMAT[:FILE]"), "{scan_page}");
    assert!(dir.join("ward.1").is_file() && dir.join("ward-report.1").is_file());
}
