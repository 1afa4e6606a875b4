//! SARIF 2.1.0, built with `serde-sarif`'s types (generated from the OASIS schema), for code
//! scanning services. One run of the `ward` driver:
//!
//! - the rules the findings name, each with its title, description and help — the Markdown
//!   `ward explain` prints — its default level and, for GitHub, a `security-severity`;
//! - a result per finding: its level from the severity (critical and high `error`, medium
//!   `warning`, low and info `note`), its place (1-based lines and columns counted in Unicode
//!   code points, as ward counts them, with the masked lines around it as `contextRegion`), the
//!   resource as a logical location, the other places it concerns as `relatedLocations`, and
//!   ward's fingerprint in `partialFingerprints`; its resource, pointer and pack, and what else
//!   a conftest result object said (`details`), in its `properties`;
//! - suppressed findings too, each with its `suppressions` entry: `inSource` for a `ward:ignore`
//!   comment, `external` for the baseline and waivers, with the reason as justification;
//! - problems with the run as the invocation's notifications (`executionSuccessful` false).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;
use serde_sarif::sarif;

use super::{Excerpt, Problem, ReportData, ReportedFinding, RuleInfo, SerializeError};
use crate::finding::Severity;

/// The schema a SARIF file names, as published by OASIS.
const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// Where relative artifact URIs are rooted: the scan root.
const SOURCE_ROOT: &str = "%SRCROOT%";
/// The key of ward's fingerprint in `partialFingerprints`.
const FINGERPRINT: &str = "wardFingerprint/v1";

/// Renders the report.
pub fn render(report: &ReportData) -> Result<String, SerializeError> {
    let named: BTreeSet<&str> = report.findings.iter().chain(&report.suppressed).map(|f| f.rule.as_str()).collect();
    let rules: Vec<&RuleInfo> = report.rules.iter().filter(|rule| named.contains(rule.id.as_str())).collect();
    let index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, rule)| (rule.id.as_str(), i)).collect();
    let results: Vec<sarif::Result> = report
        .findings
        .iter()
        .chain(&report.suppressed)
        .map(|finding| result(finding, index.get(finding.rule.as_str()).copied()))
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name(report.tool.name.clone())
        .version(report.tool.version.clone())
        .rules(rules.iter().map(|rule| descriptor(rule)).collect::<Vec<_>>())
        .build();
    let notifications: Vec<sarif::Notification> = report
        .errors
        .iter()
        .map(|problem| notification(problem, sarif::NotificationLevel::Error))
        .chain(report.notes.iter().map(|note| notification(note, sarif::NotificationLevel::Note)))
        .collect();
    let invocation = sarif::Invocation::builder()
        .execution_successful(!report.has_errors())
        .tool_execution_notifications(notifications)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .invocations(vec![invocation])
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    let log = sarif::Sarif::builder().schema(SCHEMA).version(json!("2.1.0")).runs(vec![run]).build();
    Ok(serde_json::to_string_pretty(&log)? + "\n")
}

fn level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Critical | Severity::High => sarif::ResultLevel::Error,
        Severity::Medium => sarif::ResultLevel::Warning,
        Severity::Low | Severity::Info => sarif::ResultLevel::Note,
    }
}

/// The score GitHub code scanning reads to rank security alerts (0–10).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn text(message: &str) -> sarif::Message {
    sarif::Message::builder().text(message.to_owned()).build()
}

fn descriptor(rule: &RuleInfo) -> sarif::ReportingDescriptor {
    let documentation = rule.documentation.as_ref();
    let description = documentation.map(|d| d.description.trim()).filter(|d| !d.is_empty()).unwrap_or(&rule.title);
    let help_text = documentation.map(|d| d.remediation.trim()).filter(|r| !r.is_empty()).unwrap_or(description);
    let mut help = sarif::MultiformatMessageString::builder().text(help_text.to_owned()).build();
    help.markdown = rule.markdown();
    let mut properties = BTreeMap::new();
    properties.insert("security-severity".to_owned(), json!(security_severity(rule.severity)));
    properties.insert("severity".to_owned(), json!(rule.severity.name()));
    let tags: Vec<String> = rule.pack.iter().map(|pack| pack.name.clone()).collect();
    let mut descriptor = sarif::ReportingDescriptor::builder()
        .id(rule.id.clone())
        .short_description(sarif::MultiformatMessageString::builder().text(rule.title.clone()).build())
        .full_description(sarif::MultiformatMessageString::builder().text(description.to_owned()).build())
        .help(help)
        .default_configuration(
            sarif::ReportingConfiguration::builder().level(json!(level(rule.severity).to_string())).build(),
        )
        .properties(sarif::PropertyBag::builder().tags(tags).additional_properties(properties).build())
        .build();
    descriptor.help_uri = documentation
        .and_then(|d| d.references.iter().find(|r| r.starts_with("https://") || r.starts_with("http://")))
        .cloned();
    descriptor
}

fn result(finding: &ReportedFinding, rule_index: Option<usize>) -> sarif::Result {
    let logical =
        sarif::LogicalLocation::builder().fully_qualified_name(finding.resource.clone()).kind("resource").build();
    let location = sarif::Location::builder()
        .physical_location(physical(
            &finding.path,
            (finding.line, finding.column, finding.end_line, finding.end_column),
            finding.source.as_ref(),
        ))
        .logical_locations(vec![logical])
        .build();
    let related: Vec<sarif::Location> = finding
        .related
        .iter()
        .enumerate()
        .map(|(index, related)| {
            let mut place = sarif::Location::builder()
                .id(i64::try_from(index + 1).unwrap_or(i64::MAX))
                .physical_location(physical(
                    &related.path,
                    (related.line, related.column, related.end_line, related.end_column),
                    None,
                ))
                .build();
            place.message = related.message.as_deref().map(text);
            place
        })
        .collect();
    let mut properties = BTreeMap::new();
    properties.insert("resource".to_owned(), json!(finding.resource));
    properties.insert("pointer".to_owned(), json!(finding.pointer));
    properties.insert("pack".to_owned(), json!(finding.pack));
    if !finding.environments.is_empty() {
        properties.insert("environments".to_owned(), json!(finding.environments));
    }
    if !finding.details.is_empty() {
        properties.insert("details".to_owned(), json!(finding.details));
    }
    let mut result = sarif::Result::builder()
        .rule_id(finding.rule.clone())
        .level(level(finding.severity))
        .message(text(&finding.message))
        .locations(vec![location])
        .partial_fingerprints(BTreeMap::from([(FINGERPRINT.to_owned(), finding.fingerprint.clone())]))
        .properties(sarif::PropertyBag::builder().additional_properties(properties).build())
        .build();
    result.rule_index = rule_index.and_then(|index| i64::try_from(index).ok());
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    if let Some(by) = &finding.suppression {
        let kind = if by.kind == "inline" { "inSource" } else { "external" };
        let mut suppression = sarif::Suppression::builder().kind(json!(kind)).status(json!("accepted")).build();
        suppression.justification = by.reason.clone();
        if by.kind == "inline" {
            suppression.location = by.line.map(|line| {
                sarif::Location::builder()
                    .physical_location(
                        sarif::PhysicalLocation::builder()
                            .artifact_location(artifact(&finding.path))
                            .region(sarif::Region::builder().start_line(i64::from(line)).build())
                            .build(),
                    )
                    .build()
            });
        }
        let mut properties = BTreeMap::new();
        properties.insert("ward/kind".to_owned(), json!(by.kind));
        if let Some(expires) = &by.expires {
            properties.insert("expires".to_owned(), json!(expires));
        }
        suppression.properties = Some(sarif::PropertyBag::builder().additional_properties(properties).build());
        result.suppressions = Some(vec![suppression]);
    }
    result
}

fn artifact(path: &str) -> sarif::ArtifactLocation {
    sarif::ArtifactLocation::builder().uri(uri(path)).uri_base_id(SOURCE_ROOT).build()
}

/// A place in a file: its region, and the lines around it when the report has them and they
/// hold the whole region.
fn physical(
    path: &str,
    (line, column, end_line, end_column): (u32, u32, u32, u32),
    excerpt: Option<&Excerpt>,
) -> sarif::PhysicalLocation {
    let region = sarif::Region::builder()
        .start_line(i64::from(line))
        .start_column(i64::from(column))
        .end_line(i64::from(end_line))
        .end_column(i64::from(end_column))
        .build();
    let mut physical = sarif::PhysicalLocation::builder().artifact_location(artifact(path)).region(region).build();
    physical.context_region =
        excerpt.filter(|excerpt| excerpt.line <= line && end_line <= excerpt.last_line()).map(|excerpt| {
            sarif::Region::builder()
                .start_line(i64::from(excerpt.line))
                .end_line(i64::from(excerpt.last_line()))
                .snippet(sarif::ArtifactContent::builder().text(excerpt.text.clone()).build())
                .build()
        });
    physical
}

fn notification(problem: &Problem, level: sarif::NotificationLevel) -> sarif::Notification {
    let mut message = problem.message.clone();
    if let Some(help) = &problem.help {
        message = format!("{message} (help: {help})");
    }
    let mut notification =
        sarif::Notification::builder().message(text(&message)).level(json!(level.to_string())).build();
    if !problem.path.is_empty() {
        let mut physical = sarif::PhysicalLocation::builder().artifact_location(artifact(&problem.path)).build();
        if let (Some(line), Some(column)) = (problem.line, problem.column) {
            physical.region =
                Some(sarif::Region::builder().start_line(i64::from(line)).start_column(i64::from(column)).build());
        }
        notification.locations = Some(vec![sarif::Location::builder().physical_location(physical).build()]);
    }
    notification
}

/// A relative path as a URI reference: characters other than unreserved ones and `/`
/// percent-encoded (a space, `%`, `#`, `?` would otherwise change what it names).
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(char::from(byte)),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `uri`.
    #[test]
    fn uri_example() {
        use crate::report::sarif::uri;
        assert_eq!(uri("deploy/k8s/api.yaml"), "deploy/k8s/api.yaml");
        assert_eq!(uri("my docs/#1.md"), "my%20docs/%231.md");
    }
}
