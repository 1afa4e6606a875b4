//! `textDocument/didClose`: the buffer is forgotten and its diagnostics cleared (the file on
//! disk is what the workspace graph holds).

use lsp_types::{DidCloseTextDocumentParams, PublishDiagnosticsParams};

use crate::state::State;

pub fn did_close(state: &mut State, params: &DidCloseTextDocumentParams) {
    let uri = params.text_document.uri.clone();
    state.documents.remove(&uri);
    state.dirty.remove(&uri);
    state.notify("textDocument/publishDiagnostics", PublishDiagnosticsParams::new(uri, Vec::new(), None));
}
