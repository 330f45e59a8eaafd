//! `builders.rs`: the `Client` method and the request builder of each operation, and the
//! streams of paginated ones.

use super::send::send_fn;
use super::{arg_ty, doc_attrs, ident, lines_to_doc, ty_tokens};
use crate::model::{Api, Operation, Param, StatusKey, Ty};
use proc_macro2::TokenStream;
use quote::quote;

/// The start of `builders.rs`: imports and one `Client` method per operation.
pub(super) fn operations_opening(api: &Api) -> TokenStream {
    // A document without operations has builders that name nothing. What the operations use is
    // imported with one of their features; `StatusKey` only by those that declare error
    // statuses, so with theirs (in the same import when that is every operation).
    let cfg = super::cfg(&super::union(api.operations.iter().map(|op| op.features.as_slice())));
    let declaring = api.operations.iter().filter(|op| !op.errors.is_empty());
    let status_key = match declaring.clone().count() {
        0 => None,
        n if n == api.operations.len() => Some(quote!()),
        _ => {
            let cfg = super::cfg(&super::union(declaring.map(|op| op.features.as_slice())));
            Some(quote!(#cfg use super::runtime::StatusKey;))
        }
    };
    let imports = match status_key {
        _ if api.operations.is_empty() => quote!(),
        Some(separate) if !separate.is_empty() => quote! {
            #cfg
            use super::{runtime::{self, HttpMethod, OperationMeta}, types, Result};
            #separate
        },
        Some(_) => quote! {
            #cfg
            use super::{runtime::{self, HttpMethod, OperationMeta, StatusKey}, types, Result};
        },
        None => quote! {
            #cfg
            use super::{runtime::{self, HttpMethod, OperationMeta}, types, Result};
        },
    };
    // The methods follow in pieces (`client_methods`); without operations, the block is empty.
    let empty = api.operations.is_empty().then(|| quote!(impl Client {}));
    quote! {
        //! One request builder per operation; each is made by the [`Client`](super::Client) method of the same name.
        #imports
        use super::Client;

        #empty
    }
}

/// The `Client` methods of the operations in `range`, inside the block they belong to (see
/// [`super::Piece::Methods`]).
pub(super) fn client_methods(api: &Api, range: std::ops::Range<usize>) -> TokenStream {
    let methods = api.operations[range].iter().map(|op| {
        let cfg = super::cfg(&op.features);
        let method = client_method(op);
        quote!(#cfg #method)
    });
    quote! {
        impl Client {
            #(#methods)*
        }
    }
}

pub(super) fn method_doc(op: &Operation) -> TokenStream {
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
    if let Some(credentials) = credentials(op) {
        text.push_str(&format!("\n\nCredentials: {credentials}."));
    }
    text.push_str(&error_statuses(op));
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

/// The error statuses an operation declares, each with the `ErrorBody` variant its body
/// decodes into and what the document says it means: a list for the method's docs.
fn error_statuses(op: &Operation) -> String {
    if op.errors.is_empty() {
        return String::new();
    }
    let mut text = "\n\nError statuses it declares ([`Error::Api`](super::runtime::Error::Api)):".to_owned();
    for e in &op.errors {
        let status = match e.status {
            StatusKey::Code(code) => code.to_string(),
            StatusKey::Range(first) => format!("{first}XX"),
            StatusKey::Default => "any other".to_owned(),
        };
        let body = e
            .body
            .as_ref()
            .map(|b| format!(" ([`ErrorBody::{b}`](super::types::ErrorBody::{b}))"))
            .unwrap_or_default();
        let about = super::send::meaning(&e.description);
        let about = if about.is_empty() {
            String::new()
        } else {
            format!(": {about}")
        };
        text.push_str(&format!("\n- `{status}`{body}{about}"));
    }
    text
}

/// The credentials an operation takes, in words: "`bearer`, or `oauth` with scope
/// `sites:write`"; "optional" when an alternative needs none; `None` when it takes none. Its
/// docs say it, and its `OperationMeta` carries it for a 401's or 403's message.
pub(super) fn credentials(op: &Operation) -> Option<String> {
    let sets: Vec<String> = op
        .security
        .iter()
        .filter(|set| !set.is_empty())
        .map(|set| {
            set.iter()
                .map(|r| match r.scopes.as_slice() {
                    [] => format!("`{}`", r.scheme),
                    [one] => format!("`{}` with scope `{one}`", r.scheme),
                    many => format!(
                        "`{}` with scopes {}",
                        r.scheme,
                        many.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                    ),
                })
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    if sets.is_empty() {
        return None;
    }
    let optional = op.security.iter().any(Vec::is_empty);
    Some(format!(
        "{}{}",
        sets.join(", or "),
        if optional { " (optional)" } else { "" }
    ))
}

pub(super) fn client_method(op: &Operation) -> TokenStream {
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
        if b.required {
            // Bytes to upload come as anything `Into<Upload>`: a `Vec<u8>`, a file, a stream.
            let (ty, into) = body_arg(&b.ty);
            args.push(quote!(body: #ty));
            inits.push(if into { quote!(body: body.into()) } else { quote!(body) });
        } else {
            inits.push(quote!(body: None));
        }
    }
    quote! {
        #doc
        pub fn #name(&self, #(#args),*) -> #builder {
            #builder { client: self.clone(), options: runtime::RequestOptions::new(), #(#inits),* }
        }
    }
}

/// The argument type of a request body, and whether it takes `.into()`: only uploads do (other
/// bodies keep their own type, so a string body stays a `String`).
fn body_arg(ty: &Ty) -> (TokenStream, bool) {
    match ty {
        Ty::Upload => arg_ty(ty),
        other => (ty_tokens(other, &quote!(types::), true), false),
    }
}

pub(super) fn builder(api: &Api, op: &Operation) -> TokenStream {
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
            let (arg, into) = body_arg(&b.ty);
            let value = if into { quote!(value.into()) } else { quote!(value) };
            setters.push(quote! {
                #doc
                pub fn body(mut self, value: #arg) -> Self {
                    self.body = Some(#value);
                    self
                }
            });
        }
    }
    let (send, ret) = send_fn(api, op);
    let paging = super::paging::paging(op);
    let must_use = format!("`{}` does nothing until you `.send().await` it", op.builder_name);
    quote! {
        #struct_doc
        #[derive(Debug, Clone)]
        #[must_use = #must_use]
        pub struct #name {
            /// A handle to the client (cheap to clone), so the builder and its future borrow
            /// nothing and can be moved to another task.
            client: Client,
            options: runtime::RequestOptions,
            #(#fields,)*
        }

        impl #name {
            #(#setters)*

            #send
        }

        runtime::request_builder!(#name -> #ret);

        #paging
    }
}

#[cfg(test)]
mod tests {
    /// Every name `builders.rs` imports is one the naming authority reserves in that module
    /// (module paths aside), so no request builder can be named like an import.
    #[test]
    fn the_imports_of_builders_rs_are_reserved_names() {
        let bytes = include_bytes!("../../../tests/fixtures/features.yaml");
        let model = crate::Document::read("features.yaml", bytes)
            .expect("reads")
            .model()
            .expect("models");
        let opening = super::operations_opening(model.api()).to_string();
        let imported: Vec<String> = opening
            .split("use ")
            .skip(1)
            .filter_map(|rest| rest.split(';').next())
            // Every name of the use tree (`super::{runtime::{self, HttpMethod}, types}`).
            .flat_map(|tree| {
                tree.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .filter(|n| !n.is_empty() && !matches!(n.as_str(), "super" | "self" | "types" | "runtime"))
            .collect();
        assert!(imported.len() >= 4, "found {imported:?} in {opening}");
        for name in imported {
            assert!(
                crate::names::BUILDERS_MODULE_NAMES.contains(&name.as_str()),
                "builders.rs imports `{name}`, which names.rs does not reserve"
            );
        }
    }
}
