//! ward's engine: everything ward does, as a library. The CLI and the language server are two
//! callers of this API; nothing here touches a terminal or exits the process.
//!
//! The data flows one way: `source` finds and reads files, `parse` turns each into a
//! [`Document`], and `graph` joins them into one [`Graph`] of resources and edges. [`load`]
//! runs those steps over a tree and collects a [`Diagnostic`] for every file it could not use.
//!
//! The public surface is a façade: the names exported here at the root ([`Project`], [`scan`],
//! [`scan_buffer`], [`Graph`], [`Document`], [`Finding`], …), the [`report`] module (a report
//! and its formats) and the [`testing`] module (fake credentials, for tests). Every other module
//! is `pub(crate)`, so the engine can move what is behind a name without breaking a caller.

pub(crate) mod config;
pub mod conftest;
pub(crate) mod date;
pub(crate) mod diagnostic;
pub(crate) mod document;
pub(crate) mod environment;
pub(crate) mod eval;
pub(crate) mod finding;
pub(crate) mod go_text;
pub(crate) mod graph;
pub(crate) mod kinds;
pub(crate) mod load;
pub(crate) mod memory_budget;
pub(crate) mod pack_ref;
pub(crate) mod pack_tests;
pub(crate) mod parse;
pub(crate) mod pipeline;
pub(crate) mod policy;
pub(crate) mod profile;
pub(crate) mod project;
pub(crate) mod render;
pub mod report;
pub(crate) mod schema;
pub(crate) mod secrets;
pub(crate) mod source;
pub(crate) mod suppress;
pub mod testing;

// The façade: what the CLI, the language server, the benchmarks and the integration tests build
// on, and nothing else (`lsp/tests/facade.rs` holds every caller to that). Only `report` and
// `testing` above are public modules; a name a caller needs from another module is exported
// here, under a name that says what it is outside its module.

// A project and its scans.
pub use pipeline::{
    prepare as prepare_scan, run as scan, scan_buffer, Buffer, BufferScan, Prepared as PreparedScan, Scan, ScanOptions,
    Stage as ScanStage, Target,
};
pub use project::{ActivePolicies, PolicyChoice, Project};
pub use source::git::{Change as GitChange, ChangedFile};
pub use source::scan_root;

// The document graph.
pub use document::{pointer_push, Document, DocumentKind, LineIndex, Parsed, Position, SourceMap, Span};
pub use graph::{Edge, Graph, Relation, Resource};
pub use kinds::{detect_kind, parse as parse_as, parse_file as parse_file_as, spec as kind_spec, Detected, KindSpec};
pub use load::{load, load_texts, parse_text, LoadOptions, Loaded};
pub use parse::toml::parse as parse_toml;
pub use parse::yaml::{parse_stream as parse_yaml_stream, ScalarRules};
pub use parse::{Limits, ParseError};
pub use render::kustomize::render_dir as render_kustomization;
pub use render::{DocumentSources, RenderedObject};
pub use source::{decode as decode_contents, relative_path, Contents};

// What a scan reports.
pub use diagnostic::{Diagnostic, Level};
pub use eval::{evaluate, EvalOptions, Evaluation, DEFAULT_RULE_MEMORY_LIMIT};
pub use finding::{Finding, Location, RelatedLocation, Severity, UnknownSeverity};
pub use profile::{render as render_profile, render_stages, RuleProfile, Slowest, StageProfile};
pub use suppress::{Baseline, BaselineError, Date, Suppressed, Suppression, Suppressions};

// Secrets: the scanner, its rules, and the redactor that keeps what it finds out of any output.
pub use policy::builtin_secret_rules;
pub use policy::secret_rule::{load_rule as load_secret_rule, SecretRule};
pub use secrets::redact::Redactor;
pub use secrets::scan::SecretScanner;
pub use secrets::{scan_texts as scan_secrets, SecretScan};

// Configuration, policies and packs, for the tools of policy authors.
pub use config::{discover as discover_config, Config, PackSource, RemoteSource, CONFIG_FILE};
pub use pack_ref::PackRef;
pub use pack_tests::{run as run_pack_tests, PackTestReport};
pub use policy::explain::{document as explain_rule, RuleDoc};
pub use policy::metadata::from_rego as rule_metadata_from_rego;
pub use policy::pack::archive::{build as build_pack_archive, EXTENSION as PACK_ARCHIVE_EXTENSION};
pub use policy::pack::builtin as builtin_packs;
pub use policy::pack::cache::{
    sha256_of, BlobWriter, CacheError, PackCache, CACHE_DIR_VARIABLE, MAX_BLOB_BYTES as MAX_PACK_BLOB_BYTES,
};
pub use policy::pack::lock::{Lock as PackLock, LockEntry as PackLockEntry, RemotePin, LOCK_FILE};
pub use policy::pack::manifest::Manifest;
pub use policy::pack::signature::{
    generate as generate_pack_keys, sign as sign_pack, signature_path as pack_signature_path,
    verify as verify_pack_signature, KeyError as PackKeyError, PublicKey as PackPublicKey, SecretKey as PackSecretKey,
};
pub use policy::pack::Pack;
pub use policy::rule_error::RuleError;
pub use policy::{
    load as load_policies, load_builtin as load_builtin_policies, load_project, load_project_pinned, LoadedPolicies,
    Policies, RuleMetadata,
};
