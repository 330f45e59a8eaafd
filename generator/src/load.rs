//! Stage 1: bytes to a typed OpenAPI 3.0 document.
//!
//! Reads JSON or YAML, detects the version, upgrades Swagger 2.0 (see [`crate::upgrade`]) and
//! deserializes into [`openapiv3::OpenAPI`], reporting failures with a JSON pointer.

use crate::error::{escape_token, Located};
use crate::upgrade;
use serde_json::Value;

/// Parses the document text into a JSON value. JSON is tried first; anything else is read as YAML.
pub(crate) fn parse(bytes: &[u8]) -> Result<Value, Located> {
    let text =
        std::str::from_utf8(bytes).map_err(|e| Located::new("#", format!("the document is not UTF-8 text: {e}")))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).map_err(|e| {
            Located::new(
                "#",
                format!("invalid JSON at line {}, column {}: {e}", e.line(), e.column()),
            )
        });
    }
    let value: Value = serde_yaml::from_str(trimmed).map_err(|e| {
        let place = e
            .location()
            .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
            .unwrap_or_default();
        Located::new("#", format!("invalid YAML{place}: {e}"))
    })?;
    Ok(value)
}

/// The OpenAPI versions the generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    /// Swagger 2.0, upgraded to 3.0 before use.
    Swagger2,
    /// OpenAPI 3.0.x.
    OpenApi30,
}

/// Detects the version from the `swagger` or `openapi` field.
pub(crate) fn detect(doc: &Value) -> Result<SpecVersion, Located> {
    let Some(obj) = doc.as_object() else {
        return Err(Located::new("#", "expected the document to be an object"));
    };
    if let Some(v) = obj.get("swagger") {
        return match v.as_str() {
            Some("2.0") => Ok(SpecVersion::Swagger2),
            _ => Err(Located::new("#/swagger", format!("expected \"2.0\", found {v}"))),
        };
    }
    match obj.get("openapi") {
        Some(Value::String(s)) if s.starts_with("3.0") => Ok(SpecVersion::OpenApi30),
        Some(Value::String(s)) if s.starts_with("3.1") => Err(Located::new(
            "#/openapi",
            format!("OpenAPI {s} is not supported yet; expected 2.0 or 3.0.x"),
        )),
        Some(v) => Err(Located::new(
            "#/openapi",
            format!("expected a 3.0.x version string, found {v}"),
        )),
        None => Err(Located::new(
            "#",
            "expected a `swagger: \"2.0\"` or `openapi: 3.0.x` field",
        )),
    }
}

/// Loads a document: parse, detect, upgrade, then deserialize.
pub(crate) fn load(bytes: &[u8]) -> Result<(openapiv3::OpenAPI, Value), Located> {
    let raw = parse(bytes)?;
    let doc = match detect(&raw)? {
        SpecVersion::Swagger2 => upgrade::swagger2_to_openapi3(&raw)?,
        SpecVersion::OpenApi30 => raw,
    };
    let api = deserialize(&doc)?;
    Ok((api, doc))
}

/// Deserializes the 3.0 document, turning serde's path into a JSON pointer.
pub(crate) fn deserialize(doc: &Value) -> Result<openapiv3::OpenAPI, Located> {
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(doc).map_err(|e| {
        let mut pointer = String::from("#");
        for segment in e.path().iter() {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
                Segment::Map { key } => pointer.push_str(&format!("/{}", escape_token(key))),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        Located::new(pointer, format!("not a valid OpenAPI 3.0 node: {}", e.inner()))
    })
}
