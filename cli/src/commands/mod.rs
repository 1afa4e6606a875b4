//! One module per subcommand, and the arguments they share.

pub mod baseline;
pub mod completions;
pub mod conftest;
pub mod explain;
pub mod hook;
pub mod init;
pub mod lock;
pub mod lsp;
pub mod man;
pub mod pack;
pub mod pack_remote;
pub mod parse;
pub mod report;
pub mod rules;
pub mod scan;
pub mod test;

use std::path::{Path, PathBuf};

use clap::Args;
use ward_engine::{Diagnostic, LoadedPolicies, PolicyChoice, Project};

/// Which policies a command uses.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// A policy file, a directory of them (Rego modules `*.rego`, CEL rule files `*.cel.yaml`),
    /// or a pack (a directory with a `pack.toml`). Repeatable. Without it, the built-in packs.
    #[arg(long = "policy", value_name = "PATH")]
    pub policies: Vec<PathBuf>,
}

impl PolicyArgs {
    /// What these arguments ask for: `--policy` paths (relative to `base`) when given, else
    /// the project's packs, else the built-in packs — narrowed to the packs in `only`.
    pub fn choice(&self, base: &Path, only: &[String]) -> PolicyChoice {
        PolicyChoice { paths: self.policies.clone(), base: base.to_path_buf(), packs: only.to_vec() }
    }

    /// The policies these arguments ask for in `project` (see [`Project::policies`]).
    pub fn load(&self, base: &Path, project: &Project) -> LoadedPolicies {
        project.policies(&self.choice(base, &[])).loaded
    }
}

/// Draws policy problems on stderr: any makes the command's answer untrustworthy (exit 2).
pub fn report_policy_errors(errors: Vec<Diagnostic>) -> crate::Outcome {
    if errors.is_empty() {
        return crate::Outcome::Clean;
    }
    crate::render::diagnostics(&errors);
    crate::Outcome::Untrusted
}
