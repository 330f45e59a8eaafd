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

use crate::error::{join, unescape_token, Located};
use serde_json::{json, Map, Value};

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

struct Ctx<'a> {
    doc: &'a Map<String, Value>,
    produces: Vec<String>,
    consumes: Vec<String>,
}

/// Upgrades a Swagger 2.0 document to OpenAPI 3.0.3.
pub(crate) fn swagger2_to_openapi3(doc: &Value) -> Result<Value, Located> {
    let src = doc.as_object().ok_or_else(|| Located::new("#", "expected an object"))?;
    let ctx = Ctx {
        doc: src,
        produces: string_list(src.get("produces"), "#/produces")?.unwrap_or_default(),
        consumes: string_list(src.get("consumes"), "#/consumes")?.unwrap_or_default(),
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
            schemas.insert(name.clone(), schema(s, &join("#/definitions", name))?);
        }
        components.insert("schemas".into(), Value::Object(schemas));
    }
    if let Some(resps) = src.get("responses") {
        let resps = resps
            .as_object()
            .ok_or_else(|| Located::new("#/responses", "expected an object"))?;
        let mut out_resps = Map::new();
        for (name, r) in resps {
            out_resps.insert(
                name.clone(),
                response(&ctx, r, &ctx.produces, &join("#/responses", name))?,
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
            schemes.insert(name.clone(), security_scheme(s, &join("#/securityDefinitions", name))?);
        }
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    Ok(Value::Object(out))
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
                let mut content = Map::new();
                for t in types.iter().filter(|t| !t.contains("form")) {
                    content.insert(t.clone(), json!({ "schema": schema }));
                }
                if content.is_empty() {
                    content.insert("application/json".into(), json!({ "schema": schema }));
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
                form.insert(name.to_owned(), s);
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
                if let Some(cf) = obj.get("collectionFormat").and_then(Value::as_str) {
                    let (style, explode) = match (cf, location) {
                        ("multi", _) => ("form", true),
                        ("ssv", _) => ("spaceDelimited", false),
                        ("pipes", _) => ("pipeDelimited", false),
                        (_, "query") => ("form", false),
                        _ => ("simple", false),
                    };
                    q.insert("style".into(), json!(style));
                    q.insert("explode".into(), json!(explode));
                }
                q.insert("schema".into(), simple_schema(obj, pptr)?);
                for (k, v) in obj {
                    if k.starts_with("x-") && k != "x-nullable" {
                        q.insert(k.clone(), v.clone());
                    }
                }
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
        let mut s = json!({ "type": "object", "properties": form });
        if !form_required.is_empty() {
            s["required"] = Value::Array(form_required.clone());
        }
        body = Some(json!({ "required": !form_required.is_empty(), "content": { media: { "schema": s } } }));
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
        out_resps.insert(
            code.clone(),
            response(ctx, r, &produces, &join(&join(ptr, "responses"), code))?,
        );
    }
    out.insert("responses".into(), Value::Object(out_resps));
    Ok(Value::Object(out))
}

fn response(ctx: &Ctx<'_>, r: &Value, produces: &[String], ptr: &str) -> Result<Value, Located> {
    let obj = r
        .as_object()
        .ok_or_else(|| Located::new(ptr, "expected a response object"))?;
    if let Some(reference) = obj.get("$ref") {
        let reference = reference
            .as_str()
            .ok_or_else(|| Located::new(join(ptr, "$ref"), "expected a string"))?;
        if let Some(name) = reference.strip_prefix("#/responses/") {
            return Ok(json!({ "$ref": format!("#/components/responses/{name}") }));
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
                out["content"] = content(produces, json!({ "$ref": format!("#/components/schemas/{name}") }));
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
        out.insert("content".into(), content(produces, schema(s, &join(ptr, "schema"))?));
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

fn rewrite_ref(r: &str, ptr: &str) -> Result<String, Located> {
    if let Some(name) = r.strip_prefix("#/definitions/") {
        Ok(format!("#/components/schemas/{name}"))
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
    for (key, value) in obj {
        let kptr = join(ptr, key);
        let v = match key.as_str() {
            "x-nullable" => continue,
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
                Value::Array(_) if key == "items" => {
                    return Err(Located::new(kptr, "tuple-style `items` arrays are not supported"));
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
            "type" if value.as_str() == Some("file") => {
                out.insert("format".into(), json!("binary"));
                json!("string")
            }
            "format" if obj.get("type").and_then(Value::as_str) == Some("file") => continue,
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
