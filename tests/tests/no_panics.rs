//! No input makes the generator panic: mutated documents (keys dropped, values of the wrong
//! type, references to anywhere, deep nesting) end in files or in an error naming the file and
//! a JSON pointer. Bounded so it runs in CI: `PROPTEST_CASES` raises the count for a longer run.

use proptest::prelude::*;
use serde_json::{json, Value};

/// The documents mutations start from: the WP Engine description and a few shapes that reach
/// every stage (Swagger 2.0, 3.0 with composition and parameter styles, 3.1).
fn seeds() -> Vec<Value> {
    let wpengine: Value = serde_yaml::from_str(include_str!("../../spec/wpengine-v1.10.0.yaml")).expect("spec parses");
    let features: Value = serde_yaml::from_str(include_str!("../fixtures/features.yaml")).expect("fixture parses");
    let swagger = json!({
        "swagger": "2.0", "info": {"title": "t", "version": "1"},
        "paths": {"/a/{id}": {"get": {
            "parameters": [{"name": "id", "in": "path", "required": true, "type": "integer"},
                           {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "csv"}],
            "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/A"}}, "default": {"description": "e"}}}}},
        "definitions": {"A": {"type": "object", "required": ["b"], "properties": {
            "b": {"type": "string", "enum": ["x", "y"]}, "c": {"$ref": "#/definitions/A"},
            "d": {"type": "object", "additionalProperties": {"type": "integer"}}}}}
    });
    let openapi31 = json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/p/{ids}": {"post": {
            "parameters": [{"name": "ids", "in": "path", "required": true, "style": "label", "schema": {"type": "array", "items": {"type": "integer"}}},
                           {"name": "f", "in": "query", "style": "deepObject", "schema": {"type": "object", "properties": {"a": {"type": ["string", "null"]}}}}],
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/U"}}}},
            "responses": {"201": {"description": "ok", "content": {"application/json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/U"}, {"type": "null"}]}}}}}}}},
        "components": {"schemas": {
            "U": {"oneOf": [{"$ref": "#/components/schemas/V"}, {"type": "string", "const": "k"}], "discriminator": {"propertyName": "kind"}},
            "V": {"allOf": [{"$ref": "#/components/schemas/U"}, {"type": "object", "properties": {"kind": {"type": "string"}, "n": {"type": "integer", "exclusiveMinimum": 0}}}]}}}
    });
    vec![wpengine, features, swagger, openapi31]
}

/// One change to a document.
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the chosen key or item.
    Remove,
    /// Replace the chosen node with a scalar, an empty container or a reference.
    Replace(Replacement),
    /// Copy the chosen node over another chosen node.
    Copy(usize),
}

#[derive(Debug, Clone)]
enum Replacement {
    Null,
    Bool(bool),
    Number(i64),
    Text(String),
    EmptyObject,
    EmptyArray,
    Ref(String),
}

fn replacement() -> impl Strategy<Value = Replacement> {
    prop_oneof![
        Just(Replacement::Null),
        any::<bool>().prop_map(Replacement::Bool),
        any::<i64>().prop_map(Replacement::Number),
        prop_oneof![
            Just("".to_owned()),
            Just("string".to_owned()),
            Just("object".to_owned()),
            Just("{id}".to_owned()),
            Just("3.1.0".to_owned()),
            "\\PC{0,12}",
        ]
        .prop_map(Replacement::Text),
        Just(Replacement::EmptyObject),
        Just(Replacement::EmptyArray),
        prop_oneof![
            Just("#".to_owned()),
            Just("#/components/schemas/U".to_owned()),
            Just("#/components/schemas/Missing".to_owned()),
            Just("#/paths".to_owned()),
            Just("#/definitions/A/properties/c".to_owned()),
            Just("other.yaml#/x".to_owned()),
            "#/[a-z~0-9/%]{0,16}",
        ]
        .prop_map(Replacement::Ref),
    ]
}

fn mutation() -> impl Strategy<Value = (usize, Mutation)> {
    (
        any::<usize>(),
        prop_oneof![
            2 => Just(Mutation::Remove),
            4 => replacement().prop_map(Mutation::Replace),
            1 => any::<usize>().prop_map(Mutation::Copy),
        ],
    )
}

/// The pointers of every node below the root, in document order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{at}/{}", escape(k));
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        _ => {}
    }
}

fn apply(doc: &mut Value, (choice, mutation): &(usize, Mutation)) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    if all.is_empty() {
        return;
    }
    let target = all[choice % all.len()].clone();
    match mutation {
        Mutation::Remove => {
            let (parent, last) = target.rsplit_once('/').unwrap_or(("", ""));
            let key = last.replace("~1", "/").replace("~0", "~");
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.shift_remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
        }
        Mutation::Replace(r) => {
            let new = match r {
                Replacement::Null => Value::Null,
                Replacement::Bool(b) => json!(b),
                Replacement::Number(n) => json!(n),
                Replacement::Text(t) => json!(t),
                Replacement::EmptyObject => json!({}),
                Replacement::EmptyArray => json!([]),
                Replacement::Ref(r) => json!({ "$ref": r }),
            };
            if let Some(slot) = doc.pointer_mut(&target) {
                *slot = new;
            }
        }
        Mutation::Copy(from) => {
            let source = all[from % all.len()].clone();
            if let Some(node) = doc.pointer(&source).cloned() {
                if let Some(slot) = doc.pointer_mut(&target) {
                    *slot = node;
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_documents_give_files_or_located_errors(
        seed in 0usize..4,
        mutations in proptest::collection::vec(mutation(), 1..6),
        as_yaml in any::<bool>(),
    ) {
        let mut doc = seeds().swap_remove(seed);
        for m in &mutations {
            apply(&mut doc, m);
        }
        let bytes = if as_yaml {
            serde_yaml::to_string(&doc).expect("yaml").into_bytes()
        } else {
            serde_json::to_vec(&doc).expect("json")
        };
        match openapi_crate_gen_core::generate_crate("mutated.yaml", &bytes, Some("mutated")) {
            Ok(files) => prop_assert!(files.iter().any(|f| f.path == "src/generated/builders.rs")),
            Err(e) => {
                prop_assert_eq!(e.file.as_str(), "mutated.yaml");
                prop_assert!(e.pointer.as_str().starts_with('#'), "pointer {:?} in {}", e.pointer, e);
                prop_assert!(!e.message.contains("panicked"), "{}", e);
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}

// Arbitrary text: never a panic, and an error always carries a pointer.
proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_is_refused_cleanly(text in "\\PC{0,64}") {
        if let Err(e) = openapi_crate_gen_core::generate("junk.json", text.as_bytes()) {
            prop_assert!(e.pointer.as_str().starts_with('#'), "{}", e);
        }
    }
}
