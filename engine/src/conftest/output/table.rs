//! conftest's `table` output: one row per test — `success`, `exception`, `warning`, `skipped`,
//! `failure` — with its file, namespace and message, boxed as the `tablewriter` library draws
//! it (headers upper-cased and centred, cells left-aligned). Nothing at all when there is no
//! row.

use crate::conftest::check::CheckResult;

/// The results as conftest's `table` format writes them.
pub(crate) fn render(results: &[CheckResult]) -> String {
    let mut rows: Vec<[String; 4]> = Vec::new();
    for result in results {
        let row = |kind: &str, message: &str| {
            [kind.to_owned(), result.filename.clone(), result.namespace.clone(), message.to_owned()]
        };
        rows.extend((0..result.successes).map(|_| row("success", "SUCCESS")));
        rows.extend(result.exceptions.iter().map(|m| row("exception", &m.message)));
        rows.extend(result.warnings.iter().map(|m| row("warning", &m.message)));
        rows.extend(result.skipped.iter().map(|m| row("skipped", &m.message)));
        rows.extend(result.failures.iter().map(|m| row("failure", &m.message)));
    }
    if rows.is_empty() {
        return String::new();
    }
    let header = ["RESULT", "FILE", "NAMESPACE", "MESSAGE"];
    let width = |text: &str| text.chars().count();
    let mut widths = header.map(width);
    for row in &rows {
        for (column, cell) in row.iter().enumerate() {
            if let Some(current) = widths.get_mut(column) {
                *current = (*current).max(width(cell));
            }
        }
    }
    let rule = |left: &str, middle: &str, right: &str| {
        let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        format!("{left}{}{right}\n", parts.join(middle))
    };
    let mut out = rule("┌", "┬", "┐");
    let centred: Vec<String> = header
        .iter()
        .zip(widths)
        .map(|(title, w)| {
            let extra = w.saturating_sub(width(title));
            format!(" {}{title}{} ", " ".repeat(extra / 2), " ".repeat(extra - extra / 2))
        })
        .collect();
    out.push_str(&format!("│{}│\n", centred.join("│")));
    out.push_str(&rule("├", "┼", "┤"));
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!(" {cell}{} ", " ".repeat(w.saturating_sub(width(cell)))))
            .collect();
        out.push_str(&format!("│{}│\n", cells.join("│")));
    }
    out.push_str(&rule("└", "┴", "┘"));
    out
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
        let table = crate::conftest::output::table::render(&[result]);
        assert_eq!(table.lines().nth(1), Some("│ RESULT  │  FILE  │ NAMESPACE │ MESSAGE │"));
        assert_eq!(table.lines().nth(3), Some("│ failure │ a.yaml │ main      │ bad     │"));
    }
}
