//! A generated corpus for the secret scanner's benchmarks: what a repository holds besides its
//! configuration — source code, YAML, JSON, lockfiles, minified JavaScript — with the keywords
//! the rules look for (`token`, `secret`, `password`, `key`), and a few genuine-looking secrets
//! (made at run time) among them. Deterministic.
//!
//! Two densities of keywords. [`Density::Typical`] is about twice what real code has: measured
//! here, 355 keyword hits per MB and 1.1% of lines in the 188 MB of Rust crates of the cargo
//! registry, 483 per MB and 1.3% of lines in Debian's Python packages; the typical corpus has
//! about 1,000 per MB on 3% of lines. [`Density::Dense`] puts a keyword on a third of all
//! lines (12,000 per MB): the worst case, where nearly every line runs a rule's regex.

use ward_engine::testing::token;

/// How many lines hold a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Density {
    Typical,
    Dense,
}

impl Density {
    /// Whether the `n`th block of a file holds its keywords: every block when dense, one in
    /// `every` when typical.
    fn keywords_in(self, n: usize, every: usize) -> bool {
        self == Density::Dense || n % every == 0
    }
}

/// Files of about `total_bytes` in all, as `(path, text)`.
pub(crate) fn secret_corpus(total_bytes: usize, density: Density) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < total_bytes {
        let (path, text) = match i % 6 {
            0 => (format!("src/module_{i}.py"), python(i, density)),
            1 => (format!("web/src/component_{i}.ts"), typescript(i, density)),
            2 => (format!("config/service_{i}.yaml"), yaml(i, density)),
            3 => (format!("data/fixture_{i}.json"), json(i, density)),
            4 => (format!("web/lock_{i}/package-lock.json"), lockfile(i)),
            _ => (format!("web/dist/bundle_{i}.min.js"), minified(i, density)),
        };
        size += text.len();
        files.push((path, text));
        i += 1;
    }
    files
}

fn python(i: usize, density: Density) -> String {
    let mut text = String::from("import os\nimport requests\n\n");
    for n in 0..120 {
        if !density.keywords_in(n, 12) {
            text.push_str(&format!(
                "def handler_{n}(request, record_id=None):\n    \"\"\"Return the user's record {n}, from the cache when it is fresh.\"\"\"\n    cached = cache.get(f\"record:{{record_id}}\")\n    if cached is not None and not cached.expired:\n        return cached.value\n    return requests.get(f\"https://api.internal/records/{{request.id}}\", timeout=10).json()\n\n"
            ));
            continue;
        }
        text.push_str(&format!(
            "def handler_{n}(request, token=None):\n    \"\"\"Validate the session token and return the user's record {n}.\"\"\"\n    secret = os.environ.get(\"APP_SECRET_{n}\")\n    if not token or token != request.headers.get(\"X-Token\"):\n        raise PermissionError(\"bad token for record {n}\")\n    return requests.get(f\"https://api.internal/records/{{request.id}}\", timeout=10).json()\n\n"
        ));
        if n == 60 && i % 50 == 0 {
            text.push_str(&format!("GITHUB_TOKEN = \"{}\"\n", token("github:ghp", &i.to_string()).unwrap_or_default()));
        }
    }
    text
}

fn typescript(i: usize, density: Density) -> String {
    let mut text = String::from("import { api } from './api';\n\n");
    for n in 0..150 {
        if !density.keywords_in(n, 12) {
            text.push_str(&format!(
                "export async function load{n}(id: string): Promise<Record{n}> {{\n  const cacheId = `record:${{id}}:{n}`;\n  const response = await api.get(`/records/${{id}}`, {{ headers: {{ Accept: 'application/json' }} }});\n  return cache.set(cacheId, response.data as Record{n});\n}}\n\n"
            ));
            continue;
        }
        text.push_str(&format!(
            "export async function load{n}(id: string): Promise<Record{n}> {{\n  const key = `record:${{id}}:{n}`;\n  const response = await api.get(`/records/${{id}}`, {{ headers: {{ Authorization: `Bearer ${{session.accessToken}}` }} }});\n  return cache.set(key, response.data as Record{n});\n}}\n\n"
        ));
    }
    if i % 40 == 1 {
        text.push_str(&format!("const stripe = '{}';\n", token("stripe:sk_live", &i.to_string()).unwrap_or_default()));
    }
    text
}

fn yaml(i: usize, density: Density) -> String {
    let mut text = format!("service: svc-{i}\nreplicas: 3\n");
    for n in 0..200 {
        if !density.keywords_in(n, 12) {
            text.push_str(&format!(
                "endpoint_{n}:\n  url: https://svc-{n}.internal:8443/api\n  timeout: 30s\n  retries:\n    attempts: 3\n    backoff: exponential\n"
            ));
            continue;
        }
        text.push_str(&format!(
            "endpoint_{n}:\n  url: https://svc-{n}.internal:8443/api\n  timeout: 30s\n  auth:\n    token_file: /run/secrets/token-{n}\n    password: ${{SVC_{n}_PASSWORD}}\n"
        ));
    }
    if i % 30 == 2 {
        text.push_str(&format!("legacy:\n  api_key: \"{}\"\n", token("password", &i.to_string()).unwrap_or_default()));
    }
    text
}

fn json(i: usize, density: Density) -> String {
    let rows: Vec<String> = (0..300)
        .map(|n| {
            if !density.keywords_in(n, 20) {
                return format!(
                    "  {{\"id\": \"{i}-{n}\", \"name\": \"Customer {n}\", \"email\": \"c{n}@example.net\", \"expires_at\": 1700000{n}, \"uuid\": \"123e4567-e89b-12d3-a456-{:012}\"}}",
                    n
                );
            }
            format!(
                "  {{\"id\": \"{i}-{n}\", \"name\": \"Customer {n}\", \"email\": \"c{n}@example.net\", \"token_expires\": 1700000{n}, \"uuid\": \"123e4567-e89b-12d3-a456-{:012}\"}}",
                n
            )
        })
        .collect();
    format!("[\n{}\n]\n", rows.join(",\n"))
}

fn lockfile(i: usize) -> String {
    let mut text = String::from("{\n  \"name\": \"web\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n");
    for n in 0..250 {
        text.push_str(&format!(
            "    \"node_modules/pkg-{i}-{n}\": {{\n      \"version\": \"1.{n}.0\",\n      \"resolved\": \"https://registry.npmjs.org/pkg-{n}/-/pkg-{n}-1.{n}.0.tgz\",\n      \"integrity\": \"sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQuqpIVGwtVQx4Se5hUmN3JUTUGL8vdJzEzqF1IpUF5sA{n:03}==\"\n    }},\n"
        ));
    }
    text.push_str("    \"\": {}\n  }\n}\n");
    text
}

fn minified(i: usize, density: Density) -> String {
    let mut text = String::new();
    for n in 0..900 {
        if !density.keywords_in(n, 12) {
            text.push_str(&format!(
                "function r{n}(e,t){{var n=e.id||t.ref;return fetch(\"/api/{i}/\"+n,{{headers:{{Accept:\"application/json\"}}}}).then(function(e){{return e.json()}})}};"
            ));
            continue;
        }
        text.push_str(&format!(
            "function r{n}(e,t){{var n=e.token||t.secretKey;return fetch(\"/api/{i}/\"+n,{{headers:{{Authorization:\"Bearer \"+n}}}}).then(function(e){{return e.json()}})}};"
        ));
    }
    text.push('\n');
    text
}
