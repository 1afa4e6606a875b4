//! `textDocument/hover`:
//! - on a rule id anywhere (a policy's `id`, `ward.toml`'s `[rules.ID]`, a `ward:ignore`
//!   comment): the rule's documentation, the text `ward explain` prints;
//! - in a policy, on a path below `input.object`/`object` (or `meta`, `params`, the graph):
//!   its type and description from the schemas of the rule's kinds;
//! - in a policy, on a built-in function: its signature and what it does;
//! - in a file ward scans, on a line with findings: each finding's rule documentation.

use std::path::Path;

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};
use serde_json::Value;

use super::Cursor;
use crate::builtins;
use crate::files::Role;
use crate::paths::{self, Segment};
use crate::policy::PolicySet;
use crate::rules;
use crate::state::State;

pub fn hover(state: &mut State, params: &HoverParams) -> Option<Hover> {
    let position = params.text_document_position_params.position;
    let cursor = Cursor::of(state, &params.text_document_position_params.text_document.uri, position)?;
    let markdown = match rules::rule_id_at(&cursor.line, cursor.at) {
        Some((id, _, _)) => rule_documentation(state, &cursor.path, cursor.role, &id),
        None => match cursor.role {
            Role::Rego | Role::Cel => policy_hover(state, &cursor),
            Role::Target(_) => findings_hover(state, &cursor),
            _ => None,
        },
    }?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
        range: None,
    })
}

/// The documentation of rule `id` as seen from the file at `path`: from the policy file's own
/// pack first, else from the packs active for the file's workspace.
pub fn rule_documentation(state: &mut State, path: &Path, role: Role, id: &str) -> Option<String> {
    if role.is_policy() || role == Role::PackManifest {
        let buffers = super::publish_diagnostics::buffers(state);
        let compiled = PolicySet::of(path, &mut state.packs, &buffers).compile();
        if let Some(text) = rules::documentation(&compiled.policies, compiled.pack.as_slice(), id) {
            return Some(text);
        }
    }
    let loaded = state.workspace_of(path).policies();
    rules::documentation(&loaded.policies, &loaded.packs, id)
}

fn findings_hover(state: &mut State, cursor: &Cursor) -> Option<String> {
    let line = cursor.line_number.saturating_add(1);
    let mut ids: Vec<&str> = cursor
        .findings
        .iter()
        .filter(|finding| finding.location.start.line == line)
        .map(|finding| finding.rule_id.as_str())
        .collect();
    ids.dedup();
    let docs: Vec<String> =
        ids.iter().filter_map(|id| rule_documentation(state, &cursor.path, cursor.role, id)).collect();
    (!docs.is_empty()).then(|| docs.join("\n---\n\n"))
}

/// The path (or name) that ends at the end of the identifier under the cursor.
fn path_under_cursor(cursor: &Cursor) -> Option<paths::WrittenPath> {
    let rest = cursor.line.get(cursor.at..).unwrap_or("");
    let end = cursor.at + rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    paths::written_path(cursor.line.get(..end)?)
}

fn policy_hover(state: &mut State, cursor: &Cursor) -> Option<String> {
    let written = path_under_cursor(cursor)?;
    let mut segments = written.segments.clone();
    segments.push(Segment::Key(written.partial.clone()));
    let kinds = rules::kinds_of(cursor.role, &cursor.path, &cursor.text.text);
    let root = match cursor.role {
        Role::Rego => paths::rego_root(&segments, &kinds),
        _ => paths::cel_root(&segments, &kinds),
    };
    if let Some((root, from)) = root {
        let params = pack_params(state, cursor);
        let known = paths::known(&root, segments.get(from..).unwrap_or_default(), &params);
        let (type_name, description) = known.describe()?;
        let written: Vec<String> = segments
            .iter()
            .map(|segment| match segment {
                Segment::Key(key) => key.clone(),
                Segment::Index => "[_]".into(),
            })
            .collect();
        let name = written.join(".").replace(".[_]", "[_]");
        let type_name = if type_name.is_empty() { String::new() } else { format!(": {type_name}") };
        return Some(format!("`{name}`{type_name}\n\n{description}").trim_end().to_owned());
    }
    let (table, language) = match cursor.role {
        Role::Rego => (builtins::REGO, "rego"),
        _ => (builtins::CEL, "cel"),
    };
    let name: Vec<String> = segments
        .iter()
        .filter_map(|segment| match segment {
            Segment::Key(key) => Some(key.clone()),
            Segment::Index => None,
        })
        .collect();
    let full = name.join(".");
    let last = name.last().cloned().unwrap_or_default();
    // `regex.match` by its full name; CEL's methods (`x.startsWith`) by their own.
    let builtin = builtins::find(table, &full).or_else(|| builtins::find(table, &last).filter(|_| language == "cel"));
    builtin.map(|builtin| builtin.markdown(language))
}

/// The default params of the policy file's pack, for paths below `params`.
pub fn pack_params(state: &mut State, cursor: &Cursor) -> Value {
    let buffers = super::publish_diagnostics::buffers(state);
    let set = PolicySet::of(&cursor.path, &mut state.packs, &buffers);
    if !set.is_pack {
        return Value::Null;
    }
    ward_engine::Pack::from_files(&set.origin, set.files).ok().and_then(|pack| pack.data().ok()).unwrap_or(Value::Null)
}
