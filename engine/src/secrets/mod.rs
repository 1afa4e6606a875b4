//! Secret-leak detection (DESIGN §6). Secret rules are data ([`rule`]: `*.secret.yaml` files in
//! packs, the built-in `secrets` pack first among them); [`scan`] finds candidates with one
//! keyword automaton and regexes run only near its hits; [`validate`] tells real credentials
//! from look-alikes by their structure; [`redact`] makes sure no secret is ever shown whole;
//! [`generate`] makes structurally valid fake tokens for tests and pack fixtures, so that no
//! live-looking credential is ever committed.
//!
//! [`scan_texts`] runs the scanner over many files in parallel and turns what it finds into
//! [`Finding`]s, whose fingerprint is the rule and a hash of the secret — not its file or line,
//! so a baselined secret stays baselined when it moves.

pub(crate) mod assignment;
pub(crate) mod generate;
pub(crate) mod history;
pub(crate) mod kubernetes_secret;
pub(crate) mod redact;
pub(crate) mod scan;
pub(crate) mod validate;

use rayon::prelude::*;

use self::redact::{redact, secret_hash, Redactor};
use self::scan::{SecretMatch, SecretScanner};
use crate::document::{LineIndex, Position};
use crate::finding::{Finding, Location};
use crate::policy::secret_rule::SecretRule;
use crate::profile::{Profiler, SECRET_SCAN};

/// What a secret scan found over many files.
#[derive(Debug, Default)]
pub struct SecretScan {
    /// In path and text order.
    pub findings: Vec<Finding>,
    /// Every secret found (also those a suppression will hide), to take out of any output.
    pub redactor: Redactor,
    /// Bytes scanned.
    pub bytes: usize,
}

/// Below this many bytes in all, texts are scanned on the calling thread: starting threads
/// would cost a pre-commit hook more than they save (10 files of a few KB scan in well under a
/// millisecond).
const PARALLEL_BYTES: usize = 256 * 1024;

/// Scans `(path, text)` pairs with `jobs` threads (0: one per core).
///
/// ```
/// use ward_engine::load_secret_rule;
/// use ward_engine::{scan_secrets, SecretScanner};
/// let rule = load_secret_rule("r.secret.yaml", "id: T-1\ntitle: Test token\nseverity: high\nkeywords: [tok_]\nregex: '\\b(tok_[a-z0-9]{12})\\b'\n").unwrap();
/// let scanner = SecretScanner::new(vec![rule]);
/// let scan = scan_secrets(&scanner, &[("app.env", "A=tok_a1b2c3d4e5f6\n")], 1);
/// assert_eq!(scan.findings[0].message, "Test token: tok_… (16 characters)");
/// assert_eq!(scan.findings[0].location.start.line, 1);
/// assert!(!scan.redactor.redact_text("tok_a1b2c3d4e5f6").contains("a1b2"));
/// ```
pub fn scan_texts<'t>(scanner: &SecretScanner, texts: &[(&'t str, &'t str)], jobs: usize) -> SecretScan {
    scan_texts_timed(scanner, texts, jobs, None)
}

/// [`scan_texts`], recording each file's scan in `profiler` when there is one.
pub(crate) fn scan_texts_timed<'t>(
    scanner: &SecretScanner,
    texts: &[(&'t str, &'t str)],
    jobs: usize,
    profiler: Option<&std::sync::Mutex<Profiler>>,
) -> SecretScan {
    if scanner.is_empty() {
        return SecretScan::default();
    }
    let scan_one = |&(path, text): &(&'t str, &'t str)| (path, text, scan_timed(scanner, path, text, profiler));
    let bytes: usize = texts.iter().map(|(_, text)| text.len()).sum();
    let per_file: Vec<_> = match bytes < PARALLEL_BYTES {
        true => texts.iter().map(scan_one).collect(),
        false => {
            let run = || texts.par_iter().map(scan_one).collect();
            match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
                Ok(pool) => pool.install(run),
                Err(_) => run(),
            }
        }
    };
    let mut scan = collect(scanner, per_file);
    scan.bytes = bytes;
    scan
}

/// [`SecretScanner::scan`] of one text, recorded in `profiler` (when there is one) as an
/// evaluation of [`SECRET_SCAN`] on the file.
pub(crate) fn scan_timed(
    scanner: &SecretScanner,
    path: &str,
    text: &str,
    profiler: Option<&std::sync::Mutex<Profiler>>,
) -> Vec<SecretMatch> {
    let Some(profiler) = profiler else { return scanner.scan(path, text) };
    let started = std::time::Instant::now();
    let detected = scanner.scan(path, text);
    let elapsed = started.elapsed();
    if let Ok(mut profiler) = profiler.lock() {
        profiler.record(SECRET_SCAN, Some(&resource_of(path)), elapsed, detected.len());
    }
    detected
}

/// What [`SecretScanner::scan`] detected in texts, as `(path, text, detected)`, made findings.
pub(crate) fn collect(scanner: &SecretScanner, per_file: Vec<(&str, &str, Vec<SecretMatch>)>) -> SecretScan {
    let mut scan = SecretScan::default();
    let mut secrets = Vec::new();
    for (path, text, detected) in per_file {
        if detected.is_empty() {
            continue;
        }
        let mut positions = Positions::new(text);
        for found in detected {
            let Some(rule) = scanner.rules().get(found.rule) else { continue };
            scan.findings.push(finding(rule, path, &mut positions, &found));
            // The value as written too, when the file encodes it (escapes, base64).
            if let Some(raw) = text.get(found.span.start..found.span.end).filter(|raw| *raw != found.secret) {
                secrets.push(raw.to_owned());
            }
            secrets.push(found.secret);
            secrets.extend(found.companion.map(|(_, companion)| companion));
        }
    }
    scan.findings.sort_by(|a, b| (&a.location, &a.rule_id).cmp(&(&b.location, &b.rule_id)));
    scan.redactor = Redactor::new(secrets);
    scan
}

/// The resource a secret finding is about: the file it is in.
pub(crate) fn resource_of(path: &str) -> String {
    format!("file:{path}")
}

/// Line and column of offsets met in increasing order, each counted on from the last: a long
/// minified line with many secrets costs its length once, not once per secret.
struct Positions<'t> {
    text: &'t str,
    lines: LineIndex,
    last: Option<(usize, Position)>,
}

impl<'t> Positions<'t> {
    fn new(text: &'t str) -> Positions<'t> {
        Positions { text, lines: LineIndex::new(text), last: None }
    }

    fn at(&mut self, offset: usize) -> Position {
        let position = match self.last {
            Some((from, at))
                if from <= offset && !self.text.get(from..offset).is_some_and(|gap| gap.contains('\n')) =>
            {
                let columns = self.text.get(from..offset).map_or(0, |gap| gap.chars().count());
                Position { line: at.line, column: at.column.saturating_add(u32::try_from(columns).unwrap_or(u32::MAX)) }
            }
            _ => self.lines.position(self.text, offset),
        };
        self.last = Some((offset, position));
        position
    }
}

fn finding(rule: &SecretRule, path: &str, positions: &mut Positions, found: &SecretMatch) -> Finding {
    let mut message = format!("{}: {}", rule.metadata.title, redact(&found.secret));
    // What identifies the credential: both halves of a pair, or the secret.
    let mut identity = found.secret.clone();
    if let (Some((_, companion)), Some(pair)) = (&found.companion, &rule.pair) {
        message.push_str(&format!(", with {} {} nearby", pair.name, redact(companion)));
        identity.push('\n');
        identity.push_str(companion);
    }
    let (start, end) = (positions.at(found.span.start), positions.at(found.span.end));
    Finding {
        rule_id: rule.metadata.id.clone(),
        severity: rule.metadata.severity,
        message,
        location: Location { path: path.to_owned(), start, end },
        resource: resource_of(path),
        pointer: String::new(),
        pack: rule.metadata.pack.clone(),
        fingerprint: Finding::fingerprint_of(&rule.metadata.id, "secret", &secret_hash(&identity)),
        related: Vec::new(),
        environments: Vec::new(),
        details: Default::default(),
    }
}
