//! A repository's history as the lines each commit added, read from ONE `git log -p
//! --unified=0` stream (not a process per commit), oldest commit first, at bounded memory: one
//! line and one file's added lines of one commit at a time (at most [`MAX_CHUNK`] bytes — a
//! bigger addition is handed on in pieces), whatever the length of the history. Binary files
//! and deletions add no lines.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};

use super::git::{added_range, unquote, GitError};

/// The most added text of one file in one commit handed on at once, in bytes.
const MAX_CHUNK: usize = 1024 * 1024;
/// The longest diff line kept, in bytes: the rest of a longer one (a minified bundle) is dropped.
const MAX_LINE: usize = 64 * 1024;
/// What starts a commit's header line in the stream: a byte no diff line starts with.
const COMMIT_MARK: u8 = 0;

/// A commit of the history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Commit {
    /// The full object id.
    pub id: String,
    /// The author date, strict ISO 8601.
    pub date: String,
}

/// What one read of the history went through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct HistoryStats {
    pub commits: usize,
    /// Bytes of `git log -p` output read.
    pub bytes: u64,
}

/// Lines added to one file by one commit: `text` holds them (each ending in `\n`), `lines[i]` is
/// the line number of its `i`-th line in that commit's version of the file.
#[derive(Debug)]
pub(crate) struct Added<'a> {
    pub commit: &'a Commit,
    pub path: &'a str,
    pub text: &'a str,
    pub lines: &'a [u32],
}

/// Calls `visit` with the lines each commit of `range` (git's revision syntax, `A..B`; `None`:
/// the history of `HEAD`; `--all`: every ref) added under `root`, paths relative to `root`,
/// oldest commit first.
pub(crate) fn each_added(
    root: &Path,
    range: Option<&str>,
    mut visit: impl FnMut(&Added<'_>),
) -> Result<HistoryStats, GitError> {
    let mut command = Command::new("git");
    command.arg("-C").arg(root).args([
        "log",
        "-p",
        "--no-color",
        "--unified=0",
        "--no-ext-diff",
        "--no-textconv",
        "--no-renames",
        "--relative",
        "--reverse",
        "--format=%x00%H %aI",
    ]);
    match range {
        None => {}
        Some("--all") => {
            command.arg("--all");
        }
        Some(range) if range.starts_with('-') => {
            return Err(GitError(format!("`{range}` is not a revision range")));
        }
        Some(range) => {
            command.arg(range);
        }
    }
    command.arg("--");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| GitError(format!("cannot run git: {e}")))?;
    let stats = match child.stdout.take() {
        Some(stdout) => read_log(BufReader::with_capacity(256 * 1024, stdout), &mut visit),
        None => Ok(HistoryStats::default()),
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.by_ref().take(64 * 1024).read_to_string(&mut stderr);
    }
    let status = child.wait().map_err(|e| GitError(format!("git log: {e}")))?;
    if !status.success() {
        let reason = stderr.lines().find(|line| !line.trim().is_empty()).unwrap_or("failed").trim().to_owned();
        return Err(GitError(format!("git log: {reason}")));
    }
    stats.map_err(|e| GitError(format!("git log: {e}")))
}

/// The state of reading a `git log -p --unified=0` stream.
#[derive(Default)]
struct Reader {
    commit: Commit,
    /// The file whose lines are being added, if any (none for a deletion or a binary file).
    path: Option<String>,
    /// Between a `diff --git` line and the file's first hunk.
    in_header: bool,
    next_line: u32,
    text: String,
    lines: Vec<u32>,
}

impl Reader {
    fn flush(&mut self, visit: &mut impl FnMut(&Added<'_>)) {
        if let (Some(path), false) = (&self.path, self.text.is_empty()) {
            visit(&Added { commit: &self.commit, path, text: &self.text, lines: &self.lines });
        }
        self.text.clear();
        self.lines.clear();
    }

    fn line(&mut self, line: &[u8], visit: &mut impl FnMut(&Added<'_>), stats: &mut HistoryStats) {
        match line {
            [COMMIT_MARK, header @ ..] => {
                self.flush(visit);
                self.path = None;
                stats.commits += 1;
                let header = String::from_utf8_lossy(header);
                let mut parts = header.split_whitespace();
                self.commit = Commit {
                    id: parts.next().unwrap_or_default().to_owned(),
                    date: parts.next().unwrap_or_default().to_owned(),
                };
            }
            _ if line.starts_with(b"diff --git ") => {
                self.flush(visit);
                self.path = None;
                self.in_header = true;
            }
            _ if self.in_header && line.starts_with(b"+++ ") => {
                let target = String::from_utf8_lossy(line.get(4..).unwrap_or_default());
                let target = unquote(target.trim_end_matches(['\n', '\r']));
                self.path = target.strip_prefix("b/").map(str::to_owned);
            }
            _ if self.in_header && line.starts_with(b"Binary files ") => self.path = None,
            _ if line.starts_with(b"@@ ") => {
                self.in_header = false;
                let header = String::from_utf8_lossy(line.get(3..).unwrap_or_default());
                self.next_line = added_range(&header).flatten().map_or(0, |(start, _)| start);
            }
            [b'+', added @ ..] if !self.in_header && self.path.is_some() => {
                if self.text.len() + added.len() > MAX_CHUNK {
                    self.flush(visit);
                }
                let added = added.strip_suffix(b"\n").unwrap_or(added);
                let added = added.strip_suffix(b"\r").unwrap_or(added);
                self.text.push_str(&String::from_utf8_lossy(added));
                self.text.push('\n');
                self.lines.push(self.next_line);
                self.next_line = self.next_line.saturating_add(1);
            }
            _ => {}
        }
    }
}

/// Reads the stream line by line (each at most [`MAX_LINE`] bytes kept), handing on each file's
/// added lines.
fn read_log(mut input: impl BufRead, visit: &mut impl FnMut(&Added<'_>)) -> std::io::Result<HistoryStats> {
    let mut stats = HistoryStats::default();
    let mut reader = Reader::default();
    let mut line = Vec::with_capacity(1024);
    loop {
        line.clear();
        let mut ended = false;
        let mut read_any = false;
        while !ended {
            let buffer = input.fill_buf()?;
            if buffer.is_empty() {
                break;
            }
            read_any = true;
            let (take, found) = match buffer.iter().position(|&b| b == b'\n') {
                Some(at) => (at + 1, true),
                None => (buffer.len(), false),
            };
            let room = MAX_LINE.saturating_sub(line.len());
            line.extend_from_slice(buffer.get(..take.min(room)).unwrap_or_default());
            input.consume(take);
            stats.bytes += take as u64;
            ended = found;
        }
        if !read_any {
            break;
        }
        reader.line(&line, visit, &mut stats);
    }
    reader.flush(visit);
    Ok(stats)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn added_lines_keep_their_commit_path_and_line() {
        let log = "\0aaa 2024-01-02T03:04:05+00:00\n\ndiff --git a/x.env b/x.env\nnew file mode 100644\n--- /dev/null\n+++ b/x.env\n@@ -0,0 +1,2 @@\n+A=1\n+++B=2\n\0bbb 2024-02-01T00:00:00+00:00\n\ndiff --git a/x.env b/x.env\n--- a/x.env\n+++ b/x.env\n@@ -2 +2 @@\n-++B=2\n+C=3\ndiff --git a/img.png b/img.png\nBinary files /dev/null and b/img.png differ\ndiff --git a/gone b/gone\n--- a/gone\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n";
        let mut seen = Vec::new();
        let stats = read_log(log.as_bytes(), &mut |added: &Added<'_>| {
            seen.push((added.commit.id.clone(), added.path.to_owned(), added.text.to_owned(), added.lines.to_vec()));
        })
        .unwrap();
        assert_eq!(stats.commits, 2);
        assert_eq!(
            seen,
            [
                ("aaa".into(), "x.env".into(), "A=1\n++B=2\n".into(), vec![1, 2]),
                ("bbb".into(), "x.env".into(), "C=3\n".into(), vec![2]),
            ]
        );
    }
}
