//! XML files (`pom.xml`, `web.config`-style `.xml`, Spring contexts): any `.xml` file, as
//! conftest reads it — an object of the root element, attributes as `-name`, text as
//! `#content`, repeated children as arrays. One resource per file (`xml:<path>`). XML has no
//! line comment, so a finding in it cannot be suppressed by a comment.

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::Parsed;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("XML"),
    detect,
    claim: None,
    parse,
    resources: Resources::WholeFile { id_prefix: "xml", resource_type: "xml" },
    conftest_input: ConftestInput::Whole,
    comment_marker: |_| None,
    highlight: |_| "xml",
    schema: include_str!("../../../schemas/xml.schema.json"),
    resource_schema: "",
    images: None,
    workload: None,
};

fn detect(file: &FilePath) -> Option<Detection> {
    (file.extension() == "xml").then(|| Detection::of(DocumentKind::Xml, DetectedBy::Extension))
}

fn parse(_path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::xml::parse(text, limits.max_depth)
}
