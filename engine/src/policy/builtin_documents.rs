//! The built-in packs' YAML, read when ward is built: the build script parses every built-in
//! secret rule and CEL rule file, every Rego rule's `# METADATA` block and every params file
//! (`data/*.yaml`), and embeds each as JSON. Reading JSON costs a small part of parsing YAML with
//! spans, and a secrets-only hook reads 212 rule files at every commit. Only what is read for
//! its values comes from here (secret rules, rule metadata, params); a CEL rule that is compiled
//! is parsed with its spans, as its expressions carry their places.

use serde_json::Value;

use super::pack;

// `BUILTIN_DOCUMENTS: &[(&str, &str)]`: `(<pack>/<path>, JSON)` in path order, written by
// `build.rs`.
include!(concat!(env!("OUT_DIR"), "/builtin_documents.rs"));

/// The build-time parse of the built-in file at `path` (`builtin:<pack>/<path>`), when `text`
/// is that file as built: a rule or params file's single document, or a Rego file's `# METADATA`
/// block.
pub(crate) fn parsed(path: &str, text: &str) -> Option<Value> {
    let inner = path.strip_prefix("builtin:")?;
    let index = BUILTIN_DOCUMENTS.binary_search_by(|(known, _)| (*known).cmp(inner)).ok()?;
    let (_, json) = BUILTIN_DOCUMENTS.get(index)?;
    // A pack made for tests may take a built-in pack's name: its files are not the built ones.
    if pack::builtin_file(inner)? != text.as_bytes() {
        return None;
    }
    serde_json::from_str(json).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;
    use crate::parse::yaml::{parse_stream, ScalarRules};
    use crate::parse::Limits;
    use crate::policy::metadata_block::rule_block;

    /// What the build script wrote is what the engine's own YAML reader reads, file by file.
    #[test]
    fn every_build_time_document_is_what_the_yaml_reader_reads() {
        assert!(BUILTIN_DOCUMENTS.len() > 300, "{} documents", BUILTIN_DOCUMENTS.len());
        for (path, _) in BUILTIN_DOCUMENTS {
            let text = std::str::from_utf8(pack::builtin_file(path).unwrap()).unwrap();
            let yaml = match path.ends_with(".rego") {
                true => rule_block(text).unwrap_or_else(|_| panic!("{path}: no block")).yaml,
                false => text.to_owned(),
            };
            let read = parse_stream(&yaml, ScalarRules::Yaml12, &Limits::default()).unwrap().value;
            let built = parsed(&format!("builtin:{path}"), text).unwrap();
            assert_eq!(read.as_array().map(Vec::len), Some(1), "{path}");
            assert_eq!(read[0], built, "{path}");
        }
    }

    #[test]
    fn a_file_that_is_not_the_built_one_is_not_taken_from_the_build() {
        let (path, _) = BUILTIN_DOCUMENTS.iter().find(|(path, _)| path.ends_with(".secret.yaml")).unwrap();
        let text = std::str::from_utf8(pack::builtin_file(path).unwrap()).unwrap();
        let builtin = format!("builtin:{path}");
        assert!(parsed(&builtin, text).is_some());
        assert!(parsed(&builtin, &format!("{text}\n# changed\n")).is_none());
        assert!(parsed(&format!("packs/{path}"), text).is_none());
    }
}
