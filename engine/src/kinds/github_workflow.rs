//! GitHub Actions workflows (`.github/workflows/*.yml`): read as YAML 1.2, so that `on:` stays a
//! key and does not become `true`; one resource per document (`workflow:<path>`).

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::Parsed;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("workflow"),
    detect,
    claim: None,
    parse,
    resources: Resources::EachStreamDocument { id_prefix: "workflow", resource_type: "workflow" },
    conftest_input: ConftestInput::EachStreamDocument,
    comment_marker: |_| Some("#"),
    highlight: |_| "yaml",
    schema: include_str!("../../../schemas/github-workflow.schema.json"),
    resource_schema: "/items",
    images: None,
    workload: None,
};

/// A YAML file directly under `.github/workflows/`.
fn detect(file: &FilePath) -> Option<Detection> {
    let mut dirs = file.dirs();
    let workflow = file.is_yaml() && matches!((dirs.next(), dirs.next()), (Some("workflows"), Some(".github")));
    workflow.then(|| Detection::of(DocumentKind::GithubWorkflow, DetectedBy::Location))
}

fn parse(_path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::yaml::parse_stream(text, parse::yaml::ScalarRules::Yaml12, limits)
}
