//! Operations that answer a stream of events: the runtime's `EventsMeta` of each (framing,
//! data decoder, end marker), the type of its events, and `send_events` for a stream offered
//! beside another answer.

use super::{lines_to_doc, ty_tokens};
use crate::model::{EventData, EventFraming, Events, Operation};
use proc_macro2::TokenStream;
use quote::quote;

/// `send_events`, for an operation that answers a stream of events beside another body: the
/// same request, asking for the stream.
pub(super) fn send_events(op: &Operation, events: &Events) -> TokenStream {
    let doc = lines_to_doc(&format!(
        "Sends `{} {}` asking for `{}`, and gives its events as they arrive, with the status and headers.\n\n# Errors\nAs `send_with_response`, until the status and headers arrive; after that, the stream's items.",
        op.method, op.path, events.media
    ));
    let ty = events_ty(events, &quote!(types::));
    let meta = events_meta(events);
    let media = &events.media;
    quote! {
        #doc
        pub fn send_events(self) -> impl std::future::Future<Output = Result<runtime::ResponseValue<#ty>>> {
            let prepare = self.prepare();
            let prepare = move || {
                let mut request = prepare()?;
                request.accept(#media);
                Ok(request)
            };
            runtime::events_prepared(prepare, #meta)
        }
    }
}

/// The runtime's `EventsMeta` of a stream: its framing, its data's decoder and its end.
pub(super) fn events_meta(events: &Events) -> TokenStream {
    let framing = framing_tokens(&quote!(runtime), events.framing);
    let decode = match &events.data {
        EventData::Json(ty) => {
            let ty = ty_tokens(ty, &quote!(types::), true);
            quote!(runtime::json_data::<#ty>)
        }
        EventData::Text => quote!(runtime::text_data),
        EventData::Untyped => quote!(runtime::json_data::<serde_json::Value>),
    };
    let end = match &events.end {
        Some(marker) => quote!(Some(#marker)),
        None => quote!(None),
    };
    quote!(runtime::EventsMeta { framing: #framing, decode: #decode, end: #end })
}

/// The runtime's `Framing` of `framing`, reached through `module` (`runtime`, `cli`).
pub(super) fn framing_tokens(module: &TokenStream, framing: EventFraming) -> TokenStream {
    match framing {
        EventFraming::ServerSent => quote!(#module::Framing::ServerSent),
        EventFraming::JsonLines => quote!(#module::Framing::JsonLines),
        EventFraming::JsonSeq => quote!(#module::Framing::JsonSeq),
    }
}

/// The type of a stream's events: the runtime's `EventStream` of their data.
pub(super) fn events_ty(events: &Events, prefix: &TokenStream) -> TokenStream {
    let data = event_data_ty(&events.data, prefix);
    quote!(runtime::EventStream<#data, #prefix ErrorBody>)
}

/// The type of each event's data.
pub(super) fn event_data_ty(data: &EventData, prefix: &TokenStream) -> TokenStream {
    match data {
        EventData::Json(ty) => ty_tokens(ty, prefix, true),
        EventData::Text => quote!(String),
        EventData::Untyped => quote!(serde_json::Value),
    }
}
