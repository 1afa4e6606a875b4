//! Where a regorus error is. regorus reports errors as preformatted text
//! (`--> file:line:col`, a code frame, then `error: message`); this is the one place that takes
//! that text apart, so the rest of ward deals in [`Diagnostic`]s.

use crate::diagnostic::Diagnostic;
use crate::document::Position;

/// The file, position and message of a regorus error's text; `None` when it names no position
/// (the caller then reports the error against the policy file as a whole).
pub(crate) fn locate(text: &str) -> Option<Diagnostic> {
    let location = text.lines().find_map(|line| line.trim_start().strip_prefix("--> "))?;
    // The path may itself contain `:`; line and column are the last two fields.
    let mut fields = location.trim().rsplitn(3, ':');
    // regorus reports some lexer errors at column 0 (before the line's first character); ward's
    // positions are 1-based.
    let column = fields.next()?.parse::<u32>().ok()?.max(1);
    let line = fields.next()?.parse::<u32>().ok()?.max(1);
    let path = fields.next()?.to_owned();
    let message = text
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("error: "))
        .map_or_else(|| text.trim().to_owned(), |message| message.trim().to_owned());
    Some(Diagnostic::at_position(path, Position { line, column }, message))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn positions_and_messages_of_regorus_errors() {
        // (regorus text, expected (path, line, column, message))
        type Case<'a> = (&'a str, Option<(&'a str, u32, u32, &'a str)>);
        let cases: &[Case] = &[
            (
                "\n--> policies/undef.rego:4:13\n  |\n4 |   msg := foo(1)\n  |             ^\nerror: could not find function foo",
                Some(("policies/undef.rego", 4, 13, "could not find function foo")),
            ),
            ("\n--> C:/work/p.rego:12:1\n  |\nerror: unexpected token", Some(("C:/work/p.rego", 12, 1, "unexpected token"))),
            ("rule data.x.deny timed out", None),
            // Found by policy_no_panic: an error before a line's first character.
            (
                "--> rules/r.rego:10:0\nerror: invalid whitespace between . and identifier",
                Some(("rules/r.rego", 10, 1, "invalid whitespace between . and identifier")),
            ),
            ("--> nocolumn.rego:3\nerror: x", None),
        ];
        for (text, expected) in cases {
            let got = locate(text).and_then(|e| Some((e.path, e.position?.line, e.position?.column, e.message)));
            let expected = expected.map(|(p, l, c, m)| (p.to_owned(), l, c, m.to_owned()));
            assert_eq!(got, expected, "{text:?}");
        }
    }

    /// The example from the documentation of `locate`.
    #[test]
    fn locate_example() {
        use crate::policy::rego_error::locate;
        let text = "\n--> policies/bad.rego:4:7\n  |\n4 |   msg := input.a +\n  |       ^\nerror: expecting `}` while parsing set";
        let error = locate(text).unwrap();
        assert_eq!(error.path, "policies/bad.rego");
        assert_eq!(error.position.map(|p| (p.line, p.column)), Some((4, 7)));
        assert_eq!(error.message, "expecting `}` while parsing set");
    }
}
