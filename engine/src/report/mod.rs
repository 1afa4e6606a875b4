//! Turning an evaluation into what people and machines read: [`human`] (code frames at each
//! finding) and [`json`] (the shape `schemas/report.schema.json` gives). Reports are built as
//! strings; where they go is the caller's business.

pub mod human;
pub mod json;

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Level};
use crate::eval::Evaluation;
use crate::finding::{Finding, Severity};
use crate::graph::Graph;
use crate::secrets::redact::Redactor;
use crate::suppress::Suppressed;

/// Everything a report shows: the findings, the suppressed ones, the problems, and what was
/// looked at.
pub struct Report<'a> {
    pub graph: &'a Graph,
    /// Files read that are not documents of the graph (`(path, text)`, for the secret scanner).
    pub texts: &'a [(String, String)],
    pub evaluation: &'a Evaluation,
    /// Findings kept out by an inline comment, the baseline or a waiver: counted, never hidden.
    pub suppressed: &'a [Suppressed],
    /// Problems reading inputs or policies.
    pub diagnostics: &'a [Diagnostic],
    pub rules: usize,
    /// Every secret found: taken out of any source text a report shows.
    pub redactor: &'a Redactor,
}

impl Report<'_> {
    /// How many files were read.
    pub fn files(&self) -> usize {
        self.graph.documents.len() + self.texts.len()
    }

    /// The text of the file at `path`, with every detected secret masked.
    pub fn masked_text(&self, path: &str) -> Option<String> {
        let document = self.graph.documents.iter().find(|d| d.path == path).map(|d| d.text.as_str());
        let text = document.or_else(|| self.texts.iter().find(|(known, _)| known == path).map(|(_, t)| t.as_str()))?;
        Some(self.redactor.mask_text(text))
    }

    /// Suppressed findings per kind of suppression (`inline`, `baseline`, `waiver`).
    pub fn suppressed_by_kind(&self) -> BTreeMap<&'static str, usize> {
        let mut counts: BTreeMap<&'static str, usize> = ["inline", "baseline", "waiver"].map(|k| (k, 0)).into();
        for suppressed in self.suppressed {
            *counts.entry(suppressed.by.kind()).or_insert(0) += 1;
        }
        counts
    }

    pub fn counts_by_severity(&self) -> BTreeMap<Severity, usize> {
        let mut counts: BTreeMap<Severity, usize> = Severity::ALL.iter().map(|s| (*s, 0)).collect();
        for finding in &self.evaluation.findings {
            *counts.entry(finding.severity).or_insert(0) += 1;
        }
        counts
    }

    /// Input, policy and evaluation problems that make the run untrustworthy.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().chain(&self.evaluation.errors).filter(|d| d.level == Level::Error)
    }

    pub fn findings_at_or_above(&self, threshold: Severity) -> impl Iterator<Item = &Finding> {
        self.evaluation.findings.iter().filter(move |finding| finding.severity >= threshold)
    }
}
