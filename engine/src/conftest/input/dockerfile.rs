//! Dockerfiles as conftest reads them: the list of instructions BuildKit's parser gives, each
//! `{Cmd, SubCmd, JSON, Flags, Value, Stage, Original}` — `Cmd` lower-cased, `Flags` the
//! leading `--flag=value` words, `Value` the arguments as BuildKit splits them for that
//! instruction, `Stage` the index of the `FROM` it follows — with the comments before an
//! instruction as `comment` entries. The whole file is one array holding that list, so the list
//! is one input. This is a separate reader from ward's own Dockerfile parser, whose shape
//! (stages, resolved commands) ward's rules read.

use serde_json::{json, Value};

use crate::document::Span;
use crate::parse::ParseError;

/// How many lines a heredoc may hold before the file is refused.
const MAX_HEREDOC_LINES: usize = 100_000;

pub(super) fn parse(text: &str) -> Result<Value, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let escape = escape_directive(text);
    let lines: Vec<(usize, &str)> = line_starts(text);
    let mut commands: Vec<Value> = Vec::new();
    let mut comments: Vec<String> = Vec::new();
    let mut stages = 0usize;
    let mut index = 0;
    while let Some(&(start, line)) = lines.get(index) {
        index += 1;
        let trimmed = line.trim_start();
        if let Some(comment) = trimmed.strip_prefix('#') {
            let comment = comment.trim();
            if comment.is_empty() {
                comments.clear();
            } else {
                comments.push(comment.to_owned());
            }
            continue;
        }
        if trimmed.trim().is_empty() {
            continue;
        }
        // Join continuation lines: a line ending in the escape character goes on; comment and
        // blank lines inside a continuation are skipped.
        let mut logical = String::new();
        let (mut body, mut continues) = continuation(line, escape);
        logical.push_str(body);
        while continues {
            let Some(&(_, next)) = lines.get(index) else { break };
            index += 1;
            let next_trimmed = next.trim_start();
            if next_trimmed.starts_with('#') || next.trim().is_empty() {
                continue;
            }
            (body, continues) = continuation(next, escape);
            logical.push_str(body);
        }
        let logical = logical.trim().to_owned();
        let (word, rest) = split_first_word(&logical);
        let cmd = word.to_ascii_lowercase();
        let (flags, rest) = extract_flags(rest);
        // Heredocs (`RUN <<EOF`): their bodies are part of the instruction, not instructions.
        for delimiter in heredoc_delimiters(&cmd, rest) {
            let mut consumed = 0;
            while let Some(&(_, next)) = lines.get(index) {
                index += 1;
                consumed += 1;
                if next.trim_end_matches('\r').trim_start_matches('\t') == delimiter || consumed > MAX_HEREDOC_LINES {
                    break;
                }
            }
        }
        let at = Span::new(start, start + line.len());
        if cmd == "from" {
            stages += 1;
        }
        let stage = stages.saturating_sub(1);
        for comment in comments.drain(..) {
            commands.push(json!({
                "Cmd": "comment", "SubCmd": "", "JSON": false, "Flags": null,
                "Value": [comment], "Stage": stage, "Original": "",
            }));
        }
        let (sub_cmd, is_json, values) = if cmd == "onbuild" {
            let (sub_word, sub_rest) = split_first_word(rest);
            let sub = sub_word.to_ascii_lowercase();
            let (_, sub_rest) = extract_flags(sub_rest);
            let (is_json, values) = arguments(&sub, sub_rest, at)?;
            (sub, is_json, values)
        } else {
            let (is_json, values) = arguments(&cmd, rest, at)?;
            (String::new(), is_json, values)
        };
        commands.push(json!({
            "Cmd": cmd, "SubCmd": sub_cmd, "JSON": is_json, "Flags": flags,
            "Value": if values.is_empty() { Value::Null } else { json!(values) },
            "Stage": stage, "Original": logical,
        }));
    }
    Ok(json!([commands]))
}

/// Each line with the byte offset it starts at (line breaks removed).
fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        out.push((start, line.trim_end_matches('\n').trim_end_matches('\r')));
        start += line.len();
    }
    out
}

/// The escape character a leading `# escape=` directive sets (`\` without one).
fn escape_directive(text: &str) -> char {
    for line in text.lines() {
        let Some(comment) = line.trim_start().strip_prefix('#') else { break };
        let Some((key, value)) = comment.split_once('=') else { break };
        if key.trim().eq_ignore_ascii_case("escape") {
            return match value.trim() {
                "`" => '`',
                _ => '\\',
            };
        }
        if !key.trim().eq_ignore_ascii_case("syntax") && !key.trim().eq_ignore_ascii_case("check") {
            break;
        }
    }
    '\\'
}

/// A physical line without its trailing escape character, and whether the instruction goes on.
fn continuation(line: &str, escape: char) -> (&str, bool) {
    let trimmed = line.trim_end();
    match trimmed.strip_suffix(escape) {
        Some(body) => (body, true),
        None => (line, false),
    }
}

fn split_first_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(at) => (text.get(..at).unwrap_or(""), text.get(at..).unwrap_or("").trim_start()),
        None => (text, ""),
    }
}

/// The leading `--flag` words of an instruction's arguments, and the rest.
fn extract_flags(rest: &str) -> (Vec<String>, &str) {
    let mut flags = Vec::new();
    let mut rest = rest.trim_start();
    while rest.starts_with("--") {
        let (word, after) = split_first_word(rest);
        flags.push(word.to_owned());
        rest = after;
    }
    (flags, rest)
}

/// The delimiters of the heredocs an instruction opens (`<<EOF`, `<<-"EOF"`).
fn heredoc_delimiters(cmd: &str, rest: &str) -> Vec<String> {
    if !matches!(cmd, "run" | "copy" | "add") || rest.trim_start().starts_with('[') {
        return Vec::new();
    }
    rest.split_whitespace()
        .filter_map(|word| word.strip_prefix("<<"))
        .map(|word| word.trim_start_matches('-').trim_matches(['"', '\'']))
        .filter(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(str::to_owned)
        .collect()
}

/// An instruction's arguments as BuildKit's parser splits them for `cmd`, and whether they
/// were written as a JSON array.
fn arguments(cmd: &str, rest: &str, at: Span) -> Result<(bool, Vec<String>), ParseError> {
    let rest = rest.trim();
    let values = match cmd {
        "from" | "expose" => (false, whitespace_words(rest)),
        "arg" => (false, quoted_words(rest)),
        "run" | "cmd" | "entrypoint" | "shell" => match json_array(rest) {
            Some(values) => (true, values),
            None if rest.is_empty() => (false, Vec::new()),
            None => (false, vec![rest.to_owned()]),
        },
        "add" | "copy" | "volume" => match json_array(rest) {
            Some(values) => (true, values),
            None => (false, whitespace_words(rest)),
        },
        "env" | "label" => (false, name_values(cmd, rest, at)?),
        "healthcheck" => {
            let (kind, command) = split_first_word(rest);
            let mut values = vec![kind.to_owned()];
            match json_array(command) {
                Some(json) => return Ok((true, [values, json].concat())),
                None if !command.is_empty() => values.push(command.to_owned()),
                None => {}
            }
            (false, values)
        }
        "maintainer" | "stopsignal" | "user" | "workdir" => (false, vec![rest.to_owned()]),
        _ => return Err(ParseError::new(format!("unknown instruction: {}", cmd.to_ascii_uppercase()), at)),
    };
    if values.1.is_empty() && !matches!(cmd, "arg") {
        return Err(ParseError::new(format!("{} requires at least one argument", cmd.to_ascii_uppercase()), at));
    }
    Ok(values)
}

fn whitespace_words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

/// A JSON array of strings (`["a", "b"]`), or `None`.
fn json_array(text: &str) -> Option<Vec<String>> {
    if !text.starts_with('[') {
        return None;
    }
    let values: Vec<Value> = serde_json::from_str(text).ok()?;
    values.into_iter().map(|value| value.as_str().map(str::to_owned)).collect()
}

/// Words separated by whitespace, a quoted part (with its quotes) staying in its word.
fn quoted_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            word.push(c);
            escaped = false;
            continue;
        }
        match (quote, c) {
            (_, '\\') => {
                word.push(c);
                escaped = true;
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                word.push(c);
            }
            (Some(open), c) if c == open => {
                quote = None;
                word.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            (_, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `ENV`/`LABEL` arguments: `KEY=value …` pairs, or the old `KEY value with spaces` form, as
/// `[key, value, key, value…]` (values keep their quotes).
fn name_values(cmd: &str, rest: &str, at: Span) -> Result<Vec<String>, ParseError> {
    let words = quoted_words(rest);
    let Some(first) = words.first() else {
        return Err(ParseError::new(format!("{} requires at least one argument", cmd.to_ascii_uppercase()), at));
    };
    if !first.contains('=') {
        let (key, value) = split_first_word(rest);
        if value.is_empty() {
            return Err(ParseError::new(format!("{} must have two arguments", cmd.to_ascii_uppercase()), at));
        }
        return Ok(vec![key.to_owned(), value.to_owned()]);
    }
    let mut values = Vec::new();
    for word in words {
        let Some((key, value)) = word.split_once('=') else {
            return Err(ParseError::new(
                format!("Syntax error - can't find = in \"{word}\". Must be of the form: name=value"),
                at,
            ));
        };
        values.push(key.to_owned());
        values.push(value.to_owned());
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn instructions_are_listed_as_buildkit_splits_them() {
        let text = "# builder\nFROM golang:1.22 AS build\nRUN apk add --no-cache git && \\\n    go build ./...\nCOPY --from=build [\"/out\", \"/app\"]\nENV A=1 B=\"two words\"\nENV OLD value with spaces\n\nFROM alpine:3.20\nUSER 1000\nHEALTHCHECK --interval=5m CMD curl -f http://localhost/\nONBUILD RUN echo hi\nENTRYPOINT [\"/app\"]\n";
        let value = parse(text).unwrap();
        let commands = value[0].as_array().unwrap();
        let cmds: Vec<&str> = commands.iter().map(|c| c["Cmd"].as_str().unwrap()).collect();
        assert_eq!(
            cmds,
            ["comment", "from", "run", "copy", "env", "env", "from", "user", "healthcheck", "onbuild", "entrypoint"]
        );
        assert_eq!(commands[0]["Value"], json!(["builder"]));
        assert_eq!(commands[1]["Value"], json!(["golang:1.22", "AS", "build"]));
        assert_eq!(commands[2]["Value"], json!(["apk add --no-cache git &&     go build ./..."]));
        assert_eq!(commands[3]["Flags"], json!(["--from=build"]));
        assert_eq!((commands[3]["JSON"].clone(), commands[3]["Value"].clone()), (json!(true), json!(["/out", "/app"])));
        assert_eq!(commands[4]["Value"], json!(["A", "1", "B", "\"two words\""]));
        assert_eq!(commands[5]["Value"], json!(["OLD", "value with spaces"]));
        assert_eq!((commands[6]["Stage"].clone(), commands[7]["Stage"].clone()), (json!(1), json!(1)));
        assert_eq!(commands[8]["Value"], json!(["CMD", "curl -f http://localhost/"]));
        assert_eq!((commands[9]["SubCmd"].clone(), commands[9]["Value"].clone()), (json!("run"), json!(["echo hi"])));
        assert_eq!(commands[1]["Flags"], json!([]));
        assert_eq!(commands[2]["Original"], "RUN apk add --no-cache git &&     go build ./...");
    }

    #[test]
    fn unknown_instructions_are_refused_at_their_line() {
        let error = parse("FROM a\nFOO bar\n").unwrap_err();
        assert_eq!((error.message.as_str(), error.span.start), ("unknown instruction: FOO", 7));
    }
}
