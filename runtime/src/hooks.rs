//! [`Hooks`]: asynchronous code that sees every exchange, before the request is sent and once
//! the answer's status and headers are in, and may stop the call with an error. It is the one
//! seam through which an application intercepts requests: a plain function given to
//! `on_request` runs as hooks too ([`RequestFn`]), first. (Middleware is another matter: it
//! replaces how a request is sent, not what it is.)

use super::auth::BoxError;
use futures::future::BoxFuture;

/// The call a hook is looking at.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Call {
    /// The operation's id (or the name the generator gave it).
    pub operation_id: &'static str,
    /// Which attempt this is: 1, then 2 and on when the request is retried.
    pub attempt: u32,
}

/// An answer's status and headers, as a response hook sees them (before the body is read).
#[derive(Debug)]
#[non_exhaustive]
pub struct Answered<'a> {
    /// The call the answer is to.
    pub call: Call,
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: &'a reqwest::header::HeaderMap,
}

/// Code that runs around every attempt of every call: to sign or log requests, fetch a header
/// value asynchronously, record rates and request ids, or refuse to go on. Both methods do
/// nothing unless implemented; an error from either ends the call with
/// [`Error::Hook`](super::Error::Hook) (not retried), and an error before sending means nothing
/// was sent.
///
/// ```ignore
/// struct Signer;
///
/// impl Hooks for Signer {
///     fn before_send<'a>(&'a self, request: &'a mut reqwest::Request, _call: &'a Call) -> BoxFuture<'a, Result<(), BoxError>> {
///         Box::pin(async move {
///             let signature = sign(request.url().as_str()).await?;
///             request.headers_mut().insert("x-signature", signature.parse()?);
///             Ok(())
///         })
///     }
/// }
/// ```
pub trait Hooks: Send + Sync + 'static {
    /// Runs just before each request is sent (each attempt, and each redirect the client
    /// follows within the origin), with credentials already set (in headers marked sensitive).
    fn before_send<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        call: &'a Call,
    ) -> BoxFuture<'a, Result<(), BoxError>> {
        let _ = (request, call);
        Box::pin(std::future::ready(Ok(())))
    }

    /// Runs when an attempt's status and headers have arrived, before its body is read.
    fn after_response<'a>(&'a self, answer: &'a Answered<'a>) -> BoxFuture<'a, Result<(), BoxError>> {
        let _ = answer;
        Box::pin(std::future::ready(Ok(())))
    }
}

/// Hooks shared with the application (to read what they recorded, say).
impl<H: Hooks> Hooks for std::sync::Arc<H> {
    fn before_send<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        call: &'a Call,
    ) -> BoxFuture<'a, Result<(), BoxError>> {
        H::before_send(self, request, call)
    }

    fn after_response<'a>(&'a self, answer: &'a Answered<'a>) -> BoxFuture<'a, Result<(), BoxError>> {
        H::after_response(self, answer)
    }
}

/// A plain function that sees each request before it is sent (`ClientBuilder::on_request`),
/// as hooks.
pub(crate) struct RequestFn(pub(crate) super::RequestHook);

impl Hooks for RequestFn {
    fn before_send<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        _call: &'a Call,
    ) -> BoxFuture<'a, Result<(), BoxError>> {
        (self.0)(request);
        Box::pin(std::future::ready(Ok(())))
    }
}
