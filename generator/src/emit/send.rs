//! The `send` method of each request builder: the operation's static description, its
//! checks, where each parameter and the body go, and how the answer is read.

use super::{ident, lines_to_doc, ty_tokens};
use crate::model::{
    Api, Body, BodyEncoding, Constraints, Field, HttpMethod, Location, Operation, Outcome, PathSegment, RateLimit,
    Requirement, SchemeKind, StatusKey, Style, Success, Ty,
};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub(super) fn status_tokens(s: StatusKey) -> TokenStream {
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

/// The runtime's description of one scheme of a requirement, with its scopes.
pub(super) fn requirement_tokens(api: &Api, requirement: &Requirement) -> Option<TokenStream> {
    let name = requirement.scheme.as_str();
    let scheme = api.security_schemes.iter().find(|s| s.name == name)?;
    let kind = match &scheme.kind {
        SchemeKind::Basic => quote!(runtime::Scheme::Basic),
        SchemeKind::Bearer | SchemeKind::OAuth2(_) => quote!(runtime::Scheme::Bearer),
        SchemeKind::SigV4 => quote!(runtime::Scheme::SigV4),
        SchemeKind::ApiKey { location, param, .. } => {
            let location = match location {
                Location::Header => quote!(runtime::KeyLocation::Header),
                Location::Query | Location::Path => quote!(runtime::KeyLocation::Query),
                Location::Cookie => quote!(runtime::KeyLocation::Cookie),
            };
            quote!(runtime::Scheme::ApiKey { scheme: #name, name: #param, location: #location })
        }
    };
    let scopes = &requirement.scopes;
    Some(quote!(runtime::Requirement { name: #name, scheme: #kind, scopes: &[#(#scopes),*] }))
}

/// A `runtime::RateLimit` value.
pub(super) fn rate_limit_token(limit: &RateLimit) -> TokenStream {
    let (requests, millis) = (limit.requests, limit.millis);
    quote!(runtime::RateLimit::new(#requests, std::time::Duration::from_millis(#millis)))
}

/// A slice of `runtime::RateLimit` values.
fn rate_limit_tokens(limits: &[RateLimit]) -> TokenStream {
    let limits = limits.iter().map(rate_limit_token);
    quote!(&[#(#limits),*])
}

/// A `runtime::Constraints` value, built with its `const` methods.
pub(super) fn constraints_tokens(c: &Constraints) -> TokenStream {
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
pub(super) fn checks(api: &Api, op: &Operation) -> Vec<TokenStream> {
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

/// The builder's `send_with_response`, and the type of the body it decodes (for the `send` that
/// `request_builder!` writes around it). Both are plain functions: the builder's `prepare`
/// checks and encodes the request, and the runtime's `send_prepared` sends it, so there is no
/// `async fn` (and no state machine for rustc to check) per operation.
pub(super) fn send_fn(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    let meta = meta(api, op);
    let (path_binding, path_arg) = path(op);
    let mut steps = steps(api, op);
    if let Some(retry) = &op.retry {
        let policy = retry_policy(retry);
        steps.push(quote!(request.declared_retry(#policy);));
    }
    let (ret, finish) = finish(api, op);
    let mutability = if steps.is_empty() { quote!() } else { quote!(mut) };
    let checks = checks(api, op);
    let send_doc = match &op.success {
        Success::Events(_) => lines_to_doc(&format!(
            "Sends `{} {}` and gives its events as they arrive, each one's data decoded, with the status and headers; `send` gives the events alone.\n\n# Errors\nAn [`Error`](super::Error) when a value breaks a constraint the API description declares, the request cannot be sent, or the API answers with an error status (its body typed as declared); after that, the stream's items.",
            op.method, op.path
        )),
        _ => lines_to_doc(&format!(
            "Sends `{} {}` and decodes the response, keeping its status and headers; `send` gives the body alone.\n\n# Errors\nAn [`Error`](super::Error) when a value breaks a constraint the API description declares, the request cannot be sent, the API answers with an error status (its body typed as declared), or the answer does not match the declared type.",
            op.method, op.path
        )),
    };
    // A binary download can also be streamed.
    let stream_doc = lines_to_doc(&format!(
        "Sends `{} {}` and gives the body as a stream of chunks as they arrive, however large (the client's body-size limit does not apply), with the status and headers.\n\n# Errors\nAs `send_with_response`, until the status and headers arrive; a transfer that breaks off after that is an error item of the stream.",
        op.method, op.path
    ));
    let streaming = if op.success == Success::Bytes {
        quote! {
            #stream_doc
            pub fn send_streaming(
                self,
            ) -> impl std::future::Future<Output = Result<runtime::ResponseValue<runtime::ByteStream<types::ErrorBody>>>> {
                runtime::stream_prepared(self.prepare())
            }
        }
    } else {
        quote!()
    };
    // An event stream is read as it arrives, not decoded whole.
    let sending = match &op.success {
        Success::Events(events) => {
            let meta = super::events::events_meta(events);
            quote!(runtime::events_prepared(self.prepare(), #meta))
        }
        _ => quote!(runtime::send_prepared(self.prepare(), |response| #finish)),
    };
    let events = op.events.as_ref().map(|events| super::events::send_events(op, events));
    let send = quote! {
        #send_doc
        pub fn send_with_response(self) -> impl std::future::Future<Output = Result<runtime::ResponseValue<#ret>>> {
            #sending
        }

        #streaming
        #events

        /// What prepares the request (checked and encoded, ready to send) when the send is
        /// first polled.
        fn prepare(self) -> impl FnOnce() -> Result<runtime::Request<types::ErrorBody>> {
            move || {
                #meta
                #(#checks)*
                #path_binding
                let #mutability request = self.client.0.request(&META, #path_arg, self.options);
                #(#steps)*
                Ok(request)
            }
        }
    };
    (send, ret)
}

/// A `runtime::RetryPolicy` of the retries a document declares.
pub(super) fn retry_policy(retry: &crate::model::DeclaredRetry) -> TokenStream {
    if retry.disabled {
        return quote!(runtime::RetryPolicy::disabled());
    }
    let millis = |ms: Option<u64>| {
        ms.map(|ms| {
            let ms = proc_macro2::Literal::u64_unsuffixed(ms);
            quote!(std::time::Duration::from_millis(#ms))
        })
    };
    let fields = [
        ("initial_backoff", millis(retry.initial_ms)),
        ("max_backoff", millis(retry.max_ms)),
        ("max_total_delay", millis(retry.total_ms)),
    ]
    .into_iter()
    .filter_map(|(name, value)| {
        let name = ident(name);
        value.map(|v| quote!(#name: #v,))
    });
    quote!(runtime::RetryPolicy { #(#fields)* ..runtime::RetryPolicy::default() })
}

/// The runtime's `HttpMethod` variant of `method`.
pub(super) fn method_variant(method: HttpMethod) -> TokenStream {
    match method {
        HttpMethod::Get => quote!(Get),
        HttpMethod::Put => quote!(Put),
        HttpMethod::Post => quote!(Post),
        HttpMethod::Delete => quote!(Delete),
        HttpMethod::Options => quote!(Options),
        HttpMethod::Head => quote!(Head),
        HttpMethod::Patch => quote!(Patch),
        HttpMethod::Trace => quote!(Trace),
    }
}

/// The operation's `static META`: what the runtime needs to know about it.
fn meta(api: &Api, op: &Operation) -> TokenStream {
    let op_id = op.operation_id.clone().unwrap_or_else(|| op.method_name.clone());
    let http_method = method_variant(op.method);

    let path_template = &op.path;
    let security = op.security.iter().map(|set| {
        let schemes = set.iter().filter_map(|r| requirement_tokens(api, r));
        quote!(&[#(#schemes),*])
    });
    let errors = error_table_ident(op.error_table);
    // What a refusal means for this operation, as the document says it.
    let denials = op.errors.iter().filter_map(|e| match e.status {
        StatusKey::Code(code @ (401 | 403)) if !e.description.is_empty() => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            let text = meaning(&e.description);
            Some(quote!((#code, #text)))
        }
        _ => None,
    });
    let rate_limits = rate_limit_tokens(&op.rate_limits);
    let credentials = super::builders::credentials(op).unwrap_or_default();

    quote! {
        static META: OperationMeta<types::ErrorBody> = OperationMeta {
            operation_id: #op_id,
            method: HttpMethod::#http_method,
            path: #path_template,
            security: &[#(#security),*],
            errors: #errors,
            credentials: #credentials,
            denials: &[#(#denials),*],
            rate_limits: #rate_limits,
        };
    }
}

/// What a declared refusal means, for an error message: the first paragraph of its
/// description on one line, at most 200 characters.
pub(super) fn meaning(description: &str) -> String {
    let first = description.split("\n\n").next().unwrap_or(description);
    let line = first.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// The concrete path: literal pieces with percent-encoded parameters between them; a local
/// `path` to assemble first, if any, and the argument that passes it.
fn path(op: &Operation) -> (TokenStream, TokenStream) {
    let pieces: Vec<TokenStream> = op
        .path_segments
        .iter()
        .map(|segment| match segment {
            PathSegment::Literal(text) => quote!(#text),
            PathSegment::Param(i) => {
                let p = &op.params[*i];
                let pname = ident(&p.name);
                if p.structured || p.style != Style::Simple {
                    let (wire, style, explode) = (&p.wire, style_tokens(p.style), p.explode);
                    quote!(&runtime::path_value(#wire, #style, #explode, &self.#pname)?)
                } else {
                    quote!(&runtime::path_segment(&self.#pname))
                }
            }
        })
        .collect();
    // A path without parameters is a static string; any other is assembled first.
    match op.path_segments.as_slice() {
        [PathSegment::Literal(text)] => (quote!(), quote!(#text)),
        _ => (quote!(let path = [#(#pieces),*].concat();), quote!(path)),
    }
}

/// Where each query, header and cookie parameter and the body go, and the `Accept` header.
fn steps(api: &Api, op: &Operation) -> Vec<TokenStream> {
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
                p.location == Location::Query && p.style == Style::Form && p.explode && api.is_scalar(inner)
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
        steps.push(body_step(api, body));
    }
    if let Some(accept) = &op.accept {
        steps.push(quote!(request.accept(#accept);));
    }
    steps
}

/// Where the request body goes: encoded as its media type says, moved out of the builder or
/// borrowed.
fn body_step(api: &Api, body: &Body) -> TokenStream {
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
        BodyEncoding::Multipart { files, content_types } => match api.struct_fields(&body.ty) {
            // The struct itself, by value, for its fields: `self.body`, or `body`.
            Some(fields) => multipart_form(
                fields,
                files,
                content_types,
                &if body.required { quote!(self.body) } else { quote!(body) },
            ),
            None => quote!(request.multipart(#value, &[#(#files),*])?;),
        },
        BodyEncoding::MultipartPart { name, content_type } => one_part(&body.ty, name, content_type.as_deref(), &value),
        BodyEncoding::Raw if body.ty == Ty::Upload => quote!(request.upload(#value, #media);),
        BodyEncoding::Raw => quote!(request.raw(#value, #media);),
        BodyEncoding::Xml => {
            let root = super::xml::root_name(api, &body.ty);
            let shape = super::xml::shape(api, &body.ty, &super::xml::Names::builders_module(), 0);
            quote!(request.xml(#value, #root, #shape, #media)?;)
        }
    };
    // Uploads and multipart structs and parts are moved out of the builder; other bodies
    // borrowed.
    let moved = body.ty == Ty::Upload
        || matches!(&body.encoding, BodyEncoding::MultipartPart { .. })
        || matches!(&body.encoding, BodyEncoding::Multipart { .. }) && api.struct_fields(&body.ty).is_some();
    match (body.required, moved) {
        (true, true) => encode(quote!(self.body)),
        (true, false) => encode(quote!(&self.body)),
        (false, true) => {
            let encode = encode(quote!(body));
            quote!(if let Some(body) = self.body { #encode })
        }
        (false, false) => {
            let encode = encode(quote!(body));
            quote!(if let Some(body) = &self.body { #encode })
        }
    }
}

/// A multipart body written field by field, so a file's bytes go into the body as they are
/// (through JSON, each byte would be a JSON number: 35 times the file's size in memory), moved
/// out of the builder's body (`body`, the struct by value) rather than copied. A part's media
/// type is the `encoding`'s, when it names one.
fn multipart_form(
    fields: &[Field],
    files: &[String],
    content_types: &[(String, String)],
    body: &TokenStream,
) -> TokenStream {
    let parts = fields.iter().map(|f| {
        let member = ident(&f.name);
        let wire = &f.wire;
        let content_type = match content_types.iter().find(|(w, _)| w == wire) {
            Some((_, ct)) => quote!(Some(#ct)),
            None => quote!(None),
        };
        let is_file = files.contains(&f.wire) && !f.three_state && !f.boxed;
        let binary = |ty: &Ty| matches!(ty, Ty::Bytes | Ty::Upload);
        match (&f.ty, f.optional) {
            (ty, false) if is_file && binary(ty) => quote!(form.file(#wire, #body.#member, #content_type);),
            (ty, true) if is_file && binary(ty) => {
                quote!(if let Some(file) = #body.#member { form.file(#wire, file, #content_type); })
            }
            (Ty::Vec(item), false) if is_file && binary(item) => {
                quote!(for file in #body.#member { form.file(#wire, file, #content_type); })
            }
            (Ty::Vec(item), true) if is_file && binary(item) => {
                quote!(for file in #body.#member.into_iter().flatten() { form.file(#wire, file, #content_type); })
            }
            _ => quote!(form.field(#wire, &#body.#member, #content_type)?;),
        }
    });
    quote! {
        let mut form = runtime::Multipart::new();
        #(#parts)*
        request.multipart_form(form);
    }
}

/// A multipart body that is not an object, as one part named `name` (`body`, by value): bytes
/// as a file part, a list of them as one file part each, anything else as a text part (a list
/// as one part per item).
fn one_part(ty: &Ty, name: &str, content_type: Option<&str>, body: &TokenStream) -> TokenStream {
    let content_type = match content_type {
        Some(ct) => quote!(Some(#ct)),
        None => quote!(None),
    };
    let part = match ty {
        Ty::Upload => quote!(form.file(#name, #body, #content_type);),
        Ty::Vec(item) if **item == Ty::Upload => quote!(for file in #body { form.file(#name, file, #content_type); }),
        _ => quote!(form.field(#name, &#body, #content_type)?;),
    };
    quote! {
        let mut form = runtime::Multipart::new();
        #part
        request.multipart_form(form);
    }
}

/// The type `send` returns, and how it reads the answer.
fn finish(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    match &op.success {
        Success::Outcomes { name, cases } => {
            let name = ident(name);
            let arm = |case: &Outcome| {
                let variant = ident(&case.variant);
                match &case.body {
                    Success::Unit => quote!(Ok(types::#name::#variant)),
                    body => {
                        let decode = decode_call(body, &quote!(response));
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
        Success::Json(ty) if op.answers_xml => {
            let shape = super::xml::static_shape(api, ty);
            (success_ty(&op.success, &quote!(types::)), quote!(response.xml(#shape)))
        }
        body => (success_ty(body, &quote!(types::)), decode_call(body, &quote!(response))),
    }
}

/// The runtime's name of a parameter style.
pub(super) fn style_tokens(style: Style) -> TokenStream {
    match style {
        Style::Form => quote!(runtime::Style::Form),
        Style::Simple => quote!(runtime::Style::Simple),
        Style::Label => quote!(runtime::Style::Label),
        Style::Matrix => quote!(runtime::Style::Matrix),
        Style::SpaceDelimited => quote!(runtime::Style::SpaceDelimited),
        Style::PipeDelimited => quote!(runtime::Style::PipeDelimited),
        Style::DeepObject => quote!(runtime::Style::DeepObject),
    }
}

/// The Rust type of a success body (not `Outcomes`, which is named).
pub(super) fn success_ty(body: &Success, prefix: &TokenStream) -> TokenStream {
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
        Success::Events(events) => super::events::events_ty(events, prefix),
    }
}

/// The runtime call that reads a success body.
pub(super) fn decode_call(body: &Success, response: &TokenStream) -> TokenStream {
    match body {
        Success::Unit => quote!(#response.unit()),
        Success::Untyped => quote!(#response.untyped()),
        Success::Text => quote!(#response.text()),
        // A stream is read by `events_prepared` as it arrives; were it read whole, as bytes.
        Success::Bytes | Success::Events(_) => quote!(#response.bytes()),
        Success::Json(_) | Success::Outcomes { .. } => quote!(#response.json()),
    }
}

/// The name of the shared table of error cases at `position` in `Api::error_tables`.
pub(super) fn error_table_ident(position: usize) -> Ident {
    format_ident!("ERRORS_{}", position + 1)
}

/// One constant per distinct table of error cases, which the operations' `META` name.
pub(super) fn error_tables(api: &Api) -> TokenStream {
    let tables = api.error_tables.iter().enumerate().map(|(position, cases)| {
        let name = error_table_ident(position);
        let users: Vec<&Operation> = api.operations.iter().filter(|op| op.error_table == position).collect();
        // Compiled with the features of the operations that use it.
        let cfg = super::cfg(&super::union(users.iter().map(|op| op.features.as_slice())));
        let who = match users.len() {
            1 => "1 operation declares".to_owned(),
            n => format!("{n} operations declare"),
        };
        let doc = lines_to_doc(&format!(
            "The error statuses {who}, with the decoder of each typed body."
        ));
        let cases = cases.iter().map(|(status, body)| {
            let status = status_tokens(*status);
            match body {
                Some(b) => {
                    let f = format_ident!("decode_{}", crate::names::snake(b));
                    quote!((#status, Some(types::ErrorBody::#f)))
                }
                None => quote!((#status, None)),
            }
        });
        quote! {
            #doc
            #cfg
            const #name: runtime::ErrorTable<types::ErrorBody> = &[#(#cases),*];
        }
    });
    quote!(#(#tables)*)
}
