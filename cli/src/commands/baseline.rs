//! `ward baseline create [PATH…]`: records the findings a scan reports today, by fingerprint,
//! so that `ward scan --baseline FILE` (or `baseline = "…"` in ward.toml) fails only on new ones.
//! Fingerprints do not depend on line numbers, so moving code keeps a finding baselined.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use ward_engine::{Baseline, Suppression};

use super::scan::Selection;
use crate::{render, Outcome};

/// The file `ward baseline create` writes when neither `--output` nor ward.toml names one.
const DEFAULT_FILE: &str = "ward-baseline.json";

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(subcommand)]
    pub command: BaselineCommand,
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan, and write the fingerprints of every finding to a baseline file.
    Create(CreateArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Where to write it (default: ward.toml's `baseline`, else ward-baseline.json).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &BaselineArgs) -> anyhow::Result<Outcome> {
    let BaselineCommand::Create(args) = &args.command;
    let scanned = args.selection.scan()?;
    let report = scanned.report();
    let errors: Vec<_> = report.errors().cloned().collect();
    if !errors.is_empty() {
        render::diagnostics(&errors);
        eprintln!("error: no baseline written: a run with errors cannot tell what the findings are");
        return Ok(Outcome::Untrusted);
    }
    // What a previous baseline suppressed is still there: keep it recorded.
    let mut findings = scanned.scan.evaluation.findings.clone();
    findings
        .extend(scanned.scan.suppressed.iter().filter(|s| s.by == Suppression::Baseline).map(|s| s.finding.clone()));
    let output = match &args.output {
        Some(output) => output.clone(),
        None => {
            let base = std::env::current_dir().context("cannot read the current directory")?;
            let root = ward_engine::scan_root(&args.selection.paths, &base);
            let project = super::Project::discover(&root, &base);
            project.baseline_file(None).unwrap_or_else(|| PathBuf::from(DEFAULT_FILE))
        }
    };
    let text = format!("{}\n", serde_json::to_string_pretty(&Baseline::render(&findings))?);
    std::fs::write(&output, text).with_context(|| format!("cannot write {}", output.display()))?;
    println!("{}: {} findings recorded", output.display(), Baseline::of(&findings).len());
    Ok(Outcome::Clean)
}
