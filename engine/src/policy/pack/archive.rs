//! Pack archives: a pack as one `.tar.gz`, written byte-for-byte the same every time it is
//! built from the same files ([`build`]), and read back ([`Pack::read_archive`]) only after every
//! entry has been checked. An archive comes from elsewhere — a registry, a colleague, an attacker
//! — so reading it refuses anything a pack directory could not hold (links, devices, paths that
//! leave the pack, the same path twice) and anything larger than a pack may be, with sizes checked
//! before contents are read and the decompressed stream itself bounded, so a gzip bomb costs a
//! bounded amount of memory and time. Nothing is ever unpacked to disk.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use flate2::bufread::GzDecoder;
use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};
use tar::{EntryType, Header};

use super::{Pack, MAX_BYTES, MAX_FILES};
use crate::diagnostic::Diagnostic;
use crate::document::Position;

/// The file name ending that makes a path a pack archive.
pub const EXTENSION: &str = ".tar.gz";

/// How many bytes the decompressed tar stream may hold in all: a pack's content (at most
/// [`MAX_BYTES`]) plus its headers and padding, which for [`MAX_FILES`] files are a few tens of
/// MiB at worst. Past this the archive is refused, however it was compressed.
const MAX_TAR_BYTES: u64 = 2 * MAX_BYTES;

/// How many bytes the compressed file may hold: gzip never needs to be much larger than what it
/// compresses, so an archive larger than the tar stream it may hold is refused unread.
const MAX_ARCHIVE_BYTES: u64 = MAX_TAR_BYTES;

/// How many entries of any kind (files and directories) an archive may list. Directories cost
/// nothing to list, so without a bound a small archive could list them forever.
const MAX_ENTRIES: usize = 2 * MAX_FILES;

/// Whether `path` names a pack archive (by its name: `*.tar.gz`).
pub(crate) fn is_archive(path: &Path) -> bool {
    path.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.ends_with(EXTENSION))
}

/// The archive of `pack`: its files in path order, as regular files with relative paths, mode
/// 0644, owner 0:0, no owner names and modification time 0, gzip-compressed with no name and
/// time 0 in the gzip header — so the same files always give the same bytes, and the archive's
/// checksum is as reproducible as the pack's digest. Fails only for a path no archive can hold
/// (absolute, or with `..`), which a pack read from a directory or an archive never has.
///
/// ```
/// use std::collections::BTreeMap;
/// use ward_engine::{build_pack_archive, Pack};
/// let mut files = BTreeMap::new();
/// files.insert("pack.toml".to_string(), b"name = \"p\"\nversion = \"1.0.0\"\ndescription = \"d\"\nward = \"*\"\n".to_vec());
/// files.insert("rules/a.rego".to_string(), b"package a\n".to_vec());
/// let pack = Pack::from_files("p", files).unwrap();
/// let bytes = build_pack_archive(&pack).unwrap();
/// assert_eq!(bytes, build_pack_archive(&pack).unwrap(), "byte-identical");
/// let read = Pack::read_archive_bytes(&bytes, "p-1.0.0.tar.gz").unwrap();
/// assert_eq!(read.digest(), pack.digest());
/// ```
pub fn build(pack: &Pack) -> Result<Vec<u8>, Diagnostic> {
    let refuse = |path: &str, error: io::Error| {
        Diagnostic::at_position(
            format!("{}/{path}", pack.origin),
            Position { line: 1, column: 1 },
            format!("cannot be put in an archive: {error}"),
        )
    };
    // The OS byte is "unknown" (255) rather than the building machine's, for the same bytes
    // everywhere.
    let encoder = GzBuilder::new().mtime(0).operating_system(255).write(Vec::new(), Compression::default());
    let mut builder = tar::Builder::new(encoder);
    for (path, content) in &pack.files {
        let mut header = Header::new_gnu();
        header.set_entry_type(EntryType::Regular);
        header.set_size(u64::try_from(content.len()).unwrap_or(u64::MAX));
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(0);
        // Sets the path (with a GNU long-name entry when it is longer than the header holds) and
        // the checksum.
        builder.append_data(&mut header, path, content.as_slice()).map_err(|e| refuse(path, e))?;
    }
    builder.into_inner().and_then(GzEncoder::finish).map_err(|e| {
        Diagnostic::at_position(
            pack.origin.clone(),
            Position { line: 1, column: 1 },
            format!("cannot be put in an archive: {e}"),
        )
    })
}

impl Pack {
    /// Reads the pack archive (`.tar.gz`) at `path`; `origin` is how messages name it, and the
    /// pack's files are named `<origin>/<path in the archive>`. See [`Pack::read_archive_bytes`]
    /// for what is refused.
    pub fn read_archive(path: &Path, origin: &str) -> Result<Pack, Diagnostic> {
        let refuse = |message: String| archive_error(origin, message);
        let file = std::fs::File::open(path).map_err(|e| refuse(format!("cannot be read: {e}")))?;
        let size = file.metadata().map_err(|e| refuse(format!("cannot be read: {e}")))?.len();
        if size > MAX_ARCHIVE_BYTES {
            return Err(refuse(too_large_archive()));
        }
        read(BufReader::new(file), origin)
    }

    /// Reads a pack archive held in memory. Refused, each naming the archive and the entry:
    /// a path that is absolute, has a Windows drive or a backslash, or climbs out with `..`; a
    /// path that is not UTF-8; anything but regular files and directories (symbolic and hard
    /// links, devices, FIFOs, sparse files); a path listed twice; more than a pack may hold (in
    /// files or bytes, from the sizes the headers declare, before any content is read); a
    /// truncated or corrupt archive (gzip or tar), and data after its end. Then, like any pack,
    /// it needs a valid `pack.toml` ([`Pack::from_files`]).
    ///
    /// ```
    /// use ward_engine::Pack;
    /// let error = Pack::read_archive_bytes(b"not gzip", "p.tar.gz").unwrap_err();
    /// assert!(error.message.contains("truncated or corrupt"), "{error}");
    /// ```
    pub fn read_archive_bytes(bytes: &[u8], origin: &str) -> Result<Pack, Diagnostic> {
        if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_ARCHIVE_BYTES {
            return Err(archive_error(origin, too_large_archive()));
        }
        read(bytes, origin)
    }

    /// Reads the pack at `path`: an archive if its name ends in `.tar.gz`, else a directory.
    pub fn read(path: &Path, origin: &str) -> Result<Pack, Diagnostic> {
        if is_archive(path) && !path.is_dir() {
            Pack::read_archive(path, origin)
        } else {
            Pack::read_dir(path, origin)
        }
    }
}

/// Reads and checks every entry of the gzip-compressed tar stream `input`. (A buffered reader,
/// so that what is left after the gzip stream can be seen: gzip would read it into its own
/// buffer.)
fn read(input: impl BufRead, origin: &str) -> Result<Pack, Diagnostic> {
    let refuse = |message: String| archive_error(origin, message);
    let consumed = Rc::new(Cell::new(0));
    let mut archive = tar::Archive::new(Bounded { inner: GzDecoder::new(input), read: Rc::clone(&consumed) });
    // An I/O error is the archive's fault (it is truncated or corrupt) unless the bound was hit.
    let broken = |error: io::Error| match consumed.get() >= MAX_TAR_BYTES {
        true => {
            refuse(format!("decompresses to more than a pack may hold ({} MiB with tar headers)", MAX_TAR_BYTES >> 20))
        }
        false => refuse(format!("truncated or corrupt: {error}")),
    };
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut directories: BTreeSet<String> = BTreeSet::new();
    let mut total: u64 = 0;
    let mut entries_seen: usize = 0;
    // Where the last entry's data ends: the tar stream must go on from there with its
    // end-of-archive block, or it was cut short at an entry boundary.
    let mut end_of_entries: u64 = 0;
    for entry in archive.entries().map_err(broken)? {
        let mut entry = entry.map_err(broken)?;
        entries_seen += 1;
        if entries_seen > MAX_ENTRIES {
            return Err(refuse(format!("lists more than {MAX_ENTRIES} entries, more than a pack may hold")));
        }
        let raw_path = entry.path_bytes().into_owned();
        let shown = String::from_utf8_lossy(&raw_path).into_owned();
        let at_entry = |message: &str| refuse(format!("entry `{shown}`: {message}"));
        let size = entry.size();
        end_of_entries = entry.raw_file_position().saturating_add(size.div_ceil(512).saturating_mul(512));
        let entry_type = entry.header().entry_type();
        if entry_type.is_pax_global_extensions() {
            // `git archive` records its commit this way; anything else such a header says would
            // change how other tools read the entries that follow, which this reader would not.
            let only_comment = entry
                .pax_extensions()
                .map_err(broken)?
                .is_some_and(|mut fields| fields.all(|field| field.is_ok_and(|f| f.key_bytes() == b"comment")));
            if only_comment {
                continue;
            }
            return Err(at_entry("a pax global header that sets more than a comment; a pack archive cannot hold one"));
        }
        let kind = if entry_type.is_file() {
            Kind::File
        } else if entry_type.is_dir() {
            Kind::Directory
        } else {
            return Err(at_entry(&refused_type(&entry)));
        };
        let path = match pack_path(&raw_path) {
            Ok(path) => path,
            Err(refused) => return Err(at_entry(&refused.to_string())),
        };
        match kind {
            // The archive's root (`./`), as `tar -C dir .` writes it.
            Kind::Directory if path.is_empty() => continue,
            Kind::File if path.is_empty() => return Err(at_entry("a file without a name")),
            Kind::Directory => {
                if files.contains_key(&path) || !directories.insert(path) {
                    return Err(at_entry("listed twice; a path may appear once in a pack archive"));
                }
                continue;
            }
            Kind::File => {}
        }
        if files.contains_key(&path) || directories.contains(&path) {
            return Err(at_entry("listed twice; a path may appear once in a pack archive"));
        }
        if files.len() >= MAX_FILES {
            return Err(refuse(format!("holds more files than a pack may hold ({MAX_FILES})")));
        }
        total = total.saturating_add(size);
        if total > MAX_BYTES {
            return Err(at_entry(&format!(
                "its {size} bytes take the pack past the {} MiB a pack may hold",
                MAX_BYTES >> 20
            )));
        }
        // The size is bounded now, but the content is only as long as the archive really is.
        let mut content = Vec::new();
        (&mut entry).take(size).read_to_end(&mut content).map_err(broken)?;
        if u64::try_from(content.len()).unwrap_or(u64::MAX) != size {
            return Err(refuse(format!(
                "truncated: entry `{shown}` should hold {size} bytes, and the archive ends after {}",
                content.len()
            )));
        }
        files.insert(path, content);
    }
    let mut rest = archive.into_inner();
    // The tar stream ends with a block of zeros, which `entries` read past if it was there.
    if consumed.get() < end_of_entries.saturating_add(512) {
        return Err(refuse("truncated: the archive ends without its end-of-archive block".into()));
    }
    // What follows the end block is padding, all zeros: anything else is data that a reader
    // which goes on past the end (`tar --ignore-zeros`) would see and this one would not.
    // Reading it to the end also makes gzip check its length and CRC, which is where a cut-off
    // or altered compressed stream shows.
    let mut padding = [0u8; 8192];
    loop {
        match rest.read(&mut padding).map_err(broken)? {
            0 => break,
            n if padding.iter().take(n).all(|&byte| byte == 0) => {}
            _ => return Err(refuse("data after the end-of-archive block; a pack archive ends there".into())),
        }
    }
    match rest.inner.into_inner().fill_buf() {
        Ok([]) => {}
        Ok(_) => return Err(refuse("data after the end of the gzip stream; a pack archive is one gzip stream".into())),
        Err(error) => return Err(refuse(format!("cannot be read: {error}"))),
    }
    // A `.tar.gz` of a directory made with `tar czf p.tar.gz p/` has every path under `p/`: the
    // pack's paths, and so its digest, would differ from the directory's. Say how to fix it.
    if !files.contains_key("pack.toml") {
        let nested = files.keys().find_map(|path| path.strip_suffix("/pack.toml").filter(|dir| !dir.contains('/')));
        if let Some(dir) = nested {
            return Err(refuse(format!(
                "the pack's files are under `{dir}/`, and a pack archive holds them at its top level \
                 (`pack.toml`, `rules/`, …): build it with `ward pack build {dir}`"
            )));
        }
    }
    if let Some(conflict) = files.keys().find(|path| has_file_under(&files, path)) {
        return Err(refuse(format!("entry `{conflict}`: both a file and a directory holding other files")));
    }
    Pack::from_files(origin, files)
}

#[derive(Clone, Copy)]
enum Kind {
    File,
    Directory,
}

/// Whether some file's path lies under `path` taken as a directory.
fn has_file_under(files: &BTreeMap<String, Vec<u8>>, path: &str) -> bool {
    let prefix = format!("{path}/");
    files.range(prefix.clone()..).next().is_some_and(|(next, _)| next.starts_with(&prefix))
}

/// The path of an entry inside the pack, `/`-separated without `.` or empty parts; or why the
/// archive cannot hold it. Every check is on the text, not on the machine's idea of a path, so
/// an archive reads the same everywhere.
fn pack_path(raw: &[u8]) -> Result<String, PathRefused> {
    let text = std::str::from_utf8(raw).map_err(|_| PathRefused::NotUtf8)?;
    if text.contains('\\') {
        return Err(PathRefused::Backslash);
    }
    if text.starts_with('/') {
        return Err(PathRefused::Absolute);
    }
    let first = text.split('/').next().unwrap_or_default();
    let mut chars = first.chars();
    if chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.next() == Some(':') {
        return Err(PathRefused::DrivePrefix);
    }
    let mut parts = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(PathRefused::Parent),
            _ if part.contains('\0') => return Err(PathRefused::Nul),
            _ => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

/// Why a pack archive cannot hold an entry's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
enum PathRefused {
    #[error("a path that is not UTF-8; pack paths are UTF-8 text")]
    NotUtf8,
    #[error("a path with a backslash (a Windows path); pack paths are `/`-separated")]
    Backslash,
    #[error("an absolute path; paths in a pack archive are relative to the pack")]
    Absolute,
    #[error("a path with a Windows drive prefix; paths in a pack archive are relative to the pack")]
    DrivePrefix,
    #[error("a path with `..`, which would leave the pack")]
    Parent,
    #[error("a path with a NUL character")]
    Nul,
}

/// Why an entry of a type other than a file or a directory is refused.
fn refused_type<R: Read>(entry: &tar::Entry<'_, R>) -> String {
    let entry_type = entry.header().entry_type();
    let target = || entry.link_name_bytes().map(|name| String::from_utf8_lossy(&name).into_owned()).unwrap_or_default();
    let what = if entry_type.is_symlink() {
        format!("a symbolic link (to `{}`)", target())
    } else if entry_type.is_hard_link() {
        format!("a hard link (to `{}`)", target())
    } else if entry_type.is_character_special() || entry_type.is_block_special() {
        "a device".to_owned()
    } else if entry_type.is_fifo() {
        "a FIFO".to_owned()
    } else {
        format!("an entry of tar type `{}`", char::from(entry_type.as_byte()).escape_default())
    };
    format!("{what}; a pack archive holds regular files and directories only")
}

fn too_large_archive() -> String {
    format!("larger than a pack archive may be ({} MiB)", MAX_ARCHIVE_BYTES >> 20)
}

fn archive_error(origin: &str, message: String) -> Diagnostic {
    Diagnostic::at_position(origin.to_owned(), Position { line: 1, column: 1 }, message)
}

/// The decompressed stream, counted, and cut off with an error at [`MAX_TAR_BYTES`]: the one
/// bound that holds whatever the headers claim. The count is shared so that the reader can tell
/// where the tar parser stopped.
struct Bounded<R> {
    inner: GzDecoder<R>,
    read: Rc<Cell<u64>>,
}

impl<R: BufRead> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = MAX_TAR_BYTES.saturating_sub(self.read.get());
        if left == 0 {
            return Err(io::Error::other("the archive decompresses to more than a pack may hold"));
        }
        let limit = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        let n = self.inner.read(buf.get_mut(..limit).unwrap_or_default())?;
        self.read.set(self.read.get().saturating_add(u64::try_from(n).unwrap_or(u64::MAX)));
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn entry_paths_are_checked_as_text() {
        let cases: &[(&[u8], Result<&str, &str>)] = &[
            (b"pack.toml", Ok("pack.toml")),
            (b"./rules/a.rego", Ok("rules/a.rego")),
            (b"rules//a.rego", Ok("rules/a.rego")),
            (b"rules/", Ok("rules")),
            (b"./", Ok("")),
            (b"../a", Err("`..`")),
            (b"rules/../../a", Err("`..`")),
            (b"/etc/passwd", Err("absolute")),
            (b"C:/x", Err("drive prefix")),
            (b"c:x", Err("drive prefix")),
            (b"rules\\..\\x", Err("backslash")),
            (b"rules/\xff.rego", Err("not UTF-8")),
        ];
        for (raw, expected) in cases {
            let actual = pack_path(raw);
            match (expected, &actual) {
                (Ok(path), Ok(actual)) => assert_eq!(actual, path),
                (Err(needle), Err(refused)) => assert!(refused.to_string().contains(needle), "{raw:?}: {refused}"),
                _ => panic!("{raw:?}: expected {expected:?}, got {actual:?}"),
            }
        }
    }

    /// The example from the documentation of `is_archive`.
    #[test]
    fn is_archive_example() {
        use crate::policy::pack::archive::is_archive;
        use std::path::Path;
        assert!(is_archive(Path::new("packs/basics-1.0.0.tar.gz")));
        assert!(!is_archive(Path::new("packs/basics")));
    }
}
