//! `.helmignore`: the files of a chart directory Helm's loader leaves out, so that neither its
//! templates nor `.Files` see them. Helm's own rules (`pkg/ignore`), not git's: one pattern a
//! line, `#` comments; a pattern without `/` matches a file's or directory's base name, one with
//! `/` the whole path in the chart (a leading `/` changes nothing), each with Go's
//! `filepath.Match` (`*` and `?` stop at `/`, `[a-z]`, `[^a-z]`, `\` escapes); a trailing `/`
//! matches directories only, and an ignored directory hides all below it. The first pattern
//! that matches decides. A `!` pattern keeps what it matches and goes on to the next pattern —
//! and, as in Helm, ignores whatever it does not match. `**` is refused. Helm adds
//! `templates/.?*` (dotfiles in `templates/`) after the file's patterns. Only the top chart's
//! `.helmignore` applies, to its subcharts' directories too, as `helm template` loads a chart
//! directory; an archive was filtered when it was packaged.

/// The patterns of one `.helmignore`, with Helm's default after them.
#[derive(Debug, Clone)]
pub(crate) struct HelmIgnore {
    patterns: Vec<Pattern>,
}

/// A pattern that cannot be used: its line (1-based) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadPattern {
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Clone)]
struct Pattern {
    negate: bool,
    /// Written with a trailing `/`: matches directories only.
    directories_only: bool,
    /// Has a `/`: matched against the whole path, else against the base name.
    whole_path: bool,
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// Any run of characters but `/`.
    Star,
    /// One character but `/`.
    Any,
    Literal(char),
    /// `[…]`: the ranges (inclusive), negated with `^`.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// The longest pattern read: a `.helmignore` line is a path, not a program.
const MAX_PATTERN_CHARS: usize = 4_096;

impl HelmIgnore {
    /// The rules of a `.helmignore`'s `text`, with what could not be used (those patterns are
    /// left out; Helm refuses the whole chart).
    pub(crate) fn parse(text: &str) -> (HelmIgnore, Vec<BadPattern>) {
        let mut patterns = Vec::new();
        let mut bad = Vec::new();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, line) in text.lines().enumerate() {
            let line_number = u32::try_from(index).unwrap_or(u32::MAX).saturating_add(1);
            match Pattern::parse(line) {
                Ok(Some(pattern)) => patterns.push(pattern),
                Ok(None) => {}
                Err(message) => bad.push(BadPattern { line: line_number, message }),
            }
        }
        let mut ignore = HelmIgnore { patterns };
        ignore.add_defaults();
        (ignore, bad)
    }

    /// Helm's rules for a chart without a `.helmignore`.
    pub(crate) fn defaults() -> HelmIgnore {
        let mut ignore = HelmIgnore { patterns: Vec::new() };
        ignore.add_defaults();
        ignore
    }

    fn add_defaults(&mut self) {
        if let Ok(Some(pattern)) = Pattern::parse("templates/.?*") {
            self.patterns.push(pattern);
        }
    }

    /// Whether the file at `path` (relative to the chart, `/`-separated) is left out: it, or a
    /// directory it is in, is ignored — Helm's walk never enters an ignored directory.
    pub(crate) fn ignores_file(&self, path: &str) -> bool {
        let mut end = 0;
        while let Some(slash) = path.get(end..).and_then(|rest| rest.find('/')) {
            let dir = path.get(..end + slash).unwrap_or("");
            if self.ignores(dir, true) {
                return true;
            }
            end += slash + 1;
        }
        self.ignores(path, false)
    }

    /// Helm's `Rules.Ignore` for one path.
    fn ignores(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for pattern in &self.patterns {
            if pattern.negate {
                // Helm's reading of `!`: what it does not match is ignored.
                if (pattern.directories_only && !is_dir) || !pattern.matches(path) {
                    return true;
                }
                continue;
            }
            if pattern.directories_only && !is_dir {
                continue;
            }
            if pattern.matches(path) {
                return true;
            }
        }
        false
    }
}

impl Pattern {
    /// One line: `None` for a blank line or a comment.
    fn parse(line: &str) -> Result<Option<Pattern>, String> {
        let rule = line.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(None);
        }
        if rule.chars().count() > MAX_PATTERN_CHARS {
            return Err(format!("a pattern longer than {MAX_PATTERN_CHARS} characters"));
        }
        if rule.contains("**") {
            return Err(format!("`{rule}`: double-star (**) syntax is not supported by Helm"));
        }
        // Helm checks the pattern as written, `!` and slashes included.
        tokenize(rule).map_err(|message| format!("`{rule}`: {message}"))?;
        let (negate, rule) = match rule.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, rule),
        };
        let (directories_only, rule) = match rule.strip_suffix('/') {
            Some(rest) => (true, rest),
            None => (false, rule),
        };
        let whole_path = rule.contains('/');
        let rule = rule.strip_prefix('/').unwrap_or(rule);
        let tokens = tokenize(rule).map_err(|message| format!("`{}`: {message}", line.trim()))?;
        Ok(Some(Pattern { negate, directories_only, whole_path, tokens }))
    }

    fn matches(&self, path: &str) -> bool {
        let name = match self.whole_path {
            true => path,
            false => path.rsplit('/').next().unwrap_or(path),
        };
        let chars: Vec<char> = name.chars().collect();
        matches_tokens(&self.tokens, &chars)
    }
}

/// A pattern as Go's `filepath.Match` reads it; `Err` is its `ErrBadPattern`.
fn tokenize(pattern: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::Any),
            '\\' => tokens.push(Token::Literal(chars.next().ok_or("a `\\` at the end escapes nothing")?)),
            '[' => {
                let negated = chars.next_if_eq(&'^').is_some();
                let mut ranges = Vec::new();
                loop {
                    match chars.peek() {
                        None => return Err("`[` without its `]`".to_owned()),
                        Some(']') if !ranges.is_empty() => {
                            chars.next();
                            break;
                        }
                        Some(_) => {}
                    }
                    let low = class_char(&mut chars)?;
                    let high = match chars.next_if_eq(&'-') {
                        Some(_) => class_char(&mut chars)?,
                        None => low,
                    };
                    ranges.push((low, high));
                }
                tokens.push(Token::Class { negated, ranges });
            }
            other => tokens.push(Token::Literal(other)),
        }
    }
    Ok(tokens)
}

/// One character of a `[…]` class: `-` and `]` must be escaped there.
fn class_char(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<char, String> {
    match chars.next() {
        None => Err("`[` without its `]`".to_owned()),
        Some('-' | ']') => Err("a `-` or `]` in `[…]` must be escaped (`\\-`)".to_owned()),
        Some('\\') => chars.next().ok_or_else(|| "`[` without its `]`".to_owned()),
        Some(c) => Ok(c),
    }
}

/// Whether `tokens` match all of `name`: `matched[j]` says whether the tokens so far match the
/// first `j` characters (time and memory linear in the name per token).
fn matches_tokens(tokens: &[Token], name: &[char]) -> bool {
    let mut matched = vec![false; name.len() + 1];
    if let Some(first) = matched.first_mut() {
        *first = true;
    }
    for token in tokens {
        let mut next = vec![false; name.len() + 1];
        match token {
            Token::Star => {
                let mut reachable = false;
                for (j, slot) in next.iter_mut().enumerate() {
                    // A star extends over any character but `/`.
                    let before = j.checked_sub(1).and_then(|i| name.get(i));
                    reachable =
                        matched.get(j).copied().unwrap_or(false) || (reachable && before.is_some_and(|c| *c != '/'));
                    *slot = reachable;
                }
            }
            single => {
                for (j, c) in name.iter().enumerate() {
                    if matched.get(j).copied().unwrap_or(false) && single_matches(single, *c) {
                        if let Some(slot) = next.get_mut(j + 1) {
                            *slot = true;
                        }
                    }
                }
            }
        }
        matched = next;
    }
    matched.last().copied().unwrap_or(false)
}

fn single_matches(token: &Token, c: char) -> bool {
    match token {
        Token::Star => false,
        Token::Any => c != '/',
        Token::Literal(literal) => *literal == c,
        Token::Class { negated, ranges } => {
            c != '/' && ranges.iter().any(|(low, high)| (*low..=*high).contains(&c)) != *negated
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    /// Go's `filepath.Match` on the patterns `.helmignore` files hold.
    #[test]
    fn patterns_match_as_go_filepath_match_does() {
        let cases: &[(&str, &str, bool)] = &[
            ("*.tgz", "redis-1.0.0.tgz", true),
            ("*.tgz", "a/b.tgz", false),
            ("*", "a/b", false),
            ("a*/b", "abc/b", true),
            ("a*/b", "a/c/b", false),
            ("?.txt", "a.txt", true),
            ("?.txt", "/.txt", false),
            ("[a-c]x", "bx", true),
            ("[^a-c]x", "bx", false),
            ("[^a-c]x", "dx", true),
            ("[\\-]x", "-x", true),
            ("\\*", "*", true),
            ("\\*", "a", false),
            (".*", ".git", true),
            (".?*", ".", false),
            ("*.sw[op]", "values.yaml.swp", true),
            ("*~", "values.yaml~", true),
        ];
        for (pattern, name, expected) in cases {
            let tokens = tokenize(pattern).unwrap();
            let chars: Vec<char> = name.chars().collect();
            assert_eq!(matches_tokens(&tokens, &chars), *expected, "{pattern} on {name}");
        }
        for bad in ["[", "[]", "[a", "[-a]", "a\\", "[a-"] {
            assert!(tokenize(bad).is_err(), "{bad}");
        }
    }

    /// Which files of a chart a `.helmignore` leaves out, as Helm's directory loader does.
    #[test]
    fn files_are_left_out_as_helm_leaves_them_out() {
        let text = "\u{feff}# editor files\n*.swp\n.git/\n/ci\ndocs/*.md\ntests/\n\n";
        let (ignore, bad) = HelmIgnore::parse(text);
        assert!(bad.is_empty(), "{bad:?}");
        let cases = [
            ("values.yaml", false),
            ("templates/deployment.yaml", false),
            ("templates/deployment.yaml.swp", true),
            (".git/config", true),
            ("charts/redis/.git/HEAD", true), // a base-name directory pattern, at any depth
            ("ci/values-ci.yaml", true),
            ("charts/sub/ci/x.yaml", false), // `/ci` is the chart's own `ci`
            ("docs/a.md", true),
            ("docs/deep/a.md", false),
            ("templates/tests/test-connection.yaml", true),
            ("tests", false),                 // `tests/` is for directories only
            ("templates/.hidden.yaml", true), // Helm's default
            ("templates/sub/.hidden.yaml", false),
            (".helmignore", false),
        ];
        for (path, expected) in cases {
            assert_eq!(ignore.ignores_file(path), expected, "{path}");
        }
        assert!(HelmIgnore::defaults().ignores_file("templates/.keep"));
        assert!(!HelmIgnore::defaults().ignores_file(".helmignore"));

        // Helm's `!`: the pattern's matches go on to the next pattern; everything else stops.
        let (negated, _) = HelmIgnore::parse("!keep.yaml\n*.txt\n");
        assert!(!negated.ignores_file("keep.yaml"), "matched by `!`, and by nothing after it");
        assert!(negated.ignores_file("Chart.yaml"), "not matched by `!`: ignored");
        assert!(negated.ignores_file("templates/keep.yaml"), "its directory is not matched by `!`");

        let (partial, bad) = HelmIgnore::parse("ok.txt\nsecrets/**\n[z-\n");
        let lines: Vec<u32> = bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [2, 3]);
        assert!(bad[0].message.contains("double-star"), "{bad:?}");
        assert!(partial.ignores_file("ok.txt"));
    }
}
