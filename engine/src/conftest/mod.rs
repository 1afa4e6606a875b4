//! conftest compatibility: existing conftest policy directories run unchanged. conftest's
//! semantics — namespaces, `deny`/`violation`/`warn` rules and their prefixed variants,
//! `exception` rules, bare boolean results, `{msg, …}` objects, and how conftest counts tests —
//! live in [`check`]; [`scan`] runs them over the documents of a `ward scan`.

pub(crate) mod check;
pub(crate) mod input;
pub(crate) mod output;
pub(crate) mod runner;
pub(crate) mod scan;
pub(crate) mod trace;

// What `ward conftest` builds on.
pub use check::CheckResult;
pub use input::Parser;
pub use output::gojson::{encode as encode_go_json, sorted as sorted_go_json};
pub use output::{render, Format, Options};
pub use runner::{
    input_files, parse_files, parse_output, test, unknown_parser, verify, Loaded, RunError, RunOptions, TestOptions,
};
pub use trace::QueryTrace;
