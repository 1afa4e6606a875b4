//! Pack sources as `ward.toml` and `ward pack push` write them, taken apart:
//! `oci://REGISTRY/REPOSITORY[:TAG|:RANGE][@sha256:DIGEST]` and `http(s)://HOST/…` URLs, and the
//! rule for plain HTTP — only to this machine (`localhost`, `127.0.0.1`, `[::1]`), as Docker
//! treats those registries, unless `--insecure` is given.

use semver::{Version, VersionReq};

use crate::RemoteError;

/// An `oci://` source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OciSource {
    /// `host[:port]`.
    pub registry: String,
    /// `acme/policies/k8s`.
    pub repository: String,
    /// What is asked of the repository.
    pub wanted: Wanted,
}

/// What an OCI source asks of its repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// A tag, as written (`1.4`, `latest`), used as a SemVer range only when no tag has the name.
    Tag(String),
    /// A requirement no tag can be named (`^1.4`, `>=1, <2`): the highest matching tag.
    Range(VersionReq),
    /// A manifest by digest (`@sha256:…`), with the tag written before it, if any.
    Digest { tag: Option<String>, digest: String },
}

impl OciSource {
    /// Takes `oci://…` apart.
    ///
    /// ```
    /// use ward_remote::{OciSource, Wanted};
    /// let source = OciSource::parse("oci://127.0.0.1:5000/acme/k8s:^1.4").unwrap();
    /// assert_eq!((source.registry.as_str(), source.repository.as_str()), ("127.0.0.1:5000", "acme/k8s"));
    /// assert!(matches!(source.wanted, Wanted::Range(_)));
    /// assert!(OciSource::parse("oci://ghcr.io/Acme/k8s:1").is_err(), "repositories are lowercase");
    /// ```
    pub fn parse(source: &str) -> Result<OciSource, RemoteError> {
        let bad = |reason: &str| RemoteError::BadSource { origin: source.to_owned(), reason: reason.to_owned() };
        let rest = source.strip_prefix("oci://").ok_or_else(|| bad("it does not start with oci://"))?;
        let (rest, digest) = match rest.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest)),
            None => (rest, None),
        };
        let (registry, path) = rest.split_once('/').ok_or_else(|| bad("it names a registry but no repository"))?;
        if registry.is_empty() || !registry.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c)) {
            return Err(bad("the registry is not a host[:port]"));
        }
        // The tag (or range) follows the last `:` after the last `/`.
        let last_slash = path.rfind('/').map_or(0, |at| at + 1);
        let (repository, tag) = match path.get(last_slash..).and_then(|tail| tail.find(':')) {
            Some(colon) => {
                let at = last_slash + colon;
                (path.get(..at).unwrap_or(path), path.get(at + 1..))
            }
            None => (path, None),
        };
        let component_ok = |part: &str| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
                && part.starts_with(|c: char| c.is_ascii_alphanumeric())
        };
        if !repository.split('/').all(component_ok) {
            return Err(bad("the repository must be lowercase letters, digits, `.`, `_`, `-` and `/`"));
        }
        let wanted = match (tag, digest) {
            (_, Some(digest)) => {
                let hex = digest.strip_prefix("sha256:").unwrap_or_default();
                if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
                    return Err(bad("the digest is not sha256:<64 hex digits>"));
                }
                Wanted::Digest { tag: tag.map(str::to_owned), digest: digest.to_owned() }
            }
            (None, None) => return Err(bad("it names no tag, range or digest (oci://REGISTRY/REPOSITORY:TAG)")),
            (Some(tag), None) if is_tag(tag) => Wanted::Tag(tag.to_owned()),
            (Some(range), None) => Wanted::Range(
                VersionReq::parse(range)
                    .map_err(|e| bad(&format!("`{range}` is neither a tag nor a SemVer range: {e}")))?,
            ),
        };
        Ok(OciSource { registry: registry.to_owned(), repository: repository.to_owned(), wanted })
    }

    /// The source with `tag`, pinned to the manifest `digest`: what `ward.lock` records.
    pub fn pinned(&self, tag: Option<&str>, digest: &str) -> String {
        match tag {
            Some(tag) => format!("oci://{}/{}:{tag}@{digest}", self.registry, self.repository),
            None => format!("oci://{}/{}@{digest}", self.registry, self.repository),
        }
    }

    /// The registry's host, without the port.
    pub fn host(&self) -> &str {
        host_of(&self.registry)
    }
}

/// Whether `text` is a valid OCI tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`).
fn is_tag(text: &str) -> bool {
    (1..=128).contains(&text.len())
        && text.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

/// The version a tag names: `1.4.2`, `v1.4.2`, and the short `1.4` (as `1.4.0`) and `1`.
pub(crate) fn tag_version(tag: &str) -> Option<Version> {
    let text = tag.strip_prefix('v').unwrap_or(tag);
    Version::parse(text).ok().or_else(|| {
        let parts: Vec<&str> = text.split('.').collect();
        let numbers: Option<Vec<u64>> = parts.iter().map(|part| part.parse().ok()).collect();
        match numbers?.as_slice() {
            [major] => Some(Version::new(*major, 0, 0)),
            [major, minor] => Some(Version::new(*major, *minor, 0)),
            _ => None,
        }
    })
}

/// The highest tag whose version `range` accepts; prereleases only when the range names one.
pub(crate) fn best_tag<'a>(tags: &'a [String], range: &VersionReq) -> Option<&'a str> {
    tags.iter()
        .filter_map(|tag| tag_version(tag).map(|version| (version, tag)))
        .filter(|(version, _)| range.matches(version))
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, tag)| tag.as_str())
}

/// The host of `host[:port]` (or `[v6]:port`).
pub(crate) fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    authority.split(':').next().unwrap_or(authority)
}

/// Whether plain HTTP to `host` is allowed: this machine always, others with `--insecure`.
pub(crate) fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1") || host.starts_with("127.")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn sources_are_taken_apart_as_docker_names_them() {
        let digest = format!("sha256:{}", "a".repeat(64));
        let cases: Vec<(String, &str, &str, Wanted)> = vec![
            ("oci://ghcr.io/acme/policies/k8s:1.4".into(), "ghcr.io", "acme/policies/k8s", Wanted::Tag("1.4".into())),
            ("oci://localhost:5000/k8s:latest".into(), "localhost:5000", "k8s", Wanted::Tag("latest".into())),
            (
                format!("oci://127.0.0.1:5000/acme/k8s:1.4.0@{digest}"),
                "127.0.0.1:5000",
                "acme/k8s",
                Wanted::Digest { tag: Some("1.4.0".into()), digest: digest.clone() },
            ),
            (
                format!("oci://r.example/acme/k8s@{digest}"),
                "r.example",
                "acme/k8s",
                Wanted::Digest { tag: None, digest: digest.clone() },
            ),
            (
                "oci://r.example/acme/k8s:>=1.2, <2".into(),
                "r.example",
                "acme/k8s",
                Wanted::Range(VersionReq::parse(">=1.2, <2").unwrap()),
            ),
        ];
        for (text, registry, repository, wanted) in cases {
            let source = OciSource::parse(&text).unwrap();
            assert_eq!(
                source,
                OciSource { registry: registry.into(), repository: repository.into(), wanted },
                "{text}"
            );
        }
        for bad in [
            "https://r.example/k8s:1",
            "oci://r.example",
            "oci://r.example/k8s",
            "oci://r.example/K8s:1",
            "oci://r.example/k8s@sha256:abc",
            "oci://r.example/k8s:not a range",
            "oci:///k8s:1",
        ] {
            assert!(OciSource::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_range_picks_the_highest_matching_tag() {
        let tags: Vec<String> = ["1.3.9", "v1.4.2", "1.4.10", "2.0.0", "1.5.0-rc.1", "latest", "1.4"]
            .iter()
            .map(|t| t.to_string())
            .collect();
        assert_eq!(best_tag(&tags, &VersionReq::parse("^1.4").unwrap()), Some("1.4.10"));
        assert_eq!(best_tag(&tags, &VersionReq::parse("~1.3").unwrap()), Some("1.3.9"));
        assert_eq!(best_tag(&tags, &VersionReq::parse(">=2").unwrap()), Some("2.0.0"));
        assert_eq!(best_tag(&tags, &VersionReq::parse("^3").unwrap()), None);
        assert_eq!(best_tag(&tags, &VersionReq::parse("=1.5.0-rc.1").unwrap()), Some("1.5.0-rc.1"));
    }

    #[test]
    fn plain_http_is_for_this_machine_only() {
        for (authority, loopback) in [
            ("localhost:5000", true),
            ("127.0.0.1:5000", true),
            ("[::1]:5000", true),
            ("ghcr.io", false),
            ("10.0.0.1:80", false),
        ] {
            assert_eq!(is_loopback(host_of(authority)), loopback, "{authority}");
        }
    }
}
