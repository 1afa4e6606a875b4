//! Feature-flag files (flagd/OpenFeature, Unleash, LaunchDarkly, ward's own `flags.yaml`). No
//! path names them: YAML and JSON files are claimed by their content, and normalised to one
//! shape that keeps the file's own form under `raw`, which is what conftest policies read. One
//! resource per flag (`flag:<key>@<path>`).

use serde_json::Value;

use super::{hash_unless_json, json_or, Claim, ConftestInput, Detection, DocumentKind, FilePath, KindSpec};
use super::{ResourceSlot, Resources};
use crate::document::{Document, Parsed};
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: None,
    detect,
    claim: Some(claim),
    parse,
    resources: Resources::Split(flags),
    conftest_input: ConftestInput::At("/raw"),
    comment_marker: hash_unless_json,
    highlight: |path| json_or(path, "yaml"),
    schema: include_str!("../../../schemas/feature-flags.schema.json"),
    resource_schema: "/properties/flags/items",
    images: None,
    workload: None,
};

/// Flags files are YAML or JSON files like any other; their content tells.
fn detect(_file: &FilePath) -> Option<Detection> {
    None
}

fn parse(path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::flags::parse(path, text, limits)
}

/// A JSON file, or a one-document YAML file, in a feature-flag format, normalised.
fn claim(path: &str, read_as: DocumentKind, parsed: Parsed) -> Claim {
    if read_as == DocumentKind::Json {
        return match parse::flags::recognise(path, &parsed.value) {
            Some(format) => Claim::Claimed(parse::flags::normalise(format, parsed)),
            None => Claim::Declined(parsed),
        };
    }
    if read_as == DocumentKind::Yaml {
        if let Some([single]) = parsed.value.as_array().map(Vec::as_slice) {
            if let Some(format) = parse::flags::recognise(path, single) {
                let raw = Parsed { value: single.clone(), source_map: parsed.source_map.sub_map("/0") };
                return Claim::Claimed(parse::flags::normalise(format, raw));
            }
        }
    }
    Claim::Declined(parsed)
}

/// One resource per flag with a key.
fn flags(document: &Document) -> Vec<ResourceSlot> {
    let flags = document.value.get("flags").and_then(Value::as_array).into_iter().flatten().enumerate();
    flags
        .filter_map(|(index, flag)| {
            let key = flag.get("key")?.as_str()?;
            Some(ResourceSlot {
                pointer: format!("/flags/{index}"),
                id: format!("flag:{key}@{}", document.path),
                resource_type: "feature-flag".to_owned(),
                name: Some(key.to_owned()),
            })
        })
        .collect()
}
