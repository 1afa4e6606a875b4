//! Policies: what a rule is ([`RuleMetadata`]: id, title, severity, kinds, scope, and the
//! documentation written once for `ward explain`, the language server and SARIF), and loading
//! rules in both languages — Rego modules ([`rego`]) and CEL rule files ([`cel`]), loose or in
//! versioned [`pack`]s — with every problem reported at its file, line and column.

pub mod cel;
pub mod explain;
pub mod metadata;
pub mod pack;
pub mod rego;
pub mod rego_error;

use std::collections::HashMap;
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

    /// Compiles loose policy files and packs together: one engine, rule ids unique across all
    /// of them, each pack's rules labelled with its `name@version`.
    pub fn assemble(loose: &[(String, String)], packs: &[pack::Pack]) -> (Policies, Vec<PolicyError>) {
        let mut files = loose.to_vec();
        let mut labels: HashMap<String, String> = HashMap::new();
        let mut errors = Vec::new();
        for pack in packs {
            let (sources, pack_errors) = pack.policy_files();
            errors.extend(pack_errors);
            for (path, _) in &sources {
                labels.insert(path.clone(), pack.manifest.label());
            }
            files.extend(sources);
        }
        let (mut policies, compile_errors) = Policies::compile(&files);
        errors.extend(compile_errors);
        let label = |path: &str| labels.get(path).cloned();
        for rule in &mut policies.rego.rules {
            rule.metadata.pack = label(&rule.path);
        }
        for rule in &mut policies.cel.rules {
            rule.metadata.pack = label(&rule.path);
        }
        errors.extend(policies.remove_duplicate_ids());
        sort_errors(&mut errors);
        (policies, errors)
    }

    /// Every rule's metadata and file, Rego first, in the order they were given.
    pub fn rules(&self) -> impl Iterator<Item = (&RuleMetadata, &str)> {
        let rego = self.rego.rules.iter().map(|rule| (&rule.metadata, rule.path.as_str()));
        rego.chain(self.cel.rules.iter().map(|rule| (&rule.metadata, rule.path.as_str())))
    }

    /// Keeps the first rule of each id (in path order) and reports the others: findings,
    /// suppressions and `ward explain` name rules by id, so an id must mean one rule.
    fn remove_duplicate_ids(&mut self) -> Vec<PolicyError> {
        let mut first: HashMap<String, String> = HashMap::new();
        // conftest policies are named after their files, which may repeat across directories.
        let rego =
            self.rego.rules.iter().filter(|rule| !rule.conftest).map(|rule| (&rule.metadata, rule.path.as_str()));
        let cel = self.cel.rules.iter().map(|rule| (&rule.metadata, rule.path.as_str()));
        let mut all: Vec<(&str, &str)> = rego.chain(cel).map(|(metadata, path)| (path, metadata.id.as_str())).collect();
        all.sort();
        let mut errors = Vec::new();
        let mut dropped: Vec<String> = Vec::new();
        for (path, id) in all {
            match first.get(id) {
                Some(kept) => {
                    errors.push(PolicyError {
                        path: path.to_owned(),
                        position: Position { line: 1, column: 1 },
                        message: format!("rule id {id} is already used by {kept}; this rule is not loaded"),
                    });
                    dropped.push(path.to_owned());
                }
                None => {
                    first.insert(id.to_owned(), path.to_owned());
                }
            }
        }
        self.rego.rules.retain(|rule| rule.conftest || !dropped.contains(&rule.path));
        self.cel.rules.retain(|rule| !dropped.contains(&rule.path));
        errors
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

/// Loads the policies under `paths` (files or directories, relative to `base`): a directory
/// with a `pack.toml` is a [`pack::Pack`]; otherwise its `*.rego` modules and `*.cel.yaml` rule
/// files are loose policies. Every problem is a [`PolicyError`]; the policies that load are
/// still returned.
pub fn load(paths: &[PathBuf], base: &Path) -> Loaded {
    let mut errors = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut packs = Vec::new();
    for path in paths {
        let absolute = base.join(path);
        let shown = path.to_string_lossy().replace('\\', "/");
        if absolute.is_file() {
            files.push(absolute);
        } else if absolute.join("pack.toml").is_file() {
            match pack::Pack::read_dir(&absolute, shown.trim_end_matches('/')) {
                Ok(pack) => packs.push(pack),
                Err(error) => errors.push(error),
            }
        } else if absolute.is_dir() {
            for entry in ignore::WalkBuilder::new(&absolute).hidden(false).build().flatten() {
                if entry.file_type().is_some_and(|t| t.is_file()) {
                    files.push(entry.into_path());
                }
            }
        } else {
            errors.push(PolicyError {
                path: shown,
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
    let (policies, compile_errors) = Policies::assemble(&sources, &packs);
    errors.extend(compile_errors);
    sort_errors(&mut errors);
    Loaded { policies, packs, errors }
}

/// The built-in packs, compiled: what `ward scan` runs when it is given no policies.
///
/// ```
/// let loaded = ward_engine::policy::load_builtin();
/// assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
/// assert!(loaded.policies.rules().all(|(rule, _)| rule.pack.is_some()));
/// ```
pub fn load_builtin() -> Loaded {
    let (packs, mut errors) = pack::builtin();
    let (policies, compile_errors) = Policies::assemble(&[], &packs);
    errors.extend(compile_errors);
    sort_errors(&mut errors);
    Loaded { policies, packs, errors }
}

/// Policies as loaded for a run: compiled, the packs they came from (for their documentation
/// and fixtures), and every problem met on the way.
pub struct Loaded {
    pub policies: Policies,
    pub packs: Vec<pack::Pack>,
    pub errors: Vec<PolicyError>,
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
    /// The pack the rule belongs to, as `name@version`; `None` for a loose policy file.
    pub pack: Option<String>,
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
