//! Static evaluation of Terraform expressions: what an expression's value is when its inputs are
//! known, and a distinct "unknown" when they are not.
//!
//! It lives beside the parser rather than under `render/` because it is the language's own
//! semantics (operators, templates, `for`, splats, the built-in functions): the parser needs it
//! for literals, the graph for each environment's variables, and a module call (rendering)
//! will bind a module's variables to its caller's values through the same [`Scope`].
//!
//! An unknown value never becomes a guess. At the top level it is [`Stop::Unknown`]; inside a
//! collection whose other members are known it is kept as the expression's text in
//! interpolation form (`"${aws_kms_key.main.arn}"`), the marker rules test with `unknown(v)`.
//! Errors Terraform would raise (an absent attribute of a known object, an index out of range)
//! are [`Stop::Error`], so `try` and `can` can tell them from unknowns. Every loop, string and
//! collection is bounded.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Directive, Element, Template};
use serde_json::{Map, Number, Value};

/// The most elements a collection built by evaluation may hold, and the longest string.
const MAX_ITEMS: usize = 10_000;
const MAX_STRING: usize = 1 << 20;

/// What is statically known while evaluating: variables, locals, and, inside a repeated
/// resource or a `dynamic` block, `count.index`, `each.key`/`each.value` and iterator objects.
/// A module call fills `variables` with its caller's argument values, and its caller sees the
/// module's outputs under `module.NAME`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    pub variables: BTreeMap<String, Value>,
    pub locals: BTreeMap<String, Value>,
    /// The outputs of the module calls of this module, by call name: an object of outputs, or
    /// for a call with `count`/`for_each` a list/map of them (as Terraform exposes them).
    pub modules: BTreeMap<String, Value>,
    /// `count.index` of the instance being evaluated.
    pub count_index: Option<u64>,
    /// `each.key` and `each.value` of the instance being evaluated.
    pub each: Option<(Value, Value)>,
    /// Other names bound to objects: a `dynamic` block's iterator (`ingress` →
    /// `{key, value}`).
    pub bindings: BTreeMap<String, Value>,
}

/// Why an expression has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Its inputs are not known statically (a resource attribute, a variable without a value).
    Unknown,
    /// Terraform would refuse it (a missing attribute of a known object, a bad argument).
    Error,
}

pub(super) type Outcome = Result<Value, Stop>;

/// Whether `value` holds any part that could not be resolved statically: an interpolation or
/// directive left in a string (resolved HCL strings never keep one; Terraform JSON strings keep
/// theirs).
pub(crate) fn has_unknown(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains("${") || s.contains("%{"),
        Value::Array(items) => items.iter().any(has_unknown),
        Value::Object(map) => map.values().any(has_unknown),
        _ => false,
    }
}

/// Evaluates expressions of one source text under one scope.
pub(crate) struct Evaluator<'a> {
    pub text: &'a str,
    pub scope: &'a Scope,
    pub max_depth: usize,
    /// Names a `for` expression or template `for` bound, innermost last.
    pub bound: Vec<(String, Value)>,
}

impl<'a> Evaluator<'a> {
    pub(super) fn new(text: &'a str, scope: &'a Scope, max_depth: usize) -> Evaluator<'a> {
        Evaluator { text, scope, max_depth, bound: Vec::new() }
    }

    fn source(&self, expression: &Expression) -> &str {
        use hcl_edit::Span as _;
        expression.span().and_then(|range| self.text.get(range)).unwrap_or("").trim()
    }

    /// An expression that cannot be known statically, in interpolation form. A reference to
    /// another block keeps its known instance keys resolved (`aws_s3_bucket.this[each.key].id`
    /// in instance "logs" is `${aws_s3_bucket.this["logs"].id}`), so that a block of a
    /// `for_each` relates to the one instance it names, as Terraform links them.
    pub(super) fn unknown(&self, expression: &Expression) -> Value {
        let text = match expression {
            Expression::Traversal(traversal) => self.reference_text(traversal),
            _ => None,
        };
        Value::String(format!("${{{}}}", text.as_deref().unwrap_or_else(|| self.source(expression))))
    }

    /// A block reference (`TYPE.NAME…`, `data.TYPE.NAME…`) as text, with each index whose key
    /// is known written as that key; `None` for anything else (variables, locals, iterators),
    /// which stay as written.
    fn reference_text(&self, traversal: &hcl_edit::expr::Traversal) -> Option<String> {
        let Expression::Variable(root) = &traversal.expr else { return None };
        let root = root.as_str();
        let evaluated_names = ["var", "local", "module", "each", "count", "path", "terraform", "self"];
        if evaluated_names.contains(&root)
            || self.bound.iter().any(|(bound, _)| bound == root)
            || self.scope.bindings.contains_key(root)
        {
            return None;
        }
        let mut text = root.to_owned();
        for operator in traversal.operators.iter() {
            match operator.value() {
                TraversalOperator::GetAttr(name) => {
                    text.push('.');
                    text.push_str(name.as_str());
                }
                TraversalOperator::LegacyIndex(index) => text.push_str(&format!("[{}]", index.value())),
                TraversalOperator::Index(index) => match self.eval(index, 0) {
                    Ok(Value::String(key)) if !is_unknown_text(&Value::String(key.clone())) => {
                        text.push_str(&format!("[{}]", Value::String(key)));
                    }
                    Ok(Value::Number(n)) => text.push_str(&format!("[{n}]")),
                    _ => text.push_str(&format!("[{}]", self.source(index))),
                },
                TraversalOperator::AttrSplat(_) => text.push_str(".*"),
                TraversalOperator::FullSplat(_) => text.push_str("[*]"),
            }
        }
        Some(text)
    }

    /// The value of `expression`.
    pub(super) fn eval(&self, expression: &Expression, depth: usize) -> Outcome {
        if depth > self.max_depth {
            return Err(Stop::Unknown);
        }
        let next = depth + 1;
        match expression {
            Expression::Null(_) => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b.value())),
            Expression::Number(n) => {
                let n = n.value();
                n.as_i64()
                    .map(Value::from)
                    .or_else(|| n.as_u64().map(Value::from))
                    .or_else(|| n.as_f64().and_then(Number::from_f64).map(Value::Number))
                    .ok_or(Stop::Error)
            }
            Expression::String(s) => Ok(Value::String(s.value().clone())),
            Expression::Array(array) => {
                let mut items = Vec::new();
                for item in array.iter() {
                    items.push(self.member(item, next)?);
                }
                Ok(Value::Array(items))
            }
            Expression::Object(object) => {
                let mut map = Map::new();
                for (key, value) in object.iter() {
                    let key = self.object_key(key, next)?;
                    map.insert(key, self.member(value.expr(), next)?);
                }
                Ok(Value::Object(map))
            }
            Expression::StringTemplate(template) => self.template(template, next),
            Expression::HeredocTemplate(heredoc) => {
                // `<<-` strips the common indentation of the literal lines before
                // interpolating, as Terraform does.
                let text = self.template(&heredoc.template, next)?;
                match (heredoc.indent(), text) {
                    (Some(indent), Value::String(s)) => Ok(Value::String(dedent(&s, indent))),
                    (_, text) => Ok(text),
                }
            }
            Expression::Parenthesis(inner) => self.eval(inner.inner(), next),
            Expression::Variable(name) => self.variable(name.as_str()),
            Expression::Conditional(conditional) => match self.eval(&conditional.cond_expr, next)? {
                Value::Bool(true) => self.eval(&conditional.true_expr, next),
                Value::Bool(false) => self.eval(&conditional.false_expr, next),
                Value::String(s) if s == "true" => self.eval(&conditional.true_expr, next),
                Value::String(s) if s == "false" => self.eval(&conditional.false_expr, next),
                condition if is_unknown_text(&condition) => Err(Stop::Unknown),
                _ => Err(Stop::Error),
            },
            Expression::Traversal(traversal) => self.traversal(traversal, next),
            Expression::UnaryOp(op) => {
                let value = self.eval(&op.expr, next)?;
                if is_unknown_text(&value) {
                    return Err(Stop::Unknown);
                }
                match (op.operator.value(), value) {
                    (UnaryOperator::Neg, value) => negate(&to_number(&value)?).ok_or(Stop::Error),
                    (UnaryOperator::Not, value) => Ok(Value::Bool(!to_bool(&value)?)),
                }
            }
            Expression::BinaryOp(op) => self.binary(op, next),
            Expression::FuncCall(call) => {
                if !call.name.namespace.is_empty() {
                    // `provider::aws::arn_parse(…)` and other provider functions.
                    return Err(Stop::Unknown);
                }
                let args: Vec<&Expression> = call.args.iter().collect();
                super::functions::call(self, call.name.name.as_str(), &args, call.args.expand_final(), next)
            }
            Expression::ForExpr(for_expr) => self.for_expr(for_expr, next),
        }
    }

    /// A member of a collection: known, or kept as its own text when unknown.
    fn member(&self, expression: &Expression, depth: usize) -> Outcome {
        match self.eval(expression, depth) {
            Ok(value) => Ok(value),
            Err(Stop::Unknown) => Ok(self.unknown(expression)),
            Err(Stop::Error) => Err(Stop::Error),
        }
    }

    pub(super) fn object_key(&self, key: &ObjectKey, depth: usize) -> Result<String, Stop> {
        match key {
            ObjectKey::Ident(ident) => Ok(ident.as_str().to_owned()),
            ObjectKey::Expression(expression) => {
                let value = self.eval(expression, depth)?;
                to_text(&value)
            }
        }
    }

    fn variable(&self, name: &str) -> Outcome {
        if let Some((_, value)) = self.bound.iter().rev().find(|(bound, _)| bound == name) {
            return Ok(value.clone());
        }
        if let Some(value) = self.scope.bindings.get(name) {
            return Ok(value.clone());
        }
        match name {
            "count" => match self.scope.count_index {
                Some(index) => Ok(object([("index", Value::from(index))])),
                None => Err(Stop::Unknown),
            },
            "each" => match &self.scope.each {
                Some((key, value)) => Ok(object([("key", key.clone()), ("value", value.clone())])),
                None => Err(Stop::Unknown),
            },
            "var" => Ok(Value::Object(self.scope.variables.iter().map(|(k, v)| (k.clone(), v.clone())).collect())),
            "local" => Ok(Value::Object(self.scope.locals.iter().map(|(k, v)| (k.clone(), v.clone())).collect())),
            _ => Err(Stop::Unknown),
        }
    }

    fn traversal(&self, traversal: &hcl_edit::expr::Traversal, depth: usize) -> Outcome {
        let outcome = self.traverse(traversal, depth);
        // A module's outputs are known only as far as ward reads the module (a registry
        // module's description names few of them): an output it does not know is unknown, not
        // an error Terraform would raise.
        let of_module = matches!(&traversal.expr, Expression::Variable(root) if root.as_str() == "module")
            && !self.bound.iter().any(|(bound, _)| bound == "module")
            && !self.scope.bindings.contains_key("module");
        match outcome {
            Err(Stop::Error) if of_module => Err(Stop::Unknown),
            other => other,
        }
    }

    fn traverse(&self, traversal: &hcl_edit::expr::Traversal, depth: usize) -> Outcome {
        let operators: Vec<&TraversalOperator> = traversal.operators.iter().map(|operator| operator.value()).collect();
        // `var.x` / `local.x` look up one entry instead of copying the whole table; a name
        // that has no value (a variable without default or tfvars) is unknown, not an error.
        let (mut value, rest) = match (&traversal.expr, operators.split_first()) {
            (Expression::Variable(root), Some((TraversalOperator::GetAttr(name), rest)))
                if matches!(root.as_str(), "var" | "local" | "module")
                    && !self.bound.iter().any(|(bound, _)| bound == root.as_str())
                    && !self.scope.bindings.contains_key(root.as_str()) =>
            {
                let table = match root.as_str() {
                    "var" => &self.scope.variables,
                    "local" => &self.scope.locals,
                    _ => &self.scope.modules,
                };
                (table.get(name.as_str()).cloned().ok_or(Stop::Unknown)?, rest)
            }
            _ => (self.eval(&traversal.expr, depth)?, operators.as_slice()),
        };
        let mut index = 0;
        while let Some(operator) = rest.get(index) {
            index += 1;
            if is_unknown_text(&value) {
                return Err(Stop::Unknown);
            }
            match operator {
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    // `[*]` applies every following operator to each element; `.*` only the
                    // attribute accesses that follow it. A single non-list value is a list of
                    // one, `null` an empty list.
                    let full = matches!(operator, TraversalOperator::FullSplat(_));
                    let mut end = index;
                    while let Some(next) = rest.get(end) {
                        let applies =
                            full || matches!(next, TraversalOperator::GetAttr(_) | TraversalOperator::LegacyIndex(_));
                        if !applies {
                            break;
                        }
                        end += 1;
                    }
                    let applied = rest.get(index..end).unwrap_or_default();
                    let items = match value {
                        Value::Array(items) => items,
                        Value::Null => Vec::new(),
                        other => vec![other],
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        let mut item = item;
                        for operator in applied {
                            item = self.step(item, operator, depth)?;
                        }
                        out.push(item);
                    }
                    value = Value::Array(out);
                    index = end;
                }
                other => value = self.step(value, other, depth)?,
            }
        }
        Ok(value)
    }

    /// One attribute or index access.
    fn step(&self, value: Value, operator: &TraversalOperator, depth: usize) -> Outcome {
        if is_unknown_text(&value) {
            return Err(Stop::Unknown);
        }
        match operator {
            TraversalOperator::GetAttr(key) => get_key(value, key.as_str()),
            TraversalOperator::LegacyIndex(index) => get_index(value, &Value::from(*index.value())),
            TraversalOperator::Index(index) => {
                let key = self.eval(index, depth)?;
                if is_unknown_text(&key) {
                    return Err(Stop::Unknown);
                }
                get_index(value, &key)
            }
            TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => Err(Stop::Error),
        }
    }

    fn binary(&self, op: &hcl_edit::expr::BinaryOp, depth: usize) -> Outcome {
        let operator = *op.operator.value();
        // `&&` and `||` do not short-circuit in Terraform, but a known `false && x` is
        // `false` whatever `x` is; an unknown side only matters when the other does not decide.
        let lhs = self.eval(&op.lhs_expr, depth);
        let rhs = self.eval(&op.rhs_expr, depth);
        if matches!(operator, BinaryOperator::And | BinaryOperator::Or) {
            let decided = matches!(operator, BinaryOperator::Or);
            let side = |side: &Outcome| match side {
                Ok(value) if !is_unknown_text(value) => to_bool(value).map(Some),
                Ok(_) | Err(Stop::Unknown) => Ok(None),
                Err(Stop::Error) => Err(Stop::Error),
            };
            return match (side(&lhs)?, side(&rhs)?) {
                (Some(a), Some(b)) => Ok(Value::Bool(if decided { a || b } else { a && b })),
                (Some(a), None) | (None, Some(a)) if a == decided => Ok(Value::Bool(decided)),
                _ => Err(Stop::Unknown),
            };
        }
        let (lhs, rhs) = (lhs?, rhs?);
        // Whether a value is null is known even when parts of it are not: `var.rules != null`
        // with a map of rules naming a resource's id is true.
        if matches!(operator, BinaryOperator::Eq | BinaryOperator::NotEq) {
            let null_test = match (&lhs, &rhs) {
                (Value::Null, other) | (other, Value::Null) if !is_unknown_text(other) => Some(other.is_null()),
                _ => None,
            };
            if let Some(is_null) = null_test {
                return Ok(Value::Bool(is_null == matches!(operator, BinaryOperator::Eq)));
            }
        }
        if has_unknown(&lhs) || has_unknown(&rhs) {
            return Err(Stop::Unknown);
        }
        match operator {
            BinaryOperator::Eq => Ok(Value::Bool(equal(&lhs, &rhs))),
            BinaryOperator::NotEq => Ok(Value::Bool(!equal(&lhs, &rhs))),
            BinaryOperator::Less | BinaryOperator::LessEq | BinaryOperator::Greater | BinaryOperator::GreaterEq => {
                let (a, b) = (as_f64(&to_number(&lhs)?)?, as_f64(&to_number(&rhs)?)?);
                Ok(Value::Bool(match operator {
                    BinaryOperator::Less => a < b,
                    BinaryOperator::LessEq => a <= b,
                    BinaryOperator::Greater => a > b,
                    _ => a >= b,
                }))
            }
            _ => arithmetic(operator, &to_number(&lhs)?, &to_number(&rhs)?),
        }
    }

    fn for_expr(&self, for_expr: &hcl_edit::expr::ForExpr, depth: usize) -> Outcome {
        let intro = &for_expr.intro;
        let collection = self.eval(&intro.collection_expr, depth)?;
        let pairs = iteration_pairs(collection)?;
        let key_name = intro.key_var.as_ref().map(|ident| ident.as_str().to_owned());
        let value_name = intro.value_var.as_str().to_owned();
        let mut list = Vec::new();
        let mut map = Map::new();
        for (key, value) in pairs {
            let mut inner =
                Evaluator { text: self.text, scope: self.scope, max_depth: self.max_depth, bound: self.bound.clone() };
            if let Some(name) = &key_name {
                inner.bound.push((name.clone(), key));
            }
            inner.bound.push((value_name.clone(), value));
            if let Some(cond) = &for_expr.cond {
                let keep = inner.eval(&cond.expr, depth)?;
                if is_unknown_text(&keep) {
                    return Err(Stop::Unknown);
                }
                if !to_bool(&keep)? {
                    continue;
                }
            }
            let item = inner.eval(&for_expr.value_expr, depth)?;
            match &for_expr.key_expr {
                None => list.push(item),
                Some(key_expr) => {
                    let key = inner.eval(key_expr, depth)?;
                    if is_unknown_text(&key) {
                        return Err(Stop::Unknown);
                    }
                    let key = to_text(&key)?;
                    if for_expr.grouping {
                        match map.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
                            Value::Array(group) => group.push(item),
                            _ => return Err(Stop::Error),
                        }
                    } else if map.insert(key, item).is_some() {
                        // Terraform refuses a duplicate key without `...`.
                        return Err(Stop::Error);
                    }
                }
            }
            if list.len() + map.len() > MAX_ITEMS {
                return Err(Stop::Unknown);
            }
        }
        Ok(if for_expr.key_expr.is_some() { Value::Object(map) } else { Value::Array(list) })
    }

    /// A template with what can be known filled in; an interpolation that cannot be known stays
    /// as written (`/app/${count.index}`). A directive whose condition or collection is unknown
    /// makes the whole template unknown.
    pub(super) fn template(&self, template: &Template, depth: usize) -> Outcome {
        if depth > self.max_depth {
            return Err(Stop::Unknown);
        }
        let mut out = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(interpolation) => match self.eval(&interpolation.expr, depth + 1) {
                    Ok(value) if !has_unknown(&value) || value.is_string() => out.push_str(&to_text(&value)?),
                    Ok(_) | Err(Stop::Unknown) => {
                        out.push_str(&format!("${{{}}}", self.source(&interpolation.expr)));
                    }
                    Err(Stop::Error) => return Err(Stop::Error),
                },
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(directive) => {
                        let condition = self.eval(&directive.if_expr.cond_expr, depth + 1)?;
                        if is_unknown_text(&condition) {
                            return Err(Stop::Unknown);
                        }
                        let chosen = if to_bool(&condition)? {
                            Some(&directive.if_expr.template)
                        } else {
                            directive.else_expr.as_ref().map(|e| &e.template)
                        };
                        if let Some(chosen) = chosen {
                            out.push_str(&to_text(&self.template(chosen, depth + 1)?)?);
                        }
                    }
                    Directive::For(directive) => {
                        let for_expr = &directive.for_expr;
                        let collection = self.eval(&for_expr.collection_expr, depth + 1)?;
                        for (key, value) in iteration_pairs(collection)? {
                            let mut inner = Evaluator {
                                text: self.text,
                                scope: self.scope,
                                max_depth: self.max_depth,
                                bound: self.bound.clone(),
                            };
                            if let Some(name) = &for_expr.key_var {
                                inner.bound.push((name.as_str().to_owned(), key));
                            }
                            inner.bound.push((for_expr.value_var.as_str().to_owned(), value));
                            let part = inner.template(&for_expr.template, depth + 1)?;
                            if has_unknown(&part) {
                                return Err(Stop::Unknown);
                            }
                            out.push_str(&to_text(&part)?);
                            if out.len() > MAX_STRING {
                                return Err(Stop::Unknown);
                            }
                        }
                    }
                },
            }
            if out.len() > MAX_STRING {
                return Err(Stop::Unknown);
            }
        }
        Ok(Value::String(out))
    }
}

fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// A string still holding an unresolved interpolation: the whole value is unknown.
pub(crate) fn is_unknown_text(value: &Value) -> bool {
    matches!(value, Value::String(s) if s.contains("${") || s.contains("%{"))
}

/// The (key, value) pairs a `for` iterates: a list's indices, an object's keys in lexical
/// order (Terraform iterates maps sorted), a set's elements as both.
pub(crate) fn iteration_pairs(collection: Value) -> Result<Vec<(Value, Value)>, Stop> {
    if is_unknown_text(&collection) {
        return Err(Stop::Unknown);
    }
    let pairs: Vec<(Value, Value)> = match collection {
        Value::Array(items) => items.into_iter().enumerate().map(|(i, v)| (Value::from(i), v)).collect(),
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            entries.into_iter().map(|(k, v)| (Value::String(k), v)).collect()
        }
        Value::Null => return Err(Stop::Error),
        _ => return Err(Stop::Error),
    };
    if pairs.len() > MAX_ITEMS {
        return Err(Stop::Unknown);
    }
    Ok(pairs)
}

fn get_key(value: Value, key: &str) -> Outcome {
    match value {
        Value::Object(mut map) => map.remove(key).ok_or(Stop::Error),
        Value::Null => Err(Stop::Error),
        _ => Err(Stop::Error),
    }
}

fn get_index(value: Value, key: &Value) -> Outcome {
    match (value, key) {
        (Value::Array(items), key) => {
            let index = as_f64(&to_number(key)?)?;
            if index < 0.0 || index.fract() != 0.0 {
                return Err(Stop::Error);
            }
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let index = index as usize;
            items.into_iter().nth(index).ok_or(Stop::Error)
        }
        (Value::Object(mut map), key) => map.remove(&to_text(key)?).ok_or(Stop::Error),
        _ => Err(Stop::Error),
    }
}

/// Terraform's string conversion: numbers without a trailing `.0`, booleans as words. A
/// collection or `null` has none.
pub(crate) fn to_text(value: &Value) -> Result<String, Stop> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(if *b { "true" } else { "false" }.to_owned()),
        Value::Number(n) => Ok(number_text(n)),
        _ => Err(Stop::Error),
    }
}

fn number_text(n: &Number) -> String {
    if n.is_f64() {
        if let Some(f) = n.as_f64() {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                #[allow(clippy::cast_possible_truncation)]
                return (f as i64).to_string();
            }
        }
    }
    n.to_string()
}

/// Terraform's number conversion: a number, or a string that reads as one.
pub(crate) fn to_number(value: &Value) -> Result<Number, Stop> {
    match value {
        Value::Number(n) => Ok(n.clone()),
        Value::String(s) if is_unknown_text(value) => {
            let _ = s;
            Err(Stop::Unknown)
        }
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .map(Number::from)
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(Number::from_f64))
                .ok_or(Stop::Error)
        }
        _ => Err(Stop::Error),
    }
}

pub(crate) fn to_bool(value: &Value) -> Result<bool, Stop> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        value if is_unknown_text(value) => Err(Stop::Unknown),
        _ => Err(Stop::Error),
    }
}

pub(crate) fn as_f64(n: &Number) -> Result<f64, Stop> {
    n.as_f64().ok_or(Stop::Error)
}

/// Terraform's `==`: same type and value; numbers by value (`1 == 1.0`).
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

fn arithmetic(operator: BinaryOperator, a: &Number, b: &Number) -> Outcome {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        let exact = match operator {
            BinaryOperator::Plus => x.checked_add(y),
            BinaryOperator::Minus => x.checked_sub(y),
            BinaryOperator::Mul => x.checked_mul(y),
            BinaryOperator::Div if y != 0 && x.checked_rem(y) == Some(0) => x.checked_div(y),
            BinaryOperator::Mod if y != 0 => x.checked_rem(y),
            _ => None,
        };
        if let Some(exact) = exact {
            return Ok(Value::from(exact));
        }
    }
    let (x, y) = (as_f64(a)?, as_f64(b)?);
    let result = match operator {
        BinaryOperator::Plus => x + y,
        BinaryOperator::Minus => x - y,
        BinaryOperator::Mul => x * y,
        // Terraform: division by zero is an error, not infinity.
        BinaryOperator::Div if y == 0.0 => return Err(Stop::Error),
        BinaryOperator::Div => x / y,
        BinaryOperator::Mod if y == 0.0 => return Err(Stop::Error),
        BinaryOperator::Mod => x % y,
        _ => return Err(Stop::Error),
    };
    number(result)
}

/// A float as a JSON number, integral values as integers.
pub(crate) fn number(f: f64) -> Outcome {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        return Ok(Value::from(f as i64));
    }
    Number::from_f64(f).map(Value::Number).ok_or(Stop::Error)
}

/// `-n`, exact for every 64-bit integer, as Terraform's arbitrary-precision numbers have it:
/// `-(-9223372036854775808)` is 9223372036854775808 and `-(9223372036854775808)` is `i64::MIN`.
/// (Negating `i64::MIN` as an `i64` would overflow.) Other numbers become floats.
pub(crate) fn negate(n: &Number) -> Option<Value> {
    if let Some(i) = n.as_i64() {
        return Some(i.checked_neg().map_or_else(|| Value::from(i.unsigned_abs()), Value::from));
    }
    if let Some(negated) = n.as_u64().and_then(|u| 0i64.checked_sub_unsigned(u)) {
        return Some(Value::from(negated));
    }
    n.as_f64().map(|f| Value::from(-f))
}

/// `<<-EOT` heredocs drop the common leading whitespace of their lines.
pub(crate) fn dedent(text: &str, indent: usize) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let strip = line.chars().take(indent).take_while(|c| *c == ' ' || *c == '\t').count();
            line.get(strip..).unwrap_or(line)
        })
        .collect()
}

/// `cidrsubnet(prefix, newbits, netnum)`: the `netnum`th subnet of `prefix` with `newbits`
/// more bits of prefix.
pub(crate) fn cidrsubnet(prefix: &str, newbits: u32, netnum: u128) -> Option<String> {
    let (address, length) = prefix.split_once('/')?;
    let length: u32 = length.parse().ok()?;
    match address.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => {
            let total = length.checked_add(newbits).filter(|t| *t <= 32 && length <= 32)?;
            if newbits < 128 && netnum >= 1u128.checked_shl(newbits)? {
                return None;
            }
            let base = u32::from(v4) & mask32(length);
            let shift = 32 - total;
            let netnum = u32::try_from(netnum).ok()?;
            let network = base | netnum.checked_shl(shift).unwrap_or(0);
            Some(format!("{}/{total}", Ipv4Addr::from(network)))
        }
        IpAddr::V6(v6) => {
            let total = length.checked_add(newbits).filter(|t| *t <= 128 && length <= 128)?;
            if newbits < 128 && netnum >= 1u128.checked_shl(newbits)? {
                return None;
            }
            let base = u128::from(v6) & mask128(length);
            let shift = 128 - total;
            let network = base | netnum.checked_shl(shift).unwrap_or(0);
            Some(format!("{}/{total}", Ipv6Addr::from(network)))
        }
    }
}

fn mask32(length: u32) -> u32 {
    if length == 0 {
        0
    } else {
        u32::MAX.checked_shl(32 - length).unwrap_or(0)
    }
}

fn mask128(length: u32) -> u128 {
    if length == 0 {
        0
    } else {
        u128::MAX.checked_shl(128 - length).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use super::*;

    fn scope_from(value: &Value, base: &Scope) -> Scope {
        let mut scope = base.clone();
        let table = |key: &str| -> BTreeMap<String, Value> {
            value
                .get(key)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        scope.variables.extend(table("variables"));
        scope.locals.extend(table("locals"));
        scope.bindings.extend(table("bindings"));
        scope.modules.extend(table("modules"));
        if let Some(each) = value.get("each") {
            scope.each = Some((each["key"].clone(), each["value"].clone()));
        }
        if let Some(index) = value.get("count_index").and_then(Value::as_u64) {
            scope.count_index = Some(index);
        }
        scope
    }

    /// Every case of `testdata/parse/terraform-eval-cases.yaml`.
    #[test]
    fn expressions_evaluate_as_terraform_would_or_stay_unknown() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/parse/terraform-eval-cases.yaml");
        let table: Value = serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let base = scope_from(&table["scope"], &Scope::default());
        let mut failures = Vec::new();
        for case in table["cases"].as_array().unwrap() {
            let text = case["expr"].as_str().unwrap().trim_end();
            let scope = scope_from(case.get("scope").unwrap_or(&Value::Null), &base);
            let expression = hcl_edit::parser::parse_expr(text).unwrap();
            let actual = Evaluator::new(text, &scope, 64).eval(&expression, 0);
            let expected = if case["unknown"] == true {
                Err(Stop::Unknown)
            } else if case["error"] == true {
                Err(Stop::Error)
            } else {
                Ok(case["value"].clone())
            };
            let same = match (&actual, &expected) {
                (Ok(a), Ok(b)) => equal(a, b),
                (a, b) => a == b,
            };
            if !same {
                failures.push(format!("`{text}`: got {actual:?}, expected {expected:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn deep_nesting_is_unknown_not_a_stack_overflow() {
        let text = format!("{}1{}", "(".repeat(40), ")".repeat(40));
        let expression = hcl_edit::parser::parse_expr(&text).unwrap();
        assert_eq!(Evaluator::new(&text, &Scope::default(), 16).eval(&expression, 0), Err(Stop::Unknown));
    }

    #[test]
    fn ranges_are_bounded() {
        let text = "range(100000000)";
        let expression = hcl_edit::parser::parse_expr(text).unwrap();
        assert_eq!(Evaluator::new(text, &Scope::default(), 64).eval(&expression, 0), Err(Stop::Unknown));
    }
}
