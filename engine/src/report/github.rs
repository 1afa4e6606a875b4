//! GitHub Actions workflow commands: each finding an annotation at its file and line —
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`, `error` for critical
//! and high, `warning` for medium, `notice` for low and info — each problem an `error`, each
//! note a `notice`, and the summary (suppressions counted) a last `notice`.
//!
//! Values are escaped as the runner expects: `%`, `\r` and `\n` in the message, and also `:`
//! and `,` in properties.

use std::fmt::Write;

use super::{human, Problem, ReportData, ReportedFinding};
use crate::finding::Severity;

/// Renders the report.
pub fn render(report: &ReportData) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        out.push_str(&finding_command(report, finding));
    }
    for problem in &report.errors {
        out.push_str(&problem_command("error", "ward: the run cannot be trusted", problem));
    }
    for note in &report.notes {
        out.push_str(&problem_command("notice", "ward: not read", note));
    }
    let _ = writeln!(out, "::notice title={}::{}", property("ward"), data(&human::summary_line(report)));
    out
}

fn finding_command(report: &ReportData, finding: &ReportedFinding) -> String {
    let command = match finding.severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    };
    let title = match report.rule(&finding.rule) {
        Some(rule) if rule.title != rule.id => format!("{}: {}", finding.rule, rule.title),
        _ => finding.rule.clone(),
    };
    let mut properties = vec![
        ("file", finding.path.clone()),
        ("line", finding.line.to_string()),
        ("col", finding.column.to_string()),
        ("endLine", finding.end_line.to_string()),
    ];
    // A column range means something only within one line.
    if finding.end_line == finding.line {
        properties.push(("endColumn", finding.end_column.to_string()));
    }
    properties.push(("title", title));
    let mut message = format!("[{}] {}", finding.severity, finding.message);
    for related in &finding.related {
        let _ = write!(message, "\nalso at {}:{}:{}", related.path, related.line, related.column);
        if let Some(note) = &related.message {
            let _ = write!(message, ": {note}");
        }
    }
    format!("::{command} {}::{}\n", properties_text(&properties), data(&message))
}

fn problem_command(command: &str, title: &str, problem: &Problem) -> String {
    let mut properties = Vec::new();
    if !problem.path.is_empty() {
        properties.push(("file", problem.path.clone()));
    }
    if let Some(line) = problem.line {
        properties.push(("line", line.to_string()));
    }
    if let Some(column) = problem.column {
        properties.push(("col", column.to_string()));
    }
    properties.push(("title", title.to_owned()));
    let mut message = problem.message.clone();
    if let Some(help) = &problem.help {
        let _ = write!(message, "\nhelp: {help}");
    }
    format!("::{command} {}::{}\n", properties_text(&properties), data(&message))
}

fn properties_text(properties: &[(&str, String)]) -> String {
    properties.iter().map(|(key, value)| format!("{key}={}", property(value))).collect::<Vec<_>>().join(",")
}

/// A command's message, escaped.
pub fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A command's property value, escaped.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `data`.
    #[test]
    fn data_example() {
        use crate::report::github::data;
        assert_eq!(data("100% sure\r\nnext: a, b"), "100%25 sure%0D%0Anext: a, b");
    }

    /// The example from the documentation of `property`.
    #[test]
    fn property_example() {
        use crate::report::github::property;
        assert_eq!(property("K8S-001: a, b\n100%"), "K8S-001%3A a%2C b%0A100%25");
    }
}
