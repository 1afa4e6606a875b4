//! `textDocument/completion` in policies:
//! - after `input.object.` (Rego) or `object.` (CEL), and deeper: the members the JSON Schemas
//!   of the rule's `kinds` give, with type and description — and, where the schemas leave a
//!   value open (a Kubernetes object's `spec`), the keys found there in the pack's test
//!   fixtures; likewise `input.meta.`/`meta.`,
//!   `input.params.`/`params.` (from the pack's default params) and the graph
//!   (`data.ward.graph.`, `graph.`);
//! - after an import's name or `data.`: the rules of that package in the pack; after `import `:
//!   the pack's packages;
//! - CEL's `variables.`: the rule's variables;
//! - anywhere else: built-in functions, the rules of the module's package, its imports;
//! - in `ward.toml`, after `[rules.`: the active rule ids.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, Documentation, MarkupContent, MarkupKind,
};

use super::Cursor;
use crate::builtins::{self, Builtin};
use crate::files::Role;
use crate::paths::{self, Segment};
use crate::policy::PolicySet;
use crate::rego_index::Module;
use crate::rules;
use crate::state::State;

pub fn completion(state: &mut State, params: &CompletionParams) -> Option<CompletionResponse> {
    let position = params.text_document_position.position;
    let cursor = Cursor::of(state, &params.text_document_position.text_document.uri, position)?;
    let items = match cursor.role {
        Role::Rego => rego(state, &cursor),
        Role::Cel => cel(state, &cursor),
        Role::Config => config(state, &cursor),
        _ => Vec::new(),
    };
    Some(CompletionResponse::Array(items))
}

fn item(label: &str, kind: CompletionItemKind, detail: &str, documentation: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail: (!detail.is_empty()).then(|| detail.to_owned()),
        documentation: (!documentation.is_empty()).then(|| {
            Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value: documentation.to_owned() })
        }),
        ..CompletionItem::default()
    }
}

/// Members of a path below a known root, if the path has one.
fn members(state: &mut State, cursor: &Cursor, written: &paths::WrittenPath) -> Option<Vec<CompletionItem>> {
    let kinds = rules::kinds_of(cursor.role, &cursor.path, &cursor.text.text);
    let (root, from) = match cursor.role {
        Role::Rego => paths::rego_root(&written.segments, &kinds),
        _ => paths::cel_root(&written.segments, &kinds),
    }?;
    let params = super::hover::pack_params(state, cursor);
    let below = written.segments.get(from..).unwrap_or_default();
    let mut members = paths::known(&root, below, &params).members();
    if let paths::Root::Object(kinds) = &root {
        let values = fixture_values(state, cursor, kinds);
        for member in paths::observed(&values, below) {
            if !members.iter().any(|known| known.name == member.name) {
                members.push(member);
            }
        }
    }
    let items = members
        .into_iter()
        .filter(|member| member.name.starts_with(&written.partial))
        .map(|member| item(&member.name, CompletionItemKind::FIELD, &member.type_name, &member.description))
        .collect();
    Some(items)
}

/// The values of the resources of `kinds` in the pack's test fixtures (`tests/<ID>/…`): real
/// examples of what a rule sees, for the paths the schemas do not describe.
fn fixture_values(state: &mut State, cursor: &Cursor, kinds: &[ward_engine::DocumentKind]) -> Vec<serde_json::Value> {
    use ward_engine::parse_text;
    let buffers = super::publish_diagnostics::buffers(state);
    let set = PolicySet::of(&cursor.path, &mut state.packs, &buffers);
    if !set.is_pack {
        return Vec::new();
    }
    let documents: Vec<ward_engine::Document> = set
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("tests/") && !path.ends_with("expect.yaml"))
        .filter_map(|(path, content)| {
            let text = String::from_utf8(content.clone()).ok()?;
            let detected = ward_engine::detect_kind(path);
            parse_text(path, detected, text, &ward_engine::Limits::default()).ok().flatten()
        })
        .collect();
    let graph = ward_engine::Graph::build(documents);
    graph
        .resources
        .into_iter()
        .filter(|resource| kinds.is_empty() || kinds.contains(&resource.kind))
        .map(|resource| resource.value)
        .collect()
}

fn builtin_items<'a>(table: &'a [Builtin], prefix: &'a str) -> impl Iterator<Item = CompletionItem> + 'a {
    table.iter().filter_map(move |builtin| {
        let label = builtin.name.strip_prefix(prefix)?;
        // After `regex.`, only what follows; never a deeper name (`a.b` after nothing but `a.`).
        Some(item(label, CompletionItemKind::FUNCTION, builtin.signature, builtin.doc))
    })
}

fn rego(state: &mut State, cursor: &Cursor) -> Vec<CompletionItem> {
    let buffers = super::publish_diagnostics::buffers(state);
    let set = PolicySet::of(&cursor.path, &mut state.packs, &buffers);
    let modules: Vec<Module> =
        set.policy_texts().filter(|(path, _)| path.ends_with(".rego")).map(|(_, text)| Module::read(text)).collect();
    let packages = || modules.iter().filter_map(|module| module.package.as_ref().map(|(name, _)| name.clone()));
    let before = cursor.before();
    if let Some(rest) = before.trim_start().strip_prefix("import ") {
        let mut items: Vec<CompletionItem> = packages()
            .map(|package| format!("data.{package}"))
            .chain(["rego.v1".to_owned()])
            .filter(|path| path.starts_with(rest.trim()))
            .map(|path| item(&path, CompletionItemKind::MODULE, "", ""))
            .collect();
        items.dedup_by(|a, b| a.label == b.label);
        return items;
    }
    let Some(written) = paths::written_path(before) else { return top_level(cursor, &modules) };
    if !written.dotted {
        return top_level(cursor, &modules);
    }
    if let Some(items) = members(state, cursor, &written) {
        return items;
    }
    let keys: Vec<&str> = written
        .segments
        .iter()
        .filter_map(|segment| match segment {
            Segment::Key(key) => Some(key.as_str()),
            Segment::Index => None,
        })
        .collect();
    let reference = keys.join(".");
    let own = Module::read(&cursor.text.text);
    let mut items: Vec<CompletionItem> = Vec::new();
    if let Some(package) = own.expand(&reference) {
        // Rules of that package, and packages below it.
        for module in modules.iter().filter(|m| m.package.as_ref().is_some_and(|(name, _)| *name == package)) {
            for declaration in &module.declarations {
                let kind =
                    if declaration.function { CompletionItemKind::FUNCTION } else { CompletionItemKind::VARIABLE };
                items.push(item(&declaration.name, kind, &format!("data.{package}"), ""));
            }
        }
        for other in packages() {
            if let Some(below) = other.strip_prefix(&format!("{package}.")).filter(|_| !package.is_empty()) {
                let next = below.split('.').next().unwrap_or(below);
                items.push(item(next, CompletionItemKind::MODULE, "", ""));
            }
        }
    }
    items.extend(builtin_items(builtins::REGO, &format!("{reference}.")));
    items.retain(|item| item.label.starts_with(&written.partial));
    items.sort_by(|a, b| a.label.cmp(&b.label));
    items.dedup_by(|a, b| a.label == b.label);
    items
}

/// Built-ins, the rules of the module's package, its imports and `input`/`data`.
fn top_level(cursor: &Cursor, modules: &[Module]) -> Vec<CompletionItem> {
    let own = Module::read(&cursor.text.text);
    let package = own.package.as_ref().map(|(name, _)| name.as_str());
    let mut items: Vec<CompletionItem> = builtin_items(builtins::REGO, "").collect();
    for module in modules.iter().filter(|m| m.package.as_ref().map(|(n, _)| n.as_str()) == package) {
        for declaration in &module.declarations {
            let kind = if declaration.function { CompletionItemKind::FUNCTION } else { CompletionItemKind::VARIABLE };
            items.push(item(&declaration.name, kind, "rule", ""));
        }
    }
    for import in &own.imports {
        items.push(item(&import.alias, CompletionItemKind::MODULE, &import.path, ""));
    }
    items.push(item("input", CompletionItemKind::VARIABLE, "object, meta, params", ""));
    items.push(item("data", CompletionItemKind::VARIABLE, "data.ward.graph, packages", ""));
    let partial = paths::written_path(cursor.before()).map(|w| w.partial).unwrap_or_default();
    items.retain(|item| item.label.starts_with(&partial));
    items.sort_by(|a, b| a.label.cmp(&b.label));
    items.dedup_by(|a, b| a.label == b.label);
    items
}

fn cel(state: &mut State, cursor: &Cursor) -> Vec<CompletionItem> {
    let written = paths::written_path(cursor.before());
    if let Some(written) = written.as_ref().filter(|w| w.dotted) {
        if let Some(items) = members(state, cursor, written) {
            return items;
        }
        if written.segments == [Segment::Key("variables".into())] {
            return variables(&cursor.text.text)
                .into_iter()
                .filter(|name| name.starts_with(&written.partial))
                .map(|name| item(&name, CompletionItemKind::VARIABLE, "variable", ""))
                .collect();
        }
        // A method call on some value: CEL's functions that are called as methods.
        return builtin_items(builtins::CEL, "").filter(|item| item.label.starts_with(&written.partial)).collect();
    }
    let partial = written.map(|w| w.partial).unwrap_or_default();
    let roots = [
        ("object", "the resource's value"),
        ("meta", "id, kind, type, name, path, line, environment, labels"),
        ("params", "the rule's params"),
        ("graph", "the whole graph"),
        ("variables", "the rule's variables"),
        ("element", "the element, in a forEach validation"),
        ("index", "the element's index or key, in a forEach validation"),
    ];
    let mut items: Vec<CompletionItem> =
        roots.iter().map(|(name, detail)| item(name, CompletionItemKind::VARIABLE, detail, "")).collect();
    items.extend(builtin_items(builtins::CEL, ""));
    items.retain(|item| item.label.starts_with(&partial));
    items
}

/// The names of a CEL rule's `variables`.
pub fn variables(text: &str) -> Vec<String> {
    use ward_engine::{parse_yaml_stream as parse_stream, ScalarRules};
    let Ok(parsed) = parse_stream(text, ScalarRules::Yaml12, &ward_engine::Limits::default()) else {
        return Vec::new();
    };
    let list = parsed.value.pointer("/0/variables").and_then(serde_json::Value::as_array).cloned();
    list.into_iter().flatten().filter_map(|v| v.get("name")?.as_str().map(str::to_owned)).collect()
}

fn config(state: &mut State, cursor: &Cursor) -> Vec<CompletionItem> {
    let Some(partial) = cursor.before().trim_start().strip_prefix("[rules.") else { return Vec::new() };
    let loaded = state.workspace_of(&cursor.path).policies();
    loaded
        .policies
        .rules()
        .filter(|(rule, _)| rule.id.starts_with(partial))
        .map(|(rule, _)| item(&rule.id, CompletionItemKind::CONSTANT, &rule.title, ""))
        .collect()
}
