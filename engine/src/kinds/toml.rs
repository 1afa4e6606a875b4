//! TOML files conftest reads (`pyproject.toml`, `Cargo.toml`, `traefik.toml`, `netlify.toml`):
//! any `.toml` file but ward's own configuration (`ward.toml`, a pack's `pack.toml`), which is
//! ward's to read and report on. The document is the file's table, as conftest's TOML parser
//! gives it (dates and times as written); one resource per file (`toml:<path>`).

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::Parsed;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("TOML"),
    detect,
    claim: None,
    parse,
    resources: Resources::WholeFile { id_prefix: "toml", resource_type: "toml" },
    conftest_input: ConftestInput::Whole,
    comment_marker: |_| Some("#"),
    highlight: |_| "toml",
    schema: include_str!("../../../schemas/toml.schema.json"),
    resource_schema: "",
    images: None,
    workload: None,
};

/// ward's own configuration files, which ward reads (and reports on) as configuration.
const WARD_FILES: [&str; 2] = ["ward.toml", "pack.toml"];

fn detect(file: &FilePath) -> Option<Detection> {
    let toml = file.extension() == "toml" && !WARD_FILES.contains(&file.name.as_str());
    toml.then(|| Detection::of(DocumentKind::Toml, DetectedBy::Extension))
}

fn parse(_path: &str, text: &str, _limits: &Limits) -> Result<Parsed, ParseError> {
    parse::toml::parse(text)
}
