//! Helm's values, on trees that keep where each value was written: the user's files merged in
//! order (`helm -f a.yaml -f b.yaml`, later files win), coalesced over a chart's defaults as
//! `chartutil.CoalesceValues` does (user values win, maps merge deeply, a `null` deletes the
//! default), globals handed down to subcharts, and the `a.b.c` paths of conditions and
//! `import-values`.

use crate::render::tracked::{Node, Tree};

/// The name of the table every subchart receives from its parent.
pub(crate) const GLOBAL: &str = "global";

/// Merges one more user values file over the ones before it, as Helm's `mergeMaps` does for
/// successive `-f` files: maps merge key by key, anything else replaces (a `null` included, so
/// that it can delete a chart default later).
pub(crate) fn merge_user(base: &mut Node, over: Node) {
    let Node { origin, tree } = over;
    match (base.members_mut(), tree) {
        (Some(members), Tree::Map(over_members)) => {
            for (key, value) in over_members {
                match members.iter_mut().find(|(name, _)| *name == key) {
                    Some((_, existing)) if existing.members().is_some() && value.members().is_some() => {
                        merge_user(existing, value);
                    }
                    Some((_, existing)) => *existing = value,
                    None => members.push((key, value)),
                }
            }
        }
        (_, tree) => *base = Node { origin, tree },
    }
}

/// Coalesces `defaults` under `values` (`coalesceTablesFullKey`): a key only in the defaults is
/// copied, a `null` in `values` deletes the default (unless `merge`, as for a subchart's table
/// before the subchart's own pass), two maps coalesce recursively, and anything else in
/// `values` wins.
pub(crate) fn coalesce(values: &mut Node, defaults: &Node, merge: bool) {
    coalesce_keys(values, defaults, &|_| merge);
}

/// [`coalesce`] with `merge` decided per top-level key: a chart's table for a subchart merges
/// (its nulls wait for the subchart's own pass), as Helm's `childChartMergeTrue` has it.
pub(crate) fn coalesce_keys(values: &mut Node, defaults: &Node, merge_key: &dyn Fn(&str) -> bool) {
    let (Some(members), Some(default_members)) = (values.members_mut(), defaults.members()) else { return };
    for (key, default) in default_members {
        let merge = merge_key(key);
        match members.iter().position(|(name, _)| name == key) {
            None => members.push((key.clone(), default.clone())),
            Some(at) => {
                let Some((_, value)) = members.get_mut(at) else { continue };
                if value.is_null() {
                    if !merge {
                        members.remove(at);
                    }
                } else if value.members().is_some() && default.members().is_some() {
                    coalesce(value, default, merge);
                }
                // A scalar over a map (or a map over a scalar) keeps the user's value: Helm
                // warns and skips the default.
            }
        }
    }
}

/// Copies the parent's `global` table into a subchart's values (`coalesceGlobals`): the
/// parent's globals win over the subchart's own, tables merging.
pub(crate) fn coalesce_globals(subchart: &mut Node, parent: &Node) {
    let parent_globals = parent.get(GLOBAL).filter(|globals| globals.members().is_some()).cloned();
    let Some(parent_globals) = parent_globals else {
        if subchart.get(GLOBAL).is_none() {
            subchart.set(GLOBAL, Node::empty_map(None));
        }
        return;
    };
    let Some(globals) = subchart.entry_map(GLOBAL, parent_globals.origin.as_ref()) else { return };
    if globals.members().is_none() {
        return; // Helm: "global is not a map", globals are not copied
    }
    for (key, value) in parent_globals.members().into_iter().flatten() {
        match globals.get(key) {
            Some(existing) if value.members().is_some() && existing.members().is_some() => {
                let mut merged = value.clone();
                coalesce(&mut merged, existing, true);
                globals.set(key, merged);
            }
            Some(existing) if value.members().is_some() || existing.members().is_some() => {
                // A table over a scalar or a scalar over a table: Helm skips it.
            }
            _ => globals.set(key, value.clone()),
        }
    }
}

/// The value at a dotted path (`redis.enabled`), as `Values.PathValue` reads it.
pub(crate) fn path_value<'v>(values: &'v Node, path: &str) -> Option<&'v Node> {
    // Helm's `parsePath`: leading dots dropped, spaces kept (` a.b` names the key ` a`).
    let path = path.trim_start_matches('.');
    if path.is_empty() {
        return Some(values);
    }
    path.split('.').try_fold(values, |node, key| node.get(key))
}

/// `value` nested under a dotted path (`pathToMap("a.b", v)` is `{a: {b: v}}`); `.` is the
/// top.
pub(crate) fn path_to_map(path: &str, value: Node) -> Node {
    let path = path.trim();
    if path.is_empty() || path == "." {
        return value;
    }
    path.trim_start_matches('.').rsplit('.').fold(value, |inner, key| {
        let mut outer = Node::empty_map(inner.origin.clone());
        outer.set(key, inner);
        outer
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use std::sync::Arc;

    use serde::Deserialize;
    use serde_json::Value;

    use super::*;
    use crate::parse::yaml::{parse_stream, ScalarRules};
    use crate::parse::Limits;

    fn node(path: &str, text: &str) -> Node {
        let parsed = parse_stream(text, ScalarRules::Yaml11, &Limits::default()).unwrap();
        let path: Arc<str> = Arc::from(path);
        Node::from_parsed(&parsed.value[0], &parsed.source_map, "/0", &path)
    }

    #[derive(Deserialize)]
    struct Case {
        name: String,
        /// `coalesce`, `merge_user`, `globals` or `path_to_map`.
        op: String,
        #[serde(default)]
        values: String,
        #[serde(default)]
        defaults: String,
        #[serde(default)]
        path: String,
        expected: Value,
        /// Pointer → the file (`values` or `defaults`) and 1-based line its value came from.
        #[serde(default)]
        origins: std::collections::BTreeMap<String, (String, u32)>,
    }

    /// Helm's coalescing rules, as a table of cases (`testdata/helm/values-cases.yaml`).
    #[test]
    fn values_follow_helms_coalescing_rules() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/helm/values-cases.yaml"))
            .unwrap();
        let cases: Vec<Case> = serde_saphyr::from_str(&text).unwrap();
        assert!(!cases.is_empty());
        for case in cases {
            let mut values = node("values", &case.values);
            let defaults = node("defaults", &case.defaults);
            let result = match case.op.as_str() {
                "coalesce" => {
                    coalesce(&mut values, &defaults, false);
                    values
                }
                "merge_user" => {
                    let mut base = defaults;
                    merge_user(&mut base, values);
                    base
                }
                "globals" => {
                    coalesce_globals(&mut values, &defaults);
                    values
                }
                "path_to_map" => path_to_map(&case.path, values),
                "path_value" => path_value(&values, &case.path).cloned().unwrap_or(Node::scalar(Value::Null, None)),
                other => panic!("{}: unknown op {other}", case.name),
            };
            assert_eq!(result.to_value(), case.expected, "{}", case.name);
            let provenance = result.provenance();
            for (pointer, (file, line)) in &case.origins {
                let origin = provenance.get(pointer).unwrap_or_else(|| panic!("{}: no origin at {pointer}", case.name));
                let text = if file == "values" { &case.values } else { &case.defaults };
                let found = text.get(..origin.span.start).unwrap().matches('\n').count() + 1;
                assert_eq!((origin.path.as_ref(), found), (file.as_str(), *line as usize), "{}: {pointer}", case.name);
            }
        }
    }
}
