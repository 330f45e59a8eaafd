//! Component references: `#/components/{section}/NAME`, the one parser for all sections.

use crate::error::{join, unescape_token, Located};
use openapiv3::ReferenceOr;

/// Resolves `item` against one section of `components` (`#/components/{section}/NAME`). A
/// reference elsewhere, or to a name the section lacks, is an error at `{ptr}/$ref`.
pub(super) fn component<'a, T>(
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
