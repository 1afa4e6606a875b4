//! How a rule fails on an input, in either language: its engine fails, or it returns results
//! ward cannot use (a malformed `related`, a related place that is not in the graph). Such a
//! failure is reported against the rule and the input, and the run cannot be trusted.

use serde_json::Value;

use crate::diagnostic::Diagnostic;

/// What a result's `related` must be, as every [`RelatedError`] about its shape says.
const RELATED_SHAPE: &str = "`related` must be a list of `{resource or document, path, message}` objects";

/// A rule that failed on an input.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// The engine's own error, at the place in a policy file it names.
    #[error(transparent)]
    Located(Diagnostic),
    /// The engine's own error, as it words it, where it names no place.
    #[error("{0}")]
    Engine(String),
    /// The process's live memory grew past the budget of one evaluation while the rule ran
    /// ([`crate::memory_budget`]): `budget` is that budget in bytes, when known.
    #[error("stopped: it used more than {} while it ran (the limit of one rule on one input, `--rule-memory-mb`)", budget_text(*.budget))]
    MemoryLimit {
        /// The budget, in bytes, when known.
        budget: Option<u64>,
    },
    /// A result the engine returned that could not be read as JSON.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A rule's `related` targets that could not be read.
    #[error(transparent)]
    Related(#[from] RelatedError),
}

fn budget_text(budget: Option<u64>) -> String {
    budget.map_or_else(|| "its memory budget".to_owned(), |bytes| format!("{} MB", bytes / (1024 * 1024)))
}

/// A result's `related` places that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelatedError {
    #[error("{shape}, got {0}", shape = RELATED_SHAPE)]
    NotAList(Value),
    #[error("{shape}, got {0}", shape = RELATED_SHAPE)]
    NotAnObject(Value),
    #[error("{shape}; unknown member `{member}` in {item}", shape = RELATED_SHAPE)]
    UnknownMember { member: String, item: Value },
    #[error("{shape}; `{member}` must be a string, got {value}", shape = RELATED_SHAPE)]
    NotAString { member: String, value: Value },
    #[error("{shape}; {0} names both a resource and a document", shape = RELATED_SHAPE)]
    ResourceAndDocument(Value),
    #[error("{shape}; `path` must be a list or a dotted string, got {0}", shape = RELATED_SHAPE)]
    BadPath(Value),
    #[error("a related place names no resource of the graph: {0:?}")]
    NoSuchResource(String),
    #[error("a related place names no document of the graph: {0:?}")]
    NoSuchDocument(String),
    #[error("a related place's resource has no document")]
    NoDocument,
}
