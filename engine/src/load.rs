//! From paths to a [`Graph`]: discover files, read each within its bounds, parse them in
//! parallel, and build the graph, collecting a [`Diagnostic`] for every file that could not be
//! used. One bad file never stops the others.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

use crate::config::{EnvironmentMap, FileFilter};
use crate::diagnostic::{Diagnostic, Level};
use crate::document::{Document, DocumentKind, Parsed, SourceMap};
use crate::graph::Graph;
use crate::parse::{self, Limits};
use crate::source::{self, Contents, Detected, Skip, SourceFile};

/// How to load a tree.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub limits: Limits,
    /// Which discovered files to read (`ward.toml`'s `include` and `exclude`).
    pub files: FileFilter,
    /// Environment names for path globs, over the ones inferred from names.
    pub environments: EnvironmentMap,
}

/// A loaded tree: its graph and what went wrong on the way.
#[derive(Debug)]
pub struct Loaded {
    /// What document paths are relative to.
    pub root: PathBuf,
    pub graph: Graph,
    /// Sorted by path, then position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Whether any input could not be used (the run cannot be trusted).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

/// Loads the files under `paths` (relative to `base`) into a graph.
///
/// ```
/// use ward_engine::load::{load, LoadOptions};
/// let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
/// let loaded = load(&["testdata/repos/shop".into()], &base, &LoadOptions::default());
/// assert!(loaded.graph.resources.iter().any(|r| r.id == "docker:services/api/Dockerfile"));
/// ```
pub fn load(paths: &[PathBuf], base: &Path, options: &LoadOptions) -> Loaded {
    let (root, mut files, errors) = source::discover(paths, base);
    files.retain(|file| file.explicit || options.files.allows(&file.path));
    let mut diagnostics: Vec<Diagnostic> =
        errors.into_iter().map(|error| Diagnostic::file(Level::Error, error.path(), error.to_string())).collect();
    let parse_all = || files.par_iter().map(|file| read_and_parse(file, &options.limits)).collect::<Vec<Outcome>>();
    let outcomes = match parse_pool() {
        Some(pool) => pool.install(parse_all),
        None => parse_all(),
    };
    let mut documents = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        match outcome {
            Outcome::Document(document) => documents.push(*document),
            Outcome::Diagnostic(diagnostic) => diagnostics.push(*diagnostic),
            Outcome::Ignored => {}
        }
    }
    diagnostics.sort_by(|a, b| (&a.path, a.span.map(|s| s.start)).cmp(&(&b.path, b.span.map(|s| s.start))));
    Loaded { root, graph: Graph::build_with(documents, &options.environments), diagnostics }
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
    Diagnostic(Box<Diagnostic>),
    Ignored,
}

fn read_and_parse(file: &SourceFile, limits: &Limits) -> Outcome {
    // Discovery only passes on a file of unknown kind when it was named explicitly: say why
    // nothing came of it.
    if file.detected == Detected::Unknown {
        let note = "not a kind of file ward reads (Terraform, Dockerfile, Kubernetes, Compose, workflow, env, YAML, JSON); skipped";
        return Outcome::Diagnostic(Box::new(Diagnostic::file(Level::Note, &file.path, note)));
    }
    match source::read_bounded(file, limits.max_file_bytes) {
        Err(error) => Outcome::Diagnostic(Box::new(Diagnostic::file(Level::Error, error.path(), error.to_string()))),
        Ok(Contents::Skipped(skip)) => {
            Outcome::Diagnostic(Box::new(Diagnostic::file(Level::Note, &file.path, skip.reason())))
        }
        Ok(Contents::Text(text)) => match parse_text(&file.path, file.detected, text, limits) {
            Ok(Some(document)) => Outcome::Document(Box::new(document)),
            Ok(None) => Outcome::Ignored,
            Err(diagnostic) => Outcome::Diagnostic(Box::new(diagnostic)),
        },
    }
}

/// Parses one file's text, given its path relative to the root: the entry point for callers
/// that have text in memory (the language server, tests, benchmarks). `Ok(None)` for a file of
/// no kind ward reads.
///
/// ```
/// use ward_engine::load::parse_text;
/// use ward_engine::source::detect_kind;
/// let doc = parse_text("k8s/app.yaml", detect_kind("k8s/app.yaml"), "apiVersion: v1\nkind: Service\n".into(), &Default::default());
/// assert_eq!(doc.unwrap().unwrap().kind, ward_engine::DocumentKind::Kubernetes);
/// ```
pub fn parse_text(
    path: &str,
    detected: Detected,
    text: String,
    limits: &Limits,
) -> Result<Option<Document>, Diagnostic> {
    let kind = match detected {
        Detected::Unknown => return Ok(None),
        Detected::Kind(kind) => kind,
        Detected::YamlStream if source::is_helm_template(path, &text) => {
            return Err(Diagnostic::file(Level::Note, path, Skip::HelmTemplate.reason()));
        }
        Detected::YamlStream => DocumentKind::Yaml,
    };
    let parsed = parse::parse(kind, &text, limits)
        .map_err(|error| Diagnostic::at(path, &text, error.span, error.message).with_help(error.help))?;
    let (kind, parsed) = refine_kind(path, kind, parsed);
    Ok(Some(Document::new(path.to_owned(), kind, text, parsed)))
}

/// YAML and JSON that carry `apiVersion` and `kind` are Kubernetes manifests, and so is every
/// kustomization file. A Kubernetes JSON file becomes a one-document stream like YAML.
fn refine_kind(path: &str, kind: DocumentKind, parsed: Parsed) -> (DocumentKind, Parsed) {
    let is_object = |value: &Value| {
        value.get("apiVersion").is_some_and(Value::is_string) && value.get("kind").is_some_and(Value::is_string)
    };
    let kustomization = crate::graph::is_kustomization_file(path);
    match kind {
        DocumentKind::Yaml
            if kustomization || parsed.value.as_array().is_some_and(|docs| docs.iter().any(is_object)) =>
        {
            (DocumentKind::Kubernetes, parsed)
        }
        DocumentKind::Json if is_object(&parsed.value) => {
            let mut source_map = SourceMap::new();
            source_map.extend_prefixed("/0", parsed.source_map.clone());
            if let Some(whole) = parsed.source_map.get("") {
                source_map.insert("", whole);
            }
            (DocumentKind::Kubernetes, Parsed { value: Value::Array(vec![parsed.value]), source_map })
        }
        other => (other, parsed),
    }
}
