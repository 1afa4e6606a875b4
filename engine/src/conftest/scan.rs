//! conftest policies in `ward scan`: each document's conftest inputs — what conftest's parser for
//! the file makes of it, one per document of a YAML stream — checked against every conftest
//! namespace of the run, as `conftest test
//! --all-namespaces` would, and each failure or warning made a finding. conftest can only say
//! "this file"; ward places a finding at the resource its message names — a Kubernetes object by
//! its name (and kind), a Terraform block by its name (and type) — and otherwise at the input's
//! first line.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Level};
use crate::document::{Document, Region, Span};
use crate::finding::{Finding, Location, RelatedLocation, Severity};
use crate::graph::{Graph, Resource};
use crate::kinds::ConftestInput;
use crate::parse::Limits;
use crate::policy::conftest_class::ConftestLevel;
use crate::policy::rego::{PreparedRego, RegoRule};
use crate::profile::Profiler;

use super::check::{check_namespace, evaluate_path, set_input, CheckMessage, Namespace};
use super::input::Parser;

/// The conftest namespaces of a run's rules: each rule's namespace, its rules in order, with
/// the rule (for its metadata) by name.
pub(crate) fn namespaces(rules: &[RegoRule]) -> Vec<(Namespace, BTreeMap<String, &RegoRule>)> {
    let mut namespaces: Vec<(Namespace, BTreeMap<String, &RegoRule>)> = Vec::new();
    for rule in rules {
        let Some(conftest) = &rule.conftest_rule else { continue };
        let at = match namespaces.iter().position(|(namespace, _)| namespace.name == conftest.namespace) {
            Some(at) => at,
            None => {
                let namespace = Namespace {
                    name: conftest.namespace.clone(),
                    rules: Vec::new(),
                    definitions: 0,
                    exception: conftest.exception,
                };
                namespaces.push((namespace, BTreeMap::new()));
                namespaces.len() - 1
            }
        };
        if let Some((namespace, by_name)) = namespaces.get_mut(at) {
            namespace.rules.push((conftest.name.clone(), conftest.level));
            namespace.definitions += conftest.definitions;
            namespace.exception |= conftest.exception;
            by_name.insert(conftest.name.clone(), rule);
        }
    }
    namespaces.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    namespaces
}

/// What checking one document against the conftest namespaces found: evaluation
/// ([`crate::eval`]) merges it into its own results.
#[derive(Default)]
pub(crate) struct DocumentCheck {
    pub(crate) findings: Vec<Finding>,
    pub(crate) errors: Vec<Diagnostic>,
    /// Rule × input evaluations run.
    pub(crate) evaluations: usize,
    /// When profiling: the time each namespace took on the document.
    pub(crate) profiler: Option<Profiler>,
}

/// Checks document `index` of `graph` against the conftest rules among `rules`: a finding for
/// every failure and warning, an error for a policy that fails on it.
pub(crate) fn evaluate_document(
    graph: &Graph,
    rules: &[RegoRule],
    engine: &mut PreparedRego,
    index: usize,
    profile: bool,
) -> DocumentCheck {
    let mut part = DocumentCheck::default();
    let Some(document) = graph.documents.get(index) else { return part };
    // A module `terraform init` downloaded is read for the calls that reach it, not as a file of
    // the repository.
    if !rules.iter().any(|rule| rule.conftest_rule.is_some()) || crate::graph::is_in_download_cache(&document.path) {
        return part;
    }
    let namespaces = namespaces(rules);
    let resources: Vec<&Resource> = graph.resources.iter().filter(|resource| resource.document == index).collect();
    let inputs = match document_inputs(document) {
        Ok(inputs) => inputs,
        Err(error) => {
            part.errors.push(error);
            return part;
        }
    };
    let whole = inputs.len() <= 1;
    for (input, span) in &inputs {
        set_input(engine.engine_mut(), input);
        let here: Vec<&Resource> = resources
            .iter()
            .copied()
            .filter(|resource| {
                whole || (resource.region.span.start >= span.start && resource.region.span.start <= span.end)
            })
            .collect();
        let fallback = match whole {
            true => file_start(document),
            false => document.lines.region(&document.text, Span::new(span.start, span.start)),
        };
        let place = |message: &CheckMessage| {
            let resource = named_resource(&here, &message.message);
            let region = match resource {
                Some(resource) => resource.region,
                None => named_place(document, *span, whole, &message.message).unwrap_or(fallback),
            };
            let resource_id = resource.map_or_else(|| document.path.clone(), |resource| resource.id.clone());
            Placed {
                location: Location { path: document.path.clone(), start: region.start, end: region.end },
                identity: resource_id.clone(),
                resource: resource_id,
                related: Vec::new(),
                environments: Vec::new(),
            }
        };
        check_input(&mut part, engine, &namespaces, &document.path, profile, &place);
    }
    // The objects a kustomization or a chart renders here, each an input as `kustomize build |
    // conftest test -` or `helm template | conftest test -` gives it; a finding on one is placed
    // where the object was written (its base, the chart's template), as ward's own findings on
    // rendered objects are.
    for resource in resources.iter().filter(|resource| resource.rendered.is_some()) {
        if rendered_as_written(graph, resource) {
            // The file it was written in is an input of its own, with the same findings.
            continue;
        }
        set_input(engine.engine_mut(), &resource.value);
        let placed = rendered_place(graph, document, resource);
        check_input(&mut part, engine, &namespaces, &document.path, profile, &|_| placed.clone());
    }
    part
}

/// Where a finding goes and what it is about.
#[derive(Debug, Clone)]
struct Placed {
    location: Location,
    resource: String,
    /// What the fingerprint knows the resource by.
    identity: String,
    related: Vec<RelatedLocation>,
    environments: Vec<String>,
}

/// Checks the engine's current input against every namespace: a finding for each failure and
/// warning, placed by `place`.
fn check_input(
    part: &mut DocumentCheck,
    engine: &mut PreparedRego,
    namespaces: &[(Namespace, BTreeMap<String, &RegoRule>)],
    path: &str,
    profile: bool,
    place: &dyn Fn(&CheckMessage) -> Placed,
) {
    for (namespace, by_name) in namespaces {
        let started = profile.then(std::time::Instant::now);
        part.evaluations += namespace.rules.len();
        let checked = check_namespace(path, namespace, &mut |query| evaluate_path(engine.engine_mut(), query, None));
        let checked = match checked {
            Ok(checked) => checked,
            Err(error) => {
                let rule_path = by_name.values().next().map_or("", |rule| rule.path.as_str());
                part.errors.push(Diagnostic::file(
                    Level::Error,
                    rule_path,
                    format!("conftest namespace {} failed on {path}: {error}", namespace.name),
                ));
                continue;
            }
        };
        let before = part.findings.len();
        let levels = [(ConftestLevel::Failure, &checked.failures), (ConftestLevel::Warning, &checked.warnings)];
        for (level, messages) in levels {
            for message in messages {
                let Some(rule) = rule_of(message, by_name) else { continue };
                let placed = place(message);
                part.findings.push(Finding {
                    rule_id: rule.metadata.id.clone(),
                    severity: match level {
                        ConftestLevel::Failure => rule.metadata.severity,
                        ConftestLevel::Warning => rule.metadata.severity.min(Severity::Low),
                    },
                    message: message.message.clone(),
                    location: placed.location,
                    // conftest results carry no path: the message is what tells two results
                    // of one rule about one input apart.
                    fingerprint: Finding::fingerprint_of(&rule.metadata.id, &placed.identity, &message.message),
                    resource: placed.resource,
                    pointer: String::new(),
                    pack: rule.metadata.pack.clone(),
                    related: placed.related,
                    environments: placed.environments,
                    details: details_of(message),
                });
            }
        }
        if let (Some(rule), Some(started)) = (by_name.values().next(), started) {
            let found = part.findings.len().saturating_sub(before);
            let profiler = part.profiler.get_or_insert_with(Profiler::default);
            profiler.record(&rule.metadata.id, Some(path), started.elapsed(), found);
        }
    }
}

/// Where a finding on a rendered object goes: where the object was written (the base's or the
/// template's line), known by that place as ward's own findings on rendered objects are, with
/// the kustomization or chart that rendered it as a related place; the renderer itself when
/// the object was written in no file of the scan.
fn rendered_place(graph: &Graph, renderer: &Document, resource: &Resource) -> Placed {
    let at_renderer = Location { path: renderer.path.clone(), start: resource.region.start, end: resource.region.end };
    let Some(from) = resource.rendered.as_deref() else {
        return Placed {
            location: at_renderer,
            resource: resource.id.clone(),
            identity: resource.id.clone(),
            related: Vec::new(),
            environments: Vec::new(),
        };
    };
    let origin = from.provenance.lookup("").and_then(|(_, origin)| {
        let document = graph.document_at(&origin.path)?;
        let region = document.lines.region(&document.text, origin.entry());
        Some(Location { path: document.path.clone(), start: region.start, end: region.end })
    });
    let location = origin.unwrap_or_else(|| at_renderer.clone());
    Placed {
        identity: format!("k8s:{}@{}", from.source, location.path),
        location,
        resource: resource.id.clone(),
        related: vec![RelatedLocation {
            location: at_renderer,
            message: Some(format!("rendered by {}", from.renderer)),
        }],
        environments: resource.environment.iter().cloned().collect(),
    }
}

/// Whether a rendered object is the object it was written as, unchanged (a base rendered by
/// its own kustomization): the file's own check already judges that input.
fn rendered_as_written(graph: &Graph, resource: &Resource) -> bool {
    let Some((_, origin)) = resource.rendered.as_deref().and_then(|from| from.provenance.lookup("")) else {
        return false;
    };
    let Some(at) = graph.document_index(&origin.path) else {
        return false;
    };
    graph.resources.iter().any(|written| {
        written.document == at
            && written.rendered.is_none()
            && written.region.span.start <= origin.span.start
            && origin.span.start <= written.region.span.end
            && written.value == resource.value
    })
}

/// A document's conftest inputs, each with the span it came from: what conftest's parser for
/// the file's name makes of its text (`conftest test` on the file sees the same), or for a name
/// conftest has no parser for, the inputs the document's kind gives of ward's value.
fn document_inputs(document: &Document) -> Result<Vec<(Value, Span)>, Diagnostic> {
    let conftest_input = crate::kinds::spec(document.kind).conftest_input;
    if conftest_input == ConftestInput::Nothing {
        return Ok(Vec::new());
    }
    let Some(parser) = Parser::from_path(&document.path) else {
        return Ok(conftest_input
            .inputs(&document.value)
            .into_iter()
            .map(|(pointer, value)| {
                let span = document.source_map.get(&pointer).unwrap_or(Span::new(0, 0));
                (value.clone(), span)
            })
            .collect());
    };
    let parsed = parser.parse(&document.text, &Limits::default()).map_err(|error| {
        Diagnostic::at(
            &document.path,
            &document.text,
            error.span,
            format!("conftest's {} parser: {}", parser.name(), error.message),
        )
    })?;
    Ok(parsed.inputs().into_iter().map(|(value, span)| (value.clone(), span)).collect())
}

/// The members of a result object besides `msg`, which conftest's JSON output shows as the
/// result's `metadata`; without the `query` ward adds there, which the finding's rule already
/// names.
fn details_of(message: &CheckMessage) -> BTreeMap<String, Value> {
    message
        .metadata
        .iter()
        .filter(|(key, _)| key.as_str() != "query")
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

/// The rule a message came from, by the query in its metadata.
fn rule_of<'a>(message: &CheckMessage, by_name: &BTreeMap<String, &'a RegoRule>) -> Option<&'a RegoRule> {
    let query = message.metadata.get("query")?.as_str()?;
    let name = query.rsplit('.').next()?;
    by_name.get(name).copied()
}

/// The first line of a file.
fn file_start(document: &Document) -> Region {
    document.lines.region(&document.text, crate::Span::new(0, 0))
}

/// The resource of the input a message names: one whose name appears in it as a whole word,
/// preferring one whose kind or type does too, then the longest name.
fn named_resource<'a>(resources: &[&'a Resource], message: &str) -> Option<&'a Resource> {
    let lowered = message.to_lowercase();
    resources
        .iter()
        .copied()
        .filter_map(|resource| {
            let name = resource.name.as_deref().filter(|name| !name.is_empty())?;
            let qualified = format!("{}.{name}", resource.resource_type);
            let named = contains_word(message, &qualified) || contains_word(message, name);
            let typed = contains_word(&lowered, &resource.resource_type.to_lowercase());
            named.then_some((typed, name.len(), resource))
        })
        .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)))
        .map(|(_, _, resource)| resource)
}

/// The place in a document of no named resources (a TOML, INI, XML, properties, HCL1, SBOM,
/// dotenv or Dockerfile input, or a YAML object whose message names none) that a message names:
/// a string value or a key of the input that occurs in it as a whole word and on no other line
/// of the input. Values come first (they are names: a component's, a plugin's; keys are often
/// words of the format: `component`, `name`); among them the one named first in the message,
/// the longest of those at one place. `None` when the message names no such thing.
fn named_place(document: &Document, input: Span, whole: bool, message: &str) -> Option<Region> {
    // Kubernetes objects and Terraform blocks are named by [`named_resource`]; their keys
    // (`spec`, `resource`) say nothing about where.
    if matches!(document.kind, crate::DocumentKind::Kubernetes | crate::DocumentKind::Terraform) {
        return None;
    }
    let within = |span: Span| whole || (span.start >= input.start && span.start <= input.end);
    // (is a key, token) → where it occurs.
    let mut candidates: BTreeMap<(bool, String), Vec<Span>> = BTreeMap::new();
    let mut keys: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    for (pointer, span) in document.source_map.iter_keys() {
        let key = pointer.rsplit('/').next().unwrap_or("").replace("~1", "/").replace("~0", "~");
        if within(span) {
            keys.entry(key).or_default().push(span);
        }
    }
    let mut values: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    collect_strings(&document.value, "", 0, &mut |pointer, text| {
        if let Some(span) = document.source_map.get(pointer).filter(|span| within(*span)) {
            values.entry(text.to_owned()).or_default().push(span);
        }
    });
    // A token that is both a key and a value somewhere names no one place.
    for (token, spans) in values {
        let both = keys.remove(&token);
        candidates.insert((false, token), spans.into_iter().chain(both.into_iter().flatten()).collect());
    }
    candidates.extend(keys.into_iter().map(|(token, spans)| ((true, token), spans)));
    // A token is a place when all its occurrences are on one line (a Dockerfile's image is
    // both its `FROM`'s argument and its stage's base, on one line).
    let line_of = |span: &Span| document.lines.position(&document.text, span.start).line;
    candidates
        .into_iter()
        .filter(|((_, token), spans)| {
            distinctive(token) && spans.iter().all(|span| spans.first().map(line_of) == Some(line_of(span)))
        })
        .filter_map(|((key, token), spans)| {
            let at = first_word_at(message, &token)?;
            spans.first().map(|span| ((key, at, std::cmp::Reverse(token.len())), *span))
        })
        .min_by_key(|(rank, _)| *rank)
        .map(|(_, span)| document.lines.region(&document.text, Span::new(span.start, span.start)))
}

/// Whether a token tells one place from another: not too short, not a bare number or boolean.
fn distinctive(token: &str) -> bool {
    token.chars().count() >= 3
        && token.len() <= 256
        && !token.contains('\n')
        && !token.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !matches!(token, "true" | "false" | "null")
}

/// Every string value of `value` with its pointer, `depth` bounded.
fn collect_strings(value: &Value, pointer: &str, depth: usize, found: &mut dyn FnMut(&str, &str)) {
    if depth > 64 {
        return;
    }
    match value {
        Value::String(text) => found(pointer, text),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_strings(item, &crate::document::pointer_push(pointer, &index.to_string()), depth + 1, found);
            }
        }
        Value::Object(members) => {
            for (key, item) in members {
                collect_strings(item, &crate::document::pointer_push(pointer, key), depth + 1, found);
            }
        }
        _ => {}
    }
}

/// Where `word` first occurs in `text` as a whole word.
fn first_word_at(text: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let is_part = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    text.match_indices(word).map(|(at, _)| at).find(|&at| {
        let before = text.get(..at).and_then(|before| before.chars().next_back());
        let after = text.get(at + word.len()..).and_then(|after| after.chars().next());
        !before.is_some_and(is_part) && !after.is_some_and(is_part)
    })
}

/// Whether `word` occurs in `text` with no identifier character (letter, digit, `_`, `-`)
/// right before or after it.
fn contains_word(text: &str, word: &str) -> bool {
    first_word_at(text, word).is_some()
}

#[cfg(test)]
mod tests {
    use super::contains_word;

    #[test]
    fn names_are_matched_as_whole_words() {
        assert!(contains_word("Deployment hello-kubernetes must have labels", "hello-kubernetes"));
        assert!(contains_word("ALB `my-alb-listener` is using HTTP", "my-alb-listener"));
        assert!(!contains_word("Deployment hello-kubernetes-2 must have labels", "hello-kubernetes"));
        assert!(!contains_word("api-gateway", "api"));
        assert!(contains_word("aws_s3_bucket.logs is public", "aws_s3_bucket.logs"));
    }
}
