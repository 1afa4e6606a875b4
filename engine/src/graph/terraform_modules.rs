//! Terraform module calls expanded into the resources they create, as Terraform would: a call
//! `module "logs" { source = "./modules/bucket" … }` — a local path, a module `terraform init`
//! downloaded (`.terraform/modules/modules.json` maps each call key, `logs`, `logs.inner`, to
//! its directory), or a registry module the terraform-aws pack describes
//! ([`super::terraform_registry`]) — gives the module's blocks once per call instance
//! (`count`/`for_each` on the call), at addresses naming the call path
//! (`module.logs["a"].aws_s3_bucket.this`), with the module's variables bound to the caller's
//! arguments evaluated in the caller's scope (its defaults otherwise). A module sees only its
//! own variables, locals and calls; its outputs flow back to the caller as `module.logs.NAME`.
//!
//! Every expanded block carries a [`CalledFrom`]: the chain of calls that reached it (a
//! finding's related places) and, for each of its values passed in by a caller, where the
//! caller wrote it — the line a person must change.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::references::terraform_references;
use super::terraform_registry::{self, RegistryModule};
use super::{join_relative, GraphBuilder};
use crate::diagnostic::{Diagnostic, Level};
use crate::document::{pointer_push, DocumentKind};
use crate::parse::terraform::{resolve_text, Scope};

/// How deep module calls may nest (Terraform has no limit; real configurations stay far
/// below): deeper calls are left unexpanded, with a note.
pub(crate) const MAX_CALL_DEPTH: usize = 12;

/// Where `terraform init` records the modules it downloaded.
pub(crate) const MODULES_JSON: &str = ".terraform/modules/modules.json";

/// The label of a module call's resource saying how it was judged: see [`CallKind::label`].
pub(crate) const CALL_LABEL_PREFIX: &str = "module-call:";

/// Arguments of a module call that are Terraform's, not the module's variables.
const META_ARGUMENTS: [&str; 6] = ["source", "version", "count", "for_each", "providers", "depends_on"];

/// What reached a block of an expanded module.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CalledFrom {
    /// The calls from the root module down to the block's module, outermost first.
    pub chain: Vec<CallSite>,
    /// For each value of the block (a JSON pointer into its value, `/config/acl`) that a caller
    /// passed in, where the caller wrote it.
    pub origins: BTreeMap<String, ValueOrigin>,
    /// The registry module the block is described by (`terraform-aws-modules/s3-bucket/aws`),
    /// for a module that is not in the scan: its blocks have no lines of their own, so what a
    /// caller did not pass is placed at the call.
    pub registry: Option<String>,
}

impl CalledFrom {
    /// Where the value at `pointer` (or its nearest ancestor with one) was written by a caller.
    ///
    /// A block a `dynamic` block generates, as a whole (`/config/dynamic/0/default_action`), was
    /// written where the items of its `for_each` were: a listener in a caller's list is at that
    /// list's argument. Only as a whole: a value its content writes literally (`resources =
    /// ["*"]`) is the module's, even in a block the caller's list turned on.
    pub fn origin_of(&self, pointer: &str) -> Option<&ValueOrigin> {
        if is_dynamic_block(pointer) {
            if let Some(origin) = self.origins.get(&pointer_push(pointer, "for_each")) {
                return Some(origin);
            }
        }
        let mut candidate = pointer;
        loop {
            if let Some(origin) = self.origins.get(candidate) {
                return Some(origin);
            }
            if candidate.is_empty() {
                return None;
            }
            candidate = candidate.rfind('/').and_then(|at| candidate.get(..at)).unwrap_or("");
        }
    }
}

/// Whether a pointer names a `dynamic` block itself (`…/dynamic/0/ingress`).
fn is_dynamic_block(pointer: &str) -> bool {
    let mut tokens = pointer.rsplit('/');
    let (_label, index, dynamic) = (tokens.next(), tokens.next(), tokens.next());
    dynamic == Some("dynamic") && index.is_some_and(|index| index.parse::<usize>().is_ok())
}

/// One module call on the way to an expanded block.
#[derive(Debug, Clone, PartialEq)]
pub struct CallSite {
    /// The file the `module` block is written in.
    pub path: String,
    /// The block's pointer in that file's value (`/module/logs`).
    pub pointer: String,
    /// The call instance's address (`module.logs["a"]`, `module.logs.module.inner`).
    pub address: String,
}

/// A place in a file where a value was written: a file and a pointer into its value.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueOrigin {
    pub path: String,
    pub pointer: String,
}

/// What a call's `source` resolves to.
#[derive(Debug, Clone)]
pub(crate) enum CallKind {
    /// A directory of the scan, by a local path.
    Local(String),
    /// A directory `terraform init` downloaded the module into, that is in the scan.
    Cached(String),
    /// A registry module the pack's data describes.
    Registry(&'static RegistryModule),
    /// A local path to a directory with no Terraform files in the scan.
    Missing(String),
    /// Any other module (another registry module, git, an archive): not judged.
    NotJudged,
}

impl CallKind {
    /// The label a call's resource carries, for the scan summary's counts.
    pub(crate) fn label(&self) -> String {
        let kind = match self {
            CallKind::Local(_) => "local",
            CallKind::Cached(_) => "cached",
            CallKind::Registry(_) => "registry",
            CallKind::Missing(_) | CallKind::NotJudged => "not-judged",
        };
        format!("{CALL_LABEL_PREFIX}{kind}")
    }
}

/// The module directories of the scan and the download cache's call keys: what a call's source
/// can resolve to.
pub(crate) struct Resolver {
    /// Module directories with `.tf` files (`""` for the scan root).
    pub dirs: BTreeSet<String>,
    /// `.terraform/modules/modules.json` of each directory that has one: call key → directory
    /// (relative to the scan root).
    pub cache: BTreeMap<String, BTreeMap<String, String>>,
}

impl Resolver {
    pub(crate) fn new(builder: &GraphBuilder, dirs: BTreeSet<String>) -> Resolver {
        let mut cache = BTreeMap::new();
        for document in builder.documents.iter().filter(|d| d.path.ends_with(MODULES_JSON)) {
            let root = document.path.strip_suffix(MODULES_JSON).unwrap_or_default().trim_end_matches('/');
            let mut keys = BTreeMap::new();
            for entry in document.value.get("Modules").and_then(Value::as_array).into_iter().flatten() {
                let (Some(key), Some(dir)) =
                    (entry.get("Key").and_then(Value::as_str), entry.get("Dir").and_then(Value::as_str))
                else {
                    continue;
                };
                // `Dir` is relative to the root module's directory (where `init` ran).
                let dir = dir.trim_start_matches("./").trim_end_matches('/');
                if let Some(dir) = join_relative(root, dir) {
                    keys.insert(key.to_owned(), dir);
                }
            }
            cache.insert(root.to_owned(), keys);
        }
        Resolver { dirs, cache }
    }

    /// What the call with `source` (and `version`), written in directory `caller_dir`, reaches;
    /// `key` is its call key in the download cache (`logs.inner`) and `root` the root module's
    /// directory.
    pub(crate) fn resolve(
        &self,
        source: Option<&str>,
        version: Option<&str>,
        caller_dir: &str,
        root: &str,
        key: &str,
    ) -> CallKind {
        let Some(source) = source else { return CallKind::NotJudged };
        if source.starts_with("./") || source.starts_with("../") {
            return match join_relative(caller_dir, source.trim_end_matches('/')) {
                Some(dir) if self.dirs.contains(&dir) => CallKind::Local(dir),
                Some(dir) => CallKind::Missing(dir),
                None => CallKind::Missing(source.to_owned()),
            };
        }
        if let Some(dir) = self.cache.get(root).and_then(|keys| keys.get(key)) {
            if self.dirs.contains(dir) {
                return CallKind::Cached(dir.clone());
            }
        }
        match terraform_registry::lookup(source, version) {
            Some(module) => CallKind::Registry(module),
            None => CallKind::NotJudged,
        }
    }
}

/// Whether a directory is a download cache's copy of a module: only judged through the calls
/// that reach it.
pub(crate) fn is_downloaded(dir: &str) -> bool {
    dir.starts_with(".terraform/") || dir.contains("/.terraform/")
}

/// Whether a file (`infra/.terraform/modules/network/main.tf`, the cache's `modules.json`) is in
/// a `terraform init` download cache: read only so that the calls reaching its modules can be
/// expanded, never an input of its own — not a root module, not a conftest input (conftest
/// policies see the repository's files, as `terraform` reads them).
pub(crate) fn is_in_download_cache(path: &str) -> bool {
    path.rsplit_once('/').is_some_and(|(dir, _)| is_downloaded(dir))
}

/// One call instance being expanded: where the call is, and what the caller knows.
pub(crate) struct Call<'a> {
    /// The pointer of the `module` block in its file.
    pub pointer: String,
    /// The block as parsed.
    pub block: &'a Value,
    /// The caller's scope for this instance (its `count.index`/`each` bound).
    pub scope: &'a Scope,
    /// Where the caller's own variables were written by its callers.
    pub caller_origins: &'a BTreeMap<String, ValueOrigin>,
}

/// The variables a module is given by one call, and where each passed one was written.
pub(crate) struct Bound {
    pub scope: Scope,
    pub origins: BTreeMap<String, ValueOrigin>,
}

/// Binds a module's variables for one call: each argument the call passes (`acl = var.acl`),
/// evaluated in the caller's scope — unknown there, unknown here — else the variable's default
/// (`defaults`). An argument that is itself a caller's variable passed in from further up keeps
/// that first origin: the line to change is where the value was written.
pub(crate) fn bind(call: &Call, path: &str, defaults: BTreeMap<String, Value>) -> Bound {
    let mut scope = Scope { variables: defaults, ..Scope::default() };
    let mut origins = BTreeMap::new();
    let arguments = call.block.get("expressions").and_then(Value::as_object);
    for (name, text) in arguments.into_iter().flatten() {
        if META_ARGUMENTS.contains(&name.as_str()) {
            continue;
        }
        let Some(text) = text.as_str() else { continue };
        let value = resolve_text(text, call.scope).unwrap_or_else(|| Value::String(format!("${{{text}}}")));
        scope.variables.insert(name.clone(), value);
        let passed_through = text.trim().strip_prefix("var.").and_then(|inner| call.caller_origins.get(inner));
        let origin = passed_through.cloned().unwrap_or_else(|| ValueOrigin {
            path: path.to_owned(),
            pointer: pointer_push(&pointer_push(&call.pointer, "config"), name),
        });
        origins.insert(name.clone(), origin);
    }
    Bound { scope, origins }
}

/// The variable defaults of a module's files (`variable "x" { default = … }`).
pub(crate) fn variable_defaults(files: &[(usize, &Value)]) -> BTreeMap<String, Value> {
    let mut defaults = BTreeMap::new();
    for (_, value) in files {
        for (name, block) in value.get("variable").and_then(Value::as_object).into_iter().flatten() {
            let default = block.pointer("/config/default").cloned();
            // A variable without a default must be passed; not passed, it is unknown.
            if let Some(default) = default {
                defaults.insert(name.clone(), default);
            }
        }
    }
    defaults
}

/// For one expanded block, the values a caller passed in: every attribute whose expression
/// names a variable the call bound (`acl = var.acl`, `acl = var.public ? "public-read" : …`)
/// is placed where that variable's value was written (the first such variable).
///
/// A value that comes from the block's iteration (`each.value.cidr_blocks`, `count.index`) was
/// written where the variable its `for_each` or `count` names was passed: a rule object in a
/// caller's map is at that map's argument.
pub(crate) fn value_origins(block: &Value, bound: &BTreeMap<String, ValueOrigin>) -> BTreeMap<String, ValueOrigin> {
    let mut origins = BTreeMap::new();
    let Some(expressions) = block.get("expressions") else { return origins };
    let iteration = ["for_each", "count"]
        .iter()
        .filter_map(|meta| expressions.get(*meta).and_then(Value::as_str))
        .flat_map(terraform_references)
        .find_map(|reference| bound.get(reference.strip_prefix("var.")?));
    collect_origins(expressions, "/config", bound, iteration, &mut origins, 0);
    origins
}

fn collect_origins(
    expressions: &Value,
    pointer: &str,
    bound: &BTreeMap<String, ValueOrigin>,
    iteration: Option<&ValueOrigin>,
    origins: &mut BTreeMap<String, ValueOrigin>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    match expressions {
        Value::String(text) => {
            // `x = length(var.a) > 0 ? var.x : 1`: the variable named like the attribute is the
            // value's source; otherwise the first variable named.
            let attribute = pointer.rsplit('/').next().unwrap_or_default();
            let passed: Vec<(String, &ValueOrigin)> = terraform_references(text)
                .into_iter()
                .filter_map(|reference| {
                    let name = reference.strip_prefix("var.")?.to_owned();
                    let origin = bound.get(&name)?;
                    Some((name, origin))
                })
                .collect();
            let chosen = passed.iter().find(|(name, _)| name == attribute).or_else(|| passed.first());
            let iterated = || {
                let repeated = text.contains("each.") || text.contains("count.index");
                iteration.filter(|_| repeated)
            };
            if let Some(origin) = chosen.map(|(_, origin)| *origin).or_else(iterated) {
                origins.insert(pointer.to_owned(), origin.clone());
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let at = pointer_push(pointer, &index.to_string());
                collect_origins(item, &at, bound, iteration, origins, depth + 1);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                collect_origins(item, &pointer_push(pointer, key), bound, iteration, origins, depth + 1);
            }
        }
        _ => {}
    }
}

/// A call's outputs as the caller sees them: `{name: value}`, values not known statically in
/// interpolation form (so `module.logs.arn` is unknown, not an error). A reference to one of
/// the module's own blocks is named by its address in the caller (`aws_s3_bucket.this.id` of
/// call `module.logs` is `${module.logs.aws_s3_bucket.this.id}`): the caller's blocks that use
/// the output relate to that block, not to a block of the caller's own with the same name.
pub(crate) fn outputs(files: &[(usize, &Value)], scope: &Scope, address: &str) -> Value {
    let mut out = Map::new();
    for (_, value) in files {
        for (name, block) in value.get("output").and_then(Value::as_object).into_iter().flatten() {
            let Some(text) = block.pointer("/expressions/value").and_then(Value::as_str) else { continue };
            let mut value = resolve_text(text, scope).unwrap_or_else(|| Value::String(format!("${{{text}}}")));
            qualify_block_references(&mut value, address, 0);
            out.insert(name.clone(), value);
        }
    }
    Value::Object(out)
}

/// Names that start a reference to something other than a block of the module.
const NOT_BLOCKS: [&str; 8] = ["var", "local", "module", "each", "count", "path", "terraform", "self"];

/// In every unknown part (`${…}`) of `value`, the references to the module's blocks
/// (`aws_s3_bucket.this…`, `data.aws_iam_policy_document.x…`) prefixed with the call's
/// `address`. Literal text outside `${…}` is left alone.
fn qualify_block_references(value: &mut Value, address: &str, depth: usize) {
    if depth > 32 {
        return;
    }
    match value {
        Value::String(text) if text.contains("${") => *text = qualify_text(text, address),
        Value::Array(items) => items.iter_mut().for_each(|item| qualify_block_references(item, address, depth + 1)),
        Value::Object(map) => map.values_mut().for_each(|item| qualify_block_references(item, address, depth + 1)),
        _ => {}
    }
}

fn qualify_text(text: &str, address: &str) -> String {
    let mut out = String::with_capacity(text.len() + address.len());
    let mut depth = 0usize;
    let mut rest = text;
    while !rest.is_empty() {
        if depth == 0 {
            match rest.find("${") {
                Some(at) => {
                    out.push_str(rest.get(..at + 2).unwrap_or(rest));
                    rest = rest.get(at + 2..).unwrap_or("");
                    depth = 1;
                }
                None => {
                    out.push_str(rest);
                    rest = "";
                }
            }
            continue;
        }
        let mut chars = rest.char_indices();
        let Some((_, c)) = chars.next() else { break };
        let previous = out.chars().last();
        let starts_word = (c.is_ascii_alphabetic() || c == '_')
            && !previous.is_some_and(|p| p.is_ascii_alphanumeric() || matches!(p, '_' | '.' | '-' | ':' | '"'));
        if starts_word {
            let end =
                rest.find(|ch: char| !(ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-'))).unwrap_or(rest.len());
            let word = rest.get(..end).unwrap_or("");
            let followed_by_dot = rest.get(end..).is_some_and(|after| after.starts_with('.'));
            let is_block = word == "data" || (word.contains('_') && !NOT_BLOCKS.contains(&word));
            if followed_by_dot && is_block {
                out.push_str(address);
                out.push('.');
            }
            out.push_str(word);
            rest = rest.get(end..).unwrap_or("");
            continue;
        }
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    out
}

/// Notes about calls that cannot be expanded, each said once however many environments and
/// instances meet it.
#[derive(Default)]
pub(crate) struct Notes {
    seen: BTreeSet<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Notes {
    /// A note at the `module` block of `call`.
    pub(crate) fn at_call(&mut self, builder: &GraphBuilder, document: usize, pointer: &str, message: String) {
        let Some(doc) = builder.document(document) else { return };
        if !self.seen.insert((doc.path.clone(), message.clone())) {
            return;
        }
        let span = doc.source_map.entry(pointer).unwrap_or(crate::Span::new(0, 0));
        let mut diagnostic = Diagnostic::at(doc.path.clone(), &doc.text, span, message);
        diagnostic.level = Level::Note;
        self.diagnostics.push(diagnostic);
    }
}

/// The call key of a call in the download cache: the call names along the path, without
/// instance keys (`module.a["x"].module.b` → `a.b`).
pub(crate) fn cache_key(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// Labels each module call resource with how it was judged ([`CallKind::label`]).
pub(crate) fn label_calls(builder: &mut GraphBuilder, kinds: &BTreeMap<(usize, String), String>) {
    for resource in builder.resources.iter_mut() {
        if resource.kind != DocumentKind::Terraform || resource.resource_type != "module" {
            continue;
        }
        if let Some(label) = kinds.get(&(resource.document, resource.pointer.clone())) {
            resource.labels.insert(label.clone());
        }
    }
}

/// `module.a["x"].module.b.aws_s3_bucket.this[0]` → (`module.a["x"].module.b.`,
/// `aws_s3_bucket.this[0]`): the call path of an address inside an expanded module and the
/// address inside it. A call's own block (`module.a`) has an empty call path.
pub(crate) fn split_call_path(address: &str) -> (&str, &str) {
    let mut at = 0;
    while let Some(rest) = address.get(at..) {
        let Some(after) = rest.strip_prefix("module.") else { break };
        let name_len = after.find(['.', '[']).unwrap_or(after.len());
        let mut end = at + "module.".len() + name_len;
        if address.get(end..).is_some_and(|r| r.starts_with('[')) {
            match closing_bracket(address, end) {
                Some(close) => end = close + 1,
                None => break,
            }
        }
        // Only a call followed by more of the address is a step of the path.
        match address.get(end..) {
            Some(rest) if rest.starts_with('.') && rest.len() > 1 => at = end + 1,
            _ => break,
        }
    }
    (address.get(..at).unwrap_or_default(), address.get(at..).unwrap_or(address))
}

/// The index of the `]` closing the `[` at `open`, skipping quoted text.
fn closing_bracket(text: &str, open: usize) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (index, c) in text.get(open..)?.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ']' if !quoted => return Some(open + index),
            _ => {}
        }
    }
    None
}

/// Shared handle on a block's [`CalledFrom`].
pub(crate) type Called = Arc<CalledFrom>;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use std::collections::BTreeMap;

    use serde_json::json;

    use super::{qualify_text, split_call_path, value_origins, CalledFrom, ValueOrigin};

    /// A block a `dynamic` block generates from a caller's list is, as a whole, at the caller's
    /// argument; a value its content writes literally stays the module's.
    #[test]
    fn a_generated_block_as_a_whole_is_where_its_items_were_passed() {
        let block = json!({"expressions": {"dynamic": [{"statement": {
            "for_each": "var.services",
            "content": [{"actions": "[\"${statement.value}:Get*\"]", "resources": "[\"*\"]"}],
        }}]}});
        let argument = ValueOrigin { path: "main.tf".into(), pointer: "/module/ro/config/services".into() };
        let bound = BTreeMap::from([("services".to_owned(), argument.clone())]);
        let called = CalledFrom { origins: value_origins(&block, &bound), ..CalledFrom::default() };
        assert_eq!(called.origin_of("/config/dynamic/0/statement"), Some(&argument));
        assert_eq!(called.origin_of("/config/dynamic/0/statement/for_each"), Some(&argument));
        assert_eq!(called.origin_of("/config/dynamic/0/statement/content/0/resources"), None);
        assert_eq!(called.origin_of("/config/dynamic/x/statement"), None);
    }

    #[test]
    fn outputs_name_the_modules_blocks_by_their_address_in_the_caller() {
        let cases = [
            ("${aws_s3_bucket.this.id}", "${module.logs.aws_s3_bucket.this.id}"),
            ("${try(aws_s3_bucket.this[0].arn, \"\")}", "${try(module.logs.aws_s3_bucket.this[0].arn, \"\")}"),
            (
                "arn:${data.aws_partition.current.partition}:s3:::my_bucket.x",
                "arn:${module.logs.data.aws_partition.current.partition}:s3:::my_bucket.x",
            ),
            ("${var.name}-${local.suffix}", "${var.name}-${local.suffix}"),
            ("${module.inner.aws_kms_key.this.arn}", "${module.inner.aws_kms_key.this.arn}"),
            (
                "${{for k, v in aws_s3_bucket.all : k => v.id}}",
                "${{for k, v in module.logs.aws_s3_bucket.all : k => v.id}}",
            ),
            ("plain aws_s3_bucket.x text", "plain aws_s3_bucket.x text"),
        ];
        for (text, expected) in cases {
            assert_eq!(qualify_text(text, "module.logs"), expected, "{text}");
        }
    }

    /// A value is placed where the variable named like its attribute was passed, even when the
    /// expression names another bound variable first; else at the first one named.
    #[test]
    fn a_value_comes_from_the_variable_named_like_its_attribute() {
        let at = |line: &str| ValueOrigin { path: "main.tf".into(), pointer: format!("/module/db/config/{line}") };
        let bound = BTreeMap::from([("blue_green".to_owned(), at("blue_green")), ("days".to_owned(), at("days"))]);
        let block = json!({"expressions": {
            "days": "var.blue_green != null ? coalesce(var.days, 1) : var.days",
            "retention": "var.blue_green ? var.days : 1",
            "engine": "\"postgres\"",
        }});
        let origins = value_origins(&block, &bound);
        assert_eq!(origins.get("/config/days"), Some(&at("days")));
        assert_eq!(origins.get("/config/retention"), Some(&at("blue_green")));
        assert_eq!(origins.get("/config/engine"), None);
    }

    #[test]
    fn split_call_path_separates_the_calls_from_the_block() {
        for (address, path, inner) in [
            ("aws_s3_bucket.this", "", "aws_s3_bucket.this"),
            ("module.logs", "", "module.logs"),
            ("module.logs[0]", "", "module.logs[0]"),
            ("module.logs.aws_s3_bucket.this", "module.logs.", "aws_s3_bucket.this"),
            (r#"module.a["x.y]"].module.b.data.t.n"#, r#"module.a["x.y]"].module.b."#, "data.t.n"),
            (r#"module.a["k"].module.b[2]"#, r#"module.a["k"]."#, "module.b[2]"),
        ] {
            assert_eq!(split_call_path(address), (path, inner), "{address}");
        }
    }
}
