//! `ward init`: writes a commented starter `ward.toml` in the working directory, naming the
//! built-in packs and showing every setting. It never overwrites an existing file.

use anyhow::Context;
use clap::Args;
use ward_engine::CONFIG_FILE;

use crate::Outcome;

/// The starter configuration: every setting, commented, with the defaults a scan uses.
const STARTER: &str = r#"# ward's project configuration. Schema: schemas/config.schema.json in ward's repository.
# `ward scan` finds this file by looking upward from the directory it scans.
# (TOML: the plain keys come first; a [table] holds every key below it up to the next one.)

# Which files to scan, as globs relative to the scan root. Files named on the command line are
# scanned whatever these say.
# include = ["deploy/**", "infra/**", "services/**"]
# exclude = ["**/vendor/**", "**/testdata/**"]

# Refuse packs that are not signed by one of these keys (files from `ward pack keygen`).
# require_signatures = true
# trusted_keys = ["keys/security-team.pub"]

# The packs to run. Without any, ward runs its built-in packs. A pack is a built-in one by
# `name`, or a directory or `.tar.gz` by `path` (relative to this file), with an optional
# SemVer `version` requirement. After changing packs, run `ward lock` to pin them in ward.lock.
[[packs]]
name = "kubernetes"
version = ">=0.1"

[[packs]]
name = "secrets"

# [[packs]]
# path = "policy/our-pack"
# version = "^1.2"

# Per rule: a different severity, or `enabled = false` to turn it off, and params.
# [rules.K8S-002]
# severity = "low"

# Params for every rule of a pack, over the pack's own defaults (its data/ files).
# [params.container]
# allowed_registries = ["ghcr.io/our-org"]

# Environment names for path globs, over the ones ward infers from names like `prod`.
# [environments]
# production = ["deploy/live/**", "infra/envs/main/**"]
# staging = ["deploy/pre/**"]
"#;

#[derive(Debug, Args)]
pub struct InitArgs {}

pub fn run(_args: &InitArgs) -> anyhow::Result<Outcome> {
    let base = std::env::current_dir().context("cannot read the current directory")?;
    let path = base.join(CONFIG_FILE);
    if path.exists() {
        anyhow::bail!("{CONFIG_FILE} already exists here; ward init never overwrites it");
    }
    std::fs::write(&path, STARTER).with_context(|| format!("cannot write {}", path.display()))?;
    println!("wrote {CONFIG_FILE}: it runs the built-in `kubernetes` and `secrets` packs; see the comments for every setting");
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use ward_engine::Config;

    use super::*;

    /// A commented-out setting: a `[table]` header or `key = value`.
    fn is_setting(line: &str) -> bool {
        line.starts_with('[')
            || line.split_once(" = ").is_some_and(|(key, _)| key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    }

    /// The starter is a valid configuration, and stays one when its examples are uncommented.
    #[test]
    fn the_starter_configuration_is_valid() {
        let dir = std::path::Path::new(".");
        let parsed = Config::parse(CONFIG_FILE, STARTER, dir);
        assert!(parsed.is_ok(), "{parsed:?}");
        let uncommented: String = STARTER
            .lines()
            .map(|line| line.strip_prefix("# ").filter(|rest| is_setting(rest)).unwrap_or(line))
            .map(|line| format!("{line}\n"))
            .collect();
        let parsed = Config::parse(CONFIG_FILE, &uncommented, dir);
        assert!(parsed.is_ok(), "{parsed:?}\n{uncommented}");
    }
}
