//! `ward pack push` and `ward pack fetch`: sharing packs through OCI registries. `push` uploads
//! a built archive (and its signature); `fetch` fills the pack cache with what `ward.lock` pins,
//! so that scans run offline after it. The network is reached here and in `ward lock`, nowhere
//! else. Exit 0 done, 2 refused (a registry down or refusing the credentials, a tag moved since
//! it was locked, bytes that do not match their digest), each naming the source and what
//! differed.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use ward_engine::{pack_signature_path, Diagnostic, Pack, PackCache, PackLock, PackSource, Position, LOCK_FILE};

use super::pack::shown;
use super::{report_policy_errors, Project};
use crate::Outcome;

#[derive(Debug, Args)]
pub struct PushArgs {
    /// The pack archive (`ward pack build` makes it).
    pub archive: PathBuf,
    /// Where to: `oci://REGISTRY/REPOSITORY:TAG`.
    pub target: String,
    /// Allow plain HTTP to registries other than localhost and 127.0.0.1.
    #[arg(long)]
    pub insecure: bool,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Allow plain HTTP to registries and hosts other than localhost and 127.0.0.1.
    #[arg(long)]
    pub insecure: bool,
}

pub fn push(args: &PushArgs) -> anyhow::Result<Outcome> {
    let shown_archive = shown(&args.archive);
    let at = |message: String| Diagnostic::at_position(shown_archive.clone(), Position { line: 1, column: 1 }, message);
    let bytes = match std::fs::read(&args.archive) {
        Ok(bytes) => bytes,
        Err(error) => return Ok(report_policy_errors(vec![at(format!("cannot be read: {error}"))])),
    };
    // What is pushed is a pack: an archive that does not read as one is refused here, not by
    // every repository that pulls it.
    let pack = match Pack::read_archive_bytes(&bytes, &shown_archive) {
        Ok(pack) => pack,
        Err(error) => return Ok(report_policy_errors(vec![error])),
    };
    let signature_path = pack_signature_path(&args.archive);
    let signature = match std::fs::read(&signature_path) {
        Ok(signature) => Some(signature),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => anyhow::bail!("cannot read {}: {error}", shown(&signature_path)),
    };
    let signed = signature.is_some();
    let options = ward_remote::Options { insecure: args.insecure };
    match ward_remote::push(&pack, bytes, signature, &args.target, &options) {
        Ok(pushed) => {
            println!("pushed {} {}{}", pack.manifest.label(), pack.digest(), if signed { " (signed)" } else { "" });
            println!("to {}", pushed.reference);
            Ok(Outcome::Clean)
        }
        Err(error) => Ok(report_policy_errors(vec![at(format!("cannot push to {}: {error}", args.target))])),
    }
}

pub fn fetch(args: &FetchArgs) -> anyhow::Result<Outcome> {
    let base = std::env::current_dir().context("cannot read the current directory")?;
    let project = Project::discover(&base, &base);
    if let Some(error) = &project.config_error {
        return Ok(report_policy_errors(vec![error.clone()]));
    }
    let Some(config) = project.config.clone() else {
        anyhow::bail!("no ward.toml here or above; `ward init` writes one");
    };
    let lock_path = config.dir.join(LOCK_FILE);
    let lock_shown = config.path.rsplit_once('/').map_or(LOCK_FILE.to_owned(), |(dir, _)| format!("{dir}/{LOCK_FILE}"));
    let lock = match std::fs::read_to_string(&lock_path) {
        Ok(text) => match PackLock::parse(&lock_shown, &text) {
            Ok(lock) => Some(lock),
            Err(error) => return Ok(report_policy_errors(vec![error])),
        },
        Err(_) => None,
    };
    let cache = match PackCache::from_env() {
        Ok(cache) => cache,
        Err(error) => anyhow::bail!("{error}"),
    };
    let options = ward_remote::Options { insecure: args.insecure };
    let mut errors = Vec::new();
    let mut fetched = 0;
    for spec in &config.packs {
        let PackSource::Remote(remote) = &spec.source else { continue };
        let entry = lock.as_ref().and_then(|lock| lock.entry_for_source(&remote.source));
        let Some((entry, pin)) = entry.and_then(|entry| Some((entry, entry.remote.as_ref()?))) else {
            let message = format!("pack source {} is not pinned in ward.lock; run `ward lock`", remote.source);
            errors.push(Diagnostic::at_position(config.path.clone(), spec.position, message));
            continue;
        };
        match ward_remote::fetch(remote, pin, &cache, &options) {
            Ok(()) => {
                fetched += 1;
                println!("fetched {}@{} {} from {}", entry.name, entry.version, entry.digest, pin.resolved);
            }
            Err(error) => errors.push(Diagnostic::at_position(
                lock_shown.clone(),
                entry.position,
                format!("pack {}@{}: {error}", entry.name, entry.version),
            )),
        }
    }
    if !errors.is_empty() {
        project.frame_config_errors(&mut errors);
        return Ok(report_policy_errors(errors));
    }
    if fetched == 0 {
        println!("no remote packs in ward.toml; nothing to fetch");
    } else {
        println!("into {}", cache.dir().display());
    }
    Ok(Outcome::Clean)
}
