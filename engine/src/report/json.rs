//! The JSON report: findings with their locations and fingerprints, every problem, and a
//! summary — stable key and element order, validated against `schemas/report.schema.json`.

use serde_json::{json, Value};

use super::Report;
use crate::finding::Finding;
use crate::suppress::Suppression;

/// The report as JSON.
pub fn render(report: &Report) -> Value {
    let by_severity: serde_json::Map<String, Value> = report
        .counts_by_severity()
        .into_iter()
        .rev()
        .map(|(severity, count)| (severity.name().to_owned(), json!(count)))
        .collect();
    let findings: Vec<Value> = report.evaluation.findings.iter().map(finding_json).collect();
    let suppressed: Vec<Value> = report
        .suppressed
        .iter()
        .map(|suppressed| {
            let mut by = serde_json::Map::new();
            by.insert("kind".into(), json!(suppressed.by.kind()));
            by.insert("reason".into(), json!(suppressed.by.reason()));
            match &suppressed.by {
                Suppression::Inline { line, .. } => {
                    by.insert("line".into(), json!(line));
                }
                Suppression::Waiver { expires, position, .. } => {
                    by.insert("expires".into(), json!(expires.to_string()));
                    by.insert("line".into(), json!(position.line));
                }
                Suppression::Baseline => {}
            }
            let mut entry = finding_json(&suppressed.finding);
            if let Value::Object(members) = &mut entry {
                members.insert("suppression".into(), Value::Object(by));
            }
            entry
        })
        .collect();
    let by_suppression: serde_json::Map<String, Value> =
        report.suppressed_by_kind().into_iter().map(|(kind, count)| (kind.to_owned(), json!(count))).collect();
    let errors: Vec<Value> = report
        .errors()
        .map(|diagnostic| {
            json!({
                "path": diagnostic.path,
                "line": diagnostic.position.map(|p| p.line),
                "column": diagnostic.position.map(|p| p.column),
                "message": diagnostic.message,
            })
        })
        .collect();
    json!({
        "version": 1,
        "summary": {
            "files": report.files(),
            "resources": report.graph.resources.len(),
            "rules": report.rules,
            "evaluations": report.evaluation.evaluations,
            "findings": report.evaluation.findings.len(),
            "by_severity": by_severity,
            "errors": errors.len(),
            "suppressed": suppressed.len(),
            "by_suppression": by_suppression,
        },
        "findings": findings,
        "suppressed": suppressed,
        "errors": errors,
    })
}

fn finding_json(finding: &Finding) -> Value {
    json!({
        "rule": finding.rule_id,
        "severity": finding.severity.name(),
        "message": finding.message,
        "path": finding.location.path,
        "line": finding.location.start.line,
        "column": finding.location.start.column,
        "end_line": finding.location.end.line,
        "end_column": finding.location.end.column,
        "resource": finding.resource,
        "pointer": finding.pointer,
        "pack": finding.pack,
        "fingerprint": finding.fingerprint,
    })
}
