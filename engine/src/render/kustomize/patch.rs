//! Kustomize's patches: `patchesStrategicMerge`, `patches` (strategic merge or JSON 6902, by
//! file or inline, with or without a `target` selector) and `patchesJson6902`. A strategic
//! merge follows the merge keys of the built-in types (containers by `name`, container ports by
//! `containerPort`, …) and the `$patch` directives; lists of other kinds merge by the keys
//! kustomize's kyaml guesses. A patched value's origin is the patch's line; a mapping the patch
//! merges into keeps the object's, unless the patch deletes one of its keys.

use regex::Regex;
use serde_json::Value;

use super::{Kustomization, Renderer, Res};
use crate::render::tracked::{Node, Origin, Tree};

/// A patch as the kustomization gives it.
struct PatchEntry {
    documents: Vec<Node>,
    target: Option<Selector>,
    /// The entry in the kustomization, where problems with it are reported.
    origin: Option<Origin>,
}

pub(super) fn strategic_merge_patches(
    renderer: &mut Renderer,
    kustomization: &Kustomization,
    resources: &mut Vec<Res>,
) {
    let Some(entries) = kustomization.get("patchesStrategicMerge").and_then(Node::items).cloned() else { return };
    for entry in entries {
        let Some(text) = entry.as_str() else { continue };
        // An entry is a file, or (kustomize accepts both) the patch itself.
        let inline = text.contains('\n') || text.trim_start().starts_with("apiVersion");
        let documents = match inline {
            true => renderer.patch_documents(kustomization, None, Some(&entry)),
            false => renderer.patch_documents(kustomization, Some((text, entry.origin.as_ref())), None),
        };
        let Some(documents) = documents else { continue };
        apply(renderer, kustomization, resources, PatchEntry { documents, target: None, origin: entry.origin.clone() });
    }
}

pub(super) fn patches(renderer: &mut Renderer, kustomization: &Kustomization, resources: &mut Vec<Res>) {
    let Some(entries) = kustomization.get("patches").and_then(Node::items).cloned() else { return };
    for entry in entries {
        let origin = entry.origin.clone();
        let (path, inline) = match entry.as_str() {
            // A bare string is a path (kustomize's older spelling).
            Some(path) => (Some(path.to_owned()), None),
            None => (entry.str_at(&["path"]).map(str::to_owned), entry.get("patch").cloned()),
        };
        let path_origin = entry.get("path").and_then(|node| node.origin.clone()).or_else(|| origin.clone());
        let documents = match (&path, &inline) {
            (Some(path), _) => renderer.patch_documents(kustomization, Some((path, path_origin.as_ref())), None),
            (None, Some(inline)) => renderer.patch_documents(kustomization, None, Some(inline)),
            (None, None) => {
                renderer.error(origin.as_ref(), &kustomization.path, "a patch needs `path` or `patch`".to_owned());
                continue;
            }
        };
        let Some(documents) = documents else { continue };
        let target = match entry.get("target") {
            Some(target) => match Selector::read(target) {
                Ok(selector) => Some(selector),
                Err(message) => {
                    renderer.error(target.origin.as_ref(), &kustomization.path, message);
                    continue;
                }
            },
            None => None,
        };
        apply(renderer, kustomization, resources, PatchEntry { documents, target, origin });
    }
}

pub(super) fn json6902_patches(renderer: &mut Renderer, kustomization: &Kustomization, resources: &mut [Res]) {
    let Some(entries) = kustomization.get("patchesJson6902").and_then(Node::items).cloned() else { return };
    for entry in entries {
        let origin = entry.origin.clone();
        let Some(target) = entry.get("target") else {
            renderer.error(origin.as_ref(), &kustomization.path, "a patchesJson6902 entry needs a `target`".to_owned());
            continue;
        };
        let selector = match Selector::read(target) {
            Ok(selector) => selector,
            Err(message) => {
                renderer.error(target.origin.as_ref(), &kustomization.path, message);
                continue;
            }
        };
        let path = entry.str_at(&["path"]).map(str::to_owned);
        let path_origin = entry.get("path").and_then(|node| node.origin.clone());
        let documents = match &path {
            Some(path) => renderer.patch_documents(kustomization, Some((path, path_origin.as_ref())), None),
            None => renderer.patch_documents(kustomization, None, entry.get("patch")),
        };
        let Some(operations) = documents.and_then(|documents| documents.into_iter().next()) else { continue };
        let selected = select(resources, &selector);
        if selected.is_empty() {
            no_target(renderer, kustomization, origin.as_ref(), &selector);
        }
        for index in selected {
            if let Some(res) = resources.get_mut(index) {
                json_patch(renderer, kustomization, res, &operations);
            }
        }
    }
}

fn no_target(renderer: &mut Renderer, kustomization: &Kustomization, origin: Option<&Origin>, selector: &Selector) {
    let message = format!("the patch's target ({}) matches no object of this kustomization", selector.text);
    renderer.error(origin, &kustomization.path, message);
}

/// Applies each document of a patch entry: a JSON 6902 patch (a list of operations) to the
/// targets, a strategic merge patch to its targets or to the object it names.
fn apply(renderer: &mut Renderer, kustomization: &Kustomization, resources: &mut Vec<Res>, entry: PatchEntry) {
    for document in &entry.documents {
        if document.items().is_some() {
            let Some(selector) = &entry.target else {
                let message = "a JSON 6902 patch needs a `target`".to_owned();
                renderer.error(entry.origin.as_ref(), &kustomization.path, message);
                continue;
            };
            let selected = select(resources, selector);
            if selected.is_empty() {
                no_target(renderer, kustomization, entry.origin.as_ref(), selector);
            }
            for index in selected {
                if let Some(res) = resources.get_mut(index) {
                    json_patch(renderer, kustomization, res, document);
                }
            }
            continue;
        }
        if document.members().is_none() {
            let message = "a patch must be a mapping (strategic merge) or a list (JSON 6902)".to_owned();
            renderer.error(document.origin.as_ref().or(entry.origin.as_ref()), &kustomization.path, message);
            continue;
        }
        let selected = match &entry.target {
            Some(selector) => {
                let selected = select(resources, selector);
                if selected.is_empty() {
                    no_target(renderer, kustomization, entry.origin.as_ref(), selector);
                }
                selected
            }
            None => {
                let selected = named_by(resources, document);
                if selected.len() != 1 {
                    let what = patch_id(document);
                    let message = match selected.len() {
                        0 => format!("no object matches the strategic merge patch for {what}"),
                        n => format!("{n} objects match the strategic merge patch for {what}; kustomize needs one"),
                    };
                    renderer.error(entry.origin.as_ref(), &kustomization.path, message);
                    continue;
                }
                selected
            }
        };
        let delete = document.str_at(&["$patch"]) == Some("delete");
        let mut deleted = Vec::new();
        for index in selected {
            if delete {
                deleted.push(index);
            } else if let Some(res) = resources.get_mut(index) {
                strategic_merge(res, document);
            }
        }
        let mut index = 0;
        resources.retain(|_| {
            let keep = !deleted.contains(&index);
            index += 1;
            keep
        });
    }
}

fn patch_id(document: &Node) -> String {
    let kind = document.str_at(&["kind"]).unwrap_or("?");
    let name = document.str_at(&["metadata", "name"]).unwrap_or("?");
    match document.str_at(&["metadata", "namespace"]) {
        Some(namespace) => format!("{kind} {namespace}/{name}"),
        None => format!("{kind} {name}"),
    }
}

/// The objects a strategic merge patch without a target names: its kind (and group), and a
/// name and namespace the object has or had.
fn named_by(resources: &[Res], patch: &Node) -> Vec<usize> {
    let kind = patch.str_at(&["kind"]).unwrap_or("");
    let api_version = patch.str_at(&["apiVersion"]).unwrap_or("");
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    let name = patch.str_at(&["metadata", "name"]).unwrap_or("");
    let namespace = patch.str_at(&["metadata", "namespace"]);
    resources
        .iter()
        .enumerate()
        .filter(|(_, res)| res.kind() == kind && res.group() == group && res.answers_to(name))
        .filter(|(_, res)| match namespace {
            None => true,
            Some(namespace) => {
                res.namespace() == Some(namespace)
                    || res.previous.iter().any(|(_, previous)| previous.as_deref() == Some(namespace))
            }
        })
        .map(|(index, _)| index)
        .collect()
}

/// A `target`: which objects a patch applies to. Names, namespaces, kinds, groups and versions
/// are anchored regular expressions, as in kustomize.
struct Selector {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Option<LabelSelector>,
    annotations: Option<LabelSelector>,
    /// How the kustomization wrote it, for messages.
    text: String,
}

impl Selector {
    fn read(node: &Node) -> Result<Selector, String> {
        let field = |key: &str| -> Result<Option<Regex>, String> {
            match node.str_at(&[key]) {
                None | Some("") => Ok(None),
                Some(pattern) => Regex::new(&format!("^(?:{pattern})$"))
                    .map(Some)
                    .map_err(|error| format!("the target's `{key}` is not a valid pattern: {error}")),
            }
        };
        let selector = |key: &str| node.str_at(&[key]).map(LabelSelector::parse).transpose();
        let text = ["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"]
            .iter()
            .filter_map(|key| node.str_at(&[key]).map(|value| format!("{key}: {value}")))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Selector {
            group: field("group")?,
            version: field("version")?,
            kind: field("kind")?,
            name: field("name")?,
            namespace: field("namespace")?,
            labels: selector("labelSelector")?,
            annotations: selector("annotationSelector")?,
            text,
        })
    }

    fn matches(&self, res: &Res) -> bool {
        let is = |pattern: &Option<Regex>, value: &str| pattern.as_ref().is_none_or(|pattern| pattern.is_match(value));
        let names_match = self.name.as_ref().is_none_or(|pattern| {
            pattern.is_match(res.name()) || res.previous.iter().any(|(name, _)| pattern.is_match(name))
        });
        let namespaces_match = self.namespace.as_ref().is_none_or(|pattern| {
            let current = super::effective_namespace(res);
            pattern.is_match(current)
                || res.previous.iter().any(|(_, namespace)| pattern.is_match(namespace.as_deref().unwrap_or("default")))
        });
        let map = |path: &[&str]| -> Vec<(String, String)> {
            res.node
                .at(path)
                .and_then(Node::members)
                .into_iter()
                .flatten()
                .filter_map(|(key, value)| Some((key.clone(), scalar_text(value)?)))
                .collect()
        };
        is(&self.group, res.group())
            && is(&self.version, res.version())
            && is(&self.kind, res.kind())
            && names_match
            && namespaces_match
            && self.labels.as_ref().is_none_or(|selector| selector.matches(&map(&["metadata", "labels"])))
            && self.annotations.as_ref().is_none_or(|selector| selector.matches(&map(&["metadata", "annotations"])))
    }
}

fn scalar_text(node: &Node) -> Option<String> {
    match &node.tree {
        Tree::Scalar(Value::String(text)) => Some(text.clone()),
        Tree::Scalar(Value::Null) => Some(String::new()),
        Tree::Scalar(other) => Some(other.to_string()),
        _ => None,
    }
}

fn select(resources: &[Res], selector: &Selector) -> Vec<usize> {
    resources.iter().enumerate().filter(|(_, res)| selector.matches(res)).map(|(index, _)| index).collect()
}

/// A Kubernetes label selector in its string form: `a=b,c!=d,e in (f,g),h notin (i),j,!k`.
struct LabelSelector {
    requirements: Vec<Requirement>,
}

enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

impl LabelSelector {
    fn parse(text: &str) -> Result<LabelSelector, String> {
        let mut requirements = Vec::new();
        let mut rest = text.trim();
        while !rest.is_empty() {
            // Split at the next comma outside parentheses.
            let mut depth = 0usize;
            let end = rest
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    *c == ',' && depth == 0
                })
                .map_or(rest.len(), |(at, _)| at);
            let part = rest.get(..end).unwrap_or("").trim();
            rest = rest.get(end + 1..).unwrap_or("").trim();
            if part.is_empty() {
                continue;
            }
            requirements.push(Requirement::parse(part).ok_or_else(|| format!("cannot read the selector `{part}`"))?);
        }
        Ok(LabelSelector { requirements })
    }

    fn matches(&self, labels: &[(String, String)]) -> bool {
        let get = |key: &str| labels.iter().find(|(name, _)| name == key).map(|(_, value)| value.as_str());
        self.requirements.iter().all(|requirement| match requirement {
            Requirement::Equals(key, value) => get(key) == Some(value.as_str()),
            Requirement::NotEquals(key, value) => get(key) != Some(value.as_str()),
            Requirement::In(key, values) => get(key).is_some_and(|found| values.iter().any(|v| v == found)),
            Requirement::NotIn(key, values) => get(key).is_none_or(|found| values.iter().all(|v| v != found)),
            Requirement::Exists(key) => get(key).is_some(),
            Requirement::DoesNotExist(key) => get(key).is_none(),
        })
    }
}

impl Requirement {
    fn parse(part: &str) -> Option<Requirement> {
        let set = |values: &str| -> Option<Vec<String>> {
            let inner = values.trim().strip_prefix('(')?.strip_suffix(')')?;
            Some(inner.split(',').map(|value| value.trim().to_owned()).filter(|v| !v.is_empty()).collect())
        };
        if let Some(key) = part.strip_prefix('!') {
            return Some(Requirement::DoesNotExist(key.trim().to_owned()));
        }
        if let Some((key, value)) = part.split_once("!=") {
            return Some(Requirement::NotEquals(key.trim().to_owned(), value.trim().to_owned()));
        }
        if let Some((key, value)) = part.split_once("==").or_else(|| part.split_once('=')) {
            return Some(Requirement::Equals(key.trim().to_owned(), value.trim().to_owned()));
        }
        if let Some((key, values)) = part.split_once(" notin ") {
            return Some(Requirement::NotIn(key.trim().to_owned(), set(values)?));
        }
        if let Some((key, values)) = part.split_once(" in ") {
            return Some(Requirement::In(key.trim().to_owned(), set(values)?));
        }
        let key = part.trim();
        (!key.contains(char::is_whitespace)).then(|| Requirement::Exists(key.to_owned()))
    }
}

// ---------------------------------------------------------------------------------------------
// Strategic merge

/// How a list merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListMerge {
    /// Elements are matched by this key; the patch's replace or join them.
    Key(&'static str),
    /// A list of scalars whose patch adds the values it lacks (`finalizers`).
    Union,
    /// The patch's list replaces the object's.
    Replace,
}

/// Keys kyaml tries, in order, for a list whose type it does not know: the first that every
/// element has.
const GUESSED_KEYS: [&str; 7] = ["mountPath", "devicePath", "ip", "type", "topologyKey", "name", "containerPort"];

/// Whether an object's type is one of Kubernetes' own, whose lists merge as its API says.
fn is_builtin(res_group: &str) -> bool {
    !res_group.contains('.') || res_group.ends_with(".k8s.io")
}

/// How the list at `path` (keys from the object's root) merges, for an object of `kind` in
/// API group `group`.
fn list_merge(kind: &str, group: &str, path: &[String], target: &[Node], patch: &[Node]) -> ListMerge {
    let field = path.last().map(String::as_str).unwrap_or("");
    let parent = path.len().checked_sub(2).and_then(|at| path.get(at)).map(String::as_str).unwrap_or("");
    let known = match field {
        "containers" | "initContainers" | "ephemeralContainers" => Some(ListMerge::Key("name")),
        "env" | "volumes" | "imagePullSecrets" | "resourceClaims" | "schedulingGates" => Some(ListMerge::Key("name")),
        "volumeMounts" => Some(ListMerge::Key("mountPath")),
        "volumeDevices" => Some(ListMerge::Key("devicePath")),
        "hostAliases" => Some(ListMerge::Key("ip")),
        "topologySpreadConstraints" => Some(ListMerge::Key("topologyKey")),
        "conditions" => Some(ListMerge::Key("type")),
        "ownerReferences" => Some(ListMerge::Key("uid")),
        "finalizers" => Some(ListMerge::Union),
        "ports" if matches!(parent, "containers" | "initContainers" | "ephemeralContainers") => {
            Some(ListMerge::Key("containerPort"))
        }
        "ports" if kind == "Service" && path.len() == 2 => Some(ListMerge::Key("port")),
        "secrets" if kind == "ServiceAccount" && path.len() == 1 => Some(ListMerge::Key("name")),
        _ => None,
    };
    if let Some(known) = known {
        return known;
    }
    if is_builtin(group) {
        return ListMerge::Replace;
    }
    let all_maps = target.iter().chain(patch).all(|node| node.members().is_some());
    if !all_maps || target.is_empty() {
        return ListMerge::Replace;
    }
    GUESSED_KEYS
        .iter()
        .find(|key| {
            target
                .iter()
                .chain(patch.iter().filter(|node| !is_directive_only(node)))
                .all(|node| node.get(key).is_some())
        })
        .map_or(ListMerge::Replace, |key| ListMerge::Key(key))
}

fn is_directive_only(node: &Node) -> bool {
    node.members().is_some_and(|members| members.iter().all(|(key, _)| key.starts_with('$')))
}

/// Merges a strategic merge patch into an object. `kind`, `apiVersion` and `metadata.name`
/// stay the object's (a patch applied through a target may name another object).
pub(super) fn strategic_merge(res: &mut Res, patch: &Node) {
    let kind = res.kind().to_owned();
    let group = res.group().to_owned();
    let Some(members) = patch.members() else { return };
    for (key, value) in members {
        if matches!(key.as_str(), "apiVersion" | "kind") || key.starts_with('$') {
            continue;
        }
        if key == "metadata" {
            let mut metadata = value.clone();
            metadata.remove("name");
            let mut path = vec![key.clone()];
            merge_member(&mut res.node, key, &metadata, &kind, &group, &mut path);
            continue;
        }
        let mut path = vec![key.clone()];
        merge_member(&mut res.node, key, value, &kind, &group, &mut path);
    }
}

/// Merges `patch` into member `key` of the mapping `target`.
fn merge_member(target: &mut Node, key: &str, patch: &Node, kind: &str, group: &str, path: &mut Vec<String>) {
    if patch.is_null() || patch.str_at(&["$patch"]) == Some("delete") {
        // The patch made the key missing: a finding about its absence belongs at the deletion.
        if target.remove(key).is_some() && patch.origin.is_some() {
            target.origin = patch.origin.clone();
        }
        return;
    }
    let Some(existing) = target.get_mut(key) else {
        if let Some(cleaned) = without_directives(patch) {
            target.set(key, cleaned);
        }
        return;
    };
    merge_node(existing, patch, kind, group, path);
}

fn merge_node(target: &mut Node, patch: &Node, kind: &str, group: &str, path: &mut Vec<String>) {
    match (&mut target.tree, &patch.tree) {
        (Tree::Map(_), Tree::Map(patch_members)) => {
            if patch.str_at(&["$patch"]) == Some("replace") {
                if let Some(cleaned) = without_directives(patch) {
                    *target = cleaned;
                }
                return;
            }
            for (key, value) in patch_members {
                if let Some(field) = key.strip_prefix("$deleteFromPrimitiveList/") {
                    let remove: Vec<Value> = value.items().into_iter().flatten().map(Node::to_value).collect();
                    if let Some(items) = target.get_mut(field).and_then(Node::items_mut) {
                        items.retain(|item| !remove.contains(&item.to_value()));
                    }
                    continue;
                }
                if key.starts_with('$') {
                    continue;
                }
                path.push(key.clone());
                merge_member(target, key, value, kind, group, path);
                path.pop();
            }
            // A mapping the object already had stays where the object wrote it: a key missing
            // from it is missing from the base (every overlay inherits the gap, and it is one
            // finding at the base's line listing their environments), while each value the
            // patch writes keeps the patch's line.
        }
        (Tree::Seq(items), Tree::Seq(patch_items)) => {
            merge_list(items, patch_items, kind, group, path);
        }
        _ => {
            if let Some(cleaned) = without_directives(patch) {
                *target = cleaned;
            }
        }
    }
}

fn merge_list(items: &mut Vec<Node>, patch: &[Node], kind: &str, group: &str, path: &mut Vec<String>) {
    // `- $patch: replace` among the patch's elements: the list becomes the other elements.
    if patch.iter().any(|node| node.str_at(&["$patch"]) == Some("replace") && is_directive_only(node)) {
        *items = patch.iter().filter(|node| !is_directive_only(node)).filter_map(without_directives).collect();
        return;
    }
    match list_merge(kind, group, path, items, patch) {
        ListMerge::Replace => {
            *items = patch.iter().filter_map(without_directives).collect();
        }
        ListMerge::Union => {
            for node in patch {
                let value = node.to_value();
                if !items.iter().any(|item| item.to_value() == value) {
                    items.push(node.clone());
                }
            }
        }
        ListMerge::Key(key) => {
            // As kustomize orders them: the patch's elements first, in its order (merged into
            // the object's element of the same key), then the object's other elements.
            let mut merged: Vec<Node> = Vec::with_capacity(items.len() + patch.len());
            let mut rest: Vec<Option<Node>> = std::mem::take(items).into_iter().map(Some).collect();
            for node in patch {
                let wanted = node.get(key).map(Node::to_value);
                let found = wanted.as_ref().and_then(|wanted| {
                    rest.iter().position(|item| {
                        item.as_ref().and_then(|item| item.get(key)).map(Node::to_value).as_ref() == Some(wanted)
                    })
                });
                let original = found.and_then(|at| rest.get_mut(at)).and_then(Option::take);
                match (original, node.str_at(&["$patch"])) {
                    (_, Some("delete")) => {}
                    (Some(_), Some("replace")) | (None, _) => merged.extend(without_directives(node)),
                    (Some(mut original), _) => {
                        merge_node(&mut original, node, kind, group, path);
                        merged.push(original);
                    }
                }
            }
            merged.extend(rest.into_iter().flatten());
            *items = merged;
        }
    }
}

/// The patch's value without its `$patch`-style directives, and without members a patch sets
/// to null (which mean "absent"); `None` for a value that is only a deletion.
fn without_directives(node: &Node) -> Option<Node> {
    match &node.tree {
        Tree::Map(members) => {
            if node.str_at(&["$patch"]) == Some("delete") {
                return None;
            }
            let kept = members
                .iter()
                .filter(|(key, _)| !key.starts_with('$'))
                .filter(|(_, value)| !value.is_null())
                .filter_map(|(key, value)| Some((key.clone(), without_directives(value)?)))
                .collect();
            Some(Node { origin: node.origin.clone(), tree: Tree::Map(kept) })
        }
        Tree::Seq(items) => Some(Node {
            origin: node.origin.clone(),
            tree: Tree::Seq(items.iter().filter_map(without_directives).collect()),
        }),
        Tree::Scalar(_) => Some(node.clone()),
    }
}

// ---------------------------------------------------------------------------------------------
// JSON 6902

fn json_patch(renderer: &mut Renderer, kustomization: &Kustomization, res: &mut Res, operations: &Node) {
    for operation in operations.items().into_iter().flatten() {
        if let Err(message) = json_operation(&mut res.node, operation) {
            let message = format!("JSON patch on {}: {message}", res.describe());
            renderer.error(operation.origin.as_ref(), &kustomization.path, message);
        }
    }
}

fn tokens(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let rest = pointer.strip_prefix('/').ok_or_else(|| format!("`{pointer}` is not a JSON pointer"))?;
    Ok(rest.split('/').map(|token| token.replace("~1", "/").replace("~0", "~")).collect())
}

fn json_operation(root: &mut Node, operation: &Node) -> Result<(), String> {
    let op = operation.str_at(&["op"]).ok_or("an operation needs `op`")?;
    let path = tokens(operation.str_at(&["path"]).ok_or("an operation needs `path`")?)?;
    let value = || operation.get("value").cloned().ok_or_else(|| format!("`{op}` needs a `value`"));
    match op {
        "add" => add(root, &path, value()?),
        "remove" => {
            remove(root, &path)?;
            // As a strategic merge's deletion: the absence is the operation's doing.
            let parent = path.split_last().and_then(|(_, parent)| get_mut(root, parent));
            if let (Some(parent), Some(origin)) = (parent, &operation.origin) {
                parent.origin = Some(origin.clone());
            }
            Ok(())
        }
        "replace" => {
            let slot = get_mut(root, &path).ok_or_else(|| format!("`{}` does not exist", join(&path)))?;
            *slot = value()?;
            Ok(())
        }
        "move" => {
            let from = tokens(operation.str_at(&["from"]).ok_or("`move` needs `from`")?)?;
            let moved = remove(root, &from)?;
            add(root, &path, moved)
        }
        "copy" => {
            let from = tokens(operation.str_at(&["from"]).ok_or("`copy` needs `from`")?)?;
            let copied = get_mut(root, &from).ok_or_else(|| format!("`{}` does not exist", join(&from)))?.clone();
            add(root, &path, copied)
        }
        "test" => {
            let found = get_mut(root, &path).ok_or_else(|| format!("`{}` does not exist", join(&path)))?;
            match found.to_value() == value()?.to_value() {
                true => Ok(()),
                false => Err(format!("test failed: `{}` is not the value given", join(&path))),
            }
        }
        other => Err(format!("unknown operation `{other}`")),
    }
}

fn join(path: &[String]) -> String {
    path.iter().map(|token| format!("/{token}")).collect()
}

fn get_mut<'n>(root: &'n mut Node, path: &[String]) -> Option<&'n mut Node> {
    let mut node = root;
    for token in path {
        node = match &mut node.tree {
            Tree::Map(members) => members.iter_mut().find(|(key, _)| key == token).map(|(_, member)| member)?,
            Tree::Seq(items) => items.get_mut(token.parse::<usize>().ok()?)?,
            Tree::Scalar(_) => return None,
        };
    }
    Some(node)
}

fn add(root: &mut Node, path: &[String], value: Node) -> Result<(), String> {
    let Some((last, parent)) = path.split_last() else {
        *root = value;
        return Ok(());
    };
    let container = get_mut(root, parent).ok_or_else(|| format!("`{}` does not exist", join(parent)))?;
    match &mut container.tree {
        Tree::Map(members) => {
            match members.iter_mut().find(|(key, _)| key == last) {
                Some((_, existing)) => *existing = value,
                None => members.push((last.clone(), value)),
            }
            Ok(())
        }
        Tree::Seq(items) => {
            let at = match last.as_str() {
                "-" => items.len(),
                index => {
                    index.parse::<usize>().map_err(|_| format!("`{last}` is not an index of `{}`", join(parent)))?
                }
            };
            if at > items.len() {
                return Err(format!("index {at} is past the end of `{}`", join(parent)));
            }
            items.insert(at, value);
            Ok(())
        }
        Tree::Scalar(_) => Err(format!("`{}` is not a mapping or a list", join(parent))),
    }
}

fn remove(root: &mut Node, path: &[String]) -> Result<Node, String> {
    let Some((last, parent)) = path.split_last() else { return Err("cannot remove the whole object".to_owned()) };
    let missing = || format!("`{}` does not exist", join(path));
    let container = get_mut(root, parent).ok_or_else(missing)?;
    match &mut container.tree {
        Tree::Map(members) => {
            let at = members.iter().position(|(key, _)| key == last).ok_or_else(missing)?;
            Ok(members.remove(at).1)
        }
        Tree::Seq(items) => {
            let at = last.parse::<usize>().ok().filter(|at| *at < items.len()).ok_or_else(missing)?;
            Ok(items.remove(at))
        }
        Tree::Scalar(_) => Err(missing()),
    }
}
