//! The one error type of every operation, and what it carries.

use super::auth::BoxError;
use super::client::BuildError;
use std::fmt;
use std::time::Duration;

/// How much of a body an error message quotes.
const SNIPPET_LEN: usize = 512;

pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(SNIPPET_LEN) {
        Some((cut, _)) => format!("{}… ({} bytes in all)", &text[..cut], body.len()),
        None => text.into_owned(),
    }
}

/// The request id among `headers`: `x-request-id`, `request-id` or `x-amzn-requestid`.
pub(crate) fn request_id(headers: &reqwest::header::HeaderMap) -> Option<&str> {
    ["x-request-id", "request-id", "x-amzn-requestid"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
}

/// Everything that can go wrong calling the API. `B` is the API's typed error body.
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
    /// The server answered with a redirect the client does not follow (see
    /// [`RedirectPolicy`](super::RedirectPolicy)): to another origin, of a request other than
    /// `GET` or `HEAD`, or one too many. Nothing was sent to the new location.
    Redirected {
        /// The redirecting answer; its `Location` header is in [`ApiError::headers`].
        error: Box<ApiError<B>>,
        /// Where the server pointed, as it said it.
        location: Option<String>,
    },
    /// The server answered 2xx, but the body did not match the declared type.
    Decode(DecodeError),
    /// The request did not complete: connection, TLS, timeout or body read failure.
    Transport(reqwest::Error),
    /// The request was not sent because it is invalid: a value breaks a constraint the API
    /// description declares, or cannot be encoded.
    InvalidRequest(String),
    /// The credentials could not be applied, so nothing was sent: the
    /// [`TokenProvider`](super::TokenProvider) failed to supply a token, or a key holds
    /// characters a header cannot carry.
    Auth(BoxError),
    /// The response body was larger than the client accepts
    /// ([`ClientBuilder::max_response_body`](super::ClientBuilder::max_response_body)).
    ResponseTooLarge {
        /// The HTTP status.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
    },
    /// Long-running work did not finish before the deadline of its [`PollPolicy`](super::PollPolicy).
    PollDeadline {
        /// How long the client polled.
        waited: Duration,
        /// The last state seen, as `Debug` prints it.
        last_state: String,
    },
    /// The client could not be built.
    Build(BuildError),
    /// A [`Hooks`](super::Hooks) method refused the call; when it was `before_send`, nothing
    /// was sent.
    Hook(BoxError),
    /// A middleware of the application's stack
    /// ([`ClientBuilder::middleware`](super::ClientBuilder)) failed.
    Middleware(BoxError),
    /// The body to upload could not be read: its file could not be opened, or its stream was
    /// already sent by an earlier call (see [`Upload`](super::Upload)). Nothing was sent.
    Upload(BoxError),
    /// An event stream sent a line, or an event, longer than the limit (the client's
    /// [`max_response_body`](super::ClientBuilder::max_response_body), or the stream's own
    /// [`max_event_size`](super::EventStream::max_event_size)); the stream ends with it.
    EventTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// Nothing arrived for as long as the timeout allows: no answer to an event stream's
    /// request, or, once it streams, neither an event nor a keep-alive.
    Silent {
        /// How long the client waited.
        after: Duration,
    },
}

impl<B> Error<B> {
    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::RateLimited { error, .. } | Error::Redirected { error, .. } => Some(error.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::InvalidRequest(_)
            | Error::Auth(_)
            | Error::PollDeadline { .. }
            | Error::Build(_)
            | Error::Hook(_)
            | Error::Upload(_)
            | Error::Middleware(_)
            | Error::EventTooLarge { .. }
            | Error::Silent { .. } => None,
        }
    }
}

/// `location` without its query or fragment, where a signed URL keeps its signature.
fn without_query(location: &str) -> &str {
    location.split(['?', '#']).next().unwrap_or(location)
}

/// As a derived `Debug` would print it, but for a redirect's `Location`, shown without its
/// query as `Display` shows it.
impl<B: fmt::Debug> fmt::Debug for Error<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::RateLimited {
                error,
                retry_after,
                attempts,
            } => f
                .debug_struct("RateLimited")
                .field("error", error)
                .field("retry_after", retry_after)
                .field("attempts", attempts)
                .finish(),
            Error::Redirected { error, location } => f
                .debug_struct("Redirected")
                .field("error", error)
                .field("location", &location.as_deref().map(without_query))
                .finish(),
            Error::Decode(e) => f.debug_tuple("Decode").field(e).finish(),
            Error::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            Error::InvalidRequest(m) => f.debug_tuple("InvalidRequest").field(m).finish(),
            Error::Auth(e) => f.debug_tuple("Auth").field(e).finish(),
            Error::ResponseTooLarge { status, limit } => f
                .debug_struct("ResponseTooLarge")
                .field("status", status)
                .field("limit", limit)
                .finish(),
            Error::PollDeadline { waited, last_state } => f
                .debug_struct("PollDeadline")
                .field("waited", waited)
                .field("last_state", last_state)
                .finish(),
            Error::Build(e) => f.debug_tuple("Build").field(e).finish(),
            Error::Hook(e) => f.debug_tuple("Hook").field(e).finish(),
            Error::Middleware(e) => f.debug_tuple("Middleware").field(e).finish(),
            Error::Upload(e) => f.debug_tuple("Upload").field(e).finish(),
            Error::EventTooLarge { limit } => f.debug_struct("EventTooLarge").field("limit", limit).finish(),
            Error::Silent { after } => f.debug_struct("Silent").field("after", after).finish(),
        }
    }
}

impl<B: fmt::Debug> fmt::Display for Error<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::RateLimited { error, retry_after, .. } => {
                // The answer says how many attempts were made.
                write!(f, "rate limited: {error}")?;
                match retry_after {
                    Some(after) => write!(f, "; the server asks to wait {} s", after.as_secs()),
                    None => write!(f, "; wait before trying again or lower the request rate"),
                }
            }
            Error::Redirected { error, location } => {
                // A location's query may hold a signed token: it is not printed.
                let shown = location
                    .as_deref()
                    .map(without_query)
                    .unwrap_or("nowhere (no Location header)");
                write!(
                    f,
                    "{} was redirected with HTTP {} to {shown}; only redirects of GET and HEAD requests within the same origin are followed (see ClientBuilder::redirects), so nothing was sent there",
                    error.operation_id, error.status
                )
            }
            Error::Decode(e) => fmt::Display::fmt(e, f),
            Error::Transport(e) => {
                let (kind, advice) = if e.is_timeout() {
                    ("timed out", "raise the timeout or try again later")
                } else if e.is_connect() {
                    ("could not connect", "check the base URL and the network")
                } else {
                    ("failed in transport", "try again later")
                };
                write!(f, "the request {kind}: {e}; {advice}")
            }
            Error::InvalidRequest(m) => write!(f, "invalid request, not sent: {m}"),
            Error::Auth(e) => write!(f, "no request sent: the credentials could not be applied: {e}"),
            Error::ResponseTooLarge { status, limit } => write!(
                f,
                "the HTTP {status} response body exceeds the {limit}-byte limit; raise it with ClientBuilder::max_response_body"
            ),
            Error::PollDeadline { waited, last_state } => write!(
                f,
                "still not finished after {} s (last state: {last_state}); poll again later or allow a longer deadline",
                waited.as_secs()
            ),
            Error::Build(e) => fmt::Display::fmt(e, f),
            Error::Hook(e) => write!(f, "a hook stopped the call: {e}"),
            Error::Upload(e) => write!(f, "the upload could not be read: {e}"),
            Error::Middleware(e) => write!(f, "a middleware failed: {e}"),
            Error::EventTooLarge { limit } => write!(
                f,
                "the event stream sent a line or an event of more than {limit} bytes, so it was closed; raise the limit with EventStream::max_event_size if the API's events are that large"
            ),
            Error::Silent { after } => write!(
                f,
                "nothing arrived for {} s; raise the timeout (RequestOptions::timeout) or try again later",
                after.as_secs_f64()
            ),
        }
    }
}

/// Each variant's `Display` says what the error it wraps says, so the chain goes on from that
/// error's own cause: a reporter that prints every cause (anyhow's `{:#}`) prints each once.
/// The wrapped error itself is the variant's field (`Error::Auth(e)`: downcast `e`).
impl<B: fmt::Debug> std::error::Error for Error<B> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => e.source(),
            Error::Build(e) => e.source(),
            Error::Auth(e) | Error::Hook(e) | Error::Middleware(e) | Error::Upload(e) => e.source(),
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
    pub(crate) operation_id: &'static str,
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: bytes::Bytes,
    pub(crate) typed: Option<B>,
    pub(crate) attempts: u32,
    /// What the operation requires, in words; empty when nothing.
    pub(crate) credentials: &'static str,
    /// What the document says this status means for the operation (401 and 403).
    pub(crate) denial: Option<&'static str>,
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

    /// The request id the server assigned, if it sent one: `x-request-id`, `request-id`, or
    /// the API gateway's `x-amzn-requestid`. Quote it when asking the API's support.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
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

    /// How many times the request was sent, retries included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// What the operation requires, in words ("`oauth` with scope `sites:write`, or
    /// `apiKey`"), as its docs and a 401 or 403's message say it; `None` if it requires no
    /// credentials.
    pub fn required_credentials(&self) -> Option<&'static str> {
        Some(self.credentials).filter(|c| !c.is_empty())
    }
}

impl<B: fmt::Debug> fmt::Debug for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .field("request_id", &self.request_id())
            .field("body", &self.typed)
            .field("raw_body", &snippet(&self.body))
            .finish()
    }
}

impl<B: fmt::Debug> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation_id, self.status)?;
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        if !self.body.is_empty() {
            write!(f, ": {}", snippet(&self.body))?;
        }
        if let Some(meaning) = self.denial {
            write!(f, " ({})", meaning.trim_end_matches('.'))?;
        }
        let required = match self.status {
            401 | 403 => self.required_credentials(),
            _ => None,
        };
        match (self.status, required) {
            (401, Some(required)) => write!(f, "; check the credentials: this operation requires {required}"),
            (403, Some(required)) => write!(
                f,
                "; the credentials lack permission: this operation requires {required}"
            ),
            (401, None) => f.write_str("; check the credentials"),
            (403, None) => f.write_str("; the credentials lack permission for this"),
            (404, _) => f.write_str("; check the IDs in the request"),
            (500..=599, _) => f.write_str("; the server failed, try again later"),
            _ => Ok(()),
        }
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
        match &self.content_type {
            Some(t) => write!(f, " (Content-Type {t})")?,
            None => write!(f, " (no Content-Type)")?,
        }
        write!(f, ": {}; body: {}", self.message, self.body)
    }
}

impl std::error::Error for DecodeError {}

impl<B> From<super::params::InvalidParam> for Error<B> {
    fn from(e: super::params::InvalidParam) -> Self {
        Error::InvalidRequest(e.0)
    }
}
