//! ward's kustomize rendering against kustomize itself: every kustomization under `testdata/`
//! (the corpus copy included) is rendered by ward and by `kubectl kustomize`, and the objects
//! must be the same, compared as canonical JSON (in any order; exactly, within an object). Where
//! kubectl refuses a kustomization, ward must report an error for it. The expected outputs kept
//! beside the feature cases must be kubectl's too, so that they never drift from it.
//!
//! Without kubectl the test says so and passes, except in CI (`CI` set), where it fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::process::Command;

use support::kustomize::{differences, is_component, kustomization_dirs, parse_stream, render, repo_root};
use ward_engine::Level;

/// Where ward's rendering differs from kubectl's on purpose, with why: a kustomization
/// (`*`: all of it) or one object of it.
const KNOWN_DIFFERENCES: [(&str, &str, &str); 4] = [
    (
        "testdata/kustomize/features/errors/remote",
        "*",
        "ward does not fetch remote bases: a note says so, and the rest renders (kubectl would reach the network)",
    ),
    (
        "testdata/kustomize/corpus/microservices-demo/kustomize/tests/memorystore-with-all-components",
        "ConfigMap collector-gateway-config-template",
        "a literal block scalar that ends the file without a line break: the YAML reader keeps a final \\n",
    ),
    (
        "testdata/kustomize/corpus/microservices-demo/kustomize/tests/service-mesh-istio-with-all-components",
        "ConfigMap collector-gateway-config-template",
        "the same block scalar, through another kustomization",
    ),
    (
        "testdata/kustomize/corpus/microservices-demo/kustomize/tests/spanner-with-all-components",
        "ConfigMap collector-gateway-config-template",
        "the same block scalar, through another kustomization",
    ),
];

fn kubectl_available() -> bool {
    Command::new("kubectl").args(["version", "--client"]).output().is_ok_and(|out| out.status.success())
}

/// `kubectl kustomize DIR`: its objects, or its error.
fn kubectl_kustomize(dir: &str) -> Result<Vec<serde_json::Value>, String> {
    let output = Command::new("kubectl").arg("kustomize").arg(dir).current_dir(repo_root()).output().unwrap();
    match output.status.success() {
        true => Ok(parse_stream(&String::from_utf8_lossy(&output.stdout))),
        false => Err(String::from_utf8_lossy(&output.stderr).into_owned()),
    }
}

fn require_kubectl() -> bool {
    if kubectl_available() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "kubectl is required in CI: `kubectl kustomize` is the reference");
    eprintln!("kubectl not found: the comparison with kustomize is skipped (it is required in CI)");
    false
}

#[test]
fn every_kustomization_renders_as_kubectl_renders_it() {
    if !require_kubectl() {
        return;
    }
    let dirs: Vec<String> = kustomization_dirs("testdata").into_iter().filter(|dir| !is_component(dir)).collect();
    assert!(dirs.len() >= 20, "the kustomizations of testdata: {dirs:?}");
    let mut failures = Vec::new();
    for dir in &dirs {
        if KNOWN_DIFFERENCES.iter().any(|(known, object, _)| known == dir && *object == "*") {
            continue;
        }
        let known = |object: &serde_json::Value| {
            KNOWN_DIFFERENCES.iter().any(|(known, id, _)| known == dir && *id == support::kustomize::describe(object))
        };
        let (ours, diagnostics) = render(dir);
        let errors: Vec<String> =
            diagnostics.iter().filter(|d| d.level == Level::Error).map(ToString::to_string).collect();
        match kubectl_kustomize(dir) {
            Ok(theirs) => {
                if !errors.is_empty() {
                    failures.push(format!("{dir}: kubectl renders it, ward reports {errors:?}"));
                }
                let ours: Vec<serde_json::Value> =
                    ours.into_iter().map(|object| object.value).filter(|object| !known(object)).collect();
                let theirs: Vec<serde_json::Value> = theirs.into_iter().filter(|object| !known(object)).collect();
                for difference in differences(&ours, &theirs) {
                    failures.push(format!("{dir}: {difference}"));
                }
            }
            Err(message) => {
                if errors.is_empty() {
                    failures.push(format!("{dir}: kubectl refuses it ({}), ward reports no error", message.trim()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} difference(s):\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn the_expected_outputs_of_the_feature_cases_are_kubectls() {
    if !require_kubectl() {
        return;
    }
    let mut failures = Vec::new();
    for case in support::kustomize_cases::cases() {
        let Some(expected) = &case.expected_output else { continue };
        match kubectl_kustomize(&case.render_dir()) {
            Ok(theirs) => {
                for difference in differences(expected, &theirs) {
                    failures.push(format!("{}: expected.yaml: {difference}", case.dir));
                }
            }
            Err(message) => failures.push(format!("{}: kubectl refuses it: {message}", case.dir)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
