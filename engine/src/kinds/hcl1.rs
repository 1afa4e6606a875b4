//! HCL1 files: the configuration of HashiCorp's agents (Vault, Consul, Nomad) and other `.hcl`
//! files written in the first HashiCorp Configuration Language. The document is the file as
//! conftest's `hcl1` parser gives it (hashicorp/hcl v1 decoding: blocks are lists of maps keyed
//! by their labels, see [`crate::parse::hcl1`]); one resource per file (`hcl1:<path>`).
//!
//! The `.hcl` files of HCL2 tools are left to them: Packer templates (`*.pkr.hcl`), Terragrunt
//! (`terragrunt.hcl`) and Terraform's lock file (`.terraform.lock.hcl`). conftest itself picks
//! its HCL2 parser for every `.hcl` file unless told `--parser hcl1`, so conftest policies in
//! `ward scan` see a `.hcl` file in HCL2's shape, as `conftest test` shows it to them; ward's
//! rules that ask for `hcl1` see this document.

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::Parsed;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    // Not named in the note on files ward does not read: a `.hcl` file is either this kind or
    // one of the HCL2 tools' files, which that note is about.
    noun: None,
    detect,
    claim: None,
    parse,
    resources: Resources::WholeFile { id_prefix: "hcl1", resource_type: "hcl1" },
    conftest_input: ConftestInput::Whole,
    comment_marker: |_| Some("#"),
    highlight: |_| "hcl",
    schema: include_str!("../../../schemas/hcl1.schema.json"),
    resource_schema: "",
    images: None,
    workload: None,
};

/// `.hcl` files that belong to HCL2 tools.
const HCL2_FILES: [&str; 3] = [".pkr.hcl", "terragrunt.hcl", ".terraform.lock.hcl"];

fn detect(file: &FilePath) -> Option<Detection> {
    let hcl1 = file.extension() == "hcl" && !HCL2_FILES.iter().any(|suffix| file.name.ends_with(suffix));
    hcl1.then(|| Detection::of(DocumentKind::Hcl1, DetectedBy::Extension))
}

fn parse(_path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::check_bracket_depth(text, limits.max_depth)?;
    parse::hcl1::parse(text, limits.max_depth)
}
