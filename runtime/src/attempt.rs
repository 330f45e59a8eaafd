//! One attempt of a request: assembled (parameters, credentials, cookies, body), sent (the
//! hooks, a SigV4 signature, redirects within the origin), and its answer read (the body limit,
//! or left to stream).

use super::auth::{sensitive, Applied, BoxError};
use super::request::Request;
use super::retry::Attempted;
use super::upload::Payload;
use std::borrow::Cow;
use std::fmt;

/// A response read in full, or a 2xx one whose body is left to stream.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: bytes::Bytes,
    pub(crate) auth: Applied,
    /// The unread 2xx response, when streaming.
    pub(crate) live: Option<reqwest::Response>,
}

/// Why an attempt got no answer.
pub(crate) enum Failure {
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
    /// No answer within the timeout, for an open-ended request (an event stream), whose
    /// timeout bounds the wait for the answer rather than the whole transfer.
    Silent(std::time::Duration),
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
            Failure::Silent(after) => write!(f, "no answer within {} s", after.as_secs_f64()),
        }
    }
}

impl Failure {
    /// A transport failure, its URL without the query string and user info, where API keys and
    /// passwords may be: a transport error's `Display` and `Debug` print the URL.
    pub(crate) fn transport(mut e: reqwest::Error) -> Failure {
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

/// What the retry decision needs to know of an attempt's outcome.
pub(crate) fn attempted(outcome: &Result<Answer, Failure>) -> Attempted<'_> {
    match outcome {
        Ok(answer) => Attempted::Answered {
            status: answer.status,
            headers: &answer.headers,
            from_provider: answer.auth.from_provider,
        },
        // The connection failed or dropped, before the answer or while its body was read (a
        // compressed body cut off is reported as one that cannot be decoded).
        Err(Failure::Transport(e))
            if !e.is_timeout() && (e.is_connect() || e.is_request() || e.is_body() || e.is_decode()) =>
        {
            Attempted::Dropped
        }
        Err(_) => Attempted::Failed,
    }
}

impl<B> Request<B> {
    /// Attempt number `attempt`: the status, headers and whole body (or, when streaming, a
    /// 2xx body unread), or why there was none.
    pub(crate) async fn attempt(
        &self,
        body: Option<(Payload, Cow<'static, str>)>,
        attempt: u32,
    ) -> Result<Answer, Failure> {
        let (request, auth) = self.assemble(body).await?;
        let call = super::Call {
            operation_id: self.meta.operation_id,
            attempt,
        };
        let timeout = self.options.timeout.or(self.client.inner.timeout);
        let response = match timeout.filter(|_| self.open_ended) {
            Some(limit) => tokio::time::timeout(limit, self.transmit(request, auth, &call))
                .await
                .map_err(|_| Failure::Silent(limit))??,
            None => self.transmit(request, auth, &call).await?,
        };
        self.read(response, auth, call).await
    }

    /// The request as it goes out before the hooks: URL, `Accept`, `User-Agent`, parameters,
    /// the options' headers, the credentials the operation takes, the cookies, the timeout and
    /// the body.
    async fn assemble(
        &self,
        body: Option<(Payload, Cow<'static, str>)>,
    ) -> Result<(reqwest::Request, Applied), Failure> {
        let inner = &self.client.inner;
        let method = self.meta.method.to_reqwest();
        let mut req = match &self.url {
            Some(url) => inner.http.request(method, url.clone()),
            None => inner.http.request(method, format!("{}{}", inner.base_url, self.path)),
        }
        .header(reqwest::header::ACCEPT, self.accept);
        let own_agent = self
            .options
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("user-agent"));
        if !own_agent {
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
            req = match auth.secret_cookie {
                true => req.header(
                    reqwest::header::COOKIE,
                    sensitive(&joined).map_err(Failure::Credentials)?,
                ),
                false => req.header(reqwest::header::COOKIE, joined),
            };
        }
        // An open-ended answer (an event stream) may last for hours: its timeout bounds the
        // wait for the answer and each silence after it (see `attempt` and `event_stream`).
        if let Some(timeout) = self.options.timeout.or(inner.timeout).filter(|_| !self.open_ended) {
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
        Ok((req.build().map_err(Failure::transport)?, auth))
    }

    /// Sends `request`, following the redirects the policy allows with the same (body-less)
    /// request: each one sent goes through the hooks first, then is signed if the operation's
    /// scheme signs (last, so what the hooks added is signed too).
    async fn transmit(
        &self,
        mut request: reqwest::Request,
        auth: Applied,
        call: &super::Call,
    ) -> Result<reqwest::Response, Failure> {
        let inner = &self.client.inner;
        let mut hops = 0;
        loop {
            // A copy to send again, as it was before the hooks, only when the policy could
            // follow a redirect of this method.
            let method = request.method().clone();
            let again = inner.redirects.follows(&method).then(|| request.try_clone()).flatten();
            for interceptor in &inner.interceptors {
                interceptor
                    .before_send(&mut request, call)
                    .await
                    .map_err(Failure::Hook)?;
            }
            if auth.sign {
                let signed = match &inner.auth.sigv4 {
                    Some(credentials) => credentials.sign(&mut request),
                    None => Err(BoxError::from("no AWS credentials to sign with")),
                };
                signed.map_err(Failure::Credentials)?;
            }
            let from = request.url().clone();
            let response = execute(inner, request).await?;
            let location = super::redirect::location(response.headers());
            let status = response.status().as_u16();
            match (inner.redirects.next(&method, status, &from, location, hops), again) {
                (Some(to), Some(mut again)) => {
                    tracing::debug!(status, "following a redirect within the origin");
                    *again.url_mut() = to;
                    request = again;
                    hops += 1;
                }
                _ => return Ok(response),
            }
        }
    }

    /// The answer: the hooks told of it, then its body read whole within the client's limit,
    /// or a 2xx one left unread when streaming.
    async fn read(&self, mut response: reqwest::Response, auth: Applied, call: super::Call) -> Result<Answer, Failure> {
        let inner = &self.client.inner;
        let status = response.status().as_u16();
        let answered = super::Answered {
            call,
            status,
            headers: response.headers(),
        };
        for interceptor in &inner.interceptors {
            interceptor.after_response(&answered).await.map_err(Failure::Hook)?;
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
}

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
