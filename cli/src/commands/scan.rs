//! `ward scan PATH…`: discover, parse, evaluate, report. Exit 0 when nothing reaches the
//! threshold, 1 with findings, 2 when any input, policy or rule could not be used.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, ValueEnum};
use ward_engine::diagnostic::{Diagnostic, Level};
use ward_engine::eval::{evaluate, EvalOptions};
use ward_engine::finding::Severity;
use ward_engine::report::{self, Report};

use super::{PolicyArgs, Project};
use crate::Outcome;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and directories to scan (default: the current directory).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub policies: PolicyArgs,
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Write the report here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Findings below this severity are reported but do not fail the run.
    #[arg(long, value_name = "SEVERITY", default_value = "info", value_parser = parse_severity)]
    pub severity_threshold: Severity,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// How long one rule may run on one resource, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub rule_timeout_ms: u64,
}

fn parse_severity(name: &str) -> Result<Severity, String> {
    name.parse().map_err(|e: ward_engine::finding::UnknownSeverity| e.to_string())
}

pub fn run(args: &ScanArgs) -> anyhow::Result<Outcome> {
    let base = std::env::current_dir().context("cannot read the current directory")?;
    let project = Project::discover(&ward_engine::source::scan_root(&args.paths, &base), &base);
    let loaded_policies = args.policies.load(&base, &project);
    let policies = &loaded_policies.policies;
    let loaded = ward_engine::load(&args.paths, &base, &project.load_options());
    let options =
        EvalOptions { jobs: args.jobs, rule_time_limit: Duration::from_millis(args.rule_timeout_ms), coverage: false };
    let mut evaluation = evaluate(&loaded.graph, policies, &options);
    // A rule that failed at a known place in its file gets a code frame there.
    evaluation.errors = evaluation.errors.into_iter().map(super::with_source_file).collect();
    let mut diagnostics: Vec<Diagnostic> = loaded_policies.errors.into_iter().map(super::policy_diagnostic).collect();
    diagnostics.extend(loaded.diagnostics);
    let report = Report {
        graph: &loaded.graph,
        evaluation: &evaluation,
        diagnostics: &diagnostics,
        rules: policies.rule_count(),
    };
    let text = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&report::json::render(&report))?),
        Format::Human => {
            let color =
                args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let notes: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| d.level == Level::Note).collect();
            let mut text = String::new();
            for note in notes {
                text.push_str(&format!("note: {note}\n"));
            }
            text.push_str(&report::human::render(&report, color));
            text
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, &text).with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes()).context("cannot write to stdout")?;
            stdout.flush().context("cannot write to stdout")?;
        }
    }
    Ok(if report.errors().next().is_some() {
        Outcome::Untrusted
    } else if report.findings_at_or_above(args.severity_threshold).next().is_some() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
