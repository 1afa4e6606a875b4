//! One module per subcommand, and the arguments they share.

pub mod baseline;
pub mod completions;
pub mod explain;
pub mod hook;
pub mod init;
pub mod lock;
pub mod lsp;
pub mod man;
pub mod pack;
pub mod parse;
pub mod report;
pub mod rules;
pub mod scan;
pub mod test;

use std::path::{Path, PathBuf};

use clap::Args;
use ward_engine::config::Config;
use ward_engine::diagnostic::{Diagnostic, Level};
use ward_engine::policy::{Loaded, PolicyError};
use ward_engine::LoadOptions;

/// Which policies a command uses.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// A policy file, a directory of them (Rego modules `*.rego`, CEL rule files `*.cel.yaml`),
    /// or a pack (a directory with a `pack.toml`). Repeatable. Without it, the built-in packs.
    #[arg(long = "policy", value_name = "PATH")]
    pub policies: Vec<PathBuf>,
}

impl PolicyArgs {
    /// `--policy` paths when given (with `ward.toml`'s rule settings applied), else the packs
    /// `ward.toml` names, else the built-in packs.
    pub fn load(&self, base: &Path, project: &Project) -> Loaded {
        self.load_only(base, project, &[])
    }

    /// [`PolicyArgs::load`], compiling only the packs named in `only` (all when empty).
    pub fn load_only(&self, base: &Path, project: &Project, only: &[String]) -> Loaded {
        let mut loaded = match (&self.policies[..], &project.config) {
            ([], Some(config)) => ward_engine::policy::load_project_only(config, true, only),
            ([], None) => ward_engine::policy::load_builtin_only(only),
            (paths, config) => {
                let mut loaded = ward_engine::policy::load(paths, base);
                if let Some(config) = config {
                    let errors = loaded.policies.configure(config, false);
                    loaded.errors.extend(errors);
                }
                loaded
            }
        };
        loaded.errors.extend(project.error.iter().cloned());
        loaded
    }
}

/// The project a command runs in: its `ward.toml`, if there is one, or why it cannot be used.
#[derive(Debug, Default)]
pub struct Project {
    pub config: Option<Config>,
    pub error: Option<PolicyError>,
}

impl Project {
    /// The `ward.toml` in `root` (the scan root) or a directory above it; paths in messages are
    /// relative to `base`.
    pub fn discover(root: &Path, base: &Path) -> Project {
        let Some(file) = ward_engine::config::discover(root) else { return Project::default() };
        let shown = ward_engine::source::relative_path(base, &file);
        match Config::read(&file, &shown) {
            Ok(config) => Project { config: Some(config), error: None },
            Err(error) => Project { config: None, error: Some(error) },
        }
    }

    /// How to load the tree: the configured file globs and environments.
    pub fn load_options(&self) -> LoadOptions {
        let mut options = LoadOptions::default();
        if let Some(config) = &self.config {
            options.files = config.files.clone();
            options.environments = config.environments.clone();
        }
        options
    }
}

/// A policy problem as a diagnostic at its file, line and column, with a code frame when the
/// file can be read (built-in packs' files cannot: they live in the binary).
pub fn policy_diagnostic(error: PolicyError) -> Diagnostic {
    let mut diagnostic = Diagnostic::file(Level::Error, &error.path, error.message);
    diagnostic.position = Some(error.position);
    with_source_file(diagnostic)
}

/// Attaches the text of the diagnostic's file, read from disk, for a code frame.
pub fn with_source_file(diagnostic: Diagnostic) -> Diagnostic {
    /// Larger files are named by line and column only: a frame is not worth reading them.
    const MAX_BYTES: u64 = 1024 * 1024;
    let path = std::path::Path::new(&diagnostic.path);
    let small = std::fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.len() <= MAX_BYTES);
    match diagnostic.position.filter(|_| small).and_then(|_| std::fs::read_to_string(path).ok()) {
        Some(text) if diagnostic.span.is_none() => diagnostic.with_source(&text),
        _ => diagnostic,
    }
}

/// Draws policy problems on stderr: any makes the command's answer untrustworthy (exit 2).
pub fn report_policy_errors(errors: Vec<PolicyError>) -> crate::Outcome {
    if errors.is_empty() {
        return crate::Outcome::Clean;
    }
    crate::render::diagnostics(&errors.into_iter().map(policy_diagnostic).collect::<Vec<_>>());
    crate::Outcome::Untrusted
}
