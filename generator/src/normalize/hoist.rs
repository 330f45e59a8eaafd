//! Stage 2b: `$ref`s that point anywhere but `#/components/{section}/NAME` (into another
//! schema's properties, into an operation's response, ...) become references to components.
//! Schemas, responses, parameters, request bodies and headers are handled.
//!
//! Real documents do this (the OpenAI and DigitalOcean descriptions point into
//! `#/components/schemas/X/properties/y` and `#/paths/.../schema`). The target is copied into
//! `components/schemas` under a name made from its pointer, and every reference to it is
//! rewritten, so the model only ever resolves component references and a schema reached by two
//! routes is one type. Done on the JSON document, after the 2.0 upgrade and before
//! deserialization.

use crate::error::Origins;
use crate::names::{camel, unique};
use crate::pointer::{unescape_token, Pointer};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Replaces each path item that is a `$ref` to a local pointer (`#/paths/...` or, in 3.1,
/// `#/components/pathItems/...`) with a copy of its target; references that do not resolve are
/// left for the model to report.
pub(crate) fn inline_path_items(doc: &mut Value) {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut replacements = Vec::new();
    for (path, item) in paths {
        let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        let mut found = target(doc, reference);
        // A reference to another reference is followed, a few steps at most.
        for _ in 0..8 {
            match found.and_then(|t| t.get("$ref")).and_then(Value::as_str) {
                Some(next) => found = target(doc, next),
                None => break,
            }
        }
        if let Some(t) = found.filter(|t| t.is_object() && t.get("$ref").is_none()) {
            replacements.push((path.clone(), t.clone()));
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in replacements {
            paths.insert(path, item);
        }
    }
}

/// Hoists every deep reference whose target exists; references to nothing are left for the
/// model to report with their location.
///
/// Returns where each copy came from, so errors found in a copy point into the user's document.
pub(crate) fn hoist_schema_refs(doc: &mut Value) -> Origins {
    // (section, target pointer) to the component name it was copied to; kept across rounds,
    // because a copy may itself hold deep references (to itself, even), rewritten next round.
    let mut hoisted: BTreeMap<(Section, String), String> = BTreeMap::new();
    loop {
        let fresh: BTreeSet<(Section, String)> = collect(doc)
            .into_iter()
            .filter(|(section, r)| is_deep(*section, r) && !hoisted.contains_key(&(*section, r.clone())))
            .collect();
        // The names taken in each section: its components, earlier rounds' copies among them.
        let mut taken: BTreeMap<Section, BTreeSet<String>> = BTreeMap::new();
        let mut copies = Vec::new();
        for (section, reference) in fresh {
            let Some(node) = target(doc, &reference).cloned() else {
                continue;
            };
            let names = taken.entry(section).or_insert_with(|| component_names(doc, section));
            let name = unique(names, name_for(&reference));
            copies.push((section, name.clone(), node));
            hoisted.insert((section, reference), name);
        }
        if copies.is_empty() {
            break;
        }
        for (section, name, node) in copies {
            if let Some(entries) = crate::grammar::section_map_mut(doc, &["components", section.key()]) {
                entries.insert(name, node);
            }
        }
        rewrite(doc, &hoisted);
    }
    let mut origins = Origins::default();
    for ((section, reference), name) in hoisted {
        let copy = Pointer::at(&["components", section.key()]).join(name);
        let original = percent_decode(&reference).unwrap_or(reference);
        // A hoisted target is a local reference (`is_deep`), so it reads as a pointer.
        if let Some(original) = Pointer::parse(&original) {
            origins.add(copy, original);
        }
    }
    origins
}

/// A local reference that is not `#/components/{section}/NAME`.
fn is_deep(section: Section, reference: &str) -> bool {
    match reference.strip_prefix(&format!("#/components/{}/", section.key())) {
        Some(name) => name.contains('/'),
        None => reference.starts_with("#/"),
    }
}

/// The object `reference` points to. A fragment may percent-encode characters (`%7B` for `{`),
/// as URI fragments do.
fn target<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    follow(doc, pointer, 0)
        .or_else(|| follow(doc, &percent_decode(pointer)?, 0))
        .filter(|v| v.is_object())
}

/// Evaluates a JSON pointer, passing through `$ref`s on the way (a pointer into
/// `responses/401/content/...` where `401` is itself a reference to a component response).
fn follow<'a>(doc: &'a Value, pointer: &str, depth: usize) -> Option<&'a Value> {
    if depth > 32 {
        return None;
    }
    let mut node = doc;
    for token in pointer.split('/').skip(1) {
        let token = unescape_token(token);
        let next = match node {
            Value::Object(map) => match map.get(&token) {
                Some(child) => Some(child),
                None => match map.get("$ref") {
                    Some(Value::String(r)) => {
                        follow(doc, r.strip_prefix('#')?, depth + 1).and_then(|target| target.get(&token))
                    }
                    _ => None,
                },
            },
            Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        node = next?;
    }
    Some(node)
}

/// `text` with `%XX` escapes decoded, or `None` if it has none.
fn percent_decode(text: &str) -> Option<String> {
    text.contains('%').then(|| crate::sources::percent_decoded(text))
}

fn component_names(doc: &Value, section: Section) -> BTreeSet<String> {
    crate::grammar::section_map(doc, &["components", section.key()])
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// A component name from the pointer's meaningful tokens:
/// `#/components/schemas/Req/properties/logit_bias` gives `ReqLogitBias`.
fn name_for(reference: &str) -> String {
    const STRUCTURAL: [&str; 13] = [
        "paths",
        "components",
        "schemas",
        "properties",
        "items",
        "content",
        "schema",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "parameters",
        "requestBodies",
    ];
    let pointer = reference.trim_start_matches('#');
    let decoded = percent_decode(pointer);
    let words: Vec<String> = decoded
        .as_deref()
        .unwrap_or(pointer)
        .split('/')
        .map(unescape_token)
        // Media types (`application/json`) add nothing; paths (`/v2/1-clicks`) do.
        .filter(|t| !t.is_empty() && !STRUCTURAL.contains(&t.as_str()) && (!t.contains('/') || t.starts_with('/')))
        .collect();
    let name = camel(&words.join(" "));
    if name == "Value" {
        "Schema".to_owned()
    } else {
        name
    }
}

/// What a position in the document holds, and the `components` section for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Schemas,
    Responses,
    Parameters,
    RequestBodies,
    Headers,
}

impl Section {
    fn key(self) -> &'static str {
        match self {
            Section::Schemas => "schemas",
            Section::Responses => "responses",
            Section::Parameters => "parameters",
            Section::RequestBodies => "requestBodies",
            Section::Headers => "headers",
        }
    }
}

/// Calls `f` on every node at or below `node` that is a schema, response, parameter, request
/// body or header (or a reference to one); `section` says what `node` itself is, if anything.
/// Only keys that hold such nodes are followed: a schema's examples, defaults and enums and any
/// extension are data, where a `$ref` key is not a reference.
fn for_each_node(node: &mut Value, section: Option<Section>, f: &mut impl FnMut(Section, &mut Value)) {
    if let Some(section) = section {
        f(section, node);
    }
    let in_schema = section == Some(Section::Schemas);
    let Some(map) = node.as_object_mut() else {
        if let Some(items) = node.as_array_mut() {
            items.iter_mut().for_each(|v| for_each_node(v, None, f));
        }
        return;
    };
    let each = |value: &mut Value, section: Section, f: &mut dyn FnMut(&mut Value, Option<Section>)| match value {
        Value::Object(m) => m.values_mut().for_each(|v| f(v, Some(section))),
        Value::Array(a) => a.iter_mut().for_each(|v| f(v, Some(section))),
        _ => {}
    };
    for (key, value) in map.iter_mut() {
        let mut visit = |v: &mut Value, s: Option<Section>| for_each_node(v, s, f);
        match key.as_str() {
            "schema" => visit(value, Some(Section::Schemas)),
            "items" | "additionalProperties" | "not" if in_schema => visit(value, Some(Section::Schemas)),
            "allOf" | "oneOf" | "anyOf" | "properties" if in_schema => each(value, Section::Schemas, &mut visit),
            // In a schema these hold data; outside one, `default` is also a response.
            "example" | "examples" | "default" | "enum" if in_schema => {}
            _ if in_schema || key.starts_with("x-") => {}
            "schemas" => each(value, Section::Schemas, &mut visit),
            "responses" => each(value, Section::Responses, &mut visit),
            "parameters" => each(value, Section::Parameters, &mut visit),
            "requestBodies" => each(value, Section::RequestBodies, &mut visit),
            "headers" => each(value, Section::Headers, &mut visit),
            "requestBody" => visit(value, Some(Section::RequestBodies)),
            _ => visit(value, None),
        }
    }
}

/// Every `$ref` in a position of a known kind, in document order.
fn collect(doc: &mut Value) -> Vec<(Section, String)> {
    let mut out = Vec::new();
    for_each_node(doc, None, &mut |section, node| {
        if let Some(Value::String(r)) = node.get("$ref") {
            out.push((section, r.clone()));
        }
    });
    out
}

/// Points the references to hoisted targets at their components.
fn rewrite(doc: &mut Value, hoisted: &BTreeMap<(Section, String), String>) {
    for_each_node(doc, None, &mut |section, node| {
        if let Some(Value::String(r)) = node.get_mut("$ref") {
            if let Some(name) = hoisted.get(&(section, r.clone())) {
                *r = Pointer::at(&["components", section.key()]).join(name).to_string();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_references_become_components() {
        let mut doc = json!({
            "openapi": "3.0.0",
            "paths": { "/v2/1-clicks": { "get": { "responses": {
                "401": { "content": { "application/json": {
                    "example": { "$ref": "not a reference" },
                    "schema": { "type": "object", "properties": { "id": { "type": "string" } } } } } },
                "default": { "content": { "application/json": {
                    "schema": { "$ref": "#/paths/~1v2~11-clicks/get/responses/401/content/application~1json/schema" } } } }
            } } },
            "/v2/other": { "get": { "responses": {
                "401": { "$ref": "#/paths/~1v2~11-clicks/get/responses/401" } } } } },
            "components": { "schemas": {
                "Req": { "type": "object", "properties": { "bias": { "type": "object", "properties": {
                    "again": { "$ref": "#/components/schemas/Req/properties/bias" } } } } },
                "Other": { "properties": { "bias": { "$ref": "#/components/schemas/Req/properties/bias" } } }
            } }
        });
        hoist_schema_refs(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            doc.pointer("/paths/~1v2~11-clicks/get/responses/default/content/application~1json/schema/$ref"),
            Some(&json!("#/components/schemas/V21ClicksGetResponses401"))
        );
        assert_eq!(
            schemas["V21ClicksGetResponses401"]["properties"]["id"],
            json!({ "type": "string" })
        );
        // A response that points at another operation's response becomes a component response.
        assert_eq!(
            doc.pointer("/paths/~1v2~1other/get/responses/401/$ref"),
            Some(&json!("#/components/responses/V21ClicksGetResponses401"))
        );
        assert!(doc["components"]["responses"]["V21ClicksGetResponses401"]["content"].is_object());
        // A copy that refers to itself points at its own component.
        assert_eq!(
            schemas["Other"]["properties"]["bias"]["$ref"],
            json!("#/components/schemas/ReqBias")
        );
        assert_eq!(
            schemas["ReqBias"]["properties"]["again"]["$ref"],
            json!("#/components/schemas/ReqBias")
        );
        assert_eq!(
            doc.pointer("/paths/~1v2~11-clicks/get/responses/401/content/application~1json/example"),
            Some(&json!({ "$ref": "not a reference" }))
        );
    }
}
