//! Finding a Rego rule's `# METADATA` block: the comment lines after the marker, as YAML, and
//! which block is the rule's. Plain text work with no dependency on the rest of the engine, so
//! that the build script (which pre-parses the built-in packs' metadata, see
//! [`builtin_documents`](super::builtin_documents)) includes this very file and finds the same
//! block the engine finds at run time.

/// A `# METADATA` block: its YAML, and for each YAML line the Rego line and comment-prefix width.
pub(crate) struct Block {
    /// 1-based line of the `# METADATA` marker.
    pub(crate) marker_line: u32,
    pub(crate) yaml: String,
    /// `(rego line, prefix width)` for each line of `yaml`.
    pub(crate) origins: Vec<(u32, u32)>,
}

/// The block that documents a one-rule Rego file: the last block before its `package` line
/// (or, with no package line yet, the first block); `Err` with the package line (if any) when
/// there is none.
pub(crate) fn rule_block(text: &str) -> Result<Block, Option<u32>> {
    let mut blocks = blocks(text);
    let package_line = text
        .lines()
        .position(|line| line.trim_start().starts_with("package "))
        .map(|index| u32::try_from(index + 1).unwrap_or(u32::MAX));
    let index = match package_line {
        Some(package) => blocks.iter().rposition(|block| block.marker_line < package),
        None => (!blocks.is_empty()).then_some(0),
    };
    match index {
        Some(index) if index < blocks.len() => Ok(blocks.swap_remove(index)),
        _ => Err(package_line),
    }
}

/// Every `# METADATA` block: the marker line and the comment lines right after it.
fn blocks(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut current: Option<Block> = None;
    for (index, line) in text.lines().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let trimmed = line.trim_start();
        if trimmed.trim_end() == "# METADATA" {
            blocks.extend(current.take());
            current = Some(Block { marker_line: number, yaml: String::new(), origins: Vec::new() });
            continue;
        }
        match (current.as_mut(), trimmed.strip_prefix('#')) {
            (Some(block), Some(comment)) => {
                let content = comment.strip_prefix(' ').unwrap_or(comment);
                let prefix = line.len() - content.len();
                block.yaml.push_str(content);
                block.yaml.push('\n');
                block.origins.push((number, u32::try_from(prefix).unwrap_or(0)));
            }
            (Some(_), None) => blocks.extend(current.take()),
            (None, _) => {}
        }
    }
    blocks.extend(current);
    blocks
}
