//! The server in memory (`Connection::memory()`), driven as an editor drives it: initialize,
//! open a manifest and policies, read the diagnostics, ask for completion, hover, definitions,
//! symbols, quick fixes and the pack's tests, change a buffer, and shut down — each answer
//! asserted with a snapshot. Completion, hover and definition cases are data: a buffer with
//! `$0` where the cursor is.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::Url;
use serde_json::{json, Value};

fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/lsp/project").canonicalize().unwrap()
}

fn uri(relative: &str) -> String {
    Url::from_file_path(project().join(relative)).unwrap().to_string()
}

/// An editor talking to a server on another thread.
struct Client {
    connection: Connection,
    server: Option<JoinHandle<Result<(), ward_lsp::ServerError>>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    pending: VecDeque<Notification>,
}

impl Client {
    fn start(capabilities: Value) -> (Client, Value) {
        Client::start_in(&project(), capabilities)
    }

    /// A server whose workspace folder is `root`.
    fn start_in(root: &Path, capabilities: Value) -> (Client, Value) {
        Client::start_with(root, capabilities, ward_lsp::Options::default())
    }

    /// A server started with `options`, as `ward lsp --policy … --severity-threshold …` is.
    fn start_with(root: &Path, capabilities: Value, options: ward_lsp::Options) -> (Client, Value) {
        let (server, client) = Connection::memory();
        let server = std::thread::spawn(move || ward_lsp::run_with(server, options));
        let mut client = Client { connection: client, server: Some(server), next_id: 0, pending: VecDeque::new() };
        let root = Url::from_file_path(root).unwrap();
        let result =
            client.request("initialize", json!({"processId": null, "rootUri": root, "capabilities": capabilities}));
        client.notify("initialized", json!({}));
        (client, result)
    }

    fn notify(&self, method: &str, params: Value) {
        let notification = Notification { method: method.into(), params };
        self.connection.sender.send(Message::Notification(notification)).unwrap();
    }

    fn receive(&self) -> Message {
        self.connection.receiver.recv_timeout(Duration::from_secs(60)).expect("the server answers within a minute")
    }

    /// The result of a request, or `{"error": {code, message}}`.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request { id: id.clone(), method: method.into(), params };
        self.connection.sender.send(Message::Request(request)).unwrap();
        loop {
            match self.receive() {
                Message::Response(response) if response.id == id => {
                    return match response.response_result {
                        Ok(result) => result,
                        Err(error) => json!({"error": {"code": error.code, "message": error.message}}),
                    };
                }
                Message::Notification(notification) => self.pending.push_back(notification),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// The next notification of `method` (for diagnostics: about `uri`).
    fn wait_for(&mut self, method: &str, uri: Option<&str>) -> Value {
        let matches = |n: &Notification| n.method == method && uri.is_none_or(|uri| n.params["uri"] == uri);
        if let Some(at) = self.pending.iter().position(matches) {
            return self.pending.remove(at).unwrap().params;
        }
        loop {
            match self.receive() {
                Message::Notification(notification) if matches(&notification) => return notification.params,
                Message::Notification(notification) => self.pending.push_back(notification),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn open(&mut self, relative: &str, text: &str) -> Value {
        self.open_uri(&uri(relative), text)
    }

    /// Opens the buffer of `uri` and returns the diagnostics published for it.
    fn open_uri(&mut self, uri: &str, text: &str) -> Value {
        let language = if uri.ends_with(".rego") { "rego" } else { "yaml" };
        let document = json!({"uri": uri, "languageId": language, "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": document}));
        self.wait_for("textDocument/publishDiagnostics", Some(uri))
    }

    fn change(&mut self, relative: &str, version: i32, text: &str) -> Value {
        let document = json!({"uri": uri(relative), "version": version});
        self.notify("textDocument/didChange", json!({"textDocument": document, "contentChanges": [{"text": text}]}));
        self.wait_for("textDocument/publishDiagnostics", Some(&uri(relative)))
    }

    fn at(&mut self, method: &str, relative: &str, line: u32, character: u32) -> Value {
        let params =
            json!({"textDocument": {"uri": uri(relative)}, "position": {"line": line, "character": character}});
        self.request(method, params)
    }

    fn stop(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let server = self.server.take().unwrap();
        server.join().unwrap().unwrap();
    }
}

/// JSON with the machine's paths replaced, for snapshots.
fn redact(value: &Value) -> String {
    let root = Url::from_file_path(project()).unwrap().to_string();
    serde_json::to_string_pretty(value).unwrap().replace(&root, "file:///PROJECT")
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(project().join(relative)).unwrap()
}

/// A buffer with `$0` at the cursor: the text without it, and the cursor's line and column.
fn cursor(marked: &str) -> (String, u32, u32) {
    let at = marked.find("$0").expect("a $0 marker");
    let before = &marked[..at];
    let line = before.matches('\n').count() as u32;
    let column = before.rsplit('\n').next().unwrap().encode_utf16().count() as u32;
    (marked.replacen("$0", "", 1), line, column)
}

#[test]
fn an_editor_session() {
    let (mut client, initialized) = Client::start(json!({}));
    insta::assert_snapshot!("initialize", redact(&initialized));

    // A manifest: the built-in packs' findings and the local pack's, graph rule included (the
    // PodDisruptionBudget of `api` is in another file, on disk).
    let manifest = read("deploy/app.yaml");
    let diagnostics = client.open("deploy/app.yaml", &manifest);
    insta::assert_snapshot!("manifest_diagnostics", redact(&diagnostics));
    let worker = diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "LSPT-001")
        .expect("the graph rule reports the Deployment without a budget")
        .clone();
    let line = worker["range"]["start"]["line"].as_u64().unwrap() as u32;
    insta::assert_snapshot!("manifest_hover", redact(&client.at("textDocument/hover", "deploy/app.yaml", line, 0)));
    let range = worker["range"].clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri("deploy/app.yaml")}, "range": range, "context": {"diagnostics": [worker]}}),
    );
    insta::assert_snapshot!("manifest_quick_fix", redact(&actions));

    // The manifest changes: the findings follow.
    let fixed = manifest.replace("replicas: 1", "replicas: 2");
    let changed = client.change("deploy/app.yaml", 2, &fixed);
    let codes: Vec<&str> =
        changed["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(!codes.contains(&"LSPT-002") && codes.contains(&"LSPT-001"), "{codes:?}");
    assert_eq!(changed["version"], 2);

    // Policies: clean, then with a compile error at its exact place.
    let rule = read("policy/rules/pdb.rego");
    assert_eq!(client.open("policy/rules/pdb.rego", &rule)["diagnostics"], json!([]));
    let broken = rule.replace("edge.to == id", "edge.to == == id");
    insta::assert_snapshot!("rego_compile_error", redact(&client.change("policy/rules/pdb.rego", 2, &broken)));
    let no_id = rule.replace("#   id: LSPT-001\n", "");
    insta::assert_snapshot!("rego_metadata_error", redact(&client.change("policy/rules/pdb.rego", 3, &no_id)));
    client.change("policy/rules/pdb.rego", 4, &rule);
    let cel = read("policy/rules/replicas.cel.yaml");
    assert_eq!(client.open("policy/rules/replicas.cel.yaml", &cel)["diagnostics"], json!([]));
    let bad_cel = cel.replace("variables.replicas >= params.min_replicas", "variables.replicas >= = 2");
    insta::assert_snapshot!("cel_error", redact(&client.change("policy/rules/replicas.cel.yaml", 2, &bad_cel)));
    client.change("policy/rules/replicas.cel.yaml", 3, &cel);

    let symbols = json!({
        "rego": client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri("policy/rules/pdb.rego")}})),
        "cel": client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri("policy/rules/replicas.cel.yaml")}})),
    });
    insta::assert_snapshot!("document_symbols", redact(&symbols));

    let tests = client.request(
        "workspace/executeCommand",
        json!({"command": "ward.runTests", "arguments": [uri("policy/rules/pdb.rego")]}),
    );
    insta::assert_snapshot!("run_tests", redact(&tests));
    let shown = client.wait_for("window/showMessage", None);
    assert_eq!(shown["message"], "LSPT-001: 2 tests passed");
    // From a fixture of another rule (not even open): that rule's tests.
    let fixture = uri("policy/tests/LSPT-002/fail/app.yaml");
    let tests = client.request("workspace/executeCommand", json!({"command": "ward.runTests", "arguments": [fixture]}));
    assert_eq!(
        (tests["rule"].as_str(), tests["passed"].as_array().map(Vec::len)),
        (Some("LSPT-002"), Some(2)),
        "{tests}"
    );
    client.wait_for("window/showMessage", None);

    // Manifests, TOML files: their own errors.
    let bad_manifest = client.open("deploy/broken.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: [x\n");
    insta::assert_snapshot!("manifest_parse_error", redact(&bad_manifest));
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri("deploy/broken.yaml")}}));
    let closed = client.wait_for("textDocument/publishDiagnostics", Some(&uri("deploy/broken.yaml")));
    assert_eq!(closed["diagnostics"], json!([]), "closing a document clears its diagnostics");
    let pack_toml = read("policy/pack.toml");
    assert_eq!(client.open("policy/pack.toml", &pack_toml)["diagnostics"], json!([]));
    let bad_pack = client.change("policy/pack.toml", 2, &pack_toml.replace("1.0.0", "one"));
    insta::assert_snapshot!("pack_toml_error", redact(&bad_pack));
    let config = read("ward.toml");
    assert_eq!(client.open("ward.toml", &config)["diagnostics"], json!([]));
    let bad_config =
        config.replace("name = \"kubernetes\"", "name = \"kubernetes\"\n\n[rules.LSPT-999]\nenabled = false");
    insta::assert_snapshot!("ward_toml_error", redact(&client.change("ward.toml", 2, &bad_config)));

    // Protocol: unknown methods and bad parameters are answered, never fatal.
    client.notify("$/unknownNotification", json!({"x": 1}));
    client.notify("textDocument/didOpen", json!({"nonsense": true}));
    let unknown = client.request("textDocument/unknownRequest", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let invalid = client.request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(invalid["error"]["code"], -32602);
    let command = client.request("workspace/executeCommand", json!({"command": "ward.nothing", "arguments": []}));
    assert_eq!(command["error"]["code"], -32602);

    client.stop();
}

/// Completion, hover and definition at `$0` in a buffer opened as `file`; each answer reduced
/// to what matters (labels; hover text; target file and line), all in one snapshot per method.
#[test]
fn completion_hover_and_definition_cases() {
    // (file, buffer with the cursor)
    let completion: &[(&str, &str)] = &[
        ("policy/rules/scratch.rego", "# METADATA\n# title: t\n# custom:\n#   id: S-1\n#   severity: low\n#   kinds: [dockerfile]\npackage ward.scratch\n\ndeny contains \"x\" if {\n\tsome stage in input.object.$0\n}\n"),
        ("policy/rules/scratch.rego", "# METADATA\n# title: t\n# custom:\n#   id: S-1\n#   severity: low\n#   kinds: [dockerfile]\npackage ward.scratch\n\ndeny contains \"x\" if {\n\tinput.object.stages[_].from.re$0\n}\n"),
        ("policy/rules/scratch.rego", "# METADATA\n# title: t\n# custom:\n#   id: S-1\n#   severity: low\n#   kinds: [kubernetes]\npackage ward.scratch\n\ndeny contains \"x\" if {\n\tinput.object.metadata.$0\n}\n"),
        ("policy/rules/scratch.rego", "# METADATA\n# title: t\n# custom:\n#   id: S-1\n#   severity: low\n#   kinds: [kubernetes]\npackage ward.scratch\n\ndeny contains \"x\" if {\n\tsome c in input.object.spec.template.spec.containers[_].$0\n}\n"),
        ("policy/rules/scratch.rego", "package ward.scratch\n\ndeny contains \"x\" if {\n\tinput.meta.env$0\n}\n"),
        ("policy/rules/scratch.rego", "package ward.scratch\n\ndeny contains \"x\" if {\n\tinput.params.$0\n}\n"),
        ("policy/rules/scratch.rego", "package ward.scratch\n\nimport data.ward.lib.k8s\n\ndeny contains \"x\" if {\n\tk8s.$0\n}\n"),
        ("policy/rules/scratch.rego", "package ward.scratch\n\nimport data.$0\n"),
        ("policy/rules/scratch.rego", "package ward.scratch\n\nhelper := 1\n\ndeny contains \"x\" if {\n\tstarts$0\n}\n"),
        ("policy/rules/scratch.rego", "package ward.scratch\n\ndeny contains \"x\" if {\n\tregex.$0\n}\n"),
        ("policy/rules/scratch.cel.yaml", "id: S-2\nseverity: low\nkinds: [dotenv]\nvalidations:\n  - expression: object.entries.all(e, object.$0)\n"),
        ("policy/rules/scratch.cel.yaml", "id: S-2\nseverity: low\nkinds: [dotenv]\nvariables:\n  - name: first\n    expression: object.entries[0]\nvalidations:\n  - expression: variables.$0\n"),
        ("ward.toml", "[rules.LSPT-$0]\n"),
    ];
    let hover: &[(&str, &str)] = &[
        ("policy/rules/scratch.rego", "# METADATA\n# title: t\n# custom:\n#   id: S-1\n#   severity: low\n#   kinds: [dockerfile]\npackage ward.scratch\n\ndeny contains \"x\" if {\n\tinput.object.sta$0ges[_]\n}\n"),
        ("policy/rules/scratch.rego", "package ward.scratch\n\ndeny contains \"x\" if {\n\tinput.meta.environ$0ment == \"production\"\n}\n"),
        ("policy/rules/scratch.rego", "package ward.scratch\n\ndeny contains \"x\" if {\n\tspr$0intf(\"%s\", [1])\n}\n"),
        ("policy/rules/scratch.rego", "package ward.scratch\n\ndeny contains \"x\" if {\n\tregex.ma$0tch(\"a\", \"b\")\n}\n"),
        ("policy/rules/scratch.rego", "package ward.scratch\n# see LSPT-0$002\n"),
        ("policy/rules/scratch.cel.yaml", "id: S-2\nseverity: low\nkinds: [dotenv]\nvalidations:\n  - expression: object.entries.all(e, e.key.starts$0With('A'))\n"),
        ("deploy/other.yaml", "# ward:ignore K8S-0$002 -- probes come later\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"),
    ];
    let definition: &[(&str, &str)] = &[
        ("policy/rules/scratch.rego", "package ward.scratch\n\nimport data.ward.lib.k8s\n\ndeny contains \"x\" if {\n\tk8s.is_work$0load(input.object)\n}\n"),
        ("policy/rules/scratch.rego", "package ward.scratch\n\ndeny contains \"x\" if {\n\tdata.ward.lib.k8s.workload_k$0inds[_]\n}\n"),
        ("policy/rules/scratch.rego", "package ward.scratch\n\ndeny contains \"x\" if {\n\tok$0(1)\n}\n\nok(x) if x > 0\n\nok(x) if x < 0\n"),
        ("policy/rules/scratch.rego", "package ward.lsptest.pdb\n\nx := protec$0ted(\"a\")\n"),
        ("policy/rules/scratch.cel.yaml", "id: S-2\nseverity: low\nkinds: [dotenv]\nvariables:\n  - name: first\n    expression: object.entries[0]\nvalidations:\n  - expression: variables.fir$0st.key != ''\n"),
        ("ward.toml", "[rules.LSPT-0$002]\nenabled = true\n"),
    ];
    let (mut client, _) = Client::start(json!({}));
    let mut version = 0;
    let mut run = |client: &mut Client, method: &str, cases: &[(&str, &str)], reduce: &dyn Fn(&Value) -> Value| {
        let mut out = Vec::new();
        for (file, marked) in cases {
            let (text, line, column) = cursor(marked);
            version += 1;
            let document = json!({"uri": uri(file), "languageId": "x", "version": version, "text": text});
            client.notify("textDocument/didOpen", json!({"textDocument": document}));
            client.wait_for("textDocument/publishDiagnostics", Some(&uri(file)));
            let answer = client.at(method, file, line, column);
            out.push(json!({"case": marked.lines().nth(line as usize).unwrap(), "answer": reduce(&answer)}));
        }
        Value::Array(out)
    };
    let labels = |answer: &Value| {
        let items = answer.as_array().cloned().unwrap_or_default();
        Value::Array(
            items
                .iter()
                .map(|item| {
                    json!(format!("{} {}", item["label"].as_str().unwrap(), item["detail"].as_str().unwrap_or(""))
                        .trim_end()
                        .to_owned())
                })
                .collect(),
        )
    };
    let completions = run(&mut client, "textDocument/completion", completion, &labels);
    insta::assert_snapshot!("completion_cases", redact(&completions));
    let hovers = run(&mut client, "textDocument/hover", hover, &|answer| answer["contents"]["value"].clone());
    insta::assert_snapshot!("hover_cases", redact(&hovers));
    let targets = |answer: &Value| {
        let locations = answer.as_array().cloned().unwrap_or_default();
        Value::Array(
            locations
                .iter()
                .map(|l| json!(format!("{}:{}", l["uri"].as_str().unwrap(), l["range"]["start"]["line"])))
                .collect(),
        )
    };
    let definitions = run(&mut client, "textDocument/definition", definition, &targets);
    insta::assert_snapshot!("definition_cases", redact(&definitions));
    client.stop();
}

/// Columns are UTF-16 code units unless the client offers UTF-8 (`positionEncoding`).
#[test]
fn positions_follow_the_negotiated_encoding() {
    let text = "a: \"é😀\" b: [\n";
    for (offered, name, character) in [(json!([]), "utf-16", 9), (json!(["utf-8", "utf-16"]), "utf-8", 12)] {
        let (mut client, initialized) = Client::start(json!({"general": {"positionEncodings": offered}}));
        assert_eq!(initialized["capabilities"]["positionEncoding"], name);
        let diagnostics = client.open("deploy/encoding.yaml", text);
        let start = &diagnostics["diagnostics"][0]["range"]["start"];
        assert_eq!(start["character"], character, "{name}: {diagnostics}");
        client.stop();
    }
}

/// Edits arrive faster than a buffer is evaluated: the evaluation runs in the background, and
/// what is published is never older than what was published before it, and ends at the last
/// edit's version with its findings. Requests are answered meanwhile.
#[test]
fn a_burst_of_edits_ends_with_the_last_version() {
    let (mut client, _) = Client::start(json!({}));
    let manifest = read("deploy/app.yaml");
    let file = "deploy/app.yaml";
    let document = json!({"uri": uri(file), "languageId": "yaml", "version": 1, "text": manifest});
    client.notify("textDocument/didOpen", json!({"textDocument": document}));
    let last = 8;
    for version in 2..=last {
        // Odd versions have one replica (LSPT-002 reports it), even versions two.
        let replicas = if version % 2 == 0 { "replicas: 2" } else { "replicas: 1" };
        let text = manifest.replace("replicas: 1", replicas);
        let document = json!({"uri": uri(file), "version": version});
        client.notify("textDocument/didChange", json!({"textDocument": document, "contentChanges": [{"text": text}]}));
        let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri(file)}}));
        assert!(symbols.get("error").is_none(), "{symbols}");
    }
    let mut published = Vec::new();
    loop {
        let diagnostics = client.wait_for("textDocument/publishDiagnostics", Some(&uri(file)));
        let version = diagnostics["version"].as_i64().unwrap();
        published.push(version);
        if version == i64::from(last) {
            let codes: Vec<&str> =
                diagnostics["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
            assert!(!codes.contains(&"LSPT-002") && codes.contains(&"LSPT-001"), "{codes:?}");
            break;
        }
    }
    assert!(published.windows(2).all(|pair| pair[0] < pair[1]), "published out of order: {published:?}");
    client.stop();
}

/// `ward.explain` answers the documentation `ward explain` prints, for a rule named or under a
/// position, from the file's own pack or its workspace's packs; what names no rule is an error.
#[test]
fn the_explain_command_answers_a_rules_documentation() {
    let (mut client, _) = Client::start(json!({}));
    client.open("deploy/app.yaml", &read("deploy/app.yaml"));
    client.open("policy/rules/pdb.rego", &read("policy/rules/pdb.rego"));
    let id_line = read("policy/rules/pdb.rego").lines().position(|line| line.contains("id: LSPT-001")).unwrap();
    // (file, second argument, the rule answered or the error code)
    let cases = [
        ("policy/rules/pdb.rego", json!("LSPT-001"), Ok("LSPT-001")),
        ("policy/rules/pdb.rego", json!({"line": id_line, "character": 10}), Ok("LSPT-001")),
        ("deploy/app.yaml", json!("K8S-001"), Ok("K8S-001")),
        ("deploy/app.yaml", json!(" LSPT-002 "), Ok("LSPT-002")),
        ("deploy/app.yaml", json!({"line": 0, "character": 0}), Err(-32602)),
        ("deploy/app.yaml", json!("NOPE-404"), Err(-32803)),
    ];
    for (file, argument, expected) in cases {
        let answer = client.request(
            "workspace/executeCommand",
            json!({"command": "ward.explain", "arguments": [uri(file), argument]}),
        );
        match expected {
            Ok(rule) => {
                assert_eq!(answer["rule"], rule, "{file} {argument}: {answer}");
                let markdown = answer["markdown"].as_str().unwrap_or_default();
                assert!(markdown.starts_with(&format!("# {rule}")), "{file} {argument}: {markdown}");
            }
            Err(code) => assert_eq!(answer["error"]["code"], code, "{file} {argument}: {answer}"),
        }
    }
    let no_rule = client
        .request("workspace/executeCommand", json!({"command": "ward.explain", "arguments": [uri("deploy/app.yaml")]}));
    assert_eq!(no_rule["error"]["code"], -32602, "{no_rule}");
    client.stop();
}

/// The editor's settings reach the server as `ward lsp`'s flags: `--policy` replaces the
/// project's packs (relative to the workspace folder), `--severity-threshold` hides what is
/// below it.
#[test]
fn the_command_lines_policies_and_threshold_choose_what_is_shown() {
    let options =
        ward_lsp::Options { policies: vec![PathBuf::from("policy")], threshold: ward_engine::Severity::Medium };
    let (mut client, _) = Client::start_with(&project(), json!({}), options);
    let diagnostics = client.open("deploy/app.yaml", &read("deploy/app.yaml"));
    let mut codes: Vec<&str> =
        diagnostics["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    codes.dedup();
    // LSPT-002 (low) is below the threshold; the built-in kubernetes pack ward.toml names is
    // not among the policies asked for.
    assert_eq!(codes, ["LSPT-001"], "{diagnostics}");
    client.stop();
}

/// The editor shows what `ward scan` shows in a project: `ward.toml`'s waiver and the baseline
/// it names hide their findings there too, and a secret that a rule repeats in a related
/// location's message reaches the client redacted.
#[test]
fn the_editor_applies_the_projects_waivers_and_baseline_and_redacts_related_messages() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lsp-suppressed");
    if root.exists() {
        std::fs::remove_dir_all(&root).unwrap();
    }
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/lsp/suppressed"), &root);
    let root = root.canonicalize().unwrap();
    let token = ward_engine::testing::token("github:ghp", "lsp-related").unwrap();
    std::fs::write(root.join(".env"), format!("# the deploy bot's token\nDEPLOY_TOKEN={token}\n")).unwrap();
    let (mut client, _) = Client::start_in(&root, json!({}));
    let file_uri = |relative: &str| Url::from_file_path(root.join(relative)).unwrap().to_string();

    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    let diagnostics = client.open_uri(&file_uri("Dockerfile"), &dockerfile);
    let codes: Vec<&str> =
        diagnostics["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(!codes.contains(&"CTR-018"), "the waiver in ward.toml applies: {codes:?}");
    assert!(!codes.contains(&"CTR-011"), "the baseline ward.toml names applies: {codes:?}");
    assert!(codes.contains(&"CTR-001") && codes.contains(&"CTR-010"), "the other findings stand: {codes:?}");

    let env = std::fs::read_to_string(root.join(".env")).unwrap();
    let diagnostics = client.open_uri(&file_uri(".env"), &env);
    let shown = diagnostics.to_string();
    assert!(!shown.contains(&token), "the token is shown whole: {shown}");
    let rule = diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "LSPS-001")
        .unwrap_or_else(|| panic!("the local rule reports the token: {shown}"));
    let related = &rule["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], file_uri(".env"));
    assert_eq!(related["location"]["range"]["start"], json!({"line": 1, "character": 13}));
    let message = related["message"].as_str().unwrap();
    assert_eq!(message, "its value is ghp_… (40 characters)", "redacted, not dropped");
    let codes: Vec<&str> =
        diagnostics["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.contains(&"SEC-002"), "the secret rules run in the editor too: {codes:?}");
    client.stop();
}

/// A chart's values file and template, opened in the editor: ward renders the chart they belong
/// to, with the open buffer's text, and shows each finding on the file a person edits — the
/// values line that set a value, the template line that wrote one — not on rendered output.
#[test]
fn findings_on_a_charts_values_file_and_template() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/lsp/chart").canonicalize().unwrap();
    let (mut client, _) = Client::start_in(&root, json!({}));
    let file_uri = |relative: &str| Url::from_file_path(root.join(relative)).unwrap().to_string();
    // Rule id → the (0-based) line and character of each of its diagnostics.
    let placed = |diagnostics: &Value, code: &str| -> Vec<(u64, u64)> {
        diagnostics["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| {
                (d["range"]["start"]["line"].as_u64().unwrap(), d["range"]["start"]["character"].as_u64().unwrap())
            })
            .collect()
    };

    let values = std::fs::read_to_string(root.join("values.yaml")).unwrap();
    let shown = client.open_uri(&file_uri("values.yaml"), &values);
    assert_eq!(placed(&shown, "K8S-015"), [(4, 7)], "the `latest` tag at its values line: {shown:#}");
    assert_eq!(placed(&shown, "K8S-004"), [(11, 4)], "no cpu limit: at the values' `limits:`: {shown:#}");
    assert!(placed(&shown, "K8S-005").is_empty(), "the template's finding is not the values file's: {shown:#}");

    let template = std::fs::read_to_string(root.join("templates/deployment.yaml")).unwrap();
    let shown = client.open_uri(&file_uri("templates/deployment.yaml"), &template);
    assert_eq!(placed(&shown, "K8S-005"), [(20, 24)], "`privileged: true` at its template line: {shown:#}");
    assert!(placed(&shown, "K8S-015").is_empty(), "the tag is the values file's: {shown:#}");
    let related = shown["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "K8S-005").unwrap();
    let related = related["relatedInformation"].as_array().cloned().unwrap_or_default();
    assert!(
        related.iter().any(|r| r["location"]["uri"] == file_uri("Chart.yaml")),
        "rendered by the chart: {related:#?}"
    );

    // The values buffer edited, not saved: the chart renders with the edit.
    let pinned = values.replace("tag: latest", "tag: \"1.4.0\"");
    let document = json!({"uri": file_uri("values.yaml"), "version": 2});
    client.notify("textDocument/didChange", json!({"textDocument": document, "contentChanges": [{"text": pinned}]}));
    let shown = client.wait_for("textDocument/publishDiagnostics", Some(&file_uri("values.yaml")));
    assert!(placed(&shown, "K8S-015").is_empty(), "the edited tag is pinned: {shown:#}");
    assert_eq!(placed(&shown, "K8S-004"), [(11, 4)], "{shown:#}");

    // A template that fails to render: an error at its line and column, in Helm's words.
    let broken =
        template.replace("{{ .Values.replicaCount }}", "{{ required \"replicaCount is required\" .Values.nope }}");
    let document = json!({"uri": file_uri("templates/deployment.yaml"), "version": 2});
    client.notify("textDocument/didChange", json!({"textDocument": document, "contentChanges": [{"text": broken}]}));
    let shown = client.wait_for("textDocument/publishDiagnostics", Some(&file_uri("templates/deployment.yaml")));
    let error = shown["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().is_some_and(|m| m.contains("replicaCount is required")))
        .unwrap_or_else(|| panic!("the failed render is shown: {shown:#}"));
    assert_eq!(error["range"]["start"], json!({"line": 7, "character": 15}), "{error:#}");
    client.stop();

    // In a project whose rules judge one resource at a time (none reads the graph), the editor
    // still renders the chart the opened file belongs to.
    let local = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lsp-chart-local");
    if local.exists() {
        std::fs::remove_dir_all(&local).unwrap();
    }
    copy_dir(&root, &local);
    copy_dir(&root.join("../chart-pack"), &local.join("policy"));
    std::fs::write(local.join("ward.toml"), "exclude = [\"policy/**\"]\n\n[[packs]]\npath = \"policy\"\n").unwrap();
    let local = local.canonicalize().unwrap();
    let (mut client, _) = Client::start_in(&local, json!({}));
    let uri = Url::from_file_path(local.join("values.yaml")).unwrap().to_string();
    let shown = client.open_uri(&uri, &values);
    assert_eq!(placed(&shown, "LSPC-001"), [(4, 7)], "the `latest` tag at its values line: {shown:#}");
    client.stop();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let destination = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &destination);
        } else {
            std::fs::copy(entry.path(), destination).unwrap();
        }
    }
}
