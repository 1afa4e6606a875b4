//! The audit report in Markdown, as the release and infrastructure audits ask for it: a summary
//! by severity and by pack; the Environment Drift Report (the environment-parity findings,
//! each side's place and what is there); the Secrets Hygiene Check (what the secret rules found,
//! redacted as everywhere); rollback readiness (the release-safety rules about deploying and
//! rolling back, each passed, failed or not run); every finding at its file:line; every
//! suppression, and the waivers that have expired; and the problems with the run.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{human, ReportData, ReportedFinding};
use crate::finding::Severity;
use crate::policy::pack::PackRef;
use crate::suppress::EXPIRED_WAIVER;

/// The pack of the parity and drift rules.
const PARITY_PACK: &str = "environment-parity";
/// The pack of the secret rules.
const SECRETS_PACK: &str = "secrets";
/// The release-safety rules that say whether a release can be rolled out gradually and rolled
/// back: immutable image references, ECS, CodeDeploy and Lambda gradual deploys with automatic
/// rollback, and Kubernetes rollout strategies.
const ROLLBACK_RULES: &[&str] = &["REL-004", "REL-005", "REL-006", "REL-007", "REL-008"];

/// Renders the report.
pub fn render(report: &ReportData) -> String {
    let mut out = String::from("# ward audit report\n\n");
    let _ = writeln!(out, "{}.\n", human::summary_line(report));
    summary(report, &mut out);
    drift(report, &mut out);
    secrets(report, &mut out);
    rollback(report, &mut out);
    findings(report, &mut out);
    suppressions(report, &mut out);
    problems(report, &mut out);
    let end = out.trim_end().len();
    out.truncate(end);
    out.push('\n');
    out
}

fn summary(report: &ReportData, out: &mut String) {
    out.push_str("## Summary\n\n| Severity | Findings |\n|---|---:|\n");
    for severity in Severity::ALL {
        let _ = writeln!(out, "| {severity} | {} |", report.summary.by_severity.get(severity));
    }
    let _ = writeln!(out, "| **total** | **{}** |\n", report.findings.len());
    // Every pack that ran, with or without findings.
    let mut packs: BTreeMap<String, [usize; 5]> = BTreeMap::new();
    for rule in &report.rules {
        packs.entry(pack_label(rule.pack.as_ref(), &rule.id)).or_default();
    }
    for finding in &report.findings {
        let counts = packs.entry(pack_label(finding.pack.as_ref(), &finding.rule)).or_default();
        if let Some(count) = Severity::ALL.iter().position(|s| *s == finding.severity).and_then(|i| counts.get_mut(i)) {
            *count += 1;
        }
    }
    out.push_str("| Pack | Critical | High | Medium | Low | Info | Total |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (pack, counts) in &packs {
        let cells: Vec<String> = counts.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "| {} | {} | {} |", cell(pack), cells.join(" | "), counts.iter().sum::<usize>());
    }
    out.push('\n');
}

/// `kubernetes@0.1.0`; `loose policies` or `ward` for rules of no pack.
fn pack_label(pack: Option<&PackRef>, rule: &str) -> String {
    match (pack, rule) {
        (Some(pack), _) => pack.to_string(),
        (None, EXPIRED_WAIVER) => "ward".to_owned(),
        (None, _) => "loose policies".to_owned(),
    }
}

fn of_pack<'a>(findings: &'a [ReportedFinding], pack: &'a str) -> impl Iterator<Item = &'a ReportedFinding> + 'a {
    findings.iter().filter(move |finding| finding.pack_name() == Some(pack))
}

fn rules_of_pack(report: &ReportData, pack: &str) -> usize {
    report.rules.iter().filter(|rule| rule.pack.as_ref().is_some_and(|rule_pack| rule_pack.name == pack)).count()
}

fn drift(report: &ReportData, out: &mut String) {
    out.push_str("## Environment Drift Report\n\n");
    let rules = rules_of_pack(report, PARITY_PACK);
    let found: Vec<&ReportedFinding> = of_pack(&report.findings, PARITY_PACK).collect();
    if rules == 0 {
        out.push_str("The environment-parity pack did not run.\n\n");
        return;
    }
    if found.is_empty() {
        let _ = writeln!(out, "No drift: {} found the environments alike.\n", human::count(rules, "parity rule"));
        return;
    }
    let _ = writeln!(
        out,
        "{} between environments, from {}. Each row is one difference: where it is reported, and the other side.\n",
        human::count(found.len(), "difference"),
        human::count(rules, "parity rule")
    );
    out.push_str("| Rule | Severity | Difference | This side | Other side |\n|---|---|---|---|---|\n");
    for finding in found {
        let others: Vec<String> = finding
            .related
            .iter()
            .map(|related| {
                let place = code(&format!("{}:{}", related.path, related.line));
                match &related.message {
                    Some(message) => format!("{} — {place}", cell(message)),
                    None => place,
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            finding.rule,
            finding.severity,
            cell(&finding.message),
            code(&format!("{}:{}", finding.path, finding.line)),
            if others.is_empty() { "—".to_owned() } else { others.join("<br>") }
        );
    }
    out.push('\n');
}

fn secrets(report: &ReportData, out: &mut String) {
    out.push_str("## Secrets Hygiene Check\n\n");
    let rules = rules_of_pack(report, SECRETS_PACK);
    if rules == 0 {
        out.push_str("The secrets pack did not run.\n\n");
        return;
    }
    let found: Vec<&ReportedFinding> = of_pack(&report.findings, SECRETS_PACK).collect();
    let suppressed = of_pack(&report.suppressed, SECRETS_PACK).count();
    match found.len() {
        0 => {
            let _ = writeln!(out, "No secret found by {}.", human::count(rules, "secret rule"));
        }
        n => {
            let _ = writeln!(
                out,
                "{} by {}. Values are redacted: ward never shows a secret whole.\n",
                human::count(n, "secret found"),
                human::count(rules, "secret rule")
            );
            out.push_str("| Rule | Severity | Where | Finding |\n|---|---|---|---|\n");
            for finding in found {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    finding.rule,
                    finding.severity,
                    code(&finding.location()),
                    cell(&finding.message)
                );
            }
        }
    }
    if suppressed > 0 {
        let _ =
            writeln!(out, "\n{} suppressed (listed under Suppressions).", human::count(suppressed, "secret finding"));
    }
    out.push('\n');
}

fn rollback(report: &ReportData, out: &mut String) {
    out.push_str("## Rollback Readiness\n\n");
    out.push_str("What the release-safety rules about deploying and rolling back found.\n\n");
    out.push_str("| Check | Rule | Result |\n|---|---|---|\n");
    for id in ROLLBACK_RULES {
        let rule = report.rule(id);
        let title = rule.map_or(*id, |rule| rule.title.as_str());
        let found: Vec<&ReportedFinding> = report.findings.iter().filter(|finding| finding.rule == *id).collect();
        let result = match (rule, found.len()) {
            (None, _) => "not run".to_owned(),
            (Some(_), 0) => "passed".to_owned(),
            (Some(_), n) => {
                let places: Vec<String> =
                    found.iter().map(|finding| code(&format!("{}:{}", finding.path, finding.line))).collect();
                format!("**failed**: {} — {}", human::count(n, "finding"), places.join(", "))
            }
        };
        let _ = writeln!(out, "| {} | {id} | {result} |", cell(title));
    }
    out.push('\n');
}

fn findings(report: &ReportData, out: &mut String) {
    out.push_str("## Findings\n\n");
    if report.findings.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    // Most severe first; within a severity, in report order.
    let mut ordered: Vec<&ReportedFinding> = report.findings.iter().collect();
    ordered.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    out.push_str("| Severity | Rule | Location | Resource | Message |\n|---|---|---|---|---|\n");
    for finding in ordered {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            finding.severity,
            finding.rule,
            code(&finding.location()),
            code(&finding.resource),
            cell(&finding.message)
        );
    }
    out.push('\n');
}

fn suppressions(report: &ReportData, out: &mut String) {
    out.push_str("## Suppressions\n\n");
    if report.suppressed.is_empty() {
        out.push_str("None.\n\n");
    } else {
        let by = report.summary.by_suppression;
        let _ = writeln!(
            out,
            "{} ({} inline, {} baseline, {} waiver).\n",
            human::count(report.suppressed.len(), "suppressed finding"),
            by.inline,
            by.baseline,
            by.waiver
        );
        out.push_str("| Rule | Location | Suppressed by | Reason | Expires |\n|---|---|---|---|---|\n");
        for finding in &report.suppressed {
            let by = finding.suppression.as_ref();
            // Where the suppression is written: a comment's line in the finding's file, a
            // waiver's in ward.toml.
            let kind = match by {
                Some(by) => match (by.kind.as_str(), by.line) {
                    ("waiver", Some(line)) => format!("waiver ({})", code(&format!("ward.toml:{line}"))),
                    (kind, Some(line)) => format!("{kind} (line {line})"),
                    (kind, None) => kind.to_owned(),
                },
                None => "—".to_owned(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                finding.rule,
                code(&finding.location()),
                kind,
                by.and_then(|by| by.reason.as_deref()).map_or("—".to_owned(), cell),
                by.and_then(|by| by.expires.as_deref()).unwrap_or("—")
            );
        }
        out.push('\n');
    }
    out.push_str("### Expired waivers\n\n");
    let expired: Vec<&ReportedFinding> =
        report.findings.iter().filter(|finding| finding.rule == EXPIRED_WAIVER).collect();
    if expired.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    out.push_str("| Waiver | Finding |\n|---|---|\n");
    for finding in expired {
        let _ = writeln!(out, "| {} | {} |", code(&finding.location()), cell(&finding.message));
    }
    out.push('\n');
}

fn problems(report: &ReportData, out: &mut String) {
    if !report.errors.is_empty() {
        let _ = writeln!(
            out,
            "## Errors\n\n{} made this run untrustworthy: its findings may be incomplete.\n",
            human::count(report.errors.len(), "problem")
        );
        for problem in &report.errors {
            // A problem with no file is about the run itself (the rule engine, a `--pack` name).
            let place = if problem.path.is_empty() { "ward".to_owned() } else { code(&problem.location()) };
            let _ = writeln!(out, "- {place}: {}", cell(&problem.message));
        }
        out.push('\n');
    }
    if !report.notes.is_empty() {
        let files = human::count(report.summary.not_judged, "file");
        let _ = writeln!(out, "## Not judged\n\n{files} read and not judged:\n");
        for note in &report.notes {
            let _ = writeln!(out, "- {}: {}", code(&note.location()), cell(&note.message));
        }
        out.push('\n');
    }
}

/// Text for a table cell: on one line, with the characters that would end the cell or turn
/// into markup escaped outside code spans (`` `…` `` is kept, a message's code reads as code).
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            // A table splits cells at `|` even inside code spans, unless it is escaped.
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            '&' if !in_code => out.push_str("&amp;"),
            '*' | '_' | '[' | ']' | '\\' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text as a code span for a table cell (a path, a location): backticks around it — two when
/// it holds one — and `|` escaped.
pub fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ").replace('|', "\\|");
    match text.contains('`') {
        true => format!("`` {text} ``"),
        false => format!("`{text}`"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `cell`.
    #[test]
    fn cell_example() {
        use crate::report::markdown::cell;
        assert_eq!(cell("a | b\nc"), "a \\| b c");
        assert_eq!(cell("value <fill> in `x|y`"), "value &lt;fill&gt; in `x\\|y`");
        assert_eq!(cell("*_DEBUG"), "\\*\\_DEBUG");
    }

    /// The example from the documentation of `code`.
    #[test]
    fn code_example() {
        use crate::report::markdown::code;
        assert_eq!(code("deploy/api_v2.yaml:3"), "`deploy/api_v2.yaml:3`");
        assert_eq!(code("a`b|c"), "`` a`b\\|c ``");
    }
}
