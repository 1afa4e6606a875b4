//! The parsers, one file per format, their limits and errors. Which parser reads a kind of
//! document is the kind's to say (`kinds::parse`, which also gives it a stack deep enough).
//!
//! Every parser takes a file's text and returns a [`Parsed`](crate::document::Parsed): the normalised value and a
//! [`SourceMap`](crate::document::SourceMap) with an entry for every value in it. A parser never
//! panics and never recurses without a bound; when it cannot make sense of its input it returns a
//! [`ParseError`] that says where and what it expected.

pub(crate) mod code;
pub(crate) mod dockerfile;
pub(crate) mod dotenv;
pub(crate) mod flags;
pub(crate) mod hcl1;
pub(crate) mod ini;
pub(crate) mod migration;
pub(crate) mod properties;
pub(crate) mod shell;
pub(crate) mod sql;
pub(crate) mod terraform;
pub(crate) mod toml;
pub(crate) mod xml;
pub(crate) mod yaml;

use crate::document::Span;

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
    /// `message` at `span`, without a hint.
    pub fn new(message: impl Into<String>, span: Span) -> ParseError {
        ParseError { message: message.into(), span, help: None }
    }

    /// The same error with `help` as its hint.
    pub fn with_help(mut self, help: impl Into<String>) -> ParseError {
        self.help = Some(help.into());
        self
    }
}

/// Stack a parse must have left to start: twice the deepest parse measured.
pub(crate) const PARSE_STACK_NEEDED: usize = 4 * 1024 * 1024;

/// Size of a stack made for a parse when the caller's has too little left.
pub(crate) const PARSE_STACK_BYTES: usize = 16 * 1024 * 1024;

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
