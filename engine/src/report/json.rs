//! The JSON report: findings with their locations and fingerprints, every problem, and a
//! summary — stable key and element order, validated against `schemas/report.schema.json`.

use serde_json::{json, Value};

use super::Report;

/// The report as JSON.
pub fn render(report: &Report) -> Value {
    let by_severity: serde_json::Map<String, Value> = report
        .counts_by_severity()
        .into_iter()
        .rev()
        .map(|(severity, count)| (severity.name().to_owned(), json!(count)))
        .collect();
    let findings: Vec<Value> = report
        .evaluation
        .findings
        .iter()
        .map(|finding| {
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
        })
        .collect();
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
            "files": report.graph.documents.len(),
            "resources": report.graph.resources.len(),
            "rules": report.rules,
            "evaluations": report.evaluation.evaluations,
            "findings": report.evaluation.findings.len(),
            "by_severity": by_severity,
            "errors": errors.len(),
        },
        "findings": findings,
        "errors": errors,
    })
}
