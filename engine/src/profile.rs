//! What each rule cost a scan (`ward scan --profile`): per rule, the time spent evaluating it,
//! how many evaluations it ran, how many findings they gave, and the resource it was slowest on.
//! Evaluation records into a [`Profiler`] per worker only when profiling is asked for (reading
//! the clock is not free); the workers' records are merged and sorted into [`RuleProfile`]s,
//! which the JSON report carries and the CLI prints.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The pseudo-rule the secret scan as a whole is profiled as: its rules run together, over
/// every text at once, through one keyword automaton.
pub(crate) const SECRET_SCAN: &str = "(secrets)";

/// What one rule cost over a whole scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleProfile {
    /// The rule's id ([`SECRET_SCAN`] for the secret scan).
    pub rule: String,
    /// Time spent in all its evaluations, in microseconds.
    pub total_us: u64,
    /// Evaluations run: one per resource (per document for conftest policies, per file for the
    /// secret scan), one in all for a graph rule.
    pub evaluations: usize,
    /// Findings its evaluations gave, before suppression.
    pub findings: usize,
    /// Its slowest evaluation: `None` for a graph rule, which runs once over the whole graph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slowest: Option<Slowest>,
}

/// The resource a rule took longest on, and how long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slowest {
    /// The resource's id (for the secret scan, `file:PATH`).
    pub resource: String,
    /// Microseconds spent on that resource.
    pub time_us: u64,
}

/// A rule's record while a scan runs.
#[derive(Debug, Default)]
struct Entry {
    total: Duration,
    evaluations: usize,
    findings: usize,
    slowest: Option<(String, Duration)>,
}

/// Collects what rules cost, one record per evaluation. One per worker; [`Profiler::merge`]
/// joins them.
#[derive(Debug, Default)]
pub(crate) struct Profiler {
    rules: HashMap<String, Entry>,
}

impl Profiler {
    /// Records one evaluation of `rule` over `resource` (`None`: the whole graph).
    pub(crate) fn record(&mut self, rule: &str, resource: Option<&str>, elapsed: Duration, findings: usize) {
        // The entry is looked up by `&str` first: allocating the id once per rule, not per
        // evaluation.
        let entry = match self.rules.get_mut(rule) {
            Some(entry) => entry,
            None => self.rules.entry(rule.to_owned()).or_default(),
        };
        entry.total += elapsed;
        entry.evaluations += 1;
        entry.findings += findings;
        if let Some(resource) = resource {
            if entry.slowest.as_ref().is_none_or(|(known, time)| slower(elapsed, resource, *time, known)) {
                entry.slowest = Some((resource.to_owned(), elapsed));
            }
        }
    }

    /// Adds another worker's records to these.
    pub(crate) fn merge(&mut self, other: Profiler) {
        for (rule, theirs) in other.rules {
            let entry = self.rules.entry(rule).or_default();
            entry.total += theirs.total;
            entry.evaluations += theirs.evaluations;
            entry.findings += theirs.findings;
            if let Some((resource, time)) = theirs.slowest {
                if entry.slowest.as_ref().is_none_or(|(known, known_time)| slower(time, &resource, *known_time, known))
                {
                    entry.slowest = Some((resource, time));
                }
            }
        }
    }

    /// The records as profiles, costliest first; equal times in rule id order.
    pub(crate) fn finish(self) -> Vec<RuleProfile> {
        let micros = |time: Duration| u64::try_from(time.as_micros()).unwrap_or(u64::MAX);
        let mut profile: Vec<RuleProfile> = self
            .rules
            .into_iter()
            .map(|(rule, entry)| RuleProfile {
                rule,
                total_us: micros(entry.total),
                evaluations: entry.evaluations,
                findings: entry.findings,
                slowest: entry.slowest.map(|(resource, time)| Slowest { resource, time_us: micros(time) }),
            })
            .collect();
        sort(&mut profile);
        profile
    }
}

/// Whether an evaluation taking `time` on `resource` beats the slowest known; equal times go
/// to the first resource id, so that the choice does not depend on which worker ran which.
fn slower(time: Duration, resource: &str, known_time: Duration, known: &str) -> bool {
    time > known_time || (time == known_time && resource < known)
}

/// Costliest first; equal times in rule id order.
pub(crate) fn sort(profile: &mut [RuleProfile]) {
    profile.sort_by(|a, b| b.total_us.cmp(&a.total_us).then_with(|| a.rule.cmp(&b.rule)));
}

/// The profile as a table, as `ward scan --profile` prints it after the report: one line per
/// rule, costliest first, and a total.
///
/// ```
/// use ward_engine::{render_profile, RuleProfile, Slowest};
/// let profile = [RuleProfile { rule: "K8S-001".into(), total_us: 1500, evaluations: 3, findings: 1, slowest: Some(Slowest { resource: "k8s:Pod/a".into(), time_us: 900 }) }];
/// let table = render_profile(&profile);
/// assert!(table.lines().nth(1).unwrap().starts_with("K8S-001"));
/// assert!(table.contains("1.500 ms") && table.contains("0.900 ms  k8s:Pod/a"));
/// ```
pub fn render(profile: &[RuleProfile]) -> String {
    let width = profile.iter().map(|rule| rule.rule.chars().count()).max().unwrap_or(0).max("rule".len());
    let ms = |us: u64| format!("{}.{:03} ms", us / 1000, us % 1000);
    let mut out = String::new();
    let _ = writeln!(out, "{:<width$}  {:>12}  {:>11}  {:>8}  slowest", "rule", "time", "evaluations", "findings");
    let (mut total, mut evaluations, mut findings) = (0u64, 0usize, 0usize);
    for rule in profile {
        let slowest = match &rule.slowest {
            Some(slowest) => format!("{}  {}", ms(slowest.time_us), slowest.resource),
            None => "(graph)".to_owned(),
        };
        let _ = writeln!(
            out,
            "{:<width$}  {:>12}  {:>11}  {:>8}  {slowest}",
            rule.rule,
            ms(rule.total_us),
            rule.evaluations,
            rule.findings
        );
        total = total.saturating_add(rule.total_us);
        evaluations += rule.evaluations;
        findings += rule.findings;
    }
    let _ = writeln!(out, "{:<width$}  {:>12}  {:>11}  {:>8}", "total", ms(total), evaluations, findings);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `finish`.
    #[test]
    fn profiler_finish_example() {
        use crate::profile::Profiler;
        use std::time::Duration;
        let mut profiler = Profiler::default();
        profiler.record("B-1", Some("k8s:Pod/a"), Duration::from_micros(30), 1);
        profiler.record("B-1", Some("k8s:Pod/b"), Duration::from_micros(50), 0);
        profiler.record("A-1", None, Duration::from_micros(80), 2);
        let profile = profiler.finish();
        assert_eq!(profile.iter().map(|rule| rule.rule.as_str()).collect::<Vec<_>>(), ["A-1", "B-1"]);
        assert_eq!((profile[1].evaluations, profile[1].findings), (2, 1));
        assert_eq!(profile[1].slowest.as_ref().map(|slowest| slowest.resource.as_str()), Some("k8s:Pod/b"));
    }
}
