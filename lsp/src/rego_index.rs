//! Where things are declared in a Rego module: its package, its imports, and its rules and
//! functions, read line by line so that a module being edited — which often does not parse —
//! still has symbols and definitions. Rule heads start at the beginning of a line (as `opa fmt`
//! and regorus's own style write them); bodies are indented.

/// A declaration in a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub name: String,
    pub function: bool,
    /// Zero-based line of the head, and the byte range of the name in that line.
    pub line: u32,
    pub start: usize,
    pub end: usize,
    /// Zero-based line of the declaration's last line (its closing brace, if it has a body).
    pub last_line: u32,
}

/// An `import`: the full path and the name it is known by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// `data.ward.lib.k8s`, `rego.v1`, `input.object`.
    pub path: String,
    /// The last part of the path, or the `as` name.
    pub alias: String,
    pub line: u32,
}

/// What a module declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Module {
    /// `ward.basics.docker` (without `data.`), and its line.
    pub package: Option<(String, u32)>,
    pub imports: Vec<Import>,
    pub declarations: Vec<Declaration>,
}

const KEYWORDS: &[&str] = &[
    "package", "import", "default", "not", "some", "every", "with", "as", "if", "contains", "else", "in", "true",
    "false", "null",
];

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Module {
    /// Reads the declarations of a module's text.
    ///
    /// ```
    /// let module = ward_lsp::rego_index::Module::read("package ward.a\n\nimport data.ward.lib.k8s as kk\n\ndeny contains m if {\n  bad(input.object)\n  m := \"x\"\n}\n\nbad(o) if o.x\n");
    /// assert_eq!(module.package.as_ref().map(|p| p.0.as_str()), Some("ward.a"));
    /// assert_eq!(module.imports[0].alias, "kk");
    /// let names: Vec<_> = module.declarations.iter().map(|d| (d.name.as_str(), d.function, d.line, d.last_line)).collect();
    /// assert_eq!(names, [("deny", false, 4, 7), ("bad", true, 9, 9)]);
    /// ```
    pub fn read(text: &str) -> Module {
        let mut module = Module::default();
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let number = u32::try_from(index).unwrap_or(u32::MAX);
            let code = line.split('#').next().unwrap_or("").trim_end();
            if code.is_empty() || code.starts_with(char::is_whitespace) {
                continue;
            }
            if let Some(rest) = code.strip_prefix("package ") {
                module.package = Some((rest.trim().to_owned(), number));
                continue;
            }
            if let Some(rest) = code.strip_prefix("import ") {
                let (path, alias) = match rest.split_once(" as ") {
                    Some((path, alias)) => (path.trim(), alias.trim()),
                    None => (rest.trim(), rest.trim().rsplit('.').next().unwrap_or("")),
                };
                module.imports.push(Import { path: path.to_owned(), alias: alias.to_owned(), line: number });
                continue;
            }
            let (offset, head) = match code.strip_prefix("default ") {
                Some(rest) => (code.len() - rest.len(), rest),
                None => (0, code),
            };
            let name_length = head.find(|c: char| !is_ident_char(c)).unwrap_or(head.len());
            let name = head.get(..name_length).unwrap_or("");
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) || KEYWORDS.contains(&name) {
                continue;
            }
            let after = head.get(name_length..).unwrap_or("").trim_start();
            let function = after.starts_with('(');
            let is_head = function
                || after.is_empty()
                || ["[", ".", ":=", "=", "{", "if", "contains", "else"].iter().any(|start| after.starts_with(start));
            if !is_head {
                continue;
            }
            let last_line = if code.ends_with('{') { closing_line(&lines, index) } else { number };
            module.declarations.push(Declaration {
                name: name.to_owned(),
                function,
                line: number,
                start: offset,
                end: offset + name_length,
                last_line,
            });
        }
        module
    }

    /// The declarations named `name`.
    pub fn declared<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Declaration> + 'a {
        self.declarations.iter().filter(move |d| d.name == name)
    }

    /// The package a reference's first part stands for here: an import's alias, or `data`
    /// itself. `lib.k8s.is_workload` with `import data.ward.lib` is rule `k8s.is_workload` of
    /// package `ward.lib`, which [`resolve`](Module::resolve) splits further.
    pub fn expand(&self, reference: &str) -> Option<String> {
        let (first, rest) = reference.split_once('.').unwrap_or((reference, ""));
        if first == "data" {
            return Some(rest.to_owned());
        }
        let import = self.imports.iter().find(|import| import.alias == first)?;
        let base = import.path.strip_prefix("data.")?;
        Some(if rest.is_empty() { base.to_owned() } else { format!("{base}.{rest}") })
    }
}

/// The line of the brace that closes the block opened at the end of line `start`.
fn closing_line(lines: &[&str], start: usize) -> u32 {
    let mut depth = 0i64;
    for (index, line) in lines.iter().enumerate().skip(start) {
        let mut in_string = false;
        let mut previous = ' ';
        for c in line.chars() {
            match c {
                '"' if previous != '\\' => in_string = !in_string,
                '#' if !in_string => break,
                '{' if !in_string => depth += 1,
                '}' if !in_string => depth -= 1,
                _ => {}
            }
            previous = c;
        }
        if depth <= 0 {
            return u32::try_from(index).unwrap_or(u32::MAX);
        }
    }
    u32::try_from(lines.len().saturating_sub(1)).unwrap_or(u32::MAX)
}

/// The reference (`a.b.c`, identifiers and dots) around byte `at` of `line`, and the byte range
/// it covers. Only the part up to the end of the identifier under the cursor counts, so that
/// on `lib.k8s.is_workload` the cursor on `k8s` gives `lib.k8s`.
pub fn reference_at(line: &str, at: usize) -> Option<(String, usize, usize)> {
    let at = at.min(line.len());
    let before = line.get(..at)?;
    let start = before.rfind(|c: char| !(is_ident_char(c) || c == '.')).map_or(0, |i| i + 1);
    let after = line.get(at..)?;
    let end = at + after.find(|c: char| !is_ident_char(c)).unwrap_or(after.len());
    let reference = line.get(start..end)?.trim_start_matches('.');
    if reference.is_empty() {
        return None;
    }
    Some((reference.to_owned(), end - reference.len(), end))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn heads_are_found_in_modules_that_do_not_parse() {
        let text = "package ward.x\nimport rego.v1\n\ndefault allow := false\n\ndeny contains msg if {\n  x := {\"a\": \"}\"}\n  msg := \n}\n\nwarn[msg] {\n  true\n}\nf(x) := y if { y := x }\n";
        let module = Module::read(text);
        let heads: Vec<_> = module.declarations.iter().map(|d| (d.name.as_str(), d.line, d.last_line)).collect();
        assert_eq!(heads, [("allow", 3, 3), ("deny", 5, 8), ("warn", 10, 12), ("f", 13, 13)]);
        assert_eq!(module.imports[0].alias, "v1");
    }

    #[test]
    fn references_expand_through_imports() {
        let module = Module::read("package a\nimport data.ward.lib.k8s\nimport data.ward.util as u\n");
        assert_eq!(module.expand("k8s.is_workload").as_deref(), Some("ward.lib.k8s.is_workload"));
        assert_eq!(module.expand("u").as_deref(), Some("ward.util"));
        assert_eq!(module.expand("data.ward.x.y").as_deref(), Some("ward.x.y"));
        assert_eq!(module.expand("input.object"), None);
        assert_eq!(reference_at("  k8s.is_workload(input.object)", 8), Some(("k8s.is_workload".into(), 2, 17)));
        assert_eq!(reference_at("  lib.k8s.x", 7), Some(("lib.k8s".into(), 2, 9)));
        assert_eq!(reference_at("  (", 3), None);
    }
}
