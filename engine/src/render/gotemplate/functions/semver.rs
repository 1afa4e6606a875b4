//! Sprig's `semver` and `semverCompare`, with Masterminds/semver v3's rules: versions may be
//! partial or `v`-prefixed (`v1.29.0-eks-1`, `1.2`); constraints are `,`- or space-joined
//! comparisons (`=`, `!=`, `>`, `>=`, `<`, `<=`, `~`, `^`, `1.2.x`, `*`, `1.2 - 1.4`) and
//! `||` alternatives; a pre-release version only satisfies a comparison whose own version has
//! a pre-release (which is why charts write `>=1.21-0`).

use std::cmp::Ordering;

use super::{Args, Context, FnError, FnResult};
use crate::render::gotemplate::value::Value;

pub(crate) const NAMES: &[&str] = &["semver", "semverCompare"];

/// A version: numbers, pre-release identifiers, build metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    build: String,
}

impl Version {
    /// Masterminds' loose parsing; `None` for "Invalid Semantic Version".
    fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let (text, build) = text.split_once('+').map_or((text, ""), |(a, b)| (a, b));
        let (core, pre) = text.split_once('-').map_or((text, ""), |(a, b)| (a, b));
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        let number = |part: Option<&&str>| -> Option<u64> {
            match part {
                None => Some(0),
                Some(part) if !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()) => part.parse().ok(),
                Some(_) => None,
            }
        };
        let valid_ident = |ident: &str| {
            ident.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        };
        if (!pre.is_empty() && !valid_ident(pre)) || (!build.is_empty() && !valid_ident(build)) {
            return None;
        }
        Some(Version {
            major: number(parts.first())?,
            minor: number(parts.get(1))?,
            patch: number(parts.get(2))?,
            pre: pre.to_owned(),
            build: build.to_owned(),
        })
    }

    fn compare(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| compare_pre(&self.pre, &other.pre))
    }
}

/// Semver's pre-release precedence: none is higher than any; identifiers compared in turn.
fn compare_pre(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (mut left, mut right) = (a.split('.'), b.split('.'));
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let ordering = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(x), Ok(y)) => x.cmp(&y),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => x.cmp(y),
                };
                if ordering != Ordering::Equal {
                    return ordering;
                }
            }
        }
    }
}

/// One comparison of a constraint: an operator and a version that may be partial (`1.2`,
/// `1.x`), with how many of its numbers were given.
#[derive(Debug, Clone)]
struct Comparison {
    operator: String,
    version: Version,
    given: usize,
}

impl Comparison {
    fn parse(text: &str) -> Option<Comparison> {
        let text = text.trim();
        let split = text.find(|c: char| c.is_ascii_alphanumeric() || c == '*').unwrap_or(text.len());
        let operator = text.get(..split).unwrap_or("").trim().to_owned();
        if !matches!(operator.as_str(), "" | "=" | "!=" | ">" | ">=" | "=>" | "<" | "<=" | "=<" | "~" | "~>" | "^") {
            return None;
        }
        let raw = text.get(split..).unwrap_or("").trim();
        let raw = raw.strip_prefix(['v', 'V']).unwrap_or(raw);
        let (core, rest) = match raw.find(['-', '+']) {
            Some(at) => (raw.get(..at).unwrap_or(""), raw.get(at..).unwrap_or("")),
            None => (raw, ""),
        };
        let numbers: Vec<&str> = core.split('.').collect();
        let given = numbers.iter().take_while(|part| !matches!(**part, "x" | "X" | "*" | "")).count();
        let concrete: Vec<&str> = numbers.iter().take(given).copied().chain(std::iter::repeat("0")).take(3).collect();
        let version = Version::parse(&format!("{}{rest}", concrete.join(".")))?;
        Some(Comparison { operator, version, given: given.min(3) })
    }

    fn matches(&self, version: &Version) -> bool {
        // A pre-release only satisfies a comparison that names one.
        if !version.pre.is_empty() && self.version.pre.is_empty() {
            return false;
        }
        let c = &self.version;
        let ordering = version.compare(c);
        // The first version past the range a partial version names (`1.2` → 1.3.0).
        let upper = |given: usize| -> Version {
            match given {
                0 => Version { major: u64::MAX, minor: 0, patch: 0, pre: String::new(), build: String::new() },
                1 => Version {
                    major: c.major.saturating_add(1),
                    minor: 0,
                    patch: 0,
                    pre: String::new(),
                    build: String::new(),
                },
                2 => Version {
                    major: c.major,
                    minor: c.minor.saturating_add(1),
                    patch: 0,
                    pre: String::new(),
                    build: String::new(),
                },
                _ => Version {
                    major: c.major,
                    minor: c.minor,
                    patch: c.patch.saturating_add(1),
                    pre: String::new(),
                    build: String::new(),
                },
            }
        };
        let below = |bound: &Version| version.compare(bound) == Ordering::Less;
        match self.operator.as_str() {
            "" | "=" => {
                if self.given < 3 {
                    ordering != Ordering::Less && below(&upper(self.given))
                } else {
                    ordering == Ordering::Equal
                }
            }
            "!=" => {
                if self.given < 3 {
                    !(ordering != Ordering::Less && below(&upper(self.given)))
                } else {
                    ordering != Ordering::Equal
                }
            }
            ">" => {
                if self.given < 3 {
                    !below(&upper(self.given))
                } else {
                    ordering == Ordering::Greater
                }
            }
            ">=" | "=>" => ordering != Ordering::Less,
            "<" => ordering == Ordering::Less,
            "<=" | "=<" => {
                if self.given < 3 {
                    below(&upper(self.given))
                } else {
                    ordering != Ordering::Greater
                }
            }
            "~" | "~>" => ordering != Ordering::Less && below(&upper(if self.given <= 1 { 1 } else { 2 })),
            "^" => {
                let bound = if c.major > 0 || self.given <= 1 {
                    upper(1)
                } else if c.minor > 0 || self.given == 2 {
                    upper(2)
                } else {
                    upper(3)
                };
                ordering != Ordering::Less && below(&bound)
            }
            _ => false,
        }
    }
}

/// A whole constraint: alternatives (`||`) of conjunctions.
fn satisfies(constraint: &str, version: &Version) -> Result<bool, FnError> {
    let improper = || FnError::Call(format!("improper constraint: {constraint}"));
    let mut any = false;
    for alternative in constraint.split("||") {
        let alternative = alternative.trim();
        let mut all = true;
        // A hyphen range `1.2 - 1.4.5`.
        if let Some((low, high)) = alternative.split_once(" - ") {
            let low = Comparison::parse(&format!(">={}", low.trim())).ok_or_else(improper)?;
            let high = Comparison::parse(&format!("<={}", high.trim())).ok_or_else(improper)?;
            any |= low.matches(version) && high.matches(version);
            continue;
        }
        let mut tokens: Vec<String> = Vec::new();
        for piece in alternative.split([',', ' ']).filter(|piece| !piece.is_empty()) {
            // An operator written apart from its version (`>= 1.2`) joins the next piece.
            match tokens.last_mut() {
                Some(last) if !last.chars().any(|c| c.is_ascii_alphanumeric() || c == '*') => last.push_str(piece),
                _ => tokens.push(piece.to_owned()),
            }
        }
        if tokens.is_empty() {
            return Err(improper());
        }
        for token in tokens {
            let comparison = Comparison::parse(&token).ok_or_else(improper)?;
            all &= comparison.matches(version);
        }
        any |= all;
    }
    Ok(any)
}

pub(crate) fn call(name: &str, args: Args<'_>, _context: &mut Context<'_>) -> FnResult {
    match name {
        "semverCompare" => {
            args.exactly(2)?;
            let constraint = args.str(0)?;
            let version =
                Version::parse(args.str(1)?).ok_or_else(|| FnError::Call("Invalid Semantic Version".into()))?;
            Ok(Value::bool(satisfies(constraint, &version)?))
        }
        _ => {
            args.exactly(1)?;
            let original = args.str(0)?;
            let version = Version::parse(original).ok_or_else(|| FnError::Call("Invalid Semantic Version".into()))?;
            let int = |n: u64| Value::int(i64::try_from(n).unwrap_or(i64::MAX));
            Ok(Value::map(
                [
                    ("Major".to_owned(), int(version.major)),
                    ("Minor".to_owned(), int(version.minor)),
                    ("Patch".to_owned(), int(version.patch)),
                    ("Prerelease".to_owned(), Value::string(version.pre.as_str())),
                    ("Metadata".to_owned(), Value::string(version.build.as_str())),
                    ("Original".to_owned(), Value::string(original)),
                ]
                .into_iter()
                .collect(),
            ))
        }
    }
}
