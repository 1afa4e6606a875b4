//! conftest compatibility: existing conftest policy directories run unchanged. conftest's
//! semantics — namespaces, `deny`/`violation`/`warn` rules and their prefixed variants,
//! `exception` rules, bare boolean results, `{msg, …}` objects, and how conftest counts tests —
//! live in [`check`]; [`scan`] runs them over the documents of a `ward scan`.

pub mod check;
pub mod input;
pub mod output;
pub mod runner;
pub(crate) mod scan;
