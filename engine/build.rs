//! Embeds the built-in packs: writes `$OUT_DIR/builtin_packs.rs` with every file under the
//! repository's `policies/` as `(<pack>/<path>, bytes)`, in path order, so that
//! `policy::pack::builtin()` needs no files at run time; and `$OUT_DIR/builtin_documents.rs`
//! with the YAML of every built-in secret and CEL rule file, Rego `# METADATA` block and params
//! file parsed into JSON (see `policy::builtin_documents`). Cargo re-runs this when anything
//! under `policies/` changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// The engine's own block finder, so that the block parsed here is the one the engine reads.
#[allow(dead_code, unreachable_pub)]
#[path = "src/policy/metadata_block.rs"]
mod metadata_block;

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
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out.join("builtin_packs.rs"), code)?;

    let mut documents = String::from("/// The built-in rule files' YAML, parsed: `(<pack>/<path>, JSON)`.\n");
    documents.push_str("static BUILTIN_DOCUMENTS: &[(&str, &str)] = &[\n");
    for (relative, absolute) in &files {
        if let Some(json) = rule_document(relative, &std::fs::read_to_string(absolute)?) {
            writeln!(documents, "    ({relative:?}, {json:?}),")?;
        }
    }
    documents.push_str("];\n");
    std::fs::write(out.join("builtin_documents.rs"), documents)?;
    Ok(())
}

/// The JSON of a rule file's single YAML document (secret and CEL rules), of a Rego rule's
/// `# METADATA` block, or of a pack's params (`data/*.yaml`); `None` for other files and for
/// what does not parse as one document (the engine then reads the file itself, and says what is
/// wrong with it).
fn rule_document(relative: &str, text: &str) -> Option<String> {
    let dir = relative.split('/').nth(1).unwrap_or_default();
    let yaml = if !["rules", "lib", "data"].contains(&dir) {
        return None;
    } else if (dir == "data" && (relative.ends_with(".yaml") || relative.ends_with(".yml")))
        || [".secret.yaml", ".secret.yml", ".cel.yaml", ".cel.yml"].iter().any(|end| relative.ends_with(end))
    {
        text.to_owned()
    } else if relative.ends_with(".rego") && !relative.ends_with("_test.rego") {
        metadata_block::rule_block(text).ok()?.yaml
    } else {
        return None;
    };
    // The engine's reading of rule files: YAML 1.2's scalars (`parse::yaml::options`).
    let mut options = serde_saphyr::Options::default();
    options.legacy_octal_numbers = false;
    options.strict_booleans = true;
    options.with_snippet = false;
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::AsString;
    let documents: Vec<serde_json::Value> = serde_saphyr::from_multiple_with_options(&yaml, options).ok()?;
    match documents.as_slice() {
        [document] => serde_json::to_string(document).ok(),
        _ => None,
    }
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
