//! `ward scan --history` over a real git repository made for the test: a secret added, pushed
//! down by later edits, moved to another file and deleted; a token committed twice in two
//! files; a token in a binary file. Each secret is reported once, at the commit, path and line
//! that first added it; a baseline made from the history silences it; a range reads only its
//! commits. Tokens are generated at run time; commit dates are fixed, so commit ids are stable.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use support::{ward_in, write_file};
use ward_engine::testing::token;

fn repository(name: &str) -> PathBuf {
    support::git_repository("history", name)
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_COMMITTER_DATE", "2024-05-01T12:00:00Z")
        .envs([("GIT_AUTHOR_NAME", "ward tests"), ("GIT_COMMITTER_NAME", "ward tests")])
        .envs([("GIT_AUTHOR_EMAIL", "ward@example.invalid"), ("GIT_COMMITTER_EMAIL", "ward@example.invalid")])
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    output
}

/// Commits everything with author date `date`.
fn commit(dir: &Path, message: &str, date: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", message, "--date", date]);
}

/// `ward ARGS --format json` in `dir`: the exit code, the findings (rule, path, line, column,
/// message, details) one per line, and the whole output.
fn scan(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = ward_in(dir).args(args).args(["--format", "json"]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    let findings: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!("{} {}:{}:{} {}\n  {}", f["rule"], f["path"], f["line"], f["column"], f["message"], f["details"])
        })
        .collect();
    (output.status.code().unwrap(), findings.join("\n"), stdout)
}

#[test]
fn history_reports_each_secret_once_where_it_was_first_added() {
    let dir = repository("lifecycle");
    let password = token("password", "history db password").unwrap();
    let github = token("github:ghp", "history github token").unwrap();
    let in_binary = token("github:ghp", "history binary token").unwrap();

    write_file(&dir, ".env", format!("APP=shop\nDB_PASSWORD={password}\n").as_bytes());
    write_file(&dir, "README.md", b"# shop\n");
    commit(&dir, "add the database password", "2024-01-01T09:00:00Z");

    // Lines above push the secret down: no commit adds it again here.
    write_file(&dir, ".env", format!("APP=shop\nREGION=eu\nDB_PASSWORD={password}\n").as_bytes());
    write_file(&dir, "deploy.sh", format!("#!/bin/sh\nset -e\nexport GH={github}\n").as_bytes());
    commit(&dir, "a region, a deploy script", "2024-02-01T09:00:00Z");

    // Moved: the new file adds the secret again, on another line.
    git(&dir, &["mv", ".env", "config.env"]);
    write_file(&dir, "config.env", format!("# moved\nAPP=shop\nREGION=eu\nDB_PASSWORD={password}\n").as_bytes());
    commit(&dir, "move the settings", "2024-03-01T09:00:00Z");

    // Deleted, and a token in a binary file, which is not read.
    git(&dir, &["rm", "-q", "config.env"]);
    let mut binary = b"\x00\x01\x02".to_vec();
    binary.extend_from_slice(format!("GITHUB_TOKEN={in_binary}\n").as_bytes());
    write_file(&dir, "assets/blob.bin", &binary);
    commit(&dir, "delete the settings", "2024-04-01T09:00:00Z");

    // The same token again, in another file.
    write_file(&dir, ".github/workflows/ci.yml", format!("env:\n  GH: {github}\n").as_bytes());
    commit(&dir, "ci", "2024-05-01T09:00:00Z");

    let (code, findings, output) = scan(&dir, &["scan", "--history"]);
    assert_eq!(code, 1, "{output}");
    for secret in [&password, &github, &in_binary] {
        assert!(!output.contains(secret.as_str()), "a secret printed whole: {output}");
    }
    insta::assert_snapshot!("history_lifecycle", findings);

    // Only the last commit: the token is first added there, in the workflow.
    let (code, findings, _) = scan(&dir, &["scan", "--history=HEAD~1..HEAD"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("history_last_commit", findings);

    // A baseline made from the history silences it.
    let baseline = dir.join("baseline.json");
    let created = ward_in(&dir).args(["baseline", "create", "--history", "--output"]).arg(&baseline).output().unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let (code, findings, output) = scan(&dir, &["scan", "--history", "--baseline", baseline.to_str().unwrap()]);
    assert_eq!((code, findings.as_str()), (0, ""), "{output}");
    let report: Value = serde_json::from_str(&output).unwrap();
    assert_eq!(report["summary"]["by_suppression"]["baseline"], 2, "{output}");
}

#[test]
fn a_history_git_cannot_read_is_an_error_of_the_run() {
    let dir = repository("bad-range");
    write_file(&dir, "a.txt", b"a\n");
    commit(&dir, "a", "2024-01-01T09:00:00Z");
    let (code, _, output) = scan(&dir, &["scan", "--history=no-such-rev..HEAD"]);
    assert_eq!(code, 2, "{output}");
    assert!(output.contains("cannot read the history"), "{output}");
    let (code, _, output) = scan(&dir, &["scan", "--history=--output=x"]);
    assert_eq!(code, 2, "{output}");
    assert!(output.contains("is not a revision range"), "{output}");
}
