//! Database migrations, by their path: SQL (Flyway, golang-migrate, goose, dbmate…), Alembic,
//! Django and Rails. One resource per file (`migration:<path>`); conftest does not read them.

use super::{ConftestInput, DetectedBy, Detection, DocumentKind, FilePath, KindSpec, Resources};
use crate::document::Parsed;
use crate::parse::code::SourceLanguage;
use crate::parse::{self, Limits, ParseError};

pub(super) static SPEC: KindSpec = KindSpec {
    noun: Some("migration"),
    detect,
    claim: None,
    parse,
    resources: Resources::WholeFile { id_prefix: "migration", resource_type: "migration" },
    conftest_input: ConftestInput::Nothing,
    comment_marker: |path| match is_sql(path) {
        true => Some("--"),
        false => SourceLanguage::of(path).line_comment(),
    },
    highlight: |path| match is_sql(path) {
        true => "sql",
        false => parse::code::highlight_language(path),
    },
    schema: include_str!("../../../schemas/migration.schema.json"),
    resource_schema: "",
    images: None,
    workload: None,
};

fn is_sql(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".sql")
}

/// Flyway's `V1__name.sql` (also `U`ndo and `R`epeatable) anywhere; any `.sql` under a
/// directory named for migrations (`migrations/`, `db/migrate/`); Rails'
/// `db/migrate/<timestamp>_name.rb`; Alembic's `versions/*.py` under an `alembic` or migrations
/// directory; Django's `migrations/0001_name.py`.
fn detect(file: &FilePath) -> Option<Detection> {
    let name = file.name.as_str();
    let (is_rb, is_py) = (name.ends_with(".rb"), name.ends_with(".py") && name != "__init__.py");
    let sql_stem = name.strip_suffix(".sql");
    if sql_stem.is_none() && !is_rb && !is_py {
        return None;
    }
    let at = |by| Some(Detection::of(DocumentKind::Migration, by));
    if sql_stem.is_some_and(is_flyway_name) {
        return at(DetectedBy::Name);
    }
    let dirs: Vec<String> = file.dirs().map(str::to_ascii_lowercase).collect();
    let parent = dirs.first().map_or("", String::as_str);
    let under_migrations = dirs.iter().any(|dir| dir.contains("migrat"));
    let numbered = name.split('_').next().is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let migration = if sql_stem.is_some() {
        under_migrations
    } else if is_rb {
        parent.contains("migrat") && numbered
    } else {
        let alembic =
            parent == "versions" && dirs.iter().skip(1).any(|dir| dir.contains("alembic") || dir.contains("migrat"));
        let django = parent == "migrations" && numbered;
        alembic || django
    };
    if migration {
        at(DetectedBy::Location)
    } else {
        None
    }
}

/// `v1__init`, `v2_1__add_index`, `u3__undo`, `r__views` (lower-cased, without `.sql`).
fn is_flyway_name(stem: &str) -> bool {
    let Some((version, description)) = stem.split_once("__") else { return false };
    let mut chars = version.chars();
    match chars.next() {
        Some('r') => version.len() == 1 && !description.is_empty(),
        Some('v' | 'u') => {
            let rest = chars.as_str();
            !rest.is_empty()
                && rest.starts_with(|c: char| c.is_ascii_digit())
                && rest.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '_')
                && !description.is_empty()
        }
        _ => false,
    }
}

fn parse(path: &str, text: &str, limits: &Limits) -> Result<Parsed, ParseError> {
    parse::migration::parse(path, text, limits)
}
