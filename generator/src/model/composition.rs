//! `allOf`, `oneOf` and `anyOf`: unions of several shapes, and merged objects.

use super::references::{component, component_name};
use super::schemas::{too_deep, MAX_DEPTH};
use super::{non_empty, Builder, Discriminator, Field, Ty, TypeKind, UnionVariant};
use crate::error::Located;
use crate::names::unique;
use crate::pointer::{unescape_token, Pointer};
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use std::collections::BTreeSet;

impl Builder<'_> {
    /// `oneOf`/`anyOf` (`key`) of several schemas, in the schema at `ptr`: one variant each,
    /// named after the referenced type or the kind of value, in document order; a value of no
    /// listed shape fails to decode.
    pub(super) fn union(
        &mut self,
        name: &str,
        parts: &[&ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        ptr: &Pointer,
        key: &str,
    ) -> Result<TypeKind, Located> {
        let mut taken = BTreeSet::new();
        let mut variants = Vec::new();
        let mut refs = Vec::new();
        let parts_ptr = ptr.join(key);
        for (i, part) in parts.iter().enumerate() {
            let r = self.resolve(part, &format!("{name}Variant{}", i + 1), &parts_ptr.join(i.to_string()))?;
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
                &ptr.join("discriminator"),
                "a discriminator needs every member to be a `$ref`: the first member that decodes wins",
            );
        }
        Ok(TypeKind::Union {
            variants,
            discriminator: used,
        })
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
        ptr: &Pointer,
        through: &mut Vec<String>,
    ) -> Result<Vec<Field>, Located> {
        let mut out: Vec<Field> = Vec::new();
        for (i, part) in parts {
            let part_ptr = ptr.join("allOf").join(i);
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
                    let name = component_name(reference, "schemas").unwrap_or_default();
                    if through.contains(&name) {
                        return Err(Located::new(
                            part_ptr.join("$ref"),
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
                    (rust, Pointer::at(&["components", "schemas"]).join(&name), Some(name))
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

/// A union variant's name: the type's own name, or the kind of value.
pub(super) fn variant_name(ty: &Ty) -> String {
    match ty {
        Ty::Named(n) => n.clone(),
        Ty::String => "String".into(),
        Ty::Bool => "Bool".into(),
        Ty::I32 | Ty::I64 | Ty::I64String | Ty::U32 | Ty::U64 | Ty::U64String => "Integer".into(),
        Ty::F32 | Ty::F64 => "Number".into(),
        Ty::Uuid => "Uuid".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::Bytes | Ty::Upload => "Bytes".into(),
        Ty::Json => "Value".into(),
        Ty::External(path) => crate::names::camel(path.rsplit("::").next().unwrap_or(path)),
        Ty::Vec(inner) => format!("{}List", variant_name(inner)),
        Ty::Map(inner) => format!("{}Map", variant_name(inner)),
        Ty::Nullable(inner) => format!("Optional{}", variant_name(inner)),
    }
}
