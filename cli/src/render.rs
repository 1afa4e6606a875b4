//! Drawing engine diagnostics on stderr: miette code frames, colour only on a terminal.

use std::io::IsTerminal;

use miette::{GraphicalReportHandler, GraphicalTheme};
use ward_engine::Diagnostic;

pub fn diagnostics(diagnostics: &[Diagnostic]) {
    let theme = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(2);
    for diagnostic in diagnostics {
        let mut out = String::new();
        // Rendering into a String cannot fail for lack of space; fall back to the plain line.
        if handler.render_report(&mut out, diagnostic).is_err() {
            out = diagnostic.to_string();
        }
        eprintln!("{}", out.trim_end());
    }
}
