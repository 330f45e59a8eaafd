//! Stage 2: Swagger 2.0 to OpenAPI 3.0, as a transform of the JSON document.
//!
//! Done on `serde_json::Value` before [`openapiv3`] parses it, so the later stages only ever see
//! OpenAPI 3.0. Error pointers name nodes of the original 2.0 document.
//!
//! What moves where:
//! - `host`, `basePath`, `schemes` become `servers`;
//! - `definitions`, `responses`, `securityDefinitions` become `components.*`;
//! - `in: body` and `in: formData` parameters become a `requestBody`, typed by `consumes`;
//! - response `schema` becomes `content`, typed by `produces`;
//! - `x-nullable` becomes `nullable`, also beside a `$ref` (wrapped in a one-element `allOf`,
//!   because 3.0 ignores siblings of `$ref`);
//! - a response that is a `$ref` into `definitions` (a quirk of some published documents) is read
//!   as a response whose description is the definition's, with the definition as its body only
//!   when the definition describes a body.

use crate::error::{escape_token, join, unescape_token, Located, Origins};
use serde_json::{json, Map, Value};
use std::cell::RefCell;

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

struct Ctx<'a> {
    doc: &'a Map<String, Value>,
    produces: Vec<String>,
    consumes: Vec<String>,
    /// Where each node the upgrade moved came from.
    origins: RefCell<Origins>,
}

impl Ctx<'_> {
    fn moved(&self, made: String, original: String) {
        self.origins.borrow_mut().add(made, original);
    }
}

/// Upgrades a Swagger 2.0 document to OpenAPI 3.0.3; also returns where the nodes it moved
/// came from, so later errors point into the 2.0 document.
pub(crate) fn swagger2_to_openapi3(doc: &Value) -> Result<(Value, Origins), Located> {
    let src = doc.as_object().ok_or_else(|| Located::new("#", "expected an object"))?;
    let ctx = Ctx {
        doc: src,
        produces: string_list(src.get("produces"), "#/produces")?.unwrap_or_default(),
        consumes: string_list(src.get("consumes"), "#/consumes")?.unwrap_or_default(),
        origins: RefCell::new(Origins::default()),
    };
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    out.insert(
        "info".into(),
        src.get("info")
            .cloned()
            .unwrap_or_else(|| json!({"title": "API", "version": "0"})),
    );
    out.insert("servers".into(), Value::Array(servers(src)?));
    for key in ["tags", "externalDocs", "security"] {
        if let Some(v) = src.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    for (k, v) in src {
        if k.starts_with("x-") {
            out.insert(k.clone(), v.clone());
        }
    }

    let mut paths = Map::new();
    if let Some(p) = src.get("paths") {
        let p = p
            .as_object()
            .ok_or_else(|| Located::new("#/paths", "expected an object"))?;
        for (path, item) in p {
            let ptr = join("#/paths", path);
            if path.starts_with("x-") {
                continue;
            }
            paths.insert(path.clone(), path_item(&ctx, item, &ptr)?);
        }
    }
    out.insert("paths".into(), Value::Object(paths));

    let mut components = Map::new();
    if let Some(defs) = src.get("definitions") {
        let defs = defs
            .as_object()
            .ok_or_else(|| Located::new("#/definitions", "expected an object"))?;
        let mut schemas = Map::new();
        for (name, s) in defs {
            let key = component_key(name, &schemas);
            ctx.moved(join("#/components/schemas", &key), join("#/definitions", name));
            schemas.insert(key, schema(s, &join("#/definitions", name))?);
        }
        components.insert("schemas".into(), Value::Object(schemas));
    }
    if let Some(resps) = src.get("responses") {
        let resps = resps
            .as_object()
            .ok_or_else(|| Located::new("#/responses", "expected an object"))?;
        let mut out_resps = Map::new();
        for (name, r) in resps {
            let key = component_key(name, &out_resps);
            ctx.moved(join("#/components/responses", &key), join("#/responses", name));
            let made = join("#/components/responses", &key);
            out_resps.insert(
                key,
                response(&ctx, r, &ctx.produces, &join("#/responses", name), &made)?,
            );
        }
        components.insert("responses".into(), Value::Object(out_resps));
    }
    if let Some(sec) = src.get("securityDefinitions") {
        let sec = sec
            .as_object()
            .ok_or_else(|| Located::new("#/securityDefinitions", "expected an object"))?;
        let mut schemes = Map::new();
        for (name, s) in sec {
            ctx.moved(
                join("#/components/securitySchemes", name),
                join("#/securityDefinitions", name),
            );
            schemes.insert(name.clone(), security_scheme(s, &join("#/securityDefinitions", name))?);
        }
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    // Whole sections last: a component the loops above recorded (renamed, say) wins.
    for (made, original) in [
        ("#/components/schemas", "#/definitions"),
        ("#/components/responses", "#/responses"),
        ("#/components/securitySchemes", "#/securityDefinitions"),
    ] {
        ctx.moved(made.to_owned(), original.to_owned());
    }
    let mut out = Value::Object(out);
    rewrite_refs(&mut out, src);
    Ok((out, ctx.origins.into_inner()))
}

/// A component key for a 2.0 name: OpenAPI 3.0 allows only `[a-zA-Z0-9.\-_]`, so any other
/// character becomes `_` (`EntitiesResponse[User]` is `EntitiesResponse_User_`); a key another
/// name already took gets a numeric suffix. Names that are valid stay as they are.
fn component_key(name: &str, taken: &Map<String, Value>) -> String {
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if name.chars().all(valid) && !name.is_empty() {
        return name.to_owned();
    }
    let base: String = name.chars().map(|c| if valid(c) { c } else { '_' }).collect();
    let base = if base.is_empty() { "_".to_owned() } else { base };
    if !taken.contains_key(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|candidate| !taken.contains_key(candidate))
        .unwrap_or(base)
}

/// Points every `$ref` of the upgraded document, wherever it is, at the 3.0 components: into
/// `definitions` and `responses` (with the keys [`component_key`] gave them).
fn rewrite_refs(doc: &mut Value, src: &Map<String, Value>) {
    let keys = |section: &str| -> std::collections::HashMap<String, String> {
        let mut taken = Map::new();
        let mut out = std::collections::HashMap::new();
        for name in src
            .get(section)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            let key = component_key(name, &taken);
            taken.insert(key.clone(), Value::Null);
            out.insert(name.clone(), key);
        }
        out
    };
    let sections = [
        ("#/definitions/", "#/components/schemas/", keys("definitions")),
        ("#/responses/", "#/components/responses/", keys("responses")),
    ];
    let mut stack = vec![doc];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get_mut("$ref") {
                    for (from, to, names) in &sections {
                        let Some(rest) = r.strip_prefix(from) else { continue };
                        let (name, tail) = rest.split_once('/').map_or((rest, ""), |(n, t)| (n, t));
                        let key = names
                            .get(&unescape_token(name))
                            .map_or(name.to_owned(), |k| escape_token(k));
                        let tail = if tail.is_empty() {
                            String::new()
                        } else {
                            format!("/{tail}")
                        };
                        *r = format!("{to}{key}{tail}");
                        break;
                    }
                }
                stack.extend(map.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

fn string_list(v: Option<&Value>, ptr: &str) -> Result<Option<Vec<String>>, Located> {
    match v {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, x)| {
                x.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| Located::new(format!("{ptr}/{i}"), "expected a string"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(Located::new(ptr, "expected an array of strings")),
    }
}

fn servers(src: &Map<String, Value>) -> Result<Vec<Value>, Located> {
    let host = match src.get("host") {
        None => None,
        Some(Value::String(h)) => Some(h.clone()),
        Some(_) => return Err(Located::new("#/host", "expected a string")),
    };
    let base = match src.get("basePath") {
        None => String::new(),
        Some(Value::String(b)) => b.trim_end_matches('/').to_owned(),
        Some(_) => return Err(Located::new("#/basePath", "expected a string")),
    };
    let Some(host) = host else {
        let url = if base.is_empty() { "/".to_owned() } else { base };
        return Ok(vec![json!({ "url": url })]);
    };
    let schemes = string_list(src.get("schemes"), "#/schemes")?.unwrap_or_else(|| vec!["https".into()]);
    Ok(schemes
        .iter()
        .map(|s| json!({ "url": format!("{s}://{host}{base}") }))
        .collect())
}

fn path_item(ctx: &Ctx<'_>, item: &Value, ptr: &str) -> Result<Value, Located> {
    let item = item
        .as_object()
        .ok_or_else(|| Located::new(ptr, "expected a path item object"))?;
    if item.contains_key("$ref") {
        return Err(Located::new(
            join(ptr, "$ref"),
            "path item references are not supported; inline the path item",
        ));
    }
    let shared = match item.get("parameters") {
        Some(Value::Array(p)) => p.clone(),
        Some(_) => return Err(Located::new(join(ptr, "parameters"), "expected an array")),
        None => Vec::new(),
    };
    let mut out = Map::new();
    for (key, value) in item {
        if METHODS.contains(&key.as_str()) {
            out.insert(key.clone(), operation(ctx, value, &shared, ptr, &join(ptr, key))?);
        } else if key.starts_with("x-") {
            out.insert(key.clone(), value.clone());
        }
    }
    Ok(Value::Object(out))
}

/// The 3.0 `style` and `explode` of an array parameter, from its `collectionFormat` (`csv` when
/// absent, as Swagger 2.0 says). Formats 3.0 cannot say in that location are refused.
fn parameter_style(obj: &Map<String, Value>, location: &str, ptr: &str) -> Result<(&'static str, bool), Located> {
    let cf_ptr = join(ptr, "collectionFormat");
    let cf = match obj.get("collectionFormat") {
        None => "csv",
        Some(Value::String(cf)) => cf.as_str(),
        Some(_) => return Err(Located::new(cf_ptr, "expected a string")),
    };
    if obj.get("items").and_then(|i| i.get("collectionFormat")).is_some() {
        return Err(Located::new(
            join(&join(ptr, "items"), "collectionFormat"),
            "an array of arrays in a parameter (a `collectionFormat` inside `items`) has no OpenAPI 3.0 equivalent and is not supported",
        ));
    }
    match (cf, location) {
        ("csv", "query") => Ok(("form", false)),
        ("csv", _) => Ok(("simple", false)),
        ("multi", "query") => Ok(("form", true)),
        ("ssv", "query") => Ok(("spaceDelimited", false)),
        ("pipes", "query") => Ok(("pipeDelimited", false)),
        ("multi" | "ssv" | "pipes" | "tsv", _) => Err(Located::new(
            cf_ptr,
            format!(
                "`collectionFormat: {cf}` on a {location} parameter has no OpenAPI 3.0 equivalent and is not supported; use csv{}",
                if location == "query" { ", ssv, pipes or multi" } else { "" }
            ),
        )),
        (other, _) => Err(Located::new(
            cf_ptr,
            format!("expected csv, ssv, tsv, pipes or multi; found {other:?}"),
        )),
    }
}

/// Resolves a `#/parameters/NAME` reference to the shared parameter and its pointer.
fn resolve_param<'a>(ctx: &Ctx<'a>, p: &'a Value, ptr: &str) -> Result<(&'a Value, String), Located> {
    let Some(r) = p.get("$ref") else {
        return Ok((p, ptr.to_owned()));
    };
    let r = r
        .as_str()
        .ok_or_else(|| Located::new(join(ptr, "$ref"), "expected a string"))?;
    let name = r.strip_prefix("#/parameters/").ok_or_else(|| {
        Located::new(
            join(ptr, "$ref"),
            format!("expected a reference to #/parameters/..., found {r}"),
        )
    })?;
    let target = ctx
        .doc
        .get("parameters")
        .and_then(|ps| ps.get(unescape_token(name).as_str()))
        .ok_or_else(|| Located::new(join(ptr, "$ref"), format!("reference {r} does not resolve")))?;
    Ok((target, format!("#/parameters/{name}")))
}

fn operation(ctx: &Ctx<'_>, op: &Value, shared: &[Value], path_ptr: &str, ptr: &str) -> Result<Value, Located> {
    let op = op
        .as_object()
        .ok_or_else(|| Located::new(ptr, "expected an operation object"))?;
    let produces = string_list(op.get("produces"), &join(ptr, "produces"))?.unwrap_or_else(|| ctx.produces.clone());
    let consumes = string_list(op.get("consumes"), &join(ptr, "consumes"))?.unwrap_or_else(|| ctx.consumes.clone());
    let own = match op.get("parameters") {
        Some(Value::Array(p)) => p.as_slice(),
        Some(_) => return Err(Located::new(join(ptr, "parameters"), "expected an array")),
        None => &[],
    };

    // Path-level parameters first, overridden by operation parameters with the same name and location.
    let mut params: Vec<(&Value, String)> = Vec::new();
    for (i, p) in shared.iter().enumerate() {
        params.push(resolve_param(ctx, p, &format!("{path_ptr}/parameters/{i}"))?);
    }
    for (i, p) in own.iter().enumerate() {
        let resolved = resolve_param(ctx, p, &format!("{ptr}/parameters/{i}"))?;
        let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
        params.retain(|(q, _)| key(q) != key(resolved.0));
        params.push(resolved);
    }

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

    let mut out_params = Vec::new();
    let mut body: Option<Value> = None;
    let mut form = Map::new();
    let mut form_required = Vec::new();
    // Each form field's name and the pointer of the parameter it came from.
    let mut form_fields: Vec<(String, String)> = Vec::new();
    // The `encoding` of each array field, from its `collectionFormat` (`csv` when absent).
    let mut form_styles = Map::new();
    let mut has_file = false;
    for (p, pptr) in &params {
        let obj = p
            .as_object()
            .ok_or_else(|| Located::new(pptr.clone(), "expected a parameter object"))?;
        let location = obj
            .get("in")
            .and_then(Value::as_str)
            .ok_or_else(|| Located::new(join(pptr, "in"), "expected one of path, query, header, body, formData"))?;
        let name = obj
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| Located::new(join(pptr, "name"), "expected a string"))?;
        match location {
            "body" => {
                let s = obj
                    .get("schema")
                    .ok_or_else(|| Located::new(join(pptr, "schema"), "a body parameter needs a schema"))?;
                let schema = schema(s, &join(pptr, "schema"))?;
                let types = if consumes.is_empty() {
                    vec!["application/json".to_owned()]
                } else {
                    consumes.clone()
                };
                // Each declared media type; an object body under a form type is sent as that form.
                let mut content = Map::new();
                let made = join(ptr, "requestBody");
                ctx.moved(made.clone(), pptr.clone());
                for t in &types {
                    ctx.moved(join(&join(&join(&made, "content"), t), "schema"), join(pptr, "schema"));
                    content.insert(t.clone(), json!({ "schema": schema }));
                }
                let mut rb = Map::new();
                if let Some(d) = obj.get("description") {
                    rb.insert("description".into(), d.clone());
                }
                rb.insert("required".into(), obj.get("required").cloned().unwrap_or(json!(false)));
                rb.insert("content".into(), Value::Object(content));
                body = Some(Value::Object(rb));
            }
            "formData" => {
                let mut s = simple_schema(obj, pptr)?;
                if obj.get("type").and_then(Value::as_str) == Some("file") {
                    has_file = true;
                    s = json!({ "type": "string", "format": "binary" });
                }
                if let (Some(d), Some(m)) = (obj.get("description"), s.as_object_mut()) {
                    m.insert("description".into(), d.clone());
                }
                if obj.get("required").and_then(Value::as_bool) == Some(true) {
                    form_required.push(json!(name));
                }
                if obj.get("type").and_then(Value::as_str) == Some("array") {
                    let (style, explode) = parameter_style(obj, "query", pptr)?;
                    form_styles.insert(name.to_owned(), json!({ "style": style, "explode": explode }));
                }
                form.insert(name.to_owned(), s);
                form_fields.push((name.to_owned(), pptr.clone()));
            }
            "path" | "query" | "header" => {
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
                if obj.get("type").and_then(Value::as_str) == Some("array") {
                    let (style, explode) = parameter_style(obj, location, pptr)?;
                    q.insert("style".into(), json!(style));
                    q.insert("explode".into(), json!(explode));
                }
                q.insert("schema".into(), simple_schema(obj, pptr)?);
                for (k, v) in obj {
                    if k.starts_with("x-") && k != "x-nullable" {
                        q.insert(k.clone(), v.clone());
                    }
                }
                ctx.moved(format!("{ptr}/parameters/{}", out_params.len()), pptr.clone());
                out_params.push(Value::Object(q));
            }
            other => {
                return Err(Located::new(
                    join(pptr, "in"),
                    format!("expected one of path, query, header, body, formData; found {other}"),
                ))
            }
        }
    }
    if !form.is_empty() {
        let media = if has_file || consumes.iter().any(|c| c == "multipart/form-data") {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let properties = join(&join(&join(&join(ptr, "requestBody"), "content"), media), "schema");
        for (name, pptr) in form_fields {
            ctx.moved(join(&join(&properties, "properties"), &name), pptr);
        }
        let mut s = json!({ "type": "object", "properties": form });
        if !form_required.is_empty() {
            s["required"] = Value::Array(form_required.clone());
        }
        let mut media_type = json!({ "schema": s });
        // 3.0 reads `style` and `explode` of urlencoded forms only; multipart sends one part per item.
        if media == "application/x-www-form-urlencoded" && !form_styles.is_empty() {
            media_type["encoding"] = Value::Object(form_styles);
        }
        body = Some(json!({ "required": !form_required.is_empty(), "content": { media: media_type } }));
    }
    if !out_params.is_empty() {
        out.insert("parameters".into(), Value::Array(out_params));
    }
    if let Some(b) = body {
        out.insert("requestBody".into(), b);
    }

    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .ok_or_else(|| Located::new(join(ptr, "responses"), "expected an object of responses"))?;
    let mut out_resps = Map::new();
    for (code, r) in responses {
        if code.starts_with("x-") {
            continue;
        }
        let rptr = join(&join(ptr, "responses"), code);
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
                Some((target, join("#/responses", &name)))
            });
        let converted = match shared {
            Some((target, original)) => response(ctx, target, &produces, &original, &rptr)?,
            None => response(ctx, r, &produces, &rptr, &rptr)?,
        };
        out_resps.insert(code.clone(), converted);
    }
    out.insert("responses".into(), Value::Object(out_resps));
    Ok(Value::Object(out))
}

/// Converts the response at `ptr`, which the 3.0 document has at `made`.
fn response(ctx: &Ctx<'_>, r: &Value, produces: &[String], ptr: &str, made: &str) -> Result<Value, Located> {
    let obj = r
        .as_object()
        .ok_or_else(|| Located::new(ptr, "expected a response object"))?;
    if let Some(reference) = obj.get("$ref") {
        let reference = reference
            .as_str()
            .ok_or_else(|| Located::new(join(ptr, "$ref"), "expected a string"))?;
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
                .ok_or_else(|| Located::new(join(ptr, "$ref"), format!("reference {reference} does not resolve")))?;
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
            join(ptr, "$ref"),
            format!("expected a reference to #/responses/... or #/definitions/..., found {reference}"),
        ));
    }
    let mut out = Map::new();
    out.insert(
        "description".into(),
        obj.get("description").cloned().unwrap_or_else(|| json!("")),
    );
    if let Some(s) = obj.get("schema") {
        let content = content(produces, schema(s, &join(ptr, "schema"))?);
        for media in content.as_object().into_iter().flatten().map(|(m, _)| m) {
            ctx.moved(
                join(&join(&join(made, "content"), media), "schema"),
                join(ptr, "schema"),
            );
        }
        out.insert("content".into(), content);
    }
    if let Some(h) = obj.get("headers").and_then(Value::as_object) {
        let mut headers = Map::new();
        for (name, hv) in h {
            let hptr = join(&join(ptr, "headers"), name);
            let hobj = hv
                .as_object()
                .ok_or_else(|| Located::new(hptr.clone(), "expected a header object"))?;
            let mut header = Map::new();
            if let Some(d) = hobj.get("description") {
                header.insert("description".into(), d.clone());
            }
            header.insert("schema".into(), simple_schema(hobj, &hptr)?);
            headers.insert(name.clone(), Value::Object(header));
        }
        out.insert("headers".into(), Value::Object(headers));
    }
    Ok(Value::Object(out))
}

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

/// The schema of a non-body parameter or header: the schema keywords that sit on it directly.
fn simple_schema(obj: &Map<String, Value>, ptr: &str) -> Result<Value, Located> {
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
    schema(&Value::Object(s), ptr)
}

/// A schema reference as written; [`rewrite_refs`] points it at the 3.0 components at the end.
fn rewrite_ref(r: &str, ptr: &str) -> Result<String, Located> {
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
pub(crate) fn schema(s: &Value, ptr: &str) -> Result<Value, Located> {
    let Some(obj) = s.as_object() else {
        return match s {
            Value::Bool(_) => Ok(s.clone()),
            _ => Err(Located::new(ptr, "expected a schema object")),
        };
    };
    let nullable = obj.get("x-nullable").and_then(Value::as_bool) == Some(true)
        || obj.get("nullable").and_then(Value::as_bool) == Some(true);
    if let Some(r) = obj.get("$ref") {
        let r = r
            .as_str()
            .ok_or_else(|| Located::new(join(ptr, "$ref"), "expected a string"))?;
        let reference = json!({ "$ref": rewrite_ref(r, &join(ptr, "$ref"))? });
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
        return Ok(Value::Object(wrapper));
    }
    let mut out = Map::new();
    // JSON Schema draft 4 lets `type` be a list, or `"null"`: 3.0 says one type and `nullable`.
    let (single_type, null_type) = match obj.get("type") {
        Some(Value::String(t)) if t == "null" => (None, true),
        Some(Value::String(t)) => (Some(t.clone()), false),
        Some(Value::Array(types)) => {
            let named: Vec<&str> = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            let null = types.iter().any(|t| t.as_str() == Some("null"));
            match named.as_slice() {
                [only] => (Some((*only).to_owned()), null),
                // Several types: any value (the model's `serde_json::Value`).
                _ => (None, null),
            }
        }
        _ => (None, false),
    };
    let nullable = nullable || null_type;
    let integer = single_type.as_deref() == Some("integer");
    for (key, value) in obj {
        let kptr = join(ptr, key);
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
                    m.insert(name.clone(), schema(p, &join(&kptr, name))?);
                }
                Value::Object(m)
            }
            "items" | "additionalProperties" | "not" => match value {
                Value::Bool(_) => value.clone(),
                // A tuple (`items: [A, B]`): its one schema, the schema every position shares, or
                // else any item.
                Value::Array(positions) if key == "items" => {
                    let converted = positions
                        .iter()
                        .enumerate()
                        .map(|(i, x)| schema(x, &format!("{kptr}/{i}")))
                        .collect::<Result<Vec<_>, _>>()?;
                    match converted.split_first() {
                        Some((first, rest)) if rest.iter().all(|x| x == first) => first.clone(),
                        _ => json!({}),
                    }
                }
                _ => schema(value, &kptr)?,
            },
            "allOf" | "anyOf" | "oneOf" => {
                let list = value
                    .as_array()
                    .ok_or_else(|| Located::new(kptr.clone(), "expected an array"))?;
                Value::Array(
                    list.iter()
                        .enumerate()
                        .map(|(i, x)| schema(x, &format!("{kptr}/{i}")))
                        .collect::<Result<_, _>>()?,
                )
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

fn security_scheme(s: &Value, ptr: &str) -> Result<Value, Located> {
    let obj = s
        .as_object()
        .ok_or_else(|| Located::new(ptr, "expected a security scheme object"))?;
    let kind = obj.get("type").and_then(Value::as_str).unwrap_or("");
    let mut out = match kind {
        "basic" => json!({ "type": "http", "scheme": "basic" }),
        "apiKey" => json!({ "type": "apiKey", "name": obj.get("name"), "in": obj.get("in") }),
        "oauth2" => {
            let flow = obj.get("flow").and_then(Value::as_str).unwrap_or("");
            let scopes = obj.get("scopes").cloned().unwrap_or_else(|| json!({}));
            let mut f = json!({ "scopes": scopes });
            if let Some(u) = obj.get("authorizationUrl") {
                f["authorizationUrl"] = u.clone();
            }
            if let Some(u) = obj.get("tokenUrl") {
                f["tokenUrl"] = u.clone();
            }
            let name = match flow {
                "implicit" => "implicit",
                "password" => "password",
                "application" => "clientCredentials",
                "accessCode" => "authorizationCode",
                other => {
                    return Err(Located::new(
                        join(ptr, "flow"),
                        format!("expected implicit, password, application or accessCode; found {other:?}"),
                    ))
                }
            };
            json!({ "type": "oauth2", "flows": { name: f } })
        }
        other => {
            return Err(Located::new(
                join(ptr, "type"),
                format!("expected basic, apiKey or oauth2; found {other:?}"),
            ))
        }
    };
    if let Some(d) = obj.get("description") {
        out["description"] = d.clone();
    }
    Ok(out)
}
