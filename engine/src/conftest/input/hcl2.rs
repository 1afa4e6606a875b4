//! HCL2 (`.tf`, `.tfvars`, `.hcl`) as conftest reads it — the shape of `tmccombs/hcl2json` as
//! conftest adapted it, so that `input.resource.aws_s3_bucket.logs.acl` reads a bucket's ACL:
//!
//! - a body is an object of its attributes and blocks; a block nests under its type and then
//!   each label (`resource` → `aws_s3_bucket` → `logs`), and a second block at the same place
//!   turns the value into an array of both (a single block stays an object);
//! - literals are JSON values; a string without interpolation is its text; a template is its
//!   text with each interpolation written back as `${…}`; a template that is only one
//!   interpolation is that expression's value; an empty tuple is `null`;
//! - any other expression (a reference, a function call, an operator) is its source text as
//!   `"${…}"`; a negative number literal stays a number.

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{BlockLabel, Body, Structure};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span as _;
use serde_json::{Map, Value};

use crate::document::Span;
use crate::parse::ParseError;

pub(super) fn parse(text: &str) -> Result<Value, ParseError> {
    let body = hcl_edit::parser::parse_body(text).map_err(|error| {
        let at = error.location().offset().min(text.len());
        ParseError::new(format!("invalid HCL: {}", error.message()), Span::new(at, at))
    })?;
    let converter = Converter { text };
    converter.body(&body).map(Value::Object)
}

struct Converter<'t> {
    text: &'t str,
}

impl Converter<'_> {
    fn source(&self, node: &dyn hcl_edit::Span) -> &str {
        node.span().and_then(|range| self.text.get(range)).unwrap_or("").trim()
    }

    fn wrap(&self, node: &dyn hcl_edit::Span) -> String {
        format!("${{{}}}", self.source(node))
    }

    fn body(&self, body: &Body) -> Result<Map<String, Value>, ParseError> {
        let mut out = Map::new();
        for structure in body.iter() {
            if let Structure::Attribute(attribute) = structure {
                out.insert(attribute.key.as_str().to_owned(), self.expression(&attribute.value));
            }
        }
        for structure in body.iter() {
            let Structure::Block(block) = structure else { continue };
            let value = Value::Object(self.body(&block.body)?);
            let mut keys: Vec<String> = vec![block.ident.as_str().to_owned()];
            keys.extend(block.labels.iter().map(|label| match label {
                BlockLabel::Ident(ident) => ident.as_str().to_owned(),
                BlockLabel::String(string) => string.as_str().to_owned(),
            }));
            insert_block(&mut out, &keys, value).map_err(|()| {
                let at = block.ident.span().map_or(0, |range| range.start);
                ParseError::new(format!("Unable to convert Block to JSON: {}", keys.join(".")), Span::new(at, at))
            })?;
        }
        Ok(out)
    }

    fn expression(&self, expression: &Expression) -> Value {
        match expression {
            Expression::Null(_) => Value::Null,
            Expression::Bool(value) => Value::Bool(*value.value()),
            Expression::Number(number) => {
                let number = number.value();
                number
                    .as_i64()
                    .map(Value::from)
                    .or_else(|| number.as_u64().map(Value::from))
                    .or_else(|| number.as_f64().and_then(serde_json::Number::from_f64).map(Value::Number))
                    .unwrap_or(Value::Null)
            }
            Expression::String(string) => Value::String(string.value().clone()),
            Expression::StringTemplate(template) => self.template(template, None),
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template, heredoc.indent()),
            Expression::Array(array) => {
                let items: Vec<Value> = array.iter().map(|item| self.expression(item)).collect();
                // conftest builds the list by appending to a nil slice: an empty tuple is null.
                if items.is_empty() {
                    Value::Null
                } else {
                    Value::Array(items)
                }
            }
            Expression::Object(object) => {
                let mut map = Map::new();
                for (key, value) in object.iter() {
                    map.insert(self.key(key), self.expression(value.expr()));
                }
                Value::Object(map)
            }
            other => Value::String(self.wrap(other)),
        }
    }

    fn key(&self, key: &ObjectKey) -> String {
        match key {
            ObjectKey::Ident(ident) => ident.as_str().to_owned(),
            ObjectKey::Expression(Expression::Traversal(traversal)) => self.source(traversal.as_ref()).to_owned(),
            ObjectKey::Expression(Expression::Variable(variable)) => variable.as_str().to_owned(),
            ObjectKey::Expression(expression) => self.string_part(expression),
        }
    }

    /// A template: its text with interpolations as `${…}`, or the value of its only
    /// interpolation.
    fn template(&self, template: &Template, indent: Option<usize>) -> Value {
        let elements: Vec<&Element> = template.iter().collect();
        if let [Element::Interpolation(only)] = elements.as_slice() {
            return self.expression(&only.expr);
        }
        let mut out = String::new();
        for element in elements {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(interpolation) => out.push_str(&self.string_part(&interpolation.expr)),
                Element::Directive(directive) => out.push_str(&self.directive(directive)),
            }
        }
        Value::String(match indent {
            Some(indent) => dedent(&out, indent),
            None => out,
        })
    }

    /// An interpolated expression inside a template: literals as text, anything else as `${…}`.
    fn string_part(&self, expression: &Expression) -> String {
        match expression {
            Expression::Null(_) => "null".into(),
            Expression::Bool(value) => value.value().to_string(),
            Expression::Number(number) => number.value().to_string(),
            Expression::String(string) => string.value().clone(),
            Expression::StringTemplate(template) => match self.template(template, None) {
                Value::String(text) => text,
                other => other.to_string(),
            },
            Expression::Conditional(conditional) => {
                let mut out = format!("%{{if {}}}", self.source(&conditional.cond_expr));
                out.push_str(&self.string_part(&conditional.true_expr));
                let otherwise = self.string_part(&conditional.false_expr);
                if !otherwise.is_empty() {
                    out.push_str("%{else}");
                    out.push_str(&otherwise);
                }
                out.push_str("%{endif}");
                out
            }
            other => self.wrap(other),
        }
    }

    /// A `%{if}` or `%{for}` directive, as written.
    fn directive(&self, directive: &Directive) -> String {
        match directive {
            Directive::If(directive) => self.source(directive).to_owned(),
            Directive::For(directive) => self.source(directive).to_owned(),
        }
    }
}

/// Puts a block's `value` at `keys` (type, then labels) in `out`: nested objects for all but
/// the last key, where a second block makes an array. `Err` when a key on the way holds
/// something other than an object.
fn insert_block(out: &mut Map<String, Value>, keys: &[String], value: Value) -> Result<(), ()> {
    let Some((last, path)) = keys.split_last() else { return Ok(()) };
    let mut current = out;
    for key in path {
        let entry = current.entry(key.clone()).or_insert_with(|| Value::Object(Map::new()));
        current = match entry {
            Value::Object(map) => map,
            _ => return Err(()),
        };
    }
    match current.get_mut(last) {
        None => {
            current.insert(last.clone(), value);
        }
        Some(Value::Array(list)) => list.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
    }
    Ok(())
}

/// `<<-EOT` heredocs drop the common leading whitespace of their lines.
fn dedent(text: &str, indent: usize) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let strip = line.chars().take(indent).take_while(|c| *c == ' ' || *c == '\t').count();
            line.get(strip..).unwrap_or(line)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn blocks_nest_under_their_labels_and_expressions_keep_their_text() {
        let text = r#"
resource "aws_alb_listener" "my-alb-listener" {
  port     = 80
  protocol = "HTTP"
  tags     = []
  name     = "lb-${var.env}"
  arn      = aws_lb.main.arn
  count    = -1
  only     = "${var.size}"
  ingress { from_port = 1 }
  ingress { from_port = 2 }
  egress { cidr = ["0.0.0.0/0"] }
}
variable "env" {}
"#;
        let value = parse(text).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "resource": {"aws_alb_listener": {"my-alb-listener": {
                    "port": 80, "protocol": "HTTP", "tags": null, "name": "lb-${var.env}",
                    "arn": "${aws_lb.main.arn}", "count": -1, "only": "${var.size}",
                    "ingress": [{"from_port": 1}, {"from_port": 2}],
                    "egress": {"cidr": ["0.0.0.0/0"]}
                }}},
                "variable": {"env": {}}
            })
        );
    }
}
