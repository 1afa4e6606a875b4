//! `ward lsp`: the language server, over standard input and output, until the editor says
//! `exit`. Everything it does is in the `ward-lsp` crate; the flags are the editor's settings.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use ward_engine::Severity;

use crate::output::parse_severity;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct LspArgs {
    /// A policy file, a directory of them, or a pack, relative to each workspace folder when
    /// relative. Repeatable. Without it, the project's packs (`ward.toml`), else the built-in ones.
    #[arg(long = "policy", value_name = "PATH")]
    pub policies: Vec<PathBuf>,
    /// Show only findings at or above this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "info", value_parser = parse_severity)]
    pub severity_threshold: Severity,
}

pub fn run(args: &LspArgs) -> anyhow::Result<Outcome> {
    let options = ward_lsp::Options { policies: args.policies.clone(), threshold: args.severity_threshold };
    ward_lsp::run_stdio(options).context("the language server stopped")?;
    Ok(Outcome::Clean)
}
