//! What an open file is to ward, from its name: a policy (Rego or CEL), a pack manifest, the
//! project configuration, a file ward scans, or nothing ward knows.

use ward_engine::{detect_kind, Detected};

/// What a file is to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Rego,
    Cel,
    /// `pack.toml`.
    PackManifest,
    /// `ward.toml`.
    Config,
    /// A file ward scans; its kind as far as its path tells.
    Target(Detected),
    Other,
}

impl Role {
    pub fn is_policy(self) -> bool {
        matches!(self, Role::Rego | Role::Cel)
    }
}

/// The role of the file at `path` (any path; only its name matters).
///
/// ```
/// use ward_lsp::files::{role_of, Role};
/// assert_eq!(role_of("policy/rules/k8s.cel.yaml"), Role::Cel);
/// assert_eq!(role_of("/repo/ward.toml"), Role::Config);
/// assert!(matches!(role_of("deploy/app.yaml"), Role::Target(_)));
/// assert_eq!(role_of("README.md"), Role::Other);
/// ```
pub fn role_of(path: &str) -> Role {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if name.ends_with(".rego") {
        Role::Rego
    } else if name.ends_with(".cel.yaml") || name.ends_with(".cel.yml") {
        Role::Cel
    } else if name == "pack.toml" {
        Role::PackManifest
    } else if name == ward_engine::CONFIG_FILE {
        Role::Config
    } else {
        match detect_kind(path) {
            Detected::Unknown => Role::Other,
            detected => Role::Target(detected),
        }
    }
}
