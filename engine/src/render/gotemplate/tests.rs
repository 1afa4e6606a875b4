//! The data-driven cases of `testdata/gotemplate/cases.yaml` (Go's and Helm's behaviour, one
//! case per line of it) and the provenance cases: which template line and which values line
//! each piece of output came from.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value as Json;

use super::{TemplateLimits, Templates, Value};
use crate::document::Span;
use crate::render::tracked::{Node, Origin};

fn testdata(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/gotemplate").join(path)
}

/// Runs one case; `Err` says how it went wrong.
fn run_case(case: &Json) -> Result<(), String> {
    let template = case["template"].as_str().ok_or("no template")?;
    let mut templates = Templates::new(TemplateLimits::default());
    if let Some(defines) = case["defines"].as_object() {
        for (name, text) in defines {
            templates.add(name, name, text.as_str().unwrap_or("")).map_err(|error| format!("define {name}: {error}"))?;
        }
    }
    let data = Value::from_json(&case["data"]);
    // Objects with methods, which YAML cannot spell: `.Capabilities.APIVersions` and `.Files`.
    if let Some(versions) = case["api_versions"].as_array() {
        let versions = versions.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
        let capabilities = data.get("Capabilities").unwrap_or_else(|| Value::map(Default::default()));
        capabilities.as_map_ref().unwrap().insert("APIVersions".into(), Value::api_versions(versions));
        data.as_map_ref().unwrap().insert("Capabilities".into(), capabilities);
    }
    if let Some(files) = case["files"].as_object() {
        let files = files.iter().map(|(path, text)| (path.clone(), text.as_str().unwrap_or("").to_owned())).collect();
        data.as_map_ref().unwrap().insert("Files".into(), Value::files(files));
    }
    let result = templates.add("main", "main", template).and_then(|()| templates.execute("main", &data));
    match (result, case.get("output"), case.get("error")) {
        (Ok(output), Some(expected), _) => {
            let expected = expected.as_str().unwrap_or("");
            if output.text != expected {
                return Err(format!("output {:?}, expected {expected:?}", output.text));
            }
            check_pieces(&output)
        }
        (Err(error), _, Some(expected)) => {
            let expected = expected.as_str().unwrap_or("");
            let message = error.to_string();
            if !message.contains(expected) {
                return Err(format!("error {message:?}, expected it to contain {expected:?}"));
            }
            Ok(())
        }
        (Ok(output), None, _) => Err(format!("output {:?}, expected an error", output.text)),
        (Err(error), _, None) => Err(format!("error {error}")),
    }
}

/// Pieces are in order, cover the text, and never split a character.
fn check_pieces(output: &super::Output) -> Result<(), String> {
    let mut at = 0;
    for piece in &output.pieces {
        if piece.range.start != at || piece.range.end < piece.range.start {
            return Err(format!("piece {:?} does not follow {at}", piece.range));
        }
        if !output.text.is_char_boundary(piece.range.start) || !output.text.is_char_boundary(piece.range.end) {
            return Err(format!("piece {:?} splits a character", piece.range));
        }
        at = piece.range.end;
    }
    if at != output.text.len() {
        return Err(format!("pieces end at {at} of {}", output.text.len()));
    }
    Ok(())
}

#[test]
fn cases() {
    let text = std::fs::read_to_string(testdata("cases.yaml")).unwrap();
    let cases: Vec<Json> = serde_saphyr::from_str(&text).unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        if let Err(message) = run_case(case) {
            failures.push(format!("{name}: {message}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// The line (1-based) of byte `at` of `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.get(..at).map_or(0, |before| before.matches('\n').count()) + 1
}

fn run_provenance(case: &Json) -> Result<(), String> {
    let values_text = case["values"].as_str().unwrap_or("");
    let parsed = crate::parse::yaml::parse_stream(values_text, crate::parse::yaml::ScalarRules::Yaml11, &Default::default())
        .map_err(|error| error.message)?;
    let path: Arc<str> = Arc::from("values.yaml");
    let node = Node::from_parsed(&parsed.value[0], &parsed.source_map, "/0", &path);
    let data = Value::map([("Values".to_owned(), Value::from_tracked(&node))].into_iter().collect());
    let mut templates = Templates::new(TemplateLimits::default());
    if let Some(defines) = case["defines"].as_object() {
        for (name, text) in defines {
            templates.add(name, name, text.as_str().unwrap_or("")).map_err(|error| error.to_string())?;
        }
    }
    templates.add("main", "main", case["template"].as_str().unwrap_or("")).map_err(|error| error.to_string())?;
    let output = templates.execute("main", &data).map_err(|error| error.to_string())?;
    check_pieces(&output)?;
    for expect in case["expect"].as_array().into_iter().flatten() {
        let text = expect["text"].as_str().unwrap_or("");
        let nth = expect["nth"].as_u64().unwrap_or(0) as usize;
        let start = output
            .text
            .match_indices(text)
            .nth(nth)
            .map(|(at, _)| at)
            .ok_or_else(|| format!("{text:?} not in the output {:?}", output.text))?;
        let range = start..start + text.len();
        let value_line = expect["value_line"].as_u64().map(|line| line as usize);
        for piece in output.pieces_in(range.clone()) {
            let origin: Option<&Origin> = piece.value.as_ref();
            let line = origin.map(|origin| line_of(values_text, origin.span.start));
            if line != value_line {
                return Err(format!("{text:?}: a piece {:?} from values line {line:?}, expected {value_line:?}", piece.range));
            }
            let template = expect["template"].as_str().unwrap_or("main");
            let template_line = expect["template_line"].as_u64().unwrap_or(0) as u32;
            if &*piece.template.path != template || piece.template.line != template_line {
                return Err(format!(
                    "{text:?}: a piece {:?} written at {}:{}, expected {template}:{template_line}",
                    piece.range, piece.template.path, piece.template.line
                ));
            }
        }
        let _: Option<Span> = None;
    }
    Ok(())
}

#[test]
fn provenance() {
    let text = std::fs::read_to_string(testdata("provenance.yaml")).unwrap();
    let cases: Vec<Json> = serde_saphyr::from_str(&text).unwrap();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| run_provenance(case).err().map(|error| format!("{}: {error}", case["name"].as_str().unwrap_or("?"))))
        .collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
