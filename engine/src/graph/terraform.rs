//! Terraform blocks as resources, grouped by module directory, each with its `config` resolved
//! for every environment the directory's `*.tfvars` files name: `infra/` with `staging.tfvars`
//! and `production.tfvars` gives two resources per block, `…@infra[staging]` and
//! `…@infra[production]`, so that parity rules compare like with like. References between
//! blocks become edges within each environment.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::Value;

use super::references::terraform_references;
use super::terraform_modules::{
    bind, cache_key, is_downloaded, label_calls, outputs, split_call_path, value_origins, variable_defaults, Bound,
    Call, CallKind, CallSite, Called, CalledFrom, Notes, Resolver, ValueOrigin, MAX_CALL_DEPTH,
};
use super::{parent_dir, GraphBuilder, Relation, Resource};
use crate::diagnostic::Diagnostic;
use crate::document::{pointer_push, DocumentKind, Position};
use crate::finding::Finding;
use crate::parse::terraform::{apply_variable_types, evaluate_text, resolve_body, resolve_text, Scope};

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

/// Adds every root module's blocks — each module call expanded into the blocks it creates
/// ([`super::terraform_modules`]) — resolved per environment, and the variable files; returns
/// the notes about calls that could not be expanded.
pub(crate) fn add_resources(builder: &mut GraphBuilder) -> Vec<Diagnostic> {
    let modules = modules(builder);
    let resolver = Resolver::new(builder, modules.keys().cloned().collect());
    let roots = roots(builder, &modules, &resolver);
    let mut expander =
        Expander { builder, modules: &modules, resolver: &resolver, notes: Notes::default(), calls: BTreeMap::new() };
    let mut planned: Vec<Planned> = Vec::new();
    for dir in &roots {
        let Some(module) = modules.get(dir) else { continue };
        let location = if dir.is_empty() { ".".to_owned() } else { dir.clone() };
        let directory_environment = expander.builder.environments.resolve(&format!("{dir}/"));
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
            let mut scope = scope_for(expander.builder, module, environment.as_deref());
            let files: Vec<(usize, &Value)> =
                module.configs.iter().filter_map(|&i| expander.builder.document(i).map(|d| (i, &d.value))).collect();
            let frame = Frame {
                dir: dir.clone(),
                root: dir.clone(),
                prefix: String::new(),
                key: String::new(),
                chain: Vec::new(),
                origins: BTreeMap::new(),
                visiting: vec![dir.clone()],
            };
            let mut found = Vec::new();
            expander.expand_calls(&frame, &files, &mut scope, &mut found, 0);
            for &document in &module.configs {
                found.extend(instances(expander.builder, document, &scope));
            }
            for instance in found {
                let key = (instance.document, instance.pointer.clone(), instance.address.clone());
                let slot = resolved.entry(key.clone()).or_default();
                if slot.is_empty() {
                    order.push(key);
                }
                slot.push((environment.clone(), instance));
            }
        }
        let copies: Vec<Vec<(Option<String>, Instance)>> =
            order.into_iter().filter_map(|key| resolved.remove(&key)).collect();
        planned.push(Planned { location, variants, copies, environments, dir: dir.clone() });
    }
    let Expander { notes, calls, .. } = expander;
    // The variable files already added as resources (each once, whichever module reads it).
    let mut tfvars_added: BTreeSet<String> = BTreeSet::new();
    for Planned { location, variants, copies, environments, dir } in planned {
        for copy in copies {
            add_instance(builder, &location, variants, environments.len(), copy);
        }
        let Some(module) = modules.get(&dir) else { continue };
        // Variable files are resources too: a rule can check what production sets.
        for environment in &environments {
            let files = module
                .common_vars
                .iter()
                .chain(environment.as_ref().and_then(|e| module.env_vars.get(e)).into_iter().flatten());
            for &document in files.filter(|_| environment.is_some() || !variants) {
                let Some(path) = builder.document(document).map(|d| d.path.clone()) else { continue };
                let id = format!("tf:tfvars@{path}");
                if tfvars_added.insert(id.clone()) {
                    builder.add(document, "/attributes".into(), id, "tfvars", None);
                }
            }
        }
    }
    label_calls(builder, &calls);
    notes.diagnostics
}

/// One root module's blocks, resolved in each of its environments, ready to be added.
struct Planned {
    location: String,
    /// Whether its environments come from variable files (blocks may differ per environment).
    variants: bool,
    /// Each block instance's copies, one per environment, in the order first met.
    copies: Vec<Vec<(Option<String>, Instance)>>,
    environments: Vec<Option<String>>,
    dir: String,
}

/// The module directories judged on their own: every one that no call of the scan reaches
/// (a module used only through calls is judged through them, with its callers' values), and
/// never a download cache's copy. A directory reached only from a cycle of calls is a root too,
/// so that it is still judged.
fn roots(builder: &GraphBuilder, modules: &BTreeMap<String, Module>, resolver: &Resolver) -> Vec<String> {
    let mut called: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (dir, module) in modules {
        for &document in &module.configs {
            let Some(value) = builder.document(document).map(|d| &d.value) else { continue };
            for (name, block) in value.get("module").and_then(Value::as_object).into_iter().flatten() {
                let source = block.pointer("/config/source").and_then(Value::as_str);
                let version = block.pointer("/config/version").and_then(Value::as_str);
                // A downloaded module is never a root anyway: only local paths matter here.
                if let CallKind::Local(target) = resolver.resolve(source, version, dir, dir, name) {
                    called.entry(dir.clone()).or_default().insert(target);
                }
            }
        }
    }
    let targets: BTreeSet<&String> = called.values().flatten().collect();
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> =
        modules.keys().filter(|dir| !targets.contains(dir) && !is_downloaded(dir)).cloned().collect();
    let mut roots = queue.clone();
    while let Some(dir) = queue.pop() {
        for target in called.get(&dir).into_iter().flatten() {
            if reached.insert(target.clone()) {
                queue.push(target.clone());
            }
        }
    }
    for dir in modules.keys() {
        if !reached.contains(dir) && !roots.contains(dir) && !is_downloaded(dir) {
            roots.push(dir.clone());
        }
    }
    roots.sort();
    roots
}

/// The caller a call is expanded for: its directory, the root module's, its call path
/// (`module.a.`) and cache key (`a`), the calls that reached it, where its variables were
/// written, and the module directories on the way (a call back into one is a cycle).
struct Frame {
    dir: String,
    root: String,
    prefix: String,
    key: String,
    chain: Vec<CallSite>,
    origins: BTreeMap<String, ValueOrigin>,
    visiting: Vec<String>,
}

struct Expander<'b, 'd> {
    builder: &'b GraphBuilder<'d>,
    modules: &'b BTreeMap<String, Module>,
    resolver: &'b Resolver,
    notes: Notes,
    /// Each call's block (document, pointer) → its label ([`CallKind::label`]).
    calls: BTreeMap<(usize, String), String>,
}

impl Expander<'_, '_> {
    /// Expands the calls of one module (`files`) for `frame`, adding the blocks they create to
    /// `out` and their outputs to `scope.modules`, then re-resolves the module's locals (which
    /// may read those outputs).
    fn expand_calls(
        &mut self,
        frame: &Frame,
        files: &[(usize, &Value)],
        scope: &mut Scope,
        out: &mut Vec<Instance>,
        depth: usize,
    ) {
        let mut calls: Vec<(usize, String, String, &Value)> = Vec::new();
        for &(document, value) in files {
            for (name, block) in value.get("module").and_then(Value::as_object).into_iter().flatten() {
                calls.push((document, name.clone(), pointer_push(&pointer_push("", "module"), name), block));
            }
        }
        if calls.is_empty() {
            return;
        }
        for (document, name, pointer, block) in calls {
            let source = block.pointer("/config/source").and_then(Value::as_str);
            let version = block.pointer("/config/version").and_then(Value::as_str);
            let key = cache_key(&frame.key, &name);
            let kind = self.resolver.resolve(source, version, &frame.dir, &frame.root, &key);
            // Judged when it is expanded on some path; a call only ever refused (a cycle, too
            // deep) is not.
            let site = (document, pointer.clone());
            self.calls.entry(site.clone()).or_insert_with(|| CallKind::NotJudged.label());
            let Some(path) = self.builder.document(document).map(|d| d.path.clone()) else { continue };
            let (files, registry): (Vec<(usize, &Value)>, Option<&str>) = match &kind {
                CallKind::Local(dir) | CallKind::Cached(dir) => {
                    if frame.visiting.contains(dir) {
                        let message = format!("module \"{name}\" calls `{dir}`, which is already on the way here (a cycle of module calls): it is not expanded again");
                        self.notes.at_call(self.builder, document, &pointer, message);
                        continue;
                    }
                    let Some(module) = self.modules.get(dir) else { continue };
                    (
                        module
                            .configs
                            .iter()
                            .filter_map(|&i| self.builder.document(i).map(|d| (i, &d.value)))
                            .collect(),
                        None,
                    )
                }
                CallKind::Registry(module) => (vec![(document, &module.value)], Some(module.source.as_str())),
                CallKind::Missing(dir) => {
                    let message = format!("module \"{name}\" calls `{}`, but `{dir}` has no Terraform files in the scan: what it creates is not judged", source.unwrap_or_default());
                    self.notes.at_call(self.builder, document, &pointer, message);
                    continue;
                }
                CallKind::NotJudged => continue,
            };
            if depth >= MAX_CALL_DEPTH {
                let message =
                    format!("module \"{name}\" is nested more than {MAX_CALL_DEPTH} calls deep: it is not expanded");
                self.notes.at_call(self.builder, document, &pointer, message);
                continue;
            }
            self.calls.insert(site, kind.label());
            let target_dir = match &kind {
                CallKind::Local(dir) | CallKind::Cached(dir) => dir.clone(),
                _ => String::new(),
            };
            let keys = instance_keys(block, scope).unwrap_or_else(|| vec![(String::new(), None)]);
            let mut by_instance: Vec<(String, Option<InstanceBinding>, Value)> = Vec::new();
            for (suffix, binding) in keys {
                let mut call_scope = scope.clone();
                match &binding {
                    Some(InstanceBinding::Count(index)) => call_scope.count_index = Some(*index),
                    Some(InstanceBinding::Each(key, value)) => call_scope.each = Some((key.clone(), value.clone())),
                    None => {}
                }
                let address = format!("{}module.{name}{suffix}", frame.prefix);
                let mut chain = frame.chain.clone();
                chain.push(CallSite { path: path.clone(), pointer: pointer.clone(), address: address.clone() });
                let call = Call { pointer: pointer.clone(), block, scope: &call_scope, caller_origins: &frame.origins };
                let Bound { scope: mut inner, origins } = bind(&call, &path, variable_defaults(&files));
                apply_variable_types(&mut inner.variables, files.iter().map(|(_, value)| *value));
                resolve_locals(&mut inner, &files);
                let mut visiting = frame.visiting.clone();
                if !target_dir.is_empty() {
                    visiting.push(target_dir.clone());
                }
                let inner_frame = Frame {
                    dir: target_dir.clone(),
                    root: frame.root.clone(),
                    prefix: format!("{address}."),
                    key: key.clone(),
                    chain: chain.clone(),
                    origins: origins.clone(),
                    visiting,
                };
                let mut found = Vec::new();
                self.expand_calls(&inner_frame, &files, &mut inner, &mut found, depth + 1);
                for &(file, value) in &files {
                    // A module's own `terraform` block (its backend is ignored, its provider
                    // requirements are not configuration) is not part of what the call creates.
                    // What a call creates: the module's resources and data sources, its own
                    // calls and providers. Its variables and outputs are its interface, bound
                    // and read here; its `terraform` block (a backend is ignored, provider
                    // requirements configure nothing) is not part of it. A registry module's
                    // description has resources and data sources only.
                    let kept = |i: &Instance| {
                        let block = i.value.get("block").and_then(Value::as_str).unwrap_or_default();
                        match registry {
                            Some(_) => matches!(block, "resource" | "data"),
                            None => matches!(block, "resource" | "data" | "module" | "provider"),
                        }
                    };
                    found.extend(instances_of(value, file, &inner).into_iter().filter(kept));
                }
                for mut instance in found {
                    // Blocks of a nested call were already placed by their own expansion.
                    if instance.called.is_none() {
                        let block_origins = instance_origins(&instance, &origins);
                        instance.address = format!("{address}.{}", instance.address);
                        if registry.is_some() {
                            instance.pointer = pointer.clone();
                        }
                        strip_nulls(&mut instance.value);
                        instance.called = Some(Arc::new(CalledFrom {
                            chain: chain.clone(),
                            origins: block_origins,
                            registry: registry.map(str::to_owned),
                        }));
                    }
                    out.push(instance);
                }
                by_instance.push((suffix, binding, outputs(&files, &inner, &address)));
            }
            let repeated = ["/expressions/count", "/expressions/for_each"].iter().any(|p| block.pointer(p).is_some());
            if repeated && matches!(by_instance.first(), Some((_, None, _))) {
                // Instances not known statically: so are their outputs.
                continue;
            }
            let outputs = match by_instance.first().map(|(_, binding, _)| binding) {
                Some(Some(InstanceBinding::Count(_))) => {
                    Value::Array(by_instance.into_iter().map(|(_, _, v)| v).collect())
                }
                Some(Some(InstanceBinding::Each(..))) => Value::Object(
                    by_instance
                        .into_iter()
                        .filter_map(|(_, binding, v)| match binding {
                            Some(InstanceBinding::Each(Value::String(key), _)) => Some((key, v)),
                            _ => None,
                        })
                        .collect(),
                ),
                Some(None) => by_instance.into_iter().next().map(|(_, _, v)| v).unwrap_or(Value::Null),
                // `count = 0` or an empty `for_each`: no instance, an empty list or map.
                None if block.pointer("/expressions/count").is_some() => Value::Array(Vec::new()),
                None => Value::Object(serde_json::Map::new()),
            };
            scope.modules.insert(name.clone(), outputs);
        }
        let files_locals: Vec<(usize, &Value)> = files.to_vec();
        resolve_locals(scope, &files_locals);
    }
}

/// Where the values of one expanded block were written by callers: each attribute whose
/// expression names a variable the call bound.
fn instance_origins(instance: &Instance, bound: &BTreeMap<String, ValueOrigin>) -> BTreeMap<String, ValueOrigin> {
    value_origins(&instance.value, bound)
}

/// Terraform treats an argument set to `null` as not set: an expanded block whose argument
/// comes from a variable left at a `null` default does not have it.
fn strip_nulls(block: &mut Value) {
    fn strip(value: &mut Value, depth: usize) {
        if depth > 32 {
            return;
        }
        match value {
            Value::Object(map) => {
                map.retain(|_, item| !item.is_null());
                map.values_mut().for_each(|item| strip(item, depth + 1));
            }
            Value::Array(items) => items.iter_mut().for_each(|item| strip(item, depth + 1)),
            _ => {}
        }
    }
    if let Some(config) = block.get_mut("config") {
        strip(config, 0);
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
    /// For a block of an expanded module call: what reached it.
    called: Option<Called>,
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
        if let Some(resource) = add_resource(builder, id, instance, environment) {
            if variants {
                resource.environments = environments;
            }
        }
        return;
    }
    for (environment, instance) in copies {
        let Some(name) = environment.clone() else { continue };
        let id = format!("tf:{}@{location}[{name}]", instance.address);
        add_resource(builder, id, instance, environment);
    }
}

/// Adds `instance` as the resource `id` of `environment`, with what reached it through module
/// calls; returns it.
fn add_resource<'b>(
    builder: &'b mut GraphBuilder<'_>,
    id: String,
    instance: Instance,
    environment: Option<String>,
) -> Option<&'b mut Resource> {
    let Instance { document, pointer, resource_type, name, value, called, .. } = instance;
    builder.add_with_value(document, pointer, id, &resource_type, name, value, environment);
    let resource = builder.resources.last_mut()?;
    resource.called = called;
    Some(resource)
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
    let files: Vec<(usize, &Value)> =
        module.configs.iter().filter_map(|&i| builder.document(i).map(|d| (i, &d.value))).collect();
    apply_variable_types(&mut scope.variables, files.iter().map(|(_, value)| *value));
    resolve_locals(&mut scope, &files);
    scope
}

/// Resolves a module's locals (from `files`) under `scope`, in rounds: locals may refer to
/// locals; a cycle simply stays unresolved.
fn resolve_locals(scope: &mut Scope, files: &[(usize, &Value)]) {
    let local_expressions: Vec<(String, String)> = files
        .iter()
        .flat_map(|(_, value)| {
            value.pointer("/locals/expressions").and_then(Value::as_object).cloned().unwrap_or_default()
        })
        .filter_map(|(name, text)| Some((name, text.as_str()?.to_owned())))
        .collect();
    for _ in 0..LOCAL_ROUNDS {
        let mut changed = false;
        for (name, text) in &local_expressions {
            if let Some(value) = resolve_text(text, scope) {
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
    instances_of(value, document, scope)
}

/// [`instances`] of a file's `value` (a document's, or a registry module's description),
/// placed in `document`.
fn instances_of(value: &Value, document: usize, scope: &Scope) -> Vec<Instance> {
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
                called: None,
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

/// A block whose expressions may reference others: its id, module scope (call path and
/// location), environment variant, expression texts, and the directory it is written in.
type EdgeSource = (String, String, Option<String>, Vec<String>, String, Option<String>);

/// A block's environment variant (none when it stands for every environment) and its id.
type Variant = (Option<String>, String);

pub(crate) fn add_edges(builder: &mut GraphBuilder) {
    // Blocks by (module location, address without instance key) -> (environment variant, id).
    let mut index: BTreeMap<(String, String), Vec<Variant>> = BTreeMap::new();
    let mut sources: Vec<EdgeSource> = Vec::new();
    for resource in builder.resources.iter().filter(|r| r.kind == DocumentKind::Terraform) {
        let Some((address, scope)) = split_id(&resource.id) else { continue };
        let (location, variant) = split_scope(&scope);
        // Blocks of an expanded call see only the blocks of the same call instance.
        let (call_path, inner) = split_call_path(&address);
        let module = format!("{call_path}{location}");
        index
            .entry((module.clone(), base_address(inner).to_owned()))
            .or_default()
            .push((variant.clone(), resource.id.clone()));
        let mut texts = Vec::new();
        collect_texts(resource.value.get("expressions").unwrap_or(&Value::Null), &mut texts, 0);
        let dir = builder.document(resource.document).map(|d| parent_dir(&d.path)).unwrap_or_default();
        let dir = if dir.is_empty() { ".".to_owned() } else { dir.to_owned() };
        let provider = resource.value.pointer("/expressions/provider").and_then(Value::as_str).map(str::to_owned);
        sources.push((resource.id.clone(), module, variant, texts, dir, provider));
    }
    let locals = local_references(builder);
    for (id, module, variant, texts, dir, provider) in sources {
        let mut targets: BTreeSet<String> = BTreeSet::new();
        for text in &texts {
            for reference in terraform_references(text) {
                match reference.strip_prefix("local.") {
                    Some(local) => {
                        // Locals are the module directory's where the block is written.
                        let via = locals.get(&(dir.clone(), local.to_owned())).cloned().unwrap_or_default();
                        targets.extend(via);
                    }
                    None => {
                        targets.insert(reference);
                    }
                }
            }
        }
        if let Some(provider) = provider {
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
        // One line inside a module reached by several calls is one problem, whatever each
        // call's values make the message say (`statement #2`, `statement #4`): the first call's
        // words. Findings placed at a caller (its argument, or a registry module's call) about
        // one block are one finding at that line too, saying each thing found (a rule object
        // open to `0.0.0.0/0` and to `::/0`; instances opening port 22 and port 3389).
        let expanded = block.starts_with("module:");
        let at_caller =
            expanded && finding.related.iter().any(|related| related.location.path == finding.location.path);
        let message = if expanded { String::new() } else { finding.message.clone() };
        // At a caller's argument, the value passed there is the one problem, whichever of the
        // module's blocks it reaches (`tags = local.tags` missing a required tag on each
        // resource a module creates): one finding there, saying what it does to each.
        let block = if at_caller { "module:(the caller's argument)".to_owned() } else { block };
        let key = (
            finding.rule_id.clone(),
            finding.location.path.clone(),
            finding.location.start,
            finding.location.end,
            message,
            block,
        );
        match kept.get(&key).and_then(|&at| merged.get_mut(at)) {
            // A copy: the finding it repeats stands for its environments too.
            Some(first) => {
                if at_caller && !first.message.split("; ").any(|said| said == finding.message) {
                    first.message = format!("{}; {}", first.message, finding.message);
                }
                // Copies that are environment variants (`@infra[prod]`) name their environment
                // in their id only: the merged finding lists each.
                let variants = [variant_of(&first.resource), variant_of(&finding.resource)];
                for environment in variants.into_iter().flatten().chain(finding.environments) {
                    if !first.environments.contains(&environment) {
                        first.environments.push(environment);
                    }
                }
                first.environments.sort();
                // Another call reaching the same module line: its call chain is related too.
                for related in finding.related {
                    if !first.related.contains(&related) {
                        first.related.push(related);
                    }
                }
            }
            None => {
                kept.insert(key, merged.len());
                merged.push(finding);
            }
        }
    }
    *findings = merged;
}

/// `tf:aws_s3_bucket.logs@infra[prod]` → `prod`: the environment of a block's variant.
fn variant_of(id: &str) -> Option<String> {
    let (_, scope) = split_id(id)?;
    split_scope(&scope).1
}

/// `tf:aws_s3_bucket.logs["a"]@infra[prod]` → `aws_s3_bucket.logs@infra`: the block all its
/// copies come from. Not a Terraform block's id → `None`.
fn block_of(id: &str) -> Option<String> {
    let (address, scope) = split_id(id)?;
    let (module, _) = split_scope(&scope);
    // A block of an expanded module is the same block whichever call instance reached it, from
    // whichever root module (`module.logs["a"].aws_s3_bucket.this@infra` and
    // `module.audit.aws_s3_bucket.this@examples/basic`): at one line, one problem, as a
    // kustomize base line is one finding through every overlay.
    let (call_path, inner) = split_call_path(&address);
    if !call_path.is_empty() {
        return Some(format!("module:{}", base_address(inner)));
    }
    Some(format!("{}@{module}", base_address(inner)))
}

/// Where a value of a block that a `dynamic` block generated is written, as a pointer relative
/// to the block (`relative`: `/config/grant/0/uri`, the first generated `grant`): a block
/// generated from a `for_each` item has no text of its own, so a value its content takes from
/// the item (`uri = grant.value.uri`) is at the dynamic block's `for_each`, where the items are
/// written or fed in, and any other (`rollback = var.rollback`) at its content's attribute.
/// `None` when `relative` is not inside a generated block.
pub(crate) fn dynamic_source(block: &Value, relative: &str) -> Option<String> {
    let tokens: Vec<String> =
        relative.split('/').skip(1).map(|token| token.replace("~1", "/").replace("~0", "~")).collect();
    let (first, mut rest) = tokens.split_first()?;
    if first != "config" {
        return None;
    }
    let mut config = block.get("config")?;
    let mut expressions = block.get("expressions")?;
    let mut out = vec!["config".to_owned()];
    while let Some((token, after)) = rest.split_first() {
        let index = after.first().and_then(|next| next.parse::<usize>().ok());
        if let (Some(index), Some(Value::Array(_))) = (index, config.get(token.as_str())) {
            let written = expressions.get(token.as_str()).and_then(Value::as_array).map_or(0, Vec::len);
            if index >= written {
                return generated_source(config, expressions, token, index - written, after.get(1..)?, out);
            }
            config = config.get(token.as_str())?.get(index)?;
            expressions = expressions.get(token.as_str())?.get(index)?;
            out.extend([token.clone(), index.to_string()]);
            rest = after.get(1..)?;
            continue;
        }
        config = config.get(token.as_str())?;
        expressions = expressions.get(token.as_str())?;
        out.push(token.clone());
        rest = after;
    }
    None
}

/// [`dynamic_source`] for the `nth` block labelled `label` that the `dynamic` blocks of a body
/// generated; `rest` is the path inside it.
fn generated_source(
    config: &Value,
    expressions: &Value,
    label: &str,
    nth: usize,
    rest: &[String],
    mut out: Vec<String>,
) -> Option<String> {
    let mut remaining = nth;
    for (k, entry) in config.get("dynamic")?.as_array()?.iter().enumerate() {
        let Some(generated) = entry.get(label) else { continue };
        let count = generated.get("expanded").and_then(Value::as_array).map_or(0, Vec::len);
        if remaining >= count {
            remaining -= count;
            continue;
        }
        let written = expressions.get("dynamic")?.get(k)?.get(label)?;
        out.extend(["dynamic".to_owned(), k.to_string(), label.to_owned()]);
        let iterator = written.get("iterator").and_then(Value::as_str).map_or(label, str::trim);
        let Some(attribute) = rest.first() else { return Some(crate::document::pointer_from_tokens(&out)) };
        let text = written.pointer(&format!("/content/0/{}", attribute.replace('~', "~0").replace('/', "~1")));
        let from_item = text.and_then(Value::as_str).is_none_or(|text| names_iterator(text, iterator));
        if from_item {
            out.push("for_each".to_owned());
        } else {
            out.extend(["content".to_owned(), "0".to_owned(), attribute.clone()]);
        }
        return Some(crate::document::pointer_from_tokens(&out));
    }
    None
}

/// Whether an expression's text reads the `dynamic` block's iterator (`grant.value.uri`,
/// `rule["value"]`): the name, not inside another name, followed by `.` or `[`.
fn names_iterator(text: &str, iterator: &str) -> bool {
    text.match_indices(iterator).any(|(at, _)| {
        let before = text.get(..at).and_then(|head| head.chars().next_back());
        let after = text.get(at + iterator.len()..).and_then(|tail| tail.chars().next());
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '-')
            && matches!(after, Some('.' | '['))
    })
}
