//! The human report: notes first, then each finding as a code frame at its line (miette) with
//! the other places it concerns ("also at …"), then the problems, then a one-line summary.
//! Colour only when asked for (the caller knows whether it is a terminal).
//!
//! Frames are drawn from the excerpts the report carries (the masked lines around each finding
//! and problem), never from the files: a saved report draws exactly what the scan drew.

use std::fmt::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};

use super::{Excerpt, Problem, ReportData, ReportedFinding};
use crate::document::{LineIndex, Position};
use crate::finding::Severity;

/// Some lines of a file, for miette: spans are offsets into the excerpt, line numbers the
/// file's.
struct ExcerptSource {
    name: String,
    text: String,
    /// Lines of the file before the excerpt.
    lines_before: usize,
}

impl ExcerptSource {
    fn new(path: &str, excerpt: &Excerpt) -> ExcerptSource {
        ExcerptSource {
            name: path.to_owned(),
            text: excerpt.text.clone(),
            lines_before: excerpt.line.saturating_sub(1) as usize,
        }
    }
}

impl SourceCode for ExcerptSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.lines_before,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// Something to draw as a code frame: a message, a severity, and a labelled span of an excerpt.
struct Frame {
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<ExcerptSource>,
    /// Offsets into the excerpt, and the label.
    label: Option<(usize, usize, String)>,
}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Frame").field("message", &self.message).finish()
    }
}

impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Frame {}

impl miette::Diagnostic for Frame {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (start, end, label) = self.label.as_ref()?;
        let label = LabeledSpan::new(Some(label.clone()), *start, end.saturating_sub(*start));
        Some(Box::new(std::iter::once(label)))
    }
}

/// A finding's frame: its label on the finding's first line (a whole block would drown the
/// message), when the report has the lines.
fn finding_frame(finding: &ReportedFinding) -> Option<Frame> {
    let excerpt = finding.source.as_ref()?;
    let lines = LineIndex::new(&excerpt.text);
    let start = excerpt.offset(&lines, Position { line: finding.line, column: finding.column })?;
    let line_end =
        excerpt.text.get(start..).and_then(|rest| rest.find('\n')).map_or(excerpt.text.len(), |at| start + at);
    let end = match finding.end_line == finding.line {
        true => {
            excerpt.offset(&lines, Position { line: finding.end_line, column: finding.end_column }).unwrap_or(line_end)
        }
        false => line_end,
    };
    let end = end.min(line_end).max(start);
    Some(Frame {
        message: format!("{} [{}] {}", finding.rule, finding.severity, finding.message),
        severity: match finding.severity {
            Severity::Critical | Severity::High => miette::Severity::Error,
            Severity::Medium | Severity::Low => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        },
        help: None,
        source: Some(ExcerptSource::new(&finding.path, excerpt)),
        label: Some((start, end, finding.resource.clone())),
    })
}

/// A problem's frame, labelled `here` at its span when the report has its lines.
fn problem_frame(problem: &Problem) -> Frame {
    let located = problem.source.as_ref().and_then(|excerpt| {
        let lines = LineIndex::new(&excerpt.text);
        let at =
            |line: Option<u32>, column: Option<u32>| excerpt.offset(&lines, Position { line: line?, column: column? });
        let start = at(problem.line, problem.column)?;
        let end = at(problem.end_line, problem.end_column).unwrap_or(start).max(start);
        Some((ExcerptSource::new(&problem.path, excerpt), (start, end, "here".to_owned())))
    });
    let (source, label) = located.map_or((None, None), |(source, label)| (Some(source), Some(label)));
    Frame { message: problem.to_string(), severity: miette::Severity::Error, help: problem.help.clone(), source, label }
}

/// Renders the report.
pub fn render(report: &ReportData, color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    for note in &report.notes {
        let _ = writeln!(out, "note: {note}");
    }
    for finding in &report.findings {
        let rendered = finding_frame(finding).and_then(|frame| {
            let mut text = String::new();
            handler.render_report(&mut text, &frame).ok().map(|()| text)
        });
        match rendered {
            Some(text) => out.push_str(&text),
            None => {
                let _ = writeln!(
                    out,
                    "{}: {} [{}] {}",
                    finding.location(),
                    finding.rule,
                    finding.severity,
                    finding.message
                );
            }
        }
        if !finding.environments.is_empty() {
            // One finding for what several overlays render from the same line.
            let _ = writeln!(out, "  in environments: {}", finding.environments.join(", "));
        }
        for related in &finding.related {
            related.write_also_at(&mut out);
        }
    }
    for problem in &report.errors {
        let frame = problem_frame(problem);
        let mut text = String::new();
        if handler.render_report(&mut text, &frame).is_err() {
            text = problem.to_string();
        }
        out.push_str(&text);
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

/// `7 findings (1 high, 4 medium, 2 low) in 4 files, 3 resources, 115 rules (62 evaluations);
/// 12 suppressed (11 inline, 1 waiver); 3 files not judged (see the notes)`.
pub fn summary_line(report: &ReportData) -> String {
    let summary = &report.summary;
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .map(|severity| (severity, summary.by_severity.get(*severity)))
        .filter(|(_, count)| *count > 0)
        .map(|(severity, count)| format!("{count} {severity}"))
        .collect();
    let mut out = format!(
        "{}{} in {}, {}, {} ({})",
        count(report.findings.len(), "finding"),
        if by_severity.is_empty() { String::new() } else { format!(" ({})", by_severity.join(", ")) },
        count(summary.files, "file"),
        count(summary.resources, "resource"),
        count(summary.rules, "rule"),
        count(summary.evaluations, "evaluation"),
    );
    if !report.suppressed.is_empty() {
        let by = summary.by_suppression;
        let kinds: Vec<String> = [("baseline", by.baseline), ("inline", by.inline), ("waiver", by.waiver)]
            .into_iter()
            .filter(|(_, count)| *count > 0)
            .map(|(kind, count)| format!("{count} {kind}"))
            .collect();
        let _ = write!(out, "; {} suppressed ({})", report.suppressed.len(), kinds.join(", "));
    }
    if summary.not_judged > 0 {
        let _ = write!(out, "; {} not judged (see the notes)", count(summary.not_judged, "file"));
    }
    let calls = summary.module_calls;
    if !calls.is_empty() {
        let how: Vec<String> = [("local", calls.local), ("downloaded", calls.cached), ("registry", calls.registry)]
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect();
        if calls.judged() > 0 {
            let _ = write!(out, "; {} judged ({})", count(calls.judged(), "module call"), how.join(", "));
            if calls.not_judged > 0 {
                let _ = write!(out, ", {} not judged", calls.not_judged);
            }
        } else {
            let _ = write!(out, "; {} not judged", count(calls.not_judged, "module call"));
        }
    }
    if !report.errors.is_empty() {
        let _ = write!(out, "; {} made this run untrustworthy", count(report.errors.len(), "error"));
    }
    out
}

/// `1 file`, `2 files`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
