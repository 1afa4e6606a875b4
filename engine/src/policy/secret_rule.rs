//! Secret rules as data: one `*.secret.yaml` file per rule, in a pack's `rules/` like Rego and
//! CEL rules, checked against `schemas/secret-rule.schema.json` with every problem at its line
//! and column. A rule is its metadata (shared with the other languages, so `ward explain`, the
//! language server and SARIF document it the same way), keywords, a regex whose first
//! participating capture group is the secret, and the checks a candidate must pass.
//!
//! A rule also says how to make a fake credential of its kind for its tests: `test_token`, a
//! template such as `hf_{alnum:34}` or `ghp_{alnum:30}{crc32}` (or a list of them, one per
//! variant), read by [`generate`](crate::secrets::generate). A fixture then writes
//! `<<ward:SEC-042>>` (the first template) or `<<ward:SEC-042:1>>` (the second), and no token a
//! scanner would accept is ever committed.

use std::sync::{Arc, OnceLock};

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::{Regex, RegexBuilder};
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::document::Position;
use crate::policy::metadata::{from_document, read_rule_file, Locator};
use crate::policy::{Checks, RuleMetadata};
use crate::schema::EmbeddedSchema;

static SCHEMA: EmbeddedSchema =
    EmbeddedSchema::new("secret-rule.schema.json", include_str!("../../../schemas/secret-rule.schema.json"));

/// The most compiled memory one rule's regex may take: a rule is data from a pack, and a pack
/// must not be able to make ward allocate without bound.
const REGEX_SIZE_LIMIT: usize = 4 * 1024 * 1024;

/// How far a companion secret may be looked for, at most, in lines.
const DEFAULT_PAIR_LINES: usize = 5;

/// One secret rule, compiled.
#[derive(Debug, Clone)]
pub struct SecretRule {
    /// The rule's id, title, severity and documentation.
    pub metadata: RuleMetadata,
    /// The rule file, as given.
    pub path: String,
    /// Lower-case literals; the regex runs only around them.
    pub keywords: Vec<String>,
    /// The pattern that finds the secret, compiled at its first use.
    pub regex: LazyRegex,
    /// The secret may span lines (PEM blocks).
    pub multiline: bool,
    /// A catch-all: it yields to specific rules on the same secret.
    pub generic: bool,
    /// For an assignment rule: the names of keys whose values are credentials. The scanner then
    /// reads each file's assignments the way its format defines them and judges their values;
    /// `regex` only finds assignments in files of no format it reads (source code).
    pub key: Option<LazyRegex>,
    /// How a candidate is checked beyond its pattern (a checksum, a decodable key), when it can be.
    pub validator: Option<Validator>,
    /// Minimum Shannon entropy, bits per character.
    pub entropy: Option<f64>,
    /// The shortest secret the rule reports, in characters.
    pub min_length: usize,
    /// Another value that must be found near the secret for it to count (an AWS key id near its
    /// secret key).
    pub pair: Option<Pair>,
    /// What the rule never reports: placeholders, example values, paths.
    pub allowlist: Allowlist,
    /// Templates of fake credentials the rule reports (`test_token`), for fixtures: see
    /// [`generate::recipe`](crate::secrets::generate::recipe) for their syntax.
    pub test_tokens: Vec<TokenRecipe>,
}

impl SecretRule {
    /// Compiles every regex of the rule that is not compiled yet.
    pub fn compile(&self) {
        self.regex.get();
        if let Some(key) = &self.key {
            key.get();
        }
        self.allowlist.keys.compile();
        self.allowlist.regexes.compile();
        self.allowlist.lines.compile();
        if let Some(pair) = &self.pair {
            pair.regex.get();
        }
    }

    /// Why regexes of the rule could not be compiled, among those a scan has used: the rule
    /// did not run as written, and a scan must say so.
    pub fn regex_errors(&self) -> Vec<String> {
        let pair = self.pair.as_ref().map(|pair| &pair.regex);
        std::iter::once(&self.regex)
            .chain(pair)
            .chain(&self.key)
            .chain(&self.allowlist.keys.patterns)
            .chain(&self.allowlist.regexes.patterns)
            .chain(&self.allowlist.lines.patterns)
            .filter_map(|regex| regex.error().map(|error| format!("`{}`: {error}", regex.as_str())))
            .collect()
    }
}

/// A companion secret that must be near the first (an AWS key id's secret key).
#[derive(Debug, Clone)]
pub struct Pair {
    pub name: String,
    pub regex: LazyRegex,
    pub within_lines: usize,
    pub entropy: Option<f64>,
}

/// What a rule does not report.
#[derive(Debug, Clone, Default)]
pub struct Allowlist {
    pub values: Vec<String>,
    /// Patterns of secrets that are not reported.
    pub regexes: AnyOf,
    /// Lower-case.
    pub stopwords: Vec<String>,
    /// Patterns of lines on which nothing is reported.
    pub lines: AnyOf,
    pub paths: Option<GlobSet>,
    /// Patterns of key names whose values are never reported (a token's URL, a password's
    /// minimum length): for assignment rules.
    pub keys: AnyOf,
}

/// Patterns of which any may match, run as one alternation: one regex to compile and to run
/// instead of one per pattern. Compiling the generic rule's fifteen allowlist patterns one by
/// one took 1.7 ms, a tenth of a pre-commit hook; as one, 0.6 ms. Should the alternation not
/// compile (a `(?x)` comment would swallow its closing parenthesis; it may be too big), each
/// pattern is tried alone, and reports its own error.
#[derive(Debug, Clone, Default)]
pub struct AnyOf {
    pub patterns: Vec<LazyRegex>,
    combined: Option<LazyRegex>,
}

impl AnyOf {
    pub fn new(patterns: Vec<LazyRegex>) -> AnyOf {
        let combined = (patterns.len() > 1).then(|| {
            let alternatives: Vec<String> = patterns.iter().map(|re| format!("(?:{})", re.as_str())).collect();
            LazyRegex::unchecked(&alternatives.join("|"))
        });
        AnyOf { patterns, combined }
    }

    /// Whether any pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        match self.combined.as_ref().and_then(LazyRegex::get) {
            Some(combined) => combined.is_match(text.as_bytes()),
            None => self.patterns.iter().any(|re| re.is_match(text)),
        }
    }

    fn compile(&self) {
        if !self.is_combined() {
            for pattern in &self.patterns {
                let _ = pattern.get();
            }
        }
    }

    /// Whether the patterns run as one regex (else one by one).
    pub fn is_combined(&self) -> bool {
        self.combined.as_ref().is_some_and(|combined| combined.get().is_some())
    }
}

/// A rule's regex: its syntax checked when the rule is loaded (so a mistake is reported at its
/// line and column), compiled when the scanner first needs it. Compiling is most of the cost of
/// starting a scan — the generic rule and its allowlist alone are dozens of regexes — and a
/// pre-commit run over a few files needs only the regexes of the keywords it meets. Clones
/// share the compiled regex.
#[derive(Debug, Clone)]
pub struct LazyRegex(Arc<LazyInner>);

#[derive(Debug)]
struct LazyInner {
    pattern: String,
    /// The regex, or why it did not compile (it compiled to more than the size limit).
    compiled: OnceLock<Result<Regex, RegexError>>,
}

/// A rule's regex that ward cannot use.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RegexError {
    /// Wrong syntax, as the last line of the parser's message words it.
    #[error("{0}")]
    Syntax(String),
    #[error("the regex compiles to more than {0} bytes")]
    TooBig(usize),
    #[error(transparent)]
    Compile(regex::Error),
}

impl LazyRegex {
    /// `pattern`, if its syntax is right; the message says what is wrong otherwise.
    pub fn new(pattern: &str) -> Result<LazyRegex, RegexError> {
        // Byte regexes: a pattern may use a byte class such as `(?-u:[^"])`, one automaton state
        // where its Unicode form is a dozen — on text, where every match is on character
        // boundaries all the same, as the scanner checks.
        regex_syntax::ParserBuilder::new().utf8(false).build().parse(pattern).map_err(|error| {
            RegexError::Syntax(error.to_string().lines().last().unwrap_or("not a regex").trim().to_owned())
        })?;
        Ok(LazyRegex::unchecked(pattern))
    }

    /// `pattern`, its syntax unchecked: if it is wrong, it does not compile when first used.
    fn unchecked(pattern: &str) -> LazyRegex {
        LazyRegex(Arc::new(LazyInner { pattern: pattern.to_owned(), compiled: OnceLock::new() }))
    }

    /// The compiled regex; `None` if it cannot be compiled (see [`LazyRegex::error`]).
    pub fn get(&self) -> Option<&Regex> {
        self.compiled().as_ref().ok()
    }

    fn compiled(&self) -> &Result<Regex, RegexError> {
        self.0.compiled.get_or_init(|| {
            RegexBuilder::new(&self.0.pattern).size_limit(REGEX_SIZE_LIMIT).build().map_err(|error| match error {
                regex::Error::CompiledTooBig(limit) => RegexError::TooBig(limit),
                other => RegexError::Compile(other),
            })
        })
    }

    /// Why the regex could not be compiled, once something tried to use it.
    pub fn error(&self) -> Option<&RegexError> {
        self.0.compiled.get().and_then(|compiled| compiled.as_ref().err())
    }

    /// Whether the regex matches somewhere in `text`; a regex that does not compile never does.
    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_some_and(|regex| regex.is_match(text.as_bytes()))
    }

    pub fn as_str(&self) -> &str {
        &self.0.pattern
    }
}

impl Allowlist {
    /// Whether `secret`, found on `line`, is allowed (not reported).
    pub fn allows(&self, secret: &str, line: &str) -> bool {
        if self.values.iter().any(|value| value == secret) || self.regexes.is_match(secret) {
            return true;
        }
        if !self.stopwords.is_empty() {
            let lower = secret.to_lowercase();
            if self.stopwords.iter().any(|word| lower.contains(word.as_str())) {
                return true;
            }
        }
        self.lines.is_match(line)
    }

    /// Whether the rule skips the file at `path` altogether.
    pub fn skips_path(&self, path: &str) -> bool {
        self.paths.as_ref().is_some_and(|globs| globs.is_match(path))
    }
}

/// Reads one `*.secret.yaml` file.
///
/// ```
/// use ward_engine::load_secret_rule;
/// let text = "id: SEC-900\ntitle: Example tokens\nseverity: high\nkeywords: [ex_]\nregex: '\\b(ex_[a-z0-9]{16})\\b'\n";
/// let rule = load_secret_rule("rules/example.secret.yaml", text).unwrap();
/// assert_eq!(rule.keywords, ["ex_"]);
///
/// let error = load_secret_rule("rules/bad.secret.yaml", "id: X\nseverity: high\nkeywords: [ab]\nregex: '(unclosed'\n").unwrap_err();
/// assert_eq!(error.position.map(|p| (p.line, p.column)), Some((4, 8)));
/// ```
pub fn load_rule(path: &str, text: &str) -> Result<SecretRule, Diagnostic> {
    load_rule_with(path, text, Checks::Full)
}

/// [`load_rule`] with the given checks: a built-in rule's schema and regex syntax were checked
/// by ward's tests, and a regex that would not compile all the same is reported by the scan
/// ([`SecretRule::regex_errors`]).
pub(crate) fn load_rule_with(path: &str, text: &str, checks: Checks) -> Result<SecretRule, Diagnostic> {
    let parsed = read_rule_file(path, text)?;
    let at = Locator::whole_file(path, text, &parsed.source_map);
    let document = match parsed.value.as_array().map(Vec::as_slice) {
        Some([document @ Value::Object(_)]) => document,
        _ => {
            return Err(at.error(
                Position { line: 1, column: 1 },
                "a secret rule file holds one YAML mapping with `id`, `severity`, `keywords` and `regex`",
            ))
        }
    };
    let violation = match checks {
        Checks::Full => SCHEMA.first_violation(document),
        Checks::Builtin => None,
    };
    if let Some(violation) = violation {
        let position = if violation.on_key { at.key(&violation.pointer) } else { at.value(&violation.pointer) };
        return Err(at.error(position, violation.message));
    }
    let metadata = from_document(document, "", &at)?;
    let text_at = |pointer: &str| document.pointer(pointer).and_then(Value::as_str).unwrap_or_default();
    // The texts of the list at `pointer`, with their indexes (for the places of errors only:
    // a built-in pack's 1,700 list items are read at every start).
    let strings = |pointer: &str| -> Vec<(usize, &str)> {
        document
            .pointer(pointer)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(index, value)| Some((index, value.as_str()?)))
            .collect()
    };
    let compile = |pointer: &str, pattern: &str| -> Result<LazyRegex, Diagnostic> {
        match checks {
            Checks::Full => {
                LazyRegex::new(pattern).map_err(|reason| at.error(at.value(pointer), format!("not a regex: {reason}")))
            }
            Checks::Builtin => Ok(LazyRegex::unchecked(pattern)),
        }
    };
    let number = |pointer: &str| document.pointer(pointer).and_then(Value::as_f64);
    let keywords = strings("/keywords").into_iter().map(|(_, keyword)| keyword.to_lowercase()).collect();
    let regex = compile("/regex", text_at("/regex"))?;
    let validator = match document.get("validator").and_then(Value::as_str) {
        None => None,
        Some(name) => Some(
            Validator::from_name(name)
                .ok_or_else(|| at.error(at.value("/validator"), format!("unknown validator `{name}`")))?,
        ),
    };
    let pair = match document.get("pair") {
        None | Some(Value::Null) => None,
        Some(pair) => Some(Pair {
            name: pair.get("name").and_then(Value::as_str).unwrap_or("its companion secret").to_owned(),
            regex: compile("/pair/regex", text_at("/pair/regex"))?,
            within_lines: pair
                .get("within_lines")
                .and_then(Value::as_u64)
                .and_then(|lines| usize::try_from(lines).ok())
                .unwrap_or(DEFAULT_PAIR_LINES),
            entropy: number("/pair/entropy"),
        }),
    };
    let mut allowlist = Allowlist {
        values: strings("/allowlist/values").into_iter().map(|(_, value)| value.to_owned()).collect(),
        stopwords: strings("/allowlist/stopwords").into_iter().map(|(_, word)| word.to_lowercase()).collect(),
        ..Allowlist::default()
    };
    let compile_all = |pointer: &str| -> Result<AnyOf, Diagnostic> {
        let patterns =
            strings(pointer).into_iter().map(|(index, pattern)| compile(&format!("{pointer}/{index}"), pattern));
        Ok(AnyOf::new(patterns.collect::<Result<_, _>>()?))
    };
    allowlist.regexes = compile_all("/allowlist/regexes")?;
    allowlist.lines = compile_all("/allowlist/lines")?;
    allowlist.keys = compile_all("/allowlist/keys")?;
    let key = match document.get("key").and_then(Value::as_str) {
        None => None,
        Some(pattern) => Some(compile("/key", pattern)?),
    };
    let paths = strings("/allowlist/paths");
    if !paths.is_empty() {
        let mut builder = GlobSetBuilder::new();
        for (index, pattern) in &paths {
            let pointer = format!("/allowlist/paths/{index}");
            let glob = Glob::new(pattern)
                .map_err(|e| at.error(at.value(&pointer), format!("not a path glob: {}", e.kind())))?;
            builder.add(glob);
        }
        let globs = builder.build().map_err(|e| at.error(at.value("/allowlist/paths"), e.to_string()))?;
        allowlist.paths = Some(globs);
    }
    Ok(SecretRule {
        metadata,
        path: path.to_owned(),
        keywords,
        regex,
        multiline: document.get("multiline").and_then(Value::as_bool).unwrap_or(false),
        generic: document.get("generic").and_then(Value::as_bool).unwrap_or(false),
        key,
        validator,
        entropy: number("/entropy"),
        min_length: document
            .get("min_length")
            .and_then(Value::as_u64)
            .and_then(|length| usize::try_from(length).ok())
            .unwrap_or(1),
        pair,
        allowlist,
        test_tokens: test_tokens(document, &at)?,
    })
}

/// The rule's `test_token` templates (a string or a list), each parsed once here so that a
/// mistake is reported at its line when the rule is loaded, not when a fixture first uses it.
fn test_tokens(document: &Value, at: &Locator) -> Result<Vec<TokenRecipe>, Diagnostic> {
    let templates: Vec<(String, &str)> = match document.get("test_token") {
        Some(Value::String(template)) => vec![("/test_token".to_owned(), template.as_str())],
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| Some((format!("/test_token/{index}"), item.as_str()?)))
            .collect(),
        _ => Vec::new(),
    };
    templates
        .into_iter()
        .map(|(pointer, template)| {
            TokenRecipe::parse(template)
                .map_err(|reason| at.error(at.value(&pointer), format!("not a test token template: {reason}")))
        })
        .collect()
}

/// How to make a fake credential of a rule's kind: a template such as `hf_{alnum:34}`.
///
/// Literal text stands for itself (`{{` and `}}` for braces); `{ALPHABET:N}` is `N` random
/// characters of `ALPHABET` (`alnum` base62, `upper`, `lower`, `digit`, `hex`, `HEX`,
/// `upper-alnum`, `lower-alnum`, `base64`, `base64url`, `base32`); `{crc32}` is the CRC32 of
/// the random part just before it in six base62 characters (GitHub's and npm's checksum);
/// `{kind:NAME}` is a whole token of a kind the generator makes in code, for structures a
/// template cannot say (a PEM block, a bech32 checksum).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecipe {
    /// The template as written (it seeds the random parts, with the fixture's seed).
    pub template: String,
    /// The template's parts, in order.
    pub parts: Vec<RecipePart>,
}

/// One part of a [`TokenRecipe`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecipePart {
    /// Text that stands for itself.
    Literal(String),
    /// `count` random characters of `alphabet`.
    Random {
        /// The characters to pick from.
        alphabet: &'static [u8],
        /// How many to pick.
        count: usize,
    },
    /// The CRC32 of the random part just before, in six base62 characters.
    Crc32,
    /// A whole token of a kind made in code.
    Kind(String),
}

/// The longest random part a template may ask for: tokens are short, and a rule is data.
const MAX_RANDOM: usize = 4096;

impl TokenRecipe {
    /// Parses a template; the error says what is wrong with it.
    ///
    /// ```
    /// use ward_engine::testing::TokenRecipe;
    /// assert_eq!(TokenRecipe::parse("hf_{alnum:34}").unwrap().parts.len(), 2);
    /// assert!(TokenRecipe::parse("hf_{alnum:x}").unwrap_err().contains("count"));
    /// ```
    pub fn parse(template: &str) -> Result<TokenRecipe, String> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = template;
        while let Some(at) = rest.find(['{', '}']) {
            literal.push_str(rest.get(..at).unwrap_or(""));
            let tail = rest.get(at..).unwrap_or("");
            if let Some(after) = tail.strip_prefix("{{").or_else(|| tail.strip_prefix("}}")) {
                literal.push_str(tail.get(..1).unwrap_or(""));
                rest = after;
                continue;
            }
            if tail.starts_with('}') {
                return Err("a `}` without its `{` (write `}}` for a brace)".to_owned());
            }
            let close = tail.find('}').ok_or("a `{` without its `}` (write `{{` for a brace)")?;
            let inside = tail.get(1..close).unwrap_or("");
            if !literal.is_empty() {
                parts.push(RecipePart::Literal(std::mem::take(&mut literal)));
            }
            parts.push(RecipePart::parse(inside)?);
            rest = tail.get(close + 1..).unwrap_or("");
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(RecipePart::Literal(literal));
        }
        Ok(TokenRecipe { template: template.to_owned(), parts })
    }
}

impl RecipePart {
    fn parse(inside: &str) -> Result<RecipePart, String> {
        if inside == "crc32" {
            return Ok(RecipePart::Crc32);
        }
        let (name, argument) = inside
            .split_once(':')
            .ok_or_else(|| format!("`{{{inside}}}` is not `{{ALPHABET:COUNT}}`, `{{crc32}}` or `{{kind:NAME}}`"))?;
        if name == "kind" {
            return Ok(RecipePart::Kind(argument.to_owned()));
        }
        let alphabet = alphabet(name).ok_or_else(|| format!("unknown alphabet `{name}`"))?;
        let count = argument
            .parse::<usize>()
            .ok()
            .filter(|count| (1..=MAX_RANDOM).contains(count))
            .ok_or_else(|| format!("the count `{argument}` is not a number from 1 to {MAX_RANDOM}"))?;
        Ok(RecipePart::Random { alphabet, count })
    }
}

/// The characters of an alphabet a template names.
fn alphabet(name: &str) -> Option<&'static [u8]> {
    Some(match name {
        "alnum" => b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        "upper" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "lower" => b"abcdefghijklmnopqrstuvwxyz",
        "digit" => b"0123456789",
        "hex" => b"0123456789abcdef",
        "HEX" => b"0123456789ABCDEF",
        "upper-alnum" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "lower-alnum" => b"abcdefghijklmnopqrstuvwxyz0123456789",
        "base64" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        "base64url" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        "base32" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        _ => return None,
    })
}

/// The structures ward knows how to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validator {
    /// GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm tokens (`npm_`): 30
    /// random base62 characters, then the CRC32 of those 30 in 6 base62 characters.
    Crc32Base62,
    /// A PEM private key block whose body is base64 that decodes.
    PemPrivateKey,
    /// An OpenSSH private key whose body decodes to the `openssh-key-v1` format.
    OpenSshPrivateKey,
    /// A JSON Web Token: three base64url parts, the first a JSON object with an `alg`.
    Jwt,
    /// An Azure storage account key: base64 of exactly 64 bytes.
    AzureStorageKey,
    /// An age identity (`AGE-SECRET-KEY-1…`): bech32 of 32 bytes whose checksum holds.
    AgeSecretKey,
    /// An armoured OpenPGP private key: a secret-key packet first, and its CRC-24 line right.
    PgpPrivateKey,
    /// A Discord bot token: the first part is a snowflake id in base64.
    DiscordBotToken,
    /// HTTP Basic credentials: base64 of `user:password`, the password not a placeholder.
    BasicAuth,
}

impl Validator {
    /// The validator a rule file names (`validator: crc32-base62`).
    pub fn from_name(name: &str) -> Option<Validator> {
        Some(match name {
            "crc32-base62" => Validator::Crc32Base62,
            "pem-private-key" => Validator::PemPrivateKey,
            "openssh-private-key" => Validator::OpenSshPrivateKey,
            "jwt" => Validator::Jwt,
            "azure-storage-key" => Validator::AzureStorageKey,
            "age-secret-key" => Validator::AgeSecretKey,
            "pgp-private-key" => Validator::PgpPrivateKey,
            "discord-bot-token" => Validator::DiscordBotToken,
            "basic-auth" => Validator::BasicAuth,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn a_regex_is_compiled_when_first_used_and_a_too_big_one_says_so() {
        let rule =
            load_rule("r.secret.yaml", "id: SEC-1\nseverity: high\nkeywords: [abc]\nregex: '(?:\\w{200}){200}'\n")
                .expect("the syntax is right: the rule loads");
        assert!(rule.regex_errors().is_empty(), "nothing compiled yet");
        assert!(rule.regex.get().is_none());
        let errors = rule.regex_errors();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("compiles to more than"), "{errors:?}");
        let fine =
            load_rule("r.secret.yaml", "id: SEC-1\nseverity: high\nkeywords: [abc]\nregex: 'abc(\\d+)'\n").unwrap();
        assert!(fine.regex.clone().is_match("abc12") && fine.regex.get().is_some() && fine.regex_errors().is_empty());
    }

    #[test]
    fn every_built_in_regex_compiles() {
        let rules = crate::policy::builtin_secret_rules();
        assert!(rules.len() >= 16);
        for rule in &rules {
            let pair = rule.pair.as_ref().map(|pair| &pair.regex);
            let all = std::iter::once(&rule.regex)
                .chain(pair)
                .chain(&rule.allowlist.regexes.patterns)
                .chain(&rule.allowlist.lines.patterns)
                .chain(&rule.key)
                .chain(&rule.allowlist.keys.patterns);
            for regex in all {
                assert!(regex.get().is_some(), "{}: `{}` {:?}", rule.metadata.id, regex.as_str(), regex.error());
            }
            for any in [&rule.allowlist.regexes, &rule.allowlist.lines, &rule.allowlist.keys] {
                assert!(any.patterns.len() < 2 || any.is_combined(), "{}: the fast path is taken", rule.metadata.id);
            }
        }
    }

    #[test]
    fn problems_are_reported_where_they_are_written() {
        let base = "id: SEC-1\nseverity: high\nkeywords: [abc]\nregex: 'abc'\n";
        let cases = [
            ("an unknown key", format!("{base}colour: red\n"), (5, 1), "unknown key `colour`"),
            ("a bad validator", format!("{base}validator: crc64\n"), (5, 12), "\"crc64\" is not one of"),
            ("a bad allowlist regex", format!("{base}allowlist:\n  regexes: ['[a-']\n"), (6, 13), "not a regex"),
            ("a bad path glob", format!("{base}allowlist:\n  paths: ['a/[']\n"), (6, 11), "not a path glob"),
            ("no keywords", "id: SEC-1\nseverity: high\nregex: 'abc'\n".to_owned(), (1, 1), "keywords"),
            ("a short keyword", "id: SEC-1\nseverity: high\nkeywords: [a]\nregex: 'a'\n".into(), (3, 12), "shorter"),
            ("two documents", format!("{base}---\n{base}"), (1, 1), "one YAML mapping"),
        ];
        for (name, text, (line, column), message) in cases {
            let error = load_rule("r.secret.yaml", &text).unwrap_err();
            assert!(error.message.contains(message), "{name}: {error}");
            assert_eq!(error.position.map(|p| (p.line, p.column)), Some((line, column)), "{name}: {error}");
        }
    }

    #[test]
    fn patterns_that_cannot_run_as_one_alternation_run_one_by_one() {
        // The comment would swallow the alternation's closing parenthesis.
        let verbose = LazyRegex::new("(?x) ab+ # b's").unwrap();
        let any = AnyOf::new(vec![verbose, LazyRegex::new("^x$").unwrap()]);
        assert!(any.is_match("abbb") && any.is_match("x") && !any.is_match("ax"));
        assert!(!any.is_combined());
        let fine = AnyOf::new(vec![LazyRegex::new("(?i)^ab$").unwrap(), LazyRegex::new("^x$").unwrap()]);
        assert!(fine.is_match("AB") && fine.is_match("x") && !fine.is_match("xAB") && fine.is_combined());
    }

    #[test]
    fn allowlists_match_values_patterns_words_lines_and_paths() {
        let text = "id: SEC-1\nseverity: high\nkeywords: [tok]\nregex: 'tok_(\\w+)'\nallowlist:\n  values: [EXACT]\n  regexes: ['^x+$']\n  stopwords: [Example]\n  lines: ['secretKeyRef']\n  paths: ['**/*.lock']\n";
        let rule = load_rule("r.secret.yaml", text).unwrap();
        let allow = &rule.allowlist;
        assert!(allow.allows("EXACT", ""));
        assert!(allow.allows("xxxx", ""));
        assert!(allow.allows("myEXAMPLEkey", ""));
        assert!(allow.allows("real", "  secretKeyRef: real"));
        assert!(!allow.allows("real", "token: real"));
        assert!(allow.skips_path("web/yarn.lock"));
        assert!(!allow.skips_path("web/.env"));
    }
}
