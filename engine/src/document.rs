//! The parsed form of one file: [`Document`], its [`DocumentKind`], and the [`SourceMap`] that
//! takes a JSON pointer into the document's value back to a byte span and a line and column.
//!
//! Every value a policy can point at has an entry in the source map; that is what lets a finding
//! sit on the right line.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Declares [`DocumentKind`], [`DocumentKind::ALL`] in declaration order and
/// [`DocumentKind::name`] from one list, so that no kind is in one and missing from another.
macro_rules! document_kinds {
    ($( $(#[$doc:meta])* $variant:ident => $name:literal, )*) => {
        /// The kinds of document ward understands. Each has a module in `kinds/` that owns
        /// everything specific to it, and a JSON Schema in `schemas/`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum DocumentKind {
            $( $(#[$doc])* $variant, )*
        }

        impl DocumentKind {
            /// Every kind, in a stable order: the order of this list, which is also the order
            /// in which kinds claim a file by its content.
            pub const ALL: [DocumentKind; [$($name),*].len()] = [$(DocumentKind::$variant),*];

            /// The name used on the command line, in policies, in the JSON output and in the
            /// schemas' kind lists.
            ///
            /// ```
            /// use ward_engine::DocumentKind;
            /// assert_eq!(DocumentKind::GithubWorkflow.name(), "github-workflow");
            /// ```
            pub fn name(self) -> &'static str {
                match self {
                    $( DocumentKind::$variant => $name, )*
                }
            }
        }
    };
}

document_kinds! {
    /// Terraform (`*.tf`, `*.tfvars`).
    Terraform => "terraform",
    /// A Dockerfile or Containerfile (`Dockerfile.dev`, `api.dockerfile`, `Containerfile`).
    Dockerfile => "dockerfile",
    /// Kubernetes manifests: a YAML stream of objects.
    Kubernetes => "kubernetes",
    /// A Docker Compose file.
    Compose => "compose",
    /// A GitHub Actions workflow (`.github/workflows/*.yml`).
    GithubWorkflow => "github-workflow",
    /// An env file (`.env`, `.env.production`).
    Dotenv => "dotenv",
    /// Any other YAML file (for rules that ask for generic YAML, as conftest policies do).
    Yaml => "yaml",
    /// Any JSON file of no other kind.
    Json => "json",
    /// A feature-flag file (flagd/OpenFeature, Unleash, LaunchDarkly, or ward's own
    /// `flags.yaml`), normalised to one shape.
    FeatureFlags => "feature-flags",
    /// A database migration: SQL (Flyway, golang-migrate, goose, dbmate…), Alembic or Rails.
    Migration => "migration",
    /// A source file of an application (JavaScript/TypeScript, Python, Go, Rust, Ruby, Java,
    /// Kotlin, C#, PHP…): what it reads from the environment, and its text for the flag-key
    /// search.
    Code => "code",
    /// A TOML file other than ward's own configuration, read as conftest reads it.
    Toml => "toml",
    /// An `.ini` file, read as conftest reads it.
    Ini => "ini",
    /// An `.xml` file, read as conftest reads it.
    Xml => "xml",
    /// A Java `.properties` file, read as conftest reads it.
    Properties => "properties",
    /// A software bill of materials in JSON: CycloneDX or SPDX.
    Sbom => "sbom",
    /// A `.hcl` file in the first HashiCorp Configuration Language, read as conftest's `hcl1`
    /// parser reads it.
    Hcl1 => "hcl1",
    /// A Helm chart template: judged through the objects the chart renders, not on its own.
    HelmTemplate => "helm-template",
}

impl DocumentKind {
    /// The kind named `name`, as written by [`DocumentKind::name`].
    ///
    /// ```
    /// use ward_engine::DocumentKind;
    /// assert_eq!(DocumentKind::from_name("dotenv"), Some(DocumentKind::Dotenv));
    /// assert_eq!(DocumentKind::from_name("toml"), Some(DocumentKind::Toml));
    /// assert_eq!(DocumentKind::from_name("cue"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A half-open byte range `start..end` in a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// The byte after the last one.
    pub end: usize,
}

impl Span {
    /// The span `start..end`; an `end` before `start` is taken as `start` (an empty span).
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end: end.max(start) }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A 1-based line and 1-based column; the column counts Unicode scalar values, as editors and
/// `file:line:col` links do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    /// 1-based.
    pub line: u32,
    /// 1-based, in Unicode scalar values.
    pub column: u32,
}

/// Where a span sits in its file: start and end positions, and the byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub start: Position,
    pub end: Position,
    pub span: Span,
}

/// Turns byte offsets into line and column. Built once per file.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset at which each line starts; the first is always 0.
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`'s lines.
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        LineIndex { line_starts }
    }

    /// The position of byte `offset` in `text` (clamped to the text, and to a character boundary).
    ///
    /// ```
    /// use ward_engine::{LineIndex, Position};
    /// let text = "a: 1\nbé: 2\n";
    /// let index = LineIndex::new(text);
    /// assert_eq!(index.position(text, 9), Position { line: 2, column: 4 });
    /// ```
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let line_start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let column = text
            .get(line_start..)
            .map(|rest| rest.char_indices().take_while(|(at, _)| line_start + at < offset).count())
            .unwrap_or(0);
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// The byte offset of a position (its column counted in characters), clamped to the text.
    ///
    /// ```
    /// use ward_engine::{LineIndex, Position};
    /// let text = "a: 1\nbé: 2\n";
    /// assert_eq!(LineIndex::new(text).offset(text, Position { line: 2, column: 4 }), 9);
    /// ```
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(start) = self.line_start(position.line) else { return text.len() };
        let line = text.get(start..).unwrap_or("");
        let within = line
            .char_indices()
            .nth((position.column as usize).saturating_sub(1))
            .map_or(line.find('\n').unwrap_or(line.len()), |(at, _)| at);
        start + within
    }

    /// Byte offset where 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.line_starts.get((line as usize).checked_sub(1)?).copied()
    }

    /// How many lines the text has (a text without a line break has one).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The positions of `span`'s start and end in `text`.
    pub fn region(&self, text: &str, span: Span) -> Region {
        Region { start: self.position(text, span.start), end: self.position(text, span.end), span }
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
///
/// ```
/// use ward_engine::pointer_push;
/// assert_eq!(pointer_push("/metadata/annotations", "example.com/owner"), "/metadata/annotations/example.com~1owner");
/// ```
pub fn pointer_push(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// A JSON pointer built from a path of keys and indices, as a rule's result gives it.
pub(crate) fn pointer_from_tokens<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    tokens.into_iter().fold(String::new(), |pointer, token| pointer_push(&pointer, token.as_ref()))
}

/// JSON pointer -> byte span of the value at that pointer, for every value of a document.
///
/// A container's span runs from its first to its last byte, a scalar's covers exactly its text
/// (quotes included). The map is ordered so that output is deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    spans: BTreeMap<String, Span>,
    /// For members of a mapping: the span of the member's key (`image` in `image: nginx`).
    keys: BTreeMap<String, Span>,
}

impl SourceMap {
    /// An empty source map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Records that the value at `pointer` comes from `span`.
    pub fn insert(&mut self, pointer: impl Into<String>, span: Span) {
        self.spans.insert(pointer.into(), span);
    }

    /// The span recorded for exactly this pointer.
    pub fn get(&self, pointer: &str) -> Option<Span> {
        self.spans.get(pointer).copied()
    }

    /// Records where the key of the mapping member at `pointer` is written.
    pub fn insert_key(&mut self, pointer: impl Into<String>, span: Span) {
        self.keys.insert(pointer.into(), span);
    }

    /// The span of the key of the mapping member at `pointer`, if it is one.
    pub fn key(&self, pointer: &str) -> Option<Span> {
        self.keys.get(pointer).copied()
    }

    /// The whole member at `pointer`: from its key, when it has one, to the end of its value.
    pub fn entry(&self, pointer: &str) -> Option<Span> {
        let value = self.get(pointer)?;
        Some(self.key(pointer).map_or(value, |key| key.cover(value)))
    }

    /// The span of `pointer`, or of its nearest ancestor that has one, with the pointer that
    /// matched: the value's own span, which for a block mapping starts at its first child.
    /// Where a finding goes is [`SourceMap::locate`]'s to say.
    ///
    /// ```
    /// use ward_engine::{SourceMap, Span};
    /// let mut map = SourceMap::new();
    /// map.insert("/spec", Span::new(10, 40));
    /// assert_eq!(map.lookup("/spec/replicas"), Some(("/spec", Span::new(10, 40))));
    /// ```
    pub fn lookup<'a>(&'a self, pointer: &'a str) -> Option<(&'a str, Span)> {
        let mut candidate = pointer;
        loop {
            if let Some((key, span)) = self.spans.get_key_value(candidate) {
                return Some((key.as_str(), *span));
            }
            if candidate.is_empty() {
                return None;
            }
            candidate = candidate.rfind('/').and_then(|at| candidate.get(..at)).unwrap_or("");
        }
    }

    /// Where a finding about the value at `pointer` belongs, by the rule DESIGN §2 "Lines"
    /// fixes for every kind (`text` is the file's, to tell which line a value starts on):
    ///
    /// - a value that is there: the value itself (`image: nginx:latest` → `nginx:latest`); but
    ///   a block mapping or sequence below its key, or a value left empty, is its key's, from
    ///   the key to the value's end (`securityContext:`, not its first child; a block scalar's
    ///   text is its own);
    /// - a value that is not there: its nearest ancestor that is, from that ancestor's key
    ///   when it has one (`runAsNonRoot` missing from `securityContext:` → `securityContext:`;
    ///   `resources` missing from a container → the container's item, its `- name:` line).
    ///
    /// Kinds without keys in their text place their values where a person looks for them (a
    /// Terraform block's `config` is keyed by the block's header, a Dockerfile's parts span
    /// their instruction), so the rule needs nothing per kind.
    ///
    /// ```
    /// use ward_engine::{SourceMap, Span};
    /// let text = "spec:\n  replicas: 2\n";
    /// let mut map = SourceMap::new();
    /// map.insert_key("/spec", Span::new(0, 4));
    /// map.insert("/spec", Span::new(8, 19));
    /// map.insert_key("/spec/replicas", Span::new(8, 16));
    /// map.insert("/spec/replicas", Span::new(18, 19));
    /// assert_eq!(map.locate("/spec/replicas", text), Some(Span::new(18, 19)), "the value");
    /// assert_eq!(map.locate("/spec", text), Some(Span::new(0, 19)), "a block: its key");
    /// assert_eq!(map.locate("/spec/strategy", text), Some(Span::new(0, 19)), "missing: the key above");
    /// ```
    pub fn locate(&self, pointer: &str, text: &str) -> Option<Span> {
        let (found, value) = self.lookup(pointer)?;
        let Some(key) = self.key(found) else { return Some(value) };
        let present = found.len() == pointer.len();
        // A collection below its key starts with its first child's line, which is the child's
        // place, not the collection's (a value brought in by an alias or merge key may sit
        // before its key: there is no text between). A block scalar's text below its key is the
        // value itself, and stays its place. An empty value (`volumes:` and nothing) has no text
        // of its own to point at.
        let below_its_key = text.get(key.end..value.start).is_some_and(|between| between.contains('\n'));
        let empty = value.start == value.end;
        let keyed = empty || (below_its_key && self.has_children(found));
        Some(if present && !keyed { value } else { key.cover(value) })
    }

    /// Whether some value is recorded under `pointer` (it is a non-empty mapping or sequence).
    fn has_children(&self, pointer: &str) -> bool {
        let prefix = format!("{pointer}/");
        let from = (std::ops::Bound::Included(prefix.as_str()), std::ops::Bound::Unbounded);
        self.spans.range::<str, _>(from).next().is_some_and(|(next, _)| next.starts_with(&prefix))
    }

    /// How many pointers have a span.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether no pointer has a span.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Every pointer with its span, in pointer order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Span)> {
        self.spans.iter().map(|(pointer, span)| (pointer.as_str(), *span))
    }

    /// The recorded keys, as `(pointer of the member, span of its key)`.
    pub fn iter_keys(&self) -> impl Iterator<Item = (&str, Span)> {
        self.keys.iter().map(|(pointer, span)| (pointer.as_str(), *span))
    }

    /// The entries at and under `prefix`, re-rooted so that `prefix` becomes `""` (used when
    /// one document of a stream becomes a document of its own).
    ///
    /// ```
    /// use ward_engine::{SourceMap, Span};
    /// let mut map = SourceMap::new();
    /// map.insert("/0/flags", Span::new(3, 9));
    /// map.insert("/10", Span::new(1, 2));
    /// assert_eq!(map.sub_map("/0").get("/flags"), Some(Span::new(3, 9)));
    /// assert!(map.sub_map("/1").is_empty());
    /// ```
    pub fn sub_map(&self, prefix: &str) -> SourceMap {
        let strip = |pointer: &str| -> Option<String> {
            let rest = pointer.strip_prefix(prefix)?;
            (rest.is_empty() || rest.starts_with('/')).then(|| rest.to_owned())
        };
        let mut out = SourceMap::new();
        for (pointer, span) in &self.spans {
            if let Some(rest) = strip(pointer) {
                out.spans.insert(rest, *span);
            }
        }
        for (pointer, span) in &self.keys {
            if let Some(rest) = strip(pointer) {
                out.keys.insert(rest, *span);
            }
        }
        out
    }

    /// Moves every entry under `prefix` (used when a parser builds a sub-value on its own).
    pub fn extend_prefixed(&mut self, prefix: &str, other: SourceMap) {
        for (pointer, span) in other.spans {
            self.spans.insert(format!("{prefix}{pointer}"), span);
        }
        for (pointer, span) in other.keys {
            self.keys.insert(format!("{prefix}{pointer}"), span);
        }
    }
}

/// What a parser produces from one file's text: the normalised value and where each part of it
/// came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    /// The normalised value: what policies read.
    pub value: Value,
    /// Where each part of [`Parsed::value`] came from, by JSON pointer.
    pub source_map: SourceMap,
}

/// One parsed file.
#[derive(Debug, Clone)]
pub struct Document {
    /// Relative to the scan root, `/`-separated.
    pub path: String,
    /// What kind of file it is.
    pub kind: DocumentKind,
    /// The environment the file belongs to, when one is known (`production`, `staging`).
    pub environment: Option<String>,
    /// The normalised value: what policies read as the document.
    pub value: Value,
    /// Where each part of [`Document::value`] came from, by JSON pointer.
    pub source_map: SourceMap,
    /// The file's text, kept for code frames and for line lookups.
    pub text: String,
    /// The start of each line of [`Document::text`].
    pub lines: LineIndex,
}

impl Document {
    /// The document at `path` (relative to the scan root) of `kind`, from its text and what its
    /// parser made of it; no environment yet (the graph assigns it).
    pub fn new(path: String, kind: DocumentKind, text: String, parsed: Parsed) -> Document {
        let lines = LineIndex::new(&text);
        Document { path, kind, environment: None, value: parsed.value, source_map: parsed.source_map, text, lines }
    }

    /// Where a finding about the value at `pointer` belongs: the value, or for a value that
    /// is a block below its key, or is missing, the nearest key above it
    /// ([`SourceMap::locate`]).
    pub fn region_of(&self, pointer: &str) -> Option<Region> {
        self.source_map.locate(pointer, &self.text).map(|span| self.lines.region(&self.text, span))
    }

    /// Where the member at `pointer` sits, its key included (`api:` of a Compose service), or
    /// its nearest mapped ancestor.
    pub fn entry_region_of(&self, pointer: &str) -> Option<Region> {
        let (found, _) = self.source_map.lookup(pointer)?;
        self.source_map.entry(found).map(|span| self.lines.region(&self.text, span))
    }

    /// The line and column of byte `offset` in the file's text.
    pub fn position_of(&self, offset: usize) -> Position {
        self.lines.position(&self.text, offset)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `pointer_from_tokens`.
    #[test]
    fn pointer_from_tokens_example() {
        use crate::document::pointer_from_tokens;
        assert_eq!(pointer_from_tokens(["spec", "containers", "0", "image"]), "/spec/containers/0/image");
    }
}
