//! The commands a `RUN` runs, computed once so that rules look them up instead of splitting
//! shell text: the command line (shell form, split by [`shell`](crate::parse::shell); exec
//! form, taken as the argv it is), the heredocs that are scripts (`RUN <<EOF`, `RUN bash <<EOF`;
//! not `RUN python3 <<EOF` or `RUN cat <<EOF > file`, whose bodies are data), and the scripts
//! of `sh -c "…"`. Each command gets its argv, program, wrappers, line and column in the
//! Dockerfile, pipe, and the package-manager operation it is, each with source-map entries.
//!
//! A shell-form `RUN` under a `SHELL` that is not a POSIX shell (PowerShell, `cmd`) is not
//! split: its commands are not shell commands.

use serde_json::{json, Map, Value};

use super::packages::{self, Operation, Part};
use super::{exec_item_spans, Builder, Joined, Lexed};
use crate::document::{pointer_push, Span};
use crate::parse::shell::{self, basename, Command, ShellLimits, ShellScript, Word, SHELLS};

/// Shells whose scripts are not POSIX shell.
const NON_POSIX_SHELLS: [&str; 5] = ["powershell", "powershell.exe", "pwsh", "cmd", "cmd.exe"];

/// Text commands were split from, and where its bytes are in the file.
struct Source<'j> {
    joined: &'j Joined,
    /// Where the split text starts in `joined`.
    base: usize,
}

impl Source<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        self.joined.span(self.base + start, self.base + end)
    }

    fn text(&self, start: usize, end: usize) -> &str {
        self.joined.text.get(self.base + start..self.base + end).unwrap_or("")
    }
}

impl Builder<'_> {
    /// The `SHELL` in effect for a `RUN`: its argv, or null for the default `/bin/sh -c`.
    pub(super) fn shell_value(&mut self, pointer: &str) -> Value {
        let shell_pointer = pointer_push(pointer, "shell");
        match self.shell.clone() {
            Some((argv, span)) => {
                self.map(&shell_pointer, span);
                for at in 0..argv.len() {
                    self.map(&pointer_push(&shell_pointer, &at.to_string()), span);
                }
                json!(argv)
            }
            None => {
                let span = self.source_map.get(pointer).unwrap_or(Span::new(0, 0));
                self.map(&shell_pointer, span);
                Value::Null
            }
        }
    }

    /// The `commands` of a `RUN` at `pointer`, whose arguments are `body` at `body_start` of
    /// its joined text.
    pub(super) fn run_commands(
        &mut self,
        pointer: &str,
        lexed: &Lexed,
        exec: bool,
        body_start: usize,
        body: &str,
    ) -> Value {
        let limits = ShellLimits::default();
        let posix = self.shell.as_ref().and_then(|(argv, _)| argv.first()).is_none_or(|program| {
            !NON_POSIX_SHELLS.contains(&basename(&program.replace('\\', "/")).to_ascii_lowercase().as_str())
        });
        let line = Source { joined: &lexed.rest, base: body_start };
        let mut commands: Vec<(Command, usize)> = Vec::new();
        let line_commands = if exec {
            exec_commands(body, &limits)
        } else if posix {
            shell::split(body, &limits)
        } else {
            Vec::new()
        };
        let mut sources = vec![line];
        for heredoc in &lexed.heredocs {
            if !exec && posix && is_script(&line_commands, &heredoc.delimiter, &heredoc.body.text) {
                let base = line_commands.len() + commands.len();
                let script = shell::split(&heredoc.body.text, &limits);
                sources.push(Source { joined: &heredoc.body, base: 0 });
                let source = sources.len() - 1;
                commands.extend(script.into_iter().map(|mut command| {
                    command.feeds = command.feeds.map(|feeds| feeds + base);
                    (command, source)
                }));
            }
        }
        let all: Vec<(Command, usize)> =
            line_commands.into_iter().map(|command| (command, 0)).chain(commands).collect();
        let commands_pointer = pointer_push(pointer, "commands");
        self.map(&commands_pointer, lexed.span);
        let mut values = Vec::with_capacity(all.len());
        for (index, (command, source)) in all.iter().enumerate() {
            let Some(source) = sources.get(*source) else { continue };
            let command_pointer = pointer_push(&commands_pointer, &index.to_string());
            values.push(self.command_value(&command_pointer, command, source));
        }
        Value::Array(values)
    }

    fn command_value(&mut self, pointer: &str, command: &Command, source: &Source<'_>) -> Value {
        let span = self.clamp(source.span(command.start, command.end));
        self.map(pointer, span);
        let word_span = |word: &Word| source.span(word.start, word.end);
        let argv = command.argv();
        let argv_pointer = pointer_push(pointer, "argv");
        self.map(&argv_pointer, span);
        for (at, word) in argv.iter().enumerate() {
            let word_span = self.clamp(word_span(word));
            self.map(&pointer_push(&argv_pointer, &at.to_string()), word_span);
        }
        let program_span = argv.first().map_or(span, |word| self.clamp(word_span(word)));
        self.map(&pointer_push(pointer, "program"), program_span);
        let wrappers_pointer = pointer_push(pointer, "wrappers");
        self.map(&wrappers_pointer, span);
        let mut wrappers = Vec::with_capacity(command.wrappers.len());
        for (at, index) in command.wrappers.iter().enumerate() {
            let Some(word) = command.words.get(*index) else { continue };
            let wrapper_span = self.clamp(word_span(word));
            self.map(&pointer_push(&wrappers_pointer, &at.to_string()), wrapper_span);
            wrappers.push(Value::String(basename(&word.text).to_owned()));
        }
        for key in ["line", "column", "piped", "feeds"] {
            self.map(&pointer_push(pointer, key), span);
        }
        let position = self.lines.position(self.text, span.start);
        let texts: Vec<&str> = argv.iter().map(|word| word.text.as_str()).collect();
        let package = match packages::recognise(&texts) {
            Some(operation) => self.package_value(&pointer_push(pointer, "package"), &operation, argv, source, span),
            None => {
                self.map(&pointer_push(pointer, "package"), span);
                Value::Null
            }
        };
        let mut value = Map::new();
        value.insert("argv".into(), json!(texts));
        value.insert("program".into(), json!(command.program_name()));
        value.insert("wrappers".into(), Value::Array(wrappers));
        value.insert("line".into(), json!(position.line));
        value.insert("column".into(), json!(position.column));
        value.insert("piped".into(), json!(command.piped));
        value.insert("feeds".into(), json!(command.feeds));
        value.insert("package".into(), package);
        Value::Object(value)
    }

    fn package_value(
        &mut self,
        pointer: &str,
        operation: &Operation,
        argv: &[Word],
        source: &Source<'_>,
        command_span: Span,
    ) -> Value {
        let word_span = |at: usize| argv.get(at).map_or(command_span, |word| source.span(word.start, word.end));
        // A part of a word where the word is written as it reads (no quotes or escapes);
        // otherwise the whole word.
        let part_span = |part: &Part| match argv.get(part.word) {
            Some(word) if source.text(word.start, word.end) == word.text => {
                source.span(word.start + part.start, word.start + part.end)
            }
            _ => word_span(part.word),
        };
        let texts: Vec<&str> = argv.iter().map(|word| word.text.as_str()).collect();
        self.map(pointer, command_span);
        let manager_span = self.clamp(word_span(operation.manager_word));
        self.map(&pointer_push(pointer, "manager"), manager_span);
        let subcommand_span = operation
            .subcommand
            .iter()
            .map(|at| word_span(*at))
            .reduce(Span::cover)
            .map_or(command_span, |span| self.clamp(span));
        self.map(&pointer_push(pointer, "subcommand"), subcommand_span);
        self.map(&pointer_push(pointer, "operation"), subcommand_span);
        let subcommand = (!operation.subcommand.is_empty()).then(|| {
            operation.subcommand.iter().filter_map(|at| texts.get(*at).copied()).collect::<Vec<_>>().join(" ")
        });
        let options_pointer = pointer_push(pointer, "options");
        self.map(&options_pointer, command_span);
        let mut options = Vec::with_capacity(operation.options.len());
        for (at, option) in operation.options.iter().enumerate() {
            let option_pointer = pointer_push(&options_pointer, &at.to_string());
            let name_span = self.clamp(word_span(option.name_part.word));
            let value_span = option.value.as_ref().map(|value| self.clamp(part_span(value)));
            self.map(&option_pointer, value_span.map_or(name_span, |value| name_span.cover(value)));
            self.map(&pointer_push(&option_pointer, "name"), name_span);
            self.map(&pointer_push(&option_pointer, "value"), value_span.unwrap_or(name_span));
            options.push(json!({"name": option.name, "value": option.value.map(|value| value.text(&texts))}));
        }
        let packages_pointer = pointer_push(pointer, "packages");
        self.map(&packages_pointer, command_span);
        let mut packages = Vec::with_capacity(operation.packages.len());
        for (at, package) in operation.packages.iter().enumerate() {
            let package_pointer = pointer_push(&packages_pointer, &at.to_string());
            let whole = self.clamp(word_span(package.word));
            self.map(&package_pointer, whole);
            let name_span = self.clamp(part_span(&package.name));
            self.map(&pointer_push(&package_pointer, "name"), name_span);
            let version_span = package.version.as_ref().map_or(whole, |version| self.clamp(part_span(version)));
            self.map(&pointer_push(&package_pointer, "version"), version_span);
            self.map(&pointer_push(&package_pointer, "pinned"), whole);
            packages.push(json!({
                "name": package.name.text(&texts),
                "version": package.version.map(|version| version.text(&texts)),
                "pinned": package.pinned,
            }));
        }
        json!({
            "manager": operation.manager,
            "subcommand": subcommand,
            "operation": operation.operation,
            "options": options,
            "packages": packages,
        })
    }

    /// A span kept inside the file (a heredoc's last newline may be past its end).
    fn clamp(&self, span: Span) -> Span {
        let len = self.text.len();
        Span::new(span.start.min(len), span.end.min(len))
    }
}

/// An exec-form `RUN ["sh", "-c", "…"]`: the array is the argv; positions are of the JSON
/// items (exactly, where an item has no escapes).
fn exec_commands(body: &str, limits: &ShellLimits) -> Vec<Command> {
    let Ok(items) = serde_json::from_str::<Vec<String>>(body) else { return Vec::new() };
    if items.is_empty() {
        return Vec::new();
    }
    let spans = exec_item_spans(body);
    let words: Vec<Word> = items
        .into_iter()
        .enumerate()
        .map(|(index, text)| {
            let (start, end) = spans.get(index).copied().unwrap_or((0, body.len()));
            let inner_start = (start + 1).min(end);
            let inner = body.get(inner_start..end.saturating_sub(1).max(inner_start)).unwrap_or("");
            let offsets = json_string_offsets(inner, inner_start, &text);
            Word { text, start, end, offsets }
        })
        .collect();
    let start = words.first().map_or(0, |word| word.start);
    let end = words.last().map_or(body.len(), |word| word.end);
    shell::split_argv(words, start, end, limits)
}

/// For each byte of a JSON string's decoded `text`, where it is written: `raw` is the string
/// between its quotes, at `base`; an escape's bytes are where its backslash is.
fn json_string_offsets(raw: &str, base: usize, text: &str) -> Vec<usize> {
    let mut decoded = String::with_capacity(raw.len());
    let mut offsets = Vec::with_capacity(raw.len());
    let mut chars = raw.char_indices();
    while let Some((at, c)) = chars.next() {
        let value = if c == '\\' {
            match chars.next().map(|(_, escaped)| escaped) {
                Some('n') => Some('\n'),
                Some('t') => Some('\t'),
                Some('r') => Some('\r'),
                Some('b') => Some('\u{8}'),
                Some('f') => Some('\u{c}'),
                Some('u') => {
                    let hex: String = (0..4).filter_map(|_| chars.next().map(|(_, h)| h)).collect();
                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                }
                other => other,
            }
        } else {
            Some(c)
        };
        if let Some(value) = value {
            decoded.push(value);
            offsets.extend(std::iter::repeat_n(base + at, value.len_utf8()));
        }
    }
    if decoded == text {
        offsets
    } else {
        // Surrogate pairs and the like: every byte at the start of the string.
        vec![base; text.len()]
    }
}

/// Whether a `RUN` heredoc is a script the shell runs: when the command line is nothing but the
/// heredoc (BuildKit runs the body, with its `#!` interpreter if it names one), or when the
/// heredoc is the standard input of a shell (`RUN bash -e <<EOF`).
fn is_script(line: &[Command], delimiter: &str, body: &str) -> bool {
    let reader = line.iter().find(|command| command.heredocs.iter().any(|d| d == delimiter));
    match reader {
        Some(command) => command.shell_script() == Some(ShellScript::Stdin),
        None if line.is_empty() => shebang_is_a_shell(body),
        None => false,
    }
}

/// A body without `#!`, or whose `#!` names a shell (`#!/bin/bash`, `#!/usr/bin/env sh`).
fn shebang_is_a_shell(body: &str) -> bool {
    let Some(shebang) = body.lines().next().and_then(|line| line.strip_prefix("#!")) else { return true };
    let mut words = shebang.split_whitespace();
    let interpreter = match words.next().map(basename) {
        Some("env") => words.find(|word| !word.starts_with('-')).map(basename),
        other => other,
    };
    interpreter.is_some_and(|name| SHELLS.contains(&name))
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::parse::{dockerfile, Limits};

    /// `testdata/parse/dockerfile-commands.yaml`: Dockerfiles and what the parser must make of
    /// their RUN commands and stages.
    const CASES: &str = include_str!("../../../../testdata/parse/dockerfile-commands.yaml");

    /// The RUN instructions of a parsed Dockerfile, in file order, with their pointers.
    fn runs(value: &Value) -> Vec<(String, &Value)> {
        let mut runs = Vec::new();
        for (s, stage) in value["stages"].as_array().into_iter().flatten().enumerate() {
            for (j, instruction) in stage["instructions"].as_array().into_iter().flatten().enumerate() {
                if instruction["cmd"] == "run" {
                    runs.push((format!("/stages/{s}/instructions/{j}"), instruction));
                }
            }
        }
        runs
    }

    /// The package operation as the case table writes it: options as `name` or `name=value`,
    /// packages as `[name, version, pinned]`.
    fn package_as_written(package: &Value) -> Value {
        if package.is_null() {
            return Value::Null;
        }
        let options: Vec<Value> = package["options"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|option| match option["value"].as_str() {
                Some(value) => Value::String(format!("{}={value}", option["name"].as_str().unwrap_or(""))),
                None => option["name"].clone(),
            })
            .collect();
        let packages: Vec<Value> = package["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| Value::Array(vec![p["name"].clone(), p["version"].clone(), p["pinned"].clone()]))
            .collect();
        serde_json::json!({
            "manager": package["manager"],
            "subcommand": package["subcommand"],
            "operation": package["operation"],
            "options": options,
            "packages": packages,
        })
    }

    /// Compares the keys `expected` gives; returns what differs.
    fn differences(context: &str, expected: &Value, actual: &Value) -> Vec<String> {
        let mut failures = Vec::new();
        for (key, want) in expected.as_object().into_iter().flatten() {
            let got = if key == "package" { package_as_written(&actual[key]) } else { actual[key].clone() };
            match (key.as_str(), want) {
                ("package", Value::Object(_)) => {
                    failures.extend(differences(&format!("{context}.package"), want, &got))
                }
                _ if want == &got => {}
                _ => failures.push(format!("{context}.{key}: expected {want}, got {got}")),
            }
        }
        failures
    }

    #[test]
    fn run_commands_and_stages_match_the_case_table() {
        let cases: Vec<Value> = serde_saphyr::from_str(CASES).expect("the case table is YAML");
        assert!(cases.len() > 10, "the case table has {} cases", cases.len());
        let mut failures = Vec::new();
        for case in &cases {
            let name = case["name"].as_str().unwrap_or("unnamed");
            let text = case["dockerfile"].as_str().expect("every case has a dockerfile");
            let parsed = match dockerfile::parse(text, &Limits::default()) {
                Ok(parsed) => parsed,
                Err(error) => {
                    failures.push(format!("{name}: {error}"));
                    continue;
                }
            };
            let runs = runs(&parsed.value);
            let commands: Vec<(String, &Value)> = runs
                .iter()
                .flat_map(|(pointer, run)| {
                    run["commands"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .enumerate()
                        .map(move |(k, c)| (format!("{pointer}/commands/{k}"), c))
                })
                .collect();
            // Every command is where it says it is, and its program is written there.
            let lines = crate::document::LineIndex::new(text);
            for (pointer, command) in &commands {
                let span = parsed.source_map.get(pointer).expect("every command has a span");
                let position = lines.position(text, span.start);
                if (u64::from(position.line), u64::from(position.column))
                    != (command["line"].as_u64().unwrap_or(0), command["column"].as_u64().unwrap_or(0))
                {
                    failures.push(format!(
                        "{name}: {pointer} says {}:{} but its span starts at {}:{}",
                        command["line"], command["column"], position.line, position.column
                    ));
                }
                let program = parsed.source_map.get(&format!("{pointer}/program")).expect("every program has a span");
                let written = &text[program.start..program.end];
                if !written.contains(command["program"].as_str().unwrap_or("\u{0}")) {
                    failures.push(format!(
                        "{name}: {pointer}/program is {} but its span holds {written:?}",
                        command["program"]
                    ));
                }
            }
            if let Some(expected) = case["commands"].as_array() {
                if expected.len() != commands.len() {
                    let argvs: Vec<&Value> = commands.iter().map(|(_, c)| &c["argv"]).collect();
                    failures.push(format!(
                        "{name}: expected {} commands, got {}: {argvs:?}",
                        expected.len(),
                        commands.len()
                    ));
                }
                for (at, (want, (_, got))) in expected.iter().zip(&commands).enumerate() {
                    failures.extend(differences(&format!("{name}: command {at}"), want, got));
                }
            }
            if let Some(shells) = case.get("shells") {
                let got: Vec<&Value> = runs.iter().map(|(_, run)| &run["shell"]).collect();
                if &serde_json::json!(got) != shells {
                    failures.push(format!("{name}: shells: expected {shells}, got {got:?}"));
                }
            }
            let stages = parsed.value["stages"].as_array().cloned().unwrap_or_default();
            if let Some(parents) = case.get("parents") {
                let got: Vec<Value> = stages.iter().map(|stage| stage["parent"].clone()).collect();
                if &Value::Array(got.clone()) != parents {
                    failures.push(format!("{name}: parents: expected {parents}, got {got:?}"));
                }
            }
            if let Some(bases) = case.get("bases") {
                let got: Vec<Value> = stages.iter().map(|stage| stage["base"]["image"].clone()).collect();
                if &Value::Array(got.clone()) != bases {
                    failures.push(format!("{name}: bases: expected {bases}, got {got:?}"));
                }
            }
            if let Some(expected) = case.get("final") {
                if expected != &parsed.value["final"] {
                    failures.push(format!("{name}: final: expected {expected}, got {}", parsed.value["final"]));
                }
            }
        }
        assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    }
}
