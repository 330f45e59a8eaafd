//! What the model makes of the regression fixtures of the wire defects of issue 25, item 4
//! (the same shapes travel over a loopback server in `e2e_wire_shapes.rs`): binary answers are
//! bytes whatever their media type says, and a multipart body that is not an object is sent as
//! one part, named with a warning when the document does not name it.

use openapi_crate_gen_core::model::{Api, BodyEncoding, Operation, Success, Ty, DEFAULT_PART};

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

/// An operation's body: its type and how it is written.
fn body<'a>(api: &'a Api, name: &str) -> (&'a Ty, &'a BodyEncoding) {
    let body = operation(api, name)
        .body
        .as_ref()
        .unwrap_or_else(|| panic!("{name} has no body"));
    (&body.ty, &body.encoding)
}

fn one_part(name: &str, content_type: Option<&str>) -> BodyEncoding {
    BodyEncoding::MultipartPart {
        name: name.to_owned(),
        content_type: content_type.map(str::to_owned),
    }
}

#[test]
fn a_multipart_body_that_is_not_an_object_is_one_part() {
    let api = fixture("multipart-non-object.yaml");
    let upload = Ty::Upload;
    let uploads = Ty::Vec(Box::new(Ty::Upload));
    let notes = Ty::Vec(Box::new(Ty::String));
    // Bytes are a file part, from memory, a file or a stream; through a reference too.
    assert_eq!(body(&api, "upload_file"), (&upload, &one_part(DEFAULT_PART, None)));
    assert_eq!(
        body(&api, "upload_named_file"),
        (&upload, &one_part("attachment", Some("application/pdf")))
    );
    // A list: one part per item, files for bytes.
    assert_eq!(body(&api, "upload_files"), (&uploads, &one_part(DEFAULT_PART, None)));
    assert_eq!(body(&api, "post_notes"), (&notes, &one_part(DEFAULT_PART, None)));
    // The part's name is a choice the document did not make, unless its `encoding` names it.
    let warned: Vec<&str> = api
        .warnings
        .iter()
        .filter(|w| w.message.contains("multipart body whose schema is not an object"))
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(
        warned,
        [
            "#/paths/~1files/post/requestBody/content/multipart~1form-data",
            "#/paths/~1files~1many/post/requestBody/content/multipart~1form-data",
            "#/paths/~1notes/post/requestBody/content/multipart~1form-data",
        ]
    );
}
