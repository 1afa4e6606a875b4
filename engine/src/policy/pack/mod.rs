//! Policy packs (DESIGN §4): a directory with `pack.toml` ([`manifest`]), `rules/` (Rego and
//! CEL), `lib/` (shared Rego), `data/` (default params) and `tests/` (fixtures per rule). A pack
//! is read whole into memory — its files in path order — so that what is hashed is exactly what
//! is evaluated. The built-in packs (`policies/` in the repository) are embedded in the binary
//! at build time and carry its version. Remote packs (an OCI registry, an https archive) are
//! pinned by `ward lock` and read from the content-addressed [`cache`]; the engine itself never
//! reaches the network (the `ward-remote` crate fetches).

pub(crate) mod archive;
pub(crate) mod cache;
pub(crate) mod lock;
pub(crate) mod manifest;
pub(crate) mod signature;

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest as _, Sha256};

use self::manifest::Manifest;
use super::Checks;
use crate::diagnostic::Diagnostic;
use crate::document::Position;
pub(crate) use crate::pack_ref::PackRef;

/// How many files a pack may hold, and how many bytes in all: a pack is rules and fixtures.
const MAX_FILES: usize = 10_000;
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A pack, read.
#[derive(Debug, Clone)]
pub struct Pack {
    /// Its `pack.toml`.
    pub manifest: Manifest,
    /// Where the pack came from, as errors and rule paths name it: a directory as given, or
    /// `builtin:<name>`.
    pub origin: String,
    /// Every file, by path relative to the pack's root (`/`-separated), in path order.
    pub files: BTreeMap<String, Vec<u8>>,
    /// How its files are checked as they load: fully, or as the built-in packs are.
    pub checks: Checks,
}

impl Pack {
    /// A pack from its files; `pack.toml` must be among them.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use ward_engine::Pack;
    /// let mut files = BTreeMap::new();
    /// files.insert("pack.toml".to_string(), b"name = \"p\"\nversion = \"1.0.0\"\ndescription = \"d\"\nward = \">=0.1\"\n".to_vec());
    /// let pack = Pack::from_files("packs/p", files).unwrap();
    /// assert_eq!(pack.manifest.label().to_string(), "p@1.0.0");
    /// assert!(pack.digest().starts_with("sha256:"));
    /// ```
    pub fn from_files(origin: &str, files: BTreeMap<String, Vec<u8>>) -> Result<Pack, Diagnostic> {
        Pack::from_files_with(origin, files, Checks::Full)
    }

    /// A built-in pack (`builtin:p`, checked as the built-in packs are) of a minimal manifest and
    /// `files`, for tests of what the engine does with the built-in packs.
    #[cfg(test)]
    #[allow(clippy::unwrap_used)]
    pub(crate) fn builtin_for_tests(files: &[(&str, &str)]) -> Pack {
        let manifest = "name = \"p\"\nversion = \"1.0.0\"\ndescription = \"d\"\nward = \">=0.1\"\n";
        let files = std::iter::once(("pack.toml", manifest))
            .chain(files.iter().copied())
            .map(|(path, text)| (path.to_owned(), text.as_bytes().to_vec()))
            .collect();
        Pack::from_files_with("builtin:p", files, Checks::Builtin).unwrap()
    }

    fn from_files_with(origin: &str, files: BTreeMap<String, Vec<u8>>, checks: Checks) -> Result<Pack, Diagnostic> {
        let manifest_path = format!("{origin}/pack.toml");
        let error =
            |message: String| Diagnostic::at_position(manifest_path.clone(), Position { line: 1, column: 1 }, message);
        let manifest = files.get("pack.toml").ok_or_else(|| error("a pack needs a `pack.toml`".into()))?;
        let manifest = std::str::from_utf8(manifest).map_err(|_| error("`pack.toml` is not UTF-8 text".into()))?;
        let manifest = Manifest::parse_with(&manifest_path, manifest, checks)?;
        Ok(Pack { manifest, origin: origin.to_owned(), files, checks })
    }

    /// Reads the pack in `dir`; `origin` is how messages name it. Symbolic links are refused: a
    /// pack's content must be what its digest says, wherever it is unpacked.
    pub fn read_dir(dir: &Path, origin: &str) -> Result<Pack, Diagnostic> {
        let mut files = BTreeMap::new();
        let mut total: u64 = 0;
        let mut pending = vec![dir.to_path_buf()];
        let refuse = |path: &Path, message: String| {
            Diagnostic::at_position(
                format!("{origin}/{}", relative(dir, path)),
                Position { line: 1, column: 1 },
                message,
            )
        };
        while let Some(current) = pending.pop() {
            let entries = std::fs::read_dir(&current).map_err(|e| refuse(&current, format!("cannot be read: {e}")))?;
            for entry in entries {
                let entry = entry.map_err(|e| refuse(&current, format!("cannot be read: {e}")))?;
                let path = entry.path();
                let file_type = entry.file_type().map_err(|e| refuse(&path, format!("cannot be read: {e}")))?;
                if file_type.is_symlink() {
                    return Err(refuse(&path, "a symbolic link; a pack holds plain files only".into()));
                } else if file_type.is_dir() {
                    pending.push(path);
                } else {
                    let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                    total = total.saturating_add(size);
                    if files.len() >= MAX_FILES || total > MAX_BYTES {
                        return Err(refuse(
                            dir,
                            format!("larger than a pack may be ({MAX_FILES} files, {} MiB)", MAX_BYTES >> 20),
                        ));
                    }
                    let content = std::fs::read(&path).map_err(|e| refuse(&path, format!("cannot be read: {e}")))?;
                    files.insert(relative(dir, &path), content);
                }
            }
        }
        Pack::from_files(origin, files)
    }

    /// SHA-256 over the files in path order, each as its path, a zero byte, its length (8
    /// bytes, big-endian) and its content — so that renaming, moving bytes between files or
    /// adding an empty file all change it. Written `sha256:<hex>`.
    pub fn digest(&self) -> String {
        let mut hasher = Sha256::new();
        for (path, content) in &self.files {
            hasher.update(path.as_bytes());
            hasher.update([0]);
            hasher.update(u64::try_from(content.len()).unwrap_or(u64::MAX).to_be_bytes());
            hasher.update(content);
        }
        format!("sha256:{}", data_encoding::HEXLOWER.encode(&hasher.finalize()))
    }

    /// The pack's policies — `*.rego` and `*.cel.yaml` under `rules/` and `lib/` — as
    /// `(origin/path, text)`, ready for [`Policies::compile`](super::Policies::compile).
    pub fn policy_files(&self) -> (Vec<(String, String)>, Vec<Diagnostic>) {
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        for (path, content) in &self.files {
            let in_policy_dir = path.starts_with("rules/") || path.starts_with("lib/");
            if !in_policy_dir || super::language_of(path).is_none() {
                continue;
            }
            let shown = format!("{}/{path}", self.origin);
            match String::from_utf8(content.clone()) {
                Ok(text) => sources.push((shown, text)),
                Err(_) => {
                    errors.push(Diagnostic::at_position(shown, Position { line: 1, column: 1 }, "not UTF-8 text"))
                }
            }
        }
        (sources, errors)
    }
}

impl Pack {
    /// The pack's default params: every `data/*.json`, `data/*.yaml` and `data/*.yml` file (each
    /// a mapping), merged in path order. Rules see them as `params`, under `ward.toml`'s.
    pub fn data(&self) -> Result<serde_json::Value, Diagnostic> {
        let mut merged = serde_json::json!({});
        for (path, content) in self.files.range("data/".to_owned()..) {
            if !path.starts_with("data/") {
                break;
            }
            let shown = format!("{}/{path}", self.origin);
            let error = |position: Position, message: String| Diagnostic::at_position(shown.clone(), position, message);
            let text = std::str::from_utf8(content)
                .map_err(|_| error(Position { line: 1, column: 1 }, "not UTF-8 text".into()))?;
            let value = if path.ends_with(".json") {
                serde_json::from_str(text).map_err(|e| {
                    let line = u32::try_from(e.line()).unwrap_or(1);
                    let column = u32::try_from(e.column()).unwrap_or(1);
                    error(Position { line, column }, format!("not JSON: {e}"))
                })?
            } else if let Some(document) = super::builtin_documents::parsed(&shown, text) {
                document
            } else if path.ends_with(".yaml") || path.ends_with(".yml") {
                let parsed = crate::parse::yaml::parse_stream(
                    text,
                    crate::parse::yaml::ScalarRules::Yaml12,
                    &crate::parse::Limits::default(),
                )
                .map_err(|e| error(crate::document::LineIndex::new(text).position(text, e.span.start), e.message))?;
                parsed.value.get(0).cloned().unwrap_or(serde_json::Value::Null)
            } else {
                continue;
            };
            if !value.is_object() {
                return Err(error(
                    Position { line: 1, column: 1 },
                    "params must be a mapping of names to values".into(),
                ));
            }
            super::merge_params(&mut merged, &value);
        }
        Ok(merged)
    }
}

/// Every dependency of `packs` that is not among them at a version it accepts, at its line in
/// the dependent pack's `pack.toml`.
pub(crate) fn unmet_dependencies(packs: &[Pack]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for pack in packs {
        for dependency in &pack.manifest.dependencies {
            let found = packs.iter().find(|other| other.manifest.name == dependency.name);
            let problem = match found {
                None => format!("needs pack `{}` ({}), which is not loaded", dependency.name, dependency.requirement),
                Some(other) if !dependency.requirement.matches(&other.manifest.version) => format!(
                    "needs pack `{}` {}, and {} is loaded",
                    dependency.name,
                    dependency.requirement,
                    other.manifest.label()
                ),
                Some(_) => continue,
            };
            errors.push(Diagnostic::at_position(
                format!("{}/pack.toml", pack.origin),
                dependency.position,
                format!("pack {} {problem}", pack.manifest.label()),
            ));
        }
    }
    errors
}

/// `path` relative to `base`, `/`-separated.
fn relative(base: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative.components().map(|part| part.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

// `BUILTIN_FILES: &[(&str, &[u8])]`: every file under `policies/`, as `<pack>/<path>`, written
// by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// The content of the built-in file `<pack>/<path>`, as this binary holds it.
pub(crate) fn builtin_file(path: &str) -> Option<&'static [u8]> {
    let index = BUILTIN_FILES.binary_search_by(|(known, _)| (*known).cmp(path)).ok()?;
    BUILTIN_FILES.get(index).map(|(_, content)| *content)
}

/// The packs built into this binary, in name order.
///
/// ```
/// let (packs, errors) = ward_engine::builtin_packs();
/// assert!(errors.is_empty());
/// assert!(packs.iter().all(|pack| pack.manifest.version.to_string() == env!("CARGO_PKG_VERSION")));
/// ```
pub fn builtin() -> (Vec<Pack>, Vec<Diagnostic>) {
    builtin_named(&[])
}

/// The built-in packs named in `only` and the packs they depend on, in name order; all of them
/// when `only` is empty. Only their files are copied out of the binary: a secrets-only hook
/// needs one pack of eight.
pub(crate) fn builtin_named(only: &[String]) -> (Vec<Pack>, Vec<Diagnostic>) {
    let mut by_pack: BTreeMap<&str, Vec<(&str, &'static [u8])>> = BTreeMap::new();
    for (path, content) in BUILTIN_FILES {
        if let Some((pack, inner)) = path.split_once('/') {
            by_pack.entry(pack).or_default().push((inner, content));
        }
    }
    let wanted = super::with_dependencies(only, &|name| {
        let manifest = by_pack.get(name).and_then(|files| files.iter().find(|(path, _)| *path == "pack.toml"));
        let text = manifest.and_then(|(_, content)| std::str::from_utf8(content).ok()).unwrap_or_default();
        // A manifest that does not parse is reported when its pack is built, below.
        let manifest = Manifest::parse_with(name, text, Checks::Builtin);
        manifest.map(|manifest| manifest.dependencies.into_iter().map(|d| d.name).collect()).unwrap_or_default()
    });
    let mut packs = Vec::new();
    let mut errors = Vec::new();
    for (name, files) in by_pack {
        if !only.is_empty() && !wanted.iter().any(|wanted| wanted == name) {
            continue;
        }
        let files = files.into_iter().map(|(path, content)| (path.to_owned(), content.to_vec())).collect();
        match Pack::from_files_with(&format!("builtin:{name}"), files, Checks::Builtin) {
            Ok(pack) => packs.push(pack),
            Err(error) => errors.push(error),
        }
    }
    (packs, errors)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    fn pack(extra: &[(&str, &str)]) -> Pack {
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        files.insert(
            "pack.toml".into(),
            b"name = \"p\"\nversion = \"1.0.0\"\ndescription = \"d\"\nward = \"*\"\n".to_vec(),
        );
        files.insert("rules/a.rego".into(), b"package a\n".to_vec());
        for (path, content) in extra {
            files.insert((*path).to_owned(), content.as_bytes().to_vec());
        }
        Pack::from_files("p", files).unwrap()
    }

    #[test]
    fn every_built_in_pack_passes_every_load_check() {
        // What `Checks::Builtin` skips at each start is checked here, once.
        let (packs, errors) = builtin();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(packs.len(), BUILTIN_FILES.iter().filter(|(path, _)| path.ends_with("/pack.toml")).count());
        for pack in packs {
            assert_eq!(pack.checks, Checks::Builtin);
            // `builtin_named` follows dependencies by directory name.
            assert_eq!(pack.origin, format!("builtin:{}", pack.manifest.name));
            let checked = Pack::from_files(&pack.origin, pack.files.clone()).unwrap();
            assert_eq!(checked.checks, Checks::Full);
            let (policies, errors) = crate::policy::Policies::assemble(&[], &[checked]);
            assert!(errors.iter().all(|e| e.message.contains("needs pack")), "{}: {errors:?}", pack.origin);
            for rule in &policies.secrets {
                assert!(rule.regex_errors().is_empty(), "{}", rule.metadata.id);
            }
        }
    }

    #[test]
    fn the_digest_changes_with_any_change_to_the_files() {
        let base = pack(&[("rules/b.cel.yaml", "id: B")]).digest();
        let changed = [
            ("a changed file", pack(&[("rules/b.cel.yaml", "id: C")])),
            ("an added file", pack(&[("rules/b.cel.yaml", "id: B"), ("tests/x", "")])),
            ("a removed file", pack(&[])),
            ("a renamed file", pack(&[("rules/c.cel.yaml", "id: B")])),
            ("bytes moved between a path and its content", pack(&[("rules/b.cel.yaml\0", "id: B")])),
        ];
        for (name, pack) in changed {
            assert_ne!(pack.digest(), base, "{name}");
        }
        assert_eq!(pack(&[("rules/b.cel.yaml", "id: B")]).digest(), base, "the digest is stable");
    }

    fn manifest_only(name: &str, version: &str, dependencies: &str) -> Pack {
        let manifest = format!(
            "name = \"{name}\"\nversion = \"{version}\"\ndescription = \"d\"\nward = \"*\"\n\n[dependencies]\n{dependencies}"
        );
        Pack::from_files(name, BTreeMap::from([("pack.toml".to_string(), manifest.into_bytes())])).unwrap()
    }

    #[test]
    fn dependencies_must_be_loaded_at_a_version_they_accept() {
        let app = manifest_only("app", "1.0.0", "lib = \"^2.0\"\n");
        assert!(unmet_dependencies(&[app.clone(), manifest_only("lib", "2.3.0", "")]).is_empty());
        let old = unmet_dependencies(&[app.clone(), manifest_only("lib", "1.9.0", "")]);
        assert_eq!(
            old[0].to_string(),
            "app/pack.toml:7:7: pack app@1.0.0 needs pack `lib` ^2.0, and lib@1.9.0 is loaded"
        );
        let missing = unmet_dependencies(&[app]);
        assert!(missing[0].message.contains("needs pack `lib` (^2.0), which is not loaded"), "{}", missing[0]);
    }

    #[test]
    fn only_rules_and_libraries_are_policies() {
        let pack = pack(&[("lib/util.rego", "package lib.util\n"), ("tests/a/x.rego", ""), ("README.md", "")]);
        let (sources, errors) = pack.policy_files();
        assert!(errors.is_empty());
        let paths: Vec<&str> = sources.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(paths, ["p/lib/util.rego", "p/rules/a.rego"]);
    }

    /// The example from the documentation of `builtin_named`.
    #[test]
    fn builtin_named_example() {
        let (packs, _) = crate::policy::pack::builtin_named(&["secrets".into()]);
        assert_eq!(packs.iter().map(|pack| pack.manifest.name.as_str()).collect::<Vec<_>>(), ["secrets"]);
    }
}
