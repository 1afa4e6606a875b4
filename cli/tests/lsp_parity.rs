//! The editor and `ward scan` agree: for every file of the sample repository, the diagnostics
//! `ward lsp` publishes when the file is opened are the findings `ward scan` reports in it —
//! the same rules, lines, columns and messages. The server runs as an editor starts it: a
//! process spoken to over stdio.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};

use serde_json::{json, Value};

/// What a finding and a diagnostic have in common: rule, line, column (one-based) and message.
type Shown = (String, u64, u64, String);

/// `ward lsp` as a child process, and the notifications it sent while we waited for others.
struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = support::ward_in(root)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (stdin, stdout) = (child.stdin.take().unwrap(), BufReader::new(child.stdout.take().unwrap()));
        let mut server = Server { child, stdin, stdout, next_id: 0 };
        let root_uri = file_uri(root);
        let initialize = json!({"processId": null, "rootUri": root_uri, "capabilities": {}});
        server.request("initialize", initialize);
        server.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut header = String::new();
            assert!(self.stdout.read_line(&mut header).unwrap() > 0, "the server closed its output");
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some(value) = header.strip_prefix("Content-Length: ") {
                length = value.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message["result"].clone();
            }
        }
    }

    /// Opens `file` and returns the diagnostics published for it.
    fn diagnostics_of(&mut self, file: &Path) -> Vec<Value> {
        let uri = file_uri(file);
        let text = std::fs::read_to_string(file).unwrap();
        let document = json!({"uri": uri, "languageId": "plaintext", "version": 1, "text": text});
        self.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": document}}));
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri {
                return message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
            }
        }
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.send(json!({"jsonrpc": "2.0", "method": "exit"}));
        assert!(self.child.wait().unwrap().success());
    }
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The findings `ward scan .` reports in the sample repository, by file.
fn scan_findings(root: &Path) -> BTreeMap<String, Vec<Shown>> {
    let output = support::ward_in(root).args(["scan", ".", "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut by_file: BTreeMap<String, Vec<Shown>> = BTreeMap::new();
    for finding in report["findings"].as_array().unwrap() {
        let message = format!("{} [{}]", finding["message"].as_str().unwrap(), finding["severity"].as_str().unwrap());
        let shown = (
            finding["rule"].as_str().unwrap().to_owned(),
            finding["line"].as_u64().unwrap(),
            finding["column"].as_u64().unwrap(),
            message,
        );
        by_file.entry(finding["path"].as_str().unwrap().to_owned()).or_default().push(shown);
    }
    by_file
}

#[test]
fn the_editor_shows_every_file_of_the_sample_repository_as_ward_scan_reports_it() {
    let root = support::repo_root().join("testdata/repos/shop").canonicalize().unwrap();
    let mut expected = scan_findings(&root);
    let mut files = Vec::new();
    files_under(&root, &mut files);
    files.sort();
    let mut server = Server::start(&root);
    let mut compared = 0;
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let mut shown: Vec<Shown> = server
            .diagnostics_of(file)
            .iter()
            .filter_map(|diagnostic| {
                let rule = diagnostic["code"].as_str()?.to_owned();
                let start = &diagnostic["range"]["start"];
                let (line, column) = (start["line"].as_u64()? + 1, start["character"].as_u64()? + 1);
                Some((rule, line, column, diagnostic["message"].as_str()?.to_owned()))
            })
            .collect();
        shown.sort();
        let mut wanted = expected.remove(&relative).unwrap_or_default();
        wanted.sort();
        compared += wanted.len();
        assert_eq!(shown, wanted, "{relative}: the editor shows what `ward scan` reports");
    }
    server.stop();
    assert!(expected.is_empty(), "findings in files the walk did not open: {expected:?}");
    assert!(compared > 50, "the sample repository has findings in many files ({compared})");
}
