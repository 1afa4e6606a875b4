//! conftest's check of one input against one namespace, counted as conftest counts it: every
//! rule named `deny`/`violation`/`warn` (or prefixed with them) queried once, a result that is
//! a string or a `{msg, …}` object a failure or warning, anything else (an empty set, a bare
//! `true`) a success; an `exception` naming a rule turns its results into one exception each
//! match; and as many successes added as the namespace has rule definitions not otherwise
//! accounted for. Used by `ward conftest test` and by `ward scan` alike.

use serde_json::{Map, Value};

use crate::policy::conftest_class::{exception_name, ConftestLevel};
use crate::policy::rego::to_regorus;

/// The rules conftest queries in one namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Namespace {
    /// The package without `data.`.
    pub name: String,
    /// Each distinct rule name, in order of first definition.
    pub rules: Vec<(String, ConftestLevel)>,
    /// How many definitions those rules have in all: conftest's number of tests per input.
    pub definitions: usize,
    /// Whether the namespace declares `exception`.
    pub exception: bool,
}

/// One result of a rule: a message, where the policy says it is (`_loc`), and the other members
/// of its object plus the query that produced it (`metadata`).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckMessage {
    pub message: String,
    /// `{file, line}` from a result's `_loc` member.
    pub location: Option<Value>,
    pub metadata: Map<String, Value>,
}

impl CheckMessage {
    pub fn text(message: impl Into<String>) -> CheckMessage {
        CheckMessage { message: message.into(), location: None, metadata: Map::new() }
    }
}

/// What checking one file (or the combined input) against one namespace found: conftest's
/// `CheckResult`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckResult {
    /// The file as given on the command line, `-` for standard input, `Combined` for
    /// `--combine`.
    pub filename: String,
    /// The Rego package checked, `main` unless namespaced.
    pub namespace: String,
    /// Rules that passed, counted as conftest counts them.
    pub successes: usize,
    /// Results of rules a `--namespace` or `--ignore` left out.
    pub skipped: Vec<CheckMessage>,
    /// `warn` results.
    pub warnings: Vec<CheckMessage>,
    /// `deny` and `violation` results.
    pub failures: Vec<CheckMessage>,
    /// Failures an `exception` rule exempted.
    pub exceptions: Vec<CheckMessage>,
    /// The queries run, for `--trace`.
    pub queries: Vec<String>,
    /// With `--trace`: what each evaluated query ran.
    pub traces: Vec<crate::conftest::trace::QueryTrace>,
    /// What the policies' `print()` calls wrote (`<policy>:<line>: <message>`).
    pub prints: Vec<String>,
}

impl CheckResult {
    /// An empty result for `filename` in `namespace`.
    pub fn new(filename: &str, namespace: &str) -> CheckResult {
        CheckResult { filename: filename.to_owned(), namespace: namespace.to_owned(), ..CheckResult::default() }
    }

    /// Everything counted: conftest's number of tests.
    pub fn total(&self) -> usize {
        self.successes + self.skipped.len() + self.warnings.len() + self.failures.len() + self.exceptions.len()
    }

    /// Adds another input's results of the same file and namespace (the documents of a YAML
    /// stream are checked one by one and reported together).
    pub fn absorb(&mut self, other: CheckResult) {
        self.successes += other.successes;
        self.skipped.extend(other.skipped);
        self.warnings.extend(other.warnings);
        self.failures.extend(other.failures);
        self.exceptions.extend(other.exceptions);
        self.queries.extend(other.queries);
        self.traces.extend(other.traces);
        self.prints.extend(other.prints);
    }
}

/// Why a check could not be completed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// The policy failed while evaluating (a runtime error, a time-out).
    #[error("evaluating {query}: {message}")]
    Evaluation { query: String, message: String },
    /// A result object without a string `msg`, which conftest refuses.
    #[error("{query}: {message}")]
    Result { query: String, message: String },
}

/// Checks the current input against `namespace`, with `evaluate` answering a query (a rule's
/// path) with the rule's value (`None` when it is undefined).
pub(crate) fn check_namespace(
    filename: &str,
    namespace: &Namespace,
    evaluate: &mut dyn FnMut(&str) -> Result<Option<regorus::Value>, String>,
) -> Result<CheckResult, CheckError> {
    let mut result = CheckResult::new(filename, &namespace.name);
    let exceptions = match namespace.exception {
        true => {
            let query = format!("data.{}.exception", namespace.name);
            evaluate(&query).map_err(|message| CheckError::Evaluation { query, message })?
        }
        false => None,
    };
    let mut successes = 0;
    for (rule, level) in &namespace.rules {
        let excepted = exception_name(rule);
        let exception_query = format!("data.{}.exception[_][_] == {}", namespace.name, go_quote(excepted));
        let matches = exceptions.as_ref().map_or(0, |exceptions| exception_matches(exceptions, excepted));
        let query = format!("data.{}.{rule}", namespace.name);
        result.queries.push(exception_query.clone());
        result.queries.push(query.clone());
        let value = evaluate(&query).map_err(|message| CheckError::Evaluation { query: query.clone(), message })?;
        let messages = match value {
            Some(value) => rule_messages(&value, &query)?,
            // An undefined rule returns no result at all.
            None => Vec::new(),
        };
        result.exceptions.extend((0..matches).map(|_| CheckMessage::text(exception_query.clone())));
        if matches > 0 {
            continue;
        }
        for message in messages {
            match message {
                None => successes += 1,
                Some(message) if *level == ConftestLevel::Failure => result.failures.push(message),
                Some(message) => result.warnings.push(message),
            }
        }
    }
    // A rule succeeds with one empty result however many times it is defined: the definitions
    // not otherwise accounted for are successes.
    let counted = result.failures.len() + result.warnings.len() + result.exceptions.len() + successes;
    result.successes = successes + namespace.definitions.saturating_sub(counted);
    Ok(result)
}

/// How many times `rule` appears in the exception document: conftest counts one exception per
/// solution of `exception[_][_] == rule`.
fn exception_matches(exceptions: &regorus::Value, rule: &str) -> usize {
    let wanted = regorus::Value::from(rule);
    members(exceptions).iter().map(|inner| members(inner).iter().filter(|item| **item == wanted).count()).sum()
}

/// The members of a collection (`[_]` over an array, a set or an object's values).
fn members(value: &regorus::Value) -> Vec<regorus::Value> {
    match value {
        regorus::Value::Array(items) => items.iter().cloned().collect(),
        regorus::Value::Set(items) => items.iter().cloned().collect(),
        regorus::Value::Object(fields) => fields.values().cloned().collect(),
        _ => Vec::new(),
    }
}

/// A rule's value as conftest reads it: a set or array yields one result per string or
/// `{msg, …}` object (other members are ignored), an empty one a single success (`None`); any
/// other value (a bare `true`, an object) is one success.
fn rule_messages(value: &regorus::Value, query: &str) -> Result<Vec<Option<CheckMessage>>, CheckError> {
    let items = match value {
        regorus::Value::Array(items) => items.iter().cloned().collect::<Vec<_>>(),
        regorus::Value::Set(items) => items.iter().cloned().collect(),
        _ => return Ok(vec![None]),
    };
    if items.is_empty() {
        return Ok(vec![None]);
    }
    let mut messages = Vec::new();
    for item in items {
        match item {
            regorus::Value::String(text) => {
                let mut metadata = Map::new();
                metadata.insert("query".into(), Value::from(query));
                messages.push(Some(CheckMessage { message: text.to_string(), location: None, metadata }));
            }
            regorus::Value::Object(_) => messages.push(Some(object_message(&item, query)?)),
            _ => {}
        }
    }
    Ok(messages)
}

/// A `{msg, _loc?, …}` result: `msg` must be a string; the other members are its metadata.
fn object_message(item: &regorus::Value, query: &str) -> Result<CheckMessage, CheckError> {
    let json = serde_json::to_value(item).unwrap_or(Value::Null);
    let Value::Object(fields) = json else {
        return Err(CheckError::Result { query: query.to_owned(), message: "result is not an object".into() });
    };
    let message = match fields.get("msg") {
        Some(Value::String(message)) => message.clone(),
        Some(_) => {
            return Err(CheckError::Result {
                query: query.to_owned(),
                message: format!("msg field must be string: {}", Value::Object(fields.clone())),
            })
        }
        None => {
            return Err(CheckError::Result {
                query: query.to_owned(),
                message: format!("rule missing msg field: {}", Value::Object(fields.clone())),
            })
        }
    };
    let mut metadata = Map::new();
    let mut location = None;
    for (key, value) in fields {
        match key.as_str() {
            "msg" => {}
            "_loc" => location = Some(value),
            _ => {
                metadata.insert(key, value);
            }
        }
    }
    metadata.insert("query".into(), Value::from(query));
    Ok(CheckMessage { message, location, metadata })
}

pub(crate) use crate::go_text::quote as go_quote;

/// Sets `input` on `engine`, converted directly.
pub(crate) fn set_input(engine: &mut regorus::Engine, input: &Value) {
    engine.set_input(to_regorus(input));
}

/// Evaluates the rule at `path` on `engine`'s current input: `None` when it is undefined. With
/// `file`, `data.conftest.file` is that value for this evaluation (conftest's per-file data).
pub(crate) fn evaluate_path(
    engine: &mut regorus::Engine,
    path: &str,
    file: Option<&Value>,
) -> Result<Option<regorus::Value>, String> {
    let value = match file {
        None => engine.eval_rule(path.to_owned()).map_err(|error| error.to_string())?,
        Some(file) => {
            let query = format!("{path} with data.conftest.file as {file}");
            let results = engine.eval_query(query, false).map_err(|error| error.to_string())?;
            match results.result.first().and_then(|result| result.expressions.first()) {
                Some(expression) => expression.value.clone(),
                None => regorus::Value::Undefined,
            }
        }
    };
    Ok(match value {
        regorus::Value::Undefined => None,
        value => Some(value),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// The example that was in the documentation of `go_quote`.
    #[test]
    fn go_quote_example() {
        assert_eq!(crate::conftest::check::go_quote("run_as_root"), "\"run_as_root\"");
        assert_eq!(crate::conftest::check::go_quote("a\"b\n"), "\"a\\\"b\\n\"");
    }

    fn check(policy: &str, input: Value, namespace: Namespace) -> CheckResult {
        let mut engine = regorus::Engine::new();
        engine.add_policy("p.rego".into(), policy.into()).unwrap();
        set_input(&mut engine, &input);
        check_namespace("f.yaml", &namespace, &mut |path| evaluate_path(&mut engine, path, None)).unwrap()
    }

    fn namespace(rules: &[(&str, ConftestLevel)], definitions: usize, exception: bool) -> Namespace {
        Namespace {
            name: "main".into(),
            rules: rules.iter().map(|(name, level)| ((*name).to_owned(), *level)).collect(),
            definitions,
            exception,
        }
    }

    /// conftest issue 864: bare booleans are successes, undefined rules are filled in.
    #[test]
    fn booleans_are_successes_and_definitions_are_counted() {
        let policy = "package main\n\ndeny contains \"d\" if true\ndeny contains \"never\" if false\ndeny_no_msg := true\ndeny_no_msg_succeed if false\nwarn contains \"w\" if true\nwarn contains \"no\" if false\n";
        let ns = namespace(
            &[
                ("deny", ConftestLevel::Failure),
                ("deny_no_msg", ConftestLevel::Failure),
                ("deny_no_msg_succeed", ConftestLevel::Failure),
                ("warn", ConftestLevel::Warning),
            ],
            6,
            false,
        );
        let result = check(policy, serde_json::json!({}), ns);
        assert_eq!(result.failures.iter().map(|m| m.message.as_str()).collect::<Vec<_>>(), ["d"]);
        assert_eq!(result.warnings.len(), 1);
        assert_eq!(result.successes, 4);
        assert_eq!(result.total(), 6);
    }

    #[test]
    fn exceptions_replace_the_results_of_the_rules_they_name() {
        let policy = "package main\n\ndeny_root contains \"root\" if true\ndeny contains \"other\" if true\nexception contains [\"root\"] if input.name == \"ok\"\n";
        let ns = namespace(&[("deny_root", ConftestLevel::Failure), ("deny", ConftestLevel::Failure)], 2, true);
        let excepted = check(policy, serde_json::json!({"name": "ok"}), ns.clone());
        assert_eq!(excepted.exceptions.len(), 1);
        assert_eq!(excepted.exceptions[0].message, "data.main.exception[_][_] == \"root\"");
        assert_eq!(excepted.failures.len(), 1);
        assert_eq!(excepted.successes, 0);
        let plain = check(policy, serde_json::json!({"name": "no"}), ns);
        assert_eq!((plain.failures.len(), plain.exceptions.len()), (2, 0));
    }

    #[test]
    fn objects_need_a_string_msg_and_keep_their_other_members() {
        let policy = "package main\n\nviolation contains {\"msg\": \"m\", \"severity\": \"high\", \"_loc\": {\"file\": \"x\", \"line\": 3}} if true\n";
        let ns = namespace(&[("violation", ConftestLevel::Failure)], 1, false);
        let result = check(policy, serde_json::json!({}), ns.clone());
        let failure = &result.failures[0];
        assert_eq!(failure.message, "m");
        assert_eq!(failure.location, Some(serde_json::json!({"file": "x", "line": 3})));
        assert_eq!(failure.metadata["severity"], "high");
        assert_eq!(failure.metadata["query"], "data.main.violation");
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("p.rego".into(), "package main\n\nviolation contains {\"message\": \"m\"} if true\n".into())
            .unwrap();
        let error = check_namespace("f", &ns, &mut |path| evaluate_path(&mut engine, path, None)).unwrap_err();
        assert!(error.to_string().contains("rule missing msg field"), "{error}");
    }
}
