//! Database migrations, normalised to the schema operations they run, whichever tool wrote
//! them: SQL scripts (Flyway, golang-migrate, goose, dbmate, plain `migrations/*.sql`), Alembic
//! (`op.drop_column(…)`, `op.execute("…")`), Django (`migrations.RemoveField(…)`) and Rails
//! (`remove_column :users, :email`, `execute <<~SQL`). SQL embedded in a call is split and
//! classified like a script.
//!
//! Each operation records what it does (`drop-column`, `create-index`…), its table and column,
//! whether an index is built `CONCURRENTLY`, whether it runs on the way up or down (a
//! `downgrade()` / `def down` / `*.down.sql` / `-- +goose Down` section undoes a migration and is
//! expected to drop things), and the **markers** written in comments next to it:
//! `-- ward: backup-verified`, `# ward: expand-contract (column unused since v42)`. A marker is
//! `ward:` followed by a word; it belongs to the operation it is written on or directly above.

use serde_json::{json, Map, Value};

use super::sql::{classify, dialect, split, Operation};
use super::{Limits, ParseError};
use crate::document::{pointer_push, Parsed, SourceMap, Span};

/// Operations kept per file; a migration with more (a data dump) keeps the first ones.
pub(crate) const MAX_OPERATIONS: usize = 10_000;

/// Characters of a statement kept in an operation's `text`.
const TEXT_CHARS: usize = 240;

/// The tool a migration is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MigrationFormat {
    Sql,
    Alembic,
    Django,
    Rails,
}

impl MigrationFormat {
    pub(crate) fn name(self) -> &'static str {
        match self {
            MigrationFormat::Sql => "sql",
            MigrationFormat::Alembic => "alembic",
            MigrationFormat::Django => "django",
            MigrationFormat::Rails => "rails",
        }
    }
}

/// Which way an operation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

impl Direction {
    fn name(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

/// A table's or column's name and where it is written.
type Named = Option<(String, Span)>;

/// One operation, with the spans of its parts.
#[derive(Debug, Clone)]
struct Op {
    operation: Operation,
    span: Span,
    keyword: Span,
    table: Option<(String, Span)>,
    column: Option<(String, Span)>,
    concurrently: Option<(bool, Span)>,
    direction: Direction,
    markers: Vec<(String, Span)>,
    via: (String, Span),
    text: (String, Span),
}

/// Parses a migration; `path` tells the format (by content when it is empty).
pub(crate) fn parse(path: &str, text: &str, _limits: &Limits) -> Result<Parsed, ParseError> {
    let format = format_of(path, text);
    let (ops, dialect) = match format {
        MigrationFormat::Sql => {
            let statements = split(text);
            let dialect = dialect(text, &statements);
            (sql_file(path, text), dialect)
        }
        MigrationFormat::Alembic | MigrationFormat::Django => (python(text, format), None),
        MigrationFormat::Rails => (ruby(text), None),
    };
    let dialect = dialect.or_else(|| embedded_dialect(&ops));
    Ok(emit(format, dialect, ops, text))
}

fn format_of(path: &str, text: &str) -> MigrationFormat {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".rb") || (path.is_empty() && text.contains("ActiveRecord::Migration")) {
        return MigrationFormat::Rails;
    }
    let python = lower.ends_with(".py")
        || (path.is_empty() && (text.contains("def upgrade") || text.contains("migrations.Migration")));
    match python {
        true if text.contains("migrations.Migration") && !text.contains("alembic") => MigrationFormat::Django,
        true => MigrationFormat::Alembic,
        false => MigrationFormat::Sql,
    }
}

/// A dialect told by SQL embedded in calls (`op.execute("… CONCURRENTLY …")`).
fn embedded_dialect(ops: &[Op]) -> Option<&'static str> {
    let embedded: Vec<&str> = ops
        .iter()
        .filter(|op| op.via.0.ends_with("execute") || op.via.0.ends_with("RunSQL"))
        .map(|op| op.text.0.as_str())
        .collect();
    let embedded = embedded.join(";\n");
    dialect(&embedded, &split(&embedded))
}

// --- markers --------------------------------------------------------------------------------

/// The markers in a comment: each `ward:` followed by a word (`ward:ignore` is a suppression,
/// not a marker).
pub(crate) fn markers_in(comment: &str) -> Vec<String> {
    let lower = comment.to_ascii_lowercase();
    let mut markers = Vec::new();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("ward:") {
        let after = rest.get(at + 5..).unwrap_or("").trim_start();
        let word: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
        if !word.is_empty() && word != "ignore" {
            markers.push(word);
        }
        rest = rest.get(at + 5..).unwrap_or("");
    }
    markers
}

fn markers_of(text: &str, comments: &[Span]) -> Vec<(String, Span)> {
    comments
        .iter()
        .flat_map(|span| {
            let comment = text.get(span.start..span.end).unwrap_or("");
            markers_in(comment).into_iter().map(move |marker| (marker, *span))
        })
        .collect()
}

// --- SQL ------------------------------------------------------------------------------------

/// A SQL migration file. `*.down.sql`, Flyway undo scripts (`U1__…`) and the down sections of
/// goose (`-- +goose Down`) and dbmate (`-- migrate:down`) files run on the way down.
fn sql_file(path: &str, text: &str) -> Vec<Op> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let mut direction = match name.ends_with(".down.sql") || name.starts_with('u') && name.contains("__") {
        true => Direction::Down,
        false => Direction::Up,
    };
    let mut ops = Vec::new();
    for statement in split(text) {
        for comment in &statement.comments {
            let comment = text.get(comment.start..comment.end).unwrap_or("").to_ascii_lowercase();
            if comment.contains("+goose down") || comment.contains("migrate:down") {
                direction = Direction::Down;
            } else if comment.contains("+goose up") || comment.contains("migrate:up") {
                direction = Direction::Up;
            }
        }
        let markers = markers_of(text, &statement.comments);
        let statement_text = clip(text.get(statement.span.start..statement.span.end).unwrap_or(""));
        for classified in classify(&statement) {
            if ops.len() >= MAX_OPERATIONS {
                return ops;
            }
            ops.push(Op {
                operation: classified.operation,
                span: classified.span,
                keyword: classified.keyword,
                table: classified.table,
                column: classified.column,
                concurrently: concurrently_of(classified.operation, classified.concurrently, classified.keyword),
                direction,
                markers: markers.clone(),
                via: ("sql".to_owned(), classified.keyword),
                text: (statement_text.clone(), statement.span),
            });
        }
    }
    ops
}

fn concurrently_of(operation: Operation, given: Option<Span>, keyword: Span) -> Option<(bool, Span)> {
    match operation {
        Operation::CreateIndex | Operation::DropIndex => Some(given.map_or((false, keyword), |span| (true, span))),
        _ => None,
    }
}

/// SQL inside a string of a migration script: each statement an operation. When the string's
/// content is written verbatim (no escapes), each operation sits at its own place in the
/// string; otherwise at the string.
fn embedded_sql(sql: &ScriptToken, call: &Call, direction: Direction, outer_markers: &[(String, Span)]) -> Vec<Op> {
    let content = sql.text.as_str();
    let place = |span: Span| match sql.verbatim_from {
        Some(start) => Span::new(start + span.start, start + span.end),
        None => sql.span,
    };
    let mut ops = Vec::new();
    for statement in split(content) {
        let mut markers = outer_markers.to_vec();
        markers.extend(markers_of(content, &statement.comments).into_iter().map(|(m, s)| (m, place(s))));
        let statement_text = clip(content.get(statement.span.start..statement.span.end).unwrap_or(""));
        for classified in classify(&statement) {
            ops.push(Op {
                operation: classified.operation,
                span: place(classified.span),
                keyword: place(classified.keyword),
                table: classified.table.map(|(name, span)| (name, place(span))),
                column: classified.column.map(|(name, span)| (name, place(span))),
                concurrently: concurrently_of(
                    classified.operation,
                    classified.concurrently.map(place),
                    place(classified.keyword),
                ),
                direction,
                markers: markers.clone(),
                via: (call.name_with_receiver(), call.name_span),
                text: (statement_text.clone(), place(statement.span)),
            });
        }
    }
    ops
}

fn clip(text: &str) -> String {
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match collapsed.char_indices().nth(TEXT_CHARS) {
        Some((at, _)) => collapsed.get(..at).unwrap_or("").to_owned(),
        None => collapsed,
    }
}

// --- a small lexer for Python and Ruby ------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScriptLanguage {
    Python,
    Ruby,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScriptKind {
    Ident,
    Str,
    Symbol,
    Number,
    Punct,
    Newline,
    Comment,
}

#[derive(Debug, Clone)]
struct ScriptToken {
    kind: ScriptKind,
    span: Span,
    /// Identifier or symbol name, a string's content, the punctuation character.
    text: String,
    /// For a string whose content is its text verbatim: where that content starts.
    verbatim_from: Option<usize>,
    line: usize,
}

/// Tokens of a Python or Ruby script: identifiers, strings (content decoded), Ruby symbols and
/// heredocs, punctuation, newlines and comments.
fn lex(text: &str, language: ScriptLanguage) -> Vec<ScriptToken> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    let mut line = 1;
    // Ruby heredoc bodies already read, to step over when the lexer reaches them.
    let mut skip: Vec<Span> = Vec::new();
    let mut pending_heredocs: Vec<usize> = Vec::new();
    while let Some(&byte) = bytes.get(at) {
        if let Some(region) = skip.iter().find(|s| s.start == at) {
            line += text.get(region.start..region.end).map_or(0, |s| s.matches('\n').count());
            at = region.end;
            continue;
        }
        let start = at;
        let push = |tokens: &mut Vec<ScriptToken>, kind, end: usize, value: String, verbatim_from, line| {
            tokens.push(ScriptToken { kind, span: Span::new(start, end), text: value, verbatim_from, line });
        };
        match byte {
            b'\n' => {
                push(&mut tokens, ScriptKind::Newline, at + 1, String::new(), None, line);
                line += 1;
                at += 1;
                if !pending_heredocs.is_empty() {
                    pending_heredocs.clear();
                }
            }
            b'#' => {
                let end = bytes.iter().skip(at).position(|&b| b == b'\n').map_or(bytes.len(), |n| at + n);
                push(&mut tokens, ScriptKind::Comment, end, text.get(at..end).unwrap_or("").to_owned(), None, line);
                at = end;
            }
            b'=' if language == ScriptLanguage::Ruby
                && text.get(at..).is_some_and(|r| r.starts_with("=begin"))
                && (at == 0 || bytes.get(at - 1) == Some(&b'\n')) =>
            {
                let end = text.get(at..).and_then(|r| r.find("\n=end")).map_or(text.len(), |n| {
                    let after = at + n + 5;
                    bytes.iter().skip(after).position(|&b| b == b'\n').map_or(bytes.len(), |m| after + m)
                });
                let comment = text.get(at..end).unwrap_or("").to_owned();
                push(&mut tokens, ScriptKind::Comment, end, comment.clone(), None, line);
                line += comment.matches('\n').count();
                at = end;
            }
            b' ' | b'\t' | b'\r' => at += 1,
            b'\\' if bytes.get(at + 1) == Some(&b'\n') => {
                at += 2;
                line += 1;
            }
            b'\'' | b'"' => {
                let (end, content, verbatim) = quoted(text, at, language, false);
                line_advance(&mut line, text, at, end);
                push(&mut tokens, ScriptKind::Str, end, content, verbatim, line);
                at = end;
            }
            b'<' if language == ScriptLanguage::Ruby
                && text.get(at..).is_some_and(|r| {
                    r.starts_with("<<~")
                        || r.starts_with("<<-")
                        || (r.starts_with("<<") && r.as_bytes().get(2).is_some_and(|b| b.is_ascii_uppercase()))
                }) =>
            {
                match heredoc(text, at) {
                    Some((marker_end, body, content)) => {
                        tokens.push(ScriptToken {
                            kind: ScriptKind::Str,
                            span: body,
                            text: content,
                            verbatim_from: None,
                            line,
                        });
                        skip.push(Span::new(body.start, body.end));
                        pending_heredocs.push(body.start);
                        at = marker_end;
                    }
                    None => {
                        push(&mut tokens, ScriptKind::Punct, at + 1, "<".into(), None, line);
                        at += 1;
                    }
                }
            }
            b'%' if language == ScriptLanguage::Ruby && ruby_percent_string(text, at).is_some() => {
                let (end, content, verbatim) = ruby_percent_string(text, at).unwrap_or((at + 1, String::new(), None));
                line_advance(&mut line, text, at, end);
                push(&mut tokens, ScriptKind::Str, end, content, verbatim, line);
                at = end;
            }
            b':' if language == ScriptLanguage::Ruby
                && bytes.get(at + 1).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
                && !bytes.get(at.wrapping_sub(1)).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b':') =>
            {
                let end = ident_end(bytes, at + 1);
                push(&mut tokens, ScriptKind::Symbol, end, text.get(at + 1..end).unwrap_or("").to_owned(), None, line);
                at = end;
            }
            b':' if language == ScriptLanguage::Ruby && matches!(bytes.get(at + 1), Some(b'"' | b'\'')) => {
                let (end, content, _) = quoted(text, at + 1, language, false);
                push(&mut tokens, ScriptKind::Symbol, end, content, None, line);
                at = end;
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let end = ident_end(bytes, at);
                let word = text.get(at..end).unwrap_or("");
                let prefix = word.to_ascii_lowercase();
                let is_prefix = language == ScriptLanguage::Python
                    && matches!(prefix.as_str(), "r" | "b" | "u" | "f" | "rb" | "br" | "fr" | "rf")
                    && matches!(bytes.get(end), Some(b'\'' | b'"'));
                if is_prefix {
                    let (string_end, content, verbatim) = quoted(text, end, language, prefix.contains('r'));
                    line_advance(&mut line, text, at, string_end);
                    push(&mut tokens, ScriptKind::Str, string_end, content, verbatim, line);
                    at = string_end;
                } else {
                    push(&mut tokens, ScriptKind::Ident, end, word.to_owned(), None, line);
                    at = end;
                }
            }
            b if b.is_ascii_digit() => {
                let end = ident_end(bytes, at);
                push(&mut tokens, ScriptKind::Number, end, text.get(at..end).unwrap_or("").to_owned(), None, line);
                at = end;
            }
            _ => {
                let end = (at + 1..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap_or(text.len());
                push(&mut tokens, ScriptKind::Punct, end, text.get(at..end).unwrap_or("").to_owned(), None, line);
                at = end;
            }
        }
    }
    tokens
}

fn line_advance(line: &mut usize, text: &str, from: usize, to: usize) {
    *line += text.get(from..to).map_or(0, |s| s.matches('\n').count());
}

fn ident_end(bytes: &[u8], from: usize) -> usize {
    let mut end = from;
    while bytes.get(end).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
        end += 1;
    }
    // Ruby method names may end in `?` or `!`.
    if matches!(bytes.get(end), Some(b'?' | b'!')) && !matches!(bytes.get(end + 1), Some(b'=')) {
        end += 1;
    }
    end.max(from + 1).min(bytes.len())
}

/// A quoted string at `at` (Python: also triple-quoted): its end, decoded content, and where
/// the content starts when it is verbatim.
fn quoted(text: &str, at: usize, language: ScriptLanguage, raw: bool) -> (usize, String, Option<usize>) {
    let bytes = text.as_bytes();
    let quote = bytes.get(at).copied().unwrap_or(b'"');
    let triple =
        language == ScriptLanguage::Python && bytes.get(at + 1) == Some(&quote) && bytes.get(at + 2) == Some(&quote);
    let open = if triple { 3 } else { 1 };
    let content_start = at + open;
    let mut i = content_start;
    let mut content = String::new();
    let mut verbatim = true;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\'
            && !(raw
                || (language == ScriptLanguage::Ruby
                    && quote == b'\''
                    && !matches!(bytes.get(i + 1), Some(b'\\' | b'\''))))
        {
            verbatim = false;
            let escaped = bytes.get(i + 1).copied().unwrap_or(b'\\');
            match escaped {
                b'n' => content.push('\n'),
                b't' => content.push('\t'),
                b'r' => content.push('\r'),
                b'\n' => {}
                other => content.push(char::from(other)),
            }
            i += 2;
            continue;
        }
        let closes = b == quote && (!triple || (bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote)));
        if closes {
            let end = i + open;
            return (end.min(text.len()), content, verbatim.then_some(content_start));
        }
        if !triple && b == b'\n' && language == ScriptLanguage::Python {
            break;
        }
        let next = (i + 1..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap_or(text.len());
        content.push_str(text.get(i..next).unwrap_or(""));
        i = next;
    }
    (i.min(text.len()), content, verbatim.then_some(content_start))
}

/// Ruby's `%q(…)`, `%Q{…}`, `%(…)`: end, content, verbatim start.
fn ruby_percent_string(text: &str, at: usize) -> Option<(usize, String, Option<usize>)> {
    let bytes = text.as_bytes();
    let mut i = at + 1;
    if matches!(bytes.get(i), Some(b'q' | b'Q')) {
        i += 1;
    }
    let open = *bytes.get(i)?;
    let close = match open {
        b'(' => b')',
        b'[' => b']',
        b'{' => b'}',
        b'<' => b'>',
        b'|' | b'!' | b'/' => open,
        _ => return None,
    };
    let content_start = i + 1;
    let mut depth = 0usize;
    let mut j = content_start;
    while let Some(&b) = bytes.get(j) {
        if b == open && open != close {
            depth += 1;
        } else if b == close {
            if depth == 0 {
                let content = text.get(content_start..j)?.to_owned();
                return Some((j + 1, content, Some(content_start)));
            }
            depth -= 1;
        }
        j += 1;
    }
    None
}

/// A Ruby heredoc starting at `at` (`<<~SQL`, `<<-SQL`, `<<SQL`, quoted ids too): where its
/// marker ends, the span of its body (through the terminator line), and its content (with
/// `<<~` the common indentation removed).
fn heredoc(text: &str, at: usize) -> Option<(usize, Span, String)> {
    let rest = text.get(at + 2..)?;
    let (squiggly, rest, skip) = match rest.as_bytes().first() {
        Some(b'~') => (true, rest.get(1..)?, 3),
        Some(b'-') => (false, rest.get(1..)?, 3),
        _ => (false, rest, 2),
    };
    let quote = rest.as_bytes().first().copied().filter(|b| matches!(b, b'\'' | b'"'));
    let id_start = usize::from(quote.is_some());
    let id: String = rest.get(id_start..)?.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    if id.is_empty() {
        return None;
    }
    let marker_end = at + skip + id_start + id.len() + usize::from(quote.is_some());
    let body_start = text.get(marker_end..)?.find('\n').map(|n| marker_end + n + 1)?;
    let mut line_start = body_start;
    let mut lines = Vec::new();
    loop {
        let line_end = text.get(line_start..).and_then(|r| r.find('\n')).map_or(text.len(), |n| line_start + n);
        let line = text.get(line_start..line_end)?;
        if line.trim() == id {
            let body_end = (line_end + 1).min(text.len());
            let content = dedent(&lines, squiggly);
            return Some((marker_end, Span::new(body_start, body_end), content));
        }
        lines.push(line);
        if line_end >= text.len() {
            return None;
        }
        line_start = line_end + 1;
    }
}

fn dedent(lines: &[&str], squiggly: bool) -> String {
    let indent = match squiggly {
        true => {
            lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0)
        }
        false => 0,
    };
    lines.iter().map(|l| l.get(indent..).unwrap_or(l.trim_start())).collect::<Vec<_>>().join("\n")
}

// --- calls ----------------------------------------------------------------------------------

/// A call found in a script: `receiver.name(args)` or Ruby's `name args`.
#[derive(Debug, Clone)]
struct Call {
    receiver: Option<String>,
    name: String,
    name_span: Span,
    span: Span,
    args: Vec<Arg>,
    /// Ruby: the block parameter of `… do |t|`; Python: the `as t` of a `with`.
    binds: Option<String>,
    first_line: usize,
    last_line: usize,
}

impl Call {
    fn name_with_receiver(&self) -> String {
        match &self.receiver {
            Some(receiver) => format!("{receiver}.{}", self.name),
            None => self.name.clone(),
        }
    }

    /// Positional argument `index`, as a string or symbol.
    fn positional(&self, index: usize) -> Option<(String, Span)> {
        let arg = self.args.iter().filter(|a| a.keyword.is_none()).nth(index)?;
        arg.name()
    }

    fn keyword(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|a| a.keyword.as_deref() == Some(name))
    }

    /// A keyword argument's name, or else positional `index`.
    fn named(&self, keyword: &str, index: usize) -> Option<(String, Span)> {
        self.keyword(keyword).and_then(Arg::name).or_else(|| self.positional(index))
    }
}

#[derive(Debug, Clone)]
struct Arg {
    keyword: Option<String>,
    keyword_span: Option<Span>,
    tokens: Vec<ScriptToken>,
}

impl Arg {
    /// The argument as a name: a lone string or symbol.
    fn name(&self) -> Option<(String, Span)> {
        match self.tokens.as_slice() {
            [token] if matches!(token.kind, ScriptKind::Str | ScriptKind::Symbol) => {
                Some((token.text.clone(), token.span))
            }
            _ => None,
        }
    }

    /// Whether it is `True` / `true` / `:concurrently`-like: any of `words`.
    fn is_any(&self, words: &[&str]) -> bool {
        self.tokens.iter().any(|t| words.contains(&t.text.as_str()))
    }

    fn span(&self) -> Option<Span> {
        let first = self.keyword_span.or_else(|| self.tokens.first().map(|t| t.span))?;
        Some(self.tokens.last().map_or(first, |t| first.cover(t.span)))
    }

    /// The first string inside the argument (`op.execute(sa.text("…"))`).
    fn first_string(&self) -> Option<&ScriptToken> {
        self.tokens.iter().find(|t| t.kind == ScriptKind::Str)
    }
}

/// Every call of a script, in order. `significant` is the token list without comments.
fn calls(tokens: &[ScriptToken], language: ScriptLanguage) -> Vec<Call> {
    let significant: Vec<&ScriptToken> = tokens.iter().filter(|t| t.kind != ScriptKind::Comment).collect();
    let text_at = |i: usize| significant.get(i).map(|t| t.text.as_str());
    let kind_at = |i: usize| significant.get(i).map(|t| t.kind);
    let mut out = Vec::new();
    let mut i = 0;
    while i < significant.len() {
        let Some(token) = significant.get(i) else { break };
        if token.kind != ScriptKind::Ident {
            i += 1;
            continue;
        }
        // `recv.name` — the receiver is the identifier before the dot.
        let receiver = (i >= 2 && text_at(i - 1) == Some(".") && kind_at(i - 2) == Some(ScriptKind::Ident))
            .then(|| text_at(i - 2).unwrap_or("").to_owned());
        // A method called on something else (`foo().bar`) or an attribute is not a call we read.
        if receiver.is_none() && i >= 1 && text_at(i - 1) == Some(".") {
            i += 1;
            continue;
        }
        let paren = text_at(i + 1) == Some("(");
        let ruby_bare = language == ScriptLanguage::Ruby
            && !paren
            && significant.get(i + 1).is_some_and(|next| {
                matches!(next.kind, ScriptKind::Str | ScriptKind::Symbol | ScriptKind::Ident) && next.line == token.line
            });
        if !paren && !ruby_bare {
            i += 1;
            continue;
        }
        let (args, end) = if paren { paren_args(&significant, i + 2) } else { bare_args(&significant, i + 1) };
        let last = significant.get(end.saturating_sub(1)).copied().unwrap_or(token);
        let mut binds = None;
        // `… do |t|` (Ruby) or `… as t:` (Python).
        if text_at(end) == Some("do") && text_at(end + 1) == Some("|") && kind_at(end + 2) == Some(ScriptKind::Ident) {
            binds = text_at(end + 2).map(str::to_owned);
        } else if text_at(end) == Some("as") && kind_at(end + 1) == Some(ScriptKind::Ident) {
            binds = text_at(end + 1).map(str::to_owned);
        }
        let start = receiver.as_ref().and_then(|_| significant.get(i - 2)).map_or(token.span, |r| r.span);
        out.push(Call {
            receiver,
            name: token.text.clone(),
            name_span: token.span,
            span: start.cover(last.span),
            args,
            binds,
            first_line: token.line,
            last_line: last.line,
        });
        // Calls nested in the arguments are not read on their own (`sa.Column(…)` inside
        // `op.add_column(…)`), except that `sa.text("…")` is reached through `first_string`.
        i = end.max(i + 1);
    }
    out
}

/// Arguments inside parentheses starting at `from`; returns them and the index after `)`.
fn paren_args(tokens: &[&ScriptToken], from: usize) -> (Vec<Arg>, usize) {
    let mut depth = 0usize;
    let mut i = from;
    let mut current: Vec<ScriptToken> = Vec::new();
    let mut args = Vec::new();
    while let Some(token) = tokens.get(i) {
        match token.text.as_str() {
            "(" | "[" | "{" if token.kind == ScriptKind::Punct => depth += 1,
            ")" | "]" | "}" if token.kind == ScriptKind::Punct => {
                if depth == 0 {
                    args.extend(make_arg(std::mem::take(&mut current)));
                    return (args, i + 1);
                }
                depth -= 1;
            }
            "," if depth == 0 && token.kind == ScriptKind::Punct => {
                args.extend(make_arg(std::mem::take(&mut current)));
                i += 1;
                continue;
            }
            _ => {}
        }
        if token.kind != ScriptKind::Newline {
            current.push((*token).clone());
        }
        i += 1;
    }
    args.extend(make_arg(current));
    (args, i)
}

/// Ruby arguments without parentheses: to the end of the line (a trailing `,` continues it),
/// or to `do` / `{`.
fn bare_args(tokens: &[&ScriptToken], from: usize) -> (Vec<Arg>, usize) {
    let mut depth = 0usize;
    let mut i = from;
    let mut current: Vec<ScriptToken> = Vec::new();
    let mut args = Vec::new();
    while let Some(token) = tokens.get(i) {
        let punct = token.kind == ScriptKind::Punct;
        match token.text.as_str() {
            _ if token.kind == ScriptKind::Newline && depth == 0 => {
                let continues = current.is_empty() && !args.is_empty();
                if !continues {
                    break;
                }
            }
            "do" if depth == 0 && token.kind == ScriptKind::Ident => break,
            "{" if depth == 0 && punct => break,
            "(" | "[" | "{" if punct => depth += 1,
            ")" | "]" | "}" if punct => depth = depth.saturating_sub(1),
            "," if depth == 0 && punct => {
                args.extend(make_arg(std::mem::take(&mut current)));
                i += 1;
                continue;
            }
            _ => {}
        }
        if token.kind != ScriptKind::Newline {
            current.push((*token).clone());
        }
        i += 1;
    }
    args.extend(make_arg(current));
    (args, i)
}

/// An argument from its tokens: `name=value` (Python), `name: value` or `:name => value` (Ruby)
/// are keyword arguments.
fn make_arg(tokens: Vec<ScriptToken>) -> Option<Arg> {
    if tokens.is_empty() {
        return None;
    }
    let text = |i: usize| tokens.get(i).map(|t| t.text.as_str());
    let kind = |i: usize| tokens.get(i).map(|t| t.kind);
    let keyword = match (kind(0), text(1), text(2)) {
        (Some(ScriptKind::Ident), Some("="), next) if next != Some("=") => Some(1),
        (Some(ScriptKind::Ident), Some(":"), _) => Some(1),
        (Some(ScriptKind::Symbol), Some("="), Some(">")) => Some(2),
        _ => None,
    };
    match keyword {
        Some(skip) => {
            let name = tokens.first().map(|t| t.text.clone());
            let keyword_span = tokens.first().map(|t| t.span);
            Some(Arg { keyword: name, keyword_span, tokens: tokens.into_iter().skip(skip + 1).collect() })
        }
        None => Some(Arg { keyword: None, keyword_span: None, tokens }),
    }
}

/// Markers in comments on the call's lines, and on the comment-only lines right above it.
fn call_markers(call: &Call, tokens: &[ScriptToken]) -> Vec<(String, Span)> {
    let comment_only: std::collections::BTreeMap<usize, &ScriptToken> = tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            t.kind == ScriptKind::Comment
                && (*i == 0 || tokens.get(i - 1).is_some_and(|p| p.kind == ScriptKind::Newline || p.line != t.line))
        })
        .map(|(_, t)| (t.line, t))
        .collect();
    let mut comments: Vec<&ScriptToken> = tokens
        .iter()
        .filter(|t| t.kind == ScriptKind::Comment && t.line >= call.first_line && t.line <= call.last_line)
        .collect();
    let mut line = call.first_line;
    while line > 1 {
        line -= 1;
        match comment_only.get(&line) {
            Some(comment) => comments.push(comment),
            None => break,
        }
    }
    comments.iter().flat_map(|c| markers_in(&c.text).into_iter().map(|m| (m, c.span))).collect()
}

/// Which way each part of a script runs: `(offset, direction)` changes in order.
fn directions(tokens: &[ScriptToken], language: ScriptLanguage, text: &str) -> Vec<(usize, Direction)> {
    let mut changes = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if token.kind != ScriptKind::Ident || token.text != "def" {
            continue;
        }
        let mut next = tokens.iter().skip(i + 1).filter(|t| t.kind != ScriptKind::Comment);
        let mut name = next.next().map(|t| t.text.as_str()).unwrap_or("");
        if name == "self" {
            name = next.nth(1).map(|t| t.text.as_str()).unwrap_or("");
        }
        let at_line_start = token.span.start == 0 || text.as_bytes().get(token.span.start - 1) == Some(&b'\n');
        let direction = match language {
            ScriptLanguage::Python if !at_line_start => continue,
            ScriptLanguage::Python if name.starts_with("downgrade") => Direction::Down,
            ScriptLanguage::Python => Direction::Up,
            ScriptLanguage::Ruby if name == "down" => Direction::Down,
            ScriptLanguage::Ruby if matches!(name, "up" | "change") => Direction::Up,
            ScriptLanguage::Ruby => continue,
        };
        changes.push((token.span.start, direction));
    }
    changes
}

fn direction_at(changes: &[(usize, Direction)], offset: usize) -> Direction {
    changes.iter().rev().find(|(at, _)| *at <= offset).map_or(Direction::Up, |(_, d)| *d)
}

// --- Python: Alembic and Django -------------------------------------------------------------

fn python(text: &str, format: MigrationFormat) -> Vec<Op> {
    let tokens = lex(text, ScriptLanguage::Python);
    let changes = directions(&tokens, ScriptLanguage::Python, text);
    let mut aliases: Vec<(String, (String, Span))> = Vec::new();
    let mut ops = Vec::new();
    for call in calls(&tokens, ScriptLanguage::Python) {
        if ops.len() >= MAX_OPERATIONS {
            break;
        }
        let direction = direction_at(&changes, call.span.start);
        let markers = call_markers(&call, &tokens);
        let receiver = call.receiver.as_deref();
        let aliased = receiver.and_then(|r| aliases.iter().rev().find(|(alias, _)| alias == r)).map(|(_, t)| t.clone());
        let mut push = |operation, table: Option<(String, Span)>, column: Option<(String, Span)>, concurrently| {
            ops.push(Op {
                operation,
                span: call.span,
                keyword: call.name_span,
                table,
                column,
                concurrently,
                direction,
                markers: markers.clone(),
                via: (call.name_with_receiver(), call.name_span),
                text: (clip(text.get(call.span.start..call.span.end).unwrap_or("")), call.span),
            });
        };
        let concurrent_kw = |call: &Call| -> Option<(bool, Span)> {
            let given = call.keyword("postgresql_concurrently").filter(|a| a.is_any(&["True"]));
            Some(given.and_then(Arg::span).map_or((false, call.name_span), |span| (true, span)))
        };
        match (format, receiver, call.name.as_str()) {
            (MigrationFormat::Alembic, Some("op"), "batch_alter_table") => {
                if let (Some(alias), Some(table)) = (call.binds.clone(), call.named("table_name", 0)) {
                    aliases.push((alias, table));
                }
            }
            (MigrationFormat::Alembic, Some(_), "execute") => {
                if let Some(sql) = call.args.first().and_then(Arg::first_string) {
                    ops.extend(embedded_sql(sql, &call, direction, &markers));
                }
            }
            (MigrationFormat::Alembic, Some("op"), name) => {
                let table = || call.named("table_name", 0);
                match name {
                    "drop_table" => push(Operation::DropTable, table(), None, None),
                    "create_table" => push(Operation::CreateTable, table(), None, None),
                    "drop_column" => push(Operation::DropColumn, table(), call.named("column_name", 1), None),
                    "rename_table" => push(Operation::RenameTable, call.named("old_table_name", 0), None, None),
                    "alter_column" => alembic_alter(&call, table(), call.named("column_name", 1), &mut push),
                    "create_index" => {
                        push(Operation::CreateIndex, call.named("table_name", 1), None, concurrent_kw(&call))
                    }
                    "drop_index" => push(Operation::DropIndex, call.named("table_name", 1), None, concurrent_kw(&call)),
                    _ => {}
                }
            }
            (MigrationFormat::Alembic, Some(_), name) if aliased.is_some() => {
                let table = aliased.clone();
                match name {
                    "drop_column" => push(Operation::DropColumn, table, call.named("column_name", 0), None),
                    "alter_column" => alembic_alter(&call, table, call.named("column_name", 0), &mut push),
                    "create_index" => push(Operation::CreateIndex, table, None, concurrent_kw(&call)),
                    "drop_index" => push(Operation::DropIndex, table, None, concurrent_kw(&call)),
                    _ => {}
                }
            }
            (MigrationFormat::Django, Some("migrations") | None, name) => match name {
                "RunSQL" => {
                    let sql = call.keyword("sql").or_else(|| call.args.iter().find(|a| a.keyword.is_none()));
                    for string in sql.into_iter().flat_map(|a| a.tokens.iter().filter(|t| t.kind == ScriptKind::Str)) {
                        ops.extend(embedded_sql(string, &call, direction, &markers));
                    }
                }
                "RemoveField" => push(Operation::DropColumn, call.named("model_name", 0), call.named("name", 1), None),
                "DeleteModel" => push(Operation::DropTable, call.named("name", 0), None, None),
                "CreateModel" => push(Operation::CreateTable, call.named("name", 0), None, None),
                "RenameField" => {
                    push(Operation::RenameColumn, call.named("model_name", 0), call.named("old_name", 1), None)
                }
                "AlterField" => push(Operation::AlterType, call.named("model_name", 0), call.named("name", 1), None),
                "RenameModel" => push(Operation::RenameTable, call.named("old_name", 0), None, None),
                "AddIndex" => {
                    push(Operation::CreateIndex, call.named("model_name", 0), None, Some((false, call.name_span)))
                }
                "AddIndexConcurrently" => {
                    push(Operation::CreateIndex, call.named("model_name", 0), None, Some((true, call.name_span)))
                }
                _ => {}
            },
            _ => {}
        }
    }
    ops
}

/// `op.alter_column(…, type_=…)` changes a type; `new_column_name=…` renames.
fn alembic_alter(
    call: &Call,
    table: Option<(String, Span)>,
    column: Option<(String, Span)>,
    push: &mut dyn FnMut(Operation, Named, Named, Option<(bool, Span)>),
) {
    if call.keyword("type_").is_some() {
        push(Operation::AlterType, table.clone(), column.clone(), None);
    }
    if call.keyword("new_column_name").is_some() {
        push(Operation::RenameColumn, table, column, None);
    }
}

// --- Ruby: Rails ----------------------------------------------------------------------------

fn ruby(text: &str) -> Vec<Op> {
    let tokens = lex(text, ScriptLanguage::Ruby);
    let changes = directions(&tokens, ScriptLanguage::Ruby, text);
    // Block parameters of `change_table` / `create_table`: the table, and whether it is new.
    let mut aliases: Vec<(String, (String, Span), bool)> = Vec::new();
    let mut ops = Vec::new();
    for call in calls(&tokens, ScriptLanguage::Ruby) {
        if ops.len() >= MAX_OPERATIONS {
            break;
        }
        let direction = direction_at(&changes, call.span.start);
        let markers = call_markers(&call, &tokens);
        let mut push = |operation, table: Option<(String, Span)>, column: Option<(String, Span)>, concurrently| {
            ops.push(Op {
                operation,
                span: call.span,
                keyword: call.name_span,
                table,
                column,
                concurrently,
                direction,
                markers: markers.clone(),
                via: (call.name_with_receiver(), call.name_span),
                text: (clip(text.get(call.span.start..call.span.end).unwrap_or("")), call.span),
            });
        };
        let concurrently = |call: &Call| -> Option<(bool, Span)> {
            let given = call.keyword("algorithm").filter(|a| a.is_any(&["concurrently"]));
            Some(given.and_then(Arg::span).map_or((false, call.name_span), |span| (true, span)))
        };
        let receiver = call.receiver.as_deref();
        let alias = receiver.and_then(|r| aliases.iter().rev().find(|(a, _, _)| a == r)).cloned();
        match (receiver, call.name.as_str()) {
            (None | Some("connection"), "execute") => {
                if let Some(sql) = call.args.first().and_then(Arg::first_string) {
                    ops.extend(embedded_sql(sql, &call, direction, &markers));
                }
            }
            (None, name) => {
                let table = call.positional(0);
                match name {
                    "create_table" => {
                        if let (Some(binds), Some(table)) = (&call.binds, &table) {
                            aliases.push((binds.clone(), table.clone(), true));
                        }
                        push(Operation::CreateTable, table, None, None);
                    }
                    "change_table" => {
                        if let (Some(binds), Some(table)) = (&call.binds, table) {
                            aliases.push((binds.clone(), table, false));
                        }
                    }
                    "drop_table" => push(Operation::DropTable, table, None, None),
                    "remove_column" | "remove_columns" | "remove_reference" | "remove_belongs_to"
                    | "remove_timestamps" => push(Operation::DropColumn, table, call.positional(1), None),
                    "rename_column" => push(Operation::RenameColumn, table, call.positional(1), None),
                    "rename_table" => push(Operation::RenameTable, table, None, None),
                    "change_column" => push(Operation::AlterType, table, call.positional(1), None),
                    "add_index" => push(Operation::CreateIndex, table, None, concurrently(&call)),
                    "remove_index" => push(Operation::DropIndex, table, None, concurrently(&call)),
                    _ => {}
                }
            }
            (Some(_), name) => {
                let Some((_, table, new_table)) = alias else { continue };
                match name {
                    "remove" | "remove_references" | "remove_belongs_to" | "remove_timestamps" if !new_table => {
                        push(Operation::DropColumn, Some(table), call.positional(0), None)
                    }
                    "rename" if !new_table => push(Operation::RenameColumn, Some(table), call.positional(0), None),
                    "change" if !new_table => push(Operation::AlterType, Some(table), call.positional(0), None),
                    "index" => push(Operation::CreateIndex, Some(table), None, concurrently(&call)),
                    "remove_index" if !new_table => push(Operation::DropIndex, Some(table), None, concurrently(&call)),
                    _ => {}
                }
            }
        }
    }
    ops
}

// --- output ---------------------------------------------------------------------------------

fn emit(format: MigrationFormat, dialect: Option<&str>, ops: Vec<Op>, text: &str) -> Parsed {
    let whole = Span::new(0, text.len());
    let mut map = SourceMap::new();
    map.insert("", whole);
    map.insert("/format", whole);
    map.insert("/dialect", whole);
    map.insert("/operations", whole);
    let mut operations = Vec::with_capacity(ops.len());
    for (index, op) in ops.into_iter().enumerate() {
        let base = format!("/operations/{index}");
        map.insert(base.clone(), op.span);
        let markers_pointer = pointer_push(&base, "markers");
        let mut markers = Vec::new();
        for (m, (marker, span)) in op.markers.into_iter().enumerate() {
            map.insert(format!("{markers_pointer}/{m}"), span);
            markers.push(json!(marker));
        }
        let mut object = Map::new();
        let mut field = |name: &str, value: Value, span: Span| {
            map.insert(pointer_push(&base, name), span);
            object.insert(name.to_owned(), value);
        };
        field("operation", json!(op.operation.name()), op.keyword);
        let (table, table_span) = op.table.map_or((Value::Null, op.span), |(t, s)| (json!(t), s));
        field("table", table, table_span);
        let (column, column_span) = op.column.map_or((Value::Null, op.span), |(c, s)| (json!(c), s));
        field("column", column, column_span);
        let (concurrently, concurrently_span) = op.concurrently.map_or((Value::Null, op.span), |(c, s)| (json!(c), s));
        field("concurrently", concurrently, concurrently_span);
        field("direction", json!(op.direction.name()), op.span);
        field("via", json!(op.via.0), op.via.1);
        field("text", json!(op.text.0), op.text.1);
        field("markers", Value::Array(markers), op.span);
        operations.push(Value::Object(object));
    }
    let value = json!({"format": format.name(), "dialect": dialect, "operations": operations});
    Parsed { value, source_map: map }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    /// operation, table, column, concurrently, direction, markers.
    type Row = (String, Option<String>, Option<String>, Value, String, Vec<String>);

    fn ops(path: &str, text: &str) -> Vec<Row> {
        let parsed = parse(path, text, &Limits::default()).unwrap();
        parsed.value["operations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|op| {
                (
                    op["operation"].as_str().unwrap().to_owned(),
                    op["table"].as_str().map(str::to_owned),
                    op["column"].as_str().map(str::to_owned),
                    op["concurrently"].clone(),
                    op["direction"].as_str().unwrap().to_owned(),
                    op["markers"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn alembic_ops_in_upgrade_and_downgrade() {
        let text = "from alembic import op\nimport sqlalchemy as sa\n\ndef upgrade():\n    # ward: backup-verified\n    op.drop_column('users', 'email')\n    op.create_index('ix_a', 'orders', ['a'], postgresql_concurrently=True)\n    with op.batch_alter_table(\"items\") as batch_op:\n        batch_op.alter_column('price', type_=sa.Numeric())\n    op.execute(\"ALTER TABLE t RENAME COLUMN a TO b\")\n\n\ndef downgrade():\n    op.add_column('users', sa.Column('email', sa.String()))\n    op.drop_table('orders')\n";
        let ops = ops("alembic/versions/1_x.py", text);
        assert_eq!(ops.len(), 5, "{ops:?}");
        assert_eq!(ops[0].0, "drop-column");
        assert_eq!(ops[0].5, ["backup-verified"]);
        assert_eq!((ops[1].0.as_str(), ops[1].3.clone()), ("create-index", json!(true)));
        assert_eq!(
            (ops[2].0.as_str(), ops[2].1.as_deref(), ops[2].2.as_deref()),
            ("alter-type", Some("items"), Some("price"))
        );
        assert_eq!((ops[3].0.as_str(), ops[3].1.as_deref()), ("rename-column", Some("t")));
        assert_eq!((ops[4].0.as_str(), ops[4].4.as_str()), ("drop-table", "down"));
    }

    #[test]
    fn rails_ops_with_blocks_and_heredocs() {
        let text = "class Cleanup < ActiveRecord::Migration[7.1]\n  disable_ddl_transaction!\n\n  def up\n    remove_column :users, :legacy_id # ward: expand-contract\n    add_index :orders, :user_id, algorithm: :concurrently\n    add_index :orders, :state\n    change_table :accounts do |t|\n      t.rename :nick, :handle\n    end\n    create_table :audits do |t|\n      t.index :at\n    end\n    execute <<~SQL\n      TRUNCATE sessions;\n    SQL\n  end\n\n  def down\n    drop_table :audits\n  end\nend\n";
        let ops = ops("db/migrate/20240101000000_cleanup.rb", text);
        let names: Vec<&str> = ops.iter().map(|o| o.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "drop-column",
                "create-index",
                "create-index",
                "rename-column",
                "create-table",
                "create-index",
                "truncate",
                "drop-table"
            ]
        );
        assert_eq!(ops[0].5, ["expand-contract"]);
        assert_eq!((ops[1].3.clone(), ops[2].3.clone()), (json!(true), json!(false)));
        assert_eq!(ops[3].1.as_deref(), Some("accounts"));
        assert_eq!(ops[6].1.as_deref(), Some("sessions"));
        assert_eq!(ops[7].4, "down");
    }

    #[test]
    fn django_operations() {
        let text = "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.RemoveField(model_name='order', name='note'),\n        migrations.RunSQL(\"DROP TABLE legacy\", reverse_sql=\"CREATE TABLE legacy (id int)\"),\n    ]\n";
        let ops = ops("shop/migrations/0007_cleanup.py", text);
        let names: Vec<&str> = ops.iter().map(|o| o.0.as_str()).collect();
        assert_eq!(names, ["drop-column", "drop-table"]);
        assert_eq!(ops[0].2.as_deref(), Some("note"));
    }

    #[test]
    fn goose_down_sections_and_trailing_markers() {
        let text = "-- +goose Up\nALTER TABLE a DROP COLUMN b; -- ward: backup-verified\nDROP TABLE c;\n-- +goose Down\nDROP TABLE d;\n";
        let ops = ops("migrations/20240101_x.sql", text);
        assert_eq!(ops[0].5, ["backup-verified"]);
        assert!(ops[1].5.is_empty());
        assert_eq!((ops[1].4.as_str(), ops[2].4.as_str()), ("up", "down"));
    }

    /// The example from the documentation of `parse`.
    #[test]
    fn parse_example() {
        use crate::parse::{migration, Limits};
        let sql = "-- ward: backup-verified\nALTER TABLE users DROP COLUMN email;\nCREATE INDEX CONCURRENTLY ix ON orders (user_id);\n";
        let parsed = migration::parse("db/migrations/V7__cleanup.sql", sql, &Limits::default()).unwrap();
        let ops = &parsed.value["operations"];
        assert_eq!(ops[0]["operation"], "drop-column");
        assert_eq!(ops[0]["markers"][0], "backup-verified");
        assert_eq!(ops[1]["concurrently"], true);
    }

    /// The example from the documentation of `markers_in`.
    #[test]
    fn markers_in_example() {
        use crate::parse::migration::markers_in;
        assert_eq!(
            markers_in("-- ward: expand-contract (readers moved in v41); ward:backup-verified"),
            ["expand-contract", "backup-verified"]
        );
        assert!(markers_in("# ward:ignore REL-012 reason").is_empty());
    }
}
