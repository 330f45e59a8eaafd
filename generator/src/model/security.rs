//! Security schemes and the requirements each operation states.

use super::Location;
use crate::error::{Located, Warning};
use crate::names;
use crate::pointer::Pointer;
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme as Declared};

/// A security scheme the client can satisfy.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Its name in `components/securitySchemes`.
    pub name: String,
    pub kind: SchemeKind,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// HTTP basic.
    Basic,
    /// `Authorization: Bearer`: HTTP bearer, OAuth 2.0, OpenID Connect.
    Bearer,
    /// An API key in a header, the query or a cookie, under the parameter name `param`; the
    /// `ClientBuilder` method that sets it is `method`.
    ApiKey {
        location: Location,
        param: String,
        method: String,
    },
}

/// The document's security schemes the client supports, in document order. HTTP schemes
/// other than basic and bearer (digest, HOBA, ...) are left out, each with a warning; the
/// requirements naming them cannot be met (see [`requirements`]).
pub(crate) fn schemes(doc: &OpenAPI) -> Result<(Vec<SecurityScheme>, Vec<Warning>), Located> {
    let mut warnings = Vec::new();
    let Some(components) = &doc.components else {
        return Ok((Vec::new(), warnings));
    };
    let mut out = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let ptr = Pointer::at(&["components", "securitySchemes"]).join(name);
        let ReferenceOr::Item(scheme) = scheme else {
            return Err(Located::new(
                ptr.join("$ref"),
                "security scheme references are not supported; declare the scheme here",
            ));
        };
        let (kind, doc) = match scheme {
            Declared::APIKey {
                location,
                name: param,
                description,
                ..
            } => {
                let location = match location {
                    APIKeyLocation::Header => Location::Header,
                    APIKeyLocation::Query => Location::Query,
                    APIKeyLocation::Cookie => Location::Cookie,
                };
                (
                    SchemeKind::ApiKey {
                        location,
                        param: param.clone(),
                        // Named once every scheme is known (see `name_key_methods`).
                        method: String::new(),
                    },
                    description,
                )
            }
            Declared::HTTP {
                scheme, description, ..
            } => match scheme.to_ascii_lowercase().as_str() {
                "basic" => (SchemeKind::Basic, description),
                "bearer" => (SchemeKind::Bearer, description),
                other => {
                    warnings.push(Warning {
                        pointer: ptr.join("scheme"),
                        message: format!(
                            "the HTTP `{other}` scheme is not one the client can use: left out, and the requirements that name it cannot be met"
                        ),
                    });
                    continue;
                }
            },
            Declared::OAuth2 { description, .. } | Declared::OpenIDConnect { description, .. } => {
                (SchemeKind::Bearer, description)
            }
        };
        out.push(SecurityScheme {
            name: name.clone(),
            kind,
            doc: super::non_empty(doc),
        });
    }
    name_key_methods(&mut out);
    Ok((out, warnings))
}

/// The `ClientBuilder` method of each API-key scheme: `api_key` when there is one, else the
/// scheme's name in snake case, with `_api_key` added unless it names a key already, clear of
/// the builder's own methods.
fn name_key_methods(schemes: &mut [SecurityScheme]) {
    let single = schemes
        .iter()
        .filter(|s| matches!(s.kind, SchemeKind::ApiKey { .. }))
        .count()
        == 1;
    let mut taken = names::scope(names::CLIENT_BUILDER_METHODS);
    for scheme in schemes {
        let SchemeKind::ApiKey { method, .. } = &mut scheme.kind else {
            continue;
        };
        let wanted = if single {
            "api_key".to_owned()
        } else {
            let base = names::snake(&scheme.name);
            if base.contains("key") {
                base
            } else {
                format!("{base}_api_key")
            }
        };
        *method = names::unique(&mut taken, wanted);
    }
}

/// An operation's requirements as alternative sets of scheme names: `security` if the
/// operation states it, else the document's. An empty list means no credentials; an empty set
/// among others makes them optional. A set naming a scheme the client does not support, or one
/// the document never declares, cannot be met and is dropped.
pub(crate) fn requirements(
    stated: Option<&Vec<SecurityRequirement>>,
    supported: &[SecurityScheme],
) -> Vec<Vec<String>> {
    let Some(stated) = stated else {
        return Vec::new();
    };
    stated
        .iter()
        .filter(|requirement| requirement.keys().all(|name| supported.iter().any(|s| &s.name == name)))
        .map(|requirement| requirement.keys().cloned().collect())
        .collect()
}
