//! Stage 1: bytes to a typed OpenAPI 3.0 document.
//!
//! Reads JSON or YAML, detects the version, upgrades Swagger 2.0 (see [`crate::upgrade`]) or
//! down-converts OpenAPI 3.1 (see [`crate::downgrade`]), and
//! deserializes into [`openapiv3::OpenAPI`], reporting failures with a JSON pointer.

use crate::error::{escape_token, join, Located, Origins};
use crate::{downgrade, upgrade};
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
    /// OpenAPI 3.1.x, down-converted to 3.0 before use.
    OpenApi31,
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
        Some(Value::String(s)) if s.starts_with("3.1") => Ok(SpecVersion::OpenApi31),
        Some(v) => Err(Located::new(
            "#/openapi",
            format!("expected a 3.0.x or 3.1.x version string, found {v}"),
        )),
        None => Err(Located::new(
            "#",
            "expected a `swagger: \"2.0\"`, `openapi: 3.0.x` or `openapi: 3.1.x` field",
        )),
    }
}

/// A loaded document: typed, as JSON, and where the components the generator made came from.
pub(crate) struct Loaded {
    pub api: openapiv3::OpenAPI,
    pub doc: Value,
    /// Moves an error found in a node a stage made (an upgraded 2.0 node, a hoisted copy) to
    /// the node of the user's document it came from.
    pub origins: Origins,
}

/// Loads a document: parse, detect, upgrade, then deserialize.
pub(crate) fn load(bytes: &[u8]) -> Result<Loaded, Located> {
    let raw = parse(bytes)?;
    let mut upgraded = Origins::default();
    let mut doc = match detect(&raw)? {
        SpecVersion::Swagger2 => {
            let (doc, origins) = upgrade::swagger2_to_openapi3(&raw)?;
            upgraded = origins;
            doc
        }
        SpecVersion::OpenApi30 => raw,
        SpecVersion::OpenApi31 => {
            let mut raw = raw;
            downgrade::openapi31_to_30(&mut raw);
            raw
        }
    };
    crate::hoist::inline_path_items(&mut doc);
    let hoisted = crate::hoist::hoist_schema_refs(&mut doc);
    let origins = hoisted.followed_by(upgraded);
    // Callbacks describe requests the API sends, not ones the client makes; openapiv3 cannot
    // read them as `$ref`s, so they are set aside while the document is read and then put back.
    let callbacks = take_callbacks(&mut doc);
    let api = deserialize(&doc);
    restore_callbacks(&mut doc, callbacks);
    let api = api.map_err(|e| origins.locate(e))?;
    Ok(Loaded { api, doc, origins })
}

/// Where a `callbacks` object was: `None` for `components`, else the path and method.
type CallbackPlace = Option<(String, String)>;

/// Removes every operation's `callbacks` and `components/callbacks`, returning them by place.
fn take_callbacks(doc: &mut Value) -> Vec<(CallbackPlace, Value)> {
    let mut taken = Vec::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for (method, op) in item.iter_mut() {
                if let Some(callbacks) = op.as_object_mut().and_then(|op| op.remove("callbacks")) {
                    taken.push((Some((path.clone(), method.clone())), callbacks));
                }
            }
        }
    }
    if let Some(callbacks) = doc
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("callbacks"))
    {
        taken.push((None, callbacks));
    }
    taken
}

/// Puts back what [`take_callbacks`] removed.
fn restore_callbacks(doc: &mut Value, taken: Vec<(CallbackPlace, Value)>) {
    for (place, callbacks) in taken {
        let owner = match &place {
            Some((path, method)) => doc
                .get_mut("paths")
                .and_then(|p| p.get_mut(path))
                .and_then(|item| item.get_mut(method)),
            None => doc.get_mut("components"),
        };
        if let Some(owner) = owner.and_then(Value::as_object_mut) {
            owner.insert("callbacks".to_owned(), callbacks);
        }
    }
}

/// Deserializes the 3.0 document, turning serde's path into a JSON pointer.
///
/// openapiv3 uses untagged enums (`ReferenceOr`), behind which serde loses the path; when the
/// whole document fails, its parts are checked one by one to find the deepest failing node.
pub(crate) fn deserialize(doc: &Value) -> Result<openapiv3::OpenAPI, Located> {
    // Tracking the path costs time on every node; only a failing document needs it.
    if let Ok(api) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(doc) {
        return Ok(api);
    }
    check::<openapiv3::OpenAPI>(doc, "#").map_err(|whole| refine(doc).unwrap_or(whole))
}

/// The first failing part of a document that does not deserialize as a whole.
fn refine(doc: &Value) -> Option<Located> {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let ptr = join("#/paths", path);
            if let Some(ops) = item.as_object() {
                for (method, op) in ops {
                    let op_ptr = join(&ptr, method);
                    if method == "parameters" {
                        continue;
                    }
                    for (i, p) in op
                        .get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .enumerate()
                    {
                        if let Err(e) = check::<ReferenceOr<Parameter>>(p, &format!("{op_ptr}/parameters/{i}")) {
                            return Some(e);
                        }
                    }
                    if let Some(rb) = op.get("requestBody") {
                        if let Err(e) = check::<ReferenceOr<RequestBody>>(rb, &join(&op_ptr, "requestBody")) {
                            return Some(e);
                        }
                    }
                    if let Some(rs) = op.get("responses").and_then(Value::as_object) {
                        for (code, r) in rs {
                            if let Err(e) = check::<ReferenceOr<Response>>(r, &join(&join(&op_ptr, "responses"), code))
                            {
                                return Some(e);
                            }
                        }
                    }
                    if let Err(e) = check::<Operation>(op, &op_ptr) {
                        return Some(e);
                    }
                }
            }
            if let Err(e) = check::<PathItem>(item, &ptr) {
                return Some(e);
            }
        }
    }
    if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, s) in schemas {
            if let Err(e) = check::<ReferenceOr<Schema>>(s, &join("#/components/schemas", name)) {
                return Some(e);
            }
        }
    }
    None
}

/// Deserializes one node as `T`, locating failures below `base`.
fn check<T: serde::de::DeserializeOwned>(node: &Value, base: &str) -> Result<T, Located> {
    serde_path_to_error::deserialize::<_, T>(node).map_err(|e| {
        let mut pointer = base.to_owned();
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
