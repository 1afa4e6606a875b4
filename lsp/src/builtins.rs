//! The built-in functions policy authors reach for, in Rego (as regorus implements them) and in
//! CEL (standard CEL with the `strings`, `lists` and `math` extensions ward enables): a name,
//! a signature and one line of documentation each, for completion and hover. A test compiles
//! every Rego entry with the engine, so that the table cannot offer a function that does not
//! exist.

/// One built-in function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    pub name: &'static str,
    pub signature: &'static str,
    pub doc: &'static str,
}

impl Builtin {
    /// Markdown for hover.
    pub fn markdown(&self, language: &str) -> String {
        format!("```{language}\n{}\n```\n\n{}", self.signature, self.doc)
    }
}

const fn b(name: &'static str, signature: &'static str, doc: &'static str) -> Builtin {
    Builtin { name, signature, doc }
}

/// Rego built-ins.
pub const REGO: &[Builtin] = &[
    b(
        "count",
        "count(collection) -> number",
        "The number of elements of an array, set or object, or characters of a string.",
    ),
    b("sum", "sum(collection) -> number", "The sum of the numbers of an array or set."),
    b("max", "max(collection) -> any", "The largest element of an array or set."),
    b("min", "min(collection) -> any", "The smallest element of an array or set."),
    b("sort", "sort(collection) -> array", "The elements of an array or set, sorted."),
    b("concat", "concat(delimiter, collection) -> string", "Joins an array or set of strings with a delimiter."),
    b("contains", "contains(haystack, needle) -> boolean", "Whether a string contains another."),
    b("startswith", "startswith(search, base) -> boolean", "Whether a string starts with another."),
    b("endswith", "endswith(search, base) -> boolean", "Whether a string ends with another."),
    b("lower", "lower(x) -> string", "A string in lower case."),
    b("upper", "upper(x) -> string", "A string in upper case."),
    b("split", "split(x, delimiter) -> array", "Splits a string at each delimiter."),
    b("sprintf", "sprintf(format, values) -> string", "Formats values (`%s`, `%d`, `%v`, `%q`) into a string."),
    b("format_int", "format_int(number, base) -> string", "An integer written in a base (2, 8, 10, 16)."),
    b("indexof", "indexof(haystack, needle) -> number", "The index of the first occurrence of a substring, or -1."),
    b("replace", "replace(x, old, new) -> string", "Replaces every occurrence of a substring."),
    b(
        "substring",
        "substring(value, offset, length) -> string",
        "Part of a string; a negative length runs to the end.",
    ),
    b("trim", "trim(value, cutset) -> string", "Removes leading and trailing characters in a cutset."),
    b("trim_space", "trim_space(value) -> string", "Removes leading and trailing white space."),
    b("trim_prefix", "trim_prefix(value, prefix) -> string", "Removes a prefix, if present."),
    b("trim_suffix", "trim_suffix(value, suffix) -> string", "Removes a suffix, if present."),
    b(
        "strings.replace_n",
        "strings.replace_n(patterns, value) -> string",
        "Replaces each key of an object by its value.",
    ),
    b("regex.match", "regex.match(pattern, value) -> boolean", "Whether a string matches a regular expression."),
    b("regex.split", "regex.split(pattern, value) -> array", "Splits a string at each match of a regular expression."),
    b(
        "regex.find_n",
        "regex.find_n(pattern, value, number) -> array",
        "Up to n matches of a regular expression (-1: all).",
    ),
    b("glob.match", "glob.match(pattern, delimiters, match) -> boolean", "Whether a string matches a glob pattern."),
    b("is_string", "is_string(x) -> boolean", "Whether a value is a string."),
    b("is_number", "is_number(x) -> boolean", "Whether a value is a number."),
    b("is_boolean", "is_boolean(x) -> boolean", "Whether a value is a boolean."),
    b("is_array", "is_array(x) -> boolean", "Whether a value is an array."),
    b("is_object", "is_object(x) -> boolean", "Whether a value is an object."),
    b("is_set", "is_set(x) -> boolean", "Whether a value is a set."),
    b("is_null", "is_null(x) -> boolean", "Whether a value is null."),
    b(
        "type_name",
        "type_name(x) -> string",
        "The type of a value: `string`, `number`, `boolean`, `array`, `object`, `set`, `null`.",
    ),
    b("to_number", "to_number(x) -> number", "A string, boolean or null as a number."),
    b("array.concat", "array.concat(x, y) -> array", "Two arrays, one after the other."),
    b("array.slice", "array.slice(array, start, stop) -> array", "Part of an array."),
    b("array.reverse", "array.reverse(array) -> array", "An array in reverse order."),
    b(
        "object.get",
        "object.get(object, key, default) -> any",
        "The value at a key (or path, as an array), or a default.",
    ),
    b("object.keys", "object.keys(object) -> set", "The keys of an object."),
    b("object.remove", "object.remove(object, keys) -> object", "An object without some keys."),
    b("object.union", "object.union(a, b) -> object", "Two objects merged recursively, `b` winning."),
    b("object.filter", "object.filter(object, keys) -> object", "An object with only some keys."),
    b("union", "union(sets) -> set", "The union of a set of sets."),
    b("intersection", "intersection(sets) -> set", "The intersection of a set of sets."),
    b("json.marshal", "json.marshal(x) -> string", "A value as JSON text."),
    b("json.unmarshal", "json.unmarshal(x) -> any", "JSON text as a value."),
    b("yaml.marshal", "yaml.marshal(x) -> string", "A value as YAML text."),
    b("yaml.unmarshal", "yaml.unmarshal(x) -> any", "YAML text as a value."),
    b("base64.decode", "base64.decode(x) -> string", "Decodes base64 text."),
    b("base64.encode", "base64.encode(x) -> string", "Encodes text as base64."),
    b("semver.compare", "semver.compare(a, b) -> number", "-1, 0 or 1 as SemVer version a is lower, equal or higher."),
    b("semver.is_valid", "semver.is_valid(x) -> boolean", "Whether a value is a SemVer version."),
    b(
        "net.cidr_contains",
        "net.cidr_contains(cidr, cidr_or_ip) -> boolean",
        "Whether a CIDR contains an address or another CIDR.",
    ),
    b("time.now_ns", "time.now_ns() -> number", "The current time, in nanoseconds since the Unix epoch."),
    b(
        "time.parse_rfc3339_ns",
        "time.parse_rfc3339_ns(value) -> number",
        "An RFC 3339 time, in nanoseconds since the Unix epoch.",
    ),
    b("abs", "abs(x) -> number", "The absolute value of a number."),
    b("round", "round(x) -> number", "A number rounded to the nearest integer."),
    b("numbers.range", "numbers.range(a, b) -> array", "The integers from a to b, both included."),
    b("print", "print(...)", "Prints values while testing a policy (`ward test`)."),
];

/// CEL functions and macros.
pub const CEL: &[Builtin] = &[
    b(
        "has",
        "has(e.f) -> bool",
        "Whether a field is present. ward makes `has(a.b.c)` false, not an error, when `a.b` is missing.",
    ),
    b("size", "size(x) -> int", "The length of a string, list or map."),
    b("all", "list.all(x, predicate) -> bool", "Whether the predicate holds for every element (or map key)."),
    b("exists", "list.exists(x, predicate) -> bool", "Whether the predicate holds for some element (or map key)."),
    b("exists_one", "list.exists_one(x, predicate) -> bool", "Whether the predicate holds for exactly one element."),
    b("map", "list.map(x, expression) -> list", "Each element transformed by an expression."),
    b("filter", "list.filter(x, predicate) -> list", "The elements for which the predicate holds."),
    b("contains", "string.contains(substring) -> bool", "Whether a string contains another."),
    b("startsWith", "string.startsWith(prefix) -> bool", "Whether a string starts with another."),
    b("endsWith", "string.endsWith(suffix) -> bool", "Whether a string ends with another."),
    b("matches", "string.matches(regex) -> bool", "Whether a string matches a regular expression (RE2 syntax)."),
    b("int", "int(x) -> int", "A value converted to an integer."),
    b("uint", "uint(x) -> uint", "A value converted to an unsigned integer."),
    b("double", "double(x) -> double", "A value converted to a floating-point number."),
    b("string", "string(x) -> string", "A value converted to a string."),
    b("bool", "bool(x) -> bool", "A string (`true`, `false`) converted to a boolean."),
    b("type", "type(x) -> type", "The type of a value."),
    b("duration", "duration(string) -> google.protobuf.Duration", "A duration such as `1h30m`."),
    b("timestamp", "timestamp(string) -> google.protobuf.Timestamp", "An RFC 3339 timestamp."),
    b("lowerAscii", "string.lowerAscii() -> string", "A string with ASCII letters in lower case (strings extension)."),
    b("upperAscii", "string.upperAscii() -> string", "A string with ASCII letters in upper case (strings extension)."),
    b("split", "string.split(separator) -> list", "Splits a string at each separator (strings extension)."),
    b("join", "list.join(separator) -> string", "Joins a list of strings (strings extension)."),
    b("trim", "string.trim() -> string", "Removes leading and trailing white space (strings extension)."),
    b("replace", "string.replace(old, new) -> string", "Replaces every occurrence of a substring (strings extension)."),
    b("indexOf", "string.indexOf(substring) -> int", "The index of a substring, or -1 (strings extension)."),
    b(
        "lastIndexOf",
        "string.lastIndexOf(substring) -> int",
        "The index of the last occurrence, or -1 (strings extension).",
    ),
    b("substring", "string.substring(start, end) -> string", "Part of a string (strings extension)."),
    b("format", "string.format(list) -> string", "Formats values (`%s`, `%d`) into a string (strings extension)."),
    b("sort", "list.sort() -> list", "A list, sorted (lists extension)."),
    b("distinct", "list.distinct() -> list", "A list without repeated elements (lists extension)."),
    b("flatten", "list.flatten() -> list", "Nested lists, one level flattened (lists extension)."),
    b("lists.range", "lists.range(n) -> list", "The integers 0 to n-1 (lists extension)."),
    b("math.greatest", "math.greatest(a, b, …) -> number", "The largest of its arguments (math extension)."),
    b("math.least", "math.least(a, b, …) -> number", "The smallest of its arguments (math extension)."),
];

/// The built-in named `name` in a table.
pub fn find(table: &'static [Builtin], name: &str) -> Option<&'static Builtin> {
    table.iter().find(|builtin| builtin.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ward_engine::Policies;

    /// Errors regorus reports for a rule calling `call`.
    fn errors_calling(call: &str) -> Vec<String> {
        let module = format!(
            "# METADATA\n# title: t\n# custom:\n#   id: T-1\n#   severity: low\npackage ward.t\n\ndeny contains \"x\" if {{ {call}(1) }}\n"
        );
        let (policies, mut errors) = Policies::compile(&[("t.rego".into(), module)]);
        errors.extend(crate::policy::check_rego(&policies));
        errors.into_iter().map(|error| error.message).collect()
    }

    #[test]
    fn every_rego_builtin_exists_in_the_engine() {
        for builtin in REGO {
            let errors = errors_calling(builtin.name);
            assert!(!errors.iter().any(|e| e.starts_with("unknown function")), "{}: {errors:?}", builtin.name);
        }
    }

    #[test]
    fn an_unknown_function_is_caught_by_that_check() {
        let errors = errors_calling("nosuch.fn");
        assert!(errors.iter().any(|e| e.starts_with("unknown function `nosuch.fn`")), "{errors:?}");
    }
}
