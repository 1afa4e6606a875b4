//! What the editor's settings ask of the server, given on `ward lsp`'s command line: the
//! policies to evaluate instead of the project's packs, and the severity below which findings
//! are not shown. They apply to every workspace the server opens.

use std::path::PathBuf;

use ward_engine::Severity;

/// The server's options; the default is what `ward scan` does with no flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Policy files, directories or packs (`--policy`), relative to each workspace's root when
    /// relative. Empty: the project's packs, else the built-in ones.
    pub policies: Vec<PathBuf>,
    /// Findings below this severity are not published (`--severity-threshold`).
    pub threshold: Severity,
}

impl Default for Options {
    fn default() -> Options {
        Options { policies: Vec::new(), threshold: Severity::Info }
    }
}
