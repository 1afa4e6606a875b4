//! Feature-flag files, whichever tool wrote them, normalised to one shape that rules can read:
//! flagd / OpenFeature (`flags` of `state`, `variants`, `defaultVariant`, `targeting`), Unleash
//! exports (`features` with `environments` or `strategies`), LaunchDarkly exports (`flags` or
//! `items` with per-environment `on` / `fallthrough`, or the flat SDK data file), and ward's own
//! `flags.yaml`:
//!
//! ```yaml
//! flags:
//!   new-checkout:
//!     created: 2024-01-10        # or `updated:`; dates or RFC 3339 times
//!     critical: true             # a flag whose failure hurts: it needs a kill switch
//!     kill_switch: checkout-off  # the key of the flag that turns it off
//!     environments:
//!       production: {enabled: true, rollout: 100}
//!       staging: true            # shorthand: on for everyone
//! ```
//!
//! The value is `{format, flags, raw}`: `raw` is the file as written, with its own source map,
//! and every normalised field of `flags` maps to the span of the value it was read from, so a
//! finding about a flag lands on the line that says it.

use chrono::{DateTime, Datelike as _, NaiveDate, NaiveTime, Timelike as _};
use serde_json::{json, Map, Value};

use super::yaml::{parse_json, parse_stream, ScalarRules};
use super::{Limits, ParseError};
use crate::document::{pointer_push, Parsed, SourceMap, Span};

/// The tool a flags file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlagFormat {
    Flagd,
    Unleash,
    LaunchDarkly,
    Ward,
}

impl FlagFormat {
    pub(crate) fn name(self) -> &'static str {
        match self {
            FlagFormat::Flagd => "flagd",
            FlagFormat::Unleash => "unleash",
            FlagFormat::LaunchDarkly => "launchdarkly",
            FlagFormat::Ward => "ward",
        }
    }
}

/// File names that hold ward's own flag format (`flags.yaml`, `feature-flags.json`…).
pub(crate) fn is_flags_file_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let stem = [".yaml", ".yml", ".json"].iter().find_map(|ext| name.strip_suffix(ext));
    matches!(stem, Some("flags" | "feature-flags" | "feature_flags" | "featureflags" | "flagd" | "features"))
        || name.ends_with(".flagd.json")
        || name.ends_with(".flags.yaml")
        || name.ends_with(".flags.yml")
        || name.ends_with(".flags.json")
}

/// Parses a flags file: JSON when the path or the text says so, else a one-document YAML file.
pub(crate) fn parse(path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    let is_json = path.to_ascii_lowercase().ends_with(".json") || text.trim_start().starts_with('{');
    let raw = if is_json {
        parse_json(text, limits)?
    } else {
        let stream = parse_stream(text, ScalarRules::Yaml12, limits)?;
        let count = stream.value.as_array().map_or(0, Vec::len);
        if count != 1 {
            return Err(ParseError::new(
                format!("a flags file is one YAML document; this one has {count}"),
                Span::new(0, 0),
            ));
        }
        let value = stream.value.get(0).cloned().unwrap_or(Value::Null);
        Parsed { value, source_map: stream.source_map.sub_map("/0") }
    };
    let format = recognise(path, &raw.value).ok_or_else(|| {
        ParseError::new(
            "not a feature-flag file: expected flagd `flags` with `state`/`variants`, Unleash `features`, LaunchDarkly `flags`/`items` with `environments`, or ward's `flags:`",
            raw.source_map.get("").unwrap_or(Span::new(0, 0)),
        )
    })?;
    Ok(normalise(format, raw))
}

/// The flag format of a parsed JSON or YAML value, if it is one. ward's own format is
/// recognised only in a file named like one ([`is_flags_file_name`]): a top-level `flags`
/// alone says too little.
pub(crate) fn recognise(path: &str, value: &Value) -> Option<FlagFormat> {
    let object = value.as_object()?;
    let members = |v: &Value| -> Vec<Value> {
        match v {
            Value::Object(map) => map.values().cloned().collect(),
            Value::Array(items) => items.clone(),
            _ => Vec::new(),
        }
    };
    if let Some(flags) = object.get("flags") {
        let flags = members(flags);
        let any = |test: &dyn Fn(&Map<String, Value>) -> bool| flags.iter().filter_map(Value::as_object).any(test);
        if any(&|f| f.contains_key("state") && f.contains_key("variants")) {
            return Some(FlagFormat::Flagd);
        }
        let launchdarkly = |f: &Map<String, Value>| {
            f.get("environments")
                .and_then(Value::as_object)
                .is_some_and(|envs| envs.values().filter_map(Value::as_object).any(|env| env.contains_key("on")))
                || (f.contains_key("on") && (f.contains_key("fallthrough") || f.contains_key("variations")))
        };
        if any(&launchdarkly) {
            return Some(FlagFormat::LaunchDarkly);
        }
    }
    if let Some(Value::Array(items)) = object.get("items") {
        let launchdarkly = items.iter().filter_map(Value::as_object).any(|f| {
            f.contains_key("key") && f.contains_key("variations") && f.get("environments").is_some_and(Value::is_object)
        });
        if launchdarkly {
            return Some(FlagFormat::LaunchDarkly);
        }
    }
    if let Some(Value::Array(features)) = object.get("features") {
        let unleash = features.iter().filter_map(Value::as_object).any(|f| {
            f.get("name").is_some_and(Value::is_string)
                && (f.get("strategies").is_some_and(Value::is_array)
                    || f.get("environments").is_some_and(Value::is_array))
        });
        if unleash {
            return Some(FlagFormat::Unleash);
        }
    }
    let ward_shape = matches!(object.get("flags"), Some(Value::Object(_) | Value::Array(_)));
    (ward_shape && is_flags_file_name(path)).then_some(FlagFormat::Ward)
}

/// Where a normalised value was read from: a value of the original, or a mapping key of it.
#[derive(Debug, Clone)]
enum From {
    Value(String),
    Key(String),
}

/// One normalised value and where it came from.
#[derive(Debug, Clone)]
struct Field<T> {
    value: T,
    from: From,
}

fn at<T>(value: T, pointer: &str) -> Field<T> {
    Field { value, from: From::Value(pointer.to_owned()) }
}

/// An environment of a flag: whether it serves the flag, to what share of traffic, and
/// whether some users are targeted differently.
#[derive(Debug, Clone)]
struct Environment {
    name: Option<Field<String>>,
    /// The environment's object in the original.
    from: String,
    enabled: Field<bool>,
    /// 0–100; `None` when it cannot be known (a targeting rule ward does not evaluate).
    rollout: Option<Field<f64>>,
    targeted: Field<bool>,
    updated: Option<Field<String>>,
}

#[derive(Debug, Clone)]
struct Flag {
    /// The flag's object in the original.
    from: String,
    key: Field<String>,
    description: Option<Field<String>>,
    flag_type: Option<Field<String>>,
    temporary: Option<Field<bool>>,
    critical: Field<bool>,
    kill_switch: Option<Field<String>>,
    is_kill_switch: Field<bool>,
    created: Option<Field<String>>,
    updated: Option<Field<String>>,
    environments: Vec<Environment>,
}

impl Flag {
    fn new(from: &str, key: Field<String>) -> Flag {
        Flag {
            from: from.to_owned(),
            key,
            description: None,
            flag_type: None,
            temporary: None,
            critical: at(false, from),
            kill_switch: None,
            is_kill_switch: at(false, from),
            created: None,
            updated: None,
            environments: Vec::new(),
        }
    }
}

/// Turns a recognised flags file into the normalised value.
pub(crate) fn normalise(format: FlagFormat, raw: Parsed) -> Parsed {
    let flags = match format {
        FlagFormat::Flagd => flagd(&raw.value),
        FlagFormat::Unleash => unleash(&raw.value),
        FlagFormat::LaunchDarkly => launchdarkly(&raw.value),
        FlagFormat::Ward => ward(&raw.value),
    };
    let container = match format {
        FlagFormat::Unleash => "/features",
        FlagFormat::LaunchDarkly if raw.value.get("flags").is_none() => "/items",
        _ => "/flags",
    };
    emit(format, flags, raw, container)
}

// --- shared readers ---------------------------------------------------------------------------

/// The members of a map (`(key, pointer)`) or the items of a list keyed by `key_field`.
fn entries<'v>(value: &'v Value, base: &str, key_fields: &[&str]) -> Vec<(Field<String>, String, &'v Value)> {
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(key, child)| {
                let pointer = pointer_push(base, key);
                (Field { value: key.clone(), from: From::Key(pointer.clone()) }, pointer, child)
            })
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(index, child)| {
                let pointer = format!("{base}/{index}");
                let (field, key) = key_fields.iter().find_map(|f| Some((*f, child.get(*f)?.as_str()?)))?;
                Some((at(key.to_owned(), &pointer_push(&pointer, field)), pointer, child))
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn string_at(value: &Value, base: &str, names: &[&str]) -> Option<Field<String>> {
    names.iter().find_map(|name| {
        let text = match value.get(*name)? {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        Some(at(text, &pointer_push(base, name)))
    })
}

fn bool_at(value: &Value, base: &str, names: &[&str]) -> Option<Field<bool>> {
    names.iter().find_map(|name| Some(at(truthy(value.get(*name)?)?, &pointer_push(base, name))))
}

/// A boolean as flag files write one: `true`, `"true"`, `"on"`, `"yes"`, `1`.
fn truthy(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|n| n != 0.0),
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "on" | "yes" | "enabled" | "1" => Some(true),
            "false" | "off" | "no" | "disabled" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A percentage as written: `100`, `"50"`, `"25%"`.
fn percentage(value: &Value) -> Option<f64> {
    let number = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().trim_end_matches('%').trim().parse().ok()?,
        _ => return None,
    };
    (0.0..=100.0).contains(&number).then_some(number)
}

fn date_at(value: &Value, base: &str, names: &[&str]) -> Option<Field<String>> {
    names.iter().find_map(|name| Some(at(normalise_date(value.get(*name)?)?, &pointer_push(base, name))))
}

/// The later of two dates (RFC 3339 UTC strings of one length compare as text).
fn later(a: Option<Field<String>>, b: Option<Field<String>>) -> Option<Field<String>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.value > a.value { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// A non-empty list or object: targeting that singles out some users.
fn non_empty(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Array(items)) => !items.is_empty(),
        Some(Value::Object(map)) => !map.is_empty(),
        Some(Value::String(s)) => !s.trim().is_empty(),
        _ => false,
    }
}

/// Tags as strings, from `["a", "b"]` or Unleash's `[{type, value}]`.
fn tags(value: Option<&Value>) -> Vec<(String, Option<String>, usize)> {
    let Some(Value::Array(items)) = value else { return Vec::new() };
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| match item {
            Value::String(s) => Some((s.to_ascii_lowercase(), None, index)),
            Value::Object(tag) => {
                let value = tag.get("value")?.as_str()?.to_owned();
                let tag_type = tag.get("type").and_then(Value::as_str).map(str::to_ascii_lowercase);
                Some((value.to_ascii_lowercase(), tag_type, index))
            }
            _ => None,
        })
        .collect()
}

fn is_kill_switch_word(word: &str) -> bool {
    matches!(word.replace(['_', ' '], "-").as_str(), "kill-switch" | "killswitch")
}

// --- flagd / OpenFeature ----------------------------------------------------------------------

fn flagd(root: &Value) -> Vec<Flag> {
    let Some(flags) = root.get("flags") else { return Vec::new() };
    entries(flags, "/flags", &["key"])
        .into_iter()
        .filter(|(_, _, value)| value.is_object())
        .map(|(key, pointer, value)| {
            let mut flag = Flag::new(&pointer, key);
            let metadata = value.get("metadata").cloned().unwrap_or(Value::Null);
            let meta_pointer = pointer_push(&pointer, "metadata");
            read_common_metadata(&mut flag, &metadata, &meta_pointer);
            let state = value.get("state").and_then(Value::as_str).unwrap_or("ENABLED");
            let state_pointer = pointer_push(&pointer, "state");
            let variants = value.get("variants").and_then(Value::as_object);
            let default = value.get("defaultVariant").and_then(Value::as_str);
            let default_value = default.and_then(|name| variants?.get(name));
            let on_value = |v: &Value| !matches!(v, Value::Bool(false) | Value::Null) && v.as_str() != Some("off");
            let default_on = default_value.is_some_and(on_value);
            let targeting = value.get("targeting");
            let targeting_pointer = pointer_push(&pointer, "targeting");
            let enabled = state.eq_ignore_ascii_case("ENABLED");
            let (rollout, targeted) = match targeting {
                _ if !enabled => (Some(at(0.0, &state_pointer)), at(false, &state_pointer)),
                Some(t) if non_empty(Some(t)) => match fractional_share(t, variants, &on_value) {
                    Some(share) => (Some(at(share, &targeting_pointer)), at(false, &targeting_pointer)),
                    None => (None, at(true, &targeting_pointer)),
                },
                _ => {
                    let share = if default_on { 100.0 } else { 0.0 };
                    (Some(at(share, &pointer_push(&pointer, "defaultVariant"))), at(false, &state_pointer))
                }
            };
            flag.environments.push(Environment {
                name: None,
                from: pointer.clone(),
                enabled: at(enabled, &state_pointer),
                rollout,
                targeted,
                updated: None,
            });
            flag
        })
        .collect()
}

/// flagd targeting that is only a `fractional` split: the share of the split that gets an
/// "on" variant. `None` for any other rule.
fn fractional_share(
    targeting: &Value,
    variants: Option<&Map<String, Value>>,
    on_value: &dyn Fn(&Value) -> bool,
) -> Option<f64> {
    let split = targeting.as_object().filter(|t| t.len() == 1)?.get("fractional")?.as_array()?;
    let (mut on, mut total) = (0.0, 0.0);
    for bucket in split {
        // The first element may be the bucketing expression rather than a bucket.
        let Some([name, weight]) = bucket.as_array().map(Vec::as_slice) else { continue };
        let (Some(name), Some(weight)) = (name.as_str(), weight.as_f64()) else { continue };
        total += weight;
        if variants.and_then(|v| v.get(name)).is_some_and(on_value) {
            on += weight;
        }
    }
    (total > 0.0).then(|| (on * 100.0 / total * 100.0).round() / 100.0)
}

/// `critical`, `kill_switch`, `created`… written in a flag's own fields or its `metadata`
/// (flagd) / `customProperties` (LaunchDarkly): the vocabulary ward reads in every format.
fn read_common_metadata(flag: &mut Flag, value: &Value, base: &str) {
    if let Some(critical) = bool_at(value, base, &["critical"]) {
        flag.critical = critical;
    }
    if let Some(kill_switch) = string_at(value, base, &["kill_switch", "killSwitch", "kill-switch"]) {
        flag.kill_switch = Some(kill_switch);
    }
    if let Some(description) = string_at(value, base, &["description"]) {
        flag.description = Some(description);
    }
    if let Some(flag_type) = string_at(value, base, &["type"]) {
        flag.is_kill_switch =
            at(is_kill_switch_word(&flag_type.value.to_ascii_lowercase()), &pointer_of(&flag_type.from));
        flag.flag_type = Some(flag_type);
    }
    if let Some(temporary) = bool_at(value, base, &["temporary"]) {
        flag.temporary = Some(temporary);
    }
    if let Some(permanent) = bool_at(value, base, &["permanent"]) {
        flag.temporary = Some(Field { value: !permanent.value, from: permanent.from });
    }
    flag.created =
        date_at(value, base, &["created", "createdAt", "created_at", "creationDate"]).or(flag.created.take());
    flag.updated =
        date_at(value, base, &["updated", "updatedAt", "updated_at", "lastModified"]).or(flag.updated.take());
}

fn pointer_of(from: &From) -> String {
    match from {
        From::Value(p) | From::Key(p) => p.clone(),
    }
}

// --- Unleash ------------------------------------------------------------------------------------

fn unleash(root: &Value) -> Vec<Flag> {
    let Some(Value::Array(features)) = root.get("features") else { return Vec::new() };
    let mut flags = Vec::new();
    for (index, feature) in features.iter().enumerate() {
        let pointer = format!("/features/{index}");
        let Some(name) = string_at(feature, &pointer, &["name"]) else { continue };
        let mut flag = Flag::new(&pointer, name);
        read_common_metadata(&mut flag, feature, &pointer);
        if let Some(flag_type) = &flag.flag_type {
            // Unleash's own types: release and experiment flags are meant to go away.
            let kind = flag_type.value.to_ascii_lowercase();
            if ["release", "experiment", "operational", "kill-switch", "permission"].contains(&kind.as_str()) {
                let temporary = matches!(kind.as_str(), "release" | "experiment");
                flag.temporary = Some(Field { value: temporary, from: flag_type.from.clone() });
            }
        }
        read_tags(&mut flag, feature, &pointer);
        match feature.get("environments") {
            Some(Value::Array(environments)) => {
                for (e, environment) in environments.iter().enumerate() {
                    let env_pointer = format!("{pointer}/environments/{e}");
                    let enabled = bool_at(environment, &env_pointer, &["enabled"]).unwrap_or(at(false, &env_pointer));
                    flag.environments.push(unleash_environment(
                        environment,
                        &env_pointer,
                        string_at(environment, &env_pointer, &["name"]),
                        enabled,
                    ));
                }
            }
            _ => {
                let enabled = bool_at(feature, &pointer, &["enabled"]).unwrap_or(at(true, &pointer));
                flag.environments.push(unleash_environment(feature, &pointer, None, enabled));
            }
        }
        flags.push(flag);
    }
    flags
}

/// Unleash turns a flag on for a request when any strategy says so: an environment without
/// strategies, or with the `default` strategy, serves everyone; a gradual rollout serves its
/// `rollout` percentage; constraints, segments and user-targeting strategies single out some.
fn unleash_environment(value: &Value, base: &str, name: Option<Field<String>>, enabled: Field<bool>) -> Environment {
    let strategies_pointer = pointer_push(base, "strategies");
    let strategies = value.get("strategies").and_then(Value::as_array).cloned().unwrap_or_default();
    let (mut best, mut targeted): (Option<Field<f64>>, Option<Field<bool>>) = (None, None);
    if strategies.is_empty() {
        best = Some(at(100.0, &pointer_of(&enabled.from)));
    }
    for (index, strategy) in strategies.iter().enumerate() {
        let pointer = format!("{strategies_pointer}/{index}");
        let constrained = non_empty(strategy.get("constraints")) || non_empty(strategy.get("segments"));
        let name = strategy.get("name").and_then(Value::as_str).unwrap_or("default");
        let share = match name {
            "default" => Some(at(100.0, &pointer_push(&pointer, "name"))),
            _ => ["rollout", "percentage"].iter().find_map(|p| {
                let share = percentage(strategy.get("parameters")?.get(*p)?)?;
                Some(at(share, &pointer_push(&pointer_push(&pointer, "parameters"), p)))
            }),
        };
        match share {
            Some(share) if !constrained => {
                if best.as_ref().is_none_or(|b| share.value > b.value) {
                    best = Some(share);
                }
            }
            _ => targeted = Some(at(true, &pointer)),
        }
    }
    let full = best.as_ref().is_some_and(|b| b.value >= 100.0);
    let rollout = match (&best, &targeted) {
        _ if !enabled.value => Some(at(0.0, &pointer_of(&enabled.from))),
        (Some(_), _) => best.clone(),
        (None, Some(_)) => None,
        (None, None) => Some(at(0.0, &strategies_pointer)),
    };
    let targeted = match targeted {
        Some(t) if !full && enabled.value => t,
        _ => at(false, &strategies_pointer),
    };
    Environment { name, from: base.to_owned(), enabled, rollout, targeted, updated: None }
}

/// Tags that mark a flag critical (`critical`), a kill switch (`kill-switch`), or name the
/// kill switch of this flag (Unleash `{type: kill-switch, value: <key>}`).
fn read_tags(flag: &mut Flag, value: &Value, base: &str) {
    for (tag, tag_type, index) in tags(value.get("tags")) {
        let pointer = format!("{base}/tags/{index}");
        let pointer = if value.pointer(&format!("/tags/{index}/value")).is_some() {
            pointer_push(&pointer, "value")
        } else {
            pointer
        };
        match tag_type.as_deref() {
            Some(t) if is_kill_switch_word(t) => flag.kill_switch = Some(at(tag.clone(), &pointer)),
            _ if tag == "critical" => flag.critical = at(true, &pointer),
            _ if is_kill_switch_word(&tag) => flag.is_kill_switch = at(true, &pointer),
            _ => {}
        }
    }
}

// --- LaunchDarkly ---------------------------------------------------------------------------

fn launchdarkly(root: &Value) -> Vec<Flag> {
    let (container, base) = match (root.get("flags"), root.get("items")) {
        (Some(flags), _) => (flags, "/flags"),
        (None, Some(items)) => (items, "/items"),
        (None, None) => return Vec::new(),
    };
    entries(container, base, &["key"])
        .into_iter()
        .filter(|(_, _, value)| value.is_object())
        .map(|(key, pointer, value)| {
            let mut flag = Flag::new(&pointer, key);
            read_common_metadata(&mut flag, value, &pointer);
            read_tags(&mut flag, value, &pointer);
            read_custom_properties(&mut flag, value, &pointer);
            let variations = value.get("variations").and_then(Value::as_array).cloned().unwrap_or_default();
            match value.get("environments").and_then(Value::as_object) {
                Some(environments) => {
                    for (name, environment) in environments {
                        let env_pointer = pointer_push(&pointer_push(&pointer, "environments"), name);
                        let name = Field { value: name.clone(), from: From::Key(env_pointer.clone()) };
                        let environment = launchdarkly_environment(environment, &env_pointer, Some(name), &variations);
                        flag.updated = later(flag.updated.take(), environment.updated.clone());
                        flag.environments.push(environment);
                    }
                }
                None => flag.environments.push(launchdarkly_environment(value, &pointer, None, &variations)),
            }
            flag
        })
        .collect()
}

/// `customProperties: {critical: {value: [true]}, kill-switch: {value: [key]}}`.
fn read_custom_properties(flag: &mut Flag, value: &Value, base: &str) {
    let Some(properties) = value.get("customProperties").and_then(Value::as_object) else { return };
    for (name, property) in properties {
        let pointer = pointer_push(&pointer_push(base, "customProperties"), name);
        let first = property.get("value").and_then(|v| v.as_array().and_then(|a| a.first()).or(Some(v)));
        let value_pointer = match property.get("value") {
            Some(Value::Array(_)) => format!("{}/0", pointer_push(&pointer, "value")),
            _ => pointer_push(&pointer, "value"),
        };
        let lower = name.to_ascii_lowercase();
        if lower == "critical" {
            if let Some(critical) = first.and_then(truthy) {
                flag.critical = at(critical, &value_pointer);
            }
        } else if is_kill_switch_word(&lower.replace("killswitch", "kill-switch")) || lower == "kill_switch" {
            if let Some(key) = first.and_then(Value::as_str) {
                flag.kill_switch = Some(at(key.to_owned(), &value_pointer));
            }
        }
    }
}

/// LaunchDarkly serves the fallthrough to everyone not matched by a target or rule: a flag
/// that is on, with no targets, rules or prerequisites, and a fallthrough to a true variation
/// (or a rollout whose true share is 100%), is on for everyone. Rollout weights are out of
/// 100 000.
fn launchdarkly_environment(
    value: &Value,
    base: &str,
    name: Option<Field<String>>,
    variations: &[Value],
) -> Environment {
    let on_pointer = pointer_push(base, "on");
    let enabled = bool_at(value, base, &["on"]).unwrap_or(at(false, base));
    let targeted = ["targets", "contextTargets", "rules", "prerequisites"]
        .iter()
        .find(|field| non_empty(value.get(**field)))
        .map_or(at(false, &on_pointer), |field| at(true, &pointer_push(base, field)));
    let on_variation = |index: Option<u64>| {
        index
            .and_then(|i| variations.get(usize::try_from(i).ok()?))
            .map(|v| v.get("value").unwrap_or(v))
            .is_some_and(|v| !matches!(v, Value::Bool(false) | Value::Null))
    };
    let fallthrough_pointer = pointer_push(base, "fallthrough");
    let share = match value.get("fallthrough") {
        _ if !enabled.value => Some(at(0.0, &pointer_of(&enabled.from))),
        Some(fallthrough) => match (fallthrough.get("variation"), fallthrough.get("rollout")) {
            (Some(variation), _) => {
                let share = if on_variation(variation.as_u64()) { 100.0 } else { 0.0 };
                Some(at(share, &pointer_push(&fallthrough_pointer, "variation")))
            }
            (None, Some(rollout)) => {
                let buckets = rollout.get("variations").and_then(Value::as_array).cloned().unwrap_or_default();
                let total: f64 = buckets.iter().filter_map(|b| b.get("weight")?.as_f64()).sum();
                let on: f64 = buckets
                    .iter()
                    .filter(|b| on_variation(b.get("variation").and_then(Value::as_u64)))
                    .filter_map(|b| b.get("weight")?.as_f64())
                    .sum();
                (total > 0.0).then(|| {
                    at((on * 100.0 / total * 100.0).round() / 100.0, &pointer_push(&fallthrough_pointer, "rollout"))
                })
            }
            (None, None) => None,
        },
        None => None,
    };
    let updated = date_at(value, base, &["lastModified", "updated", "updatedAt"]);
    Environment { name, from: base.to_owned(), enabled, rollout: share, targeted, updated }
}

// --- ward's own format ----------------------------------------------------------------------

fn ward(root: &Value) -> Vec<Flag> {
    let Some(flags) = root.get("flags") else { return Vec::new() };
    entries(flags, "/flags", &["key", "name"])
        .into_iter()
        .map(|(key, pointer, value)| {
            let mut flag = Flag::new(&pointer, key);
            read_common_metadata(&mut flag, value, &pointer);
            if let Some(kill_switch) = bool_at(value, &pointer, &["is_kill_switch"]) {
                flag.is_kill_switch = kill_switch;
            }
            match value.get("environments") {
                Some(environments @ (Value::Object(_) | Value::Array(_))) => {
                    let base = pointer_push(&pointer, "environments");
                    for (name, env_pointer, environment) in entries(environments, &base, &["name"]) {
                        flag.environments.push(ward_environment(environment, &env_pointer, Some(name)));
                    }
                }
                _ => flag.environments.push(ward_environment(value, &pointer, None)),
            }
            flag
        })
        .collect()
}

/// `true`/`false`, a percentage, or `{enabled, rollout, targeting}`.
fn ward_environment(value: &Value, base: &str, name: Option<Field<String>>) -> Environment {
    let (enabled, rollout) = match value {
        Value::Bool(_) | Value::String(_) if truthy(value).is_some() => {
            let on = truthy(value).unwrap_or(false);
            (at(on, base), Some(at(if on { 100.0 } else { 0.0 }, base)))
        }
        Value::Number(_) => {
            let share = percentage(value);
            (at(share.is_some_and(|s| s > 0.0), base), share.map(|s| at(s, base)))
        }
        _ => {
            let enabled = bool_at(value, base, &["enabled", "on", "state"]).unwrap_or(at(false, base));
            let rollout = ["rollout", "percentage"]
                .iter()
                .find_map(|f| Some(at(percentage(value.get(*f)?)?, &pointer_push(base, f))))
                .or_else(|| Some(at(if enabled.value { 100.0 } else { 0.0 }, &pointer_of(&enabled.from))));
            let rollout = if enabled.value { rollout } else { Some(at(0.0, &pointer_of(&enabled.from))) };
            (enabled, rollout)
        }
    };
    let targeted = ["targeting", "rules", "segments", "users", "targets"]
        .iter()
        .find(|field| non_empty(value.get(**field)))
        .map_or(at(false, base), |field| at(true, &pointer_push(base, field)));
    let updated = date_at(value, base, &["updated", "updatedAt", "updated_at"]);
    Environment { name, from: base.to_owned(), enabled, rollout, targeted, updated }
}

// --- output ---------------------------------------------------------------------------------

/// Writes the normalised value and its source map: `raw` keeps the original's entries, each
/// normalised field gets the span of what it was read from.
fn emit(format: FlagFormat, flags: Vec<Flag>, raw: Parsed, container: &str) -> Parsed {
    let Parsed { value: raw_value, source_map: raw_map } = raw;
    let mut map = SourceMap::new();
    let whole = raw_map.get("").unwrap_or(Span::new(0, 0));
    let locate = |from: &From| -> (Span, Option<Span>) {
        match from {
            From::Key(pointer) => (raw_map.key(pointer).unwrap_or_else(|| lookup(&raw_map, pointer, whole)), None),
            From::Value(pointer) => (lookup(&raw_map, pointer, whole), raw_map.key(pointer)),
        }
    };
    let put = |map: &mut SourceMap, pointer: &str, from: &From| {
        let (span, key) = locate(from);
        map.insert(pointer.to_owned(), span);
        if let Some(key) = key {
            map.insert_key(pointer.to_owned(), key);
        }
    };
    let container_from = From::Value(container.to_owned());
    put(&mut map, "/format", &From::Value(String::new()));
    put(&mut map, "/flags", &container_from);
    let mut out = Vec::with_capacity(flags.len());
    for (index, flag) in flags.into_iter().enumerate() {
        let base = format!("/flags/{index}");
        put(&mut map, &base, &From::Value(flag.from.clone()));
        let mut object = Map::new();
        let mut field = |map: &mut SourceMap, name: &str, value: Value, from: &From| {
            put(map, &pointer_push(&base, name), from);
            object.insert(name.to_owned(), value);
        };
        let flag_from = From::Value(flag.from.clone());
        field(&mut map, "key", json!(flag.key.value), &flag.key.from);
        optional(&mut map, &mut field, "description", flag.description.map(|f| (json!(f.value), f.from)), &flag_from);
        optional(&mut map, &mut field, "type", flag.flag_type.map(|f| (json!(f.value), f.from)), &flag_from);
        optional(&mut map, &mut field, "temporary", flag.temporary.map(|f| (json!(f.value), f.from)), &flag_from);
        field(&mut map, "critical", json!(flag.critical.value), &flag.critical.from);
        optional(&mut map, &mut field, "kill_switch", flag.kill_switch.map(|f| (json!(f.value), f.from)), &flag_from);
        field(&mut map, "is_kill_switch", json!(flag.is_kill_switch.value), &flag.is_kill_switch.from);
        optional(&mut map, &mut field, "created", flag.created.map(|f| (json!(f.value), f.from)), &flag_from);
        optional(&mut map, &mut field, "updated", flag.updated.map(|f| (json!(f.value), f.from)), &flag_from);
        let environments_pointer = pointer_push(&base, "environments");
        put(&mut map, &environments_pointer, &flag_from);
        let mut environments = Vec::with_capacity(flag.environments.len());
        for (e, environment) in flag.environments.into_iter().enumerate() {
            let env_base = format!("{environments_pointer}/{e}");
            let env_from = From::Value(environment.from.clone());
            put(&mut map, &env_base, &env_from);
            let mut env = Map::new();
            let mut env_field = |map: &mut SourceMap, name: &str, value: Value, from: &From| {
                put(map, &pointer_push(&env_base, name), from);
                env.insert(name.to_owned(), value);
            };
            optional(&mut map, &mut env_field, "name", environment.name.map(|f| (json!(f.value), f.from)), &env_from);
            env_field(&mut map, "enabled", json!(environment.enabled.value), &environment.enabled.from);
            let rollout = environment.rollout.map(|f| (number(f.value), f.from));
            optional(&mut map, &mut env_field, "rollout", rollout, &env_from);
            env_field(&mut map, "targeted", json!(environment.targeted.value), &environment.targeted.from);
            optional(
                &mut map,
                &mut env_field,
                "updated",
                environment.updated.map(|f| (json!(f.value), f.from)),
                &env_from,
            );
            environments.push(Value::Object(env));
        }
        field(&mut map, "environments", Value::Array(environments), &flag_from);
        out.push(Value::Object(object));
    }
    map.extend_prefixed("/raw", raw_map.clone());
    map.insert("", whole);
    let value = json!({"format": format.name(), "flags": out, "raw": raw_value});
    Parsed { value, source_map: map }
}

/// A field that may be absent is written as null, located at its owner.
fn optional(
    map: &mut SourceMap,
    field: &mut dyn FnMut(&mut SourceMap, &str, Value, &From),
    name: &str,
    value: Option<(Value, From)>,
    owner: &From,
) {
    match value {
        Some((value, from)) => field(map, name, value, &from),
        None => field(map, name, Value::Null, owner),
    }
}

fn lookup(map: &SourceMap, pointer: &str, fallback: Span) -> Span {
    map.lookup(pointer).map_or(fallback, |(_, span)| span)
}

/// Whole numbers as integers (`100`, not `100.0`).
fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)]
        return json!(value as i64);
    }
    json!(value)
}

// --- dates ----------------------------------------------------------------------------------

/// A date as an RFC 3339 UTC time (`2024-01-10T00:00:00Z`): from `2024-01-10`, an RFC 3339
/// time with any offset, or a Unix time in seconds or milliseconds (LaunchDarkly).
pub(crate) fn normalise_date(value: &Value) -> Option<String> {
    let seconds = match value {
        Value::Number(n) => {
            let n = n.as_i64()?;
            if n.abs() > 100_000_000_000 {
                n.div_euclid(1000)
            } else {
                n
            }
        }
        Value::String(s) => parse_rfc3339(s.trim())?,
        _ => return None,
    };
    format_utc(seconds)
}

/// Seconds since the Unix epoch of `YYYY-MM-DD` or `YYYY-MM-DD[T ]HH:MM:SS[.frac](Z|±HH:MM)`.
fn parse_rfc3339(text: &str) -> Option<i64> {
    let digits = |s: &str| -> Option<i64> { s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok()).flatten() };
    let date = text.get(..10)?;
    let (year, month, day) = (digits(date.get(0..4)?)?, digits(date.get(5..7)?)?, digits(date.get(8..10)?)?);
    if date.get(4..5) != Some("-") || date.get(7..8) != Some("-") {
        return None;
    }
    let date =
        NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, u32::try_from(month).ok()?, u32::try_from(day).ok()?)?;
    // The time of day is added by hand, not through chrono: a leap second (`:60`) carries
    // into the next minute, as it always has.
    let mut seconds = date.and_time(NaiveTime::MIN).and_utc().timestamp();
    let rest = text.get(10..)?;
    if rest.is_empty() {
        return Some(seconds);
    }
    let time = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t')).or_else(|| rest.strip_prefix(' '))?;
    let (hour, minute, second) = (digits(time.get(0..2)?)?, digits(time.get(3..5)?)?, digits(time.get(6..8)?)?);
    if time.get(2..3) != Some(":") || time.get(5..6) != Some(":") || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    seconds += hour * 3600 + minute * 60 + second;
    let mut zone = time.get(8..)?;
    if let Some(fraction) = zone.strip_prefix('.') {
        zone = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    match zone {
        "Z" | "z" | "" => Some(seconds),
        _ => {
            let sign = match zone.get(0..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let (h, m) = (digits(zone.get(1..3)?)?, digits(zone.get(4..6)?)?);
            if zone.len() != 6 || zone.get(3..4) != Some(":") {
                return None;
            }
            Some(seconds - sign * (h * 3600 + m * 60))
        }
    }
}

/// `2024-01-10T00:00:00Z`; `None` past the years chrono's calendar holds (±262 000), which no
/// real flag was written in.
fn format_utc(seconds: i64) -> Option<String> {
    let time = DateTime::from_timestamp(seconds, 0)?;
    // Written field by field: chrono's `%Y` would add a sign to years past 9999.
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        time.year(),
        time.month(),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn dates_round_trip_through_days() {
        for (text, expected) in [
            ("1970-01-01", "1970-01-01T00:00:00Z"),
            ("2000-02-29", "2000-02-29T00:00:00Z"),
            ("2024-12-31T23:59:59.5Z", "2024-12-31T23:59:59Z"),
            ("2023-06-01 08:00:00+02:00", "2023-06-01T06:00:00Z"),
        ] {
            assert_eq!(normalise_date(&json!(text)).as_deref(), Some(expected), "{text}");
        }
        for bad in ["2023-02-29", "2023-13-01", "2023-1-01", "2023-01-01T25:00:00Z", "2023-01-01T10:00:00+0200"] {
            assert_eq!(normalise_date(&json!(bad)), None, "{bad}");
        }
    }

    /// The `flags` cases of the date table shared with `tests/date_cases.rs` (which checks its
    /// `waivers` cases through `ward.toml`): each date or time is normalised to UTC, or not at
    /// all.
    #[test]
    fn flag_dates_are_normalised_to_utc_or_not_at_all() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/dates/cases.yaml");
        let cases: Value = serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut failures = Vec::new();
        let flags = cases.get("flags").and_then(Value::as_array).unwrap();
        assert!(!flags.is_empty(), "{path} has no flag cases");
        for case in flags {
            let value = case.get("unix").cloned().unwrap_or_else(|| json!(case.get("text")));
            let expected = case.get("time").and_then(Value::as_str);
            let actual = normalise_date(&value);
            if actual.as_deref() != expected {
                failures.push(format!("{value}: normalised to {actual:?}, expected {expected:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// The example from the documentation of `is_flags_file_name`.
    #[test]
    fn is_flags_file_name_example() {
        use crate::parse::flags::is_flags_file_name;
        assert!(is_flags_file_name("config/feature-flags.yaml"));
        assert!(is_flags_file_name("flags.json"));
        assert!(!is_flags_file_name("config/flags-backup.yaml"));
    }

    /// The example from the documentation of `parse`.
    #[test]
    fn parse_example() {
        use crate::parse::{flags, Limits};
        let text = r#"{"flags": {"dark-mode": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}}}"#;
        let parsed = flags::parse("flags.flagd.json", text, &Limits::default()).unwrap();
        assert_eq!(parsed.value["format"], "flagd");
        assert_eq!(parsed.value["flags"][0]["environments"][0]["rollout"], 100);
    }

    /// The example from the documentation of `normalise_date`.
    #[test]
    fn normalise_date_example() {
        use crate::parse::flags::normalise_date;
        use serde_json::json;
        assert_eq!(normalise_date(&json!("2024-01-10")).as_deref(), Some("2024-01-10T00:00:00Z"));
        assert_eq!(normalise_date(&json!("2024-01-10T23:30:00-01:00")).as_deref(), Some("2024-01-11T00:30:00Z"));
        assert_eq!(normalise_date(&json!(1704844800000_i64)).as_deref(), Some("2024-01-10T00:00:00Z"));
        assert_eq!(normalise_date(&json!("next week")), None);
    }
}
