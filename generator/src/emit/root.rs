//! The generated crate's root module: its docs, the base URL, `Error` and `Result`, and a
//! `ClientBuilder` method per API-key scheme.

use super::{doc_attrs, ident};
use crate::model::{Api, Location, SchemeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// A `ClientBuilder` method per API-key scheme: `api_key` when there is one, else the scheme's
/// name in snake case, with `_api_key` added unless it names a key already.
pub(super) fn api_key_methods(api: &Api) -> TokenStream {
    let keys: Vec<_> = api
        .security_schemes
        .iter()
        .filter_map(|s| match &s.kind {
            SchemeKind::ApiKey {
                location,
                param,
                method,
            } => Some((s, location, param, ident(method))),
            _ => None,
        })
        .collect();
    if keys.is_empty() {
        return quote!();
    }
    let methods = keys.iter().map(|(scheme, location, param, method)| {
        let place = match location {
            Location::Header => format!("the `{param}` header"),
            Location::Cookie => format!("the `{param}` cookie"),
            Location::Query | Location::Path => format!("the `{param}` query parameter"),
        };
        let doc = doc_attrs(&[
            Some(&format!(
                "Authenticates with the `{}` API key, sent in {place} where an operation asks for it.",
                scheme.name
            )),
            scheme.doc.as_deref(),
        ]);
        let name = &scheme.name;
        quote! {
            #doc
            pub fn #method(self, key: impl Into<String>) -> Self {
                self.api_key_for(#name, key)
            }
        }
    });
    quote! {
        impl ClientBuilder {
            #(#methods)*
        }
    }
}

/// `#[doc = ..]` attributes turned into the inner `#![doc = ..]` of the module they are in.
fn inner(outer: TokenStream) -> TokenStream {
    outer
        .into_iter()
        .flat_map(|token| match token {
            proc_macro2::TokenTree::Punct(ref p) if p.as_char() == '#' => {
                vec![token, proc_macro2::Punct::new('!', proc_macro2::Spacing::Alone).into()]
            }
            other => vec![other],
        })
        .collect()
}

pub(super) fn root(api: &Api) -> TokenStream {
    let api_keys = api_key_methods(api);
    let base_url = &api.base_url;
    let title = &api.title;
    let version = &api.version;
    // The module's own docs (inner), not the first item's.
    let doc = inner(doc_attrs(&[
        Some(&format!("Generated client for {title} {version}.")),
        api.description.as_deref(),
    ]));
    let reexports = crate::names::RUNTIME_REEXPORTS.iter().map(|name| ident(name));
    quote! {
        #doc
        pub mod builders;
        #[cfg(feature = "cli")]
        pub mod cli;
        #[cfg(feature = "mock")]
        pub mod mocks;
        pub mod types;

        // The runtime is this module's sibling, wherever the two are put.
        use super::runtime;
        pub use runtime::{#(#reexports),*};

        /// The server the API description names; override it with [`ClientBuilder::base_url`].
        pub const DEFAULT_BASE_URL: &str = #base_url;
        /// The version of the API description this client was generated from.
        pub const API_VERSION: &str = #version;

        /// The error of every operation of this client.
        pub type Error = runtime::Error<types::ErrorBody>;
        /// `Result` with this client's [`Error`].
        pub type Result<T, E = Error> = std::result::Result<T, E>;

        impl Client {
            /// A builder for a client of this API, pointed at [`DEFAULT_BASE_URL`].
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(DEFAULT_BASE_URL)
            }
        }

        #api_keys
    }
}
