//! What the CLI tests share: the repository root, the `ward` binary, scratch copies of
//! fixture projects for commands that write files, and fresh git repositories.

#![allow(dead_code)] // each test crate uses part of it

pub mod registry;

use std::path::{Path, PathBuf};
use std::process::Command;

use insta_cmd::get_cargo_bin;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `ward`, run from the repository root, without colour.
pub fn ward() -> Command {
    ward_in(&repo_root())
}

/// `ward`, run from `dir`, without colour.
pub fn ward_in(dir: &Path) -> Command {
    let mut command = Command::new(get_cargo_bin("ward"));
    command.current_dir(dir).env("NO_COLOR", "1");
    command
}

/// A fresh copy of `testdata/<fixture>` under this test run's scratch directory, named `name`.
pub fn scratch_copy(fixture: &str, name: &str) -> PathBuf {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    if target.exists() {
        std::fs::remove_dir_all(&target).unwrap();
    }
    copy_dir(&repo_root().join("testdata").join(fixture), &target);
    target
}

/// Copies the directory `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
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

/// A fresh git repository, `group/name` under the test run's scratch directory, with a
/// committer identity and unsigned commits.
pub fn git_repository(group: &str, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(group).join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["config", "user.email", "ward@example.invalid"],
        &["config", "user.name", "ward tests"],
        &["config", "commit.gpgsign", "false"],
    ] {
        let output = Command::new("git").args(args).current_dir(&dir).output().expect("git runs");
        assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
    dir
}

/// Writes `content` to `path` under `dir`, making its directories.
pub fn write_file(dir: &Path, path: &str, content: &[u8]) {
    let file = dir.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, content).unwrap();
}
