//! Application source files, read for what configuration needs from them: the environment
//! variables the code reads — `process.env.X` / `process.env["X"]` (JavaScript, TypeScript),
//! `os.environ["X"]`, `os.environ.get("X")`, `os.getenv("X")` (Python), `os.Getenv("X")` (Go),
//! `env::var("X")` (Rust), `ENV["X"]`, `ENV.fetch("X")` (Ruby), `System.getenv("X")` (Java,
//! Kotlin), `Environment.GetEnvironmentVariable("X")` (C#), `getenv('X')` (PHP) and a few more —
//! each at the line and column of its name, with whether the code supplies a fallback.
//!
//! Comments are blanked out first (with each language's strings respected), so commented-out
//! code reads nothing. The text itself stays on the document: the graph searches it for flag
//! keys ([`crate::graph`]).

use std::sync::OnceLock;

use regex::Regex;
use serde_json::{json, Value};

use super::{Limits, ParseError};
use crate::document::{Parsed, SourceMap, Span};

/// Reads recorded per file; the rest are left out (generated code can read thousands).
pub(crate) const MAX_ENV_READS: usize = 1_000;

/// The language of a source file, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceLanguage {
    JavaScript,
    TypeScript,
    Python,
    Go,
    Rust,
    Ruby,
    Java,
    Kotlin,
    Scala,
    CSharp,
    Php,
    Swift,
    Unknown,
}

/// The extensions of the source files ward reads, each with its language and the Markdown
/// code-block language that highlights it: the one table of them, which detection
/// ([`crate::kinds`]), this parser, comment markers and highlighting all read.
const EXTENSIONS: [(&str, SourceLanguage, &str); 21] = [
    ("js", SourceLanguage::JavaScript, "javascript"),
    ("jsx", SourceLanguage::JavaScript, "javascript"),
    ("mjs", SourceLanguage::JavaScript, "javascript"),
    ("cjs", SourceLanguage::JavaScript, "javascript"),
    ("vue", SourceLanguage::JavaScript, "vue"),
    ("svelte", SourceLanguage::JavaScript, "svelte"),
    ("ts", SourceLanguage::TypeScript, "typescript"),
    ("tsx", SourceLanguage::TypeScript, "typescript"),
    ("mts", SourceLanguage::TypeScript, "typescript"),
    ("cts", SourceLanguage::TypeScript, "typescript"),
    ("py", SourceLanguage::Python, "python"),
    ("go", SourceLanguage::Go, "go"),
    ("rs", SourceLanguage::Rust, "rust"),
    ("rb", SourceLanguage::Ruby, "ruby"),
    ("java", SourceLanguage::Java, "java"),
    ("kt", SourceLanguage::Kotlin, "kotlin"),
    ("kts", SourceLanguage::Kotlin, "kotlin"),
    ("scala", SourceLanguage::Scala, "scala"),
    ("cs", SourceLanguage::CSharp, "csharp"),
    ("php", SourceLanguage::Php, "php"),
    ("swift", SourceLanguage::Swift, "swift"),
];

/// The row of [`EXTENSIONS`] for a path's extension.
fn extension_row(path: &str) -> Option<(SourceLanguage, &'static str)> {
    let (_, extension) = path.rsplit_once('.')?;
    let row = EXTENSIONS.iter().find(|(known, _, _)| known.eq_ignore_ascii_case(extension));
    row.map(|(_, language, highlight)| (*language, *highlight))
}

/// The Markdown code-block language of a source file (`""` for an extension ward does not read).
pub(crate) fn highlight_language(path: &str) -> &'static str {
    extension_row(path).map_or("", |(_, highlight)| highlight)
}

impl SourceLanguage {
    /// The language a path's extension names.
    pub(crate) fn of(path: &str) -> SourceLanguage {
        extension_row(path).map_or(SourceLanguage::Unknown, |(language, _)| language)
    }

    /// How a line comment starts (`None` for a language ward does not know).
    pub(crate) fn line_comment(self) -> Option<&'static str> {
        match self.comments() {
            CommentStyle::Slash | CommentStyle::SlashAndHash => Some("//"),
            CommentStyle::Hash | CommentStyle::Ruby => Some("#"),
            CommentStyle::None => None,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            SourceLanguage::JavaScript => "javascript",
            SourceLanguage::TypeScript => "typescript",
            SourceLanguage::Python => "python",
            SourceLanguage::Go => "go",
            SourceLanguage::Rust => "rust",
            SourceLanguage::Ruby => "ruby",
            SourceLanguage::Java => "java",
            SourceLanguage::Kotlin => "kotlin",
            SourceLanguage::Scala => "scala",
            SourceLanguage::CSharp => "csharp",
            SourceLanguage::Php => "php",
            SourceLanguage::Swift => "swift",
            SourceLanguage::Unknown => "unknown",
        }
    }

    /// How the language writes comments.
    fn comments(self) -> CommentStyle {
        match self {
            SourceLanguage::Python => CommentStyle::Hash,
            SourceLanguage::Ruby => CommentStyle::Ruby,
            SourceLanguage::Php => CommentStyle::SlashAndHash,
            SourceLanguage::Unknown => CommentStyle::None,
            _ => CommentStyle::Slash,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CommentStyle {
    /// `//` and `/* */`.
    Slash,
    /// `#`, with triple-quoted strings.
    Hash,
    /// `#` and `=begin`/`=end`.
    Ruby,
    /// `//`, `/* */` and `#`.
    SlashAndHash,
    None,
}

/// One environment variable read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnvRead {
    pub name: String,
    /// The name as written (with its quotes).
    pub name_span: Span,
    /// The whole read, accessor included.
    pub span: Span,
    /// How it is read: `process.env`, `os.getenv`…
    pub via: &'static str,
    /// The code gives a fallback (`os.getenv("X", "d")`, `process.env.X ?? "d"`,
    /// `ENV.fetch("X") { … }`, `os.LookupEnv`), so the variable may be left unset.
    pub default: bool,
}

/// Parses a source file: its language and the environment variables it reads.
pub(crate) fn parse(path: &str, text: &str, _limits: &Limits) -> Result<Parsed, ParseError> {
    let language = SourceLanguage::of(path);
    let reads = env_reads(text, language);
    let whole = Span::new(0, text.len());
    let mut map = SourceMap::new();
    map.insert("", whole);
    map.insert("/language", whole);
    map.insert("/env_reads", whole);
    let mut values = Vec::with_capacity(reads.len());
    for (index, read) in reads.into_iter().enumerate() {
        let base = format!("/env_reads/{index}");
        map.insert(base.clone(), read.span);
        map.insert(format!("{base}/name"), read.name_span);
        map.insert(format!("{base}/via"), read.span);
        map.insert(format!("{base}/default"), read.span);
        values.push(json!({"name": read.name, "via": read.via, "default": read.default}));
    }
    Ok(Parsed { value: json!({"language": language.name(), "env_reads": Value::Array(values)}), source_map: map })
}

/// The text with every comment replaced by spaces (line breaks kept), so that offsets still
/// match the original. Strings are skipped, so `"http://x"` is not a comment.
pub(crate) fn mask_comments(text: &str, language: SourceLanguage) -> String {
    let style = language.comments();
    if style == CommentStyle::None {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let blank = |from: usize, to: usize, out: &mut Vec<u8>| {
        for byte in out.iter_mut().take(to.min(bytes.len())).skip(from) {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    };
    let slash = matches!(style, CommentStyle::Slash | CommentStyle::SlashAndHash);
    let hash = matches!(style, CommentStyle::Hash | CommentStyle::Ruby | CommentStyle::SlashAndHash);
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let next = bytes.get(at + 1).copied();
        match byte {
            b'/' if slash && next == Some(b'/') => {
                let end = line_end(bytes, at);
                blank(at, end, &mut out);
                at = end;
            }
            b'/' if slash && next == Some(b'*') => {
                let end = text.get(at + 2..).and_then(|rest| rest.find("*/")).map_or(bytes.len(), |n| at + 2 + n + 2);
                blank(at, end, &mut out);
                at = end;
            }
            b'#' if hash && !(style == CommentStyle::SlashAndHash && next == Some(b'[')) => {
                let end = line_end(bytes, at);
                blank(at, end, &mut out);
                at = end;
            }
            b'=' if style == CommentStyle::Ruby
                && text.get(at..).is_some_and(|rest| rest.starts_with("=begin"))
                && (at == 0 || bytes.get(at - 1) == Some(&b'\n')) =>
            {
                let end = text
                    .get(at..)
                    .and_then(|rest| rest.find("\n=end"))
                    .map_or(bytes.len(), |n| line_end(bytes, at + n + 1));
                blank(at, end, &mut out);
                at = end;
            }
            b'"' | b'\'' | b'`' => at = string_end(text, at, language),
            _ => at += 1,
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes.iter().skip(from).position(|&b| b == b'\n').map_or(bytes.len(), |n| from + n)
}

/// Where the string (or character literal) starting at `at` ends.
fn string_end(text: &str, at: usize, language: SourceLanguage) -> usize {
    let bytes = text.as_bytes();
    let quote = bytes.get(at).copied().unwrap_or(b'"');
    // `'` is a lifetime or a char in Rust, and a char in the JVM languages and C#: only a short
    // run is a literal.
    if quote == b'\''
        && matches!(
            language,
            SourceLanguage::Rust
                | SourceLanguage::Java
                | SourceLanguage::Kotlin
                | SourceLanguage::Scala
                | SourceLanguage::CSharp
                | SourceLanguage::Swift
        )
    {
        let close = bytes.iter().skip(at + 1).take(12).position(|&b| b == b'\'' || b == b'\n');
        return match close {
            Some(n) if bytes.get(at + 1 + n) == Some(&b'\'') => at + n + 2,
            _ => at + 1,
        };
    }
    if quote == b'`'
        && !matches!(
            language,
            SourceLanguage::JavaScript | SourceLanguage::TypeScript | SourceLanguage::Go | SourceLanguage::Unknown
        )
    {
        return at + 1;
    }
    let triple =
        language == SourceLanguage::Python && bytes.get(at + 1) == Some(&quote) && bytes.get(at + 2) == Some(&quote);
    let mut i = at + if triple { 3 } else { 1 };
    // Go's raw strings and JavaScript's templates span lines; other strings end at a line break
    // (an unterminated one must not swallow the rest of the file).
    let multiline = triple || quote == b'`';
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if !(language == SourceLanguage::Go && quote == b'`') => i += 2,
            b'\n' if !multiline => return i,
            _ if b == quote => {
                if !triple {
                    return i + 1;
                }
                if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                    return i + 3;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A way of reading a variable: a pattern whose `name` group (one of several alternatives
/// `n1`…`n3`) is the variable's name, and the words that, right after the read, give it a
/// fallback.
struct Reader {
    via: &'static str,
    languages: &'static [SourceLanguage],
    pattern: String,
    /// The read ends in an open argument list: a `,` next means a second, default argument.
    open_call: bool,
    /// The read always copes with an unset variable (`os.LookupEnv`).
    always_default: bool,
}

/// A quoted variable name: `'X'`, `"X"` or (JavaScript) `` `X` ``.
const QUOTED: &str =
    r#"(?:'(?P<n1>[A-Za-z_][A-Za-z0-9_]*)'|"(?P<n2>[A-Za-z_][A-Za-z0-9_]*)"|`(?P<n3>[A-Za-z_][A-Za-z0-9_]*)`)"#;

const JS: &[SourceLanguage] = &[SourceLanguage::JavaScript, SourceLanguage::TypeScript, SourceLanguage::Unknown];
const PYTHON: &[SourceLanguage] = &[SourceLanguage::Python, SourceLanguage::Unknown];
const GO: &[SourceLanguage] = &[SourceLanguage::Go, SourceLanguage::Unknown];
const RUST: &[SourceLanguage] = &[SourceLanguage::Rust, SourceLanguage::Unknown];
const RUBY: &[SourceLanguage] = &[SourceLanguage::Ruby, SourceLanguage::Unknown];
const JVM: &[SourceLanguage] =
    &[SourceLanguage::Java, SourceLanguage::Kotlin, SourceLanguage::Scala, SourceLanguage::Unknown];
const SCALA: &[SourceLanguage] = &[SourceLanguage::Scala, SourceLanguage::Unknown];
const CSHARP: &[SourceLanguage] = &[SourceLanguage::CSharp, SourceLanguage::Unknown];
const PHP: &[SourceLanguage] = &[SourceLanguage::Php, SourceLanguage::Unknown];
const SWIFT: &[SourceLanguage] = &[SourceLanguage::Swift, SourceLanguage::Unknown];

fn readers() -> &'static [(Reader, Regex)] {
    static READERS: OnceLock<Vec<(Reader, Regex)>> = OnceLock::new();
    READERS.get_or_init(|| {
        let q = QUOTED;
        let specs: Vec<Reader> = vec![
            Reader {
                via: "process.env",
                languages: JS,
                pattern: r"\bprocess\.env\.(?P<n1>[A-Za-z_][A-Za-z0-9_]*)\b".to_owned(),
                open_call: false,
                always_default: false,
            },
            Reader {
                via: "process.env",
                languages: JS,
                pattern: format!(r"\bprocess\.env\[\s*{q}\s*\]"),
                open_call: false,
                always_default: false,
            },
            Reader {
                via: "import.meta.env",
                languages: JS,
                pattern: r"\bimport\.meta\.env\.(?P<n1>[A-Za-z_][A-Za-z0-9_]*)\b".to_owned(),
                open_call: false,
                always_default: false,
            },
            Reader {
                via: "os.environ",
                languages: PYTHON,
                pattern: format!(r"\bos\.environ\[\s*{q}\s*\]"),
                open_call: false,
                always_default: false,
            },
            Reader {
                via: "os.environ.get",
                languages: PYTHON,
                pattern: format!(r"\bos\.environ\.get\(\s*{q}\s*"),
                open_call: true,
                always_default: false,
            },
            Reader {
                via: "os.getenv",
                languages: PYTHON,
                pattern: format!(r"\bos\.getenv\(\s*{q}\s*"),
                open_call: true,
                always_default: false,
            },
            Reader {
                via: "os.Getenv",
                languages: GO,
                pattern: format!(r"\bos\.Getenv\(\s*{q}\s*\)"),
                open_call: false,
                always_default: false,
            },
            Reader {
                via: "os.LookupEnv",
                languages: GO,
                pattern: format!(r"\bos\.LookupEnv\(\s*{q}\s*\)"),
                open_call: false,
                always_default: true,
            },
            Reader {
                via: "env::var",
                languages: RUST,
                pattern: format!(r"\benv::var(?:_os)?\(\s*{q}\s*\)"),
                open_call: false,
                always_default: false,
            },
            Reader {
                via: "ENV[]",
                languages: RUBY,
                pattern: format!(r"\bENV\[\s*{q}\s*\]"),
                open_call: false,
                always_default: false,
            },
            Reader {
                via: "ENV.fetch",
                languages: RUBY,
                pattern: format!(r"\bENV\.fetch\(\s*{q}\s*"),
                open_call: true,
                always_default: false,
            },
            Reader {
                via: "System.getenv",
                languages: JVM,
                pattern: format!(r"\bSystem\.getenv\(\s*{q}\s*\)"),
                open_call: false,
                always_default: false,
            },
            Reader {
                via: "sys.env",
                languages: SCALA,
                pattern: format!(r"\bsys\.env(?:\.get|\.getOrElse)?\(\s*{q}\s*"),
                open_call: true,
                always_default: false,
            },
            Reader {
                via: "Environment.GetEnvironmentVariable",
                languages: CSHARP,
                pattern: format!(r"\bEnvironment\.GetEnvironmentVariable\(\s*{q}\s*\)"),
                open_call: false,
                always_default: false,
            },
            Reader {
                via: "getenv",
                languages: PHP,
                pattern: format!(r"(?:^|[^A-Za-z0-9_>:$])getenv\(\s*{q}\s*"),
                open_call: true,
                always_default: false,
            },
            Reader {
                via: "$_ENV",
                languages: PHP,
                pattern: format!(r"\$_ENV\[\s*{q}\s*\]"),
                open_call: false,
                always_default: false,
            },
            Reader {
                via: "ProcessInfo.environment",
                languages: SWIFT,
                pattern: format!(r"\bProcessInfo\.processInfo\.environment\[\s*{q}\s*\]"),
                open_call: false,
                always_default: false,
            },
        ];
        specs.into_iter().filter_map(|reader| Regex::new(&reader.pattern).ok().map(|regex| (reader, regex))).collect()
    })
}

/// Every environment variable `text` reads, in source order.
pub(crate) fn env_reads(text: &str, language: SourceLanguage) -> Vec<EnvRead> {
    let masked = mask_comments(text, language);
    let mut reads = Vec::new();
    for (reader, regex) in readers().iter().filter(|(reader, _)| reader.languages.contains(&language)) {
        for captures in regex.captures_iter(&masked) {
            let (Some(whole), Some(name)) = (captures.get(0), ["n1", "n2", "n3"].iter().find_map(|n| captures.name(n)))
            else {
                continue;
            };
            // A name in quotes is located with its quotes.
            let quoted =
                masked.as_bytes().get(name.start().wrapping_sub(1)).is_some_and(|b| matches!(b, b'\'' | b'"' | b'`'));
            let name_span = match quoted {
                true => Span::new(name.start() - 1, name.end() + 1),
                false => Span::new(name.start(), name.end()),
            };
            let start = whole
                .as_str()
                .find(|c: char| c.is_ascii_alphabetic() || c == '$')
                .map_or(whole.start(), |n| whole.start() + n);
            let default = reader.always_default || has_fallback(&masked, whole.end(), reader.open_call);
            reads.push(EnvRead {
                name: name.as_str().to_owned(),
                name_span,
                span: Span::new(start, whole.end()),
                via: reader.via,
                default,
            });
        }
    }
    reads.sort_by_key(|read| (read.span.start, read.name_span.start));
    reads.dedup_by_key(|read| read.name_span);
    reads.truncate(MAX_ENV_READS);
    reads
}

/// Whether the code right after a read gives a fallback: a second argument of an open call,
/// `??` / `||` / `?:` (JavaScript, C#, Ruby, Kotlin), `.unwrap_or…` / `.ok()` (Rust), a
/// `{ … }` block after `ENV.fetch(…)`, `.getOrElse`.
fn has_fallback(text: &str, end: usize, open_call: bool) -> bool {
    let rest = text.get(end..).unwrap_or("").trim_start();
    if open_call {
        if rest.starts_with(',') {
            return true;
        }
        let after_call = rest.strip_prefix(')').unwrap_or(rest).trim_start();
        return after_call.starts_with('{') || after_call.starts_with("do") || fallback_operator(after_call);
    }
    fallback_operator(rest)
}

fn fallback_operator(rest: &str) -> bool {
    ["??", "||", "?:", "or ", ".unwrap_or", ".ok()", ".getOrElse", ".orElse", ".unwrap_or_default"]
        .iter()
        .any(|operator| rest.starts_with(operator))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `highlight_language`.
    #[test]
    fn highlight_language_example() {
        use crate::parse::code::highlight_language;
        assert_eq!(highlight_language("web/src/app.tsx"), "typescript");
        assert_eq!(highlight_language("notes.txt"), "");
    }

    /// The example from the documentation of `of`.
    #[test]
    fn source_language_of_example() {
        use crate::parse::code::SourceLanguage;
        assert_eq!(SourceLanguage::of("web/src/app.tsx"), SourceLanguage::TypeScript);
        assert_eq!(SourceLanguage::of("worker.py"), SourceLanguage::Python);
    }

    /// The example from the documentation of `parse`.
    #[test]
    fn parse_example() {
        use crate::parse::{code, Limits};
        let text =
            "const url = process.env.DATABASE_URL;\n// process.env.OLD\nconst port = process.env['PORT'] ?? 8080;\n";
        let parsed = code::parse("src/db.ts", text, &Limits::default()).unwrap();
        assert_eq!(parsed.value["env_reads"][0]["name"], "DATABASE_URL");
        assert_eq!(parsed.value["env_reads"][1]["name"], "PORT");
        assert_eq!(parsed.value["env_reads"][1]["default"], true);
        assert_eq!(parsed.value["env_reads"].as_array().unwrap().len(), 2);
    }

    /// The example from the documentation of `mask_comments`.
    #[test]
    fn mask_comments_example() {
        use crate::parse::code::{mask_comments, SourceLanguage};
        assert_eq!(mask_comments("a = 'http://x' // b\n# c", SourceLanguage::JavaScript), "a = 'http://x'     \n# c");
        assert_eq!(mask_comments("x = 1  # flag-a\ny = '#'", SourceLanguage::Python), "x = 1          \ny = '#'");
    }

    /// The example from the documentation of `env_reads`.
    #[test]
    fn env_reads_example() {
        use crate::parse::code::{env_reads, SourceLanguage};
        let reads = env_reads("x = os.getenv('A', 'd')\ny = os.environ[\"B\"]\n", SourceLanguage::Python);
        let names: Vec<(&str, bool)> = reads.iter().map(|r| (r.name.as_str(), r.default)).collect();
        assert_eq!(names, [("A", true), ("B", false)]);
    }
}
