//! Time from a `didChange` to the diagnostics it causes being published, through the whole
//! server (in memory): a 500-line Rego policy (compiled with its pack and checked) and a
//! 500-line Kubernetes manifest (evaluated with the built-in packs). The target is 50 ms.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::Url;
use serde_json::{json, Value};

/// A rule module of exactly `lines` lines: metadata, one `deny`, and helper functions.
fn policy(lines: usize) -> String {
    let mut text = String::from(
        "# METADATA\n# title: Containers are checked\n# custom:\n#   id: BENCH-001\n#   severity: low\n#   kinds: [kubernetes]\npackage ward.bench\n\nimport rego.v1\n\ndeny contains msg if {\n\tsome c in input.object.spec.template.spec.containers\n\tcheck_0(c)\n\tmsg := sprintf(\"container %s\", [c.name])\n}\n",
    );
    let mut n = 0;
    while text.lines().count() + 6 <= lines {
        text.push_str(&format!(
            "\ncheck_{n}(c) if {{\n\tc.name == \"c{n}\"\n\tstartswith(c.image, \"registry-{n}/\")\n\tcount(object.get(c, \"ports\", [])) > {n}\n}}\n"
        ));
        n += 1;
    }
    while text.lines().count() < lines {
        text.push_str("# padding\n");
    }
    text
}

/// A manifest of `lines` lines: Deployments of 25 lines each.
fn manifest(lines: usize) -> String {
    let mut text = String::new();
    let mut n = 0;
    while text.lines().count() + 25 <= lines {
        text.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{n}\n  labels: {{app: app-{n}}}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: app-{n}}}\n  template:\n    metadata:\n      labels: {{app: app-{n}}}\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/app-{n}:1.{n}.0\n          ports:\n            - containerPort: 8080\n          readinessProbe:\n            httpGet: {{path: /health, port: 8080}}\n          resources:\n            limits: {{cpu: 500m, memory: 256Mi}}\n          env:\n            - {{name: MODE, value: \"{n}\"}}\n"
        ));
        n += 1;
    }
    while text.lines().count() < lines {
        text.push_str("# padding\n");
    }
    text
}

struct Session {
    client: Connection,
    version: i32,
}

impl Session {
    fn start(root: &Path) -> Session {
        let (server, client) = Connection::memory();
        std::thread::spawn(move || ward_lsp::run(server));
        let root = Url::from_file_path(root).unwrap();
        let params = json!({"processId": null, "rootUri": root, "capabilities": {}});
        let request = Request { id: RequestId::from(1), method: "initialize".into(), params };
        client.sender.send(Message::Request(request)).unwrap();
        loop {
            if let Message::Response(_) = client.receiver.recv().unwrap() {
                break;
            }
        }
        Session { client, version: 0 }
    }

    fn notify(&self, method: &str, params: Value) {
        self.client.sender.send(Message::Notification(Notification { method: method.into(), params })).unwrap();
    }

    /// Waits for the diagnostics of `uri`, and returns how many there are.
    fn diagnostics(&self, uri: &Url) -> usize {
        loop {
            match self.client.receiver.recv_timeout(Duration::from_secs(60)).unwrap() {
                Message::Notification(n)
                    if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri.as_str() =>
                {
                    return n.params["diagnostics"].as_array().map_or(0, Vec::len);
                }
                _ => {}
            }
        }
    }

    fn open(&mut self, uri: &Url, text: &str) -> usize {
        self.version += 1;
        let document = json!({"uri": uri, "languageId": "", "version": self.version, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": document}));
        self.diagnostics(uri)
    }

    fn change(&mut self, uri: &Url, text: &str) -> usize {
        self.version += 1;
        let document = json!({"uri": uri, "version": self.version});
        self.notify("textDocument/didChange", json!({"textDocument": document, "contentChanges": [{"text": text}]}));
        self.diagnostics(uri)
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ward-lsp-bench-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn did_change(c: &mut Criterion) {
    let mut group = c.benchmark_group("did_change_to_diagnostics");

    // A 500-line rule in a pack of its own.
    let pack = scratch("pack");
    std::fs::create_dir_all(pack.join("rules")).unwrap();
    std::fs::write(
        pack.join("pack.toml"),
        "name = \"bench\"\nversion = \"1.0.0\"\ndescription = \"d\"\nward = \">=0.1.0\"\n",
    )
    .unwrap();
    let rule = pack.join("rules/bench.rego");
    let text = policy(500);
    assert_eq!(text.lines().count(), 500);
    std::fs::write(&rule, &text).unwrap();
    let uri = Url::from_file_path(&rule).unwrap();
    let mut session = Session::start(&pack);
    assert_eq!(session.open(&uri, &text), 0, "the generated policy compiles");
    let edited = text.replace("check_0(c)", "check_1(c)");
    let mut flip = false;
    group.bench_function("policy_500_lines", |b| {
        b.iter(|| {
            flip = !flip;
            session.change(&uri, if flip { &edited } else { &text })
        })
    });

    // A 500-line manifest, with the built-in packs.
    let project = scratch("project");
    let file = project.join("deploy.yaml");
    let text = manifest(500);
    assert_eq!(text.lines().count(), 500);
    std::fs::write(&file, &text).unwrap();
    let uri = Url::from_file_path(&file).unwrap();
    let mut session = Session::start(&project);
    session.open(&uri, &text);
    let edited = text.replace("replicas: 2", "replicas: 3");
    group.bench_function("manifest_500_lines", |b| {
        b.iter(|| {
            flip = !flip;
            session.change(&uri, if flip { &edited } else { &text })
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(pack);
    let _ = std::fs::remove_dir_all(project);
}

criterion_group!(benches, did_change);
criterion_main!(benches);
