//! Stage 3: the normalized OpenAPI 3.0 document, as JSON, to [`openapiv3::OpenAPI`], with
//! failures located by JSON pointer.

use crate::error::Located;
use crate::pointer::Pointer;
use serde_json::Value;

/// Reads the 3.0 document. Callbacks describe requests the API sends, not ones the client
/// makes, and openapiv3 cannot read them as `$ref`s: they are set aside while the document is
/// read and then put back.
pub(crate) fn openapi(doc: &mut Value) -> Result<openapiv3::OpenAPI, Located> {
    let callbacks = take_callbacks(doc);
    let api = deserialize(doc);
    restore_callbacks(doc, callbacks);
    api
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
fn deserialize(doc: &Value) -> Result<openapiv3::OpenAPI, Located> {
    // Tracking the path costs time on every node; only a failing document needs it.
    if let Ok(api) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(doc) {
        return Ok(api);
    }
    check::<openapiv3::OpenAPI>(doc, &Pointer::root()).map_err(|whole| refine(doc).unwrap_or(whole))
}

/// The first failing part of a document that does not deserialize as a whole.
fn refine(doc: &Value) -> Option<Located> {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let ptr = Pointer::at(&["paths"]).join(path);
            if let Some(ops) = item.as_object() {
                for (method, op) in ops {
                    let op_ptr = ptr.join(method);
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
                        if let Err(e) = check::<ReferenceOr<Parameter>>(p, &op_ptr.join("parameters").join(i)) {
                            return Some(e);
                        }
                    }
                    if let Some(rb) = op.get("requestBody") {
                        if let Err(e) = check::<ReferenceOr<RequestBody>>(rb, &op_ptr.join("requestBody")) {
                            return Some(e);
                        }
                    }
                    if let Some(rs) = op.get("responses").and_then(Value::as_object) {
                        for (code, r) in rs {
                            if let Err(e) = check::<ReferenceOr<Response>>(r, &op_ptr.join("responses").join(code)) {
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
            if let Err(e) = check::<ReferenceOr<Schema>>(s, &Pointer::at(&["components", "schemas"]).join(name)) {
                return Some(e);
            }
        }
    }
    None
}

/// Deserializes one node as `T`, locating failures below `base`.
fn check<T: serde::de::DeserializeOwned>(node: &Value, base: &Pointer) -> Result<T, Located> {
    serde_path_to_error::deserialize::<_, T>(node).map_err(|e| {
        let mut pointer = base.clone();
        for segment in e.path() {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => pointer = pointer.join(index),
                Segment::Map { key } => pointer = pointer.join(key),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        Located::new(pointer, format!("not a valid OpenAPI 3.0 node: {}", e.inner()))
    })
}
