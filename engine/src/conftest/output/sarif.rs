//! conftest's `sarif` output (SARIF 2.1.0): one run whose rules are `<namespace>/deny`,
//! `<namespace>/warn` and `<namespace>/allow` (exceptions), and, for a file and namespace
//! without failures or warnings, `<namespace>/success` or `<namespace>/skip`; each result at
//! its file (or its `_loc`), and the invocation's exit code.

use serde_json::{json, Map, Value};

use super::{gojson, Options};
use crate::conftest::check::{CheckMessage, CheckResult};

const SUCCESS: &str = "Policy was satisfied successfully";
const SKIPPED: &str = "Policy check was skipped";

fn description(rule_type: &str) -> &'static str {
    match rule_type {
        "success" => SUCCESS,
        "skip" => SKIPPED,
        "allow" => "Policy exception",
        "warn" => "Policy warning",
        _ => "Policy violation",
    }
}

/// The results as conftest's `sarif` format writes them.
pub(crate) fn render(results: &[CheckResult], options: &Options) -> String {
    let mut rules: Vec<Value> = Vec::new();
    let mut found: Vec<Value> = Vec::new();
    let mut add = |message: &CheckMessage, namespace: &str, rule_type: &str, level: &str, file: &str| {
        let id = format!("{namespace}/{rule_type}");
        let index = match rules.iter().position(|rule| rule["id"] == id) {
            Some(index) => index,
            None => {
                let mut rule = Map::new();
                rule.insert("id".into(), Value::from(id.clone()));
                rule.insert("shortDescription".into(), json!({"text": description(rule_type)}));
                if !message.metadata.is_empty() {
                    rule.insert("properties".into(), gojson::sorted(&Value::Object(message.metadata.clone())));
                }
                rules.push(Value::Object(rule));
                rules.len() - 1
            }
        };
        let mut physical = Map::new();
        match &message.location {
            Some(location) => {
                let uri = location.get("file").and_then(Value::as_str).unwrap_or("").replace('\\', "/");
                let line = match location.get("line") {
                    Some(Value::String(line)) => line.parse::<i64>().unwrap_or(0),
                    Some(line) => line.as_i64().unwrap_or(0),
                    None => 0,
                };
                physical.insert("artifactLocation".into(), json!({"uri": uri}));
                physical.insert("region".into(), json!({"startLine": line, "endLine": line}));
            }
            None => {
                physical.insert("artifactLocation".into(), json!({"uri": file.replace('\\', "/")}));
            }
        }
        found.push(json!({
            "ruleId": id,
            "ruleIndex": index,
            "level": level,
            "message": {"text": message.message},
            "locations": [{"physicalLocation": Value::Object(physical)}],
        }));
    };
    for result in results {
        let (namespace, file) = (result.namespace.as_str(), result.filename.as_str());
        for failure in &result.failures {
            add(failure, namespace, "deny", "error", file);
        }
        for warning in &result.warnings {
            add(warning, namespace, "warn", "warning", file);
        }
        for exception in &result.exceptions {
            add(exception, namespace, "allow", "note", file);
        }
        if !result.failures.is_empty() || !result.warnings.is_empty() {
            continue;
        }
        let (rule_type, text) = match result.successes > 0 || !result.exceptions.is_empty() {
            true => ("success", SUCCESS),
            false => ("skip", SKIPPED),
        };
        let mut status = CheckMessage::text(text);
        status.metadata.insert("description".into(), Value::from(text));
        add(&status, namespace, rule_type, "none", file);
    }
    let failed = results.iter().any(|result| !result.failures.is_empty());
    let warned = results.iter().any(|result| !result.warnings.is_empty());
    let exit_description = match (failed, warned) {
        (true, _) => "Policy violations found",
        (false, true) => "Policy warnings found",
        (false, false) => "No policy violations found",
    };
    let report = json!({
        "version": "2.1.0",
        "$schema": "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json",
        "runs": [{
            "tool": {"driver": {
                "informationUri": "https://github.com/open-policy-agent/conftest",
                "name": "conftest",
                "rules": rules,
                "version": options.version,
            }},
            "invocations": [{
                "executionSuccessful": true,
                "exitCode": i32::from(failed),
                "exitCodeDescription": exit_description,
            }],
            "results": found,
        }],
    });
    let mut text = gojson::encode(&report, "  ");
    text.push('\n');
    text
}
