//! `ward conftest test|verify|parse`: conftest's commands, flags, outputs and exit codes, so a
//! CI script switches from `conftest` by changing the command name. Flags not given are read
//! from `CONFTEST_<FLAG>` environment variables, then from `conftest.toml` in the working
//! directory, as conftest reads them. Exit codes are conftest's: 0 nothing failed, 1 a failure
//! (with `--fail-on-warn`: 1 a warning, 2 a failure), and 1 when the run could not be done.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;
use clap::{Args, Subcommand};
use ward_engine::conftest::{
    self as runner, CheckResult, Format, Loaded, Options, Parser, RunError, RunOptions, TestOptions,
};

use crate::Outcome;

#[derive(Debug, Args)]
pub struct ConftestArgs {
    #[command(subcommand)]
    pub command: ConftestCommand,
}

#[derive(Debug, Subcommand)]
pub enum ConftestCommand {
    /// Test configuration files against conftest policies, as `conftest test` does.
    Test(TestArgs),
    /// Run the policies' Rego unit tests (`test_` rules), as `conftest verify` does.
    Verify(VerifyArgs),
    /// Print files in the shape conftest policies see them, as `conftest parse` does.
    Parse(ParseArgs),
}

/// Where policies and data come from, and how policies are read.
#[derive(Debug, Args)]
pub struct PolicySource {
    /// Path to the Rego policy files directory (repeatable; default: policy).
    #[arg(short = 'p', long = "policy", value_delimiter = ',')]
    pub policy: Vec<String>,
    /// A list of paths from which data for the rego policies will be recursively loaded.
    #[arg(short = 'd', long = "data", value_delimiter = ',')]
    pub data: Vec<String>,
    /// Which version of Rego syntax to use: v0 or v1 (default v1).
    #[arg(long = "rego-version")]
    pub rego_version: Option<String>,
    /// Output format: stdout, json, tap, table, junit, github, azuredevops, sarif.
    #[arg(short = 'o', long = "output")]
    pub output: Option<String>,
    /// Disable color when printing.
    #[arg(long = "no-color")]
    pub no_color: bool,
    /// Print the queries evaluated for each file.
    #[arg(long)]
    pub trace: bool,
    /// Do not include the violation message in the JUnit test name.
    #[arg(long = "junit-hide-message")]
    pub junit_hide_message: bool,
    /// Make errors of built-in functions (a bad `json.unmarshal`) errors of the run instead of
    /// undefined values.
    #[arg(long = "show-builtin-errors", num_args = 0..=1, default_missing_value = "true")]
    pub show_builtin_errors: Option<bool>,
    /// Path to a JSON file of OPA capabilities: the built-in functions policies may call.
    #[arg(long)]
    pub capabilities: Option<String>,
    /// Accepted for conftest compatibility: ward's Rego engine is always strict about
    /// unused variables it can see.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Files and directories to test; `-` reads standard input.
    pub paths: Vec<String>,
    #[command(flatten)]
    pub source: PolicySource,
    /// Test policies in a specific namespace (repeatable; default: main).
    #[arg(short = 'n', long = "namespace", value_delimiter = ',')]
    pub namespace: Vec<String>,
    /// Test policies found in all namespaces.
    #[arg(long = "all-namespaces")]
    pub all_namespaces: bool,
    /// Combine all config files to be evaluated together.
    #[arg(long)]
    pub combine: bool,
    /// Return a non-zero exit code if warnings or errors are found.
    #[arg(long = "fail-on-warn")]
    pub fail_on_warn: bool,
    /// Return an exit code of zero even if a policy fails.
    #[arg(long = "no-fail")]
    pub no_fail: bool,
    /// Do not include exceptions in output.
    #[arg(long = "suppress-exceptions")]
    pub suppress_exceptions: bool,
    /// Parser to use to parse the configurations.
    #[arg(long)]
    pub parser: Option<String>,
    /// A regex pattern which can be used for ignoring paths.
    #[arg(long)]
    pub ignore: Option<String>,
    /// Disable successful test output.
    #[arg(long)]
    pub quiet: bool,
    /// Download policies first: not supported, ward does not fetch at run time.
    #[arg(short = 'u', long = "update")]
    pub update: Vec<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Accepted as conftest accepts them, and not read: `verify` runs the policies' tests.
    pub paths: Vec<String>,
    #[command(flatten)]
    pub source: PolicySource,
    /// Disable successful test output.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files to parse; `-` reads standard input.
    pub paths: Vec<String>,
    /// Parser to use to parse the configurations.
    #[arg(long)]
    pub parser: Option<String>,
    /// Combine all config files into one input.
    #[arg(long)]
    pub combine: bool,
}

pub fn run(args: &ConftestArgs) -> anyhow::Result<Outcome> {
    let base = std::env::current_dir().context("cannot read the current directory")?;
    let settings = Settings::read(&base);
    let done = match &args.command {
        ConftestCommand::Test(test) => run_test(&base, &settings, test),
        ConftestCommand::Verify(verify) => run_verify(&base, &settings, verify),
        ConftestCommand::Parse(parse) => run_parse(&base, &settings, parse),
    };
    match done {
        Ok(outcome) => Ok(outcome),
        Err(error) => {
            // conftest prints its errors this way and exits 1, which CI scripts test for.
            eprintln!("Error: {error}");
            Ok(Outcome::Findings)
        }
    }
}

/// conftest's defaults for flags not given: `CONFTEST_<FLAG>` variables, then `conftest.toml`.
struct Settings {
    file: Option<SettingsTable>,
}

/// The top-level keys of `conftest.toml`, each as its string or list of strings.
type SettingsTable = Vec<(String, Vec<String>)>;

impl Settings {
    fn read(base: &Path) -> Settings {
        let text = std::fs::read_to_string(base.join("conftest.toml")).ok();
        let file = text.map(|text| parse_settings(&text));
        Settings { file }
    }

    /// The value of setting `name` (a flag's long name) when the flag was not given.
    fn get(&self, name: &str) -> Vec<String> {
        let variable = format!("CONFTEST_{}", name.replace('-', "_").to_ascii_uppercase());
        if let Ok(value) = std::env::var(&variable) {
            return value.split(',').map(str::to_owned).filter(|item| !item.is_empty()).collect();
        }
        self.file
            .as_ref()
            .and_then(|table| table.iter().find(|(key, _)| key == name).map(|(_, values)| values.clone()))
            .unwrap_or_default()
    }

    fn list(&self, given: &[String], name: &str, default: &str) -> Vec<String> {
        if !given.is_empty() {
            return given.to_vec();
        }
        let set = self.get(name);
        if set.is_empty() && !default.is_empty() {
            return vec![default.to_owned()];
        }
        set
    }

    fn one(&self, given: Option<&String>, name: &str, default: &str) -> String {
        given.cloned().or_else(|| self.get(name).into_iter().next()).unwrap_or_else(|| default.to_owned())
    }

    fn flag(&self, given: bool, name: &str) -> bool {
        given || self.get(name).first().is_some_and(|value| value == "true")
    }
}

/// `conftest.toml`'s top-level keys: strings, booleans and arrays of strings.
fn parse_settings(text: &str) -> SettingsTable {
    let mut table = Vec::new();
    let Ok(parsed) = ward_engine::parse_toml(text) else { return table };
    let Some(members) = parsed.value.as_object() else { return table };
    for (key, value) in members {
        let values = match value {
            serde_json::Value::Array(items) => items.iter().map(scalar).collect(),
            other => vec![scalar(other)],
        };
        table.push((key.clone(), values));
    }
    table
}

fn scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn run_options(base: &Path, settings: &Settings, source: &PolicySource) -> Result<RunOptions, String> {
    let version = settings.one(source.rego_version.as_ref(), "rego-version", "v1");
    let rego_v0 = match version.as_str() {
        "v0" | "V0" => true,
        "v1" | "V1" => false,
        other => return Err(format!("invalid Rego version: {other}")),
    };
    Ok(RunOptions {
        base: base.to_path_buf(),
        policies: settings.list(&source.policy, "policy", "policy"),
        data: settings.list(&source.data, "data", ""),
        rego_v0,
        trace: settings.flag(source.trace, "trace"),
        show_builtin_errors: settings.flag(source.show_builtin_errors.unwrap_or(false), "show-builtin-errors"),
        capabilities: {
            let path = settings.one(source.capabilities.as_ref(), "capabilities", "");
            (!path.is_empty()).then_some(path)
        },
        limits: Default::default(),
    })
}

fn output_options(settings: &Settings, source: &PolicySource) -> (Format, Options) {
    let name = settings.one(source.output.as_ref(), "output", "stdout");
    // conftest falls back to its standard output for a name it does not know.
    let format = Format::from_name(&name).unwrap_or(Format::Standard);
    let no_color =
        settings.flag(source.no_color, "no-color") || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let options = Options {
        color: !no_color,
        trace: settings.flag(source.trace, "trace"),
        junit_hide_message: settings.flag(source.junit_hide_message, "junit-hide-message"),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        ..Options::default()
    };
    (format, options)
}

fn read_stdin() -> Result<String, String> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).map_err(|error| format!("read standard in: {error}"))?;
    Ok(text)
}

fn parser_of(settings: &Settings, given: Option<&String>) -> Result<Option<Parser>, String> {
    let name = settings.one(given, "parser", "");
    if name.is_empty() {
        return Ok(None);
    }
    match Parser::from_name(&name) {
        Some(parser) => Ok(Some(parser)),
        None => Err(runner::unknown_parser(name).to_string()),
    }
}

fn print(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).map_err(|error| format!("write output: {error}"))
}

fn run_test(base: &Path, settings: &Settings, args: &TestArgs) -> Result<Outcome, String> {
    if !args.update.is_empty() {
        return Err("--update is not supported: ward does not download policies; fetch them first".into());
    }
    if args.paths.is_empty() {
        return Err("missing required arguments".into());
    }
    let options = run_options(base, settings, &args.source)?;
    let parser = parser_of(settings, args.parser.as_ref())?;
    let test = TestOptions {
        namespaces: settings.list(&args.namespace, "namespace", "main"),
        all_namespaces: settings.flag(args.all_namespaces, "all-namespaces"),
        combine: settings.flag(args.combine, "combine"),
        parser,
        ignore: Some(settings.one(args.ignore.as_ref(), "ignore", "")),
    };
    let files = runner::input_files(base, &args.paths, test.ignore.as_deref(), &mut read_stdin).map_err(describe)?;
    let parsed = runner::parse_files(&files, test.parser, &options.limits).map_err(describe)?;
    let mut loaded = Loaded::load(&options).map_err(describe)?;
    let results = runner::test(&mut loaded, &parsed, &test).map_err(describe)?;
    let (format, mut output) = output_options(settings, &args.source);
    output.suppress_exceptions = settings.flag(args.suppress_exceptions, "suppress-exceptions");
    let failed = results.iter().any(|result| !result.failures.is_empty());
    let warned = results.iter().any(|result| !result.warnings.is_empty());
    if !(settings.flag(args.quiet, "quiet") && !failed && !warned) {
        print(&runner::render(format, &results, &output))?;
        print_elsewhere(format, &results);
    }
    if settings.flag(args.no_fail, "no-fail") {
        return Ok(Outcome::Clean);
    }
    Ok(match (settings.flag(args.fail_on_warn, "fail-on-warn"), failed, warned) {
        (true, true, _) => Outcome::Untrusted,
        (true, false, true) | (false, true, _) => Outcome::Findings,
        _ => Outcome::Clean,
    })
}

fn run_verify(base: &Path, settings: &Settings, args: &VerifyArgs) -> Result<Outcome, String> {
    let options = run_options(base, settings, &args.source)?;
    let mut loaded = Loaded::load(&options).map_err(describe)?;
    let results: Vec<CheckResult> = runner::verify(&mut loaded).map_err(describe)?;
    let failed = results.iter().any(|result| !result.failures.is_empty());
    let (format, mut output) = output_options(settings, &args.source);
    output.show_skipped = true;
    if !settings.flag(args.quiet, "quiet") || failed {
        print(&runner::render(format, &results, &output))?;
        print_elsewhere(format, &results);
    }
    Ok(if failed { Outcome::Findings } else { Outcome::Clean })
}

fn run_parse(base: &Path, settings: &Settings, args: &ParseArgs) -> Result<Outcome, String> {
    let parser = parser_of(settings, args.parser.as_ref())?;
    let files = runner::input_files(base, &args.paths, None, &mut read_stdin).map_err(describe)?;
    let parsed = runner::parse_files(&files, parser, &Default::default()).map_err(describe)?;
    let value = runner::parse_output(&parsed, settings.flag(args.combine, "combine"));
    if settings.flag(args.combine, "combine") {
        // conftest writes the combined list as its Go struct (`path`, then `contents`), indented
        // with tabs and followed by an empty line.
        let entries: Vec<serde_json::Value> = value
            .as_array()
            .into_iter()
            .flatten()
            .map(|entry| {
                let mut ordered = serde_json::Map::new();
                ordered.insert("path".into(), entry.get("path").cloned().unwrap_or_default());
                let contents = entry.get("contents").cloned().unwrap_or_default();
                ordered.insert("contents".into(), runner::sorted_go_json(&contents));
                serde_json::Value::Object(ordered)
            })
            .collect();
        print(&format!("{}\n\n", runner::encode_go_json(&serde_json::Value::Array(entries), "\t")))?;
        return Ok(Outcome::Clean);
    }
    print(&format!("{}\n", runner::encode_go_json(&runner::sorted_go_json(&value), "  ")))?;
    Ok(Outcome::Clean)
}

/// What the policies printed, on standard error for the formats a program reads (the `stdout`
/// format shows it among its results).
fn print_elsewhere(format: Format, results: &[CheckResult]) {
    if format == Format::Standard {
        return;
    }
    for printed in results.iter().flat_map(|result| &result.prints) {
        eprintln!("{}", printed.trim_end_matches('\n'));
    }
}

fn describe(error: RunError) -> String {
    error.to_string()
}
