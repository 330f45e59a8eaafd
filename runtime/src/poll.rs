//! Waiting for long-running work: poll a status with growing intervals until it is final or a
//! deadline passes.

use super::error::Error;
use std::future::Future;
use std::time::{Duration, Instant};

/// How often and how long to poll for the end of long-running work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollPolicy {
    /// The wait before the second look; the first look is immediate.
    pub initial_interval: Duration,
    /// The wait grows by half each time up to this.
    pub max_interval: Duration,
    /// Give up with [`Error::PollDeadline`] once this much time has passed.
    pub deadline: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
            deadline: Duration::from_secs(30 * 60),
        }
    }
}

impl PollPolicy {
    /// The default intervals with another deadline.
    pub fn with_deadline(deadline: Duration) -> Self {
        PollPolicy {
            deadline,
            ..PollPolicy::default()
        }
    }
}

/// Calls `fetch` until `done` says its result is final, waiting between calls as `policy` says.
/// An error from `fetch` ends the polling with that error (each call already retries transient
/// failures itself).
pub async fn poll<T, B, Fut>(
    policy: &PollPolicy,
    mut fetch: impl FnMut() -> Fut,
    done: impl Fn(&T) -> bool,
) -> Result<T, Error<B>>
where
    T: std::fmt::Debug,
    Fut: Future<Output = Result<T, Error<B>>>,
{
    let started = Instant::now();
    let mut interval = policy.initial_interval;
    loop {
        let state = fetch().await?;
        if done(&state) {
            return Ok(state);
        }
        let waited = started.elapsed();
        if waited + interval > policy.deadline {
            return Err(Error::PollDeadline {
                waited,
                last_state: format!("{state:?}"),
            });
        }
        tracing::debug!(waited_ms = waited.as_millis() as u64, "not finished yet");
        tokio::time::sleep(interval).await;
        interval = interval.saturating_add(interval / 2).min(policy.max_interval);
    }
}
