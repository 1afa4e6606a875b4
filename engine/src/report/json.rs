//! The JSON report: [`ReportData`] as JSON — stable key and element order, validated against
//! `schemas/report.schema.json`, and read back by [`ReportData::from_json`] to render a saved
//! report in any format.

use serde_json::Value;

use super::{ReportData, SerializeError};

/// The report as pretty-printed JSON, ending with a line break.
pub fn render(report: &ReportData) -> Result<String, SerializeError> {
    Ok(serde_json::to_string_pretty(report)? + "\n")
}

/// The report as a JSON value (for checking it against its schema).
pub fn to_value(report: &ReportData) -> Value {
    serde_json::to_value(report).unwrap_or(Value::Null)
}
