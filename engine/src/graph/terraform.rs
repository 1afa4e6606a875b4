//! Terraform blocks as resources, grouped by module directory, each with its `config` resolved
//! for every environment the directory's `*.tfvars` files name: `infra/` with `staging.tfvars`
//! and `production.tfvars` gives two resources per block, `…@infra[staging]` and
//! `…@infra[production]`, so that parity rules compare like with like. References between
//! blocks become edges within each environment.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::references::terraform_references;
use super::{parent_dir, GraphBuilder, Relation};
use crate::document::{pointer_push, DocumentKind, Position};
use crate::finding::Finding;
use crate::parse::terraform::{evaluate_text, resolve_body, resolve_text, Scope};

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
        // Every instance of every block, resolved in each environment, in the order first met.
        let mut order: Vec<InstanceKey> = Vec::new();
        let mut resolved: BTreeMap<InstanceKey, Vec<(Option<String>, Instance)>> = BTreeMap::new();
        for environment in &environments {
            let scope = scope_for(builder, &module, environment.as_deref());
            for &document in &module.configs {
                for instance in instances(builder, document, &scope) {
                    let key = (document, instance.pointer.clone(), instance.address.clone());
                    let slot = resolved.entry(key.clone()).or_default();
                    if slot.is_empty() {
                        order.push(key);
                    }
                    slot.push((environment.clone(), instance));
                }
            }
        }
        for key in order {
            let Some(copies) = resolved.remove(&key) else { continue };
            add_instance(builder, &location, variants, environments.len(), copies);
        }
        // Variable files are resources too: a rule can check what production sets.
        for environment in &environments {
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

/// One instance of a block: where it is written, its address (`aws_s3_bucket.logs["a"]`) and
/// its value with `config` resolved.
struct Instance {
    document: usize,
    pointer: String,
    address: String,
    resource_type: String,
    name: Option<String>,
    value: Value,
}

type InstanceKey = (usize, String, String);

/// Adds one instance of a block to the graph. A block resolved alike in every environment is one
/// resource (`tf:aws_s3_bucket.logs@infra`) standing for all of them, so a problem in it is
/// reported once; one whose value differs is a resource per environment
/// (`tf:aws_s3_bucket.logs@infra[prod]`), so each environment's problem is its own.
fn add_instance(
    builder: &mut GraphBuilder,
    location: &str,
    variants: bool,
    environment_count: usize,
    copies: Vec<(Option<String>, Instance)>,
) {
    let alike = copies.len() == environment_count
        && copies.windows(2).all(|pair| matches!(pair, [(_, a), (_, b)] if a.value == b.value));
    if !variants || alike {
        let environments: Vec<String> = copies.iter().filter_map(|(environment, _)| environment.clone()).collect();
        let Some((environment, instance)) = copies.into_iter().next() else { return };
        let id = format!("tf:{}@{location}", instance.address);
        let environment = if variants { None } else { environment };
        builder.add_with_value(
            instance.document,
            instance.pointer,
            id,
            &instance.resource_type,
            instance.name,
            instance.value,
            environment,
        );
        if variants {
            if let Some(resource) = builder.resources.last_mut() {
                resource.environments = environments;
            }
        }
        return;
    }
    for (environment, instance) in copies {
        let Some(name) = environment.clone() else { continue };
        let id = format!("tf:{}@{location}[{name}]", instance.address);
        builder.add_with_value(
            instance.document,
            instance.pointer,
            id,
            &instance.resource_type,
            instance.name,
            instance.value,
            environment,
        );
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

/// Most instances one `count` or `for_each` may give; beyond it the block is one resource whose
/// instance values stay unknown.
const MAX_INSTANCES: usize = 1_000;

/// The instances of every block of one document under `scope`: a block without `count` or
/// `for_each` (or with one that is not known statically) is one instance at its own address; a
/// known `count = n` gives `addr[0]`…`addr[n-1]` (none at all for 0, as Terraform creates
/// nothing), a known `for_each` one `addr["key"]` per key, each with `count.index` or
/// `each.key`/`each.value` bound.
fn instances(builder: &GraphBuilder, document: usize, scope: &Scope) -> Vec<Instance> {
    let Some(value) = builder.document(document).map(|d| &d.value) else { return Vec::new() };
    let mut blocks: Vec<(String, &Value)> = Vec::new();
    for kind in BLOCK_KINDS {
        match value.get(kind) {
            Some(Value::Object(by_type)) if matches!(kind, "resource" | "data") => {
                for (block_type, names) in by_type {
                    for (name, block) in names.as_object().into_iter().flatten() {
                        let pointer = pointer_push(&pointer_push(&pointer_push("", kind), block_type), name);
                        blocks.push((pointer, block));
                    }
                }
            }
            Some(Value::Object(names)) if kind == "provider" => {
                for (name, list) in names {
                    for (index, block) in list.as_array().into_iter().flatten().enumerate() {
                        blocks.push((pointer_push(&pointer_push("/provider", name), &index.to_string()), block));
                    }
                }
            }
            Some(Value::Object(names)) => {
                for (name, block) in names {
                    blocks.push((pointer_push(&pointer_push("", kind), name), block));
                }
            }
            Some(Value::Array(list)) => {
                for (index, block) in list.iter().enumerate() {
                    blocks.push((pointer_push(&pointer_push("", kind), &index.to_string()), block));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (pointer, block) in blocks {
        let kind = block.get("block").and_then(Value::as_str).unwrap_or_default();
        let Some((address, resource_type)) = address(kind, block) else { continue };
        let name = block.get("name").and_then(Value::as_str).map(str::to_owned);
        let repeatable = matches!(kind, "resource" | "data" | "module");
        let keys = if repeatable { instance_keys(block, scope) } else { None };
        let keys = keys.unwrap_or_else(|| vec![(String::new(), None)]);
        for (suffix, binding) in keys {
            let mut instance_scope;
            let scope = match binding {
                Some(InstanceBinding::Count(index)) => {
                    instance_scope = scope.clone();
                    instance_scope.count_index = Some(index);
                    &instance_scope
                }
                Some(InstanceBinding::Each(key, value)) => {
                    instance_scope = scope.clone();
                    instance_scope.each = Some((key, value));
                    &instance_scope
                }
                None => scope,
            };
            let mut value = block.clone();
            if let (Some(config), Some(expressions)) = (block.get("config"), block.get("expressions")) {
                let resolved = resolve_body(config.clone(), expressions, scope);
                if let Some(slot) = value.get_mut("config") {
                    *slot = resolved;
                }
            }
            out.push(Instance {
                document,
                pointer: pointer.clone(),
                address: format!("{address}{suffix}"),
                resource_type: resource_type.clone(),
                name: name.clone(),
                value,
            });
        }
    }
    out
}

enum InstanceBinding {
    Count(u64),
    Each(Value, Value),
}

/// The instance address suffixes (`[0]`, `["a"]`) of a block with a known `count` or
/// `for_each`, or `None` when it has neither or it is not known.
fn instance_keys(block: &Value, scope: &Scope) -> Option<Vec<(String, Option<InstanceBinding>)>> {
    let expressions = block.get("expressions")?;
    if let Some(count) = expressions.get("count").and_then(Value::as_str) {
        let count = evaluate_text(count, scope).ok()?;
        let count =
            count.as_u64().or_else(|| count.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))?;
        let count = usize::try_from(count).ok().filter(|n| *n <= MAX_INSTANCES)?;
        return Some((0..count).map(|i| (format!("[{i}]"), Some(InstanceBinding::Count(i as u64)))).collect());
    }
    let for_each = expressions.get("for_each").and_then(Value::as_str)?;
    let collection = evaluate_text(for_each, scope).ok()?;
    // Terraform takes a map (each.key its key) or a set of strings (each.key = each.value).
    let pairs: Vec<(String, Value)> = match collection {
        Value::Object(map) => map.into_iter().collect(),
        Value::Array(items) => {
            let mut keys = Vec::with_capacity(items.len());
            for item in items {
                let key = item.as_str()?.to_owned();
                if !keys.iter().any(|(k, _): &(String, Value)| *k == key) {
                    keys.push((key, item));
                }
            }
            keys
        }
        _ => return None,
    };
    if pairs.len() > MAX_INSTANCES || pairs.iter().any(|(key, _)| key.contains("${")) {
        return None;
    }
    let mut pairs = pairs;
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    Some(
        pairs
            .into_iter()
            .map(|(key, value)| {
                let suffix = format!("[{}]", serde_json::to_string(&key).unwrap_or_default());
                (suffix, Some(InstanceBinding::Each(Value::String(key), value)))
            })
            .collect(),
    )
}

/// A block's environment variant (none when it stands for every environment) and its id.
type Variant = (Option<String>, String);

pub(crate) fn add_edges(builder: &mut GraphBuilder) {
    // Blocks by (module location, address without instance key) -> (environment variant, id).
    let mut index: BTreeMap<(String, String), Vec<Variant>> = BTreeMap::new();
    let mut sources: Vec<(String, String, Option<String>, Vec<String>)> = Vec::new();
    for resource in builder.resources.iter().filter(|r| r.kind == DocumentKind::Terraform) {
        let Some((address, scope)) = split_id(&resource.id) else { continue };
        let (module, variant) = split_scope(&scope);
        index
            .entry((module.clone(), base_address(&address).to_owned()))
            .or_default()
            .push((variant.clone(), resource.id.clone()));
        let mut texts = Vec::new();
        collect_texts(resource.value.get("expressions").unwrap_or(&Value::Null), &mut texts, 0);
        sources.push((resource.id.clone(), module, variant, texts));
    }
    let locals = local_references(builder);
    for (id, module, variant, texts) in sources {
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
            // Within one environment: a block of that environment, or one that stands for
            // every environment; a block standing for all reaches each environment's variant.
            let candidates = index.get(&(module.clone(), target)).cloned().unwrap_or_default();
            for (target_variant, to) in candidates {
                let same = variant.is_none() || target_variant.is_none() || variant == target_variant;
                if same && to != id {
                    builder.edge(&id, &to, Relation::References);
                }
            }
        }
    }
}

/// `aws_s3_bucket.logs["a"]` → `aws_s3_bucket.logs`: references name a block, not an instance.
fn base_address(address: &str) -> &str {
    address.split_once('[').map_or(address, |(base, _)| base)
}

/// `infra[prod]` → (`infra`, `prod`); `infra` → (`infra`, none). A `#2` of a duplicate block
/// stays with its scope.
fn split_scope(scope: &str) -> (String, Option<String>) {
    let scope = scope.split('#').next().unwrap_or(scope);
    match scope.split_once('[') {
        Some((module, rest)) => (module.to_owned(), Some(rest.trim_end_matches(']').to_owned())),
        None => (scope.to_owned(), None),
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
    let (address, scope) = rest.rsplit_once('@')?;
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

/// One finding per problem: the findings of one rule at one place with one message, about
/// copies of one Terraform block — its environments' variants (`@infra[staging]`,
/// `@infra[production]`) and its `count`/`for_each` instances (`["a"]`, `[0]`) — are one
/// problem, reported once (on the first copy, in report order). Copies whose values make the
/// rule say something different keep their own findings. `findings` must be in report order.
pub(crate) fn merge_repeated_findings(findings: &mut Vec<Finding>) {
    type Key = (String, String, Position, Position, String, String);
    let mut kept: BTreeMap<Key, usize> = BTreeMap::new();
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings.drain(..) {
        let Some(block) = block_of(&finding.resource) else {
            merged.push(finding);
            continue;
        };
        let key = (
            finding.rule_id.clone(),
            finding.location.path.clone(),
            finding.location.start,
            finding.location.end,
            finding.message.clone(),
            block,
        );
        match kept.get(&key).and_then(|&at| merged.get_mut(at)) {
            // A copy: the finding it repeats stands for its environments too.
            Some(first) => {
                for environment in finding.environments {
                    if !first.environments.contains(&environment) {
                        first.environments.push(environment);
                    }
                }
                first.environments.sort();
            }
            None => {
                kept.insert(key, merged.len());
                merged.push(finding);
            }
        }
    }
    *findings = merged;
}

/// `tf:aws_s3_bucket.logs["a"]@infra[prod]` → `aws_s3_bucket.logs@infra`: the block all its
/// copies come from. Not a Terraform block's id → `None`.
fn block_of(id: &str) -> Option<String> {
    let (address, scope) = split_id(id)?;
    let (module, _) = split_scope(&scope);
    Some(format!("{}@{module}", base_address(&address)))
}
