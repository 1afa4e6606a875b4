//! The secret scanner over one text: one keyword search over every rule's keywords runs once
//! over the text, and a rule's regex runs only in a bounded window
//! around its keywords' hits — never over the whole file — so a 1 MB minified line costs what
//! its hits cost. Candidates then pass the rule's allowlist and either its validator or, without
//! one, its entropy floor; a rule with a `pair` also needs its companion nearby.

use std::collections::{BTreeMap, HashMap};

use aho_corasick::{packed, AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::assignment::{format_of, is_name_key, is_value_key, paired_value, read_line_keyed, Format, Line};
use super::kubernetes_secret::{self, SecretEntry};
use super::validate::validate;
use crate::document::Span;
use crate::policy::secret_rule::SecretRule;

/// How far around a keyword a one-line rule looks, at most, in bytes each way (a line may be a
/// whole minified file).
const LINE_WINDOW: usize = 1024;
/// How far after its keyword a multi-line rule looks (a PEM block of a 4096-bit RSA key is about
/// 3.3 KiB).
const MULTILINE_WINDOW: usize = 16 * 1024;
/// How many bytes around a secret are searched for its companion, at most.
const PAIR_WINDOW: usize = 4 * 1024;
/// How many secrets one file may yield, at most: a generated file that matches on every line is
/// reported by its first thousand, at bounded cost.
pub(crate) const MAX_PER_FILE: usize = 1000;

/// One secret found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    /// Index of the rule in [`SecretScanner::rules`].
    pub rule: usize,
    /// Where the secret is, in bytes.
    pub span: Span,
    pub secret: String,
    /// The companion secret a `pair` rule found, and where.
    pub companion: Option<(Span, String)>,
}

/// Every secret rule of a run, with the keyword search built once.
#[derive(Debug, Clone)]
pub struct SecretScanner {
    rules: Vec<SecretRule>,
    keywords: KeywordSearch,
    /// For each keyword, the rules that use it.
    rules_of_keyword: Vec<Vec<usize>>,
}

/// How keywords are found: every `(keyword, start, end)` where a keyword occurs, ignoring ASCII
/// case, overlapping ones included (`BEGIN OPENSSH PRIVATE KEY-----` holds the keywords of two
/// rules).
#[derive(Debug, Clone)]
enum KeywordSearch {
    /// No keyword: no rule can run.
    None,
    /// SIMD (Teddy) over an ASCII-lowercased copy of the text — faster than an automaton, which
    /// must look at every byte. Teddy takes at most [`TEDDY_KEYWORDS`] patterns, and is best
    /// with fewer ([`PROBES_PER_SEARCHER`]), so the keywords are shared out over several
    /// searchers, each a pass over the text (seven SIMD passes over the typical corpus took
    /// less user time than one automaton's, though more instructions).
    Packed(Vec<Packed>),
    /// A case-insensitive automaton: when the CPU has no SIMD Teddy can use.
    Automaton(AhoCorasick),
}

/// A keyword and its index among all keywords.
type Keyword<'k> = (usize, &'k str);

/// How many patterns one Teddy searcher takes, at most: aho-corasick builds none for more (more
/// would overwhelm its verification step).
const TEDDY_KEYWORDS: usize = 64;

/// How many probes one searcher takes, at most. Fewer patterns a searcher are fewer false
/// candidates in each of Teddy's buckets, and more searchers more passes: a whole scan of the
/// typical corpus (247 probes, `--jobs 1`) took 3.19 G instructions with 48 a searcher, 3.34 G
/// with 64, 3.31 G with 40, 3.35 G with 32 (Teddy's narrower kind); before probes, 108 whole
/// keywords a searcher took 5.46 G where 64 took 3.50 G.
const PROBES_PER_SEARCHER: usize = 48;

/// How many first bytes of a keyword Teddy fingerprints, at most: keywords of this length or
/// more are searched by these first bytes (their probe), and the rest verified where it occurs.
const PROBE: usize = 4;

/// What one of a searcher's patterns stands for: the keywords that may occur where it does, with
/// their indexes among all keywords.
type Candidates = Vec<(usize, Box<[u8]>)>;

/// A searcher's pattern and the keywords it stands for.
type Pattern = (Vec<u8>, Candidates);

/// One Teddy searcher. Teddy finds the leftmost-longest pattern from a position; searching again
/// from the next byte finds every start, and at each, the keywords the pattern stands for are
/// compared with the text. A pattern is a keyword shorter than [`PROBE`] (standing for itself
/// and the keywords it starts with), or the first [`PROBE`] bytes that several keywords may
/// share (`pass`: `pass=`, `passwd`, `password`…): the built-in rules' 323 long keywords are 247
/// probes, and fewer patterns are fewer searchers, each a pass over the text.
#[derive(Debug, Clone)]
struct Packed {
    searcher: packed::Searcher,
    /// For each pattern, the keywords it stands for.
    candidates: Vec<Candidates>,
}

impl Packed {
    /// A searcher over `patterns`, each with the keywords it stands for; `None` when Teddy cannot
    /// run here.
    fn new(patterns: &[Pattern]) -> Option<Packed> {
        let searcher = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostLongest)
            .builder()
            .extend(patterns.iter().map(|(pattern, _)| pattern))
            .build()?;
        Some(Packed { searcher, candidates: patterns.iter().map(|(_, candidates)| candidates.clone()).collect() })
    }

    /// Calls `hit(keyword, start, end)` for every occurrence of this searcher's keywords in the
    /// lower-cased `text`, by start.
    fn each(&self, lower: &[u8], hit: &mut impl FnMut(usize, usize, usize)) {
        let mut at = 0;
        while let Some(found) = self.searcher.find_in(lower, aho_corasick::Span::from(at..lower.len())) {
            let start = found.start();
            for (id, keyword) in self.candidates.get(found.pattern().as_usize()).into_iter().flatten() {
                let end = start + keyword.len();
                if lower.get(start..end) == Some(keyword) {
                    hit(*id, start, end);
                }
            }
            at = start + 1;
        }
    }
}

/// The patterns of the searchers over `keywords`: each short keyword (a pattern of its own, also
/// standing for the short keywords it starts with) and each probe (standing for the keywords
/// that start with it).
fn patterns(keywords: &[Keyword]) -> (Vec<Pattern>, Vec<Pattern>) {
    let candidate = |(id, keyword): &Keyword| (*id, Box::from(keyword.as_bytes()));
    let (short, long): (Vec<Keyword>, Vec<Keyword>) = keywords.iter().partition(|(_, keyword)| keyword.len() < PROBE);
    let short_patterns = short
        .iter()
        .map(|(_, keyword)| {
            let prefixes = short.iter().filter(|(_, other)| keyword.starts_with(other)).map(candidate).collect();
            (keyword.as_bytes().to_vec(), prefixes)
        })
        .collect();
    let mut probes: BTreeMap<&[u8], Candidates> = BTreeMap::new();
    for keyword in &long {
        let probe = keyword.1.as_bytes().get(..PROBE).unwrap_or_default();
        probes.entry(probe).or_default().push(candidate(keyword));
    }
    (short_patterns, probes.into_iter().map(|(probe, candidates)| (probe.to_vec(), candidates)).collect())
}

thread_local! {
    /// The lower-cased copy of the text being searched, one buffer per thread for every file it
    /// scans: a fresh one per file would cost its pages' first touch each time.
    static LOWERCASE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl KeywordSearch {
    fn new(keywords: &[String]) -> KeywordSearch {
        if keywords.is_empty() {
            return KeywordSearch::None;
        }
        // Teddy fingerprints the first min(4, shortest pattern) bytes of its patterns, and a
        // shorter fingerprint has many more false candidates to verify: the dozen keywords
        // shorter than four bytes (`q~`, `hf_`, `sg.`) get a searcher of their own, so that the
        // others are all fingerprinted on four. (A keyword and one it starts with may fall to
        // different searchers: each finds its own at that start.)
        let indexed: Vec<Keyword> = keywords.iter().map(String::as_str).enumerate().collect();
        let (short, probes) = patterns(&indexed);
        let per_searcher = probes.len().div_ceil(probes.len().div_ceil(PROBES_PER_SEARCHER).max(1)).max(1);
        let groups: Vec<&[Pattern]> = short.chunks(TEDDY_KEYWORDS).chain(probes.chunks(per_searcher)).collect();
        let searchers: Vec<Packed> = groups.iter().map_while(|group| Packed::new(group)).collect();
        let searchers = match searchers.len() == groups.len() {
            true => searchers,
            false => Vec::new(),
        };
        if !searchers.is_empty() {
            return KeywordSearch::Packed(searchers);
        }
        // Keywords are at least two characters (the schema says so), so building cannot fail
        // for want of patterns; should it fail anyway, no rule can run and none is claimed to.
        // A full DFA: a few hundred keywords make a table of some hundred kilobytes, and it
        // looks at each byte once, where the default (a contiguous NFA) follows failure links.
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(keywords)
            .map_or(KeywordSearch::None, KeywordSearch::Automaton)
    }

    /// Calls `hit(keyword, start, end)` for every keyword occurrence in `text`: by start for
    /// each searcher, one searcher after another.
    fn each(&self, text: &str, mut hit: impl FnMut(usize, usize, usize)) {
        match self {
            KeywordSearch::None => {}
            KeywordSearch::Automaton(automaton) => {
                for found in automaton.find_overlapping_iter(text) {
                    hit(found.pattern().as_usize(), found.start(), found.end());
                }
            }
            KeywordSearch::Packed(searchers) => LOWERCASE.with_borrow_mut(|lower| {
                lower.clear();
                lower.extend_from_slice(text.as_bytes());
                lower.make_ascii_lowercase();
                for searcher in searchers {
                    searcher.each(lower, &mut hit);
                }
            }),
        }
    }
}

impl SecretScanner {
    /// Builds the automaton over every rule's keywords (each keyword once).
    ///
    /// ```
    /// use ward_engine::load_secret_rule;
    /// use ward_engine::SecretScanner;
    /// let rule = load_secret_rule("r.secret.yaml", "id: T-1\nseverity: high\nkeywords: [tok_]\nregex: '\\b(tok_[a-z0-9]{12})\\b'\n").unwrap();
    /// let scanner = SecretScanner::new(vec![rule]);
    /// let found = scanner.scan("a.txt", "x = TOK_ nothing\ny = tok_a1b2c3d4e5f6\n");
    /// assert_eq!(found.len(), 1);
    /// assert_eq!(found[0].span.start, 21);
    /// ```
    pub fn new(rules: Vec<SecretRule>) -> SecretScanner {
        let mut keywords: Vec<String> = Vec::new();
        let mut rules_of_keyword: Vec<Vec<usize>> = Vec::new();
        let mut known: HashMap<&str, usize> = HashMap::new();
        for (index, rule) in rules.iter().enumerate() {
            for keyword in &rule.keywords {
                match known.get(keyword.as_str()) {
                    Some(&pattern) => {
                        if let Some(users) = rules_of_keyword.get_mut(pattern) {
                            users.push(index);
                        }
                    }
                    None => {
                        known.insert(keyword, keywords.len());
                        keywords.push(keyword.clone());
                        rules_of_keyword.push(vec![index]);
                    }
                }
            }
        }
        let keywords = KeywordSearch::new(&keywords);
        SecretScanner { rules, keywords, rules_of_keyword }
    }

    /// Compiles the regexes of the catch-all assignment rules now, rather than at their first
    /// keyword hit: their keywords (`password`, `secret`, `token`…) are in nearly every change,
    /// and their regexes are the biggest, so a caller with time to spare spends it here. (Not
    /// the other generic rules: an AWS secret key's name is in few changes, and compiling its
    /// rule for nothing would take a core from the scan on a busy machine.)
    pub fn compile_generic_rules(&self) {
        for rule in self.rules.iter().filter(|rule| rule.generic && rule.key.is_some()) {
            rule.compile();
        }
    }

    /// The rules, in the order given.
    pub fn rules(&self) -> &[SecretRule] {
        &self.rules
    }

    /// Whether there is no rule to run.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The secrets in `text` (the file at `path`, relative to the scan root), in text order.
    pub fn scan(&self, path: &str, text: &str) -> Vec<SecretMatch> {
        self.scan_nested(path, text, false)
    }

    /// [`SecretScanner::scan`]; `nested` for a value decoded out of the file (a Kubernetes
    /// Secret's data), which is not decoded further.
    fn scan_nested(&self, path: &str, text: &str, nested: bool) -> Vec<SecretMatch> {
        let skipped: Vec<bool> = self.rules.iter().map(|rule| rule.allowlist.skips_path(path)).collect();
        // (rule, window start, window end) for every keyword hit of a rule that scans this file.
        let mut windows: Vec<(usize, usize, usize)> = Vec::new();
        // The whole line of the last hit, when it is short enough to be its own window: keyword
        // hits come in clusters on a line, and its bounds are then found once.
        let mut last_line: Option<(usize, usize)> = None;
        self.keywords.each(text, |keyword, hit_start, hit_end| {
            let Some(users) = self.rules_of_keyword.get(keyword) else { return };
            for &rule_index in users {
                let Some(rule) = self.rules.get(rule_index) else { continue };
                if skipped.get(rule_index).copied().unwrap_or(true) {
                    continue;
                }
                let (start, end) = match last_line {
                    Some((start, end)) if !rule.multiline && start <= hit_start && hit_end <= end => (start, end),
                    _ => {
                        let bounds = window(text, hit_start, hit_end, rule.multiline);
                        if !rule.multiline && is_whole_line(text, bounds) {
                            last_line = Some(bounds);
                        }
                        bounds
                    }
                };
                windows.push((rule_index, start, end));
            }
        });
        windows.sort_unstable();
        let mut found = Vec::new();
        let mut file = FileContext {
            path,
            text,
            format: None,
            nested,
            kubernetes: None,
            kubernetes_judged: Vec::new(),
            look_alikes: Vec::new(),
        };
        let mut merged: Option<(usize, usize, usize)> = None;
        for (rule, start, end) in windows {
            match &mut merged {
                Some((current, _, current_end)) if *current == rule && start <= *current_end => {
                    *current_end = (*current_end).max(end);
                }
                _ => {
                    if let Some(window) = merged.replace((rule, start, end)) {
                        self.match_window(&mut file, window, &mut found);
                    }
                }
            }
        }
        if let Some(window) = merged {
            self.match_window(&mut file, window, &mut found);
        }
        self.yield_generic(&mut found, &file.look_alikes);
        found.sort_by_key(|detected| (detected.span.start, detected.rule));
        self.dedup_generic(&mut found);
        found
    }

    /// One report per value: the readers of a line may meet the same value twice (as a YAML
    /// value and as a shell word in it).
    fn dedup_generic(&self, found: &mut Vec<SecretMatch>) {
        let mut last_end: Vec<(usize, usize)> = Vec::new();
        found.retain(|detected| {
            if !self.rules.get(detected.rule).is_some_and(|rule| rule.generic) {
                return true;
            }
            match last_end.iter_mut().find(|(rule, _)| *rule == detected.rule) {
                Some((_, end)) if detected.span.start < *end => false,
                Some((_, end)) => {
                    *end = detected.span.end;
                    true
                }
                None => {
                    last_end.push((detected.rule, detected.span.end));
                    true
                }
            }
        });
    }

    /// An assignment rule's window: every assignment on its lines, read as the file's format
    /// defines it, judged; in a YAML file with Kubernetes Secrets, their decoded data too.
    fn match_assignments(
        &self,
        file: &mut FileContext<'_>,
        (rule_index, start, end): (usize, usize, usize),
        found: &mut Vec<SecretMatch>,
    ) {
        let Some(rule) = self.rules.get(rule_index) else { return };
        let (path, text) = (file.path, file.text);
        let format = *file.format.get_or_insert_with(|| format_of(path));
        if format == Format::Yaml && !file.nested && file.kubernetes.is_none() {
            file.kubernetes = Some(if kubernetes_secret::may_hold_secret(text) {
                kubernetes_secret::entries(text)
            } else {
                Vec::new()
            });
        }
        let entries: &[SecretEntry] = file.kubernetes.as_deref().unwrap_or_default();
        if !entries.is_empty() && !file.kubernetes_judged.contains(&rule_index) {
            file.kubernetes_judged.push(rule_index);
            for entry in entries {
                self.judge(rule_index, rule, text, entry.key, &entry.value, entry.span, found);
                // A decoded value may be a credential of a known kind (a private key, a token).
                for detected in self.scan_nested(path, &entry.value, true) {
                    if self.rules.get(detected.rule).is_some_and(|rule| !rule.generic) {
                        found.push(SecretMatch { span: entry.span, ..detected });
                    }
                }
            }
        }
        // The keys whose assignments count below: a credential's name, a name/value pair's.
        let wanted = |key: &str| is_name_key(key) || is_value_key(key) || self.names_a_credential(rule, key);
        let mut assignments = Vec::new();
        let mut line_start = start;
        while line_start <= end {
            let line_end = text.get(line_start..end).and_then(|rest| rest.find('\n')).map_or(end, |at| line_start + at);
            let trimmed_end = if text.as_bytes().get(line_end.wrapping_sub(1)) == Some(&b'\r') && line_end > line_start
            {
                line_end - 1
            } else {
                line_end
            };
            let line = Line { text, start: line_start, end: trimmed_end };
            line_start = line_end + 1;
            if entries.iter().any(|entry| entry.block.start <= line.start && line.end <= entry.block.end) {
                continue;
            }
            assignments.clear();
            read_line_keyed(format, line, &mut assignments, &wanted);
            for assignment in &assignments {
                self.judge(rule_index, rule, text, assignment.key, &assignment.value, assignment.span, found);
                if is_name_key(assignment.key) && self.names_a_credential(rule, &assignment.value) {
                    if let Some(value) = paired_value(format, line, &assignments) {
                        self.judge(rule_index, rule, text, &assignment.value, &value.value, value.span, found);
                    }
                }
            }
        }
    }

    /// Whether `key` is the name of a credential for `rule`, its patterns matched against the
    /// key in snake case.
    fn names_a_credential(&self, rule: &SecretRule, key: &str) -> bool {
        let Some(pattern) = &rule.key else { return false };
        let key = snake_case(key);
        pattern.is_match(&key) && !rule.allowlist.keys.is_match(&key)
    }

    /// Reports `value`, assigned to `key` at `span`, if `key` names a credential and the value
    /// passes the rule's checks: long enough, not allowed, random enough.
    #[allow(clippy::too_many_arguments)]
    fn judge(
        &self,
        rule_index: usize,
        rule: &SecretRule,
        text: &str,
        key: &str,
        value: &str,
        span: Span,
        found: &mut Vec<SecretMatch>,
    ) {
        if found.len() >= MAX_PER_FILE || !self.names_a_credential(rule, key) {
            return;
        }
        let value = value.trim();
        if value.chars().count() < rule.min_length || rule.allowlist.allows(value, line_of(text, span)) {
            return;
        }
        let genuine = match rule.validator {
            Some(validator) => validate(validator, value).is_ok(),
            None => rule.entropy.is_none_or(|floor| entropy(value) >= floor),
        };
        if genuine {
            found.push(SecretMatch { rule: rule_index, span, secret: value.to_owned(), companion: None });
        }
    }

    /// Drops what generic rules found where a specific rule found a secret (or its companion)
    /// too: one credential, reported once, by the rule that knows what it is. And where a
    /// specific rule's pattern matched a look-alike — a value its validator rejects (a
    /// `ghp_` token whose checksum is wrong) or its allowlist names (a provider's documented
    /// example): validators beat entropy. Among generic rules, one that names its credential
    /// (an AWS secret key by its name, SEC-041) beats the catch-all over every credential-named
    /// key (SEC-016) on the same value.
    fn yield_generic(&self, found: &mut Vec<SecretMatch>, look_alikes: &[Span]) {
        // 2: a specific rule; 1: a generic rule with a pattern of its own; 0: a catch-all
        // assignment rule.
        let rank = |detected: &SecretMatch| match self.rules.get(detected.rule) {
            Some(rule) if !rule.generic => 2u8,
            Some(rule) if rule.key.is_none() => 1,
            _ => 0,
        };
        let stronger: Vec<(Span, u8)> = found
            .iter()
            .filter(|detected| rank(detected) > 0)
            .flat_map(|detected| {
                let rank = rank(detected);
                std::iter::once((detected.span, rank)).chain(detected.companion.as_ref().map(|(span, _)| (*span, rank)))
            })
            .chain(look_alikes.iter().map(|span| (*span, 2)))
            .collect();
        if stronger.is_empty() {
            return;
        }
        let overlaps = |a: Span, b: Span| a.start < b.end && b.start < a.end;
        found.retain(|detected| {
            let own = rank(detected);
            own == 2 || !stronger.iter().any(|&(span, rank)| rank > own && overlaps(span, detected.span))
        });
    }

    /// Runs one rule over one window and keeps the candidates that pass its checks: an
    /// assignment rule reads the window's assignments (and, in source code, also runs its
    /// regex); any other runs its regex.
    fn match_window(
        &self,
        file: &mut FileContext<'_>,
        (rule_index, start, end): (usize, usize, usize),
        found: &mut Vec<SecretMatch>,
    ) {
        let text = file.text;
        let (Some(rule), Some(window)) = (self.rules.get(rule_index), text.get(start..end)) else { return };
        if rule.key.is_some() {
            self.match_assignments(file, (rule_index, start, end), found);
            if !file.format.is_some_and(Format::holds_code) {
                return;
            }
        }
        let Some(regex) = rule.regex.get() else { return };
        for captures in regex.captures_iter(window.as_bytes()) {
            if found.len() >= MAX_PER_FILE {
                return;
            }
            let Some(secret) = captures.iter().skip(1).flatten().next().or_else(|| captures.get(0)) else {
                continue;
            };
            let span = Span::new(start + secret.start(), start + secret.end());
            // A byte class may end a match inside a character: not a secret ward can show.
            let Some(secret) = window.get(secret.start()..secret.end()) else { continue };
            if secret.chars().count() < rule.min_length {
                continue;
            }
            if rule.allowlist.allows(secret, line_of(text, span)) {
                if !rule.generic {
                    file.look_alikes.push(span);
                }
                continue;
            }
            let genuine = match rule.validator {
                Some(validator) => validate(validator, secret).is_ok(),
                None => rule.entropy.is_none_or(|floor| entropy(secret) >= floor),
            };
            if !genuine {
                if !rule.generic && rule.validator.is_some() {
                    file.look_alikes.push(span);
                }
                continue;
            }
            let companion = match &rule.pair {
                None => None,
                Some(pair) => match companion(text, span, secret, pair, rule) {
                    Some(companion) => Some(companion),
                    None => continue,
                },
            };
            found.push(SecretMatch { rule: rule_index, span, secret: secret.to_owned(), companion });
        }
    }
}

/// `key` in snake case, so that one pattern matches every spelling of a name: `dbPassword`,
/// `DB_PASSWORD`, `db-password` and `db.password` are all `db_password`. Letters and digits are
/// kept (lower-cased), a run of anything else is one `_`, and a capital after a small letter or
/// a digit starts a word. At most 200 characters of it.
pub(crate) fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut previous: Option<char> = None;
    for c in key.chars().take(200) {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        previous = Some(c);
    }
    if out.ends_with('_') {
        out.pop();
    }
    out
}

/// What the scan of one file knows beyond its text, found once for all its windows.
struct FileContext<'t> {
    path: &'t str,
    text: &'t str,
    /// The file's format, once an assignment rule needs it.
    format: Option<Format>,
    /// A value decoded out of a file, not decoded further.
    nested: bool,
    /// The entries of its Kubernetes Secrets, once an assignment rule needs them.
    kubernetes: Option<Vec<SecretEntry<'t>>>,
    /// The assignment rules that judged those entries already.
    kubernetes_judged: Vec<usize>,
    /// Where a specific rule's pattern matched a value it then rejected (see
    /// [`SecretScanner::yield_generic`]).
    look_alikes: Vec<Span>,
}

/// The window a rule's regex sees around a keyword at `start..end`: its line (at most
/// [`LINE_WINDOW`] each way), or for multi-line rules from its line's start to
/// [`MULTILINE_WINDOW`] after it. On character boundaries.
fn window(text: &str, start: usize, end: usize, multiline: bool) -> (usize, usize) {
    let floor = start.saturating_sub(LINE_WINDOW);
    let before = text.get(floor..start).and_then(|head| head.rfind('\n')).map_or(floor, |at| floor + at + 1);
    let after = if multiline {
        end.saturating_add(MULTILINE_WINDOW).min(text.len())
    } else {
        let ceiling = end.saturating_add(LINE_WINDOW).min(text.len());
        text.get(end..ceiling).and_then(|tail| tail.find('\n')).map_or(ceiling, |at| end + at)
    };
    (char_boundary_up(text, before), char_boundary_down(text, after))
}

/// Whether `start..end` is a whole line: it starts after a newline (or at the start) and ends
/// at one (or at the end).
fn is_whole_line(text: &str, (start, end): (usize, usize)) -> bool {
    let bytes = text.as_bytes();
    (start == 0 || bytes.get(start - 1) == Some(&b'\n')) && (end == text.len() || bytes.get(end) == Some(&b'\n'))
}

fn char_boundary_up(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at.min(text.len())
}

fn char_boundary_down(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The line `span` starts on, at most [`LINE_WINDOW`] bytes each way: what line allowlists see.
fn line_of(text: &str, span: Span) -> &str {
    let (start, end) = window(text, span.start, span.end, false);
    text.get(start..end).unwrap_or("")
}

/// The companion of a `pair` rule's secret: the first match of the pair's regex within its
/// lines of the secret that is not the secret itself and passes the pair's entropy floor and the
/// rule's allowlist.
fn companion(
    text: &str,
    span: Span,
    secret: &str,
    pair: &crate::policy::secret_rule::Pair,
    rule: &SecretRule,
) -> Option<(Span, String)> {
    let lines = pair.within_lines;
    let floor = char_boundary_up(text, span.start.saturating_sub(PAIR_WINDOW));
    let ceiling = char_boundary_down(text, span.end.saturating_add(PAIR_WINDOW));
    let head = text.get(floor..span.start)?;
    let start = head.rmatch_indices('\n').nth(lines).map_or(floor, |(at, _)| floor + at + 1);
    let tail = text.get(span.end..ceiling)?;
    let end = tail.match_indices('\n').nth(lines).map_or(ceiling, |(at, _)| span.end + at);
    let area = text.get(start..end)?;
    pair.regex.get()?.captures_iter(area.as_bytes()).find_map(|captures| {
        let value = captures.iter().skip(1).flatten().next().or_else(|| captures.get(0))?;
        let found = Span::new(start + value.start(), start + value.end());
        let value = area.get(value.start()..value.end())?;
        let plausible = value != secret
            && found != span
            && pair.entropy.is_none_or(|floor| entropy(value) >= floor)
            && !rule.allowlist.allows(value, "");
        plausible.then(|| (found, value.to_owned()))
    })
}

/// Shannon entropy of `text`'s bytes, in bits per byte.
pub(crate) fn entropy(text: &str) -> f64 {
    let mut counts = [0u32; 256];
    for byte in text.bytes() {
        if let Some(count) = counts.get_mut(usize::from(byte)) {
            *count += 1;
        }
    }
    let total = text.len() as f64;
    counts
        .iter()
        .filter(|&&count| count > 0)
        .map(|&count| {
            let p = f64::from(count) / total;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;
    use crate::policy::secret_rule::load_rule;

    fn scanner(rules: &[&str]) -> SecretScanner {
        SecretScanner::new(rules.iter().map(|text| load_rule("r.secret.yaml", text).unwrap()).collect())
    }

    #[test]
    fn a_regex_runs_only_near_its_keywords() {
        let scanner = scanner(&["id: T-1\nseverity: high\nkeywords: [key]\nregex: '([a-z]{8}[0-9]{4})'\n"]);
        let text = "abcdefgh1234\nkey = qwertyui5678\n";
        let found = scanner.scan("a", text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.start..found[0].span.end], "qwertyui5678");
    }

    #[test]
    fn windows_stay_inside_a_long_line_and_on_character_boundaries() {
        let scanner = scanner(&["id: T-1\nseverity: high\nkeywords: [tok]\nregex: 'tok=(\\w{6})'\n"]);
        let mut text = "é".repeat(5000);
        text.push_str("tok=abc123");
        text.push_str(&"ü".repeat(5000));
        let found = scanner.scan("min.js", &text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].secret, "abc123");
        let (start, end) = window(&text, 10_000, 10_003, false);
        assert!(end - start <= 2 * LINE_WINDOW + 3);
    }

    #[test]
    fn pairs_need_their_companion_within_the_lines() {
        let rule = "id: T-1\nseverity: high\nkeywords: [id_]\nregex: '(id_[0-9]{4})'\npair:\n  regex: '([A-Z]{10})'\n  within_lines: 1\n";
        let scanner = scanner(&[rule]);
        assert_eq!(scanner.scan("a", "id_1234\nABCDEFGHIJ\n")[0].companion.as_ref().unwrap().1, "ABCDEFGHIJ");
        assert!(scanner.scan("a", "id_1234\n\n\nABCDEFGHIJ\n").is_empty());
        assert!(scanner.scan("a", "id_1234\n").is_empty());
    }

    #[test]
    fn the_simd_keyword_search_finds_what_the_automaton_finds() {
        // More keywords than one Teddy searcher takes: `pass` and `password` may fall to
        // different searchers.
        let mut keywords: Vec<String> =
            ["begin openssh private key", "private key-----", "pass", "password", "pwd", "ss", "key"]
                .map(String::from)
                .to_vec();
        keywords.extend((0..2 * TEDDY_KEYWORDS).map(|n| format!("pa{n}_")));
        let fast = KeywordSearch::new(&keywords);
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("ssse3") {
            // The 132 keywords of four bytes or more have 103 probes (`pa10` stands for `pa10_`
            // and `pa100_`…`pa109_`): two searchers, and one for the three short keywords.
            assert!(
                matches!(&fast, KeywordSearch::Packed(searchers) if searchers.len() == 1 + 103usize.div_ceil(PROBES_PER_SEARCHER)),
                "Teddy runs on any x86-64 CPU with SSSE3, {} probes a searcher",
                PROBES_PER_SEARCHER
            );
        }
        let automaton = KeywordSearch::Automaton(
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&keywords)
                .unwrap(),
        );
        let hits = |search: &KeywordSearch, text: &str| {
            let mut hits = Vec::new();
            search.each(text, |keyword, start, end| hits.push((start, end, keyword)));
            hits.sort_unstable();
            hits
        };
        let texts = [
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n",
            "PassWord=x pwd: y; passpass ssss KEY",
            "é password ü PASSWORD\r\nkeykey",
            "pa7_ pa150_x PA199_pass pa200_",
            "",
        ];
        for text in texts {
            let expected = hits(&automaton, text);
            assert_eq!(text.is_empty(), expected.is_empty(), "{text:?}");
            assert_eq!(hits(&fast, text), expected, "{text:?}");
        }
    }

    #[test]
    fn the_same_keyword_serves_several_rules() {
        let scanner = scanner(&[
            "id: T-1\nseverity: high\nkeywords: [secret]\nregex: 'secret=(\\d+)'\n",
            "id: T-2\nseverity: high\nkeywords: [SECRET, client_secret]\nregex: 'client_secret=(\\w+)'\n",
        ]);
        let found = scanner.scan("a", "secret=42 client_secret=abc");
        let rules: Vec<usize> = found.iter().map(|d| d.rule).collect();
        assert_eq!(rules, [0, 1]);
    }

    #[test]
    fn keys_are_matched_in_snake_case() {
        let cases = [
            ("dbPassword", "db_password"),
            ("DB_PASSWORD", "db_password"),
            ("spring.datasource.password", "spring_datasource_password"),
            ("--admin-password", "admin_password"),
            ("APIKey", "apikey"),
            ("secretKeyRef", "secret_key_ref"),
            ("OAuth2Token", "oauth2_token"),
        ];
        for (key, snake) in cases {
            assert_eq!(snake_case(key), snake, "{key}");
        }
    }

    /// The example from the documentation of `entropy`.
    #[test]
    fn entropy_example() {
        use crate::secrets::scan::entropy;
        assert_eq!(entropy(""), 0.0);
        assert_eq!(entropy("aaaa"), 0.0);
        assert!((entropy("abcd") - 2.0).abs() < 1e-9);
    }
}
