//! The generated module's credentials: the table of environment variables the client and the
//! tool read (`ENVIRONMENT`, `Client::from_env`), each OAuth 2.0 scheme's endpoints
//! (`Client::oauth`), and a `ClientBuilder` method per API-key scheme and for the client
//! credentials flow.

use super::send::rate_limit_token;
use super::{doc_attrs, ident, Settings};
use crate::model::{self, Api, EnvRole, Location, OAuthFlows, SchemeKind, SecurityScheme};
use proc_macro2::TokenStream;
use quote::quote;

/// Everything of the module about credentials and limits.
pub(super) fn items(api: &Api, settings: &Settings) -> TokenStream {
    let vars = model::variables(api, &settings.env_prefix, settings.fallback);
    let statics = oauth_statics(api);
    let oauth = oauth_schemes(api, &statics);
    let environment = environment(api, settings, &vars, &statics);
    let client = client_methods(api, settings, &vars, &statics);
    let builder = builder_methods(api);
    quote! {
        #oauth
        #environment
        #client
        #builder
    }
}

/// An OAuth 2.0 scheme, its flows, and the static of its endpoints.
type OAuthStatic<'a> = (&'a SecurityScheme, &'a OAuthFlows, proc_macro2::Ident);

/// Each OAuth 2.0 scheme with its flows and the name of the static of its endpoints
/// (`OAUTH_<SCHEME>`, unique), in document order: the first is the environment's
/// ([`model::env_oauth`]).
fn oauth_statics(api: &Api) -> Vec<OAuthStatic<'_>> {
    let mut taken = std::collections::BTreeSet::new();
    api.security_schemes
        .iter()
        .filter_map(|scheme| match &scheme.kind {
            SchemeKind::OAuth2(flows) => Some((scheme, &**flows)),
            _ => None,
        })
        .map(|(scheme, flows)| {
            let name = crate::names::unique(&mut taken, format!("OAUTH_{}", model::env_prefix_from(&scheme.name)));
            (scheme, flows, ident(&name))
        })
        .collect()
}

/// A `static` per OAuth 2.0 scheme with flows: its endpoints, and the scopes the operations
/// require of it.
fn oauth_schemes(api: &Api, statics: &[OAuthStatic<'_>]) -> TokenStream {
    let statics = statics.iter().map(|(scheme, flows, id)| {
        let name = &scheme.name;
        let code = flows.authorization_code.as_ref().map(|f| {
            let (authorize, token) = (f.authorization_url.as_deref().unwrap_or(""), &f.token_url);
            quote!((#authorize, #token))
        });
        let code = option(code);
        let client = option(flows.client_credentials.as_ref().map(|f| {
            let url = &f.token_url;
            quote!(#url)
        }));
        let password = option(flows.password.as_ref().map(|f| {
            let url = &f.token_url;
            quote!(#url)
        }));
        let refresh = option(flows.iter().find_map(|f| f.refresh_url.as_ref()).map(|u| quote!(#u)));
        let revocation = option(flows.iter().find_map(|f| f.revocation_url.as_ref()).map(|u| quote!(#u)));
        let scopes = required_scopes(api, name);
        let doc = doc_attrs(&[Some(&format!(
            "The OAuth 2.0 scheme `{name}` as the document declares it."
        ))]);
        Some(quote! {
            #doc
            static #id: runtime::OAuthEndpoints = runtime::OAuthEndpoints {
                scheme: #name,
                authorization_code: #code,
                client_credentials: #client,
                password: #password,
                refresh_url: #refresh,
                revocation_url: #revocation,
                scopes: &[#(#scopes),*],
                base_url: DEFAULT_BASE_URL,
            };
        })
    });
    quote!(#(#statics)*)
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// The scopes the document's operations require of the scheme `name`, in order of first use.
fn required_scopes(api: &Api, name: &str) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    let required = api.operations.iter().flat_map(|op| op.security.iter().flatten());
    for requirement in required.filter(|r| r.scheme == name) {
        for scope in &requirement.scopes {
            if !scopes.contains(scope) {
                scopes.push(scope.clone());
            }
        }
    }
    scopes
}

/// The `ENVIRONMENT` table.
fn environment(api: &Api, settings: &Settings, vars: &[model::EnvVar], statics: &[OAuthStatic<'_>]) -> TokenStream {
    let entries = vars.iter().map(|v| {
        let role = match &v.role {
            EnvRole::Url => quote!(Url),
            EnvRole::Username => quote!(Username),
            EnvRole::Password => quote!(Password),
            EnvRole::Token => quote!(Token),
            EnvRole::ApiKey(scheme) => quote!(ApiKey(#scheme)),
            EnvRole::ClientId(_) => quote!(ClientId),
            EnvRole::ClientSecret(_) => quote!(ClientSecret),
            EnvRole::RefreshToken(_) => quote!(RefreshToken),
            EnvRole::TokenUrl(_) => quote!(TokenUrl),
            EnvRole::AuthorizationUrl(_) => quote!(AuthorizationUrl),
            EnvRole::RevocationUrl(_) => quote!(RevocationUrl),
            EnvRole::AwsAccessKeyId => quote!(AwsAccessKeyId),
            EnvRole::AwsSecretAccessKey => quote!(AwsSecretAccessKey),
            EnvRole::AwsSessionToken => quote!(AwsSessionToken),
            EnvRole::AwsRegion => quote!(AwsRegion),
        };
        let (name, help) = (&v.name, &v.help);
        quote!(runtime::EnvVar { name: #name, role: runtime::EnvRole::#role, help: #help })
    });
    let required = api
        .operations
        .iter()
        .any(|op| !op.security.is_empty() && op.security.iter().all(|set| !set.is_empty()));
    let basic = settings.fallback || api.security_schemes.iter().any(|s| s.kind == SchemeKind::Basic);
    let oauth = match statics.first() {
        Some((_, _, id)) => quote!(Some(&#id)),
        None => quote!(None),
    };
    let doc = doc_attrs(&[Some(&format!(
        "The environment variables the client reads ([`Client::from_env`], [`ClientBuilder::from_env`] and \
         the tool), named with the prefix `{}`.",
        settings.env_prefix
    ))]);
    quote! {
        #doc
        pub static ENVIRONMENT: runtime::Environment = runtime::Environment {
            vars: &[#(#entries),*],
            required: #required,
            basic: #basic,
            oauth: #oauth,
        };
    }
}

/// A Markdown list of the variables, for docs.
pub(crate) fn variables_list(vars: &[model::EnvVar]) -> String {
    vars.iter()
        .map(|v| format!("- `{}`: {}", v.name, v.help))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `Client::builder`, `Client::from_env` and `Client::oauth`.
fn client_methods(api: &Api, settings: &Settings, vars: &[model::EnvVar], statics: &[OAuthStatic<'_>]) -> TokenStream {
    let limits = api.rate_limits.iter().map(|l| {
        let limit = rate_limit_token(l);
        quote!(.rate_limit(#limit))
    });
    let fallback = settings.fallback.then(|| quote!(.fallback_credentials(true)));
    let retry = api.retry.as_ref().map(|r| {
        let policy = super::send::retry_policy(r);
        quote!(.declared_retry(#policy))
    });
    let mut builder_doc = "A builder for a client of this API, pointed at [`DEFAULT_BASE_URL`]".to_owned();
    if !api.rate_limits.is_empty() {
        builder_doc.push_str(", keeping the rate limits the document declares");
    }
    if settings.fallback {
        builder_doc.push_str(
            ", sending its bearer token, or else its basic credentials, also to operations whose \
             declared credentials it does not hold ([`ClientBuilder::fallback_credentials`])",
        );
    }
    builder_doc.push('.');
    let builder_doc = doc_attrs(&[Some(&builder_doc)]);
    let by_name = (statics.len() > 1).then(|| {
        let arms = statics.iter().map(|(scheme, _, id)| {
            let name = &scheme.name;
            quote!(#name => Some(runtime::OAuth::new(&#id)),)
        });
        quote! {
            /// The OAuth 2.0 scheme the document names `name`, if it declares one with a flow the
            /// client can run ([`Client::oauth`] is the first of them).
            pub fn oauth_scheme(name: &str) -> Option<runtime::OAuth> {
                match name {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    });
    let precedence = match (vars.iter().any(|v| v.role == EnvRole::Token), statics.first()) {
        (true, Some(_)) => "\n\nA bearer token wins over an OAuth 2.0 client id and secret.",
        _ => "",
    };
    let from_env_doc = doc_attrs(&[Some(&format!(
        "A client configured from the environment:\n\n{}{precedence}\n\n# Errors\nWhen a credential is \
         set only in part (a user name without its password), a variable is not UTF-8, or the API needs \
         credentials and none is set: the error names the variables to set.",
        variables_list(vars)
    ))]);
    let oauth = statics.first().map(|(scheme, flows, id)| {
        let doc = doc_attrs(&[Some(&format!(
            "The OAuth 2.0 scheme `{}` ({}): its endpoints as the document declares them, to set the \
             client id and secret on and run a flow with, or to make an [`OAuthSession`] of for \
             [`ClientBuilder::oauth`].",
            scheme.name,
            flow_names(flows)
        ))]);
        quote! {
            #doc
            pub fn oauth() -> runtime::OAuth {
                runtime::OAuth::new(&#id)
            }
        }
    });
    quote! {
        impl Client {
            #builder_doc
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(DEFAULT_BASE_URL) #(#limits)* #fallback #retry
            }

            #from_env_doc
            pub fn from_env() -> std::result::Result<Client, runtime::BuildError> {
                Client::builder().from_env()?.build()
            }

            #oauth
            #by_name
        }
    }
}

/// The flows a scheme declares, in words.
fn flow_names(flows: &OAuthFlows) -> String {
    let mut names = Vec::new();
    if flows.authorization_code.is_some() {
        names.push("authorization code with PKCE");
    }
    if flows.client_credentials.is_some() {
        names.push("client credentials");
    }
    if flows.password.is_some() {
        names.push("password");
    }
    names.join(", ")
}

/// `ClientBuilder::from_env`, a method per API-key scheme (`api_key` when there is one, else
/// named after the scheme), and `client_credentials` where the document declares that flow.
fn builder_methods(api: &Api) -> TokenStream {
    let keys = api.security_schemes.iter().filter_map(|scheme| {
        let SchemeKind::ApiKey {
            location,
            param,
            method,
        } = &scheme.kind
        else {
            return None;
        };
        let place = match location {
            Location::Header => format!("the `{param}` header"),
            Location::Cookie => format!("the `{param}` cookie"),
            Location::Query | Location::Path => format!("the `{param}` query parameter"),
        };
        let doc = doc_attrs(&[
            Some(&format!(
                "Authenticates with the `{}` API key, sent as it is in {place} where an operation asks for it.",
                scheme.name
            )),
            scheme.doc.as_deref(),
        ]);
        let (name, method) = (&scheme.name, ident(method));
        Some(quote! {
            #doc
            pub fn #method(self, key: impl Into<String>) -> Self {
                self.api_key_for(#name, key)
            }
        })
    });
    let client_credentials = model::env_oauth(api)
        .filter(|(_, flows)| flows.client_credentials.is_some())
        .map(|(scheme, _)| {
            let doc = doc_attrs(&[Some(&format!(
                "Authenticates with OAuth 2.0 access tokens for the client itself (the `{}` scheme's client \
                 credentials flow): fetched when first needed, renewed before they expire, one fetch at a \
                 time for all clones of the client.",
                scheme.name
            ))]);
            quote! {
                #doc
                pub fn client_credentials(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                    self.oauth(Client::oauth().client_id(client_id).client_secret(client_secret).session())
                }
            }
        });
    quote! {
        impl ClientBuilder {
            /// Configures the builder from the environment variables of [`ENVIRONMENT`] (see
            /// [`Client::from_env`]), to change more before building.
            ///
            /// # Errors
            /// As [`Client::from_env`].
            pub fn from_env(self) -> std::result::Result<Self, runtime::BuildError> {
                self.environment(&ENVIRONMENT)
            }

            #(#keys)*
            #client_credentials
        }
    }
}
