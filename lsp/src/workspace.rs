//! One project as the editor sees it: its root, its `ward.toml` (found by the engine's config
//! discovery), the active packs (the configured ones, else the built-in ones), and the rest of
//! its document graph, loaded once and updated file by file on save — so that a buffer can be
//! evaluated on every change, graph rules included, without reading the tree again.
//!
//! The policies and the documents are immutable once loaded and shared (`Arc`): a
//! [`WorkspaceSnapshot`] is a cheap copy of the handles that a background task evaluates a
//! buffer against while the main loop goes on. A change (a save) replaces a handle rather than
//! mutating what it points at, so a task in flight keeps the state it started from. Loading
//! happens on first need, on whichever thread needs it first (`OnceLock`): the main loop does
//! not read the tree when a workspace is made.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::options::Options;
use ward_engine::{
    relative_path, scan_buffer, Buffer, BufferScan, Contents, Document, EvalOptions, LoadedPolicies, PolicyChoice,
    Project, ScanOptions, SecretScanner, Suppressions,
};

/// A project root and what has been loaded from it.
pub struct Workspace {
    pub root: PathBuf,
    /// Its `ward.toml`, read when the workspace is made and again when it is saved.
    project: Arc<Project>,
    policies: Arc<OnceLock<EditorPolicies>>,
    /// Every document of the tree as last saved — loaded on first need.
    documents: Arc<OnceLock<Vec<Document>>>,
    /// The command line's policies and threshold.
    options: Arc<Options>,
}

/// What a background task needs of a [`Workspace`] to evaluate a buffer: shared handles, so
/// that taking one costs nothing and the main loop can change the workspace meanwhile.
#[derive(Clone)]
pub struct WorkspaceSnapshot {
    root: PathBuf,
    project: Arc<Project>,
    policies: Arc<OnceLock<EditorPolicies>>,
    documents: Arc<OnceLock<Vec<Document>>>,
    options: Arc<Options>,
}

impl Workspace {
    /// The workspace at `root`, with its `ward.toml` read if it has one.
    pub fn new(root: PathBuf) -> Workspace {
        Workspace::with_options(root, Options::default())
    }

    /// [`Workspace::new`], with the command line's policies (relative to `root`) and threshold.
    pub fn with_options(root: PathBuf, options: Options) -> Workspace {
        let project = Arc::new(Project::discover(&root, &root));
        let options = Arc::new(options);
        Workspace { root, project, policies: Arc::default(), documents: Arc::default(), options }
    }

    /// The active policies, as `ward scan` would choose them in this project: `ward.toml`'s
    /// packs, else the built-in ones. Loaded once; see [`Workspace::reload_policies`].
    pub fn policies(&self) -> &LoadedPolicies {
        &policies_of(&self.policies, &self.project, &self.root, &self.options).loaded
    }

    /// Forgets the configuration, policies and suppressions, to read them again on next use
    /// (after a save of `ward.toml`, a pack manifest, a policy or the baseline).
    pub fn reload_policies(&mut self) {
        self.project = Arc::new(Project::discover(&self.root, &self.root));
        self.policies = Arc::default();
    }

    /// The path of `file` as findings name it: relative to the root, `/`-separated.
    pub fn relative(&self, file: &Path) -> String {
        relative_path(&self.root, file)
    }

    /// After a save: the file's document read again (or dropped, if it no longer parses or
    /// exists), as a scan would read it. Copy on write: tasks in flight keep the documents they
    /// started with. A saved baseline changes what is suppressed: it is read again.
    pub fn refresh_file(&mut self, file: &Path) {
        if self.project.baseline_file(None).is_some_and(|baseline| baseline == file) {
            self.reload_policies();
        }
        let Some(documents) = self.documents.get() else {
            // Not loaded, or being loaded from what was on disk before the save: load afresh.
            self.documents = Arc::default();
            return;
        };
        let path = self.relative(file);
        let mut documents: Vec<Document> = documents.iter().filter(|document| document.path != path).cloned().collect();
        if let Ok(text) = std::fs::read_to_string(file) {
            let contents = vec![(path, Contents::Text(text))];
            let loaded = ward_engine::load_texts(self.root.clone(), contents, &self.project.load_options());
            documents.extend(loaded.graph.documents);
        }
        self.documents = Arc::new(OnceLock::from(documents));
    }

    /// The handles a background task evaluates buffers with.
    pub fn snapshot(&self) -> WorkspaceSnapshot {
        WorkspaceSnapshot {
            root: self.root.clone(),
            project: Arc::clone(&self.project),
            policies: Arc::clone(&self.policies),
            documents: Arc::clone(&self.documents),
            options: Arc::clone(&self.options),
        }
    }

    /// Scans the buffer of `file`; see [`WorkspaceSnapshot::check_buffer`].
    pub fn check_buffer(&self, file: &Path, text: &str) -> BufferScan {
        self.snapshot().check_buffer(file, text)
    }
}

/// The active policies, the secret scanner made of their secret rules (built once, not per
/// buffer), and what suppresses their findings in this project.
struct EditorPolicies {
    loaded: LoadedPolicies,
    secrets: SecretScanner,
    suppressions: Suppressions,
}

fn policies_of<'a>(
    policies: &'a OnceLock<EditorPolicies>,
    project: &Project,
    root: &Path,
    options: &Options,
) -> &'a EditorPolicies {
    policies.get_or_init(|| {
        // An unreadable baseline is not this buffer's problem: `ward.toml`'s diagnostics and
        // `ward scan` name it; the editor goes on without it.
        let (suppressions, _) = project.suppressions(None);
        let choice = PolicyChoice { paths: options.policies.clone(), base: root.to_path_buf(), packs: Vec::new() };
        let mut loaded = project.policies(&choice).loaded;
        // A scan compiles only the rules of the kinds it meets; the editor scans buffer after
        // buffer, of every kind: it compiles them all once.
        let errors = loaded.policies.compile_deferred(None);
        loaded.errors.extend(errors);
        let secrets = SecretScanner::new(loaded.policies.secrets.clone());
        EditorPolicies { loaded, secrets, suppressions }
    })
}

impl WorkspaceSnapshot {
    /// The project's root: what findings' paths are relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path of `file` as findings name it: relative to the root, `/`-separated.
    pub fn relative(&self, file: &Path) -> String {
        relative_path(&self.root, file)
    }

    /// The tree's documents, loaded on first call by whichever task needs them first.
    fn documents(&self) -> &[Document] {
        self.documents.get_or_init(|| {
            let options = self.project.load_options();
            ward_engine::load(std::slice::from_ref(&self.root), &self.root, &options).graph.documents
        })
    }

    /// Scans the buffer of `file` as `ward scan` scans that file in this project (see
    /// [`ward_engine::scan_buffer`]): the same policies, suppressions and redaction, with the
    /// rest of the tree as last saved when some rule reads the graph. Findings below the
    /// threshold are left out.
    pub fn check_buffer(&self, file: &Path, text: &str) -> BufferScan {
        let path = self.relative(file);
        let active = policies_of(&self.policies, &self.project, &self.root, &self.options);
        let policies = &active.loaded.policies;
        // A file of a Helm chart is judged through the chart's renders, which take the tree.
        let context = if policies.reads_graph() || in_chart(&self.root, file) { self.documents() } else { &[] };
        let options = ScanOptions {
            load: self.project.load_options(),
            eval: EvalOptions { jobs: 1, ..EvalOptions::default() },
            suppressions: active.suppressions.clone(),
        };
        let buffer = Buffer { root: &self.root, path: &path, text };
        let mut scan = scan_buffer(buffer, context, policies, &active.secrets, &options);
        scan.findings.retain(|finding| finding.severity >= self.options.threshold);
        scan
    }
}

/// Whether `file` is part of a Helm chart under `root`: a `Chart.yaml` is in its directory or
/// one above it, or (for a values file beside a chart, `values.staging.yaml`) in a directory
/// next to it.
fn in_chart(root: &Path, file: &Path) -> bool {
    let mut dirs = file.ancestors().skip(1).take_while(|dir| dir.starts_with(root));
    if dirs.any(|dir| dir.join("Chart.yaml").is_file()) {
        return true;
    }
    let values_like = file.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.contains("values"));
    let beside = file.parent().and_then(|dir| std::fs::read_dir(dir).ok());
    values_like && beside.into_iter().flatten().flatten().any(|entry| entry.path().join("Chart.yaml").is_file())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/repos/shop")
    }

    #[test]
    fn a_buffer_is_evaluated_with_the_built_in_packs() {
        let workspace = Workspace::new(repo());
        let file = repo().join("services/api/Dockerfile");
        let report = workspace.check_buffer(&file, "FROM python:latest\nRUN pip install x\n");
        assert_eq!(report.kind, Some(ward_engine::DocumentKind::Dockerfile));
        let rules: Vec<&str> = report.findings.iter().map(|f| f.rule_id.as_str()).collect();
        assert!(rules.contains(&"CTR-001"), "{rules:?}");
        assert!(report.findings.iter().all(|f| f.location.path == "services/api/Dockerfile"));
        // The quick fix's comment is honoured: the finding it names goes, the others stay.
        let ignored = "# ward:ignore CTR-001 -- pinned by the nightly rebuild\nFROM python:latest\nRUN pip install x\n";
        let report = workspace.check_buffer(&file, ignored);
        let rules: Vec<&str> = report.findings.iter().map(|f| f.rule_id.as_str()).collect();
        assert!(!rules.contains(&"CTR-001") && !rules.is_empty(), "{rules:?}");
    }

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(entry.file_name()));
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }

    #[test]
    fn graph_rules_see_the_rest_of_the_project_as_last_saved() {
        let root = std::env::temp_dir().join(format!("ward-lsp-workspace-{}", std::process::id()));
        copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/lsp/project"), &root);
        let mut workspace = Workspace::new(root.clone());
        let app = root.join("deploy/app.yaml");
        let text = std::fs::read_to_string(&app).unwrap();
        let unprotected = |report: &BufferScan| {
            let mut names: Vec<String> =
                report.findings.iter().filter(|f| f.rule_id == "LSPT-001").map(|f| f.message.clone()).collect();
            names.sort();
            names
        };
        // `api` has a budget in deploy/pdb.yaml, on disk; `worker` has none.
        assert_eq!(unprotected(&workspace.check_buffer(&app, &text)), ["worker has no PodDisruptionBudget"]);
        // The budget is deleted and its file saved: `api` loses it.
        std::fs::remove_file(root.join("deploy/pdb.yaml")).unwrap();
        workspace.refresh_file(&root.join("deploy/pdb.yaml"));
        let names = unprotected(&workspace.check_buffer(&app, &text));
        assert_eq!(names, ["api has no PodDisruptionBudget", "worker has no PodDisruptionBudget"]);
        // A rule disabled in ward.toml, saved: the policies are read again.
        let config = std::fs::read_to_string(root.join("ward.toml")).unwrap();
        std::fs::write(root.join("ward.toml"), format!("{config}\n[rules.LSPT-001]\nenabled = false\n")).unwrap();
        workspace.reload_policies();
        assert!(unprotected(&workspace.check_buffer(&app, &text)).is_empty());
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn secrets_in_a_buffer_are_found_parsed_or_not_and_never_shown_whole() {
        let workspace = Workspace::new(repo());
        let token = ward_engine::testing::token("github:ghp", "lsp").unwrap();
        for (file, text) in [
            (
                "deploy/k8s/base/secret-values.yaml",
                format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata:\n  GITHUB_TOKEN: {token}\n"),
            ),
            ("deploy/k8s/base/broken.yaml", format!("a: [1, 2\nGITHUB_TOKEN: {token}\n")),
        ] {
            let report = workspace.check_buffer(&repo().join(file), &text);
            let secret = report
                .findings
                .iter()
                .find(|f| f.rule_id == "SEC-002")
                .unwrap_or_else(|| panic!("{file}: {:?}", report.findings));
            assert_eq!(secret.location.start.line, if file.ends_with("broken.yaml") { 2 } else { 5 });
            let shown = format!("{:?}{:?}", report.findings, report.problems);
            assert!(!shown.contains(&token), "{file}: the token is shown whole");
            let ignored = text.replace(
                &format!("GITHUB_TOKEN: {token}"),
                &format!("GITHUB_TOKEN: {token} # ward:ignore SEC-002 -- revoked"),
            );
            let report = workspace.check_buffer(&repo().join(file), &ignored);
            assert!(report.findings.iter().all(|f| f.rule_id != "SEC-002"), "{file}");
        }
    }

    #[test]
    fn a_buffer_that_does_not_parse_is_a_problem_not_findings() {
        let workspace = Workspace::new(repo());
        let report = workspace.check_buffer(&repo().join("deploy/x.yaml"), "a: [1, 2\n");
        assert!(report.findings.is_empty());
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert!(report.problems[0].position.is_some());
    }
}
