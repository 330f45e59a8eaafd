//! Rate limits a document declares, with the `x-rate-limits` extension: at the top level for
//! every request of the client, on an operation for that operation besides. Each is a list of
//! windows, all kept together:
//!
//! ```yaml
//! x-rate-limits:
//!   - requests: 10
//!     seconds: 1
//!   - requests: 1000
//!     seconds: 900
//! ```
//!
//! A window that is not two positive numbers is left out with a warning.

use crate::error::Warning;
use crate::pointer::Pointer;
use indexmap::IndexMap;
use serde_json::Value;

/// The extension's name.
pub const EXTENSION: &str = "x-rate-limits";

/// At most `requests` requests in any period of `millis` milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u32,
    pub millis: u64,
}

/// The windows `extensions` declares (those of the node at `ptr`).
pub(crate) fn declared(
    extensions: &IndexMap<String, Value>,
    ptr: &Pointer,
    warnings: &mut Vec<Warning>,
) -> Vec<RateLimit> {
    let Some(value) = extensions.get(EXTENSION) else {
        return Vec::new();
    };
    let ptr = ptr.join(EXTENSION);
    let Some(windows) = value.as_array() else {
        warnings.push(Warning {
            file: None,
            pointer: ptr,
            message: "expected a list of windows (`requests` and `seconds`): no rate limit kept".to_owned(),
        });
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, window) in windows.iter().enumerate() {
        let requests = window
            .get("requests")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0);
        let millis = window
            .get("seconds")
            .and_then(Value::as_f64)
            .filter(|s| s.is_finite() && *s > 0.0 && *s <= 1e9)
            .map(|s| (s * 1000.0).round() as u64)
            .filter(|ms| *ms > 0);
        match (requests, millis) {
            (Some(requests), Some(millis)) => out.push(RateLimit { requests, millis }),
            _ => warnings.push(Warning {
                file: None,
                pointer: ptr.join(i),
                message: "a window needs `requests` (a whole number from 1) and `seconds` (a number above 0): left out"
                    .to_owned(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn windows_are_read_and_bad_ones_left_out_with_a_warning() {
        let extensions: IndexMap<String, Value> = [(
            EXTENSION.to_owned(),
            json!([{"requests": 10, "seconds": 1}, {"requests": 1000, "seconds": 900}, {"requests": 0, "seconds": 1}, {"requests": 5}]),
        )]
        .into_iter()
        .collect();
        let mut warnings = Vec::new();
        let limits = declared(&extensions, &Pointer::root(), &mut warnings);
        assert_eq!(
            limits,
            [
                RateLimit {
                    requests: 10,
                    millis: 1000
                },
                RateLimit {
                    requests: 1000,
                    millis: 900_000
                }
            ]
        );
        let at: Vec<String> = warnings.iter().map(|w| w.pointer.to_string()).collect();
        assert_eq!(at, ["#/x-rate-limits/2", "#/x-rate-limits/3"]);
    }
}
