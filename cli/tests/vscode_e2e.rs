//! The VS Code extension (`editors/vscode/`): its unit tests (node's test runner), and the end
//! to end test in a real VS Code — code-server with the packaged `.vsix`, driven by headless
//! Chromium (`editors/vscode/e2e/run.mjs`) over a copy of the sample repository with the
//! `container` pack in it, `ward.path` set to the `ward` this build made. Screenshots of each
//! step are left in `target/tmp/vscode-e2e/screenshots/`.
//!
//! What they need besides Rust: Node and npm, the extension's dependencies (`npm ci` in
//! `editors/vscode`), Chromium (Debian's `chromium`), and code-server
//! (`editors/vscode/e2e/install-code-server.sh`). Without them the tests are skipped with a
//! message — except on CI (`CI` set), where that is a failure: `.ci/run` installs them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Both tests compile the extension into `editors/vscode/out/`: one at a time.
static EXTENSION_BUILD: Mutex<()> = Mutex::new(());

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

fn extension() -> PathBuf {
    repository().join("editors/vscode")
}

fn chromium() -> PathBuf {
    std::env::var_os("WARD_E2E_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Skips the test (returns `false`) when `missing` names something, unless CI is set.
fn available(missing: Option<String>) -> bool {
    let Some(missing) = missing else { return true };
    assert!(std::env::var_os("CI").is_none(), "CI is set and {missing} (see .ci/run)");
    eprintln!("skipped: {missing} (set CI to make this a failure)");
    false
}

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// What the unit tests lack, if anything.
fn missing_for_unit_tests() -> Option<String> {
    if !runs("node", "--version") || !runs("npm", "--version") {
        return Some("node or npm is missing: install Node 20 and npm".into());
    }
    if !extension().join("node_modules/typescript").is_dir() {
        return Some("the extension's dependencies are missing: run `npm ci` in editors/vscode".into());
    }
    None
}

/// A command's output, or a failure with everything it printed.
fn run(command: &mut Command, what: &str) -> Output {
    let output = command.output().unwrap_or_else(|error| panic!("{what}: cannot start: {error}"));
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn the_extensions_unit_tests_pass() {
    if !available(missing_for_unit_tests()) {
        return;
    }
    let _build = EXTENSION_BUILD.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let output = run(Command::new("npm").args(["test", "--silent"]).current_dir(extension()), "npm test");
    let report = String::from_utf8_lossy(&output.stdout);
    // node's test runner: `# pass N` and `# fail 0`; a run of no test is not a pass.
    assert!(report.lines().any(|line| line == "# fail 0"), "{report}");
    let passed = report.lines().find_map(|line| line.strip_prefix("# pass ")).and_then(|n| n.parse::<u32>().ok());
    assert!(passed.is_some_and(|n| n > 0), "no test ran:\n{report}");
}

/// Waits for `child` until `deadline`, killing it then; its standard output.
fn wait(mut child: Child, deadline: Instant, what: &str) -> (bool, String) {
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).ok();
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            let text = reader.join().unwrap();
            panic!("{what} did not finish in time:\n{text}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    (status.success(), reader.join().unwrap())
}

#[test]
fn vscode_shows_wards_findings_completion_hover_and_test_results() {
    let code_server = Command::new("bash")
        .arg(extension().join("e2e/install-code-server.sh"))
        .arg("--print")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .and_then(|text| text.lines().last().map(str::to_owned));
    let missing = missing_for_unit_tests()
        .or_else(|| (!chromium().is_file()).then(|| format!("{} is missing: install Chromium", chromium().display())))
        .or_else(|| {
            code_server
                .is_none()
                .then(|| "code-server is not installed: run editors/vscode/e2e/install-code-server.sh".into())
        });
    if !available(missing) {
        return;
    }
    let started = Instant::now();
    let deadline = started + Duration::from_secs(480);
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vscode-e2e");
    if root.exists() {
        std::fs::remove_dir_all(&root).unwrap();
    }
    // The sample repository, with a pack whose rule the test edits, hovers and tests.
    let workspace = root.join("shop");
    support::copy_dir(&repository().join("testdata/repos/shop"), &workspace);
    support::copy_dir(&repository().join("policies/container"), &workspace.join("policy/container"));
    let vsix = root.join("ward.vsix");
    {
        let _build = EXTENSION_BUILD.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let vsce = extension().join("node_modules/@vscode/vsce/vsce");
        run(
            Command::new("node").arg(vsce).args(["package", "--out"]).arg(&vsix).current_dir(extension()),
            "vsce package",
        );
    }
    let child = Command::new("node")
        .arg(extension().join("e2e/run.mjs"))
        .current_dir(extension())
        .env("WARD_BIN", env!("CARGO_BIN_EXE_ward"))
        .env("WARD_E2E_CODE_SERVER", code_server.unwrap_or_default())
        .env("WARD_E2E_VSIX", &vsix)
        .env("WARD_E2E_WORKSPACE", workspace.canonicalize().unwrap())
        .env("WARD_E2E_RULE", "policy/container/rules/add-instead-of-copy.rego")
        .env("WARD_E2E_RULE_ID", "CTR-008")
        .env("WARD_E2E_ARTIFACTS", root.join("screenshots"))
        .env("WARD_E2E_CHROMIUM", chromium())
        .env("WARD_E2E_TIMEOUT_MS", "420000")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let (passed, output) = wait(child, deadline, "the end-to-end run");
    eprintln!("{output}");
    assert!(passed && output.lines().any(|line| line == "PASS"), "the end-to-end run failed:\n{output}");
    eprintln!("the end-to-end run took {:.0} s", started.elapsed().as_secs_f64());
}
