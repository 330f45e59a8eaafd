//! One request: started by a generated builder, its parameters placed, then sent, retried
//! and traced. Its body is encoded by `body.rs`, each attempt made by `attempt.rs`, and whether
//! to try again decided by `retry.rs`.

use super::attempt::{attempted, Answer, Failure};
use super::client::Client;
use super::error::{ApiError, Error};
use super::operation::OperationMeta;
use super::options::RequestOptions;
use super::params::{cookie_pairs, header_value, path_segment, query_pairs, ToParam};
use super::response::Response;
use super::retry::{next, retry_after, Next, RetryPolicy};
use super::upload::Payload;
use super::vocabulary::Style;
use std::borrow::Cow;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// One request being assembled by a generated builder.
#[doc(hidden)]
pub struct Request<B: 'static> {
    /// The client's handle (shared, cheap to clone), so a request borrows nothing.
    pub(crate) client: Client,
    pub(crate) meta: &'static OperationMeta<B>,
    pub(crate) path: Cow<'static, str>,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<String>,
    /// The encoded body and its `Content-Type` (a multipart one carries its boundary).
    pub(crate) body: Option<(Payload, Cow<'static, str>)>,
    pub(crate) accept: &'static str,
    pub(crate) options: RequestOptions,
    /// A 2xx body is handed over unread, as a stream (see [`Request::send_streaming`]).
    pub(crate) streaming: bool,
    /// The answer is an event stream, which lasts as long as the server sends: the timeout
    /// bounds the wait for the answer, then each silence, not the whole transfer.
    pub(crate) open_ended: bool,
    /// An absolute URL (a next page's, from a `Link` header) sent instead of the base URL,
    /// path and query.
    pub(crate) url: Option<reqwest::Url>,
    /// The retries the API description declares for the operation, which apply unless the
    /// caller chose a policy (for the request or the client).
    pub(crate) declared_retry: Option<RetryPolicy>,
}

/// A copy to send again (to a next page's URL); `B` is only named, so it needs no `Clone`.
impl<B> Clone for Request<B> {
    fn clone(&self) -> Self {
        Request {
            client: self.client.clone(),
            meta: self.meta,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body: self.body.clone(),
            accept: self.accept,
            options: self.options.clone(),
            streaming: self.streaming,
            open_ended: self.open_ended,
            url: self.url.clone(),
            declared_retry: self.declared_retry.clone(),
        }
    }
}

impl Client {
    /// Starts a request for an operation, on this client's handle; used by the generated
    /// builders, which own one.
    #[doc(hidden)]
    pub fn request<B>(
        self,
        meta: &'static OperationMeta<B>,
        path: impl Into<Cow<'static, str>>,
        options: RequestOptions,
    ) -> Request<B> {
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
            open_ended: false,
            url: None,
            declared_retry: None,
        }
    }
}

impl<B> Request<B> {
    /// The retries the API description declares for this operation: they apply unless the
    /// caller chose a policy, for this request or for the client.
    #[doc(hidden)]
    pub fn declared_retry(&mut self, policy: RetryPolicy) {
        self.declared_retry = Some(policy);
    }

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

    /// The retry policy that applies: the caller's choice first (this request's, then the
    /// client's), then the document's.
    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        let declared = self.declared_retry.clone().filter(|_| !self.client.inner.retry_chosen);
        self.options
            .retry
            .clone()
            .or(declared)
            .unwrap_or_else(|| self.client.inner.retry.clone())
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
        let policy = self.retry_policy();
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
        let mut renewed = false;
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
            match next(attempted(&outcome), replayable, replay_safe, renewed) {
                Next::Stop => break outcome,
                Next::RenewToken => {
                    renewed = true;
                    self.client.inner.auth.invalidate_token();
                    tracing::debug!(attempt, "renewing the rejected token");
                }
                Next::Retry { reason, after } => match policy.delay(attempt, after, waited) {
                    Some(delay) => {
                        tracing::info!(attempt, reason, delay_ms = delay.as_millis() as u64, "retrying");
                        tokio::time::sleep(delay).await;
                        waited += delay;
                    }
                    None => break outcome,
                },
            }
            attempt += 1;
        };
        if let Ok(answer) = &outcome {
            span.record("status", answer.status);
        }
        span.record("attempts", attempt);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        self.finish(outcome, attempt)
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
            Err(Failure::Silent(after)) => return Err(Error::Silent { after }),
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
