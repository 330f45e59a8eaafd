//! The feature fixture's generated `webhooks` module (issue 26): a delivery signed with the
//! Standard Webhooks scheme, as a sender signs it, is verified and decoded into its typed
//! variant; a tampered one, one signed with another secret and one without a signature are
//! refused; an event the document does not list is `Unknown`; an event without a payload
//! schema is `serde_json::Value`; a listed event whose payload contradicts its schema is a
//! typed error naming it. And a delivery shaped and signed as GitHub's: `X-GitHub-Event` names
//! the family, the payload's `action` the event.

use base64::Engine as _;
use features_client::webhooks::{Event, Verifier, WebhookError};
use hmac::{KeyInit, Mac};
use reqwest::header::{HeaderMap, HeaderValue};
use std::time::Duration;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// A fixed time of sending, so the test does not read the clock: the verifier below accepts
/// any timestamp (the tolerance window has its own tests in the runtime).
const SENT: &str = "1614265330";

/// The headers a Standard Webhooks sender puts on `body`, signed with `secret`.
fn signed(secret: &str, body: &[u8]) -> HeaderMap {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .expect("a base64 secret");
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(format!("msg_1.{SENT}.").as_bytes());
    mac.update(body);
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", HeaderValue::from_static("msg_1"));
    headers.insert("webhook-timestamp", HeaderValue::from_static(SENT));
    let value = HeaderValue::from_str(&format!("v1,{signature}")).expect("a header value");
    headers.insert("webhook-signature", value);
    headers
}

fn verifier() -> Verifier {
    Verifier::standard(SECRET)
        .expect("a secret")
        .tolerance(Duration::from_secs(u64::MAX))
}

const PAID: &[u8] = br#"{"type":"invoice.paid","data":{"id":"in_1","amount":1200}}"#;

#[test]
fn a_signed_delivery_decodes_into_its_typed_variant() {
    let event = Event::parse(&verifier(), &signed(SECRET, PAID), PAID).expect("verified and decoded");
    let Event::InvoicePaid(paid) = event else {
        panic!("expected InvoicePaid, got {event:?}")
    };
    assert_eq!(paid.data.id, "in_1");
    assert_eq!(paid.data.amount, 1200);
    // The payload's `type` tells the two invoice events apart.
    let voided = br#"{"type":"invoice.voided","data":{"id":"in_1","reason":"duplicate"}}"#;
    let event = Event::parse(&verifier(), &signed(SECRET, voided), voided).expect("verified and decoded");
    assert!(
        matches!(&event, Event::InvoiceVoided(v) if v.data.reason.as_deref() == Some("duplicate")),
        "{event:?}"
    );
}

#[test]
fn tampered_unsigned_and_foreign_deliveries_are_refused() {
    let headers = signed(SECRET, PAID);
    let tampered = br#"{"type":"invoice.paid","data":{"id":"in_1","amount":9900}}"#;
    assert_eq!(
        Event::parse(&verifier(), &headers, tampered),
        Err(WebhookError::NoMatch)
    );
    let other = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    assert_eq!(
        Event::parse(&verifier(), &signed(other, PAID), PAID),
        Err(WebhookError::NoMatch)
    );
    assert_eq!(
        Event::parse(&verifier(), &HeaderMap::new(), PAID),
        Err(WebhookError::MissingHeader("webhook-id".to_owned()))
    );
}

#[test]
fn unlisted_events_are_unknown_and_payloads_without_a_schema_are_json() {
    let created = br#"{"type":"invoice.created","data":{"id":"in_2"}}"#;
    assert_eq!(
        Event::parse(&verifier(), &signed(SECRET, created), created),
        Ok(Event::Unknown {
            event: None,
            payload: serde_json::json!({"type": "invoice.created", "data": {"id": "in_2"}}),
        })
    );
    // The heartbeat's payload says nothing of which event it is: the caller names it.
    let beat = br#"{"at":"2026-01-01T00:00:00Z"}"#;
    assert_eq!(
        Event::parse_named(&verifier(), "heartbeat", &signed(SECRET, beat), beat),
        Ok(Event::Heartbeat(serde_json::json!({"at": "2026-01-01T00:00:00Z"})))
    );
    assert!(matches!(
        Event::parse(&verifier(), &signed(SECRET, beat), beat),
        Ok(Event::Unknown { event: None, .. })
    ));
}

#[test]
fn a_listed_event_whose_payload_contradicts_its_schema_is_an_error_naming_it() {
    let short = br#"{"type":"invoice.paid","data":{"id":"in_1"}}"#;
    match Event::parse(&verifier(), &signed(SECRET, short), short) {
        Err(WebhookError::Decode(why)) => assert!(why.contains("invoice.paid") && why.contains("amount"), "{why}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    // Only the caller's explicit choice skips the signature.
    assert!(matches!(Event::parse_unverified(None, PAID), Ok(Event::InvoicePaid(_))));
}

/// GitHub's documented secret; GitHub signs the body alone, in `X-Hub-Signature-256`.
const GITHUB_SECRET: &str = "It's a Secret to Everybody";

fn github_delivery(event: &'static str, body: &[u8]) -> HeaderMap {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(GITHUB_SECRET.as_bytes()).expect("any key length");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let mut headers = HeaderMap::new();
    // As GitHub spells it; header names are case-insensitive.
    headers.insert("X-GitHub-Event", HeaderValue::from_static(event));
    let signature = HeaderValue::from_str(&format!("sha256={hex}")).expect("a header value");
    headers.insert("X-Hub-Signature-256", signature);
    headers
}

#[test]
fn a_github_delivery_is_its_event_by_header_and_action() {
    let verifier = Verifier::github(GITHUB_SECRET);
    let created = br#"{"action":"created","rule":{"id":1,"name":"main"}}"#;
    let event = Event::parse(&verifier, &github_delivery("branch_protection_rule", created), created);
    let Ok(Event::BranchProtectionRuleCreated(payload)) = event else {
        panic!("expected BranchProtectionRuleCreated, got {event:?}")
    };
    assert_eq!(payload.rule.name, "main");
    let deleted = br#"{"action":"deleted","rule":{"id":1,"name":"main"}}"#;
    let event = Event::parse(&verifier, &github_delivery("branch_protection_rule", deleted), deleted);
    assert!(matches!(event, Ok(Event::BranchProtectionRuleDeleted(_))), "{event:?}");
    // An action the document does not list, and an event it does not.
    let edited = br#"{"action":"edited","rule":{"id":1,"name":"main"}}"#;
    let event = Event::parse(&verifier, &github_delivery("branch_protection_rule", edited), edited);
    assert!(
        matches!(&event, Ok(Event::Unknown { event: Some(name), .. }) if name == "branch_protection_rule"),
        "{event:?}"
    );
    let star = br#"{"action":"created","starred_at":null}"#;
    let event = Event::parse(&verifier, &github_delivery("star", star), star);
    assert!(
        matches!(&event, Ok(Event::Unknown { event: Some(name), .. }) if name == "star"),
        "{event:?}"
    );
    // Signed with another secret.
    let forged = Verifier::github("another secret");
    assert_eq!(
        Event::parse(&forged, &github_delivery("branch_protection_rule", created), created),
        Err(WebhookError::NoMatch)
    );
}
