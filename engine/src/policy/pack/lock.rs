//! `ward.lock`: the packs a project uses, pinned by name, version and digest. `ward lock` writes
//! it next to `ward.toml`; every scan checks the packs it loads against it, so a pack that
//! changed — a rule edited, a file added, a version bumped — is refused until someone reviews
//! the change and locks again. A remote pack's entry also pins where its bytes come from — the
//! exact reference it was resolved to and the digests of its archive and signature blobs — so
//! that a scan reads it from the pack cache without asking the registry anything, and a later
//! fetch can tell that a tag was moved.

use serde_json::Value;

use super::Pack;
use crate::diagnostic::Diagnostic;
use crate::document::Position;
use crate::schema::TomlFile;

/// The lock file's name, beside `ward.toml`.
pub const LOCK_FILE: &str = "ward.lock";

/// One pinned pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockEntry {
    /// The pack's name.
    pub name: String,
    /// The pack's version, as written in the lock file.
    pub version: String,
    /// `builtin`, or the path `ward.toml` names it by.
    pub source: String,
    /// `sha256:<hex>`, see [`Pack::digest`].
    pub digest: String,
    /// For a remote pack, where its bytes were found.
    pub remote: Option<RemotePin>,
    /// Where the entry is written in the lock file.
    pub position: Position,
}

/// Where a remote pack's bytes were found when it was locked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemotePin {
    /// The exact reference fetched: `oci://REGISTRY/REPOSITORY:TAG@sha256:<manifest>` for an OCI
    /// source (a range resolved to a tag), the URL for an https one.
    pub resolved: String,
    /// The SHA-256 of the pack archive, its key in the pack cache.
    pub archive: String,
    /// The SHA-256 of its signature (`.sig`) blob, when it has one.
    pub signature: Option<String>,
}

/// A lock file, read or about to be written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lock {
    /// In name order.
    pub entries: Vec<LockEntry>,
}

impl Lock {
    /// A lock pinning `packs`, each with the source it was named by.
    pub fn of(packs: &[(&Pack, String)]) -> Lock {
        let pinned: Vec<(&Pack, String, Option<RemotePin>)> =
            packs.iter().map(|(pack, source)| (*pack, source.clone(), None)).collect();
        Lock::of_pinned(&pinned)
    }

    /// A lock pinning `packs`, each with the source it was named by and, for a remote pack,
    /// where its bytes were found.
    pub fn of_pinned(packs: &[(&Pack, String, Option<RemotePin>)]) -> Lock {
        let mut entries: Vec<LockEntry> = packs
            .iter()
            .map(|(pack, source, remote)| LockEntry {
                name: pack.manifest.name.clone(),
                version: pack.manifest.version.to_string(),
                source: source.clone(),
                digest: pack.digest(),
                remote: remote.clone(),
                position: Position { line: 1, column: 1 },
            })
            .collect();
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Lock { entries }
    }

    /// The lock file's text: TOML, the same for the same packs.
    ///
    /// ```
    /// use ward_engine::{builtin_packs, PackLock};
    /// let (packs, _) = builtin_packs();
    /// let lock = PackLock::of(&[(&packs[0], "builtin".to_string())]);
    /// let again = PackLock::parse("ward.lock", &lock.render()).unwrap();
    /// assert_eq!(again.entries[0].digest, packs[0].digest());
    /// assert!(again.check("ward.lock", &packs[..1]).is_empty());
    /// ```
    pub fn render(&self) -> String {
        let mut text = String::from(
            "# Written by `ward lock`: the packs this project runs, pinned by version and digest.\n\
             # A scan refuses a pack that no longer matches. Review a pack's change, then run `ward lock`.\n",
        );
        for entry in &self.entries {
            text.push_str(&format!(
                "\n[[pack]]\nname = {}\nversion = {}\nsource = {}\ndigest = {}\n",
                quoted(&entry.name),
                quoted(&entry.version),
                quoted(&entry.source),
                quoted(&entry.digest)
            ));
            if let Some(remote) = &entry.remote {
                text.push_str(&format!(
                    "resolved = {}\narchive = {}\n",
                    quoted(&remote.resolved),
                    quoted(&remote.archive)
                ));
                if let Some(signature) = &remote.signature {
                    text.push_str(&format!("signature = {}\n", quoted(signature)));
                }
            }
        }
        text
    }

    /// Reads a lock file; `path` names it in messages.
    pub fn parse(path: &str, text: &str) -> Result<Lock, Diagnostic> {
        let file = TomlFile::parse(path, text)?;
        let mut entries = Vec::new();
        let packs = match file.value().get("pack") {
            None => &[][..],
            Some(Value::Array(packs)) => packs.as_slice(),
            Some(_) => return Err(file.error_at("/pack", "expected `[[pack]]` entries")),
        };
        for (index, entry) in packs.iter().enumerate() {
            let pointer = format!("/pack/{index}");
            let span = file.locate(&pointer);
            let field = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
            let remote = match (field("resolved"), field("archive")) {
                (Some(resolved), Some(archive)) => Some(RemotePin { resolved, archive, signature: field("signature") }),
                (None, None) => None,
                _ => {
                    return Err(file.error(
                        span,
                        "a remote `[[pack]]` needs both `resolved` and `archive`; run `ward lock` to rewrite the file",
                    ))
                }
            };
            match (field("name"), field("version"), field("source"), field("digest")) {
                (Some(name), Some(version), Some(source), Some(digest)) => entries.push(LockEntry {
                    name,
                    version,
                    source,
                    digest,
                    remote,
                    position: file.position(span),
                }),
                _ => {
                    return Err(file.error(
                        span,
                        "each `[[pack]]` needs `name`, `version`, `source` and `digest`; run `ward lock` to rewrite the file",
                    ))
                }
            }
        }
        Ok(Lock { entries })
    }

    /// The entry pinning the pack named by `source` in `ward.toml`.
    pub fn entry_for_source(&self, source: &str) -> Option<&LockEntry> {
        self.entries.iter().find(|entry| entry.source == source)
    }

    /// Whether `pack` is exactly what is pinned.
    pub fn matches(&self, pack: &Pack) -> bool {
        self.entries.iter().any(|entry| {
            entry.name == pack.manifest.name
                && entry.version == pack.manifest.version.to_string()
                && entry.digest == pack.digest()
        })
    }

    /// Every way `packs` differ from what is pinned, one error per pack, at the pack's entry in
    /// the lock file (named `lock_path` in messages).
    pub fn check(&self, lock_path: &str, packs: &[Pack]) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for pack in packs {
            let name = &pack.manifest.name;
            let error = |position: Position, message: String| {
                Diagnostic::at_position(
                    lock_path.to_owned(),
                    position,
                    format!("pack {}: {message}", pack.manifest.label()),
                )
            };
            let Some(entry) = self.entries.iter().find(|entry| &entry.name == name) else {
                errors.push(error(
                    Position { line: 1, column: 1 },
                    "is not in the lock file; review it, then run `ward lock` to pin it".into(),
                ));
                continue;
            };
            let version = pack.manifest.version.to_string();
            let digest = pack.digest();
            if entry.version != version {
                errors.push(error(
                    entry.position,
                    format!(
                        "the lock file pins version {}; review the new version, then run `ward lock`",
                        entry.version
                    ),
                ));
            } else if entry.digest != digest {
                errors.push(error(
                    entry.position,
                    format!(
                        "its files changed since it was locked (locked {}, found {}) without a new version; review the change, then run `ward lock`",
                        short(&entry.digest),
                        short(&digest)
                    ),
                ));
            }
        }
        errors
    }
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// A digest shortened for messages: `sha256:` and 12 hex digits.
fn short(digest: &str) -> &str {
    digest.get(..19).unwrap_or(digest)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use std::collections::BTreeMap;

    use super::*;

    fn pack(version: &str, rule: &str) -> Pack {
        let mut files = BTreeMap::new();
        let manifest = format!("name = \"p\"\nversion = \"{version}\"\ndescription = \"d\"\nward = \"*\"\n");
        files.insert("pack.toml".to_string(), manifest.into_bytes());
        files.insert("rules/a.rego".to_string(), rule.as_bytes().to_vec());
        Pack::from_files("p", files).unwrap()
    }

    #[test]
    fn a_changed_pack_is_refused_until_locked_again() {
        let locked = pack("1.0.0", "package a\n");
        let lock = Lock::parse(LOCK_FILE, &Lock::of(&[(&locked, "packs/p".into())]).render()).unwrap();
        assert_eq!(lock.entries[0].position.line, 4, "errors point at the entry");
        assert!(lock.check(LOCK_FILE, std::slice::from_ref(&locked)).is_empty());
        assert!(lock.matches(&locked));
        let cases = [
            ("a changed rule", pack("1.0.0", "package b\n"), "its files changed since it was locked"),
            ("a version bump without a re-lock", pack("1.1.0", "package a\n"), "the lock file pins version 1.0.0"),
        ];
        for (name, changed, message) in cases {
            assert!(!lock.matches(&changed), "{name}");
            let errors = lock.check(LOCK_FILE, &[changed]);
            assert_eq!(errors.len(), 1, "{name}");
            assert!(errors[0].message.contains(message), "{name}: {}", errors[0]);
            assert_eq!(errors[0].position.map(|p| p.line), Some(4), "{name}");
        }
        let unlocked = Lock::default().check(LOCK_FILE, &[pack("1.0.0", "package a\n")]);
        assert!(unlocked[0].message.contains("is not in the lock file"));
    }

    #[test]
    fn a_remote_pin_round_trips() {
        let locked = pack("1.0.0", "package a\n");
        let pin = RemotePin {
            resolved: format!("oci://127.0.0.1:5000/acme/p:1.0.0@sha256:{}", "1".repeat(64)),
            archive: format!("sha256:{}", "2".repeat(64)),
            signature: Some(format!("sha256:{}", "3".repeat(64))),
        };
        let source = "oci://127.0.0.1:5000/acme/p:^1".to_string();
        let text = Lock::of_pinned(&[(&locked, source.clone(), Some(pin.clone()))]).render();
        let lock = Lock::parse(LOCK_FILE, &text).unwrap();
        assert_eq!(lock.entry_for_source(&source).and_then(|entry| entry.remote.clone()), Some(pin));
        assert!(lock.matches(&locked));
        let half = text.replace("archive = ", "old_archive = ");
        let error = Lock::parse(LOCK_FILE, &half).unwrap_err();
        assert!(error.message.contains("needs both `resolved` and `archive`"), "{error}");
    }

    #[test]
    fn a_malformed_lock_file_is_an_error_at_its_entry() {
        let error = Lock::parse(LOCK_FILE, "\n[[pack]]\nname = \"p\"\n").unwrap_err();
        assert_eq!(error.position.map(|p| p.line), Some(2));
        assert!(Lock::parse(LOCK_FILE, "pack = 1\n").is_err());
    }
}
