//! The caller's choices about generated types, applied to a built model: schemas replaced by
//! existing Rust types (`x-rust-type` where the caller allows the crate, and replacements the
//! caller names), and derives added. A replaced type stays in `types` as an alias of the Rust
//! type, so everything that names it (fields, bodies, error bodies) keeps compiling.

use super::schemas::rust_path;
use super::{Api, Ty, TypeDef, TypeKind, Warning};
use crate::error::Located;
use crate::pointer::Pointer;

/// The crates whose types generated code may always name: the runtime re-exports them, and
/// every module imports them from it.
pub const RUNTIME_CRATES: &[&str] = &["chrono", "uuid", "serde_json", "bytes"];

/// What the caller chose (see `ClientSettings`).
pub(crate) struct Choices<'a> {
    pub replacements: &'a [(String, String)],
    pub derives: &'a [(String, Vec<String>)],
    pub rust_type_crates: &'a [String],
}

impl Choices<'_> {
    /// No choice: only the types `x-rust-type` names in the runtime's crates.
    pub(crate) const NONE: Choices<'static> = Choices {
        replacements: &[],
        derives: &[],
        rust_type_crates: &[],
    };
}

/// Applies `choices` to `api`.
///
/// # Errors
/// When a replacement or a derive names a schema the document does not have, or is not a Rust
/// path.
pub(crate) fn apply(api: &mut Api, choices: &Choices<'_>) -> Result<(), Located> {
    allow_rust_types(api, choices.rust_type_crates);
    for (schema, path) in choices.replacements {
        check_path(path, "replace a schema with")?;
        let Some(def) = named(api, schema)? else { continue };
        def.kind = TypeKind::Alias(Ty::External(path.clone()));
    }
    for (schema, derives) in choices.derives {
        for derive in derives {
            check_path(derive, "derive")?;
        }
        let Some(def) = named(api, schema)? else { continue };
        def.derives.extend(derives.iter().cloned());
    }
    Ok(())
}

/// Puts the type an `x-rust-type` names in place of its schema, where the crate is allowed
/// (the runtime's always are: [`Document::model`](crate::Document::model) applies them, and
/// warns of the others, which a caller's allowing later takes back).
fn allow_rust_types(api: &mut Api, allowed: &[String]) {
    let mut warnings = Vec::new();
    for def in &mut api.types {
        let Some(rust) = def.rust_type.clone() else { continue };
        let runtime = RUNTIME_CRATES.contains(&rust.krate.as_str());
        let warning = not_allowed(&rust.krate);
        if !runtime && !allowed.contains(&rust.krate) {
            if !api.warnings.iter().any(|w| w.message == warning) {
                warnings.push(Warning {
                    file: None,
                    pointer: rust.pointer.clone(),
                    message: warning,
                });
            }
            continue;
        }
        api.warnings.retain(|w| w.message != warning);
        def.kind = TypeKind::Alias(Ty::External(rust.path.clone()));
        if !runtime && !api.crates.iter().any(|(k, _)| *k == rust.krate) {
            api.crates.push((rust.krate.clone(), rust.version.clone()));
        }
    }
    api.crates.sort();
    api.warnings.extend(warnings);
}

/// The warning for a crate an `x-rust-type` names that was not allowed.
fn not_allowed(krate: &str) -> String {
    format!(
        "`x-rust-type` names the crate `{krate}`, which was not allowed: the schema is generated (allow it with `--rust-type-crate {krate}`)"
    )
}

/// The generated type of the schema called `name` (its name in the document or in Rust);
/// `None` when a selection of operations left it out.
fn named<'a>(api: &'a mut Api, name: &str) -> Result<Option<&'a mut TypeDef>, Located> {
    let rust = crate::names::camel(name);
    if api.left_out.iter().any(|t| *t == name || *t == rust) {
        return Ok(None);
    }
    let known: Vec<String> = api.types.iter().map(|t| t.name.clone()).collect();
    api.types
        .iter_mut()
        .find(|t| t.name == name || t.name == rust)
        .map(Some)
        .ok_or_else(|| {
            let mut close: Vec<&String> = known
                .iter()
                .filter(|k| k.to_lowercase().contains(&rust.to_lowercase()))
                .collect();
            close.truncate(8);
            Located::new(
                Pointer::at(&["components", "schemas"]),
                format!(
                    "no schema `{name}` to change{}",
                    if close.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " (types with a close name: {})",
                            close.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
                        )
                    }
                ),
            )
        })
}

fn check_path(path: &str, what: &str) -> Result<(), Located> {
    if rust_path(path) {
        Ok(())
    } else {
        Err(Located::new(
            Pointer::root(),
            format!("`{path}` is not a Rust path to {what} (`my_crate::Money`, say)"),
        ))
    }
}
