//! A project: the `ward.toml` found at or above the scan root, and everything it decides for a
//! run — how the tree is loaded (file globs, environment names), which policies run (`--policy`
//! paths, else the packs `ward.toml` names, else the built-in packs; `--pack` narrows any of
//! them), and what suppresses a finding (inline comments, waivers, the baseline).
//!
//! `ward scan` and the language server both build a [`Project`] and ask it these questions, so
//! the editor and the command line cannot decide them differently.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::{attach_sources, Diagnostic, Level};
use crate::document::Position;
use crate::load::LoadOptions;
use crate::policy::{self, LoadedPolicies};
use crate::suppress::{Baseline, Suppressions};

/// A project root and its configuration.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// The `ward.toml` in force, if one was found and could be read.
    pub config: Option<Config>,
    /// Why the `ward.toml` that was found cannot be used: every run reports it, and runs as if
    /// there were none.
    pub config_error: Option<Diagnostic>,
    /// The text of the `ward.toml` in force: problems found in it after it was read (a rule id
    /// that names no rule, a pack that cannot be loaded) get their code frames from it.
    config_text: Option<String>,
}

/// Which policies a run asks for.
#[derive(Debug, Clone, Default)]
pub struct PolicyChoice {
    /// Policy files, directories or packs (`--policy`), relative to `base`. Empty: the project's
    /// packs, else the built-in ones.
    pub paths: Vec<PathBuf>,
    /// What `paths` are relative to.
    pub base: PathBuf,
    /// Only the rules of these packs (`--pack`); empty: every pack.
    pub packs: Vec<String>,
}

/// The policies a run uses, and every problem met choosing and compiling them.
pub struct ActivePolicies {
    /// The policies, the packs they came from, and the problems met loading them.
    pub loaded: LoadedPolicies,
    /// Problems that are not a policy file's: a `--pack` that names no loaded pack.
    pub diagnostics: Vec<Diagnostic>,
}

impl Project {
    /// The project around `root` (a scan root, or an editor's workspace folder): the nearest
    /// `ward.toml` in `root` or a directory above it. Its path in messages is relative to `base`.
    ///
    /// ```
    /// use std::path::Path;
    /// let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/lsp/project");
    /// let project = ward_engine::Project::discover(&base.join("deploy"), &base);
    /// assert_eq!(project.config.map(|config| config.path).as_deref(), Some("ward.toml"));
    /// ```
    pub fn discover(root: &Path, base: &Path) -> Project {
        let Some(file) = crate::config::discover(root) else { return Project::default() };
        let shown = crate::source::relative_path(base, &file);
        // The text is kept for the code frames of problems found later (an unknown rule id).
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(error) => {
                let error =
                    Diagnostic::at_position(shown, Position { line: 1, column: 1 }, format!("cannot be read: {error}"));
                return Project { config_error: Some(error), ..Project::default() };
            }
        };
        match Config::parse(&shown, &text, file.parent().unwrap_or(Path::new("."))) {
            Ok(config) => Project { config: Some(config), config_error: None, config_text: Some(text) },
            Err(error) => Project { config: None, config_error: Some(error), config_text: None },
        }
    }

    /// Gives the problems found in `ward.toml` after it was read — a setting for a rule that is
    /// not loaded, a pack it names that cannot be loaded — its text, for their code frames.
    ///
    /// ```
    /// use std::path::Path;
    /// use ward_engine::Position;
    /// let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/lsp/project");
    /// let project = ward_engine::Project::discover(&base, &base);
    /// let mut errors = vec![ward_engine::Diagnostic::at_position("ward.toml", Position { line: 1, column: 1 }, "no")];
    /// project.frame_config_errors(&mut errors);
    /// assert!(errors[0].source_text().is_some());
    /// ```
    pub fn frame_config_errors(&self, errors: &mut [Diagnostic]) {
        let (Some(config), Some(text)) = (&self.config, &self.config_text) else { return };
        attach_sources(errors, |path| (path == config.path).then_some(text.as_str()));
    }

    /// How to load the tree: the configured file globs and environment names.
    pub fn load_options(&self) -> LoadOptions {
        let mut options = LoadOptions::default();
        if let Some(config) = &self.config {
            options.files = config.files.clone();
            options.environments = config.environments.clone();
        }
        options
    }

    /// Loads and compiles the policies `choice` asks for: `--policy` paths (with `ward.toml`'s
    /// rule settings applied), else the packs `ward.toml` names (checked against `ward.lock`),
    /// else the built-in packs; then only the packs `choice.packs` names. A pack that is not
    /// asked for is not compiled, where that can be known before compiling.
    ///
    /// ```
    /// use ward_engine::{PolicyChoice, Project};
    /// let choice = PolicyChoice { packs: vec!["secrets".into(), "nosuch".into()], ..PolicyChoice::default() };
    /// let active = Project::default().policies(&choice);
    /// assert!(active.loaded.policies.rules().all(|(rule, _)| rule.pack.as_ref().is_some_and(|pack| pack.name == "secrets")));
    /// assert!(active.diagnostics[0].message.starts_with("--pack nosuch: no such pack"));
    /// ```
    pub fn policies(&self, choice: &PolicyChoice) -> ActivePolicies {
        let only = &choice.packs[..];
        let mut loaded = match (&choice.paths[..], &self.config) {
            ([], Some(config)) => policy::load_project_only(config, true, only),
            ([], None) => policy::load_builtin_only(only),
            (paths, config) => {
                let mut loaded = policy::load(paths, &choice.base);
                if let Some(config) = config {
                    let errors = loaded.policies.configure(config, false);
                    loaded.errors.extend(errors);
                }
                loaded
            }
        };
        self.frame_config_errors(&mut loaded.errors);
        loaded.errors.extend(self.config_error.iter().cloned());
        let mut diagnostics = Vec::new();
        if !only.is_empty() {
            for unknown in loaded.policies.retain_packs(only) {
                let message = format!("--pack {unknown}: no such pack is loaded; `ward rules` lists the packs");
                diagnostics.push(Diagnostic::file(Level::Error, "", message));
            }
        }
        ActivePolicies { loaded, diagnostics }
    }

    /// The baseline file in force: `explicit` (`--baseline`) if given, else the one `ward.toml`
    /// names (relative to its directory).
    pub fn baseline_file(&self, explicit: Option<&Path>) -> Option<PathBuf> {
        explicit.map(Path::to_path_buf).or_else(|| {
            let config = self.config.as_ref()?;
            Some(config.dir.join(config.baseline.as_ref()?))
        })
    }

    /// What suppresses findings in this project: `ward.toml`'s waivers, and the baseline (see
    /// [`Project::baseline_file`]). Inline comments need nothing here: they are read from the
    /// files. A baseline that cannot be read is an error, and the run goes on without it.
    pub fn suppressions(&self, explicit_baseline: Option<&Path>) -> (Suppressions, Option<Diagnostic>) {
        let mut suppressions = Suppressions::default();
        if let Some(config) = &self.config {
            suppressions.waivers = config.waivers.clone();
            suppressions.config_path = config.path.clone();
        }
        let mut problem = None;
        if let Some(file) = self.baseline_file(explicit_baseline) {
            match read_baseline(&file) {
                Ok(baseline) => suppressions.baseline = Some(baseline),
                Err(diagnostic) => problem = Some(diagnostic),
            }
        }
        (suppressions, problem)
    }
}

fn read_baseline(file: &Path) -> Result<Baseline, Diagnostic> {
    let shown = file.to_string_lossy().replace('\\', "/");
    let text = std::fs::read_to_string(file)
        .map_err(|e| Diagnostic::file(Level::Error, &shown, format!("cannot read the baseline: {e}")))?;
    Baseline::parse(&text).map_err(|e| Diagnostic::file(Level::Error, &shown, format!("not a usable baseline: {e}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn lsp_project() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/lsp/project")
    }

    #[test]
    fn a_baseline_that_cannot_be_read_is_named_and_the_waivers_still_apply() {
        let project = Project::discover(&lsp_project(), &lsp_project());
        let missing = lsp_project().join("no-such-baseline.json");
        let (suppressions, problem) = project.suppressions(Some(&missing));
        assert!(suppressions.baseline.is_none());
        assert!(problem.unwrap().message.starts_with("cannot read the baseline"));
        assert_eq!(suppressions.config_path, "ward.toml");
    }

    #[test]
    fn a_broken_ward_toml_is_reported_by_every_policy_load() {
        let dir = std::env::temp_dir().join(format!("ward-project-broken-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ward.toml"), "[rules.X]\nseverity = \"urgent\"\n").unwrap();
        let project = Project::discover(&dir, &dir);
        assert!(project.config.is_none());
        let active = project.policies(&PolicyChoice { packs: vec!["secrets".into()], ..PolicyChoice::default() });
        let error = active.loaded.errors.iter().find(|error| error.path == "ward.toml").unwrap();
        assert_eq!(error.position.map(|p| (p.line, p.column)), Some((2, 12)));
        assert!(active.loaded.policies.rule_count() > 0, "the run goes on with the built-in packs");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
