//! `ward test`: a pack's own tests, run over the whole engine (it loads, evaluates and scans
//! fixtures, so it sits above evaluation). Every rule needs two fixtures under `tests/<RULE-ID>/`:
//!
//! - `fail/`: a small repository the rule must report on, with `fail/expect.yaml` listing the
//!   findings expected, `- {path: deployment.yaml, line: 9}` (paths relative to `fail/`), and
//!   optionally the other places each concerns, `related: [{path: staging.yaml, line: 4}]`
//!   (checked, in the rule's order, when given; the overlay a rendered object comes from, which
//!   the engine adds, is not among them);
//! - `pass/`: a small repository the rule must not report on.
//!
//! More cases of either outcome go in folders named `fail-<case>/` and `pass-<case>/` (a
//! kustomize base and an overlay whose patch introduces the problem: `fail-overlay/`).
//!
//! A rule without both fails. Rego `test_*` rules in `*_test.rego` files run too, and must be
//! true. With coverage on, the Rego lines the fixtures and tests ran are recorded.
//!
//! A fixture may hold a `params.yaml`: params merged over the pack's defaults for that fixture
//! only — to test a rule's params, or to pin what a rule would otherwise read from the clock
//! (`today: 2024-06-01`), so that a fixture passes or fails the same way every day.
//!
//! Fixtures of secret rules write `<<ward:KIND>>` where a credential goes (`<<ward:github:ghp>>`);
//! each is replaced by a structurally valid fake made at run time
//! ([`generate::expand`](crate::secrets::generate::expand)), so that a pack never holds a
//! string a scanner would take for a live credential.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::eval::{evaluate, EvalOptions};
use crate::graph::Graph;
use crate::load::parse_text;
use crate::parse::yaml::{parse_stream, ScalarRules};
use crate::parse::Limits;
use crate::policy::pack::{Pack, PackRef};
use crate::policy::rego::LineCoverage;
use crate::policy::Policies;
use crate::secrets::scan::SecretScanner;
use crate::secrets::scan_texts;
use crate::source::detect_kind;

/// The expectations file of a failing fixture.
const EXPECT_FILE: &str = "expect.yaml";

/// A fixture's own params, over the pack's defaults.
const PARAMS_FILE: &str = "params.yaml";

/// What `ward test` found for one pack.
#[derive(Debug, Clone)]
pub struct PackTestReport {
    /// The pack the tests are of (`name@version`).
    pub pack: PackRef,
    /// Names of the tests that passed: `K8S-002 fail`, `data.ward.x_test.test_y`.
    pub passed: Vec<String>,
    /// The tests that failed, each with what differs.
    pub failures: Vec<TestFailure>,
    /// With coverage: Rego lines run, per rule and library file of the pack.
    pub coverage: Vec<LineCoverage>,
}

/// One test that did not pass, and why (for fixtures, expected against actual findings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestFailure {
    pub test: String,
    pub detail: String,
}

/// Runs every test of `pack`.
///
/// ```
/// let (packs, _) = ward_engine::builtin_packs();
/// let secrets = packs.iter().find(|pack| pack.manifest.name == "secrets").unwrap();
/// let report = ward_engine::run_pack_tests(secrets, false);
/// assert!(report.failures.is_empty(), "{:?}", report.failures);
/// assert!(report.passed.iter().any(|name| name == "SEC-002 fail"));
/// ```
pub fn run(pack: &Pack, coverage: bool) -> PackTestReport {
    let mut report =
        PackTestReport { pack: pack.manifest.label(), passed: Vec::new(), failures: Vec::new(), coverage: Vec::new() };
    let (policies, mut errors) = Policies::assemble(&[], std::slice::from_ref(pack));
    // A call to a function that does not exist fails only when evaluation reaches it: found
    // here, it fails the pack's tests even in a branch no fixture takes.
    errors.extend(policies.rego.unknown_functions());
    for error in errors {
        report.failures.push(TestFailure { test: "load".into(), detail: error.to_string() });
    }
    let mut ids: Vec<&str> = policies.rules().map(|(rule, _)| rule.id.as_str()).collect();
    ids.sort_unstable();
    for id in ids {
        let mut outcomes = vec!["fail".to_owned(), "pass".to_owned()];
        outcomes.extend(extra_cases(pack, id));
        for outcome in &outcomes {
            let test = format!("{id} {outcome}");
            match run_fixture(pack, &policies, id, outcome, coverage, &mut report.coverage) {
                Ok(()) => report.passed.push(test),
                Err(failure) => report.failures.push(TestFailure { test, detail: failure.to_string() }),
            }
        }
    }
    run_rego_tests(pack, coverage, &mut report);
    report
}

/// The folders of a rule's further cases (`fail-overlay`, `pass-base-only`), sorted.
fn extra_cases(pack: &Pack, id: &str) -> BTreeSet<String> {
    let prefix = format!("tests/{id}/");
    pack.files
        .range(prefix.clone()..)
        .map_while(|(path, _)| path.strip_prefix(&prefix))
        .filter_map(|rest| rest.split_once('/').map(|(folder, _)| folder))
        .filter(|folder| folder.starts_with("fail-") || folder.starts_with("pass-"))
        .map(str::to_owned)
        .collect()
}

/// One fixture: its files evaluated with the pack's rules, the rule's findings compared with
/// what is expected.
fn run_fixture(
    pack: &Pack,
    policies: &Policies,
    id: &str,
    outcome: &str,
    coverage: bool,
    lines: &mut Vec<LineCoverage>,
) -> Result<(), FixtureFailure> {
    let prefix = format!("tests/{id}/{outcome}/");
    let mut documents = Vec::new();
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut expect_text = None;
    let mut fixture_params = None;
    for (path, content) in pack.files.range(prefix.clone()..) {
        let Some(name) = path.strip_prefix(&prefix) else { break };
        let text = String::from_utf8(content.clone()).map_err(|_| FixtureFailure::NotUtf8(path.clone()))?;
        if name == EXPECT_FILE {
            expect_text = Some(text);
            continue;
        }
        if name == PARAMS_FILE {
            fixture_params =
                Some(params_of(&text).map_err(|error| FixtureFailure::File { path: path.clone(), error })?);
            continue;
        }
        let text = crate::secrets::generate::expand_with(&text, path, &policies.secrets)
            .map_err(|error| FixtureFailure::Placeholder { path: path.clone(), error })?;
        texts.push((name.to_owned(), text.clone()));
        match parse_text(name, detect_kind(name), text, &Limits::default()) {
            Ok(Some(document)) => documents.push(document),
            Ok(None) => {}
            Err(diagnostic) => {
                return Err(FixtureFailure::Parse { path: path.clone(), diagnostic: Box::new(diagnostic) })
            }
        }
    }
    if texts.is_empty() {
        return Err(FixtureFailure::NoFixture(prefix));
    }
    let expected = match (outcome.split('-').next().unwrap_or(outcome), expect_text) {
        ("fail", Some(text)) => expectations(&text)
            .map_err(|error| FixtureFailure::File { path: format!("{prefix}{EXPECT_FILE}"), error })?,
        ("fail", None) => return Err(FixtureFailure::NoExpectations(prefix)),
        _ => Vec::new(),
    };
    let (graph, rendering) = Graph::build_rendering(documents, &Default::default(), None, &Limits::default());
    // A fixture's kustomization that does not render would test nothing.
    if let Some(diagnostic) = rendering.into_iter().find(|d| d.level == crate::diagnostic::Level::Error) {
        return Err(FixtureFailure::Parse {
            path: format!("{prefix}{}", diagnostic.path),
            diagnostic: Box::new(diagnostic),
        });
    }
    let options = EvalOptions { jobs: 1, coverage, ..EvalOptions::default() };
    let with_params;
    let policies = match fixture_params {
        Some(layer) => {
            let mut copy = policies.clone();
            // Every rule of the pack sees the fixture's params (the first entry is the `{}` of
            // rules without any, which the fixture's params give some).
            for params in &mut copy.params {
                crate::policy::merge_params(params, &layer);
            }
            with_params = copy;
            &with_params
        }
        None => policies,
    };
    let evaluation = evaluate(&graph, policies, &options);
    LineCoverage::merge(lines, evaluation.coverage);
    let errors: Vec<String> = evaluation
        .errors
        .iter()
        .filter(|error| error.message.contains(&format!("rule {id} ")))
        .map(ToString::to_string)
        .collect();
    if !errors.is_empty() {
        return Err(FixtureFailure::RuleFailed(errors));
    }
    let scanner = SecretScanner::new(policies.secrets.iter().filter(|rule| rule.metadata.id == id).cloned().collect());
    let borrowed: Vec<(&str, &str)> = texts.iter().map(|(path, text)| (path.as_str(), text.as_str())).collect();
    let secrets = scan_texts(&scanner, &borrowed, 1);
    let mut found: Vec<Expected> = evaluation
        .findings
        .iter()
        .chain(&secrets.findings)
        .filter(|finding| finding.rule_id == id)
        .map(|finding| Expected {
            place: (finding.location.path.clone(), finding.location.start.line),
            related: Some(
                finding
                    .related
                    .iter()
                    // The rule's own places: the overlay that rendered the object is the engine's.
                    .filter(|related| !crate::eval::is_rendered_by(related))
                    .map(|related| (related.location.path.clone(), related.location.start.line))
                    .collect(),
            ),
        })
        .collect();
    found.sort();
    let places = |list: &[Expected]| list.iter().map(|e| e.place.clone()).collect::<Vec<_>>();
    let (expected_places, actual) = (places(&expected), places(&found));
    if actual != expected_places {
        let mut detail = String::new();
        for (path, line) in expected_places.iter().filter(|e| !actual.contains(e)) {
            detail.push_str(&format!("\n  - {path}:{line}"));
        }
        for (path, line) in actual.iter().filter(|a| !expected_places.contains(a)) {
            detail.push_str(&format!("\n  + {path}:{line}"));
        }
        return Err(FixtureFailure::FindingsDiffer(detail));
    }
    // The places match; each expectation that lists related places needs a finding there with
    // exactly those.
    let mut unmatched = found;
    let mut detail = String::new();
    for expectation in expected.iter().filter(|e| e.related.is_some()) {
        match unmatched.iter().position(|f| f.place == expectation.place && f.related == expectation.related) {
            Some(at) => {
                unmatched.remove(at);
            }
            None => {
                let (path, line) = &expectation.place;
                let actual: Vec<String> = unmatched
                    .iter()
                    .filter(|f| f.place == expectation.place)
                    .map(|f| show_related(f.related.as_deref().unwrap_or_default()))
                    .collect();
                detail.push_str(&format!(
                    "\n  {path}:{line}: expected related {}, found {}",
                    show_related(expectation.related.as_deref().unwrap_or_default()),
                    actual.join(" or ")
                ));
            }
        }
    }
    match detail.is_empty() {
        true => Ok(()),
        false => Err(FixtureFailure::RelatedDiffer(detail)),
    }
}

/// Why a fixture failed: `ward test` shows it as the test's detail.
#[derive(Debug, thiserror::Error)]
enum FixtureFailure {
    #[error("{0} is not UTF-8 text")]
    NotUtf8(String),
    /// `params.yaml` or `expect.yaml`.
    #[error("{path}: {error}")]
    File { path: String, error: FixtureFileError },
    #[error("{path}: {error}")]
    Placeholder { path: String, error: crate::secrets::generate::ExpandError },
    #[error("{path}: {diagnostic}")]
    Parse { path: String, diagnostic: Box<crate::diagnostic::Diagnostic> },
    /// The fixture's directory, `tests/ID/OUTCOME/`.
    #[error("no `{0}` fixture: every rule needs a failing and a passing example")]
    NoFixture(String),
    #[error("no `{0}{EXPECT_FILE}` saying which findings to expect")]
    NoExpectations(String),
    /// The rule's errors on the fixture, one a line.
    #[error("{}", .0.join("\n"))]
    RuleFailed(Vec<String>),
    /// The places missing (`- path:line`) and unexpected (`+ path:line`), a line each.
    #[error("findings differ (- expected, + actual){0}")]
    FindingsDiffer(String),
    /// The expectations whose related places differ, a line each.
    #[error("related places differ{0}")]
    RelatedDiffer(String),
}

/// A fixture's `params.yaml` or `expect.yaml` that is not what it should be.
#[derive(Debug, PartialEq, thiserror::Error)]
enum FixtureFileError {
    #[error(transparent)]
    Yaml(#[from] crate::parse::ParseError),
    #[error("expected a mapping of params")]
    NotParams,
    #[error("expected a list of `{{path, line}}`")]
    NotAList,
    #[error("each expectation is `{{path, line}}`, with optional `related: [{{path, line}}]`, got {0}")]
    BadExpectation(Value),
}

/// A fixture's `params.yaml`: a mapping.
fn params_of(text: &str) -> Result<Value, FixtureFileError> {
    let parsed = parse_stream(text, ScalarRules::Yaml12, &Limits::default())?;
    parsed.value.get(0).filter(|v| v.is_object()).cloned().ok_or(FixtureFileError::NotParams)
}

/// An expected finding: its place, and (when the expectation lists them) its related places.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    place: (String, u32),
    related: Option<Vec<(String, u32)>>,
}

fn show_related(related: &[(String, u32)]) -> String {
    let places: Vec<String> = related.iter().map(|(path, line)| format!("{path}:{line}")).collect();
    format!("[{}]", places.join(", "))
}

/// `[{path, line, related?}]`, in report order.
fn expectations(text: &str) -> Result<Vec<Expected>, FixtureFileError> {
    let parsed = parse_stream(text, ScalarRules::Yaml12, &Limits::default())?;
    let entries = parsed.value.get(0).and_then(Value::as_array).ok_or(FixtureFileError::NotAList)?;
    let place = |entry: &Value| -> Option<(String, u32)> {
        let path = entry.get("path").and_then(Value::as_str)?;
        let line = entry.get("line").and_then(Value::as_u64).and_then(|line| u32::try_from(line).ok())?;
        Some((path.to_owned(), line))
    };
    let mut expected = entries
        .iter()
        .map(|entry| {
            let shape = || FixtureFileError::BadExpectation(entry.clone());
            let related = match entry.get("related") {
                None => None,
                Some(Value::Array(places)) => {
                    Some(places.iter().map(place).collect::<Option<Vec<_>>>().ok_or_else(shape)?)
                }
                Some(_) => return Err(shape()),
            };
            Ok(Expected { place: place(entry).ok_or_else(shape)?, related })
        })
        .collect::<Result<Vec<_>, _>>()?;
    expected.sort();
    Ok(expected)
}

/// Rego `test_*` rules in the pack's `*_test.rego` files, with its rules and libraries loaded.
fn run_rego_tests(pack: &Pack, coverage: bool, report: &mut PackTestReport) {
    let rego: Vec<(String, String)> = pack
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rego"))
        .filter_map(|(path, content)| {
            Some((format!("{}/{path}", pack.origin), String::from_utf8(content.clone()).ok()?))
        })
        .collect();
    let tests: Vec<&(String, String)> = rego.iter().filter(|(path, _)| path.ends_with("_test.rego")).collect();
    if tests.is_empty() {
        return;
    }
    let mut engine = regorus::Engine::new();
    engine.set_enable_coverage(coverage);
    let mut packages = Vec::new();
    for (path, text) in &rego {
        match engine.add_policy(path.clone(), text.clone()) {
            Ok(package) => packages.push((path, package)),
            Err(error) => report.failures.push(TestFailure { test: path.clone(), detail: error.to_string() }),
        }
    }
    for (path, package) in packages.into_iter().filter(|(path, _)| path.ends_with("_test.rego")) {
        let text = tests.iter().find(|(test_path, _)| test_path == path).map_or("", |(_, text)| text.as_str());
        for name in test_rule_names(text) {
            let test = format!("{package}.{name}");
            match engine.eval_rule(test.clone()) {
                Ok(regorus::Value::Bool(true)) => report.passed.push(test),
                Ok(regorus::Value::Undefined) => report.failures.push(TestFailure {
                    test,
                    detail: format!("{path}: undefined: a condition in the test is not met"),
                }),
                Ok(other) => {
                    report.failures.push(TestFailure { test, detail: format!("{path}: gave {other}, not true") })
                }
                Err(error) => report.failures.push(TestFailure { test, detail: error.to_string() }),
            }
        }
    }
    if coverage {
        if let Ok(lines) = engine.get_coverage_report() {
            let lines = lines
                .files
                .into_iter()
                .filter(|file| !file.path.ends_with("_test.rego"))
                .map(|file| LineCoverage { path: file.path, covered: file.covered, uncovered: file.not_covered })
                .collect();
            LineCoverage::merge(&mut report.coverage, lines);
        }
    }
}

/// The names of the `test_…` rules a module declares (at the start of a line), once each.
fn test_rule_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .lines()
        .filter(|line| line.starts_with("test_"))
        .map(|line| line.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_rules_are_found_once_each() {
        let text =
            "package x_test\n\ntest_a if { true }\ntest_a if { false }\ntest_b := true\n  test_indented if { true }\n";
        assert_eq!(test_rule_names(text), ["test_a", "test_b"]);
    }

    #[test]
    fn expectations_are_a_list_of_paths_and_lines_with_optional_related_places() {
        let place = |path: &str, line: u32| (path.to_owned(), line);
        assert_eq!(
            expectations("- {path: b.yaml, line: 3}\n- {path: a.yaml, line: 9, related: [{path: c.yaml, line: 2}]}\n"),
            Ok(vec![
                Expected { place: place("a.yaml", 9), related: Some(vec![place("c.yaml", 2)]) },
                Expected { place: place("b.yaml", 3), related: None },
            ])
        );
        assert!(expectations("- {path: a.yaml}\n").is_err());
        assert!(expectations("path: a.yaml\n").is_err());
        assert!(expectations("- {path: a.yaml, line: 1, related: c.yaml}\n").is_err());
        assert!(expectations("- {path: a.yaml, line: 1, related: [{path: c.yaml}]}\n").is_err());
    }
}
