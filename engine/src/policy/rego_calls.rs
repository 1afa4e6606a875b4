//! Calls to functions that do not exist, found before any rule runs. regorus resolves a call
//! only when evaluation reaches it, so a misspelt built-in in a branch the tests never take
//! fails in production, once per resource. This check walks every module's syntax tree and
//! resolves each call the way the interpreter does — an import alias, then a function of the
//! same package or any package (`data.…`), `print`, then a built-in — and reports the rest at
//! the call's line and column.
//!
//! Whether a name is a built-in is asked of regorus itself (a one-line probe policy, answered
//! once per name per process), so the check can never disagree with the engine that runs the
//! rules.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::document::Position;

/// The unknown functions called by the modules compiled into `engine`, in file order.
pub(crate) fn unknown_functions(engine: &regorus::Engine) -> Vec<Diagnostic> {
    let Ok(json) = engine.get_ast_as_json() else { return Vec::new() };
    let Ok(Value::Array(modules)) = serde_json::from_str::<Value>(&json) else { return Vec::new() };
    let modules: Vec<ModuleAst> = modules.iter().filter_map(ModuleAst::read).collect();
    let functions: BTreeSet<String> = modules.iter().flat_map(|module| module.functions.iter().cloned()).collect();
    let mut errors = Vec::new();
    for module in &modules {
        for call in &module.calls {
            if !resolves(module, &functions, &call.path) {
                errors.push(Diagnostic::at_position(
                    module.file.clone(),
                    call.position,
                    format!("unknown function `{}`: not a built-in, nor a function of the pack", call.path),
                ));
            }
        }
    }
    errors.sort_by(|a, b| (&a.path, a.position).cmp(&(&b.path, b.position)));
    errors.dedup();
    errors
}

/// What the check needs of one module.
struct ModuleAst {
    file: String,
    /// `data.ward.k8s.non_root`.
    package: String,
    /// Import alias → full path (`k8s` → `data.ward.lib.k8s`).
    imports: HashMap<String, String>,
    /// Full paths of the functions (and default functions) it declares.
    functions: Vec<String>,
    calls: Vec<Call>,
}

struct Call {
    path: String,
    position: Position,
}

impl ModuleAst {
    fn read(entry: &Value) -> Option<ModuleAst> {
        let source = entry.get("source")?;
        let file = source.get("file")?.as_str()?.to_owned();
        let contents = source.get("contents")?.as_str()?;
        let ast = entry.get("ast")?;
        let package = format!("data.{}", path_of(ast.get("package")?.get("refr")?, contents)?);
        let mut imports = HashMap::new();
        for import in ast.get("imports").and_then(Value::as_array).into_iter().flatten() {
            let Some(path) = import.get("refr").and_then(|refr| path_of(refr, contents)) else { continue };
            let alias = match import.get("as") {
                Some(span) => span_text(span, contents).map(str::to_owned),
                None => path.rsplit('.').next().map(str::to_owned),
            };
            if let Some(alias) = alias {
                imports.insert(alias, path);
            }
        }
        let mut functions = Vec::new();
        for rule in ast.get("rules").and_then(Value::as_array).into_iter().flatten() {
            let head = rule.get("Spec").and_then(|spec| spec.get("head")).and_then(|head| head.get("Func"));
            let default = rule
                .get("Default")
                .filter(|default| default.get("args").and_then(Value::as_array).is_some_and(|args| !args.is_empty()));
            if let Some(refr) = head.or(default).and_then(|declared| declared.get("refr")) {
                if let Some(name) = path_of(refr, contents) {
                    functions.push(format!("{package}.{name}"));
                }
            }
        }
        let mut calls = Vec::new();
        collect_calls(ast, contents, &mut calls);
        Some(ModuleAst { file, package, imports, functions, calls })
    }
}

/// Every call in `node`, at any depth.
fn collect_calls(node: &Value, contents: &str, calls: &mut Vec<Call>) {
    match node {
        Value::Object(fields) => {
            if let Some(call) = fields.get("Call") {
                let fcn = call.get("fcn");
                let path = fcn.and_then(|fcn| path_of(fcn, contents));
                let start = fcn.and_then(start_of);
                if let (Some(path), Some(start)) = (path, start) {
                    calls.push(Call { path, position: position_at(contents, start) });
                }
            }
            fields.values().for_each(|value| collect_calls(value, contents, calls));
        }
        Value::Array(items) => items.iter().for_each(|item| collect_calls(item, contents, calls)),
        _ => {}
    }
}

/// The dotted path a reference names (`strings.replace_n`, `data.ward.lib.k8s.is_workload`);
/// `None` for anything that is not a plain reference.
fn path_of(expr: &Value, contents: &str) -> Option<String> {
    if let Some(var) = expr.get("Var") {
        return span_of_variant(var).and_then(|span| span_text(span, contents)).map(str::to_owned);
    }
    if let Some(dot) = expr.get("RefDot") {
        let base = path_of(dot.get("refr")?, contents)?;
        let field = dot.get("field")?.as_array()?.first()?;
        return Some(format!("{base}.{}", span_text(field, contents)?));
    }
    if let Some(brack) = expr.get("RefBrack") {
        let base = path_of(brack.get("refr")?, contents)?;
        let index = brack.get("index")?.get("String")?;
        let key = span_text(span_of_variant(index)?, contents)?;
        return Some(format!("{base}.{}", key.trim_matches('"')));
    }
    None
}

/// Where a reference starts: its first variable's byte offset.
fn start_of(expr: &Value) -> Option<usize> {
    if let Some(var) = expr.get("Var") {
        return usize::try_from(span_of_variant(var)?.get("start")?.as_u64()?).ok();
    }
    let fields = expr.get("RefDot").or_else(|| expr.get("RefBrack"))?;
    start_of(fields.get("refr")?)
}

/// The span of a variant's fields: `{"span": …}` or a tuple `[span, …]`.
fn span_of_variant(fields: &Value) -> Option<&Value> {
    fields.get("span").or_else(|| fields.as_array().and_then(|items| items.first()))
}

fn span_text<'a>(span: &Value, contents: &'a str) -> Option<&'a str> {
    let start = usize::try_from(span.get("start")?.as_u64()?).ok()?;
    let end = usize::try_from(span.get("end")?.as_u64()?).ok()?;
    contents.get(start..end)
}

/// The position of byte `offset`, in ward's terms (regorus counts a tab as four columns).
fn position_at(contents: &str, offset: usize) -> Position {
    let before = contents.get(..offset).unwrap_or(contents);
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX).saturating_add(1);
    Position {
        line: count(before.matches('\n').count()),
        column: count(before.get(line_start..).unwrap_or("").chars().count()),
    }
}

/// Whether a call of `path` in `module` reaches something, as the interpreter resolves it.
fn resolves(module: &ModuleAst, functions: &BTreeSet<String>, path: &str) -> bool {
    let (head, rest) = path.split_once('.').map_or((path, ""), |(head, rest)| (head, rest));
    let through_import =
        module.imports.get(head).map(
            |import| {
                if rest.is_empty() {
                    import.clone()
                } else {
                    format!("{import}.{rest}")
                }
            },
        );
    if let Some(full) = &through_import {
        if functions.contains(full) {
            return true;
        }
    }
    let candidate = through_import.as_deref().unwrap_or(path);
    functions.contains(candidate)
        || functions.contains(&format!("{}.{candidate}", module.package))
        || candidate == "print"
        || is_builtin(candidate)
}

/// Whether regorus knows `name` as a built-in: a probe policy calls it, and only "could not
/// find function" means no. Answers are kept for the life of the process.
fn is_builtin(name: &str) -> bool {
    static KNOWN: OnceLock<Mutex<HashMap<String, bool>>> = OnceLock::new();
    let known = KNOWN.get_or_init(Mutex::default);
    if let Some(answer) = known.lock().ok().and_then(|known| known.get(name).copied()) {
        return answer;
    }
    // Only names made of identifier parts reach here; anything else is not a built-in.
    let plain =
        name.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let answer = plain && probe(name);
    if let Ok(mut known) = known.lock() {
        known.insert(name.to_owned(), answer);
    }
    answer
}

fn probe(name: &str) -> bool {
    let mut engine = regorus::Engine::new();
    let policy = format!("package ward_probe\n\nimport rego.v1\n\nx := {name}(null)\n");
    if engine.add_policy("probe.rego".into(), policy).is_err() {
        return false;
    }
    match engine.eval_rule("data.ward_probe.x".into()) {
        Ok(_) => true,
        Err(error) => !error.to_string().contains("could not find function"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn errors(modules: &[(&str, &str)]) -> Vec<String> {
        let mut engine = regorus::Engine::new();
        for (path, text) in modules {
            engine.add_policy((*path).into(), (*text).into()).unwrap();
        }
        unknown_functions(&engine).iter().map(|error| error.to_string()).collect()
    }

    const LIB: &str = "package ward.lib.k8s\n\nimport rego.v1\n\nis_workload(obj) if obj.kind == \"Deployment\"\n\nname_of(obj) := obj.metadata.name\n";

    #[test]
    fn calls_that_resolve_are_not_reported() {
        let rule = "package ward.t\n\nimport rego.v1\nimport data.ward.lib.k8s\nimport data.ward.lib.k8s as kube\n\ndeny contains msg if {\n\tk8s.is_workload(input.object)\n\tkube.name_of(input.object) != \"\"\n\tdata.ward.lib.k8s.is_workload(input.object)\n\tlocal(1)\n\tcount(input.object) > 0\n\tstartswith(\"a\", \"a\")\n\tx := strings.replace_n({\"a\": \"b\"}, \"a\")\n\tregex.match(\"a\", x)\n\tprint(x)\n\tmsg := sprintf(\"%v\", [time.now_ns()])\n}\n\nlocal(x) if x > 0\n";
        assert_eq!(errors(&[("lib/k8s.rego", LIB), ("t.rego", rule)]), Vec::<String>::new());
    }

    #[test]
    fn unknown_functions_are_reported_at_the_call() {
        let rule = "package ward.t\n\nimport rego.v1\nimport data.ward.lib.k8s\n\ndeny contains msg if {\n\tsome c in input.object.containers\n\tx := no_such_function(c)\n\ty := strings.no_such(x)\n\tk8s.is_workloads(input.object)\n\tmsg := sprintf(\"%v\", [y])\n}\n";
        assert_eq!(
            errors(&[("lib/k8s.rego", LIB), ("t.rego", rule)]),
            [
                "t.rego:8:7: unknown function `no_such_function`: not a built-in, nor a function of the pack",
                "t.rego:9:7: unknown function `strings.no_such`: not a built-in, nor a function of the pack",
                "t.rego:10:2: unknown function `k8s.is_workloads`: not a built-in, nor a function of the pack",
            ]
        );
    }
}
