//! Policies: what a rule is ([`RuleMetadata`]: id, title, severity, kinds, scope, and the
//! documentation written once for `ward explain`, the language server and SARIF), and loading
//! rules in both languages — Rego modules ([`rego`]) and CEL rule files ([`cel`]), loose or in
//! versioned [`pack`]s — with every problem reported at its file, line and column.

mod builtin_documents;
pub(crate) mod cel;
pub(crate) mod conftest_class;
pub(crate) mod explain;
pub(crate) mod metadata;
pub(crate) mod metadata_block;
pub(crate) mod pack;
pub(crate) mod rego;
pub(crate) mod rego_calls;
pub(crate) mod rego_error;
pub(crate) mod rule_error;
pub(crate) mod secret_rule;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::config::{Config, PackSource};
use crate::diagnostic::{attach_sources, Diagnostic};
use crate::document::{DocumentKind, Position};
use crate::finding::Severity;
use crate::policy::rule_error::RelatedError;
use crate::source::relative_path;
use secret_rule::SecretRule;

/// How much of a policy file is checked as it loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    /// Everything: the schema, every regex's syntax. For whatever is read from disk.
    Full,
    /// The built-in packs are part of the binary, and ward's own tests run every check on them
    /// (`every_built_in_pack_passes_every_load_check`): a start does not check them again. For
    /// the pre-commit hook, compiling the schemas and parsing the regexes of the built-in rules
    /// was a third of its run.
    Builtin,
}

/// Every policy of a run, compiled.
#[derive(Clone)]
pub struct Policies {
    /// The compiled Rego rules.
    pub rego: rego::RegoPolicies,
    /// The compiled CEL rules.
    pub cel: cel::CelPolicies,
    /// Secret rules (`*.secret.yaml`): data for the secret scanner, not evaluated over the graph.
    pub secrets: Vec<SecretRule>,
    /// The distinct `params` rules see, by index (each rule's `params`); the first is `{}`.
    pub params: Vec<serde_json::Value>,
    /// The text of every policy file compiled, by path: a rule that fails at a place in its
    /// file while it runs gets its code frame from here, without the file being read again
    /// (the built-in packs' files cannot be: they live in the binary).
    pub texts: Arc<BTreeMap<String, String>>,
    /// Rules known by their metadata, not compiled yet: they run only on their `kinds`, and
    /// are compiled when a scan has resources of one ([`Policies::compile_deferred`]).
    deferred: Vec<Deferred>,
    /// The library modules of packs whose rules are all deferred, compiled with the first of
    /// those rules that is.
    deferred_libs: Vec<DeferredLib>,
}

/// A rule file whose compilation waits until a scan shows that its kinds occur.
#[derive(Debug, Clone)]
struct Deferred {
    metadata: RuleMetadata,
    path: String,
    text: String,
    language: RuleLanguage,
    /// An index into [`Policies::params`].
    params: usize,
    /// The packs whose libraries it may import: its own and those it depends on.
    packs: Vec<String>,
}

/// A library module of a pack, compiled only with a rule that may import it.
#[derive(Debug, Clone)]
struct DeferredLib {
    pack: String,
    path: String,
    text: String,
}

impl Policies {
    /// How many rules there are, of every language.
    pub fn rule_count(&self) -> usize {
        self.rego.rules.len() + self.cel.rules.len() + self.secrets.len() + self.deferred.len()
    }

    /// Keeps only the rules of the packs named (by name, without version); loose policy files
    /// belong to no pack. Returns the names that match no loaded pack.
    ///
    /// ```
    /// let mut policies = ward_engine::load_builtin_policies().policies;
    /// assert!(policies.retain_packs(&["secrets".into()]).is_empty());
    /// assert!(policies.rules().all(|(rule, _)| rule.pack.as_ref().is_some_and(|p| p.name == "secrets")));
    /// assert_eq!(policies.retain_packs(&["nope".into()]), ["nope"]);
    /// ```
    pub fn retain_packs(&mut self, names: &[String]) -> Vec<String> {
        let pack_of = |metadata: &RuleMetadata| metadata.pack.as_ref().map(|pack| pack.name.clone());
        let known: std::collections::BTreeSet<String> = self.rules().filter_map(|(rule, _)| pack_of(rule)).collect();
        let keep = |metadata: &RuleMetadata| pack_of(metadata).is_some_and(|name| names.contains(&name));
        self.rego.rules.retain(|rule| keep(&rule.metadata));
        self.cel.rules.retain(|rule| keep(&rule.metadata));
        self.secrets.retain(|rule| keep(&rule.metadata));
        self.deferred.retain(|rule| keep(&rule.metadata));
        let packs: BTreeSet<&String> = self.deferred.iter().flat_map(|rule| &rule.packs).collect();
        self.deferred_libs.retain(|lib| packs.contains(&lib.pack));
        names.iter().filter(|name| !known.contains(*name)).cloned().collect()
    }

    /// Whether any rule is evaluated over parsed documents — any Rego or CEL rule — (else a
    /// scan need not parse anything: secret rules read only texts).
    pub fn has_document_rules(&self) -> bool {
        !self.rego.rules.is_empty() || !self.cel.rules.is_empty() || !self.deferred.is_empty()
    }

    /// The generic kinds (YAML, JSON, TOML, INI, XML, properties and SBOM files of no kind ward
    /// checks) a document rule may read: those rules name in `kinds`, and all of them when a
    /// rule that names no kinds may read the graph (it could look at any document) or a conftest
    /// policy is among the rules (it judges every document). Secret
    /// rules read texts, which are kept whatever the kind.
    ///
    /// ```
    /// use ward_engine::DocumentKind;
    /// let policies = ward_engine::load_builtin_policies().policies;
    /// assert!(!policies.generic_kinds_read().contains(&DocumentKind::Json));
    /// ```
    pub fn generic_kinds_read(&self) -> BTreeSet<DocumentKind> {
        let metadata = (self.rego.rules.iter().map(|rule| &rule.metadata))
            .chain(self.cel.rules.iter().map(|rule| &rule.metadata))
            .chain(self.deferred.iter().map(|rule| &rule.metadata));
        let mut read = BTreeSet::new();
        let mut any_without_kinds = false;
        for rule in metadata {
            any_without_kinds |= rule.kinds.is_empty();
            read.extend(rule.kinds.iter().copied().filter(|kind| crate::kinds::is_generic(*kind)));
        }
        // conftest policies judge every document, lockfiles included.
        let conftest = self.rego.rules.iter().any(|rule| rule.conftest);
        if conftest || (any_without_kinds && self.reads_graph()) {
            read.extend(DocumentKind::ALL.into_iter().filter(|kind| crate::kinds::is_generic(*kind)));
        }
        read
    }

    /// Whether any rule reads other documents than the one it judges: a graph-scoped rule, or a
    /// per-resource rule that reads the graph (`data.ward`, `graph`). Only then does judging
    /// one file need the rest of the tree.
    pub fn reads_graph(&self) -> bool {
        // A deferred rule, or a library it may import, that names the graph may read it: what
        // it would be compiled to is not known yet.
        let deferred = self.deferred.iter().any(|rule| match rule.language {
            RuleLanguage::Cel => rule.text.contains("graph"),
            _ => rego::reads_graph(&rule.text),
        }) || self.deferred_libs.iter().any(|lib| rego::reads_graph(&lib.text));
        self.rego.uses_graph()
            || self.cel.uses_graph()
            || deferred
            || self.rules().any(|(rule, _)| rule.scope == RuleScope::Graph)
    }

    /// Compiles the deferred rules (see [`Policies::assemble_deferring`]) of `kinds`, all of
    /// them with `None`, with the libraries of their packs; returns the problems of those that
    /// do not compile. A rule keeps the metadata and params loading and `ward.toml` gave it.
    ///
    /// ```
    /// use ward_engine::DocumentKind;
    /// let mut policies = ward_engine::load_builtin_policies().policies;
    /// let (count, compiled) = (policies.rule_count(), |p: &ward_engine::Policies| p.rego.rules.len() + p.cel.rules.len());
    /// let before = compiled(&policies);
    /// let kinds = [DocumentKind::Terraform].into_iter().collect();
    /// assert!(policies.compile_deferred(Some(&kinds)).is_empty());
    /// let terraform = compiled(&policies);
    /// assert!(terraform > before);
    /// assert!(policies.compile_deferred(None).is_empty());
    /// assert!(compiled(&policies) > terraform);
    /// assert_eq!(compiled(&policies) + policies.secrets.len(), count);
    /// assert_eq!(policies.rule_count(), count);
    /// ```
    pub fn compile_deferred(&mut self, kinds: Option<&BTreeSet<DocumentKind>>) -> Vec<Diagnostic> {
        let wanted = |rule: &Deferred| kinds.is_none_or(|kinds| rule.metadata.kinds.iter().any(|k| kinds.contains(k)));
        if !self.deferred.iter().any(wanted) {
            return Vec::new();
        }
        let (now, later): (Vec<Deferred>, Vec<Deferred>) =
            std::mem::take(&mut self.deferred).into_iter().partition(wanted);
        self.deferred = later;
        let packs: BTreeSet<&String> =
            now.iter().filter(|rule| rule.language == RuleLanguage::Rego).flat_map(|rule| &rule.packs).collect();
        let (libs, other_libs): (Vec<DeferredLib>, Vec<DeferredLib>) =
            std::mem::take(&mut self.deferred_libs).into_iter().partition(|lib| packs.contains(&lib.pack));
        self.deferred_libs = other_libs;
        let of = |language: RuleLanguage| -> Vec<(String, String)> {
            now.iter()
                .filter(|rule| rule.language == language)
                .map(|rule| (rule.path.clone(), rule.text.clone()))
                .collect()
        };
        let mut modules: Vec<(String, String)> = libs.into_iter().map(|lib| (lib.path, lib.text)).collect();
        modules.extend(of(RuleLanguage::Rego));
        let cel_files = of(RuleLanguage::Cel);
        // Their texts join the others', for the code frames of the errors they meet.
        let texts = Arc::make_mut(&mut self.texts);
        texts.extend(modules.iter().chain(&cel_files).map(|(path, text)| (path.clone(), text.clone())));
        let (rego_before, cel_before) = (self.rego.rules.len(), self.cel.rules.len());
        // Parsing Rego and parsing CEL are the two halves of a small scan's start: side by side.
        let (rego, cel) = (&mut self.rego, &mut self.cel);
        let (mut errors, cel_errors) = rayon::join(|| rego.add(&modules), || cel.add(&cel_files));
        errors.extend(cel_errors);
        let texts = &self.texts;
        attach_sources(&mut errors, |path| texts.get(path).map(String::as_str));
        let settled = |path: &str| now.iter().find(|rule| rule.path == path);
        for rule in self.rego.rules.iter_mut().skip(rego_before) {
            if let Some(deferred) = settled(&rule.path) {
                (rule.metadata, rule.params) = (deferred.metadata.clone(), deferred.params);
            }
        }
        for rule in self.cel.rules.iter_mut().skip(cel_before) {
            if let Some(deferred) = settled(&rule.path) {
                (rule.metadata, rule.params) = (deferred.metadata.clone(), deferred.params);
            }
        }
        sort_errors(&mut errors);
        errors
    }

    /// These policies with the deferred rules of `kinds` compiled (see
    /// [`Policies::compile_deferred`]): `None` when there are none to compile, so that a scan
    /// uses the policies as they are.
    pub fn compiled_for(&self, kinds: &BTreeSet<DocumentKind>) -> Option<(Policies, Vec<Diagnostic>)> {
        if !self.deferred.iter().any(|rule| rule.metadata.kinds.iter().any(|kind| kinds.contains(kind))) {
            return None;
        }
        let mut policies = self.clone();
        let errors = policies.compile_deferred(Some(kinds));
        Some((policies, errors))
    }

    /// Compiles policy files given as `(path, text)`: `*.rego` modules, `*.cel.yaml` rule files
    /// and `*.secret.yaml` secret rules; other files are ignored. Every problem is a
    /// [`Diagnostic`] with the file's text for its code frame; the policies that load are still
    /// returned.
    ///
    /// ```
    /// use ward_engine::Policies;
    /// let cel = "id: T-1\nseverity: low\nkinds: [dockerfile]\nvalidations:\n  - expression: object.stages.size() > 0\n";
    /// let (policies, errors) = Policies::compile(&[("rules/t.cel.yaml".into(), cel.into())]);
    /// assert!(errors.is_empty());
    /// assert_eq!(policies.rule_count(), 1);
    /// ```
    pub fn compile(files: &[(String, String)]) -> (Policies, Vec<Diagnostic>) {
        Policies::compile_with(files, &|_| Checks::Full)
    }

    /// [`Policies::compile`], with the checks `checks_of` says for each file by its path.
    fn compile_with(
        files: &[(String, String)],
        checks_of: &(dyn Fn(&str) -> Checks + Sync),
    ) -> (Policies, Vec<Diagnostic>) {
        let of = |language: RuleLanguage| -> Vec<(String, String)> {
            files.iter().filter(|(path, _)| language_of(path) == Some(language)).cloned().collect()
        };
        let load_secrets = || {
            let mut secrets = Vec::new();
            let mut errors = Vec::new();
            for (path, text) in of(RuleLanguage::Secret) {
                match secret_rule::load_rule_with(&path, &text, checks_of(&path)) {
                    Ok(rule) => secrets.push(rule),
                    Err(error) => errors.push(error),
                }
            }
            (secrets, errors)
        };
        // The three languages load side by side: on two cores, a small scan's start.
        let ((rego, mut errors), ((cel, cel_errors), (secrets, secret_errors))) = rayon::join(
            || rego::RegoPolicies::load(&of(RuleLanguage::Rego)),
            || rayon::join(|| cel::CelPolicies::load(&of(RuleLanguage::Cel)), load_secrets),
        );
        errors.extend(cel_errors);
        errors.extend(secret_errors);
        let texts: BTreeMap<String, String> =
            files.iter().filter(|(path, _)| language_of(path).is_some()).cloned().collect();
        attach_sources(&mut errors, |path| texts.get(path).map(String::as_str));
        sort_errors(&mut errors);
        let policies = Policies {
            rego,
            cel,
            secrets,
            params: vec![serde_json::json!({})],
            texts: Arc::new(texts),
            deferred: Vec::new(),
            deferred_libs: Vec::new(),
        };
        (policies, errors)
    }

    /// Compiles loose policy files and packs together: one engine, rule ids unique across all
    /// of them, each pack's rules labelled with its `name@version`.
    pub fn assemble(loose: &[(String, String)], packs: &[pack::Pack]) -> (Policies, Vec<Diagnostic>) {
        Policies::assemble_with(loose, packs, false)
    }

    /// [`Policies::assemble`], except that the rules of the built-in packs that run on
    /// resources of some `kinds` are only read for their metadata (the rule catalog, `ward
    /// rules`, `ward explain` and SARIF know every rule), and compiled by the scan that has
    /// resources of those kinds ([`Policies::compile_deferred`]): a Terraform-only tree does not
    /// compile the Kubernetes pack. A built-in graph rule's `kinds` are those of the resources
    /// it reports on, so it too waits for one of them. Rules without kinds and packs that are
    /// not built in (whose problems every run must report) are compiled now. The built-in packs
    /// are known to compile: ward's own tests compile every rule of them.
    pub fn assemble_deferring(loose: &[(String, String)], packs: &[pack::Pack]) -> (Policies, Vec<Diagnostic>) {
        Policies::assemble_with(loose, packs, true)
    }

    fn assemble_with(loose: &[(String, String)], packs: &[pack::Pack], defer: bool) -> (Policies, Vec<Diagnostic>) {
        let mut files = loose.to_vec();
        // Per policy file: its pack's label and the index of the pack's default params.
        let mut owners: HashMap<String, (pack::PackRef, usize)> = HashMap::new();
        let mut builtin: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut errors = Vec::new();
        let mut params = vec![serde_json::json!({})];
        for pack in packs {
            let (sources, pack_errors) = pack.policy_files();
            errors.extend(pack_errors);
            let index = match pack.data() {
                Ok(data) if data.as_object().is_some_and(|members| !members.is_empty()) => {
                    params.push(data);
                    params.len() - 1
                }
                Ok(_) => 0,
                Err(error) => {
                    errors.push(error);
                    0
                }
            };
            for (path, _) in &sources {
                owners.insert(path.clone(), (pack.manifest.label(), index));
                if pack.checks == Checks::Builtin {
                    builtin.insert(path.clone());
                }
            }
            files.extend(sources);
        }
        errors.extend(pack::unmet_dependencies(packs));
        let (deferred, deferred_libs) = match defer {
            true => defer_files(&mut files, &builtin, &owners, packs),
            false => (Vec::new(), Vec::new()),
        };
        let checks_of = |path: &str| if builtin.contains(path) { Checks::Builtin } else { Checks::Full };
        let (mut policies, compile_errors) = Policies::compile_with(&files, &checks_of);
        errors.extend(compile_errors);
        policies.params = params;
        (policies.deferred, policies.deferred_libs) = (deferred, deferred_libs);
        for rule in policies.rules_mut() {
            if let Some((label, index)) = owners.get(rule.path) {
                rule.metadata.pack = Some(label.clone());
                if let Some(params) = rule.params {
                    *params = *index;
                }
            }
        }
        errors.extend(policies.remove_duplicate_ids());
        // Every problem in a policy file, a pack's manifest or its params gets its code frame.
        let pack_text = |path: &str| {
            packs.iter().find_map(|pack| {
                let inner = path.strip_prefix(pack.origin.as_str())?.strip_prefix('/')?;
                std::str::from_utf8(pack.files.get(inner)?).ok()
            })
        };
        attach_sources(&mut errors, |path| policies.texts.get(path).map(String::as_str).or_else(|| pack_text(path)));
        sort_errors(&mut errors);
        (policies, errors)
    }

    /// Applies `ward.toml`'s rule settings: severity overrides, and `enabled = false` removes a
    /// rule. With `check_ids`, a setting for a rule that is not loaded is an error at its place
    /// in `ward.toml` (a misspelt id would otherwise silently do nothing).
    pub fn configure(&mut self, config: &Config, check_ids: bool) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        self.configure_params(config);
        for (id, settings) in &config.rules {
            let known = self.rules().any(|(rule, _)| &rule.id == id);
            if !known {
                if check_ids {
                    errors.push(Diagnostic::at_position(
                        config.path.clone(),
                        config.rule_positions.get(id).copied().unwrap_or(Position { line: 1, column: 1 }),
                        format!("no rule {id} is loaded; `ward rules` lists the rules"),
                    ));
                }
                continue;
            }
            if !settings.enabled {
                self.rego.rules.retain(|rule| &rule.metadata.id != id);
                self.cel.rules.retain(|rule| &rule.metadata.id != id);
                self.secrets.retain(|rule| &rule.metadata.id != id);
                self.deferred.retain(|rule| &rule.metadata.id != id);
                continue;
            }
            if let Some(severity) = settings.severity {
                for rule in self.rules_mut().filter(|rule| &rule.metadata.id == id) {
                    rule.metadata.severity = severity;
                }
            }
        }
        errors
    }

    /// `ward.toml`'s params: `[params.<pack>]` over each rule's pack defaults, then
    /// `[rules.<ID>.params]` over that. Rules that end up with the same params share an entry.
    fn configure_params(&mut self, config: &Config) {
        let mut table = std::mem::take(&mut self.params);
        let index_of = |value: serde_json::Value, table: &mut Vec<serde_json::Value>| match table
            .iter()
            .position(|known| known == &value)
        {
            Some(index) => index,
            None => {
                table.push(value);
                table.len() - 1
            }
        };
        let settle = |metadata: &RuleMetadata, current: usize, table: &mut Vec<serde_json::Value>| {
            let pack_params = metadata.pack.as_ref().and_then(|pack| config.params.get(&pack.name));
            let rule_params = config.rules.get(&metadata.id).and_then(|rule| rule.params.as_ref());
            if pack_params.is_none() && rule_params.is_none() {
                return current;
            }
            let mut value = table.get(current).cloned().unwrap_or_else(|| serde_json::json!({}));
            for layer in pack_params.into_iter().chain(rule_params) {
                merge_params(&mut value, layer);
            }
            index_of(value, table)
        };
        for rule in self.rules_mut() {
            if let Some(params) = rule.params {
                *params = settle(rule.metadata, *params, &mut table);
            }
        }
        self.params = table;
    }

    /// Every rule's metadata and file, Rego first, then CEL and secret rules, in the order they
    /// were given.
    pub fn rules(&self) -> impl Iterator<Item = (&RuleMetadata, &str)> {
        let rego = self.rego.rules.iter().map(|rule| (&rule.metadata, rule.path.as_str()));
        let cel = self.cel.rules.iter().map(|rule| (&rule.metadata, rule.path.as_str()));
        let deferred = self.deferred.iter().map(|rule| (&rule.metadata, rule.path.as_str()));
        rego.chain(cel).chain(self.secrets.iter().map(|rule| (&rule.metadata, rule.path.as_str()))).chain(deferred)
    }

    /// Every rule, of either language, for changing what loading and `ward.toml` decide: its
    /// metadata and params.
    fn rules_mut(&mut self) -> impl Iterator<Item = RuleMut<'_>> {
        let rego = self.rego.rules.iter_mut().map(|rule| RuleMut {
            metadata: &mut rule.metadata,
            params: Some(&mut rule.params),
            path: &rule.path,
        });
        let cel = self.cel.rules.iter_mut().map(|rule| RuleMut {
            metadata: &mut rule.metadata,
            params: Some(&mut rule.params),
            path: &rule.path,
        });
        let secrets = self.secrets.iter_mut().map(|rule| RuleMut {
            metadata: &mut rule.metadata,
            params: None,
            path: &rule.path,
        });
        let deferred = self.deferred.iter_mut().map(|rule| RuleMut {
            metadata: &mut rule.metadata,
            params: Some(&mut rule.params),
            path: &rule.path,
        });
        rego.chain(cel).chain(secrets).chain(deferred)
    }

    /// Keeps the first rule of each id (in path order) and reports the others: findings,
    /// suppressions and `ward explain` name rules by id, so an id must mean one rule.
    fn remove_duplicate_ids(&mut self) -> Vec<Diagnostic> {
        let mut first: HashMap<String, String> = HashMap::new();
        // conftest policies are named after their files, which may repeat across directories.
        let rego =
            self.rego.rules.iter().filter(|rule| !rule.conftest).map(|rule| (&rule.metadata, rule.path.as_str()));
        let cel = self.cel.rules.iter().map(|rule| (&rule.metadata, rule.path.as_str()));
        let secrets = self.secrets.iter().map(|rule| (&rule.metadata, rule.path.as_str()));
        let deferred = self.deferred.iter().map(|rule| (&rule.metadata, rule.path.as_str()));
        let mut all: Vec<(&str, &str)> = rego
            .chain(cel)
            .chain(secrets)
            .chain(deferred)
            .map(|(metadata, path)| (path, metadata.id.as_str()))
            .collect();
        all.sort();
        let mut errors = Vec::new();
        let mut dropped: Vec<String> = Vec::new();
        for (path, id) in all {
            match first.get(id) {
                Some(kept) => {
                    errors.push(Diagnostic::at_position(
                        path.to_owned(),
                        Position { line: 1, column: 1 },
                        format!("rule id {id} is already used by {kept}; this rule is not loaded"),
                    ));
                    dropped.push(path.to_owned());
                }
                None => {
                    first.insert(id.to_owned(), path.to_owned());
                }
            }
        }
        self.rego.rules.retain(|rule| rule.conftest || !dropped.contains(&rule.path));
        self.cel.rules.retain(|rule| !dropped.contains(&rule.path));
        self.secrets.retain(|rule| !dropped.contains(&rule.path));
        self.deferred.retain(|rule| !dropped.contains(&rule.path));
        errors
    }
}

/// What may change of a loaded rule, whichever its language.
struct RuleMut<'a> {
    metadata: &'a mut RuleMetadata,
    /// An index into [`Policies::params`]; secret rules take no params.
    params: Option<&'a mut usize>,
    path: &'a str,
}

/// Takes out of `files` the rule files of the built-in packs (`builtin`) that can wait for
/// their kinds to occur (per-resource rules with `kinds`, see [`Policies::assemble_deferring`]),
/// and the libraries of the packs all of whose Rego rules wait: each with its pack's
/// (`owners`) label and params.
fn defer_files(
    files: &mut Vec<(String, String)>,
    builtin: &std::collections::HashSet<String>,
    owners: &HashMap<String, (pack::PackRef, usize)>,
    packs: &[pack::Pack],
) -> (Vec<Deferred>, Vec<DeferredLib>) {
    let is_lib = |path: &str| path.split('/').any(|part| part == "lib");
    let pack_of = |path: &str| owners.get(path).map(|(label, _)| label.name.clone());
    let mut deferred = Vec::new();
    let mut kept = Vec::new();
    for (path, text) in std::mem::take(files) {
        let language = language_of(&path);
        let candidate = builtin.contains(&path)
            && !is_lib(&path)
            && !path.ends_with("_test.rego")
            && matches!(language, Some(RuleLanguage::Rego | RuleLanguage::Cel));
        let metadata = match language {
            Some(RuleLanguage::Rego) if candidate && text.contains("# METADATA") => {
                metadata::from_rego(&path, &text).ok()
            }
            Some(RuleLanguage::Cel) if candidate => cel::metadata_of(&path, &text),
            _ => None,
        };
        match (metadata.filter(|m| !m.kinds.is_empty()), language, pack_of(&path)) {
            (Some(metadata), Some(language), Some(pack)) => {
                let params = owners.get(&path).map_or(0, |(_, index)| *index);
                let packs = with_dependencies(&[pack], &|name| {
                    let pack = packs.iter().find(|pack| pack.manifest.name == name);
                    pack.map(|pack| pack.manifest.dependencies.iter().map(|d| d.name.clone()).collect())
                        .unwrap_or_default()
                });
                deferred.push(Deferred { metadata, path, text, language, params, packs });
            }
            _ => kept.push((path, text)),
        }
    }
    // A pack with a Rego rule compiled now needs its libraries (and its dependencies') now.
    let eager: Vec<String> = kept
        .iter()
        .filter(|(path, _)| {
            language_of(path) == Some(RuleLanguage::Rego) && !is_lib(path) && !path.ends_with("_test.rego")
        })
        .filter_map(|(path, _)| pack_of(path))
        .collect();
    let eager = with_dependencies(&eager, &|name| {
        let pack = packs.iter().find(|pack| pack.manifest.name == name);
        pack.map(|pack| pack.manifest.dependencies.iter().map(|d| d.name.clone()).collect()).unwrap_or_default()
    });
    let mut libs = Vec::new();
    for (path, text) in std::mem::take(&mut kept) {
        let waits = builtin.contains(&path) && is_lib(&path) && language_of(&path) == Some(RuleLanguage::Rego);
        match pack_of(&path).filter(|pack| waits && !eager.contains(pack)) {
            Some(pack) => libs.push(DeferredLib { pack, path, text }),
            None => kept.push((path, text)),
        }
    }
    *files = kept;
    (deferred, libs)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RuleLanguage {
    Rego,
    Cel,
    Secret,
}

/// The policy language of a file, by its name; `None` for files that are not policies.
fn language_of(path: &str) -> Option<RuleLanguage> {
    if path.ends_with(".rego") {
        Some(RuleLanguage::Rego)
    } else if path.ends_with(".cel.yaml") || path.ends_with(".cel.yml") {
        Some(RuleLanguage::Cel)
    } else if path.ends_with(".secret.yaml") || path.ends_with(".secret.yml") {
        Some(RuleLanguage::Secret)
    } else {
        None
    }
}

/// Loads the policies under `paths` (files or directories, relative to `base`): a directory
/// with a `pack.toml` is a [`pack::Pack`]; otherwise its `*.rego` modules and `*.cel.yaml` rule
/// files are loose policies. Every problem is a [`Diagnostic`]; the policies that load are
/// still returned.
pub fn load(paths: &[PathBuf], base: &Path) -> LoadedPolicies {
    let mut errors = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut packs = Vec::new();
    for path in paths {
        let absolute = base.join(path);
        let shown = path.to_string_lossy().replace('\\', "/");
        // A pack — an archive, or a directory with a `pack.toml` — is not loose policy files.
        let is_pack =
            (absolute.is_file() && pack::archive::is_archive(&absolute)) || absolute.join("pack.toml").is_file();
        if is_pack {
            match pack::Pack::read(&absolute, shown.trim_end_matches('/')) {
                Ok(pack) => packs.push(pack),
                Err(error) => errors.push(error),
            }
        } else if absolute.is_file() {
            files.push(absolute);
        } else if absolute.is_dir() {
            for entry in ignore::WalkBuilder::new(&absolute).hidden(false).build().flatten() {
                if entry.file_type().is_some_and(|t| t.is_file()) {
                    files.push(entry.into_path());
                }
            }
        } else {
            errors.push(Diagnostic::at_position(
                shown,
                Position { line: 1, column: 1 },
                "no such policy file or directory",
            ));
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
            Err(error) => errors.push(Diagnostic::at_position(
                path,
                Position { line: 1, column: 1 },
                format!("cannot be read: {error}"),
            )),
        }
    }
    let (policies, compile_errors) = Policies::assemble(&sources, &packs);
    errors.extend(compile_errors);
    sort_errors(&mut errors);
    LoadedPolicies { policies, packs, errors }
}

/// The built-in packs, compiled: what `ward scan` runs when it is given no policies.
///
/// ```
/// let loaded = ward_engine::load_builtin_policies();
/// assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
/// assert!(loaded.policies.rules().all(|(rule, _)| rule.pack.is_some()));
/// ```
pub fn load_builtin() -> LoadedPolicies {
    load_builtin_only(&[])
}

/// The built-in packs named in `only` (all of them when it is empty), compiled: the others are
/// not even compiled, so a secrets-only hook starts fast.
pub(crate) fn load_builtin_only(only: &[String]) -> LoadedPolicies {
    let (packs, mut errors) = pack::builtin_named(only);
    let (policies, compile_errors) = Policies::assemble_deferring(&[], &packs);
    errors.extend(compile_errors);
    sort_errors(&mut errors);
    LoadedPolicies { policies, packs, errors }
}

/// The secret rules of the built-in packs, without compiling anything else: what is needed to
/// take secrets out of output that is not a scan's (`ward parse`).
///
/// ```
/// assert!(ward_engine::builtin_secret_rules().iter().any(|rule| rule.metadata.id == "SEC-002"));
/// ```
pub fn builtin_secret_rules() -> Vec<SecretRule> {
    let (packs, _) = pack::builtin();
    let mut rules = Vec::new();
    for pack in &packs {
        let (files, _) = pack.policy_files();
        for (path, text) in files.iter().filter(|(path, _)| language_of(path) == Some(RuleLanguage::Secret)) {
            rules.extend(secret_rule::load_rule_with(path, text, pack.checks).ok());
        }
    }
    rules
}

/// The policies a project's `ward.toml` names: its packs (the built-in ones when it names
/// none), each within its version requirement and — with `check_lock` — matching `ward.lock`
/// when there is one, with the configured severities and disabled rules applied. Remote packs
/// are read from the pack cache at the place `ward.lock` pins them; none is ever fetched.
pub fn load_project(config: &Config, check_lock: bool) -> LoadedPolicies {
    load_project_only(config, check_lock, &[])
}

/// [`load_project`] with the remote packs at `pins` (by their `source` in `ward.toml`) rather
/// than where `ward.lock` pins them, the old lock unchecked: what `ward lock` locks, after
/// fetching each remote pack into the cache.
pub fn load_project_pinned(config: &Config, pins: &BTreeMap<String, pack::lock::RemotePin>) -> LoadedPolicies {
    load_project_with(config, false, &[], Some(pins))
}

/// [`load_project`], compiling only the packs named in `only` (all when it is empty).
pub(crate) fn load_project_only(config: &Config, check_lock: bool, only: &[String]) -> LoadedPolicies {
    load_project_with(config, check_lock, only, None)
}

fn load_project_with(
    config: &Config,
    check_lock: bool,
    only: &[String],
    pins: Option<&BTreeMap<String, pack::lock::RemotePin>>,
) -> LoadedPolicies {
    let (builtins, mut errors) = pack::builtin();
    let mut trusted = Vec::new();
    for key in &config.trusted_keys {
        let shown = key.to_string_lossy().replace('\\', "/");
        match pack::signature::PublicKey::read(&config.dir.join(key), &shown) {
            Ok(key) => trusted.push(key),
            Err(error) => errors.push(error),
        }
    }
    let needs_lock = check_lock || config.packs.iter().any(|spec| matches!(spec.source, PackSource::Remote(_)));
    let lock = if needs_lock { read_lock_file(config) } else { None };
    let lock = match lock {
        Some(Ok(lock)) => Some(lock),
        Some(Err(error)) => {
            errors.push(*error);
            None
        }
        None => None,
    };
    let mut cache = None;
    let mut packs: Vec<pack::Pack> = Vec::new();
    if config.packs.is_empty() {
        packs = builtins.clone();
    }
    for spec in &config.packs {
        let at = |message: String| Diagnostic::at_position(config.path.clone(), spec.position, message);
        let read = match &spec.source {
            PackSource::Builtin(name) => {
                builtins.iter().find(|pack| &pack.manifest.name == name).cloned().ok_or_else(|| {
                    let names: Vec<&str> = builtins.iter().map(|pack| pack.manifest.name.as_str()).collect();
                    at(format!("no built-in pack `{name}`; the built-in packs are {}", names.join(", ")))
                })
            }
            PackSource::Path(path) => {
                let shown = path.to_string_lossy().replace('\\', "/");
                let location = config.dir.join(path);
                pack::Pack::read(&location, &shown)
                    .and_then(|pack| check_signature(config, &pack, &location, &trusted).map(|()| pack))
            }
            PackSource::Remote(remote) => {
                let pin = match pins {
                    Some(pins) => pins.get(&remote.source).cloned(),
                    None => lock.as_ref().and_then(|(lock, _)| lock.entry_for_source(&remote.source)?.remote.clone()),
                };
                let cache = cache.get_or_insert_with(pack::cache::PackCache::from_env);
                match (pin, cache) {
                    (None, _) => Err(at(format!(
                        "pack source {} is not pinned in ward.lock; run `ward lock` (it fetches the pack into the cache)",
                        remote.source
                    ))),
                    (Some(_), Err(error)) => Err(at(format!("pack source {}: {error}", remote.source))),
                    // ward.toml's `sha256` changed since the lock was written: the lock is stale.
                    (Some(pin), _) if remote.sha256.as_ref().is_some_and(|sha256| *sha256 != pin.archive) => {
                        Err(at(format!(
                            "pack source {}: ward.toml pins sha256 {}, ward.lock {}; run `ward lock`",
                            remote.source,
                            remote.sha256.as_deref().unwrap_or_default(),
                            pin.archive
                        )))
                    }
                    (Some(pin), Ok(cache)) => read_remote(config, &remote.source, &pin, cache, &trusted).map_err(at),
                }
            }
        };
        match read {
            Ok(pack) if packs.iter().any(|known| known.manifest.name == pack.manifest.name) => {
                errors.push(at(format!("pack `{}` is named twice", pack.manifest.name)));
            }
            Ok(pack) => match &spec.version {
                Some(requirement) if !requirement.matches(&pack.manifest.version) => errors.push(at(format!(
                    "pack {} does not meet the version requirement {requirement}",
                    pack.manifest.label()
                ))),
                _ => packs.push(pack),
            },
            Err(error) => errors.push(error),
        }
    }
    if check_lock {
        if let Some(lock) = &lock {
            errors.extend(check_lock_file(config, lock, &mut packs));
        }
    }
    keep_named(&mut packs, only);
    let (mut policies, compile_errors) = Policies::assemble_deferring(&[], &packs);
    errors.extend(compile_errors);
    // When a pack or a rule could not be loaded, a setting may well be for one of its rules:
    // calling it unknown would only bury the real problem.
    let check_ids = errors.is_empty() && only.is_empty();
    errors.extend(policies.configure(config, check_ids));
    sort_errors(&mut errors);
    LoadedPolicies { policies, packs, errors }
}

/// The remote pack `source` from the pack cache, at `pin`: its archive checked against the
/// pinned digest, and its signature as a local pack's is, against `ward.toml`'s trusted keys.
/// The pack is named by its source in messages and rule paths.
fn read_remote(
    config: &Config,
    source: &str,
    pin: &pack::lock::RemotePin,
    cache: &pack::cache::PackCache,
    trusted: &[pack::signature::PublicKey],
) -> Result<pack::Pack, String> {
    let not_fetched = |error| not_fetched_message(source, error);
    let bytes = cache.read(&pin.archive).map_err(not_fetched)?;
    let pack = pack::Pack::read_archive_bytes(&bytes, source).map_err(|error| error.to_string())?;
    let signature = match &pin.signature {
        Some(digest) => {
            let bytes = cache.read(digest).map_err(not_fetched)?;
            Some(String::from_utf8(bytes).map_err(|_| format!("pack source {source}: its signature is not text"))?)
        }
        None => None,
    };
    match signature {
        Some(text) if config.require_signatures || !trusted.is_empty() => {
            pack::signature::verify(&pack, &text, trusted).map_err(|error| error.to_string())?;
        }
        None if config.require_signatures => {
            return Err(format!(
                "pack {} from {source} is not signed, and ward.toml requires signatures",
                pack.manifest.label()
            ))
        }
        _ => {}
    }
    Ok(pack)
}

/// What to say of a remote pack's blob the cache could not give: what to run to mend it.
fn not_fetched_message(source: &str, error: pack::cache::CacheError) -> String {
    match error {
        pack::cache::CacheError::Missing { .. } => {
            format!("pack source {source}: {error}; run `ward pack fetch` (the one command that reaches the network)")
        }
        pack::cache::CacheError::DigestMismatch { expected, actual } => format!(
            "pack source {source}: the cached blob does not match its digest (expected {expected}, actual {actual}); delete it and run `ward pack fetch`"
        ),
        other => format!("pack source {source}: {other}"),
    }
}

/// Keeps the packs named in `only`, and every pack they depend on; all of them when `only` is
/// empty.
fn keep_named(packs: &mut Vec<pack::Pack>, only: &[String]) {
    if only.is_empty() {
        return;
    }
    let wanted = with_dependencies(only, &|name| {
        let pack = packs.iter().find(|pack| pack.manifest.name == name);
        pack.map(|pack| pack.manifest.dependencies.iter().map(|d| d.name.clone()).collect()).unwrap_or_default()
    });
    packs.retain(|pack| wanted.contains(&pack.manifest.name));
}

/// `names` and the names of every pack they depend on, directly or not, given each pack's
/// direct dependencies.
pub(crate) fn with_dependencies(names: &[String], dependencies_of: &dyn Fn(&str) -> Vec<String>) -> Vec<String> {
    let mut wanted: Vec<String> = names.to_vec();
    let mut index = 0;
    while let Some(name) = wanted.get(index).cloned() {
        index += 1;
        for dependency in dependencies_of(&name) {
            if !wanted.contains(&dependency) {
                wanted.push(dependency);
            }
        }
    }
    wanted
}

/// The `ward.lock` beside `ward.toml`, if there is one.
fn read_lock_file(config: &Config) -> Option<Result<(pack::lock::Lock, String), Box<Diagnostic>>> {
    let lock_file = config.dir.join(pack::lock::LOCK_FILE);
    if !lock_file.is_file() {
        return None;
    }
    let shown = lock_path_shown(config);
    let text = match std::fs::read_to_string(&lock_file) {
        Ok(text) => text,
        Err(error) => {
            return Some(Err(Box::new(Diagnostic::at_position(
                shown,
                Position { line: 1, column: 1 },
                format!("cannot be read: {error}"),
            ))))
        }
    };
    Some(pack::lock::Lock::parse(&shown, &text).map_err(Box::new).map(|lock| (lock, text)))
}

/// `ward.lock` as messages name it: beside `ward.toml` as that is named.
fn lock_path_shown(config: &Config) -> String {
    config
        .path
        .rsplit_once('/')
        .map_or(pack::lock::LOCK_FILE.to_owned(), |(dir, _)| format!("{dir}/{}", pack::lock::LOCK_FILE))
}

/// Checks `packs` against the `ward.lock` beside `ward.toml`, and drops those that no longer
/// match it: a changed pack does not run until it is locked again.
fn check_lock_file(
    config: &Config,
    (lock, text): &(pack::lock::Lock, String),
    packs: &mut Vec<pack::Pack>,
) -> Vec<Diagnostic> {
    let mut errors = lock.check(&lock_path_shown(config), packs);
    attach_sources(&mut errors, |_| Some(text.as_str()));
    packs.retain(|pack| lock.matches(pack));
    errors
}

/// A pack's signature (`<archive>.sig`, or `<dir>.sig` beside a directory), checked against
/// `ward.toml`'s trusted keys when it names any or requires signatures; a missing signature is
/// an error only when it requires them. Built-in packs are part of the binary and need none.
fn check_signature(
    config: &Config,
    pack: &pack::Pack,
    location: &Path,
    trusted: &[pack::signature::PublicKey],
) -> Result<(), Diagnostic> {
    let signature_file = pack::signature::signature_path(location);
    match std::fs::read_to_string(&signature_file) {
        Ok(text) if config.require_signatures || !trusted.is_empty() => {
            pack::signature::verify(pack, &text, trusted).map(|_| ())
        }
        Ok(_) => Ok(()),
        Err(_) if !config.require_signatures => Ok(()),
        Err(_) => Err(Diagnostic::at_position(
            pack.origin.clone(),
            Position { line: 1, column: 1 },
            format!(
                "pack {} is not signed (no {}), and ward.toml requires signatures",
                pack.manifest.label(),
                relative_path(&config.dir, &signature_file)
            ),
        )),
    }
}

/// Policies as loaded for a run: compiled, the packs they came from (for their documentation
/// and fixtures), and every problem met on the way.
pub struct LoadedPolicies {
    /// The policies, compiled.
    pub policies: Policies,
    /// The packs they came from, for their documentation and fixtures.
    pub packs: Vec<pack::Pack>,
    /// Every problem met loading and compiling them.
    pub errors: Vec<Diagnostic>,
}

/// Errors in file order, whichever language reported them.
fn sort_errors(errors: &mut [Diagnostic]) {
    errors.sort_by(|a, b| (&a.path, a.position).cmp(&(&b.path, b.position)));
}

/// A path into a value as a rule writes it — a list of keys and indices
/// (`["spec", "containers", 0]`) or keys separated by dots (`"spec.replicas"`) — as tokens.
/// `None` for anything else.
pub(crate) fn path_tokens(path: &serde_json::Value) -> Option<Vec<String>> {
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
    /// The rule's id (`K8S-001`), unique in a run.
    pub id: String,
    /// What the rule checks, in a line.
    pub title: String,
    /// How bad a finding of the rule is.
    pub severity: Severity,
    /// The kinds of resource the rule applies to; empty for every kind.
    pub kinds: Vec<DocumentKind>,
    /// The resource types among those kinds the rule judges (`aws_s3_bucket`, `Deployment`: a
    /// resource's `meta.type`); empty for every type. A per-resource rule is not even run on
    /// a resource of another type: in a large Terraform tree most blocks are of types a given
    /// rule has nothing to say about, and skipping them is most of a scan's time.
    pub types: Vec<String>,
    /// Whether it looks at each resource or at the whole graph.
    pub scope: RuleScope,
    /// Why it matters.
    pub description: String,
    /// How to fix what it finds.
    pub remediation: String,
    /// Links to read more (benchmarks, vendor documentation).
    pub references: Vec<String>,
    /// The pack the rule belongs to; `None` for a loose policy file.
    pub pack: Option<pack::PackRef>,
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
    /// Other places the result concerns (the other environment of a parity difference).
    pub related: Vec<RelatedTarget>,
}

/// A place a result names besides its own, before ward maps it to a file and line: a `path`
/// into another resource (`resource`, by id), into a whole document (`document`, by file
/// path), or — naming neither — into the result's own resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedTarget {
    pub resource: Option<String>,
    pub document: Option<String>,
    /// Keys and indices, as a result's own `path`.
    pub path: Vec<String>,
    pub message: Option<String>,
}

/// A result's `related` value, as both languages write it: a list of objects
/// `{resource | document, path, message}`, every member optional (`msg` is read as `message`).
pub(crate) fn related_targets(value: &serde_json::Value) -> Result<Vec<RelatedTarget>, RelatedError> {
    use serde_json::Value;
    let items = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        other => return Err(RelatedError::NotAList(other.clone())),
    };
    let mut targets = Vec::with_capacity(items.len());
    for item in items {
        let Value::Object(members) = item else { return Err(RelatedError::NotAnObject(item.clone())) };
        if let Some(unknown) =
            members.keys().find(|key| !["resource", "document", "path", "message", "msg"].contains(&key.as_str()))
        {
            return Err(RelatedError::UnknownMember { member: unknown.clone(), item: item.clone() });
        }
        let text = |name: &str| -> Result<Option<String>, RelatedError> {
            match members.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.clone())),
                Some(other) => Err(RelatedError::NotAString { member: name.to_owned(), value: other.clone() }),
            }
        };
        let (resource, document) = (text("resource")?, text("document")?);
        if resource.is_some() && document.is_some() {
            return Err(RelatedError::ResourceAndDocument(item.clone()));
        }
        let path = match members.get("path") {
            None | Some(Value::Null) => Vec::new(),
            Some(path) => path_tokens(path).ok_or_else(|| RelatedError::BadPath(path.clone()))?,
        };
        let message = match text("message")? {
            Some(message) => Some(message),
            None => text("msg")?,
        };
        targets.push(RelatedTarget { resource, document, path, message });
    }
    Ok(targets)
}

/// Whether a result came from a rule's `deny` (or `violation`) or from its `warn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ResultLevel {
    Deny,
    Warn,
}

/// Deep-merges `layer` into `base`: objects member by member, anything else replaced.
pub(crate) fn merge_params(base: &mut serde_json::Value, layer: &serde_json::Value) {
    match (base, layer) {
        (serde_json::Value::Object(base), serde_json::Value::Object(layer)) => {
            for (key, value) in layer {
                match base.get_mut(key) {
                    Some(existing) => merge_params(existing, value),
                    None => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (base, layer) => *base = layer.clone(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn generic_kinds_are_read_by_rules_that_name_them_and_by_conftest_policies() {
        let named = "# METADATA\n# custom:\n#   id: J-1\n#   severity: low\n#   kinds: [json]\npackage ward.j\n\nimport rego.v1\n\ndeny contains \"x\" if false\n";
        let (policies, errors) = Policies::assemble(&[("j.rego".into(), named.into())], &[]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(policies.generic_kinds_read(), BTreeSet::from([DocumentKind::Json]));
        let conftest = "package main\n\nimport rego.v1\n\ndeny contains \"x\" if input.a\n";
        let (policies, errors) = Policies::assemble(&[("policy/main.rego".into(), conftest.into())], &[]);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(policies.generic_kinds_read().contains(&DocumentKind::Json), "conftest policies read every document");
    }

    #[test]
    fn problems_in_a_pack_that_is_not_on_disk_come_with_their_code_frames() {
        // As the built-in packs, which live in the binary: no file to read a frame from.
        let manifest =
            "name = \"p\"\nversion = \"1.0.0\"\ndescription = \"d\"\nward = \">=0.1\"\n\n[dependencies]\nq = \"^1\"\n";
        let rule =
            "id: T-1\nseverity: low\nkinds: [dockerfile]\nvalidations:\n  - expression: object.stages.size() >\n";
        let files = [("pack.toml", manifest), ("rules/bad.cel.yaml", rule), ("data/params.yaml", "[1]\n")];
        let files = files.iter().map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec())).collect();
        let pack = pack::Pack::from_files("builtin:p", files).unwrap();
        let (_, errors) = Policies::assemble(&[], &[pack]);
        let framed: Vec<(&str, Option<&str>)> =
            errors.iter().map(|error| (error.path.as_str(), error.source_text())).collect();
        assert_eq!(
            framed,
            [
                ("builtin:p/data/params.yaml", Some("[1]\n")),
                ("builtin:p/pack.toml", Some(manifest)),
                ("builtin:p/rules/bad.cel.yaml", Some(rule)),
            ],
            "{errors:?}"
        );
    }

    /// A built-in graph rule reports on resources of its kinds: it is compiled by the scan that
    /// has one, with its pack's library, and not by the others.
    #[test]
    fn a_built_in_graph_rule_waits_for_its_kinds() {
        let rule = "# METADATA\n# custom:\n#   id: T-G\n#   severity: low\n#   kinds: [terraform]\n#   scope: graph\npackage ward.t.g\n\nimport data.ward.t.lib\nimport rego.v1\n\ndeny contains {\"msg\": \"x\", \"resource\": r.id} if {\n  some r in data.ward.graph.resources\n  lib.bad(r)\n}\n";
        let lib = "package ward.t.lib\n\nimport rego.v1\n\nbad(r) if r.kind == \"terraform\"\n";
        let pack = pack::Pack::builtin_for_tests(&[("rules/g.rego", rule), ("lib/lib.rego", lib)]);
        let (policies, errors) = Policies::assemble_deferring(&[], &[pack]);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(policies.rego.rules.is_empty(), "not compiled before a scan shows its kinds");
        assert_eq!(policies.rule_count(), 1, "but known to the catalog");
        assert!(policies.reads_graph(), "and known to read the graph");
        assert!(policies.compiled_for(&BTreeSet::from([DocumentKind::Dockerfile])).is_none());
        let (compiled, errors) = policies.compiled_for(&BTreeSet::from([DocumentKind::Terraform])).unwrap();
        assert!(errors.is_empty(), "compiled with its library: {errors:?}");
        let ids: Vec<&str> = compiled.rego.rules.iter().map(|rule| rule.metadata.id.as_str()).collect();
        assert_eq!(ids, ["T-G"]);
        assert_eq!(compiled.rego.rules.first().map(|rule| rule.metadata.scope), Some(RuleScope::Graph));
    }

    #[test]
    fn packs_come_with_what_they_depend_on_through_cycles_too() {
        let dependencies_of = |name: &str| -> Vec<String> {
            match name {
                "app" => vec!["lib".into(), "base".into()],
                "lib" => vec!["base".into(), "app".into()],
                _ => Vec::new(),
            }
        };
        assert_eq!(with_dependencies(&["app".into()], &dependencies_of), ["app", "lib", "base"]);
        assert_eq!(with_dependencies(&["base".into()], &dependencies_of), ["base"]);
        assert!(with_dependencies(&[], &dependencies_of).is_empty());
    }

    /// The example from the documentation of `path_tokens`.
    #[test]
    fn path_tokens_example() {
        use crate::policy::path_tokens;
        assert_eq!(
            path_tokens(&serde_json::json!(["spec", "containers", 1])),
            Some(vec!["spec".into(), "containers".into(), "1".into()])
        );
        assert_eq!(path_tokens(&serde_json::json!("spec.replicas")), Some(vec!["spec".into(), "replicas".into()]));
        assert_eq!(path_tokens(&serde_json::json!({"a": 1})), None);
    }

    /// The example from the documentation of `related_targets`.
    #[test]
    fn related_targets_example() {
        use crate::policy::related_targets;
        let value = serde_json::json!([{"resource": "env:.env.staging", "path": ["entries", 2], "message": "staging"}]);
        let targets = related_targets(&value).unwrap();
        assert_eq!((targets[0].resource.as_deref(), targets[0].path.len()), (Some("env:.env.staging"), 2));
        assert!(related_targets(&serde_json::json!("env:.env.staging")).is_err());
        assert!(related_targets(&serde_json::json!([{"resource": "a", "document": "b"}])).is_err());
    }

    /// The example from the documentation of `merge_params`.
    #[test]
    fn merge_params_example() {
        let mut base = serde_json::json!({"registries": ["a"], "limits": {"cpu": "1", "memory": "1Gi"}});
        crate::policy::merge_params(&mut base, &serde_json::json!({"registries": ["b"], "limits": {"cpu": "2"}}));
        assert_eq!(base, serde_json::json!({"registries": ["b"], "limits": {"cpu": "2", "memory": "1Gi"}}));
    }
}
