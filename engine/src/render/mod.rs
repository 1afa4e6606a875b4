//! What turns sources into what is deployed, keeping provenance (DESIGN §1, §2): today kustomize
//! overlays ([`kustomize`]). A renderer reads the scan's files through [`Sources`] and hands
//! back [`RenderedObject`]s — plain values for rules, and for every value of each the file and
//! span it came from ([`Provenance`]) — plus a [`Diagnostic`] for every input it could not use.
//! The graph makes resources of the objects; findings on them land on the line a person edits.

pub(crate) mod gotemplate;
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
        let known = path.is_empty() || self.documents.iter().any(|document| document.path.starts_with(&prefix));
        known || self.on_disk(path).is_some_and(|dir| dir.is_dir())
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

/// Renders every kustomization among `documents` (sorted by path) that no other includes.
pub(crate) fn render(documents: &[Document], sources: &dyn Sources, limits: &crate::parse::Limits) -> Rendered {
    let kustomizations: Vec<&str> = documents
        .iter()
        .map(|document| document.path.as_str())
        .filter(|path| crate::kinds::is_kustomization_path(path))
        .collect();
    if kustomizations.is_empty() {
        return Rendered::default();
    }
    kustomize::render_all(&kustomizations, sources, limits)
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
