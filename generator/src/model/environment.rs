//! The environment variables a generated client reads (`Client::from_env` and the generated
//! tool alike), named from a prefix and the document's security schemes: one list, from which
//! the generated table, the docs, the crate README and the tool's help are all written.

use super::{Api, OAuthFlows, SchemeKind, SecurityScheme};
use crate::names;

/// What a variable gives the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvRole {
    /// The base URL.
    Url,
    /// HTTP basic's user name, and the OAuth 2.0 password grant's.
    Username,
    /// HTTP basic's password, and the OAuth 2.0 password grant's.
    Password,
    /// A bearer token or OAuth 2.0 access token.
    Token,
    /// The key of the API-key scheme of this name.
    ApiKey(String),
    /// The OAuth 2.0 client of the OAuth scheme of this name.
    ClientId(String),
    ClientSecret(String),
    /// A refresh token, which the client trades for access tokens.
    RefreshToken(String),
    /// The OAuth 2.0 endpoints, instead of the document's.
    TokenUrl(String),
    AuthorizationUrl(String),
    RevocationUrl(String),
    /// AWS credentials for Signature Version 4.
    AwsAccessKeyId,
    AwsSecretAccessKey,
    AwsSessionToken,
    AwsRegion,
}

/// One variable: its whole name and what it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    pub role: EnvRole,
    pub help: String,
}

/// Suffixes the prefix's own variables use, which an API-key variable avoids.
const RESERVED: &[&str] = &[
    "URL",
    "USERNAME",
    "PASSWORD",
    "TOKEN",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "REFRESH_TOKEN",
    "TOKEN_URL",
    "AUTHORIZATION_URL",
    "REVOCATION_URL",
    "TOKEN_FILE",
];

/// A prefix for environment variables made from a crate, module or API name: upper case,
/// words joined by `_` (`wpengine-api` gives `WPENGINE_API`).
#[must_use]
pub fn env_prefix_from(name: &str) -> String {
    names::snake(name).trim_end_matches('_').to_ascii_uppercase()
}

/// Whether `prefix` can start environment variable names: `A`-`Z`, digits and `_`, not
/// starting with a digit.
#[must_use]
pub fn valid_env_prefix(prefix: &str) -> bool {
    !prefix.is_empty()
        && !prefix.starts_with(|c: char| c.is_ascii_digit())
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The OAuth 2.0 scheme whose client the environment configures: the first that declares a
/// flow the client can run.
#[must_use]
pub fn env_oauth(api: &Api) -> Option<(&SecurityScheme, &OAuthFlows)> {
    api.security_schemes.iter().find_map(|s| match &s.kind {
        SchemeKind::OAuth2(flows) => Some((s, &**flows)),
        _ => None,
    })
}

/// The variables a client of `api` reads, with `prefix` (see [`env_prefix_from`]); with
/// `fallback`, the token and the basic credentials are read even where the document declares
/// neither (they are sent to operations whose own credentials the client lacks).
#[must_use]
pub fn variables(api: &Api, prefix: &str, fallback: bool) -> Vec<EnvVar> {
    let var = |suffix: &str, role: EnvRole, help: &str| EnvVar {
        name: format!("{prefix}_{suffix}"),
        role,
        help: help.to_owned(),
    };
    let schemes = &api.security_schemes;
    let has = |f: fn(&SchemeKind) -> bool| schemes.iter().any(|s| f(&s.kind));
    let oauth = env_oauth(api);
    let password_grant = oauth.is_some_and(|(_, flows)| flows.password.is_some());
    let mut out = vec![var("URL", EnvRole::Url, "the server, instead of the document's")];
    if fallback || password_grant || has(|k| matches!(k, SchemeKind::Basic)) {
        out.push(var("USERNAME", EnvRole::Username, "the user name (HTTP basic auth)"));
        out.push(var("PASSWORD", EnvRole::Password, "the password (HTTP basic auth)"));
    }
    if fallback || has(SchemeKind::is_bearer) {
        out.push(var("TOKEN", EnvRole::Token, "a bearer token or OAuth 2.0 access token"));
    }
    out.extend(api_keys(schemes, prefix));
    if let Some((scheme, flows)) = oauth {
        out.extend(oauth_variables(&scheme.name, flows, &var));
    }
    if has(|k| matches!(k, SchemeKind::SigV4)) {
        out.extend(aws_variables());
    }
    out
}

/// The OAuth 2.0 client of the scheme `name`: its id and secret, a refresh token where tokens
/// can be refreshed, and the endpoints instead of the document's.
fn oauth_variables(name: &str, flows: &OAuthFlows, var: &impl Fn(&str, EnvRole, &str) -> EnvVar) -> Vec<EnvVar> {
    let name = name.to_owned();
    let mut out = vec![
        var("CLIENT_ID", EnvRole::ClientId(name.clone()), "the OAuth 2.0 client id"),
        var(
            "CLIENT_SECRET",
            EnvRole::ClientSecret(name.clone()),
            "the OAuth 2.0 client secret",
        ),
    ];
    if flows.authorization_code.is_some() || flows.iter().any(|f| f.refresh_url.is_some()) {
        out.push(var(
            "REFRESH_TOKEN",
            EnvRole::RefreshToken(name.clone()),
            "an OAuth 2.0 refresh token, traded for access tokens as they expire",
        ));
    }
    out.push(var(
        "TOKEN_URL",
        EnvRole::TokenUrl(name.clone()),
        "the OAuth 2.0 token endpoint, instead of the document's",
    ));
    if flows.authorization_code.is_some() {
        out.push(var(
            "AUTHORIZATION_URL",
            EnvRole::AuthorizationUrl(name.clone()),
            "the OAuth 2.0 authorization endpoint, instead of the document's",
        ));
    }
    out.push(var(
        "REVOCATION_URL",
        EnvRole::RevocationUrl(name),
        "the OAuth 2.0 revocation endpoint (RFC 7009), instead of the document's",
    ));
    out
}

/// The usual AWS variables, for Signature Version 4.
fn aws_variables() -> Vec<EnvVar> {
    let aws = |name: &str, role: EnvRole, help: &str| EnvVar {
        name: name.to_owned(),
        role,
        help: help.to_owned(),
    };
    vec![
        aws(
            "AWS_ACCESS_KEY_ID",
            EnvRole::AwsAccessKeyId,
            "the AWS access key id (SigV4)",
        ),
        aws(
            "AWS_SECRET_ACCESS_KEY",
            EnvRole::AwsSecretAccessKey,
            "the AWS secret access key (SigV4)",
        ),
        aws(
            "AWS_SESSION_TOKEN",
            EnvRole::AwsSessionToken,
            "the AWS session token of temporary credentials (SigV4)",
        ),
        aws(
            "AWS_REGION",
            EnvRole::AwsRegion,
            "the AWS region requests are signed for (SigV4), when the host does not say",
        ),
    ]
}

/// `{prefix}_API_KEY` for the one API-key scheme; for several, `{prefix}_{SCHEME}` each
/// (with `_KEY` added where that would be one of the prefix's other variables).
fn api_keys(schemes: &[SecurityScheme], prefix: &str) -> Vec<EnvVar> {
    let keys: Vec<&SecurityScheme> = schemes
        .iter()
        .filter(|s| matches!(s.kind, SchemeKind::ApiKey { .. }))
        .collect();
    let mut taken = names::scope(RESERVED);
    keys.iter()
        .map(|scheme| {
            let wanted = if keys.len() == 1 {
                "API_KEY".to_owned()
            } else {
                let base = env_prefix_from(&scheme.name);
                if RESERVED.contains(&base.as_str()) {
                    format!("{base}_KEY")
                } else {
                    base
                }
            };
            let suffix = names::unique(&mut taken, wanted);
            EnvVar {
                name: format!("{prefix}_{suffix}"),
                role: EnvRole::ApiKey(scheme.name.clone()),
                help: format!("the `{}` API key", scheme.name),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_screaming_snake_case() {
        assert_eq!(env_prefix_from("wpengine-api"), "WPENGINE_API");
        assert_eq!(env_prefix_from("seed_rpc_api_keys"), "SEED_RPC_API_KEYS");
        assert_eq!(env_prefix_from("type"), "TYPE");
        assert!(valid_env_prefix("WPENGINE_API"));
        assert!(!valid_env_prefix("wpengine"));
        assert!(!valid_env_prefix("1API"));
        assert!(!valid_env_prefix(""));
    }
}
