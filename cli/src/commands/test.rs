//! `ward test [PACK…]`: runs packs' fixtures and Rego `test_` rules (the built-in packs when no
//! pack is named). Prints counts per pack and, for each failure, what differs; `--coverage` adds
//! the Rego lines the tests ran. Exit 1 when a test fails, 2 when a pack cannot be loaded.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use ward_engine::{builtin_packs, run_pack_tests, Pack};

use crate::Outcome;

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Packs: directories with a `pack.toml`, or `.tar.gz` archives; default: the built-in packs.
    pub packs: Vec<PathBuf>,
    /// Report which Rego lines of each pack the tests ran.
    #[arg(long)]
    pub coverage: bool,
}

pub fn run(args: &TestArgs) -> anyhow::Result<Outcome> {
    let base = std::env::current_dir().context("cannot read the current directory")?;
    let (packs, errors) = if args.packs.is_empty() {
        builtin_packs()
    } else {
        let mut packs: Vec<Pack> = Vec::new();
        let mut errors = Vec::new();
        for path in &args.packs {
            let shown = path.to_string_lossy().replace('\\', "/");
            match Pack::read(&base.join(path), shown.trim_end_matches('/')) {
                Ok(pack) => packs.push(pack),
                Err(error) => errors.push(error),
            }
        }
        (packs, errors)
    };
    let mut text = String::new();
    let mut failed = false;
    for pack in &packs {
        let report = run_pack_tests(pack, args.coverage);
        failed |= !report.failures.is_empty();
        for failure in &report.failures {
            text.push_str(&format!("FAIL {} {}\n", report.pack, failure.test));
            for line in failure.detail.lines() {
                text.push_str(&format!("  {line}\n"));
            }
        }
        text.push_str(&format!("{}: {} passed, {} failed\n", report.pack, report.passed.len(), report.failures.len()));
        for file in &report.coverage {
            let total = file.covered.len() + file.uncovered.len();
            let percent = if total == 0 { 100.0 } else { file.covered.len() as f64 * 100.0 / total as f64 };
            let missed: Vec<String> = file.uncovered.iter().map(ToString::to_string).collect();
            text.push_str(&format!("  coverage {}: {}/{total} lines ({percent:.0}%)", file.path, file.covered.len()));
            if !missed.is_empty() {
                text.push_str(&format!(", not run: {}", missed.join(", ")));
            }
            text.push('\n');
        }
    }
    print!("{text}");
    Ok(match super::report_policy_errors(errors) {
        Outcome::Untrusted => Outcome::Untrusted,
        _ if failed => Outcome::Findings,
        _ => Outcome::Clean,
    })
}
