//! Policies: what a rule is ([`RuleMetadata`]: id, title, severity, kinds, scope, and the
//! documentation written once for `ward explain`, the language server and SARIF), and reading it
//! from Rego `# METADATA` blocks, with every problem reported at its file, line and column.

pub mod metadata;
pub mod rego_error;

use serde::Serialize;

use crate::document::{DocumentKind, Position};
use crate::finding::Severity;

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleScope {
    /// Each resource of the rule's kinds, one at a time (the default).
    Resource,
    /// The whole graph at once; each result names its resource.
    Graph,
}

/// Everything known about a rule before it runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleMetadata {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// The kinds of resource the rule applies to; empty for every kind.
    pub kinds: Vec<DocumentKind>,
    pub scope: RuleScope,
    pub description: String,
    pub remediation: String,
    pub references: Vec<String>,
}

/// A policy that cannot be used, and where: the run cannot be trusted (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{}:{}: {message}", position.line, position.column)]
pub struct PolicyError {
    pub path: String,
    pub position: Position,
    pub message: String,
}
