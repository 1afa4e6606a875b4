//! `textDocument/documentSymbol`: a Rego module's package with its rules and functions (read
//! line by line, so a module that does not compile still has an outline); a CEL rule file's
//! top-level keys, with its variables and validations below them.

use lsp_types::{DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolKind};
use serde_json::Value;
use ward_engine::{parse_yaml_stream as parse_stream, ScalarRules};

use crate::files::Role;
use crate::position::{Encoding, Text};
use crate::rego_index::Module;
use crate::rules::line_range;
use crate::state::State;

pub fn document_symbol(state: &mut State, params: &DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
    let document = state.documents.get(&params.text_document.uri)?;
    let symbols = match document.role {
        Role::Rego => rego(&document.text, state.encoding),
        Role::Cel => cel(&document.text, state.encoding),
        _ => Vec::new(),
    };
    Some(DocumentSymbolResponse::Nested(symbols))
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: lsp_types::Range,
    selection: lsp_types::Range,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: None,
    }
}

fn rego(text: &Text, encoding: Encoding) -> Vec<DocumentSymbol> {
    let module = Module::read(&text.text);
    let rules: Vec<DocumentSymbol> = module
        .declarations
        .iter()
        .map(|declaration| {
            let selection = line_range(text, declaration.line, declaration.start, declaration.end, encoding);
            let last = text.line(declaration.last_line).len();
            let range = lsp_types::Range {
                start: selection.start,
                end: line_range(text, declaration.last_line, last, last, encoding).end,
            };
            let kind = if declaration.function { SymbolKind::FUNCTION } else { SymbolKind::PROPERTY };
            symbol(declaration.name.clone(), None, kind, range, selection)
        })
        .collect();
    match &module.package {
        Some((name, line)) => {
            let whole = text.range(0, text.text.len(), encoding);
            let start = "package ".len();
            let selection = line_range(text, *line, start, start + name.len(), encoding);
            let mut package = symbol(name.clone(), None, SymbolKind::NAMESPACE, whole, selection);
            package.children = Some(rules);
            vec![package]
        }
        None => rules,
    }
}

fn cel(text: &Text, encoding: Encoding) -> Vec<DocumentSymbol> {
    let Ok(parsed) = parse_stream(&text.text, ScalarRules::Yaml12, &ward_engine::Limits::default()) else {
        return Vec::new();
    };
    let Some(members) = parsed.value.get(0).and_then(Value::as_object) else { return Vec::new() };
    let range_of = |pointer: &str| {
        let entry = parsed.source_map.entry(pointer).or_else(|| parsed.source_map.get(pointer))?;
        let key = parsed.source_map.key(pointer).unwrap_or(entry);
        Some((text.range(entry.start, entry.end, encoding), text.range(key.start, key.end, encoding)))
    };
    let mut symbols = Vec::new();
    for (key, value) in members {
        let pointer = ward_engine::pointer_push("/0", key);
        let Some((range, selection)) = range_of(&pointer) else { continue };
        let detail = value.as_str().map(|text| text.chars().take(80).collect());
        let kind = match key.as_str() {
            "variables" | "validations" => SymbolKind::ARRAY,
            "match" => SymbolKind::FUNCTION,
            _ => SymbolKind::KEY,
        };
        let mut parent = symbol(key.clone(), detail, kind, range, selection);
        if let Some(list) = value.as_array().filter(|_| kind == SymbolKind::ARRAY) {
            let mut children = Vec::new();
            for (index, element) in list.iter().enumerate() {
                let pointer = format!("{pointer}/{index}");
                let Some(span) = parsed.source_map.get(&pointer) else { continue };
                let range = text.range(span.start, span.end, encoding);
                let (name, detail, kind) = match element.get("name").and_then(Value::as_str) {
                    Some(name) => (name.to_owned(), element.get("expression"), SymbolKind::VARIABLE),
                    None => (format!("{key}[{index}]"), element.get("expression"), SymbolKind::FUNCTION),
                };
                let detail = detail.and_then(Value::as_str).map(|text| text.chars().take(80).collect());
                children.push(symbol(name, detail, kind, range, range));
            }
            parent.children = Some(children);
        }
        symbols.push(parent);
    }
    symbols
}
