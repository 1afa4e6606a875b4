//! `ward scan --history`: the secret rules over every line a repository's commits added
//! ([`crate::source::history`]), each secret reported once however many commits carry it —
//! deduplicated by fingerprint (the rule and a hash of the secret, as everywhere) — at the
//! commit, path and line where it first appeared, with the last commit that added it and how
//! many did. A baseline made from such a run suppresses the same secrets in the next one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::json;

use super::redact::Redactor;
use super::scan::SecretScanner;
use super::{collect, SecretScan};
use crate::finding::Finding;
use crate::source::git::GitError;
use crate::source::history::{each_added, Added, HistoryStats};

/// How many distinct secrets one history scan reports, at most: memory stays bounded on a
/// repository that committed a generated file of fake keys in every commit.
const MAX_SECRETS: usize = 100_000;

/// A secret met in the history, as first reported, and how often it came back.
struct Seen {
    finding: Finding,
    last_commit: String,
    last_date: String,
    commits: u64,
}

/// Scans the lines the commits of `range` added under `root` (see [`each_added`]); `bytes` is
/// the diff text read.
pub(crate) fn scan_history(root: &Path, range: Option<&str>, scanner: &SecretScanner) -> Result<SecretScan, GitError> {
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    let mut secrets: BTreeSet<String> = BTreeSet::new();
    let stats: HistoryStats = each_added(root, range, |added: &Added<'_>| {
        let detected = scanner.scan(added.path, added.text);
        if detected.is_empty() {
            return;
        }
        // Only while findings are still recorded: the secrets of findings never reported need
        // no redaction, and the set stays as bounded as the findings.
        if seen.len() < MAX_SECRETS {
            for found in &detected {
                secrets.insert(found.secret.clone());
                if let Some(raw) = added.text.get(found.span.start..found.span.end) {
                    secrets.insert(raw.to_owned());
                }
                if let Some((_, companion)) = &found.companion {
                    secrets.insert(companion.clone());
                }
            }
        }
        let scan = collect(scanner, vec![(added.path, added.text, detected)]);
        for mut finding in scan.findings {
            // Lines of the added text → lines of the file in that commit.
            let line_of = |line: u32| {
                usize::try_from(line).ok().and_then(|line| added.lines.get(line.saturating_sub(1))).copied()
            };
            finding.location.start.line = line_of(finding.location.start.line).unwrap_or(finding.location.start.line);
            finding.location.end.line = line_of(finding.location.end.line).unwrap_or(finding.location.end.line);
            let commit = &added.commit;
            let room = seen.len() < MAX_SECRETS;
            match seen.get_mut(&finding.fingerprint) {
                Some(known) if known.last_commit != commit.id => {
                    known.commits += 1;
                    known.last_commit.clone_from(&commit.id);
                    known.last_date.clone_from(&commit.date);
                }
                Some(_) => {}
                None if room => {
                    let short = commit.id.get(..12).unwrap_or(&commit.id);
                    finding.message = format!("{} (added in commit {short}, {})", finding.message, commit.date);
                    finding.details.insert("commit".into(), json!(commit.id));
                    finding.details.insert("author_date".into(), json!(commit.date));
                    let entry =
                        Seen { finding, last_commit: commit.id.clone(), last_date: commit.date.clone(), commits: 1 };
                    seen.insert(entry.finding.fingerprint.clone(), entry);
                }
                None => {}
            }
        }
    })?;
    let findings = seen
        .into_values()
        .map(|mut seen| {
            seen.finding.details.insert("last_commit".into(), json!(seen.last_commit));
            seen.finding.details.insert("last_author_date".into(), json!(seen.last_date));
            seen.finding.details.insert("commits".into(), json!(seen.commits));
            seen.finding
        })
        .collect();
    Ok(SecretScan {
        findings,
        redactor: Redactor::new(secrets.into_iter().collect()),
        bytes: usize::try_from(stats.bytes).unwrap_or(usize::MAX),
    })
}
