//! Helm charts rendered as `helm template` would: each chart among the scan's files (a
//! `Chart.yaml` that is not a subchart's) is loaded ([`chart`]), its values built per environment
//! ([`values`], [`dependencies`]), its templates and its enabled subcharts' executed by the Go
//! template interpreter, and every YAML document of the output becomes a
//! [`super::RenderedObject`] whose values each point at the values line or template line that
//! wrote them.

mod builtins;
pub(crate) mod chart;
pub(crate) mod dependencies;
pub(crate) mod environments;
mod ignore;
mod render;
mod schema;
pub(crate) mod values;

use chart::Chart;

use super::{Rendered, Sources};
use crate::config::EnvironmentMap;
use crate::diagnostic::{Diagnostic, Level};
use crate::parse::Limits;
use crate::render::tracked::Node;

/// Whether `path` is a chart's `Chart.yaml`.
pub(crate) fn is_chart_file(path: &str) -> bool {
    path == "Chart.yaml" || path.ends_with("/Chart.yaml")
}

/// Whether the chart whose `Chart.yaml` is at `chart_file` holds the template at `path`.
pub(crate) fn holds(chart_file: &str, path: &str) -> bool {
    let dir = super::parent_dir(chart_file);
    let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
    path.strip_prefix(&prefix).is_some_and(|inner| inner.starts_with("templates/") || inner.starts_with("charts/"))
}

/// Whether a render of the chart whose `Chart.yaml` is at `chart_file` reads the file at
/// `path`: a file of the chart (its `Chart.yaml`, values, templates, subcharts, `.Files`), or
/// a values file beside its directory that names an environment (`values.staging.yaml`).
pub(crate) fn reads(chart_file: &str, path: &str) -> bool {
    if !is_chart_file(chart_file) {
        return false;
    }
    let dir = super::parent_dir(chart_file);
    let inside = dir.is_empty() || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'));
    let name = path.rsplit('/').next().unwrap_or(path);
    let beside = super::parent_dir(path) == super::parent_dir(dir)
        && environments::is_values_file_name(name)
        && crate::environment::infer_environment(name).is_some();
    inside || (!dir.is_empty() && beside)
}

/// Renders the charts whose `Chart.yaml` is at `chart_files` (sorted); one inside another's
/// `charts/` is a subchart, rendered through its parent.
pub(crate) fn render_all(
    chart_files: &[&str],
    sources: &dyn Sources,
    limits: &Limits,
    configured: &EnvironmentMap,
) -> Rendered {
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
        let capabilities = builtins::capabilities(&configured.helm_cluster(dir));
        for environment in environments::environments(dir, sources, configured.chart_values(dir)) {
            let mut user = Node::empty_map(None);
            for file in &environment.files {
                rendered.inputs.insert(file.clone());
                let Some(text) = sources.text(file) else {
                    let message = format!("values file `{file}` for chart `{dir}` is not a readable file");
                    rendered.diagnostics.push(Diagnostic::file(Level::Error, file.clone(), message));
                    continue;
                };
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
            let renderer = if dir.is_empty() { "Chart.yaml".to_owned() } else { format!("{dir}/Chart.yaml") };
            let mut done =
                render::render(&settled, &values, &renderer, environment.name.as_deref(), &capabilities, limits);
            rendered.objects.append(&mut done.objects);
            rendered.diagnostics.append(&mut done.diagnostics);
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
    #[serde(deny_unknown_fields)]
    struct Case {
        chart: String,
        /// The enabled subcharts, as `a` or `a/b` for nested ones.
        #[serde(default)]
        subcharts: Option<Vec<String>>,
        /// Pointer into the settled values (with the chart's defaults) → the value there.
        #[serde(default)]
        values: BTreeMap<String, serde_json::Value>,
        /// The objects rendered, each at least once.
        #[serde(default)]
        objects: Vec<ExpectedObject>,
        /// `Kind/name`s no render may hold.
        #[serde(default)]
        absent: Vec<String>,
        /// Every diagnostic, when given.
        #[serde(default)]
        diagnostics: Option<Vec<ExpectedDiagnostic>>,
        /// A `ward.toml` for the render (chart directories relative to `testdata/helm`).
        #[serde(default)]
        ward_toml: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ExpectedObject {
        /// `Kind/name`.
        id: String,
        #[serde(default)]
        environment: Option<String>,
        #[serde(default)]
        values: BTreeMap<String, serde_json::Value>,
        /// Pointer → `file:line` (relative to the case) of the value's origin.
        #[serde(default)]
        provenance: BTreeMap<String, String>,
        /// Pointers whose value has no line a person can open (written inside an archive).
        #[serde(default)]
        unplaced: Vec<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ExpectedDiagnostic {
        /// `file:line` or `file:line:column`, relative to the case.
        at: String,
        /// A part of the message.
        message: String,
    }

    fn enabled(chart: &Chart, prefix: &str, out: &mut Vec<String>) {
        for (sub, _) in &chart.subcharts {
            let name = format!("{prefix}{}", sub.name);
            out.push(name.clone());
            enabled(sub, &format!("{name}/"), out);
        }
    }

    fn line_of(root: &Path, path: &str, offset: usize) -> usize {
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        text.get(..offset).unwrap().matches('\n').count() + 1
    }

    /// Every chart fixture renders as Helm does: its subcharts, its values, its objects with the
    /// file and line of each chosen value, and its diagnostics.
    #[test]
    fn a_chart_reads_its_files_and_the_values_files_beside_it() {
        let cases = [
            ("deploy/web/Chart.yaml", "deploy/web/values.yaml", true),
            ("deploy/web/Chart.yaml", "deploy/web/templates/deployment.yaml", true),
            ("deploy/web/Chart.yaml", "deploy/web/Chart.yaml", true),
            ("deploy/web/Chart.yaml", "deploy/values.staging.yaml", true),
            ("deploy/web/Chart.yaml", "deploy/values.yaml", false),
            ("deploy/web/Chart.yaml", "deploy/other/values.staging.yaml", false),
            ("deploy/web/Chart.yaml", "deploy/webapp/values.yaml", false),
            ("deploy/web/values.yaml", "deploy/web/values.yaml", false),
            ("Chart.yaml", "templates/x.yaml", true),
        ];
        for (chart, path, expected) in cases {
            assert_eq!(reads(chart, path), expected, "{chart} reads {path}");
        }
    }

    #[test]
    fn chart_fixtures_render_as_helm_does() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/helm");
        let sources = DocumentSources::new(&[], Some(&root), 8 * 1024 * 1024);
        let limits = Limits::default();
        let mut cases = 0;
        let mut dirs: Vec<_> = std::fs::read_dir(&root).unwrap().map(|entry| entry.unwrap().path()).collect();
        dirs.sort();
        for dir in dirs {
            let Ok(text) = std::fs::read_to_string(dir.join("case.yaml")) else { continue };
            let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
            let case: Case = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let chart_dir = format!("{name}/{}", case.chart);
            let mut loader = chart::Loader::new(&sources, &limits);
            let chart = loader.load_dir(&chart_dir).unwrap();
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

            let chart_file = format!("{chart_dir}/Chart.yaml");
            let environments = match &case.ward_toml {
                Some(text) => crate::config::Config::parse("ward.toml", text, &root).unwrap().environments,
                None => EnvironmentMap::default(),
            };
            let rendered = render_all(&[chart_file.as_str()], &sources, &limits, &environments);
            let ids: Vec<String> = rendered
                .objects
                .iter()
                .map(|o| format!("{}/{} [{:?}]", o.value["kind"], o.value["metadata"]["name"], o.environment))
                .collect();
            for expected in &case.objects {
                let object = rendered
                    .objects
                    .iter()
                    .find(|object| object.source == expected.id && object.environment == expected.environment)
                    .unwrap_or_else(|| {
                        panic!("{name}: no {} in {:?}; rendered: {ids:?}", expected.id, expected.environment)
                    });
                for (pointer, value) in &expected.values {
                    assert_eq!(object.value.pointer(pointer), Some(value), "{name}: {} {pointer}", expected.id);
                }
                for pointer in &expected.unplaced {
                    assert_eq!(object.provenance.get(pointer), None, "{name}: {} {pointer}", expected.id);
                }
                for (pointer, at) in &expected.provenance {
                    let origin = object
                        .provenance
                        .get(pointer)
                        .unwrap_or_else(|| panic!("{name}: {} has no origin at {pointer}", expected.id));
                    let path = origin.path.strip_prefix(&format!("{name}/")).unwrap_or(&origin.path);
                    let found = format!("{path}:{}", line_of(&root, &origin.path, origin.span.start));
                    assert_eq!(&found, at, "{name}: {} {pointer}", expected.id);
                }
            }
            for id in &case.absent {
                assert!(!rendered.objects.iter().any(|object| &object.source == id), "{name}: {id} in {ids:?}");
            }
            if let Some(expected) = &case.diagnostics {
                let found: Vec<(String, String)> = rendered
                    .diagnostics
                    .iter()
                    .map(|d| {
                        let path = d.path.strip_prefix(&format!("{name}/")).unwrap_or(&d.path);
                        let (line, column) = d.position.map_or((0, 0), |p| (p.line, p.column));
                        (format!("{path}:{line}: {}", d.message), format!("{path}:{line}:{column}: {}", d.message))
                    })
                    .collect();
                assert_eq!(found.len(), expected.len(), "{name}: diagnostics {found:#?}");
                for want in expected {
                    let at = format!("{}: ", want.at);
                    assert!(
                        found.iter().any(|(line, column)| (line.starts_with(&at) || column.starts_with(&at))
                            && line.contains(&want.message)),
                        "{name}: no diagnostic at {} saying {:?} in {found:#?}",
                        want.at,
                        want.message
                    );
                }
            }
            cases += 1;
        }
        assert!(cases >= 3);
    }

    /// The bare name of an image (`…/adservice:v0.10.6` → `adservice`).
    fn image_name(image: &str) -> &str {
        let last = image.rsplit('/').next().unwrap_or(image);
        last.split([':', '@']).next().unwrap_or(last)
    }

    /// Where the repository's chart and its plain manifests differ upstream: the chart's
    /// `resources` for these three services are twice the manifests' memory (128Mi/256Mi, not
    /// 64Mi/128Mi). The chart's own values are what the rendered Deployment must hold.
    const UPSTREAM_RESOURCES: &[&str] = &["cartservice", "currencyservice", "paymentservice"];

    /// The parts of a container the chart and the plain manifests must agree on; `chart_side`
    /// reads the plain manifest's resources as the chart's values give them.
    fn container_facts(deployment: &str, container: &serde_json::Value, chart_side: bool) -> serde_json::Value {
        let image = container["image"].as_str().map(image_name);
        let resources = match (UPSTREAM_RESOURCES.contains(&deployment), chart_side) {
            (true, false) => {
                let memory = |m: &str| if m == "64Mi" { "128Mi" } else { "256Mi" };
                let mut doubled = container["resources"].clone();
                for part in ["requests", "limits"] {
                    let value = doubled[part]["memory"].as_str().map(memory).unwrap_or_default();
                    doubled[part]["memory"] = serde_json::Value::from(value);
                }
                doubled
            }
            _ => container["resources"].clone(),
        };
        serde_json::json!({
            "name": container["name"],
            "image": image,
            "ports": container["ports"],
            "readinessProbe": container["readinessProbe"],
            "livenessProbe": container["livenessProbe"],
            "resources": resources,
        })
    }

    /// The microservices-demo chart renders the Deployments its repository ships as plain
    /// manifests (`testdata/helm/microservices-demo/README.md` lists the intended differences).
    #[test]
    fn rendered_microservices_demo_matches_its_plain_manifests() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/helm/microservices-demo");
        let sources = DocumentSources::new(&[], Some(&root), 8 * 1024 * 1024);
        let limits = Limits::default();
        let rendered = render_all(&["helm-chart/Chart.yaml"], &sources, &limits, &EnvironmentMap::default());
        assert!(rendered.diagnostics.is_empty(), "{:#?}", rendered.diagnostics);
        let mut manifests: Vec<_> =
            std::fs::read_dir(root.join("kubernetes-manifests")).unwrap().map(|e| e.unwrap().path()).collect();
        manifests.sort();
        let mut compared = 0;
        for path in manifests.iter().filter(|path| path.extension().is_some_and(|e| e == "yaml")) {
            let text = std::fs::read_to_string(path).unwrap();
            let parsed =
                crate::parse::yaml::parse_stream(&text, crate::parse::yaml::ScalarRules::Yaml11, &limits).unwrap();
            for plain in parsed.value.as_array().unwrap() {
                if plain["kind"] != "Deployment" {
                    continue;
                }
                let name = plain["metadata"]["name"].as_str().unwrap();
                let chart = rendered
                    .objects
                    .iter()
                    .find(|o| o.value["kind"] == "Deployment" && o.value["metadata"]["name"] == name)
                    .unwrap_or_else(|| panic!("the chart renders no Deployment {name}"));
                for list in ["containers", "initContainers"] {
                    let facts = |object: &serde_json::Value, chart_side: bool| -> Vec<serde_json::Value> {
                        object["spec"]["template"]["spec"][list]
                            .as_array()
                            .map(|items| items.iter().map(|c| container_facts(name, c, chart_side)).collect())
                            .unwrap_or_default()
                    };
                    assert_eq!(facts(&chart.value, true), facts(plain, false), "Deployment {name}: {list}");
                }
                compared += 1;
            }
        }
        assert_eq!(compared, 12, "every Deployment of the plain manifests");
    }
}
