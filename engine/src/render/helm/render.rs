//! One render of a chart: every template of the chart and of its enabled subcharts executed
//! with the chart's scope (`.Values`, `.Chart`, `.Release`, `.Capabilities`, `.Files`,
//! `.Template`), the output split into YAML documents and each turned into a
//! [`RenderedObject`] whose pointer → origin table says, for every value, the values line it
//! came from or the template line that wrote it. A template that fails is a [`Diagnostic`] at
//! its line and column; the chart's other templates are still rendered.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::builtins;
use super::chart::{Chart, ChartFile};
use crate::diagnostic::{Diagnostic, Level};
use crate::document::{LineIndex, Position, Span};
use crate::parse::yaml::{parse_stream, ScalarRules};
use crate::parse::Limits;
use crate::render::gotemplate::{Output, Piece, TemplateError, TemplateLimits, Templates, Value};
use crate::render::tracked::{Node, Origin, Tree};
use crate::render::RenderedObject;

/// What one render produced.
#[derive(Debug, Default)]
pub(crate) struct Render {
    pub objects: Vec<RenderedObject>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One chart of the tree with what its templates see.
struct Scope<'c> {
    chart: &'c Chart,
    /// `shop` for the top chart, `shop/charts/redis` for a subchart.
    full_path: String,
    values: Value,
    chart_object: Value,
    files: Value,
}

/// Renders `chart` (settled for one set of values) with `values`, naming each object's
/// renderer `renderer` (the chart's `Chart.yaml`) and environment `environment`; its templates
/// see `capabilities` as `.Capabilities`.
pub(crate) fn render(
    chart: &Chart,
    values: &Node,
    renderer: &str,
    environment: Option<&str>,
    capabilities: &Value,
    limits: &Limits,
) -> Render {
    let mut out = Render::default();
    let mut scopes = Vec::new();
    collect_scopes(chart, values, chart.name.clone(), true, &mut scopes);
    let mut templates = Templates::new(TemplateLimits::default());
    // Helm parses the deepest charts' templates first, so that a parent's `define` replaces a
    // subchart's of the same name.
    let mut order: Vec<(&Scope<'_>, &ChartFile)> =
        scopes.iter().flat_map(|scope| scope.chart.templates.iter().map(move |file| (scope, file))).collect();
    order.sort_by_key(|(scope, file)| (std::cmp::Reverse(scope.full_path.matches('/').count()), file.name.clone()));
    let mut parsed = Vec::new();
    // Scan path → Helm's name of the template (`shop/templates/deployment.yaml`), for messages.
    let mut names = BTreeMap::new();
    for (scope, file) in &order {
        let name = format!("{}/{}", scope.full_path, file.name);
        let path = source_path(scope.chart, file);
        names.insert(path.clone(), name.clone());
        match templates.add(&name, &path, &file.text) {
            Ok(()) => parsed.push((*scope, *file, name)),
            Err(error) => out.diagnostics.push(template_diagnostic(&error, scope.chart, file, &names)),
        }
    }
    let release = builtins::release();
    parsed.sort_by(|a, b| a.2.cmp(&b.2));
    for (scope, file, name) in parsed {
        let base = file.name.rsplit('/').next().unwrap_or("");
        // Partials only define; `NOTES.txt` is printed to the user, not applied (Helm drops
        // every template whose name ends so, `templates/extra-NOTES.txt` too).
        if base.starts_with('_') || base.ends_with("NOTES.txt") {
            continue;
        }
        let data = Value::map(BTreeMap::from([
            ("Values".to_owned(), scope.values.clone()),
            ("Release".to_owned(), release.clone()),
            ("Chart".to_owned(), scope.chart_object.clone()),
            ("Capabilities".to_owned(), capabilities.clone()),
            ("Files".to_owned(), scope.files.clone()),
            ("Template".to_owned(), builtins::template(&name, &format!("{}/templates", scope.full_path))),
        ]));
        match templates.execute(&name, &data) {
            Ok(output) => objects_of(&output, chart, scope.chart, file, renderer, environment, limits, &mut out),
            Err(error) => out.diagnostics.push(template_diagnostic(&error, scope.chart, file, &names)),
        }
    }
    out
}

fn collect_scopes<'c>(chart: &'c Chart, values: &Node, full_path: String, is_root: bool, out: &mut Vec<Scope<'c>>) {
    for (subchart, _) in &chart.subcharts {
        let empty = Node::empty_map(None);
        let table = values.get(&subchart.name).unwrap_or(&empty);
        collect_scopes(subchart, table, format!("{full_path}/charts/{}", subchart.name), false, out);
    }
    out.push(Scope {
        chart,
        full_path,
        values: Value::from_tracked(values),
        chart_object: builtins::chart_object(chart, is_root),
        files: builtins::files(chart),
    });
}

/// The path a template's errors and origins name: its file in the scan, or `<archive>.tgz`.
fn source_path(chart: &Chart, file: &ChartFile) -> String {
    file.path.as_deref().map_or_else(|| chart.dir.clone(), str::to_owned)
}

fn template_diagnostic(
    error: &TemplateError,
    chart: &Chart,
    file: &ChartFile,
    names: &BTreeMap<String, String>,
) -> Diagnostic {
    let position = Position { line: error.line.max(1), column: error.column.max(1) };
    let message = helm_message(error, names);
    match &file.path {
        Some(_) if error.path != chart.dir => {
            // The error may be in another file (a partial `include`d from here).
            Diagnostic::at_position(error.path.clone(), position, message)
        }
        _ => Diagnostic::file(Level::Error, chart.dir.clone(), format!("{}: {message}", file.name)),
    }
}

/// The message as `helm template` prints it: a `required` or `fail` (however deep in
/// `include`s) is `execution error at (shop/templates/secret.yaml:6:16): <its message>`, at the
/// outermost template's place; other errors are Go's own words.
fn helm_message(error: &TemplateError, names: &BTreeMap<String, String>) -> String {
    let called = ["error calling required: ", "error calling fail: "]
        .iter()
        .filter_map(|marker| error.message.find(marker).map(|at| at + marker.len()))
        .min()
        .and_then(|at| error.message.get(at..));
    match called {
        Some(message) => {
            let name = names.get(&error.path).map_or(error.path.as_str(), String::as_str);
            format!("execution error at ({name}:{}:{}): {message}", error.line, error.column)
        }
        None => error.message.clone(),
    }
}

/// Splits one template's output into its YAML documents and adds each object.
#[allow(clippy::too_many_arguments)]
fn objects_of(
    output: &Output,
    root: &Chart,
    chart: &Chart,
    file: &ChartFile,
    renderer: &str,
    environment: Option<&str>,
    limits: &Limits,
    out: &mut Render,
) {
    if output.text.trim().is_empty() {
        return;
    }
    let parsed = match parse_stream(&output.text, ScalarRules::Yaml11, limits) {
        Ok(parsed) => parsed,
        Err(error) => {
            // Where the output stops parsing, in the template that wrote it.
            let at = output.pieces_in(error.span.start..error.span.start.saturating_add(1)).next();
            let message = format!("the rendered output is not YAML: {}", error.message);
            let diagnostic = match at {
                Some(piece) => Diagnostic::at_position(
                    piece.template.path.to_string(),
                    Position { line: piece.template.line, column: piece.template.column },
                    message,
                ),
                None => Diagnostic::file(Level::Error, source_path(chart, file), message),
            };
            out.diagnostics.push(diagnostic);
            return;
        }
    };
    let documents = parsed.value.as_array().cloned().unwrap_or_default();
    let output_path: Arc<str> = Arc::from("");
    let mut texts = TemplateTexts::default();
    for (index, document) in documents.iter().enumerate() {
        if !document.is_object() || document.get("kind").is_none() {
            continue; // an empty document, a comment: Helm drops it
        }
        let mut node = Node::from_parsed(document, &parsed.source_map, &format!("/{index}"), &output_path);
        let mut via = node.clone();
        relocate(&mut node, &mut via, output, &mut texts, root, chart, file);
        let kind = document.get("kind").and_then(serde_json::Value::as_str).unwrap_or("");
        let name = document.pointer("/metadata/name").and_then(serde_json::Value::as_str).unwrap_or("");
        out.objects.push(RenderedObject {
            renderer: renderer.to_owned(),
            source: format!("{kind}/{name}"),
            value: node.to_value(),
            provenance: node.provenance(),
            via: via.provenance(),
            environment: environment.map(str::to_owned),
        });
    }
}

/// The texts of the templates origins point into, read once per output.
#[derive(Default)]
struct TemplateTexts {
    known: BTreeMap<Arc<str>, Option<(Arc<str>, LineIndex)>>,
}

/// Replaces each origin in the output (a span of the rendered text) by where that text was
/// written: the values line of a value that came from values, else the template's text; and in
/// `via` (the same tree), the template action that printed each value that came from values.
fn relocate(
    node: &mut Node,
    via: &mut Node,
    output: &Output,
    texts: &mut TemplateTexts,
    root: &Chart,
    chart: &Chart,
    file: &ChartFile,
) {
    via.origin = None;
    if let Some(origin) = node.origin.take() {
        let scalar = matches!(node.tree, Tree::Scalar(_));
        let written = written_at(origin.span, scalar, output, texts, root, chart, file);
        let key = origin.key.and_then(|key| written_at(key, true, output, texts, root, chart, file)?.0.into());
        if let Some((mut value, printed_by)) = written {
            // A key and its value written in different files cannot be one entry.
            value.key = key.filter(|key: &Origin| key.path == value.path).map(|key| key.span);
            node.origin = Some(value);
            via.origin = printed_by;
        }
    }
    match (&mut node.tree, &mut via.tree) {
        (Tree::Seq(items), Tree::Seq(via_items)) => {
            for (item, via_item) in items.iter_mut().zip(via_items.iter_mut()) {
                relocate(item, via_item, output, texts, root, chart, file);
            }
        }
        (Tree::Map(members), Tree::Map(via_members)) => {
            for ((_, member), (_, via_member)) in members.iter_mut().zip(via_members.iter_mut()) {
                relocate(member, via_member, output, texts, root, chart, file);
            }
        }
        _ => {}
    }
}

/// Where the output text at `span` was written, and for a value from values, the template
/// action that printed it.
#[allow(clippy::too_many_arguments)]
fn written_at(
    span: Span,
    scalar: bool,
    output: &Output,
    texts: &mut TemplateTexts,
    root: &Chart,
    chart: &Chart,
    file: &ChartFile,
) -> Option<(Origin, Option<Origin>)> {
    let mut pieces = output.pieces_in(span.start..span.end.max(span.start + 1));
    let piece = pieces.next()?;
    // A scalar that prints a value is that value's (the last one's, when it prints several:
    // `"{{ .Values.image.repository }}:{{ .Values.image.tag }}"` is the tag's, the part that
    // changes per release), whatever literal text surrounds it. A mapping or a sequence is where
    // it begins: a container is its `- name:` line, not the last value printed inside it.
    let printing = match scalar {
        true => std::iter::once(piece).chain(pieces).filter(|piece| piece.value.is_some()).last(),
        false => Some(piece).filter(|piece| piece.value.is_some()),
    };
    if let Some((printing, origin)) = printing.and_then(|printing| Some((printing, printing.value.as_ref()?))) {
        let printed_by = template_origin(printing, texts, root, chart, file, None);
        return Some((origin.clone(), printed_by));
    }
    let written = output.text.get(span.start..span.end).unwrap_or("");
    let within = span.start.saturating_sub(piece.range.start);
    template_origin(piece, texts, root, chart, file, Some((written, within))).map(|origin| (origin, None))
}

/// Where `piece` was written in its template: with `literal` (the output text and how far into
/// the piece it starts), the literal text itself when the template holds it there; else the
/// whole `{{ … }}` action that printed it.
fn template_origin(
    piece: &Piece,
    texts: &mut TemplateTexts,
    root: &Chart,
    chart: &Chart,
    file: &ChartFile,
    literal: Option<(&str, usize)>,
) -> Option<Origin> {
    let path = Arc::clone(&piece.template.path);
    if file.path.is_none() && path.as_ref() == chart.dir {
        return None; // inside an archive: no line a person can open
    }
    let known = texts.known.entry(Arc::clone(&path)).or_insert_with(|| {
        let text: Arc<str> = if file.path.as_deref() == Some(path.as_ref()) {
            Arc::from(file.text.as_str())
        } else {
            Arc::from(template_text(root, &path)?.as_str())
        };
        let lines = LineIndex::new(&text);
        Some((text, lines))
    });
    let (text, lines) = known.as_ref()?;
    let at = lines.offset(text, Position { line: piece.template.line, column: piece.template.column });
    // Literal template text is copied as it is: the value's own span in the template.
    if let Some((written, within)) = literal {
        if !written.is_empty() && text.get(at + within..).is_some_and(|rest| rest.starts_with(written)) {
            return Some(Origin { path, span: Span::new(at + within, at + within + written.len()), key: None });
        }
    }
    // An action: the whole `{{ … }}`.
    let end = text.get(at..).and_then(|rest| rest.find("}}")).map_or(at, |end| at + end + 2);
    Some(Origin { path, span: Span::new(at, end), key: None })
}

/// The text of a template file of `chart` or its subcharts at scan path `path`.
fn template_text(chart: &Chart, path: &str) -> Option<String> {
    chart
        .templates
        .iter()
        .find(|file| file.path.as_deref() == Some(path))
        .map(|file| file.text.clone())
        .or_else(|| chart.subcharts.iter().find_map(|(subchart, _)| template_text(subchart, path)))
}
