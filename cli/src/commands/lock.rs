//! `ward lock`: pins the packs `ward.toml` names — name, version and digest — in `ward.lock`
//! beside it. Scans then refuse a pack that changed until it is locked again. A remote pack
//! (`source = "oci://…"` or an https archive) is resolved here — a tag or SemVer range to one
//! manifest, a URL to its archive checked against its `sha256` — and fetched into the pack
//! cache, so that the scans after it run offline; its lock entry records where it was found.

use std::collections::BTreeMap;

use anyhow::Context;
use clap::Args;
use ward_engine::{Diagnostic, PackCache, PackLock, PackSource, LOCK_FILE};

use super::Project;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct LockArgs {
    /// Allow plain HTTP to registries and hosts other than localhost and 127.0.0.1.
    #[arg(long)]
    pub insecure: bool,
}

pub fn run(args: &LockArgs) -> anyhow::Result<Outcome> {
    let base = std::env::current_dir().context("cannot read the current directory")?;
    let project = Project::discover(&base, &base);
    if let Some(error) = &project.config_error {
        return Ok(super::report_policy_errors(vec![error.clone()]));
    }
    let Some(mut config) = project.config.clone() else {
        anyhow::bail!("no ward.toml here or above; `ward init` writes one");
    };
    // Locking is how a changed pack is accepted: the old lock is not checked, and every remote
    // source is resolved again.
    config.rules.clear(); // rule settings do not change what is locked
    let options = ward_remote::Options { insecure: args.insecure };
    let mut pins = BTreeMap::new();
    let mut errors = Vec::new();
    let mut cache = None;
    for spec in &config.packs {
        let PackSource::Remote(remote) = &spec.source else { continue };
        let at = |message: String| Diagnostic::at_position(config.path.clone(), spec.position, message);
        let cache = match cache.get_or_insert_with(PackCache::from_env) {
            Ok(cache) => cache,
            Err(error) => {
                errors.push(at(format!("pack source {}: {error}", remote.source)));
                continue;
            }
        };
        match ward_remote::resolve(remote, cache, &options) {
            Ok(pin) => {
                pins.insert(remote.source.clone(), pin);
            }
            Err(error) => errors.push(at(format!("pack source {}: {error}", remote.source))),
        }
    }
    if !errors.is_empty() {
        project.frame_config_errors(&mut errors);
        return Ok(super::report_policy_errors(errors));
    }
    let mut loaded = ward_engine::load_project_pinned(&config, &pins);
    project.frame_config_errors(&mut loaded.errors);
    if !loaded.errors.is_empty() {
        return Ok(super::report_policy_errors(loaded.errors));
    }
    let lock_file = config.dir.join(LOCK_FILE);
    let pinned: Vec<_> =
        loaded.packs.iter().map(|pack| (pack, pack.origin.clone(), pins.get(&pack.origin).cloned())).collect();
    let lock = PackLock::of_pinned(&pinned);
    std::fs::write(&lock_file, lock.render()).with_context(|| format!("cannot write {}", lock_file.display()))?;
    for entry in &lock.entries {
        match &entry.remote {
            Some(remote) => {
                println!("locked {}@{} {} from {}", entry.name, entry.version, entry.digest, remote.resolved)
            }
            None => println!("locked {}@{} {}", entry.name, entry.version, entry.digest),
        }
    }
    Ok(Outcome::Clean)
}
