//! conftest's `azuredevops` output: Azure Pipelines logging commands — a `##[section]` and a
//! collapsed `##[group]` per file and namespace, a `##vso[task.logissue]` per failure (an
//! error), warning and exception (warnings), the skipped and successful counts, and the
//! summary line.

use super::summary;
use crate::conftest::check::CheckResult;

/// The results as conftest's `azuredevops` format writes them.
pub(crate) fn render(results: &[CheckResult]) -> String {
    let mut out = String::new();
    for result in results {
        let file = &result.filename;
        out.push_str(&format!(
            "##[section]Testing '{file}' against {} policies in namespace '{}'\n",
            result.total(),
            result.namespace
        ));
        out.push_str("##[group]See conftest results\n");
        for failure in &result.failures {
            out.push_str(&format!("##vso[task.logissue type=error] file={file} --> {}\n", failure.message));
        }
        for warning in result.warnings.iter().chain(&result.exceptions) {
            out.push_str(&format!("##vso[task.logissue type=warning] file={file} --> {}\n", warning.message));
        }
        for skipped in &result.skipped {
            out.push_str(&format!("skipped file={file} {}\n", skipped.message));
        }
        if result.successes > 0 {
            out.push_str(&format!("success file={file} {}\n", result.successes));
        }
        out.push_str("##[endgroup]\n");
    }
    out.push_str(&summary(results, false));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use crate::conftest::check::{CheckMessage, CheckResult};

    #[test]
    fn sections_groups_and_issues() {
        let mut result = CheckResult::new("deploy.yaml", "main");
        result.failures.push(CheckMessage::text("runs as root"));
        result.warnings.push(CheckMessage::text("no probes"));
        result.successes = 2;
        assert_eq!(
            super::render(&[result]),
            "##[section]Testing 'deploy.yaml' against 4 policies in namespace 'main'\n##[group]See conftest results\n##vso[task.logissue type=error] file=deploy.yaml --> runs as root\n##vso[task.logissue type=warning] file=deploy.yaml --> no probes\nsuccess file=deploy.yaml 2\n##[endgroup]\n4 tests, 2 passed, 1 warning, 1 failure, 0 exceptions\n"
        );
    }
}
