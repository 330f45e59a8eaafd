//! Security schemes, the OAuth 2.0 flows they declare, and the requirements each operation
//! states (with the scopes each requirement asks for).

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
    /// `Authorization: Bearer` with a token the user brings: HTTP bearer, OpenID Connect, and
    /// OAuth 2.0 schemes without a flow the client can run.
    Bearer,
    /// An API key in a header, the query or a cookie, under the parameter name `param`, sent
    /// as it is given (in an `Authorization` header too); the `ClientBuilder` method that sets
    /// it is `method`.
    ApiKey {
        location: Location,
        param: String,
        method: String,
    },
    /// OAuth 2.0: an access token sent as `Authorization: Bearer`, which the client can obtain
    /// and renew through the flows the document declares.
    OAuth2(Box<OAuthFlows>),
    /// AWS Signature Version 4 (an API gateway's `x-amazon-apigateway-authtype: awsSigv4`):
    /// each request is signed with AWS credentials.
    SigV4,
}

impl SchemeKind {
    /// Whether the scheme's credential is a token sent as `Authorization: Bearer`.
    #[must_use]
    pub fn is_bearer(&self) -> bool {
        matches!(self, SchemeKind::Bearer | SchemeKind::OAuth2(_))
    }
}

/// The OAuth 2.0 flows of a scheme that the client can run (the implicit flow, which hands
/// the token to a browser, is not one of them: its token is given as a bearer token).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OAuthFlows {
    pub client_credentials: Option<OAuthFlow>,
    pub authorization_code: Option<OAuthFlow>,
    pub password: Option<OAuthFlow>,
}

impl OAuthFlows {
    /// The declared flows, in the order the client prefers them.
    pub fn iter(&self) -> impl Iterator<Item = &OAuthFlow> {
        [&self.authorization_code, &self.client_credentials, &self.password]
            .into_iter()
            .flatten()
    }
}

/// One OAuth 2.0 flow. URLs are as the document gives them: absolute, or a path taken relative
/// to the client's base URL.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthFlow {
    pub token_url: String,
    /// Where the user grants access (the authorization-code flow).
    pub authorization_url: Option<String>,
    pub refresh_url: Option<String>,
    /// Where tokens are revoked (RFC 7009), from the flow's or the scheme's `x-revocation-url`.
    pub revocation_url: Option<String>,
    /// The scopes the flow offers, each with its description.
    pub scopes: Vec<(String, String)>,
}

/// One scheme of a requirement, with the scopes it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The scheme's name in `components/securitySchemes`.
    pub scheme: String,
    /// The OAuth 2.0 scopes (or, for other schemes, the roles) the operation needs.
    pub scopes: Vec<String>,
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
                extensions,
            } => (api_key(location, param, extensions), description),
            Declared::HTTP {
                scheme, description, ..
            } => match scheme.to_ascii_lowercase().as_str() {
                "basic" => (SchemeKind::Basic, description),
                "bearer" => (SchemeKind::Bearer, description),
                other => {
                    warnings.push(Warning {
                        file: None,
                        pointer: ptr.join("scheme"),
                        message: format!(
                            "the HTTP `{other}` scheme is not one the client can use: left out, and the requirements that name it cannot be met"
                        ),
                    });
                    continue;
                }
            },
            Declared::OAuth2 {
                flows,
                description,
                extensions,
            } => (oauth2(flows, extensions, &ptr, &mut warnings), description),
            Declared::OpenIDConnect { description, .. } => (SchemeKind::Bearer, description),
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

/// An API key, or a signed scheme an API gateway declares as one.
fn api_key(
    location: &APIKeyLocation,
    param: &str,
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
) -> SchemeKind {
    let signed = extensions
        .get("x-amazon-apigateway-authtype")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("awsSigv4"));
    if signed {
        return SchemeKind::SigV4;
    }
    let location = match location {
        APIKeyLocation::Header => Location::Header,
        APIKeyLocation::Query => Location::Query,
        APIKeyLocation::Cookie => Location::Cookie,
    };
    SchemeKind::ApiKey {
        location,
        param: param.to_owned(),
        // Named once every scheme is known (see `name_key_methods`).
        method: String::new(),
    }
}

/// An OAuth 2.0 scheme with the flows the client can run; one with none (only the implicit
/// flow, which ends in a browser) is a bearer token the user brings, with a warning.
fn oauth2(
    declared: &openapiv3::OAuth2Flows,
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
    ptr: &Pointer,
    warnings: &mut Vec<Warning>,
) -> SchemeKind {
    // One flow: its URLs as declared, its revocation endpoint, its scopes with their docs.
    let flow = |token: &str,
                authorize: Option<&String>,
                refresh: &Option<String>,
                scopes: &indexmap::IndexMap<String, String>,
                own: &indexmap::IndexMap<String, serde_json::Value>| OAuthFlow {
        token_url: token.to_owned(),
        authorization_url: authorize.cloned(),
        refresh_url: refresh.clone(),
        revocation_url: own
            .get("x-revocation-url")
            .or_else(|| extensions.get("x-revocation-url"))
            .and_then(serde_json::Value::as_str)
            .filter(|url| crate::normalize::usable_url(url))
            .map(str::to_owned),
        scopes: scopes
            .iter()
            .map(|(name, about)| (name.clone(), super::prose(about)))
            .collect(),
    };
    let flows = OAuthFlows {
        client_credentials: declared
            .client_credentials
            .as_ref()
            .map(|f| flow(&f.token_url, None, &f.refresh_url, &f.scopes, &f.extensions)),
        authorization_code: declared.authorization_code.as_ref().map(|f| {
            flow(
                &f.token_url,
                Some(&f.authorization_url),
                &f.refresh_url,
                &f.scopes,
                &f.extensions,
            )
        }),
        password: declared
            .password
            .as_ref()
            .map(|f| flow(&f.token_url, None, &f.refresh_url, &f.scopes, &f.extensions)),
    };
    if flows.iter().next().is_some() {
        return SchemeKind::OAuth2(Box::new(flows));
    }
    if declared.implicit.is_some() {
        warnings.push(Warning {
            file: None,
            pointer: ptr.join("flows").join("implicit"),
            message: "the implicit flow hands its token to a browser, which the client cannot run: give the client the token (`bearer_token`)".to_owned(),
        });
    }
    SchemeKind::Bearer
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

/// An operation's requirements as alternative sets of schemes with their scopes: `security`
/// if the operation states it, else the document's. An empty list means no credentials; an
/// empty set among others makes them optional. A set naming a scheme the client does not
/// support, or one the document never declares, cannot be met and is dropped.
pub(crate) fn requirements(
    stated: Option<&Vec<SecurityRequirement>>,
    supported: &[SecurityScheme],
) -> Vec<Vec<Requirement>> {
    let Some(stated) = stated else {
        return Vec::new();
    };
    stated
        .iter()
        .filter(|requirement| requirement.keys().all(|name| supported.iter().any(|s| &s.name == name)))
        .map(|requirement| {
            requirement
                .iter()
                .map(|(scheme, scopes)| Requirement {
                    scheme: scheme.clone(),
                    scopes: scopes.clone(),
                })
                .collect()
        })
        .collect()
}
