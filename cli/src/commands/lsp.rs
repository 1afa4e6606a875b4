//! `ward lsp`: the language server, over standard input and output, until the editor says
//! `exit`. Everything it does is in the `ward-lsp` crate.

use anyhow::Context;
use clap::Args;

use crate::Outcome;

#[derive(Debug, Args)]
pub struct LspArgs {}

pub fn run(_args: &LspArgs) -> anyhow::Result<Outcome> {
    ward_lsp::run_stdio().context("the language server stopped")?;
    Ok(Outcome::Clean)
}
