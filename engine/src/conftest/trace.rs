//! `--trace` and `print()` for `ward conftest`. conftest prints OPA's evaluation trace (`Enter
//! data.main.deny`, `| Eval input.kind = "Deployment"`, …); regorus keeps no such trace, so the
//! closest real thing is built from what it does record: which lines of which policy an
//! evaluation ran (its coverage). Each query's trace names every rule it entered, as
//! `Enter data.<package>.<rule>` (the rules a helper package defines included), followed by
//! `| Eval <line>` for each line of that rule that ran, in file and line order. `print()`
//! output is gathered as conftest gathers it: `<policy file>:<line>: <message>`.

use std::collections::BTreeSet;

/// The trace of one query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryTrace {
    /// The query, as conftest writes it (`data.main.deny`).
    pub query: String,
    /// Its trace lines.
    pub lines: Vec<String>,
}

/// The trace lines of an evaluation that ran `covered` lines of `code`, a policy file.
pub(crate) fn lines_of(code: &str, covered: &BTreeSet<u32>) -> Vec<String> {
    let mut lines = Vec::new();
    let mut package = String::new();
    let mut rule: Option<String> = None;
    let mut entered: Option<String> = None;
    for (index, text) in code.lines().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let starts_at_column_one = text.chars().next().is_some_and(|c| !c.is_whitespace());
        if let Some(name) = text.strip_prefix("package ") {
            package = name.trim().to_owned();
            rule = None;
            continue;
        }
        if starts_at_column_one && !text.starts_with(['#', '}', ']', ')']) && !text.starts_with("import ") {
            let name: String = text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            rule = (!name.is_empty()).then_some(name);
        }
        if !covered.contains(&number) {
            continue;
        }
        let Some(name) = &rule else { continue };
        let path = format!("data.{package}.{name}");
        if entered.as_deref() != Some(path.as_str()) {
            lines.push(format!("Enter {path}"));
            entered = Some(path);
        }
        let statement = text.trim();
        if !statement.is_empty() && statement != "}" {
            lines.push(format!("| Eval {statement}"));
        }
    }
    lines
}

/// The trace of one evaluation from regorus's coverage report: every policy file's lines, in
/// the order the files were loaded.
pub(crate) fn from_coverage(report: &regorus::coverage::Report) -> Vec<String> {
    report.files.iter().flat_map(|file| lines_of(&file.code, &file.covered)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_entered_and_lines_run() {
        let code = "package kubernetes\n\nis_service if input.kind == \"Service\"\n\nis_deployment if {\n\tinput.kind == \"Deployment\"\n}\n";
        let covered: BTreeSet<u32> = [3, 5, 6].into_iter().collect();
        assert_eq!(
            lines_of(code, &covered),
            [
                "Enter data.kubernetes.is_service",
                "| Eval is_service if input.kind == \"Service\"",
                "Enter data.kubernetes.is_deployment",
                "| Eval is_deployment if {",
                "| Eval input.kind == \"Deployment\"",
            ]
        );
        assert!(lines_of(code, &BTreeSet::new()).is_empty());
    }
}
