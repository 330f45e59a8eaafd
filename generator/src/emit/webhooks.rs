//! `webhooks.rs` (behind the `webhooks` feature, for a document that lists webhooks or
//! callbacks): the `Event` enum, one variant per event with its payload typed and `Unknown`
//! for the rest, and the table of events the runtime's `webhook_events` dispatches on. Only
//! what differs per document is here; verifying and choosing the event is the runtime's.

use super::{ident, lines_to_doc, ty_tokens};
use crate::model::{Api, Mark, Webhook};
use proc_macro2::TokenStream;
use quote::quote;

/// The whole module.
pub(super) fn webhooks(api: &Api) -> TokenStream {
    let variants = api.webhooks.iter().map(variant);
    let listed = api.webhooks.iter().map(listed);
    let header = match &api.event_header {
        Some(h) => quote!(Some(#h)),
        None => quote!(None),
    };
    let parse_doc = lines_to_doc(&match &api.event_header {
        Some(h) => format!(
            "Verifies a delivery's signature, then decodes it as the event it is, named by its `{h}` header and told apart by its payload."
        ),
        None => "Verifies a delivery's signature, then decodes it as the event its payload says it is (name the event with [`Event::parse_named`] when the payload does not say)."
            .to_owned(),
    });
    quote! {
        //! The API's webhooks and callbacks: a delivery's signature verified, then its payload
        //! decoded as the event it is (see `runtime::webhook_events` for how the event is chosen).
        use super::runtime::reqwest::header::HeaderMap;
        use super::runtime::webhook_events::{self, Listed};
        pub use super::runtime::webhooks::{Verifier, WebhookError};
        #[allow(unused_imports)]
        use super::types;

        /// An event the API sends, its payload typed.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Event {
            #(#variants)*
            /// An event the document does not list: the name the delivery gave (if any) and
            /// its payload.
            Unknown {
                event: Option<String>,
                payload: serde_json::Value,
            },
        }

        impl Event {
            #parse_doc
            ///
            /// # Errors
            /// When the signature does not verify, the body is not JSON, or the payload of a
            /// listed event does not decode.
            pub fn parse(verifier: &Verifier, headers: &HeaderMap, body: &[u8]) -> Result<Self, WebhookError> {
                webhook_events::parse(verifier, headers, body)
            }

            /// [`Event::parse`] with the event's name given (GitHub's `X-GitHub-Event`, a
            /// callback's name, an event key of the document).
            ///
            /// # Errors
            /// As [`Event::parse`].
            pub fn parse_named(
                verifier: &Verifier,
                event: &str,
                headers: &HeaderMap,
                body: &[u8],
            ) -> Result<Self, WebhookError> {
                webhook_events::parse_named(verifier, Some(event), headers, body)
            }

            /// Decodes a body WITHOUT verifying its signature: only for a delivery verified
            /// some other way, or for tests.
            ///
            /// # Errors
            /// When the body is not JSON, or the payload of a listed event does not decode.
            pub fn parse_unverified(event: Option<&str>, body: &[u8]) -> Result<Self, WebhookError> {
                webhook_events::decode(event, body)
            }
        }

        impl webhook_events::Events for Event {
            const LISTED: &'static [Listed<Self>] = &[#(#listed),*];
            const EVENT_HEADER: Option<&'static str> = #header;

            fn unknown(event: Option<String>, payload: serde_json::Value) -> Self {
                Event::Unknown { event, payload }
            }
        }
    }
}

fn variant(w: &Webhook) -> TokenStream {
    let name = ident(&w.variant);
    let ty = ty_tokens(&w.payload, &quote!(types::), true);
    let doc = lines_to_doc(&match &w.doc {
        Some(doc) => format!("`{}`: {doc}", w.key),
        None => format!("`{}`.", w.key),
    });
    quote! {
        #doc
        #name(#ty),
    }
}

fn listed(w: &Webhook) -> TokenStream {
    let (key, names, name) = (&w.key, &w.names, ident(&w.variant));
    let marks = w.marks.iter().map(|(property, mark)| {
        let literal = match mark {
            Mark::Text(text) => quote!(webhook_events::Literal::Text(#text)),
            Mark::Integer(n) => quote!(webhook_events::Literal::Integer(#n)),
        };
        quote!((#property, #literal))
    });
    quote! {
        Listed {
            key: #key,
            names: &[#(#names),*],
            marks: &[#(#marks),*],
            decode: |payload| serde_json::from_value(payload).map(Event::#name),
        }
    }
}
