//! Go's `text/template` with Sprig's and Helm's functions, as Helm runs it — written here rather
//! than taken from the `gotmpl` crate because a chart's findings must land on the values line
//! that made a value: every value carries its [`Origin`](crate::render::tracked::Origin) through
//! variables, pipelines and string functions, and what a template writes is an [`Output`] whose
//! [`Piece`]s say which template line wrote each run of text and which value it printed.
//!
//! [`Templates`] is Go's template namespace (every file's `define`s visible to every template,
//! the last definition winning); [`Templates::execute`] runs one with a [`Value`] as dot, under
//! [`TemplateLimits`]. Helm's rendering options are built in: a missing map key is `nil`
//! (`missingkey=zero`) and printing `nil` writes nothing (Helm deletes `<no value>`).

mod exec;
mod fmt;
mod functions;
mod lex;
mod output;
mod parse;
mod value;

use std::collections::HashMap;
use std::sync::Arc;

pub(crate) use output::{Output, Piece, TemplatePosition};
pub(crate) use value::Value;

/// The bounds one execution stays within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TemplateLimits {
    /// Bytes one execution may write (its includes' output counted too).
    pub(crate) max_output_bytes: usize,
    /// How deep `template`, `include` and `tpl` may nest (Helm's own guard is 1000).
    pub(crate) max_depth: usize,
    /// Iterations of all `range`s and `until`-like lists in one execution.
    pub(crate) max_range_iterations: usize,
    /// Evaluation steps (nodes and commands) of one execution.
    pub(crate) max_steps: u64,
}

impl Default for TemplateLimits {
    fn default() -> TemplateLimits {
        TemplateLimits {
            max_output_bytes: 16 << 20,
            max_depth: 100,
            max_range_iterations: 1_000_000,
            max_steps: 10_000_000,
        }
    }
}

/// A template that failed to parse or execute, at its file, line and column, in Go's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("template: {path}:{line}:{column}: {message}")]
pub(crate) struct TemplateError {
    pub(crate) path: String,
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) message: String,
}

/// One template file's text, with the offsets its lines start at.
#[derive(Debug)]
pub(crate) struct Source {
    pub(crate) path: Arc<str>,
    pub(crate) text: String,
    line_starts: Vec<usize>,
}

impl Source {
    pub(crate) fn new(path: &str, text: &str) -> Source {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        Source { path: Arc::from(path), text: text.to_owned(), line_starts }
    }

    /// The 1-based line and column (in characters) of byte `at`.
    pub(crate) fn position(&self, at: usize) -> TemplatePosition {
        let line = self.line_starts.partition_point(|&start| start <= at).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let column = self.text.get(start..at.min(self.text.len())).map_or(0, |prefix| prefix.chars().count()) + 1;
        TemplatePosition {
            path: Arc::clone(&self.path),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }

    fn error(&self, at: usize, message: String) -> TemplateError {
        let position = self.position(at);
        TemplateError { path: self.path.to_string(), line: position.line, column: position.column, message }
    }
}

/// A named template: the body of a file or of a `define`.
#[derive(Debug, Clone)]
pub(crate) struct Definition {
    pub(crate) name: Arc<str>,
    pub(crate) source: Arc<Source>,
    pub(crate) body: Arc<Vec<parse::Node>>,
}

/// Parsed templates by name (Go's template namespace).
#[derive(Debug, Clone, Default)]
pub(crate) struct Templates {
    limits: TemplateLimits,
    definitions: HashMap<String, Definition>,
}

/// Parses `text` of `path` into its body and defines.
fn parse_source(path: &str, text: &str) -> Result<(Arc<Source>, parse::Parsed), TemplateError> {
    let source = Arc::new(Source::new(path, text));
    let tokens = lex::lex(text).map_err(|error| source.error(error.at, error.message))?;
    let parsed = parse::parse(&tokens, text.len(), &functions::is_defined)
        .map_err(|error| source.error(error.at, error.message))?;
    Ok((source, parsed))
}

impl Templates {
    pub(crate) fn new(limits: TemplateLimits) -> Templates {
        Templates { limits, definitions: HashMap::new() }
    }

    pub(crate) fn limits(&self) -> &TemplateLimits {
        &self.limits
    }

    /// Parses `text` as the template `name` (chart-relative: `shop/templates/deployment.yaml`),
    /// with its file path for errors and provenance. Its `define`s join the namespace; a
    /// definition replaces an earlier one of the same name unless it is empty (Go's rule).
    pub(crate) fn add(&mut self, name: &str, path: &str, text: &str) -> Result<(), TemplateError> {
        let (source, parsed) = parse_source(path, text)?;
        insert(&mut self.definitions, name, &source, parsed.root);
        for (define, body) in parsed.defines {
            insert(&mut self.definitions, &define, &source, body);
        }
        Ok(())
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Definition> {
        self.definitions.get(name)
    }

    /// Runs template `name` with `data` as dot.
    pub(crate) fn execute(&self, name: &str, data: &Value) -> Result<Output, TemplateError> {
        let Some(definition) = self.definitions.get(name) else {
            return Err(TemplateError {
                path: name.to_owned(),
                line: 1,
                column: 1,
                message: format!("no template {name:?} associated with template"),
            });
        };
        let mut exec = exec::Exec::new(self);
        let traced = exec.run(definition, data)?;
        Ok(traced.into_output(&definition.source.position(0)))
    }
}

fn insert(definitions: &mut HashMap<String, Definition>, name: &str, source: &Arc<Source>, body: Vec<parse::Node>) {
    let empty = body.iter().all(|node| match node {
        parse::Node::Text(range) => source.text.get(range.clone()).is_none_or(|text| text.trim().is_empty()),
        _ => false,
    });
    if empty && definitions.contains_key(name) {
        return;
    }
    definitions.insert(
        name.to_owned(),
        Definition { name: Arc::from(name), source: Arc::clone(source), body: Arc::new(body) },
    );
}

#[cfg(test)]
mod tests;
