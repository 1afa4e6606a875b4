//! Byte-level mutations of real inputs for the no-panic tests: insertions, deletions,
//! replacements, truncations and duplications, drawn mostly from the bytes that matter to the
//! grammars ward reads.

use proptest::prelude::*;

#[derive(Debug, Clone)]
pub(crate) enum Mutation {
    Insert(usize, u8),
    Delete(usize, usize),
    Replace(usize, u8),
    Truncate(usize),
    Duplicate(usize, usize),
}

pub(crate) fn mutation() -> impl Strategy<Value = Mutation> {
    // Bytes that matter to these grammars are drawn more often than others.
    let byte = prop_oneof![
        4 => prop::sample::select(b"{}[]()\"'`$\\:#-<>=,\n\t *&|!%@.".to_vec()),
        1 => any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), 1..16usize).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), byte).prop_map(|(at, b)| Mutation::Replace(at, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1..64usize).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
    ]
}

pub(crate) fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for mutation in mutations {
        let len = bytes.len().max(1);
        match *mutation {
            Mutation::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
            Mutation::Delete(at, n) => {
                let start = at % len;
                let end = (start + n).min(bytes.len());
                if start < end {
                    bytes.drain(start..end);
                }
            }
            Mutation::Replace(at, b) => {
                if let Some(slot) = bytes.get_mut(at % len) {
                    *slot = b;
                }
            }
            Mutation::Truncate(at) => bytes.truncate(at % len),
            Mutation::Duplicate(at, n) => {
                let start = at % len;
                let end = (start + n).min(bytes.len());
                let copy: Vec<u8> = bytes.get(start..end).unwrap_or_default().to_vec();
                bytes.splice(end..end, copy);
            }
        }
    }
    // Parsers take text; invalid UTF-8 is turned away before them (see `source::decode`).
    String::from_utf8_lossy(&bytes).into_owned()
}
