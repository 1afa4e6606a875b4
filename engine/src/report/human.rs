//! The human report: each finding as a code frame at its line (miette), then problems, then a
//! one-line summary. Colour only when asked for (the caller knows whether it is a terminal).

use std::fmt::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use super::Report;
use crate::document::LineIndex;
use crate::finding::{Finding, Severity};

/// A finding with its file's text, for miette to draw.
struct Frame<'a> {
    finding: &'a Finding,
    source: NamedSource<String>,
    span: (usize, usize),
}

impl fmt::Debug for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Frame").field("finding", &self.finding.rule_id).finish()
    }
}

impl fmt::Display for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}] {}", self.finding.rule_id, self.finding.severity, self.finding.message)
    }
}

impl std::error::Error for Frame<'_> {}

impl miette::Diagnostic for Frame<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Critical | Severity::High => miette::Severity::Error,
            Severity::Medium | Severity::Low => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (start, end) = self.span;
        let label = LabeledSpan::new(Some(self.finding.resource.clone()), start, end.saturating_sub(start));
        Some(Box::new(std::iter::once(label)))
    }
}

/// Renders the report.
pub fn render(report: &Report, color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    // Each file masked and indexed once, however many findings it has.
    let mut sources: std::collections::HashMap<&str, Option<(String, LineIndex)>> = std::collections::HashMap::new();
    for finding in &report.evaluation.findings {
        let source = sources.entry(finding.location.path.as_str()).or_insert_with(|| {
            report.masked_text(&finding.location.path).map(|source| {
                let lines = LineIndex::new(&source);
                (source, lines)
            })
        });
        // Masked: a frame shows the lines around the finding, and a secret may be among them.
        let rendered = source.as_ref().and_then(|(source, lines)| {
            let source = source.clone();
            let start = lines.offset(&source, finding.location.start);
            // One line is enough to point at; a whole block would drown the message.
            let line_end = source.get(start..).and_then(|rest| rest.find('\n')).map_or(source.len(), |at| start + at);
            let end = lines.offset(&source, finding.location.end).min(line_end).max(start);
            let frame = Frame { finding, source: NamedSource::new(&finding.location.path, source), span: (start, end) };
            let mut text = String::new();
            handler.render_report(&mut text, &frame).ok().map(|()| text)
        });
        match rendered {
            Some(text) => out.push_str(&text),
            None => {
                let _ = writeln!(
                    out,
                    "{}:{}:{}: {} [{}] {}",
                    finding.location.path,
                    finding.location.start.line,
                    finding.location.start.column,
                    finding.rule_id,
                    finding.severity,
                    finding.message
                );
            }
        }
    }
    for error in report.errors() {
        let mut text = String::new();
        if handler.render_report(&mut text, error).is_err() {
            text = error.to_string();
        }
        out.push_str(&text);
    }
    let counts = report.counts_by_severity();
    let by_severity: Vec<String> = counts
        .iter()
        .rev()
        .filter(|(_, count)| **count > 0)
        .map(|(severity, count)| format!("{count} {severity}"))
        .collect();
    let findings = report.evaluation.findings.len();
    let _ = write!(
        out,
        "{}{} in {}, {}, {} ({})",
        count(findings, "finding"),
        if by_severity.is_empty() { String::new() } else { format!(" ({})", by_severity.join(", ")) },
        count(report.files(), "file"),
        count(report.graph.resources.len(), "resource"),
        count(report.rules, "rule"),
        count(report.evaluation.evaluations, "evaluation"),
    );
    if !report.suppressed.is_empty() {
        let kinds: Vec<String> = report
            .suppressed_by_kind()
            .into_iter()
            .filter(|(_, count)| *count > 0)
            .map(|(kind, count)| format!("{count} {kind}"))
            .collect();
        let _ = write!(out, "; {} suppressed ({})", report.suppressed.len(), kinds.join(", "));
    }
    let errors = report.errors().count();
    if errors > 0 {
        let _ = write!(out, "; {} made this run untrustworthy", count(errors, "error"));
    }
    out.push('\n');
    out
}

/// `1 file`, `2 files`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
