//! Data-driven evaluation tests over `testdata/eval/*.yaml`. Each case is a small repository
//! (`files`), inline policies (`policies`), and the exact findings expected — `[rule, severity,
//! path, line, column, message]`, in report order — plus substrings of the expected policy
//! errors (`policy_errors`, as `file:line:col: message`) and rule errors at run time (`errors`,
//! as `file[:line:col]: message`), each error at a place with its file's text for a code frame,
//! and, when a case lists them, the related places of the findings that have some (`related`, as
//! `[rule, path, line, [[path, line, message], …]]`), and the environments of the findings on
//! rendered overlays that list some (`environments`, as `[rule, path, line, [environment, …]]`).

// Test code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use serde_json::{json, Value};
use ward_engine::report::{rule_catalog, Report, ReportData};
use ward_engine::{detect_kind, evaluate, parse_text, EvalOptions, Graph, Policies, Redactor};

fn check_case(file: &str, case: &Value) -> Vec<String> {
    let context = format!("{file}: {}", case["name"].as_str().unwrap_or("unnamed"));
    let mut failures = Vec::new();
    let mut documents = Vec::new();
    for (path, text) in case["files"].as_object().unwrap() {
        match parse_text(path, detect_kind(path), text.as_str().unwrap().to_owned(), &Default::default()) {
            Ok(Some(document)) => documents.push(document),
            Ok(None) => failures.push(format!("{context}: {path} is of no kind ward reads")),
            Err(diagnostic) => failures.push(format!("{context}: {diagnostic}")),
        }
    }
    let graph = Graph::build(documents);
    let modules: Vec<(String, String)> = case["policies"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(path, text)| (path.clone(), text.as_str().unwrap().to_owned()))
        .collect();
    let (policies, errors) = Policies::compile(&modules);
    let expected_policy_errors: Vec<&str> =
        case["policy_errors"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let actual_policy_errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
    if expected_policy_errors.len() != actual_policy_errors.len()
        || !expected_policy_errors.iter().all(|needle| actual_policy_errors.iter().any(|error| error.contains(needle)))
    {
        failures.push(format!(
            "{context}: policy errors differ\n  expected: {expected_policy_errors:?}\n  actual:   {actual_policy_errors:?}"
        ));
    }
    // The schema of CEL rule files (for editors and the language server) accepts every file the
    // loader accepts.
    for (path, text) in modules.iter().filter(|(path, _)| path.ends_with(".cel.yaml")) {
        if errors.iter().all(|error| &error.path != path) {
            let rule: Value = serde_saphyr::from_str(text).unwrap();
            failures.extend(
                support::schema_errors("cel-rule", &rule)
                    .into_iter()
                    .map(|e| format!("{context}: {path}: schema: {e}")),
            );
        }
    }
    let evaluation = evaluate(&graph, &policies, &EvalOptions::default());
    let redactor = Redactor::default();
    let rules = rule_catalog(&policies, &[]);
    let report = Report {
        graph: &graph,
        texts: &[],
        files_read: graph.documents.len(),
        evaluation: &evaluation,
        suppressed: &[],
        diagnostics: &[],
        rules: &rules,
        redactor: &redactor,
    };
    let json = serde_json::to_value(ReportData::new(&report)).unwrap();
    failures
        .extend(support::schema_errors("report", &json).into_iter().map(|e| format!("{context}: report schema: {e}")));
    let actual: Vec<Value> = evaluation
        .findings
        .iter()
        .map(|f| {
            json!([
                f.rule_id,
                f.severity.name(),
                f.location.path,
                f.location.start.line,
                f.location.start.column,
                f.message
            ])
        })
        .collect();
    let expected = case["findings"].as_array().cloned().unwrap_or_default();
    if actual != expected {
        failures.push(format!(
            "{context}: findings differ\n  expected: {}\n  actual:   {}",
            serde_json::to_string_pretty(&expected).unwrap(),
            serde_json::to_string_pretty(&actual).unwrap()
        ));
    }
    if let Some(expected) = case.get("related") {
        let actual: Vec<Value> = evaluation
            .findings
            .iter()
            .filter(|f| !f.related.is_empty())
            .map(|f| {
                let related: Vec<Value> =
                    f.related.iter().map(|r| json!([r.location.path, r.location.start.line, r.message])).collect();
                json!([f.rule_id, f.location.path, f.location.start.line, related])
            })
            .collect();
        if &Value::Array(actual.clone()) != expected {
            failures.push(format!(
                "{context}: related places differ\n  expected: {}\n  actual:   {}",
                serde_json::to_string(expected).unwrap(),
                serde_json::to_string(&actual).unwrap()
            ));
        }
    }
    if let Some(expected) = case.get("environments") {
        let actual: Vec<Value> = evaluation
            .findings
            .iter()
            .filter(|f| !f.environments.is_empty())
            .map(|f| json!([f.rule_id, f.location.path, f.location.start.line, f.environments]))
            .collect();
        if &Value::Array(actual.clone()) != expected {
            failures.push(format!(
                "{context}: environments differ\n  expected: {}\n  actual:   {}",
                serde_json::to_string(expected).unwrap(),
                serde_json::to_string(&actual).unwrap()
            ));
        }
    }
    let expected_errors: Vec<&str> =
        case["errors"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let actual_errors: Vec<String> = evaluation
        .errors
        .iter()
        .map(|e| match e.position {
            Some(at) => format!("{}:{}:{}: {}", e.path, at.line, at.column, e.message),
            None => format!("{}: {}", e.path, e.message),
        })
        .collect();
    if expected_errors.len() != actual_errors.len()
        || !expected_errors.iter().all(|needle| actual_errors.iter().any(|error| error.contains(needle)))
    {
        failures
            .push(format!("{context}: errors differ\n  expected: {expected_errors:?}\n  actual:   {actual_errors:?}"));
    }
    // Every problem at a place in a policy file, found compiling or running it, carries that
    // file's text: a code frame never needs the file read again.
    for error in errors.iter().chain(&evaluation.errors).filter(|error| error.position.is_some()) {
        if error.source_text() != modules.iter().find(|(path, _)| path == &error.path).map(|(_, text)| text.as_str()) {
            failures.push(format!("{context}: {error}: not with its file's text"));
        }
    }
    failures
}

#[test]
fn evaluation_cases() {
    let dir = support::repo_root().join("testdata/eval");
    let mut failures = Vec::new();
    let mut cases = 0;
    for file in support::files_under(&dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        let list: Vec<Value> = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for case in &list {
            cases += 1;
            failures.extend(check_case(&name, case));
        }
    }
    assert!(cases > 0, "no evaluation cases under {}", dir.display());
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n\n"));
}

/// The sample CEL rules load, and match the schema editors use.
#[test]
fn sample_cel_rules_load_and_match_their_schema() {
    let dir = support::repo_root().join("testdata/policy/cel");
    let files: Vec<(String, String)> = support::files_under(&dir)
        .into_iter()
        .map(|file| (file.display().to_string(), std::fs::read_to_string(&file).unwrap()))
        .collect();
    assert!(!files.is_empty(), "no CEL rules under {}", dir.display());
    let (policies, errors) = Policies::compile(&files);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(policies.cel.rules.len(), files.len());
    for (path, text) in &files {
        let rule: Value = serde_saphyr::from_str(text).unwrap();
        assert_eq!(support::schema_errors("cel-rule", &rule), Vec::<String>::new(), "{path}");
    }
}
