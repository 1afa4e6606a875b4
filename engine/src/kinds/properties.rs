//! Java `.properties` files (`application.properties`, `gradle.properties`): a flat map of
//! string values, as conftest reads them. One resource per file (`properties:<path>`).

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::Parsed;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("Java properties"),
    detect,
    claim: None,
    parse,
    resources: Resources::WholeFile { id_prefix: "properties", resource_type: "properties" },
    conftest_input: ConftestInput::Whole,
    comment_marker: |_| Some("#"),
    highlight: |_| "properties",
    schema: include_str!("../../../schemas/properties.schema.json"),
    resource_schema: "",
    images: None,
    workload: None,
};

fn detect(file: &FilePath) -> Option<Detection> {
    (file.extension() == "properties").then(|| Detection::of(DocumentKind::Properties, DetectedBy::Extension))
}

fn parse(_path: &str, text: &str, _limits: &Limits) -> Result<Parsed, ParseError> {
    parse::properties::parse(text)
}
