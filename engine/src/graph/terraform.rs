//! Terraform blocks as resources, grouped by module directory, each with its `config` resolved
//! for every environment the directory's `*.tfvars` files name: `infra/` with `staging.tfvars`
//! and `production.tfvars` gives two resources per block, `…@infra[staging]` and
//! `…@infra[production]`, so that parity rules compare like with like. References between
//! blocks become edges within each environment.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::references::terraform_references;
use super::{parent_dir, GraphBuilder, Relation};
use crate::document::{pointer_push, DocumentKind};
use crate::parse::terraform::{has_unknown, resolve_text, Scope};

/// Top-level block kinds that are resources, as written in the document value.
const BLOCK_KINDS: [&str; 7] = ["resource", "data", "module", "provider", "variable", "output", "terraform"];

/// How many rounds of resolving locals against each other before giving up (locals may refer
/// to locals; a cycle simply stays unresolved).
const LOCAL_ROUNDS: usize = 8;

fn is_tfvars(path: &str) -> bool {
    path.ends_with(".tfvars") || path.ends_with(".tfvars.json")
}

/// One module directory: its `.tf` documents and the variable files that apply to it.
#[derive(Default)]
struct Module {
    configs: Vec<usize>,
    /// `terraform.tfvars` and `*.auto.tfvars`: loaded by Terraform in every run.
    common_vars: Vec<usize>,
    /// Other `*.tfvars`, by the environment their path names.
    env_vars: BTreeMap<String, Vec<usize>>,
}

/// Groups Terraform documents by module directory. A `.tfvars` file belongs to the nearest
/// directory at or above it that has `.tf` files (`infra/envs/prod.tfvars` → `infra`).
fn modules(builder: &GraphBuilder) -> BTreeMap<String, Module> {
    let mut modules: BTreeMap<String, Module> = BTreeMap::new();
    let terraform = builder.documents.iter().enumerate().filter(|(_, d)| d.kind == DocumentKind::Terraform);
    for (index, document) in terraform.clone().filter(|(_, d)| !is_tfvars(&d.path)) {
        modules.entry(parent_dir(&document.path).to_owned()).or_default().configs.push(index);
    }
    for (index, document) in terraform.filter(|(_, d)| is_tfvars(&d.path)) {
        let mut dir = parent_dir(&document.path);
        let owner = loop {
            if modules.contains_key(dir) {
                break Some(dir.to_owned());
            }
            if dir.is_empty() {
                break None;
            }
            dir = parent_dir(dir);
        };
        let Some(module) = owner.and_then(|owner| modules.get_mut(&owner)) else { continue };
        let name = document.path.rsplit('/').next().unwrap_or_default();
        if name == "terraform.tfvars" || name.contains(".auto.tfvars") {
            module.common_vars.push(index);
        } else if let Some(environment) = builder.environments.resolve(&document.path) {
            module.env_vars.entry(environment).or_default().push(index);
        } else {
            // A variable file that names no environment is still a variable file of the
            // module: treat it like `-var-file` given on every run.
            module.common_vars.push(index);
        }
    }
    modules
}

pub(crate) fn add_resources(builder: &mut GraphBuilder) {
    for (dir, module) in modules(builder) {
        let location = if dir.is_empty() { ".".to_owned() } else { dir.clone() };
        let directory_environment = builder.environments.resolve(&format!("{dir}/"));
        let environments: Vec<Option<String>> = if module.env_vars.is_empty() {
            vec![directory_environment]
        } else {
            module.env_vars.keys().cloned().map(Some).collect()
        };
        let variants = !module.env_vars.is_empty();
        for environment in environments {
            let scope = scope_for(builder, &module, environment.as_deref());
            for &document in &module.configs {
                add_blocks(
                    builder,
                    document,
                    &scope,
                    &location,
                    environment.as_ref().filter(|_| variants),
                    environment.clone(),
                );
            }
            // Variable files are resources too: a rule can check what production sets.
            let files = module
                .common_vars
                .iter()
                .chain(environment.as_ref().and_then(|e| module.env_vars.get(e)).into_iter().flatten());
            for &document in files.filter(|_| environment.is_some() || !variants) {
                let Some(path) = builder.document(document).map(|d| d.path.clone()) else { continue };
                let id = format!("tf:tfvars@{path}");
                if !builder.resources.iter().any(|r| r.id == id) {
                    builder.add(document, "/attributes".into(), id, "tfvars", None);
                }
            }
        }
    }
}

/// The variables and locals known in one environment of a module: variable defaults, then
/// common variable files, then the environment's own, as Terraform orders them.
fn scope_for(builder: &GraphBuilder, module: &Module, environment: Option<&str>) -> Scope {
    let mut scope = Scope::default();
    for document in module.configs.iter().filter_map(|&i| builder.document(i)) {
        for (name, block) in document.value.get("variable").and_then(Value::as_object).into_iter().flatten() {
            if let Some(default) = block.pointer("/config/default") {
                scope.variables.insert(name.clone(), default.clone());
            }
        }
    }
    let env_files = environment.and_then(|e| module.env_vars.get(e)).into_iter().flatten();
    for document in module.common_vars.iter().chain(env_files).filter_map(|&i| builder.document(i)) {
        for (name, value) in
            document.value.pointer("/attributes/config").and_then(Value::as_object).into_iter().flatten()
        {
            scope.variables.insert(name.clone(), value.clone());
        }
    }
    let local_expressions: Vec<(String, String)> = module
        .configs
        .iter()
        .filter_map(|&i| builder.document(i))
        .flat_map(|d| d.value.pointer("/locals/expressions").and_then(Value::as_object).cloned().unwrap_or_default())
        .filter_map(|(name, text)| Some((name, text.as_str()?.to_owned())))
        .collect();
    for _ in 0..LOCAL_ROUNDS {
        let mut changed = false;
        for (name, text) in &local_expressions {
            if let Some(value) = resolve_text(text, &scope) {
                if scope.locals.get(name) != Some(&value) {
                    scope.locals.insert(name.clone(), value);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    scope
}

/// The address a block has in Terraform (`aws_s3_bucket.logs`, `data.x.y`, `module.vpc`,
/// `var.region`, `provider.aws.west`), and the kind of resource it is.
fn address(kind: &str, block: &Value) -> Option<(String, String)> {
    let name = block.get("name").and_then(Value::as_str);
    let block_type = block.get("type").and_then(Value::as_str);
    Some(match kind {
        "resource" => (format!("{}.{}", block_type?, name?), block_type?.to_owned()),
        "data" => (format!("data.{}.{}", block_type?, name?), block_type?.to_owned()),
        "variable" => (format!("var.{}", name?), "variable".to_owned()),
        "provider" => match block.pointer("/config/alias").and_then(Value::as_str) {
            Some(alias) => (format!("provider.{}.{alias}", name?), "provider".to_owned()),
            None => (format!("provider.{}", name?), "provider".to_owned()),
        },
        "terraform" => ("terraform".to_owned(), "terraform".to_owned()),
        other => (format!("{other}.{}", name?), other.to_owned()),
    })
}

fn add_blocks(
    builder: &mut GraphBuilder,
    document: usize,
    scope: &Scope,
    location: &str,
    variant: Option<&String>,
    environment: Option<String>,
) {
    let Some(value) = builder.document(document).map(|d| d.value.clone()) else { return };
    let mut blocks: Vec<(String, Value)> = Vec::new();
    for kind in BLOCK_KINDS {
        match value.get(kind) {
            Some(Value::Object(by_type)) if matches!(kind, "resource" | "data") => {
                for (block_type, names) in by_type {
                    for (name, block) in names.as_object().into_iter().flatten() {
                        let pointer = pointer_push(&pointer_push(&pointer_push("", kind), block_type), name);
                        blocks.push((pointer, block.clone()));
                    }
                }
            }
            Some(Value::Object(names)) if kind == "provider" => {
                for (name, list) in names {
                    for (index, block) in list.as_array().into_iter().flatten().enumerate() {
                        blocks
                            .push((pointer_push(&pointer_push("/provider", name), &index.to_string()), block.clone()));
                    }
                }
            }
            Some(Value::Object(names)) => {
                for (name, block) in names {
                    blocks.push((pointer_push(&pointer_push("", kind), name), block.clone()));
                }
            }
            Some(Value::Array(list)) => {
                for (index, block) in list.iter().enumerate() {
                    blocks.push((pointer_push(&pointer_push("", kind), &index.to_string()), block.clone()));
                }
            }
            _ => {}
        }
    }
    for (pointer, mut block) in blocks {
        let kind = block.get("block").and_then(Value::as_str).unwrap_or_default().to_owned();
        let Some((address, resource_type)) = address(&kind, &block) else { continue };
        let resolved = match (block.get("config"), block.get("expressions")) {
            (Some(config), Some(expressions)) => Some(resolve_config(config.clone(), expressions, scope, 0)),
            _ => None,
        };
        if let (Some(resolved), Some(slot)) = (resolved, block.get_mut("config")) {
            *slot = resolved;
        }
        let id = match variant {
            Some(environment) => format!("tf:{address}@{location}[{environment}]"),
            None => format!("tf:{address}@{location}"),
        };
        let name = block.get("name").and_then(Value::as_str).map(str::to_owned);
        builder.add_with_value(document, pointer, id, &resource_type, name, block, environment.clone());
    }
}

/// Re-resolves the parts of `config` that parsing alone could not know, with what `scope`
/// knows. `expressions` has the same shape as `config`, with the text of each expression.
fn resolve_config(config: Value, expressions: &Value, scope: &Scope, depth: usize) -> Value {
    if depth > 64 || !has_unknown(&config) {
        return config;
    }
    match (config, expressions) {
        (Value::Object(config), Value::Object(expressions)) => {
            let resolved: Map<String, Value> = config
                .into_iter()
                .map(|(key, value)| {
                    let value = match expressions.get(&key) {
                        Some(Value::String(text)) => {
                            if has_unknown(&value) {
                                resolve_text(text, scope).unwrap_or(value)
                            } else {
                                value
                            }
                        }
                        Some(nested) => resolve_config(value, nested, scope, depth + 1),
                        None => value,
                    };
                    (key, value)
                })
                .collect();
            Value::Object(resolved)
        }
        (Value::Array(items), Value::Array(texts)) => Value::Array(
            items
                .into_iter()
                .zip(texts.iter().map(Some).chain(std::iter::repeat(None)))
                .map(|(item, text)| match text {
                    Some(text) => resolve_config(item, text, scope, depth + 1),
                    None => item,
                })
                .collect(),
        ),
        (config, _) => config,
    }
}

pub(crate) fn add_edges(builder: &mut GraphBuilder) {
    // Addresses by (module location, environment variant) -> id.
    let mut index: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut sources: Vec<(String, String, Vec<String>)> = Vec::new();
    for resource in builder.resources.iter().filter(|r| r.kind == DocumentKind::Terraform) {
        let Some((address, scope)) = split_id(&resource.id) else { continue };
        index.insert((scope.clone(), address), resource.id.clone());
        let mut texts = Vec::new();
        collect_texts(resource.value.get("expressions").unwrap_or(&Value::Null), &mut texts, 0);
        sources.push((resource.id.clone(), scope, texts));
    }
    let locals = local_references(builder);
    for (id, scope, texts) in sources {
        let module = scope.split('[').next().unwrap_or(&scope).to_owned();
        let mut targets: BTreeSet<String> = BTreeSet::new();
        for text in &texts {
            for reference in terraform_references(text) {
                match reference.strip_prefix("local.") {
                    Some(local) => {
                        let via = locals.get(&(module.clone(), local.to_owned())).cloned().unwrap_or_default();
                        targets.extend(via);
                    }
                    None => {
                        targets.insert(reference);
                    }
                }
            }
        }
        let provider =
            builder.resources.iter().find(|r| r.id == id).and_then(|r| r.value.pointer("/expressions/provider"));
        if let Some(Value::String(provider)) = provider {
            targets.insert(format!("provider.{}", provider.trim()));
        }
        for target in targets {
            if let Some(to) = index.get(&(scope.clone(), target)) {
                let to = to.clone();
                builder.edge(&id, &to, Relation::References);
            }
        }
    }
}

/// For every local of every module, the addresses its expression refers to (one level deep).
fn local_references(builder: &GraphBuilder) -> BTreeMap<(String, String), Vec<String>> {
    let mut locals = BTreeMap::new();
    for document in builder.documents.iter().filter(|d| d.kind == DocumentKind::Terraform) {
        let dir = parent_dir(&document.path);
        let module = if dir.is_empty() { ".".to_owned() } else { dir.to_owned() };
        for (name, text) in
            document.value.pointer("/locals/expressions").and_then(Value::as_object).into_iter().flatten()
        {
            let references = text.as_str().map(terraform_references).unwrap_or_default();
            let references = references.into_iter().filter(|r| !r.starts_with("local.")).collect();
            locals.insert((module.clone(), name.clone()), references);
        }
    }
    locals
}

/// `tf:aws_s3_bucket.logs@infra[prod]` → (`aws_s3_bucket.logs`, `infra[prod]`).
fn split_id(id: &str) -> Option<(String, String)> {
    let rest = id.strip_prefix("tf:")?;
    let (address, scope) = rest.split_once('@')?;
    Some((address.to_owned(), scope.to_owned()))
}

fn collect_texts(value: &Value, texts: &mut Vec<String>, depth: usize) {
    if depth > 64 {
        return;
    }
    match value {
        Value::String(text) => texts.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| collect_texts(item, texts, depth + 1)),
        Value::Object(map) => map.values().for_each(|item| collect_texts(item, texts, depth + 1)),
        _ => {}
    }
}
