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

/// Everything a report shows: the findings, the problems, and what was looked at.
pub struct Report<'a> {
    pub graph: &'a Graph,
    pub evaluation: &'a Evaluation,
    /// Problems reading inputs or policies.
    pub diagnostics: &'a [Diagnostic],
    pub rules: usize,
}

impl Report<'_> {
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
