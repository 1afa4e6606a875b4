//! Feature flags in the graph (one resource per flag, split out by [`crate::kinds`]): a
//! `uses-flag` edge from each source file that names a flag's key to that flag. The search is one Aho-Corasick pass per source file over every key (and its
//! camelCase form, which LaunchDarkly's client SDKs use), outside comments, at identifier
//! boundaries, so that `checkout` is not found inside `new-checkout`.

use std::collections::{BTreeMap, BTreeSet};

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;

use super::{GraphBuilder, Relation};
use crate::document::DocumentKind;
use crate::parse::code::{mask_comments, SourceLanguage};

/// The spellings of a key searched for in code: the key, and its camelCase form
/// (`new-checkout` → `newCheckout`) when that differs.
fn spellings(key: &str) -> Vec<String> {
    let mut out = vec![key.to_owned()];
    let parts: Vec<&str> = key.split(['-', '_', '.', ' ']).filter(|p| !p.is_empty()).collect();
    if parts.len() > 1 {
        let mut camel = String::new();
        for (index, part) in parts.iter().enumerate() {
            let mut chars = part.chars();
            match (index, chars.next()) {
                (0, Some(first)) => {
                    camel.extend(first.to_lowercase());
                    camel.push_str(chars.as_str());
                }
                (_, Some(first)) => {
                    camel.extend(first.to_uppercase());
                    camel.push_str(chars.as_str());
                }
                (_, None) => {}
            }
        }
        if camel != key {
            out.push(camel);
        }
    }
    out
}

/// Characters that continue a key: a match next to one of them is part of a longer name.
fn continues_name(byte: Option<&u8>) -> bool {
    byte.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'$'))
}

pub(crate) fn add_edges(builder: &mut GraphBuilder) {
    // Flag ids by key.
    let mut flags_by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for resource in builder.resources.iter().filter(|r| r.resource_type == "feature-flag") {
        if let Some(key) = &resource.name {
            flags_by_key.entry(key.clone()).or_default().push(resource.id.clone());
        }
    }
    if flags_by_key.is_empty() {
        return;
    }
    let mut needles: Vec<String> = Vec::new();
    let mut needle_keys: Vec<String> = Vec::new();
    for key in flags_by_key.keys() {
        for spelling in spellings(key) {
            needles.push(spelling);
            needle_keys.push(key.clone());
        }
    }
    let Ok(automaton) = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&needles) else { return };
    let code: Vec<(String, usize)> =
        builder.resources.iter().filter(|r| r.kind == DocumentKind::Code).map(|r| (r.id.clone(), r.document)).collect();
    let documents = builder.documents;
    let found: Vec<(String, BTreeSet<String>)> = code
        .par_iter()
        .filter_map(|(id, document)| {
            let doc = documents.get(*document)?;
            let text = mask_comments(&doc.text, SourceLanguage::of(&doc.path));
            let bytes = text.as_bytes();
            let mut keys = BTreeSet::new();
            for hit in automaton.find_overlapping_iter(&text) {
                let before = hit.start().checked_sub(1).and_then(|at| bytes.get(at));
                if continues_name(before) || continues_name(bytes.get(hit.end())) {
                    continue;
                }
                if let Some(key) = needle_keys.get(hit.pattern().as_usize()) {
                    keys.insert(key.clone());
                }
            }
            (!keys.is_empty()).then(|| (id.clone(), keys))
        })
        .collect();
    for (from, keys) in found {
        for key in keys {
            for flag in flags_by_key.get(&key).into_iter().flatten() {
                builder.edge(&from, flag, Relation::UsesFlag);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_also_searched_in_camel_case() {
        assert_eq!(spellings("new-checkout"), ["new-checkout", "newCheckout"]);
        assert_eq!(spellings("beta_banner.v2"), ["beta_banner.v2", "betaBannerV2"]);
        assert_eq!(spellings("darkMode"), ["darkMode"]);
    }
}
