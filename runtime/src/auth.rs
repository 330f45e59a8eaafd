//! Credentials, and which of them each operation's security requirements take.
//!
//! Secrets live only here and leave only as request headers (marked sensitive, so `reqwest`
//! redacts them in `Debug`), query parameters or signatures; `Debug` of anything holding them
//! prints `<redacted>`. A credential goes only to operations whose declared requirements name
//! its scheme, unless the application asks otherwise ([`ClientBuilder::fallback_credentials`](super::ClientBuilder::fallback_credentials)).

use std::fmt;
use std::sync::Arc;

/// An error from a caller-supplied component, such as a [`TokenProvider`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Supplies OAuth 2.0 access tokens, for clients whose tokens expire.
///
/// [`token`](Self::token) is called before every attempt, so keep the current token and
/// refresh it when it nears expiry. When the server answers 401, the client calls
/// [`invalidate`](Self::invalidate) and sends the request once more with a fresh token.
/// [`OAuthSession`](super::OAuthSession) is one, for the flows an API's document declares.
pub trait TokenProvider: Send + Sync + 'static {
    /// The access token to send as `Authorization: Bearer <token>`.
    fn token(&self) -> futures::future::BoxFuture<'_, Result<String, BoxError>>;

    /// The server rejected the last token: forget it, so the next [`token`](Self::token) call
    /// fetches a new one.
    fn invalidate(&self) {}
}

/// A string that never shows in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where an API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header (the `Authorization` header too: the key is sent as it is given).
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// One security scheme an operation accepts, as the generated code describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum Scheme {
    /// HTTP basic authentication.
    Basic,
    /// `Authorization: Bearer`: HTTP bearer, OAuth 2.0 and OpenID Connect schemes.
    Bearer,
    /// An API key, keyed by the scheme's name in the document.
    ApiKey {
        scheme: &'static str,
        name: &'static str,
        location: KeyLocation,
    },
    /// AWS Signature Version 4: the request is signed.
    SigV4,
}

/// One scheme of an operation's requirement: its name in the document, and the scopes (or
/// roles) it asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub struct Requirement {
    pub name: &'static str,
    pub scheme: Scheme,
    pub scopes: &'static [&'static str],
}

/// An operation's security requirements: alternative sets of schemes, each set sent together;
/// empty when the operation needs no credentials.
#[doc(hidden)]
pub type Security = &'static [&'static [Requirement]];

#[derive(Clone)]
enum Bearer {
    Static(Secret),
    Provider(Arc<dyn TokenProvider>),
}

/// The credentials a client holds.
#[derive(Clone, Default)]
pub(crate) struct Auth {
    basic: Option<(String, Secret)>,
    bearer: Option<Bearer>,
    /// By scheme name.
    api_keys: Vec<(String, Secret)>,
    /// AWS credentials, for schemes that sign requests.
    pub(crate) sigv4: Option<super::sigv4::AwsCredentials>,
    /// Send the bearer token, or else the basic credentials, to operations whose requirements
    /// the client holds nothing for.
    fallback: bool,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Auth");
        if let Some((username, password)) = &self.basic {
            s.field("basic", &(username, password));
        }
        match &self.bearer {
            Some(Bearer::Static(token)) => s.field("bearer", token),
            Some(Bearer::Provider(_)) => s.field("bearer", &"<token provider>"),
            None => &mut s,
        };
        if !self.api_keys.is_empty() {
            let keys: Vec<(&str, &Secret)> = self.api_keys.iter().map(|(n, k)| (n.as_str(), k)).collect();
            s.field("api_keys", &keys);
        }
        if let Some(aws) = &self.sigv4 {
            s.field("sigv4", aws);
        }
        if self.fallback {
            s.field("fallback", &true);
        }
        s.finish()
    }
}

/// What [`Auth::apply`] added to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Applied {
    /// A token from a [`TokenProvider`] was sent, so a 401 may be answered by refreshing it.
    pub from_provider: bool,
    /// A key was pushed onto the cookies, so the `Cookie` header must be marked sensitive.
    pub secret_cookie: bool,
    /// The request is to be signed with AWS Signature Version 4 once built.
    pub sign: bool,
}

impl Auth {
    pub(crate) fn set_basic(&mut self, username: String, password: String) {
        self.basic = Some((username, Secret::new(password)));
    }

    pub(crate) fn set_bearer(&mut self, token: String) {
        self.bearer = Some(Bearer::Static(Secret::new(token)));
    }

    pub(crate) fn set_provider(&mut self, provider: Arc<dyn TokenProvider>) {
        self.bearer = Some(Bearer::Provider(provider));
    }

    pub(crate) fn set_api_key(&mut self, scheme: &str, key: String) {
        self.api_keys.retain(|(name, _)| name != scheme);
        self.api_keys.push((scheme.to_owned(), Secret::new(key)));
    }

    pub(crate) fn set_fallback(&mut self, fallback: bool) {
        self.fallback = fallback;
    }

    pub(crate) fn invalidate_token(&self) {
        if let Some(Bearer::Provider(provider)) = &self.bearer {
            provider.invalidate();
        }
    }

    fn has(&self, scheme: &Scheme) -> bool {
        match scheme {
            Scheme::Basic => self.basic.is_some(),
            Scheme::Bearer => self.bearer.is_some(),
            Scheme::ApiKey { scheme, .. } => self.api_keys.iter().any(|(name, _)| name == scheme),
            Scheme::SigV4 => self.sigv4.is_some(),
        }
    }

    /// The schemes to send for an operation whose requirements are `security`.
    ///
    /// The first alternative the client holds every credential for wins. An empty alternative
    /// makes authentication optional. Failing both, nothing is sent (the server's 401 says
    /// so), unless the client was told to fall back: then a bearer token, or else basic
    /// credentials, are sent anyway, for APIs that take a kind of credential their
    /// description does not declare.
    fn choose(&self, security: Security) -> Vec<Scheme> {
        if security.is_empty() {
            return Vec::new();
        }
        if let Some(set) = security
            .iter()
            .find(|set| !set.is_empty() && set.iter().all(|r| self.has(&r.scheme)))
        {
            return set.iter().map(|r| r.scheme).collect();
        }
        if !self.fallback || security.iter().any(|set| set.is_empty()) {
            return Vec::new();
        }
        if self.bearer.is_some() {
            vec![Scheme::Bearer]
        } else if self.basic.is_some() {
            vec![Scheme::Basic]
        } else {
            Vec::new()
        }
    }

    /// Adds the credentials `security` calls for to `request`; an API key sent as a cookie is
    /// pushed onto `cookies`, which the caller sends as one `Cookie` header.
    pub(crate) async fn apply(
        &self,
        mut request: reqwest::RequestBuilder,
        security: Security,
        cookies: &mut Vec<String>,
    ) -> Result<(reqwest::RequestBuilder, Applied), BoxError> {
        let mut applied = Applied::default();
        for scheme in self.choose(security) {
            request = match scheme {
                Scheme::Basic => match &self.basic {
                    Some((username, password)) => request.basic_auth(username, Some(password.expose())),
                    None => request,
                },
                Scheme::Bearer => match &self.bearer {
                    Some(Bearer::Static(token)) => request.bearer_auth(token.expose()),
                    Some(Bearer::Provider(provider)) => {
                        let token = provider.token().await?;
                        applied.from_provider = true;
                        request.bearer_auth(token)
                    }
                    None => request,
                },
                Scheme::ApiKey { scheme, name, location } => {
                    let Some((_, key)) = self.api_keys.iter().find(|(n, _)| n == scheme) else {
                        continue;
                    };
                    match location {
                        KeyLocation::Header => request.header(name, sensitive(key.expose())?),
                        KeyLocation::Query => request.query(&[(name, key.expose())]),
                        KeyLocation::Cookie => {
                            cookies.push(format!("{name}={}", cookie_octets(key.expose())?));
                            applied.secret_cookie = true;
                            request
                        }
                    }
                }
                Scheme::SigV4 => {
                    applied.sign = true;
                    request
                }
            };
        }
        Ok((request, applied))
    }
}

/// A header value that `reqwest` will not print.
pub(crate) fn sensitive(value: &str) -> Result<reqwest::header::HeaderValue, BoxError> {
    let mut value = reqwest::header::HeaderValue::from_str(value)
        .map_err(|_| BoxError::from("a credential contains characters a header cannot carry"))?;
    value.set_sensitive(true);
    Ok(value)
}

/// A key as a cookie's value, refused if it holds what would end the value or the cookie
/// (RFC 6265's cookie-octets exclude white space, `"`, `,`, `;` and `\\`); it is not encoded,
/// since a server reads a key as it was issued.
fn cookie_octets(key: &str) -> Result<&str, BoxError> {
    let breaks = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '"' | ',' | ';' | '\\');
    match key.contains(breaks) {
        true => Err(BoxError::from(
            "an API key sent as a cookie cannot hold white space, quotes, commas, semicolons or backslashes",
        )),
        false => Ok(key),
    }
}
