//! Where reports go: `--format FORMAT[:FILE]` (repeatable, so one run writes several reports),
//! `--output FILE` for a single report, and the exit code a report's findings give — shared by
//! `ward scan` and `ward report`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use ward_engine::report::{self, ReportData, ReportFormat};
use ward_engine::{Severity, UnknownSeverity};

use crate::Outcome;

/// One report to write: its format, and its file (standard output without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: ReportFormat,
    pub file: Option<PathBuf>,
}

/// `sarif`, `sarif:out.sarif`. Only a known format name before the first `:` splits, so a
/// Windows path stays whole.
fn parse_output(text: &str) -> Result<OutputSpec, String> {
    let (name, file) = match text.split_once(':') {
        Some((name, file)) if ReportFormat::from_name(name).is_some() => (name, Some(file)),
        _ => (text, None),
    };
    let format = ReportFormat::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = ReportFormat::ALL.iter().map(|format| format.name()).collect();
        let shown = name.split(':').next().unwrap_or(name);
        format!("unknown format `{shown}`; expected one of {}, optionally with `:FILE`", names.join(", "))
    })?;
    match file {
        Some("") => Err(format!("`{name}:` names no file; write `{name}:FILE`, or `{name}` for standard output")),
        file => Ok(OutputSpec { format, file: file.map(PathBuf::from) }),
    }
}

pub(crate) fn parse_severity(name: &str) -> Result<Severity, String> {
    name.parse().map_err(|e: UnknownSeverity| e.to_string())
}

/// How to report, and what fails the run.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// The report's format: human, json, sarif, junit, github or markdown, optionally with a
    /// file to write it to (`sarif:ward.sarif`). Repeatable, for several reports from one run;
    /// at most one without a file, which goes to standard output.
    #[arg(long = "format", value_name = "FORMAT[:FILE]", default_value = "human", value_parser = parse_output)]
    pub formats: Vec<OutputSpec>,
    /// Write the report here instead of standard output (with one `--format` that names no file).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Findings below this severity are reported but do not fail the run.
    #[arg(long, value_name = "SEVERITY", default_value = "info", value_parser = parse_severity)]
    pub severity_threshold: Severity,
}

impl OutputArgs {
    /// Each report with where it goes, or why these arguments do not say: checked before any
    /// work is done.
    pub fn targets(&self) -> anyhow::Result<Vec<OutputSpec>> {
        let mut targets = self.formats.clone();
        if let Some(output) = &self.output {
            match targets.as_mut_slice() {
                [single] if single.file.is_none() => single.file = Some(output.clone()),
                _ => anyhow::bail!(
                    "--output names the file of a single report; with several --format, give each its file: `--format sarif:ward.sarif`"
                ),
            }
        }
        let to_stdout: Vec<&str> =
            targets.iter().filter(|target| target.file.is_none()).map(|target| target.format.name()).collect();
        if to_stdout.len() > 1 {
            anyhow::bail!(
                "{} reports ({}) would go to standard output; give all but one a file: `--format {}:FILE`",
                to_stdout.len(),
                to_stdout.join(", "),
                to_stdout.last().copied().unwrap_or("json")
            );
        }
        Ok(targets)
    }

    /// Renders `data` in every format asked for and writes each where it goes, files first.
    pub fn write(&self, targets: &[OutputSpec], data: &ReportData) -> anyhow::Result<()> {
        let mut ordered: Vec<&OutputSpec> = targets.iter().collect();
        ordered.sort_by_key(|target| target.file.is_none());
        for target in ordered {
            let color = target.file.is_none()
                && target.format == ReportFormat::Human
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none();
            let text = report::render(data, target.format, color)?;
            match &target.file {
                Some(path) => {
                    std::fs::write(path, &text).with_context(|| format!("cannot write {}", path.display()))?
                }
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout.write_all(text.as_bytes()).context("cannot write to stdout")?;
                    stdout.flush().context("cannot write to stdout")?;
                }
            }
        }
        Ok(())
    }

    /// What the report concludes: untrusted with any problem, findings at or above the
    /// threshold, or clean.
    pub fn outcome(&self, data: &ReportData) -> Outcome {
        if data.has_errors() {
            Outcome::Untrusted
        } else if data.findings_at_or_above(self.severity_threshold).next().is_some() {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_may_name_its_file_and_only_a_format_name_splits() {
        let parsed = |text: &str| parse_output(text).map(|spec| (spec.format, spec.file));
        assert_eq!(parsed("sarif"), Ok((ReportFormat::Sarif, None)));
        assert_eq!(parsed("sarif:out/ward.sarif"), Ok((ReportFormat::Sarif, Some(PathBuf::from("out/ward.sarif")))));
        assert_eq!(
            parsed("junit:C:\\ci\\ward.xml"),
            Ok((ReportFormat::Junit, Some(PathBuf::from("C:\\ci\\ward.xml"))))
        );
        assert!(parsed("xml").unwrap_err().contains("unknown format `xml`"));
        assert!(parsed("C:\\report.json").is_err());
        assert!(parsed("json:").unwrap_err().contains("names no file"));
    }
}
