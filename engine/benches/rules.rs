//! The generated rule sets of the evaluation benchmark (and of `gen_corpus`, for timing whole
//! scans): typical checks over the corpus's kinds, in Rego and in CEL.

/// 40 Rego rules, a few per kind, each a typical shape: iterate a list, compare a field, build
/// a message with a path.
pub(crate) fn rego_rules() -> Vec<(String, String)> {
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

/// The checks of [`rego_rules`] written in CEL, 40 of them.
pub(crate) fn cel_rules() -> Vec<(String, String)> {
    let templates: [(&str, &str); 5] = [
        ("kubernetes", "  - forEach: object.spec.template.spec.containers\n    expression: has(element.readinessProbe)\n    messageExpression: \"element.name + ': no probe N'\""),
        ("terraform", "  - expression: \"!has(object.config.deletion_protection) || object.config.deletion_protection != false\"\n    messageExpression: \"meta.id + ' unprotected N'\"\n    path: config.deletion_protection"),
        ("dockerfile", "  - forEach: object.stages\n    expression: \"!has(element.from.tag) || element.from.tag != 'latest'\"\n    messageExpression: \"'stage ' + string(index) + ' latest N'\"\n    path: from"),
        ("compose", "  - expression: has(object.healthcheck)\n    messageExpression: \"meta.name + ' has no healthcheck N'\""),
        ("dotenv", "  - forEach: object.entries\n    expression: element.key != 'DEBUG'\n    message: debug N"),
    ];
    (0..40)
        .map(|n| {
            let (kind, validation) = templates[n % templates.len()];
            let validation = validation.replace('N', &n.to_string());
            let text = format!(
                "id: CEL-{n:03}\ntitle: bench {n}\nseverity: low\nkinds: [{kind}]\nvalidations:\n{validation}\n"
            );
            (format!("rules/c{n}.cel.yaml"), text)
        })
        .collect()
}

/// 40 rules, half Rego and half CEL, each kind checked in both languages.
pub(crate) fn mixed_rules() -> Vec<(String, String)> {
    rego_rules().into_iter().take(20).chain(cel_rules().into_iter().skip(20)).collect()
}
