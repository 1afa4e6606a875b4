//! [`RemoteError`]: everything that can go wrong reaching a remote pack, worded to name what a
//! person needs to act on — the registry or host, the repository, the HTTP status, the expected
//! and the actual digest — and never a credential.

/// A remote pack that could not be pushed, resolved or fetched.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// A source that is not `oci://REGISTRY/REPOSITORY[:TAG|:RANGE][@sha256:DIGEST]` or an
    /// http(s) URL.
    #[error("`{origin}` is not a pack source: {reason}")]
    BadSource { origin: String, reason: String },
    /// Plain HTTP to a host that is not this machine, without `--insecure`.
    #[error("{host}: plain HTTP is only used for localhost and 127.0.0.1; pass --insecure to allow it")]
    Insecure { host: String },
    /// The registry or host could not be reached at all.
    #[error("registry {registry}: cannot connect: {reason}")]
    Unreachable { registry: String, reason: String },
    /// The registry answered with an error status.
    #[error("registry {registry}, repository {repository}: HTTP {status}{detail}")]
    Status { registry: String, repository: String, status: u16, detail: String },
    /// The registry refused the credentials (or asked for some and had none).
    #[error("registry {registry}, repository {repository}: HTTP 401 unauthorized: {hint}")]
    Unauthorized { registry: String, repository: String, hint: String },
    /// No tag of the repository matches the range.
    #[error("registry {registry}, repository {repository}: no tag matches {range} (tags: {tags})")]
    NoMatchingTag { registry: String, repository: String, range: String, tags: String },
    /// The manifest is not a ward pack.
    #[error("registry {registry}, repository {repository}: {reference} is not a ward pack: {reason}")]
    NotAPack { registry: String, repository: String, reference: String, reason: String },
    /// Bytes that do not hash to the digest they were asked for by.
    #[error("{origin}: {what} does not match its digest: expected {expected}, actual {actual}")]
    DigestMismatch { origin: String, what: String, expected: String, actual: String },
    /// What the source names now is not what `ward.lock` pins.
    #[error("{origin}: the pack changed since it was locked (a tag moved?): expected {expected}, actual {actual}; review the change, then run `ward lock`")]
    Moved { origin: String, expected: String, actual: String },
    /// The transfer broke off.
    #[error("{origin}: the transfer broke off: {reason}")]
    Interrupted { origin: String, reason: String },
    /// The pack cache could not be written.
    #[error("the pack cache: {0}")]
    Cache(#[from] ward_engine::CacheError),
    /// Anything else the client reported.
    #[error("registry {registry}: {reason}")]
    Other { registry: String, reason: String },
}
