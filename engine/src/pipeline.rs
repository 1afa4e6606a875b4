//! One whole scan, as the CLI and the language server run it: load the files (from disk, or
//! from git for a staged or pull-request change), evaluate the graph rules, scan the texts for
//! secrets, take every detected secret out of everything that will be shown (with the built-in
//! secret rules even when the run's rules include none), and apply the suppressions. Each step is its own module; this is only their order.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::diagnostic::{Diagnostic, Level};
use crate::document::{Document, DocumentKind};
use crate::eval::{evaluate, EvalOptions, Evaluation};
use crate::finding::{sort_findings, Finding};
use crate::graph::Graph;
use crate::load::{load, load_inspecting, load_texts, LoadOptions, Loaded};
use crate::policy::Policies;
use crate::profile::{self, Profiler, StageClock};
use crate::secrets::redact::Redactor;
use crate::secrets::scan::{self as secret_scan, SecretScanner};
use crate::secrets::{collect, scan_texts, scan_texts_timed, scan_timed, SecretScan};
use crate::source::git::{self, Change, ChangedFile};
use crate::source::{Contents, Detected};
use crate::suppress::{Applied, Suppressed, Suppressions};

/// What to scan.
#[derive(Debug, Clone)]
pub enum Target {
    /// Files and directories (relative to `base`), read from disk.
    Paths {
        /// The files and directories to scan.
        paths: Vec<PathBuf>,
        /// What `paths` are relative to (the working directory).
        base: PathBuf,
    },
    /// What a change adds, read from git, in the repository around `root` (paths relative to
    /// it): findings only in the files it changes, secrets only on the lines it adds.
    Change {
        /// A directory in the repository: the part of it to scan.
        root: PathBuf,
        /// Which change: the staged one, or a revision range.
        change: Change,
    },
    /// Every line the commits of a revision range added (`ward scan --history`), read from git
    /// in the repository around `root` (paths relative to it): the secret rules only, each
    /// secret reported once, at the commit that first added it.
    History {
        /// A directory in the repository: the part of it to scan.
        root: PathBuf,
        /// The revision range (`A..B`, `--all`); `None`: the history of `HEAD`.
        range: Option<String>,
    },
}

/// How to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// How to read the files: limits, file globs, environment names.
    pub load: LoadOptions,
    /// How to run the rules: threads, time limits, coverage, profiling.
    pub eval: EvalOptions,
    /// Inline comments, waivers and the baseline to apply to the findings.
    pub suppressions: Suppressions,
}

/// A finished scan.
#[derive(Debug)]
pub struct Scan {
    /// The files read and the graph built from them, with the problems met.
    pub loaded: Loaded,
    /// The findings that stand, in report order, and the rules' errors — both redacted.
    pub evaluation: Evaluation,
    /// The findings a suppression kept out of [`Scan::evaluation`], each with what did.
    pub suppressed: Vec<Suppressed>,
    /// Every secret found: for whatever else the caller shows (the graph, code frames).
    pub redactor: Redactor,
    /// Bytes the secret scanner read.
    pub secret_bytes: usize,
    /// For a change: the files it adds to or modifies.
    pub changed: Option<Vec<ChangedFile>>,
}

/// What a scan is busy with, for a caller that shows progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Finding, reading and parsing the files.
    Reading,
    /// Evaluating the rules over the graph's resources.
    /// Evaluating the rules over the graph's resources.
    Evaluating {
        /// How many resources the graph has.
        resources: usize,
    },
    /// Scanning the files' text for secrets.
    /// Scanning the files' text for secrets.
    ScanningSecrets {
        /// How many files are scanned.
        files: usize,
    },
    /// Applying inline comments, waivers and the baseline.
    Suppressing,
}

/// Runs a scan of `target` with `policies`.
///
/// ```
/// use ward_engine::{scan, ScanOptions, Target};
/// let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
/// let policies = ward_engine::load_builtin_policies().policies;
/// let target = Target::Paths { paths: vec!["testdata/repos/shop".into()], base };
/// let result = scan(&target, &policies, &ScanOptions::default());
/// assert!(result.evaluation.findings.iter().any(|f| f.location.path == "services/worker/Dockerfile"));
/// ```
pub fn run(target: &Target, policies: &Policies, options: &ScanOptions) -> Scan {
    run_with_progress(target, policies, options, &|_| {})
}

/// [`run`], telling `progress` each [`Stage`] as it starts.
pub(crate) fn run_with_progress(
    target: &Target,
    policies: &Policies,
    options: &ScanOptions,
    progress: &dyn Fn(Stage),
) -> Scan {
    prepare(target.clone()).run_with_progress(policies, options, progress)
}

/// What the secret scanner detected, by path.
type DetectedByPath = Vec<(String, Vec<secret_scan::SecretMatch>)>;

/// A target whose reading has begun: for a change, git runs (see [`git::start`]) while the
/// caller compiles its policies — in a pre-commit hook, the two take about as long.
#[derive(Debug)]
pub struct Prepared {
    target: Target,
    /// Starting git, on a thread of its own: each spawn waits for the child to start, and the
    /// caller has policies to compile meanwhile.
    pending: Option<std::thread::JoinHandle<git::PendingSnapshot>>,
}

/// Starts reading `target`; [`Prepared::run_with_progress`] scans it.
pub fn prepare(target: Target) -> Prepared {
    let pending = match &target {
        Target::Paths { .. } | Target::History { .. } => None,
        Target::Change { root, change } => {
            let (root, change) = (root.clone(), change.clone());
            std::thread::Builder::new().spawn(move || git::start(&root, &change)).ok()
        }
    };
    Prepared { target, pending }
}

impl Prepared {
    /// Scans the target with `policies` (see [`run`]), telling `progress` each [`Stage`].
    pub fn run_with_progress(self, policies: &Policies, options: &ScanOptions, progress: &dyn Fn(Stage)) -> Scan {
        scan(self, policies, options, progress)
    }
}

fn scan(prepared: Prepared, policies: &Policies, options: &ScanOptions, progress: &dyn Fn(Stage)) -> Scan {
    progress(Stage::Reading);
    let scanner = SecretScanner::new(policies.secrets.clone());
    if let Target::History { root, range } = &prepared.target {
        return scan_history(root, range.as_deref(), &scanner, options, progress);
    }
    let mut load_options = options.load.clone();
    load_options.keep_texts = !scanner.is_empty();
    // A secrets-only run (the pre-commit hook) needs no parsing; any other parses, if only to
    // report inputs that do not parse.
    load_options.texts_only = !policies.has_document_rules() && !scanner.is_empty();
    load_options.generic_kinds_read = Some(policies.generic_kinds_read());
    // With `--profile`: what the secret scan of each file cost.
    let secret_profiler = options.eval.profile.then(|| std::sync::Mutex::new(Profiler::default()));
    // For a secrets-only scan of paths: what each file held, as it was read, and the bytes read.
    let mut inspected: Option<(DetectedByPath, usize)> = None;
    let (loaded, changed) = match (&prepared.target, prepared.pending) {
        (Target::Change { root, change }, pending) => std::thread::scope(|scope| {
            // While git answers, the regexes a change most likely needs compile: a hook's run
            // would otherwise wait for both in turn.
            scope.spawn(|| scanner.compile_generic_rules());
            // Without the thread (it could not be made), git starts now.
            let pending = pending.and_then(|started| started.join().ok()).unwrap_or_else(|| git::start(root, change));
            load_change(root, change, pending, &load_options)
        }),
        (Target::Paths { paths, base }, _) if load_options.texts_only => {
            // Nothing to parse: each file is scanned as it is read, and kept only if it holds a
            // secret.
            let bytes = AtomicUsize::new(0);
            let scan_one = |path: &str, text: &str| {
                bytes.fetch_add(text.len(), Ordering::Relaxed);
                Some(scan_timed(&scanner, path, text, secret_profiler.as_ref())).filter(|found| !found.is_empty())
            };
            let (loaded, found) = load_inspecting(paths, base, &load_options, options.eval.jobs, &scan_one);
            inspected = Some((found, bytes.into_inner()));
            (loaded, None)
        }
        (Target::Paths { paths, base }, _) => (load(paths, base, &load_options), None),
        // Scanned by `scan_history`, above: nothing to load.
        (Target::History { root, .. }, _) => (nothing_loaded(root, Vec::new()), None),
    };
    let mut evaluation = match policies.has_document_rules() {
        true => {
            progress(Stage::Evaluating { resources: loaded.graph.resources.len() });
            evaluate(&loaded.graph, policies, &options.eval)
        }
        false => Evaluation::default(),
    };
    let mut clock = StageClock::start();
    let all_texts = loaded.all_texts();
    let texts: Vec<(&str, &str)> = match &changed {
        Some(changed) => {
            all_texts.iter().copied().filter(|(path, _)| changed.iter().any(|file| file.path == *path)).collect()
        }
        None => all_texts.clone(),
    };
    let mut secrets = match &inspected {
        Some((found, bytes)) => {
            let per_file = found
                .iter()
                .filter_map(|(path, detected)| Some((path.as_str(), loaded.text_of(path)?, detected.clone())));
            SecretScan { bytes: *bytes, ..collect(&scanner, per_file.collect()) }
        }
        None => {
            progress(Stage::ScanningSecrets { files: texts.len() });
            scan_texts_timed(&scanner, &texts, options.eval.jobs, secret_profiler.as_ref())
        }
    };
    if let Some(secret_profiler) = secret_profiler.and_then(|profiler| profiler.into_inner().ok()) {
        // The secret scan is one more line of the rules' profile.
        let mut all = evaluation.profile.take().unwrap_or_default();
        all.extend(secret_profiler.finish());
        profile::sort(&mut all);
        evaluation.profile = Some(all);
    }
    evaluation.errors.extend(secret_rule_errors(&scanner));
    if scanner.is_empty() {
        secrets.redactor = redactor_without_secret_rules(&all_texts, options.eval.jobs);
    }
    evaluation.findings.extend(secrets.findings);
    clock.lap("secrets");
    if let Some(changed) = &changed {
        // Policy findings in the files the change touches; secrets on the lines it adds.
        evaluation.findings.retain(|finding| {
            let Some(file) = changed.iter().find(|file| file.path == finding.location.path) else { return false };
            !finding.resource.starts_with("file:")
                || file.touches_any(finding.location.start.line, finding.location.end.line)
        });
    }
    let mut loaded = loaded;
    if let Some(changed) = &changed {
        // A file the change does not touch is read only for the graph: its problems are not
        // this change's to fix.
        loaded.diagnostics.retain(|d| d.path.is_empty() || changed.iter().any(|file| file.path == d.path));
    }
    progress(Stage::Suppressing);
    let redactor = secrets.redactor;
    let findings = std::mem::take(&mut evaluation.findings);
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    let problems = [&mut evaluation.errors, &mut diagnostics];
    let applied = settle(findings, problems, &redactor, &options.suppressions, &|path| loaded.text_of(path));
    loaded.diagnostics = diagnostics;
    evaluation.findings = applied.findings;
    clock.lap("suppressions");
    // The run's stages in order: loading's, evaluation's, then the secret scan and suppressions.
    let evaluated = std::mem::take(&mut evaluation.stages);
    evaluation.stages = std::mem::take(&mut loaded.stages).into_iter().chain(evaluated).chain(clock.finish()).collect();
    Scan { evaluation, suppressed: applied.suppressed, redactor, secret_bytes: secrets.bytes, changed, loaded }
}

/// A history scan: the secret rules over the lines the commits added; no file is read from disk,
/// and no document rule runs. A history that git cannot read is an error of the run.
fn scan_history(
    root: &Path,
    range: Option<&str>,
    scanner: &SecretScanner,
    options: &ScanOptions,
    progress: &dyn Fn(Stage),
) -> Scan {
    progress(Stage::ScanningSecrets { files: 0 });
    let mut diagnostics = Vec::new();
    let history = match crate::secrets::history::scan_history(root, range, scanner) {
        Ok(history) => history,
        Err(error) => {
            diagnostics.push(Diagnostic::file(Level::Error, "", format!("cannot read the history: {error}")));
            SecretScan::default()
        }
    };
    let mut evaluation = Evaluation::default();
    evaluation.errors.extend(secret_rule_errors(scanner));
    progress(Stage::Suppressing);
    let problems = [&mut evaluation.errors, &mut diagnostics];
    let applied = settle(history.findings, problems, &history.redactor, &options.suppressions, &|_| None);
    evaluation.findings = applied.findings;
    let loaded = nothing_loaded(root, diagnostics);
    Scan {
        evaluation,
        suppressed: applied.suppressed,
        redactor: history.redactor,
        secret_bytes: history.bytes,
        changed: None,
        loaded,
    }
}

/// No file read under `root`; only `diagnostics` to tell.
fn nothing_loaded(root: &Path, diagnostics: Vec<Diagnostic>) -> Loaded {
    Loaded {
        root: root.to_path_buf(),
        graph: Graph::default(),
        diagnostics,
        texts: Vec::new(),
        inspected_only: 0,
        stages: Vec::new(),
        for_expansion: Vec::new(),
    }
}

/// A secret rule whose regex did not compile did not run: an error of the run.
fn secret_rule_errors(scanner: &SecretScanner) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for rule in scanner.rules() {
        for error in rule.regex_errors() {
            let message = format!("secret rule {} did not run: its regex {error}", rule.metadata.id);
            errors.push(Diagnostic::file(Level::Error, &rule.path, message));
        }
    }
    errors
}

/// When no secret rule runs, a rule's message or a code frame may still show a secret: the
/// built-in secret rules find them for redaction, and report nothing.
fn redactor_without_secret_rules(texts: &[(&str, &str)], jobs: usize) -> Redactor {
    static DETECTORS: OnceLock<SecretScanner> = OnceLock::new();
    let detectors = DETECTORS.get_or_init(|| SecretScanner::new(crate::policy::builtin_secret_rules()));
    scan_texts(detectors, texts, jobs).redactor
}

/// The last steps of every scan, a tree's or an editor buffer's, so that the two cannot differ:
/// take every secret `redactor` knows out of the findings' messages (their related locations'
/// too) and out of `problems`, apply `suppressions` (inline comments read through `text_of`,
/// waivers, the baseline), and sort what stands into report order.
fn settle<'t, const N: usize>(
    mut findings: Vec<Finding>,
    problems: [&mut Vec<Diagnostic>; N],
    redactor: &Redactor,
    suppressions: &Suppressions,
    text_of: &dyn Fn(&str) -> Option<&'t str>,
) -> Applied {
    for finding in &mut findings {
        finding.message = redactor.redact_text(&finding.message);
        for related in &mut finding.related {
            related.message = related.message.as_deref().map(|message| redactor.redact_text(message));
        }
    }
    for problem in problems.into_iter().flat_map(|problems| problems.iter_mut()) {
        redactor.redact_diagnostic(problem);
    }
    let mut applied = suppressions.apply(findings, text_of);
    sort_findings(&mut applied.findings);
    applied
}

/// One file's text as an editor holds it (saved or not), scanned in its project.
#[derive(Debug, Clone, Copy)]
pub struct Buffer<'a> {
    /// Where the project's root is: the `Loaded::root` of a scan.
    pub root: &'a Path,
    /// The file's path relative to the root, `/`-separated, as findings name it.
    pub path: &'a str,
    /// The file's text as the editor holds it.
    pub text: &'a str,
}

/// What [`scan_buffer`] found in one buffer.
#[derive(Debug, Default)]
pub struct BufferScan {
    /// The buffer's kind, once parsed (`None`: not a kind ward reads, or it did not parse).
    pub kind: Option<DocumentKind>,
    /// The findings in the buffer that stand, in report order, redacted.
    pub findings: Vec<Finding>,
    /// The findings in the buffer a suppression hides.
    pub suppressed: Vec<Suppressed>,
    /// Why the buffer could not be used (it does not parse, it is too large), and rules that
    /// failed on it: redacted.
    pub problems: Vec<Diagnostic>,
}

/// Scans one buffer as [`run`] scans the files of a tree, and reports what it reports for that
/// file: its kind is detected and it is parsed as on disk; the rules run over it, with the
/// documents of the rest of the tree in `context` (as last loaded) when some rule reads the
/// graph ([`Policies::reads_graph`]); the secret rules read its text, parsed or not; then the
/// same redaction and suppressions (inline comments in the buffer, waivers, the baseline) as a
/// scan's. A file `ward.toml` excludes yields nothing, as it would in a scan.
///
/// `scanner` is the secret scanner of `policies.secrets` ([`SecretScanner::new`]): an editor
/// scans buffer after buffer with the same policies, and builds it once for all of them.
///
/// ```
/// use ward_engine::{scan_buffer, Buffer, ScanOptions};
/// use ward_engine::SecretScanner;
/// let policies = ward_engine::load_builtin_policies().policies;
/// let scanner = SecretScanner::new(policies.secrets.clone());
/// let buffer = Buffer { root: std::path::Path::new("/repo"), path: "api/Dockerfile", text: "FROM python:latest\n" };
/// let scan = scan_buffer(buffer, &[], &policies, &scanner, &ScanOptions::default());
/// assert!(scan.findings.iter().any(|finding| finding.rule_id == "CTR-001"));
/// assert!(scan.findings.iter().all(|finding| finding.location.path == "api/Dockerfile"));
/// ```
pub fn scan_buffer(
    buffer: Buffer<'_>,
    context: &[Document],
    policies: &Policies,
    scanner: &SecretScanner,
    options: &ScanOptions,
) -> BufferScan {
    let mut load_options = options.load.clone();
    load_options.keep_texts = !scanner.is_empty();
    load_options.texts_only = !policies.has_document_rules() && !scanner.is_empty();
    let contents = vec![(buffer.path.to_owned(), Contents::Text(buffer.text.to_owned()))];
    let mut loaded = load_texts(buffer.root.to_path_buf(), contents, &load_options);
    let kind = loaded.graph.documents.first().map(|document| document.kind);
    // Whether the buffer was read at all (a scan reads no file `ward.toml` excludes).
    let read = loaded.files_read() > 0;
    let mut evaluation = Evaluation::default();
    if policies.has_document_rules() && kind.is_some() {
        let mut documents = std::mem::take(&mut loaded.graph.documents);
        // A manifest a kustomization may render is judged as rendered, which takes the tree; so
        // is a file of a Helm chart (a template, a values file): its findings come from the
        // chart's renders, made with this buffer's text.
        let rendered = (kind == Some(DocumentKind::Kubernetes)
            && context.iter().any(|other| crate::kinds::is_kustomization_path(&other.path)))
            || context.iter().any(|other| crate::render::helm::reads(&other.path, buffer.path));
        if policies.reads_graph() || rendered {
            documents.extend(context.iter().filter(|other| other.path != buffer.path).cloned());
        }
        let (graph, rendering) =
            Graph::build_rendering(documents, &load_options.environments, Some(buffer.root), &load_options.limits);
        loaded.diagnostics.extend(rendering.into_iter().filter(|diagnostic| diagnostic.path == buffer.path));
        evaluation = evaluate(&graph, policies, &options.eval);
        evaluation.findings.retain(|finding| finding.location.path == buffer.path);
    }
    let texts = [(buffer.path, buffer.text)];
    let texts = if read { &texts[..] } else { &[] };
    let mut secrets = scan_texts(scanner, texts, 1);
    evaluation.errors.extend(secret_rule_errors(scanner));
    if scanner.is_empty() {
        secrets.redactor = redactor_without_secret_rules(texts, 1);
    }
    evaluation.findings.extend(secrets.findings);
    let findings = std::mem::take(&mut evaluation.findings);
    let problems = [&mut evaluation.errors, &mut loaded.diagnostics];
    let text_of = |path: &str| (path == buffer.path).then_some(buffer.text);
    let mut applied = settle(findings, problems, &secrets.redactor, &options.suppressions, &text_of);
    // An expired waiver is a finding in `ward.toml`, not in this buffer.
    applied.findings.retain(|finding| finding.location.path == buffer.path);
    let mut problems = loaded.diagnostics;
    problems.append(&mut evaluation.errors);
    BufferScan { kind, findings: applied.findings, suppressed: applied.suppressed, problems }
}

/// Loads what `change` adds: its changed files, and when graph rules run, every tracked file
/// of a kind they read, as the change would leave them.
fn load_change(
    root: &Path,
    change: &Change,
    pending: git::PendingSnapshot,
    options: &LoadOptions,
) -> (Loaded, Option<Vec<ChangedFile>>) {
    let wanted = |path: &str| crate::source::detect_kind(path) != Detected::Unknown && options.files.allows(path);
    match pending.finish(!options.texts_only, &wanted, options.limits.max_file_bytes) {
        Ok(snapshot) => {
            let mut loaded = load_texts(root.to_path_buf(), snapshot.contents, options);
            loaded.diagnostics.extend(
                snapshot.errors.iter().map(|error| Diagnostic::file(Level::Error, error.path(), error.to_string())),
            );
            (loaded, Some(snapshot.changed))
        }
        Err(error) => {
            let mut loaded = load_texts(root.to_path_buf(), Vec::new(), options);
            let what = match change {
                Change::Staged => "the staged changes".to_owned(),
                Change::Range(range) => format!("the changes in {range}"),
            };
            loaded.diagnostics.push(Diagnostic::file(Level::Error, "", format!("cannot read {what}: {error}")));
            (loaded, Some(Vec::new()))
        }
    }
}
