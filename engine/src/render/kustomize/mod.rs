//! Kustomize, natively: a kustomization's `resources` (files, directories, other
//! kustomizations; remote URLs are a note), legacy `bases`, `components`, generators, and its
//! transformers in kustomize v5's order (strategic-merge patches, `patches`, `namespace`,
//! `namePrefix`/`nameSuffix`, labels, annotations, JSON 6902 patches, `replicas`, `images`),
//! then, once per build, the generators' hash suffixes and the references renamed objects are
//! known by. `kubectl kustomize` is the reference; a test compares the two on every
//! kustomization of `testdata/`.
//!
//! Every value keeps the file and span it was written at ([`Node`]): a base's value its base
//! file, a patched value its patch, a transformer's value (a namespace, a label, an image tag)
//! the kustomization entry that set it.

mod generate;
mod names;
mod patch;
mod transform;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::tracked::{Node, Origin, Tree};
use super::{Rendered, RenderedObject, Sources};
use crate::diagnostic::{Diagnostic, Level};
use crate::document::Span;
use crate::parse::{self, Limits};
use crate::render::{join_relative, parent_dir};

/// How deep kustomizations may include one another.
pub(crate) const MAX_DEPTH: usize = 24;
/// How many objects one build may hold.
pub(crate) const MAX_OBJECTS: usize = 20_000;

/// The names kustomize looks for in a directory, in its order.
const KUSTOMIZATION_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// One object of a build, with the identities kustomize keeps for it.
#[derive(Debug, Clone)]
pub(crate) struct Res {
    pub node: Node,
    /// Every name and namespace it had, first the one it was loaded or generated with.
    pub previous: Vec<(String, Option<String>)>,
    /// A generated ConfigMap or Secret that gets kustomize's content hash appended to its name.
    pub needs_hash: bool,
    /// Made by a generator (which `behavior: merge|replace` may change).
    pub generated: bool,
}

impl Res {
    fn new(node: Node) -> Res {
        let mut res = Res { node, previous: Vec::new(), needs_hash: false, generated: false };
        res.previous.push((res.name().to_owned(), res.namespace().map(str::to_owned)));
        res
    }

    pub(crate) fn kind(&self) -> &str {
        self.node.str_at(&["kind"]).unwrap_or("")
    }

    pub(crate) fn api_version(&self) -> &str {
        self.node.str_at(&["apiVersion"]).unwrap_or("")
    }

    /// The API group (`""` for the core group).
    pub(crate) fn group(&self) -> &str {
        let api_version = self.api_version();
        api_version.rsplit_once('/').map_or("", |(group, _)| group)
    }

    pub(crate) fn version(&self) -> &str {
        let api_version = self.api_version();
        api_version.rsplit_once('/').map_or(api_version, |(_, version)| version)
    }

    pub(crate) fn name(&self) -> &str {
        self.node.str_at(&["metadata", "name"]).unwrap_or("")
    }

    pub(crate) fn namespace(&self) -> Option<&str> {
        self.node.str_at(&["metadata", "namespace"]).filter(|namespace| !namespace.is_empty())
    }

    /// Records the current name and namespace among the previous ones, before a change.
    pub(crate) fn remember_id(&mut self) {
        let current = (self.name().to_owned(), self.namespace().map(str::to_owned));
        if !self.previous.contains(&current) {
            self.previous.push(current);
        }
    }

    /// Whether kustomize would take this object for `name`: its current or any earlier name.
    pub(crate) fn answers_to(&self, name: &str) -> bool {
        self.name() == name || self.previous.iter().any(|(previous, _)| previous == name)
    }

    /// `Kind.version.group/name.namespace`, as kustomize names an object in its messages.
    pub(crate) fn describe(&self) -> String {
        match self.namespace() {
            Some(namespace) => format!("{} {}/{}", self.kind(), namespace, self.name()),
            None => format!("{} {}", self.kind(), self.name()),
        }
    }

    /// `Kind/name` or `Kind/namespace/name` as the object was first loaded or generated.
    fn source(&self) -> String {
        match self.previous.first() {
            Some((name, Some(namespace))) => format!("{}/{namespace}/{name}", self.kind()),
            Some((name, None)) => format!("{}/{name}", self.kind()),
            None => format!("{}/{}", self.kind(), self.name()),
        }
    }

    fn same_id(&self, other: &Res) -> bool {
        self.kind() == other.kind()
            && self.group() == other.group()
            && self.name() == other.name()
            && effective_namespace(self) == effective_namespace(other)
    }
}

/// The namespace an object is in for identity: `default` when unset, none when cluster-scoped.
pub(crate) fn effective_namespace(res: &Res) -> &str {
    if transform::is_cluster_scoped(res.kind()) {
        ""
    } else {
        res.namespace().unwrap_or("default")
    }
}

/// A kustomization file read: its directory, its path, and its value with origins.
pub(crate) struct Kustomization {
    dir: String,
    path: Arc<str>,
    node: Node,
}

impl Kustomization {
    fn get(&self, key: &str) -> Option<&Node> {
        self.node.get(key).filter(|node| !node.is_null())
    }

    /// The entries of a list of strings, each with its origin.
    fn strings(&self, key: &str) -> Vec<(String, Option<Origin>)> {
        self.get(key)
            .and_then(Node::items)
            .into_iter()
            .flatten()
            .filter_map(|item| Some((item.as_str()?.to_owned(), item.origin.clone())))
            .collect()
    }

    fn is_component(&self) -> bool {
        self.node.str_at(&["kind"]) == Some("Component")
    }
}

/// A build's state: the sources, the diagnostics so far, the files read.
pub(crate) struct Renderer<'s> {
    sources: &'s dyn Sources,
    limits: &'s Limits,
    diagnostics: Vec<Diagnostic>,
    inputs: BTreeSet<String>,
    /// Parsed YAML files, by path (a base read by several overlays is parsed once).
    parsed: BTreeMap<String, Option<Arc<Vec<Node>>>>,
}

/// Why a build stopped (its diagnostic is already recorded).
#[derive(Debug)]
pub(crate) struct Failed;

impl<'s> Renderer<'s> {
    pub(crate) fn new(sources: &'s dyn Sources, limits: &'s Limits) -> Renderer<'s> {
        Renderer { sources, limits, diagnostics: Vec::new(), inputs: BTreeSet::new(), parsed: BTreeMap::new() }
    }

    /// Records a problem at `origin` (or, without one, with the file at `path` as a whole).
    pub(crate) fn report(&mut self, level: Level, origin: Option<&Origin>, path: &str, message: String) {
        let diagnostic = match origin {
            Some(origin) => match self.sources.text(&origin.path) {
                Some(text) => {
                    let mut diagnostic = Diagnostic::at(origin.path.to_string(), &text, origin.entry(), message);
                    diagnostic.level = level;
                    diagnostic
                }
                None => Diagnostic::file(level, origin.path.to_string(), message),
            },
            None => Diagnostic::file(level, path, message),
        };
        self.diagnostics.push(diagnostic);
    }

    pub(crate) fn error(&mut self, origin: Option<&Origin>, path: &str, message: String) {
        self.report(Level::Error, origin, path, message);
    }

    /// The documents of the YAML (or JSON) file at `path`, each with origins; `None` when it
    /// cannot be read or parsed (and the parse error is recorded at its place).
    fn parse_file(&mut self, path: &str) -> Option<Arc<Vec<Node>>> {
        if let Some(known) = self.parsed.get(path) {
            return known.clone();
        }
        let parsed = self.sources.text(path).and_then(|text| {
            match parse::yaml::parse_stream(&text, parse::yaml::ScalarRules::Yaml11, self.limits) {
                Ok(parsed) => Some(parsed),
                Err(error) => {
                    let diagnostic = Diagnostic::at(path, &text, error.span, error.message).with_help(error.help);
                    self.diagnostics.push(diagnostic);
                    None
                }
            }
        });
        let nodes = parsed.map(|parsed| {
            let shared: Arc<str> = Arc::from(path);
            let documents = parsed.value.as_array().cloned().unwrap_or_default();
            Arc::new(
                documents
                    .iter()
                    .enumerate()
                    .filter(|(_, document)| !document.is_null())
                    .map(|(index, document)| {
                        Node::from_parsed(document, &parsed.source_map, &format!("/{index}"), &shared)
                    })
                    .collect(),
            )
        });
        self.parsed.insert(path.to_owned(), nodes.clone());
        nodes
    }

    /// The kustomization file of directory `dir`, if it has one.
    fn kustomization_path(&self, dir: &str) -> Option<String> {
        KUSTOMIZATION_NAMES.iter().map(|name| join_path(dir, name)).find(|path| self.sources.text(path).is_some())
    }

    fn read_kustomization(&mut self, path: &str) -> Option<Kustomization> {
        let documents = self.parse_file(path)?;
        let node = documents.first().cloned().unwrap_or_else(|| Node::empty_map(None));
        if node.members().is_none() {
            self.error(node.origin.as_ref(), path, "a kustomization must be a mapping".to_owned());
            return None;
        }
        Some(Kustomization { dir: parent_dir(path).to_owned(), path: Arc::from(path), node })
    }

    /// Builds the kustomization in `dir` (whose file is at `path`) into `accumulated`: what a
    /// component is applied to, empty for a kustomization. `stack` holds the directories being
    /// built, to refuse cycles.
    fn build(&mut self, path: &str, accumulated: Vec<Res>, stack: &mut Vec<String>) -> Result<Vec<Res>, Failed> {
        let Some(kustomization) = self.read_kustomization(path) else { return Err(Failed) };
        let mut resources = accumulated;
        let entries = [kustomization.strings("resources"), kustomization.strings("bases")].concat();
        for (entry, origin) in entries {
            self.add_resource(&kustomization, &entry, origin.as_ref(), &mut resources, stack);
        }
        for (entry, origin) in kustomization.strings("components") {
            if is_remote(&entry) {
                self.remote_note(origin.as_ref(), &kustomization, &entry);
                continue;
            }
            let Some(dir) = join_relative(&kustomization.dir, &entry) else {
                self.error(origin.as_ref(), &kustomization.path, format!("component `{entry}` is outside the scan"));
                continue;
            };
            let Some(component) = self.kustomization_path(&dir) else {
                let message = format!("component `{entry}` not found: `{dir}` has no kustomization.yaml");
                self.error(origin.as_ref(), &kustomization.path, message);
                continue;
            };
            if !self.enter(&dir, origin.as_ref(), &kustomization, stack) {
                continue;
            }
            let taken = std::mem::take(&mut resources);
            match self.build(&component, taken.clone(), stack) {
                Ok(built) => resources = built,
                Err(Failed) => resources = taken,
            }
            stack.pop();
        }
        generate::run(self, &kustomization, &mut resources);
        self.run_transformers(&kustomization, &mut resources);
        if resources.len() > MAX_OBJECTS {
            let message = format!("renders more than {MAX_OBJECTS} objects; the rest are left out");
            self.error(kustomization.node.origin.as_ref(), &kustomization.path, message);
            resources.truncate(MAX_OBJECTS);
        }
        Ok(resources)
    }

    /// Pushes `dir` on the stack of builds, unless that makes a cycle or is too deep.
    fn enter(&mut self, dir: &str, origin: Option<&Origin>, from: &Kustomization, stack: &mut Vec<String>) -> bool {
        if stack.iter().any(|open| open == dir) {
            let mut chain = stack.clone();
            chain.push(dir.to_owned());
            let message = format!("kustomizations include each other in a cycle: {}", chain.join(" → "));
            self.error(origin, &from.path, message);
            return false;
        }
        if stack.len() >= MAX_DEPTH {
            let message = format!("kustomizations nest more than {MAX_DEPTH} deep");
            self.error(origin, &from.path, message);
            return false;
        }
        stack.push(dir.to_owned());
        true
    }

    fn remote_note(&mut self, origin: Option<&Origin>, from: &Kustomization, entry: &str) {
        let message = format!("`{entry}` is remote: ward does not fetch it, so what it adds is not judged");
        self.report(Level::Note, origin, &from.path, message);
    }

    fn add_resource(
        &mut self,
        kustomization: &Kustomization,
        entry: &str,
        origin: Option<&Origin>,
        resources: &mut Vec<Res>,
        stack: &mut Vec<String>,
    ) {
        if is_remote(entry) {
            self.remote_note(origin, kustomization, entry);
            return;
        }
        let Some(target) = join_relative(&kustomization.dir, entry) else {
            self.error(origin, &kustomization.path, format!("resource `{entry}` is outside the scan"));
            return;
        };
        let added = if self.sources.text(&target).is_some() && !self.sources.is_dir(&target) {
            self.inputs.insert(target.clone());
            self.load_objects(&target, origin, &kustomization.path)
        } else if self.sources.is_dir(&target) {
            let Some(nested) = self.kustomization_path(&target) else {
                let message = format!("resource `{entry}`: directory `{target}` has no kustomization.yaml");
                self.error(origin, &kustomization.path, message);
                return;
            };
            if !self.enter(&target, origin, kustomization, stack) {
                return;
            }
            let built = self.build(&nested, Vec::new(), stack);
            stack.pop();
            match built {
                Ok(built) => built,
                Err(Failed) => return,
            }
        } else {
            self.error(origin, &kustomization.path, format!("resource `{entry}` not found (looked for `{target}`)"));
            return;
        };
        for res in added {
            if let Some(existing) = resources.iter().find(|existing| existing.same_id(&res)) {
                let message = format!(
                    "`{entry}` adds {} a second time (already added as {}); kustomize refuses the build",
                    res.describe(),
                    existing.describe()
                );
                self.error(origin, &kustomization.path, message);
                continue;
            }
            resources.push(res);
        }
    }

    /// The objects of a resource file (the items of a `List` each on its own).
    fn load_objects(&mut self, path: &str, origin: Option<&Origin>, from: &str) -> Vec<Res> {
        let Some(documents) = self.parse_file(path) else {
            if self.sources.text(path).is_none() {
                self.error(origin, from, format!("resource `{path}` cannot be read"));
            }
            return Vec::new();
        };
        let mut objects = Vec::new();
        for document in documents.iter() {
            if document.str_at(&["kind"]).is_some_and(|kind| kind == "List" || kind.ends_with("List"))
                && document.get("items").is_some()
            {
                objects.extend(document.get("items").and_then(Node::items).into_iter().flatten().cloned());
            } else {
                objects.push(document.clone());
            }
        }
        let mut loaded = Vec::new();
        for object in objects {
            let kind = object.str_at(&["kind"]);
            let name = object.str_at(&["metadata", "name"]);
            if kind.is_none_or(str::is_empty) || name.is_none_or(str::is_empty) {
                let message =
                    format!("`{path}` holds an object without `kind` and `metadata.name`; kustomize refuses it");
                self.error(object.origin.as_ref().or(origin), path, message);
                continue;
            }
            loaded.push(Res::new(object));
        }
        loaded
    }

    fn run_transformers(&mut self, kustomization: &Kustomization, resources: &mut Vec<Res>) {
        patch::strategic_merge_patches(self, kustomization, resources);
        patch::patches(self, kustomization, resources);
        transform::namespace(kustomization, resources);
        transform::name_affixes(kustomization, resources);
        transform::labels(kustomization, resources);
        transform::annotations(kustomization, resources);
        patch::json6902_patches(self, kustomization, resources);
        transform::replicas(self, kustomization, resources);
        transform::images(kustomization, resources);
    }

    /// Reads a patch: the documents of the file at `path` (relative to the kustomization) or of
    /// the inline text at `inline`, their origins in the file that holds them.
    pub(crate) fn patch_documents(
        &mut self,
        kustomization: &Kustomization,
        path: Option<(&str, Option<&Origin>)>,
        inline: Option<&Node>,
    ) -> Option<Vec<Node>> {
        if let Some((relative, origin)) = path {
            let Some(file) = join_relative(&kustomization.dir, relative) else {
                self.error(origin, &kustomization.path, format!("patch `{relative}` is outside the scan"));
                return None;
            };
            if self.sources.text(&file).is_none() {
                self.error(origin, &kustomization.path, format!("patch file `{relative}` not found"));
                return None;
            }
            self.inputs.insert(file.clone());
            return self.parse_file(&file).map(|documents| documents.to_vec());
        }
        let inline = inline?;
        let text = inline.as_str()?;
        match parse::yaml::parse_stream(text, parse::yaml::ScalarRules::Yaml11, self.limits) {
            Ok(parsed) => {
                let shared: Arc<str> = Arc::clone(&kustomization.path);
                let documents = parsed.value.as_array().cloned().unwrap_or_default();
                let host = self.sources.text(&kustomization.path).map(|text| text.into_owned());
                Some(
                    documents
                        .iter()
                        .enumerate()
                        .filter(|(_, document)| !document.is_null())
                        .map(|(index, document)| {
                            let mut node =
                                Node::from_parsed(document, &parsed.source_map, &format!("/{index}"), &shared);
                            relocate_inline(&mut node, text, inline.origin.as_ref(), host.as_deref());
                            node
                        })
                        .collect(),
                )
            }
            Err(error) => {
                let message = format!("the inline patch does not parse: {}", error.message);
                self.error(inline.origin.as_ref(), &kustomization.path, message);
                None
            }
        }
    }
}

/// Whether a resource entry names something remote (a git repository, a URL).
fn is_remote(entry: &str) -> bool {
    entry.contains("://")
        || entry.starts_with("github.com/")
        || entry.starts_with("gitlab.com/")
        || entry.starts_with("bitbucket.org/")
        || entry.starts_with("git@")
        || entry.contains("?ref=")
        || entry.contains(".git//")
}

fn join_path(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// Moves the origins of a value parsed from an inline patch (a string in the kustomization)
/// into the kustomization's text: exactly for a literal block scalar (`patch: |-`), whose lines
/// are the file's lines less their indentation; onto the whole string otherwise.
fn relocate_inline(node: &mut Node, inner: &str, host_origin: Option<&Origin>, host_text: Option<&str>) {
    let Some(host_origin) = host_origin else {
        node.origin = None;
        return;
    };
    let mapping = host_text.and_then(|host| BlockScalar::read(host, host_origin.span));
    relocate(node, inner, host_origin, mapping.as_ref());
}

fn relocate(node: &mut Node, inner: &str, host: &Origin, block: Option<&BlockScalar>) {
    if let Some(origin) = node.origin.as_mut() {
        let moved = block.and_then(|block| {
            let span = Span::new(block.offset(inner, origin.span.start)?, block.offset(inner, origin.span.end)?);
            let key = match origin.key {
                Some(key) => Some(Span::new(block.offset(inner, key.start)?, block.offset(inner, key.end)?)),
                None => None,
            };
            Some((span, key))
        });
        match moved {
            Some((span, key)) => {
                origin.path = Arc::clone(&host.path);
                origin.span = span;
                origin.key = key;
            }
            None => *origin = host.clone(),
        }
    }
    match &mut node.tree {
        Tree::Scalar(_) => {}
        Tree::Seq(items) => items.iter_mut().for_each(|item| relocate(item, inner, host, block)),
        Tree::Map(members) => members.iter_mut().for_each(|(_, member)| relocate(member, inner, host, block)),
    }
}

/// Where the lines of a literal block scalar sit in the file that holds it.
struct BlockScalar {
    /// Byte offset in the file of each content line's first character after the indentation.
    line_starts: Vec<usize>,
}

impl BlockScalar {
    fn read(host: &str, span: Span) -> Option<BlockScalar> {
        // The span starts at the `|` indicator or (depending on the reader) at the content; the
        // indicator must be a literal one either way: a folded scalar's lines are not the file's.
        let header = host.get(span.start..)?;
        let first_line = if header.starts_with('|') {
            span.start + header.find('\n')? + 1
        } else {
            let before = host.get(..span.start)?;
            let indicator = before.trim_end().rsplit(|c: char| c.is_whitespace()).next()?;
            if !indicator.starts_with('|') {
                return None;
            }
            before.rfind('\n').map_or(0, |newline| newline + 1)
        };
        let body = host.get(first_line..span.end.max(first_line))?;
        let indent = body
            .lines()
            .find(|line| !line.trim().is_empty())
            .map(|line| line.len() - line.trim_start_matches(' ').len())?;
        let mut line_starts = Vec::new();
        let mut at = first_line;
        for line in host.get(first_line..)?.split_inclusive('\n') {
            let content = line.trim_end_matches('\n');
            let blank = content.trim().is_empty();
            if !blank && content.len() - content.trim_start_matches(' ').len() < indent {
                break;
            }
            line_starts.push(at + indent.min(content.len()));
            at += line.len();
        }
        Some(BlockScalar { line_starts })
    }

    /// The file offset of byte `offset` of the scalar's value.
    fn offset(&self, inner: &str, offset: usize) -> Option<usize> {
        let before = inner.get(..offset)?;
        let line = before.matches('\n').count();
        let column = before.rfind('\n').map_or(offset, |newline| offset - newline - 1);
        Some(self.line_starts.get(line)? + column)
    }
}

/// Renders the kustomizations at `paths` that no other kustomization includes.
pub(crate) fn render_all(paths: &[&str], sources: &dyn Sources, limits: &Limits) -> Rendered {
    let mut renderer = Renderer::new(sources, limits);
    // Which kustomizations are included by another: they are rendered through it.
    let mut included: BTreeSet<String> = BTreeSet::new();
    let mut components: BTreeSet<String> = BTreeSet::new();
    for path in paths {
        let Some(kustomization) = renderer.read_kustomization(path) else { continue };
        if kustomization.is_component() {
            components.insert((*path).to_owned());
        }
        let entries =
            [kustomization.strings("resources"), kustomization.strings("bases"), kustomization.strings("components")];
        for (entry, _) in entries.concat() {
            if let Some(dir) = join_relative(&kustomization.dir, &entry) {
                if let Some(nested) = renderer.kustomization_path(&dir) {
                    included.insert(nested);
                }
            }
        }
    }
    let mut objects = Vec::new();
    for path in paths {
        if included.contains(*path) || components.contains(*path) {
            continue;
        }
        let mut stack = vec![parent_dir(path).to_owned()];
        let Ok(built) = renderer.build(path, Vec::new(), &mut stack) else { continue };
        for res in names::finish(built) {
            objects.push(RenderedObject {
                renderer: (*path).to_owned(),
                source: res.source(),
                value: res.node.to_value(),
                provenance: res.node.provenance(),
                via: super::Provenance::default(),
                environment: None,
            });
        }
    }
    let Renderer { mut diagnostics, inputs, .. } = renderer;
    // A base reached by several overlays reports its problems once.
    diagnostics.sort_by(|a, b| {
        (&a.path, a.span.map(|s| s.start), &a.message).cmp(&(&b.path, b.span.map(|s| s.start), &b.message))
    });
    diagnostics.dedup_by(|a, b| a.path == b.path && a.span == b.span && a.message == b.message);
    Rendered { objects, diagnostics, inputs }
}

/// Renders one kustomization directory as `kubectl kustomize DIR` would, for tests and tools:
/// its objects as plain values in kustomize's output order, and the diagnostics.
pub fn render_dir(dir: &str, sources: &dyn Sources, limits: &Limits) -> (Vec<RenderedObject>, Vec<Diagnostic>) {
    let mut renderer = Renderer::new(sources, limits);
    let Some(path) = renderer.kustomization_path(dir) else {
        let message = format!("`{dir}` has no kustomization.yaml");
        return (Vec::new(), vec![Diagnostic::file(Level::Error, dir, message)]);
    };
    let mut stack = vec![dir.to_owned()];
    let objects = match renderer.build(&path, Vec::new(), &mut stack) {
        Ok(built) => names::finish(built)
            .into_iter()
            .map(|res| RenderedObject {
                renderer: path.clone(),
                source: res.source(),
                value: res.node.to_value(),
                provenance: res.node.provenance(),
                via: super::Provenance::default(),
                environment: None,
            })
            .collect(),
        Err(Failed) => Vec::new(),
    };
    (objects, renderer.diagnostics)
}
