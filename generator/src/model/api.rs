//! The model: the plain data the emitters read, the contract between the two halves of the
//! generator.

use super::{Constraints, Paging, Warning};
use super::{RateLimit, Requirement, SecurityScheme};
pub use crate::vocabulary::{HttpMethod, StatusKey, Style};

/// The whole API, ready for emission.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server URL, with variables replaced by their defaults.
    pub base_url: String,
    /// Behind [`Api::types`], so that its index stays true.
    pub(super) types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// The distinct error body types, one variant each of the generated `ErrorBody` enum.
    pub error_bodies: Vec<String>,
    /// The distinct lists of error statuses (each with the `ErrorBody` variant its body decodes
    /// into, if any) that operations declare, in order of first use; each operation names its
    /// list by [`Operation::error_table`], so a list is generated once.
    pub error_tables: Vec<Vec<(StatusKey, Option<String>)>>,
    /// The security schemes the client can satisfy, in document order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The rate limits every request of the client keeps (`x-rate-limits`).
    pub rate_limits: Vec<RateLimit>,
    /// Every lossy or surprising choice the generator made, in the order it made them.
    pub warnings: Vec<Warning>,
    /// The cargo features of the document's tags (`features.rs`), empty when it tags nothing.
    pub features: Vec<String>,
    /// The retries the document declares for every operation (`declared_retries.rs`).
    pub retry: Option<super::DeclaredRetry>,
    /// Crates the generated code names beside the runtime (for types of theirs used in place
    /// of schemas), with the version requirement: `[dependencies]` of a generated crate.
    pub crates: Vec<(String, String)>,
    /// The events of the document's webhooks and callbacks (`webhooks.rs`), in its order.
    pub webhooks: Vec<super::Webhook>,
    /// The header every event declares that names it (`x-github-event`), lower-case.
    pub event_header: Option<String>,
    /// Where each of `types` is, by name.
    pub(super) index: TypeIndex,
    /// The types a selection of operations left out (their Rust names, sorted): the caller's
    /// choices about them are let be.
    pub(super) left_out: Vec<String>,
}

/// The position of each generated type in the list of types, by name, so that finding a type
/// does not scan the list. It is a cache: a lookup checks the name it finds and falls back to a
/// scan if the list was edited after the model was built.
#[derive(Debug, Clone, Default)]
pub(super) struct TypeIndex(std::collections::HashMap<String, usize>);

impl TypeIndex {
    pub(super) fn insert(&mut self, name: &str, position: usize) {
        self.0.insert(name.to_owned(), position);
    }

    /// Where the type called `name` is in `types`.
    pub(super) fn position(&self, types: &[TypeDef], name: &str) -> Option<usize> {
        let position = *self.0.get(name)?;
        match types.get(position) {
            Some(t) if t.name == name => Some(position),
            _ => types.iter().position(|t| t.name == name),
        }
    }

    pub(super) fn find<'a>(&self, types: &'a [TypeDef], name: &str) -> Option<&'a TypeDef> {
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
    /// `format: uint32` (and `uint8`, `uint16`).
    U32,
    /// `format: uint64`.
    U64,
    /// A uint32 or uint64 carried as a JSON string: `u64` in Rust.
    U64String,
    F32,
    F64,
    Uuid,
    DateTime,
    Date,
    /// Raw bytes (`format: binary`).
    Bytes,
    /// Raw bytes that only requests send (a raw body, a multipart file part): bytes, a file or
    /// a stream, with a file name and media type (`runtime::Upload`).
    Upload,
    /// Anything: `serde_json::Value`.
    Json,
    /// An existing Rust type, by its path (`chrono::NaiveDate`, `my_crate::Money`): a schema
    /// replaced by the generator's caller or named by the document's `x-rust-type`.
    External(String),
    Vec(Box<Ty>),
    Map(Box<Ty>),
    /// An array item or map value that may be null: `Option<T>`.
    Nullable(Box<Ty>),
}

impl Api {
    /// Whether any operation sends or answers XML of a generated type.
    #[must_use]
    pub fn uses_xml(&self) -> bool {
        self.operations
            .iter()
            .any(|op| op.answers_xml || op.body.as_ref().is_some_and(|b| b.encoding == BodyEncoding::Xml))
    }
}

impl Ty {
    /// Whether the type is an integer carried as a JSON string, which a serde adapter writes.
    #[must_use]
    pub fn is_integer_text(&self) -> bool {
        matches!(self, Ty::I64String | Ty::U64String)
    }
}

/// A named type definition.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// A request body or parameter reaches the type: callers build it (see `reach.rs`).
    pub sent: bool,
    /// The features that compile the type, any one of them (`features.rs`); empty: always.
    pub features: Vec<String>,
    /// Derives added by the generator's caller (`Eq`, `Hash`, `schemars::JsonSchema`).
    pub derives: Vec<String>,
    /// The element name the schema's `xml` object gives it, as the root of an XML body.
    pub xml_name: Option<String>,
    /// An XML body reaches the type: it has an XML shape (`reach.rs`).
    pub in_xml: bool,
    /// The existing Rust type the document's `x-rust-type` names for the schema, which the
    /// generator's caller may allow in its place.
    pub rust_type: Option<RustType>,
}

/// An `x-rust-type`: a type of a crate, and where the document names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustType {
    pub krate: String,
    pub version: String,
    pub path: String,
    pub pointer: crate::Pointer,
}

impl TypeDef {
    /// A type that nothing has been found to send or to need a feature, yet.
    pub(super) fn new(name: String, doc: Option<String>, kind: TypeKind) -> Self {
        TypeDef {
            name,
            doc,
            kind,
            sent: false,
            features: Vec::new(),
            derives: Vec::new(),
            xml_name: None,
            in_xml: false,
            rust_type: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Vec<Field>),
    /// A string enum; the emitted enum also keeps values it does not list.
    Enum(Vec<Variant>),
    /// An integer enum (each variant's `wire` is the value in decimal); the emitted enum also
    /// keeps values it does not list.
    IntEnum(Vec<Variant>),
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
    /// The schema allows `null`.
    pub nullable: bool,
    /// Optional and nullable in a type only requests send: a `Nullable`, which can be left out,
    /// set, or sent as `null` (see `reach.rs`).
    pub three_state: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// Held in a `Box` because the field's type contains the struct itself (recursion).
    pub boxed: bool,
    /// Declared bounds, lengths, pattern or item counts.
    pub constraints: Option<Constraints>,
    /// How the field is written in XML, where the document's `xml` objects say.
    pub xml: Option<XmlNames>,
    /// The paging role Stainless's `x-stainless-pagination-property` gives the field (`items`,
    /// `next_cursor_field`, ...).
    pub paging_role: Option<String>,
}

/// What a property's `xml` object (and its items') says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlNames {
    /// The element (or attribute) name, when not the property's.
    pub name: Option<String>,
    pub attribute: bool,
    /// A list inside an element of its own name.
    pub wrapped: bool,
    /// The name of a list's item elements, when the items' `xml` object gives one.
    pub item: Option<String>,
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
    /// The schema's `default`, as text: what the server assumes when the parameter is left out
    /// (the client sends nothing then; the command-line tool's help shows it).
    pub default: Option<String>,
    /// How an array or object value is written (`style`), and `explode`.
    pub style: Style,
    pub explode: bool,
    /// The value is an array, object or anything else that is not one plain scalar, so it is
    /// written by `style` rather than as text.
    pub structured: bool,
    /// The paging role Stainless's `x-stainless-pagination-property` gives the parameter
    /// (`next_cursor_param`, `page_number_param`, ...).
    pub paging_role: Option<String>,
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
        styled: Vec<(String, Style, bool)>,
    },
    /// `multipart/form-data`: one part per field; `files` (wire names) are files, and
    /// `content_types` the media types the `encoding` declares for parts (by wire name).
    Multipart {
        files: Vec<String>,
        content_types: Vec<(String, String)>,
    },
    /// `multipart/form-data` of a value that is not an object (bytes, text, a list): the whole
    /// value as one part named `name` (the media type's one `encoding` entry, or
    /// [`super::DEFAULT_PART`]): bytes (`Ty::Upload`) as a file part, a list as one part per
    /// item; `content_type` is the `encoding`'s media type for it, if it names one.
    MultipartPart {
        name: String,
        content_type: Option<String>,
    },
    /// The bytes or text as they are, with the declared media type.
    Raw,
    /// XML (`application/xml`, `text/xml`, `…+xml`) of a generated type, written as its
    /// fields' `xml` objects say (the runtime's `xml` module).
    Xml,
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
    /// A stream of events: the only answer.
    Events(Events),
}

/// What an operation answers as a stream of events (server-sent events, JSON lines).
#[derive(Debug, Clone, PartialEq)]
pub struct Events {
    pub framing: EventFraming,
    /// The media type, as the document writes it, asked for in `Accept`.
    pub media: String,
    pub data: EventData,
    /// The data that ends the stream, where the document names one (`[DONE]`).
    pub end: Option<String>,
}

/// How a stream's events are framed (the runtime's `Framing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventFraming {
    /// `text/event-stream`.
    ServerSent,
    /// `application/x-ndjson`, `application/jsonl` and their kin.
    JsonLines,
    /// `application/json-seq` (RFC 7464).
    JsonSeq,
}

/// What each event's data decodes into.
#[derive(Debug, Clone, PartialEq)]
pub enum EventData {
    /// JSON of this type.
    Json(Ty),
    /// Text, as it came (server-sent events without a schema, or with a string one).
    Text,
    /// JSON of no declared shape (JSON lines without a schema): `serde_json::Value`.
    Untyped,
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

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCase {
    pub status: StatusKey,
    /// The `ErrorBody` variant (the type's name) the body decodes into, if a schema is declared.
    pub body: Option<String>,
    pub description: String,
}

impl HttpMethod {
    /// The method of a path item's key (`get`, `post`, ...).
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }
}

/// A piece of an operation's path template: text, or the parameter at this index of
/// [`Operation::params`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    Param(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The `snake_case` method name on the client.
    pub method_name: String,
    /// Name of the request builder type.
    pub builder_name: String,
    pub operation_id: Option<String>,
    pub method: HttpMethod,
    /// The path template as the document writes it (`/installs/{install_id}`).
    pub path: String,
    /// The path template taken apart: every name in braces is a parameter.
    pub path_segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The document's tags of the operation, in its order.
    pub tags: Vec<String>,
    /// The features that compile the operation, any one of them (`features.rs`); empty: always.
    pub features: Vec<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: Success,
    pub errors: Vec<ErrorCase>,
    /// The position of `errors` in [`Api::error_tables`].
    pub error_table: usize,
    /// Alternative sets of security schemes with their scopes (see [`SecurityScheme`]); empty
    /// when the operation needs no credentials, and an empty set among others makes them
    /// optional.
    pub security: Vec<Vec<Requirement>>,
    /// The operation's own rate limits, besides the client's (`x-rate-limits`).
    pub rate_limits: Vec<RateLimit>,
    pub deprecated: bool,
    /// How the operation pages through a list, when its shape says it does (`paging.rs`).
    pub paging: Option<Paging>,
    /// The success body is XML of the `Success::Json` type, read as its `xml` objects say.
    pub answers_xml: bool,
    /// The retries the document declares for the operation (`declared_retries.rs`).
    pub retry: Option<super::DeclaredRetry>,
    /// The `Accept` header, when the successful answers are not JSON.
    pub accept: Option<String>,
    /// A stream of events the operation also answers, beside a body of another media type
    /// (the builder's `send_events`); a stream alone is `Success::Events`.
    pub events: Option<Events>,
}

impl Api {
    /// The named types, in the order they are generated.
    #[must_use]
    pub fn types(&self) -> &[TypeDef] {
        &self.types
    }

    /// The named types, to change in place (their docs, say). The list keeps its length and
    /// order; a type renamed here is still found, by a scan instead of the index.
    pub fn types_mut(&mut self) -> &mut [TypeDef] {
        &mut self.types
    }

    /// Whether values of `ty` are one plain scalar, written as text (the runtime's `ToParam`).
    #[must_use]
    pub fn is_scalar(&self, ty: &Ty) -> bool {
        scalar_in(&self.types, &self.index, ty)
    }

    /// The type called `name`, found through the index.
    #[must_use]
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.index.find(&self.types, name)
    }

    /// The type `name` leads to: itself, or the type it is an alias of (through other
    /// aliases of named types).
    #[must_use]
    pub fn definition(&self, name: &str) -> Option<&TypeDef> {
        definition(&self.types, &self.index, name)
    }

    /// The fields of the struct `ty` names, if it names one (through aliases).
    #[must_use]
    pub fn struct_fields(&self, ty: &Ty) -> Option<&[Field]> {
        struct_fields(&self.types, &self.index, ty)
    }
}

/// The definition of a named type, through aliases of other named types.
pub(super) fn kind_of<'a>(types: &'a [TypeDef], index: &TypeIndex, name: &str) -> Option<&'a TypeKind> {
    definition(types, index, name).map(|t| &t.kind)
}

/// The type `name` leads to: itself, or the end of a chain of aliases of named types (one
/// type per shape makes many, `shapes.rs`), followed at most 16 deep.
pub(super) fn definition<'a>(types: &'a [TypeDef], index: &TypeIndex, name: &str) -> Option<&'a TypeDef> {
    let mut def = index.find(types, name)?;
    for _ in 0..16 {
        match &def.kind {
            TypeKind::Alias(Ty::Named(next)) => def = index.find(types, next)?,
            _ => return Some(def),
        }
    }
    Some(def)
}

pub(super) fn struct_fields<'a>(types: &'a [TypeDef], index: &TypeIndex, ty: &Ty) -> Option<&'a [Field]> {
    match ty {
        Ty::Named(name) => match kind_of(types, index, name)? {
            TypeKind::Struct(fields) => Some(fields),
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn scalar_in(types: &[TypeDef], index: &TypeIndex, ty: &Ty) -> bool {
    scalar_within(types, index, ty, 0)
}

/// `depth` stops at alias cycles (`A = B`, `B = A`), which name no scalar.
pub(super) fn scalar_within(types: &[TypeDef], index: &TypeIndex, ty: &Ty, depth: usize) -> bool {
    match ty {
        Ty::Named(name) => match kind_of(types, index, name) {
            Some(TypeKind::Enum(_) | TypeKind::IntEnum(_)) => true,
            Some(TypeKind::Alias(inner)) if depth < 16 => scalar_within(types, index, inner, depth + 1),
            _ => false,
        },
        Ty::Json | Ty::Vec(_) | Ty::Map(_) | Ty::Bytes | Ty::Upload | Ty::Nullable(_) => false,
        _ => true,
    }
}
