//! Reading and decoding successful (2xx) responses, and [`ResponseValue`]: a decoded body with
//! the status and headers it came with.

use super::error::{request_id, snippet, DecodeError, Error};
use reqwest::header::HeaderMap;

/// A successful (2xx) response, read in full.
#[derive(Debug)]
#[doc(hidden)]
pub struct Response {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
    pub(crate) attempts: u32,
    /// The unread body, for [`Response::stream`] (from `Request::send_streaming`).
    pub(crate) live: Option<reqwest::Response>,
}

/// A response body as it arrives, chunk by chunk; a transfer that breaks off ends it with an
/// error item.
pub type ByteStream<B> =
    std::pin::Pin<Box<dyn futures::Stream<Item = Result<bytes::Bytes, Error<B>>> + Send + 'static>>;

impl Response {
    /// The `rel="next"` link of the `Link` header, as written.
    pub(crate) fn next_link(&self) -> Option<String> {
        super::paging::next_link(&self.headers)
    }

    /// The body as a stream of chunks, with the status, headers and attempts; the body read so
    /// far when the response was not sent for streaming.
    pub fn stream<B: Send + 'static>(self) -> ResponseValue<ByteStream<B>> {
        use futures::StreamExt;
        let body: ByteStream<B> = match self.live {
            Some(live) => futures::stream::try_unfold(live, |mut live| async move {
                match live.chunk().await {
                    Ok(Some(chunk)) => Ok(Some((chunk, live))),
                    Ok(None) => Ok(None),
                    // The URL may carry a credential in its query: it is left out.
                    Err(e) => Err(Error::Transport(e.without_url())),
                }
            })
            .boxed(),
            None => futures::stream::once(std::future::ready(Ok(self.body))).boxed(),
        };
        ResponseValue {
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            value: body,
        }
    }

    /// The body decoded by `decode`, with the status, headers and attempts.
    pub fn value<T, B>(self, decode: impl FnOnce(&Self) -> Result<T, Error<B>>) -> Result<ResponseValue<T>, Error<B>> {
        let value = decode(&self)?;
        Ok(ResponseValue {
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            value,
        })
    }

    /// Decodes the body as JSON of type `T`.
    pub fn json<T: serde::de::DeserializeOwned, B>(&self) -> Result<T, Error<B>> {
        json_with_path(&self.body).map_err(|(path, e)| self.decode_error(path, e))
    }

    /// Decodes an XML body as `T`, read as `shape` says (see [`xml`](super::xml)).
    pub fn xml<T: serde::de::DeserializeOwned, B>(&self, shape: &'static super::xml::Shape) -> Result<T, Error<B>> {
        let text = self.text()?;
        let value = super::xml::read(&text, shape).map_err(|e| self.decode_failure(None, e))?;
        serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
            let path = e.path().to_string();
            self.decode_error(Some(path).filter(|p| p != "."), e.into_inner())
        })
    }

    /// Decodes any JSON body; an empty body is `null`.
    pub fn untyped<B>(&self) -> Result<serde_json::Value, Error<B>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Null);
        }
        self.json()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body as text; it must be UTF-8.
    pub fn text<B>(&self) -> Result<String, Error<B>> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Ok(text),
            Err(e) => Err(self.decode_failure(None, format!("the body is not UTF-8 text: {e}"))),
        }
    }

    /// The body as bytes.
    pub fn bytes<B>(&self) -> Result<bytes::Bytes, Error<B>> {
        Ok(self.body.clone())
    }

    /// Ignores the body, which the operation declares empty.
    pub fn unit<B>(&self) -> Result<(), Error<B>> {
        Ok(())
    }

    fn decode_error<B>(&self, path: Option<String>, e: serde_json::Error) -> Error<B> {
        self.decode_failure(path, e.to_string())
    }

    fn decode_failure<B>(&self, path: Option<String>, message: String) -> Error<B> {
        Error::Decode(DecodeError {
            status: self.status,
            content_type: self
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            path,
            message,
            body: snippet(&self.body),
        })
    }
}

/// `bytes` decoded as JSON of type `T`; on failure, where in the JSON it failed (when known)
/// and what serde said. Tracking the path slows every decode; only a failed one needs it, so
/// it is decoded again with tracking to say where it failed.
pub(crate) fn json_with_path<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, (Option<String>, serde_json::Error)> {
    serde_json::from_slice(bytes).map_err(|plain| {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(e) => (Some(e.path().to_string()).filter(|p| p != "."), e.into_inner()),
            Ok(_) => (None, plain),
        }
    })
}

/// What `send_with_response` gives: the decoded body, and the status, headers and number of
/// attempts of the answer it came from. Dereferences to the body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValue<T> {
    status: u16,
    headers: HeaderMap,
    attempts: u32,
    value: T,
}

impl<T> ResponseValue<T> {
    /// A value as if the server had answered it at the first attempt: for tests and mocks of
    /// code that takes a `ResponseValue`.
    pub fn new(status: u16, headers: HeaderMap, value: T) -> Self {
        ResponseValue {
            status,
            headers,
            attempts: 1,
            value,
        }
    }

    /// The HTTP status (2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id the server gave (`x-request-id`, `request-id` or `x-amzn-requestid`).
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// How many attempts it took (1 when the first one answered).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The decoded body.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded body, without the rest.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The status, headers and decoded body.
    pub fn into_parts(self) -> (u16, HeaderMap, T) {
        (self.status, self.headers, self.value)
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
