//! Stage 2c: keywords whose value is not of the JSON type OpenAPI gives them (`pattern: 0`,
//! `minLength: -1`, `required: yes`, `exclusiveMinimum: 5` in a 3.0 document) are mended or
//! left out, each with a warning at its node, so one bad keyword costs that keyword and not the
//! whole document.
//!
//! The same walk keeps each schema's `xml` object as the extension `x-xml`, which openapiv3
//! would otherwise drop.
//!
//! The walk follows the grammar ([`crate::grammar`]) through every schema, parameter,
//! operation, response and header of the 3.0 document. Mending is kept to readings that are
//! certainly meant: `"true"` as `true`, a 3.1 number bound as the 3.0 bound and flag, the text
//! items of a `required` list. Anything else is left out.

use crate::error::Warning;
use crate::grammar::{child, each_held, Kind};
use crate::pointer::Pointer;
use serde_json::{Map, Value};

/// The JSON type a keyword's value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Text,
    Flag,
    Number,
    /// A whole number from 0.
    Count,
    /// A list of text.
    Names,
    List,
    Object,
    /// An object or a boolean (`additionalProperties`).
    ObjectOrFlag,
    /// A list of objects (`allOf`).
    Objects,
}

impl Expect {
    fn words(self) -> &'static str {
        match self {
            Expect::Text => "text",
            Expect::Flag => "true or false",
            Expect::Number => "a number",
            Expect::Count => "a whole number from 0",
            Expect::Names => "a list of names",
            Expect::List => "a list",
            Expect::Object => "an object",
            Expect::ObjectOrFlag => "an object or true or false",
            Expect::Objects => "a list of objects",
        }
    }

    fn holds(self, value: &Value) -> bool {
        match self {
            Expect::Text => value.is_string(),
            Expect::Flag => value.is_boolean(),
            Expect::Number => value.is_number(),
            Expect::Count => value.is_u64(),
            Expect::Names => value.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
            Expect::List => value.is_array(),
            Expect::Object => value.is_object(),
            Expect::ObjectOrFlag => value.is_object() || value.is_boolean(),
            Expect::Objects => value.as_array().is_some_and(|a| a.iter().all(Value::is_object)),
        }
    }
}

/// What `key` in a node of `kind` must hold; `None` for keys this step leaves alone.
fn expected(kind: Kind, key: &str) -> Option<Expect> {
    use Expect::*;
    use Kind::{Header, Operation, Parameter, RequestBody, Response, Schema};
    Some(match (kind, key) {
        (Schema, "title" | "description" | "pattern" | "format" | "type") => Text,
        (Schema, "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems") => Flag,
        (Schema, "exclusiveMinimum" | "exclusiveMaximum") => Flag,
        (Schema, "minimum" | "maximum" | "multipleOf") => Number,
        (Schema, "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties") => Count,
        (Schema, "required") => Names,
        (Schema, "enum") => List,
        (Schema, "properties" | "items" | "not" | "discriminator" | "externalDocs" | "xml") => Object,
        (Schema, "additionalProperties") => ObjectOrFlag,
        (Schema, "allOf" | "oneOf" | "anyOf") => Objects,
        (Parameter | Header, "description" | "style") => Text,
        (Parameter | Header, "required" | "deprecated" | "allowEmptyValue" | "explode" | "allowReserved") => Flag,
        (Operation, "summary" | "description" | "operationId") => Text,
        (Operation, "deprecated") => Flag,
        (Operation, "tags") => Names,
        (RequestBody, "description") | (Response, "description") => Text,
        (RequestBody, "required") => Flag,
        _ => return None,
    })
}

/// Mends or leaves out every keyword of the wrong type in the 3.0 document `doc`; returns
/// the warnings, at pointers into `doc`.
pub(crate) fn mend(doc: &mut Value) -> Vec<Warning> {
    let mut warnings = Vec::new();
    walk(doc, Kind::Document, &Pointer::root(), &mut warnings);
    warnings
}

fn walk(node: &mut Value, kind: Kind, at: &Pointer, warnings: &mut Vec<Warning>) {
    let Value::Object(map) = node else { return };
    // A reference's siblings are not read.
    if map.contains_key("$ref") {
        return;
    }
    mend_keywords(map, kind, at, warnings);
    // openapiv3 reads no `xml` object; as an extension it reaches the model.
    if kind == Kind::Schema {
        if let Some(xml) = map.remove("xml") {
            map.insert("x-xml".to_owned(), xml);
        }
    }
    for (key, value) in map.iter_mut() {
        let Some((holds, inner)) = child(kind, key) else {
            continue;
        };
        let at = at.join(key);
        let walked: Result<(), std::convert::Infallible> = each_held(value, holds, &mut |v, step| {
            walk(v, inner, &step.from(&at), warnings);
            Ok(())
        });
        let Ok(()) = walked;
    }
}

/// Checks the keywords of one node.
fn mend_keywords(map: &mut Map<String, Value>, kind: Kind, at: &Pointer, warnings: &mut Vec<Warning>) {
    let wrong: Vec<(String, Expect)> = map
        .iter()
        .filter_map(|(key, value)| {
            let expect = expected(kind, key)?;
            (!expect.holds(value)).then(|| (key.clone(), expect))
        })
        .collect();
    for (key, expect) in wrong {
        let Some(value) = map.remove(&key) else { continue };
        let shown = shown(&value);
        let mut warn = |what: String| {
            warnings.push(Warning {
                file: None,
                pointer: at.join(&key),
                message: format!("`{key}: {shown}` is not {}: {what}", expect.words()),
            })
        };
        match mended(&key, expect, &value, map) {
            Some(Mended::Value(v)) => {
                warn(format!("read as `{}`", self::shown(&v)));
                map.insert(key, v);
            }
            Some(Mended::Bound(bound, n)) => {
                warn(format!("read as OpenAPI 3.1 says, `{bound}: {n}` not included"));
                map.insert(bound.to_owned(), n);
                map.insert(key, Value::Bool(true));
            }
            None => warn("left out".to_owned()),
        }
    }
}

/// A keyword's value read the way it was certainly meant.
enum Mended {
    Value(Value),
    /// A 3.1 exclusive bound (a number): the 3.0 bound keyword and its value.
    Bound(&'static str, Value),
}

fn mended(key: &str, expect: Expect, value: &Value, map: &Map<String, Value>) -> Option<Mended> {
    match (expect, value) {
        (Expect::Flag, Value::Number(n)) if key.starts_with("exclusiveM") => {
            let bound = if key == "exclusiveMinimum" {
                "minimum"
            } else {
                "maximum"
            };
            // Both bounds at once say two things 3.0 cannot: the plain one is kept.
            (!map.contains_key(bound)).then(|| Mended::Bound(bound, Value::Number(n.clone())))
        }
        (Expect::Text, Value::Array(_)) if key == "type" => match super::one_type(Some(value)) {
            (Some(one), _) => Some(Mended::Value(Value::String(one))),
            (None, _) => None,
        },
        // YAML 1.1 words as well: documents written for it say `required: yes`.
        (Expect::Flag, Value::String(s)) => match s.as_str() {
            "true" | "yes" => Some(Mended::Value(Value::Bool(true))),
            "false" | "no" => Some(Mended::Value(Value::Bool(false))),
            _ => None,
        },
        (Expect::Names, Value::Array(items)) => Some(Mended::Value(Value::Array(
            items.iter().filter(|i| i.is_string()).cloned().collect(),
        ))),
        (Expect::Objects, Value::Array(items)) => Some(Mended::Value(Value::Array(
            items.iter().filter(|i| i.is_object()).cloned().collect(),
        ))),
        (Expect::Count | Expect::Number, Value::String(s)) => {
            let n: serde_json::Number = s.trim().parse().ok()?;
            let v = Value::Number(n);
            expect.holds(&v).then_some(Mended::Value(v))
        }
        _ => None,
    }
}

/// A value as a warning shows it: JSON, cut short.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}
