//! `ward man`: the manual page, generated from the command line's own definition — `ward(1)` as
//! roff on standard output, or with `--dir DIR` a page per command (`ward.1`, `ward-scan.1`, …)
//! written there.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::Outcome;

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write a page for ward and for each of its commands into this directory.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: &ManArgs, command: clap::Command) -> anyhow::Result<Outcome> {
    match &args.dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(command, dir).with_context(|| format!("cannot write into {}", dir.display()))?;
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page).context("cannot render the manual page")?;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&page).context("cannot write to stdout")?;
            stdout.flush().context("cannot write to stdout")?;
        }
    }
    Ok(Outcome::Clean)
}
