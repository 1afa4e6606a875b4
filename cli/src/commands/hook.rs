//! `ward hook install`: a plain `.git/hooks/pre-commit` for people who do not use the
//! pre-commit framework. It runs `ward scan --staged`: the secret rules by default (fast, for
//! every commit), every configured pack with `--all`.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context};
use clap::{Args, Subcommand};

use crate::Outcome;

/// Marks a hook as ward's, so that reinstalling replaces it without `--force`.
const MARK: &str = "# Installed by `ward hook install`.";

#[derive(Debug, Args)]
pub struct HookArgs {
    #[command(subcommand)]
    pub command: HookCommand,
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Write the git pre-commit hook of the repository in the current directory.
    Install(InstallArgs),
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Check staged files against every configured pack, not only for secrets.
    #[arg(long)]
    pub all: bool,
    /// Replace a pre-commit hook that ward did not write.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &HookArgs) -> anyhow::Result<Outcome> {
    let HookCommand::Install(args) = &args.command;
    let output = Command::new("git").args(["rev-parse", "--git-path", "hooks"]).output().context("cannot run git")?;
    if !output.status.success() {
        bail!("not in a git repository: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    let hooks = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    std::fs::create_dir_all(&hooks).with_context(|| format!("cannot create {}", hooks.display()))?;
    let hook = hooks.join("pre-commit");
    if let Ok(existing) = std::fs::read_to_string(&hook) {
        if !existing.contains(MARK) && !args.force {
            bail!("{} exists and was not written by ward; use --force to replace it", hook.display());
        }
    }
    let ward = std::env::current_exe().context("cannot tell where the ward binary is")?;
    let scan = if args.all { "scan --staged" } else { "scan --staged --pack secrets" };
    let script = format!(
        "#!/bin/sh\n{MARK}\n# It stops a commit that adds a secret{}; `git commit --no-verify` skips it.\nexec {} {scan}\n",
        if args.all { " or breaks a policy" } else { "" },
        shell_quote(&ward.to_string_lossy())
    );
    std::fs::write(&hook, script).with_context(|| format!("cannot write {}", hook.display()))?;
    make_executable(&hook)?;
    println!("{}: runs `ward {scan}` before each commit", hook.display());
    Ok(Outcome::Clean)
}

/// `text` as one word for `sh`.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(unix)]
fn make_executable(path: &std::path::Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("cannot make {} executable", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_path: &std::path::Path) -> anyhow::Result<()> {
    Ok(())
}
