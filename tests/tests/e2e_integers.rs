//! Integers as the document types them, on the wire: `uint32` and `uint64` as `u32` and `u64`,
//! also when carried as JSON strings, with values an `i64` cannot hold; integer enums as Rust
//! enums that keep the values the document does not list.

use features_client::types::{Meter, MeterLevel, MeterOffset};
use features_client::Client;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("tok")
        .build()
        .expect("builds")
}

#[tokio::test]
async fn unsigned_integers_beyond_i64_travel_as_numbers_and_as_text() {
    let server = MockServer::start().await;
    let client = client(&server);
    let big = u64::MAX;
    Mock::given(method("PUT"))
        .and(path(format!("/meters/{big}")))
        .and(body_json(
            json!({ "total": big, "total_text": big.to_string(), "small": 4_000_000_000u32 }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": big, "total_text": "18446744073709551614", "small": u32::MAX, "spare_text": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let mut meter = Meter::new(big, big);
    meter.small = Some(4_000_000_000);
    let stored = client.put_meter(big, meter).send().await.expect("stored");
    assert_eq!(
        (stored.total, stored.total_text, stored.small, stored.spare_text),
        (big, big - 1, Some(u32::MAX), None)
    );
}

#[test]
fn integers_carried_as_text_read_numbers_too_and_refuse_what_does_not_fit() {
    let meter: Meter =
        serde_json::from_value(json!({ "total": 1, "total_text": 5, "spare_text": "7" })).expect("decodes");
    assert_eq!((meter.total_text, meter.spare_text), (5, Some(7)));
    let negative = serde_json::from_value::<Meter>(json!({ "total": 1, "total_text": "-1" })).expect_err("refused");
    assert!(negative.to_string().contains("a uint64"), "{negative}");
    let too_big = serde_json::from_value::<Meter>(json!({ "total": 1, "total_text": "1", "small": 4_294_967_296u64 }))
        .expect_err("refused");
    assert!(too_big.to_string().contains("u32"), "{too_big}");
}

#[tokio::test]
async fn integer_enums_are_numbers_on_the_wire_and_keep_unlisted_values() {
    let server = MockServer::start().await;
    let client = client(&server);
    Mock::given(method("PUT"))
        .and(path("/meters/1"))
        .and(body_json(
            json!({ "total": 1, "total_text": "1", "level": 3, "offset": -1 }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 1, "total_text": "1", "level": 7, "offset": "0"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let mut meter = Meter::new(1, 1);
    meter.level = Some(MeterLevel::High);
    meter.offset = Some(MeterOffset::Minus1);
    let stored = client.put_meter(1, meter).send().await.expect("stored");
    // A value the document does not list is kept; digits in a string are read as the number.
    assert_eq!(
        (stored.level, stored.offset),
        (Some(MeterLevel::Unknown(7)), Some(MeterOffset::N0))
    );
    assert_eq!(MeterLevel::Normal.value(), 2);
    assert_eq!("3".parse::<MeterLevel>(), Ok(MeterLevel::High));
    assert_eq!(MeterOffset::from(-1).to_string(), "-1");
    let refused = serde_json::from_value::<Meter>(json!({ "total": 1, "total_text": "1", "level": "high" }));
    assert!(refused.is_err(), "a word is not an integer enum's value");
}
