//! The XML shape of each struct, for an API with XML bodies: a `static` the runtime's `xml`
//! module writes and reads the struct's JSON form by (element and attribute names from the
//! document's `xml` objects, which values are numbers or flags).

use crate::model::{Api, Field, Ty, TypeDef, TypeKind};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// How a module names the runtime and the `types` module.
pub(super) struct Names {
    runtime: TokenStream,
    types: TokenStream,
}

impl Names {
    /// From `types.rs`, where the shapes are.
    fn types_module() -> Self {
        Names {
            runtime: quote!(super::runtime),
            types: quote!(),
        }
    }

    /// From `builders.rs`.
    pub(super) fn builders_module() -> Self {
        Names {
            runtime: quote!(runtime),
            types: quote!(types::),
        }
    }
}

/// The name of the shape of the struct `name`: `XML_PET_OWNER` for `PetOwner`.
pub(super) fn shape_ident(name: &str) -> Ident {
    format_ident!("XML_{}", crate::names::snake(name).to_uppercase())
}

/// The `static` shape of `def`, when it is a struct of an API with XML bodies.
pub(super) fn shape_static(api: &Api, def: &TypeDef) -> TokenStream {
    let TypeKind::Struct(fields) = &def.kind else {
        return quote!();
    };
    if !def.in_xml {
        return quote!();
    }
    let name = shape_ident(&def.name);
    let names = Names::types_module();
    let members = fields.iter().map(|f| member(api, f, &names));
    let doc = format!(" How [`{}`] is written in XML.", def.name);
    quote! {
        #[doc = #doc]
        #[doc(hidden)]
        pub static #name: super::runtime::xml::Shape = super::runtime::xml::Shape::Object(&[#(#members),*]);
    }
}

fn member(api: &Api, f: &Field, names: &Names) -> TokenStream {
    let key = &f.wire;
    let xml = f.xml.clone().unwrap_or_default();
    let name = xml.name.clone().unwrap_or_else(|| f.wire.clone());
    let attribute = xml.attribute;
    let shape = match unwrapped(&f.ty) {
        Ty::Vec(item) => {
            let item_name = xml.item.clone().unwrap_or_else(|| name.clone());
            let wrapped = xml.wrapped;
            let inner = shape(api, item, names, 0);
            quote!(&super::runtime::xml::Shape::List { item: #item_name, wrapped: #wrapped, shape: #inner })
        }
        ty => shape(api, ty, names, 0),
    };
    quote!(super::runtime::xml::Member { key: #key, name: #name, attribute: #attribute, shape: #shape })
}

fn unwrapped(ty: &Ty) -> &Ty {
    match ty {
        Ty::Nullable(inner) => unwrapped(inner),
        other => other,
    }
}

/// A `&'static Shape` expression for a value of `ty` (the module's statics for structs).
pub(super) fn shape(api: &Api, ty: &Ty, names: &Names, depth: usize) -> TokenStream {
    let runtime = &names.runtime;
    let kind = |k: &str| {
        let k = format_ident!("{k}");
        quote!(&#runtime::xml::Shape::#k)
    };
    match unwrapped(ty) {
        Ty::Named(name) => match api.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Struct(_)) => {
                let (types, name) = (&names.types, shape_ident(name));
                quote!(&#types #name)
            }
            Some(TypeKind::Enum(_)) => kind("Text"),
            Some(TypeKind::IntEnum(_)) => kind("Integer"),
            // An alias is its type; a chain of them coming back around is anything.
            Some(TypeKind::Alias(inner)) if depth < 16 => shape(api, inner, names, depth + 1),
            _ => kind("Any"),
        },
        Ty::Vec(item) => {
            let inner = shape(api, item, names, depth);
            quote!(&#runtime::xml::Shape::List { item: "", wrapped: false, shape: #inner })
        }
        Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 => kind("Integer"),
        Ty::F32 | Ty::F64 => kind("Number"),
        Ty::Bool => kind("Boolean"),
        Ty::Json | Ty::Map(_) | Ty::External(_) => kind("Any"),
        _ => kind("Text"),
    }
}

/// A `&'static Shape` of `ty` from the builders: a list's own shape is a `static` of its
/// own, since a reference to another static is no constant to promote.
pub(super) fn static_shape(api: &Api, ty: &Ty) -> TokenStream {
    let names = Names::builders_module();
    match unaliased(api, ty) {
        Ty::Vec(item) => {
            let inner = shape(api, item, &names, 0);
            let item_name = root_name(api, item);
            quote!({
                static SHAPE: runtime::xml::Shape = runtime::xml::Shape::List { item: #item_name, wrapped: false, shape: #inner };
                &SHAPE
            })
        }
        _ => shape(api, ty, &names, 0),
    }
}

/// `ty` with named aliases followed to what they name (a few steps at most).
fn unaliased<'a>(api: &'a Api, ty: &'a Ty) -> &'a Ty {
    let mut ty = unwrapped(ty);
    for _ in 0..16 {
        match ty {
            Ty::Named(name) => match api.type_named(name).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => ty = unwrapped(inner),
                _ => break,
            },
            _ => break,
        }
    }
    ty
}

/// The root element name of an XML body of `ty`: its schema's `xml` name, or its type's name.
pub(super) fn root_name(api: &Api, ty: &Ty) -> String {
    match ty {
        Ty::Named(name) => api
            .type_named(name)
            .and_then(|t| t.xml_name.clone())
            .unwrap_or_else(|| name.clone()),
        _ => "body".to_owned(),
    }
}
