//! Stage 1: bytes to a JSON value, and which OpenAPI version it is.
//!
//! JSON is tried first, anything else is read as YAML; both parsers refuse nesting deeper than
//! 128 levels, and YAML alias expansion is bounded.

use crate::error::Located;
use crate::pointer::Pointer;
use serde_json::Value;

/// Parses the document text into a JSON value. JSON is tried first; anything else is read as YAML.
pub(crate) fn parse(bytes: &[u8]) -> Result<Value, Located> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Located::new(Pointer::root(), format!("the document is not UTF-8 text: {e}")))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).map_err(|e| {
            Located::new(
                Pointer::root(),
                format!("invalid JSON at line {}, column {}: {e}", e.line(), e.column()),
            )
        });
    }
    let value: Value = serde_yaml::from_str(trimmed).map_err(|e| {
        let place = e
            .location()
            .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
            .unwrap_or_default();
        Located::new(Pointer::root(), format!("invalid YAML{place}: {e}"))
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
    /// OpenAPI 3.1.x, down-converted to 3.0 before use.
    OpenApi31,
}

/// Detects the version from the `swagger` or `openapi` field.
pub(crate) fn detect(doc: &Value) -> Result<SpecVersion, Located> {
    let Some(obj) = doc.as_object() else {
        return Err(Located::new(Pointer::root(), "expected the document to be an object"));
    };
    if let Some(v) = obj.get("swagger") {
        return match v.as_str() {
            Some("2.0") => Ok(SpecVersion::Swagger2),
            _ => Err(Located::new(
                Pointer::at(&["swagger"]),
                format!("expected \"2.0\", found {v}"),
            )),
        };
    }
    match obj.get("openapi") {
        Some(Value::String(s)) if s.starts_with("3.0") => Ok(SpecVersion::OpenApi30),
        Some(Value::String(s)) if s.starts_with("3.1") => Ok(SpecVersion::OpenApi31),
        Some(v) => Err(Located::new(
            Pointer::at(&["openapi"]),
            format!("expected a 3.0.x or 3.1.x version string, found {v}"),
        )),
        None => Err(Located::new(
            Pointer::root(),
            "expected a `swagger: \"2.0\"`, `openapi: 3.0.x` or `openapi: 3.1.x` field",
        )),
    }
}
