//! What ward reads from and changes in a parsed CEL expression, before it runs:
//!
//! - [`guard_presence_tests`]: `has(a.b.c)` is true or false, never an error. Standard CEL
//!   evaluates the operand `a.b` first and fails with "no such key" when `b` is missing, so an
//!   author checking `has(object.spec.securityContext.runAsNonRoot)` on a pod without a
//!   `securityContext` would get a rule error instead of `false`. ward rewrites the test into
//!   `has(a.b) && has(a.b.c)`, which asks about each parent first.
//! - [`field_path`]: the path of keys and indices a plain field access such as
//!   `object.spec.template.spec.containers` names, so that the elements a `forEach` iterates can
//!   be located in the source.

use cel::common::ast::{operators, CallExpr, EntryExpr, Expr, IdedExpr, LiteralValue, SelectExpr};

/// Rewrites every presence test `has(x.f)` whose operand `x` is itself a field selection into a
/// conjunction that tests each parent first. Other expressions are left as they are.
pub(crate) fn guard_presence_tests(expression: &mut IdedExpr) {
    let mut next_id = max_id(expression).saturating_add(1);
    rewrite(expression, &mut next_id);
}

fn rewrite(expression: &mut IdedExpr, next_id: &mut u64) {
    for child in children_mut(&mut expression.expr) {
        rewrite(child, next_id);
    }
    if let Expr::Select(select) = &expression.expr {
        if select.test {
            if let Some(guard) = parent_test(&select.operand, next_id) {
                let test = std::mem::take(&mut expression.expr);
                let id = fresh(next_id);
                expression.expr = Expr::Call(CallExpr {
                    func_name: operators::LOGICAL_AND.to_owned(),
                    target: None,
                    args: vec![guard, IdedExpr { id, expr: test }],
                });
            }
        }
    }
}

/// `has(x.f)` (guarded in turn) for an operand `x.f` that is a field selection, else `None`.
fn parent_test(operand: &IdedExpr, next_id: &mut u64) -> Option<IdedExpr> {
    match &operand.expr {
        Expr::Select(parent) if !parent.test => {
            let mut test = IdedExpr {
                id: fresh(next_id),
                expr: Expr::Select(SelectExpr {
                    operand: parent.operand.clone(),
                    field: parent.field.clone(),
                    test: true,
                }),
            };
            rewrite(&mut test, next_id);
            Some(test)
        }
        _ => None,
    }
}

fn fresh(next_id: &mut u64) -> u64 {
    let id = *next_id;
    *next_id = next_id.saturating_add(1);
    id
}

fn max_id(expression: &IdedExpr) -> u64 {
    children(&expression.expr).into_iter().map(max_id).fold(expression.id, u64::max)
}

fn children(expr: &Expr) -> Vec<&IdedExpr> {
    match expr {
        Expr::Call(call) => call.target.as_deref().into_iter().chain(&call.args).collect(),
        Expr::Comprehension(c) => vec![&c.iter_range, &c.accu_init, &c.loop_cond, &c.loop_step, &c.result],
        Expr::List(list) => list.elements.iter().collect(),
        Expr::Map(map) => map.entries.iter().flat_map(|entry| entry_children(&entry.expr)).collect(),
        Expr::Struct(s) => s.entries.iter().flat_map(|entry| entry_children(&entry.expr)).collect(),
        Expr::Select(select) => vec![&select.operand],
        Expr::Unspecified | Expr::Ident(_) | Expr::Literal(_) => Vec::new(),
    }
}

fn entry_children(entry: &EntryExpr) -> Vec<&IdedExpr> {
    match entry {
        EntryExpr::StructField(field) => vec![&field.value],
        EntryExpr::MapEntry(entry) => vec![&entry.key, &entry.value],
    }
}

fn children_mut(expr: &mut Expr) -> Vec<&mut IdedExpr> {
    match expr {
        Expr::Call(call) => call.target.as_deref_mut().into_iter().chain(call.args.iter_mut()).collect(),
        Expr::Comprehension(c) => {
            let c = &mut **c;
            vec![&mut c.iter_range, &mut c.accu_init, &mut c.loop_cond, &mut c.loop_step, &mut c.result]
        }
        Expr::List(list) => list.elements.iter_mut().collect(),
        Expr::Map(map) => map.entries.iter_mut().flat_map(|entry| entry_children_mut(&mut entry.expr)).collect(),
        Expr::Struct(s) => s.entries.iter_mut().flat_map(|entry| entry_children_mut(&mut entry.expr)).collect(),
        Expr::Select(select) => vec![&mut *select.operand],
        Expr::Unspecified | Expr::Ident(_) | Expr::Literal(_) => Vec::new(),
    }
}

fn entry_children_mut(entry: &mut EntryExpr) -> Vec<&mut IdedExpr> {
    match entry {
        EntryExpr::StructField(field) => vec![&mut field.value],
        EntryExpr::MapEntry(entry) => vec![&mut entry.key, &mut entry.value],
    }
}

/// The keys and indices a plain access path below the variable `root` names:
/// `object.spec.containers` is `["spec", "containers"]`, `object.spec["x-y"][0]` is
/// `["spec", "x-y", "0"]`. `None` for anything else (a function call, a comprehension, another
/// variable).
pub(crate) fn field_path(expression: &IdedExpr, root: &str) -> Option<Vec<String>> {
    match &expression.expr {
        Expr::Ident(name) if name == root => Some(Vec::new()),
        Expr::Select(select) if !select.test => {
            let mut path = field_path(&select.operand, root)?;
            path.push(select.field.clone());
            Some(path)
        }
        Expr::Call(call) if call.func_name == operators::INDEX && call.target.is_none() => {
            let [container, index] = call.args.as_slice() else { return None };
            let mut path = field_path(container, root)?;
            path.push(match &index.expr {
                Expr::Literal(LiteralValue::String(key)) => key.inner().to_owned(),
                Expr::Literal(LiteralValue::Int(index)) => index.inner().to_string(),
                Expr::Literal(LiteralValue::UInt(index)) => index.inner().to_string(),
                _ => return None,
            });
            Some(path)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use std::sync::Arc;

    use super::*;

    fn evaluate(text: &str, object: serde_json::Value) -> Result<cel::Value, cel::ExecutionError> {
        let env = Arc::new(cel::Env::stdlib());
        let mut expression = env.parser().parse(text).unwrap();
        guard_presence_tests(&mut expression);
        let mut context = cel::Context::with_env(env);
        context.add_variable_as_val("object", super::super::values::to_cel(&object));
        cel::Value::resolve(&expression, &context)
    }

    #[test]
    fn presence_tests_on_missing_parents_are_false_not_errors() {
        let object = serde_json::json!({"spec": {"template": {"spec": {}}}, "n": 1});
        let cases = [
            ("has(object.spec.template.spec.securityContext.runAsNonRoot)", false),
            ("has(object.spec.template.spec)", true),
            ("has(object.spec.template.spec.securityContext)", false),
            ("has(object.missing.a.b.c)", false),
            ("!has(object.spec.x.y) && has(object.spec.template)", true),
            ("[object].all(o, !has(o.spec.template.spec.hostNetwork.x))", true),
            ("{'k': has(object.a.b)}.k == false", true),
        ];
        for (text, expected) in cases {
            assert_eq!(evaluate(text, object.clone()), Ok(cel::Value::Bool(expected)), "{text}");
        }
    }

    #[test]
    fn a_presence_test_below_a_scalar_is_still_an_error() {
        // `n` exists and is a number: asking whether it has a field is a type error, which
        // guarding must not hide.
        assert!(evaluate("has(object.n.x)", serde_json::json!({"n": 1})).is_err());
    }

    #[test]
    fn field_paths() {
        let parse = |text: &str| cel::Env::stdlib().parser().parse(text).unwrap();
        let path = |text: &str| field_path(&parse(text), "object");
        assert_eq!(path("object"), Some(vec![]));
        assert_eq!(path("object.spec['x-y'][2].name").unwrap(), ["spec", "x-y", "2", "name"]);
        assert_eq!(path("other.spec"), None);
        assert_eq!(path("object.spec[i]"), None);
        assert_eq!(path("object.a + object.b"), None);
    }

    /// The example from the documentation of `guard_presence_tests`.
    #[test]
    fn guard_presence_tests_example() {
        use crate::policy::cel::syntax::guard_presence_tests;
        let mut expression = cel::Env::stdlib().parser().parse("has(a.b.c)").unwrap();
        guard_presence_tests(&mut expression);
        let program = format!("{:?}", expression.expr);
        assert!(program.contains("_&&_"));
    }

    /// The example from the documentation of `field_path`.
    #[test]
    fn field_path_example() {
        use crate::policy::cel::syntax::field_path;
        let parse = |text: &str| cel::Env::stdlib().parser().parse(text).unwrap();
        assert_eq!(
            field_path(&parse("object.spec.containers"), "object"),
            Some(vec!["spec".to_owned(), "containers".to_owned()])
        );
        assert_eq!(field_path(&parse("object.spec.containers.filter(c, true)"), "object"), None);
    }
}
