//! conftest's parsers: the `input` a conftest policy sees for each format, in the shape
//! conftest's own parser gives it (documented in `schemas/conftest/`), and how conftest picks
//! the parser of a file by its name. ward's own rules keep ward's shapes; these are for conftest
//! policies only, in `ward conftest` and in `ward scan` alike.
//!
//! The INI, Java properties, TOML and XML readers are in [`crate::parse`], below the kinds that
//! read those files for `ward scan` (`toml`, `ini`, `xml`, `properties`): their documents are
//! conftest's shapes, with a source map.
//!
//! A parsed file may hold several inputs: conftest checks each element of a top-level array on
//! its own (the documents of a YAML stream, the instruction list of a Dockerfile), and reports
//! them together under the file's name.

mod dockerfile;
mod dotenv;
mod hcl2;
mod ignore;
mod json;
mod jsonc;
#[cfg(test)]
mod schemas;
mod yaml;

use serde_json::Value;

use crate::document::Span;
use crate::parse::{ini, properties, xml, Limits, ParseError};

/// One of conftest's parsers, by the name `--parser` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Parser {
    /// A Dockerfile as its list of instructions.
    Dockerfile,
    /// An env file as a flat map.
    Dotenv,
    /// HCL1, as hashicorp/hcl v1 decodes it (only when asked: `--parser hcl1`).
    Hcl1,
    /// Terraform and other HCL2, as hcl2json gives it.
    Hcl2,
    /// A `.gitignore` or `.dockerignore` file as its list of entries.
    Ignore,
    /// An INI file as a map of sections.
    Ini,
    /// JSON, one document (or one per line of NDJSON).
    Json,
    /// JSON with comments.
    Jsonc,
    /// Java properties as a flat map.
    Properties,
    /// TOML as its table.
    Toml,
    /// XML as conftest's mapping of elements and attributes.
    Xml,
    /// YAML, one input per document of a stream.
    Yaml,
}

impl Parser {
    /// Every parser, in the order of their names.
    pub const ALL: [Parser; 12] = [
        Parser::Dockerfile,
        Parser::Dotenv,
        Parser::Hcl1,
        Parser::Hcl2,
        Parser::Ignore,
        Parser::Ini,
        Parser::Json,
        Parser::Jsonc,
        Parser::Properties,
        Parser::Toml,
        Parser::Xml,
        Parser::Yaml,
    ];

    /// The name `--parser` takes.
    pub fn name(self) -> &'static str {
        match self {
            Parser::Dockerfile => "dockerfile",
            Parser::Dotenv => "dotenv",
            Parser::Hcl1 => "hcl1",
            Parser::Hcl2 => "hcl2",
            Parser::Ignore => "ignore",
            Parser::Ini => "ini",
            Parser::Json => "json",
            Parser::Jsonc => "jsonc",
            Parser::Properties => "properties",
            Parser::Toml => "toml",
            Parser::Xml => "xml",
            Parser::Yaml => "yaml",
        }
    }

    /// The parser `--parser NAME` names.
    ///
    /// ```
    /// use ward_engine::conftest::Parser;
    /// assert_eq!(Parser::from_name("hcl2"), Some(Parser::Hcl2));
    /// assert_eq!(Parser::from_name("cue"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Parser> {
        Parser::ALL.into_iter().find(|parser| parser.name() == name)
    }

    /// The parser conftest picks for a file by its name: `-` (standard input) and names
    /// without an extension are YAML; `Dockerfile`, `Dockerfile.*` and `*.dockerfile` are
    /// Dockerfiles; `.tf`, `.tfvars` and `.hcl` are HCL2; `.env`, `.env.*` and `*.env` are
    /// dotenv files; otherwise the extension names the parser. `None` for a file conftest does
    /// not read.
    ///
    /// ```
    /// use ward_engine::conftest::Parser;
    /// assert_eq!(Parser::from_path("services/api/Dockerfile.dev"), Some(Parser::Dockerfile));
    /// assert_eq!(Parser::from_path("infra/main.tf"), Some(Parser::Hcl2));
    /// assert_eq!(Parser::from_path("deploy/app.yml"), Some(Parser::Yaml));
    /// assert_eq!(Parser::from_path(".env.production"), Some(Parser::Dotenv));
    /// assert_eq!(Parser::from_path("-"), Some(Parser::Yaml));
    /// assert_eq!(Parser::from_path("notes.txt"), None);
    /// ```
    pub fn from_path(path: &str) -> Option<Parser> {
        if path == "-" {
            return Some(Parser::Yaml);
        }
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_ascii_lowercase();
        let extension = match name.rsplit_once('.') {
            Some((_, extension)) => extension,
            None => "yml",
        };
        if name == "dockerfile" || name.starts_with("dockerfile.") || extension == "dockerfile" {
            return Some(Parser::Dockerfile);
        }
        match extension {
            "yml" | "yaml" => return Some(Parser::Yaml),
            "hcl" | "tf" | "tfvars" => return Some(Parser::Hcl2),
            "ndjson" => return Some(Parser::Json),
            "gitignore" | "dockerignore" => return Some(Parser::Ignore),
            _ => {}
        }
        if name == ".env" || name.starts_with(".env.") || extension == "env" {
            return Some(Parser::Dotenv);
        }
        Parser::from_name(extension)
    }

    /// Why ward cannot read a file conftest's parser `name` reads: conftest's parsers that
    /// ward does not have (each needs a language's own evaluator or a schema ward does not
    /// carry), with what to do instead. `None` for a name that is no conftest parser.
    ///
    /// ```
    /// use ward_engine::conftest::Parser;
    /// assert!(Parser::missing("cue").unwrap().contains("cue export"));
    /// assert_eq!(Parser::missing("yaml"), None);
    /// ```
    pub fn missing(name: &str) -> Option<&'static str> {
        Some(match name {
            "cue" => "CUE needs CUE's evaluator; export the file first (`cue export FILE --out yaml`) and test that",
            "jsonnet" | "libsonnet" => {
                "Jsonnet needs Jsonnet's evaluator; evaluate the file first (`jsonnet FILE`) and test its JSON"
            }
            "hocon" => "HOCON needs its include and substitution rules; render it to JSON first and test that",
            "edn" => "EDN is Clojure's data notation; convert it to JSON first and test that",
            "vcl" => "VCL (Varnish) is not read by ward; test the backends' configuration as JSON or YAML instead",
            "textproto" | "textpb" => {
                "text protocol buffers need their .proto schemas; convert them to JSON first (`protoc --decode`, `txtpbfmt`)"
            }
            "spdx" => "ward reads SPDX as JSON (`*.spdx.json`), not SPDX tag-value; convert with `pyspdxtools` or `spdx-tools`",
            "cyclonedx" => "ward reads CycloneDX as JSON (`--parser json`), not through the CycloneDX libraries",
            _ => return None,
        })
    }

    /// Parses `text` into conftest's shape.
    ///
    /// ```
    /// use ward_engine::conftest::Parser;
    /// let parsed = Parser::Dotenv.parse("A=1\nB=\"x\"\n", &Default::default()).unwrap();
    /// assert_eq!(parsed.value, serde_json::json!({"A": "1", "B": "x"}));
    /// ```
    pub fn parse(self, text: &str, limits: &Limits) -> Result<ConftestParsed, ParseError> {
        check_limits(text, limits)?;
        match self {
            Parser::Dockerfile => dockerfile::parse(text).map(ConftestParsed::whole),
            Parser::Dotenv => dotenv::parse(text, limits).map(ConftestParsed::whole),
            Parser::Hcl1 => {
                crate::parse::hcl1::parse(text, limits.max_depth).map(|parsed| ConftestParsed::whole(parsed.value))
            }
            Parser::Hcl2 => hcl2::parse(text).map(ConftestParsed::whole),
            Parser::Ini => ini::parse(text).map(|parsed| ConftestParsed::whole(parsed.value)),
            Parser::Ignore => Ok(ConftestParsed::whole(ignore::parse(text))),
            Parser::Json => json::parse(text).map(ConftestParsed::whole),
            Parser::Jsonc => jsonc::parse(text).map(ConftestParsed::whole),
            Parser::Properties => properties::parse(text).map(|parsed| ConftestParsed::whole(parsed.value)),
            Parser::Xml => xml::parse(text, limits.max_depth).map(|parsed| ConftestParsed::whole(parsed.value)),
            Parser::Toml => crate::parse::toml::parse(text).map(|parsed| ConftestParsed::whole(parsed.value)),
            Parser::Yaml => yaml::parse(text, limits),
        }
    }
}

/// Refuses a text larger or deeper than the limits before a parser sees it.
fn check_limits(text: &str, limits: &Limits) -> Result<(), ParseError> {
    if text.len() as u64 > limits.max_file_bytes {
        return Err(ParseError::new(format!("larger than {} bytes", limits.max_file_bytes), Span::new(0, 0)));
    }
    crate::parse::check_bracket_depth(text, limits.max_depth)
}

/// A file as conftest's parser reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConftestParsed {
    pub value: Value,
    /// For a YAML stream: the span of each document, in order.
    pub document_spans: Vec<Span>,
}

impl ConftestParsed {
    fn whole(value: Value) -> ConftestParsed {
        ConftestParsed { value, document_spans: Vec::new() }
    }

    /// The inputs conftest checks: each element of a top-level array on its own, else the
    /// value; each with the span it came from (the whole file's start when unknown).
    pub fn inputs(&self) -> Vec<(&Value, Span)> {
        match &self.value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| (item, self.document_spans.get(index).copied().unwrap_or(Span::new(0, 0))))
                .collect(),
            value => vec![(value, Span::new(0, 0))],
        }
    }
}
