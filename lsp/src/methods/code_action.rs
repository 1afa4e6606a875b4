//! `textDocument/codeAction`: for each finding in the requested range, a quick fix that
//! inserts `ward:ignore RULE-ID -- reason` on the line above it, indented like that line, in
//! the file's comment syntax (`#` for YAML, Dockerfiles, env files and HCL). Formats without
//! comments (JSON) get none.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, NumberOrString, Position, Range, TextEdit,
    WorkspaceEdit,
};
use ward_engine::Detected;

use super::publish_diagnostics::SOURCE;
use crate::files::Role;
use crate::state::State;

pub fn code_action(state: &mut State, params: &CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
    let uri = &params.text_document.uri;
    let document = state.documents.get(uri)?;
    let Role::Target(detected) = document.role else { return Some(Vec::new()) };
    // The kind the buffer was read as (a YAML file may be Kubernetes); by its name otherwise.
    let kind = match detected {
        Detected::Kind(kind) => kind,
        _ => ward_engine::DocumentKind::Yaml,
    };
    let comment_marker = ward_engine::kind_spec(kind).comment_marker;
    let Some(marker) = comment_marker(&document.path.to_string_lossy()) else { return Some(Vec::new()) };
    let mut actions = Vec::new();
    for diagnostic in &params.context.diagnostics {
        let (Some(NumberOrString::String(rule)), Some(SOURCE)) = (&diagnostic.code, diagnostic.source.as_deref())
        else {
            continue;
        };
        let line = diagnostic.range.start.line;
        let text = document.text.line(line);
        let indent: String = text.chars().take_while(|c| c.is_whitespace()).collect();
        let comment = format!("{indent}{marker} ward:ignore {rule} -- reason\n");
        let at = Position { line, character: 0 };
        let edit = TextEdit { range: Range { start: at, end: at }, new_text: comment };
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Ignore {rule} here (ward:ignore)"),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                ..WorkspaceEdit::default()
            }),
            ..CodeAction::default()
        }));
    }
    Some(actions)
}
