//! `textDocument/didChange`: full document sync — the last change's text replaces the buffer.
//! Changes queued behind this one are applied before diagnostics are computed, so a burst of
//! keystrokes costs one evaluation.

use lsp_types::DidChangeTextDocumentParams;

use crate::position::Text;
use crate::state::State;

pub fn did_change(state: &mut State, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let Some(change) = params.content_changes.into_iter().last() else { return };
    match state.documents.get_mut(&uri) {
        Some(document) => {
            document.text = Text::new(change.text);
            document.version = params.text_document.version;
            state.dirty.insert(uri);
        }
        // A change to a document never opened: take it as opened with this text.
        None => state.open(uri, change.text, params.text_document.version),
    }
}
