//! `types.rs`: a definition per model type (structs, string enums, unions, aliases), the
//! operations' outcome enums and the `ErrorBody` enum.

use super::send::success_ty;
use super::{doc_attrs, ident, lines_to_doc, serde_crate, ty_tokens};
use crate::model::{Api, Discriminator, Field, StatusKey, Success, Ty, TypeDef, TypeKind, UnionVariant, Variant};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The end of `types.rs`: the operations' outcome enums and the error body enum.
pub(super) fn types_closing(api: &Api) -> TokenStream {
    let outcomes = outcome_enums(api);
    let variants: Vec<Ident> = api.error_bodies.iter().map(|n| ident(n)).collect();
    let decoders: Vec<Ident> = api
        .error_bodies
        .iter()
        .map(|n| format_ident!("decode_{}", crate::names::snake(n)))
        .collect();
    let docs = api.error_bodies.iter().map(|n| format!(" The body is a [`{n}`]."));
    // A variant compiles with its body's type.
    let cfgs: Vec<TokenStream> = api
        .error_bodies
        .iter()
        .map(|n| {
            let features = api.type_named(n).map(|t| t.features.as_slice());
            super::cfg(features.unwrap_or(&[]))
        })
        .collect();
    // An API without typed error bodies has an empty enum and nothing to decode into it.
    let decode_impl = if variants.is_empty() {
        quote!()
    } else {
        quote! {
            impl ErrorBody {
                #(
                    #cfgs
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
            #( #[doc = #docs] #cfgs #variants(#variants), )*
        }

        #decode_impl
    }
}

pub(super) fn type_def(def: &TypeDef) -> TokenStream {
    let serde_crate = serde_crate();
    let name = ident(&def.name);
    let doc = doc_attrs(&[def.doc.as_deref()]);
    // The caller's derives, beside the generated ones (checked to be paths when chosen).
    let derives: Vec<syn::Path> = def.derives.iter().filter_map(|d| syn::parse_str(d).ok()).collect();
    let doc = if derives.is_empty() || matches!(def.kind, TypeKind::Alias(_)) {
        doc
    } else {
        quote!(#doc #[derive(#(#derives),*)])
    };
    match &def.kind {
        TypeKind::Alias(ty) => {
            let ty = ty_tokens(ty, &quote!(), true);
            quote! { #doc pub type #name = #ty; }
        }
        TypeKind::Struct(fields) => {
            let all_optional = fields.iter().all(|f| f.optional);
            let default = if all_optional { quote!(Default,) } else { quote!() };
            let construction = construction(&name, fields, def.sent);
            let deserialize = deserialize(&name, fields);
            let fields = fields.iter().map(field);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #default serde::Serialize)]
                #serde_crate
                #[non_exhaustive]
                pub struct #name {
                    #(#fields)*
                }

                #deserialize

                #construction
            }
        }
        TypeKind::Enum(variants) => string_enum(&name, &doc, variants),
        TypeKind::IntEnum(variants) => integer_enum(&name, &doc, variants),
        TypeKind::Union {
            variants,
            discriminator,
        } => union(&name, &doc, variants, discriminator.as_ref()),
    }
}

/// A `oneOf`/`anyOf`: an enum with one tuple variant per shape. Without a discriminator serde
/// tries the variants in order (a catch-all `serde_json::Value` variant goes last); with one,
/// the property's value picks the variant.
pub(super) fn union(
    name: &Ident,
    doc: &TokenStream,
    variants: &[UnionVariant],
    discriminator: Option<&Discriminator>,
) -> TokenStream {
    let serde_crate = serde_crate();
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
            #serde_crate
            #[serde(untagged)]
            #[non_exhaustive]
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
        #serde_crate
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#defs)*
            #unknown_doc
            #unknown(serde_json::Value),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let decoded = match super::runtime::discriminator(&value, #property) {
                    #(#arms)*
                    Some(_) => return Ok(Self::#unknown(value)),
                    None => return Err(super::runtime::missing_discriminator(#property, #expected)),
                };
                decoded.map_err(serde::de::Error::custom)
            }
        }
    }
}

/// How code outside the crate makes a struct that it cannot write as a literal (it is
/// `#[non_exhaustive]`, so the document may add optional fields in a minor release): `new` with
/// the fields the document requires, in order; the optional ones start as `None` and are pub
/// fields to assign. A type that requests send (`sent`) also has a `with_` method per optional
/// field, to build it in one expression; answers' types do without, to keep the crate small.
fn construction(name: &Ident, fields: &[Field], sent: bool) -> TokenStream {
    let (required, optional): (Vec<&Field>, Vec<&Field>) = fields.iter().partition(|f| !f.skip_if_none);
    let args = required.iter().map(|f| {
        let arg = ident(&f.name);
        let ty = if takes_into(f) && f.ty == Ty::String {
            quote!(impl Into<String>)
        } else if takes_into(f) {
            quote!(impl Into<super::runtime::Upload>)
        } else {
            field_ty(f)
        };
        quote!(#arg: #ty)
    });
    let inits = fields.iter().map(|f| {
        let member = ident(&f.name);
        match (f.skip_if_none, takes_into(f)) {
            (true, _) if f.three_state => quote!(#member: super::runtime::Nullable::Omitted),
            (true, _) => quote!(#member: None),
            (false, true) => quote!(#member: #member.into()),
            (false, false) => quote!(#member),
        }
    });
    let setters = setter_names(&optional)
        .into_iter()
        .zip(&optional)
        .filter(|_| sent)
        .map(|((method, null_method), f)| setter(name, f, &method, &null_method));
    let many = if required.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    // Setting a deprecated field, even to `None`, is a use of it.
    let deprecated = if fields.iter().any(|f| f.deprecated) {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    let new_doc = lines_to_doc(match (optional.is_empty(), sent) {
        (true, _) => "Builds the value from its fields.",
        (false, true) => "Builds the value from the fields the API requires; the optional ones are `None` until a `with_` method sets them.",
        (false, false) => "Builds the value from the fields the API requires; the optional ones are `None` until assigned.",
    });
    quote! {
        impl #name {
            #new_doc
            #many
            #deprecated
            #[must_use]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }

            #(#setters)*
        }
    }
}

/// Whether `new` takes the field as `impl Into<..>`: a string, or an upload (bytes, a file or a
/// stream).
fn takes_into(f: &Field) -> bool {
    matches!(f.ty, Ty::String | Ty::Upload) && !f.optional && !f.boxed
}

/// The setters' names of `fields`, in order: `with_x` for each, and `with_x_null` for a field
/// that can be sent as `null`; one that another field's setter already has (a field `x_null`
/// beside a nullable `x`) is numbered.
fn setter_names(fields: &[&Field]) -> Vec<(String, String)> {
    let mut taken = crate::names::scope(&["new"]);
    fields
        .iter()
        .map(|f| {
            // `type_` (a keyword escaped) gives `with_type`; `snake` ends no other name with `_`.
            let field = f.name.trim_start_matches("r#").trim_end_matches('_');
            let method = crate::names::unique(&mut taken, format!("with_{field}"));
            let null_method = match f.three_state {
                true => crate::names::unique(&mut taken, format!("with_{field}_null")),
                false => String::new(),
            };
            (method, null_method)
        })
        .collect()
}

/// `with_x(value)`: sets the optional field `x` (and `with_x_null()` sends it as `null`).
fn setter(owner: &Ident, f: &Field, method: &str, null_method: &str) -> TokenStream {
    let member = ident(&f.name);
    let method = ident(method);
    let inner = ty_tokens(&f.ty, &quote!(), false);
    let (arg_ty, value) = match (&f.ty, f.boxed) {
        (Ty::String, false) => (quote!(impl Into<String>), quote!(value.into())),
        (Ty::Upload, false) => (quote!(impl Into<super::runtime::Upload>), quote!(value.into())),
        (_, true) => (inner, quote!(Box::new(value))),
        (_, false) => (inner, quote!(value)),
    };
    let member_name = f.name.trim_start_matches("r#");
    let doc = lines_to_doc(&format!("Sets [`{owner}::{member_name}`]."));
    // A deprecated field's setter is deprecated too, and may itself use the field.
    let deprecated = if f.deprecated {
        quote!(#[deprecated] #[allow(deprecated)])
    } else {
        quote!()
    };
    if !f.three_state {
        return quote! {
            #doc
            #deprecated
            #[must_use]
            pub fn #method(mut self, value: #arg_ty) -> Self {
                self.#member = Some(#value);
                self
            }
        };
    }
    let null_method = ident(null_method);
    let null_doc = lines_to_doc(&format!(
        "Sends [`{owner}::{member_name}`] as `null` (which clears it, where the API says so)."
    ));
    quote! {
        #doc
        #deprecated
        #[must_use]
        pub fn #method(mut self, value: #arg_ty) -> Self {
            self.#member = super::runtime::Nullable::Value(#value);
            self
        }

        #null_doc
        #deprecated
        #[must_use]
        pub fn #null_method(mut self) -> Self {
            self.#member = super::runtime::Nullable::Null;
            self
        }
    }
}

/// A field's type as declared in its struct.
fn field_ty(f: &Field) -> TokenStream {
    let ty = ty_tokens(&f.ty, &quote!(), false);
    let ty = if f.boxed { quote!(Box<#ty>) } else { ty };
    if f.three_state {
        quote!(super::runtime::Nullable<#ty>)
    } else if f.optional {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

pub(super) fn field(f: &Field) -> TokenStream {
    let name = ident(&f.name);
    let doc = doc_attrs(&[f.doc.as_deref()]);
    let mut serde_args: Vec<TokenStream> = Vec::new();
    if f.name != f.wire {
        let wire = &f.wire;
        serde_args.push(quote!(rename = #wire));
    }
    if f.three_state {
        serde_args.push(quote!(skip_serializing_if = "super::runtime::Nullable::is_omitted"));
    } else if f.skip_if_none {
        serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    let with = match (&f.ty, f.optional) {
        (Ty::I64String, true) => Some("super::runtime::option_int64_string::serialize"),
        (Ty::I64String, false) => Some("super::runtime::int64_string::serialize"),
        (Ty::U64String, true) => Some("super::runtime::option_integer_text::serialize"),
        (Ty::U64String, false) => Some("super::runtime::integer_text::serialize"),
        _ => None,
    };
    if let Some(with) = with {
        serde_args.push(quote!(serialize_with = #with));
    }
    let serde = if serde_args.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#serde_args),*)])
    };
    let deprecated = if f.deprecated { quote!(#[deprecated]) } else { quote!() };
    let ty = field_ty(f);
    quote! { #doc #deprecated #serde pub #name: #ty, }
}

/// `Deserialize` for a struct, from the runtime's `deserialize_struct!`: each field with its wire
/// name and how an absent value is read (see the runtime's `object` module).
fn deserialize(name: &Ident, fields: &[Field]) -> TokenStream {
    let fields = fields.iter().map(|f| {
        let member = ident(&f.name);
        let wire = &f.wire;
        let kind = match (&f.ty, f.optional || f.three_state) {
            (Ty::I64String, true) => format_ident!("option_int64"),
            (Ty::I64String, false) => format_ident!("int64"),
            (Ty::U64String, true) => format_ident!("option_integer_text"),
            (Ty::U64String, false) => format_ident!("integer_text"),
            (_, true) => format_ident!("optional"),
            (_, false) => format_ident!("required"),
        };
        quote!(#member: #wire #kind)
    });
    quote! {
        super::runtime::deserialize_struct!(#name { #(#fields),* });
    }
}

/// A string enum: the type, with each variant documented by its wire value, and its impls from
/// the runtime's `string_enum!`.
pub(super) fn string_enum(name: &Ident, doc: &TokenStream, variants: &[Variant]) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let docs = wires.iter().map(|w| format!(" `{}`", w.escape_debug()));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #docs] #idents, )*
            /// A value the API description does not list, kept as received.
            Unknown(String),
        }

        super::runtime::string_enum!(#name { #( #idents = #wires ),* });
    }
}

/// An integer enum: the type, with each variant documented by its value, and its impls from
/// the runtime's `integer_enum!`.
fn integer_enum(name: &Ident, doc: &TokenStream, variants: &[Variant]) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let docs = variants.iter().map(|v| format!(" `{}`", v.wire));
    // The model's values are decimal integers; one that is not is left out rather than emitted.
    let values: Vec<proc_macro2::Literal> = variants
        .iter()
        .filter_map(|v| v.wire.parse::<i64>().ok())
        .map(proc_macro2::Literal::i64_unsuffixed)
        .collect();
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #docs] #idents, )*
            /// A value the API description does not list, kept as received.
            Unknown(i64),
        }

        super::runtime::integer_enum!(#name { #( #idents = #values ),* });
    }
}

/// The enums of operations whose 2xx statuses answer differently: one variant per status.
pub(super) fn outcome_enums(api: &Api) -> TokenStream {
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
        let cfg = super::cfg(&op.features);
        Some(quote! {
            #doc
            #cfg
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name_ident { #(#variants)* }
        })
    });
    quote!(#(#enums)*)
}
