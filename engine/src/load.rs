//! From paths to a [`Graph`]: discover files, read each within its bounds, parse them in
//! parallel, and build the graph, collecting a [`Diagnostic`] for every file that could not be
//! used. One bad file never stops the others. Texts already in memory (the git index, an
//! editor's buffers) are loaded the same way by [`load_texts`]. Files of no kind ward parses are
//! kept as plain text when asked, for the secret scanner.

use std::path::{Path, PathBuf};

use crate::config::{EnvironmentMap, FileFilter};
use crate::diagnostic::{Diagnostic, Level};
use crate::document::{Document, DocumentKind};
use crate::graph::Graph;
use crate::kinds::Unparsed;
use crate::parse::{self, Limits};
use crate::profile::{StageClock, StageProfile};
use crate::source::{self, Contents, Detected, Skip, SourceFile};
use rayon::prelude::*;

/// How to load a tree.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Bounds on what a parser accepts (size, depth, alias expansions).
    pub limits: Limits,
    /// Which discovered files to read (`ward.toml`'s `include` and `exclude`).
    pub files: FileFilter,
    /// Environment names for path globs, over the ones inferred from names.
    pub environments: EnvironmentMap,
    /// Keep every readable text file, parsed or not, in [`Loaded::texts`] (for the secret
    /// scanner).
    pub keep_texts: bool,
    /// Skip parsing: no rule looks at the graph, only at texts.
    pub texts_only: bool,
    /// The generic kinds (YAML, JSON, TOML… of no kind ward checks) the scan's rules read, when
    /// known ([`crate::Policies::generic_kinds_read`]): a lockfile of another kind
    /// (`package-lock.json`…) is then kept as text only, for the secret scanner — parsing it
    /// would cost more than every configuration file of a repository. `None`: parse them all.
    pub generic_kinds_read: Option<std::collections::BTreeSet<DocumentKind>>,
}

/// A loaded tree: its graph and what went wrong on the way.
#[derive(Debug)]
pub struct Loaded {
    /// What document paths are relative to.
    pub root: PathBuf,
    /// The documents read, their resources and the edges between them.
    pub graph: Graph,
    /// Sorted by path, then position.
    pub diagnostics: Vec<Diagnostic>,
    /// The files that are not documents of the graph, as `(path, text)` in path order: those
    /// that did not parse, and with [`LoadOptions::keep_texts`] every other text file
    /// (documents keep their own text).
    pub texts: Vec<(String, String)>,
    /// Files read and handed to [`load_inspecting`]'s inspector, which did not keep them.
    pub inspected_only: usize,
    /// What reading and parsing, then building the graph, cost (`ward scan --profile`).
    pub stages: Vec<StageProfile>,
    /// Documents read only to expand the module calls that reach them (modules `terraform
    /// init` downloaded into a gitignored `.terraform/`), in path order: not files of the
    /// repository, so not scanned for secrets.
    pub for_expansion: Vec<String>,
}

impl Loaded {
    /// How many files were read: documents, kept texts, and texts inspected as they were read.
    pub fn files_read(&self) -> usize {
        self.graph.documents.len() + self.texts.len() + self.inspected_only
    }

    /// Whether any input could not be used (the run cannot be trusted).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }

    /// Every text read of the repository, documents' and the others', as `(path, text)` (not
    /// the ones read [`Loaded::for_expansion`] only).
    pub fn all_texts(&self) -> Vec<(&str, &str)> {
        let documents = (self.graph.documents.iter())
            .filter(|d| self.for_expansion.binary_search(&d.path).is_err())
            .map(|d| (d.path.as_str(), d.text.as_str()));
        let mut all: Vec<(&str, &str)> =
            documents.chain(self.texts.iter().map(|(path, text)| (path.as_str(), text.as_str()))).collect();
        all.sort_unstable_by_key(|(path, _)| *path);
        all
    }

    /// The text of the file at `path`, if it was read.
    pub fn text_of(&self, path: &str) -> Option<&str> {
        self.graph
            .documents
            .iter()
            .find(|document| document.path == path)
            .map(|document| document.text.as_str())
            .or_else(|| {
                let at = self.texts.binary_search_by(|(known, _)| known.as_str().cmp(path)).ok()?;
                self.texts.get(at).map(|(_, text)| text.as_str())
            })
    }
}

/// Loads the files under `paths` (relative to `base`) into a graph.
///
/// ```
/// use ward_engine::{load, LoadOptions};
/// let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
/// let loaded = load(&["testdata/repos/shop".into()], &base, &LoadOptions::default());
/// assert!(loaded.graph.resources.iter().any(|r| r.id == "docker:services/api/Dockerfile"));
/// ```
pub fn load(paths: &[PathBuf], base: &Path, options: &LoadOptions) -> Loaded {
    let clock = StageClock::start();
    let (root, mut files, errors) = source::discover(paths, base, options.keep_texts);
    files.retain(|file| file.explicit || options.files.allows(&file.path));
    let diagnostics: Vec<Diagnostic> =
        errors.into_iter().map(|error| Diagnostic::file(Level::Error, error.path(), error.to_string())).collect();
    let outcomes = in_parse_pool(|| files.par_iter().map(|file| read_and_parse(file, options)).collect());
    let mut loaded = assemble(root, outcomes, diagnostics, options, clock);
    loaded.for_expansion = files.iter().filter(|file| file.for_expansion).map(|file| file.path.clone()).collect();
    loaded.for_expansion.sort();
    // A downloaded module that does not parse is the download's problem, not the repository's:
    // its calls are simply not expanded.
    for diagnostic in loaded.diagnostics.iter_mut() {
        if loaded.for_expansion.binary_search(&diagnostic.path).is_ok() {
            diagnostic.level = Level::Note;
        }
    }
    loaded
}

/// [`load`] for a run that reads only texts (`texts_only`, a secrets-only scan): each text goes
/// to `inspect` on the thread that read it, while it is still in cache, and is kept only when
/// `inspect` returns something — so a scan holds only the files it has something to show in,
/// not the whole tree. Reads on `jobs` threads (0: one per core). Returns what `inspect`
/// returned, by path, in path order.
pub(crate) fn load_inspecting<T: Send>(
    paths: &[PathBuf],
    base: &Path,
    options: &LoadOptions,
    jobs: usize,
    inspect: &(dyn Fn(&str, &str) -> Option<T> + Sync),
) -> (Loaded, Vec<(String, T)>) {
    let clock = StageClock::start();
    let (root, mut files, errors) = source::discover(paths, base, true);
    // Only texts are read: a downloaded module has nothing to give without the graph.
    files.retain(|file| !file.for_expansion && (file.explicit || options.files.allows(&file.path)));
    let diagnostics: Vec<Diagnostic> =
        errors.into_iter().map(|error| Diagnostic::file(Level::Error, error.path(), error.to_string())).collect();
    let options = LoadOptions { texts_only: true, keep_texts: true, ..options.clone() };
    let read_one = |file: &SourceFile| match read_and_parse(file, &options) {
        Outcome::Text(path, text) => match inspect(&path, &text) {
            Some(found) => (Outcome::Text(path.clone(), text), Some((path, found))),
            None => (Outcome::Inspected, None),
        },
        other => (other, None),
    };
    let run = || files.par_iter().map(read_one).unzip::<_, _, Vec<_>, Vec<_>>();
    // Reading runs no parser: the pool needs no big stacks, only the threads asked for.
    let (outcomes, found) = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    let mut found: Vec<(String, T)> = found.into_iter().flatten().collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    (assemble(root, outcomes, diagnostics, &options, clock), found)
}

/// Loads files whose contents are already in memory — the git index, an editor's buffers —
/// as `(path relative to root, contents)`; `ward.toml`'s file globs apply as to files on disk.
///
/// ```
/// use ward_engine::{load_texts, LoadOptions};
/// use ward_engine::Contents;
/// let texts = vec![("Dockerfile".to_string(), Contents::Text("FROM alpine:3.20\n".into()))];
/// let loaded = load_texts("/repo".into(), texts, &LoadOptions::default());
/// assert_eq!(loaded.graph.documents.len(), 1);
/// ```
pub fn load_texts(root: PathBuf, texts: Vec<(String, Contents)>, options: &LoadOptions) -> Loaded {
    let clock = StageClock::start();
    let outcome = |(path, contents): (String, Contents)| {
        options.files.allows(&path).then(|| from_contents(&path, source::detect_kind(&path), false, contents, options))
    };
    let outcomes = match options.texts_only {
        // Nothing to parse: threads would cost more than they save (a pre-commit hook).
        true => texts.into_iter().filter_map(outcome).collect(),
        false => in_parse_pool(|| texts.into_par_iter().filter_map(outcome).collect()),
    };
    assemble(root, outcomes, Vec::new(), options, clock)
}

fn in_parse_pool(run: impl FnOnce() -> Vec<Outcome> + Send) -> Vec<Outcome> {
    match parse_pool() {
        Some(pool) => pool.install(run),
        None => run(),
    }
}

/// Makes the graph of what was read; `clock` has timed the reading since it started.
fn assemble(
    root: PathBuf,
    outcomes: Vec<Outcome>,
    mut diagnostics: Vec<Diagnostic>,
    options: &LoadOptions,
    mut clock: StageClock,
) -> Loaded {
    clock.lap("read and parse");
    let mut documents = Vec::with_capacity(outcomes.len());
    let mut texts = Vec::new();
    let mut inspected_only = 0;
    for outcome in outcomes {
        match outcome {
            Outcome::Document(document) => documents.push(*document),
            Outcome::Text(path, text) => texts.push((path, text)),
            Outcome::Diagnostic(diagnostic) => diagnostics.push(*diagnostic),
            Outcome::Unparsed(diagnostic, text) => {
                diagnostics.push(*diagnostic);
                texts.push(text);
            }
            Outcome::Inspected => inspected_only += 1,
            Outcome::Ignored => {}
        }
    }
    texts.sort();
    // Kustomizations render here: what they cannot use (a missing base, a patch that matches
    // nothing) is an input problem like a parse error, at the kustomization's line.
    let (graph, rendering) = Graph::build_rendering(documents, &options.environments, Some(&root), &options.limits);
    diagnostics.extend(rendering);
    diagnostics.sort_by(|a, b| {
        (&a.path, a.span.map(|s| s.start), &a.message).cmp(&(&b.path, b.span.map(|s| s.start), &b.message))
    });
    // A file that does not parse is reported by the load and again by a rendering that reads it.
    diagnostics.dedup_by(|a, b| a.path == b.path && a.span == b.span && a.message == b.message);
    clock.lap("graph");
    Loaded { root, graph, diagnostics, texts, inspected_only, stages: clock.finish(), for_expansion: Vec::new() }
}

/// Workers with stacks big enough for any parse, so that `stacker` never needs to switch
/// stacks on them (the memory is reserved, not committed). `None` if threads cannot be made;
/// parsing then runs on rayon's global pool, with `stacker` growing stacks as needed.
fn parse_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(parse::PARSE_STACK_BYTES + 4 * 1024 * 1024)
            .thread_name(|index| format!("ward-parse-{index}"))
            .build()
            .ok()
    })
    .as_ref()
}

enum Outcome {
    Document(Box<Document>),
    /// A text kept for the secret scanner that is not a document.
    Text(String, String),
    Diagnostic(Box<Diagnostic>),
    /// A file that could not be parsed, and its text.
    Unparsed(Box<Diagnostic>, (String, String)),
    /// A text inspected as it was read, and not kept.
    Inspected,
    Ignored,
}

fn read_and_parse(file: &SourceFile, options: &LoadOptions) -> Outcome {
    // Without texts to keep, discovery only passes on a file of unknown kind when it was named
    // explicitly: say why nothing came of it.
    if file.detected == Detected::Unknown && !options.keep_texts {
        let note = crate::kinds::unknown_kind_note();
        return Outcome::Diagnostic(Box::new(Diagnostic::file(Level::Note, &file.path, note)));
    }
    match source::read_bounded(file, options.limits.max_file_bytes) {
        Err(error) => Outcome::Diagnostic(Box::new(Diagnostic::file(Level::Error, error.path(), error.to_string()))),
        Ok(contents) => from_contents(&file.path, file.detected, file.explicit, contents, options),
    }
}

/// What comes of a file's contents: a document, a plain text, or a note on why neither.
fn from_contents(path: &str, detected: Detected, explicit: bool, contents: Contents, options: &LoadOptions) -> Outcome {
    let text = match contents {
        // A binary file of no kind ward parses (an image, an archive) is expected among every
        // file a secret scan reads: not worth a note unless it was asked for by name.
        Contents::Skipped(Skip::Binary | Skip::NotUtf8) if detected == Detected::Unknown && !explicit => {
            return Outcome::Ignored
        }
        Contents::Skipped(skip) => {
            return Outcome::Diagnostic(Box::new(Diagnostic::file(Level::Note, path, skip.reason())))
        }
        Contents::Text(text) => text,
    };
    if options.texts_only || detected == Detected::Unknown || unread_lockfile(path, detected, explicit, options) {
        return match options.keep_texts {
            true => Outcome::Text(path.to_owned(), text),
            false => Outcome::Ignored,
        };
    }
    // A file that does not parse (or is skipped, as Helm templates are) keeps its text: it is
    // still read for secrets — a broken file is where a pasted credential is most likely to
    // be — and its error's code frame must be redacted like everything else.
    match parse_keeping_text(path, detected, text, &options.limits, explicit) {
        Ok(Some(document)) => Outcome::Document(Box::new(document)),
        Ok(None) => Outcome::Ignored,
        Err(failed) => {
            let (diagnostic, text) = *failed;
            Outcome::Unparsed(Box::new(diagnostic), (path.to_owned(), text))
        }
    }
}

/// Whether `path` is a lockfile whose kind no rule of the scan reads (and that was not named on
/// the command line, which asks for it to be read).
fn unread_lockfile(path: &str, detected: Detected, explicit: bool, options: &LoadOptions) -> bool {
    let Some(read) = &options.generic_kinds_read else { return false };
    let kind = match detected {
        Detected::Kind(kind) => kind,
        Detected::YamlStream => DocumentKind::Yaml,
        Detected::Unknown => return false,
    };
    !explicit && crate::kinds::is_generic(kind) && !read.contains(&kind) && crate::kinds::is_lockfile(path)
}

/// Parses one file's text, given its path relative to the root: the entry point for callers
/// that have text in memory (the language server, tests, benchmarks). `Ok(None)` for a file of
/// no kind ward reads. The file is taken as asked for by name: one that does not parse is an
/// error whatever its kind.
///
/// ```
/// use ward_engine::parse_text;
/// use ward_engine::detect_kind;
/// let doc = parse_text("k8s/app.yaml", detect_kind("k8s/app.yaml"), "apiVersion: v1\nkind: Service\n".into(), &Default::default());
/// assert_eq!(doc.unwrap().unwrap().kind, ward_engine::DocumentKind::Kubernetes);
/// ```
pub fn parse_text(
    path: &str,
    detected: Detected,
    text: String,
    limits: &Limits,
) -> Result<Option<Document>, Diagnostic> {
    parse_keeping_text(path, detected, text, limits, true).map_err(|failed| failed.0)
}

/// [`parse_text`], handing the text back with the diagnostic when it does not parse. That is
/// an error for a file of a kind ward checks, or one `explicit`ly named; for a YAML or JSON file
/// of no kind ward checks, a note that it was not judged ([`crate::kinds::unparsed`]).
fn parse_keeping_text(
    path: &str,
    detected: Detected,
    text: String,
    limits: &Limits,
    explicit: bool,
) -> Result<Option<Document>, Box<(Diagnostic, String)>> {
    let kind = match detected {
        Detected::Unknown => return Ok(None),
        Detected::Kind(kind) => kind,
        // A chart's template is a document (findings on what it renders point into it), that
        // no rule judges on its own.
        Detected::YamlStream if source::is_helm_template(path, &text) => DocumentKind::HelmTemplate,
        Detected::YamlStream => DocumentKind::Yaml,
    };
    let parsed = match crate::kinds::parse_file(path, kind, &text, limits) {
        Ok(parsed) => parsed,
        Err(error) => {
            let mut diagnostic = Diagnostic::at(path, &text, error.span, error.message).with_help(error.help);
            if let (false, Unparsed::NotJudged(looks_like)) = (explicit, crate::kinds::unparsed(path, detected, &text))
            {
                diagnostic = not_judged(diagnostic, looks_like);
            }
            return Err(Box::new((diagnostic, text)));
        }
    };
    let (kind, parsed) = crate::kinds::refine(path, kind, parsed);
    Ok(Some(Document::new(path.to_owned(), kind, text, parsed)))
}

/// The note on a YAML or JSON file of no kind ward checks that does not parse, at the place it
/// stops parsing: `not judged: JSON with comments, of no kind ward checks (invalid JSON: …)`.
fn not_judged(mut diagnostic: Diagnostic, looks_like: Option<&str>) -> Diagnostic {
    let what = looks_like.map_or_else(String::new, |what| format!("{what}, "));
    diagnostic.level = Level::Note;
    diagnostic.message = format!("not judged: {what}of no kind ward checks ({})", diagnostic.message);
    diagnostic.help = Some("name the file on the command line to have it read, and this reported as an error".into());
    diagnostic
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn an_inspected_text_is_kept_only_when_the_inspector_finds_something() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let options = LoadOptions::default();
        let whole = load(
            &["testdata/repos/shop".into()],
            &base,
            &LoadOptions { keep_texts: true, texts_only: true, ..options.clone() },
        );
        let inspect = |path: &str, text: &str| path.contains(".env").then_some(text.len());
        let (loaded, found) = load_inspecting(&["testdata/repos/shop".into()], &base, &options, 1, &inspect);
        assert!(!found.is_empty());
        assert!(found.windows(2).all(|pair| pair[0].0 < pair[1].0), "in path order");
        for (path, length) in &found {
            assert_eq!(loaded.text_of(path).map(str::len), Some(*length), "{path} is kept");
        }
        assert_eq!(loaded.texts.len(), found.len());
        assert_eq!(loaded.files_read(), whole.files_read(), "every file read is counted");
        assert_eq!(loaded.inspected_only, whole.texts.len() - found.len());
        assert_eq!(loaded.diagnostics.len(), whole.diagnostics.len());
    }
}
