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
            templates
                .add(name, name, text.as_str().unwrap_or(""))
                .map_err(|error| format!("define {name}: {error}"))?;
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
    let parsed =
        crate::parse::yaml::parse_stream(values_text, crate::parse::yaml::ScalarRules::Yaml11, &Default::default())
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
                return Err(format!(
                    "{text:?}: a piece {:?} from values line {line:?}, expected {value_line:?}",
                    piece.range
                ));
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
        .filter_map(|case| {
            run_provenance(case).err().map(|error| format!("{}: {error}", case["name"].as_str().unwrap_or("?")))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// A chart's directory read the way Helm hands it to templates: `.Values` (tracked), `.Chart`
/// (Chart.yaml's keys capitalised), a fixed `.Release` and `.Capabilities`, `.Files`.
fn chart_data(dir: &std::path::Path, chart_name: &str) -> Value {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    let values_text = read("values.yaml");
    let values = if values_text.trim().is_empty() {
        Value::map(Default::default())
    } else {
        let parsed = crate::parse::yaml::parse_stream(
            &values_text,
            crate::parse::yaml::ScalarRules::Yaml11,
            &Default::default(),
        )
        .unwrap();
        let path: Arc<str> = Arc::from(format!("{chart_name}/values.yaml").as_str());
        Value::from_tracked(&Node::from_parsed(&parsed.value[0], &parsed.source_map, "/0", &path))
    };
    let chart: Json = serde_saphyr::from_str(&read("Chart.yaml")).unwrap();
    let chart = Value::map(
        chart
            .as_object()
            .unwrap()
            .iter()
            .map(|(key, value)| {
                let mut name = key.clone();
                name[..1].make_ascii_uppercase();
                (name, Value::from_json(value))
            })
            .collect(),
    );
    let string = |text: &str| Value::string(text);
    let map = |members: Vec<(&str, Value)>| Value::map(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
    let api_versions = ["v1", "apps/v1", "batch/v1", "policy/v1", "networking.k8s.io/v1", "autoscaling/v2"];
    map(vec![
        ("Values", values),
        ("Chart", chart),
        (
            "Release",
            map(vec![
                ("Name", string("release")),
                ("Namespace", string("default")),
                ("Service", string("Helm")),
                ("IsInstall", Value::bool(true)),
                ("IsUpgrade", Value::bool(false)),
                ("Revision", Value::int(1)),
            ]),
        ),
        (
            "Capabilities",
            map(vec![
                (
                    "KubeVersion",
                    map(vec![
                        ("Version", string("v1.29.0")),
                        ("GitVersion", string("v1.29.0")),
                        ("Major", string("1")),
                        ("Minor", string("29")),
                    ]),
                ),
                ("APIVersions", Value::api_versions(api_versions.iter().map(|v| (*v).to_owned()).collect())),
            ]),
        ),
        ("Files", Value::files(Default::default())),
    ])
}

/// Templates whose output with the chart's default values is not YAML in Helm either.
const INVALID_WITH_DEFAULTS: &[&str] = &[
    // `values: {{- toYaml .Values.nodepool.zone | nindent 8 }}` with the default `zone: []`
    // writes `[]` on the next line at the key's own indentation (Terraform fills the zones in).
    "karpenter-resources/templates/nodepool.yaml",
];

/// Every template of real charts (the corpus's and the sample repository's) renders without an
/// error into YAML that parses.
#[test]
fn real_charts() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(testdata("charts"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.push(root.join("testdata/repos/shop/deploy/helm/shop"));
    dirs.sort();
    let mut failures = Vec::new();
    let mut rendered = 0;
    for dir in &dirs {
        let chart_name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let mut templates = Templates::new(TemplateLimits::default());
        let mut names = Vec::new();
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(dir.join("templates")).unwrap().map(|entry| entry.unwrap().path()).collect();
        files.sort();
        for file in files {
            let file_name = file.file_name().unwrap().to_str().unwrap().to_owned();
            if file_name == "NOTES.txt" {
                continue;
            }
            let name = format!("{chart_name}/templates/{file_name}");
            let text = std::fs::read_to_string(&file).unwrap();
            if let Err(error) = templates.add(&name, &name, &text) {
                failures.push(format!("parse {error}"));
            }
            if !file_name.starts_with('_') {
                names.push(name);
            }
        }
        let data = chart_data(dir, &chart_name);
        for name in names {
            data.as_map_ref().unwrap().insert(
                "Template".into(),
                Value::map(
                    [
                        ("Name".to_owned(), Value::string(name.as_str())),
                        ("BasePath".to_owned(), Value::string(format!("{chart_name}/templates"))),
                    ]
                    .into_iter()
                    .collect(),
                ),
            );
            match templates.execute(&name, &data) {
                Ok(output) => {
                    rendered += 1;
                    if let Err(message) = check_pieces(&output) {
                        failures.push(format!("{name}: {message}"));
                    }
                    let parsed = crate::parse::yaml::parse_stream(
                        &output.text,
                        crate::parse::yaml::ScalarRules::Yaml11,
                        &Default::default(),
                    );
                    match (parsed, INVALID_WITH_DEFAULTS.contains(&name.as_str())) {
                        (Err(error), false) => failures
                            .push(format!("{name}: the output is not YAML: {} in\n{}", error.message, output.text)),
                        (Ok(_), true) => {
                            failures.push(format!("{name}: now renders YAML; take it off INVALID_WITH_DEFAULTS"))
                        }
                        _ => {}
                    }
                }
                Err(error) => failures.push(error.to_string()),
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(rendered >= 30, "only {rendered} templates rendered");
}

/// Template fragments that random templates are assembled from: delimiters, trim markers,
/// keywords, operands and functions, so that most draws reach the parser and many the evaluator.
const FRAGMENTS: &[&str] = &[
    "{{",
    "}}",
    "{{- ",
    " -}}",
    " ",
    "\n",
    "text",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "break",
    "continue",
    "$x",
    "$",
    ":=",
    "=",
    "|",
    "(",
    ")",
    ",",
    ".",
    ".a",
    ".a.b",
    ".Values",
    "\"s\"",
    "`r`",
    "'c'",
    "1",
    "-1",
    "1.5",
    "0x1f",
    "1e309",
    "nil",
    "true",
    "include",
    "tpl",
    "printf",
    "\"%d %s %v\"",
    "toYaml",
    "nindent",
    "indent",
    "quote",
    "default",
    "list",
    "dict",
    "set",
    "merge",
    "until",
    "index",
    "slice",
    "len",
    "eq",
    "lt",
    "and",
    "or",
    "not",
    "required",
    "fail",
    "trunc",
    "substr",
    "seq",
    "semverCompare",
    "regexReplaceAll",
    "\"(a*)*b\"",
    "deepCopy",
    "fromYaml",
    "toJson",
    "repeat",
    "9223372036854775807",
    "\"x\"",
    "/*",
    "*/",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    /// Any template, parsed and run against a small tree, ends in an output or an error.
    #[test]
    fn never_panics(indexes in proptest::collection::vec(0..FRAGMENTS.len(), 0..40)) {
        let text: String = indexes.iter().map(|&i| FRAGMENTS[i]).collect();
        let limits = TemplateLimits { max_steps: 100_000, max_range_iterations: 10_000, ..TemplateLimits::default() };
        let mut templates = Templates::new(limits);
        let data = Value::from_json(&serde_json::json!({"a": {"b": [1, "x", null]}, "Values": {"n": 3}}));
        if templates.add("t", "t", &text).is_ok() {
            let _ = templates.execute("t", &data);
        }
    }
}
