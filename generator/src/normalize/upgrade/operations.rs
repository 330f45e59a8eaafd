//! Swagger 2.0 operations to OpenAPI 3.0: parameters (path-level ones merged in, array
//! styles from `collectionFormat`), `body` and `formData` parameters to a request body, and
//! responses with the operation's media types.

use super::schemas::schema;
use super::schemas::simple_schema;
use super::{string_list, Ctx};
use crate::error::Located;
use crate::pointer::{unescape_token, Pointer};
use serde_json::{json, Map, Value};
use std::borrow::Cow;

pub(super) fn operation(
    ctx: &Ctx<'_>,
    op: &Value,
    shared: &[Value],
    path_ptr: &Pointer,
    ptr: &Pointer,
) -> Result<Value, Located> {
    let op = op
        .as_object()
        .ok_or_else(|| Located::new(ptr, "expected an operation object"))?;
    let produces = string_list(op.get("produces"), &ptr.join("produces"))?.unwrap_or_else(|| ctx.produces.clone());
    let consumes = string_list(op.get("consumes"), &ptr.join("consumes"))?.unwrap_or_else(|| ctx.consumes.clone());
    let params = merged_parameters(ctx, op, shared, path_ptr, ptr)?;

    let mut out = Map::new();
    for key in [
        "tags",
        "summary",
        "description",
        "externalDocs",
        "operationId",
        "deprecated",
        "security",
    ] {
        if let Some(v) = op.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    for (k, v) in op {
        if k.starts_with("x-") {
            out.insert(k.clone(), v.clone());
        }
    }
    let (parameters, body) = request(ctx, &params, &consumes, ptr)?;
    if !parameters.is_empty() {
        out.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(b) = body {
        out.insert("requestBody".into(), b);
    }
    out.insert("responses".into(), responses(ctx, op, &produces, ptr)?);
    Ok(Value::Object(out))
}

/// The parameters of an operation, each with its pointer: the path item's first, replaced by
/// the operation's own of the same name and location.
fn merged_parameters<'a>(
    ctx: &Ctx<'a>,
    op: &'a Map<String, Value>,
    shared: &'a [Value],
    path_ptr: &Pointer,
    ptr: &Pointer,
) -> Result<Vec<(&'a Value, Pointer)>, Located> {
    let own = match op.get("parameters") {
        Some(Value::Array(p)) => p.as_slice(),
        Some(_) => return Err(Located::new(ptr.join("parameters"), "expected an array")),
        None => &[],
    };
    let mut params: Vec<(&Value, Pointer)> = Vec::new();
    for (i, p) in shared.iter().enumerate() {
        params.push(resolve_param(ctx, p, &path_ptr.join("parameters").join(i))?);
    }
    for (i, p) in own.iter().enumerate() {
        let resolved = resolve_param(ctx, p, &ptr.join("parameters").join(i))?;
        let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
        params.retain(|(q, _)| key(q) != key(resolved.0));
        params.push(resolved);
    }
    Ok(params)
}

/// The 3.0 parameters and request body of the 2.0 parameters `params`.
fn request(
    ctx: &Ctx<'_>,
    params: &[(&Value, Pointer)],
    consumes: &[String],
    ptr: &Pointer,
) -> Result<(Vec<Value>, Option<Value>), Located> {
    let mut out_params = Vec::new();
    let mut body: Option<Value> = None;
    let mut form = Form::default();
    for (p, pptr) in params {
        let obj = p
            .as_object()
            .ok_or_else(|| Located::new(pptr.clone(), "expected a parameter object"))?;
        let location = obj
            .get("in")
            .and_then(Value::as_str)
            .ok_or_else(|| Located::new(pptr.join("in"), "expected one of path, query, header, body, formData"))?;
        let name = obj
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| Located::new(pptr.join("name"), "expected a string"))?;
        match location {
            "body" => body = Some(body_parameter(ctx, obj, consumes, ptr, pptr)?),
            "formData" => form.add(ctx, obj, name, pptr)?,
            "path" | "query" | "header" => {
                let made = ptr.join("parameters").join(out_params.len());
                // A 2.0 parameter's schema keywords are its own: `schema/pattern` is `pattern`.
                ctx.moved(made.join("schema"), pptr.clone());
                ctx.moved(made, pptr.clone());
                out_params.push(plain_parameter(ctx, obj, name, location, pptr)?);
            }
            other => {
                return Err(Located::new(
                    pptr.join("in"),
                    format!("expected one of path, query, header, body, formData; found {other}"),
                ))
            }
        }
    }
    if let Some(form_body) = form.into_body(ctx, consumes, ptr) {
        body = Some(form_body);
    }
    Ok((out_params, body))
}

/// A path, query or header parameter.
fn plain_parameter(
    ctx: &Ctx<'_>,
    obj: &Map<String, Value>,
    name: &str,
    location: &str,
    pptr: &Pointer,
) -> Result<Value, Located> {
    let mut q = Map::new();
    q.insert("name".into(), json!(name));
    q.insert("in".into(), json!(location));
    for key in ["description", "required", "deprecated", "allowEmptyValue"] {
        if let Some(v) = obj.get(key) {
            q.insert(key.into(), v.clone());
        }
    }
    if location == "path" {
        q.insert("required".into(), json!(true));
    }
    let obj = &*as_30_can_say(ctx, obj, location, pptr);
    if obj.get("type").and_then(Value::as_str) == Some("array") {
        let (style, explode) = parameter_style(obj, location);
        q.insert("style".into(), json!(style));
        q.insert("explode".into(), json!(explode));
    }
    q.insert("schema".into(), simple_schema(ctx, obj, pptr)?);
    for (k, v) in obj {
        if k.starts_with("x-") && k != "x-nullable" {
            q.insert(k.clone(), v.clone());
        }
    }
    Ok(Value::Object(q))
}

/// The request body of a `body` parameter, in each media type of `consumes`: an object body
/// under a form type is sent as that form.
fn body_parameter(
    ctx: &Ctx<'_>,
    obj: &Map<String, Value>,
    consumes: &[String],
    ptr: &Pointer,
    pptr: &Pointer,
) -> Result<Value, Located> {
    let s = obj
        .get("schema")
        .ok_or_else(|| Located::new(pptr.join("schema"), "a body parameter needs a schema"))?;
    let schema = schema(ctx, s, &pptr.join("schema"))?;
    let types = if consumes.is_empty() {
        vec!["application/json".to_owned()]
    } else {
        consumes.to_vec()
    };
    let mut content = Map::new();
    let made = ptr.join("requestBody");
    ctx.moved(made.clone(), pptr.to_owned());
    for t in &types {
        ctx.moved(made.join("content").join(t).join("schema"), pptr.join("schema"));
        content.insert(t.clone(), json!({ "schema": schema }));
    }
    let mut rb = Map::new();
    if let Some(d) = obj.get("description") {
        rb.insert("description".into(), d.clone());
    }
    rb.insert("required".into(), obj.get("required").cloned().unwrap_or(json!(false)));
    rb.insert("content".into(), Value::Object(content));
    Ok(Value::Object(rb))
}

/// The `formData` parameters of an operation, gathered into one object body.
#[derive(Default)]
struct Form {
    properties: Map<String, Value>,
    required: Vec<Value>,
    /// Each field's name and the pointer of the parameter it came from.
    fields: Vec<(String, Pointer)>,
    /// The `encoding` of each array field, from its `collectionFormat` (`csv` when absent).
    styles: Map<String, Value>,
    has_file: bool,
}

impl Form {
    fn add(&mut self, ctx: &Ctx<'_>, obj: &Map<String, Value>, name: &str, pptr: &Pointer) -> Result<(), Located> {
        let obj = &*as_30_can_say(ctx, obj, "query", pptr);
        let mut s = simple_schema(ctx, obj, pptr)?;
        if obj.get("type").and_then(Value::as_str) == Some("file") {
            self.has_file = true;
            s = json!({ "type": "string", "format": "binary" });
        }
        if let (Some(d), Some(m)) = (obj.get("description"), s.as_object_mut()) {
            m.insert("description".into(), d.clone());
        }
        if obj.get("required").and_then(Value::as_bool) == Some(true) {
            self.required.push(json!(name));
        }
        if obj.get("type").and_then(Value::as_str) == Some("array") {
            let (style, explode) = parameter_style(obj, "query");
            self.styles
                .insert(name.to_owned(), json!({ "style": style, "explode": explode }));
        }
        self.properties.insert(name.to_owned(), s);
        self.fields.push((name.to_owned(), pptr.to_owned()));
        Ok(())
    }

    /// The request body, if there were fields: multipart when a field is a file or `consumes`
    /// says so, else urlencoded.
    fn into_body(self, ctx: &Ctx<'_>, consumes: &[String], ptr: &Pointer) -> Option<Value> {
        if self.properties.is_empty() {
            return None;
        }
        let media = if self.has_file || consumes.iter().any(|c| c == "multipart/form-data") {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let schema_ptr = ptr.join("requestBody").join("content").join(media).join("schema");
        for (name, pptr) in self.fields {
            ctx.moved(schema_ptr.join("properties").join(name), pptr);
        }
        let mut s = json!({ "type": "object", "properties": self.properties });
        if !self.required.is_empty() {
            s["required"] = Value::Array(self.required.clone());
        }
        let mut media_type = json!({ "schema": s });
        // 3.0 reads `style` and `explode` of urlencoded forms only; multipart sends one part per item.
        if media == "application/x-www-form-urlencoded" && !self.styles.is_empty() {
            media_type["encoding"] = Value::Object(self.styles);
        }
        Some(json!({ "required": !self.required.is_empty(), "content": { media: media_type } }))
    }
}

/// The operation's responses, each with the operation's media types.
fn responses(ctx: &Ctx<'_>, op: &Map<String, Value>, produces: &[String], ptr: &Pointer) -> Result<Value, Located> {
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .ok_or_else(|| Located::new(ptr.join("responses"), "expected an object of responses"))?;
    let mut out = Map::new();
    for (code, r) in responses {
        if code.starts_with("x-") {
            continue;
        }
        let rptr = ptr.join("responses").join(code);
        // A shared response takes the media types of the operation that uses it: when they
        // differ from the document's, the operation gets its own copy.
        let shared = r
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/responses/"))
            .filter(|_| produces != ctx.produces)
            .and_then(|name| {
                let name = unescape_token(name);
                let target = ctx.doc.get("responses")?.get(&name)?;
                Some((target, Pointer::at(&["responses"]).join(name)))
            });
        let converted = match shared {
            Some((target, original)) => response(ctx, target, produces, &original, &rptr)?,
            None => response(ctx, r, produces, &rptr, &rptr)?,
        };
        out.insert(code.clone(), converted);
    }
    Ok(Value::Object(out))
}

/// The parameter as OpenAPI 3.0 can say it. What 3.0 has no style for degrades with a warning:
/// a `collectionFormat` a location cannot say (`pipes` on a path, `tsv` anywhere) makes the
/// parameter one string the caller writes joined that way; a `collectionFormat` inside `items`
/// (an array of arrays) makes each item a string the caller joins; a format that is not one of
/// 2.0's is read as `csv`, its default.
pub(super) fn as_30_can_say<'a>(
    ctx: &Ctx<'_>,
    obj: &'a Map<String, Value>,
    location: &str,
    ptr: &Pointer,
) -> Cow<'a, Map<String, Value>> {
    if obj.get("type").and_then(Value::as_str) != Some("array") {
        return Cow::Borrowed(obj);
    }
    let mut obj = Cow::Borrowed(obj);
    if let Some(inner) = obj.get("items").and_then(|i| i.get("collectionFormat")) {
        let joined = separator(inner.as_str().unwrap_or("csv")).unwrap_or(",");
        ctx.warn(
            &ptr.join("items").join("collectionFormat"),
            format!("an array of arrays in a parameter has no OpenAPI 3.0 equivalent: each item is a String, which the caller writes with its inner list joined by `{joined}`"),
        );
        obj.to_mut().insert("items".into(), json!({ "type": "string" }));
    }
    // Absent is `csv`, as 2.0 says; a value that is not text matches no format.
    let cf = obj
        .get("collectionFormat")
        .map_or("csv".to_owned(), |cf| cf.as_str().unwrap_or_default().to_owned());
    if said(&cf, location) {
        return obj;
    }
    match separator(&cf) {
        None => {
            ctx.warn(
                &ptr.join("collectionFormat"),
                format!("expected csv, ssv, tsv, pipes or multi, found `{cf}`: read as csv"),
            );
            obj.to_mut().remove("collectionFormat");
        }
        Some(sep) => {
            ctx.warn(
                &ptr.join("collectionFormat"),
                format!("`collectionFormat: {cf}` on a {location} parameter has no OpenAPI 3.0 equivalent: a String, which the caller writes with the items joined by `{sep}`"),
            );
            let obj = obj.to_mut();
            for key in [
                "collectionFormat",
                "items",
                "minItems",
                "maxItems",
                "uniqueItems",
                "enum",
                "default",
            ] {
                obj.remove(key);
            }
            obj.insert("type".into(), json!("string"));
        }
    }
    obj
}

/// Whether 3.0 has a style for `collectionFormat: cf` in `location`.
fn said(cf: &str, location: &str) -> bool {
    matches!((cf, location), ("csv", _) | ("multi" | "ssv" | "pipes", "query"))
}

/// What a 2.0 `collectionFormat` puts between items (`multi` repeats the parameter: no text).
fn separator(cf: &str) -> Option<&'static str> {
    match cf {
        "csv" => Some(","),
        "ssv" => Some(" "),
        "tsv" => Some("\\t"),
        "pipes" => Some("|"),
        "multi" => Some("&"),
        _ => None,
    }
}

/// The 3.0 `style` and `explode` of an array parameter that [`as_30_can_say`] kept an array,
/// from its `collectionFormat` (`csv` when absent, as Swagger 2.0 says).
pub(super) fn parameter_style(obj: &Map<String, Value>, location: &str) -> (&'static str, bool) {
    match (obj.get("collectionFormat").and_then(Value::as_str), location) {
        (Some("multi"), "query") => ("form", true),
        (Some("ssv"), "query") => ("spaceDelimited", false),
        (Some("pipes"), "query") => ("pipeDelimited", false),
        (_, "query") => ("form", false),
        _ => ("simple", false),
    }
}

/// Resolves a `#/parameters/NAME` reference to the shared parameter and its pointer.
fn resolve_param<'a>(ctx: &Ctx<'a>, p: &'a Value, ptr: &Pointer) -> Result<(&'a Value, Pointer), Located> {
    let Some(r) = p.get("$ref") else {
        return Ok((p, ptr.to_owned()));
    };
    let r = r
        .as_str()
        .ok_or_else(|| Located::new(ptr.join("$ref"), "expected a string"))?;
    let name = r.strip_prefix("#/parameters/").ok_or_else(|| {
        Located::new(
            ptr.join("$ref"),
            format!("expected a reference to #/parameters/..., found {r}"),
        )
    })?;
    let target = ctx
        .doc
        .get("parameters")
        .and_then(|ps| ps.get(unescape_token(name).as_str()))
        .ok_or_else(|| Located::new(ptr.join("$ref"), format!("reference {r} does not resolve")))?;
    Ok((target, Pointer::at(&["parameters"]).join(name)))
}

/// Converts the response at `ptr`, which the 3.0 document has at `made`.
pub(super) fn response(
    ctx: &Ctx<'_>,
    r: &Value,
    produces: &[String],
    ptr: &Pointer,
    made: &Pointer,
) -> Result<Value, Located> {
    let obj = r
        .as_object()
        .ok_or_else(|| Located::new(ptr, "expected a response object"))?;
    if let Some(reference) = obj.get("$ref") {
        let reference = reference
            .as_str()
            .ok_or_else(|| Located::new(ptr.join("$ref"), "expected a string"))?;
        if reference.starts_with("#/responses/") {
            return Ok(json!({ "$ref": reference }));
        }
        if let Some(name) = reference.strip_prefix("#/definitions/") {
            // Quirk: a response that points into `definitions`. The definition supplies the
            // description, and is the body only if it describes one.
            let def = ctx
                .doc
                .get("definitions")
                .and_then(|d| d.get(unescape_token(name).as_str()))
                .ok_or_else(|| Located::new(ptr.join("$ref"), format!("reference {reference} does not resolve")))?;
            let description = def.get("description").and_then(Value::as_str).unwrap_or("").to_owned();
            let describes_body = def.as_object().is_some_and(|d| {
                d.keys().any(|k| {
                    matches!(
                        k.as_str(),
                        "type" | "properties" | "items" | "allOf" | "$ref" | "additionalProperties"
                    )
                })
            });
            let mut out = json!({ "description": description });
            if describes_body {
                out["content"] = content(produces, json!({ "$ref": reference }));
            }
            return Ok(out);
        }
        return Err(Located::new(
            ptr.join("$ref"),
            format!("expected a reference to #/responses/... or #/definitions/..., found {reference}"),
        ));
    }
    let mut out = Map::new();
    out.insert(
        "description".into(),
        obj.get("description").cloned().unwrap_or_else(|| json!("")),
    );
    if let Some(s) = obj.get("schema") {
        let content = content(produces, schema(ctx, s, &ptr.join("schema"))?);
        for media in content.as_object().into_iter().flatten().map(|(m, _)| m) {
            ctx.moved(made.join("content").join(media).join("schema"), ptr.join("schema"));
        }
        out.insert("content".into(), content);
    }
    if let Some(h) = obj.get("headers").and_then(Value::as_object) {
        let mut headers = Map::new();
        for (name, hv) in h {
            let hptr = ptr.join("headers").join(name);
            let hobj = hv
                .as_object()
                .ok_or_else(|| Located::new(hptr.clone(), "expected a header object"))?;
            let mut header = Map::new();
            if let Some(d) = hobj.get("description") {
                header.insert("description".into(), d.clone());
            }
            header.insert("schema".into(), simple_schema(ctx, hobj, &hptr)?);
            headers.insert(name.clone(), Value::Object(header));
        }
        out.insert("headers".into(), Value::Object(headers));
    }
    Ok(Value::Object(out))
}

/// A response's `content`: the schema in each media type of `produces` (JSON when none).
fn content(produces: &[String], schema: Value) -> Value {
    let mut m = Map::new();
    if produces.is_empty() {
        m.insert("application/json".into(), json!({ "schema": schema }));
    }
    for p in produces {
        m.insert(p.clone(), json!({ "schema": schema.clone() }));
    }
    Value::Object(m)
}
