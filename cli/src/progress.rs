//! A progress line on stderr (indicatif) for runs that take a while: it appears only after
//! about a second, only when stderr is a terminal — never in a pipe, a CI log or a test — and
//! says which stage the scan is in. It is cleared when the run ends, so the report is all that
//! stays on screen.

use std::io::IsTerminal;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ward_engine::ScanStage;

/// How long a run goes before it is worth showing progress.
const DELAY: Duration = Duration::from_secs(1);

/// The progress of one run.
pub struct Progress {
    bar: ProgressBar,
    /// Dropped to tell the thread that would show the bar that the run is over.
    done: Option<Sender<()>>,
    shower: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts timing a run; the bar shows after [`DELAY`] if stderr is a terminal.
    pub fn start() -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        if !std::io::stderr().is_terminal() {
            return Progress { bar, done: None, shower: None };
        }
        let (done, wait) = mpsc::channel::<()>();
        let shown = bar.clone();
        let shower = std::thread::spawn(move || {
            if wait.recv_timeout(DELAY) == Err(RecvTimeoutError::Timeout) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress { bar, done: Some(done), shower: Some(shower) }
    }

    /// Says what the run is doing now.
    pub fn message(&self, text: impl Into<String>) {
        self.bar.set_message(text.into());
    }

    /// Says which stage of a scan has started.
    pub fn stage(&self, stage: ScanStage) {
        self.message(match stage {
            ScanStage::Reading => "reading files".to_owned(),
            ScanStage::Evaluating { resources } => format!("evaluating rules over {resources} resources"),
            ScanStage::ScanningSecrets { files } => format!("scanning {files} files for secrets"),
            ScanStage::Suppressing => "applying suppressions".to_owned(),
        });
    }

    /// Ends the run: the bar, if it showed, is cleared.
    pub fn finish(mut self) {
        self.done.take();
        if let Some(shower) = self.shower.take() {
            let _ = shower.join();
        }
        self.bar.finish_and_clear();
    }
}
