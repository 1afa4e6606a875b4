//! No output of ward holds a detected secret whole. A scratch repository is filled with
//! generated secrets — in env files, YAML, a manifest, a file that does not parse, source code —
//! and every output is searched for their plaintext: every report format (human, JSON, SARIF,
//! JUnit, GitHub annotations, the Markdown audit report), with the secret rules and without them
//! (a careless rule quoting values), `ward parse`, a baseline file, and error messages.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::path::{Path, PathBuf};

use support::{repo_root, ward_in};
use ward_engine::testing::token;

/// The scratch repository and the secrets in it.
fn repository() -> (PathBuf, Vec<String>) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("redaction");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    let secrets: Vec<String> = [
        ("github:ghp", "env"),
        ("password", "env password"),
        ("stripe:sk_live", "manifest"),
        ("password", "broken yaml"),
        ("npm", "source"),
        ("google-api-key", "terraform"),
    ]
    .iter()
    .map(|(kind, seed)| token(kind, seed).unwrap())
    .collect();
    let files = [
        (".env.production", format!("APP=shop\nGITHUB_TOKEN={}\nDB_PASSWORD={}\n", secrets[0], secrets[1])),
        (
            "deploy/api.yaml",
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: shop/api:latest\n          env:\n            - name: STRIPE_KEY\n              value: {}\n",
                secrets[2]
            ),
        ),
        ("config/broken.yaml", format!("service: shop\npassword: \"{}\"\nlimits: [1, 2\n", secrets[3])),
        ("src/publish.js", format!("const npmToken = \"{}\";\n", secrets[4])),
        ("infra/maps.tf", format!("locals {{\n  maps_key = \"{}\"\n}}\n", secrets[5])),
    ];
    for (path, text) in files {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    (dir, secrets)
}

fn output_of(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = ward_in(dir).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code(), text)
}

#[test]
fn no_output_holds_a_detected_secret_whole() {
    let (dir, secrets) = repository();
    let leak = repo_root().join("testdata/secrets/leaky-policy");
    let leak = leak.to_str().unwrap();
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("human report", vec!["scan", "."]),
        ("json report", vec!["scan", ".", "--format", "json"]),
        ("sarif report", vec!["scan", ".", "--format", "sarif"]),
        ("junit report", vec!["scan", ".", "--format", "junit"]),
        ("github annotations", vec!["scan", ".", "--format", "github"]),
        ("markdown audit report", vec!["scan", ".", "--format", "markdown"]),
        ("a rule quoting values, as sarif", vec!["scan", ".", "--policy", leak, "--format", "sarif"]),
        ("a rule quoting values, as markdown", vec!["scan", ".", "--policy", leak, "--format", "markdown"]),
        ("secrets only", vec!["scan", ".", "--pack", "secrets"]),
        ("a rule quoting values, no secret rules", vec!["scan", ".", "--policy", leak]),
        ("a rule quoting values, as json", vec!["scan", ".", "--policy", leak, "--format", "json"]),
        ("the graph", vec!["parse", "."]),
        ("the graph with source maps", vec!["parse", ".", "--source-map"]),
        ("a baseline", vec!["baseline", "create", ".", "--pack", "secrets", "--output", "baseline.json"]),
    ];
    let mut failures = Vec::new();
    for (name, args) in &runs {
        let (code, mut text) = output_of(&dir, args);
        if name == &"a baseline" {
            assert_eq!(code, Some(0), "{text}");
            text.push_str(&std::fs::read_to_string(dir.join("baseline.json")).unwrap());
        }
        for secret in &secrets {
            if text.contains(secret.as_str()) {
                failures.push(format!("{name}: holds {}…", &secret[..6]));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The scan did find them: each appears redacted, its first characters and its length.
    let (code, text) = output_of(&dir, &["scan", ".", "--pack", "secrets"]);
    assert_eq!(code, Some(1), "{text}");
    for expected in ["ghp_… (40 characters)", "sk_l… (40 characters)", "npm_… (40 characters)", "AIza… (39 characters)"]
    {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    // The file that does not parse is still read for secrets, and its error is still reported.
    assert!(text.contains("config/broken.yaml:2"), "{text}");
}
