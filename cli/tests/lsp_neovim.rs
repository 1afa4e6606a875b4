//! `ward lsp` in a real editor: Neovim 0.7, headless, runs `testdata/lsp/nvim.lua`, which
//! starts the built `ward lsp`, opens a Kubernetes manifest and a Rego rule, and prints the
//! diagnostics and a hover it received. Without `nvim` the test is skipped with a message —
//! except on CI (`CI` set), where a missing Neovim is a failure: `.ci/run` installs it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn neovim_shows_diagnostics_and_hover_from_ward_lsp() {
    if Command::new("nvim").arg("--version").stdout(Stdio::null()).status().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI is set and nvim is missing: install Neovim (see .ci/run)");
        eprintln!("skipped: nvim is not installed (set CI to make this a failure)");
        return;
    }
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/lsp");
    let script = testdata.join("nvim.lua");
    let root = testdata.join("project").canonicalize().unwrap();
    let mut child = Command::new("nvim")
        .args(["--headless", "-n", "-i", "NONE", "-u", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("WARD_BIN", env!("CARGO_BIN_EXE_ward"))
        .env("WARD_ROOT", &root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("nvim did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut output = String::new();
    child.stdout.take().unwrap().read_to_string(&mut output).unwrap();
    insta::assert_snapshot!(output);
}
