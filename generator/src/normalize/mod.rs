//! Stage 2: any supported document to the one OpenAPI 3.0 shape the later stages read, as a
//! transform of the JSON value.
//!
//! - [`upgrade`]: Swagger 2.0 to 3.0;
//! - [`downgrade`]: 3.1 to 3.0;
//! - [`security`]: security schemes and OAuth 2.0 flows the later stages cannot read left out;
//! - [`keywords`]: keywords whose value has the wrong JSON type mended or left out;
//! - [`hoist`]: path items that are `$ref`s inlined, and `$ref`s into the middle of the document
//!   turned into references to new components.
//!
//! Each step records where the nodes it moved came from ([`Origins`]), so an error found later
//! points into the user's document.

mod downgrade;
mod hoist;
mod keywords;
mod security;
mod upgrade;

pub(crate) use security::usable_url;

use crate::error::{Located, Origins, Warning};
use crate::parse::SpecVersion;
use serde_json::Value;

/// A document as OpenAPI 3.0, where the nodes the steps made came from, and the lossy
/// choices made on the way (pointers into the user's document).
pub(crate) struct Normalized {
    pub doc: Value,
    pub origins: Origins,
    pub warnings: Vec<Warning>,
}

/// The document as OpenAPI 3.0.
pub(crate) fn normalize(raw: Value, version: SpecVersion) -> Result<Normalized, Located> {
    let (mut doc, upgraded, mut warnings) = match version {
        SpecVersion::Swagger2 => upgrade::swagger2_to_openapi3(&raw)?,
        SpecVersion::OpenApi30 => (raw, Origins::default(), Vec::new()),
        SpecVersion::OpenApi31 => {
            let mut raw = raw;
            let (warnings, moved) = downgrade::openapi31_to_30(&mut raw);
            (raw, moved, warnings)
        }
    };
    // Pointers into the 3.0 document, moved back into the user's.
    let mut made = security::usable_schemes(&mut doc);
    made.extend(keywords::mend(&mut doc));
    warnings.extend(made.into_iter().map(|w| upgraded.locate(w.into()).into_warning()));
    hoist::inline_path_items(&mut doc);
    let hoisted = hoist::hoist_schema_refs(&mut doc);
    Ok(Normalized {
        doc,
        origins: hoisted.followed_by(upgraded),
        warnings,
    })
}

/// A `type` as JSON Schema lets it be written (a name, `"null"`, or a list of them) as OpenAPI
/// 3.0 says it: the one type (none for several: any value) and whether null is allowed. Used by
/// both the 2.0 upgrade (draft 4 schemas) and the 3.1 down-conversion.
pub(crate) fn one_type(declared: Option<&Value>) -> (Option<String>, bool) {
    match declared {
        Some(Value::String(t)) if t == "null" => (None, true),
        Some(Value::String(t)) => (Some(t.clone()), false),
        Some(Value::Array(types)) => {
            let named: Vec<&str> = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            let null = types.iter().any(|t| t.as_str() == Some("null"));
            match named.as_slice() {
                [only] => (Some((*only).to_owned()), null),
                _ => (None, null),
            }
        }
        _ => (None, false),
    }
}
