//! Writes the benchmark corpus to a directory, for whole-process timing:
//! `cargo run --release -p ward-engine --example gen_corpus -- /tmp/ward-corpus 3000`
//! then `hyperfine 'ward parse /tmp/ward-corpus'`.

// Test, benchmark and example code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../benches/corpus.rs"]
mod corpus;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "ward-corpus".into()));
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(3000);
    for (path, text) in corpus::corpus(count) {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    println!("wrote {count} files to {}", dir.display());
    Ok(())
}
