//! Go `text/template`'s parser: the tree of text and actions, pipelines of commands joined by
//! `|`, parenthesised pipelines, `$x :=`/`$x =` declarations with Go's variable scoping checked
//! at parse time (`undefined variable "$x"`), `if`/`else if`/`else with`/`with`/`range`
//! (`$i, $e :=`, over an int, `break`/`continue`), `define`, `template` and `block`. A function
//! name that is not defined is an error here, at its line and column, as in Go.

use std::ops::Range;

use super::lex::{Keyword, Token, TokenKind};

/// How deep control structures and parentheses may nest.
const MAX_NESTING: usize = 100;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// Literal text: a byte range of the source.
    Text(Range<usize>),
    Action(Pipe),
    If(Control),
    With(Control),
    Range(Control),
    Template {
        at: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break(usize),
    Continue(usize),
}

/// An `if`, `with` or `range`: its pipeline, body and `else` body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Control {
    pub(crate) at: usize,
    pub(crate) pipe: Pipe,
    pub(crate) body: Vec<Node>,
    pub(crate) otherwise: Vec<Node>,
}

/// `$x := cmd | cmd`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pipe {
    pub(crate) at: usize,
    pub(crate) end: usize,
    pub(crate) declare: Vec<String>,
    /// `=` rather than `:=`.
    pub(crate) assign: bool,
    pub(crate) commands: Vec<Command>,
}

/// One stage of a pipeline: a function (or value) and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Command {
    pub(crate) at: usize,
    pub(crate) end: usize,
    pub(crate) operands: Vec<Operand>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Operand {
    pub(crate) at: usize,
    pub(crate) term: Term,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Term {
    Dot,
    Nil,
    Bool(bool),
    Number(Number),
    Str(String),
    /// `$x.a.b`.
    Variable {
        name: String,
        fields: Vec<String>,
    },
    /// `.a.b` on dot.
    Field(Vec<String>),
    Function(String),
    /// `(pipeline).a.b`.
    Pipe {
        pipe: Box<Pipe>,
        fields: Vec<String>,
    },
}

/// A number constant: Go's untyped constant, an int unless written as a float.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Number {
    Int(i64),
    Float(f64),
}

/// A parse error at a byte offset.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParseError {
    pub(crate) at: usize,
    pub(crate) message: String,
}

/// A parsed file: its own body and the templates it defines, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Parsed {
    pub(crate) root: Vec<Node>,
    pub(crate) defines: Vec<(String, Vec<Node>)>,
}

/// Parses `tokens`; `is_function` says which names are functions.
pub(crate) fn parse(
    tokens: &[Token],
    end_of_source: usize,
    is_function: &dyn Fn(&str) -> bool,
) -> Result<Parsed, ParseError> {
    let mut parser = Parser {
        tokens,
        at: 0,
        end_of_source,
        is_function,
        vars: vec!["$".to_owned()],
        defines: Vec::new(),
        depth: 0,
        ranges: 0,
    };
    let (root, stop) = parser.list()?;
    match stop {
        Stop::Eof => Ok(Parsed { root, defines: parser.defines }),
        Stop::End(at) => Err(ParseError { at, message: "unexpected {{end}}".into() }),
        Stop::Else(at) => Err(ParseError { at, message: "unexpected {{else}}".into() }),
    }
}

/// What ended a list of nodes.
enum Stop {
    Eof,
    /// `{{end}}` (consumed).
    End(usize),
    /// `{{else` (consumed up to the keyword).
    Else(usize),
}

struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
    end_of_source: usize,
    is_function: &'t dyn Fn(&str) -> bool,
    vars: Vec<String>,
    defines: Vec<(String, Vec<Node>)>,
    depth: usize,
    /// How many `range`s enclose the current position (for `break`/`continue`).
    ranges: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn offset(&self) -> usize {
        self.peek().map_or(self.end_of_source, |token| token.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn error<T>(&self, at: usize, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError { at, message: message.into() })
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(Token { kind: TokenKind::Space, .. })) {
            self.at += 1;
        }
    }

    /// The next non-space token, consumed.
    fn next_non_space(&mut self) -> Option<Token> {
        self.skip_space();
        self.next()
    }

    fn expect_close(&mut self, context: &str) -> Result<(), ParseError> {
        match self.next_non_space() {
            Some(Token { kind: TokenKind::Close, .. }) => Ok(()),
            Some(token) => self.error(token.at, format!("unexpected {} in {context}", describe(&token.kind))),
            None => self.error(self.end_of_source, format!("unclosed action in {context}")),
        }
    }

    fn enter(&mut self, at: usize) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return self.error(at, format!("nesting deeper than {MAX_NESTING} levels"));
        }
        Ok(())
    }

    fn list(&mut self) -> Result<(Vec<Node>, Stop), ParseError> {
        let mut nodes = Vec::new();
        loop {
            let Some(token) = self.next() else { return Ok((nodes, Stop::Eof)) };
            match token.kind {
                TokenKind::Text(range) => nodes.push(Node::Text(range)),
                TokenKind::Open => {
                    self.skip_space();
                    let Some(first) = self.peek().cloned() else {
                        return self.error(token.at, "unclosed action");
                    };
                    match first.kind {
                        TokenKind::Keyword(Keyword::End) => {
                            self.at += 1;
                            self.expect_close("end")?;
                            return Ok((nodes, Stop::End(first.at)));
                        }
                        TokenKind::Keyword(Keyword::Else) => {
                            self.at += 1;
                            return Ok((nodes, Stop::Else(first.at)));
                        }
                        TokenKind::Keyword(keyword) => {
                            self.at += 1;
                            if let Some(node) = self.keyword(keyword, first.at)? {
                                nodes.push(node);
                            }
                        }
                        _ => {
                            let pipe = self.pipeline("command", false)?;
                            nodes.push(Node::Action(pipe));
                        }
                    }
                }
                other => return self.error(token.at, format!("unexpected {}", describe(&other))),
            }
        }
    }

    fn keyword(&mut self, keyword: Keyword, at: usize) -> Result<Option<Node>, ParseError> {
        match keyword {
            Keyword::If => Ok(Some(Node::If(self.control("if", at)?))),
            Keyword::With => Ok(Some(Node::With(self.control("with", at)?))),
            Keyword::Range => {
                self.ranges += 1;
                let control = self.control("range", at);
                self.ranges -= 1;
                Ok(Some(Node::Range(control?)))
            }
            Keyword::Break | Keyword::Continue => {
                let name = if keyword == Keyword::Break { "break" } else { "continue" };
                self.expect_close(name)?;
                if self.ranges == 0 {
                    return self.error(at, format!("{{{{{name}}}}} outside {{{{range}}}}"));
                }
                Ok(Some(if keyword == Keyword::Break { Node::Break(at) } else { Node::Continue(at) }))
            }
            Keyword::Template => {
                let name = self.template_name("template")?;
                self.skip_space();
                let pipe = if matches!(self.peek(), Some(Token { kind: TokenKind::Close, .. })) {
                    self.at += 1;
                    None
                } else {
                    Some(self.pipeline("template clause", false)?)
                };
                Ok(Some(Node::Template { at, name, pipe }))
            }
            Keyword::Define => {
                if self.depth > 0 {
                    return self.error(at, "unexpected <define> in command");
                }
                let name = self.template_name("define clause")?;
                self.expect_close("define clause")?;
                let body = self.sub_template(at)?;
                self.defines.push((name, body));
                Ok(None)
            }
            Keyword::Block => {
                let name = self.template_name("block clause")?;
                let pipe = self.pipeline("block clause", false)?;
                let body = self.sub_template(at)?;
                self.defines.push((name.clone(), body));
                Ok(Some(Node::Template { at, name, pipe: Some(pipe) }))
            }
            Keyword::Else | Keyword::End => self.error(at, "unexpected keyword"),
        }
    }

    /// A `define`'s or `block`'s body, with its own variables (only `$`), up to `{{end}}`.
    fn sub_template(&mut self, at: usize) -> Result<Vec<Node>, ParseError> {
        let vars = std::mem::replace(&mut self.vars, vec!["$".to_owned()]);
        let ranges = std::mem::replace(&mut self.ranges, 0);
        self.enter(at)?;
        let result = self.list();
        self.depth -= 1;
        self.vars = vars;
        self.ranges = ranges;
        match result? {
            (body, Stop::End(_)) => Ok(body),
            (_, Stop::Else(else_at)) => self.error(else_at, "unexpected {{else}} in define"),
            (_, Stop::Eof) => self.error(at, "unexpected EOF"),
        }
    }

    fn template_name(&mut self, context: &str) -> Result<String, ParseError> {
        match self.next_non_space() {
            Some(Token { kind: TokenKind::Str(name), .. }) => Ok(name),
            Some(token) => self.error(token.at, format!("unexpected {} in {context}", describe(&token.kind))),
            None => self.error(self.end_of_source, format!("unexpected EOF in {context}")),
        }
    }

    /// `if`/`with`/`range` from after the keyword to its `{{end}}` (shared by an `else if` chain).
    fn control(&mut self, context: &str, at: usize) -> Result<Control, ParseError> {
        self.enter(at)?;
        let vars = self.vars.len();
        let result = self.control_inner(context, at);
        self.vars.truncate(vars);
        self.depth -= 1;
        result
    }

    fn control_inner(&mut self, context: &str, at: usize) -> Result<Control, ParseError> {
        let pipe = self.pipeline(context, context == "range")?;
        if pipe.commands.is_empty() {
            return self.error(at, format!("missing value for {context}"));
        }
        let (body, stop) = self.list()?;
        let otherwise = match stop {
            Stop::End(_) => Vec::new(),
            Stop::Eof => return self.error(at, format!("unexpected EOF in {context}")),
            Stop::Else(else_at) => {
                self.skip_space();
                match self.peek().map(|token| token.kind.clone()) {
                    Some(TokenKind::Keyword(Keyword::If)) if context != "range" => {
                        self.at += 1;
                        // `{{else if}}` is an `if` in the else branch, ending at the same `{{end}}`.
                        vec![Node::If(self.control("if", else_at)?)]
                    }
                    Some(TokenKind::Keyword(Keyword::With)) if context == "with" => {
                        self.at += 1;
                        vec![Node::With(self.control("with", else_at)?)]
                    }
                    _ => {
                        self.expect_close("else")?;
                        match self.list()? {
                            (otherwise, Stop::End(_)) => otherwise,
                            (_, Stop::Else(again)) => {
                                return self.error(again, format!("expected end; found {{{{else}}}} in {context}"))
                            }
                            (_, Stop::Eof) => return self.error(at, format!("unexpected EOF in {context}")),
                        }
                    }
                }
            }
        };
        Ok(Control { at, pipe, body, otherwise })
    }

    /// A pipeline up to the action's `}}` (or, `in_parens`, up to its `)`).
    fn pipeline(&mut self, context: &str, allow_two: bool) -> Result<Pipe, ParseError> {
        self.pipeline_until(context, allow_two, false)
    }

    fn pipeline_until(&mut self, context: &str, allow_two: bool, in_parens: bool) -> Result<Pipe, ParseError> {
        self.skip_space();
        let at = self.offset();
        let (declare, assign) = self.declarations(context, allow_two)?;
        let mut commands = Vec::new();
        loop {
            self.skip_space();
            let Some(token) = self.peek().cloned() else {
                return self.error(self.end_of_source, format!("unclosed action in {context}"));
            };
            match token.kind {
                TokenKind::Close if !in_parens => {
                    self.at += 1;
                    return self.finish_pipe(at, token.at, declare, assign, commands, context);
                }
                TokenKind::RightParen if in_parens => {
                    self.at += 1;
                    return self.finish_pipe(at, token.at, declare, assign, commands, context);
                }
                TokenKind::Pipe => {
                    if commands.is_empty() {
                        return self.error(token.at, "missing command before |");
                    }
                    self.at += 1;
                }
                _ => {
                    commands.push(self.command(in_parens)?);
                }
            }
        }
    }

    fn finish_pipe(
        &mut self,
        at: usize,
        end: usize,
        declare: Vec<String>,
        assign: bool,
        commands: Vec<Command>,
        context: &str,
    ) -> Result<Pipe, ParseError> {
        if commands.is_empty() && (!declare.is_empty() || context == "command") {
            return self.error(at, format!("missing value for {context}"));
        }
        for (stage, command) in commands.iter().enumerate().skip(1) {
            if let Some(first) = command.operands.first() {
                if matches!(first.term, Term::Bool(_) | Term::Dot | Term::Nil | Term::Number(_) | Term::Str(_)) {
                    return self.error(first.at, format!("non executable command in pipeline stage {}", stage + 1));
                }
            }
        }
        if !assign {
            self.vars.extend(declare.iter().cloned());
        }
        Ok(Pipe { at, end, declare, assign, commands })
    }

    /// `$x :=`, `$x =`, or in a range `$i, $e :=`; nothing when the pipeline does not open so.
    fn declarations(&mut self, context: &str, allow_two: bool) -> Result<(Vec<String>, bool), ParseError> {
        let start = self.at;
        let mut names = Vec::new();
        while let Some(Token { kind: TokenKind::Variable(name), at }) = self.peek().cloned() {
            self.at += 1;
            self.skip_space();
            match self.peek().map(|token| token.kind.clone()) {
                Some(TokenKind::Declare) => {
                    self.at += 1;
                    names.push(name);
                    return Ok((names, false));
                }
                Some(TokenKind::Assign) if names.is_empty() => {
                    self.at += 1;
                    if !self.vars.contains(&name) {
                        return self.error(at, format!("undefined variable {name:?}"));
                    }
                    return Ok((vec![name], true));
                }
                Some(TokenKind::Comma) if allow_two && names.is_empty() => {
                    self.at += 1;
                    self.skip_space();
                    names.push(name);
                }
                Some(TokenKind::Comma) => {
                    return self.error(at, format!("too many declarations in {context}"));
                }
                _ => break,
            }
        }
        self.at = start;
        Ok((Vec::new(), false))
    }

    fn command(&mut self, in_parens: bool) -> Result<Command, ParseError> {
        let at = self.offset();
        let mut operands = Vec::new();
        loop {
            self.skip_space();
            let Some(token) = self.peek().cloned() else {
                return self.error(self.end_of_source, "unclosed action");
            };
            match token.kind {
                TokenKind::Close | TokenKind::Pipe => break,
                TokenKind::RightParen if in_parens => break,
                _ => {
                    if !operands.is_empty()
                        && !matches!(
                            self.tokens.get(self.at.saturating_sub(1)),
                            Some(Token { kind: TokenKind::Space, .. })
                        )
                    {
                        return self.error(token.at, format!("missing space before {}", describe(&token.kind)));
                    }
                    operands.push(self.operand()?);
                }
            }
        }
        if operands.is_empty() {
            return self.error(at, "empty command");
        }
        let end = self.offset().max(at);
        Ok(Command { at, end, operands })
    }

    fn operand(&mut self) -> Result<Operand, ParseError> {
        let Some(token) = self.next() else { return self.error(self.end_of_source, "unexpected EOF") };
        let at = token.at;
        let term = match token.kind {
            TokenKind::Dot => Term::Dot,
            TokenKind::Nil => Term::Nil,
            TokenKind::Bool(value) => Term::Bool(value),
            TokenKind::Str(text) => Term::Str(text),
            TokenKind::Char(c) => Term::Number(Number::Int(i64::from(u32::from(c)))),
            TokenKind::Number(text) => Term::Number(
                number(&text).ok_or_else(|| ParseError { at, message: format!("bad number syntax: {text:?}") })?,
            ),
            TokenKind::Identifier(name) => {
                if !(self.is_function)(&name) {
                    return self.error(at, format!("function {name:?} not defined"));
                }
                Term::Function(name)
            }
            TokenKind::Variable(name) => {
                if !self.vars.contains(&name) {
                    return self.error(at, format!("undefined variable {name:?}"));
                }
                Term::Variable { name, fields: self.fields() }
            }
            TokenKind::Field(name) => {
                let mut fields = vec![name];
                fields.extend(self.fields());
                Term::Field(fields)
            }
            TokenKind::LeftParen => {
                self.enter(at)?;
                let pipe = self.pipeline_until("parenthesized pipeline", false, true);
                self.depth -= 1;
                Term::Pipe { pipe: Box::new(pipe?), fields: self.fields() }
            }
            other => return self.error(at, format!("unexpected {} in operand", describe(&other))),
        };
        if matches!(self.peek(), Some(Token { kind: TokenKind::Field(_), .. })) {
            return self.error(self.offset(), "unexpected . after term");
        }
        Ok(Operand { at, term })
    }

    /// The `.a.b` that follow a term directly.
    fn fields(&mut self) -> Vec<String> {
        let mut fields = Vec::new();
        while let Some(Token { kind: TokenKind::Field(name), .. }) = self.peek() {
            fields.push(name.clone());
            self.at += 1;
        }
        fields
    }
}

/// A number constant as Go reads it: an int unless it has a fraction or an exponent (and is
/// not hex); `0x`, `0o`, `0b` and leading-`0` octal ints; `_` separators.
fn number(text: &str) -> Option<Number> {
    let clean = text.replace('_', "");
    let (negative, digits) = match clean.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let lower = digits.to_ascii_lowercase();
    let radix_int = |radix: u32, body: &str| i64::from_str_radix(body, radix).ok();
    let int = if let Some(body) = lower.strip_prefix("0x") {
        if body.contains('p') || body.contains('.') {
            None
        } else {
            radix_int(16, body)
        }
    } else if let Some(body) = lower.strip_prefix("0o") {
        radix_int(8, body)
    } else if let Some(body) = lower.strip_prefix("0b") {
        radix_int(2, body)
    } else if lower.contains(['.', 'e']) {
        None
    } else if lower.len() > 1 && lower.starts_with('0') {
        radix_int(8, lower.get(1..).unwrap_or(""))
    } else {
        lower.parse::<i64>().ok()
    };
    if let Some(int) = int {
        return Some(Number::Int(if negative { -int } else { int }));
    }
    let float: f64 = lower.parse().ok()?;
    if !float.is_finite() {
        return None;
    }
    Some(Number::Float(if negative { -float } else { float }))
}

/// How Go's parser names a token in an error.
fn describe(kind: &TokenKind) -> String {
    match kind {
        TokenKind::Text(_) => "text".into(),
        TokenKind::Open => "\"{{\"".into(),
        TokenKind::Close => "\"}}\"".into(),
        TokenKind::Identifier(name) => format!("<{name}>"),
        TokenKind::Field(name) => format!("<.{name}>"),
        TokenKind::Variable(name) => format!("<{name}>"),
        TokenKind::Dot => "<.>".into(),
        TokenKind::Str(text) => format!("{text:?}"),
        TokenKind::Number(text) => format!("<{text}>"),
        TokenKind::Char(c) => format!("{c:?}"),
        TokenKind::Bool(value) => format!("<{value}>"),
        TokenKind::Nil => "<nil>".into(),
        TokenKind::Pipe => "<|>".into(),
        TokenKind::LeftParen => "<(>".into(),
        TokenKind::RightParen => "<)>".into(),
        TokenKind::Declare => "<:=>".into(),
        TokenKind::Assign => "<=>".into(),
        TokenKind::Comma => "<,>".into(),
        TokenKind::Keyword(keyword) => format!("<{}>", format!("{keyword:?}").to_lowercase()),
        TokenKind::Space => "space".into(),
    }
}
