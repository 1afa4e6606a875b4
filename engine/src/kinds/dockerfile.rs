//! Dockerfiles and Containerfiles: one resource per file (`docker:<path>`), its stages and
//! instructions as the parser lays them out, with every `RUN`'s commands, each stage's parent
//! and base image, and the chain of stages the final image is made of.

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::Parsed;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("Dockerfile"),
    detect,
    claim: None,
    parse,
    resources: Resources::WholeFile { id_prefix: "docker", resource_type: "dockerfile" },
    conftest_input: ConftestInput::Whole,
    comment_marker: |_| Some("#"),
    highlight: |_| "dockerfile",
    schema: include_str!("../../../schemas/dockerfile.schema.json"),
    resource_schema: "",
    images: None,
    workload: None,
};

/// `Dockerfile`, `Dockerfile.dev`, `api.dockerfile`, `Containerfile`, `Containerfile.ci`.
fn detect(file: &FilePath) -> Option<Detection> {
    let name = file.name.as_str();
    let dockerfile = name == "dockerfile"
        || name.starts_with("dockerfile.")
        || name.ends_with(".dockerfile")
        || name == "containerfile"
        || name.starts_with("containerfile.");
    dockerfile.then(|| Detection::of(DocumentKind::Dockerfile, DetectedBy::Name))
}

fn parse(_path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::dockerfile::parse(text, limits)
}
