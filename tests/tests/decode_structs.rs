//! The generated structs' `Deserialize` (the runtime's `deserialize_struct!`, which replaced
//! serde's derive to halve what rustc checks per struct) reads JSON objects as the derive did:
//! unknown keys skipped, a repeated key and a missing required field refused by name, absent and
//! `null` optional fields `None`, a `Nullable` field absent, `null` or set, int64 figures sent
//! as strings, escaped keys, and decoding errors that still name the path.

use serde_json::json;
use wpengine_api::runtime::Nullable;
use wpengine_api::types::{Account, DailyUsageMetrics, UpdateInstallRequest, UpdateInstallRequestEnvironment};

const ID: &str = "294deacc-d8b8-4005-82c4-0727ba8ddde0";

fn error_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    serde_json::from_str::<T>(text).expect_err("refused").to_string()
}

#[test]
fn fields_are_read_by_wire_name_and_unknown_keys_are_skipped() {
    let account: Account = serde_json::from_value(json!({
        "id": ID, "name": "acme", "nickname": "Acme", "added_later": {"nested": [1, 2, 3]}
    }))
    .expect("decodes");
    assert_eq!(account.id.to_string(), ID);
    assert_eq!(account.name, "acme");
    assert_eq!(account.nickname, "Acme");
}

#[test]
fn a_repeated_key_and_a_missing_required_field_are_refused_by_name() {
    let repeated = format!(r#"{{"id": "{ID}", "name": "a", "nickname": "b", "name": "c"}}"#);
    assert!(
        error_of::<Account>(&repeated).contains("duplicate field `name`"),
        "{}",
        error_of::<Account>(&repeated)
    );
    let missing = format!(r#"{{"id": "{ID}", "nickname": "b"}}"#);
    assert!(
        error_of::<Account>(&missing).contains("missing field `name`"),
        "{}",
        error_of::<Account>(&missing)
    );
}

#[test]
fn an_object_is_expected_and_an_array_is_refused() {
    let error = error_of::<Account>(r#"["id", "name"]"#);
    assert!(error.contains("expected struct Account"), "{error}");
    let error = error_of::<Account>("42");
    assert!(error.contains("expected struct Account"), "{error}");
}

#[test]
fn keys_written_with_escapes_are_matched() {
    // `\u006e` is `n`: serde_json hands such a key over as an owned string, not a borrowed one.
    let text = format!(r#"{{"id": "{ID}", "\u006eame": "escaped", "nickname": "n"}}"#);
    let account: Account = serde_json::from_str(&text).expect("decodes");
    assert_eq!(account.name, "escaped");
}

#[test]
fn optional_fields_are_none_when_absent_or_null() {
    let day: DailyUsageMetrics = serde_json::from_value(json!({"date": null})).expect("decodes");
    assert_eq!(day.date, None);
    assert_eq!(day.visit_count, None);
}

#[test]
fn int64_figures_are_read_from_strings_and_numbers() {
    let day: DailyUsageMetrics = serde_json::from_value(
        json!({"visit_count": "9007199254740993", "billable_visits": 12, "network_cdn_bytes": null}),
    )
    .expect("decodes");
    assert_eq!(day.visit_count, Some(9_007_199_254_740_993));
    assert_eq!(day.billable_visits, Some(12));
    assert_eq!(day.network_cdn_bytes, None);
    let error = error_of::<DailyUsageMetrics>(r#"{"visit_count": "many"}"#);
    assert!(error.contains("an int64"), "{error}");
}

#[test]
fn a_nullable_field_is_omitted_null_or_set() {
    let absent: UpdateInstallRequest = serde_json::from_value(json!({})).expect("decodes");
    assert_eq!(absent.environment, Nullable::Omitted);
    let null: UpdateInstallRequest = serde_json::from_value(json!({"environment": null})).expect("decodes");
    assert_eq!(null.environment, Nullable::Null);
    let set: UpdateInstallRequest = serde_json::from_value(json!({"environment": "staging"})).expect("decodes");
    assert_eq!(
        set.environment,
        Nullable::Value(UpdateInstallRequestEnvironment::Staging)
    );
}

#[test]
fn a_decoding_error_names_the_path_of_the_bad_value() {
    let text = format!(r#"{{"id": "{ID}", "name": 7, "nickname": "n"}}"#);
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let error = serde_path_to_error::deserialize::<_, Account>(&mut deserializer).expect_err("refused");
    assert_eq!(error.path().to_string(), "name");
}
