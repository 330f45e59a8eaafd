//! Values JSON carries as text that have a Rust type: bytes in base64 (`format: byte`) and
//! base64url, and Google's signed durations, written as the API expects and read leniently.

use features_client::runtime::{Base64, Base64Url, GoogleDuration};
use features_client::types::Meter;
use serde_json::json;

#[test]
fn bytes_and_durations_are_typed_both_ways() {
    let meter: Meter = serde_json::from_value(json!({
        "total": 1, "total_text": "1", "blob": "aGk/Pz8=", "token": "aGk_Pz8", "span": "-1.5s"
    }))
    .expect("decodes");
    assert_eq!(meter.blob, Some(Base64(b"hi???".to_vec())));
    assert_eq!(meter.token, Some(Base64Url(b"hi???".to_vec())));
    assert_eq!(meter.span, Some(GoogleDuration(-chrono::TimeDelta::milliseconds(1500))));
    let written = serde_json::to_value(&meter).expect("encodes");
    assert_eq!(
        (&written["blob"], &written["token"], &written["span"]),
        (&json!("aGk/Pz8="), &json!("aGk_Pz8"), &json!("-1.5s"))
    );
    let error =
        serde_json::from_value::<Meter>(json!({ "total": 1, "total_text": "1", "span": "soon" })).expect_err("refused");
    assert!(error.to_string().contains("is not a duration"), "{error}");
}
