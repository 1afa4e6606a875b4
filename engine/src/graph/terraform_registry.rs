//! Registry modules judged without being downloaded: the terraform-aws pack's data file
//! (`policies/terraform-aws/modules/terraform-aws-modules.yaml`) describes, for the common
//! `terraform-aws-modules` modules, per range of versions, the inputs that matter with the
//! module's defaults and the resources the module creates from them, written as the module
//! writes them (HCL expressions over `var.*`, `local.*`, `count.index`). A call is expanded
//! like a local module ([`super::terraform_modules`]) from that description, so it is judged
//! like the resources it would create.
//!
//! The description is read once, at first use, from the copy built into the binary.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use semver::Version;
use serde::Deserialize;
use serde_json::{Map, Value};

/// The data file, as built into the binary with the pack.
const DATA: &str = include_str!("../../../policies/terraform-aws/modules/terraform-aws-modules.yaml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DataFile {
    modules: Vec<ModuleEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleEntry {
    /// `terraform-aws-modules/s3-bucket/aws`, or a submodule `…/iam/aws//modules/iam-user`.
    source: String,
    versions: Vec<VersionEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionEntry {
    /// The first version this description holds for (inclusive) …
    since: String,
    /// … and the first it no longer does (exclusive); none: up to the latest.
    #[serde(default)]
    until: Option<String>,
    /// The module's variables that matter, with their defaults.
    #[serde(default)]
    variables: BTreeMap<String, Value>,
    /// The module's locals, as expressions.
    #[serde(default)]
    locals: BTreeMap<String, String>,
    /// The resources the module creates: `type.name` → `count`/`for_each` and the body, each
    /// attribute an expression (nested blocks as lists of bodies).
    #[serde(default)]
    resources: BTreeMap<String, ResourceEntry>,
    /// The data sources it reads that the pack judges (an `aws_iam_policy_document` built from
    /// the caller's statements), likewise.
    #[serde(default)]
    data: BTreeMap<String, ResourceEntry>,
    /// The module's outputs, as expressions.
    #[serde(default)]
    outputs: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResourceEntry {
    #[serde(default)]
    count: Option<String>,
    #[serde(default)]
    for_each: Option<String>,
    #[serde(default)]
    config: Map<String, Value>,
}

/// One registry module's description for a range of versions, as a Terraform file's value
/// (what the parser gives for `variable`, `locals`, `resource` and `output` blocks), so that
/// it expands like a module on disk.
#[derive(Debug)]
pub(crate) struct RegistryModule {
    /// The source a call names it by.
    pub source: String,
    /// Its blocks, shaped like a parsed Terraform file.
    pub value: Value,
}

struct Registry {
    /// By source: (first version, first version no longer described, module).
    modules: BTreeMap<String, Vec<(Version, Option<Version>, RegistryModule)>>,
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        // The file is ours and tested (`the_data_file_is_valid`); a broken one describes nothing.
        let data: DataFile = serde_saphyr::from_str(DATA).unwrap_or(DataFile { modules: Vec::new() });
        let mut modules: BTreeMap<String, Vec<_>> = BTreeMap::new();
        for module in data.modules {
            for version in module.versions {
                let Some(since) = lenient_version(&version.since) else { continue };
                let until = version.until.as_deref().and_then(lenient_version);
                let value = as_terraform_file(&version);
                let described = RegistryModule { source: module.source.clone(), value };
                modules.entry(normalise_source(&module.source)).or_default().push((since, until, described));
            }
        }
        Registry { modules }
    })
}

/// The description of the module a call with `source` and `version` (a constraint:
/// `"~> 4.0"`, `">= 3.2, < 5"`, `"4.1.2"`) uses, when the data file has one for it. The
/// constraint's lowest allowed version selects the description; no constraint means the
/// latest described.
pub(crate) fn lookup(source: &str, version: Option<&str>) -> Option<&'static RegistryModule> {
    let candidates = registry().modules.get(&normalise_source(source))?;
    match version.and_then(lowest_allowed) {
        Some(wanted) => candidates
            .iter()
            .find(|(since, until, _)| *since <= wanted && until.as_ref().is_none_or(|until| wanted < *until))
            .map(|(_, _, module)| module),
        None => candidates.iter().max_by(|a, b| a.0.cmp(&b.0)).map(|(_, _, module)| module),
    }
}

/// `registry.terraform.io/terraform-aws-modules/S3-Bucket/aws` → `terraform-aws-modules/s3-bucket/aws`:
/// the public registry's host is implied, and registry names are case-insensitive.
fn normalise_source(source: &str) -> String {
    let source = source.trim().trim_start_matches("registry.terraform.io/");
    let (module, submodule) = source.split_once("//").unwrap_or((source, ""));
    let module = module.to_ascii_lowercase();
    let submodule = submodule.trim_matches('/');
    if submodule.is_empty() {
        module
    } else {
        format!("{module}//{submodule}")
    }
}

/// `4`, `4.1`, `v4.1.2` → a version.
fn lenient_version(text: &str) -> Option<Version> {
    let text = text.trim().trim_start_matches('v');
    let mut parts = text.split('.').map(|part| part.trim().parse::<u64>());
    let major = parts.next()?.ok()?;
    let minor = parts.next().transpose().ok()?.unwrap_or(0);
    let patch = parts.next().transpose().ok()?.unwrap_or(0);
    Some(Version::new(major, minor, patch))
}

/// The lowest version a Terraform version constraint allows: the largest of its lower bounds
/// (`>= 3.2`, `~> 4.0`, `= 4.1.2`, `4.1.2`), ignoring upper bounds and exclusions. `None` when
/// it has no lower bound.
fn lowest_allowed(constraint: &str) -> Option<Version> {
    let mut lowest: Option<Version> = None;
    for part in constraint.split(',') {
        let part = part.trim();
        let operator_end = part.find(|c: char| c.is_ascii_digit() || c == 'v').unwrap_or(part.len());
        let (operator, version) = part.split_at(operator_end);
        let Some(version) = lenient_version(version) else { continue };
        let bound = match operator.trim() {
            "" | "=" | ">=" | "~>" => version,
            ">" => Version::new(version.major, version.minor, version.patch + 1),
            _ => continue,
        };
        if lowest.as_ref().is_none_or(|lowest| bound > *lowest) {
            lowest = Some(bound);
        }
    }
    lowest
}

/// A version's description as a parsed Terraform file: `config` holds each expression in
/// interpolation form (not known until a call's scope resolves it), `expressions` its text.
fn as_terraform_file(version: &VersionEntry) -> Value {
    let mut file = Map::new();
    let mut variables = Map::new();
    for (name, default) in &version.variables {
        variables.insert(
            name.clone(),
            serde_json::json!({"block": "variable", "name": name, "config": {"default": default}, "expressions": {}}),
        );
    }
    file.insert("variable".into(), Value::Object(variables));
    let locals: Map<String, Value> =
        version.locals.iter().map(|(name, text)| (name.clone(), Value::String(text.clone()))).collect();
    file.insert("locals".into(), serde_json::json!({"expressions": locals}));
    for (kind, described) in [("resource", &version.resources), ("data", &version.data)] {
        file.insert(kind.into(), Value::Object(blocks(kind, described)));
    }
    let mut outputs = Map::new();
    for (name, text) in &version.outputs {
        outputs.insert(
            name.clone(),
            serde_json::json!({"block": "output", "name": name, "config": {"value": format!("${{{text}}}")}, "expressions": {"value": text}}),
        );
    }
    file.insert("output".into(), Value::Object(outputs));
    Value::Object(file)
}

/// Described `resource` or `data` blocks (`kind`) as a parsed file has them: by type, then name.
fn blocks(kind: &str, described: &BTreeMap<String, ResourceEntry>) -> Map<String, Value> {
    let mut by_type: Map<String, Value> = Map::new();
    for (address, resource) in described {
        let Some((block_type, name)) = address.split_once('.') else { continue };
        let mut expressions = texts(&Value::Object(resource.config.clone()));
        let mut config = unresolved(&expressions);
        for (meta, text) in [("count", &resource.count), ("for_each", &resource.for_each)] {
            if let (Some(text), Value::Object(expressions)) = (text, &mut expressions) {
                expressions.insert(meta.into(), Value::String(text.clone()));
            }
            if let (Some(text), Value::Object(config)) = (text, &mut config) {
                config.insert(meta.into(), Value::String(format!("${{{text}}}")));
            }
        }
        let block = serde_json::json!({
            "block": kind, "type": block_type, "name": name, "config": config, "expressions": expressions,
        });
        if let Value::Object(names) = by_type.entry(block_type.to_owned()).or_insert_with(|| Value::Object(Map::new()))
        {
            names.insert(name.to_owned(), block);
        }
    }
    by_type
}

/// The body's expression texts: scalars become their text (a YAML `true` is the expression
/// `true`); lists of bodies stay lists.
fn texts(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), texts(v))).collect()),
        Value::Array(items) => Value::Array(items.iter().map(texts).collect()),
        Value::String(text) => Value::String(text.clone()),
        other => Value::String(other.to_string()),
    }
}

/// The same shape with every expression not yet known.
fn unresolved(expressions: &Value) -> Value {
    match expressions {
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), unresolved(v))).collect()),
        Value::Array(items) => Value::Array(items.iter().map(unresolved).collect()),
        Value::String(text) => Value::String(format!("${{{text}}}")),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    /// Every description parses, names a version range that makes sense, and every expression
    /// in it is an expression.
    #[test]
    fn the_data_file_is_valid() {
        let data: DataFile = serde_saphyr::from_str(DATA).expect("the data file parses");
        assert!(!data.modules.is_empty());
        for module in &data.modules {
            for version in &module.versions {
                let since = lenient_version(&version.since).expect("since is a version");
                if let Some(until) = &version.until {
                    assert!(since < lenient_version(until).expect("until is a version"), "{}", module.source);
                }
                let file = as_terraform_file(version);
                let mut all = Vec::new();
                collect(&file["resource"], &mut all);
                collect(&file["data"], &mut all);
                collect(&file["locals"], &mut all);
                collect(&file["output"], &mut all);
                for text in all {
                    assert!(
                        hcl_edit::parser::parse_expr(&text).is_ok(),
                        "{}: `{text}` is not an expression",
                        module.source
                    );
                }
            }
        }
    }

    fn collect(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    if key == "expressions" {
                        strings(item, out);
                    } else {
                        collect(item, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| collect(item, out)),
            _ => {}
        }
    }

    fn strings(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(text) => out.push(text.clone()),
            Value::Object(map) => map.values().for_each(|item| strings(item, out)),
            Value::Array(items) => items.iter().for_each(|item| strings(item, out)),
            _ => {}
        }
    }

    #[test]
    fn a_version_constraint_selects_the_description() {
        assert_eq!(lowest_allowed("~> 4.0"), Some(Version::new(4, 0, 0)));
        assert_eq!(lowest_allowed(">= 3.2, < 5"), Some(Version::new(3, 2, 0)));
        assert_eq!(lowest_allowed("3.15.1"), Some(Version::new(3, 15, 1)));
        assert_eq!(lowest_allowed("< 5"), None);
        assert_eq!(
            normalise_source("registry.terraform.io/Terraform-AWS-Modules/s3-bucket/aws"),
            "terraform-aws-modules/s3-bucket/aws"
        );
        assert!(lookup("terraform-aws-modules/s3-bucket/aws", Some("~> 4.0")).is_some());
        assert!(lookup("terraform-aws-modules/s3-bucket/aws", None).is_some());
        assert!(lookup("terraform-aws-modules/s3-bucket/aws", Some("1.0.0")).is_none());
        assert!(lookup("cloudposse/s3-bucket/aws", None).is_none());
    }
}
