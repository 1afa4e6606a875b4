//! `ward.toml`: a project's configuration, found by looking upward from the scan root. It names
//! the packs to run (built-in by name, a directory or archive by path, or a remote `source` — an
//! OCI registry or an https archive with its `sha256` — each with an optional version
//! requirement), the keys trusted to sign them, per-rule severity overrides, disables and
//! params, per-pack params, environment names for path globs, which files to scan, waivers with
//! an expiry date, and a baseline file. Checked
//! against `schemas/config.schema.json`; every problem is reported at its line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher, GlobSet, GlobSetBuilder};
use semver::VersionReq;
use serde_json::Value;

use crate::date::Date;
use crate::diagnostic::Diagnostic;
#[cfg(test)]
use crate::document::LineIndex;
use crate::document::{pointer_push, Position};
use crate::finding::{Finding, Severity};
use crate::schema::{EmbeddedSchema, TomlFile};

/// The configuration file's name.
pub const CONFIG_FILE: &str = "ward.toml";

static SCHEMA: EmbeddedSchema =
    EmbeddedSchema::new("config.schema.json", include_str!("../../schemas/config.schema.json"));

/// A project's `ward.toml`, read.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The `ward.toml` file, as messages name it.
    pub path: String,
    /// Its directory: relative paths in it are relative to this.
    pub dir: PathBuf,
    /// The packs to load (`[[packs]]`), in the order written.
    pub packs: Vec<PackSpec>,
    /// Refuse a pack archive without a signature by one of [`Config::trusted_keys`].
    pub require_signatures: bool,
    /// Public key files whose pack signatures are trusted, relative to [`Config::dir`].
    pub trusted_keys: Vec<PathBuf>,
    /// Per-rule settings (`[rules.ID]`), by rule id.
    pub rules: BTreeMap<String, RuleConfig>,
    /// Params per pack name.
    pub params: BTreeMap<String, Value>,
    /// Environment names for path globs (`[environments]`).
    pub environments: EnvironmentMap,
    /// Which files a scan reads (`include` and `exclude`).
    pub files: FileFilter,
    /// Where each rule id is written, to point at a rule that does not exist.
    pub rule_positions: BTreeMap<String, Position>,
    /// Findings accepted until a date (`[[waivers]]`).
    pub waivers: Vec<Waiver>,
    /// A baseline file, relative to [`Config::dir`].
    pub baseline: Option<PathBuf>,
}

/// A waiver from `ward.toml`: which findings it covers, why, and until when.
#[derive(Debug, Clone)]
pub struct Waiver {
    pub rule: String,
    /// Only findings about this resource.
    pub resource: Option<String>,
    /// Only findings in files matching this glob.
    pub path: Option<GlobMatcher>,
    /// Only the finding with this fingerprint.
    pub fingerprint: Option<String>,
    pub reason: String,
    /// The last day it applies.
    pub expires: Date,
    /// Where it is written in `ward.toml`.
    pub position: Position,
}

impl Waiver {
    /// Whether the waiver covers `finding` (its expiry aside).
    pub fn covers(&self, finding: &Finding) -> bool {
        finding.rule_id == self.rule
            && self.resource.as_ref().is_none_or(|resource| resource == &finding.resource)
            && self.path.as_ref().is_none_or(|glob| glob.is_match(&finding.location.path))
            && self.fingerprint.as_ref().is_none_or(|fingerprint| fingerprint == &finding.fingerprint)
    }
}

/// One pack the project uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackSpec {
    pub source: PackSource,
    pub version: Option<VersionReq>,
    /// Where it is written in `ward.toml`.
    pub position: Position,
}

/// Where a pack named in `ward.toml` comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackSource {
    /// A pack built into ward, by name.
    Builtin(String),
    /// A pack directory or `.tar.gz`, relative to `ward.toml`'s directory.
    Path(PathBuf),
    /// A pack published elsewhere (`oci://…` or `https://…`), pinned by `ward lock` and read
    /// from the pack cache: never fetched by a scan.
    Remote(RemoteSource),
}

/// A remote pack source as `ward.toml` writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSource {
    /// `oci://REGISTRY/REPOSITORY:TAG` (or `:RANGE`, `@sha256:…`), or an `https://` URL.
    pub source: String,
    /// For an https archive, its required SHA-256, `sha256:<hex>`.
    pub sha256: Option<String>,
}

impl RemoteSource {
    /// Whether the source is an OCI reference (else an http(s) URL).
    pub fn is_oci(&self) -> bool {
        self.source.starts_with("oci://")
    }
}

/// What `ward.toml` says about one rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleConfig {
    pub severity: Option<Severity>,
    pub enabled: bool,
    pub params: Option<Value>,
}

/// Environment names for path globs, tried in name order; the first match wins. With them,
/// what `[helm]` says about Helm charts: the values files each renders with per environment
/// (`[helm."deploy/chart"]`) and the cluster its templates are told of (`.Capabilities`).
#[derive(Debug, Clone, Default)]
pub struct EnvironmentMap {
    rules: Vec<(String, GlobSet)>,
    /// Chart directory → environment → values files (relative to the chart directory).
    helm: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// `[helm] kube_version`/`api_versions`: every chart's cluster.
    cluster: HelmCluster,
    /// `[helm."deploy/chart"] kube_version`/`api_versions`, by chart directory: over `cluster`.
    chart_clusters: BTreeMap<String, HelmCluster>,
}

/// The cluster `helm template` is told of (`--kube-version`, `--api-versions`): what a chart's
/// templates read in `.Capabilities`. Unset parts are Helm's defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelmCluster {
    /// `.Capabilities.KubeVersion`.
    pub kube_version: Option<KubeVersion>,
    /// Group/versions (`monitoring.coreos.com/v1`) or group/version/kinds
    /// (`monitoring.coreos.com/v1/ServiceMonitor`) the cluster serves besides Helm's defaults,
    /// as `--api-versions` adds them.
    pub api_versions: Vec<String>,
}

/// A Kubernetes version as `helm template --kube-version` reads it (`1.29`, `v1.29.3`,
/// `1.29.0-eks`): a lenient semantic version, the missing parts zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeVersion {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    /// `-eks-1` or `+k3s1`: what follows the numbers, as written.
    pub suffix: String,
}

impl KubeVersion {
    /// Reads `1.29`, `v1.29.3`, `1.29.0-eks-1`; `None` for anything else (`latest`, `1.x`).
    pub fn parse(text: &str) -> Option<KubeVersion> {
        let text = text.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let end = text.find(['-', '+']).unwrap_or(text.len());
        let (numbers, suffix) = text.split_at(end);
        let parts: Vec<&str> = numbers.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        let mut values = [0u64; 3];
        for (slot, part) in values.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *slot = part.parse().ok()?;
        }
        let [major, minor, patch] = values;
        let valid_suffix = suffix.len() != 1
            && suffix.chars().skip(1).all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+'));
        valid_suffix.then(|| KubeVersion { major, minor, patch, suffix: suffix.to_owned() })
    }
}

impl std::fmt::Display for KubeVersion {
    /// As Helm prints it: `v` and the whole version (`v1.29.0`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "v{}.{}.{}{}", self.major, self.minor, self.patch, self.suffix)
    }
}

impl EnvironmentMap {
    /// The values files `ward.toml` names for the chart in `dir`, by environment (`None` when
    /// it names none: the chart's environments are told by its files' names).
    pub fn chart_values(&self, dir: &str) -> Option<&BTreeMap<String, Vec<String>>> {
        self.helm.get(dir.trim_end_matches('/'))
    }

    /// The cluster the chart in `dir` renders for: its own `[helm."dir"]` settings over
    /// `[helm]`'s, each part unset left to Helm's default.
    pub fn helm_cluster(&self, dir: &str) -> HelmCluster {
        let own = self.chart_clusters.get(dir.trim_matches('/'));
        HelmCluster {
            kube_version: own.and_then(|own| own.kube_version.clone()).or_else(|| self.cluster.kube_version.clone()),
            api_versions: match own.filter(|own| !own.api_versions.is_empty()) {
                Some(own) => own.api_versions.clone(),
                None => self.cluster.api_versions.clone(),
            },
        }
    }

    /// The environment configured for `path` (relative to the scan root), if any.
    pub fn environment_of(&self, path: &str) -> Option<String> {
        self.rules.iter().find(|(_, globs)| globs.is_match(path)).map(|(name, _)| name.clone())
    }

    /// The environment of `path`: configured here, else inferred from its names (`prod`,
    /// `.env.staging`).
    pub fn resolve(&self, path: &str) -> Option<String> {
        self.environment_of(path).or_else(|| crate::environment::infer_environment(path))
    }
}

/// Which files a scan reads.
#[derive(Debug, Clone, Default)]
pub struct FileFilter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl FileFilter {
    /// Whether `path` (relative to the scan root) is scanned.
    pub fn allows(&self, path: &str) -> bool {
        self.include.as_ref().is_none_or(|globs| globs.is_match(path))
            && !self.exclude.as_ref().is_some_and(|globs| globs.is_match(path))
    }
}

/// The nearest `ward.toml` in `start` or a directory above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() { start.parent()? } else { start };
    start.ancestors().map(|dir| dir.join(CONFIG_FILE)).find(|candidate| candidate.is_file())
}

impl Config {
    /// Reads `ward.toml`'s text; `path` names it in messages and `dir` is what its relative
    /// paths are relative to.
    ///
    /// ```
    /// use ward_engine::{Config, PackSource};
    /// let text = "[[packs]]\nname = \"container\"\nversion = \">=0.1\"\n\n[rules.CTR-001]\nseverity = \"low\"\n\n[environments]\nproduction = [\"deploy/live/**\"]\n";
    /// let config = Config::parse("ward.toml", text, std::path::Path::new(".")).unwrap();
    /// assert_eq!(config.packs[0].source, PackSource::Builtin("container".into()));
    /// assert_eq!(config.environments.environment_of("deploy/live/app.yaml").as_deref(), Some("production"));
    ///
    /// let error = Config::parse("ward.toml", "[rules.X]\nseverity = \"urgent\"\n", std::path::Path::new(".")).unwrap_err();
    /// assert_eq!(error.position.map(|p| (p.line, p.column)), Some((2, 12)));
    /// ```
    pub fn parse(path: &str, text: &str, dir: &Path) -> Result<Config, Diagnostic> {
        let file = TomlFile::parse(path, text)?;
        file.check(&SCHEMA, |violation| {
            (violation.message.contains("oneOf") || violation.message.contains("is valid under"))
                .then(|| "a pack is one of a built-in `name`, a `path` or a remote `source`".to_owned())
        })?;
        let (value, source_map) = (file.value(), &file.parsed.source_map);
        let position = |pointer: &str| file.position(file.locate(pointer));
        let mut config = Config { path: path.to_owned(), dir: dir.to_path_buf(), ..Config::default() };
        for (index, pack) in value.get("packs").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let pointer = format!("/packs/{index}");
            let text = |key: &str| pack.get(key).and_then(Value::as_str);
            let sha256 = text("sha256").map(|hex| match hex.strip_prefix("sha256:") {
                Some(_) => hex.to_owned(),
                None => format!("sha256:{hex}"),
            });
            if sha256.is_some() && text("source").is_none_or(|source| source.starts_with("oci://")) {
                return Err(file.error_at(
                    &format!("{pointer}/sha256"),
                    "`sha256` pins an https `source`; an OCI source is pinned by `ward lock`",
                ));
            }
            let source = match (text("name"), text("path"), text("source")) {
                (Some(name), _, _) => PackSource::Builtin(name.to_owned()),
                (None, Some(relative), _) => PackSource::Path(PathBuf::from(relative)),
                (None, None, Some(source)) => {
                    if !source.starts_with("oci://") && sha256.is_none() {
                        return Err(file.error_at(
                            &format!("{pointer}/source"),
                            "an https source needs its archive's `sha256` beside it",
                        ));
                    }
                    PackSource::Remote(RemoteSource { source: source.to_owned(), sha256 })
                }
                (None, None, None) => continue, // the schema requires one of them
            };
            let version = match pack.get("version").and_then(Value::as_str) {
                Some(requirement) => Some(VersionReq::parse(requirement).map_err(|e| {
                    file.error_at(&format!("{pointer}/version"), format!("not a SemVer requirement: {e}"))
                })?),
                None => None,
            };
            config.packs.push(PackSpec { source, version, position: position(&pointer) });
        }
        config.require_signatures = value.get("require_signatures").and_then(Value::as_bool).unwrap_or(false);
        config.trusted_keys = strings(value.get("trusted_keys")).into_iter().map(PathBuf::from).collect();
        for (id, rule) in value.get("rules").and_then(Value::as_object).into_iter().flatten() {
            let pointer = pointer_push("/rules", id);
            let severity = match rule.get("severity").and_then(Value::as_str) {
                Some(name) => Some(name.parse().map_err(|e: crate::finding::UnknownSeverity| {
                    file.error_at(&format!("{pointer}/severity"), e.to_string())
                })?),
                None => None,
            };
            let enabled = rule.get("enabled").and_then(Value::as_bool).unwrap_or(true);
            config.rules.insert(id.clone(), RuleConfig { severity, enabled, params: rule.get("params").cloned() });
            let key = source_map.key(&pointer).unwrap_or_else(|| file.locate(&pointer));
            config.rule_positions.insert(id.clone(), file.position(key));
        }
        for (pack, params) in value.get("params").and_then(Value::as_object).into_iter().flatten() {
            config.params.insert(pack.clone(), params.clone());
        }
        for (name, globs) in value.get("environments").and_then(Value::as_object).into_iter().flatten() {
            let pointer = pointer_push("/environments", name);
            let set = glob_set(&strings(Some(globs)), &pointer, &file)?;
            config.environments.rules.push((name.clone(), set));
        }
        if let Some(helm) = value.get("helm").and_then(Value::as_object) {
            config.environments.cluster = helm_cluster(helm, "/helm", &file)?;
        }
        for (chart, environments) in value.get("helm").and_then(Value::as_object).into_iter().flatten() {
            if CLUSTER_KEYS.contains(&chart.as_str()) {
                continue;
            }
            let chart_pointer = pointer_push("/helm", chart);
            let Some(environments) = environments.as_object() else {
                let message = "expected a table of environment = [values files] (`production = [\"values.yaml\", \"prod.yaml\"]`)";
                return Err(file.error_at(&chart_pointer, message));
            };
            let cluster = helm_cluster(environments, &chart_pointer, &file)?;
            if cluster != HelmCluster::default() {
                config.environments.chart_clusters.insert(chart.trim_matches('/').to_owned(), cluster);
            }
            let mut files = BTreeMap::new();
            for (name, list) in environments.iter().filter(|(name, _)| !CLUSTER_KEYS.contains(&name.as_str())) {
                if !list.as_array().is_some_and(|items| items.iter().all(Value::is_string)) {
                    let message = "expected a list of values files, relative to the chart's directory";
                    return Err(file.error_at(&pointer_push(&chart_pointer, name), message));
                }
                files.insert(name.clone(), strings(Some(list)));
            }
            if !files.is_empty() {
                config.environments.helm.insert(chart.trim_matches('/').to_owned(), files);
            }
        }
        for (index, waiver) in value.get("waivers").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let pointer = format!("/waivers/{index}");
            let text = |key: &str| waiver.get(key).and_then(Value::as_str).map(str::to_owned);
            let expires = text("expires").unwrap_or_default();
            let expires = Date::parse(&expires).ok_or_else(|| {
                file.error_at(&format!("{pointer}/expires"), format!("`{expires}` is not a date (YYYY-MM-DD)"))
            })?;
            let path = match text("path") {
                Some(pattern) => Some(
                    Glob::new(&pattern)
                        .map_err(|e| {
                            file.error_at(&format!("{pointer}/path"), format!("not a path glob: {}", e.kind()))
                        })?
                        .compile_matcher(),
                ),
                None => None,
            };
            config.waivers.push(Waiver {
                rule: text("rule").unwrap_or_default(),
                resource: text("resource"),
                path,
                fingerprint: text("fingerprint"),
                reason: text("reason").unwrap_or_default(),
                expires,
                position: position(&pointer),
            });
        }
        config.baseline = value.get("baseline").and_then(Value::as_str).map(PathBuf::from);
        for (key, slot) in [("include", &mut config.files.include), ("exclude", &mut config.files.exclude)] {
            let patterns = strings(value.get(key));
            if value.get(key).is_some() {
                *slot = Some(glob_set(&patterns, &format!("/{key}"), &file)?);
            }
        }
        Ok(config)
    }
}

/// The keys of `[helm]` and of `[helm."dir"]` that describe the cluster, not a chart or an
/// environment.
const CLUSTER_KEYS: &[&str] = &["kube_version", "api_versions"];

/// `kube_version` and `api_versions` of the `[helm]` table or a chart's (at `pointer`).
fn helm_cluster(
    table: &serde_json::Map<String, Value>,
    pointer: &str,
    file: &TomlFile,
) -> Result<HelmCluster, Diagnostic> {
    let kube_version = match table.get("kube_version") {
        None => None,
        Some(version) => {
            let parsed = version.as_str().and_then(KubeVersion::parse);
            let message =
                "expected a Kubernetes version, as `helm template --kube-version` takes it (`\"1.29\"`, `\"v1.29.3\"`)";
            Some(parsed.ok_or_else(|| file.error_at(&pointer_push(pointer, "kube_version"), message))?)
        }
    };
    let api_versions = match table.get("api_versions") {
        None => Vec::new(),
        Some(list) if list.as_array().is_some_and(|items| items.iter().all(Value::is_string)) => strings(Some(list)),
        Some(_) => {
            let message =
                "expected a list of API versions (`[\"monitoring.coreos.com/v1\", \"policy/v1/PodDisruptionBudget\"]`)";
            return Err(file.error_at(&pointer_push(pointer, "api_versions"), message));
        }
    };
    Ok(HelmCluster { kube_version, api_versions })
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
}

/// Compiles path globs (`deploy/prod/**`); a bad one is an error at its place in the list.
fn glob_set(patterns: &[String], pointer: &str, file: &TomlFile) -> Result<GlobSet, Diagnostic> {
    let mut builder = GlobSetBuilder::new();
    for (index, pattern) in patterns.iter().enumerate() {
        let glob = Glob::new(pattern)
            .map_err(|e| file.error_at(&format!("{pointer}/{index}"), format!("not a path glob: {}", e.kind())))?;
        builder.add(glob);
    }
    builder.build().map_err(|e| file.error_at(pointer, format!("cannot use these globs: {e}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn position_of(text: &str, needle: &str) -> Position {
        LineIndex::new(text).position(text, text.find(needle).unwrap())
    }

    #[test]
    fn problems_are_reported_where_they_are_written() {
        let cases = [
            ("an unknown top-level key", "colour = \"blue\"\n", "colour", "unknown key `colour`; expected one of"),
            (
                "a pack with name and path",
                "[[packs]]\nname = \"a\"\npath = \"b\"\n",
                "[[packs]]",
                "one of a built-in `name`, a `path` or a remote `source`",
            ),
            (
                "a pack with a path and a source",
                "[[packs]]\npath = \"b\"\nsource = \"oci://r.example/p:1\"\n",
                "[[packs]]",
                "one of a built-in `name`, a `path` or a remote `source`",
            ),
            (
                "an https source without its sha256",
                "[[packs]]\nsource = \"https://r.example/p-1.0.0.tar.gz\"\n",
                "\"https://",
                "needs its archive's `sha256`",
            ),
            (
                "a sha256 on an OCI source",
                "[[packs]]\nsource = \"oci://r.example/p:1\"\nsha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\n",
                "\"0000",
                "`sha256` pins an https `source`",
            ),
            (
                "a source of another scheme",
                "[[packs]]\nsource = \"ftp://r.example/p.tar.gz\"\n",
                "\"ftp:",
                "does not match",
            ),
            (
                "a bad requirement",
                "[[packs]]\nname = \"a\"\nversion = \"one\"\n",
                "\"one\"",
                "not a SemVer requirement",
            ),
            ("a bad glob", "exclude = [\"ok/**\", \"bad/[\"]\n", "\"bad/[\"", "not a path glob"),
            (
                "a waiver without a reason",
                "[[waivers]]\nrule = \"X-1\"\nexpires = 2027-01-31\n",
                "[[waivers]]",
                "\"reason\" is a required property",
            ),
            (
                "a waiver with an impossible date",
                "[[waivers]]\nrule = \"X-1\"\nreason = \"r\"\nexpires = \"2027-02-30\"\n",
                "\"2027-02-30\"",
                "is not a date",
            ),
            (
                "an unknown rule key",
                "[rules.A-1]\nlevel = \"low\"\n",
                "level",
                "unknown key `level`; expected one of severity, enabled, params",
            ),
        ];
        for (name, text, needle, message) in cases {
            let error = Config::parse("ward.toml", text, Path::new(".")).unwrap_err();
            assert!(error.message.contains(message), "{name}: {error}");
            assert_eq!(error.position, Some(position_of(text, needle)), "{name}: {error}");
        }
    }

    #[test]
    fn helm_clusters_are_read_globally_and_per_chart() {
        let text = "[helm]\nkube_version = \"1.29\"\napi_versions = [\"monitoring.coreos.com/v1\"]\n\n[helm.\"deploy/old\"]\nkube_version = \"v1.22.4-eks-1\"\nproduction = [\"values.yaml\", \"prod.yaml\"]\n\n[helm.\"deploy/crds\"]\napi_versions = [\"cert-manager.io/v1\"]\n";
        let config = Config::parse("ward.toml", text, Path::new(".")).unwrap();
        let environments = &config.environments;
        let global = environments.helm_cluster("deploy/other");
        assert_eq!(global.kube_version.unwrap().to_string(), "v1.29.0");
        assert_eq!(global.api_versions, ["monitoring.coreos.com/v1"]);
        let old = environments.helm_cluster("deploy/old/");
        let version = old.kube_version.unwrap();
        assert_eq!((version.major, version.minor, version.patch), (1, 22, 4));
        assert_eq!(version.to_string(), "v1.22.4-eks-1");
        assert_eq!(old.api_versions, ["monitoring.coreos.com/v1"], "the chart sets no api_versions: [helm]'s");
        let crds = environments.helm_cluster("deploy/crds");
        assert_eq!(crds.kube_version.unwrap().to_string(), "v1.29.0");
        assert_eq!(crds.api_versions, ["cert-manager.io/v1"]);
        // The cluster keys are not environments, nor charts.
        let old_values = environments.chart_values("deploy/old").unwrap();
        assert_eq!(old_values.keys().collect::<Vec<_>>(), ["production"]);
        assert!(environments.chart_values("deploy/crds").is_none());
        assert!(environments.chart_values("kube_version").is_none());
        assert_eq!(
            Config::parse("ward.toml", "", Path::new(".")).unwrap().environments.helm_cluster("x"),
            HelmCluster::default()
        );

        for (text, needle) in [
            ("[helm]\nkube_version = \"latest\"\n", "\"latest\""),
            ("[helm.\"chart\"]\nkube_version = \"1.x\"\n", "\"1.x\""),
            ("[helm]\napi_versions = \"v1\"\n", "\"v1\""),
        ] {
            let error = Config::parse("ward.toml", text, Path::new(".")).unwrap_err();
            assert_eq!(error.position, Some(position_of(text, needle)), "{text}: {error}");
        }
        for (written, read) in [
            ("1", Some("v1.0.0")),
            ("V1.30.2+k3s1", Some("v1.30.2+k3s1")),
            ("1.2.3.4", None),
            ("1.", None),
            ("1.29-", None),
        ] {
            assert_eq!(KubeVersion::parse(written).map(|v| v.to_string()).as_deref(), read, "{written}");
        }
    }

    #[test]
    fn remote_sources_are_read_with_their_pins() {
        let hex = "ab".repeat(32);
        let text = format!(
            "[[packs]]\nsource = \"oci://127.0.0.1:5000/acme/k8s:^1.4\"\nversion = \">=1.4\"\n\n[[packs]]\nsource = \"https://example.invalid/p-1.0.0.tar.gz\"\nsha256 = \"{hex}\"\n"
        );
        let config = Config::parse("ward.toml", &text, Path::new(".")).unwrap();
        let sources: Vec<_> = config.packs.iter().map(|spec| spec.source.clone()).collect();
        assert_eq!(
            sources,
            [
                PackSource::Remote(RemoteSource { source: "oci://127.0.0.1:5000/acme/k8s:^1.4".into(), sha256: None }),
                PackSource::Remote(RemoteSource {
                    source: "https://example.invalid/p-1.0.0.tar.gz".into(),
                    sha256: Some(format!("sha256:{hex}")),
                }),
            ]
        );
        assert_eq!(config.packs[1].position.line, 5);
    }

    #[test]
    fn files_and_environments_follow_the_globs() {
        let text = "include = [\"deploy/**\", \"infra/**\"]\nexclude = [\"**/vendor/**\"]\n[environments]\nproduction = [\"deploy/live/**\"]\nstaging = [\"deploy/pre/**\"]\n[rules.X-1]\nenabled = false\n";
        let config = Config::parse("ward.toml", text, Path::new(".")).unwrap();
        assert!(config.files.allows("deploy/app.yaml"));
        assert!(!config.files.allows("deploy/vendor/app.yaml"));
        assert!(!config.files.allows("README.md"));
        assert_eq!(config.environments.environment_of("deploy/pre/x.yaml").as_deref(), Some("staging"));
        assert_eq!(config.environments.environment_of("deploy/x.yaml"), None);
        assert!(!config.rules["X-1"].enabled);
        assert_eq!(config.rule_positions["X-1"], position_of(text, "X-1]"));
    }
}
