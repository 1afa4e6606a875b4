//! conftest's `junit` output, as `go-junit-report` writes it: one test suite per namespace
//! (`conftest.<namespace>`), a test case per warning and failure (both counted as failures),
//! per skipped test and per success, named `<file> - <first line of the message>`.

use std::collections::BTreeMap;

use super::Options;
use crate::conftest::check::CheckResult;

enum Outcome {
    Failed(String),
    Skipped(String),
    Passed,
}

/// The results as conftest's `junit` format writes them.
pub(crate) fn render(results: &[CheckResult], options: &Options) -> String {
    let mut suites: BTreeMap<&str, Vec<(String, Outcome)>> = BTreeMap::new();
    for result in results {
        let name = |message: &str| match (options.junit_hide_message, message.is_empty()) {
            (false, false) => format!("{} - {}", result.filename, message.split('\n').next().unwrap_or("")),
            _ => result.filename.clone(),
        };
        let cases = suites.entry(result.namespace.as_str()).or_default();
        for message in result.warnings.iter().chain(&result.failures) {
            cases.push((name(&message.message), Outcome::Failed(message.message.clone())));
        }
        for message in &result.skipped {
            cases.push((name(&message.message), Outcome::Skipped(message.message.clone())));
        }
        cases.extend((0..result.successes).map(|_| (name(""), Outcome::Passed)));
    }
    suites.retain(|_, cases| !cases.is_empty());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if suites.is_empty() {
        out.push_str("<testsuites></testsuites>\n");
        return out;
    }
    out.push_str("<testsuites>\n");
    for (namespace, cases) in suites {
        let suite = format!("conftest.{namespace}");
        let failures = cases.iter().filter(|(_, outcome)| matches!(outcome, Outcome::Failed(_))).count();
        out.push_str(&format!(
            "\t<testsuite tests=\"{}\" failures=\"{failures}\" time=\"0.000\" name=\"{}\">\n",
            cases.len(),
            escape(&suite)
        ));
        out.push_str("\t\t<properties>\n");
        out.push_str(&format!(
            "\t\t\t<property name=\"go.version\" value=\"{}\"></property>\n",
            escape(&options.version)
        ));
        out.push_str("\t\t</properties>\n");
        for (name, outcome) in cases {
            let open =
                format!("\t\t<testcase classname=\"{}\" name=\"{}\" time=\"0.000\">", escape(&suite), escape(&name));
            match outcome {
                Outcome::Passed => out.push_str(&format!("{open}</testcase>\n")),
                Outcome::Failed(message) => out.push_str(&format!(
                    "{open}\n\t\t\t<failure message=\"Failed\" type=\"\">{}</failure>\n\t\t</testcase>\n",
                    escape(&message)
                )),
                Outcome::Skipped(message) => out.push_str(&format!(
                    "{open}\n\t\t\t<skipped message=\"{}\"></skipped>\n\t\t</testcase>\n",
                    escape(&message)
                )),
            }
        }
        out.push_str("\t</testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Text escaped as Go's `xml.EscapeText` escapes it (quotes and line breaks included).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c if (c as u32) < 0x20 => out.push('\u{fffd}'),
            c => out.push(c),
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
        use crate::conftest::check::CheckResult;
        use crate::conftest::output::{junit, Options};
        assert_eq!(
            junit::render(&[CheckResult::new("a.yaml", "main")], &Options::default()),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites></testsuites>\n"
        );
    }
}
