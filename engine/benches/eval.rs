//! Rule evaluation throughput: ward's scheduler over a generated graph (thousands of resources,
//! 40 Rego rules across kinds), single-threaded and on all cores, next to raw regorus running
//! the same rules on the same inputs in the same process.

// Benchmark code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod corpus;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::json;
use ward_engine::eval::{evaluate, EvalOptions};
use ward_engine::graph::Graph;
use ward_engine::load::parse_text;
use ward_engine::policy::rego::RegoPolicies;
use ward_engine::policy::Policies;
use ward_engine::source::detect_kind;

/// 40 rules, a few per kind, each a typical shape: iterate a list, compare a field, build a
/// message with a path.
fn rules() -> Vec<(String, String)> {
    let templates: [(&str, &str); 5] = [
        ("kubernetes", "some i, c in input.object.spec.template.spec.containers\n  not c.readinessProbe\n  r := {\"msg\": sprintf(\"%s: no probe %d\", [c.name, N]), \"path\": [\"spec\", \"template\", \"spec\", \"containers\", i]}"),
        ("terraform", "input.object.config.deletion_protection == false\n  r := {\"msg\": sprintf(\"%s unprotected %d\", [input.meta.id, N]), \"path\": [\"config\", \"deletion_protection\"]}"),
        ("dockerfile", "some i, stage in input.object.stages\n  stage.from.tag == \"latest\"\n  r := {\"msg\": sprintf(\"stage %d latest %d\", [i, N]), \"path\": [\"stages\", i, \"from\"]}"),
        ("compose", "not input.object.healthcheck\n  r := sprintf(\"%s has no healthcheck %d\", [input.meta.name, N])"),
        ("dotenv", "some i, e in input.object.entries\n  e.key == \"DEBUG\"\n  r := {\"msg\": sprintf(\"debug %d\", [N]), \"path\": [\"entries\", i]}"),
    ];
    (0..40)
        .map(|n| {
            let (kind, body) = templates[n % templates.len()];
            let body = body.replace('N', &n.to_string());
            let text = format!(
                "# METADATA\n# title: bench {n}\n# custom:\n#   id: BENCH-{n:03}\n#   severity: low\n#   kinds: [{kind}]\npackage ward.bench.r{n}\n\nimport rego.v1\n\ndeny contains r if {{\n  {body}\n}}\n"
            );
            (format!("rules/r{n}.rego"), text)
        })
        .collect()
}

fn graph() -> Graph {
    let documents = corpus::corpus(3000)
        .into_iter()
        .filter_map(|(path, text)| parse_text(&path, detect_kind(&path), text, &Default::default()).ok().flatten())
        .collect();
    Graph::build(documents)
}

fn eval(c: &mut Criterion) {
    let graph = graph();
    let (rego, errors) = RegoPolicies::load(&rules());
    assert!(errors.is_empty(), "{errors:?}");
    let policies = Policies { rego: rego.clone() };
    let evaluations = evaluate(&graph, &policies, &EvalOptions { jobs: 1, ..EvalOptions::default() }).evaluations;
    eprintln!(
        "{} resources, {} rules, {} evaluations per scan",
        graph.resources.len(),
        policies.rule_count(),
        evaluations
    );

    let mut group = c.benchmark_group("eval");
    group.sample_size(10);
    group.throughput(Throughput::Elements(evaluations as u64));
    for jobs in [1, 2] {
        group.bench_function(format!("ward, {jobs} job(s)"), |b| {
            b.iter(|| black_box(evaluate(&graph, &policies, &EvalOptions { jobs, ..EvalOptions::default() })))
        });
    }
    // Raw regorus: one engine, the same modules and data, set_input + eval_rule per
    // (resource, rule), no findings made. The ceiling ward's scheduling is measured against.
    let modules = rules();
    let mut raw = regorus::Engine::new();
    for (path, text) in &modules {
        raw.add_policy(path.clone(), text.clone()).unwrap();
    }
    raw.add_data(regorus::Value::from(json!({"ward": {"graph": graph.to_json(false)}}))).unwrap();
    let inputs: Vec<(regorus::Value, Vec<String>)> = graph
        .resources
        .iter()
        .map(|resource| {
            let input =
                json!({"object": resource.value, "meta": {"id": resource.id, "name": resource.name}, "params": {}});
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
    group.bench_function("raw regorus, 1 thread", |b| {
        b.iter(|| {
            for (input, entrypoints) in &inputs {
                raw.set_input(input.clone());
                for entrypoint in entrypoints {
                    black_box(raw.eval_rule(entrypoint.clone()).ok());
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, eval);
criterion_main!(benches);
