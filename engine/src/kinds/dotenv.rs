//! `.env` files: `.env`, `.env.production`, `app.env`. One resource per file (`env:<path>`).

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::Parsed;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("env"),
    detect,
    claim: None,
    parse,
    resources: Resources::WholeFile { id_prefix: "env", resource_type: "env-file" },
    conftest_input: ConftestInput::Whole,
    comment_marker: |_| Some("#"),
    highlight: |_| "sh",
    schema: include_str!("../../../schemas/dotenv.schema.json"),
    resource_schema: "",
    images: None,
    workload: None,
};

fn detect(file: &FilePath) -> Option<Detection> {
    let name = file.name.as_str();
    let dotenv = name == ".env" || name.starts_with(".env.") || (name.ends_with(".env") && name.len() > 4);
    dotenv.then(|| Detection::of(DocumentKind::Dotenv, DetectedBy::Name))
}

fn parse(_path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::dotenv::parse(text, limits)
}
