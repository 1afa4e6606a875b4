//! The conftest compatibility suite: one case per behaviour of conftest's documented interface
//! (namespaces, exceptions, data, combine, each input shape, each output format, exit codes),
//! each `testdata/conftest/cases/<name>.yaml` running `ward conftest …` over the example
//! policies and inputs in `testdata/conftest/examples/` and checking its exit code and output:
//!
//! ```yaml
//! args: [test, -p, examples/kubernetes/policy, examples/kubernetes/service.yaml]
//! cwd: examples/configfile   # optional, relative to testdata/conftest
//! stdin: examples/ini/grafana.ini   # optional, relative to testdata/conftest
//! color: true                # optional: leave colour on
//! exit: 0
//! stdout: |                  # optional: the exact output
//!   …
//! contains: ["…"]            # optional: substrings of the output
//! absent: ["…"]              # optional: what must not be in it
//! stderr_contains: ["…"]     # optional
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::io::Write;
use std::process::Stdio;

use serde_json::Value;

fn run_case(name: &str, case: &Value) -> Vec<String> {
    let root = support::repo_root().join("testdata/conftest");
    let cwd = root.join(case["cwd"].as_str().unwrap_or("."));
    let args: Vec<String> =
        case["args"].as_array().unwrap().iter().map(|arg| arg.as_str().unwrap().to_owned()).collect();
    let mut command = support::ward_in(&cwd);
    command.arg("conftest").args(&args);
    if case["color"].as_bool() == Some(true) {
        command.env_remove("NO_COLOR");
    }
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let input = case["stdin"].as_str().map(|path| std::fs::read(root.join(path)).unwrap()).unwrap_or_default();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let mut failures = Vec::new();
    let context = format!("{name}: ward conftest {}\n--- stdout\n{stdout}--- stderr\n{stderr}", args.join(" "));
    if let Some(expected) = case["exit"].as_i64() {
        if i64::from(output.status.code().unwrap_or(-1)) != expected {
            failures.push(format!("{context}\nexit code {:?}, expected {expected}", output.status.code()));
        }
    }
    if let Some(expected) = case["stdout"].as_str() {
        if stdout != expected {
            failures.push(format!("{context}\nstdout differs; expected:\n{expected}"));
        }
    }
    for needle in case["contains"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if !stdout.contains(needle) {
            failures.push(format!("{context}\nstdout lacks {needle:?}"));
        }
    }
    for needle in case["absent"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if stdout.contains(needle) {
            failures.push(format!("{context}\nstdout has {needle:?}"));
        }
    }
    for needle in case["stderr_contains"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if !stderr.contains(needle) {
            failures.push(format!("{context}\nstderr lacks {needle:?}"));
        }
    }
    failures
}

#[test]
fn conftest_compatibility_cases() {
    let dir = support::repo_root().join("testdata/conftest/cases");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 30, "the suite has its cases: {names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let case: Value = serde_saphyr::from_str(&text).unwrap();
        failures.extend(run_case(name, &case));
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), names.len(), failures.join("\n\n"));
}

/// A finding expected of a scan: `(rule, path, line, message)`.
type Expected<'a> = (&'a str, &'a str, u64, &'a str);

/// `ward scan --policy` over a conftest policy directory: the same failures and warnings as
/// `ward conftest test --all-namespaces` (conftest's messages, every namespace), each at the line
/// of the resource its message names — a Terraform block by its name, a Kubernetes object of a
/// stream by its name, a rendered object where it was written — or of the value or key it
/// names, or else at its input's first line.
#[test]
fn scan_reports_what_conftest_reports_at_the_resources_lines() {
    let root = support::repo_root().join("testdata/conftest");
    let cases: [(&str, &str, &[Expected]); 11] = [
        // Rendered objects are inputs too, as `kustomize build | conftest test -` and `helm
        // template | conftest test -` give them, each placed where it was written: the dev
        // overlay's object at its base's line (prod's patch makes it pass; the base rendered
        // by itself is the file's own input, judged once).
        (
            "examples/kustomize/policy",
            "examples/kustomize",
            &[
                ("conftest/main/deny", "base/deployment.yaml", 1, "Deployment dev-web must run as non-root"),
                ("conftest/main/deny", "base/deployment.yaml", 1, "Deployment web must run as non-root"),
            ],
        ),
        // A chart's objects, which no file holds as YAML, at their template's line.
        (
            "examples/kubernetes/policy",
            "../helm/environments",
            &[
                (
                    "conftest/main/deny",
                    "chart/templates/deployment.yaml",
                    1,
                    "Containers must not run as root in Deployment release-name-api",
                ),
                (
                    "conftest/main/deny",
                    "chart/templates/deployment.yaml",
                    1,
                    "Deployment release-name-api must provide app/release labels for pod selectors",
                ),
                (
                    "conftest/main/violation",
                    "chart/templates/deployment.yaml",
                    1,
                    "Found deployment release-name-api but deployments are not allowed",
                ),
            ],
        ),
        (
            "examples/hcl2/policy",
            "examples/hcl2",
            &[
                ("conftest/main/deny", "terraform.tf", 1, "ASG `my-rule` defines a fully open ingress"),
                ("conftest/main/deny", "terraform.tf", 6, "ALB `my-alb-listener` is using HTTP rather than HTTPS"),
                ("conftest/main/deny", "terraform.tf", 11, "RDS security group `my-group` is not allowed"),
                ("conftest/main/deny", "terraform.tf", 14, "Azure disk `source` is not encrypted"),
            ],
        ),
        (
            "examples/exceptions/policy",
            "examples/exceptions",
            &[(
                "conftest/main/deny_run_as_root",
                "deployments.yaml",
                12,
                "Containers must not run as root in Deployment cannot-run-as-root",
            )],
        ),
        (
            "examples/docker/policy",
            "examples/docker",
            &[
                ("conftest/main/deny", "Dockerfile", 1, "unallowed image found [\"openjdk:8-jdk-alpine\"]"),
                (
                    "conftest/commands/deny",
                    "Dockerfile",
                    10,
                    "unallowed commands found [\"apk add --no-cache python3 py3-pip && pip3 install awscli==1.18.1\"]",
                ),
            ],
        ),
        (
            "examples/dotenv/policy",
            "examples/dotenv",
            &[("conftest/main/deny", "sample.env", 2, "DEBUG must not be enabled")],
        ),
        // The formats ward reads only because conftest does: TOML, INI, XML, Java properties,
        // and CycloneDX and SPDX JSON, each a kind of document `ward scan` finds by itself. A
        // message that names a value (a plugin, a component) or a key of the file points at
        // its line; one that names nothing of it (grafana.ini) at the file's first line.
        (
            "examples/toml/policy",
            "examples/toml",
            &[
                ("conftest/main/deny", "traefik.toml", 2, "Compression should be enabled on the http entry point"),
                ("conftest/main/deny", "traefik.toml", 10, "The dashboard should not be exposed"),
            ],
        ),
        (
            "examples/ini/policy",
            "examples/ini",
            &[("conftest/main/deny", "grafana.ini", 1, "Users should verify their e-mail address")],
        ),
        (
            "examples/xml/policy",
            "examples/xml",
            &[("conftest/main/deny", "pom.xml", 11, "--- maven-plugin must have the version: 3.6.1")],
        ),
        (
            "examples/properties/policy",
            "examples/properties",
            &[("conftest/main/deny", "insecure.properties", 2, "SAMPLE_KEY must be an https address")],
        ),
        (
            "examples/sbom/policy",
            "examples/sbom",
            &[
                ("conftest/main/warn", "app.spdx.json", 10, "package old-ssl has no concluded license"),
                ("conftest/main/deny", "bom.cdx.json", 16, "component copyleft-db is licensed AGPL-3.0-only"),
            ],
        ),
    ];
    for (policy, input, expected) in cases {
        let output =
            support::ward_in(&root).args(["scan", "--policy", policy, input, "--format", "json"]).output().unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut found: Vec<(String, String, u64, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|finding| {
                (
                    finding["rule"].as_str().unwrap().to_owned(),
                    finding["path"].as_str().unwrap().to_owned(),
                    finding["line"].as_u64().unwrap(),
                    finding["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        found.sort_by(|a, b| (&a.1, a.2, &a.3).cmp(&(&b.1, b.2, &b.3)));
        let expected: Vec<(String, String, u64, String)> = expected
            .iter()
            .map(|(rule, path, line, message)| ((*rule).into(), (*path).into(), *line, (*message).into()))
            .collect();
        assert_eq!(found, expected, "ward scan --policy {policy} {input}");
        assert_eq!(output.status.code(), Some(1), "findings: exit 1");

        // What a directory renders, `conftest test` on the directory does not see.
        if matches!(input, "examples/kustomize" | "../helm/environments") {
            continue;
        }
        // The same messages as conftest's own run of every namespace.
        let conftest = support::ward_in(&root)
            .args(["conftest", "test", "-p", policy, input, "--all-namespaces", "-o", "json"])
            .output()
            .unwrap();
        let results: Value = serde_json::from_slice(&conftest.stdout).unwrap();
        let mut messages: Vec<String> = results
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|result| {
                let failures = result["failures"].as_array().cloned().unwrap_or_default();
                let warnings = result["warnings"].as_array().cloned().unwrap_or_default();
                failures.into_iter().chain(warnings)
            })
            .map(|message| message["msg"].as_str().unwrap().to_owned())
            .collect();
        messages.sort();
        let mut scanned: Vec<String> = found.into_iter().map(|(_, _, _, message)| message).collect();
        scanned.sort();
        assert_eq!(scanned, messages, "ward scan and ward conftest test agree on {policy}");
    }
}

/// A conftest result object's members besides `msg` are the finding's `details`, in the JSON
/// report (where conftest's JSON output has them as `metadata`) and in SARIF's `properties`;
/// a plain message has none.
#[test]
fn scan_carries_a_results_other_members_into_the_finding() {
    let root = support::repo_root().join("testdata/conftest");
    let scan = |format: &str| -> Value {
        let output = support::ward_in(&root)
            .args(["scan", "--policy", "examples/sbom/policy", "examples/sbom", "--format", format])
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let report = scan("json");
    let findings = report["findings"].as_array().unwrap();
    let details: Vec<(&str, &Value)> =
        findings.iter().map(|finding| (finding["path"].as_str().unwrap(), &finding["details"])).collect();
    let expected = serde_json::json!({"license": "AGPL-3.0-only", "purl": "pkg:npm/copyleft-db@0.9.1"});
    assert_eq!(details, [("app.spdx.json", &Value::Null), ("bom.cdx.json", &expected)]);
    let sarif = scan("sarif");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let properties: Vec<&Value> = results.iter().map(|result| &result["properties"]["details"]).collect();
    assert!(properties.contains(&&expected), "SARIF properties carry the details: {properties:?}");
    assert!(properties.contains(&&Value::Null), "a plain message has none");
}
