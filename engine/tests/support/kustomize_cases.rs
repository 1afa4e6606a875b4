//! The kustomize feature cases: `testdata/kustomize/features/*/case.yaml`, each a list of
//! renders of the case's tree with, as data, the objects expected (kubectl's output, kept in a
//! file beside it), the file and line chosen values come from, and the diagnostics expected.

use serde_json::Value;

use super::kustomize::{parse_stream, repo_root};

/// One render of a case.
#[derive(Debug)]
pub(crate) struct Render {
    /// The case's directory, relative to the repository root.
    pub(crate) dir: String,
    /// The kustomization directory rendered, relative to the case.
    pub(crate) render: String,
    pub(crate) expected_output: Option<Vec<Value>>,
    /// `(object, pointer, file:line)`: the object as `Kind/name` or `Kind/namespace/name`, the
    /// file relative to the case.
    pub(crate) provenance: Vec<(String, String, String)>,
    /// `(level, file:line, words the message holds)`.
    pub(crate) diagnostics: Vec<(String, String, String)>,
}

impl Render {
    pub(crate) fn render_dir(&self) -> String {
        if self.render.is_empty() || self.render == "." {
            self.dir.clone()
        } else {
            format!("{}/{}", self.dir, self.render)
        }
    }
}

pub(crate) fn cases() -> Vec<Render> {
    let root = repo_root();
    let features = root.join("testdata/kustomize/features");
    let mut dirs: Vec<_> = std::fs::read_dir(&features).unwrap().flatten().map(|entry| entry.path()).collect();
    dirs.sort();
    let mut out = Vec::new();
    for case_dir in dirs {
        let case_file = case_dir.join("case.yaml");
        let Ok(text) = std::fs::read_to_string(&case_file) else { continue };
        let dir = case_dir.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let renders: Vec<Value> = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{dir}/case.yaml: {e}"));
        for render in renders {
            let text_of = |value: &Value, key: &str| value[key].as_str().unwrap_or_default().to_owned();
            let expected_output = render["expected"].as_str().map(|file| {
                let text = std::fs::read_to_string(case_dir.join(file))
                    .unwrap_or_else(|e| panic!("{dir}: expected output {file}: {e}"));
                parse_stream(&text)
            });
            let provenance = render["provenance"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| (text_of(p, "object"), text_of(p, "pointer"), text_of(p, "at")))
                .collect();
            let diagnostics = render["diagnostics"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| (text_of(d, "level"), text_of(d, "at"), text_of(d, "message")))
                .collect();
            out.push(Render {
                dir: dir.clone(),
                render: text_of(&render, "render"),
                expected_output,
                provenance,
                diagnostics,
            });
        }
    }
    out
}
