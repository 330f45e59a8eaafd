//! The model of part of a document: the operations a [`Selection`] keeps, and the types they
//! reach. It runs after every operation is named and before anything is computed from the
//! operations (which types requests send, features, shared error tables), so those follow from
//! the kept operations alone, and names stay those of the whole document.

use super::reach::{reached, roots};
use super::{Builder, Operation, TypeIndex};
use crate::error::Located;
use crate::pointer::Pointer;
use crate::select::{Candidate, Selection};
use std::collections::BTreeSet;

/// What a selection left out.
#[derive(Debug, Default)]
pub(super) struct LeftOut {
    /// The nodes of the document (in the normalized document) only left-out parts use: the
    /// dropped operations, the path items with none kept, the component schemas of dropped
    /// types. Warnings at them are not the selected client's.
    pub nodes: Vec<Pointer>,
    /// The Rust names of the types dropped, sorted.
    pub types: Vec<String>,
}

/// Keeps the operations `selection` chooses and the types they reach; drops the warnings at
/// what is left out.
///
/// # Errors
/// When a pattern matches nothing, or nothing is left (see [`Selection::choose`]).
pub(super) fn keep(
    b: &mut Builder<'_>,
    operations: &mut Vec<Operation>,
    selection: &Selection,
) -> Result<LeftOut, Located> {
    if selection.is_everything() {
        return Ok(LeftOut::default());
    }
    let candidates: Vec<Candidate<'_>> = operations
        .iter()
        .map(|op| Candidate {
            tags: &op.tags,
            id: op.operation_id.as_deref(),
            method_name: &op.method_name,
        })
        .collect();
    let chosen = selection
        .choose(&candidates)
        .map_err(|message| Located::new(Pointer::root(), message))?;
    let mut left_out = LeftOut::default();
    let mut decisions = chosen.into_iter();
    let mut kept_paths = BTreeSet::new();
    let mut dropped_paths = BTreeSet::new();
    operations.retain(|op| {
        let keep = decisions.next().unwrap_or(false);
        if keep {
            kept_paths.insert(op.path.clone());
        } else {
            let method = op.method.as_str().to_ascii_lowercase();
            left_out.nodes.push(Pointer::at(&["paths"]).join(&op.path).join(method));
            dropped_paths.insert(op.path.clone());
        }
        keep
    });
    for path in dropped_paths.difference(&kept_paths) {
        left_out.nodes.push(Pointer::at(&["paths"]).join(path));
    }

    let from: Vec<_> = operations.iter().flat_map(roots).collect();
    let hit = reached(&b.types, &b.index, &from);
    let mut hit = hit.into_iter();
    let mut dropped = BTreeSet::new();
    b.types.retain(|t| {
        let keep = hit.next().unwrap_or(true);
        if !keep {
            dropped.insert(t.name.clone());
        }
        keep
    });
    b.index = TypeIndex::default();
    for (i, t) in b.types.iter().enumerate() {
        b.index.insert(&t.name, i);
    }
    for (schema, rust) in &b.components {
        if dropped.contains(rust) {
            left_out
                .nodes
                .push(Pointer::at(&["components", "schemas"]).join(schema));
        }
    }
    b.warnings
        .retain(|w| !left_out.nodes.iter().any(|node| w.pointer.is_within(node)));
    left_out.types = dropped.into_iter().collect();
    Ok(left_out)
}
