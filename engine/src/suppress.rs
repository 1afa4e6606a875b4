//! Suppressions (DESIGN §5), for every kind of finding: an inline `ward:ignore` comment on the
//! finding's line or the comment line above it, a baseline file of fingerprints, and waivers in
//! `ward.toml` with a reason and an expiry date. A suppressed finding is never dropped silently:
//! it is kept, with what suppressed it, and counted in every report. A waiver past its expiry
//! date suppresses nothing and is itself reported as a finding.

use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Value};

use crate::config::Waiver;
pub use crate::date::Date;
use crate::document::{LineIndex, Position};
use crate::finding::{Finding, Location, Severity};

/// The id of the finding an expired waiver becomes.
pub(crate) const EXPIRED_WAIVER: &str = "WARD-WAIVER-EXPIRED";

/// What an [`EXPIRED_WAIVER`] finding means: ward's own rule, documented like a pack's, for
/// the reports that document the rules their findings name.
pub(crate) fn expired_waiver_rule() -> crate::policy::RuleMetadata {
    crate::policy::RuleMetadata {
        id: EXPIRED_WAIVER.to_owned(),
        title: "Waivers in ward.toml have not expired".to_owned(),
        severity: Severity::Medium,
        kinds: Vec::new(),
        types: Vec::new(),
        scope: crate::policy::RuleScope::Graph,
        description: "A waiver accepts a finding for a while, with a reason and an expiry date. Past that date it \
            suppresses nothing, and the waiver itself is reported: the findings it covered are back, and the \
            decision to accept them is due again."
            .to_owned(),
        remediation: "Fix the findings the waiver covered and remove it, or, if they are still accepted, renew the \
            waiver with a new `expires` date and a current reason."
            .to_owned(),
        references: Vec::new(),
        pack: None,
    }
}

/// The marker of an inline suppression.
const MARKER: &str = "ward:ignore";

/// What kept a finding out of the results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suppression {
    /// A `ward:ignore` comment, at this line of the finding's file.
    Inline {
        /// The comment's 1-based line.
        line: u32,
        /// Why, as the comment says.
        reason: Option<String>,
    },
    /// The baseline file.
    Baseline,
    /// A waiver in `ward.toml`.
    Waiver {
        /// Why the finding is accepted.
        reason: String,
        /// The waiver's last day.
        expires: Date,
        /// Where the waiver is written in `ward.toml`.
        position: Position,
    },
}

impl Suppression {
    /// `inline`, `baseline` or `waiver`.
    pub fn kind(&self) -> &'static str {
        match self {
            Suppression::Inline { .. } => "inline",
            Suppression::Baseline => "baseline",
            Suppression::Waiver { .. } => "waiver",
        }
    }

    /// The reason given for it, if any.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Suppression::Inline { reason, .. } => reason.as_deref(),
            Suppression::Baseline => None,
            Suppression::Waiver { reason, .. } => Some(reason),
        }
    }
}

/// A finding, and what suppressed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    /// The finding, as its rule gave it.
    pub finding: Finding,
    /// What suppressed it.
    pub by: Suppression,
}

/// A baseline: the fingerprints of findings accepted as they are, so that only new ones fail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    fingerprints: BTreeSet<String>,
}

/// A baseline file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BaselineError(pub String);

impl Baseline {
    /// The baseline of `findings`, as written by `ward baseline create`.
    pub fn of(findings: &[Finding]) -> Baseline {
        Baseline { fingerprints: findings.iter().map(|finding| finding.fingerprint.clone()).collect() }
    }

    /// How many fingerprints the baseline holds.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    /// Whether the baseline holds no fingerprint.
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }

    /// Whether `finding` is in the baseline (by its fingerprint).
    pub fn contains(&self, finding: &Finding) -> bool {
        self.fingerprints.contains(&finding.fingerprint)
    }

    /// The file: each finding's fingerprint with its rule and place, for people reading a diff
    /// of the baseline (only the fingerprint is matched). Secret findings' messages are
    /// already redacted.
    pub fn render(findings: &[Finding]) -> Value {
        let mut entries: Vec<Value> = findings
            .iter()
            .map(|finding| {
                json!({
                    "fingerprint": finding.fingerprint,
                    "rule": finding.rule_id,
                    "path": finding.location.path,
                    "message": finding.message,
                })
            })
            .collect();
        entries.sort_by(|a, b| a["fingerprint"].as_str().cmp(&b["fingerprint"].as_str()));
        entries.dedup_by(|a, b| a["fingerprint"] == b["fingerprint"]);
        json!({"version": 1, "findings": entries})
    }

    /// Reads a baseline file's text.
    ///
    /// ```
    /// use ward_engine::Baseline;
    /// let baseline = Baseline::parse(r#"{"version": 1, "findings": [{"fingerprint": "ab12", "rule": "X-1"}]}"#).unwrap();
    /// assert_eq!(baseline.len(), 1);
    /// assert!(Baseline::parse(r#"{"version": 2}"#).is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| BaselineError(format!("{}:{}: not JSON: {e}", e.line(), e.column())))?;
        if value.get("version").and_then(Value::as_u64) != Some(1) {
            return Err(BaselineError("not a ward baseline (expected `\"version\": 1`)".into()));
        }
        let entries = value
            .get("findings")
            .and_then(Value::as_array)
            .ok_or_else(|| BaselineError("a baseline has a `findings` list of `{fingerprint, …}`".into()))?;
        let mut fingerprints = BTreeSet::new();
        for (index, entry) in entries.iter().enumerate() {
            let fingerprint = entry
                .get("fingerprint")
                .and_then(Value::as_str)
                .ok_or_else(|| BaselineError(format!("findings[{index}] has no `fingerprint`")))?;
            fingerprints.insert(fingerprint.to_owned());
        }
        Ok(Baseline { fingerprints })
    }
}

/// What suppressions apply to a run.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    /// The baseline, when the run has one.
    pub baseline: Option<Baseline>,
    /// The waivers of `ward.toml`.
    pub waivers: Vec<Waiver>,
    /// `ward.toml`, as messages name it: where expired waivers are reported.
    pub config_path: String,
    /// The day waivers expire against; `None` for the clock's today.
    pub today: Option<Date>,
}

/// What is left after suppressions: the findings that stand (expired waivers among them) and
/// the ones suppressed.
#[derive(Debug, Default)]
pub struct Applied {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
}

impl Suppressions {
    /// Splits `findings` into those that stand and those suppressed; `text_of` gives a file's
    /// text (for inline comments). Inline comments are looked at first, then waivers, then the
    /// baseline. Expired waivers are added as findings at their place in `ward.toml`.
    pub fn apply<'t>(&self, findings: Vec<Finding>, text_of: &dyn Fn(&str) -> Option<&'t str>) -> Applied {
        let today = self.today.unwrap_or_else(Date::today);
        let mut applied = Applied::default();
        let mut lines: HashMap<String, Option<(&'t str, LineIndex)>> = HashMap::new();
        for finding in findings {
            let file = lines
                .entry(finding.location.path.clone())
                .or_insert_with(|| text_of(&finding.location.path).map(|text| (text, LineIndex::new(text))));
            let inline = file.as_ref().and_then(|(text, index)| inline_suppression(text, index, &finding));
            let waiver = || {
                self.waivers.iter().find(|waiver| waiver.expires >= today && waiver.covers(&finding)).map(|waiver| {
                    Suppression::Waiver {
                        reason: waiver.reason.clone(),
                        expires: waiver.expires,
                        position: waiver.position,
                    }
                })
            };
            let baseline =
                || self.baseline.as_ref().filter(|baseline| baseline.contains(&finding)).map(|_| Suppression::Baseline);
            match inline.or_else(waiver).or_else(baseline) {
                Some(by) => applied.suppressed.push(Suppressed { finding, by }),
                None => applied.findings.push(finding),
            }
        }
        for waiver in self.waivers.iter().filter(|waiver| waiver.expires < today) {
            applied.findings.push(expired(waiver, &self.config_path));
        }
        applied
    }
}

/// The finding an expired waiver becomes.
fn expired(waiver: &Waiver, config_path: &str) -> Finding {
    let resource = format!("config:{config_path}");
    let subject = format!("{}@{}", waiver.rule, waiver.position.line);
    Finding {
        rule_id: EXPIRED_WAIVER.to_owned(),
        severity: Severity::Medium,
        message: format!(
            "the waiver for {} expired on {} and no longer suppresses anything (reason given: {}); fix the findings or renew the waiver",
            waiver.rule, waiver.expires, waiver.reason
        ),
        location: Location { path: config_path.to_owned(), start: waiver.position, end: waiver.position },
        fingerprint: Finding::fingerprint_of(EXPIRED_WAIVER, &resource, &subject),
        resource,
        pointer: String::new(),
        pack: None,
        related: Vec::new(),
        environments: Vec::new(),
        details: Default::default(),
    }
}

/// An inline `ward:ignore` that covers `finding`: on its first line, or on a comment line just
/// above it.
fn inline_suppression(text: &str, lines: &LineIndex, finding: &Finding) -> Option<Suppression> {
    let line_text = |number: u32| -> Option<&str> {
        let start = lines.line_start(number)?;
        let rest = text.get(start..)?;
        Some(rest.split('\n').next().unwrap_or(rest).trim_end_matches('\r'))
    };
    let line = finding.location.start.line;
    let on_line = line_text(line).and_then(|text| directive(text, false));
    let above =
        || line.checked_sub(1).filter(|&above| above > 0).and_then(line_text).and_then(|text| directive(text, true));
    let (at, directive) = match on_line {
        Some(found) => (line, found),
        None => (line.saturating_sub(1), above()?),
    };
    directive.covers(&finding.rule_id).then_some(Suppression::Inline { line: at, reason: directive.reason })
}

/// A parsed `ward:ignore [RULE-ID[, RULE-ID…]] [-- reason]`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    /// Empty: every rule.
    rules: Vec<String>,
    reason: Option<String>,
}

impl Directive {
    fn covers(&self, rule: &str) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|id| id.eq_ignore_ascii_case(rule))
    }
}

/// The comment markers of the formats ward reads (`#` YAML, HCL, Dockerfile, env files, shell,
/// Python; `//` and `/*` HCL, JS, Go, Rust, Java; `<!--` XML and Markdown; `--` SQL; `;` INI).
const COMMENT_MARKERS: &[&str] = &["#", "//", "/*", "<!--", "--", ";"];

/// The directive on `line`, if it has one inside a comment. With `whole_line`, the comment must
/// be all the line holds (a directive trailing code covers that code, not the line below).
fn directive(line: &str, whole_line: bool) -> Option<Directive> {
    let at = line.find(MARKER)?;
    let before = line.get(..at)?;
    let marker = COMMENT_MARKERS.iter().filter_map(|marker| before.find(marker)).min()?;
    if whole_line && !before.get(..marker)?.trim().is_empty() {
        return None;
    }
    let rest = line.get(at + MARKER.len()..)?;
    // `ward:ignore` must be a word of its own: not `ward:ignored`.
    if rest.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '-') {
        return None;
    }
    let rest =
        rest.trim_end_matches(|c: char| c.is_whitespace() || c == '/' || c == '*' || c == '>').trim_end_matches("--");
    let (ids, reason) = match rest.split_once("--") {
        Some((ids, reason)) => (ids, Some(reason.trim().to_owned()).filter(|reason| !reason.is_empty())),
        None => (rest, None),
    };
    let rules =
        ids.split(|c: char| c == ',' || c.is_whitespace()).filter(|id| !id.is_empty()).map(str::to_owned).collect();
    Some(Directive { rules, reason })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn directives_are_read_in_every_comment_syntax() {
        type Expected<'a> = Option<(&'a [&'a str], Option<&'a str>)>;
        let cases: &[(&str, bool, Expected)] = &[
            ("password: x # ward:ignore SEC-016 -- test fixture", false, Some((&["SEC-016"], Some("test fixture")))),
            ("# ward:ignore K8S-001, K8S-002", true, Some((&["K8S-001", "K8S-002"], None))),
            ("  // ward:ignore AWS-001 -- legacy bucket", true, Some((&["AWS-001"], Some("legacy bucket")))),
            ("/* ward:ignore AWS-002 */", true, Some((&["AWS-002"], None))),
            ("<!-- ward:ignore X-1 -- docs -->", true, Some((&["X-1"], Some("docs")))),
            ("-- ward:ignore REL-009 -- backed up first", true, Some((&["REL-009"], Some("backed up first")))),
            ("; ward:ignore", true, Some((&[], None))),
            ("FROM x # ward:ignore CTR-001", false, Some((&["CTR-001"], None))),
            ("FROM x # ward:ignore CTR-001", true, None),
            ("key: ward:ignore SEC-1", false, None),
            ("# ward:ignored SEC-1", true, None),
            ("nothing here", false, None),
        ];
        for (line, whole_line, expected) in cases {
            let got = directive(line, *whole_line);
            let expected = expected.map(|(rules, reason)| Directive {
                rules: rules.iter().map(|r| (*r).to_owned()).collect(),
                reason: reason.map(str::to_owned),
            });
            assert_eq!(got, expected, "{line}");
        }
    }

    fn finding(rule: &str, path: &str, line: u32, fingerprint: &str) -> Finding {
        let at = Position { line, column: 1 };
        Finding {
            rule_id: rule.into(),
            severity: Severity::High,
            message: "m".into(),
            location: Location { path: path.into(), start: at, end: at },
            resource: format!("file:{path}"),
            pointer: String::new(),
            pack: None,
            fingerprint: fingerprint.into(),
            related: Vec::new(),
            environments: Vec::new(),
            details: Default::default(),
        }
    }

    #[test]
    fn every_kind_of_suppression_is_kept_with_its_reason_and_expired_waivers_are_findings() {
        let text = "a: 1 # ward:ignore R-1 -- on the line\n# ward:ignore R-2 -- above\nb: 2\nc: 3\nd: 4\ne: 5\n";
        let waiver = |rule: &str, expires: &str| Waiver {
            rule: rule.into(),
            resource: None,
            path: Some(globset::Glob::new("*.yaml").unwrap().compile_matcher()),
            fingerprint: None,
            reason: "accepted until the migration".into(),
            expires: Date::parse(expires).unwrap(),
            position: Position { line: 9, column: 1 },
        };
        let suppressions = Suppressions {
            baseline: Some(Baseline::of(&[finding("R-5", "a.yaml", 6, "fp-5")])),
            waivers: vec![waiver("R-3", "2030-01-01"), waiver("R-4", "2020-01-01")],
            config_path: "ward.toml".into(),
            today: Date::parse("2026-11-30"),
        };
        let findings = vec![
            finding("R-1", "a.yaml", 1, "fp-1"),
            finding("R-2", "a.yaml", 3, "fp-2"),
            finding("R-2", "a.yaml", 4, "fp-2b"),
            finding("R-3", "a.yaml", 4, "fp-3"),
            finding("R-4", "a.yaml", 5, "fp-4"),
            finding("R-5", "a.yaml", 6, "fp-5"),
        ];
        let applied = suppressions.apply(findings, &|path| (path == "a.yaml").then_some(text));
        let kinds: Vec<(&str, &str)> =
            applied.suppressed.iter().map(|s| (s.finding.rule_id.as_str(), s.by.kind())).collect();
        assert_eq!(kinds, [("R-1", "inline"), ("R-2", "inline"), ("R-3", "waiver"), ("R-5", "baseline")]);
        assert_eq!(applied.suppressed[1].by.reason(), Some("above"));
        let standing: Vec<(&str, u32)> =
            applied.findings.iter().map(|f| (f.rule_id.as_str(), f.location.start.line)).collect();
        assert_eq!(standing, [("R-2", 4), ("R-4", 5), (EXPIRED_WAIVER, 9)]);
        assert!(applied.findings[2].message.contains("expired on 2020-01-01"));
    }

    #[test]
    fn dates_are_validated_and_today_is_a_real_date() {
        assert_eq!(Date::parse("2024-02-29").map(|d| d.to_string()).as_deref(), Some("2024-02-29"));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2027-03-31T10:00:00Z"), Date::parse("2027-03-31"));
        assert!(Date::today() > Date::parse("2025-01-01").unwrap());
    }
}
