//! conftest's `github` output: GitHub Actions workflow commands — a `::group::` per file and
//! namespace, an `::error`/`::warning`/`::notice` annotation per result at line 1 of the file
//! (or where the result's `_loc` says), and the summary.

use serde_json::Value;

use super::summary;
use crate::conftest::check::{go_quote, CheckMessage, CheckResult};

/// The results as conftest's `github` format writes them.
pub(crate) fn render(results: &[CheckResult]) -> String {
    let mut out = String::new();
    for result in results {
        out.push_str(&format!(
            "::group::Testing {} against {} policies in namespace {}\n",
            go_quote(&result.filename),
            result.total(),
            go_quote(&result.namespace)
        ));
        let file = (result.filename.clone(), "1".to_owned());
        for failure in &result.failures {
            annotate(&mut out, "error", &file, failure, &failure.message);
        }
        for warning in &result.warnings {
            annotate(&mut out, "warning", &file, warning, &warning.message);
        }
        for exception in &result.exceptions {
            annotate(&mut out, "notice", &file, exception, &exception.message);
        }
        for skipped in &result.skipped {
            annotate(&mut out, "notice", &file, skipped, &format!("Test was skipped: {}", skipped.message));
        }
        write(&mut out, "notice", &file, &format!("Number of successful checks: {}", result.successes));
        out.push_str("::endgroup::\n");
    }
    out.push_str(&summary(results, false));
    out.push('\n');
    out
}

fn write(out: &mut String, level: &str, (file, line): &(String, String), message: &str) {
    out.push_str(&format!("::{level} file={file},line={line}::{message}\n"));
}

/// A result's annotation: at its `_loc` when it has one in the same file; when `_loc` is in
/// another file, there and again at the checked file, saying where it came from.
fn annotate(out: &mut String, level: &str, file: &(String, String), result: &CheckMessage, message: &str) {
    let Some(location) = &result.location else { return write(out, level, file, message) };
    let loc_file = location.get("file").and_then(Value::as_str).unwrap_or("").to_owned();
    let line = match location.get("line") {
        Some(Value::String(line)) => line.clone(),
        Some(line) => line.to_string(),
        None => "0".to_owned(),
    };
    if loc_file == file.0 {
        return write(out, level, &(loc_file, line), message);
    }
    write(out, level, &(loc_file.clone(), line.clone()), message);
    write(out, level, file, &format!("(ORIGINATING FROM {loc_file} L{line}) {message}"));
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example that was in the documentation of `render`.
    #[test]
    fn render_example() {
        use crate::conftest::check::{CheckMessage, CheckResult};
        let mut result = CheckResult::new("a.yaml", "main");
        result.failures.push(CheckMessage::text("bad"));
        assert_eq!(
            crate::conftest::output::github::render(&[result]),
            "::group::Testing \"a.yaml\" against 1 policies in namespace \"main\"\n::error file=a.yaml,line=1::bad\n::notice file=a.yaml,line=1::Number of successful checks: 0\n::endgroup::\n1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions\n"
        );
    }
}
