//! The sample repository `testdata/repos/shop`, loaded as `ward parse` loads it: it parses
//! cleanly, every document matches its kind's schema and the source-map property, the graph
//! matches `schemas/graph.schema.json`, and its resources (with lines) and edges match the
//! snapshot — the graph the built-in packs will be checked against.

// Test code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::fmt::Write;

use ward_engine::{load, Level, LoadOptions};

#[test]
fn sample_repository_graph() {
    let loaded = load(&["testdata/repos/shop".into()], &support::repo_root(), &LoadOptions::default());
    let errors: Vec<String> =
        loaded.diagnostics.iter().filter(|d| d.level == Level::Error).map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "the sample repository must parse cleanly:\n{}", errors.join("\n"));
    let notes: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();

    let mut failures = Vec::new();
    for document in &loaded.graph.documents {
        failures.extend(
            support::schema_errors(document.kind.name(), &document.value)
                .into_iter()
                .map(|e| format!("{}: {e}", document.path)),
        );
        failures.extend(support::source_map_violations(document));
        failures.extend(support::terraform_expressions_are_verbatim(document));
    }
    let json = loaded.graph.to_json(true);
    failures.extend(support::schema_errors("graph", &json));
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));

    let mut summary = String::new();
    writeln!(summary, "notes:").unwrap();
    for note in notes {
        writeln!(summary, "  {note}").unwrap();
    }
    writeln!(summary, "resources:").unwrap();
    for resource in &loaded.graph.resources {
        let path = &loaded.graph.documents[resource.document].path;
        let environment = resource.environment.as_deref().unwrap_or("-");
        let labels = if resource.labels.is_empty() { String::new() } else { format!(" {:?}", resource.labels) };
        writeln!(summary, "  {} {path}:{} [{environment}]{labels}", resource.id, resource.region.start.line).unwrap();
    }
    writeln!(summary, "edges:").unwrap();
    for edge in &loaded.graph.edges {
        writeln!(summary, "  {} -{}-> {}", edge.from, edge.relation.name(), edge.to).unwrap();
    }
    insta::assert_snapshot!(summary);
}
