//! How the changelog names what it compares: Rust types as generated code writes them,
//! parameter locations, statuses, credentials.

use crate::model::{Field, Paging, Param, StatusKey, Success, Ty, TypeKind};

pub(super) fn scheme(s: &crate::model::SecurityScheme) -> String {
    use crate::model::SchemeKind;
    match &s.kind {
        SchemeKind::Basic => "HTTP basic: `basic_auth`".to_owned(),
        SchemeKind::Bearer => "a bearer token: `bearer_token`".to_owned(),
        SchemeKind::ApiKey { method, .. } => format!("an API key: `{method}`"),
        SchemeKind::OAuth2(_) => "OAuth 2.0: `oauth` or `bearer_token`".to_owned(),
        SchemeKind::SigV4 => "AWS Signature Version 4: `aws_credentials`".to_owned(),
    }
}

pub(super) fn requirement(sets: &[Vec<crate::model::Requirement>]) -> String {
    if sets.is_empty() {
        return "no credentials".to_owned();
    }
    sets.iter()
        .map(|set| {
            if set.is_empty() {
                "none".to_owned()
            } else {
                set.iter()
                    .map(|r| match r.scopes.as_slice() {
                        [] => format!("`{}`", r.scheme),
                        scopes => format!("`{}` ({})", r.scheme, scopes.join(", ")),
                    })
                    .collect::<Vec<_>>()
                    .join(" and ")
            }
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

pub(super) fn location(p: &Param) -> &'static str {
    use crate::model::Location;
    match p.location {
        Location::Path => "path parameter",
        Location::Query => "query parameter",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

pub(super) fn status(key: StatusKey) -> String {
    match key {
        StatusKey::Code(code) => format!("HTTP {code}"),
        StatusKey::Range(class) => format!("HTTP {class}XX"),
        StatusKey::Default => "its default error".to_owned(),
    }
}

pub(super) fn error_body(body: Option<&str>) -> String {
    body.map(|b| format!(" with `types::ErrorBody::{b}`"))
        .unwrap_or_default()
}

pub(super) fn kind(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "string enum",
        TypeKind::IntEnum(_) => "integer enum",
        TypeKind::Alias(_) => "type alias",
        TypeKind::Union { .. } => "union enum",
    }
}

pub(super) fn paging_kind(p: &Paging) -> &'static str {
    match p {
        Paging::Link { .. } => "by `Link` header",
        Paging::Offset(_) => "by offset",
        Paging::Cursor(_) => "by cursor",
        Paging::PageNumber(_) => "by page number",
    }
}

pub(super) fn paging_item(p: &Paging) -> &Ty {
    match p {
        Paging::Link { item } => item,
        Paging::Offset(p) => &p.items.item,
        Paging::Cursor(p) => &p.items.item,
        Paging::PageNumber(p) => &p.items.item,
    }
}

/// A stream of events, by its data's type.
pub(super) fn stream(events: &crate::model::Events) -> String {
    match &events.data {
        crate::model::EventData::Json(ty) => format!("a stream of `{}` events", rust(ty)),
        crate::model::EventData::Text => "a stream of text events".to_owned(),
        crate::model::EventData::Untyped => "a stream of JSON events".to_owned(),
    }
}

pub(super) fn success(s: &Success) -> String {
    match s {
        Success::Unit => "`()`".to_owned(),
        Success::Json(ty) => format!("`{}`", rust(ty)),
        Success::Untyped => "`serde_json::Value`".to_owned(),
        Success::Text => "`String`".to_owned(),
        Success::Bytes => "`Vec<u8>`".to_owned(),
        Success::Outcomes { name, .. } => format!("`types::{name}`"),
        Success::Events(events) => stream(events),
    }
}

/// A field's Rust type as the generated struct declares it.
pub(super) fn field_ty(f: &Field) -> String {
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
pub(super) fn rust(ty: &Ty) -> String {
    match ty {
        Ty::Named(n) => n.clone(),
        Ty::String => "String".into(),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 | Ty::I64String => "i64".into(),
        Ty::U32 => "u32".into(),
        Ty::U64 | Ty::U64String => "u64".into(),
        Ty::F32 => "f32".into(),
        Ty::F64 => "f64".into(),
        Ty::Uuid => "uuid::Uuid".into(),
        Ty::DateTime => "chrono::DateTime<chrono::Utc>".into(),
        Ty::Date => "chrono::NaiveDate".into(),
        Ty::Bytes => "Vec<u8>".into(),
        Ty::Upload => "Upload".into(),
        Ty::Json => "serde_json::Value".into(),
        Ty::External(path) => path.clone(),
        Ty::Vec(inner) => format!("Vec<{}>", rust(inner)),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", rust(inner)),
        Ty::Nullable(inner) => format!("Option<{}>", rust(inner)),
    }
}
