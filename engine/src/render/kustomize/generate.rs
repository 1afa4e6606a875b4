//! `configMapGenerator` and `secretGenerator`: ConfigMaps and Secrets made from literals, files
//! and env files, with `generatorOptions` (labels, annotations, no hash suffix, immutable) and
//! `behavior: merge|replace` on an object a base generated. The hash suffix itself is added once
//! per build ([`super::names`]), over the object as it ends up, as kustomize does.

use std::sync::Arc;

use serde_json::Value;

use super::{Kustomization, Renderer, Res};
use crate::document::Span;
use crate::render::join_relative;
use crate::render::tracked::{Node, Origin};

/// One `key: value` of a generated object's data, with where it was written.
struct Entry {
    key: String,
    value: String,
    origin: Option<Origin>,
}

/// Generator options: the kustomization's `generatorOptions` under a generator's `options`.
#[derive(Default)]
struct Options {
    labels: Vec<(String, Node)>,
    annotations: Vec<(String, Node)>,
    disable_hash: bool,
    immutable: bool,
}

impl Options {
    fn read(node: Option<&Node>, base: Option<&Options>) -> Options {
        let mut options = Options {
            labels: base.map(|b| b.labels.clone()).unwrap_or_default(),
            annotations: base.map(|b| b.annotations.clone()).unwrap_or_default(),
            disable_hash: base.is_some_and(|b| b.disable_hash),
            immutable: base.is_some_and(|b| b.immutable),
        };
        let Some(node) = node else { return options };
        let pairs = |key: &str| -> Vec<(String, Node)> {
            node.get(key)
                .and_then(Node::members)
                .into_iter()
                .flatten()
                .map(|(name, value)| (name.clone(), Node::string(&scalar(value), value.origin.clone())))
                .collect()
        };
        for (name, value) in pairs("labels") {
            upsert(&mut options.labels, name, value);
        }
        for (name, value) in pairs("annotations") {
            upsert(&mut options.annotations, name, value);
        }
        let flag = |key: &str| matches!(node.get(key).map(Node::to_value), Some(Value::Bool(true)));
        options.disable_hash |= flag("disableNameSuffixHash");
        options.immutable |= flag("immutable");
        options
    }
}

fn upsert(pairs: &mut Vec<(String, Node)>, name: String, value: Node) {
    match pairs.iter_mut().find(|(existing, _)| *existing == name) {
        Some((_, slot)) => *slot = value,
        None => pairs.push((name, value)),
    }
}

fn scalar(node: &Node) -> String {
    match node.to_value() {
        Value::String(text) => text,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub(super) fn run(renderer: &mut Renderer, kustomization: &Kustomization, resources: &mut Vec<Res>) {
    let global = Options::read(kustomization.get("generatorOptions"), None);
    for (key, kind) in [("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")] {
        let generators = kustomization.get(key).and_then(Node::items).cloned().unwrap_or_default();
        for generator in generators {
            generate(renderer, kustomization, resources, &generator, kind, &global);
        }
    }
}

fn generate(
    renderer: &mut Renderer,
    kustomization: &Kustomization,
    resources: &mut Vec<Res>,
    generator: &Node,
    kind: &str,
    global: &Options,
) {
    let origin = generator.origin.clone();
    let Some(name) = generator.str_at(&["name"]).filter(|name| !name.is_empty()).map(str::to_owned) else {
        renderer.error(origin.as_ref(), &kustomization.path, format!("a {kind} generator needs a `name`"));
        return;
    };
    let name_origin = generator.get("name").and_then(|node| node.origin.clone()).or_else(|| origin.clone());
    let options = Options::read(generator.get("options"), Some(global));
    let entries = entries(renderer, kustomization, generator);
    let namespace = generator.str_at(&["namespace"]).filter(|ns| !ns.is_empty()).map(str::to_owned);
    let behavior = generator.str_at(&["behavior"]).unwrap_or("create");
    let secret_type = generator.str_at(&["type"]).unwrap_or("Opaque").to_owned();

    let data = data_node(&entries, kind, origin.as_ref());
    match behavior {
        "merge" | "replace" => {
            let found = resources.iter().position(|res| {
                res.kind() == kind
                    && res.answers_to(&name)
                    && namespace.as_deref().is_none_or(|namespace| res.namespace() == Some(namespace))
            });
            let Some(at) = found else {
                let message = format!("`behavior: {behavior}` needs a {kind} `{name}` from a base; there is none");
                renderer.error(origin.as_ref(), &kustomization.path, message);
                return;
            };
            let Some(existing) = resources.get_mut(at) else { return };
            if behavior == "replace" {
                existing.node.set("data", data);
            } else {
                let Some(target) = existing.node.entry_map("data", origin.as_ref()) else { return };
                for (key, value) in data.members().into_iter().flatten() {
                    target.set(key, value.clone());
                }
            }
            if let Some(metadata) = existing.node.entry_map("metadata", origin.as_ref()) {
                for (field, pairs) in [("labels", &options.labels), ("annotations", &options.annotations)] {
                    if pairs.is_empty() {
                        continue;
                    }
                    if let Some(map) = metadata.entry_map(field, origin.as_ref()) {
                        for (key, value) in pairs {
                            map.set(key, value.clone());
                        }
                    }
                }
            }
            if options.immutable {
                existing.node.set("immutable", Node::scalar(Value::Bool(true), origin.clone()));
            }
            existing.needs_hash = !options.disable_hash;
        }
        "create" => {
            let mut node = Node::empty_map(origin.clone());
            node.set("apiVersion", Node::string("v1", origin.clone()));
            node.set("kind", Node::string(kind, origin.clone()));
            let mut metadata = Node::empty_map(origin.clone());
            metadata.set("name", Node::string(&name, name_origin));
            if let Some(namespace) = &namespace {
                metadata.set("namespace", Node::string(namespace, origin.clone()));
            }
            for (field, pairs) in [("labels", &options.labels), ("annotations", &options.annotations)] {
                if !pairs.is_empty() {
                    let mut map = Node::empty_map(origin.clone());
                    for (key, value) in pairs {
                        map.set(key, value.clone());
                    }
                    metadata.set(field, map);
                }
            }
            node.set("metadata", metadata);
            if kind == "Secret" {
                node.set("type", Node::string(&secret_type, origin.clone()));
            }
            if !entries.is_empty() {
                node.set("data", data);
            }
            if options.immutable {
                node.set("immutable", Node::scalar(Value::Bool(true), origin.clone()));
            }
            let mut res = Res::new(node);
            res.needs_hash = !options.disable_hash;
            res.generated = true;
            if let Some(existing) = resources.iter().find(|existing| existing.same_id(&res)) {
                let message = format!(
                    "the generator makes {}, which is already added; use `behavior: merge` or `replace`",
                    existing.describe()
                );
                renderer.error(origin.as_ref(), &kustomization.path, message);
                return;
            }
            resources.push(res);
        }
        other => {
            let message = format!("unknown generator behavior `{other}`; expected create, merge or replace");
            renderer.error(origin.as_ref(), &kustomization.path, message);
        }
    }
}

/// The data of a generated object: a ConfigMap's values as they are, a Secret's in base64.
fn data_node(entries: &[Entry], kind: &str, origin: Option<&Origin>) -> Node {
    let mut data = Node::empty_map(origin.cloned());
    for entry in entries {
        let value = match kind {
            "Secret" => data_encoding::BASE64.encode(entry.value.as_bytes()),
            _ => entry.value.clone(),
        };
        data.set(&entry.key, Node::string(&value, entry.origin.clone()));
    }
    data
}

/// Literals, env files and files, in kustomize's order (literals, then files, then env files:
/// a later key replaces an earlier one).
fn entries(renderer: &mut Renderer, kustomization: &Kustomization, generator: &Node) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut add = |entry: Entry| match entries.iter_mut().find(|existing| existing.key == entry.key) {
        Some(existing) => *existing = entry,
        None => entries.push(entry),
    };
    for literal in generator.get("literals").and_then(Node::items).into_iter().flatten() {
        let Some(text) = literal.as_str() else { continue };
        let Some((key, value)) = text.split_once('=') else {
            let message = format!("literal `{text}` is not `KEY=VALUE`");
            renderer.error(literal.origin.as_ref(), &kustomization.path, message);
            continue;
        };
        add(Entry { key: key.to_owned(), value: unquote(value).to_owned(), origin: literal.origin.clone() });
    }
    for file in generator.get("files").and_then(Node::items).into_iter().flatten() {
        let Some(text) = file.as_str() else { continue };
        let (key, path) = match text.split_once('=') {
            Some((key, path)) => (key.to_owned(), path),
            None => (text.rsplit('/').next().unwrap_or(text).to_owned(), text),
        };
        let Some(content) = read(renderer, kustomization, path, file.origin.as_ref()) else { continue };
        add(Entry { key, value: content.1, origin: file.origin.clone() });
    }
    let env_files: Vec<&Node> = generator
        .get("envs")
        .and_then(Node::items)
        .into_iter()
        .flatten()
        .chain(generator.get("env").filter(|node| node.as_str().is_some()))
        .collect();
    for env in env_files {
        let Some(path) = env.as_str() else { continue };
        let Some((file, content)) = read(renderer, kustomization, path, env.origin.as_ref()) else { continue };
        let shared: Arc<str> = Arc::from(file.as_str());
        let mut offset = 0;
        for (index, raw) in content.split_inclusive('\n').enumerate() {
            let line_start = offset;
            offset += raw.len();
            let mut line = raw.trim_end_matches('\n').trim_end_matches('\r');
            if index == 0 {
                line = line.trim_start_matches('\u{feff}');
            }
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let at = line_start + (raw.len() - raw.trim_start().len());
            let origin = Some(Origin { path: Arc::clone(&shared), span: Span::new(at, at + trimmed.len()), key: None });
            let (key, value) = match trimmed.split_once('=') {
                Some((key, value)) => (key, value.to_owned()),
                // kustomize reads a bare name's value from its own environment; ward's runs
                // must not depend on the machine, so it is empty.
                None => (trimmed, String::new()),
            };
            add(Entry { key: key.to_owned(), value, origin });
        }
    }
    entries
}

/// A generator's file: its path relative to the scan root and its text.
fn read(
    renderer: &mut Renderer,
    kustomization: &Kustomization,
    relative: &str,
    origin: Option<&Origin>,
) -> Option<(String, String)> {
    let Some(path) = join_relative(&kustomization.dir, relative) else {
        renderer.error(origin, &kustomization.path, format!("`{relative}` is outside the scan"));
        return None;
    };
    match renderer.sources.text(&path) {
        Some(text) => {
            let text = text.into_owned();
            Some((path, text))
        }
        None => {
            renderer.error(origin, &kustomization.path, format!("generator file `{relative}` not found"));
            None
        }
    }
}

/// A literal's value without the quotes around it, as kustomize reads `KEY="a b"`.
fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return value.get(1..value.len() - 1).unwrap_or(value);
        }
    }
    value
}
