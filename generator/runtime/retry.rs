//! When failed requests are tried again, and how long to wait in between.

use std::time::Duration;

/// When and how often failed requests are retried: on 429 (any method), on 502, 503 and 504 and
/// on connection failures (idempotent methods, or requests carrying an `Idempotency-Key`).
///
/// Waits grow exponentially with full jitter, and never undercut the server's `Retry-After`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 switches retries off.
    pub max_attempts: u32,
    /// Upper bound of the first wait; doubled for each further attempt.
    pub initial_backoff: Duration,
    /// Upper bound of any one computed wait.
    pub max_backoff: Duration,
    /// Give up rather than wait longer than this in all (a longer `Retry-After` included).
    pub max_total_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_total_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before attempt `attempt + 1`, or `None` to give up.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>, waited: Duration) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let cap = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_backoff);
        let jittered = cap.mul_f64(jitter());
        let delay = retry_after.map_or(jittered, |after| after.max(jittered));
        (waited + delay <= self.max_total_delay).then_some(delay)
    }
}

/// A uniformly spread number in [0, 1), from the standard library's randomly seeded hasher.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The server's `Retry-After`, in seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}
