//! `ward lock`: pins the packs `ward.toml` names — name, version and digest — in `ward.lock`
//! beside it. Scans then refuse a pack that changed until it is locked again.

use anyhow::Context;
use clap::Args;
use ward_engine::{PackLock, LOCK_FILE};

use super::Project;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct LockArgs {}

pub fn run(_args: &LockArgs) -> anyhow::Result<Outcome> {
    let base = std::env::current_dir().context("cannot read the current directory")?;
    let project = Project::discover(&base, &base);
    if let Some(error) = &project.config_error {
        return Ok(super::report_policy_errors(vec![error.clone()]));
    }
    let Some(mut config) = project.config.clone() else {
        anyhow::bail!("no ward.toml here or above; `ward init` writes one");
    };
    // Locking is how a changed pack is accepted: the old lock is not checked.
    config.rules.clear(); // rule settings do not change what is locked
    let mut loaded = ward_engine::load_project(&config, false);
    project.frame_config_errors(&mut loaded.errors);
    if !loaded.errors.is_empty() {
        return Ok(super::report_policy_errors(loaded.errors));
    }
    let lock_file = config.dir.join(LOCK_FILE);
    let pinned: Vec<_> = loaded.packs.iter().map(|pack| (pack, pack.origin.clone())).collect();
    let lock = PackLock::of(&pinned);
    std::fs::write(&lock_file, lock.render()).with_context(|| format!("cannot write {}", lock_file.display()))?;
    for entry in &lock.entries {
        println!("locked {}@{} {}", entry.name, entry.version, entry.digest);
    }
    Ok(Outcome::Clean)
}
