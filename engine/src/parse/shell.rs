//! Shell command lines split into the simple commands they run, the way `/bin/sh` reads them:
//! through `&&`, `||`, `;`, `&`, `|`, newlines, `\` line continuations, subshells and groups,
//! `if`/`for`/`while`/`case`, comments, quoting (`'…'`, `"…"`, `$'…'`, backslash escapes),
//! redirections and heredocs, command substitutions (`$(…)`, `` `…` ``, `<(…)`), and the
//! scripts of `sh -c "…"`, `bash -c '…'` and `su -c "…"`.
//!
//! Each command comes with its words (quotes removed, variables kept as written), where it is
//! in the text, which words are wrappers that run it (`sudo`, `env`, `exec`, `nice`, `xargs`,
//! …) and which word is the program, whether its output is piped, and which command reads its
//! output (the next command of a pipeline, or the command a substitution is an argument of).
//!
//! This is not an interpreter: nothing is expanded or run. It never fails: text it cannot make
//! sense of (an unclosed quote) ends the current word at the end of the text. Bounded in nesting
//! depth, commands and words, so that no command line can make it work without end.

/// Bounds of one split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShellLimits {
    /// How deep substitutions and `sh -c` scripts may nest; deeper ones are kept as text.
    pub max_depth: usize,
    /// Commands kept from one command line, nested ones included; the rest are dropped.
    pub max_commands: usize,
    /// Words kept of one command; the rest are dropped.
    pub max_words: usize,
}

impl Default for ShellLimits {
    fn default() -> ShellLimits {
        ShellLimits { max_depth: 8, max_commands: 2_000, max_words: 1_000 }
    }
}

/// A word of a command, quotes and escapes removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub text: String,
    /// Byte range of the word in the text that was split, quotes included.
    pub start: usize,
    pub end: usize,
    /// For each byte of `text`, the byte of the split text it came from.
    pub offsets: Vec<usize>,
}

/// One simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Command {
    /// Its words, wrappers included; assignments (`A=1 cmd`) and redirections left out.
    pub words: Vec<Word>,
    /// Index in `words` of the program that runs, after the wrappers.
    pub program: usize,
    /// Indexes in `words` of the wrappers that run the program (`sudo`, `env`, `nice`, …).
    pub wrappers: Vec<usize>,
    /// Byte range of the command in the text that was split.
    pub start: usize,
    pub end: usize,
    /// Its standard output goes into the next command of a pipeline (`|`, `|&`).
    pub piped: bool,
    /// Index of the command that reads its output: the next command of the pipeline, or the
    /// command an argument of which is the substitution it runs in.
    pub feeds: Option<usize>,
    /// The delimiters of the heredocs it reads (`<<EOF`, `<<-'EOF'`), quotes removed.
    pub heredocs: Vec<String>,
}

impl Command {
    /// The name of the program that runs, without its directory: `apt-get` for `/usr/bin/apt-get`.
    pub(crate) fn program_name(&self) -> &str {
        self.words.get(self.program).map_or("", |word| basename(&word.text))
    }

    /// The words from the program on: what the program gets as its argv.
    pub(crate) fn argv(&self) -> &[Word] {
        self.words.get(self.program..).unwrap_or_default()
    }

    /// How a shell program reads its script: from an argument (`sh -c '…'`), from its standard
    /// input (`bash -e` fed by a heredoc or a pipe), or from a file (`sh install.sh`). `None`
    /// when the program is not a shell.
    pub(crate) fn shell_script(&self) -> Option<ShellScript> {
        let name = self.program_name();
        let args = self.argv().get(1..).unwrap_or_default();
        if name == "su" {
            return su_script(args).map(|at| ShellScript::Argument(self.program + 1 + at));
        }
        if !SHELLS.contains(&name) {
            return None;
        }
        let (mut command_mode, mut stdin_mode) = (false, false);
        let mut index = 0;
        while let Some(word) = args.get(index) {
            let text = word.text.as_str();
            if text == "--" || text == "-" {
                index += 1;
                break;
            }
            let Some(options) = text.strip_prefix('-').or_else(|| text.strip_prefix('+')) else { break };
            if options.starts_with('-') {
                // Long options (`--login`, `--norc`); `--rcfile FILE` takes a value.
                if matches!(text, "--rcfile" | "--init-file") {
                    index += 1;
                }
            } else {
                command_mode |= options.contains('c');
                stdin_mode |= options.contains('s');
                // `-o pipefail`, `-O extglob`: the option's name is the next word.
                if options.ends_with('o') || options.ends_with('O') {
                    index += 1;
                }
            }
            index += 1;
        }
        Some(match args.get(index) {
            Some(_) if command_mode => ShellScript::Argument(self.program + 1 + index),
            Some(_) if !stdin_mode => ShellScript::File,
            _ => ShellScript::Stdin,
        })
    }
}

/// Where a shell reads its script from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShellScript {
    /// The word at this index of the command's words (`sh -c "…"`).
    Argument(usize),
    /// Its standard input: a heredoc, or the command piped into it.
    Stdin,
    /// A script file named by an argument.
    File,
}

/// Programs that read POSIX-like shell scripts.
pub(crate) const SHELLS: [&str; 8] = ["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash"];

/// The last part of a path.
pub(crate) fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `su [options] [user] -c '…'`: the index in `args` of the script.
fn su_script(args: &[Word]) -> Option<usize> {
    let mut index = 0;
    while let Some(word) = args.get(index) {
        match word.text.as_str() {
            "-c" | "--command" => return args.get(index + 1).map(|_| index + 1),
            "-s" | "--shell" | "-g" | "--group" | "-G" | "--supp-group" | "-w" | "--whitelist-environment" => {
                index += 1;
            }
            _ => {}
        }
        index += 1;
    }
    None
}

/// Splits a command line or script into its simple commands, in the order they appear (a
/// substitution's commands before the command that reads their output, a `sh -c` script's
/// after the shell that runs them).
pub(crate) fn split(text: &str, limits: &ShellLimits) -> Vec<Command> {
    let mut splitter = Splitter::new(text, *limits, 0);
    splitter.sequence(Terminator::End);
    splitter.commands
}

/// Unwraps and expands an argv given as a list (a Dockerfile's exec form `["sh", "-c", "…"]`):
/// the command itself, then the commands of the script it runs, if it runs one. Each word's
/// `offsets` say where its bytes are in the text the positions refer to.
pub(crate) fn split_argv(words: Vec<Word>, start: usize, end: usize, limits: &ShellLimits) -> Vec<Command> {
    let mut splitter = Splitter::new("", *limits, 0);
    let words = words.into_iter().map(|word| Lexeme { word, assignment: false, substitutions: Vec::new() }).collect();
    let raw = Raw { words, start, end, started: true, ..Raw::default() };
    splitter.push(raw, false);
    splitter.commands
}

/// What ends a sequence of commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Terminator {
    /// The end of the text.
    End,
    /// The `)` of a `$(` or `<(`.
    Paren,
    /// The closing backtick of a `` `…` ``.
    Backtick,
}

/// A word as read, before it is known to be an assignment or an argument.
#[derive(Debug, Clone)]
struct Lexeme {
    word: Word,
    /// `NAME=…` with the name unquoted: an assignment when it comes before the command's name.
    assignment: bool,
    /// The commands of the substitutions in the word whose output goes into it.
    substitutions: Vec<usize>,
}

/// A simple command as it is being read.
#[derive(Debug, Clone, Default)]
struct Raw {
    words: Vec<Lexeme>,
    heredocs: Vec<String>,
    start: usize,
    end: usize,
    /// Commands of the substitutions in its words and redirections, which feed it.
    substitutions: Vec<usize>,
    /// Whether anything (a word or a redirection) was read.
    started: bool,
}

impl Raw {
    fn has_command(&self) -> bool {
        self.words.iter().any(|lexeme| !lexeme.assignment)
    }
}

/// A `case … in` being read: whether a pattern (`a|b)`) or `esac` comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Case {
    expect_pattern: bool,
}

/// Where the commands of a pipeline are, while a sequence is read.
#[derive(Debug, Clone, Copy, Default)]
struct Pipeline {
    /// The command whose output the next command reads (it ended with `|`).
    from: Option<usize>,
    /// The last command of the sequence, for `{ a; b; } | c` and `( a ) | c`.
    last: Option<usize>,
}

struct Splitter<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    limits: ShellLimits,
    depth: usize,
    commands: Vec<Command>,
    /// Heredocs whose bodies start at the next newline: (delimiter, leading tabs stripped).
    pending_heredocs: Vec<(String, bool)>,
    /// Substitutions are kept as text, not split: in a `sh -c "…"` script whose substitutions
    /// the enclosing text already split.
    opaque: bool,
}

impl<'t> Splitter<'t> {
    fn new(text: &'t str, limits: ShellLimits, depth: usize) -> Splitter<'t> {
        Splitter {
            text,
            bytes: text.as_bytes(),
            at: 0,
            limits,
            depth,
            commands: Vec::new(),
            pending_heredocs: Vec::new(),
            opaque: false,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    fn starts_with(&self, prefix: &str) -> bool {
        self.bytes.get(self.at..).is_some_and(|rest| rest.starts_with(prefix.as_bytes()))
    }

    /// Skips blanks and `\`-newline continuations.
    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r') => self.at += 1,
                Some(b'\\') if self.peek_at(1) == Some(b'\n') => self.at += 2,
                Some(b'\\') if self.peek_at(1) == Some(b'\r') && self.peek_at(2) == Some(b'\n') => self.at += 3,
                _ => return,
            }
        }
    }

    fn skip_to_line_end(&mut self) {
        while self.peek().is_some_and(|byte| byte != b'\n') {
            self.at += 1;
        }
    }

    /// Reads commands up to `terminator` (consumed) or the end of the text.
    fn sequence(&mut self, terminator: Terminator) {
        let mut current = Raw::default();
        let mut pipeline = Pipeline::default();
        let mut subshells = 0usize;
        let mut cases: Vec<Case> = Vec::new();
        // After `for NAME in …` and `select`: the words up to the next separator are a list.
        let mut skip_words = false;
        loop {
            self.skip_blanks();
            if !current.started && cases.last().is_some_and(|case| case.expect_pattern) {
                self.case_pattern(&mut cases);
                continue;
            }
            let Some(byte) = self.peek() else { break };
            let before = self.at;
            match byte {
                b'#' if !current.started || self.at_word_start() => self.skip_to_line_end(),
                b'\n' => {
                    self.at += 1;
                    self.finish(&mut current, &mut pipeline, false);
                    skip_words = false;
                    self.skip_heredoc_bodies();
                }
                b';' => {
                    let case_end = self.starts_with(";;") || self.starts_with(";&");
                    self.at += if self.starts_with(";;&") {
                        3
                    } else if case_end {
                        2
                    } else {
                        1
                    };
                    self.finish(&mut current, &mut pipeline, false);
                    skip_words = false;
                    if let Some(case) = cases.last_mut().filter(|_| case_end) {
                        case.expect_pattern = true;
                    }
                }
                b'&' if self.starts_with("&>") => self.redirection(&mut current),
                b'&' | b'|' if self.starts_with("&&") || self.starts_with("||") => {
                    self.at += 2;
                    self.finish(&mut current, &mut pipeline, false);
                }
                b'&' => {
                    self.at += 1;
                    self.finish(&mut current, &mut pipeline, false);
                }
                b'|' => {
                    self.at += if self.starts_with("|&") { 2 } else { 1 };
                    if current.has_command() {
                        self.finish(&mut current, &mut pipeline, true);
                    } else if let Some(index) = pipeline.last {
                        current = Raw::default();
                        if let Some(command) = self.commands.get_mut(index) {
                            command.piped = true;
                        }
                        pipeline.from = Some(index);
                    }
                }
                b'(' if !current.started && self.starts_with("((") => {
                    self.skip_balanced(b'(', b')');
                }
                b'(' => {
                    self.at += 1;
                    if current.words.len() == 1 && self.next_is_close_paren() {
                        // `name() { …; }` defines a function: its name is not a command.
                        current = Raw::default();
                    } else {
                        self.finish(&mut current, &mut pipeline, false);
                        subshells += 1;
                    }
                }
                b')' => {
                    self.at += 1;
                    self.finish(&mut current, &mut pipeline, false);
                    if subshells > 0 {
                        subshells -= 1;
                    } else if terminator == Terminator::Paren {
                        return;
                    }
                }
                b'`' if terminator == Terminator::Backtick => {
                    self.at += 1;
                    self.finish(&mut current, &mut pipeline, false);
                    return;
                }
                b'<' | b'>' if self.peek_at(1) != Some(b'(') => self.redirection(&mut current),
                b'0'..=b'9' if self.io_number_follows() => self.redirection(&mut current),
                _ => {
                    let lexeme = self.word(terminator);
                    if !skip_words {
                        skip_words = self.command_word(&mut current, &mut cases, lexeme);
                    }
                }
            }
            if self.at == before {
                // Never stall on a byte nothing above takes.
                self.at += 1;
            }
        }
        self.finish(&mut current, &mut pipeline, false);
    }

    /// Adds a word to the command being read, unless it is a reserved word at the command's
    /// start. Returns whether the words up to the next separator are to be skipped (`for`).
    fn command_word(&mut self, current: &mut Raw, cases: &mut Vec<Case>, lexeme: Lexeme) -> bool {
        if !current.has_command() && !lexeme.assignment && !self.is_quoted(&lexeme.word) {
            match lexeme.word.text.as_str() {
                "if" | "then" | "else" | "elif" | "fi" | "do" | "done" | "while" | "until" | "{" | "}" | "!" => {
                    return false;
                }
                "for" | "select" => return true,
                "case" => {
                    self.case_head();
                    cases.push(Case { expect_pattern: true });
                    return false;
                }
                "esac" => {
                    cases.pop();
                    return false;
                }
                _ => {}
            }
        }
        if !current.started {
            current.start = lexeme.word.start;
            current.started = true;
        }
        current.end = current.end.max(lexeme.word.end);
        current.substitutions.extend(lexeme.substitutions.iter().copied());
        if current.words.len() < self.limits.max_words {
            current.words.push(lexeme);
        }
        false
    }

    /// Whether the byte before the cursor ends a word (so that `#` starts a comment).
    fn at_word_start(&self) -> bool {
        self.at.checked_sub(1).and_then(|before| self.bytes.get(before)).is_none_or(|b| b.is_ascii_whitespace())
    }

    /// Whether the word was written with quotes or escapes (and so is never a reserved word).
    fn is_quoted(&self, word: &Word) -> bool {
        self.text.get(word.start..word.end).is_some_and(|raw| raw.contains(['\'', '"', '\\']))
    }

    fn next_is_close_paren(&self) -> bool {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        rest.iter().find(|b| !matches!(b, b' ' | b'\t')) == Some(&b')')
    }

    /// Digits directly followed by `<` or `>`: a redirection's file descriptor (`2>&1`).
    fn io_number_follows(&self) -> bool {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        matches!(rest.get(digits), Some(b'<' | b'>'))
    }

    /// Skips from an opening byte to its balanced closing one (`((…))`, `${…}`), quotes
    /// respected; returns the text skipped.
    fn skip_balanced(&mut self, open: u8, close: u8) -> usize {
        let start = self.at;
        let mut depth = 0usize;
        while let Some(byte) = self.peek() {
            self.at += 1;
            match byte {
                b'\\' => self.at = (self.at + 1).min(self.bytes.len()),
                b'\'' => self.skip_past(b'\''),
                b'"' => self.skip_past(b'"'),
                b if b == open => depth += 1,
                b if b == close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        start
    }

    fn skip_past(&mut self, quote: u8) {
        while let Some(byte) = self.peek() {
            self.at += 1;
            if byte == b'\\' && quote != b'\'' {
                self.at = (self.at + 1).min(self.bytes.len());
            } else if byte == quote {
                return;
            }
        }
    }

    /// `case WORD in`: skips to after `in`.
    fn case_head(&mut self) {
        loop {
            self.skip_blanks();
            match self.peek() {
                None => return,
                Some(b'\n' | b';') => self.at += 1,
                Some(_) => {
                    let lexeme = self.word(Terminator::End);
                    if lexeme.word.text == "in" || lexeme.word.start == lexeme.word.end {
                        return;
                    }
                }
            }
        }
    }

    /// A `case` pattern (`a|b)`, `(*)`) up to its `)`, or the `esac` that ends the `case`.
    fn case_pattern(&mut self, cases: &mut Vec<Case>) {
        loop {
            self.skip_blanks();
            match self.peek() {
                Some(b'\n' | b';') => self.at += 1,
                Some(b'#') => self.skip_to_line_end(),
                _ => break,
            }
        }
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        let esac = rest.starts_with(b"esac") && rest.get(4).is_none_or(|b| !b.is_ascii_alphanumeric() && *b != b'_');
        if esac || rest.is_empty() {
            self.at += rest.len().min(4);
            cases.pop();
            return;
        }
        if self.peek() == Some(b'(') {
            self.at += 1;
        }
        while let Some(byte) = self.peek() {
            self.at += 1;
            match byte {
                b'\\' => self.at = (self.at + 1).min(self.bytes.len()),
                b'\'' => self.skip_past(b'\''),
                b'"' => self.skip_past(b'"'),
                b')' => break,
                _ => {}
            }
        }
        if let Some(case) = cases.last_mut() {
            case.expect_pattern = false;
        }
    }

    /// A redirection: its operator and target. A heredoc's delimiter is remembered, and its
    /// body skipped at the next newline.
    fn redirection(&mut self, current: &mut Raw) {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        let operators = ["<<<", "<<-", "<<", "<>", "<&", "<", "&>>", "&>", ">>", ">&", ">|", ">"];
        let operator = operators.iter().find(|op| self.starts_with(op)).copied().unwrap_or(">");
        self.at += operator.len();
        self.skip_blanks();
        if !current.started {
            current.start = start;
            current.started = true;
        }
        current.end = current.end.max(self.at);
        if matches!(self.peek(), None | Some(b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>')) {
            return;
        }
        let target = self.word(Terminator::End);
        current.end = current.end.max(target.word.end);
        current.substitutions.extend(target.substitutions);
        if matches!(operator, "<<" | "<<-") {
            current.heredocs.push(target.word.text.clone());
            self.pending_heredocs.push((target.word.text, operator == "<<-"));
        }
    }

    /// At a newline: skips the bodies of the heredocs the line started.
    fn skip_heredoc_bodies(&mut self) {
        for (delimiter, strip_tabs) in std::mem::take(&mut self.pending_heredocs) {
            while self.at < self.bytes.len() {
                let line_start = self.at;
                self.skip_to_line_end();
                let line = self.text.get(line_start..self.at).unwrap_or("").trim_end_matches('\r');
                let line = if strip_tabs { line.trim_start_matches('\t') } else { line };
                if self.peek() == Some(b'\n') {
                    self.at += 1;
                }
                if line == delimiter {
                    break;
                }
            }
        }
    }

    /// Reads one word, quotes removed; the commands of its substitutions are split on the way.
    fn word(&mut self, terminator: Terminator) -> Lexeme {
        let mut word = WordBuilder { start: self.at, ..WordBuilder::default() };
        // Whether every byte so far is a name character, unquoted: `NAME=` is then an assignment.
        let mut name = true;
        let mut assignment = false;
        while let Some(byte) = self.peek() {
            match byte {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' => break,
                b'<' | b'>' if self.peek_at(1) == Some(b'(') => {
                    // `<(…)`: bash runs the commands and passes a file name to read or write.
                    word.raw(self, 2);
                    self.substitution(Terminator::Paren, &mut word);
                }
                b'<' | b'>' => break,
                b'`' if terminator == Terminator::Backtick => break,
                b'`' => {
                    word.raw(self, 1);
                    self.substitution(Terminator::Backtick, &mut word);
                }
                b'\\' => {
                    name = false;
                    self.at += 1;
                    match self.peek() {
                        Some(b'\n') => self.at += 1,
                        Some(_) => word.raw(self, 1),
                        None => {}
                    }
                }
                b'\'' => {
                    name = false;
                    self.at += 1;
                    while let Some(inner) = self.peek() {
                        if inner == b'\'' {
                            self.at += 1;
                            break;
                        }
                        word.raw(self, 1);
                    }
                }
                b'"' => {
                    name = false;
                    self.at += 1;
                    self.double_quoted(&mut word);
                }
                b'$' => {
                    name = false;
                    self.dollar(&mut word, false);
                }
                b'=' | b'+' if name && !assignment && !word.text.is_empty() => {
                    let plus = byte == b'+';
                    if plus && self.peek_at(1) != Some(b'=') {
                        name = false;
                        word.raw(self, 1);
                        continue;
                    }
                    assignment = true;
                    name = false;
                    word.raw(self, if plus { 2 } else { 1 });
                    if self.peek() == Some(b'(') {
                        // `NAME=(a b c)`: a bash array.
                        let start = self.skip_balanced(b'(', b')');
                        word.span_raw(self, start);
                    }
                }
                _ => {
                    name &=
                        byte == b'_' || byte.is_ascii_alphabetic() || (!word.text.is_empty() && byte.is_ascii_digit());
                    word.raw(self, 1);
                }
            }
        }
        let substitutions = std::mem::take(&mut word.substitutions);
        Lexeme { word: word.finish(self.at), assignment, substitutions }
    }

    /// The inside of `"…"`, after its opening quote, up to and past its closing one.
    fn double_quoted(&mut self, word: &mut WordBuilder) {
        while let Some(byte) = self.peek() {
            match byte {
                b'"' => {
                    self.at += 1;
                    return;
                }
                b'\\' => match self.peek_at(1) {
                    Some(b'\n') => self.at += 2,
                    Some(b'$' | b'`' | b'"' | b'\\') => {
                        self.at += 1;
                        word.raw(self, 1);
                    }
                    _ => word.raw(self, 1),
                },
                b'$' => self.dollar(word, true),
                b'`' => {
                    word.raw(self, 1);
                    self.substitution(Terminator::Backtick, word);
                }
                _ => word.raw(self, 1),
            }
        }
    }

    /// A `$`: a command substitution, an arithmetic or parameter expansion (kept as written),
    /// an ANSI-C string, or a plain dollar.
    fn dollar(&mut self, word: &mut WordBuilder, quoted: bool) {
        match self.peek_at(1) {
            Some(b'(') if self.peek_at(2) == Some(b'(') => {
                word.raw(self, 1);
                let start = self.skip_balanced(b'(', b')');
                word.span_raw(self, start);
            }
            Some(b'(') => {
                word.raw(self, 2);
                self.substitution(Terminator::Paren, word);
            }
            Some(b'{') => {
                word.raw(self, 1);
                let start = self.skip_balanced(b'{', b'}');
                word.span_raw(self, start);
            }
            Some(b'\'') if !quoted => {
                self.at += 2;
                self.ansi_c(word);
            }
            Some(b'"') if !quoted => self.at += 1,
            _ => word.raw(self, 1),
        }
    }

    /// The inside of `$'…'`: backslash escapes decoded.
    fn ansi_c(&mut self, word: &mut WordBuilder) {
        while let Some(byte) = self.peek() {
            match byte {
                b'\'' => {
                    self.at += 1;
                    return;
                }
                b'\\' => {
                    let decoded = match self.peek_at(1) {
                        Some(b'n') => Some(b'\n'),
                        Some(b't') => Some(b'\t'),
                        Some(b'r') => Some(b'\r'),
                        Some(b'\\') => Some(b'\\'),
                        Some(b'\'') => Some(b'\''),
                        Some(b'"') => Some(b'"'),
                        _ => None,
                    };
                    match decoded {
                        Some(decoded) => {
                            word.push(decoded, self.at);
                            self.at += 2;
                        }
                        None => word.raw(self, 1),
                    }
                }
                _ => word.raw(self, 1),
            }
        }
    }

    /// The commands of a substitution, from after its opener up to and past its closer. Their
    /// text stays in the word as written; the commands whose output is the substitution's
    /// value feed the command the word belongs to.
    fn substitution(&mut self, terminator: Terminator, word: &mut WordBuilder) {
        let start = self.at;
        if self.depth >= self.limits.max_depth || self.opaque {
            match terminator {
                Terminator::Backtick => {
                    self.skip_past(b'`');
                }
                _ => {
                    // Back to the opening `(`, so that the closing one balances it.
                    self.at = self.at.saturating_sub(1);
                    self.skip_balanced(b'(', b')');
                }
            }
            word.span_raw(self, start);
            return;
        }
        let first = self.commands.len();
        let pending = std::mem::take(&mut self.pending_heredocs);
        self.depth += 1;
        self.sequence(terminator);
        self.depth -= 1;
        self.pending_heredocs = pending;
        word.span_raw(self, start);
        for index in first..self.commands.len() {
            if let Some(command) = self.commands.get(index) {
                if command.feeds.is_none() && !command.piped {
                    word.substitutions.push(index);
                }
            }
        }
    }

    /// Ends the command being read: adds it (when it runs something) to the list.
    fn finish(&mut self, current: &mut Raw, pipeline: &mut Pipeline, piped: bool) {
        let raw = std::mem::take(current);
        if !raw.has_command() {
            // `a |` at the end of a line: the pipeline goes on with the next command.
            return;
        }
        let from = pipeline.from.take();
        let Some(index) = self.push(raw, piped) else { return };
        if let Some(from) = from.and_then(|from| self.commands.get_mut(from)) {
            from.feeds = Some(index);
        }
        pipeline.last = Some(index);
        if piped {
            pipeline.from = Some(index);
        }
    }

    /// Adds a command, and after it the commands of the script it runs (`sh -c "…"`); returns
    /// its index.
    fn push(&mut self, raw: Raw, piped: bool) -> Option<usize> {
        if self.commands.len() >= self.limits.max_commands {
            return None;
        }
        let lexemes: Vec<Lexeme> = raw.words.into_iter().skip_while(|lexeme| lexeme.assignment).collect();
        let substituted: Vec<bool> = lexemes.iter().map(|lexeme| !lexeme.substitutions.is_empty()).collect();
        let words: Vec<Word> = lexemes.into_iter().map(|lexeme| lexeme.word).collect();
        let (program, wrappers) = unwrap(&words);
        let index = self.commands.len();
        let command = Command {
            words,
            program,
            wrappers,
            start: raw.start,
            end: raw.end.max(raw.start),
            piped,
            feeds: None,
            heredocs: raw.heredocs,
        };
        let script = match command.shell_script() {
            Some(ShellScript::Argument(at)) if self.depth < self.limits.max_depth => {
                command.words.get(at).filter(|word| !is_one_substitution(&word.text)).cloned().map(|word| {
                    let opaque = substituted.get(at).copied().unwrap_or(false);
                    (word, opaque)
                })
            }
            _ => None,
        };
        self.commands.push(command);
        for substitution in raw.substitutions {
            if let Some(command) = self.commands.get_mut(substitution).filter(|_| substitution < index) {
                command.feeds = Some(index);
            }
        }
        if let Some((script, opaque)) = script {
            self.nested(&script, opaque);
        }
        Some(index)
    }

    /// The commands of a script given as a word (`sh -c "…"`), located in this text.
    /// When `opaque`, the substitutions in the script were split already, as part of the text
    /// the script is written in (`sh -c "echo $(date)"`): they are not split twice.
    fn nested(&mut self, script: &Word, opaque: bool) {
        let limits =
            ShellLimits { max_commands: self.limits.max_commands.saturating_sub(self.commands.len()), ..self.limits };
        let mut inner = Splitter::new(&script.text, limits, self.depth + 1);
        inner.opaque = opaque;
        inner.sequence(Terminator::End);
        let base = self.commands.len();
        let locate = |at: usize| script.offsets.get(at).copied().unwrap_or(script.end);
        let locate_end = |end: usize, start: usize| {
            end.checked_sub(1)
                .filter(|last| *last >= start)
                .and_then(|last| script.offsets.get(last))
                .map_or(locate(start), |at| at + 1)
        };
        for mut command in inner.commands {
            let (start, end) = (locate(command.start), locate_end(command.end, command.start));
            command.start = start;
            command.end = end.max(start);
            for word in &mut command.words {
                let (start, end) = (locate(word.start), locate_end(word.end, word.start));
                word.start = start;
                word.end = end.max(start);
                for offset in &mut word.offsets {
                    *offset = locate(*offset);
                }
            }
            command.feeds = command.feeds.map(|feeds| feeds + base);
            self.commands.push(command);
        }
    }
}

/// A script that is nothing but the output of a command (`sh -c "$(curl …)"`): what it runs is
/// only known when it runs.
fn is_one_substitution(script: &str) -> bool {
    let script = script.trim();
    (script.starts_with("$(") && script.ends_with(')'))
        || (script.len() > 1 && script.starts_with('`') && script.ends_with('`'))
}

/// A word being read: its text and where each of its bytes came from.
#[derive(Debug, Default)]
struct WordBuilder {
    start: usize,
    text: Vec<u8>,
    offsets: Vec<usize>,
    substitutions: Vec<usize>,
}

impl WordBuilder {
    fn push(&mut self, byte: u8, from: usize) {
        self.text.push(byte);
        self.offsets.push(from);
    }

    /// Takes `count` bytes of the text as they are.
    fn raw(&mut self, splitter: &mut Splitter<'_>, count: usize) {
        for _ in 0..count {
            let Some(byte) = splitter.peek() else { return };
            self.push(byte, splitter.at);
            splitter.at += 1;
        }
    }

    /// Takes the text from `start` to the cursor as it is.
    fn span_raw(&mut self, splitter: &Splitter<'_>, start: usize) {
        for at in start..splitter.at {
            if let Some(byte) = splitter.bytes.get(at) {
                self.push(*byte, at);
            }
        }
    }

    fn finish(self, end: usize) -> Word {
        Word { text: String::from_utf8_lossy(&self.text).into_owned(), start: self.start, end, offsets: self.offsets }
    }
}

/// A program that runs another one: its options that take a value, and how many arguments
/// (a user, a duration) come before the program it runs.
struct Wrapper {
    name: &'static str,
    value_options: &'static [&'static str],
    arguments: usize,
    /// Whether `NAME=value` words may come before the program (`env`).
    assignments: bool,
}

const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        name: "sudo",
        value_options: &[
            "-u",
            "-g",
            "-C",
            "-D",
            "-h",
            "-p",
            "-r",
            "-t",
            "-U",
            "-T",
            "--user",
            "--group",
            "--chdir",
            "--prompt",
            "--host",
            "--role",
            "--type",
            "--other-user",
            "--close-from",
            "--command-timeout",
        ],
        arguments: 0,
        assignments: true,
    },
    Wrapper { name: "doas", value_options: &["-u", "-C"], arguments: 0, assignments: false },
    Wrapper {
        name: "env",
        value_options: &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
        arguments: 0,
        assignments: true,
    },
    Wrapper { name: "exec", value_options: &["-a"], arguments: 0, assignments: false },
    Wrapper { name: "nice", value_options: &["-n", "--adjustment"], arguments: 0, assignments: false },
    Wrapper { name: "nohup", value_options: &[], arguments: 0, assignments: false },
    Wrapper { name: "time", value_options: &["-f", "--format", "-o", "--output"], arguments: 0, assignments: false },
    Wrapper { name: "command", value_options: &[], arguments: 0, assignments: false },
    Wrapper { name: "builtin", value_options: &[], arguments: 0, assignments: false },
    Wrapper {
        name: "timeout",
        value_options: &["-s", "--signal", "-k", "--kill-after"],
        arguments: 1,
        assignments: false,
    },
    Wrapper {
        name: "stdbuf",
        value_options: &["-i", "-o", "-e", "--input", "--output", "--error"],
        arguments: 0,
        assignments: false,
    },
    Wrapper {
        name: "ionice",
        value_options: &["-c", "--class", "-n", "--classdata", "-p", "--pid", "-P", "--pgid", "-u", "--uid"],
        arguments: 0,
        assignments: false,
    },
    Wrapper { name: "chroot", value_options: &["--userspec", "--groups"], arguments: 1, assignments: false },
    Wrapper { name: "gosu", value_options: &[], arguments: 1, assignments: false },
    Wrapper { name: "su-exec", value_options: &[], arguments: 1, assignments: false },
    Wrapper { name: "eatmydata", value_options: &[], arguments: 0, assignments: false },
    Wrapper { name: "fakeroot", value_options: &[], arguments: 0, assignments: false },
    Wrapper {
        name: "xargs",
        value_options: &[
            "-I",
            "-n",
            "-P",
            "-d",
            "-E",
            "-L",
            "-s",
            "-a",
            "--max-args",
            "--max-procs",
            "--delimiter",
            "--eof",
            "--max-lines",
            "--max-chars",
            "--arg-file",
            "--replace",
        ],
        arguments: 0,
        assignments: false,
    },
];

/// The program a command runs and the wrappers it runs through: `sudo -u app env A=1 pip …`
/// runs `pip` through `sudo` and `env`. A wrapper with nothing after it is the program.
fn unwrap(words: &[Word]) -> (usize, Vec<usize>) {
    let mut wrappers = Vec::new();
    let mut at = 0;
    while let Some(word) = words.get(at) {
        let name = basename(&word.text);
        let Some(wrapper) = WRAPPERS.iter().find(|wrapper| wrapper.name == name) else { break };
        if name == "command" && words.get(at + 1).is_some_and(|next| matches!(next.text.as_str(), "-v" | "-V")) {
            break;
        }
        let next = skip_wrapper_arguments(words, at + 1, wrapper);
        if next >= words.len() {
            break;
        }
        wrappers.push(at);
        at = next;
    }
    (at, wrappers)
}

/// The index of the first word after a wrapper's options and arguments.
fn skip_wrapper_arguments(words: &[Word], mut at: usize, wrapper: &Wrapper) -> usize {
    while let Some(word) = words.get(at) {
        let text = word.text.as_str();
        if text == "--" {
            at += 1;
            break;
        }
        if text.len() > 1 && text.starts_with('-') {
            at += if wrapper.value_options.contains(&text) { 2 } else { 1 };
        } else if wrapper.assignments && is_assignment(text) {
            at += 1;
        } else {
            break;
        }
    }
    at + wrapper.arguments
}

/// `NAME=value`.
fn is_assignment(text: &str) -> bool {
    text.split_once('=').is_some_and(|(name, _)| {
        let mut chars = name.chars();
        chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
            && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example that was in the documentation of `split_argv`.
    #[test]
    fn split_argv_example() {
        use crate::parse::shell::{split_argv, ShellLimits, Word};
        let script = "pip install flask | tee log";
        let words = ["sudo", "sh", "-c", script]
            .iter()
            .scan(0, |at, text| {
                let word = Word {
                    text: text.to_string(),
                    start: *at,
                    end: *at + text.len(),
                    offsets: (*at..*at + text.len()).collect(),
                };
                *at += text.len() + 1;
                Some(word)
            })
            .collect();
        let commands = split_argv(words, 0, 38, &ShellLimits::default());
        let names: Vec<&str> = commands.iter().map(|c| c.program_name()).collect();
        assert_eq!(names, ["sh", "pip", "tee"]);
        assert_eq!((commands[1].start, commands[1].piped), (11, true));
    }

    /// The example that was in the documentation of `split`.
    #[test]
    fn split_example() {
        use crate::parse::shell::{split, ShellLimits};
        let commands = split("apt-get update && DEBIAN_FRONTEND=noninteractive sudo apt-get install -y 'curl' \\\n && curl -fsSL https://x.example | sh", &ShellLimits::default());
        let names: Vec<&str> = commands.iter().map(|c| c.program_name()).collect();
        assert_eq!(names, ["apt-get", "apt-get", "curl", "sh"]);
        assert_eq!(
            commands[1].argv().iter().map(|w| w.text.as_str()).collect::<Vec<_>>(),
            ["apt-get", "install", "-y", "curl"]
        );
        assert_eq!(commands[1].words[commands[1].wrappers[0]].text, "sudo");
        assert_eq!((commands[2].piped, commands[2].feeds), (true, Some(3)));
    }

    use super::*;

    /// What every split must satisfy: spans inside the text, in order, and feeds that point at
    /// another command of the list.
    fn check(text: &str, commands: &[Command]) -> Result<(), String> {
        for (index, command) in commands.iter().enumerate() {
            if command.start > command.end || command.end > text.len() {
                return Err(format!("command {index} spans {}..{} of {}", command.start, command.end, text.len()));
            }
            if command.words.is_empty() || command.program >= command.words.len() {
                return Err(format!("command {index} has no program"));
            }
            for word in &command.words {
                if word.start > word.end || word.end > text.len() || word.offsets.iter().any(|at| *at >= text.len()) {
                    return Err(format!("command {index}: word {word:?} is outside the text"));
                }
            }
            if command.feeds.is_some_and(|feeds| feeds >= commands.len() || feeds == index) {
                return Err(format!("command {index} feeds {:?}", command.feeds));
            }
        }
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_every_position_is_in_the_text(text in "[a-z -|&;()<>$`'\"\\\\{}=#\n\t]{0,120}") {
            let commands = split(&text, &ShellLimits::default());
            proptest::prop_assert!(check(&text, &commands).is_ok(), "{text:?}: {:?}", check(&text, &commands));
        }

        #[test]
        fn never_panics_on_any_text(text in proptest::prelude::any::<String>()) {
            let commands = split(&text, &ShellLimits::default());
            proptest::prop_assert!(check(&text, &commands).is_ok(), "{text:?}: {:?}", check(&text, &commands));
        }
    }

    #[test]
    fn nesting_and_counts_are_bounded() {
        let limits = ShellLimits { max_depth: 4, max_commands: 50, max_words: 10 };
        // Substitutions nested 10,000 deep are split down to the bound, then kept as text.
        let deep = format!("{}x{}", "echo $(".repeat(10_000), ")".repeat(10_000));
        let commands = split(&deep, &limits);
        assert!(commands.len() <= limits.max_depth + 1, "{} commands", commands.len());
        // `sh -c` scripts nested in each other stop at the bound too.
        let mut script = String::from("true");
        for _ in 0..8 {
            script = format!("sh -c '{}'", script.replace('\'', "'\\''"));
        }
        assert!(split(&script, &limits).len() <= limits.max_depth + 1);
        // A command line of 10,000 commands keeps the first 50; a command of 10,000 words its
        // first 10.
        let many = "echo a; ".repeat(10_000);
        assert_eq!(split(&many, &limits).len(), limits.max_commands);
        let long = format!("echo {}", "word ".repeat(10_000));
        assert_eq!(split(&long, &limits).first().map(|c| c.words.len()), Some(limits.max_words));
    }

    #[test]
    fn unclosed_quotes_and_substitutions_end_at_the_end_of_the_text() {
        for text in ["echo 'open", "echo \"open $(date", "echo `date", "echo ${X", "case x in a) echo", "a |"] {
            let commands = split(text, &ShellLimits::default());
            assert!(check(text, &commands).is_ok(), "{text:?}");
            assert!(!commands.is_empty(), "{text:?}");
        }
    }
}
