//! A policy file in its context: the pack it belongs to (the nearest directory above it with a
//! `pack.toml`), or else the loose policy files of its directory — with the editor's open
//! buffers over the files on disk, compiled by the engine exactly as `ward scan` would, so that
//! every error is the engine's own, at its file, line and column.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use ward_engine::{Diagnostic, Pack, Policies, RuleError};

/// A pack may not hold more than this many files or bytes; the same bounds as the engine's.
const MAX_FILES: usize = 10_000;
const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Directories never read for policies.
const SKIPPED_DIRS: &[&str] = &[".git", "target", "node_modules", ".terraform"];

/// Files of pack (or policy) directories as last read from disk, by directory; a save under a
/// directory forgets it.
#[derive(Debug, Default)]
pub struct PackCache {
    dirs: HashMap<PathBuf, BTreeMap<String, Vec<u8>>>,
}

impl PackCache {
    /// Forgets every directory that holds `file`.
    pub fn invalidate(&mut self, file: &Path) {
        self.dirs.retain(|dir, _| !file.starts_with(dir));
    }

    fn files(&mut self, dir: &Path, recursive: bool) -> BTreeMap<String, Vec<u8>> {
        self.dirs.entry(dir.to_path_buf()).or_insert_with(|| read_tree(dir, recursive)).clone()
    }
}

/// Every file under `dir` (a pack), or only its own policy files (a loose directory, not
/// `recursive`), by `/`-separated path relative to it; symbolic links and tool directories
/// skipped, within the pack bounds.
fn read_tree(dir: &Path, recursive: bool) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut total = 0u64;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(file_type) = entry.file_type() else { continue };
            let name = entry.file_name();
            if file_type.is_dir() {
                if recursive && !SKIPPED_DIRS.iter().any(|skipped| name == *skipped) {
                    pending.push(path);
                }
            } else if file_type.is_file() {
                // A loose directory may be anything (a home directory): only its policies.
                let name = name.to_string_lossy();
                let policy = name.ends_with(".rego") || name.ends_with(".cel.yaml") || name.ends_with(".cel.yml");
                if !recursive && !policy {
                    continue;
                }
                total = total.saturating_add(entry.metadata().map(|m| m.len()).unwrap_or(0));
                if files.len() >= MAX_FILES || total > MAX_BYTES {
                    return files;
                }
                if let Ok(content) = std::fs::read(&path) {
                    files.insert(ward_engine::relative_path(dir, &path), content);
                }
            }
        }
    }
    files
}

/// The nearest directory at or above `file`'s that holds a `pack.toml`.
pub fn pack_dir_of(file: &Path) -> Option<PathBuf> {
    file.parent()?.ancestors().find(|dir| dir.join("pack.toml").is_file()).map(Path::to_path_buf)
}

/// The policy files a policy file is compiled with: its pack, or its directory's loose files.
#[derive(Debug, Clone)]
pub struct PolicySet {
    pub dir: PathBuf,
    /// What paths in the engine's messages start with: `<origin>/rules/a.rego`.
    pub origin: String,
    pub is_pack: bool,
    /// By path relative to `dir`.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// A policy set, compiled.
pub struct Compiled {
    pub policies: Policies,
    /// The pack, when the set is one and its manifest reads.
    pub pack: Option<Pack>,
    pub errors: Vec<Diagnostic>,
}

impl PolicySet {
    /// The set `file` belongs to, with `buffers` (open editor buffers, by file) over what is on
    /// disk.
    pub fn of(file: &Path, cache: &mut PackCache, buffers: &[(PathBuf, String)]) -> PolicySet {
        let (dir, is_pack) = match pack_dir_of(file) {
            Some(dir) => (dir, true),
            None => (file.parent().map(Path::to_path_buf).unwrap_or_default(), false),
        };
        let mut files = cache.files(&dir, is_pack);
        for (path, text) in buffers {
            if let Ok(relative) = path.strip_prefix(&dir) {
                let relative = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>();
                if is_pack || relative.len() == 1 {
                    files.insert(relative.join("/"), text.clone().into_bytes());
                }
            }
        }
        let origin = dir.file_name().map_or_else(|| "policies".to_owned(), |name| name.to_string_lossy().into_owned());
        PolicySet { dir, origin, is_pack, files }
    }

    /// The path the engine gives `file` in messages.
    pub fn shown(&self, file: &Path) -> Option<String> {
        let relative = file.strip_prefix(&self.dir).ok()?;
        Some(format!("{}/{}", self.origin, ward_engine::relative_path(Path::new(""), relative)))
    }

    /// The file a path in the engine's messages names.
    pub fn file_of(&self, shown: &str) -> Option<PathBuf> {
        let relative = shown.strip_prefix(&self.origin)?.strip_prefix('/')?;
        Some(self.dir.join(relative))
    }

    /// The text of a file of the set, by its path relative to the set's directory.
    pub fn text(&self, relative: &str) -> Option<&str> {
        self.files.get(relative).and_then(|content| std::str::from_utf8(content).ok())
    }

    /// Every Rego and CEL file of the set as `(path relative to the directory, text)`.
    pub fn policy_texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().filter_map(|(path, content)| {
            let policy = path.ends_with(".rego") || path.ends_with(".cel.yaml") || path.ends_with(".cel.yml");
            let text = std::str::from_utf8(content).ok().filter(|_| policy)?;
            Some((path.as_str(), text))
        })
    }

    /// Compiles the set as `ward scan --policy <dir>` would, then [checks](check_rego) its
    /// Rego. A pack whose manifest does not read is still compiled, as loose files, so that its
    /// rules' errors are found.
    pub fn compile(&self) -> Compiled {
        let mut compiled = self.compile_only();
        for error in check_rego(&compiled.policies) {
            if !compiled.errors.contains(&error) {
                compiled.errors.push(error);
            }
        }
        compiled
    }

    fn compile_only(&self) -> Compiled {
        if self.is_pack {
            match Pack::from_files(&self.origin, self.files.clone()) {
                Ok(pack) => {
                    let (policies, errors) = Policies::assemble(&[], std::slice::from_ref(&pack));
                    return Compiled { policies, pack: Some(pack), errors };
                }
                Err(manifest_error) => {
                    let sources = self.sources(|path| path.starts_with("rules/") || path.starts_with("lib/"));
                    let (policies, mut errors) = Policies::compile(&sources);
                    errors.push(manifest_error);
                    return Compiled { policies, pack: None, errors };
                }
            }
        }
        let (policies, errors) = Policies::compile(&self.sources(|_| true));
        Compiled { policies, pack: None, errors }
    }

    fn sources(&self, keep: impl Fn(&str) -> bool) -> Vec<(String, String)> {
        self.policy_texts()
            .filter(|(path, _)| keep(path) && !path.ends_with("_test.rego"))
            .map(|(path, text)| (format!("{}/{path}", self.origin), text.to_owned()))
            .collect()
    }
}

/// The errors regorus finds only when a rule is first evaluated: calls to unknown functions,
/// found statically in every branch (the engine's check), then a reference to an undefined
/// rule or a type error in a rule head, found by evaluating every Rego rule once on an empty
/// resource, before any real input. Only errors with a place in a file are kept: what an empty
/// input makes fail at run time is not a mistake in the policy.
pub fn check_rego(policies: &Policies) -> Vec<Diagnostic> {
    let Ok(mut engine) = policies.rego.prepare(None, std::time::Duration::from_millis(500)) else { return Vec::new() };
    engine.set_input(&serde_json::json!({"object": {}, "meta": {}, "params": {}}));
    let mut errors: Vec<Diagnostic> = policies.rego.unknown_functions();
    for rule in &policies.rego.rules {
        if let Err(failure) = engine.evaluate(rule) {
            let error = match failure {
                RuleError::Located(error) => Some(error),
                // An error without a `-->` frame may still begin `path:line:column:`.
                other => located(&other.to_string()),
            };
            if let Some(error) = error {
                let known = error.message.starts_with("could not find function");
                if !known && !errors.contains(&error) {
                    errors.push(error);
                }
            }
        }
    }
    errors
}

/// `path:line:column: message`, as the engine writes a located Rego error, read back.
fn located(message: &str) -> Option<Diagnostic> {
    message.match_indices(':').find_map(|(at, _)| {
        let path = message.get(..at)?;
        let mut rest = message.get(at + 1..)?.splitn(3, ':');
        let line = rest.next()?.parse().ok()?;
        let column = rest.next()?.parse().ok()?;
        let text = rest.next()?.strip_prefix(' ')?;
        let position = ward_engine::Position { line, column };
        Some(Diagnostic::at_position(path.to_owned(), position, text.to_owned()))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn container() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies/container")
    }

    #[test]
    fn a_buffer_is_compiled_with_its_pack_and_its_errors_name_it() {
        let file = container().join("rules/non-root-user.rego");
        let mut cache = PackCache::default();
        let clean = PolicySet::of(&file, &mut cache, &[]);
        assert!(clean.is_pack);
        let compiled = clean.compile();
        assert!(compiled.errors.is_empty(), "{:?}", compiled.errors);
        assert_eq!(compiled.policies.rule_count(), 18);
        let broken = "# METADATA\n# title: t\n# custom:\n#   id: T-1\n#   severity: low\npackage ward.x\n\ndeny contains msg if {\n  input.object.kind == \"Pod\"\n  msg := foo(1)\n}\n";
        let set = PolicySet::of(&file, &mut cache, &[(file.clone(), broken.to_owned())]);
        let errors = set.compile().errors;
        let shown = set.shown(&file).unwrap();
        assert_eq!(shown, "container/rules/non-root-user.rego");
        assert!(errors.iter().any(|e| e.path == shown), "{errors:?}");
        assert_eq!(set.file_of(&shown), Some(file));
        // The call is behind a condition an empty input never meets: found all the same.
        let unknown = errors.iter().find(|e| e.message.starts_with("unknown function `foo`"));
        let unknown = unknown.unwrap_or_else(|| panic!("{errors:?}"));
        assert_eq!(unknown.position.map(|p| (p.line, p.column)), Some((10, 10)), "at the function's name");
    }

    #[test]
    fn a_loose_directory_gives_only_its_own_policies() {
        let dir = std::env::temp_dir().join(format!("ward-lsp-loose-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for (name, text) in [("a.rego", "package a\n"), ("notes.txt", "x"), ("sub/b.rego", "package b\n")] {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let set = PolicySet::of(&dir.join("a.rego"), &mut PackCache::default(), &[]);
        assert!(!set.is_pack);
        assert_eq!(set.files.keys().collect::<Vec<_>>(), ["a.rego"]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn located_errors_are_read_back() {
        let error = located("basics/rules/a.rego:4:10: could not find function foo").unwrap();
        assert_eq!(
            (error.path.as_str(), error.position.map(|p| p.line), error.message.as_str()),
            ("basics/rules/a.rego", Some(4), "could not find function foo")
        );
        assert_eq!(located("rule timed out"), None);
    }
}
