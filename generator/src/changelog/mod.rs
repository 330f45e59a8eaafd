//! What changed in the generated Rust API between two versions of a document, each change
//! classified by the stability policy the generated crates document (see `readme.rs`): adding
//! an optional parameter or request field, a response field, an enum value, a union variant,
//! an operation, an error status or body, or a security scheme breaks no caller; adding a
//! required argument or field of a type callers build, and removing, renaming or retyping
//! anything, does. The verdict is the version bump the changes call for.
//!
//! Both sides are compared as models ([`crate::model::Api`]), so the changes are named as the
//! generated code names them (`Client::list_installs`, `types::Backup::status`), whatever
//! document versions or formats the two are in.

mod compare;

use crate::model::Api;
use std::fmt::Write as _;

/// What part of the generated API a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// A `Client` method and its builder.
    Operation,
    /// An argument of a `Client` method, or a setter of its builder.
    Parameter,
    RequestBody,
    /// What `send` returns.
    Response,
    /// `.pages()` and `.items()`.
    Pagination,
    /// An error status an operation declares.
    ErrorStatus,
    /// A variant of the `ErrorBody` enum.
    ErrorBody,
    /// A generated type in `types`.
    Type,
    /// A field of a generated struct.
    Field,
    /// A value of a generated string enum.
    EnumValue,
    /// A variant of a generated union.
    Variant,
    /// The credentials `ClientBuilder` takes, or what an operation requires.
    Auth,
}

/// Whether something appeared, went, was renamed, or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Renamed,
    Changed,
}

/// One change of the generated API.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    pub area: Area,
    pub kind: ChangeKind,
    /// The item, as generated code names it: `Client::list_installs`, `types::Backup::status`.
    pub item: String,
    /// What changed, in words.
    pub detail: String,
    /// Code that uses the client may stop compiling (or matching) because of it.
    pub breaking: bool,
}

/// The version bump a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing added to or taken from the Rust API (what changed is on the wire, or in docs).
    Patch,
    /// Additions, and nothing that breaks callers.
    Minor,
    /// Something breaks callers.
    Major,
}

/// The changes from one document to the next: operations (by name, the new ones last), then
/// types (likewise; fields in the newer document's order), error bodies and credentials.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Changelog {
    pub old_version: String,
    pub new_version: String,
    pub bump: Bump,
    pub changes: Vec<Change>,
}

impl Changelog {
    /// Compares the API generated from `old` with the one generated from `new`.
    #[must_use]
    pub fn between(old: &Api, new: &Api) -> Self {
        let changes = compare::changes(old, new);
        let bump = if changes.iter().any(|c| c.breaking) {
            Bump::Major
        } else if changes.iter().any(|c| c.kind == ChangeKind::Added) {
            Bump::Minor
        } else {
            Bump::Patch
        };
        Changelog {
            old_version: old.version.clone(),
            new_version: new.version.clone(),
            bump,
            changes,
        }
    }

    /// The changelog as Markdown, for a pull request: the verdict, then the breaking changes,
    /// then the rest.
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "## Rust API changes: {} to {}\n\nVerdict: **{}** ({} breaking, {} other).\n",
            self.old_version,
            self.new_version,
            match self.bump {
                Bump::Major => "major",
                Bump::Minor => "minor",
                Bump::Patch => "patch",
            },
            self.changes.iter().filter(|c| c.breaking).count(),
            self.changes.iter().filter(|c| !c.breaking).count(),
        );
        for (title, breaking) in [("Breaking", true), ("Not breaking", false)] {
            let listed: Vec<&Change> = self.changes.iter().filter(|c| c.breaking == breaking).collect();
            if listed.is_empty() {
                continue;
            }
            let _ = write!(out, "\n### {title}\n\n");
            for c in listed {
                let _ = writeln!(out, "- `{}`: {}", c.item, c.detail);
            }
        }
        out
    }

    /// The changelog as pretty JSON.
    #[must_use]
    pub fn json(&self) -> String {
        // Plain data of strings and enums: serializing it cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}
