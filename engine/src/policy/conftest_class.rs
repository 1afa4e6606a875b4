//! Which Rego modules are conftest policies, and what conftest looks for in them.
//!
//! conftest evaluates, per namespace (a module's package without `data.`), every rule whose
//! name is `deny`, `violation` or `warn`, optionally followed by `_<identifier>` segments
//! (`deny_run_as_root`); `exception` rules exempt inputs from the rules they name. ward classes
//! each module of a policy directory by what it holds:
//!
//! - a `*_test.rego` file is a test module (`ward test`, `ward conftest verify`);
//! - a module whose `# METADATA` block has a `custom:` section is a ward rule (its `custom.id`,
//!   `custom.severity` and `custom.kinds` are read from there);
//! - any other module declaring a rule conftest looks for is a conftest policy of its package
//!   — except in ward's own `ward.` namespace, where a missing `# METADATA` is a mistake to
//!   report, not a conftest policy;
//! - everything else is a library, wherever it sits.

use serde_json::Value;

/// Whether results of a rule named `name` are failures (`deny`, `violation`), warnings
/// (`warn`), or neither — conftest's `^(deny|violation)(_[a-zA-Z0-9]+)*$` and
/// `^warn(_[a-zA-Z0-9]+)*$`.
pub(crate) fn rule_level(name: &str) -> Option<ConftestLevel> {
    let (level, rest) = if let Some(rest) = name.strip_prefix("deny") {
        (ConftestLevel::Failure, rest)
    } else if let Some(rest) = name.strip_prefix("violation") {
        (ConftestLevel::Failure, rest)
    } else if let Some(rest) = name.strip_prefix("warn") {
        (ConftestLevel::Warning, rest)
    } else {
        return None;
    };
    if rest.is_empty() {
        return Some(level);
    }
    let segments = rest.strip_prefix('_')?;
    segments
        .split('_')
        .all(|segment| !segment.is_empty() && segment.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(level)
}

/// The name an `exception` names a rule by: the rule's name without its `violation_`, `deny_`
/// or `warn_` prefix, removed in that order as conftest does (`deny` stays `deny`).
pub(crate) fn exception_name(rule: &str) -> &str {
    let rule = rule.strip_prefix("violation_").unwrap_or(rule);
    let rule = rule.strip_prefix("deny_").unwrap_or(rule);
    rule.strip_prefix("warn_").unwrap_or(rule)
}

/// Whether a conftest rule's results fail the run or only warn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConftestLevel {
    Failure,
    Warning,
}

/// Whether a module's `# METADATA` block (any of them) has a `custom:` section: what makes it
/// a ward rule rather than a conftest policy carrying OPA annotations.
pub(crate) fn has_ward_metadata(text: &str) -> bool {
    let mut in_block = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let Some(comment) = trimmed.strip_prefix('#') else {
            in_block = false;
            continue;
        };
        if comment.trim() == "METADATA" {
            in_block = true;
        } else if in_block && comment.trim_start_matches(' ').starts_with("custom:") {
            return true;
        }
    }
    false
}

/// The rule definitions of one module, as conftest counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModuleRules {
    /// The file, as the module was added.
    pub file: String,
    /// The package without `data.`: conftest's namespace (`main`, `kubernetes.admission`).
    pub namespace: String,
    /// Each definition's head name (the first part of its reference), in file order: a rule
    /// defined twice appears twice.
    pub heads: Vec<String>,
    /// conftest's rules written `deny[msg] if { … }` (rule name and line): in Rego v1 that is an
    /// object of `msg: true`, not the set of messages conftest reads, and conftest refuses it
    /// ("'if' keyword without 'contains' keyword").
    pub if_without_contains: Vec<(String, u64)>,
}

impl ModuleRules {
    /// The rules conftest looks for, in order of first definition, each with its number of
    /// definitions.
    pub(crate) fn conftest_rules(&self) -> Vec<(String, usize)> {
        let mut rules: Vec<(String, usize)> = Vec::new();
        for head in self.heads.iter().filter(|head| rule_level(head).is_some()) {
            match rules.iter_mut().find(|(name, _)| name == head) {
                Some((_, count)) => *count += 1,
                None => rules.push((head.clone(), 1)),
            }
        }
        rules
    }

    /// Whether the module declares conftest's `exception` rule.
    pub(crate) fn declares_exception(&self) -> bool {
        self.heads.iter().any(|head| head == "exception")
    }
}

/// The rule definitions of every module compiled into `engine`, read from its syntax tree.
pub(crate) fn module_rules(engine: &regorus::Engine) -> Vec<ModuleRules> {
    let Ok(json) = engine.get_ast_as_json() else { return Vec::new() };
    let Ok(Value::Array(modules)) = serde_json::from_str::<Value>(&json) else { return Vec::new() };
    modules.iter().filter_map(read_module).collect()
}

fn read_module(entry: &Value) -> Option<ModuleRules> {
    let source = entry.get("source")?;
    let file = source.get("file")?.as_str()?.to_owned();
    let contents = source.get("contents")?.as_str()?;
    let ast = entry.get("ast")?;
    let namespace = reference_path(ast.get("package")?.get("refr")?, contents)?;
    let namespace = namespace.strip_prefix("data.").unwrap_or(&namespace).to_owned();
    let mut heads = Vec::new();
    let mut if_without_contains = Vec::new();
    for rule in ast.get("rules").and_then(Value::as_array).into_iter().flatten() {
        if let Some(spec) = rule.get("Spec") {
            let Some(head) = spec.get("head") else { continue };
            if let Some(line) = object_head_line(head, contents) {
                if_without_contains.push(line);
            }
            let Some(refr) = ["Compr", "Set", "Func"].iter().find_map(|form| head.get(*form)?.get("refr")) else {
                continue;
            };
            let Some(name) = head_name(refr, contents) else { continue };
            // Independent bodies of one rule (`p { a } { b }`, Rego v0) are as many
            // definitions; `else` bodies are one.
            let bodies = spec.get("bodies").and_then(Value::as_array);
            let definitions = bodies.map_or(1, |bodies| {
                bodies.iter().filter(|body| body.get("is_else") != Some(&Value::Bool(true))).count().max(1)
            });
            heads.extend(std::iter::repeat_n(name, definitions));
        } else if let Some(default) = rule.get("Default") {
            if let Some(name) = default.get("refr").and_then(|refr| head_name(refr, contents)) {
                heads.push(name);
            }
        }
    }
    Some(ModuleRules { file, namespace, heads, if_without_contains })
}

/// A conftest rule's head written `deny[msg]` with no value (`deny[msg] if { … }`): its name and
/// line.
fn object_head_line(head: &Value, contents: &str) -> Option<(String, u64)> {
    let compr = head.get("Compr")?;
    let refr = compr.get("refr")?;
    if refr.get("Var").is_some() || !compr.get("assign").is_none_or(Value::is_null) {
        return None;
    }
    let name = head_name(refr, contents)?;
    rule_level(&name)?;
    let line = compr.get("span")?.get("line")?.as_u64()?;
    Some((name, line))
}

/// The first part of a rule head's reference: `deny` of `deny`, `deny[msg]`, `deny.x`.
fn head_name(refr: &Value, contents: &str) -> Option<String> {
    if let Some(var) = refr.get("Var") {
        return span_text(var_span(var)?, contents).map(str::to_owned);
    }
    let inner = refr.get("RefDot").or_else(|| refr.get("RefBrack"))?;
    head_name(inner.get("refr")?, contents)
}

/// The dotted path of a package reference: `data.kubernetes.admission`.
fn reference_path(expr: &Value, contents: &str) -> Option<String> {
    if let Some(var) = expr.get("Var") {
        return span_text(var_span(var)?, contents).map(str::to_owned);
    }
    if let Some(dot) = expr.get("RefDot") {
        let base = reference_path(dot.get("refr")?, contents)?;
        let field = dot.get("field")?.as_array()?.first()?;
        return Some(format!("{base}.{}", span_text(field, contents)?));
    }
    if let Some(brack) = expr.get("RefBrack") {
        let base = reference_path(brack.get("refr")?, contents)?;
        let index = brack.get("index")?.get("String")?;
        let key = span_text(var_span(index)?, contents)?;
        return Some(format!("{base}.{}", key.trim_matches('"')));
    }
    None
}

/// The span of a variant's fields: `{"span": …}` or a tuple `[span, …]`.
fn var_span(fields: &Value) -> Option<&Value> {
    fields.get("span").or_else(|| fields.as_array().and_then(|items| items.first()))
}

fn span_text<'a>(span: &Value, contents: &'a str) -> Option<&'a str> {
    let start = usize::try_from(span.get("start")?.as_u64()?).ok()?;
    let end = usize::try_from(span.get("end")?.as_u64()?).ok()?;
    contents.get(start..end)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// The example that was in the documentation of `has_ward_metadata`.
    #[test]
    fn has_ward_metadata_example() {
        use crate::policy::conftest_class::has_ward_metadata;
        assert!(has_ward_metadata("# METADATA\n# title: t\n# custom:\n#   id: T-1\npackage ward.t\n"));
        assert!(!has_ward_metadata("# METADATA\n# title: Deployments run as non-root\npackage main\n"));
        assert!(!has_ward_metadata("package main\n# custom: not metadata\n"));
    }

    /// The example that was in the documentation of `exception_name`.
    #[test]
    fn exception_name_example() {
        use crate::policy::conftest_class::exception_name;
        assert_eq!(exception_name("deny_run_as_root"), "run_as_root");
        assert_eq!(exception_name("warn_latest"), "latest");
        assert_eq!(exception_name("deny"), "deny");
    }

    /// The example that was in the documentation of `rule_level`.
    #[test]
    fn rule_level_example() {
        use crate::policy::conftest_class::{rule_level, ConftestLevel};
        assert_eq!(rule_level("deny"), Some(ConftestLevel::Failure));
        assert_eq!(rule_level("violation_no_root_user"), Some(ConftestLevel::Failure));
        assert_eq!(rule_level("warn_latest"), Some(ConftestLevel::Warning));
        assert_eq!(rule_level("deny_"), None);
        assert_eq!(rule_level("denylist"), None);
        assert_eq!(rule_level("exception"), None);
    }

    #[test]
    fn heads_are_read_with_their_definitions() {
        let mut engine = regorus::Engine::new();
        let policy = "package kubernetes.admission\n\ndeny contains msg if { input.a; msg := \"a\" }\ndeny contains msg if { input.b; msg := \"b\" }\ndeny_root contains \"r\" if input.c\nwarn[\"w\"] if input.d\nexception contains [\"root\"] if input.e\nhelper(x) := x\nviolation := true\n";
        engine.add_policy("p.rego".into(), policy.into()).unwrap();
        let modules = module_rules(&engine);
        assert_eq!(modules.len(), 1);
        assert_eq!(modules[0].namespace, "kubernetes.admission");
        assert_eq!(
            modules[0].conftest_rules(),
            [("deny".to_owned(), 2), ("deny_root".to_owned(), 1), ("warn".to_owned(), 1), ("violation".to_owned(), 1)]
        );
        assert!(modules[0].declares_exception());
    }
}
