//! Credentials and the base URL from environment variables: one table per API (generated from
//! its document: which variables, what each gives), read the same way by `Client::from_env`
//! and by the generated tool.

use super::auth::Secret;
use super::client::{BuildError, ClientBuilder};
use super::oauth::{OAuth, OAuthEndpoints};
use std::fmt;

/// What a variable gives the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum EnvRole {
    Url,
    Username,
    Password,
    Token,
    /// The key of the API-key scheme of this name.
    ApiKey(&'static str),
    ClientId,
    ClientSecret,
    RefreshToken,
    TokenUrl,
    AuthorizationUrl,
    RevocationUrl,
    AwsAccessKeyId,
    AwsSecretAccessKey,
    AwsSessionToken,
    AwsRegion,
}

/// One environment variable: its name, what it gives, and the help the tool prints.
#[derive(Debug, Clone, Copy)]
#[doc(hidden)]
pub struct EnvVar {
    pub name: &'static str,
    pub role: EnvRole,
    pub help: &'static str,
}

/// The environment variables an API's client reads; generated as a `static`.
#[derive(Debug)]
#[doc(hidden)]
pub struct Environment {
    /// Every variable, in the order help lists them.
    pub vars: &'static [EnvVar],
    /// Some operation cannot be called without credentials, so [`ClientBuilder::environment`]
    /// fails when none is set.
    pub required: bool,
    /// The user name and password are HTTP basic credentials (not only the password grant's).
    pub basic: bool,
    /// The OAuth 2.0 scheme whose client the `CLIENT_ID` and `CLIENT_SECRET` variables are.
    pub oauth: Option<&'static OAuthEndpoints>,
}

/// The variables of an [`Environment`] that are set, read once.
pub(crate) struct Found {
    values: Vec<(EnvRole, &'static str, Secret)>,
}

impl fmt::Debug for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.values.iter().map(|(_, name, _)| name))
            .finish()
    }
}

impl Environment {
    /// The variable of `role`, if the API has one.
    pub(crate) fn var(&self, role: EnvRole) -> Option<&'static str> {
        self.vars.iter().find(|v| v.role == role).map(|v| v.name)
    }

    /// Reads every variable of the table; empty ones count as unset.
    ///
    /// # Errors
    /// When a variable is set to something that is not UTF-8.
    pub(crate) fn read(&self) -> Result<Found, BuildError> {
        let mut values = Vec::new();
        for var in self.vars {
            match std::env::var(var.name) {
                Ok(v) if !v.is_empty() => values.push((var.role, var.name, Secret::new(v))),
                Ok(_) | Err(std::env::VarError::NotPresent) => {}
                Err(std::env::VarError::NotUnicode(_)) => {
                    return Err(BuildError(format!("{} is not valid UTF-8", var.name)))
                }
            }
        }
        Ok(Found { values })
    }

    /// The ways to give the client credentials, for an error that says none was given.
    fn choices(&self) -> String {
        let mut ways: Vec<String> = Vec::new();
        let named = |role| self.var(role).unwrap_or("?");
        let oauth = self.oauth;
        let id = named(EnvRole::ClientId);
        if self.basic {
            ways.push(format!("{} and {}", named(EnvRole::Username), named(EnvRole::Password)));
        }
        if let Some(token) = self.var(EnvRole::Token) {
            ways.push(token.to_owned());
        }
        for var in self.vars {
            if let EnvRole::ApiKey(_) = var.role {
                ways.push(var.name.to_owned());
            }
        }
        if oauth.is_some_and(|o| o.client_credentials.is_some()) {
            ways.push(format!("{id} and {}", named(EnvRole::ClientSecret)));
        }
        if oauth.is_some_and(|o| o.authorization_code.is_some() || o.refresh_url.is_some()) {
            ways.push(format!("{id} and {}", named(EnvRole::RefreshToken)));
        }
        if oauth.is_some_and(|o| o.password.is_some()) {
            ways.push(format!(
                "{id} with {} and {}",
                named(EnvRole::Username),
                named(EnvRole::Password)
            ));
        }
        if let (Some(id), Some(key)) = (self.var(EnvRole::AwsAccessKeyId), self.var(EnvRole::AwsSecretAccessKey)) {
            ways.push(format!("{id} and {key}"));
        }
        match ways.split_last() {
            None => "credentials".to_owned(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{}, or {last}", rest.join(", ")),
        }
    }
}

impl Found {
    fn get(&self, role: EnvRole) -> Option<&Secret> {
        self.values.iter().find(|(r, _, _)| *r == role).map(|(_, _, v)| v)
    }

    pub(crate) fn text(&self, role: EnvRole) -> Option<String> {
        self.value(role).map(str::to_owned)
    }

    /// The value of the variable of `role`, if it is set.
    pub(crate) fn value(&self, role: EnvRole) -> Option<&str> {
        self.get(role).map(Secret::expose)
    }

    /// The names of the variables that were set (never their values).
    #[cfg(feature = "cli")]
    pub(crate) fn names(&self) -> Vec<&'static str> {
        self.values.iter().map(|(_, name, _)| *name).collect()
    }
}

impl ClientBuilder {
    /// Configures the client from the variables `env` names: the base URL, and every credential
    /// whose variables are set. A bearer token given directly wins over an OAuth 2.0 client,
    /// which is used when its client id is set with what its grant needs (a secret, a refresh
    /// token, or a user name and password).
    ///
    /// # Errors
    /// When a credential is given only in part (a user name without its password, say), when
    /// a variable is not UTF-8, or when the API needs credentials and none is set; each error
    /// names the variables to set.
    #[doc(hidden)]
    pub fn environment(self, env: &'static Environment) -> Result<Self, BuildError> {
        let found = env.read()?;
        let (builder, any) = self.with_found(env, &found)?;
        if env.required && !any {
            return Err(BuildError(format!(
                "no credentials in the environment: set {}",
                env.choices()
            )));
        }
        Ok(builder)
    }

    /// As [`environment`](Self::environment), without failing when no credential is set (the
    /// tool runs operations that need none, and reports a 401 for the others).
    pub(crate) fn with_found(mut self, env: &'static Environment, found: &Found) -> Result<(Self, bool), BuildError> {
        if let Some(url) = found.text(EnvRole::Url) {
            self = self.base_url(url);
        }
        let mut any = false;
        let login = env.pair(found, EnvRole::Username, EnvRole::Password)?;
        if let (Some((u, p)), true) = (&login, env.basic) {
            self = self.basic_auth(u.clone(), p.clone());
            any = true;
        }
        for var in env.vars {
            if let (EnvRole::ApiKey(scheme), Some(key)) = (var.role, found.get(var.role)) {
                self = self.api_key_for(scheme, key.expose());
                any = true;
            }
        }
        if let Some(token) = found.text(EnvRole::Token) {
            self = self.bearer_token(token);
            any = true;
        } else if let Some(session) = oauth_from(env, found, login)? {
            self = self.oauth(session);
            any = true;
        }
        if let Some(aws) = super::sigv4::AwsCredentials::from_env(env, found)? {
            self = self.aws_credentials(aws);
            any = true;
        }
        Ok((self, any))
    }
}

impl Environment {
    /// The error of a variable set without the one it goes with.
    fn set_too(&self, given: EnvRole, wanted: EnvRole) -> BuildError {
        let name = |role| self.var(role).unwrap_or("?");
        BuildError(format!("{} is set, so set {} too", name(given), name(wanted)))
    }

    /// Two variables that go together (a user name and its password): both values, neither,
    /// or the error that names the one missing.
    pub(crate) fn pair(
        &self,
        found: &Found,
        first: EnvRole,
        second: EnvRole,
    ) -> Result<Option<(String, String)>, BuildError> {
        match (found.text(first), found.text(second)) {
            (Some(a), Some(b)) => Ok(Some((a, b))),
            (Some(_), None) => Err(self.set_too(first, second)),
            (None, Some(_)) => Err(self.set_too(second, first)),
            (None, None) => Ok(None),
        }
    }

    /// The OAuth 2.0 client the variables describe (its id, secret and endpoints), if its
    /// client id is set.
    ///
    /// # Errors
    /// When the secret is set without the id.
    pub(crate) fn oauth_config(&self, found: &Found) -> Result<Option<OAuth>, BuildError> {
        let Some(endpoints) = self.oauth else {
            return Ok(None);
        };
        let Some(id) = found.text(EnvRole::ClientId) else {
            return match found.get(EnvRole::ClientSecret) {
                Some(_) => Err(self.set_too(EnvRole::ClientSecret, EnvRole::ClientId)),
                None => Ok(None),
            };
        };
        let mut oauth = OAuth::new(endpoints).client_id(id);
        if let Some(secret) = found.text(EnvRole::ClientSecret) {
            oauth = oauth.client_secret(secret);
        }
        for (role, set) in [
            (EnvRole::TokenUrl, OAuth::token_url as fn(OAuth, String) -> OAuth),
            (EnvRole::AuthorizationUrl, OAuth::authorization_url),
            (EnvRole::RevocationUrl, OAuth::revocation_url),
        ] {
            if let Some(url) = found.text(role) {
                oauth = set(oauth, url);
            }
        }
        Ok(Some(oauth))
    }
}

/// The OAuth 2.0 session the variables describe, if its client id is set: from a refresh
/// token, the client credentials, or the password grant, in that order.
fn oauth_from(
    env: &'static Environment,
    found: &Found,
    login: Option<(String, String)>,
) -> Result<Option<super::OAuthSession>, BuildError> {
    let (Some(oauth), Some(endpoints)) = (env.oauth_config(found)?, env.oauth) else {
        return Ok(None);
    };
    if let Some(refresh) = found.text(EnvRole::RefreshToken) {
        return Ok(Some(oauth.session_from_refresh_token(refresh)));
    }
    if oauth.can_use_client_credentials() {
        return Ok(Some(oauth.session()));
    }
    if let (Some((user, pass)), true) = (login, endpoints.password.is_some()) {
        return Ok(Some(oauth.password_session(user, pass)));
    }
    if endpoints.authorization_code.is_some() {
        // The tokens come from a sign-in (the tool's `auth login`, or the application's flow).
        return Ok(None);
    }
    let name = |role| env.var(role);
    let mut ways: Vec<String> = [
        name(EnvRole::ClientSecret).filter(|_| endpoints.client_credentials.is_some()),
        name(EnvRole::RefreshToken),
    ]
    .into_iter()
    .flatten()
    .map(str::to_owned)
    .collect();
    if let (Some(user), Some(pass), true) = (
        name(EnvRole::Username),
        name(EnvRole::Password),
        endpoints.password.is_some(),
    ) {
        ways.push(format!("{user} and {pass}"));
    }
    Err(BuildError(format!(
        "{} is set, but there is nothing to obtain tokens with: set {}",
        name(EnvRole::ClientId).unwrap_or("?"),
        if ways.is_empty() {
            "a token".to_owned()
        } else {
            ways.join(", or ")
        }
    )))
}
