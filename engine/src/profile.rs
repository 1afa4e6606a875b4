//! What each rule cost a scan (`ward scan --profile`): per rule, the time spent evaluating it,
//! how many evaluations it ran, how many findings they gave, and the resource it was slowest on.
//! Evaluation records into a [`Profiler`] per worker only when profiling is asked for (reading
//! the clock is not free); the workers' records are merged and sorted into [`RuleProfile`]s,
//! which the JSON report carries and the CLI prints.
//!
//! A scan's stages (reading and parsing, the graph, compiling, evaluating, the secret scan) are
//! timed too, with the heap the allocator counts at each one's end ([`StageProfile`]): where the
//! time and the memory of a whole run go, before any rule is blamed.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

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

/// What one stage of a scan cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageProfile {
    /// What the stage does: `read and parse`, `graph`, `compile rules`, `evaluate`, …
    pub stage: String,
    /// Wall time, in microseconds.
    pub wall_us: u64,
    /// Heap live at the stage's end, in bytes, as the allocator counts it (a thread's last few
    /// kilobytes may not be counted yet).
    pub heap_bytes: u64,
    /// The highest the heap had been by the stage's end: a rise over the previous stage's is
    /// this stage's peak.
    pub peak_heap_bytes: u64,
}

/// Times the stages of a run, one lap each.
#[derive(Debug)]
pub(crate) struct StageClock {
    lap_started: Instant,
    stages: Vec<StageProfile>,
}

impl StageClock {
    pub(crate) fn start() -> StageClock {
        StageClock { lap_started: Instant::now(), stages: Vec::new() }
    }

    /// Ends the stage `stage`, which began when the previous one ended.
    pub(crate) fn lap(&mut self, stage: &str) {
        let now = Instant::now();
        let (heap_bytes, peak_heap_bytes) = heap();
        self.stages.push(StageProfile {
            stage: stage.to_owned(),
            wall_us: u64::try_from(now.duration_since(self.lap_started).as_micros()).unwrap_or(u64::MAX),
            heap_bytes,
            peak_heap_bytes,
        });
        self.lap_started = now;
    }

    pub(crate) fn finish(self) -> Vec<StageProfile> {
        self.stages
    }
}

/// The bytes the process's heap holds now, and the most it has held, as regorus's allocator
/// (the process's global one) counts them.
pub(crate) fn heap() -> (u64, u64) {
    regorus::flush_thread_memory_counters();
    let stats = regorus_mimalloc::limits::global_allocation_stats_snapshot();
    (stats.allocated, stats.peak)
}

/// The stages as a table, as `ward scan --profile` prints it after the rules' table.
pub fn render_stages(stages: &[StageProfile]) -> String {
    let mb = |bytes: u64| format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0));
    let width = stages.iter().map(|stage| stage.stage.chars().count()).max().unwrap_or(0).max("stage".len());
    let mut out = String::new();
    let _ = writeln!(out, "{:<width$}  {:>12}  {:>12}  {:>12}", "stage", "wall", "heap after", "peak so far");
    for stage in stages {
        let wall = format!("{}.{:03} ms", stage.wall_us / 1000, stage.wall_us % 1000);
        let _ = writeln!(
            out,
            "{:<width$}  {wall:>12}  {:>12}  {:>12}",
            stage.stage,
            mb(stage.heap_bytes),
            mb(stage.peak_heap_bytes)
        );
    }
    out
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

    #[test]
    fn stages_are_timed_in_order_with_the_heap_at_each_end() {
        use crate::profile::{render_stages, StageClock};
        let mut clock = StageClock::start();
        clock.lap("read and parse");
        let held = vec![0u8; 4 << 20];
        clock.lap("graph");
        let stages = clock.finish();
        assert_eq!(stages.iter().map(|stage| stage.stage.as_str()).collect::<Vec<_>>(), ["read and parse", "graph"]);
        assert!(stages[1].peak_heap_bytes >= stages[1].heap_bytes);
        assert!(stages[1].peak_heap_bytes >= stages[0].peak_heap_bytes, "the peak never falls");
        let table = render_stages(&stages);
        assert!(table.lines().nth(2).unwrap().starts_with("graph"), "{table}");
        drop(held);
    }

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
