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

use crate::error::{Located, Origins, Warning};
use crate::pointer::{escape_token, unescape_token, Pointer};
use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;

mod operations;
mod schemas;

use operations::{operation, response};
use schemas::schema;

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

struct Ctx<'a> {
    doc: &'a Map<String, Value>,
    produces: Vec<String>,
    consumes: Vec<String>,
    /// Where each node the upgrade moved came from.
    origins: RefCell<Origins>,
    /// The lossy choices made on the way.
    warnings: RefCell<Vec<Warning>>,
}

impl Ctx<'_> {
    fn moved(&self, made: Pointer, original: Pointer) {
        self.origins.borrow_mut().add(made, original);
    }

    /// Records a lossy choice made at `pointer` (a pointer into the 2.0 document).
    fn warn(&self, pointer: &Pointer, message: String) {
        self.warnings.borrow_mut().push(Warning {
            file: None,
            pointer: pointer.clone(),
            message,
        });
    }
}

/// Upgrades a Swagger 2.0 document to OpenAPI 3.0.3; also returns where the nodes it moved
/// came from, so later errors point into the 2.0 document.
pub(crate) fn swagger2_to_openapi3(doc: &Value) -> Result<(Value, Origins, Vec<Warning>), Located> {
    let src = doc
        .as_object()
        .ok_or_else(|| Located::new(Pointer::root(), "expected an object"))?;
    let ctx = Ctx {
        doc: src,
        produces: string_list(src.get("produces"), &Pointer::at(&["produces"]))?.unwrap_or_default(),
        consumes: string_list(src.get("consumes"), &Pointer::at(&["consumes"]))?.unwrap_or_default(),
        origins: RefCell::new(Origins::default()),
        warnings: RefCell::new(Vec::new()),
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
            .ok_or_else(|| Located::new(Pointer::at(&["paths"]), "expected an object"))?;
        for (path, item) in p {
            let ptr = Pointer::at(&["paths"]).join(path);
            if path.starts_with("x-") {
                continue;
            }
            paths.insert(path.clone(), path_item(&ctx, item, &ptr)?);
        }
    }
    out.insert("paths".into(), Value::Object(paths));

    // Each definition's and shared response's 3.0 key, given once and used for the components
    // and for every reference to them.
    let keys = Keys {
        schemas: component_keys(src.get("definitions")),
        responses: component_keys(src.get("responses")),
    };
    let components = components(&ctx, src, &keys)?;
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    // Whole sections last: a component the loops above recorded (renamed, say) wins.
    for (made, original) in [
        ("schemas", "definitions"),
        ("responses", "responses"),
        ("securitySchemes", "securityDefinitions"),
    ] {
        ctx.moved(Pointer::at(&["components", made]), Pointer::at(&[original]));
    }
    let mut out = Value::Object(out);
    rewrite_refs(&mut out, &keys);
    Ok((out, ctx.origins.into_inner(), ctx.warnings.into_inner()))
}

/// `definitions`, `responses` and `securityDefinitions` as the 3.0 `components`.
fn components(ctx: &Ctx<'_>, src: &Map<String, Value>, keys: &Keys) -> Result<Map<String, Value>, Located> {
    let mut components = Map::new();
    if let Some(defs) = src.get("definitions") {
        let defs = defs
            .as_object()
            .ok_or_else(|| Located::new(Pointer::at(&["definitions"]), "expected an object"))?;
        let mut schemas = Map::new();
        for (name, s) in defs {
            let key = keys.schemas.get(name).cloned().unwrap_or_else(|| name.clone());
            ctx.moved(
                Pointer::at(&["components", "schemas"]).join(&key),
                Pointer::at(&["definitions"]).join(name),
            );
            schemas.insert(key, schema(ctx, s, &Pointer::at(&["definitions"]).join(name))?);
        }
        components.insert("schemas".into(), Value::Object(schemas));
    }
    if let Some(resps) = src.get("responses") {
        let resps = resps
            .as_object()
            .ok_or_else(|| Located::new(Pointer::at(&["responses"]), "expected an object"))?;
        let mut out_resps = Map::new();
        for (name, r) in resps {
            let key = keys.responses.get(name).cloned().unwrap_or_else(|| name.clone());
            let made = Pointer::at(&["components", "responses"]).join(&key);
            ctx.moved(made.clone(), Pointer::at(&["responses"]).join(name));
            out_resps.insert(
                key,
                response(ctx, r, &ctx.produces, &Pointer::at(&["responses"]).join(name), &made)?,
            );
        }
        components.insert("responses".into(), Value::Object(out_resps));
    }
    if let Some(sec) = src.get("securityDefinitions") {
        let sec = sec
            .as_object()
            .ok_or_else(|| Located::new(Pointer::at(&["securityDefinitions"]), "expected an object"))?;
        let mut schemes = Map::new();
        for (name, s) in sec {
            ctx.moved(
                Pointer::at(&["components", "securitySchemes"]).join(name),
                Pointer::at(&["securityDefinitions"]).join(name),
            );
            if let Some(scheme) = security_scheme(ctx, s, &Pointer::at(&["securityDefinitions"]).join(name)) {
                schemes.insert(name.clone(), scheme);
            }
        }
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    Ok(components)
}

/// The 3.0 component key of each 2.0 name of a section.
struct Keys {
    schemas: HashMap<String, String>,
    responses: HashMap<String, String>,
}

/// The 3.0 component key of each name of a 2.0 section (`definitions`, `responses`), in order:
/// OpenAPI 3.0 allows only `[a-zA-Z0-9.\-_]`, so any other character becomes `_`
/// (`EntitiesResponse[User]` is `EntitiesResponse_User_`); a key another name already took gets
/// a numeric suffix. Names that are valid stay as they are.
fn component_keys(section: Option<&Value>) -> HashMap<String, String> {
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut keys = HashMap::new();
    for name in section.and_then(Value::as_object).into_iter().flatten().map(|(k, _)| k) {
        let key = if name.chars().all(valid) && !name.is_empty() {
            name.clone()
        } else {
            let base: String = name.chars().map(|c| if valid(c) { c } else { '_' }).collect();
            let base = if base.is_empty() { "_".to_owned() } else { base };
            if taken.contains(&base) {
                (2..)
                    .map(|n| format!("{base}_{n}"))
                    .find(|candidate| !taken.contains(candidate))
                    .unwrap_or(base)
            } else {
                base
            }
        };
        taken.insert(key.clone());
        keys.insert(name.clone(), key);
    }
    keys
}

/// Points every `$ref` of the upgraded document, wherever it is, at the 3.0 components: into
/// `definitions` and `responses` (with the keys [`component_keys`] gave them).
fn rewrite_refs(doc: &mut Value, keys: &Keys) {
    let sections = [
        ("#/definitions/", "#/components/schemas/", &keys.schemas),
        ("#/responses/", "#/components/responses/", &keys.responses),
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

fn string_list(v: Option<&Value>, ptr: &Pointer) -> Result<Option<Vec<String>>, Located> {
    match v {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, x)| {
                x.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| Located::new(ptr.join(i), "expected a string"))
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
        Some(_) => return Err(Located::new(Pointer::at(&["host"]), "expected a string")),
    };
    let base = match src.get("basePath") {
        None => String::new(),
        Some(Value::String(b)) => b.trim_end_matches('/').to_owned(),
        Some(_) => return Err(Located::new(Pointer::at(&["basePath"]), "expected a string")),
    };
    let Some(host) = host else {
        let url = if base.is_empty() { "/".to_owned() } else { base };
        return Ok(vec![json!({ "url": url })]);
    };
    let schemes = string_list(src.get("schemes"), &Pointer::at(&["schemes"]))?.unwrap_or_else(|| vec!["https".into()]);
    Ok(schemes
        .iter()
        .map(|s| json!({ "url": format!("{s}://{host}{base}") }))
        .collect())
}

fn path_item(ctx: &Ctx<'_>, item: &Value, ptr: &Pointer) -> Result<Value, Located> {
    let item = item
        .as_object()
        .ok_or_else(|| Located::new(ptr, "expected a path item object"))?;
    if item.contains_key("$ref") {
        return Err(Located::new(
            ptr.join("$ref"),
            "path item references are not supported; inline the path item",
        ));
    }
    let shared = match item.get("parameters") {
        Some(Value::Array(p)) => p.clone(),
        Some(_) => return Err(Located::new(ptr.join("parameters"), "expected an array")),
        None => Vec::new(),
    };
    let mut out = Map::new();
    for (key, value) in item {
        if METHODS.contains(&key.as_str()) {
            out.insert(key.clone(), operation(ctx, value, &shared, ptr, &ptr.join(key))?);
        } else if key.starts_with("x-") {
            out.insert(key.clone(), value.clone());
        }
    }
    Ok(Value::Object(out))
}

/// A 2.0 security definition as a 3.0 security scheme, its `x-` extensions kept (an API
/// gateway's `x-amazon-apigateway-authtype` says how requests are signed). One the upgrade
/// cannot read (an unknown `type` or `flow`) is left out with a warning; the requirements that
/// name it cannot be met.
fn security_scheme(ctx: &Ctx<'_>, s: &Value, ptr: &Pointer) -> Option<Value> {
    let Some(obj) = s.as_object() else {
        ctx.warn(ptr, "not a security scheme object: left out".to_owned());
        return None;
    };
    let kind = obj.get("type").and_then(Value::as_str).unwrap_or("");
    let mut out = match kind {
        "basic" => json!({ "type": "http", "scheme": "basic" }),
        "apiKey" => json!({ "type": "apiKey", "name": obj.get("name"), "in": obj.get("in") }),
        "oauth2" => {
            let flow = obj.get("flow").and_then(Value::as_str).unwrap_or("");
            let scopes = obj.get("scopes").cloned().unwrap_or_else(|| json!({}));
            let mut f = json!({ "scopes": scopes });
            for url in ["authorizationUrl", "tokenUrl"] {
                if let Some(u) = obj.get(url) {
                    f[url] = u.clone();
                }
            }
            let name = match flow {
                "implicit" => "implicit",
                "password" => "password",
                "application" => "clientCredentials",
                "accessCode" => "authorizationCode",
                other => {
                    ctx.warn(
                        &ptr.join("flow"),
                        format!("expected implicit, password, application or accessCode, found {other:?}: the scheme is left out"),
                    );
                    return None;
                }
            };
            json!({ "type": "oauth2", "flows": { name: f } })
        }
        other => {
            ctx.warn(
                &ptr.join("type"),
                format!("expected basic, apiKey or oauth2, found {other:?}: the scheme is left out"),
            );
            return None;
        }
    };
    for (key, value) in obj {
        if key == "description" || key.starts_with("x-") {
            out[key.as_str()] = value.clone();
        }
    }
    Some(out)
}
