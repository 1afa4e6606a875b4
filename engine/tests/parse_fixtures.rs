//! Data-driven parser tests over `testdata/parse/<kind>/`: every fixture parses to its kind,
//! matches its JSON Schema, satisfies the source-map property and matches its snapshot; every
//! fixture under an `invalid/` folder fails at the line and column its `.expect` file gives.

// Test, benchmark and example code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::path::Path;

use support::{files_under, repo_root, schema_errors, source_map_violations, terraform_expressions_are_verbatim};
use ward_engine::{decode_contents, detect_kind, parse_text, Contents, Detected, DocumentKind, Limits};

/// Path of a fixture as ward sees it: relative to its kind's folder, so that
/// `github-workflow/.github/workflows/ci.yml` is recognised as a workflow.
fn fixture_path(kind_dir: &Path, file: &Path) -> String {
    file.strip_prefix(kind_dir).unwrap_or(file).to_string_lossy().replace('\\', "/")
}

fn read(file: &Path) -> String {
    match decode_contents(std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))) {
        Contents::Text(text) => text,
        Contents::Skipped(skip) => panic!("{}: {}", file.display(), skip.reason()),
    }
}

#[test]
fn valid_fixtures_parse_to_their_kind_schema_and_source_map() {
    let parse_dir = repo_root().join("testdata/parse");
    let mut failures = Vec::new();
    let mut checked = 0;
    for kind in DocumentKind::ALL {
        let kind_dir = parse_dir.join(kind.name());
        for file in files_under(&kind_dir).into_iter().filter(|f| !f.components().any(|c| c.as_os_str() == "invalid")) {
            let path = fixture_path(&kind_dir, &file);
            let document = match parse_text(&path, detect_kind(&path), read(&file), &Limits::default()) {
                Ok(Some(document)) => document,
                Ok(None) => {
                    failures.push(format!("{path}: not recognised as any kind"));
                    continue;
                }
                Err(diagnostic) => {
                    failures.push(format!("{}: {diagnostic}", kind.name()));
                    continue;
                }
            };
            checked += 1;
            if document.kind != kind {
                failures.push(format!("{path}: parsed as {} but lives under {}/", document.kind, kind.name()));
            }
            failures.extend(
                schema_errors(document.kind.name(), &document.value)
                    .into_iter()
                    .map(|e| format!("{path}: schema: {e}")),
            );
            failures.extend(source_map_violations(&document));
            failures.extend(terraform_expressions_are_verbatim(&document));
            let name = format!("{}__{}", kind.name(), path.replace(['/', '.'], "_"));
            insta::assert_json_snapshot!(name, document.value);
        }
    }
    assert!(checked > 0, "no fixtures found under {}", parse_dir.display());
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn invalid_fixtures_fail_at_the_expected_place() {
    let parse_dir = repo_root().join("testdata/parse");
    let mut failures = Vec::new();
    let mut checked = 0;
    for kind in DocumentKind::ALL {
        let invalid_dir = parse_dir.join(kind.name()).join("invalid");
        for file in files_under(&invalid_dir) {
            checked += 1;
            let path = fixture_path(&invalid_dir, &file);
            let expect_file = file.with_extension(format!(
                "{}expect",
                file.extension().map(|e| format!("{}.", e.to_string_lossy())).unwrap_or_default()
            ));
            let expect_file = if expect_file.exists() { expect_file } else { file.with_extension("expect") };
            let expectation = std::fs::read_to_string(&expect_file)
                .unwrap_or_else(|e| panic!("{}: {e} (every invalid fixture needs one)", expect_file.display()));
            let (position, needle) =
                expectation.trim_end_matches(['\n', '\r']).split_once(' ').unwrap_or((expectation.trim(), ""));
            // An invalid fixture of a YAML-based kind is read as that kind, whatever its name.
            let detected = match kind {
                DocumentKind::Kubernetes | DocumentKind::Yaml => detect_kind("fixture.yaml"),
                other => Detected::Kind(other),
            };
            match parse_text(&path, detected, read(&file), &Limits::default()) {
                Ok(_) => failures.push(format!("{}: parsed, but must fail", file.display())),
                Err(diagnostic) => {
                    let at = diagnostic.position.map(|p| format!("{}:{}", p.line, p.column)).unwrap_or_default();
                    if at != position || !diagnostic.message.contains(needle) {
                        failures.push(format!(
                            "{}: expected `{position} {needle}`, got `{at} {}`",
                            file.display(),
                            diagnostic.message
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 0, "no invalid fixtures found");
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
}
