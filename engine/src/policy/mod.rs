//! Policies: what a rule is ([`RuleMetadata`]: id, title, severity, kinds, scope, and the
//! documentation written once for `ward explain`, the language server and SARIF), and loading
//! rules in both languages — Rego modules ([`rego`]) and CEL rule files ([`cel`]) — with every
//! problem reported at its file, line and column.

pub mod cel;
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
    pub cel: cel::CelPolicies,
}

impl Policies {
    /// How many rules there are, of every language.
    pub fn rule_count(&self) -> usize {
        self.rego.rules.len() + self.cel.rules.len()
    }

    /// Compiles policy files given as `(path, text)`: `*.rego` modules and `*.cel.yaml` rule
    /// files; other files are ignored. Every problem is a [`PolicyError`]; the policies that
    /// load are still returned.
    ///
    /// ```
    /// use ward_engine::policy::Policies;
    /// let cel = "id: T-1\nseverity: low\nkinds: [dockerfile]\nvalidations:\n  - expression: object.stages.size() > 0\n";
    /// let (policies, errors) = Policies::compile(&[("rules/t.cel.yaml".into(), cel.into())]);
    /// assert!(errors.is_empty());
    /// assert_eq!(policies.rule_count(), 1);
    /// ```
    pub fn compile(files: &[(String, String)]) -> (Policies, Vec<PolicyError>) {
        let (rego_files, cel_files): (Vec<_>, Vec<_>) = files
            .iter()
            .filter(|(path, _)| language_of(path).is_some())
            .cloned()
            .partition(|(path, _)| language_of(path) == Some(Language::Rego));
        let (rego, mut errors) = rego::RegoPolicies::load(&rego_files);
        let (cel, cel_errors) = cel::CelPolicies::load(&cel_files);
        errors.extend(cel_errors);
        sort_errors(&mut errors);
        (Policies { rego, cel }, errors)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    Rego,
    Cel,
}

/// The policy language of a file, by its name; `None` for files that are not policies.
fn language_of(path: &str) -> Option<Language> {
    if path.ends_with(".rego") {
        Some(Language::Rego)
    } else if path.ends_with(".cel.yaml") || path.ends_with(".cel.yml") {
        Some(Language::Cel)
    } else {
        None
    }
}

/// Loads the policies under `paths` (files or directories, relative to `base`): `*.rego`
/// modules and `*.cel.yaml` rule files. Every problem is a [`PolicyError`]; the policies that
/// load are still returned.
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
    let mut sources = Vec::new();
    for file in files {
        let path = relative_path(base, &file);
        if language_of(&path).is_none() {
            continue;
        }
        match std::fs::read_to_string(&file) {
            Ok(text) => sources.push((path, text)),
            Err(error) => errors.push(PolicyError {
                path,
                position: Position { line: 1, column: 1 },
                message: format!("cannot be read: {error}"),
            }),
        }
    }
    let (policies, compile_errors) = Policies::compile(&sources);
    errors.extend(compile_errors);
    sort_errors(&mut errors);
    (policies, errors)
}

/// Errors in file order, whichever language reported them.
fn sort_errors(errors: &mut [PolicyError]) {
    errors.sort_by(|a, b| {
        (&a.path, a.position.line, a.position.column).cmp(&(&b.path, b.position.line, b.position.column))
    });
}

/// A path into a value as a rule writes it — a list of keys and indices
/// (`["spec", "containers", 0]`) or keys separated by dots (`"spec.replicas"`) — as tokens.
/// `None` for anything else.
///
/// ```
/// use ward_engine::policy::path_tokens;
/// assert_eq!(path_tokens(&serde_json::json!(["spec", "containers", 1])), Some(vec!["spec".into(), "containers".into(), "1".into()]));
/// assert_eq!(path_tokens(&serde_json::json!("spec.replicas")), Some(vec!["spec".into(), "replicas".into()]));
/// assert_eq!(path_tokens(&serde_json::json!({"a": 1})), None);
/// ```
pub fn path_tokens(path: &serde_json::Value) -> Option<Vec<String>> {
    use serde_json::Value;
    match path {
        Value::Array(parts) => Some(
            parts
                .iter()
                .map(|part| match part {
                    Value::String(key) => key.clone(),
                    other => other.to_string(),
                })
                .collect(),
        ),
        Value::String(dotted) if dotted.is_empty() => Some(Vec::new()),
        Value::String(dotted) => Some(dotted.split('.').map(str::to_owned).collect()),
        _ => None,
    }
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
