//! JUnit XML (through `quick-junit`), for CI systems that show test results: one test suite per
//! pack, and in it one test case per rule × resource that failed (a `failure` listing each
//! finding at its file:line:col), one skipped case per suppressed finding (with what suppressed
//! it), and one passing case per rule that found nothing. Problems that made the run
//! untrustworthy are `error` cases of a `ward` suite — errors, not failures: no rule judged
//! the input — and notes are that suite's `system-out`.

use std::collections::BTreeMap;
use std::fmt::Write;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{ReportData, ReportedFinding, SerializeError};
use crate::policy::pack::PackRef;
use crate::suppress::EXPIRED_WAIVER;

/// The suite of ward's own rule and of problems with the run.
const WARD_SUITE: &str = "ward";
/// The suite of rules from loose policy files.
const LOOSE_SUITE: &str = "policies";

/// Renders the report.
pub fn render(report: &ReportData) -> Result<String, SerializeError> {
    let mut suites: BTreeMap<String, Vec<TestCase>> = BTreeMap::new();
    let suite_of = |rule: &str, pack: Option<&PackRef>| match (rule, pack) {
        (_, Some(pack)) => pack.to_string(),
        (EXPIRED_WAIVER, None) => WARD_SUITE.to_owned(),
        (_, None) => LOOSE_SUITE.to_owned(),
    };
    let mut failed: BTreeMap<(&str, &str), Vec<&ReportedFinding>> = BTreeMap::new();
    for finding in &report.findings {
        failed.entry((finding.rule.as_str(), finding.resource.as_str())).or_default().push(finding);
    }
    for ((rule, resource), findings) in &failed {
        let Some(first) = findings.first() else { continue };
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        let message = match findings.len() {
            1 => first.message.clone(),
            n => format!("{n} findings; the first: {}", first.message),
        };
        let severity = findings.iter().map(|finding| finding.severity).max().unwrap_or(first.severity);
        status.set_message(message).set_type(severity.name()).set_description(describe(findings));
        let mut case = TestCase::new(format!("{rule} {resource}"), status);
        case.set_classname(rule.to_string());
        suites.entry(suite_of(rule, first.pack.as_ref())).or_default().push(case);
    }
    for suppressed in &report.suppressed {
        let mut status = TestCaseStatus::skipped();
        let by = suppressed.suppression.as_ref();
        let kind = by.map_or("a suppression", |by| by.kind.as_str());
        let mut message = format!("suppressed by {kind}");
        if let Some(reason) = by.and_then(|by| by.reason.as_deref()) {
            let _ = write!(message, ": {reason}");
        }
        if let Some(expires) = by.and_then(|by| by.expires.as_deref()) {
            let _ = write!(message, " (until {expires})");
        }
        status.set_message(message).set_type(kind.to_owned()).set_description(describe(&[suppressed]));
        let mut case = TestCase::new(format!("{} {}", suppressed.rule, suppressed.resource), status);
        case.set_classname(suppressed.rule.clone());
        suites.entry(suite_of(&suppressed.rule, suppressed.pack.as_ref())).or_default().push(case);
    }
    for rule in &report.rules {
        let quiet = !report.findings.iter().chain(&report.suppressed).any(|finding| finding.rule == rule.id);
        if quiet {
            let mut case = TestCase::new(rule.id.clone(), TestCaseStatus::success());
            case.set_classname(rule.id.clone());
            suites.entry(suite_of(&rule.id, rule.pack.as_ref())).or_default().push(case);
        }
    }
    for problem in &report.errors {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        let mut description = problem.to_string();
        if let Some(help) = &problem.help {
            let _ = write!(description, "\nhelp: {help}");
        }
        status.set_message(problem.message.clone()).set_type("error").set_description(description);
        let name = if problem.path.is_empty() { "ward".to_owned() } else { problem.location() };
        let mut case = TestCase::new(name, status);
        case.set_classname(WARD_SUITE);
        suites.entry(WARD_SUITE.to_owned()).or_default().push(case);
    }
    if !report.notes.is_empty() {
        suites.entry(WARD_SUITE.to_owned()).or_default();
    }
    let mut junit = Report::new("ward");
    for (name, mut cases) in suites {
        // Failures first (they are what a reader looks for), then skipped, then passed; by name.
        cases.sort_by_key(|case| (order(&case.status), case.name.as_str().to_owned()));
        let mut suite = TestSuite::new(name.clone());
        suite.add_test_cases(cases);
        if name == WARD_SUITE && !report.notes.is_empty() {
            let notes: Vec<String> = report.notes.iter().map(|note| format!("note: {note}")).collect();
            suite.set_system_out(notes.join("\n"));
        }
        junit.add_test_suite(suite);
    }
    let mut text = junit.to_string()?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

fn order(status: &TestCaseStatus) -> u8 {
    match status {
        TestCaseStatus::NonSuccess { .. } => 0,
        TestCaseStatus::Skipped { .. } => 1,
        TestCaseStatus::Success { .. } => 2,
    }
}

/// Each finding at its place, with the other places it concerns.
fn describe(findings: &[&ReportedFinding]) -> String {
    let mut text = String::new();
    for finding in findings {
        let _ = writeln!(text, "{}: [{}] {}", finding.location(), finding.severity, finding.message);
        for related in &finding.related {
            related.write_also_at(&mut text);
        }
    }
    text.trim_end().to_owned()
}
