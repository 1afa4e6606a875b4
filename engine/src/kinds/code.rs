//! Application source files (JavaScript/TypeScript, Python, Go, Rust, Ruby, Java, Kotlin, C#,
//! PHP…), by the extension table of [`crate::parse::code`]: read for the environment variables
//! they read and, in the graph, the feature-flag keys they name. One resource per file
//! (`code:<path>`); conftest does not read them.

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::Parsed;
use crate::parse::code::SourceLanguage;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("source code"),
    detect,
    claim: None,
    parse,
    resources: Resources::WholeFile { id_prefix: "code", resource_type: "source-file" },
    conftest_input: ConftestInput::Nothing,
    comment_marker: |path| SourceLanguage::of(path).line_comment(),
    highlight: parse::code::highlight_language,
    schema: include_str!("../../../schemas/code.schema.json"),
    resource_schema: "",
    images: None,
    workload: None,
};

/// Directories of code that is not the repository's own (dependencies checked in, virtual
/// environments): what it reads is not this application's configuration.
const VENDORED_DIRS: [&str; 7] =
    ["node_modules", "vendor", "third_party", ".venv", "venv", "site-packages", "__pycache__"];

/// An application source file, not a minified bundle or a declaration file, not vendored.
fn detect(file: &FilePath) -> Option<Detection> {
    let name = file.name.as_str();
    if SourceLanguage::of(name) == SourceLanguage::Unknown || name.ends_with(".min.js") || name.ends_with(".d.ts") {
        return None;
    }
    let vendored = file.dirs().any(|dir| VENDORED_DIRS.contains(&dir));
    (!vendored).then(|| Detection::of(DocumentKind::Code, DetectedBy::Extension))
}

fn parse(path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::code::parse(path, text, limits)
}
