//! `ward scan PATH…`: discover, parse, evaluate, scan for secrets, suppress, report — or, with
//! `--staged` / `--diff REV`, the same over what a commit or a pull request adds. Exit 0 when
//! nothing reaches the threshold, 1 with findings, 2 when any input, policy or rule could not
//! be used.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use ward_engine::report::{Report, ReportData, RuleInfo};
use ward_engine::{
    prepare_scan, render_profile, render_stages, scan_root, Diagnostic, EvalOptions, GitChange, Project, Scan,
    ScanOptions, Target, DEFAULT_RULE_MEMORY_LIMIT,
};

use super::PolicyArgs;
use crate::output::OutputArgs;
use crate::progress::Progress;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub output: OutputArgs,
    /// After the report, print what each rule cost (time, evaluations, findings, slowest
    /// resource) on standard error, costliest first; the JSON report carries it as `profile`.
    #[arg(long)]
    pub profile: bool,
}

/// What to scan and with what: shared by `ward scan` and `ward baseline create`.
#[derive(Debug, Args)]
pub struct Selection {
    /// Files and directories to scan (default: the current directory). With `--staged` or
    /// `--diff`, at most one directory: the part of the repository to look at.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub policies: PolicyArgs,
    /// Only the rules of this pack (repeatable), e.g. `--pack secrets` for a secrets-only hook.
    #[arg(long = "pack", value_name = "NAME")]
    pub packs: Vec<String>,
    /// Scan what is staged for the next commit (the git index), not the working tree: findings
    /// in the staged files, secrets only on the lines the commit adds.
    #[arg(long, conflicts_with = "diff")]
    pub staged: bool,
    /// Scan what a revision range adds (`main`, `A..B`, `A...B`; `REV` means `REV...HEAD`),
    /// read from git: findings in the changed files, secrets only on added lines.
    #[arg(long, value_name = "REV")]
    pub diff: Option<String>,
    /// Scan the repository's history for secrets: every line each commit added, read from one
    /// `git log -p` stream — the history of `HEAD`, or of a range (`--history=main..HEAD`,
    /// `--history=--all`). Each secret is reported once, at the commit, path and line that first
    /// added it (the last commit and how many commits carried it are in the report's details).
    /// Only the secret rules run.
    #[arg(long, value_name = "REV-RANGE", num_args = 0..=1, require_equals = true, allow_hyphen_values = true, default_missing_value = "", conflicts_with_all = ["staged", "diff"])]
    pub history: Option<String>,
    /// Suppress the findings recorded in this baseline file (`ward baseline create`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// How long one rule may run on one resource, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub rule_timeout_ms: u64,
    /// How much memory one rule may take on one resource, in MB (0: no limit). A rule that
    /// takes more is stopped and reported; the other rules still run.
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_RULE_MEMORY_LIMIT / (1024 * 1024))]
    pub rule_memory_mb: u64,
}

/// A scan, and what is needed to report it.
pub struct Scanned {
    pub scan: Scan,
    /// Policy, configuration and input problems, redacted.
    pub diagnostics: Vec<Diagnostic>,
    /// Every rule that ran, documented.
    pub rules: Vec<RuleInfo>,
}

impl Selection {
    /// Runs the scan this selection describes, with a progress line on a terminal when it
    /// takes a while.
    pub fn scan(&self) -> anyhow::Result<Scanned> {
        self.scan_profiled(false)
    }

    /// [`Selection::scan`], timing each rule when `profile` is set.
    pub fn scan_profiled(&self, profile: bool) -> anyhow::Result<Scanned> {
        let progress = Progress::start();
        let scanned = self.scan_with(&progress, profile);
        progress.finish();
        scanned
    }

    fn scan_with(&self, progress: &Progress, profile: bool) -> anyhow::Result<Scanned> {
        progress.message("compiling policies");
        let base = std::env::current_dir().context("cannot read the current directory")?;
        let root = scan_root(&self.paths, &base);
        let project = Project::discover(&root, &base);
        let target = match (self.staged, &self.diff) {
            _ if self.history.is_some() => {
                if self.paths.len() > 1 || self.paths.first().is_some_and(|path| !base.join(path).is_dir()) {
                    anyhow::bail!("with --history, name at most one directory: the part of the repository to scan");
                }
                let range = self.history.clone().filter(|range| !range.is_empty());
                Target::History { root: root.clone(), range }
            }
            (false, None) => Target::Paths { paths: self.paths.clone(), base: base.clone() },
            (staged, diff) => {
                if self.paths.len() > 1 || self.paths.first().is_some_and(|path| !base.join(path).is_dir()) {
                    anyhow::bail!(
                        "with --staged or --diff, name at most one directory: the part of the repository to scan"
                    );
                }
                let change =
                    if staged { GitChange::Staged } else { GitChange::Range(diff.clone().unwrap_or_default()) };
                Target::Change { root: root.clone(), change }
            }
        };
        // Reading a change from git starts now and runs while the policies compile.
        let prepared = prepare_scan(target);
        let active = project.policies(&self.policies.choice(&base, &self.packs));
        let (loaded_policies, mut diagnostics) = (active.loaded, active.diagnostics);
        let policies = &loaded_policies.policies;
        let (suppressions, baseline_problem) = project.suppressions(self.baseline.as_deref());
        diagnostics.extend(baseline_problem);
        let options = ScanOptions {
            load: project.load_options(),
            eval: EvalOptions {
                jobs: self.jobs,
                rule_time_limit: Duration::from_millis(self.rule_timeout_ms),
                rule_memory_limit: (self.rule_memory_mb > 0).then(|| self.rule_memory_mb.saturating_mul(1024 * 1024)),
                coverage: false,
                profile,
            },
            suppressions,
        };
        let mut scan = prepared.run_with_progress(policies, &options, &|stage| progress.stage(stage));
        let mut all: Vec<Diagnostic> = loaded_policies.errors;
        all.extend(diagnostics);
        all.append(&mut scan.loaded.diagnostics);
        let rules = ward_engine::report::rule_catalog(policies, &loaded_policies.packs);
        Ok(Scanned { rules, diagnostics: all, scan })
    }
}

impl Scanned {
    pub fn report(&self) -> Report<'_> {
        Report {
            graph: &self.scan.loaded.graph,
            texts: &self.scan.loaded.texts,
            files_read: self.scan.loaded.files_read(),
            evaluation: &self.scan.evaluation,
            suppressed: &self.scan.suppressed,
            diagnostics: &self.diagnostics,
            rules: &self.rules,
            redactor: &self.scan.redactor,
        }
    }
}

pub fn run(args: &ScanArgs) -> anyhow::Result<Outcome> {
    // Where the reports go is checked first: a mistake there should not cost a scan.
    let targets = args.output.targets()?;
    let scanned = args.selection.scan_profiled(args.profile)?;
    let data = ReportData::new(&scanned.report());
    args.output.write(&targets, &data)?;
    if let Some(profile) = &data.profile {
        // On standard error, so that a report on standard output stays what its format says.
        eprint!("{}", render_profile(profile));
    }
    if let Some(stages) = &data.stages {
        eprint!("\n{}", render_stages(stages));
    }
    Ok(args.output.outcome(&data))
}
