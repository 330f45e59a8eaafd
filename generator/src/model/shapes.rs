//! One type per distinct shape. Large documents repeat the same inline schema under many
//! names (GitHub's `owner`, `labels`, `permissions` objects, its string enums): each would be
//! a type of its own for rustc to check, expand and lay out. Inline types whose definitions
//! are the same (fields, their types, constraints and wire names; variants) become one: the
//! first in document order keeps its definition, and the others become type aliases of it,
//! so every name a user may have written still names the same shape. Descriptions do not
//! count: the same shape described in other words is the same type (its docs are the first
//! one's), so rewording a document never changes its types.
//!
//! Two types whose fields name types that are themselves merged are the same too, so merging
//! repeats until nothing changes. Component schemas keep their own types (the document named
//! them), as do types with derives, an `x-rust-type` or an XML name of their own.

use super::{Ty, TypeDef, TypeKind};
use std::collections::{BTreeSet, HashMap};

/// Merges the identical inline types among `types`, every type not named in `components`;
/// returns how many became aliases.
pub(super) fn merge_identical(types: &mut [TypeDef], components: &BTreeSet<&str>) -> usize {
    let candidates: Vec<usize> = (0..types.len()).filter(|&i| mergeable(&types[i], components)).collect();
    // Each merged name and the name of the type it became.
    let mut renamed: HashMap<String, String> = HashMap::new();
    loop {
        let mut first_of: HashMap<String, usize> = HashMap::new();
        let mut merged = false;
        for &i in &candidates {
            if renamed.contains_key(&types[i].name) {
                continue;
            }
            let key = shape_key(&types[i].kind, &renamed);
            match first_of.get(&key) {
                Some(&kept) => {
                    renamed.insert(types[i].name.clone(), types[kept].name.clone());
                    merged = true;
                }
                None => {
                    first_of.insert(key, i);
                }
            }
        }
        if !merged {
            break;
        }
    }
    for def in types.iter_mut() {
        if let Some(target) = renamed.get(&def.name) {
            def.doc
                .get_or_insert_with(|| format!("The same shape as [`{target}`]."));
            def.kind = TypeKind::Alias(Ty::Named(target.clone()));
        }
    }
    renamed.len()
}

/// Whether `def` may be merged with a type of the same shape: an inline struct, enum or
/// union that carries nothing of its own but its shape.
fn mergeable(def: &TypeDef, components: &BTreeSet<&str>) -> bool {
    !components.contains(def.name.as_str())
        && def.derives.is_empty()
        && def.rust_type.is_none()
        && def.xml_name.is_none()
        && !matches!(def.kind, TypeKind::Alias(_))
}

/// The shape of `kind` as text, with the types it names as they are after `renamed`.
fn shape_key(kind: &TypeKind, renamed: &HashMap<String, String>) -> String {
    let mut kind = kind.clone();
    match &mut kind {
        TypeKind::Struct(fields) => fields.iter_mut().for_each(|f| {
            rename(&mut f.ty, renamed);
            f.doc = None;
        }),
        TypeKind::Union { variants, .. } => variants.iter_mut().for_each(|v| {
            rename(&mut v.ty, renamed);
            v.doc = None;
        }),
        TypeKind::Alias(ty) => rename(ty, renamed),
        TypeKind::Enum(_) | TypeKind::IntEnum(_) => {}
    }
    format!("{kind:?}")
}

fn rename(ty: &mut Ty, renamed: &HashMap<String, String>) {
    match ty {
        Ty::Named(name) => {
            if let Some(target) = renamed.get(name.as_str()) {
                name.clone_from(target);
            }
        }
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Nullable(inner) => rename(inner, renamed),
        _ => {}
    }
}
