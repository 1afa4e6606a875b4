//! Assignments read the way each file format defines them, for the generic credential rule: the
//! key and the value of `KEY=value` in dotenv, `ENV KEY value` in a Dockerfile, `key: value` in
//! YAML, `"key": "value"` in JSON, `key = "value"` in TOML and HCL, `key=value` in INI and Java
//! properties, `<key>value</key>` and `key="value"` in XML, `export KEY=value` in shell — each
//! with its own quoting, escapes and comments (in dotenv `#` starts a comment only after
//! whitespace; in properties a line may go on after a `\`). A value is decoded (escapes,
//! entities) before it is judged, and keeps the span of its raw text, so a finding points at the
//! value's line and column.
//!
//! The scanner calls [`read_line`] only on lines where a keyword of the rule occurs: reading is
//! per line (with a bounded look at the lines around it for continuations and name/value pairs),
//! never a parse of the whole file.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

use aho_corasick::{packed, AhoCorasick, MatchKind};
use regex::Regex;

use crate::document::Span;

/// The longest key read, in bytes: a longer "key" is not a name but a string of text.
const MAX_KEY: usize = 200;

/// How many lines a continued value (a properties `\`, a Dockerfile `\`, a YAML block scalar)
/// or a name/value pair may span, at most.
const MAX_LINES: usize = 40;

/// The formats whose assignments are read; anything else is [`Format::Code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Dotenv,
    Shell,
    Dockerfile,
    Yaml,
    Json,
    Toml,
    Ini,
    Properties,
    Xml,
    Hcl,
    /// `.netrc`: whitespace-separated `machine … login … password …` tokens.
    Netrc,
    /// A Jupyter notebook: JSON whose strings are lines of code (and of their output).
    Notebook,
    /// Source code and files of no known format: the rule's regex finds assignments.
    Code,
}

impl Format {
    /// Whether the rule's regex runs too, besides the format's reader: in code, and in the code
    /// a format holds as strings (a notebook's cells).
    pub(crate) fn holds_code(self) -> bool {
        matches!(self, Format::Code | Format::Notebook)
    }
}

/// The format of the file at `path`, from its name.
pub(crate) fn format_of(path: &str) -> Format {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let extension = name.rsplit_once('.').map_or("", |(_, extension)| extension);
    let stem = name.split('.').find(|part| !part.is_empty()).unwrap_or("");
    match () {
        _ if name == ".env" || name.starts_with(".env.") || extension == "env" => Format::Dotenv,
        _ if stem == "dockerfile" || stem == "containerfile" || extension == "dockerfile" => Format::Dockerfile,
        _ if matches!(extension, "yaml" | "yml") => Format::Yaml,
        _ if extension == "ipynb" => Format::Notebook,
        _ if matches!(extension, "json" | "jsonc" | "json5" | "tfstate") => Format::Json,
        _ if matches!(name.as_str(), ".netrc" | "_netrc" | "netrc" | ".authinfo") => Format::Netrc,
        _ if extension == "toml" => Format::Toml,
        _ if matches!(extension, "properties") => Format::Properties,
        _ if matches!(extension, "ini" | "cfg" | "cnf" | "conf" | "pypirc" | "s3cfg" | "gitconfig")
            || matches!(name.as_str(), "credentials" | ".pypirc" | ".my.cnf" | ".s3cfg" | ".gitconfig" | ".npmrc") =>
        {
            Format::Ini
        }
        _ if matches!(
            extension,
            "xml" | "config" | "csproj" | "vbproj" | "props" | "targets" | "xaml" | "plist" | "jmx"
        ) =>
        {
            Format::Xml
        }
        _ if matches!(extension, "tf" | "tfvars" | "hcl" | "nomad") => Format::Hcl,
        _ if matches!(extension, "sh" | "bash" | "zsh" | "ksh" | "envrc")
            || matches!(name.as_str(), ".envrc" | ".bashrc" | ".zshrc" | ".profile" | ".bash_profile") =>
        {
            Format::Shell
        }
        _ => Format::Code,
    }
}

/// One assignment: a key, the value decoded as the format defines it, and where the value's raw
/// text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assignment<'t> {
    pub key: &'t str,
    pub value: Cow<'t, str>,
    pub span: Span,
}

/// A line of a text: its bytes `start..end`, without the line break.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'t> {
    pub text: &'t str,
    pub start: usize,
    pub end: usize,
}

impl<'t> Line<'t> {
    /// The line around byte `at` of `text`.
    pub(crate) fn around(text: &'t str, at: usize) -> Line<'t> {
        let at = at.min(text.len());
        let start = text.get(..at).and_then(|head| head.rfind('\n')).map_or(0, |newline| newline + 1);
        let end = text.get(at..).and_then(|tail| tail.find('\n')).map_or(text.len(), |newline| at + newline);
        let end = if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') { end - 1 } else { end };
        Line { text, start, end }
    }

    pub(crate) fn content(&self) -> &'t str {
        self.text.get(self.start..self.end).unwrap_or("")
    }

    /// The line before this one, if any.
    fn previous(&self) -> Option<Line<'t>> {
        (self.start > 0).then(|| Line::around(self.text, self.start - 1))
    }

    /// The line after this one, if any.
    fn next(&self) -> Option<Line<'t>> {
        let newline = self.end + self.text.get(self.end..)?.find('\n')?;
        Some(Line::around(self.text, newline + 1)).filter(|line| line.start > self.start)
    }

    fn indent(&self) -> usize {
        self.content().len() - self.content().trim_start().len()
    }

    /// A span of the line's content, `from..to` relative to its start.
    fn span(&self, from: usize, to: usize) -> Span {
        Span::new(self.start + from, self.start + to)
    }
}

/// Every assignment on `line`, read as `format` defines it, then by the readers that apply in
/// any file (shell words, command-line flags, connection strings, URLs with a password).
pub(crate) fn read_line<'t>(format: Format, line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
    read_line_keyed(format, line, out, &|_| true);
}

/// [`read_line`], for a caller that uses only the assignments whose key `wanted` accepts: the
/// shell-word reader, which walks every word of a line, does not walk one where no `NAME=` has
/// such a name (a minified file is one long line full of `n=e.x`, and no name in it is a
/// credential's). Other assignments may still be given.
pub(crate) fn read_line_keyed<'t>(
    format: Format,
    line: Line<'t>,
    out: &mut Vec<Assignment<'t>>,
    wanted: &dyn Fn(&str) -> bool,
) {
    let before = out.len();
    let shell_words = |out: &mut Vec<Assignment<'t>>| {
        if any_word_name(line.content(), wanted) {
            read_words(line, out);
        }
    };
    match format {
        Format::Dotenv => read_dotenv(line, out),
        Format::Shell => shell_words(out),
        Format::Dockerfile => read_dockerfile(line, out),
        Format::Yaml => read_yaml(line, out),
        Format::Json | Format::Notebook => read_json(line, out),
        Format::Toml | Format::Hcl => read_equals_quoted(line, out),
        Format::Ini => read_ini(line, out),
        Format::Properties => read_properties(line, out),
        Format::Xml => read_xml(line, out),
        Format::Netrc => read_netrc(line, out),
        Format::Code => {}
    }
    if !matches!(format, Format::Shell | Format::Dotenv | Format::Netrc) && out.len() == before {
        // A line that is no assignment of its format may still hold a shell one: a `run:` step
        // in a workflow, a Dockerfile `RUN`, a command in a README.
        shell_words(out);
    }
    read_commands(line, out);
}

/// Where the same-line or nearby value of a name/value pair is, when `name_key` is the key of a
/// name (`- name: DB_PASSWORD` / `value: …` in Kubernetes and Compose, `{"name": …, "value": …}`
/// in an ECS task definition, `<add key="…" value="…"/>` in .NET configuration): the
/// assignment whose key says it is the value, on the line or within a few lines around it.
pub(crate) fn is_name_key(key: &str) -> bool {
    ["name", "key", "parameterkey", "variable", "env"].iter().any(|name| key.eq_ignore_ascii_case(name))
}

pub(crate) fn is_value_key(key: &str) -> bool {
    ["value", "parametervalue", "defaultvalue"].iter().any(|name| key.eq_ignore_ascii_case(name))
}

/// The value paired with the name assigned on `line` (see [`is_name_key`]): on the same line, or
/// on a nearby line at the same indentation (a YAML mapping, pretty-printed JSON).
pub(crate) fn paired_value<'t>(format: Format, line: Line<'t>, same_line: &[Assignment<'t>]) -> Option<Assignment<'t>> {
    if let Some(value) = same_line.iter().find(|assignment| is_value_key(assignment.key)) {
        return Some(value.clone());
    }
    let indent = match format {
        Format::Yaml => yaml_key_column(line.content()),
        _ => line.indent(),
    };
    let mut around = Vec::new();
    let (mut up, mut down) = (Some(line), Some(line));
    for _ in 0..4 {
        down = down.and_then(|line| line.next());
        up = up.and_then(|line| line.previous());
        for nearby in [down, up].into_iter().flatten() {
            let column = match format {
                Format::Yaml => yaml_key_column(nearby.content()),
                _ => nearby.indent(),
            };
            if column != indent {
                continue;
            }
            around.clear();
            read_line(format, nearby, &mut around);
            if let Some(value) = around.iter().find(|assignment| is_value_key(assignment.key)) {
                return Some(value.clone());
            }
        }
    }
    None
}

// --- dotenv and shell ---------------------------------------------------------------------

/// `KEY=value` in a `.env` file, as docker compose and python-dotenv read it: `export ` may come
/// first; a double-quoted value takes escapes, a single-quoted one is literal; an unquoted value
/// runs to the end of the line or to a `#` after whitespace (`A=b#c` is `b#c`), trailing
/// whitespace trimmed.
fn read_dotenv<'t>(line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
    let content = line.content();
    let mut at = skip_blanks(content, 0);
    if let Some(rest) = content.get(at..).and_then(|rest| rest.strip_prefix("export")) {
        if rest.starts_with([' ', '\t']) {
            at = skip_blanks(content, at + "export".len());
        }
    }
    let Some((key, after_key)) = identifier(content, at) else { return };
    let at = skip_blanks(content, after_key);
    if !content.get(at..).is_some_and(|rest| rest.starts_with('=')) {
        return;
    }
    let at = skip_blanks(content, at + 1);
    let value = match content.as_bytes().get(at) {
        Some(b'"') => quoted(content, at, b'"', Escapes::Backslash),
        Some(b'\'') => quoted(content, at, b'\'', Escapes::None),
        Some(b'`') => quoted(content, at, b'`', Escapes::None),
        _ => {
            let rest = content.get(at..).unwrap_or("");
            let comment = rest
                .char_indices()
                .find(|&(index, c)| c == '#' && rest.get(..index).is_some_and(|head| head.ends_with([' ', '\t'])))
                .map_or(rest.len(), |(index, _)| index);
            let value = rest.get(..comment).unwrap_or("").trim_end();
            Some((Cow::Borrowed(value), at, at + value.len()))
        }
    };
    if let Some((value, from, to)) = value {
        out.push(Assignment { key, value, span: line.span(from, to) });
    }
}

/// Every `NAME=value` word of a shell line, as the shell splits words: `export DB_PASSWORD=…`,
/// `PGPASSWORD=… psql`, `docker run -e API_TOKEN=…`, `helm install --set db.password=…`. An
/// unquoted value ends at whitespace or an operator; a `#` inside a word is part of it.
///
/// Every keyword line of a file that is not shell is read this way too, and a minified file is
/// one long line: the walk is byte by byte over lookup tables, and a word's name is scanned once
/// (its characters never end a word, so the search for its end goes on from there).
fn read_words<'t>(line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
    let content = line.content();
    let bytes = content.as_bytes();
    let mut at = 0;
    while at < content.len() {
        at = skip_blanks(content, at);
        let word_start = at;
        // A word starts after whitespace, an operator, a quote or a bracket.
        let starts_word = word_start == 0 || bytes.get(word_start - 1).is_some_and(|&b| starts_word_after(b));
        // Where the search for the word's end starts: past its name, if it has one.
        let mut name_end = at;
        if let Some((key, after_key)) = starts_word.then(|| dotted_identifier(content, at)).flatten() {
            name_end = after_key;
            if bytes.get(after_key) == Some(&b'=') && bytes.get(after_key + 1) != Some(&b'=') {
                let value_start = after_key + 1;
                let value = match bytes.get(value_start) {
                    Some(b'"') => quoted(content, value_start, b'"', Escapes::Shell),
                    Some(b'\'') => quoted(content, value_start, b'\'', Escapes::None),
                    _ => {
                        let end = find_word_end(content, value_start, ends_value).unwrap_or(content.len());
                        content.get(value_start..end).map(|value| (Cow::Borrowed(value), value_start, end))
                    }
                };
                if let Some((value, from, to)) = value {
                    if !value.is_empty() {
                        out.push(Assignment { key, value, span: line.span(from, to) });
                    }
                    at = to.max(at + 1);
                    continue;
                }
            }
        }
        // On to the next word (a quoted one whole).
        at = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => content
                .get(at + 1..)
                .and_then(|rest| rest.find(char::from(quote)))
                .map_or(content.len(), |end| at + end + 2),
            _ => find_word_end(content, name_end, ends_word).map_or(content.len(), |end| end.max(at + 1)),
        };
    }
}

/// Whether a name `wanted` accepts is the name of some `NAME=value` word of `content`, as
/// [`read_words`] reads names: the name characters right before a `=` that is not `==` (a word
/// starts after a character that is not one of them, so its name is their whole run). A run
/// that does not start as a name does is asked about too: this may say yes where no word is.
fn any_word_name(content: &str, wanted: &dyn Fn(&str) -> bool) -> bool {
    let bytes = content.as_bytes();
    let is_name_byte = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    content.match_indices('=').any(|(at, _)| {
        if bytes.get(at + 1) == Some(&b'=') {
            return false;
        }
        let head = bytes.get(..at).unwrap_or_default();
        let start = head.iter().rposition(|b| !is_name_byte(b)).map_or(0, |before| before + 1);
        start < at && content.get(start..at).is_some_and(wanted)
    })
}

/// Whether a shell word starts after `byte`: whitespace, an operator, a quote or a bracket.
fn starts_word_after(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b';' | b'&' | b'|' | b'(' | b'"' | b'\'' | b'`' | b'[' | b',' | b'{')
}

/// ASCII whitespace as `char::is_whitespace` has it (`\x0B` too).
fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// Whether `byte` ends a shell word: ASCII whitespace, an operator, a quote or an opening
/// bracket.
fn ends_word(byte: u8) -> bool {
    is_ascii_space(byte) || matches!(byte, b';' | b'&' | b'|' | b'(' | b'"' | b'\'' | b'`' | b'[' | b',' | b'{')
}

/// Whether `byte` ends an unquoted value: ASCII whitespace, an operator, a quote, a closing
/// bracket, a redirection.
fn ends_value(byte: u8) -> bool {
    is_ascii_space(byte)
        || matches!(byte, b';' | b'&' | b'|' | b')' | b'"' | b'\'' | b'`' | b',' | b']' | b'}' | b'<' | b'>')
}

/// Where, from `from`, the first character that is whitespace (any Unicode whitespace) or in
/// `ends` (ASCII) is; `None` if there is none, or if `from` is not on a character boundary.
fn find_word_end(text: &str, from: usize, ends: fn(u8) -> bool) -> Option<usize> {
    if !text.is_char_boundary(from) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii() {
            if ends(byte) {
                return Some(at);
            }
            at += 1;
            continue;
        }
        // A multi-byte character: only Unicode whitespace ends a word.
        let c = text.get(at..).and_then(|rest| rest.chars().next())?;
        if c.is_whitespace() {
            return Some(at);
        }
        at += c.len_utf8();
    }
    None
}

/// The `password` (or `passwd`) token of a `.netrc` line and the token after it: netrc is a
/// stream of whitespace-separated `keyword value` tokens (`machine host login me password
/// s3cret`), one entry on one line or over several; a value may be double-quoted.
fn read_netrc<'t>(line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
    let content = line.content();
    let mut words = content.char_indices().filter(|&(at, c)| {
        !c.is_whitespace() && (at == 0 || content.get(..at).is_some_and(|head| head.ends_with(char::is_whitespace)))
    });
    while let Some((at, _)) = words.next() {
        let rest = content.get(at..).unwrap_or("");
        let word = rest.split(char::is_whitespace).next().unwrap_or("");
        if !matches!(word, "password" | "passwd") {
            continue;
        }
        let Some((value_at, _)) = words.next() else { return };
        let value = match content.as_bytes().get(value_at) {
            Some(b'"') => quoted(content, value_at, b'"', Escapes::Backslash),
            _ => {
                let end = content
                    .get(value_at..)
                    .and_then(|rest| rest.find(char::is_whitespace))
                    .map_or(content.len(), |end| value_at + end);
                content.get(value_at..end).map(|value| (Cow::Borrowed(value), value_at, end))
            }
        };
        if let Some((value, from, to)) = value {
            out.push(Assignment { key: "password", value, span: line.span(from, to) });
        }
    }
}

// --- Dockerfile ---------------------------------------------------------------------------

/// `ENV`/`ARG` in both of their forms: `ENV KEY=value KEY2="v 2"` (several pairs, quotes and
/// backslash escapes) and the legacy `ENV KEY the rest of the line` (one pair, the value the rest
/// of the line); on a line that continues an `ENV` after a `\`, its pairs. Other instructions
/// (`RUN`) are read as shell.
fn read_dockerfile<'t>(line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
    let content = line.content();
    let at = skip_blanks(content, 0);
    let word_end = content.get(at..).and_then(|rest| rest.find([' ', '\t'])).map_or(content.len(), |end| at + end);
    let word = content.get(at..word_end).unwrap_or("");
    if word.eq_ignore_ascii_case("env") || word.eq_ignore_ascii_case("arg") {
        let rest_at = skip_blanks(content, word_end);
        let first_token_end =
            content.get(rest_at..).and_then(|rest| rest.find([' ', '\t'])).map_or(content.len(), |end| rest_at + end);
        let first_token = content.get(rest_at..first_token_end).unwrap_or("");
        if first_token.contains('=') || word.eq_ignore_ascii_case("arg") {
            dockerfile_pairs(line, rest_at, out);
        } else if let Some((key, after_key)) = dotted_identifier(content, rest_at) {
            // The space form: the value is the rest of the line, quotes taken off if whole.
            let value_at = skip_blanks(content, after_key);
            let raw = content.get(value_at..).unwrap_or("").trim_end().trim_end_matches('\\').trim_end();
            let end = value_at + raw.len();
            let value = match raw.as_bytes() {
                [b'"', .., b'"'] | [b'\'', .., b'\''] if raw.len() >= 2 => {
                    Some((Cow::Borrowed(raw.get(1..raw.len() - 1).unwrap_or("")), value_at + 1, end - 1))
                }
                _ => Some((Cow::Borrowed(raw), value_at, end)),
            };
            if let (Some((value, from, to)), true) = (value, after_key < value_at) {
                out.push(Assignment { key, value, span: line.span(from, to) });
            }
        }
        return;
    }
    // A continuation line of an `ENV` or `ARG`: its instruction is some lines up.
    let mut up = line;
    for _ in 0..MAX_LINES {
        let Some(previous) = up.previous() else { break };
        if !previous.content().trim_end().ends_with('\\') {
            break;
        }
        let instruction = previous.content().trim_start();
        let starts_env = instruction.len() > 3
            && instruction.get(..3).is_some_and(|word| word.eq_ignore_ascii_case("env"))
            && instruction.as_bytes().get(3).is_some_and(u8::is_ascii_whitespace);
        if starts_env {
            dockerfile_pairs(line, skip_blanks(content, 0), out);
            return;
        }
        up = previous;
    }
}

/// `KEY=value` pairs from `at` on: values quoted (`"` with escapes, `'` literal) or unquoted to
/// the next whitespace (a `\` escapes the next character).
fn dockerfile_pairs<'t>(line: Line<'t>, mut at: usize, out: &mut Vec<Assignment<'t>>) {
    let content = line.content();
    while let Some((key, after_key)) = dotted_identifier(content, at) {
        if content.as_bytes().get(after_key) != Some(&b'=') {
            break;
        }
        let value_at = after_key + 1;
        let value = match content.as_bytes().get(value_at) {
            Some(b'"') => quoted(content, value_at, b'"', Escapes::Backslash),
            Some(b'\'') => quoted(content, value_at, b'\'', Escapes::None),
            _ => {
                let end = content
                    .get(value_at..)
                    .and_then(|rest| rest.find([' ', '\t']))
                    .map_or(content.len(), |end| value_at + end);
                let raw = content.get(value_at..end).unwrap_or("");
                let value =
                    if raw.contains('\\') { Cow::Owned(unescape(raw, Escapes::Backslash)) } else { Cow::Borrowed(raw) };
                Some((value, value_at, end))
            }
        };
        let Some((value, from, to)) = value else { break };
        if !value.is_empty() && value != "\\" {
            out.push(Assignment { key, value, span: line.span(from, to) });
        }
        at = skip_blanks(
            content,
            to + usize::from(content.as_bytes().get(to).is_some_and(|b| *b == b'"' || *b == b'\'')),
        );
    }
}

// --- YAML ---------------------------------------------------------------------------------

/// The column where a YAML line's key starts, past any `- ` sequence indicators.
fn yaml_key_column(content: &str) -> usize {
    let mut at = skip_blanks(content, 0);
    while content.get(at..).is_some_and(|rest| rest.starts_with("- ") || rest == "-") {
        at = skip_blanks(content, at + 1);
    }
    at
}

/// `key: value` on a YAML line (in a sequence item too): a plain value runs to a ` #` comment,
/// a double-quoted one takes escapes, a single-quoted one doubles its quotes; a `|` or `>` block
/// scalar is the more-indented lines after it. A sequence item that is a `KEY=value` string is
/// read as dotenv (a Compose `environment:` list).
fn read_yaml<'t>(line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
    let content = line.content();
    let key_at = yaml_key_column(content);
    let Some(first) = content.as_bytes().get(key_at).copied() else { return };
    let (key, after_key) = match first {
        b'"' | b'\'' => match quoted(content, key_at, first, Escapes::None) {
            Some((Cow::Borrowed(key), _, to)) => (key, to + 1),
            _ => return,
        },
        b'#' | b'{' | b'[' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' => return,
        _ => {
            let Some(colon) = content.get(key_at..).and_then(|rest| {
                rest.match_indices(':')
                    .find(|(index, _)| matches!(rest.as_bytes().get(index + 1), None | Some(b' ' | b'\t')))
                    .map(|(index, _)| index)
            }) else {
                // No key: a sequence item `- KEY=value`.
                if key_at > 0 && content.get(..key_at).is_some_and(|head| head.contains('-')) {
                    let item = Line { text: line.text, start: line.start + key_at, end: line.end };
                    let unquoted = match item.content().as_bytes().first() {
                        Some(b'"' | b'\'') if item.end - item.start >= 2 => {
                            Line { text: line.text, start: item.start + 1, end: item.end - 1 }
                        }
                        _ => item,
                    };
                    read_dotenv(unquoted, out);
                }
                return;
            };
            (content.get(key_at..key_at + colon).unwrap_or("").trim_end(), key_at + colon)
        }
    };
    if !content.get(after_key..).is_some_and(|rest| rest.starts_with(':')) {
        return;
    }
    let mut at = skip_blanks(content, after_key + 1);
    // An anchor or the `!!str` tag before the value; any other tag (`!vault`, `!Ref`) makes it
    // something other than a literal.
    if content.get(at..).is_some_and(|rest| rest.starts_with('&') || rest.starts_with("!!str ")) {
        let skip = content.get(at..).and_then(|rest| rest.find(' ')).map_or(content.len(), |end| at + end);
        at = skip_blanks(content, skip);
    }
    let value = match content.as_bytes().get(at) {
        None | Some(b'#') => None,
        Some(b'"') => quoted(content, at, b'"', Escapes::Backslash),
        Some(b'\'') => quoted(content, at, b'\'', Escapes::Doubled),
        Some(b'|' | b'>') => {
            if let Some((value, span)) = yaml_block(line, content.get(at..).unwrap_or("")) {
                out.push(Assignment { key, value: Cow::Owned(value), span });
            }
            None
        }
        Some(b'!' | b'{' | b'[' | b'*') => None,
        Some(_) => {
            let rest = content.get(at..).unwrap_or("");
            let comment = rest.find(" #").or_else(|| rest.find("\t#")).unwrap_or(rest.len());
            let value = rest.get(..comment).unwrap_or("").trim_end();
            Some((Cow::Borrowed(value), at, at + value.len()))
        }
    };
    if let Some((value, from, to)) = value {
        out.push(Assignment { key, value, span: line.span(from, to) });
    }
}

/// The content of a YAML block scalar whose indicator (`|`, `|-`, `>`) ends `line`: the lines
/// after it indented more than the line, joined as the indicator says.
fn yaml_block(line: Line<'_>, indicator: &str) -> Option<(String, Span)> {
    let folded = indicator.starts_with('>');
    let parent = line.indent();
    let mut lines = Vec::new();
    let mut next = line.next();
    while let Some(current) = next {
        if lines.len() >= MAX_LINES {
            break;
        }
        let text = current.content();
        if !text.trim().is_empty() && current.indent() <= parent {
            break;
        }
        lines.push(current);
        next = current.next();
    }
    while lines.last().is_some_and(|last| last.content().trim().is_empty()) {
        lines.pop();
    }
    let first = lines.first()?;
    let last = lines.last()?;
    let separator = if folded { " " } else { "\n" };
    let value: Vec<&str> = lines.iter().map(|line| line.content().trim()).collect();
    let span = Span::new(first.start + first.indent(), last.end);
    Some((value.join(separator), span))
}

// --- JSON, TOML, HCL ----------------------------------------------------------------------

/// `"key": "value"` pairs on a JSON line, minified or not; values that are not strings are not
/// credentials.
fn read_json<'t>(line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
    static PAIR: OnceLock<Option<Regex>> = OnceLock::new();
    // (`+`, not `{1,200}`: a bounded repetition of a Unicode class compiles into 200 copies of
    // its UTF-8 automaton — milliseconds at every start; `read_pairs` drops longer keys.)
    let pattern = r#""((?:[^"\\]|\\.)+)"\s*:\s*"((?:[^"\\]|\\.)*)""#;
    read_pairs(&PAIR, pattern, line, Escapes::Backslash, out);
}

/// `key = "value"` pairs (TOML, HCL; inline tables and object constructors too): the key bare or
/// quoted, the value a string — `"…"` with escapes or TOML's literal `'…'`. Unquoted values are
/// numbers, booleans or expressions (`var.password`), not literals.
fn read_equals_quoted<'t>(line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
    static PAIR: OnceLock<Option<Regex>> = OnceLock::new();
    let pattern = r#"(?:^|[\s{,(])"?([A-Za-z0-9_.\-]{1,200})"?[ \t]*[=:][ \t]*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')"#;
    read_pairs(&PAIR, pattern, line, Escapes::Backslash, out);
}

fn read_pairs<'t>(
    cell: &OnceLock<Option<Regex>>,
    pattern: &str,
    line: Line<'t>,
    escapes: Escapes,
    out: &mut Vec<Assignment<'t>>,
) {
    let Some(regex) = cell.get_or_init(|| Regex::new(pattern).ok()) else { return };
    let content = line.content();
    for captures in regex.captures_iter(content) {
        let (Some(key), Some(value)) = (captures.get(1), captures.get(2).or_else(|| captures.get(3))) else { continue };
        if key.len() > MAX_KEY {
            continue;
        }
        let raw = value.as_str();
        let decoded = if raw.contains('\\') && captures.get(2).is_some() {
            Cow::Owned(unescape(raw, escapes))
        } else {
            Cow::Borrowed(raw)
        };
        out.push(Assignment { key: key.as_str(), value: decoded, span: line.span(value.start(), value.end()) });
    }
}

// --- INI and Java properties --------------------------------------------------------------

/// `key = value` or `key: value` in an INI file (`my.cnf`, `.pypirc`, AWS `credentials`): the
/// value is the rest of the line, quotes around it taken off.
fn read_ini<'t>(line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
    let content = line.content();
    let at = skip_blanks(content, 0);
    if content.get(at..).is_none_or(|rest| rest.starts_with(['#', ';', '['])) {
        return;
    }
    let Some(separator) = content.get(at..).and_then(|rest| rest.find(['=', ':'])).map(|index| at + index) else {
        return;
    };
    let key = content.get(at..separator).unwrap_or("").trim();
    if key.is_empty() || key.contains(char::is_whitespace) && !key.contains('_') && key.split_whitespace().count() > 3 {
        return;
    }
    let value_at = skip_blanks(content, separator + 1);
    let raw = content.get(value_at..).unwrap_or("").trim_end();
    // `host ansible_host=10.0.0.5 ansible_password=…` (an Ansible inventory): not one key and its
    // value but a host and its `key=value` words, which the shell-word reader reads.
    if key.contains(char::is_whitespace) && raw.contains('=') {
        return;
    }
    let (value, from) = match raw.as_bytes() {
        [b'"', .., b'"'] | [b'\'', .., b'\''] if raw.len() >= 2 => {
            (raw.get(1..raw.len() - 1).unwrap_or(""), value_at + 1)
        }
        _ => (raw, value_at),
    };
    out.push(Assignment { key, value: Cow::Borrowed(value), span: line.span(from, from + value.len()) });
}

/// A Java properties entry: the key ends at the first unescaped `=`, `:` or whitespace; the
/// value runs to the end of the line and on over lines ending in an odd number of `\` (leading
/// whitespace of each continuation dropped); `\t`, `\n`, `\uXXXX` and `\x` are escapes. A line
/// that continues an entry is read from the entry's first line.
fn read_properties<'t>(line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
    let mut first = line;
    for _ in 0..MAX_LINES {
        match first.previous() {
            Some(previous) if ends_with_odd_backslashes(previous.content()) => first = previous,
            _ => break,
        }
    }
    let content = first.content();
    let at = skip_blanks(content, 0);
    if content.get(at..).is_none_or(|rest| rest.is_empty() || rest.starts_with(['#', '!'])) {
        return;
    }
    let bytes = content.as_bytes();
    let mut end = at;
    while let Some(&byte) = bytes.get(end) {
        match byte {
            b'\\' => end += 2,
            b'=' | b':' | b' ' | b'\t' => break,
            _ => end += 1,
        }
    }
    let end = end.min(content.len());
    let key = content.get(at..end).unwrap_or("");
    let mut value_at = skip_blanks(content, end);
    if bytes.get(value_at).is_some_and(|b| *b == b'=' || *b == b':') {
        value_at = skip_blanks(content, value_at + 1);
    }
    // The value, over its continuation lines.
    let mut raw = String::new();
    let mut current = first;
    let mut from = value_at;
    let mut last_end = first.start + value_at;
    for _ in 0..MAX_LINES {
        let text = current.content().get(from..).unwrap_or("");
        let continues = ends_with_odd_backslashes(text);
        raw.push_str(if continues { text.get(..text.len() - 1).unwrap_or("") } else { text });
        last_end = current.end - usize::from(continues);
        if !continues {
            break;
        }
        let Some(next) = current.next() else { break };
        current = next;
        from = skip_blanks(current.content(), 0);
    }
    let value = unescape(&raw, Escapes::Properties);
    out.push(Assignment {
        key,
        value: Cow::Owned(value),
        span: Span::new(first.start + value_at, last_end.max(first.start + value_at)),
    });
}

fn ends_with_odd_backslashes(text: &str) -> bool {
    text.bytes().rev().take_while(|b| *b == b'\\').count() % 2 == 1
}

// --- XML ----------------------------------------------------------------------------------

/// XML on one line: elements `<password>value</password>`, attributes `password="value"`, and
/// the name/value forms `<add key="DbPassword" value="…"/>`, `<property name="password"
/// value="…"/>` and `<entry key="password">value</entry>` (the name attribute's value is then
/// the key). Entities are decoded.
fn read_xml<'t>(line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
    static ELEMENT: OnceLock<Option<Regex>> = OnceLock::new();
    static ATTRIBUTE: OnceLock<Option<Regex>> = OnceLock::new();
    let content = line.content();
    if let Some(element) = ELEMENT
        .get_or_init(|| Regex::new(r"<([A-Za-z_][\w.\-:]*)((?:\s[^<>]*?)?)>([^<]+)</([A-Za-z_][\w.\-:]*)\s*>").ok())
    {
        for captures in element.captures_iter(content) {
            let (Some(open), Some(text), Some(close)) = (captures.get(1), captures.get(3), captures.get(4)) else {
                continue;
            };
            if open.as_str() != close.as_str() {
                continue;
            }
            let attributes = captures.get(2).map_or("", |attributes| attributes.as_str());
            let key = attribute(attributes, "key").or_else(|| attribute(attributes, "name")).unwrap_or(open.as_str());
            let (value, from, to) = trimmed(text.as_str(), text.start());
            out.push(Assignment { key, value: entities(value), span: line.span(from, to) });
        }
    }
    let Some(attribute_regex) =
        ATTRIBUTE.get_or_init(|| Regex::new(r#"(?:^|\s)([A-Za-z_][\w.\-:]*)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).ok())
    else {
        return;
    };
    let mut attributes: Vec<Assignment<'t>> = Vec::new();
    for captures in attribute_regex.captures_iter(content) {
        let (Some(name), Some(value)) = (captures.get(1), captures.get(2).or_else(|| captures.get(3))) else {
            continue;
        };
        attributes.push(Assignment {
            key: name.as_str(),
            value: entities(value.as_str()),
            span: line.span(value.start(), value.end()),
        });
    }
    out.extend(attributes);
}

/// The value of attribute `name` in `attributes` (`key="…"`).
fn attribute<'t>(attributes: &'t str, name: &str) -> Option<&'t str> {
    let at = attributes.find(&format!("{name}=\""))?;
    let rest = attributes.get(at + name.len() + 2..)?;
    rest.get(..rest.find('"')?)
}

/// `text` (at `offset`) without surrounding whitespace, and where that is.
fn trimmed(text: &str, offset: usize) -> (&str, usize, usize) {
    let start = text.len() - text.trim_start().len();
    let value = text.trim();
    (value, offset + start, offset + start + value.len())
}

/// XML's predefined and numeric character entities decoded.
fn entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at..).unwrap_or("");
        let end = after.find(';').filter(|end| *end <= 10);
        let entity = end.and_then(|end| after.get(1..end)).unwrap_or("");
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|decimal| decimal.parse().ok()))
                .and_then(char::from_u32),
        };
        match (decoded, end) {
            (Some(c), Some(end)) => {
                out.push(c);
                rest = after.get(end + 1..).unwrap_or("");
            }
            _ => {
                out.push('&');
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

// --- command lines, connection strings, URLs ------------------------------------------------

/// Credentials given on a command line or in a connection string, in a file of any format:
/// long flags (`--password=…`, `--api-token …`), the password options of tools that take one
/// attached or after a short flag (`mysql -p…`, `docker login -p …`, `sshpass -p …`,
/// `redis-cli -a …`, `curl -u user:…`), `Password=…;` in ADO.NET and ODBC connection strings,
/// `password=` in JDBC URL parameters, and the password of any `scheme://user:password@host` URL.
fn read_commands<'t>(line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
    let content = line.content();
    let words = gate_words(content);
    for reader in &COMMAND_READERS {
        if !(reader.gate)(content, words) {
            continue;
        }
        let Some(regex) = reader.regex.get_or_init(|| Regex::new(reader.pattern).ok()) else { continue };
        for captures in regex.captures_iter(content) {
            let (key, values) = match reader.key {
                Some(key) => (key, 1),
                None => (captures.get(1).map_or("", |key| key.as_str()), 2),
            };
            let Some(value) = captures.iter().skip(values).flatten().next() else { continue };
            out.push(Assignment {
                key,
                value: Cow::Borrowed(value.as_str()),
                span: line.span(value.start(), value.end()),
            });
        }
    }
}

/// A pattern that finds a credential on a command line or in a connection string, compiled at
/// its first use (a pre-commit run rarely meets them all).
struct CommandReader {
    /// The key its value is given; `None`: the pattern's first group is the key.
    key: Option<&'static str>,
    pattern: &'static str,
    /// A cheap test a line (and the [`gate_words`] in it) must pass for the pattern to run at
    /// all: what the pattern cannot match without.
    gate: fn(&str, u16) -> bool,
    regex: OnceLock<Option<Regex>>,
}

const fn reader(key: Option<&'static str>, pattern: &'static str, gate: fn(&str, u16) -> bool) -> CommandReader {
    CommandReader { key, pattern, gate, regex: OnceLock::new() }
}

static COMMAND_READERS: [CommandReader; 10] = [
    // A long flag and its value, after `=` or a space.
    reader(
        None,
        r#"(?:^|[ \t"'\[,(])--?([A-Za-z][A-Za-z0-9_\-]{1,60})(?:=|[ \t]+)(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^ \t"'\]),;|&<>]+))"#,
        |line, _| may_hold_flag(line),
    ),
    // mysql, mariadb and their tools: the password attached to `-p` (a space after `-p` makes
    // it prompt, and the next word is the database).
    reader(
        Some("password"),
        r#"(?-u:\b)(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mariadb|mariadb-dump)(?-u:\b)[^|;&\n]*?[ \t]-p(?:"([^"]+)"|'([^']+)'|([^ \t"'-][^ \t"']*))"#,
        |_, words| words & (MYSQL | MARIADB) != 0,
    ),
    reader(
        Some("password"),
        r#"(?-u:\b)docker[ \t]+login(?-u:\b)[^|;&\n]*?[ \t]-p[ \t]*(?:"([^"]+)"|'([^']+)'|([^ \t"'-][^ \t"']*))"#,
        |_, words| words & LOGIN != 0,
    ),
    reader(
        Some("password"),
        r#"(?-u:\b)sshpass[ \t]+-p[ \t]*(?:"([^"]+)"|'([^']+)'|([^ \t"'-][^ \t"']*))"#,
        |_, words| words & SSHPASS != 0,
    ),
    reader(
        Some("password"),
        r#"(?-u:\b)redis-cli(?-u:\b)[^|;&\n]*?[ \t]-a[ \t]+(?:"([^"]+)"|'([^']+)'|([^ \t"'-][^ \t"']*))"#,
        |_, words| words & REDIS_CLI != 0,
    ),
    reader(
        Some("password"),
        r#"(?-u:\b)curl(?-u:\b)[^|;&\n]*?[ \t](?:-u|--user)[ \t]*["']?[^ \t:"'@]+:([^ \t"'@]+)["']?(?:[ \t]|$)"#,
        |_, words| words & CURL != 0,
    ),
    // `Password=…;` in a connection string, `password=…` in a URL's parameters.
    reader(
        None,
        r#"(?i)(?:^|[;?&"'])[ \t]*(password|pwd|user password|passwd)[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)'|([^;&"' \t][^;&"'\r\n]*?))[ \t]*(?:$|[;&"'])"#,
        |line, words| words & (PASS | PWD) != 0 && line.contains('='),
    ),
    // PHP's `define('DB_PASSWORD', '…')` (wp-config.php): the constant's name and its value.
    reader(
        None,
        r#"(?i)(?-u:\b)define[ \t]*\([ \t]*["']([A-Za-z0-9_.\-]{1,100})["'][ \t]*,[ \t]*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"#,
        |_, words| words & DEFINE != 0,
    ),
    // SQL: `CREATE USER … WITH PASSWORD '…'`, `CREATE LOGIN … WITH PASSWORD = '…'`, MySQL's
    // `IDENTIFIED BY '…'` (a migration or an init script).
    reader(
        Some("password"),
        r#"(?i)(?:^|[ \t(,])(?:password|identified[ \t]+by)(?:[ \t]+|[ \t]*=[ \t]*)'((?:[^'\r\n]|'')+)'"#,
        |line, words| words & (PASSWORD | IDENTIFIED) != 0 && line.contains('\''),
    ),
    // The password of a URL.
    reader(Some("password"), r#"(?-u:\b)[A-Za-z][A-Za-z0-9+.\-]*://[^ \t:@/"'<>]+:([^ \t@/"'<>]+)@"#, |line, words| {
        words & SCHEME != 0 && line.contains('@')
    }),
];

/// The words the readers' gates ask about, each a bit of what [`gate_words`] gives. They are
/// looked for ignoring ASCII case (where a pattern is case-sensitive, its gate is then only
/// more often open).
const GATE_WORDS: [&str; 12] = [
    "mysql",
    "mariadb",
    "login",
    "sshpass",
    "redis-cli",
    "curl",
    "pass",
    "pwd",
    "define",
    "password",
    "identified",
    "://",
];
const MYSQL: u16 = 1;
const MARIADB: u16 = 1 << 1;
const LOGIN: u16 = 1 << 2;
const SSHPASS: u16 = 1 << 3;
const REDIS_CLI: u16 = 1 << 4;
const CURL: u16 = 1 << 5;
const PASS: u16 = 1 << 6;
const PWD: u16 = 1 << 7;
const DEFINE: u16 = 1 << 8;
const PASSWORD: u16 = 1 << 9;
const IDENTIFIED: u16 = 1 << 10;
const SCHEME: u16 = 1 << 11;

/// Which of the [`GATE_WORDS`] `line` holds, as bits: one pass over it for every reader's gate
/// (a minified file's one line would otherwise be searched once for each word).
///
/// Teddy runs over a lower-cased copy of the line (an automaton ignoring case stepped through
/// every byte of it: 480 M instructions over the typical corpus' minified files). It finds the
/// longest word at each start, again from the next byte on, and a word found counts for the
/// words it starts with (`password` for `pass`). Without SIMD, an automaton does the same.
fn gate_words(line: &str) -> u16 {
    static TEDDY: OnceLock<Option<packed::Searcher>> = OnceLock::new();
    static AUTOMATON: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    thread_local! {
        /// The lower-cased line, one buffer per thread.
        static LOWERCASE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    let teddy = TEDDY.get_or_init(|| {
        packed::Config::new().match_kind(packed::MatchKind::LeftmostLongest).builder().extend(GATE_WORDS).build()
    });
    let mut words = 0;
    let mut found_word = |index: usize| {
        let word = GATE_WORDS.get(index).copied().unwrap_or("");
        for (bit, prefix) in GATE_WORDS.iter().enumerate() {
            if word.starts_with(prefix) {
                words |= 1u16.checked_shl(u32::try_from(bit).unwrap_or(u32::MAX)).unwrap_or(0);
            }
        }
    };
    if let Some(teddy) = teddy {
        LOWERCASE.with_borrow_mut(|lower| {
            lower.clear();
            lower.extend_from_slice(line.as_bytes());
            lower.make_ascii_lowercase();
            let lower = lower.as_slice();
            let mut at = 0;
            while let Some(found) = teddy.find_in(lower, aho_corasick::Span::from(at..lower.len())) {
                found_word(found.pattern().as_usize());
                at = found.start() + 1;
            }
        });
        return words;
    }
    let automaton = AUTOMATON.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(GATE_WORDS)
            .ok()
    });
    let Some(automaton) = automaton else { return u16::MAX };
    let mut at = 0;
    while let Some(found) = automaton.find(aho_corasick::Input::new(line).span(at..line.len())) {
        found_word(found.pattern().as_usize());
        at = found.start() + 1;
    }
    words
}

/// Whether `line` may hold a long flag as the first command reader's pattern has it: a `-` at
/// the start or after a blank, a quote, `[`, `,` or `(`, then a letter or `-` and a letter. A
/// minified file is one long line with many a `-` in it, and this costs far less than the
/// pattern's run over it.
fn may_hold_flag(line: &str) -> bool {
    let bytes = line.as_bytes();
    line.match_indices('-').any(|(at, _)| {
        let after_start = at == 0 || bytes.get(at - 1).is_some_and(|b| b" \t\"'[,(".contains(b));
        let letter = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_alphabetic);
        after_start && (letter(at + 1) || (bytes.get(at + 1) == Some(&b'-') && letter(at + 2)))
    })
}

// --- shared lexing --------------------------------------------------------------------------

fn skip_blanks(text: &str, at: usize) -> usize {
    let blanks = text.as_bytes().get(at..).unwrap_or_default().iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    at + blanks
}

/// An environment-variable name at `at`: `[A-Za-z_][A-Za-z0-9_]*` (and `.`/`-`, which dotenv
/// parsers accept).
fn identifier(text: &str, at: usize) -> Option<(&str, usize)> {
    let rest = text.get(at..)?;
    let bytes = rest.as_bytes();
    if !bytes.first().is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_') {
        return None;
    }
    // Its characters are all ASCII: the first byte that is none of them starts a character.
    let length = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')))
        .unwrap_or(bytes.len());
    Some((rest.get(..length)?, at + length))
}

/// A name that may hold dots (`db.password` for `helm --set`).
fn dotted_identifier(text: &str, at: usize) -> Option<(&str, usize)> {
    identifier(text, at)
}

/// Which escapes a quoted string takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Escapes {
    None,
    /// `\n`, `\t`, `\"`, `\\`, `\uXXXX` (JSON, YAML, TOML, HCL, dotenv double quotes).
    Backslash,
    /// In shell double quotes a `\` escapes only `$`, `` ` ``, `"`, `\` and a newline.
    Shell,
    /// YAML single quotes: `''` is one quote.
    Doubled,
    /// Java properties: as [`Escapes::Backslash`], and any other escaped character is itself.
    Properties,
}

/// The string quoted by `quote` at `at`: its decoded value and the span of its raw content
/// (between the quotes). `None` when it does not close on the line.
fn quoted(text: &str, at: usize, quote: u8, escapes: Escapes) -> Option<(Cow<'_, str>, usize, usize)> {
    let bytes = text.as_bytes();
    let start = at + 1;
    let mut end = start;
    let mut escaped = false;
    loop {
        let &byte = bytes.get(end)?;
        match byte {
            b'\\' if matches!(escapes, Escapes::Backslash | Escapes::Shell | Escapes::Properties) => {
                end += 2;
                escaped = true;
                continue;
            }
            _ if byte == quote => {
                if escapes == Escapes::Doubled && bytes.get(end + 1) == Some(&quote) {
                    end += 2;
                    escaped = true;
                    continue;
                }
                break;
            }
            _ => end += 1,
        }
    }
    let raw = text.get(start..end)?;
    let value = match (escaped, escapes) {
        (false, _) | (_, Escapes::None) => Cow::Borrowed(raw),
        (true, Escapes::Doubled) => Cow::Owned(raw.replace("''", "'")),
        (true, escapes) => Cow::Owned(unescape(raw, escapes)),
    };
    Some((value, start, end))
}

/// `text` with its backslash escapes decoded as `escapes` defines them.
fn unescape(text: &str, escapes: Escapes) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(next) = chars.next() else {
            out.push('\\');
            break;
        };
        match (escapes, next) {
            (Escapes::Shell, '$' | '`' | '"' | '\\' | '\n') => out.push(next),
            (Escapes::Shell, other) => {
                out.push('\\');
                out.push(other);
            }
            (_, 'n') => out.push('\n'),
            (_, 't') => out.push('\t'),
            (_, 'r') => out.push('\r'),
            (_, 'u') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).filter(|_| hex.len() == 4) {
                    Some(decoded) => {
                        out.push(decoded);
                        for _ in 0..4 {
                            chars.next();
                        }
                    }
                    None => {
                        out.push('\\');
                        out.push('u');
                    }
                }
            }
            (_, other) => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// `(key, value, raw text of the span)` of every assignment on the first line of `text`.
    fn read(format: Format, text: &str) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        read_line(format, Line::around(text, 0), &mut out);
        out.into_iter()
            .map(|a| (a.key.to_owned(), a.value.into_owned(), text[a.span.start..a.span.end].to_owned()))
            .collect()
    }

    fn first(format: Format, text: &str) -> (String, String) {
        let all = read(format, text);
        let (key, value, _) = all.into_iter().next().unwrap_or_default();
        (key, value)
    }

    #[test]
    fn each_format_reads_its_own_quoting_and_comments() {
        let cases: &[(Format, &str, (&str, &str))] = &[
            (Format::Dotenv, "DB_PASSWORD=Tq#h6!Za # note", ("DB_PASSWORD", "Tq#h6!Za")),
            (Format::Dotenv, "export API_TOKEN=\"a\\\"b c\"", ("API_TOKEN", "a\"b c")),
            (Format::Dotenv, "SECRET='x#y'", ("SECRET", "x#y")),
            (Format::Dockerfile, "ENV MYSQL_ROOT_PASSWORD mb#Vr!Q9 q", ("MYSQL_ROOT_PASSWORD", "mb#Vr!Q9 q")),
            (Format::Dockerfile, "ENV A=b TOKEN=\"c d\"", ("A", "b")),
            (Format::Yaml, "  - password: 'it''s' # c", ("password", "it's")),
            (Format::Yaml, "secret: \"a\\tb\"", ("secret", "a\tb")),
            (Format::Yaml, "  - DB_PASSWORD=abc def", ("DB_PASSWORD", "abc def")),
            (Format::Json, "{\"a\":1,\"api_key\":\"x\\u0041y\"}", ("api_key", "xAy")),
            (Format::Toml, "db = { password = 'lit\\eral' }", ("password", "lit\\eral")),
            (Format::Hcl, "  admin_password = \"p\\\"w\"", ("admin_password", "p\"w")),
            (Format::Ini, "password = \"quoted value\"", ("password", "quoted value")),
            (Format::Properties, "spring.datasource.password: s\\u0041f e", ("spring.datasource.password", "sAf e")),
            (Format::Xml, "<password>a&amp;b</password>", ("password", "a&b")),
            (Format::Xml, "<add key=\"DbPassword\" value=\"v\"/>", ("key", "DbPassword")),
            (Format::Xml, "<entry key=\"token\">abc</entry>", ("token", "abc")),
            (Format::Netrc, "machine h login me password \"a b\"", ("password", "a b")),
            (Format::Netrc, "  passwd s3#cr3t", ("password", "s3#cr3t")),
            (Format::Ini, "db1 ansible_host=10.0.0.5 ansible_password=S3cr3t", ("ansible_host", "10.0.0.5")),
        ];
        for (format, text, (key, value)) in cases {
            assert_eq!(first(*format, text), ((*key).to_owned(), (*value).to_owned()), "{format:?} {text:?}");
        }
    }

    #[test]
    fn command_lines_and_connection_strings_give_their_passwords() {
        let cases: &[(&str, &str, &str)] = &[
            ("mysql -uroot -pS3cr3tPw db", "password", "S3cr3tPw"),
            ("docker login -u me -p S3cr3tPw registry", "password", "S3cr3tPw"),
            ("sshpass -p 'S3 cr3t' ssh host", "password", "S3 cr3t"),
            ("app --api-token=S3cr3tPw --verbose", "api-token", "S3cr3tPw"),
            ("Server=db;User Id=sa;Password=S3cr3t Pw;", "Password", "S3cr3t Pw"),
            ("jdbc:postgresql://db/app?user=a&password=S3cr3tPw", "password", "S3cr3tPw"),
            ("git clone https://bot:S3cr3tPw@git.example.org/x", "password", "S3cr3tPw"),
            ("define( 'DB_PASSWORD', 'S3cr3tPw' );", "DB_PASSWORD", "S3cr3tPw"),
            ("CREATE ROLE app LOGIN PASSWORD 'S3cr3tPw';", "password", "S3cr3tPw"),
            ("CREATE LOGIN app WITH PASSWORD='S3cr3tPw', CHECK_POLICY=ON", "password", "S3cr3tPw"),
            ("CREATE USER 'app'@'%' IDENTIFIED BY 'S3cr3tPw';", "password", "S3cr3tPw"),
        ];
        for (text, key, value) in cases {
            let all = read(Format::Code, text);
            assert!(all.iter().any(|(k, v, raw)| k == key && v == value && raw.contains(value)), "{text}: {all:?}");
        }
    }

    #[test]
    fn continued_values_are_read_whole() {
        let text = "a.password=first\\\n    second\nb=c\n";
        let mut out = Vec::new();
        read_line(Format::Properties, Line::around(text, 20), &mut out);
        assert_eq!(out[0].value, "firstsecond");
        let text = "FROM x\nENV A=b \\\n    API_SECRET=Zq9 \\\n    C=d\n";
        let mut out = Vec::new();
        read_line(Format::Dockerfile, Line::around(text, 20), &mut out);
        assert_eq!((out[0].key, out[0].value.as_ref()), ("API_SECRET", "Zq9"));
        let text = "key: |\n  line one\n  line two\nnext: x\n";
        let mut out = Vec::new();
        read_line(Format::Yaml, Line::around(text, 0), &mut out);
        assert_eq!(out[0].value, "line one\nline two");
    }

    #[test]
    fn formats_come_from_file_names() {
        let cases = [
            (".env", Format::Dotenv),
            ("deploy/.env.production", Format::Dotenv),
            ("prod.env", Format::Dotenv),
            ("services/api/Dockerfile", Format::Dockerfile),
            ("Dockerfile.prod", Format::Dockerfile),
            ("k8s/secret.yaml", Format::Yaml),
            ("appsettings.json", Format::Json),
            ("pyproject.toml", Format::Toml),
            ("my.cnf", Format::Ini),
            ("src/main/resources/application.properties", Format::Properties),
            ("web.config", Format::Xml),
            ("main.tf", Format::Hcl),
            ("deploy.sh", Format::Shell),
            ("home/.netrc", Format::Netrc),
            ("_netrc", Format::Netrc),
            ("notebooks/explore.ipynb", Format::Notebook),
            ("terraform.tfstate", Format::Json),
            ("app.py", Format::Code),
        ];
        for (path, format) in cases {
            assert_eq!(format_of(path), format, "{path}");
        }
    }

    /// The shell-word reader as first written, one `char` at a time: the model the byte walk of
    /// [`read_words`] must read exactly as.
    fn read_words_by_chars<'t>(line: Line<'t>, out: &mut Vec<Assignment<'t>>) {
        let content = line.content();
        let bytes = content.as_bytes();
        let mut at = 0;
        while at < content.len() {
            let rest = content.get(at..).unwrap_or("");
            at += rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let starts_word = at == 0 || bytes.get(at - 1).is_some_and(|b| b" \t;&|(\"'`[,{".contains(b));
            if let (true, Some((key, after_key))) = (starts_word, identifier(content, at)) {
                if bytes.get(after_key) == Some(&b'=') && bytes.get(after_key + 1) != Some(&b'=') {
                    let value_start = after_key + 1;
                    let value = match bytes.get(value_start) {
                        Some(b'"') => quoted(content, value_start, b'"', Escapes::Shell),
                        Some(b'\'') => quoted(content, value_start, b'\'', Escapes::None),
                        _ => {
                            let end = content
                                .get(value_start..)
                                .and_then(|rest| rest.find(|c: char| c.is_whitespace() || ";&|)\"'`,]}<>".contains(c)))
                                .map_or(content.len(), |end| value_start + end);
                            content.get(value_start..end).map(|value| (Cow::Borrowed(value), value_start, end))
                        }
                    };
                    if let Some((value, from, to)) = value {
                        if !value.is_empty() {
                            out.push(Assignment { key, value, span: line.span(from, to) });
                        }
                        at = to.max(at + 1);
                        continue;
                    }
                }
            }
            at = match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => content
                    .get(at + 1..)
                    .and_then(|rest| rest.find(char::from(quote)))
                    .map_or(content.len(), |end| at + end + 2),
                _ => content
                    .get(at..)
                    .and_then(|rest| rest.find(|c: char| c.is_whitespace() || ";&|(\"'`[,{".contains(c)))
                    .map_or(content.len(), |end| at + end.max(1)),
            };
        }
    }

    /// The byte walk of the shell-word reader reads every line as the `char` walk did: quotes,
    /// operators, brackets, Unicode whitespace (which ends a word too), multi-byte characters
    /// next to every delimiter, and each line's every prefix.
    #[test]
    fn shell_words_are_read_as_the_shell_splits_them() {
        let lines = [
            "export DB_PASSWORD=S3cr3t! && PGPASSWORD='a b' psql -c \"A=1\"",
            "docker run -e API_TOKEN=\"x\\\"y\" --set db.password=p@ss,other=1 img",
            "var n=e.token||t.secretKey;return fetch(\"/api/\"+n,{headers:{Authorization:\"Bearer \"+n}})",
            "a==b c=d;e=(f) [g=h] {i=j} k=l<m n=o>p q=`r` s='unclosed t=u",
            "é=1 ü_key=zé tok\u{a0}en=v\u{a0}w x=y\u{3000}z \u{a0}pass=1 \u{2028}k=v",
            "\"q\"A=1 'q'B=2 C=\"D=3\"E=4 F='G=5'H=6 -I=7 .J=8 _K=9",
            "\x0bL=1\x0cM=2\rN=3 O=\x0bP",
            "",
            "=== =x= a= =b",
        ];
        for line in lines {
            for end in (0..=line.len()).filter(|&end| line.is_char_boundary(end)) {
                let text = &line[..end];
                let (mut bytes, mut chars) = (Vec::new(), Vec::new());
                read_words(Line { text, start: 0, end: text.len() }, &mut bytes);
                read_words_by_chars(Line { text, start: 0, end: text.len() }, &mut chars);
                assert_eq!(bytes, chars, "{text:?}");
            }
        }
        let mut out = Vec::new();
        let text = lines[0];
        read_words(Line { text, start: 0, end: text.len() }, &mut out);
        let read: Vec<(&str, &str)> = out.iter().map(|a| (a.key, a.value.as_ref())).collect();
        assert_eq!(read, [("DB_PASSWORD", "S3cr3t!"), ("PGPASSWORD", "a b")]);
    }

    /// The words the readers' gates ask about are found in any case, overlapping ones too.
    #[test]
    fn gate_words_are_found_in_any_case() {
        let cases = [
            ("Password=x", PASS | PASSWORD),
            ("mysql -uroot -pX; MariaDB", MYSQL | MARIADB),
            ("SSHPASS -p x", SSHPASS | PASS),
            ("https://u:p@h", SCHEME),
            ("CREATE USER x IDENTIFIED BY 'y'", IDENTIFIED),
            ("éPwD redis-cli define( curl docker login", PWD | REDIS_CLI | DEFINE | CURL | LOGIN),
            ("curlogin mysqlogin", CURL | LOGIN | MYSQL),
            ("pas sword", 0),
            ("", 0),
        ];
        for (line, words) in cases {
            assert_eq!(gate_words(line), words, "{line:?}");
        }
    }

    /// The gate of the long-flag reader passes every line its pattern matches on, and keeps it
    /// from lines where it cannot.
    #[test]
    fn the_flag_gate_passes_every_line_with_a_flag() {
        let cases = [
            ("app --api-token=S3cr3tPw", true),
            ("-p x", true),
            ("run(\"-password\", x)", true),
            ("[--token, x]", true),
            ("a-b c--d e - f -1 --2 \"-\"", false),
            ("var n=e.token||t.secretKey;x=a-b", false),
            ("", false),
        ];
        let flags =
            COMMAND_READERS[0].regex.get_or_init(|| Regex::new(COMMAND_READERS[0].pattern).ok()).as_ref().unwrap();
        for (line, expected) in cases {
            assert_eq!(may_hold_flag(line), expected, "{line:?}");
            assert!(may_hold_flag(line) || !flags.is_match(line), "{line:?}");
        }
    }

    /// A caller that wants some keys gets every assignment with such a key that it would get
    /// reading everything; lines where no `NAME=` has one are not walked as shell words.
    #[test]
    fn a_line_is_walked_only_for_the_names_wanted() {
        let wanted = |key: &str| key.to_ascii_lowercase().contains("password");
        let cases = [
            ("var n=e.token||t.secretKey;x=a.b,y==password", false),
            ("PGPASSWORD=x psql", true),
            ("helm --set db.password=x", true),
            ("é=1 (PASSWORD-x=2)", true),
            ("password == x; password= x", true),
            ("", false),
        ];
        for (line, expected) in cases {
            assert_eq!(any_word_name(line, &wanted), expected, "{line:?}");
            for format in [Format::Code, Format::Shell, Format::Yaml, Format::Dockerfile] {
                let (mut all, mut keyed) = (Vec::new(), Vec::new());
                read_line(format, Line::around(line, 0), &mut all);
                read_line_keyed(format, Line::around(line, 0), &mut keyed, &wanted);
                all.retain(|a| wanted(a.key));
                keyed.retain(|a| wanted(a.key));
                assert_eq!(all, keyed, "{format:?} {line:?}");
            }
        }
    }
}
