//! The runs behind `ward conftest test|verify|parse`, as conftest runs them: policies loaded
//! from `--policy` paths (every `.rego` file, tests included, into one engine, Rego v1 unless
//! `--rego-version v0`), data from `--data` paths (their JSON and YAML files merged at the root
//! of `data`), input files parsed by conftest's parsers and checked namespace by namespace.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::check::{check_namespace, evaluate_path, set_input, CheckError, CheckMessage, CheckResult, Namespace};
use super::input::{ConftestParsed, Parser};
use super::trace::{from_coverage, QueryTrace};
use crate::parse::{Limits, ParseError};
use crate::policy::conftest_class::{module_rules, rule_level};

/// Why a run could not be completed: conftest's errors, which it reports and exits 1 for.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The policy paths hold no Rego module.
    #[error("no policies found in [{}]", .0.join(" "))]
    NoPolicies(Vec<String>),
    /// The paths hold no file conftest would read.
    #[error("no files found")]
    NoFiles,
    /// A file could not be read.
    #[error("{path}: {message}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// A policy does not compile.
    #[error("{path}: {message}")]
    Policy {
        /// The policy file.
        path: String,
        /// The engine's error.
        message: String,
    },
    /// An input does not parse.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The input file.
        path: String,
        /// Where, 1-based.
        line: u32,
        /// Where, 1-based.
        column: u32,
        /// What was expected.
        message: String,
    },
    /// A conftest rule written `deny[msg] if`, which Rego v1 reads as an object.
    #[error("'if' keyword without 'contains' keyword: rule in {path} at line {line}: in Rego v1 `{rule}[msg] if` makes an object, not the set of messages conftest reads; write `{rule} contains msg if`")]
    IfWithoutContains {
        /// The policy file.
        path: String,
        /// The rule's line.
        line: u64,
        /// The rule's name.
        rule: String,
    },
    /// An OPA capabilities file that could not be read.
    #[error("capabilities {path}: {message}")]
    Capabilities {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// A policy calls a built-in function its capabilities leave out.
    #[error("{path}:{line}: rego_type_error: undefined function {function}")]
    UndefinedFunction {
        /// The policy file.
        path: String,
        /// Where the call is.
        line: usize,
        /// The function.
        function: String,
    },
    /// `--parser` names no parser conftest has.
    #[error("unknown parser: {0}")]
    UnknownParser(String),
    /// A parser conftest has and ward does not.
    #[error("conftest's {parser} parser is not in ward: {hint}")]
    MissingParser {
        /// The parser's name.
        parser: String,
        /// What to do instead.
        hint: &'static str,
    },
    /// A `--data` file could not be read or merged.
    #[error("data: {0}")]
    Data(String),
    /// A namespace's rules failed on an input.
    #[error("{path}: {error}")]
    Check {
        /// The input file.
        path: String,
        /// How the rules failed.
        error: CheckError,
    },
    /// An `--ignore` pattern is not a regular expression.
    #[error("invalid --ignore pattern: {0}")]
    Ignore(String),
    /// A `test_` rule failed to run under `verify`.
    #[error("running test {name}: {message}")]
    Test {
        /// The test rule.
        name: String,
        /// The engine's error.
        message: String,
    },
}

/// What a run reads.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The directory relative paths are read from.
    pub base: PathBuf,
    /// Policy files and directories (`--policy`).
    pub policies: Vec<String>,
    /// Data files and directories (`--data`).
    pub data: Vec<String>,
    /// Read policies as Rego v0 (`--rego-version v0`).
    pub rego_v0: bool,
    /// Record what each query ran (`--trace`).
    pub trace: bool,
    /// Errors of built-in functions stop the run (`--show-builtin-errors`); without it they
    /// make the expression undefined, as in OPA.
    pub show_builtin_errors: bool,
    /// An OPA capabilities file: the built-in functions policies may call (`--capabilities`).
    pub capabilities: Option<String>,
    /// Bounds on what inputs may be.
    pub limits: Limits,
}

/// What `ward conftest test` checks, and how.
#[derive(Debug, Clone, Default)]
pub struct TestOptions {
    /// The namespaces to check (`--namespace`; `main` when empty).
    pub namespaces: Vec<String>,
    /// Check every namespace (`--all-namespaces`).
    pub all_namespaces: bool,
    /// One input of every file together (`--combine`).
    pub combine: bool,
    /// Force one parser for every file (`--parser`).
    pub parser: Option<Parser>,
    /// Leave out files and directories whose path matches (`--ignore`).
    pub ignore: Option<String>,
}

/// The policies of a run, compiled into one engine.
pub struct Loaded {
    engine: regorus::Engine,
    /// Whether a policy reads `data.conftest` (the checked file's name and directory).
    file_data: bool,
    /// Record what each query ran (`--trace`).
    trace: bool,
}

impl Loaded {
    /// Loads the policies and data `options` name.
    pub fn load(options: &RunOptions) -> Result<Loaded, RunError> {
        let files = policy_files(&options.base, &options.policies)?;
        if files.is_empty() {
            return Err(RunError::NoPolicies(options.policies.clone()));
        }
        let mut engine = regorus::Engine::new();
        engine.set_rego_v0(options.rego_v0);
        engine.set_gather_prints(true);
        engine.set_enable_coverage(options.trace);
        let mut file_data = false;
        for (shown, path) in &files {
            let text = read(path, shown)?;
            if options.rego_v0 {
                if let Some(line) = v1_keyword_line(&text) {
                    return Err(RunError::Policy {
                        path: shown.clone(),
                        message: format!(
                            "line {line}: rego_parse_error: `if` and `contains` are keywords of Rego v1: with --rego-version v0 import them (`import future.keywords.if`, `import rego.v1`) or read the policy as v1"
                        ),
                    });
                }
            }
            file_data |= text.contains("data.conftest");
            engine.add_policy(shown.clone(), text).map_err(|error| RunError::Policy {
                path: shown.clone(),
                message: error.to_string().trim().to_owned(),
            })?;
        }
        if let Some(path) = &options.capabilities {
            let allowed = capabilities(&options.base.join(path), path)?;
            check_capabilities(&engine, &allowed)?;
        }
        if !options.rego_v0 {
            let mut modules = module_rules(&engine);
            modules.sort_by(|a, b| a.file.cmp(&b.file));
            for module in modules {
                if let Some((rule, line)) = module.if_without_contains.first() {
                    return Err(RunError::IfWithoutContains { path: module.file, line: *line, rule: rule.clone() });
                }
            }
        }
        let data = load_data(&options.base, &options.data, &options.limits)?;
        if data.as_object().is_some_and(|data| !data.is_empty()) {
            engine
                .add_data(crate::policy::rego::to_regorus(&data))
                .map_err(|error| RunError::Data(error.to_string()))?;
        }
        engine.set_strict_builtin_errors(options.show_builtin_errors);
        Ok(Loaded { engine, file_data, trace: options.trace })
    }

    /// Every namespace of the policies, sorted: `--all-namespaces`.
    pub fn all_namespaces(&self) -> Vec<String> {
        let names: BTreeSet<String> = module_rules(&self.engine).into_iter().map(|module| module.namespace).collect();
        names.into_iter().collect()
    }

    /// What conftest queries in `name`.
    fn namespace(&self, name: &str) -> Namespace {
        let mut modules = module_rules(&self.engine);
        modules.sort_by(|a, b| a.file.cmp(&b.file));
        let mut namespace = Namespace { name: name.to_owned(), rules: Vec::new(), definitions: 0, exception: false };
        for module in modules.iter().filter(|module| module.namespace == name) {
            namespace.exception |= module.declares_exception();
            for (rule, definitions) in module.conftest_rules() {
                namespace.definitions += definitions;
                if !namespace.rules.iter().any(|(known, _)| known == &rule) {
                    if let Some(level) = rule_level(&rule) {
                        namespace.rules.push((rule, level));
                    }
                }
            }
        }
        namespace
    }

    /// Checks `input` (named `filename`, read from `path` when it is a file) against
    /// `namespace`.
    fn check(
        &mut self,
        filename: &str,
        path: Option<&Path>,
        namespace: &Namespace,
        input: &Value,
    ) -> Result<CheckResult, RunError> {
        set_input(&mut self.engine, input);
        let file = match (self.file_data, path) {
            (true, Some(path)) => Some(json!({
                "name": path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default(),
                "dir": path.parent().map(|dir| dir.to_string_lossy().into_owned()).unwrap_or_default(),
            })),
            (true, None) => Some(json!({"name": filename, "dir": ""})),
            (false, _) => None,
        };
        let engine = &mut self.engine;
        let trace = self.trace;
        let mut traces = Vec::new();
        let checked = check_namespace(filename, namespace, &mut |query| {
            if trace {
                engine.clear_coverage_data();
            }
            let value = evaluate_path(engine, query, file.as_ref());
            if trace {
                let lines = engine.get_coverage_report().map(|report| from_coverage(&report)).unwrap_or_default();
                traces.push(QueryTrace { query: query.to_owned(), lines });
            }
            value
        });
        let mut checked = checked.map_err(|error| RunError::Check { path: filename.to_owned(), error })?;
        checked.traces = traces;
        checked.prints = engine.take_prints().unwrap_or_default();
        Ok(checked)
    }
}

/// One input file of a run: its name as given, where it is, and its text.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// As given on the command line (`-` for standard input), or found under a directory given.
    pub name: String,
    pub path: Option<PathBuf>,
    pub text: String,
}

/// The files `conftest test` reads for `arguments`: files as given, every file conftest has a
/// parser for under a directory, `-` for standard input (`stdin`), blank arguments skipped.
pub fn input_files(
    base: &Path,
    arguments: &[String],
    ignore: Option<&str>,
    stdin: &mut dyn FnMut() -> Result<String, String>,
) -> Result<Vec<InputFile>, RunError> {
    let ignore = match ignore.filter(|pattern| !pattern.is_empty()) {
        Some(pattern) => Some(regex::Regex::new(pattern).map_err(|error| RunError::Ignore(error.to_string()))?),
        None => None,
    };
    let mut files = Vec::new();
    for argument in arguments {
        if argument.is_empty() {
            continue;
        }
        if argument == "-" {
            let text = stdin().map_err(|message| RunError::Read { path: "-".into(), message })?;
            files.push(InputFile { name: "-".into(), path: None, text });
            continue;
        }
        let path = base.join(argument);
        if path.is_dir() {
            let mut found: Vec<(String, PathBuf)> = Vec::new();
            for entry in ignore::WalkBuilder::new(&path).standard_filters(false).build().flatten() {
                if !entry.file_type().is_some_and(|kind| kind.is_file()) {
                    continue;
                }
                let relative = entry.path().strip_prefix(&path).unwrap_or(entry.path());
                let name =
                    format!("{}/{}", argument.trim_end_matches('/'), relative.to_string_lossy().replace('\\', "/"));
                if ignore.as_ref().is_some_and(|pattern| pattern.is_match(&name)) || Parser::from_path(&name).is_none()
                {
                    continue;
                }
                found.push((name, entry.into_path()));
            }
            found.sort();
            for (name, path) in found {
                let text = read(&path, &name)?;
                files.push(InputFile { name, path: Some(path), text });
            }
        } else {
            let text = read(&path, argument)?;
            files.push(InputFile { name: argument.clone(), path: Some(path), text });
        }
    }
    if files.is_empty() {
        return Err(RunError::NoFiles);
    }
    Ok(files)
}

/// Parses each file with `parser`, or the parser its name calls for.
pub fn parse_files(
    files: &[InputFile],
    parser: Option<Parser>,
    limits: &Limits,
) -> Result<Vec<(InputFile, ConftestParsed)>, RunError> {
    let mut parsed = Vec::with_capacity(files.len());
    for file in files {
        let chosen = match parser.or_else(|| Parser::from_path(&file.name)) {
            Some(chosen) => chosen,
            None => {
                let extension =
                    file.name.rsplit_once('.').map_or("yml", |(_, extension)| extension).to_ascii_lowercase();
                return Err(unknown_parser(extension));
            }
        };
        let value = chosen.parse(&file.text, limits).map_err(|error| parse_error(&file.name, &file.text, &error))?;
        parsed.push((file.clone(), value));
    }
    Ok(parsed)
}

/// The line of the first rule head of `text` that uses Rego v1's `if` or `contains` without
/// importing them (`import future.keywords…`, `import rego.v1`): OPA refuses such a v0 module,
/// where regorus would read the words as names and fail later, or not at all.
fn v1_keyword_line(text: &str) -> Option<usize> {
    if text.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with("import future.keywords") || line.starts_with("import rego.v1")
    }) {
        return None;
    }
    let head = regex::Regex::new(
        r"^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?(\s+contains\s+[^{=]+)?\s+if\b|^[A-Za-z_][A-Za-z0-9_]*\s+contains\s",
    )
    .ok()?;
    text.lines().position(|line| head.is_match(line)).map(|index| index + 1)
}

/// The built-in functions an OPA capabilities file allows (`{"builtins": [{"name": …}, …]}`).
fn capabilities(path: &Path, shown: &str) -> Result<BTreeSet<String>, RunError> {
    let text = read(path, shown)?;
    let error = |message: String| RunError::Capabilities { path: shown.to_owned(), message };
    let value: Value = serde_json::from_str(&text).map_err(|e| error(e.to_string()))?;
    let builtins = value.get("builtins").and_then(Value::as_array).ok_or_else(|| error("no `builtins` list".into()))?;
    Ok(builtins.iter().filter_map(|builtin| builtin.get("name")?.as_str().map(str::to_owned)).collect())
}

/// Refuses a policy that calls a built-in function `allowed` leaves out, as OPA's compiler does
/// under capabilities. A call is a dotted name followed by `(` outside strings and comments;
/// the policies' own functions, imported packages' (`lib.f(…)`) and `data.…` ones are not
/// built-ins.
fn check_capabilities(engine: &regorus::Engine, allowed: &BTreeSet<String>) -> Result<(), RunError> {
    const KEYWORDS: [&str; 8] = ["if", "not", "some", "every", "in", "contains", "else", "with"];
    let modules = module_rules(engine);
    let own: BTreeSet<&str> = modules.iter().flat_map(|module| module.heads.iter().map(String::as_str)).collect();
    let Ok(json) = engine.get_ast_as_json() else { return Ok(()) };
    let Ok(Value::Array(entries)) = serde_json::from_str::<Value>(&json) else { return Ok(()) };
    for entry in entries {
        let Some(source) = entry.get("source") else { continue };
        let file = source.get("file").and_then(Value::as_str).unwrap_or("");
        let contents = source.get("contents").and_then(Value::as_str).unwrap_or("");
        let imports: BTreeSet<String> = contents
            .lines()
            .filter_map(|line| line.trim().strip_prefix("import "))
            .filter_map(|import| {
                let import = import.trim();
                match import.split_once(" as ") {
                    Some((_, alias)) => Some(alias.trim().to_owned()),
                    None => import.rsplit('.').next().map(str::to_owned),
                }
            })
            .collect();
        for (line_index, line) in contents.lines().enumerate() {
            for function in calls(line) {
                let first = function.split('.').next().unwrap_or("");
                let builtin = !(own.contains(function.as_str())
                    || first == "data"
                    || first == "input"
                    || (function.contains('.') && imports.contains(first))
                    || KEYWORDS.contains(&function.as_str()));
                if builtin && !allowed.contains(&function) {
                    return Err(RunError::UndefinedFunction { path: file.to_owned(), line: line_index + 1, function });
                }
            }
        }
    }
    Ok(())
}

/// The names called on a line of Rego (`count(`, `http.send(`), outside strings and comments.
fn calls(line: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut current = String::new();
    // The quote of the string the scan is in: `"` (with escapes) or a backtick (raw).
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in line.chars() {
        if let Some(open) = quote {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') if open == '"' => escaped = true,
                (false, c) if c == open => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '#' => break,
            '"' | '`' => {
                quote = Some(c);
                current.clear();
            }
            '(' => {
                if !current.is_empty() && !current.starts_with(|c: char| c.is_ascii_digit()) {
                    names.push(std::mem::take(&mut current));
                }
                current.clear();
            }
            c if c.is_alphanumeric() || c == '_' || c == '.' => current.push(c),
            _ => current.clear(),
        }
    }
    names
}

/// The error for a parser name ward does not have: conftest's parsers that ward lacks say what
/// to do instead.
pub fn unknown_parser(name: String) -> RunError {
    match Parser::missing(&name) {
        Some(hint) => RunError::MissingParser { parser: name, hint },
        None => RunError::UnknownParser(name),
    }
}

fn parse_error(path: &str, text: &str, error: &ParseError) -> RunError {
    let position = crate::document::LineIndex::new(text).position(text, error.span.start);
    RunError::Parse {
        path: path.to_owned(),
        line: position.line,
        column: position.column,
        message: error.message.clone(),
    }
}

/// conftest's combined input: `[{path, contents}]`, one entry per input of each file, in path
/// order.
pub(crate) fn combined(parsed: &[(InputFile, ConftestParsed)]) -> Value {
    let mut entries: Vec<(String, Value)> = Vec::new();
    for (file, value) in parsed {
        for (input, _) in value.inputs() {
            entries.push((file.name.clone(), input.clone()));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Array(entries.into_iter().map(|(path, contents)| json!({"path": path, "contents": contents})).collect())
}

/// `ward conftest test`: each namespace checked against each file (or the combined input).
pub fn test(
    loaded: &mut Loaded,
    parsed: &[(InputFile, ConftestParsed)],
    options: &TestOptions,
) -> Result<Vec<CheckResult>, RunError> {
    let names = match options.all_namespaces {
        true => loaded.all_namespaces(),
        false => options.namespaces.clone(),
    };
    let mut results = Vec::new();
    for name in names {
        let namespace = loaded.namespace(&name);
        if options.combine {
            results.push(loaded.check("Combined", None, &namespace, &combined(parsed))?);
            continue;
        }
        for (file, value) in parsed {
            let mut result = CheckResult::new(&file.name, &name);
            for (input, _) in value.inputs() {
                result.absorb(loaded.check(&file.name, file.path.as_deref(), &namespace, input)?);
            }
            results.push(result);
        }
    }
    Ok(results)
}

/// `ward conftest verify`: every `test_` rule of the policies, one result each — a success
/// when it is `true`, a failure (`data.<package>.<test>`) otherwise; `todo_test_` rules are
/// skipped.
pub fn verify(loaded: &mut Loaded) -> Result<Vec<CheckResult>, RunError> {
    let mut modules = module_rules(&loaded.engine);
    modules.sort_by(|a, b| a.file.cmp(&b.file));
    let mut results = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    loaded.engine.set_input(regorus::Value::new_object());
    for module in modules {
        for head in &module.heads {
            let name = format!("data.{}.{head}", module.namespace);
            let skipped = head.starts_with("todo_test_");
            if !(head.starts_with("test_") || skipped) || !seen.insert(name.clone()) {
                continue;
            }
            let mut result = CheckResult::new(&module.file, "");
            if skipped {
                result.skipped.push(CheckMessage::text(name));
                results.push(result);
                continue;
            }
            if loaded.trace {
                loaded.engine.clear_coverage_data();
            }
            let value = loaded
                .engine
                .eval_rule(name.clone())
                .map_err(|error| RunError::Test { name: name.clone(), message: error.to_string() })?;
            if loaded.trace {
                let lines =
                    loaded.engine.get_coverage_report().map(|report| from_coverage(&report)).unwrap_or_default();
                result.traces.push(QueryTrace { query: name.clone(), lines });
            }
            result.prints = loaded.engine.take_prints().unwrap_or_default();
            match value {
                regorus::Value::Bool(true) => result.successes = 1,
                _ => result.failures.push(CheckMessage::text(name)),
            }
            result.queries.push(head.clone());
            results.push(result);
        }
    }
    Ok(results)
}

/// `ward conftest parse`: the files in conftest's shapes, as conftest prints them — one file's
/// value, an object of every file's value by name, or with `combine` the combined input.
pub fn parse_output(parsed: &[(InputFile, ConftestParsed)], combine: bool) -> Value {
    if combine {
        return combined(parsed);
    }
    match parsed {
        [(_, only)] => only.value.clone(),
        _ => {
            let mut map = Map::new();
            for (file, value) in parsed {
                map.insert(file.name.clone(), value.value.clone());
            }
            Value::Object(map)
        }
    }
}

/// The `.rego` files under `paths` (files as given, directories walked), as `(shown, path)`.
fn policy_files(base: &Path, paths: &[String]) -> Result<Vec<(String, PathBuf)>, RunError> {
    let mut files = Vec::new();
    for given in paths {
        let path = base.join(given);
        if path.is_file() {
            files.push((given.clone(), path));
        } else if path.is_dir() {
            let mut found = Vec::new();
            for entry in ignore::WalkBuilder::new(&path).standard_filters(false).build().flatten() {
                if entry.file_type().is_some_and(|kind| kind.is_file())
                    && entry.path().extension().is_some_and(|e| e == "rego")
                {
                    let relative =
                        entry.path().strip_prefix(&path).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
                    found.push((format!("{}/{relative}", given.trim_end_matches('/')), entry.into_path()));
                }
            }
            found.sort();
            files.extend(found);
        }
    }
    Ok(files)
}

/// Every JSON and YAML file under `paths`, merged at the root of `data`.
fn load_data(base: &Path, paths: &[String], limits: &Limits) -> Result<Value, RunError> {
    let mut data = Value::Object(Map::new());
    for given in paths {
        let path = base.join(given);
        let mut files: Vec<(String, PathBuf)> = Vec::new();
        if path.is_dir() {
            for entry in ignore::WalkBuilder::new(&path).standard_filters(false).build().flatten() {
                let is_data = entry.path().extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml");
                if entry.file_type().is_some_and(|kind| kind.is_file()) && is_data {
                    files.push((entry.path().to_string_lossy().into_owned(), entry.into_path()));
                }
            }
            files.sort();
        } else {
            files.push((given.clone(), path));
        }
        for (shown, file) in files {
            let text = read(&file, &shown)?;
            let parser = if shown.ends_with(".json") { Parser::Json } else { Parser::Yaml };
            let parsed = parser.parse(&text, limits).map_err(|error| parse_error(&shown, &text, &error))?;
            let value = match parsed.value {
                Value::Array(mut documents) if parser == Parser::Yaml && parsed.document_spans.len() > 1 => {
                    if documents.is_empty() {
                        Value::Null
                    } else {
                        documents.swap_remove(0)
                    }
                }
                value => value,
            };
            merge(&mut data, value)
                .map_err(|key| RunError::Data(format!("{shown}: merge error: `{key}` is set twice")))?;
        }
    }
    Ok(data)
}

/// Merges `layer` into `base`, objects member by member; `Err` with the key where two values
/// that are not both objects meet.
fn merge(base: &mut Value, layer: Value) -> Result<(), String> {
    let Value::Object(layer) = layer else { return Ok(()) };
    let Value::Object(base) = base else { return Ok(()) };
    for (key, value) in layer {
        match base.get_mut(&key) {
            Some(existing) if existing.is_object() && value.is_object() => merge(existing, value)?,
            Some(_) => return Err(key),
            None => {
                base.insert(key, value);
            }
        }
    }
    Ok(())
}

fn read(path: &Path, shown: &str) -> Result<String, RunError> {
    std::fs::read_to_string(path).map_err(|error| RunError::Read { path: shown.to_owned(), message: error.to_string() })
}
