//! Finding the Terraform addresses an expression names (`aws_s3_bucket.logs.id`,
//! `data.aws_iam_policy_document.x.json`, `module.vpc.vpc_id`, `var.region`, `local.name`), by
//! scanning its text: every reference is a dotted run of identifiers, inside or outside `${}`.

/// The candidate addresses in an expression, in order, each once: `var.x`, `local.x`,
/// `module.x`, `data.t.n`, and `t.n` for anything else (a resource, if one has that address).
pub(crate) fn terraform_references(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let is_part = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.';
    for run in text.split(|c: char| !is_part(c)) {
        let parts: Vec<&str> = run.split('.').collect();
        let address = match parts.as_slice() {
            ["var" | "local" | "module", name, ..] if is_identifier(name) => parts.get(..2).map(|p| p.join(".")),
            ["data", kind, name, ..] if is_identifier(kind) && is_identifier(name) => {
                parts.get(..3).map(|p| p.join("."))
            }
            [kind, name, ..] if is_identifier(kind) && is_identifier(name) && kind.contains('_') => {
                parts.get(..2).map(|p| p.join("."))
            }
            _ => None,
        };
        if let Some(address) = address {
            if !found.contains(&address) {
                found.push(address);
            }
        }
    }
    found
}

fn is_identifier(part: &str) -> bool {
    part.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `terraform_references`.
    #[test]
    fn terraform_references_example() {
        use super::terraform_references;
        assert_eq!(
            terraform_references("\"${aws_s3_bucket.logs.id}-${var.env}\""),
            vec!["aws_s3_bucket.logs", "var.env"]
        );
        assert_eq!(terraform_references("data.aws_iam_policy_document.x.json"), vec!["data.aws_iam_policy_document.x"]);
    }
}
