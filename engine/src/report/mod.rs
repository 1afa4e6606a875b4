//! Turning a scan into what people and machines read. [`Report`] borrows what a scan produced;
//! [`ReportData::new`] turns it into the report as data — owned, serializable, and exactly what
//! the JSON report holds — and every format renders that: [`human`] (code frames at each
//! finding), [`json`] (the shape `schemas/report.schema.json` gives), [`sarif`] (SARIF 2.1.0),
//! [`junit`] (JUnit XML), [`github`] (workflow annotations) and [`markdown`] (the audit report).
//!
//! The JSON report holds everything the other formats need — the masked source lines of each
//! code frame, the documentation of the rules its findings name — so that a saved report renders
//! in any format exactly as the scan itself would have (`ward report`). Reports are built as
//! strings; where they go is the caller's business.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Level};
use crate::document::{DocumentKind, LineIndex, Position};
use crate::eval::Evaluation;
use crate::finding::{Finding, Location, Severity};
use crate::graph::Graph;
use crate::policy::explain::{self, Example};
use crate::policy::pack::{Pack, PackRef};
use crate::policy::{Policies, RuleMetadata, RuleScope};
use crate::profile::{RuleProfile, StageProfile};
use crate::secrets::redact::Redactor;
use crate::suppress::{Suppressed, Suppression};

/// The version of the JSON report's shape: a reader refuses others.
pub const REPORT_VERSION: u32 = 1;

/// Everything a report shows, as a scan leaves it: the findings, the suppressed ones, the
/// problems, and what was looked at.
pub struct Report<'a> {
    /// The graph the scan built.
    pub graph: &'a Graph,
    /// Files read that are not documents of the graph (`(path, text)`, for the secret scanner).
    pub texts: &'a [(String, String)],
    /// How many files were read ([`Loaded::files_read`](crate::load::Loaded::files_read)).
    pub files_read: usize,
    /// What the rules found, and their errors.
    pub evaluation: &'a Evaluation,
    /// Findings kept out by an inline comment, the baseline or a waiver: counted, never hidden.
    pub suppressed: &'a [Suppressed],
    /// Problems reading inputs or policies.
    pub diagnostics: &'a [Diagnostic],
    /// Every rule that ran ([`rule_catalog`]).
    pub rules: &'a [RuleInfo],
    /// Every secret found: taken out of any source text a report shows.
    pub redactor: &'a Redactor,
}

impl Report<'_> {
    /// How many files were read.
    pub fn files(&self) -> usize {
        self.files_read
    }

    /// The text of the file at `path`, with every detected secret masked.
    pub fn masked_text(&self, path: &str) -> Option<String> {
        let document = self.graph.document_at(path).map(|d| d.text.as_str());
        let text = document.or_else(|| self.texts.iter().find(|(known, _)| known == path).map(|(_, t)| t.as_str()))?;
        Some(self.redactor.mask_text(text))
    }

    /// Input, policy and evaluation problems that make the run untrustworthy.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().chain(&self.evaluation.errors).filter(|d| d.level == Level::Error)
    }

    /// Inputs deliberately not read (a binary file, a Helm template): said, not hidden.
    pub fn notes(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().chain(&self.evaluation.errors).filter(|d| d.level == Level::Note)
    }

    /// How many files were not judged: each file a note is about (one that is not of a kind
    /// ward checks and does not parse, a Helm template, a binary file named on the command line).
    pub fn not_judged(&self) -> usize {
        self.notes().map(|note| note.path.as_str()).filter(|path| !path.is_empty()).collect::<BTreeSet<_>>().len()
    }
}

/// The formats a report can be rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReportFormat {
    /// For people, on a terminal: code frames at each finding.
    Human,
    /// The JSON report (`schemas/report.schema.json`).
    Json,
    /// SARIF 2.1.0, for code scanning services.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// GitHub Actions workflow commands: an annotation at each finding.
    Github,
    /// The audit report in Markdown.
    Markdown,
}

impl ReportFormat {
    /// Every format, in the order the command line lists them.
    pub const ALL: [ReportFormat; 6] = [
        ReportFormat::Human,
        ReportFormat::Json,
        ReportFormat::Sarif,
        ReportFormat::Junit,
        ReportFormat::Github,
        ReportFormat::Markdown,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Human => "human",
            ReportFormat::Json => "json",
            ReportFormat::Sarif => "sarif",
            ReportFormat::Junit => "junit",
            ReportFormat::Github => "github",
            ReportFormat::Markdown => "markdown",
        }
    }

    /// The format named `name`, as [`ReportFormat::name`] writes it.
    ///
    /// ```
    /// use ward_engine::report::ReportFormat;
    /// assert_eq!(ReportFormat::from_name("sarif"), Some(ReportFormat::Sarif));
    /// assert_eq!(ReportFormat::from_name("xml"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<ReportFormat> {
        ReportFormat::ALL.into_iter().find(|format| format.name() == name)
    }
}

impl fmt::Display for ReportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A report that could not be written out.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the {format} report: {cause}")]
pub struct RenderError {
    /// The format that failed.
    pub format: ReportFormat,
    /// Why its serializer failed.
    #[source]
    pub cause: SerializeError,
}

/// Why a format's serializer failed (the JSON, SARIF and JUnit formats are written by one).
#[derive(Debug, thiserror::Error)]
pub enum SerializeError {
    /// The JSON serializer failed.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// The JUnit XML serializer failed.
    #[error(transparent)]
    Junit(#[from] quick_junit::SerializeError),
}

/// Renders `data` in `format`; `color` only matters to the human format (the caller knows
/// whether it writes to a terminal).
///
/// ```
/// use ward_engine::report::{render, ReportFormat, ReportData};
/// let data: ReportData = serde_json::from_str(r#"{"version": 1, "summary": {"files": 0, "resources": 0, "rules": 0, "evaluations": 0, "findings": 0, "by_severity": {"critical": 0, "high": 0, "medium": 0, "low": 0, "info": 0}, "errors": 0, "suppressed": 0, "by_suppression": {"baseline": 0, "inline": 0, "waiver": 0}}, "findings": [], "suppressed": [], "errors": []}"#).unwrap();
/// assert!(render(&data, ReportFormat::Human, false).unwrap().starts_with("0 findings"));
/// assert!(render(&data, ReportFormat::Github, false).unwrap().starts_with("::notice title=ward::0 findings"));
/// ```
pub fn render(data: &ReportData, format: ReportFormat, color: bool) -> Result<String, RenderError> {
    let failed = |cause: SerializeError| RenderError { format, cause };
    match format {
        ReportFormat::Human => Ok(human::render(data, color)),
        ReportFormat::Json => json::render(data).map_err(failed),
        ReportFormat::Sarif => sarif::render(data).map_err(failed),
        ReportFormat::Junit => junit::render(data).map_err(failed),
        ReportFormat::Github => Ok(github::render(data)),
        ReportFormat::Markdown => Ok(markdown::render(data)),
    }
}

/// The report as data: what the JSON report is, and what every format renders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportData {
    /// [`REPORT_VERSION`].
    pub version: u32,
    /// What made the report.
    #[serde(default)]
    pub tool: Tool,
    /// The counts the report starts with.
    pub summary: Summary,
    /// In report order: path, line, column, rule.
    pub findings: Vec<ReportedFinding>,
    /// Findings a suppression kept out of `findings`, in the same order, each with what
    /// suppressed it.
    pub suppressed: Vec<ReportedFinding>,
    /// Problems that made the run untrustworthy.
    pub errors: Vec<Problem>,
    /// Inputs deliberately not read.
    #[serde(default)]
    pub notes: Vec<Problem>,
    /// Every rule that ran, by id; those a finding names carry their documentation.
    #[serde(default)]
    pub rules: Vec<RuleInfo>,
    /// With `ward scan --profile`: what each rule cost, costliest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Vec<RuleProfile>>,
    /// With `ward scan --profile`: what each stage of the run cost, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stages: Option<Vec<StageProfile>>,
}

/// What made the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `ward`.
    pub name: String,
    /// Its version.
    pub version: String,
}

impl Default for Tool {
    fn default() -> Tool {
        Tool { name: "ward".into(), version: env!("CARGO_PKG_VERSION").into() }
    }
}

/// The counts a report starts with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Resources in the graph.
    pub resources: usize,
    /// Rules that ran.
    pub rules: usize,
    /// Rule × input evaluations run.
    pub evaluations: usize,
    /// Findings that stand (not suppressed).
    pub findings: usize,
    /// [`Summary::findings`] per severity.
    pub by_severity: BySeverity,
    /// Problems that made the run untrustworthy.
    pub errors: usize,
    /// Files read and not judged, each with a note saying why (a JSON file with comments, a
    /// template): [`Report::not_judged`].
    #[serde(default)]
    pub not_judged: usize,
    /// Terraform module calls, by how they were judged; absent without any.
    #[serde(default, skip_serializing_if = "ModuleCalls::is_empty")]
    pub module_calls: ModuleCalls,
    /// Findings a suppression kept out.
    pub suppressed: usize,
    /// [`Summary::suppressed`] per kind of suppression.
    pub by_suppression: BySuppression,
}

/// Terraform module calls (each `module` block once), by how they were judged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleCalls {
    /// Expanded from a local module directory.
    pub local: usize,
    /// Expanded from the module `terraform init` downloaded.
    pub cached: usize,
    /// Expanded from the terraform-aws pack's description of a registry module.
    pub registry: usize,
    /// Not judged: another remote module, or a local path with no Terraform files.
    pub not_judged: usize,
}

impl ModuleCalls {
    /// Counts the module call blocks of `graph` by the label the graph gave each.
    pub fn count(graph: &crate::Graph) -> ModuleCalls {
        let mut seen = BTreeSet::new();
        let mut calls = ModuleCalls::default();
        for resource in &graph.resources {
            let Some(kind) =
                resource.labels.iter().find_map(|label| label.strip_prefix(crate::graph::CALL_LABEL_PREFIX))
            else {
                continue;
            };
            if !seen.insert((resource.document, resource.pointer.as_str())) {
                continue;
            }
            match kind {
                "local" => calls.local += 1,
                "cached" => calls.cached += 1,
                "registry" => calls.registry += 1,
                _ => calls.not_judged += 1,
            }
        }
        calls
    }

    /// Whether there were no module calls at all.
    pub fn is_empty(&self) -> bool {
        *self == ModuleCalls::default()
    }

    /// Calls judged through what they create.
    pub fn judged(&self) -> usize {
        self.local + self.cached + self.registry
    }
}

/// Findings per severity, most severe first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BySeverity {
    /// Critical findings.
    pub critical: usize,
    /// High findings.
    pub high: usize,
    /// Medium findings.
    pub medium: usize,
    /// Low findings.
    pub low: usize,
    /// Informational findings.
    pub info: usize,
}

impl BySeverity {
    /// Counts `severities`.
    pub fn count(severities: impl IntoIterator<Item = Severity>) -> BySeverity {
        let mut counts = BySeverity::default();
        for severity in severities {
            *counts.get_mut(severity) += 1;
        }
        counts
    }

    /// The count of `severity`.
    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }

    fn get_mut(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Critical => &mut self.critical,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        }
    }

    /// The count of every severity.
    pub fn total(&self) -> usize {
        Severity::ALL.iter().map(|severity| self.get(*severity)).sum()
    }
}

/// Suppressed findings per kind of suppression.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BySuppression {
    /// Suppressed by the baseline file.
    pub baseline: usize,
    /// Suppressed by a `ward:ignore` comment.
    pub inline: usize,
    /// Suppressed by a waiver in `ward.toml`.
    pub waiver: usize,
}

/// A finding as reports show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedFinding {
    /// The id of the rule that found it.
    pub rule: String,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong, in words (secrets redacted).
    pub message: String,
    /// Relative to the scan root, `/`-separated.
    pub path: String,
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column of the start.
    pub column: u32,
    /// 1-based line of the end.
    pub end_line: u32,
    /// 1-based column of the end.
    pub end_column: u32,
    /// The id of the resource it is about.
    pub resource: String,
    /// The JSON pointer into the resource's value the rule pointed at (empty for the resource).
    pub pointer: String,
    /// The pack the rule came from (`name@version`), when it came from a pack.
    pub pack: Option<PackRef>,
    /// Stable across runs and line changes: what baselines and waivers match.
    pub fingerprint: String,
    /// Other places the finding concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<ReportedLocation>,
    /// The environments whose rendered overlays the finding holds for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<String>,
    /// What else the rule said of the finding (a conftest result's members besides `msg`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, serde_json::Value>,
    /// The lines around the finding, secrets masked, for code frames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Excerpt>,
    /// For a suppressed finding: what suppressed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppression: Option<SuppressionInfo>,
}

impl ReportedFinding {
    /// `path:line:col`, as editors and terminals link it.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.path, self.line, self.column)
    }

    /// The name of the pack the rule came from (`secrets` of `secrets@0.1.0`).
    pub fn pack_name(&self) -> Option<&str> {
        self.pack.as_ref().map(|pack| pack.name.as_str())
    }
}

/// A related place of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedLocation {
    /// Relative to the scan root, `/`-separated.
    pub path: String,
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column of the start.
    pub column: u32,
    /// 1-based line of the end.
    pub end_line: u32,
    /// 1-based column of the end.
    pub end_column: u32,
    /// What is there, as the rule words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl ReportedLocation {
    /// `  also at path:line:col[: message]` and a line break: how plain-text reports list a
    /// finding's other places.
    pub fn write_also_at(&self, out: &mut String) {
        let _ = write!(out, "  also at {}:{}:{}", self.path, self.line, self.column);
        match &self.message {
            Some(message) => {
                let _ = writeln!(out, ": {message}");
            }
            None => out.push('\n'),
        }
    }

    fn of(location: &Location, message: Option<String>) -> ReportedLocation {
        ReportedLocation {
            path: location.path.clone(),
            line: location.start.line,
            column: location.start.column,
            end_line: location.end.line,
            end_column: location.end.column,
            message,
        }
    }
}

/// Some consecutive lines of a file, secrets masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excerpt {
    /// The 1-based number of the first line.
    pub line: u32,
    /// The lines, each with its line break.
    pub text: String,
}

impl Excerpt {
    /// Lines `first..=last` (1-based) of `text`, clamped to the text; `None` when `first` is
    /// past its end.
    ///
    /// ```
    /// use ward_engine::LineIndex;
    /// use ward_engine::report::Excerpt;
    /// let text = "a\nb\nc\n";
    /// let excerpt = Excerpt::of(text, &LineIndex::new(text), 0, 2).unwrap();
    /// assert_eq!((excerpt.line, excerpt.text.as_str()), (1, "a\nb\n"));
    /// assert_eq!(Excerpt::of(text, &LineIndex::new(text), 3, 9).unwrap().text, "c\n");
    /// ```
    pub fn of(text: &str, lines: &LineIndex, first: u32, last: u32) -> Option<Excerpt> {
        let first = first.max(1);
        let start = lines.line_start(first)?;
        let end = lines.line_start(last.max(first).saturating_add(1)).unwrap_or(text.len());
        let excerpt = text.get(start..end)?;
        (!excerpt.is_empty()).then(|| Excerpt { line: first, text: excerpt.to_owned() })
    }

    /// The 1-based number of the excerpt's last line.
    ///
    /// ```
    /// use ward_engine::report::Excerpt;
    /// assert_eq!(Excerpt { line: 4, text: "a\n\n".into() }.last_line(), 5);
    /// assert_eq!(Excerpt { line: 4, text: "a".into() }.last_line(), 4);
    /// ```
    pub fn last_line(&self) -> u32 {
        let body = self.text.strip_suffix('\n').unwrap_or(&self.text);
        let breaks = body.matches('\n').count();
        self.line.saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX))
    }

    /// The byte offset in the excerpt of a position in the file, if its line is in the excerpt.
    pub fn offset(&self, lines: &LineIndex, position: Position) -> Option<usize> {
        let line = position.line.checked_sub(self.line)?.checked_add(1)?;
        lines.line_start(line)?;
        Some(lines.offset(&self.text, Position { line, column: position.column }))
    }
}

/// What suppressed a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressionInfo {
    /// `inline`, `baseline` or `waiver`.
    pub kind: String,
    /// Why, as the comment or the waiver says.
    pub reason: Option<String>,
    /// A waiver's last day, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Where the `ward:ignore` comment is in the finding's file, or the waiver in ward.toml.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// A problem with an input, a policy or a rule, as reports show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The file, relative to the scan root, `/`-separated.
    pub path: String,
    /// 1-based line, when the problem has a place.
    pub line: Option<u32>,
    /// 1-based column, when the problem has a place.
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
    /// Where the problem's span ends, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    /// Where the problem's span ends: its 1-based column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    /// What would fix it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The lines around the problem, secrets masked, for code frames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Excerpt>,
}

impl Problem {
    fn of(diagnostic: &Diagnostic) -> Problem {
        let mut problem = Problem {
            path: diagnostic.path.clone(),
            line: diagnostic.position.map(|p| p.line),
            column: diagnostic.position.map(|p| p.column),
            message: diagnostic.message.clone(),
            end_line: None,
            end_column: None,
            help: diagnostic.help.clone(),
            source: None,
        };
        // A code frame needs the text and the span; the diagnostic's position is where the
        // span starts.
        if let (Some(text), Some(span)) = (diagnostic.source_text(), diagnostic.span) {
            let lines = LineIndex::new(text);
            let start = diagnostic.position.unwrap_or_else(|| lines.position(text, span.start));
            let end = lines.position(text, span.end);
            problem.line = Some(start.line);
            problem.column = Some(start.column);
            problem.end_line = Some(end.line);
            problem.end_column = Some(end.column);
            problem.source = Excerpt::of(text, &lines, start.line.saturating_sub(1), end.line.saturating_add(1));
        }
        problem
    }

    /// `path:line:col` (or just the path), as editors and terminals link it.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", self.path),
            _ => self.path.clone(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// A rule as reports name it; with its documentation when a finding names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    /// The rule's id.
    pub id: String,
    /// What the rule checks, in a line.
    pub title: String,
    /// How bad a finding of the rule is.
    pub severity: Severity,
    /// `None` for a loose policy file.
    pub pack: Option<PackRef>,
    /// The rule's documentation, for the rules a finding names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation: Option<RuleDocumentation>,
}

/// What `ward explain` shows of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleDocumentation {
    /// The rule's file.
    pub path: String,
    /// The kinds of resource it applies to; empty for every kind.
    pub kinds: Vec<DocumentKind>,
    /// Why it matters.
    pub description: String,
    /// How to fix what it finds.
    pub remediation: String,
    /// Links to read more.
    pub references: Vec<String>,
    /// A file of the rule's pack fixtures the rule fails on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_example: Option<Example>,
    /// A file of the rule's pack fixtures the rule passes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passing_example: Option<Example>,
}

impl RuleInfo {
    /// The rule of `metadata`, defined in `path`, with its documentation and its pack's examples.
    pub fn of(metadata: &RuleMetadata, path: &str, packs: &[Pack]) -> RuleInfo {
        let pack = packs.iter().find(|pack| Some(pack.manifest.label()) == metadata.pack);
        let example = |outcome: &str| pack.and_then(|pack| explain::first_fixture(pack, &metadata.id, outcome));
        RuleInfo {
            id: metadata.id.clone(),
            title: metadata.title.clone(),
            severity: metadata.severity,
            pack: metadata.pack.clone(),
            documentation: Some(RuleDocumentation {
                path: path.to_owned(),
                kinds: metadata.kinds.clone(),
                description: metadata.description.clone(),
                remediation: metadata.remediation.clone(),
                references: metadata.references.clone(),
                failing_example: example("fail"),
                passing_example: example("pass"),
            }),
        }
    }

    /// The rule's documentation as Markdown — what `ward explain` prints — when the report
    /// carries it.
    pub fn markdown(&self) -> Option<String> {
        let documentation = self.documentation.as_ref()?;
        let metadata = RuleMetadata {
            id: self.id.clone(),
            title: self.title.clone(),
            severity: self.severity,
            kinds: documentation.kinds.clone(),
            types: Vec::new(),
            scope: RuleScope::Resource,
            description: documentation.description.clone(),
            remediation: documentation.remediation.clone(),
            references: documentation.references.clone(),
            pack: self.pack.clone(),
        };
        Some(explain::markdown(
            &metadata,
            &documentation.path,
            documentation.failing_example.as_ref(),
            documentation.passing_example.as_ref(),
        ))
    }
}

/// Every rule of `policies`, with its documentation, sorted by id: what a [`Report`] lists.
pub fn rule_catalog(policies: &Policies, packs: &[Pack]) -> Vec<RuleInfo> {
    let mut rules: Vec<RuleInfo> =
        policies.rules().map(|(metadata, path)| RuleInfo::of(metadata, path, packs)).collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules
}

impl ReportData {
    /// The report of a scan: findings with their masked code-frame lines, problems, and the
    /// rules (documented when a finding names them).
    pub fn new(report: &Report) -> ReportData {
        let mut masked: HashMap<&str, Option<(String, LineIndex)>> = HashMap::new();
        let findings: Vec<ReportedFinding> = report
            .evaluation
            .findings
            .iter()
            .map(|finding| {
                let file = masked.entry(finding.location.path.as_str()).or_insert_with(|| {
                    report.masked_text(&finding.location.path).map(|text| {
                        let lines = LineIndex::new(&text);
                        (text, lines)
                    })
                });
                let line = finding.location.start.line;
                let source = file
                    .as_ref()
                    .and_then(|(text, lines)| Excerpt::of(text, lines, line.saturating_sub(1), line.saturating_add(1)));
                ReportedFinding { source, ..reported(finding) }
            })
            .collect();
        let suppressed: Vec<ReportedFinding> = report
            .suppressed
            .iter()
            .map(|suppressed| ReportedFinding {
                suppression: Some(suppression_info(&suppressed.by)),
                ..reported(&suppressed.finding)
            })
            .collect();
        let errors: Vec<Problem> = report.errors().map(Problem::of).collect();
        let notes: Vec<Problem> = report.notes().map(Problem::of).collect();
        let mut by_suppression = BySuppression::default();
        for suppressed in report.suppressed {
            match suppressed.by {
                Suppression::Inline { .. } => by_suppression.inline += 1,
                Suppression::Baseline => by_suppression.baseline += 1,
                Suppression::Waiver { .. } => by_suppression.waiver += 1,
            }
        }
        let summary = Summary {
            files: report.files(),
            resources: report.graph.resources.len(),
            rules: report.rules.len(),
            evaluations: report.evaluation.evaluations,
            findings: findings.len(),
            by_severity: BySeverity::count(findings.iter().map(|finding| finding.severity)),
            errors: errors.len(),
            not_judged: report.not_judged(),
            module_calls: ModuleCalls::count(report.graph),
            suppressed: suppressed.len(),
            by_suppression,
        };
        let rules = named_rules(report.rules, findings.iter().chain(&suppressed));
        ReportData {
            version: REPORT_VERSION,
            tool: Tool::default(),
            summary,
            findings,
            suppressed,
            errors,
            notes,
            rules,
            profile: report.evaluation.profile.clone(),
            stages: report.evaluation.profile.as_ref().map(|_| report.evaluation.stages.clone()),
        }
    }

    /// Reads a saved JSON report; `path` names it in the error, a [`Diagnostic`] at the line
    /// and column where the text stops being a ward report, with the text for its code frame.
    ///
    /// ```
    /// use ward_engine::report::ReportData;
    /// let error = ReportData::from_json("old.json", "{\"version\": 1,\n \"summary\": 3}").unwrap_err();
    /// assert_eq!(error.position.map(|p| (p.line, p.column)), Some((2, 13)));
    /// assert!(error.to_string().starts_with("old.json:2:13: not a ward JSON report"));
    /// assert!(ReportData::from_json("new.json", "{\"version\": 7}").unwrap_err().message.contains("version 7"));
    /// ```
    pub fn from_json(path: &str, text: &str) -> Result<ReportData, Diagnostic> {
        #[derive(Deserialize)]
        struct Versioned {
            version: Option<u32>,
        }
        let invalid = |error: serde_json::Error| {
            let position = Position {
                line: u32::try_from(error.line()).unwrap_or(u32::MAX),
                column: u32::try_from(error.column()).unwrap_or(u32::MAX),
            };
            Diagnostic::at_position(path, position, format!("not a ward JSON report: {error}")).with_source(text)
        };
        // The version first: a report of another version gets that said, not a field error.
        let versioned: Versioned = serde_json::from_str(text).map_err(invalid)?;
        match versioned.version {
            Some(REPORT_VERSION) => serde_json::from_str(text).map_err(invalid),
            other => {
                let message = match other {
                    Some(version) => {
                        format!("a ward JSON report of version {version}; this ward reads version {REPORT_VERSION}")
                    }
                    None => "not a ward JSON report: it has no `version`".to_owned(),
                };
                Err(Diagnostic::at_position(path, Position { line: 1, column: 1 }, message).with_source(text))
            }
        }
    }

    /// Whether a problem made the run untrustworthy.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The findings of `threshold` or worse.
    pub fn findings_at_or_above(&self, threshold: Severity) -> impl Iterator<Item = &ReportedFinding> {
        self.findings.iter().filter(move |finding| finding.severity >= threshold)
    }

    /// The rule with this id, when the report lists it.
    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|rule| rule.id == id)
    }
}

fn reported(finding: &Finding) -> ReportedFinding {
    ReportedFinding {
        rule: finding.rule_id.clone(),
        severity: finding.severity,
        message: finding.message.clone(),
        path: finding.location.path.clone(),
        line: finding.location.start.line,
        column: finding.location.start.column,
        end_line: finding.location.end.line,
        end_column: finding.location.end.column,
        resource: finding.resource.clone(),
        pointer: finding.pointer.clone(),
        pack: finding.pack.clone(),
        fingerprint: finding.fingerprint.clone(),
        related: finding
            .related
            .iter()
            .map(|related| ReportedLocation::of(&related.location, related.message.clone()))
            .collect(),
        environments: finding.environments.clone(),
        details: finding.details.clone(),
        source: None,
        suppression: None,
    }
}

fn suppression_info(by: &Suppression) -> SuppressionInfo {
    let (expires, line) = match by {
        Suppression::Inline { line, .. } => (None, Some(*line)),
        Suppression::Waiver { expires, position, .. } => (Some(expires.to_string()), Some(position.line)),
        Suppression::Baseline => (None, None),
    };
    SuppressionInfo { kind: by.kind().to_owned(), reason: by.reason().map(str::to_owned), expires, line }
}

/// The rules of a run, documented only where a finding names them (the documentation of every
/// rule would be most of a report), and ward's own rules that a finding names.
fn named_rules<'a>(catalog: &[RuleInfo], findings: impl Iterator<Item = &'a ReportedFinding>) -> Vec<RuleInfo> {
    let mut named: BTreeMap<&str, Severity> = BTreeMap::new();
    for finding in findings {
        named.entry(finding.rule.as_str()).or_insert(finding.severity);
    }
    let mut rules: Vec<RuleInfo> = catalog
        .iter()
        .map(|rule| RuleInfo {
            documentation: rule.documentation.clone().filter(|_| named.contains_key(rule.id.as_str())),
            ..rule.clone()
        })
        .collect();
    let known: BTreeSet<&str> = catalog.iter().map(|rule| rule.id.as_str()).collect();
    for (id, severity) in named.into_iter().filter(|(id, _)| !known.contains(id)) {
        rules.push(match id {
            crate::suppress::EXPIRED_WAIVER => RuleInfo::of(&crate::suppress::expired_waiver_rule(), "ward.toml", &[]),
            _ => RuleInfo { id: id.to_owned(), title: id.to_owned(), severity, pack: None, documentation: None },
        });
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules
}
