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
/// assert_eq!(detect_kind("src/main.rs"), Detected::Kind(DocumentKind::Code));
/// assert_eq!(detect_kind("db/migrate/20240102030405_drop_legacy.rb"), Detected::Kind(DocumentKind::Migration));
/// assert_eq!(detect_kind("sql/V3__add_index.sql"), Detected::Kind(DocumentKind::Migration));
/// assert_eq!(detect_kind("node_modules/left-pad/index.js"), Detected::Unknown);
/// assert_eq!(detect_kind("notes.txt"), Detected::Unknown);
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
    if is_migration_path(path, &lower) {
        return Detected::Kind(DocumentKind::Migration);
    }
    if is_code_path(path, &lower) {
        return Detected::Kind(DocumentKind::Code);
    }
    Detected::Unknown
}

/// Extensions of the source files whose environment reads and flag references ward looks for.
const CODE_EXTENSIONS: [&str; 21] = [
    "js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "vue", "svelte", "py", "go", "rs", "rb", "java", "kt", "kts",
    "scala", "cs", "php", "swift",
];

/// Directories of code that is not the repository's own (dependencies checked in, virtual
/// environments): what it reads is not this application's configuration.
const VENDORED_DIRS: [&str; 7] =
    ["node_modules", "vendor", "third_party", ".venv", "venv", "site-packages", "__pycache__"];

/// An application source file, not a minified bundle or a declaration file, not vendored.
fn is_code_path(path: &str, lower_name: &str) -> bool {
    let Some((_, extension)) = lower_name.rsplit_once('.') else { return false };
    if !CODE_EXTENSIONS.contains(&extension) || lower_name.ends_with(".min.js") || lower_name.ends_with(".d.ts") {
        return false;
    }
    !path.split('/').rev().skip(1).any(|dir| VENDORED_DIRS.contains(&dir))
}

/// A database migration by its path: Flyway's `V1__name.sql` (also `U`ndo and `R`epeatable)
/// anywhere; any `.sql` under a directory named for migrations (`migrations/`, `db/migrate/`);
/// Rails' `db/migrate/<timestamp>_name.rb`; Alembic's `versions/*.py` under an `alembic` or
/// migrations directory; Django's `migrations/0001_name.py`.
fn is_migration_path(path: &str, lower_name: &str) -> bool {
    let dirs: Vec<String> = path.split('/').rev().skip(1).map(str::to_ascii_lowercase).collect();
    let parent = dirs.first().map_or("", String::as_str);
    let under_migrations = dirs.iter().any(|dir| dir.contains("migrat"));
    let numbered =
        |name: &str| name.split('_').next().is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if let Some(stem) = lower_name.strip_suffix(".sql") {
        return under_migrations || is_flyway_name(stem);
    }
    if lower_name.ends_with(".rb") {
        return parent.contains("migrat") && numbered(lower_name);
    }
    if lower_name.ends_with(".py") && lower_name != "__init__.py" {
        let alembic =
            parent == "versions" && dirs.iter().skip(1).any(|dir| dir.contains("alembic") || dir.contains("migrat"));
        let django = parent == "migrations" && numbered(lower_name);
        return alembic || django;
    }
    false
}

/// `v1__init`, `v2_1__add_index`, `u3__undo`, `r__views` (lower-cased, without `.sql`).
fn is_flyway_name(stem: &str) -> bool {
    let Some((version, description)) = stem.split_once("__") else { return false };
    let mut chars = version.chars();
    match chars.next() {
        Some('r') => version.len() == 1 && !description.is_empty(),
        Some('v' | 'u') => {
            let rest = chars.as_str();
            !rest.is_empty()
                && rest.starts_with(|c: char| c.is_ascii_digit())
                && rest.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '_')
                && !description.is_empty()
        }
        _ => false,
    }
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
