//! conftest's default output: one `FAIL`/`WARN`/`EXCP` line per result (`? … no policies
//! found` for a file and namespace that ran nothing), a blank line and the summary; the labels
//! and the summary coloured as conftest colours them unless `--no-color`.

use super::{indicators, summary, Options};
use crate::conftest::check::CheckResult;

const WHITE: &str = "37";
const YELLOW: &str = "33";
const RED: &str = "31";
const CYAN: &str = "36";
const GREEN: &str = "32";
const BLUE: &str = "34";

fn paint(text: &str, color: &str, options: &Options) -> String {
    match options.color {
        true => format!("\u{1b}[{color}m{text}\u{1b}[0m"),
        false => text.to_owned(),
    }
}

/// The results as conftest's `stdout` format writes them.
pub(crate) fn render(results: &[CheckResult], options: &Options) -> String {
    if options.trace {
        return trace(results, options);
    }
    let mut out = String::new();
    for result in results {
        let (file, namespace) = indicators(result);
        // What the policies printed for this file, as conftest's print hook wrote it.
        for printed in &result.prints {
            out.push_str(printed.trim_end_matches('\n'));
            out.push('\n');
        }
        if result.total() == 0 {
            out.push_str(&format!("{} {file} {namespace} no policies found\n", paint("?", WHITE, options)));
            continue;
        }
        for warning in &result.warnings {
            out.push_str(&format!("{} {file} {namespace} {}\n", paint("WARN", YELLOW, options), warning.message));
        }
        for failure in &result.failures {
            out.push_str(&format!("{} {file} {namespace} {}\n", paint("FAIL", RED, options), failure.message));
        }
        if !options.suppress_exceptions {
            for exception in &result.exceptions {
                out.push_str(&format!("{} {file} {namespace} {}\n", paint("EXCP", CYAN, options), exception.message));
            }
        }
    }
    let count = |len: fn(&CheckResult) -> usize| results.iter().map(len).sum::<usize>();
    let color = if count(|r| r.failures.len()) > 0 {
        RED
    } else if count(|r| r.warnings.len()) > 0 {
        YELLOW
    } else if count(|r| r.exceptions.len()) > 0 {
        CYAN
    } else {
        GREEN
    };
    out.push('\n');
    out.push_str(&paint(&summary(results, options.show_skipped), color, options));
    out.push('\n');
    out
}

/// `--trace`: for each file, each query run and what it ran (`TRAC` lines), then what the
/// policies printed.
fn trace(results: &[CheckResult], options: &Options) -> String {
    let mut out = String::new();
    for result in results {
        let color = if result.failures.is_empty() && result.warnings.is_empty() { GREEN } else { RED };
        let header = |query: &str| paint(&format!("file: {} | query: {query}", result.filename), color, options);
        if result.traces.is_empty() {
            for query in &result.queries {
                out.push_str(&header(query));
                out.push('\n');
            }
        }
        for query in &result.traces {
            out.push_str(&header(&query.query));
            out.push('\n');
            for line in &query.lines {
                // conftest writes the label, an empty operand and the line, space-separated.
                out.push_str(&format!("{}  {line}\n", paint("TRAC ", BLUE, options)));
            }
        }
        for printed in &result.prints {
            out.push_str(printed.trim_end_matches('\n'));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example that was in the documentation of `render`.
    #[test]
    fn render_example() {
        use crate::conftest::check::{CheckMessage, CheckResult};
        use crate::conftest::output::{standard, Options};
        let mut result = CheckResult::new("deployment.yaml", "main");
        result.failures.push(CheckMessage::text("Containers must not run as root"));
        result.successes = 1;
        assert_eq!(
            standard::render(&[result], &Options::default()),
            "FAIL - deployment.yaml - main - Containers must not run as root\n\n2 tests, 1 passed, 0 warnings, 1 failure, 0 exceptions\n"
        );
    }
}
