//! What the model makes of the regression fixtures of the wire defects of issue 25, item 4
//! (the same shapes travel over a loopback server in `e2e_wire_shapes.rs`): binary answers are
//! bytes whatever their media type says.

use openapi_crate_gen_core::model::{Api, Operation, Success};

fn fixture(name: &str) -> Api {
    let path = format!("tests/fixtures/regressions/{name}");
    let bytes = std::fs::read(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))).expect("the fixture is readable");
    openapi_crate_gen_core::build_model(&path, &bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn operation<'a>(api: &'a Api, name: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|o| o.method_name == name)
        .unwrap_or_else(|| panic!("no operation {name}"))
}

#[test]
fn a_binary_answer_is_bytes_whatever_its_media_type() {
    let api = fixture("binary-json-response.yaml");
    // `application/json` with `format: binary`: the bytes, not a JSON list of numbers.
    let report = operation(&api, "get_report");
    assert_eq!(report.success, Success::Bytes);
    // `text/plain` with a reference to a binary schema: the bytes, not text.
    let logo = operation(&api, "get_logo");
    assert_eq!(logo.success, Success::Bytes);
    // A binary error body is kept as it came, not decoded as JSON.
    assert_eq!(logo.errors.len(), 1);
    assert_eq!(logo.errors[0].body, None);
}
