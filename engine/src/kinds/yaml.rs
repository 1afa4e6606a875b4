//! Generic YAML: any `.yaml`/`.yml` file no other kind claims by its path. Its content decides
//! what it is ([`super::refine`]): Kubernetes manifests and feature-flag files are claimed by
//! their kinds, the rest stays `yaml`, one resource per document (`yaml:<path>`) for the rules
//! (conftest's, mostly) that ask for it. Helm chart templates look like YAML and are not; nor
//! is any other template (`{{ }}`): one that does not parse is not judged ([`unparsed`]).

use super::{ConftestInput, Detected, DetectedBy, Detection, FilePath, KindSpec, Resources, Unparsed};
use crate::document::Parsed;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("YAML"),
    detect,
    claim: None,
    parse,
    resources: Resources::EachStreamDocument { id_prefix: "yaml", resource_type: "yaml" },
    conftest_input: ConftestInput::EachStreamDocument,
    comment_marker: |_| Some("#"),
    highlight: |_| "yaml",
    schema: include_str!("../../../schemas/yaml.schema.json"),
    resource_schema: "/items",
    images: None,
    workload: None,
};

fn detect(file: &FilePath) -> Option<Detection> {
    file.is_yaml().then_some(Detection { by: DetectedBy::Extension, detected: Detected::YamlStream })
}

/// Read as YAML 1.1, as Kubernetes tools read manifests.
fn parse(_path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::yaml::parse_stream(text, parse::yaml::ScalarRules::Yaml11, limits)
}

/// Helm chart templates are Go templates, not YAML: they live under `templates/` and contain
/// `{{`. ward skips them with a note rather than reporting them as broken YAML.
pub(crate) fn is_helm_template(path: &str, text: &str) -> bool {
    path.split('/').rev().skip(1).any(|dir| dir == "templates") && text.contains("{{")
}

/// What a YAML file that does not parse is: ward's when its name or text says so (a
/// kustomization, a flags file, a manifest) — unless it is a template, whose `{{ }}` directives
/// are what does not parse — else not judged.
pub(super) fn unparsed(path: &str, text: &str) -> Unparsed {
    if super::ours_by_name(path) {
        return Unparsed::Ours;
    }
    if has_template_directives(text) {
        return Unparsed::NotJudged(Some("a template (contains `{{`)"));
    }
    match super::shows_a_kubernetes_object(text) {
        true => Unparsed::Ours,
        false => Unparsed::NotJudged(None),
    }
}

/// Whether a text holds a `{{` that is not a GitHub Actions expression (`${{`).
fn has_template_directives(text: &str) -> bool {
    text.match_indices("{{").any(|(at, _)| !text.get(..at).is_some_and(|before| before.ends_with('$')))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `is_helm_template`.
    #[test]
    fn is_helm_template_example() {
        use crate::source::is_helm_template;
        assert!(is_helm_template("charts/shop/templates/deployment.yaml", "image: {{ .Values.image }}"));
        assert!(!is_helm_template("deploy/deployment.yaml", "image: {{ .Values.image }}"));
    }
}
