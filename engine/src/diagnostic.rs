//! Problems with the input, as data: which file, where in it, what was wrong and what would
//! fix it. They implement [`miette::Diagnostic`] so that a front end can draw a code frame; the
//! engine itself never prints.

use std::fmt;

use miette::{LabeledSpan, NamedSource, SourceCode};

use crate::document::{LineIndex, Position, Span};

/// How much a [`Diagnostic`] matters to the run.
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
    /// Whether the run can still be trusted.
    pub level: Level,
    /// Relative to the scan root, `/`-separated.
    pub path: String,
    /// What is wrong, in the reader's terms: what was found and what was expected.
    pub message: String,
    /// A hint on how to fix it, when there is one worth giving.
    pub help: Option<String>,
    /// Where in the file, when the problem has a place.
    pub span: Option<Span>,
    /// The 1-based line and column of [`Diagnostic::span`]'s start, when the problem has a place.
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

    /// A problem at a line and column of a file, found where the file's text is not at hand (a
    /// policy engine names only the place): an error. [`Diagnostic::with_source`] adds the code
    /// frame where the text is known.
    ///
    /// ```
    /// use ward_engine::Diagnostic;
    /// use ward_engine::Position;
    /// let error = Diagnostic::at_position("ward.toml", Position { line: 2, column: 12 }, "unknown severity");
    /// assert_eq!(error.to_string(), "ward.toml:2:12: unknown severity");
    /// ```
    pub fn at_position(path: impl Into<String>, position: Position, message: impl Into<String>) -> Diagnostic {
        Diagnostic { position: Some(position), ..Diagnostic::file(Level::Error, path, message) }
    }

    /// Attaches the file's text, so that a diagnostic known only by its line and column gets a
    /// code frame. Without a position, or with one outside the text, it is left as it is.
    ///
    /// ```
    /// use ward_engine::{Diagnostic, Level};
    /// use ward_engine::Position;
    /// let mut diagnostic = Diagnostic::file(Level::Error, "rules/a.rego", "unexpected token");
    /// diagnostic.position = Some(Position { line: 2, column: 3 });
    /// let diagnostic = diagnostic.with_source("package a\nx = = 1\n");
    /// assert_eq!(diagnostic.span.map(|span| span.start), Some(12));
    /// ```
    pub fn with_source(mut self, text: &str) -> Diagnostic {
        self.set_source(text);
        self
    }

    /// [`Diagnostic::with_source`], in place.
    fn set_source(&mut self, text: &str) {
        let Some(position) = self.position else { return };
        let lines = LineIndex::new(text);
        if position.line as usize > lines.line_count() {
            return;
        }
        let start = lines.offset(text, position).min(text.len());
        // The label covers the rest of the word at the position, or one character.
        let rest = text.get(start..).unwrap_or("");
        let first = rest.chars().next().map_or(0, char::len_utf8);
        let word = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let end = start + if word > 0 { word } else { first };
        self.span = Some(Span::new(start, end));
        self.source = Some(Box::new(NamedSource::new(self.path.clone(), text.to_owned())));
    }

    /// The same diagnostic with `help` as its hint.
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

/// Gives each diagnostic that has a position but no text yet the text `text_of` knows for its
/// path: where a problem is found the file's text is not always at hand, but whoever collects
/// the problems has it, and no one reads a file again to draw a frame.
pub(crate) fn attach_sources<'t>(diagnostics: &mut [Diagnostic], text_of: impl Fn(&str) -> Option<&'t str>) {
    for diagnostic in diagnostics.iter_mut().filter(|diagnostic| diagnostic.source.is_none()) {
        if let Some(text) = text_of(&diagnostic.path) {
            diagnostic.set_source(text);
        }
    }
}

/// Two diagnostics are equal when they say the same about the same place of the same text.
impl PartialEq for Diagnostic {
    fn eq(&self, other: &Diagnostic) -> bool {
        (self.level, &self.path, &self.message, &self.help, self.span, self.position, self.source_text())
            == (other.level, &other.path, &other.message, &other.help, other.span, other.position, other.source_text())
    }
}

impl Eq for Diagnostic {}

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
