//! One file per LSP method, and the dispatch from a method's name to its handler. A request for
//! a method the server does not implement is answered `MethodNotFound`; a notification it does
//! not know is ignored; parameters that do not read are `InvalidParams` — never a reason to
//! stop.

pub mod code_action;
pub mod completion;
pub mod definition;
pub mod did_change;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod document_symbol;
pub mod execute_command;
pub mod hover;
pub mod initialize;
pub mod publish_diagnostics;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::state::State;

/// Why a request got no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("ward lsp does not implement {0}")]
    MethodNotFound(String),
    #[error("invalid parameters: {0}")]
    InvalidParams(String),
    #[error("{0}")]
    Failed(String),
}

impl RequestError {
    /// The JSON-RPC error code.
    pub fn code(&self) -> i32 {
        match self {
            RequestError::MethodNotFound(_) => lsp_server::ErrorCode::MethodNotFound as i32,
            RequestError::InvalidParams(_) => lsp_server::ErrorCode::InvalidParams as i32,
            RequestError::Failed(_) => lsp_server::ErrorCode::RequestFailed as i32,
        }
    }
}

fn params<P: DeserializeOwned>(value: Value) -> Result<P, RequestError> {
    serde_json::from_value(value).map_err(|error| RequestError::InvalidParams(error.to_string()))
}

fn result(value: impl serde::Serialize) -> Result<Value, RequestError> {
    serde_json::to_value(value).map_err(|error| RequestError::Failed(error.to_string()))
}

/// Answers a request (other than `initialize` and `shutdown`, which the main loop handles):
/// `Some` result now, or `None` when a background task answers request `id` later.
pub fn request(
    state: &mut State,
    id: lsp_server::RequestId,
    method: &str,
    value: Value,
) -> Result<Option<Value>, RequestError> {
    let now = |answer: Result<Value, RequestError>| answer.map(Some);
    match method {
        "textDocument/hover" => now(result(hover::hover(state, &params(value)?))),
        "textDocument/completion" => now(result(completion::completion(state, &params(value)?))),
        "textDocument/definition" => now(result(definition::definition(state, &params(value)?))),
        "textDocument/documentSymbol" => now(result(document_symbol::document_symbol(state, &params(value)?))),
        "textDocument/codeAction" => now(result(code_action::code_action(state, &params(value)?))),
        "workspace/executeCommand" => execute_command::execute_command(state, id, params(value)?),
        other => Err(RequestError::MethodNotFound(other.to_owned())),
    }
}

/// Handles a notification; unknown ones and ones whose parameters do not read are ignored.
pub fn notification(state: &mut State, method: &str, value: Value) {
    match method {
        "textDocument/didOpen" => {
            if let Ok(params) = params(value) {
                did_open::did_open(state, params);
            }
        }
        "textDocument/didChange" => {
            if let Ok(params) = params(value) {
                did_change::did_change(state, params);
            }
        }
        "textDocument/didSave" => {
            if let Ok(params) = params(value) {
                did_save::did_save(state, &params);
            }
        }
        "textDocument/didClose" => {
            if let Ok(params) = params(value) {
                did_close::did_close(state, &params);
            }
        }
        _ => {}
    }
}

/// Where a request points: the document (copied, so that the state stays free to change) and
/// the line and byte under the cursor.
pub struct Cursor {
    pub path: std::path::PathBuf,
    pub role: crate::files::Role,
    pub text: crate::position::Text,
    pub findings: Vec<ward_engine::Finding>,
    /// Zero-based.
    pub line_number: u32,
    pub line: String,
    /// Byte offset of the cursor in `line`.
    pub at: usize,
}

impl Cursor {
    pub fn of(state: &State, uri: &lsp_types::Url, position: lsp_types::Position) -> Option<Cursor> {
        let document = state.documents.get(uri)?;
        let offset = document.text.offset(position, state.encoding);
        let line_start = document.text.lines.line_start(position.line.saturating_add(1))?;
        let line = document.text.line(position.line).to_owned();
        Some(Cursor {
            path: document.path.clone(),
            role: document.role,
            text: document.text.clone(),
            findings: document.findings.clone(),
            line_number: position.line,
            at: offset.saturating_sub(line_start).min(line.len()),
            line,
        })
    }

    /// The line up to the cursor.
    pub fn before(&self) -> &str {
        self.line.get(..self.at).unwrap_or("")
    }
}
