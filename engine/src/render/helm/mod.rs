//! Helm charts rendered as `helm template` would: each chart among the scan's files (a
//! `Chart.yaml` that is not a subchart's) is loaded ([`chart`]), its values built per environment
//! ([`values`], [`dependencies`]), its templates and its enabled subcharts' executed by the Go
//! template interpreter, and every YAML document of the output becomes a
//! [`super::RenderedObject`] whose values each point at the values line or template line that
//! wrote them.

pub(crate) mod chart;
pub(crate) mod dependencies;
pub(crate) mod environments;
mod schema;
pub(crate) mod values;

use chart::Chart;

use super::{Rendered, Sources};
use crate::parse::Limits;
use crate::render::tracked::Node;

/// Whether `path` is a chart's `Chart.yaml`.
pub(crate) fn is_chart_file(path: &str) -> bool {
    path == "Chart.yaml" || path.ends_with("/Chart.yaml")
}

/// Renders the charts whose `Chart.yaml` is at `chart_files` (sorted); one inside another's
/// `charts/` is a subchart, rendered through its parent.
pub(crate) fn render_all(chart_files: &[&str], sources: &dyn Sources, limits: &Limits) -> Rendered {
    let mut rendered = Rendered::default();
    let dirs: Vec<&str> = chart_files.iter().map(|path| super::parent_dir(path)).collect();
    let roots = dirs.iter().filter(|dir| !is_subchart_dir(dir, &dirs));
    for dir in roots {
        let mut loader = chart::Loader::new(sources, limits);
        let loaded = loader.load_dir(dir);
        rendered.diagnostics.append(&mut loader.diagnostics);
        let Some(chart) = loaded else { continue };
        if chart.is_library() {
            // `helm template` refuses it ("library charts are not installable"): its defines
            // are rendered through the charts that depend on it.
            continue;
        }
        mark_inputs(&chart, &mut rendered);
        for environment in environments::environments(dir, sources) {
            let mut user = Node::empty_map(None);
            for file in &environment.files {
                rendered.inputs.insert(file.clone());
                let Some(text) = sources.text(file) else { continue };
                let file = chart::ChartFile {
                    name: file.clone(),
                    path: Some(std::sync::Arc::from(file.as_str())),
                    text: text.into_owned(),
                };
                if let Some(values) = loader.parse_yaml(&file, &file.name) {
                    values::merge_user(&mut user, values);
                }
            }
            rendered.diagnostics.append(&mut loader.diagnostics);
            let (settled, values) = settle(&chart, &user);
            schema::check(&settled, &values, sources, &mut rendered.diagnostics);
        }
    }
    // A problem in a chart's defaults shows in every environment's render: report it once.
    rendered.diagnostics.sort_by(|a, b| {
        (&a.path, a.span.map(|s| s.start), &a.message).cmp(&(&b.path, b.span.map(|s| s.start), &b.message))
    });
    rendered.diagnostics.dedup_by(|a, b| a.path == b.path && a.span == b.span && a.message == b.message);
    rendered
}

/// Whether `dir` is inside the `charts/` folder of another chart among `dirs`.
fn is_subchart_dir(dir: &str, dirs: &[&str]) -> bool {
    let mut rest = dir;
    while let Some((above, _)) = rest.rsplit_once("/charts/") {
        if dirs.contains(&above) {
            return true;
        }
        rest = above;
    }
    false
}

/// The chart's files are read through its renders, not judged on their own.
fn mark_inputs(chart: &Chart, rendered: &mut Rendered) {
    let files = chart.templates.iter().chain(&chart.files).chain(&chart.schema);
    for path in files.filter_map(|file| file.path.as_deref()) {
        rendered.inputs.insert(path.to_owned());
    }
    if let Some(path) = chart.values.origin.as_ref().map(|origin| origin.path.to_string()) {
        rendered.inputs.insert(path);
    }
    for (subchart, _) in &chart.subcharts {
        mark_inputs(subchart, rendered);
    }
}

/// The chart as it renders with the user's `values`: disabled subcharts dropped, imported
/// values in place, and the values every template sees (`.Values` of the top chart; each
/// subchart's under its name).
pub(crate) fn settle(chart: &Chart, user: &Node) -> (Chart, Node) {
    let mut settled = chart.clone();
    dependencies::prune_disabled(&mut settled, user, "");
    dependencies::import_values(&mut settled);
    let values = dependencies::coalesce_chart(&settled, user.clone());
    (settled, values)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use std::collections::BTreeMap;
    use std::path::Path;

    use serde::Deserialize;

    use super::*;
    use crate::parse::Limits;
    use crate::render::DocumentSources;

    /// `testdata/helm/<case>/case.yaml`.
    #[derive(Deserialize)]
    struct Case {
        chart: String,
        /// The enabled subcharts, as `a` or `a/b` for nested ones.
        #[serde(default)]
        subcharts: Option<Vec<String>>,
        /// Pointer into the settled values → the value expected there.
        #[serde(default)]
        values: BTreeMap<String, serde_json::Value>,
    }

    fn enabled(chart: &Chart, prefix: &str, out: &mut Vec<String>) {
        for (sub, _) in &chart.subcharts {
            let name = format!("{prefix}{}", sub.name);
            out.push(name.clone());
            enabled(sub, &format!("{name}/"), out);
        }
    }

    /// Every chart fixture's subcharts and values are Helm's.
    #[test]
    fn chart_fixtures_settle_as_helm_does() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/helm");
        let sources = DocumentSources::new(&[], Some(&root), 8 * 1024 * 1024);
        let limits = Limits::default();
        let mut cases = 0;
        for entry in std::fs::read_dir(&root).unwrap() {
            let dir = entry.unwrap().path();
            let Ok(text) = std::fs::read_to_string(dir.join("case.yaml")) else { continue };
            let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
            let case: Case = serde_saphyr::from_str(&text).unwrap();
            let mut loader = chart::Loader::new(&sources, &limits);
            let chart = loader.load_dir(&format!("{name}/{}", case.chart)).unwrap();
            let (settled, values) = settle(&chart, &Node::empty_map(None));
            if let Some(expected) = &case.subcharts {
                let mut found = Vec::new();
                enabled(&settled, "", &mut found);
                found.sort();
                let mut expected = expected.clone();
                expected.sort();
                assert_eq!(found, expected, "{name}: enabled subcharts");
            }
            let values = values.to_value();
            for (pointer, expected) in &case.values {
                assert_eq!(values.pointer(pointer), Some(expected), "{name}: {pointer} in {values:#}");
            }
            cases += 1;
        }
        assert!(cases > 0);
    }
}
