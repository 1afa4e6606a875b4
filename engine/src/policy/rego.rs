//! Rego rules through regorus. Every module is compiled into one engine once per run; the
//! graph is added as `data.ward.graph` once per scan; each worker then clones the prepared
//! engine (cheap: regorus shares its compiled state) and evaluates rule after rule with
//! `input = {object, meta, params}`.
//!
//! Three kinds of module (see [`conftest_class`](super::conftest_class) for how they are told
//! apart):
//! - a **rule**: one package with a `# METADATA` block and `deny contains …` / `warn contains …`;
//! - a **conftest policy**: a module without ward's metadata declaring rules conftest looks for
//!   (`deny`, `violation`, `warn`, `deny_<name>`…): each such rule of a package becomes one
//!   rule, whichever files define it, evaluated per document with conftest's input;
//! - a **library**: anything else, and any module under a `lib/` directory.
//!
//! `*_test.rego` files are tests, for `ward test`, not rules.

use std::collections::BTreeSet;
use std::num::NonZeroU32;
use std::time::Duration;

use serde_json::Value;

use super::conftest_class::{self, ConftestLevel};
use super::metadata;
use super::rego_error::locate;
use super::rule_error::{RelatedError, RuleError};
use super::{path_tokens, related_targets, ResultLevel, RuleMetadata, RuleResult, RuleScope};
use crate::diagnostic::Diagnostic;
use crate::document::Position;
use crate::finding::Severity;

/// A Rego rule, ready to evaluate.
#[derive(Debug, Clone)]
pub struct RegoRule {
    pub metadata: RuleMetadata,
    /// The `.rego` file, as given.
    pub path: String,
    /// `data.ward.k8s.non_root`.
    pub package: String,
    /// The rule heads the module declares, with the level of their results.
    entrypoints: Vec<(ResultLevel, String)>,
    /// A conftest policy: evaluated per document with the document as `input`.
    pub conftest: bool,
    /// For a conftest policy: its namespace and rule name, how conftest counts it.
    pub conftest_rule: Option<ConftestRule>,
    /// Its `params`: an index into [`Policies::params`](crate::policy::Policies::params).
    pub params: usize,
}

/// One rule conftest looks for in one namespace, over all the modules that define it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConftestRule {
    /// The package without `data.`: `main`, `kubernetes.admission`.
    pub namespace: String,
    /// `deny`, `warn_latest`.
    pub name: String,
    pub level: ConftestLevel,
    /// How many times the rule is defined: conftest counts each definition as one test.
    pub definitions: usize,
    /// Whether the namespace declares an `exception` rule.
    pub exception: bool,
}

/// All Rego modules of a run, compiled.
#[derive(Clone)]
pub struct RegoPolicies {
    engine: regorus::Engine,
    pub rules: Vec<RegoRule>,
    /// Whether any module reads `data.ward` (the graph): only then is it built and loaded.
    uses_graph: bool,
}

impl RegoPolicies {
    /// Compiles `(path, text)` modules. Modules that fail stay out and are reported; the rest
    /// are still usable.
    pub fn load(modules: &[(String, String)]) -> (RegoPolicies, Vec<Diagnostic>) {
        let mut policies = RegoPolicies { engine: regorus::Engine::new(), rules: Vec::new(), uses_graph: false };
        let errors = policies.add(modules);
        (policies, errors)
    }

    /// Compiles more modules into these (libraries before the rules that import them, as in
    /// [`RegoPolicies::load`]), returning the problems of those that fail.
    pub fn add(&mut self, modules: &[(String, String)]) -> Vec<Diagnostic> {
        let (engine, rules) = (&mut self.engine, &mut self.rules);
        let mut errors = Vec::new();
        // A module can only reach the graph by naming `data.ward` (or all of `data`).
        self.uses_graph |= modules.iter().any(|(_, text)| reads_graph(text));
        let mut added: Vec<(&String, &String, String)> = Vec::new();
        for (path, text) in modules {
            if path.ends_with("_test.rego") {
                continue;
            }
            match engine.add_policy(path.clone(), text.clone()) {
                Ok(package) => added.push((path, text, package)),
                Err(error) => errors.push(policy_error(path, &error.to_string())),
            }
        }
        // conftest's rules are told by their names, which only the syntax tree has: read once
        // per batch, and only when some module may be a conftest policy.
        let candidates =
            added.iter().any(|(path, text, _)| !is_library_path(path) && !conftest_class::has_ward_metadata(text));
        let module_rules = if candidates { conftest_class::module_rules(engine) } else { Vec::new() };
        for (path, text, package) in added {
            if is_library_path(path) {
                continue;
            }
            if !conftest_class::has_ward_metadata(text) && !package.starts_with("data.ward.") {
                let found = module_rules.iter().find(|module| &module.file == path);
                if let Some((rule, line)) = found.and_then(|module| module.if_without_contains.first()) {
                    errors.push(Diagnostic::at_position(
                        path.clone(),
                        Position { line: u32::try_from(*line).unwrap_or(u32::MAX), column: 1 },
                        format!(
                            "'if' keyword without 'contains' keyword: in Rego v1 `{rule}[msg] if` makes an object, not the set of messages a conftest policy reports; write `{rule} contains msg if`"
                        ),
                    ));
                    continue;
                }
                for (name, definitions) in found.map(|module| module.conftest_rules()).unwrap_or_default() {
                    add_conftest_rule(rules, path, &package, &name, definitions);
                }
                // Without such rules, a module is a library, wherever it sits.
                continue;
            }
            let metadata = match metadata::from_rego(path, text) {
                Ok(metadata) => metadata,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            let heads: &[(ResultLevel, &str)] = &[(ResultLevel::Deny, "deny"), (ResultLevel::Warn, "warn")];
            let entrypoints: Vec<(ResultLevel, String)> = heads
                .iter()
                .filter(|(_, head)| engine.has_declared_rule_rooted_at(path, head).unwrap_or(false))
                .map(|(level, head)| (*level, format!("{package}.{head}")))
                .collect();
            if entrypoints.is_empty() {
                errors.push(Diagnostic::at_position(
                    path.clone(),
                    Position { line: 1, column: 1 },
                    format!("`{package}` declares no `deny` or `warn` rule, so it can never report anything"),
                ));
                continue;
            }
            rules.push(RegoRule {
                metadata,
                path: path.clone(),
                package,
                entrypoints,
                conftest: false,
                conftest_rule: None,
                params: 0,
            });
        }
        if candidates {
            for rule in rules.iter_mut() {
                if let Some(conftest) = rule.conftest_rule.as_mut() {
                    conftest.exception |= module_rules
                        .iter()
                        .any(|module| module.namespace == conftest.namespace && module.declares_exception());
                }
            }
        }
        errors
    }

    /// Calls to functions that neither regorus nor the modules define; see
    /// [`rego_calls`](super::rego_calls). Not part of [`RegoPolicies::load`]: it walks every
    /// module's syntax tree, which authoring tools (`ward test`, the language server) can
    /// afford and a scan, where such a call fails at its first evaluation anyway, need not.
    pub fn unknown_functions(&self) -> Vec<Diagnostic> {
        super::rego_calls::unknown_functions(&self.engine)
    }

    /// Whether the modules read the graph, so that it must be built and loaded for them.
    pub fn uses_graph(&self) -> bool {
        self.uses_graph
    }

    /// An engine for one scan: the graph (when [`RegoPolicies::uses_graph`]) added as
    /// `data.ward.graph`, and a time limit per evaluation. Clone it per worker.
    pub fn prepare(&self, graph: Option<&Value>, time_limit: Duration) -> Result<PreparedRego, RuleError> {
        let mut engine = self.engine.clone();
        if let Some(graph) = graph {
            // `{"ward": {"graph": …}}`, made around the converted graph (no copy of its JSON).
            let member = |key: &str, value: regorus::Value| {
                regorus::Value::from(std::collections::BTreeMap::from([(regorus::Value::from(key), value)]))
            };
            let data = member("ward", member("graph", to_regorus(graph)));
            engine.add_data(data).map_err(|e| RuleError::Engine(e.to_string()))?;
        }
        engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
            limit: time_limit,
            check_interval: NonZeroU32::MIN.saturating_add(99),
        });
        // regorus analyses every module (schedules, functions, rules, imports) on the first
        // evaluation after policies or data change, and a clone made before that does it
        // again: each worker's copy paid 70–90 ms. A trivial query prepares the engine here,
        // once, so the copies share the analysis. Should it fail, the rules' own evaluations
        // report the same error where it belongs.
        let _ = engine.eval_bool_query("true".to_owned(), false);
        Ok(PreparedRego { engine, coverage: false })
    }
}

/// A compiled engine holding one scan's graph, for one worker.
#[derive(Clone)]
pub struct PreparedRego {
    engine: regorus::Engine,
    coverage: bool,
}

/// Which lines of one Rego file ran, for `ward test --coverage`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineCoverage {
    pub path: String,
    pub covered: BTreeSet<u32>,
    pub uncovered: BTreeSet<u32>,
}

impl LineCoverage {
    /// Adds another run's record of the same files: a line is covered if any run covered it.
    pub fn merge(all: &mut Vec<LineCoverage>, more: Vec<LineCoverage>) {
        for file in more {
            match all.iter_mut().find(|known| known.path == file.path) {
                Some(known) => {
                    known.covered.extend(file.covered);
                    known.uncovered.extend(file.uncovered);
                    let covered = known.covered.clone();
                    known.uncovered.retain(|line| !covered.contains(line));
                }
                None => all.push(file),
            }
        }
        all.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

impl PreparedRego {
    /// Starts (or stops) recording which lines run.
    pub fn set_coverage(&mut self, enable: bool) {
        self.coverage = enable;
        self.engine.set_enable_coverage(enable);
    }

    /// The lines that ran since coverage was enabled, per file; empty when it was not.
    pub fn coverage(&self) -> Vec<LineCoverage> {
        if !self.coverage {
            return Vec::new();
        }
        let Ok(report) = self.engine.get_coverage_report() else { return Vec::new() };
        report
            .files
            .into_iter()
            .map(|file| LineCoverage { path: file.path, covered: file.covered, uncovered: file.not_covered })
            .collect()
    }

    /// The engine itself, for evaluations that read rules' raw values (conftest's, which count
    /// results as conftest does).
    pub(crate) fn engine_mut(&mut self) -> &mut regorus::Engine {
        &mut self.engine
    }

    /// Sets the `input` the next evaluations see.
    pub fn set_input(&mut self, input: &Value) {
        self.engine.set_input(to_regorus(input));
    }

    /// Sets `input` to `{object, meta, params}` for a per-resource rule, from parts converted
    /// once each ([`RegoValue`]): a resource's rules of several packs, and a pack's rules on
    /// every resource, share them.
    pub fn set_resource_input(&mut self, object: &RegoValue, meta: &RegoValue, params: &RegoValue) {
        let mut input = std::collections::BTreeMap::new();
        input.insert(regorus::Value::from("object"), object.0.clone());
        input.insert(regorus::Value::from("meta"), meta.0.clone());
        input.insert(regorus::Value::from("params"), params.0.clone());
        self.engine.set_input(regorus::Value::from(input));
    }

    /// Evaluates one rule against the current input.
    pub fn evaluate(&mut self, rule: &RegoRule) -> Result<Vec<RuleResult>, RuleError> {
        let mut results = Vec::new();
        for (level, entrypoint) in &rule.entrypoints {
            let value = self.engine.eval_rule(entrypoint.clone()).map_err(|e| {
                if let Some(regorus::LimitError::MemoryLimitExceeded { .. }) = e.downcast_ref::<regorus::LimitError>() {
                    return RuleError::MemoryLimit { budget: None };
                }
                let text = e.to_string();
                locate(&text).map_or(RuleError::Engine(text), RuleError::Located)
            })?;
            // Most evaluations find nothing: skip converting an empty result.
            match &value {
                regorus::Value::Set(items) if items.is_empty() => continue,
                regorus::Value::Array(items) if items.is_empty() => continue,
                regorus::Value::Undefined | regorus::Value::Null | regorus::Value::Bool(false) => continue,
                _ => {}
            }
            match &value {
                regorus::Value::Set(items) => {
                    for item in items.iter() {
                        results.push(read_result(item, *level)?);
                    }
                }
                regorus::Value::Array(items) => {
                    for item in items.iter() {
                        results.push(read_result(item, *level)?);
                    }
                }
                other => results.push(read_result(other, *level)?),
            }
        }
        Ok(results)
    }
}

/// A JSON value converted for regorus once, to be given to many evaluations: cloning it is a
/// reference count (regorus's values are shared, `arc` feature), where converting again walks
/// the whole value.
#[derive(Debug, Clone)]
pub struct RegoValue(regorus::Value);

impl RegoValue {
    pub fn of(value: &Value) -> RegoValue {
        RegoValue(to_regorus(value))
    }
}

/// Whether a module's text can reach the graph: only by naming `data.ward` (or all of `data`).
pub(crate) fn reads_graph(text: &str) -> bool {
    text.contains("data.ward") || text.contains("data[")
}

/// A JSON value as a regorus value, converted directly: `regorus::Value::from` goes through
/// serde's generic deserializer and needs an owned copy, which cost a quarter of the time of a
/// typical evaluation. Recursion follows the value's nesting, which the parsers bound.
pub(crate) fn to_regorus(value: &Value) -> regorus::Value {
    match value {
        Value::Null => regorus::Value::Null,
        Value::Bool(flag) => regorus::Value::from(*flag),
        Value::Number(number) => match (number.as_i64(), number.as_u64(), number.as_f64()) {
            (Some(int), _, _) => regorus::Value::from(int),
            (None, Some(uint), _) => regorus::Value::from(uint),
            (None, None, Some(float)) => regorus::Value::from(float),
            (None, None, None) => regorus::Value::Null,
        },
        Value::String(text) => regorus::Value::from(text.as_str()),
        Value::Array(items) => regorus::Value::from(items.iter().map(to_regorus).collect::<Vec<_>>()),
        Value::Object(members) => regorus::Value::from(
            members
                .iter()
                .map(|(key, value)| (interned_key(key), to_regorus(value)))
                .collect::<std::collections::BTreeMap<_, _>>(),
        ),
    }
}

/// An object key as a regorus string, shared with every earlier use of the same key on this
/// thread: resources repeat the same few hundred keys (`apiVersion`, `containers`, `image`), and
/// a shared string is a reference count where a new one is an allocation, a copy and a free.
/// The cache is bounded in entries and key length, so odd inputs cannot grow it.
fn interned_key(key: &str) -> regorus::Value {
    const MAX_ENTRIES: usize = 4096;
    const MAX_KEY_BYTES: usize = 64;
    thread_local! {
        static KEYS: std::cell::RefCell<std::collections::HashMap<Box<str>, regorus::Value>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if key.len() > MAX_KEY_BYTES {
        return regorus::Value::from(key);
    }
    KEYS.with(|keys| {
        let Ok(mut keys) = keys.try_borrow_mut() else { return regorus::Value::from(key) };
        if let Some(value) = keys.get(key) {
            return value.clone();
        }
        let value = regorus::Value::from(key);
        if keys.len() < MAX_ENTRIES {
            keys.insert(key.into(), value.clone());
        }
        value
    })
}

/// A `deny`/`warn` element: a message string, or `{msg, path?, resource?, related?}` where
/// `path` is an array of keys and indices or a dotted string, and `related` a list of other
/// places ([`related_targets`]).
///
/// The usual shapes — a message, or an object whose `msg` and `resource` are strings — are read
/// straight from regorus's value, anything else through JSON. (Going through JSON for every
/// result cost a tenth of a scan with many findings.) A malformed `related` is the rule's error.
fn read_result(item: &regorus::Value, level: ResultLevel) -> Result<RuleResult, RuleError> {
    let text = |value: &regorus::Value| value.as_string().ok().map(|text| text.to_string());
    let direct = match item {
        regorus::Value::String(message) => Some(RuleResult {
            message: message.to_string(),
            path: Vec::new(),
            resource: None,
            level,
            related: Vec::new(),
        }),
        regorus::Value::Object(members) => {
            let field = |name: &str| members.get(&regorus::Value::from(name));
            let message = field("msg").or_else(|| field("message")).and_then(text);
            // Only the path and the related places go through JSON: they are small, and
            // `path_tokens` is what reads them.
            let path = field("path")
                .and_then(|path| serde_json::to_value(path).ok())
                .and_then(|path| path_tokens(&path))
                .unwrap_or_default();
            let related = match field("related") {
                None => Vec::new(),
                Some(related) => related_targets(&serde_json::to_value(related)?)?,
            };
            let resource = match field("resource") {
                None => Some(None),
                Some(value) => text(value).map(Some),
            };
            match (message, resource) {
                (Some(message), Some(resource)) => Some(RuleResult { message, path, resource, level, related }),
                _ => None,
            }
        }
        _ => None,
    };
    match direct {
        Some(result) => Ok(result),
        None => match serde_json::to_value(item) {
            Ok(value) => Ok(result_of(&value, level)?),
            Err(error) => Ok(RuleResult {
                message: error.to_string(),
                path: Vec::new(),
                resource: None,
                level,
                related: Vec::new(),
            }),
        },
    }
}

fn result_of(item: &Value, level: ResultLevel) -> Result<RuleResult, RelatedError> {
    let message = match item {
        Value::String(message) => message.clone(),
        other => other
            .get("msg")
            .or_else(|| other.get("message"))
            .and_then(Value::as_str)
            .map_or_else(|| other.to_string(), str::to_owned),
    };
    let path = item.get("path").and_then(path_tokens).unwrap_or_default();
    let resource = item.get("resource").and_then(Value::as_str).map(str::to_owned);
    let related = match item.get("related") {
        Some(related) => related_targets(related)?,
        None => Vec::new(),
    };
    Ok(RuleResult { message, path, resource, level, related })
}

fn policy_error(path: &str, text: &str) -> Diagnostic {
    locate(text).unwrap_or_else(|| {
        Diagnostic::at_position(path.to_owned(), Position { line: 1, column: 1 }, text.trim().to_owned())
    })
}

/// Whether a module sits under a `lib/` directory: a library, whatever it declares.
fn is_library_path(path: &str) -> bool {
    path.split('/').any(|part| part == "lib")
}

/// Adds `definitions` more definitions of conftest rule `name` of `package` (defined in `path`)
/// to `rules`: one rule per namespace and name, whichever files define it.
fn add_conftest_rule(rules: &mut Vec<RegoRule>, path: &str, package: &str, name: &str, definitions: usize) {
    let namespace = package.strip_prefix("data.").unwrap_or(package);
    let existing = rules
        .iter_mut()
        .filter_map(|rule| rule.conftest_rule.as_mut())
        .find(|rule| rule.namespace == namespace && rule.name == name);
    if let Some(existing) = existing {
        existing.definitions += definitions;
        return;
    }
    let Some(level) = conftest_class::rule_level(name) else { return };
    let result_level = match level {
        ConftestLevel::Failure => ResultLevel::Deny,
        ConftestLevel::Warning => ResultLevel::Warn,
    };
    rules.push(RegoRule {
        metadata: conftest_metadata(namespace, name, path),
        path: path.to_owned(),
        package: package.to_owned(),
        entrypoints: vec![(result_level, format!("{package}.{name}"))],
        conftest: true,
        conftest_rule: Some(ConftestRule {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            level,
            definitions,
            exception: false,
        }),
        params: 0,
    });
}

/// conftest policies carry no metadata: each rule is named by its namespace and name
/// (`conftest/main/deny`) and fails as `high`, warnings being `low` at most.
fn conftest_metadata(namespace: &str, name: &str, path: &str) -> RuleMetadata {
    RuleMetadata {
        id: format!("conftest/{namespace}/{name}"),
        title: format!("conftest rule data.{namespace}.{name} ({path})"),
        severity: Severity::High,
        kinds: Vec::new(),
        types: Vec::new(),
        scope: RuleScope::Resource,
        description: String::new(),
        remediation: String::new(),
        references: Vec::new(),
        pack: None,
    }
}

#[cfg(test)]
mod conversion_tests {
    use super::*;

    /// Shared keys change nothing but speed: past the cache's bounds (long keys, more keys than
    /// it holds), values convert exactly as regorus converts them.
    #[test]
    fn converted_values_match_regorus_past_the_key_cache_bounds() {
        let mut object = serde_json::Map::new();
        for index in 0..5000 {
            object.insert(format!("key-{index}"), Value::from(index));
        }
        object.insert("k".repeat(100), serde_json::json!({"nested": ["a", 1.5, null]}));
        let value = Value::Object(object);
        for _ in 0..2 {
            assert_eq!(to_regorus(&value), regorus::Value::from(value.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `load`.
    #[test]
    fn rego_policies_load_example() {
        use crate::policy::rego::RegoPolicies;
        let rule = "# METADATA\n# title: t\n# custom:\n#   id: T-1\n#   severity: low\npackage ward.t\n\ndeny contains \"no\" if { input.object.x == 1 }\n";
        let (policies, errors) = RegoPolicies::load(&[("t.rego".into(), rule.into())]);
        assert!(errors.is_empty());
        assert_eq!(policies.rules[0].metadata.id, "T-1");
    }

    /// The example from the documentation of `to_regorus`.
    #[test]
    fn to_regorus_example() {
        use crate::policy::rego::to_regorus;
        let json = serde_json::json!({"a": [1, -2, 2.5, 18446744073709551615u64, "x", null, true]});
        assert_eq!(to_regorus(&json), regorus::Value::from(json.clone()));
    }
}
