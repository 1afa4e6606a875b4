//! Parsing throughput, files per second per kind, on generated ~2 KB files; and the whole
//! load (discovery, reading, parsing, graph) of the sample repository and of the corpus.

// Test, benchmark and example code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod corpus;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ward_engine::{load, parse_as, DocumentKind, Limits, LoadOptions};

const FILES_PER_KIND: usize = 200;

/// Makes the `i`-th generated file of one kind.
type Generator = fn(usize) -> String;

fn per_kind(c: &mut Criterion) {
    let kinds: [(DocumentKind, Generator); 6] = [
        (DocumentKind::Terraform, corpus::terraform),
        (DocumentKind::Dockerfile, corpus::dockerfile),
        (DocumentKind::Kubernetes, corpus::kubernetes),
        (DocumentKind::Compose, corpus::compose),
        (DocumentKind::GithubWorkflow, corpus::workflow),
        (DocumentKind::Dotenv, corpus::dotenv),
    ];
    let mut group = c.benchmark_group("parse");
    for (kind, make) in kinds {
        let files: Vec<String> = (0..FILES_PER_KIND).map(make).collect();
        let bytes: usize = files.iter().map(String::len).sum();
        group.throughput(Throughput::Elements(files.len() as u64));
        let id = BenchmarkId::new(kind.name(), format!("{} B per file", bytes / files.len()));
        group.bench_with_input(id, &files, |b, files| {
            b.iter(|| {
                for text in files {
                    let _ = black_box(parse_as(kind, text, &Limits::default()));
                }
            })
        });
    }
    group.finish();
}

fn whole_load(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus_dir = std::env::temp_dir().join(format!("ward-bench-corpus-{}", std::process::id()));
    let files = corpus::corpus(3000);
    for (path, text) in &files {
        let path = corpus_dir.join(path);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(path, text);
    }
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("sample repository", |b| {
        b.iter(|| black_box(load(&["testdata/repos/shop".into()], &root, &LoadOptions::default())))
    });
    group.throughput(Throughput::Elements(files.len() as u64));
    group.bench_function("generated corpus of 3000 files", |b| {
        b.iter(|| black_box(load(std::slice::from_ref(&corpus_dir), &root, &LoadOptions::default())))
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&corpus_dir);
}

criterion_group!(benches, per_kind, whole_load);
criterion_main!(benches);
