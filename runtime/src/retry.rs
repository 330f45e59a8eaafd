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
        // A `Retry-After` of years must end the retries, not overflow the sum.
        waited
            .checked_add(delay)
            .is_some_and(|total| total <= self.max_total_delay)
            .then_some(delay)
    }
}

/// What an attempt came to, as the retry decision sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Attempted<'a> {
    /// The server answered with `status`; `from_provider` when the token sent came from a
    /// [`TokenProvider`](super::TokenProvider).
    Answered {
        status: u16,
        headers: &'a reqwest::header::HeaderMap,
        from_provider: bool,
    },
    /// The connection failed or dropped, before the answer or while its body was read (a
    /// compressed body cut off is reported as one that cannot be decoded), without timing out.
    Dropped,
    /// Anything else: a timeout, credentials that could not be applied, a hook's refusal...
    Failed,
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// The outcome is the call's.
    Stop,
    /// The provider's token was rejected: renew it and send again at once (once a call).
    RenewToken,
    /// Worth another attempt, after a wait of at least `after` when the server named one.
    Retry {
        reason: &'static str,
        after: Option<Duration>,
    },
}

/// Whether to try again after `attempted`, a pure function of it: `replayable` says the body
/// can be sent again (a stream cannot), `replay_safe` that sending twice does what sending
/// once does (an idempotent method, or an `Idempotency-Key`), `renewed` that the token was
/// renewed once already. 429 says the request was not processed, so any method may go again;
/// 502, 503, 504 and a dropped connection only when replaying is safe.
pub(crate) fn next(attempted: Attempted<'_>, replayable: bool, replay_safe: bool, renewed: bool) -> Next {
    match attempted {
        Attempted::Answered { status, .. } if (200..300).contains(&status) => Next::Stop,
        _ if !replayable => Next::Stop,
        Attempted::Answered {
            status: 401,
            from_provider: true,
            ..
        } if !renewed => Next::RenewToken,
        Attempted::Answered {
            status: 429, headers, ..
        } => Next::Retry {
            reason: "HTTP 429",
            after: retry_after(headers),
        },
        Attempted::Answered { status, headers, .. } if replay_safe && (502..=504).contains(&status) => Next::Retry {
            reason: "HTTP 5xx",
            after: retry_after(headers),
        },
        Attempted::Dropped if replay_safe => Next::Retry {
            reason: "connection failure",
            after: None,
        },
        _ => Next::Stop,
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
    retry_after_at(headers, std::time::SystemTime::now())
}

/// `Retry-After` as seen at `now`: seconds, or an HTTP date in any of the three forms HTTP
/// says a recipient must accept (IMF-fixdate, RFC 850, asctime), parsed by `httpdate`; a date
/// already past is no wait.
fn retry_after_at(headers: &reqwest::header::HeaderMap, now: std::time::SystemTime) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::{next, retry_after_at, Attempted, Next, RetryPolicy};
    use std::time::{Duration, SystemTime};

    #[test]
    fn what_is_retried_depends_on_the_status_the_method_and_the_body() {
        let mut headers = reqwest::header::HeaderMap::new();
        let answered = |status, headers| Attempted::Answered {
            status,
            headers,
            from_provider: false,
        };
        let none = reqwest::header::HeaderMap::new();
        assert_eq!(next(answered(200, &none), true, true, false), Next::Stop);
        assert_eq!(next(answered(404, &none), true, true, false), Next::Stop);
        headers.insert("retry-after", "7".parse().expect("a value"));
        let wait7 = Next::Retry {
            reason: "HTTP 429",
            after: Some(Duration::from_secs(7)),
        };
        // 429 for any method; 5xx and dropped connections only when replaying is safe.
        assert_eq!(next(answered(429, &headers), true, false, false), wait7);
        assert_eq!(next(answered(503, &none), true, false, false), Next::Stop);
        assert!(matches!(
            next(answered(503, &none), true, true, false),
            Next::Retry { .. }
        ));
        assert_eq!(next(answered(500, &none), true, true, false), Next::Stop);
        assert_eq!(next(Attempted::Dropped, true, false, false), Next::Stop);
        assert!(matches!(
            next(Attempted::Dropped, true, true, false),
            Next::Retry { after: None, .. }
        ));
        assert_eq!(next(Attempted::Failed, true, true, false), Next::Stop);
        // A body that cannot be sent again is not.
        assert_eq!(next(answered(429, &headers), false, true, false), Next::Stop);
        // A provider's rejected token is renewed once.
        let rejected = Attempted::Answered {
            status: 401,
            headers: &none,
            from_provider: true,
        };
        assert_eq!(next(rejected, true, false, false), Next::RenewToken);
        assert_eq!(next(rejected, true, false, true), Next::Stop);
    }

    #[test]
    fn a_huge_retry_after_after_a_first_wait_ends_the_retries_without_overflow() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(2, Some(Duration::MAX), Duration::from_secs(1)), None);
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(u64::MAX)), Duration::ZERO),
            None
        );
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(2)), Duration::ZERO),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_all_three_http_date_forms() {
        // Sun, 06 Nov 1994 08:49:37 GMT, less a minute.
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777 - 60);
        let wait = |value: &str| {
            let mut headers = reqwest::header::HeaderMap::new();
            headers.insert("retry-after", value.parse().expect("a header value"));
            retry_after_at(&headers, now)
        };
        assert_eq!(wait("120"), Some(Duration::from_secs(120)));
        for date in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(wait(date), Some(Duration::from_secs(60)), "{date}");
        }
        assert_eq!(
            wait("Sun, 06 Nov 1994 08:47:37 GMT"),
            Some(Duration::ZERO),
            "a date past"
        );
        assert_eq!(wait("soon"), None);
    }
}
