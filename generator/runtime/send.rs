//! The asynchronous part of sending, shared by every operation.
//!
//! A generated builder's `send_with_response` is a plain function: it hands [`send_prepared`]
//! the closure that prepares its request (checks, path, query, headers, body) and the one that
//! decodes the answer. So the crate has one `async`
//! body per way of sending instead of one per operation; each `async fn` is a state machine
//! that rustc checks and lays out on its own, and per operation they were a large part of a
//! generated crate's build (measured in BENCHMARKS.md). Both are closures run inside the future,
//! not functions called before it: a future is compiled to machine code only where it is
//! polled, so an operation's encoding and decoding are compiled in the crate that calls it, and
//! only if it does, as they were with an `async fn` per operation.

use super::{ByteStream, Error, Request, Response, ResponseValue};
use std::future::Future;

/// Prepares the request with `prepare` when first polled, sends it, and decodes the answer
/// with `decode`.
///
/// # Errors
/// The preparation's error, or [`Request::send`]'s, or `decode`'s.
pub async fn send_prepared<'a, B: 'static, T>(
    prepare: impl FnOnce() -> Result<Request<'a, B>, Error<B>>,
    decode: impl FnOnce(&Response) -> Result<T, Error<B>>,
) -> Result<ResponseValue<T>, Error<B>> {
    prepare()?.send().await?.value(decode)
}

/// As [`send_prepared`], with the answer's body left unread, as a stream of chunks.
///
/// # Errors
/// The preparation's error, or [`Request::send_streaming`]'s.
pub async fn stream_prepared<'a, B: Send + 'static>(
    prepare: impl FnOnce() -> Result<Request<'a, B>, Error<B>>,
) -> Result<ResponseValue<ByteStream<B>>, Error<B>> {
    Ok(prepare()?.send_streaming().await?.stream())
}

/// The decoded body of an answer, without its status and headers: what a builder's `send`
/// gives.
///
/// # Errors
/// The error `sending` ends with.
pub async fn body_only<T, B>(sending: impl Future<Output = Result<ResponseValue<T>, Error<B>>>) -> Result<T, Error<B>> {
    sending.await.map(ResponseValue::into_inner)
}
