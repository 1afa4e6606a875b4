//! Packs as OCI artifacts, through the `oci-client` crate (the registry protocol is its job, not
//! ours). A pack is pushed as an image manifest with artifact type [`ARTIFACT_TYPE`], the empty
//! config, its archive as a layer of [`PACK_LAYER`] and, when it is signed, the signature as a
//! second layer of [`SIGNATURE_LAYER`]; the pack's name, version and digest ride along as
//! annotations so that `crane manifest`/`oras manifest fetch` show what a tag holds. Pulling
//! resolves a tag, a SemVer range (the highest matching tag) or a digest to one manifest, and
//! streams its layers into the pack cache, where they are checked against their digests before
//! they are kept.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::StreamExt as _;
use oci_client::client::{ClientConfig, ClientProtocol, Config, ImageLayer};
use oci_client::errors::{OciDistributionError, OciErrorCode};
use oci_client::manifest::{OciDescriptor, OciImageManifest};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use ward_engine::{Pack, PackCache, RemotePin, MAX_PACK_BLOB_BYTES};

use crate::source::{best_tag, is_loopback, OciSource, Wanted};
use crate::{auth, Options, RemoteError};

/// The artifact type of a ward pack's manifest.
pub const ARTIFACT_TYPE: &str = "application/vnd.ward.pack.v1";
/// The media type of the layer holding the pack archive (`.tar.gz`).
pub const PACK_LAYER: &str = "application/vnd.ward.pack.layer.v1.tar+gzip";
/// The media type of the layer holding the pack's signature (`.sig`, text).
pub const SIGNATURE_LAYER: &str = "application/vnd.ward.pack.signature.v1";
/// The OCI 1.1 empty config, for artifacts that need none.
const EMPTY_CONFIG: &str = "application/vnd.oci.empty.v1+json";

/// Annotation keys: the OCI standard ones and ward's.
const TITLE: &str = "org.opencontainers.image.title";
const VERSION: &str = "org.opencontainers.image.version";
const DESCRIPTION: &str = "org.opencontainers.image.description";
const PACK_NAME: &str = "dev.ward.pack.name";
const PACK_DIGEST: &str = "dev.ward.pack.digest";

/// A registry session: the client, the source and its credentials.
struct Session {
    client: Client,
    source: OciSource,
    auth: RegistryAuth,
    auth_origin: &'static str,
}

impl Session {
    fn new(source: OciSource, options: &Options) -> Result<Session, RemoteError> {
        let host = source.host().to_owned();
        let protocol = if is_loopback(&host) || options.insecure {
            ClientProtocol::HttpsExcept(vec![source.registry.clone()])
        } else {
            ClientProtocol::Https
        };
        let config = ClientConfig {
            protocol,
            connect_timeout: Some(Duration::from_secs(10)),
            read_timeout: Some(Duration::from_secs(60)),
            // A pack is one manifest: an image index is not a pack.
            platform_resolver: None,
            user_agent: concat!("ward/", env!("CARGO_PKG_VERSION")),
            ..ClientConfig::default()
        };
        let (auth, auth_origin) = auth::for_registry(&source.registry);
        // The client builds its HTTP stack at once, with the process's crypto provider.
        crate::runtime::install_crypto_provider();
        Ok(Session { client: Client::new(config), source, auth, auth_origin })
    }

    fn reference(&self, tag: Option<&str>, digest: Option<&str>) -> Reference {
        let (registry, repository) = (self.source.registry.clone(), self.source.repository.clone());
        match (tag, digest) {
            (_, Some(digest)) => Reference::with_digest(registry, repository, digest.to_owned()),
            (Some(tag), None) => Reference::with_tag(registry, repository, tag.to_owned()),
            (None, None) => Reference::with_tag(registry, repository, "latest".to_owned()),
        }
    }

    /// The client's error, worded for a person: registry, repository, HTTP status.
    fn error(&self, error: OciDistributionError) -> RemoteError {
        let registry = self.source.registry.clone();
        let repository = self.source.repository.clone();
        let unauthorized = |hint: String| RemoteError::Unauthorized {
            registry: registry.clone(),
            repository: repository.clone(),
            hint,
        };
        let hint = match self.auth_origin {
            "none" => "no credentials (set WARD_REGISTRY_TOKEN, or `docker login` to the registry)".to_owned(),
            origin => format!("the registry refused the credentials from {origin}"),
        };
        match error {
            OciDistributionError::UnauthorizedError { .. } | OciDistributionError::AuthenticationFailure(_) => {
                unauthorized(hint)
            }
            OciDistributionError::ServerError { code: 401, .. } => unauthorized(hint),
            OciDistributionError::ServerError { code, message, .. } => {
                let detail = message.trim();
                let detail = if detail.is_empty() { String::new() } else { format!(": {}", clip(detail)) };
                RemoteError::Status { registry, repository, status: code, detail }
            }
            OciDistributionError::RegistryError { envelope, .. } => {
                let first = envelope.errors.first();
                let status = first.map_or(400, |error| status_of(&error.code));
                if status == 401 {
                    return unauthorized(hint);
                }
                let detail = first.map(|error| format!(": {}", clip(&error.message))).unwrap_or_default();
                RemoteError::Status { registry, repository, status, detail }
            }
            OciDistributionError::ImageManifestNotFoundError(detail) => {
                RemoteError::Status { registry, repository, status: 404, detail: format!(": {}", clip(&detail)) }
            }
            OciDistributionError::RequestError(error) => {
                if let Some(status) = error.status() {
                    if status.as_u16() == 401 {
                        return unauthorized(hint);
                    }
                    return RemoteError::Status {
                        registry,
                        repository,
                        status: status.as_u16(),
                        detail: String::new(),
                    };
                }
                RemoteError::Unreachable { registry, reason: describe(&error) }
            }
            other => RemoteError::Other { registry, reason: clip(&other.to_string()) },
        }
    }
}

/// What `ward pack push` did.
#[derive(Debug, Clone)]
pub struct Pushed {
    /// `oci://REGISTRY/REPOSITORY:TAG@sha256:…`.
    pub reference: String,
    /// The manifest's digest.
    pub manifest: String,
    /// The archive layer's digest.
    pub archive: String,
}

/// Pushes the pack archive `archive` (of `pack`), with its signature when it has one, to
/// `target` (`oci://REGISTRY/REPOSITORY:TAG`).
pub fn push(
    pack: &Pack,
    archive: Vec<u8>,
    signature: Option<Vec<u8>>,
    target: &str,
    options: &Options,
) -> Result<Pushed, RemoteError> {
    let source = OciSource::parse(target)?;
    let Wanted::Tag(tag) = source.wanted.clone() else {
        return Err(RemoteError::BadSource {
            origin: target.to_owned(),
            reason: "a push names a tag (oci://REGISTRY/REPOSITORY:TAG)".into(),
        });
    };
    let session = Session::new(source, options)?;
    let label = pack.manifest.label().to_string();
    let digest = pack.digest();
    let file_name = format!("{}-{}.tar.gz", pack.manifest.name, pack.manifest.version);
    let mut layers = vec![ImageLayer::new(
        archive,
        PACK_LAYER.to_owned(),
        Some(BTreeMap::from([(TITLE.to_owned(), file_name.clone()), (PACK_DIGEST.to_owned(), digest.clone())])),
    )];
    if let Some(signature) = signature {
        layers.push(ImageLayer::new(
            signature,
            SIGNATURE_LAYER.to_owned(),
            Some(BTreeMap::from([(TITLE.to_owned(), format!("{file_name}.sig"))])),
        ));
    }
    let config = Config::new(b"{}".to_vec(), EMPTY_CONFIG.to_owned(), None);
    let mut manifest = OciImageManifest::build(
        &layers,
        &config,
        Some(BTreeMap::from([
            (TITLE.to_owned(), label),
            (PACK_NAME.to_owned(), pack.manifest.name.clone()),
            (VERSION.to_owned(), pack.manifest.version.to_string()),
            (DESCRIPTION.to_owned(), pack.manifest.description.clone()),
            (PACK_DIGEST.to_owned(), digest),
        ])),
    );
    manifest.media_type = Some(oci_client::manifest::OCI_IMAGE_MEDIA_TYPE.to_owned());
    manifest.artifact_type = Some(ARTIFACT_TYPE.to_owned());
    let archive_digest = manifest.layers.first().map(|layer| layer.digest.clone()).unwrap_or_default();
    let reference = session.reference(Some(&tag), None);
    crate::runtime::block_on(async {
        session
            .client
            .push(&reference, &layers, config, &session.auth, Some(manifest))
            .await
            .map_err(|e| session.error(e))?;
        let manifest =
            session.client.fetch_manifest_digest(&reference, &session.auth).await.map_err(|e| session.error(e))?;
        Ok(Pushed { reference: session.source.pinned(Some(&tag), &manifest), manifest, archive: archive_digest })
    })
}

/// Resolves `source` to one manifest and fetches its layers into `cache`: what `ward lock`
/// pins. With `expected`, the manifest must be the pinned one (`ward pack fetch`).
pub fn pull(
    source_text: &str,
    expected: Option<&RemotePin>,
    cache: &PackCache,
    options: &Options,
) -> Result<RemotePin, RemoteError> {
    // A fetch asks for what was locked: the resolved tag (a range was resolved once, by
    // `ward lock`), compared against the locked manifest.
    let asked = match expected {
        Some(pin) => strip_digest(&pin.resolved),
        None => source_text.to_owned(),
    };
    let source = OciSource::parse(&asked)?;
    let session = Session::new(source, options)?;
    crate::runtime::block_on(async {
        let (tag, manifest, manifest_digest) = resolve(&session).await?;
        let shown = session.source.pinned(tag.as_deref(), &manifest_digest);
        if let Some(pin) = expected {
            let locked = pin.resolved.rsplit_once('@').map(|(_, digest)| digest).unwrap_or_default();
            if locked != manifest_digest {
                return Err(RemoteError::Moved {
                    origin: source_text.to_owned(),
                    expected: locked.to_owned(),
                    actual: manifest_digest,
                });
            }
        }
        let pack_layer = layer_of(&session, &manifest, PACK_LAYER, &shown)?
            .ok_or_else(|| not_a_pack(&session, &shown, format!("it has no layer of type {PACK_LAYER}")))?;
        let signature_layer = layer_of(&session, &manifest, SIGNATURE_LAYER, &shown)?;
        if let Some(pin) = expected {
            if pin.archive != pack_layer.digest {
                return Err(RemoteError::Moved {
                    origin: source_text.to_owned(),
                    expected: pin.archive.clone(),
                    actual: pack_layer.digest.clone(),
                });
            }
        }
        download(&session, &pack_layer, cache, &shown, "the pack archive").await?;
        if let Some(layer) = &signature_layer {
            download(&session, layer, cache, &shown, "the pack signature").await?;
        }
        Ok(RemotePin {
            resolved: shown,
            archive: pack_layer.digest.clone(),
            signature: signature_layer.map(|layer| layer.digest),
        })
    })
}

/// The tag (if any), manifest and manifest digest the session's source names.
async fn resolve(session: &Session) -> Result<(Option<String>, OciImageManifest, String), RemoteError> {
    let tag = match &session.source.wanted {
        Wanted::Digest { tag, digest } => {
            let reference = session.reference(None, Some(digest));
            let (manifest, found) = manifest_at(session, &reference).await?;
            return Ok((tag.clone(), manifest, found));
        }
        Wanted::Tag(tag) => {
            let reference = session.reference(Some(tag), None);
            match manifest_at(session, &reference).await {
                Ok((manifest, digest)) => return Ok((Some(tag.clone()), manifest, digest)),
                // `1.4` names no tag: as a range (^1.4), the highest 1.x tag at or above it.
                Err(RemoteError::Status { status: 404, .. }) if semver::VersionReq::parse(tag).is_ok() => {
                    best(session, &semver::VersionReq::parse(tag).unwrap_or_default(), tag).await?
                }
                Err(error) => return Err(error),
            }
        }
        Wanted::Range(range) => best(session, range, &range.to_string()).await?,
    };
    let reference = session.reference(Some(&tag), None);
    let (manifest, digest) = manifest_at(session, &reference).await?;
    Ok((Some(tag), manifest, digest))
}

/// The highest tag of the repository that `range` accepts.
async fn best(session: &Session, range: &semver::VersionReq, written: &str) -> Result<String, RemoteError> {
    let reference = session.reference(None, None);
    let tags =
        session.client.list_tags(&reference, &session.auth, None, None).await.map_err(|e| session.error(e))?.tags;
    best_tag(&tags, range).map(str::to_owned).ok_or_else(|| {
        let mut shown: Vec<&str> = tags.iter().map(String::as_str).take(20).collect();
        shown.sort_unstable();
        RemoteError::NoMatchingTag {
            registry: session.source.registry.clone(),
            repository: session.source.repository.clone(),
            range: written.to_owned(),
            tags: if shown.is_empty() { "none".to_owned() } else { shown.join(", ") },
        }
    })
}

async fn manifest_at(session: &Session, reference: &Reference) -> Result<(OciImageManifest, String), RemoteError> {
    session.client.pull_image_manifest(reference, &session.auth).await.map_err(|e| session.error(e))
}

/// The one layer of `media_type`, checked to fit in a pack.
fn layer_of(
    session: &Session,
    manifest: &OciImageManifest,
    media_type: &str,
    shown: &str,
) -> Result<Option<OciDescriptor>, RemoteError> {
    let mut found = manifest.layers.iter().filter(|layer| layer.media_type == media_type);
    let layer = found.next().cloned();
    if found.next().is_some() {
        return Err(not_a_pack(session, shown, format!("it has more than one layer of type {media_type}")));
    }
    if let Some(layer) = &layer {
        if u64::try_from(layer.size).map_or(true, |size| size > MAX_PACK_BLOB_BYTES) {
            return Err(not_a_pack(
                session,
                shown,
                format!("its {media_type} layer declares {} bytes, more than a pack may hold", layer.size),
            ));
        }
    }
    Ok(layer)
}

/// Streams the blob `layer` into the cache (unless it is there already); it is kept only when
/// its bytes match its digest, and a broken transfer leaves nothing behind.
async fn download(
    session: &Session,
    layer: &OciDescriptor,
    cache: &PackCache,
    shown: &str,
    what: &str,
) -> Result<(), RemoteError> {
    if cache.read(&layer.digest).is_ok() {
        return Ok(());
    }
    let size = u64::try_from(layer.size).unwrap_or(0);
    let reference = session.reference(None, None);
    let mut stream = session.client.pull_blob_stream(&reference, layer).await.map_err(|e| session.error(e))?;
    let mut writer = cache.writer(&layer.digest, size)?;
    let mut written: u64 = 0;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(bytes) => {
                written = written.saturating_add(u64::try_from(bytes.len()).unwrap_or(u64::MAX));
                writer.write(&bytes).map_err(|error| mismatch_or(error, shown, what, &layer.digest))?;
            }
            // The client's own check failed on the last chunk: ours names both digests.
            Err(_) if written == size => break,
            Err(error) => {
                return Err(RemoteError::Interrupted {
                    origin: shown.to_owned(),
                    reason: format!("{what} ({}) after {written} of {size} bytes: {error}", layer.digest),
                })
            }
        }
    }
    if written < size {
        return Err(RemoteError::Interrupted {
            origin: shown.to_owned(),
            reason: format!("{what} ({}) ended after {written} of {size} bytes", layer.digest),
        });
    }
    writer.commit().map(|_| ()).map_err(|error| mismatch_or(error, shown, what, &layer.digest))
}

/// A cache error, as the pull's: a digest mismatch names the source and the blob.
pub(crate) fn mismatch_or(error: ward_engine::CacheError, shown: &str, what: &str, digest: &str) -> RemoteError {
    match error {
        ward_engine::CacheError::DigestMismatch { expected, actual } => {
            RemoteError::DigestMismatch { origin: shown.to_owned(), what: what.to_owned(), expected, actual }
        }
        ward_engine::CacheError::TooLarge { limit, .. } => RemoteError::DigestMismatch {
            origin: shown.to_owned(),
            what: what.to_owned(),
            expected: digest.to_owned(),
            actual: format!("more than the {limit} bytes its descriptor declares"),
        },
        other => RemoteError::Cache(other),
    }
}

fn not_a_pack(session: &Session, shown: &str, reason: String) -> RemoteError {
    RemoteError::NotAPack {
        registry: session.source.registry.clone(),
        repository: session.source.repository.clone(),
        reference: shown.to_owned(),
        reason,
    }
}

/// `oci://R/P:T@sha256:…` → `oci://R/P:T` (a pin fetched by its tag, then compared).
fn strip_digest(pinned: &str) -> String {
    match pinned.rsplit_once('@') {
        Some((tagged, _)) if tagged.rsplit('/').next().is_some_and(|last| last.contains(':')) => tagged.to_owned(),
        _ => pinned.to_owned(),
    }
}

/// The HTTP status a registry error code stands for (distribution spec, error codes table).
fn status_of(code: &OciErrorCode) -> u16 {
    match code {
        OciErrorCode::Unauthorized => 401,
        OciErrorCode::Denied => 403,
        OciErrorCode::ManifestUnknown | OciErrorCode::NameUnknown | OciErrorCode::BlobUnknown => 404,
        OciErrorCode::Toomanyrequests => 429,
        _ => 400,
    }
}

/// A transport error with its causes (reqwest's own message is only "error sending request").
pub(crate) fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    clip(&text)
}

/// A registry's message, bounded: it is shown, and comes from elsewhere.
fn clip(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", line.get(..at).unwrap_or(line)),
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_fetched_by_its_tag() {
        let digest = format!("sha256:{}", "a".repeat(64));
        assert_eq!(strip_digest(&format!("oci://r:5000/a/b:1.0.0@{digest}")), "oci://r:5000/a/b:1.0.0");
        let untagged = format!("oci://r:5000/a/b@{digest}");
        assert_eq!(strip_digest(&untagged), untagged);
    }
}
