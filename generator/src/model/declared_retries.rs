//! The retries a document declares in another generator's vocabulary, for the whole API (at
//! the document's root) or for one operation: `x-speakeasy-retries` (Speakeasy) and
//! `x-fern-retries` (Fern). They become the client's default policy, or the operation's, and
//! give way to a policy the application chooses.
//!
//! What the client's policy cannot say (statuses besides 429, 502, 503 and 504, no retry of
//! a dropped connection) is a warning at the extension.

use super::Warning;
use crate::pointer::Pointer;
use serde_json::Value;

/// A declared retry policy: off, or the waits it gives (in milliseconds; absent ones are the
/// client's defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredRetry {
    pub disabled: bool,
    /// The first wait's upper bound.
    pub initial_ms: Option<u64>,
    /// The upper bound of any one wait.
    pub max_ms: Option<u64>,
    /// The most time spent waiting in all.
    pub total_ms: Option<u64>,
}

/// The statuses the client retries.
const RETRIED: [&str; 4] = ["429", "502", "503", "504"];

/// The retries the extensions in `extensions` (at `ptr`) declare, if any.
pub(super) fn declared(
    extensions: &indexmap::IndexMap<String, Value>,
    ptr: &Pointer,
    warnings: &mut Vec<Warning>,
) -> Option<DeclaredRetry> {
    let mut warn = |key: &str, message: String| {
        warnings.push(Warning {
            file: None,
            pointer: ptr.join(key),
            message,
        });
    };
    if let Some(fern) = extensions.get("x-fern-retries") {
        let disabled = fern.get("disabled").and_then(Value::as_bool).unwrap_or(false);
        return Some(DeclaredRetry {
            disabled,
            ..DeclaredRetry::default()
        });
    }
    let found = extensions.get("x-speakeasy-retries")?;
    let key = "x-speakeasy-retries";
    match found.get("strategy").and_then(Value::as_str) {
        Some("none") => {
            return Some(DeclaredRetry {
                disabled: true,
                ..DeclaredRetry::default()
            })
        }
        Some("backoff") | None => {}
        Some(other) => {
            warn(
                key,
                format!("`strategy: {other}` is not read: the client's retry policy applies"),
            );
            return None;
        }
    }
    let statuses: Vec<String> = found
        .get("statusCodes")
        .and_then(Value::as_array)
        .map(|codes| {
            codes
                .iter()
                .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let other: Vec<&String> = statuses.iter().filter(|s| !RETRIED.contains(&s.as_str())).collect();
    if !other.is_empty() {
        let other: Vec<String> = other.iter().map(|s| format!("`{s}`")).collect();
        warn(
            key,
            format!(
                "retries on {} are not made: the client retries 429, 502, 503 and 504",
                other.join(", ")
            ),
        );
    }
    if found.get("retryConnectionErrors").and_then(Value::as_bool) == Some(false) {
        warn(
            key,
            "`retryConnectionErrors: false` is not kept: the client retries a dropped connection of a request that is safe to repeat".to_owned(),
        );
    }
    let backoff = found.get("backoff");
    let ms = |name: &str| backoff.and_then(|b| b.get(name)).and_then(Value::as_u64);
    Some(DeclaredRetry {
        disabled: false,
        initial_ms: ms("initialInterval"),
        max_ms: ms("maxInterval"),
        total_ms: ms("maxElapsedTime"),
    })
}
