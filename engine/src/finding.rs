//! What a rule reports: [`Finding`], its [`Severity`], where it is, and its fingerprint — an
//! identity that survives edits that only move lines, so baselines and waivers keep matching.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::document::Position;
use crate::pack_ref::PackRef;

/// How bad a finding is, from `info` up to `critical`. Ordered: `Critical > High > … > Info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing to fix.
    Info,
    /// A weakness with little impact on its own.
    Low,
    /// A weakness worth fixing in the normal course of work.
    Medium,
    /// A problem to fix before release.
    High,
    /// A problem to fix now: exposed secrets, open access.
    Critical,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 5] =
        [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info];

    /// The name used in rules, on the command line and in reports (`critical`, `high`, …).
    pub fn name(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A severity name that is not one of ward's five.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity `{0}`; expected one of critical, high, medium, low, info")]
pub struct UnknownSeverity(pub String);

impl FromStr for Severity {
    type Err = UnknownSeverity;

    /// Case-insensitive, so Trivy-style `HIGH` reads as `high`.
    ///
    /// ```
    /// use ward_engine::Severity;
    /// assert_eq!("HIGH".parse(), Ok(Severity::High));
    /// assert!("severe".parse::<Severity>().is_err());
    /// assert!(Severity::Critical > Severity::Low);
    /// ```
    fn from_str(name: &str) -> Result<Severity, UnknownSeverity> {
        Severity::ALL
            .into_iter()
            .find(|severity| severity.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownSeverity(name.to_owned()))
    }
}

/// Where a finding is: the file and the span it points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Relative to the scan root, `/`-separated.
    pub path: String,
    /// Where the span starts.
    pub start: Position,
    /// Where the span ends.
    pub end: Position,
}

/// Another place a finding concerns, with what is there: the other environment's side of a
/// parity difference, the file that lacks what this one sets.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RelatedLocation {
    /// The place.
    pub location: Location,
    /// What is there, as the rule words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One result of one rule about one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The id of the rule that found it (`K8S-001`).
    pub rule_id: String,
    /// How bad it is: the rule's severity, or the one `ward.toml` sets for the rule.
    pub severity: Severity,
    /// What is wrong, in words (secrets redacted).
    pub message: String,
    /// Where it is.
    pub location: Location,
    /// The resource the finding is about.
    pub resource: String,
    /// The JSON pointer into the resource's value the rule pointed at (empty for the resource).
    pub pointer: String,
    /// The pack the rule came from, when it came from a pack (`name@version` when serialized).
    pub pack: Option<PackRef>,
    /// Stable across runs and line changes: what baselines and waivers match a finding by
    /// ([`Finding::fingerprint_of`]).
    pub fingerprint: String,
    /// Other places the finding concerns, in the order the rule gave them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedLocation>,
    /// For a finding on objects kustomize overlays render: the environments whose overlays
    /// deploy what it is about, sorted (one finding for a base line every overlay shares).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<String>,
    /// What else the rule said of the finding: the members of a conftest result object other
    /// than `msg` (`{"msg": …, "details": {…}}`), as the policy gave them — what conftest's
    /// JSON output shows as a result's `metadata`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, serde_json::Value>,
}

/// Puts findings in report order — path, position, rule, resource, message — and drops exact
/// repeats: every output lists them so, whatever order they were found in.
pub(crate) fn sort_findings(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        (&a.location.path, a.location.start, &a.rule_id, &a.resource, &a.message).cmp(&(
            &b.location.path,
            b.location.start,
            &b.rule_id,
            &b.resource,
            &b.message,
        ))
    });
    findings.dedup();
}

impl Finding {
    /// The fingerprint of a finding: rule, resource and pointer — never a line number, so that
    /// moving code does not make a baselined finding look new.
    ///
    /// ```
    /// use ward_engine::Finding;
    /// let a = Finding::fingerprint_of("K8S-001", "k8s:Deployment/api@deploy", "/spec/replicas");
    /// assert_eq!(a, Finding::fingerprint_of("K8S-001", "k8s:Deployment/api@deploy", "/spec/replicas"));
    /// assert_ne!(a, Finding::fingerprint_of("K8S-001", "k8s:Deployment/api@deploy", "/spec"));
    /// assert_eq!(a.len(), 32);
    /// ```
    pub fn fingerprint_of(rule_id: &str, resource: &str, pointer: &str) -> String {
        let mut hasher = Sha256::new();
        // Each part is length-prefixed so that no two different triples hash alike.
        for part in [rule_id, resource, pointer] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        data_encoding::HEXLOWER.encode(hasher.finalize().get(..16).unwrap_or_default())
    }
}
