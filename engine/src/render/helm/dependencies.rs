//! A chart's subcharts as Helm's `ProcessDependencies` settles them for one set of user
//! values: which are enabled (`tags`, then the first `condition` path that holds a boolean),
//! what each exports to its parent (`import-values`, both forms), and the values every chart of
//! the tree renders with (`CoalesceValues`: the chart's defaults under the user's, each
//! subchart's table under its name with the parent's `global` copied in).

use super::chart::{Chart, Dependency, ImportValue};
use super::values::{coalesce, coalesce_globals, coalesce_keys, path_to_map, path_value, GLOBAL};
use crate::render::tracked::{Node, Tree};

/// `values` coalesced over `chart`'s defaults and, under each subchart's name, over the
/// subchart's (Helm's `coalesce` and `coalesceDeps`). A subchart's table that is not a mapping
/// is left as it is (Helm stops with "type mismatch"; the subchart then sees no values).
pub(crate) fn coalesce_chart(chart: &Chart, mut values: Node) -> Node {
    if values.members().is_none() {
        values = Node::empty_map(values.origin);
    }
    let subchart_names: Vec<&str> = chart.subcharts.iter().map(|(sub, _)| sub.name.as_str()).collect();
    coalesce_keys(&mut values, &chart.values, &|key| subchart_names.contains(&key));
    for (subchart, _) in &chart.subcharts {
        let parent_globals = {
            let mut only_globals = Node::empty_map(None);
            if let Some(globals) = values.get(GLOBAL) {
                only_globals.set(GLOBAL, globals.clone());
            }
            only_globals
        };
        let Some(table) = values.entry_map(&subchart.name, None) else { continue };
        if table.members().is_none() {
            continue;
        }
        coalesce_globals(table, &parent_globals);
        let taken = std::mem::replace(table, Node::empty_map(None));
        *table = coalesce_chart(subchart, taken);
    }
    values
}

/// Drops the subcharts `values` disables, at every level (`processDependencyEnabled`); `path`
/// is the dotted prefix of this chart's values in the top chart's (`""` at the top).
pub(crate) fn prune_disabled(chart: &mut Chart, values: &Node, path: &str) {
    let coalesced = coalesce_chart(chart, values.clone());
    chart.subcharts.retain(|(_, dependency)| dependency.as_ref().is_none_or(|d| enabled(d, &coalesced, path)));
    for (subchart, _) in &mut chart.subcharts {
        let nested = format!("{path}{}.", subchart.name);
        prune_disabled(subchart, &coalesced, &nested);
    }
}

/// Whether a dependency is enabled: its tags first (disabled only when some tag is `false`
/// and none `true`), then the first of its comma-separated conditions that holds a boolean
/// (Helm's `processDependencyTags` and `processDependencyConditions`).
fn enabled(dependency: &Dependency, values: &Node, path: &str) -> bool {
    let mut enabled = true;
    if let Some(tags) = values.get("tags").filter(|tags| tags.members().is_some()) {
        let states: Vec<bool> = dependency.tags.iter().filter_map(|tag| as_bool(tags.get(tag)?)).collect();
        let (has_true, has_false) = (states.contains(&true), states.contains(&false));
        enabled = has_true || !has_false;
    }
    // Helm trims the whole list, not each path: `a.enabled, b.enabled` never finds ` b.enabled`.
    for condition in dependency.condition.trim().split(',').filter(|c| !c.is_empty()) {
        if let Some(state) = path_value(values, &format!("{path}{condition}")).and_then(as_bool) {
            enabled = state;
            break;
        }
    }
    enabled
}

fn as_bool(node: &Node) -> Option<bool> {
    match &node.tree {
        Tree::Scalar(serde_json::Value::Bool(state)) => Some(*state),
        _ => None,
    }
}

/// Brings what each enabled subchart exports into its parent's defaults, deepest charts
/// first (`processDependencyImportValues`). Imported values rank below the parent's own.
pub(crate) fn import_values(chart: &mut Chart) {
    for (subchart, _) in &mut chart.subcharts {
        import_values(subchart);
    }
    if chart.dependencies.is_empty() {
        return;
    }
    let defaults = coalesce_chart(chart, Node::empty_map(None));
    let mut imported = Node::empty_map(None);
    for (subchart, dependency) in &chart.subcharts {
        for import in dependency.iter().flat_map(|d| &d.import_values) {
            let (table, parent) = match import {
                ImportValue::Exports(name) => (format!("{}.exports.{name}", subchart.name), "."),
                ImportValue::Path { child, parent } => (format!("{}.{child}", subchart.name), parent.as_str()),
            };
            // Helm imports tables only; anything else is skipped with a log line.
            let Some(table) = path_value(&defaults, &table).filter(|node| node.members().is_some()) else { continue };
            coalesce(&mut imported, &path_to_map(parent, table.clone()), false);
        }
    }
    let mut values = defaults;
    coalesce(&mut values, &imported, false);
    chart.values = values;
}
