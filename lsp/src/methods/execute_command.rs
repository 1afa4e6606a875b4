//! `workspace/executeCommand`:
//!
//! `ward.explain`: the documentation of a rule — the text `ward explain` prints — as the file
//! the editor shows sees it (its own pack's rules first, then its workspace's). Arguments: the
//! document's URI, and the rule id or a position on one. The result is `{rule, markdown}`.
//!
//! `ward.runTests`: runs the pack's tests (the engine's `ward test`)
//! for one rule — the rule the file defines, the rule whose fixture the file is
//! (`tests/<RULE-ID>/…`), or the rule id under the cursor — with the open buffers over the
//! files on disk. Arguments: the document's URI, and optionally a position. The result is
//! `{rule, pack, passed: [test…], failures: [{test, detail}]}`; a one-line summary is also
//! shown to the user.
//!
//! The tests run on the pool: the main loop reads the arguments and the pack's files, and the
//! task compiles the pack, runs its tests and answers the request.

use lsp_server::{Message, Notification, RequestId, Response, ResponseError};
use lsp_types::{ExecuteCommandParams, MessageType, Position, ShowMessageParams, Url};
use serde_json::{json, Value};
use ward_engine::run_pack_tests;

use super::initialize::{EXPLAIN, RUN_TESTS};
use super::{Cursor, RequestError};
use crate::files::role_of;
use crate::policy::PolicySet;
use crate::pool::Done;
use crate::rules;
use crate::state::{path_of, State};

/// Answers `ward.explain` now (`Some`), or starts `ward.runTests`, whose response to request
/// `id` comes from the pool (`None`).
pub fn execute_command(
    state: &mut State,
    id: RequestId,
    params: ExecuteCommandParams,
) -> Result<Option<Value>, RequestError> {
    match params.command.as_str() {
        RUN_TESTS => run_tests_command(state, id, params).map(|()| None),
        EXPLAIN => explain(state, params).map(Some),
        other => Err(RequestError::InvalidParams(format!("unknown command {other}"))),
    }
}

/// `ward.explain`: `{rule, markdown}`.
fn explain(state: &mut State, params: ExecuteCommandParams) -> Result<Value, RequestError> {
    let mut arguments = params.arguments.into_iter();
    let uri: Url = arguments
        .next()
        .and_then(|value| serde_json::from_value(value).ok())
        .ok_or_else(|| RequestError::InvalidParams(format!("{EXPLAIN} needs the document's URI")))?;
    let rule = match arguments.next() {
        Some(Value::String(rule)) => Some(rule.trim().to_owned()),
        Some(value) => serde_json::from_value::<Position>(value)
            .ok()
            .and_then(|position| Cursor::of(state, &uri, position))
            .and_then(|cursor| rules::rule_id_at(&cursor.line, cursor.at))
            .map(|(id, _, _)| id),
        None => None,
    };
    let Some(rule) = rule.filter(|rule| !rule.is_empty()) else {
        return Err(RequestError::InvalidParams(format!("{EXPLAIN} needs a rule id, or a position on one")));
    };
    let path = path_of(&uri);
    let role = role_of(&path.to_string_lossy());
    match super::hover::rule_documentation(state, &path, role, &rule) {
        Some(markdown) => Ok(json!({"rule": rule, "markdown": markdown})),
        None => Err(RequestError::Failed(format!("no rule {rule} among the rules active for {}", path.display()))),
    }
}

/// `ward.runTests`: reads the arguments and the pack on the main loop, runs on the pool.
fn run_tests_command(state: &mut State, id: RequestId, params: ExecuteCommandParams) -> Result<(), RequestError> {
    let mut arguments = params.arguments.into_iter();
    let uri: Url = arguments
        .next()
        .and_then(|value| serde_json::from_value(value).ok())
        .ok_or_else(|| RequestError::InvalidParams(format!("{RUN_TESTS} needs the document's URI")))?;
    let position: Option<Position> = arguments.next().and_then(|value| serde_json::from_value(value).ok());
    let path = path_of(&uri);
    let buffers = super::publish_diagnostics::buffers(state);
    let set = PolicySet::of(&path, &mut state.packs, &buffers);
    let cursor_rule = position
        .and_then(|position| Cursor::of(state, &uri, position))
        .and_then(|cursor| rules::rule_id_at(&cursor.line, cursor.at))
        .map(|(id, _, _)| id);
    state.pool.spawn(format!("{RUN_TESTS} for {}", path.display()), None, move || {
        let mut messages = Vec::new();
        let response_result = match run_tests(&set, &path, cursor_rule) {
            Ok((result, summary)) => {
                if let Ok(params) = serde_json::to_value(summary) {
                    let method = "window/showMessage".to_owned();
                    messages.push(Message::Notification(Notification { method, params }));
                }
                Ok(result)
            }
            Err(problem) => Err(ResponseError { code: problem.code(), message: problem.to_string(), data: None }),
        };
        messages.insert(0, Message::Response(Response { id, response_result }));
        Done::Messages(messages)
    });
    Ok(())
}

/// Compiles the set and runs the tests of the rule `path` is about, or else `cursor_rule`.
fn run_tests(
    set: &PolicySet,
    path: &std::path::Path,
    cursor_rule: Option<String>,
) -> Result<(Value, ShowMessageParams), RequestError> {
    let compiled = set.compile();
    let Some(pack) = compiled.pack else {
        return Err(RequestError::Failed(format!(
            "{} is not in a pack (a directory with a readable pack.toml)",
            path.display()
        )));
    };
    let shown = set.shown(path).unwrap_or_default();
    let fixture_rule = shown.split('/').skip_while(|part| *part != "tests").nth(1).map(str::to_owned);
    let own_rule =
        compiled.policies.rules().find(|(_, rule_path)| *rule_path == shown).map(|(rule, _)| rule.id.clone());
    let Some(id) = own_rule.or(fixture_rule).or(cursor_rule) else {
        return Err(RequestError::Failed(
            "no rule here: open a rule file, a rule's fixture, or put the cursor on a rule id".into(),
        ));
    };
    let report = run_pack_tests(&pack, false);
    let ours = |test: &str| test.split(' ').next() == Some(id.as_str()) || test == "load";
    let passed: Vec<&String> = report.passed.iter().filter(|test| ours(test)).collect();
    let failures: Vec<Value> = report
        .failures
        .iter()
        .filter(|failure| ours(&failure.test))
        .map(|failure| json!({"test": failure.test, "detail": failure.detail}))
        .collect();
    let summary = if failures.is_empty() {
        format!("{id}: {} tests passed", passed.len())
    } else {
        format!("{id}: {} of {} tests failed", failures.len(), failures.len() + passed.len())
    };
    let typ = if failures.is_empty() { MessageType::INFO } else { MessageType::ERROR };
    let result = json!({"rule": id, "pack": report.pack, "passed": passed, "failures": failures});
    Ok((result, ShowMessageParams { typ, message: summary }))
}
