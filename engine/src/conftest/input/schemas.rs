//! The shapes in `schemas/conftest/` hold what ward's conftest parsers make of every input in
//! `testdata/conftest/examples/`: a change to a parser that changes the shape a policy sees
//! must change its schema too.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::Parser;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The schema of a parser's inputs: JSON documents are read as YAML documents are.
fn schema_name(parser: Parser) -> &'static str {
    match parser {
        Parser::Json | Parser::Jsonc => "yaml",
        parser => parser.name(),
    }
}

fn validator(parser: Parser) -> jsonschema::Validator {
    let path = repo_root().join(format!("schemas/conftest/{}.schema.json", schema_name(parser)));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        match path.is_dir() {
            true => files(&path, out),
            false => out.push(path),
        }
    }
}

#[test]
fn every_example_input_has_the_shape_its_schema_documents() {
    let root = repo_root().join("testdata/conftest/examples");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    let mut validated: BTreeMap<&str, usize> = BTreeMap::new();
    for path in paths {
        let name = path.to_string_lossy().into_owned();
        // Policies and their data are not inputs.
        if name.ends_with(".rego") || name.contains("/policy/") || name.contains("/exclusions/") {
            continue;
        }
        // conftest reads HCL1 only when told to (`--parser hcl1`).
        let parser = match name.contains("/hcl1/") {
            true => Some(Parser::Hcl1),
            false => Parser::from_path(&name),
        };
        let Some(parser) = parser else { continue };
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = parser.parse(&text, &Default::default()).unwrap_or_else(|error| panic!("{name}: {error:?}"));
        let validator = validator(parser);
        for (input, _) in parsed.inputs() {
            let errors: Vec<String> = validator.iter_errors(input).map(|error| error.to_string()).collect();
            assert!(errors.is_empty(), "{name} as {}: {errors:?}\n{input:#}", parser.name());
            *validated.entry(schema_name(parser)).or_default() += 1;
        }
    }
    let shapes: Vec<&str> = validated.keys().copied().collect();
    assert_eq!(
        shapes,
        ["dockerfile", "dotenv", "hcl1", "hcl2", "ignore", "ini", "properties", "toml", "xml", "yaml"],
        "an example of every shape"
    );
}

#[test]
fn the_schemas_refuse_other_shapes() {
    let cases = [
        (Parser::Dockerfile, json!({"Cmd": "from"})),
        (Parser::Dockerfile, json!([{"Cmd": "from", "Value": ["alpine"]}])),
        (Parser::Dotenv, json!({"PORT": 8080})),
        (Parser::Properties, json!({"a": {"b": "c"}})),
        (Parser::Ini, json!({"server": "port=80"})),
        (Parser::Xml, json!({"a": "1", "b": "2"})),
        (Parser::Xml, json!({"project": {"version": 3}})),
        (Parser::Hcl2, json!(["resource"])),
        (Parser::Hcl1, json!({"resource": {"aws_s3_bucket": {}}})),
        (Parser::Ignore, json!([{"Kind": "Path"}])),
        (Parser::Toml, json!([1, 2])),
    ];
    for (parser, value) in cases {
        assert!(!validator(parser).is_valid(&value), "{} refuses {value}", parser.name());
    }
}

#[test]
fn every_schema_is_a_parsers() {
    let names: Vec<&str> = Parser::ALL.into_iter().map(schema_name).collect();
    for entry in std::fs::read_dir(repo_root().join("schemas/conftest")).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(name) = file.strip_suffix(".schema.json") {
            assert!(names.contains(&name), "schemas/conftest/{file} names no parser");
        }
    }
}
