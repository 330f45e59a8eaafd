//! Schemas to Rust types: references, inline schemas named from their place, structs and
//! string enums (compositions are in `composition.rs`).

use super::composition::{annotations, composition};
use super::references::component_name;
use super::{non_empty, Builder, Constraints, Field, Resolved, RustType, Ty, TypeDef, TypeKind, Variant, XmlNames};
use crate::error::Located;
use crate::names::{camel, snake, unique};
use crate::pointer::Pointer;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
use std::collections::BTreeSet;

impl Builder<'_> {
    pub(super) fn push_type(&mut self, def: TypeDef) {
        self.index.insert(&def.name, self.types.len());
        self.types.push(def);
    }

    pub(super) fn reference(&self, reference: &str, ptr: &Pointer) -> Result<Resolved, Located> {
        let Some(name) = component_name(reference, "schemas") else {
            return Err(Located::new(
                ptr.join("$ref"),
                format!("expected a reference to #/components/schemas/..., found {reference}"),
            ));
        };
        let target = self.doc.components.as_ref().and_then(|c| c.schemas.get(&name));
        let (Some(rust), Some(target)) = (self.components.get(&name), target) else {
            return Err(Located::new(
                ptr.join("$ref"),
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
    pub(super) fn resolve(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        ptr: &Pointer,
    ) -> Result<Resolved, Located> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, ptr),
            ReferenceOr::Item(s) => self.inline(s, hint, ptr),
        }
    }

    pub(super) fn resolve_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        ptr: &Pointer,
    ) -> Result<Resolved, Located> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, ptr),
            ReferenceOr::Item(s) => self.inline(s, hint, ptr),
        }
    }

    pub(super) fn inline(&mut self, s: &Schema, hint: &str, ptr: &Pointer) -> Result<Resolved, Located> {
        let doc = non_empty(&s.schema_data.description);
        let nullable = schema_nullable(s);
        // `allOf`, `oneOf` or `anyOf` of one schema is that schema.
        if let Some((key, members)) = composition(s) {
            if let [(i, only)] = members.as_slice() {
                let (note, null_note) = annotations(s);
                let inner = self.resolve(only, hint, &ptr.join(key).join(i))?;
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
    pub(super) fn plain(&mut self, s: &Schema, hint: &str, ptr: &Pointer) -> Result<Ty, Located> {
        Ok(match &s.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                if let VariantOrUnknownOrEmpty::Unknown(format) = &t.format {
                    self.unknown_format(format, ptr);
                }
                string_ty(&t.format)
            }
            SchemaKind::Type(Type::Integer(t)) => match &t.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Ty::I32,
                VariantOrUnknownOrEmpty::Unknown(format) => integer_ty(format),
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
                    &ptr.join("items"),
                )?))),
                None => Ty::Vec(Box::new(Ty::Json)),
            },
            SchemaKind::Type(Type::Object(o)) => self.map_ty(&o.additional_properties, hint, ptr)?,
            SchemaKind::Any(a) => match (a.typ.as_deref(), &a.items) {
                (_, Some(items)) => Ty::Vec(Box::new(nullable_ty(self.resolve_boxed(
                    items,
                    &format!("{hint}Item"),
                    &ptr.join("items"),
                )?))),
                (Some("string"), _) => match a.format.as_deref() {
                    Some(f) => {
                        self.unknown_format(f, ptr);
                        string_ty(&VariantOrUnknownOrEmpty::Unknown(f.to_owned()))
                    }
                    None => Ty::String,
                },
                (Some("integer"), _) => integer_ty(a.format.as_deref().unwrap_or("int64")),
                (Some("number"), _) => Ty::F64,
                (Some("boolean"), _) => Ty::Bool,
                (Some("object") | None, _) => self.map_ty(&a.additional_properties, hint, ptr)?,
                (Some(other), _) => {
                    self.warn(
                        &ptr.join("type"),
                        format!("`{other}` is not a type OpenAPI knows: any JSON value (`serde_json::Value`)"),
                    );
                    Ty::Json
                }
            },
            SchemaKind::Not { .. } => {
                self.warn(
                    &ptr.join("not"),
                    "`not` says what a value is not, which no Rust type can: any JSON value (`serde_json::Value`)",
                );
                Ty::Json
            }
            SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => Ty::Json,
        })
    }

    /// The variants of an enum whose values (as text) are `values`, named by the document's
    /// `x-enum-varnames` or `x-enumNames` (one name per value, as other generators read them)
    /// where it gives them, else after the values.
    fn variants(&mut self, values: &[String], s: &Schema, ptr: &Pointer) -> Vec<Variant> {
        let given = ["x-enum-varnames", "x-enumNames"]
            .into_iter()
            .find_map(|key| Some((key, s.schema_data.extensions.get(key)?)));
        let names: Option<Vec<&str>> = match given {
            Some((key, serde_json::Value::Array(names))) => {
                let names: Vec<&str> = names.iter().filter_map(serde_json::Value::as_str).collect();
                if names.len() == values.len() {
                    Some(names)
                } else {
                    self.warn(
                        &ptr.join(key),
                        format!(
                            "`{key}` should name each of the {} values: the values name the variants",
                            values.len()
                        ),
                    );
                    None
                }
            }
            _ => None,
        };
        let mut taken: BTreeSet<String> = ["Unknown".to_owned()].into_iter().collect();
        let mut out: Vec<Variant> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            if out.iter().any(|x| &x.wire == v) {
                continue;
            }
            let wanted = match (&names, v.parse::<i64>()) {
                (Some(names), _) => camel(names[i]),
                (None, Ok(n)) if n < 0 => format!("Minus{}", n.unsigned_abs()),
                (None, _) => camel(v),
            };
            out.push(Variant {
                name: unique(&mut taken, wanted),
                wire: v.clone(),
            });
        }
        out
    }

    /// Warns of a `pattern` the client's regular expressions cannot run (look-around,
    /// back-references): it is not checked before sending.
    pub(super) fn check_pattern(&mut self, constraints: Option<&Constraints>, ptr: &Pointer) {
        let Some(pattern) = constraints.and_then(|c| c.pattern.as_deref()) else {
            return;
        };
        // The client runs patterns with `regress` (ECMA-262, JSON Schema's dialect); one it
        // cannot compile is not checked.
        if let Err(e) = regress::Regex::new(pattern) {
            self.warn(
                &ptr.join("pattern"),
                format!("the pattern is not an ECMA-262 regular expression ({e}): not checked before sending"),
            );
        }
    }

    /// Warns of a string format that is neither given a type of its own (see [`string_ty`]) nor
    /// one OpenAPI or JSON Schema defines as text whose shape the format names.
    fn unknown_format(&mut self, format: &str, ptr: &Pointer) {
        const TEXT: [&str; 23] = [
            // Without a `type: string` openapiv3 recognises, binary data is text too.
            "binary",
            "password",
            "email",
            "idn-email",
            "uri",
            "uri-reference",
            "iri",
            "iri-reference",
            "url",
            "hostname",
            "idn-hostname",
            "ipv4",
            "ipv6",
            "time",
            "duration",
            "regex",
            "json-pointer",
            "relative-json-pointer",
            // RFC 6570, as GitHub's documents use it for every link template.
            "uri-template",
            // Digits of any precision, which a String keeps exactly (Stripe's amounts).
            "decimal",
            "cidr",
            // Says no more than `type: string` does.
            "string",
            // Google's field paths (`a.b,c`): the text as sent.
            "google-fieldmask",
        ];
        let typed = string_ty(&VariantOrUnknownOrEmpty::Unknown(format.to_owned())) != Ty::String;
        if !typed && !TEXT.contains(&format) {
            self.warn(
                &ptr.join("format"),
                format!("the string format `{format}` is not one the generator knows: a String"),
            );
        }
    }

    pub(super) fn map_ty(
        &mut self,
        extra: &Option<AdditionalProperties>,
        hint: &str,
        ptr: &Pointer,
    ) -> Result<Ty, Located> {
        Ok(match extra {
            Some(AdditionalProperties::Schema(s)) => Ty::Map(Box::new(nullable_ty(self.resolve(
                s,
                &format!("{hint}Value"),
                &ptr.join("additionalProperties"),
            )?))),
            _ => Ty::Json,
        })
    }

    /// Defines `name` from a schema at the top of a definition (component or inline).
    pub(super) fn define_named(&mut self, name: &str, s: &Schema, ptr: &Pointer) -> Result<(), Located> {
        let doc = non_empty(&s.schema_data.description);
        let kind = match &s.schema_kind {
            SchemaKind::Type(Type::String(t)) if t.enumeration.iter().any(Option::is_some) => {
                let values: Vec<String> = t.enumeration.iter().flatten().cloned().collect();
                TypeKind::Enum(self.variants(&values, s, ptr))
            }
            SchemaKind::Type(Type::Integer(t)) if t.enumeration.iter().any(Option::is_some) => {
                let values: Vec<String> = t.enumeration.iter().flatten().map(i64::to_string).collect();
                TypeKind::IntEnum(self.variants(&values, s, ptr))
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
                    self.union(name, &parts, s.schema_data.discriminator.as_ref(), ptr, key)?
                }
                _ => TypeKind::Alias(self.inline_plain_or_single(s, name, ptr)?),
            },
        };
        let mut def = TypeDef::new(name.to_owned(), doc, kind);
        def.rust_type = self.rust_type(s, ptr);
        def.xml_name = xml_object(s).and_then(|x| x.get("name")?.as_str().map(str::to_owned));
        self.push_type(def);
        Ok(())
    }

    /// The type a schema's `x-rust-type` (typify's extension) names: a crate, its version and
    /// a path in it, without type parameters. One that cannot be used is warned of.
    fn rust_type(&mut self, s: &Schema, ptr: &Pointer) -> Option<RustType> {
        let found = s.schema_data.extensions.get("x-rust-type")?;
        let text = |key: &str| found.get(key).and_then(serde_json::Value::as_str).map(str::to_owned);
        let at = ptr.join("x-rust-type");
        let generic = found
            .get("parameters")
            .and_then(serde_json::Value::as_array)
            .is_some_and(|p| !p.is_empty());
        match (text("crate"), text("version"), text("path")) {
            (Some(krate), Some(version), Some(path)) if !generic && rust_path(&path) => Some(RustType {
                krate,
                version,
                path,
                pointer: at,
            }),
            _ => {
                self.warn(
                    &at,
                    "expected `crate`, `version` and a `path` to a type without `parameters`: the schema is generated",
                );
                None
            }
        }
    }

    pub(super) fn inline_plain_or_single(&mut self, s: &Schema, name: &str, ptr: &Pointer) -> Result<Ty, Located> {
        match composition(s) {
            Some((key, members)) if members.len() == 1 => {
                let (i, only) = members[0];
                Ok(self.resolve(only, name, &ptr.join(key).join(i))?.ty)
            }
            _ => self.plain(s, name, ptr),
        }
    }

    pub(super) fn fields(
        &mut self,
        parent: &str,
        props: &ObjectProps,
        required: &[String],
        ptr: &Pointer,
    ) -> Result<Vec<Field>, Located> {
        let mut names = BTreeSet::new();
        let mut fields = Vec::new();
        for (wire, p) in props {
            let pptr = ptr.join("properties").join(wire);
            let r = self.resolve_boxed(p, &format!("{parent}{}", camel(wire)), &pptr)?;
            let is_required = required.iter().any(|x| x == wire);
            let deprecated = matches!(p, ReferenceOr::Item(s) if s.schema_data.deprecated);
            let constraints = Constraints::of(p, &r.ty, |r| self.schema_at(r));
            self.check_pattern(constraints.as_ref(), &pptr);
            fields.push(Field {
                name: unique(&mut names, snake(wire)),
                wire: wire.clone(),
                ty: r.ty,
                optional: !is_required || r.nullable,
                skip_if_none: !is_required,
                nullable: r.nullable,
                three_state: false,
                doc: r.doc,
                deprecated,
                boxed: false,
                constraints,
                xml: xml_names(p, |r| self.schema_at(r)),
                paging_role: match p {
                    ReferenceOr::Item(s) => paging_role(s),
                    ReferenceOr::Reference { .. } => None,
                },
            });
        }
        Ok(fields)
    }

    /// The component schema a `#/components/schemas/NAME` reference names, if any.
    pub(super) fn schema_at(&self, reference: &str) -> Option<&Schema> {
        let name = component_name(reference, "schemas")?;
        match self.doc.components.as_ref()?.schemas.get(&name)? {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// Whether `schema` is raw bytes (`type: string, format: binary`), itself or at the end of
    /// a chain of component references.
    pub(super) fn binary_schema(&self, schema: &ReferenceOr<Schema>) -> bool {
        self.schema_item(schema).is_some_and(|s| {
            matches!(&s.schema_kind, SchemaKind::Type(Type::String(t))
                if t.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
        })
    }

    /// The schema `schema` is, itself or at the end of a chain of component references
    /// (followed at most 64 deep: a cycle is no schema).
    pub(super) fn schema_item<'s>(&'s self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
        let mut current = schema;
        for _ in 0..64 {
            match current {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference } => {
                    let name = component_name(reference, "schemas")?;
                    current = self.doc.components.as_ref()?.schemas.get(&name)?;
                }
            }
        }
        None
    }
}

/// The properties map of an object schema, as openapiv3 types it.
pub(super) type ObjectProps = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

pub(super) fn schema_nullable(s: &Schema) -> bool {
    s.schema_data.nullable
        || matches!(&s.schema_kind, SchemaKind::Type(Type::String(t)) if t.enumeration.iter().any(Option::is_none))
}

pub(super) fn needs_definition(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) => t.enumeration.iter().any(Option::is_some),
        SchemaKind::Type(Type::Integer(t)) => t.enumeration.iter().any(Option::is_some),
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Any(a) => !a.properties.is_empty(),
        _ => composition(s).is_some_and(|(_, members)| members.len() > 1),
    }
}

/// How deep the model follows chains of `allOf` inclusions before it gives up.
pub(super) const MAX_DEPTH: usize = 64;

pub(super) fn too_deep(ptr: &Pointer) -> Located {
    Located::new(
        ptr,
        format!("the schemas nest more than {MAX_DEPTH} levels deep here; flatten the document"),
    )
}

/// The type of an array item or map value: `Option<T>` when it may be null (a JSON value
/// already holds null).
pub(super) fn nullable_ty(r: Resolved) -> Ty {
    match r.ty {
        Ty::Json => Ty::Json,
        ty if r.nullable => Ty::Nullable(Box::new(ty)),
        ty => ty,
    }
}

/// The `purpose` of a schema's `x-stainless-pagination-property`.
pub(super) fn paging_role(s: &Schema) -> Option<String> {
    let role = s
        .schema_data
        .extensions
        .get("x-stainless-pagination-property")?
        .get("purpose")?;
    role.as_str().map(str::to_owned)
}

/// A schema's `xml` object (kept as `x-xml` by the normalizing, which openapiv3 would drop).
fn xml_object(s: &Schema) -> Option<&serde_json::Value> {
    s.schema_data.extensions.get("x-xml").filter(|x| x.is_object())
}

/// What a property's `xml` object, and its items', say; `None` when neither says anything.
fn xml_names<'a>(
    property: &'a ReferenceOr<Box<Schema>>,
    lookup: impl Fn(&str) -> Option<&'a Schema>,
) -> Option<XmlNames> {
    let schema = match property {
        ReferenceOr::Item(s) => Some(&**s),
        ReferenceOr::Reference { .. } => None,
    };
    let own = schema.and_then(xml_object);
    let text = |x: Option<&serde_json::Value>, key: &str| x?.get(key)?.as_str().map(str::to_owned);
    let flag = |key: &str| own.and_then(|x| x.get(key)?.as_bool()).unwrap_or(false);
    let items = match schema.map(|s| &s.schema_kind) {
        Some(SchemaKind::Type(Type::Array(a))) => a.items.as_ref().and_then(|i| match i {
            ReferenceOr::Item(s) => xml_object(s),
            ReferenceOr::Reference { reference } => lookup(reference).and_then(xml_object),
        }),
        _ => None,
    };
    let names = XmlNames {
        name: text(own, "name"),
        attribute: flag("attribute"),
        wrapped: flag("wrapped"),
        item: text(items, "name"),
    };
    (names != XmlNames::default()).then_some(names)
}

/// Whether `text` is a Rust path to a type (`chrono::NaiveDate`, `my_crate::money::Money`).
/// Only plain segments: type arguments could hold const expressions (macros among them).
pub(crate) fn rust_path(text: &str) -> bool {
    syn::parse_str::<syn::Path>(text).is_ok_and(|p| {
        p.leading_colon.is_none() && !p.segments.is_empty() && p.segments.iter().all(|s| s.arguments.is_none())
    })
}

/// The Rust integer of a `type: integer` format: signed widths up to 32 bits are `i32`,
/// unsigned ones up to 32 bits `u32`, `uint64` is `u64`, anything else `i64`.
fn integer_ty(format: &str) -> Ty {
    match format {
        "int32" | "int16" | "int8" => Ty::I32,
        "uint32" | "uint16" | "uint8" => Ty::U32,
        "uint64" => Ty::U64,
        _ => Ty::I64,
    }
}

pub(super) fn string_ty(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Ty {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ty::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Ty::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Ty::Bytes,
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Ty::External("super::runtime::Base64".to_owned()),
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "uuid" => Ty::Uuid,
            "int64" | "int32" => Ty::I64String,
            "uint32" | "uint64" => Ty::U64String,
            // Google's discovery documents: an RFC 3339 timestamp.
            "date-time" | "google-datetime" => Ty::DateTime,
            // Text with a Rust type of its own, from the runtime.
            "byte" => Ty::External("super::runtime::Base64".to_owned()),
            "base64url" => Ty::External("super::runtime::Base64Url".to_owned()),
            "google-duration" => Ty::External("super::runtime::GoogleDuration".to_owned()),
            "date" => Ty::Date,
            _ => Ty::String,
        },
        _ => Ty::String,
    }
}
