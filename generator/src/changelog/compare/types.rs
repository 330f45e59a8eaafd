//! Types (structs, enums, aliases, unions and their fields), the error bodies and the
//! security schemes.

use super::describe::{field_ty, kind, rust, scheme};
use super::{by, Area, ChangeKind, Changes};
use crate::model::{Api, Field, TypeDef, TypeKind};

pub(super) fn types(old: &Api, new: &Api, out: &mut Changes) {
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

pub(super) fn type_def(item: &str, old: &TypeDef, new: &TypeDef, out: &mut Changes) {
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => fields(item, new.sent, a, b, out),
        (TypeKind::Enum(a), TypeKind::Enum(b)) | (TypeKind::IntEnum(a), TypeKind::IntEnum(b)) => {
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
pub(super) fn fields(item: &str, sent: bool, old: &[Field], new: &[Field], out: &mut Changes) {
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

pub(super) fn error_bodies(old: &Api, new: &Api, out: &mut Changes) {
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

pub(super) fn schemes(old: &Api, new: &Api, out: &mut Changes) {
    for s in &new.security_schemes {
        match old.security_schemes.iter().find(|o| o.name == s.name) {
            None => out.push(
                Area::Auth,
                ChangeKind::Added,
                "ClientBuilder",
                format!("new security scheme `{}` ({})", s.name, scheme(s)),
                false,
            ),
            // Breaking when what a caller writes changes (the kind, or the method that sets a
            // key); a new token URL or scope is not.
            Some(o) if scheme(o) != scheme(s) => out.push(
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
