//! `textDocument/didSave`: what is on disk changed. A saved config file updates the workspace
//! graph (so graph rules see it from every other buffer); a saved policy, pack manifest or
//! `ward.toml` makes the active policies load again. Every open document is then checked again.

use lsp_types::DidSaveTextDocumentParams;

use crate::files::Role;
use crate::state::{path_of, State};

pub fn did_save(state: &mut State, params: &DidSaveTextDocumentParams) {
    let path = path_of(&params.text_document.uri);
    let role = crate::files::role_of(&path.to_string_lossy());
    state.packs.invalidate(&path);
    match role {
        Role::Target(_) => {
            for workspace in state.workspaces.values_mut().filter(|w| path.starts_with(&w.root)) {
                workspace.refresh_file(&path);
            }
        }
        Role::Rego | Role::Cel | Role::PackManifest | Role::Config => {
            for workspace in state.workspaces.values_mut() {
                workspace.reload_policies();
            }
        }
        Role::Other => return,
    }
    let open: Vec<_> = state.documents.keys().cloned().collect();
    state.dirty.extend(open);
}
