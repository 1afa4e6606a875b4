//! `ward report FILE.json`: a JSON report saved by `ward scan --format json`, rendered again in
//! any format (`--format sarif:ward.sarif --format markdown:audit.md`), exactly as the scan
//! would have written it. The exit code follows the report, as `ward scan`'s does.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use ward_engine::report::ReportData;

use crate::output::OutputArgs;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A JSON report, as `ward scan --format json` writes it.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: &ReportArgs) -> anyhow::Result<Outcome> {
    let targets = args.output.targets()?;
    let shown = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {shown}"))?;
    let data = ReportData::from_json(&shown, &text).map_err(|error| anyhow::anyhow!("{error}"))?;
    args.output.write(&targets, &data)?;
    Ok(args.output.outcome(&data))
}
