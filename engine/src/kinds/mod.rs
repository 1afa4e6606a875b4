//! The registry of document kinds: for each [`DocumentKind`] one module that owns everything
//! specific to it, gathered in a [`KindSpec`] — a noun for messages, how a file is recognised by
//! its path and by its content, which parser reads it, how its document splits into resources,
//! the input conftest policies see, its comment marker, the language that highlights it, and
//! its JSON Schema with the pointer of a resource's value inside it.
//!
//! The steps of a scan ask the registry ([`spec`], [`detect_kind`], [`refine`]) instead of
//! matching on kinds themselves, so adding a kind is: its variant and name in
//! [`DocumentKind`] (a base type, in `document.rs`, below this registry), its module here, its
//! parser in [`crate::parse`], its schema in `schemas/` (and its name in the kind lists of the
//! other schemas, which a test here checks), and its `mod` line and one line in the
//! `document_kinds!` list below. A variant without a module, or a module that leaves a part of
//! its [`KindSpec`] out, does not compile, and nothing else matches on kinds with a fallback
//! that would hide one.

mod code;
mod compose;
mod dockerfile;
mod dotenv;
mod feature_flags;
mod github_workflow;
mod hcl1;
mod helm_template;
mod ini;
mod json;
mod kubernetes;
mod migration;
mod properties;
mod sbom;
mod terraform;
mod toml;
mod xml;
mod yaml;

use serde_json::Value;

use crate::document::{Document, DocumentKind, Parsed};
use crate::parse::{Limits, ParseError, PARSE_STACK_BYTES, PARSE_STACK_NEEDED};

pub(crate) use kubernetes::is_kustomization_file as is_kustomization_path;
pub(crate) use kubernetes::object_slot as kubernetes_object_slot;
pub(crate) use kubernetes::pod_template;
pub(crate) use yaml::is_helm_template;

/// Declares [`spec`] as an exhaustive `match` from each [`DocumentKind`] to its module's `SPEC`:
/// a kind without a module here does not compile.
macro_rules! document_kinds {
    ($( $variant:ident => $module:ident, )*) => {
        /// Everything ward knows about `kind`.
        ///
        /// ```
        /// use ward_engine::{kind_spec, DocumentKind};
        /// assert_eq!(kind_spec(DocumentKind::Terraform).resource_schema, "/$defs/block");
        /// ```
        pub fn spec(kind: DocumentKind) -> &'static KindSpec {
            match kind {
                $( DocumentKind::$variant => &$module::SPEC, )*
            }
        }
    };
}

document_kinds! {
    Terraform => terraform,
    Dockerfile => dockerfile,
    Kubernetes => kubernetes,
    Compose => compose,
    GithubWorkflow => github_workflow,
    Dotenv => dotenv,
    Yaml => yaml,
    Json => json,
    FeatureFlags => feature_flags,
    Migration => migration,
    Code => code,
    Toml => toml,
    Ini => ini,
    Xml => xml,
    Properties => properties,
    Sbom => sbom,
    Hcl1 => hcl1,
    HelmTemplate => helm_template,
}

/// Everything specific to one kind of document. Each kind's module defines one, as `SPEC`.
#[derive(Debug)]
pub struct KindSpec {
    /// How the note on a file ward does not read names this kind among the ones it does
    /// (`Terraform`, `env`); `None` for a kind whose files are another kind's (feature flags
    /// are YAML or JSON).
    pub noun: Option<&'static str>,
    /// Whether a path names a file of this kind, and how surely.
    pub detect: fn(&FilePath) -> Option<Detection>,
    /// Claims a file read as another kind (YAML, JSON) when its content is of this one, and
    /// reshapes its value if this kind needs to; `None` for kinds told by path alone.
    pub claim: Option<fn(&str, DocumentKind, Parsed) -> Claim>,
    /// The parser: `(path relative to the scan root, text, limits)`.
    pub parse: fn(&str, &str, &Limits) -> Result<Parsed, ParseError>,
    /// How a document of this kind splits into resources.
    pub resources: Resources,
    /// What a conftest policy sees as `input`.
    pub conftest_input: ConftestInput,
    /// The line-comment marker of a file at this path, for a `ward:ignore` comment; `None` for
    /// formats without comments (JSON).
    pub comment_marker: fn(&str) -> Option<&'static str>,
    /// The Markdown code-block language of a file at this path (`""` when none fits).
    pub highlight: fn(&str) -> &'static str,
    /// The text of `schemas/<name>.schema.json`, which the parser's output must match.
    pub schema: &'static str,
    /// The JSON pointer, inside [`KindSpec::schema`], of the schema of one resource's value (a
    /// rule's `object`).
    pub resource_schema: &'static str,
    /// The container images a resource of this kind runs, for the graph to find the
    /// Dockerfiles that build them; `None` for kinds that run none.
    pub images: Option<fn(&Value) -> Vec<String>>,
    /// What a resource of this kind runs, derived once for every rule that needs it: for a
    /// Kubernetes object of any workload kind, where its pod spec is and each container with
    /// the security settings that apply to it (`meta.workload` in rules, `workload` on the
    /// graph's resources; `schemas/graph.schema.json` describes it). `None` for kinds that run
    /// no pods; the function gives `None` for resources that run none.
    pub workload: Option<fn(&Value) -> Option<Value>>,
}

/// The workload facts of a resource of `kind` ([`KindSpec::workload`]), if it runs pods.
pub(crate) fn workload(kind: DocumentKind, value: &Value) -> Option<Value> {
    spec(kind).workload.and_then(|derive| derive(value))
}

/// Parses `text` as a document of `kind`.
///
/// `kubernetes`, `compose`, `github-workflow` and `yaml` files are YAML streams: the value is
/// the array of the stream's documents. `json` files hold their single value.
///
/// ```
/// use ward_engine::{parse_as, DocumentKind, Limits};
/// let parsed = parse_as(DocumentKind::Dotenv, "PORT=8080\n", &Limits::default()).unwrap();
/// assert_eq!(parsed.value["entries"][0]["key"], "PORT");
/// ```
pub fn parse(kind: DocumentKind, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse_file("", kind, text, limits)
}

/// [`parse`], for a file at `path` (relative to the scan root): the kinds that cover several
/// formats read the path to tell which one it is — a migration's `.sql`, `.py` or `.rb`, a
/// source file's language, a flags file's JSON or YAML. Without a path they tell by content.
///
/// ```
/// use ward_engine::{parse_file_as, DocumentKind, Limits};
/// let parsed = parse_file_as("db/migrate/1_drop.rb", DocumentKind::Migration, "drop_table :users\n", &Limits::default()).unwrap();
/// assert_eq!(parsed.value["operations"][0]["operation"], "drop-table");
/// ```
pub fn parse_file(path: &str, kind: DocumentKind, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    // The YAML and HCL readers recurse once per nesting level, with large frames in debug
    // builds (about 16 KiB a level through serde-saphyr, so 2 MiB at `max_depth`). When less
    // than `PARSE_STACK_NEEDED` is left on the caller's thread, the parse runs on a fresh stack.
    // Checking costs nothing measurable; switching costs an allocation, so threads ward makes
    // itself are given enough stack never to switch.
    stacker::maybe_grow(PARSE_STACK_NEEDED, PARSE_STACK_BYTES, || parse_on_this_stack(path, kind, text, limits))
}

fn parse_on_this_stack(path: &str, kind: DocumentKind, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    (spec(kind).parse)(path, text, limits)
}

/// A file's kind as far as its path tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Detected {
    /// The path fixes the kind (content may still refine it: JSON that is a Kubernetes object).
    Kind(DocumentKind),
    /// A YAML file that is Kubernetes if its documents have `apiVersion` and `kind`, else `yaml`
    /// (or a Helm template, which is not YAML at all).
    YamlStream,
    /// Not a file ward reads.
    Unknown,
}

/// A path as the detectors read it.
#[derive(Debug, Clone)]
pub struct FilePath<'p> {
    /// Relative to the scan root, `/`-separated.
    pub path: &'p str,
    /// The file's name, lower-cased.
    pub name: String,
}

impl<'p> FilePath<'p> {
    pub fn new(path: &'p str) -> FilePath<'p> {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        FilePath { path, name }
    }

    /// What follows the last `.` of the (lower-cased) name; `""` without one.
    pub fn extension(&self) -> &str {
        self.name.rsplit_once('.').map_or("", |(_, extension)| extension)
    }

    pub fn is_yaml(&self) -> bool {
        self.name.ends_with(".yaml") || self.name.ends_with(".yml")
    }

    /// The directories the file is in, nearest first, as written.
    pub fn dirs(&self) -> impl Iterator<Item = &'p str> {
        self.path.split('/').rev().skip(1)
    }
}

/// How surely a path names a kind. When several kinds claim a path the surest wins, and among
/// equally sure ones the first in [`DocumentKind::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DetectedBy {
    /// Only the format its extension names (`.yaml`, `.json`, `.py`).
    Extension,
    /// Where the file sits (`.github/workflows/`, `db/migrate/`).
    Location,
    /// The file's name alone (`Dockerfile`, `.env.production`, `main.tf`, `V1__init.sql`).
    Name,
}

/// A kind's claim on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detection {
    pub by: DetectedBy,
    pub detected: Detected,
}

impl Detection {
    pub fn of(kind: DocumentKind, by: DetectedBy) -> Detection {
        Detection { by, detected: Detected::Kind(kind) }
    }
}

/// The kind a path names.
///
/// ```
/// use ward_engine::{detect_kind, Detected};
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
    let file = FilePath::new(path);
    let mut best: Option<Detection> = None;
    for kind in DocumentKind::ALL {
        let Some(found) = (spec(kind).detect)(&file) else { continue };
        if found.by == DetectedBy::Name {
            // Nothing is surer, and earlier kinds win ties.
            return found.detected;
        }
        if best.is_none_or(|best| found.by > best.by) {
            best = Some(found);
        }
    }
    best.map_or(Detected::Unknown, |found| found.detected)
}

/// What a kind's [`KindSpec::claim`] makes of a file read as another kind.
#[derive(Debug)]
pub enum Claim {
    /// The file is of the claiming kind; its value, reshaped as that kind needs.
    Claimed(Parsed),
    /// Not this kind's: the value, handed back untouched.
    Declined(Parsed),
}

/// The kind of a file read as `read_as` (what its path said), told by its content: the first
/// kind in [`DocumentKind::ALL`] that claims it, or `read_as`. YAML and JSON that carry
/// `apiVersion` and `kind` are Kubernetes manifests; YAML and JSON in a feature-flag format are
/// feature-flag files.
pub(crate) fn refine(path: &str, read_as: DocumentKind, parsed: Parsed) -> (DocumentKind, Parsed) {
    let mut parsed = parsed;
    for kind in DocumentKind::ALL {
        let Some(claim) = spec(kind).claim else { continue };
        parsed = match claim(path, read_as, parsed) {
            Claim::Claimed(parsed) => return (kind, parsed),
            Claim::Declined(parsed) => parsed,
        };
    }
    (read_as, parsed)
}

/// The Markdown code-block language of a file, for editors and renderers that colour it.
pub(crate) fn highlight_language(path: &str) -> &'static str {
    match detect_kind(path) {
        Detected::Kind(kind) => (spec(kind).highlight)(path),
        Detected::YamlStream => (spec(DocumentKind::Yaml).highlight)(path),
        Detected::Unknown => "",
    }
}

/// Whether `kind` is generic YAML or JSON, the kind of a file no other kind claims: only the
/// rules that ask for `yaml` or `json` by name judge it (a rule without `kinds` judges every
/// other kind), and conftest policies, which read every document.
pub(crate) fn is_generic(kind: DocumentKind) -> bool {
    matches!(
        kind,
        DocumentKind::Yaml
            | DocumentKind::Json
            | DocumentKind::Toml
            | DocumentKind::Ini
            | DocumentKind::Xml
            | DocumentKind::Properties
            | DocumentKind::Sbom
            | DocumentKind::Hcl1
    )
}

/// Lockfiles of package managers that ward would read as generic JSON, YAML or TOML: generated
/// by a tool, often megabytes long, and never configuration a person writes. A scan parses one
/// only when a rule asks for its kind by name (see `LoadOptions::generic_kinds_read`); the
/// secret scanner still reads its text.
const LOCKFILE_NAMES: [&str; 7] = [
    "package-lock.json",
    "npm-shrinkwrap.json",
    "pnpm-lock.yaml",
    "composer.lock",
    "Pipfile.lock",
    "poetry.lock",
    "Cargo.lock",
];

/// Whether the file at `path` is a package manager's lockfile ([`LOCKFILE_NAMES`]).
pub(crate) fn is_lockfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    LOCKFILE_NAMES.contains(&name)
}

/// What a file that does not parse is to ward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unparsed {
    /// One of the kinds ward checks (by its path, or by what its text shows of it): that it
    /// does not parse makes the run untrustworthy.
    Ours,
    /// A YAML or JSON file of no kind ward checks: not judged, which a note says, with what it
    /// looks like (`JSON with comments`, `a template`) when that tells why it does not parse.
    NotJudged(Option<&'static str>),
}

/// Whether a file read as `detected` that does not parse is of a kind ward checks. Every kind
/// a path names is; a YAML or JSON file is when it is a kustomization or a flags file by its
/// name, or when its text shows a Kubernetes object (`apiVersion` and `kind`) — a manifest with
/// a duplicate key is broken, not foreign. Any other (a `tsconfig.json` with comments, a
/// template with `{{ }}`) is not judged.
pub(crate) fn unparsed(path: &str, detected: Detected, text: &str) -> Unparsed {
    match detected {
        Detected::Kind(DocumentKind::Json) => json::unparsed(path, text),
        Detected::YamlStream | Detected::Kind(DocumentKind::Yaml) => yaml::unparsed(path, text),
        // The formats conftest reads are generic like YAML and JSON: files of every tool.
        Detected::Kind(kind) if is_generic(kind) => Unparsed::NotJudged(None),
        Detected::Kind(_) | Detected::Unknown => Unparsed::Ours,
    }
}

/// Whether a YAML or JSON file is one of ward's by its name alone, whatever its text.
fn ours_by_name(path: &str) -> bool {
    kubernetes::is_kustomization_file(path) || crate::parse::flags::is_flags_file_name(path)
}

/// Whether a text names a Kubernetes object's `apiVersion` and `kind`: at the start of a line
/// in YAML, or as JSON keys (`"apiVersion"`) in either.
fn shows_a_kubernetes_object(text: &str) -> bool {
    let yaml = |key: &str| text.lines().any(|line| line.strip_prefix(key).is_some_and(|rest| rest.starts_with(':')));
    let json = |key: &str| text.contains(&format!("\"{key}\""));
    (yaml("apiVersion") && yaml("kind")) || (json("apiVersion") && json("kind"))
}

/// The note on a file of no kind ward reads, naming the kinds it does.
pub(crate) fn unknown_kind_note() -> String {
    let nouns: Vec<&str> = DocumentKind::ALL.into_iter().filter_map(|kind| spec(kind).noun).collect();
    format!("not a kind of file ward reads ({}); skipped", nouns.join(", "))
}

/// One resource of a document: where its value sits and what it is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceSlot {
    /// The pointer of its value in the document's value.
    pub pointer: String,
    /// Its id (the graph makes ids unique across documents).
    pub id: String,
    /// What it is within its kind: `Deployment`, `service`, `feature-flag`.
    pub resource_type: String,
    pub name: Option<String>,
}

/// How a kind's documents split into the resources rules see.
#[derive(Debug, Clone, Copy)]
pub enum Resources {
    /// The whole file is one resource, `<id_prefix>:<path>`.
    WholeFile { id_prefix: &'static str, resource_type: &'static str },
    /// Each document of a YAML stream is one, `<id_prefix>:<path>` (`#N` marks all but a lone
    /// document).
    EachStreamDocument { id_prefix: &'static str, resource_type: &'static str },
    /// The kind finds them in one document's value.
    Split(fn(&Document) -> Vec<ResourceSlot>),
    /// They depend on other documents of the kind too (Terraform blocks, grouped by module
    /// directory with their variable files): the graph builds them from all documents at once.
    AcrossDocuments,
}

/// What conftest policies see as `input` for a document of a kind, each input with the pointer
/// it sits at in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConftestInput {
    /// The whole value.
    Whole,
    /// Each document of a YAML stream on its own, as conftest reads multi-document YAML.
    EachStreamDocument,
    /// The value at this pointer (a flags file's own JSON or YAML, not ward's normalised view).
    At(&'static str),
    /// conftest does not read this kind (source code, SQL).
    Nothing,
}

impl ConftestInput {
    /// The inputs of a document whose value is `value`, as `(pointer, input)`.
    pub fn inputs(self, value: &Value) -> Vec<(String, &Value)> {
        match (self, value) {
            (ConftestInput::EachStreamDocument, Value::Array(stream)) => {
                stream.iter().enumerate().map(|(i, value)| (format!("/{i}"), value)).collect()
            }
            (ConftestInput::At(pointer), value) => {
                value.pointer(pointer).map(|input| (pointer.to_owned(), input)).into_iter().collect()
            }
            (ConftestInput::Nothing, _) => Vec::new(),
            (ConftestInput::Whole | ConftestInput::EachStreamDocument, value) => vec![(String::new(), value)],
        }
    }
}

/// `#`, the comment marker of YAML, HCL, Dockerfiles and env files — none in their JSON forms.
fn hash_unless_json(path: &str) -> Option<&'static str> {
    (!path.to_ascii_lowercase().ends_with(".json")).then_some("#")
}

/// `json` for a kind's JSON form, else `otherwise`.
fn json_or(path: &str, otherwise: &'static str) -> &'static str {
    match path.to_ascii_lowercase().ends_with(".json") {
        true => "json",
        false => otherwise,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use std::path::Path;

    #[test]
    fn lockfiles_are_known_by_name_in_any_directory() {
        assert!(super::is_lockfile("web/package-lock.json"));
        assert!(super::is_lockfile("Cargo.lock"));
        assert!(!super::is_lockfile("web/package.json"));
        assert!(!super::is_lockfile("deploy/package-lock.json.d/x.yaml"));
    }

    /// The example that was in the documentation of `is_generic`.
    #[test]
    fn is_generic_example() {
        use crate::{kinds, DocumentKind};
        assert!(kinds::is_generic(DocumentKind::Json));
        assert!(!kinds::is_generic(DocumentKind::Kubernetes));
    }

    use super::*;

    /// The example that was in the documentation of `unparsed`.
    #[test]
    fn unparsed_example() {
        use crate::kinds::{unparsed, Unparsed};
        use crate::source::detect_kind;
        let manifest = "apiVersion: v1\nkind: Secret\ntype: a\ntype: b\n";
        assert_eq!(unparsed("k8s/secret.yaml", detect_kind("k8s/secret.yaml"), manifest), Unparsed::Ours);
        let tsconfig = "/* see https://angular.io/config/tsconfig */\n{\"compilerOptions\": {}}\n";
        assert!(matches!(
            unparsed("tsconfig.json", detect_kind("tsconfig.json"), tsconfig),
            Unparsed::NotJudged(Some(_))
        ));
    }

    fn schemas_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
    }

    /// Every `enum` in `value` that lists document kinds, with its pointer.
    fn kind_lists(value: &Value, pointer: String, out: &mut Vec<(String, Vec<String>)>) {
        match value {
            Value::Object(members) => {
                if let Some(Value::Array(items)) = members.get("enum") {
                    let names: Vec<String> = items.iter().filter_map(Value::as_str).map(str::to_owned).collect();
                    if names.iter().any(|name| name == "terraform") && names.iter().any(|name| name == "kubernetes") {
                        out.push((format!("{pointer}/enum"), names));
                    }
                }
                for (key, member) in members {
                    kind_lists(member, crate::document::pointer_push(&pointer, key), out);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    kind_lists(item, format!("{pointer}/{index}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_kind_lists_in_the_json_schemas_are_the_registrys() {
        let registry: Vec<String> = DocumentKind::ALL.iter().map(|kind| kind.name().to_owned()).collect();
        let mut found = Vec::new();
        for entry in std::fs::read_dir(schemas_dir()).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // `schemas/conftest/`: the shapes conftest policies see, not ward's kinds.
                continue;
            }
            let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let mut lists = Vec::new();
            kind_lists(&schema, String::new(), &mut lists);
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            found.extend(lists.into_iter().map(|(pointer, names)| (file.clone(), pointer, names)));
        }
        found.sort();
        let places: Vec<String> = found.iter().map(|(file, pointer, _)| format!("{file}#{pointer}")).collect();
        assert_eq!(
            places,
            [
                "cel-rule.schema.json#/properties/kinds/items/enum",
                "graph.schema.json#/$defs/kind/enum",
                "report.schema.json#/$defs/rule/properties/documentation/properties/kinds/items/enum",
            ],
            "the schemas that list kinds"
        );
        for (file, pointer, names) in found {
            assert_eq!(names, registry, "{file}#{pointer} lists the kinds of the registry, in its order");
        }
    }

    #[test]
    fn every_kind_has_its_schema_and_every_document_schema_a_kind() {
        let others = ["cel-rule", "config", "graph", "pack", "report", "secret-rule"];
        for entry in std::fs::read_dir(schemas_dir()).unwrap() {
            let entry = entry.unwrap();
            if entry.path().is_dir() {
                continue;
            }
            let file = entry.file_name().to_string_lossy().into_owned();
            let name = file.strip_suffix(".schema.json").unwrap();
            assert!(
                others.contains(&name) || DocumentKind::from_name(name).is_some(),
                "schemas/{file} is neither a kind's schema nor one of {others:?}"
            );
        }
        for kind in DocumentKind::ALL {
            let spec = spec(kind);
            let on_disk = std::fs::read_to_string(schemas_dir().join(format!("{}.schema.json", kind.name()))).unwrap();
            assert_eq!(spec.schema, on_disk, "{kind} embeds its own schema");
            let schema: Value = serde_json::from_str(spec.schema).unwrap();
            assert!(
                schema.pointer(spec.resource_schema).is_some(),
                "{kind}: {} is in its schema",
                spec.resource_schema
            );
        }
    }

    #[test]
    fn names_are_the_serialized_names() {
        for kind in DocumentKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
            assert_eq!(DocumentKind::from_name(kind.name()), Some(kind));
        }
    }

    #[test]
    fn the_surest_detection_wins_and_earlier_kinds_win_ties() {
        let cases = [
            ("infra/main.tf.json", Detected::Kind(DocumentKind::Terraform)),
            ("Dockerfile.tf", Detected::Kind(DocumentKind::Terraform)),
            (".github/workflows/compose.yml", Detected::Kind(DocumentKind::Compose)),
            (".github/workflows/.env.ci.yml", Detected::Kind(DocumentKind::Dotenv)),
            (".github/workflows/Dockerfile.yml", Detected::Kind(DocumentKind::Dockerfile)),
            ("migrations/versions/0001_init.py", Detected::Kind(DocumentKind::Migration)),
            ("app/models.py", Detected::Kind(DocumentKind::Code)),
            ("db/migrations/schema.sql", Detected::Kind(DocumentKind::Migration)),
            ("schema.sql", Detected::Unknown),
            ("kustomization.yaml", Detected::YamlStream),
            ("package.json", Detected::Kind(DocumentKind::Json)),
            ("web/app.min.js", Detected::Unknown),
            ("web/types.d.ts", Detected::Unknown),
            ("pyproject.toml", Detected::Kind(DocumentKind::Toml)),
            ("ward.toml", Detected::Unknown),
            ("policy/pack.toml", Detected::Unknown),
            ("conf/grafana.ini", Detected::Kind(DocumentKind::Ini)),
            ("setup.cfg", Detected::Unknown),
            ("nginx/site.conf", Detected::Unknown),
            ("pom.xml", Detected::Kind(DocumentKind::Xml)),
            ("src/main/resources/application.properties", Detected::Kind(DocumentKind::Properties)),
            ("sbom.cdx.json", Detected::Kind(DocumentKind::Json)),
            ("config/vault.hcl", Detected::Kind(DocumentKind::Hcl1)),
            ("packer/image.pkr.hcl", Detected::Unknown),
            ("live/prod/terragrunt.hcl", Detected::Unknown),
            (".terraform.lock.hcl", Detected::Unknown),
        ];
        for (path, expected) in cases {
            assert_eq!(detect_kind(path), expected, "{path}");
        }
    }

    #[test]
    fn comment_markers_follow_the_files_syntax() {
        let cases = [
            (DocumentKind::Terraform, "main.tf", Some("#")),
            (DocumentKind::Terraform, "main.tf.json", None),
            (DocumentKind::Kubernetes, "deploy/app.json", None),
            (DocumentKind::Kubernetes, "deploy/app.yaml", Some("#")),
            (DocumentKind::Json, "package.json", None),
            (DocumentKind::FeatureFlags, "flags.json", None),
            (DocumentKind::FeatureFlags, "flags.yaml", Some("#")),
            (DocumentKind::Migration, "db/V1__init.sql", Some("--")),
            (DocumentKind::Migration, "db/migrate/1_drop.rb", Some("#")),
            (DocumentKind::Code, "worker.py", Some("#")),
            (DocumentKind::Code, "src/main.rs", Some("//")),
            (DocumentKind::Dotenv, ".env", Some("#")),
            (DocumentKind::Toml, "pyproject.toml", Some("#")),
            (DocumentKind::Ini, "php.ini", Some(";")),
            (DocumentKind::Xml, "pom.xml", None),
            (DocumentKind::Properties, "app.properties", Some("#")),
            (DocumentKind::Sbom, "bom.json", None),
            (DocumentKind::Hcl1, "vault.hcl", Some("#")),
        ];
        for (kind, path, expected) in cases {
            assert_eq!((spec(kind).comment_marker)(path), expected, "{kind} {path}");
        }
    }

    #[test]
    fn highlight_languages_follow_the_files_syntax() {
        let cases = [
            ("main.tf", "hcl"),
            ("main.tf.json", "json"),
            ("Dockerfile", "dockerfile"),
            (".env.production", "sh"),
            ("flags.json", "json"),
            ("deploy/app.yaml", "yaml"),
            ("db/V1__init.sql", "sql"),
            ("migrations/versions/0001_init.py", "python"),
            ("web/app.tsx", "typescript"),
            ("src/main.rs", "rust"),
            ("notes.txt", ""),
            ("Cargo.toml", "toml"),
            ("php.ini", "ini"),
            ("pom.xml", "xml"),
            ("gradle.properties", "properties"),
        ];
        for (path, expected) in cases {
            assert_eq!(highlight_language(path), expected, "{path}");
        }
    }

    /// A file that does not parse is ours (an error) by its kind's path, a kustomization's or
    /// flags file's name, or a Kubernetes object in its text; any other YAML or JSON is not
    /// judged, a template even when it shows an object.
    #[test]
    fn a_file_that_does_not_parse_is_ours_only_when_its_path_or_text_says_so() {
        let comments = Unparsed::NotJudged(Some("JSON with comments"));
        let template = Unparsed::NotJudged(Some("a template (contains `{{`)"));
        let foreign = Unparsed::NotJudged(None);
        let cases = [
            ("web/tsconfig.json", "/* Angular */\n{\"strict\": true}\n", comments),
            (".vscode/settings.json", "{\n  // on save\n  \"a\": 1,\n}\n", comments),
            ("examples/secret.json", "", foreign),
            ("deploy/app.json", "{\"apiVersion\": \"v1\", \"kind\": \"Service\",", Unparsed::Ours),
            ("config/flags.json", "{\"flags\": {", Unparsed::Ours),
            ("k8s/secret.yaml", "apiVersion: v1\nkind: Secret\ntype: a\ntype: b\n", Unparsed::Ours),
            ("k8s/list.yaml", "---\napiVersion: v1\nkind: List\nitems: [\n", Unparsed::Ours),
            ("overlays/prod/kustomization.yaml", "images:\n  - name: a\n   newTag: b\n", Unparsed::Ours),
            ("config/upstreams.yaml", "upstreams:\n{% for h in hosts %}\n  - {{ h }}\n", template),
            ("deploy/app.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: {{ .name }}\n", template),
            ("ci/pipeline.yaml", "steps:\n  - run: echo ${{ x }}\n  bad: [\n", foreign),
            ("notes/kind.yaml", "  kind: x\napiVersion\n: [\n", foreign),
            ("compose.yaml", "services: [\n", Unparsed::Ours),
            (".github/workflows/ci.yml", "on: push\njobs: {a: ${{ x }}\n", Unparsed::Ours),
            ("infra/main.tf.json", "{\"resource\": ", Unparsed::Ours),
        ];
        for (path, text, expected) in cases {
            assert_eq!(unparsed(path, detect_kind(path), text), expected, "{path}");
        }
    }

    #[test]
    fn sboms_are_claimed_by_their_content() {
        let read = |text: &str| {
            let parsed = parse(DocumentKind::Json, text, &Limits::default()).unwrap();
            refine("bom.json", DocumentKind::Json, parsed)
        };
        let (kind, parsed) = read(r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": []}"#);
        assert_eq!(kind, DocumentKind::Sbom);
        assert_eq!(parsed.value["specVersion"], "1.5", "the value as written");
        assert_eq!(read(r#"{"spdxVersion": "SPDX-2.3", "packages": []}"#).0, DocumentKind::Sbom);
        assert_eq!(read(r#"{"bomFormat": "other"}"#).0, DocumentKind::Json);
        let stream = parse(DocumentKind::Yaml, "spdxVersion: SPDX-2.3\n", &Limits::default()).unwrap();
        assert_eq!(refine("sbom.yaml", DocumentKind::Yaml, stream).0, DocumentKind::Yaml, "JSON only");
    }

    #[test]
    fn the_formats_conftest_reads_have_lines_per_key() {
        let cases = [
            (DocumentKind::Toml, "[server]\nport = 80\n", "/server/port", "80"),
            (DocumentKind::Ini, "[server]\nport = 80\n", "/server/port", "80"),
            (DocumentKind::Xml, "<server>\n  <port>80</port>\n</server>\n", "/server/port", "<port>80</port>"),
            (DocumentKind::Properties, "# x\nserver.port=80\n", "/server.port", "server.port=80"),
            (DocumentKind::Hcl1, "server {\n  port = 80\n}\n", "/server/0/port", "80"),
        ];
        for (kind, text, pointer, written) in cases {
            let parsed = parse(kind, text, &Limits::default()).unwrap();
            let span = parsed.source_map.get(pointer).unwrap();
            assert_eq!(&text[span.start..span.end], written, "{kind} {pointer}");
            assert!(parse(kind, "[a\n<b>\\uZZZZ", &Limits::default()).is_err(), "{kind}: broken text is refused");
        }
    }

    #[test]
    fn conftest_inputs_follow_the_kind() {
        let stream = serde_json::json!([{"a": 1}, {"b": 2}]);
        let inputs = spec(DocumentKind::Kubernetes).conftest_input.inputs(&stream);
        assert_eq!(inputs.iter().map(|(pointer, _)| pointer.as_str()).collect::<Vec<_>>(), ["/0", "/1"]);
        let flags = serde_json::json!({"flags": [], "raw": {"flags": {}}});
        let inputs = spec(DocumentKind::FeatureFlags).conftest_input.inputs(&flags);
        assert_eq!(inputs, [("/raw".to_owned(), &flags["raw"])]);
        assert!(spec(DocumentKind::Code).conftest_input.inputs(&flags).is_empty());
        assert_eq!(spec(DocumentKind::Dotenv).conftest_input.inputs(&flags), [(String::new(), &flags)]);
    }

    /// The example from the documentation of `highlight_language`.
    #[test]
    fn highlight_language_example() {
        use crate::kinds::highlight_language;
        assert_eq!(highlight_language("infra/main.tf"), "hcl");
        assert_eq!(highlight_language("deploy/app.yaml"), "yaml");
        assert_eq!(highlight_language("notes.txt"), "");
    }
}
