//! INI files, by conftest's name for them: `.ini` (`php.ini`, `grafana.ini`, `tox.ini`,
//! `my.ini`). conftest picks its parser by extension alone, so `.cfg` and `.conf` files are not
//! read as INI: many are not (nginx, Apache). The document is conftest's shape — sections of
//! typed keys, keys before the first section left out; one resource per file (`ini:<path>`).

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::Parsed;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("INI"),
    detect,
    claim: None,
    parse,
    resources: Resources::WholeFile { id_prefix: "ini", resource_type: "ini" },
    conftest_input: ConftestInput::Whole,
    comment_marker: |_| Some(";"),
    highlight: |_| "ini",
    schema: include_str!("../../../schemas/ini.schema.json"),
    resource_schema: "",
    images: None,
    workload: None,
};

fn detect(file: &FilePath) -> Option<Detection> {
    (file.extension() == "ini").then(|| Detection::of(DocumentKind::Ini, DetectedBy::Extension))
}

fn parse(_path: &str, text: &str, _limits: &Limits) -> Result<Parsed, ParseError> {
    parse::ini::parse(text)
}
