//! `ward scan --staged` and `--diff` in real git repositories made for each test, `ward hook
//! install`, and the real pre-commit framework running ward as a hook. Tokens are generated
//! with valid checksums at run time; no test file holds one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use support::{ward_in, write_file};
use ward_engine::testing::token;

fn repository(name: &str) -> PathBuf {
    support::git_repository("git", name)
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new("git").args(args).current_dir(dir).output().expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    output
}

fn github_token(seed: &str) -> String {
    token("github:ghp", seed).unwrap()
}

/// `ward scan ARGS --format json` in `dir`: the exit code and `(rule, path, line)` of each finding.
fn scan_json(dir: &Path, args: &[&str]) -> (i32, Vec<(String, String, u64)>, String) {
    let output = ward_in(dir).args(["scan", "--format", "json"]).args(args).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (output.status.code().unwrap(), findings, stdout)
}

/// The index, not the working tree: staged additions are reported at their line, unstaged
/// edits and untracked or ignored files are not read, old lines are not reported, and renames,
/// CRLF, a missing final newline, binary files and LFS pointers are handled.
#[test]
fn staged_scans_read_the_index_and_report_only_added_lines() {
    let dir = repository("staged");
    let old = github_token("already committed");
    write_file(&dir, ".gitignore", b"ignored.env\n");
    write_file(&dir, "old.env", format!("A=1\nOLD_TOKEN={old}\n").as_bytes());
    let moved: String = (1..=10).map(|n| format!("SETTING_{n}=value-{n}\n")).collect();
    write_file(&dir, "moved/before.env", moved.as_bytes());
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "start"]);

    let staged = [github_token("staged crlf"), github_token("staged no newline"), github_token("renamed")];
    write_file(&dir, "old.env", format!("A=1\nOLD_TOKEN={old}\nB=2\n").as_bytes());
    write_file(&dir, "crlf.env", format!("A=1\r\nTOKEN={}\r\n", staged[0]).as_bytes());
    write_file(&dir, "last.env", format!("A=1\nTOKEN={}", staged[1]).as_bytes());
    git(&dir, &["mv", "moved/before.env", "moved/after.env"]);
    write_file(&dir, "moved/after.env", format!("{moved}TOKEN={}\n", staged[2]).as_bytes());
    write_file(&dir, "image.png", b"\x89PNG\r\n\x1a\n\0\0\0binary");
    write_file(&dir, "model.bin", b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n");
    git(&dir, &["add", "."]);
    // Not staged, and ignored: never read.
    write_file(
        &dir,
        "last.env",
        format!("A=1\nTOKEN={}\nUNSTAGED={}\n", staged[1], github_token("unstaged")).as_bytes(),
    );
    write_file(&dir, "untracked.env", format!("TOKEN={}\n", github_token("untracked")).as_bytes());
    write_file(&dir, "ignored.env", format!("TOKEN={}\n", github_token("ignored")).as_bytes());

    let (code, findings, stdout) = scan_json(&dir, &["--staged", "--pack", "secrets"]);
    assert_eq!(code, 1, "{stdout}");
    let expected: Vec<(String, String, u64)> = [("crlf.env", 2), ("last.env", 2), ("moved/after.env", 11)]
        .iter()
        .map(|(path, line)| ("SEC-002".to_owned(), (*path).to_owned(), *line))
        .collect();
    assert_eq!(findings, expected, "{stdout}");
    for secret in staged.iter().chain([&old]) {
        assert!(!stdout.contains(secret.as_str()), "a secret is printed whole: {stdout}");
    }
}

/// `--diff REV` reads what a branch adds since it left REV, as a pull request shows it.
#[test]
fn diff_scans_report_what_a_branch_adds() {
    let dir = repository("diff");
    write_file(&dir, "app.env", b"A=1\n");
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "start"]);
    git(&dir, &["checkout", "-qb", "feature"]);
    write_file(&dir, "app.env", format!("A=1\nNPM_TOKEN={}\n", token("npm", "feature").unwrap()).as_bytes());
    git(&dir, &["commit", "-qam", "feature"]);
    let (code, findings, stdout) = scan_json(&dir, &["--diff", "main", "--pack", "secrets"]);
    assert_eq!((code, findings), (1, vec![("SEC-012".to_owned(), "app.env".to_owned(), 2)]), "{stdout}");
    let (code, findings, _) = scan_json(&dir, &["--diff", "feature..feature", "--pack", "secrets"]);
    assert_eq!((code, findings.len()), (0, 0));
    let output = ward_in(&dir).args(["scan", "--diff", "no-such-branch", "--pack", "secrets"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stdout).contains("cannot read the changes in no-such-branch"));
}

/// The policy packs run on the staged files too, with the rest of the repository (as staged)
/// in the graph; a file the commit does not touch is not reported.
#[test]
fn staged_scans_report_policy_findings_in_staged_files_only() {
    let dir = repository("staged-policies");
    write_file(&dir, "services/old/Dockerfile", b"FROM python:latest\n");
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "start"]);
    write_file(&dir, "services/new/Dockerfile", b"FROM node:latest\nUSER node\n");
    git(&dir, &["add", "."]);
    let (code, findings, stdout) = scan_json(&dir, &["--staged", "--pack", "container"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(findings.iter().all(|(_, path, _)| path == "services/new/Dockerfile"), "{findings:?}");
    assert!(findings.iter().any(|(rule, _, line)| rule == "CTR-001" && *line == 1), "{findings:?}");
}

/// `ward hook install` writes a hook that stops a commit adding a token, and lets a clean
/// commit through; it never replaces a hook it did not write.
#[test]
fn the_installed_hook_blocks_a_commit_that_adds_a_token() {
    let dir = repository("hook");
    let install = ward_in(&dir).args(["hook", "install"]).output().unwrap();
    assert!(install.status.success(), "{}", String::from_utf8_lossy(&install.stderr));
    write_file(&dir, "README.md", b"clean\n");
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "clean commit"]);
    let secret = github_token("hooked");
    write_file(&dir, "deploy.env", format!("GITHUB_TOKEN={secret}\n").as_bytes());
    git(&dir, &["add", "."]);
    let commit = Command::new("git").args(["commit", "-qm", "leak"]).current_dir(&dir).output().unwrap();
    let output = format!("{}{}", String::from_utf8_lossy(&commit.stdout), String::from_utf8_lossy(&commit.stderr));
    assert!(!commit.status.success(), "the commit went through: {output}");
    assert!(output.contains("deploy.env:1:14"), "{output}");
    assert!(output.contains("ghp_… (40 characters)") && !output.contains(&secret), "{output}");

    std::fs::write(dir.join(".git/hooks/pre-commit"), "#!/bin/sh\nexit 0\n").unwrap();
    let refused = ward_in(&dir).args(["hook", "install"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("use --force"));
}

/// The real pre-commit framework, with a `repo: local` hook calling the built binary as the
/// `ward-secrets` hook of `.pre-commit-hooks.yaml` does: a commit adding a token is blocked with
/// file:line and the token redacted; a clean commit goes through.
#[test]
fn the_pre_commit_framework_blocks_a_leak_and_passes_a_clean_commit() {
    let Some(pre_commit) = find_program("pre-commit") else {
        assert!(std::env::var_os("CI").is_none(), "pre-commit is not installed, and CI needs this test to run");
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
        return;
    };
    let dir = repository("pre-commit");
    let ward = insta_cmd::get_cargo_bin("ward");
    let hooks = std::fs::read_to_string(support::repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Value = serde_saphyr::from_str(&hooks).unwrap();
    let secrets_hook = hooks.as_array().unwrap().iter().find(|hook| hook["id"] == "ward-secrets").unwrap();
    let arguments = secrets_hook["entry"].as_str().unwrap().strip_prefix("ward ").unwrap();
    let config = format!(
        "repos:\n  - repo: local\n    hooks:\n      - id: ward-secrets\n        name: ward (secrets)\n        entry: {} {arguments}\n        language: system\n        pass_filenames: false\n        always_run: true\n",
        ward.display()
    );
    write_file(&dir, ".pre-commit-config.yaml", config.as_bytes());
    let home = dir.join(".pre-commit-home");
    let run_pre_commit = |args: &[&str]| {
        Command::new(&pre_commit).args(args).current_dir(&dir).env("PRE_COMMIT_HOME", &home).output().unwrap()
    };
    let installed = run_pre_commit(&["install"]);
    assert!(installed.status.success(), "{}", String::from_utf8_lossy(&installed.stderr));
    write_file(&dir, "README.md", b"clean\n");
    git(&dir, &["add", "."]);
    let clean = Command::new("git")
        .args(["commit", "-qm", "clean"])
        .current_dir(&dir)
        .env("PRE_COMMIT_HOME", &home)
        .output()
        .unwrap();
    assert!(
        clean.status.success(),
        "{}{}",
        String::from_utf8_lossy(&clean.stdout),
        String::from_utf8_lossy(&clean.stderr)
    );

    let secret = token("github:gho", "pre-commit").unwrap();
    write_file(&dir, "config/app.yaml", format!("service: shop\noauth_token: {secret}\n").as_bytes());
    git(&dir, &["add", "."]);
    let leak = Command::new("git")
        .args(["commit", "-qm", "leak"])
        .current_dir(&dir)
        .env("PRE_COMMIT_HOME", &home)
        .output()
        .unwrap();
    let output = format!("{}{}", String::from_utf8_lossy(&leak.stdout), String::from_utf8_lossy(&leak.stderr));
    assert!(!leak.status.success(), "the commit went through: {output}");
    assert!(output.contains("config/app.yaml:2:14"), "{output}");
    assert!(output.contains("gho_… (40 characters)"), "{output}");
    assert!(!output.contains(&secret), "the token is printed whole: {output}");
}

/// `program` on PATH.
fn find_program(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}
