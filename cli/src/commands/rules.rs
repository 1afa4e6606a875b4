//! `ward rules`: the rules a scan would run — id, severity, kinds, pack@version, title — in id
//! order, as a table or as JSON.

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde_json::json;

use super::PolicyArgs;
use crate::Outcome;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub policies: PolicyArgs,
    #[arg(long, value_enum, default_value = "human")]
    pub format: ListFormat,
}

pub fn run(args: &RulesArgs) -> anyhow::Result<Outcome> {
    let base = std::env::current_dir().context("cannot read the current directory")?;
    let loaded = args.policies.load(&base, &super::Project::discover(&base, &base));
    let mut rules: Vec<_> = loaded.policies.rules().collect();
    rules.sort_by(|a, b| (&a.0.id, a.1).cmp(&(&b.0.id, b.1)));
    let rows: Vec<[String; 5]> = rules
        .iter()
        .map(|(rule, _)| {
            let kinds = if rule.kinds.is_empty() {
                "*".to_owned()
            } else {
                rule.kinds.iter().map(|kind| kind.name()).collect::<Vec<_>>().join(",")
            };
            [
                rule.id.clone(),
                rule.severity.name().to_owned(),
                kinds,
                rule.pack.as_ref().map_or_else(|| "-".into(), ToString::to_string),
                rule.title.clone(),
            ]
        })
        .collect();
    let text = match args.format {
        ListFormat::Json => {
            let list: Vec<_> = rules
                .iter()
                .map(|(rule, path)| {
                    json!({
                        "id": rule.id,
                        "severity": rule.severity.name(),
                        "kinds": rule.kinds.iter().map(|kind| kind.name()).collect::<Vec<_>>(),
                        "scope": rule.scope,
                        "pack": rule.pack,
                        "title": rule.title,
                        "path": path,
                    })
                })
                .collect();
            format!("{}\n", serde_json::to_string_pretty(&list)?)
        }
        ListFormat::Human => table(&["ID", "SEVERITY", "KINDS", "PACK", "TITLE"], &rows),
    };
    print!("{text}");
    Ok(super::report_policy_errors(loaded.errors))
}

/// Columns padded to their widest cell; the last column is not padded.
fn table(header: &[&str; 5], rows: &[[String; 5]]) -> String {
    let mut widths = header.map(str::len);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    let header = header.map(str::to_owned);
    for row in std::iter::once(&header).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(index, (cell, width))| if index + 1 == row.len() { cell.clone() } else { format!("{cell:<width$}") })
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}
