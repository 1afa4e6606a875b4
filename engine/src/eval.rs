//! Running policies over the graph: every per-resource rule (Rego and CEL) against every
//! resource of its kinds, graph rules once, conftest policies per document — in parallel, with
//! one prepared Rego engine cloned per worker (never per evaluation) and one CEL evaluator shared
//! by all. Results become [`Finding`]s at the line their path points to; a rule that fails is
//! reported, and the others still run.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::diagnostic::{attach_sources, Diagnostic, Level};
use crate::document::pointer_from_tokens;
use crate::finding::{sort_findings, Finding, Location, RelatedLocation, Severity};
use crate::graph::{CalledFrom, Graph, RenderedFrom, Resource};
use crate::memory_budget::MemoryBudget;
use crate::policy::cel::{CelError, CelInput, CelRule, PreparedCel};
use crate::policy::rego::{LineCoverage, PreparedRego, RegoRule, RegoValue};
use crate::policy::rule_error::{RelatedError, RuleError};
use crate::policy::{Policies, RelatedTarget, ResultLevel, RuleMetadata, RuleResult, RuleScope};
use crate::profile::{Profiler, RuleProfile, StageClock, StageProfile};

/// The label of kustomize patches: partial objects that per-resource rules do not judge.
const PATCH_LABEL: &str = "patch";

/// The memory one rule may take on one resource unless told otherwise: well above what any
/// honest rule needs (the built-in packs' costliest evaluation on the real corpus stays under
/// 50 MB), well below what a machine running CI has.
pub const DEFAULT_RULE_MEMORY_LIMIT: u64 = 1024 * 1024 * 1024;

/// How to evaluate.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Worker threads; 0 for one per core.
    pub jobs: usize,
    /// How long one rule may take on one resource.
    pub rule_time_limit: Duration,
    /// How many bytes the process may grow by while one Rego rule runs on one resource
    /// ([`crate::memory_budget`]); `None` for no limit.
    pub rule_memory_limit: Option<u64>,
    /// Record which Rego lines run (for `ward test --coverage`). Evaluation is then sequential,
    /// on one engine, so that nothing it records is lost with a worker's clone.
    pub coverage: bool,
    /// Time every evaluation, per rule ([`Evaluation::profile`], `ward scan --profile`). Off,
    /// the clock is never read.
    pub profile: bool,
}

impl Default for EvalOptions {
    fn default() -> EvalOptions {
        EvalOptions {
            jobs: 0,
            rule_time_limit: Duration::from_secs(5),
            rule_memory_limit: Some(DEFAULT_RULE_MEMORY_LIMIT),
            coverage: false,
            profile: false,
        }
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
    /// With [`EvalOptions::profile`]: what each rule cost, costliest first.
    pub profile: Option<Vec<RuleProfile>>,
    /// While evaluating with [`EvalOptions::profile`]: this part's records.
    profiler: Option<Profiler>,
    /// What compiling, preparing the policies' input, and running the rules cost.
    pub stages: Vec<StageProfile>,
    /// Rego rule × resource evaluations (indexes into the rules and the graph's resources;
    /// `None`: a graph rule's one evaluation) stopped by the memory budget while others ran
    /// beside them: retried alone.
    over_budget: Vec<(usize, Option<usize>)>,
}

impl Evaluation {
    /// Records, when profiling, one evaluation of `rule` on `resource` (`None`: the graph)
    /// that began at `started`, when this part held `findings_before` findings.
    fn timed(&mut self, rule: &str, resource: Option<&str>, started: Option<Instant>, findings_before: usize) {
        if let Some(started) = started {
            let elapsed = started.elapsed();
            let found = self.findings.len().saturating_sub(findings_before);
            self.profiler.get_or_insert_with(Profiler::default).record(rule, resource, elapsed, found);
        }
    }
}

/// Evaluates `policies` over `graph`, first compiling the rules deferred until their kinds
/// occur ([`Policies::assemble_deferring`]) for the kinds the graph has.
pub fn evaluate(graph: &Graph, policies: &Policies, options: &EvalOptions) -> Evaluation {
    let mut clock = StageClock::start();
    let kinds: std::collections::BTreeSet<_> = graph.resources.iter().map(|resource| resource.kind).collect();
    let compiled = policies.compiled_for(&kinds);
    clock.lap("compile rules");
    let mut evaluation = match compiled {
        None => evaluate_compiled(graph, policies, options, &mut clock),
        Some((compiled, errors)) => {
            let mut evaluation = evaluate_compiled(graph, &compiled, options, &mut clock);
            evaluation.errors.extend(errors);
            evaluation
        }
    };
    evaluation.stages = clock.finish();
    evaluation
}

fn evaluate_compiled(graph: &Graph, policies: &Policies, options: &EvalOptions, clock: &mut StageClock) -> Evaluation {
    // Building the graph's JSON and loading it into the engines costs as much as thousands of
    // evaluations: done only when some rule reads it.
    let (rego_graph, cel_graph) = (policies.rego.uses_graph(), policies.cel.uses_graph());
    let documents = policies.texts.values().any(|text| names_graph_documents(text));
    let graph_json = (rego_graph || cel_graph).then(|| graph.to_policy_json(documents));
    // Each language converts the graph into its own values: side by side.
    let (cel, rego) = rayon::join(
        || policies.cel.prepare(graph_json.as_ref().filter(|_| cel_graph), &policies.params),
        || policies.rego.prepare(graph_json.as_ref().filter(|_| rego_graph), options.rule_time_limit),
    );
    drop(graph_json);
    let mut prepared = match rego {
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
    let rego_params: Vec<RegoValue> = policies.params.iter().map(RegoValue::of).collect();
    let rules = Rules {
        rego: &policies.rego.rules,
        cel: &policies.cel.rules,
        cel_evaluator: &cel,
        params: &policies.params,
        rego_params: &rego_params,
        texts: &policies.texts,
        profile: options.profile,
        memory_limit: options.rule_memory_limit,
    };
    clock.lap("policy input");
    // The rules' memory budget counts from here: the graph the engines hold is the scan's input,
    // not a rule's doing (on a repository of 70,000 resources it is gigabytes, and a budget
    // taken before it stopped the engine's preparation, and so every rule).
    let budget = options.rule_memory_limit.map(MemoryBudget::hold);
    // Every evaluation to run: the Rego graph rules first (each one long, and alone in its
    // work item, so that they spread over the workers instead of running one after another at
    // the end), then each resource's rules, then the conftest policies of each document.
    let work: Vec<Work> = (rules.rego.iter().enumerate())
        .filter(|(_, rule)| !rule.conftest && rule.metadata.scope == RuleScope::Graph)
        .map(|(at, _)| Work::GraphRule(at))
        .chain((0..graph.resources.len()).map(Work::Resource))
        .chain((0..graph.documents.len()).map(Work::Document))
        .collect();
    let evaluate = |engine: &mut PreparedRego, work: &Work| match *work {
        Work::GraphRule(rule) => evaluate_graph_rule(graph, &rules, engine, rule, false),
        Work::Resource(resource) => evaluate_resource(graph, &rules, engine, resource, None),
        Work::Document(document) => conftest(graph, &rules, engine, document),
    };
    if options.coverage {
        prepared.set_coverage(true);
        let mut engine = prepared;
        let parts: Vec<Evaluation> = work.iter().map(|work| evaluate(&mut engine, work)).collect();
        drop(budget);
        clock.lap("rules");
        return finish(graph, &rules, engine, parts, options, clock);
    }
    let run = || work.par_iter().map_init(|| prepared.clone(), evaluate).collect();
    let parts: Vec<Evaluation> = match rayon::ThreadPoolBuilder::new().num_threads(options.jobs).build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    drop(budget);
    clock.lap("rules");
    finish(graph, &rules, prepared, parts, options, clock)
}

/// One item of a scan's evaluation.
enum Work {
    /// A Rego graph rule (an index into the Rego rules), once over the whole graph.
    GraphRule(usize),
    /// The per-resource rules of a resource (an index into the graph's resources).
    Resource(usize),
    /// The conftest policies of a document (an index into the graph's documents).
    Document(usize),
}

/// Whether a policy's text may read the graph's `documents` (`data.ward.graph.documents`,
/// `graph["documents"]`): only then are they given to the rules.
fn names_graph_documents(text: &str) -> bool {
    text.contains(".documents") || text.contains("\"documents\"") || text.contains("'documents'")
}

/// Adds the graph rules' results to the per-resource ones, and puts everything in report order.
fn finish(
    graph: &Graph,
    rules: &Rules,
    mut engine: PreparedRego,
    parts: Vec<Evaluation>,
    options: &EvalOptions,
    clock: &mut StageClock,
) -> Evaluation {
    let mut evaluation = Evaluation::default();
    let mut profiler = rules.profile.then(Profiler::default);
    // Alone now, each evaluation the budget stopped runs again with a budget of its own: only
    // a rule that overspends by itself is reported.
    let over_budget: Vec<(usize, Option<usize>)> =
        parts.iter().flat_map(|part| part.over_budget.iter().copied()).collect();
    let retried = over_budget.into_iter().map(|(rule, resource)| {
        let _budget = options.rule_memory_limit.map(MemoryBudget::hold);
        match resource {
            Some(resource) => evaluate_resource(graph, rules, &mut engine, resource, Some(rule)),
            None => evaluate_graph_rule(graph, rules, &mut engine, rule, true),
        }
    });
    let retried: Vec<Evaluation> = retried.collect();
    let cel_graph_part = evaluate_cel_graph_rules(graph, rules);
    for part in parts.into_iter().chain(retried).chain([cel_graph_part]) {
        evaluation.findings.extend(part.findings);
        evaluation.errors.extend(part.errors);
        evaluation.evaluations += part.evaluations;
        if let (Some(all), Some(part)) = (profiler.as_mut(), part.profiler) {
            all.merge(part);
        }
    }
    evaluation.findings = merge_rendered(std::mem::take(&mut evaluation.findings), graph);
    sort_findings(&mut evaluation.findings);
    crate::graph::merge_repeated_findings(&mut evaluation.findings);
    attach_sources(&mut evaluation.errors, |path| rules.texts.get(path).map(String::as_str));
    evaluation.errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    evaluation.coverage = engine.coverage();
    evaluation.profile = profiler.map(Profiler::finish);
    clock.lap("merging findings");
    evaluation
}

/// What a per-resource rule sees about the resource besides its value: where it is, and, for
/// a resource that runs pods, what its kind derives about them (`workload`).
fn meta(graph: &Graph, resource: &Resource) -> Value {
    let mut meta = json!({
        "id": resource.id,
        "kind": resource.kind.name(),
        "type": resource.resource_type,
        "name": resource.name,
        "path": graph.document_of(resource).map(|d| d.path.as_str()),
        "line": resource.region.start.line,
        "environment": resource.environment,
        "environments": resource.environments,
        "labels": resource.labels,
    });
    if let (Some(workload), Some(fields)) =
        (crate::kinds::workload(resource.kind, &resource.value), meta.as_object_mut())
    {
        fields.insert("workload".to_owned(), workload);
    }
    meta
}

/// The rules of a run, the CEL evaluator every worker shares, and the rules' params.
struct Rules<'a> {
    rego: &'a [RegoRule],
    cel: &'a [CelRule],
    cel_evaluator: &'a PreparedCel,
    params: &'a [Value],
    /// `params`, converted for Rego once.
    rego_params: &'a [RegoValue],
    /// The policy files' texts, for the code frame of a rule that fails at a place in its file.
    texts: &'a BTreeMap<String, String>,
    /// Whether to time each evaluation ([`EvalOptions::profile`]).
    profile: bool,
    /// [`EvalOptions::rule_memory_limit`], for the error of a rule that overspends.
    memory_limit: Option<u64>,
}

impl Rules<'_> {
    /// When profiling, the time an evaluation starts.
    fn start(&self) -> Option<Instant> {
        self.profile.then(Instant::now)
    }

    fn params(&self, index: usize) -> &Value {
        static EMPTY: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
        self.params.get(index).unwrap_or_else(|| EMPTY.get_or_init(|| json!({})))
    }

    fn rego_params(&self, index: usize) -> &RegoValue {
        static EMPTY: std::sync::OnceLock<RegoValue> = std::sync::OnceLock::new();
        self.rego_params.get(index).unwrap_or_else(|| EMPTY.get_or_init(|| RegoValue::of(&json!({}))))
    }
}

/// Whether a per-resource rule looks at `resource`: its kinds (without any, every kind but
/// generic YAML and JSON, which only rules that name them judge) and its types (without any,
/// every type), never kustomize patches, and never an object a kustomization renders (it is
/// judged as rendered).
fn applies(metadata: &RuleMetadata, resource: &Resource) -> bool {
    let kind = resource.kind;
    metadata.scope == RuleScope::Resource
        && (metadata.kinds.contains(&kind) || (metadata.kinds.is_empty() && !crate::kinds::is_generic(kind)))
        && (metadata.types.is_empty() || metadata.types.contains(&resource.resource_type))
        && !resource.labels.contains(PATCH_LABEL)
        && !crate::graph::kustomize::is_input(resource)
}

/// Evaluates the per-resource rules on the graph's resource at `index`: every rule that
/// applies, or `only` the Rego rule at that index (a retry after the memory budget stopped it).
fn evaluate_resource(
    graph: &Graph,
    rules: &Rules,
    engine: &mut PreparedRego,
    index: usize,
    only: Option<usize>,
) -> Evaluation {
    let mut part = Evaluation::default();
    let Some(resource) = graph.resources.get(index) else { return part };
    let mut rego: Vec<(usize, &RegoRule)> = rules
        .rego
        .iter()
        .enumerate()
        .filter(|(at, rule)| only.is_none_or(|only| only == *at) && !rule.conftest && applies(&rule.metadata, resource))
        .collect();
    let cel: Vec<&CelRule> =
        rules.cel.iter().filter(|rule| only.is_none() && applies(&rule.metadata, resource)).collect();
    if rego.is_empty() && cel.is_empty() {
        return part;
    }
    let meta = meta(graph, resource);
    if !cel.is_empty() {
        let input = CelInput::new(&resource.value, &meta);
        for rule in cel {
            part.evaluations += 1;
            let (started, before) = (rules.start(), part.findings.len());
            match rules.cel_evaluator.evaluate(rule, Some(&input)) {
                Ok(results) => record(&mut part, graph, &rule.metadata, &rule.path, resource, &results),
                Err(error) => part.errors.push(cel_error(rule, &resource.id, &error)),
            }
            part.timed(&rule.metadata.id, Some(&resource.id), started, before);
        }
    }
    if !rego.is_empty() {
        // Rules that share params share an input: one `set_input` per distinct params (usually
        // one per pack), not one per rule.
        rego.sort_by_key(|(_, rule)| rule.params);
        let (object, meta) = (RegoValue::of(&resource.value), RegoValue::of(&meta));
        for group in rego.chunk_by(|(_, a), (_, b)| a.params == b.params) {
            let Some((_, first)) = group.first() else { continue };
            engine.set_resource_input(&object, &meta, rules.rego_params(first.params));
            for &(at, rule) in group {
                // A retry is the same evaluation again, already counted.
                part.evaluations += usize::from(only.is_none());
                let (started, before) = (rules.start(), part.findings.len());
                match engine.evaluate(rule) {
                    Ok(results) => record(&mut part, graph, &rule.metadata, &rule.path, resource, &results),
                    // Others ran beside it: whether it overspent by itself is decided alone.
                    Err(RuleError::MemoryLimit { .. }) if only.is_none() => part.over_budget.push((at, Some(index))),
                    Err(RuleError::MemoryLimit { .. }) => {
                        let error = RuleError::MemoryLimit { budget: rules.memory_limit };
                        part.errors.push(rule_error(&rule.metadata, &rule.path, &resource.id, &error))
                    }
                    Err(message) => part.errors.push(rule_error(&rule.metadata, &rule.path, &resource.id, &message)),
                }
                part.timed(&rule.metadata.id, Some(&resource.id), started, before);
            }
        }
    }
    part
}

/// The CEL graph rules, each once over the whole graph (CEL evaluation needs no engine copy,
/// and these are quick: they run after the others).
fn evaluate_cel_graph_rules(graph: &Graph, rules: &Rules) -> Evaluation {
    let mut part = Evaluation::default();
    for rule in rules.cel.iter().filter(|r| r.metadata.scope == RuleScope::Graph) {
        part.evaluations += 1;
        let (started, before) = (rules.start(), part.findings.len());
        match rules.cel_evaluator.evaluate(rule, None) {
            Ok(results) => graph_findings(graph, &rule.metadata, &rule.path, &results, &mut part),
            Err(error) => part.errors.push(cel_error(rule, "the graph", &error)),
        }
        part.timed(&rule.metadata.id, None, started, before);
    }
    part
}

/// The Rego graph rule at `at`, once over the whole graph. A `retry` runs alone after the
/// memory budget stopped it beside others: counted once, and reported if it overspends again.
fn evaluate_graph_rule(graph: &Graph, rules: &Rules, engine: &mut PreparedRego, at: usize, retry: bool) -> Evaluation {
    let mut part = Evaluation::default();
    let Some(rule) = rules.rego.get(at) else { return part };
    let (started, before) = (rules.start(), part.findings.len());
    engine.set_input(&json!({"params": rules.params(rule.params)}));
    part.evaluations += usize::from(!retry);
    match engine.evaluate(rule) {
        Ok(results) => graph_findings(graph, &rule.metadata, &rule.path, &results, &mut part),
        Err(RuleError::MemoryLimit { .. }) if !retry => part.over_budget.push((at, None)),
        Err(RuleError::MemoryLimit { .. }) => {
            let error = RuleError::MemoryLimit { budget: rules.memory_limit };
            part.errors.push(rule_error(&rule.metadata, &rule.path, "the graph", &error));
        }
        Err(message) => part.errors.push(rule_error(&rule.metadata, &rule.path, "the graph", &message)),
    }
    part.timed(&rule.metadata.id, None, started, before);
    part
}

/// A graph rule's results, each about the resource it names.
fn graph_findings(graph: &Graph, metadata: &RuleMetadata, path: &str, results: &[RuleResult], part: &mut Evaluation) {
    for result in results {
        match result.resource.as_deref().and_then(|id| graph.resource(id)) {
            // What a file read by a rendering holds is judged as rendered: the rendered object
            // carries the same finding, at the same line.
            Some(resource) if crate::graph::kustomize::is_input(resource) => {}
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

/// conftest policies, per document: see [`crate::conftest`].
fn conftest(graph: &Graph, rules: &Rules, engine: &mut PreparedRego, document: usize) -> Evaluation {
    let check = crate::conftest::scan::evaluate_document(graph, rules.rego, engine, document, rules.profile);
    Evaluation {
        findings: check.findings,
        errors: check.errors,
        evaluations: check.evaluations,
        profiler: check.profiler,
        ..Evaluation::default()
    }
}

/// `deny` results carry the rule's severity; `warn` results are `low` at most.
fn severity_of(rule: Severity, level: ResultLevel) -> Severity {
    match level {
        ResultLevel::Deny => rule,
        ResultLevel::Warn => rule.min(Severity::Low),
    }
}

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

/// A result as a finding: its path, relative to the resource, placed in the resource's file by
/// the rule for lines ([`crate::document::SourceMap::locate`]: the value, or the nearest key
/// above what is missing), and each related place likewise. A related place that names no
/// resource or document of the graph is the rule's error: a finding must not point where
/// nothing is.
fn finding(
    graph: &Graph,
    rule: &RuleMetadata,
    resource: &Resource,
    result: &RuleResult,
) -> Result<Option<Finding>, RelatedError> {
    let Some((location, relative)) = locate_in(graph, resource, &result.path) else { return Ok(None) };
    let mut related: Vec<RelatedLocation> =
        result.related.iter().map(|target| related_location(graph, resource, target)).collect::<Result<_, _>>()?;
    related.extend(rendered_by(graph, resource));
    related.extend(printed_by(graph, resource, &relative));
    related.extend(called_through(graph, resource, &location));
    // A finding on a rendered object is known by where it was written, not by the overlay that
    // rendered it: the same base line found through two overlays is one finding, one baseline
    // entry, whichever overlays are scanned.
    let identity = match resource.rendered.as_deref() {
        Some(from) => format!("k8s:{}@{}", from.source, location.path),
        None => resource.id.clone(),
    };
    let environments = match (&resource.rendered, &resource.environment) {
        (Some(_), Some(environment)) => vec![environment.clone()],
        // A Terraform block's variant for one environment (`@infra[prod]`) is about that one.
        (None, Some(environment))
            if resource.environments.is_empty() && resource.id.ends_with(&format!("[{environment}]")) =>
        {
            vec![environment.clone()]
        }
        // A Terraform block resolved alike under every environment's variables stands for them all.
        (None, _) => resource.environments.clone(),
        _ => Vec::new(),
    };
    Ok(Some(Finding {
        rule_id: rule.id.clone(),
        severity: severity_of(rule.severity, result.level),
        message: result.message.clone(),
        location,
        fingerprint: Finding::fingerprint_of(&rule.id, &identity, &relative),
        resource: resource.id.clone(),
        pointer: relative,
        pack: rule.pack.clone(),
        related,
        environments,
        details: Default::default(),
    }))
}

/// Findings on rendered objects that are the same finding through several overlays — same
/// rule, same place, same message once the environment's name is set aside — become one, which
/// lists every environment and every overlay that renders it. Values that differ per overlay
/// are on different lines, and stay apart.
fn merge_rendered(findings: Vec<Finding>, graph: &Graph) -> Vec<Finding> {
    let ids: std::collections::BTreeSet<&str> =
        graph.resources.iter().filter(|r| r.rendered.is_some()).map(|r| r.id.as_str()).collect();
    if ids.is_empty() {
        return findings;
    }
    let rendered = |finding: &Finding| ids.contains(finding.resource.as_str());
    let (rendered, mut merged): (Vec<Finding>, Vec<Finding>) = findings.into_iter().partition(rendered);
    let mut groups: BTreeMap<(String, String, Location, String, String), Finding> = BTreeMap::new();
    for finding in rendered {
        let message = finding
            .environments
            .iter()
            .fold(finding.message.clone(), |message, environment| message.replace(environment.as_str(), "\u{0}"));
        let key = (
            finding.rule_id.clone(),
            finding.fingerprint.clone(),
            finding.location.clone(),
            finding.pointer.clone(),
            message,
        );
        match groups.entry(key) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(finding);
            }
            std::collections::btree_map::Entry::Occupied(mut slot) => {
                let kept = slot.get_mut();
                kept.severity = kept.severity.max(finding.severity);
                for environment in finding.environments {
                    if !kept.environments.contains(&environment) {
                        kept.environments.push(environment);
                    }
                }
                for related in finding.related {
                    if !kept.related.contains(&related) {
                        kept.related.push(related);
                    }
                }
                // Whichever overlay was found first, the finding names the same resource.
                if finding.resource < kept.resource {
                    kept.resource = finding.resource;
                    kept.message = finding.message;
                }
            }
        }
    }
    for mut finding in groups.into_values() {
        finding.environments.sort();
        merged.push(finding);
    }
    merged
}

/// Where `path` (keys and indices, relative to the resource's value) is in the resource's
/// file, and the path as a JSON pointer relative to the resource.
fn locate_in(graph: &Graph, resource: &Resource, path: &[String]) -> Option<(Location, String)> {
    let document = graph.document_of(resource)?;
    let relative = pointer_from_tokens(path);
    // A value of a block a Terraform `dynamic` block generated is written in the dynamic block.
    let written = match resource.kind {
        crate::document::DocumentKind::Terraform => crate::graph::terraform_dynamic_source(&resource.value, &relative),
        _ => None,
    };
    let written = written.as_deref().unwrap_or(&relative);
    if let Some(location) =
        resource.rendered.as_deref().and_then(|from| locate_rendered(graph, resource, from, &relative))
    {
        return Some((location, relative));
    }
    if let Some(location) = resource.called.as_deref().and_then(|called| locate_called(graph, called, written)) {
        return Some((location, relative));
    }
    if resource.called.as_deref().is_some_and(|called| called.registry.is_some()) {
        // A registry module's block has no line of its own: what no caller passed is the call's.
        let region = resource.region;
        return Some((Location { path: document.path.clone(), start: region.start, end: region.end }, relative));
    }
    let pointer = format!("{}{written}", resource.pointer);
    let region = if relative.is_empty() { Some(resource.region) } else { document.region_of(&pointer) };
    let region = region.unwrap_or(resource.region);
    Some((Location { path: document.path.clone(), start: region.start, end: region.end }, relative))
}

/// Where the value at `relative` of a rendered object was written: its origin (or its nearest
/// ancestor's) in the file that holds it — a patch's line for a patched value, the base's for
/// the rest. A value present → its span; a key that is missing → the nearest existing key. `None`
/// when the origin is not a document of the scan (the caller falls back on the kustomization).
fn locate_rendered(graph: &Graph, resource: &Resource, from: &RenderedFrom, relative: &str) -> Option<Location> {
    let (found, origin) = from.provenance.lookup(relative)?;
    let document = graph.document_at(&origin.path)?;
    let scalar = resource.value.pointer(found).is_some_and(|value| !value.is_object() && !value.is_array());
    let span = if found == relative && scalar { origin.span } else { origin.entry() };
    let region = document.lines.region(&document.text, span);
    Some(Location { path: document.path.clone(), start: region.start, end: region.end })
}

/// Where a caller wrote the value at `relative` of a block of an expanded module call (the
/// caller's argument, or further up where that argument is itself a variable passed in).
fn locate_called(graph: &Graph, called: &CalledFrom, relative: &str) -> Option<Location> {
    let origin = called.origin_of(relative)?;
    let document = graph.document_at(&origin.path)?;
    let region = document.region_of(&origin.pointer)?;
    Some(Location { path: document.path.clone(), start: region.start, end: region.end })
}

/// The calls that reached a block of an expanded module, outermost first, as related places
/// (`module.logs["a"] calls modules/bucket`); and, when the finding was placed at a caller's
/// argument, the block's own place in the module.
fn called_through(graph: &Graph, resource: &Resource, at: &Location) -> Vec<RelatedLocation> {
    let Some(called) = resource.called.as_deref() else { return Vec::new() };
    let mut related = Vec::new();
    for call in &called.chain {
        let Some(document) = graph.document_at(&call.path) else { continue };
        let Some(region) = document.entry_region_of(&call.pointer) else { continue };
        let location = Location { path: document.path.clone(), start: region.start, end: region.end };
        let message = match &called.registry {
            Some(source) => format!("{} calls the registry module {source}", call.address),
            None => format!("{} calls the module", call.address),
        };
        related.push(RelatedLocation { location, message: Some(message) });
    }
    if called.registry.is_none() {
        if let Some(document) = graph.document_of(resource) {
            let location =
                Location { path: document.path.clone(), start: resource.region.start, end: resource.region.end };
            if location.path != at.path {
                related.push(RelatedLocation { location, message: Some("the block in the module".to_owned()) });
            }
        }
    }
    related
}

/// How the related place naming the overlay of a rendered object begins.
const RENDERED_BY: &str = "rendered by ";

/// The kustomization that rendered `resource`, as the related place of a finding on it.
fn rendered_by(graph: &Graph, resource: &Resource) -> Option<RelatedLocation> {
    let from = resource.rendered.as_deref()?;
    let document = graph.document_of(resource)?;
    let location = Location { path: document.path.clone(), start: resource.region.start, end: resource.region.end };
    Some(RelatedLocation { location, message: Some(format!("{RENDERED_BY}{}", from.renderer)) })
}

/// For a value a chart's values file set, the template line that printed it, as a related place.
fn printed_by(graph: &Graph, resource: &Resource, relative: &str) -> Option<RelatedLocation> {
    let origin = resource.rendered.as_deref()?.via.get(relative)?;
    let document = graph.document_at(&origin.path)?;
    let region = document.lines.region(&document.text, origin.span);
    let location = Location { path: document.path.clone(), start: region.start, end: region.end };
    Some(RelatedLocation { location, message: Some("printed by this template line".to_owned()) })
}

/// Whether a related place is the one the engine adds to a finding on a rendered object.
pub(crate) fn is_rendered_by(related: &RelatedLocation) -> bool {
    related.message.as_deref().is_some_and(|message| message.starts_with(RENDERED_BY))
        && crate::kinds::is_kustomization_path(&related.location.path)
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
            let document = graph.document_at(path).ok_or_else(|| RelatedError::NoSuchDocument(path.clone()))?;
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::load::{load_texts, LoadOptions};
    use crate::source::Contents;

    /// A baseline entry for a base line keeps matching whichever overlays of the base are
    /// scanned: the fingerprint of a finding on rendered objects is where it was written.
    #[test]
    fn a_base_line_keeps_its_fingerprint_whichever_overlays_find_it() {
        let (rules, errors) = Policies::compile(&[(
            "limits.cel.yaml".into(),
            "id: T-LIM\ntitle: t\nseverity: low\nkinds: [kubernetes]\nmatch: object.kind == 'Deployment'\nvalidations:\n  - expression: has(object.spec.replicas)\n    message: no replicas\n    path: spec.replicas\n".into(),
        )]);
        assert!(errors.is_empty(), "{errors:?}");
        let root = std::path::Path::new("/repo");
        let base = [
            ("base/kustomization.yaml", "resources: [app.yaml]\n"),
            ("base/app.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec: {}\n"),
        ];
        let overlay = |env: &'static str| (env, "resources: [../../base]\nnamePrefix: x-\n");
        let scan = |overlays: &[(&str, &str)]| {
            let mut texts: Vec<(String, Contents)> =
                base.iter().map(|(path, text)| ((*path).to_owned(), Contents::Text((*text).to_owned()))).collect();
            for (env, text) in overlays {
                texts.push((format!("overlays/{env}/kustomization.yaml"), Contents::Text((*text).to_owned())));
            }
            let loaded = load_texts(root.to_path_buf(), texts, &LoadOptions::default());
            assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
            evaluate(&loaded.graph, &rules, &EvalOptions { jobs: 1, ..EvalOptions::default() }).findings
        };
        let both = scan(&[overlay("staging"), overlay("production")]);
        let one = scan(&[overlay("staging")]);
        assert_eq!(both.len(), 1, "{both:?}");
        assert_eq!(one.len(), 1, "{one:?}");
        assert_eq!(both[0].environments, ["production", "staging"]);
        assert_eq!(one[0].environments, ["staging"]);
        assert_eq!(both[0].location.path, "base/app.yaml");
        assert_eq!(both[0].fingerprint, one[0].fingerprint);
    }

    /// A built-in rule is compiled only when the scan has resources of its kinds; when that
    /// compile fails, the scan still says so (an error, exit 2), instead of the rule silently
    /// finding nothing.
    #[test]
    fn a_deferred_rule_that_does_not_compile_is_an_error_of_the_scan() {
        let rule = "# METADATA\n# custom:\n#   id: T-DEF\n#   severity: low\n#   kinds: [dockerfile]\npackage ward.t\n\nimport rego.v1\n\ndeny contains \"x\" if { x := 1 + }\n";
        let pack = crate::policy::pack::Pack::builtin_for_tests(&[("rules/broken.rego", rule)]);
        let (policies, errors) = Policies::assemble_deferring(&[], &[pack]);
        assert!(errors.is_empty(), "deferred, not compiled yet: {errors:?}");
        let scan = |path: &str, text: &str| {
            let contents = vec![(path.to_owned(), Contents::Text(text.to_owned()))];
            let loaded = load_texts(std::path::PathBuf::from("/repo"), contents, &LoadOptions::default());
            evaluate(&loaded.graph, &policies, &EvalOptions { jobs: 1, ..EvalOptions::default() })
        };
        let dockerfile = scan("Dockerfile", "FROM alpine:3.20\n");
        let reported: Vec<(&str, Option<u32>)> =
            dockerfile.errors.iter().map(|error| (error.path.as_str(), error.position.map(|at| at.line))).collect();
        assert_eq!(reported, [("builtin:p/rules/broken.rego", Some(10))], "{:?}", dockerfile.errors);
        assert!(scan(".env", "A=1\n").errors.is_empty(), "no Dockerfile, nothing compiled");
    }

    /// A graph rule, to show it counts as one evaluation whatever the graph holds.
    const GRAPH_RULE: &str = "id: T-GRAPH\ntitle: t\nseverity: low\nscope: graph\nvalidations:\n  - forEach: graph.resources.filter(r, r.kind == 'dockerfile')\n    expression: 'false'\n    message: a Dockerfile\n";

    /// The profile counts, per rule, one evaluation per resource of its kinds (one in all for a
    /// graph rule) and the findings those evaluations gave; with profiling off there is none.
    #[test]
    fn the_profile_counts_evaluations_and_findings_per_rule() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut policies = crate::policy::load(&["testdata/policy".into()], &root).policies;
        let (graph_rule, errors) = Policies::compile(&[("graph.cel.yaml".into(), GRAPH_RULE.into())]);
        assert!(errors.is_empty(), "{errors:?}");
        policies.cel.rules.extend(graph_rule.cel.rules);
        let deployment = |name: &str, probe: &str| {
            format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: a:1{probe}\n        - name: b\n          image: b:1\n")
        };
        let texts = [
            ("a/Dockerfile", "FROM python:latest\nUSER 1000\n".to_owned()),
            ("b/Dockerfile", "FROM python:3.12 AS build\nFROM build\n".to_owned()),
            ("k8s.yaml", deployment("one", "") + "---\n" + &deployment("two", "\n          readinessProbe: {}")),
        ];
        let contents = texts.iter().map(|(path, text)| ((*path).to_owned(), Contents::Text(text.clone()))).collect();
        let loaded = load_texts(root.clone(), contents, &LoadOptions::default());
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);

        let off = evaluate(&loaded.graph, &policies, &EvalOptions { jobs: 1, ..EvalOptions::default() });
        assert_eq!(off.profile, None);
        let on = evaluate(&loaded.graph, &policies, &EvalOptions { jobs: 2, profile: true, ..EvalOptions::default() });
        assert_eq!(on.findings, off.findings, "profiling changes nothing found");
        let profile = on.profile.unwrap();
        let counts: Vec<(&str, usize, usize)> =
            profile.iter().map(|rule| (rule.rule.as_str(), rule.evaluations, rule.findings)).collect();
        let mut counts_by_id = counts.clone();
        counts_by_id.sort();
        // (rule, evaluations, findings)
        let expected = [
            ("DOCKER-001", 2, 1),
            ("DOCKER-USER-001", 2, 1),
            ("K8S-LIMITS-001", 2, 4),
            ("K8S-PROBE-001", 2, 3),
            ("T-GRAPH", 1, 2),
        ];
        let relevant: Vec<_> = counts_by_id.iter().filter(|(id, ..)| expected.iter().any(|e| e.0 == *id)).collect();
        assert_eq!(relevant, expected.iter().collect::<Vec<_>>());
        assert_eq!(profile.iter().map(|rule| rule.evaluations).sum::<usize>(), on.evaluations);
        for (id, _, found) in &counts {
            assert_eq!(*found, on.findings.iter().filter(|finding| finding.rule_id == *id).count(), "{id}");
        }
        let graph_rule = profile.iter().find(|rule| rule.rule == "T-GRAPH").unwrap();
        assert_eq!(graph_rule.slowest, None);
        let probe = profile.iter().find(|rule| rule.rule == "K8S-PROBE-001").unwrap();
        assert!(probe.slowest.as_ref().is_some_and(|slowest| slowest.resource.starts_with("k8s:Deployment/")));
        assert!(profile.windows(2).all(|pair| pair[0].total_us >= pair[1].total_us), "costliest first");
    }
}
