//! The server's state, owned by the main loop: the negotiated position encoding, the open
//! documents (full text, version, last findings), the workspaces (one per project root) and the
//! packs read from disk, the background pool and what it is working on, and the notifications
//! waiting to be sent.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use lsp_server::{Message, Notification};
use lsp_types::Url;
use ward_engine::Finding;

use crate::files::{role_of, Role};
use crate::options::Options;
use crate::policy::PackCache;
use crate::pool::Pool;
use crate::position::{Encoding, Text};
use crate::workspace::Workspace;

/// One document the client has open.
#[derive(Debug, Clone)]
pub struct OpenDocument {
    pub uri: Url,
    /// Its file, for `file:` URIs; other schemes get a path made of the URI's path.
    pub path: PathBuf,
    pub role: Role,
    pub text: Text,
    pub version: i32,
    /// The findings last published for it (config files), for hover and quick fixes.
    pub findings: Vec<Finding>,
}

/// Everything the server knows.
pub struct State {
    pub encoding: Encoding,
    /// The client's workspace folders (or root), most specific first.
    pub roots: Vec<PathBuf>,
    pub documents: HashMap<Url, OpenDocument>,
    pub workspaces: HashMap<PathBuf, Workspace>,
    pub packs: PackCache,
    /// Documents whose diagnostics are out of date.
    pub dirty: BTreeSet<Url>,
    /// Documents whose diagnostics a background task is computing.
    pub in_flight: HashSet<Url>,
    /// Where slow work runs.
    pub pool: Pool,
    /// Notifications to send once the current message is handled.
    pub outgoing: Vec<Message>,
    /// The command line's policies and threshold, for every workspace.
    pub options: Options,
}

impl State {
    pub fn new(encoding: Encoding, roots: Vec<PathBuf>) -> State {
        State::with_options(encoding, roots, Options::default())
    }

    /// [`State::new`], with the command line's options.
    pub fn with_options(encoding: Encoding, mut roots: Vec<PathBuf>, options: Options) -> State {
        roots.sort_by_key(|root| std::cmp::Reverse(root.components().count()));
        State {
            encoding,
            roots,
            documents: HashMap::new(),
            workspaces: HashMap::new(),
            packs: PackCache::default(),
            dirty: BTreeSet::new(),
            in_flight: HashSet::new(),
            pool: Pool::new(),
            outgoing: Vec::new(),
            options,
        }
    }

    /// Queues a notification to the client.
    pub fn notify(&mut self, method: &str, params: impl serde::Serialize) {
        if let Ok(params) = serde_json::to_value(params) {
            self.outgoing.push(Message::Notification(Notification { method: method.to_owned(), params }));
        }
    }

    /// Opens (or replaces) a document.
    pub fn open(&mut self, uri: Url, text: String, version: i32) {
        let path = path_of(&uri);
        let role = role_of(&path.to_string_lossy());
        let document =
            OpenDocument { uri: uri.clone(), path, role, text: Text::new(text), version, findings: Vec::new() };
        self.documents.insert(uri.clone(), document);
        self.dirty.insert(uri);
    }

    /// The project root a file belongs to: the directory of the nearest `ward.toml` above it,
    /// else the client's workspace folder that holds it, else its own directory.
    pub fn root_of(&self, file: &Path) -> PathBuf {
        let dir = file.parent().unwrap_or(file);
        if let Some(config) = ward_engine::discover_config(dir) {
            if let Some(root) = config.parent() {
                return root.to_path_buf();
            }
        }
        self.roots.iter().find(|root| file.starts_with(root)).cloned().unwrap_or_else(|| dir.to_path_buf())
    }

    /// The workspace of a file, made (and its project configuration read) on first use.
    pub fn workspace_of(&mut self, file: &Path) -> &mut Workspace {
        let root = self.root_of(file);
        let options = &self.options;
        self.workspaces.entry(root.clone()).or_insert_with(|| Workspace::with_options(root, options.clone()))
    }

    /// The text of `path`: the open buffer when there is one, else the file on disk.
    pub fn text_of(&self, path: &Path) -> Option<String> {
        match self.documents.values().find(|document| document.path == path) {
            Some(document) => Some(document.text.text.clone()),
            None => std::fs::read_to_string(path).ok(),
        }
    }

    /// The open buffers under `dir`, as `(path, text)`.
    pub fn buffers_under(&self, dir: &Path) -> Vec<(PathBuf, String)> {
        self.documents
            .values()
            .filter(|document| document.path.starts_with(dir))
            .map(|document| (document.path.clone(), document.text.text.clone()))
            .collect()
    }
}

/// The file of a URI: its path for `file:` URIs, else the URI's path as it is (so that
/// unsaved buffers still get a name, and a role from it).
pub fn path_of(uri: &Url) -> PathBuf {
    uri.to_file_path().unwrap_or_else(|()| PathBuf::from(uri.path()))
}
