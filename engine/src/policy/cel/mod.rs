//! CEL rules through the `cel` crate. A rule is a `*.cel.yaml` file shaped like a Kubernetes
//! ValidatingAdmissionPolicy:
//!
//! ```yaml
//! id: K8S-010
//! title: Containers do not run privileged
//! severity: high
//! kinds: [kubernetes]
//! match: "object.kind in ['Deployment', 'StatefulSet', 'DaemonSet']"
//! variables:
//!   - name: pod
//!     expression: object.spec.template.spec
//! validations:
//!   - forEach: object.spec.template.spec.containers
//!     expression: "!(has(element.securityContext.privileged) && element.securityContext.privileged)"
//!     messageExpression: "'container ' + element.name + ' runs privileged'"
//!     path: securityContext.privileged
//! ```
//!
//! A validation passes when its `expression` is `true`; when it is `false` the rule reports its
//! message at `path` (keys separated by dots, or a list), relative to the object — or, with
//! `forEach`, relative to each element, so that every offending container is a finding at its
//! own line. `forEach` names a list or map in `object` by a plain path; inside, `element` is the
//! element and `index` its index (or key). For a Kubernetes workload of any kind, `pod` is its
//! pod spec wherever its kind keeps it (`meta.workload.pod_spec`; `null` for other resources),
//! and `forEach: pod.containers` iterates its containers with findings at their lines. Graph rules (`scope: graph`) see only `graph` and
//! `params`; each validation iterates with `forEach` over anything (typically
//! `graph.resources.filter(…)`) and names the resource each finding is about with `resource`
//! (by default `element.id`).
//!
//! What ward adds to standard CEL, and why:
//! - JSON integers are `int`, not `uint` ([`values`]), so arithmetic with literals works;
//! - `has(a.b.c)` is `false` when `a.b` is missing, instead of an error ([`syntax`]);
//! - the `strings`, `lists` and `math` extensions (`lowerAscii`, `split`, `lists.range`, …).
//!
//! Expressions are parsed once, when the rule is loaded; a syntax error is reported at its line
//! and column in the rule file. CEL has no loops or recursion, so the time an expression takes is
//! bounded by the size of its input, which the parsers bound; a runtime error names the rule
//! file, the validation and where its expression is written.

pub(crate) mod syntax;
pub(crate) mod values;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use cel::common::ast::IdedExpr;
use cel::common::types::{CelInt, CelMap, CelMapKey, CelString, Kind};
use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;
use cel::{Context, Env, ExecutionError};
use serde_json::Value;

use super::metadata::{from_document, parse_rule_file, read_rule_file, Locator};
use super::{path_tokens, related_targets, ResultLevel, RuleMetadata, RuleResult, RuleScope};
use crate::diagnostic::Diagnostic;
use crate::document::{LineIndex, Position, Span};

/// The keys a rule file may have; anything else is a mistake worth pointing at.
const RULE_KEYS: &[&str] = &[
    "id",
    "title",
    "severity",
    "kinds",
    "types",
    "scope",
    "description",
    "remediation",
    "references",
    "match",
    "variables",
    "validations",
];
const VALIDATION_KEYS: &[&str] =
    &["expression", "message", "messageExpression", "path", "forEach", "resource", "related"];
const VARIABLE_KEYS: &[&str] = &["name", "expression"];

/// A CEL rule, ready to evaluate.
#[derive(Debug, Clone)]
pub struct CelRule {
    pub metadata: RuleMetadata,
    /// The `.cel.yaml` file, as given.
    pub path: String,
    /// Its `params`: an index into [`Policies::params`](crate::policy::Policies::params).
    pub params: usize,
    matcher: Option<Compiled>,
    variables: Vec<(String, Compiled)>,
    validations: Vec<Validation>,
}

/// A parsed expression and where it is written in the rule file.
#[derive(Debug, Clone)]
struct Compiled {
    expression: IdedExpr,
    /// What the expression is, for messages: `match`, `validations[1].expression`.
    role: String,
    position: Position,
}

#[derive(Debug, Clone)]
struct Validation {
    expression: Compiled,
    message: Message,
    /// Where a finding points, relative to the object (or to the element, with `forEach`).
    path: Vec<String>,
    for_each: Option<ForEach>,
    /// Graph rules: which resource a finding is about (default `element.id`).
    resource: Option<Compiled>,
    /// Other places a finding concerns: a list of `{resource | document, path, message}`.
    related: Option<Compiled>,
}

#[derive(Debug, Clone)]
enum Message {
    Text(String),
    Expression(Compiled),
}

#[derive(Debug, Clone)]
struct ForEach {
    expression: Compiled,
    /// For per-resource rules: what the path starts from.
    root: Root,
    /// For per-resource rules: the path in `root` the elements are under.
    path: Vec<String>,
}

/// The values a per-resource `forEach` can name a list in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    /// The resource's value.
    Object,
    /// A workload's pod spec, at `meta.workload.pod_spec` in the object.
    Pod,
}

impl Root {
    const ALL: [(Root, &'static str); 2] = [(Root::Object, "object"), (Root::Pod, "pod")];
}

/// A rule that failed at run time, and where in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CelError {
    pub position: Position,
    pub message: String,
}

/// All CEL rules of a run, parsed.
#[derive(Clone)]
pub struct CelPolicies {
    env: Arc<Env>,
    pub rules: Vec<CelRule>,
}

impl CelPolicies {
    /// Loads `(path, text)` rule files. Files that fail stay out and are reported; the rest are
    /// still usable.
    pub fn load(files: &[(String, String)]) -> (CelPolicies, Vec<Diagnostic>) {
        let mut policies = CelPolicies { env: Arc::new(environment()), rules: Vec::new() };
        let errors = policies.add(files);
        (policies, errors)
    }

    /// Loads more rule files into these, returning the problems of those that fail.
    pub fn add(&mut self, files: &[(String, String)]) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for (path, text) in files {
            match load_rule(&self.env, path, text) {
                Ok(rule) => self.rules.push(rule),
                Err(error) => errors.push(error),
            }
        }
        errors
    }

    /// Whether any rule reads `graph`, so that it must be built and converted for them.
    pub fn uses_graph(&self) -> bool {
        self.rules.iter().any(CelRule::uses_graph)
    }

    /// An evaluator for one scan, holding the graph (converted once) when a rule reads it, and
    /// the rules' params. Share it between workers by reference: evaluation does not change it.
    pub fn prepare(&self, graph: Option<&Value>, params: &[Value]) -> PreparedCel {
        PreparedCel {
            env: Arc::clone(&self.env),
            graph: graph.map(values::to_cel),
            params: params.iter().map(values::to_cel).collect(),
        }
    }
}

/// The standard library and the extensions ward documents for rule authors.
fn environment() -> Env {
    let mut env = Env::stdlib();
    // These only fail on a name declared twice, which a fresh environment cannot have; a
    // failure would show as "undeclared reference" in the rules that use the extension.
    let _ = env.add_extension(cel::extensions::strings);
    let _ = env.add_extension(cel::extensions::lists);
    let _ = env.add_extension(cel::extensions::math);
    env
}

impl CelRule {
    fn expressions(&self) -> impl Iterator<Item = &Compiled> {
        let per_validation = self.validations.iter().flat_map(|v| {
            let message = match &v.message {
                Message::Expression(compiled) => Some(compiled),
                Message::Text(_) => None,
            };
            std::iter::once(&v.expression)
                .chain(message)
                .chain(v.for_each.as_ref().map(|f| &f.expression))
                .chain(v.resource.as_ref())
                .chain(v.related.as_ref())
        });
        self.matcher.iter().chain(self.variables.iter().map(|(_, compiled)| compiled)).chain(per_validation)
    }

    fn uses_graph(&self) -> bool {
        self.expressions().any(|compiled| compiled.expression.references().has_variable("graph"))
    }
}

/// The variables of one resource, converted once and lent to every CEL rule that looks at it.
pub struct CelInput {
    object: Box<dyn Val>,
    meta: Box<dyn Val>,
    /// A workload's pod spec (`null` for other resources), and its path in the object.
    pod: Box<dyn Val>,
    pod_path: Vec<String>,
}

impl CelInput {
    /// The input of a resource whose value is `object`; `meta.workload.pod_spec`, when the
    /// resource runs pods, is the path of the pod spec that rules read as `pod`.
    pub fn new(object: &Value, meta: &Value) -> CelInput {
        let pod_path: Vec<String> = meta
            .pointer("/workload/pod_spec")
            .and_then(Value::as_array)
            .map(|tokens| tokens.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        let pod = match meta.pointer("/workload/pod_spec") {
            Some(_) => pod_path.iter().try_fold(object, |value, key| value.get(key)),
            None => None,
        };
        CelInput {
            object: values::to_cel(object),
            meta: values::to_cel(meta),
            pod: values::to_cel(pod.unwrap_or(&Value::Null)),
            pod_path,
        }
    }
}

/// One scan's evaluator: the environment, the graph and the rules' params.
pub struct PreparedCel {
    env: Arc<Env>,
    graph: Option<Box<dyn Val>>,
    /// Converted once per scan; a rule's `params` indexes it.
    params: Vec<Box<dyn Val>>,
}

/// The names an expression can read, borrowed for one evaluation.
#[derive(Clone, Copy, Default)]
struct Scope<'a> {
    object: Option<&'a dyn Val>,
    meta: Option<&'a dyn Val>,
    pod: Option<&'a dyn Val>,
    params: Option<&'a dyn Val>,
    graph: Option<&'a dyn Val>,
    variables: Option<&'a dyn Val>,
    element: Option<&'a dyn Val>,
    index: Option<&'a dyn Val>,
}

impl VariableResolver for Scope<'_> {
    fn resolve<'b>(&'b self, variable: &str) -> Option<CowVal<'b, 'b>> {
        let value = match variable {
            "object" => self.object,
            "meta" => self.meta,
            "pod" => self.pod,
            "params" => self.params,
            "graph" => self.graph,
            "variables" => self.variables,
            "element" => self.element,
            "index" => self.index,
            _ => None,
        }?;
        Some(CowVal::Borrowed(value))
    }
}

impl PreparedCel {
    /// Evaluates `rule`: a per-resource rule against `input`, a graph rule (with `input` `None`)
    /// against the graph.
    pub fn evaluate(&self, rule: &CelRule, input: Option<&CelInput>) -> Result<Vec<RuleResult>, CelError> {
        let empty_params: Box<dyn Val> = Box::new(CelMap::from(HashMap::new()));
        let params = self.params.get(rule.params).unwrap_or(&empty_params);
        let mut scope = Scope { graph: self.graph.as_deref(), params: Some(&**params), ..Scope::default() };
        if let Some(input) = input {
            scope.object = Some(&*input.object);
            scope.meta = Some(&*input.meta);
            scope.pod = Some(&*input.pod);
        }
        if let Some(matcher) = &rule.matcher {
            if !self.test(matcher, &scope)? {
                return Ok(Vec::new());
            }
        }
        let variables = self.variables(rule, &scope)?;
        scope.variables = variables.as_deref();
        let mut results = Vec::new();
        for validation in &rule.validations {
            match (&validation.for_each, rule.metadata.scope) {
                (None, _) => {
                    if !self.test(&validation.expression, &scope)? {
                        results.push(self.result(rule, validation, &scope, validation.path.clone(), None)?);
                    }
                }
                (Some(for_each), RuleScope::Resource) => {
                    let (root, base) = match (for_each.root, input) {
                        (Root::Object, _) => (scope.object, &[][..]),
                        (Root::Pod, Some(input)) => (scope.pod, input.pod_path.as_slice()),
                        (Root::Pod, None) => (None, &[][..]),
                    };
                    let Some(root) = root else { continue };
                    let mut failure = None;
                    with_value_at(root, &for_each.path, &mut |list| {
                        let place = Place { for_each, base, list };
                        failure = self.for_each_element(rule, validation, &place, &scope, &mut results).err();
                    });
                    if let Some(error) = failure {
                        return Err(error);
                    }
                }
                (Some(for_each), RuleScope::Graph) => {
                    let elements = self.run(&for_each.expression, &scope)?;
                    let elements: Vec<Box<dyn Val>> = match elements {
                        cel::Value::List(items) => items
                            .iter()
                            .map(|item| Box::<dyn Val>::try_from(item.clone()))
                            .collect::<Result<_, _>>()
                            .map_err(|e| failed(&for_each.expression, &e.to_string()))?,
                        other => {
                            return Err(failed(
                                &for_each.expression,
                                &format!("`forEach` of a graph rule must give a list, gave {}", type_name(&other)),
                            ))
                        }
                    };
                    for (index, element) in elements.iter().enumerate() {
                        let index: Box<dyn Val> = Box::new(CelInt::from(i64::try_from(index).unwrap_or(i64::MAX)));
                        let inner = Scope { element: Some(&**element), index: Some(&*index), ..scope };
                        if !self.test(&validation.expression, &inner)? {
                            let resource = match &validation.resource {
                                Some(compiled) => self.text(compiled, &inner)?,
                                None => match element.as_indexer().map(|map| map.get(&CelString::from("id"))) {
                                    Some(Ok(id)) => match cel::Value::try_from(&*id) {
                                        Ok(cel::Value::String(id)) => id.to_string(),
                                        _ => String::new(),
                                    },
                                    _ => String::new(),
                                },
                            };
                            let result =
                                self.result(rule, validation, &inner, validation.path.clone(), Some(resource))?;
                            results.push(result);
                        }
                    }
                }
            }
        }
        Ok(results)
    }

    /// Checks one `forEach` validation against every element of the place's list (a list or a
    /// map in the object; absent, `null` or anything else has no elements). A map's entries are
    /// visited in the order of their keys: `cel` keeps maps in a `HashMap`, whose order changes
    /// per run.
    fn for_each_element(
        &self,
        rule: &CelRule,
        validation: &Validation,
        place: &Place,
        scope: &Scope,
        results: &mut Vec<RuleResult>,
    ) -> Result<(), CelError> {
        let Some(list) = place.list else { return Ok(()) };
        let Some(iterable) = list.as_iterable() else { return Ok(()) };
        let mut check = |element: &dyn Val, index: &dyn Val, token: String| -> Result<(), CelError> {
            let inner = Scope { element: Some(element), index: Some(index), ..*scope };
            if !self.test(&validation.expression, &inner)? {
                let path = (place.base.iter().chain(&place.for_each.path).cloned())
                    .chain([token])
                    .chain(validation.path.iter().cloned())
                    .collect();
                results.push(self.result(rule, validation, &inner, path, None)?);
            }
            Ok(())
        };
        let mut items = iterable.iter();
        if list.get_type().kind() != Kind::Map {
            let mut position: i64 = 0;
            while let Some(element) = items.next() {
                check(element, &CelInt::from(position), position.to_string())?;
                position = position.saturating_add(1);
            }
            return Ok(());
        }
        // Object keys are strings; a map from elsewhere may have others, named as CEL shows them.
        let mut keys: Vec<(String, &dyn Val)> = Vec::new();
        while let Some(key) = items.next() {
            let token = match cel::Value::try_from(key) {
                Ok(cel::Value::String(text)) => text.to_string(),
                Ok(other) => format!("{other:?}"),
                Err(_) => continue,
            };
            keys.push((token, key));
        }
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        let Some(indexer) = list.as_indexer() else { return Ok(()) };
        for (token, key) in keys {
            if let Ok(element) = indexer.get(key) {
                check(&*element, key, token)?;
            }
        }
        Ok(())
    }

    fn variables(&self, rule: &CelRule, scope: &Scope) -> Result<Option<Box<dyn Val>>, CelError> {
        if rule.variables.is_empty() {
            return Ok(None);
        }
        let mut values: HashMap<CelMapKey<'static>, Box<dyn Val>> = HashMap::new();
        for (name, compiled) in &rule.variables {
            let value = self.run(compiled, scope)?;
            let value = Box::<dyn Val>::try_from(value).map_err(|e| failed(compiled, &e.to_string()))?;
            values.insert(CelMapKey::from(name.clone()), value);
        }
        Ok(Some(Box::new(CelMap::from(values))))
    }

    fn result(
        &self,
        rule: &CelRule,
        validation: &Validation,
        scope: &Scope,
        path: Vec<String>,
        resource: Option<String>,
    ) -> Result<RuleResult, CelError> {
        let message = match &validation.message {
            Message::Text(text) => text.clone(),
            Message::Expression(compiled) => self.text(compiled, scope)?,
        };
        let message = if message.is_empty() { rule.metadata.title.clone() } else { message };
        let related = match &validation.related {
            None => Vec::new(),
            Some(compiled) => {
                let value =
                    values::to_json(&self.run(compiled, scope)?).map_err(|e| failed(compiled, &e.to_string()))?;
                related_targets(&value).map_err(|e| failed(compiled, &e.to_string()))?
            }
        };
        Ok(RuleResult { message, path, resource, level: ResultLevel::Deny, related })
    }

    fn run(&self, compiled: &Compiled, scope: &Scope) -> Result<cel::Value, CelError> {
        let mut context = Context::with_env(Arc::clone(&self.env));
        context.set_variable_resolver(scope);
        // `cel` is a third-party interpreter running authors' expressions: whatever it does on
        // an input nobody foresaw, one rule must not take the scan down.
        match catch_unwind(AssertUnwindSafe(|| cel::Value::resolve(&compiled.expression, &context))) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(failed(compiled, &describe(&error))),
            Err(_) => Err(failed(compiled, "the CEL interpreter failed on this input")),
        }
    }

    fn test(&self, compiled: &Compiled, scope: &Scope) -> Result<bool, CelError> {
        match self.run(compiled, scope)? {
            cel::Value::Bool(flag) => Ok(flag),
            other => Err(failed(compiled, &format!("must give a bool, gave {}", type_name(&other)))),
        }
    }

    fn text(&self, compiled: &Compiled, scope: &Scope) -> Result<String, CelError> {
        match self.run(compiled, scope)? {
            cel::Value::String(text) => Ok(text.to_string()),
            other => Err(failed(compiled, &format!("must give a string, gave {}", type_name(&other)))),
        }
    }
}

/// The list a per-resource `forEach` iterates, and where it is.
struct Place<'p> {
    for_each: &'p ForEach,
    /// The path, in the object, of the value the `forEach` path starts from.
    base: &'p [String],
    list: Option<&'p dyn Val>,
}

/// Calls `f` with the value at `path` below `value`, or `None` when something on the way is
/// missing. (A callback, because each step may borrow from the one before.)
fn with_value_at(value: &dyn Val, path: &[String], f: &mut dyn FnMut(Option<&dyn Val>)) {
    let Some((first, rest)) = path.split_first() else { return f(Some(value)) };
    let child = value.as_indexer().and_then(|indexer| {
        if value.get_type().kind() == Kind::List {
            let index: i64 = first.parse().ok()?;
            indexer.get(&CelInt::from(index)).ok()
        } else {
            indexer.get(&CelString::from(first.as_str())).ok()
        }
    });
    match child {
        Some(child) => with_value_at(&*child, rest, f),
        None => f(None),
    }
}

fn failed(compiled: &Compiled, message: &str) -> CelError {
    CelError { position: compiled.position, message: format!("{}: {message}", compiled.role) }
}

/// An execution error in the words a rule author needs.
fn describe(error: &ExecutionError) -> String {
    match error {
        ExecutionError::NoSuchKey(key) => {
            format!("no such key `{key}` (guard optional fields with `has(…)`, or use `.?{key}.orValue(…)`)")
        }
        other => other.to_string(),
    }
}

fn type_name(value: &cel::Value) -> String {
    value.type_of().to_string()
}

/// Parses one rule file into a rule, or the first problem in it, at its line and column.
/// The metadata of a rule file, without compiling its expressions: what the rule catalog needs
/// of a rule that a scan may not run. `None` when the file does not read as a rule (loading it
/// reports why).
pub(crate) fn metadata_of(path: &str, text: &str) -> Option<RuleMetadata> {
    let parsed = read_rule_file(path, text).ok()?;
    let locator = Locator::whole_file(path, text, &parsed.source_map);
    match parsed.value.as_array().map(Vec::as_slice) {
        Some([document @ Value::Object(_)]) => from_document(document, "", &locator).ok(),
        _ => None,
    }
}

fn load_rule(env: &Env, path: &str, text: &str) -> Result<CelRule, Diagnostic> {
    let at_start = |message: String| Diagnostic::at_position(path.to_owned(), Position { line: 1, column: 1 }, message);
    let parsed = parse_rule_file(path, text)?;
    let locator = Locator::whole_file(path, text, &parsed.source_map);
    let document = match parsed.value.as_array().map(Vec::as_slice) {
        Some([document @ Value::Object(_)]) => document,
        Some([_]) => {
            return Err(at_start("a CEL rule file is a mapping with `id`, `severity`, `validations`, …".into()))
        }
        _ => return Err(at_start("a CEL rule file holds exactly one YAML document (one rule)".into())),
    };
    check_keys(document, "", RULE_KEYS, &locator)?;
    let metadata = from_document(document, "", &locator)?;
    let rules = RuleFile { env, document, text, locator: &locator, source_map: &parsed.source_map };
    let matcher = match document.get("match") {
        None | Some(Value::Null) => None,
        Some(_) => Some(rules.compile("/match", "match")?),
    };
    let mut variables = Vec::new();
    for (index, variable) in rules.list(document, "variables")?.iter().enumerate() {
        let pointer = format!("/variables/{index}");
        check_keys(variable, &pointer, VARIABLE_KEYS, &locator)?;
        let name = variable.get("name").and_then(Value::as_str).unwrap_or_default();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(locator.error(
                locator.value(&format!("{pointer}/name")),
                "a variable needs a `name` made of letters, digits and `_`",
            ));
        }
        let compiled = rules.compile(&format!("{pointer}/expression"), &format!("variables.{name}"))?;
        variables.push((name.to_owned(), compiled));
    }
    let entries = rules.list(document, "validations")?;
    if entries.is_empty() {
        return Err(locator
            .error(locator.key("/validations"), "the rule has no `validations`, so it can never report anything"));
    }
    let mut validations = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        validations.push(rules.validation(entry, index, metadata.scope)?);
    }
    Ok(CelRule { metadata, path: path.to_owned(), params: 0, matcher, variables, validations })
}

/// One rule file while it is being read: what compiling and locating need.
struct RuleFile<'a> {
    env: &'a Env,
    document: &'a Value,
    text: &'a str,
    locator: &'a Locator<'a>,
    source_map: &'a crate::document::SourceMap,
}

impl RuleFile<'_> {
    /// The list at `key` (absent is empty), or an error at the key.
    fn list<'v>(&self, document: &'v Value, key: &str) -> Result<&'v [Value], Diagnostic> {
        match document.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => {
                Err(self.locator.error(self.locator.value(&format!("/{key}")), format!("`{key}` must be a list")))
            }
        }
    }

    fn validation(&self, entry: &Value, index: usize, scope: RuleScope) -> Result<Validation, Diagnostic> {
        let pointer = format!("/validations/{index}");
        let locator = self.locator;
        check_keys(entry, &pointer, VALIDATION_KEYS, locator)?;
        let role = |key: &str| format!("validations[{index}].{key}");
        if entry.get("expression").is_none() {
            return Err(locator
                .error(locator.value(&pointer), "a validation needs an `expression` that is true when all is well"));
        }
        let expression = self.compile(&format!("{pointer}/expression"), &role("expression"))?;
        let message = match (entry.get("messageExpression"), entry.get("message")) {
            (Some(_), _) => {
                Message::Expression(self.compile(&format!("{pointer}/messageExpression"), &role("messageExpression"))?)
            }
            (None, Some(Value::String(text))) => Message::Text(text.clone()),
            (None, None) => Message::Text(String::new()),
            (None, Some(_)) => {
                return Err(locator.error(locator.value(&format!("{pointer}/message")), "`message` must be text"))
            }
        };
        let path = match entry.get("path") {
            None | Some(Value::Null) => Vec::new(),
            Some(value) => path_tokens(value).ok_or_else(|| {
                locator.error(
                    locator.value(&format!("{pointer}/path")),
                    "`path` must be keys separated by dots (`spec.replicas`) or a list of keys and indices",
                )
            })?,
        };
        let for_each = match entry.get("forEach") {
            None | Some(Value::Null) => None,
            Some(_) => {
                let expression = self.compile(&format!("{pointer}/forEach"), &role("forEach"))?;
                let (root, path) = match scope {
                    RuleScope::Graph => (Root::Object, Vec::new()),
                    RuleScope::Resource => Root::ALL
                        .iter()
                        .find_map(|(root, name)| Some((*root, syntax::field_path(&expression.expression, name)?)))
                        .ok_or_else(|| {
                            locator.error(
                                expression.position,
                                "`forEach` must name a list or map in the object by its path (`object.spec.containers`, or `pod.containers` in a workload's pod spec), so that each element's finding has a line",
                            )
                        })?,
                };
                Some(ForEach { expression, root, path })
            }
        };
        let resource = match (entry.get("resource"), scope) {
            (None | Some(Value::Null), _) => None,
            (Some(_), RuleScope::Graph) => Some(self.compile(&format!("{pointer}/resource"), &role("resource"))?),
            (Some(_), RuleScope::Resource) => return Err(locator.error(
                locator.key(&format!("{pointer}/resource")),
                "`resource` is for graph rules (`scope: graph`); a per-resource rule's findings are about its resource",
            )),
        };
        let related = match entry.get("related") {
            None | Some(Value::Null) => None,
            Some(_) => Some(self.compile(&format!("{pointer}/related"), &role("related"))?),
        };
        if scope == RuleScope::Graph && for_each.is_none() {
            return Err(locator.error(
                locator.value(&pointer),
                "a graph rule's validation needs `forEach` over what it judges (for example `graph.resources.filter(r, r.kind == 'kubernetes')`), so that each finding names its resource",
            ));
        }
        Ok(Validation { expression, message, path, for_each, resource, related })
    }

    /// Parses the expression at `pointer` (relative to the document), with `has()` guarded.
    fn compile(&self, pointer: &str, role: &str) -> Result<Compiled, Diagnostic> {
        let locator = self.locator;
        let position = locator.value(pointer);
        // YAML may read an expression such as `true` or `1 == 1`… as a bool or a number.
        let expression_text = match self.document.pointer(pointer) {
            Some(Value::String(text)) => text.clone(),
            Some(scalar @ (Value::Bool(_) | Value::Number(_))) => scalar.to_string(),
            None | Some(Value::Null) => return Err(locator.error(position, format!("`{role}` is missing"))),
            Some(_) => return Err(locator.error(position, format!("`{role}` must be a CEL expression (text)"))),
        };
        let parsed = catch_unwind(AssertUnwindSafe(|| self.env.parser().parse(&expression_text)));
        match parsed {
            Ok(Ok(mut expression)) => {
                syntax::guard_presence_tests(&mut expression);
                Ok(Compiled { expression, role: role.to_owned(), position })
            }
            Ok(Err(errors)) => {
                let first = errors.errors.first();
                let message = first.map_or_else(|| "invalid CEL".to_owned(), |e| e.msg.clone());
                let span = self.source_map.get(&format!("/0{pointer}")).unwrap_or(Span::new(0, 0));
                let at = first.map_or(position, |e| position_in_scalar(self.text, &locator.lines, span, e.pos));
                Err(locator.error(at, format!("in `{role}`: {message}")))
            }
            Err(_) => Err(locator.error(position, format!("in `{role}`: the CEL parser failed on this expression"))),
        }
    }
}

/// Where a CEL parser position (1-based line and column within the expression) is in the rule
/// file, given the span of the YAML scalar holding the expression. An expression spans several
/// lines only in a literal block scalar (`|`), whose lines are the file's lines at the block's
/// indentation; quoted and plain scalars are on their first line, past any opening quote.
fn position_in_scalar(text: &str, lines: &LineIndex, span: Span, (line, column): (isize, isize)) -> Position {
    let start = lines.position(text, span.start);
    let line = u32::try_from(line.max(1)).unwrap_or(1);
    let column = u32::try_from(column.max(1)).unwrap_or(1);
    let first = text.get(span.start..).and_then(|rest| rest.chars().next());
    // A span may start at a block scalar's `|` header or at its first line of content.
    let header = matches!(first, Some('|' | '>'));
    if line == 1 && !header {
        let quote = u32::from(matches!(first, Some('"' | '\'')));
        return Position { line: start.line, column: start.column + quote + column - 1 };
    }
    let first_line = start.line + u32::from(header);
    // The block's indentation is that of its first line; deeper lines keep the rest as text.
    let indent = lines
        .line_start(first_line)
        .and_then(|at| text.get(at..))
        .map_or(0, |rest| rest.chars().take_while(|c| *c == ' ').count());
    Position { line: first_line + line - 1, column: u32::try_from(indent).unwrap_or(0) + column }
}

/// Every key of `object` must be one of `allowed`; the first that is not is an error at it.
fn check_keys(object: &Value, pointer: &str, allowed: &[&str], locator: &Locator) -> Result<(), Diagnostic> {
    let Some(members) = object.as_object() else {
        return Err(locator.error(locator.value(pointer), "expected a mapping"));
    };
    match members.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => Err(locator.error(
            locator.key(&crate::document::pointer_push(pointer, key)),
            format!("unknown key `{key}`; expected one of {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    /// The position of `needle` (1-based line and column) in `text`.
    fn at(text: &str, needle: &str) -> Position {
        let offset = text.find(needle).unwrap();
        LineIndex::new(text).position(text, offset)
    }

    #[test]
    fn syntax_errors_are_reported_where_they_are_written() {
        let cases = [
            ("plain", "id: T\nexpression: a >= = 2\n", "= 2"),
            ("double quoted", "id: T\nexpression: \"a >= = 2\"\n", "= 2"),
            ("single quoted", "id: T\nexpression: 'a >= = 2'\n", "= 2"),
            ("literal block, second line", "id: T\nexpression: |\n  a &&\n    b >= = 2\n", "= 2"),
            ("literal block, first line", "id: T\nexpression: |\n  a >= = 2\n", "= 2"),
        ];
        for (name, text, needle) in cases {
            let parsed = parse_rule_file("t.cel.yaml", text).unwrap();
            let span = parsed.source_map.get("/0/expression").unwrap();
            let expression = parsed.value[0]["expression"].as_str().unwrap();
            let error = environment().parser().parse(expression).unwrap_err();
            let position = position_in_scalar(text, &LineIndex::new(text), span, error.errors[0].pos);
            assert_eq!(position, at(text, needle), "{name}");
        }
    }

    /// The example from the documentation of `load`.
    #[test]
    fn cel_policies_load_example() {
        use crate::policy::cel::CelPolicies;
        let rule = "id: T-1\ntitle: Final stage sets a USER\nseverity: medium\nkinds: [dockerfile]\nvalidations:\n  - expression: \"object.stages[object.stages.size() - 1].instructions.exists(i, i.cmd == 'user')\"\n    message: final stage has no USER\n";
        let (policies, errors) = CelPolicies::load(&[("t.cel.yaml".into(), rule.into())]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(policies.rules[0].metadata.id, "T-1");

        let broken = rule.replace("i.cmd ==", "i.cmd = =");
        let (_, errors) = CelPolicies::load(&[("t.cel.yaml".into(), broken)]);
        assert_eq!(errors[0].position.map(|p| p.line), Some(6));
    }
}
