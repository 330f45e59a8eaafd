//! The generated crate's root module: its docs, the base URL, `Error` and `Result`, and the
//! client's credentials (`auth.rs`).

use super::{doc_attrs, ident, Settings};
use crate::model::Api;
use proc_macro2::TokenStream;
use quote::quote;

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

pub(super) fn root(api: &Api, settings: &Settings) -> TokenStream {
    let auth = super::auth::items(api, settings);
    let base_url = &api.base_url;
    let title = &api.title;
    let version = &api.version;
    // The module's own docs (inner), not the first item's.
    let doc = inner(doc_attrs(&[
        Some(&format!("Generated client for {title} {version}.")),
        api.description.as_deref(),
    ]));
    let reexports = crate::names::RUNTIME_REEXPORTS.iter().map(|name| ident(name));
    let interface = proc_macro2::Literal::u32_unsuffixed(crate::runtime::GENERATED_CODE_INTERFACE);
    // The tool and the mocks, unless left out at generation.
    let cli = settings.tool.then(|| {
        quote!(
            #[cfg(feature = "cli")]
            pub mod cli;
        )
    });
    let mocks = settings.mocks.then(|| {
        quote!(
            #[cfg(feature = "mock")]
            pub mod mocks;
        )
    });
    let webhooks = (!api.webhooks.is_empty()).then(|| {
        quote! {
            #[cfg(feature = "webhooks")]
            pub mod webhooks;
        }
    });
    quote! {
        #doc
        pub mod builders;
        #cli
        #mocks
        pub mod types;
        #webhooks

        // The runtime is this module's sibling, wherever the two are put: the runtime crate
        // under that name, or a copy of it.
        use super::runtime;
        pub use runtime::{#(#reexports),*};

        const _: () = assert!(
            runtime::serves_generated_code(#interface),
            "this client was generated for another version of openapi-crate-gen-runtime: regenerate it, or depend on the runtime version its generator names",
        );

        runtime::api_client!();

        /// The server the API description names; override it with [`ClientBuilder::base_url`].
        pub const DEFAULT_BASE_URL: &str = #base_url;
        /// The version of the API description this client was generated from.
        pub const API_VERSION: &str = #version;

        /// The error of every operation of this client.
        pub type Error = runtime::Error<types::ErrorBody>;
        /// `Result` with this client's [`Error`].
        pub type Result<T, E = Error> = std::result::Result<T, E>;

        #auth
    }
}
