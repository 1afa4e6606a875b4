//! Rule metadata from a Rego file's `# METADATA` block, in the style of Trivy's checks:
//!
//! ```rego
//! # METADATA
//! # title: Containers run as a non-root user
//! # description: A container running as root can take over its node.
//! # related_resources:
//! #   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
//! # custom:
//! #   id: K8S-001
//! #   severity: high
//! #   kinds: [kubernetes]
//! #   remediation: Set securityContext.runAsNonRoot to true.
//! package ward.k8s.non_root
//! ```
//!
//! regorus treats these blocks as plain comments and has no `rego.metadata.rule()`, so ward
//! reads them itself — with its own span-keeping YAML reader, so that a problem in the block is
//! reported at its line and column in the `.rego` file.

use serde_json::Value;

use super::builtin_documents;
use super::metadata_block::{rule_block, Block};
use super::{RuleMetadata, RuleScope};
use crate::diagnostic::Diagnostic;
use crate::document::{DocumentKind, LineIndex, Parsed, Position, SourceMap};
use crate::parse::yaml::{parse_stream, ScalarRules};
use crate::parse::Limits;

/// Where a position in a block's YAML is in the Rego file.
fn position_in_file(block: &Block, yaml_position: Position) -> Position {
    let index = usize::try_from(yaml_position.line.saturating_sub(1)).unwrap_or(0);
    match block.origins.get(index) {
        Some(&(line, prefix)) => Position { line, column: yaml_position.column + prefix },
        None => Position { line: block.marker_line, column: 1 },
    }
}

/// Reads the metadata of a one-rule Rego file: the `# METADATA` block just before its `package`
/// (or, with no package line yet, the first block).
///
/// ```
/// use ward_engine::rule_metadata_from_rego;
/// use ward_engine::Severity;
/// let rego = "# METADATA\n# title: Images are pinned\n# custom:\n#   id: IMG-001\n#   severity: HIGH\n#   kinds: [kubernetes, compose]\npackage ward.images\n";
/// let rule = rule_metadata_from_rego("rules/images.rego", rego).unwrap();
/// assert_eq!((rule.id.as_str(), rule.severity, rule.kinds.len()), ("IMG-001", Severity::High, 2));
///
/// let missing = rule_metadata_from_rego("rules/x.rego", "# METADATA\n# title: x\n# custom:\n#   severity: low\npackage x\n").unwrap_err();
/// assert_eq!((missing.position.map(|p| p.line), missing.message.as_str()), (Some(3), "the rule's metadata has no `custom.id`"));
/// ```
pub fn from_rego(path: &str, text: &str) -> Result<RuleMetadata, Diagnostic> {
    let block = rule_block(text).map_err(|package_line| {
        let position = Position { line: package_line.unwrap_or(1), column: 1 };
        let message = "no `# METADATA` block before `package`: a ward rule declares its `custom.id`, `custom.severity` and `custom.kinds` there";
        Diagnostic::at_position(path, position, message)
    })?;
    let parsed = match builtin_documents::parsed(path, text) {
        Some(document) => Parsed { value: Value::Array(vec![document]), source_map: SourceMap::new() },
        None => parse_stream(&block.yaml, ScalarRules::Yaml12, &Limits::default()).map_err(|e| {
            let yaml_position = LineIndex::new(&block.yaml).position(&block.yaml, e.span.start);
            Diagnostic::at_position(
                path.to_owned(),
                position_in_file(&block, yaml_position),
                format!("in `# METADATA`: {}", e.message),
            )
        })?,
    };
    let locator = Locator {
        path,
        text: &block.yaml,
        lines: LineIndex::new(&block.yaml),
        source_map: &parsed.source_map,
        fallback: Position { line: block.marker_line, column: 1 },
        to_file: &|position| position_in_file(&block, position),
    };
    let document = parsed.value.get(0).cloned().unwrap_or(Value::Null);
    let mut references: Vec<String> = Vec::new();
    for entry in document.get("related_resources").and_then(Value::as_array).into_iter().flatten() {
        references.extend(entry.as_str().or_else(|| entry.get("ref").and_then(Value::as_str)).map(str::to_owned));
    }
    let mut metadata = from_document(&document, "/custom", &locator)?;
    references.append(&mut metadata.references);
    metadata.references = references;
    Ok(metadata)
}

/// Where the values of a parsed metadata document are in the policy file, for errors.
pub(crate) struct Locator<'a> {
    /// The policy file.
    pub path: &'a str,
    /// The YAML text that was parsed (for Rego, the comment block without its `# `).
    pub text: &'a str,
    pub lines: LineIndex,
    /// The source map of the parsed stream: pointers start with the document index, `/0/…`.
    pub source_map: &'a SourceMap,
    /// Where to point when nothing more precise is known.
    pub fallback: Position,
    /// From a position in `text` to a position in the policy file.
    pub to_file: &'a dyn Fn(Position) -> Position,
}

impl<'a> Locator<'a> {
    /// A locator for a whole YAML rule file (CEL and secret rules): positions in `text` are the
    /// file's own, and a problem with no better place is at its start.
    pub(crate) fn whole_file(path: &'a str, text: &'a str, source_map: &'a SourceMap) -> Locator<'a> {
        let lines = LineIndex::new(text);
        Locator { path, text, lines, source_map, fallback: Position { line: 1, column: 1 }, to_file: &same_position }
    }
}

fn same_position(position: Position) -> Position {
    position
}

/// Parses a YAML rule file (CEL and secret rules), or says where it does not parse.
pub(crate) fn parse_rule_file(path: &str, text: &str) -> Result<Parsed, Diagnostic> {
    parse_stream(text, ScalarRules::Yaml12, &Limits::default()).map_err(|e| {
        Diagnostic::at_position(path.to_owned(), LineIndex::new(text).position(text, e.span.start), e.message)
    })
}

/// [`parse_rule_file`] for what only reads a rule file's values (secret rules, and the metadata
/// of a CEL rule that waits for its kinds): a built-in file as it was built comes from the
/// build-time parse ([`builtin_documents`]), with no source map — a built-in file has no
/// problem to place, as ward's tests load every one of them with every check.
pub(crate) fn read_rule_file(path: &str, text: &str) -> Result<Parsed, Diagnostic> {
    match builtin_documents::parsed(path, text) {
        Some(document) => Ok(Parsed { value: Value::Array(vec![document]), source_map: SourceMap::new() }),
        None => parse_rule_file(path, text),
    }
}

impl Locator<'_> {
    /// Where the value at `pointer` (relative to the document), or its nearest ancestor, is.
    pub(crate) fn value(&self, pointer: &str) -> Position {
        let pointer = format!("/0{pointer}");
        match self.source_map.lookup(&pointer) {
            // Missing everywhere down to the document itself: the block as a whole is at fault.
            Some((found, span)) if found.len() > "/0".len() => {
                (self.to_file)(self.lines.position(self.text, span.start))
            }
            _ => self.fallback,
        }
    }

    /// Where the key of the member at `pointer` is written (`custom:`), for what is missing in it.
    pub(crate) fn key(&self, pointer: &str) -> Position {
        match self.source_map.key(&format!("/0{pointer}")) {
            Some(span) => (self.to_file)(self.lines.position(self.text, span.start)),
            None => self.value(pointer),
        }
    }

    pub(crate) fn error(&self, position: Position, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at_position(self.path.to_owned(), position, message.into())
    }
}

/// Reads a rule's metadata from a YAML document: `title` and `description` at the top, the
/// rest (`id`, `severity`, `kinds`, `types`, `scope`, `remediation`, `references`) under `fields` —
/// `/custom` for Rego `# METADATA`, the top level (``) for CEL rule files.
pub(crate) fn from_document(document: &Value, fields: &str, at: &Locator) -> Result<RuleMetadata, Diagnostic> {
    let text_at = |pointer: &str| document.pointer(pointer).and_then(Value::as_str).map(str::to_owned);
    let field = |name: &str| format!("{fields}/{name}");
    // How a field is named in messages: `custom.id` in Rego metadata, `id` in a CEL rule file.
    let shown = |name: &str| match fields.trim_start_matches('/') {
        "" => name.to_owned(),
        parent => format!("{}.{name}", parent.replace('/', ".")),
    };
    let missing = |name: &str| at.error(at.key(fields), format!("the rule's metadata has no `{}`", shown(name)));
    let id = text_at(&field("id")).ok_or_else(|| missing("id"))?;
    let severity = text_at(&field("severity"))
        .ok_or_else(|| missing("severity"))?
        .parse()
        .map_err(|e: crate::finding::UnknownSeverity| at.error(at.value(&field("severity")), e.to_string()))?;
    let kinds = match document.pointer(&field("kinds")) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(names)) => names
            .iter()
            .enumerate()
            .map(|(index, name)| {
                name.as_str().and_then(DocumentKind::from_name).ok_or_else(|| {
                    let names: Vec<&str> = DocumentKind::ALL.iter().map(|k| k.name()).collect();
                    at.error(
                        at.value(&format!("{}/{index}", field("kinds"))),
                        format!("unknown kind {name}; expected one of {}", names.join(", ")),
                    )
                })
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(at.error(at.value(&field("kinds")), format!("`{}` must be a list of kinds", shown("kinds"))))
        }
    };
    let types = match document.pointer(&field("types")) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(names)) => names
            .iter()
            .enumerate()
            .map(|(index, name)| {
                name.as_str().map(str::to_owned).ok_or_else(|| {
                    let message = format!("`{}` must be a list of resource type names", shown("types"));
                    at.error(at.value(&format!("{}/{index}", field("types"))), message)
                })
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            let message = format!("`{}` must be a list of resource type names", shown("types"));
            return Err(at.error(at.value(&field("types")), message));
        }
    };
    let scope = match text_at(&field("scope")).as_deref() {
        None | Some("resource") => RuleScope::Resource,
        Some("graph") => RuleScope::Graph,
        Some(other) => {
            return Err(
                at.error(at.value(&field("scope")), format!("unknown scope `{other}`; expected `resource` or `graph`"))
            )
        }
    };
    let references = document
        .pointer(&field("references"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.as_str().map(str::to_owned))
        .collect();
    Ok(RuleMetadata {
        title: text_at("/title").unwrap_or_else(|| id.clone()),
        id,
        severity,
        kinds,
        types,
        scope,
        description: text_at("/description").unwrap_or_default(),
        remediation: text_at(&field("remediation")).unwrap_or_default(),
        references,
        pack: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    const FULL: &str = "# Leading comment, not metadata.\n\n# METADATA\n# title: Containers run as non-root\n# description: Root in a container is root on the node.\n# related_resources:\n#   - https://example.com/pss\n#   - ref: https://example.com/cis\n# custom:\n#   id: K8S-001\n#   severity: High\n#   kinds: [kubernetes]\n#   scope: resource\n#   remediation: Set runAsNonRoot.\npackage ward.k8s.non_root\n\nimport rego.v1\n";

    #[test]
    fn full_metadata_is_read() {
        let rule = from_rego("r.rego", FULL).unwrap();
        assert_eq!(rule.id, "K8S-001");
        assert_eq!(rule.title, "Containers run as non-root");
        assert_eq!(rule.severity, Severity::High);
        assert_eq!(rule.kinds, vec![DocumentKind::Kubernetes]);
        assert_eq!(rule.scope, RuleScope::Resource);
        assert_eq!(rule.remediation, "Set runAsNonRoot.");
        assert_eq!(rule.references, vec!["https://example.com/pss", "https://example.com/cis"]);
    }

    #[test]
    fn problems_are_reported_at_their_line_and_column() {
        let with = |custom: &str| format!("# METADATA\n# title: t\n# custom:\n{custom}package p\n");
        let cases: &[(String, (u32, u32), &str)] = &[
            (with("#   id: X-1\n#   severity: severe\n"), (5, 15), "unknown severity `severe`"),
            (with("#   severity: low\n"), (3, 3), "no `custom.id`"),
            (with("#   id: X-1\n"), (3, 3), "no `custom.severity`"),
            ("# METADATA\n# title: t\npackage p\n".to_owned(), (1, 1), "no `custom.id`"),
            (with("#   id: X-1\n#   severity: low\n#   kinds: [kubernetes, helm]\n"), (6, 25), "unknown kind \"helm\""),
            (with("#   id: X-1\n#   severity: low\n#   scope: cluster\n"), (6, 12), "unknown scope `cluster`"),
            (with("#   id: [unclosed\n"), (4, 9), "in `# METADATA`: invalid YAML: unclosed bracket"),
            ("package p\n".to_owned(), (1, 1), "no `# METADATA` block"),
        ];
        for (text, (line, column), message) in cases {
            let error = from_rego("p.rego", text).unwrap_err();
            assert!(error.message.contains(message), "{text:?}: {}", error.message);
            assert_eq!(
                error.position.map(|p| (p.line, p.column)),
                Some((*line, *column)),
                "{text:?}: {}",
                error.message
            );
        }
    }
}
