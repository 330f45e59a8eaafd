//! Stage 4: token streams for the model's types and operations.
//!
//! Emits what differs per type and per operation only; everything shared (sending, auth,
//! error decoding, parameter encoding) lives once in the runtime (`crate::runtime`).

use crate::model::{
    Api, BodyEncoding, Constraints, Discriminator, Field, Location, Operation, Outcome, Param, ParamStyle, SchemeKind,
    StatusKey, Success, Ty, TypeDef, TypeKind, UnionVariant, Variant,
};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// The modules the generated code consists of, one file each.
pub(crate) const MODULES: [&str; 3] = ["mod.rs", "types.rs", "builders.rs"];

/// A piece of one of [`MODULES`] that can be emitted and rendered on its own: the module's
/// opening (inner docs, imports, and for `builders.rs` the `Client` methods), a run of its
/// repeated items (type definitions, request builders), or its closing. Rendered pieces
/// concatenate to the module, so the generator can spread a module over several threads
/// without changing a byte of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Opening,
    Items(std::ops::Range<usize>),
    Closing,
}

/// How many repeated items `module` has: type definitions in `types.rs`, request builders in
/// `builders.rs`, none in `mod.rs`.
pub(crate) fn item_count(api: &Api, module: &str) -> usize {
    match module {
        "types.rs" => api.types.len(),
        "builders.rs" => api.operations.len(),
        _ => 0,
    }
}

/// The tokens of one piece of one of [`MODULES`].
pub(crate) fn piece(api: &Api, module: &str, piece: &Piece) -> TokenStream {
    match (module, piece) {
        ("mod.rs", Piece::Opening) => root(api),
        ("types.rs", Piece::Opening) => quote! {
            //! Models of the API's schemas: one type per named schema and per inline object or enum.
        },
        ("types.rs", Piece::Items(range)) => {
            let defs = api.types[range.clone()].iter().map(type_def);
            quote!(#(#defs)*)
        }
        ("types.rs", Piece::Closing) => types_closing(api),
        ("builders.rs", Piece::Opening) => operations_opening(api),
        ("builders.rs", Piece::Items(range)) => {
            let builders = api.operations[range.clone()].iter().map(|op| builder(api, op));
            quote!(#(#builders)*)
        }
        _ => TokenStream::new(),
    }
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

/// A `ClientBuilder` method per API-key scheme: `api_key` when there is one, else the scheme's
/// name in snake case, with `_api_key` added unless it names a key already.
fn api_key_methods(api: &Api) -> TokenStream {
    let keys: Vec<_> = api
        .security_schemes
        .iter()
        .filter_map(|s| match &s.kind {
            SchemeKind::ApiKey { location, param } => Some((s, location, param)),
            _ => None,
        })
        .collect();
    if keys.is_empty() {
        return quote!();
    }
    let single = keys.len() == 1;
    let mut taken = crate::names::scope(crate::names::CLIENT_BUILDER_METHODS);
    let methods = keys.iter().map(|(scheme, location, param)| {
        let method = if single {
            ident("api_key")
        } else {
            let base = crate::names::snake(&scheme.name);
            let name = if base.contains("key") {
                base
            } else {
                format!("{base}_api_key")
            };
            ident(&crate::names::unique(&mut taken, name))
        };
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
        impl crate::ClientBuilder {
            #(#methods)*
        }
    }
}

fn root(api: &Api) -> TokenStream {
    let api_keys = api_key_methods(api);
    let base_url = &api.base_url;
    let title = &api.title;
    let version = &api.version;
    let doc = doc_attrs(&[
        Some(&format!("Generated client for {title} {version}.")),
        api.description.as_deref(),
    ]);
    quote! {
        #doc
        pub mod builders;
        pub mod types;

        /// The server the API description names; override it with [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).
        pub const DEFAULT_BASE_URL: &str = #base_url;
        /// The version of the API description this client was generated from.
        pub const API_VERSION: &str = #version;

        /// The error of every operation of this client.
        pub type Error = crate::runtime::Error<types::ErrorBody>;
        /// `Result` with this client's [`Error`].
        pub type Result<T, E = Error> = std::result::Result<T, E>;

        impl crate::Client {
            /// A builder for a client of this API, pointed at [`DEFAULT_BASE_URL`].
            pub fn builder() -> crate::ClientBuilder {
                crate::ClientBuilder::new(DEFAULT_BASE_URL)
            }
        }

        #api_keys
    }
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
        Ty::I64String if nested => quote!(String),
        Ty::I64String => quote!(i64),
        Ty::F32 => quote!(f32),
        Ty::F64 => quote!(f64),
        Ty::Uuid => quote!(uuid::Uuid),
        Ty::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Ty::Date => quote!(chrono::NaiveDate),
        Ty::Bytes => quote!(Vec<u8>),
        Ty::Json => quote!(serde_json::Value),
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

/// The end of `types.rs`: the operations' outcome enums and the error body enum.
fn types_closing(api: &Api) -> TokenStream {
    let outcomes = outcome_enums(api);
    let variants: Vec<Ident> = api.error_bodies.iter().map(|n| ident(n)).collect();
    let decoders: Vec<Ident> = api
        .error_bodies
        .iter()
        .map(|n| format_ident!("decode_{}", crate::names::snake(n)))
        .collect();
    let docs = api.error_bodies.iter().map(|n| format!(" The body is a [`{n}`]."));
    // An API without typed error bodies has an empty enum and nothing to decode into it.
    let decode_impl = if variants.is_empty() {
        quote!()
    } else {
        quote! {
            impl ErrorBody {
                #(
                    pub(crate) fn #decoders(body: &[u8]) -> Result<Self, serde_json::Error> {
                        serde_json::from_slice(body).map(Self::#variants)
                    }
                )*
            }
        }
    };
    quote! {
        #outcomes

        /// The typed body of an error response: the schema the operation declares for that status.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ErrorBody {
            #( #[doc = #docs] #variants(#variants), )*
        }

        #decode_impl
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(&[def.doc.as_deref()]);
    match &def.kind {
        TypeKind::Alias(ty) => {
            let ty = ty_tokens(ty, &quote!(), true);
            quote! { #doc pub type #name = #ty; }
        }
        TypeKind::Struct(fields) => {
            let all_optional = fields.iter().all(|f| f.optional);
            let default = if all_optional { quote!(Default,) } else { quote!() };
            let fields = fields.iter().map(field);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
                pub struct #name {
                    #(#fields)*
                }
            }
        }
        TypeKind::Enum(variants) => string_enum(&name, &doc, variants),
        TypeKind::Union {
            variants,
            discriminator,
        } => union(&name, &doc, variants, discriminator.as_ref()),
    }
}

/// A `oneOf`/`anyOf`: an enum with one tuple variant per shape. Without a discriminator serde
/// tries the variants in order (a catch-all `serde_json::Value` variant goes last); with one,
/// the property's value picks the variant.
fn union(
    name: &Ident,
    doc: &TokenStream,
    variants: &[UnionVariant],
    discriminator: Option<&Discriminator>,
) -> TokenStream {
    let mut order: Vec<usize> = (0..variants.len()).collect();
    order.sort_by_key(|i| variants[*i].ty == Ty::Json);
    let defs = order.iter().map(|i| {
        let v = &variants[*i];
        let vname = ident(&v.name);
        let vdoc = doc_attrs(&[v.doc.as_deref()]);
        let ty = ty_tokens(&v.ty, &quote!(), true);
        let ty = if v.boxed { quote!(Box<#ty>) } else { ty };
        quote!(#vdoc #vname(#ty),)
    });
    let Some(d) = discriminator else {
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name { #(#defs)* }
        };
    };
    let property = &d.property;
    let unknown = ident(&d.unknown);
    let unknown_doc = lines_to_doc(&format!(
        "A value whose `{property}` the API description does not list (a kind of value added after this client was generated), kept as received."
    ));
    let arms = variants.iter().zip(&d.values).map(|(v, values)| {
        let vname = ident(&v.name);
        let wrap = if v.boxed {
            quote!(|v| Self::#vname(Box::new(v)))
        } else {
            quote!(Self::#vname)
        };
        quote!(Some(#(#values)|*) => serde_json::from_value(value).map(#wrap),)
    });
    let expected = d
        .values
        .iter()
        .flatten()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#defs)*
            #unknown_doc
            #unknown(serde_json::Value),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let decoded = match crate::runtime::discriminator(&value, #property) {
                    #(#arms)*
                    Some(_) => return Ok(Self::#unknown(value)),
                    None => return Err(crate::runtime::missing_discriminator(#property, #expected)),
                };
                decoded.map_err(serde::de::Error::custom)
            }
        }
    }
}

fn field(f: &Field) -> TokenStream {
    let name = ident(&f.name);
    let doc = doc_attrs(&[f.doc.as_deref()]);
    let mut serde_args: Vec<TokenStream> = Vec::new();
    if f.name != f.wire {
        let wire = &f.wire;
        serde_args.push(quote!(rename = #wire));
    }
    if f.skip_if_none {
        serde_args.push(quote!(default, skip_serializing_if = "Option::is_none"));
    }
    if f.ty == Ty::I64String {
        let with = if f.optional {
            "crate::runtime::option_int64_string"
        } else {
            "crate::runtime::int64_string"
        };
        serde_args.push(quote!(with = #with));
    }
    let serde = if serde_args.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#serde_args),*)])
    };
    let deprecated = if f.deprecated { quote!(#[deprecated]) } else { quote!() };
    let ty = ty_tokens(&f.ty, &quote!(), false);
    let ty = if f.boxed { quote!(Box<#ty>) } else { ty };
    let ty = if f.optional { quote!(Option<#ty>) } else { ty };
    quote! { #doc #deprecated #serde pub #name: #ty, }
}

/// A string enum: the type, with each variant documented by its wire value, and its impls from
/// the runtime's `string_enum!`.
fn string_enum(name: &Ident, doc: &TokenStream, variants: &[Variant]) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let docs = wires.iter().map(|w| format!(" `{}`", w.escape_debug()));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #[doc = #docs] #idents, )*
            /// A value the API description does not list, kept as received.
            Unknown(String),
        }

        crate::runtime::string_enum!(#name { #( #idents = #wires ),* });
    }
}

/// Argument type of a setter or method parameter: strings accept anything `Into<String>`.
fn arg_ty(ty: &Ty) -> (TokenStream, bool) {
    match ty {
        Ty::String => (quote!(impl Into<String>), true),
        other => (ty_tokens(other, &quote!(types::), true), false),
    }
}

/// The start of `builders.rs`: imports and one `Client` method per operation.
fn operations_opening(api: &Api) -> TokenStream {
    let methods = api.operations.iter().map(client_method);
    // Only operations that declare error statuses name them.
    let status_key = if api.operations.iter().any(|op| !op.errors.is_empty()) {
        quote!(, StatusKey)
    } else {
        quote!()
    };
    // A document without operations has builders that name nothing.
    let imports = if api.operations.is_empty() {
        quote!()
    } else {
        quote! {
            use super::types;
            use super::Result;
            use crate::runtime::{self, HttpMethod, OperationMeta #status_key};
        }
    };
    quote! {
        //! One request builder per operation; each is made by the [`Client`](crate::Client) method of the same name.
        #imports
        use crate::Client;

        impl Client {
            #(#methods)*
        }
    }
}

fn method_doc(op: &Operation) -> TokenStream {
    let mut text = String::new();
    for part in [op.summary.as_deref(), op.description.as_deref()].into_iter().flatten() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(part);
    }
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!("`{} {}`", op.method, op.path));
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    if !required.is_empty() || op.body.as_ref().is_some_and(|b| b.required) {
        text.push_str("\n\nArguments:");
        for p in required {
            let d = p.doc.as_deref().map(|d| d.replace('\n', " ")).unwrap_or_default();
            text.push_str(&format!("\n- `{}`: {}", p.name, d.trim()));
        }
        if let Some(b) = op.body.as_ref().filter(|b| b.required) {
            let d = b
                .doc
                .as_deref()
                .map(|d| d.replace('\n', " "))
                .unwrap_or_else(|| "the request body".into());
            text.push_str(&format!("\n- `body`: {}", d.trim()));
        }
    }
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    if !optional.is_empty() || op.body.as_ref().is_some_and(|b| !b.required) {
        text.push_str("\n\nOptional settings on the builder:");
        for p in optional {
            let d = p.doc.as_deref().map(|d| d.replace('\n', " ")).unwrap_or_default();
            text.push_str(&format!(
                "\n- [`{}`]({}::{}): {}",
                p.name,
                op.builder_name,
                p.name,
                d.trim()
            ));
        }
        if op.body.as_ref().is_some_and(|b| !b.required) {
            text.push_str(&format!("\n- [`body`]({}::body): the request body", op.builder_name));
        }
    }
    let doc = lines_to_doc(&text);
    let deprecated = if op.deprecated { quote!(#[deprecated]) } else { quote!() };
    quote!(#doc #deprecated)
}

fn client_method(op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let doc = method_doc(op);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &op.params {
        let pname = ident(&p.name);
        if p.required {
            let (ty, into) = arg_ty(&p.ty);
            args.push(quote!(#pname: #ty));
            inits.push(if into {
                quote!(#pname: #pname.into())
            } else {
                quote!(#pname)
            });
        } else {
            inits.push(quote!(#pname: None));
        }
    }
    if let Some(b) = &op.body {
        let ty = ty_tokens(&b.ty, &quote!(types::), true);
        if b.required {
            args.push(quote!(body: #ty));
            inits.push(quote!(body));
        } else {
            inits.push(quote!(body: None));
        }
    }
    quote! {
        #doc
        pub fn #name(&self, #(#args),*) -> #builder<'_> {
            #builder { client: self, options: runtime::RequestOptions::new(), #(#inits),* }
        }
    }
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.builder_name);
    let struct_doc = lines_to_doc(&format!(
        "Request builder for [`Client::{}`]: `{} {}`.",
        op.method_name, op.method, op.path
    ));
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let pname = ident(&p.name);
        let ty = ty_tokens(&p.ty, &quote!(types::), true);
        if p.required {
            fields.push(quote!(#pname: #ty));
        } else {
            fields.push(quote!(#pname: Option<#ty>));
            let doc = doc_attrs(&[p.doc.as_deref()]);
            let (arg, into) = arg_ty(&p.ty);
            let value = if into { quote!(value.into()) } else { quote!(value) };
            setters.push(quote! {
                #doc
                pub fn #pname(mut self, value: #arg) -> Self {
                    self.#pname = Some(#value);
                    self
                }
            });
        }
    }
    if let Some(b) = &op.body {
        let ty = ty_tokens(&b.ty, &quote!(types::), true);
        if b.required {
            fields.push(quote!(body: #ty));
        } else {
            fields.push(quote!(body: Option<#ty>));
            let doc = doc_attrs(&[b.doc.as_deref().or(Some("The request body."))]);
            setters.push(quote! {
                #doc
                pub fn body(mut self, value: #ty) -> Self {
                    self.body = Some(value);
                    self
                }
            });
        }
    }
    let send = send_fn(api, op);
    let paging = op.pagination.as_ref().map(|p| pagination(op, p));
    let must_use = format!("`{}` does nothing until you `.send().await` it", op.builder_name);
    quote! {
        #struct_doc
        #[derive(Debug, Clone)]
        #[must_use = #must_use]
        pub struct #name<'a> {
            client: &'a Client,
            options: runtime::RequestOptions,
            #(#fields,)*
        }

        impl #name<'_> {
            #(#setters)*

            /// Overrides the client's timeout, retries or headers for this request.
            pub fn with_options(mut self, options: runtime::RequestOptions) -> Self {
                self.options = options;
                self
            }

            #send
        }

        #paging
    }
}

/// `.pages()` and `.items()` for an offset-paginated list operation.
fn pagination(op: &Operation, p: &crate::model::Pagination) -> TokenStream {
    let name = ident(&op.builder_name);
    let offset = ident(&p.offset_param);
    let results = ident(&p.results_field);
    let next = ident(&p.next_field);
    let item = ty_tokens(&p.item, &quote!(types::), true);
    let Success::Json(page_ty) = &op.success else {
        return quote!();
    };
    let page = ty_tokens(page_ty, &quote!(types::), true);
    let count = if p.results_optional {
        quote!(page.#results.as_ref().map_or(0, Vec::len))
    } else {
        quote!(page.#results.len())
    };
    let has_next = if p.next_optional {
        quote!(page.#next.is_some())
    } else {
        quote!(true)
    };
    let take = if p.results_optional {
        quote!(page.#results.unwrap_or_default())
    } else {
        quote!(page.#results)
    };
    let pages_doc = lines_to_doc(&format!(
        "Every page of `{} {}`, fetched lazily, starting at this builder's offset and following `{}` until the last page.",
        op.method, op.path, p.next_field
    ));
    let items_doc = lines_to_doc(&format!(
        "Every item of every page of `{} {}`, fetched a page at a time as the stream is polled.",
        op.method, op.path
    ));
    quote! {
        impl<'a> #name<'a> {
            #pages_doc
            pub fn pages(self) -> impl futures::Stream<Item = Result<#page>> + 'a {
                let first = self.#offset.unwrap_or(0);
                runtime::pages(
                    self,
                    first,
                    |mut builder, offset| {
                        builder.#offset = Some(offset);
                        builder.send()
                    },
                    |page| (#count, #has_next),
                )
            }

            #items_doc
            pub fn items(self) -> impl futures::Stream<Item = Result<#item>> + 'a {
                runtime::items(self.pages(), |page| #take)
            }
        }
    }
}

fn status_tokens(s: StatusKey) -> TokenStream {
    match s {
        StatusKey::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(c);
            quote!(StatusKey::Code(#c))
        }
        StatusKey::Range(r) => {
            let r = proc_macro2::Literal::u16_unsuffixed(r);
            quote!(StatusKey::Range(#r))
        }
        StatusKey::Default => quote!(StatusKey::Default),
    }
}

/// The runtime's description of the scheme named `name`.
fn scheme_tokens(api: &Api, name: &str) -> Option<TokenStream> {
    let scheme = api.security_schemes.iter().find(|s| s.name == name)?;
    Some(match &scheme.kind {
        SchemeKind::Basic => quote!(runtime::Scheme::Basic),
        SchemeKind::Bearer => quote!(runtime::Scheme::Bearer),
        SchemeKind::ApiKey { location, param } => {
            let location = match location {
                Location::Header => quote!(runtime::KeyLocation::Header),
                Location::Query | Location::Path => quote!(runtime::KeyLocation::Query),
                Location::Cookie => quote!(runtime::KeyLocation::Cookie),
            };
            quote!(runtime::Scheme::ApiKey { scheme: #name, name: #param, location: #location })
        }
    })
}

/// A `runtime::Constraints` value, built with its `const` methods.
fn constraints_tokens(c: &Constraints) -> TokenStream {
    let float = proc_macro2::Literal::f64_unsuffixed;
    let mut calls = Vec::new();
    if let Some(v) = c.minimum {
        let (call, v) = (if c.exclusive_minimum { "min_exclusive" } else { "min" }, float(v));
        let call = ident(call);
        calls.push(quote!(.#call(#v)));
    }
    if let Some(v) = c.maximum {
        let (call, v) = (if c.exclusive_maximum { "max_exclusive" } else { "max" }, float(v));
        let call = ident(call);
        calls.push(quote!(.#call(#v)));
    }
    for (call, value) in [
        ("min_length", c.min_length),
        ("max_length", c.max_length),
        ("min_items", c.min_items),
        ("max_items", c.max_items),
    ] {
        if let Some(v) = value {
            let call = ident(call);
            let v = proc_macro2::Literal::usize_unsuffixed(v);
            calls.push(quote!(.#call(#v)));
        }
    }
    if let Some(p) = &c.pattern {
        calls.push(quote!(.pattern(#p)));
    }
    quote!(&runtime::Constraints::NONE #(#calls)*)
}

/// Checks of the declared constraints of the parameters and the body's fields.
fn checks(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for p in &op.params {
        if let Some(c) = &p.constraints {
            let pname = ident(&p.name);
            let wire = &p.wire;
            let c = constraints_tokens(c);
            out.push(quote!(runtime::check(#wire, &self.#pname, #c)?;));
        }
    }
    let Some(body) = &op.body else { return out };
    let Some(fields) = api.struct_fields(&body.ty) else {
        return out;
    };
    for f in fields {
        if let Some(c) = &f.constraints {
            let fname = ident(&f.name);
            let label = format!("body.{}", f.wire);
            let c = constraints_tokens(c);
            out.push(if body.required {
                quote!(runtime::check(#label, &self.body.#fname, #c)?;)
            } else {
                quote!(if let Some(body) = &self.body { runtime::check(#label, &body.#fname, #c)?; })
            });
        }
    }
    out
}

fn send_fn(api: &Api, op: &Operation) -> TokenStream {
    let op_id = op.operation_id.clone().unwrap_or_else(|| op.method_name.clone());
    let http_method = format_ident!("{}", {
        let m = op.method.to_ascii_lowercase();
        let mut c = m.chars();
        c.next()
            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_default()
    });
    let path_template = &op.path;
    let security = op.security.iter().map(|set| {
        let schemes = set.iter().filter_map(|name| scheme_tokens(api, name));
        quote!(&[#(#schemes),*])
    });
    let errors = op.errors.iter().map(|e| {
        let status = status_tokens(e.status);
        match &e.body {
            Some(b) => {
                let f = format_ident!("decode_{}", crate::names::snake(b));
                quote!((#status, Some(types::ErrorBody::#f)))
            }
            None => quote!((#status, None)),
        }
    });

    // The concrete path: literal pieces with percent-encoded parameters between them.
    let mut pieces: Vec<TokenStream> = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        let literal = &rest[..start];
        if !literal.is_empty() {
            pieces.push(quote!(#literal));
        }
        let wire = &rest[start + 1..start + len];
        match op
            .params
            .iter()
            .find(|p| p.location == Location::Path && p.wire == wire)
        {
            Some(p) if p.structured || p.style != ParamStyle::Simple => {
                let pname = ident(&p.name);
                let style = style_tokens(p.style);
                let explode = p.explode;
                pieces.push(quote!(&runtime::path_value(#wire, #style, #explode, &self.#pname)?));
            }
            Some(p) => {
                let pname = ident(&p.name);
                pieces.push(quote!(&runtime::path_segment(&self.#pname)));
            }
            // The model declares a parameter for every name in the template.
            None => {
                let message = format!("no parameter for `{{{wire}}}`");
                pieces.push(quote!(compile_error!(#message)));
            }
        }
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push(quote!(#rest));
    }
    let path_expr = if pieces.len() == 1 && !op.path.contains('{') {
        let p = &op.path;
        quote!(#p.to_owned())
    } else {
        quote!([#(#pieces),*].concat())
    };

    let mut steps = Vec::new();
    for p in op.params.iter().filter(|p| p.location != Location::Path) {
        let pname = ident(&p.name);
        let wire = &p.wire;
        let call = match p.location {
            Location::Query => quote!(query),
            Location::Header => quote!(header),
            Location::Cookie => quote!(cookie),
            Location::Path => continue,
        };
        let value = if p.required {
            quote!(Some(&self.#pname))
        } else {
            quote!(self.#pname.as_ref())
        };
        // Arrays of scalars in an exploded form query repeat the name: the common case, written
        // without a detour through JSON.
        let repeated = match &p.ty {
            Ty::Vec(inner) => {
                p.location == Location::Query && p.style == ParamStyle::Form && p.explode && api.is_scalar(inner)
            }
            _ => false,
        };
        let explode = p.explode;
        steps.push(match p.location {
            _ if repeated && p.required => {
                quote!(for value in &self.#pname { request.#call(#wire, Some(value)); })
            }
            _ if repeated => {
                quote!(for value in self.#pname.iter().flatten() { request.#call(#wire, Some(value)); })
            }
            _ if !p.structured => quote!(request.#call(#wire, #value);),
            Location::Query => {
                let style = style_tokens(p.style);
                quote!(request.query_styled(#wire, #style, #explode, #value)?;)
            }
            Location::Header => quote!(request.header_styled(#wire, #explode, #value)?;),
            _ => quote!(request.cookie_styled(#wire, #explode, #value)?;),
        });
    }
    if let Some(body) = &op.body {
        let media = &body.media_type;
        let encode = |value: TokenStream| match &body.encoding {
            BodyEncoding::Json => quote!(request.json(#value)?;),
            BodyEncoding::Form { styled } => {
                let styled = styled.iter().map(|(wire, style, explode)| {
                    let style = style_tokens(*style);
                    quote!((#wire, #style, #explode))
                });
                quote!(request.form(#value, &[#(#styled),*])?;)
            }
            BodyEncoding::Multipart { files } => quote!(request.multipart(#value, &[#(#files),*])?;),
            BodyEncoding::Raw => quote!(request.raw(#value, #media);),
        };
        steps.push(if body.required {
            encode(quote!(&self.body))
        } else {
            let encode = encode(quote!(body));
            quote!(if let Some(body) = &self.body { #encode })
        });
    }
    if let Some(accept) = &op.accept {
        steps.push(quote!(request.accept(#accept);));
    }
    let (ret, finish) = match &op.success {
        Success::Outcomes { name, cases } => {
            let name = ident(name);
            let arm = |case: &Outcome| {
                let variant = ident(&case.variant);
                match &case.body {
                    Success::Unit => quote!(Ok(types::#name::#variant)),
                    body => {
                        let decode = decode_call(body);
                        quote!(#decode.map(types::#name::#variant))
                    }
                }
            };
            let arms = cases.iter().filter_map(|c| match c.status {
                StatusKey::Code(code) => {
                    let decode = arm(c);
                    let code = proc_macro2::Literal::u16_unsuffixed(code);
                    Some(quote!(#code => #decode,))
                }
                _ => None,
            });
            // A status the document does not list takes the range's case, else the first.
            let fallback = cases
                .iter()
                .find(|c| !matches!(c.status, StatusKey::Code(_)))
                .or(cases.first())
                .map(arm);
            (
                quote!(types::#name),
                quote!(match response.status() { #(#arms)* _ => #fallback, }),
            )
        }
        body => (success_ty(body, &quote!(types::)), decode_call(body)),
    };
    let mutability = if steps.is_empty() { quote!() } else { quote!(mut) };
    let checks = checks(api, op);
    let send_doc = lines_to_doc(&format!("Sends `{} {}` and decodes the response.", op.method, op.path));
    quote! {
        #send_doc
        pub async fn send(self) -> Result<#ret> {
            static META: OperationMeta<types::ErrorBody> = OperationMeta {
                operation_id: #op_id,
                method: HttpMethod::#http_method,
                path: #path_template,
                security: &[#(#security),*],
                errors: &[#(#errors),*],
            };
            #(#checks)*
            let #mutability request = self.client.request(&META, #path_expr, self.options);
            #(#steps)*
            let response = request.send().await?;
            #finish
        }
    }
}

fn style_tokens(style: ParamStyle) -> TokenStream {
    let name = format_ident!("{}", format!("{style:?}"));
    quote!(runtime::Style::#name)
}

/// The Rust type of a success body (not `Outcomes`, which is named).
fn success_ty(body: &Success, prefix: &TokenStream) -> TokenStream {
    match body {
        Success::Unit => quote!(()),
        Success::Untyped => quote!(serde_json::Value),
        Success::Json(ty) => ty_tokens(ty, prefix, true),
        Success::Text => quote!(String),
        Success::Bytes => quote!(bytes::Bytes),
        Success::Outcomes { name, .. } => {
            let name = ident(name);
            quote!(#prefix #name)
        }
    }
}

/// The runtime call that reads a success body.
fn decode_call(body: &Success) -> TokenStream {
    match body {
        Success::Unit => quote!(response.unit()),
        Success::Untyped => quote!(response.untyped()),
        Success::Text => quote!(response.text()),
        Success::Bytes => quote!(response.bytes()),
        Success::Json(_) | Success::Outcomes { .. } => quote!(response.json()),
    }
}

/// The enums of operations whose 2xx statuses answer differently: one variant per status.
fn outcome_enums(api: &Api) -> TokenStream {
    let enums = api.operations.iter().filter_map(|op| {
        let Success::Outcomes { name, cases } = &op.success else {
            return None;
        };
        let name_ident = ident(name);
        let doc = lines_to_doc(&format!(
            "What `{} {}` answers: one variant per documented success status.",
            op.method, op.path
        ));
        let variants = cases.iter().map(|c| {
            let variant = ident(&c.variant);
            let status = match c.status {
                StatusKey::Code(code) => code.to_string(),
                _ => "Another 2xx".to_owned(),
            };
            let vdoc = lines_to_doc(&if c.description.is_empty() {
                format!("{status}.")
            } else {
                format!("{status}: {}", c.description)
            });
            match &c.body {
                Success::Unit => quote!(#vdoc #variant,),
                body => {
                    let ty = success_ty(body, &quote!());
                    quote!(#vdoc #variant(#ty),)
                }
            }
        });
        Some(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name_ident { #(#variants)* }
        })
    });
    quote!(#(#enums)*)
}
