//! Stage 3: the OpenAPI document as plain data the emitters read.
//!
//! Every `$ref` is resolved, every inline schema that needs a Rust type gets a stable name
//! (`Parent` + `Property`, `Operation` + `Request`/`Response`), names are made Rust-safe and
//! collisions are settled in document order, and operations are normalised: parameters merged
//! and typed, the body chosen, responses split into the success type and typed error cases.
//!
//! Fallbacks (documented in the generator's README): `not` and schemas without a type become
//! `serde_json::Value`; integer enums become plain integers.

mod constraints;
mod security;

pub use constraints::Constraints;
pub use security::{SchemeKind, SecurityScheme};

use crate::error::{join, unescape_token, Located};
use crate::names::{self, camel, snake, unique, Namer};
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StatusCode,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet};

/// The whole API, ready for emission.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server URL, with variables replaced by their defaults.
    pub base_url: String,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// The distinct error body types, one variant each of the generated `ErrorBody` enum.
    pub error_bodies: Vec<String>,
    /// The security schemes the client can satisfy, in document order.
    pub security_schemes: Vec<SecurityScheme>,
    /// Where each of `types` is, by name.
    index: TypeIndex,
}

/// The position of each generated type in the list of types, by name, so that finding a type
/// does not scan the list. It is a cache: a lookup checks the name it finds and falls back to a
/// scan if the list was edited after the model was built.
#[derive(Debug, Clone, Default)]
struct TypeIndex(std::collections::HashMap<String, usize>);

impl TypeIndex {
    fn insert(&mut self, name: &str, position: usize) {
        self.0.insert(name.to_owned(), position);
    }

    /// Where the type called `name` is in `types`.
    fn position(&self, types: &[TypeDef], name: &str) -> Option<usize> {
        let position = *self.0.get(name)?;
        match types.get(position) {
            Some(t) if t.name == name => Some(position),
            _ => types.iter().position(|t| t.name == name),
        }
    }

    fn find<'a>(&self, types: &'a [TypeDef], name: &str) -> Option<&'a TypeDef> {
        self.position(types, name).map(|i| &types[i])
    }
}

impl PartialEq for TypeIndex {
    /// Always equal: the index follows from the list of types, which `Api` compares itself.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A Rust type as the generated code spells it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    /// A generated type, by its Rust name.
    Named(String),
    String,
    Bool,
    I32,
    I64,
    /// An int64 carried as a JSON string (proto3 JSON mapping): `i64` in Rust.
    I64String,
    F32,
    F64,
    Uuid,
    DateTime,
    Date,
    /// Raw bytes (`format: binary`).
    Bytes,
    /// Anything: `serde_json::Value`.
    Json,
    Vec(Box<Ty>),
    Map(Box<Ty>),
    /// An array item or map value that may be null: `Option<T>`.
    Nullable(Box<Ty>),
}

/// A named type definition.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Vec<Field>),
    /// A string enum; the emitted enum also keeps values it does not list.
    Enum(Vec<Variant>),
    Alias(Ty),
    /// `oneOf`/`anyOf`: one of several shapes. Untagged (the first variant that decodes wins)
    /// unless a discriminator names the variant.
    Union {
        variants: Vec<UnionVariant>,
        discriminator: Option<Discriminator>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub ty: Ty,
    pub doc: Option<String>,
    /// Held in a `Box` because the variant contains the union itself (recursion).
    pub boxed: bool,
}

/// The property whose value says which variant of a union a value is, and each variant's
/// values of it (in the order of the union's variants).
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    pub property: String,
    pub values: Vec<Vec<String>>,
    /// The variant that keeps, as raw JSON, a value whose property names no listed variant.
    pub unknown: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub wire: String,
    pub ty: Ty,
    /// `Option<ty>` in Rust: not required, or nullable.
    pub optional: bool,
    /// Left out of the JSON when `None` (not required).
    pub skip_if_none: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// Held in a `Box` because the field's type contains the struct itself (recursion).
    pub boxed: bool,
    /// Declared bounds, lengths, pattern or item counts.
    pub constraints: Option<Constraints>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub wire: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub wire: String,
    pub location: Location,
    pub ty: Ty,
    pub required: bool,
    pub doc: Option<String>,
    /// Declared bounds, lengths, pattern or item counts, checked before sending.
    pub constraints: Option<Constraints>,
    /// How an array or object value is written (`style`), and `explode`.
    pub style: ParamStyle,
    pub explode: bool,
    /// The value is an array, object or anything else that is not one plain scalar, so it is
    /// written by `style` rather than as text.
    pub structured: bool,
}

/// OpenAPI's parameter `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Form,
    Simple,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: Ty,
    pub required: bool,
    pub doc: Option<String>,
    pub media_type: String,
    pub encoding: BodyEncoding,
}

/// How a request body is written.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyEncoding {
    Json,
    /// `application/x-www-form-urlencoded`; these fields (wire names) are written in another
    /// style than the default (`form`, exploded), as the media type's `encoding` says.
    Form {
        styled: Vec<(String, ParamStyle, bool)>,
    },
    /// `multipart/form-data`: one part per field; these fields (wire names) are files.
    Multipart {
        files: Vec<String>,
    },
    /// The bytes or text as they are, with the declared media type.
    Raw,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// No body is declared (e.g. 204).
    Unit,
    /// A JSON body of this type.
    Json(Ty),
    /// A 2xx without a declared schema that may still carry JSON: `serde_json::Value`, `Null` when empty.
    Untyped,
    /// A `text/*` body: `String`.
    Text,
    /// Binary data (`application/octet-stream`, images, archives, ...): `bytes::Bytes`.
    Bytes,
    /// Several 2xx statuses with different bodies: the enum `name`, one variant per status.
    Outcomes { name: String, cases: Vec<Outcome> },
}

/// One documented 2xx status of an operation whose statuses answer differently.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: StatusKey,
    /// The variant's name, from the status (`Ok`, `Created`, `NoContent`, ...).
    pub variant: String,
    /// What the status carries; never `Outcomes`.
    pub body: Success,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusKey {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCase {
    pub status: StatusKey,
    /// The `ErrorBody` variant (the type's name) the body decodes into, if a schema is declared.
    pub body: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// snake_case method name on the client.
    pub method_name: String,
    /// Name of the request builder type.
    pub builder_name: String,
    pub operation_id: Option<String>,
    /// Upper-case HTTP method.
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: Success,
    pub errors: Vec<ErrorCase>,
    /// Alternative sets of security scheme names (see [`SecurityScheme`]); empty when the
    /// operation needs no credentials, and an empty set among others makes them optional.
    pub security: Vec<Vec<String>>,
    pub deprecated: bool,
    /// Set when the operation pages with `limit`/`offset` and answers `results` and `next`.
    pub pagination: Option<Pagination>,
    /// The `Accept` header, when the successful answers are not JSON.
    pub accept: Option<String>,
}

/// How an offset-paginated list operation pages, detected from the document's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The builder field of the `offset` query parameter.
    pub offset_param: String,
    /// The response field holding the page's items, and whether it is an `Option`.
    pub results_field: String,
    pub results_optional: bool,
    /// The response field that is null or absent on the last page.
    pub next_field: String,
    pub next_optional: bool,
    /// The type of one item.
    pub item: Ty,
}

struct Builder<'a> {
    doc: &'a OpenAPI,
    namer: Namer,
    /// Component schema name to Rust type name.
    components: BTreeMap<String, String>,
    types: Vec<TypeDef>,
    index: TypeIndex,
    /// The supported security schemes.
    schemes: Vec<SecurityScheme>,
    /// The type defined for each inline schema, by its JSON pointer.
    inline_types: std::collections::HashMap<String, String>,
}

/// A schema after resolution: its type, whether it may be null, and its description.
struct Resolved {
    ty: Ty,
    nullable: bool,
    doc: Option<String>,
}

/// Builds the model of a loaded document.
pub(crate) fn build(doc: &OpenAPI) -> Result<Api, Located> {
    let mut b = Builder {
        doc,
        namer: Namer::for_types(),
        components: BTreeMap::new(),
        types: Vec::new(),
        index: TypeIndex::default(),
        schemes: security::schemes(doc)?,
        inline_types: std::collections::HashMap::new(),
    };
    let schemas = doc.components.as_ref().map(|c| &c.schemas);
    // Claim every component's name first, so inline types never take a component's name.
    if let Some(schemas) = schemas {
        for name in schemas.keys() {
            let rust = b.namer.claim(&camel(name));
            b.components.insert(name.clone(), rust);
        }
        if let Some((name, chain)) = reference_cycle(schemas) {
            return Err(Located::new(
                join(&join("#/components/schemas", &name), "$ref"),
                format!(
                    "the schema is only a reference, and the chain {chain} comes back to it; give one of them a definition"
                ),
            ));
        }
        for (name, schema) in schemas {
            let ptr = join("#/components/schemas", name);
            let rust = b.components[name].clone();
            match schema {
                ReferenceOr::Reference { reference } => {
                    let target = b.reference(reference, &ptr)?;
                    b.push_type(TypeDef {
                        name: rust,
                        doc: target.doc,
                        kind: TypeKind::Alias(target.ty),
                    });
                }
                ReferenceOr::Item(s) => b.define_named(&rust, s, &ptr)?,
            }
        }
    }

    let mut operations = Vec::new();
    let mut method_names = names::scope(names::CLIENT_METHODS);
    let mut builder_names = names::scope(names::BUILDERS_MODULE_NAMES);
    for (path, item) in &doc.paths.paths {
        let ptr = join("#/paths", path);
        let item = match item {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { .. } => {
                return Err(Located::new(
                    ptr,
                    "path item references are not supported; inline the path item",
                ))
            }
        };
        for (method, op) in item.iter() {
            let op_ptr = join(&ptr, method);
            operations.push(b.operation(
                path,
                method,
                op,
                &item.parameters,
                &op_ptr,
                &mut method_names,
                &mut builder_names,
            )?);
        }
    }

    box_recursive_fields(&mut b.types, &b.index);

    let mut error_bodies = BTreeSet::new();
    for op in &operations {
        for e in &op.errors {
            if let Some(body) = &e.body {
                error_bodies.insert(body.clone());
            }
        }
    }

    Ok(Api {
        title: prose(&doc.info.title),
        version: doc.info.version.clone(),
        description: non_empty(&doc.info.description),
        base_url: base_url(doc),
        types: b.types,
        index: b.index,
        operations,
        error_bodies: error_bodies.into_iter().collect(),
        security_schemes: b.schemes,
    })
}

/// The first component (in document order) that is a `$ref` whose chain of plain references
/// comes back to it, with the chain as text (`A -> B -> A`): such a schema has no definition
/// anywhere. Each component is walked once, so long chains cost linear time.
fn reference_cycle(schemas: &indexmap::IndexMap<String, ReferenceOr<Schema>>) -> Option<(String, String)> {
    // For each component reached so far: the walk that reached it first.
    let mut walk_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (walk, start) in schemas.keys().enumerate() {
        let mut chain: Vec<&str> = Vec::new();
        let mut current = start.as_str();
        loop {
            match walk_of.get(current) {
                // Reached in an earlier walk: whatever follows was looked at then.
                Some(w) if *w != walk => break,
                Some(_) => {
                    let from = chain.iter().position(|n| *n == current).unwrap_or(0);
                    let mut cycle: Vec<&str> = chain[from..].to_vec();
                    cycle.push(current);
                    return Some((current.to_owned(), cycle.join(" -> ")));
                }
                None => {}
            }
            walk_of.insert(current, walk);
            chain.push(current);
            let Some(ReferenceOr::Reference { reference }) = schemas.get(current) else {
                break;
            };
            let Some(next) = reference.strip_prefix("#/components/schemas/") else {
                break;
            };
            let next = unescape_token(next);
            let Some((key, _)) = schemas.get_key_value(&next) else {
                break;
            };
            current = key.as_str();
        }
    }
    None
}

fn base_url(doc: &OpenAPI) -> String {
    let Some(server) = doc.servers.first() else {
        return "/".into();
    };
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    url.trim_end_matches('/').to_owned()
}

/// Text the document gives (a description, a summary), trimmed, with every line break as `\n`;
/// `None` when there is none.
fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref().map(prose).filter(|s| !s.is_empty())
}

/// Document text as generated code carries it: line breaks written `\r\n`, `\n\r` or a lone
/// `\r` become `\n` (rustc refuses a carriage return in a doc comment), and the ends trimmed.
pub(crate) fn prose(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace("\n\r", "\n")
        .replace('\r', "\n")
        .trim()
        .to_owned()
}

impl Builder<'_> {
    fn push_type(&mut self, def: TypeDef) {
        self.index.insert(&def.name, self.types.len());
        self.types.push(def);
    }

    fn reference(&self, reference: &str, ptr: &str) -> Result<Resolved, Located> {
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            return Err(Located::new(
                join(ptr, "$ref"),
                format!("expected a reference to #/components/schemas/..., found {reference}"),
            ));
        };
        let name = unescape_token(name);
        let target = self.doc.components.as_ref().and_then(|c| c.schemas.get(&name));
        let (Some(rust), Some(target)) = (self.components.get(&name), target) else {
            return Err(Located::new(
                join(ptr, "$ref"),
                format!("reference {reference} does not resolve"),
            ));
        };
        let (nullable, doc) = match target {
            ReferenceOr::Item(s) => (schema_nullable(s), non_empty(&s.schema_data.description)),
            ReferenceOr::Reference { .. } => (false, None),
        };
        Ok(Resolved {
            ty: Ty::Named(rust.clone()),
            nullable,
            doc,
        })
    }

    /// The type of a schema in some position; inline types that need a definition are named `hint`.
    fn resolve(&mut self, schema: &ReferenceOr<Schema>, hint: &str, ptr: &str) -> Result<Resolved, Located> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, ptr),
            ReferenceOr::Item(s) => self.inline(s, hint, ptr),
        }
    }

    fn resolve_boxed(&mut self, schema: &ReferenceOr<Box<Schema>>, hint: &str, ptr: &str) -> Result<Resolved, Located> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, ptr),
            ReferenceOr::Item(s) => self.inline(s, hint, ptr),
        }
    }

    fn inline(&mut self, s: &Schema, hint: &str, ptr: &str) -> Result<Resolved, Located> {
        let doc = non_empty(&s.schema_data.description);
        let nullable = schema_nullable(s);
        // `allOf`, `oneOf` or `anyOf` of one schema is that schema.
        if let Some((key, members)) = composition(s) {
            if let [(i, only)] = members.as_slice() {
                let (note, null_note) = annotations(s);
                let inner = self.resolve(only, hint, &format!("{ptr}/{key}/{i}"))?;
                return Ok(Resolved {
                    ty: inner.ty,
                    nullable: nullable || null_note || inner.nullable,
                    doc: doc.or(note).or(inner.doc),
                });
            }
        }
        let ty = if needs_definition(s) {
            // A schema reached again by its pointer (a component's property seen through an
            // `allOf` elsewhere, or a cycle back to it) is the type it already has.
            if let Some(name) = self.inline_types.get(ptr) {
                Ty::Named(name.clone())
            } else {
                let name = self.namer.claim(&camel(hint));
                self.inline_types.insert(ptr.to_owned(), name.clone());
                self.define_named(&name, s, ptr)?;
                Ty::Named(name)
            }
        } else {
            self.plain(s, hint, ptr)?
        };
        Ok(Resolved { ty, nullable, doc })
    }

    /// Types that need no definition of their own.
    fn plain(&mut self, s: &Schema, hint: &str, ptr: &str) -> Result<Ty, Located> {
        Ok(match &s.schema_kind {
            SchemaKind::Type(Type::String(t)) => string_ty(&t.format),
            SchemaKind::Type(Type::Integer(t)) => match &t.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Ty::I32,
                _ => Ty::I64,
            },
            SchemaKind::Type(Type::Number(t)) => match &t.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => Ty::F32,
                _ => Ty::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => Ty::Bool,
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => Ty::Vec(Box::new(nullable_ty(self.resolve_boxed(
                    items,
                    &format!("{hint}Item"),
                    &join(ptr, "items"),
                )?))),
                None => Ty::Vec(Box::new(Ty::Json)),
            },
            SchemaKind::Type(Type::Object(o)) => self.map_ty(&o.additional_properties, hint, ptr)?,
            SchemaKind::Any(a) => match (a.typ.as_deref(), &a.items) {
                (_, Some(items)) => Ty::Vec(Box::new(nullable_ty(self.resolve_boxed(
                    items,
                    &format!("{hint}Item"),
                    &join(ptr, "items"),
                )?))),
                (Some("string"), _) => match a.format.as_deref() {
                    Some(f) => string_ty(&VariantOrUnknownOrEmpty::Unknown(f.to_owned())),
                    None => Ty::String,
                },
                (Some("integer"), _) => {
                    if a.format.as_deref() == Some("int32") {
                        Ty::I32
                    } else {
                        Ty::I64
                    }
                }
                (Some("number"), _) => Ty::F64,
                (Some("boolean"), _) => Ty::Bool,
                (Some("object") | None, _) => self.map_ty(&a.additional_properties, hint, ptr)?,
                _ => Ty::Json,
            },
            SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::Not { .. } => {
                Ty::Json
            }
        })
    }

    fn map_ty(&mut self, extra: &Option<AdditionalProperties>, hint: &str, ptr: &str) -> Result<Ty, Located> {
        Ok(match extra {
            Some(AdditionalProperties::Schema(s)) => Ty::Map(Box::new(nullable_ty(self.resolve(
                s,
                &format!("{hint}Value"),
                &join(ptr, "additionalProperties"),
            )?))),
            _ => Ty::Json,
        })
    }

    /// Defines `name` from a schema at the top of a definition (component or inline).
    fn define_named(&mut self, name: &str, s: &Schema, ptr: &str) -> Result<(), Located> {
        let doc = non_empty(&s.schema_data.description);
        let kind = match &s.schema_kind {
            SchemaKind::Type(Type::String(t)) if t.enumeration.iter().any(Option::is_some) => {
                TypeKind::Enum(variants(t.enumeration.iter().flatten()))
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                TypeKind::Struct(self.fields(name, &o.properties, &o.required, ptr)?)
            }
            SchemaKind::Any(a) if !a.properties.is_empty() => {
                TypeKind::Struct(self.fields(name, &a.properties, &a.required, ptr)?)
            }
            _ => match composition(s) {
                Some(("allOf", members)) if members.len() > 1 => {
                    TypeKind::Struct(self.merge(name, &members, ptr, &mut Vec::new())?)
                }
                Some((key @ ("oneOf" | "anyOf"), members)) if members.len() > 1 => {
                    let parts: Vec<_> = members.into_iter().map(|(_, p)| p).collect();
                    self.union(name, &parts, s.schema_data.discriminator.as_ref(), &join(ptr, key))?
                }
                _ => TypeKind::Alias(self.inline_plain_or_single(s, name, ptr)?),
            },
        };
        self.push_type(TypeDef {
            name: name.to_owned(),
            doc,
            kind,
        });
        Ok(())
    }

    /// `oneOf`/`anyOf` of several schemas: one variant each, named after the referenced type or
    /// the kind of value, in document order; a value of no listed shape fails to decode.
    fn union(
        &mut self,
        name: &str,
        parts: &[&ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        ptr: &str,
    ) -> Result<TypeKind, Located> {
        let mut taken = BTreeSet::new();
        let mut variants = Vec::new();
        let mut refs = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let r = self.resolve(part, &format!("{name}Variant{}", i + 1), &join(ptr, &i.to_string()))?;
            let base = variant_name(&r.ty);
            refs.push(match part {
                ReferenceOr::Reference { reference } => Some(reference.clone()),
                ReferenceOr::Item(_) => None,
            });
            variants.push(UnionVariant {
                name: unique(&mut taken, base),
                ty: r.ty,
                doc: r.doc,
                boxed: false,
            });
        }
        // A discriminator is used when every variant is a referenced schema, so each has a value.
        let discriminator = discriminator.and_then(|d| {
            let values = refs
                .iter()
                .map(|r| {
                    let reference = r.as_deref()?;
                    let short = unescape_token(reference.rsplit('/').next().unwrap_or(reference));
                    let mut values: Vec<String> = d
                        .mapping
                        .iter()
                        .filter(|(_, target)| *target == reference || **target == short)
                        .map(|(value, _)| value.clone())
                        .collect();
                    if values.is_empty() {
                        values.push(short);
                    }
                    Some(values)
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Discriminator {
                property: d.property_name.clone(),
                values,
                unknown: unique(&mut taken, "Unknown".to_owned()),
            })
        });
        Ok(TypeKind::Union {
            variants,
            discriminator,
        })
    }

    fn inline_plain_or_single(&mut self, s: &Schema, name: &str, ptr: &str) -> Result<Ty, Located> {
        match composition(s) {
            Some((key, members)) if members.len() == 1 => {
                let (i, only) = members[0];
                Ok(self.resolve(only, name, &format!("{ptr}/{key}/{i}"))?.ty)
            }
            _ => self.plain(s, name, ptr),
        }
    }

    fn fields(
        &mut self,
        parent: &str,
        props: &ObjectProps,
        required: &[String],
        ptr: &str,
    ) -> Result<Vec<Field>, Located> {
        let mut names = BTreeSet::new();
        let mut fields = Vec::new();
        for (wire, p) in props {
            let pptr = join(&join(ptr, "properties"), wire);
            let r = self.resolve_boxed(p, &format!("{parent}{}", camel(wire)), &pptr)?;
            let is_required = required.iter().any(|x| x == wire);
            let deprecated = matches!(p, ReferenceOr::Item(s) if s.schema_data.deprecated);
            let constraints = Constraints::of(p, &r.ty, |r| self.schema_at(r));
            fields.push(Field {
                name: unique(&mut names, snake(wire)),
                wire: wire.clone(),
                ty: r.ty,
                optional: !is_required || r.nullable,
                skip_if_none: !is_required,
                doc: r.doc,
                deprecated,
                boxed: false,
                constraints,
            });
        }
        Ok(fields)
    }

    /// `allOf` with several parts: the fields of every part, in order (later parts win on a name
    /// clash). A referenced part contributes its component's fields, typed as the component types
    /// them (its inline schemas are the component's, by pointer), and a part that is itself an
    /// `allOf` contributes the fields of all of its parts; `through` holds the components being
    /// merged, so a chain of `allOf`s that comes back to itself is an error, not an endless walk.
    fn merge(
        &mut self,
        parent: &str,
        parts: &[Member<'_>],
        ptr: &str,
        through: &mut Vec<String>,
    ) -> Result<Vec<Field>, Located> {
        let mut out: Vec<Field> = Vec::new();
        for (i, part) in parts {
            let part_ptr = format!("{ptr}/allOf/{i}");
            let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
            let schema = component(part, schemas, "schemas", "a schema", &part_ptr)?.clone();
            // Where the part's own schema is, and the name its inline types are made from.
            let (owner, owner_ptr) = match part {
                ReferenceOr::Reference { reference } => {
                    let name = unescape_token(reference.trim_start_matches("#/components/schemas/"));
                    if through.contains(&name) {
                        return Err(Located::new(
                            join(&part_ptr, "$ref"),
                            format!(
                                "the allOf chain {} -> {name} comes back to {name}; a schema cannot include itself",
                                through.join(" -> ")
                            ),
                        ));
                    }
                    if through.len() >= MAX_DEPTH {
                        return Err(too_deep(&part_ptr));
                    }
                    let rust = self.components.get(&name).cloned().unwrap_or_else(|| parent.to_owned());
                    (rust, Some((name.clone(), join("#/components/schemas", &name))))
                }
                ReferenceOr::Item(_) => (parent.to_owned(), None),
            };
            let (fields_ptr, component_name) = match &owner_ptr {
                Some((name, p)) => (p.clone(), Some(name.clone())),
                None => (part_ptr.clone(), None),
            };
            let fields = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => self.fields(&owner, &o.properties, &o.required, &fields_ptr)?,
                SchemaKind::Any(a) => self.fields(&owner, &a.properties, &a.required, &fields_ptr)?,
                _ => match composition(&schema) {
                    Some(("allOf", members)) => {
                        if let Some(name) = &component_name {
                            through.push(name.clone());
                        }
                        let merged = self.merge(&owner, &members, &fields_ptr, through);
                        if component_name.is_some() {
                            through.pop();
                        }
                        merged?
                    }
                    _ => Vec::new(),
                },
            };
            for f in fields {
                out.retain(|g| g.wire != f.wire);
                out.push(f);
            }
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &openapiv3::Operation,
        shared: &[ReferenceOr<Parameter>],
        ptr: &str,
        method_names: &mut BTreeSet<String>,
        builder_names: &mut BTreeSet<String>,
    ) -> Result<Operation, Located> {
        let base = match &op.operation_id {
            Some(id) if !id.trim().is_empty() => snake(id),
            _ => {
                let statics: Vec<&str> = path
                    .split('/')
                    .filter(|s| !s.is_empty() && !s.starts_with('{'))
                    .collect();
                snake(&format!("{method} {}", statics.join(" ")))
            }
        };
        let method_name = unique(method_names, base);
        let builder_name = unique(builder_names, camel(&method_name));
        let hint = camel(&method_name);

        // Parameters: path-level ones first, overridden by the operation's own.
        let mut raw: Vec<(Parameter, String)> = Vec::new();
        for (i, p) in shared.iter().enumerate() {
            raw.push((
                self.parameter(p, &format!("{ptr}/../parameters/{i}"))?,
                format!("{ptr}/../parameters/{i}"),
            ));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let pptr = format!("{ptr}/parameters/{i}");
            let p = self.parameter(p, &pptr)?;
            raw.retain(|(q, _)| !(q.parameter_data_ref().name == p.parameter_data_ref().name && same_location(q, &p)));
            raw.push((p, pptr));
        }
        let mut names = names::scope(names::BUILDER_MEMBERS);
        let mut params = Vec::new();
        for (p, pptr) in &raw {
            let location = match p {
                Parameter::Path { .. } => Location::Path,
                Parameter::Query { .. } => Location::Query,
                Parameter::Header { .. } => Location::Header,
                Parameter::Cookie { .. } => Location::Cookie,
            };
            let data = p.parameter_data_ref();
            // OpenAPI 3: header parameters named Accept, Content-Type or Authorization are ignored;
            // the client sets those itself (Authorization from the security scheme).
            if location == Location::Header
                && ["authorization", "accept", "content-type"].contains(&data.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let (ty, constraints) = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    let ty = match self
                        .resolve(s, &format!("{hint}{}", camel(&data.name)), &join(pptr, "schema"))?
                        .ty
                    {
                        // Raw bytes cannot travel in a URL or header; the caller gives the text.
                        Ty::Bytes => Ty::String,
                        ty => ty,
                    };
                    let constraints = Constraints::of(s, &ty, |r| self.schema_at(r));
                    (ty, constraints)
                }
                ParameterSchemaOrContent::Content(_) => (Ty::String, None),
            };
            let style = param_style(p);
            let explode = data.explode.unwrap_or(style == ParamStyle::Form);
            let structured = !scalar_in(&self.types, &self.index, &ty);
            params.push(Param {
                name: unique(&mut names, snake(&data.name)),
                wire: data.name.clone(),
                location,
                ty,
                required: data.required || location == Location::Path,
                doc: non_empty(&data.description),
                constraints,
                style,
                explode,
                structured,
            });
        }

        // A name the path template has but no parameter declares is still part of the URL: the
        // caller gives it as text.
        for wire in template_names(path) {
            if !params.iter().any(|p| p.location == Location::Path && p.wire == wire) {
                params.push(Param {
                    name: unique(&mut names, snake(wire)),
                    wire: wire.to_owned(),
                    location: Location::Path,
                    ty: Ty::String,
                    required: true,
                    doc: Some(format!(
                        "The `{{{wire}}}` segment of the path. The API description names it in the path but declares no parameter for it, so it is taken as text."
                    )),
                    constraints: None,
                    style: ParamStyle::Simple,
                    explode: false,
                    structured: false,
                });
            }
        }

        let body = match &op.request_body {
            None => None,
            Some(rb) => {
                let rb_ptr = join(ptr, "requestBody");
                let bodies = self.doc.components.as_ref().map(|c| &c.request_bodies);
                let rb = component(rb, bodies, "requestBodies", "a request body", &rb_ptr)?;
                let chosen = rb
                    .content
                    .iter()
                    .find(|(m, _)| is_json(m))
                    .or_else(|| rb.content.iter().next());
                match chosen {
                    None => None,
                    Some((media, mt)) => {
                        let mptr = join(&join(&rb_ptr, "content"), media);
                        let ty = match &mt.schema {
                            Some(s) => self.resolve(s, &format!("{hint}Request"), &join(&mptr, "schema"))?.ty,
                            None => Ty::Json,
                        };
                        let essence = media_essence(media);
                        let encoding = if is_json(&essence) {
                            BodyEncoding::Json
                        } else if essence == "application/x-www-form-urlencoded" {
                            BodyEncoding::Form {
                                styled: form_styles(&mt.encoding),
                            }
                        } else if essence.starts_with("multipart/") {
                            BodyEncoding::Multipart {
                                files: self.file_fields(&ty),
                            }
                        } else if matches!(ty, Ty::Bytes | Ty::String) || mt.schema.is_none() {
                            // Bytes or text as they are; without a schema, any bytes (typed below).
                            BodyEncoding::Raw
                        } else {
                            BodyEncoding::Json
                        };
                        let ty = match (&encoding, ty) {
                            (BodyEncoding::Raw, Ty::Json) => Ty::Bytes,
                            (_, ty) => ty,
                        };
                        Some(Body {
                            ty,
                            required: rb.required,
                            doc: non_empty(&rb.description),
                            media_type: media.clone(),
                            encoding,
                        })
                    }
                }
            }
        };

        let mut entries: Vec<(StatusKey, &ReferenceOr<openapiv3::Response>, String)> = Vec::new();
        let rptr = join(ptr, "responses");
        for (code, r) in &op.responses.responses {
            let (key, token) = match code {
                StatusCode::Code(c) => (StatusKey::Code(*c), c.to_string()),
                StatusCode::Range(r) => (StatusKey::Range(*r), format!("{r}XX")),
            };
            entries.push((key, r, join(&rptr, &token)));
        }
        if let Some(d) = &op.responses.default {
            entries.push((StatusKey::Default, d, join(&rptr, "default")));
        }
        entries.sort_by_key(|(k, _, _)| *k);

        let mut successes: Vec<(StatusKey, Success, String)> = Vec::new();
        let mut success_media: Vec<String> = Vec::new();
        let mut errors = Vec::new();
        for (key, r, eptr) in entries {
            let response = self.response(r, &eptr)?;
            let json = response
                .content
                .iter()
                .find(|(m, _)| is_json(m))
                .and_then(|(m, mt)| mt.schema.as_ref().map(|s| (m.clone(), s.clone())));
            let is_success = matches!(key, StatusKey::Code(200..=299) | StatusKey::Range(2));
            if is_success {
                for media in response.content.keys() {
                    if !success_media.contains(media) {
                        success_media.push(media.clone());
                    }
                }
                let body = match json {
                    Some((media, s)) => {
                        let sptr = join(&join(&join(&eptr, "content"), &media), "schema");
                        // The first 2xx keeps the plain name, so one-outcome operations read as before.
                        let hint = match successes.is_empty() {
                            true => format!("{hint}Response"),
                            false => format!("{hint}Response{}", status_suffix(key)),
                        };
                        Success::Json(self.resolve(&s, &hint, &sptr)?.ty)
                    }
                    None => raw_body(&response, key),
                };
                successes.push((key, body, prose(&response.description)));
            } else {
                let body = match json {
                    Some((media, s)) => {
                        let sptr = join(&join(&join(&eptr, "content"), &media), "schema");
                        let suffix = status_suffix(key);
                        let resolved = self.resolve(&s, &format!("{hint}Response{suffix}"), &sptr)?;
                        Some(match resolved.ty {
                            Ty::Named(n) => n,
                            other => {
                                let name = self.namer.claim(&format!("{hint}Response{suffix}"));
                                self.push_type(TypeDef {
                                    name: name.clone(),
                                    doc: resolved.doc,
                                    kind: TypeKind::Alias(other),
                                });
                                name
                            }
                        })
                    }
                    None => None,
                };
                errors.push(ErrorCase {
                    status: key,
                    body,
                    description: prose(&response.description),
                });
            }
        }
        let success = self.success(&hint, successes);
        // The client asks for JSON unless the operation also answers in other media types.
        let accept = (!success_media.iter().all(|m| is_json(m))).then(|| success_media.join(", "));

        let stated = op.security.as_ref().or(self.doc.security.as_ref());
        let security = security::requirements(stated, &self.schemes);

        let pagination = self.pagination(&params, &success);

        Ok(Operation {
            method_name,
            builder_name,
            operation_id: op.operation_id.clone(),
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            summary: non_empty(&op.summary),
            description: non_empty(&op.description),
            params,
            body,
            success,
            errors,
            security,
            deprecated: op.deprecated,
            pagination,
            accept,
        })
    }

    /// What a call returns, from its documented 2xx statuses: the one body they share, or an
    /// enum of outcomes when they differ (`200` with a body beside `204` without, say).
    fn success(&mut self, hint: &str, mut cases: Vec<(StatusKey, Success, String)>) -> Success {
        // An undeclared body next to declared ones is the same body, documented once.
        let declared: Vec<&Success> = cases
            .iter()
            .map(|(_, body, _)| body)
            .filter(|b| !matches!(b, Success::Untyped))
            .collect();
        if let [first, rest @ ..] = declared.as_slice() {
            if rest.iter().all(|b| b == first) && !matches!(first, Success::Unit) {
                let first = (*first).clone();
                for case in &mut cases {
                    if case.1 == Success::Untyped {
                        case.1 = first.clone();
                    }
                }
            }
        }
        match cases.as_slice() {
            [] => return Success::Unit,
            [(_, only, _)] => return only.clone(),
            [(_, first, _), rest @ ..] if rest.iter().all(|(_, b, _)| b == first) => return first.clone(),
            _ => {}
        }
        let name = self.namer.claim(&format!("{hint}Outcome"));
        let mut taken = BTreeSet::new();
        let cases = cases
            .into_iter()
            .map(|(status, body, description)| Outcome {
                variant: unique(&mut taken, outcome_name(status)),
                status,
                body,
                description,
            })
            .collect();
        Success::Outcomes { name, cases }
    }

    /// Offset pagination: integer `limit` and `offset` query parameters, and a response object
    /// with a `results` array and a `next` link.
    fn pagination(&self, params: &[Param], success: &Success) -> Option<Pagination> {
        let int_query = |wire: &str| {
            params
                .iter()
                .find(|p| p.location == Location::Query && p.wire == wire && matches!(p.ty, Ty::I32 | Ty::I64))
        };
        let (_limit, offset) = (int_query("limit")?, int_query("offset")?);
        let Success::Json(page) = success else {
            return None;
        };
        let fields = struct_fields(&self.types, &self.index, page)?;
        let results = fields.iter().find(|f| f.wire == "results")?;
        let Ty::Vec(item) = &results.ty else { return None };
        let next = fields.iter().find(|f| f.wire == "next")?;
        Some(Pagination {
            offset_param: offset.name.clone(),
            results_field: results.name.clone(),
            results_optional: results.optional,
            next_field: next.name.clone(),
            next_optional: next.optional,
            item: (**item).clone(),
        })
    }

    /// The binary fields of a multipart body's struct: each is sent as a file part.
    fn file_fields(&self, ty: &Ty) -> Vec<String> {
        struct_fields(&self.types, &self.index, ty)
            .unwrap_or_default()
            .iter()
            .filter(|f| matches!(&f.ty, Ty::Bytes) || matches!(&f.ty, Ty::Vec(inner) if **inner == Ty::Bytes))
            .map(|f| f.wire.clone())
            .collect()
    }

    /// The component schema a `#/components/schemas/NAME` reference names, if any.
    fn schema_at(&self, reference: &str) -> Option<&Schema> {
        let name = unescape_token(reference.strip_prefix("#/components/schemas/")?);
        match self.doc.components.as_ref()?.schemas.get(&name)? {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { .. } => None,
        }
    }

    fn parameter(&self, p: &ReferenceOr<Parameter>, ptr: &str) -> Result<Parameter, Located> {
        let parameters = self.doc.components.as_ref().map(|c| &c.parameters);
        component(p, parameters, "parameters", "a parameter", ptr).cloned()
    }

    fn response(&self, r: &ReferenceOr<openapiv3::Response>, ptr: &str) -> Result<openapiv3::Response, Located> {
        let responses = self.doc.components.as_ref().map(|c| &c.responses);
        component(r, responses, "responses", "a response", ptr).cloned()
    }
}

/// Resolves `item` against one section of `components` (`#/components/{section}/NAME`). A
/// reference elsewhere, or to a name the section lacks, is an error at `{ptr}/$ref`.
fn component<'a, T>(
    item: &'a ReferenceOr<T>,
    entries: Option<&'a indexmap::IndexMap<String, ReferenceOr<T>>>,
    section: &str,
    what: &str,
    ptr: &str,
) -> Result<&'a T, Located> {
    let reference = match item {
        ReferenceOr::Item(t) => return Ok(t),
        ReferenceOr::Reference { reference } => reference,
    };
    let target = reference
        .strip_prefix(&format!("#/components/{section}/"))
        .map(unescape_token)
        .and_then(|name| entries?.get(&name));
    match target {
        Some(ReferenceOr::Item(t)) => Ok(t),
        _ => Err(Located::new(
            join(ptr, "$ref"),
            format!("reference {reference} does not resolve to {what}"),
        )),
    }
}

/// The properties map of an object schema, as openapiv3 types it.
type ObjectProps = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

impl Api {
    /// Whether values of `ty` are one plain scalar, written as text (the runtime's `ToParam`).
    pub fn is_scalar(&self, ty: &Ty) -> bool {
        scalar_in(&self.types, &self.index, ty)
    }

    /// The fields of the struct `ty` names, if it names one.
    pub fn struct_fields(&self, ty: &Ty) -> Option<&[Field]> {
        struct_fields(&self.types, &self.index, ty)
    }
}

/// The definition of a named type.
fn kind_of<'a>(types: &'a [TypeDef], index: &TypeIndex, name: &str) -> Option<&'a TypeKind> {
    index.find(types, name).map(|t| &t.kind)
}

fn struct_fields<'a>(types: &'a [TypeDef], index: &TypeIndex, ty: &Ty) -> Option<&'a [Field]> {
    match ty {
        Ty::Named(name) => match kind_of(types, index, name)? {
            TypeKind::Struct(fields) => Some(fields),
            _ => None,
        },
        _ => None,
    }
}

fn scalar_in(types: &[TypeDef], index: &TypeIndex, ty: &Ty) -> bool {
    scalar_within(types, index, ty, 0)
}

/// `depth` stops at alias cycles (`A = B`, `B = A`), which name no scalar.
fn scalar_within(types: &[TypeDef], index: &TypeIndex, ty: &Ty, depth: usize) -> bool {
    match ty {
        Ty::Named(name) => match kind_of(types, index, name) {
            Some(TypeKind::Enum(_)) => true,
            Some(TypeKind::Alias(inner)) if depth < 16 => scalar_within(types, index, inner, depth + 1),
            _ => false,
        },
        Ty::Json | Ty::Vec(_) | Ty::Map(_) | Ty::Bytes | Ty::Nullable(_) => false,
        _ => true,
    }
}

fn param_style(p: &Parameter) -> ParamStyle {
    use openapiv3::{CookieStyle, HeaderStyle, PathStyle, QueryStyle};
    match p {
        Parameter::Query { style, .. } => match style {
            QueryStyle::Form => ParamStyle::Form,
            QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
            QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
            QueryStyle::DeepObject => ParamStyle::DeepObject,
        },
        Parameter::Path { style, .. } => match style {
            PathStyle::Simple => ParamStyle::Simple,
            PathStyle::Label => ParamStyle::Label,
            PathStyle::Matrix => ParamStyle::Matrix,
        },
        Parameter::Header { style, .. } => match style {
            HeaderStyle::Simple => ParamStyle::Simple,
        },
        Parameter::Cookie { style, .. } => match style {
            CookieStyle::Form => ParamStyle::Form,
        },
    }
}

fn status_suffix(key: StatusKey) -> String {
    match key {
        StatusKey::Code(c) => c.to_string(),
        StatusKey::Range(r) => format!("{r}xx"),
        StatusKey::Default => "Default".into(),
    }
}

/// An outcome variant's name: the status's reason phrase.
fn outcome_name(key: StatusKey) -> String {
    match key {
        StatusKey::Code(200) => "Ok".into(),
        StatusKey::Code(201) => "Created".into(),
        StatusKey::Code(202) => "Accepted".into(),
        StatusKey::Code(203) => "NonAuthoritative".into(),
        StatusKey::Code(204) => "NoContent".into(),
        StatusKey::Code(205) => "ResetContent".into(),
        StatusKey::Code(206) => "PartialContent".into(),
        StatusKey::Code(207) => "MultiStatus".into(),
        StatusKey::Code(c) => format!("Status{c}"),
        StatusKey::Range(_) | StatusKey::Default => "OtherSuccess".into(),
    }
}

/// A 2xx body without a JSON schema: text, binary data, empty (204, 205 or no content), or
/// JSON of no declared shape.
fn raw_body(response: &openapiv3::Response, key: StatusKey) -> Success {
    let media: Vec<String> = response.content.keys().map(|m| media_essence(m)).collect();
    let binary_schema = response.content.values().any(|mt| {
        matches!(&mt.schema, Some(ReferenceOr::Item(s)) if matches!(&s.schema_kind,
            SchemaKind::Type(Type::String(t)) if t.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)))
    });
    if media.iter().any(|m| is_json(m)) {
        Success::Untyped
    } else if media.iter().any(|m| m.starts_with("text/")) && !binary_schema {
        Success::Text
    } else if !media.is_empty() {
        Success::Bytes
    } else if matches!(key, StatusKey::Code(204 | 205)) {
        Success::Unit
    } else {
        Success::Untyped
    }
}

/// The names between braces in a path template, in order: `/a/{b}/{c}` gives `b`, `c`.
pub(crate) fn template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// The fields of a form whose `encoding` writes them in another style than `form`, exploded.
fn form_styles(encoding: &indexmap::IndexMap<String, openapiv3::Encoding>) -> Vec<(String, ParamStyle, bool)> {
    use openapiv3::QueryStyle;
    encoding
        .iter()
        .filter_map(|(field, e)| {
            // openapiv3 reads an absent `explode` as false, so without a `style` the field
            // keeps the defaults (`form`, exploded) whatever `explode` says.
            let style = match e.style.as_ref()? {
                QueryStyle::Form => ParamStyle::Form,
                QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                QueryStyle::DeepObject => ParamStyle::DeepObject,
            };
            (style != ParamStyle::Form || !e.explode).then(|| (field.clone(), style, e.explode))
        })
        .collect()
}

fn same_location(a: &Parameter, b: &Parameter) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// A media type without its parameters, lower-cased: `Text/Plain; charset=utf-8` is `text/plain`.
fn media_essence(media: &str) -> String {
    media.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

fn is_json(media: &str) -> bool {
    let m = media_essence(media);
    m == "application/json" || m.ends_with("+json") || m == "*/*"
}

fn schema_nullable(s: &Schema) -> bool {
    s.schema_data.nullable
        || matches!(&s.schema_kind, SchemaKind::Type(Type::String(t)) if t.enumeration.iter().any(Option::is_none))
}

/// The keyword and the member schemas of an `allOf`, `oneOf` or `anyOf`, each with its index.
///
/// Members of an `allOf` that only annotate (a `description`, `nullable`, an `example`: no type
/// and no structure) are left out, so the common wrapper `allOf: [{$ref: X}, {description: ...}]`
/// is `X` itself; their annotations are read by [`annotations`].
fn composition(s: &Schema) -> Option<(&'static str, Vec<Member<'_>>)> {
    let (key, parts) = match &s.schema_kind {
        SchemaKind::AllOf { all_of } => ("allOf", all_of),
        SchemaKind::OneOf { one_of } => ("oneOf", one_of),
        SchemaKind::AnyOf { any_of } => ("anyOf", any_of),
        _ => return None,
    };
    let members = parts
        .iter()
        .enumerate()
        .filter(|(_, part)| key != "allOf" || !annotation_only(part))
        .collect();
    Some((key, members))
}

/// A member of an `allOf`, `oneOf` or `anyOf`, with its index there.
type Member<'a> = (usize, &'a ReferenceOr<Schema>);

/// A schema with no type, structure or constraint: it only says something about its value.
fn annotation_only(part: &ReferenceOr<Schema>) -> bool {
    matches!(part, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(a) if *a == openapiv3::AnySchema::default()))
}

/// The description and nullability that the annotation-only members of an `allOf` add.
fn annotations(s: &Schema) -> (Option<String>, bool) {
    let SchemaKind::AllOf { all_of } = &s.schema_kind else {
        return (None, false);
    };
    let notes = all_of.iter().filter(|p| annotation_only(p)).filter_map(|p| match p {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { .. } => None,
    });
    let mut doc = None;
    let mut nullable = false;
    for note in notes {
        doc = doc.or_else(|| non_empty(&note.schema_data.description));
        nullable |= note.schema_data.nullable;
    }
    (doc, nullable)
}

fn needs_definition(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) => t.enumeration.iter().any(Option::is_some),
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Any(a) => !a.properties.is_empty(),
        _ => composition(s).is_some_and(|(_, members)| members.len() > 1),
    }
}

/// How deep the model follows chains of `allOf` inclusions before it gives up.
const MAX_DEPTH: usize = 64;

fn too_deep(ptr: &str) -> Located {
    Located::new(
        ptr,
        format!("the schemas nest more than {MAX_DEPTH} levels deep here; flatten the document"),
    )
}

/// The type of an array item or map value: `Option<T>` when it may be null (a JSON value
/// already holds null).
fn nullable_ty(r: Resolved) -> Ty {
    match r.ty {
        Ty::Json => Ty::Json,
        ty if r.nullable => Ty::Nullable(Box::new(ty)),
        ty => ty,
    }
}

/// A union variant's name: the type's own name, or the kind of value.
fn variant_name(ty: &Ty) -> String {
    match ty {
        Ty::Named(n) => n.clone(),
        Ty::String => "String".into(),
        Ty::Bool => "Bool".into(),
        Ty::I32 | Ty::I64 | Ty::I64String => "Integer".into(),
        Ty::F32 | Ty::F64 => "Number".into(),
        Ty::Uuid => "Uuid".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::Json => "Value".into(),
        Ty::Vec(inner) => format!("{}List", variant_name(inner)),
        Ty::Map(inner) => format!("{}Map", variant_name(inner)),
        Ty::Nullable(inner) => format!("Optional{}", variant_name(inner)),
    }
}

fn string_ty(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Ty {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ty::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Ty::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Ty::Bytes,
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "uuid" => Ty::Uuid,
            "int64" => Ty::I64String,
            "date-time" => Ty::DateTime,
            "date" => Ty::Date,
            _ => Ty::String,
        },
        _ => Ty::String,
    }
}

fn variants<'a>(values: impl Iterator<Item = &'a String>) -> Vec<Variant> {
    let mut names: BTreeSet<String> = ["Unknown".to_owned()].into_iter().collect();
    let mut out: Vec<Variant> = Vec::new();
    for v in values {
        if out.iter().any(|x| &x.wire == v) {
            continue;
        }
        out.push(Variant {
            name: unique(&mut names, camel(v)),
            wire: v.clone(),
        });
    }
    out
}

/// The position of the named type a field of type `ty` holds inline: `ty`'s own, or for an
/// alias the end of its chain of aliases. `None` for types behind a `Vec` or map (which already
/// allocate) and for types without a name.
fn inline_target(ty: &Ty, types: &[TypeDef], index: &TypeIndex) -> Option<usize> {
    let mut ty = ty;
    // A chain of aliases visits each type at most once; a longer chain is a cycle.
    for _ in 0..=types.len() {
        let Ty::Named(name) = ty else {
            return None;
        };
        let i = index.position(types, name)?;
        match &types[i].kind {
            TypeKind::Alias(next) => ty = next,
            _ => return Some(i),
        }
    }
    None
}

/// Boxes every field through which a struct contains itself, directly or through other structs,
/// so that recursive and mutually recursive types have a finite size.
///
/// A field from `A` to `B` makes `A` infinitely large exactly when `B` also reaches `A`, that is
/// when both are in the same strongly connected component of the "holds inline" graph; one
/// pass of Tarjan's algorithm finds them all, in time linear in the number of fields.
fn box_recursive_fields(types: &mut [TypeDef], index: &TypeIndex) {
    // For each type, (field or variant position, index of the type it holds inline there).
    let edges: Vec<Vec<(usize, usize)>> = types
        .iter()
        .map(|t| {
            let held: Vec<&Ty> = match &t.kind {
                TypeKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
                TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
                _ => Vec::new(),
            };
            held.into_iter()
                .enumerate()
                .filter_map(|(i, ty)| inline_target(ty, types, index).map(|target| (i, target)))
                .collect()
        })
        .collect();
    let successors: Vec<Vec<usize>> = edges.iter().map(|e| e.iter().map(|(_, t)| *t).collect()).collect();
    let component = strongly_connected_components(&successors);
    let to_box: Vec<(usize, usize)> = edges
        .iter()
        .enumerate()
        .flat_map(|(from, e)| e.iter().map(move |(position, to)| (from, *position, *to)))
        .filter(|(from, _, to)| component[*from] == component[*to])
        .map(|(from, position, _)| (from, position))
        .collect();
    for (from, position) in to_box {
        match &mut types[from].kind {
            TypeKind::Struct(fields) => fields[position].boxed = true,
            TypeKind::Union { variants, .. } => variants[position].boxed = true,
            _ => {}
        }
    }
}

/// The strongly connected component of each node of a graph given by its successor lists
/// (Tarjan's algorithm, with an explicit stack so deep graphs cannot overflow the call stack).
fn strongly_connected_components(successors: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = successors.len();
    let (mut order, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut calls: Vec<(usize, usize)> = Vec::new();
    let (mut next_order, mut next_component) = (0, 0);
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        calls.push((root, 0));
        while let Some(top) = calls.last_mut() {
            let v = top.0;
            if let Some(&w) = successors[v].get(top.1) {
                top.1 += 1;
                if order[w] == UNSEEN {
                    order[w] = next_order;
                    low[w] = next_order;
                    next_order += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}
