//! Deeply nested and cyclic documents end in generated code or in an error with a pointer:
//! never a stack overflow, never a walk without end. A stack overflow aborts the whole test
//! binary (it cannot be caught), so each case runs on a thread with a 2 MiB stack, smaller than
//! the main thread a command-line run gets, and a crash fails this file's run outright.

use serde_json::{json, Map, Value};

/// How deep the long chains go.
const N: usize = 10_000;

/// Generates a crate from `text` on a thread with a 2 MiB stack.
fn generate(
    name: &str,
    text: String,
) -> Result<Vec<openapi_crate_gen_core::GeneratedFile>, openapi_crate_gen_core::Error> {
    let name = name.to_owned();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || openapi_crate_gen_core::generate_crate(&name, text.as_bytes(), None))
        .expect("spawns")
        .join()
        .expect("the generator does not panic")
}

/// An OpenAPI 3.0 document with these component schemas and one operation answering `S0`.
fn openapi(schemas: Map<String, Value>) -> String {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Deep", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}
        }}}}},
        "components": {"schemas": schemas}
    })
    .to_string()
}

/// `S0 .. S{N-1}`, each made by `link` from its index and the reference to the next one, and an
/// object `S{N}` that ends the chain.
fn chain(link: impl Fn(usize, String) -> Value) -> Map<String, Value> {
    let mut schemas: Map<String, Value> = (0..N)
        .map(|i| (format!("S{i}"), link(i, format!("#/components/schemas/S{}", i + 1))))
        .collect();
    schemas.insert(
        format!("S{N}"),
        json!({"type": "object", "properties": {"end": {"type": "string"}}}),
    );
    schemas
}

fn refused(name: &str, text: String) -> openapi_crate_gen_core::Error {
    match generate(name, text) {
        Ok(_) => panic!("{name}: expected an error"),
        Err(e) => e,
    }
}

/// A JSON document whose one schema is a string wrapped `depth` times in `open` ... `close`.
fn nested_json(open: &str, close: &str, depth: usize) -> String {
    let schema = format!("{}{{\"type\":\"string\"}}{}", open.repeat(depth), close.repeat(depth));
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"Deep","version":"1"}},"paths":{{}},"components":{{"schemas":{{"S0":{schema}}}}}}}"#
    )
}

#[test]
fn ten_thousand_nested_arrays_are_refused_with_a_message() {
    let e = refused("arrays.json", nested_json("{\"type\":\"array\",\"items\":", "}", N));
    assert_eq!(e.pointer, "#");
    assert!(e.message.contains("recursion limit"), "{e}");
}

#[test]
fn ten_thousand_nested_yaml_objects_are_refused_with_a_message() {
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: Deep, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    S0: {}{{type: string}}{}\n",
        "{type: object, properties: {p: ".repeat(N),
        "}}".repeat(N)
    );
    let e = refused("objects.yaml", text);
    assert!(e.message.contains("recursion limit"), "{e}");
}

#[test]
fn the_deepest_nesting_the_parsers_accept_generates() {
    // Each level of a schema costs two levels of JSON (`items` inside an object).
    let depth = 60;
    let text = nested_json("{\"type\":\"object\",\"properties\":{\"p\":", "}}", depth);
    let files = generate("objects.json", text).expect("generates");
    let types = files
        .iter()
        .find(|f| f.path == "src/generated/types.rs")
        .expect("types.rs");
    assert_eq!(
        types.contents.matches("pub struct").count(),
        depth,
        "one struct per level"
    );
}

#[test]
fn a_long_chain_of_property_references_generates() {
    let schemas = chain(|_, next| json!({"type": "object", "properties": {"next": {"$ref": next}}}));
    let files = generate("properties.json", openapi(schemas)).expect("generates");
    assert!(files.iter().any(|f| f.contents.contains("pub struct S9999")));
}

#[test]
fn a_long_chain_of_plain_references_generates() {
    let schemas = chain(|_, next| json!({"$ref": next}));
    let files = generate("aliases.json", openapi(schemas)).expect("generates");
    assert!(files.iter().any(|f| f.contents.contains("pub type S9999 = S10000;")));
}

#[test]
fn a_long_chain_of_allof_inclusions_is_refused_at_a_pointer() {
    let schemas = chain(
        |i, next| json!({"allOf": [{"$ref": next}, {"type": "object", "properties": {format!("p{i}"): {"type": "string"}}}]}),
    );
    let e = refused("allof.json", openapi(schemas));
    assert!(e.pointer.as_str().starts_with("#/components/schemas/S"), "{e}");
    assert!(e.pointer.as_str().ends_with("/allOf/0"), "{e}");
    assert!(e.message.contains("levels deep"), "{e}");
}

#[test]
fn allof_inclusions_that_come_back_are_refused_naming_the_cycle() {
    let mut schemas = Map::new();
    for (name, other) in [("S0", "S1"), ("S1", "S0")] {
        schemas.insert(
            name.to_owned(),
            json!({"allOf": [
                {"$ref": format!("#/components/schemas/{other}")},
                {"type": "object", "properties": {name: {"type": "string"}}}
            ]}),
        );
    }
    let e = refused("allof-cycle.json", openapi(schemas));
    assert!(e.pointer.as_str().ends_with("/allOf/0/$ref"), "{e}");
    assert!(e.message.contains("S1 -> S0") || e.message.contains("S0 -> S1"), "{e}");
}

#[test]
fn allof_property_wrappers_in_a_cycle_are_boxed_fields() {
    let schemas = chain(|i, next| {
        let back = format!("#/components/schemas/S{}", i.saturating_sub(1));
        json!({"type": "object", "properties": {
            "next": {"allOf": [{"$ref": next}, {"description": "Forward."}]},
            "back": {"allOf": [{"$ref": back}, {"description": "Back."}]}
        }})
    });
    let files = generate("wrappers.json", openapi(schemas)).expect("generates");
    let types = files
        .iter()
        .find(|f| f.path == "src/generated/types.rs")
        .expect("types.rs");
    assert!(types.contents.contains("pub back: Option<Box<S0>>"), "a cycle is boxed");
}

#[test]
fn a_long_swagger2_chain_of_allof_wrapped_properties_generates() {
    let definitions: Map<String, Value> = (0..N)
        .map(|i| {
            let next = format!("#/definitions/D{}", (i + 1) % N);
            (
                format!("D{i}"),
                json!({"type": "object", "properties": {"next": {"allOf": [{"$ref": next}], "x-nullable": true}}}),
            )
        })
        .collect();
    let text = json!({
        "swagger": "2.0",
        "info": {"title": "Deep", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {
            "description": "ok", "schema": {"$ref": "#/definitions/D0"}
        }}}}},
        "definitions": definitions
    })
    .to_string();
    let files = generate("swagger.json", text).expect("generates");
    let types = files
        .iter()
        .find(|f| f.path == "src/generated/types.rs")
        .expect("types.rs");
    assert!(
        types.contents.contains("pub next: Option<Box<D0>>"),
        "the ring is boxed"
    );
}
