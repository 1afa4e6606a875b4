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
