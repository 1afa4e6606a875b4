//! Which renders a chart gets: one per environment that has values files — files in the chart's
//! directory or next to it whose names name an environment and say they are values
//! (`values-production.yaml`, `values.prod.yaml`, `prod-values.yaml`), in name order, later files
//! winning — or, with none, one render with the chart's defaults in the environment the chart's
//! own path names (if any).

use std::collections::BTreeMap;

use crate::environment::infer_environment;
use crate::render::{parent_dir, Sources};

/// One render of a chart: the environment it is for and the user values files, in the order
/// Helm's `-f` would take them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Environment {
    pub name: Option<String>,
    pub files: Vec<String>,
}

/// The renders of the chart in `dir`: the ones `ward.toml` configures (`configured`, files
/// relative to the chart), else from the files `sources` lists around it.
pub(crate) fn environments(
    dir: &str,
    sources: &dyn Sources,
    configured: Option<&BTreeMap<String, Vec<String>>>,
) -> Vec<Environment> {
    if let Some(configured) = configured.filter(|configured| !configured.is_empty()) {
        return configured
            .iter()
            .map(|(name, files)| Environment {
                name: Some(crate::environment::environment_word(name).unwrap_or_else(|| name.clone())),
                files: files.iter().filter_map(|file| crate::render::join_relative(dir, file)).collect(),
            })
            .collect();
    }
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let beside = parent_dir(dir);
    for folder in [dir, beside] {
        let prefix = if folder.is_empty() { String::new() } else { format!("{folder}/") };
        for path in sources.files_under(folder, 10_000) {
            let Some(name) = path.strip_prefix(&prefix) else { continue };
            // Only files directly in the folder: a subchart's or another chart's are not ours.
            if name.contains('/') || !is_values_file_name(name) {
                continue;
            }
            if let Some(environment) = infer_environment(name) {
                let files = by_name.entry(environment).or_default();
                if !files.contains(&path) {
                    files.push(path);
                }
            }
        }
    }
    if by_name.is_empty() {
        return vec![Environment { name: infer_environment(dir), files: Vec::new() }];
    }
    by_name
        .into_iter()
        .map(|(name, mut files)| {
            files.sort();
            Environment { name: Some(name), files }
        })
        .collect()
}

/// `values-prod.yaml`, `values.staging.yml`, `prod-values.yaml`, `values_dev.yaml`: a YAML file
/// whose name has the word `values` besides an environment's.
pub(crate) fn is_values_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower.strip_suffix(".yaml").or_else(|| lower.strip_suffix(".yml")) else { return false };
    stem != "values" && stem.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| word == "values")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn values_files_are_told_by_their_names() {
        for name in ["values-production.yaml", "values.prod.yaml", "prod-values.yaml", "values_dev.yml"] {
            assert!(is_values_file_name(name), "{name}");
            assert!(infer_environment(name).is_some(), "{name}");
        }
        for name in ["values.yaml", "production.yaml", "values.json", "valuesprod.yaml"] {
            assert!(!is_values_file_name(name) || infer_environment(name).is_none(), "{name}");
        }
    }
}
