//! OAuth 2.0 tokens as the authorization server hands them out, its answers read (RFC 6749
//! section 5), and the errors of talking to it. No error or `Debug` output carries a token, a
//! secret or the server's raw answer.

use super::auth::Secret;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Tokens from an authorization server: the access token, the refresh token if one was
/// issued, when the access token expires and the scopes granted.
///
/// `Debug` shows neither token. It serializes (to JSON, say) with the tokens in clear, for a
/// [`TokenStore`](super::TokenStore) to keep: store it where only its user can read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Tokens {
    access_token: Secret,
    refresh_token: Option<Secret>,
    /// Seconds since the Unix epoch.
    issued_at: u64,
    expires_at: Option<u64>,
    scopes: Vec<String>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>"))
            .field("expires_at", &self.expires_at)
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// How tokens are written to a store.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default)]
    issued_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    #[serde(default)]
    scopes: Vec<String>,
}

impl serde::Serialize for Tokens {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Stored {
            access_token: self.access_token.expose().to_owned(),
            refresh_token: self.refresh_token.as_ref().map(|r| r.expose().to_owned()),
            issued_at: self.issued_at,
            expires_at: self.expires_at,
            scopes: self.scopes.clone(),
        }
        .serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Tokens {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = Stored::deserialize(deserializer)?;
        Ok(Tokens {
            access_token: Secret::new(s.access_token),
            refresh_token: s.refresh_token.map(Secret::new),
            issued_at: s.issued_at,
            expires_at: s.expires_at,
            scopes: s.scopes,
        })
    }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Tokens {
    /// Tokens obtained elsewhere: an access token, valid for `expires_in` if known.
    pub fn new(access_token: impl Into<String>, expires_in: Option<Duration>) -> Self {
        let issued_at = now();
        Tokens {
            access_token: Secret::new(access_token),
            refresh_token: None,
            issued_at,
            expires_at: expires_in.map(|d| issued_at.saturating_add(d.as_secs())),
            scopes: Vec::new(),
        }
    }

    /// Only a refresh token, to be traded for an access token when first needed.
    pub fn from_refresh_token(refresh_token: impl Into<String>) -> Self {
        Tokens {
            access_token: Secret::new(String::new()),
            refresh_token: Some(Secret::new(refresh_token)),
            issued_at: 0,
            expires_at: Some(0),
            scopes: Vec::new(),
        }
    }

    /// The access token, for code that sends it itself.
    pub fn access_token(&self) -> &str {
        self.access_token.expose()
    }

    /// The refresh token, if the server issued one.
    pub fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_ref().map(Secret::expose)
    }

    pub(crate) fn access_secret(&self) -> &Secret {
        &self.access_token
    }

    pub(crate) fn refresh_secret(&self) -> Option<&Secret> {
        self.refresh_token.as_ref()
    }

    /// When the access token expires, if the server said.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at.map(|s| UNIX_EPOCH + Duration::from_secs(s))
    }

    /// The scopes granted.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// Whether the access token should be renewed now: it is missing, expired, or within a
    /// tenth of its lifetime (at most a minute) of expiring.
    pub(crate) fn needs_renewal(&self) -> bool {
        if self.access_token.expose().is_empty() {
            return true;
        }
        let Some(expires_at) = self.expires_at else {
            return false;
        };
        let lifetime = expires_at.saturating_sub(self.issued_at);
        let margin = (lifetime / 10).min(60);
        now().saturating_add(margin) >= expires_at
    }

    /// These tokens with the refresh token given kept, when the server sent no new one.
    fn keeping_refresh(mut self, old: Option<&str>) -> Self {
        if self.refresh_token.is_none() {
            self.refresh_token = old.map(Secret::new);
        }
        self
    }
}

/// A failure talking to the authorization server, or to the token store. It names the
/// endpoint (without its query) and the OAuth error code, never a token or secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum OAuthError {
    /// The endpoint refused the request with an OAuth error (RFC 6749 section 5.2):
    /// `invalid_grant` for a code, refresh token or password it does not take,
    /// `invalid_client` for client credentials it does not know.
    Refused {
        endpoint: String,
        status: u16,
        /// The OAuth error code.
        error: String,
        /// The server's explanation, if it gave one.
        description: Option<String>,
    },
    /// The endpoint answered, but not with what OAuth says it answers.
    Malformed {
        endpoint: String,
        status: u16,
        /// What was wrong with the answer (the answer itself is not quoted: it may hold tokens).
        reason: String,
    },
    /// The endpoint could not be reached, or did not answer in time.
    Transport { endpoint: String, source: reqwest::Error },
    /// The flow cannot run as configured (no client id, no redirect URI, no endpoint...).
    Config(String),
    /// The `state` that came back with the code is not the one sent: the answer is not to this
    /// request (a forged redirect, or an old one). Nothing was exchanged.
    StateMismatch,
    /// The user or the authorization server declined (`?error=access_denied`).
    Denied { error: String, description: Option<String> },
    /// The token store failed.
    Store(super::auth::BoxError),
}

impl OAuthError {
    pub(crate) fn transport(endpoint: &str, mut e: reqwest::Error) -> Self {
        if let Some(url) = e.url_mut() {
            url.set_query(None);
            // Only URLs with a host can hold user info; both calls fail harmlessly on the others.
            let _ = url.set_username("");
            let _ = url.set_password(None);
        }
        OAuthError::Transport {
            endpoint: endpoint.to_owned(),
            source: e,
        }
    }

    /// The OAuth error code, if the server sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            OAuthError::Refused { error, .. } | OAuthError::Denied { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// A server's text as one line of at most 300 characters.
fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OAuthError::Refused {
                endpoint,
                status,
                error,
                description,
            } => {
                write!(f, "the OAuth endpoint {endpoint} answered HTTP {status} `{error}`")?;
                if let Some(d) = description {
                    write!(f, ": {}", one_line(d))?;
                }
                if error == "invalid_grant" {
                    f.write_str("; sign in again for new tokens")?;
                }
                Ok(())
            }
            OAuthError::Malformed {
                endpoint,
                status,
                reason,
            } => {
                write!(
                    f,
                    "the OAuth endpoint {endpoint} answered HTTP {status} with no usable token response: {reason}"
                )
            }
            OAuthError::Transport { endpoint, source } => {
                let kind = if source.is_timeout() {
                    "did not answer in time"
                } else {
                    "could not be reached"
                };
                write!(f, "the OAuth endpoint {endpoint} {kind}")
            }
            OAuthError::Config(why) => write!(f, "OAuth is not set up: {why}"),
            OAuthError::StateMismatch => f.write_str(
                "the state returned with the authorization code is not the one sent; start the sign-in again",
            ),
            OAuthError::Denied { error, description } => {
                write!(f, "the authorization was declined: `{error}`")?;
                match description {
                    Some(d) => write!(f, ": {}", one_line(d)),
                    None => Ok(()),
                }
            }
            OAuthError::Store(e) => write!(f, "the token store failed: {e}"),
        }
    }
}

/// The store's error is part of `Display`, so the chain goes on from its cause; a transport
/// failure's is not, so it is the source.
impl std::error::Error for OAuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OAuthError::Transport { source, .. } => Some(source),
            OAuthError::Store(e) => e.source(),
            _ => None,
        }
    }
}

/// An endpoint as errors name it: without query, fragment or user info.
pub(crate) fn endpoint_text(url: &reqwest::Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.into()
}

/// The PKCE S256 challenge of `verifier`: base64url of its SHA-256, unpadded.
pub(crate) fn pkce_challenge(verifier: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// The most of an answer read: an authorization server's answers are small.
const MAX_ANSWER: usize = 64 * 1024;

/// An answer of the authorization server, read whole.
pub(crate) struct Answer {
    endpoint: String,
    status: u16,
    body: bytes::Bytes,
}

/// A token response (RFC 6749 section 5.1).
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    scope: Option<String>,
}

/// An error response (RFC 6749 section 5.2).
#[derive(serde::Deserialize)]
struct ErrorResponse {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

impl Answer {
    pub(crate) async fn read(endpoint: String, mut response: reqwest::Response) -> Result<Answer, OAuthError> {
        let status = response.status().as_u16();
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| OAuthError::transport(&endpoint, e))?
        {
            if body.len() + chunk.len() > MAX_ANSWER {
                return Err(OAuthError::Malformed {
                    endpoint,
                    status,
                    reason: format!("the answer is over {MAX_ANSWER} bytes"),
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            endpoint,
            status,
            body: body.freeze(),
        })
    }

    /// The error of a non-2xx answer: the server's OAuth error if it sent one.
    fn refused(&self) -> OAuthError {
        match serde_json::from_slice::<ErrorResponse>(&self.body) {
            Ok(e) => OAuthError::Refused {
                endpoint: self.endpoint.clone(),
                status: self.status,
                error: one_line(&e.error),
                description: e.error_description,
            },
            Err(_) => self.malformed("an error status without an OAuth error body"),
        }
    }

    fn malformed(&self, reason: &str) -> OAuthError {
        OAuthError::Malformed {
            endpoint: self.endpoint.clone(),
            status: self.status,
            reason: reason.to_owned(),
        }
    }

    /// The tokens of a token response; `asked` are the scopes granted when the server does
    /// not say, and `refresh_token` the one kept when it sends no new one.
    pub(crate) fn tokens(self, asked: &[String], refresh_token: Option<&str>) -> Result<Tokens, OAuthError> {
        if !(200..300).contains(&self.status) {
            return Err(self.refused());
        }
        let answer: TokenResponse = serde_json::from_slice(&self.body)
            .map_err(|_| self.malformed("not a JSON object with an `access_token`"))?;
        if let Some(kind) = answer
            .token_type
            .as_deref()
            .filter(|t| !t.eq_ignore_ascii_case("bearer"))
        {
            return Err(self.malformed(&format!(
                "the token type is `{}`; the client sends bearer tokens only",
                one_line(kind)
            )));
        }
        if answer.access_token.is_empty() {
            return Err(self.malformed("the `access_token` is empty"));
        }
        let expires_in = match &answer.expires_in {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Number(n)) => n.as_u64(),
            Some(serde_json::Value::String(s)) => s.trim().parse::<u64>().ok(),
            Some(_) => None,
        };
        if answer.expires_in.as_ref().is_some_and(|v| !v.is_null()) && expires_in.is_none() {
            return Err(self.malformed("`expires_in` is not a number of seconds"));
        }
        let issued_at = now();
        let scopes = match &answer.scope {
            Some(granted) => granted.split_whitespace().map(str::to_owned).collect(),
            None => asked.to_vec(),
        };
        Ok(Tokens {
            access_token: Secret::new(answer.access_token),
            refresh_token: answer.refresh_token.filter(|r| !r.is_empty()).map(Secret::new),
            issued_at,
            expires_at: expires_in.map(|s| issued_at.saturating_add(s)),
            scopes,
        }
        .keeping_refresh(refresh_token))
    }

    /// The outcome of a revocation (RFC 7009: 200 whether or not the token was valid).
    pub(crate) fn revoked(self) -> Result<(), OAuthError> {
        match self.status {
            200..=299 => Ok(()),
            _ => Err(self.refused()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pkce_challenge_is_rfc_7636_s256() {
        // RFC 7636, appendix B.
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            endpoint: "https://auth.example/token".to_owned(),
            status,
            body: bytes::Bytes::copy_from_slice(body.as_bytes()),
        }
    }

    #[test]
    fn token_responses_are_read_and_checked() {
        let t = answer(
            200,
            r#"{"access_token":"a1","token_type":"Bearer","expires_in":"60","scope":"x y"}"#,
        )
        .tokens(&[], Some("r0"))
        .expect("tokens");
        assert_eq!((t.access_token(), t.refresh_token()), ("a1", Some("r0")));
        assert_eq!(t.scopes(), ["x", "y"]);
        assert!(!t.needs_renewal());
        let rotated = answer(200, r#"{"access_token":"a2","refresh_token":"r1"}"#)
            .tokens(&["s".to_owned()], Some("r0"))
            .expect("tokens");
        assert_eq!(
            (rotated.refresh_token(), rotated.scopes()),
            (Some("r1"), &["s".to_owned()][..])
        );
        for (body, reason) in [
            (r#"{"token_type":"bearer"}"#, "access_token"),
            (r#"{"access_token":"a","token_type":"mac"}"#, "bearer tokens only"),
            (r#"{"access_token":"a","expires_in":"soon"}"#, "expires_in"),
            ("<html>", "access_token"),
        ] {
            let e = answer(200, body).tokens(&[], None).expect_err(body).to_string();
            assert!(e.contains(reason) && e.contains("https://auth.example/token"), "{e}");
        }
        let refused = answer(400, r#"{"error":"invalid_grant","error_description":"expired"}"#)
            .tokens(&[], None)
            .expect_err("refused");
        assert_eq!(refused.code(), Some("invalid_grant"));
        assert!(refused.to_string().contains("`invalid_grant`: expired"), "{refused}");
    }

    #[test]
    fn debug_shows_no_token_and_serde_keeps_both() {
        let t = answer(
            200,
            r#"{"access_token":"sekrit-a","refresh_token":"sekrit-r","expires_in":3600}"#,
        )
        .tokens(&[], None)
        .expect("tokens");
        assert!(!format!("{t:?}").contains("sekrit"));
        let json = serde_json::to_string(&t).expect("serializes");
        let back: Tokens = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, t);
    }
}
