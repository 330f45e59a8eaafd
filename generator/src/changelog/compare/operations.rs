//! Operations: added, removed or renamed `Client` methods, and within each its arguments,
//! body, answer, paging, error statuses and credentials.

use super::describe::{error_body, location, paging_item, paging_kind, requirement, rust, status, stream, success};
use super::{by, Area, ChangeKind, Changes};
use crate::model::{Api, Events, Operation, Paging, Param, Success};
use std::collections::BTreeSet;

pub(super) fn operations(old: &Api, new: &Api, out: &mut Changes) {
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
pub(super) fn operation(old: &Operation, new: &Operation, out: &mut Changes) {
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
    events(&item, &new.builder_name, old.events.as_ref(), new.events.as_ref(), out);
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

pub(super) fn parameters(item: &str, builder: &str, old: &[Param], new: &[Param], out: &mut Changes) {
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

pub(super) fn body(item: &str, old: &Operation, new: &Operation, out: &mut Changes) {
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

/// The stream an operation offers beside its body (`send_events`): added, removed, or its
/// events' type changed.
fn events(item: &str, builder: &str, old: Option<&Events>, new: Option<&Events>, out: &mut Changes) {
    let method = format!("`{builder}::send_events`");
    match (old, new) {
        (None, Some(new)) => out.push(
            Area::Response,
            ChangeKind::Added,
            item,
            format!("{method} added: {}", stream(new)),
            false,
        ),
        (Some(_), None) => out.push(
            Area::Response,
            ChangeKind::Removed,
            item,
            format!("{method} removed"),
            true,
        ),
        (Some(old), Some(new)) if old.data != new.data => out.push(
            Area::Response,
            ChangeKind::Changed,
            item,
            format!("{method} gives {} (was {})", stream(new), stream(old)),
            true,
        ),
        _ => {}
    }
}

pub(super) fn response(item: &str, old: &Success, new: &Success, out: &mut Changes) {
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

pub(super) fn paging(item: &str, old: Option<&Paging>, new: Option<&Paging>, out: &mut Changes) {
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

pub(super) fn errors(item: &str, old: &Operation, new: &Operation, out: &mut Changes) {
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
