//! `.pages()` and `.items()` on the builder of a list operation that pages (`model::Paging`):
//! each kind hands the runtime's stream a way to fetch a page and a way to read what follows.

use super::{ident, lines_to_doc, ty_tokens};
use crate::model::{
    CursorPaging, FieldPath, NextCursor, OffsetPaging, Operation, PageEnd, PageItems, PageNumberPaging, Paging,
    Success, Ty,
};
use proc_macro2::TokenStream;
use quote::quote;

/// The `impl` block with `pages` and `items`, or nothing for an operation that does not page.
pub(super) fn paging(op: &Operation) -> TokenStream {
    let Some(paging) = &op.paging else { return quote!() };
    let params_ty = |name: &str| op.params.iter().find(|p| p.name == name).map(|p| p.ty.clone());
    let name = ident(&op.builder_name);
    let (page, pages, take, item, how) = match paging {
        Paging::Link { item } => {
            let item = ty_tokens(item, &quote!(types::), true);
            (
                quote!(Vec<#item>),
                quote!(runtime::link_pages(self.prepare(), |response| response.json())),
                quote!(page),
                item,
                "following the `Link` header's `rel=\"next\"` until a page names none (a link to a page already fetched ends it too, and one to another origin is an error)".to_owned(),
            )
        }
        Paging::Offset(p) => {
            let Some(ty) = params_ty(&p.offset_param) else {
                return quote!();
            };
            (
                page_ty(op),
                offset(p, &ty),
                take(&p.items),
                item_ty(&p.items),
                match &p.next {
                    Some(next) => format!(
                        "starting at this builder's offset, until `{}` is empty",
                        next.steps.last().map_or("next", |s| s.0.as_str())
                    ),
                    None => "starting at this builder's offset, until a page is empty".to_owned(),
                },
            )
        }
        Paging::PageNumber(p) => {
            let Some(ty) = params_ty(&p.param) else { return quote!() };
            (
                page_ty(op),
                page_number(p, &ty),
                take(&p.items),
                item_ty(&p.items),
                format!(
                    "by page number from {} (or this builder's `{}`) to the last page",
                    p.first, p.param
                ),
            )
        }
        Paging::Cursor(p) => (
            page_ty(op),
            cursor(p),
            take(&p.items),
            item_ty(&p.items),
            format!("passing each page's cursor back as `{}` until none is given", p.param),
        ),
    };
    let pages_doc = lines_to_doc(&format!(
        "Every page of `{} {}`, fetched lazily, {how}.",
        op.method, op.path
    ));
    let items_doc = lines_to_doc(&format!(
        "Every item of every page of `{} {}`, fetched a page at a time as the stream is polled.",
        op.method, op.path
    ));
    quote! {
        impl #name {
            #pages_doc
            pub fn pages(self) -> impl futures::Stream<Item = Result<#page>> {
                #pages
            }

            #items_doc
            pub fn items(self) -> impl futures::Stream<Item = Result<#item>> {
                runtime::items(self.pages(), |page| #take)
            }
        }
    }
}

fn page_ty(op: &Operation) -> TokenStream {
    match &op.success {
        Success::Json(ty) => ty_tokens(ty, &quote!(types::), true),
        _ => quote!(()),
    }
}

fn item_ty(items: &PageItems) -> TokenStream {
    ty_tokens(&items.item, &quote!(types::), true)
}

/// The page's items, by value.
fn take(items: &PageItems) -> TokenStream {
    let field = ident(&items.field);
    if items.optional {
        quote!(page.#field.unwrap_or_default())
    } else {
        quote!(page.#field)
    }
}

/// How many items `page` holds.
fn count(items: &PageItems) -> TokenStream {
    let field = ident(&items.field);
    if items.optional {
        quote!(page.#field.as_ref().map_or(0, Vec::len))
    } else {
        quote!(page.#field.len())
    }
}

/// An `Option<&T>` of the field at `path` in `page`.
fn reach(path: &FieldPath) -> TokenStream {
    let mut steps = path.steps.iter();
    let Some((first, optional)) = steps.next() else {
        return quote!(None);
    };
    let first = ident(first);
    let mut out = if *optional {
        quote!(page.#first.as_ref())
    } else {
        quote!(Some(&page.#first))
    };
    for (field, optional) in steps {
        let field = ident(field);
        out = if *optional {
            quote!(#out.and_then(|v| v.#field.as_ref()))
        } else {
            quote!(#out.map(|v| &v.#field))
        };
    }
    out
}

/// An `Option<T>` of the `Copy` field at `path` (an integer or a flag).
fn copied(path: &FieldPath) -> TokenStream {
    match path.steps.as_slice() {
        [(field, true)] => {
            let field = ident(field);
            quote!(page.#field)
        }
        [(field, false)] => {
            let field = ident(field);
            quote!(Some(page.#field))
        }
        _ => {
            let at = reach(path);
            quote!(#at.copied())
        }
    }
}

/// The integer at `path` as the builder's number type `to`, as an `Option`.
fn number_as(path: &FieldPath, to: &Ty) -> TokenStream {
    let value = copied(path);
    if path.ty == *to {
        value
    } else {
        let to = ty_tokens(to, &quote!(), true);
        quote!(#value.and_then(|n| #to::try_from(n).ok()))
    }
}

/// Whether the flag at `path` is set (absent is not).
fn flag(path: &FieldPath) -> TokenStream {
    match path.steps.as_slice() {
        [(field, false)] => {
            let field = ident(field);
            quote!(page.#field)
        }
        _ => {
            let value = copied(path);
            quote!(#value.unwrap_or(false))
        }
    }
}

fn offset(p: &OffsetPaging, ty: &Ty) -> TokenStream {
    let param = ident(&p.offset_param);
    let count = count(&p.items);
    // A `next` that cannot be empty never ends the list; an empty page does.
    let has_next = match &p.next {
        Some(next) if next.steps.iter().any(|(_, optional)| *optional) => {
            let at = reach(next);
            quote!(#at.is_some())
        }
        _ => quote!(true),
    };
    let number = ty_tokens(ty, &quote!(), true);
    quote! {
        let first = self.#param.unwrap_or(0);
        runtime::numbered_pages(
            self,
            first,
            |mut builder, offset| {
                builder.#param = Some(offset);
                builder.send()
            },
            |page, offset| {
                let count = #count;
                let next = #has_next.then(|| offset.saturating_add(#number::try_from(count).unwrap_or(#number::MAX)));
                (count, next)
            },
        )
    }
}

fn page_number(p: &PageNumberPaging, ty: &Ty) -> TokenStream {
    let param = ident(&p.param);
    let count = count(&p.items);
    let number = ty_tokens(ty, &quote!(), true);
    let first = proc_macro2::Literal::i64_unsuffixed(p.first);
    let (number_arg, next) = match &p.end {
        PageEnd::Next(path) => (quote!(_), number_as(path, ty)),
        // The runtime ends the pages at an empty one.
        PageEnd::Empty => (quote!(number), quote!(Some(number.saturating_add(1)))),
        PageEnd::Last(path) => {
            let last = number_as(path, ty);
            (
                quote!(number),
                quote!(#last.filter(|last| number < *last).map(|_| number.saturating_add(1))),
            )
        }
    };
    quote! {
        let first: #number = self.#param.unwrap_or(#first);
        runtime::numbered_pages(
            self,
            first,
            |mut builder, number| {
                builder.#param = Some(number);
                builder.send()
            },
            |page, #number_arg| (#count, #next),
        )
    }
}

fn cursor(p: &CursorPaging) -> TokenStream {
    let param = ident(&p.param);
    let count = count(&p.items);
    let next = match &p.next {
        NextCursor::Field(path) => {
            let at = reach(path);
            quote!(#at.filter(|cursor| !cursor.is_empty()).cloned())
        }
        NextCursor::LastItemId { more, id } => {
            let more = flag(more);
            let id = ident(id);
            let items = ident(&p.items.field);
            let last = if p.items.optional {
                quote!(page.#items.as_ref().and_then(|items| items.last()))
            } else {
                quote!(page.#items.last())
            };
            quote!(if #more { #last.map(|item| item.#id.clone()) } else { None })
        }
    };
    quote! {
        runtime::cursor_pages(
            self,
            |mut builder, cursor| {
                if cursor.is_some() {
                    builder.#param = cursor;
                }
                builder.send()
            },
            |page| (#count, #next),
        )
    }
}
