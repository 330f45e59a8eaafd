//! Which event a webhook delivery is, and its payload typed: the mechanics behind the
//! `webhooks` module a generated crate has for a document that lists webhooks (3.1
//! `webhooks`, `x-webhooks`, or 3.0 operation `callbacks`).
//!
//! Generated code says what the document lists, once per event ([`Listed`]): its key, the names
//! a delivery may give it, the properties whose one value marks its payload (`action:
//! created`, `type: invoice.paid`: a one-value `enum` or a `const`), and how its payload
//! decodes into the generated enum's variant. Everything else is here:
//!
//! 1. The signature is verified first ([`Verifier`]); nothing is read before it is.
//! 2. The body is read as JSON (a body that is not JSON is [`WebhookError::Decode`]).
//! 3. The candidates: with an event name (the caller's, or the header the document declares on
//!    every event, GitHub's `X-GitHub-Event`), the events that answer to it; names compare
//!    ASCII case-insensitively, with every character that is not a letter or a digit alike
//!    (`branch_protection_rule` is `branch-protection-rule`). Without a name, the events
//!    whose payload says which they are (at least one marking property), or the only event
//!    of a document that lists one.
//! 4. Of those, the ones whose marking properties the payload has, each with its value; the
//!    one with the most such properties first, then document order.
//! 5. The first candidate whose payload decodes is the answer. None left: the generated
//!    enum's `Unknown { event, payload }`, the name and the JSON, for an event the document
//!    does not list. Candidates left but none decodes: [`WebhookError::Decode`] naming the
//!    first one's key: the payload contradicts what the document says of that event, which
//!    a handler should see rather than mistake for an unknown event (it can still read the
//!    verified body as `serde_json::Value` with [`Verifier::parse`]).

use super::webhooks::{Verifier, WebhookError};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::cmp::Reverse;

/// The one value a property of an event's payload has, which marks the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Literal {
    Text(&'static str),
    Integer(i64),
}

impl Literal {
    fn is(self, value: &Value) -> bool {
        match self {
            Literal::Text(text) => value.as_str() == Some(text),
            Literal::Integer(n) => value.as_i64() == Some(n),
        }
    }
}

/// One event a document lists, as generated code declares it.
pub struct Listed<E> {
    /// The event's key in the document (`branch-protection-rule-created`, a callback's name).
    pub key: &'static str,
    /// The other names a delivery may give it (its `operationId`, and that id's part before
    /// its last `/`: `branch-protection-rule`, GitHub's event name).
    pub names: &'static [&'static str],
    /// The payload's properties (top-level, by their JSON name) that have one value in every
    /// delivery of the event.
    pub marks: &'static [(&'static str, Literal)],
    /// The payload, decoded as the event's variant.
    pub decode: fn(Value) -> Result<E, serde_json::Error>,
}

impl<E> Listed<E> {
    fn answers_to(&self, name: &str) -> bool {
        std::iter::once(self.key)
            .chain(self.names.iter().copied())
            .any(|n| same_name(n, name))
    }

    fn marks(&self, payload: &Value) -> bool {
        self.marks
            .iter()
            .all(|(property, literal)| payload.get(property).is_some_and(|v| literal.is(v)))
    }
}

impl<E> std::fmt::Debug for Listed<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listed")
            .field("key", &self.key)
            .field("names", &self.names)
            .field("marks", &self.marks)
            .finish_non_exhaustive()
    }
}

/// The events of a document: what its generated `webhooks::Event` enum implements.
pub trait Events: Sized + 'static {
    /// Every event the document lists, in its order.
    const LISTED: &'static [Listed<Self>];
    /// The header every event of the document declares that names the event
    /// (`X-GitHub-Event`), if there is one.
    const EVENT_HEADER: Option<&'static str>;

    /// A delivery of an event the document does not list: its name, if it came with one, and
    /// its payload.
    fn unknown(event: Option<String>, payload: Value) -> Self;
}

/// A delivery verified, then decoded as the event it is (see the module docs); the event's
/// name read from the document's event header, when it declares one.
///
/// # Errors
/// When the signature does not verify ([`Verifier::verify`]), the event header is not text,
/// the body is not JSON, or the payload of a listed event does not decode.
pub fn parse<E: Events>(verifier: &Verifier, headers: &HeaderMap, body: &[u8]) -> Result<E, WebhookError> {
    verifier.verify(headers, body)?;
    decode(event_header::<E>(headers)?, body)
}

/// [`parse`] with the event's name given by the caller (`None`: none, whatever the headers
/// say).
///
/// # Errors
/// As [`parse`].
pub fn parse_named<E: Events>(
    verifier: &Verifier,
    event: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<E, WebhookError> {
    verifier.verify(headers, body)?;
    decode(event, body)
}

/// The name the document's event header gives, if it declares one and the delivery has it.
///
/// # Errors
/// When the header is there but not text.
pub fn event_header<E: Events>(headers: &HeaderMap) -> Result<Option<&str>, WebhookError> {
    let Some(name) = E::EVENT_HEADER else { return Ok(None) };
    headers
        .get(name)
        .map(|v| {
            v.to_str()
                .map(str::trim)
                .map_err(|_| WebhookError::Malformed(format!("`{name}` is not text")))
        })
        .transpose()
}

/// Decodes a body as the event it is, WITHOUT checking its signature: for a delivery already
/// verified some other way, or for tests. `event` is the event's name, if known.
///
/// # Errors
/// When the body is not JSON, or the payload of a listed event does not decode.
pub fn decode<E: Events>(event: Option<&str>, body: &[u8]) -> Result<E, WebhookError> {
    let payload: Value =
        serde_json::from_slice(body).map_err(|e| WebhookError::Decode(format!("the body is not JSON: {e}")))?;
    let listed = E::LISTED;
    let mut candidates: Vec<&Listed<E>> = listed
        .iter()
        .filter(|l| match event {
            Some(name) => l.answers_to(name),
            None => !l.marks.is_empty() || listed.len() == 1,
        })
        .filter(|l| l.marks(&payload))
        .collect();
    // Stable: among as many marks, document order.
    candidates.sort_by_key(|l| Reverse(l.marks.len()));
    let Some(first) = candidates.first() else {
        return Ok(E::unknown(event.map(str::to_owned), payload));
    };
    let mut failed = None;
    for listed in &candidates {
        match (listed.decode)(payload.clone()) {
            Ok(decoded) => return Ok(decoded),
            Err(e) => {
                failed.get_or_insert(e);
            }
        }
    }
    let why = failed.map_or_else(String::new, |e| e.to_string());
    Err(WebhookError::Decode(format!(
        "the payload of event `{}` does not decode: {why}",
        first.key
    )))
}

/// Whether two event names are the same: ASCII letters in either case, and every character
/// that is not a letter or a digit alike.
fn same_name(a: &str, b: &str) -> bool {
    let fold = |c: char| {
        if c.is_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '-'
        }
    };
    a.chars().map(fold).eq(b.chars().map(fold))
}

#[cfg(test)]
mod tests {
    use super::super::webhooks::{Verifier, WebhookError};
    use super::{decode, event_header, parse, Events, Listed, Literal, Value};
    use reqwest::header::{HeaderMap, HeaderValue};

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Rule {
        action: String,
        rule: String,
    }

    #[derive(Debug, PartialEq)]
    enum Event {
        Created(Rule),
        Deleted(Rule),
        Push(Value),
        Paid(Value),
        Unknown { event: Option<String>, payload: Value },
    }

    impl Events for Event {
        const LISTED: &'static [Listed<Self>] = &[
            Listed {
                key: "branch-protection-rule-created",
                names: &["branch-protection-rule/created", "branch-protection-rule"],
                marks: &[("action", Literal::Text("created"))],
                decode: |v| serde_json::from_value(v).map(Event::Created),
            },
            Listed {
                key: "branch-protection-rule-deleted",
                names: &["branch-protection-rule/deleted", "branch-protection-rule"],
                marks: &[("action", Literal::Text("deleted"))],
                decode: |v| serde_json::from_value(v).map(Event::Deleted),
            },
            Listed {
                key: "push",
                names: &[],
                marks: &[],
                decode: |v| serde_json::from_value(v).map(Event::Push),
            },
            Listed {
                key: "invoice-paid",
                names: &[],
                marks: &[
                    ("type", Literal::Text("invoice.paid")),
                    ("version", Literal::Integer(2)),
                ],
                decode: |v| serde_json::from_value(v).map(Event::Paid),
            },
        ];
        const EVENT_HEADER: Option<&'static str> = Some("x-github-event");

        fn unknown(event: Option<String>, payload: Value) -> Self {
            Event::Unknown { event, payload }
        }
    }

    fn github_signature(secret: &[u8], body: &[u8]) -> String {
        use hmac::{KeyInit, Mac};
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).expect("any key length");
        mac.update(body);
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }

    fn rule(action: &str) -> Rule {
        Rule {
            action: action.to_owned(),
            rule: "main".to_owned(),
        }
    }

    #[test]
    fn the_name_and_the_marking_property_choose_the_event() {
        let created = br#"{"action":"created","rule":"main"}"#;
        assert_eq!(
            decode::<Event>(Some("branch_protection_rule"), created),
            Ok(Event::Created(rule("created")))
        );
        assert_eq!(
            decode::<Event>(Some("Branch-Protection-Rule"), br#"{"action":"deleted","rule":"main"}"#),
            Ok(Event::Deleted(rule("deleted")))
        );
        // The key and the operation id are names too.
        assert_eq!(
            decode::<Event>(Some("branch-protection-rule/created"), created),
            Ok(Event::Created(rule("created")))
        );
        // Without a name, the marking property alone.
        assert_eq!(decode::<Event>(None, created), Ok(Event::Created(rule("created"))));
        // An event no property marks needs its name.
        assert_eq!(
            decode::<Event>(Some("push"), br#"{"ref":"main"}"#),
            Ok(Event::Push(serde_json::json!({"ref": "main"})))
        );
        assert_eq!(
            decode::<Event>(None, br#"{"ref":"main"}"#),
            Ok(Event::Unknown {
                event: None,
                payload: serde_json::json!({"ref": "main"})
            })
        );
    }

    #[test]
    fn every_mark_must_hold_with_its_type() {
        let paid = br#"{"type":"invoice.paid","version":2}"#;
        assert!(matches!(decode::<Event>(None, paid), Ok(Event::Paid(_))));
        let text_version = br#"{"type":"invoice.paid","version":"2"}"#;
        assert!(matches!(decode::<Event>(None, text_version), Ok(Event::Unknown { .. })));
        let other_type = br#"{"type":"invoice.created","version":2}"#;
        assert!(matches!(decode::<Event>(None, other_type), Ok(Event::Unknown { .. })));
    }

    #[test]
    fn unlisted_events_and_actions_are_unknown_and_bad_payloads_are_errors() {
        let body = br#"{"action":"created","rule":"main"}"#;
        assert_eq!(
            decode::<Event>(Some("star"), body),
            Ok(Event::Unknown {
                event: Some("star".to_owned()),
                payload: serde_json::json!({"action": "created", "rule": "main"})
            })
        );
        // A listed event's name with an action the document does not list.
        assert!(matches!(
            decode::<Event>(Some("branch_protection_rule"), br#"{"action":"edited"}"#),
            Ok(Event::Unknown { .. })
        ));
        // The document's event, but not its payload: an error naming it.
        match decode::<Event>(Some("branch_protection_rule"), br#"{"action":"created","rule":7}"#) {
            Err(WebhookError::Decode(why)) => assert!(why.contains("branch-protection-rule-created"), "{why}"),
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert!(matches!(
            decode::<Event>(None, b"not json"),
            Err(WebhookError::Decode(_))
        ));
    }

    #[test]
    fn the_event_header_names_the_event_after_the_signature_verifies() {
        let verifier = Verifier::github("It's a Secret to Everybody");
        let body = br#"{"action":"created","rule":"main"}"#;
        let mut headers = HeaderMap::new();
        headers.insert("x-github-event", HeaderValue::from_static("branch_protection_rule"));
        // Unsigned: refused before anything is read.
        assert_eq!(
            parse::<Event>(&verifier, &headers, body),
            Err(WebhookError::MissingHeader("x-hub-signature-256".to_owned()))
        );
        let signature = "sha256=0000000000000000000000000000000000000000000000000000000000000000";
        headers.insert("x-hub-signature-256", HeaderValue::from_static(signature));
        assert_eq!(parse::<Event>(&verifier, &headers, body), Err(WebhookError::NoMatch));
        let signed = format!("sha256={}", github_signature(b"It's a Secret to Everybody", body));
        headers.insert(
            "x-hub-signature-256",
            HeaderValue::from_str(&signed).expect("a header value"),
        );
        assert_eq!(
            parse::<Event>(&verifier, &headers, body),
            Ok(Event::Created(rule("created")))
        );
        assert_eq!(event_header::<Event>(&headers), Ok(Some("branch_protection_rule")));
        let binary = HeaderValue::from_bytes(b"\xff").expect("a header value");
        headers.insert("x-github-event", binary);
        assert!(matches!(
            event_header::<Event>(&headers),
            Err(WebhookError::Malformed(_))
        ));
    }
}
