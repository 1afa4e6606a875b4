//! `ward pack build|keygen|sign|verify|push|fetch`: making a pack something to hand over — a
//! reproducible `.tar.gz` — and signing and checking it with ed25519 keys; `push` and `fetch`
//! (sharing it through an OCI registry) live in [`super::pack_remote`]. The formats are the engine's
//! ([`archive`], [`signature`]); this module reads and writes the files and prints. The
//! signature of a pack at PACK (archive or directory) is `PACK.sig`, beside it. Exit 0 done, 2
//! refused (a pack or key that cannot be read, a signature that does not verify).

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand};
use ward_engine::{
    build_pack_archive, generate_pack_keys, pack_signature_path, sign_pack, verify_pack_signature, Diagnostic, Pack,
    PackPublicKey, PackSecretKey, Policies, Position, PACK_ARCHIVE_EXTENSION,
};

use super::report_policy_errors;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct PackArgs {
    #[command(subcommand)]
    pub command: PackCommand,
}

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Archive the pack in DIR as `<name>-<version>.tar.gz`, byte-identical for the same files;
    /// print its path and the pack's digest.
    Build(BuildArgs),
    /// Make an ed25519 key pair: PREFIX.key (secret, readable by you only) and PREFIX.pub.
    Keygen(KeygenArgs),
    /// Sign a pack (an archive or a directory) with a secret key: writes PACK.sig beside it.
    Sign(SignArgs),
    /// Check a pack against its signature (PACK.sig) and the public keys you trust.
    Verify(VerifyArgs),
    /// Upload a pack archive (and its ARCHIVE.sig, when there is one) to an OCI registry as
    /// `oci://REGISTRY/REPOSITORY:TAG`.
    Push(super::pack_remote::PushArgs),
    /// Download every remote pack `ward.lock` pins into the pack cache, checking each against
    /// the lock: the one online step before offline scans.
    Fetch(super::pack_remote::FetchArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The pack's directory (with a `pack.toml`).
    pub dir: PathBuf,
    /// Where to write the archive.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The key files' path without extension: writes PREFIX.key and PREFIX.pub.
    #[arg(long, value_name = "PREFIX")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The pack: a `.tar.gz` archive or a directory.
    pub pack: PathBuf,
    /// The secret key file (from `ward pack keygen`).
    #[arg(long, value_name = "KEYFILE")]
    pub key: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The pack: a `.tar.gz` archive or a directory.
    pub pack: PathBuf,
    /// A trusted public key file (`.pub`). Repeatable; the signer must be one of them.
    #[arg(long = "key", value_name = "PUBFILE")]
    pub keys: Vec<PathBuf>,
}

pub fn run(args: &PackArgs) -> anyhow::Result<Outcome> {
    match &args.command {
        PackCommand::Build(args) => build(args),
        PackCommand::Keygen(args) => keygen(args),
        PackCommand::Sign(args) => sign(args),
        PackCommand::Verify(args) => verify(args),
        PackCommand::Push(args) => super::pack_remote::push(args),
        PackCommand::Fetch(args) => super::pack_remote::fetch(args),
    }
}

fn build(args: &BuildArgs) -> anyhow::Result<Outcome> {
    let pack = match Pack::read_dir(&args.dir, &shown(&args.dir)) {
        Ok(pack) => pack,
        Err(error) => return Ok(report_policy_errors(vec![error])),
    };
    // An archive is for handing over: one whose rules do not compile would only fail later,
    // elsewhere.
    let (_, errors) = Policies::assemble(&[], std::slice::from_ref(&pack));
    if !errors.is_empty() {
        return Ok(report_policy_errors(errors));
    }
    let bytes = match build_pack_archive(&pack) {
        Ok(bytes) => bytes,
        Err(error) => return Ok(report_policy_errors(vec![error])),
    };
    let name = format!("{}-{}{}", pack.manifest.name, pack.manifest.version, PACK_ARCHIVE_EXTENSION);
    let path = args.output.join(name);
    std::fs::create_dir_all(&args.output).with_context(|| format!("cannot create {}", shown(&args.output)))?;
    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", shown(&path)))?;
    println!("{} {}", pack.manifest.label(), pack.digest());
    println!("wrote {}", shown(&path));
    Ok(Outcome::Clean)
}

fn keygen(args: &KeygenArgs) -> anyhow::Result<Outcome> {
    let secret_path = with_suffix(&args.output, ".key");
    let public_path = with_suffix(&args.output, ".pub");
    // A key file is never overwritten: the old secret may be the only copy.
    for path in [&secret_path, &public_path] {
        anyhow::ensure!(!path.exists(), "{} already exists; not overwriting a key", shown(path));
    }
    let (secret, public) = generate_pack_keys()?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&secret_path).with_context(|| format!("cannot create {}", shown(&secret_path)))?;
    file.write_all(secret.to_secret_text().as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", shown(&secret_path)))?;
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&public_path)
        .with_context(|| format!("cannot create {}", shown(&public_path)))?;
    writeln!(file, "{public}").with_context(|| format!("cannot write {}", shown(&public_path)))?;
    println!("key {}", public.id());
    println!("wrote {} (secret: keep it private, never commit it)", shown(&secret_path));
    println!("wrote {} (public: give it to those who verify)", shown(&public_path));
    Ok(Outcome::Clean)
}

fn sign(args: &SignArgs) -> anyhow::Result<Outcome> {
    let key = match PackSecretKey::read(&args.key, &shown(&args.key)) {
        Ok(key) => key,
        Err(error) => return Ok(report_policy_errors(vec![error])),
    };
    let path = resolved(&args.pack)?;
    let pack = match Pack::read(&path, &shown(&args.pack)) {
        Ok(pack) => pack,
        Err(error) => return Ok(report_policy_errors(vec![error])),
    };
    let digest = pack.digest();
    let signature_path = pack_signature_path(&path);
    std::fs::write(&signature_path, sign_pack(&digest, &key))
        .with_context(|| format!("cannot write {}", shown(&signature_path)))?;
    println!("signed {} {digest} with {}", pack.manifest.label(), key.id());
    println!("wrote {}", shown(&signature_path));
    Ok(Outcome::Clean)
}

fn verify(args: &VerifyArgs) -> anyhow::Result<Outcome> {
    let path = resolved(&args.pack)?;
    let pack = match Pack::read(&path, &shown(&args.pack)) {
        Ok(pack) => pack,
        Err(error) => return Ok(report_policy_errors(vec![error])),
    };
    let mut keys = Vec::new();
    let mut errors = Vec::new();
    for key in &args.keys {
        match PackPublicKey::read(key, &shown(key)) {
            Ok(key) => keys.push(key),
            Err(error) => errors.push(error),
        }
    }
    if args.keys.is_empty() {
        errors.push(at(&shown(&args.pack), "no key to trust: name the signer's public key with --key PUBFILE".into()));
    }
    if !errors.is_empty() {
        return Ok(report_policy_errors(errors));
    }
    let signature_path = pack_signature_path(&path);
    let shown_signature = shown(&signature_path);
    let text = match std::fs::read_to_string(&signature_path) {
        Ok(text) => text,
        Err(error) => {
            let message = format!("no signature for pack {}: {error}", pack.manifest.label());
            return Ok(report_policy_errors(vec![at(&shown_signature, message)]));
        }
    };
    match verify_pack_signature(&pack, &text, &keys) {
        Ok(key) => {
            println!("verified {} {} signed by {}", pack.manifest.label(), pack.digest(), key.id());
            Ok(Outcome::Clean)
        }
        Err(error) => Ok(report_policy_errors(vec![error])),
    }
}

/// A pack path that names its file or directory: `.` and `..` resolved, so that the signature
/// lands beside the directory rather than at `..sig`.
fn resolved(path: &Path) -> anyhow::Result<PathBuf> {
    if path.file_name().is_some() {
        return Ok(path.to_path_buf());
    }
    path.canonicalize().with_context(|| format!("cannot read {}", shown(path)))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A path as messages show it: as given, `/`-separated, without a trailing `/`.
pub(super) fn shown(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    match text.trim_end_matches('/') {
        "" => text,
        trimmed => trimmed.to_owned(),
    }
}

fn at(path: &str, message: String) -> Diagnostic {
    Diagnostic::at_position(path, Position { line: 1, column: 1 }, message)
}
