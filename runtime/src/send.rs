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
#[doc(hidden)]
pub async fn send_prepared<B: 'static, T>(
    prepare: impl FnOnce() -> Result<Request<B>, Error<B>>,
    decode: impl FnOnce(&Response) -> Result<T, Error<B>>,
) -> Result<ResponseValue<T>, Error<B>> {
    prepare()?.send().await?.value(decode)
}

/// As [`send_prepared`], with the answer's body left unread, as a stream of chunks.
///
/// # Errors
/// The preparation's error, or [`Request::send_streaming`]'s.
#[doc(hidden)]
pub async fn stream_prepared<B: Send + 'static>(
    prepare: impl FnOnce() -> Result<Request<B>, Error<B>>,
) -> Result<ResponseValue<ByteStream<B>>, Error<B>> {
    Ok(prepare()?.send_streaming().await?.stream())
}

/// The decoded body of an answer, without its status and headers: what a builder's `send`
/// gives.
///
/// # Errors
/// The error `sending` ends with.
#[doc(hidden)]
pub async fn body_only<T, B>(sending: impl Future<Output = Result<ResponseValue<T>, Error<B>>>) -> Result<T, Error<B>> {
    sending.await.map(ResponseValue::into_inner)
}

/// The methods every generated request builder has besides its setters and
/// `send_with_response`: `with_options` (the builder holds its [`RequestOptions`] in a field
/// named `options`) and `send`, the body of `send_with_response` alone. `$ret` is the type of
/// the decoded body. The runtime's items are reached as for `string_enum!`; `super::Error` and
/// `super::Result` are the generated module's, beside the builders.
#[doc(hidden)]
#[macro_export]
macro_rules! request_builder {
    ($name:ident -> $ret:ty) => {
        impl $name {
            /// Overrides the client's timeout, retries or headers for this request.
            pub fn with_options(mut self, options: $crate::RequestOptions) -> Self {
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
            pub fn send(self) -> impl ::std::future::Future<Output = super::Result<$ret>> {
                $crate::body_only(self.send_with_response())
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
                $crate::block_on(self.send())
            }
        }
    };
}
