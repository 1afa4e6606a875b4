//! Data-driven date tests over `testdata/dates/cases.yaml`: waiver expiry dates as `ward.toml`
//! takes them (and the message it refuses a non-date with). The file's feature-flag dates and
//! times are checked by the flags parser's unit tests (its date function is not public). Both
//! run on chrono's calendar; these cases pin leap years, month lengths and the exact shapes ward
//! accepts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use serde_json::Value;
use ward_engine::{Config, Date};

fn cases() -> Value {
    let text = std::fs::read_to_string(support::repo_root().join("testdata/dates/cases.yaml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

#[test]
fn waiver_dates_are_read_on_the_calendar_and_others_refused_by_name() {
    let mut failures = Vec::new();
    for case in cases()["waivers"].as_array().unwrap() {
        let text = case["text"].as_str().unwrap();
        let expected = case["date"].as_str();
        let actual = Date::parse(text).map(|date| date.to_string());
        if actual.as_deref() != expected {
            failures.push(format!("`{text}`: read as {actual:?}, expected {expected:?}"));
        }
        let toml = format!("[[waivers]]\nrule = \"X-1\"\nreason = \"r\"\nexpires = \"{text}\"\n");
        let config = Config::parse("ward.toml", &toml, std::path::Path::new("."));
        match (config, expected) {
            (Ok(config), Some(date)) => {
                let expires = config.waivers.first().map(|waiver| waiver.expires.to_string());
                if expires.as_deref() != Some(date) {
                    failures.push(format!("`{text}` in ward.toml: expires {expires:?}, expected {date}"));
                }
            }
            (Err(error), None) => {
                let message = case["refused"].as_str().unwrap_or_default();
                if error.message != message || error.position.map(|p| p.line) != Some(4) {
                    failures
                        .push(format!("`{text}` in ward.toml: refused with `{error}`, expected `{message}` on line 4"));
                }
            }
            (Ok(_), None) => failures.push(format!("`{text}` in ward.toml: taken as a date")),
            (Err(error), Some(_)) => failures.push(format!("`{text}` in ward.toml: refused with `{error}`")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
