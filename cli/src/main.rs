//! `ward`: the command line. Parses arguments, calls the engine, prints, and maps outcomes to
//! exit codes in one place (DESIGN §5): 0 nothing to report, 1 findings, 2 the run cannot be
//! trusted.

mod commands;
mod output;
mod progress;
mod render;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// What a command concluded, mapped to the process exit code by [`Outcome::exit_code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done, nothing at or above the threshold.
    Clean,
    /// Done, with findings.
    Findings,
    /// Some input or configuration could not be used: the result cannot be trusted.
    Untrusted,
}

impl Outcome {
    fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Clean => ExitCode::from(0),
            Outcome::Findings => ExitCode::from(1),
            Outcome::Untrusted => ExitCode::from(2),
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "ward",
    version,
    about = "Policy-as-code over Terraform, Dockerfiles, Kubernetes, Compose, workflows and env files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the document graph of PATHs as JSON: documents, resources (with lines) and edges.
    Parse(commands::parse::ParseArgs),
    /// Evaluate policies over PATHs and report findings at their lines.
    Scan(commands::scan::ScanArgs),
    /// conftest's commands, flags, outputs and exit codes: `ward conftest test|verify|parse`.
    Conftest(commands::conftest::ConftestArgs),
    /// Render a JSON report saved by `ward scan --format json` again, in any format.
    Report(commands::report::ReportArgs),
    /// List the rules a scan would run: id, severity, kinds, pack and title.
    Rules(commands::rules::RulesArgs),
    /// Show a rule's documentation, with a failing and a passing example.
    Explain(commands::explain::ExplainArgs),
    /// Run packs' tests: each rule's failing and passing fixtures, and Rego `test_` rules.
    Test(commands::test::TestArgs),
    /// Write a commented starter ward.toml here.
    Init(commands::init::InitArgs),
    /// Pin the packs ward.toml names (version and digest) in ward.lock.
    Lock(commands::lock::LockArgs),
    /// Build, sign and verify pack archives: `ward pack build|keygen|sign|verify`.
    Pack(commands::pack::PackArgs),
    /// Record today's findings so that only new ones fail: `ward baseline create`.
    Baseline(commands::baseline::BaselineArgs),
    /// Install the git pre-commit hook: `ward hook install`.
    Hook(commands::hook::HookArgs),
    /// Run the language server over stdio: diagnostics, completion, hover for policies and configs.
    Lsp(commands::lsp::LspArgs),
    /// Print a shell completion script: `ward completions bash|zsh|fish|elvish|powershell`.
    Completions(commands::completions::CompletionsArgs),
    /// Print the manual page (roff), or write one per command with `--dir DIR`.
    Man(commands::man::ManArgs),
}

/// Turns off the backtraces that errors capture (`anyhow`'s, `std::backtrace`), unless
/// `RUST_LIB_BACKTRACE` asks for them; a panic's backtrace still follows `RUST_BACKTRACE`.
/// regorus's parser reports every alternative it tries and drops as an `anyhow` error: with
/// `RUST_BACKTRACE=1` in the environment (common on CI machines and developer shells) each one
/// walked the stack, a third of the instructions of a one-file scan.
fn quiet_library_backtraces() {
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        // Called first thing in `main`, before any thread exists.
        std::env::set_var("RUST_LIB_BACKTRACE", "0");
    }
}

fn main() -> ExitCode {
    quiet_library_backtraces();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => commands::parse::run(&args),
        Command::Scan(args) => commands::scan::run(&args),
        Command::Conftest(args) => commands::conftest::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Rules(args) => commands::rules::run(&args),
        Command::Explain(args) => commands::explain::run(&args),
        Command::Test(args) => commands::test::run(&args),
        Command::Init(args) => commands::init::run(&args),
        Command::Lock(args) => commands::lock::run(&args),
        Command::Pack(args) => commands::pack::run(&args),
        Command::Baseline(args) => commands::baseline::run(&args),
        Command::Hook(args) => commands::hook::run(&args),
        Command::Lsp(args) => commands::lsp::run(&args),
        Command::Completions(args) => commands::completions::run(&args, Cli::command()),
        Command::Man(args) => commands::man::run(&args, Cli::command()),
    };
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(error) => {
            eprintln!("error: {error:#}");
            Outcome::Untrusted.exit_code()
        }
    }
}
