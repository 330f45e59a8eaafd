//! Per-request overrides of the client's settings.

use super::retry::RetryPolicy;
use std::time::Duration;

/// Settings for one request that override the client's; pass them to a request builder's
/// `with_options`.
///
/// `RequestOptions::new().timeout(Duration::from_secs(120)).generated_idempotency_key()`
/// gives one slow request more time and lets it be retried safely.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
}

impl RequestOptions {
    /// No overrides: the client's settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Limits this request (each attempt), from connecting to reading the whole body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retries this request by `policy` instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sends `Idempotency-Key: <key>`, which also lets a POST or PATCH be retried after a
    /// 502/503/504 or a connection failure. Only use it with servers that honour the header.
    /// A key the operation takes as a declared header parameter wins over this one.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// [`idempotency_key`](Self::idempotency_key) with a fresh random UUID. The key stays the
    /// same across this request's retries.
    pub fn generated_idempotency_key(self) -> Self {
        self.idempotency_key(uuid::Uuid::new_v4().to_string())
    }

    /// Adds a header to this request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}
