//! Secret-scanner throughput in MB/s over generated corpora of 64 MB (source, YAML, JSON,
//! lockfiles, minified JavaScript) — keywords as dense as in typical code, and a keyword on a
//! third of all lines — on one thread and on two, with every built-in secret rule; and one 1 MB
//! single-line minified file full of keyword hits.

// Benchmark code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod secret_corpus;

use secret_corpus::Density;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ward_engine::{builtin_secret_rules, scan_secrets, SecretScanner};

fn secrets(c: &mut Criterion) {
    let scanner = SecretScanner::new(builtin_secret_rules());
    for (name, density) in [("typical", Density::Typical), ("dense", Density::Dense)] {
        let corpus = secret_corpus::secret_corpus(64 << 20, density);
        let texts: Vec<(&str, &str)> = corpus.iter().map(|(path, text)| (path.as_str(), text.as_str())).collect();
        let bytes: usize = texts.iter().map(|(_, text)| text.len()).sum();
        let found = scan_secrets(&scanner, &texts, 0).findings.len();
        eprintln!("secrets/{name}: {} files, {:.1} MB, {found} findings per scan", texts.len(), bytes as f64 / 1e6);
        let mut group = c.benchmark_group(format!("secrets/corpus-{name}"));
        group.sample_size(10);
        group.throughput(Throughput::Bytes(bytes as u64));
        for jobs in [1, 2] {
            group.bench_function(format!("{jobs} job(s)"), |b| {
                b.iter(|| black_box(scan_secrets(&scanner, &texts, jobs)))
            });
        }
        group.finish();
    }

    let mut line = String::with_capacity(1 << 20);
    while line.len() < (1 << 20) {
        line.push_str("var token=a.token||b;var secret=c.secret;function password(){return\"x\"};");
    }
    let mut group = c.benchmark_group("secrets/minified-line");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(line.len() as u64));
    group.bench_function("1 MB, one line", |b| {
        b.iter(|| black_box(scan_secrets(&scanner, &[("app.min.js", &line)], 1)))
    });
    group.finish();
}

criterion_group!(benches, secrets);
criterion_main!(benches);
