//! The evaluator: walks a parsed template with a dot and variables (`$` the data, each control
//! structure its own scope), as Go's `text/template` executes — Go's truth, `range` over lists,
//! maps in sorted key order and ints, `else` when nothing was iterated, `break`/`continue`,
//! `and`/`or` short-circuiting, field chains on maps (a missing key is `nil`, a field of `nil` an
//! error: Helm's `missingkey=zero`), methods of `.Files` and `.Capabilities.APIVersions`, and
//! the functions that run templates (`template`, `include`, `tpl`). Every write goes through a
//! [`Traced`] so that each run of output knows its template line and the value it printed.

use std::collections::HashMap;
use std::sync::Arc;

use super::functions::{self, Context};
use super::output::{TemplatePosition, Traced};
use super::parse::{Command, Control, Node, Number, Operand, Pipe, Term};
use super::value::{Kind, Value};
use super::{fmt, parse_source, Definition, TemplateError, TemplateLimits, Templates};

/// The pseudo-file `tpl` parses its text as (Helm's name for it).
const TPL_PATH: &str = "gotpl";

/// What a walk ended with: normally, or at a `{{break}}`/`{{continue}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

/// The template being walked and its variables.
struct Frame<'d> {
    definition: &'d Definition,
    vars: Vec<(String, Value)>,
}

/// One execution: its budgets and the templates `tpl` defined.
pub(crate) struct Exec<'t> {
    templates: &'t Templates,
    limits: TemplateLimits,
    overlay: HashMap<String, Definition>,
    steps: u64,
    written: usize,
    iterations: usize,
    depth: usize,
}

type Result<T> = std::result::Result<T, TemplateError>;

impl<'t> Exec<'t> {
    pub(crate) fn new(templates: &'t Templates) -> Exec<'t> {
        Exec {
            templates,
            limits: *templates.limits(),
            overlay: HashMap::new(),
            steps: 0,
            written: 0,
            iterations: 0,
            depth: 0,
        }
    }

    /// Runs `definition` with `data` as dot and `$`.
    pub(crate) fn run(&mut self, definition: &Definition, data: &Value) -> Result<Traced> {
        let mut out = Traced::new();
        let mut frame = Frame { definition, vars: vec![("$".to_owned(), data.clone())] };
        let body = Arc::clone(&definition.body);
        self.walk(&body, &mut frame, data, &mut out)?;
        Ok(out)
    }

    fn lookup(&self, name: &str) -> Option<Definition> {
        self.overlay.get(name).or_else(|| self.templates.get(name)).cloned()
    }

    fn error(&self, frame: &Frame<'_>, at: usize, message: String) -> TemplateError {
        frame.definition.source.error(at, message)
    }

    /// Go's execution error: `executing "name" at <node>: message`.
    fn exec_error(&self, frame: &Frame<'_>, at: usize, end: usize, message: &str) -> TemplateError {
        let node = frame.definition.source.text.get(at..end).unwrap_or("").trim();
        let node: String = node.chars().take(80).collect();
        self.error(frame, at, format!("executing {:?} at <{node}>: {message}", &*frame.definition.name))
    }

    fn step(&mut self, frame: &Frame<'_>, at: usize) -> Result<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(self.error(frame, at, format!("execution stopped after {} steps", self.limits.max_steps)));
        }
        Ok(())
    }

    fn wrote(&mut self, frame: &Frame<'_>, at: usize, bytes: usize) -> Result<()> {
        self.written = self.written.saturating_add(bytes);
        if self.written > self.limits.max_output_bytes {
            return Err(self.error(frame, at, format!("output exceeds {} bytes", self.limits.max_output_bytes)));
        }
        Ok(())
    }

    fn walk(&mut self, nodes: &[Node], frame: &mut Frame<'_>, dot: &Value, out: &mut Traced) -> Result<Flow> {
        for node in nodes {
            let flow = self.node(node, frame, dot, out)?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn node(&mut self, node: &Node, frame: &mut Frame<'_>, dot: &Value, out: &mut Traced) -> Result<Flow> {
        match node {
            Node::Text(range) => {
                self.step(frame, range.start)?;
                self.text(frame, range.clone(), out)?;
            }
            Node::Action(pipe) => {
                self.step(frame, pipe.at)?;
                let value = self.pipe(pipe, frame, dot)?;
                if pipe.declare.is_empty() {
                    let position = frame.definition.source.position(pipe.at);
                    self.print(frame, pipe.at, &value, &position, out)?;
                }
            }
            Node::If(control) => {
                let mark = frame.vars.len();
                let value = self.pipe(&control.pipe, frame, dot)?;
                let branch = if value.truthy() { &control.body } else { &control.otherwise };
                let flow = self.walk(branch, frame, dot, out);
                frame.vars.truncate(mark);
                return flow;
            }
            Node::With(control) => {
                let mark = frame.vars.len();
                let value = self.pipe(&control.pipe, frame, dot)?;
                let flow = if value.truthy() {
                    self.walk(&control.body, frame, &value, out)
                } else {
                    self.walk(&control.otherwise, frame, dot, out)
                };
                frame.vars.truncate(mark);
                return flow;
            }
            Node::Range(control) => {
                let mark = frame.vars.len();
                let flow = self.range(control, frame, dot, out);
                frame.vars.truncate(mark);
                flow?;
            }
            Node::Template { at, name, pipe } => {
                self.step(frame, *at)?;
                let data = match pipe {
                    Some(pipe) => self.pipe(pipe, frame, dot)?,
                    None => Value::nil(),
                };
                let Some(definition) = self.lookup(name) else {
                    return Err(self.exec_error(
                        frame,
                        *at,
                        pipe.as_ref().map_or(*at, |pipe| pipe.end),
                        &format!("template {name:?} not defined"),
                    ));
                };
                self.enter(frame, *at, name)?;
                let mut inner = Frame { definition: &definition, vars: vec![("$".to_owned(), data.clone())] };
                let body = Arc::clone(&definition.body);
                let result = self.walk(&body, &mut inner, &data, out);
                self.depth -= 1;
                result?;
            }
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn enter(&mut self, frame: &Frame<'_>, at: usize, name: &str) -> Result<()> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            self.depth -= 1;
            return Err(self.error(
                frame,
                at,
                format!(
                    "rendering template has a nested reference name: {name}: exceeded max depth {}",
                    self.limits.max_depth
                ),
            ));
        }
        Ok(())
    }

    /// Literal text, a piece per line so that each knows its own line.
    fn text(&mut self, frame: &Frame<'_>, range: std::ops::Range<usize>, out: &mut Traced) -> Result<()> {
        let source = &frame.definition.source;
        let text = source.text.get(range.clone()).unwrap_or("");
        self.wrote(frame, range.start, text.len())?;
        let mut start = range.start;
        for line in text.split_inclusive('\n') {
            out.push(line, Some(&source.position(start)), None);
            start += line.len();
        }
        Ok(())
    }

    /// Writes a value as an action prints it.
    fn print(
        &mut self,
        frame: &Frame<'_>,
        at: usize,
        value: &Value,
        position: &TemplatePosition,
        out: &mut Traced,
    ) -> Result<()> {
        match &value.kind {
            // Go prints `<no value>`, which Helm deletes.
            Kind::Nil => {}
            Kind::Str(text) => {
                self.wrote(frame, at, text.len())?;
                out.push_traced(text, Some(position), value.origin.as_ref());
            }
            _ => {
                let text = fmt::value(value);
                self.wrote(frame, at, text.len())?;
                out.push(&text, Some(position), value.origin.as_ref());
            }
        }
        Ok(())
    }

    fn range(&mut self, control: &Control, frame: &mut Frame<'_>, dot: &Value, out: &mut Traced) -> Result<()> {
        let pipe = &control.pipe;
        let value = self.pipe_value(pipe, frame, dot)?;
        let end = pipe.end;
        let items: Vec<(Value, Value)> = match &value.kind {
            Kind::Nil => Vec::new(),
            Kind::List(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| (Value::int(i64::try_from(index).unwrap_or(i64::MAX)), item.clone()))
                .collect(),
            Kind::ApiVersions(versions) => versions
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    (Value::int(i64::try_from(index).unwrap_or(i64::MAX)), Value::string(item.as_str()))
                })
                .collect(),
            Kind::Map(members) => {
                members.snapshot().into_iter().map(|(key, member)| (Value::string(key), member)).collect()
            }
            Kind::Files(files) => {
                files.iter().map(|(path, text)| (Value::string(path.as_str()), Value::string(text.as_str()))).collect()
            }
            Kind::Int(count) => {
                if pipe.declare.len() > 1 {
                    return Err(self.exec_error(
                        frame,
                        pipe.at,
                        end,
                        &format!("can't use {count} to iterate over more than one variable"),
                    ));
                }
                let count = usize::try_from(*count).unwrap_or(0);
                if count > self.limits.max_range_iterations {
                    return Err(self.exec_error(
                        frame,
                        pipe.at,
                        end,
                        &format!("range over {count} exceeds the iteration limit"),
                    ));
                }
                (0..count)
                    .map(|i| {
                        (
                            Value::int(i64::try_from(i).unwrap_or(i64::MAX)),
                            Value::int(i64::try_from(i).unwrap_or(i64::MAX)),
                        )
                    })
                    .collect()
            }
            _ => {
                return Err(self.exec_error(
                    frame,
                    pipe.at,
                    end,
                    &format!("range can't iterate over {}", fmt::value(&value)),
                ))
            }
        };
        if items.is_empty() {
            self.walk(&control.otherwise, frame, dot, out)?;
            return Ok(());
        }
        // The declared variables hold the element (one) or the index and the element (two).
        let mark = frame.vars.len();
        for (index, element) in items {
            self.iterations += 1;
            if self.iterations > self.limits.max_range_iterations {
                return Err(self.exec_error(frame, pipe.at, end, "range iterations exceed the limit"));
            }
            frame.vars.truncate(mark);
            match pipe.declare.as_slice() {
                [] => {}
                [element_var] => self.declare(frame, element_var, element.clone(), pipe.assign),
                [index_var, element_var, ..] => {
                    self.declare(frame, index_var, index, pipe.assign);
                    self.declare(frame, element_var, element.clone(), pipe.assign);
                }
            }
            let flow = self.walk(&control.body, frame, &element, out)?;
            if flow == Flow::Break {
                break;
            }
        }
        frame.vars.truncate(mark);
        Ok(())
    }

    fn declare(&self, frame: &mut Frame<'_>, name: &str, value: Value, assign: bool) {
        if assign {
            if let Some(slot) = frame.vars.iter_mut().rev().find(|(var, _)| var == name) {
                slot.1 = value;
                return;
            }
        }
        frame.vars.push((name.to_owned(), value));
    }

    /// A pipeline's value, its declarations made.
    fn pipe(&mut self, pipe: &Pipe, frame: &mut Frame<'_>, dot: &Value) -> Result<Value> {
        let value = self.pipe_value(pipe, frame, dot)?;
        for name in &pipe.declare {
            self.declare(frame, name, value.clone(), pipe.assign);
        }
        Ok(value)
    }

    /// A pipeline's value, without declaring its variables.
    fn pipe_value(&mut self, pipe: &Pipe, frame: &mut Frame<'_>, dot: &Value) -> Result<Value> {
        let mut value: Option<Value> = None;
        for command in &pipe.commands {
            value = Some(self.command(command, frame, dot, value)?);
        }
        Ok(value.unwrap_or_else(Value::nil))
    }

    fn command(&mut self, command: &Command, frame: &mut Frame<'_>, dot: &Value, last: Option<Value>) -> Result<Value> {
        self.step(frame, command.at)?;
        let Some((first, rest)) = command.operands.split_first() else {
            return Err(self.exec_error(frame, command.at, command.end, "empty command"));
        };
        let has_args = !rest.is_empty() || last.is_some();
        match &first.term {
            Term::Function(name) => self.function(name, command, rest, frame, dot, last),
            Term::Field(fields) => {
                let args = self.args(rest, frame, dot, last)?;
                self.chain(frame, command, first.at, dot.clone(), fields, args, true)
            }
            Term::Variable { name, fields } => {
                let value = self.variable(frame, first.at, name)?;
                if fields.is_empty() {
                    if has_args {
                        return Err(self.exec_error(
                            frame,
                            command.at,
                            command.end,
                            &format!("can't give argument to non-function {name}"),
                        ));
                    }
                    return Ok(value);
                }
                let args = self.args(rest, frame, dot, last)?;
                self.chain(frame, command, first.at, value, fields, args, false)
            }
            Term::Pipe { pipe, fields } => {
                let value = self.pipe(pipe, frame, dot)?;
                if fields.is_empty() {
                    if has_args {
                        return Err(self.exec_error(
                            frame,
                            command.at,
                            command.end,
                            "can't give argument to non-function",
                        ));
                    }
                    return Ok(value);
                }
                let args = self.args(rest, frame, dot, last)?;
                self.chain(frame, command, first.at, value, fields, args, false)
            }
            Term::Nil => Err(self.exec_error(frame, command.at, command.end, "nil is not a command")),
            other => {
                if has_args {
                    return Err(self.exec_error(frame, command.at, command.end, "can't give argument to non-function"));
                }
                self.literal(other, frame, dot)
            }
        }
    }

    fn literal(&mut self, term: &Term, frame: &mut Frame<'_>, dot: &Value) -> Result<Value> {
        Ok(match term {
            Term::Dot => dot.clone(),
            Term::Nil => Value::nil(),
            Term::Bool(value) => Value::bool(*value),
            Term::Number(Number::Int(value)) => Value::int(*value),
            Term::Number(Number::Float(value)) => Value::float(*value),
            Term::Str(text) => Value::string(text.as_str()),
            Term::Variable { .. } | Term::Field(_) | Term::Function(_) | Term::Pipe { .. } => {
                let _ = (frame, dot);
                Value::nil()
            }
        })
    }

    fn variable(&self, frame: &Frame<'_>, at: usize, name: &str) -> Result<Value> {
        frame
            .vars
            .iter()
            .rev()
            .find(|(var, _)| var == name)
            .map(|(_, value)| value.clone())
            .ok_or_else(|| self.error(frame, at, format!("undefined variable: {name}")))
    }

    /// The value of an operand in argument position.
    fn arg(&mut self, operand: &Operand, frame: &mut Frame<'_>, dot: &Value) -> Result<Value> {
        match &operand.term {
            Term::Function(name) => {
                let command = Command { at: operand.at, end: operand.at + name.len(), operands: Vec::new() };
                self.function(name, &command, &[], frame, dot, None)
            }
            Term::Field(fields) => {
                let command = Command { at: operand.at, end: operand.at, operands: Vec::new() };
                self.chain(frame, &command, operand.at, dot.clone(), fields, Vec::new(), true)
            }
            Term::Variable { name, fields } => {
                let value = self.variable(frame, operand.at, name)?;
                let command = Command { at: operand.at, end: operand.at, operands: Vec::new() };
                self.chain(frame, &command, operand.at, value, fields, Vec::new(), false)
            }
            Term::Pipe { pipe, fields } => {
                let value = self.pipe(pipe, frame, dot)?;
                let command = Command { at: operand.at, end: pipe.end + 1, operands: Vec::new() };
                self.chain(frame, &command, operand.at, value, fields, Vec::new(), false)
            }
            other => self.literal(other, frame, dot),
        }
    }

    fn args(
        &mut self,
        operands: &[Operand],
        frame: &mut Frame<'_>,
        dot: &Value,
        last: Option<Value>,
    ) -> Result<Vec<Value>> {
        let mut args = Vec::with_capacity(operands.len() + 1);
        for operand in operands {
            args.push(self.arg(operand, frame, dot)?);
        }
        args.extend(last);
        Ok(args)
    }

    /// `receiver.a.b`, the last with `args` when it is a method.
    #[allow(clippy::too_many_arguments)]
    fn chain(
        &mut self,
        frame: &Frame<'_>,
        command: &Command,
        at: usize,
        receiver: Value,
        fields: &[String],
        args: Vec<Value>,
        from_dot: bool,
    ) -> Result<Value> {
        // A chain that starts at nothing is nothing (Go's invalid receiver); a `nil` met on the
        // way is an error, as Helm's users know it.
        if receiver.is_nil() && !fields.is_empty() {
            if !args.is_empty() {
                return Err(self.exec_error(
                    frame,
                    command.at,
                    command.end.max(at),
                    &format!("nil pointer evaluating interface {{}}.{}", fields.last().map_or("", String::as_str)),
                ));
            }
            let _ = from_dot;
            return Ok(Value::nil());
        }
        let mut value = receiver;
        let count = fields.len();
        let end = command.end.max(at);
        for (index, field) in fields.iter().enumerate() {
            let is_last = index + 1 == count;
            let field_args: &[Value] = if is_last { &args } else { &[] };
            value = match &value.kind {
                Kind::Nil => {
                    return Err(self.exec_error(
                        frame,
                        command.at,
                        end,
                        &format!("nil pointer evaluating interface {{}}.{field}"),
                    ));
                }
                Kind::Map(members) => {
                    if !field_args.is_empty() {
                        return Err(self.exec_error(
                            frame,
                            command.at,
                            end,
                            &format!("{field} is not a method but has arguments"),
                        ));
                    }
                    members.get(field).unwrap_or_else(Value::nil)
                }
                Kind::Files(_) | Kind::ApiVersions(_) => functions::helm::method(&value, field, field_args)
                    .map_err(|error| self.exec_error(frame, command.at, end, &error.message(field)))?,
                _ => {
                    return Err(self.exec_error(
                        frame,
                        command.at,
                        end,
                        &format!("can't evaluate field {field} in type {}", value.type_name()),
                    ));
                }
            };
        }
        Ok(value)
    }

    fn function(
        &mut self,
        name: &str,
        command: &Command,
        operands: &[Operand],
        frame: &mut Frame<'_>,
        dot: &Value,
        last: Option<Value>,
    ) -> Result<Value> {
        let (at, end) = (command.at, command.end);
        if name == "and" || name == "or" {
            if operands.is_empty() && last.is_none() {
                return Err(self.exec_error(
                    frame,
                    at,
                    end,
                    &format!("wrong number of args for {name}: want at least 1 got 0"),
                ));
            }
            let mut value = Value::nil();
            for operand in operands {
                value = self.arg(operand, frame, dot)?;
                if value.truthy() == (name == "or") {
                    return Ok(value);
                }
            }
            return Ok(last.unwrap_or(value));
        }
        let args = self.args(operands, frame, dot, last)?;
        match name {
            "include" => self.include(frame, at, end, args),
            "tpl" => self.tpl(frame, at, end, args),
            _ => {
                let mut context = Context { limits: &self.limits, iterations: &mut self.iterations };
                functions::call(name, args, &mut context)
                    .map_err(|error| self.exec_error(frame, at, end, &error.message(name)))
            }
        }
    }

    /// Helm's `include`: a template's output as a string (its pieces kept).
    fn include(&mut self, frame: &Frame<'_>, at: usize, end: usize, args: Vec<Value>) -> Result<Value> {
        let [name, data]: [Value; 2] = args.try_into().map_err(|args: Vec<Value>| {
            self.exec_error(frame, at, end, &format!("wrong number of args for include: want 2 got {}", args.len()))
        })?;
        let Some(name) = name.as_str().map(str::to_owned) else {
            return Err(self.exec_error(
                frame,
                at,
                end,
                &format!("wrong type for value; expected string; got {}", name.type_name()),
            ));
        };
        let Some(definition) = self.lookup(&name) else {
            return Err(self.exec_error(
                frame,
                at,
                end,
                &format!("error calling include: template: no template {name:?} associated with template \"gotpl\""),
            ));
        };
        self.enter(frame, at, &name)?;
        let mut out = Traced::new();
        let mut inner = Frame { definition: &definition, vars: vec![("$".to_owned(), data.clone())] };
        let body = Arc::clone(&definition.body);
        let result = self.walk(&body, &mut inner, &data, &mut out);
        self.depth -= 1;
        result.map_err(|error| self.exec_error(frame, at, end, &format!("error calling include: {error}")))?;
        Ok(Value::traced(out))
    }

    /// Helm's `tpl`: a string rendered as a template with the given dot. Its text keeps the
    /// string's origin; the values it prints keep theirs.
    fn tpl(&mut self, frame: &Frame<'_>, at: usize, end: usize, args: Vec<Value>) -> Result<Value> {
        let [text, data]: [Value; 2] = args.try_into().map_err(|args: Vec<Value>| {
            self.exec_error(frame, at, end, &format!("wrong number of args for tpl: want 2 got {}", args.len()))
        })?;
        let Some(source_text) = text.as_str() else {
            return Err(self.exec_error(
                frame,
                at,
                end,
                &format!("wrong type for value; expected string; got {}", text.type_name()),
            ));
        };
        let origin = text.first_origin().cloned();
        let (source, parsed) = parse_source(TPL_PATH, source_text).map_err(|error| {
            let quoted = crate::go_text::quote(source_text);
            self.exec_error(frame, at, end, &format!("error calling tpl: cannot parse template {quoted}: {error}"))
        })?;
        for (name, body) in parsed.defines {
            self.overlay.insert(
                name.clone(),
                Definition { name: Arc::from(name.as_str()), source: Arc::clone(&source), body: Arc::new(body) },
            );
        }
        let definition =
            Definition { name: Arc::from(TPL_PATH), source: Arc::clone(&source), body: Arc::new(parsed.root) };
        self.enter(frame, at, TPL_PATH)?;
        let mut out = Traced::new();
        let mut inner = Frame { definition: &definition, vars: vec![("$".to_owned(), data.clone())] };
        let result = self.walk(&definition.body, &mut inner, &data, &mut out);
        self.depth -= 1;
        result.map_err(|error| {
            let quoted = crate::go_text::quote(source_text);
            let message = format!("error calling tpl: error during tpl function execution for {quoted}: {error}");
            self.exec_error(frame, at, end, &message)
        })?;
        // Runs the tpl'd text wrote itself came from the string: its origin, the caller's line.
        for segment in &mut out.segments {
            if segment.template.as_ref().is_some_and(|position| &*position.path == TPL_PATH) {
                segment.template = None;
                if segment.value.is_none() {
                    segment.value.clone_from(&origin);
                }
            }
        }
        Ok(Value::traced(out))
    }
}
