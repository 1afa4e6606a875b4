//! Packs as plain archives over HTTP(S): `source = "https://…/pack-1.4.0.tar.gz"` with its
//! `sha256` in `ward.toml`. The archive is streamed into the pack cache and kept only when its
//! bytes match that digest; a signature is looked for beside it (`URL.sig`, as `ward pack sign`
//! writes it) and kept when there is one. Plain `http://` only to this machine unless
//! `--insecure`. Same client stack as the registries (reqwest on rustls).

use std::time::Duration;

use futures_util::StreamExt as _;
use ward_engine::{PackCache, RemotePin, RemoteSource, MAX_PACK_BLOB_BYTES};

use crate::oci::{describe, mismatch_or};
use crate::source::{host_of, is_loopback};
use crate::{Options, RemoteError};

/// How large a signature file may be: one line of base64 and a key id.
const MAX_SIGNATURE_BYTES: u64 = 64 * 1024;

/// Fetches the archive `source` names into `cache`, checked against the locked digest in `pin`
/// (`ward pack fetch`) or `ward.toml`'s `sha256` (`ward lock`).
pub(crate) fn fetch(
    source: &RemoteSource,
    pin: Option<&RemotePin>,
    cache: &PackCache,
    options: &Options,
) -> Result<RemotePin, RemoteError> {
    let url = source.source.as_str();
    let bad = |reason: &str| RemoteError::BadSource { origin: url.to_owned(), reason: reason.to_owned() };
    let (secure, rest) = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
        (Some(rest), _) => (true, rest),
        (None, Some(rest)) => (false, rest),
        (None, None) => return Err(bad("an archive source is an https:// URL")),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host_of(authority.rsplit('@').next().unwrap_or(authority));
    if host.is_empty() {
        return Err(bad("the URL names no host"));
    }
    if authority.contains('@') {
        return Err(bad("credentials do not belong in a URL in ward.toml"));
    }
    if !secure && !is_loopback(host) && !options.insecure {
        return Err(RemoteError::Insecure { host: host.to_owned() });
    }
    let expected = match (pin, &source.sha256) {
        (Some(pin), _) => pin.archive.clone(),
        (None, Some(sha256)) => sha256.clone(),
        (None, None) => return Err(bad("an https source needs its archive's `sha256`")),
    };
    let resolved = RemotePin { resolved: url.to_owned(), archive: expected.clone(), signature: None };
    let signature_locked = pin.and_then(|pin| pin.signature.clone());
    let cached = |digest: &str| cache.read(digest).is_ok();
    if pin.is_some() && cached(&expected) && signature_locked.as_deref().is_none_or(cached) {
        return Ok(RemotePin { signature: signature_locked, ..resolved });
    }
    crate::runtime::block_on(async {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(60))
            .user_agent(concat!("ward/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| RemoteError::Other { registry: authority.to_owned(), reason: describe(&error) })?;
        let fetcher = Fetcher { client: &client, authority, url, cache };
        if !cached(&expected) {
            fetcher.download(url, &expected, MAX_PACK_BLOB_BYTES, "the pack archive").await?;
        }
        let signature_url = format!("{url}.sig");
        let signature = match &signature_locked {
            Some(digest) if cached(digest) => Some(digest.clone()),
            Some(digest) => {
                Some(fetcher.download(&signature_url, digest, MAX_SIGNATURE_BYTES, "the pack signature").await?)
            }
            None if pin.is_some() => None,
            None => fetcher.optional(&signature_url).await?,
        };
        Ok(RemotePin { signature, ..resolved })
    })
}

struct Fetcher<'a> {
    client: &'a reqwest::Client,
    authority: &'a str,
    url: &'a str,
    cache: &'a PackCache,
}

impl Fetcher<'_> {
    async fn get(&self, url: &str) -> Result<reqwest::Response, RemoteError> {
        self.client
            .get(url)
            .send()
            .await
            .map_err(|error| RemoteError::Unreachable { registry: self.authority.to_owned(), reason: describe(&error) })
    }

    fn status(&self, url: &str, status: reqwest::StatusCode) -> RemoteError {
        let path = url.split_once(self.authority).map_or(url, |(_, path)| path);
        RemoteError::Status {
            registry: self.authority.to_owned(),
            repository: path.to_owned(),
            status: status.as_u16(),
            detail: String::new(),
        }
    }

    /// Streams `url` into the cache as the blob `digest`, of at most `limit` bytes.
    async fn download(&self, url: &str, digest: &str, limit: u64, what: &str) -> Result<String, RemoteError> {
        let response = self.get(url).await?;
        if !response.status().is_success() {
            return Err(self.status(url, response.status()));
        }
        self.store(response, digest, limit, what).await
    }

    /// The signature beside the archive, if the server has one (a 404 says it has none).
    async fn optional(&self, url: &str) -> Result<Option<String>, RemoteError> {
        let response = self.get(url).await?;
        match response.status() {
            status if status.is_success() => {
                let bytes = self.bounded(response, MAX_SIGNATURE_BYTES, "the pack signature").await?;
                Ok(Some(self.cache.store(&bytes, None)?))
            }
            reqwest::StatusCode::NOT_FOUND | reqwest::StatusCode::GONE => Ok(None),
            status => Err(self.status(url, status)),
        }
    }

    async fn store(
        &self,
        response: reqwest::Response,
        digest: &str,
        limit: u64,
        what: &str,
    ) -> Result<String, RemoteError> {
        let declared = response.content_length();
        if declared.is_some_and(|length| length > limit) {
            return Err(RemoteError::DigestMismatch {
                origin: self.url.to_owned(),
                what: what.to_owned(),
                expected: digest.to_owned(),
                actual: format!("a body of {} bytes, more than a pack may hold", declared.unwrap_or_default()),
            });
        }
        let mut writer = self.cache.writer(digest, limit)?;
        let mut stream = response.bytes_stream();
        let mut written: u64 = 0;
        while let Some(chunk) = stream.next().await {
            let bytes = chunk.map_err(|error| RemoteError::Interrupted {
                origin: self.url.to_owned(),
                reason: format!("{what} after {written} bytes: {}", describe(&error)),
            })?;
            written = written.saturating_add(u64::try_from(bytes.len()).unwrap_or(u64::MAX));
            writer.write(&bytes).map_err(|error| mismatch_or(error, self.url, what, digest))?;
        }
        if declared.is_some_and(|length| written < length) {
            return Err(RemoteError::Interrupted {
                origin: self.url.to_owned(),
                reason: format!("{what} ended after {written} of {} bytes", declared.unwrap_or_default()),
            });
        }
        writer.commit().map_err(|error| mismatch_or(error, self.url, what, digest))?;
        Ok(digest.to_owned())
    }

    async fn bounded(&self, response: reqwest::Response, limit: u64, what: &str) -> Result<Vec<u8>, RemoteError> {
        let mut stream = response.bytes_stream();
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|error| RemoteError::Interrupted {
                origin: self.url.to_owned(),
                reason: format!("{what}: {}", describe(&error)),
            })?;
            bytes.extend_from_slice(&chunk);
            if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
                return Err(RemoteError::Interrupted {
                    origin: self.url.to_owned(),
                    reason: format!("{what} is larger than {limit} bytes"),
                });
            }
        }
        Ok(bytes)
    }
}
