//! conftest's output formats, written exactly as conftest writes them, so a CI script that
//! parses or greps conftest's output reads `ward conftest`'s the same: `stdout` (with its
//! `N tests, N passed, N warnings, N failures, N exceptions` summary), `json`, `tap`, `table`,
//! `junit`, `github`, `azuredevops` and `sarif`. One module per format.

pub(crate) mod azuredevops;
pub(crate) mod github;
pub(crate) mod gojson;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod sarif;
pub(crate) mod standard;
pub(crate) mod table;
pub(crate) mod tap;

use super::check::CheckResult;

/// An output format, by the name `--output` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `stdout`: conftest's human text and its summary line.
    Standard,
    /// `json`.
    Json,
    /// `tap`: the Test Anything Protocol.
    Tap,
    /// `table`.
    Table,
    /// `junit`.
    Junit,
    /// `github`: workflow commands that annotate a pull request.
    Github,
    /// `azuredevops`: Azure Pipelines logging commands.
    AzureDevops,
    /// `sarif`.
    Sarif,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 8] = [
        Format::Standard,
        Format::Json,
        Format::Tap,
        Format::Table,
        Format::Junit,
        Format::Github,
        Format::AzureDevops,
        Format::Sarif,
    ];

    /// The name `--output` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Standard => "stdout",
            Format::Json => "json",
            Format::Tap => "tap",
            Format::Table => "table",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::AzureDevops => "azuredevops",
            Format::Sarif => "sarif",
        }
    }

    /// The format `--output NAME` names.
    ///
    /// ```
    /// use ward_engine::conftest::Format;
    /// assert_eq!(Format::from_name("tap"), Some(Format::Tap));
    /// assert_eq!(Format::from_name("xml"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|format| format.name() == name)
    }
}

/// How to write results.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Colour the standard output's labels and summary (conftest's default; `--no-color`).
    pub color: bool,
    /// Leave exceptions out of the standard output (`--suppress-exceptions`).
    pub suppress_exceptions: bool,
    /// Count skipped tests in the summary (`verify`).
    pub show_skipped: bool,
    /// Print the queries run instead of the results (`--trace`).
    pub trace: bool,
    /// Name JUnit test cases by file only (`--junit-hide-message`).
    pub junit_hide_message: bool,
    /// The tool version SARIF and JUnit name.
    pub version: String,
}

/// `results` in `format`.
pub fn render(format: Format, results: &[CheckResult], options: &Options) -> String {
    match format {
        Format::Standard => standard::render(results, options),
        Format::Json => json::render(results),
        Format::Tap => tap::render(results),
        Format::Table => table::render(results),
        Format::Junit => junit::render(results, options),
        Format::Github => github::render(results),
        Format::AzureDevops => azuredevops::render(results),
        Format::Sarif => sarif::render(results, options),
    }
}

/// `"s"` unless `count` is one.
fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// conftest's summary line: `2 tests, 0 passed, 1 warning, 1 failure, 0 exceptions`.
fn summary(results: &[CheckResult], show_skipped: bool) -> String {
    let sum = |count: fn(&CheckResult) -> usize| results.iter().map(count).sum::<usize>();
    let failures = sum(|r| r.failures.len());
    let warnings = sum(|r| r.warnings.len());
    let exceptions = sum(|r| r.exceptions.len());
    let skipped = sum(|r| r.skipped.len());
    let successes = sum(|r| r.successes);
    let tests = failures + warnings + exceptions + skipped + successes;
    let mut text = format!(
        "{tests} test{}, {successes} passed, {warnings} warning{}, {failures} failure{}, {exceptions} exception{}",
        plural(tests),
        plural(warnings),
        plural(failures),
        plural(exceptions)
    );
    if show_skipped {
        text.push_str(&format!(", {skipped} skipped"));
    }
    text
}

/// The `- file` and `- namespace -` parts of a line, as conftest writes them (`-` alone for
/// standard input).
fn indicators(result: &CheckResult) -> (String, String) {
    let file = match result.filename.as_str() {
        "-" => "-".to_owned(),
        name => format!("- {name}"),
    };
    let namespace = match result.namespace.as_str() {
        "-" => "-".to_owned(),
        name => format!("- {name} -"),
    };
    (file, namespace)
}
