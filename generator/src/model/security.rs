//! Security schemes and the requirements each operation states.

use super::Location;
use crate::error::{join, Located};
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
    /// An API key in a header, the query or a cookie, under the parameter name `param`.
    ApiKey { location: Location, param: String },
}

/// The document's security schemes the client supports, in document order. HTTP schemes
/// other than basic and bearer (digest, HOBA, ...) are left out; the requirements naming them
/// cannot be met (see [`requirements`]).
pub(crate) fn schemes(doc: &OpenAPI) -> Result<Vec<SecurityScheme>, Located> {
    let Some(components) = &doc.components else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let ptr = join("#/components/securitySchemes", name);
        let ReferenceOr::Item(scheme) = scheme else {
            return Err(Located::new(
                join(&ptr, "$ref"),
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
                    },
                    description,
                )
            }
            Declared::HTTP {
                scheme, description, ..
            } => match scheme.to_ascii_lowercase().as_str() {
                "basic" => (SchemeKind::Basic, description),
                "bearer" => (SchemeKind::Bearer, description),
                _ => continue,
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
    Ok(out)
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
