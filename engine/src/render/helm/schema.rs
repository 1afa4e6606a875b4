//! `values.schema.json`: the values each chart of a render receives are checked against its
//! schema, as `helm template` does before rendering, and a violation is reported at the values
//! line that set the value (the nearest value that was written, for a missing one).

use serde_json::Value;

use super::chart::Chart;
use crate::diagnostic::{Diagnostic, Level};
use crate::render::tracked::Node;
use crate::render::Sources;

/// Checks `values` against `chart`'s schema, and each enabled subchart's table against its own.
pub(crate) fn check(chart: &Chart, values: &Node, sources: &dyn Sources, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(schema_file) = &chart.schema {
        let label = schema_file.path.as_deref().unwrap_or(chart.dir.as_str()).to_owned();
        match serde_json::from_str::<Value>(&schema_file.text) {
            Err(error) => diagnostics.push(Diagnostic::file(
                Level::Error,
                label,
                format!("`values.schema.json` is not JSON: {error}"),
            )),
            Ok(schema) => match jsonschema::validator_for(&schema) {
                Err(error) => diagnostics.push(Diagnostic::file(
                    Level::Error,
                    label,
                    format!("`values.schema.json` is not a JSON Schema: {error}"),
                )),
                Ok(validator) => {
                    let value = values.to_value();
                    let provenance = values.provenance();
                    let mut violations: Vec<(String, String)> = validator
                        .iter_errors(&value)
                        .map(|error| (error.instance_path().as_str().to_owned(), error.to_string()))
                        .collect();
                    violations.sort();
                    violations.dedup();
                    for (pointer, message) in violations {
                        let message = format!("values break `{}`'s schema at `{pointer}`: {message}", chart.name);
                        let place = provenance.lookup(&pointer).and_then(|(_, origin)| {
                            let text = sources.text(&origin.path)?;
                            Some(Diagnostic::at(origin.path.to_string(), &text, origin.entry(), message.clone()))
                        });
                        diagnostics.push(place.unwrap_or_else(|| Diagnostic::file(Level::Error, &label, message)));
                    }
                }
            },
        }
    }
    for (subchart, _) in &chart.subcharts {
        if let Some(table) = values.get(&subchart.name) {
            check(subchart, table, sources, diagnostics);
        }
    }
}
