//! `ward explain RULE-ID`: a rule's documentation — what it checks, why it matters, how to fix
//! it, a failing and a passing example from its pack's fixtures, references — as Markdown.

use anyhow::Context;
use clap::Args;
use ward_engine::policy::explain;

use super::PolicyArgs;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule's id, as findings and `ward rules` show it.
    pub rule: String,
    #[command(flatten)]
    pub policies: PolicyArgs,
}

pub fn run(args: &ExplainArgs) -> anyhow::Result<Outcome> {
    let base = std::env::current_dir().context("cannot read the current directory")?;
    let loaded = args.policies.load(&base, &super::Project::discover(&base, &base));
    let Some(doc) = explain::document(&loaded.policies, &loaded.packs, &args.rule) else {
        super::report_policy_errors(loaded.errors);
        let mut known: Vec<&str> = loaded.policies.rules().map(|(rule, _)| rule.id.as_str()).collect();
        known.sort_unstable();
        anyhow::bail!(
            "no rule {} among {} rules ({}); `ward rules` lists them",
            args.rule,
            known.len(),
            known.join(", ")
        );
    };
    print!("{}", doc.markdown());
    Ok(match super::report_policy_errors(loaded.errors) {
        Outcome::Untrusted => Outcome::Untrusted,
        _ => Outcome::Clean,
    })
}
