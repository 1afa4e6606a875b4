//! Finding the files to read and reading them safely: gitignore-aware discovery, recognising a
//! file's kind from its path, and bounded reading that turns binary, non-UTF-8 and oversized
//! files into notes or errors instead of surprises.

pub(crate) mod git;
pub(crate) mod history;

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

// What a path says a file is belongs to each kind: the registry answers.
pub(crate) use crate::kinds::{detect_kind, is_helm_template, Detected};

/// A file found by discovery, with the kind its path says it has.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SourceFile {
    /// Relative to the scan root, `/`-separated. Used in every output.
    pub path: String,
    /// Where to read it from.
    pub absolute: PathBuf,
    pub detected: Detected,
    /// Named on the command line, rather than found in a directory: configured include and
    /// exclude globs do not drop it (as with ruff, naming a file is asking for it).
    pub explicit: bool,
    /// A module `terraform init` downloaded into a gitignored `.terraform/`: read only so that
    /// the calls reaching it can be expanded ([`downloaded_modules`]), never judged or scanned
    /// on its own.
    pub for_expansion: bool,
}

/// What happened when discovery or reading could not do its job for one path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SourceError {
    #[error("no such file or directory")]
    NotFound { path: String },
    #[error("cannot be read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{size} bytes is larger than the limit of {limit} bytes; not parsed")]
    TooLarge { path: String, size: u64, limit: u64 },
}

impl SourceError {
    /// The path the error is about (the message does not repeat it).
    pub(crate) fn path(&self) -> &str {
        match self {
            SourceError::NotFound { path }
            | SourceError::Unreadable { path, .. }
            | SourceError::TooLarge { path, .. } => path,
        }
    }
}

/// Why a file was read but deliberately not parsed. Reported as a note, never silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    Binary,
    NotUtf8,
    /// A Git LFS pointer: the file's content is elsewhere.
    LfsPointer,
}

impl Skip {
    pub fn reason(&self) -> &'static str {
        match self {
            Skip::Binary => "binary file, skipped",
            Skip::NotUtf8 => "not valid UTF-8, skipped",
            Skip::LfsPointer => "Git LFS pointer (the content is stored outside the repository), skipped",
        }
    }
}

/// The text of a file, or why there is none to parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// The file's text.
    Text(String),
    /// Why the file is not read as text.
    Skipped(Skip),
}

/// Files under the given paths, sorted by path, with the root their paths are relative to.
///
/// The root is [`scan_root`]. Directories are walked honouring `.gitignore`, `.ignore` and git's
/// excludes; hidden files are included (`.env`, `.github/`), the `.git` directory is not. A file
/// named explicitly is always included, like ripgrep does, even if ignored. Files of no kind
/// ward parses are included only with `every_file` (the secret scanner reads every text file).
pub(crate) fn discover(
    paths: &[PathBuf],
    base: &Path,
    every_file: bool,
) -> (PathBuf, Vec<SourceFile>, Vec<SourceError>) {
    let mut errors = Vec::new();
    let root = scan_root(paths, base);
    let mut files = Vec::new();
    let defaults = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &defaults[..] } else { paths };
    for path in paths {
        let absolute = base.join(path);
        if absolute.is_file() {
            files.push(source_file(&root, &absolute, true, every_file));
            continue;
        }
        if !absolute.is_dir() {
            errors.push(SourceError::NotFound { path: display_path(path) });
            continue;
        }
        let walker = ignore::WalkBuilder::new(&absolute)
            .hidden(false)
            .parents(true)
            .require_git(false)
            .filter_entry(|entry| entry.file_name() != ".git")
            .build();
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    files.push(source_file(&root, entry.path(), false, every_file));
                }
                Ok(_) => {}
                Err(error) => {
                    errors.push(SourceError::Unreadable { path: display_path(path), reason: error.to_string() })
                }
            }
        }
    }
    let mut files: Vec<SourceFile> = files.into_iter().flatten().collect();
    let downloaded = downloaded_modules(&root, &files);
    files.extend(downloaded);
    files.sort();
    files.dedup_by(|a, b| a.path == b.path);
    (root, files, errors)
}

fn source_file(root: &Path, absolute: &Path, explicit: bool, every_file: bool) -> Option<SourceFile> {
    let path = relative_path(root, absolute);
    let detected = detect_kind(&path);
    if detected == Detected::Unknown && !explicit && !every_file {
        return None;
    }
    Some(SourceFile { path, absolute: absolute.to_path_buf(), detected, explicit, for_expansion: false })
}

/// Where `terraform init` records the modules it downloaded, relative to the root module.
const MODULES_JSON: [&str; 3] = [".terraform", "modules", "modules.json"];

/// Most files read from download caches in one scan, and from one module's directory.
const MAX_DOWNLOADED_FILES: usize = 4_000;
const MAX_FILES_PER_MODULE: usize = 200;

/// The modules `terraform init` downloaded for the root modules among `files`, when their
/// `.terraform/` was not walked (it is gitignored, as it should be): each
/// `.terraform/modules/modules.json` and the `.tf` files directly in each directory it lists
/// (a module's `examples/` and other packages' files are not read), marked
/// [`SourceFile::for_expansion`]. Bounded in count; a directory outside the cache is ignored.
fn downloaded_modules(root: &Path, files: &[SourceFile]) -> Vec<SourceFile> {
    let walked: std::collections::BTreeSet<&Path> = files.iter().map(|file| file.absolute.as_path()).collect();
    let mut module_dirs: Vec<&Path> = files
        .iter()
        .filter(|file| file.path.ends_with(".tf") || file.path.ends_with(".tf.json"))
        .filter_map(|file| file.absolute.parent())
        .collect();
    module_dirs.sort();
    module_dirs.dedup();
    let mut out = Vec::new();
    for dir in module_dirs {
        let cache = dir.join(MODULES_JSON[0]).join(MODULES_JSON[1]);
        let manifest = cache.join(MODULES_JSON[2]);
        if walked.contains(manifest.as_path()) || !manifest.is_file() {
            continue;
        }
        let Ok(text) = fs::read(&manifest).map(decode) else { continue };
        let Contents::Text(text) = text else { continue };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        let add = |absolute: &Path, out: &mut Vec<SourceFile>| {
            let path = relative_path(root, absolute);
            let detected = detect_kind(&path);
            out.push(SourceFile {
                path,
                absolute: absolute.to_path_buf(),
                detected,
                explicit: false,
                for_expansion: true,
            });
        };
        add(&manifest, &mut out);
        let entries = value.get("Modules").and_then(serde_json::Value::as_array).into_iter().flatten();
        let mut listed: Vec<PathBuf> = entries
            .filter_map(|entry| entry.get("Dir").and_then(serde_json::Value::as_str))
            .filter(|module| {
                Path::new(module).components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
            })
            .map(|module| dir.join(module))
            .filter(|module| module.starts_with(&cache) && module.as_path() != cache)
            .collect();
        listed.sort();
        listed.dedup();
        for module in listed {
            let Ok(entries) = fs::read_dir(&module) else { continue };
            let mut tf: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
                .map(|entry| entry.path())
                .filter(|path| {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    name.ends_with(".tf") || name.ends_with(".tf.json")
                })
                .take(MAX_FILES_PER_MODULE)
                .collect();
            tf.sort();
            for file in tf.iter().filter(|file| !walked.contains(file.as_path())) {
                if out.len() >= MAX_DOWNLOADED_FILES {
                    return out;
                }
                add(file, &mut out);
            }
        }
    }
    out
}

/// What output paths are relative to: the one directory given, else `base` (the working
/// directory).
pub fn scan_root(paths: &[PathBuf], base: &Path) -> PathBuf {
    match paths {
        [single] if base.join(single).is_dir() => base.join(single),
        _ => base.to_path_buf(),
    }
}

/// `absolute` relative to `root`, `/`-separated, without `.` components.
pub fn relative_path(root: &Path, absolute: &Path) -> String {
    let relative = absolute.strip_prefix(root).unwrap_or(absolute);
    let parts: Vec<String> = relative
        .components()
        .filter_map(|component| match component {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_owned()),
            Component::RootDir => Some(String::new()),
            Component::CurDir | Component::Prefix(_) => None,
        })
        .collect();
    parts.join("/")
}

fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Reads a file, refusing to read past `max_bytes` and recognising binary and non-UTF-8 text.
/// A UTF-8 byte-order mark is dropped.
pub(crate) fn read_bounded(file: &SourceFile, max_bytes: u64) -> Result<Contents, SourceError> {
    let unreadable =
        |error: std::io::Error| SourceError::Unreadable { path: file.path.clone(), reason: error.to_string() };
    let handle = fs::File::open(&file.absolute).map_err(unreadable)?;
    let size = handle.metadata().map_err(unreadable)?.len();
    if size > max_bytes {
        return Err(SourceError::TooLarge { path: file.path.clone(), size, limit: max_bytes });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // `take` guards against a file that grows between the size check and the read.
    handle.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > max_bytes {
        return Err(SourceError::TooLarge { path: file.path.clone(), size: bytes.len() as u64, limit: max_bytes });
    }
    Ok(decode(bytes))
}

/// Text from bytes: binary (a NUL in the first 8 KiB, as git decides), Git LFS pointers and
/// invalid UTF-8 are skips.
pub fn decode(mut bytes: Vec<u8>) -> Contents {
    if bytes.get(..8192).unwrap_or(&bytes).contains(&0) {
        return Contents::Skipped(Skip::Binary);
    }
    if bytes.starts_with(b"version https://git-lfs.github.com/spec/") && bytes.len() < 1024 {
        return Contents::Skipped(Skip::LfsPointer);
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Contents::Text(text),
        Err(_) => Contents::Skipped(Skip::NotUtf8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_sorts_text_from_what_is_not() {
        let cases: [(&[u8], Contents); 6] = [
            (
                b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12345\n",
                Contents::Skipped(Skip::LfsPointer),
            ),
            (b"a: 1\n", Contents::Text("a: 1\n".into())),
            (b"\xEF\xBB\xBFa: 1\n", Contents::Text("a: 1\n".into())),
            (b"PNG\x00\x01", Contents::Skipped(Skip::Binary)),
            (b"caf\xE9\n", Contents::Skipped(Skip::NotUtf8)),
            (b"", Contents::Text(String::new())),
        ];
        for (bytes, expected) in cases {
            assert_eq!(decode(bytes.to_vec()), expected, "{bytes:?}");
        }
    }

    #[test]
    fn read_bounded_refuses_files_over_the_limit() {
        let dir = std::env::temp_dir().join(format!("ward-source-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let absolute = dir.join("big.yaml");
        fs::write(&absolute, "a: 1\n".repeat(100)).unwrap();
        let file = SourceFile {
            path: "big.yaml".into(),
            absolute,
            detected: Detected::YamlStream,
            explicit: true,
            for_expansion: false,
        };
        assert_eq!(
            read_bounded(&file, 499),
            Err(SourceError::TooLarge { path: "big.yaml".into(), size: 500, limit: 499 })
        );
        assert!(matches!(read_bounded(&file, 500), Ok(Contents::Text(_))));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn relative_paths_are_slash_separated_without_dot_parts() {
        let root = Path::new("/repo");
        assert_eq!(relative_path(root, Path::new("/repo/./infra/main.tf")), "infra/main.tf");
        assert_eq!(relative_path(root, Path::new("/repo/.env")), ".env");
    }
}
