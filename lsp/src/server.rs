//! The main loop: the `initialize` handshake, then one message at a time, in order, on the
//! thread that owns the [`State`] — edits get exclusive access to it. Slow work (diagnostics, a
//! pack's tests) runs on the [pool](crate::pool) over snapshots, and its results are taken in
//! between client messages. Diagnostics of changed documents are scheduled when no client
//! message is waiting, so that a burst of edits is evaluated once. A handler that fails answers
//! with an error; a handler that panics (it should not: the engine does not) answers
//! `InternalError` and the server goes on.

use std::panic::{catch_unwind, AssertUnwindSafe};

use lsp_server::{Connection, ErrorCode, Message, Request, Response, ResponseError};
use lsp_types::InitializeParams;
use serde_json::Value;

use crate::methods::{self, initialize, publish_diagnostics};
use crate::options::Options;
use crate::pool::Done;
use crate::state::State;
use crate::ServerError;

/// Runs the server over standard input and output until the client says `exit`.
pub fn run_stdio(options: Options) -> Result<(), ServerError> {
    let (connection, threads) = crate::transport::stdio()?;
    run_with(connection, options)?;
    threads.join()?;
    Ok(())
}

/// Runs the server over `connection` until the client says `exit` or goes away.
pub fn run(connection: Connection) -> Result<(), ServerError> {
    run_with(connection, Options::default())
}

/// [`run`], with the policies and threshold of `options`.
pub fn run_with(connection: Connection, options: Options) -> Result<(), ServerError> {
    let Some(mut state) = handshake(&connection, options)? else { return Ok(()) };
    main_loop(&connection, &mut state)
}

fn send(connection: &Connection, message: impl Into<Message>) -> Result<(), ServerError> {
    connection.sender.send(message.into()).map_err(|_| ServerError::Disconnected)
}

fn error(id: lsp_server::RequestId, code: i32, message: String) -> Response {
    Response { id, response_result: Err(ResponseError { code, message, data: None }) }
}

/// Waits for `initialize` and answers it; `None` if the client exits first.
fn handshake(connection: &Connection, options: Options) -> Result<Option<State>, ServerError> {
    for message in &connection.receiver {
        match message {
            Message::Request(request) if request.method == "initialize" => {
                match serde_json::from_value::<InitializeParams>(request.params) {
                    Ok(params) => {
                        let encoding = initialize::negotiate(&params);
                        let result = serde_json::to_value(initialize::result(encoding))?;
                        send(connection, Response { id: request.id, response_result: Ok(result) })?;
                        return Ok(Some(State::with_options(encoding, initialize::roots(&params), options)));
                    }
                    Err(problem) => {
                        let code = ErrorCode::InvalidParams as i32;
                        send(connection, error(request.id, code, format!("invalid parameters: {problem}")))?;
                    }
                }
            }
            Message::Request(request) => {
                let code = ErrorCode::ServerNotInitialized as i32;
                send(connection, error(request.id, code, "the server is not initialized".into()))?;
            }
            Message::Notification(notification) if notification.method == "exit" => return Ok(None),
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
    Ok(None)
}

fn main_loop(connection: &Connection, state: &mut State) -> Result<(), ServerError> {
    let mut shutting_down = false;
    let finished = state.pool.done.clone();
    loop {
        crossbeam_channel::select! {
            recv(connection.receiver) -> message => {
                let Ok(message) = message else { return Ok(()) };
                match message {
                    Message::Request(request) if request.method == "shutdown" => {
                        shutting_down = true;
                        send(connection, Response { id: request.id, response_result: Ok(Value::Null) })?;
                    }
                    Message::Request(request) if shutting_down => {
                        let code = ErrorCode::InvalidRequest as i32;
                        send(connection, error(request.id, code, "the server is shutting down".into()))?;
                    }
                    Message::Request(request) => {
                        if let Some(response) = answer(state, request) {
                            send(connection, response)?;
                        }
                    }
                    Message::Notification(notification) if notification.method == "exit" => return Ok(()),
                    Message::Notification(notification) => {
                        let method = notification.method;
                        let handled = catch_unwind(AssertUnwindSafe(|| {
                            methods::notification(state, &method, notification.params)
                        }));
                        if handled.is_err() {
                            publish_diagnostics::failed(state, &method, None);
                        }
                    }
                    Message::Response(_) => {}
                }
            }
            recv(finished) -> done => match done {
                Ok(Done::Diagnostics { uri, version, diagnostics, findings }) => {
                    publish_diagnostics::finish(state, uri, version, diagnostics, findings);
                }
                Ok(Done::Messages(messages)) => state.outgoing.extend(messages),
                Ok(Done::Failed { what, uri }) => publish_diagnostics::failed(state, &what, uri),
                // The pool's sender lives in the state: it cannot be gone.
                Err(_) => {}
            },
        }
        if connection.receiver.is_empty() && !shutting_down {
            // Best effort, like any handler: a failure is reported, not fatal.
            if catch_unwind(AssertUnwindSafe(|| publish_diagnostics::schedule(state))).is_err() {
                state.dirty.clear();
            }
        }
        for outgoing in state.outgoing.drain(..) {
            send(connection, outgoing)?;
        }
    }
}

/// The response to a request, or `None` when a background task will send it.
fn answer(state: &mut State, request: Request) -> Option<Response> {
    let Request { id, method, params } = request;
    let answered = catch_unwind(AssertUnwindSafe(|| methods::request(state, id.clone(), &method, params)));
    match answered {
        Ok(Ok(Some(result))) => Some(Response { id, response_result: Ok(result) }),
        Ok(Ok(None)) => None,
        Ok(Err(problem)) => Some(error(id, problem.code(), problem.to_string())),
        Err(_) => Some(error(id, ErrorCode::InternalError as i32, format!("ward lsp failed on {method}"))),
    }
}
