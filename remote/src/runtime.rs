//! The one place an async runtime runs: a current-thread tokio runtime made for one push or
//! fetch and dropped after it. Nothing else in ward is async, and a scan never gets here.

use std::future::Future;

use crate::RemoteError;

/// Runs `work` to completion on a runtime of its own.
pub(crate) fn block_on<T>(work: impl Future<Output = Result<T, RemoteError>>) -> Result<T, RemoteError> {
    install_crypto_provider();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|error| {
        RemoteError::Other { registry: "-".into(), reason: format!("cannot start the network runtime: {error}") }
    })?;
    runtime.block_on(work)
}

/// rustls with `ring` (no OpenSSL, no C++ toolchain for aws-lc): installed once per process as
/// the default, which reqwest's builder picks up.
pub(crate) fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Fails only when another provider was installed first, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
