//! How a list operation pages, where the document says so in the vocabulary of another
//! generator; what it says wins over what [`super::paging`] would infer from the shape.
//!
//! - `x-speakeasy-pagination` (Speakeasy): `type: cursor` with a `cursor` input and a
//!   `nextCursor` output; `type: offsetLimit` with an `offset` or a `page` input, ended by an
//!   empty page or by a `numPages` output. `results` names the page's list.
//! - `x-fern-pagination` (Fern): `cursor: $request.P` with `next_cursor: $response.a.b`, or
//!   `offset: $request.P` (a page number, one more each page), ended by an empty page; `results:
//!   $response.data`.
//!
//! - `x-stainless-pagination-property` (Stainless) on a query parameter's schema and on fields
//!   of the answer: `purpose: next_cursor_param` with a `next_cursor_field`; `page_number_param`,
//!   ended by a `total_page_count_field` or an empty page; `offset_count_param`; or
//!   `next_cursor_id_param` with the items' `cursor_item_id` while `has_next_page` holds. A
//!   field with `purpose: items` is the page's list.
//!
//! Inputs must be query parameters and outputs fields of the JSON answer (the page's list one
//! of its own fields). What cannot be followed is a warning, and the shape decides.

use super::paging::{FieldPath, Types};
use super::{CursorPaging, Field, Location, NextCursor, OffsetPaging, PageEnd, PageItems, PageNumberPaging};
use super::{Paging, Param, Success, Ty};
use serde_json::Value;

/// The paging an operation's extensions declare: `None` when they declare none, an error (for
/// a warning) when what they declare cannot be followed.
pub(super) fn declared(
    types: &Types<'_>,
    extensions: &indexmap::IndexMap<String, Value>,
    params: &[Param],
    success: &Success,
) -> Option<(&'static str, Result<Paging, String>)> {
    let stainless = params.iter().any(|p| p.paging_role.is_some()).then_some(&Value::Null);
    let (key, found) = ["x-speakeasy-pagination", "x-fern-pagination"]
        .into_iter()
        .find_map(|key| Some((key, extensions.get(key)?)))
        .or(stainless.map(|v| ("x-stainless-pagination-property", v)))?;
    let Success::Json(page) = success else {
        return Some((
            key,
            Err("the operation answers no JSON page: the shape decides".to_owned()),
        ));
    };
    let read = Reader { types, params, page };
    let paging = match key {
        "x-speakeasy-pagination" => read.speakeasy(found),
        "x-fern-pagination" => read.fern(found),
        _ => read.stainless(),
    };
    Some((key, paging))
}

struct Reader<'a> {
    types: &'a Types<'a>,
    params: &'a [Param],
    page: &'a Ty,
}

impl Reader<'_> {
    fn speakeasy(&self, found: &Value) -> Result<Paging, String> {
        let inputs = found
            .get("inputs")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let input = |kind: &str| {
            inputs
                .iter()
                .find(|i| i.get("type").and_then(Value::as_str) == Some(kind))
                .and_then(|i| i.get("name").and_then(Value::as_str))
        };
        let outputs = found.get("outputs");
        let output = |name: &str| outputs.and_then(|o| o.get(name)).and_then(Value::as_str);
        let kind = found.get("type").and_then(Value::as_str).ok_or("`type` is missing")?;
        if kind != "cursor" && kind != "offsetLimit" {
            return Err(format!("`type: {kind}` is not read (cursor and offsetLimit are)"));
        }
        let results = output("results").ok_or("`outputs.results` is missing")?;
        let items = self.items(json_path(results)?)?;
        match Some(kind) {
            Some("cursor") => {
                let param = self.query(input("cursor").ok_or("a `cursor` input is missing")?, false)?;
                let next = self.field(&json_path(
                    output("nextCursor").ok_or("`outputs.nextCursor` is missing")?,
                )?)?;
                Ok(Paging::Cursor(CursorPaging {
                    param,
                    items,
                    next: NextCursor::Field(next),
                }))
            }
            Some("offsetLimit") => {
                if let Some(offset) = input("offset") {
                    return Ok(Paging::Offset(OffsetPaging {
                        offset_param: self.query(offset, true)?,
                        items,
                        next: None,
                    }));
                }
                let page = self.query(input("page").ok_or("an `offset` or `page` input is missing")?, true)?;
                let end = match output("numPages") {
                    Some(path) => PageEnd::Last(self.field(&json_path(path)?)?),
                    None => PageEnd::Empty,
                };
                Ok(Paging::PageNumber(PageNumberPaging {
                    param: page,
                    items,
                    first: 1,
                    end,
                }))
            }
            Some(other) => Err(format!("`type: {other}` is not read (cursor and offsetLimit are)")),
            None => Err("`type` is missing".to_owned()),
        }
    }

    fn fern(&self, found: &Value) -> Result<Paging, String> {
        let text = |key: &str| found.get(key).and_then(Value::as_str);
        let results = text("results").ok_or("`results` is missing")?;
        let items = self.items(fern_path(results, "$response")?)?;
        if let Some(cursor) = text("cursor") {
            let param = self.query(&single(fern_path(cursor, "$request")?)?, false)?;
            let next = text("next_cursor").ok_or("`next_cursor` is missing")?;
            return Ok(Paging::Cursor(CursorPaging {
                param,
                items,
                next: NextCursor::Field(self.field(&fern_path(next, "$response")?)?),
            }));
        }
        let offset = text("offset").ok_or("neither `cursor` nor `offset` is given")?;
        Ok(Paging::PageNumber(PageNumberPaging {
            param: self.query(&single(fern_path(offset, "$request")?)?, true)?,
            items,
            first: 1,
            end: PageEnd::Empty,
        }))
    }

    fn stainless(&self) -> Result<Paging, String> {
        let param = |role: &str| self.params.iter().find(|p| p.paging_role.as_deref() == Some(role));
        let fields = self.fields(self.page)?;
        let items = fields
            .iter()
            .find(|f| f.paging_role.as_deref() == Some("items"))
            .ok_or("no field of the answer has `purpose: items`")?;
        let items = self.items(vec![items.wire.clone()])?;
        let field = |role: &str, fits: fn(&Ty) -> bool| {
            self.types
                .find(fields, |f| f.paging_role.as_deref() == Some(role))
                .filter(|f| fits(&f.ty))
        };
        let text = |ty: &Ty| *ty == Ty::String;
        let flag = |ty: &Ty| *ty == Ty::Bool;
        let count = |ty: &Ty| matches!(ty, Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64);
        if let Some(p) = param("next_cursor_param") {
            let next = field("next_cursor_field", text).ok_or("no string `next_cursor_field` in the answer")?;
            return Ok(Paging::Cursor(CursorPaging {
                param: self.query(&p.wire, false)?,
                items,
                next: NextCursor::Field(next),
            }));
        }
        if let Some(p) = param("next_cursor_id_param") {
            let item_fields = self.fields(&items.item)?;
            let id = item_fields
                .iter()
                .find(|f| f.paging_role.as_deref() == Some("cursor_item_id") && f.ty == Ty::String && !f.optional)
                .ok_or("the items have no required string `cursor_item_id`")?;
            let more = field("has_next_page", flag).ok_or("no boolean `has_next_page` in the answer")?;
            return Ok(Paging::Cursor(CursorPaging {
                param: self.query(&p.wire, false)?,
                next: NextCursor::LastItemId {
                    more,
                    id: id.name.clone(),
                },
                items,
            }));
        }
        if let Some(p) = param("page_number_param") {
            let end = field("total_page_count_field", count).map_or(PageEnd::Empty, PageEnd::Last);
            return Ok(Paging::PageNumber(PageNumberPaging {
                param: self.query(&p.wire, true)?,
                items,
                first: 1,
                end,
            }));
        }
        if let Some(p) = param("offset_count_param") {
            return Ok(Paging::Offset(OffsetPaging {
                offset_param: self.query(&p.wire, true)?,
                items,
                next: None,
            }));
        }
        Err("no request parameter has a paging purpose this generator reads".to_owned())
    }

    /// The builder field of the optional query parameter named `wire`, a string for a cursor
    /// and an integer for a number.
    fn query(&self, wire: &str, number: bool) -> Result<String, String> {
        let fits = |ty: &Ty| match number {
            true => matches!(ty, Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64),
            false => *ty == Ty::String,
        };
        self.params
            .iter()
            .find(|p| p.wire == wire && p.location == Location::Query && !p.required && !p.structured && fits(&p.ty))
            .map(|p| p.name.clone())
            .ok_or_else(|| {
                let what = if number { "an integer" } else { "a string" };
                format!("`{wire}` is not an optional query parameter of the operation that takes {what}")
            })
    }

    /// The page's list field named by `path` (one field of the page).
    fn items(&self, path: Vec<String>) -> Result<PageItems, String> {
        let [wire] = path.as_slice() else {
            return Err(format!(
                "the list `{}` is not a field of the page itself",
                path.join(".")
            ));
        };
        let field = self.fields(self.page)?.iter().find(|f| &f.wire == wire);
        field
            .and_then(PageItems::of)
            .ok_or_else(|| format!("the page has no list field `{wire}`"))
    }

    /// The field at `path` (wire names from the page down).
    fn field(&self, path: &[String]) -> Result<FieldPath, String> {
        let mut ty = self.page;
        let mut found: Vec<&Field> = Vec::new();
        for wire in path {
            let field = self.fields(ty)?.iter().find(|f| &f.wire == wire && !f.boxed);
            let field = field.ok_or_else(|| format!("the page has no field `{}`", path.join(".")))?;
            found.push(field);
            ty = &field.ty;
        }
        Ok(FieldPath::of(&found))
    }

    fn fields(&self, ty: &Ty) -> Result<&[Field], String> {
        self.types
            .fields(ty)
            .ok_or_else(|| "the page is not an object".to_owned())
    }
}

/// The field names of a JSONPath of plain steps (`$.data.next_cursor`).
fn json_path(path: &str) -> Result<Vec<String>, String> {
    let rest = path
        .strip_prefix("$.")
        .ok_or_else(|| format!("`{path}` is not a JSONPath of fields"))?;
    steps(rest, path)
}

/// The field names of a Fern path under `root` (`$response.data.items`).
fn fern_path(path: &str, root: &str) -> Result<Vec<String>, String> {
    let rest = path
        .strip_prefix(root)
        .and_then(|r| r.strip_prefix('.'))
        .ok_or_else(|| format!("`{path}` is not a path under `{root}`"))?;
    steps(rest, path)
}

fn steps(rest: &str, path: &str) -> Result<Vec<String>, String> {
    let steps: Vec<String> = rest.split('.').map(str::to_owned).collect();
    if steps.iter().any(|s| s.is_empty() || s.contains(['[', ']', '*'])) {
        return Err(format!("`{path}` is not a path of plain fields"));
    }
    Ok(steps)
}

/// The one step of a path to a request parameter.
fn single(path: Vec<String>) -> Result<String, String> {
    match <[String; 1]>::try_from(path) {
        Ok([wire]) => Ok(wire),
        Err(path) => Err(format!(
            "`{}` is not a query parameter (a field of a body is not read)",
            path.join(".")
        )),
    }
}
