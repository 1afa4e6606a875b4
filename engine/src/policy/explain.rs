//! A rule's documentation, assembled once from what is written in its metadata — title,
//! description, remediation, references — and its pack's fixtures (`tests/<RULE-ID>/fail/` and
//! `pass/`) as a failing and a passing example. `ward explain` prints it; the language server's
//! hover and SARIF's rule help reuse the same text.

use super::pack::Pack;
use super::{Policies, RuleMetadata};

/// A fixture file shown as an example.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Example {
    /// Relative to the pack's root.
    pub path: String,
    pub text: String,
}

/// Everything known about one rule, for people.
#[derive(Debug, Clone)]
pub struct RuleDoc<'a> {
    /// The rule's metadata: id, title, severity, kinds, description, remediation, references.
    pub metadata: &'a RuleMetadata,
    /// The rule's file.
    pub path: &'a str,
    /// A file of the rule's pack fixtures the rule fails on, when there is one.
    pub failing: Option<Example>,
    /// A file of the rule's pack fixtures the rule passes, when there is one.
    pub passing: Option<Example>,
}

/// The documentation of the rule with `id` among `policies`, with examples from its pack.
pub fn document<'a>(policies: &'a Policies, packs: &[Pack], id: &str) -> Option<RuleDoc<'a>> {
    let (metadata, path) = policies.rules().find(|(metadata, _)| metadata.id == id)?;
    let pack = packs.iter().find(|pack| Some(pack.manifest.label()) == metadata.pack);
    let example = |outcome: &str| pack.and_then(|pack| first_fixture(pack, id, outcome));
    Some(RuleDoc { metadata, path, failing: example("fail"), passing: example("pass") })
}

/// The first fixture file (in path order) of a rule's `fail` or `pass` case, leaving out the
/// expectations file.
pub(crate) fn first_fixture(pack: &Pack, id: &str, outcome: &str) -> Option<Example> {
    let prefix = format!("tests/{id}/{outcome}/");
    // The files are in path order: the case's are the run that starts at its prefix (a report
    // documents every rule, and a pack may hold thousands of files).
    let case = pack.files.range(prefix.clone()..).take_while(|(path, _)| path.starts_with(&prefix));
    case.filter(|(path, _)| path.strip_prefix(&prefix) != Some("expect.yaml")).find_map(|(path, content)| {
        let text = String::from_utf8(content.clone()).ok()?;
        Some(Example { path: path.clone(), text })
    })
}

impl RuleDoc<'_> {
    /// The documentation as Markdown, readable as it is in a terminal.
    ///
    /// ```
    /// let loaded = ward_engine::load_builtin_policies();
    /// let doc = ward_engine::explain_rule(&loaded.policies, &loaded.packs, "K8S-002").unwrap();
    /// let text = doc.markdown();
    /// assert!(text.starts_with("# K8S-002: Containers have a readiness probe"));
    /// assert!(text.contains("## Failing example") && text.contains("## Passing example"));
    /// ```
    pub fn markdown(&self) -> String {
        markdown(self.metadata, self.path, self.failing.as_ref(), self.passing.as_ref())
    }
}

/// A rule's documentation as Markdown: its metadata, where it is defined, and a failing and a
/// passing example when there are some. (`ward explain`, and SARIF's rule help from a report.)
pub(crate) fn markdown(
    rule: &RuleMetadata,
    path: &str,
    failing: Option<&Example>,
    passing: Option<&Example>,
) -> String {
    let mut text = format!("# {}: {}\n\n", rule.id, rule.title);
    let kinds = if rule.kinds.is_empty() {
        "every kind but generic yaml and json".to_owned()
    } else {
        rule.kinds.iter().map(|kind| kind.name()).collect::<Vec<_>>().join(", ")
    };
    text.push_str(&format!("- severity: {}\n- applies to: {kinds}\n", rule.severity.name()));
    if let Some(pack) = &rule.pack {
        text.push_str(&format!("- pack: {pack}\n"));
    }
    text.push_str(&format!("- defined in: {path}\n"));
    if !rule.description.is_empty() {
        text.push_str(&format!("\n## Why it matters\n\n{}\n", rule.description.trim()));
    }
    if !rule.remediation.is_empty() {
        text.push_str(&format!("\n## How to fix it\n\n{}\n", rule.remediation.trim()));
    }
    for (heading, example) in [("Failing example", failing), ("Passing example", passing)] {
        if let Some(example) = example {
            let fence = if example.text.contains("```") { "~~~~" } else { "```" };
            text.push_str(&format!(
                "\n## {heading}\n\n`{}`:\n\n{fence}{}\n{}\n{fence}\n",
                example.path,
                crate::kinds::highlight_language(&example.path),
                example.text.trim_end()
            ));
        }
    }
    if !rule.references.is_empty() {
        text.push_str("\n## References\n\n");
        for reference in &rule.references {
            text.push_str(&format!("- {reference}\n"));
        }
    }
    text
}
