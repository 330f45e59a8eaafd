//! The comparisons: operations by method name (a method whose HTTP method and path another
//! name now has was renamed), types by name, and within each what the generated code exposes.

mod describe;
mod operations;
mod types;

use super::{Area, Change, ChangeKind};
use crate::model::Api;
use std::collections::BTreeMap;

/// Collects changes, each with its classification.
#[derive(Default)]
pub(super) struct Changes(Vec<Change>);

impl Changes {
    pub(super) fn push(
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
    operations::operations(old, new, &mut out);
    types::types(old, new, &mut out);
    types::error_bodies(old, new, &mut out);
    types::schemes(old, new, &mut out);
    out.0
}

pub(super) fn by<T>(items: &[T], key: impl Fn(&T) -> &str) -> BTreeMap<&str, &T> {
    items.iter().map(|t| (key(t), t)).collect()
}
