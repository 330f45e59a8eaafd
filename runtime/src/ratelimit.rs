//! Rate limits kept before a request is sent: windows of so many requests per period (from
//! the builder or the document), and pauses the server asks for in its headers. Shared by all
//! clones of a client.
//!
//! Each window is a sliding log of the last requests' send times, so no period of its length
//! ever holds more requests than the limit (a token bucket would let twice as many through
//! around a refill). Requests take their turns in order. A window is kept with a guard of a
//! twentieth of its period (at most a second): a request leaves its timer a millisecond or two
//! late, and crosses the network in its own time, so a turn exactly one period after another
//! could reach the server's count inside the same window (a second-long window measured at the
//! server held 11, and 16 with eight callers, without it). Written here rather than on
//! `governor`: its cells are a token bucket (GCRA), which does not hold a sliding window, and
//! the server's own headers must pause the same queue.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// At most `requests` requests in any period of `per`. Several limits hold together (10 a
/// second and 1,000 per 15 minutes, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    requests: u32,
    per: Duration,
}

impl RateLimit {
    /// `requests` requests in any period of `per`.
    pub const fn new(requests: u32, per: Duration) -> Self {
        RateLimit { requests, per }
    }

    /// `requests` a second.
    pub const fn per_second(requests: u32) -> Self {
        RateLimit::new(requests, Duration::from_secs(1))
    }

    /// `requests` a minute.
    pub const fn per_minute(requests: u32) -> Self {
        RateLimit::new(requests, Duration::from_secs(60))
    }

    /// `requests` an hour.
    pub const fn per_hour(requests: u32) -> Self {
        RateLimit::new(requests, Duration::from_secs(3600))
    }

    /// How many requests.
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// In what period.
    pub fn period(&self) -> Duration {
        self.per
    }

    /// The period kept between a request and the one `requests` later: the period and its
    /// guard (see the module's docs).
    fn kept(&self) -> Duration {
        self.per + (self.per / 20).min(Duration::from_secs(1))
    }

    /// Why the limit cannot be kept, if it cannot.
    pub(crate) fn invalid(&self) -> Option<String> {
        (self.requests == 0 || self.per.is_zero()).then(|| {
            format!(
                "a rate limit needs at least one request in a period longer than zero (got {} per {:?})",
                self.requests, self.per
            )
        })
    }
}

/// One limit and the send times of the requests it counts (the last `requests` of them).
#[derive(Debug)]
struct Window {
    limit: RateLimit,
    sent: VecDeque<Instant>,
}

/// The windows one queue of requests keeps.
#[derive(Debug, Default)]
struct Windows {
    windows: Vec<Window>,
}

impl Windows {
    fn new(limits: &[RateLimit]) -> Self {
        Windows {
            windows: limits
                .iter()
                .map(|&limit| Window {
                    limit,
                    sent: VecDeque::new(),
                })
                .collect(),
        }
    }

    /// The earliest time at or after `from` when every window has room.
    fn earliest(&self, from: Instant) -> Instant {
        self.windows.iter().fold(from, |at, w| {
            let n = w.limit.requests as usize;
            match w.sent.len().checked_sub(n).and_then(|i| w.sent.get(i)) {
                Some(&oldest) => at.max(oldest + w.limit.kept()),
                None => at,
            }
        })
    }

    fn record(&mut self, at: Instant) {
        for w in &mut self.windows {
            w.sent.push_back(at);
            while w.sent.len() > w.limit.requests as usize {
                w.sent.pop_front();
            }
        }
    }
}

#[derive(Debug, Default)]
struct State {
    /// The client's own windows, for every request.
    shared: Windows,
    /// Each operation's own windows, as the document declares them.
    operations: HashMap<&'static str, Windows>,
    /// The time the last request was given, so turns are taken in order.
    last: Option<Instant>,
    /// No request before this: the server said its quota is spent.
    paused_until: Option<Instant>,
}

/// The limits of a client, kept for all its clones.
#[derive(Debug)]
pub(crate) struct Limiter {
    state: Mutex<State>,
    /// Operations keep their own limits.
    per_operation: bool,
    from_headers: bool,
}

impl Limiter {
    /// A limiter of `limits`, which also keeps operations' own limits if `per_operation` and
    /// pauses when the server says so if `from_headers`.
    pub(crate) fn new(limits: &[RateLimit], per_operation: bool, from_headers: bool) -> Self {
        Limiter {
            state: Mutex::new(State {
                shared: Windows::new(limits),
                ..State::default()
            }),
            per_operation,
            from_headers,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes a turn for a request of `operation` (whose own limits are `own`), waiting until
    /// every window has room and any pause the server asked for is over.
    pub(crate) async fn acquire(&self, operation: &'static str, own: &[RateLimit]) {
        let at = self.reserve(Instant::now(), operation, own);
        let wait = at.saturating_duration_since(Instant::now());
        if !wait.is_zero() {
            tracing::debug!(wait_ms = wait.as_millis() as u64, "waiting for the rate limit");
            tokio::time::sleep_until(at).await;
        }
    }

    /// The send time of the next request of `operation`, recorded in its windows.
    fn reserve(&self, now: Instant, operation: &'static str, own: &[RateLimit]) -> Instant {
        let mut state = self.state();
        let mut at = now.max(state.last.unwrap_or(now));
        if let Some(until) = state.paused_until {
            at = at.max(until);
        }
        at = state.shared.earliest(at);
        if self.per_operation && !own.is_empty() {
            let windows = state.operations.entry(operation).or_insert_with(|| Windows::new(own));
            at = windows.earliest(at);
            windows.record(at);
        }
        state.shared.record(at);
        state.last = Some(at);
        at
    }

    /// Reads the server's rate-limit headers (and `Retry-After` on a 429): when its quota is
    /// spent, no request goes until it is renewed. Values that are negative, unreadable, or
    /// over a day away are ignored, with a trace event.
    pub(crate) fn observe(&self, status: u16, headers: &reqwest::header::HeaderMap) {
        self.observe_at(Instant::now(), status, headers);
    }

    fn observe_at(&self, now: Instant, status: u16, headers: &reqwest::header::HeaderMap) {
        if !self.from_headers {
            return;
        }
        let pause = match status {
            429 => super::retry::retry_after(headers).or_else(|| exhausted(headers)),
            _ => exhausted(headers),
        };
        let Some(pause) = pause else { return };
        if pause > MAX_PAUSE {
            tracing::debug!(pause_s = pause.as_secs(), "ignoring a rate-limit reset over a day away");
            return;
        }
        tracing::debug!(
            pause_ms = pause.as_millis() as u64,
            "the server's quota is spent: pausing"
        );
        let until = now + pause;
        let mut state = self.state();
        state.paused_until = Some(state.paused_until.map_or(until, |p| p.max(until)));
    }
}

/// The longest pause a server's headers are followed for.
const MAX_PAUSE: Duration = Duration::from_secs(24 * 3600);

/// How long until the server's quota is renewed, when its headers say none is left: the IETF
/// `RateLimit` field (its current and earlier drafts) or the common `X-RateLimit-Remaining`
/// with `X-RateLimit-Reset` (seconds from now, or a Unix time in seconds or milliseconds).
fn exhausted(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(field) = text("ratelimit") {
        return ietf(field);
    }
    for (remaining, resets) in [
        ("ratelimit-remaining", &["ratelimit-reset"][..]),
        (
            "x-ratelimit-remaining",
            &["x-ratelimit-reset-after", "x-ratelimit-reset"][..],
        ),
        ("x-rate-limit-remaining", &["x-rate-limit-reset"][..]),
    ] {
        let Some(left) = text(remaining) else { continue };
        if !is_zero(left, remaining)? {
            return None;
        }
        return resets.iter().find_map(|name| text(name).and_then(|v| reset(v, name)));
    }
    None
}

/// `RateLimit: "default";r=0;t=30` (draft 08 on; the longest reset of the items with none
/// left) or `RateLimit: limit=100, remaining=0, reset=30` (draft 07).
fn ietf(field: &str) -> Option<Duration> {
    let mut longest: Option<Duration> = None;
    if field.contains("remaining=") {
        let param = |key: &str| {
            field
                .split(',')
                .filter_map(|p| p.trim().split_once('='))
                .find(|(k, _)| k.trim() == key)
                .map(|(_, v)| v.trim())
        };
        if is_zero(param("remaining")?, "RateLimit")? {
            longest = param("reset").and_then(|v| reset(v, "RateLimit"));
        }
        return longest;
    }
    for item in field.split(',') {
        let params: Vec<(&str, &str)> = item
            .split(';')
            .skip(1)
            .filter_map(|p| p.trim().split_once('='))
            .collect();
        let get = |key: &str| params.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        let Some(r) = get("r") else { continue };
        if is_zero(r, "RateLimit") == Some(true) {
            let t = get("t").and_then(|v| reset(v, "RateLimit")).unwrap_or(Duration::ZERO);
            longest = Some(longest.map_or(t, |l| l.max(t)));
        }
    }
    longest
}

/// Whether a remaining count is zero; `None` (with a trace event) if it is not a count.
fn is_zero(value: &str, header: &str) -> Option<bool> {
    match value.parse::<u64>() {
        Ok(n) => Some(n == 0),
        Err(_) => {
            tracing::debug!(header, value, "ignoring a rate-limit header that is not a count");
            None
        }
    }
}

/// A reset time as a wait from now: seconds (with decimals, as some servers send), or a Unix
/// time in seconds or milliseconds; `None` (with a trace event) when negative or unreadable.
fn reset(value: &str, header: &str) -> Option<Duration> {
    let number = match value.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => n,
        _ => {
            tracing::debug!(header, value, "ignoring a rate-limit reset that is not a time");
            return None;
        }
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    let seconds = if number >= 1e12 {
        number / 1000.0 - now
    } else if number >= 1e9 {
        number - now
    } else {
        number
    };
    Duration::try_from_secs_f64(seconds.max(0.0)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_period_holds_more_than_the_limit_and_turns_go_in_order() {
        let limiter = Limiter::new(
            &[RateLimit::per_second(2), RateLimit::new(3, Duration::from_secs(10))],
            true,
            false,
        );
        let start = Instant::now();
        let times: Vec<Duration> = (0..7).map(|_| limiter.reserve(start, "op", &[]) - start).collect();
        // Each window's period with its guard: 1.05 s and 10.5 s.
        let ms = Duration::from_millis;
        assert_eq!(
            times,
            [ms(0), ms(0), ms(1050), ms(10500), ms(10500), ms(11550), ms(21000)]
        );
    }

    #[test]
    fn an_operation_keeps_its_own_windows_besides_the_clients() {
        let limiter = Limiter::new(&[RateLimit::per_second(10)], true, false);
        let start = Instant::now();
        let own = [RateLimit::per_second(1)];
        let token: Vec<Duration> = (0..3).map(|_| limiter.reserve(start, "token", &own) - start).collect();
        let ms = Duration::from_millis;
        assert_eq!(token, [ms(0), ms(1050), ms(2100)]);
        // Another operation waits its turn behind them, but not for their window.
        assert_eq!(limiter.reserve(start, "other", &[]) - start, ms(2100));
        // Without operations' own limits, only the client's hold.
        let limiter = Limiter::new(&[RateLimit::per_second(10)], false, false);
        let token: Vec<Duration> = (0..3).map(|_| limiter.reserve(start, "token", &own) - start).collect();
        assert_eq!(token, [Duration::ZERO; 3]);
    }

    fn headers(pairs: &[(&str, &str)]) -> reqwest::header::HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    reqwest::header::HeaderName::from_bytes(k.as_bytes()).expect("a name"),
                    reqwest::header::HeaderValue::from_str(v).expect("a value"),
                )
            })
            .collect()
    }

    #[test]
    fn spent_quotas_are_read_from_every_common_form() {
        let secs = |s| Some(Duration::from_secs(s));
        let in_an_hour = (std::time::SystemTime::now() + Duration::from_secs(3600))
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        for (pairs, wait) in [
            (vec![("RateLimit", "\"default\";r=0;t=30")], secs(30)),
            (vec![("RateLimit", "\"hour\";r=5;t=10, \"day\";r=0;t=90")], secs(90)),
            (vec![("RateLimit", "\"default\";r=3;t=30")], None),
            (vec![("RateLimit", "limit=100, remaining=0, reset=7")], secs(7)),
            (vec![("RateLimit-Remaining", "0"), ("RateLimit-Reset", "12")], secs(12)),
            (vec![("X-RateLimit-Remaining", "1"), ("X-RateLimit-Reset", "12")], None),
            (
                vec![("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "2.5")],
                Some(Duration::from_millis(2500)),
            ),
            (vec![("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "-5")], None),
            (
                vec![("X-RateLimit-Remaining", "none"), ("X-RateLimit-Reset", "5")],
                None,
            ),
            (
                vec![("X-Rate-Limit-Remaining", "0"), ("X-Rate-Limit-Reset", "soon")],
                None,
            ),
        ] {
            assert_eq!(exhausted(&headers(&pairs)), wait, "{pairs:?}");
        }
        let epoch = in_an_hour.to_string();
        let wait = exhausted(&headers(&[
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", &epoch),
        ]))
        .expect("a Unix time");
        assert!((3590..=3600).contains(&wait.as_secs()), "{wait:?}");
        let millis = (in_an_hour * 1000).to_string();
        let wait = exhausted(&headers(&[
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", &millis),
        ]))
        .expect("a Unix time in milliseconds");
        assert!((3590..=3600).contains(&wait.as_secs()), "{wait:?}");
    }

    #[test]
    fn a_spent_quota_pauses_the_next_request_and_a_huge_reset_is_ignored() {
        let limiter = Limiter::new(&[], true, true);
        let now = Instant::now();
        let next = |at: Duration| limiter.reserve(now + at, "op", &[]) - now;
        limiter.observe_at(
            now,
            200,
            &headers(&[("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "5")]),
        );
        assert_eq!(next(Duration::ZERO), Duration::from_secs(5));
        let later = Duration::from_secs(10);
        limiter.observe_at(
            now + later,
            200,
            &headers(&[("RateLimit-Remaining", "0"), ("RateLimit-Reset", "999999")]),
        );
        assert_eq!(next(later), later, "a reset over a day away is ignored");
        limiter.observe_at(now + later, 429, &headers(&[("Retry-After", "3")]));
        assert_eq!(next(later), later + Duration::from_secs(3));
        let off = Limiter::new(&[], true, false);
        off.observe_at(now, 429, &headers(&[("Retry-After", "3")]));
        assert_eq!(
            off.reserve(now, "op", &[]),
            now,
            "headers are not followed when switched off"
        );
    }
}
