//! Mutation tests: every parser, fed mangled versions of real inputs, returns a value or an
//! error and never panics; when it returns a value, every span lies within the text. This is
//! the CI-sized companion of the `cargo fuzz` targets in `fuzz/` (which need a nightly
//! compiler and run for longer by hand).

// Test, benchmark and example code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use proptest::prelude::*;
use support::mutate::{apply, mutation};
use ward_engine::{parse_as, parse_file_as, DocumentKind, Limits};

/// Small inputs that reach each parser's interesting states; fixtures add realistic ones.
fn seeds(kind: DocumentKind) -> Vec<String> {
    let mut seeds: Vec<String> = match kind {
        DocumentKind::Terraform => vec![
            "resource \"a_b\" \"c\" {\n  x = \"${var.y}-z\"\n  n { m = [1, {k = v}] }\n  h = <<-EOT\n    hi\n  EOT\n}\n".into(),
            "locals { a = 1 }\nvariable \"v\" { default = { k = [true] } }\n".into(),
            "{\"resource\": {\"a_b\": {\"c\": {\"x\": \"${var.y}\"}}}}".into(),
            // Regression (cargo fuzz): negating the smallest i64 overflowed.
            "a = -(-9223372036854775808)\nb = [- -9223372036854775808, -(9223372036854775808), -1.5]\n".into(),
        ],
        DocumentKind::Dockerfile => vec![
            "# syntax=docker/dockerfile:1\nARG V=1\nFROM --platform=$P alpine:${V} AS b\nRUN <<EOF\necho hi\nEOF\nCOPY --from=b [\"/a\", \"/b\"]\n".into(),
            "# escape=`\nFROM x\nRUN a `\n  # c\n\n  b\nENV A=1 B=\"2 3\"\n".into(),
        ],
        DocumentKind::Dotenv => vec![
            "export A=1\nB='two'\nC=\"multi\nline\\n\"\n# c\nD=${A} # x\n".into(),
        ],
        DocumentKind::Json => vec!["{\"a\": [1, 2.5, \"x\\u00e9\", {\"b\": null}], \"c\": true}".into()],
        DocumentKind::FeatureFlags => vec![
            "{\"flags\": {\"a\": {\"state\": \"ENABLED\", \"variants\": {\"on\": true}, \"defaultVariant\": \"on\", \"targeting\": {\"fractional\": [[\"on\", 50], [\"off\"]]}}}}".into(),
            "flags:\n  a:\n    created: 2024-02-30\n    environments: {p: {enabled: true, rollout: '101%'}, s: 7}\n".into(),
        ],
        DocumentKind::Migration => vec![
            "CREATE INDEX CONCURRENTLY i ON t (a);\nALTER TABLE \"T\" DROP COLUMN IF EXISTS c, RENAME x TO y;\nSELECT $f$ ; $f$, E'\\'';\n/* /* */ */ -- ward: backup-verified\n".into(),
            "def upgrade():\n    op.drop_column('t', 'c')  # ward: expand-contract\n    op.execute(\"\"\"DROP TABLE x;\"\"\")\n".into(),
            "def change\n  remove_column :t, :c\n  execute <<~SQL\n    TRUNCATE t;\n  SQL\nend\n".into(),
        ],
        DocumentKind::Code => vec![
            "const a = process.env.A ?? 'x'; // process.env.B\nconst b = process.env[`C`];\n/* unterminated".into(),
            "x = os.environ['A']\ny = os.getenv(\"B\", '''\n# not a comment'''\n".into(),
        ],
        _ => vec![
            "a: &x {b: [1, 2]}\nc: *x\nd:\n  <<: *x\n  e: |\n    t\n---\nkind: K\napiVersion: v1\n".into(),
            "- yes\n- 0644\n- 'q'\n- \"e\\n\"\n- ? k\n  : v\n".into(),
        ],
    };
    let dir = support::repo_root().join("testdata/parse").join(kind.name());
    for file in support::files_under(&dir).into_iter().take(6) {
        if let Ok(text) = std::fs::read_to_string(file) {
            seeds.push(text);
        }
    }
    seeds
}

/// Paths that pick each format of the kinds that read the path (the empty path: by content).
fn paths(kind: DocumentKind) -> &'static [&'static str] {
    match kind {
        DocumentKind::Migration => {
            &["", "db/migrations/V1__x.sql", "alembic/versions/1_x.py", "app/migrations/0001_x.py", "db/migrate/1_x.rb"]
        }
        DocumentKind::Code => &["", "a.ts", "a.py", "a.rb", "a.rs", "a.go", "a.php", "a.java"],
        DocumentKind::FeatureFlags => &["flags.yaml", "flags.json"],
        _ => &[""],
    }
}

fn check(kind: DocumentKind, text: &str) {
    for path in paths(kind) {
        if let Ok(parsed) = parse_file_as(path, kind, text, &Limits::default()) {
            for (pointer, span) in parsed.source_map.iter() {
                assert!(
                    span.start <= span.end && span.end <= text.len(),
                    "{kind} ({path}): `{pointer}` span {span:?} outside text of {} bytes",
                    text.len()
                );
            }
        }
    }
}

macro_rules! mutation_test {
    ($name:ident, $kind:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: 384, failure_persistence: None, ..ProptestConfig::default() })]
            #[test]
            fn $name(seed in any::<prop::sample::Index>(), mutations in prop::collection::vec(mutation(), 1..8)) {
                let seeds = seeds($kind);
                let seed_text: &String = seed.get(&seeds);
                let text = apply(seed_text, &mutations);
                check($kind, &text);
            }
        }
    };
}

mutation_test!(terraform_parser_never_panics, DocumentKind::Terraform);
mutation_test!(dockerfile_parser_never_panics, DocumentKind::Dockerfile);
mutation_test!(dotenv_parser_never_panics, DocumentKind::Dotenv);
mutation_test!(yaml_parser_never_panics, DocumentKind::Kubernetes);
mutation_test!(json_parser_never_panics, DocumentKind::Json);
mutation_test!(feature_flags_parser_never_panics, DocumentKind::FeatureFlags);
mutation_test!(migration_parser_never_panics, DocumentKind::Migration);
mutation_test!(code_parser_never_panics, DocumentKind::Code);

/// Inputs built to hit the bounds: each must come back as an error, quickly, not a crash.
#[test]
fn bounds_stop_hostile_inputs() {
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_yaml = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_block_yaml: String = (0..3_000).map(|depth| format!("{}k:\n", " ".repeat(depth))).collect();
    let deep_hcl = format!("a = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let billion_laughs = {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..10 {
            let refs = vec![format!("*a{}", level - 1); 9].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        text
    };
    let cases = [
        (DocumentKind::Json, deep_json),
        (DocumentKind::Yaml, deep_yaml),
        (DocumentKind::Yaml, deep_block_yaml),
        (DocumentKind::Terraform, deep_hcl),
        (DocumentKind::Kubernetes, billion_laughs),
    ];
    for (kind, text) in cases {
        let error = parse_as(kind, &text, &Limits::default()).err();
        assert!(error.is_some(), "{kind}: a hostile input of {} bytes was accepted", text.len());
    }
}

/// Regression: nesting just under the bound parses even on a thread with a tiny stack (the
/// parsers recurse per level; `parse` must provide the stack they need).
#[test]
fn deep_but_legal_inputs_parse_on_a_small_stack() {
    let depth = Limits::default().max_depth - 8;
    let block_yaml: String = (0..depth).map(|level| format!("{}k:\n", "  ".repeat(level))).collect();
    let flow_json = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    // hcl-edit refuses more than 64 levels by itself.
    let nested_hcl = format!("a = {}1{}\n", "[".repeat(60), "]".repeat(60));
    let cases =
        [(DocumentKind::Yaml, block_yaml), (DocumentKind::Json, flow_json), (DocumentKind::Terraform, nested_hcl)];
    let worker = std::thread::Builder::new().stack_size(256 * 1024).spawn(move || {
        cases.iter().map(|(kind, text)| (*kind, parse_as(*kind, text, &Limits::default()).err())).collect::<Vec<_>>()
    });
    let results = worker.expect("thread starts").join().expect("no stack overflow");
    for (kind, error) in results {
        assert!(error.is_none(), "{kind}: {error:?}");
    }
}
