//! Running policies over the graph: every per-resource rule (Rego and CEL) against every
//! resource of its kinds, graph rules once, conftest policies per document — in parallel, with
//! one prepared Rego engine cloned per worker (never per evaluation) and one CEL evaluator shared
//! by all. Results become [`Finding`]s at the line their path points to; a rule that fails is
//! reported, and the others still run.

use std::time::Duration;

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::diagnostic::{Diagnostic, Level};
use crate::document::pointer_from_tokens;
use crate::finding::{sort_findings, Finding, Location, RelatedLocation, Severity};
use crate::graph::{Graph, Resource};
use crate::policy::cel::{CelError, CelInput, CelRule, PreparedCel};
use crate::policy::rego::{LineCoverage, PreparedRego, RegoRule};
use crate::policy::rule_error::RelatedError;
use crate::policy::{Policies, RelatedTarget, ResultLevel, RuleMetadata, RuleResult, RuleScope};

/// The label of kustomize patches: partial objects that per-resource rules do not judge.
const PATCH_LABEL: &str = "patch";

/// How to evaluate.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Worker threads; 0 for one per core.
    pub jobs: usize,
    /// How long one rule may take on one resource.
    pub rule_time_limit: Duration,
    /// Record which Rego lines run (for `ward test --coverage`). Evaluation is then sequential,
    /// on one engine, so that nothing it records is lost with a worker's clone.
    pub coverage: bool,
}

impl Default for EvalOptions {
    fn default() -> EvalOptions {
        EvalOptions { jobs: 0, rule_time_limit: Duration::from_secs(5), coverage: false }
    }
}

/// What evaluation found, and what went wrong while finding it.
#[derive(Debug, Default)]
pub struct Evaluation {
    /// Sorted by path, line, column, rule.
    pub findings: Vec<Finding>,
    /// Rules that failed on some input (the run cannot be trusted).
    pub errors: Vec<Diagnostic>,
    /// Rule × input evaluations run.
    pub evaluations: usize,
    /// With [`EvalOptions::coverage`]: the Rego lines that ran and did not, per file.
    pub coverage: Vec<LineCoverage>,
}

/// Evaluates `policies` over `graph`.
pub fn evaluate(graph: &Graph, policies: &Policies, options: &EvalOptions) -> Evaluation {
    // Building the graph's JSON and loading it into the engines costs as much as thousands of
    // evaluations: done only when some rule reads it.
    let (rego_graph, cel_graph) = (policies.rego.uses_graph(), policies.cel.uses_graph());
    let graph_json = (rego_graph || cel_graph).then(|| graph.to_policy_json());
    let cel = policies.cel.prepare(graph_json.as_ref().filter(|_| cel_graph), &policies.params);
    let mut prepared = match policies.rego.prepare(graph_json.filter(|_| rego_graph), options.rule_time_limit) {
        Ok(prepared) => prepared,
        Err(message) => {
            let mut evaluation = Evaluation::default();
            evaluation.errors.push(Diagnostic::file(
                Level::Error,
                "",
                format!("cannot prepare the Rego engine: {message}"),
            ));
            return evaluation;
        }
    };
    let rules =
        Rules { rego: &policies.rego.rules, cel: &policies.cel.rules, cel_evaluator: &cel, params: &policies.params };
    if options.coverage {
        prepared.set_coverage(true);
        let mut engine = prepared;
        let mut parts: Vec<Evaluation> =
            graph.resources.iter().map(|resource| evaluate_resource(graph, &rules, &mut engine, resource)).collect();
        parts.extend(
            (0..graph.documents.len()).map(|document| evaluate_conftest(graph, rules.rego, &mut engine, document)),
        );
        return finish(graph, &rules, engine, parts);
    }
    let run = || {
        let per_resource: Vec<Evaluation> = graph
            .resources
            .par_iter()
            .map_init(|| prepared.clone(), |engine, resource| evaluate_resource(graph, &rules, engine, resource))
            .collect();
        let per_document: Vec<Evaluation> = (0..graph.documents.len())
            .into_par_iter()
            .map_init(|| prepared.clone(), |engine, document| evaluate_conftest(graph, rules.rego, engine, document))
            .collect();
        (per_resource, per_document)
    };
    let (per_resource, per_document) = match rayon::ThreadPoolBuilder::new().num_threads(options.jobs).build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    finish(graph, &rules, prepared, per_resource.into_iter().chain(per_document).collect())
}

/// Adds the graph rules' results to the per-resource ones, and puts everything in report order.
fn finish(graph: &Graph, rules: &Rules, mut engine: PreparedRego, parts: Vec<Evaluation>) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for part in parts {
        evaluation.findings.extend(part.findings);
        evaluation.errors.extend(part.errors);
        evaluation.evaluations += part.evaluations;
    }
    let graph_part = evaluate_graph_rules(graph, rules, &mut engine);
    evaluation.findings.extend(graph_part.findings);
    evaluation.errors.extend(graph_part.errors);
    evaluation.evaluations += graph_part.evaluations;
    sort_findings(&mut evaluation.findings);
    evaluation.errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    evaluation.coverage = engine.coverage();
    evaluation
}

/// What a per-resource rule sees about the resource besides its value.
fn meta(graph: &Graph, resource: &Resource) -> Value {
    json!({
        "id": resource.id,
        "kind": resource.kind.name(),
        "type": resource.resource_type,
        "name": resource.name,
        "path": graph.document_of(resource).map(|d| d.path.as_str()),
        "line": resource.region.start.line,
        "environment": resource.environment,
        "labels": resource.labels,
    })
}

/// The rules of a run, the CEL evaluator every worker shares, and the rules' params.
struct Rules<'a> {
    rego: &'a [RegoRule],
    cel: &'a [CelRule],
    cel_evaluator: &'a PreparedCel,
    params: &'a [Value],
}

impl Rules<'_> {
    fn params(&self, index: usize) -> &Value {
        static EMPTY: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
        self.params.get(index).unwrap_or_else(|| EMPTY.get_or_init(|| json!({})))
    }
}

/// Whether a per-resource rule looks at `resource`: its kinds, and never kustomize patches.
fn applies(metadata: &RuleMetadata, resource: &Resource) -> bool {
    metadata.scope == RuleScope::Resource
        && (metadata.kinds.is_empty() || metadata.kinds.contains(&resource.kind))
        && !resource.labels.contains(PATCH_LABEL)
}

fn evaluate_resource(graph: &Graph, rules: &Rules, engine: &mut PreparedRego, resource: &Resource) -> Evaluation {
    let mut part = Evaluation::default();
    let mut rego: Vec<&RegoRule> =
        rules.rego.iter().filter(|rule| !rule.conftest && applies(&rule.metadata, resource)).collect();
    let cel: Vec<&CelRule> = rules.cel.iter().filter(|rule| applies(&rule.metadata, resource)).collect();
    if rego.is_empty() && cel.is_empty() {
        return part;
    }
    let meta = meta(graph, resource);
    if !cel.is_empty() {
        let input = CelInput::new(&resource.value, &meta);
        for rule in cel {
            part.evaluations += 1;
            match rules.cel_evaluator.evaluate(rule, Some(&input)) {
                Ok(results) => record(&mut part, graph, &rule.metadata, &rule.path, resource, &results),
                Err(error) => part.errors.push(cel_error(rule, &resource.id, &error)),
            }
        }
    }
    if !rego.is_empty() {
        // Rules that share params share an input: one `set_input` per distinct params (usually
        // one per pack), not one per rule.
        rego.sort_by_key(|rule| rule.params);
        for group in rego.chunk_by(|a, b| a.params == b.params) {
            let Some(first) = group.first() else { continue };
            engine.set_resource_input(&resource.value, &meta, rules.params(first.params));
            for rule in group {
                part.evaluations += 1;
                match engine.evaluate(rule) {
                    Ok(results) => record(&mut part, graph, &rule.metadata, &rule.path, resource, &results),
                    Err(message) => part.errors.push(rule_error(&rule.metadata, &rule.path, &resource.id, &message)),
                }
            }
        }
    }
    part
}

fn evaluate_graph_rules(graph: &Graph, rules: &Rules, engine: &mut PreparedRego) -> Evaluation {
    let mut part = Evaluation::default();
    let rego: Vec<&RegoRule> =
        rules.rego.iter().filter(|r| !r.conftest && r.metadata.scope == RuleScope::Graph).collect();
    let cel: Vec<&CelRule> = rules.cel.iter().filter(|r| r.metadata.scope == RuleScope::Graph).collect();
    for rule in cel {
        part.evaluations += 1;
        match rules.cel_evaluator.evaluate(rule, None) {
            Ok(results) => graph_findings(graph, &rule.metadata, &rule.path, &results, &mut part),
            Err(error) => part.errors.push(cel_error(rule, "the graph", &error)),
        }
    }
    if rego.is_empty() {
        return part;
    }
    for rule in rego {
        engine.set_input(&json!({"params": rules.params(rule.params)}));
        part.evaluations += 1;
        match engine.evaluate(rule) {
            Ok(results) => graph_findings(graph, &rule.metadata, &rule.path, &results, &mut part),
            Err(message) => part.errors.push(rule_error(&rule.metadata, &rule.path, "the graph", &message)),
        }
    }
    part
}

/// A graph rule's results, each about the resource it names.
fn graph_findings(graph: &Graph, metadata: &RuleMetadata, path: &str, results: &[RuleResult], part: &mut Evaluation) {
    for result in results {
        match result.resource.as_deref().and_then(|id| graph.resource(id)) {
            Some(resource) => match finding(graph, metadata, resource, result) {
                Ok(found) => part.findings.extend(found),
                Err(message) => part.errors.push(rule_error(metadata, path, "the graph", &message)),
            },
            None => part.errors.push(rule_error(
                metadata,
                path,
                "the graph",
                &format!("a graph rule's result must name an existing `resource`; got {:?}", result.resource),
            )),
        }
    }
}

/// conftest policies see each document (each YAML document of a stream) as a bare `input`;
/// their findings sit on the first resource of that document, or the document's first line.
fn evaluate_conftest(graph: &Graph, rules: &[RegoRule], engine: &mut PreparedRego, index: usize) -> Evaluation {
    let mut part = Evaluation::default();
    let conftest: Vec<&RegoRule> = rules.iter().filter(|rule| rule.conftest).collect();
    let Some(document) = graph.documents.get(index) else { return part };
    if conftest.is_empty() {
        return part;
    }
    // Each kind says what conftest reads of it.
    let inputs = crate::kinds::spec(document.kind).conftest_input.inputs(&document.value);
    for (pointer, input) in inputs {
        engine.set_input(input);
        let resource = graph
            .resources
            .iter()
            .find(|r| r.document == index && (r.pointer == pointer || r.pointer.starts_with(&format!("{pointer}/"))));
        for rule in &conftest {
            part.evaluations += 1;
            match engine.evaluate(rule) {
                Ok(results) => {
                    for result in &results {
                        // conftest policies know nothing of ward's graph: they name no other places.
                        let region = document
                            .region_of(&pointer)
                            .unwrap_or_else(|| document.lines.region(&document.text, crate::Span::new(0, 0)));
                        let resource_id = resource.map_or_else(|| document.path.clone(), |r| r.id.clone());
                        part.findings.push(Finding {
                            rule_id: rule.metadata.id.clone(),
                            severity: severity_of(rule.metadata.severity, result.level),
                            message: result.message.clone(),
                            location: Location { path: document.path.clone(), start: region.start, end: region.end },
                            // conftest results carry no path: the message is what tells two
                            // results of one policy about one document apart.
                            fingerprint: Finding::fingerprint_of(&rule.metadata.id, &resource_id, &result.message),
                            resource: resource_id,
                            pointer: pointer.clone(),
                            pack: rule.metadata.pack.clone(),
                            related: Vec::new(),
                        });
                    }
                }
                Err(message) => part.errors.push(rule_error(&rule.metadata, &rule.path, &document.path, &message)),
            }
        }
    }
    part
}

/// `deny` results carry the rule's severity; `warn` results are `low` at most.
fn severity_of(rule: Severity, level: ResultLevel) -> Severity {
    match level {
        ResultLevel::Deny => rule,
        ResultLevel::Warn => rule.min(Severity::Low),
    }
}

/// A result as a finding: its path, relative to the resource, mapped through the document's
/// source map to a line (the nearest mapped ancestor when the path names something absent), and
/// each related place likewise. A related place that names no resource or document of the
/// graph is the rule's error: a finding must not point where nothing is.
/// Adds what one rule returned for `resource` to `part`: a finding per result, or an error for
/// a result that cannot be made one.
fn record(
    part: &mut Evaluation,
    graph: &Graph,
    rule: &RuleMetadata,
    path: &str,
    resource: &Resource,
    results: &[RuleResult],
) {
    for result in results {
        match finding(graph, rule, resource, result) {
            Ok(found) => part.findings.extend(found),
            Err(message) => part.errors.push(rule_error(rule, path, &resource.id, &message)),
        }
    }
}

fn finding(
    graph: &Graph,
    rule: &RuleMetadata,
    resource: &Resource,
    result: &RuleResult,
) -> Result<Option<Finding>, RelatedError> {
    let Some((location, relative)) = locate_in(graph, resource, &result.path) else { return Ok(None) };
    let related =
        result.related.iter().map(|target| related_location(graph, resource, target)).collect::<Result<_, _>>()?;
    Ok(Some(Finding {
        rule_id: rule.id.clone(),
        severity: severity_of(rule.severity, result.level),
        message: result.message.clone(),
        location,
        fingerprint: Finding::fingerprint_of(&rule.id, &resource.id, &relative),
        resource: resource.id.clone(),
        pointer: relative,
        pack: rule.pack.clone(),
        related,
    }))
}

/// Where `path` (keys and indices, relative to the resource's value) is in the resource's
/// file, and the path as a JSON pointer relative to the resource.
fn locate_in(graph: &Graph, resource: &Resource, path: &[String]) -> Option<(Location, String)> {
    let document = graph.document_of(resource)?;
    let relative = pointer_from_tokens(path);
    let pointer = format!("{}{relative}", resource.pointer);
    let region = if relative.is_empty() { Some(resource.region) } else { document.region_of(&pointer) };
    let region = region.unwrap_or(resource.region);
    Some((Location { path: document.path.clone(), start: region.start, end: region.end }, relative))
}

/// A related place of a result about `resource`, as a location.
fn related_location(
    graph: &Graph,
    resource: &Resource,
    target: &RelatedTarget,
) -> Result<RelatedLocation, RelatedError> {
    let location = match (&target.resource, &target.document) {
        (Some(id), _) => {
            let other = graph.resource(id).ok_or_else(|| RelatedError::NoSuchResource(id.clone()))?;
            locate_in(graph, other, &target.path).map(|(location, _)| location)
        }
        (None, Some(path)) => {
            let document = graph
                .documents
                .iter()
                .find(|document| &document.path == path)
                .ok_or_else(|| RelatedError::NoSuchDocument(path.clone()))?;
            let region = document
                .region_of(&pointer_from_tokens(&target.path))
                .unwrap_or_else(|| document.lines.region(&document.text, crate::Span::new(0, 0)));
            Some(Location { path: document.path.clone(), start: region.start, end: region.end })
        }
        (None, None) => locate_in(graph, resource, &target.path).map(|(location, _)| location),
    };
    let location = location.ok_or(RelatedError::NoDocument)?;
    Ok(RelatedLocation { location, message: target.message.clone() })
}

/// A rule (in the file at `path`) that failed on `subject`: the run cannot be trusted.
fn rule_error(rule: &RuleMetadata, path: &str, subject: &str, message: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::file(Level::Error, path, format!("rule {} failed on {subject}: {message}", rule.id))
}

/// A CEL rule that failed, at the expression that failed in its file.
fn cel_error(rule: &CelRule, subject: &str, error: &CelError) -> Diagnostic {
    let mut diagnostic = rule_error(&rule.metadata, &rule.path, subject, &error.message);
    diagnostic.position = Some(error.position);
    diagnostic
}
