//! conftest's `tap` output (Test Anything Protocol): per file and namespace a plan `1..N`,
//! `not ok` for failures, then `# warnings`, `# exceptions`, `# skip` and `# successes`
//! sections.

use super::indicators;
use crate::conftest::check::CheckResult;

/// The results as conftest's `tap` format writes them. A file and namespace that ran no test
/// writes nothing (conftest stops at the first such; ward goes on to the next, see README).
pub(crate) fn render(results: &[CheckResult]) -> String {
    let mut out = String::new();
    for result in results {
        let total = result.total();
        if total == 0 {
            continue;
        }
        let (file, namespace) = indicators(result);
        let mut counter = 1;
        out.push_str(&format!("1..{total}\n"));
        for failure in &result.failures {
            out.push_str(&format!("not ok {counter} {file} {namespace} {}\n", failure.message));
            counter += 1;
        }
        let sections = [
            ("# warnings", "not ok", &result.warnings),
            ("# exceptions", "ok", &result.exceptions),
            ("# skip", "ok", &result.skipped),
        ];
        for (heading, status, messages) in sections {
            if messages.is_empty() {
                continue;
            }
            out.push_str(heading);
            out.push('\n');
            for message in messages {
                out.push_str(&format!("{status} {counter} {file} {namespace} {}\n", message.message));
                counter += 1;
            }
        }
        if result.successes > 0 {
            out.push_str("# successes\n");
            for _ in 0..result.successes {
                out.push_str(&format!("ok {counter} {file} {namespace} SUCCESS\n"));
                counter += 1;
            }
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
        let mut result = CheckResult::new("service.yaml", "main");
        result.warnings.push(CheckMessage::text("no services"));
        result.successes = 1;
        assert_eq!(
            crate::conftest::output::tap::render(&[result]),
            "1..2\n# warnings\nnot ok 1 - service.yaml - main - no services\n# successes\nok 2 - service.yaml - main - SUCCESS\n"
        );
    }
}
