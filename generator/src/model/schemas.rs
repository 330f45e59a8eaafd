//! Schemas to Rust types: references, inline schemas named from their place, structs,
//! string enums, `allOf` merges and `oneOf`/`anyOf` unions.

use super::references::component;
use super::{
    non_empty, Builder, Constraints, Discriminator, Field, Resolved, Ty, TypeDef, TypeKind, UnionVariant, Variant,
};
use crate::error::{join, unescape_token, Located};
use crate::names::{camel, snake, unique};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
use std::collections::BTreeSet;

impl Builder<'_> {
    pub(super) fn push_type(&mut self, def: TypeDef) {
        self.index.insert(&def.name, self.types.len());
        self.types.push(def);
    }

    pub(super) fn reference(&self, reference: &str, ptr: &str) -> Result<Resolved, Located> {
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
    pub(super) fn resolve(&mut self, schema: &ReferenceOr<Schema>, hint: &str, ptr: &str) -> Result<Resolved, Located> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, ptr),
            ReferenceOr::Item(s) => self.inline(s, hint, ptr),
        }
    }

    pub(super) fn resolve_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        ptr: &str,
    ) -> Result<Resolved, Located> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, ptr),
            ReferenceOr::Item(s) => self.inline(s, hint, ptr),
        }
    }

    pub(super) fn inline(&mut self, s: &Schema, hint: &str, ptr: &str) -> Result<Resolved, Located> {
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
    pub(super) fn plain(&mut self, s: &Schema, hint: &str, ptr: &str) -> Result<Ty, Located> {
        Ok(match &s.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                if let VariantOrUnknownOrEmpty::Unknown(format) = &t.format {
                    self.unknown_format(format, ptr);
                }
                string_ty(&t.format)
            }
            SchemaKind::Type(Type::Integer(t)) => {
                if !t.enumeration.is_empty() {
                    self.warn(
                        ptr,
                        "an integer enum is a plain integer: the values it may take are not checked",
                    );
                }
                match &t.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Ty::I32,
                    _ => Ty::I64,
                }
            }
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
                    Some(f) => {
                        self.unknown_format(f, ptr);
                        string_ty(&VariantOrUnknownOrEmpty::Unknown(f.to_owned()))
                    }
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
                (Some(other), _) => {
                    self.warn(
                        &join(ptr, "type"),
                        format!("`{other}` is not a type OpenAPI knows: any JSON value (`serde_json::Value`)"),
                    );
                    Ty::Json
                }
            },
            SchemaKind::Not { .. } => {
                self.warn(
                    &join(ptr, "not"),
                    "`not` says what a value is not, which no Rust type can: any JSON value (`serde_json::Value`)",
                );
                Ty::Json
            }
            SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => Ty::Json,
        })
    }

    /// Warns of a `pattern` the client's regular expressions cannot run (look-around,
    /// back-references): it is not checked before sending.
    pub(super) fn check_pattern(&mut self, constraints: Option<&Constraints>, ptr: &str) {
        let Some(pattern) = constraints.and_then(|c| c.pattern.as_deref()) else {
            return;
        };
        let look_around = ["(?=", "(?!", "(?<=", "(?<!"].iter().any(|l| pattern.contains(l));
        let back_reference = pattern
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'\\' && (b'1'..=b'9').contains(&w[1]));
        if look_around || back_reference {
            self.warn(
                &join(ptr, "pattern"),
                "the pattern uses look-around or back-references, which the client's regular expressions do not support: not checked before sending",
            );
        }
    }

    /// Warns of a string format that is neither given a type of its own (see [`string_ty`]) nor
    /// one OpenAPI or JSON Schema defines as text whose shape the format names.
    fn unknown_format(&mut self, format: &str, ptr: &str) {
        const TEXT: [&str; 18] = [
            // Without a `type: string` openapiv3 recognises, binary data is text too.
            "binary",
            "byte",
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
        ];
        let typed = string_ty(&VariantOrUnknownOrEmpty::Unknown(format.to_owned())) != Ty::String;
        if !typed && !TEXT.contains(&format) {
            self.warn(
                &join(ptr, "format"),
                format!("the string format `{format}` is not one the generator knows: a String"),
            );
        }
    }

    pub(super) fn map_ty(
        &mut self,
        extra: &Option<AdditionalProperties>,
        hint: &str,
        ptr: &str,
    ) -> Result<Ty, Located> {
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
    pub(super) fn define_named(&mut self, name: &str, s: &Schema, ptr: &str) -> Result<(), Located> {
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
                    self.union(name, &parts, s.schema_data.discriminator.as_ref(), ptr, key)?
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

    /// `oneOf`/`anyOf` (`key`) of several schemas, in the schema at `ptr`: one variant each,
    /// named after the referenced type or the kind of value, in document order; a value of no
    /// listed shape fails to decode.
    pub(super) fn union(
        &mut self,
        name: &str,
        parts: &[&ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        ptr: &str,
        key: &str,
    ) -> Result<TypeKind, Located> {
        let mut taken = BTreeSet::new();
        let mut variants = Vec::new();
        let mut refs = Vec::new();
        let parts_ptr = join(ptr, key);
        for (i, part) in parts.iter().enumerate() {
            let r = self.resolve(
                part,
                &format!("{name}Variant{}", i + 1),
                &join(&parts_ptr, &i.to_string()),
            )?;
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
        let used = discriminator.and_then(|d| {
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
        if discriminator.is_some() && used.is_none() {
            self.warn(
                &join(ptr, "discriminator"),
                "a discriminator needs every member to be a `$ref`: the first member that decodes wins",
            );
        }
        Ok(TypeKind::Union {
            variants,
            discriminator: used,
        })
    }

    pub(super) fn inline_plain_or_single(&mut self, s: &Schema, name: &str, ptr: &str) -> Result<Ty, Located> {
        match composition(s) {
            Some((key, members)) if members.len() == 1 => {
                let (i, only) = members[0];
                Ok(self.resolve(only, name, &format!("{ptr}/{key}/{i}"))?.ty)
            }
            _ => self.plain(s, name, ptr),
        }
    }

    pub(super) fn fields(
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
            self.check_pattern(constraints.as_ref(), &pptr);
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
    pub(super) fn merge(
        &mut self,
        parent: &str,
        parts: &[Member<'_>],
        ptr: &str,
        through: &mut Vec<String>,
    ) -> Result<Vec<Field>, Located> {
        let mut out: Vec<Field> = Vec::new();
        for (i, part) in parts {
            let part_ptr = format!("{ptr}/allOf/{i}");
            let doc = self.doc;
            let schema = component(
                part,
                doc.components.as_ref().map(|c| &c.schemas),
                "schemas",
                "a schema",
                &part_ptr,
            )?;
            // The part's own place: a referenced component's fields are typed as the component
            // types them (its inline types are the component's), an inline part's as the parent's.
            let (owner, fields_ptr, component_name) = match part {
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
                    (rust, join("#/components/schemas", &name), Some(name))
                }
                ReferenceOr::Item(_) => (parent.to_owned(), part_ptr, None),
            };
            let fields = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => self.fields(&owner, &o.properties, &o.required, &fields_ptr)?,
                SchemaKind::Any(a) => self.fields(&owner, &a.properties, &a.required, &fields_ptr)?,
                _ => match composition(schema) {
                    Some(("allOf", members)) => {
                        through.extend(component_name.iter().cloned());
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

    /// The component schema a `#/components/schemas/NAME` reference names, if any.
    pub(super) fn schema_at(&self, reference: &str) -> Option<&Schema> {
        let name = unescape_token(reference.strip_prefix("#/components/schemas/")?);
        match self.doc.components.as_ref()?.schemas.get(&name)? {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { .. } => None,
        }
    }
}

/// The first component (in document order) that is a `$ref` whose chain of plain references
/// comes back to it, with the chain as text (`A -> B -> A`): such a schema has no definition
/// anywhere. Each component is walked once, so long chains cost linear time.
pub(super) fn reference_cycle(schemas: &indexmap::IndexMap<String, ReferenceOr<Schema>>) -> Option<(String, String)> {
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

/// The properties map of an object schema, as openapiv3 types it.
pub(super) type ObjectProps = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

pub(super) fn schema_nullable(s: &Schema) -> bool {
    s.schema_data.nullable
        || matches!(&s.schema_kind, SchemaKind::Type(Type::String(t)) if t.enumeration.iter().any(Option::is_none))
}

/// The keyword and the member schemas of an `allOf`, `oneOf` or `anyOf`, each with its index.
///
/// Members of an `allOf` that only annotate (a `description`, `nullable`, an `example`: no type
/// and no structure) are left out, so the common wrapper `allOf: [{$ref: X}, {description: ...}]`
/// is `X` itself; their annotations are read by [`annotations`].
pub(super) fn composition(s: &Schema) -> Option<(&'static str, Vec<Member<'_>>)> {
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
pub(super) type Member<'a> = (usize, &'a ReferenceOr<Schema>);

/// A schema with no type, structure or constraint: it only says something about its value.
pub(super) fn annotation_only(part: &ReferenceOr<Schema>) -> bool {
    matches!(part, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(a) if *a == openapiv3::AnySchema::default()))
}

/// The description and nullability that the annotation-only members of an `allOf` add.
pub(super) fn annotations(s: &Schema) -> (Option<String>, bool) {
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

pub(super) fn needs_definition(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) => t.enumeration.iter().any(Option::is_some),
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Any(a) => !a.properties.is_empty(),
        _ => composition(s).is_some_and(|(_, members)| members.len() > 1),
    }
}

/// How deep the model follows chains of `allOf` inclusions before it gives up.
pub(super) const MAX_DEPTH: usize = 64;

pub(super) fn too_deep(ptr: &str) -> Located {
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

/// A union variant's name: the type's own name, or the kind of value.
pub(super) fn variant_name(ty: &Ty) -> String {
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

pub(super) fn string_ty(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Ty {
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

pub(super) fn variants<'a>(values: impl Iterator<Item = &'a String>) -> Vec<Variant> {
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
