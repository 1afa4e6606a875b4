//! Credentials for a registry, looked up as the tools people already use keep them:
//! `WARD_REGISTRY_TOKEN` (with `WARD_REGISTRY_USERNAME`, a password for HTTP Basic and the
//! registry's token exchange, as ghcr.io and Docker Hub take a personal access token; alone, a
//! bearer token sent as is), else Docker's credential file (`$DOCKER_CONFIG/config.json` or
//! `~/.docker/config.json`: its `auths`, `credHelpers` and `credsStore`), else anonymous. A
//! credential is never printed: errors say where it came from, not what it is.

use oci_client::secrets::RegistryAuth;

/// The credentials for `registry` (`host[:port]`), and where they came from (for messages).
pub(crate) fn for_registry(registry: &str) -> (RegistryAuth, &'static str) {
    let set = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    if let Some(token) = set("WARD_REGISTRY_TOKEN") {
        return match set("WARD_REGISTRY_USERNAME") {
            Some(user) => (RegistryAuth::Basic(user, token), "WARD_REGISTRY_USERNAME and WARD_REGISTRY_TOKEN"),
            None => (RegistryAuth::Bearer(token), "WARD_REGISTRY_TOKEN"),
        };
    }
    // Docker keys Docker Hub's credentials by its old index URL.
    let server = match registry {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => "https://index.docker.io/v1/",
        other => other,
    };
    match docker_credential::get_credential(server) {
        Ok(docker_credential::DockerCredential::UsernamePassword(user, password)) => {
            (RegistryAuth::Basic(user, password), "the Docker credential file")
        }
        // An identity token is an OAuth refresh token, for a flow the registry client does not
        // speak: pull anonymously rather than fail before asking.
        Ok(docker_credential::DockerCredential::IdentityToken(_)) | Err(_) => (RegistryAuth::Anonymous, "none"),
    }
}
