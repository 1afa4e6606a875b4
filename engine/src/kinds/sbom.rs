//! Software bills of materials in JSON: CycloneDX (`"bomFormat": "CycloneDX"`) and SPDX (a
//! top-level `spdxVersion`). No name marks them (`bom.json`, `sbom.cdx.json`,
//! `app.spdx.json`…), so JSON files are claimed by their content. The document is the file's
//! value, as conftest's JSON parser gives it; one resource per file (`sbom:<path>`).

use serde_json::Value;

use super::{Claim, ConftestInput, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::Parsed;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: None,
    detect,
    claim: Some(claim),
    parse,
    resources: Resources::WholeFile { id_prefix: "sbom", resource_type: "sbom" },
    conftest_input: ConftestInput::Whole,
    comment_marker: |_| None,
    highlight: |_| "json",
    schema: include_str!("../../../schemas/sbom.schema.json"),
    resource_schema: "",
    images: None,
    workload: None,
};

/// SBOMs are JSON files like any other; their content tells.
fn detect(_file: &FilePath) -> Option<Detection> {
    None
}

fn parse(_path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::yaml::parse_json(text, limits)
}

/// The SBOM format of a JSON value, if it is one.
fn format_of(value: &Value) -> Option<&'static str> {
    if value.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        return Some("CycloneDX");
    }
    value.get("spdxVersion").and_then(Value::as_str).map(|_| "SPDX")
}

fn claim(_path: &str, read_as: DocumentKind, parsed: Parsed) -> Claim {
    match read_as == DocumentKind::Json && format_of(&parsed.value).is_some() {
        true => Claim::Claimed(parsed),
        false => Claim::Declined(parsed),
    }
}
