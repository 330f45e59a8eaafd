//! `spec/` states the same facts as the published WP Engine document, in its own words.
//!
//! Both documents are compared with the prose (descriptions, summaries, examples) and the AWS
//! gateway extensions removed: everything left (paths, operations, operationIds, parameters,
//! schemas, types, formats, enums, required lists, x-nullable, responses) must be equal.

use serde_json::Value;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn published() -> Value {
    let path = root().join("../shared/wpengine/swagger-v1.10.0.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (../shared must sit beside the checkout)", path.display()));
    serde_json::from_str(&text).expect("the published document is JSON")
}

fn ours() -> Value {
    let path = root().join("spec/wpengine-v1.10.0.yaml");
    let text = std::fs::read_to_string(&path).expect("spec/ is readable");
    serde_yaml::from_str(&text).expect("spec/ is YAML")
}

/// Removes prose and gateway extensions, keeping facts. `in_properties` marks a map whose keys
/// are property names (a property may be called `description`).
fn facts(v: &Value, in_properties: bool) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, v)| {
                    in_properties
                        || !(matches!(k.as_str(), "example" | "x-example" | "examples")
                            || k.starts_with("x-amazon-apigateway")
                            || (matches!(k.as_str(), "description" | "summary") && v.is_string()))
                })
                .map(|(k, v)| (k.clone(), facts(v, !in_properties && k == "properties")))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| facts(x, false)).collect()),
        other => other.clone(),
    }
}

fn prose(v: &Value, in_properties: bool, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match x {
                    Value::String(s) if !in_properties && matches!(k.as_str(), "description" | "summary") => {
                        out.push(s.trim().to_owned())
                    }
                    _ => prose(x, !in_properties && k == "properties", out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| prose(x, false, out)),
        _ => {}
    }
}

#[test]
fn spec_states_the_published_facts() {
    let (theirs, ours) = (facts(&published(), false), facts(&ours(), false));
    // Compare section by section first, for a readable failure.
    for key in [
        "swagger",
        "info",
        "host",
        "basePath",
        "schemes",
        "securityDefinitions",
        "parameters",
    ] {
        assert_eq!(
            ours.get(key),
            theirs.get(key),
            "`{key}` differs from the published document"
        );
    }
    for (path, item) in theirs["paths"].as_object().expect("paths") {
        assert_eq!(
            ours["paths"].get(path),
            Some(item),
            "path {path} differs from the published document"
        );
    }
    for (name, def) in theirs["definitions"].as_object().expect("definitions") {
        assert_eq!(
            ours["definitions"].get(name),
            Some(def),
            "definition {name} differs from the published document"
        );
    }
    assert_eq!(ours, theirs);
}

#[test]
fn spec_has_the_published_shape() {
    let doc = ours();
    let operations: usize = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| {
            item.as_object()
                .map_or(0, |m| m.keys().filter(|k| k.as_str() != "parameters").count())
        })
        .sum();
    assert_eq!(operations, 50);
    assert_eq!(doc["definitions"].as_object().map(|d| d.len()), Some(46));
    let text = std::fs::read_to_string(root().join("spec/wpengine-v1.10.0.yaml")).expect("readable");
    assert!(
        !text.contains("x-amazon-apigateway"),
        "the gateway extensions are left out"
    );
}

#[test]
fn spec_descriptions_are_written_afresh() {
    let mut theirs = Vec::new();
    prose(&published(), false, &mut theirs);
    let mut mine = Vec::new();
    prose(&ours(), false, &mut mine);
    assert!(mine.len() > 500, "descriptions are kept: {} found", mine.len());
    let copied: Vec<&String> = mine.iter().filter(|d| d.len() > 30 && theirs.contains(d)).collect();
    assert!(
        copied.is_empty(),
        "descriptions copied verbatim from the published document: {copied:#?}"
    );
}

/// Each operation's description, by `METHOD path`; operations without one are left out.
fn operation_descriptions(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if let Some(text) = op.get("description").and_then(Value::as_str) {
                let text = text.trim();
                if !text.is_empty() {
                    out.push((format!("{} {path}", method.to_uppercase()), text.to_owned()));
                }
            }
        }
    }
    out
}

/// Operations that share one description: each group, by the description.
fn shared_descriptions(doc: &Value) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut by_text: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for (operation, text) in operation_descriptions(doc) {
        by_text.entry(text).or_default().push(operation);
    }
    by_text.retain(|_, operations| operations.len() > 1);
    by_text
}

/// Every operation describes itself: a description that several operations share in `spec/`
/// is one the published document also gives to exactly those operations.
#[test]
fn no_operation_borrows_another_ones_description() {
    let published = shared_descriptions(&published());
    let wrong: Vec<(String, Vec<String>)> = shared_descriptions(&ours())
        .into_iter()
        .filter(|(text, operations)| published.get(text) != Some(operations))
        .collect();
    assert!(
        wrong.is_empty(),
        "operations in spec/ that share a description the published document does not give them: {wrong:#?}"
    );
}
