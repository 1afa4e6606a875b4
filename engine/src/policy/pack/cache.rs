//! The pack cache: a content-addressed directory of the blobs remote packs are made of (pack
//! archives and their signatures), each stored under its SHA-256 as `blobs/sha256/<hex>`. A
//! scan reads remote packs only from here — it never reaches the network — so CI runs offline
//! once `ward pack fetch` has filled it. Nothing is ever half-written: a blob is written to a
//! temporary file beside the blobs, its bytes checked against its digest, and only then renamed
//! into place; a write that fails or is abandoned removes its temporary file. A blob is checked
//! against its digest again when it is read, so a cache edited by hand cannot pass for a pin.
//!
//! Where: `$WARD_CACHE_DIR` when set, else `$XDG_CACHE_HOME/ward`, else `~/.cache/ward`.

use std::fs::File;
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

/// The variable that moves the cache.
pub const CACHE_DIR_VARIABLE: &str = "WARD_CACHE_DIR";

/// The largest blob the cache holds: a pack archive is at most this large (see
/// [`super::archive`]), and a signature is a few hundred bytes.
pub const MAX_BLOB_BYTES: u64 = 2 * 2 * super::MAX_BYTES;

/// A problem with the cache or a blob in it.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// Neither `$WARD_CACHE_DIR`, `$XDG_CACHE_HOME` nor `$HOME` is set.
    #[error("no cache directory: set WARD_CACHE_DIR (or XDG_CACHE_HOME, or HOME)")]
    NoDirectory,
    /// A digest that is not `sha256:` and 64 lowercase hex digits.
    #[error("`{0}` is not a SHA-256 digest (sha256:<64 hex digits>)")]
    BadDigest(String),
    /// The blob is not in the cache.
    #[error("{digest} is not in the pack cache ({dir})")]
    Missing {
        /// The blob asked for.
        digest: String,
        /// The cache's directory.
        dir: String,
    },
    /// The bytes do not hash to the digest they were stored or fetched under.
    #[error("the bytes do not match their digest: expected {expected}, got {actual}")]
    DigestMismatch {
        /// The digest the bytes were asked for by.
        expected: String,
        /// The digest they have.
        actual: String,
    },
    /// More bytes than a blob may hold, or than its descriptor said.
    #[error("{digest}: more than the {limit} bytes expected")]
    TooLarge {
        /// The blob being written.
        digest: String,
        /// How many bytes it may hold.
        limit: u64,
    },
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        #[source]
        source: io::Error,
    },
}

/// The pack cache's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackCache {
    dir: PathBuf,
}

impl PackCache {
    /// The cache at `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> PackCache {
        PackCache { dir: dir.into() }
    }

    /// The user's cache: `$WARD_CACHE_DIR`, else `$XDG_CACHE_HOME/ward`, else `~/.cache/ward`.
    ///
    /// ```
    /// // With WARD_CACHE_DIR set, that directory; tests and CI move the cache this way.
    /// let cache = ward_engine::PackCache::from_env();
    /// assert!(cache.is_ok() || std::env::var_os("HOME").is_none());
    /// ```
    pub fn from_env() -> Result<PackCache, CacheError> {
        let set = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty()).map(PathBuf::from);
        if let Some(dir) = set(CACHE_DIR_VARIABLE) {
            return Ok(PackCache::at(dir));
        }
        if let Some(dir) = set("XDG_CACHE_HOME") {
            return Ok(PackCache::at(dir.join("ward")));
        }
        set("HOME").map(|home| PackCache::at(home.join(".cache").join("ward"))).ok_or(CacheError::NoDirectory)
    }

    /// The cache's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the blob `digest` is stored.
    pub fn blob_path(&self, digest: &str) -> Result<PathBuf, CacheError> {
        let hex = hex_of(digest)?;
        Ok(self.dir.join("blobs").join("sha256").join(hex))
    }

    /// Whether the blob `digest` is in the cache (its bytes are checked when read).
    pub fn contains(&self, digest: &str) -> bool {
        self.blob_path(digest).is_ok_and(|path| path.is_file())
    }

    /// The bytes of the blob `digest`, checked against it.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("ward-cache-doc-{}", std::process::id()));
    /// let cache = ward_engine::PackCache::at(&dir);
    /// let digest = cache.store(b"pack bytes", None).unwrap();
    /// assert_eq!(cache.read(&digest).unwrap(), b"pack bytes");
    /// let wrong = format!("sha256:{}", "0".repeat(64));
    /// assert!(cache.store(b"pack bytes", Some(&wrong)).is_err());
    /// std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn read(&self, digest: &str) -> Result<Vec<u8>, CacheError> {
        let path = self.blob_path(digest)?;
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err(CacheError::Missing { digest: digest.to_owned(), dir: shown(&self.dir) })
            }
            Err(source) => return Err(CacheError::Io { path: shown(&path), source }),
        };
        let mut bytes = Vec::new();
        file.take(MAX_BLOB_BYTES.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|source| CacheError::Io { path: shown(&path), source })?;
        if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_BLOB_BYTES {
            return Err(CacheError::TooLarge { digest: digest.to_owned(), limit: MAX_BLOB_BYTES });
        }
        let actual = sha256_of(&bytes);
        if actual != digest {
            return Err(CacheError::DigestMismatch { expected: digest.to_owned(), actual });
        }
        Ok(bytes)
    }

    /// Stores `bytes`, checked against `expected` when given; returns their digest.
    pub fn store(&self, bytes: &[u8], expected: Option<&str>) -> Result<String, CacheError> {
        let digest = match expected {
            Some(expected) => expected.to_owned(),
            None => sha256_of(bytes),
        };
        let limit = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        let mut writer = self.writer(&digest, limit)?;
        writer.write(bytes)?;
        writer.commit()?;
        Ok(digest)
    }

    /// A writer of the blob `digest`, of at most `limit` bytes (and never more than
    /// [`MAX_BLOB_BYTES`]): bytes go to a temporary file, [`BlobWriter::commit`] checks them and
    /// renames the file into place, and dropping the writer uncommitted removes it.
    pub fn writer(&self, digest: &str, limit: u64) -> Result<BlobWriter, CacheError> {
        let target = self.blob_path(digest)?;
        let temporary_dir = self.dir.join("tmp");
        for dir in [&temporary_dir, &self.dir.join("blobs").join("sha256")] {
            std::fs::create_dir_all(dir).map_err(|source| CacheError::Io { path: shown(dir), source })?;
        }
        let (temporary, file) = create_temporary(&temporary_dir)?;
        Ok(BlobWriter {
            digest: digest.to_owned(),
            limit: limit.min(MAX_BLOB_BYTES),
            written: 0,
            hasher: Sha256::new(),
            file: Some(file),
            temporary,
            target,
        })
    }
}

/// A blob being written into the cache (see [`PackCache::writer`]).
#[derive(Debug)]
pub struct BlobWriter {
    digest: String,
    limit: u64,
    written: u64,
    hasher: Sha256,
    file: Option<File>,
    temporary: PathBuf,
    target: PathBuf,
}

impl BlobWriter {
    /// Appends `bytes`; refused past the writer's limit.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), CacheError> {
        self.written = self.written.saturating_add(u64::try_from(bytes.len()).unwrap_or(u64::MAX));
        if self.written > self.limit {
            return Err(CacheError::TooLarge { digest: self.digest.clone(), limit: self.limit });
        }
        self.hasher.update(bytes);
        let path = shown(&self.temporary);
        let file = self.file.as_mut().ok_or_else(|| CacheError::Io { path: path.clone(), source: closed() })?;
        file.write_all(bytes).map_err(|source| CacheError::Io { path, source })
    }

    /// Checks the bytes written against the digest and moves them into place; returns the
    /// blob's path. On any error the temporary file is removed.
    pub fn commit(mut self) -> Result<PathBuf, CacheError> {
        let actual = format!("sha256:{}", data_encoding::HEXLOWER.encode(&self.hasher.clone().finalize()));
        if actual != self.digest {
            return Err(CacheError::DigestMismatch { expected: self.digest.clone(), actual });
        }
        let path = shown(&self.temporary);
        let file = self.file.take().ok_or_else(|| CacheError::Io { path: path.clone(), source: closed() })?;
        file.sync_all().map_err(|source| CacheError::Io { path: path.clone(), source })?;
        drop(file);
        std::fs::rename(&self.temporary, &self.target).map_err(|source| CacheError::Io { path, source })?;
        Ok(self.target.clone())
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        // After a commit the temporary file is gone (renamed): removing it fails, harmlessly.
        self.file = None;
        let _ = std::fs::remove_file(&self.temporary);
    }
}

/// `sha256:<hex>` of `bytes`.
pub fn sha256_of(bytes: &[u8]) -> String {
    format!("sha256:{}", data_encoding::HEXLOWER.encode(&Sha256::digest(bytes)))
}

/// The hex part of a `sha256:<64 lowercase hex>` digest.
fn hex_of(digest: &str) -> Result<&str, CacheError> {
    digest
        .strip_prefix("sha256:")
        .filter(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .ok_or_else(|| CacheError::BadDigest(digest.to_owned()))
}

/// A new file in `dir` with a name no other writer uses.
fn create_temporary(dir: &Path) -> Result<(PathBuf, File), CacheError> {
    let mut attempt = 0u32;
    loop {
        let mut random = [0u8; 8];
        let _ = getrandom::fill(&mut random);
        let name = format!("{}-{}.partial", std::process::id(), data_encoding::HEXLOWER.encode(&random));
        let path = dir.join(name);
        match File::options().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempt < 16 => attempt += 1,
            Err(source) => return Err(CacheError::Io { path: shown(&path), source }),
        }
    }
}

fn closed() -> io::Error {
    io::Error::other("the blob was already committed")
}

fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn cache(name: &str) -> PackCache {
        let dir = std::env::temp_dir().join(format!("ward-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        PackCache::at(dir)
    }

    fn leftovers(cache: &PackCache) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(cache.dir().join("tmp"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_blob_is_stored_only_when_its_bytes_match_its_digest() {
        let cache = cache("match");
        let digest = cache.store(b"abc", None).unwrap();
        assert_eq!(digest, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(cache.contains(&digest));
        let wrong = sha256_of(b"abd");
        let error = cache.store(b"abc", Some(&wrong)).unwrap_err();
        assert!(
            matches!(&error, CacheError::DigestMismatch { expected, actual } if *expected == wrong && *actual == digest)
        );
        assert!(!cache.contains(&wrong), "nothing stored under a digest its bytes do not have");
        assert!(leftovers(&cache).is_empty(), "no temporary file left behind");
        std::fs::remove_dir_all(cache.dir()).unwrap();
    }

    #[test]
    fn an_abandoned_or_oversized_write_leaves_nothing() {
        let cache = cache("abandoned");
        let digest = sha256_of(b"0123456789");
        let mut writer = cache.writer(&digest, 10).unwrap();
        writer.write(b"01234").unwrap();
        assert_eq!(leftovers(&cache).len(), 1, "the partial file is beside the blobs while written");
        drop(writer); // the connection broke halfway
        assert!(leftovers(&cache).is_empty());
        assert!(!cache.contains(&digest));

        let mut writer = cache.writer(&digest, 4).unwrap();
        assert!(matches!(writer.write(b"0123456789"), Err(CacheError::TooLarge { .. })));
        drop(writer);
        assert!(leftovers(&cache).is_empty());
        std::fs::remove_dir_all(cache.dir()).unwrap();
    }

    #[test]
    fn a_blob_changed_in_the_cache_is_refused_when_read() {
        let cache = cache("tampered");
        let digest = cache.store(b"rules", None).unwrap();
        std::fs::write(cache.blob_path(&digest).unwrap(), b"other rules").unwrap();
        assert!(matches!(cache.read(&digest), Err(CacheError::DigestMismatch { .. })));
        let absent = sha256_of(b"never stored");
        assert!(matches!(cache.read(&absent), Err(CacheError::Missing { .. })));
        for bad in ["sha256:abc", "md5:00", &format!("sha256:{}", "A".repeat(64))] {
            assert!(matches!(cache.read(bad), Err(CacheError::BadDigest(_))), "{bad}");
        }
        std::fs::remove_dir_all(cache.dir()).unwrap();
    }
}
