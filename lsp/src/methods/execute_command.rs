//! `workspace/executeCommand` `ward.runTests`: runs the pack's tests (the engine's `ward test`)
//! for one rule — the rule the file defines, the rule whose fixture the file is
//! (`tests/<RULE-ID>/…`), or the rule id under the cursor — with the open buffers over the
//! files on disk. Arguments: the document's URI, and optionally a position. The result is
//! `{rule, pack, passed: [test…], failures: [{test, detail}]}`; a one-line summary is also
//! shown to the user.

use lsp_types::{ExecuteCommandParams, MessageType, Position, ShowMessageParams, Url};
use serde_json::{json, Value};
use ward_engine::policy::pack::testing;

use super::initialize::RUN_TESTS;
use super::{Cursor, RequestError};
use crate::policy::PolicySet;
use crate::rules;
use crate::state::{path_of, State};

pub fn execute_command(state: &mut State, params: ExecuteCommandParams) -> Result<Value, RequestError> {
    if params.command != RUN_TESTS {
        return Err(RequestError::InvalidParams(format!("unknown command {}", params.command)));
    }
    let mut arguments = params.arguments.into_iter();
    let uri: Url = arguments
        .next()
        .and_then(|value| serde_json::from_value(value).ok())
        .ok_or_else(|| RequestError::InvalidParams(format!("{RUN_TESTS} needs the document's URI")))?;
    let position: Option<Position> = arguments.next().and_then(|value| serde_json::from_value(value).ok());
    let path = path_of(&uri);
    let buffers = super::publish_diagnostics::buffers(state);
    let set = PolicySet::of(&path, &mut state.packs, &buffers);
    let compiled = set.compile();
    let Some(pack) = compiled.pack else {
        return Err(RequestError::Failed(format!(
            "{} is not in a pack (a directory with a readable pack.toml)",
            path.display()
        )));
    };
    let shown = set.shown(&path).unwrap_or_default();
    let fixture_rule = shown.split('/').skip_while(|part| *part != "tests").nth(1).map(str::to_owned);
    let cursor_rule = position
        .and_then(|position| Cursor::of(state, &uri, position))
        .and_then(|cursor| rules::rule_id_at(&cursor.line, cursor.at))
        .map(|(id, _, _)| id);
    let own_rule =
        compiled.policies.rules().find(|(_, rule_path)| *rule_path == shown).map(|(rule, _)| rule.id.clone());
    let Some(id) = own_rule.or(fixture_rule).or(cursor_rule) else {
        return Err(RequestError::Failed(
            "no rule here: open a rule file, a rule's fixture, or put the cursor on a rule id".into(),
        ));
    };
    let report = testing::run(&pack, false);
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
    state.notify("window/showMessage", ShowMessageParams { typ, message: summary });
    Ok(json!({"rule": id, "pack": report.pack, "passed": passed, "failures": failures}))
}
