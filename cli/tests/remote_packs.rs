//! Remote packs end to end, against a real registry (Debian's `docker-registry`, started per
//! test by `support::registry`) and a tiny HTTP server for https archives: push → lock → scan
//! offline with the same findings as the local pack; a moved tag, a corrupted blob, a broken
//! transfer and a registry that is down or refuses the credentials are each refused with exit 2
//! and a message naming what differed, leaving nothing half-written in the cache.

// Test code fails by panicking; the no-panic lints are for the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::registry::{files_under, free_port, Registry};
use support::{copy_dir, repo_root, scratch_copy, ward_in};

/// The fixture project `projects/configured`, with its local `replicas` pack replaced by
/// `source` (plus `extra` lines for that `[[packs]]` entry), in a scratch directory with its own
/// pack cache and Docker config; and the pack built as an archive beside it.
struct Project {
    dir: PathBuf,
    cache: PathBuf,
    docker_config: PathBuf,
    archive: PathBuf,
}

impl Project {
    fn new(name: &str) -> Project {
        let dir = scratch_copy("projects/configured", &format!("remote_packs/{name}/project"));
        let root = dir.parent().unwrap().to_path_buf();
        let cache = root.join("cache");
        let docker_config = root.join("docker");
        let dist = root.join("dist");
        for fresh in [&cache, &docker_config, &dist] {
            if fresh.exists() {
                std::fs::remove_dir_all(fresh).unwrap();
            }
        }
        std::fs::create_dir_all(&docker_config).unwrap();
        // A fresh archive, without a signature left beside it by an earlier run.
        let archive = build_archive(&dir.join("packs/replicas"), &dist);
        Project { dir, cache, docker_config, archive }
    }

    /// `ward` in the project, with its cache and Docker config and no registry token.
    fn ward(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = ward_in(&self.dir);
        command
            .args(args)
            .env("WARD_CACHE_DIR", &self.cache)
            .env("DOCKER_CONFIG", &self.docker_config)
            .env_remove("WARD_REGISTRY_TOKEN")
            .env_remove("WARD_REGISTRY_USERNAME");
        command
    }

    /// Points `ward.toml`'s `replicas` pack at `source`.
    fn use_source(&self, source: &str, extra: &str) {
        let path = self.dir.join("ward.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let replaced = text.replace("path = \"packs/replicas\"", &format!("source = \"{source}\"\n{extra}"));
        assert_ne!(text, replaced);
        std::fs::write(path, replaced).unwrap();
        // The local copy goes: what runs can only come from the source.
        std::fs::remove_dir_all(self.dir.join("packs")).unwrap();
    }

    fn lock_text(&self) -> String {
        std::fs::read_to_string(self.dir.join("ward.lock")).unwrap()
    }

    /// Every file in the cache (`blobs/…`, and `tmp/…` when a write was left behind).
    fn cached(&self) -> Vec<String> {
        files_under(&self.cache)
    }
}

/// `ward pack build DIR --output OUT`; returns the archive's path.
fn build_archive(pack: &Path, out: &Path) -> PathBuf {
    let output = ward_in(&repo_root()).args(["pack", "build"]).arg(pack).arg("--output").arg(out).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let line =
        String::from_utf8_lossy(&output.stdout).lines().find_map(|l| l.strip_prefix("wrote ").map(PathBuf::from));
    line.unwrap()
}

/// What a run printed, with the diagnostics' wrapped lines joined again.
fn text(output: &Output) -> String {
    let printed = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    printed.replace("\n  │ ", " ")
}

fn push(project: &Project, archive: &Path, target: &str) -> Output {
    project.ward(&["pack", "push", archive.to_str().unwrap(), target])
}

fn assert_exit(output: &Output, code: i32, context: &str) {
    assert_eq!(output.status.code(), Some(code), "{context}:\n{}", text(output));
}

/// The findings of a JSON scan, without what names where the pack was read from.
fn findings(output: &Output) -> Vec<serde_json::Value> {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["findings"].as_array().unwrap().clone()
}

/// The same project with the pack as a local directory: the reference for the remote runs.
fn local_findings(name: &str) -> (Option<i32>, Vec<serde_json::Value>) {
    let dir = scratch_copy("projects/configured", &format!("remote_packs/{name}/local"));
    let output = ward_in(&dir).args(["scan", "--format", "json"]).output().unwrap();
    (output.status.code(), findings(&output))
}

#[test]
fn a_pushed_pack_is_locked_and_scanned_offline_with_the_local_packs_findings() {
    let Some(mut registry) = Registry::start("offline") else { return };
    let project = Project::new("offline");
    let target = format!("oci://{}/acme/replicas:1.0.0", registry.address());
    let pushed = push(&project, &project.archive, &target);
    assert_exit(&pushed, 0, "push");
    assert!(text(&pushed).contains("pushed replicas@1.0.0 sha256:"), "{}", text(&pushed));

    // A range resolves against the repository's tags to the highest that matches.
    let newer = format!("oci://{}/acme/replicas:1.0.0-rc.1", registry.address());
    assert_exit(&push(&project, &project.archive, &newer), 0, "push a prerelease tag");
    project.use_source(&format!("oci://{}/acme/replicas:^1.0", registry.address()), "");
    let locked = project.ward(&["lock"]);
    assert_exit(&locked, 0, "lock");
    let lock = project.lock_text();
    assert!(lock.contains(&format!("resolved = \"oci://{}/acme/replicas:1.0.0@sha256:", registry.address())), "{lock}");
    assert!(lock.contains("archive = \"sha256:"), "{lock}");

    registry.stop();
    let scan = project.ward(&["scan", "--format", "json"]);
    let (code, expected) = local_findings("offline");
    assert_eq!(scan.status.code(), code, "{}", text(&scan));
    assert_eq!(findings(&scan), expected, "the remote pack finds what the local one does");

    // `ward rules` and `ward explain` see the remote pack from the cache, offline too.
    let rules = project.ward(&["rules"]);
    assert_exit(&rules, 0, "rules");
    assert!(text(&rules).contains("REPLICAS-001"), "{}", text(&rules));
    let explain = project.ward(&["explain", "REPLICAS-001"]);
    assert_exit(&explain, 0, "explain");

    // An empty cache: the scan says what to run rather than reach the network.
    std::fs::remove_dir_all(&project.cache).unwrap();
    let scan = project.ward(&["scan"]);
    assert_exit(&scan, 2, "scan with an empty cache");
    assert!(text(&scan).contains("run `ward pack fetch`"), "{}", text(&scan));
}

#[test]
fn fetch_fills_the_cache_and_refuses_a_tag_moved_since_locking() {
    let Some(registry) = Registry::start("moved") else { return };
    let project = Project::new("moved");
    let target = format!("oci://{}/acme/replicas:1.0", registry.address());
    assert_exit(&push(&project, &project.archive, &target), 0, "push");
    project.use_source(&target, "");
    assert_exit(&project.ward(&["lock"]), 0, "lock");
    let lock = project.lock_text();

    // CI: a fresh cache, one fetch, then offline scans.
    std::fs::remove_dir_all(&project.cache).unwrap();
    let fetched = project.ward(&["pack", "fetch"]);
    assert_exit(&fetched, 0, "fetch");
    assert!(text(&fetched).contains("fetched replicas@1.0.0"), "{}", text(&fetched));
    assert_exit(&project.ward(&["scan"]), 1, "scan from the fetched cache");

    // The tag now names other content (a rule changed, same version).
    let changed = project.dir.parent().unwrap().join("changed");
    copy_dir(&repo_root().join("testdata/projects/configured/packs/replicas"), &changed);
    let rule = changed.join("rules/replicas.cel.yaml");
    let original = std::fs::read_to_string(&rule).unwrap();
    std::fs::write(&rule, original.replace("severity: high", "severity: low")).unwrap();
    let archive = build_archive(&changed, &project.dir.parent().unwrap().join("dist-changed"));
    assert_exit(&push(&project, &archive, &target), 0, "re-push the tag");

    std::fs::remove_dir_all(&project.cache).unwrap();
    let refused = project.ward(&["pack", "fetch"]);
    assert_exit(&refused, 2, "fetch of a moved tag");
    let message = text(&refused);
    let locked_manifest = lock.split("@sha256:").nth(1).unwrap().split('"').next().unwrap();
    assert!(message.contains(&target), "names the source: {message}");
    assert!(message.contains(&format!("expected sha256:{locked_manifest}")), "names the locked digest: {message}");
    assert!(message.contains("actual sha256:"), "names the actual digest: {message}");
    assert!(project.cached().iter().all(|file| !file.starts_with("tmp/")), "{:?}", project.cached());
    assert_eq!(project.ward(&["scan"]).status.code(), Some(2), "the moved pack is not in the cache: refused");
}

#[test]
fn htpasswd_credentials_are_used_and_a_wrong_password_is_refused_without_printing_it() {
    let Some(registry) = Registry::start_with_password("auth", "ci", "right-horse") else { return };
    let project = Project::new("auth");
    let target = format!("oci://{}/acme/replicas:1.0.0", registry.address());

    let anonymous = push(&project, &project.archive, &target);
    assert_exit(&anonymous, 2, "push without credentials");
    assert!(text(&anonymous).contains(&format!("registry {}", registry.address())), "{}", text(&anonymous));
    assert!(text(&anonymous).contains("HTTP 401"), "{}", text(&anonymous));

    let docker_login = |password: &str| {
        let auth = data_encoding_base64(&format!("ci:{password}"));
        let config = format!("{{\"auths\":{{\"{}\":{{\"auth\":\"{auth}\"}}}}}}", registry.address());
        std::fs::write(project.docker_config.join("config.json"), config).unwrap();
    };
    docker_login("wrong-horse");
    let wrong = push(&project, &project.archive, &target);
    assert_exit(&wrong, 2, "push with a wrong password");
    assert!(text(&wrong).contains("HTTP 401") && text(&wrong).contains("Docker credential file"), "{}", text(&wrong));
    assert!(!text(&wrong).contains("wrong-horse"), "never prints the credential: {}", text(&wrong));

    docker_login("right-horse");
    assert_exit(&push(&project, &project.archive, &target), 0, "push with the right password");
    project.use_source(&target, "");
    assert_exit(&project.ward(&["lock"]), 0, "lock with the right password");

    docker_login("wrong-horse");
    std::fs::remove_dir_all(&project.cache).unwrap();
    let fetch = project.ward(&["pack", "fetch"]);
    assert_exit(&fetch, 2, "fetch with a wrong password");
    assert!(text(&fetch).contains("HTTP 401"), "{}", text(&fetch));
    assert!(project.cached().is_empty() || project.cached().iter().all(|f| !f.starts_with("tmp/")));
}

#[test]
fn a_corrupted_or_truncated_blob_in_the_registry_is_refused_and_nothing_is_cached() {
    let Some(registry) = Registry::start("corrupt") else { return };
    let project = Project::new("corrupt");
    let target = format!("oci://{}/acme/replicas:1.0.0", registry.address());
    assert_exit(&push(&project, &project.archive, &target), 0, "push");
    project.use_source(&target, "");
    let archive_digest = sha256_file(&project.archive);
    let blob = registry.blob_file(&archive_digest);
    let original = std::fs::read(&blob).unwrap();

    // Same length, one byte changed.
    let mut corrupted = original.clone();
    corrupted[original.len() / 2] ^= 0xff;
    std::fs::write(&blob, &corrupted).unwrap();
    let refused = project.ward(&["lock"]);
    assert_exit(&refused, 2, "lock of a corrupted blob");
    let message = text(&refused);
    assert!(message.contains(&target), "{message}");
    assert!(message.contains(&format!("expected {archive_digest}")) && message.contains("actual sha256:"), "{message}");
    assert!(project.cached().is_empty(), "nothing kept: {:?}", project.cached());
    assert!(!project.dir.join("ward.lock").exists(), "no lock written");

    // Half the bytes, as when a transfer breaks off.
    std::fs::write(&blob, &original[..original.len() / 2]).unwrap();
    let broken = project.ward(&["lock"]);
    assert_exit(&broken, 2, "lock of a truncated blob");
    assert!(text(&broken).contains(&target), "{}", text(&broken));
    assert!(project.cached().is_empty(), "nothing kept: {:?}", project.cached());

    std::fs::write(&blob, &original).unwrap();
    assert_exit(&project.ward(&["lock"]), 0, "lock once the blob is whole again");
    assert!(project.cached().contains(&format!("blobs/sha256/{}", &archive_digest[7..])), "{:?}", project.cached());
}

#[test]
fn a_registry_that_is_down_is_named_and_plain_http_is_for_this_machine_only() {
    let project = Project::new("down");
    let port = free_port();
    let target = format!("oci://127.0.0.1:{port}/acme/replicas:1.0.0");
    let down = push(&project, &project.archive, &target);
    assert_exit(&down, 2, "push to a registry that is down");
    assert!(text(&down).contains(&format!("registry 127.0.0.1:{port}: cannot connect")), "{}", text(&down));

    project.use_source(&target, "");
    let lock = project.ward(&["lock"]);
    assert_exit(&lock, 2, "lock against a registry that is down");
    assert!(text(&lock).contains(&format!("registry 127.0.0.1:{port}")), "{}", text(&lock));
    assert!(text(&lock).contains("ward.toml:"), "at its line in ward.toml: {}", text(&lock));

    let scan = project.ward(&["scan"]);
    assert_exit(&scan, 2, "scan of an unlocked remote pack");
    assert!(text(&scan).contains("is not pinned in ward.lock; run `ward lock`"), "{}", text(&scan));

    // Another host is reached over https only; plain http to it needs --insecure.
    let url = "http://packs.ward-test.invalid/replicas-1.0.0.tar.gz";
    let project = Project::new("insecure");
    project.use_source(url, &format!("sha256 = \"{}\"", &sha256_file(&project.archive)[7..]));
    let refused = project.ward(&["lock"]);
    assert_exit(&refused, 2, "plain http to another host");
    assert!(text(&refused).contains("plain HTTP is only used for localhost and 127.0.0.1"), "{}", text(&refused));
    let remote = "oci://registry.ward-test.invalid/acme/replicas:1.0.0";
    let https = push(&project, &project.archive, remote);
    assert_exit(&https, 2, "push to an unresolvable host");
    assert!(text(&https).contains("https://registry.ward-test.invalid/"), "https, not http: {}", text(&https));
}

#[test]
fn an_https_archive_is_pinned_by_its_sha256_and_a_broken_transfer_leaves_the_cache_clean() {
    let project = Project::new("https");
    let bytes = std::fs::read(&project.archive).unwrap();
    let digest = sha256_file(&project.archive);
    let server = serve(vec![
        ("/packs/replicas-1.0.0.tar.gz", bytes.clone(), false),
        ("/packs/broken.tar.gz", bytes.clone(), true),
    ]);
    let url = format!("http://{server}/packs/replicas-1.0.0.tar.gz");
    project.use_source(&url, &format!("sha256 = \"{}\"", &digest[7..]));
    let locked = project.ward(&["lock"]);
    assert_exit(&locked, 0, "lock an https archive");
    assert!(project.lock_text().contains(&format!("archive = \"{digest}\"")), "{}", project.lock_text());
    let (code, expected) = local_findings("https");
    let scan = project.ward(&["scan", "--format", "json"]);
    assert_eq!(scan.status.code(), code, "{}", text(&scan));
    assert_eq!(findings(&scan), expected);

    // A sha256 that is not the archive's: the scan refuses the stale lock, and the lock refuses
    // the archive.
    let wrong = format!("sha256:{}", "0".repeat(64));
    let toml = std::fs::read_to_string(project.dir.join("ward.toml")).unwrap();
    std::fs::write(project.dir.join("ward.toml"), toml.replace(&digest[7..], &wrong[7..])).unwrap();
    let stale = project.ward(&["scan"]);
    assert_exit(&stale, 2, "scan with a sha256 changed since locking");
    assert!(text(&stale).contains(&format!("ward.toml pins sha256 {wrong}, ward.lock {digest}")), "{}", text(&stale));
    std::fs::remove_dir_all(&project.cache).unwrap();
    let refused = project.ward(&["lock"]);
    assert_exit(&refused, 2, "lock with the wrong sha256");
    assert!(text(&refused).contains(&format!("expected {wrong}, actual {digest}")), "{}", text(&refused));
    assert!(project.cached().iter().all(|file| !file.starts_with("blobs/")), "{:?}", project.cached());

    // The server closes the connection halfway through the body.
    let broken = format!("http://{server}/packs/broken.tar.gz");
    std::fs::write(project.dir.join("ward.toml"), toml.replace(&url, &broken)).unwrap();
    let interrupted = project.ward(&["lock"]);
    assert_exit(&interrupted, 2, "lock through a broken transfer");
    assert!(
        text(&interrupted).contains("broke off") || text(&interrupted).contains("ended after"),
        "{}",
        text(&interrupted)
    );
    assert!(project.cached().iter().all(|file| !file.starts_with("blobs/sha256/") && !file.starts_with("tmp/")));
}

#[test]
fn a_remote_packs_signature_is_checked_against_the_trusted_keys() {
    let Some(registry) = Registry::start("signed") else { return };
    let project = Project::new("signed");
    let keys = project.dir.join("keys");
    std::fs::create_dir_all(&keys).unwrap();
    for name in ["team", "stranger"] {
        let prefix = keys.join(name);
        assert_exit(&project.ward(&["pack", "keygen", "--output", prefix.to_str().unwrap()]), 0, "keygen");
    }
    let toml = std::fs::read_to_string(project.dir.join("ward.toml")).unwrap();
    let toml = format!("require_signatures = true\ntrusted_keys = [\"keys/team.pub\"]\n{toml}");
    std::fs::write(project.dir.join("ward.toml"), toml).unwrap();
    let archive = project.archive.to_str().unwrap();
    let sign = |key: &str| {
        project.ward(&["pack", "sign", archive, "--key", keys.join(format!("{key}.key")).to_str().unwrap()])
    };

    // Unsigned: refused when signatures are required.
    let unsigned = format!("oci://{}/acme/replicas:unsigned", registry.address());
    assert_exit(&push(&project, &project.archive, &unsigned), 0, "push unsigned");
    // Signed by the team: the signature travels as a second layer and is checked on lock and scan.
    assert_exit(&sign("team"), 0, "sign");
    let signed = format!("oci://{}/acme/replicas:signed", registry.address());
    let pushed = push(&project, &project.archive, &signed);
    assert_exit(&pushed, 0, "push signed");
    assert!(text(&pushed).contains("(signed)"), "{}", text(&pushed));
    // Signed by a key nobody trusts.
    assert_exit(&sign("stranger"), 0, "sign");
    let stranger = format!("oci://{}/acme/replicas:stranger", registry.address());
    assert_exit(&push(&project, &project.archive, &stranger), 0, "push signed by a stranger");

    project.use_source(&unsigned, "");
    let refused = project.ward(&["lock"]);
    assert_exit(&refused, 2, "lock of an unsigned pack");
    assert!(text(&refused).contains("is not signed, and ward.toml requires signatures"), "{}", text(&refused));

    let toml = std::fs::read_to_string(project.dir.join("ward.toml")).unwrap();
    std::fs::write(project.dir.join("ward.toml"), toml.replace(&unsigned, &stranger)).unwrap();
    let refused = project.ward(&["lock"]);
    assert_exit(&refused, 2, "lock of a pack signed by an untrusted key");
    assert!(text(&refused).contains("which is not trusted"), "{}", text(&refused));

    std::fs::write(project.dir.join("ward.toml"), toml.replace(&unsigned, &signed)).unwrap();
    assert_exit(&project.ward(&["lock"]), 0, "lock of a pack signed by the team");
    assert!(project.lock_text().contains("signature = \"sha256:"), "{}", project.lock_text());
    assert_exit(&project.ward(&["scan"]), 1, "scan of the signed pack, from the cache");
}

/// Serves `files` (path, bytes, break off halfway) over HTTP/1.1 on 127.0.0.1 from a thread;
/// anything else is a 404. Returns `127.0.0.1:PORT`.
fn serve(files: Vec<(&'static str, Vec<u8>, bool)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or_default().to_owned();
            match files.iter().find(|(served, _, _)| *served == path) {
                Some((_, bytes, broken)) => {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: application/gzip\r\nConnection: close\r\n\r\n",
                        bytes.len()
                    );
                    let body = if *broken { &bytes[..bytes.len() / 2] } else { &bytes[..] };
                    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body));
                }
                None => {
                    let _ =
                        stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                }
            }
        }
    });
    address
}

fn sha256_file(path: &Path) -> String {
    ward_engine::sha256_of(&std::fs::read(path).unwrap())
}

/// Standard base64, as Docker writes `auth` in its config file.
fn data_encoding_base64(text: &str) -> String {
    data_encoding::BASE64.encode(text.as_bytes())
}
