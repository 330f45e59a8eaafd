//! Swagger 2.0 schemas to OpenAPI 3.0: `x-nullable`, `file`, JSON Schema draft 4 type lists
//! and tuples, integer bounds written as floats, and the schemas of non-body parameters.

use super::Ctx;
use crate::error::Located;
use crate::pointer::Pointer;
use serde_json::{json, Map, Value};

/// The schema of a non-body parameter or header: the schema keywords that sit on it directly.
pub(super) fn simple_schema(ctx: &Ctx<'_>, obj: &Map<String, Value>, ptr: &Pointer) -> Result<Value, Located> {
    const KEYS: [&str; 16] = [
        "type",
        "format",
        "items",
        "default",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "enum",
        "multipleOf",
    ];
    let mut s = Map::new();
    for key in KEYS {
        if let Some(v) = obj.get(key) {
            s.insert(key.into(), v.clone());
        }
    }
    if let Some(n) = obj.get("x-nullable") {
        s.insert("x-nullable".into(), n.clone());
    }
    if s.get("type").and_then(Value::as_str) == Some("file") {
        s.insert("type".into(), json!("string"));
        s.insert("format".into(), json!("binary"));
    }
    schema(ctx, &Value::Object(s), ptr)
}

/// A schema reference as written; [`rewrite_refs`] points it at the 3.0 components at the end.
fn rewrite_ref(r: &str, ptr: &Pointer) -> Result<String, Located> {
    if r.starts_with("#/definitions/") {
        Ok(r.to_owned())
    } else {
        Err(Located::new(
            ptr,
            format!("expected a reference to #/definitions/..., found {r}"),
        ))
    }
}

/// Converts a 2.0 schema object to 3.0.
pub(crate) fn schema(ctx: &Ctx<'_>, s: &Value, ptr: &Pointer) -> Result<Value, Located> {
    let Some(obj) = s.as_object() else {
        return match s {
            Value::Bool(_) => Ok(s.clone()),
            _ => Err(Located::new(ptr, "expected a schema object")),
        };
    };
    let nullable = obj.get("x-nullable").and_then(Value::as_bool) == Some(true)
        || obj.get("nullable").and_then(Value::as_bool) == Some(true);
    if let Some(r) = obj.get("$ref") {
        return reference(obj, r, nullable, ptr);
    }
    let mut out = Map::new();
    let (single_type, null_type) = crate::normalize::one_type(obj.get("type"));
    if single_type.is_none() && obj.get("type").and_then(Value::as_array).is_some_and(|t| t.len() > 1) {
        ctx.warn(
            &ptr.join("type"),
            "several types: any JSON value (`serde_json::Value`)".to_owned(),
        );
    }
    let nullable = nullable || null_type;
    let integer = single_type.as_deref() == Some("integer");
    for (key, value) in obj {
        let kptr = ptr.join(key);
        let v = match key.as_str() {
            "x-nullable" => continue,
            "type" if value.as_str() == Some("file") => {
                out.insert("format".into(), json!("binary"));
                json!("string")
            }
            "type" => match &single_type {
                Some(t) => json!(t),
                None => continue,
            },
            // An integer bound written as a float (`minimum: 0.0`) is still an integer bound.
            "minimum" | "maximum" if integer => match value.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => json!(f as i64),
                _ => value.clone(),
            },
            "properties" => {
                let props = value
                    .as_object()
                    .ok_or_else(|| Located::new(kptr.clone(), "expected an object"))?;
                let mut m = Map::new();
                for (name, p) in props {
                    m.insert(name.clone(), schema(ctx, p, &kptr.join(name))?);
                }
                Value::Object(m)
            }
            "items" | "additionalProperties" | "not" => match value {
                Value::Bool(_) => value.clone(),
                // A tuple (`items: [A, B]`): its one schema, the schema every position shares, or
                // else any item.
                Value::Array(positions) if key == "items" => tuple_items(ctx, positions, &kptr)?,
                _ => schema(ctx, value, &kptr)?,
            },
            "allOf" | "anyOf" | "oneOf" => {
                let list = value
                    .as_array()
                    .ok_or_else(|| Located::new(kptr.clone(), "expected an array"))?;
                Value::Array(schemas(ctx, list, &kptr)?)
            }
            "discriminator" => match value {
                Value::String(name) => json!({ "propertyName": name }),
                other => other.clone(),
            },
            "format" if obj.get("type").and_then(Value::as_str) == Some("file") => continue,
            // Meaningless in a 3.0 schema; parameters have turned theirs into `style`.
            "collectionFormat" => continue,
            _ => value.clone(),
        };
        out.insert(key.clone(), v);
    }
    if nullable {
        out.insert("nullable".into(), json!(true));
    }
    Ok(Value::Object(out))
}

/// Each schema of a list, converted.
fn schemas(ctx: &Ctx<'_>, list: &[Value], ptr: &Pointer) -> Result<Vec<Value>, Located> {
    list.iter()
        .enumerate()
        .map(|(i, x)| schema(ctx, x, &ptr.join(i)))
        .collect()
}

/// A schema that is a `$ref`: the reference, inside a one-element `allOf` when it has siblings
/// 3.0 would otherwise ignore (a description, `nullable`, ...).
fn reference(obj: &Map<String, Value>, r: &Value, nullable: bool, ptr: &Pointer) -> Result<Value, Located> {
    let r = r
        .as_str()
        .ok_or_else(|| Located::new(ptr.join("$ref"), "expected a string"))?;
    let reference = json!({ "$ref": rewrite_ref(r, &ptr.join("$ref"))? });
    let mut wrapper = Map::new();
    for key in ["description", "readOnly", "title", "default"] {
        if let Some(v) = obj.get(key) {
            wrapper.insert(key.into(), v.clone());
        }
    }
    if nullable {
        wrapper.insert("nullable".into(), json!(true));
    }
    if wrapper.is_empty() {
        return Ok(reference);
    }
    wrapper.insert("allOf".into(), json!([reference]));
    Ok(Value::Object(wrapper))
}

/// The `items` of a tuple (`items: [A, B]`): the schema every position shares, or else any item.
fn tuple_items(ctx: &Ctx<'_>, positions: &[Value], ptr: &Pointer) -> Result<Value, Located> {
    let converted = schemas(ctx, positions, ptr)?;
    Ok(match converted.split_first() {
        Some((first, rest)) if rest.iter().all(|x| x == first) => first.clone(),
        _ => {
            ctx.warn(
                ptr,
                "a tuple whose positions differ: each item is any JSON value (`serde_json::Value`)".to_owned(),
            );
            json!({})
        }
    })
}
