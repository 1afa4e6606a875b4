//! ward's remote pack sources: OCI registries (`oci://…`, through the `oci-client` crate) and
//! https archives pinned by their SHA-256, fetched into the engine's content-addressed pack
//! cache ([`ward_engine::PackCache`]). This crate is the only part of ward that reaches the
//! network, and only when asked — `ward pack push`, `ward pack fetch`, `ward lock`; each call
//! runs its own current-thread runtime and drops it, so the engine, the scan and the language
//! server stay synchronous and offline. A scan reads the cache the engine's way.

mod auth;
mod error;
mod https;
mod oci;
mod runtime;
mod source;

pub use error::RemoteError;
pub use oci::{push, Pushed, ARTIFACT_TYPE, PACK_LAYER, SIGNATURE_LAYER};
pub use source::{OciSource, Wanted};

use ward_engine::{PackCache, RemotePin, RemoteSource};

/// How a fetch or push may reach its registry.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Allow plain HTTP to hosts other than this machine (`--insecure`).
    pub insecure: bool,
}

/// Resolves `source` (a tag or range to one manifest, a URL to its archive) and fetches it into
/// `cache`: what `ward lock` pins.
///
/// ```no_run
/// use ward_engine::{PackCache, RemoteSource};
/// let source = RemoteSource { source: "oci://127.0.0.1:5000/acme/k8s:^1".into(), sha256: None };
/// let pin = ward_remote::resolve(&source, &PackCache::from_env().unwrap(), &Default::default()).unwrap();
/// assert!(pin.resolved.contains("@sha256:"));
/// ```
pub fn resolve(source: &RemoteSource, cache: &PackCache, options: &Options) -> Result<RemotePin, RemoteError> {
    match source.is_oci() {
        true => oci::pull(&source.source, None, cache, options),
        false => https::fetch(source, None, cache, options),
    }
}

/// Fetches the locked `pin` of `source` into `cache`: the one step a CI job runs online
/// (`ward pack fetch`). An OCI source's tag is asked again and must still name the locked
/// manifest (a moved tag is refused); blobs already in the cache are not downloaded again. An
/// https archive already in the cache is not asked for at all: its URL pins nothing, its digest
/// does.
pub fn fetch(source: &RemoteSource, pin: &RemotePin, cache: &PackCache, options: &Options) -> Result<(), RemoteError> {
    match source.is_oci() {
        true => oci::pull(&source.source, Some(pin), cache, options).map(|_| ()),
        false => https::fetch(source, Some(pin), cache, options).map(|_| ()),
    }
}
