//! Fuzzes the dockerfile parser: any text must give a value or an error, never a panic, a hang or
//! a span outside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ward_engine::{parse_as, DocumentKind, Limits};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(parsed) = parse_as(DocumentKind::Dockerfile, text, &Limits::default()) {
        for (pointer, span) in parsed.source_map.iter() {
            assert!(span.start <= span.end && span.end <= text.len(), "{pointer}: {span:?}");
        }
    }
});
