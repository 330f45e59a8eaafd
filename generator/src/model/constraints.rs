//! The constraints a schema declares on a value (bounds, lengths, pattern, item counts), kept
//! where the client can check them before sending: on parameters and on request body fields.

use super::Ty;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use std::borrow::Borrow;

/// Declared constraints of one value: the runtime's `Constraints`, the pattern held as a
/// `String`.
pub type Constraints = crate::vocabulary::Constraints<String>;

impl Constraints {
    /// The constraints of `schema` that apply to a value of Rust type `ty`, if any. A `$ref` is
    /// followed through `lookup` once; string constraints are dropped when the format gives the
    /// value a type of its own (a date cannot break a date pattern).
    pub(crate) fn of<'a, S: Borrow<Schema>>(
        schema: &'a ReferenceOr<S>,
        ty: &Ty,
        lookup: impl Fn(&str) -> Option<&'a Schema>,
    ) -> Option<Constraints> {
        let schema = match schema {
            ReferenceOr::Item(s) => s.borrow(),
            ReferenceOr::Reference { reference } => lookup(reference)?,
        };
        Self::of_schema(schema, ty)
    }

    fn of_schema(schema: &Schema, ty: &Ty) -> Option<Constraints> {
        let mut c = Constraints::default();
        match (&schema.schema_kind, ty) {
            (SchemaKind::Type(Type::Integer(t)), Ty::I32 | Ty::I64 | Ty::I64String | Ty::U32 | Ty::U64) => {
                c.minimum = t.minimum.map(|v| v as f64);
                c.maximum = t.maximum.map(|v| v as f64);
                c.exclusive_minimum = t.exclusive_minimum;
                c.exclusive_maximum = t.exclusive_maximum;
            }
            (SchemaKind::Type(Type::Number(t)), Ty::F32 | Ty::F64) => {
                c.minimum = t.minimum.filter(|v| v.is_finite());
                c.maximum = t.maximum.filter(|v| v.is_finite());
                c.exclusive_minimum = t.exclusive_minimum;
                c.exclusive_maximum = t.exclusive_maximum;
            }
            (SchemaKind::Type(Type::String(t)), Ty::String) => {
                c.min_length = t.min_length;
                c.max_length = t.max_length;
                c.pattern = t.pattern.clone().filter(|p| !p.is_empty());
            }
            (SchemaKind::Type(Type::Array(t)), Ty::Vec(_)) => {
                c.min_items = t.min_items;
                c.max_items = t.max_items;
            }
            _ => return None,
        }
        // Bounds of 0 on an unsigned count and the like are still worth checking; only the
        // absence of every constraint means there is nothing to check.
        (c != Constraints::default()).then_some(c)
    }
}
