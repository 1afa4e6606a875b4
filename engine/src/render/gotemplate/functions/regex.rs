//! Sprig's regular expressions — `regexMatch`, `regexFind`, `regexFindAll`, `regexReplaceAll`
//! (with `$1`/`${name}` expansion, which Go's and the `regex` crate's syntax share),
//! `regexReplaceAllLiteral`, `regexSplit`, `regexQuoteMeta` and their `must*` twins — on the
//! `regex` crate, whose syntax is Go's RE2, with compiled size bounded.

use regex::{NoExpand, Regex, RegexBuilder};

use super::{Args, Context, FnError, FnResult};
use crate::render::gotemplate::value::Value;

pub(crate) const NAMES: &[&str] = &[
    "regexMatch",
    "mustRegexMatch",
    "regexFind",
    "mustRegexFind",
    "regexFindAll",
    "mustRegexFindAll",
    "regexReplaceAll",
    "mustRegexReplaceAll",
    "regexReplaceAllLiteral",
    "mustRegexReplaceAllLiteral",
    "regexSplit",
    "mustRegexSplit",
    "regexQuoteMeta",
];

/// The compiled size a template's regular expression may reach.
const SIZE_LIMIT: usize = 1 << 20;

fn compile(pattern: &str) -> Result<Regex, FnError> {
    RegexBuilder::new(pattern)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT)
        .build()
        .map_err(|error| FnError::Call(format!("error parsing regexp: {error}")))
}

/// A count argument: negative is "all".
fn limit(count: i64) -> Option<usize> {
    usize::try_from(count).ok()
}

pub(crate) fn call(name: &str, args: Args<'_>, _context: &mut Context<'_>) -> FnResult {
    let name = name.strip_prefix("must").map_or(name.to_owned(), |rest| {
        let mut chars = rest.chars();
        chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
    });
    match name.as_str() {
        "regexMatch" => {
            args.exactly(2)?;
            Ok(Value::bool(compile(args.str(0)?)?.is_match(args.str(1)?)))
        }
        "regexFind" => {
            args.exactly(2)?;
            let found = compile(args.str(0)?)?.find(args.str(1)?).map_or("", |m| m.as_str()).to_owned();
            Ok(Value::string(found))
        }
        "regexFindAll" => {
            args.exactly(3)?;
            let regex = compile(args.str(0)?)?;
            let text = args.str(1)?;
            let found = regex.find_iter(text).map(|m| Value::string(m.as_str()));
            let found: Vec<Value> = match limit(args.int(2)?) {
                Some(n) => found.take(n).collect(),
                None => found.collect(),
            };
            Ok(Value::list(found))
        }
        "regexReplaceAll" => {
            args.exactly(3)?;
            let regex = compile(args.str(0)?)?;
            Ok(Value::string(regex.replace_all(args.str(1)?, args.str(2)?).into_owned()))
        }
        "regexReplaceAllLiteral" => {
            args.exactly(3)?;
            let regex = compile(args.str(0)?)?;
            Ok(Value::string(regex.replace_all(args.str(1)?, NoExpand(args.str(2)?)).into_owned()))
        }
        "regexSplit" => {
            args.exactly(3)?;
            let regex = compile(args.str(0)?)?;
            let text = args.str(1)?;
            let parts: Vec<Value> = match limit(args.int(2)?) {
                Some(0) => Vec::new(),
                Some(n) => regex.splitn(text, n).map(Value::string).collect(),
                None => regex.split(text).map(Value::string).collect(),
            };
            Ok(Value::list(parts))
        }
        "regexQuoteMeta" => {
            args.exactly(1)?;
            Ok(Value::string(regex::escape(args.str(0)?)))
        }
        _ => Err(FnError::Args(format!("function {name:?} not defined"))),
    }
}
