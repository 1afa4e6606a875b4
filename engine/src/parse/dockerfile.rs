//! Dockerfiles and Containerfiles: ward's own lexer and parser, because real Dockerfiles use
//! BuildKit heredocs (`RUN <<EOF`), the `# escape=` directive and comments or blank lines inside
//! line continuations, which generic parsers reject.
//!
//! The file becomes its parser directives, the `ARG`s before the first `FROM`, and its stages,
//! each with its base image split into registry, repository, tag and digest (as written:
//! variables like `${BASE}` are kept) and its instructions with their flags, arguments, form,
//! heredocs and key/value pairs. Every part keeps the exact bytes it came from, even when an
//! instruction is continued over several lines.
//!
//! What rules would otherwise re-derive is computed here once: every `RUN`'s commands with
//! their package-manager operations (`commands.rs`, `packages.rs`), each stage's parent and base
//! image with the global `ARG`s substituted, and the chain of stages the final image is made of
//! (`stages.rs`).

mod commands;
mod packages;
mod stages;

use serde_json::{json, Map, Value};

use super::{Limits, ParseError};
use crate::document::{pointer_push, LineIndex, Parsed, SourceMap, Span};

const INSTRUCTIONS: [&str; 18] = [
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// Instructions whose arguments are one command line (shell form) or a JSON array (exec form).
const COMMAND_INSTRUCTIONS: [&str; 5] = ["run", "cmd", "entrypoint", "shell", "healthcheck"];

/// Instructions that take `--flag` options before their arguments.
const FLAGGED_INSTRUCTIONS: [&str; 5] = ["from", "run", "copy", "add", "healthcheck"];

/// Instructions that may carry heredocs.
const HEREDOC_INSTRUCTIONS: [&str; 3] = ["run", "copy", "add"];

/// Parses a Dockerfile.
pub(crate) fn parse(text: &str, _limits: &Limits) -> Result<Parsed, ParseError> {
    let lines = physical_lines(text);
    let (directives, escape, first_line) = directives(text, &lines);
    let instructions = instructions(text, &lines, first_line, escape)?;
    Builder::new(text).build(directives, instructions)
}

/// A line of the file: its content's byte range, without the line ending.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

fn physical_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (at, _) in text.match_indices('\n') {
        let end = if at > start && text.as_bytes().get(at - 1) == Some(&b'\r') { at - 1 } else { at };
        lines.push(Line { start, end });
        start = at + 1;
    }
    if start < text.len() {
        lines.push(Line { start, end: text.len() });
    }
    lines
}

fn line_text(text: &str, line: Line) -> &str {
    text.get(line.start..line.end).unwrap_or("")
}

/// A parser directive: name, value and the span of the value.
struct Directive {
    name: String,
    value: String,
    span: Span,
}

/// The parser directives at the top of the file (`# syntax=…`, `# escape=…`), the escape
/// character, and the index of the first line after them. As in BuildKit, the first line that is
/// not a directive (a blank line, a comment, an instruction) ends them.
fn directives(text: &str, lines: &[Line]) -> (Vec<Directive>, char, usize) {
    let mut found: Vec<Directive> = Vec::new();
    let mut escape = '\\';
    for (index, line) in lines.iter().enumerate() {
        let content = line_text(text, *line);
        let Some(body) = content.trim_start().strip_prefix('#') else { return (found, escape, index) };
        let Some((name, value)) = body.split_once('=') else { return (found, escape, index) };
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) || found.iter().any(|d| d.name == name) {
            return (found, escape, index);
        }
        let value = value.trim();
        let value_start = line.start + content.rfind(value).unwrap_or(0);
        if name == "escape" && (value == "`" || value == "\\") {
            escape = if value == "`" { '`' } else { '\\' };
        }
        found.push(Directive {
            name,
            value: value.to_owned(),
            span: Span::new(value_start, value_start + value.len()),
        });
    }
    (found, escape, lines.len())
}

/// Text assembled from several places of the file, with the file offset of each of its bytes.
#[derive(Default, Clone)]
struct Joined {
    text: String,
    offsets: Vec<usize>,
}

impl Joined {
    fn push(&mut self, source: &str, start: usize) {
        self.text.push_str(source);
        self.offsets.extend(start..start + source.len());
    }

    /// The file span of `range` of the joined text.
    fn span(&self, start: usize, end: usize) -> Span {
        let first = self.offsets.get(start).copied();
        let last = if end > start { self.offsets.get(end - 1).map(|at| at + 1) } else { first };
        match (first, last) {
            (Some(first), Some(last)) => Span::new(first, last),
            _ => {
                let at = self.offsets.last().map_or(0, |at| at + 1);
                Span::new(at, at)
            }
        }
    }
}

/// One instruction as lexed: keyword, the joined text of its arguments, heredocs, and spans.
struct Lexed {
    keyword: String,
    keyword_span: Span,
    /// Everything after the keyword, continuation lines joined.
    rest: Joined,
    heredocs: Vec<Heredoc>,
    span: Span,
}

struct Heredoc {
    delimiter: String,
    delimiter_span: Span,
    /// The body, each line ending in a newline, with the file offset of each byte.
    body: Joined,
    content_span: Span,
    strip_tabs: bool,
    quoted: bool,
    span: Span,
}

fn instructions(text: &str, lines: &[Line], first_line: usize, escape: char) -> Result<Vec<Lexed>, ParseError> {
    let mut lexed = Vec::new();
    let mut index = first_line;
    while let Some(&line) = lines.get(index) {
        index += 1;
        let content = line_text(text, line);
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let start = line.start + (content.len() - trimmed.len());
        let keyword_len = trimmed.find(|c: char| c.is_whitespace()).unwrap_or(trimmed.len());
        let keyword = trimmed.get(..keyword_len).unwrap_or("");
        let keyword_span = Span::new(start, start + keyword_len);
        if !INSTRUCTIONS.iter().any(|known| known.eq_ignore_ascii_case(keyword)) {
            return Err(ParseError::new(
                format!("unknown instruction `{keyword}`; expected one of {}", INSTRUCTIONS.join(", ")),
                keyword_span,
            ));
        }
        // Join continuation lines: the escape character at the end of a line continues the
        // instruction; comment and blank lines inside a continuation are dropped, as BuildKit does.
        let mut rest = Joined::default();
        let mut segment_start = keyword_span.end;
        let mut segment_end = line.end;
        let mut last_end;
        loop {
            let segment = text.get(segment_start..segment_end).unwrap_or("");
            let continued = segment.trim_end().ends_with(escape);
            if !continued {
                rest.push(segment, segment_start);
                last_end = segment_end;
                break;
            }
            let cut = segment.trim_end().len() - escape.len_utf8();
            rest.push(segment.get(..cut).unwrap_or(""), segment_start);
            last_end = segment_end;
            let mut next = None;
            while let Some(&candidate) = lines.get(index) {
                index += 1;
                let candidate_text = line_text(text, candidate).trim_start();
                if candidate_text.is_empty() || candidate_text.starts_with('#') {
                    continue;
                }
                next = Some(candidate);
                break;
            }
            match next {
                Some(next) => {
                    segment_start = next.start;
                    segment_end = next.end;
                }
                None => break,
            }
        }
        let lower = keyword.to_ascii_lowercase();
        let mut heredocs = Vec::new();
        if HEREDOC_INSTRUCTIONS.contains(&lower.as_str()) {
            for marker in heredoc_markers(&rest) {
                let (heredoc, next_index) = read_heredoc(text, lines, index, marker)?;
                index = next_index;
                last_end = last_end.max(heredoc.span.end);
                heredocs.push(heredoc);
            }
        }
        lexed.push(Lexed { keyword: lower, keyword_span, rest, heredocs, span: Span::new(start, last_end) });
    }
    Ok(lexed)
}

/// A `<<EOF`, `<<-EOF`, `<<"EOF"` or `<<'EOF'` in an instruction's arguments.
struct Marker {
    delimiter: String,
    delimiter_span: Span,
    strip_tabs: bool,
    quoted: bool,
    span: Span,
}

fn heredoc_markers(rest: &Joined) -> Vec<Marker> {
    let mut markers = Vec::new();
    let text = &rest.text;
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|tail| tail.find("<<")) {
        let at = from + found;
        from = at + 2;
        let mut cursor = at + 2;
        let strip_tabs = text.get(cursor..).is_some_and(|tail| tail.starts_with('-'));
        if strip_tabs {
            cursor += 1;
        }
        let quote = text.get(cursor..).and_then(|tail| tail.chars().next()).filter(|c| *c == '"' || *c == '\'');
        if quote.is_some() {
            cursor += 1;
        }
        let word_len = text.get(cursor..).map_or(0, |tail| {
            tail.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/')))
                .unwrap_or(tail.len())
        });
        if word_len == 0 {
            continue;
        }
        let delimiter = text.get(cursor..cursor + word_len).unwrap_or("").to_owned();
        let mut end = cursor + word_len;
        if let Some(quote) = quote {
            if text.get(end..).is_some_and(|tail| tail.starts_with(quote)) {
                end += 1;
            }
        }
        markers.push(Marker {
            delimiter,
            delimiter_span: rest.span(cursor, cursor + word_len),
            strip_tabs,
            quoted: quote.is_some(),
            span: rest.span(at, end),
        });
        from = end;
    }
    markers
}

/// Reads a heredoc body from line `index` on, up to the line that is exactly its delimiter.
fn read_heredoc(text: &str, lines: &[Line], mut index: usize, marker: Marker) -> Result<(Heredoc, usize), ParseError> {
    let mut body = Joined::default();
    let body_start = lines.get(index).map_or(text.len(), |line| line.start);
    while let Some(&line) = lines.get(index) {
        index += 1;
        let raw = line_text(text, line);
        let body_line = if marker.strip_tabs { raw.trim_start_matches('\t') } else { raw };
        if body_line == marker.delimiter {
            let heredoc = Heredoc {
                delimiter: marker.delimiter,
                delimiter_span: marker.delimiter_span,
                body,
                content_span: Span::new(body_start, line.start.max(body_start)),
                strip_tabs: marker.strip_tabs,
                quoted: marker.quoted,
                span: Span::new(marker.span.start, line.end),
            };
            return Ok((heredoc, index));
        }
        body.push(body_line, line.end - body_line.len());
        body.push("\n", line.end);
    }
    Err(ParseError::new(
        format!("heredoc `<<{}` is never closed: expected a line `{}`", marker.delimiter, marker.delimiter),
        marker.span,
    ))
}

/// A word of an instruction's arguments, with its span in the joined text.
struct Word {
    text: String,
    start: usize,
    end: usize,
}

/// Splits on white space, keeping quoted parts (`"two words"`) together; quotes stay in the word.
fn words(text: &str, from: usize) -> Vec<Word> {
    let mut words = Vec::new();
    let mut current: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (at, c) in text.get(from..).unwrap_or("").char_indices().map(|(i, c)| (from + i, c)) {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (_, '\\') => {
                escaped = true;
                current.get_or_insert(at);
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => {
                quote = Some(c);
                current.get_or_insert(at);
            }
            (None, c) if c.is_whitespace() => {
                if let Some(start) = current.take() {
                    words.push(Word { text: text.get(start..at).unwrap_or("").to_owned(), start, end: at });
                }
            }
            (None, _) => {
                current.get_or_insert(at);
            }
        }
    }
    if let Some(start) = current {
        words.push(Word { text: text.get(start..).unwrap_or("").to_owned(), start, end: text.len() });
    }
    words
}

fn unquote(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut quote: Option<char> = None;
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('"') | None, '\\') => out.extend(chars.next()),
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (_, c) => out.push(c),
        }
    }
    out
}

/// Builds the normalised value and its source map.
struct Builder<'t> {
    text: &'t str,
    lines: LineIndex,
    source_map: SourceMap,
    /// The `SHELL` in effect for shell-form `RUN`s: its argv and where it is written; `None`
    /// for the default `/bin/sh -c`.
    shell: Option<(Vec<String>, Span)>,
    /// The defaults of the `ARG`s before the first `FROM`, in order (`None`: no default).
    global_args: Vec<(String, Option<String>)>,
}

/// A stage as it is being built, up to the next `FROM`.
struct StageHead {
    from: Value,
    span: Span,
    name: Option<String>,
    /// The earlier stage it builds on.
    parent: Option<usize>,
    base: Value,
    /// The earlier stages it copies files from (`COPY --from=build`), and where it says so.
    copies: Vec<(usize, Span)>,
    /// The `SHELL` in effect at its end, which the stages built on it inherit.
    shell: Option<(Vec<String>, Span)>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Builder<'t> {
        Builder {
            text,
            lines: LineIndex::new(text),
            source_map: SourceMap::new(),
            shell: None,
            global_args: Vec::new(),
        }
    }

    fn map(&mut self, pointer: &str, span: Span) {
        self.source_map.insert(pointer, span);
    }

    fn line_of(&self, offset: usize) -> u32 {
        self.lines.position(self.text, offset).line
    }

    fn build(mut self, directives: Vec<Directive>, lexed: Vec<Lexed>) -> Result<Parsed, ParseError> {
        let whole = Span::new(0, self.text.len());
        self.map("", whole);
        let mut directive_map = Map::new();
        let directives_span = directives.iter().map(|d| d.span).reduce(Span::cover).unwrap_or(Span::new(0, 0));
        self.map("/directives", directives_span);
        for directive in directives {
            self.map(&pointer_push("/directives", &directive.name), directive.span);
            directive_map.insert(directive.name, Value::String(directive.value));
        }
        let mut global_args = Vec::new();
        let mut stages: Vec<Value> = Vec::new();
        // Each stage's name (lower case), parent, copies and span, for the final image's chain.
        let mut heads: Vec<stages::StageLinks> = Vec::new();
        let mut instructions_in_stage: Vec<Value> = Vec::new();
        let mut current: Option<StageHead> = None;
        self.map("/global_args", Span::new(0, 0));
        self.map("/stages", whole);
        for instruction in lexed {
            if instruction.keyword == "from" {
                if let Some(head) = current.take() {
                    let index = stages.len();
                    heads.push(stages::StageLinks::of(&head));
                    stages.push(self.stage(index, head, std::mem::take(&mut instructions_in_stage)));
                }
                let index = stages.len();
                let pointer = format!("/stages/{index}/instructions/0");
                let value = self.instruction(&pointer, &instruction);
                let mut head = self.from(&format!("/stages/{index}"), &instruction, &value, &heads)?;
                // A stage built on an earlier one inherits its SHELL.
                self.shell = head.parent.and_then(|parent| heads.get(parent)).and_then(|links| links.shell.clone());
                head.shell = self.shell.clone();
                current = Some(head);
                instructions_in_stage.push(value);
            } else if let Some(head) = current.as_mut() {
                head.span = head.span.cover(instruction.span);
                let pointer = format!("/stages/{}/instructions/{}", stages.len(), instructions_in_stage.len());
                let value = self.instruction(&pointer, &instruction);
                if let Some(copied) = stages::copied_from(&value, &pointer, &heads, &self.source_map) {
                    if !head.copies.iter().any(|(index, _)| *index == copied.0) {
                        head.copies.push(copied);
                    }
                }
                if instruction.keyword == "shell" {
                    head.shell = self.shell.clone();
                }
                instructions_in_stage.push(value);
            } else if instruction.keyword == "arg" {
                let pointer = format!("/global_args/{}", global_args.len());
                let value = self.instruction(&pointer, &instruction);
                let grown = self
                    .source_map
                    .get("/global_args")
                    .filter(|s| s.end > 0)
                    .map_or(instruction.span, |s| s.cover(instruction.span));
                self.map("/global_args", grown);
                stages::declare_global_args(&mut self.global_args, &value);
                global_args.push(value);
            } else {
                return Err(ParseError::new(
                    format!(
                        "`{}` before the first `FROM`; only `ARG` may come before it",
                        instruction.keyword.to_ascii_uppercase()
                    ),
                    instruction.keyword_span,
                ));
            }
        }
        match current.take() {
            Some(head) => {
                let index = stages.len();
                heads.push(stages::StageLinks::of(&head));
                stages.push(self.stage(index, head, instructions_in_stage));
            }
            None => {
                return Err(ParseError::new(
                    "no `FROM` instruction: a Dockerfile starts a build stage with `FROM`",
                    Span::new(0, 0),
                ))
            }
        }
        let final_image = self.final_image(&heads);
        let value = json!({
            "directives": Value::Object(directive_map),
            "global_args": global_args,
            "stages": stages,
            "final": final_image,
        });
        Ok(Parsed { value, source_map: self.source_map })
    }

    fn stage(&mut self, index: usize, head: StageHead, instructions: Vec<Value>) -> Value {
        let pointer = format!("/stages/{index}");
        let span = head.span;
        self.map(&pointer, span);
        for key in ["index", "name", "line", "instructions"] {
            self.map(&pointer_push(&pointer, key), span);
        }
        let copies_pointer = pointer_push(&pointer, "copies_from");
        self.map(&copies_pointer, span);
        for (at, (_, copy_span)) in head.copies.iter().enumerate() {
            self.map(&pointer_push(&copies_pointer, &at.to_string()), *copy_span);
        }
        json!({
            "index": index,
            "name": head.name,
            "line": self.line_of(span.start),
            "from": head.from,
            "parent": head.parent,
            "base": head.base,
            "copies_from": head.copies.iter().map(|(stage, _)| *stage).collect::<Vec<_>>(),
            "instructions": instructions,
        })
    }

    /// The base image of a `FROM`, split the docker way, and the stage's name (`AS name`), the
    /// earlier stage it builds on, and its base image with the global `ARG`s substituted.
    fn from(
        &mut self,
        stage_pointer: &str,
        lexed: &Lexed,
        instruction: &Value,
        earlier: &[stages::StageLinks],
    ) -> Result<StageHead, ParseError> {
        let pointer = pointer_push(stage_pointer, "from");
        let pointer = pointer.as_str();
        let args_from = flags_end(&lexed.rest.text);
        let args = words(&lexed.rest.text, args_from);
        let Some(image) = args.first() else {
            return Err(ParseError::new(
                "`FROM` needs an image: `FROM image[:tag][@digest] [AS name]`",
                lexed.keyword_span,
            ));
        };
        let name = match (args.get(1), args.get(2)) {
            (Some(as_word), Some(name)) if as_word.text.eq_ignore_ascii_case("as") => Some(name),
            _ => None,
        };
        let image_span = lexed.rest.span(image.start, image.end);
        let flags = instruction.get("flags").and_then(Value::as_array);
        let platform_index =
            flags.and_then(|flags| flags.iter().position(|f| f.get("name") == Some(&json!("platform"))));
        let platform = platform_index
            .and_then(|i| flags.and_then(|flags| flags.get(i)))
            .and_then(|flag| flag.get("value"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let stage = stages::stage_named(earlier, &image.text).map(|_| image.text.clone());
        let parts = if stage.is_some() { ImageParts::default() } else { split_image(&image.text) };
        let sub = |range: Option<(usize, usize)>| range.map(|(s, e)| lexed.rest.span(image.start + s, image.start + e));
        self.map(pointer, image_span);
        self.map(&pointer_push(pointer, "image"), image_span);
        for (key, range) in [
            ("registry", parts.registry),
            ("repository", parts.repository),
            ("tag", parts.tag),
            ("digest", parts.digest),
        ] {
            self.map(&pointer_push(pointer, key), sub(range).unwrap_or(image_span));
        }
        let platform_span = platform_index
            .and_then(|i| self.source_map.get(&format!("{}/flags/{i}/value", instruction_pointer(pointer))))
            .unwrap_or(image_span);
        self.map(&pointer_push(pointer, "platform"), platform_span);
        self.map(&pointer_push(pointer, "stage"), image_span);
        self.map(&pointer_push(pointer, "has_variables"), image_span);
        let slice = |range: Option<(usize, usize)>| range.and_then(|(s, e)| image.text.get(s..e)).map(str::to_owned);
        let from = json!({
            "image": image.text,
            "registry": slice(parts.registry),
            "repository": slice(parts.repository),
            "tag": slice(parts.tag),
            "digest": slice(parts.digest),
            "platform": platform,
            "stage": stage,
            "has_variables": image.text.contains('$'),
        });
        // What the reference means once the global ARGs' defaults are substituted: an earlier
        // stage, or an image.
        let resolved = stages::substitute(&image.text, &self.global_args);
        let parent = resolved.as_deref().and_then(|resolved| stages::stage_named(earlier, resolved));
        let base_pointer = pointer_push(stage_pointer, "base");
        self.map(&pointer_push(stage_pointer, "parent"), image_span);
        let base = match resolved.filter(|_| parent.is_none()) {
            Some(resolved) => {
                let verbatim = resolved == image.text;
                let parts = split_image(&resolved);
                self.map(&base_pointer, image_span);
                self.map(&pointer_push(&base_pointer, "image"), image_span);
                let slice =
                    |range: Option<(usize, usize)>| range.and_then(|(s, e)| resolved.get(s..e)).map(str::to_owned);
                for (key, range) in [
                    ("registry", parts.registry),
                    ("repository", parts.repository),
                    ("tag", parts.tag),
                    ("digest", parts.digest),
                ] {
                    let span = if verbatim { sub(range) } else { None };
                    self.map(&pointer_push(&base_pointer, key), span.unwrap_or(image_span));
                }
                json!({
                    "image": resolved,
                    "registry": slice(parts.registry),
                    "repository": slice(parts.repository),
                    "tag": slice(parts.tag),
                    "digest": slice(parts.digest),
                })
            }
            None => {
                self.map(&base_pointer, image_span);
                Value::Null
            }
        };
        Ok(StageHead {
            from,
            span: lexed.span,
            name: name.map(|n| n.text.clone()),
            parent,
            base,
            copies: Vec::new(),
            shell: None,
        })
    }

    fn instruction(&mut self, pointer: &str, lexed: &Lexed) -> Value {
        let rest = &lexed.rest;
        let cmd = lexed.keyword.as_str();
        self.map(pointer, lexed.span);
        self.map(&pointer_push(pointer, "cmd"), lexed.keyword_span);
        for key in ["line", "end_line", "form", "flags", "args", "heredocs"] {
            self.map(&pointer_push(pointer, key), lexed.span);
        }
        // Flags.
        let mut flags = Vec::new();
        let args_start = if FLAGGED_INSTRUCTIONS.contains(&cmd) { flags_end(&rest.text) } else { 0 };
        for word in words(&rest.text, 0).into_iter().take_while(|w| w.end <= args_start) {
            let flag_pointer = pointer_push(&pointer_push(pointer, "flags"), &flags.len().to_string());
            let body = word.text.trim_start_matches('-');
            let name_start = word.start + (word.text.len() - body.len());
            let (name, value, value_start) = match body.split_once('=') {
                Some((name, value)) => (name, Some(unquote(value)), Some(name_start + name.len() + 1)),
                None => (body, None, None),
            };
            let name_span = rest.span(name_start, name_start + name.len());
            self.map(&flag_pointer, rest.span(word.start, word.end));
            self.map(&pointer_push(&flag_pointer, "name"), name_span);
            let value_span = value_start.map_or(name_span, |start| rest.span(start, word.end));
            self.map(&pointer_push(&flag_pointer, "value"), value_span);
            flags.push(json!({"name": name, "value": value}));
        }
        // Arguments and form.
        let args_text = rest.text.get(args_start..).unwrap_or("");
        let leading = args_text.len() - args_text.trim_start().len();
        let body_start = args_start + leading;
        let body = args_text.trim();
        let (form, args) = self.arguments(pointer, cmd, rest, body_start, body);
        // Heredocs.
        let mut heredocs = Vec::new();
        for (index, heredoc) in lexed.heredocs.iter().enumerate() {
            let heredoc_pointer = pointer_push(&pointer_push(pointer, "heredocs"), &index.to_string());
            self.map(&heredoc_pointer, heredoc.span);
            self.map(&pointer_push(&heredoc_pointer, "delimiter"), heredoc.delimiter_span);
            self.map(&pointer_push(&heredoc_pointer, "content"), heredoc.content_span);
            self.map(&pointer_push(&heredoc_pointer, "strip_tabs"), heredoc.span);
            self.map(&pointer_push(&heredoc_pointer, "quoted"), heredoc.span);
            heredocs.push(json!({
                "delimiter": heredoc.delimiter,
                "content": heredoc.body.text.clone(),
                "strip_tabs": heredoc.strip_tabs,
                "quoted": heredoc.quoted,
            }));
        }
        let mut value = Map::new();
        value.insert("cmd".into(), json!(cmd));
        value.insert("line".into(), json!(self.line_of(lexed.span.start)));
        value.insert("end_line".into(), json!(self.line_of(lexed.span.end.saturating_sub(1).max(lexed.span.start))));
        value.insert("flags".into(), Value::Array(flags));
        value.insert("form".into(), json!(form));
        value.insert("args".into(), Value::Array(args));
        value.insert("heredocs".into(), Value::Array(heredocs));
        if matches!(cmd, "env" | "label" | "arg") {
            self.map(&pointer_push(pointer, "pairs"), lexed.span);
            let pairs = self.pairs(pointer, cmd, rest, body_start);
            value.insert("pairs".into(), Value::Array(pairs));
        }
        match cmd {
            "run" => {
                let shell = self.shell_value(pointer);
                value.insert("shell".into(), shell);
                let commands = self.run_commands(pointer, lexed, form == "exec", body_start, body);
                value.insert("commands".into(), commands);
            }
            "shell" if form == "exec" => {
                let argv = value
                    .get("args")
                    .and_then(Value::as_array)
                    .map(|args| args.iter().filter_map(Value::as_str).map(str::to_owned).collect::<Vec<_>>());
                let span = self.source_map.get(&pointer_push(pointer, "args")).unwrap_or(lexed.span);
                self.shell = argv.filter(|argv| !argv.is_empty()).map(|argv| (argv, span));
            }
            _ => {}
        }
        Value::Object(value)
    }

    /// `(form, args)`: exec form when the arguments are a JSON array of strings; otherwise a
    /// command instruction's arguments are one command line, and any other's its words.
    fn arguments(
        &mut self,
        pointer: &str,
        cmd: &str,
        rest: &Joined,
        body_start: usize,
        body: &str,
    ) -> (&'static str, Vec<Value>) {
        let args_pointer = pointer_push(pointer, "args");
        // HEALTHCHECK's command follows its `CMD` word.
        let (offset, command) = match (cmd, body.split_once(char::is_whitespace)) {
            ("healthcheck", Some((word, tail))) if word.eq_ignore_ascii_case("cmd") => {
                let tail_trimmed = tail.trim_start();
                (body.len() - tail_trimmed.len(), tail_trimmed)
            }
            _ => (0, body),
        };
        if command.starts_with('[') {
            if let Ok(items) = serde_json::from_str::<Vec<String>>(command) {
                let spans = exec_item_spans(command);
                for (index, _) in items.iter().enumerate() {
                    let (s, e) = spans.get(index).copied().unwrap_or((0, command.len()));
                    let start = body_start + offset + s;
                    self.map(
                        &pointer_push(&args_pointer, &index.to_string()),
                        rest.span(start, body_start + offset + e),
                    );
                }
                return ("exec", items.into_iter().map(Value::String).collect());
            }
        }
        if COMMAND_INSTRUCTIONS.contains(&cmd) || matches!(cmd, "maintainer" | "onbuild") {
            if body.is_empty() {
                return ("shell", Vec::new());
            }
            self.map(&pointer_push(&args_pointer, "0"), rest.span(body_start, body_start + body.len()));
            return ("shell", vec![Value::String(body.to_owned())]);
        }
        let mut args = Vec::new();
        for word in words(&rest.text, body_start) {
            self.map(&pointer_push(&args_pointer, &args.len().to_string()), rest.span(word.start, word.end));
            args.push(Value::String(word.text));
        }
        ("shell", args)
    }

    /// Key/value pairs of `ENV`, `LABEL` and `ARG`: `K=V` words, or the legacy `ENV K V W`.
    fn pairs(&mut self, pointer: &str, cmd: &str, rest: &Joined, body_start: usize) -> Vec<Value> {
        let pairs_pointer = pointer_push(pointer, "pairs");
        let words = words(&rest.text, body_start);
        let mut pairs = Vec::new();
        let legacy = cmd != "arg" && words.first().is_some_and(|w| !w.text.contains('='));
        if legacy {
            if let Some(key) = words.first() {
                let value_words = words.get(1..).unwrap_or_default();
                let value = value_words.iter().map(|w| unquote(&w.text)).collect::<Vec<_>>().join(" ");
                let value_span = match (value_words.first(), value_words.last()) {
                    (Some(first), Some(last)) => rest.span(first.start, last.end),
                    _ => rest.span(key.end, key.end),
                };
                self.pair(
                    &pairs_pointer,
                    0,
                    rest.span(key.start, key.end),
                    Some(value_span),
                    rest.span(key.start, value_span.end.max(key.end)),
                );
                pairs.push(json!({"key": unquote(&key.text), "value": value}));
            }
            return pairs;
        }
        for word in words {
            let (key, value, value_start) = match word.text.split_once('=') {
                Some((key, value)) => (key, Some(unquote(value)), Some(word.start + key.len() + 1)),
                None => (word.text.as_str(), None, None),
            };
            let key_span = rest.span(word.start, word.start + key.len());
            let value_span = value_start.map(|start| rest.span(start, word.end));
            self.pair(&pairs_pointer, pairs.len(), key_span, value_span, rest.span(word.start, word.end));
            pairs.push(json!({"key": unquote(key), "value": value}));
        }
        pairs
    }

    fn pair(&mut self, pairs_pointer: &str, index: usize, key: Span, value: Option<Span>, whole: Span) {
        let pointer = pointer_push(pairs_pointer, &index.to_string());
        self.map(&pointer, whole);
        self.map(&pointer_push(&pointer, "key"), key);
        self.map(&pointer_push(&pointer, "value"), value.unwrap_or(whole));
    }
}

/// `/stages/0/from` → `/stages/0/instructions/0` (the `FROM` instruction itself).
fn instruction_pointer(from_pointer: &str) -> String {
    format!("{}/instructions/0", from_pointer.trim_end_matches("/from"))
}

/// Where the leading `--flag[=value]` words end in an instruction's arguments.
fn flags_end(text: &str) -> usize {
    let mut end = 0;
    for word in words(text, 0) {
        if !word.text.starts_with("--") {
            break;
        }
        end = word.end;
    }
    end
}

/// Byte ranges of the string items of a JSON array, quotes included.
fn exec_item_spans(array: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    let mut escaped = false;
    for (at, c) in array.char_indices() {
        match (start, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(s), '"') => {
                spans.push((s, at + 1));
                start = None;
            }
            (None, '"') => start = Some(at),
            _ => {}
        }
    }
    spans
}

/// Byte ranges, within an image reference, of its registry, repository, tag and digest.
#[derive(Default)]
struct ImageParts {
    registry: Option<(usize, usize)>,
    repository: Option<(usize, usize)>,
    tag: Option<(usize, usize)>,
    digest: Option<(usize, usize)>,
}

/// Splits `[registry/]repository[:tag][@digest]` as docker does: the first path component is a
/// registry when it has a `.` or `:` or is `localhost`; the tag follows the last `:` after the
/// last `/`.
fn split_image(image: &str) -> ImageParts {
    let mut parts = ImageParts::default();
    let name_end = match image.find('@') {
        Some(at) => {
            parts.digest = Some((at + 1, image.len()));
            at
        }
        None => image.len(),
    };
    let name = image.get(..name_end).unwrap_or("");
    let last_slash = name.rfind('/');
    let repository_end = match name.rfind(':') {
        Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
            parts.tag = Some((colon + 1, name_end));
            colon
        }
        _ => name_end,
    };
    let repository_start = match name.find('/') {
        Some(slash) => {
            let first = name.get(..slash).unwrap_or("");
            if first.contains('.') || first.contains(':') || first == "localhost" {
                parts.registry = Some((0, slash));
                slash + 1
            } else {
                0
            }
        }
        None => 0,
    };
    parts.repository = Some((repository_start, repository_end.max(repository_start)));
    parts
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    /// The example that was in the documentation of `parse`.
    #[test]
    fn parse_example() {
        use crate::parse::{dockerfile, Limits};
        let text = "FROM ghcr.io/acme/base:1.2 AS build\nRUN <<EOF\nmake\nEOF\nFROM build\n";
        let parsed = dockerfile::parse(text, &Limits::default()).unwrap();
        let from = &parsed.value["stages"][0]["from"];
        assert_eq!(
            (from["registry"].as_str(), from["repository"].as_str(), from["tag"].as_str()),
            (Some("ghcr.io"), Some("acme/base"), Some("1.2"))
        );
        assert_eq!(parsed.value["stages"][0]["instructions"][1]["heredocs"][0]["content"], "make\n");
        assert_eq!(parsed.value["stages"][1]["from"]["stage"], "build");
        assert_eq!(parsed.value["stages"][0]["instructions"][1]["commands"][0]["argv"][0], "make");
        assert_eq!(parsed.value["final"]["chain"], serde_json::json!([1, 0]));
    }

    fn parse_ok(text: &str) -> Parsed {
        parse(text, &Limits::default()).unwrap_or_else(|e| panic!("{text:?}: {e:?}"))
    }

    #[test]
    fn image_references_split_the_docker_way() {
        // (image, registry, repository, tag, digest)
        type Case<'a> = (&'a str, Option<&'a str>, &'a str, Option<&'a str>, Option<&'a str>);
        let cases: &[Case] = &[
            ("nginx", None, "nginx", None, None),
            ("nginx:1.27-alpine", None, "nginx", Some("1.27-alpine"), None),
            ("library/nginx:1", None, "library/nginx", Some("1"), None),
            ("ghcr.io/acme/api:1.2@sha256:abc", Some("ghcr.io"), "acme/api", Some("1.2"), Some("sha256:abc")),
            ("localhost:5000/x", Some("localhost:5000"), "x", None, None),
            ("localhost/x:dev", Some("localhost"), "x", Some("dev"), None),
            ("python@sha256:def", None, "python", None, Some("sha256:def")),
            ("${REGISTRY}/app:${TAG}", None, "${REGISTRY}/app", Some("${TAG}"), None),
        ];
        for (image, registry, repository, tag, digest) in cases {
            let parts = split_image(image);
            let get = |range: Option<(usize, usize)>| range.map(|(s, e)| &image[s..e]);
            assert_eq!(
                (get(parts.registry), get(parts.repository), get(parts.tag), get(parts.digest)),
                (*registry, Some(*repository), *tag, *digest),
                "{image}"
            );
        }
    }

    #[test]
    fn heredocs_in_all_their_forms() {
        let text = "FROM alpine\nRUN <<EOF\necho one\nEOF\nRUN <<-'END' bash\n\techo two\n\tEND\nCOPY <<a.txt <<b.txt /dest/\nA\na.txt\nB\nb.txt\nRUN echo after\n";
        let parsed = parse_ok(text);
        let instructions = &parsed.value["stages"][0]["instructions"];
        assert_eq!(instructions[1]["heredocs"][0]["content"], "echo one\n");
        assert_eq!(
            instructions[2]["heredocs"][0],
            json!({"delimiter": "END", "content": "echo two\n", "strip_tabs": true, "quoted": true})
        );
        assert_eq!(instructions[3]["heredocs"][0]["content"], "A\n");
        assert_eq!(instructions[3]["heredocs"][1]["content"], "B\n");
        assert_eq!(instructions[3]["end_line"], 12);
        assert_eq!(instructions[4]["args"][0], "echo after");
        assert_eq!(instructions[4]["line"], 13);
    }

    #[test]
    fn continuations_skip_comments_and_blank_lines_and_honour_the_escape_directive() {
        let parsed = parse_ok("FROM x\nRUN apt-get update \\\n    # a comment\n\n    && apt-get install -y curl\n");
        assert_eq!(
            parsed.value["stages"][0]["instructions"][1]["args"][0],
            "apt-get update     && apt-get install -y curl"
        );
        let windows = parse_ok(
            "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir c:\\ `\n  && echo done\n",
        );
        assert_eq!(windows.value["directives"]["escape"], "`");
        assert_eq!(windows.value["stages"][0]["instructions"][1]["args"][0], "dir c:\\   && echo done");
    }

    #[test]
    fn flags_forms_and_pairs() {
        let text = "ARG BASE=alpine\nFROM --platform=$BUILDPLATFORM ${BASE}:3.20 AS build\nRUN --mount=type=cache,target=/root/.cache --network=none make\nCOPY --from=build --chown=1000:1000 --link /out /app\nCMD [\"serve\", \"--port\", \"80\"]\nENV A=1 B=\"two words\"\nENV LEGACY value with spaces\nLABEL org.opencontainers.image.source=\"https://example.com\"\nARG ONLY_NAME\n";
        let parsed = parse_ok(text);
        assert_eq!(parsed.value["global_args"][0]["pairs"][0], json!({"key": "BASE", "value": "alpine"}));
        let stage = &parsed.value["stages"][0];
        assert_eq!(stage["name"], "build");
        assert_eq!(stage["from"]["platform"], "$BUILDPLATFORM");
        assert_eq!(stage["from"]["has_variables"], true);
        let run = &stage["instructions"][1];
        assert_eq!(run["flags"][0], json!({"name": "mount", "value": "type=cache,target=/root/.cache"}));
        assert_eq!(run["flags"][1], json!({"name": "network", "value": "none"}));
        assert_eq!(run["args"][0], "make");
        let copy = &stage["instructions"][2];
        assert_eq!(copy["flags"][2], json!({"name": "link", "value": null}));
        assert_eq!(copy["args"], json!(["/out", "/app"]));
        assert_eq!(stage["instructions"][3]["form"], "exec");
        assert_eq!(stage["instructions"][3]["args"], json!(["serve", "--port", "80"]));
        assert_eq!(
            stage["instructions"][4]["pairs"],
            json!([{"key": "A", "value": "1"}, {"key": "B", "value": "two words"}])
        );
        assert_eq!(stage["instructions"][5]["pairs"], json!([{"key": "LEGACY", "value": "value with spaces"}]));
        assert_eq!(stage["instructions"][7]["pairs"], json!([{"key": "ONLY_NAME", "value": null}]));
        let span = parsed.source_map.get("/stages/0/from/tag").unwrap();
        assert_eq!(&text[span.start..span.end], "3.20");
    }

    #[test]
    fn later_stages_can_build_from_earlier_ones() {
        let parsed = parse_ok("FROM golang:1.22 AS Build\nFROM build\nFROM scratch\n");
        assert_eq!(parsed.value["stages"][1]["from"]["stage"], "build");
        assert_eq!(parsed.value["stages"][1]["from"]["repository"], Value::Null);
        assert_eq!(parsed.value["stages"][2]["from"]["repository"], "scratch");
    }

    #[test]
    fn errors_point_at_the_problem() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            ("FROM x\nFOO bar\n", (7, 10), "unknown instruction `FOO`"),
            ("RUN echo\nFROM x\n", (0, 3), "before the first `FROM`"),
            ("# just a comment\n", (0, 0), "no `FROM`"),
            ("FROM x\nRUN <<EOF\necho\n", (11, 16), "never closed"),
            ("FROM\n", (0, 4), "needs an image"),
        ];
        for (text, (start, end), message) in cases {
            let error = parse(text, &Limits::default()).unwrap_err();
            assert!(error.message.contains(message), "{text:?}: {}", error.message);
            assert_eq!((error.span.start, error.span.end), (*start, *end), "{text:?}: {}", error.message);
        }
    }

    #[test]
    fn invalid_json_after_a_bracket_is_shell_form() {
        let parsed = parse_ok("FROM x\nCMD [\"unclosed\", \n");
        assert_eq!(parsed.value["stages"][0]["instructions"][1]["form"], "shell");
    }

    #[test]
    fn crlf_line_endings() {
        let parsed = parse_ok("FROM alpine:3\r\nRUN echo hi \\\r\n  there\r\n");
        assert_eq!(parsed.value["stages"][0]["instructions"][1]["args"][0], "echo hi   there");
    }
}
