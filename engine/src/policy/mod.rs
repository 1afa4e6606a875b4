//! Policies: what a rule is ([`RuleMetadata`]: id, title, severity, kinds, scope, and the
//! documentation written once for `ward explain`, the language server and SARIF), and reading it
//! from Rego `# METADATA` blocks, with every problem reported at its file, line and column.

pub mod metadata;
pub mod rego;
pub mod rego_error;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::document::{DocumentKind, Position};
use crate::finding::Severity;
use crate::source::relative_path;

/// Every policy of a run, compiled.
#[derive(Clone)]
pub struct Policies {
    pub rego: rego::RegoPolicies,
}

impl Policies {
    /// How many rules there are, of every language.
    pub fn rule_count(&self) -> usize {
        self.rego.rules.len()
    }
}

/// Loads the policies under `paths` (files or directories, relative to `base`): `*.rego`
/// modules. Every problem is a [`PolicyError`]; the policies that load are still returned.
pub fn load(paths: &[PathBuf], base: &Path) -> (Policies, Vec<PolicyError>) {
    let mut errors = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for path in paths {
        let absolute = base.join(path);
        if absolute.is_file() {
            files.push(absolute);
        } else if absolute.is_dir() {
            for entry in ignore::WalkBuilder::new(&absolute).hidden(false).build().flatten() {
                if entry.file_type().is_some_and(|t| t.is_file()) {
                    files.push(entry.into_path());
                }
            }
        } else {
            errors.push(PolicyError {
                path: path.to_string_lossy().replace('\\', "/"),
                position: Position { line: 1, column: 1 },
                message: "no such policy file or directory".into(),
            });
        }
    }
    files.sort();
    files.dedup();
    let mut rego_modules = Vec::new();
    for file in files {
        let path = relative_path(base, &file);
        if !path.ends_with(".rego") {
            continue;
        }
        match std::fs::read_to_string(&file) {
            Ok(text) => rego_modules.push((path, text)),
            Err(error) => errors.push(PolicyError {
                path,
                position: Position { line: 1, column: 1 },
                message: format!("cannot be read: {error}"),
            }),
        }
    }
    let (rego, rego_errors) = rego::RegoPolicies::load(&rego_modules);
    errors.extend(rego_errors);
    (Policies { rego }, errors)
}

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

/// One result a rule produced, before ward turns it into a [`Finding`](crate::finding::Finding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleResult {
    pub message: String,
    /// Path into the resource's value, as keys and indices (`["spec", "containers", "0"]`);
    /// empty for the resource as a whole.
    pub path: Vec<String>,
    /// For graph rules: the id of the resource the result is about.
    pub resource: Option<String>,
    /// `deny` results carry the rule's severity; `warn` results are reported as `low` at most.
    pub level: ResultLevel,
}

/// Whether a result came from a rule's `deny` (or `violation`) or from its `warn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ResultLevel {
    Deny,
    Warn,
}

/// A policy that cannot be used, and where: the run cannot be trusted (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{}:{}: {message}", position.line, position.column)]
pub struct PolicyError {
    pub path: String,
    pub position: Position,
    pub message: String,
}
