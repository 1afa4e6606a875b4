//! What turns sources into what is deployed, keeping provenance (DESIGN §1, §2): kustomize
//! overlays ([`kustomize`]) and Helm charts ([`helm`], through the Go template interpreter
//! [`gotemplate`]). A renderer reads the scan's files through [`Sources`] and hands
//! back [`RenderedObject`]s — plain values for rules, and for every value of each the file and
//! span it came from ([`Provenance`]) — plus a [`Diagnostic`] for every input it could not use.
//! The graph makes resources of the objects; findings on them land on the line a person edits.

pub(crate) mod gotemplate;
pub(crate) mod helm;
pub(crate) mod kustomize;
pub(crate) mod tracked;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::document::Document;

pub(crate) use tracked::Provenance;

/// Where a renderer reads the files it needs, by path relative to the scan root.
pub trait Sources: Sync {
    /// The text of the file at `path`, if there is a readable text file there.
    fn text(&self, path: &str) -> Option<Cow<'_, str>>;
    /// Whether `path` is a directory.
    fn is_dir(&self, path: &str) -> bool;
    /// The files below directory `dir` (at any depth), as paths relative to the scan root, in
    /// path order, at most `limit` of them: how a Helm chart finds its templates.
    fn files_under(&self, _dir: &str, _limit: usize) -> Vec<String> {
        Vec::new()
    }
    /// The bytes of the file at `path` when it is at most `max` bytes long (a chart's `.tgz`
    /// subchart).
    fn bytes(&self, _path: &str, _max: u64) -> Option<Vec<u8>> {
        None
    }
}

/// The scan's documents, and (when `root` is given) the files on disk under `root` that are not
/// among them (a generator's `.properties` file, a patch in a file ward does not parse).
pub struct DocumentSources<'d> {
    documents: &'d [Document],
    root: Option<PathBuf>,
    max_file_bytes: u64,
}

impl<'d> DocumentSources<'d> {
    /// `documents` must be sorted by path (as the graph keeps them).
    pub fn new(documents: &'d [Document], root: Option<&Path>, max_file_bytes: u64) -> DocumentSources<'d> {
        DocumentSources { documents, root: root.map(Path::to_path_buf), max_file_bytes }
    }

    fn document(&self, path: &str) -> Option<&'d Document> {
        let at = self.documents.binary_search_by(|document| document.path.as_str().cmp(path)).ok()?;
        self.documents.get(at)
    }

    /// The documents whose path starts with `prefix`: one run of the sorted documents, found by
    /// a binary search (every kustomization entry and chart asks, and a walk over every
    /// document for each made rendering grow with the square of the repository).
    fn under<'p>(&self, prefix: &'p str) -> impl Iterator<Item = &'d Document> + 'p
    where
        'd: 'p,
    {
        let start = self.documents.partition_point(|document| document.path.as_str() < prefix);
        let documents: &'d [Document] = self.documents.get(start..).unwrap_or_default();
        documents.iter().take_while(move |document| document.path.starts_with(prefix))
    }

    fn on_disk(&self, path: &str) -> Option<PathBuf> {
        // Only plain relative paths below the root: the renderer has already resolved `..`.
        if path.split('/').any(|part| part == ".." || part.is_empty()) {
            return None;
        }
        self.root.as_ref().map(|root| root.join(path))
    }
}

impl Sources for DocumentSources<'_> {
    fn text(&self, path: &str) -> Option<Cow<'_, str>> {
        if let Some(document) = self.document(path) {
            return Some(Cow::Borrowed(document.text.as_str()));
        }
        let file = self.on_disk(path)?;
        let metadata = std::fs::metadata(&file).ok()?;
        if !metadata.is_file() || metadata.len() > self.max_file_bytes {
            return None;
        }
        std::fs::read_to_string(file).ok().map(Cow::Owned)
    }

    fn is_dir(&self, path: &str) -> bool {
        let prefix = format!("{path}/");
        let known = path.is_empty() || self.under(&prefix).next().is_some();
        known || self.on_disk(path).is_some_and(|dir| dir.is_dir())
    }

    fn files_under(&self, dir: &str, limit: usize) -> Vec<String> {
        let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        let mut found: BTreeSet<String> =
            self.under(&prefix).map(|document| document.path.clone()).take(limit).collect();
        // Files that are not documents (a template, a `.tgz`, a `.txt`) are on disk.
        let on_disk = if dir.is_empty() { self.root.clone() } else { self.on_disk(dir) };
        if let Some(root) = on_disk {
            walk(&root, &prefix, 0, limit, &mut found);
        }
        found.into_iter().take(limit).collect()
    }

    fn bytes(&self, path: &str, max: u64) -> Option<Vec<u8>> {
        let file = self.on_disk(path)?;
        let metadata = std::fs::metadata(&file).ok()?;
        if !metadata.is_file() || metadata.len() > max {
            return None;
        }
        std::fs::read(file).ok()
    }
}

/// Adds the files below `dir` (named `prefix` + their relative path) to `found`, to `limit`
/// files and 16 levels deep; symbolic links are not followed (a link loop would never end).
fn walk(dir: &Path, prefix: &str, depth: usize, limit: usize, found: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        if found.len() >= limit {
            return;
        }
        let Ok(kind) = entry.file_type() else { continue };
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else { continue };
        if kind.is_dir() && depth < 16 {
            walk(&entry.path(), &format!("{prefix}{name}/"), depth + 1, limit, found);
        } else if kind.is_file() {
            found.insert(format!("{prefix}{name}"));
        }
    }
}

/// One object a renderer produced.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedObject {
    /// The file that rendered it: the kustomization.
    pub renderer: String,
    /// What the object was called where it was first written, before any overlay renamed or
    /// moved it (`Deployment/api`, `Deployment/shop/api`): the same for every overlay of one base.
    pub source: String,
    /// The rendered object.
    pub value: Value,
    /// Where each value of `value` was written.
    pub provenance: Provenance,
    /// For each value that came from a values file (a Helm chart's), the template action that
    /// printed it: the second place a person may need to change. Empty for kustomize.
    pub via: Provenance,
    /// The environment the rendering is for, when the renderer knows it (a chart rendered with
    /// `values-production.yaml`); otherwise the renderer file's.
    pub environment: Option<String>,
}

/// Everything the renderers produced from one scan's files.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    pub objects: Vec<RenderedObject>,
    /// Inputs that could not be used: errors (the run cannot be trusted) and notes (a remote
    /// base is not fetched).
    pub diagnostics: Vec<Diagnostic>,
    /// Files whose objects reach what is deployed only through a rendering (a base's manifests):
    /// they are judged as rendered, not on their own.
    pub inputs: BTreeSet<String>,
}

/// Renders every kustomization among `documents` (sorted by path) that no other includes, and
/// every Helm chart that is not another's subchart.
pub(crate) fn render(
    documents: &[Document],
    sources: &dyn Sources,
    limits: &crate::parse::Limits,
    environments: &crate::config::EnvironmentMap,
) -> Rendered {
    let paths = || documents.iter().map(|document| document.path.as_str());
    let kustomizations: Vec<&str> = paths().filter(|path| crate::kinds::is_kustomization_path(path)).collect();
    let charts: Vec<&str> = paths().filter(|path| helm::is_chart_file(path)).collect();
    let templates = documents.iter().filter(|document| document.kind == crate::document::DocumentKind::HelmTemplate);
    let mut rendered = match kustomizations.is_empty() {
        true => Rendered::default(),
        false => kustomize::render_all(&kustomizations, sources, limits),
    };
    // A template no chart holds cannot be rendered: said, not hidden.
    for template in templates.filter(|template| !charts.iter().any(|chart| helm::holds(chart, &template.path))) {
        let message = "Helm template outside any chart (no `Chart.yaml` above its `templates/`): not rendered";
        rendered.diagnostics.push(Diagnostic::file(crate::diagnostic::Level::Note, &template.path, message));
    }
    if !charts.is_empty() {
        let helm = helm::render_all(&charts, sources, limits, environments);
        rendered.objects.extend(helm.objects);
        rendered.diagnostics.extend(helm.diagnostics);
        rendered.inputs.extend(helm.inputs);
    }
    rendered
}

/// The directory part of a `/`-separated path (`""` for a file at the root).
pub(crate) fn parent_dir(path: &str) -> &str {
    path.rfind('/').and_then(|at| path.get(..at)).unwrap_or("")
}

/// Joins a relative reference (`../../base`, `./services/api`) onto a directory, resolving `.`
/// and `..` lexically. `None` when it climbs out of the scan root.
pub(crate) fn join_relative(dir: &str, reference: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in reference.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}
