//! What each node of a document is, from where it sits: the part of the OpenAPI grammar that
//! `bundle` needs to know which section of `components` a referenced node belongs in, and
//! that `normalize::keywords` walks to check the keywords of each kind of node.

use crate::parse::SpecVersion;
use crate::pointer::Pointer;
use serde_json::Value;

/// The kind of a node, as its position in the document says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Header,
    MediaType,
    Encoding,
    Schema,
    Example,
    Link,
    Callback,
    SecurityScheme,
}

/// How a key holds nodes of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holds {
    /// One node.
    One,
    /// A map of names to nodes.
    Map,
    /// A list of nodes (or one node, as `items` may be).
    List,
}

/// The step from a key's value to a node it holds: none (the value is the node), a name in a
/// map, or a place in a list.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    Here,
    Name(&'a str),
    Index(usize),
}

impl Step<'_> {
    /// `at` with this step taken.
    pub(crate) fn from(self, at: &Pointer) -> Pointer {
        match self {
            Step::Here => at.clone(),
            Step::Name(name) => at.join(name),
            Step::Index(i) => at.join(i),
        }
    }
}

/// Calls `f` on each node `value` holds as `holds` says (a list's `One` node is the value
/// itself, as `items` may be one schema), with the step to it; stops at the first error.
pub(crate) fn each_held<E>(
    value: &mut Value,
    holds: Holds,
    f: &mut impl FnMut(&mut Value, Step<'_>) -> Result<(), E>,
) -> Result<(), E> {
    match (holds, value) {
        (Holds::Map, Value::Object(map)) => {
            for (name, v) in map.iter_mut() {
                f(v, Step::Name(name))?;
            }
        }
        (Holds::List, Value::Array(items)) => {
            for (i, v) in items.iter_mut().enumerate() {
                f(v, Step::Index(i))?;
            }
        }
        (Holds::One | Holds::List, v) => f(v, Step::Here)?,
        (Holds::Map, _) => {}
    }
    Ok(())
}

/// What the value under `key` in a node of `kind` holds; `None` for data (examples, defaults,
/// enums, extensions, keys OpenAPI does not define there), where a `$ref` key is not a
/// reference.
pub(crate) fn child(kind: Kind, key: &str) -> Option<(Holds, Kind)> {
    use Holds::{List, Map, One};
    use Kind::*;
    let found = match (kind, key) {
        (Document, "paths" | "webhooks" | "x-webhooks") => (Map, PathItem),
        (Document, "components") => (One, Components),
        (Document, "definitions") | (Components, "schemas") => (Map, Schema),
        (Document | Components, "parameters") => (Map, Parameter),
        (Document | Components, "responses") => (Map, Response),
        (Components, "requestBodies") => (Map, RequestBody),
        (Components, "headers") | (Encoding, "headers") => (Map, Header),
        (Components, "examples") | (Parameter | Header | MediaType, "examples") => (Map, Example),
        (Components, "links") => (Map, Link),
        (Components, "callbacks") | (Operation, "callbacks") => (Map, Callback),
        (Components, "securitySchemes") | (Document, "securityDefinitions") => (Map, SecurityScheme),
        (Components, "pathItems") => (Map, PathItem),
        // A callback maps expressions to path items.
        (Callback, _) => (One, PathItem),
        (PathItem, "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace") => (One, Operation),
        (PathItem | Operation, "parameters") => (List, Parameter),
        (Operation, "requestBody") => (One, RequestBody),
        (Operation, "responses") => (Map, Response),
        (Parameter | Header | MediaType | Response, "schema") => (One, Schema),
        (Parameter | Header | RequestBody | Response, "content") => (Map, MediaType),
        (Response, "headers") => (Map, Header),
        (Response, "links") => (Map, Link),
        (MediaType, "encoding") => (Map, Encoding),
        (Schema, "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas") => (Map, Schema),
        (Schema, "items" | "prefixItems" | "allOf" | "oneOf" | "anyOf") => (List, Schema),
        (
            Schema,
            "not"
            | "additionalProperties"
            | "additionalItems"
            | "contains"
            | "if"
            | "then"
            | "else"
            | "propertyNames"
            | "unevaluatedProperties"
            | "unevaluatedItems"
            | "contentSchema",
        ) => (One, Schema),
        _ => return None,
    };
    Some(found)
}

/// The map at `tokens` in `doc` (a section, `["components", "schemas"]`), if there is one.
pub(crate) fn section_map<'v>(doc: &'v Value, tokens: &[&str]) -> Option<&'v serde_json::Map<String, Value>> {
    tokens.iter().try_fold(doc, |node, key| node.get(key))?.as_object()
}

/// The map at `tokens` in `doc`, made (empty) where it is missing; `None` when something
/// on the way is not an object.
pub(crate) fn section_map_mut<'v>(
    doc: &'v mut Value,
    tokens: &[&str],
) -> Option<&'v mut serde_json::Map<String, Value>> {
    let mut node = doc;
    for key in tokens {
        node = node
            .as_object_mut()?
            .entry(*key)
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
    }
    node.as_object_mut()
}

/// The component section a referenced node of `kind` is copied into, as pointer tokens
/// (`["components", "schemas"]`, or `["definitions"]` in 2.0); `None` for a kind that is
/// copied in place of the reference (path items, and kinds 2.0 has no section for).
pub(crate) fn section(kind: Kind, version: SpecVersion) -> Option<&'static [&'static str]> {
    use Kind::*;
    if version == SpecVersion::Swagger2 {
        return match kind {
            Schema => Some(&["definitions"]),
            Parameter => Some(&["parameters"]),
            Response => Some(&["responses"]),
            _ => None,
        };
    }
    Some(match kind {
        Schema => &["components", "schemas"],
        Parameter => &["components", "parameters"],
        Response => &["components", "responses"],
        RequestBody => &["components", "requestBodies"],
        Header => &["components", "headers"],
        Example => &["components", "examples"],
        Link => &["components", "links"],
        Callback => &["components", "callbacks"],
        SecurityScheme => &["components", "securitySchemes"],
        _ => return None,
    })
}
