//! Rules as the editor meets them: a rule id under the cursor (in a `ward:ignore` comment, in
//! `ward.toml`, in a policy), the rule's documentation — the text `ward explain` prints, written
//! once in the engine — and where a rule is defined; and the kinds a policy file's rule
//! applies to, read from its metadata even while the rest of the file does not compile.

use std::path::{Path, PathBuf};

use lsp_types::{Location, Range, Url};
use ward_engine::DocumentKind;
use ward_engine::Limits;
use ward_engine::Pack;
use ward_engine::{explain_rule, Policies};
use ward_engine::{parse_yaml_stream as parse_stream, ScalarRules};

use crate::files::Role;
use crate::position::{Encoding, Text};

/// The rule id (`K8S-002`, `K8S-PRIV-001`) around byte `at` of `line`, with its byte range.
///
/// ```
/// assert_eq!(ward_lsp::rules::rule_id_at("# ward:ignore BASICS-003 -- fine", 18), Some(("BASICS-003".into(), 14, 24)));
/// assert_eq!(ward_lsp::rules::rule_id_at("image: nginx", 3), None);
/// ```
pub fn rule_id_at(line: &str, at: usize) -> Option<(String, usize, usize)> {
    let is_id_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let at = at.min(line.len());
    let start = line.get(..at)?.rfind(|c: char| !is_id_char(c)).map_or(0, |i| i + 1);
    let rest = line.get(at..)?;
    let end = at + rest.find(|c: char| !is_id_char(c)).unwrap_or(rest.len());
    let id = line.get(start..end)?.trim_matches('-');
    let looks_like_id = id.contains('-')
        && id.starts_with(|c: char| c.is_ascii_uppercase())
        && id.chars().all(|c| !c.is_ascii_lowercase())
        && id.ends_with(|c: char| c.is_ascii_digit());
    looks_like_id.then(|| (id.to_owned(), start, start + id.len()))
}

/// The documentation of rule `id`, as `ward explain` prints it.
pub fn documentation(policies: &Policies, packs: &[Pack], id: &str) -> Option<String> {
    explain_rule(policies, packs, id).map(|doc| doc.markdown())
}

/// The kinds the rule in a policy file applies to (empty: every kind, or not known).
pub fn kinds_of(role: Role, path: &Path, text: &str) -> Vec<DocumentKind> {
    match role {
        Role::Rego => {
            // The metadata block is read on its own: it does not need the module to compile.
            let shown = path.to_string_lossy();
            ward_engine::rule_metadata_from_rego(&shown, text).map(|rule| rule.kinds).unwrap_or_default()
        }
        Role::Cel => {
            let Ok(parsed) = parse_stream(text, ScalarRules::Yaml12, &Limits::default()) else { return Vec::new() };
            let kinds = parsed.value.pointer("/0/kinds").and_then(serde_json::Value::as_array).cloned();
            kinds.into_iter().flatten().filter_map(|kind| DocumentKind::from_name(kind.as_str()?)).collect()
        }
        _ => Vec::new(),
    }
}

/// Where rule `id` is defined, if its file is on disk: the line of its id in the rule's file.
/// `file_of` turns a rule's path as the engine gives it into a file.
pub fn definition(
    policies: &Policies,
    id: &str,
    file_of: impl Fn(&str) -> Option<PathBuf>,
    encoding: Encoding,
) -> Option<Location> {
    let (_, shown) = policies.rules().find(|(rule, _)| rule.id == id)?;
    let file = file_of(shown).filter(|file| file.is_file())?;
    let text = Text::new(std::fs::read_to_string(&file).ok()?);
    let at = text.text.find(id).unwrap_or(0);
    let range = text.range(at, at + id.len(), encoding);
    Some(Location { uri: Url::from_file_path(&file).ok()?, range })
}

/// A range on one line, for byte offsets within that line.
pub fn line_range(text: &Text, line: u32, start: usize, end: usize, encoding: Encoding) -> Range {
    let line_start = text.lines.line_start(line.saturating_add(1)).unwrap_or(text.text.len());
    text.range(line_start + start, line_start + end, encoding)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn kinds_are_read_from_either_language_even_when_the_rest_is_broken() {
        let rego = "# METADATA\n# title: t\n# custom:\n#   id: T-1\n#   severity: low\n#   kinds: [dockerfile, kubernetes]\npackage ward.t\n\ndeny contains x if {\n  input.object.\n";
        let kinds = kinds_of(Role::Rego, Path::new("t.rego"), rego);
        assert_eq!(kinds, [DocumentKind::Dockerfile, DocumentKind::Kubernetes]);
        let cel = "id: T-2\nseverity: low\nkinds: [dotenv]\nvalidations:\n  - expression: object.\n";
        assert_eq!(kinds_of(Role::Cel, Path::new("t.cel.yaml"), cel), [DocumentKind::Dotenv]);
    }

    #[test]
    fn rule_ids_are_told_apart_from_other_words() {
        let cases = [
            ("[rules.BASICS-003]", 9, Some("BASICS-003")),
            ("id: K8S-PRIV-001", 6, Some("K8S-PRIV-001")),
            ("kind: Deployment", 8, None),
            ("name: my-app-1", 8, None),
            ("x := data.ward.graph", 6, None),
        ];
        for (line, at, expected) in cases {
            assert_eq!(rule_id_at(line, at).map(|(id, _, _)| id).as_deref(), expected, "{line}");
        }
    }
}
