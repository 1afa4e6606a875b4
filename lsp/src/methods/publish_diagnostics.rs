//! `textDocument/publishDiagnostics` (server to client, pushed: older clients have no pull
//! diagnostics). For each document whose diagnostics are out of date:
//!
//! - a policy (`.rego`, `*.cel.yaml`): the engine's compile and metadata errors for this file,
//!   compiled with the rest of its pack, at the range of the word they point at;
//! - `pack.toml`, `ward.toml`: schema and version errors at their line and column, and for
//!   `ward.toml` the problems loading the packs it names (an unknown pack or rule id);
//! - a file ward scans: the active packs' findings on it, on their lines, and why it does not
//!   parse, if it does not.
//!
//! The work runs on the [pool](crate::pool): the main loop takes what a document's diagnostics
//! need (its text, the policy files around it, the workspace's shared handles) and goes on; the
//! result comes back as [`Done::Diagnostics`] and is published if the document is still at the
//! version it was computed for. At most one task per document is in flight: a document changed
//! meanwhile stays out of date and is scheduled again when the task ends, so a burst of edits
//! costs one evaluation after the one already running.

use std::path::{Path, PathBuf};

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, LogMessageParams, MessageType,
    NumberOrString, Position, PublishDiagnosticsParams, Range, Url,
};
use ward_engine::{Config, Diagnostic as Problem, Finding, Manifest, RelatedLocation, Severity};

use crate::files::Role;
use crate::policy::PolicySet;
use crate::pool::Done;
use crate::position::{Encoding, Text};
use crate::state::State;
use crate::workspace::WorkspaceSnapshot;

/// Where diagnostics say they come from.
pub const SOURCE: &str = "ward";

/// Starts computing the diagnostics of every document marked out of date that has no task in
/// flight.
pub fn schedule(state: &mut State) {
    let ready: Vec<Url> = state.dirty.iter().filter(|uri| !state.in_flight.contains(*uri)).cloned().collect();
    for uri in ready {
        state.dirty.remove(&uri);
        let Some(document) = state.documents.get(&uri) else { continue };
        let (path, role, version, text) =
            (document.path.clone(), document.role, document.version, document.text.clone());
        let encoding = state.encoding;
        let task = match role {
            Role::Rego | Role::Cel | Role::PackManifest => {
                let buffers = buffers(state);
                Task::Policy(PolicySet::of(&path, &mut state.packs, &buffers))
            }
            Role::Config => Task::Config,
            Role::Target(_) => Task::Target(Box::new(state.workspace_of(&path).snapshot())),
            Role::Other => Task::Nothing,
        };
        state.in_flight.insert(uri.clone());
        let what = format!("diagnostics of {}", path.display());
        state.pool.spawn(what, Some(uri.clone()), move || {
            let (diagnostics, findings) = task.run(&path, &text, encoding);
            Done::Diagnostics { uri, version, diagnostics, findings }
        });
    }
}

/// A task's diagnostics, back on the main loop: published if the document is still open at the
/// version they were computed for.
pub fn finish(state: &mut State, uri: Url, version: i32, diagnostics: Vec<Diagnostic>, findings: Vec<Finding>) {
    state.in_flight.remove(&uri);
    let Some(document) = state.documents.get_mut(&uri) else { return };
    if document.version != version {
        return;
    }
    document.findings = findings;
    state.notify("textDocument/publishDiagnostics", PublishDiagnosticsParams::new(uri, diagnostics, Some(version)));
}

/// A task that failed: said in the log; the document is left out of date only if it changed.
pub fn failed(state: &mut State, what: &str, uri: Option<Url>) {
    if let Some(uri) = uri {
        state.in_flight.remove(&uri);
    }
    let message = format!("ward lsp failed on {what}");
    state.notify("window/logMessage", LogMessageParams { typ: MessageType::ERROR, message });
}

/// What computing one document's diagnostics needs besides its text, taken on the main loop.
enum Task {
    Policy(PolicySet),
    Config,
    Target(Box<WorkspaceSnapshot>),
    Nothing,
}

impl Task {
    fn run(self, path: &Path, text: &Text, encoding: Encoding) -> (Vec<Diagnostic>, Vec<Finding>) {
        match self {
            Task::Policy(set) => (policy_diagnostics(&set, path, text, encoding), Vec::new()),
            Task::Config => (config_diagnostics(path, text, encoding), Vec::new()),
            Task::Target(workspace) => target_diagnostics(&workspace, path, text, encoding),
            Task::Nothing => (Vec::new(), Vec::new()),
        }
    }
}

fn error_at(text: &Text, error: &Problem, encoding: Encoding) -> Diagnostic {
    // A problem with the file as a whole is shown at its start.
    let range = match error.position {
        Some(position) => text.word_range_at(position, encoding),
        None => Range::new(Position::new(0, 0), Position::new(0, 0)),
    };
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some(SOURCE.into()),
        message: error.message.clone(),
        ..Diagnostic::default()
    }
}

/// The open buffers, as `(file, text)`.
pub fn buffers(state: &State) -> Vec<(PathBuf, String)> {
    state.documents.values().map(|document| (document.path.clone(), document.text.text.clone())).collect()
}

fn policy_diagnostics(set: &PolicySet, path: &Path, text: &Text, encoding: Encoding) -> Vec<Diagnostic> {
    let compiled = set.compile();
    let mut errors: Vec<&Problem> =
        compiled.errors.iter().filter(|error| set.file_of(&error.path).as_deref() == Some(path)).collect();
    // A manifest outside any pack directory (being written): checked on its own.
    let own;
    if errors.is_empty() && path.file_name().is_some_and(|name| name == "pack.toml") && !set.is_pack {
        own = Manifest::parse("pack.toml", &text.text).err();
        errors.extend(own.as_ref());
    }
    errors.iter().map(|error| error_at(text, error, encoding)).collect()
}

fn config_diagnostics(path: &Path, text: &Text, encoding: Encoding) -> Vec<Diagnostic> {
    let shown = ward_engine::CONFIG_FILE;
    let dir = path.parent().unwrap_or(Path::new("."));
    match Config::parse(shown, &text.text, dir) {
        Err(error) => vec![error_at(text, &error, encoding)],
        Ok(config) => {
            let loaded = ward_engine::load_project(&config, true);
            loaded.errors.iter().filter(|error| error.path == shown).map(|e| error_at(text, e, encoding)).collect()
        }
    }
}

fn target_diagnostics(
    workspace: &WorkspaceSnapshot,
    path: &Path,
    text: &Text,
    encoding: Encoding,
) -> (Vec<Diagnostic>, Vec<Finding>) {
    let relative = workspace.relative(path);
    let report = workspace.check_buffer(path, &text.text);
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for problem in &report.problems {
        // A parse error is in this file; a rule that failed names the rule's file, and is
        // said at the top of this one.
        let range = match (problem.path == relative, problem.span, problem.position) {
            (true, Some(span), _) if span.end > span.start => text.range(span.start, span.end, encoding),
            (true, _, Some(position)) => text.word_range_at(position, encoding),
            _ => Range::new(Position::new(0, 0), Position::new(0, 0)),
        };
        let mut message = problem.message.clone();
        if let Some(help) = &problem.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let severity = match problem.level {
            ward_engine::Level::Error => DiagnosticSeverity::ERROR,
            ward_engine::Level::Note => DiagnosticSeverity::INFORMATION,
        };
        diagnostics.push(Diagnostic {
            range,
            severity: Some(severity),
            source: Some(SOURCE.into()),
            message,
            ..Diagnostic::default()
        });
    }
    for finding in &report.findings {
        let mut diagnostic = finding_diagnostic(text, finding, encoding);
        let related = finding
            .related
            .iter()
            .filter_map(|related| related_information(workspace.root(), &relative, text, related, encoding));
        diagnostic.related_information = Some(related.collect()).filter(|related: &Vec<_>| !related.is_empty());
        diagnostics.push(diagnostic);
    }
    (diagnostics, report.findings)
}

/// Another place a finding concerns, as the editor lists it under the diagnostic: in this
/// buffer, or in a file of the project as it is on disk.
fn related_information(
    root: &Path,
    buffer_path: &str,
    buffer: &Text,
    related: &RelatedLocation,
    encoding: Encoding,
) -> Option<DiagnosticRelatedInformation> {
    /// Past this size a file's positions are not worth converting: its line and column are
    /// taken as they are (exact for ASCII).
    const MAX_BYTES: u64 = 1024 * 1024;
    let file = root.join(&related.location.path);
    let uri = Url::from_file_path(&file).ok()?;
    let on_disk;
    let text = if related.location.path == buffer_path {
        Some(buffer)
    } else {
        let small = std::fs::metadata(&file).is_ok_and(|meta| meta.is_file() && meta.len() <= MAX_BYTES);
        on_disk = small.then(|| std::fs::read_to_string(&file).ok()).flatten().map(Text::new);
        on_disk.as_ref()
    };
    let (start, end) = (related.location.start, related.location.end);
    let range = match text {
        Some(text) => text.range(text.engine_offset(start), text.engine_offset(end), encoding),
        None => {
            let at = |p: ward_engine::Position| Position::new(p.line.saturating_sub(1), p.column.saturating_sub(1));
            Range::new(at(start), at(end))
        }
    };
    // A related place without a message still needs words in the editor's list.
    let message = related.message.clone().unwrap_or_else(|| "see also".to_owned());
    Some(DiagnosticRelatedInformation { location: Location { uri, range }, message })
}

/// A finding as a diagnostic: on the first line of what it points at (a finding about a whole
/// Deployment would otherwise underline fifty lines), with the rule id as its code.
pub fn finding_diagnostic(text: &Text, finding: &Finding, encoding: Encoding) -> Diagnostic {
    let start = text.engine_offset(finding.location.start);
    let end = text.engine_offset(finding.location.end).max(start);
    let line_end = text.text.get(start..).and_then(|rest| rest.find('\n')).map_or(text.text.len(), |at| start + at);
    let end = if end > line_end || end == start { line_end } else { end };
    let severity = match finding.severity {
        Severity::Critical | Severity::High => DiagnosticSeverity::ERROR,
        Severity::Medium => DiagnosticSeverity::WARNING,
        Severity::Low => DiagnosticSeverity::INFORMATION,
        Severity::Info => DiagnosticSeverity::HINT,
    };
    Diagnostic {
        range: text.range(start, end, encoding),
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.rule_id.clone())),
        source: Some(SOURCE.into()),
        message: format!("{} [{}]", finding.message, finding.severity),
        data: Some(serde_json::json!({"rule": finding.rule_id, "fingerprint": finding.fingerprint})),
        ..Diagnostic::default()
    }
}
