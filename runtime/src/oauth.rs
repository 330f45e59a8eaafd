//! OAuth 2.0 from an API's security scheme: its endpoints as the document declares them, and
//! the requests of each flow: client credentials, authorization code with PKCE (RFC 7636) and
//! `state`, refresh, password, and revocation (RFC 7009).
//!
//! Written here rather than on the `oauth2` crate: the protocol is a form POST and a JSON
//! answer per grant, which this runtime sends through the client's own reqwest (the `oauth2`
//! crate's reqwest feature brings another major version of reqwest), with its secrets kept out
//! of `Debug` and errors as the rest of the client keeps them; and the parts no crate does
//! (the token cache shared by clones, renewal before expiry, a token store, the tool's login)
//! would be written here either way.

use super::auth::Secret;
use super::tokens::{OAuthError, Tokens};
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// How long a request to the authorization server may take.
const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

/// An OAuth 2.0 scheme as the document declares it; generated as a `static`. URLs are
/// absolute, or paths taken relative to the client's base URL.
#[derive(Debug)]
#[doc(hidden)]
pub struct OAuthEndpoints {
    /// The scheme's name in the document.
    pub scheme: &'static str,
    /// The authorization-code flow's authorization and token URLs.
    pub authorization_code: Option<(&'static str, &'static str)>,
    /// The client-credentials flow's token URL.
    pub client_credentials: Option<&'static str>,
    /// The password flow's token URL.
    pub password: Option<&'static str>,
    pub refresh_url: Option<&'static str>,
    pub revocation_url: Option<&'static str>,
    /// The scopes asked for unless the application chooses others: those the API's operations
    /// require of this scheme.
    pub scopes: &'static [&'static str],
    /// Where relative URLs are taken from, unless the client's base URL is another.
    pub base_url: &'static str,
}

/// How the client proves its identity to the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    /// HTTP basic with the client id and secret (`client_secret_basic`, which every server
    /// must accept); a client without a secret sends its id in the body.
    #[default]
    Basic,
    /// The client id and secret as fields of the request body (`client_secret_post`).
    RequestBody,
}

/// The client side of an API's OAuth 2.0 scheme: its endpoints (the document's, or others),
/// the client's id and secret, the redirect URI and scopes. Start from the generated
/// `Client::oauth()`; make an [`OAuthSession`](super::OAuthSession) from it to give a client
/// tokens that renew themselves.
#[derive(Clone)]
pub struct OAuth {
    pub(crate) endpoints: &'static OAuthEndpoints,
    base_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    redirect_uri: Option<String>,
    scopes: Option<Vec<String>>,
    token_url: Option<String>,
    authorization_url: Option<String>,
    revocation_url: Option<String>,
    client_auth: ClientAuth,
    /// The HTTP client, shared by clones; the API client's own once a session is given to it.
    http: Arc<OnceLock<reqwest::Client>>,
}

impl fmt::Debug for OAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth")
            .field("scheme", &self.endpoints.scheme)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("redirect_uri", &self.redirect_uri)
            .field("scopes", &self.scopes_asked())
            .field("token_url", &self.token_endpoint().ok())
            .finish_non_exhaustive()
    }
}

/// A started authorization-code flow: the URL to send the user to, and what the code exchange
/// will need (the `state` to check and the PKCE verifier, which never leaves this value but
/// for the token endpoint).
#[derive(Clone)]
pub struct Authorization {
    url: String,
    state: String,
    verifier: Secret,
    redirect_uri: String,
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("url", &self.url)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl Authorization {
    /// Where to send the user to grant access.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `state` the authorization server must send back with the code.
    pub fn state(&self) -> &str {
        &self.state
    }
}

impl OAuth {
    /// The scheme `endpoints` describes, with no client id yet.
    #[doc(hidden)]
    pub fn new(endpoints: &'static OAuthEndpoints) -> Self {
        OAuth {
            endpoints,
            base_url: None,
            client_id: None,
            client_secret: None,
            redirect_uri: None,
            scopes: None,
            token_url: None,
            authorization_url: None,
            revocation_url: None,
            client_auth: ClientAuth::default(),
            http: Arc::new(OnceLock::new()),
        }
    }

    /// The client id the authorization server issued.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// The client secret, for a confidential client.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(Secret::new(secret));
        self
    }

    /// Where the authorization server sends the user back with a code.
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// The scopes to ask for, instead of those the API's operations require.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Where relative endpoint URLs are taken from (by default the client's base URL).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The token endpoint, instead of the document's.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// The authorization endpoint, instead of the document's.
    pub fn authorization_url(mut self, url: impl Into<String>) -> Self {
        self.authorization_url = Some(url.into());
        self
    }

    /// The revocation endpoint (RFC 7009), which the document may not name.
    pub fn revocation_url(mut self, url: impl Into<String>) -> Self {
        self.revocation_url = Some(url.into());
        self
    }

    /// How the client authenticates to the token endpoint (HTTP basic by default).
    pub fn client_auth(mut self, how: ClientAuth) -> Self {
        self.client_auth = how;
        self
    }

    /// Sends to the authorization server through `client` (proxies, certificates); by
    /// default the API client's, once a session is given to one.
    pub fn http_client(self, client: reqwest::Client) -> Self {
        let _ = self.http.set(client);
        self
    }

    /// The scopes asked for: those set, or those the API's operations require.
    pub fn scopes_asked(&self) -> Vec<String> {
        match &self.scopes {
            Some(chosen) => chosen.clone(),
            None => self.endpoints.scopes.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Whether tokens can be had without a user: a client-credentials flow and a secret.
    pub(crate) fn can_use_client_credentials(&self) -> bool {
        self.endpoints.client_credentials.is_some() && self.client_secret.is_some()
    }

    /// Gives relative URLs the client's base URL and the requests its HTTP client, unless
    /// chosen already.
    pub(crate) fn adopt(&mut self, base_url: &str, http: &reqwest::Client) {
        if self.base_url.is_none() {
            self.base_url = Some(base_url.to_owned());
        }
        let _ = self.http.set(http.clone());
    }

    /// The HTTP client: the one given, or one of its own that follows no redirect (a
    /// redirected token request would carry the client's secret elsewhere).
    fn http(&self) -> Result<&reqwest::Client, OAuthError> {
        if self.http.get().is_none() {
            let own = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| OAuthError::Config(format!("no HTTP client: {e}")))?;
            let _ = self.http.set(own);
        }
        self.http
            .get()
            .ok_or_else(|| OAuthError::Config("no HTTP client".to_owned()))
    }

    /// `url` made absolute against the base URL.
    fn resolve(&self, url: &str) -> Result<reqwest::Url, OAuthError> {
        let base = self.base_url.as_deref().unwrap_or(self.endpoints.base_url);
        let parsed = match reqwest::Url::parse(url) {
            Ok(absolute) => absolute,
            Err(_) => reqwest::Url::parse(base).and_then(|b| b.join(url)).map_err(|e| {
                OAuthError::Config(format!(
                    "the endpoint {url:?} is not a URL, even relative to {base:?}: {e}"
                ))
            })?,
        };
        match parsed.scheme() {
            "http" | "https" => Ok(parsed),
            other => Err(OAuthError::Config(format!(
                "the endpoint {parsed} is not HTTP but {other}"
            ))),
        }
    }

    /// The token endpoint of the flows this client can run: the one set, or the document's.
    pub(crate) fn token_endpoint(&self) -> Result<reqwest::Url, OAuthError> {
        let e = self.endpoints;
        let declared = e
            .authorization_code
            .map(|(_, token)| token)
            .or(e.client_credentials)
            .or(e.password);
        let url = self
            .token_url
            .as_deref()
            .or(declared)
            .ok_or_else(|| OAuthError::Config(format!("the `{}` scheme declares no token URL", e.scheme)))?;
        self.resolve(url)
    }

    fn refresh_endpoint(&self) -> Result<reqwest::Url, OAuthError> {
        match (&self.token_url, self.endpoints.refresh_url) {
            (None, Some(refresh)) => self.resolve(refresh),
            _ => self.token_endpoint(),
        }
    }

    /// The revocation endpoint, if the document or the application names one.
    pub(crate) fn revocation_endpoint(&self) -> Option<Result<reqwest::Url, OAuthError>> {
        let url = self.revocation_url.as_deref().or(self.endpoints.revocation_url)?;
        Some(self.resolve(url))
    }

    fn id(&self) -> Result<&str, OAuthError> {
        self.client_id
            .as_deref()
            .ok_or_else(|| OAuthError::Config("no client id: set one with OAuth::client_id".to_owned()))
    }

    /// Starts the authorization-code flow: the URL to send the user to, with a fresh `state`
    /// and a PKCE challenge (S256).
    ///
    /// # Errors
    /// [`OAuthError::Config`] without a client id, a redirect URI or an authorization URL.
    pub fn authorize(&self) -> Result<Authorization, OAuthError> {
        let declared = self.endpoints.authorization_code.map(|(authorize, _)| authorize);
        let endpoint = self.authorization_url.as_deref().or(declared).ok_or_else(|| {
            OAuthError::Config(format!(
                "the `{}` scheme declares no authorization-code flow",
                self.endpoints.scheme
            ))
        })?;
        let mut url = self.resolve(endpoint)?;
        let redirect_uri = self
            .redirect_uri
            .clone()
            .ok_or_else(|| OAuthError::Config("no redirect URI: set one with OAuth::redirect_uri".to_owned()))?;
        let verifier = random_text(32)?;
        let state = random_text(16)?;
        let challenge = super::tokens::pkce_challenge(&verifier);
        let scopes = self.scopes_asked();
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("response_type", "code")
                .append_pair("client_id", self.id()?)
                .append_pair("redirect_uri", &redirect_uri)
                .append_pair("state", &state)
                .append_pair("code_challenge", &challenge)
                .append_pair("code_challenge_method", "S256");
            if !scopes.is_empty() {
                query.append_pair("scope", &scopes.join(" "));
            }
        }
        Ok(Authorization {
            url: url.into(),
            state,
            verifier: Secret::new(verifier),
            redirect_uri,
        })
    }

    /// Trades the code the user came back with for tokens, after checking that `state` is
    /// the one [`authorize`](Self::authorize) sent.
    ///
    /// # Errors
    /// [`OAuthError::StateMismatch`] when it is not (nothing is sent), and as the token
    /// endpoint answers.
    pub async fn exchange(&self, started: &Authorization, code: &str, state: &str) -> Result<Tokens, OAuthError> {
        if state != started.state {
            return Err(OAuthError::StateMismatch);
        }
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", started.redirect_uri.as_str()),
            ("code_verifier", started.verifier.expose()),
        ];
        self.token_request(self.token_endpoint()?, &form, None).await
    }

    /// Tokens for the client itself (the client-credentials grant).
    ///
    /// # Errors
    /// As the token endpoint answers, or [`OAuthError::Config`] without a client id.
    pub async fn client_credentials(&self) -> Result<Tokens, OAuthError> {
        let scopes = self.scopes_asked().join(" ");
        let mut form = vec![("grant_type", "client_credentials")];
        if !scopes.is_empty() {
            form.push(("scope", scopes.as_str()));
        }
        self.token_request(self.token_endpoint()?, &form, None).await
    }

    /// Tokens for a user's name and password (the password grant, where the API declares it).
    ///
    /// # Errors
    /// As the token endpoint answers.
    pub async fn password(&self, username: &str, password: &str) -> Result<Tokens, OAuthError> {
        let scopes = self.scopes_asked().join(" ");
        let mut form = vec![
            ("grant_type", "password"),
            ("username", username),
            ("password", password),
        ];
        if !scopes.is_empty() {
            form.push(("scope", scopes.as_str()));
        }
        self.token_request(self.token_endpoint()?, &form, None).await
    }

    /// New tokens for a refresh token. When the server rotates refresh tokens the new one is
    /// kept; otherwise the one given stays.
    ///
    /// # Errors
    /// As the token endpoint answers (`invalid_grant` for a refresh token that expired or was
    /// revoked).
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, OAuthError> {
        let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token)];
        self.token_request(self.refresh_endpoint()?, &form, Some(refresh_token))
            .await
    }

    /// Revokes `tokens` at the revocation endpoint: the refresh token first (which, for most
    /// servers, ends its access tokens too), then the access token.
    ///
    /// # Errors
    /// [`OAuthError::Config`] when neither the document nor the application names a
    /// revocation endpoint, and as the endpoint answers.
    pub async fn revoke(&self, tokens: &Tokens) -> Result<(), OAuthError> {
        let endpoint = self.revocation_endpoint().unwrap_or_else(|| {
            Err(OAuthError::Config(format!(
                "the `{}` scheme names no revocation endpoint: set one with OAuth::revocation_url",
                self.endpoints.scheme
            )))
        })?;
        if let Some(refresh) = tokens.refresh_secret() {
            let form = [("token", refresh.expose()), ("token_type_hint", "refresh_token")];
            self.send(endpoint.clone(), &form).await?.revoked()?;
        }
        let form = [
            ("token", tokens.access_secret().expose()),
            ("token_type_hint", "access_token"),
        ];
        self.send(endpoint, &form).await?.revoked()
    }

    async fn token_request(
        &self,
        endpoint: reqwest::Url,
        form: &[(&str, &str)],
        refresh_token: Option<&str>,
    ) -> Result<Tokens, OAuthError> {
        let asked = self.scopes_asked();
        self.send(endpoint, form).await?.tokens(&asked, refresh_token)
    }

    /// POSTs `form` (with the client's authentication) to `endpoint`.
    async fn send(&self, endpoint: reqwest::Url, form: &[(&str, &str)]) -> Result<super::tokens::Answer, OAuthError> {
        let id = self.id()?;
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        let mut request = self
            .http()?
            .post(endpoint.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(TOKEN_TIMEOUT);
        match (&self.client_secret, self.client_auth) {
            (Some(secret), ClientAuth::Basic) => {
                // RFC 6749 2.3.1: both are form-encoded before they are joined.
                let (id, secret) = (form_encode(id), form_encode(secret.expose()));
                request = request.basic_auth(id, Some(secret));
            }
            (Some(secret), ClientAuth::RequestBody) => {
                fields.push(("client_id", id));
                fields.push(("client_secret", secret.expose()));
            }
            (None, _) => fields.push(("client_id", id)),
        }
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let endpoint = super::tokens::endpoint_text(&endpoint);
        let response = request
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| OAuthError::transport(&endpoint, e))?;
        super::tokens::Answer::read(endpoint, response).await
    }
}

/// `text` as an `application/x-www-form-urlencoded` value.
fn form_encode(text: &str) -> String {
    super::params::path_segment(text)
}

/// `bytes` random bytes from the operating system, as unpadded base64url text (a PKCE
/// verifier of 32 bytes is 43 characters, as RFC 7636 recommends).
fn random_text(bytes: usize) -> Result<String, OAuthError> {
    use base64::Engine as _;
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| OAuthError::Config(format!("no randomness from the system: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf))
}
