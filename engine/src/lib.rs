//! ward's engine: everything ward does, as a library. The CLI and the language server are two
//! callers of this API; nothing here touches a terminal or exits the process.
//!
//! The data flows one way: [`source`] finds and reads files, [`parse`] turns each into a
//! [`Document`], and [`graph`] joins them into one [`Graph`] of resources and edges. [`load`]
//! runs those steps over a tree and collects a [`Diagnostic`] for every file it could not use.

pub mod config;
pub mod conftest;
pub mod date;
pub mod diagnostic;
pub mod document;
pub mod environment;
pub mod eval;
pub mod finding;
pub mod graph;
pub mod kinds;
pub mod load;
pub(crate) mod memory_budget;
pub mod pack_ref;
pub mod pack_tests;
pub mod parse;
pub mod pipeline;
pub mod policy;
pub mod profile;
pub mod project;
pub mod render;
pub mod report;
pub(crate) mod schema;
pub mod secrets;
pub mod source;
pub mod suppress;

// The façade: what the CLI and the language server build on. The language server uses nothing
// else (a test in `lsp/` holds it to that); the modules above stay public for the CLI, the
// benchmarks and the integration tests, until they too use only these names.

// A project and its scans.
pub use pipeline::{run as scan, scan_buffer, Buffer, BufferScan, Scan, ScanOptions, Target};
pub use project::{ActivePolicies, PolicyChoice, Project};
pub use secrets::scan::SecretScanner;

// The document graph.
pub use document::{pointer_push, Document, DocumentKind, LineIndex, Parsed, Position, SourceMap, Span};
pub use graph::{Edge, Graph, Relation, Resource};
pub use kinds::{detect_kind, spec as kind_spec, Detected, KindSpec};
pub use load::{load, load_texts, parse_text, LoadOptions, Loaded};
pub use parse::yaml::{parse_stream as parse_yaml_stream, ScalarRules};
pub use parse::Limits;
pub use source::{relative_path, Contents};

// What a scan reports.
pub use diagnostic::{Diagnostic, Level};
pub use eval::{EvalOptions, DEFAULT_RULE_MEMORY_LIMIT};
pub use finding::{Finding, Location, RelatedLocation, Severity};
pub use suppress::Suppressions;

// Configuration, policies and packs, for the tools of policy authors.
pub use config::{discover as discover_config, Config, CONFIG_FILE};
pub use pack_ref::PackRef;
pub use pack_tests::{run as run_pack_tests, PackTestReport};
pub use policy::explain::document as explain_rule;
pub use policy::metadata::from_rego as rule_metadata_from_rego;
pub use policy::pack::manifest::Manifest;
pub use policy::pack::Pack;
pub use policy::rule_error::RuleError;
pub use policy::{load_project, LoadedPolicies, Policies, RuleMetadata};
