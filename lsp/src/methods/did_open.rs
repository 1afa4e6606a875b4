//! `textDocument/didOpen`: the document's text becomes the server's, and its diagnostics are
//! computed before the next message is read (see [`publish_diagnostics`](super::publish_diagnostics)).

use lsp_types::DidOpenTextDocumentParams;

use crate::state::State;

pub fn did_open(state: &mut State, params: DidOpenTextDocumentParams) {
    let document = params.text_document;
    state.open(document.uri, document.text, document.version);
}
