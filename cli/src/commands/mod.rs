//! One module per subcommand, and the arguments they share.

pub mod explain;
pub mod parse;
pub mod rules;
pub mod scan;
pub mod test;

use std::path::{Path, PathBuf};

use clap::Args;
use ward_engine::diagnostic::{Diagnostic, Level};
use ward_engine::policy::{Loaded, PolicyError};

/// Which policies a command uses.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// A policy file, a directory of them (Rego modules `*.rego`, CEL rule files `*.cel.yaml`),
    /// or a pack (a directory with a `pack.toml`). Repeatable. Without it, the built-in packs.
    #[arg(long = "policy", value_name = "PATH")]
    pub policies: Vec<PathBuf>,
}

impl PolicyArgs {
    pub fn load(&self, base: &Path) -> Loaded {
        if self.policies.is_empty() {
            ward_engine::policy::load_builtin()
        } else {
            ward_engine::policy::load(&self.policies, base)
        }
    }
}

/// A policy problem as a diagnostic at its file, line and column.
pub fn policy_diagnostic(error: PolicyError) -> Diagnostic {
    let mut diagnostic = Diagnostic::file(Level::Error, &error.path, error.message);
    diagnostic.position = Some(error.position);
    diagnostic
}

/// Draws policy problems on stderr: any makes the command's answer untrustworthy (exit 2).
pub fn report_policy_errors(errors: Vec<PolicyError>) -> crate::Outcome {
    if errors.is_empty() {
        return crate::Outcome::Clean;
    }
    crate::render::diagnostics(&errors.into_iter().map(policy_diagnostic).collect::<Vec<_>>());
    crate::Outcome::Untrusted
}
