//! Stage 2 for OpenAPI 3.1: down-converts the document to OpenAPI 3.0, on the JSON tree.
//!
//! What 3.1 can say and 3.0 cannot is rewritten where 3.0 has an equivalent:
//!
//! - `type: [T, "null"]` becomes `type: T` with `nullable: true`; several non-null types leave
//!   the type open (the field becomes `serde_json::Value`);
//! - `anyOf`/`oneOf` of one schema and `{type: "null"}` becomes that schema, nullable;
//! - `const: V` becomes `enum: [V]` (with the `type` V's JSON type implies, where none is
//!   given), `examples: [..]` becomes `example`;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` become `minimum`/`maximum` with the 3.0 flag;
//! - `$ref` with sibling keywords becomes `allOf: [{$ref}]` beside them, so they are kept;
//! - `prefixItems` becomes `items` when every position has the same schema, any item otherwise;
//! - `contentEncoding: base64` becomes `format: byte`, `contentMediaType` of binary data
//!   `format: binary`; boolean schemas become `{}` and `{not: {}}`;
//! - `webhooks` become `x-webhooks` (the 3.0 extension GitHub's document uses), where the
//!   model reads both (`model/webhooks.rs`); an `x-webhooks` entry of the same name as a
//!   `webhooks` one gives way to it;
//! - `jsonSchemaDialect`, `info.summary`, `license.identifier`, `mutualTLS` security
//!   schemes and the keywords 3.0 lacks (`$schema`, `$id`, `$anchor`, `$comment`,
//!   `unevaluatedProperties`, `if`/`then`/`else`, `dependentSchemas`, `patternProperties`,
//!   `propertyNames`, `contains`) are dropped: they do not change the client's calls.
//!
//! A missing `paths` object, and an operation's missing `responses`, become empty ones.
//!
//! The choices that lose what the document says (several types, tuples whose positions differ)
//! are returned as warnings at the node of the 3.1 document: the walk keeps the pointer of each
//! schema it rewrites, and nothing it rewrites moves.

use crate::error::{Origins, Warning};
use crate::pointer::Pointer;
use serde_json::{Map, Value};

/// Keywords of JSON Schema 2020-12 that OpenAPI 3.0 lacks and the client does not need.
const DROPPED: &[&str] = &[
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$dynamicRef",
    "$comment",
    "$vocabulary",
    "unevaluatedProperties",
    "unevaluatedItems",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "patternProperties",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "contentSchema",
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Rewrites a 3.1 document as 3.0, in place; returns the lossy choices it made, and where the
/// webhooks it moved came from.
pub(crate) fn openapi31_to_30(doc: &mut Value) -> (Vec<Warning>, Origins) {
    let mut warnings = Vec::new();
    let Some(root) = doc.as_object_mut() else {
        return (warnings, Origins::default());
    };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    root.remove("jsonSchemaDialect");
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        info.remove("summary");
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            license.remove("identifier");
        }
    }
    match root.get_mut("paths").and_then(Value::as_object_mut) {
        Some(paths) => {
            // `responses` became optional in 3.1; none declared is an empty object in 3.0.
            for item in paths.values_mut().filter_map(Value::as_object_mut) {
                for method in METHODS {
                    if let Some(op) = item.get_mut(*method).and_then(Value::as_object_mut) {
                        op.entry("responses").or_insert_with(|| Value::Object(Map::new()));
                    }
                }
            }
        }
        None => {
            root.insert("paths".into(), Value::Object(Map::new()));
        }
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        if let Some(schemes) = components.get_mut("securitySchemes").and_then(Value::as_object_mut) {
            let at = Pointer::at(&["components", "securitySchemes"]);
            schemes.retain(|name, s| {
                let tls = s.get("type").and_then(Value::as_str) == Some("mutualTLS");
                if tls {
                    warnings.push(Warning {
                        file: None,
                        pointer: at.join(name),
                        message: "a mutualTLS scheme: left out, as the client presents no certificate; the requirements that name it cannot be met".to_owned(),
                    });
                }
                !tls
            });
        }
        if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
            let at = Pointer::at(&["components", "schemas"]);
            for (name, s) in schemas.iter_mut() {
                schema(s, &at.join(name), &mut warnings);
            }
        }
    }
    walk(doc, &Pointer::root(), &mut warnings);
    (warnings, keep_webhooks(doc))
}

/// Moves `webhooks` to `x-webhooks` (after the walk, so its warnings point at `webhooks`),
/// recording where each entry came from.
fn keep_webhooks(doc: &mut Value) -> Origins {
    let mut origins = Origins::default();
    let Some(root) = doc.as_object_mut() else {
        return origins;
    };
    let Some(Value::Object(hooks)) = root.remove("webhooks") else {
        return origins;
    };
    let mut kept = Map::new();
    for (name, item) in hooks {
        origins.add(
            Pointer::at(&["x-webhooks"]).join(&name),
            Pointer::at(&["webhooks"]).join(&name),
        );
        kept.insert(name, item);
    }
    if let Some(Value::Object(extension)) = root.remove("x-webhooks") {
        for (name, item) in extension {
            kept.entry(name).or_insert(item);
        }
    }
    root.insert("x-webhooks".into(), Value::Object(kept));
    origins
}

/// Finds the schemas outside `components/schemas`: every `schema` key (parameters, headers,
/// media types) below this value.
fn walk(value: &mut Value, at: &Pointer, warnings: &mut Vec<Warning>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match key.as_str() {
                    "schema" => schema(v, &at.join(key), warnings),
                    // Example values are data, and `components/schemas` was done already.
                    "example" | "examples" | "schemas" => {}
                    _ => walk(v, &at.join(key), warnings),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                walk(v, &at.join(i), warnings);
            }
        }
        _ => {}
    }
}

/// Rewrites one schema (at `at`) and every schema inside it.
fn schema(value: &mut Value, at: &Pointer, warnings: &mut Vec<Warning>) {
    match value {
        Value::Bool(true) => *value = Value::Object(Map::new()),
        Value::Bool(false) => *value = serde_json::json!({ "not": {} }),
        Value::Object(map) => object_schema(map, at, warnings),
        _ => {}
    }
}

fn object_schema(map: &mut Map<String, Value>, at: &Pointer, warnings: &mut Vec<Warning>) {
    for key in DROPPED {
        map.remove(*key);
    }
    // `$ref` with siblings: 3.0 would ignore the siblings, so the reference moves into `allOf`.
    if map.contains_key("$ref") && map.len() > 1 {
        if let Some(reference) = map.remove("$ref") {
            let mut target = Map::new();
            target.insert("$ref".into(), reference);
            map.insert("allOf".into(), Value::Array(vec![Value::Object(target)]));
        }
    }
    if type_list(map) {
        warnings.push(Warning {
            file: None,
            pointer: at.join("type"),
            message: "several types: any JSON value (`serde_json::Value`)".to_owned(),
        });
    }
    if let Some(constant) = map.remove("const") {
        // A `const` alone says its type by its value; 3.0's `enum` needs the `type` beside it
        // to be more than any value (and a webhook payload's mark, `model/webhooks.rs`).
        let implied = match &constant {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        };
        if let (Some(implied), false) = (implied, map.contains_key("type")) {
            map.insert("type".into(), Value::String(implied.into()));
        }
        map.entry("enum").or_insert_with(|| Value::Array(vec![constant]));
    }
    if let Some(examples) = map.remove("examples") {
        if let Some(first) = examples.as_array().and_then(|e| e.first()) {
            map.entry("example").or_insert_with(|| first.clone());
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(n) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    content_encoding(map);
    if let Some(Value::Array(prefix)) = map.remove("prefixItems") {
        if !map.contains_key("items") {
            let items = match prefix.first() {
                Some(first) if prefix.iter().all(|p| p == first) => first.clone(),
                _ => {
                    warnings.push(Warning {
                        file: None,
                        pointer: at.join("prefixItems"),
                        message: "a tuple whose positions differ: each item is any JSON value (`serde_json::Value`)"
                            .to_owned(),
                    });
                    Value::Object(Map::new())
                }
            };
            map.insert("items".into(), items);
        }
    }
    for key in ["anyOf", "oneOf"] {
        fold_null_alternative(map, key);
    }
    nested_schemas(map, at, warnings);
}

/// `anyOf: [X, {type: "null"}]` (or `oneOf`) says X or null: X, nullable.
fn fold_null_alternative(map: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(parts)) = map.get(key) else {
        return;
    };
    let is_null = |v: &Value| {
        v.get("type").and_then(Value::as_str) == Some("null")
            || v.get("type")
                .and_then(Value::as_array)
                .is_some_and(|t| t.len() == 1 && t[0].as_str() == Some("null"))
    };
    if !parts.iter().any(is_null) {
        return;
    }
    let rest: Vec<Value> = parts.iter().filter(|p| !is_null(p)).cloned().collect();
    map.remove(key);
    map.insert("nullable".into(), Value::Bool(true));
    match rest.len() {
        0 => {}
        1 => {
            map.insert("allOf".into(), Value::Array(rest));
        }
        _ => {
            map.insert(key.into(), Value::Array(rest));
        }
    }
}

/// `type: [T, "null"]` is `type: T, nullable: true`; several types are any value; `type: "null"`
/// is `nullable: true`. True when several non-null types were given up for any value.
fn type_list(map: &mut Map<String, Value>) -> bool {
    let declared = map.get("type");
    if !matches!(declared, Some(Value::Array(_))) && declared.and_then(Value::as_str) != Some("null") {
        return false;
    }
    let several = declared
        .and_then(Value::as_array)
        .is_some_and(|types| types.iter().filter(|t| t.as_str() != Some("null")).count() > 1);
    let (one, nullable) = super::one_type(declared);
    match one {
        Some(one) => map.insert("type".into(), Value::String(one)),
        None => map.remove("type"),
    };
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
    several
}

/// `contentEncoding: base64` is `format: byte`; a binary `contentMediaType` on a string is
/// `format: binary`.
fn content_encoding(map: &mut Map<String, Value>) {
    match map.get("contentEncoding").and_then(Value::as_str) {
        Some("base64" | "base64url") => {
            map.entry("format").or_insert_with(|| Value::String("byte".into()));
        }
        _ => {
            let binary = map
                .get("contentMediaType")
                .and_then(Value::as_str)
                .is_some_and(|m| !m.starts_with("text/") && !m.contains("json") && !m.contains("xml"));
            if binary && map.get("type").and_then(Value::as_str) == Some("string") {
                map.entry("format").or_insert_with(|| Value::String("binary".into()));
            }
        }
    }
    map.remove("contentEncoding");
    map.remove("contentMediaType");
}

/// Converts the schemas inside a schema at `at`.
fn nested_schemas(map: &mut Map<String, Value>, at: &Pointer, warnings: &mut Vec<Warning>) {
    for key in ["items", "not"] {
        if let Some(v) = map.get_mut(key) {
            schema(v, &at.join(key), warnings);
        }
    }
    if let Some(v) = map.get_mut("additionalProperties") {
        if v.is_object() {
            schema(v, &at.join("additionalProperties"), warnings);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(parts)) = map.get_mut(key) {
            for (i, part) in parts.iter_mut().enumerate() {
                schema(part, &at.join(key).join(i), warnings);
            }
        }
    }
    for key in ["properties", "$defs", "definitions"] {
        if let Some(Value::Object(props)) = map.get_mut(key) {
            for (name, s) in props.iter_mut() {
                schema(s, &at.join(key).join(name), warnings);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn down(schema_json: Value) -> Value {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
            "components": {"schemas": {"S": schema_json}}
        });
        openapi31_to_30(&mut doc);
        assert_eq!(doc["openapi"], "3.0.3");
        assert!(doc["info"].get("summary").is_none());
        assert_eq!(doc["paths"], json!({}));
        doc["components"]["schemas"]["S"].take()
    }

    #[test]
    fn type_arrays_and_null() {
        assert_eq!(
            down(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(down(json!({"type": ["string", "integer"]})), json!({}));
        assert_eq!(down(json!({"type": "null"})), json!({"nullable": true}));
        assert_eq!(
            down(json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]})),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn keywords_with_a_30_equivalent() {
        assert_eq!(
            down(json!({"type": "string", "const": "a", "examples": ["x", "y"]})),
            json!({"type": "string", "enum": ["a"], "example": "x"})
        );
        assert_eq!(
            down(json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10})),
            json!({"type": "integer", "exclusiveMinimum": true, "exclusiveMaximum": true, "minimum": 0, "maximum": 10})
        );
        assert_eq!(
            down(json!({"$ref": "#/components/schemas/T", "description": "d"})),
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(
            down(json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "string"}]})),
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            down(json!({"type": "string", "contentEncoding": "base64"})),
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            down(
                json!({"type": "object", "properties": {"a": true, "b": {"type": ["integer", "null"], "$comment": "c"}}})
            ),
            json!({"type": "object", "properties": {"a": {}, "b": {"type": "integer", "nullable": true}}})
        );
    }

    #[test]
    fn schemas_in_parameters_and_media_types() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"post": {}, "get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": ["integer", "null"]}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"const": 1}}}}}
            }}}
        });
        openapi31_to_30(&mut doc);
        assert_eq!(doc["paths"]["/a"]["post"], json!({"responses": {}}));
        let get = &doc["paths"]["/a"]["get"];
        assert_eq!(
            get["parameters"][0]["schema"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(
            get["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "integer", "enum": [1]})
        );
    }

    #[test]
    fn webhooks_are_kept_as_x_webhooks_with_their_origins() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "webhooks": {"newPet": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"type": ["string", "null"]}}}}}}},
            "x-webhooks": {"newPet": {"post": {}}, "oldPet": {"post": {}}}
        });
        let (_, origins) = openapi31_to_30(&mut doc);
        assert!(doc.get("webhooks").is_none());
        let kept = &doc["x-webhooks"];
        assert_eq!(
            kept["newPet"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "string", "nullable": true}),
            "the webhook's schemas are down-converted, and it wins over the extension's"
        );
        assert_eq!(kept["oldPet"], json!({"post": {}}));
        let moved = origins.locate(crate::error::Located::new(
            Pointer::at(&["x-webhooks", "newPet", "post"]),
            "x",
        ));
        assert_eq!(moved.pointer, Pointer::at(&["webhooks", "newPet", "post"]));
    }
}
