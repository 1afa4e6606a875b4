//! ward's engine: everything ward does, as a library. The CLI and the language server are two
//! callers of this API; nothing here touches a terminal or exits the process.
//!
//! The data flows one way: [`source`] finds and reads files, [`parse`] turns each into a
//! [`Document`], and [`graph`] joins them into one [`Graph`] of resources and edges. [`load`]
//! runs those steps over a tree and collects a [`Diagnostic`] for every file it could not use.

pub mod config;
pub mod diagnostic;
pub mod document;
pub mod environment;
pub mod eval;
pub mod finding;
pub mod graph;
pub mod kinds;
pub mod load;
pub mod pack_tests;
pub mod parse;
pub mod pipeline;
pub mod policy;
pub mod profile;
pub mod project;
pub mod report;
pub(crate) mod schema;
pub mod secrets;
pub mod source;
pub mod suppress;

pub use diagnostic::{Diagnostic, Level};
pub use document::{Document, DocumentKind, Parsed, SourceMap, Span};
pub use graph::{Edge, Graph, Relation, Resource};
pub use load::{load, load_texts, LoadOptions, Loaded};
pub use pipeline::{scan_buffer, Buffer, BufferScan, ScanOptions};
pub use project::{PolicyChoice, Project};
