//! Component references: `#/components/{section}/NAME`, the one parser for all sections.

use crate::error::Located;
use crate::pointer::Pointer;
use openapiv3::{ReferenceOr, Schema};

/// The NAME of a `#/components/{section}/NAME` reference; `None` for any other reference.
pub(super) fn component_name(reference: &str, section: &str) -> Option<String> {
    Pointer::parse(reference)?.component(section)
}

/// Resolves `item` against one section of `components` (`#/components/{section}/NAME`). A
/// reference elsewhere, or to a name the section lacks, is an error at `{ptr}/$ref`.
pub(super) fn component<'a, T>(
    item: &'a ReferenceOr<T>,
    entries: Option<&'a indexmap::IndexMap<String, ReferenceOr<T>>>,
    section: &str,
    what: &str,
    ptr: &Pointer,
) -> Result<&'a T, Located> {
    let reference = match item {
        ReferenceOr::Item(t) => return Ok(t),
        ReferenceOr::Reference { reference } => reference,
    };
    let target = component_name(reference, section).and_then(|name| entries?.get(&name));
    match target {
        Some(ReferenceOr::Item(t)) => Ok(t),
        _ => Err(Located::new(
            ptr.join("$ref"),
            format!("reference {reference} does not resolve to {what}"),
        )),
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
            let Some(next) = component_name(reference, "schemas") else {
                break;
            };
            let Some((key, _)) = schemas.get_key_value(&next) else {
                break;
            };
            current = key.as_str();
        }
    }
    None
}
