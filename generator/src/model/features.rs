//! Cargo features for the tags of a document that tags its operations: one per tag, named
//! from it, and `untagged` for operations without one. An operation compiles with any of its
//! tags' features; a type with any feature of an operation that reaches it (through its
//! parameters, body, answers, fields, variants and aliases). Types no operation reaches (and
//! the types they name) have the feature `standalone-types`. Everything of a document without
//! tags compiles always.

use super::reach::{reached, roots};
use super::{Operation, TypeDef, TypeIndex};
use crate::names::kebab;

/// The features the generated crate's manifest has for itself, which a tag's cannot be named.
const RESERVED: &[&str] = &[
    "default",
    "middleware",
    "blocking",
    "mock",
    "cli",
    WEBHOOKS,
    UNTAGGED,
    STANDALONE,
];

/// The feature of the `webhooks` module, and of the types its payloads reach.
pub const WEBHOOKS: &str = "webhooks";

/// The feature of operations without a tag, in a document that tags others.
pub const UNTAGGED: &str = "untagged";

/// The feature of the types no operation uses, in a document that tags its operations.
pub const STANDALONE: &str = "standalone-types";

/// Sets [`Operation::features`] and [`TypeDef::features`]; the features, in name order
/// (`untagged`, then `standalone-types`, last). The types webhook `payloads` reach compile with
/// the `webhooks` feature too (besides their others, `standalone-types` for those no operation
/// reaches, as before there was a module for them); the crate's manifest declares that
/// feature for itself.
pub(super) fn assign(
    types: &mut [TypeDef],
    index: &TypeIndex,
    operations: &mut [Operation],
    payloads: &[super::Ty],
) -> Vec<String> {
    if operations.iter().all(|op| op.tags.is_empty()) {
        return Vec::new();
    }
    let mut all: Vec<String> = Vec::new();
    for op in operations.iter_mut() {
        let mut features: Vec<String> = op.tags.iter().map(|t| feature_name(t)).collect();
        if features.is_empty() {
            features.push(UNTAGGED.to_owned());
        }
        features.dedup();
        features.sort();
        features.dedup();
        for f in &features {
            if !all.contains(f) && f != UNTAGGED {
                all.push(f.clone());
            }
        }
        op.features = features;
    }
    all.sort();
    if operations.iter().any(|op| op.features.iter().any(|f| f == UNTAGGED)) {
        all.push(UNTAGGED.to_owned());
    }
    for feature in &all {
        let from: Vec<_> = operations
            .iter()
            .filter(|op| op.features.contains(feature))
            .flat_map(roots)
            .collect();
        for (i, hit) in reached(types, index, &from).into_iter().enumerate() {
            if hit {
                types[i].features.push(feature.clone());
            }
        }
    }
    // The types no operation reaches (webhook payloads, say) have a feature of their own, and
    // so does every type they name (besides the features it has already).
    let standalone: Vec<_> = types
        .iter()
        .filter(|t| t.features.is_empty())
        .map(|t| super::Ty::Named(t.name.clone()))
        .collect();
    if !standalone.is_empty() {
        for (i, hit) in reached(types, index, &standalone).into_iter().enumerate() {
            if hit {
                types[i].features.push(STANDALONE.to_owned());
            }
        }
        all.push(STANDALONE.to_owned());
    }
    for (i, hit) in reached(types, index, payloads).into_iter().enumerate() {
        if hit {
            types[i].features.push(WEBHOOKS.to_owned());
        }
    }
    all
}

/// A tag's feature: kebab-case, alphanumeric, not one of the crate's own feature names.
fn feature_name(tag: &str) -> String {
    let kebab = kebab(tag);
    if RESERVED.contains(&kebab.as_str()) {
        format!("{kebab}-ops")
    } else {
        kebab
    }
}
