//! `ward parse PATH…`: the document graph as JSON on stdout, problems on stderr.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use ward_engine::{builtin_secret_rules, scan_secrets, DocumentKind, LoadOptions, SecretScanner};

use crate::{render, Outcome};

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files and directories to read (default: the current directory). A single directory is
    /// the root that paths in the output are relative to.
    pub paths: Vec<PathBuf>,
    /// Only documents and resources of this kind (repeatable): terraform, dockerfile,
    /// kubernetes, compose, github-workflow, dotenv, yaml, json, feature-flags, migration, code.
    #[arg(long = "kind", value_name = "KIND", value_parser = parse_kind)]
    pub kinds: Vec<DocumentKind>,
    /// Include each document's source map (JSON pointer -> [line, column, end line, end column]).
    #[arg(long)]
    pub source_map: bool,
}

fn parse_kind(name: &str) -> Result<DocumentKind, String> {
    DocumentKind::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = DocumentKind::ALL.iter().map(|kind| kind.name()).collect();
        format!("unknown kind `{name}`; expected one of {}", names.join(", "))
    })
}

pub fn run(args: &ParseArgs) -> anyhow::Result<Outcome> {
    let base = std::env::current_dir().context("cannot read the current directory")?;
    let mut loaded = ward_engine::load(&args.paths, &base, &LoadOptions::default());
    if !args.kinds.is_empty() {
        loaded.graph = loaded.graph.only_kinds(&args.kinds);
    }
    // The graph holds the files' values: a secret in them is printed redacted, as everywhere.
    let scanner = SecretScanner::new(builtin_secret_rules());
    let redactor = scan_secrets(&scanner, &loaded.all_texts(), 0).redactor;
    let mut graph =
        serde_json::to_value(loaded.graph.serializable(args.source_map)).context("cannot render the graph")?;
    redactor.redact_json(&mut graph);
    for diagnostic in &mut loaded.diagnostics {
        redactor.redact_diagnostic(diagnostic);
    }
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut stdout, &graph).context("cannot write to stdout")?;
    writeln!(stdout).context("cannot write to stdout")?;
    stdout.flush().context("cannot write to stdout")?;
    render::diagnostics(&loaded.diagnostics);
    Ok(if loaded.has_errors() { Outcome::Untrusted } else { Outcome::Clean })
}
