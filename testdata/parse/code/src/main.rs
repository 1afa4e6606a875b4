use std::env;

fn main() {
    let url = env::var("DATABASE_URL").expect("DATABASE_URL");
    let level = std::env::var("RUST_LOG_LEVEL").unwrap_or_else(|_| "info".into());
    let lifetime: &'static str = "ok"; // env::var("COMMENTED")
    let c = 'x';
    let home = env::var_os("CACHE_DIR");
}
