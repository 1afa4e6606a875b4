//! Writes the benchmark corpus to a directory, for whole-process timing, and optionally the
//! benchmark's 40 mixed Rego and CEL rules to another:
//! `cargo run --release -p ward-engine --example gen_corpus -- /tmp/ward-corpus 3000 /tmp/ward-rules`
//! then `hyperfine 'ward scan /tmp/ward-corpus --policy /tmp/ward-rules'`.
//! With `--secrets DIR MB [--dense]`, the secret scanner's corpus of about MB megabytes
//! instead, with keywords as dense as in typical code or (`--dense`) on a third of all lines:
//! `hyperfine 'ward scan DIR --pack secrets'`.

// Test, benchmark and example code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../benches/corpus.rs"]
mod corpus;
#[path = "../benches/rules.rs"]
#[allow(dead_code)] // only the mixed set is written
mod rules;
#[path = "../benches/secret_corpus.rs"]
mod secret_corpus;

use std::path::Path;

fn write_all(dir: &Path, files: Vec<(String, String)>) -> std::io::Result<usize> {
    let count = files.len();
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(count)
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().is_some_and(|arg| arg == "--secrets") {
        args.next();
        let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "ward-secret-corpus".into()));
        let megabytes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(64);
        let density = match args.next().as_deref() {
            Some("--dense") => secret_corpus::Density::Dense,
            _ => secret_corpus::Density::Typical,
        };
        let written = write_all(&dir, secret_corpus::secret_corpus(megabytes << 20, density))?;
        println!("wrote {written} files to {}", dir.display());
        return Ok(());
    }
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "ward-corpus".into()));
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(3000);
    let written = write_all(&dir, corpus::corpus(count))?;
    println!("wrote {written} files to {}", dir.display());
    if let Some(rules_dir) = args.next() {
        let rules_dir = std::path::PathBuf::from(rules_dir);
        let written = write_all(&rules_dir, rules::mixed_rules())?;
        println!("wrote {written} rules to {}", rules_dir.display());
    }
    Ok(())
}
