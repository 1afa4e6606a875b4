//! `ward completions SHELL`: a completion script for bash, zsh, fish, elvish or PowerShell,
//! generated from the command line's own definition, on standard output.

use std::io::Write;

use anyhow::Context;
use clap::Args;
use clap_complete::Shell;

use crate::Outcome;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs, mut command: clap::Command) -> anyhow::Result<Outcome> {
    // Generated into memory first: the generator panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "ward", &mut script);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&script).context("cannot write to stdout")?;
    stdout.flush().context("cannot write to stdout")?;
    Ok(Outcome::Clean)
}
