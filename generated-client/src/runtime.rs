//! The client runtime: sending requests, authentication, timeouts, error decoding and
//! parameter encoding. Written once by hand; generated code only describes each operation.
//!
//! This file is the single source of the runtime: `generated-client` compiles and tests it, and
//! the generator embeds it verbatim (`generator::RUNTIME_SOURCE`) into crates it makes for other
//! documents. It must therefore not depend on anything API-specific.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Default whole-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How much of a body an error message quotes.
const SNIPPET_LEN: usize = 512;

/// How the client proves who it is.
#[derive(Clone)]
pub enum Credentials {
    /// HTTP basic authentication.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: String,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(String),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"<redacted>")
                .finish(),
            Credentials::Bearer(_) => f.debug_tuple("Bearer").field(&"<redacted>").finish(),
        }
    }
}

/// A configured API client. Cheap to clone: clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    credentials: Option<Credentials>,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]; start from `Client::builder()`.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
    retry: RetryPolicy,
}

impl ClientBuilder {
    /// A builder pointed at `base_url`, with default timeouts and no credentials.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            credentials: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
        }
    }

    /// Reads credentials and an optional base URL from the environment: `{prefix}_TOKEN` (a
    /// bearer token), or else `{prefix}_USERNAME` and `{prefix}_PASSWORD` (basic auth), and
    /// `{prefix}_URL`. Fails naming the variable that is missing.
    pub fn credentials_from_env(self, prefix: &str) -> Result<Self, BuildError> {
        let var = |suffix: &str| {
            let name = format!("{prefix}_{suffix}");
            match std::env::var(&name) {
                Ok(v) if !v.is_empty() => Ok(Some(v)),
                Ok(_) | Err(std::env::VarError::NotPresent) => Ok(None),
                Err(std::env::VarError::NotUnicode(_)) => Err(BuildError(format!("{name} is not valid UTF-8"))),
            }
        };
        let mut builder = match var("URL")? {
            Some(url) => self.base_url(url),
            None => self,
        };
        if let Some(token) = var("TOKEN")? {
            return Ok(builder.bearer_token(token));
        }
        let missing = |suffix: &str| {
            BuildError(format!(
                "environment variable {prefix}_{suffix} is not set (or set {prefix}_TOKEN)"
            ))
        };
        let username = var("USERNAME")?.ok_or_else(|| missing("USERNAME"))?;
        let password = var("PASSWORD")?.ok_or_else(|| missing("PASSWORD"))?;
        builder = builder.basic_auth(username, password);
        Ok(builder)
    }

    /// Sends requests to `url` instead of the server the API description names.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Authenticates with HTTP basic auth.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Basic {
            username: username.into(),
            password: password.into(),
        });
        self
    }

    /// Authenticates with a bearer token.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Bearer(token.into()));
        self
    }

    /// Limits each request, from connecting to reading the whole body; `None` waits forever.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limits connection set-up; `None` waits forever.
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets when failed requests are retried; [`RetryPolicy::disabled`] switches retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Replaces the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(BuildError(format!(
                "base URL {base_url:?} must start with http:// or https://"
            )));
        }
        let mut http = reqwest::Client::builder().user_agent(self.user_agent);
        if let Some(t) = self.timeout {
            http = http.timeout(t);
        }
        if let Some(t) = self.connect_timeout {
            http = http.connect_timeout(t);
        }
        let http = http
            .build()
            .map_err(|e| BuildError(format!("could not set up the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                retry: self.retry,
            }),
        })
    }
}

/// A client could not be built from its configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.0)
    }
}

impl std::error::Error for BuildError {}

/// HTTP methods, as operation descriptions name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// Whether sending the request twice has the effect of sending it once (RFC 9110).
    fn is_idempotent(self) -> bool {
        !matches!(self, HttpMethod::Post | HttpMethod::Patch)
    }

    fn to_reqwest(self) -> reqwest::Method {
        match self {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Delete => reqwest::Method::DELETE,
            HttpMethod::Options => reqwest::Method::OPTIONS,
            HttpMethod::Head => reqwest::Method::HEAD,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Trace => reqwest::Method::TRACE,
        }
    }
}

/// Which response statuses an entry of [`OperationMeta::errors`] covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum StatusKey {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

/// Decodes an error body into the API's error body type.
#[doc(hidden)]
pub type Decoder<B> = fn(&[u8]) -> Result<B, serde_json::Error>;

/// What the runtime needs to know about one operation; generated as a `static`.
#[derive(Debug)]
#[doc(hidden)]
pub struct OperationMeta<B: 'static> {
    pub operation_id: &'static str,
    pub method: HttpMethod,
    pub path: &'static str,
    pub requires_auth: bool,
    /// Declared error responses and the decoder of each one's body, if it has a schema.
    pub errors: &'static [(StatusKey, Option<Decoder<B>>)],
}

impl<B> OperationMeta<B> {
    /// The declared error response for `status`: exact code, then range, then `default`.
    fn error_case(&self, status: u16) -> Option<&(StatusKey, Option<Decoder<B>>)> {
        let find = |key: StatusKey| self.errors.iter().find(|(k, _)| *k == key);
        find(StatusKey::Code(status))
            .or_else(|| find(StatusKey::Range(status / 100)))
            .or_else(|| find(StatusKey::Default))
    }
}

/// A value that can be written into a path segment, query string or header.
pub trait ToParam {
    /// The parameter's text, before any percent-encoding.
    fn to_param(&self) -> String;
}

macro_rules! to_param_display {
    ($($t:ty),*) => { $( impl ToParam for $t { fn to_param(&self) -> String { self.to_string() } } )* };
}
to_param_display!(
    str,
    String,
    bool,
    i32,
    i64,
    u32,
    u64,
    f32,
    f64,
    uuid::Uuid,
    chrono::NaiveDate
);

impl ToParam for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

/// A path parameter, percent-encoded so it stays one path segment.
#[doc(hidden)]
pub fn path_segment<T: ToParam + ?Sized>(value: &T) -> String {
    let raw = value.to_param();
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// One request being assembled by a generated builder.
#[doc(hidden)]
pub struct Request<'a, B: 'static> {
    client: &'a Client,
    meta: &'static OperationMeta<B>,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<(Vec<u8>, &'static str)>,
}

impl Client {
    /// Starts a request for an operation; used by the generated builders.
    #[doc(hidden)]
    pub fn request<B>(&self, meta: &'static OperationMeta<B>, path: String) -> Request<'_, B> {
        Request {
            client: self,
            meta,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl<B> Request<'_, B> {
    /// Adds a query parameter when the value is present.
    pub fn query<T: ToParam + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(v) = value {
            self.query.push((name, v.to_param()));
        }
    }

    /// Adds a header when the value is present.
    pub fn header<T: ToParam + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(v) = value {
            self.headers.push((name, v.to_param()));
        }
    }

    /// Adds a cookie when the value is present.
    pub fn cookie<T: ToParam + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(v) = value {
            self.headers.push(("cookie", format!("{name}={}", v.to_param())));
        }
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error<B>> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidRequest(format!("the request body could not be encoded as JSON: {e}")))?;
        self.body = Some((bytes, "application/json"));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from a flat JSON object.
    pub fn form<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error<B>> {
        let value = serde_json::to_value(body)
            .map_err(|e| Error::InvalidRequest(format!("the request body could not be encoded: {e}")))?;
        let serde_json::Value::Object(fields) = value else {
            return Err(Error::InvalidRequest("a form body must be an object".into()));
        };
        let mut encoded = String::new();
        for (k, v) in fields {
            let v = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            if !encoded.is_empty() {
                encoded.push('&');
            }
            encoded.push_str(&path_segment(k.as_str()));
            encoded.push('=');
            encoded.push_str(&path_segment(v.as_str()));
        }
        self.body = Some((encoded.into_bytes(), "application/x-www-form-urlencoded"));
        Ok(())
    }

    /// Sends the request, retrying as the client's [`RetryPolicy`] allows, and reads the whole
    /// response. Non-2xx statuses become [`Error::Api`] (or [`Error::RateLimited`] for a 429 that
    /// outlasted the retries).
    pub async fn send(mut self) -> Result<Response, Error<B>> {
        let policy = self.client.inner.retry.clone();
        let body = self
            .body
            .take()
            .map(|(bytes, content_type)| (bytes::Bytes::from(bytes), content_type));
        // Replaying is safe for idempotent methods, and for others when the caller made the
        // request idempotent with an `Idempotency-Key`.
        let replay_safe = self.meta.method.is_idempotent()
            || self
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("idempotency-key"));
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        loop {
            let outcome = self.attempt(body.clone()).await;
            let retry_after = match &outcome {
                Ok((status, _, _)) if (200..300).contains(status) => None,
                // 429 means the request was not processed, so any method may be retried.
                Ok((429, headers, _)) => Some(retry_after(headers)),
                Ok((502..=504, headers, _)) if replay_safe => Some(retry_after(headers)),
                Err(e) if replay_safe && (e.is_connect() || e.is_request()) => Some(None),
                _ => None,
            };
            let delay = retry_after.and_then(|after| policy.delay(attempt, after, waited));
            match delay {
                Some(delay) => {
                    tokio::time::sleep(delay).await;
                    waited += delay;
                    attempt += 1;
                }
                None => return self.finish(outcome, attempt),
            }
        }
    }

    /// One attempt: the status, headers and whole body, or the transport failure.
    async fn attempt(
        &self,
        body: Option<(bytes::Bytes, &'static str)>,
    ) -> Result<(u16, reqwest::header::HeaderMap, bytes::Bytes), reqwest::Error> {
        let inner = &self.client.inner;
        let url = format!("{}{}", inner.base_url, self.path);
        let mut req = inner
            .http
            .request(self.meta.method.to_reqwest(), url)
            .header("accept", "application/json");
        if !self.query.is_empty() {
            req = req.query(&self.query);
        }
        for (name, value) in &self.headers {
            req = req.header(*name, value);
        }
        if self.meta.requires_auth {
            req = match &inner.credentials {
                Some(Credentials::Basic { username, password }) => req.basic_auth(username, Some(password)),
                Some(Credentials::Bearer(token)) => req.bearer_auth(token),
                None => req,
            };
        }
        if let Some((bytes, content_type)) = body {
            req = req.header("content-type", content_type).body(bytes);
        }
        let response = req.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        Ok((status, headers, body))
    }

    /// Turns the last attempt into the caller's result.
    fn finish(
        &self,
        outcome: Result<(u16, reqwest::header::HeaderMap, bytes::Bytes), reqwest::Error>,
        attempts: u32,
    ) -> Result<Response, Error<B>> {
        let (status, headers, body) = outcome.map_err(Error::Transport)?;
        if (200..300).contains(&status) {
            return Ok(Response { status, headers, body });
        }
        let typed = match self.meta.error_case(status) {
            Some((_, Some(decode))) if !body.is_empty() => decode(&body).ok(),
            _ => None,
        };
        let error = Box::new(ApiError {
            operation_id: self.meta.operation_id,
            status,
            headers,
            body,
            typed,
        });
        if status == 429 {
            let retry_after = retry_after(&error.headers);
            return Err(Error::RateLimited {
                error,
                retry_after,
                attempts,
            });
        }
        Err(Error::Api(error))
    }
}

/// The server's `Retry-After`, in seconds or as an HTTP date.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// When and how often failed requests are retried: on 429 (any method), on 502, 503 and 504 and
/// on connection failures (idempotent methods, or requests carrying an `Idempotency-Key`).
///
/// Waits grow exponentially with full jitter, and never undercut the server's `Retry-After`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 switches retries off.
    pub max_attempts: u32,
    /// Upper bound of the first wait; doubled for each further attempt.
    pub initial_backoff: Duration,
    /// Upper bound of any one computed wait.
    pub max_backoff: Duration,
    /// Give up rather than wait longer than this in all (a longer `Retry-After` included).
    pub max_total_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_total_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before attempt `attempt + 1`, or `None` to give up.
    fn delay(&self, attempt: u32, retry_after: Option<Duration>, waited: Duration) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let cap = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_backoff);
        let jittered = cap.mul_f64(jitter());
        let delay = retry_after.map_or(jittered, |after| after.max(jittered));
        (waited + delay <= self.max_total_delay).then_some(delay)
    }
}

/// A uniformly spread number in [0, 1), from the standard library's randomly seeded hasher.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The pages of an offset-paginated operation as a stream: `fetch` sends the builder with an
/// offset, `progress` tells how many items a page held and whether another page follows.
#[doc(hidden)]
pub fn pages<Bd, P, B, Fut>(
    builder: Bd,
    first_offset: i64,
    fetch: fn(Bd, i64) -> Fut,
    progress: fn(&P) -> (usize, bool),
) -> impl futures::Stream<Item = Result<P, Error<B>>>
where
    Bd: Clone,
    Fut: std::future::Future<Output = Result<P, Error<B>>>,
{
    futures::stream::try_unfold(Some(first_offset), move |offset| {
        let builder = builder.clone();
        async move {
            let Some(offset) = offset else {
                return Ok(None);
            };
            let page = fetch(builder, offset).await?;
            let (count, has_next) = progress(&page);
            // An empty page ends the stream even if it links onwards, so a server that keeps
            // answering `next` cannot make it loop forever.
            let next = (has_next && count > 0).then(|| offset.saturating_add(count as i64));
            Ok(Some((page, next)))
        }
    })
}

/// The items of a stream of pages, in order.
#[doc(hidden)]
pub fn items<P, T, B>(
    pages: impl futures::Stream<Item = Result<P, Error<B>>>,
    take: fn(P) -> Vec<T>,
) -> impl futures::Stream<Item = Result<T, Error<B>>> {
    use futures::TryStreamExt;
    pages
        .map_ok(move |page| futures::stream::iter(take(page).into_iter().map(Ok)))
        .try_flatten()
}

/// A successful (2xx) response, read in full.
#[derive(Debug)]
#[doc(hidden)]
pub struct Response {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: bytes::Bytes,
}

impl Response {
    /// Decodes the body as JSON of type `T`.
    pub fn json<T: serde::de::DeserializeOwned, B>(self) -> Result<T, Error<B>> {
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            self.decode_error(Some(path).filter(|p| p != "."), e.into_inner())
        })?;
        de.end().map_err(|e| self.decode_error(None, e))?;
        Ok(value)
    }

    /// Decodes any JSON body; an empty body is `null`.
    pub fn untyped<B>(self) -> Result<serde_json::Value, Error<B>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Null);
        }
        self.json()
    }

    /// Ignores the body, which the operation declares empty.
    pub fn unit<B>(self) -> Result<(), Error<B>> {
        Ok(())
    }

    fn decode_error<B>(&self, path: Option<String>, e: serde_json::Error) -> Error<B> {
        Error::Decode(DecodeError {
            status: self.status,
            content_type: self
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            path,
            message: e.to_string(),
            body: snippet(&self.body),
        })
    }
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(SNIPPET_LEN) {
        Some((cut, _)) => format!("{}… ({} bytes in all)", &text[..cut], body.len()),
        None => text.into_owned(),
    }
}

/// Everything that can go wrong calling the API. `B` is the API's typed error body.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<B> {
    /// The server answered with a non-2xx status.
    Api(Box<ApiError<B>>),
    /// The server kept answering 429 Too Many Requests until the retries ran out.
    RateLimited {
        /// The last answer.
        error: Box<ApiError<B>>,
        /// The last `Retry-After` the server sent, if any.
        retry_after: Option<Duration>,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The server answered 2xx, but the body did not match the declared type.
    Decode(DecodeError),
    /// The request did not complete: connection, TLS, timeout or body read failure.
    Transport(reqwest::Error),
    /// The request was not sent because it is invalid.
    InvalidRequest(String),
    /// The client could not be built.
    Build(BuildError),
}

impl<B> Error<B> {
    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::RateLimited { error, .. } => Some(error.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::InvalidRequest(_) | Error::Build(_) => None,
        }
    }
}

impl<B: fmt::Debug> fmt::Display for Error<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::RateLimited {
                error,
                retry_after,
                attempts,
            } => {
                write!(f, "rate limited: {error}, still after {attempts} attempt(s)")?;
                match retry_after {
                    Some(after) => write!(f, "; the server asks to wait {} s", after.as_secs()),
                    None => write!(f, "; wait before trying again or lower the request rate"),
                }
            }
            Error::Decode(e) => fmt::Display::fmt(e, f),
            Error::Transport(e) => {
                let kind = if e.is_timeout() {
                    "timed out"
                } else if e.is_connect() {
                    "could not connect"
                } else {
                    "failed in transport"
                };
                write!(f, "the request {kind}: {e}")?;
                let mut source = std::error::Error::source(e);
                while let Some(s) = source {
                    write!(f, ": {s}")?;
                    source = s.source();
                }
                Ok(())
            }
            Error::InvalidRequest(m) => write!(f, "invalid request, not sent: {m}"),
            Error::Build(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<B: fmt::Debug> std::error::Error for Error<B> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Build(e) => Some(e),
            _ => None,
        }
    }
}

impl<B> From<BuildError> for Error<B> {
    fn from(e: BuildError) -> Self {
        Error::Build(e)
    }
}

/// A non-2xx answer from the server.
pub struct ApiError<B> {
    operation_id: &'static str,
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: bytes::Bytes,
    typed: Option<B>,
}

impl<B> ApiError<B> {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The request id the server assigned, from `x-request-id`, if present.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("x-request-id").and_then(|v| v.to_str().ok())
    }

    /// The body decoded as the schema the operation declares for this status, if it declares
    /// one and the body matched it.
    pub fn body(&self) -> Option<&B> {
        self.typed.as_ref()
    }

    /// The body as received.
    pub fn raw_body(&self) -> &[u8] {
        &self.body
    }

    /// The operation that failed.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }
}

impl<B: fmt::Debug> fmt::Debug for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            .field("request_id", &self.request_id())
            .field("body", &self.typed)
            .field("raw_body", &snippet(&self.body))
            .finish()
    }
}

impl<B: fmt::Debug> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation_id, self.status)?;
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        if !self.body.is_empty() {
            write!(f, ": {}", snippet(&self.body))?;
        }
        Ok(())
    }
}

/// A 2xx body that did not match the declared type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The HTTP status.
    pub status: u16,
    /// The response's content type, if given.
    pub content_type: Option<String>,
    /// Where in the JSON decoding failed (e.g. `results[3].id`), if known.
    pub path: Option<String>,
    /// What serde reported.
    pub message: String,
    /// The start of the body.
    pub body: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the HTTP {} response body did not match the expected type",
            self.status
        )?;
        if let Some(p) = &self.path {
            write!(f, " at `{p}`")?;
        }
        write!(f, ": {}; body: {}", self.message, self.body)
    }
}

impl std::error::Error for DecodeError {}

/// Deserializes a string without copying when the input allows it.
#[doc(hidden)]
pub fn deserialize_str<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Cow<'de, str>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Cow<'de, str>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(v))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.to_owned()))
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v))
        }
    }
    deserializer.deserialize_str(Visitor)
}

struct Int64Visitor;

impl serde::de::Visitor<'_> for Int64Visitor {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an int64 as a string or a number")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Str(v), &self))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
    }
}

/// Serde adapter for an int64 carried as a JSON string (`"type": "string", "format": "int64"`).
/// Reads a string or a number; writes a string.
#[doc(hidden)]
pub mod int64_string {
    pub fn serialize<S: serde::Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_any(super::Int64Visitor)
    }
}

/// [`int64_string`] for optional and nullable fields.
#[doc(hidden)]
pub mod option_int64_string {
    pub fn serialize<S: serde::Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.collect_str(v),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Option<i64>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("null or an int64 as a string or a number")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                super::int64_string::deserialize(d).map(Some)
            }
        }
        deserializer.deserialize_option(Visitor)
    }
}
