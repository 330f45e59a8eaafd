//! One request: assembled by a generated builder, then sent, retried and traced here.

use super::auth::{sensitive, Applied, BoxError, Security};
use super::client::Client;
use super::error::{ApiError, Error};
use super::options::RequestOptions;
use super::params::{cookie_pairs, header_value, path_segment, query_pairs, Style, ToParam};
use super::response::Response;
use super::retry::retry_after;
use super::upload::{Payload, Piece, Upload};
use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, Instant};
use tracing::Instrument;

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

    /// Whether requests of this method carry a body, so one without says its length is 0.
    fn expects_body(self) -> bool {
        matches!(self, HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch)
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
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

/// The error statuses an operation declares, each with the decoder of its body if it has a
/// schema. Operations that declare the same statuses share one table.
#[doc(hidden)]
pub type ErrorTable<B> = &'static [(StatusKey, Option<Decoder<B>>)];

/// What the runtime needs to know about one operation; generated as a `static`.
#[derive(Debug)]
#[doc(hidden)]
pub struct OperationMeta<B: 'static> {
    pub operation_id: &'static str,
    pub method: HttpMethod,
    pub path: &'static str,
    /// Alternative sets of security schemes, with their scopes; empty when the operation needs
    /// no credentials.
    pub security: Security,
    /// Declared error responses and the decoder of each one's body, if it has a schema.
    pub errors: ErrorTable<B>,
    /// What the operation requires, in words ("`oauth` with scope `pets:write`, or
    /// `apiKey`"), as its docs say it, for a 401's or 403's message; empty when nothing.
    pub credentials: &'static str,
    /// What the document says a 401 or 403 of this operation means, for its error message.
    pub denials: &'static [(u16, &'static str)],
    /// The operation's own rate limits, besides the client's.
    pub rate_limits: &'static [super::RateLimit],
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

/// One request being assembled by a generated builder.
#[doc(hidden)]
pub struct Request<'a, B: 'static> {
    client: &'a Client,
    meta: &'static OperationMeta<B>,
    path: Cow<'static, str>,
    query: Vec<(Cow<'static, str>, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<String>,
    /// The encoded body and its `Content-Type` (a multipart one carries its boundary).
    body: Option<(Payload, Cow<'static, str>)>,
    accept: &'static str,
    options: RequestOptions,
    /// A 2xx body is handed over unread, as a stream (see [`Request::send_streaming`]).
    streaming: bool,
    /// An absolute URL (a next page's, from a `Link` header) sent instead of the base URL,
    /// path and query.
    url: Option<reqwest::Url>,
}

/// A copy to send again (to a next page's URL); `B` is only named, so it needs no `Clone`.
impl<B> Clone for Request<'_, B> {
    fn clone(&self) -> Self {
        Request {
            client: self.client,
            meta: self.meta,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body: self.body.clone(),
            accept: self.accept,
            options: self.options.clone(),
            streaming: self.streaming,
            url: self.url.clone(),
        }
    }
}

impl Client {
    /// Starts a request for an operation; used by the generated builders.
    #[doc(hidden)]
    pub fn request<B>(
        &self,
        meta: &'static OperationMeta<B>,
        path: impl Into<Cow<'static, str>>,
        options: RequestOptions,
    ) -> Request<'_, B> {
        Request {
            client: self,
            meta,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            accept: "application/json",
            options,
            streaming: false,
            url: None,
        }
    }
}

/// A response read in full, or a 2xx one whose body is left to stream.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: bytes::Bytes,
    auth: Applied,
    /// The unread 2xx response, when streaming.
    live: Option<reqwest::Response>,
}

/// Why an attempt got no answer.
enum Failure {
    /// Always made by [`Failure::transport`], which takes secrets out of the URL.
    Transport(reqwest::Error),
    TooLarge {
        status: u16,
        limit: usize,
    },
    Credentials(BoxError),
    /// A [`Hooks`](super::Hooks) method refused the call.
    Hook(BoxError),
    /// The body to upload could not be read.
    Upload(BoxError),
    /// A middleware of the application's stack failed.
    #[cfg(feature = "middleware")]
    Middleware(BoxError),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Transport(e) => fmt::Display::fmt(e, f),
            Failure::TooLarge { status, limit } => write!(f, "HTTP {status} body over {limit} bytes"),
            Failure::Credentials(e) => write!(f, "credentials not applied: {e}"),
            Failure::Hook(e) => write!(f, "stopped by a hook: {e}"),
            Failure::Upload(e) => write!(f, "the upload could not be read: {e}"),
            #[cfg(feature = "middleware")]
            Failure::Middleware(e) => write!(f, "a middleware failed: {e}"),
        }
    }
}

impl Failure {
    /// A transport failure, its URL without the query string and user info, where API keys and
    /// passwords may be: a transport error's `Display` and `Debug` print the URL.
    fn transport(mut e: reqwest::Error) -> Failure {
        if let Some(url) = e.url_mut() {
            url.set_query(None);
            url.set_fragment(None);
            // Only URLs with a host can hold user info; both calls fail harmlessly on the others.
            let _ = url.set_username("");
            let _ = url.set_password(None);
        }
        Failure::Transport(e)
    }
}

impl<B> Request<'_, B> {
    /// Adds a query parameter when the value is present.
    pub fn query<T: ToParam + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(v) = value {
            self.query.push((Cow::Borrowed(name), v.to_param()));
        }
    }

    /// Adds a header when the value is present.
    pub fn header<T: ToParam + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(v) = value {
            self.headers.push((name, v.to_param()));
        }
    }

    /// Adds a cookie when the value is present, percent-encoded as structured cookies are, so
    /// a value holding `; x=1` cannot add a cookie.
    pub fn cookie<T: ToParam + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(v) = value {
            self.cookies.push(format!("{name}={}", path_segment(&v.to_param())));
        }
    }

    /// Adds a structured (array or object) query parameter written in `style`.
    pub fn query_styled<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        style: Style,
        explode: bool,
        value: Option<&T>,
    ) -> Result<(), Error<B>> {
        if let Some(v) = value {
            let pairs = query_pairs(name, style, explode, v)?;
            self.query.extend(pairs.into_iter().map(|(k, v)| (Cow::Owned(k), v)));
        }
        Ok(())
    }

    /// Adds a structured header (`simple` style).
    pub fn header_styled<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        explode: bool,
        value: Option<&T>,
    ) -> Result<(), Error<B>> {
        if let Some(v) = value.map(|v| header_value(name, explode, v)).transpose()?.flatten() {
            self.headers.push((name, v));
        }
        Ok(())
    }

    /// Adds a structured cookie (`form` style).
    pub fn cookie_styled<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        explode: bool,
        value: Option<&T>,
    ) -> Result<(), Error<B>> {
        if let Some(v) = value {
            self.cookies.extend(cookie_pairs(name, explode, v)?);
        }
        Ok(())
    }

    /// Asks for these media types instead of JSON.
    pub fn accept(&mut self, media: &'static str) {
        self.accept = media;
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error<B>> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidRequest(format!("the request body could not be encoded as JSON: {e}")))?;
        self.body = Some((Payload::bytes(bytes), Cow::Borrowed("application/json")));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from a flat JSON object.
    ///
    /// An array field is written as its `encoding` says, like a query parameter: by default
    /// (`form`, exploded) one pair per item (`ids=1&ids=2`); `styles` lists the fields written
    /// otherwise, with their style and `explode` (`ids=1,2` for `form` not exploded, `|` or a
    /// space for the delimited styles). Objects are sent as JSON text.
    pub fn form<T: serde::Serialize + ?Sized>(
        &mut self,
        body: &T,
        styles: &[(&str, Style, bool)],
    ) -> Result<(), Error<B>> {
        let fields = fields_of(body, "form")?;
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in fields {
            match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => pairs.push((k, s)),
                items @ serde_json::Value::Array(_) => {
                    let (style, explode) = styles
                        .iter()
                        .find(|(name, _, _)| *name == k)
                        .map_or((Style::Form, true), |(_, style, explode)| (*style, *explode));
                    pairs.extend(query_pairs(&k, style, explode, &items)?);
                }
                other => pairs.push((k, other.to_string())),
            }
        }
        let mut encoded = String::new();
        for (k, v) in pairs {
            if !encoded.is_empty() {
                encoded.push('&');
            }
            encoded.push_str(&path_segment(k.as_str()));
            encoded.push('=');
            encoded.push_str(&path_segment(v.as_str()));
        }
        self.body = Some((
            Payload::bytes(encoded.into_bytes()),
            Cow::Borrowed("application/x-www-form-urlencoded"),
        ));
        Ok(())
    }

    /// Sets a body of bytes or text as it is, with its media type.
    pub fn raw<T: AsRef<[u8]> + ?Sized>(&mut self, body: &T, content_type: &'static str) {
        self.body = Some((Payload::bytes(body.as_ref().to_vec()), Cow::Borrowed(content_type)));
    }

    /// Sets a body of bytes, a file or a stream (see [`Upload`]), with the operation's media
    /// type.
    pub fn upload(&mut self, body: Upload, content_type: &'static str) {
        let (piece, _, _) = body.into_parts();
        self.body = Some((Payload::new(vec![piece]), Cow::Borrowed(content_type)));
    }

    /// Sets a `multipart/form-data` body: one part per field of the object. Fields named in
    /// `files` hold bytes and are sent as file parts (a list of them as several parts); arrays
    /// are sent as one part per item, objects as JSON text, and absent fields not at all.
    pub fn multipart<T: serde::Serialize + ?Sized>(&mut self, body: &T, files: &[&str]) -> Result<(), Error<B>> {
        let mut form = Multipart::new();
        for (name, value) in fields_of(body, "multipart")? {
            let is_file = files.contains(&name.as_str());
            form.value(&name, value, is_file, None).map_err(Error::InvalidRequest)?;
        }
        self.multipart_form(form);
        Ok(())
    }

    /// A `multipart/form-data` body written part by part (see [`Multipart`]).
    pub fn multipart_form(&mut self, form: Multipart) {
        let (body, content_type) = form.finish();
        self.body = Some((body, Cow::Owned(content_type)));
    }

    /// Sends the request, retrying as the [`RetryPolicy`] allows, and reads the whole response.
    /// Non-2xx statuses become [`Error::Api`] (or [`Error::RateLimited`] for a 429 that outlasted
    /// the retries).
    ///
    /// Runs inside a `tracing` span named `request` with the operation id, method, path
    /// template, and, once known, the status, attempts and duration. Neither URLs with their
    /// query strings nor headers are recorded, so no credential reaches the logs.
    pub async fn send(self) -> Result<Response, Error<B>> {
        self.sent().await
    }

    /// As [`Request::send`], but a 2xx body is not read: the response carries it unread, for
    /// [`Response::stream`], and the body-size limit does not apply to it. Retries happen
    /// until an answer's status and headers arrive; a body that breaks off mid-stream is an
    /// error item of the stream, not retried.
    pub async fn send_streaming(mut self) -> Result<Response, Error<B>> {
        self.streaming = true;
        self.sent().await
    }

    /// This request sent to `url` instead (a next page's), if it has the client's origin;
    /// `None` for another origin, where the client's credentials must not go.
    pub(crate) fn at(&self, url: reqwest::Url) -> Option<Self> {
        let base = reqwest::Url::parse(&self.client.inner.base_url).ok()?;
        super::redirect::same_origin(&base, &url).then(|| Request {
            url: Some(url),
            ..self.clone()
        })
    }

    /// The URL this request goes to, for resolving a relative link against it.
    pub(crate) fn target(&self) -> Option<reqwest::Url> {
        match &self.url {
            Some(url) => Some(url.clone()),
            None => reqwest::Url::parse(&format!("{}{}", self.client.inner.base_url, self.path)).ok(),
        }
    }

    async fn sent(self) -> Result<Response, Error<B>> {
        let span = tracing::info_span!(
            "request",
            operation_id = self.meta.operation_id,
            method = self.meta.method.as_str(),
            path = self.meta.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        self.run(span.clone()).instrument(span).await
    }

    async fn run(mut self, span: tracing::Span) -> Result<Response, Error<B>> {
        let started = Instant::now();
        let policy = self
            .options
            .retry
            .take()
            .unwrap_or_else(|| self.client.inner.retry.clone());
        let has_key =
            |headers: &[(&str, String)]| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("idempotency-key"));
        if let Some(key) = self.options.idempotency_key.take() {
            if !has_key(&self.headers) {
                self.headers.push(("idempotency-key", key));
            }
        }
        // Replaying is safe for idempotent methods, and for others when the request carries an
        // `Idempotency-Key`.
        let replay_safe = self.meta.method.is_idempotent() || has_key(&self.headers);
        let body = self.body.take();
        // A body with a stream in it can be sent once.
        let replayable = body.as_ref().is_none_or(|(payload, _)| payload.replayable());
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        let mut refreshed_token = false;
        let limiter = &self.client.inner.limiter;
        let outcome = loop {
            limiter.acquire(self.meta.operation_id, self.meta.rate_limits).await;
            let outcome = self.attempt(body.clone(), attempt).await;
            match &outcome {
                Ok(answer) => {
                    tracing::debug!(attempt, status = answer.status, "answered");
                    limiter.observe(answer.status, &answer.headers);
                }
                Err(failure) => tracing::debug!(attempt, error = %failure, "no answer"),
            }
            let (reason, after) = match &outcome {
                Ok(a) if (200..300).contains(&a.status) => break outcome,
                _ if !replayable => break outcome,
                // A rejected token from a provider is refreshed and tried once more, at once.
                Ok(a) if a.status == 401 && a.auth.from_provider && !refreshed_token => {
                    refreshed_token = true;
                    self.client.inner.auth.invalidate_token();
                    tracing::debug!(attempt, "refreshing the rejected token");
                    attempt += 1;
                    continue;
                }
                // 429 means the request was not processed, so any method may be retried.
                Ok(a) if a.status == 429 => ("HTTP 429", retry_after(&a.headers)),
                Ok(a) if replay_safe && (502..=504).contains(&a.status) => ("HTTP 5xx", retry_after(&a.headers)),
                // The connection failed or dropped, before the answer or while its body was read
                // (a compressed body cut off is reported as one that cannot be decoded).
                Err(Failure::Transport(e))
                    if replay_safe
                        && !e.is_timeout()
                        && (e.is_connect() || e.is_request() || e.is_body() || e.is_decode()) =>
                {
                    ("connection failure", None)
                }
                _ => break outcome,
            };
            match policy.delay(attempt, after, waited) {
                Some(delay) => {
                    tracing::info!(attempt, reason, delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                    waited += delay;
                    attempt += 1;
                }
                None => break outcome,
            }
        };
        if let Ok(answer) = &outcome {
            span.record("status", answer.status);
        }
        span.record("attempts", attempt);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        self.finish(outcome, attempt)
    }

    /// Attempt number `attempt`: the status, headers and whole body, or why there was none.
    async fn attempt(&self, body: Option<(Payload, Cow<'static, str>)>, attempt: u32) -> Result<Answer, Failure> {
        let inner = &self.client.inner;
        let mut req = match &self.url {
            Some(url) => inner.http.request(self.meta.method.to_reqwest(), url.clone()),
            None => inner.http.request(
                self.meta.method.to_reqwest(),
                format!("{}{}", inner.base_url, self.path),
            ),
        }
        .header(reqwest::header::ACCEPT, self.accept);
        if !self
            .options
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("user-agent"))
        {
            req = req.header(reqwest::header::USER_AGENT, inner.user_agent.clone());
        }
        // A next page's URL carries its own query.
        if !self.query.is_empty() && self.url.is_none() {
            req = req.query(&self.query);
        }
        for (name, value) in &self.headers {
            req = req.header(*name, value);
        }
        for (name, value) in &self.options.headers {
            req = req.header(name, value);
        }
        let mut cookies = self.cookies.clone();
        let (mut req, auth) = inner
            .auth
            .apply(req, self.meta.security, &mut cookies)
            .await
            .map_err(Failure::Credentials)?;
        if !cookies.is_empty() {
            let joined = cookies.join("; ");
            req = if auth.secret_cookie {
                req.header(
                    reqwest::header::COOKIE,
                    sensitive(&joined).map_err(Failure::Credentials)?,
                )
            } else {
                req.header(reqwest::header::COOKIE, joined)
            };
        }
        if let Some(timeout) = self.options.timeout.or(inner.timeout) {
            req = req.timeout(timeout);
        }
        if let Some((payload, content_type)) = body {
            let (body, len) = payload.body().await.map_err(Failure::Upload)?;
            req = req.header(reqwest::header::CONTENT_TYPE, content_type.as_ref());
            if let Some(len) = len {
                req = req.header(reqwest::header::CONTENT_LENGTH, len);
            }
            req = req.body(body);
        } else if self.meta.method.expects_body() {
            // Some front ends refuse a POST, PUT or PATCH that does not say its length (411).
            req = req.header(reqwest::header::CONTENT_LENGTH, "0");
        }
        let mut request = req.build().map_err(Failure::transport)?;
        let call = super::Call {
            operation_id: self.meta.operation_id,
            attempt,
        };
        // Redirects the policy allows are followed here, with the same (body-less) request; the
        // hooks see each one sent.
        let mut hops = 0;
        let mut response = loop {
            // A copy to send again, as it was before the hooks, only when the policy could
            // follow a redirect of this method.
            let method = request.method().clone();
            let again = inner.redirects.follows(&method).then(|| request.try_clone()).flatten();
            if let Some(hook) = &inner.hook {
                hook(&mut request);
            }
            if let Some(hooks) = &inner.hooks {
                hooks.before_send(&mut request, &call).await.map_err(Failure::Hook)?;
            }
            let from = request.url().clone();
            if auth.sign {
                // Signed last, so what the hooks added is signed too; again at each hop.
                let signed = match &inner.auth.sigv4 {
                    Some(credentials) => credentials.sign(&mut request),
                    None => Err(BoxError::from("no AWS credentials to sign with")),
                };
                signed.map_err(Failure::Credentials)?;
            }
            let response = execute(inner, request).await?;
            let location = super::redirect::location(response.headers());
            let next = inner
                .redirects
                .next(&method, response.status().as_u16(), &from, location, hops);
            match (next, again) {
                (Some(to), Some(mut again)) => {
                    tracing::debug!(
                        status = response.status().as_u16(),
                        "following a redirect within the origin"
                    );
                    *again.url_mut() = to;
                    request = again;
                    hops += 1;
                }
                _ => break response,
            }
        };
        let status = response.status().as_u16();
        if let Some(hooks) = &inner.hooks {
            let answered = super::Answered {
                call,
                status,
                headers: response.headers(),
            };
            hooks.after_response(&answered).await.map_err(Failure::Hook)?;
        }
        if self.streaming && (200..300).contains(&status) {
            return Ok(Answer {
                status,
                headers: response.headers().clone(),
                body: bytes::Bytes::new(),
                auth,
                live: Some(response),
            });
        }
        let limit = inner.max_body;
        if response.content_length().is_some_and(|len| len > limit as u64) {
            return Err(Failure::TooLarge { status, limit });
        }
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(Failure::transport)? {
            if body.len() + chunk.len() > limit {
                return Err(Failure::TooLarge { status, limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            headers: std::mem::take(response.headers_mut()),
            body: body.freeze(),
            auth,
            live: None,
        })
    }

    /// Turns the last attempt into the caller's result.
    fn finish(&self, outcome: Result<Answer, Failure>, attempts: u32) -> Result<Response, Error<B>> {
        let Answer {
            status,
            headers,
            body,
            live,
            ..
        } = match outcome {
            Ok(answer) => answer,
            Err(Failure::Transport(e)) if e.is_builder() => {
                return Err(Error::InvalidRequest(format!("the request could not be built: {e}")))
            }
            Err(Failure::Transport(e)) => return Err(Error::Transport(e)),
            Err(Failure::TooLarge { status, limit }) => return Err(Error::ResponseTooLarge { status, limit }),
            Err(Failure::Credentials(e)) => return Err(Error::Auth(e)),
            Err(Failure::Hook(e)) => return Err(Error::Hook(e)),
            Err(Failure::Upload(e)) => return Err(Error::Upload(e)),
            #[cfg(feature = "middleware")]
            Err(Failure::Middleware(e)) => return Err(Error::Middleware(e)),
        };
        if (200..300).contains(&status) {
            return Ok(Response {
                status,
                headers,
                body,
                attempts,
                live,
            });
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
            attempts,
            credentials: self.meta.credentials,
            denial: self.meta.denials.iter().find(|(s, _)| *s == status).map(|(_, d)| *d),
        });
        if super::redirect::is_redirect(status) {
            let location = super::redirect::location(&error.headers).map(str::to_owned);
            return Err(Error::Redirected { error, location });
        }
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

/// The fields of a body that is encoded field by field (a form, a multipart body): it must
/// encode as a JSON object.
/// Sends `request` through the application's middleware stack when there is one, else through
/// the HTTP client.
async fn execute(inner: &super::client::Inner, request: reqwest::Request) -> Result<reqwest::Response, Failure> {
    #[cfg(feature = "middleware")]
    if let Some(stack) = &inner.middleware {
        return match stack.execute(request).await {
            Ok(response) => Ok(response),
            Err(reqwest_middleware::Error::Reqwest(e)) => Err(Failure::transport(e)),
            Err(reqwest_middleware::Error::Middleware(e)) => Err(Failure::Middleware(e.into())),
        };
    }
    inner.http.execute(request).await.map_err(Failure::transport)
}

/// A `multipart/form-data` body, written part by part: a file's bytes go in as they are
/// (shared, or read from the file when sent), other values as text, or as JSON when they are
/// objects; arrays give one part per item.
#[doc(hidden)]
pub struct Multipart {
    boundary: String,
    pieces: Vec<Piece>,
    /// Part headers and text not yet cut into a piece.
    text: Vec<u8>,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty form with a fresh boundary.
    pub fn new() -> Self {
        Multipart {
            boundary: format!("----client-boundary-{}", uuid::Uuid::new_v4().simple()),
            pieces: Vec::new(),
            text: Vec::new(),
        }
    }

    /// A file part named `name`: the upload's bytes as they are, with its file name (or
    /// `name`) and its media type (or `content_type`, the document's, or
    /// `application/octet-stream`).
    pub fn file(&mut self, name: &str, upload: impl Into<Upload>, content_type: Option<&str>) {
        let (piece, file_name, own_type) = upload.into().into_parts();
        let file_name = file_name.as_deref().unwrap_or(name);
        let content_type = own_type
            .as_deref()
            .or(content_type)
            .unwrap_or("application/octet-stream");
        self.text.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n\
                 Content-Type: {}\r\n\r\n",
                self.boundary,
                quoted(name),
                quoted(file_name),
                one_line(content_type),
            )
            .as_bytes(),
        );
        self.pieces.push(Piece::Bytes(std::mem::take(&mut self.text).into()));
        self.pieces.push(piece);
        self.text.extend_from_slice(b"\r\n");
    }

    /// The parts of a field that is not a file: none for `None`, one per item of an array;
    /// `content_type` is the document's for the part, if it names one.
    ///
    /// # Errors
    /// When the value cannot be encoded as JSON.
    pub fn field<T: serde::Serialize + ?Sized, B>(
        &mut self,
        name: &str,
        value: &T,
        content_type: Option<&str>,
    ) -> Result<(), Error<B>> {
        let value = serde_json::to_value(value)
            .map_err(|e| Error::InvalidRequest(format!("field `{name}` could not be encoded: {e}")))?;
        self.value(name, value, false, content_type)
            .map_err(Error::InvalidRequest)
    }

    /// The parts of one field as a JSON value; a file field is an array of byte values (or an
    /// array of them, for several files).
    fn value(
        &mut self,
        name: &str,
        value: serde_json::Value,
        is_file: bool,
        content_type: Option<&str>,
    ) -> Result<(), String> {
        let items = match value {
            serde_json::Value::Null => return Ok(()),
            serde_json::Value::Array(items) if !is_file || items.iter().all(|i| i.is_array()) => items,
            other => vec![other],
        };
        for item in items {
            match item {
                serde_json::Value::Array(bytes) if is_file => {
                    let data: Option<Vec<u8>> = bytes
                        .iter()
                        .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                        .collect();
                    let data = data.ok_or_else(|| format!("file field `{name}` is not bytes"))?;
                    self.file(name, data, content_type);
                }
                other => self.text(name, other, content_type),
            }
        }
        Ok(())
    }

    /// A part holding `value` as text (a string as it is, an object or array as JSON).
    fn text(&mut self, name: &str, value: serde_json::Value, content_type: Option<&str>) {
        let (text, default_type) = match value {
            serde_json::Value::String(s) => (s, None),
            v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_)) => {
                (v.to_string(), Some("application/json"))
            }
            v => (v.to_string(), None),
        };
        self.text.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{}\"\r\n",
                self.boundary,
                quoted(name)
            )
            .as_bytes(),
        );
        if let Some(ct) = content_type.or(default_type) {
            self.text
                .extend_from_slice(format!("Content-Type: {}\r\n", one_line(ct)).as_bytes());
        }
        self.text.extend_from_slice(b"\r\n");
        self.text.extend_from_slice(text.as_bytes());
        self.text.extend_from_slice(b"\r\n");
    }

    /// The body and its `Content-Type`.
    fn finish(mut self) -> (Payload, String) {
        self.text
            .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        self.pieces.push(Piece::Bytes(self.text.into()));
        (
            Payload::new(self.pieces),
            format!("multipart/form-data; boundary={}", self.boundary),
        )
    }
}

/// A name inside a quoted `Content-Disposition` parameter: quotes and line breaks escaped
/// (as browsers do), so a name cannot end the header.
fn quoted(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// A header value on one line.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

fn fields_of<T: serde::Serialize + ?Sized, B>(
    body: &T,
    kind: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, Error<B>> {
    match serde_json::to_value(body) {
        Ok(serde_json::Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(Error::InvalidRequest(format!("a {kind} body must be an object"))),
        Err(e) => Err(Error::InvalidRequest(format!(
            "the request body could not be encoded: {e}"
        ))),
    }
}

/// The methods every generated request builder has besides its setters and
/// `send_with_response`: `with_options` (the builder holds its [`RequestOptions`] in a field
/// named `options`) and `send`, the body of `send_with_response` alone. `$ret` is the type of
/// the decoded body. An API without operations leaves it unused. Paths in the expansion
/// resolve where it is invoked, as for `string_enum!`.
#[allow(unused_macros)]
macro_rules! request_builder {
    ($name:ident -> $ret:ty) => {
        impl<'a> $name<'a> {
            /// Overrides the client's timeout, retries or headers for this request.
            pub fn with_options(mut self, options: super::runtime::RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Sends the request and decodes the response body; see
            /// [`send_with_response`](Self::send_with_response), which also keeps the status and
            /// headers.
            ///
            /// # Errors
            /// An [`Error`](super::Error) when a value breaks a constraint the API description
            /// declares, the request cannot be sent, the API answers with an error status (its
            /// body typed as declared), or the answer does not match the declared type.
            pub fn send(self) -> impl std::future::Future<Output = super::Result<$ret>> + 'a {
                super::runtime::body_only(self.send_with_response())
            }

            /// [`send`](Self::send) for code that runs no async runtime (the crate's `blocking`
            /// feature): returns when the answer is decoded. Calls from several threads run at
            /// the same time, on a runtime the client keeps for the process.
            ///
            /// # Errors
            /// As [`send`](Self::send), and `Error::InvalidRequest` when called from
            /// asynchronous code, which `.send().await` serves.
            #[cfg(feature = "blocking")]
            pub fn send_blocking(self) -> super::Result<$ret> {
                super::runtime::block_on(self.send())
            }
        }
    };
}
pub(crate) use request_builder;

#[cfg(test)]
mod tests {
    #[test]
    fn a_multipart_boundary_names_no_api() {
        let form = super::Multipart::new();
        assert!(form.boundary.starts_with("----client-boundary-"), "{}", form.boundary);
        assert_eq!(form.boundary.len(), "----client-boundary-".len() + 32);
    }
}
