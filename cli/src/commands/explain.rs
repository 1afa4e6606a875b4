//! `ward explain RULE-ID`: a rule's documentation — what it checks, why it matters, how to fix
//! it, a failing and a passing example from its pack's fixtures, references — as Markdown.

use anyhow::Context;
use clap::Args;
use ward_engine::explain_rule;

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
    let Some(doc) = explain_rule(&loaded.policies, &loaded.packs, &args.rule) else {
        super::report_policy_errors(loaded.errors);
        let mut known: Vec<&str> = loaded.policies.rules().map(|(rule, _)| rule.id.as_str()).collect();
        known.sort_unstable();
        // Ids that share the asked-for prefix (`K8S-` for `K8S-0042`), at most a screenful.
        let prefix = args.rule.split_once('-').map_or(args.rule.as_str(), |(prefix, _)| prefix);
        let close: Vec<&str> = known.iter().copied().filter(|id| id.starts_with(prefix)).take(12).collect();
        let hint = if close.is_empty() { String::new() } else { format!("; similar: {}", close.join(", ")) };
        anyhow::bail!("no rule {} among {} rules{hint}; `ward rules` lists them", args.rule, known.len());
    };
    print!("{}", doc.markdown());
    Ok(match super::report_policy_errors(loaded.errors) {
        Outcome::Untrusted => Outcome::Untrusted,
        _ => Outcome::Clean,
    })
}
