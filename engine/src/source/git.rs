//! What a commit adds, read from git rather than the working tree: the staged content in the
//! index (`ward scan --staged`, for pre-commit hooks) or the right side of a revision range
//! (`ward scan --diff REV`, for CI on pull requests). For each changed file it gives the lines
//! added or changed, so that secrets are reported only where the change put them; unstaged edits
//! and untracked or ignored files are never read.
//!
//! It runs the `git` program (as gitleaks and pre-commit do): `git diff -U0` for the changed
//! lines, and one `git cat-file --batch` for every blob, so a hook costs two short processes —
//! started together, before ward compiles its rules, and read once it has ([`start`]).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use super::{decode, Contents, SourceError};

/// Which change to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The index against `HEAD`: what `git commit` would record.
    Staged,
    /// A revision range: `A..B`, `A...B`, or `REV` meaning `REV...HEAD` (the changes of a
    /// branch since it left `REV`, as a pull request shows them).
    Range(String),
}

/// One file the change adds or modifies (renames included, deletions not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    /// Relative to the scan root, `/`-separated.
    pub path: String,
    /// The lines added or changed, as inclusive 1-based ranges, in order.
    pub added: Vec<(u32, u32)>,
}

impl ChangedFile {
    /// Whether `line` (1-based) was added or changed.
    pub fn touches(&self, line: u32) -> bool {
        self.added.iter().any(|&(first, last)| (first..=last).contains(&line))
    }

    /// Whether any of `first..=last` was added or changed.
    pub fn touches_any(&self, first: u32, last: u32) -> bool {
        self.added.iter().any(|&(start, end)| start <= last && first <= end)
    }
}

/// A snapshot of the change: the changed files, and the contents asked for.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    pub changed: Vec<ChangedFile>,
    /// `(path, contents)` in path order.
    pub contents: Vec<(String, Contents)>,
    /// Files that could not be read (too large).
    pub errors: Vec<SourceError>,
}

/// Why git could not tell.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct GitError(pub String);

/// Reading a change under way: `git diff` and `git cat-file --batch` are started, and run while
/// ward does something else (a pre-commit hook compiles its rules meanwhile); nothing of
/// theirs is read yet. Dropping it stops them.
#[derive(Debug)]
pub(crate) struct PendingSnapshot {
    root: PathBuf,
    change: Change,
    /// The revision the contents are read from; empty for the index.
    side: String,
    diff: Result<Child, GitError>,
    cat_file: Result<Child, GitError>,
}

/// Starts reading `change` in the repository around `root`; paths are relative to `root`, and
/// only files under it are read.
pub(crate) fn start(root: &Path, change: &Change) -> PendingSnapshot {
    let (diff_args, side): (Vec<String>, String) = match change {
        Change::Staged => (vec!["--cached".into()], String::new()),
        Change::Range(range) => {
            let range = if range.contains("..") { range.clone() } else { format!("{range}...HEAD") };
            let right = range.rsplit("..").next().unwrap_or("").trim_start_matches('.');
            let right = if right.is_empty() { "HEAD" } else { right };
            (vec![range.clone()], right.to_owned())
        }
    };
    let mut args: Vec<String> =
        ["-c", "core.quotepath=off", "diff", "--relative", "--no-color", "--no-ext-diff"].map(str::to_owned).to_vec();
    args.extend(["-U0", "-M", "--diff-filter=ACMR", "--src-prefix=a/", "--dst-prefix=b/"].map(str::to_owned));
    args.extend(diff_args);
    let diff = git_command(root, &args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
    let cat_file = git_command(root, &["cat-file".to_owned(), "--batch".to_owned()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let cannot_run = |e: std::io::Error| GitError(format!("cannot run git: {e}"));
    PendingSnapshot {
        root: root.to_path_buf(),
        change: change.clone(),
        side,
        diff: diff.map_err(cannot_run),
        cat_file: cat_file.map_err(cannot_run),
    }
}

impl PendingSnapshot {
    /// Waits for git and reads the snapshot: the changed files with their added lines, and the
    /// contents of those and — with `whole_tree`, for graph rules that need the rest of the
    /// repository — of every tracked file in the same snapshot that `wanted` accepts.
    pub(crate) fn finish(
        mut self,
        whole_tree: bool,
        wanted: &dyn Fn(&str) -> bool,
        max_bytes: u64,
    ) -> Result<Snapshot, GitError> {
        let diff = std::mem::replace(&mut self.diff, Err(GitError(String::new())))?;
        let diff = finished(diff.wait_with_output(), "diff")?;
        let changed = parse_diff(&String::from_utf8_lossy(&diff));
        let mut paths: Vec<String> = changed.iter().map(|file| file.path.clone()).collect();
        if whole_tree {
            let listing = match &self.change {
                Change::Staged => run_git(&self.root, &["ls-files", "-z", "--cached"].map(str::to_owned))?,
                Change::Range(_) => run_git(
                    &self.root,
                    &["ls-tree", "-r", "-z", "--name-only", self.side.as_str(), "--", "."].map(str::to_owned),
                )?,
            };
            paths.extend(
                listing
                    .split(|&byte| byte == 0)
                    .filter_map(|path| std::str::from_utf8(path).ok())
                    .filter(|path| !path.is_empty() && wanted(path))
                    .map(str::to_owned),
            );
        }
        paths.sort();
        paths.dedup();
        // The batch protocol is line-based: a path with a line break cannot be asked for.
        paths.retain(|path| !path.contains('\n'));
        let cat_file = std::mem::replace(&mut self.cat_file, Err(GitError(String::new())))?;
        let (contents, errors) = cat_files(cat_file, &self.side, &paths, max_bytes)?;
        Ok(Snapshot { changed, contents, errors })
    }
}

impl Drop for PendingSnapshot {
    fn drop(&mut self) {
        // Not finished: git is not needed any more.
        for child in [&mut self.diff, &mut self.cat_file].into_iter().flatten() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn git_command(root: &Path, args: &[String]) -> Command {
    let mut command = Command::new("git");
    command.arg("-C").arg(root).args(args);
    command
}

fn run_git(root: &Path, args: &[String]) -> Result<Vec<u8>, GitError> {
    let output = git_command(root, args).stdin(Stdio::null()).output();
    let subcommand = args.iter().find(|a| !a.starts_with('-') && !a.contains('=')).map_or("", String::as_str);
    finished(output, subcommand)
}

/// What a git run wrote, or why it failed: its first line of complaint.
fn finished(output: std::io::Result<Output>, subcommand: &str) -> Result<Vec<u8>, GitError> {
    let output = output.map_err(|e| GitError(format!("cannot run git: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = stderr.lines().find(|line| !line.trim().is_empty()).unwrap_or("failed").trim();
        return Err(GitError(format!("git {subcommand}: {reason}")));
    }
    Ok(output.stdout)
}

/// The files a `git diff -U0` adds to, with their added lines.
fn parse_diff(diff: &str) -> Vec<ChangedFile> {
    let mut files: Vec<ChangedFile> = Vec::new();
    for line in diff.lines() {
        if let Some(target) = line.strip_prefix("+++ ") {
            let path = unquote(target);
            match path.strip_prefix("b/") {
                Some(path) => files.push(ChangedFile { path: path.to_owned(), added: Vec::new() }),
                // `/dev/null`: a deletion (filtered out already, but never attribute hunks to it).
                None => files.push(ChangedFile { path: String::new(), added: Vec::new() }),
            }
        } else if let Some(header) = line.strip_prefix("@@ ") {
            let (Some(file), Some(added)) = (files.last_mut(), added_range(header)) else { continue };
            file.added.extend(added);
        }
    }
    files.retain(|file| !file.path.is_empty());
    files
}

/// The added lines of a hunk header's `+start,count` (count 0: nothing added).
pub(crate) fn added_range(header: &str) -> Option<Option<(u32, u32)>> {
    let plus = header.split_whitespace().find(|part| part.starts_with('+'))?;
    let plus = plus.trim_start_matches('+');
    let (start, count) = match plus.split_once(',') {
        Some((start, count)) => (start.parse::<u32>().ok()?, count.parse::<u32>().ok()?),
        None => (plus.parse::<u32>().ok()?, 1),
    };
    Some((count > 0).then(|| (start, start + count - 1)))
}

/// A path as `git diff` prints it: C-quoted (`"b/caf\303\251"`) when it has unusual bytes.
pub(crate) fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.trim_end().to_owned();
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut chars = inner.bytes().peekable();
    while let Some(byte) = chars.next() {
        if byte != b'\\' {
            bytes.push(byte);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(digit @ b'0'..=b'7') => {
                let mut value = u32::from(digit - b'0');
                for _ in 0..2 {
                    if let Some(next) = chars.next_if(|c| (b'0'..=b'7').contains(c)) {
                        value = value * 8 + u32::from(next - b'0');
                    }
                }
                bytes.push(u8::try_from(value).unwrap_or(b'?'));
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Blobs read, as `(path, contents)`, and the paths that could not be.
type Blobs = (Vec<(String, Contents)>, Vec<SourceError>);

/// The contents of `paths` at `side` (empty: the index), through the one `git cat-file --batch`
/// already started.
fn cat_files(mut child: Child, side: &str, paths: &[String], max_bytes: u64) -> Result<Blobs, GitError> {
    let requests: String = paths.iter().map(|path| format!("{side}:./{path}\n")).collect();
    let mut stdin = child.stdin.take().ok_or_else(|| GitError("git cat-file has no input".into()))?;
    // Written from another thread: git answers while it reads, and a full pipe either way would
    // otherwise stop both.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let stdout = child.stdout.take().ok_or_else(|| GitError("git cat-file has no output".into()))?;
    let mut reader = BufReader::new(stdout);
    let mut contents = Vec::with_capacity(paths.len());
    let mut errors = Vec::new();
    let broken = |e: std::io::Error| GitError(format!("reading git cat-file: {e}"));
    for path in paths {
        let mut header = String::new();
        reader.read_line(&mut header).map_err(broken)?;
        let mut parts = header.split_whitespace();
        let (kind, size) = match (parts.next(), parts.next(), parts.next()) {
            (Some(_), Some(kind), Some(size)) => (kind, size.parse::<u64>().unwrap_or(0)),
            // `<path> missing`: not in this snapshot (a submodule, a path outside the tree).
            _ => continue,
        };
        let mut body = (&mut reader).take(size);
        let too_large = size > max_bytes;
        if kind != "blob" || too_large {
            // Read past, never into memory: the limit bounds what ward holds.
            std::io::copy(&mut body, &mut std::io::sink()).map_err(broken)?;
        } else {
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            body.read_to_end(&mut bytes).map_err(broken)?;
            contents.push((path.clone(), decode(bytes)));
        }
        let mut newline = [0u8; 1];
        reader.read_exact(&mut newline).map_err(broken)?;
        if kind == "blob" && too_large {
            errors.push(SourceError::TooLarge { path: path.clone(), size, limit: max_bytes });
        }
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok((contents, errors))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn added_lines_come_from_the_hunk_headers() {
        let diff = "diff --git a/app.env b/app.env\nindex 1..2 100644\n--- a/app.env\n+++ b/app.env\n@@ -2,0 +3,2 @@\n+A=1\n+B=2\n@@ -9 +11 @@\n-x\n+y\ndiff --git a/gone b/gone\n--- a/gone\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\ndiff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ \"b/caf\\303\\251.txt\"\n@@ -0,0 +1 @@\n+t\n\\ No newline at end of file\n";
        let files = parse_diff(diff);
        assert_eq!(files.len(), 2);
        assert_eq!(files[0], ChangedFile { path: "app.env".into(), added: vec![(3, 4), (11, 11)] });
        assert_eq!(files[1].path, "café.txt");
        assert!(files[0].touches(4) && !files[0].touches(5) && files[0].touches_any(5, 11));
    }
}
