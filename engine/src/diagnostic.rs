//! Problems with the input, as data: which file, where in it, what was wrong and what would
//! fix it. They implement [`miette::Diagnostic`] so that a front end can draw a code frame; the
//! engine itself never prints.

use std::fmt;

use miette::{LabeledSpan, NamedSource, SourceCode};

use crate::document::{LineIndex, Position, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The input could not be used; the run cannot be trusted (exit code 2).
    Error,
    /// Something was deliberately not read (a binary file, a Helm template); said, not hidden.
    Note,
}

/// One problem with one input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub level: Level,
    /// Relative to the scan root, `/`-separated.
    pub path: String,
    pub message: String,
    pub help: Option<String>,
    /// Where in the file, when the problem has a place.
    pub span: Option<Span>,
    pub position: Option<Position>,
    /// Boxed: most diagnostics travel in `Result`s, and this is their largest part.
    source: Option<Box<NamedSource<String>>>,
}

impl Diagnostic {
    /// A problem with a whole file (it could not be read, or was skipped).
    pub fn file(level: Level, path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level,
            path: path.into(),
            message: message.into(),
            help: None,
            span: None,
            position: None,
            source: None,
        }
    }

    /// A problem at a place in a file; keeps the text for the code frame.
    pub fn at(path: impl Into<String>, text: &str, span: Span, message: impl Into<String>) -> Diagnostic {
        let path = path.into();
        let span = Span::new(span.start.min(text.len()), span.end.min(text.len()));
        let position = LineIndex::new(text).position(text, span.start);
        Diagnostic {
            level: Level::Error,
            source: Some(Box::new(NamedSource::new(path.clone(), text.to_owned()))),
            path,
            message: message.into(),
            help: None,
            span: Some(span),
            position: Some(position),
        }
    }

    pub fn with_help(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    /// `path:line:col` (or just the path), as editors and terminals link it.
    pub fn location(&self) -> String {
        match self.position {
            Some(position) => format!("{}:{}:{}", self.path, position.line, position.column),
            None => self.path.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.level {
            Level::Error => miette::Severity::Error,
            Level::Note => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_deref().map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        let label = LabeledSpan::new(Some("here".to_owned()), span.start, span.end - span.start);
        Some(Box::new(std::iter::once(label)))
    }
}
