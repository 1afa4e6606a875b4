//! How a detected secret appears in any output: never whole. A finding shows a few leading
//! characters — enough to recognise which credential it is (`ghp_`, `AKIA`) — and the length;
//! baselines and fingerprints use a hash.

use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;

/// How many leading characters are shown, at most; never more than a quarter of the secret.
const SHOWN: usize = 4;

/// `secret` as outputs show it: its first characters, an ellipsis and its length.
pub(crate) fn redact(secret: &str) -> String {
    format!("{}… ({} characters)", shown_prefix(secret), secret.chars().count())
}

/// A stable identity for `secret` that reveals nothing usable: the first 16 bytes of its
/// SHA-256, in hex. Baselines of secret findings are keyed by it.
pub(crate) fn secret_hash(secret: &str) -> String {
    data_encoding::HEXLOWER.encode(Sha256::digest(secret.as_bytes()).get(..16).unwrap_or_default())
}

/// Every secret a scan found, ready to be taken out of any text before it is shown: rule
/// messages, error messages, code frames, the graph `ward parse` prints.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
    automaton: Option<aho_corasick::AhoCorasick>,
}

impl Redactor {
    /// Takes every secret this redactor knows out of the diagnostic's message, help and code
    /// frame (masked in place in the frame, so it still points at the same bytes).
    pub fn redact_diagnostic(&self, diagnostic: &mut Diagnostic) {
        if !self.is_empty() {
            diagnostic.rewrite_text(|text| self.redact_text(text), |frame| self.mask_text(frame));
        }
    }
}

impl Redactor {
    /// A redactor for these secrets (repeats are fine).
    pub fn new(mut secrets: Vec<String>) -> Redactor {
        secrets.retain(|secret| !secret.is_empty());
        secrets.sort();
        secrets.dedup();
        // Longest first, so that a secret containing another is replaced whole.
        secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
        let automaton = (!secrets.is_empty())
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                    .build(&secrets)
                    .ok()
            })
            .flatten();
        Redactor { secrets, automaton }
    }

    /// Whether there is no secret to take out.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// `text` with every secret replaced by its [`redact`]ed form.
    ///
    /// ```
    /// use ward_engine::Redactor;
    /// let redactor = Redactor::new(vec!["s3cr3t-value-123".into()]);
    /// assert_eq!(redactor.redact_text("password is s3cr3t-value-123!"), "password is s3cr… (16 characters)!");
    /// ```
    pub fn redact_text(&self, text: &str) -> String {
        self.replace(text, |secret, out| out.push_str(&redact(secret)))
    }

    /// `text` with every character of every secret but the few [`redact`] shows replaced by
    /// `*`, byte for byte, so that offsets into the text still hold (for code frames).
    ///
    /// ```
    /// use ward_engine::Redactor;
    /// let redactor = Redactor::new(vec!["s3cr3t-value-123".into()]);
    /// assert_eq!(redactor.mask_text("pw: s3cr3t-value-123\n"), "pw: s3cr************\n");
    /// ```
    pub fn mask_text(&self, text: &str) -> String {
        self.replace(text, |secret, out| {
            let shown = shown_prefix(secret);
            out.push_str(shown);
            out.extend(std::iter::repeat_n('*', secret.len() - shown.len()));
        })
    }

    fn replace(&self, text: &str, mut with: impl FnMut(&str, &mut String)) -> String {
        let Some(automaton) = &self.automaton else { return text.to_owned() };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for found in automaton.find_iter(text) {
            out.push_str(text.get(last..found.start()).unwrap_or(""));
            with(self.secrets.get(found.pattern().as_usize()).map_or("", String::as_str), &mut out);
            last = found.end();
        }
        out.push_str(text.get(last..).unwrap_or(""));
        out
    }

    /// Replaces every secret in every string of `value`, keys included.
    pub fn redact_json(&self, value: &mut serde_json::Value) {
        use serde_json::Value;
        if self.is_empty() {
            return;
        }
        match value {
            Value::String(text) => *text = self.redact_text(text),
            Value::Array(items) => items.iter_mut().for_each(|item| self.redact_json(item)),
            Value::Object(members) => {
                let old = std::mem::take(members);
                for (key, mut member) in old {
                    self.redact_json(&mut member);
                    members.insert(self.redact_text(&key), member);
                }
            }
            _ => {}
        }
    }
}

/// The leading characters of `secret` that [`redact`] shows.
fn shown_prefix(secret: &str) -> &str {
    let length = secret.chars().count();
    let end = secret.char_indices().nth(SHOWN.min(length / 4)).map_or(secret.len(), |(at, _)| at);
    secret.get(..end).unwrap_or("")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn a_redacted_secret_never_contains_more_than_a_quarter_of_it() {
        for length in 0..80 {
            let secret: String = (0..length).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            let shown = redact(&secret);
            let visible = shown.split('…').next().unwrap_or_default();
            assert!(visible.chars().count() * 4 <= length.max(1), "{shown}");
            if length >= 8 {
                assert!(!shown.contains(&secret[..length / 2]), "{shown}");
            }
        }
        assert_eq!(redact("ghp_é€aaaaaaaaaaaaaaa"), "ghp_… (21 characters)");
    }

    /// The example from the documentation of `redact`.
    #[test]
    fn redact_example() {
        use crate::secrets::redact::redact;
        assert_eq!(redact("hunter2-but-much-longer"), "hunt… (23 characters)");
        assert_eq!(redact("abc"), "… (3 characters)");
    }

    /// The example from the documentation of `secret_hash`.
    #[test]
    fn secret_hash_example() {
        use crate::secrets::redact::secret_hash;
        assert_eq!(secret_hash("a").len(), 32);
        assert_ne!(secret_hash("a"), secret_hash("b"));
    }
}
