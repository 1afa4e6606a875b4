//! Terraform: `.tf` and `.tfvars` files and their JSON forms. Its blocks become resources in
//! the graph, grouped by module directory with the variable files that apply to them
//! ([`crate::graph`]), so that a block's `config` is resolved per environment.

use super::{
    hash_unless_json, json_or, ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources,
};
use crate::document::Parsed;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("Terraform"),
    detect,
    claim: None,
    parse,
    resources: Resources::AcrossDocuments,
    conftest_input: ConftestInput::Whole,
    comment_marker: hash_unless_json,
    highlight: |path| json_or(path, "hcl"),
    schema: include_str!("../../../schemas/terraform.schema.json"),
    resource_schema: "/$defs/block",
    images: None,
    workload: None,
};

fn detect(file: &FilePath) -> Option<Detection> {
    let name = file.name.as_str();
    let terraform = [".tf", ".tfvars", ".tf.json", ".tfvars.json"].iter().any(|suffix| name.ends_with(suffix));
    terraform.then(|| Detection::of(DocumentKind::Terraform, DetectedBy::Name))
}

fn parse(_path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::terraform::parse(text, limits)
}
