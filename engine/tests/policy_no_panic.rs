//! Mutation tests for policies: Rego modules, CEL rule files, secret rules, `pack.toml`, `ward.toml` and
//! `ward.lock`, mangled, load (or are refused with positioned errors) and evaluate without a
//! panic — policy files are input too, written by hand in an editor, often half-finished.

// Test code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use proptest::prelude::*;
use support::mutate::{apply, mutation};
use ward_engine::{
    detect_kind, evaluate, parse_text, scan_secrets, Config, EvalOptions, Graph, Manifest, PackLock, Policies,
    Position, SecretScanner,
};

/// A small graph every mangled rule runs against.
fn graph() -> Graph {
    let files = [
        ("k8s/app.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1.0\n"),
        ("Dockerfile", "FROM alpine:3.20\nUSER 1000\n"),
        ("docker-compose.yml", "services:\n  web:\n    image: nginx:latest\n    environment: {DEBUG: \"true\"}\n"),
    ];
    let documents = files
        .iter()
        .filter_map(|(path, text)| {
            parse_text(path, detect_kind(path), (*text).to_owned(), &Default::default()).ok().flatten()
        })
        .collect();
    Graph::build(documents)
}

/// Real rules: the built-in pack's, the sample rules and the evaluation cases' inline ones.
fn rule_seeds() -> Vec<(String, String)> {
    let root = support::repo_root();
    let mut seeds = Vec::new();
    for dir in ["policies", "testdata/policy"] {
        for file in support::files_under(&root.join(dir)) {
            let name = file.to_string_lossy().into_owned();
            if name.ends_with(".rego") || name.ends_with(".cel.yaml") || name.ends_with(".secret.yaml") {
                seeds.push((name.rsplit('/').next().unwrap().to_owned(), std::fs::read_to_string(&file).unwrap()));
            }
        }
    }
    seeds
}

fn config_seeds() -> Vec<String> {
    let root = support::repo_root();
    vec![
        std::fs::read_to_string(root.join("testdata/projects/configured/ward.toml")).unwrap(),
        std::fs::read_to_string(root.join("policies/container/pack.toml")).unwrap(),
        "# lock\n\n[[pack]]\nname = \"p\"\nversion = \"1.0.0\"\nsource = \"packs/p\"\ndigest = \"sha256:00\"\n".into(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mangled_rules_load_and_evaluate_without_panicking(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let seeds = rule_seeds();
        let (name, text) = seed.get(&seeds);
        let mangled = apply(text, &mutations);
        let (policies, errors) = Policies::compile(&[(format!("rules/{name}"), mangled.clone())]);
        for error in &errors {
            let position = error.position.unwrap_or(Position { line: 0, column: 0 });
            prop_assert!(position.line >= 1 && position.column >= 1, "{error}");
            prop_assert!(position.line as usize <= mangled.lines().count().max(1) + 1, "{error}");
        }
        let options = EvalOptions { jobs: 1, ..EvalOptions::default() };
        let _ = evaluate(&graph(), &policies, &options);
        // A mangled secret rule that still loads scans its own text, keywords and all.
        let scanner = SecretScanner::new(policies.secrets.clone());
        let _ = scan_secrets(&scanner, &[("rules/mangled.txt", mangled.as_str())], 1);
    }

    #[test]
    fn mangled_project_files_are_read_without_panicking(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let seeds = config_seeds();
        let seed_text: &String = seed.get(&seeds);
        let mangled = apply(seed_text, &mutations);
        let _ = Config::parse("ward.toml", &mangled, std::path::Path::new("."));
        let _ = Manifest::parse("p/pack.toml", &mangled);
        let _ = PackLock::parse("ward.lock", &mangled);
    }
}
