//! Links `ward` as a position-dependent executable on Linux with glibc. A position-independent
//! one has every pointer in its static data (vtables, Unicode tables, the policy engines'
//! built-in tables: 1.7 MB) relocated at each start, and each of those pages copied on write:
//! 3.3 ms of a 5.5 ms `ward --version`, and a pre-commit hook runs ward on every commit. Go's
//! default build, and so gitleaks and Trivy, is position-dependent too; shared libraries and the
//! stack are still placed at random.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
