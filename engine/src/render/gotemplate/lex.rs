//! Go `text/template`'s lexer: splits a template into text and the tokens of its actions — the
//! `{{`/`}}` delimiters with their `{{- `/` -}}` trim markers (the space is mandatory, as in Go:
//! `{{-3}}` is the number -3), comments `{{/* */}}`, quoted and raw strings, characters,
//! numbers, `$variables`, `.Field` chains, keywords and punctuation. Trimming is applied here,
//! so the parser sees each text already trimmed, with the byte range it keeps of the source.

use std::ops::Range;

/// One token, with the byte offset where it starts in the template's source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) at: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind {
    /// Literal text (after trimming), as the byte range of the source it is.
    Text(Range<usize>),
    /// `{{`, the action's first token follows.
    Open,
    /// `}}`.
    Close,
    /// A function or method name.
    Identifier(String),
    /// `.Name` (without the dot).
    Field(String),
    /// `$name` (with the `$`), `$` alone.
    Variable(String),
    /// `.` alone.
    Dot,
    /// A quoted or raw string, unescaped.
    Str(String),
    /// A number or character constant, as written.
    Number(String),
    /// A character constant's code point.
    Char(char),
    Bool(bool),
    Nil,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Comma,
    Keyword(Keyword),
    /// Whitespace inside an action (it separates arguments).
    Space,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keyword {
    If,
    Else,
    End,
    Range,
    With,
    Define,
    Template,
    Block,
    Break,
    Continue,
}

/// A lexing error at a byte offset.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LexError {
    pub(crate) at: usize,
    pub(crate) message: String,
}

const OPEN: &str = "{{";
const CLOSE: &str = "}}";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Whether `rest` (what follows `{{`) opens with a left trim marker: `-` and a space.
fn left_trim(rest: &str) -> bool {
    let mut chars = rest.chars();
    chars.next() == Some('-') && chars.next().is_some_and(is_space)
}

/// Splits `source` into tokens.
pub(crate) fn lex(source: &str) -> Result<Vec<Token>, LexError> {
    let mut lexer = Lexer { source, at: 0, tokens: Vec::new(), trim_next_text: false };
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'s> {
    source: &'s str,
    at: usize,
    tokens: Vec<Token>,
    /// The previous action ended with ` -}}`: the next text loses its leading whitespace.
    trim_next_text: bool,
}

impl<'s> Lexer<'s> {
    fn rest(&self) -> &'s str {
        self.source.get(self.at..).unwrap_or("")
    }

    fn push(&mut self, kind: TokenKind, at: usize) {
        self.tokens.push(Token { kind, at });
    }

    fn error<T>(&self, at: usize, message: impl Into<String>) -> Result<T, LexError> {
        Err(LexError { at, message: message.into() })
    }

    fn run(&mut self) -> Result<(), LexError> {
        loop {
            let rest = self.rest();
            let text_end = rest.find(OPEN).map_or(self.source.len(), |found| self.at + found);
            let mut start = self.at;
            let mut end = text_end;
            if self.trim_next_text {
                let text = self.source.get(start..end).unwrap_or("");
                start = end - text.trim_start_matches(is_space).len();
            }
            let after_open = self.source.get(text_end + OPEN.len()..).unwrap_or("");
            let trims_left = text_end < self.source.len() && left_trim(after_open);
            if trims_left {
                let text = self.source.get(start..end).unwrap_or("");
                end = start + text.trim_end_matches(is_space).len();
            }
            if start < end {
                self.push(TokenKind::Text(start..end), start);
            }
            if text_end >= self.source.len() {
                return Ok(());
            }
            self.at = text_end + OPEN.len();
            if trims_left {
                self.at += 2;
            }
            self.action(text_end)?;
        }
    }

    /// Lexes one action from just after its `{{` (and trim marker) to its `}}`.
    fn action(&mut self, open_at: usize) -> Result<(), LexError> {
        if self.rest().starts_with("/*") {
            return self.comment(open_at);
        }
        self.push(TokenKind::Open, open_at);
        let mut depth = 0usize;
        loop {
            let rest = self.rest();
            let start = self.at;
            let Some(c) = rest.chars().next() else {
                return self.error(open_at, "unclosed action");
            };
            if rest.starts_with(CLOSE) {
                if depth > 0 {
                    return self.error(start, "unclosed left paren");
                }
                self.at += CLOSE.len();
                self.trim_next_text = false;
                self.push(TokenKind::Close, start);
                return Ok(());
            }
            if is_space(c) {
                let spaces = rest.len() - rest.trim_start_matches(is_space).len();
                self.at += spaces;
                if self.rest().starts_with("-}}") {
                    if depth > 0 {
                        return self.error(start, "unclosed left paren");
                    }
                    let close_at = self.at + 1;
                    self.at += 3;
                    self.trim_next_text = true;
                    self.push(TokenKind::Close, close_at);
                    return Ok(());
                }
                self.push(TokenKind::Space, start);
                continue;
            }
            match c {
                '|' => self.single(TokenKind::Pipe),
                '(' => {
                    depth += 1;
                    self.single(TokenKind::LeftParen);
                }
                ')' => {
                    if depth == 0 {
                        return self.error(start, "unexpected right paren");
                    }
                    depth -= 1;
                    self.single(TokenKind::RightParen);
                }
                ',' => self.single(TokenKind::Comma),
                '=' => self.single(TokenKind::Assign),
                ':' => {
                    if !rest.starts_with(":=") {
                        return self.error(start, "expected :=");
                    }
                    self.at += 2;
                    self.push(TokenKind::Declare, start);
                }
                '"' => self.quoted(start)?,
                '`' => self.raw(start)?,
                '\'' => self.char_constant(start)?,
                '$' => {
                    let name_len =
                        rest.get(1..).unwrap_or("").find(|c: char| !is_alphanumeric(c)).unwrap_or(rest.len() - 1);
                    let name = rest.get(..1 + name_len).unwrap_or("$").to_owned();
                    self.at += name.len();
                    self.push(TokenKind::Variable(name), start);
                }
                '.' => {
                    let after = rest.get(1..).unwrap_or("");
                    if after.starts_with(|c: char| c.is_ascii_digit()) {
                        self.number(start)?;
                    } else {
                        let name_len = after.find(|c: char| !is_alphanumeric(c)).unwrap_or(after.len());
                        let name = after.get(..name_len).unwrap_or("").to_owned();
                        self.at += 1 + name_len;
                        if name.is_empty() {
                            self.push(TokenKind::Dot, start);
                        } else {
                            self.push(TokenKind::Field(name), start);
                        }
                    }
                }
                '+' | '-' | '0'..='9' => self.number(start)?,
                c if is_alphanumeric(c) => {
                    let word_len = rest.find(|c: char| !is_alphanumeric(c)).unwrap_or(rest.len());
                    let word = rest.get(..word_len).unwrap_or("");
                    self.at += word_len;
                    let kind = match word {
                        "if" => TokenKind::Keyword(Keyword::If),
                        "else" => TokenKind::Keyword(Keyword::Else),
                        "end" => TokenKind::Keyword(Keyword::End),
                        "range" => TokenKind::Keyword(Keyword::Range),
                        "with" => TokenKind::Keyword(Keyword::With),
                        "define" => TokenKind::Keyword(Keyword::Define),
                        "template" => TokenKind::Keyword(Keyword::Template),
                        "block" => TokenKind::Keyword(Keyword::Block),
                        "break" => TokenKind::Keyword(Keyword::Break),
                        "continue" => TokenKind::Keyword(Keyword::Continue),
                        "true" => TokenKind::Bool(true),
                        "false" => TokenKind::Bool(false),
                        "nil" => TokenKind::Nil,
                        _ => TokenKind::Identifier(word.to_owned()),
                    };
                    self.push(kind, start);
                }
                other => return self.error(start, format!("unrecognized character in action: {other:?}")),
            }
        }
    }

    fn single(&mut self, kind: TokenKind) {
        let at = self.at;
        self.at += 1;
        self.push(kind, at);
    }

    fn comment(&mut self, open_at: usize) -> Result<(), LexError> {
        let rest = self.rest();
        let Some(end) = rest.find("*/") else {
            return self.error(open_at, "unclosed comment");
        };
        self.at += end + 2;
        let rest = self.rest();
        if rest.starts_with(CLOSE) {
            self.at += CLOSE.len();
            self.trim_next_text = false;
            return Ok(());
        }
        if rest.starts_with(" -}}")
            || rest.starts_with("\t-}}")
            || rest.starts_with("\n-}}")
            || rest.starts_with("\r-}}")
        {
            self.at += 4;
            self.trim_next_text = true;
            return Ok(());
        }
        self.error(open_at, "comment ends before closing delimiter")
    }

    fn quoted(&mut self, start: usize) -> Result<(), LexError> {
        let rest = self.rest();
        let mut chars = rest.char_indices().skip(1);
        let mut value = String::new();
        while let Some((index, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += index + 1;
                    self.push(TokenKind::Str(value), start);
                    return Ok(());
                }
                '\n' => return self.error(start, "unterminated quoted string"),
                '\\' => {
                    let Some((_, escaped)) = chars.next() else {
                        return self.error(start, "unterminated quoted string");
                    };
                    value.push(self.escape(escaped, &mut chars, start, '"')?);
                }
                c => value.push(c),
            }
        }
        self.error(start, "unterminated quoted string")
    }

    /// The character an escape sequence (after its `\`) stands for, as Go's `strconv.Unquote`.
    fn escape(
        &self,
        escaped: char,
        chars: &mut impl Iterator<Item = (usize, char)>,
        start: usize,
        quote: char,
    ) -> Result<char, LexError> {
        let mut hex = |digits: usize, radix: u32| -> Result<char, LexError> {
            let mut code = 0u32;
            for _ in 0..digits {
                let digit = chars.next().and_then(|(_, c)| c.to_digit(radix));
                let Some(digit) = digit else { return self.error(start, "invalid syntax in escape sequence") };
                code = code.saturating_mul(radix).saturating_add(digit);
            }
            char::from_u32(code).map_or_else(|| self.error(start, "invalid code point in escape sequence"), Ok)
        };
        Ok(match escaped {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'a' => '\u{7}',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'v' => '\u{b}',
            '\\' => '\\',
            'x' => hex(2, 16)?,
            'u' => hex(4, 16)?,
            'U' => hex(8, 16)?,
            '0'..='7' => {
                let first = escaped.to_digit(8).unwrap_or(0);
                let rest = hex(2, 8)?;
                char::from_u32(first * 64 + u32::from(rest))
                    .map_or_else(|| self.error(start, "invalid octal escape"), Ok)?
            }
            c if c == quote => c,
            _ => return self.error(start, "invalid syntax in escape sequence"),
        })
    }

    fn raw(&mut self, start: usize) -> Result<(), LexError> {
        let rest = self.rest();
        let body = rest.get(1..).unwrap_or("");
        let Some(end) = body.find('`') else {
            return self.error(start, "unterminated raw quoted string");
        };
        let value = body.get(..end).unwrap_or("").replace('\r', "");
        self.at += end + 2;
        self.push(TokenKind::Str(value), start);
        Ok(())
    }

    fn char_constant(&mut self, start: usize) -> Result<(), LexError> {
        let rest = self.rest();
        let mut chars = rest.char_indices().skip(1);
        let value = match chars.next() {
            Some((_, '\\')) => {
                let Some((_, escaped)) = chars.next() else {
                    return self.error(start, "unterminated character constant");
                };
                self.escape(escaped, &mut chars, start, '\'')?
            }
            Some((_, '\'')) | Some((_, '\n')) | None => return self.error(start, "unterminated character constant"),
            Some((_, c)) => c,
        };
        match chars.next() {
            Some((index, '\'')) => {
                let text = rest.get(..index + 1).unwrap_or("").to_owned();
                self.at += index + 1;
                self.push(TokenKind::Char(value), start);
                let _ = text;
                Ok(())
            }
            _ => self.error(start, "unterminated character constant"),
        }
    }

    fn number(&mut self, start: usize) -> Result<(), LexError> {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .take_while(|&(index, c)| {
                c.is_ascii_alphanumeric()
                    || c == '_'
                    || c == '.'
                    || ((c == '+' || c == '-')
                        && (index == 0
                            || rest.get(..index).is_some_and(|before| {
                                before.ends_with(['e', 'E', 'p', 'P']) && !before.starts_with("0x")
                            })))
            })
            .last()
            .map_or(0, |(index, c)| index + c.len_utf8());
        let text = rest.get(..len).unwrap_or("");
        if text.is_empty() || text == "+" || text == "-" {
            return self.error(start, format!("bad number syntax: {:?}", rest.chars().take(8).collect::<String>()));
        }
        self.at += len;
        self.push(TokenKind::Number(text.to_owned()), start);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<TokenKind> {
        lex(source).unwrap().into_iter().map(|token| token.kind).collect()
    }

    #[test]
    fn trim_markers_need_their_space() {
        assert_eq!(
            kinds("a  {{- 3 -}}  b"),
            vec![
                TokenKind::Text(0..1),
                TokenKind::Open,
                TokenKind::Number("3".into()),
                TokenKind::Close,
                TokenKind::Text(14..15)
            ]
        );
        assert_eq!(kinds("{{-3}}"), vec![TokenKind::Open, TokenKind::Number("-3".into()), TokenKind::Close]);
    }

    #[test]
    fn fields_variables_and_strings() {
        assert_eq!(
            kinds(r#"{{$x.a.b "q\n" `r`}}"#),
            vec![
                TokenKind::Open,
                TokenKind::Variable("$x".into()),
                TokenKind::Field("a".into()),
                TokenKind::Field("b".into()),
                TokenKind::Space,
                TokenKind::Str("q\n".into()),
                TokenKind::Space,
                TokenKind::Str("r".into()),
                TokenKind::Close
            ]
        );
    }

    #[test]
    fn comments_vanish_and_trim() {
        assert_eq!(kinds("a {{- /* c */ -}} b"), vec![TokenKind::Text(0..1), TokenKind::Text(18..19)]);
        assert!(lex("{{/* c */ x}}").is_err());
    }
}
