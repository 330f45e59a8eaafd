//! What each node of a document is, from where it sits: the part of the OpenAPI grammar that
//! `bundle` needs to know which section of `components` a referenced node belongs in, and
//! that `normalize::keywords` walks to check the keywords of each kind of node.

use crate::parse::SpecVersion;

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
