//! Which parser a file needs, from its path alone (YAML content decides Kubernetes later).

use crate::document::DocumentKind;

/// A file's kind as far as its path tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Detected {
    /// The path fixes the kind.
    Kind(DocumentKind),
    /// A YAML file that is Kubernetes if its documents have `apiVersion` and `kind`, else `yaml`.
    YamlStream,
    /// Not a file ward reads.
    Unknown,
}

/// The kind a path names.
///
/// ```
/// use ward_engine::source::{detect_kind, Detected};
/// use ward_engine::DocumentKind;
/// assert_eq!(detect_kind("infra/production.tfvars"), Detected::Kind(DocumentKind::Terraform));
/// assert_eq!(detect_kind("services/api/Dockerfile.dev"), Detected::Kind(DocumentKind::Dockerfile));
/// assert_eq!(detect_kind(".github/workflows/ci.yml"), Detected::Kind(DocumentKind::GithubWorkflow));
/// assert_eq!(detect_kind("deploy/base/deployment.yaml"), Detected::YamlStream);
/// assert_eq!(detect_kind(".env.production"), Detected::Kind(DocumentKind::Dotenv));
/// assert_eq!(detect_kind("src/main.rs"), Detected::Unknown);
/// ```
pub fn detect_kind(path: &str) -> Detected {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let is_yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    if lower.ends_with(".tf")
        || lower.ends_with(".tfvars")
        || lower.ends_with(".tf.json")
        || lower.ends_with(".tfvars.json")
    {
        return Detected::Kind(DocumentKind::Terraform);
    }
    if lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
        || lower.starts_with("containerfile.")
    {
        return Detected::Kind(DocumentKind::Dockerfile);
    }
    if lower == ".env" || lower.starts_with(".env.") || (lower.ends_with(".env") && lower.len() > 4) {
        return Detected::Kind(DocumentKind::Dotenv);
    }
    if is_yaml && (lower.starts_with("docker-compose") || lower.starts_with("compose")) {
        return Detected::Kind(DocumentKind::Compose);
    }
    if is_yaml && is_workflow_path(path) {
        return Detected::Kind(DocumentKind::GithubWorkflow);
    }
    if is_yaml {
        return Detected::YamlStream;
    }
    if lower.ends_with(".json") {
        return Detected::Kind(DocumentKind::Json);
    }
    Detected::Unknown
}

fn is_workflow_path(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let _file = parts.next();
    matches!((parts.next(), parts.next()), (Some("workflows"), Some(".github")))
}

/// Helm chart templates are Go templates, not YAML: they live under `templates/` and contain
/// `{{`. ward skips them with a note rather than reporting them as broken YAML.
///
/// ```
/// use ward_engine::source::is_helm_template;
/// assert!(is_helm_template("charts/shop/templates/deployment.yaml", "image: {{ .Values.image }}"));
/// assert!(!is_helm_template("deploy/deployment.yaml", "image: {{ .Values.image }}"));
/// ```
pub fn is_helm_template(path: &str, text: &str) -> bool {
    path.split('/').rev().skip(1).any(|dir| dir == "templates") && text.contains("{{")
}
