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

    /// Attaches the file's text, so that a diagnostic known only by its line and column gets a
    /// code frame. Without a position, or with one outside the text, it is left as it is.
    ///
    /// ```
    /// use ward_engine::diagnostic::{Diagnostic, Level};
    /// use ward_engine::document::Position;
    /// let mut diagnostic = Diagnostic::file(Level::Error, "rules/a.rego", "unexpected token");
    /// diagnostic.position = Some(Position { line: 2, column: 3 });
    /// let diagnostic = diagnostic.with_source("package a\nx = = 1\n");
    /// assert_eq!(diagnostic.span.map(|span| span.start), Some(12));
    /// ```
    pub fn with_source(mut self, text: &str) -> Diagnostic {
        let Some(position) = self.position else { return self };
        let lines = LineIndex::new(text);
        if position.line as usize > lines.line_count() {
            return self;
        }
        let start = lines.offset(text, position).min(text.len());
        // The label covers the rest of the word at the position, or one character.
        let rest = text.get(start..).unwrap_or("");
        let first = rest.chars().next().map_or(0, char::len_utf8);
        let word = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let end = start + if word > 0 { word } else { first };
        self.span = Some(Span::new(start, end));
        self.source = Some(Box::new(NamedSource::new(self.path.clone(), text.to_owned())));
        self
    }

    pub fn with_help(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    /// Rewrites the text it shows: the message and the help with `text`, the code frame's
    /// source with `frame` (which must keep its length, so the frame still points at the same
    /// bytes). The secret redactor takes secrets out of a diagnostic with it.
    pub fn rewrite_text(&mut self, text: impl Fn(&str) -> String, frame: impl Fn(&str) -> String) {
        self.message = text(&self.message);
        self.help = self.help.as_deref().map(&text);
        if let Some(source) = &self.source {
            let rewritten = frame(source.inner());
            self.source = Some(Box::new(NamedSource::new(source.name(), rewritten)));
        }
    }

    /// The text of the file, when the diagnostic carries it for a code frame (redacted, once
    /// redacted).
    pub fn source_text(&self) -> Option<&str> {
        self.source.as_deref().map(|source| source.inner().as_str())
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
