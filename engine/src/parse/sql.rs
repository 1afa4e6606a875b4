//! SQL, as much as migrations need: splitting a script into statements — knowing `--` and
//! (nested) `/* */` comments, `'…'` strings with `''`, `E'…'` escapes, `"…"` and `` `…` ``
//! identifiers, and Postgres dollar quotes (`$$…$$`, `$fn$…$fn$`) — and telling what each
//! statement does to the schema: drop a table or column, truncate, change a column's type,
//! rename, create an index (and whether `CONCURRENTLY`). Each statement and operation keeps its
//! byte span, and the comments that belong to it (for markers such as `-- ward: backup-verified`).

use crate::document::Span;

/// One lexical token of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
    /// Words upper-cased; quoted identifiers unquoted, as written.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Word,
    QuotedIdentifier,
    String,
    Number,
    Punct,
}

/// A statement of a script: its span (first to last token, without the `;`), its tokens, and
/// the comments that belong to it — those before it since the previous statement ended (a comment on the line
/// where the previous statement ended belongs to that one) and those inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement {
    pub span: Span,
    pub tokens: Vec<Token>,
    pub comments: Vec<Span>,
}

/// Splits `text` into statements at `;` outside comments, strings and dollar quotes.
pub(crate) fn split(text: &str) -> Vec<Statement> {
    let bytes = text.as_bytes();
    let mut statements = Vec::new();
    let mut current = Statement { span: Span::new(0, 0), tokens: Vec::new(), comments: Vec::new() };
    let mut pending_comments: Vec<Span> = Vec::new();
    // Where the last statement ended (its `;`), to attach a comment on that line to it.
    let mut last_end: Option<usize> = None;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let start = at;
        match byte {
            b'-' if bytes.get(at + 1) == Some(&b'-') => {
                at = line_end(bytes, at);
                attach_comment(
                    &mut statements,
                    &mut current,
                    &mut pending_comments,
                    last_end,
                    text,
                    Span::new(start, at),
                );
            }
            b'#' if current.tokens.is_empty() && bytes.get(at + 1) != Some(&b'{') => {
                // MySQL's `#` comments, only where a statement could start (not `#>>` operators).
                at = line_end(bytes, at);
                attach_comment(
                    &mut statements,
                    &mut current,
                    &mut pending_comments,
                    last_end,
                    text,
                    Span::new(start, at),
                );
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at = block_comment_end(bytes, at);
                attach_comment(
                    &mut statements,
                    &mut current,
                    &mut pending_comments,
                    last_end,
                    text,
                    Span::new(start, at),
                );
            }
            b';' => {
                at += 1;
                if !current.tokens.is_empty() {
                    current.comments.splice(0..0, pending_comments.drain(..));
                    statements.push(std::mem::replace(
                        &mut current,
                        Statement { span: Span::new(0, 0), tokens: Vec::new(), comments: Vec::new() },
                    ));
                    last_end = Some(start);
                }
            }
            b if b.is_ascii_whitespace() => at += 1,
            _ => {
                let token = next_token(text, at);
                at = token.span.end.max(at + 1);
                if current.tokens.is_empty() {
                    current.span = Span::new(token.span.start, token.span.end);
                }
                current.span = current.span.cover(token.span);
                current.tokens.push(token);
            }
        }
    }
    if !current.tokens.is_empty() {
        current.comments.splice(0..0, pending_comments.drain(..));
        statements.push(current);
    }
    statements
}

/// A comment belongs to the statement being read, else to the previous statement when it is
/// on the line that statement ended on, else to the next statement.
fn attach_comment(
    statements: &mut [Statement],
    current: &mut Statement,
    pending: &mut Vec<Span>,
    last_end: Option<usize>,
    text: &str,
    comment: Span,
) {
    if !current.tokens.is_empty() {
        current.comments.push(comment);
        return;
    }
    let same_line =
        last_end.and_then(|end| text.get(end..comment.start)).is_some_and(|between| !between.contains('\n'));
    match statements.last_mut() {
        Some(previous) if same_line && pending.is_empty() => previous.comments.push(comment),
        _ => pending.push(comment),
    }
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes.iter().skip(from).position(|&b| b == b'\n').map_or(bytes.len(), |n| from + n)
}

/// The end of a `/* */` comment; Postgres nests them.
fn block_comment_end(bytes: &[u8], from: usize) -> usize {
    let mut depth = 0usize;
    let mut at = from;
    while at < bytes.len() {
        match (bytes.get(at), bytes.get(at + 1)) {
            (Some(b'/'), Some(b'*')) => {
                depth += 1;
                at += 2;
            }
            (Some(b'*'), Some(b'/')) => {
                depth = depth.saturating_sub(1);
                at += 2;
                if depth == 0 {
                    return at;
                }
            }
            _ => at += 1,
        }
    }
    bytes.len()
}

/// The token starting at `at` (which is not white space or a comment).
fn next_token(text: &str, at: usize) -> Token {
    let bytes = text.as_bytes();
    let byte = bytes.get(at).copied().unwrap_or(b' ');
    let token = |kind, end: usize, value: String| Token { kind, span: Span::new(at, end.min(text.len())), text: value };
    match byte {
        b'\'' => {
            let end = quoted_end(bytes, at, b'\'', false);
            token(TokenKind::String, end, String::new())
        }
        b'E' | b'e' if bytes.get(at + 1) == Some(&b'\'') => {
            let end = quoted_end(bytes, at + 1, b'\'', true);
            token(TokenKind::String, end, String::new())
        }
        b'"' | b'`' | b'[' if byte != b'[' || is_bracket_identifier(bytes, at) => {
            let close = if byte == b'[' { b']' } else { byte };
            let end = quoted_end(bytes, at, close, false);
            let inner = text.get(at + 1..end.saturating_sub(1)).unwrap_or("").to_owned();
            token(TokenKind::QuotedIdentifier, end, inner)
        }
        b'$' => match dollar_tag(text, at) {
            Some(tag) => {
                let body = at + tag.len();
                let end =
                    text.get(body..).and_then(|rest| rest.find(&tag)).map_or(text.len(), |n| body + n + tag.len());
                token(TokenKind::String, end, String::new())
            }
            None => token(TokenKind::Punct, at + 1, "$".into()),
        },
        b if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => {
            let mut end = at;
            while let Some(&b) = bytes.get(end) {
                if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80 {
                    end += 1;
                } else {
                    break;
                }
            }
            let end = floor_char_boundary(text, end);
            let word = text.get(at..end).unwrap_or("").to_ascii_uppercase();
            token(TokenKind::Word, end.max(at + 1), word)
        }
        b if b.is_ascii_digit() => {
            let mut end = at;
            while bytes.get(end).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.') {
                end += 1;
            }
            token(TokenKind::Number, end, text.get(at..end).unwrap_or("").to_owned())
        }
        _ => {
            let end = (at + 1..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap_or(text.len());
            token(TokenKind::Punct, end, text.get(at..end).unwrap_or("").to_owned())
        }
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// SQL Server's `[name]` identifiers; elsewhere `[` is an array subscript.
fn is_bracket_identifier(bytes: &[u8], at: usize) -> bool {
    let rest = bytes.get(at + 1..).unwrap_or_default();
    let close = rest.iter().position(|&b| b == b']' || b == b'\n');
    close.is_some_and(|n| {
        rest.get(n) == Some(&b']')
            && n > 0
            && rest.iter().take(n).all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b' ')
    })
}

/// The end (after the closing quote) of a quoted run starting at `at`; a doubled quote is an
/// escaped quote, and with `backslash` so is `\'`.
fn quoted_end(bytes: &[u8], at: usize, quote: u8, backslash: bool) -> usize {
    let mut i = at + 1;
    while let Some(&b) = bytes.get(i) {
        if backslash && b == b'\\' {
            i += 2;
            continue;
        }
        if b == quote {
            if bytes.get(i + 1) == Some(&quote) && quote != b']' {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// `$$` or `$tag$` at `at`, if that is what is there (not a `$1` parameter).
fn dollar_tag(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at + 1..)?;
    let close = rest.find('$')?;
    let tag = rest.get(..close)?;
    let valid = tag.chars().enumerate().all(|(i, c)| c == '_' || c.is_alphabetic() || (i > 0 && c.is_ascii_digit()));
    valid.then(|| format!("${tag}$"))
}

/// What an operation does to the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    CreateTable,
    DropTable,
    DropColumn,
    Truncate,
    AlterType,
    RenameColumn,
    RenameTable,
    CreateIndex,
    DropIndex,
    DropSchema,
    DropDatabase,
    Other,
}

impl Operation {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Operation::CreateTable => "create-table",
            Operation::DropTable => "drop-table",
            Operation::DropColumn => "drop-column",
            Operation::Truncate => "truncate",
            Operation::AlterType => "alter-type",
            Operation::RenameColumn => "rename-column",
            Operation::RenameTable => "rename-table",
            Operation::CreateIndex => "create-index",
            Operation::DropIndex => "drop-index",
            Operation::DropSchema => "drop-schema",
            Operation::DropDatabase => "drop-database",
            Operation::Other => "other",
        }
    }
}

/// One thing a statement does, with the spans of its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Classified {
    pub operation: Operation,
    /// From the operation's first keyword to the end of its clause.
    pub span: Span,
    /// The keywords that say what it is (`DROP COLUMN`).
    pub keyword: Span,
    pub table: Option<(String, Span)>,
    pub column: Option<(String, Span)>,
    /// For indexes: whether `CONCURRENTLY` is given, and where.
    pub concurrently: Option<Span>,
}

/// What a statement does: usually one operation, one per clause for an `ALTER TABLE` with
/// several actions.
pub(crate) fn classify(statement: &Statement) -> Vec<Classified> {
    let tokens = &statement.tokens;
    let word = |i: usize| tokens.get(i).filter(|t| t.kind == TokenKind::Word).map(|t| t.text.as_str());
    let simple = |operation, keyword_end: usize| Classified {
        operation,
        span: statement.span,
        keyword: cover(tokens, 0, keyword_end),
        table: None,
        column: None,
        concurrently: None,
    };
    match (word(0), word(1)) {
        (Some("CREATE"), _) => classify_create(statement),
        (Some("DROP"), Some("TABLE")) => {
            let mut op = simple(Operation::DropTable, 1);
            op.table = name_after(tokens, 2, &["IF", "EXISTS"]);
            vec![op]
        }
        (Some("DROP"), Some("INDEX")) => {
            let mut op = simple(Operation::DropIndex, 1);
            op.concurrently = tokens.get(2).filter(|t| t.text == "CONCURRENTLY").map(|t| t.span);
            vec![op]
        }
        (Some("DROP"), Some("SCHEMA")) => vec![simple(Operation::DropSchema, 1)],
        (Some("DROP"), Some("DATABASE")) => vec![simple(Operation::DropDatabase, 1)],
        (Some("TRUNCATE"), _) => {
            let mut op = simple(Operation::Truncate, 0);
            op.table = name_after(tokens, 1, &["TABLE", "ONLY"]);
            vec![op]
        }
        (Some("RENAME"), Some("TABLE")) => {
            let mut op = simple(Operation::RenameTable, 1);
            op.table = name_after(tokens, 2, &[]);
            vec![op]
        }
        (Some("ALTER"), Some("TABLE")) => classify_alter_table(statement),
        _ => vec![simple(Operation::Other, 0)],
    }
}

fn classify_create(statement: &Statement) -> Vec<Classified> {
    let tokens = &statement.tokens;
    let mut i = 1;
    let skip =
        ["OR", "REPLACE", "UNIQUE", "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "CLUSTERED", "NONCLUSTERED"];
    while tokens.get(i).is_some_and(|t| t.kind == TokenKind::Word && skip.contains(&t.text.as_str())) {
        i += 1;
    }
    let keyword = cover(tokens, 0, i);
    let base = |operation| Classified {
        operation,
        span: statement.span,
        keyword,
        table: None,
        column: None,
        concurrently: None,
    };
    match tokens.get(i).map(|t| t.text.as_str()) {
        Some("TABLE") => {
            let mut op = base(Operation::CreateTable);
            op.table = name_after(tokens, i + 1, &["IF", "NOT", "EXISTS"]);
            vec![op]
        }
        Some("INDEX") => {
            let mut op = base(Operation::CreateIndex);
            op.keyword = cover(tokens, 0, i);
            let mut j = i + 1;
            if let Some(token) = tokens.get(j).filter(|t| t.text == "CONCURRENTLY") {
                op.concurrently = Some(token.span);
                j += 1;
            }
            // The table follows `ON` (and `ONLY`).
            let on = tokens.iter().skip(j).position(|t| t.kind == TokenKind::Word && t.text == "ON");
            op.table = on.and_then(|n| name_after(tokens, j + n + 1, &["ONLY"]));
            vec![op]
        }
        _ => vec![base(Operation::Other)],
    }
}

/// `ALTER TABLE [IF EXISTS] [ONLY] name action [, action…]`: each action classified on its own.
fn classify_alter_table(statement: &Statement) -> Vec<Classified> {
    let tokens = &statement.tokens;
    let mut i = 2;
    while tokens
        .get(i)
        .is_some_and(|t| t.kind == TokenKind::Word && ["IF", "EXISTS", "ONLY"].contains(&t.text.as_str()))
    {
        i += 1;
    }
    let table = name_at(tokens, i);
    let mut start = i + qualified_len(tokens, i);
    let mut operations = Vec::new();
    let mut depth = 0usize;
    let mut index = start;
    while index <= tokens.len() {
        let token = tokens.get(index);
        match token.map(|t| t.text.as_str()) {
            Some("(") => depth += 1,
            Some(")") => depth = depth.saturating_sub(1),
            Some(",") | None if depth == 0 => {
                if index > start {
                    let mut op = classify_action(tokens, start, index);
                    op.table = op.table.or_else(|| table.clone());
                    operations.push(op);
                }
                start = index + 1;
            }
            _ => {}
        }
        index += 1;
    }
    if operations.is_empty() {
        operations.push(Classified {
            operation: Operation::Other,
            span: statement.span,
            keyword: cover(tokens, 0, 1),
            table,
            column: None,
            concurrently: None,
        });
    }
    operations
}

/// Words after `DROP` in an `ALTER TABLE` that drop something other than a column.
const NOT_A_COLUMN: [&str; 17] = [
    "CONSTRAINT",
    "INDEX",
    "KEY",
    "PRIMARY",
    "FOREIGN",
    "CHECK",
    "PARTITION",
    "DEFAULT",
    "NOT",
    "IDENTITY",
    "EXPRESSION",
    "ROW",
    "TRIGGER",
    "RULE",
    "UNIQUE",
    "FULLTEXT",
    "SPATIAL",
];

fn classify_action(tokens: &[Token], start: usize, end: usize) -> Classified {
    let word = |i: usize| tokens.get(i).filter(|t| i < end && t.kind == TokenKind::Word).map(|t| t.text.as_str());
    let span = cover(tokens, start, end.saturating_sub(1));
    let make = |operation, keyword_end: usize, column: Option<(String, Span)>| Classified {
        operation,
        span,
        keyword: cover(tokens, start, keyword_end),
        table: None,
        column,
        concurrently: None,
    };
    match (word(start), word(start + 1)) {
        (Some("DROP"), Some("COLUMN")) => {
            make(Operation::DropColumn, start + 1, name_after(tokens, start + 2, &["IF", "EXISTS"]))
        }
        (Some("DROP"), Some(next)) if !NOT_A_COLUMN.contains(&next) => {
            make(Operation::DropColumn, start, name_after(tokens, start + 1, &["IF", "EXISTS"]))
        }
        (Some("DROP"), None) if tokens.get(start + 1).is_some_and(|t| t.kind == TokenKind::QuotedIdentifier) => {
            make(Operation::DropColumn, start, name_at(tokens, start + 1))
        }
        (Some("ALTER"), _) => {
            let column_at = if word(start + 1) == Some("COLUMN") { start + 2 } else { start + 1 };
            let type_at = (column_at + 1..end).find(|&i| word(i) == Some("TYPE"));
            match type_at {
                Some(at) => make(Operation::AlterType, at, name_at(tokens, column_at)),
                None => make(Operation::Other, start, name_at(tokens, column_at)),
            }
        }
        (Some("MODIFY" | "CHANGE"), _) => {
            let column_at = if word(start + 1) == Some("COLUMN") { start + 2 } else { start + 1 };
            make(Operation::AlterType, start, name_at(tokens, column_at))
        }
        (Some("RENAME"), Some("TO" | "AS")) => make(Operation::RenameTable, start + 1, None),
        (Some("RENAME"), Some("COLUMN")) => make(Operation::RenameColumn, start + 1, name_at(tokens, start + 2)),
        (Some("RENAME"), Some("CONSTRAINT" | "INDEX" | "KEY")) => make(Operation::Other, start, None),
        (Some("RENAME"), _) if tokens.get(start + 1).is_some() => {
            make(Operation::RenameColumn, start, name_at(tokens, start + 1))
        }
        _ => make(Operation::Other, start, None),
    }
}

/// The (possibly schema-qualified) name at `index` after skipping `skip` words.
fn name_after(tokens: &[Token], mut index: usize, skip: &[&str]) -> Option<(String, Span)> {
    while tokens.get(index).is_some_and(|t| t.kind == TokenKind::Word && skip.contains(&t.text.as_str())) {
        index += 1;
    }
    name_at(tokens, index)
}

/// A name at `index`: `users`, `"Users"`, `public.users` (the last part is the name, the span
/// covers all of it).
fn name_at(tokens: &[Token], index: usize) -> Option<(String, Span)> {
    let len = qualified_len(tokens, index);
    if len == 0 {
        return None;
    }
    let last = tokens.get(index + len - 1)?;
    let first = tokens.get(index)?;
    let name = match last.kind {
        TokenKind::Word => last.text.to_ascii_lowercase(),
        _ => last.text.clone(),
    };
    Some((name, first.span.cover(last.span)))
}

/// How many tokens a dotted name at `index` takes (0 when there is none).
fn qualified_len(tokens: &[Token], index: usize) -> usize {
    let is_name = |t: &Token| matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdentifier);
    let mut len = 0;
    while tokens.get(index + len).is_some_and(is_name) {
        len += 1;
        if tokens.get(index + len).is_some_and(|t| t.text == ".") && tokens.get(index + len + 1).is_some_and(is_name) {
            len += 1;
        } else {
            break;
        }
    }
    len
}

/// The span from token `from` to token `to` (inclusive), clamped to the tokens there are.
fn cover(tokens: &[Token], from: usize, to: usize) -> Span {
    let first = tokens.get(from).or_else(|| tokens.last()).map_or(Span::new(0, 0), |t| t.span);
    let last = tokens.get(to.max(from)).or_else(|| tokens.last()).map_or(first, |t| t.span);
    first.cover(last)
}

/// The SQL dialect a script is written in, when it says so: `mysql` (backticks, `ENGINE=`,
/// `AUTO_INCREMENT`), `sqlite` (`AUTOINCREMENT`, `PRAGMA`), `postgres` (dollar quotes,
/// `CONCURRENTLY`, `::` casts, `SERIAL`, `JSONB`); `None` when nothing tells.
pub(crate) fn dialect(text: &str, statements: &[Statement]) -> Option<&'static str> {
    let mut postgres = false;
    let first_byte = |token: &Token| text.as_bytes().get(token.span.start).copied();
    for statement in statements {
        let tokens = &statement.tokens;
        for (i, token) in tokens.iter().enumerate() {
            let next = tokens.get(i + 1).map(|t| t.text.as_str());
            match (token.kind, token.text.as_str()) {
                (TokenKind::QuotedIdentifier, _) if first_byte(token) == Some(b'`') => return Some("mysql"),
                (TokenKind::Word, "ENGINE") if next == Some("=") => return Some("mysql"),
                (TokenKind::Word, "AUTO_INCREMENT" | "UNSIGNED") => return Some("mysql"),
                (TokenKind::Word, "AUTOINCREMENT" | "PRAGMA") => return Some("sqlite"),
                (TokenKind::Word, "CONCURRENTLY" | "SERIAL" | "BIGSERIAL" | "JSONB" | "TIMESTAMPTZ" | "PLPGSQL") => {
                    postgres = true
                }
                (TokenKind::Punct, ":") if next == Some(":") => postgres = true,
                (TokenKind::String, _) if first_byte(token) == Some(b'$') => postgres = true,
                _ => {}
            }
        }
    }
    postgres.then_some("postgres")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `split`.
    #[test]
    fn split_example() {
        use crate::parse::sql::split;
        let script = "-- intro\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELECT ';' /* ; */;";
        let statements = split(script);
        assert_eq!(statements.len(), 2);
        assert_eq!(&script[statements[1].span.start..statements[1].span.end], "SELECT ';'");
        assert_eq!(statements[0].comments.len(), 1); // `-- intro`
        assert_eq!(statements[1].comments.len(), 1); // `/* ; */`
    }

    /// The example from the documentation of `classify`.
    #[test]
    fn classify_example() {
        use crate::parse::sql::{classify, split, Operation};
        let script = "ALTER TABLE users DROP COLUMN email, ALTER COLUMN age TYPE bigint, ADD COLUMN x int";
        let ops = classify(&split(script)[0]);
        let names: Vec<Operation> = ops.iter().map(|o| o.operation).collect();
        assert_eq!(names, [Operation::DropColumn, Operation::AlterType, Operation::Other]);
        assert_eq!(ops[0].column.as_ref().map(|c| c.0.as_str()), Some("email"));
    }

    /// The example from the documentation of `dialect`.
    #[test]
    fn dialect_example() {
        use crate::parse::sql::{dialect, split};
        let text = "CREATE TABLE `t` (id int) ENGINE=InnoDB;";
        assert_eq!(dialect(text, &split(text)), Some("mysql"));
        let text = "SELECT 1::int;";
        assert_eq!(dialect(text, &split(text)), Some("postgres"));
    }
}
