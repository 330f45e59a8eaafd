//! The comparisons: operations by method name (a method whose HTTP method and path another
//! name now has was renamed), types by name, and within each what the generated code exposes.

use super::{Area, Change, ChangeKind};
use crate::model::{Api, Field, Operation, Paging, Param, StatusKey, Success, Ty, TypeDef, TypeKind};
use std::collections::{BTreeMap, BTreeSet};

/// Collects changes, each with its classification.
#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(
        &mut self,
        area: Area,
        kind: ChangeKind,
        item: impl Into<String>,
        detail: impl Into<String>,
        breaking: bool,
    ) {
        self.0.push(Change {
            area,
            kind,
            item: item.into(),
            detail: detail.into(),
            breaking,
        });
    }
}

pub(super) fn changes(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Changes::default();
    operations(old, new, &mut out);
    types(old, new, &mut out);
    error_bodies(old, new, &mut out);
    schemes(old, new, &mut out);
    out.0
}

fn by<T>(items: &[T], key: impl Fn(&T) -> &str) -> BTreeMap<&str, &T> {
    items.iter().map(|t| (key(t), t)).collect()
}

fn operations(old: &Api, new: &Api, out: &mut Changes) {
    let before = by(&old.operations, |o| &o.method_name);
    let after = by(&new.operations, |o| &o.method_name);
    let mut renamed_to = BTreeSet::new();
    for (name, op) in &before {
        let item = format!("Client::{name}");
        match after.get(name) {
            Some(now) => operation(op, now, out),
            None => {
                match new.operations.iter().find(|n| {
                    n.method == op.method && n.path == op.path && !before.contains_key(n.method_name.as_str())
                }) {
                    Some(now) => {
                        renamed_to.insert(now.method_name.as_str());
                        out.push(
                            Area::Operation,
                            ChangeKind::Renamed,
                            item,
                            format!("renamed to `Client::{}` (`{} {}`)", now.method_name, op.method, op.path),
                            true,
                        );
                        operation(op, now, out);
                    }
                    None => out.push(
                        Area::Operation,
                        ChangeKind::Removed,
                        item,
                        format!("removed (was `{} {}`)", op.method, op.path),
                        true,
                    ),
                }
            }
        }
    }
    for (name, op) in &after {
        if !before.contains_key(name) && !renamed_to.contains(name) {
            out.push(
                Area::Operation,
                ChangeKind::Added,
                format!("Client::{name}"),
                format!("new operation `{} {}`", op.method, op.path),
                false,
            );
        }
    }
}

/// One operation in both versions (`new` may have another name).
fn operation(old: &Operation, new: &Operation, out: &mut Changes) {
    let item = format!("Client::{}", new.method_name);
    if old.method != new.method || old.path != new.path {
        out.push(
            Area::Operation,
            ChangeKind::Changed,
            &item,
            format!("now `{} {}` (was `{} {}`)", new.method, new.path, old.method, old.path),
            false,
        );
    }
    if new.deprecated && !old.deprecated {
        out.push(Area::Operation, ChangeKind::Changed, &item, "deprecated", false);
    }
    parameters(&item, &new.builder_name, &old.params, &new.params, out);
    body(&item, old, new, out);
    if old.success != new.success {
        response(&item, &old.success, &new.success, out);
    }
    paging(&item, old.paging.as_ref(), new.paging.as_ref(), out);
    errors(&item, old, new, out);
    if old.security != new.security {
        out.push(
            Area::Auth,
            ChangeKind::Changed,
            &item,
            format!(
                "requires {} (was {})",
                requirement(&new.security),
                requirement(&old.security)
            ),
            false,
        );
    }
}

fn parameters(item: &str, builder: &str, old: &[Param], new: &[Param], out: &mut Changes) {
    let before = by(old, |p| &p.name);
    let after = by(new, |p| &p.name);
    let place = |p: &Param| {
        if p.required {
            format!("argument `{}`", p.name)
        } else {
            format!("setter `{builder}::{}`", p.name)
        }
    };
    for (name, p) in &before {
        match after.get(name) {
            None => out.push(
                Area::Parameter,
                ChangeKind::Removed,
                item,
                format!("{} removed ({} `{}`)", place(p), location(p), p.wire),
                true,
            ),
            Some(now) => {
                if p.required != now.required {
                    out.push(
                        Area::Parameter,
                        ChangeKind::Changed,
                        item,
                        format!("{} was the {}", place(now), place(p)),
                        true,
                    );
                } else if p.ty != now.ty {
                    out.push(
                        Area::Parameter,
                        ChangeKind::Changed,
                        item,
                        format!("{} takes `{}` (was `{}`)", place(now), rust(&now.ty), rust(&p.ty)),
                        true,
                    );
                }
            }
        }
    }
    for (name, p) in &after {
        if !before.contains_key(name) {
            out.push(
                Area::Parameter,
                ChangeKind::Added,
                item,
                format!("new {} ({} `{}`)", place(p), location(p), p.wire),
                p.required,
            );
        }
    }
}

fn body(item: &str, old: &Operation, new: &Operation, out: &mut Changes) {
    match (&old.body, &new.body) {
        (None, None) => {}
        (None, Some(b)) => out.push(
            Area::RequestBody,
            ChangeKind::Added,
            item,
            if b.required {
                format!("takes a request body `{}` (a new argument)", rust(&b.ty))
            } else {
                format!("takes an optional request body `{}` (`.body(..)`)", rust(&b.ty))
            },
            b.required,
        ),
        (Some(b), None) => out.push(
            Area::RequestBody,
            ChangeKind::Removed,
            item,
            format!("no longer takes a request body (was `{}`)", rust(&b.ty)),
            true,
        ),
        (Some(a), Some(b)) => {
            if a.ty != b.ty {
                out.push(
                    Area::RequestBody,
                    ChangeKind::Changed,
                    item,
                    format!("takes a request body `{}` (was `{}`)", rust(&b.ty), rust(&a.ty)),
                    true,
                );
            } else if a.required != b.required {
                let now = if b.required { "required" } else { "optional" };
                out.push(
                    Area::RequestBody,
                    ChangeKind::Changed,
                    item,
                    format!("the request body is {now} now"),
                    true,
                );
            }
            if a.media_type != b.media_type {
                out.push(
                    Area::RequestBody,
                    ChangeKind::Changed,
                    item,
                    format!("sent as `{}` (was `{}`)", b.media_type, a.media_type),
                    false,
                );
            }
        }
    }
}

fn response(item: &str, old: &Success, new: &Success, out: &mut Changes) {
    if let (Success::Outcomes { name: a, cases: old }, Success::Outcomes { name: b, cases: new }) = (old, new) {
        if a == b {
            // The outcome enum is `#[non_exhaustive]`: a new case breaks no match.
            for case in new.iter().filter(|c| !old.iter().any(|o| o.variant == c.variant)) {
                out.push(
                    Area::Response,
                    ChangeKind::Added,
                    item,
                    format!("may answer `types::{b}::{}`", case.variant),
                    false,
                );
            }
            for case in old {
                match new.iter().find(|n| n.variant == case.variant) {
                    None => out.push(
                        Area::Response,
                        ChangeKind::Removed,
                        item,
                        format!("no longer answers `types::{a}::{}`", case.variant),
                        true,
                    ),
                    Some(now) if now.body != case.body => out.push(
                        Area::Response,
                        ChangeKind::Changed,
                        item,
                        format!(
                            "`types::{b}::{}` holds {} (was {})",
                            case.variant,
                            success(&now.body),
                            success(&case.body)
                        ),
                        true,
                    ),
                    Some(_) => {}
                }
            }
            return;
        }
    }
    out.push(
        Area::Response,
        ChangeKind::Changed,
        item,
        format!("`send` returns {} (was {})", success(new), success(old)),
        true,
    );
}

fn paging(item: &str, old: Option<&Paging>, new: Option<&Paging>, out: &mut Changes) {
    match (old, new) {
        (None, Some(p)) => out.push(
            Area::Pagination,
            ChangeKind::Added,
            item,
            format!("pages {}: new `.pages()` and `.items()`", paging_kind(p)),
            false,
        ),
        (Some(p), None) => out.push(
            Area::Pagination,
            ChangeKind::Removed,
            item,
            format!(
                "no longer pages (was {}): `.pages()` and `.items()` removed",
                paging_kind(p)
            ),
            true,
        ),
        (Some(a), Some(b)) if paging_item(a) != paging_item(b) => out.push(
            Area::Pagination,
            ChangeKind::Changed,
            item,
            format!(
                "`.items()` yields `{}` (was `{}`)",
                rust(paging_item(b)),
                rust(paging_item(a))
            ),
            true,
        ),
        (Some(a), Some(b)) if paging_kind(a) != paging_kind(b) => out.push(
            Area::Pagination,
            ChangeKind::Changed,
            item,
            format!("pages {} (was {})", paging_kind(b), paging_kind(a)),
            false,
        ),
        _ => {}
    }
}

fn errors(item: &str, old: &Operation, new: &Operation, out: &mut Changes) {
    for case in &new.errors {
        match old.errors.iter().find(|o| o.status == case.status) {
            None => out.push(
                Area::ErrorStatus,
                ChangeKind::Added,
                item,
                format!("may answer {}{}", status(case.status), error_body(case.body.as_deref())),
                false,
            ),
            Some(was) if was.body != case.body => out.push(
                Area::ErrorStatus,
                ChangeKind::Changed,
                item,
                format!(
                    "{} answers{} (was{})",
                    status(case.status),
                    error_body(case.body.as_deref()),
                    error_body(was.body.as_deref())
                ),
                false,
            ),
            Some(_) => {}
        }
    }
    for case in old
        .errors
        .iter()
        .filter(|o| !new.errors.iter().any(|n| n.status == o.status))
    {
        out.push(
            Area::ErrorStatus,
            ChangeKind::Removed,
            item,
            format!("no longer declares {}", status(case.status)),
            false,
        );
    }
}

fn types(old: &Api, new: &Api, out: &mut Changes) {
    let before = by(old.types(), |t| &t.name);
    let after = by(new.types(), |t| &t.name);
    for (name, t) in &before {
        let item = format!("types::{name}");
        match after.get(name) {
            None => out.push(
                Area::Type,
                ChangeKind::Removed,
                item,
                format!("removed (a {})", kind(&t.kind)),
                true,
            ),
            Some(now) => type_def(&item, t, now, out),
        }
    }
    for (name, t) in &after {
        if !before.contains_key(name) {
            out.push(
                Area::Type,
                ChangeKind::Added,
                format!("types::{name}"),
                format!("new {}", kind(&t.kind)),
                false,
            );
        }
    }
}

fn type_def(item: &str, old: &TypeDef, new: &TypeDef, out: &mut Changes) {
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => fields(item, new.sent, a, b, out),
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            for v in b.iter().filter(|v| !a.iter().any(|o| o.wire == v.wire)) {
                out.push(
                    Area::EnumValue,
                    ChangeKind::Added,
                    format!("{item}::{}", v.name),
                    format!(
                        "new value `{}` (matches keep compiling: the enum has `Unknown`)",
                        v.wire
                    ),
                    false,
                );
            }
            for v in a.iter().filter(|v| !b.iter().any(|n| n.wire == v.wire)) {
                out.push(
                    Area::EnumValue,
                    ChangeKind::Removed,
                    format!("{item}::{}", v.name),
                    format!("value `{}` removed", v.wire),
                    true,
                );
            }
        }
        (TypeKind::Union { variants: a, .. }, TypeKind::Union { variants: b, .. }) => {
            for v in b {
                match a.iter().find(|o| o.name == v.name) {
                    None => out.push(
                        Area::Variant,
                        ChangeKind::Added,
                        format!("{item}::{}", v.name),
                        format!("new variant holding `{}`", rust(&v.ty)),
                        false,
                    ),
                    Some(o) if o.ty != v.ty => out.push(
                        Area::Variant,
                        ChangeKind::Changed,
                        format!("{item}::{}", v.name),
                        format!("holds `{}` (was `{}`)", rust(&v.ty), rust(&o.ty)),
                        true,
                    ),
                    Some(_) => {}
                }
            }
            for v in a.iter().filter(|v| !b.iter().any(|n| n.name == v.name)) {
                out.push(
                    Area::Variant,
                    ChangeKind::Removed,
                    format!("{item}::{}", v.name),
                    "variant removed",
                    true,
                );
            }
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) if a != b => out.push(
            Area::Type,
            ChangeKind::Changed,
            item,
            format!("an alias of `{}` (was `{}`)", rust(b), rust(a)),
            true,
        ),
        (TypeKind::Alias(_), TypeKind::Alias(_)) => {}
        (a, b) => out.push(
            Area::Type,
            ChangeKind::Changed,
            item,
            format!("a {} (was a {})", kind(b), kind(a)),
            true,
        ),
    }
}

/// The fields of a struct in both versions; `sent` says callers build the new one (through
/// `new` and its setters), so a new required field breaks them.
fn fields(item: &str, sent: bool, old: &[Field], new: &[Field], out: &mut Changes) {
    for f in new {
        let field = format!("{item}::{}", f.name.trim_start_matches("r#"));
        match old.iter().find(|o| o.name == f.name) {
            None => {
                let required = !f.skip_if_none;
                let (detail, breaking) = match (sent, required) {
                    (true, true) => (format!("new required field `{}`: `new` takes it", field_ty(f)), true),
                    (true, false) => (format!("new optional field `{}`, with a setter", field_ty(f)), false),
                    (false, _) => (format!("new field `{}`", field_ty(f)), false),
                };
                out.push(Area::Field, ChangeKind::Added, field, detail, breaking);
            }
            Some(o) if field_ty(o) != field_ty(f) => out.push(
                Area::Field,
                ChangeKind::Changed,
                field,
                format!("`{}` (was `{}`)", field_ty(f), field_ty(o)),
                true,
            ),
            Some(o) if sent && o.skip_if_none && !f.skip_if_none => out.push(
                Area::Field,
                ChangeKind::Changed,
                field,
                "required now: `new` takes it",
                true,
            ),
            Some(_) => {}
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|f| f.name == o.name)) {
        out.push(
            Area::Field,
            ChangeKind::Removed,
            format!("{item}::{}", o.name.trim_start_matches("r#")),
            format!("field removed (was `{}`)", field_ty(o)),
            true,
        );
    }
}

fn error_bodies(old: &Api, new: &Api, out: &mut Changes) {
    for b in new.error_bodies.iter().filter(|b| !old.error_bodies.contains(b)) {
        out.push(
            Area::ErrorBody,
            ChangeKind::Added,
            format!("types::ErrorBody::{b}"),
            "new error body (the enum is `#[non_exhaustive]`)",
            false,
        );
    }
    for b in old.error_bodies.iter().filter(|b| !new.error_bodies.contains(b)) {
        out.push(
            Area::ErrorBody,
            ChangeKind::Removed,
            format!("types::ErrorBody::{b}"),
            "error body removed",
            true,
        );
    }
}

fn schemes(old: &Api, new: &Api, out: &mut Changes) {
    for s in &new.security_schemes {
        match old.security_schemes.iter().find(|o| o.name == s.name) {
            None => out.push(
                Area::Auth,
                ChangeKind::Added,
                "ClientBuilder",
                format!("new security scheme `{}` ({})", s.name, scheme(s)),
                false,
            ),
            Some(o) if o.kind != s.kind => out.push(
                Area::Auth,
                ChangeKind::Changed,
                "ClientBuilder",
                format!("security scheme `{}` is {} (was {})", s.name, scheme(s), scheme(o)),
                true,
            ),
            Some(_) => {}
        }
    }
    for o in old
        .security_schemes
        .iter()
        .filter(|o| !new.security_schemes.iter().any(|s| s.name == o.name))
    {
        out.push(
            Area::Auth,
            ChangeKind::Removed,
            "ClientBuilder",
            format!("security scheme `{}` removed ({})", o.name, scheme(o)),
            true,
        );
    }
}

fn scheme(s: &crate::model::SecurityScheme) -> String {
    use crate::model::SchemeKind;
    match &s.kind {
        SchemeKind::Basic => "HTTP basic: `basic_auth`".to_owned(),
        SchemeKind::Bearer => "a bearer token: `bearer_token`".to_owned(),
        SchemeKind::ApiKey { method, .. } => format!("an API key: `{method}`"),
    }
}

fn requirement(sets: &[Vec<String>]) -> String {
    if sets.is_empty() {
        return "no credentials".to_owned();
    }
    sets.iter()
        .map(|set| {
            if set.is_empty() {
                "none".to_owned()
            } else {
                set.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" and ")
            }
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

fn location(p: &Param) -> &'static str {
    use crate::model::Location;
    match p.location {
        Location::Path => "path parameter",
        Location::Query => "query parameter",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

fn status(key: StatusKey) -> String {
    match key {
        StatusKey::Code(code) => format!("HTTP {code}"),
        StatusKey::Range(class) => format!("HTTP {class}XX"),
        StatusKey::Default => "its default error".to_owned(),
    }
}

fn error_body(body: Option<&str>) -> String {
    body.map(|b| format!(" with `types::ErrorBody::{b}`"))
        .unwrap_or_default()
}

fn kind(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "string enum",
        TypeKind::Alias(_) => "type alias",
        TypeKind::Union { .. } => "union enum",
    }
}

fn paging_kind(p: &Paging) -> &'static str {
    match p {
        Paging::Link { .. } => "by `Link` header",
        Paging::Offset(_) => "by offset",
        Paging::Cursor(_) => "by cursor",
        Paging::PageNumber(_) => "by page number",
    }
}

fn paging_item(p: &Paging) -> &Ty {
    match p {
        Paging::Link { item } => item,
        Paging::Offset(p) => &p.items.item,
        Paging::Cursor(p) => &p.items.item,
        Paging::PageNumber(p) => &p.items.item,
    }
}

fn success(s: &Success) -> String {
    match s {
        Success::Unit => "`()`".to_owned(),
        Success::Json(ty) => format!("`{}`", rust(ty)),
        Success::Untyped => "`serde_json::Value`".to_owned(),
        Success::Text => "`String`".to_owned(),
        Success::Bytes => "`Vec<u8>`".to_owned(),
        Success::Outcomes { name, .. } => format!("`types::{name}`"),
    }
}

/// A field's Rust type as the generated struct declares it.
fn field_ty(f: &Field) -> String {
    let ty = rust(&f.ty);
    let ty = if f.boxed { format!("Box<{ty}>") } else { ty };
    if f.three_state {
        format!("Nullable<{ty}>")
    } else if f.optional {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

/// A type as generated code writes it.
fn rust(ty: &Ty) -> String {
    match ty {
        Ty::Named(n) => n.clone(),
        Ty::String => "String".into(),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 | Ty::I64String => "i64".into(),
        Ty::F32 => "f32".into(),
        Ty::F64 => "f64".into(),
        Ty::Uuid => "uuid::Uuid".into(),
        Ty::DateTime => "chrono::DateTime<chrono::Utc>".into(),
        Ty::Date => "chrono::NaiveDate".into(),
        Ty::Bytes => "Vec<u8>".into(),
        Ty::Upload => "Upload".into(),
        Ty::Json => "serde_json::Value".into(),
        Ty::Vec(inner) => format!("Vec<{}>", rust(inner)),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", rust(inner)),
        Ty::Nullable(inner) => format!("Option<{}>", rust(inner)),
    }
}
