//! A Helm chart read from the scan's files as Helm's loader reads it: `Chart.yaml` (apiVersion
//! v1 or v2, with v1's `requirements.yaml`), `values.yaml`, `values.schema.json`, every file
//! under `templates/` that `.helmignore` does not leave out, the subcharts in `charts/` (directories and `.tgz` archives, bounded in
//! size and entry count) and the other files, which templates read as `.Files`. Problems are
//! [`Diagnostic`]s at the file and line; a chart that can be read at all is still rendered.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Arc;

use super::ignore::HelmIgnore;
use crate::diagnostic::{Diagnostic, Level};
use crate::parse::yaml::{parse_stream, ScalarRules};
use crate::parse::Limits;
use crate::render::tracked::{Node, Origin, Tree};
use crate::render::Sources;

/// The most files one chart (with its subcharts) may have.
const MAX_FILES: usize = 5_000;
/// The largest `.tgz` subchart read, compressed and unpacked.
const MAX_ARCHIVE_BYTES: u64 = 16 * 1024 * 1024;
/// The most entries read from one archive.
const MAX_ARCHIVE_ENTRIES: usize = 5_000;
/// How deep subcharts may nest.
const MAX_NESTING: usize = 8;

/// One file of a chart.
#[derive(Debug, Clone)]
pub(crate) struct ChartFile {
    /// Its path inside the chart (`templates/deployment.yaml`), as `.Files` and template names
    /// use it.
    pub name: String,
    /// Its path relative to the scan root; `None` for a file inside a `.tgz`, which is not a
    /// file a person can open.
    pub path: Option<Arc<str>>,
    pub text: String,
}

/// An entry of `dependencies:` (or v1's `requirements.yaml`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Dependency {
    pub name: String,
    pub alias: Option<String>,
    /// Comma-separated value paths; the first that resolves to a boolean decides.
    pub condition: String,
    pub tags: Vec<String>,
    pub import_values: Vec<ImportValue>,
    pub origin: Option<Origin>,
}

/// One entry of a dependency's `import-values`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ImportValue {
    /// `- data`: the child's `exports.data` table, merged at the parent's top.
    Exports(String),
    /// `- child: a.b` / `parent: c`: the child's table at `a.b`, at the parent's `c`.
    Path { child: String, parent: String },
}

/// A loaded chart.
#[derive(Debug, Clone)]
pub(crate) struct Chart {
    /// Its name as its parent knows it (a dependency's `alias` renames it).
    pub name: String,
    /// Where it is: a directory of the scan, or `<archive>.tgz` for one read from an archive.
    pub dir: String,
    /// `Chart.yaml`.
    pub metadata: Node,
    /// `values.yaml` (an empty mapping when absent).
    pub values: Node,
    pub schema: Option<ChartFile>,
    /// Every file under `templates/`.
    pub templates: Vec<ChartFile>,
    /// The other files (`.Files`).
    pub files: Vec<ChartFile>,
    pub dependencies: Vec<Dependency>,
    /// The subcharts in `charts/`, each with the dependency entry that names it (none for one
    /// that no entry names: it is always rendered).
    pub subcharts: Vec<(Chart, Option<Dependency>)>,
}

impl Chart {
    /// Whether it is a library chart (`type: library`): its templates only define, and it is
    /// not installable on its own.
    pub(crate) fn is_library(&self) -> bool {
        self.metadata.str_at(&["type"]) == Some("library")
    }
}

/// What a chart directory or archive holds before it is sorted out.
enum Entry {
    Text(ChartFile),
    Archive { label: String, bytes: Vec<u8> },
}

/// Reads charts, collecting what went wrong.
pub(crate) struct Loader<'s> {
    sources: &'s dyn Sources,
    limits: &'s Limits,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'s> Loader<'s> {
    pub(crate) fn new(sources: &'s dyn Sources, limits: &'s Limits) -> Loader<'s> {
        Loader { sources, limits, diagnostics: Vec::new() }
    }

    /// The chart in directory `dir` (which holds a `Chart.yaml`) with its subcharts.
    /// Its `.helmignore` leaves files out, its subcharts' included ([`super::ignore`]).
    pub(crate) fn load_dir(&mut self, dir: &str) -> Option<Chart> {
        let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        let ignore = self.helmignore(&prefix);
        let mut entries = BTreeMap::new();
        for path in self.sources.files_under(dir, MAX_FILES) {
            let Some(name) = path.strip_prefix(&prefix).map(str::to_owned) else { continue };
            if ignore.ignores_file(&name) {
                continue;
            }
            if name.starts_with("charts/") && name.ends_with(".tgz") {
                match self.sources.bytes(&path, MAX_ARCHIVE_BYTES) {
                    Some(bytes) => {
                        entries.insert(name, Entry::Archive { label: path, bytes });
                    }
                    None => self.note(&path, "subchart archive not read: larger than 16 MiB or unreadable"),
                }
                continue;
            }
            if let Some(text) = self.sources.text(&path) {
                let file =
                    ChartFile { name: name.clone(), path: Some(Arc::from(path.as_str())), text: text.into_owned() };
                entries.insert(name, Entry::Text(file));
            }
        }
        self.assemble(dir.to_owned(), entries, 0)
    }

    /// The rules of the `.helmignore` in the chart directory `prefix` (Helm's defaults
    /// without one); a pattern Helm would refuse is an error at its line, and left out.
    fn helmignore(&mut self, prefix: &str) -> HelmIgnore {
        let path = format!("{prefix}.helmignore");
        let Some(text) = self.sources.text(&path) else { return HelmIgnore::defaults() };
        let (ignore, bad) = HelmIgnore::parse(&text);
        for pattern in bad {
            let position = crate::document::Position { line: pattern.line, column: 1 };
            let message = format!("{}; the pattern is not applied", pattern.message);
            self.diagnostics.push(Diagnostic::at_position(path.clone(), position, message));
        }
        ignore
    }

    fn note(&mut self, path: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::file(Level::Note, path, message));
    }

    fn error_at(&mut self, file: &ChartFile, label: &str, origin: Option<&Origin>, message: String) {
        let diagnostic = match (&file.path, origin) {
            (Some(path), Some(origin)) => Diagnostic::at(path.to_string(), &file.text, origin.entry(), message),
            (Some(path), None) => Diagnostic::file(Level::Error, path.to_string(), message),
            (None, _) => Diagnostic::file(Level::Error, label, format!("{}: {message}", file.name)),
        };
        self.diagnostics.push(diagnostic);
    }

    /// The first document of a YAML file, with origins (none inside an archive); `None` when it
    /// does not parse (reported).
    pub(crate) fn parse_yaml(&mut self, file: &ChartFile, label: &str) -> Option<Node> {
        match parse_stream(&file.text, ScalarRules::Yaml11, self.limits) {
            Ok(parsed) => {
                let first = parsed.value.as_array().and_then(|documents| documents.first()).cloned();
                let Some(first) = first else { return Some(Node::empty_map(None)) };
                let path: Arc<str> = file.path.clone().unwrap_or_else(|| Arc::from(""));
                let mut node = Node::from_parsed(&first, &parsed.source_map, "/0", &path);
                if file.path.is_none() {
                    forget_origins(&mut node);
                }
                if node.is_null() {
                    node = Node::empty_map(None);
                }
                Some(node)
            }
            Err(error) => {
                let diagnostic = match &file.path {
                    Some(path) => Diagnostic::at(path.to_string(), &file.text, error.span, error.message),
                    None => Diagnostic::file(Level::Error, label, format!("{}: {}", file.name, error.message)),
                };
                self.diagnostics.push(diagnostic.with_help(error.help));
                None
            }
        }
    }

    fn assemble(&mut self, dir: String, mut entries: BTreeMap<String, Entry>, depth: usize) -> Option<Chart> {
        let Some(Entry::Text(chart_yaml)) = entries.remove("Chart.yaml") else {
            self.diagnostics.push(Diagnostic::file(Level::Error, dir, "not a chart: no `Chart.yaml`"));
            return None;
        };
        let metadata = self.parse_yaml(&chart_yaml, &dir)?;
        let Some(name) = metadata.str_at(&["name"]).map(str::to_owned) else {
            let message = "`Chart.yaml` has no `name`: expected the chart's name (`name: my-chart`)".to_owned();
            self.error_at(&chart_yaml, &dir, metadata.origin.as_ref(), message);
            return None;
        };
        let api_version = metadata.str_at(&["apiVersion"]).unwrap_or("v1").to_owned();
        if api_version != "v1" && api_version != "v2" {
            let origin = metadata.get("apiVersion").and_then(|node| node.origin.clone());
            let message = format!("`apiVersion: {api_version}`: expected `v2` (Helm 3) or `v1` (Helm 2)");
            self.error_at(&chart_yaml, &dir, origin.as_ref(), message);
        }
        let values = match entries.remove("values.yaml") {
            Some(Entry::Text(file)) => self.parse_yaml(&file, &dir).unwrap_or_else(|| Node::empty_map(None)),
            _ => Node::empty_map(None),
        };
        let schema = match entries.remove("values.schema.json") {
            Some(Entry::Text(file)) => Some(file),
            _ => None,
        };
        // v1 charts list their dependencies in `requirements.yaml`.
        let requirements = match entries.remove("requirements.yaml") {
            Some(Entry::Text(file)) if api_version == "v1" => self.parse_yaml(&file, &dir).map(|node| (node, file)),
            _ => None,
        };
        let dependencies = match &requirements {
            Some((node, file)) => self.dependencies(node, file, &dir),
            None => self.dependencies(&metadata, &chart_yaml, &dir),
        };
        entries.remove("Chart.lock");
        entries.remove("requirements.lock");

        let mut templates = Vec::new();
        let mut files = Vec::new();
        let mut subchart_entries: BTreeMap<String, BTreeMap<String, Entry>> = BTreeMap::new();
        let mut archives = Vec::new();
        for (name, entry) in entries {
            if let Some(inner) = name.strip_prefix("charts/") {
                match (inner.split_once('/'), entry) {
                    (Some((subchart, rest)), entry) => {
                        let rest = rest.to_owned();
                        let entry = match entry {
                            Entry::Text(mut file) => {
                                file.name.clone_from(&rest);
                                Entry::Text(file)
                            }
                            archive => archive,
                        };
                        subchart_entries.entry(subchart.to_owned()).or_default().insert(rest, entry);
                    }
                    (None, Entry::Archive { label, bytes }) => archives.push((label, bytes)),
                    (None, Entry::Text(_)) => {} // a `.prov` file, a README: not a chart
                }
                continue;
            }
            let Entry::Text(file) = entry else { continue };
            if name.starts_with("templates/") {
                templates.push(file);
            } else {
                files.push(file);
            }
        }

        let mut loaded = Vec::new();
        if depth >= MAX_NESTING && !(subchart_entries.is_empty() && archives.is_empty()) {
            self.note(&dir, format!("subcharts nested deeper than {MAX_NESTING} levels are not rendered"));
        } else {
            for (subdir, sub_entries) in subchart_entries {
                let subdir = match dir.is_empty() {
                    true => format!("charts/{subdir}"),
                    false => format!("{dir}/charts/{subdir}"),
                };
                if let Some(chart) = self.assemble(subdir, sub_entries, depth + 1) {
                    loaded.push(chart);
                }
            }
            for (label, bytes) in archives {
                if let Some(sub_entries) = self.read_archive(&label, &bytes) {
                    if let Some(chart) = self.assemble(label, sub_entries, depth + 1) {
                        loaded.push(chart);
                    }
                }
            }
        }
        let subcharts = self.match_dependencies(&dir, &chart_yaml, &dependencies, loaded);
        Some(Chart { name, dir, metadata, values, schema, templates, files, dependencies, subcharts })
    }

    /// The dependency entries of `node` (`Chart.yaml` or `requirements.yaml`).
    fn dependencies(&mut self, node: &Node, file: &ChartFile, dir: &str) -> Vec<Dependency> {
        let Some(list) = node.get("dependencies") else { return Vec::new() };
        if list.is_null() {
            return Vec::new();
        }
        let Some(items) = list.items() else {
            let message = "`dependencies` must be a list of charts (`- name: redis`)".to_owned();
            self.error_at(file, dir, list.origin.as_ref(), message);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let Some(name) = item.str_at(&["name"]) else {
                let message = "a dependency without `name`: expected the subchart's name".to_owned();
                self.error_at(file, dir, item.origin.as_ref(), message);
                continue;
            };
            let strings = |key: &str| -> Vec<String> {
                item.get(key)
                    .and_then(Node::items)
                    .into_iter()
                    .flatten()
                    .filter_map(Node::as_str)
                    .map(str::to_owned)
                    .collect()
            };
            let mut import_values = Vec::new();
            for entry in item.get("import-values").and_then(Node::items).into_iter().flatten() {
                match (entry.as_str(), entry.str_at(&["child"]), entry.str_at(&["parent"])) {
                    (Some(export), _, _) => import_values.push(ImportValue::Exports(export.to_owned())),
                    (None, Some(child), Some(parent)) => {
                        import_values.push(ImportValue::Path { child: child.to_owned(), parent: parent.to_owned() });
                    }
                    _ => {
                        let message = "an `import-values` entry must be a name or `{child: …, parent: …}`".to_owned();
                        self.error_at(file, dir, entry.origin.as_ref(), message);
                    }
                }
            }
            out.push(Dependency {
                name: name.to_owned(),
                alias: item.str_at(&["alias"]).filter(|alias| !alias.is_empty()).map(str::to_owned),
                condition: item.str_at(&["condition"]).unwrap_or("").to_owned(),
                tags: strings("tags"),
                import_values,
                origin: item.origin.clone(),
            });
        }
        out
    }

    /// Pairs the loaded subcharts with the dependency entries that name them, as Helm's
    /// `processDependencyEnabled` does: a subchart no entry names is kept as it is; each entry
    /// takes the subchart of its name, renamed to its `alias`.
    fn match_dependencies(
        &mut self,
        dir: &str,
        chart_yaml: &ChartFile,
        dependencies: &[Dependency],
        loaded: Vec<Chart>,
    ) -> Vec<(Chart, Option<Dependency>)> {
        let mut out: Vec<(Chart, Option<Dependency>)> = loaded
            .iter()
            .filter(|chart| !dependencies.iter().any(|dependency| dependency.name == chart.name))
            .map(|chart| (chart.clone(), None))
            .collect();
        for dependency in dependencies {
            match loaded.iter().find(|chart| chart.name == dependency.name) {
                Some(chart) => {
                    let mut chart = chart.clone();
                    if let Some(alias) = &dependency.alias {
                        chart.name.clone_from(alias);
                    }
                    out.push((chart, Some(dependency.clone())));
                }
                None => {
                    let message = format!(
                        "dependency `{}` is not in `{dir}/charts/`: rendered without it (run `helm dependency build` to vendor it)",
                        dependency.name
                    );
                    let diagnostic = match &chart_yaml.path {
                        Some(path) => {
                            let span =
                                dependency.origin.as_ref().map_or(crate::document::Span::new(0, 0), Origin::entry);
                            let mut diagnostic = Diagnostic::at(path.to_string(), &chart_yaml.text, span, message);
                            diagnostic.level = Level::Note;
                            diagnostic
                        }
                        None => Diagnostic::file(Level::Note, dir, message),
                    };
                    self.diagnostics.push(diagnostic);
                }
            }
        }
        out
    }

    /// The files of a `.tgz` chart, named without their top directory (`redis/Chart.yaml` →
    /// `Chart.yaml`). Bounded: at most [`MAX_ARCHIVE_ENTRIES`] entries and
    /// [`MAX_ARCHIVE_BYTES`] unpacked.
    fn read_archive(&mut self, label: &str, bytes: &[u8]) -> Option<BTreeMap<String, Entry>> {
        let decoder = flate2::read::GzDecoder::new(bytes).take(MAX_ARCHIVE_BYTES);
        let mut archive = tar::Archive::new(decoder);
        let mut entries = BTreeMap::new();
        let problem = |message: String| Diagnostic::file(Level::Error, label, message);
        let iter = match archive.entries() {
            Ok(iter) => iter,
            Err(error) => {
                self.diagnostics.push(problem(format!("not a readable chart archive: {error}")));
                return None;
            }
        };
        for (count, entry) in iter.enumerate() {
            if count >= MAX_ARCHIVE_ENTRIES {
                self.diagnostics.push(problem(format!("more than {MAX_ARCHIVE_ENTRIES} entries: the rest not read")));
                break;
            }
            let mut entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    self.diagnostics.push(problem(format!("not a readable chart archive: {error}")));
                    return None;
                }
            };
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let Some(name) = entry.path().ok().and_then(|path| path.to_str().map(str::to_owned)) else { continue };
            // Helm refuses entries that climb out of the chart; they are left out here.
            let Some((_, inner)) = name.split_once('/') else { continue };
            if inner.split('/').any(|part| part == ".." || part.is_empty()) {
                continue;
            }
            let mut content = Vec::new();
            if entry.read_to_end(&mut content).is_err() {
                self.diagnostics.push(problem(format!("`{name}` could not be unpacked")));
                return None;
            }
            let inner = inner.to_owned();
            if inner.starts_with("charts/") && inner.ends_with(".tgz") {
                let label = format!("{label}!{inner}");
                entries.insert(inner, Entry::Archive { label, bytes: content });
            } else if let Ok(text) = String::from_utf8(content) {
                entries.insert(inner.clone(), Entry::Text(ChartFile { name: inner, path: None, text }));
            }
        }
        Some(entries)
    }
}

/// Drops every origin: values read from an archive have no line a person can open.
fn forget_origins(node: &mut Node) {
    node.origin = None;
    match &mut node.tree {
        Tree::Scalar(_) => {}
        Tree::Seq(items) => items.iter_mut().for_each(forget_origins),
        Tree::Map(members) => members.iter_mut().for_each(|(_, member)| forget_origins(member)),
    }
}
