//! Generic JSON: any `.json` file no other kind claims by its path. Like YAML, its content may
//! make it a Kubernetes object or a feature-flag file ([`super::refine`]); otherwise it is one
//! resource (`json:<path>`) holding the file's value, seen only by the rules that ask for
//! `json`. One that does not parse is not judged unless it shows one of ward's kinds
//! ([`unparsed`]): most JSON in a repository is a tool's configuration, and much of it is
//! JSON with comments (`tsconfig.json`, `.vscode/settings.json`, `devcontainer.json`).

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources, Unparsed};
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

/// What a `.json` file that does not parse is: ward's when its name or text says so, else not
/// judged — and said to be JSON with comments when a line starts one, as JSONC files do.
pub(super) fn unparsed(path: &str, text: &str) -> Unparsed {
    if super::ours_by_name(path) || super::shows_a_kubernetes_object(text) {
        return Unparsed::Ours;
    }
    let commented = text.lines().map(str::trim_start).any(|line| line.starts_with("//") || line.starts_with("/*"));
    Unparsed::NotJudged(commented.then_some("JSON with comments"))
}
