//! A real OCI registry for the remote-pack tests: Debian's `docker-registry` (the CNCF
//! distribution server) on 127.0.0.1 at a free port, with a temporary storage directory and,
//! when asked, an htpasswd file; stopped and removed when dropped. Without the binary the tests
//! skip with a message — except on CI (`CI` set), where `.ci/run` installs it and a missing
//! binary is a failure.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = "docker-registry";

pub struct Registry {
    child: Option<Child>,
    pub port: u16,
    /// The registry's storage (`rootdirectory`).
    pub storage: PathBuf,
    dir: PathBuf,
}

/// Whether `program` runs; on CI a missing one fails the test, elsewhere it is skipped.
pub fn available(program: &str, package: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set and {program} is missing: install the {package} package (see .ci/run)"
        );
        eprintln!("skipped: {program} is not installed (apt-get install {package}; set CI to make this a failure)");
    }
    found
}

impl Registry {
    /// A registry without authentication; `None` when the binary is missing (off CI).
    pub fn start(name: &str) -> Option<Registry> {
        Registry::start_with(name, None)
    }

    /// A registry that asks for HTTP Basic credentials `user`/`password` (htpasswd, bcrypt).
    pub fn start_with_password(name: &str, user: &str, password: &str) -> Option<Registry> {
        if !available("htpasswd", "apache2-utils") {
            return None;
        }
        Registry::start_with(name, Some((user, password)))
    }

    fn start_with(name: &str, credentials: Option<(&str, &str)>) -> Option<Registry> {
        if !available(BINARY, "docker-registry") {
            return None;
        }
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("registries").join(name);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        let storage = dir.join("storage");
        std::fs::create_dir_all(&storage).unwrap();
        let auth = match credentials {
            Some((user, password)) => {
                let output = Command::new("htpasswd").args(["-Bbn", user, password]).output().unwrap();
                assert!(output.status.success(), "htpasswd: {}", String::from_utf8_lossy(&output.stderr));
                let file = dir.join("htpasswd");
                std::fs::write(&file, output.stdout).unwrap();
                format!("auth:\n  htpasswd:\n    realm: ward-tests\n    path: {}\n", file.display())
            }
            None => String::new(),
        };
        // A free port can be taken between finding it and the registry binding it: retry.
        for _ in 0..5 {
            let port = free_port();
            let config = dir.join("config.yml");
            std::fs::write(
                &config,
                format!(
                    "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n{auth}",
                    storage.display()
                ),
            )
            .unwrap();
            let child = Command::new(BINARY)
                .args(["serve"])
                .arg(&config)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(dir.join("registry.log")).unwrap())
                .spawn()
                .unwrap();
            let mut registry = Registry { child: Some(child), port, storage: storage.clone(), dir: dir.clone() };
            if registry.wait_ready() {
                return Some(registry);
            }
            registry.stop();
        }
        panic!("docker-registry did not start; see {}", dir.join("registry.log").display());
    }

    /// `127.0.0.1:PORT`.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Stops the registry (its storage stays until drop).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The file holding the blob `digest` (`sha256:…`) in the registry's storage.
    pub fn blob_file(&self, digest: &str) -> PathBuf {
        let hex = digest.strip_prefix("sha256:").unwrap();
        self.storage.join("docker/registry/v2/blobs/sha256").join(&hex[..2]).join(hex).join("data")
    }

    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(child) = self.child.as_mut() {
                if child.try_wait().unwrap().is_some() {
                    return false; // exited: the port was taken, most likely
                }
            }
            if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let request =
                    format!("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", self.port);
                let mut answer = String::new();
                let answered =
                    stream.write_all(request.as_bytes()).is_ok() && stream.read_to_string(&mut answer).is_ok();
                if answered && (answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.1 401")) {
                    return true;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A port nothing listens on, just now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Files under `dir`, recursively, as paths relative to it (an empty list if it is missing).
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}
