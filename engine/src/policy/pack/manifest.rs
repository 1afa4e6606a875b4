//! `pack.toml`: a pack's name, SemVer version, description, the ward versions it works with and
//! the packs it depends on. Checked against `schemas/pack.schema.json` (embedded) on load, with
//! every problem at its line and column in the manifest.

use semver::{Version, VersionReq};
use serde_json::Value;

use super::PackRef;
use crate::diagnostic::Diagnostic;
#[cfg(test)]
use crate::document::LineIndex;
use crate::document::Position;
use crate::policy::Checks;
use crate::schema::{EmbeddedSchema, TomlFile};

/// The manifest's schema, compiled once.
static SCHEMA: EmbeddedSchema =
    EmbeddedSchema::new("pack.schema.json", include_str!("../../../../schemas/pack.schema.json"));

/// The version of ward that is running, which a pack's `ward` requirement must accept.
pub(crate) const WARD_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A pack's `pack.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The pack's name: what `ward.toml`, dependencies and rule labels name it by.
    pub name: String,
    /// The pack's version (SemVer).
    pub version: Version,
    /// What the pack checks, in a sentence.
    pub description: String,
    /// The ward versions the pack works with.
    pub ward: VersionReq,
    /// Other packs by name, with the versions this one accepts; in name order.
    pub dependencies: Vec<Dependency>,
}

/// A pack another one needs loaded beside it (its `lib/` packages, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub name: String,
    pub requirement: VersionReq,
    /// Where it is written in `pack.toml`.
    pub position: Position,
}

impl Manifest {
    /// Reads a manifest; `path` names it in errors.
    ///
    /// ```
    /// use ward_engine::Manifest;
    /// let text = "name = \"core\"\nversion = \"1.2.0\"\ndescription = \"Core checks\"\nward = \">=0.1\"\n";
    /// let manifest = Manifest::parse("core/pack.toml", text).unwrap();
    /// assert_eq!((manifest.name.as_str(), manifest.version.to_string()), ("core", "1.2.0".to_string()));
    ///
    /// let error = Manifest::parse("core/pack.toml", &text.replace("1.2.0", "1.2")).unwrap_err();
    /// assert_eq!(error.position.map(|p| (p.line, p.column)), Some((2, 11)));
    /// ```
    pub fn parse(path: &str, text: &str) -> Result<Manifest, Diagnostic> {
        Manifest::parse_with(path, text, Checks::Full)
    }

    /// [`Manifest::parse`]; with [`Checks::Builtin`], without the schema check.
    pub fn parse_with(path: &str, text: &str, checks: Checks) -> Result<Manifest, Diagnostic> {
        let file = TomlFile::parse(path, text)?;
        if checks == Checks::Full {
            file.check(&SCHEMA, |violation| match violation.pointer.as_str() {
                "/version" if !violation.on_key => Some("`version` must be a SemVer version, such as 1.2.0".to_owned()),
                "/name" if !violation.on_key => Some(
                    "`name` must be lower-case letters, digits and `-`, starting with a letter or digit".to_owned(),
                ),
                _ => None,
            })?;
        }
        let value = file.value();
        let text_at = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default();
        let version = Version::parse(text_at("version"))
            .map_err(|e| file.error_at("/version", format!("`version` is not a SemVer version: {e}")))?;
        let ward = VersionReq::parse(text_at("ward"))
            .map_err(|e| file.error_at("/ward", format!("`ward` is not a SemVer requirement: {e}")))?;
        let mut dependencies = Vec::new();
        for (name, requirement) in value.get("dependencies").and_then(Value::as_object).into_iter().flatten() {
            let pointer = crate::document::pointer_push("/dependencies", name);
            let requirement = VersionReq::parse(requirement.as_str().unwrap_or_default()).map_err(|e| {
                file.error_at(&pointer, format!("the requirement on `{name}` is not a SemVer requirement: {e}"))
            })?;
            let position = file.position(file.locate(&pointer));
            dependencies.push(Dependency { name: name.clone(), requirement, position });
        }
        dependencies.sort_by(|a, b| a.name.cmp(&b.name));
        let manifest = Manifest {
            name: text_at("name").to_owned(),
            version,
            description: text_at("description").to_owned(),
            ward,
            dependencies,
        };
        // Only a released ward is compared: a pre-release build is taken to be its release.
        let running = Version::parse(WARD_VERSION).map(|mut v| {
            v.pre = semver::Prerelease::EMPTY;
            v
        });
        if let Ok(running) = running {
            if !manifest.ward.matches(&running) {
                return Err(file.error_at(
                    "/ward",
                    format!("pack {} needs ward {}, and this is ward {running}", manifest.label(), manifest.ward),
                ));
            }
        }
        Ok(manifest)
    }

    /// The pack as findings and reports name it: `name@version`.
    pub fn label(&self) -> PackRef {
        PackRef::new(self.name.clone(), self.version.clone())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn position_of(text: &str, needle: &str) -> Position {
        let offset = text.find(needle).unwrap();
        LineIndex::new(text).position(text, offset)
    }

    const GOOD: &str = "name = \"core\"\nversion = \"1.0.0\"\ndescription = \"d\"\nward = \">=0.1\"\n\n[dependencies]\nbase = \"^2.1\"\n";

    #[test]
    fn problems_are_reported_where_they_are_written() {
        let cases = [
            ("a bad name", GOOD.replace("\"core\"", "\"Core Pack\""), "\"Core Pack\"", "`name` must be lower-case"),
            ("a bad version", GOOD.replace("1.0.0", "1.0"), "\"1.0\"", "`version` must be a SemVer version"),
            (
                "an unknown key",
                GOOD.replace("[dependencies]", "colour = \"blue\"\n[dependencies]"),
                "colour",
                "unknown key `colour`",
            ),
            ("a missing key", GOOD.replace("description = \"d\"\n", ""), "", "\"description\" is a required property"),
            (
                "a bad requirement",
                GOOD.replace("^2.1", "not a version"),
                "\"not a version\"",
                "the requirement on `base`",
            ),
            ("a ward too new", GOOD.replace(">=0.1", ">=99.0"), "\">=99.0\"", "needs ward >=99.0"),
            ("bad TOML", GOOD.replace("ward = ", "ward = = "), "= \">=", "expected"),
        ];
        for (name, text, needle, message) in cases {
            let error = Manifest::parse("p/pack.toml", &text).unwrap_err();
            assert!(error.message.contains(message), "{name}: {error}");
            if !needle.is_empty() {
                assert_eq!(error.position, Some(position_of(&text, needle)), "{name}: {error}");
            }
        }
        let manifest = Manifest::parse("p/pack.toml", GOOD).unwrap();
        assert_eq!(manifest.dependencies[0].name, "base");
        assert_eq!(manifest.dependencies[0].position, position_of(GOOD, "\"^2.1\""));
        assert_eq!(manifest.label().to_string(), "core@1.0.0");
    }
}
