//! Embeds the built-in packs: writes `$OUT_DIR/builtin_packs.rs` with every file under the
//! repository's `policies/` as `(<pack>/<path>, bytes)`, in path order, so that
//! `policy::pack::builtin()` needs no files at run time. Cargo re-runs this when anything under
//! `policies/` changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let policies = manifest_dir.join("../policies");
    println!("cargo:rerun-if-changed={}", policies.display());
    let mut files = Vec::new();
    if policies.is_dir() {
        collect(&policies, &policies, &mut files)?;
    }
    files.sort();
    let mut code = String::from("/// Every file of the built-in packs, as `(<pack>/<path>, content)`.\n");
    code.push_str("static BUILTIN_FILES: &[(&str, &[u8])] = &[\n");
    for (relative, absolute) in &files {
        writeln!(code, "    ({relative:?}, include_bytes!({:?})),", absolute.display().to_string())?;
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("builtin_packs.rs");
    std::fs::write(out, code)?;
    Ok(())
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(root, &path, files)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let relative: Vec<String> =
                relative.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
            files.push((relative.join("/"), path.canonicalize()?));
        }
    }
    Ok(())
}
