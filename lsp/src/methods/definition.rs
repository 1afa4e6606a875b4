//! `textDocument/definition`:
//! - in Rego, on a rule or function name — bare (`unpinned`, same package), through an import
//!   (`k8s.is_workload`) or in full (`data.ward.lib.k8s.is_workload`): every head that defines
//!   it, in any module of the pack;
//! - in CEL, on `variables.NAME`: the variable's entry;
//! - on a rule id anywhere: the line of the id in the rule's file (for packs on disk).

use lsp_types::{GotoDefinitionParams, GotoDefinitionResponse, Location, Url};

use super::Cursor;
use crate::files::Role;
use crate::policy::PolicySet;
use crate::position::Text;
use crate::rego_index::{reference_at, Module};
use crate::rules;
use crate::state::State;

pub fn definition(state: &mut State, params: &GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let position = params.text_document_position_params.position;
    let cursor = Cursor::of(state, &params.text_document_position_params.text_document.uri, position)?;
    let locations = match rules::rule_id_at(&cursor.line, cursor.at) {
        Some((id, _, _)) => rule_definition(state, &cursor, &id).into_iter().collect(),
        None => match cursor.role {
            Role::Rego => rego(state, &cursor),
            Role::Cel => cel(state, &cursor),
            _ => Vec::new(),
        },
    };
    (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
}

fn rule_definition(state: &mut State, cursor: &Cursor, id: &str) -> Option<Location> {
    let encoding = state.encoding;
    if cursor.role.is_policy() || cursor.role == Role::PackManifest {
        let buffers = super::publish_diagnostics::buffers(state);
        let set = PolicySet::of(&cursor.path, &mut state.packs, &buffers);
        let compiled = set.compile();
        if let Some(location) = rules::definition(&compiled.policies, id, |shown| set.file_of(shown), encoding) {
            return Some(location);
        }
    }
    let workspace = state.workspace_of(&cursor.path);
    let root = workspace.root.clone();
    let loaded = workspace.policies();
    rules::definition(&loaded.policies, id, |shown| Some(root.join(shown)), encoding)
}

fn rego(state: &mut State, cursor: &Cursor) -> Vec<Location> {
    let Some((reference, _, _)) = reference_at(&cursor.line, cursor.at) else { return Vec::new() };
    let encoding = state.encoding;
    let buffers = super::publish_diagnostics::buffers(state);
    let set = PolicySet::of(&cursor.path, &mut state.packs, &buffers);
    let own = Module::read(&cursor.text.text);
    // The package and rule name the reference stands for.
    let (package, name) = if reference.contains('.') {
        let Some(full) = own.expand(&reference) else { return Vec::new() };
        match full.rsplit_once('.') {
            Some((package, name)) => (package.to_owned(), name.to_owned()),
            None => return Vec::new(),
        }
    } else {
        let Some((package, _)) = own.package.clone() else { return Vec::new() };
        (package, reference.clone())
    };
    let mut locations = Vec::new();
    for (relative, text) in set.policy_texts().filter(|(path, _)| path.ends_with(".rego")) {
        let module = Module::read(text);
        let Some((module_package, package_line)) = &module.package else { continue };
        let file = set.dir.join(relative);
        let Ok(uri) = Url::from_file_path(&file) else { continue };
        let text = Text::new(text.to_owned());
        if *module_package == package {
            for declaration in module.declared(&name) {
                let range = rules::line_range(&text, declaration.line, declaration.start, declaration.end, encoding);
                locations.push(Location { uri: uri.clone(), range });
            }
        } else if *module_package == format!("{package}.{name}") {
            // A reference to a whole package: its `package` line.
            let length = text.line(*package_line).len();
            locations.push(Location { uri, range: rules::line_range(&text, *package_line, 0, length, encoding) });
        }
    }
    locations
}

fn cel(state: &mut State, cursor: &Cursor) -> Vec<Location> {
    use ward_engine::{parse_yaml_stream as parse_stream, ScalarRules};
    let Some((reference, _, _)) = reference_at(&cursor.line, cursor.at) else { return Vec::new() };
    let Some(name) = reference.strip_prefix("variables.") else { return Vec::new() };
    let name = name.split('.').next().unwrap_or(name);
    let Ok(parsed) = parse_stream(&cursor.text.text, ScalarRules::Yaml12, &ward_engine::Limits::default()) else {
        return Vec::new();
    };
    let variables = parsed.value.pointer("/0/variables").and_then(serde_json::Value::as_array);
    let Some(index) = variables
        .and_then(|list| list.iter().position(|v| v.get("name").and_then(serde_json::Value::as_str) == Some(name)))
    else {
        return Vec::new();
    };
    let Some(span) = parsed.source_map.get(&format!("/0/variables/{index}/name")) else { return Vec::new() };
    let Ok(uri) = Url::from_file_path(&cursor.path) else { return Vec::new() };
    vec![Location { uri, range: cursor.text.range(span.start, span.end, state.encoding) }]
}
