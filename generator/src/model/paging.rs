//! How a list operation pages, read from the document's shape: the query parameters it takes,
//! the fields its answer has and how they relate, and the headers it declares. Four ways are
//! known, tried in this order:
//!
//! - **`Link` header** (RFC 8288): a GET answering a JSON list whose 2xx declares `Link`.
//! - **Offset**: integer `limit` and `offset` query parameters; the answer has a `results` list
//!   and a `next` field that is empty on the last page.
//! - **Cursor**: a string query parameter `P` and, in the answer (or in one object of it), a
//!   string field `next_P` (`cursor` and `next_cursor`, `pageToken` and `nextPageToken`), sent
//!   back as `P` until it is empty; or a `next_…token` or `next_…cursor` string field when `P`
//!   is the operation's one optional plain-string query parameter (so nothing else could carry
//!   it: WP Engine's usage metrics send `next_page_token` back as `offset`). Or a string parameter named for what comes after
//!   (`after`, `starting_after`), an answer with one boolean field (`has_more`) and items with
//!   a string `id`: the last item's `id` is the next `P` while the boolean holds.
//! - **Page number**: an integer query parameter `P` and an integer field `next_P` (the next
//!   number, empty on the last page), or one that counts the pages (`total_Ps`, `P_count`,
//!   `last_P`), counted from `P`'s minimum, or 1.
//!
//! The answer must have exactly one list among its fields (the page's items), so nothing is
//! guessed between two. A parameter and a field are related through their snake-case names,
//! the way the document's author related them; no operation or API is named here.

use super::api::{struct_fields, TypeIndex};
use super::{Field, HttpMethod, Location, Param, Success, Ty, TypeDef};
use crate::names::snake;

/// How a list operation pages (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// Following the `Link` header's `rel="next"`; the answer is a list of these items.
    Link {
        item: Ty,
    },
    Offset(OffsetPaging),
    Cursor(CursorPaging),
    PageNumber(PageNumberPaging),
}

/// The list field of a page, and the type of one item.
#[derive(Debug, Clone, PartialEq)]
pub struct PageItems {
    /// The field's Rust name, and whether it is an `Option`.
    pub field: String,
    pub optional: bool,
    pub item: Ty,
}

impl PageItems {
    /// The items of `field`, if it is a list held inline (not boxed).
    pub(super) fn of(field: &Field) -> Option<Self> {
        match &field.ty {
            Ty::Vec(item) if !field.boxed => Some(PageItems {
                field: field.name.clone(),
                optional: field.optional,
                item: (**item).clone(),
            }),
            _ => None,
        }
    }
}

/// The way from a page to a field, through fields: each step's Rust name and whether that
/// field is an `Option`; and the type of the last.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    pub steps: Vec<(String, bool)>,
    pub ty: Ty,
}

impl FieldPath {
    pub(super) fn of(fields: &[&Field]) -> Self {
        FieldPath {
            steps: fields.iter().map(|f| (f.name.clone(), f.optional)).collect(),
            ty: fields.last().map_or(Ty::Json, |f| f.ty.clone()),
        }
    }
}

/// Offset pagination: the page's items and the field that is empty on the last page.
#[derive(Debug, Clone, PartialEq)]
pub struct OffsetPaging {
    /// The builder field of the `offset` query parameter.
    pub offset_param: String,
    pub items: PageItems,
    /// The response field that is null or absent on the last page; without one, an empty page
    /// is the last.
    pub next: Option<FieldPath>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CursorPaging {
    /// The builder field of the cursor query parameter.
    pub param: String,
    pub items: PageItems,
    pub next: NextCursor,
}

/// Where the next page's cursor comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum NextCursor {
    /// A string field, empty or absent on the last page.
    Field(FieldPath),
    /// The last item's `id` field (its Rust name), while the boolean field `more` holds.
    LastItemId { more: FieldPath, id: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageNumberPaging {
    /// The builder field of the page-number query parameter.
    pub param: String,
    pub items: PageItems,
    /// The number of the first page.
    pub first: i64,
    pub end: PageEnd,
}

/// How the answer tells the last page.
#[derive(Debug, Clone, PartialEq)]
pub enum PageEnd {
    /// An integer field with the next page's number, empty on the last page.
    Next(FieldPath),
    /// An integer field with the number of pages (the last page's number).
    Last(FieldPath),
    /// None: the page after the last is empty.
    Empty,
}

/// The types a page's fields are looked up in.
pub(super) struct Types<'a> {
    pub types: &'a [TypeDef],
    pub index: &'a TypeIndex,
}

impl Types<'_> {
    pub(super) fn fields(&self, ty: &Ty) -> Option<&[Field]> {
        struct_fields(self.types, self.index, ty)
    }

    /// How the operation pages, if it does (see the module docs).
    pub(super) fn paging(
        &self,
        method: HttpMethod,
        params: &[Param],
        success: &Success,
        link_header: bool,
    ) -> Option<Paging> {
        if method != HttpMethod::Get {
            return None;
        }
        let Success::Json(page) = success else { return None };
        if let (Ty::Vec(item), true) = (page, link_header) {
            return Some(Paging::Link { item: (**item).clone() });
        }
        let fields = self.fields(page)?;
        let query = |p: &&Param| p.location == Location::Query && !p.required && !p.structured;
        let strings = params.iter().filter(query).filter(|p| p.ty == Ty::String).count();
        self.offset(params, fields).map(Paging::Offset).or_else(|| {
            let items = only_list(fields)?;
            params.iter().filter(query).find_map(|p| match p.ty {
                Ty::String => self.cursor(p, strings == 1, fields, &items).map(Paging::Cursor),
                Ty::I32 | Ty::I64 => self.page_number(p, fields, &items).map(Paging::PageNumber),
                _ => None,
            })
        })
    }

    fn offset(&self, params: &[Param], fields: &[Field]) -> Option<OffsetPaging> {
        let int_query = |wire: &str| {
            params
                .iter()
                .find(|p| p.location == Location::Query && p.wire == wire && matches!(p.ty, Ty::I32 | Ty::I64))
        };
        let (_limit, offset) = (int_query("limit")?, int_query("offset")?);
        let items = PageItems::of(fields.iter().find(|f| f.wire == "results" && !f.boxed)?)?;
        let next = fields.iter().find(|f| f.wire == "next")?;
        Some(OffsetPaging {
            offset_param: offset.name.clone(),
            items,
            next: Some(FieldPath::of(&[next])),
        })
    }

    /// `only` says `param` is the operation's one optional plain-string query parameter.
    fn cursor(&self, param: &Param, only: bool, fields: &[Field], items: &PageItems) -> Option<CursorPaging> {
        let name = snake(&param.wire);
        let next_name = format!("next_{name}");
        let token = |f: &Field| {
            let field = snake(&f.wire);
            field.starts_with("next_") && (field.ends_with("token") || field.ends_with("cursor"))
        };
        let next = if let Some(path) = self.find(fields, |f| f.ty == Ty::String && snake(&f.wire) == next_name) {
            NextCursor::Field(path)
        } else if let Some(path) = self.find(fields, |f| f.ty == Ty::String && only && token(f)) {
            NextCursor::Field(path)
        } else if name == "after" || name.ends_with("_after") {
            let flags: Vec<&Field> = fields.iter().filter(|f| f.ty == Ty::Bool).collect();
            let [more] = flags.as_slice() else { return None };
            let id = self
                .fields(&items.item)?
                .iter()
                .find(|f| f.wire == "id" && f.ty == Ty::String && !f.optional)?;
            NextCursor::LastItemId {
                more: FieldPath::of(&[*more]),
                id: id.name.clone(),
            }
        } else {
            return None;
        };
        Some(CursorPaging {
            param: param.name.clone(),
            items: items.clone(),
            next,
        })
    }

    fn page_number(&self, param: &Param, fields: &[Field], items: &PageItems) -> Option<PageNumberPaging> {
        let name = snake(&param.wire);
        let int = |f: &Field| matches!(f.ty, Ty::I32 | Ty::I64);
        let next_name = format!("next_{name}");
        let counts = [
            format!("total_{name}s"),
            format!("{name}_count"),
            format!("last_{name}"),
        ];
        let end = if let Some(path) = self.find(fields, |f| int(f) && snake(&f.wire) == next_name) {
            PageEnd::Next(path)
        } else {
            let path = self.find(fields, |f| int(f) && counts.contains(&snake(&f.wire)))?;
            PageEnd::Last(path)
        };
        let first = param
            .constraints
            .as_ref()
            .and_then(|c| c.minimum)
            .filter(|m| m.fract() == 0.0 && (0.0..=1.0).contains(m))
            .map_or(1, |m| m as i64);
        Some(PageNumberPaging {
            param: param.name.clone(),
            items: items.clone(),
            first,
            end,
        })
    }

    /// A field that `wanted` accepts, among the page's own or those of one object field of it
    /// (as `response_metadata.next_cursor`); the page's own first.
    pub(super) fn find(&self, fields: &[Field], wanted: impl Fn(&Field) -> bool) -> Option<FieldPath> {
        if let Some(f) = fields.iter().find(|f| !f.boxed && wanted(f)) {
            return Some(FieldPath::of(&[f]));
        }
        fields.iter().filter(|f| !f.boxed).find_map(|outer| {
            let inner = self.fields(&outer.ty)?.iter().find(|f| !f.boxed && wanted(f))?;
            Some(FieldPath::of(&[outer, inner]))
        })
    }
}

/// The page's one list field, if it has exactly one.
fn only_list(fields: &[Field]) -> Option<PageItems> {
    let mut lists = fields.iter().filter(|f| matches!(f.ty, Ty::Vec(_)) && !f.boxed);
    let (Some(list), None) = (lists.next(), lists.next()) else {
        return None;
    };
    PageItems::of(list)
}
