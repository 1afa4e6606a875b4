//! Which environment a file belongs to, inferred from its path alone (below the configuration,
//! which names environments for path globs, and the graph, which assigns them): `.env.production`,
//! `overlays/prod/`, `staging.tfvars`, `infra/stg/`. The deepest part of the path that names an
//! environment wins, so `prod/overlays/staging/x.yaml` is staging.

/// Words that name an environment, and the canonical name each maps to.
const ENVIRONMENT_WORDS: [(&str, &str); 15] = [
    ("production", "production"),
    ("prod", "production"),
    ("prd", "production"),
    ("live", "production"),
    ("staging", "staging"),
    ("stage", "staging"),
    ("stg", "staging"),
    ("preprod", "staging"),
    ("development", "development"),
    ("dev", "development"),
    ("develop", "development"),
    ("test", "test"),
    ("testing", "test"),
    ("qa", "qa"),
    ("uat", "qa"),
];

/// The environment a path names, if any.
pub(crate) fn infer_environment(path: &str) -> Option<String> {
    path.rsplit('/').find_map(|part| {
        // Within one part, the last matching word wins too: `app.prod.yaml` → production.
        part.split(|c: char| !c.is_ascii_alphanumeric())
            .rev()
            .find_map(|word| environment_word(&word.to_ascii_lowercase()))
    })
}

/// The canonical name for an environment word (also used for names in `ward.toml`).
pub(crate) fn environment_word(word: &str) -> Option<String> {
    ENVIRONMENT_WORDS.iter().find(|(alias, _)| *alias == word).map(|(_, canonical)| (*canonical).to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    /// The example from the documentation of `infer_environment`.
    #[test]
    fn infer_environment_example() {
        use super::infer_environment;
        assert_eq!(infer_environment(".env.production").as_deref(), Some("production"));
        assert_eq!(infer_environment("deploy/overlays/stg/kustomization.yaml").as_deref(), Some("staging"));
        assert_eq!(infer_environment("infra/prod.tfvars").as_deref(), Some("production"));
        assert_eq!(infer_environment("services/api/Dockerfile"), None);
        assert_eq!(infer_environment("testdata/repos/shop/.env.example"), None);
    }
}
