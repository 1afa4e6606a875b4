//! What Helm adds: the methods of `.Files` (`Get`, `GetBytes`, `Glob`, `Lines`, `AsConfig`,
//! `AsSecrets`) and of `.Capabilities.APIVersions` (`Has`), and the functions that would reach
//! a cluster or the network, which render as they do offline (`helm template`): `lookup` is an
//! empty map, `getHostByName` an empty string. (`include`, `tpl`, `required`, `toYaml` and the
//! other Helm functions live with their themes.)

use std::collections::BTreeMap;

use data_encoding::BASE64;

use super::convert::to_yaml_text;
use super::{wrong_type, Args, Context, FnError, FnResult};
use crate::render::gotemplate::value::{Kind, Value};

pub(crate) const NAMES: &[&str] = &["lookup", "getHostByName"];

pub(crate) fn call(name: &str, args: Args<'_>, _context: &mut Context<'_>) -> FnResult {
    match name {
        "lookup" => {
            args.exactly(4)?;
            Ok(Value::map(BTreeMap::new()))
        }
        _ => {
            args.exactly(1)?;
            Ok(Value::string(""))
        }
    }
}

/// Calls method `name` of a `.Files` or `.Capabilities.APIVersions` value.
pub(crate) fn method(receiver: &Value, name: &str, args: &[Value]) -> Result<Value, FnError> {
    let args = Args { name, args: args.to_vec() };
    match (&receiver.kind, name) {
        (Kind::Files(files), "Get" | "GetBytes") => {
            args.exactly(1)?;
            Ok(Value::string(files.get(args.str(0)?).map_or("", String::as_str)))
        }
        (Kind::Files(files), "Lines") => {
            args.exactly(1)?;
            let Some(text) = files.get(args.str(0)?) else { return Ok(Value::list(Vec::new())) };
            let text = text.strip_suffix('\n').unwrap_or(text);
            Ok(Value::list(text.split('\n').map(Value::string).collect()))
        }
        (Kind::Files(files), "Glob") => {
            args.exactly(1)?;
            let pattern = args.str(0)?;
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|error| FnError::Call(format!("bad glob pattern {pattern:?}: {error}")))?
                .compile_matcher();
            Ok(Value::files(
                files
                    .iter()
                    .filter(|(path, _)| glob.is_match(path.as_str()))
                    .map(|(p, t)| (p.clone(), t.clone()))
                    .collect(),
            ))
        }
        (Kind::Files(files), "AsConfig" | "AsSecrets") => {
            args.exactly(0)?;
            let secrets = name == "AsSecrets";
            let members: BTreeMap<String, Value> = files
                .iter()
                .map(|(path, text)| {
                    let base = path.rsplit('/').next().unwrap_or(path).to_owned();
                    let text = if secrets { BASE64.encode(text.as_bytes()) } else { text.clone() };
                    (base, Value::string(text))
                })
                .collect();
            // No files is `{}`: Helm's `toYAML` of an empty map.
            Ok(Value::string(to_yaml_text(&Value::map(members))))
        }
        (Kind::ApiVersions(versions), "Has") => {
            args.exactly(1)?;
            let wanted = args.get(0)?;
            let Kind::Str(wanted) = &wanted.kind else { return Err(wrong_type("string", wanted)) };
            Ok(Value::bool(versions.iter().any(|version| *version == wanted.text)))
        }
        _ => Err(FnError::Args(format!("can't evaluate field {name} in type {}", receiver.type_name()))),
    }
}
