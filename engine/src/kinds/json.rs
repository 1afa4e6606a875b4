//! Generic JSON: any `.json` file no other kind claims by its path. Like YAML, its content may
//! make it a Kubernetes object or a feature-flag file ([`super::refine`]); otherwise it is one
//! resource (`json:<path>`) holding the file's value.

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::Parsed;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("JSON"),
    detect,
    claim: None,
    parse,
    resources: Resources::WholeFile { id_prefix: "json", resource_type: "json" },
    conftest_input: ConftestInput::Whole,
    comment_marker: |_| None,
    highlight: |_| "json",
    schema: include_str!("../../../schemas/json.schema.json"),
    resource_schema: "",
    images: None,
    workload: None,
};

fn detect(file: &FilePath) -> Option<Detection> {
    (file.extension() == "json").then(|| Detection::of(DocumentKind::Json, DetectedBy::Extension))
}

fn parse(_path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::yaml::parse_json(text, limits)
}
