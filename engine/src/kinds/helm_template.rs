//! Helm chart templates (`templates/*.yaml` with `{{`, `templates/*.tpl`): Go templates, not
//! YAML. No rule judges one on its own — what it renders is judged, as the chart's objects
//! ([`crate::render`]) — but it is a document of the scan, so that a finding on a rendered
//! value can point at the template line that wrote it, with its code frame, in the SARIF and
//! in the editor. Its value lists the templates it `define`s.

use serde_json::{json, Value};

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::{Parsed, SourceMap, Span};
use crate::parse::{Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: None,
    detect,
    claim: None,
    parse,
    resources: Resources::Split(|_| Vec::new()),
    conftest_input: ConftestInput::Nothing,
    // A `#` line is a YAML comment in the output: where a `ward:ignore` in a template goes.
    comment_marker: |_| Some("#"),
    highlight: |_| "yaml",
    schema: include_str!("../../../schemas/helm-template.schema.json"),
    resource_schema: "",
    images: None,
    workload: None,
};

/// A `.tpl` file in a chart's `templates/` (templates that are YAML files are told by their
/// content: [`super::is_helm_template`]).
fn detect(file: &FilePath) -> Option<Detection> {
    let in_templates = file.dirs().any(|dir| dir == "templates");
    (in_templates && file.extension() == "tpl")
        .then(|| Detection::of(DocumentKind::HelmTemplate, DetectedBy::Extension))
}

/// The names the template `define`s, each with the span of its `{{ define "…" }}`.
fn parse(_path: &str, text: &str, _limits: &Limits) -> Result<Parsed, ParseError> {
    let mut source_map = SourceMap::new();
    source_map.insert("", Span::new(0, text.len()));
    source_map.insert("/defines", Span::new(0, text.len()));
    let mut defines = Vec::new();
    let mut rest = 0;
    while let Some(found) = text.get(rest..).and_then(|tail| tail.find("{{")) {
        let start = rest + found;
        let Some(end) = text.get(start..).and_then(|tail| tail.find("}}")).map(|end| start + end + 2) else { break };
        let action = text.get(start + 2..end - 2).unwrap_or("").trim_matches(|c: char| c == '-' || c.is_whitespace());
        if let Some(name) = action.strip_prefix("define").map(str::trim).and_then(quoted) {
            source_map.insert(format!("/defines/{}", defines.len()), Span::new(start, end));
            defines.push(Value::String(name.to_owned()));
        }
        rest = end;
    }
    Ok(Parsed { value: json!({ "defines": defines }), source_map })
}

/// The text of a Go string literal (`"shop.labels"` or `` `x` ``).
fn quoted(text: &str) -> Option<&str> {
    let text = text.trim();
    text.strip_prefix('"')
        .and_then(|rest| rest.split_once('"'))
        .or_else(|| text.strip_prefix('`').and_then(|rest| rest.split_once('`')))
        .map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn a_template_lists_what_it_defines() {
        let text = "{{- define \"shop.name\" -}}\nshop\n{{- end }}\n{{ define `shop.labels` }}a: b{{ end }}\n";
        let parsed = parse("templates/_helpers.tpl", text, &Limits::default()).unwrap();
        assert_eq!(parsed.value, json!({"defines": ["shop.name", "shop.labels"]}));
        assert_eq!(parsed.source_map.get("/defines/1").map(|span| span.start), Some(text.find("{{ define `").unwrap()));
    }
}
