//! What generated code says of each operation, as a `static`: its method, path template,
//! security, error statuses and their decoders, and its own rate limits.

use super::auth::Security;
use super::vocabulary::{HttpMethod, StatusKey};

impl HttpMethod {
    /// Whether sending the request twice has the effect of sending it once (RFC 9110).
    pub(crate) fn is_idempotent(self) -> bool {
        !matches!(self, HttpMethod::Post | HttpMethod::Patch)
    }

    /// Whether requests of this method carry a body, so one without says its length is 0.
    pub(crate) fn expects_body(self) -> bool {
        matches!(self, HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
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
    pub(crate) fn error_case(&self, status: u16) -> Option<&(StatusKey, Option<Decoder<B>>)> {
        let find = |key: StatusKey| self.errors.iter().find(|(k, _)| *k == key);
        find(StatusKey::Code(status))
            .or_else(|| find(StatusKey::Range(status / 100)))
            .or_else(|| find(StatusKey::Default))
    }
}
