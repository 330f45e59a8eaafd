//! Reading and decoding successful (2xx) responses.

use super::error::{snippet, DecodeError, Error};

/// A successful (2xx) response, read in full.
#[derive(Debug)]
#[doc(hidden)]
pub struct Response {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: bytes::Bytes,
}

impl Response {
    /// Decodes the body as JSON of type `T`.
    pub fn json<T: serde::de::DeserializeOwned, B>(self) -> Result<T, Error<B>> {
        // Tracking the path slows every decode; only a failed one needs it, so it is decoded
        // again with tracking to say where it failed.
        match serde_json::from_slice(&self.body) {
            Ok(value) => Ok(value),
            Err(plain) => {
                let mut de = serde_json::Deserializer::from_slice(&self.body);
                let error = match serde_path_to_error::deserialize::<_, T>(&mut de) {
                    Err(e) => {
                        let path = e.path().to_string();
                        self.decode_error(Some(path).filter(|p| p != "."), e.into_inner())
                    }
                    Ok(_) => self.decode_error(None, plain),
                };
                Err(error)
            }
        }
    }

    /// Decodes any JSON body; an empty body is `null`.
    pub fn untyped<B>(self) -> Result<serde_json::Value, Error<B>> {
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
    pub fn text<B>(self) -> Result<String, Error<B>> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Ok(text),
            Err(e) => Err(self.decode_failure(None, format!("the body is not UTF-8 text: {e}"))),
        }
    }

    /// The body as bytes.
    pub fn bytes<B>(self) -> Result<bytes::Bytes, Error<B>> {
        Ok(self.body)
    }

    /// Ignores the body, which the operation declares empty.
    pub fn unit<B>(self) -> Result<(), Error<B>> {
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
