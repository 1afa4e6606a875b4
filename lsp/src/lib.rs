//! ward's language server: `ward lsp`. Built on `lsp-server` and `lsp-types` with a synchronous
//! main loop ([`server`]), the model of rust-analyzer and ruff: every message is handled in
//! order on one thread that owns the state, so an edit is never raced by a request about it.
//!
//! Two audiences, one engine:
//! - policy authors (`.rego`, `*.cel.yaml`, `pack.toml`, `ward.toml`): compile errors at their
//!   exact range, completion of `input.object.…`/`object.…` paths from the schemas of the rule's
//!   kinds, hover for built-ins, paths and rule ids, goto definition, document symbols, and the
//!   `ward.runTests` command ([`policy`], [`rego_index`], [`paths`], [`builtins`]);
//! - config authors (Dockerfiles, Terraform, Kubernetes YAML, `.env`, workflows): the active
//!   packs' findings on the buffer as diagnostics, the rule's documentation on hover, and a quick
//!   fix that inserts a `ward:ignore` comment ([`workspace`]).
//!
//! One file per LSP method, under [`methods`].

pub mod builtins;
pub mod files;
pub mod methods;
pub mod options;
pub mod paths;
pub mod policy;
pub mod pool;
pub mod position;
pub mod rego_index;
pub mod rules;
pub mod server;
pub mod state;
pub mod transport;
pub mod workspace;

pub use options::Options;
pub use server::{run, run_stdio, run_with};

/// Why the server stopped other than by the client's `shutdown` and `exit`.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("the LSP connection failed: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    #[error("the LSP connection's input or output failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot encode a message: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the client went away")]
    Disconnected,
}
