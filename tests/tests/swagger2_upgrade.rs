//! The Swagger 2.0 upgrade, checked two ways: every 2.0 document the project has upgrades to a
//! valid OpenAPI 3.0 document (openapiv3 reads it, no 2.0 keyword or JSON Schema type list is
//! left, component keys are valid, every reference resolves), and the constructs of
//! `tests/fixtures/regressions/swagger2-upgrade-cases.yaml` come out node by node as 3.0 says.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every JSON or YAML file under `dir`, recursively.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")) {
            out.push(path);
        }
    }
}

/// The Swagger 2.0 documents of the repository, the published WP Engine documents and the
/// shared corpus.
fn swagger2_documents() -> Vec<PathBuf> {
    let mut all = Vec::new();
    for dir in ["spec", "tests/fixtures", "../shared/wpengine", "../shared/specs"] {
        files_under(&root().join(dir), &mut all);
    }
    all.retain(|path| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        text.contains("\"swagger\"") || text.lines().any(|l| l.starts_with("swagger:"))
    });
    all.sort();
    all
}

fn upgraded(path: &Path) -> Value {
    let bytes = std::fs::read(path).expect("readable");
    let text = openapi_crate_gen_core::normalized_openapi(&path.display().to_string(), &bytes)
        .unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).expect("JSON")
}

/// What in `doc` breaks OpenAPI 3.0, each with its pointer.
fn problems(doc: &Value) -> Vec<String> {
    let mut found = Vec::new();
    if let Err(e) = serde_json::from_value::<openapiv3::OpenAPI>(doc.clone()) {
        found.push(format!("#: openapiv3 cannot read it: {e}"));
    }
    let key_ok = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    };
    for (section, entries) in doc.get("components").and_then(Value::as_object).into_iter().flatten() {
        for key in entries.as_object().into_iter().flatten().map(|(k, _)| k) {
            if !key_ok(key) {
                found.push(format!("#/components/{section}: `{key}` is not a valid component key"));
            }
        }
    }
    let mut stack = vec![("#".to_owned(), doc)];
    while let Some((pointer, node)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, value) in map {
                    let here = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                    match (key.as_str(), value) {
                        // Examples and extensions say anything they like.
                        ("example" | "examples", _) => continue,
                        (k, _) if k.starts_with("x-") && pointer.ends_with("/properties") => {}
                        (k, _) if k.starts_with("x-") => continue,
                        ("collectionFormat", _) => found.push(format!("{here}: a 2.0 keyword")),
                        ("type", Value::Array(_)) => found.push(format!("{here}: a list of types")),
                        ("type", Value::String(t)) if t == "null" => found.push(format!("{here}: type null")),
                        ("$ref", Value::String(r)) if r.starts_with('#') && resolve(doc, r).is_none() => {
                            found.push(format!("{here}: {r} does not resolve"))
                        }
                        _ => {}
                    }
                    stack.push((here, value));
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    stack.push((format!("{pointer}/{i}"), item));
                }
            }
            _ => {}
        }
    }
    found
}

/// The node a local reference names.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let mut node = doc;
    for token in reference.strip_prefix("#/")?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

#[test]
fn every_swagger2_document_upgrades_to_valid_openapi30() {
    let documents = swagger2_documents();
    assert!(
        documents.len() >= 10,
        "only {} Swagger 2.0 documents found",
        documents.len()
    );
    let mut failures = Vec::new();
    for path in &documents {
        for problem in problems(&upgraded(path)) {
            failures.push(format!("{}: {problem}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn cases() -> Value {
    upgraded(&root().join("tests/fixtures/regressions/swagger2-upgrade-cases.yaml"))
}

fn parameter<'a>(doc: &'a Value, path: &str, name: &str) -> &'a Value {
    doc["paths"][path]["get"]["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("no parameter {name}"))
}

#[test]
fn array_parameters_take_the_2_0_default_csv() {
    let doc = cases();
    let style = |name: &str| {
        let p = parameter(&doc, "/items/{ids}", name);
        (p["style"].as_str().unwrap_or("none").to_owned(), p["explode"].as_bool())
    };
    // No collectionFormat means csv: `?tags=a,b`, not `?tags=a&tags=b`.
    assert_eq!(style("tags"), ("form".to_owned(), Some(false)));
    assert_eq!(style("ids"), ("simple".to_owned(), Some(false)));
    assert_eq!(style("X-Codes"), ("simple".to_owned(), Some(false)));
    assert_eq!(style("spaced"), ("spaceDelimited".to_owned(), Some(false)));
    assert_eq!(style("piped"), ("pipeDelimited".to_owned(), Some(false)));
    assert_eq!(style("repeated"), ("form".to_owned(), Some(true)));
    // Integer bounds written as floats stay integer bounds.
    assert_eq!(parameter(&doc, "/items/{ids}", "page")["schema"]["minimum"], 1);
}

#[test]
fn body_media_types_are_kept_as_declared() {
    let doc = cases();
    let form = &doc["paths"]["/items"]["post"]["requestBody"]["content"];
    assert!(form.get("application/x-www-form-urlencoded").is_some(), "{form}");
    assert!(form.get("application/json").is_none(), "{form}");
    let vendor = &doc["paths"]["/labels"]["put"]["requestBody"]["content"];
    assert!(vendor.get("application/vnd.acme.platform+json").is_some(), "{vendor}");
    // A file field makes a form multipart: the only way to send a file.
    let upload = &doc["paths"]["/uploads"]["post"]["requestBody"]["content"];
    assert!(upload.get("multipart/form-data").is_some(), "{upload}");
}

#[test]
fn form_array_fields_keep_their_collection_format_as_an_encoding() {
    let doc = cases();
    let form = &doc["paths"]["/tags"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
    assert_eq!(
        form["encoding"]["ids"],
        serde_json::json!({"style": "form", "explode": false})
    );
    assert_eq!(
        form["encoding"]["names"],
        serde_json::json!({"style": "form", "explode": true})
    );
    assert_eq!(
        form["encoding"]["piped"],
        serde_json::json!({"style": "pipeDelimited", "explode": false})
    );
    // The client writes them so: `ids=1,2`, `names=a&names=b`, `piped=a|b`.
    let files = openapi_crate_gen_core::generate(
        "cases.yaml",
        &std::fs::read(root().join("tests/fixtures/regressions/swagger2-upgrade-cases.yaml")).expect("readable"),
    )
    .expect("generates");
    let builders = files.iter().find(|f| f.path == "builders.rs").expect("builders.rs");
    let code: String = builders.contents.split_whitespace().collect();
    let expected =
        r#".form(body,&[("ids",runtime::Style::Form,false),("piped",runtime::Style::PipeDelimited,false),],)"#;
    assert!(code.contains(expected), "{}", builders.contents);
}

#[test]
fn json_schema_draft_4_spellings_become_3_0() {
    let doc = cases();
    let item = &doc["components"]["schemas"]["Item"]["properties"];
    assert_eq!(item["name"], serde_json::json!({"type": "string", "nullable": true}));
    assert_eq!(item["anything"], serde_json::json!({}));
    assert_eq!(item["nothing"], serde_json::json!({"nullable": true}));
    assert_eq!(item["pair"]["items"], serde_json::json!({"type": "string"}));
    assert_eq!(item["mixed"]["items"], serde_json::json!({}));
    assert_eq!(item["id"]["minimum"], 0);
    // A reference under a key the upgrade does not know is rewritten too.
    assert_eq!(item["x-links"]["related"]["$ref"], "#/components/schemas/Problem");
}

#[test]
fn nullable_map_values_and_array_items_are_options() {
    let files = openapi_crate_gen_core::generate(
        "cases.yaml",
        &std::fs::read(root().join("tests/fixtures/regressions/swagger2-upgrade-cases.yaml")).expect("readable"),
    )
    .expect("generates");
    let types = files.iter().find(|f| f.path == "types.rs").expect("types.rs");
    assert!(
        types
            .contents
            .contains("pub problems: Option<std::collections::BTreeMap<String, Option<Problem>>>"),
        "{}",
        types.contents
    );
    assert!(
        types.contents.contains("pub notes: Option<Vec<Option<String>>>"),
        "{}",
        types.contents
    );
}

#[test]
fn definition_names_become_valid_component_keys() {
    let doc = cases();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    assert!(schemas.contains_key("EntitiesResponse_Item_"), "{:?}", schemas.keys());
    let items = &doc["paths"]["/items/{ids}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(items["items"]["$ref"], "#/components/schemas/EntitiesResponse_Item_");
}

#[test]
fn a_shared_response_takes_the_media_types_of_the_operation_using_it() {
    let doc = cases();
    let csv = &doc["paths"]["/items/{id}/export"]["get"]["responses"]["404"]["content"];
    assert!(csv.get("text/csv").is_some(), "{csv}");
    let json = &doc["paths"]["/items/{ids}"]["get"]["responses"]["404"];
    assert_eq!(json["$ref"], "#/components/responses/NotFound");
}

fn refused(doc: &str) -> openapi_crate_gen_core::Error {
    match openapi_crate_gen_core::generate("bad.yaml", doc.as_bytes()) {
        Ok(_) => panic!("expected an error for:\n{doc}"),
        Err(e) => e,
    }
}

fn with_parameter(parameter: &str) -> String {
    format!(
        "swagger: '2.0'\ninfo: {{title: t, version: '1'}}\npaths:\n  /a/{{ids}}:\n    get:\n      parameters:\n        - {parameter}\n      responses: {{'200': {{description: ok}}}}\n"
    )
}

/// What 3.0 has no style for degrades, one parameter at a time, with a warning where it is
/// written: the caller writes the joined text itself.
#[test]
fn collection_formats_3_0_cannot_say_degrade_to_text_with_a_warning() {
    use openapi_crate_gen_core::model::Ty;
    for (parameter, format, joined) in [
        (
            "{name: ids, in: path, required: true, type: array, items: {type: string}, collectionFormat: pipes}",
            "pipes",
            "`|`",
        ),
        (
            "{name: X-Ids, in: header, type: array, items: {type: string}, collectionFormat: ssv}",
            "ssv",
            "` `",
        ),
        (
            "{name: ids, in: query, type: array, items: {type: string}, collectionFormat: tsv}",
            "tsv",
            "`\\t`",
        ),
    ] {
        let model = openapi_crate_gen_core::Document::read("a.yaml", with_parameter(parameter).as_bytes())
            .and_then(openapi_crate_gen_core::Document::model)
            .unwrap_or_else(|e| panic!("{e}"));
        let at = "#/paths/~1a~1{ids}/get/parameters/0/collectionFormat";
        let warning = model.warnings().iter().find(|w| w.pointer == at);
        let warning = warning.unwrap_or_else(|| panic!("a warning at {at}: {:#?}", model.warnings()));
        assert!(
            warning.message.contains(&format!("`collectionFormat: {format}`")),
            "{warning:?}"
        );
        assert!(warning.message.contains(joined), "{warning:?}");
        let param = model.api().operations[0].params.iter().find(|p| {
            p.wire
                .eq_ignore_ascii_case(if format == "ssv" { "X-Ids" } else { "ids" })
        });
        assert_eq!(param.map(|p| &p.ty), Some(&Ty::String), "{parameter}");
    }
    let nested =
        "{name: ids, in: query, type: array, items: {type: array, items: {type: string}, collectionFormat: pipes}}";
    let model = openapi_crate_gen_core::Document::read("a.yaml", with_parameter(nested).as_bytes())
        .and_then(openapi_crate_gen_core::Document::model)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        model.warnings()[0].pointer,
        "#/paths/~1a~1{ids}/get/parameters/0/items/collectionFormat"
    );
    assert_eq!(model.api().operations[0].params[0].ty, Ty::Vec(Box::new(Ty::String)));
}

#[test]
fn errors_found_after_the_upgrade_point_into_the_2_0_document() {
    let doc = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {in: body, name: b, schema: {$ref: '#/definitions/Missing'}}\n      responses:\n        '200': {description: ok, schema: {$ref: '#/definitions/Thing'}}\ndefinitions:\n  Thing:\n    type: object\n    properties:\n      other: {$ref: '#/definitions/Nowhere'}\n";
    let e = refused(doc);
    assert_eq!(e.pointer, "#/definitions/Thing/properties/other/$ref", "{e}");
    assert!(e.message.contains("#/definitions/Nowhere"), "{e}");
}
