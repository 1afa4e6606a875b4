//! The parsers, one file per format, and the entry point that runs the one a kind names
//! ([`crate::kinds`]) on a stack deep enough for it.
//!
//! Every parser takes a file's text and returns a [`Parsed`]: the normalised value and a
//! [`SourceMap`](crate::document::SourceMap) with an entry for every value in it. A parser never
//! panics and never recurses without a bound; when it cannot make sense of its input it returns a
//! [`ParseError`] that says where and what it expected.

pub mod code;
pub mod dockerfile;
pub mod dotenv;
pub mod flags;
pub mod migration;
pub mod sql;
pub mod terraform;
pub mod toml;
pub mod yaml;

use crate::document::{DocumentKind, Parsed, Span};

/// Bounds that keep one hostile file from taking the scan down with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this are reported and not parsed.
    pub max_file_bytes: u64,
    /// The deepest nesting of mappings, sequences, blocks or brackets a parser accepts.
    pub max_depth: usize,
    /// How many times YAML aliases may be expanded in one file (stops "billion laughs").
    pub max_alias_expansions: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_file_bytes: 8 * 1024 * 1024, max_depth: 128, max_alias_expansions: 10_000 }
    }
}

/// Why a file could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// What was wrong, in the reader's terms: what was found and what was expected.
    pub message: String,
    /// Where in the text; an empty span points between two characters.
    pub span: Span,
    /// A hint on how to fix it, when there is one worth giving.
    pub help: Option<String>,
}

impl ParseError {
    pub fn new(message: impl Into<String>, span: Span) -> ParseError {
        ParseError { message: message.into(), span, help: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> ParseError {
        self.help = Some(help.into());
        self
    }
}

/// Parses `text` as a document of `kind`.
///
/// `kubernetes`, `compose`, `github-workflow` and `yaml` files are YAML streams: the value is
/// the array of the stream's documents. `json` files hold their single value.
///
/// ```
/// use ward_engine::{parse, DocumentKind};
/// let parsed = parse::parse(DocumentKind::Dotenv, "PORT=8080\n", &parse::Limits::default()).unwrap();
/// assert_eq!(parsed.value["entries"][0]["key"], "PORT");
/// ```
pub fn parse(kind: DocumentKind, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse_file("", kind, text, limits)
}

/// [`parse`], for a file at `path` (relative to the scan root): the kinds that cover several
/// formats read the path to tell which one it is — a migration's `.sql`, `.py` or `.rb`, a
/// source file's language, a flags file's JSON or YAML. Without a path they tell by content.
///
/// ```
/// use ward_engine::{parse, DocumentKind};
/// let parsed = parse::parse_file("db/migrate/1_drop.rb", DocumentKind::Migration, "drop_table :users\n", &parse::Limits::default()).unwrap();
/// assert_eq!(parsed.value["operations"][0]["operation"], "drop-table");
/// ```
pub fn parse_file(path: &str, kind: DocumentKind, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    // The YAML and HCL readers recurse once per nesting level, with large frames in debug
    // builds (about 16 KiB a level through serde-saphyr, so 2 MiB at `max_depth`). When less
    // than `PARSE_STACK_NEEDED` is left on the caller's thread, the parse runs on a fresh stack.
    // Checking costs nothing measurable; switching costs an allocation, so threads ward makes
    // itself are given enough stack never to switch.
    stacker::maybe_grow(PARSE_STACK_NEEDED, PARSE_STACK_BYTES, || parse_on_this_stack(path, kind, text, limits))
}

/// Stack a parse must have left to start: twice the deepest parse measured.
pub const PARSE_STACK_NEEDED: usize = 4 * 1024 * 1024;

/// Size of a stack made for a parse when the caller's has too little left.
pub const PARSE_STACK_BYTES: usize = 16 * 1024 * 1024;

fn parse_on_this_stack(path: &str, kind: DocumentKind, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    // Which parser reads a kind, and how, is the kind's to say.
    (crate::kinds::spec(kind).parse)(path, text, limits)
}

/// Finds the first place where brackets nest deeper than `max_depth`, before a recursive-descent
/// parser gets to recurse that deep. Brackets inside strings are counted too, which can only make
/// the guard stricter than the grammar, never looser.
pub(crate) fn check_bracket_depth(text: &str, max_depth: usize) -> Result<(), ParseError> {
    let mut depth = 0usize;
    for (at, byte) in text.bytes().enumerate() {
        match byte {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    return Err(ParseError::new(
                        format!("nesting deeper than {max_depth} levels"),
                        Span::new(at, at + 1),
                    )
                    .with_help("ward bounds nesting depth so that no file can exhaust the stack"));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}
