//! Stage 5: token streams for the model's types and operations.
//!
//! Emits what differs per type and per operation only; everything shared (sending, auth,
//! error decoding, parameter encoding) lives once in the runtime, the generated modules' sibling `runtime`.

mod auth;
mod builders;
mod cli;
mod events;
mod mocks;
mod paging;
mod root;
mod send;
mod types;
mod webhooks;
mod xml;

use crate::model::{Api, Ty};
pub(crate) use auth::variables_list;
use builders::{builder, client_methods, operations_opening};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use root::root;
use send::error_tables;
use types::{type_def, types_closing};

/// What the caller chose about the generated client, beside the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    /// The prefix of the environment variables the client reads (`WPENGINE_API`).
    pub env_prefix: String,
    /// Credentials go also where the document does not declare them.
    pub fallback: bool,
    /// The command-line tool is generated (behind the `cli` feature).
    pub tool: bool,
    /// The typed mocks are generated (behind the `mock` feature).
    pub mocks: bool,
}

/// What pieces of a module need that depends on more than their own items, computed once per
/// generation: the tool's subcommand names (a name is shortened unless another operation of
/// its group would get the same).
pub(crate) struct Shared {
    cli_names: Vec<(String, String)>,
}

impl Shared {
    pub(crate) fn new(api: &Api, settings: &Settings) -> Self {
        Shared {
            cli_names: if Module::Cli.wanted(api, settings) {
                cli::command_names(api)
            } else {
                Vec::new()
            },
        }
    }
}

/// The modules the generated code consists of, one file each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Module {
    /// `mod.rs`: the API's docs, base URL, `Error` and `Result`, API-key methods.
    Root,
    /// `types.rs`: the model's types.
    Types,
    /// `builders.rs`: the `Client` methods and request builders.
    Builders,
    /// `mocks.rs`: the typed mock server (the `mock` feature).
    Mocks,
    /// `cli.rs`: the command-line tool (the `cli` feature).
    Cli,
    /// `webhooks.rs`: the events of the document's webhooks (the `webhooks` feature), only for
    /// a document that lists some.
    Webhooks,
}

impl Module {
    /// Every module, in the order they are generated.
    pub(crate) const ALL: [Module; 6] = [
        Module::Root,
        Module::Types,
        Module::Builders,
        Module::Mocks,
        Module::Cli,
        Module::Webhooks,
    ];

    /// Whether the module is generated for `api` with `settings`: the tool and the mocks may
    /// be left out, and `webhooks.rs` is there only for a document with webhooks or callbacks.
    pub(crate) fn wanted(self, api: &Api, settings: &Settings) -> bool {
        match self {
            Module::Mocks => settings.mocks,
            Module::Cli => settings.tool,
            Module::Webhooks => !api.webhooks.is_empty(),
            Module::Root | Module::Types | Module::Builders => true,
        }
    }

    /// The module's file, relative to the generated code's folder.
    pub(crate) fn file_name(self) -> &'static str {
        match self {
            Module::Root => "mod.rs",
            Module::Types => "types.rs",
            Module::Builders => "builders.rs",
            Module::Mocks => "mocks.rs",
            Module::Cli => "cli.rs",
            Module::Webhooks => "webhooks.rs",
        }
    }
}

/// A piece of a [`Module`] that can be emitted and rendered on its own: the module's opening
/// (inner docs, imports, and for `builders.rs` the `Client` methods), a run of its repeated
/// items (type definitions, request builders), or its closing. Rendered pieces concatenate to
/// the module, so the generator can spread a module over several threads without changing a
/// byte of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Opening,
    /// A run of the methods of the module's one large impl block (`impl Client`, `impl
    /// Expect`), emitted inside that block so that they parse; laid out, a run keeps the
    /// block's first line only if it is the first run, and its last line only if it is the last
    /// ([`crate::render::within_block`]).
    Methods(std::ops::Range<usize>),
    Items(std::ops::Range<usize>),
    Closing,
}

/// How many methods the large impl block of `module` has ([`Piece::Methods`]): one per
/// operation on `Client` in `builders.rs` and on `Expect` in `mocks.rs`, none elsewhere.
pub(crate) fn method_count(api: &Api, module: Module) -> usize {
    match module {
        Module::Builders | Module::Mocks => api.operations.len(),
        Module::Root | Module::Types | Module::Cli | Module::Webhooks => 0,
    }
}

/// How many repeated items `module` has: type definitions in `types.rs`, request builders in
/// `builders.rs`, subcommands in `cli.rs`; none in `mod.rs`, `mocks.rs` (whose repeated part is
/// its methods, [`method_count`]) and `webhooks.rs`.
pub(crate) fn item_count(api: &Api, module: Module) -> usize {
    match module {
        Module::Root | Module::Mocks | Module::Webhooks => 0,
        Module::Types => api.types().len(),
        Module::Builders | Module::Cli => api.operations.len(),
    }
}

/// The tokens of one piece of a module; a module's opening ends with [`runtime_crates`].
pub(crate) fn piece(api: &Api, settings: &Settings, shared: &Shared, module: Module, piece: &Piece) -> TokenStream {
    let tokens = piece_alone(api, settings, shared, module, piece);
    match piece {
        Piece::Opening => {
            let crates = runtime_crates();
            quote!(#tokens #crates)
        }
        Piece::Methods(_) | Piece::Items(_) | Piece::Closing => tokens,
    }
}

/// The crates generated code names (`uuid::Uuid`, `serde_json::Value`, `serde::Serialize`...),
/// as the runtime re-exports them: a generated crate on the runtime crate needs no dependency
/// of its own for them, and has the versions the runtime was built with. Which of them a module
/// uses depends on the document and on the features on.
fn runtime_crates() -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use super::runtime::{bytes, chrono, futures, serde, serde_json, uuid};
    }
}

/// The `serde` derives' path to serde, through the runtime (see [`runtime_crates`]).
fn serde_crate() -> TokenStream {
    quote!(#[serde(crate = "super::runtime::serde")])
}

fn piece_alone(api: &Api, settings: &Settings, shared: &Shared, module: Module, piece: &Piece) -> TokenStream {
    match (module, piece) {
        (Module::Root, Piece::Opening) => root(api, settings),
        (Module::Root, Piece::Items(_) | Piece::Closing) => TokenStream::new(),
        (Module::Types, Piece::Opening) => quote! {
            //! Models of the API's schemas: one type per named schema and per inline object or enum.
        },
        (Module::Types, Piece::Items(range)) => {
            let defs = api.types()[range.clone()].iter().map(|t| {
                let (def, shape) = (type_def(t), xml::shape_static(api, t));
                gated(&t.features, quote!(#def #shape))
            });
            quote!(#(#defs)*)
        }
        (Module::Types, Piece::Closing) => types_closing(api),
        (Module::Builders, Piece::Opening) => operations_opening(api),
        (Module::Builders, Piece::Methods(range)) => client_methods(api, range.clone()),
        (Module::Builders, Piece::Items(range)) => {
            let builders = api.operations[range.clone()]
                .iter()
                .map(|op| gated(&op.features, builder(api, op)));
            quote!(#(#builders)*)
        }
        (Module::Builders, Piece::Closing) => error_tables(api),
        (Module::Mocks, Piece::Opening) => mocks::mocks(api),
        (Module::Mocks, Piece::Methods(range)) => mocks::expectations(api, range.clone()),
        (Module::Mocks, Piece::Items(_) | Piece::Closing) => TokenStream::new(),
        (Module::Cli, Piece::Opening) => cli::opening(api, settings),
        (Module::Cli, Piece::Items(range)) => cli::items(api, &shared.cli_names, range.clone()),
        (Module::Cli, Piece::Closing) => cli::closing(api),
        (Module::Webhooks, Piece::Opening) => webhooks::webhooks(api),
        (Module::Webhooks, Piece::Items(_) | Piece::Closing) => TokenStream::new(),
        (Module::Root | Module::Types | Module::Cli | Module::Webhooks, Piece::Methods(_)) => TokenStream::new(),
    }
}

/// `#[cfg(...)]` for what compiles with any of `features` (a document's tags, see
/// `model/features.rs`); nothing when the list is empty, for what always compiles.
fn cfg(features: &[String]) -> TokenStream {
    match features {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// `items` with [`cfg`] on each item. Items are found in the tokens themselves, without
/// parsing: one ends at a `;` or a `{...}` (with the `;` that may follow it) at the top level,
/// which is how every item the emitters write ends.
fn gated(features: &[String], items: TokenStream) -> TokenStream {
    use proc_macro2::{Delimiter, TokenTree};
    if features.is_empty() {
        return items;
    }
    let attr = cfg(features);
    let mut out = TokenStream::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut tokens = items.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends = match &token {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        item.push(token);
        if ends {
            out.extend(attr.clone());
            out.extend(item.drain(..));
        }
    }
    out.extend(item);
    out
}

/// Every feature of the lists, in name order; empty (always) when one of them is.
fn union<'a>(lists: impl IntoIterator<Item = &'a [String]>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for list in lists {
        if list.is_empty() {
            return Vec::new();
        }
        for f in list {
            if !out.contains(f) {
                out.push(f.clone());
            }
        }
    }
    out.sort();
    out
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

fn doc_attrs(parts: &[Option<&str>]) -> TokenStream {
    let text = parts
        .iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    lines_to_doc(&text)
}

/// `#[doc]` attributes, one per line of `text`; any line break (`\r\n`, `\n\r`, `\r`) ends a
/// line, so no carriage return reaches a doc comment.
fn lines_to_doc(text: &str) -> TokenStream {
    let text = crate::model::prose(text);
    let lines = text.lines().map(|l| {
        let l = l.trim_end();
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// Type tokens; `nested` is false for a field's own type, where int64-as-string gets an adapter.
fn ty_tokens(ty: &Ty, prefix: &TokenStream, nested: bool) -> TokenStream {
    match ty {
        Ty::Named(n) => {
            let n = ident(n);
            quote!(#prefix #n)
        }
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::I64String | Ty::U64String if nested => quote!(String),
        Ty::I64String => quote!(i64),
        Ty::U32 => quote!(u32),
        Ty::U64 | Ty::U64String => quote!(u64),
        Ty::F32 => quote!(f32),
        Ty::F64 => quote!(f64),
        Ty::Uuid => quote!(uuid::Uuid),
        Ty::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Ty::Date => quote!(chrono::NaiveDate),
        Ty::Bytes => quote!(Vec<u8>),
        Ty::Upload => quote!(super::runtime::Upload),
        Ty::Json => quote!(serde_json::Value),
        // Checked to be a path when it was chosen.
        Ty::External(path) => {
            syn::parse_str::<syn::Path>(path).map_or_else(|_| quote!(serde_json::Value), |p| quote!(#p))
        }
        Ty::Vec(inner) => {
            let inner = ty_tokens(inner, prefix, true);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty_tokens(inner, prefix, true);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Nullable(inner) => {
            let inner = ty_tokens(inner, prefix, true);
            quote!(Option<#inner>)
        }
    }
}

/// Argument type of a setter or method parameter: strings accept anything `Into<String>`.
fn arg_ty(ty: &Ty) -> (TokenStream, bool) {
    match ty {
        Ty::String => (quote!(impl Into<String>), true),
        Ty::Upload => (quote!(impl Into<super::runtime::Upload>), true),
        other => (ty_tokens(other, &quote!(types::), true), false),
    }
}
