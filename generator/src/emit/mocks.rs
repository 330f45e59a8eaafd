//! `mocks.rs` (behind the `mock` feature): a mock server of the API, and one typed expectation
//! per operation (`server.expect().get_install().answers(&install)`).

use super::send::{method_variant, success_ty};
use super::{ident, lines_to_doc};
use crate::model::{Api, Operation, Success};
use proc_macro2::TokenStream;
use quote::quote;

/// The module's opening: the server, and `Expect`, whose methods follow in pieces.
pub(super) fn mocks(api: &Api) -> TokenStream {
    // A document without operations has an `Expect` that names nothing, and reads no field.
    let (imports, unread) = if api.operations.is_empty() {
        (
            quote!(
                use super::runtime;
            ),
            quote!(#[allow(dead_code)]),
        )
    } else {
        // `runtime` names the server always; the rest only the operations' expectations.
        let cfg = super::cfg(&super::union(api.operations.iter().map(|op| op.features.as_slice())));
        let imports = if api.features.is_empty() {
            quote! {
                use super::runtime::{self, HttpMethod};
                use super::types;
            }
        } else {
            quote! {
                use super::runtime;
                #cfg
                use super::runtime::HttpMethod;
                #cfg
                use super::types;
            }
        };
        (imports, quote!())
    };
    // The methods follow in pieces (`expectations`); without operations, the block is empty.
    let empty = api.operations.is_empty().then(|| {
        quote!(
            impl<'a> Expect<'a> {}
        )
    });
    quote! {
        //! Typed mocks of the API for the tests of code that uses this client: start a
        //! [`MockServer`], point a client at it, and say what each operation answers.
        #imports

        /// A mock server of the API on a loopback port; expectations with a count are checked
        /// when it is dropped.
        #[derive(Debug)]
        pub struct MockServer(runtime::mock::Server);

        impl MockServer {
            /// Starts a server on a free loopback port.
            pub async fn start() -> Self {
                MockServer(runtime::mock::Server::start().await)
            }

            /// The server's address, for [`ClientBuilder::base_url`](super::ClientBuilder::base_url).
            pub fn uri(&self) -> String {
                self.0.uri()
            }

            /// How many requests the server has received.
            pub async fn received(&self) -> usize {
                self.0.received().await
            }

            /// The operations, to say what each answers.
            pub fn expect(&self) -> Expect<'_> {
                Expect(&self.0)
            }
        }

        /// One method per operation, named as the client's; each gives an expectation to
        /// narrow (path parameters, query values, a count) and answer.
        #[derive(Debug, Clone, Copy)]
        #unread
        pub struct Expect<'a>(&'a runtime::mock::Server);

        #empty
    }
}

/// `Expect`'s methods for the operations in `range`, inside the block they belong to (see
/// [`super::Piece::Methods`]).
pub(super) fn expectations(api: &Api, range: std::ops::Range<usize>) -> TokenStream {
    let methods = api.operations[range].iter().map(|op| expectation(api, op));
    quote! {
        impl<'a> Expect<'a> {
            #(#methods)*
        }
    }
}

/// `Expect::{operation}`: the operation's method and path template, and the type its success
/// body mocks as (JSON bodies typed; text, binary and several-status answers as any JSON).
fn expectation(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let method = method_variant(op.method);
    let template = &op.path;
    let answer = match &op.success {
        Success::Json(_) | Success::Unit | Success::Untyped => success_ty(&op.success, &quote!(types::)),
        // A stream is mocked by its events' data.
        Success::Events(events) => super::events::event_data_ty(&events.data, &quote!(types::)),
        Success::Text | Success::Bytes | Success::Outcomes { .. } => quote!(serde_json::Value),
    };
    let doc = lines_to_doc(&format!("`{} {}`.", op.method, op.path));
    let cfg = super::cfg(&op.features);
    // An operation that answers XML is answered in XML.
    let xml = match &op.success {
        Success::Json(ty) if op.answers_xml => {
            let root = super::xml::root_name(api, ty);
            let shape = super::xml::static_shape(api, ty);
            quote!(.xml(#root, #shape))
        }
        Success::Events(events) => {
            let framing = super::events::framing_tokens(&quote!(runtime), events.framing);
            quote!(.events(#framing))
        }
        _ => quote!(),
    };
    quote! {
        #doc
        #cfg
        pub fn #name(&self) -> runtime::mock::When<'a, #answer, types::ErrorBody> {
            self.0.when(HttpMethod::#method, #template) #xml
        }
    }
}
