//! Rule evaluation throughput: ward's scheduler over a generated graph (thousands of resources),
//! single-threaded and on all cores. Two rule sets: 40 Rego rules, next to raw regorus running
//! the same rules on the same inputs in the same process; and 40 rules mixing Rego and CEL
//! (the same checks, half in each language). And the real thing: the built-in packs over the
//! real-world corpus (`../shared/corpus/real-world.tar.gz`, or `WARD_CORPUS`), as a whole scan
//! and as the rules alone over its graph.

// Benchmark code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod corpus;
mod rules;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::json;
use ward_engine::{detect_kind, evaluate, parse_text, scan, EvalOptions, Graph, Policies, ScanOptions, Target};

fn graph() -> Graph {
    let documents = corpus::corpus(3000)
        .into_iter()
        .filter_map(|(path, text)| parse_text(&path, detect_kind(&path), text, &Default::default()).ok().flatten())
        .collect();
    Graph::build(documents)
}

fn eval(c: &mut Criterion) {
    let graph = graph();
    let rego = rules::rego_rules();
    let mixed: Vec<(String, String)> = rules::mixed_rules();
    for (name, files) in [("rego", &rego), ("mixed", &mixed)] {
        let (policies, errors) = Policies::compile(files);
        assert!(errors.is_empty(), "{errors:?}");
        let evaluation = evaluate(&graph, &policies, &EvalOptions { jobs: 1, ..EvalOptions::default() });
        assert!(evaluation.errors.is_empty(), "{:?}", evaluation.errors);
        eprintln!(
            "{name}: {} resources, {} rules, {} evaluations and {} findings per scan",
            graph.resources.len(),
            policies.rule_count(),
            evaluation.evaluations,
            evaluation.findings.len()
        );
        let mut group = c.benchmark_group(format!("eval/{name}"));
        group.sample_size(10);
        group.throughput(Throughput::Elements(evaluation.evaluations as u64));
        for jobs in [1, 2] {
            group.bench_function(format!("ward, {jobs} job(s)"), |b| {
                b.iter(|| black_box(evaluate(&graph, &policies, &EvalOptions { jobs, ..EvalOptions::default() })))
            });
        }
        if name == "rego" {
            raw_regorus(&mut group, &graph, &policies, files);
        }
        group.finish();
    }
}

/// Raw regorus: one engine, the same modules and data, set_input + eval_rule per (resource,
/// rule), no findings made. The ceiling ward's scheduling is measured against.
fn raw_regorus(
    group: &mut criterion::BenchmarkGroup<criterion::measurement::WallTime>,
    graph: &Graph,
    policies: &Policies,
    modules: &[(String, String)],
) {
    let mut raw = regorus::Engine::new();
    for (path, text) in modules {
        raw.add_policy(path.clone(), text.clone()).unwrap();
    }
    raw.add_data(regorus::Value::from(json!({"ward": {"graph": graph.to_json(false)}}))).unwrap();
    let json_inputs: Vec<serde_json::Value> = graph
        .resources
        .iter()
        .map(|resource| json!({"object": resource.value, "meta": {"id": resource.id, "name": resource.name}, "params": {}}))
        .collect();
    let inputs: Vec<(regorus::Value, Vec<String>)> = graph
        .resources
        .iter()
        .zip(&json_inputs)
        .map(|(resource, input)| {
            let input = input.clone();
            let entrypoints: Vec<String> = policies
                .rego
                .rules
                .iter()
                .filter(|rule| rule.metadata.kinds.contains(&resource.kind))
                .map(|rule| format!("{}.deny", rule.package))
                .collect();
            (regorus::Value::from(input), entrypoints)
        })
        .collect();
    let run = |engine: &mut regorus::Engine, inputs: &[(regorus::Value, Vec<String>)]| {
        for (input, entrypoints) in inputs {
            engine.set_input(input.clone());
            for entrypoint in entrypoints {
                black_box(engine.eval_rule(entrypoint.clone()).ok());
            }
        }
    };
    group.bench_function("raw regorus, 1 thread", |b| b.iter(|| run(&mut raw, &inputs)));
    // What a program using regorus directly pays with JSON inputs: each converted as it is set.
    group.bench_function("raw regorus, 1 thread, converting each JSON input", |b| {
        b.iter(|| {
            for ((_, entrypoints), input) in inputs.iter().zip(&json_inputs) {
                raw.set_input(regorus::Value::from(input.clone()));
                for entrypoint in entrypoints {
                    black_box(raw.eval_rule(entrypoint.clone()).ok());
                }
            }
        })
    });
    // The ceiling of scaling on this machine: the inputs split between two threads, each with
    // its own clone of the engine, nothing shared.
    group.bench_function("raw regorus, 2 threads", |b| {
        b.iter(|| {
            let (first, second) = inputs.split_at(inputs.len() / 2);
            std::thread::scope(|scope| {
                for half in [first, second] {
                    let mut engine = raw.clone();
                    scope.spawn(move || run(&mut engine, half));
                }
            });
        })
    });
}

/// The built-in packs over the real-world corpus, unpacked into a scratch directory: the whole
/// scan (read, parse, graph, rules, secrets), and the rules alone over the scan's graph.
fn real_corpus(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tarball = std::env::var_os("WARD_CORPUS")
        .map_or_else(|| root.join("shared/corpus/real-world.tar.gz"), std::path::PathBuf::from);
    let Ok(file) = std::fs::File::open(&tarball) else {
        eprintln!("eval/real-corpus: no corpus at {} (set WARD_CORPUS): not run", tarball.display());
        return;
    };
    let dir = std::env::temp_dir().join(format!("ward-bench-corpus-{}", std::process::id()));
    tar::Archive::new(flate2::read::GzDecoder::new(file)).unpack(&dir).unwrap();
    let target = Target::Paths { paths: vec![".".into()], base: dir.clone() };
    let mut policies = ward_engine::load_builtin_policies().policies;
    let options = |jobs| ScanOptions { eval: EvalOptions { jobs, ..EvalOptions::default() }, ..ScanOptions::default() };
    let first = scan(&target, &policies, &options(2));
    eprintln!(
        "eval/real-corpus: {} files, {} resources, {} evaluations, {} findings, {} errors",
        first.loaded.graph.documents.len(),
        first.loaded.graph.resources.len(),
        first.evaluation.evaluations,
        first.evaluation.findings.len(),
        first.evaluation.errors.len()
    );
    let mut group = c.benchmark_group("eval/real-corpus");
    group.sample_size(10);
    group.bench_function("whole scan, built-in packs, 2 jobs", |b| {
        b.iter(|| black_box(scan(&target, &policies, &options(2))))
    });
    assert!(policies.compile_deferred(None).is_empty());
    group.throughput(Throughput::Elements(first.evaluation.evaluations as u64));
    for jobs in [1, 2] {
        group.bench_function(format!("rules only, {jobs} job(s)"), |b| {
            b.iter(|| {
                black_box(evaluate(&first.loaded.graph, &policies, &EvalOptions { jobs, ..EvalOptions::default() }))
            })
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, eval, real_corpus);
criterion_main!(benches);
