//! The background pool: a few worker threads that run the slow work — evaluating a buffer,
//! compiling a pack, running a pack's tests — over immutable snapshots taken by the main loop,
//! and hand back what they made as [`Done`] messages the main loop receives between client
//! messages. The main loop never waits for a task, so hover and completion stay answered while
//! a buffer is evaluated.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::Message;
use lsp_types::{Diagnostic, Url};
use ward_engine::Finding;

/// At most this many workers: evaluation of one buffer is single-threaded, and more workers
/// than open buffers being edited at once would only sit idle.
const MAX_WORKERS: usize = 4;

/// What a task hands back to the main loop.
pub enum Done {
    /// The diagnostics of one document, as of `version`.
    Diagnostics { uri: Url, version: i32, diagnostics: Vec<Diagnostic>, findings: Vec<Finding> },
    /// Messages to send as they are: a request's response and what goes with it.
    Messages(Vec<Message>),
    /// A task panicked (it should not: the engine does not); `what` says which.
    Failed { what: String, uri: Option<Url> },
}

type Task = Box<dyn FnOnce() -> Done + Send>;

/// The workers, the queue that feeds them and the channel they answer on.
///
/// Dropping the pool closes the queue: each worker ends after the task it is on, without being
/// waited for — `exit` does not wait for a pack's tests to finish.
pub struct Pool {
    tasks: Sender<(String, Option<Url>, Task)>,
    done_sender: Sender<Done>,
    /// Where the main loop receives finished tasks.
    pub done: Receiver<Done>,
    workers: usize,
}

impl Pool {
    /// A pool of one worker per core, from one up to [`MAX_WORKERS`].
    pub fn new() -> Pool {
        let count = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, MAX_WORKERS);
        Pool::with_workers(count)
    }

    pub fn with_workers(count: usize) -> Pool {
        let (tasks, queue) = crossbeam_channel::unbounded::<(String, Option<Url>, Task)>();
        let (done_sender, done) = crossbeam_channel::unbounded();
        let workers = (0..count.max(1))
            .filter(|index| {
                let queue = queue.clone();
                let answers = done_sender.clone();
                std::thread::Builder::new()
                    .name(format!("ward-lsp-worker-{index}"))
                    .spawn(move || {
                        for (what, uri, task) in queue {
                            let done = catch_unwind(AssertUnwindSafe(task)).unwrap_or(Done::Failed { what, uri });
                            if answers.send(done).is_err() {
                                return;
                            }
                        }
                    })
                    .is_ok()
            })
            .count();
        Pool { tasks, done_sender, done, workers }
    }

    /// Runs `task` on a worker; `what` names it if it fails, `uri` is the document it is about.
    /// With no worker (threads could not be made) it runs here, so that nothing is lost.
    pub fn spawn(&self, what: impl Into<String>, uri: Option<Url>, task: impl FnOnce() -> Done + Send + 'static) {
        let (what, task): (String, Task) = (what.into(), Box::new(task));
        if self.workers == 0 {
            return self.run_here(what, uri, task);
        }
        if let Err(crossbeam_channel::SendError((what, uri, task))) = self.tasks.send((what, uri, task)) {
            self.run_here(what, uri, task);
        }
    }

    fn run_here(&self, what: String, uri: Option<Url>, task: Task) {
        let done = catch_unwind(AssertUnwindSafe(task)).unwrap_or(Done::Failed { what, uri });
        // The receiver is our own field: sending cannot fail while `self` lives.
        let _ = self.done_sender.send(done);
    }
}

impl Default for Pool {
    fn default() -> Pool {
        Pool::new()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn response(text: &str) -> Done {
        let notification = lsp_server::Notification { method: text.into(), params: serde_json::Value::Null };
        Done::Messages(vec![Message::Notification(notification)])
    }

    fn method(done: Done) -> String {
        match done {
            Done::Messages(messages) => match &messages[0] {
                Message::Notification(notification) => notification.method.clone(),
                other => format!("{other:?}"),
            },
            Done::Failed { what, .. } => format!("failed: {what}"),
            Done::Diagnostics { uri, .. } => uri.to_string(),
        }
    }

    #[test]
    fn tasks_run_off_the_calling_thread_and_answer_on_the_channel() {
        let pool = Pool::with_workers(2);
        let caller = std::thread::current().id();
        let (seen, thread) = crossbeam_channel::unbounded();
        pool.spawn("a", None, move || {
            seen.send(std::thread::current().id()).unwrap();
            response("a")
        });
        assert_eq!(method(pool.done.recv().unwrap()), "a");
        assert_ne!(thread.recv().unwrap(), caller);
    }

    #[test]
    fn a_task_that_panics_is_reported_and_the_workers_go_on() {
        let pool = Pool::with_workers(1);
        pool.spawn("bad task", None, || panic!("boom"));
        pool.spawn("b", None, || response("b"));
        let mut answers = vec![method(pool.done.recv().unwrap()), method(pool.done.recv().unwrap())];
        answers.sort();
        assert_eq!(answers, ["b", "failed: bad task"]);
    }

    #[test]
    fn a_slow_task_does_not_hold_up_another_worker() {
        let pool = Pool::with_workers(2);
        let (release, gate) = crossbeam_channel::bounded::<()>(0);
        pool.spawn("slow", None, move || {
            let _ = gate.recv();
            response("slow")
        });
        pool.spawn("fast", None, || response("fast"));
        assert_eq!(method(pool.done.recv().unwrap()), "fast");
        release.send(()).unwrap();
        assert_eq!(method(pool.done.recv().unwrap()), "slow");
    }
}
