//! [`PackRef`]: a pack as findings, rules and reports name it, `name@version`. Everything that
//! carries a pack label carries one of these, so that the label is taken apart in one place.
//! It is written as its label wherever it is serialized, so reports read `"pack": "core@1.0.0"`.

use std::fmt;
use std::str::FromStr;

use semver::Version;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A pack by name and version: `core@1.0.0`.
///
/// ```
/// use ward_engine::PackRef;
/// let pack: PackRef = "secrets@0.1.0".parse().unwrap();
/// assert_eq!((pack.name.as_str(), pack.version.to_string().as_str()), ("secrets", "0.1.0"));
/// assert_eq!(pack.to_string(), "secrets@0.1.0");
/// assert!("secrets".parse::<PackRef>().is_err());
/// assert!("secrets@latest".parse::<PackRef>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PackRef {
    /// The pack's name (`secrets`).
    pub name: String,
    /// The pack's version.
    pub version: Version,
}

/// A label that is not `name@version`.
#[derive(Debug, thiserror::Error)]
pub enum PackRefError {
    #[error("`{0}` is not a pack label (name@version)")]
    NoVersion(String),
    #[error("`{label}` is not a pack label: the version is not a SemVer version: {reason}")]
    BadVersion {
        label: String,
        #[source]
        reason: semver::Error,
    },
}

impl PackRef {
    /// The label of version `version` of the pack `name`.
    pub fn new(name: impl Into<String>, version: Version) -> PackRef {
        PackRef { name: name.into(), version }
    }
}

impl fmt::Display for PackRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.name, self.version)
    }
}

impl FromStr for PackRef {
    type Err = PackRefError;

    fn from_str(label: &str) -> Result<PackRef, PackRefError> {
        // Pack names are letters, digits and `-`, so the first `@` ends the name.
        let (name, version) = label
            .split_once('@')
            .filter(|(name, _)| !name.is_empty())
            .ok_or_else(|| PackRefError::NoVersion(label.to_owned()))?;
        let version =
            Version::parse(version).map_err(|reason| PackRefError::BadVersion { label: label.to_owned(), reason })?;
        Ok(PackRef { name: name.to_owned(), version })
    }
}

impl Serialize for PackRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PackRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PackRef, D::Error> {
        let label = String::deserialize(deserializer)?;
        label.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn labels_round_trip_through_json() {
        for label in ["core@1.0.0", "release-safety@0.1.0", "p@2.0.0-rc.1+build.5"] {
            let pack: PackRef = label.parse().unwrap();
            assert_eq!(pack.to_string(), label);
            let json = serde_json::to_string(&pack).unwrap();
            assert_eq!(json, format!("\"{label}\""));
            assert_eq!(serde_json::from_str::<PackRef>(&json).unwrap(), pack);
        }
        for bad in ["core", "@1.0.0", "core@", "core@1.0"] {
            assert!(bad.parse::<PackRef>().is_err(), "{bad}");
        }
    }
}
