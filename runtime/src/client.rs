//! [`Client`] and its builder: where requests go, how they authenticate, how long they may take
//! and how they are retried.

use super::auth::{Auth, TokenProvider};
use super::hooks::Hooks;
use super::ratelimit::{Limiter, RateLimit};
use super::redirect::RedirectPolicy;
use super::retry::RetryPolicy;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Default whole-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap on a response body read into memory.
const DEFAULT_MAX_BODY: usize = 64 * 1024 * 1024;

/// A function that sees every request just before it is sent (each retry included), to add
/// headers or inspect it. Credentials are already set on it, in headers marked sensitive.
pub type RequestHook = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;

/// A configured API client. Cheap to clone: clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    /// Builds the requests, and sends them unless `middleware` does.
    pub(crate) http: reqwest::Client,
    /// The application's middleware stack, which sends every request when set.
    #[cfg(feature = "middleware")]
    pub(crate) middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    pub(crate) base_url: String,
    pub(crate) auth: Auth,
    pub(crate) retry: RetryPolicy,
    /// Whether the application chose `retry` (it then wins over operations' declared ones).
    pub(crate) retry_chosen: bool,
    /// What runs around each attempt, in order: the `on_request` function, then the hooks.
    pub(crate) interceptors: Vec<Arc<dyn Hooks>>,
    pub(crate) max_body: usize,
    pub(crate) redirects: RedirectPolicy,
    pub(crate) timeout: Option<Duration>,
    pub(crate) user_agent: reqwest::header::HeaderValue,
    pub(crate) limiter: Limiter,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

/// Builds a [`Client`]; start from `Client::builder()`.
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    auth: Auth,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
    retry: RetryPolicy,
    /// Whether the application chose the policy (`retry`), which then wins over the ones the
    /// API description declares for operations.
    retry_chosen: bool,
    hook: Option<RequestHook>,
    hooks: Option<Arc<dyn Hooks>>,
    max_body: usize,
    redirects: RedirectPolicy,
    http: Option<reqwest::Client>,
    #[cfg(feature = "middleware")]
    middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    rate_limits: Vec<RateLimit>,
    /// Whether operations keep the limits the document declares for them.
    operation_limits: bool,
    rate_limit_headers: bool,
    /// An OAuth session, given the client's base URL and HTTP client when it is built.
    oauth: Option<super::OAuthSession>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("hook", &self.hook.as_ref().map(|_| "<fn>"))
            .field("hooks", &self.hooks.as_ref().map(|_| "<hooks>"))
            .field("max_body", &self.max_body)
            .field("redirects", &self.redirects)
            .field(
                "http",
                &self.http.as_ref().map(|_| "<the application's reqwest::Client>"),
            )
            .field("rate_limits", &self.rate_limits)
            .field("rate_limit_headers", &self.rate_limit_headers)
            .finish()
    }
}

impl ClientBuilder {
    /// A builder pointed at `base_url`, with default timeouts and retries and no credentials.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            auth: Auth::default(),
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            retry_chosen: false,
            hook: None,
            hooks: None,
            max_body: DEFAULT_MAX_BODY,
            redirects: RedirectPolicy::default(),
            http: None,
            #[cfg(feature = "middleware")]
            middleware: None,
            rate_limits: Vec::new(),
            operation_limits: true,
            rate_limit_headers: true,
            oauth: None,
        }
    }

    /// Sends requests to `url` instead of the server the API description names.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Authenticates with HTTP basic auth where an operation asks for it.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.auth.set_basic(username.into(), password.into());
        self
    }

    /// Authenticates with a fixed bearer token (an HTTP bearer key or an OAuth 2.0 access
    /// token) where an operation asks for one.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.auth.set_bearer(token.into());
        self
    }

    /// Authenticates with bearer tokens from `provider`, which may refresh them; see
    /// [`TokenProvider`]. Replaces any fixed [`bearer_token`](Self::bearer_token).
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.auth.set_provider(Arc::new(provider));
        self
    }

    /// Sets the key of the API-key security scheme named `scheme` in the document. Generated
    /// clients offer a method per scheme that calls this.
    #[doc(hidden)]
    pub fn api_key_for(mut self, scheme: &str, key: impl Into<String>) -> Self {
        self.auth.set_api_key(scheme, key.into());
        self
    }

    /// Authenticates with OAuth 2.0 tokens from `session`, which renews them (see
    /// [`OAuthSession`](super::OAuthSession)). Unless it was given its own, the session sends
    /// to the authorization server through this client's HTTP client, and takes relative
    /// endpoint URLs from this client's base URL. Replaces any
    /// [`bearer_token`](Self::bearer_token) or [`token_provider`](Self::token_provider).
    pub fn oauth(mut self, session: super::OAuthSession) -> Self {
        self.auth.set_provider(Arc::new(session.clone()));
        self.oauth = Some(session);
        self
    }

    /// Signs requests with AWS Signature Version 4 where an operation's scheme says so (an API
    /// gateway's `awsSigv4`), with the crate's `sigv4` feature.
    pub fn aws_credentials(mut self, credentials: super::AwsCredentials) -> Self {
        self.auth.sigv4 = Some(credentials);
        self
    }

    /// Sends the bearer token, or else the basic credentials, also to operations whose declared
    /// security the client holds no credential for: for an API that takes a kind of
    /// credential its description does not declare. Off by default, so a credential goes only
    /// where the document asks for it.
    pub fn fallback_credentials(mut self, fallback: bool) -> Self {
        self.auth.set_fallback(fallback);
        self
    }

    /// Sends at most `limit.requests()` requests in any period of `limit.period()`, counting
    /// every request of the client and its clones (retries included); requests over the limit
    /// wait their turn, in order. The period is kept with a guard of a twentieth of it (at most
    /// a second), so that timer and network jitter do not put a request into the server's
    /// count of the window before. Call it again for more windows: all hold together
    /// (`RateLimit::per_second(10)` and `RateLimit::new(1000, 15 minutes)`). The time a request
    /// waits for its turn does not count against its [`timeout`](Self::timeout), which starts
    /// when it is sent. Limits the document declares (`x-rate-limits`) are set already;
    /// [`no_rate_limits`](Self::no_rate_limits) removes them.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limits.push(limit);
        self
    }

    /// Removes the rate limits set so far and those the document declares, for every request
    /// and for single operations.
    pub fn no_rate_limits(mut self) -> Self {
        self.rate_limits.clear();
        self.operation_limits = false;
        self
    }

    /// Whether to pause when the server says its quota is spent (on by default): its
    /// `RateLimit` header (IETF), `X-RateLimit-Remaining: 0` with `X-RateLimit-Reset`, or a 429's
    /// `Retry-After`. Until the reset, no request of the client goes out. A reset more than a
    /// day away, negative, or unreadable is ignored.
    pub fn rate_limit_headers(mut self, follow: bool) -> Self {
        self.rate_limit_headers = follow;
        self
    }

    /// Limits each request, from connecting to reading the whole body; `None` waits forever.
    /// [`RequestOptions::timeout`](super::RequestOptions::timeout) overrides it per request.
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
    /// [`RequestOptions::retry`](super::RequestOptions::retry) overrides it per request.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self.retry_chosen = true;
        self
    }

    /// The retries the API description declares for every operation: the default policy,
    /// until the application chooses one with [`retry`](Self::retry).
    #[doc(hidden)]
    pub fn declared_retry(mut self, policy: RetryPolicy) -> Self {
        if !self.retry_chosen {
            self.retry = policy;
        }
        self
    }

    /// Replaces the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Calls `hook` with every request just before it is sent, retries and redirects followed
    /// included: to add headers, sign requests or record them.
    pub fn on_request(mut self, hook: impl Fn(&mut reqwest::Request) + Send + Sync + 'static) -> Self {
        self.hook = Some(Arc::new(hook));
        self
    }

    /// Runs `hooks` around every attempt of every call: asynchronous, and able to stop the call
    /// (see [`Hooks`]). They run after [`on_request`](Self::on_request).
    pub fn hooks(mut self, hooks: impl Hooks) -> Self {
        self.hooks = Some(Arc::new(hooks));
        self
    }

    /// Sends through `client`, an HTTP client the application built: for proxies, its own root
    /// or client certificates, or a connection pool shared with other code.
    ///
    /// Still applied by this client: the base URL, credentials, the [`timeout`](Self::timeout)
    /// (set on each request), retries, the [`User-Agent`](Self::user_agent), hooks, the body
    /// limit, and the [redirect policy](Self::redirects), provided `client` follows no
    /// redirects itself (build it with `.redirect(reqwest::redirect::Policy::none())`;
    /// otherwise it follows its own before this client sees the answer). Taken from `client`
    /// instead: the [`connect_timeout`](Self::connect_timeout), TLS, proxies, and decompression
    /// (on unless `client` was built with `no_gzip()`, `no_deflate()` or `no_brotli()`).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Sends every request through `client`, a reqwest-middleware stack the application built
    /// (tracing, caching, its own retries, ...); with the crate's `middleware` feature.
    ///
    /// The stack sees each attempt as the client makes it, with credentials set and after
    /// [`hooks`](Self::hooks)' `before_send`; what applies is as for
    /// [`http_client`](Self::http_client), the stack's own client being the one that connects.
    /// A middleware's error ends the call with [`Error::Middleware`](super::Error::Middleware),
    /// not retried. A stack that retries on its own multiplies with the client's retries: turn
    /// one of them off ([`RetryPolicy::disabled`]).
    #[cfg(feature = "middleware")]
    pub fn middleware(mut self, client: reqwest_middleware::ClientWithMiddleware) -> Self {
        self.middleware = Some(client);
        self
    }

    /// Fails a response whose body is larger than `bytes` instead of reading it into memory
    /// (default 64 MiB).
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Which redirects to follow: by default only those of `GET` and `HEAD` requests within the
    /// same origin (see [`RedirectPolicy`]); [`RedirectPolicy::None`] follows none. A redirect
    /// that is not followed is [`Error::Redirected`](super::Error::Redirected).
    pub fn redirects(mut self, policy: RedirectPolicy) -> Self {
        self.redirects = policy;
        self
    }

    /// Builds the client.
    ///
    /// Responses compressed with gzip, deflate or brotli are decoded (the client says so in
    /// `Accept-Encoding`); the body limit applies to the decoded size.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(BuildError(format!(
                "base URL {base_url:?} must start with http:// or https://"
            )));
        }
        if let Some(why) = self.rate_limits.iter().find_map(RateLimit::invalid) {
            return Err(BuildError(why));
        }
        let user_agent = reqwest::header::HeaderValue::from_str(&self.user_agent)
            .map_err(|_| BuildError(format!("user agent {:?} is not a valid header value", self.user_agent)))?;
        let http = match self.http {
            Some(http) => http,
            None => {
                // Redirects are followed by the request loop, which knows the method and the
                // origin (see `RedirectPolicy`); the HTTP client itself follows none and sends
                // no `Referer`. The timeout is set on each request, so it holds for the
                // application's own HTTP client too.
                let mut http = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .referer(false);
                if let Some(t) = self.connect_timeout {
                    http = http.connect_timeout(t);
                }
                http.build()
                    .map_err(|e| BuildError(format!("could not set up the HTTP client: {e}")))?
            }
        };
        if let Some(session) = &self.oauth {
            session.adopt(&base_url, &http);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                #[cfg(feature = "middleware")]
                middleware: self.middleware,
                base_url,
                auth: self.auth,
                retry: self.retry,
                retry_chosen: self.retry_chosen,
                interceptors: self
                    .hook
                    .map(|f| Arc::new(super::hooks::RequestFn(f)) as Arc<dyn Hooks>)
                    .into_iter()
                    .chain(self.hooks)
                    .collect(),
                max_body: self.max_body,
                redirects: self.redirects,
                timeout: self.timeout,
                user_agent,
                limiter: Limiter::new(&self.rate_limits, self.operation_limits, self.rate_limit_headers),
            }),
        })
    }
}

/// A client could not be built from its configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(pub(crate) String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.0)
    }
}

impl std::error::Error for BuildError {}
