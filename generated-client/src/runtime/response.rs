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
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            self.decode_error(Some(path).filter(|p| p != "."), e.into_inner())
        })?;
        de.end().map_err(|e| self.decode_error(None, e))?;
        Ok(value)
    }

    /// Decodes any JSON body; an empty body is `null`.
    pub fn untyped<B>(self) -> Result<serde_json::Value, Error<B>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Null);
        }
        self.json()
    }

    /// Ignores the body, which the operation declares empty.
    pub fn unit<B>(self) -> Result<(), Error<B>> {
        Ok(())
    }

    fn decode_error<B>(&self, path: Option<String>, e: serde_json::Error) -> Error<B> {
        Error::Decode(DecodeError {
            status: self.status,
            content_type: self
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            path,
            message: e.to_string(),
            body: snippet(&self.body),
        })
    }
}
